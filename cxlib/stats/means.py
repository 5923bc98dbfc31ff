"""Two means compared: Welch's t-test and its interval of the difference.

References
----------
Welch, B. L. (1947). The generalization of "Student's" problem when several different population
variances are involved. *Biometrika* 34(1–2), 28–35.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats

from .checks import confidence_z


class MeanDifference(NamedTuple):
    """Mean(a) − mean(b) with its interval, Welch's t and the two-sided p-value (NaN with fewer
    than two values on a side).
    """

    diff: float
    low: float
    high: float
    t: float
    p_value: float
    n_a: int
    n_b: int


def mean_difference(a, b, confidence: float = 0.95) -> MeanDifference:
    """Compare the means of two independent samples (missing values left out).

    SE = √(s²_a/n_a + s²_b/n_b); the degrees of freedom are Welch–Satterthwaite's,
    ν = SE⁴ / ((s²_a/n_a)²/(n_a − 1) + (s²_b/n_b)²/(n_b − 1)); the interval is diff ± t(ν)·SE.
    """
    confidence_z(confidence)  # validates the level
    a, b = (np.asarray(x, dtype=float) for x in (a, b))
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) < 2 or len(b) < 2:
        nan = float("nan")
        return MeanDifference(nan, nan, nan, nan, nan, len(a), len(b))
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    diff, se = float(a.mean() - b.mean()), float(np.sqrt(va + vb))
    if se == 0:
        return MeanDifference(diff, diff, diff, float("nan"), float("nan"), len(a), len(b))
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stats.t.ppf(0.5 + confidence / 2, dof)) * se
    t_value = diff / se
    return MeanDifference(diff, diff - half, diff + half, t_value, float(2 * stats.t.sf(abs(t_value), dof)),
                          len(a), len(b))
