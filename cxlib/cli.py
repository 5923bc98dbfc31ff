"""``cxwb``: the workbook's command line (run, validate, new, synth, notebooks).

User errors print a plain message and exit 1 without a traceback; ``--debug`` shows it.
Everything printed goes through :func:`line`, so client names, cell values, paths and
error texts are shown literally and never read as Rich markup (``[/x]``, ``[link=…]``).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .files import write_atomic
from .errors import CxError, InputError
from .kernels import CELL_TIMEOUT_S

app = typer.Typer(help="CX strategy workbook: validate client workspaces and run the report.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True)
out = Console()
_state = {"debug": False}
TEMPLATE = Path(__file__).parent / "templates" / "workspace"


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False):
    _state["debug"] = debug


def line(*parts: str | tuple[str, str]) -> Text:
    """Text to print: each ``str`` part literally, each ``(text, style)`` part in that style.

    Parameters
    ----------
    *parts : str or tuple of (str, str)
        Data (names, values, paths, messages), never read as markup, or a fixed word with
        a Rich style such as ``("OK", "green")``.

    Returns
    -------
    rich.text.Text
        The parts joined, ready for ``Console.print``, a table cell or a status line.
    """
    return Text.assemble(*parts)


def problems_table(error: InputError) -> Table:
    """A rich table with one row per input problem, every cell shown literally."""
    table = Table(title=line(f"{len(error.problems)} problem(s) found"), show_lines=False, title_justify="left")
    for col in ("file", "row", "column", "value", "expected"):
        table.add_column(col, overflow="fold")
    for p in error.problems:
        cells = (p.file, "" if p.row is None else str(p.row), p.column or "", "" if p.value is None else p.value,
                 p.expected)
        table.add_row(*map(line, cells))
    return table


@app.command()
def validate(client_dir: Annotated[Path, typer.Argument(help="Client workspace folder.")]):
    """Check a client workspace and list every problem found (exit 1 if any)."""
    from .io.workspace import load_workspace

    with err.status(line(f"validating {client_dir}")):
        ws = load_workspace(client_dir)
    tables = ", ".join(f"{n} ({len(t):,} rows)" for n, t in ws.tables.items())
    out.print(line(("OK", "green"), f" {ws.config.name}: {tables}"))
    for name, (outside, total) in ws.outside_period().items():
        period = ws.config.period
        out.print(line(("Note:", "yellow"), f" {outside:,} of {total:,} {name} rows fall outside the period "
                                            f"{period.start} – {period.end} (client.yaml) "
                                            "and are left out of the report"))


def check_lang(lang: str | None) -> None:
    """Refuse a ``--lang`` that is not a report language (``None``: not given)."""
    from .i18n import LANGUAGES

    if lang is not None and lang not in LANGUAGES:
        raise CxError(f"--lang must be {', '.join(LANGUAGES[:-1])} or {LANGUAGES[-1]}, not '{lang}'")


@app.command()
def run(
    client_dir: Annotated[Path, typer.Argument(help="Client workspace folder.")],
    out_dir: Annotated[Optional[Path], typer.Option(
        "--out", help="Report folder [default: reports/<client folder>].")] = None,
    lang: Annotated[Optional[str], typer.Option(
        help="Report language sv, en or nb [default: from client.yaml].")] = None,
    steps: Annotated[Optional[list[str]], typer.Option(
        "--steps", help="Only these steps (e.g. 01 02); repeatable.")] = None,
    jobs: Annotated[int, typer.Option(help="Steps run in parallel.", min=1)] = 2,
    cell_timeout: Annotated[float, typer.Option(
        "--cell-timeout", min=1,
        help="Seconds a notebook cell may run; past it the step gets one more try, then fails.")
    ] = CELL_TIMEOUT_S,
    export: Annotated[str, typer.Option(
        "--export", help="Exports to write besides the HTML report, comma-separated: pdf, pptx, xlsx, or none.")
    ] = "pdf,pptx,xlsx",
):
    """Validate, execute every step notebook and write the HTML report, dashboard, exports and manifest."""
    from .report.deliver import check_exports
    from .runner import RunInterrupted, run as run_workbook, select_steps

    check_lang(lang)
    exports = check_exports([] if export.strip() == "none" else [e.strip() for e in export.split(",") if e.strip()])
    total = len(select_steps(steps))
    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(),
                  TextColumn("{task.completed}/{task.total}", markup=False),
                  TimeElapsedColumn(), console=err, transient=False) as progress:
        task, ended = progress.add_task("validating workspace", total=total), []

        def on_step(step, outcome):
            if outcome is None:
                progress.update(task, description=f"running {step}")
                return
            style = {"ok": "green", "failed": "red", "skipped": "yellow", "interrupted": "red"}[outcome.status]
            detail = f" – {outcome.error}" if outcome.error else ""
            detail += f" (second try; the first: {outcome.retried})" if outcome.retried else ""
            progress.console.print(line((f"{outcome.status:>7}", style), f" {step} ({outcome.seconds:.1f} s){detail}"))
            progress.advance(task)
            ended.append(step)
            if len(ended) == total and exports:
                progress.update(task, description="writing the dashboard and exports")

        def on_export(name, info):
            style = {"ok": "green", "failed": "red", "skipped": "yellow"}[info["status"]]
            detail = f" – {info['error']}" if info["error"] else ""
            progress.console.print(line((f"{info['status']:>7}", style), f" {info['file']} ({info['seconds']:.1f} s)"
                                        f"{detail}"))

        try:
            manifest = run_workbook(client_dir, out_dir, lang=lang, steps=steps, jobs=jobs, cell_timeout=cell_timeout,
                                    exports=exports, on_step=on_step, on_export=on_export)
        except RunInterrupted as exc:
            progress.stop()
            err.print(line(("Interrupted:", "red"), f" {str(exc).removeprefix('Interrupted: ')}"))
            raise typer.Exit(130) from None
        progress.update(task, description="done")
    report = Path(manifest["parameters"]["out_dir"]) / "index.html"
    out.print(line(f"Report: {report} ({manifest['seconds']:.1f} s)"))
    if not manifest["ok"]:
        failed = [s for s, info in manifest["steps"].items() if info["status"] != "ok"]
        err.print(line(("Not complete:", "red"),
                       f" {', '.join(failed)} did not finish; executed notebooks are kept in the report folder."))
        raise typer.Exit(1)
    failed = [info["file"] for info in manifest.get("exports", {}).values() if info["status"] != "ok"]
    if failed:
        err.print(line(("Not written:", "red"), f" {', '.join(failed)}; the lines above say why."))
        raise typer.Exit(1)


@app.command()
def new(target: Annotated[Path, typer.Argument(help="Folder to create for the new client.")]):
    """Create a client workspace: a commented client.yaml and empty template tables."""
    if target.exists() and not target.is_dir():
        raise CxError(f"{target} is a file; choose a new folder.")
    if target.exists() and any(target.iterdir()):
        raise CxError(f"{target} exists and is not empty; choose a new folder.")
    shutil.copytree(TEMPLATE, target, dirs_exist_ok=True)
    out.print(line(f"Created {target}. Edit client.yaml, fill the tables (at least feedback.csv), then: "
                   f"cxwb validate {target}"))


@app.command()
def synth(
    target: Annotated[Path, typer.Argument(help="Folder to write the synthetic client to.")],
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 42,
    scale: Annotated[float, typer.Option(help="Multiplies every volume (1 = the committed sample).", min=0.001)] = 1.0,
    responses_per_day: Annotated[Optional[int], typer.Option(
        help="Feedback responses per day (overrides scale).")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="'parquet' writes every table as Parquet.")] = None,
):
    """Generate a realistic fictitious client workspace (for demos and benchmarks)."""
    from .synth import generate

    with err.status(line(f"generating {target}")):
        paths = generate(target, seed=seed, scale=scale, responses_per_day=responses_per_day, formats=fmt)
    out.print(line(f"Wrote {len(paths)} files to {target}"))


@app.command()
def notebooks(
    target: Annotated[Path, typer.Argument(help="Folder to write the step notebooks to (for JupyterLab).")],
    client: Annotated[Optional[Path], typer.Option(
        "--client",
        help="Client workspace the notebooks open (their client_dir); its language is the default.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Narrative and report language: sv, en or nb.")] = "",
    force: Annotated[bool, typer.Option("--force", help="Replace notebooks already in the folder.")] = False,
):
    """Write the step notebooks with their narrative in one language, to open them in JupyterLab."""
    import nbformat

    from .config import load_config
    from .io.workspace import CONFIG_FILE, find_workspace
    from .narrative import in_language
    from .runner import NOTEBOOKS

    if target.exists() and not target.is_dir():
        raise CxError(f"{target} is a file; choose a folder.")
    root = find_workspace(client) if client is not None else None
    lang = lang or (load_config(root / CONFIG_FILE).language if root is not None else "")
    if not lang:
        raise CxError("Give --client (the notebooks use its language) or --lang (sv, en or nb).")
    check_lang(lang)
    defaults = {"client_dir": str(root)} if root is not None else {}
    sources = sorted(NOTEBOOKS.glob("*.ipynb"))
    written = {p.name: in_language(nbformat.read(p, as_version=4), lang, **defaults) for p in sources}
    there = [name for name in written if (target / name).exists()]
    if there and not force:
        raise CxError(f"{target} already holds {', '.join(there)}; nothing was written (--force replaces them).")
    target.mkdir(parents=True, exist_ok=True)
    for name, nb in written.items():
        write_atomic(target / name, nbformat.writes(nb) + "\n")
    hint = "" if root is not None else " – then set client_dir in each notebook's first cell to the client's workspace"
    out.print(line(f"Wrote {len(written)} notebooks in {lang} to {target}. "
                   f"Open them with: jupyter lab {target}{hint}."))


def main() -> None:
    """Console-script entry point: user errors become a message and exit code 1.

    User errors are :class:`~cxlib.errors.CxError` and :class:`OSError` (a path that is a
    file, a folder that cannot be created or read). Usage errors and ``--help`` are
    handled by typer itself (exit 2 and 0).
    """
    try:
        app()
    except InputError as exc:
        if _state["debug"]:
            raise
        err.print(problems_table(exc))
        err.print(line(("Nothing was written.", "red"), " Fix the problems above and run again."))
        sys.exit(1)
    except (CxError, OSError) as exc:
        if _state["debug"]:
            raise
        err.print(line(("Error:", "red"), f" {_message(exc)}"))
        sys.exit(1)


def _message(exc: Exception) -> str:
    """The message of a user error; for a file-system error the reason and the path, without an errno."""
    if isinstance(exc, OSError) and exc.strerror:
        paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
        return f"{exc.strerror}: {' → '.join(paths)}" if paths else exc.strerror
    return str(exc)
