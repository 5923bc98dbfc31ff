"""When contacts arrive: a typical week of intervals per channel, against its opening hours.

The week is cut into intervals of ``interval_min`` minutes (15, 30 or 60; client.yaml
``staffing_interval_min``). ``weekday`` is 0 = Monday … 6 = Sunday and ``slot`` the interval of
the day (0 starts at 00:00). A channel's hours are ``{weekday: (first minute, end minute)}`` as
:meth:`cxlib.config.Channel.open_minutes` gives them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import Channel
from ..stats.intervals import wilson

MINUTES_PER_DAY = 24 * 60


def slots_per_day(interval_min: int) -> int:
    """Intervals in a day of ``interval_min`` minutes each."""
    return MINUTES_PER_DAY // interval_min


def slot_start(slot, interval_min: int) -> np.ndarray:
    """``HH:MM`` at which interval ``slot`` of the day starts (array of text)."""
    minutes = np.asarray(slot, dtype=int) * interval_min
    if not minutes.size:  # numpy's zfill fails on an empty array
        return np.array([], dtype=str)
    return np.char.add(np.char.add(np.char.zfill((minutes // 60).astype(str), 2), ":"),
                       np.char.zfill((minutes % 60).astype(str), 2))


def week_slots(stamps: pd.Series, interval_min: int) -> tuple[np.ndarray, np.ndarray]:
    """Weekday (0 = Monday) and interval of the day of each timestamp."""
    minutes = (stamps.dt.hour * 60 + stamps.dt.minute).to_numpy()
    return stamps.dt.day_of_week.to_numpy(), minutes // interval_min


def weekday_dates(start, end) -> np.ndarray:
    """How many dates of each weekday (Monday first) lie from ``start`` to ``end``, both inclusive."""
    days = pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize(), freq="D")
    return np.bincount(days.day_of_week, minlength=7).astype(float)


def week_grid(interval_min: int) -> np.ndarray:
    """Weekday (row 0; 0 = Monday) and slot (row 1) of every interval of the week, Monday 00:00 first."""
    return np.indices((7, slots_per_day(interval_min))).reshape(2, -1)


def week_cells(stamps: pd.Series, interval_min: int) -> np.ndarray:
    """The position in :func:`week_grid` of the interval each timestamp falls in."""
    weekday, slot = week_slots(stamps, interval_min)
    return weekday * slots_per_day(interval_min) + slot


def week_counts(cells: np.ndarray, interval_min: int, weights: np.ndarray | None = None) -> np.ndarray:
    """How many of ``cells`` (:func:`week_cells`; or the sum of their ``weights``) fall in each interval
    of :func:`week_grid`.
    """
    return np.bincount(cells, weights=weights, minlength=7 * slots_per_day(interval_min)).astype(float)


def per_date(counts: np.ndarray, interval_min: int, start, end) -> np.ndarray:
    """``counts`` per interval of :func:`week_grid` over the dates of its weekday from ``start`` to
    ``end``: the typical day's count; NaN for a weekday without a date in the period.
    """
    dates = weekday_dates(start, end)[week_grid(interval_min)[0]]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(dates > 0, counts / dates, np.nan)


def hours_grid(hours: dict[int, tuple[int, int]], interval_min: int) -> np.ndarray:
    """Booleans (7, slots): whether each interval overlaps ``hours``."""
    slots = slots_per_day(interval_min)
    grid = np.zeros((7, slots), bool)
    for weekday, (first, end) in hours.items():
        grid[weekday, first // interval_min:-(-end // interval_min)] = True
    return grid


def within_hours(stamps: pd.Series, hours: dict[int, tuple[int, int]]) -> np.ndarray:
    """Booleans: whether each timestamp falls inside ``hours`` (to the minute)."""
    first = np.full(7, -1)
    end = np.full(7, -1)
    for weekday, (a, b) in hours.items():
        first[weekday], end[weekday] = a, b
    weekday = stamps.dt.day_of_week.to_numpy()
    minute = (stamps.dt.hour * 60 + stamps.dt.minute).to_numpy()
    return (minute >= first[weekday]) & (minute < end[weekday])


def next_opening(stamps: pd.Series, hours: dict[int, tuple[int, int]]) -> pd.Series:
    """Each timestamp, or the next moment ``hours`` open when it falls outside them (to the minute).

    Raises
    ------
    ValueError
        ``hours`` never open.
    """
    spans = sorted((d * MINUTES_PER_DAY + a, d * MINUTES_PER_DAY + b) for d, (a, b) in hours.items())
    if not spans:
        raise ValueError("the hours never open")
    starts = np.array([a for a, _ in spans] + [a + 7 * MINUTES_PER_DAY for a, _ in spans])
    week_minute = (stamps.dt.day_of_week * MINUTES_PER_DAY + stamps.dt.hour * 60 + stamps.dt.minute).to_numpy()
    inside = within_hours(stamps, hours)
    wait = starts[np.searchsorted(starts, week_minute, side="right")] - week_minute
    moved = stamps.dt.floor("min") + pd.to_timedelta(np.where(inside, 0, wait), unit="min")
    return stamps.where(inside, moved)


def demand_by_interval(contacts: pd.DataFrame, channels: Sequence[Channel], *, interval_min: int, start,
                       end) -> pd.DataFrame:
    """Contacts per channel, weekday and interval of a typical week.

    Parameters
    ----------
    contacts : DataFrame
        The contacts table (``channel``, ``opened_at``), already restricted to the period.
    channels : sequence of Channel
        The client's channels; each with contacts gets the full week of intervals.
    interval_min : int
        Interval length in minutes.
    start, end : date-like
        The period (both days inclusive), to count the dates of each weekday.

    Returns
    -------
    DataFrame
        channel, weekday, slot, interval_start (HH:MM), contacts (in the period), per_day (mean
        per date of that weekday: the arrivals of a typical week's interval; NaN for a weekday
        the period does not include) and open (the interval overlaps the channel's opening hours).
    """
    grid = week_grid(interval_min)
    frames = []
    for channel in channels:
        mine = contacts[contacts["channel"] == channel.id]
        if mine.empty:
            continue
        counts = week_counts(week_cells(mine["opened_at"], interval_min), interval_min)
        frames.append(pd.DataFrame({
            "channel": channel.id, "weekday": grid[0], "slot": grid[1],
            "interval_start": slot_start(grid[1], interval_min),
            "contacts": counts, "per_day": per_date(counts, interval_min, start, end),
            "open": hours_grid(channel.open_minutes(), interval_min).ravel()}))
    columns = ["channel", "weekday", "slot", "interval_start", "contacts", "per_day", "open"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def outside_hours(contacts: pd.DataFrame, channels: Sequence[Channel], confidence: float = 0.95) -> pd.DataFrame:
    """Per channel with contacts: how many arrived outside its opening hours.

    For queue channels these are attempts (calls, chats) made while the channel was closed;
    for async channels open 24/7 there are none by definition.

    Returns
    -------
    DataFrame
        channel, kind, contacts, outside, and value/low/high: the share (0–1) outside with
        its Wilson interval.
    """
    rows = []
    for channel in channels:
        mine = contacts[contacts["channel"] == channel.id]
        if mine.empty:
            continue
        outside = float((~within_hours(mine["opened_at"], channel.open_minutes())).sum())
        rows.append({"channel": channel.id, "kind": channel.kind, "contacts": float(len(mine)), "outside": outside})
    out = pd.DataFrame(rows, columns=["channel", "kind", "contacts", "outside"])
    share = wilson(out["outside"].to_numpy(float), out["contacts"].to_numpy(float), confidence)
    return out.assign(value=share.value, low=share.low, high=share.high)


def use_while_queues_closed(arrivals: pd.DataFrame, channels: Sequence[Channel], confidence: float = 0.95,
                            top: int = 3) -> pd.DataFrame:
    """How much the async and self-service channels are used while every queue channel is closed.

    Parameters
    ----------
    arrivals : DataFrame
        One row per contact or session: ``channel`` and ``at`` (timestamp). Self-service use
        (web sessions from the journeys table) comes in under its channel id.
    channels : sequence of Channel
        The client's channels; queue channels define when "closed" is.
    confidence : float
        Of the Wilson interval.
    top : int
        How many of the busiest closed hours to list.

    Returns
    -------
    DataFrame
        channel, kind, total, while_closed, value/low/high (share 0–1 while closed, Wilson) and
        busiest: the ``top`` closed (weekday, hour, count) triples, most used first. Empty
        without queue channels.
    """
    queues = [c for c in channels if c.kind == "queue"]
    columns = ["channel", "kind", "total", "while_closed", "value", "low", "high", "busiest"]
    if not queues:
        return pd.DataFrame(columns=columns)
    rows = []
    for channel in channels:
        if channel.kind not in ("async", "self-service"):
            continue
        at = arrivals.loc[arrivals["channel"] == channel.id, "at"]
        if at.empty:
            continue
        closed = ~np.logical_or.reduce([within_hours(at, q.open_minutes()) for q in queues])
        hour_of_week = at.dt.day_of_week.to_numpy() * 24 + at.dt.hour.to_numpy()
        counts = np.bincount(hour_of_week[closed], minlength=7 * 24)
        order = np.argsort(-counts, kind="stable")[:top]
        busiest = [(int(h // 24), int(h % 24), int(counts[h])) for h in order if counts[h] > 0]
        rows.append({"channel": channel.id, "kind": channel.kind, "total": float(len(at)),
                     "while_closed": float(closed.sum()), "busiest": busiest})
    out = pd.DataFrame(rows, columns=[c for c in columns if c not in ("value", "low", "high")])
    share = wilson(out["while_closed"].to_numpy(float), out["total"].to_numpy(float), confidence)
    return out.assign(value=share.value, low=share.low, high=share.high)[columns]
