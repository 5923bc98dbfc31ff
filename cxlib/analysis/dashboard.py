"""The shared KPI dashboard of step 08: one table every team reads, and each department's part of it.

One row per headline KPI: where it stands (value with its interval and sample size), the target
and gap of step 02, the monthly trend for a sparkline, and the department that answers for it.
A KPI no department owns keeps a missing owner, so the gap in ownership shows rather than
landing with customer service by default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

COLUMNS = ["kpi", "value", "low", "high", "n", "target", "gap", "status", "owner", "trend_months", "trend"]
"""The columns of :func:`kpi_dashboard`."""


def kpi_dashboard(overall: pd.DataFrame, gaps: pd.DataFrame, monthly: pd.DataFrame, kpis: Iterable[str],
                  owners: Mapping[str, str]) -> pd.DataFrame:
    """The dashboard rows of ``kpis``, in their order, for those ``overall`` holds a value of.

    Parameters
    ----------
    overall : DataFrame
        ``kpi, value, low, high, n``: each KPI over the whole period (step 01's ``overall``).
    gaps : DataFrame
        ``kpi, target, gap, status``: step 02's ``kpi_gaps``; a KPI without a row has no target.
    monthly : DataFrame
        ``month, kpi, value``: each KPI per month (step 01's ``monthly``); months are sorted.
    kpis : iterable of str
        The KPI ids to show, in order.
    owners : mapping of str to str
        KPI id → the department id that answers for it.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`; ``trend`` holds the monthly values (a list, NaN where a month has none)
        and ``trend_months`` their months, so a sparkline needs nothing else.
    """
    wanted = list(dict.fromkeys(kpis))
    rows = overall[overall["kpi"].isin(wanted) & overall["value"].notna()].set_index("kpi")
    targets = gaps.set_index("kpi")[["target", "gap", "status"]] if len(gaps) else pd.DataFrame(
        columns=["target", "gap", "status"])
    by_month = monthly.pivot_table(index="month", columns="kpi", values="value", aggfunc="first", dropna=False)
    by_month = by_month.sort_index()
    out = []
    for kpi in (k for k in wanted if k in rows.index):
        row, target = rows.loc[kpi], targets.loc[kpi] if kpi in targets.index else None
        series = by_month[kpi] if kpi in by_month.columns else pd.Series(float("nan"), index=by_month.index)
        out.append({
            "kpi": kpi, "value": float(row["value"]), "low": row["low"], "high": row["high"], "n": row["n"],
            "target": None if target is None else target["target"], "gap": None if target is None else target["gap"],
            "status": None if target is None else target["status"], "owner": owners.get(kpi),
            "trend_months": [str(m) for m in series.index], "trend": [float(v) for v in series.to_numpy(float)]})
    return pd.DataFrame(out, columns=COLUMNS)


def for_department(dashboard: pd.DataFrame, department: str) -> pd.DataFrame:
    """The rows of ``dashboard`` whose KPI ``department`` answers for."""
    return dashboard[dashboard["owner"] == department].reset_index(drop=True)
