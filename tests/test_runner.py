"""End to end: `cxwb run` on the sample executes every step, writes an offline, escaped report."""

import hashlib
import json
import re
import shutil

import nbformat
import pandas as pd
import pytest
from plotly.offline import get_plotlyjs

from cxlib import runner
from cxlib.steps import REGISTRY
from cxlib.errors import InputError
from cxlib.analysis.metrics import nps
from cxlib.results import load
from cxlib.io.workspace import load_workspace

from conftest import IMG, SCRIPT, personal_data_items

pytestmark = pytest.mark.slow


def test_every_step_ok_and_files_written(report):
    client, out, manifest = report
    assert manifest["ok"] and manifest["complete"] and manifest["finished"] and not manifest["interrupted"]
    assert [s["status"] for s in manifest["steps"].values()] == ["ok"] * len(REGISTRY)
    assert all(s["retried"] is None for s in manifest["steps"].values())
    for step in manifest["steps"].values():
        assert set(step["phases"]) == {"kernel_s", "notebook_s", "page_s"}
        assert 0 < sum(step["phases"].values()) <= step["seconds"] + 0.01
    for name in ["index.html", "manifest.json",
                 *(f for step, spec in REGISTRY.items()
                   for f in (f"{step}.html", spec.notebook, f"results/{step}.json", *spec.files))]:
        assert (out / name).is_file(), name
    saved = json.loads((out / "manifest.json").read_text())
    assert saved["inputs"]["feedback.csv"] == hashlib.sha256((client / "feedback.csv").read_bytes()).hexdigest()
    assert saved["parameters"]["interactive"] is False and saved["versions"]["pandas"] == pd.__version__
    assert all(s["seconds"] > 0 for s in saved["steps"].values())
    assert saved["files"] == list(REGISTRY["03_insight"].files)
    assert '<a href="loop/callbacks.xlsx">callbacks.xlsx</a>' in (out / "index.html").read_text()


def test_saved_results_equal_direct_computation(report):
    client, out, _ = report
    ws = load_workspace(client)
    expected = nps(ws.table("feedback")["nps"])
    current = load(out, "01_current_state")
    overall = next(k for k in current.kpis if k.kpi == "nps" and k.scope == "overall")
    assert (overall.value, overall.low, overall.high, overall.n) == pytest.approx(
        (expected.value, expected.low, expected.high, expected.n))
    phone = next(k for k in current.kpis if k.kpi == "nps" and k.scope == "channel:phone")
    fb = ws.table("feedback")
    assert phone.value == pytest.approx(nps(fb.loc[fb["channel"] == "phone", "nps"]).value)
    gaps = load(out, "02_desired_state").table("kpi_gaps").set_index("kpi")
    assert gaps.loc["nps", "target"] == ws.config.targets["nps"]
    assert gaps.loc["nps", "gap"] == pytest.approx(ws.config.targets["nps"] - expected.value)
    index = (out / "index.html").read_text()
    assert f"+{round(expected.value)}<" in index


def test_pages_are_offline_and_in_the_client_language(report):
    _, out, _ = report
    for page in ["01_current_state.html", "02_desired_state.html", "03_insight.html"]:
        html = (out / page).read_text()
        assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?(https?:)?//", html), "loads from the network"
        assert html.count("plotly.js v") == 1, "plotly.js must be embedded exactly once"
        assert 'src="plotly.min.js"' not in html, "the page needs no file beside it"
        assert "plotly.js v" not in (out / page.replace(".html", ".ipynb")).read_text(), \
            "the executed notebook only refers to plotly.js (it is rewritten after every cell)"
        assert "Nuläge" in html or "Önskat läge" in html or "Insikt" in html
    assert get_plotlyjs() in (out / "01_current_state.html").read_text()
    first = (out / "01_current_state.html").read_text()
    assert "Nyckeltal för hela perioden" in first and "Headline KPIs for the whole period" not in first
    assert "open_step" not in first and "baseline(ws.tables" not in first, "code must be hidden"


def test_customer_text_is_escaped_everywhere(report):
    _, out, _ = report
    pages = [p.read_text() for p in out.glob("*.html")]
    assert all(SCRIPT not in p and IMG not in p for p in pages)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in p for p in pages), "segment shown as text"
    insight = (out / "03_insight.html").read_text()
    assert ("Fakturan var fel igen &lt;script&gt;alert(1)&lt;/script&gt; "
            "&lt;img src=x onerror=alert(1)&gt;") in insight, "the hostile comment is shown as text among the verbatims"


# Personal data of the sample's comments, found with patterns independent of cxlib.text.pii.
PII_PATTERNS = [r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",                 # e-mail
                r"\+4[67](?: ?\d){8,10}", r"\b07\d-\d{3} \d{2} \d{2}\b",  # phones
                r"\b\d{6}-\d{4}\b", r"\b(?:19|20)\d{10}\b", r"\b\d{11}\b"]  # personal ids


def _text_of(path):
    if path.suffix == ".pdf":
        import subprocess

        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True,
                              timeout=120).stdout
    if path.suffix == ".pptx":
        from pptx import Presentation

        texts = []
        for slide in Presentation(str(path)).slides:
            for shape in slide.shapes:
                texts += [shape.text_frame.text] if shape.has_text_frame else []
                texts += [c.text for row in shape.table.rows for c in row.cells] if shape.has_table else []
                if shape.has_chart:
                    texts += [str(c) for plot in shape.chart.plots for c in plot.categories]
                    texts += [s.name for plot in shape.chart.plots for s in plot.series]
        return " ".join(texts)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        return " ".join(str(c) for ws in load_workbook(path).worksheets for row in ws.iter_rows(values_only=True)
                        for c in row if c is not None)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return " ".join(str(v) for col in pq.read_table(path).columns for v in col.to_pylist())
    if path.suffix == ".arrow":
        import pyarrow as pa

        return " ".join(str(v) for col in pa.ipc.open_file(path).read_all().columns for v in col.to_pylist())
    return path.read_bytes().decode("utf-8", errors="replace")


def test_no_personal_data_in_any_output(report):
    client, out, _ = report
    assert list((client / ".cache" / "tables").glob("*.arrow")), "the typed tables are kept beside the exports"
    comments = pd.read_csv(client / "feedback.csv", sep=";", encoding="utf-8-sig", dtype=str)["comment"].dropna()
    found = {m for text in comments for pattern in PII_PATTERNS for m in re.findall(pattern, text)}
    assert len(found) > 100, "the sample should carry personal data in its comments"
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".xlsx" for p in files) and any(p.suffix == ".parquet" for p in files)
    exports = {"dashboard.html", "report.pptx", "report.xlsx"} | ({"report.pdf"} if shutil.which("chromium") else set())
    assert exports <= {p.name for p in files}, "every export is among the files checked"
    for path in files:
        text = _text_of(path)
        leaked = [item for item in found if item in text]
        assert not leaked, f"{path.relative_to(out)} contains {leaked[:3]}"


def test_no_generated_personal_data_variant_in_any_output(report):
    """Every format class of cxlib.text.pii_cases (spaces, dashes, dots, country codes, broken check
    digits, Danish numbers) in detractors' comments: none survives in any file, the cache included."""
    _, out, _ = report
    items = personal_data_items()
    assert len(items) > 250
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(".cache" in p.parts for p in files), "the text cache must be among the files checked"
    callbacks = _text_of(out / "loop" / "callbacks.csv")
    assert callbacks.count("RP0") > 250 and "[id-number]" in callbacks, "the comments reach the callback list"
    for path in files:
        text = _text_of(path)
        leaked = [item for item in items if item in text]
        assert not leaked, f"{path.relative_to(out)} contains {leaked[:3]}"


def test_failed_step_is_kept_reported_and_only_its_dependants_skipped(report, tmp_path, monkeypatch):
    client, _, _ = report
    notebooks = tmp_path / "notebooks"
    shutil.copytree(runner.NOTEBOOKS, notebooks)
    nb = nbformat.read(runner.NOTEBOOKS / "01_current_state.ipynb", as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell("raise ValueError('boom in step one')"))
    nbformat.write(nb, notebooks / "01_current_state.ipynb")
    monkeypatch.setattr(runner, "NOTEBOOKS", notebooks)
    out = tmp_path / "out"
    out.mkdir()
    (out / "01_current_state.html").write_text("an old page")  # from an earlier, successful run
    (out / "loop").mkdir()
    (out / "loop" / "callbacks.csv").write_text("an old list")
    events = []
    manifest = runner.run(client, out, on_step=lambda step, outcome: events.append((step, outcome and outcome.status)))
    steps = manifest["steps"]
    assert not manifest["ok"]
    assert steps["01_current_state"]["status"] == "failed"
    assert re.fullmatch(r"01_current_state\.ipynb, cell \d+ \(raise ValueError\('boom in step one'\)\): "
                        r"ValueError: boom in step one", steps["01_current_state"]["error"])
    # 02 reads 01's result and is skipped; 03 reads no other step (steps.REGISTRY) and still runs
    assert steps["02_desired_state"]["status"] == "skipped" and steps["03_insight"]["status"] == "ok"
    assert (out / "01_current_state.ipynb").is_file() and not (out / "01_current_state.html").exists()
    assert (out / "loop" / "callbacks.csv").read_text() != "an old list"
    assert manifest["files"] == list(REGISTRY["03_insight"].files)
    assert "boom in step one" in (out / "index.html").read_text()
    assert events.index(("01_current_state", "failed")) < events.index(("02_desired_state", "skipped"))
    assert ("02_desired_state", None) not in events and ("03_insight", "ok") in events


def test_invalid_workspace_writes_nothing(sample_copy, tmp_path):
    path = sample_copy / "feedback.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[3].split(";")
    cells[4] = "11"
    lines[3] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    with pytest.raises(InputError) as exc:
        runner.run(sample_copy, tmp_path / "out")
    assert any(p.row == 4 and p.column == "nps" and p.value == "11" for p in exc.value.problems)
    assert not (tmp_path / "out").exists()


def test_english_report_of_one_step(sample_copy, tmp_path):
    manifest = runner.run(sample_copy, tmp_path / "en", lang="en", steps=["01"])
    assert list(manifest["steps"]) == ["01_current_state"] and manifest["ok"]
    page = (tmp_path / "en" / "01_current_state.html").read_text()
    assert "Headline KPIs for the whole period" in page and "Nyckeltal för hela perioden" not in page
    assert "NPS is +" in page and "NPS är" not in page, "findings follow the report language"
    assert "Headline KPIs" in (tmp_path / "en" / "index.html").read_text()
