"""Key drivers of NPS among comment themes: two transparent measures, side by side.

* **NPS gain** (:func:`nps_gain`): the NPS points (−100…100 scale) won if the detractors who
  mention a theme had been passives instead, 100·d_t/n. Easy to explain and in points, but it
  ignores that themes co-occur: a detractor naming three themes counts in all three gains, so
  gains do not add up to what fixing several themes together would win.
* **Relative weight** (:func:`relative_weights`, Johnson 2000): each theme's share of the
  variance of the 0–10 score that all themes explain together (R²), splitting the variance of
  correlated themes fairly. It handles co-occurrence but is a share of explained variance, not
  points, and ignores how many customers a theme touches.

:func:`key_drivers` shows both (plus OLS coefficients), so themes that rank differently stand
out. Intervals are bootstrap percentile intervals over responses (see :func:`nps_gain`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats.checks import scores
from ..stats.nps import is_detractor

_CHUNK = 2**21  # entries of one block of bootstrap cell counts (16 MB as float64)
_RANK_TOL = 1e-10  # eigenvalues of a correlation matrix below this are exact collinearity
_MAX_THEMES = 59  # the score (4 bits) and one bit per theme are packed into one int64


# --- input checks -------------------------------------------------------------------------


def _cells(nps, mentions: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (score, theme mentions) combinations as rows [1, x_1…x_k, score, detractor]
    (floats) and the number of responses in each.
    """
    y = scores(nps, "nps", 0, 10, allow_missing=False)
    if not isinstance(mentions, pd.DataFrame):
        raise ValueError(f"mentions must be a pandas DataFrame, one column per theme; got {type(mentions).__name__}")
    k = mentions.shape[1]
    if not 1 <= k <= _MAX_THEMES:
        raise ValueError(f"mentions must have 1–{_MAX_THEMES} theme columns; got {k}")
    if len(mentions) != len(y):
        raise ValueError(f"nps has {len(y)} responses but mentions has {len(mentions)} rows; they must match")
    if len(y) == 0:
        raise ValueError("no responses")
    code = y.astype(np.int64)
    for theme, column in mentions.items():
        if not column.isin([True, False]).all():
            raise ValueError(f"mentions column {theme!r} must hold only True/False, none missing")
        code = (code << 1) | column.to_numpy(dtype=bool)
    packed, counts = np.unique(code, return_counts=True)
    score = packed >> k
    bits = (packed[:, None] >> np.arange(k - 1, -1, -1)) & 1
    return np.column_stack([np.ones(len(packed)), bits, score, is_detractor(score)]).astype(float), counts


# --- statistics on stacks of moment / correlation matrices ----------------------------------


def _moments(cells: np.ndarray, counts: np.ndarray, n_boot: int, seed) -> tuple[np.ndarray, np.ndarray]:
    """Cross-products Aᵀ·diag(w)·A of the cell rows A: w = counts for the data (p × p), and
    w ~ Multinomial(n, counts/n) for each of n_boot resamples (n_boot × p × p).
    """
    n, (m, p) = int(counts.sum()), cells.shape
    rng = np.random.default_rng(seed)
    boot, shares, step = np.empty((n_boot, p, p)), counts / n, max(1, _CHUNK // m)
    for start in range(0, n_boot, step):
        w = rng.multinomial(n, shares, size=min(step, n_boot - start)).astype(float)
        for i in range(p):
            boot[start : start + len(w), i] = w @ (cells * cells[:, i : i + 1])
    return cells.T @ (cells * counts[:, None]), boot


def _covariance(moments: np.ndarray) -> np.ndarray:
    """Covariances (divisor n) of columns 1… from raw moments whose column 0 is the constant 1."""
    n = moments[..., :1, :1]
    mean = moments[..., :1, 1:] / n
    return moments[..., 1:, 1:] / n - np.swapaxes(mean, -1, -2) * mean


def _correlation(cov: np.ndarray) -> np.ndarray:
    """Correlations; a constant variable has correlation 0 with the others (1 with itself)."""
    sd = np.sqrt(np.clip(np.diagonal(cov, axis1=-2, axis2=-1), 0, None))
    scale = sd[..., :, None] * sd[..., None, :]
    corr = np.divide(cov, scale, out=np.zeros_like(cov), where=scale > 0)
    diagonal = np.arange(cov.shape[-1])
    corr[..., diagonal, diagonal] = 1.0
    return corr


def _johnson(corr: np.ndarray) -> np.ndarray:
    """Relative weights (..., k) from correlation matrices (..., k+1, k+1) of [x_1…x_k, y]."""
    rxx, rxy = corr[..., :-1, :-1], corr[..., :-1, -1:]
    lam, vec = np.linalg.eigh(rxx)
    root = np.sqrt(np.clip(lam, 0, None))
    vec_t = np.swapaxes(vec, -1, -2)
    z = (vec * root[..., None, :]) @ vec_t  # R_xx^½
    inverse = np.divide(1.0, root, out=np.zeros_like(root), where=lam > _RANK_TOL)
    beta = (vec * inverse[..., None, :]) @ (vec_t @ rxy)  # (R_xx^½)⁺ r_xy
    return (z**2 @ beta**2)[..., 0]


def _gain(moments: np.ndarray) -> np.ndarray:
    k = moments.shape[-1] - 3
    return 100 * moments[..., 1 : k + 1, k + 2] / moments[..., :1, 0]


def _interval(boot: np.ndarray, confidence: float) -> np.ndarray:
    alpha = 1 - confidence
    return np.quantile(boot, [alpha / 2, 1 - alpha / 2], axis=0)


def _gain_table(nps, mentions, n_boot, confidence, seed) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Unsorted gain table plus the moment matrices of the data and of the resamples."""
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ValueError(f"n_boot must be a whole number ≥ 1; got {n_boot!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1; got {confidence}")
    cells, counts = _cells(nps, mentions)
    point, boot = _moments(cells, counts, n_boot, seed)
    k = mentions.shape[1]
    low, high = _interval(_gain(boot), confidence)
    table = pd.DataFrame(
        {
            "mentions": point[0, 1 : k + 1].astype(np.int64),
            "detractor_mentions": point[1 : k + 1, k + 2].astype(np.int64),
            "gain": _gain(point),
            "gain_low": low,
            "gain_high": high,
        },
        index=pd.Index(mentions.columns, name="theme"),
    )
    return table, point, boot


# --- public API ------------------------------------------------------------------------------


def nps_gain(
    nps,
    mentions: pd.DataFrame,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """NPS points won per theme if its detractors had been passives: gain = 100·d_t/n.

    d_t counts detractors (0–6) whose comment mentions theme t, n all responses. Moving them
    to passives (7–8) lowers the detractor share by d_t/n and so raises NPS by 100·d_t/n.

    The interval is the percentile interval of the ordinary (Efron) bootstrap: n responses
    drawn with replacement, n_boot times, the same resamples for all themes. It is drawn
    exactly and in little memory as multinomial counts of the distinct (score, mentions)
    combinations (at most 11·2^k), in blocks of ≤ 2²¹ counts.

    Parameters
    ----------
    nps : array-like of shape (n,)
        Whole-number 0–10 likelihood-to-recommend scores, one per response, none missing.
    mentions : pandas.DataFrame of shape (n, k)
        One boolean (or 0/1) column per theme (1 ≤ k ≤ 59), in response order: True when
        the response's comment mentions the theme negatively.
    n_boot : int, default=1000
        Number of bootstrap resamples.
    confidence : float, default=0.95
        Coverage of the two-sided interval, strictly between 0 and 1.
    seed : int, numpy.random.Generator or None, default=0
        Seed of the resampling; the same seed gives the same intervals.

    Returns
    -------
    pandas.DataFrame
        Indexed by theme, sorted by ``gain`` descending (ties keep column order): ``mentions``
        and ``detractor_mentions`` (counts), ``gain``, ``gain_low``, ``gain_high`` (NPS points).

    Raises
    ------
    ValueError
        On scores off 0–10 or missing, non-boolean mentions, or lengths that differ.
    """
    table, _, _ = _gain_table(nps, mentions, n_boot, confidence, seed)
    return table.sort_values("gain", ascending=False, kind="stable")


def relative_weights(X, y) -> np.ndarray:
    """Johnson's (2000) relative weights: R² of y on the columns of X split into shares ≥ 0.

    With R_xx = P Λ Pᵀ the predictors' correlation matrix and r_xy their correlations with y,
    Z = P Λ^½ Pᵀ, β* = Z⁻¹ r_xy (y regressed on the orthogonal counterparts of X) and
    ε_j = Σ_k Z_jk² β*_k². Because Σ_j Z_jk² = 1, the weights sum to Σ_k β*_k² = r_xyᵀ R_xx⁻¹ r_xy
    = R² of the OLS regression with intercept. Exactly collinear predictors (eigenvalues
    < 1e-10) are handled with the pseudo-inverse; a constant column gets weight 0.

    Parameters
    ----------
    X : array-like of shape (n, k)
        Numeric predictors, finite.
    y : array-like of shape (n,)
        Numeric target, finite.

    Returns
    -------
    numpy.ndarray of shape (k,)
        ε_j, in units of R² (share of the variance of y, 0–1); divide by their sum for shares of R².

    References
    ----------
    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
    variables in multiple regression. Multivariate Behavioral Research, 35(1), 1–19.
    """
    x, target = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if x.ndim != 2 or target.shape != (len(x),) or len(x) == 0:
        raise ValueError(f"X must be 2-D (n, k) and y 1-D of the same length n ≥ 1; got {x.shape} and {target.shape}")
    if not (np.isfinite(x).all() and np.isfinite(target).all()):
        raise ValueError("X and y must be finite numbers (no NaN or infinity)")
    data = np.column_stack([x, target])
    centred = np.where(np.ptp(data, axis=0) > 0, data - data.mean(axis=0), 0.0)
    return _johnson(_correlation(centred.T @ centred))


def key_drivers(
    nps,
    mentions: pd.DataFrame,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """NPS gain and relative importance of each theme side by side.

    Regresses the 0–10 score on the themes' mention indicators (0/1) with an intercept. Besides
    the columns of :func:`nps_gain` (same bootstrap resamples, so the same intervals for the
    same seed) the table holds

    * ``importance``: the theme's relative weight as a share of R², ε_t / R² (0–1, summing to 1
      over themes when R² > 0, NaN when R² = 0), see :func:`relative_weights`;
    * ``importance_low``, ``importance_high``: its bootstrap percentile interval (NaN if R² is 0
      in some resample);
    * ``r2``: R² of the regression (0–1), the same in every row;
    * ``coef``: the theme's OLS coefficient, in points of the 0–10 scale (mean score difference
      with versus without the mention, other themes held fixed); NaN for a theme mentioned by
      all or none; minimum-norm solution if themes are exactly collinear.

    Parameters
    ----------
    nps, mentions, n_boot, confidence, seed
        As in :func:`nps_gain`; so are the errors raised.

    Returns
    -------
    pandas.DataFrame
        Indexed by theme, sorted by ``gain`` descending; columns ``mentions``,
        ``detractor_mentions``, ``gain``, ``gain_low``, ``gain_high``, ``importance``,
        ``importance_low``, ``importance_high``, ``r2``, ``coef``.
    """
    table, point, boot = _gain_table(nps, mentions, n_boot, confidence, seed)
    cov = _covariance(point)[:-1, :-1]  # [x_1…x_k, score]; the detractor column is dropped
    weights, boot_weights = _johnson(_correlation(cov)), _johnson(_correlation(_covariance(boot)[:, :-1, :-1]))
    r2 = weights.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        table["importance"] = weights / r2
        table["importance_low"], table["importance_high"] = _interval(
            boot_weights / boot_weights.sum(axis=1, keepdims=True), confidence
        )
    table["r2"] = r2
    coef = np.linalg.lstsq(cov[:-1, :-1], cov[:-1, -1], rcond=None)[0]
    table["coef"] = np.where(np.diagonal(cov)[:-1] > 0, coef, np.nan)
    return table.sort_values("gain", ascending=False, kind="stable")
