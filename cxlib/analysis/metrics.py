"""KPI computations with honest statistics.

Computes every KPI of :data:`cxlib.kpis.KPIS` from the typed tables of
``docs/input-contract.md`` (pure functions, no I/O). Each value is an :class:`Estimate`:
the value, a two-sided interval (95 % unless ``confidence`` says otherwise) and the number
of observations used.

Units follow the catalogue: NPS in points (−100…100), shares 0–1, CES as a mean score 1–7,
times in seconds, contacts per 1 000 customers per year, CLV in the client's currency.

Conventions:

* Invalid input (a score off its scale, a missing column, a reply before its contact was
  opened, …) raises :class:`ValueError` naming the problem.
* No observations is not an error: the estimate is ``Estimate(nan, None, None, 0)``, which
  keeps tables of many small groups readable.
* :func:`kpi_table` computes any KPIs for any grouping through :data:`METRICS`, the one
  mapping from KPI id to computation. The single-KPI functions use the same computations.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Literal

import numpy as np
import pandas as pd

from ..kpis import KPIS
from ..stats import checks
from ..stats import nps as nps_stats
from ..stats.checks import ONE_DAY as _DAY
from ..stats.checks import period_years
from ..stats.intervals import Estimate, GroupEstimates, Groups, GroupSorted, garwood, mean_t, quantile, wilson
from ..stats.nps import DiffResult, nps, nps_difference, nps_from_counts

__all__ = ["Estimate", "DiffResult", "Gap", "Metric", "METRICS", "TABLES", "DIMENSIONS", "kpi_table", "gap", "nps",
           "nps_difference", "nps_from_counts", "csat", "ces", "ces_easy", "first_response_time", "resolution_time",
           "fcr", "abandonment", "contacts_per_1000_customers", "churn_rate", "retention_rate", "clv",
           "abandoned_contacts"]

TABLES = ("feedback", "contacts", "customers")
#: The dimensions the report groups KPIs by, each with a label ``dim.<dimension>`` (``by`` of
#: :func:`kpi_table` also takes any other column of the KPI's table).
DIMENSIONS = ("channel", "touchpoint", "segment", "month")
_DATE = {"feedback": "date", "contacts": "opened_at"}
_OUTPUT = ["kpi", "value", "low", "high", "n"]


@dataclass(frozen=True)
class Gap:
    """How far a KPI is from its target; see :func:`gap`."""

    gap: float
    met: bool
    met_within_ci: bool


@dataclass(frozen=True)
class _Context:
    """Options shared by all KPI computations; validated once here."""

    confidence: float = 0.95
    method: str = "adjusted-wald"
    start: pd.Timestamp | None = None  # period of windowed KPIs, both days inclusive
    end: pd.Timestamp | None = None
    gross_margin: float = 1.0
    discount_rate: float = 0.08
    customers: pd.DataFrame | None = None
    sorted: dict = field(default_factory=dict, compare=False, repr=False)  # sorts shared by quantile KPIs

    def __post_init__(self):
        checks.confidence_z(self.confidence)
        if self.method not in nps_stats.METHODS:
            raise ValueError(f"method must be one of {', '.join(nps_stats.METHODS)}; got {self.method!r}")
        if not 0 < self.gross_margin <= 1:
            raise ValueError(f"gross_margin must be a share in (0, 1]; got {self.gross_margin}")
        if not 0 <= self.discount_rate < 1:
            raise ValueError(f"discount_rate must be a yearly rate in [0, 1); got {self.discount_rate}")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"start {self.start.date()} is after end {self.end.date()}")


# --- periods -----------------------------------------------------------------------------


def _annual(share: np.ndarray, years: float) -> np.ndarray:
    """A share of a period of ``years`` as the share of a year at a constant hazard."""
    return 1 - (1 - share) ** (1 / years)


# --- the KPI computations: (rows, groups, ctx) -> GroupEstimates --------------------------------


def _nps_metric(rows, groups, ctx):
    x = checks.scores(checks.column(rows, "feedback", "nps"), "nps", 0, 10)
    return nps_stats.interval(*nps_stats.group_counts(x, groups), ctx.method, ctx.confidence)


def _top_box_metric(column, lo, hi, top, rows, groups, ctx):
    x = checks.scores(checks.column(rows, "feedback", column), column, lo, hi)
    return wilson(groups.count(x >= top), groups.count(~np.isnan(x)), ctx.confidence)


def _ces_metric(rows, groups, ctx):
    return mean_t(checks.scores(checks.column(rows, "feedback", "ces"), "ces", 1, 7), groups, ctx.confidence)


def abandoned_contacts(contacts: pd.DataFrame) -> np.ndarray:
    """Whether each contact was abandoned (False where the column is absent or the value unknown)."""
    if "abandoned" not in contacts.columns:
        return np.zeros(len(contacts), dtype=bool)
    return checks.flags(contacts["abandoned"], "abandoned") == 1


def _durations(contacts: pd.DataFrame, until: str) -> np.ndarray:
    """Seconds from opened_at to ``until``; NaN for abandoned contacts and missing times."""
    opened = checks.timestamps(checks.column(contacts, "contacts", "opened_at"), "opened_at")
    ended = checks.timestamps(checks.column(contacts, "contacts", until), until)
    seconds = (ended - opened).dt.total_seconds().to_numpy(dtype="float64", na_value=np.nan)
    early = seconds < 0
    if early.any():
        raise ValueError(f"contacts: {until} lies before opened_at in {early.sum()} rows")
    return np.where(abandoned_contacts(contacts), np.nan, seconds)


def _time_metric(until, q, rows, groups, ctx):
    cached = ctx.sorted.get(until)  # the median and the p90 of one duration share one sort
    if cached is None or cached[0] is not groups:
        cached = ctx.sorted[until] = (groups, GroupSorted.of(_durations(rows, until), groups))
    return quantile(cached[1], q, ctx.confidence)


def _fcr_metric(rows, groups, ctx):
    resolved = checks.flags(checks.column(rows, "contacts", "resolved_first_contact"), "resolved_first_contact")
    used = ~np.isnan(resolved) & ~abandoned_contacts(rows)
    return wilson(groups.count(used & (resolved == 1)), groups.count(used), ctx.confidence)


def _abandonment_metric(rows, groups, ctx):
    abandoned = checks.flags(checks.column(rows, "contacts", "abandoned"), "abandoned")
    return wilson(groups.count(abandoned == 1), groups.count(~np.isnan(abandoned)), ctx.confidence)


def _customer_dates(customers: pd.DataFrame, column: str, required: bool = False) -> pd.Series:
    if column not in customers.columns:
        if required:
            raise checks.Unavailable(f"customers has no column '{column}'")
        return pd.Series(pd.NaT, index=customers.index, dtype="datetime64[us]")
    return checks.timestamps(customers[column], column)


def churn_cohort(customers: pd.DataFrame, start, end):
    """Customers at risk at ``start`` (since ≤ start, or unknown, and not churned before
    start) and which of them churned within start…end.
    """
    since = _customer_dates(customers, "since")
    churned_at = _customer_dates(customers, "churned_at", required=True)
    at_risk = ~(since > start) & ~(churned_at < start)
    churned = at_risk & (churned_at < end + _DAY)
    return at_risk.to_numpy(), churned.to_numpy()


def _churn_metric(rows, groups, ctx):
    at_risk, churned = churn_cohort(rows, ctx.start, ctx.end)
    share = wilson(groups.count(churned), groups.count(at_risk), ctx.confidence)
    years = period_years(ctx.start, ctx.end)
    return GroupEstimates(_annual(share.value, years), _annual(share.low, years), _annual(share.high, years), share.n)


def _retention_metric(rows, groups, ctx):
    churn = _churn_metric(rows, groups, ctx)
    return GroupEstimates(1 - churn.value, 1 - churn.high, 1 - churn.low, churn.n)


def _clv_metric(rows, groups, ctx):
    at_risk, churned = churn_cohort(rows, ctx.start, ctx.end)
    revenue = checks.amounts(checks.column(rows, "customers", "annual_revenue"), "annual_revenue")
    known = at_risk & ~np.isnan(revenue)
    m, g, d = groups.count(known), ctx.gross_margin, ctx.discount_rate
    n, e = groups.count(at_risk), 1 / period_years(ctx.start, ctx.end)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = groups.total(revenue, known) / m
        var_mean = groups.total((revenue - mean[groups.codes]) ** 2, known) / (m - 1) / m
        churn = groups.count(churned) / n
        r = (1 - churn) ** e  # yearly retention
        value = mean * g * r / (1 + d - r)
        d_mean = g * r / (1 + d - r)
        d_r = mean * g * (1 + d) / (1 + d - r) ** 2
        var_r = np.where((churn > 0) & (churn < 1), (e * (1 - churn) ** (e - 1)) ** 2 * churn * (1 - churn) / n, 0.0)
        half = checks.confidence_z(ctx.confidence) * np.sqrt(d_mean**2 * var_mean + d_r**2 * var_r)
    return GroupEstimates(value, np.maximum(value - half, 0), value + half, n)


def _per_1000_metric(rows, groups, ctx):
    if ctx.customers is None:
        raise checks.Unavailable("contacts_per_1000_customers needs the customers table")
    customers = ctx.customers
    opened = checks.timestamps(checks.column(rows, "contacts", "opened_at"), "opened_at")
    contacts = groups.count(((opened >= ctx.start) & (opened < ctx.end + _DAY)).to_numpy())
    active = ~(_customer_dates(customers, "since") > ctx.end) & ~(_customer_dates(customers, "churned_at") < ctx.start)
    shared = [c for c in groups.keys.columns if c in customers.columns]
    if shared:
        counts = customers[active].groupby(shared, dropna=False).size().rename("_base").reset_index()
        base = groups.keys[shared].merge(counts, how="left", on=shared)["_base"].fillna(0).to_numpy(dtype=float)
    else:
        base = np.full(len(groups.keys), float(active.sum()))
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(base > 0, 1000 / (base * period_years(ctx.start, ctx.end)), np.nan)
    low, high = garwood(contacts, ctx.confidence)
    return GroupEstimates(contacts * scale, low * scale, high * scale, base)


@dataclass(frozen=True)
class Metric:
    """How :func:`kpi_table` computes one KPI.

    ``compute(rows, groups, ctx)`` gives value, low, high and n for every group of rows of
    the KPI's table (:data:`cxlib.kpis.KPIS` names the table). A ``windowed`` metric measures
    over a period (start…end) instead of over dated rows: it gets the whole table, and the
    "month" dimension makes one period per calendar month.
    """

    compute: Callable[[pd.DataFrame, Groups, _Context], GroupEstimates]
    windowed: bool = False


METRICS: dict[str, Metric] = {
    "nps": Metric(_nps_metric),
    "csat": Metric(partial(_top_box_metric, "csat", 1, 5, 4)),
    "ces": Metric(_ces_metric),
    "ces_easy": Metric(partial(_top_box_metric, "ces", 1, 7, 5)),
    "first_response_time_s": Metric(partial(_time_metric, "first_response_at", 0.5)),
    "first_response_time_p90_s": Metric(partial(_time_metric, "first_response_at", 0.9)),
    "resolution_time_s": Metric(partial(_time_metric, "closed_at", 0.5)),
    "resolution_time_p90_s": Metric(partial(_time_metric, "closed_at", 0.9)),
    "fcr": Metric(_fcr_metric),
    "abandonment": Metric(_abandonment_metric),
    "contacts_per_1000_customers": Metric(_per_1000_metric, windowed=True),
    "churn_rate": Metric(_churn_metric, windowed=True),
    "retention_rate": Metric(_retention_metric, windowed=True),
    "clv": Metric(_clv_metric, windowed=True),
}


# --- one KPI, one estimate -------------------------------------------------------------


def _one(compute, rows: pd.DataFrame, ctx: _Context) -> Estimate:
    return compute(rows, Groups.single(len(rows)), ctx).first()


def csat(scores, confidence: float = 0.95) -> Estimate:
    """CSAT: share (0–1) of 1–5 answers that are 4 or 5, with the Wilson interval."""
    return _one(METRICS["csat"].compute, pd.DataFrame({"csat": scores}), _Context(confidence=confidence))


def ces(scores, confidence: float = 0.95) -> Estimate:
    """CES: mean of 1–7 effort answers (higher = easier), with Student's t interval."""
    return _one(METRICS["ces"].compute, pd.DataFrame({"ces": scores}), _Context(confidence=confidence))


def ces_easy(scores, confidence: float = 0.95) -> Estimate:
    """Share (0–1) of 1–7 effort answers that are 5–7, with the Wilson interval."""
    return _one(METRICS["ces_easy"].compute, pd.DataFrame({"ces": scores}), _Context(confidence=confidence))


def first_response_time(contacts: pd.DataFrame, q: float = 0.5, confidence: float = 0.95) -> Estimate:
    """q-quantile of first_response_at − opened_at in seconds (median by default).

    Abandoned contacts and rows missing either time are left out. The interval is
    distribution-free: between two order statistics chosen from the binomial(n, q)
    distribution, so its coverage is at least ``confidence``.
    """
    return _one(partial(_time_metric, "first_response_at", q), contacts, _Context(confidence=confidence))


def resolution_time(contacts: pd.DataFrame, q: float = 0.5, confidence: float = 0.95) -> Estimate:
    """q-quantile of closed_at − opened_at in seconds; as :func:`first_response_time`."""
    return _one(partial(_time_metric, "closed_at", q), contacts, _Context(confidence=confidence))


def fcr(contacts: pd.DataFrame, confidence: float = 0.95) -> Estimate:
    """First-contact resolution: share (0–1) of resolved_first_contact among non-abandoned
    contacts where it is known, with the Wilson interval.
    """
    return _one(_fcr_metric, contacts, _Context(confidence=confidence))


def abandonment(contacts: pd.DataFrame, confidence: float = 0.95) -> Estimate:
    """Share (0–1) of contacts abandoned, among those where it is known, with the Wilson interval."""
    return _one(_abandonment_metric, contacts, _Context(confidence=confidence))


def contacts_per_1000_customers(
    contacts: pd.DataFrame, customers: pd.DataFrame, period=None, confidence: float = 0.95
) -> Estimate:
    """Contacts opened in the period per 1 000 customers per year.

    ``period`` is ``(start, end)`` or a :class:`cxlib.config.Period` (days inclusive);
    ``None`` spans the contacts' own dates. Customers count when active in the period
    (since ≤ end and not churned before start; unknown dates count as active). The value
    is contacts / customers / years × 1 000, years as in :func:`churn_rate`; the interval is
    the exact Poisson (Garwood) interval of the contact count, scaled alike; ``n`` is the
    number of customers.
    """
    start, end = (None, None) if period is None else _bounds(period)
    start, end = _window("contacts", contacts, checks.day(start), checks.day(end))
    return _one(_per_1000_metric, contacts, _Context(confidence=confidence, start=start, end=end, customers=customers))


def churn_rate(customers: pd.DataFrame, start, end, confidence: float = 0.95) -> Estimate:
    """Yearly churn: share (0–1) of customers active at ``start`` who churned by ``end``.

    Active at start means since ≤ start (unknown since counts as active) and not churned
    before start; both days are inclusive. For a period other than one calendar year the
    share p of the period is annualised at a constant hazard, 1 − (1 − p)^(365.25/days),
    and so are the Wilson interval's bounds. ``n`` is the number of customers at start.
    """
    return _one(_churn_metric, customers, _Context(confidence=confidence, start=checks.day(start), end=checks.day(end)))


def retention_rate(customers: pd.DataFrame, start, end, confidence: float = 0.95) -> Estimate:
    """Yearly retention (0–1): 1 − :func:`churn_rate`, with the interval mirrored."""
    return _one(
        _retention_metric, customers, _Context(confidence=confidence, start=checks.day(start), end=checks.day(end))
    )


def clv(
    customers: pd.DataFrame,
    start,
    end,
    gross_margin: float = 1.0,
    discount_rate: float = 0.08,
    confidence: float = 0.95,
) -> Estimate:
    """Customer lifetime value in currency: m·r/(1 + d − r).

    m = mean annual_revenue × gross_margin over the customers active at ``start``; r = yearly
    retention (:func:`retention_rate`); d = yearly discount rate. This is the constant-margin,
    constant-retention, infinite-horizon CLV of Gupta & Lehmann (2003, "Customers as assets",
    Journal of Interactive Marketing 17(1)). The interval is the delta method over the
    variance of the mean revenue and the binomial variance of the churn share, taken as
    independent, lower bound clipped at 0 (undefined with fewer than two revenues).
    """
    ctx = _Context(
        confidence=confidence, start=checks.day(start), end=checks.day(end),
        gross_margin=gross_margin, discount_rate=discount_rate,
    )
    return _one(_clv_metric, customers, ctx)


def gap(current: Estimate, target: float, better: Literal["higher", "lower"]) -> Gap:
    """Distance from ``current`` to ``target`` in KPI units, positive while improvement is needed.

    ``gap`` is target − value when higher is better, value − target when lower is better;
    ``met`` is gap ≤ 0; ``met_within_ci`` says the target lies inside the interval (an
    undefined bound is open; with no interval at all it is False), i.e. the data cannot tell
    the KPI apart from its target.
    An estimate without value gives ``Gap(nan, False, False)``.
    """
    if better not in ("higher", "lower"):
        raise ValueError(f"better must be 'higher' or 'lower'; got {better!r}")
    distance = float(target - current.value if better == "higher" else current.value - target)
    if math.isnan(distance):
        return Gap(distance, False, False)
    has_interval = current.low is not None or current.high is not None
    inside = has_interval and (current.low is None or current.low <= target) and (
        current.high is None or target <= current.high)
    return Gap(distance, distance <= 0, inside)


# --- many KPIs by any grouping ---------------------------------------------------------


def kpi_table(
    data: Mapping[str, pd.DataFrame],
    kpis: Sequence[str] | None = None,
    by: str | Sequence[str] | None = None,
    *,
    start=None,
    end=None,
    gross_margin: float = 1.0,
    discount_rate: float = 0.08,
    min_n: int = 1,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """KPIs by group, long form: columns ``[*by, "kpi", "value", "low", "high", "n"]``.

    ``data`` maps table names (feedback, contacts, customers; others are ignored) to typed
    frames. ``kpis`` defaults to every KPI of :data:`cxlib.kpis.KPIS`; a KPI whose table or
    column is missing is left out. ``by`` names dimensions: any column of the KPI's table,
    a customers column looked up through customer_id (e.g. segment for contacts), or
    "month" ("YYYY-MM" of feedback.date / contacts.opened_at; for windowed KPIs such as
    churn, one period per calendar month). A KPI whose table lacks a dimension is left out
    of that grouping; a dimension no table has is an error.

    ``start``/``end`` (days inclusive) filter feedback and contacts by date and set the period
    of windowed KPIs, which otherwise default to the contacts' dates (contacts per 1 000
    customers) or the year up to the last customer date (churn, retention, CLV).
    Missing dimension values form their own group. Groups with n < ``min_n`` keep their row
    with value/low/high NaN; an undefined bound is NaN. Rows are sorted by the dimensions,
    then in the order of ``kpis``.
    """
    tables = _tables(data)
    ids = _kpi_ids(kpis)
    dims = _dims(by, tables)
    if min_n < 0:
        raise ValueError(f"min_n must be ≥ 0; got {min_n}")
    ctx = _Context(
        confidence=confidence,
        start=checks.day(start),
        end=checks.day(end),
        gross_margin=gross_margin,
        discount_rate=discount_rate,
        customers=tables.get("customers"),
    )
    prepared: dict[tuple[str, bool], tuple[pd.DataFrame, Groups] | None] = {}
    parts = []
    for kpi in ids:
        table, metric = KPIS[kpi].table, METRICS[kpi]
        if table not in tables:
            continue
        key = (table, metric.windowed)
        if key not in prepared:
            prepared[key] = _prepare(table, tables, dims, ctx, metric.windowed)
        if prepared[key] is None:
            continue
        try:
            part = _evaluate(metric, table, *prepared[key], dims, ctx)
        except checks.Unavailable:
            continue
        parts.append(part.assign(kpi=kpi))
    return _finish(parts, dims, ids, min_n)


def _tables(data) -> dict[str, pd.DataFrame]:
    if not isinstance(data, Mapping):
        raise TypeError(f"data must map table names to DataFrames; got {type(data).__name__}")
    tables = {name: frame for name, frame in data.items() if name in TABLES}
    for name, frame in tables.items():
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"data['{name}'] must be a DataFrame; got {type(frame).__name__}")
    return tables


def _kpi_ids(kpis) -> list[str]:
    ids = list(KPIS) if kpis is None else [kpis] if isinstance(kpis, str) else list(dict.fromkeys(kpis))
    unknown = [k for k in ids if k not in KPIS]
    if unknown:
        raise ValueError(f"unknown KPI '{unknown[0]}'; known: {', '.join(KPIS)}")
    return ids


def _dims(by, tables) -> list[str]:
    dims = [] if by is None else [by] if isinstance(by, str) else list(by)
    if len(set(dims)) < len(dims):
        raise ValueError(f"by names a dimension twice: {dims}")
    clash = [d for d in dims if d in _OUTPUT]
    if clash:
        raise ValueError(f"'{clash[0]}' cannot be a dimension: it is an output column")
    known = {"month"}.union(*(frame.columns for frame in tables.values()))
    unknown = [d for d in dims if d not in known]
    if unknown:
        raise ValueError(f"no table has a column '{unknown[0]}' to group by ('month' is derived)")
    return dims


def _prepare(table, tables, dims, ctx, windowed):
    """The KPI table's rows (date-filtered unless windowed) with derived dimensions, and
    their groups; ``None`` when a dimension is not available for this table.
    """
    frame, date = tables[table], _DATE.get(table)
    row_dims = [d for d in dims if not (windowed and d == "month")]
    if date and not windowed and (ctx.start is not None or ctx.end is not None):
        stamps = checks.timestamps(checks.column(frame, table, date), date)
        keep = pd.Series(True, index=frame.index)
        if ctx.start is not None:
            keep &= stamps >= ctx.start
        if ctx.end is not None:
            keep &= stamps < ctx.end + _DAY
        frame = frame[keep.to_numpy()]
    customers = tables.get("customers")
    derived = {}
    for dim in row_dims:
        if dim in frame.columns:
            continue
        if dim == "month" and date in frame.columns:
            derived[dim] = checks.timestamps(frame[date], date).dt.to_period("M")
        elif (
            table != "customers"
            and customers is not None
            and dim in customers.columns
            and "customer_id" in frame.columns
            and "customer_id" in customers.columns
        ):
            derived[dim] = frame["customer_id"].map(customers.set_index("customer_id")[dim])
        else:
            return None
    if derived:
        frame = frame.assign(**derived)
    return frame, _groups(frame, row_dims)


def _groups(rows: pd.DataFrame, dims: list[str]) -> Groups:
    if not dims:
        return Groups.single(len(rows))
    grouped = rows.groupby(dims, dropna=False, sort=True, observed=True)
    keys = grouped.size().index.to_frame(index=False)
    if "month" in keys.columns and isinstance(keys["month"].dtype, pd.PeriodDtype):
        keys["month"] = keys["month"].dt.strftime("%Y-%m")
    return Groups(grouped.ngroup().to_numpy(), keys)


def _evaluate(metric: Metric, table, rows, groups, dims, ctx) -> pd.DataFrame:
    if not metric.windowed:
        return _frame(groups.keys, metric.compute(rows, groups, ctx))
    start, end = _window(table, rows, ctx.start, ctx.end)
    if "month" not in dims:
        return _frame(groups.keys, metric.compute(rows, groups, replace(ctx, start=start, end=end)))
    parts = []
    for month in pd.period_range(start, end, freq="M"):
        period = replace(ctx, start=max(start, month.start_time), end=min(end, month.end_time.normalize()))
        parts.append(_frame(groups.keys, metric.compute(rows, groups, period)).assign(month=str(month)))
    return pd.concat(parts, ignore_index=True)


def _bounds(period) -> tuple:
    return (period.start, period.end) if hasattr(period, "start") else tuple(period)


def _window(table, frame, start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period of a windowed KPI: as given, else contacts' first…last day, else the
    year up to the last date seen in customers.
    """
    if table == "contacts":
        stamps = checks.timestamps(checks.column(frame, table, "opened_at"), "opened_at")
        start = stamps.min() if start is None else start
        end = stamps.max() if end is None else end
    else:
        if end is None and start is None:
            end = pd.concat([_customer_dates(frame, "since"), _customer_dates(frame, "churned_at")]).max()
        if end is None:
            end = start + pd.DateOffset(years=1) - _DAY
        if start is None:
            start = end - pd.DateOffset(years=1) + _DAY
    if pd.isna(start) or pd.isna(end):
        raise checks.Unavailable(f"{table} has no dates to set a period; give start and end")
    start, end = checks.day(start), checks.day(end)
    if start > end:
        raise ValueError(f"start {start.date()} is after end {end.date()}")
    return start, end


def _frame(keys: pd.DataFrame, columns: GroupEstimates) -> pd.DataFrame:
    return keys.assign(value=columns.value, low=columns.low, high=columns.high, n=columns.n.astype(np.int64))


def _finish(parts, dims, ids, min_n) -> pd.DataFrame:
    columns = [*dims, *_OUTPUT]
    if not parts:
        empty = {c: pd.Series(dtype=float if c in ("value", "low", "high") else object) for c in columns}
        return pd.DataFrame(empty).astype({"n": np.int64})
    out = pd.concat(parts, ignore_index=True)
    if "month" in dims:
        out["month"] = out["month"].astype("string")
    out.loc[out["n"] < min_n, ["value", "low", "high"]] = np.nan
    order = out["kpi"].map({k: i for i, k in enumerate(ids)})
    out = out.assign(_order=order).sort_values([*dims, "_order"], kind="stable", na_position="last")
    return out[columns].reset_index(drop=True)
