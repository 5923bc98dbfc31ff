"""Honest statistics for step 03 Insight: coverage, sample sizes, corrected comparisons.

Built on :mod:`cxlib.analysis.metrics` (pure functions, no I/O). NPS is in points (−100…100), shares
are 0–1, CES is a mean score 1–7. A difference is only called a difference when its p-value,
adjusted for the number of tests made (:func:`cxlib.stats.multitest.holm` or
:func:`~cxlib.stats.multitest.benjamini_hochberg`), is below ``alpha``; groups with fewer than
``min_n`` NPS answers are reported as "too few" and are not counted as tests. Invalid input raises
:class:`ValueError` naming the problem.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from ..stats.checks import confidence_z
from ..stats.multitest import ALPHA, reject
from ..stats.nps import MIN_N, answer_variance, answers_needed, coded, nps, nps_difference, nps_scores
from .metrics import kpi_table

MISSING = "(missing)"
SCORES = ("nps", "csat", "ces")
#: Widest NPS margin (half the 95 % interval, in points) that :func:`coverage` calls measured well enough.
COVERAGE_MARGIN = 10.0
#: Verdicts of a significant difference from the rest (:func:`compare_to_rest`).
DIRECTIONS = ("higher", "lower")
#: Every verdict of :func:`compare_to_rest`.
VERDICTS = (*DIRECTIONS, "not significant", "too few")
#: Every verdict of :func:`monthly_change` but the first month's empty one.
CHANGES = ("up", "down", "no significant change", "too few")


# --- coverage ---------------------------------------------------------------------------


def _labels(frame: pd.DataFrame, by: str, table: str = "feedback") -> pd.Series:
    if by not in frame.columns:
        raise ValueError(f"{table} has no column '{by}' to group by")
    return frame[by].astype(object).where(frame[by].notna(), MISSING)


def _nps_scores(feedback: pd.DataFrame) -> np.ndarray:
    """The validated 0–10 answers as floats, NaN where missing."""
    if "nps" not in feedback.columns:
        raise ValueError("feedback has no column 'nps'")
    return nps_scores(feedback["nps"])


def coverage(
    feedback: pd.DataFrame,
    contacts: pd.DataFrame | None = None,
    by: str = "channel",
    *,
    margin: float = COVERAGE_MARGIN,
    min_n: int = MIN_N,
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
        (:func:`cxlib.stats.nps.nps_sample_size` at the group's observed shares, worst case without NPS
        answers) and ``missing`` = max(0, needed − nps_n), both counts of NPS answers.
    """
    if not margin > 0:
        raise ValueError(f"margin must be > 0 NPS points; got {margin}")
    groups = _labels(feedback, by)
    scored = feedback[[c for c in SCORES if c in feedback.columns]].notna().any(axis=1)
    answers = coded(_nps_scores(feedback)) if "nps" in feedback.columns else np.full(len(feedback), np.nan)
    per = pd.DataFrame(
        {"responses": scored, "nps_n": ~np.isnan(answers), "p": answers == 1, "d": answers == -1}, index=feedback.index
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
    out["needed"] = answers_needed(margin, answer_variance(*shares), confidence)
    out["missing"] = np.maximum(out["needed"] - n, 0)
    return out.sort_values("responses", ascending=False, kind="stable").reset_index(drop=True)


# --- corrected comparisons --------------------------------------------------------------


def _judge(p: pd.Series, tested: pd.Series, correction: str, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """P adjusted over the tests made (``tested``), and which of them are significant."""
    return reject(np.where(tested.to_numpy(bool), p.to_numpy(float), np.nan), correction, alpha)


def compare_to_rest(
    feedback: pd.DataFrame,
    by: str,
    *,
    correction: Literal["holm", "bh"] = "holm",
    alpha: float = ALPHA,
    min_n: int = MIN_N,
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
    alpha: float = ALPHA,
    min_n: int = MIN_N,
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
    z = confidence_z(confidence)
    t, y = _months(feedback), 100 * coded(_nps_scores(feedback))
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
