"""Interval estimates for many groups at once: Wilson, Student t and order statistics.

Every function works on arrays with one entry per group and returns
:class:`GroupEstimates` (value, low, high, n; a NaN bound means "not defined"), so that a
table of many small groups costs one vectorised pass.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*JASA* 22(158), 209–212.
Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika* 28(3/4), 437–442.
Hahn, G. J. & Meeker, W. Q. (1991). *Statistical Intervals*, §5.2 (distribution-free intervals
for quantiles from order statistics). Wiley.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from .checks import confidence_z


@dataclass(frozen=True)
class Estimate:
    """A value with its interval.

    ``value`` is in the quantity's unit; ``low``/``high`` bound the two-sided interval at the
    requested confidence, ``None`` where it is not defined (e.g. a mean of one answer);
    ``n`` counts the observations used. No observations gives ``Estimate(nan, None, None, 0)``.
    """

    value: float
    low: float | None
    high: float | None
    n: int


class GroupEstimates(NamedTuple):
    """value, low, high and n of every group (arrays; a NaN bound is not defined)."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: np.ndarray

    def first(self) -> Estimate:
        """The first group as an :class:`Estimate` (NaN bounds become ``None``)."""
        value, low, high, n = (float(c[0]) for c in self)
        return Estimate(value, None if math.isnan(low) else low, None if math.isnan(high) else high, int(n))


@dataclass(frozen=True)
class Groups:
    """Rows numbered by group: ``codes[i]`` is the group of row i, ``keys`` one row per group."""

    codes: np.ndarray
    keys: pd.DataFrame

    @classmethod
    def single(cls, rows: int) -> Groups:
        """All ``rows`` rows in one group."""
        return cls(np.zeros(rows, dtype=np.intp), pd.DataFrame(index=range(1)))

    def count(self, mask: np.ndarray) -> np.ndarray:
        """Rows per group where ``mask`` holds (floats)."""
        return np.bincount(self.codes[mask], minlength=len(self.keys)).astype(float)

    def total(self, values: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Sum of ``values`` per group over the rows where ``mask`` holds."""
        return np.bincount(self.codes[mask], weights=values[mask], minlength=len(self.keys))


def wilson(k: np.ndarray, n: np.ndarray, confidence: float = 0.95) -> GroupEstimates:
    """Share k/n (0–1) with the Wilson (1927) score interval.

    centre = (k + z²/2) / (n + z²), half-width = z / (n + z²) · √(k(n − k)/n + z²/4).
    """
    z2 = confidence_z(confidence) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = (k + z2 / 2) / (n + z2)
        half = math.sqrt(z2) / (n + z2) * np.sqrt(k * (n - k) / n + z2 / 4)
        share = k / n
    return GroupEstimates(share, np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1), n)


def garwood(k: np.ndarray, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood 1936) interval of a Poisson mean from the count ``k``: ``(low, high)``.

    low = χ²(α/2; 2k)/2 (0 when k = 0), high = χ²(1 − α/2; 2k + 2)/2. Divided by an exposure
    (customers × years, seconds waited) it bounds a rate.
    """
    alpha = 1 - confidence
    confidence_z(confidence)
    k = np.asarray(k, dtype=float)
    with np.errstate(invalid="ignore"):
        low = np.where(k > 0, stats.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
    return low, stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2


def mean_t(x: np.ndarray, groups: Groups, confidence: float = 0.95) -> GroupEstimates:
    """Mean per group with Student's t interval (undefined below two observations); NaN is skipped."""
    confidence_z(confidence)
    known = ~np.isnan(x)
    n = groups.count(known)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = groups.total(x, known) / n
        squares = groups.total((x - mean[groups.codes]) ** 2, known)
        half = stats.t.ppf(0.5 + confidence / 2, n - 1) * np.sqrt(squares / (n - 1) / n)
    return GroupEstimates(mean, mean - half, mean + half, n)


@dataclass(frozen=True)
class GroupSorted:
    """Known values sorted within groups: group g holds ``values[first[g]:first[g] + n[g]]``;
    the last slot of ``values`` is NaN and stands for an undefined order statistic.
    """

    values: np.ndarray
    n: np.ndarray
    first: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, groups: Groups) -> GroupSorted:
        """The known values of ``x`` sorted within ``groups``."""
        known = ~np.isnan(x)
        codes, values = groups.codes[known], x[known]
        order = np.argsort(values)  # then a stable sort by group (radix sort for small codes)
        small = np.uint16 if len(groups.keys) < 2**16 else np.intp
        order = order[np.argsort(codes[order].astype(small), kind="stable")]
        n = np.bincount(codes, minlength=len(groups.keys))
        return cls(np.append(values[order], np.nan), n, np.cumsum(n) - n)

    def at(self, rank: np.ndarray) -> np.ndarray:
        """The rank-th smallest value per group (1-based); NaN where rank is outside 1…n."""
        ok = (rank >= 1) & (rank <= self.n)
        return self.values[np.where(ok, self.first + rank - 1, len(self.values) - 1)]


def quantile(data: GroupSorted, q: float, confidence: float = 0.95) -> GroupEstimates:
    """Sample quantile ``q`` per group with a distribution-free interval.

    The value interpolates linearly (numpy's default). The interval is [x_(r), x_(s)] between
    order statistics, r and s the binomial(n, q) quantiles at α/2 and 1 − α/2 (+1), so its
    coverage is at least ``confidence`` (Hahn & Meeker 1991); a bound whose rank falls outside
    1…n is undefined.
    """
    confidence_z(confidence)
    if not 0 < q < 1:
        raise ValueError(f"q must lie strictly between 0 and 1; got {q}")
    n = data.n
    position = (n - 1) * q
    below = np.floor(position).astype(np.int64)
    lower, upper = data.at(below + 1), data.at(np.minimum(below + 2, n))
    value = lower + (position - below) * (upper - lower)
    alpha = 1 - confidence
    with np.errstate(invalid="ignore"):
        r = np.nan_to_num(stats.binom.ppf(alpha / 2, n, q)).astype(np.int64)
        s = np.nan_to_num(stats.binom.ppf(1 - alpha / 2, n, q)).astype(np.int64) + 1
    return GroupEstimates(value, data.at(r), data.at(s), n.astype(float))
