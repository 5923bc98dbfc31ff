"""Run the workbook for one client: validate, execute the step notebooks, render the report.

Steps run as a graph (a step starts when the steps it reads from have succeeded;
independent steps run in parallel). A failed step keeps its executed notebook for
debugging (a dead kernel's running cell marked failed), the steps after it are skipped, and
the others are unaffected. The manifest records input hashes, parameters, package versions
and each step's status and seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib.metadata as md
import json
import os
import platform
import time
import weakref
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill
from jupyter_client import AsyncKernelManager

from .errors import CxError
from .files import sha256, write_atomic
from .report import render_step, write_index
from .results import check_report_folder
from .workspace import Workspace, load_workspace

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: Each step and the steps whose saved results it reads.
STEPS: dict[str, list[str]] = {
    "01_current_state": [],
    "02_desired_state": ["01_current_state"],
    "03_insight": ["02_desired_state"],
}
#: Files a step writes besides its page and result (relative to the report folder).
STEP_FILES: dict[str, list[str]] = {
    "03_insight": [f"loop/{name}.{ext}" for name in ("callbacks", "promoters") for ext in ("csv", "xlsx")],
}
#: Longest a notebook cell may run before its step fails with CellTimeoutError (seconds); a
#: cell that stalls becomes a named failure instead of blocking the run.
CELL_TIMEOUT_S = 1800
#: Seconds that interrupted kernels get to stop after Ctrl-C before they are shut down.
INTERRUPT_GRACE_S = 30
#: Kernel log at error level: cell errors still reach the notebook, start-up chatter does not reach the terminal.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]
PACKAGES = ["cxlib", "pandas", "numpy", "scipy", "plotly", "papermill", "nbconvert", "pydantic", "ipywidgets"]


@dataclass
class StepOutcome:
    """What happened to one step: status ``ok``, ``failed``, ``skipped`` or ``interrupted``."""

    status: str
    seconds: float = 0.0
    notebook: str | None = None
    html: str | None = None
    error: str | None = None


def select_steps(requested: list[str] | None) -> list[str]:
    """Step names in graph order; ``requested`` may use prefixes such as ``01`` or ``current``."""
    if not requested:
        return list(STEPS)
    chosen = []
    for req in requested:
        hits = [s for s in STEPS if req in s]
        if len(hits) != 1:
            raise CxError(f"Unknown or ambiguous step '{req}'; steps are: {', '.join(STEPS)}")
        chosen.append(hits[0])
    return [s for s in STEPS if s in chosen]


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


class TrackedKernelManager(AsyncKernelManager):
    """The kernel manager of step notebooks: remembers its instances so that Ctrl-C can interrupt
    the kernels (they run in sessions of their own, so the terminal's SIGINT never reaches them)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        _KERNELS.add(self)


_KERNELS: weakref.WeakSet[TrackedKernelManager] = weakref.WeakSet()


def signal_kernels(stop: bool = False) -> None:
    """Interrupt every running step kernel (its running cell raises KeyboardInterrupt), or with
    ``stop`` shut it down at once (its step fails as a dead kernel)."""
    for km in list(_KERNELS):
        if km.has_kernel:
            with contextlib.suppress(Exception):  # a kernel that just ended cannot be signalled
                asyncio.run(km.shutdown_kernel(now=True) if stop else km.interrupt_kernel())


def stop_running_steps(running: dict, outcomes: dict, grace: float = INTERRUPT_GRACE_S) -> None:
    """After Ctrl-C: interrupt the kernels of the ``running`` steps (futures → step names) until
    their steps end, and shut down those still running after ``grace`` seconds, or at once on a
    second Ctrl-C. Each step's outcome goes into ``outcomes``."""
    deadline = time.monotonic() + grace
    try:
        while running and time.monotonic() < deadline:  # a kernel still starting is interrupted next round
            signal_kernels()
            for future in wait(running, timeout=1)[0]:
                outcomes[running.pop(future)] = future.result()
    except KeyboardInterrupt:
        pass
    signal_kernels(stop=True)
    for future in wait(running)[0]:
        outcomes[running.pop(future)] = future.result()


def run_step(step: str, parameters: dict, out_dir: Path, lang: str, client: str,
             cell_timeout: float = CELL_TIMEOUT_S) -> StepOutcome:
    """Execute one step notebook with papermill and render its page; never raises for step errors.

    A cell running longer than ``cell_timeout`` seconds fails the step (CellTimeoutError, the
    cell named), as does a kernel that dies.
    """
    source, executed = NOTEBOOKS / f"{step}.ipynb", out_dir / f"{step}.ipynb"
    start = time.perf_counter()
    try:
        papermill.execute_notebook(str(source), str(executed), parameters=parameters, kernel_name="python3",
                                   cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
                                   extra_arguments=KERNEL_ARGS, kernel_manager_class=TrackedKernelManager,
                                   execution_timeout=cell_timeout)
    except papermill.PapermillExecutionError as exc:
        status = "interrupted" if exc.ename == "KeyboardInterrupt" else "failed"
        error = f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        return StepOutcome(status, time.perf_counter() - start, executed.name, None, error)
    except Exception as exc:  # kernel died, notebook unreadable, …: the step failed, the run goes on
        cell = mark_running_cell_failed(executed, f"{type(exc).__name__}: {exc}") if executed.is_file() else None
        where = f"cell {cell}: " if cell else ""
        kept = executed.name if executed.is_file() else None
        return StepOutcome("failed", time.perf_counter() - start, kept, None, f"{where}{type(exc).__name__}: {exc}")
    page = render_step(executed, out_dir / f"{step}.html", lang, client)
    return StepOutcome("ok", time.perf_counter() - start, executed.name, page.name)


def mark_running_cell_failed(notebook: Path, error: str) -> int | None:
    """In a notebook kept after its kernel died, mark the cell that was running as failed.

    papermill marks every cell "completed" when execution ends in anything but a cell error; the
    cell that was running is the last one that started. It gets status ``failed`` and an error
    output saying ``error``; the cells after it are marked ``pending`` (they never ran). Returns
    the cell's number in execution order (as papermill numbers cells in its errors), or ``None``
    when no cell had started.
    """
    nb = nbformat.read(notebook, as_version=4)
    started = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")]
    if not started:
        return None
    running = started[-1]
    running.metadata.papermill["status"] = "failed"
    running.outputs.append(nbformat.v4.new_output("error", ename=error.split(":")[0], evalue=error, traceback=[error]))
    for cell in nb.cells[nb.cells.index(running) + 1:]:
        if "papermill" in cell.metadata:
            cell.metadata.papermill["status"] = "pending"
    write_atomic(notebook, nbformat.writes(nb))
    return len(started)


def run(client_dir: str | Path, out_dir: str | Path | None = None, *, lang: str | None = None,
        steps: list[str] | None = None, jobs: int = 2, cell_timeout: float = CELL_TIMEOUT_S,
        on_step: Callable[[str, StepOutcome | None], None] | None = None) -> dict:
    """Validate ``client_dir``, run the steps, write the report and ``manifest.json``; return the manifest.

    Raises :class:`~cxlib.errors.InputError` before writing anything when the workspace is
    invalid, :class:`~cxlib.results.ForeignReport` when ``out_dir`` holds another client's
    results, and :class:`~cxlib.errors.CxError` when ``out_dir`` is a file or cannot be created.
    ``on_step(step, None)`` is called when a step starts and ``on_step(step, outcome)`` when it
    ends (for progress display). ``out_dir`` defaults to ``reports/<client folder name>`` in the
    current directory. A cell running longer than ``cell_timeout`` seconds fails its step. On
    Ctrl-C the running kernels are interrupted, the manifest is written
    with ``"interrupted": true`` and :class:`RunInterrupted` is raised.
    """
    started = dt.datetime.now(dt.timezone.utc)
    ws = load_workspace(client_dir)
    chosen = select_steps(steps)
    lang = lang or ws.config.language
    out = prepare_report_folder(Path(out_dir) if out_dir else Path("reports") / ws.root.name, ws)
    # until this run writes its own, no earlier index, manifest or page of a re-run step may pass for it
    stale = [out / "index.html", out / "manifest.json"]
    for step in chosen:
        stale += [out / f"{step}.ipynb", out / f"{step}.html", out / "results" / f"{step}.json",
                  *(out / f for f in STEP_FILES.get(step, []))]
    for path in stale:
        path.unlink(missing_ok=True)
    parameters = {"client_dir": str(ws.root), "out_dir": str(out), "lang": lang, "interactive": False}
    outcomes: dict[str, StepOutcome] = {}
    notify = on_step or (lambda step, outcome: None)
    interrupted = False

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        pending, running = list(chosen), {}
        try:
            while pending or running:
                for step in list(pending):
                    deps = [d for d in STEPS[step] if d in chosen]
                    if any(d in outcomes and outcomes[d].status != "ok" for d in deps):
                        outcomes[step] = StepOutcome("skipped", error=f"needs {', '.join(deps)}")
                        notify(step, outcomes[step])
                        pending.remove(step)
                    elif all(d in outcomes for d in deps):
                        notify(step, None)
                        running[pool.submit(run_step, step, parameters, out, lang, ws.config.name,
                                            cell_timeout)] = step
                        pending.remove(step)
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    step = running.pop(future)
                    outcomes[step] = future.result()
                    notify(step, outcomes[step])
        except KeyboardInterrupt:
            interrupted = True
            stop_running_steps(running, outcomes)
            for step in pending:
                outcomes[step] = StepOutcome("interrupted", error="not started")

    manifest = {
        "client": ws.config.name,
        "language": lang,
        "currency": ws.config.currency,
        "period": f"{ws.config.period.start} – {ws.config.period.end}" if ws.config.period else None,
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "seconds": round((dt.datetime.now(dt.timezone.utc) - started).total_seconds(), 2),
        "parameters": parameters,
        "inputs": ws.fingerprint,
        "workshop_inputs": {p.relative_to(ws.root).as_posix(): sha256(p)
                            for p in sorted((ws.root / "workshop").glob("*.yaml"))},
        "versions": _versions(),
        "steps": {s: {**vars(outcomes[s]), "seconds": round(outcomes[s].seconds, 2)} for s in chosen},
        "files": [f for s in chosen if outcomes[s].status == "ok" for f in STEP_FILES.get(s, []) if (out / f).is_file()],
        "ok": all(outcomes[s].status == "ok" for s in chosen),
        "interrupted": interrupted,
    }
    write_index(out, manifest)
    write_atomic(out / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    if interrupted:
        raise RunInterrupted(manifest)
    return manifest


def prepare_report_folder(out: Path, ws: Workspace) -> Path:
    """Create the report folder ``out`` (absolute path returned), refusing a path that is a file,
    cannot be created, or holds another client's report (:class:`~cxlib.results.ForeignReport`)."""
    if out.exists() and not out.is_dir():
        raise CxError(f"The output folder {out} is a file; choose a folder (--out).")
    if out.is_dir():
        check_report_folder(out, str(ws.root))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CxError(f"The output folder {out} cannot be created ({exc.strerror}); choose another one (--out).") from None
    if not os.access(out, os.W_OK):
        raise CxError(f"The output folder {out} is not writable; choose another one (--out).")
    return out.resolve()


class RunInterrupted(CxError):
    """The run was stopped (Ctrl-C): running kernels were interrupted and the manifest says so.

    ``manifest`` is the manifest written; its ``interrupted`` is true and each step that did not
    finish has status ``interrupted``.
    """

    def __init__(self, manifest: dict):
        self.manifest = manifest
        unfinished = [s for s, info in manifest["steps"].items() if info["status"] in ("interrupted", "skipped")]
        super().__init__(f"Interrupted: {', '.join(unfinished) or 'no step'} did not finish; "
                         f"{Path(manifest['parameters']['out_dir']) / 'manifest.json'} says so.")
