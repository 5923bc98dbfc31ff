"""cxlib.stats.checks: validated inputs with messages that name the problem."""

import numpy as np
import pandas as pd
import pytest

from cxlib.stats.checks import Unavailable, amounts, check_alpha, column, confidence_z, day, flags, scores


def test_confidence_z_known_quantiles():
    assert confidence_z(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert confidence_z(0.90) == pytest.approx(1.644854, abs=1e-6)
    for bad in (0, 1, 1.5):
        with pytest.raises(ValueError, match="confidence must lie strictly between 0 and 1"):
            confidence_z(bad)
    with pytest.raises(ValueError, match="alpha"):
        check_alpha(0)


def test_scores_whole_numbers_on_the_scale():
    np.testing.assert_array_equal(scores(pd.Series([0, 10, None], dtype="Int64"), "nps", 0, 10), [0, 10, np.nan])
    with pytest.raises(ValueError, match=r"nps scores must be whole numbers 0–10; got 2.5, 11 \(2 invalid\)"):
        scores([2.5, 11, 3], "nps", 0, 10)
    with pytest.raises(ValueError, match="none missing"):
        scores([1.0, np.nan], "nps", 0, 10, allow_missing=False)
    with pytest.raises(ValueError, match="1-D"):
        scores([[1, 2]], "nps", 0, 10)


def test_flags_amounts_columns_and_days():
    np.testing.assert_array_equal(flags([True, False, None], "abandoned"), [1, 0, np.nan])
    with pytest.raises(ValueError, match="annual_revenue must be ≥ 0; got -5"):
        amounts([1, -5], "annual_revenue")
    with pytest.raises(Unavailable, match="contacts has no column 'closed_at'"):
        column(pd.DataFrame({"a": [1]}), "contacts", "closed_at")
    assert day("2025-03-04 17:30") == pd.Timestamp("2025-03-04") and day(None) is None
