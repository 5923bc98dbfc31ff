"""cxlib.analysis.drivers against hand-worked values; every expected number is derived in the comments."""

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis.drivers import key_drivers, nps_gain, relative_weights

# 10 responses: promoters at 0, 1, 2, 7, 9; passives at 3, 4; detractors at 5 (6), 6 (5), 8 (3).
TEN = [10, 9, 9, 8, 7, 6, 5, 10, 3, 9]
# NPS = 100·(5 − 3)/10 = 20 points.


def ten_mentions():
    flags = {
        "delivery": [],  # never mentioned
        "app": [3, 6],  # a passive and one detractor (6)
        "billing": [0, 5, 8],  # a promoter and two detractors (5, 8)
        "staff": [8],  # one detractor, also mentions billing
    }
    return pd.DataFrame({theme: np.isin(np.arange(10), rows) for theme, rows in flags.items()})


def nps_points(scores):
    scores = np.asarray(scores)
    return 100 * ((scores >= 9).mean() - (scores <= 6).mean())


def correlated(n=400, seed=3):
    """Four correlated 0/1 themes and a 0–10 score that falls with them."""
    rng = np.random.default_rng(seed)
    base = rng.random(n) < 0.3
    x = np.column_stack([base, base ^ (rng.random(n) < 0.2), rng.random(n) < 0.25, rng.random(n) < 0.1])
    y = np.clip(np.round(8 - 2 * x[:, 0] - x[:, 1] - 0.5 * x[:, 2] + rng.normal(0, 1.5, n)), 0, 10).astype(int)
    return x, y


def ols(x, y):
    """Intercept + coefficients and R² from numpy.linalg.lstsq."""
    design = np.column_stack([np.ones(len(y)), x]).astype(float)
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    residual = y - design @ coef
    centred = y - np.mean(y)
    return coef, 1 - residual @ residual / (centred @ centred)


# --- nps_gain ---------------------------------------------------------------------------------


def test_nps_gain_by_hand():
    table = nps_gain(TEN, ten_mentions(), n_boot=200)
    # billing: 2 detractors of n = 10 → gain 100·2/10 = 20; app and staff: 1 detractor → 10;
    # delivery: 0. Sorted by gain; app before staff (tie) keeps the column order.
    assert list(table.index) == ["billing", "app", "staff", "delivery"]
    assert table.index.name == "theme"
    assert list(table.columns) == ["mentions", "detractor_mentions", "gain", "gain_low", "gain_high"]
    assert table["mentions"].tolist() == [3, 2, 1, 0]
    assert table["detractor_mentions"].tolist() == [2, 1, 1, 0]
    assert table["gain"].tolist() == [20.0, 10.0, 10.0, 0.0]
    # Check against the definition: turn billing's detractors (scores 6 and 3) into passives.
    fixed = np.array(TEN)
    fixed[[5, 8]] = 7
    assert nps_points(fixed) - nps_points(TEN) == pytest.approx(20.0)  # 40 − 20
    # A theme nobody mentions gains 0 in every resample.
    assert table.loc["delivery", ["gain_low", "gain_high"]].tolist() == [0.0, 0.0]


def test_interval_contains_estimate_and_is_reproducible():
    x, y = correlated()
    mentions = pd.DataFrame(x, columns=list("abcd"))
    first = nps_gain(y, mentions, seed=7)
    assert (first["gain_low"] <= first["gain"]).all() and (first["gain"] <= first["gain_high"]).all()
    pd.testing.assert_frame_equal(first, nps_gain(y, mentions, seed=7))
    assert not first.equals(nps_gain(y, mentions, seed=8))


def test_interval_narrows_with_more_responses():
    x, y = correlated(n=200)
    small = nps_gain(y, pd.DataFrame(x, columns=list("abcd")))
    # The same data 16 times over: same gains, intervals about √16 = 4 times narrower.
    big = nps_gain(np.tile(y, 16), pd.DataFrame(np.tile(x, (16, 1)), columns=list("abcd")))
    pd.testing.assert_series_equal(small["gain"], big["gain"])
    width = lambda t: t["gain_high"] - t["gain_low"]  # noqa: E731
    assert (width(big) < width(small) / 2).all()


def test_bootstrap_matches_binomial_standard_error():
    # gain = 100·(share of responses that are detractors mentioning the theme): a binomial
    # share p, so resampling responses gives SE = 100·√(p(1 − p)/n). With n = 2000 and
    # p = 0.2 (400 of them): SE = 100·√(0.16/2000) = 0.894 points, and the 95 % percentile
    # interval is about 20 ± 1.96·0.894 = 20 ± 1.753.
    n = 2000
    y = np.where(np.arange(n) < 800, 3, 9)  # 800 detractors
    mentions = pd.DataFrame({"t": np.arange(n) % 2 == 0})  # half of them: 400
    row = nps_gain(y, mentions, n_boot=4000).loc["t"]
    assert row["gain"] == 20.0
    assert row["gain_high"] - row["gain_low"] == pytest.approx(2 * 1.959964 * 100 * math.sqrt(0.16 / n), rel=0.08)


# --- relative_weights ------------------------------------------------------------------------


def test_orthogonal_predictors_get_squared_correlations():
    # Centred, mutually orthogonal columns (dot products 0): x1, x2 and a third direction x3
    # that enters y but is left out of X. y = 1.5 + 0.5·x1 + x2 + 0.5·x3 = [3.5, 0.5, 1.5, 0.5].
    x1, x2, x3 = np.array([1, 1, -1, -1]), np.array([1, -1, 1, -1]), np.array([1, -1, -1, 1])
    y = 1.5 + 0.5 * x1 + x2 + 0.5 * x3
    # y − mean = [2, −1, 0, −1], |·|² = 6; |x1|² = |x2|² = 4; x1·y = 2, x2·y = 4.
    # r1² = 2²/(4·6) = 1/6, r2² = 4²/(4·6) = 2/3; R² = 5/6.
    weights = relative_weights(np.column_stack([x1, x2]), y)
    np.testing.assert_allclose(weights, [1 / 6, 2 / 3], atol=1e-12)
    assert weights.sum() == pytest.approx(ols(np.column_stack([x1, x2]), y)[1])


def test_weights_sum_to_r2_of_least_squares():
    rng = np.random.default_rng(11)
    common = rng.normal(size=(500, 1))
    x = common + 0.7 * rng.normal(size=(500, 5))  # pairwise correlations ≈ 0.67
    y = x @ [1.0, -0.5, 0.3, 0.0, 0.2] + rng.normal(size=500)
    weights = relative_weights(x, y)
    assert (weights >= 0).all()
    assert weights.sum() == pytest.approx(ols(x, y)[1], abs=1e-12)


def test_two_predictors_closed_form():
    # r12 = 0.6, r1y = 0.5, r2y = 0.3. R_xx = [[1, r], [r, 1]] has eigenvalues 1 ± r with
    # eigenvectors (1, ±1)/√2, so Z = P Λ^½ Pᵀ = [[a, b], [b, a]] with
    # a = (√1.6 + √0.4)/2 = 3/√10, b = (√1.6 − √0.4)/2 = 1/√10 (√1.6 = 4/√10, √0.4 = 2/√10),
    # and Z⁻¹ = [[c, d], [d, c]] with c = (1/√1.6 + 1/√0.4)/2 = 3√10/8, d = −√10/8.
    # β* = Z⁻¹ (0.5, 0.3) = √10/8·(1.5 − 0.3, −0.5 + 0.9) = (0.15√10, 0.05√10): β*² = (0.225, 0.025).
    # ε1 = a²β1² + b²β2² = 0.9·0.225 + 0.1·0.025 = 0.205
    # ε2 = b²β1² + a²β2² = 0.1·0.225 + 0.9·0.025 = 0.045
    # Sum 0.25 = R² = (r1y² + r2y² − 2·r1y·r2y·r12)/(1 − r12²) = (0.34 − 0.18)/0.64.
    target = np.array([[1.0, 0.6, 0.5], [0.6, 1.0, 0.3], [0.5, 0.3, 1.0]])
    # Data with exactly this sample correlation matrix: centred orthonormal columns times the
    # Cholesky factor of the target.
    raw = np.random.default_rng(5).normal(size=(50, 3))
    q = np.linalg.qr(raw - raw.mean(axis=0))[0]
    data = q @ np.linalg.cholesky(target).T
    np.testing.assert_allclose(np.corrcoef(data.T), target, atol=1e-12)
    np.testing.assert_allclose(relative_weights(data[:, :2], data[:, 2]), [0.205, 0.045], atol=1e-12)


def test_constant_column_gets_weight_zero():
    # The orthogonal example with a constant column added: the others keep 1/6 and 2/3.
    x1, x2 = np.array([1, 1, -1, -1]), np.array([1, -1, 1, -1])
    y = np.array([3.5, 0.5, 1.5, 0.5])
    weights = relative_weights(np.column_stack([x1, np.full(4, 0.1), x2]), y)
    np.testing.assert_allclose(weights, [1 / 6, 0.0, 2 / 3], atol=1e-12)


def test_duplicated_predictor_splits_its_weight():
    # An exact copy makes R_xx singular; by symmetry the two copies share equally, and the
    # weights still sum to R² (which the copy does not change).
    x, y = correlated()
    weights = relative_weights(np.column_stack([x, x[:, 0]]), y)
    assert weights[0] == pytest.approx(weights[4])
    assert weights.sum() == pytest.approx(ols(x, y)[1])


# --- key_drivers -----------------------------------------------------------------------------


def test_key_drivers_agrees_with_least_squares():
    x, y = correlated()
    themes = list("abcd")
    table = key_drivers(y, pd.DataFrame(x, columns=themes), n_boot=300)
    assert list(table.columns) == [
        "mentions", "detractor_mentions", "gain", "gain_low", "gain_high",
        "importance", "importance_low", "importance_high", "r2", "coef",
    ]  # fmt: skip
    assert table["gain"].is_monotonic_decreasing
    coef, r2 = ols(x, y)
    np.testing.assert_allclose(table.loc[themes, "coef"], coef[1:], atol=1e-10)
    np.testing.assert_allclose(table["r2"], r2, atol=1e-12)
    assert table["importance"].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(table.loc[themes, "importance"] * r2, relative_weights(x, y), atol=1e-12)
    assert (table["importance_low"] <= table["importance"]).all()
    assert (table["importance"] <= table["importance_high"]).all()
    # Same seed → the same resamples as nps_gain, hence the same gain columns.
    gain = nps_gain(y, pd.DataFrame(x, columns=themes), n_boot=300)
    pd.testing.assert_frame_equal(table[gain.columns], gain)


def test_key_drivers_single_theme_by_hand():
    # billing mentioned by responses 0, 5, 8 (scores 10, 6, 3: mean 19/3); the other seven
    # average 57/7. One 0/1 predictor: coef = 19/3 − 57/7 = −38/21 points, importance = 1,
    # R² = coef²·var(x)/var(y) = (38/21)²·0.21/4.84 = 361/2541 (var(y) = 62.6 − 7.6² = 4.84).
    table = key_drivers(TEN, ten_mentions()[["billing"]], n_boot=50)
    assert table.loc["billing", "coef"] == pytest.approx(-38 / 21)
    assert table.loc["billing", "r2"] == pytest.approx(361 / 2541)
    assert table.loc["billing", "importance"] == pytest.approx(1.0)


def test_key_drivers_theme_nobody_mentions():
    table = key_drivers(TEN, ten_mentions(), n_boot=50)
    assert table.loc["delivery", "importance"] == 0.0
    assert np.isnan(table.loc["delivery", "coef"])
    assert table["importance"].sum() == pytest.approx(1.0)


# --- input validation --------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [nps_gain, key_drivers])
def test_mismatched_lengths(fn):
    with pytest.raises(ValueError, match="nps has 9 responses but mentions has 10 rows"):
        fn(TEN[:9], ten_mentions())


@pytest.mark.parametrize("bad", [11, -1, 7.5, np.nan])
@pytest.mark.parametrize("fn", [nps_gain, key_drivers])
def test_scores_off_scale(fn, bad):
    with pytest.raises(ValueError, match="nps scores must be whole numbers 0–10"):
        fn([bad, *TEN[1:]], ten_mentions())


def test_mentions_must_be_booleans():
    flags = ten_mentions().astype(object)
    flags.loc[2, "app"] = None
    with pytest.raises(ValueError, match="mentions column 'app' must hold only True/False"):
        nps_gain(TEN, flags)
    with pytest.raises(ValueError, match="must be a pandas DataFrame"):
        nps_gain(TEN, ten_mentions().to_numpy())


@pytest.mark.parametrize("options", [{"confidence": 1.0}, {"n_boot": 0}])
def test_bad_options(options):
    with pytest.raises(ValueError, match="confidence|n_boot"):
        key_drivers(TEN, ten_mentions(), **options)


def test_relative_weights_shapes():
    with pytest.raises(ValueError, match="same length"):
        relative_weights(np.zeros((4, 2)), np.zeros(3))
