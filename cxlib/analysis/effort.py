"""Customer effort per touchpoint and device, and the hotspots to fix first.

CES is the mean effort score 1–7 (7 = very easy) and CSAT the share of answers 4–5 (0–1), each
with its interval from :func:`cxlib.analysis.metrics.kpi_table`. A touchpoint is *high effort*
when its CES is below the median CES of the touchpoints measured well enough, and *high volume*
when more responses pass it than the median touchpoint; high effort × high volume is a hotspot,
to fix first. Touchpoints with fewer than ``min_n`` CES answers are flagged and never ranked.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..stats.nps import MIN_N
from .metrics import kpi_table

QUADRANTS = ("fix_first", "high_effort", "high_volume", "low")
"""Quadrant ids of :func:`touchpoint_effort`: high effort × high volume first."""
CES_TOP = 7.0
"""The easiest CES answer; ``(CES_TOP − CES) × responses`` ranks the hotspots."""


def wide_kpis(feedback: pd.DataFrame, kpis: Sequence[str], by: str, *, confidence: float = 0.95) -> pd.DataFrame:
    """:func:`~cxlib.analysis.metrics.kpi_table` of ``feedback`` by ``by``, one row per group.

    Returns
    -------
    DataFrame
        ``by`` and per KPI the columns ``<kpi>``, ``<kpi>_low``, ``<kpi>_high``, ``<kpi>_n``.
    """
    long = kpi_table({"feedback": feedback}, list(kpis), by=by, confidence=confidence)
    wide = long.pivot(index=by, columns="kpi", values=["value", "low", "high", "n"])
    wide.columns = [kpi if part == "value" else f"{kpi}_{part}" for part, kpi in wide.columns]
    columns = [f"{kpi}{part}" for kpi in kpis for part in ("", "_low", "_high", "_n")]
    return wide.reindex(columns=columns).reset_index()


def touchpoint_effort(feedback: pd.DataFrame, contacts: pd.DataFrame | None = None,
                      reasons: pd.DataFrame | None = None, *, min_n: int = MIN_N,
                      confidence: float = 0.95) -> pd.DataFrame:
    """CES and CSAT per touchpoint against the volume passing it, with the hotspot quadrant.

    Parameters
    ----------
    feedback : DataFrame
        Survey responses with ``touchpoint``, ``ces``, ``csat``.
    contacts, reasons : DataFrame, optional
        Contacts and the reasons table; where ``reasons`` has a ``touchpoint`` column, contacts
        are counted at the touchpoint of their reason.
    min_n : int, default 30
        Fewest CES answers for a touchpoint to be judged.
    confidence : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    DataFrame
        ``touchpoint``, ``responses``, ``contacts`` (NaN when contacts do not map), ``ces``,
        ``ces_low``, ``ces_high``, ``ces_n``, ``csat`` and its bounds and n, ``small``
        (fewer than ``min_n`` CES answers), ``high_effort``, ``high_volume``, ``quadrant``
        (one of :data:`QUADRANTS`; missing when small), ``effort_load`` ((7 − CES) ×
        responses), and the thresholds ``ces_cut`` and ``volume_cut`` (the medians, the same on
        every row); hotspots first, then the other judged touchpoints by ``effort_load``, largest
        first, and the small ones last.
    """
    known = feedback[feedback["touchpoint"].notna()]
    out = wide_kpis(known, ["ces", "csat"], "touchpoint", confidence=confidence)
    out.insert(1, "responses", out["touchpoint"].map(known["touchpoint"].value_counts()).astype(float))
    out.insert(2, "contacts", np.nan)
    if contacts is not None and reasons is not None and "touchpoint" in reasons:
        per_reason = contacts["reason"].value_counts()  # counted per reason first: far fewer rows to map
        per_touchpoint = per_reason.groupby(per_reason.index.map(reasons.set_index("reason")["touchpoint"])).sum()
        out["contacts"] = out["touchpoint"].map(per_touchpoint).fillna(0.0).astype(float)
    out["small"] = out["ces_n"].fillna(0) < min_n
    judged = out[~out["small"]]
    ces_cut, volume_cut = judged["ces"].median(), judged["responses"].median()
    out["high_effort"] = ~out["small"] & (out["ces"] < ces_cut)
    out["high_volume"] = ~out["small"] & (out["responses"] > volume_cut)
    quadrant = np.select([out["high_effort"] & out["high_volume"], out["high_effort"], out["high_volume"]],
                         QUADRANTS[:3], QUADRANTS[3])
    out["quadrant"] = np.where(out["small"], None, quadrant)
    out["effort_load"] = (CES_TOP - out["ces"]) * out["responses"]
    out["ces_cut"], out["volume_cut"] = ces_cut, volume_cut
    hot = out["quadrant"] == QUADRANTS[0]
    ranked = out.assign(hot=hot, judged=~out["small"]).sort_values(["hot", "judged", "effort_load"],
                                                                    ascending=False, kind="stable")
    return ranked.drop(columns=["hot", "judged"]).reset_index(drop=True)
