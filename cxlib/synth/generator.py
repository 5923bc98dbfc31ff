"""Writing the synthetic workspace: :func:`generate`, file formats and CSV dialects."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..errors import CxError
from . import demand
from .feedback import feedback
from .journeys import journeys_table, sessions
from .profiles import N_DAYS
from .resources import client_yaml, config, data_text
from .sampling import join
from .staffing import staffing_table
from .workshop import initiatives_table, maturity_table

DEFAULT_FORMATS = {"feedback": "csv", "customers": "csv", "contacts": "parquet", "journeys": "parquet",
                   "reasons": "csv", "initiatives": "xlsx", "maturity": "csv", "staffing": "csv"}
"""File format per table when :func:`generate` is given no ``formats``."""
# CSV dialect per table (others: comma, UTF-8, ISO dates): shows off what the loader accepts.
CSV_STYLE = {
    "feedback": {"sep": ";", "encoding": "utf-8-sig"},
    "customers": {"sep": ";", "encoding": "cp1252", "decimal": ",", "day_first": True},
}
EXCEL_MAX_ROWS = 1_048_575


def _formats(formats: str | Mapping[str, str] | None) -> dict[str, str]:
    """Format per table from ``None`` (defaults), one format for all, or ``{table: format}`` overrides."""
    if isinstance(formats, str):
        out = dict.fromkeys(DEFAULT_FORMATS, formats)
    else:
        unknown = set(formats or {}) - set(DEFAULT_FORMATS)
        if unknown:
            raise ValueError(f"unknown tables in formats: {', '.join(sorted(unknown))}")
        out = {**DEFAULT_FORMATS, **(formats or {})}
    bad = {f for f in out.values() if f not in ("csv", "parquet", "xlsx")}
    if bad:
        raise ValueError(f"formats must be csv, parquet or xlsx; got {', '.join(sorted(bad))}")
    return out


def _csv_text(col: pa.ChunkedArray, decimal: str, day_first: bool) -> pa.ChunkedArray:
    """A column as CSV text (null stays empty)."""
    t = col.type
    if pa.types.is_date(t) and day_first:
        return join(pc.cast(pc.day(col), pa.string()), ".", pc.cast(pc.month(col), pa.string()), ".",
                    pc.cast(pc.year(col), pa.string()))
    if pa.types.is_timestamp(t):
        return pc.strftime(col, "%Y-%m-%dT%H:%M:%S")
    if pa.types.is_floating(t):
        return pc.replace_substring(pc.cast(col, pa.string()), ".", decimal)
    return pc.cast(col, pa.string())


def _write(table: pa.Table, name: str, fmt: str, out: Path) -> Path:
    """Write one table as ``out/name.fmt`` after removing other files of the same table."""
    for ext in ("csv", "txt", "xlsx", "parquet"):
        (out / f"{name}.{ext}").unlink(missing_ok=True)
    path = out / f"{name}.{fmt}"
    if fmt == "parquet":
        pq.write_table(table, path, compression="zstd")
    elif fmt == "xlsx":
        if table.num_rows > EXCEL_MAX_ROWS:
            raise ValueError(f"{name} has {table.num_rows:,} rows, more than a worksheet holds; use csv or parquet")
        table.to_pandas().to_excel(path, index=False, sheet_name=name)
    else:
        style = CSV_STYLE.get(name, {})
        decimal, day_first = style.get("decimal", "."), style.get("day_first", False)
        text = pd.DataFrame({c: _csv_text(table[c], decimal, day_first).to_pandas() for c in table.column_names})
        text.to_csv(path, sep=style.get("sep", ","), encoding=style.get("encoding", "utf-8"), index=False)
    return path


def _check_replaceable(out: Path) -> None:
    """Raise :class:`CxError` unless ``out`` is missing, an empty folder or an unchanged earlier output."""
    if not out.exists():
        return
    if not out.is_dir():
        raise CxError(f"{out} is a file; synth writes a workspace folder. Choose a new folder.")
    client = out / "client.yaml"
    earlier = client.is_file() and client.read_bytes() == client_yaml().encode("utf-8")
    if any(out.iterdir()) and not earlier:
        raise CxError(f"{out} is not empty and not an earlier synth output; choose a new or empty folder "
                      "(synth replaces only its own output, never a client's files).")


def generate(out_dir: str | Path, *, seed: int = 42, scale: float = 1.0, responses_per_day: float | None = None,
             formats: str | Mapping[str, str] | None = None) -> dict[str, Path]:
    """Write a complete client workspace for Norrsken Energi AB (2025) into ``out_dir``.

    At ``scale`` 1: ≈20,000 customers, ≈58,000 contacts (≈1,700 of them after a dropped web
    session), 6,200 survey responses (≈5,300 with comments) and ≈28,000 web sessions. The
    same arguments give the same files.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Folder to write to. It must be new, empty or an earlier output of :func:`generate`
        whose ``client.yaml`` is unchanged; there the files of the same tables are replaced.
    seed : int, default 42
        Seed of every random draw.
    scale : float, default 1.0
        Multiplies every volume (customers, contacts, responses, web sessions); must be positive.
    responses_per_day : float, optional
        Survey responses per day over the 365 days of 2025; overrides the feedback volume
        that ``scale`` gives.
    formats : str or mapping of str to str, optional
        ``None``: :data:`DEFAULT_FORMATS` (feedback, customers, reasons, maturity as CSV in
        various dialects; contacts and journeys as parquet; initiatives as xlsx). One of
        ``"csv"``, ``"parquet"``, ``"xlsx"``: that format for every table. A mapping:
        ``{table: format}`` overrides of the defaults.

    Returns
    -------
    dict of str to pathlib.Path
        ``{"client": path of client.yaml, "scenarios": path of scenarios.yaml, table: path of its file}``.

    Raises
    ------
    ValueError
        ``scale`` is not positive, ``responses_per_day`` is negative, or ``formats`` names an
        unknown table or format (also an xlsx table with more rows than a worksheet holds).
    cxlib.errors.CxError
        ``out_dir`` is a file, or a folder that is neither empty nor an earlier output (it may
        hold a client's data); raised before anything is written.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if responses_per_day is not None and responses_per_day < 0:
        raise ValueError("responses_per_day must not be negative")
    config()  # the sample client.yaml is valid before anything is written
    fmts = _formats(formats)
    out = Path(out_dir)
    _check_replaceable(out)
    out.mkdir(parents=True, exist_ok=True)
    # One stream per part of the model. Spawned streams do not depend on how many are spawned,
    # so a stream added at the end leaves the draws of the others as they were.
    rng = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(7)]
    n_responses = round(responses_per_day * N_DAYS if responses_per_day is not None else 6_200 * scale)

    cust = demand.customers(rng[0], max(1, round(20_000 * scale)))
    web = sessions(rng[3], cust, round(20_000 * scale), round(8_000 * scale))
    ordinary = demand.contacts(rng[1], cust, round(47_000 * scale))
    cont = demand.merge_contacts(ordinary, demand.dropout_contacts(rng[6], cust, web, ordinary))
    tables = {
        "feedback": lambda: feedback(rng[2], cust, cont, n_responses),
        "contacts": lambda: demand.contacts_table(cont, cust),
        "journeys": lambda: journeys_table(web, cust),
        "customers": lambda: demand.customers_table(cust),
        "reasons": demand.reasons_table,
        "initiatives": initiatives_table,
        "maturity": lambda: maturity_table(rng[4]),
        "staffing": lambda: staffing_table(rng[5], cont),
    }
    paths = {"client": out / "client.yaml"}
    paths["client"].write_text(client_yaml(), encoding="utf-8")
    paths["scenarios"] = out / "scenarios.yaml"
    paths["scenarios"].write_text(data_text("scenarios.yaml"), encoding="utf-8")
    for name, build in tables.items():  # build and write one table at a time
        paths[name] = _write(build(), name, fmts[name], out)
    return paths
