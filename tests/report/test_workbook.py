"""The Excel workbook of the report: a sheet per saved table, numbers as numbers, hostile text as text."""

import datetime as dt
import re
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from cxlib.errors import ExportError
from cxlib.results import StepResult, records, save
from cxlib.report.workbook import write_workbook

WORKSPACE, INPUTS = "/clients/x", {"client.yaml": "aa"}
MANIFEST = {"language": "sv", "client": "Acme", "currency": "NOK", "parameters": {"client_dir": WORKSPACE},
            "inputs": INPUTS}
HOSTILE = '=HYPERLINK("http://evil.example/x","klicka")'


def saved(out_dir, step, **tables):
    save(StepResult(step=step, client="Acme", language="sv", workspace=WORKSPACE, inputs=INPUTS,
                    tables={k: records(v) for k, v in tables.items()}), out_dir)


def test_sheets_hold_numbers_in_their_units_and_formulas_as_text(tmp_path):
    saved(tmp_path, "01_current_state", overall=pd.DataFrame(
        {"kpi": ["nps", "csat"], "value": [8.76, 0.66], "low": [6.64, 0.65], "high": [10.87, 0.68], "n": [6085, 5253]}))
    callbacks = pd.DataFrame({"priority": ["high"], "response_id": ["R1"], "customer_id": ["K1"],
                              "date": [pd.Timestamp("2025-12-31")], "channel": ["phone"], "touchpoint": ["faktura"],
                              "nps": [0], "themes": ["Faktura"], "owner": ["fakturering"], "comment": [HOSTILE],
                              "annual_revenue": [18999.27], "churned": [False]})
    saved(tmp_path, "03_insight", callbacks=callbacks)
    saved(tmp_path, "07_prioritisation", portfolio=pd.DataFrame(
        {"name": ["-1+1 Autokontroll"], "owner": ["billing"], "cost": [1_200_000.0], "nps_points": [12.99],
         "value_per_year": [3_773_255.77]}))
    saved(tmp_path, "08_roadmap_report", departments=pd.DataFrame(
        {"department": ["billing"], "name": ["Fakturering"], "kpis": [["nps"]], "initiatives": [None]}))

    path = write_workbook(tmp_path, MANIFEST)

    assert path == tmp_path / "report.xlsx"
    book = load_workbook(path)
    # steps without a saved result (02, 04, 06) and tables not saved (by_channel, drivers, …) have no sheet
    assert book.sheetnames == ["Nyckeltal", "Återkoppling kritiker", "Portfölj"]
    kpis = book["Nyckeltal"]
    assert [c.value for c in kpis[1]] == ["Nyckeltal", "Värde", "Värde, nedre gräns", "Värde, övre gräns", "Antal"]
    assert [c.value for c in kpis[2]] == ["NPS", 8.76, 6.64, 10.87, 6085]
    assert [c.number_format for c in kpis[2]][1:] == ["+0;-0;0"] * 3 + ["#,##0"]  # NPS in points
    assert [c.number_format for c in kpis[3]][1:] == ["0.0%"] * 3 + ["#,##0"]  # CSAT, a share, in per cent
    assert kpis.freeze_panes == "A2" and kpis["A1"].font.bold
    portfolio = book["Portfölj"]
    assert [c.value for c in portfolio[2]] == ["-1+1 Autokontroll", "Fakturering", 1_200_000, 12.99, 3_773_255.77]
    assert portfolio["A2"].data_type == "s" and portfolio["A2"].quotePrefix  # a name that reads as a sum stays text
    assert portfolio["C2"].number_format == '#,##0 "NOK"' and portfolio["D2"].number_format == "+0.0;-0.0;0.0"
    comment = next(c for c in book["Återkoppling kritiker"][2] if c.value == HOSTILE)
    assert comment.data_type == "s" and comment.quotePrefix
    assert book["Återkoppling kritiker"]["D2"].value == dt.datetime(2025, 12, 31)  # a date, not ISO text
    with zipfile.ZipFile(path) as archive:
        assert not any(re.search(r"<f[\s>/]", archive.read(n).decode()) for n in archive.namelist()
                       if n.startswith("xl/worksheets/"))


def test_results_of_another_run_are_left_out(tmp_path):
    saved(tmp_path, "01_current_state", overall=pd.DataFrame(
        {"kpi": ["nps"], "value": [8.0], "low": [6.0], "high": [10.0], "n": [10]}))
    with pytest.raises(ExportError, match="No step saved a table for the workbook"):
        write_workbook(tmp_path, {**MANIFEST, "inputs": {"client.yaml": "changed"}})
    assert not (tmp_path / "report.xlsx").exists()
