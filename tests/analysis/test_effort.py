"""cxlib.analysis.effort against touchpoints worked by hand.

CES is a mean with Student's t interval, mean ± t(0.975, n − 1) · s/√n; CSAT the Wilson interval of the
share of 4–5 answers (z = 1.959964, z² = 3.841459).
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxlib.analysis import effort as e
from cxlib.stats.nps import MIN_N


def touchpoint(name, ces, csat):
    return pd.DataFrame({"touchpoint": name, "ces": ces, "csat": csat})


@pytest.fixture
def feedback():
    """Four touchpoints with at least MIN_N = 30 CES answers, one below it, and answers without a touchpoint.

    A: 50 responses, 45 CES (15 × 2, 15 × 3, 15 × 4: mean 3), CSAT 30 × 5 + 20 × 2
    B: 31 responses, 30 CES (15 × 3, 15 × 4: mean 3.5)
    C: 60 responses, 60 CES (30 × 5, 30 × 7: mean 6)
    D: 30 responses, 30 CES (15 × 6, 15 × 7: mean 6.5)
    E: 35 responses, 29 CES (all 1): too few
    """
    nan = np.nan
    frame = pd.concat([
        touchpoint("A", [2] * 15 + [3] * 15 + [4] * 15 + [nan] * 5, [5] * 30 + [2] * 20),
        touchpoint("B", [3] * 15 + [4] * 15 + [nan], [4] * 31),
        touchpoint("C", [5] * 30 + [7] * 30, [5] * 60),
        touchpoint("D", [6] * 15 + [7] * 15, [3] * 30),
        touchpoint("E", [1] * 29 + [nan] * 6, [1] * 35),
        touchpoint(None, [1] * 10, [1] * 10),
    ], ignore_index=True)
    return frame.astype({"ces": "Float64", "csat": "Int64"})


def test_touchpoint_effort_values_and_intervals(feedback):
    assert MIN_N == 30
    out = e.touchpoint_effort(feedback).set_index("touchpoint")
    assert sorted(out.index) == ["A", "B", "C", "D", "E"]  # no touchpoint: left out
    assert out["responses"].to_dict() == {"A": 50, "B": 31, "C": 60, "D": 30, "E": 35}
    assert out["ces_n"].to_dict() == {"A": 45, "B": 30, "C": 60, "D": 30, "E": 29}
    np.testing.assert_allclose(out.loc[list("ABCDE"), "ces"], [3.0, 3.5, 6.0, 6.5, 1.0])
    # A: s² = (15 · 1 + 15 · 1)/44 = 0.681818, se = √(0.681818/45) = 0.123091,
    #    t(0.975, 44) = 2.015368 → half 0.248075 → (2.751925, 3.248075)
    half_a = stats.t.ppf(0.975, 44) * math.sqrt(30 / 44 / 45)
    assert half_a == pytest.approx(0.248075, abs=5e-7)
    assert (out.loc["A", "ces_low"], out.loc["A", "ces_high"]) == pytest.approx((2.751925, 3.248075), abs=5e-6)
    # B: s² = 30 · 0.25/29 = 0.258621, se = 0.092848, t(0.975, 29) = 2.045230 → half 0.189895
    assert (out.loc["B", "ces_low"], out.loc["B", "ces_high"]) == pytest.approx((3.310105, 3.689895), abs=5e-6)
    # C: s² = 60/59, se = √(1/59) = 0.130189, t(0.975, 59) = 2.000995 → half 0.260507
    assert (out.loc["C", "ces_low"], out.loc["C", "ces_high"]) == pytest.approx((5.739493, 6.260507), abs=5e-6)
    # A's CSAT 30/50: centre 31.920729/53.841459 = 0.592865, half 0.036403 · √(12 + 0.960365) = 0.131051
    assert out.loc["A", "csat"] == pytest.approx(0.6) and out.loc["A", "csat_n"] == 50
    assert (out.loc["A", "csat_low"], out.loc["A", "csat_high"]) == pytest.approx((0.461814, 0.723916), abs=5e-6)
    assert out["contacts"].isna().all()  # no contacts given


def test_touchpoint_effort_quadrants_by_hand(feedback):
    out = e.touchpoint_effort(feedback)
    # judged (≥ 30 CES answers): A, B, C, D. ces_cut = median(3, 3.5, 6, 6.5) = (3.5 + 6)/2 = 4.75;
    # volume_cut = median(50, 31, 60, 30) = (31 + 50)/2 = 40.5. E (29 answers, 35 responses) does not count.
    assert out["ces_cut"].unique().tolist() == [4.75] and out["volume_cut"].unique().tolist() == [40.5]
    by = out.set_index("touchpoint")
    # A: 3 < 4.75 and 50 > 40.5; B: 3.5 < 4.75, 31; C: 6, 60 > 40.5; D: 6.5, 30
    assert by.loc[list("ABCD"), "quadrant"].tolist() == ["fix_first", "high_effort", "high_volume", "low"]
    assert by.loc[list("ABCD"), "high_effort"].tolist() == [True, True, False, False]
    assert by.loc[list("ABCD"), "high_volume"].tolist() == [True, False, True, False]
    # E is small: flagged, no quadrant, neither high effort nor high volume although its CES is 1
    assert by["small"].to_dict() == {"A": False, "B": False, "C": False, "D": False, "E": True}
    assert pd.isna(by.loc["E", "quadrant"])
    assert not by.loc["E", "high_effort"] and not by.loc["E", "high_volume"]
    # effort_load = (7 − CES) × responses: A 4 · 50 = 200, B 3.5 · 31 = 108.5, C 1 · 60 = 60, D 0.5 · 30 = 15,
    # E 6 · 35 = 210; the hotspot A first, then the judged by effort_load: B, C, D, and E, small, last
    # although its effort_load is the largest (small samples are never ranked)
    assert by.loc[list("ABCDE"), "effort_load"].tolist() == [200.0, 108.5, 60.0, 15.0, 210.0]
    assert out["touchpoint"].tolist() == ["A", "B", "C", "D", "E"]


def test_touchpoint_effort_cuts_are_strict_and_min_n_is_a_parameter():
    # three touchpoints of 2 answers each with min_n = 2 (one of 1 answer is small):
    # CES X 2, Y 4, Z 6 → cut 4: Y (= the cut) is not high effort; responses 3, 2, 2 → cut 2: only X is above
    feedback = pd.DataFrame({"touchpoint": list("XXXYYZZW"),
                             "ces": [2, 2, np.nan, 4, 4, 6, 6, 1], "csat": [5, 5, 5, 4, 4, 1, 1, 1]})
    out = e.touchpoint_effort(feedback, min_n=2).set_index("touchpoint")
    assert (out["ces_cut"].iloc[0], out["volume_cut"].iloc[0]) == (4.0, 2.0)
    assert out.loc[["X", "Y", "Z"], "quadrant"].tolist() == ["fix_first", "low", "low"]
    assert out.loc["W", "small"] and pd.isna(out.loc["W", "quadrant"])


def test_touchpoint_effort_counts_contacts_at_the_touchpoint_of_their_reason(feedback):
    reasons = pd.DataFrame({"reason": ["ra", "rc", "rx"], "touchpoint": ["A", "C", None]})
    contacts = pd.DataFrame({"reason": ["ra"] * 3 + ["rc"] * 2 + ["rx", "ry"]})
    out = e.touchpoint_effort(feedback, contacts, reasons).set_index("touchpoint")
    # ra → A (3), rc → C (2); rx has no touchpoint, ry no reason row; B, D, E get none
    assert out["contacts"].to_dict() == {"A": 3.0, "B": 0.0, "C": 2.0, "D": 0.0, "E": 0.0}
    # reasons without a touchpoint column: contacts stay unknown
    out = e.touchpoint_effort(feedback, contacts, reasons.drop(columns="touchpoint"))
    assert out["contacts"].isna().all()


def test_wide_kpis_on_two_devices():
    feedback = pd.DataFrame({"device": ["desktop"] * 3 + ["mobile"] * 2, "csat": [5, 4, 2, 1, 5],
                             "ces": [7, 5, np.nan, 3, np.nan]})
    out = e.wide_kpis(feedback, ["ces", "csat"], "device")
    assert out.columns.tolist() == ["device", "ces", "ces_low", "ces_high", "ces_n",
                                    "csat", "csat_low", "csat_high", "csat_n"]
    desktop, mobile = out.set_index("device").loc["desktop"], out.set_index("device").loc["mobile"]
    # desktop CES 7, 5: mean 6, s = √2, se = 1, t(0.975, 1) = 12.706205 → (−6.706205, 18.706205)
    assert (desktop["ces"], desktop["ces_n"]) == (6.0, 2)
    assert (desktop["ces_low"], desktop["ces_high"]) == pytest.approx((-6.706205, 18.706205), abs=5e-6)
    # desktop CSAT 2/3 (5, 4 of 5, 4, 2): centre 3.920729/6.841459 = 0.573084, half 0.286484 · √(0.666667
    # + 0.960365) = 0.365424 → (0.207660, 0.938508)
    assert desktop["csat"] == pytest.approx(2 / 3) and desktop["csat_n"] == 3
    assert (desktop["csat_low"], desktop["csat_high"]) == pytest.approx((0.207660, 0.938508), abs=5e-6)
    # mobile: one CES answer (3) has no interval; CSAT 1/2 → (0.094531, 0.905469)
    assert (mobile["ces"], mobile["ces_n"]) == (3.0, 1)
    assert math.isnan(mobile["ces_low"]) and math.isnan(mobile["ces_high"])
    assert (mobile["csat"], mobile["csat_low"], mobile["csat_high"]) == pytest.approx((0.5, 0.094531, 0.905469),
                                                                                     abs=5e-6)
