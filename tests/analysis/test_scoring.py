"""RICE, ICE, WSJF, the quadrants and the weighted score, against published and hand-worked examples."""

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis.scoring import ice, quadrant, rice, scaled, weighted_score, weights_of, wsjf


def test_rice_matches_a_published_worked_example():
    # cadenly.io, "RICE scoring explained, with a worked example": 4,000, 2,000 and 1,333
    scores = rice([5000, 3000, 8000], [2, 1, 0.5], [0.8, 1.0, 1.0], [2, 1.5, 3])
    np.testing.assert_allclose(scores, [4000, 2000, 4000 / 3])


def test_rice_takes_scalars_and_rejects_zero_effort_by_name():
    assert rice(150, 3, 0.5, 1) == pytest.approx(225)
    with pytest.raises(ValueError, match=r"effort must be a number of person-months > 0; got 0 \(at index 1\)"):
        rice([1, 1], 1, 1, [2, 0])
    with pytest.raises(ValueError, match="impact must be on the scale 0.25"):
        rice(1, 5, 1, 1)
    with pytest.raises(ValueError, match="confidence must be a share 0–1"):
        rice(1, 1, 80, 1)


def test_ice_is_the_product_of_three_scores():
    np.testing.assert_allclose(ice([8, 5], [7, 10], [6, 2]), [336, 100])
    with pytest.raises(ValueError, match="ease must be a score from 1 to 10"):
        ice(5, 5, 0)


def test_wsjf_divides_the_cost_of_delay_by_the_job_size():
    # beginpm.com, "What is WSJF in agile", tasks A and B: cost of delay 100 + 50 + 20 = 170 over 10, and
    # 80 + 30 + 10 = 120 over 5
    np.testing.assert_allclose(wsjf([100, 80], [50, 30], [20, 10], [10, 5]), [17, 24])
    with pytest.raises(ValueError, match="job_size must be a relative size > 0"):
        wsjf(1, 1, 1, 0)


def test_quadrants_put_thresholds_on_the_low_effort_and_high_effect_side():
    found = quadrant([1, 4, 2, 5, 3], [5, 5, 1, 1, 3], effort_threshold=3, effect_threshold=3)
    assert list(found) == ["quick_win", "major_project", "fill_in", "thankless", "quick_win"]
    assert quadrant(4, 2, 3, 3) == "thankless"
    with pytest.raises(ValueError, match="effect must be a finite number; got nan"):
        quadrant(1, float("nan"), 3, 3)


def test_scaling_maps_each_criterion_to_0_1_and_unknown_to_0():
    values = np.array([[10.0, 1.0], [20.0, 5.0], [np.nan, 3.0]])
    np.testing.assert_allclose(scaled(values, np.array([False, True])), [[0, 1], [1, 0], [0, 0.5]])
    one_known = np.array([[np.nan], [7.0]])
    np.testing.assert_allclose(scaled(one_known, np.array([False])), [[0], [1]])


def test_the_weighted_score_by_hand():
    criteria = pd.DataFrame({"nps": [2.0, 1.0, 0.0], "effort": [5, 1, 3]}, index=["a", "b", "c"])
    score = weighted_score(criteria, {"nps": 3, "effort": 1}, lower_is_better=["effort"])
    # nps scaled 1, 0.5, 0; effort scaled 0, 1, 0.5; weights 0.75 and 0.25
    np.testing.assert_allclose(score.to_numpy(), [0.75, 0.625, 0.125])
    assert list(score.index) == ["a", "b", "c"]


def test_weights_are_validated():
    np.testing.assert_allclose(weights_of({"a": 1, "b": 3}, ["a", "b", "c"]), [0.25, 0.75, 0])
    with pytest.raises(ValueError, match="unknown criteria d"):
        weights_of({"d": 1}, ["a"])
    with pytest.raises(ValueError, match="at least one weight"):
        weights_of({"a": 0}, ["a"])
    with pytest.raises(ValueError, match="weights must be a finite weight ≥ 0; got -1"):
        weights_of({"a": -1}, ["a"])
