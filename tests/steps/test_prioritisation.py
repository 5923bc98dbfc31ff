"""Step 07's view on a hand-built list: three client initiatives and three saved candidates, worked by hand.

Client initiatives (effort, effect 1–5; one-off cost; months; owner):

- A: 1, 4; 100,000; 3 months; it.
- B: 3, 5; 300,000; 6 months; billing; requires A; measured by candidate ``06-x``.
- C: 2, 2; 50,000; 2 months; it.

Saved candidates: ``06-x`` (touchpoint "bill", NPS +4 (3–5), cost per year −200,000 (−220,000 to −180,000),
10 (5–15) customers retained a year, reach 500), ``06-y`` (touchpoint "bill", NPS +2 (1–3), cost per year
−100,000) and ``03-z`` (no touchpoint, NPS +1 (0.5–1.5)). The workshop scored ``06-y``: effort 2 and 4,
effect 3 and 5. Step 01 measured a customer lifetime value of 1,000 (900–1,100).
"""

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxlib.config import ClientConfig
from cxlib.io.workshop import PriorityInputs, PriorityScore
from cxlib.io.workspace import Workspace
from cxlib.results import Candidate, Effect, KpiValue, StepResult, save
from cxlib.steps.prioritisation import view

ROOT = Path("test-workspace")
CONFIG = {
    "name": "Test AB", "language": "en", "currency": "SEK", "discount_rate": 0.08,
    "departments": [{"id": "it", "name": "IT"}, {"id": "billing", "name": "Billing"}],
    "channels": [{"id": "phone", "name": "Phone", "kind": "queue"}],
    "prioritisation": {"weights": {"nps_points": 1, "effort": 1}, "budget": 400_000, "capacity_per_quarter": 1}}
AT = dt.datetime(2026, 3, 1, 10, tzinfo=dt.timezone.utc)


def initiatives(**changes) -> pd.DataFrame:
    table = pd.DataFrame({"id": ["A", "B", "C"], "name": ["Alpha", "Beta", "Gamma"], "area": "x",
                          "effort": [1, 3, 2], "effect": [4, 5, 2], "cost": [100_000.0, 300_000.0, 50_000.0],
                          "owner": ["it", "billing", "it"], "duration": [3.0, 6.0, 2.0],
                          "requires": [None, "A", None], "excludes": None, "candidate": [None, "06-x", None]})
    for column, values in changes.items():
        table[column] = values
    return table


def workspace(**changes) -> Workspace:
    return Workspace(ROOT, ClientConfig.model_validate(CONFIG), {"initiatives": initiatives(**changes)}, {})


def saved_results(out_dir: Path, ws: Workspace) -> None:
    def result(step, candidates=(), kpis=()):
        return StepResult(step=step, client=ws.config.name, workspace=str(ws.root), inputs=ws.fingerprint,
                          language="en", candidates=list(candidates), kpis=list(kpis))

    save(result("01_current_state", kpis=[KpiValue(kpi="clv", value=1000, low=900, high=1100, n=50)]), out_dir)
    save(result("03_insight", [Candidate(id="03-z", name="Zeta", area="insight", source_step="03_insight",
                                         mechanism="nps", effects={"nps_points": Effect(value=1, low=0.5, high=1.5)})]),
         out_dir)
    save(result("06_unnecessary_demand", [
        Candidate(id="06-x", name="Remove x", area="demand", source_step="06_unnecessary_demand",
                  mechanism="failure_demand", touchpoint="bill", reach_per_year=500,
                  effects={"nps_points": Effect(value=4, low=3, high=5),
                           "cost_per_year": Effect(value=-200_000, low=-220_000, high=-180_000),
                           "customers_retained_per_year": Effect(value=10, low=5, high=15)}),
        Candidate(id="06-y", name="Remove y", area="demand", source_step="06_unnecessary_demand",
                  mechanism="failure_demand", touchpoint="bill",
                  effects={"nps_points": Effect(value=2, low=1, high=3), "cost_per_year": Effect(value=-100_000)})]),
        out_dir)


SCORES = PriorityInputs().scored("06-y", PriorityScore(participant="Ann", effort=2, effect=3, at=AT)).scored(
    "06-y", PriorityScore(participant="Bo", effort=4, effect=5, at=AT))


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    saved_results(folder, workspace())
    return folder


@pytest.fixture(scope="module")
def v(out_dir):
    return view(workspace(), lang="en", out_dir=out_dir, inputs=SCORES).compute()


def row(table: pd.DataFrame, id_: str) -> pd.Series:
    return table.set_index("id").loc[id_]


def test_the_list_joins_client_initiatives_and_candidates(v):
    table = v.initiatives
    assert list(table["id"]) == ["A", "B", "C", "03-z", "06-y"]  # 06-x is listed once, as B
    b = row(table, "B")
    assert (b["measured_by"], b["touchpoint"], b["nps_points"], b["reach_per_year"]) == ("06-x", "bill", 4, 500)
    # money: 200,000 saved + 10 retained × 1,000; low 180,000 + 5 × 900; high 220,000 + 15 × 1,100
    assert (b["value_per_year"], b["value_per_year_low"], b["value_per_year_high"]) == (210_000, 184_500, 236_500)
    assert row(table, "A")["value_per_year"] != row(table, "A")["value_per_year"]  # not known: NaN, never 0


def test_workshop_scores_and_the_estimate_from_effort(v):
    y = row(v.initiatives, "06-y")
    assert (y["effort"], y["effort_min"], y["effort_max"], y["rated_effect"], y["scored_by"]) == (3, 2, 4, 4, 2)
    # the client's only effort-3 initiative, B, costs 300,000 over 6 months
    assert (y["cost"], y["cost_low"], y["cost_high"], y["cost_source"]) == (300_000, 300_000, 300_000, "effort")
    assert (y["duration"], y["duration_source"]) == (6, "effort")
    z = row(v.initiatives, "03-z")
    assert np.isnan(z["effort"]) and np.isnan(z["cost"])


def test_candidates_on_one_touchpoint_form_a_group_with_the_stated_rule(v):
    assert v.groups == {"bill": ["B", "06-y"]}
    group = v.group_table.iloc[0]
    # at least the best member (B: 4, its low 3), at most the sum of the highs (5 + 3)
    assert (group["nps_points"], group["nps_points_low"], group["nps_points_high"]) == (4, 3, 8)


def test_the_weighted_score_by_hand(v):
    # NPS scaled over B 4, 06-y 2, 03-z 1: 1, 1/3, 0; effort (less is better) over 1, 3, 2, 3: A 1, C 0.5, B and 06-y 0
    ranking = v.ranking
    assert list(ranking["id"]) == ["A", "B", "C", "06-y", "03-z"]
    np.testing.assert_allclose(ranking["score"], [0.5, 0.5, 0.25, 1 / 6, 0])
    assert "NPS effect 50%" in v.formula and "Effort (1–5, lower is better) 50%" in v.formula


def test_rice_from_the_list(v):
    scores = v.scores.set_index("id")
    # B: reach 500 × impact 3 (effect 5) × confidence 1 (NPS interval above 0) ÷ 6 months
    assert scores.loc["B", "rice"] == pytest.approx(250)
    assert np.isnan(scores.loc["A", "rice"])  # no reach
    assert scores.loc["A", "ice"] == pytest.approx(8 * 5 * 10)  # 2 × 4, 10 × 0.5, 2 × (6 − 1)
    assert scores.loc["C", "wsjf"] == pytest.approx((2 + 1 + 1) / 2)


def test_payback_and_npv_by_hand(v):
    b = row(v.payback, "B")
    assert b["payback_months"] == pytest.approx(12 * 300_000 / 210_000)
    annuity = sum(1.08 ** -t for t in (1, 2, 3))
    assert b["npv"] == pytest.approx(210_000 * annuity - 300_000)
    assert b["npv_low"] == pytest.approx(184_500 * annuity - 300_000)


def test_the_portfolio_respects_the_prerequisite_and_the_group(v):
    # within 400,000: A + B (1.0) beats A + C (0.75) and A + 06-y (0.67); B needs A; B and 06-y count once
    assert (v.portfolio.chosen, v.portfolio.value, v.portfolio.cost) == (("A", "B"), 1.0, 400_000)
    effects = v.portfolio_effects
    assert effects["nps_points"] == {"value": 4, "low": 3, "high": 5}
    assert effects["value_per_year"]["value"] == 210_000


def test_the_roadmap_waits_for_the_prerequisite(v):
    plan = v.roadmap.set_index("id")
    assert plan.loc["A", ["start_quarter", "end_quarter"]].tolist() == [0, 0]
    assert plan.loc["B", ["start_quarter", "end_quarter", "start"]].tolist() == [1, 2, "Q2"]


def test_the_frontier_grows_with_the_budget(v):
    frontier = v.frontier
    assert (np.diff(frontier["value"]) >= -1e-12).all()
    assert frontier.iloc[-1]["cost"] <= frontier.iloc[-1]["budget"]
    assert 400_000 in set(frontier["budget"])


def test_findings_name_the_portfolio_and_what_waits_for_the_workshop(v):
    texts = {f.id: f.text for f in v.findings}
    assert texts["portfolio"] == (
        "Within the budget of 400,000\xa0SEK, 2 initiatives together give the most (400,000\xa0SEK): +4.0 NPS points "
        "(+3.0 to +5.0) and 210,000\xa0SEK a year (184,500\xa0SEK to 236,500\xa0SEK), overlapping initiatives counted "
        "once.")
    assert texts["unscored"].startswith("1 candidate has no effort or cost")


def test_stability_is_reproducible(out_dir):
    first = view(workspace(), lang="en", out_dir=out_dir, inputs=SCORES).stability.table
    again = view(workspace(), lang="en", out_dir=out_dir, inputs=SCORES).stability.table
    pd.testing.assert_frame_equal(first, again)


def test_widget_settings_replace_the_configuration(out_dir):
    cheap = view(workspace(), lang="en", out_dir=out_dir, inputs=SCORES, budget=150_000, method="wsjf")
    assert cheap.portfolio.chosen == ("A", "C")
    assert list(cheap.ranking["id"][:2]) == ["A", "B"]  # WSJF: A (4 + 2) / 1 = 6, B 7 / 3, C 2, 06-y 2


def test_unknown_ids_in_the_initiatives_table_are_named_and_left_out(out_dir):
    state = view(workspace(requires=[None, "Z", None], candidate=[None, "06-q", None]), lang="en", out_dir=out_dir)
    first, second = (str(p) for p in state.unknown_links)
    assert first.startswith("initiatives, row 3, column 'requires': got 'Z'; expected ids of initiatives on the list")
    assert first.endswith("not on it: Z")
    assert second.startswith("initiatives, row 3, column 'candidate': got '06-q'")
    assert state.links_sentence.startswith("2 links of the initiatives table name something not on the list")
    assert "06-x" in set(state.initiatives["id"])  # not carried by B: listed as itself
    assert state.portfolio is not None and state.roadmap is not None  # the step goes on without the links


def test_missing_steps_are_said_and_links_to_their_candidates_wait(tmp_path):
    alone = view(workspace(requires=[None, "06-q", None]), lang="en", out_dir=tmp_path)
    assert "The candidates of Insight, Accessibility, Friction and mobility, Unnecessary demand are missing" in \
        alone.source
    assert list(alone.initiatives["id"]) == ["A", "B", "C"]
    assert len(alone.unknown_links) == 2  # B's candidate and C's prerequisite are not on the list yet
