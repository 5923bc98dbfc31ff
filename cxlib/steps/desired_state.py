"""Step 02, desired state: where do we want to be, and how far is it?

Gaps are target − current, signed so that a positive gap is improvement still needed, and
honest about uncertainty: a target inside the current value's 95 % interval is reported
as "met within the uncertainty" rather than as a gap or a success.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..i18n import fmt_value, kpi_label, t, t_n
from ..kpis import KPIS
from ..analysis.maturity import maturity_profile
from ..analysis.metrics import Estimate, gap
from ..results import Finding, ForeignResult, MissingResult, load
from ..io.workspace import Workspace

STEP = "02_desired_state"
#: The ``status`` of a gap (:func:`gap_table`), each with a label ``gap.<status>``.
GAP_STATUSES = ("met", "within_ci", "open")


@dataclass
class DesiredState:
    """Gap tables for KPIs and maturity, plus findings."""

    kpi_gaps: pd.DataFrame
    maturity_gaps: pd.DataFrame | None
    findings: list[Finding] = field(default_factory=list)


def gap_table(current: pd.DataFrame, targets: dict[str, float], lang: str) -> pd.DataFrame:
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


def current_kpis(out_dir, ws: Workspace, lang: str) -> tuple[pd.DataFrame, str]:
    """Overall current KPIs saved by step 01, and a sentence in ``lang`` saying where they came from.

    The saved result is used only when it was computed from this workspace's current inputs;
    otherwise (step 01 not run into ``out_dir``, run for another client or on older data) the
    baseline is computed here with the same function step 01 uses.
    """
    from .current_state import STEP as CURRENT, baseline

    try:
        saved = load(out_dir, CURRENT, workspace=str(ws.root), inputs=ws.fingerprint)
    except MissingResult as exc:
        source = "f02.source_foreign" if isinstance(exc, ForeignResult) else "f02.source_computed"
        return baseline(ws.tables, ws.config).overall, t(source, lang)
    frame = saved.kpi_frame()
    frame = frame[frame["scope"] == "overall"].drop(columns="scope").reset_index(drop=True)
    return frame, t("f02.source_saved", lang, created=saved.created.strftime("%Y-%m-%d %H:%M"))


def _opt(x) -> float | None:
    return None if pd.isna(x) else float(x)


def desired_state(current: pd.DataFrame, targets: dict[str, float], maturity: pd.DataFrame | None,
                  desired_maturity: dict[str, float] | None, lang: str, currency: str = "SEK") -> DesiredState:
    """Gaps for the KPI ``targets`` and for maturity (participants' desired level or overrides)."""
    kpi_gaps = gap_table(current, targets, lang)
    mat = maturity_profile(maturity, desired_maturity) if maturity is not None else None
    state = DesiredState(kpi_gaps, mat)
    state.findings = findings(state, lang, currency)
    return state


def findings(state: DesiredState, lang: str, currency: str = "SEK") -> list[Finding]:
    """Findings: the largest open gaps, targets met (or met within the uncertainty), top maturity gap."""
    out = []
    g = state.kpi_gaps
    for row in g[g["status"] == "open"].head(3).itertuples():
        out.append(Finding(id=f"gap_{row.kpi}", kpi=row.kpi, value=row.gap,
                           text=t("f02.gap", lang, rank=row.rank, kpi=row.label,
                                  current=fmt_value(row.current, row.unit, lang, currency),
                                  target=fmt_value(row.target, row.unit, lang, currency),
                                  share=fmt_value(row.gap_share, "share", lang))))
    within = g.loc[g["status"] == "within_ci", "label"].tolist()
    if within:
        out.append(Finding(id="within_ci", text=t("f02.within_ci", lang, kpis=", ".join(within))))
    met = g.loc[g["status"] == "met", "label"].tolist()
    out.append(Finding(id="met", value=float(len(met)),
                       text=t_n("f02.met", len(met), lang, total=len(g), kpis=", ".join(met) or "–")))
    if state.maturity_gaps is not None and not state.maturity_gaps.empty:
        top = state.maturity_gaps.iloc[0]
        out.append(Finding(id="maturity_gap", value=float(top["gap"]),
                           text=t("f02.maturity", lang, area=top["area"], gap=fmt_value(top["gap"], "score", lang))))
    return out
