"""Two proportions compared: the pooled z-test and Newcombe's interval of the difference.

Every function works on arrays with one entry per comparison, like :mod:`cxlib.stats.intervals`.

References
----------
Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions:
comparison of eleven methods. *Statistics in Medicine* 17(8), 873–890 (method 10, the hybrid
score interval built from the two Wilson intervals).
Agresti, A. (2013). *Categorical Data Analysis*, 3rd ed., §3.1.4 (the pooled z-test of p₁ = p₂). Wiley.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats

from .intervals import wilson


class ProportionDifference(NamedTuple):
    """Difference p₁ − p₂ of two shares (0–1) per comparison (arrays).

    ``low``/``high`` bound the difference (Newcombe's method 10); ``z`` and ``p_value`` are
    the pooled two-sided z-test; NaN where a group has no observations.
    """

    diff: np.ndarray
    low: np.ndarray
    high: np.ndarray
    z: np.ndarray
    p_value: np.ndarray


def two_proportions(k1, n1, k2, n2, confidence: float = 0.95) -> ProportionDifference:
    """Compare shares k₁/n₁ and k₂/n₂: difference, its interval and the pooled z-test.

    Parameters
    ----------
    k1, n1, k2, n2 : array_like
        Successes and trials of the two groups (counts, 0 ≤ k ≤ n).
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    ProportionDifference
        d = p₁ − p₂; with (l₁, u₁), (l₂, u₂) the Wilson intervals of the two shares,
        low = d − √((p₁ − l₁)² + (u₂ − p₂)²) and high = d + √((u₁ − p₁)² + (p₂ − l₂)²)
        (Newcombe 1998, method 10). The test uses the pooled share p = (k₁ + k₂)/(n₁ + n₂):
        z = d / √(p(1 − p)(1/n₁ + 1/n₂)), p-value = 2·(1 − Φ(|z|)); z is NaN when p is 0 or 1
        (both groups alike, nothing to test) and the p-value is then 1.

    Raises
    ------
    ValueError
        A count is negative or a success count exceeds its trials.
    """
    k1, n1, k2, n2 = (np.asarray(x, dtype=float) for x in (k1, n1, k2, n2))
    if (k1 < 0).any() or (k2 < 0).any() or (k1 > n1).any() or (k2 > n2).any():
        raise ValueError("counts must satisfy 0 ≤ k ≤ n")
    p1, l1, u1, _ = wilson(k1, n1, confidence)
    p2, l2, u2, _ = wilson(k2, n2, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = p1 - p2
        low = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        high = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
        pooled = (k1 + k2) / (n1 + n2)
        z = diff / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = np.where(np.isfinite(z), z, np.nan)
    p_value = np.where(np.isnan(z) & ~np.isnan(diff), 1.0, 2 * stats.norm.sf(np.abs(z)))
    return ProportionDifference(diff, low, high, z, p_value)
