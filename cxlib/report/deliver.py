"""The deliverables of a run: ``dashboard.html`` and the exports (PDF, PowerPoint, Excel), and the folder overview.

:func:`write_deliverables` writes them from what the run saved, the PDF (a Chromium process)
beside the deck and the workbook, and says for each whether it was written, with its file,
sha256 and seconds, or why not. One failing export does not stop the others; none is
written from a run whose steps did not all succeed, so no export passes off a partial
report as the whole. :func:`folder_overview` lists every file of the report folder by kind.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import CxError
from ..files import sha256
from .dashboard_page import write_dashboard
from .deck import write_deck
from .pages import DASHBOARD_FILE, EXPORT_FILES
from .printing import write_pdf
from .workbook import write_workbook

WRITERS: dict[str, Callable[[Path, dict], Path]] = {"pdf": write_pdf, "pptx": write_deck, "xlsx": write_workbook}
"""Export name → the function that writes it from the report folder and the manifest."""
EXPORTS = tuple(EXPORT_FILES)
"""The exports ``cxwb run`` writes unless ``--export`` names fewer."""


def check_exports(names: Iterable[str]) -> list[str]:
    """``names`` in :data:`EXPORTS` order, each once.

    Raises
    ------
    cxlib.errors.CxError
        For a name that is not an export, naming the ones there are.
    """
    names = list(names)
    unknown = [n for n in names if n not in EXPORTS]
    if unknown:
        raise CxError(f"--export takes {', '.join(EXPORTS)} (comma-separated), not {', '.join(unknown)}.")
    return [n for n in EXPORTS if n in names]


def remove_deliverables(out_dir: Path) -> None:
    """Remove an earlier run's dashboard page and exports, so that none passes for this run's."""
    for name in (DASHBOARD_FILE, *EXPORT_FILES.values()):
        (out_dir / name).unlink(missing_ok=True)


def write_deliverables(out_dir: Path, manifest: dict, exports: Iterable[str],
                       notify: Callable[[str, dict], None] = lambda name, info: None) -> dict[str, dict]:
    """Write ``dashboard.html`` (when the run included step 08) and the ``exports`` of the run of ``manifest``;
    return what happened to each.

    Parameters
    ----------
    out_dir : pathlib.Path
        Report folder.
    manifest : dict
        The run's manifest, with its steps ended.
    exports : iterable of str
        Names of :data:`EXPORTS` to write.
    notify : callable, optional
        Called as ``notify(name, info)`` when each deliverable is done.

    Returns
    -------
    dict
        Name (``dashboard`` and each export) → ``{"file", "status", "seconds", "sha256", "error"}``; the status is
        ``ok``, ``failed`` (``error`` says why) or ``skipped`` (a step did not succeed).
    """
    writers = {name: WRITERS[name] for name in exports}
    if "08_roadmap_report" in manifest["steps"]:  # a run of some steps only has no dashboard to show
        writers = {"dashboard": write_dashboard, **writers}
    files = {"dashboard": DASHBOARD_FILE, **EXPORT_FILES}
    unfinished = [s for s, info in manifest["steps"].items() if info["status"] != "ok"]
    if unfinished:
        outcome = {name: {"file": files[name], "status": "skipped", "seconds": 0.0, "sha256": None,
                          "error": f"not written: {', '.join(unfinished)} did not succeed"} for name in writers}
        for name, info in outcome.items():
            notify(name, info)
        return outcome

    def write(name: str) -> dict:
        start = time.perf_counter()
        try:
            path = writers[name](out_dir, manifest)
            info = {"file": files[name], "status": "ok", "sha256": sha256(path), "error": None}
        except CxError as exc:
            info = {"file": files[name], "status": "failed", "sha256": None, "error": str(exc)}
        except Exception as exc:  # a defect in one export must not cost the run its index and the other exports
            info = {"file": files[name], "status": "failed", "sha256": None, "error": f"{type(exc).__name__}: {exc}"}
        info["seconds"] = round(time.perf_counter() - start, 2)
        notify(name, info)
        return info

    slow_first = sorted(writers, key=lambda name: name != "pdf")  # Chromium prints while Python writes the rest
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(write, name) for name in slow_first}
    return {name: futures[name].result() for name in writers}


KINDS = {".html": "page", ".ipynb": "notebook", ".json": "result", ".csv": "list", ".xlsx": "list"}
"""Kind of a file of the report folder by suffix, where its name does not say more (see :func:`folder_overview`)."""


def folder_overview(out_dir: Path) -> list[dict]:
    """Every file of the report folder, sorted by path: ``{"file", "kind", "bytes"}`` (hidden files and folders
    left out).

    Kinds: ``index``, ``manifest``, ``dashboard``, ``export`` (PDF, deck, workbook), ``page`` (a step's HTML),
    ``notebook`` (a step's executed notebook), ``result`` (a step's saved result), ``list`` (a close-the-loop
    list) and ``other``.
    """
    named = {"index.html": "index", "manifest.json": "manifest", DASHBOARD_FILE: "dashboard",
             **dict.fromkeys(EXPORT_FILES.values(), "export")}
    overview = []
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(out_dir).as_posix()
        if any(part.startswith(".") for part in path.relative_to(out_dir).parts):
            continue  # caches, the run's lock and files being written
        overview.append({"file": relative, "kind": named.get(relative) or KINDS.get(path.suffix, "other"),
                         "bytes": path.stat().st_size})
    return overview
