"""Figures carry the computed numbers, in readable units, with escaped labels."""

import html

from hypothesis import given, settings, strategies as st

import pandas as pd
import pytest

from cxlib.report import charts

TABLE = pd.DataFrame({
    "channel": ["phone", "chat", "email"],
    "kpi": ["first_response_time_s"] * 3,
    "value": [45.0, 90.0, 7200.0], "low": [40.0, 80.0, 6000.0], "high": [50.0, 100.0, 9000.0], "n": [10, 20, 30],
})


def test_kpi_by_orders_best_first_and_scales_seconds():
    fig = charts.kpi_by(TABLE, "first_response_time_s", "channel", "en", overall=120.0, target=60.0,
                        names={"phone": "Telephone"})
    trace = fig.data[0]
    # lower is better: best (shortest) at the top, i.e. last in plotly's bottom-up order; 7200 s → 2 h
    assert list(trace.y) == ["email", "chat", "Telephone"]
    assert list(trace.x) == pytest.approx([2.0, 90 / 3600, 45 / 3600])
    assert list(trace.error_x.array) == pytest.approx([0.5, 10 / 3600, 5 / 3600])
    assert fig.layout.xaxis.ticksuffix == " h"
    assert [s.x0 for s in fig.layout.shapes] == pytest.approx([120 / 3600, 60 / 3600])
    assert fig.layout.title.text == "First response time (median) by channel"


def test_short_times_stay_in_seconds_and_shares_in_percent():
    fig = charts.kpi_by(TABLE.iloc[:1], "first_response_time_s", "channel", "sv")
    assert fig.data[0].x[0] == 45.0 and fig.layout.xaxis.ticksuffix == " s"
    share = TABLE.assign(kpi="csat", value=[0.5, 0.6, 0.7], low=[0.4, 0.5, 0.6], high=[0.6, 0.7, 0.8])
    assert charts.kpi_by(share, "csat", "channel", "sv").layout.xaxis.tickformat == ".0%"


def test_labels_from_data_are_escaped():
    hostile = TABLE.assign(channel=["<img src=x onerror=alert(1)>", "b", "c"])
    fig = charts.kpi_by(hostile, "first_response_time_s", "channel", "sv")
    assert "&lt;img src=x onerror=alert(1)&gt;" in fig.data[0].y


@given(st.text(max_size=40))
@settings(derandomize=True, deadline=None, max_examples=200)
def test_plotly_labels_carry_no_markup_and_keep_quotes(text):
    label = charts.plotly_text(text)
    assert "<" not in label and ">" not in label
    assert html.unescape(label) == text  # plotly decodes &amp; &lt; &gt;: the reader sees the text as written
    assert label.count('"') == text.count('"') and "&quot;" not in label.replace("&amp;quot;", "")


def test_quotes_in_names_are_shown_as_quotes():
    fig = charts.kpi_by(TABLE.assign(channel=['Kundtjänst "Plus"', "b", "c"]), "first_response_time_s", "channel",
                        "sv")
    assert 'Kundtjänst "Plus"' in fig.data[0].y


def test_gaps_draw_met_targets_at_zero_but_keep_the_margin():
    table = pd.DataFrame({"label": ["NPS", "FCR"], "gap_share": [0.1, -0.3], "status": ["open", "met"]})
    fig = charts.gaps(table, "en")
    assert list(fig.data[0].x) == [0.0, 0.1] and list(fig.data[0].customdata) == [-0.3, 0.1]
    assert list(fig.data[0].text) == ["Target met", "Gap remains"]


def test_trend_band_and_journey_order():
    monthly = pd.DataFrame({"month": ["2025-02", "2025-01"], "kpi": ["nps", "nps"], "value": [10.0, 5.0],
                            "low": [0.0, -5.0], "high": [20.0, 15.0], "n": [100, 90]})
    fig = charts.trend(monthly, "nps", "en", target=20)
    band, line = fig.data
    assert list(line.x) == ["2025-01", "2025-02"] and list(band.y) == [15.0, 20.0, 0.0, -5.0]
    journey = pd.DataFrame({"stage": ["Buy", "Pay"], "touchpoint": ["web", "invoice"], "value": [30.0, -20.0],
                            "low": [20.0, -30.0], "high": [40.0, -10.0], "n": [50, 200]})
    fig = charts.journey_map(journey, "nps", "en")
    assert list(fig.data[0].x) == ["Buy · web", "Pay · invoice"]
    assert list(fig.data[0].marker.color) == [charts.GOOD, charts.BAD]


def test_week_heatmap_puts_weekdays_on_rows_and_outlines_opening_hours():
    table = pd.DataFrame({"weekday": [0, 0, 2, 6], "interval_start": ["08:00", "08:30", "08:00", "23:30"],
                          "per_day": [1.5, 2.0, 0.5, 3.0], "open": [True, True, False, False]})
    fig = charts.week_heatmap(table, "per_day", "en", title="Demand", open_column="open")
    z = fig.data[0].z
    assert list(fig.data[0].x) == ["08:00", "08:30", "23:30"]
    assert list(fig.data[0].y)[:3] == ["Monday", "Tuesday", "Wednesday"]
    assert (z[0][0], z[0][1], z[2][0], z[6][2]) == (1.5, 2.0, 0.5, 3.0)
    assert pd.isna(z[1][0])  # no row for Tuesday 08:00: blank, not 0
    # one box: Monday, columns 0–1
    assert [(s.x0, s.x1, s.y0, s.y1) for s in fig.layout.shapes] == [(-0.5, 1.5, -0.5, 0.5)]
    share = charts.week_heatmap(table.assign(sl=[0.9, 0.5, 0.7, 1.0]), "sl", "sv", title="SL", share=True, target=0.8)
    assert (share.data[0].zmin, share.data[0].zmid, share.data[0].zmax) == (0, 0.8, 1)
    assert list(share.data[0].y)[0] == "måndag"
    # a NaN value is blank, not 0; the title is text
    blank = charts.week_heatmap(table.assign(per_day=[float("nan"), 2.0, 0.5, 3.0]), "per_day", "en", title="<b>x</b>")
    assert pd.isna(blank.data[0].z[0][0]) and blank.layout.title.text == "&lt;b&gt;x&lt;/b&gt;"


def test_agents_by_interval_and_backlog_carry_the_numbers():
    table = pd.DataFrame({"weekday": [1, 0], "slot": [16, 16], "interval_start": ["08:00", "08:00"],
                          "scheduled": [5.0, 3.0], "actual": [4.0, 3.0]})
    fig = charts.agents_by_interval(table, "en")
    assert [tr.name for tr in fig.data] == ["Scheduled", "Required"]
    assert list(fig.data[0].x) == ["Mon 08:00", "Tue 08:00"]  # in week order
    assert list(fig.data[0].y) == [3.0, 4.0] and list(fig.data[1].y) == [3.0, 5.0]
    days = pd.to_datetime(["2025-01-07", "2025-01-06"]).date
    backlog = pd.DataFrame({"channel": ["email", "email"], "date": days, "awaiting_response": [4, 2],
                            "open": [6, 3]})
    fig = charts.backlog(backlog, "en", names={"email": "<b>E-mail</b>"})
    # open (solid) and awaiting a response (dotted), by date
    assert [list(tr.y) for tr in fig.data] == [[3, 6], [2, 4]]
    assert [tr.line.dash for tr in fig.data] == ["solid", "dot"]
    escaped = "&lt;b&gt;E-mail&lt;/b&gt;"
    assert [tr.name for tr in fig.data] == [f"{escaped}: open", f"{escaped}: awaiting a response"]
    assert fig.layout.title.text == "Open contacts at the end of each day"
    titled = charts.agents_by_interval(table, "en", channel="<i>Phone</i>")
    assert titled.layout.title.text == "Scheduled and required agents per interval, &lt;i&gt;Phone&lt;/i&gt;"


def test_channel_value_leaves_out_channels_without_nps_or_volume():
    table = pd.DataFrame({"channel": ["phone", "chat", "web"], "cost_per_contact": [60.0, 30.0, 2.0],
                          "volume": [300.0, 0.0, 500.0], "nps": [-10.0, 20.0, float("nan")],
                          "nps_low": [-20.0, 10.0, float("nan")], "nps_high": [0.0, 30.0, float("nan")]})
    trace = charts.channel_value(table, "en", "SEK").data[0]
    assert list(trace.text) == ["phone"] and list(trace.x) == [60.0] and list(trace.y) == [-10.0]
    assert list(trace.error_y.array) == [10.0] and list(trace.error_y.arrayminus) == [10.0]


def test_scenario_waterfall_steps_from_before_to_after():
    row = pd.Series({"name": "Move <i>invoices</i>", "from_channel": "phone", "to_channel": "web",
                     "fte_from_before": 10.0, "fte_from_after": 8.5, "fte_to_before": 1.0, "fte_to_after": 1.2})
    fig = charts.scenario_waterfall(row, "en")
    trace = fig.data[0]
    # 11 FTE before, −1.5 on phone, +0.2 on web; the total bar is computed by plotly (y given as 0)
    assert list(trace.y) == [11.0, -1.5, pytest.approx(0.2), 0]
    assert list(trace.measure) == ["absolute", "relative", "relative", "total"]
    assert "<i>" not in fig.layout.title.text and "&lt;i&gt;invoices&lt;/i&gt;" in fig.layout.title.text
