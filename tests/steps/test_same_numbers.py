"""No change moves a number of steps 01–03 unnoticed: the sample's saved KPIs and finding values
equal the snapshot in ``data/saved_sample_numbers.json``.

The snapshot first held the results of commit 7caf760 (the last commit before the move into the
eight-step house), to show the move changed no number. It was written again, by
``cxlib.runner.run("data/sample", out)`` reduced to each step's KPIs and its findings' value,
low and high, when the sample gained the contacts that follow dropped web sessions (step 05):
those contacts change the contact KPIs and which contacts are surveyed. Write it again only
with a change to the sample, never to make a code change pass.
"""

import json
import math
from pathlib import Path

import pytest

from cxlib import runner
from cxlib.results import load
from cxlib.steps import REGISTRY
from conftest import SAMPLE

BEFORE = json.loads((Path(__file__).parent / "data" / "saved_sample_numbers.json").read_text(encoding="utf-8"))


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
