"""Writing the deliverables: one failing export does not stop the others, none from an unfinished run; the dashboard
page and the print document from hand-made saved results."""

import hashlib
import re

import pandas as pd
import pytest
from plotly.offline import get_plotlyjs

from cxlib.errors import CxError, ExportError
from cxlib.report import deliver
from cxlib.report.dashboard_page import write_dashboard
from cxlib.report.printing import css_string, find_chromium, print_document
from cxlib.results import StepResult, records, save

WORKSPACE, INPUTS = "/clients/x", {"client.yaml": "aa"}
HOSTILE = "<script>alert(1)</script>"


def manifest(**changes):
    base = {"language": "en", "client": f"Acme {HOSTILE}", "currency": "SEK", "period": "2025-01-01 – 2025-12-31",
            "finished": "2026-12-04T21:00:00+00:00", "parameters": {"client_dir": WORKSPACE}, "inputs": INPUTS,
            "steps": {"08_roadmap_report": {"status": "ok", "seconds": 1.0, "html": "08_roadmap_report.html"}}}
    return {**base, **changes}


def save_report(out_dir):
    board = pd.DataFrame({"kpi": ["nps", "csat"], "value": [9.0, 0.67], "low": [7.0, 0.66], "high": [11.0, 0.68],
                          "n": [6085, 5253], "target": [20.0, 0.8], "gap": [11.0, 0.13], "status": ["open", "open"],
                          "owner": ["cs", "billing"], "trend_months": [["2025-01", "2025-02"]] * 2,
                          "trend": [[6.0, 12.0], [0.6, 0.7]]})
    departments = pd.DataFrame({"department": ["cs", "billing", "it"], "name": [f"Service {HOSTILE}", "Billing", "IT"],
                                "kpis": [["nps"], ["csat"], []], "initiatives": [None, "Meter check; New bill", None]})
    answers = pd.DataFrame({"question": ["now"], "text": [f"NPS is +9 {HOSTILE}."]})
    save(StepResult(step="08_roadmap_report", client="Acme", language="en", workspace=WORKSPACE, inputs=INPUTS,
                    tables={"dashboard": records(board), "departments": records(departments),
                            "answers": records(answers)}), out_dir)


def test_export_names_are_checked_and_put_in_order():
    assert deliver.check_exports(["xlsx", "pdf", "xlsx"]) == ["pdf", "xlsx"]
    with pytest.raises(CxError, match="--export takes pdf, pptx, xlsx \\(comma-separated\\), not docx, png"):
        deliver.check_exports(["docx", "pdf", "png"])


def test_a_failing_export_is_named_and_the_others_are_written(tmp_path, monkeypatch):
    save_report(tmp_path)

    def no_chromium(out_dir, manifest):
        raise ExportError("The PDF needs Chromium")

    def defect(out_dir, manifest):
        raise KeyError("kpi")

    def workbook(out_dir, manifest):
        (out_dir / "report.xlsx").write_bytes(b"xlsx")
        return out_dir / "report.xlsx"

    monkeypatch.setattr(deliver, "WRITERS", {"pdf": no_chromium, "pptx": defect, "xlsx": workbook})
    done = []
    outcome = deliver.write_deliverables(tmp_path, manifest(), ["pdf", "pptx", "xlsx"],
                                         lambda name, info: done.append(name))
    assert {n: i["status"] for n, i in outcome.items()} == {"dashboard": "ok", "pdf": "failed", "pptx": "failed",
                                                           "xlsx": "ok"}
    assert outcome["pdf"]["error"] == "The PDF needs Chromium" and outcome["pptx"]["error"] == "KeyError: 'kpi'"
    assert outcome["xlsx"]["sha256"] == hashlib.sha256(b"xlsx").hexdigest()
    assert sorted(done) == sorted(outcome), "every deliverable is reported as it ends"


def test_nothing_is_exported_from_a_run_whose_steps_did_not_all_succeed(tmp_path):
    save_report(tmp_path)
    steps = {"07_prioritisation": {"status": "failed", "seconds": 1.0}, "08_roadmap_report": {"status": "skipped"}}
    outcome = deliver.write_deliverables(tmp_path, manifest(steps=steps), ["xlsx"])
    assert {n: i["status"] for n, i in outcome.items()} == {"dashboard": "skipped", "xlsx": "skipped"}
    assert outcome["xlsx"]["error"] == "not written: 07_prioritisation, 08_roadmap_report did not succeed"
    assert not (tmp_path / "dashboard.html").exists() and not (tmp_path / "report.xlsx").exists()


def test_a_run_of_some_steps_writes_its_exports_without_a_dashboard(tmp_path, monkeypatch):
    monkeypatch.setattr(deliver, "WRITERS", {**deliver.WRITERS, "xlsx": lambda out_dir, manifest: out_dir / "x"})
    (tmp_path / "x").write_bytes(b"x")
    steps = {"01_current_state": {"status": "ok", "seconds": 1.0}}
    assert list(deliver.write_deliverables(tmp_path, manifest(steps=steps), ["xlsx"])) == ["xlsx"]


def test_the_dashboard_page_has_a_view_per_department_and_escapes_all_text(tmp_path):
    save_report(tmp_path)
    page = write_dashboard(tmp_path, manifest()).read_text()
    assert re.findall(r'<section data-view="([^"]+)">', page) == ["all", "cs", "billing"]  # IT owns nothing
    assert HOSTILE not in page and "Service &lt;script&gt;alert(1)&lt;/script&gt;" in page
    billing = page.split('<section data-view="billing">')[1]
    assert "<td>Satisfaction (CSAT)</td>" in billing and "<td>NPS</td>" not in billing
    assert "<li>Meter check</li><li>New bill</li>" in billing
    assert "<td>67%</td>" in page and "<td>▁█</td>" in page  # value in its unit, the trend as a sparkline
    with pytest.raises(ExportError, match="Step 08 saved no dashboard"):
        write_dashboard(tmp_path, manifest(inputs={"client.yaml": "changed"}))


def test_the_print_document_carries_plotly_once_and_every_step_page(tmp_path):
    save_report(tmp_path)
    plotlyjs = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    for step in ("01_current_state", "08_roadmap_report"):
        (tmp_path / f"{step}.html").write_text(
            f'<html><head><style>.jp-x {{}}</style></head><body><main><nav class="cx-nav">Back to the index</nav>'
            f"{plotlyjs}<p>page {step}</p></main></body></html>")
    steps = {s: {"status": "ok", "seconds": 1.0, "html": f"{s}.html"}
             for s in ("01_current_state", "08_roadmap_report")}
    document = print_document(tmp_path, manifest(steps=steps))
    assert document.count(get_plotlyjs()) == 1 and "Back to the index" not in document and ".jp-x {}" in document
    assert document.index("<p>page 01_current_state</p>") < document.index("<p>page 08_roadmap_report</p>")
    assert document.index("<h3>Where are we today?</h3>") < document.index("<p>page 01_current_state</p>")
    assert HOSTILE not in document and "NPS is +9 &lt;script&gt;" in document
    assert css_string(f"Acme {HOSTILE}") == '"Acme \\3c script\\3e alert\\28 1\\29 \\3c \\2f script\\3e "'


def test_a_missing_chromium_is_named_with_the_way_to_install_it(monkeypatch):
    monkeypatch.setenv("CXWB_CHROMIUM", "no-such-chromium")
    with pytest.raises(ExportError, match="The PDF needs Chromium, and no-such-chromium is not installed: install"):
        find_chromium()
