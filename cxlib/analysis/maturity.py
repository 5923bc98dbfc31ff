"""Maturity self-assessment: workshop participants' scores per area (1–5)."""

from __future__ import annotations

import pandas as pd


def maturity_profile(maturity: pd.DataFrame, desired: dict[str, float] | None = None) -> pd.DataFrame:
    """Mean current and desired maturity per area, with the spread between participants.

    ``maturity`` has columns area, participant, current, desired (integers 1–5).
    ``desired`` overrides the participants' mean desired level per area (workshop edits).
    Returns columns area, current, desired, gap (desired − current, levels), current_min,
    current_max, n (participants), sorted by gap, largest first.
    """
    g = maturity.groupby("area", sort=True)
    out = pd.DataFrame({
        "current": g["current"].mean().astype(float),
        "desired": g["desired"].mean().astype(float),
        "current_min": g["current"].min().astype(float),
        "current_max": g["current"].max().astype(float),
        "n": g["participant"].nunique(),
    })
    if desired:
        unknown = sorted(set(desired) - set(out.index))
        if unknown:
            raise ValueError(f"unknown maturity areas {unknown}; known: {sorted(out.index)}")
        out.loc[list(desired), "desired"] = list(desired.values())
    out["gap"] = out["desired"] - out["current"]
    out = out.reset_index().sort_values(["gap", "area"], ascending=[False, True], ignore_index=True)
    return out[["area", "current", "desired", "gap", "current_min", "current_max", "n"]]
