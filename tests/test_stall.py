"""No stall: every step notebook, with its widgets, under the README's papermill call, two at a time."""

import pytest

from _stall import STEPS, stall_check

pytestmark = pytest.mark.slow


def test_no_notebook_stalls_under_papermill_two_at_a_time():
    result = stall_check(rounds=3, jobs=2)
    assert result["runs"] == 3 * len(STEPS) and len(STEPS) >= 3
    assert result["stalls"] == 0 and result["failures"] == [], result
