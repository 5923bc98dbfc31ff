"""``dashboard.html``: the shared KPI dashboard as one standalone page a client can put on an intranet.

The page holds the whole company's dashboard and each department's view of it: the KPIs it
answers for and the roadmap's initiatives it is accountable for, all from step 08's saved
result. It fetches nothing: style and a few lines of script are inline, trends are text
sparklines. The script only chooses which view is shown (a menu, or ``#<department id>`` in
the address); without it every view is shown, one after the other. All text is escaped.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ..analysis.dashboard import for_department
from ..errors import ExportError
from ..files import write_atomic
from ..i18n import Format, t
from ..results import load_all
from ..steps.roadmap_report import department_names
from .display import format_dashboard, table_html
from .pages import DASHBOARD_FILE, html_page

COMPANY = "all"
"""The view id of the whole company's dashboard."""
SWITCH_VIEWS = """
const menu = document.getElementById("cx-view");
function show(view) {
  document.querySelectorAll("[data-view]").forEach(s => { s.hidden = s.dataset.view !== view; });
}
const asked = decodeURIComponent(location.hash.slice(1));
if ([...menu.options].some(o => o.value === asked)) { menu.value = asked; }
menu.hidden = false;
show(menu.value);
menu.addEventListener("change", () => { show(menu.value); history.replaceState(null, "", "#" + menu.value); });
"""
"""Show one view at a time: the one the menu or the address names, the company's by default."""


def write_dashboard(out_dir: str | Path, manifest: dict) -> Path:
    """Write ``<out_dir>/dashboard.html`` from step 08's saved dashboard and departments.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Report folder.
    manifest : dict
        The run's manifest (client, period, language, currency, workspace and input hashes).

    Returns
    -------
    pathlib.Path
        The page written (atomically).

    Raises
    ------
    cxlib.errors.ExportError
        When step 08 saved no dashboard for this run (nothing is written).
    """
    out_dir = Path(out_dir)
    lang, currency = manifest["language"], manifest["currency"]
    result = load_all(out_dir, ["08_roadmap_report"], workspace=manifest["parameters"]["client_dir"],
                      inputs=manifest["inputs"])["08_roadmap_report"]
    if result is None or not result.tables.get("dashboard"):
        raise ExportError(f"Step 08 saved no dashboard in {out_dir / 'results'}; run it first (cxwb run).")
    board = result.table("dashboard")
    departments = result.table("departments") if result.tables.get("departments") else pd.DataFrame(
        columns=["department", "name", "kpis", "initiatives"])
    names = department_names(result)
    f = Format(lang, currency)
    title = f"{t('sheet.dashboard', lang)}: {manifest['client']}"
    views = [(COMPANY, t("report.whole_company", lang), table_html(format_dashboard(board, lang, currency, names)))]
    for row in departments.itertuples(index=False):
        own = for_department(board, row.department)
        if own.empty and not isinstance(row.initiatives, str):
            continue
        kpis = table_html(format_dashboard(own, lang, currency, names)) if len(own) else ""
        initiatives = row.initiatives.split("; ") if isinstance(row.initiatives, str) else []
        listing = "".join(f"<li>{html.escape(name)}</li>" for name in initiatives)
        accountable = f"<h3>{html.escape(f.label('col.accountable_for'))}</h3><ul>{listing}</ul>" if listing else ""
        views.append((row.department, row.name, kpis + accountable))
    options = "".join(f'<option value="{html.escape(view)}">{html.escape(label)}</option>' for view, label, _ in views)
    sections = "".join(f'<section data-view="{html.escape(view)}"><h2>{html.escape(label)}</h2>{content}</section>'
                       for view, label, content in views)
    body = f"""<h1>{html.escape(title)}</h1>
<p>{html.escape(t("report.period", lang))}: {html.escape(manifest.get("period") or "–")}</p>
<label><select id="cx-view" hidden aria-label="{html.escape(t("report.view", lang))}">{options}</select></label>
{sections}"""
    return write_atomic(out_dir / DASHBOARD_FILE, html_page(lang, title, body, SWITCH_VIEWS))
