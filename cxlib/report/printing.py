"""PDF export: the whole report printed to A4 by headless Chromium, offline.

:func:`write_pdf` assembles one print document from what the run wrote: a title page
(client, period, date), the three answers and the shared dashboard (step 08's saved result),
then every step page in order, their figures drawn once more by plotly.js, embedded once. Chromium
prints it with the network refused (every host name resolves to nothing), so the PDF is made
from the report folder alone. Charts are SVG and stay vector graphics in the PDF. The print
style (:data:`PRINT_CSS`) sets A4, page numbers in the page margin, and keeps table rows,
cards and charts from being split across pages. Chromium is found on ``PATH`` (``chromium``,
``chromium-browser``, ``google-chrome``) or named by the ``CXWB_CHROMIUM`` environment variable;
``make report`` and ``make test`` install Debian's package when it is missing.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from plotly.offline import get_plotlyjs

from ..errors import ExportError
from ..files import replace_atomic
from ..i18n import t
from ..results import load_all
from ..steps.roadmap_report import department_names
from .display import format_dashboard, table_html
from .pages import html_page, summary_html

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
PRINT_TIMEOUT_S = 120
"""Seconds Chromium may take to print the report; past it the export fails and names the timeout."""
RENDER_BUDGET_MS = 30_000
"""Virtual time (milliseconds) Chromium gives the page's scripts (the charts) before it prints."""
PAGE_WIDTH_PX = 700
"""Width of the window the charts are drawn in: A4's width between the margins at 96 dpi, so nothing is cut."""
PRINT_CSS = """
@page { size: A4; margin: 16mm 13mm 18mm 13mm;
  @bottom-left { content: var(--cx-footer); font: 8pt Helvetica, Arial, sans-serif; color: #6b7785; }
  @bottom-right { content: counter(page) " / " counter(pages); font: 8pt Helvetica, Arial, sans-serif;
                  color: #6b7785; } }
@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }
html, body { background: #fff; }
main { max-width: none; padding: 0; }
.cx-title-page { break-after: page; padding-top: 70mm; }
.cx-title-page h1 { font-size: 28pt; }
.cx-title-page p { font-size: 13pt; color: #444; }
.cx-print-step { break-before: page; }
.cx-summary { display: block; }
.cx-answer { break-inside: avoid; margin-bottom: 10px; }
h1, h2, h3 { break-after: avoid; }
table { width: 100%; font-size: 8pt; }
thead { display: table-header-group; }
tr, .cx-card, .cx-findings, .cx-notice, .jp-OutputArea-output, .plotly-graph-div { break-inside: avoid; }
.jp-OutputArea-output { overflow: visible !important; }
.jp-Cell { padding: 0 !important; }
.modebar-container { display: none !important; }
"""
"""The print style on top of the report's: A4, page numbers, nothing split or cut."""
MAIN = re.compile(r"<main>(.*)</main>", re.S)
NAV = re.compile(r'<nav class="cx-nav">.*?</nav>', re.S)
STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: anything but letters, digits and spaces escaped as a code point, so that
    no client name can end the string or the style element.
    """
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def find_chromium() -> str:
    """The Chromium to print with: ``CXWB_CHROMIUM``, else the first of :data:`CHROMIUM_NAMES` on ``PATH``.

    Raises
    ------
    cxlib.errors.ExportError
        When there is none, saying how to install it.
    """
    named = os.environ.get("CXWB_CHROMIUM")
    found = shutil.which(named) if named else next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    if not found:
        raise ExportError(f"The PDF needs Chromium, and {named or ' or '.join(CHROMIUM_NAMES)} is not installed: "
                          "install Debian's package (apt-get install chromium, or make report), or set "
                          "CXWB_CHROMIUM to a Chromium or Chrome.")
    return found


def print_document(out_dir: str | Path, manifest: dict) -> str:
    """The report as one HTML document for printing: title page, summary, dashboard, then each step page.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Report folder (the step pages ``<step>.html`` the run wrote are read).
    manifest : dict
        The run's manifest.

    Returns
    -------
    str
        The document; plotly.js is in it once, and all text from data was escaped where it was written.
    """
    out_dir = Path(out_dir)
    lang, currency, client = manifest["language"], manifest["currency"], manifest["client"]
    report = load_all(out_dir, ["08_roadmap_report"], workspace=manifest["parameters"]["client_dir"],
                      inputs=manifest["inputs"])["08_roadmap_report"]
    pages = [out_dir / info["html"] for step, info in manifest["steps"].items() if info.get("html")]
    page_texts = [p.read_text(encoding="utf-8") for p in pages if p.is_file()]
    plotlyjs = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    styles = "".join(STYLE.findall(page_texts[0].split("<body", 1)[0])) if page_texts else ""
    dashboard = ""
    if report is not None and report.tables.get("dashboard"):
        names = department_names(report)
        dashboard = (f"<h2>{html.escape(t('sheet.dashboard', lang))}</h2>"
                     + table_html(format_dashboard(report.table("dashboard"), lang, currency, names)))
    steps = []
    for text in page_texts:
        match = MAIN.search(text)
        if match:
            steps.append(f'<section class="cx-print-step">{NAV.sub("", match.group(1)).replace(plotlyjs, "")}'
                         "</section>")
    when = (manifest.get("finished") or "")[:10]
    title = f"{t('report.title', lang)}: {client}"
    body = f"""{plotlyjs}
<section class="cx-title-page"><h1>{html.escape(title)}</h1>
<p>{html.escape(t("report.period", lang))}: {html.escape(manifest.get("period") or "–")}</p>
<p>{html.escape(t("report.generated", lang))}: {html.escape(when)}</p></section>
{summary_html(report, lang)}
{dashboard}
{"".join(steps)}"""
    page = html_page(lang, title, body)
    footer_css = f":root {{ --cx-footer: {css_string(client + ' – ' + t('report.title', lang))}; }}"
    return page.replace("</head>", f"{styles}<style>{PRINT_CSS}{footer_css}</style></head>", 1)


def write_pdf(out_dir: str | Path, manifest: dict, path: str | Path | None = None,
              timeout: float = PRINT_TIMEOUT_S) -> Path:
    """Print the report in ``out_dir`` to ``report.pdf`` (A4) with headless Chromium.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Report folder with the run's step pages.
    manifest : dict
        The run's manifest.
    path : str or pathlib.Path, optional
        Target file; ``<out_dir>/report.pdf`` by default. Replaced atomically: on failure an
        existing file is left as it was and no partial PDF is left behind.
    timeout : float, default :data:`PRINT_TIMEOUT_S`
        Seconds Chromium may take.

    Returns
    -------
    pathlib.Path
        The PDF written.

    Raises
    ------
    cxlib.errors.ExportError
        When Chromium is missing, fails, times out or writes no PDF.
    """
    chromium = find_chromium()
    target = Path(path) if path else Path(out_dir) / "report.pdf"
    with tempfile.TemporaryDirectory(prefix="cxwb-print-") as work:
        document = Path(work) / "report.html"
        document.write_text(print_document(out_dir, manifest), encoding="utf-8")

        def print_to(tmp: Path) -> None:
            command = [chromium, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                       "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer",
                       f"--user-data-dir={Path(work) / 'profile'}", f"--window-size={PAGE_WIDTH_PX},1000",
                       f"--virtual-time-budget={RENDER_BUDGET_MS}", f"--print-to-pdf={tmp}", document.as_uri()]
            if os.geteuid() == 0:
                command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                      stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                raise ExportError(f"Chromium did not print {target.name} within {timeout:.0f} s.") from None
            if done.returncode != 0 or not tmp.is_file() or tmp.stat().st_size == 0:
                detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
                raise ExportError(f"Chromium could not print {target.name} (exit code {done.returncode}): {detail}")

        return replace_atomic(target, print_to)

