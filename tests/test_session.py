"""open_step: relative paths resolve the same from the project root, from notebooks/ and with '..'."""

import shutil

import pytest

from conftest import SAMPLE
from cxlib.session import open_step
from cxlib.steps import REGISTRY


@pytest.fixture
def project(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "data" / "sample", ignore=shutil.ignore_patterns("workshop"))
    (tmp_path / "notebooks").mkdir()
    return tmp_path


@pytest.mark.parametrize("cwd, client_dir", [(".", "data/sample"), ("notebooks", "data/sample"),
                                             ("notebooks", "../data/sample"), ("data/sample", ".")])
def test_default_out_dir_is_reports_beside_the_search_base(project, monkeypatch, cwd, client_dir):
    monkeypatch.chdir(project / cwd)
    step = open_step(REGISTRY["01_current_state"], client_dir)
    assert step.ws.root == (project / "data" / "sample").resolve()
    # the base is where the relative path was found: "data/sample" from notebooks/ is found one folder up
    expected = {"data/sample": project, "../data/sample": project / "notebooks",
                ".": project / "data" / "sample"}[client_dir]
    assert step.out_dir.resolve() == (expected / "reports" / "sample").resolve()
    assert step.lang == "sv"


def test_explicit_out_dir_and_language(project, monkeypatch, tmp_path):
    monkeypatch.chdir(project)
    step = open_step(REGISTRY["02_desired_state"], str(project / "data" / "sample"), str(tmp_path / "out"), "en")
    assert step.out_dir == tmp_path / "out" and step.lang == "en"
