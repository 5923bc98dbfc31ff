"""How sure a ranking is: the weighted score under sampled weights and effects.

A ranking from :func:`cxlib.analysis.scoring.weighted_score` is one order among many that the
same evidence allows. :func:`rank_stability` draws weights (uniform on the simplex, or on the
part of it around the chosen weights) and criterion values (each within its interval), ranks
the initiatives for every draw, and reports how often each lands in the top k, the range of
its rank, and Kendall's τ between the chosen order and each sampled one. :func:`settled_top`
and :func:`open_blocks` turn that into the sentences a report needs: "the top 3 are stable",
"positions 2–5 could be in any order".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .scoring import scaled, weights_of

SAMPLES = 500
"""Draws of :func:`rank_stability` by default."""
SPREAD = 0.25
"""Default share of the weights that is redrawn: weights ``(1 − spread) × chosen + spread × uniform``."""
RANK_RANGE = (0.05, 0.95)
"""Quantiles of the sampled ranks reported as an initiative's rank range."""
SETTLED = 0.9
"""Share of draws in which the top set must stay the same to be called stable."""


def sample_weights(weights: np.ndarray, samples: int, rng: np.random.Generator,
                   spread: float | None = SPREAD) -> np.ndarray:
    """Weight vectors drawn around ``weights`` (which sum to 1).

    ``spread=None`` draws uniformly on the whole simplex (Dirichlet(1, …, 1)); a spread 0–1 draws
    ``(1 − spread) × weights + spread × u`` with ``u`` uniform on the simplex, which is uniform on
    a simplex shrunk by ``spread`` that still holds ``weights``.

    Returns
    -------
    ndarray of shape (samples, criteria), each row summing to 1.
    """
    uniform = rng.dirichlet(np.ones(len(weights)), size=samples)
    if spread is None:
        return uniform
    if not 0 <= spread <= 1:
        raise ValueError(f"spread must be a share 0–1 of the weights to redraw (or None for all); got {spread!r}")
    return (1 - spread) * weights + spread * uniform


def sample_values(value: np.ndarray, low: np.ndarray, high: np.ndarray, samples: int,
                  rng: np.random.Generator) -> np.ndarray:
    """Criterion values drawn from a triangular distribution on ``low``…``high`` with its mode at ``value``.

    Values without an interval (NaN bounds, or ``low == high``) stay fixed; NaN values stay NaN.

    Returns
    -------
    ndarray of shape (samples, *value.shape)
    """
    value = np.asarray(value, float)
    lo = np.where(np.isnan(low), value, np.minimum(low, value))
    hi = np.where(np.isnan(high), value, np.maximum(high, value))
    width = hi - lo
    u = rng.random((samples, *value.shape))
    with np.errstate(invalid="ignore", divide="ignore"):
        mode = np.where(width > 0, (value - lo) / width, 0.5)
        below = lo + np.sqrt(u * mode * width ** 2)           # inverse CDF of the triangular distribution
        above = hi - np.sqrt((1 - u) * (1 - mode) * width ** 2)
    drawn = np.where(u < mode, below, above)
    return np.where(width > 0, drawn, value)


def ranks(scores: np.ndarray) -> np.ndarray:
    """Rank of each initiative (1 = highest score) along the last axis; ties keep the order given."""
    order = np.argsort(-scores, axis=-1, kind="stable")
    out = np.empty_like(order)
    np.put_along_axis(out, order, np.arange(1, scores.shape[-1] + 1), axis=-1)
    return out


def kendall_tau(reference: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Kendall's τ-b between the scores ``reference`` (n,) and each row of ``scores`` (…, n).

    τ-b = Σ sign(aᵢ − aⱼ) sign(bᵢ − bⱼ) ÷ √(pairs untied in a × pairs untied in b), over the pairs
    i < j; 1 for the same order, −1 for the reverse; NaN when either has every value tied.
    """
    i, j = np.triu_indices(len(reference), k=1)
    a = np.sign(reference[i] - reference[j])
    b = np.sign(scores[..., i] - scores[..., j])
    with np.errstate(invalid="ignore", divide="ignore"):
        return (b * a).sum(axis=-1) / np.sqrt((a ** 2).sum() * (b ** 2).sum(axis=-1))


@dataclass(frozen=True)
class Stability:
    """What :func:`rank_stability` found.

    Attributes
    ----------
    table : DataFrame
        One row per initiative in the chosen order: ``id``, ``score`` (0–1), ``rank``,
        ``p_top`` (share 0–1 of draws in the top ``top_k``), ``rank_low`` and ``rank_high``
        (:data:`RANK_RANGE` quantiles of its sampled rank), ``rank_median``.
    tau : ndarray
        Kendall's τ between the chosen order and each draw's.
    same_top : ndarray
        For m = 1 … n, the share 0–1 of draws whose top m are the chosen top m (in any order).
    top_k : int
    """

    table: pd.DataFrame
    tau: np.ndarray
    same_top: np.ndarray
    top_k: int

    @property
    def tau_summary(self) -> dict[str, float]:
        """Median and 5 % quantile of Kendall's τ over the draws."""
        return {"median": float(np.nanmedian(self.tau)), "low": float(np.nanquantile(self.tau, 0.05))}


def rank_stability(value: pd.DataFrame, weights: dict[str, float], *, low: pd.DataFrame | None = None,
                   high: pd.DataFrame | None = None, lower_is_better=(), samples: int = SAMPLES,
                   spread: float | None = SPREAD, top_k: int = 3, seed: int = 0) -> Stability:
    """The ranking by weighted score, and how it moves under sampled weights and criterion values.

    Parameters
    ----------
    value : DataFrame
        Criterion values, one row per initiative (index: ids), one column per criterion, NaN where
        not known (as for :func:`~cxlib.analysis.scoring.weighted_score`).
    weights : mapping of criterion to weight ≥ 0
        The chosen weights.
    low, high : DataFrame, optional
        Interval bounds of ``value`` (same shape; NaN where none); without them values stay fixed.
    lower_is_better : iterable of str
        Criteria where less is better.
    samples : int
        Draws, ≥ 1.
    spread : float or None
        Share of the weights redrawn (:func:`sample_weights`); ``None`` draws on the full simplex.
    top_k : int
        The size of the top reported in ``p_top``.
    seed : int
        Seed of the draws: the same seed gives the same figures.
    """
    if samples < 1:
        raise ValueError(f"samples must be a whole number ≥ 1; got {samples!r}")
    n = len(value)
    top_k = max(1, min(top_k, n))
    rng = np.random.default_rng(seed)
    w = weights_of(weights, value.columns)
    lower = np.isin(value.columns, list(lower_is_better))
    x = value.to_numpy(float)
    chosen = scaled(x, lower) @ w
    lo = x if low is None else low.reindex_like(value).to_numpy(float)
    hi = x if high is None else high.reindex_like(value).to_numpy(float)
    drawn_w = sample_weights(w, samples, rng, spread)
    drawn_x = sample_values(x, lo, hi, samples, rng)
    drawn = np.einsum("snc,sc->sn", scaled(drawn_x, lower), drawn_w)
    drawn_ranks = ranks(drawn)
    order = np.argsort(-chosen, kind="stable")
    rank_q = np.quantile(drawn_ranks, RANK_RANGE, axis=0, method="lower")
    table = pd.DataFrame({
        "id": value.index[order], "score": chosen[order], "rank": np.arange(1, n + 1),
        "p_top": (drawn_ranks <= top_k).mean(axis=0)[order],
        "rank_low": rank_q[0][order], "rank_median": np.median(drawn_ranks, axis=0)[order],
        "rank_high": rank_q[1][order]})
    # top m the same: every one of the chosen top m ranks within m in the draw
    in_order = drawn_ranks[:, order]
    same_top = np.array([(in_order[:, :m] <= m).all(axis=1).mean() for m in range(1, n + 1)])
    return Stability(table=table, tau=kendall_tau(chosen, drawn), same_top=same_top, top_k=top_k)


def settled_top(stability: Stability, level: float = SETTLED) -> int:
    """The largest m, at most ``top_k`` and below the number of initiatives, whose top m stay the
    top m (in any order) in ``level`` of the draws; 0 when not even first place holds.
    """
    same = stability.same_top[:min(stability.top_k, len(stability.same_top) - 1)]
    settled = np.flatnonzero(same >= level)
    return int(settled[-1] + 1) if settled.size else 0


def open_blocks(stability: Stability) -> list[tuple[int, int]]:
    """Runs of positions (first, last; 1-based) of the chosen order whose rank ranges overlap.

    Position p joins the run before it when its initiative may rank above p, or an initiative of
    the run may rank at p or below. Only runs of two or more positions are returned: within
    each, the evidence does not fix the order.
    """
    t = stability.table
    blocks, start, reach = [], 1, int(t["rank_high"].iloc[0])
    for p in range(2, len(t) + 1):
        if int(t["rank_low"].iloc[p - 1]) < p or reach >= p:
            reach = max(reach, int(t["rank_high"].iloc[p - 1]))
            continue
        if p - 1 > start:
            blocks.append((start, p - 1))
        start, reach = p, int(t["rank_high"].iloc[p - 1])
    if len(t) > start:
        blocks.append((start, len(t)))
    return blocks
