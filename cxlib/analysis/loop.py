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
from pathlib import Path

import numpy as np
import pandas as pd

from ..i18n import t
from ..text.lexicon import Theme
from ..report.exports import write_table
from ..text.pipeline import CommentAnalysis, analyse

PRIORITIES = ("high", "medium", "low")
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
               owners: dict[str, str] | None = None, lang: str = "sv") -> dict[str, pd.DataFrame]:
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
    detractors = frame[frame["nps"] <= 6].copy()
    high = (detractors["nps"] <= 3) | (detractors["annual_revenue"] >= top)
    detractors["priority"] = np.where(high, "high", np.where(detractors["nps"] <= 5, "medium", "low"))
    detractors["rank"] = detractors["priority"].map({p: i for i, p in enumerate(PRIORITIES)})
    callbacks = detractors.sort_values(["rank", "date"], ascending=[True, False])[CALLBACK_COLUMNS]
    promoters = frame[(frame["nps"] >= 9) & ~frame["churned"].fillna(False).astype(bool)
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


def write_loop_lists(lists: dict[str, pd.DataFrame], out_dir: str | Path, lang: str = "sv") -> list[Path]:
    """Write each list as ``<out_dir>/loop/<name>.csv`` and ``.xlsx`` with headers in ``lang``.

    Files are written by :func:`cxlib.report.exports.write_table`: CSV in the dialect of ``lang``
    (``;`` and a decimal comma for Swedish and Norwegian), and no comment or id can run
    as a formula when the file is opened in a spreadsheet.

    Parameters
    ----------
    lists : dict of str to pandas.DataFrame
        List name → list, as returned by :func:`loop_lists`.
    out_dir : str or pathlib.Path
        Report folder; the files go to its ``loop`` subfolder.
    lang : str
        Language of the headers and priorities (``sv``, ``en``, ``nb``).

    Returns
    -------
    list of pathlib.Path
        The files written, CSV before XLSX for each list.
    """
    paths = []
    for name, frame in lists.items():
        shown = frame.rename(columns={c: t(f"loop.{c}", lang) for c in frame.columns})
        if "priority" in frame:
            shown[t("loop.priority", lang)] = frame["priority"].map(lambda p: t(f"loop.{p}", lang))
        base = Path(out_dir) / "loop" / name
        paths += [write_table(shown, base.with_suffix(suffix), lang=lang) for suffix in (".csv", ".xlsx")]
    return paths
