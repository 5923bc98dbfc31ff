"""Read one table file into a raw DataFrame, detecting format, encoding and delimiter.

CSV/TXT cells come back as text (pandas string dtype; empty cells missing); XLSX and
Parquet cells keep their native values. The frame's index holds each data row's number
as the user counts it (header = row 1 unless blank rows precede it; the sheet row in
XLSX), so later problems can point at the right row. Completely empty rows are dropped.
Typing and validation live in :mod:`cxlib.io.schema`.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv

from ..errors import InputError, Problem, row_problems

ENDINGS = (".csv", ".txt", ".xlsx", ".parquet")
DELIMITERS = (";", "\t", ",")
"""Candidate CSV delimiters; on a tie in the header line the earlier one wins."""
ENCODINGS = "UTF-8 (with or without BOM) or cp1252/latin-1"
_FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
"""A formula element of SpreadsheetML, with any namespace prefix."""
_CONTROL = np.isin(np.arange(256), [*range(9), 11, 12, *range(14, 32)])
"""Bytes that never occur in text (ASCII control characters other than tab and newlines)."""


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
        p
        for p in Path(workspace_dir).iterdir()
        if p.is_file() and p.stem.lower() == name and p.suffix.lower() in ENDINGS
    )
    if len(hits) > 1:
        names = " and ".join(p.name for p in hits)
        raise _fail(hits[0], f"one file for the {name} table, found {names}; remove or rename all but one")
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
        raise _fail(path, "an .xlsx, .csv or .parquet file; this is an old Excel (.xls) file: save it as .xlsx or CSV")
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
    try:
        cells = _sheet_cells(path, data_only=True)
        formulas = _sheet_cells(path, data_only=False) if _has_formulas(path) else None
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
    if formulas is not None:
        _check_formula_values(path, cells, formulas, names, top)
    frame = pd.DataFrame(body, columns=names, index=np.arange(top + 2, len(cells) + 1), dtype=object)
    frame = frame.map(lambda v: None if not _filled(v) else v)
    return _finish(frame, path, "xlsx", None, None, top + 1)


def _sheet_cells(path: Path, data_only: bool) -> list[list]:
    """Cell values of the first sheet; ``data_only`` gives formulas' cached values, else the formulas."""
    import openpyxl  # slow to import; only needed for Excel files

    book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    try:
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet's XML holds a formula element, with or without a namespace prefix
    (``<f>``, ``<x:f t="shared" …>``): a quick look before the second read that finds them.
    """
    import zipfile

    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with book.open(name) as sheet:
                tail = b""
                for block in iter(lambda: sheet.read(1 << 20), b""):
                    if _FORMULA_ELEMENT.search(tail + block):
                        return True
                    tail = block[-32:]  # an element cut between two blocks
    return False


def _check_formula_values(path: Path, values: list[list], formulas: list[list], names: list[str], top: int) -> None:
    """Raise :class:`InputError` for formula cells below the header (0-based row ``top``) that
    carry no computed value.

    openpyxl cannot calculate formulas; a workbook written by a program other than Excel (or
    never saved by Excel) often stores them without their values, which would load as empty.
    """
    problems = []
    for r in range(top + 1, len(values)):
        for c, (value, formula) in enumerate(zip(values[r], formulas[r])):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                problems.append((r + 1, names[c], formula))
    by_column: dict[str, list[tuple[int, str]]] = {}
    for row, column, formula in problems:
        by_column.setdefault(column, []).append((row, formula))
    expected = "a value: this cell holds a formula without a computed value; open and save the file in Excel"
    found = [p for column, cells in by_column.items()
             for p in row_problems(path.name, column, [r for r, _ in cells], [f for _, f in cells], expected)]
    if found:
        raise InputError(found)


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _read_csv(path: Path, data: bytes) -> RawTable:
    buf, encoding = to_utf8(data, path.name)
    delimiter = _sniff_delimiter(buf)
    layout = _layout(buf, delimiter, path)
    if not layout.header:
        raise _fail(path, "a header row with column names and data rows below it (the file is empty)")
    names = _column_names(layout.header, path)
    top = layout.header_index
    rows = np.arange(top + 2, len(layout.fields) + 1)
    fields, empty, blank = layout.fields[top + 1 :], layout.empty[top + 1 :], layout.blank[top + 1 :]
    ragged = ~blank & (fields != len(names))
    if ragged.any():
        found = fields[ragged]
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
        table = pcsv.read_csv(
            pa.BufferReader(buf),
            read_options=pcsv.ReadOptions(skip_rows=layout.header_lines, column_names=names),
            parse_options=pcsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                invalid_row_handler=lambda row: "skip" if not row.text.strip() else "error",
            ),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=True, null_values=[""]
            ),
        )
    except pa.ArrowInvalid as exc:
        raise _fail(path, f"a well-formed CSV file ({exc})") from None
    # pyarrow drops empty lines, and whitespace-only lines unless the table has one column
    listed = ~empty & (~blank | (len(names) == 1))
    if table.num_rows != listed.sum():
        raise _fail(path, f"a well-formed CSV file (read {table.num_rows} rows, expected {listed.sum()}; check quotes)")
    frame = table.to_pandas().set_axis(rows[listed])
    return _finish(frame[~blank[listed]], path, "csv", encoding, delimiter, top + 1)


def _finish(
    frame: pd.DataFrame, path: Path, fmt: str, encoding: str | None, delimiter: str | None, header_row: int
) -> RawTable:
    """Drop rows without any value; a table without data rows is a problem."""
    frame = frame[frame.notna().any(axis=1)]
    if frame.empty:
        only = "the file has only the header: add the data, or remove the file if there is none"
        raise _fail(path, f"data rows below the header ({only})", header_row)
    return RawTable(frame, path, fmt, encoding, delimiter, header_row)


def to_utf8(data: bytes, file: str, save_as: str = "'CSV UTF-8'") -> tuple[bytes, str]:
    """Decode a text file's bytes as the workbook reads every text file (tables and YAML).

    Parameters
    ----------
    data : bytes
        The file's content.
    file : str
        The file's name as problems show it.
    save_as : str
        The format a problem tells the user to save the file in.

    Returns
    -------
    tuple of (bytes, str)
        The text as UTF-8 bytes without BOM, and the encoding it was read in: ``utf-8``,
        ``utf-8-sig`` (UTF-8 with BOM) or ``cp1252``.

    Raises
    ------
    InputError
        The text is UTF-16 (by its BOM), holds control bytes (binary data) or bytes
        valid in none of :data:`ENCODINGS`; the problem names the line.
    """
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        utf16 = f"text in {ENCODINGS}; this file is UTF-16: save it as {save_as}"
        raise InputError([Problem(file, None, None, None, utf16)])
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[3:] if bom else data
    skip = 3 if bom else 0
    control = _CONTROL[np.frombuffer(body, np.uint8)]
    if control.any():
        at = int(control.argmax())
        raise InputError([Problem(
            file, body.count(b"\n", 0, at) + 1, None, None,
            f"text in {ENCODINGS}; found control byte 0x{body[at]:02x} at byte {at + skip} "
            f"(a binary file or UTF-16 text? save it as {save_as})",
        )])
    try:
        body.decode("utf-8")
        return body, "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return body.decode("cp1252").encode("utf-8"), "cp1252"
    except UnicodeDecodeError as exc:
        at = exc.start
        raise InputError([Problem(
            file, body.count(b"\n", 0, at) + 1, None, None,
            f"text in {ENCODINGS}; byte 0x{body[at]:02x} at byte {at + skip} is valid in none of them",
        )]) from None


def _sniff_delimiter(buf: bytes) -> str:
    """The candidate delimiter occurring most often (outside quotes) in the first non-blank line."""
    head = buf[: 1 << 20].decode("utf-8", errors="ignore")
    line = next((ln for ln in head.splitlines() if ln.strip()), "")
    line = re.sub(r'"[^"]*"', "", line)
    return max(DELIMITERS, key=lambda d: (line.count(d), -DELIMITERS.index(d)))


class _Layout(NamedTuple):
    """Per record (CSV row, blank ones included): field count, emptiness, blankness."""

    fields: np.ndarray
    empty: np.ndarray  # no characters at all (line ending only)
    blank: np.ndarray  # only spaces, tabs or nothing, in a single field
    header_index: int  # 0-based record of the header: the first non-blank one
    header: list[str]
    header_lines: int  # physical lines up to and including the header


def _layout(buf: bytes, delimiter: str, path: Path) -> _Layout:
    """The records of a CSV text in UTF-8.

    Vectorised over the bytes when quoting is strict RFC 4180 (the usual case);
    otherwise parsed with :mod:`csv` in strict mode.
    """
    fast = _layout_fast(buf, delimiter)
    return fast if fast is not None else _layout_slow(buf, delimiter, path)


def _layout_fast(buf: bytes, delimiter: str) -> _Layout | None:
    """``None`` if quoting is not strict (a quote inside an unquoted field, unclosed quotes)
    or lines end in bare carriage returns.
    """
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
        doubled = np.diff(quotes) == 1
        opens = np.isin(prev, [10, sep]) | np.r_[False, doubled]
        closes = np.isin(nxt, [10, 13, sep]) | np.r_[doubled, False]
        if not (opens[0::2].all() and closes[1::2].all()):
            return None
    crs = np.flatnonzero(arr == 13)
    if len(crs) and (arr[np.minimum(crs + 1, n - 1)] != 10).any():
        return None

    newlines = np.flatnonzero(arr == 10)
    newlines = newlines[np.searchsorted(quotes, newlines) % 2 == 0]  # outside quotes
    starts = np.r_[0, newlines + 1]
    ends = np.r_[newlines, n]
    if starts[-1] == n:  # the final newline ends the last record
        starts, ends = starts[:-1], ends[:-1]
    seps = np.flatnonzero(arr == sep)
    fields = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
    if len(quotes):  # minus the delimiters inside quoted values
        quoted = np.searchsorted(seps, quotes[1::2]) - np.searchsorted(seps, quotes[0::2])
        record = np.searchsorted(starts, quotes[0::2], side="right") - 1
        fields -= np.bincount(record, weights=quoted, minlength=len(starts)).astype(fields.dtype)
    length = ends - starts
    empty = (length == 0) | ((length == 1) & (arr[np.minimum(starts, n - 1)] == 13))
    blank = empty.copy()
    maybe = np.flatnonzero(~empty & (fields == 1) & np.isin(arr[np.minimum(starts, n - 1)], [32, 9, 13]))
    blank[maybe] = [not buf[starts[i] : ends[i]].strip() for i in maybe]  # rare: rows starting blank
    if blank.all():
        return _Layout(fields, empty, blank, 0, [], 0)
    top = int(np.flatnonzero(~blank)[0])
    line = buf[starts[top] : ends[top]].decode("utf-8")
    header = next(csv.reader([line], delimiter=delimiter))
    return _Layout(fields, empty, blank, top, header, buf.count(b"\n", 0, ends[top]) + 1)


def _layout_slow(buf: bytes, delimiter: str, path: Path) -> _Layout:
    """Record by record with :mod:`csv` (a Python loop: only for loosely quoted files)."""
    reader = csv.reader(StringIO(buf.decode("utf-8"), newline=""), delimiter=delimiter, strict=True)
    records, lines = [], []
    try:
        for record in reader:
            records.append(record)
            lines.append(reader.line_num)
    except csv.Error as exc:
        hint = "look for an unmatched quote \" on or before this row"
        raise _fail(path, f"well-formed CSV quoting ({exc}; {hint})", reader.line_num) from None
    fields = np.array([len(r) for r in records], dtype=int)
    blank = np.array([len(r) <= 1 and not "".join(r).strip() for r in records], dtype=bool)
    if blank.all():
        return _Layout(fields, fields == 0, blank, 0, [], 0)
    top = int(np.argmin(blank))
    return _Layout(fields, fields == 0, blank, top, records[top], lines[top])


def _column_names(names: list[str], path: Path) -> list[str]:
    """Header names stripped; empty ones named ``Unnamed: i``; duplicates are a problem."""
    out = [n.strip().lstrip("\ufeff") or f"Unnamed: {i}" for i, n in enumerate(names)]
    seen: dict[str, int] = {}
    problems = []
    for i, name in enumerate(out, 1):
        if name in seen:
            twice = f"each column name once (columns {seen[name]} and {i} are both '{name}')"
            problems.append(Problem(path.name, None, name, None, twice))
        seen.setdefault(name, i)
    if problems:
        raise InputError(problems)
    return out
