import math

import pandas as pd
import pytest

from cxlib.results import Candidate, Finding, MissingResult, StepResult, kpis_from_table, load, save


def test_round_trip_with_nan_tables_and_scopes(tmp_path):
    table = pd.DataFrame({"channel": ["phone", "chat"], "kpi": ["nps", "nps"], "value": [12.5, float("nan")],
                          "low": [4.0, float("nan")], "high": [21.0, float("nan")], "n": [120, 0]})
    result = StepResult(step="01_current_state", client="Test AB", language="sv",
                        kpis=kpis_from_table(table, ["channel"]),
                        findings=[Finding(id="x", text="<b>NPS</b> 12", value=float("nan"))],
                        candidates=[Candidate(id="c1", name="Fix billing", area="demand", expected_effect="-10 % contacts")])
    path = save(result, tmp_path, tables={"t": table.assign(when=pd.Timestamp("2025-03-01 14:05"))})
    assert path == tmp_path / "results" / "01_current_state.json"
    back = load(tmp_path, "01_current_state")
    assert [k.scope for k in back.kpis] == ["channel:phone", "channel:chat"]
    assert back.kpis[0].value == 12.5 and back.kpis[1].value is None and back.kpis[1].n == 0
    assert back.findings[0].text == "<b>NPS</b> 12" and back.findings[0].value is None
    frame = back.table("t")
    assert frame.loc[0, "when"] == "2025-03-01T14:05:00" and math.isnan(frame.loc[1, "value"])
    kf = back.kpi_frame()
    assert list(kf.columns) == ["kpi", "scope", "value", "low", "high", "n"] and kf.loc[0, "n"] == 120
    assert not list((tmp_path / "results").glob(".*tmp")), "temporary file left behind"


def test_missing_result_is_a_clear_error(tmp_path):
    with pytest.raises(MissingResult, match="run that step first"):
        load(tmp_path, "01_current_state")
