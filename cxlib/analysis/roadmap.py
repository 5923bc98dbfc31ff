"""A roadmap: the chosen initiatives scheduled over quarters.

Initiatives start at the beginning of a quarter, in priority order, each as early as its
prerequisites allow (after the last of them has ended) and as its owner's capacity allows (at
most ``capacity`` initiatives of one owner running in any quarter). This is list scheduling: it
keeps the priority order wherever dependencies and capacity let it, and is not an optimum of
total time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

QUARTER_MONTHS = 3
"""Months in a quarter."""


def _quarter_from(month: float) -> int:
    """The first quarter that starts at or after ``month`` (months from the start of the roadmap)."""
    return max(0, math.ceil(month / QUARTER_MONTHS - 1e-9))


def schedule(durations: Mapping[str, float], order: Sequence[str], *,
             requires: Iterable[tuple[str, str]] = (), owners: Mapping[str, str | None] | None = None,
             capacity: int | Mapping[str, int] | None = None) -> pd.DataFrame:
    """Start and end of each initiative, in quarters and months from the start of the roadmap.

    Parameters
    ----------
    durations : mapping of id to months ≥ 0
        The initiatives to schedule and how long each runs.
    order : sequence of ids
        Priority order (every id of ``durations``, each once): earlier ones are placed first.
    requires : pairs (initiative, prerequisite)
        The initiative starts after its prerequisite has ended; prerequisites not scheduled are ignored.
    owners : mapping of id to owner, optional
        Who runs each initiative; capacity counts per owner (initiatives without one are not limited).
    capacity : int or mapping of owner to int, optional
        The most initiatives one owner runs in the same quarter (a mapping: per owner, others
        unlimited); ``None``: unlimited.

    Returns
    -------
    DataFrame
        In priority order: ``id``, ``owner``, ``start_quarter`` and ``end_quarter`` (0-based, the
        last quarter it runs in), ``start_month`` and ``end_month`` (months from the start).

    Raises
    ------
    ValueError
        ``order`` that does not list each initiative once, a duration that is negative, or a
        cycle of prerequisites.
    """
    if sorted(order) != sorted(durations):
        raise ValueError("order must list every initiative of durations exactly once")
    bad = {i: d for i, d in durations.items() if not (isinstance(d, (int, float)) and math.isfinite(d) and d >= 0)}
    if bad:
        raise ValueError(f"durations must be months ≥ 0; got {bad}")
    owners = owners or {}
    before: dict[str, list[str]] = {i: [] for i in durations}
    for initiative, prerequisite in requires:
        if initiative in before and prerequisite in before:
            before[initiative].append(prerequisite)
    _no_cycle(before)

    def limit(owner: str | None) -> float:
        if owner is None or capacity is None:
            return math.inf
        return capacity if isinstance(capacity, int) else capacity.get(owner, math.inf)

    running: dict[tuple[str, int], int] = {}
    placed: dict[str, dict] = {}
    waiting = list(order)
    while waiting:
        ready = next(i for i in waiting if all(p in placed for p in before[i]))
        waiting.remove(ready)
        owner = owners.get(ready)
        span = max(1, _quarter_from(durations[ready]))  # quarters it runs in
        q = max((_quarter_from(placed[p]["end_month"]) for p in before[ready]), default=0)
        while owner is not None and any(running.get((owner, k), 0) >= limit(owner) for k in range(q, q + span)):
            q += 1
        for k in range(q, q + span):
            if owner is not None:
                running[(owner, k)] = running.get((owner, k), 0) + 1
        start = q * QUARTER_MONTHS
        placed[ready] = {"id": ready, "owner": owner, "start_quarter": q, "end_quarter": q + span - 1,
                         "start_month": start, "end_month": start + durations[ready]}
    return pd.DataFrame([placed[i] for i in order],
                        columns=["id", "owner", "start_quarter", "end_quarter", "start_month", "end_month"])


def _no_cycle(before: Mapping[str, list[str]]) -> None:
    """Raise ValueError naming a cycle of prerequisites, if there is one."""
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for p in before[node]:
            if state.get(p) == 1:
                cycle = path[path.index(p):] + [p]
                raise ValueError(f"the prerequisites form a cycle: {' needs '.join(cycle)}")
            if p not in state:
                visit(p, [*path, p])
        state[node] = 2

    for node in before:
        if node not in state:
            visit(node, [node])
