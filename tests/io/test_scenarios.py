"""cxlib.io.scenarios (scenarios.yaml) and the staffing table (step 04 inputs), alone and in a workspace."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from _helpers_io import CONFIG, CONFIG_YAML, raw, workspace

from cxlib.errors import InputError
from cxlib.files import sha256
from cxlib.io.read import read_raw
from cxlib.io.scenarios import ChannelShift, Scenarios, load_scenarios
from cxlib.io.schema import SPECS, validate_table
from cxlib.io.workspace import load_workspace, validate_workspace

FEEDBACK = "response_id;date;channel;nps\nr1;2025-03-01;phone;9\nr2;2025-03-02;chat;6\n"
CONTACTS = ("contact_id;opened_at;channel;reason\n"
            "c1;2025-03-01 10:00;phone;var är min faktura\nc2;2025-03-01 11:00;chat;leverans\n")
CONFIG_WITH_IT = CONFIG_YAML + "  - {id: it, name: IT}\n"
VALID = """channel_shift:
  - id: invoice-to-chat
    name: Invoice questions in the chat
    from: phone
    to: chat
    reason: var är min faktura
    share: 0.30
    owner: it
  - id: all-chat-to-phone
    name: Chat back to phone
    from: chat
    to: phone
    share: 1
"""
STAFFING_HEAD = "channel;weekday;interval_start;agents\n"


def _scenarios(tmp_path, text: str, **context) -> Scenarios:
    (tmp_path / "scenarios.yaml").write_text(text, encoding="utf-8")
    return load_scenarios(tmp_path, **context)


def _problems(tmp_path, text: str, **context) -> list:
    with pytest.raises(InputError) as info:
        _scenarios(tmp_path, text, **context)
    return info.value.problems


# --- load_scenarios ------------------------------------------------------------------


def test_valid_file_gives_the_parsed_values(tmp_path):
    found = _scenarios(tmp_path, VALID, channels=["phone", "chat"], reasons={"var är min faktura"},
                       departments=["cs", "it"])
    first, second = found.channel_shift
    assert isinstance(first, ChannelShift)
    assert (first.id, first.name, first.from_channel, first.to_channel, first.reason, first.share, first.owner) == (
        "invoice-to-chat", "Invoice questions in the chat", "phone", "chat", "var är min faktura", 0.30, "it")
    assert (second.id, second.from_channel, second.to_channel, second.reason, second.share, second.owner) == (
        "all-chat-to-phone", "chat", "phone", None, 1.0, None)


@pytest.mark.parametrize("text", ["", "\n", "# no scenarios yet\n", "channel_shift: []\n",
                                  "channel_shift:\n  # - id: examples commented out\n"])
def test_empty_file_gives_no_scenarios(tmp_path, text):
    assert _scenarios(tmp_path, text, channels=["phone", "chat"]).channel_shift == ()


def test_no_file_gives_no_scenarios(tmp_path):
    assert load_scenarios(tmp_path, channels=["phone", "chat"]) == Scenarios()
    assert load_scenarios(tmp_path / "no such folder").channel_shift == ()


def test_repeated_ids_are_refused_at_the_line_of_each_repeat(tmp_path):
    text = VALID + VALID.removeprefix("channel_shift:\n")
    problems = _problems(tmp_path, text)
    assert [(p.file, p.row, p.column, p.value, p.expected) for p in problems] == [
        ("scenarios.yaml", 14, "channel_shift[2].id", "invoice-to-chat", "a scenario id not used above"),
        ("scenarios.yaml", 21, "channel_shift[3].id", "all-chat-to-phone", "a scenario id not used above")]


BAD_FIELDS = """channel_shift:
  - id: Bad Id
    name: Fine
    from: phone
    to: chat
    share: 1.5
    colour: blue
  - id: ok
    name: ''
    from: chat
    to: phone
    share: 0.1
"""
BAD_KNOWN = """channel_shift:
  - id: to-fax
    name: To fax
    from: phone
    to: fax
    reason: unknown reason
    share: 0.5
    owner: marketing
  - id: same
    name: Same channel
    from: chat
    to: chat
    share: 0.1
"""
CONTEXT = {"channels": ["phone", "chat"], "reasons": {"billing"}, "departments": ["cs", "it"]}


def test_each_field_problem_carries_its_line(tmp_path):
    problems = _problems(tmp_path, BAD_FIELDS, **CONTEXT)
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("scenarios.yaml", 2, "channel_shift[0].id", "Bad Id"),
        ("scenarios.yaml", 6, "channel_shift[0].share", "1.5"),
        ("scenarios.yaml", 7, "channel_shift[0].colour", "blue"),
        ("scenarios.yaml", 9, "channel_shift[1].name", ""),
    ]


def test_each_unknown_value_carries_its_line(tmp_path):
    problems = _problems(tmp_path, BAD_KNOWN, **CONTEXT)
    assert [(p.row, p.column, p.value, p.expected) for p in problems] == [
        (5, "channel_shift[0].to", "fax", "a channel id of client.yaml: phone, chat"),
        (6, "channel_shift[0].reason", "unknown reason",
         "a reason of the contacts or the reasons table (spelt as there)"),
        (8, "channel_shift[0].owner", "marketing", "a department id of client.yaml: cs, it"),
        (12, "channel_shift[1].to", "chat", "another channel than 'from'"),
    ]


def test_all_problems_of_one_entry_reported_at_once(tmp_path):
    text = BAD_KNOWN.replace("share: 0.5", "share: 1.5")
    rows = {p.row for p in _problems(tmp_path, text, **CONTEXT)}
    assert {5, 6, 7, 8} <= rows


def test_known_values_checked_only_with_their_context(tmp_path):
    text = VALID.replace("to: chat", "to: app")
    assert _scenarios(tmp_path, text).channel_shift[0].to_channel == "app"  # no channels: not checked
    (problem,) = _problems(tmp_path, text, channels=["phone", "chat"])
    assert (problem.row, problem.column, problem.value) == (5, "channel_shift[0].to", "app")
    assert problem.expected == "a channel id of client.yaml: phone, chat"
    assert _scenarios(tmp_path, VALID, reasons=None).channel_shift[0].reason == "var är min faktura"
    (problem,) = _problems(tmp_path, VALID, reasons=set())
    assert (problem.row, problem.value) == (6, "var är min faktura")


def test_share_bounds(tmp_path):
    for share in ("0", "-0.1", "1.01", "30", "'30 %'"):
        (problem,) = _problems(tmp_path, VALID.replace("share: 1\n", f"share: {share}\n"))
        assert (problem.row, problem.column) == (13, "channel_shift[1].share"), share
        assert problem.expected == "a share of the contacts above 0 and at most 1, e.g. 0.3 for 30 %"
    assert _scenarios(tmp_path, VALID.replace("share: 1\n", "share: 0.001\n")).channel_shift[1].share == 0.001


# --- in a workspace ------------------------------------------------------------------


def test_workspace_loads_scenarios_and_fingerprints_them(tmp_path):
    root = workspace(tmp_path / "ws", {"feedback.csv": FEEDBACK, "contacts.csv": CONTACTS, "scenarios.yaml": VALID},
                     config=CONFIG_WITH_IT)
    ws = load_workspace(root)
    assert [s.id for s in ws.scenarios.channel_shift] == ["invoice-to-chat", "all-chat-to-phone"]
    assert ws.scenarios.channel_shift[0].reason == "var är min faktura"
    assert ws.files["scenarios.yaml"] == root.resolve() / "scenarios.yaml"
    assert ws.fingerprint["scenarios.yaml"] == sha256(root / "scenarios.yaml")
    (root / "scenarios.yaml").write_text(VALID.replace("0.30", "0.40"), encoding="utf-8")
    assert load_workspace(root).fingerprint["scenarios.yaml"] != ws.fingerprint["scenarios.yaml"]


def test_workspace_without_scenarios(tmp_path):
    ws = load_workspace(workspace(tmp_path / "ws", {"feedback.csv": FEEDBACK}))
    assert ws.scenarios == Scenarios()
    assert "scenarios.yaml" not in ws.files and "scenarios.yaml" not in ws.fingerprint
    empty = load_workspace(workspace(tmp_path / "empty", {"feedback.csv": FEEDBACK, "scenarios.yaml": ""}))
    assert empty.scenarios.channel_shift == ()
    assert "scenarios.yaml" in empty.fingerprint  # present, so a later edit invalidates saved results


def test_workspace_checks_scenarios_against_client_yaml_and_contacts(tmp_path):
    text = VALID.replace("to: chat", "to: app")
    root = workspace(tmp_path / "ws", {"feedback.csv": FEEDBACK, "contacts.csv": CONTACTS.replace("var är min faktura",
                                                                                                   "faktura"),
                                       "scenarios.yaml": text}, config=CONFIG_YAML)
    problems = validate_workspace(root)
    assert {(p.file, p.row, p.column, p.value) for p in problems} == {
        ("scenarios.yaml", 5, "channel_shift[0].to", "app"),
        ("scenarios.yaml", 6, "channel_shift[0].reason", "var är min faktura"),
        ("scenarios.yaml", 8, "channel_shift[0].owner", "it"),  # CONFIG_YAML has no department it
    }
    with pytest.raises(InputError) as info:
        load_workspace(root)
    assert info.value.problems == problems


def test_reason_unchecked_without_contacts_table(tmp_path):
    root = workspace(tmp_path / "ws", {"feedback.csv": FEEDBACK, "scenarios.yaml": VALID}, config=CONFIG_WITH_IT)
    assert load_workspace(root).scenarios.channel_shift[0].reason == "var är min faktura"


# --- the staffing table ----------------------------------------------------------------


@pytest.mark.parametrize("cell", ["08:30", "8:30", "08:30:00", " 08:30 "])
def test_interval_start_text_in_minutes(tmp_path, cell):
    frame, problems = validate_table(raw(tmp_path, STAFFING_HEAD + f"phone;mon;{cell};3\n", "staffing.csv"),
                                     SPECS["staffing"], CONFIG)
    assert problems == []
    assert frame["interval_start"].tolist() == [510]
    assert str(frame["interval_start"].dtype) == "Int64"


def test_interval_start_excel_time_cell_in_minutes(tmp_path):
    pd.DataFrame({"channel": ["phone", "chat"], "weekday": ["Mon", "sun"],
                  "interval_start": [dt.time(8, 30), dt.time(0, 0)], "agents": [3, 1.5]}
                 ).to_excel(tmp_path / "staffing.xlsx", index=False)
    frame, problems = validate_table(read_raw(tmp_path / "staffing.xlsx"), SPECS["staffing"], CONFIG)
    assert problems == []
    assert frame["interval_start"].tolist() == [510, 0]
    assert frame["weekday"].tolist() == ["mon", "sun"]
    assert frame["agents"].tolist() == [3.0, 1.5]


def test_excel_time_cell_off_grid_is_refused(tmp_path):
    pd.DataFrame({"channel": ["phone"], "weekday": ["mon"], "interval_start": [dt.time(8, 30, 30)], "agents": [3]}
                 ).to_excel(tmp_path / "staffing.xlsx", index=False)
    _, problems = validate_table(read_raw(tmp_path / "staffing.xlsx"), SPECS["staffing"], CONFIG)
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "interval_start", "08:30:30")]


@pytest.mark.parametrize("cell", ["08:15", "24:00", "08:60", "8.30", "0830", "8", "08:30:30", "half past eight"])
def test_interval_start_refused_on_30_minute_grid(tmp_path, cell):
    _, problems = validate_table(raw(tmp_path, STAFFING_HEAD + f"phone;mon;{cell};3\n", "staffing.csv"),
                                 SPECS["staffing"], CONFIG)
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "interval_start", cell)]
    assert "starts a 30-minute interval (client.yaml staffing_interval_min), such as 08:00 or 08:30" in (
        problems[0].expected)


def test_15_minute_grid_accepts_quarter_hours(tmp_path):
    staffing = STAFFING_HEAD + "phone;mon;08:15;3\nphone;mon;08:45;2\nphone;mon;23:45;1\n"
    root = workspace(tmp_path / "ws", {"feedback.csv": FEEDBACK, "staffing.csv": staffing},
                     config="staffing_interval_min: 15\n" + CONFIG_YAML)
    ws = load_workspace(root)
    assert ws.config.staffing_interval_min == 15
    assert ws.table("staffing")["interval_start"].tolist() == [495, 525, 1425]
    off = workspace(tmp_path / "off", {"feedback.csv": FEEDBACK, "staffing.csv": staffing.replace("08:45", "08:40")},
                    config="staffing_interval_min: 15\n" + CONFIG_YAML)
    (problem,) = validate_workspace(off)
    assert (problem.file, problem.row, problem.value) == ("staffing.csv", 3, "08:40")
    assert "15-minute interval" in problem.expected and "08:00 or 08:15" in problem.expected


def test_60_minute_grid_refuses_half_hours(tmp_path):
    root = workspace(tmp_path / "ws", {"feedback.csv": FEEDBACK,
                                       "staffing.csv": STAFFING_HEAD + "phone;mon;08:00;3\nphone;mon;08:30;3\n"},
                     config="staffing_interval_min: 60\n" + CONFIG_YAML)
    (problem,) = validate_workspace(root)
    assert (problem.row, problem.value) == (3, "08:30")
    assert "60-minute interval" in problem.expected and "08:00 or 09:00" in problem.expected


def test_staffing_loaded_in_workspace(tmp_path):
    staffing = STAFFING_HEAD + "phone;Mon;08:00;3\nphone;mon;8:30;2,5\nchat;sun;23:30;0\n"
    ws = load_workspace(workspace(tmp_path / "ws", {"feedback.csv": FEEDBACK, "staffing.csv": staffing}))
    table = ws.table("staffing")
    assert table.to_dict("list") == {"channel": ["phone", "phone", "chat"], "weekday": ["mon", "mon", "sun"],
                                     "interval_start": [480, 510, 1410], "agents": [3.0, 2.5, 0.0]}
    assert "staffing.csv" in ws.fingerprint


def test_same_interval_written_differently_is_a_duplicate(tmp_path):
    staffing = STAFFING_HEAD + "phone;mon;08:30;3\nphone;MON;8:30:00;2\n"
    _, problems = validate_table(raw(tmp_path, staffing, "staffing.csv"), SPECS["staffing"], CONFIG)
    assert [(p.row, p.value) for p in problems] == [(3, "phone, MON, 8:30:00")]
    assert problems[0].expected == "a unique (channel, weekday, interval_start) combination (also used on row 2)"


def test_demand_eliminations_name_one_reason_or_one_root_cause(tmp_path):
    text = """demand_elimination:
  - id: notice
    name: Tell customers the invoice is sent
    reason: var är min faktura
    share: 0.5
    owner: it
  - id: meters
    name: Read every meter remotely
    root_cause: old meters
    share: 1
"""
    first, second = _scenarios(tmp_path, text, reasons={"var är min faktura"}, departments=["it"]).demand_elimination
    assert (first.id, first.reason, first.root_cause, first.share, first.owner) == (
        "notice", "var är min faktura", None, 0.5, "it")
    assert (second.reason, second.root_cause, second.share) == (None, "old meters", 1.0)
    bad = text.replace("    root_cause: old meters\n", "").replace("reason: var är min faktura", "reason: okänd")
    found = {p.column: (p.row, p.value, p.expected) for p in _problems(tmp_path, bad, reasons={"var är min faktura"},
                                                                        departments=["it"])}
    assert found["demand_elimination[0].reason"][:2] == (4, "okänd")
    assert found["demand_elimination[1].reason"][2] == "either a reason or a root_cause (one of them)"
