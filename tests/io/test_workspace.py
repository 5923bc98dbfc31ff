"""cxlib.io.workspace: loading a whole client workspace, finding it, reporting all problems."""

from __future__ import annotations

import pandas as pd
import pytest
from _helpers_io import CONFIG_YAML, workspace

from cxlib.errors import CxError, InputError, MissingTable
from cxlib.io.workspace import Workspace, find_workspace, in_period, keep_rows, load_workspace, validate_workspace

FEEDBACK = "response_id;date;channel;nps\nr1;2025-03-01;phone;9\nr2;2.3.2025;chat;6\n"
CONTACTS = "contact_id,opened_at,channel,reason\nc1,2025-03-01 10:00,phone,billing\n"


def test_load_workspace(tmp_path):
    root = workspace(tmp_path / "acme", {"feedback.csv": FEEDBACK, "contacts.csv": CONTACTS, "notes.txt": "ignored"})
    ws = load_workspace(root)
    assert isinstance(ws, Workspace)
    assert ws.root == root.resolve()
    assert ws.config.name == "Test client"
    assert set(ws.tables) == {"feedback", "contacts"}
    assert set(ws.files) == {"client.yaml", "feedback", "contacts"}
    assert ws.has("contacts") and not ws.has("journeys")
    assert ws.table("feedback")["date"].tolist() == [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-02")]
    assert validate_workspace(root) == []


def test_missing_table_says_which_file_to_add(tmp_path):
    ws = load_workspace(workspace(tmp_path, {"feedback.csv": FEEDBACK}))
    with pytest.raises(MissingTable, match=r"add journeys\.csv \(or \.txt, \.xlsx, \.parquet\)"):
        ws.table("journeys")
    with pytest.raises(MissingTable, match="known tables: feedback, contacts"):
        ws.table("sales")
    assert issubclass(MissingTable, CxError)


def test_all_problems_of_all_files_collected(tmp_path):
    root = workspace(
        tmp_path,
        {
            "feedback.csv": FEEDBACK.replace(";9\n", ";99\n"),
            "contacts.csv": CONTACTS.replace("2025-03-01 10:00", "soon"),
        },
        config=CONFIG_YAML + "colour: blue\n",
    )
    found = validate_workspace(root)
    assert [p.file for p in found] == ["client.yaml", "feedback.csv", "contacts.csv"]
    with pytest.raises(InputError) as info:
        load_workspace(root)
    assert info.value.problems == found
    assert "(and 2 more problems)" in str(info.value)


def test_channels_not_checked_when_client_yaml_is_broken(tmp_path):
    root = workspace(tmp_path, {"feedback.csv": FEEDBACK.replace("phone", "fax")}, config="name: [unclosed\n")
    assert [p.file for p in validate_workspace(root)] == ["client.yaml"]


def test_missing_folder_client_yaml_and_feedback(tmp_path):
    assert "no such folder" in str(validate_workspace(tmp_path / "nope")[0])
    found = validate_workspace(workspace(tmp_path / "empty", {}, config=None))
    assert [p.file for p in found] == ["client.yaml", "feedback.csv"]


def test_find_workspace_searches_parent_folders(tmp_path, monkeypatch):
    root = workspace(tmp_path / "repo" / "data" / "sample", {"feedback.csv": FEEDBACK})
    notebooks = tmp_path / "repo" / "notebooks" / "deep"
    notebooks.mkdir(parents=True)
    monkeypatch.chdir(notebooks)
    assert find_workspace("data/sample") == root.resolve()
    assert find_workspace(str(root)) == root
    with pytest.raises(CxError, match="'data/other' not found in .*deep or any folder above it"):
        find_workspace("data/other")
    with pytest.raises(CxError, match="does not exist"):
        find_workspace(str(tmp_path / "absent"))


def test_in_period_keeps_rows_from_start_to_end_and_never_aliases():
    frame = pd.DataFrame({"at": pd.to_datetime(["2025-01-01 00:00", "2025-01-31 23:59", "2025-02-01 00:00"]),
                          "x": [1, 2, 3]})
    assert in_period(frame, "at", "2025-01-01", "2025-01-31")["x"].tolist() == [1, 2]  # the end day inclusive
    whole = in_period(frame, "at", "2025-01-01", "2025-02-01")
    assert whole["x"].tolist() == [1, 2, 3] and whole is not frame
    whole.loc[0, "x"] = 99  # a frame kept whole is a copy to its users: the table itself is untouched
    assert frame.loc[0, "x"] == 1
    assert keep_rows(frame, [True, False, True])["x"].tolist() == [1, 3]
