"""What every step view shares: the filters, the period, findings and the saved result.

A step module defines a :class:`View` subclass and a ``view(ws, *, filters, lang, **options)``
factory. The view computes each part when it is first used (widgets only pay for what they
draw), lists its finding builders in ``FINDINGS`` and says what the step saves in
:meth:`View.result`. A notebook that shows every part calls :meth:`View.compute` first, which
computes the independent chains of parts in ``CHAINS`` side by side.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..i18n import Format, t, t_n
from ..io.workspace import Workspace, keep_rows
from ..stats.checks import period_years
from ..results import Candidate, Finding, KpiValue, StepResult, load_all, records
from . import StepSpec
from .requires import Requires


@dataclass(frozen=True)
class Filters:
    """What slice of the data to look at; ``None`` means all."""

    start: dt.date | None = None
    end: dt.date | None = None
    channel: str | None = None
    segment: str | None = None

    @classmethod
    def from_parameters(cls, start: str = "", end: str = "", channel: str = "", segment: str = "") -> Filters:
        """Filters from notebook parameters: ``YYYY-MM-DD`` dates and ids, empty meaning all."""
        return cls(dt.date.fromisoformat(start) if start else None, dt.date.fromisoformat(end) if end else None,
                   channel or None, segment or None)


def apply_filters(tables: dict[str, pd.DataFrame], filters: Filters) -> dict[str, pd.DataFrame]:
    """The tables restricted to ``filters.channel`` and ``filters.segment`` (the period is left to the views)."""
    out = dict(tables)
    if filters.channel is not None:
        for name in ("feedback", "contacts"):
            if name in out:
                out[name] = keep_rows(out[name], out[name]["channel"] == filters.channel)
    if filters.segment is not None:
        if "customers" in out and "segment" in out["customers"]:
            out["customers"] = keep_rows(out["customers"], out["customers"]["segment"] == filters.segment)
        if "feedback" in out and "segment" in out["feedback"]:
            out["feedback"] = keep_rows(out["feedback"], out["feedback"]["segment"] == filters.segment)
        if "contacts" in out and "customers" in out and "customer_id" in out["contacts"]:
            out["contacts"] = keep_rows(out["contacts"], is_in(out["contacts"]["customer_id"],
                                                              out["customers"]["customer_id"]))
    return out


def is_in(values: pd.Series, allowed) -> np.ndarray:
    """``values.isin(allowed)`` for text ids through Arrow (pandas loops in Python over Arrow strings)."""
    column = pa.array(values, from_pandas=True)
    found = pc.is_in(column, value_set=pa.array(allowed.dropna(), from_pandas=True).cast(column.type))
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def category(values: pd.Series) -> pd.Categorical:
    """``values`` as a categorical in order of appearance, each value hashed once (:func:`pandas.factorize`)."""
    codes, uniques = pd.factorize(values)
    return pd.Categorical.from_codes(codes, pd.Index(uniques))


def saved_results(out_dir, ws: Workspace, steps: Iterable[str]) -> dict[str, StepResult | None]:
    """The saved result of each of ``steps`` in report folder ``out_dir``, ``None`` where that step has not run
    on this workspace's current inputs into it (or ``out_dir`` is ``None``).
    """
    if out_dir is None:
        return dict.fromkeys(steps)
    return load_all(out_dir, list(steps), workspace=str(ws.root), inputs=ws.fingerprint)


FindingBuilder = Callable[["View"], Iterable[Finding]]


class View(Requires):
    """One step's view of a workspace for one set of filters, in one language.

    Subclasses set ``SPEC`` (their :data:`~cxlib.steps.REGISTRY` entry) and ``FINDINGS`` (finding
    builders, each a generator over the view), and implement :meth:`result`.
    """

    SPEC: ClassVar[StepSpec]
    FINDINGS: ClassVar[tuple[FindingBuilder, ...]] = ()
    CHAINS: ClassVar[tuple[tuple[str, ...], ...]] = ()
    """Parts that :meth:`compute` computes side by side: each chain in order on a thread of its own.

    No part of one chain may use a part of another (``"staffing.load"`` names a part of a sub-view).
    """
    STAGES: ClassVar[tuple[tuple[tuple[str, ...], ...], ...]] = ()
    """Sets of chains (each like ``CHAINS``) that :meth:`compute` runs one after the other, when the parts
    of a later set use parts of several chains of an earlier one; empty means the one set ``CHAINS``.
    """

    def __init__(self, ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None):
        self.ws, self.config, self.filters = ws, ws.config, filters
        self.lang = lang or ws.config.language
        self.currency = ws.config.currency
        self.fmt = Format(self.lang, self.currency)
        period = ws.config.period
        self.start = filters.start or (period.start if period else None)
        self.end = filters.end or (period.end if period else None)
        self.names = ws.config.channel_names()

    @property
    def years(self) -> float | None:
        """Length of the view's period in years (:func:`~cxlib.stats.checks.period_years`); ``None`` when open."""
        return None if self.start is None or self.end is None else period_years(self.start, self.end)

    def finding(self, id: str, key: str, *, estimate=None, kpi: str | None = None, count: float | None = None,
                **fmt_args) -> Finding:
        """A :class:`~cxlib.results.Finding` whose text is label ``key`` in the view's language.

        ``estimate`` is what was measured: a number, or anything with ``value`` (and ``low``,
        ``high``) as keys or attributes, such as a row of a KPI table; ``kpi`` names its KPI.
        ``count`` picks the plural form of a plural label (:func:`cxlib.i18n.t_n`). ``fmt_args``
        fill the label's placeholders.
        """
        if estimate is None or isinstance(estimate, (int, float, np.number)):
            value, low, high = estimate, None, None
        else:
            get = estimate.get if hasattr(estimate, "get") else (lambda name: getattr(estimate, name, None))
            value, low, high = get("value"), get("low"), get("high")
        text = t(key, self.lang, **fmt_args) if count is None else t_n(key, count, self.lang, **fmt_args)
        return Finding(id=id, kpi=kpi, value=value, low=low, high=high, text=text)

    @cached_property
    def findings(self) -> list[Finding]:
        """Every finding of the step, in the order of ``FINDINGS``."""
        return [finding for build in self.FINDINGS for finding in build(self)]

    @cached_property
    def candidates(self) -> list[Candidate]:
        """Candidate initiatives the step proposes (none unless the step defines them)."""
        return []

    def variant(self, keep: Iterable[str], **attributes) -> View:
        """A copy of this view with ``attributes`` set, sharing of the parts computed so far those named in ``keep``.

        A widget that changes a setting (a window, labels, weights) gets a view that recomputes only
        what the setting changes.
        """
        parts = {name for cls in type(self).__mro__ for name, value in vars(cls).items()
                 if isinstance(value, cached_property)}
        keep = set(keep)
        other = copy.copy(self)
        other.__dict__ = {k: v for k, v in self.__dict__.items() if k not in parts or k in keep}
        other.__dict__.update(attributes)
        return other

    def part(self, name: str):
        """The part ``name``, computed on first use; ``"staffing.load"`` is part ``load`` of sub-view ``staffing``.

        ``None`` when the part, or the sub-view, is ``None`` (its data is missing).
        """
        owner = self
        for attribute in name.split("."):
            owner = None if owner is None else getattr(owner, attribute)
        return owner

    def is_computed(self, name: str) -> bool:
        """Whether part ``name`` (as for :meth:`part`) has been computed, without computing it."""
        owner = self
        for attribute in name.split("."):
            if owner is None or attribute not in vars(owner):
                return False
            owner = vars(owner)[attribute]
        return True

    def compute(self) -> View:
        """Compute the parts of ``CHAINS`` (or of each set of ``STAGES`` in turn) now, one thread per chain,
        then the findings and candidates.

        Large tables are mostly worked on by NumPy, pandas and Arrow code that runs without Python's
        lock, so the chains use the cores side by side; a notebook that shows every part calls this
        first. An error in a part is raised here, as it would be on first use.

        Returns
        -------
        View
            The view itself, so that ``view(ws).compute()`` reads as one call.
        """
        def run(chain: tuple[str, ...]) -> None:
            for name in chain:
                self.part(name)

        for chains in self.STAGES or (self.CHAINS,):
            if not chains:
                continue
            with ThreadPoolExecutor(max_workers=len(chains), thread_name_prefix=self.SPEC.name) as pool:
                for chain in [pool.submit(run, chain) for chain in chains]:
                    chain.result()
        self.findings, self.candidates  # noqa: B018 (computed and cached)
        return self

    def result(self) -> StepResult:
        """What the step saves: its KPIs, findings, candidates and tables."""
        raise NotImplementedError

    def step_result(
        self, kpis: list[KpiValue] = (), tables: dict[str, pd.DataFrame | None] | None = None
    ) -> StepResult:
        """A :class:`~cxlib.results.StepResult` of this view with ``kpis`` and the ``tables`` that exist."""
        return StepResult(step=self.SPEC.name, client=self.config.name, workspace=str(self.ws.root),
                          inputs=self.ws.fingerprint, language=self.lang, kpis=list(kpis), findings=self.findings,
                          candidates=self.candidates,
                          tables={k: records(v) for k, v in (tables or {}).items() if v is not None})
