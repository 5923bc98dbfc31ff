"""cxlib.analysis.demand against cases worked by hand.

The staffing case is the one of test_avoidance: one Monday (2025-01-06) in one-hour intervals, phone a queue
staffed Mon–Fri 08–17 (9 staffed intervals on the Monday), 80 % in 60 s, 30 % shrinkage, 85 % occupancy cap,
400 an agent hour. 60 calls of 60 s at 08 h need 2 agents (3 scheduled), 30 calls at 10 h need 2 (3
scheduled), an idle hour 1 (2 scheduled): 20 agent-hours a week, 0.5 FTE. Without the 30 calls at 10 h that
hour is idle: 19 agent-hours, 0.475 FTE, so they tie up 0.025 FTE = 0.025 · 40 · 52.178571 · 400 = 20 871.43
a year. Half of them (15 calls, A = 0.25) are served by one agent: P(wait) = 0.25 and
1 − 0.25 · e^(−0.75) = 0.8819 ≥ 0.8, so removing half saves as much as removing all: staffing is not linear.
"""

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import demand, staffing
from cxlib.analysis.avoidance import StaffModel
from cxlib.config import Channel

WEEKS_PER_YEAR = 365.25 / 7


def test_chasing_names_suggested_never_classified():
    names = pd.Series(["Var är min faktura", "har inte fått kortet", "Status på ärendet", "hvor er pakken",
                       "faktura fel", None])
    assert demand.is_chasing(names).tolist() == [True, True, True, True, False, False]


def test_reason_table_adds_unseen_reasons_and_suggests_only_unlabelled():
    reasons = pd.DataFrame({"reason": ["faktura fel", "var är min faktura", "status ändrad"],
                            "demand_type": ["failure", None, "value"], "owner_department": ["bill", "bill", None]})
    table = demand.reason_table(reasons, pd.Series(["faktura fel", "okänt", None, "okänt"]))
    assert table["reason"].tolist() == ["faktura fel", "var är min faktura", "status ändrad", "okänt"]
    assert table["labelled"].tolist() == [True, False, True, False]
    # "status ändrad" names a status but is labelled value: the label stands
    assert table["suggested"].tolist()[1] == "failure" and table["suggested"].isna().tolist() == [True, False,
                                                                                                   True, True]


def test_classify_labels_then_rules_in_order():
    reasons = demand.reason_table(pd.DataFrame({"reason": ["fel", "ny"], "demand_type": ["failure", "value"]}),
                                  pd.Series(["var är", "övrigt"]))
    contacts = pd.DataFrame({"reason": ["fel", "ny", "var är", "övrigt", "var är", "övrigt", None, "ny"]},
                            index=range(10, 18))
    repeat = np.array([0, 0, 1, 1, 0, 0, 0, 1], bool)  # the last: a repeat of a value reason stays value
    dropout = np.array([0, 0, 0, 1, 0, 1, 0, 0], bool)
    out = demand.classify(contacts, reasons, repeat=repeat, after_dropout=dropout)
    assert out.index.tolist() == list(range(10, 18))
    assert out["demand"].tolist() == ["failure", "value", "failure", "failure", "unclear", "failure", "unclear",
                                      "value"]
    assert out["rule"].tolist() == ["label", "label", "repeat", "repeat", "none", "after_dropout", "none", "label"]
    counts = demand.rule_counts(out).set_index(["rule", "demand"])["contacts"]
    assert counts.to_dict() == {("label", "value"): 2, ("label", "failure"): 1, ("repeat", "failure"): 2,
                                ("after_dropout", "failure"): 1, ("none", "unclear"): 2}
    # without the rules the unlabelled contacts stay unclear, never value
    assert (demand.classify(contacts, reasons)["demand"] == "unclear").sum() == 5


def _channel(id_, kind, cost_per_contact, **kw):
    return Channel(id=id_, name=id_, kind=kind, opening_hours={"mon-fri": "08:00-17:00"},
                   cost_per_contact=cost_per_contact, **kw)


def test_pareto_costs_handle_time_and_cumulative_share():
    channels = [_channel("phone", "queue", 10.0), _channel("email", "async", 5.0)]
    contacts = pd.DataFrame({"reason": ["A", "A", "A", "B"], "channel": ["phone", "phone", "email", "phone"],
                             "handle_time_s": [100.0, 300.0, 200.0, np.nan]})
    reasons = demand.reason_table(pd.DataFrame({"reason": ["A"], "demand_type": ["failure"]}), contacts["reason"])
    classes = demand.classify(contacts, reasons)
    out = demand.pareto(contacts, classes, reasons, channels, years=0.5).set_index("reason")
    assert out.index.tolist() == ["A", "B"]
    assert out.loc["A", ["contacts", "contacts_per_year", "failure", "unclear"]].tolist() == [3, 6, 3, 0]
    assert out.loc["A", "aht_s"] == pytest.approx(200)
    assert out.loc["A", "handle_hours_per_year"] == pytest.approx(200 * 3 / 3600 / 0.5)
    assert out.loc["A", "cost_per_year"] == pytest.approx((10 + 10 + 5) / 0.5)
    assert out.loc["B", "cost_per_year"] == pytest.approx(20) and np.isnan(out.loc["B", "aht_s"])
    assert out["cumulative_share"].tolist() == [0.75, 1.0] and out.loc["B", "unclear"] == 1


def test_failure_share_by_channel_and_month_with_wilson():
    contacts = pd.DataFrame({"channel": ["a"] * 4 + ["b"] * 2,
                             "opened_at": pd.to_datetime(["2025-01-05"] * 3 + ["2025-02-01"] * 3)})
    classes = pd.DataFrame({"demand": pd.Categorical(["failure", "failure", "value", "unclear", "failure",
                                                      "failure"], demand.CLASSES)})
    a = demand.failure_share(contacts, classes, by="channel").set_index("channel").loc["a"]
    # 2 of 4: Wilson 95 % is 0.150–0.850
    assert (a["value"], a["low"], a["high"]) == pytest.approx((0.5, 0.1500, 0.8500), abs=1e-4)
    assert a["unclear_share"] == 0.25 and a["at_most"] == 0.75
    months = demand.failure_share(contacts, classes, by="month")
    assert months["month"].tolist() == ["2025-01", "2025-02"] and months["failure"].tolist() == [2, 2]
    assert demand.failure_share(contacts, classes)["value"].iloc[0] == pytest.approx(4 / 6)


def test_volume_bounds_are_garwood():
    # exact Poisson interval of 4: 1.090–10.242 (Garwood 1936)
    low, high = demand.volume_bounds(4)
    assert (low * 4, high * 4) == pytest.approx((1.0899, 10.2416), abs=1e-3)


PHONE = Channel(id="phone", name="Phone", kind="queue", opening_hours={"mon-fri": "08:00-17:00"},
                service_level={"share": 0.8, "within_s": 60}, shrinkage=0.3, max_occupancy=0.85,
                cost_per_agent_hour=400.0, cost_per_contact=50.0)
GRID = dict(interval_min=60, start="2025-01-06", end="2025-01-06")


@pytest.fixture
def model():
    opened = [f"2025-01-06 08:{m:02d}" for m in range(60)] + [f"2025-01-06 10:{m:02d}" for m in range(0, 60, 2)]
    contacts = pd.DataFrame({"channel": "phone", "opened_at": pd.to_datetime(opened), "handle_time_s": 60.0,
                             "reason": ["ok"] * 60 + ["fel"] * 30, "customer_id": [f"c{i % 6}" for i in range(90)]})
    load = staffing.interval_load(contacts, [PHONE], **GRID)
    before = staffing.required_staff(load, [PHONE], interval_min=60)
    return StaffModel(contacts, [PHONE], fte_hours_per_week=40.0, patience={}, years=1.0, load=load, before=before,
                      volumes=contacts["channel"].value_counts(), **GRID)


def test_tied_up_through_the_staffing_model(model):
    codes = np.where(model.contacts["reason"] == "fel", 1, -1)  # group 0 has no contacts and no row
    out = demand.tied_up(model, codes, ["none", "billing"]).set_index("group")
    assert out.index.tolist() == ["billing"]
    out = out.loc["billing"]
    assert out["contacts"] == 30 and out["fte"] == pytest.approx(0.025)
    assert out["cost_per_year"] == pytest.approx(0.025 * 40 * WEEKS_PER_YEAR * 400)
    # 30 calls at the Garwood bounds (20.2 and 42.8 calls) still fit one agent when gone: the same FTE
    assert out["fte_low"] <= out["fte"] <= out["fte_high"]
    assert out["contacts_per_year_low"] == pytest.approx(demand.volume_bounds(30)[0] * 30)


def test_scenario_saving_equals_the_staffing_models_difference(model):
    hits = (model.contacts["reason"] == "fel").to_numpy()
    # modelled service levels, arrivals-weighted over the week: at 08 h 1 − e^(−1)/3 = 0.877374; at 10 h with
    # 30 calls 0.977688; with 15 calls (A = 0.25, 2 agents) P(wait) = 0.027778 and 1 − 0.027778 · e^(−1.75)
    # = 0.995173. Removing calls from a well-served hour lowers the week's level at unchanged staff.
    at_8, at_10 = 1 - np.exp(-1) / 3, 1 - 0.1 * np.exp(-1.5)
    unchanged = {0.5: (60 * at_8 + 15 * (1 - np.exp(-1.75) / 36)) / 75, 1.0: at_8}
    for share in (0.5, 1.0):
        row = demand.evaluate(model, demand.Elimination("x", "x", share, reason="fel"), hits)
        weighted = model.contacts.assign(weight=np.where(hits, 1 - share, 1.0))
        after = staffing.required_staff(staffing.interval_load(weighted, [PHONE], **GRID), [PHONE], interval_min=60)
        fte = lambda r: staffing.fte(r, interval_min=60, fte_hours_per_week=40.0)["fte"].sum()  # noqa: E731
        assert row["fte"] == pytest.approx(fte(after) - fte(model.before))
        assert row["fte"] == pytest.approx(-0.025)  # half saves as much as all (see the module docstring)
        assert row["contacts_per_year"] == pytest.approx(30 * share)
        assert row["service_channel"] == "phone"
        assert row["service_level_before"] == pytest.approx((60 * at_8 + 30 * at_10) / 90)
        assert row["service_level_unchanged"] == pytest.approx(unchanged[share])
        assert np.isnan(row["nps_points"])  # no comparison given: the effect is unknown, not 0


def test_compared_scores_churn_and_the_experience_effects(model):
    feedback = pd.DataFrame({"customer_id": ["e1", "e1", "e2", "e2", "r1", "r1", "r2", "r2"],
                             "nps": [0, 5, 10, 10, 10, 10, 9, 0], "ces": [2, 4, 3, 3, 6, 6, 5, 7]})
    ids = feedback["customer_id"]
    scores = demand.compare_scores(feedback, ids.isin(["e1", "e2"]).to_numpy(),
                                   ids.isin(["r1", "r2"]).to_numpy()).set_index("kpi")
    # NPS: exposed (2 − 2)/4 = 0, reference (3 − 1)/4 = 50
    assert scores.loc["nps", ["exposed", "reference", "diff"]].tolist() == pytest.approx([0, 50, -50])
    assert scores.loc["ces", "diff"] == pytest.approx(3 - 6)
    # of 2 exposed customers at risk 1 left, of 4 in the reference 1: Newcombe's interval of 0.5 − 0.25
    churned = np.array([1, 0, 1, 0, 0, 0], bool)
    churn = demand.compare_churn(churned, np.array([1, 1, 0, 0, 0, 0], bool),
                                 np.array([0, 0, 1, 1, 1, 1], bool)).set_index("kpi").loc["churn_rate"]
    assert churn[["exposed", "reference", "diff"]].tolist() == pytest.approx([0.5, 0.25, 0.25])
    assert churn[["n_exposed", "n_reference"]].tolist() == [2, 4]
    comparison = pd.concat([scores.reset_index(), churn.to_frame().T.reset_index(names="kpi")], ignore_index=True)
    hits = (model.contacts["reason"] == "fel").to_numpy()
    row = demand.evaluate(model, demand.Elimination("x", "x", 0.5, reason="fel"), hits, comparison,
                          nps_answers=8, churn_years=0.5)
    # half the exposed customers, whose 4 of 8 answers weigh 0.5, come to rate 50 points higher
    assert row["nps_points"] == pytest.approx(0.5 * 4 / 8 * 50)
    assert row["nps_points_low"] == pytest.approx(-0.25 * scores.loc["nps", "high"])
    # half the 2 exposed customers churn at 0.25 instead of 0.5 in half a year: 0.25 retained, 0.5 a year
    assert row["customers_retained_per_year"] == pytest.approx(0.5 * 2 * 0.25 / 0.5)


def test_default_eliminations_top_failure_reasons_at_both_shares():
    table = pd.DataFrame({"reason": ["a", "b", "c", "d"], "failure": [5, 0, 9, 7],
                          "owner_department": ["x", "y", None, "z"]})
    out = demand.default_eliminations(table, top=2)
    assert [(e.reason, e.share, e.owner) for e in out] == [("c", 0.5, None), ("c", 1.0, None), ("d", 0.5, "z"),
                                                           ("d", 1.0, "z")]
