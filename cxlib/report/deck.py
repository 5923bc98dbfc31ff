"""PowerPoint export: an editable deck of the strategy, with native charts a consultant can restyle.

:func:`write_deck` reads only what the steps saved and writes ``report.pptx`` with python-pptx:
a title slide, one slide per question of the strategy, the shared KPI dashboard, a slide or
two per step with native charts (bar, line and scatter charts that carry their data, so
PowerPoint edits them like any chart), the effort/effect matrix, the roadmap as a stacked-bar
Gantt chart and the RACI table. Text is in the report's language. The theme is PowerPoint's
neutral default; a ``template.pptx`` in the client workspace is used instead when present
(its first layout for the title slide, its title-only layout for the rest), so a consultant
re-brands the deck once per client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Emu, Inches, Pt

from ..errors import ExportError
from ..files import replace_atomic
from ..i18n import Format, family_key, kpi_label, t
from ..results import StepResult, load_all
from ..steps import REGISTRY
from ..steps.roadmap_report import QUESTIONS, answer_text, department_names
from .display import format_dashboard, format_raci

TEMPLATE_FILE = "template.pptx"
"""A deck in the client workspace whose layouts and theme the exported deck uses."""
WIDE = (Inches(13.333), Inches(7.5))
"""Slide size (16:9) of a deck made without a template."""
MARGIN = Inches(0.5)
TITLE_HEIGHT = Inches(1.0)
BODY_FONT = Pt(14)
TABLE_FONT = Pt(10)
MAX_TABLE_ROWS = 14
"""Rows of a table on one slide; a longer table continues on the next slide."""
MAX_CATEGORIES = 12
"""Bars of a bar chart: the largest ones, so labels stay readable."""


@dataclass
class Deck:
    """A presentation being filled, with what its slides need: language, currency, department names."""

    presentation: Presentation
    lang: str
    currency: str
    names: dict[str, str]

    @property
    def f(self) -> Format:
        """Formatting in the deck's language and currency."""
        return Format(self.lang, self.currency)

    def slide(self, title: str):
        """A new slide with ``title`` on the title-only layout (or the layout with the fewest placeholders)."""
        layouts = self.presentation.slide_layouts
        layout = next((lay for lay in layouts if lay.name == "Title Only"),
                      min(layouts, key=lambda lay: len(lay.placeholders)))
        slide = self.presentation.slides.add_slide(layout)
        if slide.shapes.title is not None:
            slide.shapes.title.text = title
        else:
            box = slide.shapes.add_textbox(MARGIN, MARGIN / 2, self.width - 2 * MARGIN, TITLE_HEIGHT)
            box.text_frame.text = title
        return slide

    @property
    def width(self) -> Emu:
        """Slide width (EMU)."""
        return self.presentation.slide_width

    @property
    def height(self) -> Emu:
        """Slide height (EMU)."""
        return self.presentation.slide_height

    def body(self) -> tuple[Emu, Emu, Emu, Emu]:
        """Left, top, width and height of the area under a slide's title."""
        top = MARGIN + TITLE_HEIGHT
        return MARGIN, top, self.width - 2 * MARGIN, self.height - top - MARGIN


def write_deck(out_dir: str | Path, manifest: dict, path: str | Path | None = None) -> Path:
    """Write the deck of the report in ``out_dir`` from the results its run saved.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Report folder.
    manifest : dict
        The run's manifest (client, period, language, currency, workspace and input hashes).
    path : str or pathlib.Path, optional
        Target file; ``<out_dir>/report.pptx`` by default. Replaced atomically.

    Returns
    -------
    pathlib.Path
        The file written. Slides whose step has no saved result are left out.

    Raises
    ------
    cxlib.errors.ExportError
        When ``template.pptx`` in the workspace cannot be opened as a deck (nothing is written).
    """
    saved = load_all(out_dir, list(REGISTRY), workspace=manifest["parameters"]["client_dir"],
                     inputs=manifest["inputs"])
    template = Path(manifest["parameters"]["client_dir"]) / TEMPLATE_FILE
    try:
        presentation = Presentation(str(template)) if template.is_file() else Presentation()
    except Exception as exc:  # python-pptx raises zipfile, KeyError and XML errors for a file that is no deck
        raise ExportError(f"{template} cannot be used as the deck's template ({type(exc).__name__}: {exc}); "
                          "save it again from PowerPoint as .pptx, or remove it.") from None
    if not template.is_file():
        presentation.slide_width, presentation.slide_height = WIDE
    deck = Deck(presentation, manifest["language"], manifest["currency"],
                department_names(saved.get("08_roadmap_report")))
    title_slide(deck, manifest)
    for build in SLIDES:
        build(deck, saved)
    return replace_atomic(Path(path) if path else Path(out_dir) / "report.pptx",
                          lambda tmp: presentation.save(str(tmp)))


def title_slide(deck: Deck, manifest: dict) -> None:
    """Client and report title; period and date below."""
    slide = deck.presentation.slides.add_slide(deck.presentation.slide_layouts[0])
    title = f"{t('report.title', deck.lang)}: {manifest['client']}"
    when = (manifest.get("finished") or dt.datetime.now(dt.timezone.utc).isoformat())[:10]
    detail = (f"{t('report.period', deck.lang)}: {manifest.get('period') or '–'} · "
              f"{t('report.generated', deck.lang)}: {when}")
    placeholders = list(slide.placeholders)
    if placeholders:
        placeholders[0].text = title
    if len(placeholders) > 1:
        placeholders[1].text = detail
    if len(placeholders) < 2:
        _, top, width, _ = deck.body()
        deck_text(slide, [title, detail][len(placeholders):], MARGIN, top, width, Inches(2))


def deck_text(slide, paragraphs: list[str], left: Emu, top: Emu, width: Emu, height: Emu) -> None:
    """A text box of ``paragraphs`` in the body font, wrapped to its width."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for i, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.font.size = BODY_FONT
        paragraph.space_after = Pt(8)


def deck_table(deck: Deck, title: str, frame: pd.DataFrame) -> None:
    """``frame`` (text) as native tables, :data:`MAX_TABLE_ROWS` rows a slide under ``title``."""
    left, top, width, height = deck.body()
    for start in range(0, max(len(frame), 1), MAX_TABLE_ROWS):
        part = frame.iloc[start:start + MAX_TABLE_ROWS]
        slide = deck.slide(title)
        shape = slide.shapes.add_table(len(part) + 1, frame.shape[1], left, top, width,
                                       min(height, Inches(0.4) * (len(part) + 1)))
        table = shape.table
        for j, header in enumerate(frame.columns):
            table.cell(0, j).text = str(header)
        for i, row in enumerate(part.itertuples(index=False), start=1):
            for j, value in enumerate(row):
                table.cell(i, j).text = "–" if value is None or (isinstance(value, float) and pd.isna(value)) \
                    else str(value)
        for cell in (table.cell(i, j) for i in range(len(part) + 1) for j in range(frame.shape[1])):
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = TABLE_FONT


def category_chart(deck: Deck, title: str, kind, categories: list[str], series: dict[str, list[float]],
                   number_format: str, legend: bool = False):
    """A native category chart (bar, line or stacked bar) on a new slide: the chart data are editable."""
    data = CategoryChartData(number_format=number_format)
    data.categories = categories
    for name, values in series.items():
        data.add_series(name, [None if pd.isna(v) else float(v) for v in values])
    left, top, width, height = deck.body()
    chart = deck.slide(title).shapes.add_chart(kind, left, top, width, height, data).chart
    chart.has_legend = legend
    if legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    chart.font.size = Pt(11)
    return chart


def top(frame: pd.DataFrame, column: str, n: int = MAX_CATEGORIES) -> pd.DataFrame:
    """The ``n`` rows with the largest ``column``, largest last (a horizontal bar chart draws it on top)."""
    return frame.dropna(subset=[column]).nlargest(n, column).iloc[::-1]


SlideBuilder = Callable[[Deck, dict[str, StepResult | None]], None]


def table_of(saved: dict[str, StepResult | None], step: str, name: str) -> pd.DataFrame | None:
    """Table ``name`` of ``step``'s saved result; ``None`` when it has none or it is empty."""
    result = saved.get(step)
    if result is None or not result.tables.get(name):
        return None
    return result.table(name)


def answer_slides(deck: Deck, saved: dict[str, StepResult | None]) -> None:
    """One slide per question: the heading and the findings that answer it."""
    answers = table_of(saved, "08_roadmap_report", "answers")
    if answers is None:
        return
    for question in QUESTIONS:
        left, top_, width, height = deck.body()
        deck_text(deck.slide(t(family_key("question", question), deck.lang)),
                  [answer_text(answers, question, deck.lang)], left, top_, width, height)


def dashboard_slide(deck: Deck, saved: dict[str, StepResult | None]) -> None:
    """The shared KPI dashboard as a table: value, interval, target, gap, status, owner and trend."""
    board = table_of(saved, "08_roadmap_report", "dashboard")
    if board is not None:
        deck_table(deck, t("sheet.dashboard", deck.lang), format_dashboard(board, deck.lang, deck.currency, deck.names))


def current_state_slides(deck: Deck, saved: dict[str, StepResult | None]) -> None:
    """Step 01: NPS by channel (bar) and by month (line)."""
    by_channel, monthly = (table_of(saved, "01_current_state", n) for n in ("by_channel", "monthly"))
    nps = kpi_label("nps", deck.lang)
    if by_channel is not None:
        rows = by_channel[by_channel["kpi"] == "nps"].sort_values("value")
        category_chart(deck, t("chart.kpi_by", deck.lang, kpi=nps, dim=deck.f.label("dim.channel").lower()),
                       XL_CHART_TYPE.BAR_CLUSTERED, list(rows["channel"]), {nps: list(rows["value"])}, "+0;-0;0")
    if monthly is not None:
        rows = monthly[monthly["kpi"] == "nps"]
        chart = category_chart(deck, t("chart.trend", deck.lang, kpi=nps), XL_CHART_TYPE.LINE_MARKERS,
                               list(rows["month"]), {nps: list(rows["value"])}, "+0;-0;0")
        chart.value_axis.has_major_gridlines = True


def desired_state_slide(deck: Deck, saved: dict[str, StepResult | None]) -> None:
    """Step 02: the gaps as a share of each KPI's scale (bar), largest first."""
    gaps = table_of(saved, "02_desired_state", "kpi_gaps")
    if gaps is not None:
        rows = top(gaps, "gap_share")
        category_chart(deck, t("chart.gap_share", deck.lang), XL_CHART_TYPE.BAR_CLUSTERED,
                       [kpi_label(k, deck.lang) for k in rows["kpi"]],
                       {t("chart.gap_share", deck.lang): list(rows["gap_share"])}, "0%")


def insight_slide(deck: Deck, saved: dict[str, StepResult | None]) -> None:
    """Step 03: the NPS gain without detractors' complaints by theme (bar)."""
    drivers = table_of(saved, "03_insight", "drivers")
    if drivers is not None:
        rows = top(drivers, "gain")
        category_chart(deck, t("chart.gain", deck.lang), XL_CHART_TYPE.BAR_CLUSTERED, list(rows["name"]),
                       {t("axis.points", deck.lang): list(rows["gain"])}, "+0.0;-0.0;0.0")


def accessibility_slide(deck: Deck, saved: dict[str, StepResult | None]) -> None:
    """Step 04: service level against target by channel (column)."""
    service = table_of(saved, "04_accessibility", "service_by_channel")
    if service is not None:
        category_chart(deck, deck.f.label("col.service_level"), XL_CHART_TYPE.COLUMN_CLUSTERED,
                       list(service["channel"]), {deck.f.label("col.service_level"): list(service["service_level"]),
                                                  deck.f.label("col.target"): list(service["target"])},
                       "0%", legend=True)


def friction_slide(deck: Deck, saved: dict[str, StepResult | None]) -> None:
    """Step 05: each journey's funnel, the share of started sessions reaching each step (column)."""
    funnel = table_of(saved, "05_friction", "funnel")
    if funnel is not None:
        for journey, steps in funnel.groupby("journey", sort=False):
            category_chart(deck, f"{deck.f.label('col.journey')}: {journey}", XL_CHART_TYPE.COLUMN_CLUSTERED,
                           list(steps["step_name"]), {deck.f.label("col.from_first"): list(steps["from_first"])},
                           "0%")


def demand_slides(deck: Deck, saved: dict[str, StepResult | None]) -> None:
    """Step 06: contact reasons split into failure, unclear and value contacts (stacked bar); the failure
    share by month (line).
    """
    pareto, by_month = (table_of(saved, "06_unnecessary_demand", n) for n in ("pareto", "by_month"))
    if pareto is not None:
        rows = top(pareto, "contacts_per_year")
        category_chart(deck, t("chart.pareto", deck.lang), XL_CHART_TYPE.BAR_STACKED, list(rows["reason"]),
                       {deck.f.label("col.failure_contacts"): list(rows["failure"]),
                        deck.f.label("col.unclear_contacts"): list(rows["unclear"]),
                        deck.f.label("col.contacts_per_year"): list(rows["contacts_per_year"] - rows["failure"]
                                                                    - rows["unclear"])}, "#,##0", legend=True)
    if by_month is not None:
        category_chart(deck, t("chart.failure_share", deck.lang, by=deck.f.label("dim.month").lower()),
                       XL_CHART_TYPE.LINE_MARKERS, list(by_month["month"]),
                       {deck.f.label("col.failure_share"): list(by_month["value"])}, "0%")


def matrix_slide(deck: Deck, saved: dict[str, StepResult | None]) -> None:
    """The effort/effect matrix as a native scatter chart, one series per quadrant."""
    matrix = table_of(saved, "07_prioritisation", "matrix")
    if matrix is None:
        return
    data = XyChartData()
    for quadrant, rows in matrix.dropna(subset=["effort", "effect_score"]).groupby("quadrant", sort=False):
        series = data.add_series(deck.f.label(family_key("matrix", quadrant)))
        for effort, effect in zip(rows["effort"], rows["effect_score"]):
            series.add_data_point(float(effort), float(effect))
    left, top_, width, height = deck.body()
    chart = deck.slide(t("chart.matrix", deck.lang)).shapes.add_chart(
        XL_CHART_TYPE.XY_SCATTER, left, top_, width, height, data).chart
    chart.has_legend, chart.legend.position, chart.legend.include_in_layout = True, XL_LEGEND_POSITION.BOTTOM, False
    for axis, key in ((chart.category_axis, "col.effort_score"), (chart.value_axis, "col.effect_score")):
        axis.has_title = True
        axis.axis_title.text_frame.text = deck.f.label(key)


def roadmap_slide(deck: Deck, saved: dict[str, StepResult | None]) -> None:
    """The roadmap as a Gantt chart: a stacked bar whose first, invisible series is each initiative's start."""
    roadmap = table_of(saved, "08_roadmap_report", "roadmap")
    if roadmap is None:
        return
    rows = roadmap.iloc[::-1]
    chart = category_chart(deck, t("chart.roadmap", deck.lang), XL_CHART_TYPE.BAR_STACKED, list(rows["name"]),
                           {t("chart.start", deck.lang): list(rows["start_month"]),
                            t("chart.months", deck.lang): list(rows["end_month"] - rows["start_month"])}, "0")
    hidden = chart.plots[0].series[0].format
    hidden.fill.background()
    hidden.line.fill.background()
    chart.value_axis.has_title = True
    chart.value_axis.axis_title.text_frame.text = t("chart.months", deck.lang)


def raci_slide(deck: Deck, saved: dict[str, StepResult | None]) -> None:
    """The RACI matrix: one row per initiative, one column per department."""
    matrix = table_of(saved, "08_roadmap_report", "raci_matrix")
    if matrix is not None:
        deck_table(deck, t("sheet.raci", deck.lang), format_raci(matrix, deck.lang))


def step_heading(step: str) -> SlideBuilder:
    """A section slide naming ``step`` when it has a saved result."""
    def build(deck: Deck, saved: dict[str, StepResult | None]) -> None:
        if saved.get(step) is not None:
            deck.slide(t(REGISTRY[step].title_key, deck.lang))
    return build


def _slides() -> Iterator[SlideBuilder]:
    yield answer_slides
    yield dashboard_slide
    for step, build in (("01_current_state", current_state_slides), ("02_desired_state", desired_state_slide),
                        ("03_insight", insight_slide), ("04_accessibility", accessibility_slide),
                        ("05_friction", friction_slide), ("06_unnecessary_demand", demand_slides),
                        ("07_prioritisation", matrix_slide)):
        yield step_heading(step)
        yield build
    yield roadmap_slide
    yield raci_slide


SLIDES: tuple[SlideBuilder, ...] = tuple(_slides())
"""The slides after the title slide, in order; each adds nothing when its saved table is missing."""
