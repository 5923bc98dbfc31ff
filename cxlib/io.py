"""Read one table file into a raw DataFrame, detecting format, encoding and delimiter.

CSV/TXT cells come back as text (pandas string dtype; empty cells missing); XLSX and
Parquet cells keep their native values. The frame's index holds each data row's number
as the user counts it (header = row 1 unless blank rows precede it; the sheet row in
XLSX), so later problems can point at the right row. Completely empty rows are dropped.
Typing and validation live in :mod:`cxlib.schema`.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from io import BytesIO, StringIO
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .errors import InputError, Problem, row_problems

ENDINGS = (".csv", ".txt", ".xlsx", ".parquet")
DELIMITERS = (";", "\t", ",")
"""Candidate CSV delimiters; on a tie in the header line the earlier one wins."""
ENCODINGS = "UTF-8 (with or without BOM) or cp1252/latin-1"
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class RawTable:
    """One table file as read, before typing.

    ``frame.index`` holds the user's row number of every data row and ``header_row``
    that of the header. ``encoding`` and ``delimiter`` are ``None`` for XLSX/Parquet.
    """

    frame: pd.DataFrame
    path: Path
    format: Literal["csv", "xlsx", "parquet"]
    encoding: str | None
    delimiter: str | None
    header_row: int


def find_table(workspace_dir: str | Path, name: str) -> Path | None:
    """The file holding table ``name`` (any of :data:`ENDINGS`, any case), or ``None``.

    Two files for the same table raise :class:`InputError`.
    """
    hits = sorted(
        p for p in Path(workspace_dir).iterdir() if p.is_file() and p.stem.lower() == name and p.suffix.lower() in ENDINGS
    )
    if len(hits) > 1:
        names = " and ".join(p.name for p in hits)
        raise InputError([Problem(hits[0].name, None, None, None, f"one file for the {name} table, found {names}; remove or rename all but one")])
    return hits[0] if hits else None


def read_raw(path: str | Path) -> RawTable:
    """Read a CSV/TXT, XLSX or Parquet file (format detected from its content)."""
    path = Path(path)
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == b"PAR1":
        return _read_parquet(path)
    if magic == b"PK\x03\x04":
        return _read_xlsx(path)
    if magic == b"\xd0\xcf\x11\xe0":
        raise _fail(path, "an .xlsx, .csv or .parquet file; this is an old binary Excel (.xls) file: save it as .xlsx or CSV")
    return _read_csv(path, path.read_bytes())


def _fail(path: Path, expected: str, row: int | None = None) -> InputError:
    return InputError([Problem(path.name, row, None, None, expected)])


def _read_parquet(path: Path) -> RawTable:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for corrupt files
        raise _fail(path, f"a readable Parquet file ({exc})") from None
    frame.columns = _column_names([str(c) for c in frame.columns], path)
    frame.index = np.arange(2, len(frame) + 2)
    return _finish(frame, path, "parquet", None, None, 1)


def _read_xlsx(path: Path) -> RawTable:
    import openpyxl  # slow to import; only needed for Excel files

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            cells = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    except Exception as exc:  # zipfile, XML and openpyxl errors for files that are no workbook
        raise _fail(path, f"a readable Excel workbook (.xlsx) ({exc.__class__.__name__}: {exc})") from None
    filled = [i for i, r in enumerate(cells) if any(_filled(v) for v in r)]
    if not filled:
        raise _fail(path, "a header row with column names in the first sheet (the sheet is empty)")
    top = filled[0]
    width = max(len(r) for r in cells)
    body = [r + [None] * (width - len(r)) for r in cells[top + 1 :]]
    header = cells[top] + [None] * (width - len(cells[top]))
    names = _column_names(["" if v is None else str(v) for v in header], path)
    frame = pd.DataFrame(body, columns=names, index=np.arange(top + 2, len(cells) + 1), dtype=object)
    frame = frame.map(lambda v: None if not _filled(v) else v)
    return _finish(frame, path, "xlsx", None, None, top + 1)


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _read_csv(path: Path, data: bytes) -> RawTable:
    if not data or data.isspace():
        raise _fail(path, "a header row with column names and data rows below it (the file is empty)")
    buf, encoding = _to_utf8(data, path)
    delimiter = _sniff_delimiter(buf)
    fields, blank, header = _records(buf, delimiter)
    if not header:
        raise _fail(path, "a header row with column names and data rows below it (the file is empty)")
    top = int(np.flatnonzero(~blank)[0])
    names = _column_names(header, path)
    rows = np.arange(top + 2, len(fields) + 1)
    ragged = ~blank[top + 1 :] & (fields[top + 1 :] != len(names))
    if ragged.any():
        found = fields[top + 1 :][ragged]
        sep = "tab" if delimiter == "\t" else f"'{delimiter}'"
        raise InputError(
            row_problems(
                path.name,
                None,
                rows[ragged],
                None,
                lambda i: f"{len(names)} fields separated by {sep} as in the header (found {found[i]})",
            )
        )
    try:
        frame = pd.read_csv(
            BytesIO(buf),
            sep=delimiter,
            header=top,
            names=names,
            index_col=False,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            encoding="utf-8",
            engine="c",
        )
    except pd.errors.ParserError as exc:
        raise _fail(path, f"a well-formed CSV file ({exc})") from None
    if len(frame) != len(rows):
        raise _fail(path, f"a well-formed CSV file (read {len(frame)} data rows, expected {len(rows)}; check the quotes)")
    frame.index = rows
    frame = frame[~blank[top + 1 :]]
    return _finish(frame, path, "csv", encoding, delimiter, top + 1)


def _finish(frame, path, fmt, encoding, delimiter, header_row) -> RawTable:
    frame = frame[frame.notna().any(axis=1)]
    if frame.empty:
        raise _fail(path, "data rows below the header (the file has only the header)", header_row)
    return RawTable(frame, path, fmt, encoding, delimiter, header_row)


def _to_utf8(data: bytes, path: Path) -> tuple[bytes, str]:
    """The text as UTF-8 bytes without BOM, and the encoding it was read in."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise _fail(path, f"text in {ENCODINGS}; this file is UTF-16: save it as 'CSV UTF-8'")
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[3:] if bom else data
    skip = 3 if bom else 0
    control = _CONTROL.search(body)
    if control:
        at = control.start()
        raise _fail(
            path,
            f"text in {ENCODINGS}; found control byte 0x{body[at]:02x} at byte {at + skip} "
            "(a binary file or UTF-16 text? save it as 'CSV UTF-8')",
            body.count(b"\n", 0, at) + 1,
        )
    try:
        body.decode("utf-8")
        return body, "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return body.decode("cp1252").encode("utf-8"), "cp1252"
    except UnicodeDecodeError as exc:
        at = exc.start
        raise _fail(
            path,
            f"text in {ENCODINGS}; byte 0x{body[at]:02x} at byte {at + skip} is valid in none of them",
            body.count(b"\n", 0, at) + 1,
        ) from None


def _sniff_delimiter(buf: bytes) -> str:
    """The candidate delimiter occurring most often (outside quotes) in the first non-blank line."""
    head = buf[: 1 << 20].decode("utf-8", errors="ignore")
    line = next((ln for ln in head.splitlines() if ln.strip()), "")
    line = re.sub(r'"[^"]*"', "", line)
    return max(DELIMITERS, key=lambda d: (line.count(d), -DELIMITERS.index(d)))


def _records(buf: bytes, delimiter: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Field count and blankness of every record, and the header's fields.

    Vectorised over the bytes when the quoting is strict RFC 4180 (the usual case);
    otherwise parsed with :mod:`csv`, whose rules match pandas' C parser.
    """
    fast = _records_fast(buf, delimiter)
    if fast is not None:
        fields, blank, starts, ends = fast
        if blank.all():
            return fields, blank, []
        top = int(np.flatnonzero(~blank)[0])
        line = buf[starts[top] : ends[top]].decode("utf-8")
        return fields, blank, next(csv.reader([line], delimiter=delimiter))
    records = list(csv.reader(StringIO(buf.decode("utf-8"), newline=""), delimiter=delimiter))
    fields = np.array([len(r) for r in records])
    blank = np.array([not "".join(r).strip() and len(r) <= 1 for r in records])
    header = next((r for r, b in zip(records, blank) if not b), [])
    return fields, blank, header


def _records_fast(buf: bytes, delimiter: str):
    """(fields, blank, starts, ends) per record, or ``None`` if quoting is not strict."""
    arr = np.frombuffer(buf, np.uint8)
    n = len(arr)
    sep = ord(delimiter)
    quotes = np.flatnonzero(arr == ord('"'))
    if len(quotes) % 2:
        return None
    if len(quotes):
        prev = arr[np.maximum(quotes - 1, 0)]
        prev[quotes == 0] = 10
        nxt = arr[np.minimum(quotes + 1, n - 1)]
        nxt[quotes == n - 1] = 10
        pair_prev = np.r_[False, np.diff(quotes) == 1]
        pair_next = np.r_[np.diff(quotes) == 1, False]
        opens = np.isin(prev, [10, sep]) | pair_prev
        closes = np.isin(nxt, [10, 13, sep]) | pair_next
        if not (opens[0::2].all() and closes[1::2].all()):
            return None
    crs = np.flatnonzero(arr == 13)
    if len(crs) and (arr[np.minimum(crs + 1, n - 1)][crs < n - 1] != 10).any():
        return None  # old Mac line endings

    def unquoted(pos: np.ndarray) -> np.ndarray:
        return pos[np.searchsorted(quotes, pos) % 2 == 0] if len(quotes) else pos

    newlines = unquoted(np.flatnonzero(arr == 10))
    seps = unquoted(np.flatnonzero(arr == sep))
    starts = np.r_[0, newlines + 1]
    ends = np.r_[newlines, n]
    if starts[-1] == n:  # the final newline ends the last record
        starts, ends = starts[:-1], ends[:-1]
    fields = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
    content = np.flatnonzero((arr != 32) & (arr != 9) & (arr != 13) & (arr != 10))
    blank = np.searchsorted(content, ends) == np.searchsorted(content, starts)
    return fields, blank, starts, ends


def _column_names(names: list[str], path: Path) -> list[str]:
    """Header names stripped; empty ones named ``Unnamed: i``; duplicates are a problem."""
    out = [n.strip().lstrip("\ufeff") or f"Unnamed: {i}" for i, n in enumerate(names)]
    seen: dict[str, int] = {}
    problems = []
    for i, name in enumerate(out, 1):
        if name in seen:
            problems.append(Problem(path.name, None, name, None, f"each column name once (columns {seen[name]} and {i} are both '{name}')"))
        seen.setdefault(name, i)
    if problems:
        raise InputError(problems)
    return out
