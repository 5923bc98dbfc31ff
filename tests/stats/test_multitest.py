"""cxlib.stats.multitest against textbook values and scipy."""

import numpy as np
import pytest
from scipy import stats

from cxlib.stats.multitest import adjust, benjamini_hochberg, holm, reject

# --- corrections -----------------------------------------------------------------------

P = [0.01, 0.04, 0.03, 0.005]


def test_holm_textbook():
    # sorted [0.005, 0.01, 0.03, 0.04] × [4, 3, 2, 1] = [0.02, 0.03, 0.06, 0.04]
    # running max → [0.02, 0.03, 0.06, 0.06]; back in input order:
    np.testing.assert_allclose(holm(P), [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(adjust(P, "holm"), holm(P))


def test_bh_textbook():
    # sorted [0.005, 0.01, 0.03, 0.04] × 4/[1, 2, 3, 4] = [0.02, 0.02, 0.04, 0.04]
    # running min from the top changes nothing; back in input order:
    np.testing.assert_allclose(benjamini_hochberg(P), [0.02, 0.04, 0.04, 0.02])
    np.testing.assert_allclose(adjust(P, "bh"), benjamini_hochberg(P))


def test_corrections_cap_at_one():
    # Holm: [0.5, 0.9] × [2, 1] = [1.0, 0.9] → running max [1.0, 1.0]
    np.testing.assert_allclose(holm([0.5, 0.9]), [1.0, 1.0])
    # BH: [0.5 × 2/1, 0.9 × 2/2] = [1.0, 0.9] → running min from the top [0.9, 0.9]
    np.testing.assert_allclose(benjamini_hochberg([0.5, 0.9]), [0.9, 0.9])
    np.testing.assert_allclose(holm([0.7, 0.8, 0.9]), [1.0, 1.0, 1.0])


def test_bh_matches_scipy():
    p = np.random.default_rng(3).uniform(size=60) ** 3
    np.testing.assert_allclose(benjamini_hochberg(p), stats.false_discovery_control(p, method="bh"))


def test_holm_is_monotone_and_not_below_p():
    p = np.random.default_rng(4).uniform(size=40) ** 2
    adjusted = holm(p)
    order = np.argsort(p)
    assert (adjusted >= p).all()
    assert (np.diff(adjusted[order]) >= 0).all()


def test_nan_is_no_test():
    # m = 2: Holm [0.01 × 2, 0.04 × 1] = [0.02, 0.04]; BH [0.01 × 2/1, 0.04 × 2/2] = [0.02, 0.04]
    np.testing.assert_allclose(holm([0.01, np.nan, 0.04]), [0.02, np.nan, 0.04])
    np.testing.assert_allclose(benjamini_hochberg([np.nan, 0.01, 0.04]), [np.nan, 0.02, 0.04])
    p = np.random.default_rng(5).uniform(size=20)
    p[[2, 7, 11]] = np.nan
    known = ~np.isnan(p)
    np.testing.assert_allclose(benjamini_hochberg(p)[known], stats.false_discovery_control(p[known]))
    assert np.isnan(benjamini_hochberg(p)[~known]).all()
    assert holm([]).shape == (0,)


def test_corrections_reject_bad_input():
    with pytest.raises(ValueError, match="bonferroni"):
        adjust(P, "bonferroni")
    with pytest.raises(ValueError, match="0–1"):
        holm([0.2, 1.5])


def test_reject_uses_alpha_and_never_rejects_no_test():
    adjusted, rejected = reject([0.01, 0.04, 0.03, 0.005, np.nan])  # Holm: 0.03, 0.06, 0.06, 0.02, NaN
    np.testing.assert_allclose(adjusted, [0.03, 0.06, 0.06, 0.02, np.nan])
    assert rejected.tolist() == [True, False, False, True, False]
    assert reject([0.01, 0.04, 0.03, 0.005], alpha=0.01)[1].tolist() == [False, False, False, False]
    with pytest.raises(ValueError, match="alpha"):
        reject([0.01], alpha=1.5)
