"""Service as customers got it: service level, abandonment and waits per channel and interval,
async response times and backlog, and how long queued customers wait before hanging up.

Waits come from the contacts table: ``first_response_at − opened_at`` for an answered contact,
``abandoned_at − opened_at`` for an abandoned one. A contact counts as answered within the target
when it was answered (not abandoned, with a first response) no later than the channel's
``service_level.within_s``; the service level is the share of all offered contacts answered
within the target, so abandoned contacts count against it.

References
----------
Mandelbaum, A. & Zeltyn, S. (2013). Data-stories about (im)patient customers in tele-queues.
*Queueing Systems* 75, 115–146 (patience = total time waited / abandonments, for exponential
patience, the maximum-likelihood estimate under censoring).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import Channel
from ..stats.intervals import Groups, garwood, mean_t, wilson
from .arrivals import slot_start, week_slots

SHARE_MARGIN = 0.10
"""A share whose 95 % interval is wider than ± this (0–1) is flagged ``too_small``: too few
contacts to tell the interval apart from its neighbours (as step 03 flags small groups)."""
BY_INTERVAL = ("channel", "weekday", "slot")
"""Grouping of :func:`queue_service` per interval of the typical week."""


WAIT_COLUMNS = ("opened_at", "first_response_at", "abandoned", "abandoned_at")
"""The columns :func:`waits` reads."""


def waits(contacts: pd.DataFrame) -> pd.DataFrame:
    """Each contact's outcome in the queue: answered, abandoned and wait_s (seconds; NaN when unknown)."""
    opened = contacts["opened_at"]
    answered = contacts["first_response_at"].notna().to_numpy() if "first_response_at" in contacts else \
        np.zeros(len(contacts), bool)
    abandoned = (contacts["abandoned"].fillna(False).to_numpy(bool) if "abandoned" in contacts
                 else np.zeros(len(contacts), bool)) & ~answered
    wait = np.full(len(contacts), np.nan)
    if "first_response_at" in contacts:
        wait = np.where(answered, (contacts["first_response_at"] - opened).dt.total_seconds().to_numpy(), wait)
    if "abandoned_at" in contacts:
        left = (contacts["abandoned_at"] - opened).dt.total_seconds().to_numpy()
        wait = np.where(abandoned, left, wait)
    return pd.DataFrame({"answered": answered, "abandoned": abandoned, "wait_s": wait}, index=contacts.index)


def queue_service(contacts: pd.DataFrame, channels: Sequence[Channel], *, interval_min: int,
                  by: Sequence[str] = BY_INTERVAL, confidence: float = 0.95) -> pd.DataFrame:
    """Service level, abandonment and average speed of answer of the queue channels.

    Parameters
    ----------
    contacts : DataFrame
        The contacts table in the period (``channel``, ``opened_at``, ``first_response_at``,
        ``abandoned``).
    channels : sequence of Channel
        Queue channels with a service-level target are measured; others are left out.
    interval_min : int
        Interval length in minutes (for ``weekday`` and ``slot``).
    by : sequence of str
        Grouping: ``channel`` and any of ``weekday``, ``slot``.
    confidence : float
        Of every interval.

    Returns
    -------
    DataFrame
        [*by], interval_start (when grouped by slot), n (offered contacts), service_level and
        abandonment (shares 0–1) and asa_s (mean wait of answered contacts, seconds), each
        with ``_low``/``_high`` bounds (Wilson; Student t for asa_s); target (share) and
        within_s of the channel; met (service level at least the target) and too_small (the
        service level's interval wider than ± :data:`SHARE_MARGIN`).
    """
    targets = {c.id: c.service_level for c in channels if c.kind == "queue" and c.service_level is not None}
    rows = contacts[contacts["channel"].isin(list(targets))]
    outcome = waits(rows)
    weekday, slot = week_slots(rows["opened_at"], interval_min)
    keys = pd.DataFrame({"channel": rows["channel"].to_numpy(), "weekday": weekday, "slot": slot})
    within = np.array([targets[c].within_s for c in keys["channel"]]) if len(keys) else np.zeros(0)
    grouped = keys.groupby(list(by), sort=True)
    groups = Groups(grouped.ngroup().to_numpy(), grouped.size().index.to_frame(index=False))
    everyone = np.ones(len(keys), bool)
    n = groups.count(everyone)
    answered_in_time = outcome["answered"].to_numpy() & (outcome["wait_s"].to_numpy() <= within)
    sl = wilson(groups.count(answered_in_time), n, confidence)
    known = rows["abandoned"].notna().to_numpy() if "abandoned" in rows else np.zeros(len(rows), bool)
    abandon = wilson(groups.count(outcome["abandoned"].to_numpy() & known), groups.count(known), confidence)
    asa = mean_t(np.where(outcome["answered"], outcome["wait_s"], np.nan), groups, confidence)
    out = groups.keys.copy()
    if "slot" in out:
        out.insert(list(out.columns).index("slot") + 1, "interval_start", slot_start(out["slot"], interval_min))
    out = out.assign(n=n, service_level=sl.value, service_level_low=sl.low, service_level_high=sl.high,
                     abandonment=abandon.value, abandonment_low=abandon.low, abandonment_high=abandon.high,
                     asa_s=asa.value, asa_s_low=asa.low, asa_s_high=asa.high)
    out["target"] = out["channel"].map({c: s.share for c, s in targets.items()})
    out["within_s"] = out["channel"].map({c: s.within_s for c, s in targets.items()})
    out["met"] = out["service_level"] >= out["target"]
    out["too_small"] = ~((out["service_level_high"] - out["service_level_low"]) / 2 <= SHARE_MARGIN)
    return out


def worst_intervals(service: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The intervals furthest below their target, per channel: those not ``too_small``, lowest
    service level first, with ``rank`` 1 for the worst of each channel.
    """
    ok = service[~service["too_small"] & ~service["met"]]
    out = ok.sort_values(["channel", "service_level"], kind="stable").groupby("channel").head(top).copy()
    out["rank"] = out.groupby("channel").cumcount() + 1
    return out.reset_index(drop=True)


def async_response(contacts: pd.DataFrame, channels: Sequence[Channel], confidence: float = 0.95) -> pd.DataFrame:
    """Share of first responses within the target, per async channel with a target.

    Returns
    -------
    DataFrame
        channel, n (contacts), answered (with a first response), value/low/high (share 0–1 of
        contacts answered within ``within_s``, Wilson; unanswered contacts count against it),
        target and within_s; median_s, the median first-response time of the answered (seconds).
    """
    rows = []
    for channel in channels:
        if channel.kind != "async" or channel.service_level is None:
            continue
        mine = contacts[contacts["channel"] == channel.id]
        if mine.empty or "first_response_at" not in mine:
            continue
        wait = (mine["first_response_at"] - mine["opened_at"]).dt.total_seconds().to_numpy()
        rows.append({"channel": channel.id, "n": float(len(mine)), "answered": float(np.isfinite(wait).sum()),
                     "within": float((wait <= channel.service_level.within_s).sum()),
                     "target": channel.service_level.share, "within_s": channel.service_level.within_s,
                     "median_s": float(np.nanmedian(wait)) if np.isfinite(wait).any() else np.nan})
    out = pd.DataFrame(rows, columns=["channel", "n", "answered", "within", "target", "within_s", "median_s"])
    share = wilson(out["within"].to_numpy(float), out["n"].to_numpy(float), confidence)
    return out.assign(value=share.value, low=share.low, high=share.high).drop(columns="within")


def backlog(contacts: pd.DataFrame, channels: Sequence[Channel], start, end) -> pd.DataFrame:
    """Async contacts waiting at each day's end (midnight), per async channel.

    Returns
    -------
    DataFrame
        channel, date, awaiting_response (opened, not yet answered) and open (opened, not yet
        closed; contacts without a closing time count as open).
    """
    days = pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize(), freq="D")
    ends = (days + pd.Timedelta(days=1)).to_numpy()
    frames = []
    for channel in channels:
        mine = contacts[contacts["channel"] == channel.id]
        if channel.kind != "async" or mine.empty:
            continue
        opened = np.sort(mine["opened_at"].to_numpy())
        arrived = np.searchsorted(opened, ends, side="left")
        done = {}
        for column in ("first_response_at", "closed_at"):
            stamps = np.sort(mine[column].dropna().to_numpy()) if column in mine else np.array([], opened.dtype)
            done[column] = np.searchsorted(stamps, ends, side="left")
        frames.append(pd.DataFrame({"channel": channel.id, "date": days.date,
                                    "awaiting_response": arrived - done["first_response_at"],
                                    "open": arrived - done["closed_at"]}))
    return (pd.concat(frames, ignore_index=True) if frames
            else pd.DataFrame(columns=["channel", "date", "awaiting_response", "open"]))


def patience(contacts: pd.DataFrame, channels: Sequence[Channel], confidence: float = 0.95) -> pd.DataFrame:
    """Mean patience of queued customers per queue channel: total time waited over abandonments.

    For exponential patience this is the maximum-likelihood estimate, answered customers' waits
    being censored patience times (Mandelbaum & Zeltyn 2013). The interval is the exact Poisson
    (Garwood) interval of the abandonment count, the total wait held fixed.

    Returns
    -------
    DataFrame
        channel, abandoned (count), waited_s (total seconds waited, answered and abandoned),
        value/low/high (mean patience, seconds). Channels without ``abandoned_at`` for their
        abandoned contacts, or without abandonments, are left out.
    """
    rows = []
    queues = [c for c in channels if c.kind == "queue"] if "abandoned_at" in contacts else []
    contacts = contacts[[c for c in ("channel", *WAIT_COLUMNS) if c in contacts]]
    for channel in queues:
        mine = contacts[contacts["channel"] == channel.id]
        if mine.empty:
            continue
        outcome = waits(mine)
        known = outcome["wait_s"].notna() & (outcome["answered"] | outcome["abandoned"])
        abandoned = float((outcome["abandoned"] & known).sum())
        if not abandoned or (outcome["abandoned"] & ~known).any():
            continue
        rows.append({"channel": channel.id, "abandoned": abandoned,
                     "waited_s": float(outcome.loc[known, "wait_s"].sum())})
    out = pd.DataFrame(rows, columns=["channel", "abandoned", "waited_s"])
    low, high = garwood(out["abandoned"].to_numpy(float), confidence)
    with np.errstate(divide="ignore"):
        return out.assign(value=out["waited_s"] / out["abandoned"], low=out["waited_s"] / high,
                          high=out["waited_s"] / low)
