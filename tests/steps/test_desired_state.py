import pandas as pd
import pytest

from pathlib import Path

from cxlib.config import ClientConfig
from cxlib.io.workshop import DesiredInputs
from cxlib.io.workspace import Workspace
from cxlib.steps.desired_state import gap_table, view

CURRENT = pd.DataFrame({
    "kpi": ["nps", "csat", "first_response_time_s", "fcr"],
    "value": [10.0, 0.80, 120.0, 0.70],
    "low": [2.0, 0.78, 100.0, 0.68],
    "high": [18.0, 0.82, 140.0, 0.72],
    "n": [400, 380, 900, 900],
})


def test_gap_table_signs_scale_status_and_rank():
    g = gap_table(CURRENT, {"nps": 15, "csat": 0.85, "first_response_time_s": 60, "fcr": 0.65, "ces": 5}, lang="en")
    rows = g.set_index("kpi")
    assert "ces" not in rows.index  # no current value: no gap row
    # nps: 15 − 10 = 5 points of a 200-point scale; 15 lies inside [2, 18] → met within the CI
    assert rows.loc["nps", "gap"] == pytest.approx(5) and rows.loc["nps", "gap_share"] == pytest.approx(0.025)
    assert rows.loc["nps", "status"] == "within_ci"
    # csat: 0.85 − 0.80 = 0.05 of a 0–1 scale, outside [0.78, 0.82] → open
    assert rows.loc["csat", "gap_share"] == pytest.approx(0.05) and rows.loc["csat", "status"] == "open"
    # response time, lower is better: 120 − 60 = 60 s, relative to the 60 s target = 1.0
    assert rows.loc["first_response_time_s", "gap"] == pytest.approx(60)
    assert rows.loc["first_response_time_s", "gap_share"] == pytest.approx(1.0)
    # fcr 0.70 already above 0.65: met, negative gap
    assert rows.loc["fcr", "status"] == "met" and rows.loc["fcr", "gap"] == pytest.approx(-0.05)
    assert list(g["kpi"]) == ["first_response_time_s", "csat", "nps", "fcr"]
    assert list(g["rank"]) == [1, 2, 3, 4]
    assert rows.loc["csat", "label"] == "Satisfaction (CSAT)"


def test_desired_state_findings_are_computed_from_the_gaps():
    maturity = pd.DataFrame({"area": ["a", "a", "b", "b"], "participant": ["x", "y", "x", "y"],
                             "current": [2, 2, 3, 3], "desired": [4, 4, 3, 4]})
    config = ClientConfig.model_validate({"name": "Test AB", "language": "en",
                                          "channels": [{"id": "phone", "name": "Phone", "kind": "queue"}]})
    ws = Workspace(Path("test-workspace"), config, {"maturity": maturity}, {})
    inputs = DesiredInputs(targets={"nps": 15, "csat": 0.85, "fcr": 0.65}, maturity={"a": 4.0, "b": 5.0})
    state = view(ws, lang="en", inputs=inputs, current=CURRENT)
    texts = {f.id: f.text for f in state.findings}
    assert texts["gap_csat"].startswith("Gap no. 1: Satisfaction (CSAT) is at 80% against a target of 85%")
    assert "NPS" in texts["within_ci"]
    assert texts["met"].startswith("1 of 3 targets is already met")  # the singular form of f02.met
    assert texts["maturity_gap"] == "Largest desired maturity step: a (+2.00 levels)."
    assert state.maturity_gaps.set_index("area").loc["b", "desired"] == 5.0


def _saved_baseline(ws, out, **provenance):
    """Step 01's result as the step saves it, with an NPS of +99 that no data gives, and
    ``provenance`` overriding its workspace and input hashes."""
    from cxlib.results import KpiValue, StepResult, save

    fields = {"workspace": str(ws.root), "inputs": ws.fingerprint, **provenance}
    save(StepResult(step="01_current_state", client=ws.config.name, language="en",
                    kpis=[KpiValue(kpi="nps", value=99.0, low=98.0, high=100.0, n=10)], **fields), out)


@pytest.mark.parametrize("provenance, used", [
    ({}, True),                                            # this workspace, these inputs: used
    ({"workspace": "/elsewhere/other-client"}, False),     # another client's result: recomputed
    ({"inputs": {"feedback.csv": "0" * 64}}, False),       # computed from older data: recomputed
])
def test_step_02_uses_a_saved_baseline_only_from_the_same_inputs(sample_ws, tmp_path, provenance, used):
    from cxlib.steps.current_state import baseline
    from cxlib.analysis.metrics import nps

    _saved_baseline(sample_ws, tmp_path, **provenance)
    current, source = baseline(tmp_path, sample_ws, lang="en")
    value = current.set_index("kpi").loc["nps", "value"]
    if used:
        assert value == 99.0 and source.startswith("The current KPIs come from step 01")
    else:
        assert value == pytest.approx(nps(sample_ws.table("feedback")["nps"]).value)
        assert "computed from other inputs or for another client and is not used" in source


def test_a_step_refuses_a_report_folder_of_another_client(sample_copy, sample_ws, tmp_path):
    from cxlib.results import ForeignReport
    from cxlib.session import open_step
    from cxlib.steps import REGISTRY

    _saved_baseline(sample_ws, tmp_path)  # the committed sample's report
    with pytest.raises(ForeignReport, match="holds the report of another client"):
        open_step(REGISTRY["02_desired_state"], str(sample_copy), str(tmp_path))
    assert open_step(REGISTRY["02_desired_state"], str(sample_ws.root), str(tmp_path)).out_dir == tmp_path
