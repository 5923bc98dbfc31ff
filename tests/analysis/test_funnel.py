"""cxlib.analysis.funnel against funnels worked by hand.

z = 1.959964 (95 %), z² = 3.841459; Wilson k/n: centre (k + 1.920729)/(n + 3.841459), half-width
1.959964/(n + 3.841459) · √(k(n − k)/n + 0.960365). Every expected number is worked in the comments.
"""

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import funnel as f

T0 = pd.Timestamp("2025-01-06 09:00")
WEEK_S = 7 * 86400


def at(seconds=0, days=0):
    return T0 + pd.Timedelta(days=days, seconds=seconds)


@pytest.fixture
def journeys():
    """Two journeys; rows deliberately out of timestamp order within sessions.

    apply (step_order 10, 20, 30 → steps 1, 2, 3; 7-day window):
      s1 desktop  10 @0, 20 @60 s, 30 @180 s            → reaches 3 (60 s, 120 s); customer only on step 20
      s2 desktop  10 @0, 20 @120 s, 30 @8 days           → reaches 2 (step 3 after the window)
      s3 mobile   10 @0, 30 @300 s (skips 20)            → reaches 1 (a missed step ends the funnel);
                  its step-30 row comes first and says desktop, the step-1 event says mobile
      s4 mobile   20 @0, 30 @60 s (no step 1)            → not in the funnel
      s5 mobile   10 @600 s, 20 @540 s (before step 1)   → reaches 1
      s6 mobile   10 @0, 20 @30 s, 30 @90 s              → reaches 3 (30 s, 60 s); no customer
      s7 desktop  10 @0, 20 @240 s, 30 @7 days exactly   → reaches 3 (the window's edge counts)
      s8 desktop  10 @0                                  → reaches 1
    buy (step_order 1, 2): b1 desktop 1 @0, 2 @45 s → reaches 2; b2 mobile 1 @0 → reaches 1.
    s6 calls step 20 "Details", every other session "details": the name most events carry wins.
    """
    rows = [
        ("s1", "apply", "submit", 30, at(180), "desktop", None),
        ("s1", "apply", "start", 10, at(0), "desktop", None),
        ("s1", "apply", "details", 20, at(60), "desktop", "c1"),
        ("s2", "apply", "details", 20, at(120), "desktop", "c2"),
        ("s2", "apply", "start", 10, at(0), "desktop", "c2"),
        ("s2", "apply", "submit", 30, at(0, 8), "desktop", "c2"),
        ("s3", "apply", "submit", 30, at(300), "desktop", "c3"),
        ("s3", "apply", "start", 10, at(0), "mobile", "c3"),
        ("s4", "apply", "details", 20, at(0), "mobile", "c4"),
        ("s4", "apply", "submit", 30, at(60), "mobile", "c4"),
        ("s5", "apply", "start", 10, at(600), "mobile", "c5"),
        ("s5", "apply", "details", 20, at(540), "mobile", "c5"),
        ("s6", "apply", "start", 10, at(0), "mobile", None),
        ("s6", "apply", "Details", 20, at(30), "mobile", None),
        ("s6", "apply", "submit", 30, at(90), "mobile", None),
        ("s7", "apply", "submit", 30, at(0, 7), "desktop", "c7"),
        ("s7", "apply", "details", 20, at(240), "desktop", "c7"),
        ("s7", "apply", "start", 10, at(0), "desktop", "c7"),
        ("s8", "apply", "start", 10, at(0), "desktop", "c8"),
        ("b1", "buy", "cart", 1, at(0), "desktop", "c1"),
        ("b1", "buy", "pay", 2, at(45), "desktop", "c1"),
        ("b2", "buy", "cart", 1, at(0), "mobile", "c2"),
    ]
    columns = ["session_id", "journey", "step", "step_order", "timestamp", "device", "customer_id"]
    return pd.DataFrame(rows, columns=columns)


def row(frame, **where):
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= (frame[column] == value).to_numpy()
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


# --- journey_steps and session_paths ----------------------------------------------------


def test_journey_steps_rank_step_orders_and_take_the_most_common_name(journeys):
    steps = f.journey_steps(journeys)
    assert steps["journey"].tolist() == ["apply"] * 3 + ["buy"] * 2
    assert steps["step"].tolist() == [1, 2, 3, 1, 2]
    assert steps["step_order"].tolist() == [10, 20, 30, 1, 2]
    # step_order 20: "details" × 5 (s1, s2, s4, s5, s7) against "Details" × 1 (s6)
    assert steps["step_name"].tolist() == ["start", "details", "submit", "cart", "pay"]


def test_journey_steps_name_tie_goes_to_the_first_alphabetically():
    table = pd.DataFrame({"journey": "j", "step": ["zeta", "alpha", "beta"], "step_order": [1, 1, 2],
                          "session_id": ["a", "b", "a"], "timestamp": [T0, T0, T0]})
    # step_order 1: "zeta" 1, "alpha" 1 → tie → "alpha"
    assert f.journey_steps(table)["step_name"].tolist() == ["alpha", "beta"]


def test_session_paths_by_hand(journeys):
    paths = f.session_paths(journeys).set_index("session_id")
    # s4 never has step 1: not in the funnel
    assert sorted(paths.index) == ["b1", "b2", "s1", "s2", "s3", "s5", "s6", "s7", "s8"]
    reached = paths["reached"].to_dict()
    assert reached == {"s1": 3, "s2": 2, "s3": 1, "s5": 1, "s6": 3, "s7": 3, "s8": 1, "b1": 2, "b2": 1}
    assert paths.loc["s1", "steps"] == 3 and paths.loc["b1", "steps"] == 2
    # seconds between steps: s1 60 and 180 − 60 = 120; s7 240 and 7 days − 240 s = 604 800 − 240 = 604 560
    assert paths.loc["s1", ["step_2_s", "step_3_s"]].tolist() == [60.0, 120.0]
    assert paths.loc["s7", ["step_2_s", "step_3_s"]].tolist() == [240.0, 604560.0]
    assert paths.loc["s2", "step_2_s"] == 120.0 and math.isnan(paths.loc["s2", "step_3_s"])
    assert math.isnan(paths.loc["s5", "step_2_s"])  # step 20 stamped before step 10
    assert paths.loc["b1", "step_2_s"] == 45.0 and math.isnan(paths.loc["b1", "step_3_s"])
    # entered at the step-1 event, last_at when the last step reached was reached
    assert paths.loc["s5", "entered_at"] == at(600) and paths.loc["s5", "last_at"] == at(600)
    assert paths.loc["s2", "last_at"] == at(120)
    assert paths.loc["s7", "last_at"] == at(0, 7)
    # device of the step-1 event (s3's first row says desktop); customer the first known one
    assert paths.loc["s3", "device"] == "mobile"
    assert paths.loc["s1", "customer_id"] == "c1"
    assert pd.isna(paths.loc["s6", "customer_id"])


def test_session_paths_of_text_in_arrow_chunks(journeys):
    # a table put together from two exports holds its text in two Arrow chunks; s3 spans both
    halves = journeys.iloc[:7].astype({"session_id": "str"}), journeys.iloc[7:].astype({"session_id": "str"})
    joined = pd.concat(halves, ignore_index=True)
    assert joined["session_id"].array.__arrow_array__().num_chunks == 2
    paths = f.session_paths(joined).set_index("session_id")
    assert paths["reached"].to_dict() == {"s1": 3, "s2": 2, "s3": 1, "s5": 1, "s6": 3, "s7": 3, "s8": 1, "b1": 2,
                                          "b2": 1}
    assert paths.loc["s3", "device"] == "mobile" and paths.loc["s2", "customer_id"] == "c2"


def test_a_session_id_in_two_journeys_is_two_paths():
    # session "x" starts both journeys; each journey has its own funnel row for it
    table = pd.DataFrame({"session_id": ["x", "x", "x", "y"], "journey": ["a", "a", "b", "b"],
                          "step": ["a1", "a2", "b1", "b1"], "step_order": [1, 2, 3, 3],
                          "timestamp": [at(0), at(60), at(10), at(0)], "device": "mobile",
                          "customer_id": [None, "c1", "c2", None]})
    paths = f.session_paths(table).set_index(["journey", "session_id"])
    assert sorted(paths.index) == [("a", "x"), ("b", "x"), ("b", "y")]
    assert paths.loc[("a", "x"), "reached"] == 2 and paths.loc[("b", "x"), "reached"] == 1
    # the first known customer within each (session, journey)
    assert paths.loc[("a", "x"), "customer_id"] == "c1" and paths.loc[("b", "x"), "customer_id"] == "c2"
    assert pd.isna(paths.loc[("b", "y"), "customer_id"])


def test_session_paths_window_is_counted_from_entering(journeys):
    # a 1-day window: s7's step 3 at 7 days no longer counts, s2's never did
    paths = f.session_paths(journeys, window_days=1).set_index("session_id")
    assert paths.loc["s7", "reached"] == 2 and paths.loc["s1", "reached"] == 3
    # 8 days: s2's step 3 at exactly 8 days comes in
    paths = f.session_paths(journeys, window_days=8).set_index("session_id")
    assert paths.loc["s2", "reached"] == 3
    assert paths.loc["s2", "step_3_s"] == 8 * 86400 - 120
    with pytest.raises(ValueError, match="window_days"):
        f.session_paths(journeys, window_days=0)


# --- funnel -----------------------------------------------------------------------------


def test_funnel_by_hand(journeys):
    steps = f.journey_steps(journeys)
    out = f.funnel(f.session_paths(journeys), steps)
    apply = out[out["journey"] == "apply"].reset_index(drop=True)
    # entering 7 (s1 s2 s3 s5 s6 s7 s8); step 2: s1 s2 s6 s7 = 4; step 3: s1 s6 s7 = 3
    assert apply["step_name"].tolist() == ["start", "details", "submit"]
    assert apply["sessions"].tolist() == [7.0, 4.0, 3.0]
    np.testing.assert_allclose(apply["conversion"], [1.0, 4 / 7, 3 / 4])
    np.testing.assert_allclose(apply["from_first"], [1.0, 4 / 7, 3 / 7])
    assert apply["drop_off"].tolist() == [0.0, 3.0, 1.0]
    # medians: step 2 of [60, 120, 30, 240] = (60 + 120)/2 = 90; step 3 of [120, 60, 604560] = 120
    assert math.isnan(apply.loc[0, "median_s"])
    assert apply.loc[1:, "median_s"].tolist() == [90.0, 120.0]
    # Wilson 4/7: centre 5.920729/10.841459 = 0.546119, half 0.180785 · √(1.714286 + 0.960365) = 0.295661
    #   → (0.250458, 0.841780); the same at step 2 for both shares (previous = first = 7)
    step2 = apply.loc[1]
    assert (step2["conversion_low"], step2["conversion_high"]) == pytest.approx((0.250458, 0.841780), abs=5e-6)
    assert (step2["from_first_low"], step2["from_first_high"]) == pytest.approx((0.250458, 0.841780), abs=5e-6)
    # 3/7 is the mirror image of 4/7: (1 − 0.841780, 1 − 0.250458) = (0.158220, 0.749542)
    step3 = apply.loc[2]
    assert (step3["from_first_low"], step3["from_first_high"]) == pytest.approx((0.158220, 0.749542), abs=5e-6)
    # 3/4: centre 4.920729/7.841459 = 0.627527, half 0.249949 · √(0.75 + 0.960365) = 0.326885
    assert (step3["conversion_low"], step3["conversion_high"]) == pytest.approx((0.300642, 0.954413), abs=5e-6)
    # buy has its own two steps only: 2 entering, 1 pays, median 45 s
    buy = out[out["journey"] == "buy"]
    assert buy["step"].tolist() == [1, 2]
    assert buy["sessions"].tolist() == [2.0, 1.0] and buy["drop_off"].tolist() == [0.0, 1.0]
    assert buy["median_s"].iloc[1] == 45.0


def test_funnel_by_device_by_hand(journeys):
    steps = f.journey_steps(journeys)
    out = f.funnel(f.session_paths(journeys), steps, by="device")
    desktop = out[(out["journey"] == "apply") & (out["device"] == "desktop")]
    mobile = out[(out["journey"] == "apply") & (out["device"] == "mobile")]
    # desktop s1 s2 s7 s8: 4 → 3 (s1 s2 s7) → 2 (s1 s7); mobile s3 s5 s6: 3 → 1 (s6) → 1
    assert desktop["sessions"].tolist() == [4.0, 3.0, 2.0]
    assert mobile["sessions"].tolist() == [3.0, 1.0, 1.0]
    np.testing.assert_allclose(desktop["conversion"], [1, 3 / 4, 2 / 3])
    np.testing.assert_allclose(mobile["conversion"], [1, 1 / 3, 1])
    assert mobile["drop_off"].tolist() == [0.0, 2.0, 0.0]
    # desktop step 3 median of [120, 604560] = 302340
    assert desktop["median_s"].tolist()[1:] == [120.0, 302340.0]
    # buy, mobile: 1 enters, none pays; 0/1 has Wilson (0, 3.841459/4.841459 = 0.793451)
    pay = row(out, journey="buy", device="mobile", step=2)
    assert pay["sessions"] == 0 and pay["conversion"] == 0 and pay["drop_off"] == 1
    assert pay["conversion_high"] == pytest.approx(0.793451, abs=5e-6)


def test_funnel_of_no_sessions_is_empty(journeys):
    out = f.funnel(f.session_paths(journeys).iloc[:0], f.journey_steps(journeys), by="device")
    assert out.empty and "conversion" in out.columns and "device" in out.columns


# --- device_gaps ------------------------------------------------------------------------


def by_device_table():
    """A funnel by device from counts: sessions reaching steps 1–4 (apply) and 1–3 (buy)."""
    counts = {("apply", "desktop"): [200, 150, 120, 60], ("apply", "mobile"): [300, 180, 150, 60],
              ("apply", "tablet"): [20, 10, 5, 5],
              ("buy", "desktop"): [100, 50, 25], ("buy", "mobile"): [40, 20, 10]}
    rows = []
    for (journey, device), sessions in counts.items():
        for k, n in enumerate(sessions):
            previous = sessions[k - 1] if k else n
            rows.append({"device": device, "journey": journey, "step": k + 1, "step_name": f"{journey}{k + 1}",
                         "sessions": float(n), "conversion": n / previous, "drop_off": float(previous - n)})
    return pd.DataFrame(rows)


def test_device_gaps_by_hand():
    out = f.device_gaps(by_device_table(), years=2.0)
    assert "desktop" not in set(out["device"])
    assert len(out) == 3 + 3 + 2  # apply mobile, apply tablet (steps 2–4), buy mobile (steps 2–3)
    m2 = row(out, journey="apply", device="mobile", step=2)
    # mobile 180/300 = 0.6 against desktop 150/200 = 0.75
    assert m2["entered"] == 300 and m2["conversion"] == pytest.approx(0.6)
    assert m2["reference_conversion"] == pytest.approx(0.75) and m2["gap"] == pytest.approx(-0.15)
    # pooled 330/500 = 0.66; se = √(0.66 · 0.34 · (1/300 + 1/200)) = 0.043243; z = −3.468730, p = 0.000523
    assert m2["p"] == pytest.approx(0.000523, abs=5e-7)
    # Newcombe: Wilson 180/300 = (0.543637, 0.653835), 150/200 = (0.685659, 0.804918)
    # low = −0.15 − √(0.056363² + 0.054918²) = −0.228694; high = −0.15 + √(0.053835² + 0.064341²) = −0.066107
    assert (m2["gap_low"], m2["gap_high"]) == pytest.approx((-0.228694, -0.066107), abs=5e-6)
    # raw p per step (pooled z-tests, as above):
    #   mobile  step 2 0.000523, step 3 (0.833 vs 0.8) 0.434370, step 4 (0.4 vs 0.5) 0.100348
    #   tablet  step 2 (0.5 vs 0.75) 0.016685, step 3 (0.5 vs 0.8) 0.026285, step 4 (1 vs 0.5) 0.028333
    #   buy mobile: 0.5 vs 0.5 at steps 2 and 3: z = 0, p = 1
    p = {(j, d, s): v for j, d, s, v in out[["journey", "device", "step", "p"]].itertuples(index=False)}
    assert p[("apply", "mobile", 3)] == pytest.approx(0.434370, abs=5e-7)
    assert p[("apply", "mobile", 4)] == pytest.approx(0.100348, abs=5e-7)
    assert p[("apply", "tablet", 2)] == pytest.approx(0.016685, abs=5e-7)
    assert p[("apply", "tablet", 3)] == pytest.approx(0.026285, abs=5e-7)
    assert p[("apply", "tablet", 4)] == pytest.approx(0.028333, abs=5e-7)
    assert p[("buy", "mobile", 2)] == pytest.approx(1.0) and p[("buy", "mobile", 3)] == pytest.approx(1.0)
    # Holm within each journey and device (m = 3 for apply, m = 2 for buy):
    #   apply mobile: sorted 0.000523 × 3 = 0.001569, 0.100348 × 2 = 0.200696, 0.434370 × 1 → as is
    #   apply tablet: 0.016685 × 3 = 0.050056, 0.026285 × 2 = 0.052571, 0.028333 × 1 = 0.028333
    #                 → running max 0.050056, 0.052571, 0.052571
    #   buy mobile:   1 × 2 = 2, 1 × 1 = 1 → running max 2, 2 → capped at 1, 1
    adjusted = {(j, d, s): v for j, d, s, v in out[["journey", "device", "step", "p_adjusted"]].itertuples(index=False)}
    assert adjusted[("apply", "mobile", 2)] == pytest.approx(0.001569, abs=5e-6)
    assert adjusted[("apply", "mobile", 4)] == pytest.approx(0.200696, abs=5e-6)
    assert adjusted[("apply", "mobile", 3)] == pytest.approx(0.434370, abs=5e-6)
    assert adjusted[("apply", "tablet", 2)] == pytest.approx(0.050056, abs=5e-6)
    assert adjusted[("apply", "tablet", 3)] == pytest.approx(0.052571, abs=5e-6)
    assert adjusted[("apply", "tablet", 4)] == pytest.approx(0.052571, abs=5e-6)
    assert adjusted[("buy", "mobile", 2)] == 1.0 and adjusted[("buy", "mobile", 3)] == 1.0
    # lost = entered · max(reference − conversion, 0), per year over 2 years:
    #   mobile step 2: 300 · 0.15 = 45 → 22.5; step 4: 150 · 0.1 = 15 → 7.5; step 3 better → 0
    #   tablet step 2: 20 · 0.25 = 5 → 2.5; step 3: 10 · 0.3 = 3 → 1.5; step 4 better → 0
    assert out["lost"].tolist()[:4] == pytest.approx([45.0, 15.0, 5.0, 3.0])
    assert out["lost_per_year"].tolist() == pytest.approx([22.5, 7.5, 2.5, 1.5, 0, 0, 0, 0])
    assert out[["device", "step"]].iloc[:4].values.tolist() == [["mobile", 2], ["mobile", 4], ["tablet", 2],
                                                                 ["tablet", 3]]


def test_device_gaps_from_the_worked_funnel(journeys):
    steps = f.journey_steps(journeys)
    by_device = f.funnel(f.session_paths(journeys), steps, by="device")
    out = f.device_gaps(by_device, years=0.5)
    apply2 = row(out, journey="apply", step=2)
    # mobile 1/3 against desktop 3/4: gap −5/12; lost 3 · 5/12 = 1.25, per half year → 2.5 a year
    assert apply2["device"] == "mobile" and apply2["entered"] == 3
    assert apply2["gap"] == pytest.approx(-5 / 12)
    assert apply2["lost"] == pytest.approx(1.25) and apply2["lost_per_year"] == pytest.approx(2.5)
    # pooled 4/7: se = √(4/7 · 3/7 · (1/3 + 1/4)) = 0.377964; z = −0.416667/0.377964 = −1.102396, p = 0.270289
    assert apply2["p"] == pytest.approx(0.270289, abs=5e-6)
    # buy: mobile 0/1 against desktop 1/1: lost 1 · 1 = 1, a year 2
    assert row(out, journey="buy", step=2)["lost_per_year"] == pytest.approx(2.0)


# --- monthly_trend ----------------------------------------------------------------------


def test_monthly_trend_by_hand():
    rows = [  # journey, entered_at, device, reached (of 3)
        ("apply", "2025-01-05 10:00", "mobile", 3),
        ("apply", "2025-01-20 10:00", "mobile", 2),
        ("apply", "2025-01-10 10:00", "desktop", 3),
        ("apply", "2025-01-31 23:59", "desktop", 3),  # the month it entered, whenever it finished
        ("apply", "2025-01-15 10:00", "tablet", 1),
        ("apply", "2025-02-01 00:00", "mobile", 3),
        ("apply", "2025-02-10 10:00", "desktop", 3),
        ("apply", "2025-02-11 10:00", "desktop", 1),
        ("buy", "2025-01-03 10:00", "desktop", 3),
    ]
    paths = pd.DataFrame(rows, columns=["journey", "entered_at", "device", "reached"]).assign(
        entered_at=lambda d: pd.to_datetime(d["entered_at"]), steps=3)
    out = f.monthly_trend(paths)
    assert out[["journey", "month"]].values.tolist() == [["apply", "2025-01"], ["apply", "2025-02"],
                                                         ["buy", "2025-01"]]
    assert out["sessions"].tolist() == [5, 3, 1]
    # January: 2 of 5 mobile; mobile 1/2 done, desktop 2/2 → gap −0.5
    # February: 1 of 3 mobile; mobile 1/1, desktop 1/2 → gap +0.5
    np.testing.assert_allclose(out["mobile_share"], [0.4, 1 / 3, 0.0])
    np.testing.assert_allclose(out["mobile_conversion"].iloc[:2], [0.5, 1.0])
    np.testing.assert_allclose(out["reference_conversion"], [1.0, 0.5, 1.0])
    np.testing.assert_allclose(out["gap"].iloc[:2], [-0.5, 0.5])
    # buy: no mobile session, no mobile conversion and no gap
    assert math.isnan(out["mobile_conversion"].iloc[2]) and math.isnan(out["gap"].iloc[2])
    # Wilson 2/5: centre 3.920729/8.841459 = 0.443448, half 0.221677 · √(1.2 + 0.960365) = 0.325827
    jan = out.iloc[0]
    assert (jan["mobile_share_low"], jan["mobile_share_high"]) == pytest.approx((0.117621, 0.769276), abs=5e-6)
    # Newcombe 1/2 − 2/2: Wilson 1/2 = (0.094531, 0.905469), 2/2 = (0.342380, 1)
    #   low = −0.5 − √(0.405469² + 0²) = −0.905469; high = −0.5 + √(0.405469² + 0.657620²) = 0.272573
    assert (jan["gap_low"], jan["gap_high"]) == pytest.approx((-0.905469, 0.272573), abs=5e-6)
    # February 1/1 − 1/2: Wilson 1/1 = (0.206549, 1)
    #   low = 0.5 − √(0.793451² + 0.405469²) = −0.391050; high = 0.5 + √(0² + 0.405469²) = 0.905469
    feb = out.iloc[1]
    assert (feb["gap_low"], feb["gap_high"]) == pytest.approx((-0.391050, 0.905469), abs=5e-6)


# --- contacts_after_dropout and dropout_contact_rates -----------------------------------

T = pd.Timestamp("2025-03-03 10:00")
H, D, S = pd.Timedelta(hours=1), pd.Timedelta(days=1), pd.Timedelta(seconds=1)


@pytest.fixture
def dropouts_input():
    paths = pd.DataFrame([  # as session_paths gives them (nanosecond times)
        ("apply", "p1", "c1", "mobile", 1, 3, T),
        ("apply", "p2", "c2", "mobile", 2, 3, T),
        ("apply", "p3", "c3", "desktop", 1, 3, T + H),
        ("apply", "p4", "c4", "desktop", 3, 3, T),  # finished: not a dropout
        ("apply", "p5", None, "mobile", 1, 3, T),  # no customer: left out
        ("apply", "p6", "c6", "desktop", 2, 3, T),
        ("apply", "p7", "c7", "mobile", 1, 3, T),
    ], columns=["journey", "session_id", "customer_id", "device", "reached", "steps", "last_at"])
    paths["last_at"] = paths["last_at"].astype("datetime64[ns]")
    contacts = pd.DataFrame([
        ("k1", T - H, "c1", "phone", "billing"),  # before p1's last step: does not count
        ("k2", T + 2 * D, "c1", "chat", "login"),  # exactly 2 days after: counts
        ("k3", T + 2 * D + H, "c1", "phone", "login"),  # later than k2
        ("k4", T + H, "c3", "phone", "other"),  # at p3's last step, not after it
        ("k5", T, "c2", "phone", "login"),  # at p2's last step
        ("k6", T + 2 * D + S, "c2", "phone", "login"),  # one second outside the window
        ("k7", T + H, "c4", "phone", "x"),  # p4 finished
        ("k8", T + 3 * H, "c6", "email", "y"),
        ("k9", T + 2 * H, "c6", "phone", "z"),  # p6's first contact after (listed after k8)
        ("k10", T + H, None, "phone", "z"),  # no customer; p7's customer c7 never calls
    ], columns=["contact_id", "opened_at", "customer_id", "channel", "reason"])
    return paths, contacts


def test_contacts_after_dropout_by_hand(dropouts_input):
    paths, contacts = dropouts_input
    out = f.contacts_after_dropout(paths, contacts, days=2)
    # dropped with a customer: p1 p2 p3 p6 p7; sorted by journey, step (reached + 1), last_at
    assert out["session_id"].tolist() == ["p1", "p7", "p3", "p2", "p6"]
    assert out["step"].tolist() == [2, 2, 2, 3, 3]
    contact = dict(zip(out["session_id"], out["contact_id"]))
    assert contact["p1"] == "k2" and contact["p6"] == "k9"
    position = dict(zip(out["session_id"], out["contact_position"]))
    assert (position["p1"], position["p6"]) == (1, 8) and pd.isna(position["p2"])
    assert all(pd.isna(contact[s]) for s in ("p2", "p3", "p7"))
    p1 = row(out, session_id="p1")
    assert (p1["channel"], p1["reason"], p1["opened_at"]) == ("chat", "login", T + 2 * D)
    # a window one second longer takes in k6 for p2
    wider = f.contacts_after_dropout(paths, contacts, days=2 + 1 / 86400)
    assert row(wider, session_id="p2")["contact_id"] == "k6"
    with pytest.raises(ValueError, match="days"):
        f.contacts_after_dropout(paths, contacts, days=0)


def test_dropout_contact_rates_by_hand(dropouts_input):
    paths, contacts = dropouts_input
    dropouts = f.contacts_after_dropout(paths, contacts, days=2)
    steps = pd.DataFrame({"journey": "apply", "step": [1, 2, 3], "step_order": [1, 2, 3],
                          "step_name": ["start", "details", "submit"]})
    out = f.dropout_contact_rates(dropouts, steps)
    # step 2: desktop p3 (no contact) 0/1; mobile p1 (k2), p7 (none) 1/2
    # step 3: desktop p6 (k9) 1/1; mobile p2 (none) 0/1
    got = {(s, d): (n, k) for s, d, n, k in out[["step", "device", "dropped", "contacted"]].itertuples(index=False)}
    assert got == {(2, "desktop"): (1, 0), (2, "mobile"): (2, 1), (3, "desktop"): (1, 1), (3, "mobile"): (1, 0)}
    assert row(out, step=2, device="mobile")["step_name"] == "details"
    mobile2 = row(out, step=2, device="mobile")
    # Wilson 1/2: centre 0.5, half 1.959964/5.841459 · √(0.5 + 0.960365) = 0.405469
    assert mobile2["value"] == 0.5
    assert (mobile2["low"], mobile2["high"]) == pytest.approx((0.094531, 0.905469), abs=5e-6)
    # all devices together: step 2 1/3, step 3 1/2
    overall = f.dropout_contact_rates(dropouts, steps, by=())
    assert overall["dropped"].tolist() == [3, 2] and overall["contacted"].tolist() == [1, 1]
    np.testing.assert_allclose(overall["value"], [1 / 3, 0.5])
