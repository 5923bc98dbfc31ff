"""The deliverables of the sample's run: the summary-first index, dashboard.html, and the PDF, deck and workbook."""

import hashlib
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from conftest import FORMULA
from cxlib.report.deliver import EXPORTS
from cxlib.steps import REGISTRY
from report.test_browser import CHROMIUM, rendered_dom

POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
QUESTIONS = ["Var står vi i dag?", "Vart vill vi nå?", "Hur tar vi oss dit?"]  # the sample's language is Swedish
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (make test installs it)")


def test_every_deliverable_is_in_the_manifest_with_its_hash(report):
    _, out, manifest = report
    assert list(manifest["exports"]) == ["dashboard", *EXPORTS]
    for name, info in manifest["exports"].items():
        if name == "pdf" and CHROMIUM is None:
            assert info["status"] == "failed" and "needs Chromium" in info["error"]
            continue
        assert info["status"] == "ok", info["error"]
        assert info["sha256"] == hashlib.sha256((out / info["file"]).read_bytes()).hexdigest()
    kinds = {entry["file"]: entry["kind"] for entry in manifest["overview"]}
    assert kinds["index.html"] == "index" and kinds["dashboard.html"] == "dashboard"
    assert kinds["report.xlsx"] == "export" and kinds["01_current_state.html"] == "page"
    assert kinds["results/08_roadmap_report.json"] == "result" and kinds["loop/callbacks.csv"] == "list"
    assert not any(f.startswith(".") for f in kinds), "caches and the lock are not deliverables"


def test_the_index_opens_with_the_three_answers(report):
    _, out, _ = report
    page = (out / "index.html").read_text()
    positions = [page.index(f"<h3>{q}</h3>") for q in QUESTIONS]
    assert positions == sorted(positions) and positions[0] < page.index("<h2>Nyckeltal</h2>")
    assert page.index("<h2>Nyckeltal</h2>") < page.index("<h2>Steg i arbetsboken</h2>")
    assert re.search(r"NPS är [+−-]\d+ \(95 % konfidensintervall", page), "the answer is step 01's own finding"
    assert '<a href="dashboard.html">dashboard.html</a>' in page and '<a href="report.xlsx">report.xlsx</a>' in page


@needs_chromium
@pytest.mark.slow
def test_dashboard_renders_offline_with_a_view_per_department(report, tmp_path):
    _, out, _ = report
    alone = tmp_path / "intranet" / "dashboard.html"  # as a client puts it on an intranet: the page alone
    alone.parent.mkdir()
    shutil.copy(out / "dashboard.html", alone)
    source = alone.read_text()
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", source), "nothing is fetched"
    views = re.findall(r'<section data-view="([^"]+)">', source)
    assert views[0] == "all" and {"kundservice", "fakturering"} <= set(views[1:])
    dom = rendered_dom(alone, tmp_path / "profile")
    shown = re.findall(r'<section data-view="([^"]+)"(?! hidden)>', dom)
    assert shown == ["all"], "the company's view is shown first, the departments' are hidden"
    assert "<td>Nöjdhet (CSAT)</td>" in dom and "Kundservice" in dom
    dom = rendered_dom(alone, tmp_path / "profile", fragment="fakturering")
    assert re.findall(r'<section data-view="([^"]+)"(?! hidden)>', dom) == ["fakturering"]


def dark_pixels_above_the_footer(image) -> int:
    """Pixels darker than mid-grey in a binary PGM page image, its lowest 8 % (the page number) left out."""
    header, size, _, pixels = image.read_bytes().split(b"\n", 3)
    width, height = map(int, size.split())
    return sum(1 for value in pixels[:width * int(height * 0.92)] if value < 160)


@needs_chromium
@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed (make test installs it)")
def test_the_pdf_has_a_title_page_the_answers_and_no_blank_page(report, tmp_path):
    _, out, manifest = report
    pdf = out / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages > 2 * len(REGISTRY) and re.search(r"Page size:.*\(A4\)", info)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout
    first = text.split("\f")[0]
    assert manifest["client"] in first.replace("\n", " ") and "Period: 2025-01-01 – 2025-12-31" in first
    assert all(q in text for q in QUESTIONS) and "Instrumentpanel" in text
    assert text.split("\f")[4].strip().endswith(f"5 / {pages}"), "pages are numbered in the margin"
    assert f"1 / {pages}" not in first, "the title page has no number"
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "8", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    images = sorted(tmp_path.glob("page-*.pgm"))
    assert len(images) == 8
    for image in images:
        assert dark_pixels_above_the_footer(image) > 150, f"{image.name} is blank"


def test_the_deck_has_native_charts_in_swedish(report):
    _, out, _ = report
    deck = Presentation(str(out / "report.pptx"))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == "Kundupplevelsestrategi: Norrsken Energi AB" and titles[1:4] == QUESTIONS
    assert {"Instrumentpanel", "Insats och effekt", "Färdplan per kvartal", "RACI"} <= set(titles)
    charts = [sh.chart for s in deck.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) >= 10 and not any(sh.shape_type == 13 for s in deck.slides for sh in s.shapes)  # no pictures
    assert all(any(v is not None for v in plot.series[0].values) for chart in charts for plot in chart.plots)


def test_the_workbook_holds_numbers_and_keeps_the_formula_comment_text(report):
    _, out, _ = report
    book = load_workbook(out / "report.xlsx")
    assert {"Nyckeltal", "Gap mot mål", "Drivkrafter", "Bemanning", "Kontaktorsaker", "Portfölj", "RACI",
            "Återkoppling kritiker"} <= set(book.sheetnames)
    nps = next(row for row in book["Nyckeltal"].iter_rows(min_row=2) if row[0].value == "NPS")
    assert all(isinstance(c.value, float) for c in nps[1:4]) and nps[1].number_format == "+0;-0;0"
    cell = next(c for row in book["Återkoppling kritiker"].iter_rows(min_row=2) for c in row
                if isinstance(c.value, str) and c.value.startswith(FORMULA))
    assert cell.data_type == "s" and cell.quotePrefix
