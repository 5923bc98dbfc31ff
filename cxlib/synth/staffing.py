"""The staffing table: the agents a planner scheduled for each interval of a typical week.

The planner of the sample client staffs every weekday alike, from the mean demand of the
weekdays, with a rule of thumb (traffic over 75 % occupancy plus one, before shrinkage), and
takes lunch breaks out of the queues' midday intervals. So Monday mornings, the week's peak, come out
understaffed and Friday afternoons overstaffed, as in many real plans.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..config import WEEKDAYS
from .profiles import DAY_S, N_DAYS, WEEKDAY
from .resources import CH, config

LUNCH = (11 * 60 + 30, 13 * 60)
"""Minutes of the day when a planned agent fewer is at work (lunch breaks)."""


def staffing_table(rng: np.random.Generator, k: dict) -> pa.Table:
    """The ``staffing`` table for contacts ``k`` (as :func:`cxlib.synth.demand.contacts` returns them).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness (rounding of fractional agents).
    k : dict
        Contacts: ``ch`` (channel codes), ``t`` (seconds since 2025-01-01), ``handle`` (seconds).

    Returns
    -------
    pyarrow.Table
        channel, weekday (mon…sun), interval_start (HH:MM) and agents (scheduled, paid) for
        every interval in each channel's staffed hours.
    """
    cfg = config()
    step = cfg.staffing_interval_min
    slots = 24 * 60 // step
    days_per_weekday = np.bincount(WEEKDAY, minlength=7)
    rows: dict[str, list] = {"channel": [], "weekday": [], "interval_start": [], "agents": []}
    for code, cid in enumerate(CH):
        channel = cfg.channel(cid)
        mine = k["ch"] == code
        t = k["t"][mine]
        slot = (t % DAY_S) // 60 // step
        weekday = WEEKDAY[np.minimum(t // DAY_S, N_DAYS - 1)]
        volume = np.bincount(weekday * slots + slot, minlength=7 * slots).reshape(7, slots) / days_per_weekday[:, None]
        aht = float(np.nanmean(np.where(k["handle"][mine] > 0, k["handle"][mine], np.nan)))
        traffic = volume * aht / (step * 60)
        plan = np.vstack([np.repeat(traffic[:5].mean(axis=0, keepdims=True), 5, axis=0), traffic[5:]])
        if channel.kind == "async":  # answered in the staffed hours: the week's work spread over them
            staffed = _staffed(channel.staffed_minutes(), step, slots)
            plan = np.where(staffed, traffic.sum() / max(staffed.sum(), 1), 0.0)
        agents = (plan / 0.75 + (channel.kind == "queue")) / (1 - channel.shrinkage)
        lunch = (np.arange(slots) * step >= LUNCH[0]) & (np.arange(slots) * step < LUNCH[1])
        agents = np.maximum(agents - (lunch[None, :] & (channel.kind == "queue")), 0)
        agents = np.floor(agents + rng.random(agents.shape))  # whole agents, right on average
        for wd, (first, end) in channel.staffed_minutes().items():
            for s in range(first // step, -(-end // step)):
                rows["channel"].append(cid)
                rows["weekday"].append(WEEKDAYS[wd])
                rows["interval_start"].append(f"{s * step // 60:02d}:{s * step % 60:02d}")
                rows["agents"].append(int(max(agents[wd, s], 1 if channel.kind == "queue" else 0)))
    return pa.table(rows)


def _staffed(hours: dict[int, tuple[int, int]], step: int, slots: int) -> np.ndarray:
    """Booleans (weekday, slot): whether the slot is in ``hours``."""
    out = np.zeros((7, slots), bool)
    for wd, (first, end) in hours.items():
        out[wd, first // step:-(-end // step)] = True
    return out
