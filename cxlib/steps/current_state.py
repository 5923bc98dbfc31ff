"""Step 01, current state: where are we today?

:func:`baseline` computes everything the step shows — KPIs overall and per channel,
touchpoint and segment, monthly trends, contact volumes, maturity and the journey map —
for one set of filters; the notebook, its widgets and later steps all call it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..config import ClientConfig
from ..i18n import fmt_p, fmt_value, kpi_label, t, t_n
from ..analysis.journey import journey_map
from ..kpis import KPIS
from ..analysis.maturity import maturity_profile
from ..analysis.metrics import kpi_table
from ..analysis.significance import compare_to_rest
from .requires import Requires, requires
from ..results import Finding
from ..io.workspace import in_period

STEP = "01_current_state"
#: The channels the findings name, by NPS: the best and the worst (labels ``word.<rank>``).
RANKS = ("best", "worst")


@dataclass(frozen=True)
class Filters:
    """What slice of the data to look at; ``None`` means all."""

    start: dt.date | None = None
    end: dt.date | None = None
    channel: str | None = None
    segment: str | None = None


class CurrentState(Requires):
    """Everything step 01 shows for one set of filters, each part computed when first used.

    KPI parts are long tables (see ``metrics.kpi_table``): ``overall``, ``by_channel``,
    ``by_touchpoint``, ``by_segment`` and ``monthly``; :meth:`kpis` gives any other cut.
    Widgets ask only for what they draw, so an update stays fast. Parts whose optional column is
    missing are ``None`` (:meth:`missing` says what they need).
    """

    def __init__(self, tables: dict[str, pd.DataFrame], config: ClientConfig, filters: Filters = Filters(),
                 lang: str | None = None):
        self.config, self.filters, self.lang = config, filters, lang or config.language
        self.data = apply_filters(tables, filters)
        self.start = filters.start or (config.period.start if config.period else None)
        self.end = filters.end or (config.period.end if config.period else None)
        self.scope = {**self.data, "feedback": in_period(self.data["feedback"], "date", self.start, self.end)}

    def kpis(self, by: str | None = None, kpis: list[str] | None = None, feedback_only: bool = False) -> pd.DataFrame:
        """KPIs (all by default) grouped ``by`` a dimension, for this state's filters and period."""
        data = {"feedback": self.data["feedback"]} if feedback_only else self.data
        return kpi_table(data, kpis, by, start=self.start, end=self.end, gross_margin=self.config.gross_margin,
                         discount_rate=self.config.discount_rate)

    @cached_property
    def overall(self) -> pd.DataFrame:
        return self.kpis()

    @cached_property
    def by_channel(self) -> pd.DataFrame:
        return self.kpis("channel")

    @requires("feedback.touchpoint")
    def by_touchpoint(self) -> pd.DataFrame:
        return self.kpis("touchpoint", feedback_only=True)

    @requires("feedback.segment")
    def by_segment(self) -> pd.DataFrame:
        return self.kpis("segment", feedback_only=True)

    @cached_property
    def monthly(self) -> pd.DataFrame:
        return self.kpis("month")

    @cached_property
    def volume(self) -> pd.DataFrame:
        return contact_volume(self.data.get("contacts"), self.start, self.end)

    @requires("feedback.touchpoint", "feedback.nps")
    def journey(self) -> pd.DataFrame | None:
        return journey_map(self.scope["feedback"], self.config.stages)

    @cached_property
    def maturity(self) -> pd.DataFrame | None:
        return maturity_profile(self.data["maturity"]) if "maturity" in self.data else None

    @cached_property
    def findings(self) -> list[Finding]:
        return findings(self)

    def value(self, kpi: str) -> float | None:
        """The overall value of ``kpi`` (``None`` when not computed)."""
        row = self.overall[self.overall["kpi"] == kpi]
        return None if row.empty else float(row["value"].iloc[0])


def apply_filters(tables: dict[str, pd.DataFrame], filters: Filters) -> dict[str, pd.DataFrame]:
    """The tables restricted to ``filters.channel`` and ``filters.segment`` (period is left to kpi_table)."""
    out = dict(tables)
    if filters.channel is not None:
        for name in ("feedback", "contacts"):
            if name in out:
                out[name] = out[name][out[name]["channel"] == filters.channel]
    if filters.segment is not None:
        if "customers" in out and "segment" in out["customers"]:
            out["customers"] = out["customers"][out["customers"]["segment"] == filters.segment]
        if "feedback" in out and "segment" in out["feedback"]:
            out["feedback"] = out["feedback"][out["feedback"]["segment"] == filters.segment]
        if "contacts" in out and "customers" in out and "customer_id" in out["contacts"]:
            out["contacts"] = out["contacts"][_isin(out["contacts"]["customer_id"], out["customers"]["customer_id"])]
    return out


def _isin(values: pd.Series, allowed: pd.Series) -> np.ndarray:
    """``values.isin(allowed)`` for text ids through Arrow (pandas loops in Python over Arrow strings)."""
    column = pa.array(values, from_pandas=True)
    found = pc.is_in(column, value_set=pa.array(allowed.dropna(), from_pandas=True).cast(column.type))
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def baseline(tables: dict[str, pd.DataFrame], config: ClientConfig, filters: Filters = Filters(),
             lang: str | None = None) -> CurrentState:
    """The current state for ``filters`` from the workspace tables (``Workspace.tables``).

    Only ``feedback`` is required; parts whose table is missing are empty (or ``None``).
    Findings are written in ``lang`` (default: the client's language).
    """
    return CurrentState(tables, config, filters, lang)


def contact_volume(contacts: pd.DataFrame | None, start=None, end=None) -> pd.DataFrame:
    """Contacts per month and channel: columns month ('YYYY-MM'), channel, n."""
    if contacts is None:
        return pd.DataFrame(columns=["month", "channel", "n"])
    c = in_period(contacts, "opened_at", start, end)
    month = c["opened_at"].dt.to_period("M").rename("month")
    out = c.groupby([month, c["channel"]], observed=True).size().rename("n").reset_index()
    return out.assign(month=out["month"].astype(str))


def findings(state: CurrentState) -> list[Finding]:
    """The step's findings in ``state.lang``, every number computed from ``state``."""
    lang, config = state.lang, state.config
    out: list[Finding] = []
    overall = state.overall.set_index("kpi")

    def fmt(kpi: str, x) -> str:
        return fmt_value(x, KPIS[kpi].unit, lang, config.currency)

    if "nps" in overall.index and overall.loc["nps", "n"] > 0:
        r = overall.loc["nps"]
        out.append(Finding(id="nps_overall", kpi="nps", value=r["value"], low=r["low"], high=r["high"],
                           text=t_n("f01.nps", int(r["n"]), lang, value=fmt("nps", r["value"]),
                                    low=fmt("nps", r["low"]), high=fmt("nps", r["high"]))))
    out += _channel_findings(state)
    if state.journey is not None and state.journey["value"].notna().any():
        worst = state.journey.loc[state.journey["value"].idxmin()]
        out.append(Finding(id="journey_low", kpi="nps", value=worst["value"],
                           text=t_n("f01.journey_low", int(worst["n"]), lang, touchpoint=worst["touchpoint"],
                                    stage=worst["stage"], value=fmt("nps", worst["value"]))))
    if not state.volume.empty:
        per_channel = state.volume.groupby("channel")["n"].sum().sort_values(ascending=False)
        total = int(per_channel.sum())
        out.append(Finding(id="volume_top", value=per_channel.iloc[0] / total,
                           text=t("f01.volume", lang, total=fmt_value(total, "count", lang),
                                  channel=config.channel_names().get(per_channel.index[0], per_channel.index[0]),
                                  share=fmt_value(per_channel.iloc[0] / total, "share", lang))))
    for kpi in ("fcr", "churn_rate", "clv"):
        if kpi in overall.index and pd.notna(overall.loc[kpi, "value"]):
            r = overall.loc[kpi]
            out.append(Finding(id=f"{kpi}_overall", kpi=kpi, value=r["value"], low=r["low"], high=r["high"],
                               text=t("f01.kpi", lang, kpi=kpi_label(kpi, lang), value=fmt(kpi, r["value"]),
                                      low=fmt(kpi, r["low"]), high=fmt(kpi, r["high"]))))
    if state.maturity is not None and not state.maturity.empty:
        top = state.maturity.iloc[0]
        out.append(Finding(id="maturity_gap", value=top["gap"],
                           text=t_n("f01.maturity", int(top["n"]), lang, area=top["area"],
                                    current=fmt_value(top["current"], "score", lang),
                                    desired=fmt_value(top["desired"], "score", lang))))
    return out


def _channel_findings(state: CurrentState) -> list[Finding]:
    """Best and worst channel by NPS, each tested against all other channels' responses in the period,
    Holm-corrected over the channels: the same comparison step 03 shows (:func:`compare_to_rest`)."""
    lang, names = state.lang, state.config.channel_names()
    feedback = state.scope["feedback"]
    nps = state.by_channel[(state.by_channel["kpi"] == "nps") & (state.by_channel["n"] > 0)].dropna(subset=["value"])
    if len(nps) < 2:
        return []
    tests = compare_to_rest(feedback, "channel").set_index("channel")
    out = []
    for rank, row in zip(RANKS, (nps.loc[nps["value"].idxmax()], nps.loc[nps["value"].idxmin()])):
        test = tests.loc[row["channel"]]
        key = {"too few": "f01.channel_few", "not significant": "f01.channel_ns"}.get(test["verdict"], "f01.channel_sig")
        out.append(Finding(id=f"channel_{rank}", kpi="nps", value=row["value"], low=row["low"], high=row["high"],
                           text=t(key, lang, rank=t(f"word.{rank}", lang), channel=names.get(row["channel"], row["channel"]),
                                  value=fmt_value(row["value"], "points", lang),
                                  diff=fmt_value(test["diff"], "points", lang), p=fmt_p(test["p_adjusted"], lang))))
    return out
