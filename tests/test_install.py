"""Installed for use: `pip install <checkout>` (not editable) in a new virtualenv, then the
commands of the README from a folder that has nothing to do with the checkout."""

import json
import shutil
import subprocess
import venv

import pytest

from conftest import ROOT
from cxlib.steps import REGISTRY

pytestmark = pytest.mark.slow


def _tracked_copy(target):
    """The checkout's tracked files (symlinks kept: cxlib/notebooks links to notebooks/)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source, dest = ROOT / name, target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            dest.symlink_to(source.readlink())
        elif source.is_file():
            shutil.copy2(source, dest)
    return target


def test_installed_package_writes_a_complete_report_from_anywhere(tmp_path):
    env_dir = tmp_path / "venv"
    try:
        venv.create(env_dir, with_pip=True)
    except Exception as exc:  # noqa: BLE001 – any reason the machine cannot make one
        pytest.skip(f"this machine cannot create a virtualenv: {exc}")
    bin_dir = env_dir / "bin"
    source = _tracked_copy(tmp_path / "checkout")
    install = subprocess.run([bin_dir / "python", "-m", "pip", "install", "-q", str(source)],
                             capture_output=True, text=True, timeout=1200)
    assert install.returncode == 0, install.stderr[-3000:]
    shutil.rmtree(source)  # the installed package must not need the checkout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def cxwb(*args):
        return subprocess.run([bin_dir / "cxwb", *map(str, args)], cwd=elsewhere, capture_output=True, text=True,
                              timeout=900)

    assert (r := cxwb("synth", "client", "--scale", "0.05")).returncode == 0, r.stderr
    assert (r := cxwb("run", "client", "--out", "report")).returncode == 0, r.stdout + r.stderr
    report = elsewhere / "report"
    manifest = json.loads((report / "manifest.json").read_text())
    assert manifest["ok"] and manifest["complete"] and manifest["versions"]["cxlib"] != "not installed"
    for page in ["index.html", *(f"{step}.html" for step in REGISTRY)]:
        assert (report / page).is_file(), page
    assert (r := cxwb("notebooks", "nb", "--client", "client")).returncode == 0, r.stderr
    assert (sorted(p.name for p in (elsewhere / "nb").iterdir())
            == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")))
