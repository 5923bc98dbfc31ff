"""cxlib.io.workshop: saved workshop inputs round-trip and are validated like client.yaml, at their lines."""

import pandas as pd
import pytest

from cxlib.config import ClientConfig
from cxlib.errors import InputError
from cxlib.io.workshop import (DesiredInputs, RaciInputs, ReasonInputs, ReasonLabel, labelled_reasons, load_desired,
                               load_raci, load_reasons, path_for, save_desired, save_raci, save_reasons)


def saved(tmp_path, text: str):
    path = path_for(tmp_path, "desired_state")
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return tmp_path


def problems(client_dir, areas=()):
    with pytest.raises(InputError) as info:
        load_desired(client_dir, areas)
    return {p.column: p for p in info.value.problems}


def test_saved_inputs_load_back(tmp_path):
    inputs = DesiredInputs(targets={"nps": 25.0, "csat": 0.8}, maturity={"data": 3.5, "strategy": 4.0})
    save_desired(tmp_path, inputs)
    assert load_desired(tmp_path, ["data", "strategy"]) == inputs


def test_nothing_saved_is_no_inputs(tmp_path):
    assert load_desired(tmp_path) == DesiredInputs()
    assert load_desired(saved(tmp_path, "# Saved by the desired-state workshop widgets\n")) == DesiredInputs()


def test_targets_follow_the_client_yaml_rule_at_their_lines(tmp_path):
    found = problems(saved(tmp_path, "targets:\n  nps: 20\n  csat: 7\n  npx: 3\n"))
    assert {c: (p.file, p.row, p.value) for c, p in found.items()} == {
        "targets.csat": ("workshop/desired_state.yaml", 3, "7"),
        "targets.npx": ("workshop/desired_state.yaml", 4, "npx"),
    }
    with pytest.raises(Exception) as config_error:
        ClientConfig.model_validate({"name": "x", "channels": [{"id": "phone", "name": "Phone", "kind": "queue"}],
                                     "targets": {"csat": 7}})
    assert found["targets.csat"].expected in str(config_error.value), "one rule for both files"
    assert "unknown KPI 'npx'; known: nps, csat" in found["targets.npx"].expected


def test_maturity_levels_are_1_to_5_and_areas_those_of_the_maturity_table(tmp_path):
    found = problems(saved(tmp_path, "maturity:\n  data: 0.5\n  strategy: 7\n"), ["data", "strategy"])
    assert {c: (p.row, p.value) for c, p in found.items()} == {"maturity.data": (2, "0.5"),
                                                                "maturity.strategy": (3, "7")}
    assert found["maturity.strategy"].expected == "maturity: a desired level from 1 to 5 per maturity area"
    [p] = problems(saved(tmp_path, "maturity:\n  data: 3\n  stratgy: 3\n"), ["data", "strategy"]).values()
    assert (p.row, p.column, p.value) == (3, "maturity.stratgy", "stratgy")
    assert p.expected == "one of the areas of the maturity table: data, strategy"
    assert load_desired(saved(tmp_path, "maturity:\n  stratgy: 3\n")).maturity == {"stratgy": 3.0}, \
        "areas are checked only when known"


def test_corrupt_file_is_a_problem_at_its_line(tmp_path):
    [p] = problems(saved(tmp_path, "targets:\n  nps: [20\n")).values()
    assert (p.file, p.row) == ("workshop/desired_state.yaml", 3) and "valid YAML" in p.expected


# --- step 06: reasons.yaml -----------------------------------------------------------------

def test_reason_labels_round_trip_and_fill_the_reasons_table(tmp_path):
    inputs = ReasonInputs(reasons={"var är min faktura": ReasonLabel(demand_type="failure", owner_department="bill"),
                                   "övrigt": ReasonLabel(demand_type="value")})
    path = save_reasons(tmp_path, inputs)
    assert path == tmp_path / "workshop" / "reasons.yaml" and "root_cause" not in path.read_text(encoding="utf-8")
    assert load_reasons(tmp_path, {"var är min faktura", "övrigt"}, ["bill"]) == inputs
    table = pd.DataFrame({"reason": ["var är min faktura", "faktura fel"], "demand_type": [None, "failure"],
                          "root_cause": ["sent late", "meter"], "owner_department": [None, "bill"]})
    out = labelled_reasons(table, inputs).set_index("reason")
    assert out.loc["var är min faktura", ["demand_type", "root_cause", "owner_department"]].tolist() == [
        "failure", "sent late", "bill"]  # a key the workshop left out keeps the table's value
    assert out["from_workshop"].to_dict() == {"var är min faktura": True, "faktura fel": False, "övrigt": True}
    assert pd.isna(out.loc["övrigt", "root_cause"])


def test_reason_labels_are_checked_at_their_lines(tmp_path):
    path = path_for(tmp_path, "reasons")
    path.parent.mkdir()
    path.write_text("reasons:\n  faktura fel:\n    demand_type: waste\n  okänd:\n    owner_department: hr\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_reasons(tmp_path, {"faktura fel"}, ["bill"])
    found = {p.column: (p.file, p.row, p.value, p.expected) for p in info.value.problems}
    assert found["reasons.faktura fel.demand_type"][:3] == ("workshop/reasons.yaml", 3, "waste")
    assert found["reasons.faktura fel.demand_type"][3] == "demand_type: value or failure"
    assert found["reasons.okänd"][1:3] == (4, "okänd")


# --- step 08: raci.yaml --------------------------------------------------------------------

def test_raci_edits_round_trip_and_a_new_edit_replaces_only_its_cell(tmp_path):
    inputs = RaciInputs().edited("I01", "it", "C").edited("I01", "marknad", "R").edited("I01", "it", "I")
    assert inputs.initiatives == {"I01": {"it": "I", "marknad": "R"}}
    save_raci(tmp_path, inputs)
    assert load_raci(tmp_path, ["it", "marknad"]) == inputs
    assert load_raci(tmp_path / "elsewhere") == RaciInputs()


def test_raci_edits_are_checked_at_their_lines(tmp_path):
    path = path_for(tmp_path, "raci")
    path.parent.mkdir()
    path.write_text("initiatives:\n  I01:\n    it: X\n    hr: C\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_raci(tmp_path, ["it", "marknad"])
    found = {p.column: (p.file, p.row, p.value, p.expected) for p in info.value.problems}
    assert found["initiatives.I01.it"] == ("workshop/raci.yaml", 3, "X", "one of A/R, A, R, C, I")
    assert found["initiatives.I01.hr"] == ("workshop/raci.yaml", 4, "hr", "a department id of client.yaml: it, marknad")
