"""Ranking stability: the draws, Kendall's τ, and the sentences' building blocks."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxlib.analysis.stability import (Stability, kendall_tau, open_blocks, rank_stability, ranks, sample_values,
                                      sample_weights, settled_top)


def test_kendall_tau_matches_scipy_with_and_without_ties():
    rng = np.random.default_rng(1)
    reference = rng.normal(size=12)
    draws = np.vstack([rng.normal(size=12), np.round(rng.normal(size=12)), reference, -reference])
    ours = kendall_tau(reference, draws)
    expected = [stats.kendalltau(reference, d).statistic for d in draws]
    np.testing.assert_allclose(ours, expected)
    np.testing.assert_allclose(ours[2:], [1, -1])


def test_ranks_count_from_the_highest_score():
    np.testing.assert_array_equal(ranks(np.array([[0.2, 0.9, 0.5], [3, 1, 2]])), [[3, 1, 2], [1, 3, 2]])


def test_sampled_weights_stay_on_the_simplex_around_the_chosen():
    rng = np.random.default_rng(0)
    w = np.array([0.5, 0.3, 0.2])
    near = sample_weights(w, 1000, rng, spread=0.2)
    np.testing.assert_allclose(near.sum(axis=1), 1)
    assert (near >= 0.8 * w - 1e-12).all()
    full = sample_weights(w, 1000, rng, spread=None)
    assert full.min() < 0.05 and full.max() > 0.9
    with pytest.raises(ValueError, match="spread must be a share"):
        sample_weights(w, 1, rng, spread=2)


def test_sampled_values_are_triangular_within_their_interval():
    rng = np.random.default_rng(0)
    value, low, high = np.array([2.0, 5.0, np.nan]), np.array([0.0, np.nan, np.nan]), np.array([10.0, np.nan, 1.0])
    drawn = sample_values(value, low, high, 20000, rng)
    assert drawn[:, 0].min() >= 0 and drawn[:, 0].max() <= 10
    assert drawn[:, 0].mean() == pytest.approx((0 + 2 + 10) / 3, abs=0.05)  # the triangular mean, sd of mean ≈ 0.015
    assert (drawn[:, 1] == 5).all() and np.isnan(drawn[:, 2]).all()


def test_a_dominant_initiative_is_always_first_and_the_result_is_reproducible():
    value = pd.DataFrame({"nps": [5.0, 1.0, 1.1], "saving": [9.0, 2.0, 1.9]}, index=["best", "x", "y"])
    low, high = value - 0.5, value + 0.5
    first = rank_stability(value, {"nps": 1, "saving": 1}, low=low, high=high, samples=300, top_k=1, seed=7)
    again = rank_stability(value, {"nps": 1, "saving": 1}, low=low, high=high, samples=300, top_k=1, seed=7)
    pd.testing.assert_frame_equal(first.table, again.table)
    row = first.table.iloc[0]
    assert (row["id"], row["p_top"], row["rank_low"], row["rank_high"]) == ("best", 1.0, 1, 1)
    assert first.same_top[0] == 1.0 and settled_top(first) == 1
    assert open_blocks(first) == [(2, 3)]  # x and y are within each other's intervals
    assert (first.table["p_top"].iloc[1:] == 0).all()


def test_fixed_values_and_weights_give_one_order():
    value = pd.DataFrame({"a": [3.0, 2.0, 1.0]}, index=["p", "q", "r"])
    found = rank_stability(value, {"a": 1}, samples=50, spread=0)
    assert list(found.table["id"]) == ["p", "q", "r"]
    np.testing.assert_allclose(found.tau, 1)
    assert settled_top(found) == 2 and open_blocks(found) == []  # top_k 3 of 3: at most 2


def test_blocks_and_settled_top_by_hand():
    table = pd.DataFrame({"id": list("abcdef"), "rank": range(1, 7), "rank_low": [1, 2, 2, 2, 5, 5],
                          "rank_high": [1, 4, 3, 4, 6, 6]})
    found = Stability(table=table, tau=np.array([1.0]), same_top=np.array([1, 0.95, 0.5, 0.92, 0.3, 1]), top_k=3)
    assert open_blocks(found) == [(2, 4), (5, 6)]
    assert settled_top(found) == 2  # the top 3 do not hold (0.5), the top 2 do
    wider = Stability(table=table, tau=found.tau, same_top=found.same_top, top_k=5)
    assert settled_top(wider) == 4
