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
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from ..kpis import KPIS

TABLES = ("feedback", "contacts", "customers")
NPS_METHODS = ("adjusted-wald", "wald")
_DATE = {"feedback": "date", "contacts": "opened_at"}
_OUTPUT = ["kpi", "value", "low", "high", "n"]
_PSEUDO = (0.75, 1.5, 0.75)  # promoters, passives, detractors added by adjusted-Wald (Rocks 2016)
_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class Estimate:
    """A KPI value with its interval.

    ``value`` is in the KPI's unit; ``low``/``high`` bound the two-sided interval at the
    requested confidence, ``None`` where it is not defined (e.g. a mean of one answer);
    ``n`` counts the observations used. No observations gives ``Estimate(nan, None, None, 0)``.
    """

    value: float
    low: float | None
    high: float | None
    n: int


@dataclass(frozen=True)
class DiffResult:
    """NPS of sample a minus NPS of sample b, in points, with interval and two-sided z-test."""

    diff: float
    low: float
    high: float
    z: float
    p_value: float
    n_a: int
    n_b: int


@dataclass(frozen=True)
class Gap:
    """How far a KPI is from its target; see :func:`gap`."""

    gap: float
    met: bool
    met_within_ci: bool


class _Unavailable(ValueError):
    """The tables given cannot yield this KPI (missing table, column or dates)."""


class _Columns(NamedTuple):
    """value, low, high and n of every group (NaN bound = not defined)."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: np.ndarray


@dataclass(frozen=True)
class _Groups:
    """Rows numbered by group: ``codes[i]`` is the group of row i, ``keys`` one row per group."""

    codes: np.ndarray
    keys: pd.DataFrame

    @classmethod
    def single(cls, rows: int) -> _Groups:
        return cls(np.zeros(rows, dtype=np.intp), pd.DataFrame(index=range(1)))

    def count(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(self.codes[mask], minlength=len(self.keys)).astype(float)

    def total(self, values: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.bincount(self.codes[mask], weights=values[mask], minlength=len(self.keys))


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
        _z(self.confidence)
        if self.method not in NPS_METHODS:
            raise ValueError(f"method must be one of {', '.join(NPS_METHODS)}; got {self.method!r}")
        if not 0 < self.gross_margin <= 1:
            raise ValueError(f"gross_margin must be a share in (0, 1]; got {self.gross_margin}")
        if not 0 <= self.discount_rate < 1:
            raise ValueError(f"discount_rate must be a yearly rate in [0, 1); got {self.discount_rate}")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"start {self.start.date()} is after end {self.end.date()}")


# --- input checks ---------------------------------------------------------------------


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1; got {confidence}")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _column(frame: pd.DataFrame, table: str, name: str) -> pd.Series:
    if name not in frame.columns:
        raise _Unavailable(f"{table} has no column '{name}'")
    return frame[name]


def _numbers(values, name: str) -> np.ndarray:
    try:
        numeric = pd.to_numeric(pd.Series(values))
        return numeric.to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers ({exc})") from None


def _scores(values, name: str, lo: int, hi: int) -> np.ndarray:
    """Whole-number scores on lo…hi as floats, NaN for missing answers."""
    x = _numbers(values, f"{name} scores")
    known = ~np.isnan(x)
    bad = known & ((x < lo) | (x > hi) | (x != np.floor(x)))
    if bad.any():
        shown = ", ".join(f"{v:g}" for v in np.unique(x[bad])[:5])
        raise ValueError(f"{name} scores must be whole numbers {lo}–{hi}; got {shown} ({bad.sum()} invalid)")
    return x


def _amounts(values, name: str) -> np.ndarray:
    x = _numbers(values, name)
    if (x < 0).any():
        raise ValueError(f"{name} must be ≥ 0; got {np.nanmin(x):g}")
    return x


def _flags(values, name: str) -> np.ndarray:
    """Booleans as 1.0/0.0, NaN where unknown."""
    try:
        flags = pd.Series(values).astype("boolean")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be true/false values ({exc})") from None
    return flags.to_numpy(dtype="float64", na_value=np.nan)


def _timestamps(values, name: str) -> pd.Series:
    try:
        return pd.to_datetime(pd.Series(values))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be dates ({exc})") from None


def _day(value) -> pd.Timestamp | None:
    """A date (or anything ``pd.Timestamp`` reads) as midnight of that day."""
    return None if value is None else pd.Timestamp(value).normalize()


# --- statistics on arrays of groups -----------------------------------------------------


def _wilson(k: np.ndarray, n: np.ndarray, confidence: float) -> _Columns:
    """Share k/n with the Wilson (1927) score interval."""
    z2 = _z(confidence) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = (k + z2 / 2) / (n + z2)
        half = math.sqrt(z2) / (n + z2) * np.sqrt(k * (n - k) / n + z2 / 4)
        share = k / n
    return _Columns(share, np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1), n)


def _trinomial(promoters, passives, detractors):
    """n, net share (−1…1) and the variance of one answer scored +1/0/−1."""
    n = promoters + passives + detractors
    with np.errstate(invalid="ignore", divide="ignore"):
        p, d = promoters / n, detractors / n
    return n, p - d, p + d - (p - d) ** 2


def _nps_interval(promoters, passives, detractors, ctx: _Context) -> _Columns:
    n, net, _ = _trinomial(promoters, passives, detractors)
    shift = _PSEUDO if ctx.method == "adjusted-wald" else (0, 0, 0)
    n_c, centre, var = _trinomial(promoters + shift[0], passives + shift[1], detractors + shift[2])
    with np.errstate(invalid="ignore", divide="ignore"):
        half = _z(ctx.confidence) * np.sqrt(var / n_c)
    empty = n == 0
    low = np.where(empty, np.nan, 100 * np.clip(centre - half, -1, 1))
    high = np.where(empty, np.nan, 100 * np.clip(centre + half, -1, 1))
    return _Columns(100 * net, low, high, n)


def _mean_t(x: np.ndarray, groups: _Groups, confidence: float) -> _Columns:
    """Mean with Student's t interval (undefined below two observations)."""
    _z(confidence)
    known = ~np.isnan(x)
    n = groups.count(known)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = groups.total(x, known) / n
        squares = groups.total((x - mean[groups.codes]) ** 2, known)
        half = stats.t.ppf(0.5 + confidence / 2, n - 1) * np.sqrt(squares / (n - 1) / n)
    return _Columns(mean, mean - half, mean + half, n)


@dataclass(frozen=True)
class _GroupSorted:
    """Known values sorted within groups: group g holds ``values[first[g]:first[g] + n[g]]``;
    the last slot of ``values`` is NaN and stands for an undefined order statistic."""

    values: np.ndarray
    n: np.ndarray
    first: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, groups: _Groups) -> _GroupSorted:
        known = ~np.isnan(x)
        codes, values = groups.codes[known], x[known]
        order = np.argsort(values)  # then a stable sort by group (radix sort for small codes)
        small = np.uint16 if len(groups.keys) < 2**16 else np.intp
        order = order[np.argsort(codes[order].astype(small), kind="stable")]
        n = np.bincount(codes, minlength=len(groups.keys))
        return cls(np.append(values[order], np.nan), n, np.cumsum(n) - n)

    def at(self, rank: np.ndarray) -> np.ndarray:
        """The rank-th smallest value per group (1-based); NaN where rank is outside 1…n."""
        ok = (rank >= 1) & (rank <= self.n)
        return self.values[np.where(ok, self.first + rank - 1, len(self.values) - 1)]


def _quantile(data: _GroupSorted, q: float, confidence: float) -> _Columns:
    """Sample quantile (linear interpolation, numpy's default) with the distribution-free
    interval [x_(r), x_(s)] between order statistics: r and s are the binomial(n, q)
    quantiles at α/2 and 1 − α/2 (+1), so coverage ≥ confidence; a bound whose rank falls
    outside 1…n is undefined."""
    _z(confidence)
    if not 0 < q < 1:
        raise ValueError(f"q must lie strictly between 0 and 1; got {q}")
    n = data.n
    position = (n - 1) * q
    below = np.floor(position).astype(np.int64)
    lower, upper = data.at(below + 1), data.at(np.minimum(below + 2, n))
    value = lower + (position - below) * (upper - lower)
    alpha = 1 - confidence
    with np.errstate(invalid="ignore"):
        r = np.nan_to_num(stats.binom.ppf(alpha / 2, n, q)).astype(np.int64)
        s = np.nan_to_num(stats.binom.ppf(1 - alpha / 2, n, q)).astype(np.int64) + 1
    return _Columns(value, data.at(r), data.at(s), n.astype(float))


def _annual(share: np.ndarray, years: float) -> np.ndarray:
    """A share of a period of ``years`` as the share of a year at a constant hazard."""
    return 1 - (1 - share) ** (1 / years)


def _years(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Length of the inclusive period in years: exactly 1 for one calendar year, else days/365.25."""
    if end == start + pd.DateOffset(years=1) - _DAY:
        return 1.0
    return ((end - start).days + 1) / 365.25


# --- the KPI computations: (rows, groups, ctx) -> _Columns --------------------------------


def _nps_counts(x: np.ndarray, groups: _Groups):
    return groups.count(x >= 9), groups.count((x >= 7) & (x < 9)), groups.count(x <= 6)


def _nps_metric(rows, groups, ctx):
    x = _scores(_column(rows, "feedback", "nps"), "nps", 0, 10)
    return _nps_interval(*_nps_counts(x, groups), ctx)


def _top_box_metric(column, lo, hi, top, rows, groups, ctx):
    x = _scores(_column(rows, "feedback", column), column, lo, hi)
    return _wilson(groups.count(x >= top), groups.count(~np.isnan(x)), ctx.confidence)


def _ces_metric(rows, groups, ctx):
    return _mean_t(_scores(_column(rows, "feedback", "ces"), "ces", 1, 7), groups, ctx.confidence)


def _abandoned(contacts: pd.DataFrame) -> np.ndarray:
    if "abandoned" not in contacts.columns:
        return np.zeros(len(contacts), dtype=bool)
    return _flags(contacts["abandoned"], "abandoned") == 1


def _durations(contacts: pd.DataFrame, until: str) -> np.ndarray:
    """Seconds from opened_at to ``until``; NaN for abandoned contacts and missing times."""
    opened = _timestamps(_column(contacts, "contacts", "opened_at"), "opened_at")
    ended = _timestamps(_column(contacts, "contacts", until), until)
    seconds = (ended - opened).dt.total_seconds().to_numpy(dtype="float64", na_value=np.nan)
    early = seconds < 0
    if early.any():
        raise ValueError(f"contacts: {until} lies before opened_at in {early.sum()} rows")
    return np.where(_abandoned(contacts), np.nan, seconds)


def _time_metric(until, q, rows, groups, ctx):
    cached = ctx.sorted.get(until)  # the median and the p90 of one duration share one sort
    if cached is None or cached[0] is not groups:
        cached = ctx.sorted[until] = (groups, _GroupSorted.of(_durations(rows, until), groups))
    return _quantile(cached[1], q, ctx.confidence)


def _fcr_metric(rows, groups, ctx):
    resolved = _flags(_column(rows, "contacts", "resolved_first_contact"), "resolved_first_contact")
    used = ~np.isnan(resolved) & ~_abandoned(rows)
    return _wilson(groups.count(used & (resolved == 1)), groups.count(used), ctx.confidence)


def _abandonment_metric(rows, groups, ctx):
    abandoned = _flags(_column(rows, "contacts", "abandoned"), "abandoned")
    return _wilson(groups.count(abandoned == 1), groups.count(~np.isnan(abandoned)), ctx.confidence)


def _customer_dates(customers: pd.DataFrame, column: str, required: bool = False) -> pd.Series:
    if column not in customers.columns:
        if required:
            raise _Unavailable(f"customers has no column '{column}'")
        return pd.Series(pd.NaT, index=customers.index, dtype="datetime64[us]")
    return _timestamps(customers[column], column)


def _cohort(customers: pd.DataFrame, start, end):
    """Customers at risk at ``start`` (since ≤ start, or unknown, and not churned before
    start) and which of them churned within start…end."""
    since = _customer_dates(customers, "since")
    churned_at = _customer_dates(customers, "churned_at", required=True)
    at_risk = ~(since > start) & ~(churned_at < start)
    churned = at_risk & (churned_at < end + _DAY)
    return at_risk.to_numpy(), churned.to_numpy()


def _churn_metric(rows, groups, ctx):
    at_risk, churned = _cohort(rows, ctx.start, ctx.end)
    share = _wilson(groups.count(churned), groups.count(at_risk), ctx.confidence)
    years = _years(ctx.start, ctx.end)
    return _Columns(_annual(share.value, years), _annual(share.low, years), _annual(share.high, years), share.n)


def _retention_metric(rows, groups, ctx):
    churn = _churn_metric(rows, groups, ctx)
    return _Columns(1 - churn.value, 1 - churn.high, 1 - churn.low, churn.n)


def _clv_metric(rows, groups, ctx):
    at_risk, churned = _cohort(rows, ctx.start, ctx.end)
    revenue = _amounts(_column(rows, "customers", "annual_revenue"), "annual_revenue")
    known = at_risk & ~np.isnan(revenue)
    m, g, d = groups.count(known), ctx.gross_margin, ctx.discount_rate
    n, e = groups.count(at_risk), 1 / _years(ctx.start, ctx.end)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = groups.total(revenue, known) / m
        var_mean = groups.total((revenue - mean[groups.codes]) ** 2, known) / (m - 1) / m
        churn = groups.count(churned) / n
        r = (1 - churn) ** e  # yearly retention
        value = mean * g * r / (1 + d - r)
        d_mean = g * r / (1 + d - r)
        d_r = mean * g * (1 + d) / (1 + d - r) ** 2
        var_r = np.where((churn > 0) & (churn < 1), (e * (1 - churn) ** (e - 1)) ** 2 * churn * (1 - churn) / n, 0.0)
        half = _z(ctx.confidence) * np.sqrt(d_mean**2 * var_mean + d_r**2 * var_r)
    return _Columns(value, np.maximum(value - half, 0), value + half, n)


def _per_1000_metric(rows, groups, ctx):
    if ctx.customers is None:
        raise _Unavailable("contacts_per_1000_customers needs the customers table")
    customers = ctx.customers
    opened = _timestamps(_column(rows, "contacts", "opened_at"), "opened_at")
    contacts = groups.count(((opened >= ctx.start) & (opened < ctx.end + _DAY)).to_numpy())
    active = ~(_customer_dates(customers, "since") > ctx.end) & ~(_customer_dates(customers, "churned_at") < ctx.start)
    shared = [c for c in groups.keys.columns if c in customers.columns]
    if shared:
        counts = customers[active].groupby(shared, dropna=False).size().rename("_base").reset_index()
        base = groups.keys[shared].merge(counts, how="left", on=shared)["_base"].fillna(0).to_numpy(dtype=float)
    else:
        base = np.full(len(groups.keys), float(active.sum()))
    alpha = 1 - ctx.confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(base > 0, 1000 / (base * _years(ctx.start, ctx.end)), np.nan)
        low = np.where(contacts > 0, stats.chi2.ppf(alpha / 2, 2 * contacts) / 2, 0.0)
    high = stats.chi2.ppf(1 - alpha / 2, 2 * contacts + 2) / 2
    return _Columns(contacts * scale, low * scale, high * scale, base)


@dataclass(frozen=True)
class Metric:
    """How :func:`kpi_table` computes one KPI.

    ``compute(rows, groups, ctx)`` gives value, low, high and n for every group of rows of
    the KPI's table (:data:`cxlib.kpis.KPIS` names the table). A ``windowed`` metric measures
    over a period (start…end) instead of over dated rows: it gets the whole table, and the
    "month" dimension makes one period per calendar month.
    """

    compute: Callable[[pd.DataFrame, _Groups, _Context], _Columns]
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


def _estimate(columns: _Columns) -> Estimate:
    value, low, high, n = (float(c[0]) for c in columns)
    return Estimate(value, None if math.isnan(low) else low, None if math.isnan(high) else high, int(n))


def _one(compute, rows: pd.DataFrame, ctx: _Context) -> Estimate:
    return _estimate(compute(rows, _Groups.single(len(rows)), ctx))


def nps(scores, method: Literal["adjusted-wald", "wald"] = "adjusted-wald", confidence: float = 0.95) -> Estimate:
    """Net Promoter Score of 0–10 likelihood-to-recommend answers, in points (−100…100).

    Promoters answer 9–10, passives 7–8, detractors 0–6; missing answers are dropped.
    ``"adjusted-wald"`` adds 3 pseudo-answers (¾ promoter, 1½ passive, ¾ detractor) and
    centres a Wald interval on the adjusted score, with the trinomial variance of the adjusted
    shares over n + 3 (Rocks 2016, "Interval estimation for the 'net promoter score'",
    The American Statistician, arXiv:1601.07235; default of his R package NPS; MeasuringU,
    "Confidence intervals for Net Promoter Scores"). ``"wald"`` is
    NPS ± z·√((p_P + p_D − (p_P − p_D)²)/n). The value is always the plain NPS; bounds are
    clipped to −100…100 (for tiny n the adjusted interval may exclude the plain NPS).
    """
    x = _scores(scores, "nps", 0, 10)
    promoters, passives, detractors = (int(c[0]) for c in _nps_counts(x, _Groups.single(len(x))))
    return nps_from_counts(promoters, passives, detractors, method=method, confidence=confidence)


def nps_from_counts(
    promoters: int,
    passives: int,
    detractors: int,
    method: Literal["adjusted-wald", "wald"] = "adjusted-wald",
    confidence: float = 0.95,
) -> Estimate:
    """NPS in points (−100…100) from counts of promoters, passives and detractors; see :func:`nps`."""
    counts = (promoters, passives, detractors)
    if any(c < 0 or not float(c).is_integer() for c in counts):
        raise ValueError(f"counts must be whole numbers ≥ 0; got {counts}")
    ctx = _Context(confidence=confidence, method=method)
    return _estimate(_nps_interval(*(np.array([float(c)]) for c in counts), ctx))


def nps_difference(a, b, confidence: float = 0.95) -> DiffResult:
    """NPS(a) − NPS(b) in points for two independent samples of 0–10 answers.

    SE = 100·√(v_a/n_a + v_b/n_b) with v = p_P + p_D − (p_P − p_D)² of each sample (Wald,
    as in Rocks's ``nps_test``); z = diff/SE, two-sided p-value, interval diff ± z_crit·SE.
    """
    z_crit = _z(confidence)
    sides = []
    for scores in (a, b):
        x = _scores(scores, "nps", 0, 10)
        sides.append([v[0] for v in _trinomial(*_nps_counts(x, _Groups.single(len(x))))])
    (n_a, net_a, var_a), (n_b, net_b, var_b) = sides
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = 100 * (net_a - net_b)
        se = 100 * np.sqrt(var_a / n_a + var_b / n_b)
        z = diff / se
    low, high, p_value = diff - z_crit * se, diff + z_crit * se, 2 * stats.norm.sf(abs(z))
    return DiffResult(float(diff), float(low), float(high), float(z), float(p_value), int(n_a), int(n_b))


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
    contacts where it is known, with the Wilson interval."""
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
    start, end = _window("contacts", contacts, _day(start), _day(end))
    return _one(_per_1000_metric, contacts, _Context(confidence=confidence, start=start, end=end, customers=customers))


def churn_rate(customers: pd.DataFrame, start, end, confidence: float = 0.95) -> Estimate:
    """Yearly churn: share (0–1) of customers active at ``start`` who churned by ``end``.

    Active at start means since ≤ start (unknown since counts as active) and not churned
    before start; both days are inclusive. For a period other than one calendar year the
    share p of the period is annualised at a constant hazard, 1 − (1 − p)^(365.25/days),
    and so are the Wilson interval's bounds. ``n`` is the number of customers at start.
    """
    return _one(_churn_metric, customers, _Context(confidence=confidence, start=_day(start), end=_day(end)))


def retention_rate(customers: pd.DataFrame, start, end, confidence: float = 0.95) -> Estimate:
    """Yearly retention (0–1): 1 − :func:`churn_rate`, with the interval mirrored."""
    return _one(_retention_metric, customers, _Context(confidence=confidence, start=_day(start), end=_day(end)))


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
        confidence=confidence, start=_day(start), end=_day(end), gross_margin=gross_margin, discount_rate=discount_rate
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
        start=_day(start),
        end=_day(end),
        gross_margin=gross_margin,
        discount_rate=discount_rate,
        customers=tables.get("customers"),
    )
    prepared: dict[tuple[str, bool], tuple[pd.DataFrame, _Groups] | None] = {}
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
        except _Unavailable:
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
    their groups; ``None`` when a dimension is not available for this table."""
    frame, date = tables[table], _DATE.get(table)
    row_dims = [d for d in dims if not (windowed and d == "month")]
    if date and not windowed and (ctx.start is not None or ctx.end is not None):
        stamps = _timestamps(_column(frame, table, date), date)
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
            derived[dim] = _timestamps(frame[date], date).dt.to_period("M")
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


def _groups(rows: pd.DataFrame, dims: list[str]) -> _Groups:
    if not dims:
        return _Groups.single(len(rows))
    grouped = rows.groupby(dims, dropna=False, sort=True, observed=True)
    keys = grouped.size().index.to_frame(index=False)
    if "month" in keys.columns and isinstance(keys["month"].dtype, pd.PeriodDtype):
        keys["month"] = keys["month"].dt.strftime("%Y-%m")
    return _Groups(grouped.ngroup().to_numpy(), keys)


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
    year up to the last date seen in customers."""
    if table == "contacts":
        stamps = _timestamps(_column(frame, table, "opened_at"), "opened_at")
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
        raise _Unavailable(f"{table} has no dates to set a period; give start and end")
    start, end = _day(start), _day(end)
    if start > end:
        raise ValueError(f"start {start.date()} is after end {end.date()}")
    return start, end


def _frame(keys: pd.DataFrame, columns: _Columns) -> pd.DataFrame:
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
