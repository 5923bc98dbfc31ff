"""The runner under faults: real-size (multi-chunk) inputs, another client's folder, a dead kernel, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import shutil
import threading
import time

import nbformat
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import SAMPLE
from cxlib import runner
from cxlib.errors import CxError
from cxlib.results import ForeignReport, load
from cxlib.workspace import load_workspace

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


def _notebooks_with(tmp_path, monkeypatch, code: str):
    """The step notebooks, with ``code`` as a new cell in step 01 after its first computations."""
    notebooks = tmp_path / "notebooks"
    shutil.copytree(runner.NOTEBOOKS, notebooks)
    nb = nbformat.read(notebooks / "01_current_state.ipynb", as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell(code))
    nbformat.write(nb, notebooks / "01_current_state.ipynb")
    monkeypatch.setattr(runner, "NOTEBOOKS", notebooks)


def test_a_dead_kernel_marks_its_running_cell_failed_and_names_it(sample_copy, tmp_path, monkeypatch):
    _notebooks_with(tmp_path, monkeypatch, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    manifest = runner.run(sample_copy, tmp_path / "out", steps=["01", "02"])
    step = manifest["steps"]["01_current_state"]
    assert step["status"] == "failed" and manifest["steps"]["02_desired_state"]["status"] == "skipped"
    nb = nbformat.read(tmp_path / "out" / step["notebook"], as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    statuses = [c.metadata.papermill["status"] for c in code]
    killer = next(i for i, c in enumerate(code) if "SIGKILL" in c.source)
    assert statuses[killer] == "failed" and set(statuses[killer + 1:]) == {"pending"}
    assert set(statuses[:killer]) == {"completed"}
    assert step["error"].startswith(f"cell {killer + 1}: DeadKernelError")
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["steps"]["01_current_state"] == step


def test_ctrl_c_interrupts_the_kernels_and_writes_an_interrupted_manifest(sample_copy, tmp_path, monkeypatch):
    marker = tmp_path / "sleeping"
    _notebooks_with(tmp_path, monkeypatch, f"import pathlib, time\npathlib.Path({str(marker)!r}).touch()\ntime.sleep(300)")

    def press_ctrl_c():
        while not marker.exists():
            time.sleep(0.1)
        os.kill(os.getpid(), signal.SIGINT)  # what the terminal sends on Ctrl-C

    threading.Thread(target=press_ctrl_c, daemon=True).start()
    start = time.perf_counter()
    with pytest.raises(runner.RunInterrupted) as info:
        runner.run(sample_copy, tmp_path / "out")
    assert time.perf_counter() - start < 120, "the sleeping cell was waited for"
    saved = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert saved == info.value.manifest and saved["interrupted"] and not saved["ok"]
    steps = saved["steps"]
    assert steps["01_current_state"]["status"] == "interrupted"
    assert "KeyboardInterrupt" in steps["01_current_state"]["error"]
    assert {steps[s]["status"] for s in ("02_desired_state", "03_insight")} == {"interrupted"}
    assert "02_desired_state" in str(info.value) and "03_insight" in str(info.value)


def test_a_stalled_cell_fails_its_step_by_name_after_the_cell_timeout(sample_copy, tmp_path, monkeypatch):
    _notebooks_with(tmp_path, monkeypatch, "import time\ntime.sleep(600)")
    start = time.perf_counter()
    manifest = runner.run(sample_copy, tmp_path / "out", steps=["01"], cell_timeout=5)
    assert time.perf_counter() - start < 120, "the stalled cell was waited for"
    step = manifest["steps"]["01_current_state"]
    nb = nbformat.read(tmp_path / "out" / step["notebook"], as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    stalled = next(i for i, c in enumerate(code) if "sleep(600)" in c.source)
    assert step["status"] == "failed" and step["error"].startswith(f"cell {stalled + 1}: CellTimeoutError")
    assert code[stalled].metadata.papermill["status"] == "failed"
