"""Step 04, accessibility: do we offer the channels customers want, when they want them, staffed right?

:func:`view` joins demand against opening hours, the service customers got per channel and
interval, the agents each interval needs (Erlang A/C for queues, workload for async channels)
against the agents scheduled, what each channel is worth to customers against what it costs,
and channel-shift scenarios, for one set of filters. ``channels`` overrides client.yaml's
channel settings (targets, shrinkage, occupancy cap) for scenario work in the explorer.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis import arrivals, avoidance, channel_shift, service, staffing
from ..config import WEEKDAYS, Channel
from ..i18n import family_key, t
from ..io.workspace import Workspace, in_period, reason_touchpoints
from ..results import Candidate, Effect, Finding, StepResult
from . import REGISTRY, current_state
from .base import Filters, View, apply_filters
from .requires import requires

SPEC = REGISTRY["04_accessibility"]


class Accessibility(View):
    """Everything step 04 shows for one set of filters, each part computed when first used.

    ``out_dir`` is where step 01's saved result is looked for (channel NPS and CES; computed
    here when absent); ``channel_kpis`` given (an explorer redrawing) is used as it is.
    ``channels`` maps channel ids to overrides of their client.yaml settings, e.g.
    ``{"phone": {"shrinkage": 0.3, "service_level": {"share": 0.8, "within_s": 30}}}``.
    """

    SPEC = SPEC

    def __init__(self, ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None,
                 out_dir: str | Path | None = None, channels: Mapping[str, Mapping] | None = None,
                 channel_kpis: pd.DataFrame | None = None):
        super().__init__(ws, filters=filters, lang=lang)
        self.out_dir, self.given_kpis = out_dir, channel_kpis
        self.overrides = dict(channels or {})
        self.channels: list[Channel] = [
            c.model_validate({**c.model_dump(), **self.overrides[c.id]}) if c.id in self.overrides else c
            for c in ws.config.channels]
        self.interval_min = ws.config.staffing_interval_min
        data = apply_filters(ws.tables, filters)
        contacts = data.get("contacts")
        if contacts is not None:
            contacts = in_period(contacts, "opened_at", self.start, self.end)
            if len(contacts):  # a bound neither filters nor client.yaml give: the data's
                self.start = self.start or contacts["opened_at"].min().date()
                self.end = self.end or contacts["opened_at"].max().date()
        journeys = data.get("journeys")
        if journeys is not None:
            journeys = in_period(journeys, "timestamp", self.start, self.end)
        self.scope = {**data, "contacts": contacts, "journeys": journeys}
        self.scope = {k: v for k, v in self.scope.items() if v is not None}
        self.contacts = contacts
        self.grid = dict(interval_min=self.interval_min, start=self.start, end=self.end)

    # --- demand and opening hours ---------------------------------------------------------

    @requires("contacts")
    def demand(self) -> pd.DataFrame:
        """Contacts per channel × weekday × interval, with opening hours
        (:func:`~cxlib.analysis.arrivals.demand_by_interval`).
        """
        return arrivals.demand_by_interval(self.contacts, self.channels, **self.grid)

    @requires("contacts")
    def outside_hours(self) -> pd.DataFrame:
        """Per channel: contacts arriving outside its opening hours, with the share's interval."""
        return arrivals.outside_hours(self.contacts, self.channels)

    @requires("contacts")
    def while_closed(self) -> pd.DataFrame:
        """Use of the async and self-service channels while every queue channel is closed."""
        use = [self.contacts[["channel", "opened_at"]].rename(columns={"opened_at": "at"})]
        journeys = self.scope.get("journeys")
        if journeys is not None and self.web_channel is not None:
            sessions = journeys.groupby("session_id", sort=False)["timestamp"].min()
            use.append(pd.DataFrame({"channel": self.web_channel, "at": sessions.to_numpy()}))
        return arrivals.use_while_queues_closed(pd.concat(use, ignore_index=True), self.channels)

    @cached_property
    def web_channel(self) -> str | None:
        """The channel the journeys' web sessions belong to: the one self-service channel, if only one."""
        web = [c.id for c in self.channels if c.kind == "self-service"]
        return web[0] if len(web) == 1 else None

    @cached_property
    def channel_kpis(self) -> pd.DataFrame:
        """NPS and CES per channel from step 01 (kpi table with a channel column)."""
        return self._baseline[0]

    @property
    def source(self) -> str:
        """Where :attr:`channel_kpis` came from, as a sentence in the view's language."""
        return self._baseline[1]

    @cached_property
    def _baseline(self) -> tuple[pd.DataFrame, str]:
        if self.given_kpis is not None:
            return self.given_kpis, ""
        frame, sentence = current_state.baseline(self.out_dir, self.ws, lang=self.lang, by="channel")
        return frame[frame["kpi"].isin(["nps", "ces"])].reset_index(drop=True), sentence

    @cached_property
    def channel_value(self) -> pd.DataFrame:
        """Per channel: share of contacts, cost per contact, volume, and NPS and CES with their intervals.

        Volume is contacts in the period, or web sessions for the :attr:`web_channel`.
        """
        kpis = self.channel_kpis.pivot(index="channel", columns="kpi", values=["value", "low", "high", "n"])
        kpis.columns = [f"{kpi}_{part}".replace("_value", "") for part, kpi in kpis.columns]
        volume = self.contacts["channel"].value_counts() if self.contacts is not None else pd.Series(dtype=float)
        journeys = self.scope.get("journeys")
        rows = []
        for c in self.channels:
            n = float(volume.get(c.id, 0))
            if c.id == self.web_channel and journeys is not None:
                n = float(journeys["session_id"].nunique())
            rows.append({"channel": c.id, "kind": c.kind, "cost_per_contact": c.cost_per_contact, "volume": n})
        out = pd.DataFrame(rows)
        contacts = out.loc[out["kind"] != "self-service", "volume"].sum()
        out["share"] = np.where(out["kind"] != "self-service", out["volume"] / contacts if contacts else np.nan,
                                np.nan)
        columns = [f"{kpi}{part}" for kpi in ("nps", "ces") for part in ("", "_low", "_high", "_n")]
        return out.merge(kpis.reindex(columns=columns), left_on="channel", right_index=True, how="left")

    # --- service ---------------------------------------------------------------------------

    @requires("contacts.first_response_at")
    def service(self) -> pd.DataFrame:
        """Queue channels: service level, abandonment and ASA per weekday × interval
        (:func:`~cxlib.analysis.service.queue_service`).
        """
        open_rows = self.demand[self.demand["open"]][["channel", "weekday", "slot"]]
        measured = service.queue_service(self.contacts, self.channels, interval_min=self.interval_min)
        return measured.merge(open_rows, on=["channel", "weekday", "slot"])

    @requires("contacts.first_response_at")
    def service_by_channel(self) -> pd.DataFrame:
        """Queue channels: service level, abandonment and ASA over the period."""
        return service.queue_service(self.contacts, self.channels, interval_min=self.interval_min, by=("channel",))

    @requires("contacts.first_response_at")
    def worst(self) -> pd.DataFrame:
        """The intervals furthest below target per queue channel, worst first."""
        worst = service.worst_intervals(self.service)
        return worst.assign(when=[self.when(d, s) for d, s in zip(worst["weekday"], worst["slot"])])

    @requires("contacts.first_response_at")
    def async_service(self) -> pd.DataFrame:
        """Async channels: share of first responses within the target."""
        return service.async_response(self.contacts, self.channels)

    @requires("contacts.first_response_at")
    def backlog(self) -> pd.DataFrame:
        """Async channels: contacts awaiting a response, and open, at each day's end."""
        return service.backlog(self.contacts, self.channels, self.start, self.end)

    @requires("contacts.abandoned_at")
    def patience(self) -> pd.DataFrame:
        """Queue channels: customers' mean patience (seconds) with its interval."""
        return service.patience(self.contacts, self.channels)

    @cached_property
    def patience_s(self) -> dict[str, float]:
        """Mean patience per queue channel where known (those channels are staffed with Erlang A)."""
        return {} if self.patience is None else dict(zip(self.patience["channel"], self.patience["value"]))

    # --- staffing --------------------------------------------------------------------------

    @requires("contacts.handle_time_s")
    def load(self) -> pd.DataFrame:
        """Arrivals and handle time per interval of a typical week (:func:`~cxlib.analysis.staffing.interval_load`)."""
        return staffing.interval_load(self.contacts, self.channels, **self.grid)

    @requires("contacts.handle_time_s")
    def required(self) -> pd.DataFrame:
        """Agents needed per staffed interval (:func:`~cxlib.analysis.staffing.required_staff`)."""
        return staffing.required_staff(self.load, self.channels, interval_min=self.interval_min,
                                       patience=self.patience_s)

    @requires("contacts.handle_time_s")
    def fte(self) -> pd.DataFrame:
        """Required full-time equivalents per channel."""
        return staffing.fte(self.required, interval_min=self.interval_min,
                            fte_hours_per_week=self.config.fte_hours_per_week)

    @requires("contacts.handle_time_s", "staffing")
    def staffing_gaps(self) -> pd.DataFrame:
        """Required against scheduled agents per interval (:func:`~cxlib.analysis.staffing.compare_staffing`)."""
        return staffing.compare_staffing(self.required, self.scope["staffing"], self.channels,
                                         interval_min=self.interval_min, patience=self.patience_s)

    @requires("contacts.handle_time_s", "staffing")
    def staffing_summary(self) -> pd.DataFrame:
        """Per channel in the plan: FTE required and scheduled, agent-hours under and over, their cost
        per year, and the modelled service level with the scheduled and the required agents.
        """
        gaps = self.staffing_gaps
        hours = gaps.assign(under=gaps["gap_hours"].clip(lower=0), over=(-gaps["gap_hours"]).clip(lower=0),
                            planned=gaps["actual"] * self.interval_min / 60,
                            weighted_actual=gaps["actual_service_level"] * gaps["arrivals"],
                            weighted_required=gaps["service_level"] * gaps["arrivals"])
        out = hours.groupby("channel", as_index=False).agg(
            under_hours=("under", "sum"), over_hours=("over", "sum"), planned_hours=("planned", "sum"),
            cost_per_year=("gap_cost_per_year", lambda x: x.sum(min_count=1)), arrivals=("arrivals", "sum"),
            weighted_actual=("weighted_actual", "sum"), weighted_required=("weighted_required", "sum"))
        queue = out["channel"].map({c.id: c.kind == "queue" for c in self.channels})
        out["actual_service_level"] = np.where(queue, out.pop("weighted_actual") / out["arrivals"], np.nan)
        out["required_service_level"] = np.where(queue, out.pop("weighted_required") / out["arrivals"], np.nan)
        fte_hours = self.config.fte_hours_per_week
        out["fte_scheduled"] = out["planned_hours"] / fte_hours
        out = out.merge(self.fte[["channel", "fte"]].rename(columns={"fte": "fte_required"}), on="channel")
        return out.drop(columns="arrivals")

    # --- scenarios -------------------------------------------------------------------------

    @requires("contacts.handle_time_s")
    def shifts(self) -> list[channel_shift.Shift]:
        """The default channel shifts (worded in the view's language) and the client's own."""
        names = self.names
        reasons = self.scope.get("reasons")
        owners = {} if reasons is None or "owner_department" not in reasons else dict(
            zip(reasons["reason"], reasons["owner_department"]))
        defaults = [channel_shift.Shift(**{**s.__dict__, "owner": _text_or_none(owners.get(s.reason)), "name": t(
            "c04.shift", self.lang, share=self.fmt.value(s.share, "share"), source=names.get(s.from_channel),
            reason=s.reason, target=names.get(s.to_channel))})
            for s in channel_shift.default_shifts(self.contacts, self.channels)]
        own = [channel_shift.Shift(s.id, s.name, s.from_channel, s.to_channel, s.share, s.reason, s.owner)
               for s in self.ws.scenarios.channel_shift]
        return defaults + own

    @requires("contacts.handle_time_s")
    def scenarios(self) -> pd.DataFrame:
        """One row per channel shift: moved contacts, FTE, cost and NPS changes, service levels at unchanged staff."""
        nps = self.channel_kpis[self.channel_kpis["kpi"] == "nps"]
        return pd.DataFrame([scenario_row(shift, self.evaluate(shift, nps)) for shift in self.shifts],
                            columns=SCENARIO_COLUMNS)

    @property
    def best_shift(self) -> pd.Series | None:
        """The scenario of :attr:`scenarios` with the lowest cost per year; ``None`` without scenarios."""
        if self.scenarios is None or self.scenarios["cost_per_year"].isna().all():
            return None
        return self.scenarios.loc[self.scenarios["cost_per_year"].idxmin()]

    def evaluate(self, shift: channel_shift.Shift, nps: pd.DataFrame | None = None) -> dict:
        """What ``shift`` changes (:func:`cxlib.analysis.channel_shift.evaluate`) with this view's settings."""
        return channel_shift.evaluate(self.contacts, shift, self.channels, **self.grid,
                                      fte_hours_per_week=self.config.fte_hours_per_week, patience=self.patience_s,
                                      nps=nps, years=self.years or 1.0, before=self.required)

    @cached_property
    def volumes(self) -> pd.Series:
        """Contacts per channel in the view (index: channel id)."""
        return self.contacts["channel"].value_counts()

    @cached_property
    def pricing(self) -> avoidance.StaffModel | None:
        """The staffing of this view's contacts, to price avoided ones; ``None`` without handle times."""
        if self.required is None:
            return None
        return avoidance.StaffModel(self.contacts, self.channels, **self.grid,
                                    fte_hours_per_week=self.config.fte_hours_per_week, patience=self.patience_s,
                                    years=self.years or 1.0, load=self.load, before=self.required,
                                    volumes=self.volumes)

    def avoid(self, remaining: pd.Series) -> dict | None:
        """What avoiding contacts saves (:meth:`cxlib.analysis.avoidance.StaffModel.saving`) with this view's staffing.

        ``remaining`` maps the index of the contacts to the share (0–1) of each that remains;
        contacts it does not name remain whole. ``None`` without handle times.
        """
        if self.pricing is None:
            return None
        positions = self.contacts.index.get_indexer(remaining.index)
        named = positions >= 0
        share = np.ones(len(self.contacts))
        share[positions[named]] = remaining.to_numpy(float)[named]
        return self.pricing.saving(self.pricing.demand(share))

    # --- result ----------------------------------------------------------------------------

    @cached_property
    def candidates(self) -> list[Candidate]:
        """A candidate per channel shift and, with a staffing plan, per queue channel to re-plan."""
        return list(_shift_candidates(self)) + list(_replan_candidates(self))

    def result(self) -> StepResult:
        """Findings, candidates and the tables later steps use: FTE, staffing gaps, scenarios, channel value."""
        return self.step_result(tables={"fte": self.fte, "service_by_channel": self.service_by_channel,
                                        "async_service": self.async_service, "patience": self.patience,
                                        "staffing_summary": self.staffing_summary, "scenarios": self.scenarios,
                                        "channel_value": self.channel_value, "required": self.required})

    def when(self, weekday: int, slot: int) -> str:
        """``Monday 08:00–08:30`` in the view's language."""
        start = arrivals.slot_start([slot, slot + 1], self.interval_min)
        end = "24:00" if slot + 1 == arrivals.slots_per_day(self.interval_min) else start[1]
        return f"{t(family_key('weekday', WEEKDAYS[weekday]), self.lang)} {start[0]}–{end}"


SCENARIO_COLUMNS = ("id", "name", "from_channel", "to_channel", "reason", "share", "owner", "moved_per_year", "fte",
                    "cost_per_year", "nps_points", "nps_low", "nps_high", "fte_from_before", "fte_from_after",
                    "fte_to_before", "fte_to_after", "service_level_from_before", "service_level_from_unchanged",
                    "service_level_to_before", "service_level_to_unchanged")
"""The columns of :attr:`Accessibility.scenarios`, as :func:`scenario_row` gives them."""


def scenario_row(shift: channel_shift.Shift, result: dict) -> dict:
    """One row of :attr:`Accessibility.scenarios`: the scenario and what it changes (``result`` of
    :meth:`Accessibility.evaluate`).
    """
    src, dst = result["channels"].iloc[0], result["channels"].iloc[1]
    effect = result["nps_points"] or (np.nan, np.nan, np.nan)
    return {"id": shift.id, "name": shift.name, "from_channel": shift.from_channel, "to_channel": shift.to_channel,
            "reason": shift.reason, "share": shift.share, "owner": shift.owner,
            "moved_per_year": result["moved_per_year"], "fte": result["fte"], "cost_per_year": result["cost_per_year"],
            "nps_points": effect[0], "nps_low": effect[1], "nps_high": effect[2],
            "fte_from_before": src["fte_before"], "fte_from_after": src["fte_after"],
            "fte_to_before": dst["fte_before"], "fte_to_after": dst["fte_after"],
            "service_level_from_before": src["service_level_before"],
            "service_level_from_unchanged": src["service_level_unchanged"],
            "service_level_to_before": dst["service_level_before"],
            "service_level_to_unchanged": dst["service_level_unchanged"]}


def _text_or_none(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def view(ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None, out_dir: str | Path | None = None,
         channels: Mapping[str, Mapping] | None = None, channel_kpis: pd.DataFrame | None = None) -> Accessibility:
    """Accessibility of workspace ``ws``; see :class:`Accessibility`."""
    return Accessibility(ws, filters=filters, lang=lang, out_dir=out_dir, channels=channels,
                         channel_kpis=channel_kpis)


# --- findings ------------------------------------------------------------------------------

def _service_level(v: Accessibility) -> Iterator[Finding]:
    if v.service is None:
        return
    gaps = v.staffing_gaps
    for cid, rows in v.service.groupby("channel", sort=False):
        target = rows["target"].iloc[0]
        share_met = float(rows["met"].mean())
        worst = v.worst[v.worst["channel"] == cid]
        common = dict(channel=v.names.get(cid, cid), target=v.fmt.value(target, "share"),
                      within=v.fmt.value(rows["within_s"].iloc[0], "seconds"), met=v.fmt.value(share_met, "share"),
                      total=len(rows))
        if worst.empty:
            yield v.finding(f"sl_{cid}", "f04.sl_met", estimate=share_met, **common)
            continue
        w = worst.iloc[0]
        common.update(when=v.when(int(w["weekday"]), int(w["slot"])), worst=v.fmt.value(w["service_level"], "share"),
                      low=v.fmt.value(w["service_level_low"], "share"),
                      high=v.fmt.value(w["service_level_high"], "share"))
        plan = None if gaps is None else gaps[(gaps["channel"] == cid) & (gaps["weekday"] == w["weekday"])
                                              & (gaps["slot"] == w["slot"])]
        if plan is not None and not plan.empty and plan["gap"].iloc[0] > 0:
            p = plan.iloc[0]
            yield v.finding(f"sl_{cid}", "f04.sl_worst_plan", estimate=share_met, count=float(p["gap"]),
                            more=v.fmt.value(p["gap"], "count"), modelled=v.fmt.value(p["service_level"], "share"),
                            **common)
        else:
            yield v.finding(f"sl_{cid}", "f04.sl_worst", estimate=share_met, **common)


def _patience(v: Accessibility) -> Iterator[Finding]:
    if v.patience is None or v.service_by_channel is None:
        return
    abandon = v.service_by_channel.set_index("channel")["abandonment"]
    for row in v.patience.itertuples():
        yield v.finding(f"patience_{row.channel}", "f04.patience", estimate=row, channel=v.names.get(row.channel),
                        value=v.fmt.value(row.value, "seconds"), low=v.fmt.value(row.low, "seconds"),
                        high=v.fmt.value(row.high, "seconds"),
                        abandonment=v.fmt.value(abandon.get(row.channel), "share"))


def _outside(v: Accessibility) -> Iterator[Finding]:
    if v.outside_hours is not None:
        outside = v.outside_hours
        for row in outside[(outside["kind"] == "queue") & (outside["outside"] > 0)].itertuples():
            yield v.finding(f"outside_{row.channel}", "f04.outside", estimate=row, count=row.outside,
                            channel=v.names.get(row.channel), n=v.fmt.value(row.outside, "count"),
                            share=v.fmt.value(row.value, "share"))
    if v.while_closed is not None and (v.while_closed["while_closed"] > 0).any():
        top = v.while_closed.sort_values("value", ascending=False).iloc[0]
        busiest = v.fmt.listing(f"{t(family_key('weekday', WEEKDAYS[d]), v.lang)} {h:02d}:00"
                                for d, h, _ in top["busiest"])
        queues = [v.names.get(c.id, c.id) for c in v.channels if c.kind == "queue"]
        yield v.finding("while_closed", "f04.while_closed", estimate=top, count=len(queues),
                        channel=v.names.get(top["channel"]), queues=v.fmt.listing(queues),
                        share=v.fmt.value(top["value"], "share"), busiest=busiest or "–")


def _async(v: Accessibility) -> Iterator[Finding]:
    if v.async_service is None:
        return
    for row in v.async_service[v.async_service["value"] < v.async_service["target"]].itertuples():
        yield v.finding(f"async_{row.channel}", "f04.async", estimate=row, channel=v.names.get(row.channel),
                        share=v.fmt.value(row.value, "share"), target=v.fmt.value(row.target, "share"),
                        within=v.fmt.value(row.within_s, "seconds"), median=v.fmt.value(row.median_s, "seconds"))


def _staffing(v: Accessibility) -> Iterator[Finding]:
    if v.staffing_summary is None:
        return
    for row in v.staffing_summary.itertuples():
        cost = "" if pd.isna(row.cost_per_year) else t("f04.plan_cost", v.lang, cost=v.fmt.value(row.cost_per_year,
                                                                                                     "currency"))
        yield v.finding(f"plan_{row.channel}", "f04.plan", estimate=row.fte_required - row.fte_scheduled,
                        channel=v.names.get(row.channel), required=v.fmt.number(row.fte_required, 1),
                        scheduled=v.fmt.number(row.fte_scheduled, 1), under=v.fmt.number(row.under_hours, 0),
                        over=v.fmt.number(row.over_hours, 0), cost=cost)


def _value(v: Accessibility) -> Iterator[Finding]:
    value = v.channel_value.dropna(subset=["nps"])
    value = value[value["volume"] > 0]
    if len(value) < 2:
        return
    best, worst = value.loc[value["nps"].idxmax()], value.loc[value["nps"].idxmin()]
    yield v.finding("channel_value", "f04.value", estimate=float(best["nps"] - worst["nps"]),
                    best=v.names.get(best["channel"]), best_nps=v.fmt.value(best["nps"], "points"),
                    best_cost=v.fmt.value(best["cost_per_contact"], "currency"), worst=v.names.get(worst["channel"]),
                    worst_nps=v.fmt.value(worst["nps"], "points"),
                    worst_cost=v.fmt.value(worst["cost_per_contact"], "currency"))


def _best_shift(v: Accessibility) -> Iterator[Finding]:
    best = v.best_shift
    if best is None or best["cost_per_year"] >= 0:
        return
    yield v.finding("best_shift", "f04.shift", estimate=float(best["fte"]), name=best["name"],
                    fte=v.fmt.number(-best["fte"], 1), cost=v.fmt.value(-best["cost_per_year"], "currency"),
                    moved=v.fmt.value(best["moved_per_year"], "count"),
                    nps=v.fmt.value(best["nps_points"], "points_change"))


Accessibility.FINDINGS = (_service_level, _patience, _outside, _async, _staffing, _value, _best_shift)


# --- candidates ----------------------------------------------------------------------------

def _shift_candidates(v: Accessibility) -> Iterator[Candidate]:
    if v.scenarios is None:
        return
    touchpoints = reason_touchpoints(v.scope)
    for row in v.scenarios.itertuples():
        effects = {"fte": Effect(value=row.fte)}
        if not pd.isna(row.cost_per_year):
            effects["cost_per_year"] = Effect(value=row.cost_per_year)
        if not pd.isna(row.nps_points):
            effects["nps_points"] = Effect(value=row.nps_points, low=row.nps_low, high=row.nps_high)
        if not pd.isna(row.service_level_from_unchanged):
            effects["service_level"] = Effect(value=row.service_level_from_unchanged - row.service_level_from_before)
        yield Candidate(id=f"04-shift-{row.id}", name=row.name, area="accessibility", source_step=SPEC.name,
                        mechanism="channel_mix", owner=_text_or_none(row.owner), effects=effects,
                        reach_per_year=row.moved_per_year, touchpoint=touchpoints.get(row.reason))


def _replan_candidates(v: Accessibility) -> Iterator[Candidate]:
    if v.staffing_summary is None:
        return
    for row in v.staffing_summary.itertuples():
        if pd.isna(row.actual_service_level):
            continue
        effects = {"fte": Effect(value=row.fte_required - row.fte_scheduled),
                   "service_level": Effect(value=row.required_service_level - row.actual_service_level)}
        effort = None
        if not pd.isna(row.cost_per_year):
            effects["cost_per_year"] = Effect(value=row.cost_per_year)
            effort = Effect(value=max(row.cost_per_year, 0.0))
        yield Candidate(id=f"04-replan-{row.channel}", name=t("c04.replan", v.lang, channel=v.names.get(row.channel)),
                        area="accessibility", source_step=SPEC.name, mechanism="service_level",
                        owner=None, effects=effects, effort=effort)
