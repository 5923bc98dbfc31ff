"""Exports for spreadsheets: no text cell may run as a formula, numbers stay numbers."""

import csv
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cxlib.report.exports import FORMULA_TRIGGERS, neutralise_formulas, starts_like_formula, write_sheets, write_table

PAYLOADS = ['=HYPERLINK("http://evil.example/x","click")', "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "+1+1", "-2+3", "\t=1+1", "\r=1+1"]
FORMULA_ELEMENT = re.compile(r"<f[\s>/]")
# Text an XLSX stores exactly: XML 1.0 characters (openpyxl writes through lxml, which keeps carriage returns).
XML_TEXT = st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff",
                         min_codepoint=0x09).filter(lambda c: c in "\t\n" or c >= " ")
ANY_TEXT = st.characters(blacklist_categories=("Cs",))
LEADING_SPACE = st.text(st.sampled_from(" \n\u00a0\u3000"), max_size=3)
PROPERTY = settings(derandomize=True, deadline=None, max_examples=60)


def hostile_text(alphabet):
    """Text that starts with a trigger, possibly after leading whitespace for ``=``, ``+``, ``-`` and ``@``."""
    first = st.sampled_from(sorted(FORMULA_TRIGGERS - {"\r"}))
    behind_space = st.tuples(LEADING_SPACE, st.sampled_from("=+-@")).map("".join)
    return st.tuples(st.one_of(first, behind_space), st.text(alphabet, max_size=40)).map("".join)


def read_csv_cells(path: Path, separator: str) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=separator))


def read_xlsx(path: Path):
    """The first sheet's cells (row by row) and the sheet's XML."""
    sheet = load_workbook(path, data_only=False).active
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    return [list(row) for row in sheet.iter_rows()], xml


def write_both(frame: pd.DataFrame, folder: Path, lang: str) -> tuple[Path, Path]:
    return write_table(frame, folder / "table.csv", lang=lang), write_table(frame, folder / "table.xlsx", lang=lang)


@PROPERTY
@given(texts=st.lists(hostile_text(XML_TEXT), min_size=1, max_size=8))
def test_hostile_text_is_neutralised_in_csv_and_a_string_in_xlsx(tmp_path_factory, texts):
    folder = tmp_path_factory.mktemp("hostile")
    csv_path, xlsx_path = write_both(pd.DataFrame({"comment": texts, "nps": range(len(texts))}), folder, "sv")
    rows = read_csv_cells(csv_path, ";")
    assert [row[0] for row in rows[1:]] == ["'" + text for text in texts]
    cells, xml = read_xlsx(xlsx_path)
    assert [row[0].value for row in cells[1:]] == texts
    assert all(row[0].data_type == "s" and row[0].quotePrefix for row in cells[1:])
    assert not FORMULA_ELEMENT.search(xml)


@PROPERTY
@given(texts=st.lists(st.text(ANY_TEXT, max_size=40), min_size=1, max_size=8))
def test_no_text_can_open_a_cell_or_row_of_its_own(tmp_path_factory, texts):
    """Separators, quotes, CR and LF inside text stay inside its cell, so OWASP's ``a";=1+1`` trick fails."""
    folder = tmp_path_factory.mktemp("any")
    csv_path, xlsx_path = write_both(pd.DataFrame({"id": texts, "comment": texts}), folder, lang="en")
    rows = read_csv_cells(csv_path, ",")
    expected = ["'" + text if starts_like_formula(text) else text for text in texts]
    assert rows[1:] == [[cell, cell] for cell in expected]
    cells, xml = read_xlsx(xlsx_path)
    assert all(cell.data_type == "s" for row in cells[1:] for cell in row if cell.value is not None)
    assert not FORMULA_ELEMENT.search(xml)


@PROPERTY
@given(texts=st.lists(st.text(XML_TEXT, max_size=40).filter(lambda s: not starts_like_formula(s)), min_size=1,
                      max_size=8))
def test_benign_text_is_unchanged(tmp_path_factory, texts):
    folder = tmp_path_factory.mktemp("benign")
    csv_path, xlsx_path = write_both(pd.DataFrame({"comment": texts}), folder, "sv")
    assert [row[0] for row in read_csv_cells(csv_path, ";")[1:]] == texts
    cells, _ = read_xlsx(xlsx_path)
    assert [row[0].value or "" for row in cells[1:]] == texts  # an empty text is an empty cell
    assert not any(row[0].quotePrefix for row in cells[1:])


@PROPERTY
@given(numbers=st.lists(st.floats(-1e9, 1e9, allow_nan=False).filter(lambda x: x < 0), min_size=1, max_size=8))
def test_negative_numbers_stay_numbers(tmp_path_factory, numbers):
    folder = tmp_path_factory.mktemp("numbers")
    csv_path, xlsx_path = write_both(pd.DataFrame({"revenue": numbers, "nps": [-1] * len(numbers)}), folder, "sv")
    rows = read_csv_cells(csv_path, ";")[1:]
    assert [float(row[0].replace(",", ".")) for row in rows] == pytest.approx(numbers, rel=1e-14)
    assert all(row[1] == "-1" for row in rows)
    cells, _ = read_xlsx(xlsx_path)
    assert [row[0].value for row in cells[1:]] == pytest.approx(numbers, rel=1e-14)  # Excel keeps 15 digits
    assert all(cell.data_type == "n" for row in cells[1:] for cell in row)


def test_text_with_a_dash_is_neutralised_even_when_harmless(tmp_path):
    """OWASP: any text cell starting with ``-``; a list item "- bra service" gets the quote too."""
    frame = pd.DataFrame({"comment": ["- bra service", "  -1", "bra - service", "-5"], "score": [-5, -1, 0, 3]})
    assert neutralise_formulas(frame)["comment"].tolist() == ["'- bra service", "'  -1", "bra - service", "'-5"]
    assert neutralise_formulas(frame)["score"].tolist() == [-5, -1, 0, 3]
    csv_path, _ = write_both(frame, tmp_path, lang="en")
    assert read_csv_cells(csv_path, ",")[1] == ["'- bra service", "-5"]


def test_column_names_missing_values_and_other_types(tmp_path):
    frame = pd.DataFrame({
        "=HYPERLINK(\"http://evil.example\")": ["=1+1", None],
        "date": pd.to_datetime(["2025-01-31", "2025-02-01"]),
        "churned": pd.array([True, None], dtype="boolean"),
        "nps": pd.array([0, None], dtype="Int64"),
        "themes": pd.Series(["@x", "ok"], dtype="category"),
    })
    csv_path, xlsx_path = write_both(frame, tmp_path, "sv")
    assert read_csv_cells(csv_path, ";") == [
        ["'=HYPERLINK(\"http://evil.example\")", "date", "churned", "nps", "themes"],
        ["'=1+1", "2025-01-31", "True", "0", "'@x"],
        ["", "2025-02-01", "", "", "ok"],
    ]
    cells, xml = read_xlsx(xlsx_path)
    assert cells[0][0].value == "=HYPERLINK(\"http://evil.example\")" and cells[0][0].data_type == "s"
    assert cells[1][1].number_format == "YYYY-MM-DD" and cells[1][1].value.date().isoformat() == "2025-01-31"
    assert cells[1][4].value == "@x" and not FORMULA_ELEMENT.search(xml)


def test_error_codes_and_control_characters_in_xlsx(tmp_path):
    frame = pd.DataFrame({"comment": ["#N/A", "#DIV/0!", "bell\x07 and \x00", "\r=1+1"]})
    cells, _ = read_xlsx(write_table(frame, tmp_path / "t.xlsx", lang="en"))
    assert [row[0].value for row in cells[1:]] == ["#N/A", "#DIV/0!", "bell\ufffd and \ufffd", "\r=1+1"]
    assert all(row[0].data_type == "s" for row in cells[1:]) and cells[4][0].quotePrefix


def test_csv_dialect_by_language(tmp_path):
    frame = pd.DataFrame({"text": ["a;b", "c,d"], "share": [0.5, -1.25]})
    sv = write_table(frame, tmp_path / "sv.csv", lang="sv").read_bytes()
    en = write_table(frame, tmp_path / "en.csv", lang="en").read_bytes()
    assert sv == '\ufefftext;share\r\n"a;b";0,5\r\nc,d;-1,25\r\n'.encode()
    assert en == '\ufefftext,share\r\na;b,0.5\r\n"c,d",-1.25\r\n'.encode()


def test_only_csv_and_xlsx_and_no_temporary_files(tmp_path):
    with pytest.raises(ValueError, match="table.json"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "table.json", lang="en")
    write_both(pd.DataFrame({"a": [1]}), tmp_path / "out", "sv")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["table.csv", "table.xlsx"]


def test_write_sheets_writes_every_sheet_with_frozen_bold_header_numbers_and_no_formula(tmp_path):
    kpis = pd.DataFrame({"KPI": ["NPS", "=HYPERLINK(\"http://x\",\"y\")"], "Värde": [12.5, -3.0]})
    gaps = pd.DataFrame({"Gap": [0.25]})
    path = write_sheets({"Nyckeltal": kpis, "Gap": gaps}, tmp_path / "report.xlsx",
                        number_formats={"Nyckeltal": {"Värde": "0.0"}, "Gap": {"Gap": "0.0%"}})
    book = load_workbook(path)
    assert book.sheetnames == ["Nyckeltal", "Gap"]
    sheet = book["Nyckeltal"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet["B2"].value == 12.5 and sheet["B3"].value == -3.0 and sheet["B2"].number_format == "0.0"
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == "=HYPERLINK(\"http://x\",\"y\")"
    assert sheet["A3"].quotePrefix
    assert book["Gap"]["A2"].value == 0.25 and book["Gap"]["A2"].number_format == "0.0%"
