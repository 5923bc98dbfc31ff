"""Running the step notebooks in this process: the notebooks' own code cells, without a kernel.

The thinned-workspace matrix runs every step on dozens of workspaces; a kernel per notebook
would cost seconds each, so the cells are executed here, in order, in one namespace, exactly
as a kernel would run them (``display`` is IPython's). The runner tests still execute the
notebooks with papermill on the sample, a multi-chunk CSV and a multi-row-group Parquet.
"""

from __future__ import annotations

import contextlib
import io
import signal
from pathlib import Path

import nbformat
import papermill
from IPython.display import display

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


CELL_TIMEOUT_S = 300
"""Longest a cell may run here before it fails as TimeoutError naming the cell (seconds)."""


@contextlib.contextmanager
def _time_limit(seconds: int, what: str):
    """Raise TimeoutError naming ``what`` when the block runs longer than ``seconds`` (SIGALRM)."""
    def expire(signum, frame):
        raise TimeoutError(f"{what} timed out after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_notebook(path: Path, **parameters) -> dict:
    """Execute the code cells of notebook ``path`` with ``parameters`` overriding its parameters
    cell; return the namespace. Output is discarded; an exception names the failing cell, and a
    cell running longer than :data:`CELL_TIMEOUT_S` fails as TimeoutError."""
    nb = nbformat.read(path, as_version=4)
    namespace: dict = {"display": display, "__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for number, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), 1):
            where = f"{path.name}, code cell {number}"
            with _time_limit(CELL_TIMEOUT_S, where):
                exec(compile(cell.source, where, "exec"), namespace)  # noqa: S102  the project's own notebook
            if "parameters" in cell.metadata.get("tags", []):
                namespace.update(parameters)
    return namespace


def run_all_steps(client_dir: Path, out_dir: Path, lang: str = "", interactive: bool = False,
                  **filters) -> dict[str, dict]:
    """Every step notebook on ``client_dir`` into ``out_dir``, in order; namespaces by notebook.

    ``filters`` (e.g. ``channel="chat"``) go to the notebooks whose parameters cell has them."""
    params = {"client_dir": str(client_dir), "out_dir": str(out_dir), "lang": lang, "interactive": interactive}
    return {path.stem: run_notebook(path, **params,
                                    **{k: v for k, v in filters.items() if k in papermill.inspect_notebook(str(path))})
            for path in NOTEBOOKS}
