"""The move into the eight-step house changed no number: the sample's saved KPIs and finding
values equal those of the code before the move.

``data/saved_before_layout.json`` holds the results of commit 7caf760 (the last commit before
the move), written by ``cxlib.runner.run("data/sample", out)`` from that checkout and reduced to
each step's KPIs and its findings' value, low and high.
"""

import json
import math
from pathlib import Path

import pytest

from cxlib import runner
from cxlib.results import load
from cxlib.steps import REGISTRY
from conftest import SAMPLE

BEFORE = json.loads((Path(__file__).parent / "data" / "saved_before_layout.json").read_text(encoding="utf-8"))


def same(a, b) -> bool:
    return a == b or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    out = tmp_path_factory.mktemp("same-numbers")
    manifest = runner.run(SAMPLE, out)
    assert manifest["ok"], manifest["steps"]
    return {name: load(out, name) for name in REGISTRY}


@pytest.mark.slow
@pytest.mark.parametrize("step", list(BEFORE))
def test_saved_kpis_are_unchanged(saved, step):
    before = {(k["kpi"], k["scope"]): k for k in BEFORE[step]["kpis"]}
    after = {(k.kpi, k.scope): k.model_dump() for k in saved[step].kpis}
    assert set(after) == set(before)
    changed = [key for key, k in after.items()
               if not all(same(k[f], before[key][f]) for f in ("value", "low", "high", "n"))]
    assert changed == []


@pytest.mark.slow
@pytest.mark.parametrize("step", list(BEFORE))
def test_finding_values_are_unchanged(saved, step):
    before = BEFORE[step]["findings"]
    after = {f.id: [f.value, f.low, f.high] for f in saved[step].findings}
    assert set(after) == set(before)
    assert [i for i in after if not all(same(a, b) for a, b in zip(after[i], before[i]))] == []
