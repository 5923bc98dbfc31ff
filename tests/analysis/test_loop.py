"""Close-the-loop lists: selection, priority, owners, files."""

import csv
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from cxlib.text.lexicon import default_taxonomy, parse_taxonomy
from cxlib.analysis.loop import loop_lists, theme_owners
from cxlib.report.exports import write_loop_lists
from cxlib.text.pipeline import analyse


@pytest.fixture
def feedback():
    return pd.DataFrame({
        "response_id": ["R1", "R2", "R3", "R4", "R5", "R6"],
        "customer_id": ["K1", "K2", "K3", None, "K5", "K6"],
        "date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05", "2025-01-06"]),
        "channel": "phone", "touchpoint": "faktura",
        "nps": pd.array([2, 5, 6, 0, 10, 9], dtype="Int64"),
        "comment": ["Fakturan var fel, ring mig på 070-123 45 67", "lång väntetid", "ok", "usel", "Toppen!",
                    "Katastrofal app"],
    })


@pytest.fixture
def customers():
    # revenues sorted: 50 60 100 200 1000 1000 1000 1000 1000 -> top quarter from 1000
    return pd.DataFrame({"customer_id": ["K1", "K2", "K3", "K5", "K6", "K7", "K8", "K9", "K10"],
                         "annual_revenue": [100.0, 200.0, 1000.0, 50.0, 60.0, 1000.0, 1000.0, 1000.0, 1000.0],
                         "churned_at": pd.to_datetime([None, None, None, None, "2025-03-01", None, None, None, None])})


def test_callbacks_and_promoters(feedback, customers):
    text = analyse(feedback["comment"])
    lists = loop_lists(feedback, text, customers, {"billing": "fakturering"}, lang="en")
    cb = lists["callbacks"]
    # R4 has no customer id; R1 high (score 2), R3 high (revenue in the top quarter),
    # R2 medium (score 5); within a priority the newest first
    assert cb["response_id"].tolist() == ["R3", "R1", "R2"]
    assert cb["priority"].tolist() == ["high", "high", "medium"]
    r1 = cb.set_index("response_id").loc["R1"]
    assert r1["owner"] == "fakturering" and r1["themes"] == "Billing and payment"
    assert "070" not in r1["comment"] and "[phone]" in r1["comment"]
    # R6 is a promoter by score but has churned and writes negatively
    assert lists["promoters"]["response_id"].tolist() == ["R5"]


def test_owner_suggested_from_contact_reasons():
    reasons = pd.DataFrame({"reason": ["faktura fel", "otydlig faktura", "appen kraschar"],
                            "owner_department": ["fakturering", "marknad", "it"],
                            "root_cause": ["fel i faktureringen", None, None]})
    themes = parse_taxonomy({"outage": {"owner": "drift"}}, default_taxonomy())
    owners = theme_owners(themes, reasons)
    assert owners["billing"] == "fakturering"  # two of three billing reasons
    assert owners["digital"] == "it" and owners["outage"] == "drift"


def test_written_as_csv_and_xlsx_with_localised_headers(feedback, customers, tmp_path):
    lists = loop_lists(feedback, analyse(feedback["comment"]), customers, lang="sv")
    paths = write_loop_lists(lists, tmp_path, lang="sv")
    assert sorted(p.name for p in paths) == ["callbacks.csv", "callbacks.xlsx", "promoters.csv", "promoters.xlsx"]
    csv = (tmp_path / "loop" / "callbacks.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "Prioritet;Svars-id".encode() in csv
    assert "hög".encode() in csv
    sheet = load_workbook(tmp_path / "loop" / "callbacks.xlsx").active
    assert [c.value for c in sheet[1]][:2] == ["Prioritet", "Svars-id"]
    assert sheet.max_row == 1 + len(lists["callbacks"])
    assert not list((tmp_path / "loop").glob(".*tmp*"))


def test_hostile_feedback_cannot_run_as_a_formula_in_the_lists(feedback, tmp_path):
    hostile = {"response_id": "@SUM(1+1)*cmd|' /C calc'!A0", "customer_id": "=cmd|' /C calc'!A0",
               "comment": '=HYPERLINK("http://evil.example/x","click")'}
    for column, text in hostile.items():
        feedback.loc[0, column] = text
    lists = loop_lists(feedback, analyse(feedback["comment"]), lang="en")
    write_loop_lists(lists, tmp_path, lang="en")
    with (tmp_path / "loop" / "callbacks.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    row = next(r for r in rows if r["Response id"] == "'" + hostile["response_id"])
    assert row["Customer id"] == "'" + hostile["customer_id"] and row["Comment (personal data removed)"] == (
        "'" + hostile["comment"])
    path = tmp_path / "loop" / "callbacks.xlsx"
    sheet = load_workbook(path, data_only=False).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row}
    assert all(cells[text].data_type == "s" for text in hostile.values())
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
