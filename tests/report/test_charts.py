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
