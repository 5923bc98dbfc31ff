"""The workshop use in a real JupyterLab: run the notebooks, change a control in each.

Needs Chromium and Node with tests/e2e's packages (``make test`` installs both where it can).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import SAMPLE

pytestmark = pytest.mark.slow
E2E = Path(__file__).parent / "e2e"
READY = shutil.which("chromium") and shutil.which("node") and (E2E / "node_modules" / "playwright-core").is_dir()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on a private copy of the sample and the notebooks a workshop opens (in the client's
    language, written by ``cxwb notebooks --client``, as ``make lab`` does); yields (root, url, token)."""
    root = tmp_path / "lab"
    shutil.copytree(SAMPLE, root / "data" / "sample", ignore=shutil.ignore_patterns("workshop"))
    subprocess.run([str(Path(sys.executable).parent / "cxwb"), "notebooks", str(root / "notebooks"), "--client",
                    str(root / "data" / "sample")], check=True, capture_output=True, timeout=120)
    port, token = free_port(), "cxwb-test"
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen([str(Path(sys.executable).parent / "jupyter-lab"), "--no-browser", f"--port={port}",
                               "--ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
                               "--allow-root"], stdout=log, stderr=subprocess.STDOUT, cwd=root)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start: " + (tmp_path / "lab.log").read_text()[-2000:])
        yield root, url, token
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.skipif(not READY, reason="needs chromium, node and `npm ci --prefix tests/e2e` (make test does it)")
def test_workshop_controls_redraw_and_save_in_jupyterlab(lab):
    root, url, token = lab
    env = {**os.environ, "CHROMIUM": shutil.which("chromium"), "SCREENSHOT": str(root.parent / "failure.png")}
    r = subprocess.run(["node", "workshop.js", url, token], cwd=E2E, capture_output=True, text=True, timeout=600,
                       env=env)
    assert r.returncode == 0, f"{r.stderr[-3000:]}\nscreenshot: {env['SCREENSHOT']}"
    seen = json.loads(r.stdout.strip().splitlines()[-1])
    assert seen["plots_01"] >= 13, "the page's 11 charts and the explorer's 2"
    assert seen["plots_02"] >= 4
    assert seen["update_01"] and seen["update_01"].endswith(" ms"), "changing the channel redrew the explorer"
    assert seen["update_02"] and seen["update_02"].endswith(" ms"), "editing a target redrew the gaps"
    saved = yaml.safe_load((root / "data" / "sample" / "workshop" / "desired_state.yaml").read_text())
    assert saved["targets"]["nps"] == 33.0, "the workshop's edit is saved in the client's workspace"
    maturity = pd.read_csv(root / "data" / "sample" / "maturity.csv").groupby("area")["desired"].mean().round(1)
    assert seen["sliders_02"] == len(maturity)
    assert saved["maturity"] == pytest.approx(maturity.to_dict()), "showing a slider must not change its level"
    assert seen["plots_03"] >= 12, "the page's 10 charts and the explorer's 2"
    assert seen["update_03"] and seen["update_03"].endswith(" ms"), "choosing a theme redrew the explorer"
    assert 0 < seen["verbatims_03"] <= 15 and "@" not in seen["verbatim_text_03"]
    assert seen["plots_06"] >= 7, "the page's 6 charts and the explorer's 1"
    assert seen["update_06"] and seen["update_06"].endswith(" ms"), "labelling a reason redrew the editor"
    labels = yaml.safe_load((root / "data" / "sample" / "workshop" / "reasons.yaml").read_text(encoding="utf-8"))
    assert labels == {"reasons": {"var är min faktura": {"demand_type": "failure"}}}, "only the edit is saved"
    from cxlib.io.workspace import load_workspace
    from cxlib.steps import demand

    again = demand.view(load_workspace(root / "data" / "sample"), lang="sv")  # the next run, after the kernel
    assert again.reasons.set_index("reason").loc["var är min faktura", "demand_type"] == "failure"
    assert seen["plots_07"] >= 5, "the page's 4 charts and the explorer's matrix"
    assert seen["saved_07"].startswith("Sparat i workshop/priorities.yaml")
    assert "Proaktiva sms" in seen["agreement_07"] and "Anna: Kräver nätägarens data" in seen["agreement_07"]
    assert seen["update_07"] and seen["update_07"].endswith(" ms"), "changing the method redrew the explorer"
    scores = yaml.safe_load((root / "data" / "sample" / "workshop" / "priorities.yaml").read_text(encoding="utf-8"))
    (score,) = scores["initiatives"]["I03"]["scores"]
    assert (score["participant"], score["effort"], score["effect"], score["comment"]) == (
        "Anna", 3, 3, "Kräver nätägarens data")
    from cxlib.steps import prioritisation

    listed = prioritisation.view(load_workspace(root / "data" / "sample"), lang="sv").initiatives.set_index("id")
    assert (listed.loc["I03", "effort"], listed.loc["I03", "scored_by"]) == (3, 1), "the next run uses the score"
