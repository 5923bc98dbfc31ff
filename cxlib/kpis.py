"""The KPI catalogue: which KPIs exist, their units and which direction is better.

This module only describes KPIs; :mod:`cxlib.analysis.metrics` computes them. Targets in
``client.yaml`` are keyed by these ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class KPI:
    """Description of one KPI.

    ``unit`` is one of ``points`` (NPS, −100…100), ``share`` (0–1), ``score`` (CES mean
    1–7), ``seconds``, ``count`` or ``currency``. ``lo``/``hi`` bound valid values
    (``None`` = unbounded).
    """

    id: str
    unit: Literal["points", "share", "score", "seconds", "count", "currency"]
    better: Literal["higher", "lower"]
    table: Literal["feedback", "contacts", "customers"]
    lo: float | None = None
    hi: float | None = None


KPIS: dict[str, KPI] = {
    k.id: k
    for k in [
        KPI("nps", "points", "higher", "feedback", -100, 100),
        KPI("csat", "share", "higher", "feedback", 0, 1),
        KPI("ces", "score", "higher", "feedback", 1, 7),
        KPI("ces_easy", "share", "higher", "feedback", 0, 1),
        KPI("first_response_time_s", "seconds", "lower", "contacts", 0, None),
        KPI("first_response_time_p90_s", "seconds", "lower", "contacts", 0, None),
        KPI("resolution_time_s", "seconds", "lower", "contacts", 0, None),
        KPI("resolution_time_p90_s", "seconds", "lower", "contacts", 0, None),
        KPI("fcr", "share", "higher", "contacts", 0, 1),
        KPI("abandonment", "share", "lower", "contacts", 0, 1),
        KPI("contacts_per_1000_customers", "count", "lower", "contacts", 0, None),
        KPI("churn_rate", "share", "lower", "customers", 0, 1),
        KPI("retention_rate", "share", "higher", "customers", 0, 1),
        KPI("clv", "currency", "higher", "customers", 0, None),
    ]
}
