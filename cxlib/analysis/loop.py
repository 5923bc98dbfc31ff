"""Close-the-loop lists: detractors to call back and promoters to ask for a referral.

Both lists carry only scrubbed comments (see :mod:`cxlib.text.pii`). Each detractor gets the
department that owns the problem, suggested from the themes of the comment: a theme's
``owner`` in the client's ``themes.yaml`` wins, otherwise the department that owns most of
the contact reasons mentioning that theme (``reasons.owner_department``). Priority:

* high: score 0–3, or a customer in the top quarter of all customers by annual revenue;
* medium: score 4–5;
* low: score 6.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from ..stats.nps import is_detractor, is_promoter
from ..text.lexicon import Theme
from ..text.pipeline import CommentAnalysis, analyse

PRIORITIES = ("high", "medium", "low")
#: Hours within which a detractor should be called back (the close-the-loop initiative of step 03).
CALLBACK_HOURS = 48
CALLBACK_COLUMNS = ["priority", "response_id", "customer_id", "date", "channel", "touchpoint", "nps",
                    "themes", "owner", "comment", "annual_revenue", "churned"]
PROMOTER_COLUMNS = ["response_id", "customer_id", "date", "channel", "touchpoint", "nps", "themes",
                    "comment", "annual_revenue"]


def theme_owners(themes: tuple[Theme, ...], reasons: pd.DataFrame | None) -> dict[str, str]:
    """Theme id → suggested owning department id (themes without a clue are left out)."""
    owners = {th.id: th.owner for th in themes if th.owner}
    if reasons is not None and "owner_department" in reasons:
        text = reasons["reason"].fillna("")
        if "root_cause" in reasons:
            text = text + ". " + reasons["root_cause"].fillna("")
        found = analyse(text.reset_index(drop=True), taxonomy=themes).mentions
        votes: dict[str, Counter] = {}
        for row, theme in zip(found["row"], found["theme"]):
            owner = reasons["owner_department"].iloc[row]
            if isinstance(owner, str):
                votes.setdefault(theme, Counter())[owner] += 1
        for theme, counter in votes.items():
            owners.setdefault(theme, counter.most_common(1)[0][0])
    return owners


def loop_lists(feedback: pd.DataFrame, text: CommentAnalysis, customers: pd.DataFrame | None = None,
               owners: dict[str, str] | None = None, *, lang: str) -> dict[str, pd.DataFrame]:
    """The ``callbacks`` (detractors) and ``promoters`` lists, newest first within priority.

    ``text`` is the analysis of ``feedback["comment"]`` (same index). Only responses with a
    customer id can be followed up. Theme names are in ``lang``; owners are department ids.
    """
    owners = owners or {}
    names = {th.id: th.name(lang) for th in text.themes}
    base = feedback[feedback["nps"].notna() & feedback.get("customer_id", pd.Series(index=feedback.index)).notna()]
    themes = text.comments["themes"].reindex(base.index).fillna("")
    frame = pd.DataFrame({
        "response_id": base["response_id"], "customer_id": base["customer_id"], "date": base["date"],
        "channel": base["channel"], "touchpoint": base.get("touchpoint"), "nps": base["nps"].astype(int),
        "themes": themes.map(lambda s: ", ".join(names[k] for k in s.split("|") if k)),
        "owner": themes.map(lambda s: next((owners[k] for k in s.split("|") if k in owners), None)),
        "comment": text.comments["comment"].reindex(base.index),
        "sentiment": text.comments["sentiment"].reindex(base.index),
    })
    frame["annual_revenue"], frame["churned"] = _customer_facts(frame["customer_id"], customers)
    revenue = customers["annual_revenue"] if customers is not None and "annual_revenue" in customers else None
    top = revenue.quantile(0.75) if revenue is not None and revenue.notna().any() else np.inf
    detractors = frame[is_detractor(frame["nps"])].copy()
    high = (detractors["nps"] <= 3) | (detractors["annual_revenue"] >= top)
    detractors["priority"] = np.where(high, "high", np.where(detractors["nps"] <= 5, "medium", "low"))
    detractors["rank"] = detractors["priority"].map({p: i for i, p in enumerate(PRIORITIES)})
    callbacks = detractors.sort_values(["rank", "date"], ascending=[True, False])[CALLBACK_COLUMNS]
    promoters = frame[is_promoter(frame["nps"]) & ~frame["churned"].fillna(False).astype(bool)
                      & (frame["sentiment"].fillna("neutral") != "negative")]
    promoters = promoters.sort_values(["nps", "annual_revenue", "date"], ascending=False)[PROMOTER_COLUMNS]
    return {"callbacks": callbacks.reset_index(drop=True), "promoters": promoters.reset_index(drop=True)}


def _customer_facts(ids: pd.Series, customers: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    if customers is None:
        return pd.Series(np.nan, index=ids.index), pd.Series(pd.NA, index=ids.index, dtype="boolean")
    by_id = customers.set_index("customer_id")
    revenue = ids.map(by_id["annual_revenue"]) if "annual_revenue" in by_id else pd.Series(np.nan, index=ids.index)
    churned = (ids.map(by_id["churned_at"]).notna() if "churned_at" in by_id
               else pd.Series(pd.NA, index=ids.index)).astype("boolean")
    return revenue.astype(float), churned.where(ids.isin(by_id.index))
