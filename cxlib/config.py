"""The client configuration, ``client.yaml``: model and loader.

Unknown keys, wrong types and values out of range are each reported as a
:class:`~cxlib.errors.Problem` naming the YAML line and the key path.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import InputError, Problem
from .kpis import KPIS

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_HOURS = re.compile(r"^(\d{1,2}):?(\d{2})?\s*-\s*(\d{1,2}):?(\d{2})?$")
_ID = r"^[a-z0-9][a-z0-9_\-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceLevel(_Strict):
    """Service-level target: ``share`` (0–1) of contacts answered within ``within_s`` seconds."""

    share: float = Field(ge=0, le=1)
    within_s: float = Field(gt=0)


class Channel(_Strict):
    """A channel the client serves customers in."""

    id: str = Field(pattern=_ID)
    name: str
    kind: Literal["queue", "async", "self-service", "physical"]
    cost_per_contact: float = Field(default=0.0, ge=0)
    opening_hours: dict[str, str] | Literal["24/7"] = "24/7"
    service_level: ServiceLevel | None = None
    shrinkage: float = Field(default=0.3, ge=0, lt=1)

    @field_validator("opening_hours")
    @classmethod
    def _check_hours(cls, v):
        if v == "24/7":
            return v
        for days, span in v.items():
            _expand_days(days)
            _parse_span(span)
        return v

    def open_minutes(self) -> dict[int, tuple[int, int]]:
        """Opening hours as ``{weekday 0=Mon…6=Sun: (open minute, close minute)}``."""
        if self.opening_hours == "24/7":
            return {d: (0, 24 * 60) for d in range(7)}
        out: dict[int, tuple[int, int]] = {}
        for days, span in self.opening_hours.items():
            for d in _expand_days(days):
                out[d] = _parse_span(span)
        return out


def _expand_days(key: str) -> list[int]:
    key = key.strip().lower()
    if "-" in key:
        a, b = (p.strip() for p in key.split("-", 1))
        if a not in WEEKDAYS or b not in WEEKDAYS or WEEKDAYS.index(a) > WEEKDAYS.index(b):
            raise ValueError(f"day range '{key}' must look like 'mon-fri'")
        return list(range(WEEKDAYS.index(a), WEEKDAYS.index(b) + 1))
    if key not in WEEKDAYS:
        raise ValueError(f"day '{key}' must be one of {', '.join(WEEKDAYS)} or a range like 'mon-fri'")
    return [WEEKDAYS.index(key)]


def _parse_span(span: str) -> tuple[int, int]:
    m = _HOURS.match(str(span).strip())
    if not m:
        raise ValueError(f"hours '{span}' must look like '08:00-17:00'")
    h1, m1, h2, m2 = (int(x or 0) for x in m.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if not (0 <= start < end <= 24 * 60) or m1 >= 60 or m2 >= 60:
        raise ValueError(f"hours '{span}' must open before they close, within 00:00-24:00")
    return start, end


class Department(_Strict):
    """An internal department that can own root causes and initiatives."""

    id: str = Field(pattern=_ID)
    name: str


class Stage(_Strict):
    """A stage of the customer journey and the feedback touchpoints that belong to it."""

    id: str = Field(pattern=_ID)
    name: str
    touchpoints: list[str] = Field(min_length=1)


class Period(_Strict):
    """Analysis period, both dates inclusive."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError("period end must not be before start")
        return self


class ClientConfig(_Strict):
    """Everything ``client.yaml`` holds about a client.

    ``gross_margin`` (share 0–1 of revenue) and ``discount_rate`` (per year) feed the
    customer-lifetime-value formula; ``stages`` order the touchpoints on the journey map;
    ``comment_languages`` are the languages customers write comments in (fewer languages,
    fewer detection mistakes).
    """

    name: str = Field(min_length=1)
    language: Literal["sv", "en", "nb"] = "sv"
    comment_languages: list[Literal["sv", "nb", "da", "en"]] = Field(
        default_factory=lambda: ["sv", "nb", "da", "en"], min_length=1)
    currency: str = Field(default="SEK", pattern=r"^[A-Z]{3}$")
    period: Period | None = None
    channels: list[Channel] = Field(min_length=1)
    gross_margin: float = Field(default=1.0, gt=0, le=1)
    discount_rate: float = Field(default=0.08, ge=0, lt=1)
    targets: dict[str, float] = Field(default_factory=dict)
    departments: list[Department] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)

    @field_validator("targets")
    @classmethod
    def _known_kpis(cls, v: dict[str, float]):
        for key, value in v.items():
            if key not in KPIS:
                raise ValueError(f"unknown KPI '{key}'; known: {', '.join(KPIS)}")
            kpi = KPIS[key]
            if (kpi.lo is not None and value < kpi.lo) or (kpi.hi is not None and value > kpi.hi):
                raise ValueError(f"target {key}={value} outside {kpi.lo}…{kpi.hi} ({kpi.unit})")
        return v

    @model_validator(mode="after")
    def _unique_ids(self):
        for label, items in (("channel", self.channels), ("department", self.departments), ("stage", self.stages)):
            ids = [i.id for i in items]
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                raise ValueError(f"{label} ids must be unique; repeated: {', '.join(dup)}")
        return self

    def channel_names(self) -> dict[str, str]:
        """Channel id → display name."""
        return {c.id: c.name for c in self.channels}

    def channel(self, channel_id: str) -> Channel:
        """The channel with this id (``KeyError`` if unknown)."""
        for c in self.channels:
            if c.id == channel_id:
                return c
        raise KeyError(channel_id)


def load_config(path: str | Path) -> ClientConfig:
    """Read and validate ``client.yaml``; raise :class:`InputError` listing every problem."""
    path = Path(path)
    fname = path.name
    if not path.is_file():
        raise InputError([Problem(fname, None, None, None, f"a file {path} (every client workspace needs one)")])
    text = path.read_text(encoding="utf-8-sig")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        raise InputError([Problem(fname, row, None, None, f"valid YAML ({getattr(exc, 'problem', exc)})")]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(fname, None, None, None, "a YAML mapping with keys name, channels, …")])
    try:
        return ClientConfig.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            value = None if err["type"] == "missing" else _short(err.get("input"))
            msg = _EXPECTED.get(err["type"], err["msg"].removeprefix("Value error, "))
            if err["type"] == "literal_error":
                msg = "one of " + err["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
            problems.append(Problem(fname, _line_of(node, loc), _dotted(loc), value, msg))
        raise InputError(problems) from None


#: Plain wording for pydantic's error types; others keep pydantic's own message.
_EXPECTED = {
    "extra_forbidden": "no such key (check the spelling; see `cxwb new` for a commented template)",
    "missing": "this key (it is required)",
    "float_parsing": "a number, e.g. 85 or 0.8",
    "float_type": "a number, e.g. 85 or 0.8",
    "int_parsing": "a whole number",
    "date_parsing": "a date like 2025-01-31",
    "date_from_datetime_parsing": "a date like 2025-01-31",
    "string_type": "text",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
}


def _short(value) -> str | None:
    if isinstance(value, (dict, list)):
        return None
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _dotted(loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _line_of(node, loc) -> int | None:
    """1-based line of the YAML node at path ``loc`` (nearest existing parent)."""
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((kv for kv in node.value if kv[0].value == str(part)), None)
            if match is None:
                break
            line = match[0].start_mark.line + 1
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
