import math

import pandas as pd
import pytest

from cxlib.results import Candidate, Effect, Finding, MissingResult, StepResult, kpis_from_table, load, records, save


def test_round_trip_with_nan_tables_and_scopes(tmp_path):
    table = pd.DataFrame({"channel": ["phone", "chat"], "kpi": ["nps", "nps"], "value": [12.5, float("nan")],
                          "low": [4.0, float("nan")], "high": [21.0, float("nan")], "n": [120, 0]})
    result = StepResult(step="01_current_state", client="Test AB", language="sv",
                        kpis=kpis_from_table(table, ["channel"]),
                        findings=[Finding(id="x", text="<b>NPS</b> 12", value=float("nan"))],
                        candidates=[Candidate(id="c1", name="Fix billing", area="demand", source_step="06_demand",
                                              mechanism="contacts_per_1000_customers",
                                              effects={"contacts_per_year": Effect(value=-1200, low=-1500,
                                                                                   high=-900)})],
                        tables={"t": records(table.assign(when=pd.Timestamp("2025-03-01 14:05")))})
    path = save(result, tmp_path)
    assert path == tmp_path / "results" / "01_current_state.json"
    back = load(tmp_path, "01_current_state")
    assert [k.scope for k in back.kpis] == ["channel:phone", "channel:chat"]
    assert back.kpis[0].value == 12.5 and back.kpis[1].value is None and back.kpis[1].n == 0
    assert back.findings[0].text == "<b>NPS</b> 12" and back.findings[0].value is None
    effect = back.candidates[0].effects["contacts_per_year"]
    assert (effect.value, effect.low, effect.high) == (-1200, -1500, -900) and back.candidates[0].effort is None
    frame = back.table("t")
    assert frame.loc[0, "when"] == "2025-03-01T14:05:00" and math.isnan(frame.loc[1, "value"])
    kf = back.kpi_frame()
    assert list(kf.columns) == ["kpi", "scope", "value", "low", "high", "n"] and kf.loc[0, "n"] == 120
    assert not list((tmp_path / "results").glob(".*tmp")), "temporary file left behind"


def test_missing_result_is_a_clear_error(tmp_path):
    with pytest.raises(MissingResult, match="run that step first"):
        load(tmp_path, "01_current_state")


def test_a_candidate_refuses_an_unknown_effect():
    with pytest.raises(ValueError, match="unknown effect ids nps"):
        Candidate(id="c", name="n", area="a", source_step="03_insight", mechanism="nps",
                  effects={"nps": Effect(value=1.0)})
