"""The initiative list of step 07: the client's initiatives and the candidates of steps 03–06 on one footing.

:func:`initiative_list` joins the client's ``initiatives`` table (effort and effect scored 1–5,
one-off cost, owner, duration) with the candidates the steps proposed (measured effects with
intervals) and the workshop's scores. What is not known stays NaN, never 0:

* effort and effect scores: the mean of the workshop participants', else the client's;
* one-off cost and duration: the workshop's, else the client's, else **estimated from the
  effort score**: the median cost (and duration) of the client's own initiatives with the same
  effort score, their range as the interval;
* money per year (``value_per_year``) only where a stated assumption makes it so: the saving
  (−``cost_per_year``) plus the customers retained per year × customer lifetime value (step 01).
  NPS points are never turned into money.

Candidates on the same touchpoint act on the same problem, so their effects overlap:
:func:`groups` finds them and :func:`combined_effects` combines their effects by a stated rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .scoring import IMPACT_SCALE

EFFECT_KEYS = ("nps_points", "fte", "cost_per_year", "customers_retained_per_year", "contacts_per_year",
               "sessions_recovered_per_year", "service_level")
"""Effects carried over from the candidates (ids of :data:`cxlib.results.EFFECTS`), each with ``_low`` and ``_high``."""
CLIENT = "client"
"""The ``source`` of the client's own initiatives."""
COST_SOURCES = (CLIENT, "workshop", "effort")
"""Where an initiative's cost (and duration) came from: the client's list, the workshop, or estimated from effort."""
CONFIDENCE = {"interval_excludes_zero": 1.0, "measured": 0.8, "scored": 0.5}
"""RICE's confidence (Intercom's high, medium, low) by what backs an initiative's effect."""
PROPOSED_COLUMNS = ["id", "name", "source", "area", "owner", "touchpoint", "mechanism", "reach_per_year",
                    *[f"{key}{end}" for key in EFFECT_KEYS for end in ("", "_low", "_high")]]
"""The columns of the candidates :func:`initiative_list` takes."""
COLUMNS = ["id", "name", "source", "measured_by", "area", "owner", "touchpoint", "mechanism", "reach_per_year",
           *[f"{key}{end}" for key in (*EFFECT_KEYS, "value_per_year") for end in ("", "_low", "_high")],
           "rated_effect", "effect_min", "effect_max", "effort", "effort_min", "effort_max", "scored_by",
           "cost", "cost_low", "cost_high", "cost_source", "duration", "duration_source", "requires", "excludes",
           "confidence"]
"""The columns of :func:`initiative_list`."""


def score_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Per initiative: the participants' mean, lowest and highest effort and effect (1–5), and how many scored.

    Parameters
    ----------
    scores : DataFrame
        One row per participant and initiative: ``initiative``, ``participant``, ``effort``, ``effect``.

    Returns
    -------
    DataFrame
        Indexed by initiative: effort, effort_min, effort_max, rated_effect, effect_min, effect_max, scored_by.
    """
    g = scores.astype({"effort": float, "effect": float, "initiative": object}).groupby("initiative")
    return pd.DataFrame({"effort": g["effort"].mean(), "effort_min": g["effort"].min(),
                         "effort_max": g["effort"].max(), "rated_effect": g["effect"].mean(),
                         "effect_min": g["effect"].min(), "effect_max": g["effect"].max(),
                         "scored_by": g["participant"].nunique()})


def by_effort(client: pd.DataFrame | None, column: str) -> pd.DataFrame:
    """The median, lowest and highest ``column`` (cost or duration) of the client's initiatives per effort score."""
    if client is None or column not in client or "effort" not in client:
        return pd.DataFrame(columns=["median", "low", "high"])
    known = client.dropna(subset=["effort", column])
    g = known.groupby(known["effort"].astype(int))[column]
    return pd.DataFrame({"median": g.median(), "low": g.min(), "high": g.max()}).astype(float)


def _ids(text) -> tuple[str, ...]:
    """Ids written in one cell, separated by commas or semicolons."""
    if not isinstance(text, str):
        return ()
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


def _product_bounds(a: pd.Series, a_low: pd.Series, a_high: pd.Series, b: float, b_low: float,
                    b_high: float) -> tuple[pd.Series, pd.Series, pd.Series]:
    corners = np.stack([a_low * b_low, a_low * b_high, a_high * b_low, a_high * b_high])
    return a * b, pd.Series(corners.min(axis=0), a.index), pd.Series(corners.max(axis=0), a.index)


def money_per_year(frame: pd.DataFrame, clv: tuple[float, float, float] | None) -> pd.DataFrame:
    """``value_per_year`` with ``_low`` and ``_high``: the saving plus retained customers × CLV (see the module).

    Parameters
    ----------
    frame : DataFrame
        With ``cost_per_year`` and ``customers_retained_per_year``, each with ``_low`` and ``_high``.
    clv : (value, low, high) or None
        Customer lifetime value in the client's currency, with its interval; ``None`` leaves
        retained customers out of the money.
    """
    out = pd.DataFrame(index=frame.index)
    parts = []
    cost = frame["cost_per_year"]
    if cost.notna().any():
        parts.append((-cost, -frame["cost_per_year_high"].fillna(cost), -frame["cost_per_year_low"].fillna(cost)))
    kept = frame["customers_retained_per_year"]
    if clv is not None and kept.notna().any():
        parts.append(_product_bounds(kept, frame["customers_retained_per_year_low"].fillna(kept),
                                     frame["customers_retained_per_year_high"].fillna(kept), *clv))
    for end, k in (("", 0), ("_low", 1), ("_high", 2)):
        terms = pd.concat([p[k] for p in parts], axis=1) if parts else pd.DataFrame(index=frame.index)
        out[f"value_per_year{end}"] = terms.sum(axis=1, min_count=1) if parts else np.nan
    return out


def initiative_list(client: pd.DataFrame | None, proposed: pd.DataFrame, scores: pd.DataFrame,
                    given: Mapping[str, Mapping[str, float]] | None = None,
                    clv: tuple[float, float, float] | None = None) -> pd.DataFrame:
    """Every initiative on one row, client's first, with its effects, scores, cost and duration.

    Parameters
    ----------
    client : DataFrame or None
        The ``initiatives`` table (id, name, area, effort, effect, cost, owner, duration, and
        optionally requires, excludes and candidate: the id of a candidate whose measured effects,
        reach and touchpoint the initiative carries; that candidate is then not listed again).
    proposed : DataFrame
        One row per candidate of steps 03–06, with the columns of :data:`PROPOSED_COLUMNS`:
        source is its step; the effects of :data:`EFFECT_KEYS` with ``_low`` and ``_high`` are NaN
        where not known.
    scores : DataFrame
        The workshop's scores (as :func:`score_summary` takes them); their means replace the
        client's own effort and effect scores.
    given : mapping of id to {"cost": …, "duration": …}, optional
        Cost and duration the workshop gave; they replace the client's.
    clv : (value, low, high), optional
        Customer lifetime value (:func:`money_per_year`).

    Returns
    -------
    DataFrame
        The columns of :data:`COLUMNS`, indexed by nothing (``id`` is a column).
    """
    rows = []
    if client is not None and len(client):
        own = client.reindex(columns=["id", "name", "area", "effort", "effect", "cost", "owner", "duration",
                                      "requires", "excludes", "candidate"])
        own = own.rename(columns={"effect": "rated_effect", "candidate": "measured_by"}).assign(
            source=CLIENT, cost_source=lambda x: np.where(x["cost"].notna(), CLIENT, None),
            duration_source=lambda x: np.where(x["duration"].notna(), CLIENT, None))
        own["requires"], own["excludes"] = own["requires"].map(_ids), own["excludes"].map(_ids)
        measured = proposed.set_index("id").drop(columns=["name", "source", "area", "owner"])
        linked = own["measured_by"].isin(measured.index)
        carried = measured.reindex(own["measured_by"]).set_axis(own.index)  # NaN where none is named
        own[carried.columns] = carried
        proposed = proposed[~proposed["id"].isin(own.loc[linked, "measured_by"])]  # listed once, as the client's
        rows.append(own)
    if len(proposed):
        rows.append(proposed.assign(requires=[()] * len(proposed), excludes=[()] * len(proposed)))
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=COLUMNS)
    table = table.reindex(columns=COLUMNS)
    table[["cost_source", "duration_source"]] = table[["cost_source", "duration_source"]].astype(object)
    table = table.astype({c: float for c in COLUMNS if c.startswith(EFFECT_KEYS) or c in (
        "reach_per_year", "rated_effect", "effort", "cost", "duration")})
    joined = table[["id"]].join(score_summary(scores), on="id")
    for column in ("effort", "rated_effect"):
        table[column] = joined[column].fillna(table[column])  # the workshop's score first, then the client's
    for column in ("effort_min", "effort_max", "effect_min", "effect_max", "scored_by"):
        table[column] = joined[column].astype(float)
    table["scored_by"] = table["scored_by"].fillna(0).astype(int)
    for column in ("cost", "duration"):
        for i, values in (given or {}).items():
            hit = (table["id"] == i) & (values.get(column) is not None)  # the workshop's replaces the client's
            table.loc[hit, column] = values.get(column)
            table.loc[hit, f"{column}_source"] = COST_SOURCES[1]
        estimate = by_effort(client, column)
        score = table["effort"].round()
        todo = table[column].isna() & score.isin(estimate.index)
        table.loc[todo, column] = score[todo].map(estimate["median"])
        if column == "cost":
            table.loc[todo, "cost_low"] = score[todo].map(estimate["low"])
            table.loc[todo, "cost_high"] = score[todo].map(estimate["high"])
        table.loc[todo, f"{column}_source"] = COST_SOURCES[2]
    table["cost_low"] = table["cost_low"].astype(float).fillna(table["cost"])
    table["cost_high"] = table["cost_high"].astype(float).fillna(table["cost"])
    money = money_per_year(table, clv)
    table[money.columns] = money
    table["confidence"] = confidence(table)
    return table


def confidence(table: pd.DataFrame) -> pd.Series:
    """RICE's confidence per initiative (:data:`CONFIDENCE`): 1 where a measured effect's interval
    excludes zero in the good direction, 0.8 where an effect is measured, 0.5 where it is only scored.
    """
    sure = (table["nps_points_low"] > 0) | (table["value_per_year_low"] > 0)
    measured = table["nps_points"].notna() | table["value_per_year"].notna()
    return pd.Series(np.select([sure, measured], [CONFIDENCE["interval_excludes_zero"], CONFIDENCE["measured"]],
                               CONFIDENCE["scored"]), index=table.index)


def groups(table: pd.DataFrame) -> dict[str, list[str]]:
    """Touchpoint → ids of the initiatives on it that were proposed by a step or given a touchpoint by
    the client, where two or more share it.
    """
    on = table.dropna(subset=["touchpoint"])
    return {str(tp): list(g["id"]) for tp, g in on.groupby("touchpoint", sort=True) if len(g) > 1}


def combined_effects(table: pd.DataFrame, members: Iterable[str],
                     keys: Iterable[str] = ("nps_points", "value_per_year")) -> dict[str, dict[str, float]]:
    """The effects of a group whose members act on the same problem.

    The rule: the group does at least what its best member does (full overlap: the others add
    nothing) and at most what all its members do together (no overlap). For each effect the
    estimate is the best member's value, the interval runs from that member's low bound to the
    sum of the members' high bounds.

    Returns
    -------
    dict
        Effect id → {"value", "low", "high"}; effects no member has are left out.
    """
    rows = table[table["id"].isin(list(members))]
    out = {}
    for key in keys:
        known = rows.dropna(subset=[key])
        if known.empty:
            continue
        best = known.loc[known[key].idxmax()]
        high = known[f"{key}_high"].fillna(known[key]).clip(lower=0).sum()
        out[key] = {"value": float(best[key]), "low": float(np.nan_to_num(best[f"{key}_low"], nan=best[key])),
                    "high": float(max(high, best[key]))}
    return out


def criteria(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The criteria of the weighted score (value, low, high), indexed by id.

    ``nps_points`` and ``value_per_year`` with their intervals; ``rated_effect`` and ``effort``
    (1–5) with the participants' lowest and highest scores as the interval.
    """
    table = table.set_index("id")
    value = table[["nps_points", "value_per_year", "rated_effect", "effort"]]
    low = pd.DataFrame({"nps_points": table["nps_points_low"], "value_per_year": table["value_per_year_low"],
                        "rated_effect": table["effect_min"], "effort": table["effort_min"]})
    high = pd.DataFrame({"nps_points": table["nps_points_high"], "value_per_year": table["value_per_year_high"],
                         "rated_effect": table["effect_max"], "effort": table["effort_max"]})
    return value.astype(float), low.astype(float), high.astype(float)


def method_inputs(table: pd.DataFrame) -> pd.DataFrame:
    """The inputs of RICE, ICE and WSJF as taken from the initiative list (NaN where one is not known).

    * RICE: reach = reach per year; impact = the effect score 1–5 on Intercom's scale 0.25, 0.5, 1,
      2, 3; confidence = :func:`confidence`; effort = duration in months (one team).
    * ICE: impact = 2 × effect score, confidence = 10 × RICE's confidence, ease = 2 × (6 − effort score).
    * WSJF: business value = effect score; time criticality and risk reduction = 1 each (not
      measured); job size = effort score.
    """
    effect = table["rated_effect"].round()
    impact = effect.map(lambda e: IMPACT_SCALE[int(e) - 1] if 1 <= e <= 5 else np.nan)
    duration = table["duration"].where(table["duration"] > 0)
    return pd.DataFrame({"id": table["id"], "reach": table["reach_per_year"], "impact": impact,
                         "confidence": table["confidence"], "person_months": duration,
                         "ice_impact": 2 * table["rated_effect"], "ice_confidence": 10 * table["confidence"],
                         "ease": 2 * (6 - table["effort"]), "business_value": table["rated_effect"],
                         "time_criticality": 1.0, "risk_reduction": 1.0, "job_size": table["effort"]})


def portfolio_effects(table: pd.DataFrame, chosen: Iterable[str], overlapping: Mapping[str, list[str]],
                      keys: Iterable[str] = ("nps_points", "value_per_year", "fte")) -> dict[str, dict[str, float]]:
    """The summed effects of the ``chosen`` initiatives, each group of ``overlapping`` counted by
    :func:`combined_effects` (its best member; up to the sum of its members).

    ``fte`` is counted as freed staff (−fte, its bounds swapped), so that more is better for every key.

    Returns
    -------
    dict
        Effect id → {"value", "low", "high"}, for the effects at least one chosen initiative has.
    """
    rows = table[table["id"].isin(list(chosen))].copy()
    rows["fte"], rows["fte_low"], rows["fte_high"] = -rows["fte"], -rows["fte_high"], -rows["fte_low"]
    keys = list(keys)
    in_group = {i: tp for tp, members in overlapping.items() for i in members}
    groups = ([i for i in rows["id"] if in_group.get(i) == tp] for tp in overlapping)
    parts = [combined_effects(rows, members, keys) for members in groups if members]
    alone = rows[~rows["id"].isin(list(in_group))]
    for key in keys:
        known = alone.dropna(subset=[key])
        if len(known):
            parts.append({key: {"value": known[key].sum(), "low": known[f"{key}_low"].fillna(known[key]).sum(),
                                "high": known[f"{key}_high"].fillna(known[key]).sum()}})
    out: dict[str, dict[str, float]] = {}
    for part in parts:
        for key, effect in part.items():
            total = out.setdefault(key, {"value": 0.0, "low": 0.0, "high": 0.0})
            for end in total:
                total[end] += float(effect[end])
    return out
