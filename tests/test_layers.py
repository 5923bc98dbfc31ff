"""The layer rule of ARCHITECTURE.md: imports only go down stats → analysis, text → steps → report, ui → runner, cli."""

import ast
from pathlib import Path

import pytest

CXLIB = Path(__file__).resolve().parents[1] / "cxlib"
#: What each layer may not import (cxlib subpackages or modules, and third-party packages).
FORBIDDEN = {
    "stats": {"cxlib.analysis", "cxlib.text", "cxlib.steps", "cxlib.report", "cxlib.ui", "cxlib.i18n", "cxlib.io",
              "IPython", "plotly", "ipywidgets"},
    "analysis": {"cxlib.steps", "cxlib.report", "cxlib.ui", "cxlib.i18n", "IPython", "plotly", "ipywidgets"},
    "text": {"cxlib.analysis", "cxlib.steps", "cxlib.report", "cxlib.ui", "cxlib.i18n", "IPython", "plotly",
             "ipywidgets"},
    "steps": {"cxlib.report", "cxlib.ui", "cxlib.session", "cxlib.runner", "cxlib.cli", "IPython", "plotly",
              "ipywidgets"},
}


def imported(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved)."""
    package = ".".join(("cxlib", *path.relative_to(CXLIB).parts[:-1]))
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize("layer", FORBIDDEN)
def test_no_layer_imports_upwards(layer):
    found = {f"{path.relative_to(CXLIB)} imports {name}"
             for path in sorted((CXLIB / layer).rglob("*.py")) for name in imported(path)
             for banned in FORBIDDEN[layer] if name == banned or name.startswith(banned + ".")}
    assert not found, sorted(found)


def test_the_rule_sees_relative_imports():
    assert "cxlib.report.display" in imported(CXLIB / "session.py")
    assert "cxlib.stats.checks" in imported(CXLIB / "analysis" / "metrics.py")


def test_no_module_imports_another_modules_underscore_names():
    found = [f"{path.relative_to(CXLIB)}: {node.module}.{alias.name}"
             for path in sorted(CXLIB.rglob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.ImportFrom)
             for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert not found
