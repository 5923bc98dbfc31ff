import numpy as np
import pandas as pd

from cxlib.analysis.dashboard import COLUMNS, for_department, kpi_dashboard

OVERALL = pd.DataFrame({"kpi": ["nps", "csat", "fcr", "clv"], "value": [12.0, 0.81, 0.7, np.nan],
                        "low": [8.0, 0.78, 0.66, np.nan], "high": [16.0, 0.84, 0.74, np.nan], "n": [900, 850, 400, 0]})
GAPS = pd.DataFrame({"kpi": ["nps"], "target": [30.0], "gap": [18.0], "status": ["behind"]})
MONTHLY = pd.DataFrame({"month": ["2025-02", "2025-01", "2025-01", "2025-02", "2025-03"],
                        "kpi": ["nps", "nps", "csat", "csat", "csat"], "value": [14.0, 10.0, 0.8, 0.82, 0.81]})


def test_each_kpi_carries_its_interval_target_owner_and_monthly_trend_in_the_order_asked():
    board = kpi_dashboard(OVERALL, GAPS, MONTHLY, ["csat", "nps", "clv", "fcr"], {"nps": "kundservice"})
    assert list(board.columns) == COLUMNS
    assert list(board["kpi"]) == ["csat", "nps", "fcr"]  # clv has no value
    nps = board.set_index("kpi").loc["nps"]
    assert (nps["value"], nps["low"], nps["high"], nps["n"]) == (12.0, 8.0, 16.0, 900)
    assert (nps["target"], nps["gap"], nps["status"], nps["owner"]) == (30.0, 18.0, "behind", "kundservice")
    # months sorted; nps has no value in March, so its trend holds NaN there
    assert nps["trend_months"] == ["2025-01", "2025-02", "2025-03"]
    np.testing.assert_array_equal(nps["trend"], [10.0, 14.0, np.nan])
    csat = board.set_index("kpi").loc["csat"]
    assert csat["trend"] == [0.8, 0.82, 0.81] and pd.isna(csat["target"]) and pd.isna(csat["owner"])
    # fcr has no monthly values at all: the same months, each NaN
    np.testing.assert_array_equal(board.set_index("kpi").loc["fcr", "trend"], [np.nan] * 3)


def test_a_department_sees_the_kpis_it_owns():
    board = kpi_dashboard(OVERALL, GAPS, MONTHLY, ["nps", "csat"], {"nps": "kundservice", "csat": "it"})
    assert list(for_department(board, "it")["kpi"]) == ["csat"]
    assert for_department(board, "marknad").empty
