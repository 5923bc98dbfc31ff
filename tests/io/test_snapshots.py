"""Table snapshots: a step reads the typed tables a run already validated, never stale ones."""

import pandas as pd
import pytest

from cxlib.errors import InputError
from cxlib.io.snapshots import TableSnapshots
from cxlib.io.workspace import load_workspace


def _snapshots(folder):
    return sorted(p.name for p in folder.glob("*.arrow"))


def test_a_snapshot_gives_the_same_typed_tables(sample_copy, tmp_path):
    fresh = load_workspace(sample_copy)
    load_workspace(sample_copy, snapshot_dir=tmp_path)
    assert len(_snapshots(tmp_path)) == len(fresh.tables) == 8
    again = load_workspace(sample_copy, snapshot_dir=tmp_path)
    for name, frame in fresh.tables.items():
        pd.testing.assert_frame_equal(again.tables[name], frame, check_exact=True)
        assert again.tables[name].dtypes.to_dict() == frame.dtypes.to_dict()
    assert again.fingerprint == fresh.fingerprint


def test_an_edited_export_is_read_again(sample_copy, tmp_path):
    load_workspace(sample_copy, snapshot_dir=tmp_path)
    path = sample_copy / "feedback.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(";")
    assert lines[0].split(";")[4] == "nps"
    cells[4] = "0" if cells[4] != "0" else "10"
    lines[1] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    again = load_workspace(sample_copy, snapshot_dir=tmp_path)
    assert again.tables["feedback"]["nps"].iloc[0] == int(cells[4])
    assert len(_snapshots(tmp_path)) == 9, "a snapshot of the edited export beside the old one"


def test_an_edited_client_yaml_invalidates_every_snapshot(sample_copy, tmp_path):
    load_workspace(sample_copy, snapshot_dir=tmp_path)
    before = _snapshots(tmp_path)
    config = sample_copy / "client.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# a comment changes the file\n", encoding="utf-8")
    load_workspace(sample_copy, snapshot_dir=tmp_path)
    assert len(set(_snapshots(tmp_path)) - set(before)) == len(before) == 8, "every table kept anew"


def test_a_damaged_snapshot_is_ignored(sample_copy, tmp_path):
    fresh = load_workspace(sample_copy, snapshot_dir=tmp_path)
    for path in tmp_path.glob("feedback-*.arrow"):
        path.write_bytes(b"not arrow")
    again = load_workspace(sample_copy, snapshot_dir=tmp_path)
    pd.testing.assert_frame_equal(again.tables["feedback"], fresh.tables["feedback"])


def test_a_table_with_problems_is_never_kept(sample_copy, tmp_path):
    path = sample_copy / "feedback.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[3].split(";")
    cells[4] = "11"  # nps
    lines[3] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    with pytest.raises(InputError):
        load_workspace(sample_copy, snapshot_dir=tmp_path)
    assert not any(name.startswith("feedback-") for name in _snapshots(tmp_path))


def test_a_folder_that_cannot_be_written_keeps_nothing_and_loads(sample_copy, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    ws = load_workspace(sample_copy, snapshot_dir=blocked / "tables")
    assert len(ws.tables) == 8
    TableSnapshots(blocked / "tables", sample_copy / "client.yaml").write("maturity", sample_copy / "maturity.csv",
                                                                          ws.tables["maturity"])
