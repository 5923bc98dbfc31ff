"""Moments of truth against hand-computed values."""

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis.metrics import nps_difference
from cxlib.analysis.moments import moments_of_truth


def _feedback():
    # touchpoint a: 40 answers, 20 detractors (score 2), 20 passives -> NPS -50
    # touchpoint b: 60 answers, 30 promoters (10), 30 passives (8)  -> NPS +50
    scores = [2] * 20 + [8] * 20 + [10] * 30 + [8] * 30
    return pd.DataFrame({
        "touchpoint": ["a"] * 40 + ["b"] * 60, "nps": pd.array(scores, dtype="Int64"),
        "customer_id": [f"K{i}" for i in range(100)],
        "date": pd.Timestamp("2025-06-01"),
    })


def test_impact_is_share_times_gap_to_the_rest():
    out = moments_of_truth(_feedback(), min_n=10).set_index("touchpoint")
    # a: share 0.4, NPS -50, rest (b) +50 -> impact 0.4 * 100 = 40 points
    assert out.loc["a", "nps"] == pytest.approx(-50)
    assert out.loc["a", "nps_rest"] == pytest.approx(50)
    assert out.loc["a", "impact"] == pytest.approx(40)
    # b: share 0.6, gap -100 -> -60 (b lifts the total)
    assert out.loc["b", "impact"] == pytest.approx(-60)
    test = nps_difference(_feedback()["nps"][40:], _feedback()["nps"][:40])
    assert out.loc["a", "impact_low"] == pytest.approx(0.4 * test.low)
    assert out.index.tolist() == ["a", "b"]  # largest drag first


def test_excess_churn_counts_customers_lost_after_a_bad_moment():
    fb = _feedback()
    # of a's 20 detractors 10 churn after answering; of a's 20 passives 2 churn; one more
    # passive had left before answering and is excluded.
    churned = {f"K{i}": pd.Timestamp("2025-09-01") for i in range(10)}
    churned |= {"K20": pd.Timestamp("2025-09-01"), "K21": pd.Timestamp("2025-09-01"),
                "K22": pd.Timestamp("2025-01-01")}
    customers = pd.DataFrame({"customer_id": fb["customer_id"],
                              "churned_at": fb["customer_id"].map(churned).astype("datetime64[us]")})
    a = moments_of_truth(fb, customers, {"a": "Pay"}, min_n=10).set_index("touchpoint").loc["a"]
    assert a["stage"] == "Pay"
    assert a["churn_detractors"] == pytest.approx(10 / 20)
    assert a["churn_others"] == pytest.approx(2 / 19)
    assert a["excess_churn"] == pytest.approx(20 * (10 / 20 - 2 / 19))


def test_small_touchpoints_are_left_out_and_churn_is_nan_without_customers():
    out = moments_of_truth(_feedback(), min_n=50)
    assert out["touchpoint"].tolist() == ["b"]
    assert np.isnan(out["excess_churn"].iloc[0])


def test_needs_touchpoint_and_nps():
    with pytest.raises(ValueError, match="touchpoint"):
        moments_of_truth(pd.DataFrame({"nps": [1]}))
