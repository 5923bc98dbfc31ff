"""What every step notebook does first and last: open the step, save its result.

A notebook calls :func:`open_step` with its parameters and gets a :class:`Step`: the loaded
workspace, the report language, and where results go. Relative paths are looked up from
the current folder upwards, so the same defaults work from the repository root (papermill)
and from ``notebooks/`` (JupyterLab).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .i18n import fmt_value, t
from .io.snapshots import snapshot_dir
from .io.workspace import Workspace, find_workspace, load_workspace, search_base
from .report.display import missing_table, notice, status
from .results import StepResult, check_report_folder, save
from .steps import StepSpec
from .steps.requires import Requires


@dataclass
class Step:
    """An open step: its name, workspace, report language and output folder."""

    name: str
    ws: Workspace
    lang: str
    out_dir: Path

    def has(self, table: str) -> bool:
        """Whether ``table`` is in the workspace; if not, show what it would add and how to provide it."""
        if self.ws.has(table):
            return True
        missing_table(table, self.lang)
        return False

    def shows(self, view: Requires, part: str) -> bool:
        """Whether ``view`` can show ``part``; if not, show what the part needs (missing tables,
        as :meth:`has` does, and missing columns) so the reader knows how to get it.
        """
        missing = view.missing(part)
        absent = dict.fromkeys(m.split(".")[0] for m in missing if not self.ws.has(m.split(".")[0]))
        for table in absent:
            missing_table(table, self.lang)
        columns = [m for m in missing if "." in m and m.split(".")[0] not in absent]
        if columns:
            needs = ", ".join(t("report.column_in", self.lang, column=c.split(".")[1], table=c.split(".")[0])
                              for c in columns)
            notice(t("report.missing_columns", self.lang, needs=needs), "warning")
        return not missing

    def save(self, result: StepResult) -> Path:
        """Save ``result`` (a view's :meth:`~cxlib.steps.base.View.result`) to ``<out_dir>/results/<step>.json``."""
        if result.step != self.name:
            raise ValueError(f"step {self.name} cannot save the result of step {result.step}")
        return save(result, self.out_dir)


def open_step(spec: StepSpec, client_dir: str, out_dir: str = "", lang: str = "") -> Step:
    """Open step ``spec``: load the workspace at ``client_dir`` and decide language and output folder.

    ``out_dir`` empty means ``reports/<client folder>`` beside the folder that holds
    ``client_dir`` relative paths (the project root for the default ``data/sample``).
    ``lang`` empty means the client's language from ``client.yaml``. A report folder holding
    another client's results is refused (:class:`~cxlib.results.ForeignReport`), and rows outside
    the period are counted in a notice, per table. Typed tables are read from, and kept in, the
    workspace's table snapshots (:mod:`cxlib.io.snapshots`).
    """
    root = find_workspace(client_dir)
    with status(t("report.loading", lang or "en", name=root.name)):
        ws = load_workspace(root, snapshot_dir=snapshot_dir(root))
    out = Path(out_dir) if out_dir else Path("reports") / root.name
    out = out if out.is_absolute() else search_base(client_dir) / out
    check_report_folder(out, str(ws.root))
    lang = lang or ws.config.language
    outside = ws.outside_period()
    if outside:
        period = ws.config.period
        tables = ", ".join(t("report.outside_rows", lang, table=name, n=fmt_value(n, "count", lang),
                             total=fmt_value(total, "count", lang)) for name, (n, total) in outside.items())
        notice(t("report.outside_period", lang, start=period.start, end=period.end, tables=tables))
    return Step(spec.name, ws, lang, out)
