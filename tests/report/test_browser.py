"""The report in a real browser with every network request refused: all charts render, also on a
page copied out of its report folder."""

import re
import shutil
import subprocess

import pytest
from cxlib.steps import REGISTRY

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def rendered_dom(page, profile, fragment=""):
    """The page's DOM after its scripts ran, in headless Chromium with no network at all; ``fragment`` is added to
    the page's address after ``#``."""
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}", "--virtual-time-budget=15000",
            "--dump-dom", page.as_uri() + (f"#{fragment}" if fragment else "")]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (make test installs it where apt-get can)")
@pytest.mark.parametrize("page", [f"{step}.html" for step in REGISTRY])
def test_every_chart_renders_offline(report, page, tmp_path):
    _, out, _ = report
    alone = tmp_path / "alone" / page  # as a client opens a mailed page: without the rest of the folder
    alone.parent.mkdir()
    shutil.copy(out / page, alone)
    source = alone.read_text()
    charts = len(re.findall(r'class="plotly-graph-div"', source))
    assert charts >= 2
    dom = rendered_dom(alone, tmp_path / "profile")
    assert len(re.findall(r'class="plotly-graph-div js-plotly-plot"', dom)) == charts, "a chart did not render"
    # the hostile touchpoint and segment values stay text: no live element was made of them
    assert "<script>alert(1)</script>" not in dom and '<img src="x" onerror=' not in dom

