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


HOSTILE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


def _by_device(journey: str, step: str) -> pd.DataFrame:
    """Two devices through a two-step journey whose second step is named ``step``."""
    return pd.DataFrame({
        "device": ["desktop", "desktop", "mobile", "mobile"], "journey": journey, "step": [1, 2, 1, 2],
        "step_name": ["start", step] * 2, "sessions": [100.0, 60.0, 100.0, 20.0],
        "conversion": [1.0, 0.6, 1.0, 0.2], "from_first": [1.0, 0.6, 1.0, 0.2],
        "from_first_low": [1.0, 0.5, 1.0, 0.13], "from_first_high": [1.0, 0.7, 1.0, 0.29]})


def test_funnel_by_device_draws_one_bar_per_device_with_escaped_names():
    fig = charts.funnel_by_device(_by_device(HOSTILE, HOSTILE), "en", journey=HOSTILE)
    assert [tr.name for tr in fig.data] == ["Desktop", "Mobile"]
    assert list(fig.data[1].y) == [1.0, 0.2]
    assert list(fig.data[1].error_y.array) == pytest.approx([0.0, 0.09])
    assert list(fig.data[1].error_y.arrayminus) == pytest.approx([0.0, 0.07])
    assert list(fig.data[0].x) == ["start", ESCAPED]
    assert HOSTILE not in fig.layout.title.text and ESCAPED in fig.layout.title.text


def test_device_gap_highlights_holm_significant_steps():
    gaps = pd.DataFrame({"journey": ["buy", "buy"], "device": "mobile", "step": [2, 3],
                         "step_name": [HOSTILE, "pay"], "gap": [-0.4, -0.02], "gap_low": [-0.5, -0.06],
                         "gap_high": [-0.3, 0.02], "p_adjusted": [0.001, 0.4]})
    fig = charts.device_gap(gaps, "en")
    trace = fig.data[0]
    labels = dict(zip(trace.y, trace.x))
    assert labels == {f"buy: {ESCAPED}": -0.4, "buy: pay": -0.02}
    colors = dict(zip(trace.y, trace.marker.color))
    assert colors[f"buy: {ESCAPED}"] != colors["buy: pay"]  # only the significant step is drawn strong


def test_hotspot_matrix_reverses_ces_and_marks_small_samples_hollow():
    table = pd.DataFrame({"touchpoint": [HOSTILE, "invoice", "app"], "responses": [60.0, 40.0, 10.0],
                          "ces": [2.0, 6.0, 4.0], "ces_low": [1.8, 5.7, 3.0], "ces_high": [2.2, 6.3, 5.0],
                          "ces_n": [60, 40, 10], "quadrant": ["fix_first", "low", None],
                          "small": [False, False, True], "ces_cut": 4.0, "volume_cut": 50.0})
    fig = charts.hotspot_matrix(table, "en")
    trace = fig.data[0]
    assert list(trace.text) == [ESCAPED, "invoice", "app"]
    assert list(trace.marker.symbol) == ["circle", "circle", "circle-open"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert [(s.type, s.y0 if s.type == "line" and s.y0 == s.y1 else s.x0) for s in fig.layout.shapes] == [
        ("line", 4.0), ("line", 50.0)]
    assert [row[3] for row in trace.customdata] == ["Fix first", "Low priority", "Too few answers"]


def test_repeat_rates_put_the_highest_at_the_top_and_escape_names():
    table = pd.DataFrame({"channel": ["phone", "chat"], "value": [0.1, 0.3], "low": [0.05, 0.2],
                          "high": [0.15, 0.4], "hop_rate": [0.05, 0.2], "hop_rate_low": [0.02, 0.1],
                          "hop_rate_high": [0.08, 0.3]})
    fig = charts.repeat_rates(table, "en", label="channel", names={"chat": HOSTILE})
    assert list(fig.data[0].y) == ["phone", ESCAPED]  # plotly draws bottom-up: chat (0.3) on top
    assert list(fig.data[0].x) == [0.1, 0.3] and list(fig.data[1].x) == [0.05, 0.2]


def test_hop_sankey_links_first_channel_to_repeat_channel():
    flows = pd.DataFrame({"from_channel": ["email", "email", "phone"], "to_channel": ["phone", "email", "chat"],
                          "repeats": [7, 3, 2], "hop": [True, False, True]})
    fig = charts.hop_sankey(flows, "en", names={"email": HOSTILE})
    sankey = fig.data[0]
    labels = list(sankey.node.label)
    assert labels == ["chat", ESCAPED, "phone"] * 2  # each channel once on the left, once on the right
    assert list(sankey.link.source) == [1, 1, 2] and list(sankey.link.target) == [5, 4, 3]
    assert list(sankey.link.value) == [7, 3, 2]
    assert sankey.link.color[0] == sankey.link.color[2] != sankey.link.color[1]  # hops coloured alike


def test_dropout_contacts_show_the_contact_share_per_step_and_device():
    rates = pd.DataFrame({"journey": HOSTILE, "step": [2, 2], "step_name": ["pay", "pay"],
                          "device": ["desktop", "mobile"], "dropped": [40, 60], "contacted": [2, 15],
                          "value": [0.05, 0.25], "low": [0.01, 0.16], "high": [0.17, 0.37]})
    fig = charts.dropout_contacts(rates, "en", journey=HOSTILE)
    assert [list(tr.y) for tr in fig.data] == [[0.05], [0.25]]
    assert [tr.customdata[0].tolist() for tr in fig.data] == [[2, 40], [15, 60]]
    assert ESCAPED in fig.layout.title.text and HOSTILE not in fig.layout.title.text


def test_mobile_trend_draws_share_and_gap_per_journey():
    trend = pd.DataFrame({"journey": [HOSTILE] * 2, "month": ["2025-01", "2025-02"], "sessions": [100, 120],
                          "mobile_share": [0.5, 0.6], "mobile_share_low": [0.4, 0.5],
                          "mobile_share_high": [0.6, 0.7], "gap": [-0.2, -0.1], "gap_low": [-0.3, -0.2],
                          "gap_high": [-0.1, 0.0]})
    fig = charts.mobile_trend(trend, "en")
    lines = [tr for tr in fig.data if tr.mode == "lines+markers"]
    assert [list(tr.y) for tr in lines] == [[0.5, 0.6], [-0.2, -0.1]]
    assert {tr.name for tr in lines} == {ESCAPED}


def test_kpi_sparklines_draw_each_kpi_in_its_unit_with_its_target():
    board = pd.DataFrame({"kpi": ["nps", "first_response_time_s"], "target": [30.0, None],
                          "trend_months": [["2025-01", "2025-02"]] * 2, "trend": [[10.0, 14.0], [7200.0, 10800.0]]})
    fig = charts.kpi_sparklines(board, "en", columns=2)
    assert [list(tr.y) for tr in fig.data] == [[10.0, 14.0], [2.0, 3.0]]  # seconds shown in hours
    assert [s.y0 for s in fig.layout.shapes] == [30.0]  # only NPS has a target
    assert fig.layout.yaxis2.ticksuffix == " h"
