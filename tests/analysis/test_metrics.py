"""cxlib.analysis.metrics against hand-worked and published values.

z = 1.959964 (95 %) throughout; every expected number is worked out in the comments.
"""

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import metrics as m
from cxlib.kpis import KPIS

Z = 1.959963984540054
TEN = [10, 9, 9, 8, 7, 6, 5, 10, 3, 9]  # 5 promoters (10,9,9,10,9), 2 passives, 3 detractors


def ts(text):
    return pd.Timestamp(text)


@pytest.fixture
def feedback():
    return pd.DataFrame(
        {
            "response_id": pd.array(["r1", "r2", "r3", "r4", "r5", "r6"], dtype="string"),
            "date": pd.to_datetime(
                ["2024-01-05", "2024-01-20", "2024-01-31", "2024-02-01", "2024-02-14", "2024-02-28"]
            ),
            "channel": pd.array(["phone", "phone", "chat", "phone", "chat", "chat"], dtype="string"),
            "nps": pd.array([10, 9, 3, 6, 9, None], dtype="Int64"),
            "csat": pd.array([5, 4, 2, 3, 5, 4], dtype="Int64"),
            "ces": pd.array([7, 6, 2, 5, None, 3], dtype="Int64"),
        }
    )


@pytest.fixture
def customers():
    # At risk on 2024-01-01: c1, c2, c5 (since unknown), c6; c3 churned in 2023, c4 joined in June.
    # Churned within 2024: c1 (15 March) and c5 (31 December, the inclusive last day).
    return pd.DataFrame(
        {
            "customer_id": pd.array(["c1", "c2", "c3", "c4", "c5", "c6"], dtype="string"),
            "segment": pd.array(["b2c", "b2c", "b2b", "b2b", "b2b", "b2c"], dtype="string"),
            "since": pd.to_datetime(["2022-05-01", "2023-01-10", "2021-07-01", "2024-06-01", None, "2020-01-01"]),
            "churned_at": pd.to_datetime(["2024-03-15", None, "2023-11-30", None, "2024-12-31", None]),
            "annual_revenue": [1000.0, 2000.0, 500.0, 3000.0, 1500.0, 2500.0],
        }
    )


@pytest.fixture
def contacts():
    opened = pd.to_datetime(
        ["2024-01-10 09:00", "2024-01-15 10:00", "2024-01-20 11:00"]
        + ["2024-02-05 12:00", "2024-02-10 13:00", "2024-02-20 14:00"]
    )
    first = pd.to_timedelta([60, 120, 30, None, 240, 90], unit="s")
    closed = pd.to_timedelta([600, 1200, 300, None, 2400, None], unit="s")
    return pd.DataFrame(
        {
            "contact_id": pd.array([f"k{i}" for i in range(1, 7)], dtype="string"),
            "opened_at": opened,
            "channel": pd.array(["phone", "phone", "chat", "chat", "phone", "chat"], dtype="string"),
            "reason": pd.array(["billing", "billing", "delivery", "billing", "delivery", "delivery"], dtype="string"),
            "first_response_at": opened + first,
            "closed_at": opened + closed,
            "resolved_first_contact": pd.array([True, False, True, None, True, True], dtype="boolean"),
            "abandoned": pd.array([False, False, False, True, False, None], dtype="boolean"),
            "customer_id": pd.array(["c1", "c2", "c3", "c4", "c1", "c9"], dtype="string"),  # c9 is unknown
        }
    )


def est(value, low, high, n):
    return m.Estimate(pytest.approx(value, abs=1e-6), pytest.approx(low, abs=1e-6), pytest.approx(high, abs=1e-6), n)


# --- NPS -----------------------------------------------------------------------------


def test_nps_wald_by_hand():
    # p_P = 5/10, p_D = 3/10, NPS = 100·(0.5 − 0.3) = 20
    # var = 0.5 + 0.3 − 0.2² = 0.76; SE = √(0.76/10) = 0.275681; z·SE = 0.540325
    # → 20 ± 54.0325 = [−34.032478, 74.032478]
    assert m.nps(TEN, method="wald") == est(20.0, -34.032478, 74.032478, 10)


def test_nps_adjusted_wald_by_hand():
    # add ¾ promoter, 1½ passive, ¾ detractor: n' = 13, p' = 5.75/13 = 0.442308, d' = 3.75/13 = 0.288462
    # centre = 0.153846; var' = 0.730769 − 0.153846² = 0.707101; SE' = √(0.707101/13) = 0.233222
    # → 15.3846 ± 45.7106 = [−30.325994, 61.095225]; the value stays the plain NPS, 20
    assert m.nps(TEN) == est(20.0, -30.325994, 61.095225, 10)


def test_nps_published_example_whuber():
    # Cross Validated q. 18603 "How can I calculate margin of error in a NPS result?", answer by whuber:
    # ½ promoters, ⅓ passives, ⅙ detractors → NPS 33 %, SD 0.75, and "in a sample of 324 you would
    # expect an NPS of about 33 % with a standard error of about 4.1 %".
    e = m.nps_from_counts(162, 108, 54, method="wald")
    assert round(e.value) == 33
    assert (e.high - e.low) / (2 * Z) == pytest.approx(4.1, abs=0.05)


def test_nps_uses_nps_from_counts():
    assert m.nps(TEN) == m.nps_from_counts(5, 2, 3)
    assert m.nps(pd.Series(TEN + [None], dtype="Int64")) == m.nps(TEN)  # NA dropped


def test_nps_interval_is_clipped_and_empty_is_nan():
    assert m.nps([10] * 5, method="wald") == est(100.0, 100.0, 100.0, 5)
    empty = m.nps(pd.Series([None, None], dtype="Int64"))
    assert math.isnan(empty.value) and (empty.low, empty.high, empty.n) == (None, None, 0)


@pytest.mark.parametrize("bad", [[11, 9], [-1], [7.5], ["nine"]])
def test_nps_rejects_invalid_scores(bad):
    with pytest.raises(ValueError, match="nps scores"):
        m.nps(bad)


def test_invalid_options_are_rejected():
    with pytest.raises(ValueError, match="method"):
        m.nps(TEN, method="bootstrap")
    with pytest.raises(ValueError, match="confidence"):
        m.csat([5], confidence=95)
    with pytest.raises(ValueError, match="counts"):
        m.nps_from_counts(1.5, 0, 0)


def test_nps_difference_by_hand():
    # a = [10,10,9,8,3]: P 3, D 1, n 5 → NPS 40, v_a = 0.6 + 0.2 − 0.4² = 0.64
    # b = [9,7,6,5,2,10]: P 2, D 3, n 6 → NPS −16.667, v_b = 5/6 − (1/6)² = 0.805556
    # SE = 100·√(0.64/5 + 0.805556/6) = 51.211255; diff = 56.666667; z = 1.106528
    # p = erfc(z/√2) = 0.268498; interval 56.666667 ± 1.959964·51.211255
    r = m.nps_difference([10, 10, 9, 8, 3], [9, 7, 6, 5, 2, 10])
    assert r.diff == pytest.approx(56.666667, abs=1e-6)
    assert r.z == pytest.approx(1.106528, abs=1e-6)
    assert r.p_value == pytest.approx(math.erfc(1.1065276014915262 / math.sqrt(2)), abs=1e-9)
    assert r.p_value == pytest.approx(0.268498, abs=1e-6)
    assert (r.low, r.high) == (pytest.approx(-43.705548, abs=1e-6), pytest.approx(157.038881, abs=1e-6))
    assert (r.n_a, r.n_b) == (5, 6)


# --- CSAT, CES ---------------------------------------------------------------------------


def test_wilson_published_newcombe_1998():
    # Newcombe (1998), Statistics in Medicine 17:857–872, example 81/263: score interval 0.2553–0.3662
    e = m.csat([5] * 81 + [2] * 182)
    assert e.value == pytest.approx(81 / 263)
    assert (round(e.low, 4), round(e.high, 4)) == (0.2553, 0.3662)
    assert e.n == 263
    # 0/20: upper = z²/(n + z²) = 3.841459/23.841459 = 0.161125 (Newcombe's 0.1611)
    assert m.csat([1] * 20) == est(0.0, 0.0, 0.161125, 20)


def test_csat_top_two_box():
    # 4–5 count: 2 of 3 known answers
    e = m.csat(pd.Series([5, 4, 3, None], dtype="Int64"))
    assert (e.value, e.n) == (pytest.approx(2 / 3), 3)


def test_ces_mean_with_t_interval_by_hand():
    # mean = 47/8 = 5.875; Σ(x − mean)² = 8.875; s = √(8.875/7) = 1.125992; SE = s/√8 = 0.398098
    # t(0.975, 7) = 2.364624 (t table) → 5.875 ± 0.941353 = [4.933647, 6.816353]
    assert m.ces([7, 6, 5, 7, 4, 6, 7, 5]) == est(5.875, 4.933647, 6.816353, 8)
    one = m.ces([5])
    assert (one.value, one.low, one.high, one.n) == (5.0, None, None, 1)
    with pytest.raises(ValueError, match="ces scores must be whole numbers 1–7"):
        m.ces([0, 8])


def test_ces_easy_share_of_5_to_7():
    # 5, 6, 7 of [7, 6, 5, 4, 2] → 3/5
    assert m.ces_easy([7, 6, 5, 4, 2]).value == pytest.approx(0.6)


# --- contacts -------------------------------------------------------------------------


def response_times(seconds):
    opened = pd.Series(pd.Timestamp("2024-01-01 08:00"), index=range(len(seconds)))
    return pd.DataFrame({"opened_at": opened, "first_response_at": opened + pd.to_timedelta(seconds, unit="s")})


def test_quantile_interval_published_order_statistics():
    # Distribution-free CI for the median from order statistics; published table ("Table A.7:
    # Confidence Intervals for the Population Median"): n = 10 → [x(2), x(9)] at 97.9 %,
    # n = 20 → [x(6), x(15)] at 95.9 %. By hand for n = 10: Bin(10, ½) F(1) = 11/1024 < 0.025 ≤
    # F(2) = 56/1024 → r = 2; F(7) = 968/1024 < 0.975 ≤ F(8) = 1013/1024 → s = 9.
    assert m.first_response_time(response_times(list(range(1, 11)))) == est(5.5, 2, 9, 10)
    e = m.first_response_time(response_times([10 * i for i in range(20, 0, -1)]))
    assert (e.value, e.low, e.high) == (105.0, 60.0, 150.0)  # median of 10…200, x(6) = 60, x(15) = 150


def test_quantile_interval_undefined_bounds():
    # n = 5: [x(1), x(5)] covers only 93.8 % < 95 %, so neither bound exists at 95 %
    assert m.first_response_time(response_times([30, 60, 90, 120, 240])) == m.Estimate(90.0, None, None, 5)
    # q = 0.9, n = 10: lower rank r = 7 (F(6) = 0.0128 < 0.025 ≤ F(7)); upper rank 11 > n
    assert m.first_response_time(response_times(list(range(1, 11))), q=0.9) == m.Estimate(9.1, 7.0, None, 10)


def test_contact_times_exclude_abandoned_and_missing(contacts):
    # first response (s) of non-abandoned rows with both times: 60, 120, 30, 240, 90 → median 90
    assert m.first_response_time(contacts).value == 90.0
    assert m.first_response_time(contacts).n == 5
    # resolution: 600, 1200, 300, 2400 (k4 abandoned, k6 open) → median (600 + 1200)/2
    assert (m.resolution_time(contacts).value, m.resolution_time(contacts).n) == (900.0, 4)


def test_response_before_opening_is_rejected():
    with pytest.raises(ValueError, match="before opened_at"):
        m.first_response_time(response_times([60, -5]))


def test_fcr_and_abandonment(contacts):
    # fcr: non-abandoned with a known value: k1 T, k2 F, k3 T, k5 T, k6 T (abandoned unknown) → 4/5
    # Wilson 4/5: centre = 5.920729/8.841459 = 0.669655; half = 1.959964/8.841459·√(0.8 + 0.960365) = 0.294121
    assert m.fcr(contacts) == est(0.8, 0.375535, 0.963776, 5)
    # abandonment: k4 of the five with a known value
    assert (m.abandonment(contacts).value, m.abandonment(contacts).n) == (pytest.approx(0.2), 5)
    with pytest.raises(ValueError, match="no column 'abandoned'"):
        m.abandonment(contacts.drop(columns="abandoned"))


def test_contacts_per_1000_customers(contacts, customers):
    # 2024 (one year): 6 contacts; active customers c1, c2, c4, c5, c6 (c3 churned in 2023) → 6/5·1000
    # Exact Poisson 95 % limits for 6 events: 2.2019–13.0595 (Garwood) → ×200
    e = m.contacts_per_1000_customers(contacts, customers, (ts("2024-01-01"), ts("2024-12-31")))
    assert e == est(1200.0, 440.378851, 2611.894804, 5)


# --- customers ------------------------------------------------------------------------


def test_churn_retention_by_hand(customers):
    # at risk 4 (c1, c2, c5, c6), churned 2 (c1, c5) → 0.5 over calendar 2024, no annualising
    # Wilson 2/4: centre = (2 + 1.920729)/(4 + 3.841459) = 0.5; half = 1.959964/7.841459·√(1 + 0.960365) = 0.349961
    churn = m.churn_rate(customers, "2024-01-01", "2024-12-31")
    assert churn == est(0.5, 0.150039, 0.849961, 4)
    assert m.retention_rate(customers, "2024-01-01", "2024-12-31") == est(0.5, 0.150039, 0.849961, 4)


def test_churn_is_annualised(customers):
    # 2024-01-01…2024-06-30 is 182 days; c1 of the 4 at risk churned → p = 0.25
    # yearly: 1 − 0.75^(365.25/182) = 0.438610
    e = m.churn_rate(customers, "2024-01-01", "2024-06-30")
    assert (e.value, e.n) == (pytest.approx(0.438610, abs=1e-6), 4)
    assert m.retention_rate(customers, "2024-01-01", "2024-06-30").value == pytest.approx(1 - 0.438610, abs=1e-6)


def test_clv_by_hand(customers):
    # mean revenue of the 4 at risk = (1000 + 2000 + 1500 + 2500)/4 = 1750; r = 0.5, margin 0.5, d = 0.1
    # CLV = 1750·0.5·0.5/(1.1 − 0.5) = 729.166667
    # delta method: (0.25/0.6)²·(1 250 000/3)/4 = 18 084.49; (1750·0.5·1.1/0.36)²·0.5·0.5/4 = 446 762.27
    # SE = √464 846.76 = 681.7967 → 729.17 ± 1336.30 → [0 (clipped), 2065.463678]
    e = m.clv(customers, "2024-01-01", "2024-12-31", gross_margin=0.5, discount_rate=0.1)
    assert e == est(729.166667, 0.0, 2065.463678, 4)


def test_clv_margin_multiple_published():
    # Gupta & Lehmann's margin multiple r/(1 + i − r): "At r = 80 %, i = 10 % that is 2.67 years of margin"
    # 5 customers at risk, 1 churns in the year → r = 0.8; revenue 100 each
    frame = pd.DataFrame(
        {"churned_at": pd.to_datetime(["2024-05-01", None, None, None, None]), "annual_revenue": [100.0] * 5}
    )
    e = m.clv(frame, "2024-01-01", "2024-12-31", gross_margin=1.0, discount_rate=0.1)
    assert round(e.value / 100, 2) == 2.67


def test_customer_inputs_are_checked(customers):
    with pytest.raises(ValueError, match="no column 'churned_at'"):
        m.churn_rate(customers.drop(columns="churned_at"), "2024-01-01", "2024-12-31")
    with pytest.raises(ValueError, match="after end"):
        m.churn_rate(customers, "2024-12-31", "2024-01-01")
    with pytest.raises(ValueError, match="annual_revenue must be ≥ 0"):
        m.clv(customers.assign(annual_revenue=-1.0), "2024-01-01", "2024-12-31")


# --- gap ------------------------------------------------------------------------------


def test_gap_signs_and_interval():
    current = m.Estimate(20.0, 10.0, 30.0, 100)
    assert m.gap(current, 25, "higher") == m.Gap(5.0, False, True)
    assert m.gap(current, 35, "higher") == m.Gap(15.0, False, False)
    assert m.gap(current, 15, "higher") == m.Gap(-5.0, True, True)
    times = m.Estimate(900.0, 600.0, None, 40)
    assert m.gap(times, 600, "lower") == m.Gap(300.0, False, True)
    assert m.gap(times, 1000, "lower") == m.Gap(-100.0, True, True)
    assert m.gap(times, 500, "lower") == m.Gap(400.0, False, False)
    assert m.gap(m.Estimate(20.0, None, None, 5), 25, "higher") == m.Gap(5.0, False, False)
    nan = m.gap(m.Estimate(math.nan, None, None, 0), 10, "higher")
    assert math.isnan(nan.gap) and not nan.met and not nan.met_within_ci
    with pytest.raises(ValueError, match="better"):
        m.gap(current, 25, "up")


# --- kpi_table ------------------------------------------------------------------------


def rows(table, **where):
    sel = table
    for column, value in where.items():
        sel = sel[sel[column] == value]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def test_every_kpi_has_a_computation():
    assert set(m.METRICS) == set(KPIS)


def test_kpi_table_covers_every_kpi(feedback, contacts, customers):
    out = m.kpi_table({"feedback": feedback, "contacts": contacts, "customers": customers})
    assert list(out.columns) == ["kpi", "value", "low", "high", "n"]
    assert list(out["kpi"]) == list(KPIS)
    assert out["value"].notna().all()


def test_kpi_table_matches_single_functions(feedback, contacts, customers):
    data = {"feedback": feedback, "contacts": contacts, "customers": customers}
    out = m.kpi_table(data).set_index("kpi")
    expected = {
        "nps": m.nps(feedback["nps"]),
        "csat": m.csat(feedback["csat"]),
        "ces": m.ces(feedback["ces"]),
        "fcr": m.fcr(contacts),
        "resolution_time_p90_s": m.resolution_time(contacts, q=0.9),
        "churn_rate": m.churn_rate(customers, "2024-01-01", "2024-12-31"),  # default: year to last date
        "clv": m.clv(customers, "2024-01-01", "2024-12-31"),
        "contacts_per_1000_customers": m.contacts_per_1000_customers(contacts, customers),
    }
    for kpi, e in expected.items():
        got = tuple(out.loc[kpi, ["value", "low", "high", "n"]])
        want = (e.value, np.nan if e.low is None else e.low, np.nan if e.high is None else e.high, e.n)
        assert got == pytest.approx(want, nan_ok=True), kpi


def test_kpi_table_by_channel(feedback):
    out = m.kpi_table({"feedback": feedback}, by="channel")
    assert list(out.columns) == ["channel", "kpi", "value", "low", "high", "n"]
    assert list(out["channel"]) == ["chat"] * 4 + ["phone"] * 4  # sorted by group, then KPI order
    # phone: nps 10, 9, 6 → 2 P, 1 D → 33.33; chat: 3, 9 → 1 P, 1 D → 0
    assert rows(out, channel="phone", kpi="nps")[["value", "n"]].tolist() == [pytest.approx(100 / 3), 3]
    assert rows(out, channel="phone", kpi="nps")["low"] == pytest.approx(m.nps_from_counts(2, 0, 1).low)
    assert rows(out, channel="chat", kpi="nps")[["value", "n"]].tolist() == [0.0, 2]
    # csat 4–5: phone 5, 4, 3 → 2/3; chat 2, 5, 4 → 2/3; ces means: phone (7+6+5)/3 = 6, chat (2+3)/2 = 2.5
    assert rows(out, channel="chat", kpi="csat")["value"] == pytest.approx(2 / 3)
    assert rows(out, channel="phone", kpi="ces")["value"] == 6.0
    assert rows(out, channel="chat", kpi="ces")[["value", "n"]].tolist() == [2.5, 2]


def test_kpi_table_by_month_and_period(feedback):
    out = m.kpi_table({"feedback": feedback}, kpis=["nps", "csat"], by="month")
    assert out["month"].tolist() == ["2024-01", "2024-01", "2024-02", "2024-02"]
    # January nps 10, 9, 3 → 33.33 (n 3); February 6, 9 → 0 (n 2)
    assert rows(out, month="2024-01", kpi="nps")["value"] == pytest.approx(100 / 3)
    assert rows(out, month="2024-02", kpi="nps")[["value", "n"]].tolist() == [0.0, 2]
    # start/end are inclusive days: 2024-01-20…2024-02-01 keeps r2, r3, r4 → nps 9, 3, 6 → 1 P, 2 D
    period = m.kpi_table({"feedback": feedback}, kpis="nps", start="2024-01-20", end="2024-02-01")
    assert period[["value", "n"]].values.tolist() == [[pytest.approx(-100 / 3), 3]]


def test_kpi_table_min_n_masks_small_groups(feedback):
    out = m.kpi_table({"feedback": feedback}, kpis=["nps"], by="channel", min_n=3)
    chat = rows(out, channel="chat")
    assert np.isnan(chat["value"]) and np.isnan(chat["low"]) and chat["n"] == 2
    assert rows(out, channel="phone")["value"] == pytest.approx(100 / 3)


def test_kpi_table_contacts_by_segment_via_customers(contacts, customers):
    data = {"contacts": contacts, "customers": customers}
    kpis = ["fcr", "contacts_per_1000_customers"]
    out = m.kpi_table(data, kpis=kpis, by="segment", start="2024-01-01", end="2024-12-31")
    # segments of k1..k6 through customer_id: b2c, b2c, b2b, b2b, b2c, unknown (c9)
    # fcr: b2c k1 T, k2 F, k5 T → 2/3; b2b k3 T (k4 abandoned) → 1/1; unknown k6 T → 1/1
    assert rows(out, segment="b2c", kpi="fcr")[["value", "n"]].tolist() == [pytest.approx(2 / 3), 3]
    assert rows(out, segment="b2b", kpi="fcr")[["value", "n"]].tolist() == [1.0, 1]
    unknown = out[out["segment"].isna()]
    assert unknown["kpi"].tolist() == ["fcr", "contacts_per_1000_customers"]
    # per 1000 in 2024: b2c 3 contacts / 3 active (c1, c2, c6); b2b 2 / 2 (c4, c5); unknown has no customers
    assert rows(out, segment="b2c", kpi="contacts_per_1000_customers")[["value", "n"]].tolist() == [1000.0, 3]
    assert rows(out, segment="b2b", kpi="contacts_per_1000_customers")[["value", "n"]].tolist() == [1000.0, 2]
    assert np.isnan(unknown["value"].iloc[1]) and unknown["n"].iloc[1] == 0


def test_kpi_table_contacts_by_month(contacts):
    out = m.kpi_table({"contacts": contacts}, kpis=["fcr", "abandonment"], by="month")
    # fcr January: k1 T, k2 F, k3 T → 2/3; February: k5 T, k6 T (k4 abandoned) → 1
    assert rows(out, month="2024-01", kpi="fcr")["value"] == pytest.approx(2 / 3)
    assert rows(out, month="2024-02", kpi="fcr")[["value", "n"]].tolist() == [1.0, 2]
    # abandonment February: k4 of k4, k5 (k6 unknown) → 1/2
    assert rows(out, month="2024-02", kpi="abandonment")[["value", "n"]].tolist() == [0.5, 2]


def test_kpi_table_customers_by_segment_and_month(customers):
    data = {"customers": customers}
    by_segment = m.kpi_table(data, kpis=["churn_rate"], by="segment")  # default period: calendar 2024
    # b2c at risk c1, c2, c6, churned c1 → 1/3; b2b at risk c5 only, churned → 1
    assert rows(by_segment, segment="b2c")[["value", "n"]].tolist() == [pytest.approx(1 / 3), 3]
    assert rows(by_segment, segment="b2b")[["value", "n"]].tolist() == [1.0, 1]
    by_month = m.kpi_table(data, kpis=["churn_rate"], by="month", start="2024-01-01", end="2024-12-31")
    assert by_month["month"].tolist() == [f"2024-{i:02d}" for i in range(1, 13)]
    # March: at risk on 1 March c1, c2, c5, c6; c1 churned → p = 0.25 over 31 days → 1 − 0.75^(365.25/31)
    assert rows(by_month, month="2024-03")[["value", "n"]].tolist() == [pytest.approx(1 - 0.75 ** (365.25 / 31)), 4]
    # December: at risk c2, c4 (since June), c5, c6; c5 churned on the 31st
    assert rows(by_month, month="2024-12")[["value", "n"]].tolist() == [pytest.approx(1 - 0.75 ** (365.25 / 31)), 4]
    assert rows(by_month, month="2024-01")["value"] == 0.0


def test_kpi_table_leaves_out_what_it_cannot_compute(feedback, contacts, customers):
    data = {"feedback": feedback, "contacts": contacts, "customers": customers, "journeys": pd.DataFrame()}
    # channel exists in feedback and contacts only: customer KPIs are left out of that grouping
    kpis = set(m.kpi_table(data, by="channel")["kpi"])
    assert kpis == set(KPIS) - {"churn_rate", "retention_rate", "clv"}
    # reason exists in contacts only
    assert set(m.kpi_table(data, by="reason")["kpi"]) == {k for k, v in KPIS.items() if v.table == "contacts"}
    # a missing table or column skips the KPI
    assert set(m.kpi_table({"feedback": feedback.drop(columns="ces")})["kpi"]) == {"nps", "csat"}
    assert m.kpi_table({}, by="month").columns.tolist() == ["month", "kpi", "value", "low", "high", "n"]


def test_kpi_table_rejects_bad_requests(feedback):
    with pytest.raises(ValueError, match="no table has a column 'chanel'"):
        m.kpi_table({"feedback": feedback}, by="chanel")
    with pytest.raises(ValueError, match="unknown KPI 'promoters'"):
        m.kpi_table({"feedback": feedback}, kpis=["promoters"])
    with pytest.raises(ValueError, match="nps scores"):
        m.kpi_table({"feedback": feedback.assign(nps=pd.array([11] * 6, dtype="Int64"))})
    with pytest.raises(ValueError, match="output column"):
        m.kpi_table({"feedback": feedback}, by="value")
