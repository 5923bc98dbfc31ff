"""Every step runs on workspaces thinned one optional table or column at a time.

Only client.yaml and feedback's key columns are required. Each case removes one optional table
or column from a small synthetic client and runs all step notebooks (their own code cells, see
``_steps.py``): no step may crash, each saves its result, every section that needs what was
removed is left out (and says so), and the numbers that do not depend on it are unchanged.
"""

from __future__ import annotations

import shutil

import pytest

from _steps import run_all_steps
from cxlib.io.read import find_table, read_raw
from cxlib.analysis.metrics import nps
from cxlib.results import load
from cxlib.io.schema import SPECS
from cxlib.synth import generate
from cxlib.io.workspace import in_period, load_workspace

pytestmark = pytest.mark.slow

OPTIONAL_TABLES = [name for name in SPECS if name != "feedback"]
OPTIONAL_COLUMNS = [(name, c.name) for name, spec in SPECS.items() for c in spec.columns if not c.required]
CASES = ([(f"no {t}", {t: None}) for t in OPTIONAL_TABLES]
         + [(f"{t} without {c}", {t: [c]}) for t, c in OPTIONAL_COLUMNS]
         + [("csat only", {"feedback": ["nps", "ces"]}),
            ("minimal", {**{t: None for t in OPTIONAL_TABLES},
                         "feedback": [c.name for c in SPECS["feedback"].columns
                                      if not c.required and c.name != "nps"]})])


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A small synthetic client (about 600 responses and 5,500 contacts)."""
    root = tmp_path_factory.mktemp("thinned") / "base"
    generate(root, scale=0.1)
    return root


def thin(base, target, remove: dict[str, list[str] | None]):
    """Copy ``base`` to ``target`` without the tables (``None``) or columns listed in ``remove``."""
    shutil.copytree(base, target)
    for table, columns in remove.items():
        path = find_table(target, table)
        if columns is None:
            path.unlink()
            continue
        raw = read_raw(path)
        frame = raw.frame.drop(columns=[c for c in columns if c in raw.frame])
        path.unlink()
        frame.to_parquet(path.with_suffix(".parquet"), index=False)
    return target


def _parts(view) -> dict[str, tuple[str, ...]]:
    """The parts of a step view declared with ``requires`` and what each needs."""
    return {name: attr.func.needs for name, attr in vars(type(view)).items()
            if hasattr(getattr(attr, "func", None), "needs")}


@pytest.mark.parametrize("remove", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_every_step_runs_and_leaves_out_only_what_needs_the_missing_data(base, tmp_path, remove):
    client = thin(base, tmp_path / "client", remove)
    out = tmp_path / "out"
    ran = run_all_steps(client, out)
    for step in ran:
        assert (out / "results" / f"{step}.json").is_file(), step
    gone = {t if cols is None else f"{t}.{c}" for t, cols in remove.items() for c in (cols or [None])}
    views = [ran["01_current_state"]["view"], ran["03_insight"]["view"]]
    for view in views:
        for part, needs in _parts(view).items():
            lost = [n for n in needs if n in gone or n.split(".")[0] in gone]
            assert (getattr(view, part) is None) == bool(lost), f"{type(view).__name__}.{part}"
            assert set(view.missing(part)) == set(lost)
    ws = load_workspace(client)
    feedback = in_period(ws.table("feedback"), "date", ws.config.period.start, ws.config.period.end)
    saved = {k.kpi: k for k in load(out, "01_current_state").kpis if k.scope == "overall"}
    if "nps" in feedback:
        expected = nps(feedback["nps"])
        assert (saved["nps"].value, saved["nps"].n) == pytest.approx((expected.value, expected.n))
    if "csat" in feedback:
        answered = feedback["csat"].dropna()
        assert saved["csat"].value == pytest.approx((answered >= 4).mean())


def test_a_selection_without_nps_answers_leaves_out_the_nps_sections(base, tmp_path):
    """NPS asked in every channel but chat: filtered to chat, every part that needs NPS is left
    out (and says so), in batch and in the explorers, while CSAT is still computed."""
    client = tmp_path / "client"
    shutil.copytree(base, client)
    path = find_table(client, "feedback")
    frame = read_raw(path).frame
    frame.loc[frame["channel"] == "chat", "nps"] = None
    path.unlink()
    frame.to_parquet(client / "feedback.parquet", index=False)
    for interactive in (False, True):
        ran = run_all_steps(client, tmp_path / f"out-{interactive}", channel="chat", interactive=interactive)
        state, view = ran["01_current_state"]["view"], ran["03_insight"]["view"]
        assert state.journey is None and state.missing("journey") == ["feedback.nps"]
        assert view.drivers is None and view.loop is None and view.missing("loop") == ["feedback.nps"]
        chat = state.scope["feedback"]
        assert state.value("csat") == pytest.approx((chat["csat"].dropna() >= 4).mean())


@pytest.mark.parametrize("name", ["minimal", "csat only", "customers without churned_at"])
def test_cxwb_run_passes_on_thinned_workspaces(base, tmp_path, name):
    """The same workspaces through the runner: real kernels, rendered pages, an ok manifest."""
    from cxlib import runner

    client = thin(base, tmp_path / "client", dict(CASES)[name])
    manifest = runner.run(client, tmp_path / "out")
    assert manifest["ok"], {s: i["error"] for s, i in manifest["steps"].items() if i["error"]}
    assert all((tmp_path / "out" / f"{step}.html").is_file() for step in manifest["steps"])


def test_a_cell_that_stalls_in_process_fails_by_name(tmp_path, monkeypatch):
    import nbformat

    import _steps

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x: int = 1  # a parameter"),
                                         nbformat.v4.new_code_cell("import time\ntime.sleep(30)")])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, tmp_path / "stall.ipynb")
    monkeypatch.setattr(_steps, "CELL_TIMEOUT_S", 1)
    with pytest.raises(TimeoutError, match="stall.ipynb, code cell 2 timed out after 1 s"):
        _steps.run_notebook(tmp_path / "stall.ipynb", x=2)
