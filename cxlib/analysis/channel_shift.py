"""Channel-shift scenarios: move a share of one channel's contacts to another and see what changes.

A scenario moves ``share`` of the contacts of channel ``from_channel`` (of one ``reason`` when
given) to ``to_channel``. Moved contacts keep their arrival times and take the handle time the
target channel has for that reason (its mean for all reasons when it has none); those arriving
while the target is closed arrive at its next opening. Staff before and after come from
:mod:`cxlib.analysis.staffing`, interval by interval, so pooling shows: taking 10 % of a
channel's contacts saves less than 10 % of its agents. Cost follows the staff where the cost of
an agent hour is known, else the contacts at the channel's cost per contact (:func:`channel_cost`).
The NPS effect assumes moved
customers come to rate like the target channel's customers do: the change in overall NPS is the
moved share of all contacts times the difference in the channels' NPS, with the interval from
both channels' intervals (normal approximation, independent channels).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Channel
from ..stats.checks import confidence_z
from . import staffing
from .arrivals import next_opening

DEFAULT_SHARE = 0.30
"""Share 0–1 of the matching contacts a default scenario moves."""
DEFAULT_REASONS = 3
"""How many reasons get a default scenario."""
MIN_DIGITAL_SHARE = 0.20
"""A reason counts as servable in a digital channel when that channel already handles at least this share (0–1)."""


@dataclass(frozen=True)
class Shift:
    """One scenario: move ``share`` (0–1) of ``from_channel``'s contacts (of ``reason``, or all) to ``to_channel``."""

    id: str
    name: str
    from_channel: str
    to_channel: str
    share: float
    reason: str | None = None
    owner: str | None = None


def default_shifts(contacts: pd.DataFrame, channels: Sequence[Channel]) -> list[Shift]:
    """Scenarios for the reasons with the most contacts in the busiest queue channel that a digital
    channel could serve.

    A reason qualifies when an async or self-service channel already handles at least
    :data:`MIN_DIGITAL_SHARE` of its contacts; the scenario moves :data:`DEFAULT_SHARE` of the
    queue channel's contacts of that reason there. ``name`` is left empty for the caller to word.
    """
    kinds = {c.id: c.kind for c in channels}
    queues = contacts[contacts["channel"].map(kinds) == "queue"]
    if queues.empty:
        return []
    source = queues["channel"].value_counts().index[0]
    mix = pd.crosstab(contacts["reason"], contacts["channel"], normalize="index")
    digital = [c for c in mix.columns if kinds.get(c) in ("async", "self-service")]
    if not digital:
        return []
    best = mix[digital].idxmax(axis=1)
    share = mix[digital].max(axis=1)
    volume = queues.loc[queues["channel"] == source, "reason"].value_counts()
    out = []
    for reason in volume.index:
        if share.get(reason, 0) >= MIN_DIGITAL_SHARE:
            out.append(Shift(f"{source}-{best[reason]}-{len(out) + 1}", "", source, best[reason], DEFAULT_SHARE,
                             reason))
        if len(out) == DEFAULT_REASONS:
            break
    return out


def shifted(contacts: pd.DataFrame, shift: Shift, channels: Sequence[Channel]) -> pd.DataFrame:
    """The contacts after ``shift``, with a ``weight`` column (moved rows split between the channels).

    A moved contact arriving while the target channel is closed arrives at its next opening.
    """
    base = contacts.assign(weight=1.0)
    match = (base["channel"] == shift.from_channel).to_numpy()
    if shift.reason is not None:
        match = match & (base["reason"] == shift.reason).to_numpy()
    moved = base[match].assign(channel=shift.to_channel, weight=shift.share)
    target_hours = next(c for c in channels if c.id == shift.to_channel).open_minutes()
    moved["opened_at"] = next_opening(moved["opened_at"], target_hours)
    target = contacts[contacts["channel"] == shift.to_channel]
    aht = target.groupby("reason")["handle_time_s"].mean() if "handle_time_s" in target else pd.Series(dtype=float)
    fallback = target["handle_time_s"].mean() if "handle_time_s" in target else np.nan
    moved["handle_time_s"] = moved["reason"].map(aht).fillna(fallback).to_numpy(float)
    base.loc[match, "weight"] = 1 - shift.share
    return pd.concat([base, moved], ignore_index=True)


def evaluate(contacts: pd.DataFrame, shift: Shift, channels: Sequence[Channel], *, interval_min: int, start, end,
             fte_hours_per_week: float, patience: Mapping[str, float] | None = None,
             nps: pd.DataFrame | None = None, years: float = 1.0, confidence: float = 0.95,
             before: pd.DataFrame | None = None) -> dict:
    """What ``shift`` changes.

    Parameters
    ----------
    contacts : DataFrame
        Contacts in the period.
    shift : Shift
        The scenario.
    channels : sequence of Channel
        The client's channels.
    interval_min, start, end, fte_hours_per_week, patience
        As for :mod:`cxlib.analysis.staffing`.
    nps : DataFrame, optional
        NPS per channel: channel, value, low, high (points −100…100).
    years : float
        Length of the period in years (to give contacts and cost per year).
    confidence : float
        Of the NPS effect's interval (the channels' intervals must be at the same confidence).
    before : DataFrame, optional
        :func:`cxlib.analysis.staffing.required_staff` of ``contacts``, when already computed.

    Returns
    -------
    dict
        ``moved_per_year`` (contacts); ``channels``: a DataFrame with channel, contacts_before,
        contacts_after (per year), fte_before, fte_after, cost_before, cost_after (per year,
        :func:`channel_cost`); and for queue channels service_level_before (modelled with the
        required staff) and service_level_unchanged (after the shift with the staff unchanged);
        ``fte``, ``cost_per_year`` (after − before, summed; NaN when a channel's cost is unknown)
        and ``nps_points`` (value, low, high; ``None`` without the NPS of both channels).
    """
    grid = dict(interval_min=interval_min, start=start, end=end)
    touched = [shift.from_channel, shift.to_channel]
    both = [c for c in channels if c.id in touched]  # only these two channels change
    mine = contacts[contacts["channel"].isin(touched)]
    after_contacts = shifted(mine, shift, channels)
    load_before = staffing.interval_load(mine, both, **grid)
    if before is None:
        before = staffing.required_staff(load_before, both, interval_min=interval_min, patience=patience)
    before = before[before["channel"].isin(touched)]
    load_after = staffing.interval_load(after_contacts, both, **grid)
    after = staffing.required_staff(load_after, both, interval_min=interval_min, patience=patience)
    fte_kw = dict(interval_min=interval_min, fte_hours_per_week=fte_hours_per_week)
    fte_before = staffing.fte(before, **fte_kw).set_index("channel")["fte"]
    fte_after = staffing.fte(after, **fte_kw).set_index("channel")["fte"]
    level_before = staffing.modelled_service(load_before, before, both, interval_min=interval_min,
                                             patience=patience).set_index("channel")
    unchanged = staffing.modelled_service(load_after, before, both, interval_min=interval_min,
                                          patience=patience).set_index("channel")
    by_id = {c.id: c for c in channels}
    volume_before = mine["channel"].value_counts() / years
    volume_after = after_contacts.groupby("channel")["weight"].sum() / years
    table = pd.DataFrame({"channel": touched})
    table["contacts_before"] = table["channel"].map(volume_before).fillna(0.0)
    table["contacts_after"] = table["channel"].map(volume_after).fillna(0.0)
    table["fte_before"] = table["channel"].map(fte_before).fillna(0.0)
    table["fte_after"] = table["channel"].map(fte_after).fillna(0.0)
    # staff prices a channel only where the staffing model covers its contacts both before and after
    modelled_before, modelled_after = set(before["channel"]), set(after["channel"])
    covered = [(n_before == 0 or c in modelled_before) and (n_after == 0 or c in modelled_after)
               for c, n_before, n_after in zip(table["channel"], table["contacts_before"], table["contacts_after"])]
    for when in ("before", "after"):
        table[f"cost_{when}"] = [channel_cost(by_id[c], n, fte, fte_hours_per_week, modelled=m) for c, n, fte, m in zip(
            table["channel"], table[f"contacts_{when}"], table[f"fte_{when}"], covered)]
    table["service_level_before"] = table["channel"].map(level_before["service_level"])
    table["service_level_unchanged"] = table["channel"].map(unchanged["service_level"])
    moved = float(volume_before.get(shift.from_channel, 0.0) - table["contacts_after"].iloc[0])
    return {"moved_per_year": moved, "channels": table,
            "fte": float((table["fte_after"] - table["fte_before"]).sum()),
            "cost_per_year": float((table["cost_after"] - table["cost_before"]).sum(min_count=2)),
            "nps_points": nps_effect(moved / (len(contacts) / years), shift, nps, confidence)}


def channel_cost(channel: Channel, contacts_per_year: float, fte: float, fte_hours_per_week: float, *,
                 modelled: bool = True) -> float:
    """Cost per year of a channel: its staff (FTE × paid hours × cost per agent hour) where the
    agent-hour cost is known, the channel is staffed and ``modelled`` (the staffing model covers
    its contacts: it has a service-level target and handle times), else contacts × cost per contact;
    NaN when neither cost is known.
    """
    if modelled and channel.cost_per_agent_hour is not None and channel.kind in ("queue", "async"):
        return fte * fte_hours_per_week * staffing.WEEKS_PER_YEAR * channel.cost_per_agent_hour
    return np.nan if channel.cost_per_contact is None else contacts_per_year * channel.cost_per_contact


def nps_effect(moved_share: float, shift: Shift, nps: pd.DataFrame | None,
               confidence: float = 0.95) -> tuple[float, float, float] | None:
    """Change in overall NPS (points) when ``moved_share`` (0–1) of all contacts come to rate like
    the target channel: value, low, high; ``None`` without both channels' NPS.
    """
    if nps is None:
        return None
    rows = nps.set_index("channel")
    if not {shift.from_channel, shift.to_channel} <= set(rows.index):
        return None
    a, b = rows.loc[shift.from_channel], rows.loc[shift.to_channel]
    if pd.isna([a["value"], a["low"], a["high"], b["value"], b["low"], b["high"]]).any():
        return None
    z = confidence_z(confidence)
    se = np.hypot((a["high"] - a["low"]) / (2 * z), (b["high"] - b["low"]) / (2 * z))
    value = moved_share * (b["value"] - a["value"])
    return float(value), float(value - z * moved_share * se), float(value + z * moved_share * se)
