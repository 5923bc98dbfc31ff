"""Step 08's view on hand-built saved results of steps 01, 02, 04 and 07 (03, 05 and 06 have not run).

The roadmap holds A (owner it, touchpoint "bill", measured NPS effect) and B (owner billing, measured by
candidate ``06-x`` that marketing owns, acting through CSAT). The reasons table says billing owns the
reason "bill wrong" on touchpoint "bill", so billing is consulted on A; marketing is consulted on B.
"""

from pathlib import Path

import pandas as pd
import pytest

from cxlib.config import ClientConfig
from cxlib.io.workshop import RaciInputs
from cxlib.io.workspace import Workspace
from cxlib.results import Finding, StepResult, records, save
from cxlib.steps.roadmap_report import view

ROOT = Path("test-workspace")
CONFIG = {
    "name": "Test AB", "language": "en", "currency": "SEK",
    "departments": [{"id": "cs", "name": "Customer service"}, {"id": "it", "name": "IT"},
                    {"id": "billing", "name": "Billing"}, {"id": "marketing", "name": "Marketing"}],
    "channels": [{"id": "phone", "name": "Phone", "kind": "queue"}],
    "kpi_owners": {"nps": "cs", "csat": "billing"}}
REASONS = pd.DataFrame({"reason": ["bill wrong", "moving"], "owner_department": ["billing", None],
                        "touchpoint": ["bill", "move"]})


def workspace() -> Workspace:
    return Workspace(ROOT, ClientConfig.model_validate(CONFIG), {"reasons": REASONS}, {})


def finding(id, text, value=None):
    return Finding(id=id, text=text, value=value)


def save_results(out_dir: Path, ws: Workspace) -> None:
    def result(step, findings, **tables):
        return StepResult(step=step, client=ws.config.name, workspace=str(ws.root), inputs=ws.fingerprint,
                          language="en", findings=findings, tables={k: records(v) for k, v in tables.items()})

    overall = pd.DataFrame({"kpi": ["nps", "csat", "fcr"], "value": [10.0, 0.7, 0.8], "low": [6.0, 0.66, 0.75],
                            "high": [14.0, 0.74, 0.85], "n": [400, 380, 200]})
    monthly = pd.DataFrame({"month": ["2026-01", "2026-02", "2026-01", "2026-02"],
                            "kpi": ["nps", "nps", "csat", "csat"], "value": [8.0, 12.0, 0.7, 0.7]})
    save(result("01_current_state", [finding("nps_overall", "NPS is +10.", 10.0),
                                     finding("fcr_overall", "FCR is 80 %.", 0.8)], overall=overall, monthly=monthly),
         out_dir)
    gaps = pd.DataFrame({"kpi": ["nps", "csat"], "target": [30.0, 0.7], "gap": [20.0, 0.0], "status": ["open", "met"]})
    save(result("02_desired_state", [finding("gap_nps", "Gap 1: NPS."), finding("gap_csat", "Gap 2: CSAT."),
                                     finding("gap_fcr", "Gap 3: FCR."), finding("met", "1 of 2 targets met.")],
                kpi_gaps=gaps), out_dir)
    save(result("04_accessibility", [finding("sl_chat", "Chat meets its target in 50 %.", 0.5),
                                     finding("sl_phone", "Phone meets its target in 36 %.", 0.36),
                                     finding("patience_phone", "Callers wait 12 min.", 737.0)]), out_dir)
    listed = pd.DataFrame({"id": ["A", "B", "C", "06-x", "06-y"], "name": ["Alpha", "Beta", "Gamma", "Remove x",
                                                                          "Remove y"],
                           "owner": ["it", "billing", "it", "marketing", "billing"],
                           "touchpoint": ["bill", None, None, None, "bill"],
                           "measured_by": [None, "06-x", None, None, None],
                           "mechanism": ["nps", "csat", None, "failure_demand", "failure_demand"],
                           "nps_points": [4.0, None, None, 2.0, 1.0], "customers_retained_per_year": None,
                           "contacts_per_year": None})
    plan = pd.DataFrame({"id": ["A", "B"], "name": ["Alpha", "Beta"], "owner": ["it", "billing"],
                         "start_quarter": [0, 1], "end_quarter": [0, 2], "start_month": [0, 3],
                         "end_month": [3.0, 9.0], "start": ["Q1", "Q2"], "end": ["Q1", "Q3"], "months": [3.0, 6.0]})
    save(result("07_prioritisation", [finding("quick_wins", "A is a quick win."),
                                      finding("stable_top", "The top 2 hold."),
                                      finding("portfolio", "Within budget, 2 initiatives.")],
                initiatives=listed, roadmap=plan), out_dir)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    save_results(folder, workspace())
    return folder


def test_the_three_answers_are_the_chosen_findings_in_their_order(out_dir):
    v = view(workspace(), out_dir=out_dir)
    # where we are: step 01's NPS and step 04's lowest service level; 03, 05 and 06 have not run
    assert v.answer("now") == "NPS is +10. Phone meets its target in 36 %."
    assert v.answer("target") == "Gap 1: NPS. Gap 2: CSAT. 1 of 2 targets met."  # the first two gaps
    assert v.answer("route") == "Within budget, 2 initiatives. The top 2 hold. A is a quick win."
    with pytest.raises(ValueError, match="question must be one of now, target, route; got 'why'"):
        v.answer("why")
    assert v.missing_steps == ["03_insight", "05_friction", "06_unnecessary_demand"]
    assert v.source == ("3 steps have no saved results on these inputs and are left out: Insight, Friction and "
                        "mobility, Unnecessary demand. Run them first (cxwb run).")


def test_without_saved_results_nothing_is_made_up(tmp_path):
    v = view(workspace(), out_dir=tmp_path)
    assert v.answer("now") == "No answer yet: the steps that give it have saved no result in the report folder."
    assert v.dashboard is None and v.roadmap is None and v.raci is None and v.department_table is None
    assert v.appendix.empty and v.findings == []


def test_the_dashboard_has_the_headline_kpis_with_targets_trends_and_owners(out_dir):
    board = view(workspace(), out_dir=out_dir).dashboard.set_index("kpi")
    assert list(board.index) == ["nps", "csat", "fcr"]  # step 01's headline order; those with a value
    assert board.loc["nps", ["value", "low", "high", "target", "gap", "status", "owner"]].tolist() == [
        10.0, 6.0, 14.0, 30.0, 20.0, "open", "cs"]
    assert board.loc["nps", "trend"] == [8.0, 12.0] and board.loc["csat", "owner"] == "billing"
    assert pd.isna(board.loc["fcr", "owner"]) and pd.isna(board.loc["fcr", "target"])


def test_the_raci_follows_the_default_rule_and_the_workshop_edits(out_dir):
    v = view(workspace(), out_dir=out_dir, raci_inputs=RaciInputs().edited("B", "cs", "R").edited("Z", "it", "C"))
    matrix = v.raci_matrix.set_index("initiative")
    assert list(matrix.columns) == ["Customer service", "IT", "Billing", "Marketing"]
    assert matrix.loc["Alpha"].tolist() == ["I", "A/R", "C", "I"]  # billing owns the "bill" reason and 06-y
    assert matrix.loc["Beta"].tolist() == ["R", "I", "A/R", "C"]  # marketing owns 06-x; cs edited to R
    assert v.stale_edits == ("1 initiative the workshop edited in the RACI is no longer on the roadmap; the edit is "
                             "kept, not shown: Z.")
    departments = v.department_table.set_index("department")
    assert departments.loc["billing", "kpis"] == ["csat"] and departments.loc["billing", "initiatives"] == "Beta"
    assert departments.loc["billing", "name"] == "Billing"
    assert departments.loc["cs", "kpis"] == ["nps"] and pd.isna(departments.loc["cs", "initiatives"])


def test_the_roadmap_names_the_kpis_each_initiative_should_move(out_dir):
    roadmap = view(workspace(), out_dir=out_dir).roadmap.set_index("id")
    assert roadmap.loc["A", "kpis"] == ["nps"]  # its measured NPS effect (and it acts through NPS)
    assert roadmap.loc["B", "kpis"] == ["csat"]  # no measured effect of its own: the KPI it acts through


def test_findings_appendix_and_result(out_dir):
    v = view(workspace(), out_dir=out_dir)
    texts = {f.id: f.text for f in v.findings}
    assert texts == {
        "open_gaps": "Of the 2 KPIs with a target, 1 still have a gap.",
        "accountable": "2 departments share accountability (A) for the roadmap's initiatives: Billing 1, IT 1.",
        "kpi_owners": ("1 KPI on the shared dashboard has no owner (kpi_owners in client.yaml): "
                       "First-contact resolution.")}
    assert len(v.appendix) == 2 + 4 + 3 + 3 and list(dict.fromkeys(v.appendix["step"])) == [
        "01_current_state", "02_desired_state", "04_accessibility", "07_prioritisation"]
    saved = v.result()
    assert set(saved.tables) == {"answers", "dashboard", "raci", "raci_matrix", "roadmap", "departments"}
    assert len(saved.tables["raci"]) == 2 * 4
    assert list(saved.table("answers")["question"]) == ["now", "now", "target", "target", "target", "route", "route",
                                                        "route"]


def test_an_initiative_without_an_owner_is_a_finding(out_dir):
    v = view(workspace(), out_dir=out_dir, raci_inputs=RaciInputs().edited("A", "it", "C"))
    assert {f.id: f.text for f in v.findings}["raci_problems"] == (
        "1 initiative does not have exactly one accountable department (A) and needs one in the workshop: Alpha.")


def test_the_raci_editor_saves_each_role_and_the_next_view_uses_it(tmp_path):
    import yaml

    from cxlib.io.workshop import path_for
    from cxlib.ui import raci_editor

    ws = Workspace(tmp_path, ClientConfig.model_validate(CONFIG), {"reasons": REASONS}, {})
    save_results(tmp_path / "out", ws)
    box = raci_editor(view(ws, out_dir=tmp_path / "out"))
    controls = box.controls
    controls["initiative"].value, controls["department"].value = "A", "billing"
    assert controls["role"].value == "C", "the form shows the role in force"
    assert not path_for(tmp_path, "raci").exists(), "nothing saved before a save"
    controls["role"].value = "R"
    box.save()
    assert yaml.safe_load(path_for(tmp_path, "raci").read_text(encoding="utf-8")) == {
        "initiatives": {"A": {"billing": "R"}}}
    assert "Saved to workshop/raci.yaml" in box.status.value
    assert box.last_table.set_index("Initiative").loc["Alpha", "Billing"] == "R"
    assert view(ws, out_dir=tmp_path / "out").raci_matrix.set_index("initiative").loc["Alpha", "Billing"] == "R"
    controls["department"].value = "it"
    assert controls["role"].value == "A/R"


def test_the_raci_editor_without_a_roadmap_says_so(tmp_path):
    from cxlib.ui import raci_editor

    box = raci_editor(view(workspace(), out_dir=tmp_path))
    assert "There is no roadmap to assign roles on" in box.children[0].value
