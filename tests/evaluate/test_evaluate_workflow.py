"""walk_forward and backtest: fitted on the past only, every model scored on the same points,
metrics that recompute from the returned predictions.

The LSTM settings and series lengths match tests/forecast/test_forecaster.py (40 training points)
so that JAX compiles the training program once for both files; the backtests add two more
training lengths (44, and 42 for the step test). statsforecast appears in one test only.
"""

import numpy as np
import pandas as pd
import pytest

from lstmcast.errors import InvalidInputError
from lstmcast.evaluate import backtest, mae, mape, mase, rmse, score, smape, walk_forward
from lstmcast.forecast import LSTMForecaster

N, TEST_START, SEASON = 48, 40, 12
NAIVE = ("persistence", "seasonal_naive")
SETTINGS = dict(
    look_back=3,
    units=3,
    dense=((2, "tanh"),),
    epochs=3,
    batch_size=4,
    log=True,
    difference=1,
    scale="minmax",
    feature_range=(-1.0, 1.0),
    n_models=3,
    seed=0,
)


def make_series(n=N, seed=1):
    t = np.arange(n)
    noise = np.random.default_rng(seed).normal(0.0, 2.0, n)
    return 100.0 + 0.8 * t + 12.0 * np.sin(2 * np.pi * t / 12) + noise


Y = make_series()
FORECASTER = LSTMForecaster(**SETTINGS)


@pytest.fixture(scope="module")
def evaluation():
    return walk_forward(FORECASTER, Y, test_start=TEST_START, season=SEASON, baselines=NAIVE)


def recomputed_metrics(y_true, prediction, y_train, season):
    return {
        "rmse": rmse(y_true, prediction),
        "mae": mae(y_true, prediction),
        "mape": mape(y_true, prediction),
        "smape": smape(y_true, prediction),
        "mase": mase(y_true, prediction, y_train=y_train, season=season),
    }


def assert_metrics_recompute(evaluation, y_train, season):
    for name, prediction in evaluation.predictions.items():
        expected = recomputed_metrics(evaluation.y_true, prediction, y_train, season)
        assert evaluation.metrics[name].keys() == expected.keys()
        for metric, value in expected.items():
            assert evaluation.metrics[name][metric] == pytest.approx(value, rel=1e-12), (name, metric)
    # rmse and mae by hand too
    for name, prediction in evaluation.predictions.items():
        errors = prediction - evaluation.y_true
        assert evaluation.metrics[name]["rmse"] == pytest.approx(np.sqrt(np.mean(errors**2)), rel=1e-12)
        assert evaluation.metrics[name]["mae"] == pytest.approx(np.mean(np.abs(errors)), rel=1e-12)


# -- walk_forward ---------------------------------------------------------------------------------------
def test_walk_forward_scores_every_model_on_the_test_points(evaluation):
    positions = np.arange(TEST_START, N)
    np.testing.assert_array_equal(evaluation.positions, positions)
    np.testing.assert_array_equal(evaluation.y_true, Y[positions])
    assert set(evaluation.predictions) == {"lstm", *NAIVE}
    assert all(p.shape == positions.shape for p in evaluation.predictions.values())
    np.testing.assert_array_equal(evaluation.predictions["persistence"], Y[positions - 1])
    np.testing.assert_array_equal(evaluation.predictions["seasonal_naive"], Y[positions - SEASON])
    assert evaluation.members.shape == (3, len(positions))
    np.testing.assert_allclose(evaluation.predictions["lstm"], evaluation.members.mean(axis=0), rtol=1e-12)
    assert set(evaluation.seconds) == {"lstm", *NAIVE}


def test_walk_forward_fits_on_the_training_part_only(evaluation):
    (fitted,) = evaluation.forecasters
    np.testing.assert_array_equal(fitted.y_, Y[:TEST_START])
    assert fitted.transform_state_ == fitted.pipeline_.fit(Y[:TEST_START])
    assert fitted.get_params() == FORECASTER.get_params()
    assert not hasattr(FORECASTER, "params_")  # the caller's forecaster is left unfitted
    # the LSTM predictions are that model's one-step forecasts of the test part
    members = fitted.predict_one_step(Y[TEST_START:], members=True)
    np.testing.assert_allclose(evaluation.members, members, rtol=1e-12)
    # an independently fitted copy (same seed) agrees bit for bit
    direct = LSTMForecaster(**SETTINGS).fit(Y[:TEST_START])
    assert np.array_equal(direct.predict_one_step(Y[TEST_START:]), evaluation.predictions["lstm"])


def test_walk_forward_metrics_recompute_from_the_predictions(evaluation):
    assert_metrics_recompute(evaluation, Y[:TEST_START], SEASON)


def test_walk_forward_never_sees_later_values(evaluation):
    later = TEST_START + 3
    changed_y = Y.copy()
    changed_y[later:] = changed_y[later:] * 1.5 + 40.0
    changed = walk_forward(FORECASTER, changed_y, test_start=TEST_START, season=SEASON, baselines=NAIVE)
    # the model is the same, so predictions up to the first changed point (included) are unchanged
    for name in evaluation.predictions:
        np.testing.assert_array_equal(changed.predictions[name][: later - TEST_START + 1], evaluation.predictions[name][: later - TEST_START + 1])
    for name in ("lstm", "persistence"):  # seasonal naive looks a season back, before the change
        assert changed.predictions[name][later - TEST_START + 1] != evaluation.predictions[name][later - TEST_START + 1]
    # changing only the first test value changes nothing in the fit either
    first = Y.copy()
    first[TEST_START] += 25.0
    changed = walk_forward(FORECASTER, first, test_start=TEST_START, season=SEASON, baselines=NAIVE)
    assert changed.predictions["lstm"][0] == evaluation.predictions["lstm"][0]
    np.testing.assert_array_equal(changed.forecasters[0].params_["lstm"][0]["kernel"], evaluation.forecasters[0].params_["lstm"][0]["kernel"])


def test_walk_forward_in_sample_predictions_and_metrics(evaluation):
    in_sample = evaluation.train_predictions
    assert in_sample.shape == (3, TEST_START)
    first = 3 + 1  # look_back + the value used up by differencing
    assert np.isnan(in_sample[:, :first]).all() and np.isfinite(in_sample[:, first:]).all()
    mean = in_sample.mean(axis=0)
    np.testing.assert_allclose(mean[first:], evaluation.forecasters[0].predict_one_step([], include_history=True)[first:], rtol=1e-12)
    expected = score(Y[first:TEST_START], mean[first:], y_train=Y[:TEST_START], season=SEASON)
    assert evaluation.train_metrics == pytest.approx(expected, rel=1e-12)


def test_score_slice_restricts_every_model_to_the_same_points(evaluation):
    sliced = walk_forward(FORECASTER, Y, test_start=TEST_START, season=SEASON, baselines=NAIVE, score_slice=slice(1, -1))
    np.testing.assert_array_equal(sliced.positions, np.arange(TEST_START + 1, N - 1))
    np.testing.assert_array_equal(sliced.y_true, Y[TEST_START + 1 : N - 1])
    for name, prediction in evaluation.predictions.items():
        np.testing.assert_array_equal(sliced.predictions[name], prediction[1:-1])
    np.testing.assert_array_equal(sliced.members, evaluation.members[:, 1:-1])
    assert_metrics_recompute(sliced, Y[:TEST_START], SEASON)
    assert sliced.metrics["persistence"]["rmse"] != evaluation.metrics["persistence"]["rmse"]


@pytest.mark.parametrize("split", [dict(test_size=N - TEST_START), dict(test_size=(N - TEST_START) / N)], ids=["points", "fraction"])
def test_test_size_in_points_or_as_a_fraction(evaluation, split):
    other = walk_forward(FORECASTER, Y, season=SEASON, baselines=NAIVE, **split)
    np.testing.assert_array_equal(other.positions, evaluation.positions)
    assert np.array_equal(other.predictions["lstm"], evaluation.predictions["lstm"])


def test_walk_forward_on_a_dated_series_uses_positions(evaluation):
    series = pd.Series(Y, index=pd.date_range("2010-01-01", periods=N, freq="MS"))
    dated = walk_forward(FORECASTER, series, test_start=TEST_START, season=SEASON, baselines=NAIVE)
    np.testing.assert_array_equal(dated.positions, evaluation.positions)
    assert np.array_equal(dated.predictions["lstm"], evaluation.predictions["lstm"])
    assert dated.forecasters[0].index_.equals(series.index[:TEST_START])


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(test_size=8, test_start=40),
        dict(test_start=0),
        dict(test_start=N),
        dict(test_size=0),
        dict(test_size=N),
        pytest.param(
            dict(test_size=2.5),
        ),
        pytest.param(
            dict(test_start=40.5),
        ),
    ],
    ids=lambda kwargs: ",".join(f"{k}={v}" for k, v in kwargs.items()) or "no-split",
)
def test_walk_forward_rejects_bad_splits(kwargs):
    with pytest.raises(InvalidInputError):
        walk_forward(FORECASTER, Y, season=SEASON, baselines=NAIVE, **kwargs)


def test_walk_forward_rejects_missing_values():
    y = Y.copy()
    y[45] = np.nan
    with pytest.raises(InvalidInputError):
        walk_forward(FORECASTER, y, test_start=TEST_START, season=SEASON, baselines=NAIVE)


def test_auto_arima_is_scored_on_the_same_points_without_seeing_later_values(evaluation):
    arima = walk_forward(FORECASTER, Y, test_start=TEST_START, season=1, baselines=("persistence", "auto_arima"))
    np.testing.assert_array_equal(arima.positions, evaluation.positions)
    assert arima.predictions["auto_arima"].shape == arima.positions.shape
    assert np.isfinite(arima.predictions["auto_arima"]).all()
    assert np.array_equal(arima.predictions["lstm"], evaluation.predictions["lstm"])
    assert_metrics_recompute(arima, Y[:TEST_START], 1)
    changed_y = Y.copy()
    changed_y[TEST_START + 1 :] += 50.0
    changed = walk_forward(FORECASTER, changed_y, test_start=TEST_START, season=1, baselines=("auto_arima",))
    np.testing.assert_allclose(changed.predictions["auto_arima"][:2], arima.predictions["auto_arima"][:2], rtol=1e-9)


# -- backtest ---------------------------------------------------------------------------------------------
HORIZON = 4


@pytest.fixture(scope="module")
def backtested():
    # cut-offs 40 and 44: the last window ends with the series
    return backtest(FORECASTER, Y, horizon=HORIZON, n_windows=2, season=SEASON, baselines=NAIVE)


def test_backtest_cutoffs_end_with_the_series_step_apart(backtested):
    cutoffs = [f.y_.size for f in backtested.forecasters]
    assert cutoffs == [N - 2 * HORIZON, N - HORIZON]
    for cutoff, fitted in zip(cutoffs, backtested.forecasters):
        np.testing.assert_array_equal(fitted.y_, Y[:cutoff])  # fitted on the data before its cut-off
        assert fitted.transform_state_ == fitted.pipeline_.fit(Y[:cutoff])
    positions = np.concatenate([np.arange(c, c + HORIZON) for c in cutoffs])
    np.testing.assert_array_equal(backtested.positions, positions)
    assert backtested.positions[-1] == N - 1
    np.testing.assert_array_equal(backtested.y_true, Y[positions])


def test_backtest_predictions_are_each_folds_forecasts(backtested):
    members = np.concatenate([f.predict(HORIZON, members=True) for f in backtested.forecasters], axis=1)
    assert backtested.members.shape == (3, 2 * HORIZON)
    np.testing.assert_allclose(backtested.members, members, rtol=1e-12)
    np.testing.assert_allclose(backtested.predictions["lstm"], members.mean(axis=0), rtol=1e-12)
    cutoffs = [N - 2 * HORIZON, N - HORIZON]
    np.testing.assert_array_equal(backtested.predictions["persistence"], np.repeat(Y[np.array(cutoffs) - 1], HORIZON))
    seasonal = np.concatenate([Y[c - SEASON : c - SEASON + HORIZON] for c in cutoffs])
    np.testing.assert_array_equal(backtested.predictions["seasonal_naive"], seasonal)
    assert all(p.shape == backtested.positions.shape for p in backtested.predictions.values())
    # a fold's model equals one fitted directly on the data before its cut-off
    direct = LSTMForecaster(**SETTINGS).fit(Y[: cutoffs[0]])
    assert np.array_equal(direct.predict(HORIZON), backtested.predictions["lstm"][:HORIZON])


def test_backtest_metrics_pool_all_windows(backtested):
    assert_metrics_recompute(backtested, Y[: N - 2 * HORIZON], SEASON)


def test_backtest_folds_never_see_their_future(backtested):
    changed_y = Y.copy()
    changed_y[N - HORIZON - 2 :] += 30.0  # after the first cut-off, before the second
    changed = backtest(FORECASTER, changed_y, horizon=HORIZON, n_windows=2, season=SEASON, baselines=NAIVE)
    for name in backtested.predictions:
        np.testing.assert_array_equal(changed.predictions[name][:HORIZON], backtested.predictions[name][:HORIZON])
    for name in ("lstm", "persistence"):  # the second fold was fitted on changed data
        assert not np.allclose(changed.predictions[name][HORIZON:], backtested.predictions[name][HORIZON:])


def test_backtest_step_sets_the_distance_between_cutoffs():
    # step < horizon: overlapping windows, each point scored once per window that covers it
    stepped = backtest(FORECASTER, Y, horizon=HORIZON, n_windows=3, step=2, season=SEASON, baselines=("persistence",))
    cutoffs = [f.y_.size for f in stepped.forecasters]
    assert cutoffs == [N - HORIZON - 4, N - HORIZON - 2, N - HORIZON]
    np.testing.assert_array_equal(stepped.positions, np.concatenate([np.arange(c, c + HORIZON) for c in cutoffs]))
    np.testing.assert_array_equal(stepped.y_true, Y[stepped.positions])
    np.testing.assert_array_equal(stepped.predictions["persistence"], np.repeat(Y[np.array(cutoffs) - 1], HORIZON))
    for k, fitted in enumerate(stepped.forecasters):
        np.testing.assert_array_equal(fitted.y_, Y[: cutoffs[k]])
        np.testing.assert_allclose(stepped.predictions["lstm"][k * HORIZON : (k + 1) * HORIZON], fitted.predict(HORIZON), rtol=1e-12)
    assert_metrics_recompute(stepped, Y[: cutoffs[0]], SEASON)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(horizon=0),
        dict(horizon=-1),
        dict(horizon=4, n_windows=0),
        dict(horizon=20, n_windows=3),
        dict(horizon=8, n_windows=2, step=-4),  # cut-offs 44, 40: windows past the series end
        dict(horizon=4, n_windows=2, step=0),  # the same cut-off twice
    ],
    ids=lambda kwargs: ",".join(f"{k}={v}" for k, v in kwargs.items()),
)
def test_backtest_rejects_bad_arguments(kwargs):
    with pytest.raises(InvalidInputError):
        backtest(FORECASTER, Y, season=SEASON, baselines=NAIVE, **kwargs)


def test_member_scores_are_each_seeds_own_score(evaluation):
    from lstmcast.errors import InvalidInputError as Invalid

    scores = evaluation.member_scores("rmse")
    expected = [np.sqrt(np.mean((member - evaluation.y_true) ** 2)) for member in evaluation.members]
    np.testing.assert_allclose(scores, expected, rtol=1e-12)
    # The ensemble's error is never above the members' mean error (RMSE is a norm, so convex).
    assert evaluation.metrics["lstm"]["rmse"] <= scores.mean() + 1e-12
    with pytest.raises(Invalid):
        evaluation.member_scores("mase")
