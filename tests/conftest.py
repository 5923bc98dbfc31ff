"""Shared fixtures: the committed sample workspace and small hand-made tables."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def sample_ws():
    """The committed sample, loaded once (read only: copy before changing it)."""
    from cxlib.workspace import load_workspace

    return load_workspace(SAMPLE)


@pytest.fixture
def sample_copy(tmp_path):
    """A private copy of the sample workspace that a test may change."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("workshop"))
    return target
