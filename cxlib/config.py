"""The client configuration, ``client.yaml``: model and loader.

Unknown keys, wrong types and values out of range are each reported as a
:class:`~cxlib.errors.Problem` naming the YAML line and the key path.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import InputError, Problem
from .i18n import LANGUAGES
from .kpis import KPI, KPIS
from .io.yamlfile import errors_at_keys, read_yaml

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_HOURS = re.compile(r"^(\d{1,2}):?(\d{2})?\s*-\s*(\d{1,2}):?(\d{2})?$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")

CommentLanguage = Literal["sv", "nb", "da", "en"]
"""Languages customers' comments are read in (and comment themes are written in)."""
ReportLanguage = Literal[LANGUAGES]  # type: ignore[valid-type]  # Literal of a tuple is Literal of its items
"""Languages reports are written in (:data:`cxlib.i18n.LANGUAGES`)."""


def check_id(value: str) -> str:
    """``value`` if it is an id of the workspace (channel, department, stage, theme).

    Parameters
    ----------
    value : str
        The id as written.

    Returns
    -------
    str
        ``value``, unchanged.

    Raises
    ------
    ValueError
        ``value`` has other characters than lower-case letters a–z, digits, ``_`` and
        ``-``, or starts with ``_`` or ``-``. Ids are written in tables and joined with
        ``|`` internally, so nothing else is safe.
    """
    if not _ID.match(value):
        raise ValueError("an id of lower-case letters a–z, digits, '_' and '-', starting with a letter or digit")
    return value


Identifier = Annotated[str, AfterValidator(check_id)]
"""An id as :func:`check_id` accepts it."""


def check_targets(targets: dict[str, float]) -> dict[str, float]:
    """``targets`` if every key is a KPI id of :data:`~cxlib.kpis.KPIS` and every value is
    within that KPI's range: the one rule for KPI targets, in client.yaml and in the workshop inputs.

    Parameters
    ----------
    targets : dict of str to float
        Target value per KPI id, in the KPI's unit (a share 0–1, NPS points, seconds, …).

    Returns
    -------
    dict of str to float
        ``targets``, unchanged.

    Raises
    ------
    pydantic.ValidationError
        One error per bad target, located at its key, so every bad target is reported
        at its own line.
    """
    bad = {}
    for kpi_id, value in targets.items():
        kpi = KPIS.get(kpi_id)
        if kpi is None:
            bad[kpi_id] = (kpi_id, f"a KPI id (unknown KPI '{kpi_id}'; known: {', '.join(KPIS)})")
        elif (not math.isfinite(value) or (kpi.lo is not None and value < kpi.lo)
              or (kpi.hi is not None and value > kpi.hi)):
            bad[kpi_id] = (f"{value:g}", f"a target {_target_range(kpi)} for {kpi_id} ({_UNITS[kpi.unit]})")
    if bad:
        raise errors_at_keys(bad)
    return targets


_UNITS = {
    "points": "NPS points",
    "share": "a share: 0.8 means 80 %",
    "score": "a mean score",
    "seconds": "seconds",
    "count": "a count",
    "currency": "in the client's currency",
}


def _target_range(kpi: KPI) -> str:
    if kpi.lo is not None and kpi.hi is not None:
        return f"within {kpi.lo:g}…{kpi.hi:g}"
    return f"of at least {kpi.lo:g}" if kpi.lo is not None else f"of at most {kpi.hi:g}"


KpiTargets = Annotated[dict[str, float], AfterValidator(check_targets)]
"""Target value per KPI id, as :func:`check_targets` accepts them."""


def check_timezone(name: str) -> str:
    """``name`` if it is an IANA time-zone name that :class:`zoneinfo.ZoneInfo` knows.

    Parameters
    ----------
    name : str
        A name such as ``Europe/Stockholm`` (case matters).

    Returns
    -------
    str
        ``name``, unchanged.

    Raises
    ------
    ValueError
        Unknown or malformed name; the message gives examples.
    """
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError("an IANA time-zone name (case matters) such as Europe/Stockholm, Europe/Oslo, "
                         "Europe/Copenhagen, Europe/Helsinki or UTC") from None
    return name


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceLevel(_Strict):
    """Service-level target: ``share`` (0–1) of contacts answered within ``within_s`` seconds."""

    share: float = Field(ge=0, le=1)
    within_s: float = Field(gt=0)


WeekHours = dict[str, str] | Literal["24/7"]
"""Hours of the week: ``"24/7"`` or ``{days: "HH:MM-HH:MM"}`` with days like ``mon-fri``, ``sat``."""
HOURS_EXPECTED = '"24/7" or days with their hours, e.g. {mon-fri: "08:00-17:00", sat: "10:00-14:00"}'
"""What hours of the week look like, as problems say it."""


class Channel(_Strict):
    """A channel the client serves customers in.

    ``opening_hours`` say when contacts can arrive; ``staffed_hours`` when agents work the
    channel (default: the opening hours; for async channels often office hours). Staffing uses
    ``shrinkage`` (share 0–1 of paid time not spent on contacts), ``max_occupancy`` (share 0–1 of
    productive time agents may be busy) and ``cost_per_agent_hour`` (fully loaded cost of a paid
    agent hour, in the client's currency; optional).
    """

    id: Identifier
    name: str
    kind: Literal["queue", "async", "self-service", "physical"]
    cost_per_contact: float | None = Field(default=None, ge=0)
    opening_hours: WeekHours = "24/7"
    staffed_hours: WeekHours | None = None
    service_level: ServiceLevel | None = None
    shrinkage: float = Field(default=0.3, ge=0, lt=1)
    max_occupancy: float = Field(default=0.85, gt=0, le=1)
    cost_per_agent_hour: float | None = Field(default=None, ge=0)

    @field_validator("opening_hours", "staffed_hours", mode="before")
    @classmethod
    def _check_hours(cls, v):
        """One plain message for hours of any wrong shape (not one per member of :data:`WeekHours`)."""
        if v is None or v == "24/7":
            return v
        if not isinstance(v, dict) or not all(isinstance(x, str) for pair in v.items() for x in pair):
            raise ValueError(HOURS_EXPECTED)
        week_minutes(v)
        return v

    def open_minutes(self) -> dict[int, tuple[int, int]]:
        """Opening hours as ``{weekday 0=Mon…6=Sun: (open minute, close minute)}``."""
        return week_minutes(self.opening_hours)

    def staffed_minutes(self) -> dict[int, tuple[int, int]]:
        """Staffed hours (default: the opening hours) as ``{weekday: (first minute, end minute)}``."""
        return week_minutes(self.opening_hours if self.staffed_hours is None else self.staffed_hours)


def week_minutes(hours: WeekHours) -> dict[int, tuple[int, int]]:
    """Hours of the week as ``{weekday 0=Mon…6=Sun: (first minute, end minute)}``; days left out are closed.

    Raises
    ------
    ValueError
        A day or span that does not read like ``mon-fri: "08:00-17:00"``.
    """
    if hours == "24/7":
        return {d: (0, 24 * 60) for d in range(7)}
    out: dict[int, tuple[int, int]] = {}
    for days, span in hours.items():
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

    id: Identifier
    name: str


class Stage(_Strict):
    """A stage of the customer journey and the feedback touchpoints that belong to it."""

    id: Identifier
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


PRIORITY_CRITERIA = ("nps_points", "value_per_year", "rated_effect", "effort")
"""Criteria of step 07's weighted score: NPS points, money per year, the effect score 1–5 and the effort score 1–5."""
PRIORITY_METHODS = ("weighted", "rice", "ice", "wsjf")
"""Ranking methods of step 07 (:mod:`cxlib.analysis.scoring`)."""
Criterion = Literal[PRIORITY_CRITERIA]  # type: ignore[valid-type]
RACI_ROLES = ("A/R", "A", "R", "C", "I")
"""The roles of a RACI cell (step 08): Accountable and Responsible, Accountable, Responsible, Consulted, Informed."""
RaciRole = Literal[RACI_ROLES]  # type: ignore[valid-type]


class Prioritisation(_Strict):
    """Step 07: how initiatives are ranked, chosen and scheduled.

    ``weights`` weigh the criteria of :data:`PRIORITY_CRITERIA` (any scale; they are scaled to
    sum to 1; criteria left out weigh 0). ``budget`` is the most the chosen initiatives may cost
    together (one-off, in the client's currency); ``None`` shows the frontier only.
    ``effort_threshold`` (1–5) and ``effect_threshold`` (effect score 0–1) split the matrix into
    quadrants; ``None`` takes the median. ``horizon_years`` is the NPV horizon;
    ``capacity_per_quarter`` the most initiatives one department runs at once (a number for all,
    or per department id); ``top_k`` the size of the top whose stability is reported;
    ``samples`` and ``seed`` the draws of the stability analysis, and ``weight_spread`` the share
    0–1 of the weights redrawn around the chosen ones (``null``: drawn on the whole simplex).
    """

    weights: dict[Criterion, float] = Field(default_factory=lambda: {
        "nps_points": 0.3, "value_per_year": 0.3, "rated_effect": 0.2, "effort": 0.2})
    method: Literal[PRIORITY_METHODS] = "weighted"  # type: ignore[valid-type]
    budget: float | None = Field(default=None, ge=0)
    effort_threshold: float | None = Field(default=None, ge=1, le=5)
    effect_threshold: float | None = Field(default=None, ge=0, le=1)
    horizon_years: int = Field(default=3, ge=1, le=30)
    capacity_per_quarter: int | dict[Identifier, int] | None = None
    weight_spread: float | None = Field(default=0.25, ge=0, le=1)
    top_k: int = Field(default=3, ge=1, le=20)
    samples: int = Field(default=500, ge=50, le=20000)
    seed: int = 0

    @field_validator("weights")
    @classmethod
    def _some_weight(cls, weights: dict[str, float]) -> dict[str, float]:
        if any(w < 0 for w in weights.values()) or not any(w > 0 for w in weights.values()):
            raise ValueError("weights must be 0 or more, and at least one above 0")
        return weights


class ClientConfig(_Strict):
    """Everything ``client.yaml`` holds about a client.

    ``gross_margin`` (share 0–1 of revenue) and ``discount_rate`` (per year) feed the
    customer-lifetime-value formula; ``stages`` order the touchpoints on the journey map;
    ``comment_languages`` are the languages customers write comments in (fewer languages,
    fewer detection mistakes); ``timezone`` is the IANA time zone the client's clock reads,
    into which time-zone-aware timestamps are converted. ``staffing_interval_min`` (15, 30 or
    60 minutes) is the length of the intervals demand and staffing are counted in (step 04), and
    ``fte_hours_per_week`` the paid hours of one full-time agent. Step 05 counts a session as
    converted to a step only within ``funnel_window_days`` of entering its journey, a contact as a
    repeat when the same customer contacted about the same reason within ``repeat_window_days``
    before, and a contact as following a dropped web session within ``dropout_contact_days`` of
    the session's last step (days, fractions allowed). ``journey_owners`` maps a journey of the
    journeys table to the department id that owns it, and ``kpi_owners`` a KPI id to the department
    that answers for it on step 08's shared dashboard.
    """

    name: str = Field(min_length=1)
    language: ReportLanguage = "sv"
    comment_languages: list[CommentLanguage] = Field(
        default_factory=lambda: ["sv", "nb", "da", "en"], min_length=1)
    currency: str = Field(default="SEK", pattern=r"^[A-Z]{3}$")
    timezone: Annotated[str, AfterValidator(check_timezone)] = "Europe/Stockholm"
    period: Period | None = None
    staffing_interval_min: Literal[15, 30, 60] = 30
    fte_hours_per_week: float = Field(default=40.0, gt=0, le=168)
    funnel_window_days: float = Field(default=7.0, gt=0, le=366)
    repeat_window_days: float = Field(default=7.0, gt=0, le=366)
    dropout_contact_days: float = Field(default=2.0, gt=0, le=366)
    channels: list[Channel] = Field(min_length=1)
    gross_margin: float = Field(default=1.0, gt=0, le=1)
    discount_rate: float = Field(default=0.08, ge=0, lt=1)
    targets: KpiTargets = Field(default_factory=dict)
    departments: list[Department] = Field(default_factory=list)
    journey_owners: dict[str, Identifier] = Field(default_factory=dict)
    kpi_owners: dict[str, Identifier] = Field(default_factory=dict)
    stages: list[Stage] = Field(default_factory=list)
    prioritisation: Prioritisation = Field(default_factory=Prioritisation)

    @field_validator("journey_owners", "kpi_owners", mode="after")
    @classmethod
    def _owners_are_departments(cls, owners: dict[str, str], info) -> dict[str, str]:
        known = [d.id for d in info.data.get("departments", [])]
        bad = {}
        for owned, owner in owners.items():
            if info.field_name == "kpi_owners" and owned not in KPIS:
                bad[owned] = (owned, f"a KPI id (known: {', '.join(KPIS)})")
            elif owner not in known:
                bad[owned] = (owner, f"a department id listed under departments: {', '.join(known) or 'none listed'}")
        if bad:
            raise errors_at_keys(bad)
        return owners

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
    """Read and validate ``client.yaml``.

    Parameters
    ----------
    path : str or Path
        The file, read as :func:`cxlib.io.yamlfile.read_yaml` says.

    Returns
    -------
    ClientConfig
        The validated configuration.

    Raises
    ------
    InputError
        Every problem found, each naming the line, key path, value and what was expected.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(path.name, None, None, None, f"a file {path} (every client workspace needs one)")])
    document = read_yaml(path)
    if not isinstance(document.data, dict):
        raise InputError([Problem(document.file, None, None, None, "a YAML mapping with keys name, channels, …")])
    return document.validate(ClientConfig.model_validate, _HINTS, keys_listed_in="the commented template of `cxwb new`")


_HINTS = {"currency": "a three-letter ISO currency code in capitals, e.g. SEK, NOK, DKK or EUR",
          "fte_hours_per_week": "paid hours a week of one full-time agent, above 0 and at most 168, e.g. 40",
          "max_occupancy": "a share above 0 and at most 1 of productive time agents may be busy, e.g. 0.85",
          "cost_per_agent_hour": "a cost of one paid agent hour, 0 or more, in the client's currency",
          "shrinkage": "a share from 0 up to (not including) 1 of paid time not spent on contacts, e.g. 0.3",
          "staffing_interval_min": "the number 15, 30 or 60 (minutes, unquoted)",
          "funnel_window_days": "a number of days above 0 and at most 366, e.g. 7",
          "repeat_window_days": "a number of days above 0 and at most 366, e.g. 7",
          "dropout_contact_days": "a number of days above 0 and at most 366, e.g. 2"}
"""Plain wording for keys whose pydantic wording is a pattern."""
