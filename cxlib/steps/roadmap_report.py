"""Step 08, roadmap report: is everyone on board?

:func:`view` reads only what steps 01–07 saved in ``out_dir`` and turns it into the deliverable:
the three answers (where are we, where do we want to be, how do we get there) built from the
steps' own findings, one shared KPI dashboard with targets, trends and owners
(:mod:`cxlib.analysis.dashboard`), a RACI of the roadmap's initiatives across the departments
(:mod:`cxlib.analysis.raci`, with the workshop's edits in ``workshop/raci.yaml`` on top), the
roadmap with the KPI each initiative should move, and an appendix of every finding.
Nothing is computed from the raw tables here, so the report says what the steps measured.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..analysis import dashboard, raci
from ..i18n import kpi_label, t, t_n
from ..io.workshop import RaciInputs, load_raci
from ..io.workspace import Workspace
from ..kpis import KPIS
from ..results import Finding, StepResult
from . import REGISTRY
from .base import Filters, View, saved_results

SPEC = REGISTRY["08_roadmap_report"]
QUESTIONS = ("now", "target", "route")
"""The three questions of a CX strategy: where are we, where do we want to be, how do we get there."""
EFFECT_KPIS = {"nps_points": "nps", "customers_retained_per_year": "churn_rate",
               "contacts_per_year": "contacts_per_1000_customers"}
"""The KPI an initiative's measured effect moves (effect id of step 07's list → KPI id)."""


@dataclass(frozen=True)
class Pick:
    """Which saved findings answer a question: those of ``step`` whose id starts with ``prefix``,
    the first ``count`` in the step's order, or the ``count`` with the lowest value (``lowest``).
    """

    step: str
    prefix: str
    count: int = 1
    lowest: bool = False


ANSWERS: dict[str, tuple[Pick, ...]] = {
    "now": (Pick("01_current_state", "nps_overall"), Pick("03_insight", "driver_top"),
            Pick("04_accessibility", "sl_", lowest=True), Pick("05_friction", "funnel_", lowest=True),
            Pick("06_unnecessary_demand", "failure_share")),
    "target": (Pick("02_desired_state", "gap_", count=2), Pick("02_desired_state", "met")),
    "route": (Pick("07_prioritisation", "portfolio"), Pick("07_prioritisation", "stable_top"),
              Pick("07_prioritisation", "quick_wins")),
}
"""The findings each answer is made of: 3–5 key numbers with their intervals, in the steps' own sentences."""


class RoadmapReport(View):
    """Everything step 08 shows, each part computed when first used; ``raci_inputs`` given replaces the saved edits."""

    SPEC = SPEC

    def __init__(self, ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None,
                 out_dir: str | Path | None = None, raci_inputs: RaciInputs | None = None):
        super().__init__(ws, filters=filters, lang=lang)
        self.out_dir = out_dir
        self.scope = ws.tables
        self.departments = {d.id: d.name for d in ws.config.departments}
        self.raci_inputs = raci_inputs if raci_inputs is not None else load_raci(ws.root, self.departments)
        self.names = {**self.names, **self.departments}

    SHARED = ("saved", "answers", "dashboard", "roadmap", "appendix")
    """The parts that the workshop's RACI edits do not change."""

    def with_raci(self, raci_inputs: RaciInputs) -> RoadmapReport:
        """The same view with other RACI edits, sharing every part computed so far that they do not change."""
        return self.variant(self.SHARED, raci_inputs=raci_inputs)

    @cached_property
    def saved(self) -> dict[str, StepResult | None]:
        """The saved result of each of steps 01–07, ``None`` where it has not run on these inputs into ``out_dir``."""
        return saved_results(self.out_dir, self.ws, SPEC.reads)

    @property
    def missing_steps(self) -> list[str]:
        """The steps without a saved result, whose parts of the report are left out."""
        return [step for step, result in self.saved.items() if result is None]

    @property
    def source(self) -> str:
        """Which saved results the report is made of, as a sentence in the view's language."""
        missing = [t(REGISTRY[s].title_key, self.lang) for s in self.missing_steps]
        if not missing:
            return t("f08.source_all", self.lang)
        return t_n("f08.source_missing", len(missing), self.lang, steps=", ".join(missing))

    def table(self, step: str, name: str) -> pd.DataFrame | None:
        """Table ``name`` that ``step`` saved; ``None`` when the step has no result or saved no such table."""
        result = self.saved.get(step)
        return result.table(name) if result is not None and name in result.tables else None

    # --- the three answers ---------------------------------------------------------------------

    @cached_property
    def answers(self) -> pd.DataFrame:
        """The findings that answer each question: question, step, id, text, kpi, value, low, high, in order."""
        rows = []
        for question, picks in ANSWERS.items():
            for pick in picks:
                rows += [{"question": question, "step": pick.step, **f.model_dump()} for f in self._picked(pick)]
        return pd.DataFrame(rows, columns=["question", "step", "id", "text", "kpi", "value", "low", "high"])

    def _picked(self, pick: Pick) -> list[Finding]:
        result = self.saved.get(pick.step)
        found = [f for f in (result.findings if result else []) if f.id.startswith(pick.prefix)]
        if pick.lowest:
            found = sorted((f for f in found if f.value is not None), key=lambda f: f.value)
        return found[:pick.count]

    def answer(self, question: str) -> str:
        """The paragraph answering ``question`` (one of :data:`QUESTIONS`): its findings' sentences, or why there
        is none.
        """
        return answer_text(self.answers, question, self.lang)

    # --- the shared dashboard ------------------------------------------------------------------

    @cached_property
    def dashboard(self) -> pd.DataFrame | None:
        """The shared KPI dashboard (:func:`cxlib.analysis.dashboard.kpi_dashboard`) of step 01's headline KPIs and
        every KPI step 02 set a target for; ``None`` without step 01's result.
        """
        overall, monthly = self.table("01_current_state", "overall"), self.table("01_current_state", "monthly")
        if overall is None:
            return None
        gaps = self.table("02_desired_state", "kpi_gaps")
        gaps = gaps if gaps is not None else pd.DataFrame(columns=["kpi", "target", "gap", "status"])
        kpis = [*REGISTRY["01_current_state"].headline_kpis, *gaps["kpi"]]
        monthly = monthly if monthly is not None else pd.DataFrame(columns=["month", "kpi", "value"])
        return dashboard.kpi_dashboard(overall, gaps, monthly, kpis, self.config.kpi_owners)

    def department_dashboard(self, department: str) -> pd.DataFrame | None:
        """The dashboard rows of the KPIs ``department`` answers for; ``None`` without a dashboard."""
        return None if self.dashboard is None else dashboard.for_department(self.dashboard, department)

    # --- the roadmap and who owns it -----------------------------------------------------------

    @cached_property
    def roadmap(self) -> pd.DataFrame | None:
        """Step 07's roadmap with the KPIs each initiative should move (``kpis``: ids, its measured effects' KPIs,
        or the KPI it acts through); ``None`` without step 07's roadmap.
        """
        plan, listed = self.table("07_prioritisation", "roadmap"), self.table("07_prioritisation", "initiatives")
        if plan is None or listed is None:
            return None
        moves = {row["id"]: _kpis_moved(row) for row in listed.to_dict("records")}
        return plan.assign(kpis=[moves.get(i, []) for i in plan["id"]])

    @cached_property
    def raci(self) -> pd.DataFrame | None:
        """The RACI of the roadmap's initiatives in long form (:data:`cxlib.analysis.raci.COLUMNS`): the defaults
        with the workshop's edits of initiatives still on the roadmap; ``None`` without a roadmap.
        """
        if self.roadmap is None:
            return None
        listed = self.table("07_prioritisation", "initiatives")
        on_roadmap = listed.set_index("id").loc[list(self.roadmap["id"])].reset_index()
        acted_on = listed[["id", "owner", "touchpoint"]]
        reasons = self.ws.tables.get("reasons")
        if reasons is not None and {"owner_department", "touchpoint"} <= set(reasons.columns):
            acted_on = pd.concat([acted_on, reasons.rename(columns={"reason": "id", "owner_department": "owner"})[
                ["id", "owner", "touchpoint"]]], ignore_index=True)
        defaults = raci.default_raci(on_roadmap, acted_on, self.departments)
        edits = {i: cells for i, cells in self.raci_inputs.initiatives.items() if i in set(defaults["initiative"])}
        return raci.with_edits(defaults, edits)

    @property
    def stale_edits(self) -> str | None:
        """A sentence naming the initiatives the workshop edited that are no longer on the roadmap (their edits are
        kept in ``workshop/raci.yaml``, not shown); ``None`` when there are none.
        """
        shown = set() if self.raci is None else set(self.raci["initiative"])
        stale = [i for i in self.raci_inputs.initiatives if i not in shown]
        return t_n("f08.stale_edits", len(stale), self.lang, ids=", ".join(stale)) if stale else None

    @cached_property
    def raci_matrix(self) -> pd.DataFrame | None:
        """The RACI as a matrix: ``initiative`` (its name), then one column per department (by name)."""
        if self.raci is None:
            return None
        names = dict(zip(self.roadmap["id"], self.roadmap["name"]))
        wide = raci.matrix(self.raci).rename(columns=self.departments).rename_axis(columns=None)
        return wide.rename(index=names).rename_axis(index="initiative").reset_index()

    @cached_property
    def accountable(self) -> dict[str, list[str]] | None:
        """Department id → the names of the roadmap's initiatives it is accountable for."""
        if self.raci is None:
            return None
        names = dict(zip(self.roadmap["id"], self.roadmap["name"]))
        return {d: [names[i] for i in ids] for d, ids in raci.accountable_for(self.raci).items()}

    @cached_property
    def department_table(self) -> pd.DataFrame | None:
        """Each department's part: department id and name, the KPIs it answers for (ids) and the initiatives it is
        accountable for (names, ``; `` between them); ``None`` when there is neither a dashboard nor a RACI.
        """
        if self.dashboard is None and self.accountable is None:
            return None
        accountable = self.accountable or {}
        departments = list(dict.fromkeys([*self.departments, *accountable]))
        return pd.DataFrame({
            "department": departments,
            "name": [self.departments.get(d, d) for d in departments],
            "kpis": [[] if self.dashboard is None else list(self.department_dashboard(d)["kpi"]) for d in departments],
            "initiatives": ["; ".join(accountable.get(d, [])) or None for d in departments]})

    # --- the appendix --------------------------------------------------------------------------

    @cached_property
    def appendix(self) -> pd.DataFrame:
        """Every finding of steps 01–07, grouped by step in the steps' order: step, id, text."""
        rows = [{"step": step, "id": f.id, "text": f.text}
                for step, result in self.saved.items() if result is not None for f in result.findings]
        return pd.DataFrame(rows, columns=["step", "id", "text"])

    def result(self) -> StepResult:
        """Findings and what the exports use: the three answers, the dashboard, the RACI (long and as a matrix),
        the roadmap and each department's part.
        """
        return self.step_result(tables={"answers": self.answers, "dashboard": self.dashboard, "raci": self.raci,
                                        "raci_matrix": self.raci_matrix, "roadmap": self.roadmap,
                                        "departments": self.department_table})


def answer_text(answers: pd.DataFrame, question: str, lang: str) -> str:
    """The paragraph answering ``question`` (one of :data:`QUESTIONS`) from an answers table
    (:attr:`RoadmapReport.answers`, or the one step 08 saved): its findings' sentences, or why there is none.

    Raises
    ------
    ValueError
        If ``question`` is not one of :data:`QUESTIONS`.
    """
    if question not in QUESTIONS:
        raise ValueError(f"question must be one of {', '.join(QUESTIONS)}; got {question!r}")
    texts = list(answers.loc[answers["question"] == question, "text"]) if len(answers) else []
    return " ".join(texts) if texts else t("f08.no_answer", lang)


def department_names(roadmap_report: StepResult | None) -> dict[str, str]:
    """Department id → name, from step 08's saved ``departments`` table (empty without it)."""
    if roadmap_report is None or "departments" not in roadmap_report.tables:
        return {}
    departments = roadmap_report.table("departments")
    return dict(zip(departments["department"], departments["name"]))


def _kpis_moved(initiative: dict) -> list[str]:
    """The KPIs an initiative of step 07's list should move: its measured effects', then the KPI it acts through."""
    moved = [kpi for effect, kpi in EFFECT_KPIS.items() if pd.notna(initiative.get(effect))]
    mechanism = initiative.get("mechanism")
    if isinstance(mechanism, str) and mechanism in KPIS and mechanism not in moved:
        moved.append(mechanism)
    return moved


def view(ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None, out_dir: str | Path | None = None,
         raci_inputs: RaciInputs | None = None) -> RoadmapReport:
    """The roadmap report of workspace ``ws`` from the results saved in ``out_dir``; see :class:`RoadmapReport`."""
    return RoadmapReport(ws, filters=filters, lang=lang, out_dir=out_dir, raci_inputs=raci_inputs)


# --- findings ------------------------------------------------------------------------------

def _accountable(v: RoadmapReport) -> Iterator[Finding]:
    if v.accountable:
        counts = sorted(((len(names), v.departments.get(d, d)) for d, names in v.accountable.items() if names),
                        key=lambda pair: (-pair[0], pair[1]))
        listing = ", ".join(f"{name} {n}" for n, name in counts)
        yield v.finding("accountable", "f08.accountable", estimate=float(len(counts)), count=len(counts),
                        departments=listing)


def _without_accountable(v: RoadmapReport) -> Iterator[Finding]:
    if v.raci is not None:
        broken = raci.problems(v.raci)
        if len(broken):
            names = dict(zip(v.roadmap["id"], v.roadmap["name"]))
            yield v.finding("raci_problems", "f08.raci_problems", estimate=float(len(broken)), count=len(broken),
                            names="; ".join(names[i] for i in broken["initiative"]))


def _kpis_without_owner(v: RoadmapReport) -> Iterator[Finding]:
    if v.dashboard is not None and len(v.dashboard):
        orphans = v.dashboard[v.dashboard["owner"].isna()]
        if len(orphans):
            yield v.finding("kpi_owners", "f08.kpi_owners", estimate=float(len(orphans)), count=len(orphans),
                            kpis=", ".join(kpi_label(k, v.lang) for k in orphans["kpi"]))


def _open_gaps(v: RoadmapReport) -> Iterator[Finding]:
    if v.dashboard is not None:
        open_gaps = v.dashboard[v.dashboard["status"] == "open"]
        with_target = int(v.dashboard["target"].notna().sum())
        if with_target:
            yield v.finding("open_gaps", "f08.open_gaps", estimate=float(len(open_gaps)), count=with_target,
                            open=len(open_gaps))


RoadmapReport.FINDINGS = (_open_gaps, _accountable, _without_accountable, _kpis_without_owner)
