"""Step 06, unnecessary demand: which contacts add no value for the customer, what do they cost, who can remove them?

:func:`view` classifies every contact as value demand, failure demand or unclear
(:mod:`cxlib.analysis.demand`): by its reason's label in the reasons table, with the workshop's
labels (``workshop/reasons.yaml``) on top, and for unlabelled reasons by rule (repeats within
``repeat_window_days``, contacts after a dropped digital journey). Step 05's saved
``failed_journey_contacts`` are used when step 05 ran on the same inputs into ``out_dir``; else
they are computed here with step 05's view. What failure demand ties up goes through step 04's
staffing model, and lands with the department that owns each root cause.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..analysis import demand, metrics, repeats
from ..analysis.avoidance import StaffModel
from ..i18n import t
from ..io.workshop import ReasonInputs, labelled_reasons, load_reasons
from ..io.workspace import Workspace, in_period, known_reasons, reason_touchpoints
from ..results import Candidate, Effect, Finding, ForeignResult, MissingResult, StepResult, load
from ..stats.checks import period_years
from ..stats.multitest import ALPHA
from . import REGISTRY, accessibility, friction
from .base import Filters, View, apply_filters, category, is_in
from .requires import requires

SPEC = REGISTRY["06_unnecessary_demand"]
TOP = 5
"""Most root causes, departments and reasons named in findings and in the waterfall."""


@dataclass(frozen=True)
class CustomerCodes:
    """Customers as integer codes 0…``size`` − 1, shared by the contacts, the answers and the customers table.

    The codes are those of the customers who contacted us; −1 marks an unknown customer, or one
    without contacts (an answer or a row of the customers table).
    """

    contacts: np.ndarray
    answers: np.ndarray | None
    table: np.ndarray | None
    size: int

    @classmethod
    def of(cls, contact_ids: pd.Series, feedback: pd.DataFrame | None, customers: pd.DataFrame | None) -> CustomerCodes:
        """The codes of ``contact_ids``, and of the answers' and customers' ``customer_id`` looked up among them."""
        codes, uniques = pd.factorize(contact_ids)
        known = pa.array(uniques, from_pandas=True)

        def lookup(frame: pd.DataFrame | None) -> np.ndarray | None:
            if frame is None or "customer_id" not in frame:
                return None
            ids = pa.array(frame["customer_id"], from_pandas=True).cast(known.type)
            return pc.fill_null(pc.index_in(ids, value_set=known), -1).to_numpy(zero_copy_only=False)

        return cls(codes, lookup(feedback), lookup(customers), len(uniques))

    def having(self, contacts: np.ndarray) -> np.ndarray:
        """Per code: the customer made one of the ``contacts`` (a mask over the contacts)."""
        out = np.zeros(self.size, dtype=bool)
        out[self.contacts[contacts & (self.contacts >= 0)]] = True
        return out

    def answers_of(self, customers: np.ndarray) -> np.ndarray:
        """Per answer: given by one of ``customers`` (a mask over the codes); none without answers' customer ids."""
        return np.zeros(0, bool) if self.answers is None else np.append(customers, False)[self.answers]

    def customers_of(self, customers: np.ndarray) -> np.ndarray:
        """Per row of the customers table: one of ``customers`` (a mask over the codes)."""
        return np.append(customers, False)[self.table]


class Demand(View):
    """Everything step 06 shows for one set of filters, each part computed when first used.

    ``repeat_window_days`` (``None``: client.yaml's) is the window of the repeat rule.
    ``labels`` given (the reason editor redrawing) replace the saved workshop labels.
    ``failed_journey_contacts`` given (contact_id per contact made after a dropped journey) is used
    as it is; else step 05's saved result in ``out_dir``, else step 05's view computes it.
    """

    SPEC = SPEC
    typical = demand.TYPICAL_FAILURE_SHARE
    """The failure share (0–1) practitioners typically report, drawn as a band."""
    STAGES = ((("coded", "reasons", "customers", "repeat"),
               ("staffing.load", "staffing.patience_s", "staffing.required", "model.cells", "failed_journeys",
                "after_dropout")),
              (("classes", "failure", "tied_up"),),
              (("rules", "pareto", "overall", "by_channel", "by_month", "per_1000", "tied_up_by_channel",
                "by_root_cause", "waterfall"),
               ("early", "cohort", "reference", "experience", "experience_scores", "experience_churn", "nps_answers",
                "by_department")),
              (("eliminations", "scenarios"),))

    def __init__(self, ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None,
                 out_dir: str | Path | None = None, repeat_window_days: float | None = None,
                 labels: ReasonInputs | None = None, failed_journey_contacts: pd.DataFrame | None = None):
        super().__init__(ws, filters=filters, lang=lang)
        self.out_dir = out_dir
        self.repeat_window_days = repeat_window_days or ws.config.repeat_window_days
        data = apply_filters(ws.tables, filters)
        for name, column in (("contacts", "opened_at"), ("feedback", "date")):
            if name in data:
                data[name] = in_period(data[name], column, self.start, self.end)
        contacts = data.get("contacts")
        if contacts is not None and len(contacts) and (self.start is None or self.end is None):
            self.start = self.start or contacts["opened_at"].min().date()
            self.end = self.end or contacts["opened_at"].max().date()
        self.scope = data
        self.contacts = contacts
        self.labels = labels if labels is not None else load_reasons(
            ws.root, known_reasons(ws.tables) or (), [d.id for d in ws.config.departments])
        self.given_failed = failed_journey_contacts
        self.departments = {d.id: d.name for d in ws.config.departments}
        self.names = {**self.names, **self.departments}  # tables name channels and departments

    # --- classification --------------------------------------------------------------------

    @requires("contacts")
    def reasons(self) -> pd.DataFrame:
        """Every reason with its label (the workshop's on top), suggestion, root cause and owner
        (:func:`~cxlib.analysis.demand.reason_table`), and ``from_workshop``.
        """
        labelled = labelled_reasons(self.scope.get("reasons"), self.labels)
        table = demand.reason_table(labelled, pd.Series(self.coded["reason"].cat.categories))
        return table.merge(labelled[["reason", "from_workshop"]], on="reason", how="left").assign(
            from_workshop=lambda x: x["from_workshop"].fillna(False).astype(bool))

    @requires("contacts")
    def coded(self) -> pd.DataFrame:
        """The contacts with reason and channel as categoricals, so that each text is hashed once."""
        return self.contacts.assign(**{column: category(self.contacts[column]) for column in ("reason", "channel")})

    @requires("contacts.customer_id")
    def customers(self) -> CustomerCodes:
        """Customer codes of the contacts, the answers and the customers table (:class:`CustomerCodes`)."""
        return CustomerCodes.of(self.contacts["customer_id"], self.scope.get("feedback"), self.scope.get("customers"))

    @requires("contacts.customer_id")
    def repeat(self) -> np.ndarray:
        """Per contact of an unlabelled reason: a repeat within the window (:func:`~cxlib.analysis.repeats.is_repeat`).

        Repeats are of the same reason, so only the unlabelled reasons' contacts are matched.
        """
        reason = self.coded["reason"]
        unlabelled = np.append(~reason.cat.categories.isin(self.reasons.loc[self.reasons["labelled"], "reason"]), False)
        codes = reason.cat.codes.to_numpy()
        return repeats.is_repeat(self.customers.contacts, np.where(unlabelled[codes], codes, -1),
                                 self.contacts["opened_at"].to_numpy("datetime64[ns]").view(np.int64),
                                 window_days=self.repeat_window_days)

    @cached_property
    def failed_journeys(self) -> tuple[pd.DataFrame | None, str]:
        """Contacts made after a dropped digital journey (contact_id, …), and where they came from."""
        if self.given_failed is not None:
            return self.given_failed, ""
        if self.contacts is None or "journeys" not in self.ws.tables:
            return None, t("f06.no_journeys", self.lang)
        try:
            if self.out_dir is None:
                raise MissingResult("no report folder given")
            saved = load(self.out_dir, friction.SPEC.name, workspace=str(self.ws.root), inputs=self.ws.fingerprint)
        except MissingResult as exc:
            computed = friction.view(self.ws, filters=self.filters, lang=self.lang).dropouts
            made = None if computed is None else computed.dropna(subset=["contact_id"])
            sentence = t("f06.source_foreign", self.lang) if isinstance(exc, ForeignResult) else t(
                "f06.source_computed", self.lang)
            return made, sentence
        return saved.table("failed_journey_contacts"), t(
            "f06.source_saved", self.lang, created=saved.created.strftime("%Y-%m-%d %H:%M"))

    @requires("contacts")
    def after_dropout(self) -> np.ndarray | None:
        """Per contact: made after a dropped digital journey; ``None`` when that is not known."""
        made = self.failed_journeys[0]
        if made is None or "contact_id" not in made:
            return None
        return is_in(self.contacts["contact_id"], made["contact_id"].dropna().astype(str))

    @requires("contacts")
    def classes(self) -> pd.DataFrame:
        """Per contact: demand (value, failure, unclear) and the rule that decided it."""
        return demand.classify(self.coded, self.reasons, repeat=self.repeat, after_dropout=self.after_dropout)

    @requires("contacts")
    def rules(self) -> pd.DataFrame:
        """Contacts per rule and class, with the share of all contacts."""
        return demand.rule_counts(self.classes)

    @requires("contacts")
    def unlabelled(self) -> pd.DataFrame:
        """The rows of :attr:`pareto` whose reason has no label yet, most contacts first."""
        return self.pareto[self.pareto["demand_type"].isna()].reset_index(drop=True)

    # --- measurement -----------------------------------------------------------------------

    @requires("contacts")
    def pareto(self) -> pd.DataFrame:
        """Contacts, handle time and cost per reason, most first, with the cumulative share."""
        return demand.pareto(self.coded, self.classes, self.reasons, self.config.channels, years=self.years or 1.0)

    @requires("contacts")
    def overall(self) -> pd.Series:
        """The failure share of all contacts (one row of :func:`~cxlib.analysis.demand.failure_share`)."""
        return demand.failure_share(self.coded, self.classes).iloc[0]

    @requires("contacts")
    def by_channel(self) -> pd.DataFrame:
        """The failure share per channel."""
        return demand.failure_share(self.coded, self.classes, by="channel")

    @requires("contacts")
    def by_month(self) -> pd.DataFrame:
        """The failure share per month."""
        return demand.failure_share(self.coded, self.classes, by="month")

    @requires("contacts.customer_id", "customers")
    def per_1000(self) -> metrics.Estimate:
        """Failure contacts per 1 000 customers per year, with the Garwood interval."""
        failure = self.contacts.loc[self.failure, ["opened_at"]]
        return metrics.contacts_per_1000_customers(failure, self.scope["customers"], (self.start, self.end))

    @property
    def per_1000_sentence(self) -> str:
        """:attr:`per_1000` as a sentence in the view's language (empty without it)."""
        if self.per_1000 is None:
            return ""
        e = self.per_1000
        return t("f06.per_1000", self.lang, value=self.fmt.value(e.value, "count"), low=self.fmt.value(e.low, "count"),
                 high=self.fmt.value(e.high, "count"), customers=self.fmt.value(e.n, "count"))

    @requires("contacts")
    def failure(self) -> np.ndarray:
        """Per contact: classified as failure demand."""
        return (self.classes["demand"] == "failure").to_numpy()

    # --- what it ties up -------------------------------------------------------------------

    @cached_property
    def staffing(self) -> accessibility.Accessibility:
        """Step 04's view of the same contacts: its staffing model prices failure demand."""
        scoped = dataclasses.replace(self.ws, tables={k: v for k, v in self.scope.items() if k != "journeys"})
        return accessibility.view(scoped, filters=self.filters, lang=self.lang)

    @requires("contacts.handle_time_s")
    def model(self) -> StaffModel:
        """Step 04's staffing of all contacts (:attr:`cxlib.steps.accessibility.Accessibility.pricing`)."""
        return self.staffing.pricing

    @requires("contacts.handle_time_s")
    def tied_up(self) -> dict:
        """Contacts, FTE and cost per year all failure demand ties up, with intervals, and per channel
        (:func:`~cxlib.analysis.demand.priced`).
        """
        rows = np.flatnonzero(self.failure)
        return demand.priced(self.model, self.model.demand_of(rows), float(len(rows)))

    @requires("contacts.handle_time_s")
    def tied_up_by_channel(self) -> pd.DataFrame:
        """Per channel: contacts, FTE and cost per year with and without failure demand."""
        return self.tied_up["channels"]

    def of_reason(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """Per contact, the code of ``column`` of the reasons table (root cause, owner) for its reason
        (−1 when none), and the values the codes stand for.
        """
        reason = self.coded["reason"]
        mapped = self.reasons.set_index("reason")[column].reindex(reason.cat.categories)
        codes, values = pd.factorize(mapped)
        return np.append(codes, -1)[reason.cat.codes.to_numpy()], pd.Index(values)

    def tied_up_by(self, column: str) -> pd.DataFrame:
        """:func:`~cxlib.analysis.demand.tied_up` of the failure contacts grouped by ``column`` of their reason."""
        codes, values = self.of_reason(column)
        return demand.tied_up(self.model, np.where(self.failure, codes, -1), values).rename(columns={"group": column})

    @requires("contacts.handle_time_s")
    def by_root_cause(self) -> pd.DataFrame:
        """What the failure contacts of each root cause tie up, with the owning department."""
        out = self.tied_up_by("root_cause")
        owners = self.reasons.dropna(subset=["root_cause"]).drop_duplicates("root_cause").set_index("root_cause")
        out.insert(1, "owner_department", out["root_cause"].map(owners["owner_department"]))
        return out

    @requires("contacts.handle_time_s")
    def by_department(self) -> pd.DataFrame:
        """What the failure contacts of each owning department tie up."""
        return self.tied_up_by("owner_department")

    @requires("contacts.handle_time_s")
    def waterfall(self) -> pd.DataFrame:
        """FTE now, then each of the :data:`TOP` root causes tying up most removed in turn
        (:func:`~cxlib.analysis.demand.cumulative_saving`).
        """
        causes = self.by_root_cause.head(TOP)["root_cause"].tolist()
        codes, values = self.of_reason("root_cause")
        masks = [self.failure & (codes == values.get_loc(cause)) for cause in causes]
        return demand.cumulative_saving(self.model, causes, masks)

    # --- experience ------------------------------------------------------------------------

    @requires("contacts.customer_id")
    def experience(self) -> pd.DataFrame:
        """NPS, CES and churn of customers with failure contacts against customers whose contacts were all
        value demand (:meth:`compare`).
        """
        return self.compare(self.failure)

    @requires("contacts.customer_id")
    def experience_scores(self) -> pd.DataFrame:
        """The NPS and CES rows of :attr:`experience`."""
        return self.experience[self.experience["kpi"] != "churn_rate"].reset_index(drop=True)

    @requires("contacts.customer_id", "customers.churned_at")
    def experience_churn(self) -> pd.DataFrame:
        """The churn row of :attr:`experience` (empty without customers at risk in a group)."""
        return self.experience[self.experience["kpi"] == "churn_rate"].reset_index(drop=True)

    @cached_property
    def landmark(self) -> pd.Timestamp:
        """The middle of the period: churn is compared after it, between groups formed before it."""
        start, end = pd.Timestamp(self.start), pd.Timestamp(self.end)
        return (start + (end - start) / 2).normalize()

    @requires("contacts")
    def early(self) -> np.ndarray:
        """Per contact: opened before the :attr:`landmark`."""
        return (self.contacts["opened_at"] < self.landmark).to_numpy()

    @cached_property
    def cohort(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Customers at risk at the :attr:`landmark` and which of them churned by the end; ``None`` without churn."""
        customers = self.scope.get("customers")
        if customers is None or "churned_at" not in customers:
            return None
        return metrics.churn_cohort(customers, self.landmark, pd.Timestamp(self.end))

    def value_only(self, among: np.ndarray) -> np.ndarray:
        """Per customer code: contacted us with ``among`` contacts, all of them value demand.

        The reference of :meth:`compare`: customers who never contacted us differ in more than failure
        demand (many left early in the period, before they had a reason to call).
        """
        other = among & (self.classes["demand"] != "value").to_numpy()
        return self.customers.having(among) & ~self.customers.having(other)

    @requires("contacts.customer_id")
    def reference(self) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`value_only` over the whole view and over the contacts before the :attr:`landmark`."""
        return self.value_only(np.ones(len(self.contacts), bool)), self.value_only(self.early)

    def compare(self, hits: np.ndarray) -> pd.DataFrame:
        """NPS and CES of the customers with a ``hits`` contact against the customers with only value contacts
        (:func:`~cxlib.analysis.demand.compare_scores`), and their churn after the :attr:`landmark` between
        groups formed from the contacts before it (:func:`~cxlib.analysis.demand.compare_churn`).
        """
        codes = self.customers
        whole, before = self.reference
        feedback = self.scope.get("feedback") if codes.answers is not None else None
        scores = demand.compare_scores(feedback, codes.answers_of(codes.having(hits)), codes.answers_of(whole))
        if self.cohort is None:
            return scores
        at_risk, churned = self.cohort
        exposed = codes.customers_of(codes.having(hits & self.early))[at_risk]
        churn = demand.compare_churn(churned[at_risk], exposed, codes.customers_of(before)[at_risk])
        return pd.concat([scores, churn], ignore_index=True) if len(churn) else scores

    @cached_property
    def nps_answers(self) -> int:
        """NPS answers in the view (the weight of a group's answers in overall NPS)."""
        feedback = self.scope.get("feedback")
        return 0 if feedback is None or "nps" not in feedback else int(feedback["nps"].notna().sum())

    # --- elimination scenarios -------------------------------------------------------------

    @requires("contacts.handle_time_s")
    def eliminations(self) -> list[demand.Elimination]:
        """The top failure reasons at 50 % and 100 % removal (worded here) and the client's own scenarios."""
        defaults = [dataclasses.replace(e, name=t("c06.eliminate", self.lang, share=self.fmt.value(e.share, "share"),
                                                  reason=e.reason))
                    for e in demand.default_eliminations(self.pareto)]
        own = [demand.Elimination(s.id, s.name, s.share, s.reason, s.root_cause, s.owner)
               for s in self.ws.scenarios.demand_elimination]
        return defaults + own

    @requires("contacts.handle_time_s")
    def scenarios(self) -> pd.DataFrame:
        """One row per elimination (:func:`~cxlib.analysis.demand.evaluate`)."""
        return pd.DataFrame([self.evaluate(e) for e in self.eliminations],
                            columns=[*demand.SCENARIO_COLUMNS, "customers_per_year"])

    def evaluate(self, elimination: demand.Elimination) -> dict:
        """What ``elimination`` changes with this view's classification and staffing
        (:func:`~cxlib.analysis.demand.evaluate`), and ``customers_per_year``: the customers it reaches (share
        × the customers with a contact it acts on, per year; NaN without customer ids).
        """
        hits = demand.targeted(elimination, self.coded, self.classes, self.reasons)
        owner = elimination.owner
        if owner is None:
            codes, owners = self.of_reason("owner_department")
            counts = np.bincount(codes[hits & (codes >= 0)], minlength=len(owners))
            owner = owners[counts.argmax()] if counts.any() else None
        comparison = None if self.customers is None else self.compare(hits)
        churn_years = period_years(self.landmark.date(), self.end)
        row = demand.evaluate(self.model, dataclasses.replace(elimination, owner=owner), hits, comparison,
                              nps_answers=self.nps_answers, churn_years=churn_years)
        customers = np.nan if self.customers is None else float(self.customers.having(hits).sum())
        return {**row, "customers_per_year": elimination.share * customers / (self.years or 1.0)}

    # --- other inputs ----------------------------------------------------------------------

    SHARED = ("coded", "customers", "failed_journeys", "after_dropout", "staffing", "model", "landmark", "early",
              "cohort", "nps_answers")
    """The parts that neither the repeat window nor the reason labels change."""

    def with_inputs(self, *, repeat_window_days: float | None = None, labels: ReasonInputs | None = None) -> Demand:
        """The same view with another repeat window (days) or other reason labels, sharing the data and
        every part computed so far that they do not change (:attr:`SHARED`, and the reasons when the labels stay).
        """
        labels = self.labels if labels is None else labels
        keep = set(self.SHARED) | ({"reasons"} if labels == self.labels else set())
        return self.variant(keep, repeat_window_days=repeat_window_days or self.repeat_window_days, labels=labels)

    @requires("contacts")
    def editable(self) -> pd.DataFrame:
        """The reasons without a type in the client's reasons table, for the workshop to label: reason,
        contacts, suggested, the labels in force (demand_type, root_cause, owner_department) and the
        client's own (own_demand_type, …), most contacts first.
        """
        own = demand.reason_table(self.scope.get("reasons"), pd.Series(self.coded["reason"].cat.categories))
        labels = ["demand_type", "root_cause", "owner_department"]
        table = self.pareto[["reason", "contacts"]].merge(self.reasons[["reason", *labels, "from_workshop"]],
                                                          on="reason")
        table = table.merge(own[["reason", "suggested", *labels]].rename(columns={k: f"own_{k}" for k in labels}),
                            on="reason")
        return table[table["reason"].isin(own.loc[~own["labelled"], "reason"])].reset_index(drop=True)

    # --- result ----------------------------------------------------------------------------

    @cached_property
    def candidates(self) -> list[Candidate]:
        """A candidate per elimination scenario, owned by the department of its root cause."""
        return list(_elimination_candidates(self))

    def result(self) -> StepResult:
        """Findings, candidates and the tables later steps use."""
        return self.step_result(tables={
            "reasons": self.reasons, "rules": self.rules, "pareto": self.pareto, "by_channel": self.by_channel,
            "by_month": self.by_month, "tied_up_by_channel": self.tied_up_by_channel,
            "by_root_cause": self.by_root_cause,
            "by_department": self.by_department, "experience": self.experience, "scenarios": self.scenarios})

    def department(self, department: str | None) -> str:
        """The department's name from client.yaml (its id when not listed; ``–`` when none)."""
        if department is None or pd.isna(department):
            return "–"
        return self.departments.get(department, str(department))

    @property
    def source(self) -> str:
        """Where the contacts after dropped journeys came from, as a sentence in the view's language."""
        return self.failed_journeys[1]


def view(ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None, out_dir: str | Path | None = None,
         repeat_window_days: float | None = None, labels: ReasonInputs | None = None,
         failed_journey_contacts: pd.DataFrame | None = None) -> Demand:
    """Unnecessary demand of workspace ``ws``; see :class:`Demand`."""
    return Demand(ws, filters=filters, lang=lang, out_dir=out_dir, repeat_window_days=repeat_window_days,
                  labels=labels, failed_journey_contacts=failed_journey_contacts)


# --- findings ------------------------------------------------------------------------------

def _share(v: Demand) -> Iterator[Finding]:
    if v.overall is None or not v.overall["contacts"]:
        return
    row = v.overall
    low, high = demand.TYPICAL_FAILURE_SHARE
    yield v.finding("failure_share", "f06.share", estimate=row, share=v.fmt.value(row["value"], "share"),
                    low=v.fmt.value(row["low"], "share"), high=v.fmt.value(row["high"], "share"),
                    n=v.fmt.value(row["failure"], "count"), typical_low=v.fmt.value(low, "share"),
                    typical_high=v.fmt.value(high, "share"))
    if row["unclear"]:
        yield v.finding("unclear", "f06.unclear", estimate=float(row["unclear_share"]),
                        n=v.fmt.value(row["unclear"], "count"), share=v.fmt.value(row["unclear_share"], "share"),
                        at_most=v.fmt.value(row["at_most"], "share"),
                        reasons=v.fmt.listing(v.unlabelled.head(TOP)["reason"]))


def _rules(v: Demand) -> Iterator[Finding]:
    if v.rules is None:
        return
    by_rule = v.rules[v.rules["demand"] == "failure"].set_index("rule")["contacts"]
    repeat, dropout = (float(by_rule.get(rule, 0)) for rule in ("repeat", "after_dropout"))
    if repeat or dropout:
        yield v.finding("rules", "f06.rules", estimate=repeat + dropout, repeat=v.fmt.value(repeat, "count"),
                        dropout=v.fmt.value(dropout, "count"), days=v.fmt.number(v.repeat_window_days, 0))
    suggested = v.reasons[v.reasons["suggested"] == "failure"]["reason"]
    if len(suggested):
        yield v.finding("suggested", "f06.suggested", count=len(suggested), reasons=v.fmt.listing(suggested))


def _top_reason(v: Demand) -> Iterator[Finding]:
    if v.scenarios is None:
        return
    whole = v.scenarios[(v.scenarios["share"] == 1.0) & v.scenarios["reason"].notna()]
    if whole.empty:
        return
    row = whole.loc[whole["fte"].idxmin()]  # removing all of it saves most
    yield v.finding(f"reason_{row['reason']}", "f06.reason", estimate={
        "value": -row["fte"], "low": -row["fte_high"], "high": -row["fte_low"]}, reason=row["reason"],
        fte=v.fmt.number(-row["fte"], 1), low=v.fmt.number(-row["fte_high"], 1), high=v.fmt.number(-row["fte_low"], 1),
        cost=v.fmt.value(-row["cost_per_year"], "currency"), contacts=v.fmt.value(row["contacts_per_year"], "count"),
        owner=v.department(row["owner"]))


def _tied_up(v: Demand) -> Iterator[Finding]:
    if v.tied_up is None:
        return
    tied = v.tied_up
    yield v.finding("tied_up", "f06.tied_up", estimate={"value": tied["fte"], "low": tied["fte_low"],
                    "high": tied["fte_high"]}, fte=v.fmt.number(tied["fte"], 1), low=v.fmt.number(tied["fte_low"], 1),
                    high=v.fmt.number(tied["fte_high"], 1), cost=v.fmt.value(tied["cost_per_year"], "currency"),
                    cost_low=v.fmt.value(tied["cost_per_year_low"], "currency"),
                    cost_high=v.fmt.value(tied["cost_per_year_high"], "currency"))


def _departments(v: Demand) -> Iterator[Finding]:
    if v.by_department is None or v.by_department.empty:
        return
    rows = v.by_department.head(3)
    yield v.finding("departments", "f06.departments", estimate=float(rows["fte"].iloc[0]),
                    departments=v.fmt.listing(f"{v.department(r.owner_department)} {v.fmt.number(r.fte, 1)}"
                                              for r in rows.itertuples()))


EXPERIENCE_KEYS = {("nps", True): "f06.experience_nps", ("nps", False): "f06.experience_nps_ns",
                   ("churn_rate", True): "f06.experience_churn", ("churn_rate", False): "f06.experience_churn_ns"}
"""The finding's label per KPI and whether its difference is significant."""


def _experience(v: Demand) -> Iterator[Finding]:
    if v.experience is None or v.experience.empty:
        return
    rows = v.experience.set_index("kpi")
    for kpi, unit in (("nps", "points"), ("churn_rate", "share")):
        if kpi not in rows.index:
            continue
        row = rows.loc[kpi]
        key = EXPERIENCE_KEYS[kpi, bool(row["p_value"] < ALPHA)]
        yield v.finding(f"experience_{kpi}", key, estimate={"value": row["diff"], "low": row["low"],
                        "high": row["high"]}, kpi=kpi,
                        exposed=v.fmt.value(row["exposed"], unit), reference=v.fmt.value(row["reference"], unit),
                        diff=v.fmt.value(row["diff"], "points" if kpi == "nps" else "share_change"),
                        low=v.fmt.value(row["low"], "points" if kpi == "nps" else "share_change"),
                        high=v.fmt.value(row["high"], "points" if kpi == "nps" else "share_change"),
                        p=v.fmt.p(row["p_value"]), n=v.fmt.value(row["n_exposed"], "count"))


Demand.FINDINGS = (_share, _rules, _tied_up, _top_reason, _departments, _experience)


def share_findings(v: Demand) -> list[Finding]:
    """The findings on how much demand is failure and how much is unclear (for the reason editor)."""
    return list(_share(v))


# --- candidates ----------------------------------------------------------------------------

def _elimination_candidates(v: Demand) -> Iterator[Candidate]:
    if v.scenarios is None:
        return
    by_reason, by_root_cause = reason_touchpoints(v.scope), reason_touchpoints(v.scope, by="root_cause")
    for row in v.scenarios.to_dict("records"):
        effects = {}
        for key in ("contacts_per_year", "fte", "cost_per_year", "nps_points", "customers_retained_per_year"):
            if not pd.isna(row[key]):
                sign = -1 if key == "contacts_per_year" else 1  # removed contacts are fewer contacts
                low, high = sorted((sign * row[f"{key}_low"], sign * row[f"{key}_high"]))
                effects[key] = Effect(value=sign * row[key], low=low, high=high)
        yield Candidate(id=f"06-eliminate-{row['id']}", name=row["name"], area="demand", source_step=SPEC.name,
                        mechanism="failure_demand", owner=None if pd.isna(row["owner"]) else str(row["owner"]),
                        effects=effects, reach_per_year=row["customers_per_year"],
                        touchpoint=by_reason.get(row["reason"]) or by_root_cause.get(row["root_cause"]))
