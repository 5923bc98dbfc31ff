"""The runner under faults: real-size (multi-chunk) inputs, another client's folder, a killed kernel,
a kernel that does not start, Ctrl-C, a stalled cell, a second run into the same folder, a killed runner."""

from __future__ import annotations

import json
import os
import signal
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import SAMPLE
from cxlib.steps import REGISTRY
from cxlib import kernels, runner
from cxlib.errors import CxError
from cxlib.files import FolderBusy
from cxlib.results import ForeignReport
from cxlib.io.workspace import load_workspace

pytestmark = pytest.mark.slow


def _bigger_feedback(sample_copy, copies: int = 2) -> pd.DataFrame:
    """The sample's feedback ``copies`` times over, with new response ids (12,400 rows for 2)."""
    feedback = pd.read_csv(sample_copy / "feedback.csv", sep=";", dtype=str, keep_default_na=False,
                           encoding="utf-8-sig")
    parts = [feedback.assign(response_id=feedback["response_id"] + f"-{k}") for k in range(copies)]
    return pd.concat(parts, ignore_index=True)


def _comments_are_chunked(client) -> bool:
    return isinstance(pa.array(load_workspace(client).table("feedback")["comment"], from_pandas=True), pa.ChunkedArray)


@pytest.mark.parametrize("layout", ["csv over 1 MiB", "parquet with row groups"])
def test_every_step_runs_on_multi_chunk_inputs(sample_copy, tmp_path, layout):
    big = _bigger_feedback(sample_copy)
    (sample_copy / "feedback.csv").unlink()
    if layout == "csv over 1 MiB":
        big.to_csv(sample_copy / "feedback.csv", sep=";", index=False, encoding="utf-8-sig")
        assert (sample_copy / "feedback.csv").stat().st_size > 1 << 20
    else:
        table = pa.Table.from_pandas(big.replace("", None), preserve_index=False)
        pq.write_table(table, sample_copy / "feedback.parquet", row_group_size=1000)
        assert pq.ParquetFile(sample_copy / "feedback.parquet").num_row_groups > 1
        contacts = pq.read_table(sample_copy / "contacts.parquet")
        pq.write_table(contacts, sample_copy / "contacts.parquet", row_group_size=5000)
    assert _comments_are_chunked(sample_copy), "the test must feed chunked Arrow data"
    manifest = runner.run(sample_copy, tmp_path / "out")
    assert manifest["ok"], {s: i["error"] for s, i in manifest["steps"].items() if i["error"]}
    callbacks = pd.read_csv(tmp_path / "out" / "loop" / "callbacks.csv", sep=";", dtype=str)
    assert len(callbacks) > 0 and callbacks.iloc[:, 1].str.endswith(("-0", "-1")).all()


def test_a_folder_with_another_clients_report_is_refused_untouched(report, sample_copy):
    _, out, _ = report
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    with pytest.raises(ForeignReport, match="holds the report of another client"):
        runner.run(sample_copy, out, steps=["02"])
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_out_that_is_a_file_is_refused(sample_copy, tmp_path):
    target = tmp_path / "report.html"
    target.write_text("not a folder")
    with pytest.raises(CxError, match="is a file"):
        runner.run(sample_copy, target)


def _notebooks_with(tmp_path, monkeypatch, code: str, step: str = "01_current_state", others: str = "") -> str:
    """The step notebooks, with ``code`` as a new cell in ``step`` after its first computations (and ``others``,
    when given, in every other step); returns the label the runner gives that cell (``cell N (first line)``)."""
    notebooks = tmp_path / "notebooks"
    shutil.copytree(runner.NOTEBOOKS, notebooks)
    for name in REGISTRY:
        if name == step or others:
            nb = nbformat.read(notebooks / f"{name}.ipynb", as_version=4)
            nb.cells.insert(4, nbformat.v4.new_code_cell(code if name == step else others))
            nbformat.write(nb, notebooks / f"{name}.ipynb")
    monkeypatch.setattr(runner, "NOTEBOOKS", notebooks)
    number = sum(c.cell_type == "code" for c in nb.cells[:5]) + 1  # + papermill's injected-parameters cell
    return f"cell {number} ({code.splitlines()[0]})"


def _when_file_appears(path: Path, then, limit_s: float = 120) -> threading.Thread:
    """Call ``then(path)`` in a thread as soon as ``path`` exists (at most ``limit_s`` seconds on)."""
    def watch():
        deadline = time.monotonic() + limit_s
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if path.exists():
            then(path)
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_a_kernel_killed_mid_step_fails_that_step_only(sample_copy, tmp_path, monkeypatch, cxwb_here):
    marker = tmp_path / "kernel.pid"
    cell = _notebooks_with(tmp_path, monkeypatch, f"import os, pathlib, time\npathlib.Path({str(marker)!r})"
                           f".write_text(str(os.getpid()))\ntime.sleep(300)", step="03_insight")
    _when_file_appears(marker, lambda p: (time.sleep(0.2), os.kill(int(p.read_text()), signal.SIGKILL)))
    code, output = cxwb_here("run", sample_copy, "--out", tmp_path / "out")
    assert code == 1 and "Not complete: 03_insight, 07_prioritisation, 08_roadmap_report did not finish" in output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    steps = manifest["steps"]
    readers = {name for name, spec in REGISTRY.items() if "03_insight" in spec.reads}
    assert readers == {"07_prioritisation", "08_roadmap_report"}
    assert {s: steps[s]["status"] for s in steps} == {**dict.fromkeys(REGISTRY, "ok"), "03_insight": "failed",
                                                      **dict.fromkeys(readers, "skipped")}
    for reader in readers:
        assert steps[reader]["error"].startswith("needs ") and "03_insight" in steps[reader]["error"]
    assert steps["03_insight"]["error"] == f"03_insight.ipynb, {cell}: kernel died"
    assert steps["03_insight"]["retried"] is None, "a dead kernel is not retried"
    assert manifest["complete"] and not manifest["ok"] and manifest["finished"]
    assert ((tmp_path / "out" / "01_current_state.html").is_file()
            and (tmp_path / "out" / "02_desired_state.html").is_file())
    nb = nbformat.read(tmp_path / "out" / "03_insight.ipynb", as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    statuses = [c.metadata.papermill["status"] for c in code_cells]
    killed = next(i for i, c in enumerate(code_cells) if "SIGKILL" not in c.source and "kernel.pid" in c.source)
    assert statuses[killed] == "failed" and set(statuses[killed + 1:]) == {"pending"}
    assert set(statuses[:killed]) == {"completed"}
    assert "kernel died" in (tmp_path / "out" / "index.html").read_text()


def test_a_kernel_that_does_not_start_gets_one_more_try_on_record(sample_copy, tmp_path, monkeypatch):
    tries = []

    def first_start_fails(*args, **kwargs):
        tries.append(1)
        if len(tries) == 1:
            raise kernels.KernelStartError("The kernel did not start: RuntimeError: address already in use")
        return start(*args, **kwargs)

    start = kernels.start_kernel
    monkeypatch.setattr(kernels, "start_kernel", first_start_fails)
    manifest = runner.run(sample_copy, tmp_path / "out", steps=["01"])
    step = manifest["steps"]["01_current_state"]
    assert step["status"] == "ok" and manifest["ok"]
    assert step["retried"] == "01_current_state.ipynb: The kernel did not start: RuntimeError: address already in use"
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["steps"]["01_current_state"] == step


def test_a_step_running_at_ctrl_c_is_interrupted_however_its_kernel_ended(monkeypatch):
    from concurrent.futures import Future

    from cxlib.runner import StepOutcome, stop_running_steps

    signalled = []
    monkeypatch.setattr(runner, "signal_kernels", lambda stop=False: signalled.append(stop))

    ended = {name: Future() for name in ("cell", "dead", "done")}
    ended["cell"].set_result(StepOutcome("interrupted", error="KeyboardInterrupt"))
    ended["dead"].set_result(StepOutcome("failed", error="03_insight.ipynb, cell 2 (x): kernel died"))
    ended["done"].set_result(StepOutcome("ok"))
    outcomes = {}
    stop_running_steps({future: name for name, future in ended.items()}, outcomes, grace=5)
    assert {name: o.status for name, o in outcomes.items()} == {"cell": "interrupted", "dead": "interrupted",
                                                                 "done": "ok"}
    assert outcomes["dead"].error.endswith("kernel died"), "what happened is kept"
    assert signalled[-1] is True, "kernels still running after the grace are stopped"


def test_ctrl_c_interrupts_the_kernels_and_writes_an_interrupted_manifest(sample_copy, tmp_path, monkeypatch):
    marker = tmp_path / "sleeping"
    # Ctrl-C when step 01 sleeps; the others sleep too, so that none can end before it however fast it runs
    _notebooks_with(tmp_path, monkeypatch, f"import pathlib, time\npathlib.Path({str(marker)!r}).touch()\n"
                    "time.sleep(300)", others="import time\ntime.sleep(300)")
    _when_file_appears(marker, lambda p: os.kill(os.getpid(), signal.SIGINT))  # what the terminal sends on Ctrl-C
    start = time.perf_counter()
    with pytest.raises(runner.RunInterrupted) as info:
        runner.run(sample_copy, tmp_path / "out")
    assert time.perf_counter() - start < 120, "the sleeping cell was waited for"
    saved = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert saved == info.value.manifest and saved["interrupted"] and not saved["ok"] and not saved["complete"]
    steps = saved["steps"]
    assert steps["01_current_state"]["status"] == "interrupted"
    assert "KeyboardInterrupt" in steps["01_current_state"]["error"]
    assert {steps[s]["status"] for s in REGISTRY} == {"interrupted"}
    assert all(s in str(info.value) for s in list(REGISTRY)[1:])


def test_a_stalled_cell_fails_its_step_by_name_after_the_cell_timeout(sample_copy, tmp_path, monkeypatch):
    cell = _notebooks_with(tmp_path, monkeypatch, "import time\ntime.sleep(600)")
    start = time.perf_counter()
    manifest = runner.run(sample_copy, tmp_path / "out", steps=["01"], cell_timeout=5)
    assert time.perf_counter() - start < 120, "the stalled cell was waited for"
    step = manifest["steps"]["01_current_state"]
    assert step["status"] == "failed" and not manifest["ok"]
    assert step["error"] == f"01_current_state.ipynb, {cell}: timed out after 5 s"
    assert step["retried"] == step["error"], "a stalled step gets one more try"
    nb = nbformat.read(tmp_path / "out" / step["notebook"], as_version=4)
    stalled = next(c for c in nb.cells if "sleep(600)" in c.source)
    assert stalled.metadata.papermill["status"] == "failed"


def test_a_second_run_into_the_same_folder_is_refused_and_the_report_stays_the_firsts(sample_copy, tmp_path,
                                                                                       monkeypatch):
    marker, release = tmp_path / "holding", tmp_path / "release"
    _notebooks_with(tmp_path, monkeypatch, f"import pathlib, time\npathlib.Path({str(marker)!r}).touch()\n"
                    f"while not pathlib.Path({str(release)!r}).exists(): time.sleep(0.1)")
    out, first = tmp_path / "out", {}
    holder = threading.Thread(target=lambda: first.update(runner.run(sample_copy, out, steps=["01"])), daemon=True)
    holder.start()
    deadline = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    with pytest.raises(FolderBusy, match=f"Another run is writing the report in {out}"):
        runner.run(sample_copy, out, lang="en")
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before, "the refused run wrote"
    release.touch()
    holder.join(120)
    assert first["ok"] and first["language"] == "sv" and list(first["steps"]) == ["01_current_state"]
    assert json.loads((out / "manifest.json").read_text()) == first
    assert runner.run(sample_copy, out, steps=["01"], lang="en")["ok"], "the lock is free once the first run ended"


def test_a_killed_run_leaves_a_manifest_that_says_it_did_not_finish(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([str(Path(sys.executable).parent / "cxwb"), "run", str(SAMPLE), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (out / "results" / "01_current_state.json").exists():
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be killed"
        proc.kill()
    finally:
        proc.wait(60)
    manifest = json.loads((out / "manifest.json").read_text())
    assert not manifest["complete"] and not manifest["ok"] and manifest["finished"] is None
    assert {info["status"] for info in manifest["steps"].values()} <= {"pending", "running", "ok"}
    assert not (out / "index.html").exists()
