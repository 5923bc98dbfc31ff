"""Validated inputs: scores, flags, amounts, timestamps and confidence levels.

Each check takes array-like input and a ``name`` used in the message, and returns a float
array (NaN for missing) or raises :class:`ValueError` naming the problem, in the spirit of
scikit-learn's ``utils.validation``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


#: One day, the step between inclusive period ends.
ONE_DAY = pd.Timedelta(days=1)


class Unavailable(ValueError):
    """The data given cannot yield this quantity (a missing table, column or dates)."""


def confidence_z(confidence: float) -> float:
    """The two-sided normal quantile z of ``confidence`` (a level strictly between 0 and 1).

    Examples: 0.95 gives 1.959964…, 0.90 gives 1.644853….
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1; got {confidence}")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def check_alpha(alpha: float) -> float:
    """``alpha``, a significance level strictly between 0 and 1."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1; got {alpha}")
    return alpha


def _first(x: np.ndarray, bad: np.ndarray) -> str:
    """The first offending value, with its position when ``x`` is an array."""
    if x.ndim == 0:
        return f"{float(x):g}"
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    return f"{float(x[index]):g} (at index {index[0] if len(index) == 1 else index})"


def checked(value, name: str, rule: str = "a finite number", ok=None) -> np.ndarray:
    """``value`` as a float array whose values are finite and pass ``ok``.

    Parameters
    ----------
    value : array-like
    name : str
        The argument's name, for the message.
    rule : str
        What the argument must be, for the message ("a share 0–1").
    ok : callable, optional
        Array of values → array of bool; ``None`` accepts every finite value.

    Raises
    ------
    ValueError
        Naming ``name``, the ``rule`` and the first value (with its index) that breaks it.
    """
    try:
        x = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be {rule}; got {value!r}") from None
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(x) if ok is None else ~(np.isfinite(x) & ok(x))
    if bad.any():
        raise ValueError(f"{name} must be {rule}; got {_first(x, bad)}")
    return x


def column(frame: pd.DataFrame, table: str, name: str) -> pd.Series:
    """Column ``name`` of ``frame`` (a table called ``table``); :class:`Unavailable` if absent."""
    if name not in frame.columns:
        raise Unavailable(f"{table} has no column '{name}'")
    return frame[name]


def numbers(values, name: str) -> np.ndarray:
    """``values`` as float64, NaN where missing."""
    try:
        numeric = pd.to_numeric(pd.Series(values))
        return numeric.to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers ({exc})") from None


def scores(values, name: str, lo: int, hi: int, *, allow_missing: bool = True) -> np.ndarray:
    """Whole-number scores on ``lo``…``hi`` as floats, NaN for missing answers.

    Parameters
    ----------
    values : array-like
        The answers, one per response.
    name : str
        The score's name in messages (``nps``, ``csat``, …).
    lo, hi : int
        The scale, both ends included (0–10 for NPS, 1–5 for CSAT, 1–7 for CES).
    allow_missing : bool, default True
        False makes a missing answer an error too.
    """
    if np.ndim(values) != 1:
        raise ValueError(f"{name} must be 1-D (one score per response); got {np.ndim(values)} dimensions")
    x = numbers(values, f"{name} scores")
    bad = ~((x >= lo) & (x <= hi) & (x == np.floor(x)))  # NaN fails every comparison
    if allow_missing:
        bad &= ~np.isnan(x)
    if bad.any():
        shown = ", ".join(f"{v:g}" for v in np.unique(x[bad])[:5])
        none_missing = "" if allow_missing else ", none missing"
        raise ValueError(f"{name} scores must be whole numbers {lo}–{hi}{none_missing}; got {shown} "
                         f"({bad.sum()} invalid)")
    return x


def amounts(values, name: str) -> np.ndarray:
    """Non-negative amounts (money, counts) as floats, NaN where missing."""
    x = numbers(values, name)
    if (x < 0).any():
        raise ValueError(f"{name} must be ≥ 0; got {np.nanmin(x):g}")
    return x


def flags(values, name: str) -> np.ndarray:
    """Booleans as 1.0/0.0, NaN where unknown."""
    try:
        as_bool = pd.Series(values).astype("boolean")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be true/false values ({exc})") from None
    return as_bool.to_numpy(dtype="float64", na_value=np.nan)


def timestamps(values, name: str) -> pd.Series:
    """``values`` as a datetime Series."""
    try:
        return pd.to_datetime(pd.Series(values))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be dates ({exc})") from None


def day(value) -> pd.Timestamp | None:
    """A date (or anything ``pd.Timestamp`` reads) as midnight of that day; ``None`` stays ``None``."""
    return None if value is None else pd.Timestamp(value).normalize()


def period_years(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Length of the inclusive period ``start``…``end`` in years: exactly 1 for one calendar year
    (e.g. 2025-03-01…2026-02-28), else days / 365.25.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end == start + pd.DateOffset(years=1) - ONE_DAY:
        return 1.0
    return ((end - start).days + 1) / 365.25
