"""Turn a raw table into a typed, validated DataFrame following docs/input-contract.md.

Each table is described declaratively by a :class:`TableSpec` (in :data:`SPECS`); one
generic validator, :func:`validate_table`, parses every column vectorised and collects
all problems (at most :data:`~cxlib.errors.MAX_PER_RULE` listed per rule and column).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api import types as ptypes

from ..config import WEEKDAYS, ClientConfig
from ..errors import MAX_PER_RULE, Problem, row_problems
from .read import RawTable

Kind = Literal["text", "date", "time", "integer", "number", "boolean", "choice"]

DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
)
"""Text date formats, tried in turn on the values no earlier format could parse."""
TRUE = ("true", "1", "yes", "ja", "j", "y")
FALSE = ("false", "0", "no", "nej", "nei", "n")
DEVICES = ("mobile", "desktop", "tablet", "other")
DATE_UNIT = "datetime64[us]"
"""Every date column ends up naive, in microseconds (pandas' default for parsed text), in the
client's time zone (client.yaml ``timezone``)."""
_DEFAULT_ZONE = ClientConfig.model_fields["timezone"].default
_DEFAULT_GRID = ClientConfig.model_fields["staffing_interval_min"].default
_UTC_OFFSET = r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
"""A time of day followed by a UTC offset (``14:05+01:00``, ``13:05:00Z``)."""


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``lo``/``hi`` bound numbers (inclusive, ``None`` = open); ``unit`` names their unit
    in messages. ``choices`` lists the allowed values of a ``choice`` column, or names a
    list in client.yaml: ``"channels"`` or ``"departments"`` (checked only when listed).
    ``required`` columns must exist and every row needs a value.
    """

    name: str
    kind: Kind = "text"
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    unit: str = ""
    choices: tuple[str, ...] | Literal["channels", "departments"] = ()

    def allowed(self, config: ClientConfig | None) -> tuple[str, ...] | None:
        """The allowed values of a choice column, or ``None`` when unchecked."""
        if isinstance(self.choices, tuple):
            return self.choices
        if config is None:
            return None
        ids = tuple(x.id for x in getattr(config, self.choices))
        return ids or None

    def expected(self, config: ClientConfig | None) -> str:
        """What a valid cell looks like, for messages."""
        unit = f" ({self.unit})" if self.unit else ""
        if self.kind == "date":
            return ("a date like 2025-03-01 or 1.3.2025, optionally with a time like 14:05 "
                    "and a UTC offset like 2025-03-01T14:05+01:00 or 2025-03-01T13:05Z")
        if self.kind == "time":
            grid = config.staffing_interval_min if config is not None else _DEFAULT_GRID
            return (f"a time of day HH:MM that starts a {grid}-minute interval (client.yaml staffing_interval_min), "
                    f"such as 08:00 or {8 + grid // 60:02d}:{grid % 60:02d}")
        if self.kind == "boolean":
            return "yes or no (true/false, 1/0, yes/no, ja/nej/nei, j/n, y/n)"
        if self.kind == "choice":
            allowed = ", ".join(self.allowed(config) or ())
            if isinstance(self.choices, str):
                return f"one of the {self.choices[:-1]} ids in client.yaml: {allowed}"
            return f"one of {allowed}"
        noun = "an integer" if self.kind == "integer" else "a number"
        if self.lo is not None and self.hi is not None:
            return f"{noun} {_num(self.lo)}–{_num(self.hi)}{unit}"
        if self.lo is not None:
            return f"{noun} ≥ {_num(self.lo)}{unit}"
        return f"{noun}{unit}"


@dataclass(frozen=True)
class TableSpec:
    """A table: its columns and row rules.

    ``unique`` lists column groups whose values must not repeat; ``ordered`` lists
    ``(later, earlier)`` date pairs with ``later ≥ earlier``; ``any_of`` names columns of
    which at least one must exist and hold a value somewhere. ``period_column`` is the date
    that places a row in the analysis period (``None``: the table is not filtered by period).
    """

    name: str
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    ordered: tuple[tuple[str, str], ...] = ()
    any_of: tuple[str, ...] = ()
    period_column: str | None = None


SPECS: dict[str, TableSpec] = {
    s.name: s
    for s in [
        TableSpec(
            "feedback",
            (
                Column("response_id", required=True),
                Column("date", "date", required=True),
                Column("channel", "choice", required=True, choices="channels"),
                Column("touchpoint"),
                Column("nps", "integer", lo=0, hi=10),
                Column("csat", "integer", lo=1, hi=5),
                Column("ces", "integer", lo=1, hi=7),
                Column("comment"),
                Column("device", "choice", choices=DEVICES),
                Column("segment"),
                Column("customer_id"),
                Column("contact_id"),
            ),
            unique=(("response_id",),),
            any_of=("nps", "csat", "ces"),
            period_column="date",
        ),
        TableSpec(
            "contacts",
            (
                Column("contact_id", required=True),
                Column("opened_at", "date", required=True),
                Column("channel", "choice", required=True, choices="channels"),
                Column("reason", required=True),
                Column("first_response_at", "date"),
                Column("closed_at", "date"),
                Column("handle_time_s", "number", lo=0, unit="seconds"),
                Column("resolved_first_contact", "boolean"),
                Column("customer_id"),
                Column("abandoned", "boolean"),
                Column("abandoned_at", "date"),
            ),
            unique=(("contact_id",),),
            ordered=(("first_response_at", "opened_at"), ("closed_at", "opened_at"), ("abandoned_at", "opened_at")),
            period_column="opened_at",
        ),
        TableSpec(
            "journeys",
            (
                Column("session_id", required=True),
                Column("journey", required=True),
                Column("step", required=True),
                Column("step_order", "integer", required=True, lo=1),
                Column("timestamp", "date", required=True),
                Column("device", "choice", choices=DEVICES),
                Column("customer_id"),
            ),
            unique=(("session_id", "step_order"),),
            period_column="timestamp",
        ),
        TableSpec(
            "staffing",
            (
                Column("channel", "choice", required=True, choices="channels"),
                Column("weekday", "choice", required=True, choices=tuple(WEEKDAYS)),
                Column("interval_start", "time", required=True),
                Column("agents", "number", required=True, lo=0, unit="scheduled agents"),
            ),
            unique=(("channel", "weekday", "interval_start"),),
        ),
        TableSpec(
            "customers",
            (
                Column("customer_id", required=True),
                Column("segment"),
                Column("since", "date"),
                Column("churned_at", "date"),
                Column("annual_revenue", "number", lo=0, unit="currency per year"),
            ),
            unique=(("customer_id",),),
            ordered=(("churned_at", "since"),),
        ),
        TableSpec(
            "reasons",
            (
                Column("reason", required=True),
                Column("demand_type", "choice", choices=("value", "failure")),
                Column("root_cause"),
                Column("owner_department", "choice", choices="departments"),
                Column("touchpoint"),
            ),
            unique=(("reason",),),
        ),
        TableSpec(
            "initiatives",
            (
                Column("id", required=True),
                Column("name", required=True),
                Column("area"),
                Column("effort", "integer", lo=1, hi=5),
                Column("effect", "integer", lo=1, hi=5),
                Column("cost", "number", lo=0, unit="currency"),
                Column("owner", "choice", choices="departments"),
                Column("duration", "number", lo=0, unit="months"),
                Column("requires"),
                Column("excludes"),
                Column("candidate"),
            ),
            unique=(("id",),),
        ),
        TableSpec(
            "maturity",
            (
                Column("area", required=True),
                Column("participant", required=True),
                Column("current", "integer", required=True, lo=1, hi=5),
                Column("desired", "integer", required=True, lo=1, hi=5),
            ),
            unique=(("area", "participant"),),
        ),
    ]
}


def validate_table(
    raw: RawTable, spec: TableSpec, config: ClientConfig | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed frame (fresh 0-based index) and every problem found in ``raw``.

    Columns are matched ignoring case and surrounding spaces and renamed to the spec's
    names; extra columns are kept as read. Config-dependent rules (channel and department
    ids) are skipped when ``config`` is ``None``.
    """
    file = raw.path.name
    frame = raw.frame
    by_key: dict[str, list] = {}
    for c in frame.columns:
        by_key.setdefault(str(c).strip().lower(), []).append(c)
    found = f"found columns: {', '.join(map(str, frame.columns))}"
    twice = [Problem(file, None, c.name, None, f"one column for {c.name}; the columns "
                     f"{' and '.join(repr(str(x)) for x in by_key[c.name])} differ only in case: "
                     "remove or rename all but one")
             for c in spec.columns if len(by_key.get(c.name, ())) > 1]
    if twice:
        return frame.reset_index(drop=True), twice
    present = [c for c in spec.columns if c.name.lower() in by_key]
    problems = [
        Problem(file, None, c.name, None, f"a column '{c.name}' (required in the {spec.name} table); {found}")
        for c in spec.columns
        if c.required and c not in present
    ]
    if spec.any_of and not any(c.name in spec.any_of for c in present):
        any_of = f"at least one of the columns {', '.join(spec.any_of)}; {found}"
        problems.append(Problem(file, None, None, None, any_of))

    rows = frame.index.to_numpy()
    named = frame.rename(columns={by_key[c.name][0]: c.name for c in present})
    typed = named.copy(deep=False)
    for col in present:
        raw_col = named[col.name]
        values, bad = _PARSERS[col.kind](raw_col, col, config)
        problems += row_problems(file, col.name, rows[bad], raw_col[bad].to_numpy(), col.expected(config))
        if col.required:
            empty = (values.isna() & ~bad).to_numpy()
            problems += row_problems(file, col.name, rows[empty], None, f"a value ({col.name} is required)")
        typed[col.name] = values
    names = {c.name for c in present}
    scored = [c for c in spec.any_of if c in names]
    if scored and not named[scored].notna().any(axis=None):
        problems.append(Problem(file, None, ", ".join(scored), None,
                                f"a value in at least one row of {' or '.join(scored)} (every cell is empty)"))
    for key in spec.unique:
        if names.issuperset(key):
            problems += _unique(typed, named, key, file)
    for later, earlier in spec.ordered:
        if names.issuperset((later, earlier)):
            problems += _ordered(typed, named, later, earlier, file)
    return typed.reset_index(drop=True), problems


# --- column parsers: (raw column, spec, config) -> (typed values, bad-value mask) ------


def _text(s: pd.Series) -> pd.Series:
    """Cells as stripped text (pandas string dtype); blank cells missing."""
    if s.dtype == object and ptypes.infer_dtype(s, skipna=True) != "string":  # the scan is C, the map Python
        s = s.map(_cell_text, na_action="ignore")
    elif ptypes.is_float_dtype(s) and bool((s.dropna() % 1 == 0).all()):
        s = s.astype("Int64")
    text = s.astype("str").str.strip()
    return text.where(text != "")


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_text(s, col, config):
    text = _text(s)
    return text, np.zeros(len(s), bool)


def _parse_choice(s, col, config):
    text = _text(s).str.lower()
    allowed = col.allowed(config)
    bad = np.zeros(len(s), bool) if allowed is None else (text.notna() & ~text.isin(allowed)).to_numpy()
    return text.where(~bad), bad


def _parse_date(s, col, config):
    zone = config.timezone if config is not None else _DEFAULT_ZONE
    if ptypes.is_datetime64_any_dtype(s):
        return local_time(s, zone), np.zeros(len(s), bool)
    if s.dtype == object and ptypes.infer_dtype(s, skipna=True) in ("date", "datetime"):  # Parquet date32, Excel
        return local_time(pd.to_datetime(s, utc=_any_aware(s)), zone), np.zeros(len(s), bool)
    text = _text(s)
    out = pd.Series(pd.NaT, index=s.index, dtype=DATE_UNIT)
    todo = text.notna().to_numpy()
    offset = todo & text.str.contains(_UTC_OFFSET, regex=True).fillna(False).to_numpy()
    if offset.any():  # ISO 8601 with a UTC offset: 2025-03-01T14:05:00+01:00, …Z
        out[offset] = local_time(pd.to_datetime(text[offset], format="ISO8601", utc=True, errors="coerce"), zone)
        todo = todo & ~offset
        bad_offset = offset & out.isna().to_numpy()
    else:
        bad_offset = offset
    for fmt in DATE_FORMATS:
        if not todo.any():
            break
        out[todo] = _strptime(text[todo], fmt)
        todo = todo & out.isna().to_numpy()
    return out, todo | bad_offset


def local_time(stamps: pd.Series, zone: str) -> pd.Series:
    """Timestamps as naive wall-clock time in ``zone`` (an IANA name such as Europe/Stockholm).

    Time-zone-aware stamps are converted to ``zone`` first, so that stamps written in different
    zones (or in UTC) keep their true order and durations; naive stamps are taken to be in
    ``zone`` already.
    """
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert(zone).dt.tz_localize(None)
    return stamps.astype(DATE_UNIT)


def _any_aware(values: pd.Series) -> bool:
    return any(getattr(v, "tzinfo", None) is not None for v in values.dropna())


def _strptime(text: pd.Series, fmt: str) -> pd.Series:
    """Parse with pyarrow (fast also when nothing matches); pandas for fractional seconds."""
    if "%f" in fmt:
        return pd.to_datetime(text, format=fmt, errors="coerce").astype(DATE_UNIT)
    parsed = pc.strptime(pa.array(text), format=fmt, unit="us", error_is_null=True)
    return parsed.to_pandas().set_axis(text.index)


def _parse_number(s, col, config):
    if ptypes.is_numeric_dtype(s) and not ptypes.is_bool_dtype(s):
        values = s.astype("float64")
        bad = np.zeros(len(s), bool)
    else:
        text = _text(s)
        try:  # fast path: every cell a plain number
            values = pc.cast(pa.array(text), pa.float64()).to_pandas().set_axis(text.index)
        except pa.ArrowInvalid:
            values = pd.to_numeric(text, errors="coerce").astype("float64")
        todo = (values.isna() & text.notna()).to_numpy()
        if todo.any():
            values = values.where(~todo, pd.to_numeric(_normalise_number(text[todo]), errors="coerce"))
        bad = (values.isna() & text.notna()).to_numpy()
    bad = bad | np.isinf(values.to_numpy())
    if col.kind == "integer":
        bad = bad | ((values % 1 != 0) & values.notna()).to_numpy()
    if col.lo is not None:
        bad = bad | (values < col.lo).to_numpy()
    if col.hi is not None:
        bad = bad | (values > col.hi).to_numpy()
    values = values.where(~bad)
    return (values.astype("Int64") if col.kind == "integer" else values), bad


def _normalise_number(text: pd.Series) -> pd.Series:
    """Nordic/European number text to plain ``1234.5``: spaces (also non-breaking) and
    apostrophes as thousands separators, decimal comma, ``1.234,5`` and ``1,234.5``.
    """
    t = text.str.replace(r"[ \t\u00a0\u202f']", "", regex=True).str.replace("\u2212", "-", regex=False)
    dots_then_comma = t.str.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d*)?")
    t = t.where(~dots_then_comma, t.str.replace(".", "", regex=False))
    commas_then_dot = t.str.fullmatch(r"[+-]?\d{1,3}(,\d{3})+\.\d*")
    t = t.where(~commas_then_dot, t.str.replace(",", "", regex=False))
    return t.str.replace(",", ".", regex=False)


def _parse_boolean(s, col, config):
    if ptypes.is_bool_dtype(s) or (s.dtype == object and ptypes.infer_dtype(s, skipna=True) == "boolean"):
        return s.astype("boolean"), np.zeros(len(s), bool)  # native booleans (Parquet, Excel), gaps allowed
    text = _text(s).str.lower()
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    out[text.isin(TRUE).to_numpy()] = True
    out[text.isin(FALSE).to_numpy()] = False
    return out, (text.notna() & out.isna()).to_numpy()


_CLOCK = r"^(\d{1,2}):(\d{2})(?::00)?$"


def _parse_time(s, col, config):
    """Times of day (``08:30``, ``8:30``, ``08:30:00`` or Excel time cells) as minutes since midnight."""
    grid = config.staffing_interval_min if config is not None else _DEFAULT_GRID
    if s.dtype == object and ptypes.infer_dtype(s, skipna=True) == "time":  # Excel and Parquet time cells
        s = s.map(lambda v: v.strftime("%H:%M") if v.second == 0 else str(v), na_action="ignore")
    text = _text(s)
    parts = text.str.extract(_CLOCK).astype("float64")
    minutes = parts[0] * 60 + parts[1]
    bad = (text.notna() & (minutes.isna() | (parts[0] > 23) | (parts[1] > 59) | (minutes % grid != 0))).to_numpy()
    return minutes.where(~bad).astype("Int64"), bad


_PARSERS: dict[str, Callable] = {
    "text": _parse_text,
    "time": _parse_time,
    "choice": _parse_choice,
    "date": _parse_date,
    "integer": _parse_number,
    "number": _parse_number,
    "boolean": _parse_boolean,
}


# --- row rules -------------------------------------------------------------------------


def _unique(typed: pd.DataFrame, named: pd.DataFrame, key: tuple[str, ...], file: str) -> list[Problem]:
    """Rows repeating an earlier row's ``key`` values (rows with a missing part skipped; shown as
    written in ``named``).
    """
    keys = typed[list(key)]
    keys = keys[keys.notna().all(axis=1)]
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return []
    firsts = keys[~repeated]
    shown = keys[repeated].head(MAX_PER_RULE)
    where = firsts.index[pd.MultiIndex.from_frame(firsts).get_indexer(pd.MultiIndex.from_frame(shown))]
    values = [", ".join(map(str, k)) for k in named.loc[shown.index, list(key)].itertuples(index=False)]
    label = key[0] if len(key) == 1 else f"({', '.join(key)}) combination"
    rows = keys.index[repeated].to_numpy()
    return row_problems(file, ", ".join(key), rows, values, lambda i: f"a unique {label} (also used on row {where[i]})")


def _ordered(typed: pd.DataFrame, named: pd.DataFrame, later: str, earlier: str, file: str) -> list[Problem]:
    """Rows where date ``later`` comes before date ``earlier`` (shown as written in ``named``)."""
    bad = (typed[later] < typed[earlier]).to_numpy()
    before = named.loc[bad, earlier].head(MAX_PER_RULE).tolist()
    rows, values = typed.index[bad].to_numpy(), named.loc[bad, later].to_numpy()
    return row_problems(file, later, rows, values, lambda i: f"{later} on or after {earlier} ({before[i]})")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
