"""The PowerPoint deck: native charts that carry their data, text in the client's language, the client's template."""

import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Inches

from cxlib.errors import ExportError
from cxlib.report.deck import WIDE, write_deck
from cxlib.results import StepResult, records, save


def saved(out_dir, step, workspace, findings=(), **tables):
    save(StepResult(step=step, client="Acme", language="sv", workspace=str(workspace), inputs={"client.yaml": "aa"},
                    findings=list(findings), tables={k: records(v) for k, v in tables.items()}), out_dir)


@pytest.fixture
def folders(tmp_path):
    workspace, out = tmp_path / "client", tmp_path / "report"
    workspace.mkdir()
    saved(out, "01_current_state", workspace,
          by_channel=pd.DataFrame({"channel": ["app", "phone", "app"], "kpi": ["nps", "nps", "csat"],
                                   "value": [16.0, 4.0, 0.7]}),
          monthly=pd.DataFrame({"month": ["2025-01", "2025-02"], "kpi": ["nps", "nps"], "value": [6.7, 6.6]}))
    saved(out, "07_prioritisation", workspace, matrix=pd.DataFrame(
        {"effort": [3.0, 2.0, 4.0], "effect_score": [0.68, 0.13, 0.2],
         "quadrant": ["major_project", "quick_win", "thankless"]}))
    saved(out, "08_roadmap_report", workspace,
          answers=pd.DataFrame({"question": ["now", "route"], "text": ["NPS är +9.", "Två initiativ ryms."]}),
          roadmap=pd.DataFrame({"name": ["Mätarkontroll", "Sms vid avbrott"], "start_month": [0, 3],
                                "end_month": [6.0, 5.0]}),
          raci_matrix=pd.DataFrame({"initiative": ["Mätarkontroll"], "Kundservice": ["I"], "Fakturering": ["A/R"]}))
    manifest = {"language": "sv", "client": "Norrsken Energi AB", "currency": "SEK",
                "period": "2025-01-01 – 2025-12-31", "finished": "2026-12-04T21:00:00+00:00",
                "parameters": {"client_dir": str(workspace)},
                "inputs": {"client.yaml": "aa"}}
    return workspace, out, manifest


def chart_slides(deck):
    return {s.shapes.title.text: next(sh.chart for sh in s.shapes if sh.has_chart)
            for s in deck.slides if any(sh.has_chart for sh in s.shapes)}


def test_the_deck_has_native_charts_and_swedish_text(folders):
    _, out, manifest = folders
    deck = Presentation(str(write_deck(out, manifest)))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles == ["Kundupplevelsestrategi: Norrsken Energi AB", "Var står vi i dag?", "Vart vill vi nå?",
                      "Hur tar vi oss dit?", "Nuläge", "NPS per kanal", "NPS per månad", "Prioritering",
                      "Insats och effekt", "Färdplan per kvartal", "RACI"]
    assert (deck.slide_width, deck.slide_height) == WIDE
    texts = [sh.text_frame.text for sh in deck.slides[1].shapes if sh.has_text_frame]
    assert "NPS är +9." in texts
    assert any("Inget svar ännu" in sh.text_frame.text for sh in deck.slides[2].shapes if sh.has_text_frame)
    charts = chart_slides(deck)
    assert len(charts) == 4
    by_channel = charts["NPS per kanal"].plots[0]
    assert list(by_channel.categories) == ["phone", "app"] and by_channel.series[0].values == (4.0, 16.0)
    assert charts["NPS per månad"].plots[0].series[0].values == (6.7, 6.6)
    scatter = charts["Insats och effekt"]
    assert [s.name for s in scatter.plots[0].series] == ["Stora projekt", "Snabba vinster", "Otacksamma uppgifter"]
    assert [tuple(s.values) for s in scatter.plots[0].series] == [(0.68,), (0.13,), (0.2,)]
    gantt = charts["Färdplan per kvartal"].plots[0]  # last initiative first: a bar chart draws bottom-up
    assert list(gantt.categories) == ["Sms vid avbrott", "Mätarkontroll"]
    assert [tuple(s.values) for s in gantt.series] == [(3.0, 0.0), (2.0, 6.0)]  # start, then duration in months
    table = next(sh.table for sh in deck.slides[-1].shapes if sh.has_table)
    assert [table.cell(0, j).text for j in range(3)] == ["Initiativ", "Kundservice", "Fakturering"]
    assert [table.cell(1, j).text for j in range(3)] == ["Mätarkontroll", "I", "A/R"]


def test_a_template_in_the_workspace_gives_the_deck_its_layouts(folders):
    workspace, out, manifest = folders
    template = Presentation()
    template.slide_width, template.slide_height = Inches(11), Inches(8.5)
    template.save(str(workspace / "template.pptx"))
    deck = Presentation(str(write_deck(out, manifest)))
    assert (deck.slide_width, deck.slide_height) == (Inches(11), Inches(8.5))
    (workspace / "template.pptx").write_text("not a deck")
    with pytest.raises(ExportError, match="template.pptx cannot be used as the deck's template"):
        write_deck(out, manifest, out / "again.pptx")
    assert not (out / "again.pptx").exists()
