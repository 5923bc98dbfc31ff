"""Value and failure demand: which contacts add value for the customer, and which exist only because
something failed earlier (Seddon 2003).

Each contact takes the demand type of its reason in the reasons table (``value`` or ``failure``).
A contact whose reason has none (or is not in the table) is classified by rule, first match:

1. ``repeat``: the same customer contacted about the same reason within the repeat window before
   (:func:`cxlib.analysis.repeats.is_repeat`): the earlier contact did not solve it;
2. ``after_dropout``: the contact followed a dropped digital journey (step 05);

and is ``unclear`` otherwise. Unclear contacts are never counted as value: shares are of all
contacts, with the unclear share beside them. Reason names that signal chasing
(:data:`CHASING`) are *suggested* as failure for the workshop to confirm; a suggestion
classifies no contact.

What failure demand ties up goes through step 04's staffing model
(:class:`cxlib.analysis.avoidance.StaffModel`): the agents needed with and without it, interval by interval,
so the FTE are not proportional to the contacts. The interval of a figure carries the sampling
uncertainty of the volume: the exact Poisson (Garwood) interval of the contact count, the
contacts scaled to its bounds and staffed again.

References
----------
Seddon, J. (2003). *Freedom from Command and Control: a better way to make the work work*.
Vanguard Education (value and failure demand).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Channel
from ..stats.intervals import garwood, wilson
from ..stats.means import mean_difference
from ..stats.nps import nps, nps_difference
from ..stats.proportion import two_proportions
from .avoidance import Avoidance, StaffModel

CLASSES = ("value", "failure", "unclear")
"""What a contact is, in the order of the codes of :func:`classify`."""
RULES = ("label", "repeat", "after_dropout", "none")
"""How a contact's class was decided: its reason's label, one of the rules, or none (unclear)."""
CHASING = ("var är", "har inte fått", "har ej fått", "inte fått", "ej fått", "väntar på", "status",
           "hvor er", "har ikke fått", "ikke fått", "venter på",
           "where is", "not received", "haven't received", "still waiting")
"""Words in a reason's name that signal chasing something promised (Swedish, Norwegian, English)."""
TYPICAL_FAILURE_SHARE = (0.40, 0.60)
"""Failure demand (share 0–1 of contacts) practitioners typically report in service organisations."""
ELIMINATION_SHARES = (0.5, 1.0)
"""Shares (0–1) of a reason's failure contacts the default elimination scenarios remove."""
DEFAULT_ELIMINATIONS = 3
"""How many failure reasons (most contacts first) get default elimination scenarios."""


def is_chasing(names: pd.Series) -> np.ndarray:
    """Whether each reason name signals chasing (:data:`CHASING`, case-insensitive)."""
    lowered = names.astype("string").str.lower()
    found = np.zeros(len(names), dtype=bool)
    for phrase in CHASING:
        found |= lowered.str.contains(phrase, regex=False).fillna(False).to_numpy(bool)
    return found


def reason_table(reasons: pd.DataFrame | None, contact_reasons: pd.Series) -> pd.DataFrame:
    """Every reason of the reasons table and of the contacts, with its label and suggestion.

    Returns
    -------
    DataFrame
        reason, demand_type (``value``/``failure``; NaN when not labelled), root_cause,
        owner_department (NaN when unknown), labelled (bool) and suggested (``failure`` for an
        unlabelled reason whose name signals chasing, else NaN); reasons of the table first.
    """
    columns = ["reason", "demand_type", "root_cause", "owner_department"]
    table = (pd.DataFrame(columns=columns) if reasons is None else reasons.reindex(columns=columns)).astype(object)
    seen = pd.unique(contact_reasons.dropna().astype(str))
    extra = pd.DataFrame({"reason": [r for r in seen if r not in set(table["reason"])]}, columns=columns)
    table = pd.concat([table, extra], ignore_index=True).astype(object)
    table = table.where(table.notna(), np.nan)
    table["labelled"] = table["demand_type"].isin(["value", "failure"])
    table["suggested"] = pd.Series(np.where(~table["labelled"] & is_chasing(table["reason"]), "failure", None),
                                   dtype=object).where(lambda x: x.notna(), np.nan)
    return table.reset_index(drop=True)


def classify(contacts: pd.DataFrame, reasons: pd.DataFrame, *, repeat: np.ndarray | None = None,
             after_dropout: np.ndarray | None = None) -> pd.DataFrame:
    """Each contact's demand class and the rule that decided it (see the module docstring).

    Parameters
    ----------
    contacts : DataFrame
        Contacts with ``reason``.
    reasons : DataFrame
        :func:`reason_table` (reason, demand_type).
    repeat, after_dropout : numpy.ndarray of bool, optional
        Per contact: a repeat within the window; made after a dropped digital journey. ``None``
        leaves the rule out.

    Returns
    -------
    DataFrame
        Index of ``contacts``: ``demand`` and ``rule``, categoricals of :data:`CLASSES` and
        :data:`RULES`.
    """
    codes, uniques = pd.factorize(contacts["reason"])
    label = dict(zip(reasons["reason"], reasons["demand_type"]))
    of_unique = np.array([CLASSES.index(label[u]) if label.get(u) in CLASSES[:2] else -1 for u in uniques] + [-1],
                         dtype=np.int8)
    labelled = of_unique[codes]  # code −1 (no reason) takes the appended −1
    demand = np.where(labelled >= 0, labelled, CLASSES.index("unclear")).astype(np.int8)
    rule = np.where(labelled >= 0, RULES.index("label"), RULES.index("none")).astype(np.int8)
    for name, hits in (("repeat", repeat), ("after_dropout", after_dropout)):
        if hits is None:
            continue
        now = (rule == RULES.index("none")) & np.asarray(hits, dtype=bool)
        demand[now], rule[now] = CLASSES.index("failure"), RULES.index(name)
    return pd.DataFrame({"demand": pd.Categorical.from_codes(demand, CLASSES),
                         "rule": pd.Categorical.from_codes(rule, RULES)}, index=contacts.index)


def rule_counts(classes: pd.DataFrame) -> pd.DataFrame:
    """Contacts per rule and class: rule, demand, contacts, share (0–1 of all contacts)."""
    counts = classes.groupby(["rule", "demand"], observed=True).size().rename("contacts").reset_index()
    counts = counts[counts["contacts"] > 0].reset_index(drop=True)
    return counts.assign(share=counts["contacts"] / max(len(classes), 1))


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes, pd.Index(uniques)


def pareto(contacts: pd.DataFrame, classes: pd.DataFrame, reasons: pd.DataFrame, channels: Sequence[Channel], *,
           years: float = 1.0) -> pd.DataFrame:
    """Contacts per reason, most first, with handle time, cost and the cumulative share.

    Parameters
    ----------
    contacts : DataFrame
        Contacts: ``reason``, ``channel``, optional ``handle_time_s``.
    classes : DataFrame
        :func:`classify` of ``contacts``.
    reasons : DataFrame
        :func:`reason_table` (for the label, root cause and owner).
    channels : sequence of Channel
        For each channel's cost per contact.
    years : float, default 1
        Length of the period in years.

    Returns
    -------
    DataFrame
        reason, demand_type (the label; NaN unlabelled), suggested, root_cause, owner_department,
        contacts, contacts_per_year, failure and unclear (contacts so classified), share and
        cumulative_share (of all contacts, 0–1), handle_hours_per_year (NaN without handle times),
        aht_s (mean handle time, seconds) and cost_per_year (the contacts at their channel's cost
        per contact; NaN when a channel with contacts has no cost).
    """
    reason, uniques = _codes(contacts["reason"])
    channel, channel_ids = _codes(contacts["channel"])
    known = reason >= 0
    n = len(uniques)
    demand = classes["demand"].cat.codes.to_numpy()
    count = np.bincount(reason[known], minlength=n).astype(float)
    failure = np.bincount(reason[known & (demand == 1)], minlength=n).astype(float)
    unclear = np.bincount(reason[known & (demand == 2)], minlength=n).astype(float)
    cost = {c.id: np.nan if c.cost_per_contact is None else c.cost_per_contact for c in channels}
    per_contact = np.array([cost.get(c, np.nan) for c in channel_ids] + [np.nan])[channel]
    priced = np.bincount(reason[known], weights=np.nan_to_num(per_contact[known]), minlength=n)
    unpriced = np.bincount(reason[known & np.isnan(per_contact)], minlength=n)
    out = pd.DataFrame({"reason": uniques.astype(str), "contacts": count, "contacts_per_year": count / years,
                        "failure": failure, "unclear": unclear})
    if "handle_time_s" in contacts:
        handle = contacts["handle_time_s"].to_numpy(float)
        timed = known & np.isfinite(handle)
        seconds = np.bincount(reason[timed], weights=handle[timed], minlength=n)
        handled = np.bincount(reason[timed], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["aht_s"] = seconds / handled
        out["handle_hours_per_year"] = np.where(handled > 0, out["aht_s"] * count / 3600 / years, np.nan)
    else:
        out["aht_s"], out["handle_hours_per_year"] = np.nan, np.nan
    out["cost_per_year"] = np.where(unpriced > 0, np.nan, priced / years)
    info = reasons.set_index("reason")[["demand_type", "suggested", "root_cause", "owner_department"]]
    out = out.join(info, on="reason").sort_values(["contacts", "reason"], ascending=[False, True])
    total = max(len(contacts), 1)
    out["share"] = out["contacts"] / total
    out["cumulative_share"] = out["share"].cumsum()
    columns = ["reason", "demand_type", "suggested", "root_cause", "owner_department", "contacts",
               "contacts_per_year", "failure", "unclear", "share", "cumulative_share", "handle_hours_per_year",
               "aht_s", "cost_per_year"]
    return out[columns].reset_index(drop=True)


def failure_share(contacts: pd.DataFrame, classes: pd.DataFrame, *, by: str | None = None,
                  confidence: float = 0.95) -> pd.DataFrame:
    """The share of contacts that is failure demand, per group, with Wilson intervals.

    Parameters
    ----------
    contacts : DataFrame
        Contacts (``opened_at`` for ``by="month"``).
    classes : DataFrame
        :func:`classify` of ``contacts``.
    by : str, optional
        A column of ``contacts`` (e.g. ``"channel"``), ``"month"`` (``YYYY-MM`` of ``opened_at``)
        or ``None`` for one row of all contacts.
    confidence : float, default 0.95
        Of the intervals.

    Returns
    -------
    DataFrame
        [by,] contacts, failure, unclear, value (failure share 0–1) with low and high,
        unclear_share, and at_most (the failure share were every unclear contact failure).
        Contacts are counted as independent trials: repeats of one customer are not clustered.
    """
    if by is None:
        codes, keys = np.zeros(len(contacts), dtype=np.int64), None
    else:
        if by == "month":
            months = contacts["opened_at"].to_numpy("datetime64[M]")
            codes, keys = _codes(pd.Series(months.view(np.int64)))
            keys = pd.Index(np.datetime_as_string(keys.to_numpy().astype("datetime64[M]"), unit="M"))
        else:
            codes, keys = _codes(contacts[by])
    known = codes >= 0
    n_groups = 1 if keys is None else len(keys)
    demand = classes["demand"].cat.codes.to_numpy()
    count = np.bincount(codes[known], minlength=n_groups).astype(float)
    failure = np.bincount(codes[known & (demand == 1)], minlength=n_groups).astype(float)
    unclear = np.bincount(codes[known & (demand == 2)], minlength=n_groups).astype(float)
    share = wilson(failure, count, confidence)
    out = pd.DataFrame({"contacts": count, "failure": failure, "unclear": unclear, "value": share.value,
                        "low": share.low, "high": share.high, "unclear_share": unclear / np.where(count, count, np.nan),
                        "at_most": (failure + unclear) / np.where(count, count, np.nan)})
    if keys is not None:
        out.insert(0, by, keys.astype(str))
        out = out.sort_values(by).reset_index(drop=True)
    return out


def volume_bounds(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Factors (low, high) by which a count of ``count`` contacts may be off: its Garwood bounds over it."""
    if count <= 0:
        return 1.0, 1.0
    low, high = garwood(np.array([count]), confidence)
    return float(low[0] / count), float(high[0] / count)


def priced(model: StaffModel, avoided: Avoidance, count: float, *, confidence: float = 0.95,
           service: bool = False) -> dict:
    """Contacts, FTE and cost per year that ``avoided`` (``count`` contacts in the period) ties up,
    each with the interval of the volume (:func:`volume_bounds`), staffed at both bounds.

    Returns
    -------
    dict
        ``contacts_per_year``, ``fte`` and ``cost_per_year`` (tied up, so positive), each with
        ``_low`` and ``_high``; ``channels``: the per-channel table of
        :meth:`cxlib.analysis.avoidance.StaffModel.saving` at the value.
    """
    bounds = volume_bounds(count, confidence)
    centre = model.saving(avoided, service=service)
    ends = [model.saving(avoided.scaled(f)) for f in bounds]
    out = {"channels": centre["channels"]}
    for key, sign in (("contacts_per_year", 1), ("fte", -1), ("cost_per_year", -1)):
        values = sorted(sign * e[key] for e in ends)
        out[key], out[f"{key}_low"], out[f"{key}_high"] = sign * centre[key], values[0], values[1]
    return out


def tied_up(model: StaffModel, codes: np.ndarray, names: Sequence[str], *, confidence: float = 0.95) -> pd.DataFrame:
    """What the contacts of each group tie up, one group at a time with every other contact kept.

    Parameters
    ----------
    model : StaffModel
        Staffing of all the contacts.
    codes : numpy.ndarray of int
        Per contact of the model, its group: a position in ``names`` (e.g. the root cause of a
        failure contact), or −1 for none.
    names : sequence of str
        The groups' names.
    confidence : float, default 0.95
        Of the intervals.

    Returns
    -------
    DataFrame
        group, contacts (in the period), then as :func:`priced`: contacts_per_year, fte and
        cost_per_year with _low and _high; most FTE first. Groups do not add up to the whole:
        each is priced alone, and pooling makes the parts of a queue worth less than the whole.
    """
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    rows = []
    for code, name in enumerate(names):
        mine = order[bounds[code]:bounds[code + 1]]
        if not len(mine):
            continue
        figures = priced(model, model.demand_of(mine), float(len(mine)), confidence=confidence)
        figures.pop("channels")
        rows.append({"group": str(name), "contacts": float(len(mine)), **figures})
    columns = ["group", "contacts"] + [f"{k}{s}" for k in ("contacts_per_year", "fte", "cost_per_year")
                                       for s in ("", "_low", "_high")]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["fte", "contacts"], ascending=False).reset_index(drop=True)


@dataclass(frozen=True)
class Elimination:
    """Remove ``share`` (0–1) of the failure contacts of one ``reason`` or one ``root_cause``."""

    id: str
    name: str
    share: float
    reason: str | None = None
    root_cause: str | None = None
    owner: str | None = None


def default_eliminations(table: pd.DataFrame, *, top: int = DEFAULT_ELIMINATIONS,
                         shares: Sequence[float] = ELIMINATION_SHARES) -> list[Elimination]:
    """Scenarios for the ``top`` reasons with the most failure contacts of :func:`pareto`'s ``table``,
    each at every share of ``shares``; ``name`` is left empty for the caller to word.
    """
    reasons = table[table["failure"] > 0].sort_values(["failure", "reason"], ascending=[False, True]).head(top)
    return [Elimination(id=f"{row.reason}-{round(share * 100)}", name="", share=share, reason=row.reason,
                        owner=None if pd.isna(row.owner_department) else str(row.owner_department))
            for row in reasons.itertuples() for share in shares]


def targeted(elimination: Elimination, contacts: pd.DataFrame, classes: pd.DataFrame,
             reasons: pd.DataFrame) -> np.ndarray:
    """Which contacts ``elimination`` acts on: the failure contacts of its reason or root cause."""
    failure = (classes["demand"] == "failure").to_numpy()
    if elimination.reason is not None:
        names = {elimination.reason}
    else:
        names = set(reasons.loc[reasons["root_cause"] == elimination.root_cause, "reason"])
    return failure & contacts["reason"].isin(names).to_numpy()


COMPARISON_COLUMNS = ["kpi", "exposed", "reference", "diff", "low", "high", "p_value", "n_exposed", "n_reference"]
"""The columns of :func:`compare_scores` and :func:`compare_churn`."""


def compare_scores(feedback: pd.DataFrame | None, exposed: np.ndarray, reference: np.ndarray, *,
                   confidence: float = 0.95) -> pd.DataFrame:
    """NPS and CES of the ``exposed`` answers against the ``reference`` answers.

    Parameters
    ----------
    feedback : DataFrame, optional
        Responses with ``nps`` (0–10) and/or ``ces`` (1–7).
    exposed, reference : numpy.ndarray of bool
        Per response, whether it is in each group (e.g. given by a customer with failure contacts,
        and by one with only value contacts).
    confidence : float, default 0.95
        Of the intervals.

    Returns
    -------
    DataFrame
        :data:`COMPARISON_COLUMNS`: kpi (``nps`` in points −100…100, :func:`~cxlib.stats.nps.nps_difference`;
        ``ces`` 1–7, Welch's :func:`~cxlib.stats.means.mean_difference`), the two groups' values, diff
        (exposed − reference) with low and high, p_value, and the answers of each group; a KPI with
        fewer than two answers on a side is left out.
    """
    rows = []
    for kpi, compare in (("nps", nps_difference), ("ces", mean_difference)):
        if feedback is None or kpi not in feedback:
            continue
        scores = feedback[kpi].to_numpy(float, na_value=np.nan)
        a, b = scores[exposed & np.isfinite(scores)], scores[reference & np.isfinite(scores)]
        if len(a) < 2 or len(b) < 2:
            continue
        r = compare(a, b, confidence)
        level = (lambda x: nps(x).value) if kpi == "nps" else np.mean
        rows.append({"kpi": kpi, "exposed": float(level(a)), "reference": float(level(b)), "diff": r.diff,
                     "low": r.low, "high": r.high, "p_value": r.p_value, "n_exposed": len(a), "n_reference": len(b)})
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def compare_churn(churned: np.ndarray, exposed: np.ndarray, reference: np.ndarray, *,
                  confidence: float = 0.95) -> pd.DataFrame:
    """The churn of the ``exposed`` customers against the ``reference`` customers.

    Made for a landmark comparison: the customers are those still active at a landmark day, the
    groups are formed from what happened before it, and ``churned`` says who left from the landmark
    to the end of the period (:func:`cxlib.analysis.metrics.churn_cohort` from the landmark). Counting
    churn over the whole period instead would favour customers with more contacts, since those who
    left early had less time to make any.

    Parameters
    ----------
    churned, exposed, reference : numpy.ndarray of bool
        Per customer at risk, whether they left, and whether they are in each group.
    confidence : float, default 0.95
        Of the Newcombe interval (:func:`~cxlib.stats.proportion.two_proportions`).

    Returns
    -------
    DataFrame
        :data:`COMPARISON_COLUMNS` with one row, kpi ``churn_rate`` (the shares 0–1 that left, and
        their difference) and the customers of each group; empty when a group has none.
    """
    k1, n1, k2, n2 = (float(x) for x in (churned[exposed].sum(), exposed.sum(), churned[reference].sum(),
                                         reference.sum()))
    if not n1 or not n2:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    r = two_proportions(k1, n1, k2, n2, confidence)
    return pd.DataFrame([{"kpi": "churn_rate", "exposed": k1 / n1, "reference": k2 / n2, "diff": float(r.diff),
                          "low": float(r.low), "high": float(r.high), "p_value": float(r.p_value),
                          "n_exposed": int(n1), "n_reference": int(n2)}], columns=COMPARISON_COLUMNS)


SCENARIO_COLUMNS = ["id", "name", "reason", "root_cause", "owner", "share"] + [
    f"{key}{end}" for key in ("contacts_per_year", "fte", "cost_per_year") for end in ("", "_low", "_high")] + [
    "service_channel", "service_level_before", "service_level_unchanged"] + [
    f"{key}{end}" for key in ("nps_points", "customers_retained_per_year") for end in ("", "_low", "_high")]
"""The keys of :func:`evaluate`, in order."""


def cumulative_saving(model: StaffModel, names: Sequence[str], masks: Sequence[np.ndarray]) -> pd.DataFrame:
    """The FTE the staffing model needs now, and after removing each group of contacts on top of those before.

    Parameters
    ----------
    model : StaffModel
        Staffing of all the contacts.
    names : sequence of str
        A name per group.
    masks : sequence of numpy.ndarray of bool
        Per group, which contacts of the model it removes.

    Returns
    -------
    DataFrame
        step (``""`` for now, then the names), change (FTE, after − before the step; NaN for now)
        and fte (FTE required after the step). Removing groups in turn, each step is priced with
        the ones before it gone, so the steps add up to the whole.
    """
    now = model.fte
    rows, removed, previous = [{"step": "", "change": np.nan, "fte": now}], np.zeros(len(model.contacts), bool), now
    for name, mask in zip(names, masks):
        removed = removed | mask
        after = now + model.saving(model.demand_of(np.flatnonzero(removed)))["fte"]
        rows.append({"step": name, "change": after - previous, "fte": after})
        previous = after
    return pd.DataFrame(rows, columns=["step", "change", "fte"])


def evaluate(model: StaffModel, elimination: Elimination, hits: np.ndarray, comparison: pd.DataFrame | None = None,
             *, nps_answers: int = 0, churn_years: float | None = None, confidence: float = 0.95) -> dict:
    """What ``elimination`` changes when it acts on the contacts ``hits`` (:func:`targeted`).

    Parameters
    ----------
    model : StaffModel
        Staffing of all the contacts.
    elimination : Elimination
        The scenario.
    hits : numpy.ndarray of bool
        Per contact of the model, whether the scenario acts on it.
    comparison : DataFrame, optional
        :func:`compare_scores` and :func:`compare_churn` rows of the customers with ``hits``
        contacts against those without failure contacts; give the NPS and churn effects.
    nps_answers : int
        All NPS answers of the period (to weigh the exposed customers' answers in overall NPS).
    churn_years : float, optional
        Length in years of the churn comparison's window (from its landmark); default the period's.
    confidence : float, default 0.95
        Of the intervals.

    Returns
    -------
    dict
        id, name, reason, root_cause, owner, share; contacts_per_year (removed), fte and
        cost_per_year (saved, so negative), each with _low and _high (:func:`priced`);
        service_channel (the queue channel losing most contacts), service_level_before (its
        modelled level with the required staff) and service_level_unchanged (with the same staff
        after the removal); nps_points (change in overall NPS, assuming the customers freed of
        these contacts come to rate like those without failure contacts) and
        customers_retained_per_year (the same for churn), each with _low and _high (NaN without
        the comparison).
    """
    rows = np.flatnonzero(hits)
    count = float(len(rows)) * elimination.share
    avoided = model.demand_of(rows, elimination.share)
    figures = priced(model, avoided, count, confidence=confidence, service=True)
    row = {"id": elimination.id, "name": elimination.name, "reason": elimination.reason,
           "root_cause": elimination.root_cause, "owner": elimination.owner, "share": elimination.share}
    for key in ("contacts_per_year", "fte", "cost_per_year"):
        sign = 1 if key == "contacts_per_year" else -1  # removed contacts; saved staff and cost
        value, low, high = (figures[f"{key}{s}"] for s in ("", "_low", "_high"))
        row[key], row[f"{key}_low"], row[f"{key}_high"] = sign * value, min(sign * low, sign * high), max(
            sign * low, sign * high)
    channels = figures["channels"].dropna(subset=["service_level_before"])
    channels = channels.assign(lost=channels["contacts_before"] - channels["contacts_after"]).sort_values(
        "lost", ascending=False)
    top = channels.iloc[0] if len(channels) else None
    row["service_channel"] = None if top is None else top["channel"]
    row["service_level_before"] = np.nan if top is None else float(top["service_level_before"])
    row["service_level_unchanged"] = np.nan if top is None else float(top["service_level_unchanged"])
    rows = {} if comparison is None else comparison.set_index("kpi").to_dict("index")
    nps_row, churn_row = rows.get("nps"), rows.get("churn_rate")
    # freed customers rate like the reference: overall NPS moves by their weight × (reference − exposed)
    weight = elimination.share * (nps_row["n_exposed"] / nps_answers if nps_row and nps_answers else np.nan)
    row.update(_effect("nps_points", nps_row, -weight))
    # and churn like it: (exposed − reference) of them stay
    retained = np.nan if churn_row is None else elimination.share * churn_row["n_exposed"] / (
        churn_years or model.years)
    row.update(_effect("customers_retained_per_year", churn_row, retained))
    return row


def _effect(key: str, compared: dict | None, weight: float) -> dict:
    """``key`` with _low and _high: ``weight`` × (exposed − reference) of a comparison row."""
    if compared is None or not np.isfinite(weight):
        return {key: np.nan, f"{key}_low": np.nan, f"{key}_high": np.nan}
    low, high = sorted((weight * compared["low"], weight * compared["high"]))
    return {key: weight * compared["diff"], f"{key}_low": low, f"{key}_high": high}
