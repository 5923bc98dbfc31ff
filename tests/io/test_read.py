"""cxlib.io.read: finding table files and reading them raw (format, encoding, delimiter, rows)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from _helpers_io import raw, write

from cxlib.errors import MAX_PER_RULE, InputError
from cxlib.io.read import find_table, read_raw


def problems(excinfo) -> str:
    return "\n".join(map(str, excinfo.value.problems))


# --- find_table -------------------------------------------------------------------------


def test_find_table_any_ending_and_case(tmp_path):
    write(tmp_path / "Contacts.PARQUET", b"PAR1")
    write(tmp_path / "feedback.txt", "a;b\n1;2\n")
    write(tmp_path / "notes.csv", "x\n")
    assert find_table(tmp_path, "contacts").name == "Contacts.PARQUET"
    assert find_table(tmp_path, "feedback").name == "feedback.txt"
    assert find_table(tmp_path, "journeys") is None


def test_find_table_two_files_is_a_problem(tmp_path):
    write(tmp_path / "feedback.csv", "a\n")
    write(tmp_path / "feedback.xlsx", b"PK")
    with pytest.raises(InputError) as info:
        find_table(tmp_path, "feedback")
    assert "feedback.csv and feedback.xlsx" in problems(info)


# --- CSV: encodings and delimiters ------------------------------------------------------


def test_semicolon_cp1252(tmp_path):
    t = raw(tmp_path, "namn;belopp\nÅsa Öberg;1 234,5\n", encoding="cp1252")
    assert (t.format, t.encoding, t.delimiter) == ("csv", "cp1252", ";")
    assert t.frame.loc[2].tolist() == ["Åsa Öberg", "1 234,5"]


def test_utf8_bom_stripped_from_first_column(tmp_path):
    t = raw(tmp_path, "\ufeffid,namn\n1,Ärlig\n")
    assert t.encoding == "utf-8-sig"
    assert list(t.frame.columns) == ["id", "namn"]


def test_bom_followed_by_cp1252_bytes(tmp_path):
    t = raw(tmp_path, b"\xef\xbb\xbfid;namn\n1;\xc5sa\n")
    assert t.encoding == "cp1252"
    assert t.frame.loc[2, "namn"] == "Åsa"


def test_comma_delimiter_with_quoted_commas_quotes_and_newlines(tmp_path):
    t = raw(tmp_path, 'id,comment,n\n1,"Slow, but ""ok""",3\n2,"two\nlines",4\n3,,5\n')
    assert t.delimiter == ","
    assert t.frame["comment"].tolist()[:2] == ['Slow, but "ok"', "two\nlines"]
    assert pd.isna(t.frame.loc[4, "comment"])
    assert list(t.frame.index) == [2, 3, 4]


def test_tab_delimiter_and_crlf(tmp_path):
    t = raw(tmp_path, "id\tcomment\r\n1\ta, b; c\r\n")
    assert t.delimiter == "\t"
    assert t.frame.loc[2, "comment"] == "a, b; c"


def test_loose_quotes_parse_like_spreadsheet_programs(tmp_path):
    t = raw(tmp_path, 'id;comment\n1;24" monitor\n2;"quoted"\n')
    assert t.frame["comment"].tolist() == ['24" monitor', "quoted"]


def test_cells_are_text_and_empty_cells_missing(tmp_path):
    t = raw(tmp_path, "id;n\n007;\n")
    assert t.frame.loc[2, "id"] == "007"
    assert pd.isna(t.frame.loc[2, "n"])
    assert pd.api.types.is_string_dtype(t.frame["id"])


def test_row_numbers_count_blank_rows(tmp_path):
    t = raw(tmp_path, "\n\nid;n\n1;2\n\n   \n3;4\n;\n5;6\n")
    assert t.header_row == 3
    assert list(t.frame.index) == [4, 7, 9]


def test_single_column_table_with_blank_rows(tmp_path):
    t = raw(tmp_path, "customer_id\nk1\n\n  \nk2\n", name="customers.csv")
    assert t.frame["customer_id"].tolist() == ["k1", "k2"]
    assert list(t.frame.index) == [2, 5]


def test_header_names_stripped(tmp_path):
    assert list(raw(tmp_path, " id ;n\n1;2\n").frame.columns) == ["id", "n"]


# --- CSV: problems ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"id;n\n", "row 1; expected data rows below the header"),
        ("id;n\n1;2\n".encode("utf-16"), "UTF-16"),
        (b"id;n\n1;\x00\x00\n", "row 2; expected text in UTF-8 (with or without BOM) or cp1252"),
        (b"id;n\n1;2\nx\x81;3\n", "row 3; expected text in UTF-8 (with or without BOM) or cp1252/latin-1; byte 0x81"),
        (b"\xd0\xcf\x11\xe0" + bytes(50), "old Excel (.xls) file"),
        (b"PK\x03\x04garbage", "a readable Excel workbook"),
        (b"PAR1garbage", "a readable Parquet file"),
        (b"id;n;id\n1;2;3\n", "each column name once (columns 1 and 3 are both 'id')"),
        (b'id;n\n1;"2\n3;4\n', "unmatched quote"),
    ],
)
def test_unreadable_files_are_problems(tmp_path, content, expected):
    with pytest.raises(InputError) as info:
        raw(tmp_path, content)
    assert expected in problems(info)


def test_ragged_rows_each_reported(tmp_path):
    with pytest.raises(InputError) as info:
        raw(tmp_path, "a;b;c\n1;2;3\n1;2\n\n1;2;3;4\n")
    assert [(p.row, p.expected) for p in info.value.problems] == [
        (3, "3 fields separated by ';' as in the header (found 2)"),
        (5, "3 fields separated by ';' as in the header (found 4)"),
    ]


def test_many_ragged_rows_are_capped(tmp_path):
    with pytest.raises(InputError) as info:
        raw(tmp_path, "a,b\n" + "1\n" * (MAX_PER_RULE + 7))
    found = info.value.problems
    assert len(found) == MAX_PER_RULE + 1
    assert "7 more rows like this not listed" in str(found[-1])


# --- XLSX and Parquet -------------------------------------------------------------------


def test_xlsx_native_values_and_sheet_rows(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Feedback export"])
    sheet.append([])
    sheet.append(["response_id", "date", "nps", None])
    sheet.append(["r1", dt.datetime(2025, 3, 1, 14, 5), 9, None])
    sheet.append([None, None, None, None])
    sheet.append(["r2", "1.3.2025", 10.0, "  "])
    book.save(tmp_path / "feedback.xlsx")
    t = read_raw(tmp_path / "feedback.xlsx")
    assert (t.format, t.encoding, t.delimiter) == ("xlsx", None, None)
    # the title row counts as the header: the first non-empty row
    assert t.header_row == 1
    assert list(t.frame.index) == [3, 4, 6]
    assert t.frame.loc[4].tolist()[:3] == ["r1", dt.datetime(2025, 3, 1, 14, 5), 9]


def test_xlsx_header_after_blank_rows(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"], sheet["C3"] = "id", "n"
    sheet["B4"], sheet["C4"] = "a", 1
    book.save(tmp_path / "t.xlsx")
    t = read_raw(tmp_path / "t.xlsx")
    assert t.header_row == 3
    assert list(t.frame.index) == [4]
    assert t.frame.loc[4, "id"] == "a"


def test_parquet_keeps_types_and_numbers_rows(tmp_path):
    df = pd.DataFrame({"id": ["a", "b"], "n": [1, 2], "when": pd.to_datetime(["2025-03-01", "2025-03-02"])})
    df.to_parquet(tmp_path / "x.parquet")
    t = read_raw(tmp_path / "x.parquet")
    assert t.format == "parquet"
    assert list(t.frame.index) == [2, 3]
    assert t.frame["n"].tolist() == [1, 2]
    assert pd.api.types.is_datetime64_any_dtype(t.frame["when"])


def test_format_detected_from_content_not_name(tmp_path):
    pd.DataFrame({"id": ["a"]}).to_parquet(tmp_path / "feedback.csv")
    assert read_raw(tmp_path / "feedback.csv").format == "parquet"
