"""Loyalty in behaviour and in attitude: does NPS predict churn, who stays without liking us,
and what does solving a problem do to NPS?

* :func:`churn_by_nps_group` – churn after answering, by NPS group, with a chi-square test.
* :func:`loyalty_matrix` / :func:`captive_detractors` – behavioural loyalty (long tenure, still a
  customer) crossed with attitudinal loyalty (NPS group); the loyal detractors are "hostages".
* :func:`service_recovery` – NPS of responses by what became of the contact they followed.

Units as in :mod:`cxlib.analysis.metrics`: NPS in points (−100…100), shares 0–1, tenure in years of
365.25 days, revenue in the client's currency per year. Dates count as whole days. A customer's
attitude is the NPS group of their latest answer by date (same day: the later row); customers
missing from the customers table are left out. A missing required column raises
:class:`ValueError` naming table and column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..stats import checks
from ..stats.checks import ONE_DAY
from ..stats.intervals import wilson
from ..stats.nps import GROUPS, group_of, nps, nps_difference, nps_scores
from .metrics import abandoned_contacts

BEHAVIOURS = ("loyal", "not loyal")
#: Fewest years as a customer (and not churned) for behaviour to count as "loyal".
LOYAL_YEARS = 3
OUTCOMES = ("solved at first contact", "solved later", "not solved", "no problem")
_YEAR_DAYS = 365.25


def _require(frame: pd.DataFrame, table: str, *columns: str) -> None:
    for name in columns:
        checks.column(frame, table, name)


def _latest(feedback: pd.DataFrame, customers: pd.DataFrame, columns: list[str], until=None) -> pd.DataFrame:
    """Each customer's latest NPS answer (on or before day ``until``): customer_id, date (day),
    nps, group, plus ``columns`` of the customers table.
    """
    _require(feedback, "feedback", "customer_id", "date", "nps")
    _require(customers, "customers", "customer_id", *columns)
    answers = pd.DataFrame(
        {
            "customer_id": feedback["customer_id"],
            "date": checks.timestamps(feedback["date"], "date").dt.normalize(),
            "nps": pd.array(nps_scores(feedback["nps"]), dtype="Int64"),
        }
    ).dropna(subset=["customer_id", "nps"])
    if until is not None:
        answers = answers[answers["date"] <= until]
    latest = answers.sort_values("date", kind="stable").drop_duplicates("customer_id", keep="last")
    latest = latest.assign(group=group_of(latest["nps"]))
    return latest.merge(customers[["customer_id", *columns]], on="customer_id", validate="one_to_one")


def churn_by_nps_group(feedback: pd.DataFrame, customers: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Churn after answering, by the NPS group of each customer's latest answer.

    Churned means churned_at on or after the answer's day (any time up to the end of the data,
    not annualised); customers who churned before answering are left out. One row per group
    (detractor, passive, promoter): customers, churned, churn_rate (share 0–1) with its Wilson
    interval low/high, relative_risk (churn_rate ÷ that of promoters) and p, the Pearson
    chi-square test of independence of group and churn over the groups with customers (the
    same on every row; NaN when fewer than two groups or no churn / no stayer at all). A small p
    with relative_risk above 1 for detractors says NPS predicts churn here.
    """
    latest = _latest(feedback, customers, ["churned_at"])
    churned_at = checks.timestamps(latest["churned_at"], "churned_at").dt.normalize()
    kept = latest.assign(churned=churned_at >= latest["date"])[~(churned_at < latest["date"])]
    counts = kept.groupby("group", observed=False)["churned"].agg(["sum", "size"])
    k, n = counts["sum"].to_numpy(float), counts["size"].to_numpy(float)
    rate = wilson(k, n, confidence)
    table = np.column_stack([k, n - k])[n > 0]
    testable = len(table) > 1 and table.sum(axis=0).all()
    p = stats.chi2_contingency(table, correction=False).pvalue if testable else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        risk = rate.value / rate.value[-1]
    return pd.DataFrame(
        {"group": list(GROUPS), "customers": n.astype(np.int64), "churned": k.astype(np.int64),
         "churn_rate": rate.value, "low": rate.low, "high": rate.high, "relative_risk": risk, "p": p}
    )


def _loyalty(feedback, customers, contacts, tenure_years, as_of, columns=()) -> pd.DataFrame:
    """Answering customers with group, nps, tenure_years, loyal, annual_revenue, ``columns``
    and, given contacts, their number of contacts in the year up to ``as_of``.
    """
    if not tenure_years >= 0:
        raise ValueError(f"tenure_years must be ≥ 0; got {tenure_years}")
    day = checks.day(
        as_of if as_of is not None else checks.timestamps(checks.column(feedback, "feedback", "date"), "date").max()
    )
    if pd.isna(day):
        raise ValueError("feedback has no dates; give as_of")
    frame = _latest(feedback, customers, ["since", "churned_at", "annual_revenue", *columns], until=day)
    since = checks.timestamps(frame["since"], "since").dt.normalize()
    churned_at = checks.timestamps(frame["churned_at"], "churned_at").dt.normalize()
    churned = churned_at <= day
    tenure = (churned_at.where(churned, day) - since).dt.days / _YEAR_DAYS
    frame = frame.assign(
        tenure_years=tenure, loyal=(tenure >= tenure_years) & ~churned,
        annual_revenue=checks.amounts(frame["annual_revenue"], "annual_revenue"),
    )[since.notna()]
    if contacts is not None:
        _require(contacts, "contacts", "customer_id", "opened_at")
        opened = checks.timestamps(contacts["opened_at"], "opened_at")
        recent = (opened >= day + ONE_DAY - pd.DateOffset(years=1)) & (opened < day + ONE_DAY)
        counts = contacts.loc[recent, "customer_id"].value_counts()
        frame["contacts"] = frame["customer_id"].map(counts).fillna(0).astype(np.int64)
    return frame


def loyalty_matrix(
    feedback: pd.DataFrame,
    customers: pd.DataFrame,
    contacts: pd.DataFrame | None = None,
    *,
    tenure_years: float = LOYAL_YEARS,
    as_of=None,
) -> pd.DataFrame:
    """Behavioural × attitudinal loyalty of the customers who answered NPS by ``as_of``.

    Behaviour is "loyal" when the customer has been one for at least ``tenure_years`` at
    ``as_of`` (a day; default the latest feedback date) and has not churned by then, else
    "not loyal"; attitude is the NPS group of the latest answer up to ``as_of``. Customers with
    unknown ``since`` are left out. One row per behaviour × group (6 rows, empty cells kept):
    customers, share (of all customers in the matrix, 0–1), mean_tenure_years (from since to
    as_of, or to churned_at if earlier), mean_annual_revenue and, given contacts,
    contacts_per_customer: mean contacts opened in the year up to as_of (abandoned included).
    """
    frame = _loyalty(feedback, customers, contacts, tenure_years, as_of)
    frame["behaviour"] = pd.Categorical(np.where(frame["loyal"], *BEHAVIOURS), categories=list(BEHAVIOURS))
    means = {"mean_tenure_years": ("tenure_years", "mean"), "mean_annual_revenue": ("annual_revenue", "mean")}
    if contacts is not None:
        means["contacts_per_customer"] = ("contacts", "mean")
    cells = frame.groupby(["behaviour", "group"], observed=False).agg(customers=("customer_id", "size"), **means)
    cells.insert(1, "share", cells["customers"] / cells["customers"].sum())
    cells = cells.reset_index()
    return cells.astype({"behaviour": "str", "group": "str", "customers": np.int64})


def captive_detractors(
    feedback: pd.DataFrame,
    customers: pd.DataFrame,
    contacts: pd.DataFrame | None = None,
    *,
    tenure_years: float = LOYAL_YEARS,
    as_of=None,
) -> pd.DataFrame:
    """The "hostages": customers loyal in behaviour but detractors in attitude (see
    :func:`loyalty_matrix` for the definitions and options).

    One row per customer, by annual_revenue descending: customer_id, tenure_years, nps (latest
    answer), annual_revenue, segment (from customers) and, given contacts, contacts (number
    opened in the year up to as_of).
    """
    frame = _loyalty(feedback, customers, contacts, tenure_years, as_of, ["segment"])
    columns = ["customer_id", "tenure_years", "nps", "annual_revenue", "segment"]
    if contacts is not None:
        columns.append("contacts")
    captive = frame.loc[frame["loyal"] & (frame["group"] == "detractor"), columns]
    return captive.sort_values(["annual_revenue", "customer_id"], ascending=[False, True]).reset_index(drop=True)


def service_recovery(feedback: pd.DataFrame, contacts: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """NPS of responses by what became of the contact the survey followed (feedback.contact_id).

    Outcomes, in this order: "solved at first contact" (resolved_first_contact true, not
    abandoned); "solved later" (resolved_first_contact false, closed_at present); "not solved"
    (abandoned, or resolved_first_contact false/missing and never closed); "no problem" (no
    contact_id, or one not in contacts). Responses whose contact is closed but has no
    resolved_first_contact fit no outcome and are left out. Columns: outcome, n (answers), nps
    (points) with its adjusted-Wald interval low/high (:func:`cxlib.analysis.metrics.nps`),
    diff_vs_first (NPS points minus that of "solved at first contact") and its two-sided p
    (:func:`cxlib.analysis.metrics.nps_difference`; NaN on the reference row).
    """
    _require(feedback, "feedback", "nps", "contact_id")
    _require(contacts, "contacts", "contact_id", "resolved_first_contact", "closed_at")
    if not contacts["contact_id"].is_unique:
        raise ValueError("contacts: contact_id must be unique")
    first = checks.flags(contacts["resolved_first_contact"], "resolved_first_contact")
    closed = checks.timestamps(contacts["closed_at"], "closed_at").notna().to_numpy()
    abandoned = abandoned_contacts(contacts)
    first_time, later, unsolved, no_problem = OUTCOMES
    rules = {unsolved: abandoned, first_time: first == 1, later: (first == 0) & closed}  # first match wins
    outcome = np.select([*rules.values(), ~closed], [*rules, unsolved], "")
    by_response = feedback["contact_id"].map(pd.Series(outcome, index=contacts["contact_id"])).fillna(no_problem)
    scores = nps_scores(feedback["nps"])
    samples = [scores[(by_response == name).to_numpy()] for name in OUTCOMES]
    estimates = [nps(sample, confidence=confidence) for sample in samples]
    diffs = [nps_difference(sample, samples[0], confidence=confidence) for sample in samples]
    return pd.DataFrame(
        {
            "outcome": list(OUTCOMES),
            "n": np.array([e.n for e in estimates], dtype=np.int64),
            "nps": np.array([e.value for e in estimates], dtype=float),
            "low": np.array([e.low for e in estimates], dtype=float),
            "high": np.array([e.high for e in estimates], dtype=float),
            "diff_vs_first": [d.diff for d in diffs],
            "p": [np.nan, *(d.p_value for d in diffs[1:])],
        }
    )
