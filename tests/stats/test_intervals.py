"""cxlib.stats.intervals against published and hand-worked values."""

import numpy as np
import pandas as pd
import pytest

from cxlib.stats.intervals import Groups, GroupSorted, mean_t, quantile, wilson


def test_wilson_matches_newcombe_1998():
    # Newcombe (1998), Statistics in Medicine 17, 857–872, Table I, method 3 (Wilson score)
    k = np.array([81.0, 15, 0, 1])
    n = np.array([263.0, 148, 20, 29])
    out = wilson(k, n)
    np.testing.assert_allclose(out.low, [0.2553, 0.0624, 0.0, 0.0061], atol=5e-5)
    np.testing.assert_allclose(out.high, [0.3662, 0.1605, 0.1611, 0.1718], atol=5e-5)
    np.testing.assert_allclose(out.value, k / n)


def test_mean_t_by_hand():
    # 1…5: mean 3, s = √2.5 = 1.581139, se = 0.707107, t(0.975, 4) = 2.776445 → half-width 1.963243
    x = np.array([1, 2, 3, 4, 5, np.nan, 7.0])
    groups = Groups(np.array([0, 0, 0, 0, 0, 0, 1]), pd.DataFrame(index=range(2)))
    out = mean_t(x, groups)
    assert out.value[0] == 3 and out.n.tolist() == [5, 1]
    assert out.low[0] == pytest.approx(3 - 1.963243, abs=1e-6) and out.high[0] == pytest.approx(4.963243, abs=1e-6)
    assert np.isnan(out.low[1])  # one answer: no interval
    assert out.first().value == 3


def test_quantile_order_statistics_by_hand():
    # 1…10, median 5.5; binomial(10, ½): P(B ≤ 1) = 0.0107 < 0.025 ≤ P(B ≤ 2) = 0.0547, so r = 2;
    # the 0.975 quantile is 8, so s = 9: the interval is [x_(2), x_(9)] = [2, 9]
    data = GroupSorted.of(np.arange(10, 0, -1, dtype=float), Groups.single(10))
    out = quantile(data, 0.5)
    assert (out.value[0], out.low[0], out.high[0], out.n[0]) == (5.5, 2, 9, 10)
    with pytest.raises(ValueError, match="q must"):
        quantile(data, 1.0)
