"""Honest statistics for step 03 Insight: coverage, sample sizes, corrected comparisons.

Built on :mod:`cxlib.analysis.metrics` (pure functions, no I/O). NPS is in points (−100…100), shares
are 0–1, CES is a mean score 1–7. A difference is only called a difference when its p-value,
adjusted for the number of tests made (:func:`holm` or :func:`benjamini_hochberg`), is below
``alpha``; groups with fewer than ``min_n`` NPS answers are reported as "too few" and are not
counted as tests. Invalid input raises :class:`ValueError` naming the problem.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from .metrics import _scores, _z, kpi_table, nps, nps_difference

MISSING = "(missing)"
SCORES = ("nps", "csat", "ces")


# --- multiple-testing corrections -------------------------------------------------------


def _ranked(p) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p as a float array, the positions of its non-NaN values in ascending order, and an
    all-NaN output of the same shape."""
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
    p, order, out = _ranked(p)
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
    p, order, out = _ranked(p)
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


# --- sample size ------------------------------------------------------------------------


def _variance(promoters, detractors):
    """Variance of one answer coded +1/0/−1: v = p_P + p_D − (p_P − p_D)² (shares or arrays of shares)."""
    p, d = np.asarray(promoters, dtype=float), np.asarray(detractors, dtype=float)
    if not np.all((p >= 0) & (d >= 0) & (p + d <= 1)):
        raise ValueError(
            f"promoters and detractors must be shares in 0–1 summing to at most 1; got {promoters}, {detractors}"
        )
    return p + d - (p - d) ** 2


def _needed(margin, variance, z: float) -> np.ndarray:
    # the tiny tolerance keeps float noise from rounding an exact whole number up
    return np.ceil(z**2 * np.asarray(variance) / (margin / 100) ** 2 - 1e-9).astype(np.int64)


def nps_sample_size(
    margin: float, *, promoters: float | None = None, detractors: float | None = None, confidence: float = 0.95
) -> int:
    """NPS answers needed so that the interval's half-width is at most ``margin`` points.

    n = ⌈z² · v / (margin/100)²⌉ with v = p_P + p_D − (p_P − p_D)², the variance of one answer
    coded +1 (promoter), 0 (passive), −1 (detractor), and z the normal quantile of ``confidence``.
    This is the Wald half-width; the adjusted-Wald interval of :func:`cxlib.analysis.metrics.nps` is
    almost the same once n is in the hundreds.

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
    v = 1.0 if promoters is None else _variance(promoters, detractors)
    return int(_needed(margin, v, _z(confidence)))


def nps_margin(n: int, promoters: float, detractors: float, confidence: float = 0.95) -> float:
    """Half-width in NPS points of the Wald interval from ``n`` answers: 100 · z · √(v / n).

    The inverse of :func:`nps_sample_size`; ``promoters``/``detractors`` are shares 0–1 and
    v = p_P + p_D − (p_P − p_D)².
    """
    if not n > 0:
        raise ValueError(f"n must be > 0 answers; got {n}")
    return float(100 * _z(confidence) * np.sqrt(_variance(promoters, detractors) / n))


# --- coverage ---------------------------------------------------------------------------


def _labels(frame: pd.DataFrame, by: str, table: str = "feedback") -> pd.Series:
    if by not in frame.columns:
        raise ValueError(f"{table} has no column '{by}' to group by")
    return frame[by].astype(object).where(frame[by].notna(), MISSING)


def _nps_scores(feedback: pd.DataFrame) -> np.ndarray:
    """The validated 0–10 answers as floats, NaN where missing."""
    if "nps" not in feedback.columns:
        raise ValueError("feedback has no column 'nps'")
    return _scores(feedback["nps"], "nps", 0, 10)


def _coded(x: np.ndarray) -> np.ndarray:
    """Each answer as +1 (promoter, 9–10), 0 (passive), −1 (detractor, 0–6); NaN if missing."""
    return np.where(np.isnan(x), np.nan, (x >= 9).astype(float) - (x <= 6))


def coverage(
    feedback: pd.DataFrame,
    contacts: pd.DataFrame | None = None,
    by: str = "channel",
    *,
    margin: float = 10.0,
    min_n: int = 30,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """How well each group of ``by`` is measured, and how many answers are missing.

    Parameters
    ----------
    feedback : DataFrame
        Feedback rows (columns of ``docs/input-contract.md``); ``by`` must be one of them.
    contacts : DataFrame, optional
        Contacts; gives ``contacts`` when it has the column ``by`` and ``response_rate`` when
        both tables have contact_id.
    by : str, default "channel"
        Grouping column (e.g. channel, touchpoint, segment); missing values form "(missing)".
    margin : float, default 10
        Wanted NPS half-width in points.
    min_n : int, default 30
        Fewest NPS answers for a group to be read on its own.
    confidence : float, default 0.95
        Confidence level of all intervals and of ``needed``.

    Returns
    -------
    DataFrame
        One row per group (of feedback or contacts), sorted by responses descending:
        ``by``; ``responses`` (rows with any of nps/csat/ces); ``contacts`` (NaN when unknown);
        ``response_rate`` = distinct contact_ids of the group's responses found in contacts ÷
        contacts of the group (0–1, NaN when unknown); ``nps``/``nps_low``/``nps_high`` (points,
        adjusted-Wald), ``nps_width`` (high − low, points), ``nps_n`` (NPS answers);
        ``csat``/``csat_low``/``csat_high`` (share 0–1 of 4–5); ``ces``/``ces_low``/``ces_high``
        (mean 1–7), all from :func:`cxlib.analysis.metrics.kpi_table` and NaN when the score column is
        missing; ``too_small`` (nps_n < min_n or half-width > margin); ``needed``
        (:func:`nps_sample_size` at the group's observed shares, worst case without NPS
        answers) and ``missing`` = max(0, needed − nps_n), both counts of NPS answers.
    """
    if not margin > 0:
        raise ValueError(f"margin must be > 0 NPS points; got {margin}")
    groups = _labels(feedback, by)
    scored = feedback[[c for c in SCORES if c in feedback.columns]].notna().any(axis=1)
    coded = _coded(_nps_scores(feedback)) if "nps" in feedback.columns else np.full(len(feedback), np.nan)
    per = pd.DataFrame(
        {"responses": scored, "nps_n": ~np.isnan(coded), "p": coded == 1, "d": coded == -1}, index=feedback.index
    ).groupby(groups).sum()
    count = rate = pd.Series(np.nan, index=per.index)
    if contacts is not None and by in contacts.columns:
        count = _labels(contacts, by, "contacts").value_counts()
        per = per.reindex(per.index.union(count.index), fill_value=0)
        count = count.reindex(per.index, fill_value=0).astype(float)
        rate = pd.Series(np.nan, index=per.index)
        if "contact_id" in feedback.columns and "contact_id" in contacts.columns:
            found = scored & feedback["contact_id"].isin(contacts["contact_id"])
            linked = feedback["contact_id"][found].groupby(groups[found]).nunique()
            rate = linked.reindex(per.index, fill_value=0) / count.where(count > 0)
    kpis = kpi_table({"feedback": feedback.assign(**{by: groups})}, list(SCORES), by=by, confidence=confidence)
    out = pd.DataFrame({by: per.index, "responses": per["responses"], "contacts": count, "response_rate": rate})
    for kpi in SCORES:
        values = kpis[kpis["kpi"] == kpi].set_index(by).reindex(per.index)
        out[[kpi, f"{kpi}_low", f"{kpi}_high"]] = values[["value", "low", "high"]].to_numpy(dtype=float)
    n = per["nps_n"].to_numpy()
    unknown = n == 0  # no NPS answers: plan for the worst case, p_P = p_D = ½ (v = 1)
    shares = [np.where(unknown, 0.5, per[c] / np.where(unknown, 1, n)) for c in ("p", "d")]
    out.insert(7, "nps_width", out["nps_high"] - out["nps_low"])
    out.insert(8, "nps_n", n)
    out["too_small"] = (n < min_n) | ~(out["nps_width"] / 2 <= margin)
    out["needed"] = _needed(margin, _variance(*shares), _z(confidence))
    out["missing"] = np.maximum(out["needed"] - n, 0)
    return out.sort_values("responses", ascending=False, kind="stable").reset_index(drop=True)


# --- corrected comparisons --------------------------------------------------------------


def _judge(p: pd.Series, tested: pd.Series, correction: str, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """p adjusted over the tests made (``tested``), and which of them are significant."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1; got {alpha}")
    adjusted = adjust(np.where(tested.to_numpy(bool), p.to_numpy(float), np.nan), correction)
    return adjusted, np.nan_to_num(adjusted, nan=1.0) < alpha


def compare_to_rest(
    feedback: pd.DataFrame,
    by: str,
    *,
    correction: Literal["holm", "bh"] = "holm",
    alpha: float = 0.05,
    min_n: int = 30,
) -> pd.DataFrame:
    """NPS of each group of ``by`` against all other responses, corrected for the number of groups.

    Each group is tested with :func:`cxlib.analysis.metrics.nps_difference` (group − rest, two-sided
    z-test on the Wald standard error 100·√(v_g/n_g + v_r/n_r)). Groups where the group or the
    rest has fewer than ``min_n`` NPS answers are "too few" and not counted among the tests.

    Returns
    -------
    DataFrame
        Columns ``by``, ``n`` (NPS answers of the group), ``nps``, ``rest_nps``, ``diff``,
        ``low``, ``high`` (unadjusted 95 % interval of diff; all in points), ``p``,
        ``p_adjusted`` (by ``correction``, NaN for "too few"), ``significant``
        (p_adjusted < alpha) and ``verdict`` ("higher", "lower", "not significant",
        "too few"); sorted by diff descending.
    """
    groups, scores = _labels(feedback, by).to_numpy(), _nps_scores(feedback)
    rows = []
    for group in pd.unique(groups):
        inside = groups == group
        d = nps_difference(scores[inside], scores[~inside])
        rows.append([group, d.n_a, nps(scores[inside]).value, nps(scores[~inside]).value, d.diff, d.low, d.high,
                     d.p_value, min(d.n_a, d.n_b) >= min_n])
    out = pd.DataFrame(rows, columns=[by, "n", "nps", "rest_nps", "diff", "low", "high", "p", "tested"])
    out = out.astype({"n": np.int64, "tested": bool})
    out["p_adjusted"], out["significant"] = _judge(out["p"], out["tested"], correction, alpha)
    out["verdict"] = np.select(
        [~out["tested"], ~out["significant"], out["diff"] > 0], ["too few", "not significant", "higher"], "lower"
    )
    return out.drop(columns="tested").sort_values("diff", ascending=False, kind="stable").reset_index(drop=True)


def _months(feedback: pd.DataFrame) -> np.ndarray:
    """Calendar month of each response as year·12 + month − 1 (NaN without a date)."""
    if "date" not in feedback.columns:
        raise ValueError("feedback has no column 'date'")
    dates = pd.to_datetime(feedback["date"])
    return (dates.dt.year * 12 + dates.dt.month - 1).to_numpy(dtype=float, na_value=np.nan)


def monthly_change(
    feedback: pd.DataFrame,
    *,
    correction: Literal["holm", "bh"] = "holm",
    alpha: float = 0.05,
    min_n: int = 30,
) -> pd.DataFrame:
    """NPS by calendar month, and whether it changed significantly from the month before.

    Every month from the first to the last date is a row (a month without answers has n = 0).
    ``change`` = NPS(month) − NPS(previous month) in points, tested with
    :func:`cxlib.analysis.metrics.nps_difference`; the p-values of all month-to-month tests where both
    months have at least ``min_n`` NPS answers are adjusted together by ``correction``.

    Returns
    -------
    DataFrame
        Columns ``month`` ("YYYY-MM"), ``n``, ``nps``, ``low``, ``high`` (adjusted-Wald, points),
        ``change``, ``p``, ``p_adjusted``, ``significant`` and ``verdict`` ("up", "down",
        "no significant change", "too few", or "" for the first month).
    """
    months, scores = _months(feedback), _nps_scores(feedback)
    span = np.arange(np.nanmin(months), np.nanmax(months) + 1) if np.isfinite(months).any() else []
    rows, previous, previous_n = [], None, 0
    for month in span:
        inside = months == month
        e = nps(scores[inside])
        change = p = np.nan
        if previous is not None:
            d = nps_difference(scores[inside], scores[previous])
            change, p = d.diff, d.p_value
        tested = previous is not None and min(e.n, previous_n) >= min_n
        rows.append([f"{int(month) // 12:04d}-{int(month) % 12 + 1:02d}", e.n, e.value, e.low, e.high, change, p,
                     tested, previous is None])
        previous, previous_n = inside, e.n
    out = pd.DataFrame(rows, columns=["month", "n", "nps", "low", "high", "change", "p", "tested", "first"])
    out = out.astype({"n": np.int64, "low": float, "high": float, "tested": bool, "first": bool})
    out["p_adjusted"], out["significant"] = _judge(out["p"], out["tested"], correction, alpha)
    out["verdict"] = np.select(
        [out["first"], ~out["tested"], ~out["significant"], out["change"] > 0],
        ["", "too few", "no significant change", "up"],
        "down",
    )
    return out.drop(columns=["tested", "first"])


def trend(feedback: pd.DataFrame, *, confidence: float = 0.95) -> dict:
    """Linear NPS trend in points per month, with a heteroskedasticity-robust interval.

    Each answer is coded y = 100 (promoter), 0 (passive), −100 (detractor) and regressed by
    ordinary least squares on t = calendar months since the first month:
    slope b = Σ(t − t̄)·y / Σ(t − t̄)². Its standard error is White's sandwich estimator with
    the HC1 small-sample factor (MacKinnon & White 1985),

        SE(b)² = n/(n − 2) · Σ(t − t̄)² e² / (Σ(t − t̄)²)²,   e = y − ȳ − b·(t − t̄),

    which stays valid although the variance of y differs between months. The interval is
    b ± z·SE and p is the two-sided normal p-value of b/SE (as statsmodels' ``cov_type="HC1"``).

    Returns
    -------
    dict
        ``slope``, ``low``, ``high`` (points per month), ``p``, ``n`` (NPS answers with a date)
        and ``months`` (calendar months spanned); slope etc. are NaN with fewer than 3 answers
        or a single month.
    """
    z = _z(confidence)
    t, y = _months(feedback), 100 * _coded(_nps_scores(feedback))
    known = ~np.isnan(t) & ~np.isnan(y)
    t, y = t[known], y[known]
    n, months = len(y), int(np.ptp(t)) + 1 if len(t) else 0
    if n < 3 or months < 2:
        return {"slope": np.nan, "low": np.nan, "high": np.nan, "p": np.nan, "n": n, "months": months}
    centred = t - t.mean()
    sxx = centred @ centred
    slope = centred @ y / sxx
    residual = y - y.mean() - slope * centred
    se = np.sqrt(n / (n - 2) * (centred**2 @ residual**2)) / sxx
    with np.errstate(divide="ignore", invalid="ignore"):  # a perfect fit has SE 0
        p = 2 * stats.norm.sf(abs(slope / se))
    return {"slope": float(slope), "low": float(slope - z * se), "high": float(slope + z * se), "p": float(p),
            "n": n, "months": months}
