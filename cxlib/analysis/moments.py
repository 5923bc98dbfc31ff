"""Moments of truth: the touchpoints whose experience moves the overall relationship most.

Overall NPS is the response-weighted mean of the touchpoints' NPS, so a touchpoint's pull on
it is transparent arithmetic: if touchpoint *t* (share *s* of the responses) scored like
the rest of the responses do, overall NPS would change by

    impact = s · (NPS_rest − NPS_t)            (points; positive = the touchpoint drags)

which weighs how bad the experience is by how many customers go through it. Its interval is
the difference's 95 % interval times *s*. Where customers are known, the churn side is the
number of customers lost in excess because they had a bad moment there:

    excess churn = detractors_t · (churn rate of the touchpoint's detractors − churn rate of
                   its other answering customers)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats.nps import MIN_N, is_detractor, nps, nps_difference

COLUMNS = ["touchpoint", "stage", "responses", "share", "nps", "nps_rest", "impact", "impact_low",
           "impact_high", "p", "detractors", "churn_detractors", "churn_others", "excess_churn"]


def moments_of_truth(feedback: pd.DataFrame, customers: pd.DataFrame | None = None,
                     stages: dict[str, str] | None = None, *, min_n: int = MIN_N) -> pd.DataFrame:
    """Touchpoints ranked by their impact on overall NPS (points), largest drag first.

    Parameters
    ----------
    feedback : responses with columns touchpoint and nps (0–10); customer_id and date are
        used for the churn side
    customers : customers with customer_id and churned_at; ``None`` leaves churn columns NaN
    stages : touchpoint → journey stage name, for display
    min_n : touchpoints with fewer NPS answers are left out (their NPS is too uncertain)

    Returns
    -------
    DataFrame with :data:`COLUMNS`: responses and share (0–1) of NPS answers, nps and
    nps_rest (points), impact with 95 % interval (points of overall NPS), two-sided p of
    the touchpoint-vs-rest test, detractors, churn rates (0–1) of the touchpoint's
    detractors and other answering customers, excess churn (customers).
    """
    for column in ("touchpoint", "nps"):
        if column not in feedback:
            raise ValueError(f"feedback has no column '{column}'")
    answered = feedback[feedback["nps"].notna() & feedback["touchpoint"].notna()]
    total = len(answered)
    churned = _churned_after(answered, customers)
    rows = []
    for touchpoint, group in answered.groupby("touchpoint", sort=True):
        if len(group) < min_n or len(group) == total:
            continue
        rest = answered["nps"][answered["touchpoint"] != touchpoint]
        test = nps_difference(rest, group["nps"])
        share = len(group) / total
        detractor = is_detractor(group["nps"].to_numpy())
        lost = churned.reindex(group.index).to_numpy(dtype=float)
        known = ~np.isnan(lost)
        churn_det = _mean(lost[known & detractor])
        churn_oth = _mean(lost[known & ~detractor])
        rows.append({
            "touchpoint": touchpoint, "stage": (stages or {}).get(touchpoint), "responses": len(group),
            "share": share, "nps": nps(group["nps"]).value, "nps_rest": nps(rest).value,
            "impact": share * test.diff, "impact_low": share * test.low, "impact_high": share * test.high,
            "p": test.p_value, "detractors": int(detractor.sum()), "churn_detractors": churn_det,
            "churn_others": churn_oth, "excess_churn": detractor.sum() * (churn_det - churn_oth),
        })
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.sort_values("impact", ascending=False, ignore_index=True)


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else float("nan")


def _churned_after(answered: pd.DataFrame, customers: pd.DataFrame | None) -> pd.Series:
    """1.0 when the respondent churned after answering, 0.0 when not, NaN when unknown."""
    if customers is None or "customer_id" not in answered or "churned_at" not in customers:
        return pd.Series(np.nan, index=answered.index)
    churned_at = answered["customer_id"].map(customers.set_index("customer_id")["churned_at"])
    known = answered["customer_id"].isin(customers["customer_id"])
    # customers who had left before answering say nothing about churn after the moment
    before = churned_at < answered["date"] if "date" in answered else pd.Series(False, index=answered.index)
    return churned_at.notna().astype(float).where(known & ~before)
