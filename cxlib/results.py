"""Saved results: how steps talk to each other and to the report index.

Each step writes ``<out_dir>/results/<step>.json`` holding its KPIs, findings and
candidate initiatives; later steps and :mod:`cxlib.report` read them back. Writes are
atomic (a temporary file renamed into place), so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

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


class Candidate(_Model):
    """A candidate initiative proposed by a step, for prioritisation."""

    id: str
    name: str
    area: str
    expected_effect: str
    owner: str | None = None


class StepResult(_Model):
    """Everything one step saves."""

    step: str
    client: str
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
        out.append(KpiValue(kpi=row["kpi"], scope=scope, value=row["value"], low=row["low"], high=row["high"], n=int(row["n"])))
    return out


def _records(frame: pd.DataFrame) -> list[dict]:
    """JSON-safe records (NaN → None, timestamps → ISO strings)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in clean.to_dict("records")]


def save(result: StepResult, out_dir: str | Path, tables: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write ``result`` (plus optional DataFrames as tables) to ``<out_dir>/results/<step>.json``."""
    if tables:
        result = result.model_copy(update={"tables": {**result.tables, **{k: _records(v) for k, v in tables.items()}}})
    return write_atomic(Path(out_dir) / "results" / f"{result.step}.json", result.model_dump_json(indent=1))


def load(out_dir: str | Path, step: str) -> StepResult:
    """Read the saved result of ``step``; :class:`MissingResult` if that step has not run."""
    path = Path(out_dir) / "results" / f"{step}.json"
    if not path.is_file():
        raise MissingResult(f"No saved result for step {step} in {path.parent}: run that step first.")
    return StepResult.model_validate_json(path.read_text(encoding="utf-8"))


class MissingResult(CxError):
    """A step needs the saved result of an earlier step that has not run."""
