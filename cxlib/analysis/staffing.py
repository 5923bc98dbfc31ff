"""Agents needed per interval of a typical week, against the agents scheduled.

Queue channels (phone, chat) are staffed with Erlang A where the customers' patience is known
(:func:`cxlib.analysis.service.patience`) and Erlang C otherwise
(:func:`cxlib.stats.queues.required_agents`): the smallest number of productive agents that
meets the channel's service-level target within its occupancy cap, at least one in every
staffed interval, and ⌈agents / (1 − shrinkage)⌉ scheduled.

Async channels (e-mail, forms, messages) are staffed for their workload: a constant number of
agents works the channel during its staffed hours, at most at the occupancy cap, answering the
contact whose deadline comes first, and the level is the smallest at which all the work of the
typical week is done by its deadline: the response target, or, when no staffed time
falls inside the target (a message sent on Friday night to a channel staffed on weekdays), the
target counted in staffed time from the next opening. Randomness within an interval is ignored (a
fluid model), and deadlines count from the end of the interval a contact arrives in, so a contact
may get up to one interval more than its target: the level is slightly optimistic when the target
is short against the interval (an hour's target in hour-long intervals), and close for the usual
async targets of hours to days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..config import WEEKDAYS, Channel
from ..stats.queues import erlang_a, erlang_c, required_agents, scheduled_agents
from .arrivals import hours_grid, per_date, slot_start, week_cells, week_counts, week_grid

MIN_AHT_N = 30
"""Handled contacts an interval needs for its own mean handle time; fewer use the channel's mean."""
WEEKS_PER_YEAR = 365.25 / 7
KEYS = ["channel", "weekday", "slot"]


def interval_load(contacts: pd.DataFrame, channels: Sequence[Channel], *, interval_min: int, start,
                  end) -> pd.DataFrame:
    """Arrivals and handle time per interval of a typical week, for the queue and async channels.

    Parameters
    ----------
    contacts : DataFrame
        Contacts in the period: ``channel``, ``opened_at``, ``handle_time_s``; an optional
        ``weight`` column counts a row as that many contacts (channel-shift scenarios).
    channels : sequence of Channel
        The client's channels; queue and async ones with contacts are kept.
    interval_min : int
        Interval length, minutes.
    start, end : date-like
        The period, both days inclusive.

    Returns
    -------
    DataFrame
        channel, weekday, slot, interval_start, arrivals (mean contacts per interval: the
        contacts of that weekday and interval over the dates of that weekday), aht_s (mean
        handle time, seconds; the channel's mean below :data:`MIN_AHT_N` handled contacts) and
        staffed (the interval lies in the channel's staffed hours, on a weekday the period
        includes: a period shorter than a week says nothing of the other weekdays).
    """
    grid = week_grid(interval_min)
    contacts = contacts[[c for c in ("channel", "opened_at", "handle_time_s", "weight") if c in contacts]]
    frames = []
    for channel in channels:
        mine = contacts[contacts["channel"] == channel.id]
        if channel.kind not in ("queue", "async") or mine.empty:
            continue
        weight = mine["weight"].to_numpy(float) if "weight" in mine else np.ones(len(mine))
        handle = mine["handle_time_s"].to_numpy(float) if "handle_time_s" in mine else np.full(len(mine), np.nan)
        handled = np.isfinite(handle)
        cells = week_cells(mine["opened_at"], interval_min)
        total = week_counts(cells[handled], interval_min, (weight * handle)[handled])  # weighted handle seconds
        weights = week_counts(cells[handled], interval_min, weight[handled])  # weighted handled contacts
        mean = (weight * handle)[handled].sum() / weight[handled].sum() if weight[handled].sum() > 0 else np.nan
        with np.errstate(invalid="ignore", divide="ignore"):
            aht = np.where(weights >= MIN_AHT_N, total / weights, mean)
        arrivals = per_date(week_counts(cells, interval_min, weight), interval_min, start, end)
        frames.append(pd.DataFrame({
            "channel": channel.id, "weekday": grid[0], "slot": grid[1],
            "interval_start": slot_start(grid[1], interval_min),
            "arrivals": np.nan_to_num(arrivals), "aht_s": aht,
            "staffed": hours_grid(channel.staffed_minutes(), interval_min).ravel() & ~np.isnan(arrivals)}))
    columns = [*KEYS, "interval_start", "arrivals", "aht_s", "staffed"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def required_staff(load: pd.DataFrame, channels: Sequence[Channel], *, interval_min: int,
                   patience: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Agents each staffed interval needs (see the module docstring for the models).

    Parameters
    ----------
    load : DataFrame
        As :func:`interval_load` returns it.
    channels : sequence of Channel
        The client's channels (targets, shrinkage, occupancy caps).
    interval_min : int
        Interval length, minutes.
    patience : mapping of str to float, optional
        Mean patience (seconds) per queue channel; those channels get Erlang A.

    Returns
    -------
    DataFrame
        The staffed rows of ``load`` with model (``erlang_a``, ``erlang_c`` or ``workload``),
        agents (productive; whole agents for queues, a level for async channels), scheduled
        (paid agents: ⌈agents / (1 − shrinkage)⌉ for queues, agents / (1 − shrinkage) for async),
        and for queues the modelled service_level, asa_s, occupancy and abandonment at ``agents``.
    """
    patience = patience or {}
    frames = []
    for channel in channels:
        week = load[load["channel"] == channel.id].sort_values(["weekday", "slot"])
        staff = channel_staff(channel, week["arrivals"].to_numpy(float), week["aht_s"].to_numpy(float),
                              week["staffed"].to_numpy(bool), interval_min=interval_min,
                              patience_s=patience.get(channel.id))
        if staff is not None:
            frames.append(week[staff.pop("staffed")].assign(**staff))
    columns = [*load.columns, "model", "agents", "scheduled", "service_level", "asa_s", "occupancy", "abandonment"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return out.reindex(columns=columns)


def channel_staff(channel: Channel, arrivals: np.ndarray, aht_s: np.ndarray, staffed: np.ndarray, *,
                  interval_min: int, patience_s: float | None = None) -> dict | None:
    """One channel's staffing of a typical week, on arrays (the core of :func:`required_staff`).

    Parameters
    ----------
    channel : Channel
        The channel (target, shrinkage, occupancy cap).
    arrivals, aht_s, staffed : numpy.ndarray
        The channel's full week in weekday, slot order, as :func:`interval_load` gives them.
    interval_min : int
        Interval length, minutes.
    patience_s : float, optional
        Mean patience (seconds) of a queue channel's customers: Erlang A.

    Returns
    -------
    dict or None
        ``staffed`` (the mask of the week's rows staffed) and, over those rows, ``model``,
        ``agents``, ``scheduled``, ``service_level``, ``asa_s``, ``occupancy``, ``abandonment``
        (NaN for async channels); ``None`` when the channel is not staffed by the model (no
        staffed interval, no target or no handle time).
    """
    target = channel.service_level
    if not staffed.any() or target is None or np.isnan(aht_s[staffed]).all():
        return None
    interval_s = interval_min * 60.0
    rows_arrivals, rows_aht = arrivals[staffed], aht_s[staffed]
    if channel.kind == "queue":
        busy = rows_arrivals > 0
        aht = _aht(rows_arrivals, rows_aht)
        need = required_agents(rows_arrivals[busy], interval_s, aht[busy], answer_s=target.within_s,
                               service_level=target.share, max_occupancy=channel.max_occupancy, patience_s=patience_s)
        agents = np.ones(len(rows_arrivals))
        agents[busy] = np.maximum(need.agents, 1)
        state = _queue(rows_arrivals, interval_s, aht, agents, target.within_s, patience_s)
        return {"staffed": staffed, "model": "erlang_c" if patience_s is None else "erlang_a", "agents": agents,
                "scheduled": scheduled_agents(agents, channel.shrinkage), "service_level": state.service_level,
                "asa_s": state.asa_s, "occupancy": state.occupancy, "abandonment": state.abandonment}
    level = _level(arrivals * np.nan_to_num(aht_s), staffed, interval_min, target.within_s, channel.max_occupancy)
    nan = np.full(len(rows_arrivals), np.nan)
    return {"staffed": staffed, "model": "workload", "agents": np.full(len(rows_arrivals), level),
            "scheduled": np.full(len(rows_arrivals), level / (1 - channel.shrinkage)), "service_level": nan,
            "asa_s": nan, "occupancy": nan, "abandonment": nan}


def _aht(arrivals: np.ndarray, aht_s: np.ndarray) -> np.ndarray:
    """Handle times for the queue models; an interval without arrivals has no work, and any positive time serves."""
    return np.where((arrivals > 0) & (aht_s > 0), aht_s, 1.0)


def _queue(arrivals, interval_s, aht_s, agents, answer_s, patience_s):
    """The queue at ``agents``: Erlang A with a patience, else Erlang C (unstable intervals: nothing answered)."""
    if patience_s is not None:
        return erlang_a(arrivals, interval_s, aht_s, agents, answer_s, patience_s)
    traffic = np.asarray(arrivals) * np.asarray(aht_s) / interval_s
    stable = np.asarray(agents) > traffic
    state = erlang_c(np.where(stable, arrivals, 0.0), interval_s, aht_s, np.where(stable, agents, 1), answer_s)
    return type(state)(**{name: np.where(stable, getattr(state, name), fallback) for name, fallback in (
        ("traffic", traffic), ("wait_probability", 1.0), ("service_level", 0.0), ("asa_s", np.inf),
        ("mean_wait_s", np.inf), ("occupancy", 1.0), ("abandonment", 0.0))})


def workload_level(load: pd.DataFrame, interval_min: int, within_s: float, max_occupancy: float) -> float:
    """The constant number of productive agents an async channel needs in its staffed intervals.

    Parameters
    ----------
    load : DataFrame
        One channel's full week from :func:`interval_load` (7 × slots rows, in weekday, slot order).
    interval_min : int
        Interval length, minutes.
    within_s : float
        The response target, seconds.
    max_occupancy : float
        Share 0–1 of staffed time agents may spend on contacts.

    Returns
    -------
    float
        Agents, the smallest level at which all work of the typical week meets its deadline
        (module docstring); 0 without work, ``inf`` without staffed hours.
    """
    frame = load.sort_values(["weekday", "slot"])
    return _level((frame["arrivals"] * frame["aht_s"].fillna(0)).to_numpy(float), frame["staffed"].to_numpy(bool),
                  interval_min, within_s, max_occupancy)


def _level(week_work: np.ndarray, week_staffed: np.ndarray, interval_min: int, within_s: float,
           max_occupancy: float) -> float:
    """:func:`workload_level` of one week's work (agent-seconds per interval) and staffed mask."""
    weeks = 3  # contacts of two weeks, with room in a third for their deadlines
    work = np.tile(week_work, weeks)  # agent-seconds
    staffed = np.tile(week_staffed, weeks)
    if not work.any():
        return 0.0
    if not staffed.any():
        return float("inf")
    interval_s = interval_min * 60.0
    n = len(week_work)
    end = weeks * n
    open_s = np.concatenate([[0.0], np.cumsum(staffed * interval_s)])  # staffed seconds before each slot
    capacity = open_s * max_occupancy  # work one agent can do before each slot, agent-seconds
    slot = np.arange(2 * n)
    by_target = np.minimum(slot + 1 + int(within_s // interval_s), end)
    # no staffed time inside the target: the target counts in staffed time from the next opening
    opening = np.searchsorted(open_s, open_s[slot + 1], side="right") - 1
    by_staffed_time = np.minimum(np.searchsorted(open_s, open_s[opening] + within_s, side="left"), end)
    deadline = np.where(open_s[by_target] > open_s[slot + 1], by_target, by_staffed_time)
    # processor-demand test of earliest-deadline-first: the work arriving from slot s on and due by
    # boundary d must fit in the capacity between them, for every s of the first week and every d. The
    # work due grows only at deadlines while the capacity grows throughout, so only deadlines are tried.
    bounds, column = np.unique(deadline, return_inverse=True)
    later = np.bincount(column[n:], weights=work[n:2 * n], minlength=len(bounds))  # arriving in the second week
    due = np.zeros((n, len(bounds)))
    due[slot[:n], column[:n]] = work[:n]
    need = np.cumsum(np.cumsum(due[::-1], axis=0)[::-1] + later, axis=1)  # [s, d]: arrived from s on, due by d
    room = capacity[bounds][None, :] - capacity[:n, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(need > 1e-9, need / room, 0.0)
    return float(np.max(ratio))


def fte(required: pd.DataFrame, *, interval_min: int, fte_hours_per_week: float) -> pd.DataFrame:
    """Full-time equivalents per channel: scheduled agent-hours of the typical week over the FTE's hours.

    Returns
    -------
    DataFrame
        channel, agent_hours (scheduled, per week) and fte.
    """
    hours = required.assign(agent_hours=required["scheduled"] * interval_min / 60)
    out = hours.groupby("channel", sort=False, as_index=False)["agent_hours"].sum()
    return out.assign(fte=out["agent_hours"] / fte_hours_per_week)


def compare_staffing(required: pd.DataFrame, staffing: pd.DataFrame, channels: Sequence[Channel], *,
                     interval_min: int, patience: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Required against scheduled agents per interval, with what the difference costs.

    Parameters
    ----------
    required : DataFrame
        From :func:`required_staff`.
    staffing : DataFrame
        The staffing table: channel, weekday (mon…sun), interval_start (minutes of the day), agents.
    channels : sequence of Channel
        The client's channels (shrinkage, targets, cost per agent hour).
    interval_min : int
        Interval length, minutes.
    patience : mapping of str to float, optional
        As for :func:`required_staff`.

    Returns
    -------
    DataFrame
        For the channels of ``required`` in ``staffing``: their rows of ``required`` and the
        plan's intervals outside them (agents planned where none are required: scheduled 0, no
        arrivals), in week order, with actual (scheduled agents; 0 where the plan has none), gap
        (required − actual scheduled: positive is understaffed), gap_hours (agent-hours per week),
        gap_cost_per_year (``gap_hours`` priced at the channel's cost per agent hour; NaN without
        one) and, for queues in required intervals, actual_service_level: the model's service
        level with the actual agents after shrinkage.
    """
    plan = staffing.assign(weekday=staffing["weekday"].map({d: i for i, d in enumerate(WEEKDAYS)}),
                           slot=staffing["interval_start"] // interval_min)
    plan = plan[plan["channel"].isin(required["channel"].unique())]
    plan = plan.groupby(KEYS, as_index=False)["agents"].sum().rename(columns={"agents": "actual"})
    mine = required[required["channel"].isin(plan["channel"].unique())]
    out = mine.merge(plan, on=KEYS, how="outer", indicator="found").sort_values(KEYS, ignore_index=True)
    extra = out["found"] == "right_only"
    out["model"] = out["model"].fillna(out["channel"].map(mine.groupby("channel")["model"].first()))
    out.loc[extra, "interval_start"] = slot_start(out.loc[extra, "slot"], interval_min)
    out.loc[extra, ["agents", "scheduled"]] = 0.0
    out["staffed"] = out["staffed"].eq(True)
    out = out.drop(columns="found")
    out["actual"] = out["actual"].fillna(0.0)
    out["gap"] = out["scheduled"] - out["actual"]
    out["gap_hours"] = out["gap"] * interval_min / 60
    by_id = {c.id: c for c in channels}
    rate = out["channel"].map(lambda c: by_id[c].cost_per_agent_hour).astype(float)
    out["gap_cost_per_year"] = out["gap_hours"] * rate * WEEKS_PER_YEAR
    out["actual_service_level"] = np.nan
    patience = patience or {}
    for cid, rows in out[(out["model"] != "workload") & ~extra].groupby("channel"):
        channel = by_id[cid]
        productive = np.floor(rows["actual"].to_numpy() * (1 - channel.shrinkage) + 1e-9)
        arrivals = rows["arrivals"].to_numpy(float)
        state = _queue(arrivals, interval_min * 60.0, _aht(arrivals, rows["aht_s"].to_numpy(float)), productive,
                       channel.service_level.within_s, patience.get(cid))
        out.loc[rows.index, "actual_service_level"] = state.service_level
    return out


def modelled_service(load: pd.DataFrame, agents: pd.DataFrame, channels: Sequence[Channel], *, interval_min: int,
                     patience: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The service level of each queue channel with ``load`` served by given productive ``agents``.

    Parameters
    ----------
    load : DataFrame
        From :func:`interval_load`.
    agents : DataFrame
        channel, weekday, slot and agents (productive) per staffed interval.
    channels, interval_min, patience
        As for :func:`required_staff`.

    Returns
    -------
    DataFrame
        channel, service_level (share 0–1 of the week's arrivals answered within the target,
        the intervals weighted by their arrivals) and abandonment (share 0–1).
    """
    patience = patience or {}
    rows = load.merge(agents[[*KEYS, "agents"]], on=KEYS, how="inner")
    out = []
    for channel in channels:
        mine = rows[rows["channel"] == channel.id]
        if channel.kind != "queue" or channel.service_level is None or mine.empty:
            continue
        level, abandonment = queue_level(channel, mine["arrivals"].to_numpy(float), mine["aht_s"].to_numpy(float),
                                         mine["agents"].to_numpy(float), interval_min=interval_min,
                                         patience_s=patience.get(channel.id))
        out.append({"channel": channel.id, "service_level": level, "abandonment": abandonment})
    return pd.DataFrame(out, columns=["channel", "service_level", "abandonment"])


def queue_level(channel: Channel, arrivals: np.ndarray, aht_s: np.ndarray, agents: np.ndarray, *, interval_min: int,
                patience_s: float | None = None) -> tuple[float, float]:
    """A queue channel's service level and abandonment (shares 0–1, weighted by arrivals) over intervals
    with ``arrivals``, handle times ``aht_s`` and productive ``agents`` (arrays of one row per interval);
    NaN without arrivals.
    """
    state = _queue(arrivals, interval_min * 60.0, _aht(arrivals, aht_s), agents, channel.service_level.within_s,
                   patience_s)
    total = arrivals.sum()
    if not total:
        return np.nan, np.nan
    return float((state.service_level * arrivals).sum() / total), float((state.abandonment * arrivals).sum() / total)
