"""The client's own scenarios, ``scenarios.yaml``: channel shifts (step 04).

A workspace may hold ``scenarios.yaml`` next to ``client.yaml``::

    channel_shift:
      - id: invoice-to-app
        name: Invoice questions answered in the app
        from: phone
        to: app
        reason: var är min faktura   # optional: only contacts of this reason
        share: 0.30                  # share 0–1 of the matching contacts that move
        owner: it                    # optional: the department that would own it

It is validated like every input: each problem names the line, the key path, the value and
what was expected.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from ..config import Identifier
from .yamlfile import errors_at_keys, read_yaml

SCENARIOS_FILE = "scenarios.yaml"


class ChannelShift(BaseModel):
    """Move ``share`` (0–1) of the contacts of channel ``from_channel`` (of one ``reason`` when
    given) to channel ``to_channel``.

    Validated with the context ``{"channels": ids, "reasons": names, "departments": ids}``,
    the channels, reason and owner must be among them (a context entry left out is not checked).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Identifier
    name: str = Field(min_length=1)
    from_channel: str = Field(alias="from")
    to_channel: str = Field(alias="to")
    reason: str | None = None
    share: float = Field(gt=0, le=1)
    owner: Identifier | None = None

    @model_validator(mode="after")
    def _known(self, info: ValidationInfo):
        context = info.context or {}
        bad = {}
        channels = context.get("channels")
        for key, value in (("from", self.from_channel), ("to", self.to_channel)):
            if channels and value not in channels:
                bad[key] = (value, f"a channel id of client.yaml: {', '.join(channels)}")
        if self.to_channel == self.from_channel:
            bad["to"] = (self.to_channel, "another channel than 'from'")
        reasons = context.get("reasons")
        if self.reason is not None and reasons is not None and self.reason not in reasons:
            bad["reason"] = (self.reason, "a reason of the contacts table (spelt as there)")
        departments = context.get("departments")
        if self.owner is not None and departments and self.owner not in departments:
            bad["owner"] = (self.owner, f"a department id of client.yaml: {', '.join(departments)}")
        if bad:
            raise errors_at_keys(bad)
        return self


class Scenarios(BaseModel):
    """Everything ``scenarios.yaml`` holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    channel_shift: tuple[ChannelShift, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self):
        ids = [s.id for s in self.channel_shift]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"unique scenario ids; repeated: {', '.join(repeated)}")
        return self


HINTS = {"share": "a share of the contacts above 0 and at most 1, e.g. 0.3 for 30 %"}
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
