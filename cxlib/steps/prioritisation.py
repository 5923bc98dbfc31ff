"""Step 07, prioritisation: what do we do first?

:func:`view` puts the client's initiatives and the candidates that steps 03–06 saved in
``out_dir`` on one list (:mod:`cxlib.analysis.initiatives`), with the workshop's scores
(``workshop/priorities.yaml``) on top. It ranks them by a weighted score over normalised
criteria, or by RICE, ICE or WSJF (:mod:`cxlib.analysis.scoring`), says how sure the order is
(:mod:`cxlib.analysis.stability`), prices each (payback and NPV, :mod:`cxlib.analysis.payback`),
chooses the best set within the budget (:mod:`cxlib.analysis.portfolio`) and schedules it over
quarters (:mod:`cxlib.analysis.roadmap`). Weights, budget and method come from client.yaml's
``prioritisation``, with the workshop's on top; a widget passes its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis import initiatives as lists
from ..analysis import payback, portfolio, roadmap, scoring, stability
from ..config import PRIORITY_CRITERIA, PRIORITY_METHODS
from ..errors import Problem
from ..i18n import family_key, t, t_n
from ..io.workshop import PriorityInputs, load_priorities
from ..io.workspace import Workspace
from ..results import Finding, StepResult
from . import REGISTRY, current_state
from .base import Filters, View, saved_results

SPEC = REGISTRY["07_prioritisation"]
PROPOSING = ("03_insight", "04_accessibility", "05_friction", "06_unnecessary_demand")
"""The steps whose saved candidates are ranked."""
LOWER_IS_BETTER = ("effort",)
"""Criteria where less is better."""
EFFECT_CRITERIA = ("nps_points", "value_per_year", "rated_effect")
"""The criteria of the effect score on the matrix's vertical axis."""
REPORTED_POSITIONS = 10
"""Runs of positions whose order is open are reported when they start within this many places."""
FRONTIER_POINTS = 12
"""Budgets the frontier is solved for, from nothing to the cost of every priced initiative."""


class Prioritisation(View):
    """Everything step 07 shows, each part computed when first used.

    ``weights``, ``budget`` and ``method`` given (a widget) replace client.yaml's and the
    workshop's; ``inputs`` given replaces the saved workshop inputs.
    """

    SPEC = SPEC

    def __init__(self, ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None,
                 out_dir: str | Path | None = None, inputs: PriorityInputs | None = None,
                 weights: Mapping[str, float] | None = None, budget: float | None = None,
                 method: str | None = None):
        super().__init__(ws, filters=filters, lang=lang)
        self.out_dir = out_dir
        self.scope = ws.tables
        self.settings = ws.config.prioritisation
        self.inputs = inputs if inputs is not None else load_priorities(ws.root)
        self.weights = dict(weights or self.inputs.weights or self.settings.weights)
        scoring.weights_of(self.weights, PRIORITY_CRITERIA)  # validated before anything is computed
        self.budget = budget if budget is not None else (
            self.inputs.budget if self.inputs.budget is not None else self.settings.budget)
        self.method = method or self.settings.method
        _check_method(self.method)
        self.departments = {d.id: d.name for d in ws.config.departments}
        sources = {lists.CLIENT: t("f07.client", self.lang), **{s: t(REGISTRY[s].title_key, self.lang)
                                                                for s in PROPOSING}}
        self.names = {**self.names, **self.departments, **sources}  # tables name channels, departments, sources

    SHARED = ("saved", "clv", "proposed")
    """The parts that no setting of the widgets changes."""
    LISTED = ("initiatives", "unknown_links", "groups", "group_table", "criteria", "agreement")
    """The parts that only the workshop inputs change."""

    def with_settings(self, *, weights: Mapping[str, float] | None = None, budget: float | None = None,
                      method: str | None = None, inputs: PriorityInputs | None = None) -> Prioritisation:
        """The same view with other weights, budget, ranking method or workshop inputs, sharing every part
        computed so far that they do not change.
        """
        inputs = self.inputs if inputs is None else inputs
        weights = dict(weights or self.weights)
        scoring.weights_of(weights, PRIORITY_CRITERIA)
        method = _check_method(method or self.method)
        keep = set(self.SHARED) | (set(self.LISTED) if inputs == self.inputs else set())
        return self.variant(keep, weights=weights, budget=self.budget if budget is None else budget, method=method,
                            inputs=inputs)

    # --- the initiative list -----------------------------------------------------------------

    @cached_property
    def saved(self) -> dict[str, StepResult | None]:
        """The saved result of each proposing step, ``None`` where it has not run on these inputs into ``out_dir``."""
        return saved_results(self.out_dir, self.ws, PROPOSING)

    @property
    def source(self) -> str:
        """Which steps' candidates are on the list, as a sentence in the view's language."""
        missing = [t(REGISTRY[s].title_key, self.lang) for s, r in self.saved.items() if r is None]
        if not missing:
            return t("f07.source_all", self.lang)
        return t_n("f07.source_missing", len(missing), self.lang, steps=", ".join(missing))

    @cached_property
    def clv(self) -> tuple[float, float, float] | None:
        """Customer lifetime value (value, low, high) from step 01, the client's currency; ``None`` if not known."""
        if "feedback" in self.ws.tables:
            kpis, _ = current_state.baseline(self.out_dir, self.ws, lang=self.lang)
        else:  # nothing to compute step 01 from: its saved result or nothing
            saved = saved_results(self.out_dir, self.ws, [current_state.SPEC.name])[current_state.SPEC.name]
            if saved is None:
                return None
            kpis = saved.kpi_frame()
        row = kpis[kpis["kpi"] == "clv"]
        if row.empty or pd.isna(row["value"].iloc[0]):
            return None
        value, low, high = (float(row[c].iloc[0]) for c in ("value", "low", "high"))
        return value, (value if np.isnan(low) else low), (value if np.isnan(high) else high)

    @cached_property
    def proposed(self) -> pd.DataFrame:
        """One row per saved candidate: id, name, source, area, owner, touchpoint, mechanism, reach and effects."""
        rows = []
        for step, result in self.saved.items():
            for c in result.candidates if result is not None else ():
                row = {"id": c.id, "name": c.name, "source": step, "area": c.area, "owner": c.owner,
                       "touchpoint": c.touchpoint, "mechanism": c.mechanism, "reach_per_year": c.reach_per_year}
                for key in lists.EFFECT_KEYS:
                    effect = c.effects.get(key)
                    row[key] = np.nan if effect is None else effect.value
                    row[f"{key}_low"] = np.nan if effect is None or effect.low is None else effect.low
                    row[f"{key}_high"] = np.nan if effect is None or effect.high is None else effect.high
                rows.append(row)
        return pd.DataFrame(rows, columns=lists.PROPOSED_COLUMNS)

    @cached_property
    def initiatives(self) -> pd.DataFrame:
        """The initiative list (:func:`~cxlib.analysis.initiatives.initiative_list`)."""
        given = {i: {"cost": e.cost, "duration": e.duration} for i, e in self.inputs.initiatives.items()}
        return lists.initiative_list(self.scope.get("initiatives"), self.proposed, self.inputs.score_table(),
                                     given=given, clv=self.clv)

    @cached_property
    def unknown_links(self) -> list[Problem]:
        """The ``requires``, ``excludes`` and ``candidate`` cells of the initiatives table that name an id not
        on the list (a typo, or a candidate no step proposed from these data); those links are left out.
        """
        table, proposed = self.initiatives, set(self.proposed["id"])
        known = set(table["id"])
        file = self.ws.files.get("initiatives")
        name = file.name if file else "initiatives"
        client = [(position, row) for position, row in enumerate(table.to_dict("records"))
                  if row["source"] == lists.CLIENT]
        problems = [Problem(name, position + 2, column, ", ".join(row[column]),
                            "ids of initiatives on the list (the initiatives table or the candidates of steps 03–06),"
                            f" separated by commas; not on it: {', '.join(i for i in row[column] if i not in known)}")
                    for position, row in client for column in ("requires", "excludes")
                    if any(i not in known for i in row[column])]
        problems += [Problem(name, position + 2, "candidate", row["measured_by"],
                             "the id of a candidate that steps 03–06 saved in this report folder, or nothing")
                     for position, row in client
                     if isinstance(row["measured_by"], str) and row["measured_by"] not in proposed]
        return problems

    @property
    def links_sentence(self) -> str:
        """The links left out (:attr:`unknown_links`) as a sentence in the view's language; empty when none."""
        if not self.unknown_links:
            return ""
        return t_n("f07.unknown_links", len(self.unknown_links), self.lang,
                   problems="; ".join(str(p) for p in self.unknown_links))

    @cached_property
    def agreement(self) -> pd.DataFrame:
        """Per initiative the workshop scored: name, participants, the mean, lowest and highest effort and
        effect (1–5), and the comments (``participant: comment``), most recently scored first.
        """
        scores = self.inputs.score_table()
        summary = lists.score_summary(scores)
        names = dict(zip(self.initiatives["id"], self.initiatives["name"]))
        said = scores[scores["comment"].astype(str).str.len() > 0]
        comments = (said["participant"].astype(str) + ": " + said["comment"].astype(str)).groupby(
            said["initiative"]).agg("; ".join)
        latest = scores.groupby("initiative")["at"].max()
        table = summary.assign(name=[names.get(i, i) for i in summary.index],
                               comments=comments.reindex(summary.index).fillna(""),
                               latest=latest.reindex(summary.index))
        return table.sort_values("latest", ascending=False).rename_axis("id").reset_index()

    @cached_property
    def groups(self) -> dict[str, list[str]]:
        """Touchpoint → ids of the initiatives acting on it, whose effects overlap."""
        return lists.groups(self.initiatives)

    @cached_property
    def group_table(self) -> pd.DataFrame:
        """One row per group: touchpoint, members, and the combined NPS points and money per year (each with
        low and high; :func:`~cxlib.analysis.initiatives.combined_effects`).
        """
        rows = []
        names = dict(zip(self.initiatives["id"], self.initiatives["name"]))
        for touchpoint, members in self.groups.items():
            effects = lists.combined_effects(self.initiatives, members)
            row = {"touchpoint": touchpoint, "members": len(members), "names": "; ".join(names[m] for m in members)}
            for key in ("nps_points", "value_per_year"):
                effect = effects.get(key, {})
                row.update({key: effect.get("value", np.nan), f"{key}_low": effect.get("low", np.nan),
                            f"{key}_high": effect.get("high", np.nan)})
            rows.append(row)
        return pd.DataFrame(rows, columns=["touchpoint", "members", "names", "nps_points", "nps_points_low",
                                           "nps_points_high", "value_per_year", "value_per_year_low",
                                           "value_per_year_high"])

    # --- ranking ---------------------------------------------------------------------------

    @cached_property
    def criteria(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The criteria (value, low, high) of each initiative (:func:`~cxlib.analysis.initiatives.criteria`)."""
        return lists.criteria(self.initiatives)

    @cached_property
    def stability(self) -> stability.Stability | None:
        """The weighted score's order and how it moves under sampled weights and effects (``None``: no initiatives)."""
        value, low, high = self.criteria
        if value.empty:
            return None
        return stability.rank_stability(value, self.weights, low=low, high=high, lower_is_better=LOWER_IS_BETTER,
                                        samples=self.settings.samples, spread=self.settings.weight_spread,
                                        top_k=self.settings.top_k, seed=self.settings.seed)

    @cached_property
    def scores(self) -> pd.DataFrame:
        """Per initiative: the method inputs (:func:`~cxlib.analysis.initiatives.method_inputs`) and the scores
        ``weighted`` (0–1), ``rice``, ``ice`` and ``wsjf`` (NaN where an input is not known).
        """
        inputs = lists.method_inputs(self.initiatives)
        value, _, _ = self.criteria
        weighted = scoring.weighted_score(value, self.weights, LOWER_IS_BETTER) if len(value) else pd.Series(
            dtype=float)
        out = inputs.assign(weighted=inputs["id"].map(weighted))

        def where_known(columns, score):
            known = out[list(columns)].notna().all(axis=1)
            result = pd.Series(np.nan, index=out.index)
            if known.any():
                result[known] = score(*(out.loc[known, c].to_numpy(float) for c in columns))
            return result

        out["rice"] = where_known(("reach", "impact", "confidence", "person_months"), scoring.rice)
        out["ice"] = where_known(("ice_impact", "ice_confidence", "ease"), scoring.ice)
        out["wsjf"] = where_known(("business_value", "time_criticality", "risk_reduction", "job_size"), scoring.wsjf)
        return out

    @property
    def formula(self) -> str:
        """The weighted score's formula with the weights in force, as a sentence in the view's language."""
        w = scoring.weights_of(self.weights, PRIORITY_CRITERIA)
        weights = ", ".join(f"{t(family_key('criterion', c), self.lang)} {self.fmt.value(share, 'share')}"
                            for c, share in zip(PRIORITY_CRITERIA, w) if share > 0)
        return t("f07.formula", self.lang, weights=weights, method=t(family_key("method", self.method), self.lang))

    @property
    def draws(self) -> str:
        """How the stability was sampled (draws, seed, weight spread), as a sentence in the view's language."""
        spread, settings = self.settings.weight_spread, self.settings
        if spread is None:
            return t("f07.draws_full", self.lang, samples=settings.samples, seed=settings.seed)
        return t("f07.draws_near", self.lang, samples=settings.samples, seed=settings.seed,
                 spread=self.fmt.value(spread, "share"))

    @property
    def method_scores(self) -> pd.DataFrame:
        """:attr:`scores` with each initiative's name, in the order of :attr:`ranking`."""
        named = self.scores.assign(name=self.initiatives["name"].to_numpy())
        return named.set_index("id").loc[self.ranking["id"]].reset_index()

    @cached_property
    def ranking(self) -> pd.DataFrame:
        """The initiatives in the order of the chosen method (unknown scores last): id, name, source, owner,
        score, rank, and for the weighted score p_top, rank_low, rank_median, rank_high (:attr:`stability`).
        """
        table = self.initiatives[["id", "name", "source", "owner"]].assign(
            score=self.scores[self.method].to_numpy())
        table = table.sort_values("score", ascending=False, kind="stable", na_position="last").reset_index(drop=True)
        table["rank"] = np.where(table["score"].notna(), np.arange(1, len(table) + 1), np.nan)
        columns = ["p_top", "rank_low", "rank_median", "rank_high"]
        if self.method == "weighted" and self.stability is not None:
            return table.merge(self.stability.table[["id", *columns]], on="id", how="left")
        return table.assign(**dict.fromkeys(columns, np.nan))

    @cached_property
    def matrix(self) -> pd.DataFrame:
        """Effort (1–5) against the effect score (0–1, the weighted score of the effect criteria), with
        whiskers and the quadrant, for the initiatives with an effort score.
        """
        value, low, high = self.criteria
        weights = {c: w for c, w in self.weights.items() if c in EFFECT_CRITERIA}
        if not any(w > 0 for w in weights.values()) or value.empty:
            weights = dict.fromkeys(EFFECT_CRITERIA, 1.0)
        effect = value[list(EFFECT_CRITERIA)]
        # the effect score at every effect's low (high) bound, the others' values being where the bounds lie
        scored = scoring.weighted_score(pd.concat([effect, low[list(EFFECT_CRITERIA)].fillna(effect),
                                                   high[list(EFFECT_CRITERIA)].fillna(effect)]), weights)
        n = len(effect)
        table = self.initiatives[["id", "name", "source", "effort", "effort_min", "effort_max"]].assign(
            effect_score=scored.iloc[:n].to_numpy(), effect_low=scored.iloc[n:2 * n].to_numpy(),
            effect_high=scored.iloc[2 * n:].to_numpy())
        table = table[table["effort"].notna()].reset_index(drop=True)
        if table.empty:
            return table.assign(quadrant=pd.Series(dtype=object))
        table["quadrant"] = scoring.quadrant(table["effort"].to_numpy(), table["effect_score"].to_numpy(),
                                             *self.thresholds(table))
        return table

    def thresholds(self, table: pd.DataFrame) -> tuple[float, float]:
        """The effort and effect thresholds of the quadrants: client.yaml's, else the medians of ``table``."""
        effort = self.settings.effort_threshold
        effect = self.settings.effect_threshold
        return (float(table["effort"].median()) if effort is None else effort,
                float(table["effect_score"].median()) if effect is None else effect)

    # --- cost–benefit, portfolio, roadmap ----------------------------------------------------

    @cached_property
    def payback(self) -> pd.DataFrame:
        """Per priced initiative with money per year: payback in months and NPV over the horizon, each with
        its interval (low: the high cost and the low benefit; high: the reverse).
        """
        table = self.initiatives.dropna(subset=["cost", "value_per_year"])
        table = table[["id", "name", "source", "cost", "cost_low", "cost_high", "cost_source", "value_per_year",
                       "value_per_year_low", "value_per_year_high"]].reset_index(drop=True)
        years, rate = self.settings.horizon_years, self.config.discount_rate
        low_benefit = table["value_per_year_low"].fillna(table["value_per_year"])
        high_benefit = table["value_per_year_high"].fillna(table["value_per_year"])
        return table.assign(
            payback_months=payback.payback_months(table["cost"], table["value_per_year"]),
            payback_months_low=payback.payback_months(table["cost_low"], high_benefit),
            payback_months_high=payback.payback_months(table["cost_high"], low_benefit),
            npv=payback.npv(table["cost"], table["value_per_year"], years, rate),
            npv_low=payback.npv(table["cost_high"], low_benefit, years, rate),
            npv_high=payback.npv(table["cost_low"], high_benefit, years, rate))

    @cached_property
    def priced(self) -> pd.DataFrame:
        """The initiatives that can enter the portfolio: a score and a one-off cost known."""
        table = self.initiatives.assign(score=self.scores[self.method].to_numpy())
        return table.dropna(subset=["score", "cost"])

    def offer(self) -> tuple[dict[str, float], dict[str, float]]:
        """The values (scores of the method in force) and one-off costs of the priced initiatives, by id."""
        ids = self.priced["id"]
        return dict(zip(ids, self.priced["score"])), dict(zip(ids, self.priced["cost"]))

    def constraints(self) -> dict:
        """``requires``, ``excludes`` and ``groups`` among the priced initiatives, as
        :func:`~cxlib.analysis.portfolio.best_portfolio` takes them.
        """
        ids = set(self.priced["id"])
        pairs = {name: [(row["id"], other) for row in self.priced.to_dict("records") for other in row[name]
                        if other in ids] for name in ("requires", "excludes")}
        return {**pairs, "groups": [[i for i in members if i in ids] for members in self.groups.values()]}

    @cached_property
    def portfolio(self) -> portfolio.Portfolio | None:
        """The best set within the budget; ``None`` without a budget."""
        if self.budget is None:
            return None
        return portfolio.best_portfolio(*self.offer(), self.budget, **self.constraints())

    @cached_property
    def portfolio_effects(self) -> dict[str, dict[str, float]]:
        """The chosen set's NPS points, money per year and FTE freed, groups counted once
        (:func:`~cxlib.analysis.initiatives.portfolio_effects`); empty without a portfolio.
        """
        if self.portfolio is None:
            return {}
        return lists.portfolio_effects(self.initiatives, self.portfolio.chosen, self.groups)

    @property
    def portfolio_table(self) -> pd.DataFrame | None:
        """The chosen initiatives in ranking order: id, name, source, owner, cost, NPS points and money per year."""
        if self.portfolio is None:
            return None
        chosen = self.initiatives.set_index("id").loc[[i for i in self.ranking["id"] if i in self.portfolio.chosen]]
        return chosen.reset_index()[["id", "name", "source", "owner", "cost", "nps_points", "value_per_year"]]

    @cached_property
    def frontier(self) -> pd.DataFrame | None:
        """The best set for budgets from 0 to the cost of every priced initiative
        (:func:`~cxlib.analysis.portfolio.frontier`), with the names that enter and leave.
        """
        priced = self.priced
        if priced.empty:
            return None
        total = float(priced["cost"].sum())
        budgets = np.linspace(0, total, FRONTIER_POINTS + 1)[1:]
        if self.budget is not None:
            budgets = np.append(budgets, self.budget)
        table = portfolio.frontier(*self.offer(), np.unique(budgets), **self.constraints())
        names = dict(zip(priced["id"], priced["name"]))
        return table.assign(**{f"{column}_names": table[column].map(lambda ids: "; ".join(names[i] for i in ids))
                               for column in ("entered", "left")})

    @cached_property
    def roadmap(self) -> pd.DataFrame | None:
        """The chosen initiatives over quarters in ranking order (:func:`~cxlib.analysis.roadmap.schedule`), with
        their names; ``None`` without a portfolio. An initiative without a duration takes one quarter.
        """
        if self.portfolio is None or not self.portfolio.chosen:
            return None
        chosen = set(self.portfolio.chosen)
        table = self.initiatives.set_index("id")
        order = [i for i in self.ranking["id"] if i in chosen]
        durations = {i: float(np.nan_to_num(table.loc[i, "duration"], nan=roadmap.QUARTER_MONTHS)) for i in order}
        requires = [(i, other) for i in order for other in table.loc[i, "requires"]]
        owners = {i: (None if pd.isna(table.loc[i, "owner"]) else str(table.loc[i, "owner"])) for i in order}
        planned = roadmap.schedule(durations, order, requires=requires, owners=owners,
                                   capacity=self.settings.capacity_per_quarter)
        quarter = {q: t("chart.quarter", self.lang, n=q + 1) for q in range(planned["end_quarter"].max() + 1)}
        return planned.assign(name=planned["id"].map(table["name"]), start=planned["start_quarter"].map(quarter),
                              end=planned["end_quarter"].map(quarter),
                              months=planned["end_month"] - planned["start_month"])

    def result(self) -> StepResult:
        """Findings and the tables step 08 uses: the list, the ranking, payback, the portfolio and the roadmap."""
        return self.step_result(tables={
            "initiatives": self.initiatives.drop(columns=["requires", "excludes"]), "ranking": self.ranking,
            "matrix": self.matrix, "payback": self.payback, "groups": self.group_table,
            "portfolio": self.portfolio_table, "roadmap": self.roadmap})


def _check_method(method: str) -> str:
    """``method``, one of :data:`~cxlib.config.PRIORITY_METHODS`; else a ValueError naming them."""
    if method not in PRIORITY_METHODS:
        raise ValueError(f"method must be one of {', '.join(PRIORITY_METHODS)}; got {method!r}")
    return method


def view(ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None, out_dir: str | Path | None = None,
         inputs: PriorityInputs | None = None, weights: Mapping[str, float] | None = None,
         budget: float | None = None, method: str | None = None) -> Prioritisation:
    """Prioritisation of workspace ``ws``; see :class:`Prioritisation`."""
    return Prioritisation(ws, filters=filters, lang=lang, out_dir=out_dir, inputs=inputs, weights=weights,
                          budget=budget, method=method)


# --- findings ------------------------------------------------------------------------------

def _quick_wins(v: Prioritisation) -> Iterator[Finding]:
    wins = v.matrix[v.matrix["quadrant"] == scoring.QUADRANTS[0]] if len(v.matrix) else v.matrix
    if len(wins):
        names = "; ".join(wins.sort_values("effect_score", ascending=False)["name"].head(5))
        yield v.finding("quick_wins", "f07.quick_wins", estimate=float(len(wins)), count=len(wins), names=names)


def _stable_top(v: Prioritisation) -> Iterator[Finding]:
    if v.method != "weighted" or v.stability is None or len(v.stability.table) < 2:
        return
    top = stability.settled_top(v.stability)
    blocks = stability.open_blocks(v.stability)
    names = "; ".join(v.ranking["name"].head(max(top, 1)))
    if top:
        yield v.finding("stable_top", "f07.stable_top", estimate=float(top), count=top, names=names,
                        level=v.fmt.value(stability.SETTLED, "share"))
    else:
        yield v.finding("stable_top", "f07.no_stable_top", estimate=0.0, name=names,
                        share=v.fmt.value(float(v.stability.table["p_top"].iloc[0]), "share"), k=v.stability.top_k)
    for first, last in [b for b in blocks if b[0] <= REPORTED_POSITIONS][:3]:
        yield v.finding(f"open_{first}_{last}", "f07.open_block", first=first, last=last)
    tau = v.stability.tau_summary
    yield v.finding("tau", "f07.tau", estimate=tau["median"], median=v.fmt.number(tau["median"], 2),
                    low=v.fmt.number(tau["low"], 2))


def _portfolio(v: Prioritisation) -> Iterator[Finding]:
    if v.portfolio is None:
        yield v.finding("portfolio", "f07.no_budget")
        return
    effects = v.portfolio_effects
    none = {"value": None, "low": None, "high": None}
    nps, money = effects.get("nps_points", none), effects.get("value_per_year", none)
    yield v.finding("portfolio", "f07.portfolio", estimate=float(len(v.portfolio.chosen)),
                    count=len(v.portfolio.chosen), budget=v.fmt.value(v.budget, "currency"),
                    cost=v.fmt.value(v.portfolio.cost, "currency"),
                    **{f"nps{end}": v.fmt.value(nps[key], "points_change") for key, end in (
                        ("value", ""), ("low", "_low"), ("high", "_high"))},
                    **{f"money{end}": v.fmt.value(money[key], "currency") for key, end in (
                        ("value", ""), ("low", "_low"), ("high", "_high"))})


def _unscored(v: Prioritisation) -> Iterator[Finding]:
    waiting = v.initiatives[(v.initiatives["source"] != lists.CLIENT) & v.initiatives["cost"].isna()]
    if len(waiting):
        yield v.finding("unscored", "f07.unscored", estimate=float(len(waiting)), count=len(waiting))


Prioritisation.FINDINGS = (_quick_wins, _stable_top, _portfolio, _unscored)
