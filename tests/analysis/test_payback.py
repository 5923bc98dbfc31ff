"""Payback months and NPV, by hand."""

import numpy as np
import pytest

from cxlib.analysis.payback import npv, payback_months


def test_payback_months():
    np.testing.assert_allclose(payback_months([120_000, 50_000, 0, 10], [240_000, 0, 0, -5]), [6, np.inf, 0, np.inf])
    assert payback_months(300_000, 100_000) == pytest.approx(36)


def test_npv_discounts_end_of_year_benefits():
    # −1000 + 500/1.1 + 500/1.21 + 500/1.331 = 243.426…
    assert npv(1000, 500, years=3, rate=0.10) == pytest.approx(-1000 + 500 / 1.1 + 500 / 1.21 + 500 / 1.331)
    assert npv(1000, 500, years=2, rate=0) == pytest.approx(0)
    np.testing.assert_allclose(npv([0, 100], [100, 100], years=1, rate=0.25), [80, -20])


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="cost must be a finite amount ≥ 0; got -1"):
        payback_months(-1, 10)
    with pytest.raises(ValueError, match="years must be a whole number"):
        npv(1, 1, years=1.5)
    with pytest.raises(ValueError, match="rate must be a yearly discount rate"):
        npv(1, 1, rate=8)
