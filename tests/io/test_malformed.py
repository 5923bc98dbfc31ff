"""Every case in tests/io/malformed/ must fail validation with a message a user can act on.

Each case folder is a minimal client workspace plus ``expected.txt``: substrings (one per
line) that the problems' text must contain.
"""

from pathlib import Path

import pytest

from cxlib.errors import InputError
from cxlib.io.workspace import load_workspace, validate_workspace

CASES = sorted(p for p in (Path(__file__).parent / "malformed").iterdir() if p.is_dir())


def test_corpus_is_large_enough():
    assert len(CASES) >= 70


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_workspace_is_reported(case: Path):
    problems = validate_workspace(case)
    assert len(problems) >= 1
    text = "\n".join(map(str, problems))
    expected = [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    missing = [s for s in expected if s not in text]
    assert not missing, f"{missing} not in:\n{text}"
    with pytest.raises(InputError) as info:
        load_workspace(case)
    assert info.value.problems == problems
