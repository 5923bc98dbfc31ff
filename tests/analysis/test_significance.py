"""cxlib.analysis.significance against hand-worked values.

z = 1.959964 (95 %), z² = 3.841459; every expected number is worked out in the comments.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxlib.analysis import significance as s
from cxlib.analysis.metrics import kpi_table

Z = 1.959963984540054


def answers(**counts):
    """NPS answers: answers(p=2, pa=1, d=3) → [10, 10, 8, 0, 0, 0]."""
    return [10] * counts.get("p", 0) + [8] * counts.get("pa", 0) + [0] * counts.get("d", 0)


def feedback_of(groups):
    """A feedback frame from {(channel, "YYYY-MM-DD"): [nps answers]}."""
    rows = [(channel, day, x) for (channel, day), xs in groups.items() for x in xs]
    channel, day, score = zip(*rows)
    return pd.DataFrame(
        {"date": pd.to_datetime(day), "channel": channel, "nps": pd.array(score, dtype="Int64")}
    )


# --- coverage --------------------------------------------------------------------------


@pytest.fixture
def tiny():
    feedback = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(1, 8)],
            "channel": ["A", "A", "A", "A", "B", "B", None],
            "nps": pd.array([10, 9, 3, None, 10, 6, 8], dtype="Int64"),
            "csat": pd.array([5, 4, 2, None, 3, 4, 4], dtype="Int64"),
            "contact_id": ["c1", "c2", "c9", "c3", "c4", "c4", None],
        }
    )
    contacts = pd.DataFrame(
        {"contact_id": ["c1", "c2", "c3", "c5", "c4", "c6", "c7"], "channel": ["A"] * 4 + ["B"] * 2 + ["C"]}
    )
    return feedback, contacts


def test_coverage_by_hand(tiny):
    feedback, contacts = tiny
    out = s.coverage(feedback, contacts).set_index("channel")
    # responses (rows with a score): A r1–r3 (r4 has none), B r5–r6, (missing) r7, C none
    assert list(out.index) == ["A", "B", "(missing)", "C"]  # by responses 3, 2, 1, 0
    assert out["responses"].tolist() == [3, 2, 1, 0]
    assert out["contacts"].tolist() == [4, 2, 0, 1]
    # A: r1 → c1, r2 → c2 are contacts (r3's c9 is not, r4 has no score): 2 / 4 = 0.5
    # B: r5, r6 both → c4, one contact answered: 1 / 2 = 0.5; C: 0 / 1; (missing): no contacts
    assert out.loc["A", "response_rate"] == 0.5
    assert out.loc["B", "response_rate"] == 0.5
    assert out.loc["C", "response_rate"] == 0.0
    assert math.isnan(out.loc["(missing)", "response_rate"])
    # A: 2 promoters, 1 detractor of 3 → NPS 100 × (2 − 1)/3 = 33.33; CSAT 2 of 3 are 4–5
    assert out.loc["A", "nps"] == pytest.approx(100 / 3)
    assert out.loc["A", "nps_n"] == 3
    assert out.loc["A", "csat"] == pytest.approx(2 / 3)
    assert out.loc["A", "nps_width"] == pytest.approx(out.loc["A", "nps_high"] - out.loc["A", "nps_low"])
    # no ces column at all → NaN
    assert out[["ces", "ces_low", "ces_high"]].isna().all().all()
    assert math.isnan(out.loc["C", "nps"])
    # every group has n < 30
    assert out["too_small"].all()
    # needed at ±10: A v = 2/3 + 1/3 − (1/3)² = 8/9 → ⌈3.841459 × 8/9 / 0.01⌉ = ⌈341.46⌉ = 342, missing 339
    # B one promoter, one detractor: v = 1 → 385, missing 383; C no answers: worst case 385
    assert out.loc["A", ["needed", "missing"]].tolist() == [342, 339]
    assert out.loc["B", ["needed", "missing"]].tolist() == [385, 383]
    assert out.loc["C", ["needed", "missing"]].tolist() == [385, 385]


def test_coverage_too_small_by_width(tiny):
    feedback, contacts = tiny
    # margin 100 points is always met (the interval is clipped to −100…100), so with
    # min_n = 1 only C, without any NPS answer, is too small
    out = s.coverage(feedback, contacts, margin=100, min_n=1).set_index("channel")
    assert out["too_small"].to_dict() == {"A": False, "B": False, "(missing)": False, "C": True}
    # margin 10 with min_n = 1: A (n = 3) is far wider than ±10
    assert s.coverage(feedback, margin=10, min_n=1).set_index("channel").loc["A", "too_small"]


def test_coverage_without_contacts(tiny):
    feedback, _ = tiny
    out = s.coverage(feedback)
    assert out["channel"].tolist() == ["A", "B", "(missing)"]
    assert out[["contacts", "response_rate"]].isna().all().all()


def test_coverage_sample(sample_ws):
    feedback, contacts = sample_ws.tables["feedback"], sample_ws.tables["contacts"]
    out = s.coverage(feedback, contacts, by="channel")
    assert set(feedback["channel"].dropna()) <= set(out["channel"])
    rates = out["response_rate"].dropna()
    assert len(rates) and rates.between(0, 1).all()
    assert out["responses"].is_monotonic_decreasing
    expected = kpi_table(sample_ws.tables, ["nps"], by="channel").set_index("channel")["value"]
    got = out.set_index("channel")["nps"]
    for channel, value in expected.items():
        assert got[channel] == pytest.approx(value)
    assert (out["missing"] == np.maximum(out["needed"] - out["nps_n"], 0)).all()


# --- compare to rest -------------------------------------------------------------------


def test_compare_to_rest_clear_difference():
    feedback = feedback_of(
        {
            ("X", "2025-01-10"): answers(p=40),  # NPS 100
            ("Y", "2025-01-10"): answers(p=10, pa=10, d=20),  # NPS (10 − 20)/40 = −25
            ("Z", "2025-01-10"): answers(p=10, pa=10, d=20),
        }
    )
    out = s.compare_to_rest(feedback, "channel").set_index("channel")
    assert list(out.index) == ["X", "Y", "Z"]  # diff descending (Y, Z tie, stable)
    # X vs rest (Y + Z: NPS −25): diff 125; Y vs rest (X + Z: 50 P, 10 Pa, 20 D → 37.5): diff −62.5
    assert out.loc["X", ["nps", "rest_nps", "diff"]].tolist() == pytest.approx([100, -25, 125])
    assert out.loc["Y", ["nps", "rest_nps", "diff"]].tolist() == pytest.approx([-25, 37.5, -62.5])
    # X: SE = 100 √(0/40 + 0.6875/80) = 9.27 (v_rest = 0.75 − 0.25² = 0.6875) → z = 13.5
    assert out.loc["X", "high"] - out.loc["X", "diff"] == pytest.approx(Z * 100 * math.sqrt(0.6875 / 80))
    assert out["verdict"].to_dict() == {"X": "higher", "Y": "lower", "Z": "lower"}
    assert out["significant"].all()
    assert (out["p_adjusted"] >= out["p"]).all()


def test_compare_to_rest_equal_groups_and_too_few():
    same = answers(p=15, pa=10, d=15)
    groups = {("X", "2025-01-10"): same, ("Y", "2025-01-10"): same + same, ("Z", "2025-01-10"): answers(p=5)}
    feedback = feedback_of(groups)
    out = s.compare_to_rest(feedback, "channel", correction="bh").set_index("channel")
    # X (NPS 0) vs Y + Z (45 P, 20 Pa, 30 D → 15.8): z well below 2 → not significant
    assert out.loc["X", "verdict"] == "not significant"
    assert out.loc["Y", "verdict"] == "not significant"
    # Z has 5 answers < 30: no test counted
    assert out.loc["Z", "verdict"] == "too few"
    assert math.isnan(out.loc["Z", "p_adjusted"]) and not out.loc["Z", "significant"]
    tested = out.dropna(subset=["p_adjusted"])
    assert (tested["p_adjusted"] >= tested["p"]).all()
    # without Z, X and Y have the same NPS: diff 0, z = 0, p = 1
    two = s.compare_to_rest(feedback[feedback["channel"] != "Z"], "channel")
    assert two["diff"].tolist() == pytest.approx([0, 0])
    assert two["p"].tolist() == pytest.approx([1, 1])
    assert set(two["verdict"]) == {"not significant"}


def test_compare_to_rest_missing_group():
    feedback = feedback_of({("X", "2025-01-10"): answers(p=3), ("Y", "2025-01-10"): answers(d=3)})
    feedback.loc[0, "channel"] = None
    out = s.compare_to_rest(feedback, "channel", min_n=1)
    assert "(missing)" in set(out["channel"])


# --- monthly change and trend ----------------------------------------------------------


def test_monthly_change_by_hand():
    month = answers(p=20, pa=10, d=10)  # NPS (20 − 10)/40 = 25
    feedback = feedback_of(
        {
            ("A", "2025-01-15"): month,
            ("A", "2025-02-03"): month,  # identical: change 0, z = 0, p = 1
            ("A", "2025-03-20"): answers(p=4, pa=6, d=30),  # (4 − 30)/40 = −65: change −90
            ("A", "2025-05-02"): answers(p=5),  # April has no answers; May 5 < 30
        }
    )
    out = s.monthly_change(feedback).set_index("month")
    assert list(out.index) == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
    assert out["n"].tolist() == [40, 40, 40, 0, 5]
    assert out["nps"].iloc[:3].tolist() == pytest.approx([25, 25, -65])
    assert math.isnan(out.loc["2025-01", "change"])
    assert out.loc["2025-02", ["change", "p"]].tolist() == pytest.approx([0, 1])
    assert out.loc["2025-03", "change"] == pytest.approx(-90)
    # Holm over the two tests made: Feb max(2 × p_Mar, 1 × 1) = 1, Mar 2 × p_Mar
    assert out.loc["2025-02", "p_adjusted"] == 1
    assert out.loc["2025-03", "p_adjusted"] == pytest.approx(2 * out.loc["2025-03", "p"])
    assert out["verdict"].tolist() == ["", "no significant change", "down", "too few", "too few"]
    assert out["significant"].tolist() == [False, False, True, False, False]


def test_monthly_change_up_and_missing_dates():
    feedback = feedback_of(
        {("A", "2025-11-15"): answers(p=5, pa=10, d=25), ("A", "2025-12-15"): answers(p=30, pa=5, d=5)}
    )
    feedback.loc[0, "date"] = pd.NaT  # a response without a date is left out
    out = s.monthly_change(feedback)
    assert out["month"].tolist() == ["2025-11", "2025-12"]
    assert out["n"].tolist() == [39, 40]
    assert out["verdict"].tolist() == ["", "up"]


def test_trend_exact_slope():
    # equal n per month, so the per-answer OLS slope is the slope through the monthly NPS:
    # Jan (3 − 3)/10 = 0, Feb (4 − 3)/10 = 10, Mar (5 − 3)/10 = 20 → exactly 10 points per month
    feedback = feedback_of(
        {
            ("A", "2025-01-05"): answers(p=3, pa=4, d=3),
            ("A", "2025-02-05"): answers(p=4, pa=3, d=3),
            ("A", "2025-03-05"): answers(p=5, pa=2, d=3),
        }
    )
    out = s.trend(feedback)
    assert out["slope"] == pytest.approx(10)
    assert (out["n"], out["months"]) == (30, 3)
    # HC1 in matrix form: (X'X)⁻¹ X' diag(e²) X (X'X)⁻¹ · n/(n − 2), X = [1, t]
    t = np.repeat([0.0, 1.0, 2.0], 10)
    y = np.array([100] * 3 + [0] * 4 + [-100] * 3 + [100] * 4 + [0] * 3 + [-100] * 3 + [100] * 5 + [0] * 2 + [-100] * 3)
    X = np.column_stack([np.ones_like(t), t])
    beta = np.linalg.solve(X.T @ X, X.T @ y)
    e = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    cov = bread @ (X.T * e**2) @ X @ bread * 30 / 28
    se = math.sqrt(cov[1, 1])
    assert beta[1] == pytest.approx(10)
    assert (out["low"], out["high"]) == pytest.approx((10 - Z * se, 10 + Z * se))
    assert out["p"] == pytest.approx(2 * stats.norm.sf(10 / se))


def test_trend_undefined_for_one_month():
    out = s.trend(feedback_of({("A", "2025-01-05"): answers(p=3, d=3)}))
    assert math.isnan(out["slope"]) and (out["n"], out["months"]) == (6, 1)


def test_sample_monthly(sample_ws):
    feedback = sample_ws.tables["feedback"]
    out = s.monthly_change(feedback)
    assert len(out) == 12 and out["month"].iloc[0] == "2025-01"
    tested = out.dropna(subset=["p_adjusted"])
    assert (tested["p_adjusted"] >= tested["p"]).all()
    assert set(out["verdict"]) <= {"up", "down", "no significant change", "too few", ""}
    result = s.trend(feedback)
    assert result["months"] == 12 and result["low"] < result["slope"] < result["high"]


# --- validation ------------------------------------------------------------------------


def test_unknown_column_is_named(tiny):
    feedback, contacts = tiny
    with pytest.raises((KeyError, ValueError), match="touchpoint"):
        s.coverage(feedback, contacts, by="touchpoint")
    with pytest.raises((KeyError, ValueError), match="touchpoint"):
        s.compare_to_rest(feedback, "touchpoint")
    with pytest.raises((KeyError, ValueError), match="date"):
        s.monthly_change(feedback)
    with pytest.raises(ValueError, match="nps"):
        s.compare_to_rest(feedback.drop(columns="nps"), "channel")


def test_bad_options_and_scores(tiny):
    feedback, _ = tiny
    with pytest.raises(ValueError, match="bonferroni"):
        s.compare_to_rest(feedback, "channel", correction="bonferroni")
    with pytest.raises(ValueError, match="alpha"):
        s.compare_to_rest(feedback, "channel", alpha=1.5)
    with pytest.raises(ValueError, match="margin"):
        s.coverage(feedback, margin=0)
    bad = feedback.assign(nps=pd.array([11, 9, 3, None, 10, 6, 8], dtype="Int64"))
    with pytest.raises(ValueError, match="nps"):
        s.compare_to_rest(bad, "channel")
