"""Figures for the workbook: each function takes a DataFrame and returns a plotly Figure.

All figures share one template (``cxwb``): palette, fonts, margins. Inputs are the tidy
tables that :mod:`cxlib.analysis.metrics` and friends return (``kpi, value, low, high, n`` and
the grouping columns); labels come from :mod:`cxlib.i18n` in the report language.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from ..config import WEEKDAYS
from ..i18n import family_key, kpi_label, t
from ..kpis import KPIS
from ..stats.multitest import ALPHA

PALETTE = ["#1b4965", "#f4a259", "#5fa8d3", "#bc4b51", "#8cb369", "#6d597a", "#e9c46a", "#2a9d8f"]
CURRENT, DESIRED, GOOD, BAD, NEUTRAL = "#1b4965", "#f4a259", "#2a9d8f", "#bc4b51", "#9aa5b1"

pio.templates["cxwb"] = go.layout.Template(
    layout=go.Layout(
        colorway=PALETTE,
        font=dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=13, color="#222"),
        title=dict(font=dict(size=16), x=0, xanchor="left"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=10, r=10, t=50, b=10),
        xaxis=dict(gridcolor="#e5e8eb", zerolinecolor="#c5cbd1", automargin=True),
        yaxis=dict(gridcolor="#e5e8eb", zerolinecolor="#c5cbd1", automargin=True),
        legend=dict(orientation="h", y=-0.15),
        hoverlabel=dict(font_size=12),
    )
)


TIME_UNITS = ((86400, "d"), (3600, "h"), (60, "min"), (1, "s"))


def _display_unit(d: pd.DataFrame, kpi: str) -> tuple[pd.DataFrame, float, dict]:
    """``d`` with value/low/high in a readable unit, the divisor used, and the axis format.

    Seconds become minutes, hours or days when the largest value calls for it; shares are
    shown as percent; NPS points with a sign.
    """
    unit = KPIS[kpi].unit
    if unit == "share":
        return d, 1.0, dict(tickformat=".0%")
    if unit == "points":
        return d, 1.0, dict(tickformat="+d")
    if unit == "seconds" and d["value"].notna().any():
        size, suffix = next((s, u) for s, u in TIME_UNITS if d["value"].abs().max() >= 2 * s or s == 1)
        return d.assign(**{c: d[c] / size for c in ("value", "low", "high")}), size, dict(ticksuffix=f" {suffix}")
    return d, 1.0, {}


def _hover(kpi: str, value_axis: str = "x") -> str:
    """Hover text: group, value, 95 % interval and n (``value_axis`` is where the value is drawn)."""
    group_axis = "y" if value_axis == "x" else "x"
    fmt = ":.1%" if KPIS[kpi].unit == "share" else ":.1f"
    return ("%{" + group_axis + "}: %{" + value_axis + fmt + "} (%{customdata[0]" + fmt + "} – %{customdata[1]" + fmt
            + "}), n=%{customdata[2]}<extra></extra>")


def plotly_text(value: object) -> str:
    """Text from data made safe for a plotly label: ``&``, ``<`` and ``>`` as entities, so that
    plotly's label markup (``<b>``, ``<a href>``, ``<br>``) cannot turn data into HTML.

    Quotes stay as they are: plotly decodes only a few entities (``&amp;``, ``&lt;``, ``&gt;``)
    and would show ``&quot;`` literally, while a quote inside label text is harmless.
    """
    return html.escape(str(value), quote=False)


def _named(values: pd.Series, names: dict[str, str] | None = None) -> pd.Series:
    """Display labels for ids (unknown ids stay as they are), made safe by :func:`plotly_text`."""
    text = values.astype(str)
    return (text.map(lambda v: names.get(v, v)) if names else text).map(plotly_text)


def kpi_by(table: pd.DataFrame, kpi: str, dim: str, lang: str, *, overall: float | None = None,
           target: float | None = None, names: dict[str, str] | None = None) -> go.Figure:
    """Dot plot of ``kpi`` per value of ``dim`` with 95 % interval whiskers.

    ``table`` is a long KPI table (columns ``dim, kpi, value, low, high, n``). Groups are
    sorted best first (top); ``overall`` and ``target`` draw reference lines (in the KPI's
    unit); ``names`` maps ids to display names.
    """
    d = table[table["kpi"] == kpi].dropna(subset=["value"])
    d = d.sort_values("value", ascending=KPIS[kpi].better == "lower").iloc[::-1]
    d, size, axis = _display_unit(d, kpi)
    fig = go.Figure(go.Scatter(
        x=d["value"], y=_named(d[dim], names), mode="markers", marker=dict(size=11, color=CURRENT),
        error_x=dict(type="data", symmetric=False, array=d["high"] - d["value"], arrayminus=d["value"] - d["low"],
                     color=NEUTRAL, thickness=2, width=0),
        customdata=d[["low", "high", "n"]].to_numpy(), hovertemplate=_hover(kpi), name=kpi_label(kpi, lang),
    ))
    for x, color, key in ((overall, NEUTRAL, "dim.overall"), (target, DESIRED, "col.target")):
        if x is not None and pd.notna(x):
            fig.add_vline(x=x / size, line=dict(color=color, dash="dash", width=1.5),
                          annotation_text=t(key, lang), annotation_position="top")
    fig.update_layout(template="cxwb", height=max(240, 40 * len(d) + 110), showlegend=False,
                      title=t("chart.kpi_by", lang, kpi=kpi_label(kpi, lang),
                              dim=t(family_key("dim", dim), lang).lower()))
    fig.update_xaxes(**axis)
    return fig


def trend(table: pd.DataFrame, kpi: str, lang: str, *, by: str | None = None,
          target: float | None = None) -> go.Figure:
    """Monthly line of ``kpi`` with a shaded 95 % band; one line per ``by`` value if given.

    ``table`` has columns ``month, [by], kpi, value, low, high, n``.
    """
    d, size, axis = _display_unit(table[table["kpi"] == kpi].sort_values("month"), kpi)
    groups = [(None, d)] if by is None else list(d.groupby(by, sort=True))
    fig = go.Figure()
    for i, (name, g) in enumerate(groups):
        color = PALETTE[i % len(PALETTE)]
        label = kpi_label(kpi, lang) if name is None else plotly_text(name)
        fig.add_trace(go.Scatter(x=list(g["month"]) + list(g["month"])[::-1],
                                 y=list(g["high"]) + list(g["low"])[::-1], fill="toself", fillcolor=color,
                                 opacity=0.15, line=dict(width=0), hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=g["month"], y=g["value"], mode="lines+markers", name=label,
                                 line=dict(color=color, width=2.5), customdata=g[["low", "high", "n"]].to_numpy(),
                                 hovertemplate=_hover(kpi, "y")))
    if target is not None:
        fig.add_hline(y=target / size, line=dict(color=DESIRED, dash="dash"), annotation_text=t("col.target", lang))
    fig.update_layout(template="cxwb", height=380, showlegend=by is not None,
                      title=t("chart.trend", lang, kpi=kpi_label(kpi, lang)))
    fig.update_yaxes(**axis)
    return fig


def volume(counts: pd.DataFrame, lang: str, names: dict[str, str] | None = None) -> go.Figure:
    """Stacked monthly contact volume per channel; ``counts`` has columns month, channel, n."""
    fig = go.Figure()
    for channel, g in counts.groupby("channel", sort=True):
        fig.add_trace(go.Bar(x=g["month"], y=g["n"], name=_named(pd.Series([channel]), names).iloc[0]))
    fig.update_layout(template="cxwb", barmode="stack", height=380, title=t("chart.volume", lang))
    return fig


def maturity_radar(profile: pd.DataFrame, lang: str) -> go.Figure:
    """Radar of mean current and desired maturity (1–5) per area; columns area, current, desired."""
    areas = list(_named(profile["area"])) + [_named(profile["area"]).iloc[0]]
    fig = go.Figure()
    for col, key, color in (("current", "col.current", CURRENT), ("desired", "col.desired", DESIRED)):
        values = list(profile[col]) + [profile[col].iloc[0]]
        fig.add_trace(go.Scatterpolar(r=values, theta=areas, name=t(key, lang), fill="toself",
                                      line=dict(color=color), opacity=0.7))
    fig.update_layout(template="cxwb", height=460, title=t("chart.maturity", lang),
                      polar=dict(radialaxis=dict(range=[0, 5], dtick=1)))
    return fig


def journey_map(journey: pd.DataFrame, kpi: str, lang: str) -> go.Figure:
    """Journey map: ``kpi`` per touchpoint, ordered by journey stage, as a score curve.

    ``journey`` has columns ``stage, touchpoint, value, low, high, n`` in journey order;
    marker size shows the number of responses.
    """
    d, _, axis = _display_unit(journey.reset_index(drop=True), kpi)
    labels = _named(d["stage"]) + " · " + _named(d["touchpoint"])
    size = 10 + 30 * (d["n"] / d["n"].max()) ** 0.5
    colors = [GOOD if v >= 0 else BAD for v in d["value"]] if KPIS[kpi].unit == "points" else CURRENT
    fig = go.Figure(go.Scatter(
        x=labels, y=d["value"], mode="lines+markers", line=dict(color=NEUTRAL, shape="spline"),
        marker=dict(size=size, color=colors, line=dict(color="white", width=1)),
        error_y=dict(type="data", symmetric=False, array=d["high"] - d["value"], arrayminus=d["value"] - d["low"],
                     color=NEUTRAL, thickness=1.5, width=0),
        customdata=d[["low", "high", "n"]].to_numpy(),
        hovertemplate=_hover(kpi, "y"),
    ))
    fig.update_layout(template="cxwb", height=420, showlegend=False,
                      title=t("chart.journey", lang, kpi=kpi_label(kpi, lang)))
    fig.update_yaxes(**axis)
    return fig


def gaps(table: pd.DataFrame, lang: str) -> go.Figure:
    """Bars of the gap as a share of each KPI's scale, largest first, coloured by status.

    ``table`` has columns ``label, gap_share, status`` (status: met, within_ci, open). Met
    targets are drawn at zero: the chart shows what remains, the table the margin.
    """
    d = table.sort_values("gap_share")
    colors = d["status"].map({"met": GOOD, "within_ci": DESIRED, "open": BAD})
    fig = go.Figure(go.Bar(x=d["gap_share"].clip(lower=0), y=_named(d["label"]), orientation="h", marker_color=colors,
                           text=[t(family_key("gap", s), lang) for s in d["status"]], textposition="outside",
                           cliponaxis=False, customdata=d["gap_share"],
                           hovertemplate="%{y}: %{customdata:.0%}<extra></extra>"))
    fig.update_layout(template="cxwb", height=max(260, 36 * len(d) + 110), showlegend=False,
                      title=t("chart.gaps", lang), margin=dict(r=120))
    fig.update_xaxes(tickformat=".0%", title=t("chart.gap_share", lang))
    return fig


def effects(table: pd.DataFrame, label: str, lang: str, *, value: str = "value", low: str = "low",
            high: str = "high", highlight: str | None = None, title: str = "", axis_title: str = "",
            share: bool = False, names: dict[str, str] | None = None) -> go.Figure:
    """Dot plot of an effect with its 95 % interval per row, largest at the top, a line at zero.

    ``table`` holds one row per item: the ``label`` column names it, ``value``/``low``/``high``
    give the estimate and interval. Rows where the boolean column ``highlight`` is True are
    drawn in the strong colour (e.g. significant differences), the rest in grey. ``share``
    formats the axis as percent (else points with a sign).
    """
    d = table.dropna(subset=[value]).sort_values(value)
    strong = d[highlight].fillna(False).astype(bool) if highlight else pd.Series(True, index=d.index)
    fmt = ":.1%" if share else ":+.1f"
    fig = go.Figure(go.Scatter(
        x=d[value], y=_named(d[label], names), mode="markers",
        marker=dict(size=11, color=[CURRENT if s else NEUTRAL for s in strong]),
        error_x=dict(type="data", symmetric=False, array=d[high] - d[value], arrayminus=d[value] - d[low],
                     color=NEUTRAL, thickness=2, width=0),
        customdata=d[[low, high]].to_numpy(),
        hovertemplate=("%{y}: %{x" + fmt + "} (%{customdata[0]" + fmt + "} – %{customdata[1]" + fmt
                       + "})<extra></extra>"),
    ))
    fig.add_vline(x=0, line=dict(color=NEUTRAL, width=1))
    fig.update_layout(template="cxwb", height=max(240, 40 * len(d) + 110), showlegend=False, title=title)
    fig.update_xaxes(tickformat=".0%" if share else "+.0f", title=axis_title)
    return fig


def theme_sentiment(themes: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked bars of theme mentions by sentiment, most mentioned theme at the top.

    ``themes`` has columns ``name, negative, neutral, positive`` (mention counts).
    """
    d = themes.sort_values("mentions")
    fig = go.Figure()
    for sentiment, color in (("negative", BAD), ("neutral", NEUTRAL), ("positive", GOOD)):
        name = t(family_key("sentiment", sentiment), lang)
        fig.add_trace(go.Bar(x=d[sentiment], y=_named(d["name"]), orientation="h", marker_color=color,
                             name=name, hovertemplate="%{y}: %{x}<extra>" + name + "</extra>"))
    fig.update_layout(template="cxwb", barmode="stack", height=max(260, 36 * len(d) + 130),
                      title=t("chart.themes", lang))
    fig.update_xaxes(title=t("col.mentions", lang))
    return fig


def _weekdays(lang: str) -> list[str]:
    return [t(family_key("weekday", d), lang) for d in WEEKDAYS]


def week_heatmap(table: pd.DataFrame, value: str, lang: str, *, title: str, share: bool = False,
                 target: float | None = None, open_column: str | None = None) -> go.Figure:
    """Heatmap of ``value`` per weekday (rows, Monday on top) and interval of the day (columns).

    ``table`` has columns ``weekday`` (0 = Monday), ``interval_start`` (HH:MM) and ``value``, one
    row per interval (one channel); intervals missing or NaN are blank. ``title`` is plain text.
    ``share`` colours 0–1 from red to green around ``target``; otherwise light to dark.
    ``open_column`` names a boolean column (opening hours) whose open intervals are outlined, one
    box per weekday.
    """
    starts = sorted(table["interval_start"].unique())
    grid = table.pivot(index="weekday", columns="interval_start", values=value)
    grid = grid.reindex(index=range(7), columns=starts)
    colours = dict(colorscale="RdYlGn", zmin=0, zmax=1, zmid=target) if share else dict(colorscale="Blues")
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=starts, y=_weekdays(lang), hoverongaps=False, **colours,
                               colorbar=dict(tickformat=".0%") if share else None,
                               hovertemplate="%{y} %{x}: %{z" + (":.0%" if share else ":.1f") + "}<extra></extra>"))
    if open_column is not None:
        opened = table.pivot(index="weekday", columns="interval_start", values=open_column)
        opened = opened.reindex(index=range(7), columns=starts).eq(True).to_numpy()
        for day, row in enumerate(opened):
            columns = np.flatnonzero(row)
            if len(columns):
                fig.add_shape(type="rect", x0=columns[0] - 0.5, x1=columns[-1] + 0.5, y0=day - 0.5, y1=day + 0.5,
                              line=dict(color=DESIRED, width=2))
    fig.update_layout(template="cxwb", height=330, title=plotly_text(title))
    fig.update_yaxes(autorange="reversed")
    return fig


def agents_by_interval(table: pd.DataFrame, lang: str, *, channel: str = "") -> go.Figure:
    """Scheduled agents against the agents required, interval by interval through the week.

    ``table`` has columns ``weekday``, ``interval_start``, ``scheduled`` (required) and
    optionally ``actual`` (scheduled in the plan), for one ``channel`` (its name, plain text).
    """
    d = table.sort_values(["weekday", "slot"])
    days = _weekdays(lang)
    x = [f"{days[w][:3]} {s}" for w, s in zip(d["weekday"], d["interval_start"])]
    fig = go.Figure()
    if "actual" in d:
        fig.add_trace(go.Bar(x=x, y=d["actual"], name=t("col.actual_agents", lang), marker_color=NEUTRAL))
    fig.add_trace(go.Scatter(x=x, y=d["scheduled"], name=t("col.required_agents", lang), mode="lines",
                             line=dict(color=CURRENT, width=2.5, shape="hv")))
    fig.update_layout(template="cxwb", height=360, title=t("chart.agents", lang, channel=plotly_text(channel)),
                      bargap=0.1)
    fig.update_xaxes(type="category", nticks=14)
    return fig


def backlog(table: pd.DataFrame, lang: str, names: dict[str, str] | None = None) -> go.Figure:
    """The backlog of async contacts at each day's end: open (solid) and awaiting a first response
    (dotted), per channel; ``table`` has channel, date, open and awaiting_response
    (:func:`cxlib.analysis.service.backlog`).
    """
    fig = go.Figure()
    for i, (channel, g) in enumerate(table.sort_values("date").groupby("channel", sort=True)):
        name = _named(pd.Series([channel]), names).iloc[0]
        for column, key, dash in (("open", "col.open", "solid"), ("awaiting_response", "col.awaiting_response", "dot")):
            fig.add_trace(go.Scatter(x=g["date"], y=g[column], mode="lines", name=f"{name}: {t(key, lang)}",
                                     line=dict(color=PALETTE[i % len(PALETTE)], width=2, dash=dash),
                                     hovertemplate="%{x}: %{y:.0f}<extra>%{fullData.name}</extra>"))
    fig.update_layout(template="cxwb", height=340, title=t("chart.backlog", lang))
    fig.update_yaxes(title=t("col.contacts", lang), rangemode="tozero")
    return fig


def channel_value(table: pd.DataFrame, lang: str, currency: str, names: dict[str, str] | None = None) -> go.Figure:
    """Channel value matrix: NPS (customer value, with its 95 % interval) against cost per contact,
    bubbles sized by volume; ``table`` has channel, cost_per_contact, volume, nps, nps_low, nps_high
    (channels without NPS, cost or volume are left out).
    """
    d = table.dropna(subset=["nps", "cost_per_contact"])
    d = d[d["volume"] > 0]
    size = 12 + 40 * np.sqrt(d["volume"] / d["volume"].max()) if len(d) else []
    fig = go.Figure(go.Scatter(
        x=d["cost_per_contact"], y=d["nps"], mode="markers+text", text=_named(d["channel"], names),
        textposition="top center", marker=dict(size=size, color=CURRENT, opacity=0.7),
        error_y=dict(type="data", symmetric=False, array=d["nps_high"] - d["nps"], arrayminus=d["nps"] - d["nps_low"],
                     color=NEUTRAL, thickness=1.5, width=0),
        customdata=d[["nps_low", "nps_high", "volume"]].to_numpy(),
        hovertemplate=("%{text}: NPS %{y:+.0f} (%{customdata[0]:+.0f} – %{customdata[1]:+.0f}), %{x:.0f} "
                       + plotly_text(currency) + ", n=%{customdata[2]:.0f}<extra></extra>")))
    fig.update_layout(template="cxwb", height=420, title=t("chart.channel_value", lang), showlegend=False)
    fig.update_xaxes(title=t("col.cost_per_contact", lang, currency=plotly_text(currency)), rangemode="tozero")
    fig.update_yaxes(title="NPS", tickformat="+d")
    return fig


def scenario_waterfall(row: pd.Series, lang: str, names: dict[str, str] | None = None) -> go.Figure:
    """FTE before, the change in the channel contacts leave and in the one they move to, and after,
    for one channel-shift scenario (a row of the scenarios table).
    """
    before = row["fte_from_before"] + row["fte_to_before"]
    source, target = _named(pd.Series([row["from_channel"], row["to_channel"]]), names)
    fig = go.Figure(go.Waterfall(
        x=[t("col.fte_before", lang), source, target, t("col.fte_after", lang)],
        measure=["absolute", "relative", "relative", "total"],
        y=[before, row["fte_from_after"] - row["fte_from_before"], row["fte_to_after"] - row["fte_to_before"], 0],
        decreasing=dict(marker_color=GOOD), increasing=dict(marker_color=BAD), totals=dict(marker_color=CURRENT),
        connector=dict(line=dict(color=NEUTRAL)), hovertemplate="%{x}: %{y:.2f}<extra></extra>"))
    fig.update_layout(template="cxwb", height=360, showlegend=False,
                      title=t("chart.scenario", lang, name=plotly_text(row["name"])))
    fig.update_yaxes(title=t("col.fte", lang))
    return fig


def _device_names(devices: pd.Series, lang: str) -> list[str]:
    """Devices in the report language (a value outside the schema's list shown as is, made safe)."""
    return [plotly_text(t(family_key("device", d), lang)) if isinstance(d, str) and d else "–" for d in devices]


def funnel_by_device(table: pd.DataFrame, lang: str, *, journey: str) -> go.Figure:
    """Share of entering sessions that reach each step of ``journey``, one bar per device, with
    95 % interval whiskers; ``table`` is :func:`cxlib.analysis.funnel.funnel` by device.
    """
    d = table[(table["journey"] == journey) & table["device"].notna()].sort_values("step")
    fig = go.Figure()
    for i, (device, g) in enumerate(d.groupby("device", sort=True)):
        name = _device_names(pd.Series([device]), lang)[0]
        fig.add_trace(go.Bar(
            x=_named(g["step_name"]), y=g["from_first"], name=name, marker_color=PALETTE[i % len(PALETTE)],
            error_y=dict(type="data", symmetric=False, array=g["from_first_high"] - g["from_first"],
                         arrayminus=g["from_first"] - g["from_first_low"], color=NEUTRAL, thickness=1.5, width=3),
            customdata=g[["sessions", "conversion"]].to_numpy(),
            hovertemplate=("%{x}: %{y:.1%}, n=%{customdata[0]:.0f}, " + plotly_text(t("col.conversion", lang))
                           + " %{customdata[1]:.1%}<extra>" + name + "</extra>")))
    fig.update_layout(template="cxwb", height=380, barmode="group", title=t("chart.funnel", lang,
                                                                              journey=plotly_text(journey)))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05], title=t("col.from_first", lang))
    fig.update_xaxes(type="category")
    return fig


def device_gap(table: pd.DataFrame, lang: str, *, device: str = "mobile") -> go.Figure:
    """The conversion gap of ``device`` against desktop per journey step (percentage points) with
    its 95 % interval; steps significant after Holm's correction are drawn strong. ``table`` is
    :func:`cxlib.analysis.funnel.device_gaps`.
    """
    d = table[table["device"] == device].dropna(subset=["gap"])
    d = d.assign(label=[f"{j}: {s}" for j, s in zip(d["journey"], d["step_name"])],
                 significant=d["p_adjusted"] < ALPHA)
    name = t(family_key("device", device), lang)
    return effects(d, "label", lang, value="gap", low="gap_low", high="gap_high", highlight="significant",
                   share=True, title=t("chart.device_gap", lang, device=plotly_text(name.lower())),
                   axis_title=t("chart.gap_axis", lang))


def mobile_trend(table: pd.DataFrame, lang: str) -> go.Figure:
    """Per month: the mobile share of sessions (top) and the mobile − desktop gap in completing the
    journey (bottom), one line per journey, shaded 95 % bands; ``table`` is
    :func:`cxlib.analysis.funnel.monthly_trend`.
    """
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=(t("chart.mobile_share", lang), t("chart.gap_axis", lang)))
    for i, (journey, g) in enumerate(table.sort_values("month").groupby("journey", sort=True)):
        color, name = PALETTE[i % len(PALETTE)], plotly_text(journey)
        for row, (value, low, high) in enumerate((("mobile_share", "mobile_share_low", "mobile_share_high"),
                                                  ("gap", "gap_low", "gap_high")), start=1):
            fig.add_trace(go.Scatter(x=list(g["month"]) + list(g["month"])[::-1],
                                     y=list(g[high]) + list(g[low])[::-1], fill="toself", line=dict(width=0),
                                     fillcolor=color, opacity=0.15, hoverinfo="skip", showlegend=False),
                          row=row, col=1)
            fig.add_trace(go.Scatter(x=g["month"], y=g[value], mode="lines+markers", name=name, legendgroup=name,
                                     showlegend=row == 1, line=dict(color=color, width=2),
                                     hovertemplate="%{x}: %{y:.1%}<extra>" + name + "</extra>"), row=row, col=1)
    fig.add_hline(y=0, line=dict(color=NEUTRAL, width=1), row=2, col=1)
    fig.update_layout(template="cxwb", height=480, title=t("chart.mobile_trend", lang))
    fig.update_yaxes(tickformat=".0%")
    return fig


def hotspot_matrix(table: pd.DataFrame, lang: str) -> go.Figure:
    """Effort hotspots: CES per touchpoint (1–7, higher is easier; the axis runs downwards so that
    effort rises upwards) against the feedback responses passing it, with 95 % intervals and the
    medians that split the quadrants. Small samples are hollow. ``table`` is
    :func:`cxlib.analysis.effort.touchpoint_effort`.
    """
    d = table.dropna(subset=["ces"])
    palette = {"fix_first": BAD, "high_effort": DESIRED, "high_volume": CURRENT}
    colors = [palette.get(q, NEUTRAL) for q in d["quadrant"]]
    quadrants = [t("chart.small_sample" if small else family_key("quadrant", q), lang)
                 for q, small in zip(d["quadrant"], d["small"])]
    fig = go.Figure(go.Scatter(
        x=d["responses"], y=d["ces"], mode="markers+text", text=_named(d["touchpoint"]), textposition="top center",
        marker=dict(size=14, color=colors, line=dict(width=2, color=colors),
                    symbol=["circle-open" if s else "circle" for s in d["small"]]),
        error_y=dict(type="data", symmetric=False, array=d["ces_high"] - d["ces"], arrayminus=d["ces"] - d["ces_low"],
                     color=NEUTRAL, thickness=1.5, width=0),
        customdata=np.column_stack([d["ces_low"], d["ces_high"], d["ces_n"], [plotly_text(q) for q in quadrants]]),
        hovertemplate=("%{text}: CES %{y:.2f} (%{customdata[0]:.2f} – %{customdata[1]:.2f}), n=%{customdata[2]}, "
                       "%{x} " + plotly_text(t("col.responses", lang).lower()) + "<br>%{customdata[3]}"
                       "<extra></extra>")))
    if len(d):
        fig.add_hline(y=d["ces_cut"].iloc[0], line=dict(color=NEUTRAL, dash="dash", width=1))
        fig.add_vline(x=d["volume_cut"].iloc[0], line=dict(color=NEUTRAL, dash="dash", width=1))
    fig.update_layout(template="cxwb", height=460, title=t("chart.hotspots", lang), showlegend=False)
    fig.update_xaxes(title=t("col.responses", lang), rangemode="tozero")
    fig.update_yaxes(title=t("chart.ces_axis", lang), autorange="reversed")
    return fig


def repeat_rates(table: pd.DataFrame, lang: str, *, label: str = "reason",
                 names: dict[str, str] | None = None) -> go.Figure:
    """Repeat rate (another contact about the same reason within the window) and hop rate (that
    contact in another channel) per ``label`` value with 95 % intervals, highest at the top;
    ``table`` is :func:`cxlib.analysis.repeats.repeat_rates`.
    """
    d = table.dropna(subset=["value"]).sort_values("value")
    y = _named(d[label], names)
    fig = go.Figure()
    for value, low, high, key, color in (("value", "low", "high", "col.repeat_rate", CURRENT),
                                         ("hop_rate", "hop_rate_low", "hop_rate_high", "col.hop_rate", DESIRED)):
        fig.add_trace(go.Bar(x=d[value], y=y, orientation="h", name=t(key, lang), marker_color=color,
                             error_x=dict(type="data", symmetric=False, array=d[high] - d[value],
                                          arrayminus=d[value] - d[low], color=NEUTRAL, thickness=1.5, width=3),
                             hovertemplate="%{y}: %{x:.1%}<extra>" + plotly_text(t(key, lang)) + "</extra>"))
    fig.update_layout(template="cxwb", barmode="group", height=max(280, 44 * len(d) + 130),
                      title=t("chart.repeats", lang))
    fig.update_xaxes(tickformat=".0%")
    return fig


def hop_sankey(table: pd.DataFrame, lang: str, names: dict[str, str] | None = None) -> go.Figure:
    """Where repeat contacts go: first contact's channel (left) → the repeat's channel (right);
    ``table`` is :func:`cxlib.analysis.repeats.hop_flows` (``from_channel``, ``to_channel``,
    ``repeats``, ``hop``). Hops are coloured, repeats in the same channel grey.
    """
    channels = sorted(set(table["from_channel"]) | set(table["to_channel"]))
    labels = list(_named(pd.Series(channels, dtype=object), names))
    index = {c: i for i, c in enumerate(channels)}
    fig = go.Figure(go.Sankey(
        node=dict(label=labels + labels, color=[PALETTE[i % len(PALETTE)] for i in range(len(channels))] * 2,
                  pad=18, thickness=16),
        link=dict(source=[index[c] for c in table["from_channel"]],
                  target=[len(channels) + index[c] for c in table["to_channel"]], value=table["repeats"],
                  color=["rgba(188,75,81,0.45)" if h else "rgba(154,165,177,0.35)" for h in table["hop"]],
                  hovertemplate="%{source.label} → %{target.label}: %{value}<extra></extra>")))
    fig.update_layout(template="cxwb", height=420, title=t("chart.hops", lang))
    return fig


def dropout_contacts(table: pd.DataFrame, lang: str, *, journey: str) -> go.Figure:
    """Share of the sessions of ``journey`` that dropped before each step and whose customer
    contacted within the window, per device, with 95 % intervals; ``table`` is
    :func:`cxlib.analysis.funnel.dropout_contact_rates`.
    """
    d = table[(table["journey"] == journey) & table["device"].notna()].sort_values("step")
    fig = go.Figure()
    for i, (device, g) in enumerate(d.groupby("device", sort=True)):
        name = _device_names(pd.Series([device]), lang)[0]
        fig.add_trace(go.Bar(
            x=_named(g["step_name"]), y=g["value"], name=name, marker_color=PALETTE[i % len(PALETTE)],
            error_y=dict(type="data", symmetric=False, array=g["high"] - g["value"], arrayminus=g["value"] - g["low"],
                         color=NEUTRAL, thickness=1.5, width=3),
            customdata=g[["contacted", "dropped"]].to_numpy(),
            hovertemplate="%{x}: %{y:.1%} (%{customdata[0]} / %{customdata[1]})<extra>" + name + "</extra>"))
    fig.update_layout(template="cxwb", height=360, barmode="group",
                      title=t("chart.dropout", lang, journey=plotly_text(journey)))
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", title=t("col.contact_rate", lang))
    fig.update_xaxes(type="category", title=t("col.step_not_reached", lang))
    return fig


DEMAND_COLORS = {"failure": BAD, "value": GOOD, "unclear": NEUTRAL}
"""Colour of each demand class (:data:`cxlib.analysis.demand.CLASSES`)."""


def reason_pareto(table: pd.DataFrame, lang: str) -> go.Figure:
    """Contacts a year per reason, most first, split into failure, value and unclear contacts, with the
    cumulative share of all contacts on the right axis; ``table`` is :func:`cxlib.analysis.demand.pareto`.
    """
    d = table.reset_index(drop=True)
    value = d["contacts"] - d["failure"] - d["unclear"]
    scale = d["contacts_per_year"] / d["contacts"].where(d["contacts"] > 0)
    x = _named(d["reason"])
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for demand, counts in (("failure", d["failure"]), ("value", value), ("unclear", d["unclear"])):
        name = plotly_text(t(family_key("demand", demand), lang))
        fig.add_trace(go.Bar(x=x, y=counts * scale, name=name, marker_color=DEMAND_COLORS[demand],
                             hovertemplate="%{x}: %{y:,.0f}<extra>" + name + "</extra>"), secondary_y=False)
    cumulative = plotly_text(t("chart.cumulative", lang))
    fig.add_trace(go.Scatter(x=x, y=d["cumulative_share"], name=cumulative, mode="lines+markers",
                             line=dict(color=CURRENT), hovertemplate="%{x}: %{y:.0%}<extra>" + cumulative + "</extra>"),
                  secondary_y=True)
    fig.update_layout(template="cxwb", barmode="stack", height=460, title=t("chart.pareto", lang))
    fig.update_yaxes(title=t("col.contacts_per_year", lang), secondary_y=False)
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02], showgrid=False, secondary_y=True)
    fig.update_xaxes(type="category", tickangle=-35)
    return fig


def failure_share(table: pd.DataFrame, lang: str, *, by: str, names: dict[str, str] | None = None,
                  typical: tuple[float, float] | None = None) -> go.Figure:
    """The failure share per ``by`` value with 95 % intervals, the unclear share stacked above it, and the
    ``typical`` range (shares 0–1) as a band; ``table`` is :func:`cxlib.analysis.demand.failure_share`.
    """
    d = table.reset_index(drop=True)
    x = _named(d[by], names)
    failure, unclear = (plotly_text(t(family_key("demand", k), lang)) for k in ("failure", "unclear"))
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=d["value"], name=failure, marker_color=BAD,
                         error_y=dict(type="data", symmetric=False, array=d["high"] - d["value"],
                                      arrayminus=d["value"] - d["low"], color="#222", thickness=1.5, width=3),
                         customdata=d[["low", "high", "contacts"]].to_numpy(),
                         hovertemplate="%{x}: %{y:.1%} (%{customdata[0]:.1%} – %{customdata[1]:.1%}), "
                                       "n=%{customdata[2]:,.0f}<extra>" + failure + "</extra>"))
    fig.add_trace(go.Bar(x=x, y=d["unclear_share"], name=unclear, marker_color=NEUTRAL,
                         hovertemplate="%{x}: %{y:.1%}<extra>" + unclear + "</extra>"))
    if typical is not None:
        fig.add_hrect(y0=typical[0], y1=typical[1], fillcolor=DESIRED, opacity=0.15, line_width=0,
                      annotation_text=plotly_text(t("chart.typical", lang)), annotation_position="top left")
    fig.update_layout(template="cxwb", barmode="stack", height=380,
                      title=t("chart.failure_share", lang, by=t(family_key("dim", by), lang).lower()))
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    fig.update_xaxes(type="category")
    return fig


def tied_up(table: pd.DataFrame, lang: str, *, by: str, names: dict[str, str] | None = None) -> go.Figure:
    """FTE tied up per ``by`` value (a root cause or a department) with 95 % intervals, most at the top;
    ``table`` is :func:`cxlib.analysis.demand.tied_up` with the group column named ``by``.
    """
    d = table.sort_values("fte")
    y = _named(d[by], names)
    fig = go.Figure(go.Bar(
        x=d["fte"], y=y, orientation="h", marker_color=BAD,
        error_x=dict(type="data", symmetric=False, array=d["fte_high"] - d["fte"], arrayminus=d["fte"] - d["fte_low"],
                     color="#222", thickness=1.5, width=3),
        customdata=d[["fte_low", "fte_high", "contacts_per_year"]].to_numpy(),
        hovertemplate="%{y}: %{x:.2f} (%{customdata[0]:.2f} – %{customdata[1]:.2f}), "
                      "%{customdata[2]:,.0f}<extra></extra>"))
    label = (t("col.root_cause", lang) if by == "root_cause" else t("col.owner_department", lang)).lower()
    fig.update_layout(template="cxwb", height=max(280, 40 * len(d) + 130), showlegend=False,
                      title=t("chart.tied_up", lang, by=label))
    fig.update_xaxes(title=t("col.fte_tied_up", lang), rangemode="tozero")
    return fig


def elimination_waterfall(table: pd.DataFrame, lang: str) -> go.Figure:
    """FTE required now, the change as each root cause is removed on top of those before, and what
    remains; ``table`` is :func:`cxlib.analysis.demand.cumulative_saving`.
    """
    steps = table.iloc[1:]
    fig = go.Figure(go.Waterfall(
        x=[t("col.fte_before", lang), *_named(steps["step"]).map(lambda s: s if len(s) <= 40 else s[:39] + "…"),
           t("col.fte_after", lang)],
        measure=["absolute", *["relative"] * len(steps), "total"],
        y=[table["fte"].iloc[0], *steps["change"], 0],
        decreasing=dict(marker_color=GOOD), increasing=dict(marker_color=BAD), totals=dict(marker_color=CURRENT),
        connector=dict(line=dict(color=NEUTRAL)), hovertemplate="%{x}: %{y:.2f}<extra></extra>"))
    fig.update_layout(template="cxwb", height=420, showlegend=False, title=t("chart.waterfall", lang))
    fig.update_yaxes(title=t("col.fte", lang))
    fig.update_xaxes(tickangle=-25)
    return fig


MATRIX_COLORS = {"quick_win": GOOD, "major_project": CURRENT, "fill_in": DESIRED, "thankless": BAD}
"""Colour of each quadrant of the effort/effect matrix."""


def _short(names: pd.Series, width: int = 32) -> pd.Series:
    """Names cut to ``width`` characters (with an ellipsis) for point labels, made safe by :func:`plotly_text`."""
    text = names.astype(str)
    return text.where(text.str.len() <= width, text.str.slice(0, width - 1) + "…").map(plotly_text)


def effort_effect(table: pd.DataFrame, lang: str, *, thresholds: tuple[float, float]) -> go.Figure:
    """The effort/effect matrix: effort score (1–5) against the effect score (0–1), the participants'
    lowest and highest effort and the effect score's interval as whiskers, the ``thresholds``
    (effort, effect) as lines and the quadrants named in the corners; ``table`` is
    :attr:`cxlib.steps.prioritisation.Prioritisation.matrix`.
    """
    d = table.reset_index(drop=True)
    fig = go.Figure()
    for quadrant in MATRIX_COLORS:
        at = d[d["quadrant"] == quadrant]
        name = plotly_text(t(family_key("matrix", quadrant), lang))
        fig.add_trace(go.Scatter(
            x=at["effort"], y=at["effect_score"], mode="markers+text", name=name, text=_short(at["name"]),
            textposition="top center", textfont=dict(size=10), marker=dict(size=12, color=MATRIX_COLORS[quadrant]),
            error_x=dict(type="data", symmetric=False, array=(at["effort_max"] - at["effort"]).fillna(0),
                         arrayminus=(at["effort"] - at["effort_min"]).fillna(0), color=NEUTRAL, thickness=1.2, width=0),
            error_y=dict(type="data", symmetric=False, array=at["effect_high"] - at["effect_score"],
                         arrayminus=at["effect_score"] - at["effect_low"], color=NEUTRAL, thickness=1.2, width=0),
            customdata=np.column_stack([at["name"].map(plotly_text), at["effect_low"], at["effect_high"]]),
            hovertemplate="%{customdata[0]}: " + plotly_text(t("col.effort_score", lang)) + " %{x:.1f}, "
                          + plotly_text(t("col.effect_score", lang)) + " %{y:.2f} (%{customdata[1]:.2f} – "
                          "%{customdata[2]:.2f})<extra>" + name + "</extra>"))
    effort_cut, effect_cut = thresholds
    fig.add_vline(x=effort_cut, line=dict(color=NEUTRAL, dash="dash", width=1),
                  annotation_text=plotly_text(t("chart.threshold", lang, value=f"{effort_cut:.1f}")))
    fig.add_hline(y=effect_cut, line=dict(color=NEUTRAL, dash="dash", width=1),
                  annotation_text=plotly_text(t("chart.threshold", lang, value=f"{effect_cut:.2f}")))
    for quadrant, x, y in (("quick_win", 0.02, 0.98), ("major_project", 0.98, 0.98), ("fill_in", 0.02, 0.02),
                           ("thankless", 0.98, 0.02)):
        fig.add_annotation(xref="paper", yref="paper", x=x, y=y, showarrow=False,
                           xanchor="left" if x < 0.5 else "right",
                           text=plotly_text(t(family_key("matrix", quadrant), lang)),
                           font=dict(color=MATRIX_COLORS[quadrant], size=13))
    fig.update_layout(template="cxwb", height=560, title=t("chart.matrix", lang))
    fig.update_xaxes(title=t("col.effort_score", lang), range=[0.5, 5.5], dtick=1)
    fig.update_yaxes(title=t("col.effect_score", lang), range=[-0.05, 1.05])
    return fig


def rank_ranges(table: pd.DataFrame, lang: str, *, top: int = 20) -> go.Figure:
    """The first ``top`` initiatives of a ranking, each with its rank and the 5–95 % range of its rank
    under sampled weights and effects; ``table`` is :attr:`cxlib.steps.prioritisation.Prioritisation.ranking`.
    """
    d = table.dropna(subset=["rank"]).head(top).iloc[::-1]
    labels = _short(d["name"], 48)
    fig = go.Figure(go.Scatter(
        x=d["rank"], y=labels, mode="markers", marker=dict(size=11, color=CURRENT),
        error_x=dict(type="data", symmetric=False, array=(d["rank_high"] - d["rank"]).fillna(0),
                     arrayminus=(d["rank"] - d["rank_low"]).fillna(0), color=NEUTRAL, thickness=2, width=4),
        customdata=np.column_stack([d["rank_low"], d["rank_high"], d["p_top"]]),
        hovertemplate="%{y}: %{x:.0f} (%{customdata[0]:.0f} – %{customdata[1]:.0f})<extra></extra>"))
    fig.update_layout(template="cxwb", height=max(320, 26 * len(d) + 120), title=t("chart.ranking", lang),
                      showlegend=False)
    fig.update_xaxes(title=t("col.rank", lang), autorange="reversed", dtick=1 if len(d) <= 20 else 5)
    return fig


def portfolio_frontier(table: pd.DataFrame, lang: str, currency: str, *, budget: float | None = None,
                       names: dict[str, str] | None = None) -> go.Figure:
    """The summed score of the best set against the budget, a step for each budget solved, with what
    enters and leaves in the hover text and the chosen ``budget`` as a line; ``table`` is
    :func:`cxlib.analysis.portfolio.frontier`.
    """
    d = table.reset_index(drop=True)

    def listing(ids) -> str:
        return ", ".join(plotly_text((names or {}).get(i, i)) for i in ids) or "–"

    enters, leaves = (plotly_text(t(key, lang)) for key in ("col.enters", "col.leaves"))
    hover = [f"+ {listing(e)}<br>− {listing(left)}" for e, left in zip(d["entered"], d["left"])]
    fig = go.Figure(go.Scatter(
        x=d["budget"], y=d["value"], mode="lines+markers", line=dict(shape="hv", color=CURRENT),
        customdata=np.column_stack([d["cost"], hover]),
        hovertemplate="%{x:,.0f} " + currency + ": %{y:.2f}<br>" + enters + "/" + leaves
                      + "<br>%{customdata[1]}<extra></extra>"))
    if budget is not None:
        fig.add_vline(x=budget, line=dict(color=DESIRED, dash="dash", width=2),
                      annotation_text=plotly_text(t("col.budget", lang)))
    fig.update_layout(template="cxwb", height=420, title=t("chart.frontier", lang), showlegend=False)
    fig.update_xaxes(title=f"{t('col.budget', lang)} ({currency})", rangemode="tozero")
    fig.update_yaxes(title=t("chart.frontier_value", lang), rangemode="tozero")
    return fig


def roadmap_gantt(table: pd.DataFrame, lang: str, names: dict[str, str] | None = None) -> go.Figure:
    """The roadmap as a Gantt chart: one bar per initiative from its start to its end month, coloured by
    owner, with the quarters on the axis; ``table`` is :func:`cxlib.analysis.roadmap.schedule` with ``name``.
    """
    d = table.iloc[::-1].reset_index(drop=True)
    owners = d["owner"].fillna("–").astype(str)
    fig = go.Figure()
    for k, owner in enumerate(dict.fromkeys(owners)):
        at = d[owners == owner]
        label = plotly_text((names or {}).get(owner, owner))
        fig.add_trace(go.Bar(
            y=_short(at["name"], 48), x=(at["end_month"] - at["start_month"]).clip(lower=0.3), base=at["start_month"],
            orientation="h", name=label, marker_color=PALETTE[k % len(PALETTE)],
            customdata=np.column_stack([at["start_month"], at["end_month"]]),
            hovertemplate="%{y}: %{customdata[0]:.0f} – %{customdata[1]:.0f}<extra>" + label + "</extra>"))
    last = int(np.ceil(max(d["end_month"].max(), 3) / 3)) if len(d) else 1
    fig.update_layout(template="cxwb", height=max(320, 28 * len(d) + 140), title=t("chart.roadmap", lang),
                      barmode="overlay")
    fig.update_xaxes(title=t("chart.months", lang), tickvals=[3 * q for q in range(last + 1)],
                     ticktext=[t("chart.quarter", lang, n=q + 1) for q in range(last + 1)], range=[0, 3 * last])
    return fig


def kpi_sparklines(board: pd.DataFrame, lang: str, *, columns: int = 3) -> go.Figure:
    """The shared dashboard's KPIs as small multiples: each KPI's monthly line in its own unit, with its target
    dashed; ``board`` is :func:`cxlib.analysis.dashboard.kpi_dashboard`.
    """
    rows = max(1, -(-len(board) // columns))
    fig = make_subplots(rows=rows, cols=columns, vertical_spacing=0.5 / rows, horizontal_spacing=0.08,
                        subplot_titles=[kpi_label(k, lang) for k in board["kpi"]])
    for i, item in enumerate(board.itertuples(index=False)):
        row, col = i // columns + 1, i % columns + 1
        line = pd.DataFrame({"value": item.trend, "low": item.trend, "high": item.trend})
        shown, size, axis = _display_unit(line, item.kpi)
        fig.add_trace(go.Scatter(x=item.trend_months, y=shown["value"], mode="lines", showlegend=False,
                                 line=dict(color=CURRENT, width=2), name=plotly_text(kpi_label(item.kpi, lang)),
                                 hovertemplate="%{x}: %{y:.3~f}<extra></extra>"), row=row, col=col)
        if not pd.isna(item.target):
            fig.add_hline(y=item.target / size, line=dict(color=DESIRED, dash="dash", width=1.5), row=row, col=col)
        fig.update_yaxes(**axis, row=row, col=col)
        fig.update_xaxes(showticklabels=False, row=row, col=col)
    fig.update_layout(template="cxwb", height=max(260, 170 * rows), title=t("chart.kpi_sparklines", lang))
    return fig
