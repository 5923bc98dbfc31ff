"""What avoiding contacts saves: contacts, FTE through the staffing model, and cost per year.

The contacts that remain are staffed again with :mod:`cxlib.analysis.staffing` (Erlang A/C per
interval for queues, workload for async channels) at the handle times of before, so a saving is
not linear in the contacts: a smaller queue loses pooling. Cost is priced per channel with
:func:`cxlib.analysis.channel_shift.channel_cost` (staff where the model covers the channel,
else contacts × cost per contact).

:func:`avoided` does it in one call. :func:`avoided_demand` bins the avoided contacts once and
:func:`saving` staffs what remains, so that one set of contacts can be priced at several
volumes (:meth:`Avoidance.scaled`), e.g. at the bounds of its interval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Channel
from . import staffing
from .channel_shift import channel_cost


@dataclass(frozen=True)
class Avoidance:
    """Avoided demand: ``load`` (channel, weekday, slot, arrivals: mean avoided contacts per interval of
    a typical week) and ``contacts`` (avoided contacts per channel over the period, a Series by channel id).
    """

    load: pd.DataFrame
    contacts: pd.Series

    def scaled(self, factor: float) -> Avoidance:
        """The same demand ``factor`` times as large (arrivals are linear in the contacts)."""
        return Avoidance(self.load.assign(arrivals=self.load["arrivals"] * factor), self.contacts * factor)


def avoided_demand(contacts: pd.DataFrame, remaining: np.ndarray, channels: Sequence[Channel], *,
                   interval_min: int, start, end) -> Avoidance:
    """The demand avoided when each contact remains with weight ``remaining`` (share 0–1; 0 avoids it).

    Only the avoided contacts are binned (:func:`~cxlib.analysis.staffing.interval_load`).
    """
    remaining = np.clip(np.asarray(remaining, dtype=float), 0, 1)
    if len(remaining) != len(contacts):
        raise ValueError("remaining needs one share per contact")
    rows = np.flatnonzero(remaining < 1)
    gone = contacts[["channel", "opened_at"]].iloc[rows].assign(weight=1 - remaining[rows])
    ids = set(gone["channel"].unique())
    touched = [c for c in channels if c.id in ids]
    load = staffing.interval_load(gone, touched, interval_min=interval_min, start=start, end=end)
    return Avoidance(load[[*staffing.KEYS, "arrivals"]], gone.groupby("channel", sort=False)["weight"].sum())


def saving(avoidance: Avoidance, contacts: pd.DataFrame, channels: Sequence[Channel], *, interval_min: int, start,
           end, fte_hours_per_week: float, patience: Mapping[str, float] | None = None, years: float = 1.0,
           load: pd.DataFrame | None = None, before: pd.DataFrame | None = None, volumes: pd.Series | None = None,
           service: bool = False) -> dict:
    """Contacts, FTE and cost per year saved when ``avoidance`` is taken out of ``contacts``.

    Arrivals per interval are linear in the contacts, so the load that remains is the load of
    all contacts less the avoided load. The contacts that remain take as long as before.

    Parameters
    ----------
    avoidance : Avoidance
        From :func:`avoided_demand` of ``contacts``, perhaps scaled.
    contacts : DataFrame
        Contacts in the period (``channel``, ``opened_at``, ``handle_time_s``).
    channels : sequence of Channel
        The client's channels.
    interval_min, start, end, fte_hours_per_week, patience
        As for :mod:`cxlib.analysis.staffing`.
    years : float, default 1
        Length of the period in years.
    load : DataFrame, optional
        :func:`~cxlib.analysis.staffing.interval_load` of all ``contacts``, when already computed.
    before : DataFrame, optional
        :func:`~cxlib.analysis.staffing.required_staff` of ``load``, when already computed.
    volumes : Series, optional
        ``contacts["channel"].value_counts()``, when already counted.
    service : bool, default False
        Also model each touched queue channel's service level before (with the required staff)
        and with the staff unchanged after the contacts are avoided.

    Returns
    -------
    dict
        ``contacts_per_year`` (avoided), ``fte`` and ``cost_per_year`` (after − before, so a
        saving is negative; cost NaN when a touched channel's cost is unknown), and
        ``channels``: per touched channel ``channel``, ``contacts_before``, ``contacts_after``
        (per year), ``fte_before``, ``fte_after``, ``cost_before``, ``cost_after``; with
        ``service``, also ``service_level_before`` and ``service_level_unchanged`` (share 0–1,
        NaN for other than queue channels).
    """
    ids = [c.id for c in channels if c.id in set(avoidance.contacts.index)]
    touched = [c for c in channels if c.id in ids]
    grid = dict(interval_min=interval_min, start=start, end=end)
    load = staffing.interval_load(contacts, touched, **grid) if load is None else load
    load = load[load["channel"].isin(ids)]
    if before is None:
        before = staffing.required_staff(load, touched, interval_min=interval_min, patience=patience)
    before = before[before["channel"].isin(ids)]
    kept_load = load.merge(avoidance.load, on=staffing.KEYS, how="left", suffixes=("", "_avoided"))
    kept_load["arrivals"] = (kept_load["arrivals"] - kept_load.pop("arrivals_avoided").fillna(0.0)).clip(lower=0)
    after = staffing.required_staff(kept_load, touched, interval_min=interval_min, patience=patience)
    fte_kw = dict(interval_min=interval_min, fte_hours_per_week=fte_hours_per_week)
    fte_before = staffing.fte(before, **fte_kw).set_index("channel")["fte"]
    fte_after = staffing.fte(after, **fte_kw).set_index("channel")["fte"]
    table = pd.DataFrame({"channel": ids})
    volumes = contacts["channel"].value_counts() if volumes is None else volumes
    table["contacts_before"] = table["channel"].map(volumes).fillna(0.0) / years
    table["contacts_after"] = table["contacts_before"] - table["channel"].map(avoidance.contacts / years).fillna(0.0)
    table["fte_before"] = table["channel"].map(fte_before).fillna(0.0)
    table["fte_after"] = table["channel"].map(fte_after).fillna(0.0)
    modelled = set(before["channel"])
    for when in ("before", "after"):
        table[f"cost_{when}"] = [channel_cost(c, n, fte, fte_hours_per_week, modelled=c.id in modelled)
                                 for c, n, fte in zip(touched, table[f"contacts_{when}"], table[f"fte_{when}"])]
    if service:
        for column, state in (("service_level_before", load), ("service_level_unchanged", kept_load)):
            levels = staffing.modelled_service(state, before, touched, interval_min=interval_min, patience=patience)
            table[column] = table["channel"].map(levels.set_index("channel")["service_level"]).astype(float)
    return {"contacts_per_year": float((table["contacts_before"] - table["contacts_after"]).sum()),
            "fte": float((table["fte_after"] - table["fte_before"]).sum()),
            "cost_per_year": float((table["cost_after"] - table["cost_before"]).sum(min_count=len(table)))
            if len(table) else 0.0,
            "channels": table}


def avoided(contacts: pd.DataFrame, remaining: np.ndarray, channels: Sequence[Channel], *, interval_min: int,
            start, end, fte_hours_per_week: float, patience: Mapping[str, float] | None = None,
            years: float = 1.0, load: pd.DataFrame | None = None, before: pd.DataFrame | None = None,
            volumes: pd.Series | None = None) -> dict:
    """Contacts, FTE and cost per year saved when each contact remains with weight ``remaining``.

    ``remaining`` gives per contact the share (0–1) of it that remains: 0 avoids it, 1 keeps it.
    The other parameters and the result are those of :func:`saving`.
    """
    grid = dict(interval_min=interval_min, start=start, end=end)
    return saving(avoided_demand(contacts, remaining, channels, **grid), contacts, channels, **grid,
                  fte_hours_per_week=fte_hours_per_week, patience=patience, years=years, load=load,
                  before=before, volumes=volumes)
