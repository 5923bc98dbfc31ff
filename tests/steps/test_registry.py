"""One registry, one step shape: every step is a registry entry, a module of the same shape and a notebook."""

import importlib
import inspect

import nbformat
import pytest

from cxlib import runner
from cxlib.results import StepResult
from cxlib.steps import REGISTRY
from cxlib.steps.base import Filters, View


@pytest.mark.parametrize("name", list(REGISTRY))
def test_each_step_has_a_module_of_the_one_shape(name):
    spec = REGISTRY[name]
    module = importlib.import_module(f"cxlib.steps.{spec.module}")
    assert module.SPEC is spec
    views = [c for c in vars(module).values() if inspect.isclass(c) and issubclass(c, View) and c is not View]
    assert len(views) == 1 and views[0].SPEC is spec and views[0].FINDINGS
    params = inspect.signature(module.view).parameters
    assert list(params)[:3] == ["ws", "filters", "lang"]
    assert params["filters"].kind is inspect.Parameter.KEYWORD_ONLY and params["filters"].default == Filters()
    assert inspect.signature(views[0].result).return_annotation in (StepResult, "StepResult")


@pytest.mark.parametrize("name", list(REGISTRY))
def test_each_notebook_opens_its_step_and_saves_the_views_result(name):
    spec = REGISTRY[name]
    nb = nbformat.read(runner.NOTEBOOKS / spec.notebook, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert f"open_step({spec.module}.SPEC," in code
    assert f"view = {spec.module}.view(" in code
    assert code.rstrip().endswith("step.save(view.result())")


def test_the_registry_reads_only_earlier_steps_and_names_known_kpis():
    from cxlib.kpis import KPIS

    names = list(REGISTRY)
    for position, spec in enumerate(REGISTRY.values()):
        assert set(spec.reads) <= set(names[:position]), spec.name
        assert set(spec.headline_kpis) <= set(KPIS)
    assert sorted(p.name for p in runner.NOTEBOOKS.glob("*.ipynb")) == sorted(s.notebook for s in REGISTRY.values())
