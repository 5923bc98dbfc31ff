"""Shared fixtures: the committed sample workspace and small hand-made tables."""

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def sample_ws():
    """The committed sample, loaded once (read only: copy before changing it)."""
    from cxlib.io.workspace import load_workspace

    return load_workspace(SAMPLE)


@pytest.fixture
def sample_copy(tmp_path):
    """A private copy of the sample workspace that a test may change."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("workshop"))
    return target


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
FORMULA = "=cmd|' /C calc'!A0"
"""A spreadsheet payload (DDE) that a detractor's comment of the report's client begins with."""


PII_VARIANTS = 400
"""Detractor comments carrying generated personal data (``cxlib.text.pii_cases``) added to the report's client."""


def _personal_data_rows(n: int) -> str:
    """CSV rows (sample layout) of detractors with customer ids whose comments hold one generated
    personal-data item each, so that they reach the callback lists too."""
    import csv
    import io

    from cxlib.text.pii_cases import variants

    cases = variants(seed=7, n=n)
    cases = cases[cases["kind"] != "none"].reset_index(drop=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    for i, text in enumerate(cases["text"]):
        writer.writerow([f"RP{i:06d}", f"2025-06-{1 + i % 28:02d}", "phone", "faktura", i % 7, "", "", text,
                         "mobile", "privat", f"K{i % 900 + 1:07d}", "", ""])
    return buffer.getvalue()


def personal_data_items() -> list[str]:
    """The personal-data items written into the report's client by :func:`_personal_data_rows`."""
    from cxlib.text.pii_cases import variants

    cases = variants(seed=7, n=PII_VARIANTS)
    return cases.loc[cases["kind"] != "none", "item"].tolist()


@pytest.fixture(scope="session")
def report(tmp_path_factory):
    """The sample, with hostile text in touchpoint and segment values and in the newest comment
    (a detractor's, about billing), a detractor's comment that begins with a spreadsheet formula, and
    detractors whose comments carry generated personal data
    in every format the scrubber knows, run once into a report folder.

    Returns (client folder, report folder, manifest).
    """
    from cxlib import runner

    client = tmp_path_factory.mktemp("client") / "sample"
    shutil.copytree(SAMPLE, client, ignore=shutil.ignore_patterns("workshop"))
    path = client / "feedback.csv"
    text = path.read_text(encoding="utf-8-sig").replace(";avbrott;", f";{SCRIPT};").replace(";företag;", f";{IMG};")
    text += f"R9999999;2025-12-31;phone;faktura;0;1;1;Fakturan var fel igen {SCRIPT} {IMG};mobile;privat;K0000001;sv;\n"
    text += f"R9999998;2025-12-30;phone;faktura;0;1;1;{FORMULA} fakturan var fel;mobile;privat;K0000002;sv;\n"
    text += _personal_data_rows(PII_VARIANTS)
    path.write_text(text, encoding="utf-8-sig")
    out = tmp_path_factory.mktemp("report")
    return client, out, runner.run(client, out)


@pytest.fixture
def cxwb_here(monkeypatch, capsys):
    """Run the console script's ``main()`` in this process: ``(exit code, stdout + stderr)``.

    Anything other than an exit (a Rich ``MarkupError``, a stray exception) escapes and
    fails the test, just as it would end in a traceback for the user.
    """
    from cxlib import cli

    for console in (cli.out, cli.err):
        monkeypatch.setattr(console, "width", 400)

    def run(*args):
        monkeypatch.setattr(sys, "argv", ["cxwb", *map(str, args)])
        with pytest.raises(SystemExit) as info:
            cli.main()
        captured = capsys.readouterr()
        return info.value.code, captured.out + captured.err

    return run
