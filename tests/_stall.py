"""The stall check, for the test suite and the benchmark: the step notebooks under the papermill
call of the README (``--engine cxwb``, widgets on: ``interactive`` keeps its default ``True``),
two at a time, each run with a time limit; a run over it is a stall.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAPERMILL = str(Path(sys.executable).parent / "papermill")
STEPS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def papermill_run(notebook: str, out_dir: Path, limit_s: float) -> str:
    """Run ``notebook`` as the README says, from the repository root: ``ok``, ``stalled`` (over
    ``limit_s`` seconds; papermill and its kernel are killed) or ``failed: <last error line>``."""
    proc = subprocess.Popen([PAPERMILL, "--engine", "cxwb", f"notebooks/{notebook}", str(out_dir / notebook),
                             "-p", "client_dir", "data/sample", "-p", "out_dir", str(out_dir)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=limit_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # papermill ignores SIGTERM while it waits for a cell
        proc.communicate()
        return "stalled"
    if proc.returncode:
        return "failed: " + (stderr.strip().splitlines() or ["no output"])[-1]
    return "ok"


def stall_check(rounds: int, jobs: int = 2, limit_s: float = 240) -> dict:
    """``rounds`` times every step notebook in order (each round in a report folder of its own),
    ``jobs`` rounds at a time. Returns the runs, the stalls, the failures and the wall seconds."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(jobs) as pool:
        def one_round(k: int) -> list[str]:
            out = Path(tmp) / f"round{k}"
            out.mkdir()
            return [papermill_run(notebook, out, limit_s) for notebook in STEPS]
        results = [r for outcome in pool.map(one_round, range(rounds)) for r in outcome]
    return {"runs": len(results), "stalls": results.count("stalled"),
            "failures": [r for r in results if r.startswith("failed")], "seconds": time.perf_counter() - start}
