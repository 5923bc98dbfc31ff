"""The client's own scenarios, ``scenarios.yaml``: channel shifts (step 04) and demand eliminations (step 06).

A workspace may hold ``scenarios.yaml`` next to ``client.yaml``::

    channel_shift:
      - id: invoice-to-app
        name: Invoice questions answered in the app
        from: phone
        to: app
        reason: var är min faktura   # optional: only contacts of this reason
        share: 0.30                  # share 0–1 of the matching contacts that move
        owner: it                    # optional: the department that would own it
    demand_elimination:
      - id: e-invoice-notice
        name: Tell customers when the invoice is sent
        reason: var är min faktura   # either a reason ...
        # root_cause: ...            # ... or a root cause of the reasons table
        share: 0.5                   # share 0–1 of its failure contacts removed
        owner: fakturering

It is validated like every input: each problem names the line, the key path, the value and
what was expected.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from ..config import Identifier
from .yamlfile import errors_at_keys, read_yaml

SCENARIOS_FILE = "scenarios.yaml"


def _known_reason(cls, value: str | None, info: ValidationInfo) -> str | None:
    """``value`` if it is one of the context's reasons (or none, or no reasons to check against)."""
    reasons = (info.context or {}).get("reasons")
    if value is not None and reasons is not None and value not in reasons:
        raise ValueError("a reason of the contacts or the reasons table (spelt as there)")
    return value


def _known_owner(cls, value: str | None, info: ValidationInfo) -> str | None:
    """``value`` if it is one of the context's department ids (or none, or no ids to check against)."""
    departments = (info.context or {}).get("departments")
    if value is not None and departments and value not in departments:
        raise ValueError(f"a department id of client.yaml: {', '.join(departments)}")
    return value


class ChannelShift(BaseModel):
    """Move ``share`` (0–1) of the contacts of channel ``from_channel`` (of one ``reason`` when
    given) to channel ``to_channel``.

    Validated with the context ``{"channels": ids, "reasons": names, "departments": ids}``,
    the channels, reason and owner must be among them (a context entry left out is not checked);
    each is checked on its own, so that every problem of an entry is reported at once.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Identifier
    name: str = Field(min_length=1)
    from_channel: str = Field(alias="from")
    to_channel: str = Field(alias="to")
    reason: str | None = None
    share: float = Field(gt=0, le=1)
    owner: Identifier | None = None

    @field_validator("from_channel", "to_channel")
    @classmethod
    def _known_channel(cls, value: str, info: ValidationInfo) -> str:
        channels = (info.context or {}).get("channels")
        if channels and value not in channels:
            raise ValueError(f"a channel id of client.yaml: {', '.join(channels)}")
        return value

    _reason = field_validator("reason")(_known_reason)
    _owner = field_validator("owner")(_known_owner)

    @model_validator(mode="after")
    def _two_channels(self):
        if self.to_channel == self.from_channel:
            raise errors_at_keys({"to": (self.to_channel, "another channel than 'from'")})
        return self


class DemandElimination(BaseModel):
    """Remove ``share`` (0–1) of the failure contacts of one ``reason`` or of one ``root_cause``.

    Validated with the same context as :class:`ChannelShift` (the reason and owner must be known).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    name: str = Field(min_length=1)
    reason: str | None = None
    root_cause: str | None = None
    share: float = Field(gt=0, le=1)
    owner: Identifier | None = None

    _reason = field_validator("reason")(_known_reason)
    _owner = field_validator("owner")(_known_owner)

    @model_validator(mode="after")
    def _one_target(self):
        if (self.reason is None) == (self.root_cause is None):
            raise errors_at_keys({"reason": (self.reason, "either a reason or a root_cause (one of them)")})
        return self


class Scenarios(BaseModel):
    """Everything ``scenarios.yaml`` holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    channel_shift: tuple[ChannelShift, ...] = ()
    demand_elimination: tuple[DemandElimination, ...] = ()

    @field_validator("channel_shift", "demand_elimination", mode="before")
    @classmethod
    def _unique_ids(cls, items):
        """Repeated ids are reported at their line; a key left empty (examples commented out) holds none."""
        if items is None:
            return ()
        if not isinstance(items, list):
            return items
        ids = [item.get("id") if isinstance(item, dict) else None for item in items]
        repeated = [(i, value) for i, value in enumerate(ids) if value is not None and value in ids[:i]]
        if repeated:
            raise ValidationError.from_exception_data("repeated ids", [
                InitErrorDetails(type=PydanticCustomError("value_error", "a scenario id not used above"),
                                 loc=(i, "id"), input=value) for i, value in repeated])
        return items


HINTS = {"share": "a share of the contacts above 0 and at most 1, e.g. 0.3 for 30 %",
         "name": "the scenario's name as the report shows it (not empty)"}
"""Plain wording for keys whose pydantic wording is technical."""


def load_scenarios(root: str | Path, *, channels: Collection[str] = (), reasons: Collection[str] | None = None,
                   departments: Collection[str] = ()) -> Scenarios:
    """The scenarios of the workspace at ``root``.

    Parameters
    ----------
    root : str or Path
        The client workspace.
    channels, departments : collection of str
        The ids of client.yaml; scenarios must use them (empty: not checked).
    reasons : collection of str, optional
        The reasons of the contacts table; a scenario's reason must be one of them
        (``None``: not checked).

    Returns
    -------
    Scenarios
        What the file holds; empty without a file (or with an empty one).

    Raises
    ------
    InputError
        Every problem in ``scenarios.yaml``, each naming the line, key path, value and what
        was expected.
    """
    path = Path(root) / SCENARIOS_FILE
    if not path.is_file():
        return Scenarios()
    document = read_yaml(path)
    if document.data is None:
        return Scenarios()
    context = {"channels": list(channels), "reasons": None if reasons is None else set(reasons),
               "departments": list(departments)}
    validator = partial(Scenarios.model_validate, context=context)
    return document.validate(validator, HINTS, keys_listed_in="docs/input-contract.md")
