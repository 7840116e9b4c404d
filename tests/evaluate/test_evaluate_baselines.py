"""Baselines: naive ones against plain loops, statistical ones for leaks and fixed parameters.

The statsforecast tests are few and run on short series; they share fitted results through
module-scoped fixtures.
"""

import doctest
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstmcast.errors import InvalidInputError
from lstmcast.evaluate import (
    MULTI_STEP_MODELS,
    BaselineFitError,
    multi_step_baselines,
    one_step_baselines,
    rmse,
)
from lstmcast.evaluate import baselines as baselines_module

# Box & Jenkins monthly airline passengers, 1949-1960 (thousands).
AIRLINE = np.array([
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118,
    115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140,
    145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166,
    171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194,
    196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201,
    204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229,
    242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278,
    284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306,
    315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336,
    340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337,
    360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405,
    417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432,
], dtype=float)  # fmt: skip


def test_docstring_examples():
    result = doctest.testmod(baselines_module)
    assert result.attempted >= 2 and result.failed == 0


# --------------------------------------------------------------------------- naive baselines


@st.composite
def series_split(draw):
    season = draw(st.integers(min_value=1, max_value=6))
    n = draw(st.integers(min_value=season + 1, max_value=40))
    y = np.array(draw(st.lists(st.floats(-1e3, 1e3), min_size=n, max_size=n)))
    test_start = draw(st.integers(min_value=season, max_value=n - 1))
    return y, test_start, season


@settings(deadline=None)
@given(series_split())
def test_one_step_naive_match_plain_loops(case):
    y, test_start, season = case
    out = one_step_baselines(y, test_start, season=season, models=("persistence", "seasonal_naive"))
    persistence, seasonal = [], []
    for t in range(test_start, len(y)):
        persistence.append(y[t - 1])
        seasonal.append(y[t - season])
    np.testing.assert_array_equal(out["persistence"], persistence)
    np.testing.assert_array_equal(out["seasonal_naive"], seasonal)
    assert out["persistence"].dtype == np.float64 and len(out["persistence"]) == len(y) - test_start


@settings(deadline=None)
@given(series_split(), st.integers(min_value=1, max_value=30))
def test_multi_step_naive_match_plain_loops(case, horizon):
    y, _, season = case
    out = multi_step_baselines(y, horizon, season=season, models=("seasonal_naive", "persistence"))
    assert list(out) == ["seasonal_naive", "persistence"]
    history = list(y)
    expected = []
    for _ in range(horizon):  # seasonal naive: the value one season back, fed forward
        expected.append(history[-season])
        history.append(history[-season])
    np.testing.assert_array_equal(out["seasonal_naive"], expected)
    np.testing.assert_array_equal(out["persistence"], [y[-1]] * horizon)


def test_season_one_seasonal_naive_is_persistence():
    y = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0])
    out = one_step_baselines(y, 2, season=1, models=("persistence", "seasonal_naive"))
    np.testing.assert_array_equal(out["persistence"], out["seasonal_naive"])


def test_results_do_not_alias_the_input():
    y = np.arange(10.0)
    out = one_step_baselines(y, 5, season=2, models=("persistence", "seasonal_naive"))
    out["persistence"][:] = -1.0
    out["seasonal_naive"][:] = -1.0
    np.testing.assert_array_equal(y, np.arange(10.0))


def test_airline_naive_reference_figures():
    """The team's reference RMSEs (persistence 48.7, seasonal naive 42.3) are on the Keras
    tutorial's points: test_start = int(0.67 * 144) = 96, windows of look_back=1 predicting
    y[97:143] (the first test point and the last point are lost to the windowing)."""
    out = one_step_baselines(AIRLINE, 96, season=12, models=("persistence", "seasonal_naive"))
    keras = slice(1, 47)  # y[97:143] within y[96:]
    assert rmse(AIRLINE[97:143], out["persistence"][keras]) == pytest.approx(48.66, abs=0.01)
    assert rmse(AIRLINE[97:143], out["seasonal_naive"][keras]) == pytest.approx(42.32, abs=0.01)
    # on all 48 test points y[96:]
    assert rmse(AIRLINE[96:], out["persistence"]) == pytest.approx(48.04, abs=0.01)
    assert rmse(AIRLINE[96:], out["seasonal_naive"]) == pytest.approx(41.85, abs=0.01)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("test_start", [0, 10, 11, -1, 2.0, True, None])
def test_test_start_out_of_range(test_start):
    with pytest.raises(InvalidInputError, match=r"1 <= test_start < len\(y\) = 10"):
        one_step_baselines(np.arange(10.0), test_start, season=1, models=("persistence",))


@pytest.mark.parametrize("horizon", [0, -3, 1.5, True])
def test_horizon_must_be_positive_int(horizon):
    with pytest.raises(InvalidInputError, match="horizon must be a positive integer"):
        multi_step_baselines(np.arange(10.0), horizon, season=1, models=("persistence",))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_series(bad):
    y = np.arange(10.0)
    y[4] = bad
    with pytest.raises(InvalidInputError, match="NaN/inf .*first at index 4.*fill or interpolate"):
        one_step_baselines(y, 5, season=1, models=("persistence",))
    with pytest.raises(InvalidInputError, match="NaN/inf"):
        multi_step_baselines(y, 3, season=1, models=("persistence",))


def test_series_shape_and_type():
    with pytest.raises(InvalidInputError, match="1-D"):
        one_step_baselines(np.ones((10, 2)), 5, season=1, models=("persistence",))
    with pytest.raises(InvalidInputError, match="dtype"):
        one_step_baselines(["a"] * 10, 5, season=1, models=("persistence",))
    with pytest.raises(InvalidInputError, match="at least 1"):
        multi_step_baselines([], 3, season=1, models=("persistence",))


@pytest.mark.parametrize("season", [0, -12, 12.0, True])
def test_season_must_be_positive_int(season):
    with pytest.raises(InvalidInputError, match="season must be a positive integer"):
        one_step_baselines(np.arange(30.0), 20, season=season, models=("persistence",))


def test_too_short_for_the_season():
    with pytest.raises(InvalidInputError, match=r"seasonal_naive with season=12 .* y\[:5\] has 5"):
        one_step_baselines(np.arange(30.0), 5, season=12)
    with pytest.raises(InvalidInputError, match="seasonal_naive .* y_train has 6"):
        multi_step_baselines(np.arange(6.0), 3, season=12, models=("seasonal_naive",))
    # statsforecast would silently drop the seasonality: refuse before importing it
    message = r"auto_ets, auto_arima with season=12 need at least two full seasons \(24 points\)"
    with pytest.raises(InvalidInputError, match=message):
        one_step_baselines(np.arange(40.0), 20, season=12)
    with pytest.raises(InvalidInputError, match="two full seasons"):
        multi_step_baselines(np.arange(20.0), 3, season=12, models=("auto_theta",))


def test_model_names_checked():
    y = np.arange(30.0)
    with pytest.raises(InvalidInputError, match="unknown model 'lstm'"):
        one_step_baselines(y, 20, season=1, models=("lstm",))
    with pytest.raises(InvalidInputError, match="multi-step forecasts only"):
        one_step_baselines(y, 20, season=1, models=("auto_theta",))
    with pytest.raises(InvalidInputError, match="empty"):
        one_step_baselines(y, 20, season=1, models=())
    with pytest.raises(InvalidInputError, match="twice"):
        multi_step_baselines(y, 2, season=1, models=("persistence", "persistence"))
    # a single name is accepted as such, not as a sequence of characters
    assert list(one_step_baselines(y, 20, season=1, models="persistence")) == ["persistence"]


# --------------------------------------------------------------------------- statsforecast

STATS = ("auto_ets", "auto_arima")
SEASON, TEST_START = 4, 44


@pytest.fixture(scope="module")
def seasonal():
    """64 points, trend + period-4 season + noise; AutoARIMA picks a seasonal MA with drift."""
    rng = np.random.default_rng(42)
    t = np.arange(64)
    return 20 + 0.3 * t + 3 * np.sin(2 * np.pi * t / SEASON) + rng.normal(scale=0.8, size=t.size)


@pytest.fixture(scope="module")
def seasonal_preds(seasonal):
    return one_step_baselines(seasonal, TEST_START, season=SEASON, models=STATS)


def test_stats_shapes(seasonal, seasonal_preds):
    assert list(seasonal_preds) == list(STATS)
    for pred in seasonal_preds.values():
        assert pred.shape == (seasonal.size - TEST_START,) and np.isfinite(pred).all()
        # a sanity check that these are forecasts of this series at all
        test = seasonal[TEST_START:]
        assert rmse(test, pred) < rmse(test, seasonal[TEST_START - 1 : -1])


@pytest.mark.parametrize("j", [0, 7])
def test_stats_no_leak(seasonal, seasonal_preds, j):
    """The prediction for test time t = TEST_START + j is unchanged when y[t] and everything
    after it change, and when the series is cut right after t. (statsforecast's own in-sample
    ARIMA values fail this: they contain a fraction of y[t].)"""
    t = TEST_START + j
    altered = seasonal.copy()
    altered[t:] = 1.5 * altered[t:] + 7.0
    again = one_step_baselines(altered, TEST_START, season=SEASON, models=STATS)
    cut = one_step_baselines(seasonal[: t + 1], TEST_START, season=SEASON, models=STATS)
    for name in STATS:
        before = seasonal_preds[name][: j + 1]
        np.testing.assert_array_equal(again[name][: j + 1], before, err_msg=name)
        np.testing.assert_array_equal(cut[name], before, err_msg=name)
        # ...while later predictions, which may use y[t], do change
        assert not np.array_equal(again[name][j + 1 :], seasonal_preds[name][j + 1 :]), name


def test_stats_parameters_fitted_on_training_part_only(seasonal, seasonal_preds):
    from statsforecast.models import AutoARIMA, AutoETS

    for name, cls in (("auto_ets", AutoETS), ("auto_arima", AutoARIMA)):
        pred = seasonal_preds[name]
        train_fit = cls(season_length=SEASON).fit(seasonal[:TEST_START])
        assert pred[0] == pytest.approx(train_fit.predict(h=1)["mean"][0], rel=1e-9)
        # a model refitted on the whole series gives other one-step values over the test part
        full_fit = cls(season_length=SEASON).fit(seasonal).predict_in_sample()["fitted"]
        full_fit = full_fit[TEST_START:]
        assert np.max(np.abs(full_fit - pred)) > 1e-3, name
        # and so does re-estimating on everything before the last point
        last = cls(season_length=SEASON).fit(seasonal[:-1]).predict(h=1)["mean"][0]
        assert abs(last - pred[-1]) > 1e-6, name


def test_auto_arima_on_ar1_is_close_to_the_theoretical_predictor():
    phi, mu, n, test_start = 0.6, 5.0, 400, 300
    rng = np.random.default_rng(7)
    noise = rng.normal(size=n)
    y = np.empty(n)
    y[0] = mu
    for t in range(1, n):
        y[t] = mu + phi * (y[t - 1] - mu) + noise[t]
    pred = one_step_baselines(y, test_start, season=1, models=("auto_arima",))["auto_arima"]
    theory = mu + phi * (y[test_start - 1 : -1] - mu)
    assert rmse(theory, pred) < 0.25  # estimation error of phi and mu from 300 points
    assert rmse(theory, y[test_start - 1 : -1]) > 0.35  # persistence would fail the line above
    assert rmse(y[test_start:], pred) == pytest.approx(1.0, abs=0.15)  # the innovation sd


def test_airline_auto_arima_reference():
    """Reference 14.9 on the Keras-tutorial points y[97:143]; 14.6 on all of y[96:]."""
    pred = one_step_baselines(AIRLINE, 96, season=12, models=("auto_arima",))["auto_arima"]
    assert rmse(AIRLINE[97:143], pred[1:47]) == pytest.approx(14.92, abs=0.3)
    assert rmse(AIRLINE[96:], pred) == pytest.approx(14.62, abs=0.3)


def test_fit_failure_is_a_named_error():
    y = np.array([1.0, 2.0, 1.5, 2.5, 2.0, 3.0])
    message = r"auto_ets \(AutoETS, season_length=1\) failed to fit"
    with pytest.raises(BaselineFitError, match=message):
        one_step_baselines(y, 3, season=1, models=("auto_ets",))


def test_guard_against_a_forward_that_does_not_continue_the_fit(monkeypatch):
    from statsforecast.models import AutoETS

    original = AutoETS.forward

    def shifted(self, *args, **kwargs):
        out = original(self, *args, **kwargs)
        out["mean"] = out["mean"] + 1.0
        return out

    monkeypatch.setattr(AutoETS, "forward", shifted)
    y = np.sin(np.arange(30.0)) + np.arange(30.0) / 10 + 5
    with pytest.raises(BaselineFitError, match="does not continue"):
        one_step_baselines(y, 20, season=1, models=("auto_ets",))


def test_multi_step_stats_on_a_linear_trend():
    rng = np.random.default_rng(3)
    t = np.arange(40.0)
    y = 3 + 2 * t + rng.normal(scale=0.01, size=t.size)
    out = multi_step_baselines(y, 5, season=1, models=MULTI_STEP_MODELS)
    assert list(out) == list(MULTI_STEP_MODELS)
    truth = 3 + 2 * np.arange(40.0, 45.0)
    for name in ("auto_ets", "auto_arima", "auto_theta"):
        assert out[name].shape == (5,)
        np.testing.assert_allclose(out[name], truth, atol=0.5, err_msg=name)
    np.testing.assert_array_equal(out["persistence"], np.full(5, y[-1]))


def test_numba_cache_variable_set_only_if_unset(monkeypatch):
    monkeypatch.delenv("NIXTLA_NUMBA_CACHE", raising=False)
    baselines_module._statsforecast_models()
    assert os.environ["NIXTLA_NUMBA_CACHE"] == "1"
    monkeypatch.setenv("NIXTLA_NUMBA_CACHE", "0")
    baselines_module._statsforecast_models()
    assert os.environ["NIXTLA_NUMBA_CACHE"] == "0"
