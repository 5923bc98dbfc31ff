"""The command line as a user meets it: plain messages, exit codes, no tracebacks."""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

CXWB = str(Path(sys.executable).parent / "cxwb")


def cxwb(*args, cwd=None):
    return subprocess.run([CXWB, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


def break_feedback(client: Path):
    """Row 3: an nps of 12; row 5: a date that is no date."""
    path = client / "feedback.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    for row, col, bad in ((3, 4, "12"), (5, 1, "31.13.2025")):
        cells = lines[row - 1].split(";")
        cells[col] = bad
        lines[row - 1] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def test_validate_sample_ok():
    r = cxwb("validate", SAMPLE)
    assert r.returncode == 0 and "Norrsken Energi AB" in r.stdout and "feedback (6,200 rows)" in r.stdout


def test_validate_lists_every_problem_without_traceback(sample_copy):
    break_feedback(sample_copy)
    r = cxwb("validate", sample_copy)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    text = " ".join(r.stderr.split())
    assert "2 problem(s) found" in text
    for part in ("feedback.csv", "nps", "12", "31.13.2025", "date", "Nothing was written"):
        assert part in text, part
    assert "│ 3 " in r.stderr and "│ 5 " in r.stderr


def test_run_on_broken_workspace_writes_nothing(sample_copy, tmp_path):
    break_feedback(sample_copy)
    r = cxwb("run", sample_copy, "--out", tmp_path / "out")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback(sample_copy):
    break_feedback(sample_copy)
    r = cxwb("--debug", "validate", sample_copy)
    assert r.returncode != 0 and "Traceback" in r.stderr and "InputError" in r.stderr


def test_bad_options_are_plain_errors(tmp_path):
    r = cxwb("run", SAMPLE, "--lang", "de", "--out", tmp_path / "x")
    assert r.returncode == 1 and "--lang must be sv, en or nb" in r.stderr and "Traceback" not in r.stderr
    r = cxwb("run", SAMPLE, "--steps", "09", "--out", tmp_path / "x")
    assert r.returncode == 1 and "Unknown or ambiguous step '09'" in r.stderr
    r = cxwb("validate", tmp_path / "nowhere")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    r = cxwb("frobnicate")
    assert r.returncode == 2 and "No such command" in r.stderr


def test_new_scaffolds_a_commented_workspace(tmp_path):
    target = tmp_path / "acme"
    r = cxwb("new", target)
    assert r.returncode == 0, r.stderr
    config = (target / "client.yaml").read_text()
    assert config.count("#") > 20
    assert (target / "feedback.csv").read_text().startswith("response_id;date;channel;touchpoint;nps")
    from cxlib.config import load_config

    assert load_config(target / "client.yaml").name == "Example AB"
    r = cxwb("new", target)
    assert r.returncode == 1 and "not empty" in r.stderr and "Traceback" not in r.stderr


def test_synth_writes_a_valid_small_workspace(tmp_path):
    r = cxwb("synth", tmp_path / "small", "--scale", "0.02")
    assert r.returncode == 0, r.stderr
    assert cxwb("validate", tmp_path / "small").returncode == 0


@pytest.mark.slow
def test_plain_papermill_call_from_the_repository_root(tmp_path):
    out = tmp_path / "out.ipynb"
    r = subprocess.run([str(Path(sys.executable).parent / "papermill"), "notebooks/01_current_state.ipynb", str(out),
                        "-p", "client_dir", "data/sample", "-p", "out_dir", str(tmp_path / "rep")],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "rep" / "results" / "01_current_state.json").is_file()
    assert "Unable to parse" not in r.stderr
