"""Workshop inputs: what participants set in the widgets, saved so it is never lost.

Inputs live in ``<client_dir>/workshop/<name>.yaml`` next to the client's raw tables
(which stay untouched). Each change is written at once and atomically; the batch run
reads the same file, so the report shows what the workshop decided.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from ..config import KpiTargets
from ..files import write_atomic
from .yamlfile import errors_at_keys, read_yaml

WORKSHOP_DIR = "workshop"
"""The folder of a client workspace holding the workshop inputs."""

MaturityLevel = Annotated[float, Field(ge=1, le=5)]
"""A maturity level: 1 (lowest) to 5 (highest), as in the maturity table."""


class DesiredInputs(BaseModel):
    """Step 02 workshop inputs: KPI targets and desired maturity (1–5) per area.

    Targets follow the same rule as in client.yaml (:func:`cxlib.config.check_targets`).
    Validated with the context ``{"areas": names}``, every maturity area must be one of them.
    """

    model_config = ConfigDict(extra="forbid")

    targets: KpiTargets = Field(default_factory=dict)
    maturity: dict[str, MaturityLevel] = Field(default_factory=dict)

    @field_validator("maturity")
    @classmethod
    def _known_areas(cls, maturity: dict[str, float], info: ValidationInfo):
        areas = (info.context or {}).get("areas")
        unknown = {area: (area, f"one of the areas of the maturity table: {', '.join(sorted(areas))}")
                   for area in maturity if areas and area not in areas}
        if unknown:
            raise errors_at_keys(unknown)
        return maturity


DESIRED_HINTS = {"maturity": "maturity: a desired level from 1 to 5 per maturity area"}
"""What each key of ``desired_state.yaml`` holds, in the words of a problem."""


def path_for(client_dir: str | Path, name: str) -> Path:
    """Where workshop input ``name`` is stored."""
    return Path(client_dir) / WORKSHOP_DIR / f"{name}.yaml"


def load_desired(client_dir: str | Path, areas: Collection[str] = ()) -> DesiredInputs:
    """The saved step-02 inputs.

    Parameters
    ----------
    client_dir : str or Path
        The client workspace.
    areas : collection of str
        The areas of the maturity table; when given, every saved maturity area must be one of them.

    Returns
    -------
    DesiredInputs
        What the workshop saved; empty when nothing was saved (no file, or an empty one).

    Raises
    ------
    InputError
        Every problem in ``workshop/desired_state.yaml``, each naming the line, key path
        (``targets.csat``), value and what was expected.
    """
    path = path_for(client_dir, "desired_state")
    if not path.is_file():
        return DesiredInputs()
    document = read_yaml(path, f"{WORKSHOP_DIR}/{path.name}")
    if document.data is None:
        return DesiredInputs()
    validator = partial(DesiredInputs.model_validate, context={"areas": list(areas)})
    return document.validate(validator, DESIRED_HINTS, keys_listed_in="docs/input-contract.md")


def save_desired(client_dir: str | Path, inputs: DesiredInputs) -> Path:
    """Write the step-02 inputs atomically and return the path."""
    text = "# Saved by the desired-state workshop widgets; edit here or in the notebook.\n"
    text += yaml.safe_dump(inputs.model_dump(), allow_unicode=True, sort_keys=True)
    return write_atomic(path_for(client_dir, "desired_state"), text)


def effective_desired(config_targets: dict[str, float], maturity, saved: DesiredInputs) -> DesiredInputs:
    """Targets and desired maturity in force: client.yaml targets and the participants' mean
    desired level per area (to one decimal, the resolution the workshop edits in), overridden
    by what the workshop saved.
    """
    levels = maturity.groupby("area")["desired"].mean().round(1).to_dict() if maturity is not None else {}
    return DesiredInputs(targets={**config_targets, **saved.targets},
                         maturity={k: float(v) for k, v in {**levels, **saved.maturity}.items()})
