"""cxlib.stats.nps: thresholds, coding, groups and sample size, against hand-worked values.

z = 1.959964 (95 %), z² = 3.841459.
"""

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.stats.intervals import Groups
from cxlib.stats.nps import (GROUPS, coded, group_counts, group_of, is_detractor, is_promoter, nps_margin,
                             nps_sample_size)

Z = 1.959963984540054


def test_thresholds_and_coding():
    x = np.array([0, 6, 7, 8, 9, 10, np.nan])
    assert is_promoter(x).tolist() == [False, False, False, False, True, True, False]
    assert is_detractor(x).tolist() == [True, True, False, False, False, False, False]
    np.testing.assert_array_equal(coded(x), [-1, -1, 0, 0, 1, 1, np.nan])


def test_group_counts_per_group():
    x = np.array([10, 9, 8, 0, 6, 7, 9.0])
    groups = Groups(np.array([0, 0, 0, 0, 1, 1, 1]), pd.DataFrame(index=range(2)))
    promoters, passives, detractors = group_counts(x, groups)
    assert promoters.tolist() == [2, 1] and passives.tolist() == [1, 1] and detractors.tolist() == [1, 1]
    assert GROUPS == ("detractor", "passive", "promoter")


# --- groups ----------------------------------------------------------------------------


def test_group_of_boundaries():
    scores = pd.Series([0, 6, 7, 8, 9, 10, None], index=list("abcdefg"), dtype="Int64")
    groups = group_of(scores)
    assert groups.iloc[:6].tolist() == ["detractor", "detractor", "passive", "passive", "promoter", "promoter"]
    assert pd.isna(groups["g"])
    assert list(groups.index) == list("abcdefg")
    assert list(groups.cat.categories) == ["detractor", "passive", "promoter"]
    with pytest.raises(ValueError, match="nps scores"):
        group_of([11])


# --- sample size -----------------------------------------------------------------------


def test_sample_size_worst_case():
    # ⌈1.959964² / 0.05²⌉ = ⌈3.841459 / 0.0025⌉ = ⌈1536.58⌉ = 1537
    assert nps_sample_size(5) == 1537
    # ±10: ⌈3.841459 / 0.01⌉ = ⌈384.15⌉ = 385
    assert nps_sample_size(10) == 385
    # 90 %: z = 1.644854, z² = 2.705543; ⌈2.705543 / 0.0025⌉ = ⌈1082.2⌉ = 1083
    assert nps_sample_size(5, confidence=0.90) == 1083
    # worst case is p_P = p_D = ½: v = 1 − 0 = 1
    assert nps_sample_size(5, promoters=0.5, detractors=0.5) == 1537


def test_sample_size_known_shares():
    # v = 0.4 + 0.2 − (0.4 − 0.2)² = 0.6 − 0.04 = 0.56; ⌈3.841459 × 0.56 / 0.0025⌉ = ⌈860.49⌉ = 861
    assert nps_sample_size(5, promoters=0.4, detractors=0.2) == 861


def test_margin_inverts_sample_size():
    # 100 × 1.959964 × √(0.56 / 861) = 4.9985 ≤ 5, and one answer fewer is just over 5
    assert nps_margin(861, 0.4, 0.2) == pytest.approx(100 * Z * math.sqrt(0.56 / 861))
    for margin, p, d in [(5, 0.4, 0.2), (3, 0.55, 0.1), (12.5, 0.3, 0.3)]:
        n = nps_sample_size(margin, promoters=p, detractors=d)
        assert nps_margin(n, p, d) <= margin < nps_margin(n - 1, p, d)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"margin": 0}, "margin"),
        ({"margin": -2}, "margin"),
        ({"margin": 5, "promoters": 1.2, "detractors": 0.0}, "shares"),
        ({"margin": 5, "promoters": 0.7, "detractors": 0.4}, "shares"),
        ({"margin": 5, "promoters": -0.1, "detractors": 0.4}, "shares"),
        ({"margin": 5, "promoters": 0.4}, "both"),
        ({"margin": 5, "confidence": 1.0}, "confidence"),
    ],
)
def test_sample_size_rejects(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nps_sample_size(**kwargs)


def test_margin_rejects():
    with pytest.raises(ValueError, match="n must"):
        nps_margin(0, 0.4, 0.2)
    with pytest.raises(ValueError, match="shares"):
        nps_margin(100, 0.8, 0.3)
