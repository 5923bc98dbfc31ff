"""Step 06's view on a tiny hand-built workspace: classification, Pareto, staffing and scenarios by hand.

One week, 2025-01-06 to 2025-01-12, one phone queue open around the clock (50 a contact, 400 an agent
hour). The reasons table labels "bill wrong" failure (root cause "meters", owned by billing) and "new
contract" value (sales); "where is my bill" and "moving" have no type. The contacts:

- 20 "bill wrong" from customers B00…B19 and 30 "new contract" from N00…N29, on Monday;
- "where is my bill": W0 on Monday and again on Tuesday (a repeat within the 7-day window), W1 once;
- "moving": M0…M4, of which M0 and M1 contacted after a dropped web journey (step 05's table).

So 20 + 1 + 2 = 23 of the 58 contacts are failure demand (20 by label, 1 repeat, 2 after a dropped
journey), 30 value and 5 unclear (W0's first, W1, M2…M4). "where is my bill" names a chase and is
suggested as failure; "moving" is not. NPS: B00…B09 answer 0, N00…N09 answer 10.
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import staffing
from cxlib.analysis.demand import Elimination
from cxlib.config import ClientConfig
from cxlib.io.workshop import ReasonInputs, ReasonLabel
from cxlib.io.workspace import Workspace
from cxlib.steps.demand import Demand, view

MONDAY = pd.Timestamp("2025-01-06 09:00")
YEARS = 7 / 365.25
CONFIG = {
    "name": "Test AB", "language": "en", "period": {"start": "2025-01-06", "end": "2025-01-12"},
    "currency": "SEK", "staffing_interval_min": 60,
    "departments": [{"id": "billing", "name": "Billing"}, {"id": "sales", "name": "Sales"}],
    "channels": [{"id": "phone", "name": "Phone", "kind": "queue", "opening_hours": "24/7", "cost_per_contact": 50,
                  "service_level": {"share": 0.8, "within_s": 60}, "cost_per_agent_hour": 400}]}


def contacts() -> pd.DataFrame:
    rows = [(f"B{i:02d}", "bill wrong", MONDAY + pd.Timedelta(minutes=3 * i)) for i in range(20)]
    rows += [(f"N{i:02d}", "new contract", MONDAY + pd.Timedelta(minutes=2 * i)) for i in range(30)]
    rows += [("W0", "where is my bill", MONDAY), ("W0", "where is my bill", MONDAY + pd.Timedelta(days=1)),
             ("W1", "where is my bill", MONDAY)]
    rows += [(f"M{i}", "moving", MONDAY + pd.Timedelta(hours=i)) for i in range(5)]
    opened = pd.Series([r[2] for r in rows])
    return pd.DataFrame({"contact_id": [f"C{i:02d}" for i in range(len(rows))], "channel": "phone", "opened_at": opened,
                         "first_response_at": opened + pd.Timedelta(seconds=20), "handle_time_s": 240.0,
                         "reason": [r[1] for r in rows], "customer_id": [r[0] for r in rows]})


def reasons() -> pd.DataFrame:
    return pd.DataFrame({"reason": ["bill wrong", "new contract", "where is my bill", "moving"],
                         "demand_type": ["failure", "value", None, None],
                         "root_cause": ["meters", "wants a contract", None, None],
                         "owner_department": ["billing", "sales", "billing", None]})


def feedback() -> pd.DataFrame:
    ids = [f"B{i:02d}" for i in range(10)] + [f"N{i:02d}" for i in range(10)]
    return pd.DataFrame({"response_id": [f"R{i}" for i in range(20)], "date": pd.Timestamp("2025-01-08"),
                         "channel": "phone", "nps": [0] * 10 + [10] * 10, "customer_id": ids})


FAILED = pd.DataFrame({"contact_id": ["C53", "C54"], "journey": "move", "step": 2, "device": "mobile",
                       "channel": "phone"})


def workspace() -> Workspace:
    tables = {"contacts": contacts(), "reasons": reasons(), "feedback": feedback()}
    return Workspace(Path("test-workspace"), ClientConfig.model_validate(CONFIG), tables, {})


def make(**options) -> Demand:
    return view(workspace(), lang="en", failed_journey_contacts=FAILED, labels=options.pop("labels", ReasonInputs()),
                **options)


@pytest.fixture(scope="module")
def v():
    return make()


def test_contacts_are_classified_by_label_then_rule(v):
    rules = v.rules.set_index(["rule", "demand"])["contacts"].to_dict()
    assert rules == {("label", "value"): 30, ("label", "failure"): 20, ("repeat", "failure"): 1,
                     ("after_dropout", "failure"): 2, ("none", "unclear"): 5}
    assert v.classes["demand"].iloc[51] == "failure" and v.classes["rule"].iloc[51] == "repeat"  # W0's second
    # 23 of 58: Wilson 95 %
    z2 = 1.959964 ** 2
    centre, half = (23 + z2 / 2) / (58 + z2), 1.959964 / (58 + z2) * math.sqrt(23 * 35 / 58 + z2 / 4)
    assert (v.overall["value"], v.overall["low"], v.overall["high"]) == pytest.approx(
        (23 / 58, centre - half, centre + half), abs=1e-5)
    assert v.overall["unclear_share"] == pytest.approx(5 / 58) and v.overall["at_most"] == pytest.approx(28 / 58)


def test_only_unlabelled_chasing_reasons_are_suggested(v):
    suggested = v.reasons.set_index("reason")["suggested"]
    assert suggested["where is my bill"] == "failure"
    assert suggested.drop("where is my bill").isna().all()
    assert v.unlabelled["reason"].tolist() == ["moving", "where is my bill"]  # 5 and 3 contacts


def test_pareto_counts_and_costs_per_year(v):
    p = v.pareto.set_index("reason")
    assert p.index.tolist() == ["new contract", "bill wrong", "moving", "where is my bill"]
    assert p.loc["bill wrong", "contacts_per_year"] == pytest.approx(20 / YEARS)
    assert p.loc["bill wrong", "cost_per_year"] == pytest.approx(20 * 50 / YEARS)
    assert p.loc["bill wrong", "handle_hours_per_year"] == pytest.approx(20 * 240 / 3600 / YEARS)
    assert p["cumulative_share"].tolist() == pytest.approx([30 / 58, 50 / 58, 55 / 58, 1.0])


def test_workshop_labels_reclassify_and_share_the_data(v):
    labels = ReasonInputs(reasons={"where is my bill": ReasonLabel(demand_type="failure", root_cause="sent late")})
    edited = v.with_inputs(labels=labels)
    assert edited.coded is v.coded and edited.customers is v.customers  # shared, not recomputed
    rules = edited.rules.set_index(["rule", "demand"])["contacts"].to_dict()
    assert rules[("label", "failure")] == 23 and rules[("none", "unclear")] == 3
    row = edited.reasons.set_index("reason").loc["where is my bill"]
    assert (row["demand_type"], row["root_cause"], row["owner_department"], row["from_workshop"]) == (
        "failure", "sent late", "billing", True)
    assert v.rules.set_index(["rule", "demand"])["contacts"][("label", "failure")] == 20  # the view is unchanged
    longer = v.with_inputs(repeat_window_days=0.5)  # W0's second contact comes a day later: no repeat now
    assert ("repeat", "failure") not in set(longer.rules.set_index(["rule", "demand"]).index)


def test_a_scenarios_fte_saving_is_the_staffing_models_difference(v):
    row = v.evaluate(Elimination("x", "x", 1.0, reason="bill wrong"))
    grid = dict(interval_min=60, start=v.start, end=v.end)
    without = v.contacts[v.contacts["reason"] != "bill wrong"]
    channels = v.staffing.channels

    def fte(frame):
        required = staffing.required_staff(staffing.interval_load(frame, channels, **grid), channels, interval_min=60)
        return staffing.fte(required, interval_min=60, fte_hours_per_week=40.0)["fte"].sum()

    assert row["fte"] == pytest.approx(fte(without) - fte(v.contacts))
    assert row["fte"] < 0 and row["contacts_per_year"] == pytest.approx(20 / YEARS)
    assert row["owner"] == "billing"  # the owner of the reason's root cause
    # phone's cost follows its staff: FTE × 40 h × 52.18 weeks × 400
    assert row["cost_per_year"] == pytest.approx(row["fte"] * 40 * 365.25 / 7 * 400)


def test_tied_up_lands_with_the_owning_department(v):
    by = v.by_department.set_index("owner_department")
    assert set(by.index) == {"billing"}  # bill wrong (label) and W0's repeat; moving has no owner
    assert by.loc["billing", "contacts"] == 21
    assert by.loc["billing", "fte_low"] <= by.loc["billing", "fte"] <= by.loc["billing", "fte_high"]
    assert v.by_root_cause["root_cause"].tolist() == ["meters"]
    whole = v.tied_up
    assert whole["contacts_per_year"] == pytest.approx(23 / YEARS) and whole["fte"] >= by.loc["billing", "fte"]


def test_experience_of_customers_with_failure_contacts(v):
    scores = v.experience_scores.set_index("kpi")
    assert scores.loc["nps", ["exposed", "reference", "diff"]].tolist() == pytest.approx([-100, 100, -200])
    assert scores.loc["nps", ["n_exposed", "n_reference"]].tolist() == [10, 10]
    assert v.experience_churn is None  # no customers table: churn is not compared


def test_candidates_have_numeric_effects_and_owners(v):
    assert [c.id for c in v.candidates] == ["06-eliminate-bill wrong-50", "06-eliminate-bill wrong-100",
                                            "06-eliminate-moving-50", "06-eliminate-moving-100",
                                            "06-eliminate-where is my bill-50", "06-eliminate-where is my bill-100"]
    full = v.candidates[1]
    assert full.owner == "billing" and full.mechanism == "failure_demand"
    assert full.reach_per_year == pytest.approx(20 / YEARS)  # B00…B19, one contact each
    assert v.candidates[4].reach_per_year == pytest.approx(0.5 * 1 / YEARS)  # half of W0, the one repeat
    assert full.effects["contacts_per_year"].value == pytest.approx(-20 / YEARS)
    assert full.effects["fte"].value < 0 and full.effects["nps_points"].value > 0
    moving = v.candidates[3]
    assert moving.owner is None and "fte" in moving.effects  # no owner known, effects still numeric


def test_the_source_of_the_failed_journeys_is_said():
    computed = view(workspace(), lang="en", labels=ReasonInputs())  # no journeys table: the rule is left out
    assert computed.after_dropout is None and "journeys" in computed.source
    assert ("after_dropout", "failure") not in set(computed.rules.set_index(["rule", "demand"]).index)


def test_findings_name_the_share_and_the_unclear_volume(v):
    texts = {f.id: f.text for f in v.findings}
    assert texts["failure_share"].startswith("40% (")
    assert "5 contacts (9%) are still unclear" in texts["unclear"] and "48%" in texts["unclear"]
    assert "1 were repeats" in texts["rules"] and "2 came after a dropped digital journey" in texts["rules"]
    assert "where is my bill" in texts["suggested"]


def test_without_handle_times_the_staffing_parts_are_missing():
    ws = workspace()
    tables = {**ws.tables, "contacts": ws.tables["contacts"].drop(columns="handle_time_s")}
    bare = view(Workspace(ws.root, ws.config, tables, {}), lang="en", failed_journey_contacts=FAILED,
                labels=ReasonInputs())
    assert bare.tied_up is None and bare.scenarios is None and bare.candidates == []
    assert bare.missing("by_root_cause") == ["contacts.handle_time_s"]
    assert bare.rules["contacts"].sum() == 58  # the classification does not need them


@pytest.mark.parametrize("stage", range(len(Demand.STAGES)))
def test_a_chain_uses_no_part_of_another_in_its_stage(stage):
    for chain in range(len(Demand.STAGES[stage])):
        fresh = make()
        for earlier in Demand.STAGES[:stage]:
            for parts in earlier:
                for part in parts:
                    fresh.part(part)
        for part in Demand.STAGES[stage][chain]:
            fresh.part(part)
        others = [p for i, c in enumerate(Demand.STAGES[stage]) if i != chain for p in c]
        assert [p for p in others if fresh.is_computed(p)] == []


def test_compute_gives_what_first_use_gives(v):
    fresh = make()
    assert fresh.compute() is fresh
    assert all(fresh.is_computed(p) for stage in fresh.STAGES for chain in stage for p in chain)
    ignore = {"created"}
    assert fresh.result().model_dump(exclude=ignore) == v.result().model_dump(exclude=ignore)
    assert np.array_equal(fresh.failure, v.failure)


def test_answers_without_customer_ids_compare_nothing():
    ws = workspace()
    tables = {**ws.tables, "feedback": ws.tables["feedback"].drop(columns="customer_id")}
    bare = view(Workspace(ws.root, ws.config, tables, {}), lang="en", failed_journey_contacts=FAILED,
                labels=ReasonInputs())
    assert bare.experience.empty and bare.findings  # no comparison, and the other findings stand
    assert np.isnan(bare.scenarios["nps_points"]).all() and bare.candidates[1].effects["fte"].value < 0
