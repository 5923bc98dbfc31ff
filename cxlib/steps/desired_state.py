"""Step 02, desired state: where do we want to be, and how far is it?

Gaps are target − current, signed so that a positive gap is improvement still needed, and
honest about uncertainty: a target inside the current value's 95 % interval is reported
as "met within the uncertainty" rather than as a gap or a success.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..analysis.maturity import maturity_profile
from ..analysis.metrics import Estimate, gap
from ..i18n import kpi_label
from ..io.workshop import DesiredInputs, effective_desired, load_desired
from ..io.workspace import Workspace
from ..kpis import KPIS
from ..results import Finding, StepResult, kpis_from_table
from . import REGISTRY, current_state
from .base import Filters, View

SPEC = REGISTRY["02_desired_state"]
#: The ``status`` of a gap (:func:`gap_table`), each with a label ``gap.<status>``.
GAP_STATUSES = ("met", "within_ci", "open")


class DesiredState(View):
    """Gap tables for KPIs and maturity against the targets in force, plus findings.

    The current KPIs come from step 01's saved result in ``out_dir`` when it was computed from
    this workspace's inputs, else they are computed here (:attr:`source` says which). The targets
    in force are client.yaml's with the workshop's saved edits on top (``inputs`` overrides both);
    ``current`` given (a widget redrawing with other targets) is used as it is, with no source sentence.
    """

    SPEC = SPEC

    def __init__(self, ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None,
                 out_dir: str | Path | None = None, inputs: DesiredInputs | None = None,
                 current: pd.DataFrame | None = None):
        super().__init__(ws, filters=filters, lang=lang)
        self.out_dir, self.maturity = out_dir, ws.tables.get("maturity")
        self.scope = ws.tables
        self.inputs = inputs or effective_desired(ws.config.targets, self.maturity, load_desired(ws.root))
        self.given_current = current

    @cached_property
    def _current(self) -> tuple[pd.DataFrame, str]:
        if self.given_current is not None:
            return self.given_current, ""
        return current_state.baseline(self.out_dir, self.ws, lang=self.lang)

    @property
    def current(self) -> pd.DataFrame:
        """Overall current KPIs (kpi, value, low, high, n)."""
        return self._current[0]

    @property
    def source(self) -> str:
        """Where :attr:`current` came from, as a sentence in the view's language."""
        return self._current[1]

    @cached_property
    def kpi_gaps(self) -> pd.DataFrame:
        """One row per KPI with a target (:func:`gap_table`)."""
        return gap_table(self.current, self.inputs.targets, lang=self.lang)

    @cached_property
    def maturity_gaps(self) -> pd.DataFrame | None:
        """Maturity per area against the desired level in force; ``None`` without maturity.csv."""
        return maturity_profile(self.maturity, self.inputs.maturity) if self.maturity is not None else None

    def result(self) -> StepResult:
        """The current KPIs used; the KPI and maturity gap tables."""
        return self.step_result(kpis_from_table(self.current),
                                {"kpi_gaps": self.kpi_gaps, "maturity_gaps": self.maturity_gaps})


def view(ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None, out_dir: str | Path | None = None,
         inputs: DesiredInputs | None = None, current: pd.DataFrame | None = None) -> DesiredState:
    """The desired state of workspace ``ws``; see :class:`DesiredState`."""
    return DesiredState(ws, filters=filters, lang=lang, out_dir=out_dir, inputs=inputs, current=current)


def gap_table(current: pd.DataFrame, targets: dict[str, float], *, lang: str) -> pd.DataFrame:
    """One row per KPI with a target: current value and interval, target, gap and status.

    ``current`` is a long KPI table (kpi, value, low, high, n) for one scope. ``gap_share``
    is the gap as a share of the KPI's scale (bounded KPIs: its range, e.g. 200 NPS points;
    unbounded ones such as seconds: the target), so that gaps in different units can be
    ranked; ``rank`` 1 is the largest. ``status`` is ``met``, ``within_ci`` or ``open``.
    """
    rows = []
    cur = current.set_index("kpi")
    for kpi, target in targets.items():
        if kpi not in cur.index or pd.isna(cur.loc[kpi, "value"]):
            continue
        r, spec = cur.loc[kpi], KPIS[kpi]
        est = Estimate(float(r["value"]), _opt(r["low"]), _opt(r["high"]), int(r["n"]))
        g = gap(est, target, spec.better)
        scale = (spec.hi - spec.lo) if spec.hi is not None and spec.lo is not None else abs(target) or 1.0
        status = "met" if g.met else ("within_ci" if g.met_within_ci else "open")
        rows.append(dict(kpi=kpi, label=kpi_label(kpi, lang), unit=spec.unit, current=est.value, low=est.low,
                         high=est.high, n=est.n, target=target, gap=g.gap, gap_share=g.gap / scale, status=status))
    out = pd.DataFrame(rows, columns=["kpi", "label", "unit", "current", "low", "high", "n", "target", "gap",
                                      "gap_share", "status"])
    out = out.sort_values("gap_share", ascending=False, ignore_index=True)
    out["rank"] = range(1, len(out) + 1)
    return out


def _opt(x) -> float | None:
    return None if pd.isna(x) else float(x)


def _largest_gaps(v: DesiredState) -> Iterator[Finding]:
    g = v.kpi_gaps
    for row in g[g["status"] == "open"].head(3).itertuples():
        yield v.finding(f"gap_{row.kpi}", "f02.gap", estimate=row.gap, kpi=row.kpi, rank=row.rank, measure=row.label,
                        current=v.fmt.value(row.current, row.unit), target=v.fmt.value(row.target, row.unit),
                        share=v.fmt.value(row.gap_share, "share"))


def _met(v: DesiredState) -> Iterator[Finding]:
    g = v.kpi_gaps
    within = g.loc[g["status"] == "within_ci", "label"].tolist()
    if within:
        yield v.finding("within_ci", "f02.within_ci", kpis=", ".join(within))
    met = g.loc[g["status"] == "met", "label"].tolist()
    yield v.finding("met", "f02.met", estimate=float(len(met)), count=len(met), total=len(g),
                    kpis=", ".join(met) or "–")


def _largest_maturity_gap(v: DesiredState) -> Iterator[Finding]:
    if v.maturity_gaps is not None and not v.maturity_gaps.empty:
        top = v.maturity_gaps.iloc[0]
        yield v.finding("maturity_gap", "f02.maturity", estimate=float(top["gap"]), area=top["area"],
                        gap=v.fmt.value(top["gap"], "score"))


DesiredState.FINDINGS = (_largest_gaps, _met, _largest_maturity_gap)
