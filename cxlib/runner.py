"""Run the workbook for one client: validate, execute the step notebooks, render the report.

Steps run as a graph (a step starts when the steps it reads from have succeeded;
independent steps run in parallel). A failed step keeps its executed notebook for
debugging, the steps after it are skipped, and the others are unaffected. The manifest
records input hashes, parameters, package versions and each step's status and seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata as md
import json
import platform
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import papermill

from .errors import CxError
from .files import write_atomic
from .report import render_step, write_index
from .workspace import load_workspace

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
#: Kernel log at error level: cell errors still reach the notebook, start-up chatter does not reach the terminal.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]
PACKAGES = ["cxlib", "pandas", "numpy", "scipy", "plotly", "papermill", "nbconvert", "pydantic", "ipywidgets"]


@dataclass
class StepOutcome:
    """What happened to one step: status ``ok``, ``failed`` or ``skipped``."""

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


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def run_step(step: str, parameters: dict, out_dir: Path, lang: str, client: str) -> StepOutcome:
    """Execute one step notebook with papermill and render its page; never raises for step errors."""
    source, executed = NOTEBOOKS / f"{step}.ipynb", out_dir / f"{step}.ipynb"
    start = time.perf_counter()
    try:
        papermill.execute_notebook(str(source), str(executed), parameters=parameters, kernel_name="python3",
                                   cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
                                   extra_arguments=KERNEL_ARGS)
    except papermill.PapermillExecutionError as exc:
        error = f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        return StepOutcome("failed", time.perf_counter() - start, executed.name, None, error)
    except Exception as exc:  # kernel died, notebook unreadable, …: the step failed, the run goes on
        return StepOutcome("failed", time.perf_counter() - start, None, None, f"{type(exc).__name__}: {exc}")
    page = render_step(executed, out_dir / f"{step}.html", lang, client)
    return StepOutcome("ok", time.perf_counter() - start, executed.name, page.name)


def run(client_dir: str | Path, out_dir: str | Path | None = None, *, lang: str | None = None,
        steps: list[str] | None = None, jobs: int = 2,
        on_step: Callable[[str, StepOutcome | None], None] | None = None) -> dict:
    """Validate ``client_dir``, run the steps, write the report and ``manifest.json``; return the manifest.

    Raises :class:`~cxlib.errors.InputError` before writing anything when the workspace is
    invalid. ``on_step(step, None)`` is called when a step starts and ``on_step(step,
    outcome)`` when it ends (for progress display). ``out_dir`` defaults to
    ``reports/<client folder name>`` in the current directory.
    """
    started = dt.datetime.now(dt.timezone.utc)
    ws = load_workspace(client_dir)
    chosen = select_steps(steps)
    lang = lang or ws.config.language
    out = Path(out_dir) if out_dir else Path("reports") / ws.root.name
    out.mkdir(parents=True, exist_ok=True)
    out = out.resolve()
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

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        pending, running = list(chosen), {}
        while pending or running:
            for step in list(pending):
                deps = [d for d in STEPS[step] if d in chosen]
                if any(d in outcomes and outcomes[d].status != "ok" for d in deps):
                    outcomes[step] = StepOutcome("skipped", error=f"needs {', '.join(deps)}")
                    notify(step, outcomes[step])
                    pending.remove(step)
                elif all(d in outcomes for d in deps):
                    notify(step, None)
                    running[pool.submit(run_step, step, parameters, out, lang, ws.config.name)] = step
                    pending.remove(step)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                step = running.pop(future)
                outcomes[step] = future.result()
                notify(step, outcomes[step])

    manifest = {
        "client": ws.config.name,
        "language": lang,
        "currency": ws.config.currency,
        "period": f"{ws.config.period.start} – {ws.config.period.end}" if ws.config.period else None,
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "seconds": round((dt.datetime.now(dt.timezone.utc) - started).total_seconds(), 2),
        "parameters": parameters,
        "inputs": {str(p.relative_to(ws.root)): sha256(p) for p in sorted(ws.root.rglob("*")) if p.is_file()},
        "versions": _versions(),
        "steps": {s: {**vars(outcomes[s]), "seconds": round(outcomes[s].seconds, 2)} for s in chosen},
        "files": [f for s in chosen if outcomes[s].status == "ok" for f in STEP_FILES.get(s, []) if (out / f).is_file()],
        "ok": all(outcomes[s].status == "ok" for s in chosen),
    }
    write_index(out, manifest)
    write_atomic(out / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest
