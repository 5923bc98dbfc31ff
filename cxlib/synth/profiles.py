"""When things happen in the synthetic year 2025: days, day-of-year shapes, opening hours and
weekday and intraday weights per contact channel.

Times are integer seconds since 2025-01-01 00:00 and days are indices 0..364 (0 = 2025-01-01).
The tables that depend on the sample client's opening hours are built on first use and cached.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import numpy as np
import pyarrow as pa

from .resources import CH, config
from .sampling import readonly

YEAR0 = np.datetime64("2025-01-01", "s")
"""Start of the synthetic year; time 0."""
N_DAYS = 365
"""Days in the synthetic year."""
DAY_S = 86_400
"""Seconds per day."""
DAYS = readonly(np.arange(N_DAYS))
"""Day indices 0..364."""
WEEKDAY = readonly((DAYS + 2) % 7)
"""Weekday per day, 0 = Monday (2025-01-01 is a Wednesday)."""
_DATES = np.datetime64("2025-01-01") + DAYS
DAY_OF_MONTH = readonly((_DATES - _DATES.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1)
"""Day of the month (1..31) per day."""

WEEKDAY_BASE = np.array([  # weekday factor (Mon..Sun) per contact channel on days it is open
    [1.30, 1.10, 1.00, 0.95, 0.85, 0.40, 0.35],
    [1.25, 1.10, 1.00, 0.95, 0.90, 0.45, 0.40],
    [1.30, 1.10, 1.00, 1.00, 0.90, 0.45, 0.50],
    [1.25, 1.05, 1.00, 0.95, 0.85, 0.55, 0.60],
    [1.15, 1.05, 1.00, 1.00, 0.95, 0.75, 0.80],
])
EVENING = np.array([0.0, 0.6, 0.5, 0.6, 1.1])  # evening peak (≈20:00) per channel
WEB_WEEKDAY = np.array([1.10, 1.05, 1.0, 1.0, 0.90, 0.80, 0.95])
"""Weekday factor (Mon..Sun) of web and app activity (surveys, sessions)."""


def day(date: str) -> int:
    """Day index of an ISO date.

    Parameters
    ----------
    date : str
        ``YYYY-MM-DD``.

    Returns
    -------
    int
        Days since 2025-01-01 (negative before it).
    """
    return int((np.datetime64(date) - np.datetime64("2025-01-01")).astype(int))


def _span(start: str, end: str) -> np.ndarray:
    return ((DAYS >= day(start)) & (DAYS <= day(end))).astype(float)


def _bump(center: float, width: float) -> np.ndarray:
    return np.exp(-(((DAYS - center) / width) ** 2))


def _decay(start: str, tau: float) -> np.ndarray:
    x = DAYS - day(start)
    return np.where(x >= 0, np.exp(-np.maximum(x, 0) / tau), 0.0)


@cache
def shapes() -> dict[str, np.ndarray]:
    """Day-of-year shapes (peak ≈ 1) that seasons, incidents and campaigns are made of.

    Returns
    -------
    dict of str to numpy.ndarray
        Read-only weights of shape ``(365,)`` per shape name (``winter``, ``invoice``,
        ``billing_incident``, ``storm``, ``july``, …); see :func:`profile`.
    """
    out = {
        "winter": 0.5 * (1 + np.cos(2 * np.pi * (DAYS - 15) / 365)),  # high bills, dark months
        "invoice": np.exp(-(((DAY_OF_MONTH - 9) / 3.0) ** 2)),  # invoices go out on the 5th, questions follow
        "billing_incident": _span("2025-03-03", "2025-03-30"),  # new billing system, March
        "backlog": _span("2025-03-10", "2025-04-20"),  # e-mail backlog after the incident
        "app_incident": _span("2025-04-07", "2025-04-27"),  # app update breaks BankID login
        "price_letter": _decay("2025-09-15", 25),  # letter announcing new prices
        "new_price_bill": _decay("2025-11-05", 20),  # first bill with the new prices
        "storm": _decay("2025-01-13", 1.2) + _decay("2025-11-24", 1.2),  # storms, outages
        "moving": _bump(200, 45),  # summer and student moves
        "month_end": (DAY_OF_MONTH >= 25).astype(float),  # moves happen at month end
        "spring": _bump(110, 35),  # solar panel season
        "autumn": _bump(285, 40),  # EV charger season
        "campaign": _span("2025-03-10", "2025-03-30") + _span("2025-09-01", "2025-09-21"),
        "july": _bump(196, 18),  # Swedish summer holidays: fewer contacts
    }
    return {name: readonly(w) for name, w in out.items()}


def profile(amps: Mapping[str, float]) -> np.ndarray:
    """Daily weight Π (1 + amplitude · shape) over the year.

    Parameters
    ----------
    amps : mapping of str to float
        Amplitude per name of :func:`shapes`; 1 doubles the weight at the shape's peak,
        negative values lower it.

    Returns
    -------
    numpy.ndarray
        Relative weight per day, shape ``(365,)``.
    """
    w = np.ones(N_DAYS)
    all_shapes = shapes()
    for shape, amp in amps.items():
        w *= 1 + amp * all_shapes[shape]
    return w


@cache
def open_minutes() -> np.ndarray:
    """Opening hours of the contact channels, from the sample client's configuration.

    Returns
    -------
    numpy.ndarray
        Read-only minutes since midnight, shape ``(channels, weekday, [open, close])`` in the
        order of :data:`~cxlib.synth.resources.CH`; ``(0, 0)`` = closed that weekday.
    """
    out = np.zeros((len(CH), 7, 2), dtype=np.int64)
    for c, cid in enumerate(CH):
        for wd, span in config().channel(cid).open_minutes().items():
            out[c, wd] = span
    return readonly(out)


@cache
def weekday_weights() -> np.ndarray:
    """Weekday factor (Mon..Sun) per contact channel, zero on days the channel is closed.

    Returns
    -------
    numpy.ndarray
        Read-only, shape ``(channels, 7)``.
    """
    hours = open_minutes()
    return readonly((hours[..., 1] > hours[..., 0]) * WEEKDAY_BASE)


@cache
def hour_weights() -> np.ndarray:
    """Intraday weights: peaks 09–11 and 13–15, evenings on chat and app, zero when closed.

    Returns
    -------
    numpy.ndarray
        Read-only, shape ``(channels · 7 weekdays, 24 hours)``; row ``channel * 7 + weekday``.
    """
    hours = open_minutes()
    h = np.arange(24) + 0.5
    base = 0.15 + np.exp(-(((h - 10) / 1.6) ** 2)) + 0.9 * np.exp(-(((h - 14) / 1.6) ** 2))
    night = np.where((h < 6) | (h > 23), 0.15, 1.0)
    w = np.zeros((len(CH), 7, 24))
    for c in range(len(CH)):
        prof = (base + EVENING[c] * np.exp(-(((h - 20) / 1.5) ** 2))) * night
        for wd in range(7):
            start, end = hours[c, wd]
            is_open = (np.arange(24) * 60 >= start) & ((np.arange(24) + 1) * 60 <= end)
            w[c, wd] = prof * is_open
    return readonly(w.reshape(len(CH) * 7, 24))


@cache
def hour_pressure() -> np.ndarray:
    """Relative pressure of an hour within a channel's open hours (on a Wednesday).

    Returns
    -------
    numpy.ndarray
        Read-only, shape ``(channels, 24)``; 1 = an average open hour, and 1 when closed.
    """
    wed = hour_weights().reshape(len(CH), 7, 24)[:, 2]
    return readonly(np.where(wed > 0, wed / (wed.sum(1, keepdims=True) / (wed > 0).sum(1, keepdims=True)), 1.0))


@cache
def web_hour_weights() -> np.ndarray:
    """Intraday weights of web and app sessions: a midday and an evening peak, quiet at night.

    Returns
    -------
    numpy.ndarray
        Read-only, shape ``(24,)``, one weight per hour of the day.
    """
    h = np.arange(24) + 0.5
    return readonly((0.5 + 0.8 * np.exp(-(((h - 12.5) / 2) ** 2)) + np.exp(-(((h - 20.5) / 2) ** 2))) * np.where(
        (h < 6.5), 0.15, 1.0))


def snap_open(rng: np.random.Generator, t: np.ndarray, hours: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Move times outside opening hours to shortly after the next opening.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of the delay after opening (0–45 minutes).
    t : numpy.ndarray
        Times in seconds since 2025-01-01 00:00.
    hours : numpy.ndarray
        Opening minutes, shape ``(groups, weekday, [open, close])`` like :func:`open_minutes`.
    group : numpy.ndarray
        Row of ``hours`` per time.

    Returns
    -------
    numpy.ndarray
        The times in seconds, each within its group's opening hours (a new array).
    """
    t = t.copy()
    for _ in range(8):
        d = t // DAY_S
        minute = (t % DAY_S) // 60
        start, end = hours[group, (d + 2) % 7, 0], hours[group, (d + 2) % 7, 1]
        before, after = minute < start, minute >= end
        if not (before | after).any():
            break
        t = np.where(before, d * DAY_S + start * 60 + rng.integers(0, 2700, len(t)), t)
        t = np.where(after, (d + 1) * DAY_S, t)
    return t


def to_ts(seconds: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """Seconds since 2025-01-01 00:00 as naive timestamps.

    Parameters
    ----------
    seconds : numpy.ndarray
        Integer seconds.
    present : numpy.ndarray of bool, optional
        Rows that have a value; the others are null.

    Returns
    -------
    pyarrow.Array
        ``timestamp[s]`` values.
    """
    ts = YEAR0 + seconds.astype("timedelta64[s]")
    return pa.array(ts, mask=None if present is None else ~present)


def to_date(days: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """Day indices as dates.

    Parameters
    ----------
    days : numpy.ndarray
        Days since 2025-01-01 (negative before it).
    present : numpy.ndarray of bool, optional
        Rows that have a value; the others are null.

    Returns
    -------
    pyarrow.Array
        ``date32`` values.
    """
    return pa.array(np.datetime64("2025-01-01") + days.astype("timedelta64[D]"),
                    mask=None if present is None else ~present)
