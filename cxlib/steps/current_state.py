"""Step 01, current state: where are we today?

:func:`view` computes everything the step shows — KPIs overall and per channel, touchpoint and
segment, monthly trends, contact volumes, maturity and the journey map — for one set of
filters; the notebook, its widgets and later steps all use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

import pandas as pd

from ..analysis.journey import journey_map
from ..analysis.maturity import maturity_profile
from ..analysis.metrics import kpi_table
from ..analysis.significance import compare_to_rest
from ..i18n import family_key, kpi_label, t
from ..io.workspace import Workspace, in_period
from ..kpis import KPIS
from ..results import Finding, ForeignResult, MissingResult, StepResult, kpis_from_table, load
from . import REGISTRY
from .base import Filters, View, apply_filters
from .requires import requires

SPEC = REGISTRY["01_current_state"]
#: The channels the findings name, by NPS: the best and the worst (labels ``word.<rank>``).
RANKS = ("best", "worst")


class CurrentState(View):
    """Everything step 01 shows for one set of filters, each part computed when first used.

    KPI parts are long tables (see :func:`cxlib.analysis.metrics.kpi_table`): ``overall``,
    ``by_channel``, ``by_touchpoint``, ``by_segment`` and ``monthly``; :meth:`kpis` gives any
    other cut. Parts whose optional column is missing are ``None`` (:meth:`missing` says what
    they need).
    """

    SPEC = SPEC

    def __init__(self, ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None):
        super().__init__(ws, filters=filters, lang=lang)
        self.data = apply_filters(ws.tables, filters)
        self.scope = {**self.data, "feedback": in_period(self.data["feedback"], "date", self.start, self.end)}

    def kpis(self, by: str | None = None, kpis: list[str] | None = None, feedback_only: bool = False) -> pd.DataFrame:
        """KPIs (all by default) grouped ``by`` a dimension, for this view's filters and period."""
        data = {"feedback": self.data["feedback"]} if feedback_only else self.data
        return kpi_table(data, kpis, by, start=self.start, end=self.end, gross_margin=self.config.gross_margin,
                         discount_rate=self.config.discount_rate)

    @cached_property
    def overall(self) -> pd.DataFrame:
        """Every KPI over the whole view: kpi, value, low, high, n."""
        return self.kpis()

    @cached_property
    def by_channel(self) -> pd.DataFrame:
        """Every KPI per channel."""
        return self.kpis("channel")

    @requires("feedback.touchpoint")
    def by_touchpoint(self) -> pd.DataFrame:
        """Feedback KPIs per touchpoint."""
        return self.kpis("touchpoint", feedback_only=True)

    @requires("feedback.segment")
    def by_segment(self) -> pd.DataFrame:
        """Feedback KPIs per segment."""
        return self.kpis("segment", feedback_only=True)

    @cached_property
    def monthly(self) -> pd.DataFrame:
        """Every KPI per calendar month (``month`` as YYYY-MM)."""
        return self.kpis("month")

    @cached_property
    def volume(self) -> pd.DataFrame:
        """Contacts per month and channel: month, channel, n."""
        return contact_volume(self.data.get("contacts"), self.start, self.end)

    @requires("feedback.touchpoint", "feedback.nps")
    def journey(self) -> pd.DataFrame | None:
        """NPS per touchpoint in journey order (:func:`cxlib.analysis.journey.journey_map`)."""
        return journey_map(self.scope["feedback"], self.config.stages)

    @cached_property
    def maturity(self) -> pd.DataFrame | None:
        """The maturity self-assessment per area, largest gap first; ``None`` without maturity.csv."""
        return maturity_profile(self.data["maturity"]) if "maturity" in self.data else None

    def value(self, kpi: str) -> float | None:
        """The overall value of ``kpi`` (``None`` when not computed)."""
        row = self.overall[self.overall["kpi"] == kpi]
        return None if row.empty else float(row["value"].iloc[0])

    def unit_value(self, kpi: str, x) -> str:
        """``x`` in the unit of ``kpi``, in the view's language and currency."""
        return self.fmt.value(x, KPIS[kpi].unit)

    def result(self) -> StepResult:
        """KPIs overall and per channel; the overall, per-channel, monthly and maturity tables."""
        return self.step_result(
            kpis_from_table(self.overall) + kpis_from_table(self.by_channel, ["channel"]),
            {"overall": self.overall, "by_channel": self.by_channel, "monthly": self.monthly,
             "maturity": self.maturity})


def baseline(out_dir, ws: Workspace, *, lang: str, by: str | None = None) -> tuple[pd.DataFrame, str]:
    """Step 01's KPIs overall (``by=None``) or per channel (``by="channel"``), and a sentence in
    ``lang`` saying where they came from.

    The result step 01 saved in ``out_dir`` is used only when it was computed from this
    workspace's current inputs; otherwise (step 01 not run into ``out_dir``, run for another client
    or on older data) they are computed here with the same view step 01 uses. The frame has the
    columns of a KPI table (``[by,] kpi, value, low, high, n``).
    """
    if by not in (None, "channel"):
        raise ValueError(f"step 01 saves its KPIs overall and per channel; by={by!r} is neither")
    try:
        if out_dir is None:
            raise MissingResult("no report folder given")
        saved = load(out_dir, SPEC.name, workspace=str(ws.root), inputs=ws.fingerprint)
    except MissingResult as exc:
        computed = view(ws, lang=lang)
        key = "baseline.foreign" if isinstance(exc, ForeignResult) else "baseline.computed"
        return (computed.overall if by is None else computed.by_channel), t(key, lang)
    frame = saved.kpi_frame()
    if by is None:
        frame = frame[frame["scope"] == "overall"]
    else:
        frame = frame[frame["scope"].str.startswith(f"{by}:")]
        frame.insert(0, by, frame["scope"].str.removeprefix(f"{by}:"))
    sentence = t("baseline.saved", lang, created=saved.created.strftime("%Y-%m-%d %H:%M"))
    return frame.drop(columns="scope").reset_index(drop=True), sentence


def view(ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None) -> CurrentState:
    """The current state of workspace ``ws`` for ``filters``, in ``lang`` (default: the client's language).

    Only ``feedback`` is required; parts whose table is missing are empty (or ``None``).
    """
    return CurrentState(ws, filters=filters, lang=lang)


def contact_volume(contacts: pd.DataFrame | None, start=None, end=None) -> pd.DataFrame:
    """Contacts per month and channel: columns month ('YYYY-MM'), channel, n."""
    if contacts is None:
        return pd.DataFrame(columns=["month", "channel", "n"])
    c = in_period(contacts, "opened_at", start, end)
    month = c["opened_at"].dt.to_period("M").rename("month")
    out = c.groupby([month, c["channel"]], observed=True).size().rename("n").reset_index()
    return out.assign(month=out["month"].astype(str))


def _overall_nps(v: CurrentState) -> Iterator[Finding]:
    overall = v.overall.set_index("kpi")
    if "nps" in overall.index and overall.loc["nps", "n"] > 0:
        r = overall.loc["nps"]
        yield v.finding("nps_overall", "f01.nps", estimate=r, kpi="nps", count=int(r["n"]),
                        value=v.unit_value("nps", r["value"]), low=v.unit_value("nps", r["low"]),
                        high=v.unit_value("nps", r["high"]))


def _best_and_worst_channel(v: CurrentState) -> Iterator[Finding]:
    """Best and worst channel by NPS, each tested against all other channels' responses in the period,
    Holm-corrected over the channels: the comparison step 03 shows (:func:`compare_to_rest`).
    """
    nps = v.by_channel[(v.by_channel["kpi"] == "nps") & (v.by_channel["n"] > 0)].dropna(subset=["value"])
    if len(nps) < 2:
        return
    tests = compare_to_rest(v.scope["feedback"], "channel").set_index("channel")
    for rank, row in zip(RANKS, (nps.loc[nps["value"].idxmax()], nps.loc[nps["value"].idxmin()])):
        test = tests.loc[row["channel"]]
        key = {"too few": "f01.channel_few", "not significant": "f01.channel_ns"}.get(
            test["verdict"], "f01.channel_sig")
        yield v.finding(f"channel_{rank}", key, estimate=row, kpi="nps", rank=t(family_key("word", rank), v.lang),
                        channel=v.names.get(row["channel"], row["channel"]),
                        value=v.fmt.value(row["value"], "points"),
                        diff=v.fmt.value(test["diff"], "points"), p=v.fmt.p(test["p_adjusted"]))


def _weakest_touchpoint(v: CurrentState) -> Iterator[Finding]:
    if v.journey is not None and v.journey["value"].notna().any():
        worst = v.journey.loc[v.journey["value"].idxmin()]
        yield v.finding("journey_low", "f01.journey_low", estimate=float(worst["value"]), kpi="nps",
                        count=int(worst["n"]), touchpoint=worst["touchpoint"], stage=worst["stage"],
                        value=v.unit_value("nps", worst["value"]))


def _busiest_channel(v: CurrentState) -> Iterator[Finding]:
    if not v.volume.empty:
        per_channel = v.volume.groupby("channel")["n"].sum().sort_values(ascending=False)
        total = int(per_channel.sum())
        share = float(per_channel.iloc[0] / total)
        yield v.finding("volume_top", "f01.volume", estimate=share, total=v.fmt.value(total, "count"),
                        channel=v.names.get(per_channel.index[0], per_channel.index[0]),
                        share=v.fmt.value(share, "share"))


def _service_and_value(v: CurrentState) -> Iterator[Finding]:
    overall = v.overall.set_index("kpi")
    for kpi in ("fcr", "churn_rate", "clv"):
        if kpi in overall.index and pd.notna(overall.loc[kpi, "value"]):
            r = overall.loc[kpi]
            yield v.finding(f"{kpi}_overall", "f01.kpi", estimate=r, kpi=kpi, measure=kpi_label(kpi, v.lang),
                            value=v.unit_value(kpi, r["value"]), low=v.unit_value(kpi, r["low"]),
                            high=v.unit_value(kpi, r["high"]))


def _largest_maturity_gap(v: CurrentState) -> Iterator[Finding]:
    if v.maturity is not None and not v.maturity.empty:
        top = v.maturity.iloc[0]
        yield v.finding("maturity_gap", "f01.maturity", estimate=float(top["gap"]), count=int(top["n"]),
                        area=top["area"], current=v.fmt.value(top["current"], "score"),
                        desired=v.fmt.value(top["desired"], "score"))


CurrentState.FINDINGS = (_overall_nps, _best_and_worst_channel, _weakest_touchpoint, _busiest_channel,
                         _service_and_value, _largest_maturity_gap)
