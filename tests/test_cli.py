"""The command line as a user meets it: plain messages, exit codes, no tracebacks."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, SAMPLE
from cxlib import synth
from cxlib.errors import CxError, InputError, Problem
from cxlib.runner import StepOutcome
from cxlib.steps import REGISTRY

CXWB = str(Path(sys.executable).parent / "cxwb")
MALFORMED = sorted(p for p in (Path(__file__).parent / "io" / "malformed").iterdir() if p.is_dir())
MARKUP = "[/x] [link=https://evil.example]x[/link] [bold]b :smile:"
"""Text that Rich would read as markup (a closing tag that crashes, a hyperlink, an emoji code)."""
WIDE = {**os.environ, "COLUMNS": "400"}
"""Environment in which Rich wraps nothing, so that paths and values can be found whole."""


def cxwb(*args, cwd=None, timeout=300):
    return subprocess.run([CXWB, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          env=WIDE)


def tiny_workspace(folder: Path, name: str = "Tiny AB", channel: str = "phone", comment: str = "ok") -> Path:
    """A valid minimal client workspace (two feedback rows) with the given name, channel and comment."""
    folder.mkdir(parents=True)
    (folder / "client.yaml").write_text(
        f"name: '{name}'\nchannels:\n  - {{id: phone, name: Phone, kind: queue}}\n"
        "departments:\n  - {id: cs, name: Customer service}\n", encoding="utf-8")
    (folder / "feedback.csv").write_text(
        f"response_id;date;channel;nps;comment\nr1;2025-03-01;phone;9;bra\nr2;2025-03-02;{channel};3;{comment}\n",
        encoding="utf-8")
    return folder


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
    r = cxwb("run", SAMPLE, "--export", "pdf,docx", "--out", tmp_path / "x")
    assert r.returncode == 1 and "--export takes pdf, pptx, xlsx (comma-separated), not docx" in r.stderr
    assert not (tmp_path / "x").exists()
    r = cxwb("validate", tmp_path / "nowhere")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    r = cxwb("frobnicate")
    assert r.returncode == 2 and "No such command" in r.stderr


def test_an_export_that_was_not_written_fails_the_command(tmp_path, cxwb_here, monkeypatch):
    def run_with_exports(client_dir, out_dir, *, exports, on_step, on_export, **options):
        assert exports == ["pdf", "xlsx"]  # the order of EXPORTS, whatever the order asked
        failed = {"file": "report.pdf", "status": "failed", "seconds": 0.1, "sha256": None,
                  "error": f"The PDF needs Chromium {MARKUP}"}
        on_export("pdf", failed)
        return {"parameters": {"out_dir": str(out_dir)}, "seconds": 1.0, "ok": True, "steps": {},
                "exports": {"pdf": failed}}

    monkeypatch.setattr("cxlib.runner.run", run_with_exports)
    code, output = cxwb_here("run", tmp_path, "--out", tmp_path / "out", "--export", "xlsx, pdf")
    assert code == 1 and f"failed report.pdf (0.1 s) – The PDF needs Chromium {MARKUP}" in output
    assert "Not written: report.pdf; the lines above say why." in output


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
def test_papermill_call_of_the_readme_from_the_repository_root(tmp_path):
    out = tmp_path / "out.ipynb"
    r = subprocess.run([str(Path(sys.executable).parent / "papermill"), "--engine", "cxwb",
                        "notebooks/01_current_state.ipynb", str(out),
                        "-p", "client_dir", "data/sample", "-p", "out_dir", str(tmp_path / "rep")],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "rep" / "results" / "01_current_state.json").is_file()
    assert "Unable to parse" not in r.stderr


@pytest.mark.parametrize("case", MALFORMED, ids=[c.name for c in MALFORMED])
def test_every_malformed_case_is_a_plain_message(case, cxwb_here):
    code, output = cxwb_here("validate", case)
    assert code == 1, output
    assert "Traceback" not in output and ("problem(s) found" in output or "Error:" in output), output


def test_markup_in_a_valid_workspace_is_printed_literally(tmp_path):
    client = tiny_workspace(tmp_path / "client", name=f"Evil {MARKUP}", comment=MARKUP)
    r = cxwb("validate", client, timeout=120)
    assert r.returncode == 0, r.stderr
    assert f"OK Evil {MARKUP}: feedback (2 rows)" in r.stdout and "\x1b]8" not in r.stdout


def test_markup_in_a_cell_and_an_expected_text_is_printed_literally(tmp_path, cxwb_here, monkeypatch):
    client = tiny_workspace(tmp_path / "client", channel=MARKUP)
    code, output = cxwb_here("validate", client)
    assert code == 1 and f"│ {MARKUP} " in output
    hint = "stems: {sv: [word, …]}"

    def fail(folder):
        raise InputError([Problem("themes.yaml", None, None, "[/x]", hint)])

    monkeypatch.setattr("cxlib.io.workspace.load_workspace", fail)
    code, output = cxwb_here("validate", client)
    assert code == 1 and hint in output and "[/x]" in output


def test_error_messages_and_step_errors_are_printed_literally(tmp_path, cxwb_here, monkeypatch):
    def failing_run(client_dir, out_dir, *, on_step, **options):
        on_step("01_current_state", None)
        on_step("01_current_state", StepOutcome("failed", 1.0, error=f"cell 3: ValueError: {MARKUP}"))
        return {"parameters": {"out_dir": str(out_dir)}, "seconds": 1.0, "ok": False,
                "steps": {"01_current_state": {"status": "failed"}}}

    monkeypatch.setattr("cxlib.runner.run", failing_run)
    code, output = cxwb_here("run", tmp_path, "--out", tmp_path / MARKUP, "--steps", "01")
    assert code == 1 and f"ValueError: {MARKUP}" in output and f"{tmp_path / MARKUP}" in output
    assert "Not complete: 01_current_state did not finish" in output
    code, output = cxwb_here("run", tmp_path, "--lang", MARKUP)
    assert code == 1 and f"Error: --lang must be sv, en or nb, not '{MARKUP}'" in output


def test_new_and_synth_refuse_files_and_foreign_folders(tmp_path, cxwb_here):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("a client's notes", encoding="utf-8")
    for args in (("new", a_file), ("synth", a_file), ("new", a_file / "acme"), ("synth", a_file / "acme")):
        code, output = cxwb_here(*args)
        assert code == 1 and "Error:" in output and str(args[1]) in output and "Traceback" not in output, output
    client = tiny_workspace(tmp_path / "client")
    before = {p.name: p.read_bytes() for p in client.iterdir()}
    code, output = cxwb_here("synth", client, "--scale", "0.001")
    assert code == 1 and "not empty and not an earlier synth output" in output
    assert {p.name: p.read_bytes() for p in client.iterdir()} == before
    assert a_file.read_text(encoding="utf-8") == "a client's notes"
    with pytest.raises(CxError, match="is a file"):
        synth.generate(a_file)


def test_synth_replaces_its_own_earlier_output(tmp_path, cxwb_here):
    target = tmp_path / "small"
    for _ in range(2):
        code, output = cxwb_here("synth", target, "--scale", "0.005")
        assert code == 0, output


def existing_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text("an earlier report", encoding="utf-8")
    return path


def under_a_file(tmp_path: Path) -> Path:
    return existing_file(tmp_path) / "out"


def in_a_read_only_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder / "out"


OUT_CASES = [existing_file, under_a_file, pytest.param(
    in_a_read_only_folder, marks=pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders"))]


@pytest.mark.parametrize("make_out", OUT_CASES)
def test_run_out_that_cannot_be_a_report_folder(tmp_path, make_out):
    client = tiny_workspace(tmp_path / "client")
    out = make_out(tmp_path)
    existed = out.exists()
    r = cxwb("run", client, "--out", out, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert str(out) in r.stderr
    assert out.exists() == existed and (not existed or out.is_file())


def test_validate_says_how_many_rows_per_table_fall_outside_the_period(tmp_path, cxwb_here):
    client = tiny_workspace(tmp_path / "client")
    with (client / "client.yaml").open("a", encoding="utf-8") as fh:
        fh.write("period: {start: 2025-03-02, end: 2025-12-31}\n")
    code, output = cxwb_here("validate", client)
    assert code == 0, output
    assert "1 of 2 feedback rows fall outside the period 2025-03-02 – 2025-12-31" in output


def test_notebooks_are_written_in_one_language_once_and_replaced_only_when_asked(tmp_path, cxwb_here, sample_copy):
    target = tmp_path / "workshop"
    code, output = cxwb_here("notebooks", target, "--client", sample_copy)
    assert code == 0 and f"Wrote {len(REGISTRY)} notebooks in sv to {target}" in output
    shipped = sorted((ROOT / "notebooks").glob("*.ipynb"))
    for source in shipped:
        original, copy = (nbformat.read(p, as_version=4) for p in (source, target / source.name))
        tags = [t for c in copy.cells for t in c.metadata.get("tags", [])]
        assert "lang-en" not in tags and "lang-nb" not in tags
        assert tags.count("lang-sv") == [t for c in original.cells for t in c.metadata.get("tags", [])].count("lang-sv")
        parameters = [c for c in copy.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(parameters) == 1 and 'lang: str = "sv"' in parameters[0].source
        assert f'client_dir: str = "{sample_copy.resolve()}"' in parameters[0].source
        def code_of(nb):
            return [c.source for c in nb.cells
                    if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
        assert code_of(copy) == code_of(original)
    (target / shipped[0].name).write_text("the workshop's own edits")
    code, output = cxwb_here("notebooks", target, "--lang", "en")
    assert code == 1 and f"already holds {shipped[0].name}" in output and "nothing was written" in output
    assert (target / shipped[0].name).read_text() == "the workshop's own edits"
    code, _ = cxwb_here("notebooks", target, "--lang", "en", "--force")
    english = nbformat.read(target / shipped[0].name, as_version=4)
    assert code == 0 and 'client_dir: str = "data/sample"' in english.cells[
        ["parameters" in c.metadata.get("tags", []) for c in english.cells].index(True)].source
    assert {t for c in english.cells for t in c.metadata.get("tags", []) if t.startswith("lang-")} == {"lang-en"}


def test_notebooks_need_a_language(tmp_path, cxwb_here):
    code, output = cxwb_here("notebooks", tmp_path / "nb")
    assert code == 1 and "Give --client" in output and not (tmp_path / "nb").exists()
    code, output = cxwb_here("notebooks", tmp_path / "nb", "--lang", "de")
    assert code == 1 and "--lang must be sv, en or nb, not 'de'" in output and not (tmp_path / "nb").exists()
