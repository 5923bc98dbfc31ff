"""cxlib.analysis.loyalty against hand-worked values; every expected number is derived in the comments."""

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import loyalty as ly
from cxlib.analysis import metrics as m
from cxlib.stats.intervals import wilson as wilson_interval

NAT = pd.NaT


def feedback(rows, columns=("customer_id", "date", "nps")):
    frame = pd.DataFrame(rows, columns=list(columns))
    frame["nps"] = frame["nps"].astype("Int64")
    if "date" in frame:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame


def customers(rows):
    frame = pd.DataFrame(rows, columns=["customer_id", "segment", "since", "churned_at", "annual_revenue"])
    return frame.astype({"since": "datetime64[us]", "churned_at": "datetime64[us]"})


# --- churn_by_nps_group -------------------------------------------------------------------

CHURN_FEEDBACK = [
    ("A", "2024-06-01", 9),  # A's latest answer (listed first: order by date, not by row)
    ("A", "2024-01-10", 3),
    ("B", "2024-02-01", 10),
    ("B", "2024-05-01", 5),  # B's latest: detractor
    ("C", "2024-03-01", 6),
    ("D", "2024-04-01", 2),
    ("E", "2024-01-01", 8),
    ("F", "2024-01-15", 7),
    ("G", "2024-02-01", 9),
    ("I", "2024-02-01", 10),
    ("H", "2024-02-01", None),  # no answer: not in the table
    (None, "2024-02-01", 0),  # anonymous: not in the table
    ("X", "2024-02-01", 0),  # not in customers: not in the table
]
CHURN_CUSTOMERS = [
    ("A", "privat", "2020-01-01", "2024-09-01", 1.0),  # promoter, churned after answering
    ("B", "privat", "2020-01-01", NAT, 1.0),  # detractor, stays
    ("C", "privat", "2020-01-01", "2024-03-01", 1.0),  # detractor, churned the day it answered: churned
    ("D", "privat", "2020-01-01", "2024-02-01", 1.0),  # churned before answering: left out
    ("E", "privat", "2020-01-01", NAT, 1.0),  # passive, stays
    ("F", "privat", "2020-01-01", "2024-12-31", 1.0),  # passive, churned
    ("G", "privat", "2020-01-01", NAT, 1.0),  # promoter, stays
    ("I", "privat", "2020-01-01", NAT, 1.0),  # promoter, stays
    ("H", "privat", "2020-01-01", NAT, 1.0),
]


def test_churn_by_nps_group_by_hand():
    table = ly.churn_by_nps_group(feedback(CHURN_FEEDBACK), customers(CHURN_CUSTOMERS))
    assert list(table.columns) == ["group", "customers", "churned", "churn_rate", "low", "high", "relative_risk", "p"]
    assert table["group"].tolist() == ["detractor", "passive", "promoter"]
    # detractors B, C (C churned); passives E, F (F churned); promoters A, G, I (A churned).
    assert table["customers"].tolist() == [2, 2, 3]
    assert table["churned"].tolist() == [1, 1, 1]
    assert table["churn_rate"].tolist() == pytest.approx([1 / 2, 1 / 2, 1 / 3])
    wilson = wilson_interval(np.array([1.0, 1.0, 1.0]), np.array([2.0, 2.0, 3.0]), 0.95)
    assert table["low"].to_numpy() == pytest.approx(wilson.low)
    assert table["high"].to_numpy() == pytest.approx(wilson.high)
    # relative risk vs. promoters: (1/2)/(1/3) = 1.5, 1.5, 1
    assert table["relative_risk"].tolist() == pytest.approx([1.5, 1.5, 1.0])
    # 3×2 table [[1, 1], [1, 1], [1, 2]], N = 7; column totals 3 churned, 4 stayed; rows 2, 2, 3.
    # Expected: rows 1–2 (6/7, 8/7), row 3 (9/7, 12/7). χ² = 2·(1/42 + 1/56) + 4/63 + 1/21
    # = (42 + 32 + 24)/504 = 7/36; with 2 degrees of freedom p = exp(−χ²/2) = exp(−7/72).
    assert table["p"].tolist() == pytest.approx([math.exp(-7 / 72)] * 3)


def test_churn_by_nps_group_without_a_test():
    # Nobody churned: the chi-square test is undefined; promoters' rate 0 makes the risks 0/0.
    answers = feedback([("B", "2024-01-01", 3), ("G", "2024-01-01", 9)])
    table = ly.churn_by_nps_group(answers, customers(CHURN_CUSTOMERS))
    assert table["customers"].tolist() == [1, 0, 1]
    assert table["p"].isna().all()
    assert table["relative_risk"].isna().all()


# --- loyalty_matrix / captive_detractors --------------------------------------------------

AS_OF = "2024-12-31"
LOYALTY_FEEDBACK = [
    ("L1", "2024-05-01", 3),
    ("L1", "2025-01-15", 10),  # after as_of: ignored there, but it sets the default as_of
    ("L2", "2024-05-01", 5),
    ("L3", "2024-05-01", 10),
    ("N1", "2024-05-01", 9),
    ("N2", "2024-05-01", 2),
    ("N3", "2024-05-01", 7),
    ("U1", "2024-05-01", 1),  # since unknown: left out
]
LOYALTY_CUSTOMERS = [
    # 2020-12-31 → 2024-12-31 = 4·365 + 1 (2024-02-29) = 1461 days = 4.0 years
    ("L1", "privat", "2020-12-31", NAT, 100.0),
    ("L2", "företag", "2020-12-31", NAT, 300.0),
    # 2021-12-31 → 2024-12-31 = 1096 days = 3.0007 years ≥ 3: loyal
    ("L3", "privat", "2021-12-31", NAT, 200.0),
    # 2022-01-01 → 2024-12-31 = 1095 days = 2.998 years < 3: not loyal
    ("N1", "privat", "2022-01-01", NAT, 50.0),
    # churned before as_of: not loyal; tenure to churn 2010-12-31 → 2023-12-31 = 13·365 + 3 leap
    # days = 4748, → 2024-06-30 + 182 (31+29+31+30+31+30) = 4930 days
    ("N2", "privat", "2010-12-31", "2024-06-30", 80.0),
    # churns after as_of: still loyal; 2015-01-01 → 2024-12-31 = 10·365 + 3 leap days − 1 = 3652 days
    ("N3", "privat", "2015-01-01", "2025-03-01", 60.0),
    ("U1", "privat", NAT, NAT, 10.0),
]


def loyalty_contacts():
    # Window: 2024-01-01 00:00 ≤ opened_at < 2025-01-01 00:00 (the year up to as_of, days inclusive).
    rows = [
        ("L1", "2023-12-31 23:00"),  # out
        ("L1", "2024-01-01 00:00"),  # in
        ("L1", "2024-12-31 18:00"),  # in → L1: 2
        ("L1", "2025-01-01 00:00"),  # out
        ("L2", "2024-06-01 10:00"),  # L2: 1
        ("N2", "2024-03-01 10:00"),  # N2: 1
        (None, "2024-03-01 10:00"),  # nobody's
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "opened_at"])
    return frame.assign(opened_at=pd.to_datetime(frame["opened_at"]))


def test_loyalty_matrix_by_hand():
    table = ly.loyalty_matrix(
        feedback(LOYALTY_FEEDBACK), customers(LOYALTY_CUSTOMERS), loyalty_contacts(), as_of=AS_OF
    )
    assert table["behaviour"].tolist() == ["loyal"] * 3 + ["not loyal"] * 3
    assert table["group"].tolist() == ["detractor", "passive", "promoter"] * 2
    # loyal: detractors L1 (3, not the later 10), L2; passive N3; promoter L3.
    # not loyal: detractor N2; promoter N1. Six customers in all (U1 left out).
    assert table["customers"].tolist() == [2, 1, 1, 1, 0, 1]
    assert table["share"].tolist() == pytest.approx([2 / 6, 1 / 6, 1 / 6, 1 / 6, 0, 1 / 6])
    tenure = [4.0, 3652 / 365.25, 1096 / 365.25, 4930 / 365.25, np.nan, 1095 / 365.25]
    assert table["mean_tenure_years"].to_numpy() == pytest.approx(tenure, nan_ok=True)
    # loyal detractors (100 + 300)/2 = 200
    assert table["mean_annual_revenue"].to_numpy() == pytest.approx([200, 60, 200, 80, np.nan, 50], nan_ok=True)
    # loyal detractors (2 + 1)/2 = 1.5; N3, L3, N1 have none; N2 has 1
    assert table["contacts_per_customer"].to_numpy() == pytest.approx([1.5, 0, 0, 1, np.nan, 0], nan_ok=True)
    assert "contacts_per_customer" not in ly.loyalty_matrix(
        feedback(LOYALTY_FEEDBACK), customers(LOYALTY_CUSTOMERS), as_of=AS_OF
    ).columns


def test_loyalty_matrix_defaults_to_the_latest_feedback_date():
    args = feedback(LOYALTY_FEEDBACK), customers(LOYALTY_CUSTOMERS)
    table = ly.loyalty_matrix(*args)
    pd.testing.assert_frame_equal(table, ly.loyalty_matrix(*args, as_of="2025-01-15"))
    # as of 2025-01-15 L1's latest answer is 10 and N1 has 1110 days = 3.04 years:
    # loyal detractor L2, passive N3, promoters L1, L3, N1.
    assert table["customers"].tolist()[:3] == [1, 1, 3]


def test_captive_detractors_by_hand():
    table = ly.captive_detractors(
        feedback(LOYALTY_FEEDBACK), customers(LOYALTY_CUSTOMERS), loyalty_contacts(), as_of=AS_OF
    )
    # L1 and L2, by annual revenue descending
    assert list(table.columns) == ["customer_id", "tenure_years", "nps", "annual_revenue", "segment", "contacts"]
    assert table["customer_id"].tolist() == ["L2", "L1"]
    assert table["tenure_years"].tolist() == pytest.approx([4.0, 4.0])
    assert table["nps"].tolist() == [5, 3]
    assert table["annual_revenue"].tolist() == [300.0, 100.0]
    assert table["segment"].tolist() == ["företag", "privat"]
    assert table["contacts"].tolist() == [1, 2]
    # no tenure threshold adds no detractor: N2 churned
    args = feedback(LOYALTY_FEEDBACK), customers(LOYALTY_CUSTOMERS)
    everyone = ly.captive_detractors(*args, tenure_years=0, as_of=AS_OF)
    assert everyone["customer_id"].tolist() == ["L2", "L1"]


# --- service_recovery ---------------------------------------------------------------------


def recovery_tables():
    contacts = pd.DataFrame(
        {
            "contact_id": ["K1", "K2", "K3", "K4", "K5", "K6", "K7"],
            "resolved_first_contact": pd.array([True, True, False, False, None, False, None], dtype="boolean"),
            "closed_at": pd.to_datetime(["2024-01-02", None, "2024-01-09", None, None, "2024-01-09", "2024-01-09"]),
            "abandoned": pd.array([False, False, False, False, True, True, False], dtype="boolean"),
        }
    )
    rows = [
        ("K1", 10), ("K1", 9),  # solved at first contact
        ("K2", 6),  # first contact true, never closed: solved at first contact
        ("K3", 3), ("K3", 8),  # solved later
        ("K4", 0),  # false and never closed: not solved
        ("K5", 9),  # abandoned: not solved
        ("K6", 2),  # abandoned though closed: not solved
        (None, 10), ("K99", 7), (None, None),  # no problem (K99 unknown; the missing answer is not counted)
        ("K7", 10),  # closed, first contact unknown: no outcome, left out
    ]
    return feedback(rows, ("contact_id", "nps")), contacts


def test_service_recovery_by_hand():
    answers, contacts = recovery_tables()
    table = ly.service_recovery(answers, contacts)
    assert list(table.columns) == ["outcome", "n", "nps", "low", "high", "diff_vs_first", "p"]
    assert table["outcome"].tolist() == ["solved at first contact", "solved later", "not solved", "no problem"]
    samples = [[10, 9, 6], [3, 8], [0, 9, 2], [10, 7]]
    assert table["n"].tolist() == [3, 2, 3, 2]
    # first: 2 promoters, 1 detractor of 3 → 33.3; later: 1 detractor of 2 → −50;
    # not solved: 1 − 2 of 3 → −33.3; no problem: 1 promoter of 2 → 50.
    assert table["nps"].tolist() == pytest.approx([100 / 3, -50, -100 / 3, 50])
    for row, sample in zip(table.itertuples(), samples):
        estimate = m.nps(sample)
        assert (row.low, row.high) == pytest.approx((estimate.low, estimate.high))
    # vs. 33.3: −50 − 33.3 = −83.3; −33.3 − 33.3 = −66.7; 50 − 33.3 = 16.7
    assert table["diff_vs_first"].tolist() == pytest.approx([0, -250 / 3, -200 / 3, 50 / 3])
    assert math.isnan(table["p"].iloc[0])
    expected_p = [m.nps_difference(sample, samples[0]).p_value for sample in samples[1:]]
    assert table["p"].iloc[1:].tolist() == pytest.approx(expected_p)


# --- input checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda f, c, k: ly.churn_by_nps_group(f.drop(columns="date"), c), "feedback has no column 'date'"),
        (lambda f, c, k: ly.churn_by_nps_group(f, c.drop(columns="churned_at")), "customers has no column 'churned"),
        (lambda f, c, k: ly.loyalty_matrix(f, c.drop(columns="since")), "customers has no column 'since'"),
        (lambda f, c, k: ly.loyalty_matrix(f, c, k.drop(columns="opened_at")), "contacts has no column 'opened_at'"),
        (lambda f, c, k: ly.captive_detractors(f, c.drop(columns="segment")), "customers has no column 'segment'"),
        (lambda f, c, k: ly.service_recovery(f, k), "feedback has no column 'contact_id'"),
        (lambda f, c, k: ly.loyalty_matrix(f, c, tenure_years=-1), "tenure_years"),
    ],
)
def test_missing_columns_and_bad_options(call, message):
    with pytest.raises(ValueError, match=message):
        call(feedback(LOYALTY_FEEDBACK), customers(LOYALTY_CUSTOMERS), loyalty_contacts())


def test_service_recovery_needs_contact_columns():
    answers, contacts = recovery_tables()
    with pytest.raises(ValueError, match="contacts has no column 'closed_at'"):
        ly.service_recovery(answers, contacts.drop(columns="closed_at"))


# --- the sample workspace -----------------------------------------------------------------


def test_sample_figures(sample_ws):
    fb, customers_, contacts = (sample_ws.table(name) for name in ("feedback", "customers", "contacts"))
    churn = ly.churn_by_nps_group(fb, customers_).set_index("group")
    answered = fb.dropna(subset=["customer_id", "nps"])
    latest_answer = answered.groupby("customer_id")["date"].max().rename("answered")
    joined = customers_.join(latest_answer, on="customer_id", how="inner")
    assert churn["customers"].sum() == (~(joined["churned_at"] < joined["answered"])).sum()
    # detractors churn more than promoters, beyond both intervals, and the test agrees
    assert churn.loc["detractor", "low"] > churn.loc["promoter", "high"]
    assert churn["p"].iloc[0] < 0.001

    matrix = ly.loyalty_matrix(fb, customers_, contacts)
    captive = ly.captive_detractors(fb, customers_, contacts)
    assert matrix["customers"].sum() == churn["customers"].sum()  # every answering customer has a since
    assert matrix["share"].sum() == pytest.approx(1)
    assert len(captive) == matrix.query("behaviour == 'loyal' and group == 'detractor'")["customers"].item() > 0

    recovery = ly.service_recovery(fb, contacts).set_index("outcome")
    assert recovery["n"].sum() == fb["nps"].notna().sum()  # every contact in the sample has an outcome
    assert (recovery.loc[["solved at first contact", "solved later", "no problem"], "n"] > 0).all()
    # solving later costs NPS points against solving at first contact
    assert recovery.loc["solved later", "diff_vs_first"] < 0
    assert recovery.loc["solved later", "p"] < 0.001
