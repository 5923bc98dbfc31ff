"""Vectorised helpers of the generator: categorical and truncated draws, and arrow string columns."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def readonly(a: np.ndarray) -> np.ndarray:
    """``a`` made read-only, so that a cached table cannot be changed by a caller.

    Parameters
    ----------
    a : numpy.ndarray
        Any array.

    Returns
    -------
    numpy.ndarray
        The same array, with ``writeable`` off.
    """
    a.flags.writeable = False
    return a


def num(x: np.ndarray, width: int) -> pa.Array:
    """Integers as zero-padded strings.

    Parameters
    ----------
    x : numpy.ndarray
        Non-negative integers.
    width : int
        Minimum number of digits.

    Returns
    -------
    pyarrow.Array
        Strings, left-padded with ``0`` to ``width``.
    """
    return pc.utf8_lpad(pc.cast(pa.array(x), pa.string()), width=width, padding="0")


def join(*parts) -> pa.Array:
    """Strings concatenated element-wise (a null part makes the row null).

    Parameters
    ----------
    *parts : pyarrow.Array or str
        Arrays of equal length, or scalars repeated on every row.

    Returns
    -------
    pyarrow.Array
        The concatenation per row.
    """
    return pc.binary_join_element_wise(*parts, "")


def ids(prefix: str, n: int, width: int = 6) -> pa.Array:
    """``prefix`` + running number 1..n, zero-padded to at least ``width`` digits.

    Parameters
    ----------
    prefix : str
        Text before the number, e.g. ``"K"``.
    n : int
        Number of ids.
    width : int, default 6
        Minimum number of digits (more when ``n`` needs them).

    Returns
    -------
    pyarrow.Array
        ``n`` unique strings in ascending order.
    """
    return join(prefix, num(np.arange(1, n + 1), max(width, len(str(n)))))


def take(labels, codes: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """Labels by integer code as an arrow string array (null where not ``present``).

    Parameters
    ----------
    labels : sequence of str
        The label of each code.
    codes : numpy.ndarray
        Integer codes, indices into ``labels``.
    present : numpy.ndarray of bool, optional
        Rows that have a value; the others are null.

    Returns
    -------
    pyarrow.Array
        One label per code.
    """
    return pa.array(list(labels), pa.string()).take(pa.array(codes, mask=None if present is None else ~present))


def choice(rng: np.random.Generator, p, n: int) -> np.ndarray:
    """N draws from a categorical distribution ``p`` (integer codes).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness (one uniform number per draw).
    p : sequence of float
        Weight of each category; need not sum to 1.
    n : int
        Number of draws.

    Returns
    -------
    numpy.ndarray
        ``n`` codes in ``0 .. len(p) - 1``.
    """
    cum = np.cumsum(p)
    return np.searchsorted(cum / cum[-1], rng.random(n), side="right")


def sample_bins(rng: np.random.Generator, w: np.ndarray, group: np.ndarray, lo=None,
                hi=None) -> tuple[np.ndarray, np.ndarray]:
    """Per row, a bin ∈ [lo, hi] of the weight row ``w[group]`` (truncated inverse CDF).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness (one uniform number per row).
    w : numpy.ndarray
        Non-negative weights, shape ``(groups, bins)``, e.g. days or hours.
    group : numpy.ndarray
        Row of ``w`` per draw (integers).
    lo, hi : numpy.ndarray, optional
        First and last allowed bin per draw, inclusive (default: all bins).

    Returns
    -------
    bins : numpy.ndarray
        The bin index per draw.
    ok : numpy.ndarray of bool
        Whether the window had any weight; rows where it had none must be dropped.
    """
    g, k = w.shape
    cdf = np.cumsum(w, axis=1)
    total = cdf[:, -1:]
    cdf = np.divide(cdf, total, out=np.zeros_like(cdf), where=total > 0)
    cdf0 = np.hstack([np.zeros((g, 1)), cdf])
    lo = np.zeros(len(group), np.int64) if lo is None else lo
    hi = np.full(len(group), k - 1) if hi is None else hi
    lower, upper = cdf0[group, lo], cdf0[group, hi + 1]
    u = group + lower + rng.random(len(group)) * (upper - lower)
    idx = np.searchsorted((cdf + np.arange(g)[:, None]).ravel(), u, side="right") - group * k
    return np.clip(idx, lo, hi), upper > lower


def weighted_sample(rng: np.random.Generator, weight: np.ndarray, k: int) -> np.ndarray:
    """K row indices drawn ∝ weight, without replacement while k ≤ rows (Efraimidis–Spirakis).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    weight : numpy.ndarray
        Positive weight per row.
    k : int
        Number of rows to draw; more than ``len(weight)`` draws with replacement.

    Returns
    -------
    numpy.ndarray
        ``k`` row indices (sorted when drawn without replacement).
    """
    if k > len(weight):
        return rng.choice(len(weight), k, p=weight / weight.sum())
    keys = np.log(rng.random(len(weight))) / weight
    return np.sort(np.argpartition(-keys, k - 1)[:k])
