"""Tables written for spreadsheets (CSV and XLSX) so that no cell can run as a formula.

Exported tables carry text that customers wrote (comments) or that came from a client's
files (ids, touchpoints, theme names). A spreadsheet treats a cell that begins with ``=``,
``+``, ``-`` or ``@`` as a formula, so a comment such as ``=HYPERLINK("http://…","click")``
or a DDE payload ``=cmd|' /C calc'!A0`` would run on the computer of whoever opens the
export (OWASP: CSV Injection). Every export goes through :func:`write_table`:

* CSV: every text cell that :func:`starts_like_formula` (and every such column name) gets
  a leading single quote ``'``, as OWASP recommends. Cells holding a separator, a quote,
  a carriage return or a line feed are quoted (embedded quotes doubled) and rows end in
  CR LF as in RFC 4180, so no text can start a cell or a row of its own.
* XLSX: such text is stored as a string cell holding the original text (never a formula
  or error cell) and marked "quote prefix", so Excel keeps it text even when the cell is
  edited. Characters XML cannot hold (control characters other than tab, line feed and
  carriage return, U+FFFE, U+FFFF, lone surrogates) become U+FFFD; a carriage return is
  kept (openpyxl writes through lxml, which escapes it). openpyxl keeps the first 32,767
  characters of a text.

Numbers, booleans and dates stay what they are: a negative number in a numeric column is
a number, not text, and is written unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from openpyxl.styles import Font, PatternFill

from ..analysis.loop import CALLBACK_COLUMNS, PROMOTER_COLUMNS
from ..files import replace_atomic
from ..i18n import family_key, t

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's list)."""
TEXT_MARKER = "'"
"""Prefix that a spreadsheet reads as "this cell is text"."""
NON_TEXT_KINDS = "biufcmM"
"""numpy dtype kinds of columns that hold no text: bool, integer, float, complex, time."""
CSV_STYLES = {"sv": (";", ","), "nb": (";", ",")}
"""Language → (separator, decimal mark) of CSV files; other languages use ``,`` and ``.``."""
CSV_DATE_FORMAT = "%Y-%m-%d"
XLSX_DATE_FORMAT = "YYYY-MM-DD"
NOT_XML_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character that XML 1.0 cannot hold; in XLSX it becomes :data:`REPLACEMENT_CHARACTER`."""
REPLACEMENT_CHARACTER = "\ufffd"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8ECF1")
"""How a sheet's header row looks: bold on a light grey-blue, neutral for any house style."""
SHARED_HEADERS = {"channel": "dim.channel", "touchpoint": "dim.touchpoint", "comment": "col.comment"}
"""Columns of the close-the-loop lists headed by the label the report's tables give them."""
LOOP_HEADERS = tuple(c for c in dict.fromkeys([*CALLBACK_COLUMNS, *PROMOTER_COLUMNS]) if c not in SHARED_HEADERS)
"""The other columns of the lists, each headed by its own label ``loop.<column>``."""


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula.

    True when the first character is one of :data:`FORMULA_TRIGGERS`, or when the first
    character after leading whitespace (any Unicode space, line break or no-break space)
    is ``=``, ``+``, ``-`` or ``@``: an importer that trims leading spaces (LibreOffice's
    "Trim spaces" option, a clean-up macro) would otherwise be left with a formula.

    Parameters
    ----------
    text : str
        The cell's text.

    Returns
    -------
    bool
        True if the text must be neutralised before it reaches a spreadsheet.
    """
    return text[:1] in FORMULA_TRIGGERS or text.lstrip()[:1] in FORMULA_TRIGGERS


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` in which no text cell or column name can run as a formula.

    Text that :func:`starts_like_formula` gets :data:`TEXT_MARKER` in front; other text,
    missing values and every value of a numeric, boolean or date column are unchanged.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to export.

    Returns
    -------
    pandas.DataFrame
        The neutralised copy (same index, same column order).
    """
    return _map_text(frame, _neutralise_value)


def write_table(frame: pd.DataFrame, path: str | Path, *, lang: str) -> Path:
    """Write ``frame`` (without its index) as CSV or XLSX, chosen by the suffix of ``path``.

    The file is replaced atomically: a reader never sees half of it, and on error an
    existing file is left untouched. CSV is UTF-8 with a byte-order mark; Swedish and
    Norwegian files use ``;`` and a decimal comma so that a Nordic Excel opens them
    directly, other languages ``,`` and ``.``. Dates are written as ``YYYY-MM-DD`` in both
    formats. XLSX has one sheet named after the file. No cell can run as a formula (see
    the module docstring).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table, with the column names the reader should see.
    path : str or pathlib.Path
        Target file ending in ``.csv`` or ``.xlsx``; missing folders are created.
    lang : str
        Report language (``sv``, ``nb``, ``en``): decides the CSV separator and decimal mark.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError
        If ``path`` ends in neither ``.csv`` nor ``.xlsx``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        separator, decimal = CSV_STYLES.get(lang, (",", "."))
        return replace_atomic(path, lambda tmp: neutralise_formulas(frame).to_csv(
            tmp, index=False, sep=separator, decimal=decimal, encoding="utf-8-sig", date_format=CSV_DATE_FORMAT,
            lineterminator="\r\n"))
    if suffix == ".xlsx":
        return write_sheets({path.stem[:31]: frame}, path)
    raise ValueError(f"write_table writes .csv or .xlsx files, not {path.name}")


def _map_text(frame: pd.DataFrame, convert: Callable[[object], object]) -> pd.DataFrame:
    """A copy of ``frame`` with ``convert`` applied to its column names and the cells of its text columns."""
    converted = frame.rename(columns=convert)
    for position in range(converted.shape[1]):
        column = converted.iloc[:, position]
        if column.dtype.kind not in NON_TEXT_KINDS:
            converted.isetitem(position, column.map(convert, na_action="ignore"))
    return converted


def _neutralise_value(value: object) -> object:
    if isinstance(value, str) and starts_like_formula(value):
        return TEXT_MARKER + value
    return value


def _xml_text(value: object) -> object:
    if isinstance(value, str):
        return NOT_XML_CHARACTER.sub(REPLACEMENT_CHARACTER, value)
    return value


def write_sheets(sheets: dict[str, pd.DataFrame], path: str | Path,
                 number_formats: dict[str, dict[str, str | list[str | None]]] | None = None) -> Path:
    """Write each frame (without its index) to a sheet of one XLSX workbook, no cell runnable as a formula.

    Each sheet has a bold header row, frozen below the header, columns as wide as their text
    (up to 60 characters) and numbers stored as numbers. Text cells are string cells, never
    formula or error cells, and text that :func:`starts_like_formula` is marked with Excel's
    quote prefix. Date cells get :data:`XLSX_DATE_FORMAT`. The file is replaced atomically.

    Parameters
    ----------
    sheets : dict of str to pandas.DataFrame
        Sheet name (at most 31 characters, unique) → table.
    path : str or pathlib.Path
        Target ``.xlsx`` file; missing folders are created.
    number_formats : dict, optional
        Sheet name → {column name → Excel number format}, e.g. ``{"KPI": {"NPS": "0.0"}}``; instead of one
        format a column can have a list of one per row (``None``: the default format), for a column whose
        rows hold different units.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    return replace_atomic(Path(path), lambda tmp: _fill_workbook(sheets, tmp, number_formats or {}))


def _fill_workbook(sheets: dict[str, pd.DataFrame], path: Path,
                   number_formats: dict[str, dict[str, str | list[str | None]]]) -> None:
    """Write the sheets with openpyxl, then make every text cell a plain string cell.

    openpyxl turns text beginning with ``=`` into a formula cell and ``#N/A`` and the like
    into error cells; here every cell holding text is reset to a string cell. Dates get
    their format here because pandas' openpyxl writer ignores ``date_format``.
    """
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _map_text(frame, _xml_text).to_excel(writer, index=False, sheet_name=name)
            worksheet, formats = writer.sheets[name], number_formats.get(name, {})
            worksheet.freeze_panes = "A2"
            for header, column in zip(map(str, frame.columns), worksheet.iter_cols()):
                width = max([len(header), *(len(str(c.value)) for c in column[1:200] if c.value is not None)])
                worksheet.column_dimensions[column[0].column_letter].width = min(60, width + 2)
                for cell in column:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"
                        if starts_like_formula(cell.value):
                            cell.quotePrefix = True
                    elif cell.is_date:
                        cell.number_format = XLSX_DATE_FORMAT
                    elif header in formats and cell.row > 1:
                        wanted = formats[header]
                        wanted = wanted if isinstance(wanted, str) else wanted[cell.row - 2]
                        if wanted:
                            cell.number_format = wanted
                column[0].font = HEADER_FONT
                column[0].fill = HEADER_FILL


def header_key(column: str) -> str:
    """The label key of the header of ``column`` in the close-the-loop lists.

    Parameters
    ----------
    column : str
        A column of :data:`cxlib.analysis.loop.CALLBACK_COLUMNS` or ``PROMOTER_COLUMNS``.

    Returns
    -------
    str
        Its key in :data:`SHARED_HEADERS`, else ``loop.<column>``.
    """
    return SHARED_HEADERS.get(column) or family_key("loop", column)


def loop_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A close-the-loop list as the reader sees it: headers (:func:`header_key`) and priorities in ``lang``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A list returned by :func:`cxlib.analysis.loop.loop_lists`.
    lang : str
        Language of the headers and priorities (``sv``, ``en``, ``nb``).

    Returns
    -------
    pandas.DataFrame
        The renamed copy; its cells are not yet neutralised (the writers do that).
    """
    shown = frame.rename(columns={c: t(header_key(c), lang) for c in frame.columns})
    if "priority" in frame:
        shown[t("loop.priority", lang)] = frame["priority"].map(lambda p: t(family_key("loop", p), lang))
    return shown


def write_loop_lists(lists: dict[str, pd.DataFrame], out_dir: str | Path, *, lang: str) -> list[Path]:
    """Write each list as ``<out_dir>/loop/<name>.csv`` and ``.xlsx`` with headers in ``lang``.

    Files are written by :func:`write_table`: CSV in the dialect of ``lang``
    (``;`` and a decimal comma for Swedish and Norwegian), and no comment or id can run
    as a formula when the file is opened in a spreadsheet.

    Parameters
    ----------
    lists : dict of str to pandas.DataFrame
        List name → list, as returned by :func:`cxlib.analysis.loop.loop_lists`.
    out_dir : str or pathlib.Path
        Report folder; the files go to its ``loop`` subfolder.
    lang : str
        Language of the headers and priorities (``sv``, ``en``, ``nb``).

    Returns
    -------
    list of pathlib.Path
        The files written, CSV before XLSX for each list.
    """
    paths = []
    for name, frame in lists.items():
        shown, base = loop_table(frame, lang), Path(out_dir) / "loop" / name
        paths += [write_table(shown, base.with_suffix(suffix), lang=lang) for suffix in (".csv", ".xlsx")]
    return paths
