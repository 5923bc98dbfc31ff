"""Readable tables and escaped text for notebooks and reports."""

import pandas as pd

from cxlib.report.display import (candidate_text, findings_html, format_dashboard, format_gaps, format_kpis, sparkline,
                                  table_html)
from cxlib.results import Candidate, Effect, Finding


def test_format_kpis_units_and_intervals():
    table = pd.DataFrame({"channel": ["phone", "phone", "phone"], "kpi": ["nps", "csat", "clv"],
                          "value": [12.4, 0.843, float("nan")], "low": [5.0, 0.8, None], "high": [20.0, 0.88, None],
                          "n": [1234, 1000, 0]})
    out = format_kpis(table, "en", dims=["channel"])
    assert out.to_dict("records") == [
        {"Channel": "phone", "KPI": "NPS", "Value": "+12", "95% interval": "+5 – +20", "Count": "1,234"},
        {"Channel": "phone", "KPI": "Satisfaction (CSAT)", "Value": "84%", "95% interval": "80% – 88%",
         "Count": "1,000"},
    ]


def test_format_gaps_status_words():
    gaps = pd.DataFrame({"rank": [1], "label": ["NPS"], "unit": ["points"], "current": [8.0], "low": [6.0],
                         "high": [10.0], "target": [20.0], "gap": [12.0], "gap_share": [0.06], "status": ["open"]})
    row = format_gaps(gaps, "sv").iloc[0].to_dict()
    assert row["Gap"] == "+12" and row["Status"] == "Gap kvar" and row["Mål"] == "+20"
    shares = gaps.assign(unit="share", current=0.66, target=0.8, gap=0.14)
    assert format_gaps(shares, "en").iloc[0]["Gap"] == "14\u00a0pp"


def test_sparkline_scales_between_the_lowest_and_highest_month():
    assert sparkline([1.0, 2.0, 3.0, float("nan"), 8.0]) == "▁▂▃ █"  # (v − 1) / 7 of the way up 8 bars
    assert sparkline([5.0, 5.0]) == "▅▅" and sparkline([float("nan")]) == ""


def test_format_dashboard_shows_each_kpi_in_its_unit_with_owner_and_trend():
    board = pd.DataFrame({"kpi": ["csat", "nps"], "value": [0.66, 8.0], "low": [0.64, 6.0], "high": [0.68, 10.0],
                          "n": [500, 400], "target": [0.8, None], "gap": [0.14, None], "status": ["open", None],
                          "owner": ["cs", None], "trend_months": [["a", "b"]] * 2, "trend": [[0.6, 0.7], [8.0, 8.0]]})
    rows = format_dashboard(board, "en", names={"cs": "Customer service"}).to_dict("records")
    assert rows[0] == {"KPI": "Satisfaction (CSAT)", "Current": "66%", "95% interval": "64% – 68%", "Target": "80%",
                       "Gap": "14\u00a0pp", "Status": "Gap remains", "Owner": "Customer service",
                       "Monthly trend": "▁█"}
    assert [rows[1][k] for k in ("Target", "Gap", "Status", "Owner", "Monthly trend")] == ["–", "–", "–", "–", "▅▅"]


def test_customer_text_is_escaped():
    hostile = "<script>alert(1)</script>"
    assert hostile not in table_html(pd.DataFrame({"comment": [hostile]}))
    html = findings_html([Finding(id="x", text=hostile)], "en")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<h3>Findings</h3>" in html


def test_a_candidates_sentence_is_rendered_from_its_numbers():
    fix = Candidate(id="03-theme-billing", name="Fix billing", area="insight", source_step="03_insight",
                    mechanism="nps", owner="fakturering",
                    effects={"nps_points": Effect(value=3.2, low=1.5, high=4.9)})
    assert candidate_text(fix, "en", "SEK") == (
        "Fix billing (fakturering) – moves NPS: +3 NPS points (95% interval +2 to +5).")
    call = Candidate(id="03-close-the-loop", name="Call back", area="insight", source_step="03_insight",
                     mechanism="nps", reach_per_year=1234.4)
    assert candidate_text(call, "sv", "SEK") == (
        "Call back – påverkar NPS: effekten går inte att skatta ur data; når 1\u00a0234 kunder per år.")
