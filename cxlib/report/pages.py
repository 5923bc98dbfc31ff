"""HTML report: one code-hidden page per executed step, and the index that opens it.

The index (:func:`write_index`) is the entrance: the strategy's three answers first (what
step 08 saved), then the headline KPIs, the step pages, the exports and the other files.

Pages work offline and on their own: no script or style is fetched from the network, and
plotly.js is embedded once per page (where an executed notebook only refers to it, the
reference is replaced by plotly.js itself). Every piece of text taken from data is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from plotly.offline import get_plotlyjs

from .display import PLOTLYJS_FILE
from ..files import write_atomic
from ..i18n import Format, family_key, kpi_label, t
from ..narrative import language_tags
from ..kpis import KPIS
from ..results import StepResult, load_all
from ..steps import REGISTRY
from ..steps.roadmap_report import QUESTIONS, answer_text

TEMPLATES = Path(__file__).parents[1] / "templates"
CSS = (TEMPLATES / "report.css").read_text(encoding="utf-8")
#: A figure's reference to plotly.js (:func:`cxlib.report.display.refer_to_plotlyjs`).
PLOTLYJS_REFERENCE = re.compile(rf'<script[^>]*\ssrc="{re.escape(PLOTLYJS_FILE)}"[^>]*>\s*</script>')
#: How a step of the manifest can have ended (:class:`cxlib.runner.StepOutcome`), each with a
#: label ``step.status.<status>``.
STEP_STATUSES = ("ok", "failed", "skipped", "interrupted")


def render_step(notebook: Path, target: Path, lang: str, client: str) -> Path:
    """Render an executed notebook to a code-hidden HTML page in ``lang``."""
    nb = nbformat.read(notebook, as_version=4)
    remover = TagRemovePreprocessor(remove_cell_tags=language_tags(lang) | {"hide-report"}, enabled=True)
    exporter = HTMLExporter(template_name="cxreport", extra_template_basedirs=[str(TEMPLATES / "nbconvert")],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_preprocessor(remover, enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={
        "cx_css": CSS, "cx_back": t("report.back", lang), "cx_client": client, "language_code": lang,
        "metadata": {"name": f"{client} – {t(REGISTRY[notebook.stem].title_key, lang)}"}})
    return write_atomic(target, embed_plotlyjs(body))


def embed_plotlyjs(page: str) -> str:
    """``page`` with its figures' reference to plotly.js replaced by plotly.js itself."""
    script = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    return PLOTLYJS_REFERENCE.sub(lambda _: script, page)


def _card(kpi: str, result: StepResult, targets: dict[str, dict], lang: str, currency: str) -> str:
    row = next((k for k in result.kpis if k.kpi == kpi and k.scope == "overall"), None)
    if row is None or row.value is None:
        return ""
    unit, f = KPIS[kpi].unit, Format(lang, currency)
    detail = f"{f.value(row.low, unit)} – {f.value(row.high, unit)}, n = {f.number(row.n, 0)}"
    gap_row = targets.get(kpi)
    if gap_row:
        detail += f" · {f.label('col.target')} {f.value(gap_row['target'], unit)}"
        detail += f" ({f.label(family_key('gap', gap_row['status']))})"
    return (f'<div class="cx-card"><div class="label">{html.escape(kpi_label(kpi, lang))}</div>'
            f'<div class="value">{html.escape(f.value(row.value, unit))}</div>'
            f'<div class="detail">{html.escape(detail)}</div></div>')


DASHBOARD_FILE = "dashboard.html"
"""The standalone page of the shared KPI dashboard (:mod:`cxlib.report.dashboard_page`)."""
EXPORT_FILES = {"pdf": "report.pdf", "pptx": "report.pptx", "xlsx": "report.xlsx"}
"""The exports of a report (``cxwb run --export``) and the file each is written to."""


def html_page(lang: str, title: str, body: str, script: str = "") -> str:
    """A complete offline page in ``lang``: the report's style inlined, ``title`` (text, escaped here) and ``body``
    (HTML, escaped by the caller), and an optional inline ``script``.
    """
    script = f"<script>{script}</script>" if script else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{CSS}</style></head>
<body><main>
{body}
</main>{script}</body></html>
"""


def summary_html(result: StepResult | None, lang: str) -> str:
    """The three answers of step 08's saved result: a heading per question and its paragraph (escaped)."""
    if result is None or "answers" not in result.tables:
        return ""
    answers = result.table("answers")
    parts = []
    for question in QUESTIONS:
        text = answer_text(answers, question, lang)
        parts.append(f'<section class="cx-answer"><h3>{html.escape(t(family_key("question", question), lang))}</h3>'
                     f"<p>{html.escape(text)}</p></section>")
    return f'<h2>{html.escape(t("report.summary", lang))}</h2><div class="cx-summary">{"".join(parts)}</div>'


def links_html(heading: str, files: list[str]) -> str:
    """A heading and links to ``files`` (paths relative to the report folder), or nothing without files."""
    if not files:
        return ""
    links = " · ".join(f'<a href="{html.escape(f)}">{html.escape(Path(f).name)}</a>' for f in files)
    return f"<h2>{html.escape(heading)}</h2><p>{links}</p>"


def write_index(out_dir: Path, manifest: dict) -> Path:
    """Write ``index.html``: client and period, the three answers, headline KPI cards, the step pages, the shared
    dashboard and the exports (those of ``manifest["exports"]`` that were written), and the files steps wrote
    besides their pages (``manifest["files"]``: the close-the-loop lists).
    """
    lang, client, currency = manifest["language"], manifest["client"], manifest["currency"]
    results = load_all(out_dir, list(REGISTRY), workspace=manifest["parameters"]["client_dir"],
                       inputs=manifest["inputs"])
    targets = {row["kpi"]: row for result in results.values() if result for row in result.tables.get("kpi_gaps", [])}
    cards = "".join(_card(kpi, results[name], targets, lang, currency) for name, spec in REGISTRY.items()
                    if results[name] for kpi in spec.headline_kpis)
    steps = []
    for name, info in manifest["steps"].items():
        label = html.escape(t(REGISTRY[name].title_key, lang))
        link = f'<a href="{html.escape(info["html"])}">{label}</a>' if info.get("html") else label
        status = info["status"]
        error = f' – {html.escape(info["error"])}' if info.get("error") else ""
        said = html.escape(t(family_key("step.status", status), lang))
        steps.append(f'<li>{link} <span class="cx-{status}">{said}</span> ({info["seconds"]:.1f} s){error}</li>')
    delivered = [e["file"] for e in manifest.get("exports", {}).values() if e["status"] == "ok"]
    period = html.escape(manifest.get("period") or "–")
    generated = dt.datetime.fromisoformat(manifest["finished"]).strftime("%Y-%m-%d %H:%M UTC")
    body = f"""<h1>{html.escape(t("report.title", lang))}: {html.escape(client)}</h1>
<p>{html.escape(t("report.period", lang))}: {period} · {html.escape(t("report.generated", lang))}: {generated}</p>
{summary_html(results.get("08_roadmap_report"), lang)}
<h2>{html.escape(t("report.headline", lang))}</h2>
<div class="cx-cards">{cards}</div>
<h2>{html.escape(t("report.steps", lang))}</h2>
<ol>{"".join(steps)}</ol>
{links_html(t("report.deliverables", lang), delivered)}
{links_html(t("report.files", lang), manifest.get("files", []))}"""
    return write_atomic(out_dir / "index.html", html_page(lang, f"{client} – {t('report.title', lang)}", body))
