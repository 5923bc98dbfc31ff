"""Showing results in a notebook so that they survive into the offline HTML report.

Figures are sent as a bundle: plotly's own MIME type for JupyterLab, plus HTML for the
report. The first figure of a kernel carries plotly.js: embedded, or, after
:func:`refer_to_plotlyjs`, as a ``<script src>`` reference to :data:`PLOTLYJS_FILE` that the
report's page renderer replaces with plotly.js itself (what the runner does: the executed
notebook then stays small, and each page still carries plotly.js once and works on its own).
Every piece of text is HTML-escaped, because findings and tables can carry customer text.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Mapping
from contextlib import contextmanager

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from IPython.display import HTML, display

from ..i18n import Format, family_key, is_plural, kpi_label, t
from ..kpis import KPIS
from ..results import EFFECTS, Candidate, Finding

#: The file name by which figures refer to plotly.js after :func:`refer_to_plotlyjs`.
PLOTLYJS_FILE = "plotly.min.js"
#: How the next figure carries plotly.js (``include_plotlyjs`` of :meth:`plotly.graph_objects.Figure.to_html`):
#: ``True`` embeds it, a file name refers to it, ``False`` once a figure has carried it.
_plotlyjs: bool | str = True
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
_CONFIG = {"displaylogo": False, "responsive": True}
#: The optional tables whose absence :func:`missing_table` explains, each with a label
#: ``missing.<table>``: what the table would show and how to provide it.
EXPLAINED_TABLES = ("contacts", "customers", "journeys", "maturity", "staffing")


def figure_bundle(fig: go.Figure, include_plotlyjs: bool | str) -> dict:
    """MIME bundle of ``fig``: plotly JSON for JupyterLab, HTML for reports that embeds
    plotly.js (``True``), refers to a file of it (a name ending in ``.js``) or neither (``False``).
    """
    spec = json.loads(pio.to_json(fig, validate=False))
    return {
        "application/vnd.plotly.v1+json": {**spec, "config": _CONFIG},
        "text/html": fig.to_html(full_html=False, include_plotlyjs=include_plotlyjs, config=_CONFIG),
        "text/plain": f"<Figure: {fig.layout.title.text or 'plotly'}>",
    }


def refer_to_plotlyjs() -> None:
    """Let the first figure of this kernel refer to plotly.js as :data:`PLOTLYJS_FILE` instead
    of embedding its 4.8 MB (:func:`cxlib.report.pages.render_step` embeds it in the page).
    """
    global _plotlyjs
    _plotlyjs = PLOTLYJS_FILE


def show(fig: go.Figure) -> None:
    """Display a figure; the first one in a kernel carries plotly.js so the report works offline."""
    global _plotlyjs
    display(figure_bundle(fig, include_plotlyjs=_plotlyjs), raw=True)
    _plotlyjs = False


def show_item(item) -> None:
    """Display a figure (:func:`show`), a DataFrame (:func:`show_table`) or any displayable."""
    if isinstance(item, go.Figure):
        show(item)
    elif isinstance(item, pd.DataFrame):
        show_table(item)
    else:
        display(item)


def table_html(frame: pd.DataFrame) -> str:
    r"""HTML table of ``frame`` with every cell escaped (line breaks in text become spaces,
    which pandas would otherwise print as a literal ``\n``).
    """
    text = frame.select_dtypes(include=["object", "string"]).columns
    frame = frame.assign(**{c: frame[c].where(frame[c].isna(), frame[c].map(
        lambda v: _LINE_BREAK.sub(" ", v) if isinstance(v, str) else v)) for c in text})
    return frame.to_html(index=False, escape=True, na_rep="–", classes="cx-table", border=0)


def show_table(frame: pd.DataFrame) -> None:
    """Display ``frame`` as an escaped HTML table."""
    display(HTML(table_html(frame)))


def findings_html(findings: list[Finding], lang: str) -> str:
    """Findings as an escaped HTML list under a heading in ``lang``."""
    items = "".join(f"<li>{html.escape(f.text)}</li>" for f in findings)
    return f'<div class="cx-findings"><h3>{html.escape(t("report.findings", lang))}</h3><ul>{items}</ul></div>'


def show_findings(findings: list[Finding], lang: str) -> None:
    """Display findings as an escaped list under a heading in ``lang``."""
    display(HTML(findings_html(findings, lang)))


def candidate_text(candidate: Candidate, lang: str, currency: str) -> str:
    """The readable sentence of a candidate, rendered from its numbers: name, owner, the KPI it
    moves, each estimated effect with its interval where known, and its reach per year.
    """
    f = Format(lang, currency)
    parts = [f.label(family_key("effect", name), value=f.value(e.value, EFFECTS[name]))
             + ("" if e.low is None or e.high is None else " " + f.label(
                 "effect.interval", low=f.value(e.low, EFFECTS[name]), high=f.value(e.high, EFFECTS[name])))
             for name, e in candidate.effects.items()]
    if candidate.reach_per_year is not None:
        parts.append(f.label("effect.reach", n=f.value(candidate.reach_per_year, "count")))
    effects = "; ".join(parts if candidate.effects else [f.label("effect.unknown"), *parts])
    owner = f" ({candidate.owner})" if candidate.owner else ""
    moves = (kpi_label(candidate.mechanism, lang) if candidate.mechanism in KPIS
             else f.label(family_key("mechanism", candidate.mechanism)))
    return f.label("candidate.sentence", name=candidate.name, owner=owner, kpi=moves, effects=effects)


def show_candidates(candidates: list[Candidate], lang: str, currency: str) -> None:
    """Display candidate initiatives as an escaped list under a heading."""
    items = "".join(f"<li>{html.escape(candidate_text(c, lang, currency))}</li>" for c in candidates)
    display(HTML(f'<div class="cx-findings"><h3>{html.escape(t("report.candidates", lang))}</h3>'
                 f'<ul>{items}</ul></div>'))


def notice(text: str, kind: str = "info") -> None:
    """Display a short escaped notice box (kind: info, warning)."""
    display(HTML(f'<div class="cx-notice cx-{kind}">{html.escape(text)}</div>'))


@contextmanager
def status(label: str):
    """Show ``label …`` while the block runs, then ``label: 0.4 s`` on the same line."""
    handle = display(HTML(f'<div class="cx-status">{html.escape(label)} …</div>'), display_id=True)
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    if handle is not None:
        handle.update(HTML(f'<div class="cx-status">{html.escape(label)}: {seconds:.1f} s</div>'))


def format_kpis(table: pd.DataFrame, lang: str, currency: str = "SEK", dims: list[str] | None = None) -> pd.DataFrame:
    """A long KPI table made readable: KPI label, value and 95 % interval in their units, n.

    One row per (dims, KPI); KPIs with no value are left out.
    """
    f = Format(lang, currency)
    dims = dims or []
    d = table.dropna(subset=["value"])
    units = d["kpi"].map(lambda k: KPIS[k].unit)
    out = pd.DataFrame({f.label(family_key("dim", dim)): d[dim].astype(str) for dim in dims})
    out["KPI"] = d["kpi"].map(lambda k: kpi_label(k, lang))
    out[f.label("col.value")] = [f.value(v, u) for v, u in zip(d["value"], units)]
    out[f.label("col.interval")] = [
        "–" if pd.isna(lo) or pd.isna(hi) else f"{f.value(lo, u)} – {f.value(hi, u)}"
        for lo, hi, u in zip(d["low"], d["high"], units)]
    out[f.label("col.n")] = [f.number(n, 0) for n in d["n"]]
    return out.reset_index(drop=True)


def format_gaps(gaps: pd.DataFrame, lang: str, currency: str = "SEK") -> pd.DataFrame:
    """The KPI gap table (``desired_state.gap_table``) made readable, largest gap first.

    Gaps of shares are in percentage points, so that 66 % → 80 % reads "14 pe", not "14 %".
    """
    f = Format(lang, currency)

    def fmt(col):
        return [f.value(v, u) for v, u in zip(gaps[col], gaps["unit"])]

    return pd.DataFrame({
        f.label("col.rank"): gaps["rank"],
        "KPI": gaps["label"],
        f.label("col.current"): fmt("current"),
        f.label("col.interval"): [f"{a} – {b}" for a, b in zip(fmt("low"), fmt("high"))],
        f.label("col.target"): fmt("target"),
        f.label("col.gap"): [f.number(100 * g, 0) + "\u00a0" + f.label("unit.pp") if u == "share" else f.value(g, u)
                             for g, u in zip(gaps["gap"], gaps["unit"])],
        f.label("chart.gap_share"): [f.value(v, "share") for v in gaps["gap_share"]],
        f.label("col.status"): [f.label(family_key("gap", s)) for s in gaps["status"]],
    })


SPARKS = "▁▂▃▄▅▆▇█"
"""The bars of a text sparkline, lowest to highest."""


def sparkline(values: list[float]) -> str:
    """``values`` as a text sparkline, one bar per value scaled between their minimum and maximum; a month
    without a value is a space, and a flat series sits mid-height.
    """
    known = [v for v in values if not pd.isna(v)]
    if not known:
        return ""
    low, high = min(known), max(known)
    def bar(v: float) -> str:
        if pd.isna(v):
            return " "
        level = 0.5 if high == low else (v - low) / (high - low)
        return SPARKS[round(level * (len(SPARKS) - 1))]
    return "".join(bar(v) for v in values)


def format_dashboard(board: pd.DataFrame, lang: str, currency: str = "SEK",
                     names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The shared KPI dashboard (:func:`cxlib.analysis.dashboard.kpi_dashboard`) made readable: each KPI in its
    own unit with its interval, the target and gap (shares' gaps in percentage points), the status, the owner
    (a department name through ``names``) and the monthly trend as a sparkline.
    """
    f = Format(lang, currency)
    units = [KPIS[k].unit for k in board["kpi"]]

    def gap(g, unit):
        if pd.isna(g):
            return "–"
        return f.number(100 * g, 0) + "\u00a0" + f.label("unit.pp") if unit == "share" else f.value(g, unit)

    return pd.DataFrame({
        "KPI": [kpi_label(k, lang) for k in board["kpi"]],
        f.label("col.current"): [f.value(v, u) for v, u in zip(board["value"], units)],
        f.label("col.interval"): ["–" if not _has_interval(v, lo, hi) else f"{f.value(lo, u)} – {f.value(hi, u)}"
                                  for v, lo, hi, u in zip(board["value"], board["low"], board["high"], units)],
        f.label("col.target"): ["–" if pd.isna(v) else f.value(v, u) for v, u in zip(board["target"], units)],
        f.label("col.gap"): [gap(g, u) for g, u in zip(board["gap"], units)],
        f.label("col.status"): [f.label(family_key("gap", s)) if isinstance(s, str) else "–" for s in board["status"]],
        f.label("col.owner_department"): ["–" if pd.isna(o) else (names or {}).get(o, o) for o in board["owner"]],
        f.label("col.trend"): [sparkline(v) for v in board["trend"]],
    })


def format_raci(matrix: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The RACI matrix (:attr:`cxlib.steps.roadmap_report.RoadmapReport.raci_matrix`) with its initiative column
    labelled in ``lang``; the cells are the letters A/R, A, R, C and I, the same in every language.
    """
    return matrix.rename(columns={"initiative": Format(lang).label("col.initiative")})


def format_maturity(profile: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The maturity profile (``maturity.maturity_profile``) with labelled columns, levels 1–5."""
    f = Format(lang)

    def level(col):
        return [f.number(v, 1) for v in profile[col]]

    return pd.DataFrame({
        f.label("dim.area"): profile["area"],
        f.label("col.current"): level("current"),
        f.label("col.desired"): level("desired"),
        f.label("col.gap"): level("gap"),
        f.label("col.range"): [f"{a} – {b}" for a, b in zip(level("current_min"), level("current_max"))],
        f.label("col.participants"): profile["n"],
    })


def missing_table(table: str, lang: str) -> None:
    """Say that ``table`` (one of :data:`EXPLAINED_TABLES`) is missing, what it would show and how to provide it."""
    notice(t("report.missing_table", lang, table=table, what=t(family_key("missing", table), lang)), "warning")


def _has_interval(value, low, high) -> bool:
    """Whether an interval is worth showing: value and bounds known, and not all three the same."""
    if any(pd.isna(x) for x in (value, low, high)):
        return False
    return not (low == value == high)


def format_columns(frame: pd.DataFrame, columns: list[tuple[str, str, str]], lang: str, currency: str = "SEK",
                   names: dict[str, str] | None = None,
                   placeholders: Mapping[str, Mapping[str, object]] | None = None) -> pd.DataFrame:
    """Pick, label and format columns of an analysis table for display.

    Parameters
    ----------
    frame : pandas.DataFrame
        The analysis table.
    columns : list of (str, str, str)
        ``(column, label key, unit)`` per column shown. Units are those of
        :func:`cxlib.i18n.fmt_value` (points, share, score, seconds, currency, count) plus
        ``text`` (as is, ids through ``names``), ``p`` (p-value), ``flag`` (yes/no),
        ``label:<family>`` (each value translated through its key in the label family,
        :func:`cxlib.i18n.family_key`) and ``kpis`` (a list of KPI ids, as their labels). A unit
        ending in ``+ci`` adds the 95 % interval from
        ``<column>_low``/``_high`` (or ``low``/``high``) where the value and both bounds are known
        and the bounds differ from the value.
    lang : str
        Report language.
    currency : str, default "SEK"
        Currency of money values.
    names : dict, optional
        Display names of ids in ``text`` columns.
    placeholders : Mapping, optional
        Label key → values of its placeholders, for headers and ``label:`` values that have
        some (e.g. ``{"col.needed": {"margin": "10"}}``); a plural label takes its count from ``n``.

    Returns
    -------
    pandas.DataFrame
        The formatted text, one column per entry of ``columns``, headed by its label.
    """
    f = Format(lang, currency)
    placeholders = placeholders or {}

    def label(key: str) -> str:
        fmt = placeholders.get(key, {})
        return f.plural(key, fmt["n"], **fmt) if is_plural(key) else f.label(key, **fmt)

    out = pd.DataFrame(index=frame.index)
    for column, key, unit in columns:
        ci = unit.endswith("+ci")
        unit = unit.removesuffix("+ci")
        values = frame[column]
        if unit == "text" and pd.api.types.is_datetime64_any_dtype(values):
            text = values.dt.strftime("%Y-%m-%d").fillna("–")
        elif unit == "text":
            text = values.map(lambda v: "–" if pd.isna(v) else (names or {}).get(str(v), str(v)))
        elif unit == "p":
            text = values.map(lambda p: "–" if pd.isna(p) else f.p(p).removeprefix("p = ").replace("p < ", "< "))
        elif unit == "flag":
            text = values.map(lambda v: f.label("word.yes" if v else "word.no"))
        elif unit == "kpis":
            text = values.map(lambda v: ", ".join(kpi_label(k, lang) for k in v) if len(v) else "–")
        elif unit.startswith("label:"):
            family = unit.removeprefix("label:")
            text = values.map(lambda v: label(family_key(family, v)) if isinstance(v, str) and v else "–")
        else:
            text = values.map(lambda v: f.value(v, unit))
        if ci:
            low, high = (f"{column}_{s}" if f"{column}_{s}" in frame else s for s in ("low", "high"))
            bounds = zip(values, frame[low], frame[high])
            text = text + [f" ({f.value(a, unit)} – {f.value(b, unit)})" if _has_interval(x, a, b) else ""
                           for x, a, b in bounds]
        out[label(key)] = text.to_numpy()
    return out.reset_index(drop=True)
