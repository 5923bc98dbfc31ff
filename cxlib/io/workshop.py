"""Workshop inputs: what participants set in the widgets, saved so it is never lost.

Inputs live in ``<client_dir>/workshop/<name>.yaml`` next to the client's raw tables
(which stay untouched). Each change is written at once and atomically; the batch run
reads the same file, so the report shows what the workshop decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from functools import partial
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from ..config import Criterion, Identifier, KpiTargets, RaciRole
from ..files import write_atomic
from .yamlfile import errors_at_keys, read_yaml, validate_with_key_errors

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


class ReasonLabel(BaseModel):
    """The workshop's label of one contact reason (step 06); a key left out keeps the reasons table's value."""

    model_config = ConfigDict(extra="forbid")

    demand_type: Literal["value", "failure"] | None = None
    root_cause: str | None = None
    owner_department: Identifier | None = None

    @field_validator("owner_department")
    @classmethod
    def _known_department(cls, value: str | None, info: ValidationInfo) -> str | None:
        departments = (info.context or {}).get("departments")
        if value is not None and departments and value not in departments:
            raise ValueError(f"a department id of client.yaml: {', '.join(departments)}")
        return value


class ReasonInputs(BaseModel):
    """Step 06 workshop inputs: the label of each reason the workshop confirmed.

    Validated with the context ``{"reasons": names, "departments": ids}``, every reason must be
    one of the contacts' or the reasons table's, and every owner a department of client.yaml.
    """

    model_config = ConfigDict(extra="forbid")

    reasons: dict[str, ReasonLabel] = Field(default_factory=dict)

    @field_validator("reasons", mode="wrap")
    @classmethod
    def _known_reasons(cls, labels, handler, info: ValidationInfo):
        known = (info.context or {}).get("reasons")
        unknown = {reason: (reason, "a reason of the contacts or the reasons table (spelt as there)")
                   for reason in (labels if isinstance(labels, dict) else ()) if known and reason not in known}
        return validate_with_key_errors(handler, labels, unknown)


REASON_HINTS = {"demand_type": "demand_type: value or failure"}
"""What keys of ``reasons.yaml`` hold, in the words of a problem."""


def load_reasons(client_dir: str | Path, reasons: Collection[str] = (),
                 departments: Collection[str] = ()) -> ReasonInputs:
    """The saved step-06 reason labels.

    Parameters
    ----------
    client_dir : str or Path
        The client workspace.
    reasons, departments : collection of str
        The known reasons and department ids; when given, the saved labels must use them.

    Returns
    -------
    ReasonInputs
        What the workshop saved; empty when nothing was saved.

    Raises
    ------
    InputError
        Every problem in ``workshop/reasons.yaml``, each naming the line, key path, value and
        what was expected.
    """
    path = path_for(client_dir, "reasons")
    if not path.is_file():
        return ReasonInputs()
    document = read_yaml(path, f"{WORKSHOP_DIR}/{path.name}")
    if document.data is None:
        return ReasonInputs()
    validator = partial(ReasonInputs.model_validate,
                        context={"reasons": set(reasons), "departments": list(departments)})
    return document.validate(validator, REASON_HINTS, keys_listed_in="docs/input-contract.md")


def save_reasons(client_dir: str | Path, inputs: ReasonInputs) -> Path:
    """Write the step-06 reason labels atomically and return the path."""
    text = "# Saved by the unnecessary-demand workshop editor; edit here or in the notebook.\n"
    text += yaml.safe_dump(inputs.model_dump(exclude_none=True), allow_unicode=True, sort_keys=True)
    return write_atomic(path_for(client_dir, "reasons"), text)


def labelled_reasons(table: pd.DataFrame | None, saved: ReasonInputs) -> pd.DataFrame:
    """The reasons table with the workshop's labels on top (a reason only the workshop names is added).

    Returns
    -------
    DataFrame
        reason, demand_type, root_cause, owner_department (NaN where neither gives a value), and
        ``from_workshop``: whether the workshop set any of the three.
    """
    columns = ["reason", "demand_type", "root_cause", "owner_department"]
    base = pd.DataFrame(columns=columns) if table is None else table.reindex(columns=columns)
    rows = {r["reason"]: {**r, "from_workshop": False}
            for r in base.astype(object).where(base.notna(), np.nan).to_dict("records")}
    for reason, label in saved.reasons.items():
        values = label.model_dump(exclude_none=True)
        if values:
            rows[reason] = {**rows.get(reason, dict.fromkeys(columns, np.nan)), "reason": reason, **values,
                            "from_workshop": True}
    out = pd.DataFrame(list(rows.values()), columns=[*columns, "from_workshop"])
    out["from_workshop"] = out["from_workshop"].astype(bool)
    return out


Score = Annotated[int, Field(ge=1, le=5)]
"""An effort or effect score: 1 (least) to 5 (most)."""


class PriorityScore(BaseModel):
    """One participant's scores of one initiative (step 07), with a comment, and when they were given."""

    model_config = ConfigDict(extra="forbid")

    participant: str = Field(min_length=1)
    effort: Score
    effect: Score
    comment: str = ""
    at: dt.datetime


class InitiativeInputs(BaseModel):
    """What the workshop gave for one initiative: each participant's latest scores, and optionally
    its one-off ``cost`` (client's currency) and ``duration`` (months).
    """

    model_config = ConfigDict(extra="forbid")

    scores: list[PriorityScore] = Field(default_factory=list)
    cost: float | None = Field(default=None, ge=0)
    duration: float | None = Field(default=None, ge=0)


class PriorityInputs(BaseModel):
    """Step 07 workshop inputs: scores per initiative id, and the weights and budget set with the sliders.

    Scores of an initiative no longer proposed are kept (the data may bring it back) and left out of the ranking.
    """

    model_config = ConfigDict(extra="forbid")

    initiatives: dict[str, InitiativeInputs] = Field(default_factory=dict)
    weights: dict[Criterion, float] = Field(default_factory=dict)
    budget: float | None = Field(default=None, ge=0)

    def scored(self, initiative: str, score: PriorityScore, *, cost: float | None = None,
               duration: float | None = None) -> PriorityInputs:
        """These inputs with ``score`` as its participant's score of ``initiative`` (replacing an earlier
        one), and the ``cost`` (client's currency) and ``duration`` (months) where given.
        """
        given = self.initiatives.get(initiative, InitiativeInputs())
        kept = [s for s in given.scores if s.participant != score.participant]
        amounts = {k: v for k, v in (("cost", cost), ("duration", duration)) if v is not None}
        entry = InitiativeInputs.model_validate({**given.model_dump(), "scores": [*kept, score], **amounts})
        return self.model_copy(update={"initiatives": {**self.initiatives, initiative: entry}})

    def score_table(self) -> pd.DataFrame:
        """Every score as a row: initiative, participant, effort, effect, comment, at."""
        rows = [{"initiative": i, **s.model_dump()} for i, entry in self.initiatives.items() for s in entry.scores]
        return pd.DataFrame(rows, columns=["initiative", "participant", "effort", "effect", "comment", "at"])


PRIORITY_HINTS = {"effort": "effort: a whole score from 1 to 5", "effect": "effect: a whole score from 1 to 5",
                  "at": "at: when the score was given, as an ISO date and time (2026-03-01T10:00:00Z)"}
"""What keys of ``priorities.yaml`` hold, in the words of a problem."""


def load_priorities(client_dir: str | Path) -> PriorityInputs:
    """The saved step-07 workshop inputs; empty when nothing was saved.

    Raises
    ------
    InputError
        Every problem in ``workshop/priorities.yaml``, each naming the line, key path, value and
        what was expected.
    """
    path = path_for(client_dir, "priorities")
    if not path.is_file():
        return PriorityInputs()
    document = read_yaml(path, f"{WORKSHOP_DIR}/{path.name}")
    if document.data is None:
        return PriorityInputs()
    return document.validate(PriorityInputs.model_validate, PRIORITY_HINTS, keys_listed_in="docs/input-contract.md")


def save_priorities(client_dir: str | Path, inputs: PriorityInputs) -> Path:
    """Write the step-07 workshop inputs atomically and return the path."""
    text = "# Saved by the prioritisation workshop form; edit here or in the notebook.\n"
    text += yaml.safe_dump(inputs.model_dump(mode="json", exclude_none=True), allow_unicode=True, sort_keys=True)
    return write_atomic(path_for(client_dir, "priorities"), text)


class RaciInputs(BaseModel):
    """Step 08 workshop inputs: the RACI cells the workshop changed, initiative id → department id → role.

    Validated with the context ``{"departments": ids}``, every department must be one of client.yaml.
    Cells of an initiative no longer on the roadmap are kept (the data may bring it back) and left out.
    """

    model_config = ConfigDict(extra="forbid")

    initiatives: dict[str, dict[Identifier, RaciRole]] = Field(default_factory=dict)

    @field_validator("initiatives", mode="wrap")
    @classmethod
    def _known_departments(cls, cells, handler, info: ValidationInfo):
        known = (info.context or {}).get("departments")
        unknown = {(initiative, department): (department, f"a department id of client.yaml: {', '.join(known)}")
                   for initiative, row in (cells.items() if isinstance(cells, dict) else ())
                   for department in (row if isinstance(row, dict) else ()) if known and department not in known}
        return validate_with_key_errors(handler, cells, unknown)

    def edited(self, initiative: str, department: str, role: str) -> RaciInputs:
        """These inputs with ``role`` as ``department``'s role in ``initiative``."""
        row = {**self.initiatives.get(initiative, {}), department: role}
        return RaciInputs.model_validate({"initiatives": {**self.initiatives, initiative: row}})


def load_raci(client_dir: str | Path, departments: Collection[str] = ()) -> RaciInputs:
    """The saved step-08 RACI edits; empty when nothing was saved.

    Parameters
    ----------
    client_dir : str or Path
        The client workspace.
    departments : collection of str
        The department ids of client.yaml; when given, the saved cells must use them.

    Raises
    ------
    InputError
        Every problem in ``workshop/raci.yaml``, each naming the line, key path, value and what
        was expected.
    """
    path = path_for(client_dir, "raci")
    if not path.is_file():
        return RaciInputs()
    document = read_yaml(path, f"{WORKSHOP_DIR}/{path.name}")
    if document.data is None:
        return RaciInputs()
    validator = partial(RaciInputs.model_validate, context={"departments": list(departments)})
    return document.validate(validator, keys_listed_in="docs/input-contract.md")


def save_raci(client_dir: str | Path, inputs: RaciInputs) -> Path:
    """Write the step-08 RACI edits atomically and return the path."""
    text = "# Saved by the roadmap report's RACI editor; edit here or in the notebook.\n"
    text += yaml.safe_dump(inputs.model_dump(), allow_unicode=True, sort_keys=True)
    return write_atomic(path_for(client_dir, "raci"), text)
