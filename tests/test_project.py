"""Project conventions: dependencies declared twice agree, notebooks are clean and documented."""

import ast
import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from cxlib import runner
from cxlib.steps import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == declared


def test_the_package_ships_the_notebooks_of_the_repository():
    assert runner.NOTEBOOKS.resolve() == (ROOT / "notebooks").resolve()
    assert runner.NOTEBOOKS.relative_to(ROOT) == Path("cxlib/notebooks"), "found through the package"
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "notebooks/*.ipynb" in package_data["cxlib"]


def test_there_are_step_notebooks():
    assert [p.name for p in NOTEBOOKS] == [spec.notebook for spec in REGISTRY.values()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_clean_with_one_documented_parameters_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "stored outputs"
    params = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    source = "".join(params[0]["source"])
    tree = ast.parse(source)
    assert tree.body, "empty parameters cell"
    lines = source.splitlines()
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), f"parameter without type annotation: {ast.unparse(node)}"
        assert "#" in lines[node.lineno - 1], f"parameter without comment: {ast.unparse(node)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_narrative_exists_in_swedish_and_english(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    tags = [t for c in nb["cells"] for t in c.get("metadata", {}).get("tags", []) if t.startswith("lang-")]
    assert tags.count("lang-sv") == tags.count("lang-en") == tags.count("lang-nb") > 0


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_documents_every_parameter(path):
    import papermill

    nb = json.loads(path.read_text(encoding="utf-8"))
    [cell] = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    names = [node.target.id for node in ast.parse("".join(cell["source"])).body]
    inferred = papermill.inspect_notebook(str(path))
    assert list(inferred) == names
    assert all(p["help"] for p in inferred.values())


def test_public_api_resolves():
    import cxlib

    assert all(getattr(cxlib, name) is not None for name in cxlib.__all__)
    with pytest.raises(AttributeError):
        cxlib.no_such_name
