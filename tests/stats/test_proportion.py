"""cxlib.stats.proportion against Newcombe (1998) and hand-worked pooled z-tests.

z = 1.959964 (95 %), z² = 3.841459 throughout.
"""

import math

import numpy as np
import pytest
from scipy import stats

from cxlib.stats.proportion import two_proportions

Z = 1.959963984540054


def wilson_bounds(k, n, z=Z):
    """Wilson (1927) bounds by the textbook formula, for the hand computations below."""
    centre = (k + z * z / 2) / (n + z * z)
    half = z / (n + z * z) * math.sqrt(k * (n - k) / n + z * z / 4)
    return max(centre - half, 0.0), min(centre + half, 1.0)


# --- Newcombe's interval ----------------------------------------------------------------


def test_interval_matches_newcombe_1998_table_ii_method_10():
    # Newcombe (1998), Statistics in Medicine 17, 873–890, Table II, method 10 (score interval
    # from the two Wilson intervals, no continuity correction), 95 %:
    k1, n1 = [56, 9, 6, 5, 0], [70, 10, 7, 56, 10]
    k2, n2 = [48, 3, 2, 0, 0], [80, 10, 7, 29, 20]
    out = two_proportions(k1, n1, k2, n2)
    np.testing.assert_allclose(out.low, [0.0524, 0.1705, 0.0582, -0.0381, -0.1611], atol=5e-5)
    np.testing.assert_allclose(out.high, [0.3339, 0.8090, 0.8062, 0.1926, 0.2775], atol=5e-5)
    # d = 56/70 − 48/80 = 0.8 − 0.6 = 0.2; 9/10 − 3/10 = 0.6; 6/7 − 2/7 = 4/7; 5/56 − 0; 0 − 0
    np.testing.assert_allclose(out.diff, [0.2, 0.6, 4 / 7, 5 / 56, 0.0], atol=1e-12)


def test_interval_formula_by_hand_for_56_of_70_against_48_of_80():
    # Wilson 56/70: centre (56 + 1.920729)/73.841459 = 0.784393, half 1.959964/73.841459 · √(11.2 + 0.960365)
    #   = 0.092560 → (0.691834, 0.876953); Wilson 48/80: centre 49.920729/83.841459 = 0.595418,
    #   half 1.959964/83.841459 · √(19.2 + 0.960365) = 0.104964 → (0.490455, 0.700382)
    # low  = 0.2 − √((0.8 − 0.691834)² + (0.700382 − 0.6)²) = 0.2 − √(0.011700 + 0.010076) = 0.052431
    # high = 0.2 + √((0.876953 − 0.8)² + (0.6 − 0.490455)²) = 0.2 + √(0.005922 + 0.012000) = 0.333873
    l1, u1 = wilson_bounds(56, 70)
    l2, u2 = wilson_bounds(48, 80)
    assert (l1, u1) == pytest.approx((0.691834, 0.876953), abs=5e-6)
    assert (l2, u2) == pytest.approx((0.490455, 0.700382), abs=5e-6)
    out = two_proportions(56, 70, 48, 80)
    assert float(out.low) == pytest.approx(0.052431, abs=5e-6)
    assert float(out.high) == pytest.approx(0.333873, abs=5e-6)
    assert float(out.low) == pytest.approx(0.2 - math.hypot(0.8 - l1, u2 - 0.6), abs=1e-12)
    assert float(out.high) == pytest.approx(0.2 + math.hypot(u1 - 0.8, 0.6 - l2), abs=1e-12)


def test_swapping_the_groups_mirrors_the_interval():
    # d(2 − 1) = −d(1 − 2), and the bounds swap: (−0.3339, −0.0524)
    out = two_proportions(48, 80, 56, 70)
    assert float(out.diff) == pytest.approx(-0.2, abs=1e-12)
    assert (float(out.low), float(out.high)) == pytest.approx((-0.3339, -0.0524), abs=5e-5)
    assert float(out.z) == pytest.approx(-2.6502, abs=5e-5)
    assert float(out.p_value) == pytest.approx(0.00805, abs=5e-6)


def test_interval_at_90_percent_by_hand():
    # z(0.95) = 1.644854, z² = 2.705543; Wilson 9/10: centre 10.352771/12.705543 = 0.814823, half
    #   1.644854/12.705543 · √(0.9 + 0.676386) = 0.162542 → (0.652281, 0.977365); 3/10: centre 0.342588,
    #   half 1.644854/12.705543 · √(2.1 + 0.676386) = 0.215712 → (0.126877, 0.558300)
    # low = 0.6 − √(0.247719² + 0.258300²) = 0.242112; high = 0.6 + √(0.077365² + 0.173123²) = 0.789624
    z90 = stats.norm.ppf(0.95)
    l1, u1 = wilson_bounds(9, 10, z90)
    l2, u2 = wilson_bounds(3, 10, z90)
    assert (l1, u1, l2, u2) == pytest.approx((0.652281, 0.977365, 0.126877, 0.558300), abs=5e-6)
    out = two_proportions(9, 10, 3, 10, confidence=0.90)
    assert float(out.low) == pytest.approx(0.242112, abs=5e-6)
    assert float(out.high) == pytest.approx(0.789624, abs=5e-6)


# --- pooled z-test ----------------------------------------------------------------------


def test_pooled_z_test_56_of_70_against_48_of_80():
    # pooled p = 104/150 = 0.693333; se = √(0.693333 · 0.306667 · (1/70 + 1/80)) = 0.075467
    # z = 0.2 / 0.075467 = 2.6502; two-sided p = 2·(1 − Φ(2.6502)) = 0.00805
    # (scipy: chi2_contingency([[56, 14], [48, 32]], correction=False) gives χ² = 7.0234 = z², p = 0.008045)
    out = two_proportions(56, 70, 48, 80)
    assert float(out.z) == pytest.approx(2.6502, abs=5e-5)
    assert float(out.p_value) == pytest.approx(0.00805, abs=5e-6)
    chi2, p, _, _ = stats.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert float(out.z) ** 2 == pytest.approx(chi2, rel=1e-10)
    assert float(out.p_value) == pytest.approx(p, rel=1e-10)


def test_pooled_z_test_vectorised():
    # 9/10 − 3/10: pooled 0.6, se = √(0.24 · 0.2) = 0.219089, z = 0.6/0.219089 = 2.738613, p = 0.006170
    # 6/7 − 2/7: pooled 4/7, se = √(4/7 · 3/7 · 2/7) = 0.264520, z = 0.571429/0.264520 = 2.160247, p = 0.030754
    out = two_proportions([9, 6], [10, 7], [3, 2], [10, 7])
    np.testing.assert_allclose(out.z, [2.738613, 2.160247], atol=5e-6)
    np.testing.assert_allclose(out.p_value, [0.006170, 0.030754], atol=5e-6)


# --- edge cases the docstring promises --------------------------------------------------


def test_no_difference_to_test_when_pooled_share_is_0_or_1():
    # 0/10 vs 0/20 and 3/3 vs 5/5: pooled share 0 or 1, so z is NaN and the p-value 1
    out = two_proportions([0, 3], [10, 3], [0, 5], [20, 5])
    assert np.isnan(out.z).all()
    np.testing.assert_array_equal(out.p_value, [1.0, 1.0])
    np.testing.assert_array_equal(out.diff, [0.0, 0.0])
    # the interval is still defined: 3/3 has Wilson low 3/(3 + z²) = 0.438503, 5/5 has upper 1, lower
    # 5/(5 + z²) = 0.565518; low = 0 − √(0.561497² + 0²), high = 0 + √(0² + 0.434482²)
    assert out.low[1] == pytest.approx(-0.561497, abs=5e-6)
    assert out.high[1] == pytest.approx(0.434482, abs=5e-6)


def test_a_group_without_observations_gives_nan():
    # n₁ = 0: p₁ = 0/0 is undefined, so difference, bounds, z and p-value are all NaN
    out = two_proportions([0, 4], [0, 8], [1, 0], [2, 0])
    for column in out:
        assert np.isnan(column).all()


def test_counts_out_of_range_raise():
    with pytest.raises(ValueError, match="0 ≤ k ≤ n"):
        two_proportions(-1, 10, 2, 10)
    with pytest.raises(ValueError, match="0 ≤ k ≤ n"):
        two_proportions(3, 10, 11, 10)
