"""The best set of initiatives under a budget: a 0/1 integer program solved by :func:`scipy.optimize.milp`.

Maximise the summed value of the chosen initiatives subject to

* their summed cost within the budget;
* ``requires``: an initiative only with its prerequisite ("B needs A");
* ``excludes``: alternatives of which at most one is chosen;
* ``groups``: initiatives whose effects overlap: a group counts with the value of its best chosen
  member only (the full-overlap rule), never the sum;
* ``capacity``: per resource (a department, say), the summed ``usage`` of the chosen within its limit.

:func:`frontier` solves it for a series of budgets and says what enters and leaves at each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from ..stats.checks import checked


@dataclass(frozen=True)
class Portfolio:
    """A chosen set: ``chosen`` (ids in the order given), its ``value`` and ``cost``."""

    chosen: tuple[str, ...]
    value: float
    cost: float


def _known(pairs: Iterable[tuple[str, str]], ids: Sequence[str], name: str) -> list[tuple[int, int]]:
    index = {id_: i for i, id_ in enumerate(ids)}
    out = []
    for pair in pairs:
        a, b = pair
        unknown = [x for x in (a, b) if x not in index]
        if unknown:
            raise ValueError(f"{name} names unknown initiatives {', '.join(map(str, unknown))} in {pair!r}; "
                             f"known are {', '.join(ids)}")
        out.append((index[a], index[b]))
    return out


def best_portfolio(values: Mapping[str, float], costs: Mapping[str, float], budget: float, *,
                   requires: Iterable[tuple[str, str]] = (), excludes: Iterable[tuple[str, str]] = (),
                   groups: Iterable[Iterable[str]] = (), capacity: Mapping[str, float] | None = None,
                   usage: Mapping[str, Mapping[str, float]] | None = None) -> Portfolio:
    """The set of initiatives of highest value within ``budget``.

    Parameters
    ----------
    values : mapping of id to value
        What each initiative is worth (any unit, the same for all; may be negative).
    costs : mapping of id to cost ≥ 0
        Same ids as ``values``, in the unit of ``budget``.
    budget : float
        The most the chosen may cost together, ≥ 0.
    requires : pairs (initiative, prerequisite)
        The initiative is chosen only together with its prerequisite.
    excludes : pairs (a, b)
        At most one of a and b is chosen.
    groups : iterables of ids
        Initiatives whose effects overlap; a group adds the value of its best chosen member only.
        An initiative belongs to at most one group.
    capacity : mapping of resource to limit, optional
        The most of each resource the chosen may use together.
    usage : mapping of id to {resource: amount ≥ 0}, optional
        What each initiative uses of each resource of ``capacity``.

    Returns
    -------
    Portfolio

    Raises
    ------
    ValueError
        Ids that differ between ``values`` and ``costs`` or are unknown in a constraint, a cost or
        budget that is negative or not finite, an initiative in two groups, or a resource of
        ``usage`` without a ``capacity``.
    """
    ids = list(values)
    if set(costs) != set(ids):
        differ = sorted(set(costs) ^ set(ids))
        raise ValueError(f"values and costs must name the same initiatives; they differ in {', '.join(differ)}")
    n = len(ids)
    v = checked([values[i] for i in ids], "values", "a finite number")
    c = checked([costs[i] for i in ids], "costs", "a finite cost ≥ 0", lambda x: x >= 0)
    budget = float(checked(budget, "budget", "a finite amount ≥ 0", lambda x: x >= 0))
    if n == 0:
        return Portfolio((), 0.0, 0.0)
    groups = [[g for g in group] for group in groups]
    member = _known(((g, g) for group in groups for g in group), ids, "groups")
    seen = [a for a, _ in member]
    if len(seen) != len(set(seen)):
        twice = sorted({ids[a] for a in seen if seen.count(a) > 1})
        raise ValueError(f"an initiative belongs to at most one group; {', '.join(twice)} are in several")
    grouped = [[ids.index(g) for g in group] for group in groups if len(group) > 1]
    bearers = [i for group in grouped for i in group]  # one "counts for its group" variable z per grouped member
    m = n + len(bearers)
    objective = np.concatenate([np.where(np.isin(np.arange(n), bearers), 0.0, v), v[bearers]])
    rows, lower, upper = [np.concatenate([c, np.zeros(len(bearers))])], [-np.inf], [budget]

    def row(entries: dict[int, float]) -> np.ndarray:
        r = np.zeros(m)
        for k, coefficient in entries.items():
            r[k] += coefficient
        return r

    for a, b in _known(requires, ids, "requires"):
        rows.append(row({a: 1, b: -1}))
        lower.append(-np.inf), upper.append(0)
    for a, b in _known(excludes, ids, "excludes"):
        rows.append(row({a: 1, b: 1}))
        lower.append(-np.inf), upper.append(1)
    k = n
    for group in grouped:
        first = k
        for i in group:
            rows.append(row({k: 1, i: -1}))  # z ≤ x: counts only when chosen
            lower.append(-np.inf), upper.append(0)
            k += 1
        rows.append(row({z: 1 for z in range(first, k)}))  # one member counts
        lower.append(-np.inf), upper.append(1)
    for resource, limit in (capacity or {}).items():
        used = {ids.index(i): float(u.get(resource, 0.0)) for i, u in (usage or {}).items() if i in ids}
        checked(list(used.values()) or [0.0], f"usage of {resource}", "a finite amount ≥ 0", lambda x: x >= 0)
        rows.append(row(used))
        lower.append(-np.inf), upper.append(float(checked(limit, f"capacity of {resource}",
                                                          "a finite amount ≥ 0", lambda x: x >= 0)))
    extra = sorted({r for u in (usage or {}).values() for r in u} - set(capacity or {}))
    if extra:
        raise ValueError(f"usage names resources without a capacity: {', '.join(extra)}")
    # maximise the value; among equal values, the cheaper set (a tie-break of at most 1e-9 of the largest value)
    tie_break = np.concatenate([c, np.zeros(len(bearers))]) / max(c.sum(), 1e-300) * 1e-9 * max(np.abs(v).max(), 1e-300)
    solution = milp(tie_break - objective, integrality=np.ones(m), bounds=Bounds(0, 1),
                    constraints=LinearConstraint(np.array(rows), lower, upper), options={"mip_rel_gap": 0})
    if not solution.success:  # the empty set is always feasible: only a solver failure gets here
        raise RuntimeError(f"the portfolio could not be solved: {solution.message}")
    chosen = np.round(solution.x[:n]).astype(bool)
    value = float(objective @ np.round(solution.x))
    return Portfolio(tuple(i for i, keep in zip(ids, chosen) if keep), value, float(c[chosen].sum()))


def frontier(values: Mapping[str, float], costs: Mapping[str, float], budgets: Iterable[float],
             **constraints) -> pd.DataFrame:
    """:func:`best_portfolio` for each budget, in increasing order.

    Parameters
    ----------
    values, costs, constraints : as for :func:`best_portfolio`
    budgets : budgets to solve for

    Returns
    -------
    DataFrame
        ``budget``, ``value``, ``cost``, ``chosen`` (tuple of ids), ``entered`` and ``left``
        (tuples of ids that enter and leave the set compared with the budget before).
    """
    rows, before = [], ()
    for budget in sorted(float(b) for b in budgets):
        best = best_portfolio(values, costs, budget, **constraints)
        rows.append({"budget": budget, "value": best.value, "cost": best.cost, "chosen": best.chosen,
                     "entered": tuple(i for i in best.chosen if i not in before),
                     "left": tuple(i for i in before if i not in best.chosen)})
        before = best.chosen
    return pd.DataFrame(rows, columns=["budget", "value", "cost", "chosen", "entered", "left"])
