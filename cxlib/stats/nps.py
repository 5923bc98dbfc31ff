"""The NPS vocabulary: thresholds, coding, groups, intervals, differences and sample size.

A 0–10 likelihood-to-recommend answer is a promoter at 9–10, a passive at 7–8 and a
detractor at 0–6; coded +1/0/−1, its mean times 100 is the Net Promoter Score in points
(−100…100).

References
----------
Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
Statistician* 70(4), 365–372. arXiv:1601.07235.
MeasuringU, "Confidence intervals for Net Promoter Scores".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from .checks import confidence_z, scores
from .intervals import Estimate, GroupEstimates, Groups

#: Lowest answer of a promoter and of a passive; a detractor answers at most ``PASSIVE_MIN − 1``.
PROMOTER_MIN, PASSIVE_MIN = 9, 7
#: The groups, in the order of their scores.
GROUPS = ("detractor", "passive", "promoter")
#: Interval methods of :func:`nps`.
METHODS = ("adjusted-wald", "wald")
#: Fewest NPS answers for a group's value to be reported and tested (below it: "too few").
MIN_N = 30
#: Pseudo-answers (promoters, passives, detractors) added by the adjusted-Wald interval (Rocks 2016).
PSEUDO_ANSWERS = (0.75, 1.5, 0.75)


@dataclass(frozen=True)
class DiffResult:
    """NPS of sample a minus NPS of sample b, in points, with interval and two-sided z-test."""

    diff: float
    low: float
    high: float
    z: float
    p_value: float
    n_a: int
    n_b: int


def nps_scores(values) -> np.ndarray:
    """Validated 0–10 answers as floats, NaN where missing."""
    return scores(values, "nps", 0, 10)


def is_promoter(x) -> np.ndarray:
    """Whether each 0–10 answer is a promoter (9–10); False where missing."""
    return np.asarray(x) >= PROMOTER_MIN


def is_detractor(x) -> np.ndarray:
    """Whether each 0–10 answer is a detractor (0–6); False where missing."""
    return np.asarray(x) < PASSIVE_MIN


def coded(x: np.ndarray) -> np.ndarray:
    """Each answer as +1 (promoter), 0 (passive), −1 (detractor); NaN where missing."""
    x = np.asarray(x, dtype=float)
    return np.where(np.isnan(x), np.nan, is_promoter(x).astype(float) - is_detractor(x))


def group_of(values) -> pd.Series:
    """NPS group of 0–10 answers: "detractor", "passive" or "promoter".

    An ordered categorical (detractor < passive < promoter); missing answers stay missing. A
    Series keeps its index.
    """
    bins = [-1, PASSIVE_MIN - 1, PROMOTER_MIN - 1, 10]
    groups = pd.cut(nps_scores(values), bins, labels=list(GROUPS))
    return pd.Series(groups, index=values.index if isinstance(values, pd.Series) else None, name="group")


def group_counts(x: np.ndarray, groups: Groups) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Promoters, passives and detractors per group of validated answers ``x``."""
    promoter, detractor = is_promoter(x), is_detractor(x)
    return groups.count(promoter), groups.count(~promoter & (x >= PASSIVE_MIN)), groups.count(detractor)


def trinomial(promoters, passives, detractors):
    """n, net share (−1…1) and the variance of one answer coded +1/0/−1, from counts."""
    n = promoters + passives + detractors
    with np.errstate(invalid="ignore", divide="ignore"):
        p, d = promoters / n, detractors / n
    return n, p - d, p + d - (p - d) ** 2


def interval(promoters, passives, detractors, method: Literal["adjusted-wald", "wald"] = "adjusted-wald",
             confidence: float = 0.95) -> GroupEstimates:
    """NPS in points with its interval, from arrays of counts per group; see :func:`nps`."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    n, net, _ = trinomial(promoters, passives, detractors)
    shift = PSEUDO_ANSWERS if method == "adjusted-wald" else (0, 0, 0)
    n_c, centre, var = trinomial(promoters + shift[0], passives + shift[1], detractors + shift[2])
    with np.errstate(invalid="ignore", divide="ignore"):
        half = confidence_z(confidence) * np.sqrt(var / n_c)
    empty = n == 0
    low = np.where(empty, np.nan, 100 * np.clip(centre - half, -1, 1))
    high = np.where(empty, np.nan, 100 * np.clip(centre + half, -1, 1))
    return GroupEstimates(100 * net, low, high, n)


def nps(values, method: Literal["adjusted-wald", "wald"] = "adjusted-wald", confidence: float = 0.95) -> Estimate:
    """Net Promoter Score of 0–10 likelihood-to-recommend answers, in points (−100…100).

    Promoters answer 9–10, passives 7–8, detractors 0–6; missing answers are dropped.
    ``"adjusted-wald"`` adds 3 pseudo-answers (¾ promoter, 1½ passive, ¾ detractor) and
    centres a Wald interval on the adjusted score, with the trinomial variance of the adjusted
    shares over n + 3 (Rocks 2016; default of his R package NPS; MeasuringU). ``"wald"`` is
    NPS ± z·√((p_P + p_D − (p_P − p_D)²)/n). The value is always the plain NPS; bounds are
    clipped to −100…100 (for tiny n the adjusted interval may exclude the plain NPS).
    """
    x = nps_scores(values)
    promoters, passives, detractors = (int(c[0]) for c in group_counts(x, Groups.single(len(x))))
    return nps_from_counts(promoters, passives, detractors, method=method, confidence=confidence)


def nps_from_counts(promoters: int, passives: int, detractors: int,
                    method: Literal["adjusted-wald", "wald"] = "adjusted-wald", confidence: float = 0.95) -> Estimate:
    """NPS in points (−100…100) from counts of promoters, passives and detractors; see :func:`nps`."""
    counts = (promoters, passives, detractors)
    if any(c < 0 or not float(c).is_integer() for c in counts):
        raise ValueError(f"counts must be whole numbers ≥ 0; got {counts}")
    return interval(*(np.array([float(c)]) for c in counts), method=method, confidence=confidence).first()


def nps_difference(a, b, confidence: float = 0.95) -> DiffResult:
    """NPS(a) − NPS(b) in points for two independent samples of 0–10 answers.

    SE = 100·√(v_a/n_a + v_b/n_b) with v = p_P + p_D − (p_P − p_D)² of each sample (Wald,
    as in Rocks's ``nps_test``); z = diff/SE, two-sided p-value, interval diff ± z_crit·SE.
    """
    z_crit = confidence_z(confidence)
    sides = []
    for values in (a, b):
        x = nps_scores(values)
        sides.append([v[0] for v in trinomial(*group_counts(x, Groups.single(len(x))))])
    (n_a, net_a, var_a), (n_b, net_b, var_b) = sides
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = 100 * (net_a - net_b)
        se = 100 * np.sqrt(var_a / n_a + var_b / n_b)
        z = diff / se
    low, high, p_value = diff - z_crit * se, diff + z_crit * se, 2 * stats.norm.sf(abs(z))
    return DiffResult(float(diff), float(low), float(high), float(z), float(p_value), int(n_a), int(n_b))


def answer_variance(promoters, detractors):
    """Variance of one answer coded +1/0/−1: v = p_P + p_D − (p_P − p_D)² (shares 0–1, or arrays)."""
    p, d = np.asarray(promoters, dtype=float), np.asarray(detractors, dtype=float)
    if not np.all((p >= 0) & (d >= 0) & (p + d <= 1)):
        raise ValueError(
            f"promoters and detractors must be shares in 0–1 summing to at most 1; got {promoters}, {detractors}")
    return p + d - (p - d) ** 2


def answers_needed(margin, variance, confidence: float = 0.95) -> np.ndarray:
    """N = ⌈z² · v / (margin/100)²⌉ answers for a half-width of ``margin`` points (arrays allowed)."""
    z = confidence_z(confidence)
    # the tiny tolerance keeps float noise from rounding an exact whole number up
    return np.ceil(z**2 * np.asarray(variance) / (np.asarray(margin) / 100) ** 2 - 1e-9).astype(np.int64)


def nps_sample_size(margin: float, *, promoters: float | None = None, detractors: float | None = None,
                    confidence: float = 0.95) -> int:
    """NPS answers needed so that the interval's half-width is at most ``margin`` points.

    n = ⌈z² · v / (margin/100)²⌉ with v = p_P + p_D − (p_P − p_D)², the variance of one answer
    coded +1 (promoter), 0 (passive), −1 (detractor), and z the normal quantile of ``confidence``.
    This is the Wald half-width; the adjusted-Wald interval of :func:`nps` is almost the same
    once n is in the hundreds.

    Parameters
    ----------
    margin : float
        Wanted half-width in NPS points, > 0 (e.g. 5 for ±5 points).
    promoters, detractors : float, optional
        Expected shares (0–1) of promoters and detractors. Give both or neither; without them
        the worst case v = 1 (half promoters, half detractors) is used.
    confidence : float, default 0.95
        Two-sided confidence level of the interval.

    Returns
    -------
    int
        Number of NPS answers, e.g. 1 537 for ±5 points in the worst case.
    """
    if not margin > 0:
        raise ValueError(f"margin must be > 0 NPS points; got {margin}")
    if (promoters is None) != (detractors is None):
        raise ValueError("give both promoters and detractors shares, or neither (worst case)")
    v = 1.0 if promoters is None else answer_variance(promoters, detractors)
    return int(answers_needed(margin, v, confidence))


def nps_margin(n: int, promoters: float, detractors: float, confidence: float = 0.95) -> float:
    """Half-width in NPS points of the Wald interval from ``n`` answers: 100 · z · √(v / n).

    The inverse of :func:`nps_sample_size`; ``promoters``/``detractors`` are shares 0–1 and
    v = p_P + p_D − (p_P − p_D)².
    """
    if not n > 0:
        raise ValueError(f"n must be > 0 answers; got {n}")
    return float(100 * confidence_z(confidence) * np.sqrt(answer_variance(promoters, detractors) / n))
