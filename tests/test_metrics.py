"""Metrics: hand-computed values, independent formulas, properties, and refusal of bad input."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lstmcast.errors import InvalidInputError
from lstmcast.metrics import METRICS, mae, mape, mase, rmse, score, seasonal_naive_scale, seasonal_naive_scales, smape

Y = [1.0, 2.0, 3.0, 4.0]
P = [2.0, 2.0, 2.0, 6.0]  # errors 1, 0, -1, 2


# --------------------------------------------------------------------------- hand-computed


def test_hand_computed_values():
    assert rmse(Y, P) == pytest.approx(math.sqrt((1 + 0 + 1 + 4) / 4))
    assert mae(Y, P) == pytest.approx(1.0)
    assert mape(Y, P) == pytest.approx(100 * (1 / 1 + 0 / 2 + 1 / 3 + 2 / 4) / 4)
    assert smape(Y, P) == pytest.approx((200 * 1 / 3 + 0 + 200 * 1 / 5 + 200 * 2 / 10) / 4)
    # seasonal-naive scale of [1, 3, 2, 5]: lag 1 -> |2|,|-1|,|3| -> 2; lag 2 -> |1|,|2| -> 1.5
    assert mase(Y, P, y_train=[1.0, 3.0, 2.0, 5.0]) == pytest.approx(1.0 / 2.0)
    assert mase(Y, P, y_train=[1.0, 3.0, 2.0, 5.0], season=2) == pytest.approx(1.0 / 1.5)


def test_return_python_floats():
    for value in (rmse(Y, P), mae(Y, P), mape(Y, P), smape(Y, P), mase(Y, P, y_train=[1.0, 2.0])):
        assert type(value) is float


def test_smape_zero_over_zero_is_zero_and_bounds():
    assert smape([0.0, 1.0], [0.0, 1.0]) == 0.0
    assert smape([0.0, 2.0], [1.0, 2.0]) == pytest.approx(100.0)  # (200 + 0) / 2
    assert smape([1.0], [-1.0]) == pytest.approx(200.0)
    assert smape([0.0], [5.0]) == pytest.approx(200.0)


def test_metrics_accept_any_matching_shape():
    t = np.arange(1.0, 7.0).reshape(2, 3)
    assert rmse(t, t + 1) == pytest.approx(1.0)
    assert mase(t, t + 1, y_train=[0.0, 2.0]) == pytest.approx(0.5)


def test_score_reports_every_metric_in_order():
    result = score(Y, P, y_train=[1.0, 3.0, 2.0, 5.0], season=1)
    assert list(result) == list(METRICS) == ["rmse", "mae", "mape", "smape", "mase"]
    assert result["rmse"] == rmse(Y, P)
    assert result["mase"] == mase(Y, P, y_train=[1.0, 3.0, 2.0, 5.0])


def test_score_marks_undefined_metrics_none():
    result = score([0.0, 1.0], [0.5, 1.0], y_train=[1.0, 2.0, 1.0, 2.0], season=2)
    assert result["mape"] is None  # a zero target
    assert result["mase"] is None  # y_train repeats exactly with period 2: zero scale
    assert result["smape"] == pytest.approx(100.0)


def test_score_still_raises_on_invalid_input():
    with pytest.raises(InvalidInputError, match="shape"):
        score([1.0, 2.0], [1.0], y_train=[1.0, 2.0, 3.0])
    with pytest.raises(InvalidInputError, match="at least 2"):
        score([1.0], [1.0], y_train=[1.0], season=2)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("metric", ["rmse", "mae", "mape", "smape"])
def test_shape_mismatch_raises(metric):
    with pytest.raises(InvalidInputError, match=r"shape \(3,\).*shape \(3, 1\)"):
        METRICS[metric]([1.0, 2.0, 3.0], np.ones((3, 1)))


@pytest.mark.parametrize("metric", ["rmse", "mae", "mape", "smape", "mase"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs_raise(metric, bad):
    kwargs = {"y_train": [1.0, 2.0, 4.0]} if metric == "mase" else {}
    with pytest.raises(InvalidInputError, match="NaN/inf"):
        METRICS[metric]([1.0, bad], [1.0, 2.0], **kwargs)
    with pytest.raises(InvalidInputError, match="NaN/inf"):
        METRICS[metric]([1.0, 2.0], [bad, 2.0], **kwargs)
    if metric == "mase":
        with pytest.raises(InvalidInputError, match="y_train has"):
            mase([1.0], [1.0], y_train=[1.0, bad, 3.0])


@pytest.mark.parametrize("metric", ["rmse", "mae", "mape", "smape"])
def test_empty_and_non_numeric_raise(metric):
    with pytest.raises(InvalidInputError, match="empty"):
        METRICS[metric]([], [])
    with pytest.raises(InvalidInputError, match="dtype"):
        METRICS[metric](["a", "b"], [1.0, 2.0])
    with pytest.raises(InvalidInputError, match="dtype"):
        METRICS[metric]([1.0, None], [1.0, 2.0])


def test_overflowing_difference_raises_instead_of_inf():
    with pytest.raises(InvalidInputError, match="overflow"):
        rmse([1e308], [-1e308])


def test_mape_refuses_zero_targets_and_points_to_alternatives():
    with pytest.raises(InvalidInputError, match="smape or mase"):
        mape([1.0, 0.0], [1.0, 1.0])


def test_mase_of_a_training_series_no_longer_than_a_season_is_scaled_by_lag_1():
    """One definition for short series (the M competitions' yearly series): with no more values
    than a season before the cut-off, the scale is the naive (lag-1) forecast's in-sample error."""
    y_train = np.array([3.0, 5.0, 4.0, 8.0, 6.0])
    lag_1 = np.mean(np.abs(np.diff(y_train)))
    for season in (5, 12):
        assert seasonal_naive_scale(y_train, season) == pytest.approx(lag_1, rel=1e-15)
        assert mase([1.0, 2.0], [2.0, 4.0], y_train=y_train, season=season) == pytest.approx(1.5 / lag_1, rel=1e-15)
        assert score([1.0, 2.0], [2.0, 4.0], y_train=y_train, season=season)["mase"] == pytest.approx(1.5 / lag_1)
    # one value longer than a season: the seasonal lag
    assert seasonal_naive_scale(y_train, 4) == pytest.approx(abs(y_train[4] - y_train[0]), rel=1e-15)


def test_the_scales_of_many_series_are_each_series_seasonal_naive_error():
    """``seasonal_naive_scales``: per series, the mean absolute change over the season (lag 1 for
    a series no longer than a season), 0 for one that repeats, computed here with NumPy."""
    rng = np.random.default_rng(3)
    series = [rng.normal(size=n).cumsum() for n in (4, 12, 13, 40)] + [np.tile([1.0, 2.0, 3.0, 4.0], 5)]
    expected = [np.mean(np.abs(y[4:] - y[:-4])) if len(y) > 4 else np.mean(np.abs(np.diff(y))) for y in series]
    np.testing.assert_allclose(seasonal_naive_scales(series, 4), expected, rtol=1e-12)
    assert seasonal_naive_scales(series, 4)[-1] == 0.0
    assert seasonal_naive_scales(series, 4)[0] == pytest.approx(np.mean(np.abs(np.diff(series[0]))))


def test_mase_errors():
    with pytest.raises(InvalidInputError, match="at least 2"):
        mase([1.0], [1.0], y_train=[4.0], season=12)
    with pytest.raises(InvalidInputError, match="scale of y_train is 0"):
        mase([1.0], [2.0], y_train=[3.0, 3.0, 3.0])
    with pytest.raises(InvalidInputError, match="1-D"):
        mase([1.0], [2.0], y_train=np.ones((3, 2)))
    for season in (0, -1, 1.5, True):
        with pytest.raises(InvalidInputError, match="season"):
            mase([1.0], [2.0], y_train=[1.0, 2.0, 3.0], season=season)


# --------------------------------------------------------------------------- properties

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
nonzero = finite.filter(lambda v: abs(v) > 1e-3)
wide = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)


@st.composite
def pairs(draw, elements=finite, min_size=1):
    n = draw(st.integers(min_value=min_size, max_value=30))
    a = draw(arrays(np.float64, n, elements=elements))
    b = draw(arrays(np.float64, n, elements=elements))
    return a, b


@settings(deadline=None)
@given(pairs())
def test_matches_independent_formulas(ab):
    a, b = ab
    assert rmse(a, b) == pytest.approx(np.sqrt(np.mean((a - b) ** 2)), rel=1e-9, abs=1e-12)
    assert mae(a, b) == pytest.approx(np.mean(np.abs(a - b)), rel=1e-9, abs=1e-12)
    den = np.abs(a) + np.abs(b)
    ref = np.where(den == 0, 0.0, 200 * np.abs(a - b) / np.where(den == 0, 1.0, den))
    assert smape(a, b) == pytest.approx(np.mean(ref), rel=1e-9, abs=1e-12)


@settings(deadline=None)
@given(pairs(elements=nonzero))
def test_mape_matches_independent_formula(ab):
    a, b = ab
    assert mape(a, b) == pytest.approx(100 * np.mean(np.abs((a - b) / a)), rel=1e-9)


@settings(deadline=None)
@given(pairs(elements=wide))
def test_rmse_ge_mae_ge_zero(ab):
    a, b = ab
    r, m = rmse(a, b), mae(a, b)
    assert m >= 0.0
    assert r >= m * (1 - 1e-12)  # power-mean inequality, up to rounding when all |errors| are equal


@settings(deadline=None)
@given(pairs(elements=wide))
def test_rmse_zero_iff_equal(ab):
    a, b = ab
    assert (rmse(a, b) == 0.0) == bool(np.array_equal(a, b))
    assert rmse(a, a) == 0.0


@settings(deadline=None)
@given(
    arrays(np.float64, st.integers(3, 40), elements=finite),
    st.integers(min_value=1, max_value=4),
)
def test_mase_of_seasonal_naive_on_its_training_data_is_one(y, season):
    assume(y.size > season and np.mean(np.abs(y[season:] - y[:-season])) > 0)  # MASE defined
    assert mase(y[season:], y[:-season], y_train=y, season=season) == pytest.approx(1.0, rel=1e-9)
    expected_scale = np.mean(np.abs(y[season:] - y[:-season]))
    assert seasonal_naive_scale(y, season) == pytest.approx(expected_scale)


@settings(deadline=None)
@given(pairs(elements=nonzero), st.sampled_from([-1e3, -2.5, 1e-3, 0.5, 7.0, 1e3]))
def test_mape_and_smape_are_scale_invariant(ab, c):
    a, b = ab
    assert mape(c * a, c * b) == pytest.approx(mape(a, b), rel=1e-9)
    assert smape(c * a, c * b) == pytest.approx(smape(a, b), rel=1e-9, abs=1e-12)


@settings(deadline=None)
@given(pairs())
def test_smape_bounded(ab):
    a, b = ab
    assert 0.0 <= smape(a, b) <= 200.0 + 1e-9
