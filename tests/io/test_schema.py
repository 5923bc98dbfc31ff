"""cxlib.io.schema: typing and validating raw tables against docs/input-contract.md."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from _helpers_io import CONFIG, raw

from cxlib.errors import MAX_PER_RULE
from cxlib.io.read import read_raw
from cxlib.io.schema import SPECS, Column, validate_table


CONTACT = "contact_id;opened_at;channel;reason;abandoned\nc;2025-03-01;phone;x;"


def check(tmp_path, content, table="feedback", config=CONFIG, **kw):
    return validate_table(raw(tmp_path, content, name=f"{table}.csv", **kw), SPECS[table], config)


def test_nordic_export_parses_to_typed_values(tmp_path):
    text = (
        "\ufeffcontact_id;opened_at;channel;reason;closed_at;handle_time_s;"
        "resolved_first_contact;abandoned;customer_id\n"
        "k1;1.3.2025 14:05;Phone;Faktura fråga;01.03.2025 14:35;1 234,5;Ja;nej;007\n"
        "k2;2025-03-02T08:00:00;chat;Leverans;2025-03-02 08:10;\u00a0\u00a012,25;N;J;\n"
        "k3;2025-03-03;chat;Övrigt;;;;;\n"
    )
    frame, problems = check(tmp_path, text.encode("utf-8"), table="contacts")
    assert problems == []
    assert frame["opened_at"].tolist() == [
        pd.Timestamp("2025-03-01 14:05"),
        pd.Timestamp("2025-03-02 08:00"),
        pd.Timestamp("2025-03-03"),
    ]
    assert frame["closed_at"].iloc[0] == pd.Timestamp("2025-03-01 14:35")
    assert pd.isna(frame["closed_at"].iloc[2])
    assert frame["handle_time_s"].iloc[:2].tolist() == [1234.5, 12.25]
    assert frame["channel"].tolist() == ["phone", "chat", "chat"]
    assert frame["reason"].tolist() == ["Faktura fråga", "Leverans", "Övrigt"]
    assert frame["resolved_first_contact"].tolist() == [True, False, pd.NA]
    assert frame["abandoned"].tolist() == [False, True, pd.NA]
    assert frame["customer_id"].iloc[0] == "007"


def test_cp1252_semicolon_decimal_comma(tmp_path):
    text = "response_id;date;channel;nps;csat;ces;comment\nr1;7.3.2025;phone;9;4;6;Väldigt bra – tack!\n"
    t = raw(tmp_path, text, encoding="cp1252")
    frame, problems = validate_table(t, SPECS["feedback"], CONFIG)
    assert (t.encoding, problems) == ("cp1252", [])
    assert frame.loc[0, "date"] == pd.Timestamp("2025-03-07")
    assert frame.loc[0, "comment"] == "Väldigt bra – tack!"
    assert frame.loc[0, ["nps", "csat", "ces"]].tolist() == [9, 4, 6]


def test_dtypes_follow_the_contract(tmp_path):
    frame, _ = check(tmp_path, "response_id;date;channel;nps;device;extra\nr1;2025-03-01;phone;9;mobile;x\n")
    assert pd.api.types.is_string_dtype(frame["response_id"]) and frame["response_id"].dtype != object
    assert frame["date"].dtype == "datetime64[us]"
    assert frame["nps"].dtype == "Int64"
    assert frame["extra"].tolist() == ["x"]  # extra columns kept
    assert list(frame.index) == [0]


@pytest.mark.parametrize(
    "text, value",
    [
        ("12", 12.0),
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234", 1234.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("−3", None),  # below 0: a problem
    ],
)
def test_number_formats(tmp_path, text, value):
    frame, problems = check(tmp_path, f"customer_id;annual_revenue\nk1;{text}\n", table="customers")
    if value is None:
        assert [p.value for p in problems] == [text]
    else:
        assert problems == [] and frame.loc[0, "annual_revenue"] == value


@pytest.mark.parametrize("word", ["true", "1", "yes", "JA", "j", "Y"])
def test_true_words(tmp_path, word):
    frame, problems = check(tmp_path, f"{CONTACT}{word}\n", "contacts")
    assert problems == [] and frame.loc[0, "abandoned"] is np.True_


@pytest.mark.parametrize("word", ["false", "0", "no", "Nej", "nei", "N"])
def test_false_words(tmp_path, word):
    frame, problems = check(tmp_path, f"{CONTACT}{word}\n", "contacts")
    assert problems == [] and frame.loc[0, "abandoned"] is np.False_


@pytest.mark.parametrize(
    "text, value",
    [
        ("2025-03-01", "2025-03-01"),
        ("1.3.2025", "2025-03-01"),
        ("01.03.2025", "2025-03-01"),
        ("2025-03-01 14:05", "2025-03-01 14:05"),
        ("2025-03-01T14:05:00", "2025-03-01 14:05"),
        ("1.3.2025 14:05", "2025-03-01 14:05"),
        ("2025-03-01 14:05:00.250", "2025-03-01 14:05:00.250"),
    ],
)
def test_date_formats(tmp_path, text, value):
    frame, problems = check(tmp_path, f"response_id;date;channel;nps\nr;{text};phone;1\n")
    assert problems == [] and frame.loc[0, "date"] == pd.Timestamp(value)


def test_all_problems_not_only_the_first(tmp_path):
    text = (
        "response_id;date;channel;nps\n"
        "r1;2025-03-01;phone;9\n"
        "r2;2025-03-01;phone;12\n"
        "r3;2025-03-01;phone;8\n"
        "r4;yesterday;phone;8\n"
        "r5;2025-03-01;pigeon;8\n"
    )
    _, problems = check(tmp_path, text)
    assert [(p.row, p.column, p.value) for p in sorted(problems, key=lambda p: p.row)] == [
        (3, "nps", "12"),
        (5, "date", "yesterday"),
        (6, "channel", "pigeon"),
    ]


def test_problems_capped_per_rule(tmp_path):
    body = "".join(f"r{i};2025-03-01;phone;11\n" for i in range(MAX_PER_RULE + 5))
    _, problems = check(tmp_path, "response_id;date;channel;nps\n" + body)
    assert len(problems) == MAX_PER_RULE + 1
    assert problems[0].row == 2 and problems[MAX_PER_RULE - 1].row == MAX_PER_RULE + 1
    assert str(problems[-1]).endswith("an integer 0–10 (5 more rows like this not listed)")


def test_missing_columns_listed_with_columns_found(tmp_path):
    _, problems = check(tmp_path, "Response_ID;when;nps\nr1;2025-03-01;9\n")
    assert [p.column for p in problems] == ["date", "channel"]
    assert "found columns: Response_ID, when, nps" in problems[0].expected


def test_column_names_match_ignoring_case(tmp_path):
    frame, problems = check(tmp_path, "Response_ID;DATE;Channel;NPS\nr1;2025-03-01;phone;9\n")
    assert problems == [] and list(frame.columns) == ["response_id", "date", "channel", "nps"]


def test_config_rules_skipped_without_config(tmp_path):
    _, problems = check(tmp_path, "response_id;date;channel;nps\nr1;2025-03-01;fax;9\n", config=None)
    assert problems == []


def test_departments_checked_only_when_listed(tmp_path):
    text = "reason;demand_type;owner_department\nbilling;Failure;sales\n"
    assert check(tmp_path, text, "reasons", config=CONFIG.model_copy(update={"departments": []}))[1] == []
    assert [p.column for p in check(tmp_path, text, "reasons")[1]] == ["owner_department"]


def test_xlsx_round_trip(tmp_path):
    df = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3"],
            "date": [dt.datetime(2025, 3, 1, 14, 5), dt.datetime(2025, 3, 2), "3.3.2025"],
            "channel": ["phone", "chat", "phone"],
            "nps": [9, 10, None],
            "csat": [5.0, "4", None],
            "customer_id": [1001, 1002, "k3"],
        }
    )
    df.to_excel(tmp_path / "feedback.xlsx", index=False)
    frame, problems = validate_table(read_raw(tmp_path / "feedback.xlsx"), SPECS["feedback"], CONFIG)
    assert problems == []
    assert frame["date"].tolist() == [pd.Timestamp(d) for d in ("2025-03-01 14:05", "2025-03-02", "2025-03-03")]
    assert frame["nps"].tolist() == [9, 10, pd.NA]
    assert frame["csat"].tolist() == [5, 4, pd.NA]
    assert frame["customer_id"].tolist() == ["1001", "1002", "k3"]


def test_parquet_round_trip(tmp_path):
    df = pd.DataFrame(
        {
            "contact_id": ["c1", "c2"],
            "opened_at": pd.to_datetime(["2025-03-01 10:00", "2025-03-02 11:00"]),
            "channel": ["phone", "chat"],
            "reason": ["billing", "delivery"],
            "handle_time_s": [120, 95],
            "abandoned": [False, True],
        }
    )
    df.to_parquet(tmp_path / "contacts.parquet")
    frame, problems = validate_table(read_raw(tmp_path / "contacts.parquet"), SPECS["contacts"], CONFIG)
    assert problems == []
    assert frame["opened_at"].dtype == "datetime64[us]"
    assert frame["opened_at"].tolist() == df["opened_at"].tolist()
    assert frame["handle_time_s"].tolist() == [120.0, 95.0]
    assert frame["abandoned"].tolist() == [False, True]


def test_parquet_dates_and_booleans_with_gaps(tmp_path):
    """Parquet date32 columns and booleans with missing values arrive as Python objects."""
    import datetime as dt

    pd.DataFrame({"customer_id": ["k1", "k2"], "since": [dt.date(2020, 5, 1), dt.date(2024, 1, 31)],
                  "churned_at": [None, dt.date(2025, 2, 1)]}).to_parquet(tmp_path / "customers.parquet")
    frame, problems = validate_table(read_raw(tmp_path / "customers.parquet"), SPECS["customers"], CONFIG)
    assert problems == [] and frame["since"].dtype == "datetime64[us]"
    assert frame["churned_at"].tolist()[1] == pd.Timestamp("2025-02-01") and pd.isna(frame["churned_at"].iloc[0])
    pd.DataFrame({"contact_id": ["c1", "c2", "c3"], "opened_at": pd.to_datetime(["2025-03-01"] * 3),
                  "channel": ["phone"] * 3, "reason": ["x"] * 3,
                  "abandoned": pd.array([True, None, False], dtype=object)}).to_parquet(tmp_path / "contacts.parquet")
    frame, problems = validate_table(read_raw(tmp_path / "contacts.parquet"), SPECS["contacts"], CONFIG)
    assert problems == [] and frame["abandoned"].dtype == "boolean"
    assert frame["abandoned"].tolist() == [True, pd.NA, False]


def test_parquet_values_out_of_range_reported_with_row(tmp_path):
    pd.DataFrame({"area": ["a", "a"], "participant": ["x", "y"], "current": [3, 6], "desired": [4, 5]}).to_parquet(
        tmp_path / "maturity.parquet"
    )
    _, problems = validate_table(read_raw(tmp_path / "maturity.parquet"), SPECS["maturity"], CONFIG)
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "current", "6")]


def test_expected_texts():
    assert Column("x", "integer", lo=0, hi=10).expected(None) == "an integer 0–10"
    assert Column("x", "number", lo=0, unit="seconds").expected(None) == "a number ≥ 0 (seconds)"
    channel = Column("x", "choice", choices="channels")
    assert channel.expected(CONFIG) == "one of the channel ids in client.yaml: phone, chat"


@pytest.mark.parametrize("text", ["nan", "inf", "12 kr", "1,2,3"])
def test_non_numbers_are_problems(tmp_path, text):
    _, problems = check(tmp_path, f"customer_id;annual_revenue\nk1;{text}\n", table="customers")
    assert [(p.row, p.value) for p in problems] == [(2, text)]


# --- time zones -----------------------------------------------------------------------
def test_utc_offsets_in_text_become_the_clients_wall_clock(tmp_path):
    # 13:05Z and 14:05+01:00 are the same instant: 14:05 in Stockholm in winter; in July the
    # client's clock is two hours ahead of UTC (summer time)
    frame, problems = check(tmp_path, "response_id;date;channel;nps\na;2025-03-01T13:05:00Z;phone;9\n"
                                      "b;2025-03-01T14:05+01:00;phone;9\nc;2025-07-01 10:00:00+0000;phone;9\n"
                                      "d;2025-07-01 12:00;phone;9\n")
    assert problems == []
    assert frame["date"].tolist() == [pd.Timestamp("2025-03-01 14:05"), pd.Timestamp("2025-03-01 14:05"),
                                      pd.Timestamp("2025-07-01 12:00"), pd.Timestamp("2025-07-01 12:00")]


def test_tz_aware_parquet_is_converted_not_cut(tmp_path):
    # the same two contacts exported from systems in UTC and in Helsinki: an hour apart, not three
    opened = pd.Series(pd.to_datetime(["2025-03-01 09:00"]).tz_localize("UTC").tolist()
                       + pd.to_datetime(["2025-03-01 12:00"]).tz_localize("Europe/Helsinki").tolist(), dtype=object)
    df = pd.DataFrame({"contact_id": ["c1", "c2"], "opened_at": pd.to_datetime(opened, utc=True),
                       "channel": ["phone", "chat"], "reason": ["x", "y"]})
    df.to_parquet(tmp_path / "contacts.parquet")
    oslo = CONFIG.model_copy(update={"timezone": "Europe/Oslo"})
    frame, problems = validate_table(read_raw(tmp_path / "contacts.parquet"), SPECS["contacts"], oslo)
    assert problems == []
    assert frame["opened_at"].tolist() == [pd.Timestamp("2025-03-01 10:00"), pd.Timestamp("2025-03-01 11:00")]


# --- columns and values ----------------------------------------------------------------
def test_columns_that_differ_only_in_case_are_a_problem(tmp_path):
    _, problems = check(tmp_path, "response_id;date;channel;nps;NPS\na;2025-03-01;phone;9;8\n")
    assert [(p.column, p.row) for p in problems] == [("nps", None)]
    assert "'nps' and 'NPS' differ only in case" in problems[0].expected


def test_all_score_columns_empty_is_a_problem_but_one_value_is_enough(tmp_path):
    _, problems = check(tmp_path, "response_id;date;channel;nps;ces\na;2025-03-01;phone;;\nb;2025-03-02;phone;;\n")
    assert [p.column for p in problems] == ["nps, ces"]
    _, problems = check(tmp_path, "response_id;date;channel;nps;ces\na;2025-03-01;phone;;\nb;2025-03-02;phone;;4\n")
    assert problems == []


def _xlsx_with_formulas(path, cached: str | None):
    """A feedback workbook whose nps cell D2 holds the formula 4+5, with or without its cached value
    (openpyxl cannot calculate, so the value is written into the sheet XML as Excel would)."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["response_id", "date", "channel", "nps"])
    book.active.append(["a", "2025-03-01", "phone", "=4+5"])
    book.save(path)
    if cached is not None:
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        sheet = "xl/worksheets/sheet1.xml"
        parts[sheet] = re.sub(rb"<f>4\+5</f><v\s*(?:/>|></v>)", f"<f>4+5</f><v>{cached}</v>".encode(), parts[sheet])
        assert f"<v>{cached}</v>".encode() in parts[sheet]
        with zipfile.ZipFile(path, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


def test_xlsx_formula_with_a_computed_value_loads_that_value(tmp_path):
    frame, problems = validate_table(read_raw(_xlsx_with_formulas(tmp_path / "feedback.xlsx", "9")),
                                     SPECS["feedback"], CONFIG)
    assert problems == [] and frame["nps"].tolist() == [9]


def test_xlsx_formula_without_a_value_is_named_per_cell(tmp_path):
    from cxlib.errors import InputError

    with pytest.raises(InputError) as info:
        read_raw(_xlsx_with_formulas(tmp_path / "feedback.xlsx", None))
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "nps", "=4+5")
    assert "open and save the file in Excel" in problem.expected
