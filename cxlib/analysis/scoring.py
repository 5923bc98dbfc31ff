"""Prioritisation scores: the weighted score over criteria, RICE, ICE and WSJF, and the effort/effect quadrants.

Every function is vectorised (scalars or arrays in, the same shape out) and validates its
inputs the way :mod:`cxlib.stats.queues` does: a :class:`ValueError` names the argument, the
rule and the first value that breaks it.

Sources of the published formulas:

* RICE: Sean McBride, *RICE: Simple prioritization for product managers*, Intercom (2016):
  reach × impact × confidence ÷ effort, impact on the scale 0.25 (minimal), 0.5, 1, 2, 3 (massive),
  confidence 0.5 (low), 0.8 (medium), 1 (high), effort in person-months.
* ICE: Sean Ellis, GrowthHackers (2015): impact × confidence × ease, each scored 1–10.
* WSJF: Scaled Agile Framework (SAFe), *Weighted Shortest Job First*, after Reinertsen's *The
  Principles of Product Development Flow* (2009): cost of delay ÷ job size, the cost of delay
  being user-business value + time criticality + risk reduction and opportunity enablement.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..stats.checks import checked

QUADRANTS = ("quick_win", "major_project", "fill_in", "thankless")
"""Quadrant ids of :func:`quadrant`: high effect and low effort first, low effect and high effort last."""
IMPACT_SCALE = (0.25, 0.5, 1.0, 2.0, 3.0)
"""RICE's impact scale, minimal to massive."""


def _out(x: np.ndarray):
    return float(x) if x.ndim == 0 else x


def rice(reach, impact, confidence, effort):
    """RICE score: reach × impact × confidence ÷ effort (Intercom).

    Parameters
    ----------
    reach : float or array
        People (or events) reached per period, ≥ 0.
    impact : float or array
        Impact on each person, 0.25 (minimal) … 3 (massive) (:data:`IMPACT_SCALE`).
    confidence : float or array
        Confidence in the estimates, a share 0–1.
    effort : float or array
        Person-months of work, > 0.

    Returns
    -------
    float or ndarray
        Impact-weighted people reached per period per person-month.
    """
    reach = checked(reach, "reach", "a number of people reached per period ≥ 0", lambda x: x >= 0)
    impact = checked(impact, "impact", "on the scale 0.25 (minimal) to 3 (massive)", lambda x: (x >= 0.25) & (x <= 3))
    confidence = checked(confidence, "confidence", "a share 0–1 (e.g. 0.8 for 80 %)", lambda x: (x >= 0) & (x <= 1))
    effort = checked(effort, "effort", "a number of person-months > 0", lambda x: x > 0)
    return _out(reach * impact * confidence / effort)


def ice(impact, confidence, ease):
    """ICE score: impact × confidence × ease, each scored 1–10 (Sean Ellis); 1 … 1000."""
    impact, confidence, ease = (checked(v, name, "a score from 1 to 10", lambda x: (x >= 1) & (x <= 10))
                                for v, name in ((impact, "impact"), (confidence, "confidence"), (ease, "ease")))
    return _out(impact * confidence * ease)


def wsjf(business_value, time_criticality, risk_reduction, job_size):
    """WSJF score: cost of delay ÷ job size (SAFe).

    The cost of delay is ``business_value + time_criticality + risk_reduction`` (each ≥ 0, usually
    on the modified Fibonacci scale 1, 2, 3, 5, 8, 13, 20); ``job_size`` is > 0 on the same kind of scale.
    """
    parts = [checked(v, name, "a relative score ≥ 0", lambda x: x >= 0) for v, name in (
        (business_value, "business_value"), (time_criticality, "time_criticality"),
        (risk_reduction, "risk_reduction"))]
    job_size = checked(job_size, "job_size", "a relative size > 0", lambda x: x > 0)
    return _out(sum(parts) / job_size)


def quadrant(effort, effect, effort_threshold, effect_threshold):
    """The quadrant of each initiative on the effort/effect matrix.

    Effort at or below ``effort_threshold`` is low, effect at or above ``effect_threshold`` is
    high: ``quick_win`` (low effort, high effect), ``major_project`` (high, high), ``fill_in``
    (low, low), ``thankless`` (high effort, low effect).

    Returns
    -------
    str or ndarray of str
        Ids of :data:`QUADRANTS`, in the shape of the broadcast inputs.
    """
    low_effort = checked(effort, "effort") <= checked(effort_threshold, "effort_threshold")
    high_effect = checked(effect, "effect") >= checked(effect_threshold, "effect_threshold")
    ids = np.array(QUADRANTS, dtype=object)
    found = ids[np.where(high_effect, np.where(low_effort, 0, 1), np.where(low_effort, 2, 3))]
    return found if isinstance(found, np.ndarray) else str(found)


def scaled(values: np.ndarray, lower_is_better: np.ndarray) -> np.ndarray:
    """Min–max scaling of each criterion across initiatives to 0–1, 1 the best.

    Parameters
    ----------
    values : ndarray of shape (..., initiatives, criteria)
        Criterion values, NaN where not known; leading axes (samples) are scaled separately.
    lower_is_better : ndarray of bool, shape (criteria,)
        Criteria where less is better (effort, cost).

    Returns
    -------
    ndarray
        ``(x − min) / (max − min)`` (or ``(max − x) / (max − min)`` where lower is better); a
        criterion with one known value gives 1 to every initiative that has it; unknown gives 0.
    """
    missing = np.isnan(values)
    if values.shape[-2] == 0:
        return np.zeros_like(values)
    lo = np.where(missing, np.inf, values).min(axis=-2, keepdims=True)
    hi = np.where(missing, -np.inf, values).max(axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(lower_is_better, hi - values, values - lo) / (hi - lo)
    share = np.where(hi > lo, share, 1.0)
    return np.where(missing, 0.0, share)


def weights_of(weights: Mapping[str, float], criteria) -> np.ndarray:
    """``weights`` in the order of ``criteria`` (missing ones 0), scaled to sum to 1.

    Raises
    ------
    ValueError
        A weight that is negative or not finite, a weight for an unknown criterion, or all weights 0.
    """
    criteria = list(criteria)
    unknown = sorted(set(weights) - set(criteria))
    if unknown:
        raise ValueError(f"weights for unknown criteria {', '.join(unknown)}; the criteria are {', '.join(criteria)}")
    w = checked([weights.get(c, 0.0) for c in criteria], "weights", "a finite weight ≥ 0", lambda x: x >= 0)
    if w.sum() <= 0:
        raise ValueError(f"at least one weight must be above 0; got {dict(weights)}")
    return w / w.sum()


def weighted_score(criteria: pd.DataFrame, weights: Mapping[str, float], lower_is_better=()) -> pd.Series:
    """Weighted score of each initiative: Σ weight × scaled criterion, 0–1 (1 best on every criterion).

    Parameters
    ----------
    criteria : DataFrame
        One row per initiative (the index), one column per criterion; NaN where not known, which
        scores 0 on that criterion (:func:`scaled`).
    weights : mapping of criterion to weight ≥ 0
        Scaled to sum to 1 (:func:`weights_of`); criteria left out weigh 0.
    lower_is_better : iterable of str
        The criteria where less is better.
    """
    w = weights_of(weights, criteria.columns)
    lower = np.isin(criteria.columns, list(lower_is_better))
    return pd.Series(scaled(criteria.to_numpy(float), lower) @ w, index=criteria.index, name="score")
