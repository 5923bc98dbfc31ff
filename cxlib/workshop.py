"""Workshop inputs: what participants set in the widgets, saved so it is never lost.

Inputs live in ``<client_dir>/workshop/<name>.yaml`` next to the client's raw tables
(which stay untouched). Each change is written at once and atomically; the batch run
reads the same file, so the report shows what the workshop decided.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import InputError, Problem
from .files import write_atomic
from .kpis import KPIS


class DesiredInputs(BaseModel):
    """Step 02 workshop inputs: KPI targets and desired maturity (1–5) per area."""

    model_config = ConfigDict(extra="forbid")

    targets: dict[str, float] = Field(default_factory=dict)
    maturity: dict[str, float] = Field(default_factory=dict)

    @field_validator("targets")
    @classmethod
    def _known(cls, v):
        unknown = sorted(set(v) - set(KPIS))
        if unknown:
            raise ValueError(f"unknown KPIs {unknown}")
        return v

    @field_validator("maturity")
    @classmethod
    def _range(cls, v):
        bad = {k: x for k, x in v.items() if not 1 <= x <= 5}
        if bad:
            raise ValueError(f"maturity levels must be 1–5, got {bad}")
        return v


def path_for(client_dir: str | Path, name: str) -> Path:
    """Where workshop input ``name`` is stored."""
    return Path(client_dir) / "workshop" / f"{name}.yaml"


def load_desired(client_dir: str | Path) -> DesiredInputs:
    """The saved step-02 inputs (empty when none were saved)."""
    path = path_for(client_dir, "desired_state")
    if not path.is_file():
        return DesiredInputs()
    try:
        return DesiredInputs.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except (ValidationError, yaml.YAMLError) as exc:
        raise InputError([Problem(str(path), None, None, None, f"saved workshop inputs ({exc})")]) from None


def save_desired(client_dir: str | Path, inputs: DesiredInputs) -> Path:
    """Write the step-02 inputs atomically and return the path."""
    text = "# Saved by the desired-state workshop widgets; edit here or in the notebook.\n"
    text += yaml.safe_dump(inputs.model_dump(), allow_unicode=True, sort_keys=True)
    return write_atomic(path_for(client_dir, "desired_state"), text)


def effective_desired(config_targets: dict[str, float], maturity, saved: DesiredInputs) -> DesiredInputs:
    """Targets and desired maturity in force: client.yaml targets and the participants' mean
    desired level per area (to one decimal, the resolution the workshop edits in), overridden
    by what the workshop saved."""
    levels = maturity.groupby("area")["desired"].mean().round(1).to_dict() if maturity is not None else {}
    return DesiredInputs(targets={**config_targets, **saved.targets},
                         maturity={k: float(v) for k, v in {**levels, **saved.maturity}.items()})
