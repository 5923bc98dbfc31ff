"""A client workspace: ``client.yaml`` plus table files, loaded and validated as a whole.

:func:`load_workspace` returns typed tables or raises one :class:`InputError` listing
every problem in client.yaml and all tables; :func:`validate_workspace` returns those
problems instead. See docs/input-contract.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..config import ClientConfig, load_config
from ..errors import CxError, InputError, MissingTable, Problem
from ..files import sha256
from .read import ENDINGS, find_table, read_raw
from ..text.lexicon import Theme, default_taxonomy, load_taxonomy
from .scenarios import SCENARIOS_FILE, Scenarios, load_scenarios
from .schema import SPECS, validate_table
from .snapshots import TableSnapshots
from .workshop import load_desired, load_reasons

CONFIG_FILE = "client.yaml"
THEMES_FILE = "themes.yaml"
REQUIRED_TABLES = ("feedback",)


@dataclass(frozen=True, eq=False)
class Workspace:
    """A loaded client workspace.

    ``tables`` holds the typed tables present (by table name); ``files`` the file each
    came from, plus ``"client.yaml"`` (and ``"themes.yaml"`` when the client extends the
    comment-theme taxonomy; ``themes`` is the taxonomy in use; ``"scenarios.yaml"`` when the
    client defines scenarios, held in ``scenarios``).
    """

    root: Path
    config: ClientConfig
    tables: dict[str, pd.DataFrame]
    files: dict[str, Path]
    themes: tuple[Theme, ...] = field(default_factory=default_taxonomy)
    scenarios: Scenarios = field(default_factory=Scenarios)

    @cached_property
    def fingerprint(self) -> dict[str, str]:
        """SHA-256 of each input file loaded (client.yaml, the tables, themes.yaml, scenarios.yaml), keyed by its
        path relative to ``root``, as when loaded.

        Saved results carry it, so a step never uses a result computed from other inputs. Other
        files in the folder (a report written into it, an editor's lock file, the workshop inputs
        that only step 02 reads) do not count.
        """
        return {p.relative_to(self.root).as_posix(): sha256(p) for p in sorted(set(self.files.values()))}

    def outside_period(self) -> dict[str, tuple[int, int]]:
        """Rows outside the client.yaml period, per table that is filtered by period:
        ``{table: (rows outside, rows in all)}``, tables with none outside left out.
        """
        return outside_period(self.config, self.tables)

    def has(self, name: str) -> bool:
        """Whether the workspace has table ``name``."""
        return name in self.tables

    def table(self, name: str) -> pd.DataFrame:
        """Typed table ``name``; :class:`MissingTable` says which file to add if absent."""
        if name not in self.tables:
            if name not in SPECS:
                raise MissingTable(f"there is no table called '{name}'; known tables: {', '.join(SPECS)}")
            endings = ", ".join(ENDINGS[1:])
            raise MissingTable(
                f"this step needs the {name} table: add {name}.csv (or {endings}) to {self.root} "
                "(columns: see docs/input-contract.md)"
            )
        return self.tables[name]


def in_period(frame: pd.DataFrame, column: str, start=None, end=None) -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` falls from day ``start`` to day ``end``, both inclusive
    (``None``: open).
    """
    stamps = frame[column]
    mask = pd.Series(True, index=frame.index)
    if start is not None:
        mask &= stamps >= pd.Timestamp(start)
    if end is not None:
        mask &= stamps < pd.Timestamp(end) + pd.Timedelta(days=1)
    return keep_rows(frame, mask)


def keep_rows(frame: pd.DataFrame, mask) -> pd.DataFrame:
    """``frame[mask]``; a shallow copy when the mask keeps every row, so that no column is copied."""
    return frame.copy(deep=False) if bool(pd.Series(mask).all()) else frame[mask]


def outside_period(config: ClientConfig, tables: dict[str, pd.DataFrame]) -> dict[str, tuple[int, int]]:
    """``{table: (rows outside the period, rows in all)}`` for the tables with a period column
    and at least one row outside ``config.period`` (empty without a period).
    """
    if config.period is None:
        return {}
    out = {}
    for name, frame in tables.items():
        column = SPECS[name].period_column
        if column is None or column not in frame:
            continue
        outside = len(frame) - len(in_period(frame, column, config.period.start, config.period.end))
        if outside:
            out[name] = (outside, len(frame))
    return out


def _period_problems(
    config: ClientConfig | None, tables: dict[str, pd.DataFrame], files: dict[str, Path]
) -> list[Problem]:
    """A problem when no feedback response falls in the period: every step would be empty."""
    if config is None or "feedback" not in tables:
        return []
    outside, total = outside_period(config, {"feedback": tables["feedback"]}).get("feedback", (0, 0))
    if not total or outside < total:
        return []
    dates = tables["feedback"]["date"]
    return [Problem(files["feedback"].name, None, "date", f"{dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}",
                    f"responses in the period {config.period.start} – {config.period.end} set in client.yaml; "
                    f"0 of {total:,} responses fall in it: change period in client.yaml or add the period's data")]


def search_base(path: str | Path) -> Path:
    """The folder a workspace path is relative to: the current directory or the first
    parent in which ``path`` exists (for an absolute path, the current directory).

    So a notebook running in ``notebooks/`` finds ``data/sample`` in the repository root.
    """
    path = Path(path).expanduser()
    here = Path.cwd()
    if path.is_absolute():
        return here
    for base in (here, *here.parents):
        if (base / path).is_dir():
            return base
    raise CxError(f"workspace folder '{path}' not found in {here} or any folder above it")


def find_workspace(path: str | Path) -> Path:
    """Absolute path of workspace folder ``path``, looked up as :func:`search_base` says."""
    found = (search_base(path) / Path(path).expanduser()).resolve()
    if not found.is_dir():
        raise CxError(f"workspace folder {found} does not exist")
    return found


def validate_workspace(path: str | Path) -> list[Problem]:
    """Every problem in the workspace at ``path`` (empty list: it loads cleanly)."""
    return _load(Path(path))[1]


def load_workspace(path: str | Path, snapshot_dir: str | Path | None = None) -> Workspace:
    """Load and validate the workspace at ``path``; raise :class:`InputError` listing all problems.

    With ``snapshot_dir`` (:func:`cxlib.io.snapshots.snapshot_dir` of the workspace), a table whose
    snapshot is there is read from it instead of being parsed and validated again, and the
    others are written there (:mod:`cxlib.io.snapshots`).
    """
    workspace, problems = _load(Path(path), Path(snapshot_dir) if snapshot_dir else None)
    if problems:
        raise InputError(problems)
    workspace.fingerprint  # noqa: B018  the inputs as loaded, before anyone edits a workshop file
    return workspace


def _load(root: Path, snapshot_dir: Path | None = None) -> tuple[Workspace | None, list[Problem]]:
    """The workspace and no problems, or ``None`` and every problem found."""
    if not root.is_dir():
        folder = f"a workspace folder holding {CONFIG_FILE} and feedback.csv (no such folder)"
        return None, [Problem(str(root), None, None, None, folder)]
    root = root.resolve()
    problems: list[Problem] = []
    config = None
    try:
        config = load_config(root / CONFIG_FILE)
    except InputError as exc:
        problems += exc.problems
    tables: dict[str, pd.DataFrame] = {}
    files = {CONFIG_FILE: root / CONFIG_FILE}
    snapshots = TableSnapshots(snapshot_dir, root / CONFIG_FILE) if snapshot_dir and config else None
    for name in SPECS:  # one table at a time: in parallel it is twice as fast but peaks 40 % higher in memory
        file, frame, found = _load_table(root, name, config, snapshots)
        problems += found
        if frame is not None:
            tables[name], files[name] = frame, file
    problems += _period_problems(config, tables, files)
    themes = ()
    try:
        themes = load_taxonomy(root / THEMES_FILE, [d.id for d in config.departments] if config else ())
    except InputError as exc:
        problems += exc.problems
    if (root / THEMES_FILE).is_file():
        files[THEMES_FILE] = root / THEMES_FILE
    scenarios = Scenarios()
    reasons = known_reasons(tables)
    if config is not None:
        try:
            scenarios = load_scenarios(root, channels=[c.id for c in config.channels], reasons=reasons,
                                       departments=[d.id for d in config.departments])
        except InputError as exc:
            problems += exc.problems
    if (root / SCENARIOS_FILE).is_file():
        files[SCENARIOS_FILE] = root / SCENARIOS_FILE
    try:  # the saved workshop inputs (the notebooks read them afresh: workshops edit them)
        load_desired(root, tables["maturity"]["area"].unique().tolist() if "maturity" in tables else ())
    except InputError as exc:
        problems += exc.problems
    try:
        load_reasons(root, reasons or (), [d.id for d in config.departments] if config else ())
    except InputError as exc:
        problems += exc.problems
    if problems:
        return None, problems
    return Workspace(root, config, tables, files, themes, scenarios), []


def known_reasons(tables: dict[str, pd.DataFrame]) -> set[str] | None:
    """The contact reasons of the contacts and the reasons table; ``None`` when neither is loaded."""
    found = [tables[name]["reason"].dropna().unique() for name in ("contacts", "reasons") if name in tables]
    return {str(r) for values in found for r in values} if found else None


def reason_touchpoints(tables: dict[str, pd.DataFrame], by: str = "reason") -> dict[str, str]:
    """Each reason's touchpoint from the reasons table (``by="root_cause"``: each root cause's, the
    touchpoint most of its reasons have); empty without the table or its ``touchpoint`` column.
    """
    reasons = tables.get("reasons")
    if reasons is None or not {by, "touchpoint"} <= set(reasons):
        return {}
    known = reasons.dropna(subset=[by, "touchpoint"])
    return {str(key): str(group.mode().iloc[0]) for key, group in known.groupby(by)["touchpoint"]}


def _load_table(root: Path, name: str, config: ClientConfig | None, snapshots: TableSnapshots | None = None
                ) -> tuple[Path | None, pd.DataFrame | None, list[Problem]]:
    """One table's file, typed frame (``None`` if absent or unreadable) and problems; read from
    and kept in ``snapshots`` when given.
    """
    try:
        file = find_table(root, name)
        if file is None:
            if name in REQUIRED_TABLES:
                table = f"a {name} table: {name}.csv (or {', '.join(ENDINGS[1:])}) in {root}; it is required"
                return None, None, [Problem(f"{name}.csv", None, None, None, table)]
            return None, None, []
        if snapshots and (frame := snapshots.read(name, file)) is not None:
            return file, frame, []
        frame, found = validate_table(read_raw(file), SPECS[name], config)
    except InputError as exc:
        return None, None, exc.problems
    if snapshots and not found:
        snapshots.write(name, file, frame)
    return file, frame, found
