"""What avoiding contacts saves: contacts, FTE through the staffing model, and cost per year.

The contacts that remain are staffed again with :mod:`cxlib.analysis.staffing` (Erlang A/C per
interval for queues, workload for async channels) at the handle times of before, so a saving is
not linear in the contacts: a smaller queue loses pooling. Cost is priced per channel with
:func:`cxlib.analysis.channel_shift.channel_cost` (staff where the model covers the channel,
else contacts × cost per contact).

A :class:`StaffModel` holds the staffing of all contacts, channel by channel, on the arrays of a
typical week. :meth:`StaffModel.demand` counts the avoided contacts per interval and
:meth:`StaffModel.saving` staffs what remains, so that many sets of contacts, or one set at
several volumes (:meth:`Avoidance.scaled`), are priced without binning or staffing the rest
again. :func:`avoided` does it in one call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..config import Channel
from . import staffing
from .arrivals import per_date, slots_per_day, week_cells
from .channel_shift import channel_cost


@dataclass(frozen=True)
class Avoidance:
    """Avoided demand: ``arrivals`` (per channel id, the mean avoided contacts per interval of a typical
    week, in weekday, slot order) and ``contacts`` (avoided contacts per channel over the period).
    """

    arrivals: Mapping[str, np.ndarray]
    contacts: pd.Series

    def scaled(self, factor: float) -> Avoidance:
        """The same demand ``factor`` times as large (arrivals are linear in the contacts)."""
        return Avoidance({k: v * factor for k, v in self.arrivals.items()}, self.contacts * factor)


@dataclass(frozen=True)
class ChannelWeek:
    """One channel's typical week before anything is avoided (arrays in weekday, slot order).

    ``agents`` are the productive agents the model staffs each staffed interval with, ``fte`` the
    FTE they make, ``modelled`` whether the staffing model covers the channel.
    """

    arrivals: np.ndarray
    aht_s: np.ndarray
    staffed: np.ndarray
    agents: np.ndarray
    fte: float
    modelled: bool


class StaffModel:
    """The staffing of ``contacts`` (in the period), to price avoided contacts.

    Parameters
    ----------
    contacts : DataFrame
        Contacts in the period (``channel``, ``opened_at``, ``handle_time_s``).
    channels : sequence of Channel
        The client's channels.
    interval_min, start, end, fte_hours_per_week, patience
        As for :mod:`cxlib.analysis.staffing`.
    years : float, default 1
        Length of the period in years.
    load, before : DataFrame, optional
        :func:`~cxlib.analysis.staffing.interval_load` of ``contacts`` and its
        :func:`~cxlib.analysis.staffing.required_staff`, when already computed (else computed per
        channel when first needed).
    volumes : Series, optional
        ``contacts["channel"].value_counts()``, when already counted.
    """

    def __init__(self, contacts: pd.DataFrame, channels: Sequence[Channel], *, interval_min: int, start, end,
                 fte_hours_per_week: float, patience: Mapping[str, float] | None = None, years: float = 1.0,
                 load: pd.DataFrame | None = None, before: pd.DataFrame | None = None,
                 volumes: pd.Series | None = None):
        self.contacts, self.channels = contacts, list(channels)
        self.interval_min, self.start, self.end = interval_min, start, end
        self.fte_hours_per_week, self.patience, self.years = fte_hours_per_week, dict(patience or {}), years
        self.load, self.before = load, before
        self.volumes = contacts["channel"].value_counts() if volumes is None else volumes
        self._weeks: dict[str, ChannelWeek] = {}

    def week(self, channel: Channel) -> ChannelWeek:
        """The channel's :class:`ChannelWeek`, computed when first asked for."""
        if channel.id not in self._weeks:
            grid = dict(interval_min=self.interval_min, start=self.start, end=self.end)
            load = (staffing.interval_load(self.contacts[self.contacts["channel"] == channel.id], [channel], **grid)
                    if self.load is None else self.load[self.load["channel"] == channel.id])
            load = load.sort_values(["weekday", "slot"])
            arrivals, aht = load["arrivals"].to_numpy(float), load["aht_s"].to_numpy(float)
            staffed = load["staffed"].to_numpy(bool)
            if self.before is None:
                staff = staffing.channel_staff(channel, arrivals, aht, staffed, interval_min=self.interval_min,
                                               patience_s=self.patience.get(channel.id))
                agents = None if staff is None else staff["agents"]
                scheduled = None if staff is None else staff["scheduled"]
            else:
                mine = self.before[self.before["channel"] == channel.id].sort_values(["weekday", "slot"])
                agents = mine["agents"].to_numpy(float) if len(mine) else None
                scheduled = mine["scheduled"].to_numpy(float)
            modelled = agents is not None
            fte = 0.0 if not modelled else float(scheduled.sum()) * self.interval_min / 60 / self.fte_hours_per_week
            self._weeks[channel.id] = ChannelWeek(arrivals, aht, staffed, agents, fte, modelled)
        return self._weeks[channel.id]

    @cached_property
    def fte(self) -> float:
        """FTE the model needs for all contacts, over the channels it covers."""
        return float(sum(self.week(c).fte for c in self.channels if c.id in self.volumes.index))

    @cached_property
    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Per contact, the position of its channel in ``channels`` (−1 when not one of them) and its
        interval of the week (:func:`~cxlib.analysis.arrivals.week_cells`).
        """
        position = {c.id: i for i, c in enumerate(self.channels)}
        codes, uniques = pd.factorize(self.contacts["channel"])
        of_unique = np.array([position.get(u, -1) for u in uniques] + [-1], dtype=np.int64)
        return of_unique[codes], week_cells(self.contacts["opened_at"], self.interval_min)

    def demand(self, remaining: np.ndarray) -> Avoidance:
        """The demand avoided when each contact remains with weight ``remaining`` (share 0–1; 0 avoids it)."""
        remaining = np.clip(np.asarray(remaining, dtype=float), 0, 1)
        if len(remaining) != len(self.contacts):
            raise ValueError("remaining needs one share per contact")
        rows = np.flatnonzero(remaining < 1)
        return self.demand_of(rows, 1 - remaining[rows])

    def demand_of(self, rows: np.ndarray, share: float | np.ndarray = 1.0) -> Avoidance:
        """The demand avoided when ``share`` (0–1) of each contact at positions ``rows`` goes.

        The avoided shares are counted per channel and interval of the week, and spread over the
        period's dates of each weekday, as :func:`~cxlib.analysis.staffing.interval_load` does.
        """
        channel, cell = self.cells
        rows = np.asarray(rows)
        weights = np.broadcast_to(np.asarray(share, dtype=float), rows.shape)
        known = channel[rows] >= 0
        rows, weights = rows[known], weights[known]
        size = 7 * slots_per_day(self.interval_min)
        counts = np.bincount(channel[rows] * size + cell[rows], weights=weights,
                             minlength=len(self.channels) * size).reshape(len(self.channels), size)
        totals = counts.sum(axis=1)
        arrivals = {c.id: np.nan_to_num(per_date(counts[i], self.interval_min, self.start, self.end))
                    for i, c in enumerate(self.channels) if totals[i] > 0 and c.kind in ("queue", "async")}
        touched = [i for i in range(len(self.channels)) if totals[i] > 0]
        return Avoidance(arrivals, pd.Series(totals[touched], index=[self.channels[i].id for i in touched]))

    def saving(self, avoided: Avoidance, *, service: bool = False) -> dict:
        """Contacts, FTE and cost per year saved when ``avoided`` is taken out of the contacts.

        Arrivals per interval are linear in the contacts, so the load that remains is the load of
        all contacts less the avoided load. The contacts that remain take as long as before.

        Parameters
        ----------
        avoided : Avoidance
            From :meth:`demand`, perhaps scaled.
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
            NaN for other than modelled queue channels).
        """
        rows = []
        for channel in (c for c in self.channels if c.id in avoided.contacts.index):
            week = self.week(channel)
            kept = week.arrivals - avoided.arrivals.get(channel.id, 0.0)
            kept[kept < 1e-9] = 0.0  # all of an interval's contacts avoided, up to rounding: none left
            staff = staffing.channel_staff(channel, kept, week.aht_s, week.staffed, interval_min=self.interval_min,
                                           patience_s=self.patience.get(channel.id))
            fte_after = 0.0 if staff is None else float(
                staff["scheduled"].sum()) * self.interval_min / 60 / self.fte_hours_per_week
            before = float(self.volumes.get(channel.id, 0.0)) / self.years
            row = {"channel": channel.id, "contacts_before": before,
                   "contacts_after": before - float(avoided.contacts[channel.id]) / self.years,
                   "fte_before": week.fte, "fte_after": fte_after}
            for when in ("before", "after"):
                row[f"cost_{when}"] = channel_cost(channel, row[f"contacts_{when}"], row[f"fte_{when}"],
                                                   self.fte_hours_per_week, modelled=week.modelled)
            if service:
                queue = channel.kind == "queue" and week.modelled
                for column, arrivals in (("service_level_before", week.arrivals), ("service_level_unchanged", kept)):
                    row[column] = np.nan if not queue else staffing.queue_level(
                        channel, arrivals[week.staffed], week.aht_s[week.staffed], week.agents,
                        interval_min=self.interval_min, patience_s=self.patience.get(channel.id))[0]
            rows.append(row)
        columns = ["channel", "contacts_before", "contacts_after", "fte_before", "fte_after", "cost_before",
                   "cost_after"] + (["service_level_before", "service_level_unchanged"] if service else [])
        table = pd.DataFrame(rows, columns=columns)
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
    The other parameters are those of :class:`StaffModel`, the result that of :meth:`StaffModel.saving`.
    """
    model = StaffModel(contacts, channels, interval_min=interval_min, start=start, end=end,
                       fte_hours_per_week=fte_hours_per_week, patience=patience, years=years, load=load,
                       before=before, volumes=volumes)
    return model.saving(model.demand(remaining))
