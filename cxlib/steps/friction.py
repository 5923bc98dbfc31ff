"""Step 05, friction and mobility: where do our processes make things hard for customers, and on mobile?

:func:`view` joins the web funnels (by device, with the mobile gap tested per step), customer
effort per touchpoint against the volume passing it, repeat contacts and channel hopping, and
the contacts customers make after dropping out of a digital journey. The windows (days) come
from client.yaml unless given: ``funnel_window_days``, ``repeat_window_days`` and
``dropout_contact_days``. A session belongs to the period in which it enters its journey.
Savings in staff and cost go through step 04's staffing model
(:meth:`cxlib.steps.accessibility.Accessibility.avoid`).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from functools import cached_property

import numpy as np
import pandas as pd

from ..analysis import effort, funnel, repeats
from ..i18n import family_key, t
from ..io.workspace import Workspace, in_period, reason_touchpoints
from ..results import Candidate, Effect, Finding, StepResult
from ..stats.multitest import ALPHA
from ..stats.nps import MIN_N, nps_difference
from . import REGISTRY, accessibility
from .base import Filters, View, apply_filters
from .requires import requires

SPEC = REGISTRY["05_friction"]
TOP = 3
"""Most candidates of each kind (journey steps, repeat reasons, effort hotspots)."""
EASY_CES = 5
"""Lowest CES answer (1–7) counted as an easy experience."""


class Friction(View):
    """Everything step 05 shows for one set of filters, each part computed when first used.

    The windows are in days; ``None`` takes client.yaml's value.
    """

    SPEC = SPEC
    CHAINS = (("paths", "funnel", "funnel_by_device", "device_gaps", "trend", "dropouts", "dropout_rates"),
              ("staffing.load", "staffing.patience_s", "staffing.required", "effort", "effort_by_device", "flags",
               "repeats_by_reason", "repeats_by_channel", "resolution", "hops"))

    def __init__(self, ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None,
                 funnel_window_days: float | None = None, repeat_window_days: float | None = None,
                 dropout_contact_days: float | None = None):
        super().__init__(ws, filters=filters, lang=lang)
        config = ws.config
        self.funnel_window_days = funnel_window_days or config.funnel_window_days
        self.repeat_window_days = repeat_window_days or config.repeat_window_days
        self.dropout_contact_days = dropout_contact_days or config.dropout_contact_days
        data = apply_filters(ws.tables, filters)
        for name, column in (("contacts", "opened_at"), ("feedback", "date")):
            if name in data:
                data[name] = in_period(data[name], column, self.start, self.end)
        self.scope = data  # journeys whole: a session counts in the period it enters (see paths)
        if self.start is None or self.end is None:  # an open bound: the data's
            stamps = [data[n][c] for n, c in (("journeys", "timestamp"), ("contacts", "opened_at")) if n in data]
            stamps = pd.concat(stamps) if stamps else pd.Series(dtype="datetime64[ns]")
            if stamps.notna().any():
                self.start = self.start or stamps.min().date()
                self.end = self.end or stamps.max().date()
        self.contacts = data.get("contacts")

    # --- funnels ---------------------------------------------------------------------------

    @requires("journeys")
    def steps(self) -> pd.DataFrame:
        """The steps of each journey in order (:func:`~cxlib.analysis.funnel.journey_steps`)."""
        return funnel.journey_steps(self.scope["journeys"])

    @requires("journeys")
    def paths(self) -> pd.DataFrame:
        """Each session's way through its journey (:func:`~cxlib.analysis.funnel.session_paths`), for the
        sessions that enter in the period; their later steps count within the window even after it ends,
        as in product-analytics funnels.
        """
        paths = funnel.session_paths(self.scope["journeys"], window_days=self.funnel_window_days, steps=self.steps)
        return in_period(paths, "entered_at", self.start, self.end)

    @requires("journeys")
    def funnel(self) -> pd.DataFrame:
        """Sessions, conversion and drop-off per journey and step, all devices."""
        return funnel.funnel(self.paths, self.steps)

    @requires("journeys.device")
    def funnel_by_device(self) -> pd.DataFrame:
        """Sessions, conversion and drop-off per journey, device and step."""
        return funnel.funnel(self.paths, self.steps, by="device")

    @requires("journeys.device")
    def device_gaps(self) -> pd.DataFrame:
        """Each device's step conversion against desktop, Holm-tested, with sessions lost per year."""
        return funnel.device_gaps(self.funnel_by_device, years=self.years or 1.0)

    @requires("journeys.device")
    def trend(self) -> pd.DataFrame:
        """Per journey and month: the mobile share of sessions and the mobile gap in conversion."""
        return funnel.monthly_trend(self.paths)

    # --- effort ----------------------------------------------------------------------------

    @requires("feedback.touchpoint", "feedback.ces")
    def effort(self) -> pd.DataFrame:
        """CES and CSAT per touchpoint against its volume, with the hotspot quadrant."""
        return effort.touchpoint_effort(self.scope["feedback"], self.contacts, self.scope.get("reasons"))

    @requires("feedback.device", "feedback.ces")
    def effort_by_device(self) -> pd.DataFrame:
        """CES and CSAT per device."""
        return effort.wide_kpis(self.scope["feedback"], ["ces", "csat"], "device")

    # --- repeats and hops ------------------------------------------------------------------

    @requires("contacts.customer_id")
    def flags(self) -> pd.DataFrame:
        """Per contact: repeat, followed by a repeat, hop (:func:`~cxlib.analysis.repeats.repeat_flags`)."""
        return repeats.repeat_flags(self.contacts, window_days=self.repeat_window_days)

    @requires("contacts.customer_id")
    def repeats_by_reason(self) -> pd.DataFrame:
        """Repeat and hop rates per reason of the first contact, and the handle time the repeats cost."""
        return repeats.repeat_rates(self.contacts, self.flags, by="reason", years=self.years or 1.0)

    @requires("contacts.customer_id")
    def repeats_by_channel(self) -> pd.DataFrame:
        """Repeat and hop rates per channel of the first contact."""
        return repeats.repeat_rates(self.contacts, self.flags, by="channel", years=self.years or 1.0)

    @requires("contacts.customer_id", "contacts.resolved_first_contact")
    def resolution(self) -> pd.DataFrame:
        """First-contact resolution as reported against resolution that held, per channel."""
        return repeats.resolution_held(self.contacts, self.flags)

    @requires("contacts.customer_id", "contacts.resolved_first_contact")
    def resolution_overall(self) -> pd.DataFrame:
        """:attr:`resolution` over all channels (one row)."""
        return repeats.resolution_held(self.contacts.assign(all="all"), self.flags, by="all")

    @requires("contacts.customer_id")
    def hops(self) -> pd.DataFrame:
        """Channel → channel flows of repeats (:func:`~cxlib.analysis.repeats.hop_flows`)."""
        return repeats.hop_flows(self.contacts, self.flags)

    # --- failed digital journeys -----------------------------------------------------------

    @requires("journeys.customer_id", "contacts.customer_id")
    def dropouts(self) -> pd.DataFrame:
        """Dropped sessions of known customers and the contact each made within the window."""
        return funnel.contacts_after_dropout(self.paths, self.contacts, days=self.dropout_contact_days)

    @requires("journeys.customer_id", "contacts.customer_id")
    def dropout_rates(self) -> pd.DataFrame:
        """Per journey, step not reached and device: dropped sessions and the share that contacted."""
        return funnel.dropout_contact_rates(self.dropouts, self.steps, by="device")

    @requires("journeys.customer_id", "contacts.customer_id")
    def dropout_reasons(self) -> pd.DataFrame:
        """Contacts after dropped sessions per journey, reason and channel, most first."""
        made = self.dropouts.dropna(subset=["contact_id"])
        return (made.groupby(["journey", "reason", "channel"]).size().rename("contacts").reset_index()
                .sort_values("contacts", ascending=False, kind="stable").reset_index(drop=True))

    @property
    def windows(self) -> str:
        """The three windows in the view's language, as a sentence for the report."""
        return t("f05.windows", self.lang, funnel=self.fmt.number(self.funnel_window_days, 0),
                 repeat=self.fmt.number(self.repeat_window_days, 0),
                 dropout=self.fmt.number(self.dropout_contact_days, 0))

    # --- other windows ---------------------------------------------------------------------

    WINDOW_PARTS = {
        "funnel_window_days": ("paths", "funnel", "funnel_by_device", "device_gaps", "trend", "dropouts",
                               "dropout_rates", "dropout_reasons"),
        "repeat_window_days": ("flags", "repeats_by_reason", "repeats_by_channel", "resolution",
                               "resolution_overall", "hops"),
        "dropout_contact_days": ("dropouts", "dropout_rates", "dropout_reasons"),
    }
    """The parts that depend on each window; findings and candidates depend on all of them."""

    def with_windows(self, **days: float) -> Friction:
        """The same view with other windows (days; keywords of :attr:`WINDOW_PARTS`), sharing the
        filtered data and every part computed so far that the changed windows do not touch.
        """
        unknown = sorted(set(days) - set(self.WINDOW_PARTS))
        if unknown:
            raise TypeError(f"unknown windows {unknown}; expected some of {sorted(self.WINDOW_PARTS)}")
        other = copy.copy(self)
        changed = [name for name, value in days.items() if value != getattr(self, name)]
        for name in changed:
            setattr(other, name, days[name])
            for part in self.WINDOW_PARTS[name]:
                other.__dict__.pop(part, None)
        if changed:
            other.__dict__.pop("findings", None)
            other.__dict__.pop("candidates", None)
        return other

    # --- savings ---------------------------------------------------------------------------

    @cached_property
    def staffing(self) -> accessibility.Accessibility:
        """Step 04's view of the same data: its staffing model prices avoided contacts.

        It is given this view's filtered tables, so that the tables are not filtered twice, without the
        journeys, which pricing does not use.
        """
        scoped = dataclasses.replace(self.ws, tables={k: v for k, v in self.scope.items() if k != "journeys"})
        return accessibility.view(scoped, filters=self.filters, lang=self.lang)

    def saving(self, remaining: pd.Series) -> dict | None:
        """FTE and cost per year saved when each contact keeps share ``remaining`` (index of the contacts)."""
        return self.staffing.avoid(remaining)

    # --- result ----------------------------------------------------------------------------

    @cached_property
    def candidates(self) -> list[Candidate]:
        """Candidates for the journey steps that lose most on mobile, the reasons repeated most, and the hotspots."""
        return [*_journey_candidates(self), *_repeat_candidates(self), *_effort_candidates(self)]

    def result(self) -> StepResult:
        """Findings, candidates and the tables later steps use.

        Step 06 reads ``failed_journey_contacts``: each contact made after a dropped session, with
        the journey, the step not reached, the device and the contact's channel. The rest of the
        contact is in the contacts table, so the result stays small.
        """
        made = None if self.dropouts is None else self.dropouts.loc[
            self.dropouts["contact_id"].notna(), ["contact_id", "journey", "step", "device", "channel"]]
        return self.step_result(tables={
            "funnel": self.funnel, "device_gaps": self.device_gaps, "effort": self.effort,
            "repeats_by_reason": self.repeats_by_reason, "repeats_by_channel": self.repeats_by_channel,
            "resolution": self.resolution, "hops": self.hops, "dropout_rates": self.dropout_rates,
            "failed_journey_contacts": made})

    def device_name(self, device: str) -> str:
        """The device in the view's language, in lower case for use within a sentence."""
        return t(family_key("device", device), self.lang).lower()


def view(ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None,
         funnel_window_days: float | None = None, repeat_window_days: float | None = None,
         dropout_contact_days: float | None = None) -> Friction:
    """Friction and mobility of workspace ``ws``; see :class:`Friction`."""
    return Friction(ws, filters=filters, lang=lang, funnel_window_days=funnel_window_days,
                    repeat_window_days=repeat_window_days, dropout_contact_days=dropout_contact_days)


def _significant_gaps(v: Friction) -> pd.DataFrame:
    """Mobile steps converting significantly worse than desktop, most lost sessions first."""
    gaps = v.device_gaps
    return gaps[(gaps["device"] == funnel.MOBILE_DEVICE) & (gaps["p_adjusted"] < ALPHA) & (gaps["gap"] < 0)]


def _dropout_rate(v: Friction, journey: str, step: int, device: str) -> pd.Series | None:
    """The row of :attr:`Friction.dropout_rates` for one journey, step and device, if any."""
    if v.dropout_rates is None:
        return None
    rates = v.dropout_rates
    row = rates[(rates["journey"] == journey) & (rates["step"] == step) & (rates["device"] == device)]
    return None if row.empty else row.iloc[0]


def _step_remaining(v: Friction, journey: str, step: int, device: str, recovered: float) -> pd.Series | None:
    """Share of each contact after a drop-out at ``step`` that remains when ``recovered`` sessions stop dropping."""
    if v.dropouts is None:
        return None
    at = v.dropouts[(v.dropouts["journey"] == journey) & (v.dropouts["step"] == step)
                    & (v.dropouts["device"] == device)]
    dropped = v.funnel_by_device
    row = dropped[(dropped["journey"] == journey) & (dropped["step"] == step) & (dropped["device"] == device)]
    if at["contact_id"].isna().all() or row.empty or not row["drop_off"].iloc[0]:
        return None
    keep = 1 - min(recovered / float(row["drop_off"].iloc[0]), 1.0)
    return pd.Series(keep, index=v.contacts.index[at["contact_position"].dropna().to_numpy(int)])


# --- findings ------------------------------------------------------------------------------

def _funnels(v: Friction) -> Iterator[Finding]:
    if v.funnel is None:
        return
    for journey, rows in v.funnel.groupby("journey", sort=False):
        rest = rows[rows["step"] > 1]
        if rest.empty:
            continue
        worst, last = rest.loc[rest["drop_off"].idxmax()], rows.iloc[-1]
        yield v.finding(f"funnel_{journey}", "f05.funnel", estimate={"value": last["from_first"],
                        "low": last["from_first_low"], "high": last["from_first_high"]}, journey=journey,
                        share=v.fmt.value(last["from_first"], "share"), step=worst["step_name"],
                        lost=v.fmt.value(worst["drop_off"], "count"),
                        conversion=v.fmt.value(worst["conversion"], "share"))


def _mobile_gap(v: Friction) -> Iterator[Finding]:
    if v.device_gaps is None:
        return
    gaps = _significant_gaps(v)
    if gaps.empty:
        yield v.finding("mobile_gap", "f05.no_gap")
        return
    for row in gaps.head(2).itertuples():
        mobile = v.funnel_by_device[(v.funnel_by_device["journey"] == row.journey)
                                    & (v.funnel_by_device["step"] == row.step)
                                    & (v.funnel_by_device["device"] == row.device)].iloc[0]
        rate = _dropout_rate(v, row.journey, row.step, row.device)
        called = "" if rate is None or not rate["dropped"] else t(
            "f05.gap_called", v.lang, share=v.fmt.value(rate["value"], "share"),
            days=v.fmt.number(v.dropout_contact_days, 0))
        yield v.finding(f"mobile_gap_{row.journey}_{row.step}", "f05.gap", estimate={
            "value": row.gap, "low": row.gap_low, "high": row.gap_high}, journey=row.journey, step=row.step_name,
            device=v.device_name(row.device), conversion=v.fmt.value(row.conversion, "share"),
            low=v.fmt.value(mobile["conversion_low"], "share"), high=v.fmt.value(mobile["conversion_high"], "share"),
            reference=v.fmt.value(row.reference_conversion, "share"),
            lost=v.fmt.value(row.lost_per_year, "count"), called=called)


def _hotspots(v: Friction) -> Iterator[Finding]:
    if v.effort is None:
        return
    hot = v.effort[v.effort["quadrant"] == effort.QUADRANTS[0]]
    for row in hot.head(2).itertuples():
        contacts = "" if pd.isna(row.contacts) or not row.contacts else t(
            "f05.hotspot_contacts", v.lang, contacts=v.fmt.value(row.contacts, "count"))
        yield v.finding(f"hotspot_{row.touchpoint}", "f05.hotspot", kpi="ces", estimate={
            "value": row.ces, "low": row.ces_low, "high": row.ces_high}, touchpoint=row.touchpoint,
            ces=v.fmt.number(row.ces, 1), low=v.fmt.number(row.ces_low, 1), high=v.fmt.number(row.ces_high, 1),
            cut=v.fmt.number(row.ces_cut, 1), responses=v.fmt.value(row.responses, "count"), contacts=contacts)
    small = v.effort[v.effort["small"]]
    if len(small):
        yield v.finding("effort_small", "f05.effort_small", count=len(small), min=MIN_N,
                        touchpoints=v.fmt.listing(small["touchpoint"]))


def _repeats(v: Friction) -> Iterator[Finding]:
    if v.repeats_by_reason is None or v.repeats_by_reason.empty:
        return
    top = v.repeats_by_reason.iloc[0]
    hours = "" if pd.isna(top["extra_handle_s"]) else t(
        "f05.repeat_hours", v.lang, hours=v.fmt.value(top["extra_handle_s"] / 3600 / (v.years or 1.0), "count"))
    yield v.finding("repeat_reason", "f05.repeat", estimate=top, reason=top["reason"],
                    share=v.fmt.value(top["value"], "share"), low=v.fmt.value(top["low"], "share"),
                    high=v.fmt.value(top["high"], "share"), days=v.fmt.number(v.repeat_window_days, 0),
                    per_year=v.fmt.value(top["repeats_per_year"], "count"), hours=hours)


def _resolution(v: Friction) -> Iterator[Finding]:
    if v.resolution_overall is None or v.resolution_overall.empty:
        return
    row = v.resolution_overall.iloc[0]
    yield v.finding("fcr_not_held", "f05.fcr_not_held", kpi="fcr", estimate={
        "value": row["not_held"], "low": row["not_held_low"], "high": row["not_held_high"]},
        share=v.fmt.value(row["not_held"], "share"), fcr=v.fmt.value(row["fcr"], "share"),
        held=v.fmt.value(row["held"], "share"), days=v.fmt.number(v.repeat_window_days, 0))


def _hops(v: Friction) -> Iterator[Finding]:
    if v.hops is None or not v.hops["hop"].any():
        return
    flows = v.hops
    share = flows.loc[flows["hop"], "repeats"].sum() / flows["repeats"].sum()
    top = flows[flows["hop"]].iloc[0]
    reasons = v.repeats_by_reason[v.repeats_by_reason["contacts"] >= MIN_N]
    worst = reasons.loc[reasons["hop_rate"].idxmax()] if len(reasons) else None
    reason = "" if worst is None else t("f05.hops_reason", v.lang, reason=worst["reason"],
                                        rate=v.fmt.value(worst["hop_rate"], "share"))
    yield v.finding("hops", "f05.hops", estimate=float(share), share=v.fmt.value(share, "share"),
                    source=v.names.get(top["from_channel"], top["from_channel"]),
                    target=v.names.get(top["to_channel"], top["to_channel"]),
                    n=v.fmt.value(top["repeats"] / (v.years or 1.0), "count"), reason=reason)


def _dropout_contacts(v: Friction) -> Iterator[Finding]:
    if v.dropout_rates is None:
        return
    rates = v.dropout_rates[(v.dropout_rates["dropped"] >= MIN_N) & v.dropout_rates["device"].notna()]
    if rates.empty or not rates["contacted"].any():
        return
    top = rates.loc[rates["value"].idxmax()]
    yield v.finding("dropout_contacts", "f05.dropout", estimate=top, journey=top["journey"],
                    step=top["step_name"], device=v.device_name(top["device"]),
                    contacted=v.fmt.value(top["contacted"], "count"), dropped=v.fmt.value(top["dropped"], "count"),
                    share=v.fmt.value(top["value"], "share"), low=v.fmt.value(top["low"], "share"),
                    high=v.fmt.value(top["high"], "share"), days=v.fmt.number(v.dropout_contact_days, 0))


Friction.FINDINGS = (_funnels, _mobile_gap, _hotspots, _repeats, _resolution, _hops, _dropout_contacts)


# --- candidates ----------------------------------------------------------------------------

def _savings(v: Friction, remaining: pd.Series | None, effects: dict[str, Effect]) -> dict[str, Effect]:
    """``effects`` with the FTE and cost per year that avoiding contacts (``remaining``) saves, where known."""
    saved = None if remaining is None or remaining.empty else v.saving(remaining)
    if saved is not None:
        effects["fte"] = Effect(value=saved["fte"])
        if not np.isnan(saved["cost_per_year"]):
            effects["cost_per_year"] = Effect(value=saved["cost_per_year"])
    return effects


def _journey_candidates(v: Friction) -> Iterator[Candidate]:
    if v.device_gaps is None:
        return
    for row in _significant_gaps(v).head(TOP).itertuples():
        effects = {"sessions_recovered_per_year": Effect(value=row.lost_per_year)}
        remaining = _step_remaining(v, row.journey, row.step, row.device, row.lost)
        if remaining is not None:
            effects["contacts_per_year"] = Effect(value=-float((1 - remaining).sum()) / (v.years or 1.0))
        yield Candidate(id=f"05-journey-{row.journey}-{row.step}-{row.device}", area="friction",
                        name=t("c05.journey", v.lang, step=row.step_name, journey=row.journey,
                               device=v.device_name(row.device)),
                        source_step=SPEC.name, mechanism="digital_journey", owner=v.config.journey_owners.get(
                            row.journey), effects=_savings(v, remaining, effects), reach_per_year=row.lost_per_year)


def _repeat_candidates(v: Friction) -> Iterator[Candidate]:
    if v.repeats_by_reason is None:
        return
    reasons = v.scope.get("reasons")
    owners = {} if reasons is None or "owner_department" not in reasons else dict(
        zip(reasons["reason"], reasons["owner_department"]))
    years = v.years or 1.0
    touchpoints = reason_touchpoints(v.scope)
    for row in v.repeats_by_reason[v.repeats_by_reason["followed"] > 0].head(TOP).itertuples():
        repeat = v.flags["repeat"] & (v.contacts["reason"] == row.reason)
        effects = {"contacts_per_year": Effect(value=-row.followed / years, low=-row.high * row.contacts / years,
                                               high=-row.low * row.contacts / years)}
        owner = owners.get(row.reason)
        yield Candidate(id=f"05-repeat-{row.reason}", name=t("c05.repeat", v.lang, reason=row.reason),
                        area="friction", source_step=SPEC.name, mechanism="fcr",
                        owner=None if owner is None or pd.isna(owner) else str(owner),
                        effects=_savings(v, pd.Series(0.0, index=v.contacts.index[repeat]), effects),
                        reach_per_year=row.followed / years, touchpoint=touchpoints.get(row.reason))


def _effort_candidates(v: Friction) -> Iterator[Candidate]:
    if v.effort is None:
        return
    feedback = v.scope["feedback"]
    scores = feedback["nps"].to_numpy(float) if "nps" in feedback else None
    answered = 0 if scores is None else int(np.isfinite(scores).sum())
    owners = _touchpoint_owners(v)
    for row in v.effort[v.effort["quadrant"] == effort.QUADRANTS[0]].head(TOP).itertuples():
        effects = {}
        if answered:
            at = (feedback["touchpoint"] == row.touchpoint).to_numpy()
            ces = feedback["ces"].to_numpy(float)
            easy, hard = scores[at & (ces >= EASY_CES)], scores[at & (ces < EASY_CES)]
            weight = np.isfinite(hard).sum() / answered  # share of all NPS answers that were hard here
            diff = nps_difference(easy, hard)
            if weight and not np.isnan(diff.diff):
                effects["nps_points"] = Effect(value=weight * diff.diff, low=weight * diff.low,
                                               high=weight * diff.high)
        yield Candidate(id=f"05-effort-{row.touchpoint}", name=t("c05.effort", v.lang, touchpoint=row.touchpoint),
                        area="friction", source_step=SPEC.name, mechanism="ces", owner=owners.get(row.touchpoint),
                        effects=effects, reach_per_year=row.responses / (v.years or 1.0), touchpoint=row.touchpoint)


def _touchpoint_owners(v: Friction) -> dict[str, str]:
    """Touchpoint → the department owning most contacts whose reason belongs to it (needs reasons.touchpoint)."""
    reasons = v.scope.get("reasons")
    if reasons is None or v.contacts is None or not {"touchpoint", "owner_department"} <= set(reasons):
        return {}
    counted = v.contacts["reason"].value_counts().rename("contacts")
    table = reasons.dropna(subset=["touchpoint", "owner_department"]).merge(counted, left_on="reason",
                                                                            right_index=True)
    by = table.groupby(["touchpoint", "owner_department"])["contacts"].sum().reset_index()
    by = by.sort_values(["touchpoint", "contacts"], ascending=[True, False]).drop_duplicates("touchpoint")
    return dict(zip(by["touchpoint"], by["owner_department"].astype(str)))
