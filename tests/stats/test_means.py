import math

import numpy as np
import pytest
from scipy import stats

from cxlib.stats.means import mean_difference


def test_hand_worked_welch():
    # a = 1,2,3,4 (mean 2.5, s² 5/3), b = 2,4,6 (mean 4, s² 4)
    r = mean_difference([1, 2, 3, 4], [2, 4, 6])
    va, vb = (5 / 3) / 4, 4 / 3
    se = math.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va**2 / 3 + vb**2 / 2)
    assert r.diff == pytest.approx(-1.5)
    assert r.t == pytest.approx(-1.5 / se)
    assert dof == pytest.approx(3.2347, abs=1e-4)  # 1.75² / (0.41667²/3 + 1.33333²/2)
    half = stats.t.ppf(0.975, dof) * se
    assert (r.low, r.high) == pytest.approx((-1.5 - half, -1.5 + half))
    assert r.p_value == pytest.approx(stats.ttest_ind([1, 2, 3, 4], [2, 4, 6], equal_var=False).pvalue)
    assert (r.n_a, r.n_b) == (4, 3)


def test_missing_values_left_out_and_too_few():
    r = mean_difference([1, np.nan, 3], [5, 7, None])
    assert r.diff == pytest.approx(-4) and (r.n_a, r.n_b) == (2, 2)
    assert math.isnan(mean_difference([1], [2, 3]).diff)
    with pytest.raises(ValueError):
        mean_difference([1, 2], [3, 4], confidence=1.5)
