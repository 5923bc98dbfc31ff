"""The customer journey: scores along the journey's stages and touchpoints."""

from __future__ import annotations

import pandas as pd

from ..config import Stage
from .metrics import kpi_table


def journey_map(feedback: pd.DataFrame, stages: list[Stage], kpi: str = "nps") -> pd.DataFrame:
    """``kpi`` per touchpoint, ordered along the journey.

    Touchpoints listed in ``stages`` come first, in stage order; touchpoints found in the
    feedback but in no stage follow under the stage ``other``. Returns columns stage,
    touchpoint, value, low, high, n (one row per touchpoint with responses).
    """
    scores = kpi_table({"feedback": feedback}, [kpi], by="touchpoint")
    order = [(s.name, tp) for s in stages for tp in s.touchpoints]
    known = {tp for _, tp in order}
    order += [("other", tp) for tp in sorted(set(scores["touchpoint"].astype(str)) - known)]
    frame = pd.DataFrame(order, columns=["stage", "touchpoint"])
    out = frame.merge(scores.astype({"touchpoint": str}), on="touchpoint", how="inner")
    return out[["stage", "touchpoint", "value", "low", "high", "n"]].reset_index(drop=True)
