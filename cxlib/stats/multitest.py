"""Multiple-testing corrections: Holm (family-wise error) and Benjamini–Hochberg (false discoveries).

References
----------
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
Journal of Statistics* 6(2), 65–70.
Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. *JRSS B* 57(1), 289–300.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from .checks import check_alpha

#: The significance level a difference must beat after correction, unless a caller says otherwise.
ALPHA = 0.05


def ranked(p) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P as a float array, the positions of its non-NaN values in ascending order, and an
    all-NaN output of the same shape.
    """
    p = np.atleast_1d(np.asarray(p, dtype=float))
    if p.ndim != 1:
        raise ValueError(f"p must be one-dimensional; got shape {p.shape}")
    if ((p < 0) | (p > 1)).any():
        raise ValueError(f"p-values must lie in 0–1; got {p[(p < 0) | (p > 1)][0]:g}")
    known = np.flatnonzero(~np.isnan(p))
    return p, known[np.argsort(p[known], kind="stable")], np.full(p.shape, np.nan)


def holm(p) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values, controlling the family-wise error rate.

    With the m non-NaN p-values sorted ascending, p_(1) ≤ … ≤ p_(m),

        p̃_(i) = min(1, max_{j ≤ i} (m − j + 1) · p_(j)).

    Parameters
    ----------
    p : array-like of float, shape (k,)
        Raw p-values in 0–1. NaN marks "no test": it stays NaN and is not counted in m.

    Returns
    -------
    numpy.ndarray of shape (k,)
        Adjusted p-values in the input order; reject at level α where p̃ < α.
    """
    p, order, out = ranked(p)
    m = len(order)
    out[order] = np.minimum(np.maximum.accumulate((m - np.arange(m)) * p[order]), 1)
    return out


def benjamini_hochberg(p) -> np.ndarray:
    """Benjamini–Hochberg (1995) step-up adjusted p-values, controlling the false discovery rate.

    With the m non-NaN p-values sorted ascending, p̃_(i) = min(1, min_{j ≥ i} m/j · p_(j))
    (the same as :func:`scipy.stats.false_discovery_control` with ``method="bh"``).

    Parameters
    ----------
    p : array-like of float, shape (k,)
        Raw p-values in 0–1. NaN stays NaN and is not counted in m.

    Returns
    -------
    numpy.ndarray of shape (k,)
        Adjusted p-values ("q-values") in the input order.
    """
    p, order, out = ranked(p)
    m = len(order)
    descending = p[order][::-1] * m / np.arange(m, 0, -1)
    out[order] = np.minimum(np.minimum.accumulate(descending)[::-1], 1)
    return out


CORRECTIONS = {"holm": holm, "bh": benjamini_hochberg}


def adjust(p, method: Literal["holm", "bh"] = "holm") -> np.ndarray:
    """Adjusted p-values by ``method``: ``"holm"`` (:func:`holm`) or ``"bh"`` (:func:`benjamini_hochberg`)."""
    if method not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}; got {method!r}")
    return CORRECTIONS[method](p)


def reject(p, method: Literal["holm", "bh"] = "holm", alpha: float = ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """Adjusted p-values and whether each is below ``alpha`` (NaN, "no test", is never rejected)."""
    check_alpha(alpha)
    adjusted = adjust(p, method)
    return adjusted, np.nan_to_num(adjusted, nan=1.0) < alpha
