"""Reference values written into comments: case, invoice and order numbers and dates, and
personal data (phone numbers, e-mail addresses, Swedish personnummer and Norwegian
fødselsnummer with valid check digits). Everything is vectorised.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .profiles import day
from .resources import data_yaml
from .sampling import join, num, take

PII_KINDS = ("phone", "phone_intl", "phone_no", "email", "pnr10", "pnr12", "fnr")
"""Reference kinds that are personal data."""
REF_KINDS = ("case", "invoice", "order", "date", *PII_KINDS)
"""Every reference kind :func:`ref_values` makes."""


@cache
def names() -> dict[str, tuple[str, ...]]:
    """Word lists of made-up e-mail addresses, from ``data/names.yaml``.

    Returns
    -------
    dict of str to tuple of str
        ``first_names``, ``last_names`` and ``mail_domains``, in the file's order.
    """
    return {key: tuple(data_yaml("names.yaml")[key]) for key in ("first_names", "last_names", "mail_domains")}


def _birthdates(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = rng.integers(day("1940-01-01"), day("2005-12-31"), n)
    d = np.datetime64("2025-01-01") + days.astype("timedelta64[D]")
    y = d.astype("datetime64[Y]").astype(int) + 1970
    m = d.astype("datetime64[M]").astype(int) % 12 + 1
    return y, m, (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1


def _digits(x: np.ndarray, width: int) -> np.ndarray:
    """Decimal digits of integers, (rows, width), most significant first."""
    return (x[:, None] // 10 ** np.arange(width - 1, -1, -1)) % 10


def personnummer(rng: np.random.Generator, n: int, long: bool) -> pa.Array:
    """Swedish personnummer, YYMMDD-NNNC or YYYYMMDDNNNC, with a valid Luhn check digit C.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of the birth dates (1940–2005) and serial numbers.
    n : int
        Number of values.
    long : bool
        Twelve digits without a separator (``YYYYMMDDNNNC``) instead of ``YYMMDD-NNNC``.

    Returns
    -------
    pyarrow.Array
        ``n`` strings.
    """
    y, m, d = _birthdates(rng, n)
    serial = rng.integers(0, 1000, n)
    digits = _digits((y % 100) * 10**7 + m * 10**5 + d * 10**3 + serial, 9)
    prod = digits * np.array([2, 1, 2, 1, 2, 1, 2, 1, 2])
    check = (10 - (prod // 10 + prod % 10).sum(axis=1) % 10) % 10
    tail = num(serial * 10 + check, 4)
    if long:
        return join(num(y * 10000 + m * 100 + d, 8), tail)
    return join(num((y % 100) * 10000 + m * 100 + d, 6), "-", tail)


def fodselsnummer(rng: np.random.Generator, n: int) -> pa.Array:
    """Norwegian fødselsnummer DDMMYYIIIKK with valid control digits K1 and K2.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of the birth dates (1940–2005) and individual numbers.
    n : int
        Number of values.

    Returns
    -------
    pyarrow.Array
        ``n`` strings of eleven digits.
    """
    y, m, d = _birthdates(rng, n)
    base = np.where(y >= 2000, 500, 0)
    ind = base + rng.integers(0, 500, n)
    w1 = np.array([3, 7, 6, 1, 8, 9, 4, 5, 2])
    w2 = np.array([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
    for _ in range(500):  # step the individual number until both control digits exist
        nine = _digits(d * 10**7 + m * 10**5 + (y % 100) * 10**3 + ind, 9)
        k1 = (11 - (nine * w1).sum(axis=1) % 11) % 11
        k2 = (11 - ((nine * w2[:9]).sum(axis=1) + 2 * k1) % 11) % 11
        bad = (k1 == 10) | (k2 == 10)
        if not bad.any():
            break
        ind = np.where(bad, base + (ind - base + 1) % 500, ind)
    return join(num(d * 10**7 + m * 10**5 + (y % 100) * 10**3 + ind, 9), num(k1 * 10 + k2, 2))


def ref_values(rng: np.random.Generator, kind: str, days: np.ndarray) -> pa.Array:
    """Values of one reference kind, one per response.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    kind : str
        One of :data:`REF_KINDS`.
    days : numpy.ndarray
        Day index (0 = 2025-01-01) of each response; dates fall in the 30 days before it.

    Returns
    -------
    pyarrow.Array
        ``len(days)`` strings.
    """
    n = len(days)
    if kind == "case":
        return join("2025-", num(rng.integers(0, 10**6, n), 6))
    if kind == "invoice":
        return num(rng.integers(10**8, 10**9, n), 9)
    if kind == "order":
        return join("NE", num(rng.integers(0, 10**7, n), 7))
    if kind == "date":
        past = np.maximum(days - rng.integers(0, 30, n), 0)
        return pa.array(np.datetime_as_string(np.datetime64("2025-01-01") + past.astype("timedelta64[D]")))
    if kind in ("phone", "phone_intl"):
        prefix = take(("70", "72", "73", "76", "79"), rng.integers(0, 5, n))
        groups = (num(rng.integers(0, 1000, n), 3), " ", num(rng.integers(0, 100, n), 2), " ",
                  num(rng.integers(0, 100, n), 2))
        return join("0", prefix, "-", *groups) if kind == "phone" else join("+46 ", prefix, " ", *groups)
    if kind == "phone_no":
        return join("+47 ", take(("9", "4"), rng.integers(0, 2, n)), num(rng.integers(0, 100, n), 2), " ",
                    num(rng.integers(0, 100, n), 2), " ", num(rng.integers(0, 1000, n), 3))
    if kind == "email":
        words = names()
        first, last, domains = words["first_names"], words["last_names"], words["mail_domains"]
        number = pc.if_else(pa.array(rng.random(n) < 0.4), num(rng.integers(0, 100, n), 2), "")
        return join(take(first, rng.integers(0, len(first), n)),
                    take((".", "", "_"), rng.integers(0, 3, n)),
                    take(last, rng.integers(0, len(last), n)), number, "@",
                    take(domains, rng.integers(0, len(domains), n)))
    if kind == "fnr":
        return fodselsnummer(rng, n)
    return personnummer(rng, n, long=kind == "pnr12")
