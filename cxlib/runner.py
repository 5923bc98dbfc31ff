"""Run the workbook for one client: validate, execute the step notebooks, render the report.

Steps run as a graph (a step starts when the steps it reads from have succeeded;
independent steps run in parallel), each in a fresh kernel started ahead of it
(:class:`~cxlib.kernels.KernelPool`) and executed by papermill's ``cxwb`` engine
(:mod:`cxlib.engine`). No step can hang: a cell running past the cell timeout and a kernel
that dies are failed steps that name the notebook, the cell and what happened; a kernel
that does not start or a cell that times out gets the step one more try. A failed step
keeps its executed notebook for debugging, the steps after it are skipped, and the others
are unaffected. One run at a time writes a report folder (a lock), and its
``manifest.json``, rewritten atomically as steps end, reads as complete only when the run
was: it records input hashes, parameters, package versions and each step's status,
seconds and retry.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
import importlib.resources
import json
import os
import platform
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat
import papermill
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from .engine import ENGINE
from .errors import CxError
from .files import folder_lock, sha256, write_atomic
from .kernels import CELL_TIMEOUT_S, KernelPool, KernelStartError, signal_kernels, stop_kernel
from .report.deliver import EXPORTS, check_exports, folder_overview, remove_deliverables, write_deliverables
from .report.pages import render_step, write_index
from .results import check_report_folder
from .steps import REGISTRY
from .io.snapshots import TableSnapshots, snapshot_dir
from .io.workspace import CONFIG_FILE, Workspace, load_workspace

#: The step notebooks, shipped inside the package (in a checkout, ``cxlib/notebooks`` links to ``notebooks/``).
NOTEBOOKS = Path(str(importlib.resources.files("cxlib") / "notebooks"))

#: Seconds that interrupted kernels get to stop after Ctrl-C before they are shut down.
INTERRUPT_GRACE_S = 30
PACKAGES = ["cxlib", "pandas", "numpy", "scipy", "plotly", "papermill", "nbconvert", "pydantic", "ipywidgets"]


@dataclass
class StepOutcome:
    """What happened to one step: status ``ok``, ``failed``, ``skipped``, ``interrupted``, or
    ``pending`` and ``running`` before it ends; ``retried`` is the error of a first try that was
    repeated. ``phases`` splits the last try's seconds: waiting for the kernel (``kernel_s``),
    executing the notebook (``notebook_s``) and rendering the page (``page_s``).
    """

    status: str
    seconds: float = 0.0
    notebook: str | None = None
    html: str | None = None
    error: str | None = None
    retried: str | None = None
    phases: dict[str, float] = field(default_factory=dict)
    retry: bool = False  # the failure is one a second try may not have (not in the manifest)


def select_steps(requested: list[str] | None) -> list[str]:
    """Step names in graph order; ``requested`` may use prefixes such as ``01`` or ``current``."""
    if not requested:
        return list(REGISTRY)
    chosen = []
    for req in requested:
        hits = [s for s in REGISTRY if req in s]
        if len(hits) != 1:
            raise CxError(f"Unknown or ambiguous step '{req}'; steps are: {', '.join(REGISTRY)}")
        chosen.append(hits[0])
    return [s for s in REGISTRY if s in chosen]


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def stop_running_steps(running: dict, outcomes: dict, grace: float = INTERRUPT_GRACE_S) -> None:
    """After Ctrl-C: interrupt the kernels of the ``running`` steps (futures → step names) until
    their steps end, and shut down those still running after ``grace`` seconds, or at once on a
    second Ctrl-C. Each step's outcome goes into ``outcomes``.
    """
    deadline = time.monotonic() + grace
    try:
        while running and time.monotonic() < deadline:  # a kernel still starting is interrupted next round
            signal_kernels()
            for future in wait(running, timeout=1)[0]:
                outcomes[running.pop(future)] = _stopped(future.result())
    except KeyboardInterrupt:
        pass
    signal_kernels(stop=True)
    for future in wait(running)[0]:
        outcomes[running.pop(future)] = _stopped(future.result())


def _stopped(outcome: StepOutcome) -> StepOutcome:
    """The outcome of a step that was running at Ctrl-C: however its kernel ended (a
    KeyboardInterrupt in a cell, or the kernel dying of the signal), it did not fail on its own.
    """
    return replace(outcome, status="interrupted") if outcome.status == "failed" else outcome


def run_step(step: str, parameters: dict, out_dir: Path, lang: str, client: str, kernels: KernelPool,
             cell_timeout: float = CELL_TIMEOUT_S) -> StepOutcome:
    """Execute one step notebook on a kernel from ``kernels`` and render its page; never raises
    for step errors. A kernel that does not start or a cell that times out gets one more try
    (``retried`` says why).
    """
    start = time.perf_counter()
    outcome = _try_step(step, parameters, out_dir, lang, client, kernels, cell_timeout)
    if outcome.retry:
        first = outcome.error
        outcome = _try_step(step, parameters, out_dir, lang, client, kernels, cell_timeout)
        outcome.retried = first
    outcome.seconds = time.perf_counter() - start
    return outcome


def _try_step(step: str, parameters: dict, out_dir: Path, lang: str, client: str, kernels: KernelPool,
              cell_timeout: float) -> StepOutcome:
    source, executed = NOTEBOOKS / REGISTRY[step].notebook, out_dir / REGISTRY[step].notebook
    clock = time.perf_counter()
    phases = {}

    def phase(name: str) -> None:
        nonlocal clock
        phases[name], clock = round(time.perf_counter() - clock, 3), time.perf_counter()

    try:
        km = kernels.take()
    except KernelStartError as exc:
        return StepOutcome("failed", error=f"{source.name}: {exc}", retry=True)
    phase("kernel_s")
    try:
        papermill.execute_notebook(str(source), str(executed), parameters=parameters, engine_name=ENGINE, km=km,
                                   kernel_name="python3", cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
                                   execution_timeout=cell_timeout)
    except papermill.PapermillExecutionError as exc:
        status = "interrupted" if exc.ename == "KeyboardInterrupt" else "failed"
        return StepOutcome(status, notebook=executed.name,
                           error=f"{source.name}, {_failed_cell(executed)}: {exc.ename}: {exc.evalue}")
    except Exception as exc:  # timed out, kernel died, notebook unreadable, …: the step failed, the run goes on
        what = {CellTimeoutError: f"timed out after {cell_timeout:g} s", DeadKernelError: "kernel died"}.get(
            type(exc), f"{type(exc).__name__}: {exc}")
        marked = executed.is_file() and mark_running_cell_failed(executed, type(exc).__name__, what)
        where = f", {_failed_cell(executed)}" if marked else ""
        return StepOutcome("failed", notebook=executed.name if executed.is_file() else None,
                           error=f"{source.name}{where}: {what}", retry=isinstance(exc, CellTimeoutError))
    finally:
        stop_kernel(km)
    phase("notebook_s")
    page = render_step(executed, out_dir / f"{step}.html", lang, client)
    phase("page_s")
    return StepOutcome("ok", notebook=executed.name, html=page.name, phases=phases)


def _failed_cell(notebook: Path) -> str:
    """``cell N (first source line)`` of the cell papermill (or :func:`mark_running_cell_failed`)
    marked failed in ``notebook``; N counts code cells from 1, as a fresh kernel's execution count does.
    """
    code = [c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    number, cell = next((n, c) for n, c in enumerate(code, 1)
                        if c.metadata.get("papermill", {}).get("status") == "failed")
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    return f"cell {number} ({first[:60] + '…' if len(first) > 60 else first})"


def mark_running_cell_failed(notebook: Path, ename: str, evalue: str) -> bool:
    """In a notebook kept after its kernel died or its cell timed out, mark the cell that was
    running as failed.

    papermill marks every cell "completed" when execution ends in anything but a cell error; the
    cell that was running is the last one that started. It gets status ``failed`` and an error
    output ``ename: evalue``; the cells after it are marked ``pending`` (they never ran).
    Returns whether a cell had started.
    """
    nb = nbformat.read(notebook, as_version=4)
    started = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")]
    if not started:
        return False
    running = started[-1]
    running.metadata.papermill["status"] = "failed"
    running.outputs.append(nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                                  traceback=[f"{ename}: {evalue}"]))
    for cell in nb.cells[nb.cells.index(running) + 1:]:
        if "papermill" in cell.metadata:
            cell.metadata.papermill["status"] = "pending"
    write_atomic(notebook, nbformat.writes(nb))
    return True


def run(client_dir: str | Path, out_dir: str | Path | None = None, *, lang: str | None = None,
        steps: list[str] | None = None, jobs: int = 2, cell_timeout: float = CELL_TIMEOUT_S,
        exports: list[str] | tuple[str, ...] = EXPORTS,
        on_step: Callable[[str, StepOutcome | None], None] | None = None,
        on_export: Callable[[str, dict], None] | None = None) -> dict:
    """Validate ``client_dir``, run the steps, write the report and ``manifest.json``; return the manifest.

    Raises :class:`~cxlib.errors.InputError` before writing anything when the workspace is
    invalid, :class:`~cxlib.results.ForeignReport` when ``out_dir`` holds another client's
    results, :class:`~cxlib.files.FolderBusy` when another run is writing ``out_dir``, and
    :class:`~cxlib.errors.CxError` when ``out_dir`` is a file or cannot be created.
    ``on_step(step, None)`` is called when a step starts and ``on_step(step, outcome)`` when it
    ends (for progress display). When every step has succeeded, ``dashboard.html`` and the
    ``exports`` (names of :data:`~cxlib.report.deliver.EXPORTS`: pdf, pptx, xlsx) are written and
    ``on_export(name, info)`` is called as each is done; the manifest's ``exports`` gives each one's
    file, status, sha256 and seconds, and its ``overview`` lists every file of the report folder.
    ``out_dir`` defaults to ``reports/<client folder name>`` in the
    current directory. At most ``jobs`` steps run at once. A cell running longer than
    ``cell_timeout`` seconds fails its step (after one more try). On Ctrl-C the running kernels
    are interrupted, the manifest is written with ``"interrupted": true`` and
    :class:`RunInterrupted` is raised. Until the run ends, the manifest says ``"complete": false``.
    """
    started = dt.datetime.now(dt.timezone.utc)
    chosen, exports = select_steps(steps), check_exports(exports)
    kernels = KernelPool(NOTEBOOKS, ahead=max(1, jobs))
    kernels.prepare(len(chosen))  # the first kernels start while the workspace is validated
    try:
        ws = load_workspace(client_dir)
        lang = lang or ws.config.language
        out = prepare_report_folder(Path(out_dir) if out_dir else Path("reports") / ws.root.name, ws)
        with folder_lock(out, "report"):
            return _run_locked(ws, out, chosen, lang, jobs, cell_timeout, kernels,
                               on_step or (lambda step, outcome: None), started, exports,
                               on_export or (lambda name, info: None))
    finally:
        kernels.close()


def _run_locked(ws: Workspace, out: Path, chosen: list[str], lang: str, jobs: int, cell_timeout: float,
                kernels: KernelPool, notify: Callable[[str, StepOutcome | None], None], started: dt.datetime,
                exports: list[str], notify_export: Callable[[str, dict], None]) -> dict:
    # until this run writes its own, no earlier index, manifest or page of a re-run step may pass for it
    stale = [out / "index.html", out / "manifest.json"]
    for step in chosen:
        stale += [out / f"{step}.ipynb", out / f"{step}.html", out / "results" / f"{step}.json",
                  *(out / f for f in REGISTRY[step].files)]
    for path in stale:
        path.unlink(missing_ok=True)
    remove_deliverables(out)
    parameters = {"client_dir": str(ws.root), "out_dir": str(out), "lang": lang, "interactive": False}
    snapshots = TableSnapshots(snapshot_dir(ws.root), ws.files[CONFIG_FILE])  # the steps read the tables validated here
    for name, frame in ws.tables.items():
        snapshots.write(name, ws.files[name], frame)
    outcomes = {step: StepOutcome("pending") for step in chosen}
    _write_manifest(out, _manifest(ws, out, lang, parameters, outcomes, started))
    interrupted = False

    def ended(step: str, outcome: StepOutcome) -> None:
        outcomes[step] = outcome
        _write_manifest(out, _manifest(ws, out, lang, parameters, outcomes, started))
        notify(step, outcome)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        pending, running = list(chosen), {}
        try:
            while pending or running:
                for step in list(pending):
                    deps = [d for d in REGISTRY[step].reads if d in chosen]
                    if any(outcomes[d].status not in ("ok", "pending", "running") for d in deps):
                        pending.remove(step)
                        ended(step, StepOutcome("skipped", error=f"needs {', '.join(deps)}"))
                    elif all(outcomes[d].status == "ok" for d in deps):
                        pending.remove(step)
                        outcomes[step] = StepOutcome("running")
                        notify(step, None)
                        running[pool.submit(run_step, step, parameters, out, lang, ws.config.name, kernels,
                                            cell_timeout)] = step
                kernels.prepare(len(pending))
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    ended(running.pop(future), future.result())
        except KeyboardInterrupt:
            interrupted = True
            stop_running_steps(running, outcomes)
            for step in pending:
                outcomes[step] = StepOutcome("interrupted", error="not started")

    manifest = _manifest(ws, out, lang, parameters, outcomes, started, ended=True, interrupted=interrupted)
    if not interrupted:
        manifest["exports"] = write_deliverables(out, manifest, exports, notify_export)
    write_index(out, manifest)
    manifest["overview"] = folder_overview(out)
    now = dt.datetime.now(dt.timezone.utc)
    manifest["finished"] = now.isoformat(timespec="seconds")
    manifest["seconds"] = round((now - started).total_seconds(), 2)
    _write_manifest(out, manifest)
    if interrupted:
        raise RunInterrupted(manifest)
    return manifest


def _manifest(ws: Workspace, out: Path, lang: str, parameters: dict, outcomes: dict[str, StepOutcome],
              started: dt.datetime, ended: bool = False, interrupted: bool = False) -> dict:
    """The manifest of a run. ``finished`` is ``None`` until the run has ``ended``; ``complete``
    (every step ended) and ``ok`` (every step succeeded) are false until then, and for a run
    that was ``interrupted``.
    """
    now = dt.datetime.now(dt.timezone.utc)
    complete = ended and not interrupted
    return {
        "client": ws.config.name,
        "language": lang,
        "currency": ws.config.currency,
        "period": f"{ws.config.period.start} – {ws.config.period.end}" if ws.config.period else None,
        "started": started.isoformat(timespec="seconds"),
        "finished": now.isoformat(timespec="seconds") if ended else None,
        "seconds": round((now - started).total_seconds(), 2),
        "parameters": parameters,
        "inputs": ws.fingerprint,
        "workshop_inputs": {p.relative_to(ws.root).as_posix(): sha256(p)
                            for p in sorted((ws.root / "workshop").glob("*.yaml"))},
        "versions": _versions(),
        "steps": {s: {k: v for k, v in vars(o).items() if k != "retry"} | {"seconds": round(o.seconds, 2)}
                  for s, o in outcomes.items()},
        "files": [f for s, o in outcomes.items() if o.status == "ok" for f in REGISTRY[s].files
                  if (out / f).is_file()],
        "ok": complete and all(o.status == "ok" for o in outcomes.values()),
        "complete": complete,
        "interrupted": interrupted,
    }


def _write_manifest(out: Path, manifest: dict) -> None:
    write_atomic(out / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))


def prepare_report_folder(out: Path, ws: Workspace) -> Path:
    """Create the report folder ``out`` (absolute path returned), refusing a path that is a file,
    cannot be created, or holds another client's report (:class:`~cxlib.results.ForeignReport`).
    """
    if out.exists() and not out.is_dir():
        raise CxError(f"The output folder {out} is a file; choose a folder (--out).")
    if out.is_dir():
        check_report_folder(out, str(ws.root))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CxError(f"The output folder {out} cannot be created ({exc.strerror}); "
                      "choose another one (--out).") from None
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
