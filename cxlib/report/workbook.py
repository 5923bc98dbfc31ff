"""Excel export: one workbook with a sheet per table of the report, numbers as numbers.

:func:`write_workbook` reads only what the steps saved (like the report pages) and writes
``report.xlsx`` through :func:`cxlib.report.exports.write_sheets`: a bold frozen header,
fitted widths, and no text cell that can run as a formula. Headers and text are in the
report's language; numbers stay numeric cells with an Excel number format per unit
(:data:`EXCEL_FORMATS`), so Excel shows them with the reader's own decimal mark and digit
grouping. A value with an interval becomes three columns: value, low and high.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import ExportError
from ..i18n import Format
from ..kpis import KPIS
from ..results import load_all
from ..steps.roadmap_report import department_names
from .display import format_columns, format_raci
from .exports import loop_table, write_sheets
from .tables import COLUMNS

EXCEL_FORMATS = {
    "points": "+0;-0;0", "points_change": "+0.0;-0.0;0.0", "count": "#,##0", "share": "0.0%",
    "share_change": "+0.0%;-0.0%;0.0%", "score": "0.00", "seconds": "#,##0", "currency": '#,##0 "{currency}"',
    "fte": "0.0", "p": "0.000",
}
"""Excel number format per unit of :func:`cxlib.i18n.fmt_value`; ``{currency}`` is the report's currency."""
CHANGE_UNITS = {"points": "points_change", "share": "share_change"}
"""The unit of a difference of a unit that has one of its own (a gap of a share is a share change)."""
ROW_UNITS = {"kpi": "", "kpi_change": "_change"}
"""Units read per row from the KPI in the row's ``kpi`` column: the KPI's own unit, or that of its change."""
BOUND_LABELS = ("col.ci_low", "col.ci_high")
"""Label keys that follow a value's header in the headers of its interval's low and high columns."""
KPI_VALUE = [("kpi", "col.kpi", "label:kpi"), ("value", "col.value", "kpi+ci"), ("n", "col.n", "count")]


@dataclass(frozen=True)
class Sheet:
    """One sheet: table ``table`` that step ``step`` saved, its columns as ``(column, label key, unit)``.

    Units are those of :func:`cxlib.report.display.format_columns` plus ``kpi`` and ``kpi_change``
    (:data:`ROW_UNITS`); a unit ending in ``+ci`` adds the interval's low and high columns. A sheet
    without columns shows the table as ``shown(table, lang)`` returns it.
    """

    name: str
    """Label key of the sheet's name."""
    step: str
    table: str
    columns: tuple[tuple[str, str, str], ...] = ()
    shown: Callable[[pd.DataFrame, str], pd.DataFrame] | None = None


def loop_sheet(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A saved close-the-loop list as its files show it (:func:`cxlib.report.exports.loop_table`), dates as dates."""
    return loop_table(frame.assign(date=pd.to_datetime(frame["date"]).dt.date), lang)


SHEETS = (
    Sheet("sheet.kpis", "01_current_state", "overall", tuple(KPI_VALUE)),
    Sheet("sheet.kpis_by_channel", "01_current_state", "by_channel", (("channel", "col.channel", "text"), *KPI_VALUE)),
    Sheet("sheet.gaps", "02_desired_state", "kpi_gaps", (
        ("rank", "col.rank", "count"), ("kpi", "col.kpi", "label:kpi"), ("current", "col.current", "kpi+ci"),
        ("target", "col.target", "kpi"), ("gap", "col.gap", "kpi_change"), ("gap_share", "chart.gap_share", "share"),
        ("status", "col.status", "label:gap"))),
    Sheet("sheet.drivers", "03_insight", "drivers", tuple(COLUMNS["drivers"])),
    Sheet("sheet.callbacks", "03_insight", "callbacks", shown=loop_sheet),
    Sheet("sheet.promoters", "03_insight", "promoters", shown=loop_sheet),
    Sheet("sheet.staffing", "04_accessibility", "staffing_summary", tuple(COLUMNS["staffing_summary"])),
    Sheet("sheet.service", "04_accessibility", "service_by_channel", tuple(COLUMNS["service_by_channel"])),
    Sheet("sheet.demand", "06_unnecessary_demand", "pareto", tuple(COLUMNS["reason_pareto"])),
    Sheet("sheet.root_causes", "06_unnecessary_demand", "by_root_cause", tuple(COLUMNS["by_root_cause"])),
    Sheet("sheet.portfolio", "07_prioritisation", "portfolio", tuple(COLUMNS["portfolio"])),
    Sheet("sheet.ranking", "07_prioritisation", "ranking", tuple(COLUMNS["ranking"])),
    Sheet("sheet.dashboard", "08_roadmap_report", "dashboard", (
        ("kpi", "col.kpi", "label:kpi"), ("value", "col.current", "kpi+ci"), ("target", "col.target", "kpi"),
        ("gap", "col.gap", "kpi_change"), ("status", "col.status", "label:gap"),
        ("owner", "col.owner_department", "text"))),
    Sheet("sheet.roadmap", "08_roadmap_report", "roadmap", tuple(COLUMNS["roadmap_kpis"])),
    Sheet("sheet.raci", "08_roadmap_report", "raci_matrix", shown=format_raci),
)
"""The workbook's sheets in order."""


def write_workbook(out_dir: str | Path, manifest: dict, path: str | Path | None = None) -> Path:
    """Write the workbook of the report in ``out_dir`` from the results its run saved.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Report folder.
    manifest : dict
        The run's manifest (language, currency, workspace and input hashes).
    path : str or pathlib.Path, optional
        Target file; ``<out_dir>/report.xlsx`` by default. Replaced atomically.

    Returns
    -------
    pathlib.Path
        The file written. A sheet whose step has no saved result, or saved no such table, is left out.

    Raises
    ------
    cxlib.errors.ExportError
        When no step of the run saved any of the tables (nothing is written).
    """
    lang, currency = manifest["language"], manifest["currency"]
    saved = load_all(out_dir, list(dict.fromkeys(s.step for s in SHEETS)),
                     workspace=manifest["parameters"]["client_dir"], inputs=manifest["inputs"])
    names = department_names(saved.get("08_roadmap_report"))
    sheets, formats = {}, {}
    for sheet in SHEETS:
        result = saved[sheet.step]
        if result is None or sheet.table not in result.tables:
            continue
        title = Format(lang).label(sheet.name)[:31]
        sheets[title], formats[title] = sheet_table(sheet, result.table(sheet.table), lang, currency, names)
    if not sheets:
        raise ExportError(f"No step saved a table for the workbook in {Path(out_dir) / 'results'}; "
                          "run the steps first.")
    return write_sheets(sheets, Path(path) if path else Path(out_dir) / "report.xlsx", formats)


def sheet_table(sheet: Sheet, frame: pd.DataFrame, lang: str, currency: str,
                names: dict[str, str] | None = None) -> tuple[pd.DataFrame, dict[str, str | list[str | None]]]:
    """The sheet's table and its number formats (header → format, or one per row).

    Text columns are formatted by :func:`cxlib.report.display.format_columns` (labels in ``lang``,
    ids through ``names``); numeric columns keep their values.

    Parameters
    ----------
    sheet : Sheet
        Which columns, labels and units.
    frame : pandas.DataFrame
        The saved table.
    lang, currency : str
        Report language and currency.
    names : dict, optional
        Display names of ids in ``text`` columns (departments).

    Returns
    -------
    (pandas.DataFrame, dict)
        The table with labelled headers, and the arguments for ``write_sheets``'s ``number_formats``.
    """
    if sheet.shown is not None:
        return sheet.shown(frame, lang), {}
    f = Format(lang, currency)
    out, formats = pd.DataFrame(index=range(len(frame))), {}
    for column, key, unit in sheet.columns:
        ci, unit = unit.endswith("+ci"), unit.removesuffix("+ci")
        if unit not in EXCEL_FORMATS and unit not in ROW_UNITS:
            out[f.label(key)] = format_columns(frame, [(column, key, unit)], lang, currency, names).iloc[:, 0]
            continue
        parts = [(column, f.label(key))]
        if ci:
            bounds = (f"{column}_{s}" if f"{column}_{s}" in frame else s for s in ("low", "high"))
            parts += zip(bounds, [f"{f.label(key)}, {f.label(part)}" for part in BOUND_LABELS])
        number_format = [excel_format(u, currency) for u in row_units(frame, unit)]
        for source, header in parts:
            out[header] = pd.to_numeric(frame[source], errors="coerce").to_numpy()
            formats[header] = number_format if unit in ROW_UNITS else number_format[0]
    return out, formats


def row_units(frame: pd.DataFrame, unit: str) -> list[str]:
    """The unit of each row of a column in ``unit``: one for all, or per row's KPI for :data:`ROW_UNITS`."""
    if unit not in ROW_UNITS:
        return [unit]
    own = [KPIS[k].unit for k in frame["kpi"]]
    return [CHANGE_UNITS.get(u, u) for u in own] if ROW_UNITS[unit] else own


def excel_format(unit: str, currency: str) -> str:
    """The Excel number format of ``unit`` (:data:`EXCEL_FORMATS`), money in ``currency``."""
    return EXCEL_FORMATS[unit].replace("{currency}", currency.replace('"', ""))
