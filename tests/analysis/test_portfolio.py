"""The best portfolio against brute force over every subset, and by hand."""

import itertools

import numpy as np
import pytest

from cxlib.analysis.portfolio import best_portfolio, frontier


def brute_force(values, costs, budget, requires, excludes, groups, capacity, usage):
    """The best value over all 2^n subsets, each checked against every constraint."""
    ids = list(values)
    n = len(ids)
    x = ((np.arange(2 ** n)[:, None] >> np.arange(n)) & 1).astype(bool)
    v = np.array([values[i] for i in ids])
    c = np.array([costs[i] for i in ids])
    ok = x @ c <= budget + 1e-9
    at = {i: k for k, i in enumerate(ids)}
    for a, b in requires:
        ok &= ~x[:, at[a]] | x[:, at[b]]
    for a, b in excludes:
        ok &= ~(x[:, at[a]] & x[:, at[b]])
    for resource, limit in capacity.items():
        used = np.array([usage.get(i, {}).get(resource, 0.0) for i in ids])
        ok &= x @ used <= limit + 1e-9
    grouped = {i for g in groups for i in g}
    total = x[:, [at[i] for i in ids if i not in grouped]] @ v[[at[i] for i in ids if i not in grouped]]
    for g in groups:
        members = [at[i] for i in g]
        total = total + np.maximum(0, np.where(x[:, members], v[members], -np.inf).max(axis=1))
    return total[ok].max(), x, ok, total


def random_instance(rng, n):
    ids = [f"i{k}" for k in range(n)]
    values = dict(zip(ids, np.round(rng.normal(5, 4, n), 2)))
    costs = dict(zip(ids, np.round(rng.uniform(0, 10, n), 2)))
    budget = float(rng.uniform(0.2, 0.7) * sum(costs.values()))
    pairs = [p for p in itertools.permutations(ids, 2)]
    chosen = rng.choice(len(pairs), size=min(len(pairs), 2 * n // 3), replace=False) if pairs else []
    requires = [pairs[k] for k in chosen[: len(chosen) // 2]]
    excludes = [pairs[k] for k in chosen[len(chosen) // 2:]]
    shuffled = list(rng.permutation(ids))
    groups = [shuffled[:3], shuffled[3:5]] if n >= 5 else []
    capacity = {"it": float(rng.uniform(3, 8)), "kundservice": float(rng.uniform(2, 6))}
    usage = {i: {"it": float(rng.integers(0, 4)), "kundservice": float(rng.integers(0, 3))} for i in ids}
    return values, costs, budget, requires, excludes, groups, capacity, usage


@pytest.mark.parametrize("seed", range(40))
def test_the_solver_finds_the_brute_force_optimum(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 16)) if seed else 15
    values, costs, budget, requires, excludes, groups, capacity, usage = random_instance(rng, n)
    best, x, ok, total = brute_force(values, costs, budget, requires, excludes, groups, capacity, usage)
    found = best_portfolio(values, costs, budget, requires=requires, excludes=excludes, groups=groups,
                           capacity=capacity, usage=usage)
    assert found.value == pytest.approx(best, abs=1e-6)
    row = sum(1 << k for k, i in enumerate(values) if i in found.chosen)
    assert ok[row], "the chosen set breaks a constraint"
    assert total[row] == pytest.approx(found.value, abs=1e-6)
    assert found.cost == pytest.approx(sum(costs[i] for i in found.chosen))


def test_each_constraint_by_hand():
    values, costs = {"a": 10, "b": 6, "c": 5, "d": 4}, {"a": 5, "b": 3, "c": 3, "d": 1}
    free = best_portfolio(values, costs, 6)
    assert (free.chosen, free.value, free.cost) == (("a", "d"), 14, 6)
    # a needs c: a + c costs 8 > 6; of the rest b + c (11) beats b + d (10) and c + d (9)
    assert best_portfolio(values, costs, 6, requires=[("a", "c")]).chosen == ("b", "c")
    # a and d exclude each other: b + c (11) beats a alone (10)
    assert best_portfolio(values, costs, 6, excludes=[("a", "d")]).chosen == ("b", "c")
    # b and c overlap fully: their group is worth 6, so a + d (14) stays
    assert best_portfolio(values, costs, 7, groups=[["b", "c"]]).chosen == ("a", "d")
    # capacity: a and b use IT, at most 1 unit
    chosen = best_portfolio(values, costs, 9, capacity={"it": 1}, usage={"a": {"it": 1}, "b": {"it": 1}})
    assert (chosen.chosen, chosen.value) == (("a", "c", "d"), 19)


def test_equal_values_take_the_cheaper_set():
    assert best_portfolio({"a": 5, "b": 5}, {"a": 4, "b": 2}, 4).chosen == ("b",)


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="differ in b"):
        best_portfolio({"a": 1}, {"a": 1, "b": 1}, 1)
    with pytest.raises(ValueError, match="requires names unknown initiatives z"):
        best_portfolio({"a": 1}, {"a": 1}, 1, requires=[("a", "z")])
    with pytest.raises(ValueError, match="costs must be a finite cost ≥ 0; got -1"):
        best_portfolio({"a": 1}, {"a": -1}, 1)
    with pytest.raises(ValueError, match="at most one group; a are in several"):
        best_portfolio({"a": 1, "b": 1}, {"a": 1, "b": 1}, 1, groups=[["a", "b"], ["a"]])
    with pytest.raises(ValueError, match="without a capacity: hr"):
        best_portfolio({"a": 1}, {"a": 1}, 1, capacity={"it": 1}, usage={"a": {"hr": 1}})
    assert best_portfolio({}, {}, 10).chosen == ()


def test_the_frontier_says_what_enters_and_leaves():
    values, costs = {"a": 10, "b": 6, "c": 5, "d": 4}, {"a": 5, "b": 3, "c": 3, "d": 1}
    table = frontier(values, costs, [6, 1, 4])
    assert list(table["budget"]) == [1, 4, 6]
    assert list(table["chosen"]) == [("d",), ("b", "d"), ("a", "d")]
    assert list(table["entered"]) == [("d",), ("b",), ("a",)]
    assert list(table["left"]) == [(), (), ("b",)]
    assert list(table["value"]) == [4, 10, 14]
