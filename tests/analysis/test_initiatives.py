"""The initiative list's rules, by hand: money per year, the overlap rule, a portfolio's effects, method inputs."""

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis.initiatives import (PROPOSED_COLUMNS, by_effort, combined_effects, confidence, initiative_list,
                                        method_inputs, money_per_year, portfolio_effects, score_summary)

NAN = np.nan


def frame(**columns) -> pd.DataFrame:
    base = {key: [NAN] * len(next(iter(columns.values()))) for key in (
        "cost_per_year", "cost_per_year_low", "cost_per_year_high", "customers_retained_per_year",
        "customers_retained_per_year_low", "customers_retained_per_year_high")}
    return pd.DataFrame({**base, **columns})


def test_money_is_the_saving_plus_retained_customers_times_clv():
    table = frame(cost_per_year=[-100.0, NAN, NAN, 50.0], cost_per_year_low=[-120.0, NAN, NAN, NAN],
                  cost_per_year_high=[-90.0, NAN, NAN, NAN], customers_retained_per_year=[2.0, -1.0, NAN, NAN],
                  customers_retained_per_year_low=[1.0, -3.0, NAN, NAN],
                  customers_retained_per_year_high=[3.0, 1.0, NAN, NAN])
    money = money_per_year(table, (10.0, 8.0, 12.0))
    # 100 + 2 × 10; low 90 + 1 × 8; high 120 + 3 × 12
    assert money.iloc[0].tolist() == [120, 98, 156]
    # −1 × 10; the interval of a product of intervals runs over its corners: −3 × 12 … 1 × 12
    assert money.iloc[1].tolist() == [-10, -36, 12]
    assert money.iloc[2].isna().all()  # nothing known stays unknown, never 0
    assert money.iloc[3].tolist() == [-50, -50, -50]  # a cost rise is negative money, no interval given
    without_clv = money_per_year(table, None)
    assert without_clv.iloc[1].isna().all() and without_clv.iloc[0].tolist() == [100, 90, 120]


def test_the_overlap_rule_takes_the_best_member_up_to_the_sum():
    table = pd.DataFrame({"id": ["a", "b", "c"], "nps_points": [4.0, 6.0, NAN], "nps_points_low": [3.0, 2.0, NAN],
                          "nps_points_high": [5.0, 9.0, NAN]})
    assert combined_effects(table, ["a", "b", "c"], ["nps_points"]) == {
        "nps_points": {"value": 6.0, "low": 2.0, "high": 14.0}}
    assert combined_effects(table, ["c"], ["nps_points"]) == {}


def test_a_portfolio_counts_each_group_once_and_frees_fte():
    table = pd.DataFrame({"id": ["a", "b", "c"], "nps_points": [4.0, 6.0, 1.0], "nps_points_low": [3.0, 5.0, NAN],
                          "nps_points_high": [5.0, 7.0, NAN], "value_per_year": [NAN] * 3,
                          "value_per_year_low": [NAN] * 3, "value_per_year_high": [NAN] * 3,
                          "fte": [-1.0, -0.5, NAN], "fte_low": [-1.2, -0.6, NAN], "fte_high": [-0.8, -0.4, NAN]})
    effects = portfolio_effects(table, ["a", "b", "c"], {"bill": ["a", "b"]})
    # the group a, b counts its best, b: 6 (its low 5, up to the highs 5 + 7 = 12), plus c alone: 1
    assert effects["nps_points"] == {"value": 7.0, "low": 6.0, "high": 13.0}
    # freed staff: a frees 1 (0.8 … 1.2), b 0.5; the group counts its best, a, up to both
    assert effects["fte"] == pytest.approx({"value": 1.0, "low": 0.8, "high": 1.8})
    assert "value_per_year" not in effects


def test_scores_and_estimates_from_effort():
    scores = pd.DataFrame({"initiative": ["x", "x", "y"], "participant": ["A", "B", "A"], "effort": [2, 4, 5],
                           "effect": [3, 3, 1]})
    summary = score_summary(scores)
    assert summary.loc["x"].tolist() == [3, 2, 4, 3, 3, 3, 2]
    client = pd.DataFrame({"effort": [2, 2, 3], "cost": [100.0, 300.0, 50.0], "duration": [1.0, 3.0, 2.0]})
    assert by_effort(client, "cost").loc[2].tolist() == [200, 100, 300]
    assert by_effort(None, "cost").empty


def test_the_list_with_an_empty_client_table_and_confidence():
    proposed = pd.DataFrame([{c: NAN for c in PROPOSED_COLUMNS} | {
        "id": "p", "name": "P", "source": "06_unnecessary_demand", "nps_points": 2.0, "nps_points_low": -1.0,
        "nps_points_high": 4.0, "reach_per_year": 100.0}], columns=PROPOSED_COLUMNS)
    table = initiative_list(None, proposed, pd.DataFrame(columns=["initiative", "participant", "effort", "effect"]))
    assert list(table["id"]) == ["p"] and table["scored_by"].tolist() == [0]
    assert confidence(table).tolist() == [0.8]  # measured, but the interval spans zero
    inputs = method_inputs(table.assign(rated_effect=5.0, effort=2.0, duration=4.0)).iloc[0]
    assert (inputs["impact"], inputs["ice_impact"], inputs["ease"], inputs["person_months"]) == (3.0, 10.0, 8.0, 4.0)
