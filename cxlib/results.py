"""Saved results: how steps talk to each other and to the report index.

Each step writes ``<out_dir>/results/<step>.json`` holding its KPIs, findings and
candidate initiatives; later steps and :mod:`cxlib.report.pages` read them back. Writes are
atomic (a temporary file renamed into place), so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from .errors import CxError
from .files import write_atomic


def _none_if_nan(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


#: A float that may be missing; NaN is stored as JSON null.
OptFloat = Annotated[float | None, BeforeValidator(_none_if_nan)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KpiValue(_Model):
    """One KPI value for one scope (``overall`` or ``<dimension>:<value>``), with its 95 % interval."""

    kpi: str
    scope: str = "overall"
    value: OptFloat
    low: OptFloat = None
    high: OptFloat = None
    n: int = 0


class Finding(_Model):
    """What was measured, how big, how sure: ``text`` in the report language."""

    id: str
    text: str
    kpi: str | None = None
    value: OptFloat = None
    low: OptFloat = None
    high: OptFloat = None


#: The effects a candidate may estimate, and the unit of each (see :func:`cxlib.i18n.fmt_value`).
EFFECTS = {
    "nps_points": "points",                    # change in overall NPS, points −100…100
    "contacts_per_year": "count",              # change in inbound contacts per year (negative: fewer)
    "fte": "fte",                              # change in staff, full-time equivalents
    "cost_per_year": "currency",               # change in cost per year, client's currency
    "customers_retained_per_year": "count",    # customers per year who would otherwise have left
    "service_level": "share_change",           # change in a channel's service level, share 0–1 answered in time
    "sessions_recovered_per_year": "count",    # digital sessions per year that would complete instead of dropping
}
#: What a candidate may move besides a KPI of :data:`cxlib.kpis.KPIS` (its ``mechanism``).
MECHANISMS = ("service_level", "channel_mix", "digital_journey", "failure_demand")


class Effect(_Model):
    """An estimate with its 95 % interval (bounds absent where not known)."""

    value: float
    low: OptFloat = None
    high: OptFloat = None


class Candidate(_Model):
    """A candidate initiative proposed by a step, for prioritisation (step 07).

    ``mechanism`` is the KPI id the initiative moves, or one of :data:`MECHANISMS`. ``effects`` maps ids of
    :data:`EFFECTS` to estimates; an effect that is not known is absent, never 0. ``effort``
    is the cost per year in the client's currency where the data gives it, else ``None`` (left
    for the workshop). ``reach_per_year`` counts the customers (or cases) it touches per year,
    where known. ``touchpoint`` is the touchpoint it acts on (as in the feedback and reasons
    tables), where the step knows it: step 07 groups candidates on the same touchpoint, whose
    effects overlap. The readable sentence is rendered from these numbers
    (:func:`cxlib.report.display.candidate_text`).
    """

    id: str
    name: str
    area: str
    source_step: str
    mechanism: str
    owner: str | None = None
    effects: dict[str, Effect] = Field(default_factory=dict)
    effort: Effect | None = None
    reach_per_year: OptFloat = None
    touchpoint: str | None = None

    @field_validator("effects")
    @classmethod
    def _known_effects(cls, effects: dict[str, Effect]) -> dict[str, Effect]:
        unknown = sorted(set(effects) - set(EFFECTS))
        if unknown:
            raise ValueError(f"unknown effect ids {', '.join(unknown)}; known are {', '.join(EFFECTS)}")
        return effects


class StepResult(_Model):
    """Everything one step saves.

    ``client`` is the client's name, ``workspace`` the absolute path of its workspace folder and
    ``inputs`` the SHA-256 of every input file the result was computed from (see
    :attr:`cxlib.io.workspace.Workspace.fingerprint`): a later step uses the result only when all
    three match its own workspace.
    """

    step: str
    client: str
    workspace: str = ""
    inputs: dict[str, str] = Field(default_factory=dict)
    language: str
    created: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    kpis: list[KpiValue] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    candidates: list[Candidate] = Field(default_factory=list)
    tables: dict[str, list[dict]] = Field(default_factory=dict)

    def kpi_frame(self) -> pd.DataFrame:
        """KPIs as a DataFrame with columns kpi, scope, value, low, high, n."""
        return pd.DataFrame([k.model_dump() for k in self.kpis], columns=list(KpiValue.model_fields))

    def table(self, name: str) -> pd.DataFrame:
        """A saved table as a DataFrame."""
        return pd.DataFrame(self.tables.get(name, []))


def kpis_from_table(table: pd.DataFrame, dims: list[str] | None = None) -> list[KpiValue]:
    """Turn a long KPI table (``metrics.kpi_table`` output) into :class:`KpiValue` records.

    The scope is ``overall`` without ``dims``, else ``dim:value`` joined by ``|``.
    """
    dims = dims or []
    out = []
    for row in table.to_dict("records"):
        scope = "|".join(f"{d}:{row[d]}" for d in dims) or "overall"
        out.append(KpiValue(kpi=row["kpi"], scope=scope, value=row["value"], low=row["low"], high=row["high"],
                            n=int(row["n"])))
    return out


def records(frame: pd.DataFrame) -> list[dict]:
    """JSON-safe records (NaN → None, timestamps and durations → ISO strings).

    Converts column by column, so a table of many rows costs one pass per column rather than a
    check per cell.
    """
    names = [str(name) for name in frame.columns]
    columns = [_json_values(frame.iloc[:, i]) for i in range(frame.shape[1])]
    return [dict(zip(names, row)) for row in zip(*columns)] if names else [{} for _ in range(len(frame))]


def _json_values(column: pd.Series) -> list:
    """One column as Python values: missing → None, anything with ``isoformat`` → its ISO string."""
    values = column.astype(object).where(column.notna(), None).tolist()
    if column.dtype.kind in "Mm" or (column.dtype == object and any(hasattr(v, "isoformat") for v in values)):
        return [v.isoformat() if hasattr(v, "isoformat") else v for v in values]
    return values


def save(result: StepResult, out_dir: str | Path) -> Path:
    """Write ``result`` to ``<out_dir>/results/<step>.json`` (atomically)."""
    return write_atomic(Path(out_dir) / "results" / f"{result.step}.json", result.model_dump_json(indent=1))


def load(out_dir: str | Path, step: str, *, workspace: str | None = None,
         inputs: dict[str, str] | None = None) -> StepResult:
    """Read the saved result of ``step`` from ``<out_dir>/results/``.

    Parameters
    ----------
    out_dir : report folder
    step : step name, a key of :data:`cxlib.steps.REGISTRY`
    workspace, inputs : when given, the workspace folder and input hashes the result must have
        been computed from

    Raises
    ------
    MissingResult
        The step has not run into ``out_dir``.
    ForeignResult
        The result was computed for another workspace or from other input files (a subclass of
        :class:`MissingResult`, so a caller that recomputes a missing result also recomputes it).
    """
    path = Path(out_dir) / "results" / f"{step}.json"
    if not path.is_file():
        raise MissingResult(f"No saved result for step {step} in {path.parent}: run that step first.")
    try:
        result = StepResult.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ForeignResult(f"The saved result {path} cannot be read ({type(exc).__name__}); run step {step} again.") \
            from None
    if workspace is not None and result.workspace != workspace:
        raise ForeignResult(f"The saved result {path} belongs to another client workspace "
                            f"({result.client}, {result.workspace or 'unknown folder'}), not {workspace}.")
    if inputs is not None and result.inputs != inputs:
        changed = sorted(k for k in {*inputs, *result.inputs} if inputs.get(k) != result.inputs.get(k))
        raise ForeignResult(f"The saved result {path} was computed from other input files "
                            f"(changed since: {', '.join(changed)}); run step {step} again.")
    return result


def load_all(out_dir: str | Path, steps: list[str], *, workspace: str,
             inputs: dict[str, str]) -> dict[str, StepResult | None]:
    """The saved result of each of ``steps`` computed from ``workspace`` and ``inputs``, ``None`` for the others.

    A missing, unreadable or foreign result is ``None`` (see :func:`load`), so a report part
    built on it is left out instead of showing another run's numbers.

    Parameters
    ----------
    out_dir : report folder
    steps : step names, keys of :data:`cxlib.steps.REGISTRY`
    workspace, inputs : the workspace folder and input hashes the results must have been computed from
    """
    saved = {}
    for step in steps:
        try:
            saved[step] = load(out_dir, step, workspace=workspace, inputs=inputs)
        except MissingResult:
            saved[step] = None
    return saved


def check_report_folder(out_dir: str | Path, workspace: str) -> None:
    """Refuse a report folder that holds results of another client workspace.

    Raises :class:`ForeignReport` naming the client found, so that one client's pages, lists
    and results never end up beside another's. Results that record no workspace (saved before
    results recorded one) are not taken for another client's: they are never used by
    :func:`load` with a ``workspace``, and are replaced when their step runs again.
    """
    for path in sorted((Path(out_dir) / "results").glob("*.json")):
        try:
            found = StepResult.model_validate_json(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue  # unreadable: never used (load refuses it), replaced when its step runs
        if found.workspace and found.workspace != workspace:  # no workspace: saved by an older version, replaced
            raise ForeignReport(
                f"The report folder {out_dir} holds the report of another client: {found.client} "
                f"(workspace {found.workspace or 'unknown'}, in {path.name}). Choose another output folder "
                "(--out) or remove that folder first.")


class MissingResult(CxError):
    """A step needs the saved result of an earlier step that has not run."""


class ForeignResult(MissingResult):
    """A saved result that was computed for another workspace or from other inputs."""


class ForeignReport(CxError):
    """A report folder that already holds another client's report."""
