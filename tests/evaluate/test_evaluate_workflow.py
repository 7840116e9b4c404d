"""walk_forward and backtest: any forecasters treated alike, fitted on the past only, every model
scored on the same points, a long forecasts frame whose metrics recompute from its columns (per
cut-off, MASE scaled by the data before each, then averaged over the cut-offs).

The LSTM settings and series lengths match tests/forecast/test_forecaster.py (40 training points)
so that JAX compiles the training program once for both files; the backtests add two more
training lengths (44, and 42 for the step test). statsforecast appears in one test only.

Every expected value is computed here from the series with plain NumPy (``reference_metrics``,
lags and slices of ``Y``), or from a forecaster fitted directly, never typed in.
"""

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from lstmcast.errors import InvalidInputError
from lstmcast.evaluate import TABLE_METRICS, Evaluation, backtest, walk_forward
from lstmcast.forecast import AutoARIMA, AutoETS, AutoTheta, LocalLSTM, Naive2, Persistence, SeasonalNaive
from tests.reference import TINY_LSTM

N, TEST_START, SEASON = 48, 40, 12
FIRST_LSTM = 3 + 1  # the first point an LSTM predicts: look_back + the value used up by differencing
SETTINGS = TINY_LSTM
FRAME_COLUMNS = ["unique_id", "ds", "cutoff", "y"]


def make_series(n=N, seed=1):
    t = np.arange(n)
    noise = np.random.default_rng(seed).normal(0.0, 2.0, n)
    return 100.0 + 0.8 * t + 12.0 * np.sin(2 * np.pi * t / 12) + noise


def naive():
    return [Persistence(), SeasonalNaive(season=SEASON)]


Y = make_series()
DATES = pd.date_range("2010-01-01", periods=N, freq="MS")
FORECASTER = LocalLSTM(**SETTINGS)
POSITIONS = np.arange(TEST_START, N)  # the walk's test points
NAIVE = naive()
NAIVE_ALIASES = ["persistence", "seasonal_naive"]
ALIASES = ["lstm", *NAIVE_ALIASES]


@pytest.fixture(scope="module")
def evaluation():
    return walk_forward(FORECASTER, Y, test_start=TEST_START, season=SEASON, baselines=NAIVE, in_sample=True)


@pytest.fixture(scope="module")
def dated():
    series = pd.Series(Y, index=DATES, name="sales")
    return series, walk_forward(
        FORECASTER, series, test_start=TEST_START, season=SEASON, baselines=NAIVE, in_sample=True
    )


# -- plain-NumPy references -------------------------------------------------------------------------
def reference_metrics(y_true, prediction, y_train, season):
    y_true, prediction, y_train = (np.asarray(a, np.float64) for a in (y_true, prediction, y_train))
    errors = prediction - y_true
    scale = np.mean(np.abs(y_train[season:] - y_train[:-season]))
    return {
        "rmse": np.sqrt(np.mean(errors**2)),
        "mae": np.mean(np.abs(errors)),
        "mape": 100.0 * np.mean(np.abs(errors) / np.abs(y_true)),
        "smape": np.mean(200.0 * np.abs(errors) / (np.abs(y_true) + np.abs(prediction))),
        "mase": np.mean(np.abs(errors)) / scale,
    }


def assert_metrics_recompute(evaluation, y, season):
    """Every model's metrics are the mean over the cut-offs of the NumPy reference on each cut-off's
    rows of the forecasts frame, MASE scaled by the series before that cut-off; the frame's ``y`` is
    the series at the scored positions (``ds``, for a series given as an array); and the scores
    table holds each cut-off's own figures."""
    forecasts = evaluation.forecasts
    positions = forecasts["ds"].to_numpy()
    np.testing.assert_array_equal(forecasts["y"].to_numpy(), y[positions])
    np.testing.assert_array_equal(evaluation.y_true, y[positions])
    assert list(evaluation.metrics) == evaluation.aliases
    windows = [evaluation.groups == g for g in np.unique(evaluation.groups)]  # rows of each cut-off
    for alias in evaluation.aliases:
        per_cutoff = []
        own = evaluation.scores[evaluation.scores["model"] == alias].to_dict("records")  # one per cut-off, in order
        assert len(own) == len(windows)
        for rows, scores in zip(windows, own):
            cutoff = scores["cutoff"]  # the window's cut-off: the last value the models were fitted on
            assert cutoff < positions[rows].min()
            expected = reference_metrics(y[positions[rows]], forecasts[alias].to_numpy()[rows], y[: cutoff + 1], season)
            per_cutoff.append(expected)
            for metric, value in expected.items():
                assert scores[metric] == pytest.approx(value, rel=1e-12), (alias, cutoff, metric)
        assert evaluation.metrics[alias].keys() == per_cutoff[0].keys()
        for metric in per_cutoff[0]:
            mean = np.mean([expected[metric] for expected in per_cutoff])
            assert evaluation.metrics[alias][metric] == pytest.approx(mean, rel=1e-12), (alias, metric)


def assert_same_results(got, expected, *, exact_aliases, rtol=1e-6):
    """Two evaluations of the same models on the same data agree: points, frame, members,
    metrics (bit for bit for ``exact_aliases``, to ``rtol`` for the others)."""
    assert got.aliases == expected.aliases
    assert list(got.forecasts.columns) == list(expected.forecasts.columns)
    for column in FRAME_COLUMNS:
        np.testing.assert_array_equal(got.forecasts[column].to_numpy(), expected.forecasts[column].to_numpy())
    for alias in got.aliases:
        if alias in exact_aliases:
            np.testing.assert_array_equal(got.forecasts[alias].to_numpy(), expected.forecasts[alias].to_numpy())
            np.testing.assert_array_equal(got.members[alias], expected.members[alias])
            assert got.metrics[alias] == expected.metrics[alias]
        else:
            np.testing.assert_allclose(got.forecasts[alias].to_numpy(), expected.forecasts[alias].to_numpy(), rtol=rtol)
            np.testing.assert_allclose(got.members[alias], expected.members[alias], rtol=rtol)
            assert got.metrics[alias] == pytest.approx(expected.metrics[alias], rel=rtol)
        assert len(got.fitted_models[alias]) == len(expected.fitted_models[alias])
        for fitted, other in zip(got.fitted_models[alias], expected.fitted_models[alias]):
            np.testing.assert_array_equal(fitted.y_, other.y_)


# -- walk_forward ---------------------------------------------------------------------------------------
def test_walk_forward_scores_every_model_on_the_test_points(evaluation):
    assert isinstance(evaluation, Evaluation)
    positions = POSITIONS
    np.testing.assert_array_equal(evaluation.forecasts["ds"].to_numpy(), positions)
    np.testing.assert_array_equal(evaluation.y_true, Y[positions])
    assert evaluation.aliases == ALIASES  # the given models first, then the baselines, in order
    forecasts = evaluation.forecasts
    assert len(forecasts) == len(positions)
    np.testing.assert_array_equal(forecasts["persistence"].to_numpy(), Y[positions - 1])
    np.testing.assert_array_equal(forecasts["seasonal_naive"].to_numpy(), Y[positions - SEASON])
    assert evaluation.members["lstm"].shape == (3, len(positions))
    for alias in NAIVE_ALIASES:
        assert evaluation.members[alias].shape == (1, len(positions))
    for alias in ALIASES:
        np.testing.assert_allclose(forecasts[alias].to_numpy(), evaluation.members[alias].mean(axis=0), rtol=1e-12)
        assert len(evaluation.fitted_models[alias]) == 1
    assert list(evaluation.seconds) == ALIASES
    assert all(isinstance(s, float) and s >= 0.0 for s in evaluation.seconds.values())


def test_walk_forward_frame_of_an_array_has_positions_and_cutoffs(evaluation):
    forecasts = evaluation.forecasts
    assert list(forecasts.columns) == FRAME_COLUMNS + ALIASES
    assert forecasts["ds"].dtype.kind in "iu"
    np.testing.assert_array_equal(forecasts["ds"].to_numpy(), POSITIONS)
    # a one-step forecast's cut-off is the point before it (the last value it could use); the
    # walk is one window, whose scores carry the models' cut-off, the last training observation
    assert forecasts["cutoff"].dtype.kind in "iu"
    np.testing.assert_array_equal(forecasts["cutoff"].to_numpy(), POSITIONS - 1)
    (uid,) = forecasts["unique_id"].unique()
    assert isinstance(uid, str) and uid
    np.testing.assert_array_equal(forecasts["y"].to_numpy(), Y[POSITIONS])
    assert evaluation.scores[["model", "unique_id", "cutoff"]].values.tolist() == [
        [alias, uid, TEST_START - 1] for alias in ALIASES
    ]


def test_walk_forward_fits_on_the_training_part_only(evaluation):
    (fitted,) = evaluation.fitted_models["lstm"]
    assert fitted is not FORECASTER
    np.testing.assert_array_equal(fitted.y_, Y[:TEST_START])
    assert fitted.transform_state_ == fitted.pipeline_.fit(Y[:TEST_START])
    assert fitted.get_params() == FORECASTER.get_params()
    assert not hasattr(FORECASTER, "params_")  # the caller's forecaster is left unfitted
    for model, alias in zip(NAIVE, NAIVE_ALIASES):
        (fitted_baseline,) = evaluation.fitted_models[alias]
        assert fitted_baseline is not model and not hasattr(model, "y_")
        np.testing.assert_array_equal(fitted_baseline.y_, Y[:TEST_START])
    # the LSTM's members are that model's one-step forecasts of the test part
    members = fitted.predict_one_step(Y[TEST_START:], members=True)
    np.testing.assert_allclose(evaluation.members["lstm"], members, rtol=1e-12)
    # an independently fitted copy (same seed) agrees bit for bit
    direct = LocalLSTM(**SETTINGS).fit(Y[:TEST_START])
    assert np.array_equal(direct.predict_one_step(Y[TEST_START:]), evaluation.forecasts["lstm"].to_numpy())


def test_walk_forward_metrics_recompute_from_the_forecasts(evaluation):
    assert_metrics_recompute(evaluation, Y, SEASON)


def test_walk_forward_never_sees_later_values(evaluation):
    later = TEST_START + 3
    changed_y = Y.copy()
    changed_y[later:] = changed_y[later:] * 1.5 + 40.0
    changed = walk_forward(FORECASTER, changed_y, test_start=TEST_START, season=SEASON, baselines=NAIVE)
    # the model is the same, so forecasts up to the first changed point (included) are unchanged
    kept = later - TEST_START + 1
    for alias in ALIASES:
        np.testing.assert_array_equal(
            changed.forecasts[alias].to_numpy()[:kept], evaluation.forecasts[alias].to_numpy()[:kept]
        )
    for alias in ("lstm", "persistence"):  # seasonal naive looks a season back, before the change
        assert changed.forecasts[alias].to_numpy()[kept] != evaluation.forecasts[alias].to_numpy()[kept]
    # changing only the first test value changes nothing in the fit either
    first = Y.copy()
    first[TEST_START] += 25.0
    changed = walk_forward(FORECASTER, first, test_start=TEST_START, season=SEASON, baselines=NAIVE)
    assert changed.forecasts["lstm"].to_numpy()[0] == evaluation.forecasts["lstm"].to_numpy()[0]
    np.testing.assert_array_equal(
        changed.fitted_models["lstm"][0].params_["lstm"][0]["kernel"],
        evaluation.fitted_models["lstm"][0].params_["lstm"][0]["kernel"],
    )


def test_walk_forward_in_sample_frame_and_metrics(evaluation):
    in_sample = evaluation.in_sample
    assert list(in_sample.columns) == ["unique_id", "ds", "y", *ALIASES]  # no cut-off: one fit
    np.testing.assert_array_equal(in_sample["ds"].to_numpy(), np.arange(TEST_START))
    np.testing.assert_array_equal(in_sample["y"].to_numpy(), Y[:TEST_START])
    assert in_sample["unique_id"].unique().tolist() == evaluation.forecasts["unique_id"].unique().tolist()
    # NaN where a model has no full window before a point, finite after
    lstm = in_sample["lstm"].to_numpy()
    assert np.isnan(lstm[:FIRST_LSTM]).all() and np.isfinite(lstm[FIRST_LSTM:]).all()
    (fitted,) = evaluation.fitted_models["lstm"]
    np.testing.assert_allclose(
        lstm[FIRST_LSTM:], fitted.predict_one_step([], include_history=True)[FIRST_LSTM:], rtol=1e-12
    )
    persistence, seasonal = in_sample["persistence"].to_numpy(), in_sample["seasonal_naive"].to_numpy()
    assert np.isnan(persistence[:1]).all() and np.isnan(seasonal[:SEASON]).all()
    np.testing.assert_array_equal(persistence[1:], Y[: TEST_START - 1])
    np.testing.assert_array_equal(seasonal[SEASON:], Y[: TEST_START - SEASON])
    # the members behind the frame's columns
    assert evaluation.in_sample_members["lstm"].shape == (3, TEST_START)
    for alias in ALIASES:
        members = evaluation.in_sample_members[alias]
        assert members.shape[1] == TEST_START
        np.testing.assert_allclose(in_sample[alias].to_numpy(), members.mean(axis=0), rtol=1e-12, equal_nan=True)
    # train metrics recompute from the frame, on the points each model forecasts
    assert list(evaluation.train_metrics) == ALIASES
    for alias, first in zip(ALIASES, (FIRST_LSTM, 1, SEASON)):
        expected = reference_metrics(Y[first:TEST_START], in_sample[alias].to_numpy()[first:], Y[:TEST_START], SEASON)
        assert evaluation.train_metrics[alias] == pytest.approx(expected, rel=1e-12), alias


def test_walk_forward_without_in_sample_forecasts_the_same(evaluation):
    plain = walk_forward(FORECASTER, Y, test_start=TEST_START, season=SEASON, baselines=NAIVE)
    assert plain.in_sample is None and plain.in_sample_members == {} and plain.train_metrics == {}
    pd.testing.assert_frame_equal(plain.forecasts, evaluation.forecasts)


def test_score_slice_restricts_every_model_to_the_same_points(evaluation):
    sliced = walk_forward(
        FORECASTER, Y, test_start=TEST_START, season=SEASON, baselines=NAIVE, score_slice=slice(1, -1)
    )
    positions = np.arange(TEST_START + 1, N - 1)
    np.testing.assert_array_equal(sliced.y_true, Y[positions])
    np.testing.assert_array_equal(sliced.forecasts["ds"].to_numpy(), positions)
    np.testing.assert_array_equal(sliced.forecasts["cutoff"].to_numpy(), positions - 1)
    for alias in ALIASES:
        np.testing.assert_array_equal(sliced.forecasts[alias].to_numpy(), evaluation.forecasts[alias].to_numpy()[1:-1])
        np.testing.assert_array_equal(sliced.members[alias], evaluation.members[alias][:, 1:-1])
    assert_metrics_recompute(sliced, Y, SEASON)
    assert sliced.metrics["persistence"]["rmse"] != evaluation.metrics["persistence"]["rmse"]


@pytest.mark.parametrize("score_slice", [[1, 2], slice(N - TEST_START, None)], ids=["not-a-slice", "empty"])
def test_score_slice_must_select_test_points(score_slice):
    with pytest.raises(InvalidInputError):
        walk_forward([], Y, test_start=TEST_START, season=SEASON, baselines=NAIVE, score_slice=score_slice)


@pytest.mark.parametrize(
    "split", [dict(test_size=N - TEST_START), dict(test_size=(N - TEST_START) / N)], ids=["points", "fraction"]
)
def test_test_size_in_points_or_as_a_fraction(evaluation, split):
    other = walk_forward(FORECASTER, Y, season=SEASON, baselines=NAIVE, **split)
    pd.testing.assert_frame_equal(other.forecasts, evaluation.forecasts)  # the LSTM bit for bit too


def test_walk_forward_on_a_dated_series_uses_positions_and_dates(evaluation, dated):
    series, result = dated
    forecasts = result.forecasts
    assert list(forecasts.columns) == FRAME_COLUMNS + ALIASES
    np.testing.assert_array_equal(forecasts["ds"].to_numpy(), DATES[POSITIONS].to_numpy())
    np.testing.assert_array_equal(forecasts["cutoff"].to_numpy(), DATES[POSITIONS - 1].to_numpy())
    assert forecasts["unique_id"].tolist() == [series.name] * len(forecasts)
    for alias in ALIASES:  # the same numbers as for the bare array
        assert np.array_equal(forecasts[alias].to_numpy(), evaluation.forecasts[alias].to_numpy())
    assert result.metrics == evaluation.metrics
    np.testing.assert_array_equal(result.in_sample["ds"].to_numpy(), DATES[:TEST_START].to_numpy())
    assert result.train_metrics == evaluation.train_metrics


def test_walk_forward_on_a_dated_series_fits_dated_models(dated):
    """The fitted models of a dated series know its dates, as ``fit(series)`` would (then
    ``fitted_models[...][0].predict(h)`` is a frame of the next dates)."""
    series, result = dated
    for alias in ALIASES:
        (fitted,) = result.fitted_models[alias]
        assert fitted.index_ is not None and fitted.index_.equals(series.index[:TEST_START]), alias
    expected = LocalLSTM(**SETTINGS).fit(series[:TEST_START]).predict(2)
    pd.testing.assert_frame_equal(result.fitted_models["lstm"][0].predict(2), expected)


def irregular_series():
    """Two dated series that ``fit`` refuses: a month missing, and dates in decreasing order."""
    gap = pd.Series(Y, index=pd.date_range("2010-01-01", periods=N + 1, freq="MS").delete(20))
    decreasing = pd.Series(Y, index=DATES[::-1])
    return [gap, decreasing]


@pytest.mark.parametrize("series", irregular_series(), ids=["missing-month", "decreasing-dates"])
def test_evaluations_check_a_dated_series_like_fit(series):
    """A seasonal lag or a cut-off means nothing on an irregular time axis: the evaluations refuse
    the series that every forecaster's ``fit`` refuses."""
    with pytest.raises(InvalidInputError):
        Persistence().fit(series)
    with pytest.raises(InvalidInputError):
        walk_forward([], series, test_start=TEST_START, season=SEASON, baselines=NAIVE)
    with pytest.raises(InvalidInputError):
        backtest([], series, horizon=4, n_windows=2, season=SEASON, baselines=NAIVE)


def test_unique_id_comes_from_the_argument_or_the_series_name():
    named = pd.Series(Y, index=DATES, name="sales")
    for y, unique_id, expected in [(Y, "shop-1", "shop-1"), (named, None, "sales"), (named, "shop-1", "shop-1")]:
        result = walk_forward([], y, test_start=TEST_START, season=SEASON, baselines=NAIVE, unique_id=unique_id)
        assert result.forecasts["unique_id"].tolist() == [expected] * (N - TEST_START)
        stepped = backtest([], y, horizon=4, n_windows=2, season=SEASON, baselines=NAIVE, unique_id=unique_id)
        assert stepped.forecasts["unique_id"].tolist() == [expected] * 8
    for bad in ("", 5):
        with pytest.raises(InvalidInputError):
            walk_forward([], Y, test_start=TEST_START, season=SEASON, baselines=NAIVE, unique_id=bad)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(test_size=8, test_start=40),
        dict(test_start=0),
        dict(test_start=N),
        dict(test_size=0),
        dict(test_size=N),
        dict(test_size=2.5),
        dict(test_start=40.5),
    ],
    ids=lambda kwargs: ",".join(f"{k}={v}" for k, v in kwargs.items()) or "no-split",
)
def test_walk_forward_rejects_bad_splits(kwargs):
    with pytest.raises(InvalidInputError):
        walk_forward(FORECASTER, Y, season=SEASON, baselines=NAIVE, **kwargs)


@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
@pytest.mark.parametrize("as_series", [False, True], ids=["array", "series"])
def test_evaluations_reject_missing_values(bad, as_series):
    y = Y.copy()
    y[45] = bad
    y = pd.Series(y, index=DATES) if as_series else y
    with pytest.raises(InvalidInputError):
        walk_forward(FORECASTER, y, test_start=TEST_START, season=SEASON, baselines=NAIVE)
    with pytest.raises(InvalidInputError):
        backtest(FORECASTER, y, horizon=4, n_windows=2, season=SEASON, baselines=NAIVE)


# -- models treated as equals ----------------------------------------------------------------------------
def test_two_lstms_side_by_side_each_under_its_alias(evaluation):
    small = LocalLSTM(**SETTINGS, alias="small")
    other = LocalLSTM(**{**SETTINGS, "seed": 7}, alias="other")
    both = walk_forward([small, other], Y, test_start=TEST_START, season=SEASON, baselines=())
    assert both.aliases == ["small", "other"]  # baselines=() adds nothing
    assert list(both.forecasts.columns) == FRAME_COLUMNS + ["small", "other"]
    # the alias changes nothing but the name: "small" is the evaluation's "lstm"
    assert np.array_equal(both.forecasts["small"].to_numpy(), evaluation.forecasts["lstm"].to_numpy())
    assert both.metrics["small"] == evaluation.metrics["lstm"]
    # "other" is its own model, fitted independently
    direct = LocalLSTM(**{**SETTINGS, "seed": 7}).fit(Y[:TEST_START])
    assert np.array_equal(both.forecasts["other"].to_numpy(), direct.predict_one_step(Y[TEST_START:]))
    assert not np.array_equal(both.forecasts["other"].to_numpy(), both.forecasts["small"].to_numpy())
    assert both.fitted_models["other"][0].get_params() == other.get_params()
    assert_metrics_recompute(both, Y, SEASON)
    assert both.table().index.tolist() == ["small", "other"]


class DuckForecaster:
    """Has fit and predict, but is not an lstmcast forecaster."""

    alias = "duck"

    def fit(self, y):
        return self

    def predict(self, horizon):
        return np.zeros(horizon)


@pytest.mark.parametrize(
    "models, baselines",
    [
        ([FORECASTER, LocalLSTM(**SETTINGS)], ()),  # both called "lstm"
        (FORECASTER, [Persistence(alias="lstm")]),
        ([], [Persistence(), Persistence()]),
        ([], [Persistence(), SeasonalNaive(season=SEASON, alias="persistence")]),
    ],
    ids=["two-lstm", "baseline-named-lstm", "two-persistence", "seasonal-named-persistence"],
)
@pytest.mark.parametrize("evaluate", ["walk_forward", "backtest"])
def test_a_repeated_alias_is_refused(models, baselines, evaluate):
    with pytest.raises(InvalidInputError, match="alias"):
        run(evaluate, models, baselines)
    assert not hasattr(FORECASTER, "params_")


@pytest.mark.parametrize(
    "models, baselines",
    [
        ("lstm", ()),
        ([FORECASTER, "persistence"], ()),
        (FORECASTER, ["persistence", "seasonal_naive"]),  # the old API's names
        (DuckForecaster(), ()),
        ([DuckForecaster()], ()),
        (FORECASTER, [Persistence, SeasonalNaive]),  # classes, not forecasters
        ([], [Persistence(alias="y")]),  # a reserved column name
        ([], ()),  # nothing to evaluate
    ],
    ids=["string", "string-in-list", "baseline-names", "duck", "duck-in-list", "classes", "reserved-alias", "nothing"],
)
@pytest.mark.parametrize("evaluate", ["walk_forward", "backtest"])
def test_only_forecasters_are_evaluated(models, baselines, evaluate):
    with pytest.raises(InvalidInputError):
        run(evaluate, models, baselines)
    assert not hasattr(FORECASTER, "params_")


def run(evaluate, models, baselines, y=Y, **kwargs):
    if evaluate == "walk_forward":
        return walk_forward(models, y, test_start=TEST_START, season=SEASON, baselines=baselines, **kwargs)
    return backtest(models, y, horizon=HORIZON, n_windows=2, season=SEASON, baselines=baselines, **kwargs)


def test_default_baselines_and_statistical_models_without_leaks(evaluation):
    """The one test with statsforecast: the default baselines (None) of both evaluations, each
    statistical model equal to the same forecaster fitted directly, and no leak."""
    train, test = Y[:TEST_START], Y[TEST_START:]
    one_step = walk_forward([], Y, test_start=TEST_START, season=SEASON)
    assert one_step.aliases == ["persistence", "seasonal_naive", "auto_ets", "auto_arima"]
    np.testing.assert_array_equal(one_step.forecasts["ds"].to_numpy(), POSITIONS)
    for alias in NAIVE_ALIASES:
        np.testing.assert_array_equal(one_step.forecasts[alias].to_numpy(), evaluation.forecasts[alias].to_numpy())
    for alias, model in [("auto_ets", AutoETS(season=SEASON)), ("auto_arima", AutoARIMA(season=SEASON))]:
        forecast = one_step.forecasts[alias].to_numpy()
        assert np.isfinite(forecast).all()
        np.testing.assert_allclose(forecast, model.fit(train).predict_one_step(test), rtol=1e-12)
    assert_metrics_recompute(one_step, Y, SEASON)
    # the statistical models never see later values: change everything after the second test point
    changed_y = Y.copy()
    changed_y[TEST_START + 1 :] += 50.0
    changed = walk_forward(
        [],
        changed_y,
        test_start=TEST_START,
        season=SEASON,
        baselines=[AutoETS(season=SEASON), AutoARIMA(season=SEASON)],
    )
    for alias in ("auto_ets", "auto_arima"):
        np.testing.assert_allclose(
            changed.forecasts[alias].to_numpy()[:2], one_step.forecasts[alias].to_numpy()[:2], rtol=1e-9
        )
    # AutoTheta forecasts multi-step only
    with pytest.raises(InvalidInputError):
        walk_forward([], Y, test_start=TEST_START, season=SEASON, baselines=[AutoTheta(season=SEASON)])

    # the multi-step defaults are the M competitions' set: Naive2 (OWA's reference), seasonal naive, ETS, Theta
    multi_step = backtest([], Y, horizon=HORIZON, n_windows=2, season=SEASON)
    assert multi_step.aliases == ["naive2", "seasonal_naive", "auto_ets", "auto_theta"]
    cutoffs = [N - 2 * HORIZON, N - HORIZON]
    for alias, model in [
        ("naive2", Naive2(season=SEASON)),
        ("auto_ets", AutoETS(season=SEASON)),
        ("auto_theta", AutoTheta(season=SEASON)),
    ]:
        expected = np.concatenate([model.fit(Y[:c]).predict(HORIZON) for c in cutoffs])
        np.testing.assert_allclose(multi_step.forecasts[alias].to_numpy(), expected, rtol=1e-12)
        assert [f.y_.size for f in multi_step.fitted_models[alias]] == cutoffs
    assert_metrics_recompute(multi_step, Y, SEASON)
    table = multi_step.table()
    for alias in multi_step.aliases:  # OWA: sMAPE and MASE relative to Naive2's, averaged
        owa = 0.5 * sum(table.loc[alias, m] / table.loc["naive2", m] for m in ("smape", "mase"))
        assert table.loc[alias, "owa"] == pytest.approx(owa, rel=1e-12)
    assert table.loc["naive2", "owa"] == 1.0


# -- backtest ---------------------------------------------------------------------------------------------
HORIZON = 4
CUTOFFS = [N - 2 * HORIZON, N - HORIZON]  # 40 and 44: the last window ends with the series


@pytest.fixture(scope="module")
def backtested():
    return backtest(FORECASTER, Y, horizon=HORIZON, n_windows=2, season=SEASON, baselines=NAIVE)


def test_backtest_cutoffs_end_with_the_series_step_apart(backtested):
    assert backtested.aliases == ALIASES
    for alias in ALIASES:  # every model refitted at every cut-off, on the data before it
        assert [f.y_.size for f in backtested.fitted_models[alias]] == CUTOFFS
        for cutoff, fitted in zip(CUTOFFS, backtested.fitted_models[alias]):
            np.testing.assert_array_equal(fitted.y_, Y[:cutoff])
    for cutoff, fitted in zip(CUTOFFS, backtested.fitted_models["lstm"]):
        assert fitted.transform_state_ == fitted.pipeline_.fit(Y[:cutoff])
    positions = np.concatenate([np.arange(c, c + HORIZON) for c in CUTOFFS])
    np.testing.assert_array_equal(backtested.forecasts["ds"].to_numpy(), positions)
    assert positions[-1] == N - 1
    np.testing.assert_array_equal(backtested.y_true, Y[positions])
    assert list(backtested.seconds) == ALIASES


def test_backtest_frame_of_an_array_has_positions_and_cutoffs(backtested):
    forecasts = backtested.forecasts
    positions = np.concatenate([np.arange(c, c + HORIZON) for c in CUTOFFS])
    assert list(forecasts.columns) == FRAME_COLUMNS + ALIASES
    np.testing.assert_array_equal(forecasts["ds"].to_numpy(), positions)
    # cutoff: the last observation before the cut-off, the same for a whole window
    np.testing.assert_array_equal(forecasts["cutoff"].to_numpy(), np.repeat(np.array(CUTOFFS) - 1, HORIZON))
    np.testing.assert_array_equal(forecasts["y"].to_numpy(), Y[positions])


def test_backtest_frame_of_a_dated_series_has_dates(backtested):
    series = pd.Series(Y, index=DATES, name="sales")
    result = backtest([], series, horizon=HORIZON, n_windows=2, season=SEASON, baselines=NAIVE)
    forecasts = result.forecasts
    assert list(forecasts.columns) == FRAME_COLUMNS + NAIVE_ALIASES
    np.testing.assert_array_equal(forecasts["ds"].to_numpy(), DATES[backtested.forecasts["ds"].to_numpy()].to_numpy())
    np.testing.assert_array_equal(
        forecasts["cutoff"].to_numpy(), DATES[np.repeat(np.array(CUTOFFS) - 1, HORIZON)].to_numpy()
    )
    assert forecasts["unique_id"].tolist() == ["sales"] * len(forecasts)
    for alias in NAIVE_ALIASES:
        np.testing.assert_array_equal(forecasts[alias].to_numpy(), backtested.forecasts[alias].to_numpy())


def test_backtest_on_a_dated_series_fits_dated_models():
    series = pd.Series(Y, index=DATES, name="sales")
    result = backtest([], series, horizon=HORIZON, n_windows=2, season=SEASON, baselines=NAIVE)
    for alias in NAIVE_ALIASES:
        for cutoff, fitted in zip(CUTOFFS, result.fitted_models[alias]):
            assert fitted.index_ is not None and fitted.index_.equals(DATES[:cutoff]), alias


def test_backtest_forecasts_are_each_folds_forecasts(backtested):
    members = np.concatenate([f.predict(HORIZON, members=True) for f in backtested.fitted_models["lstm"]], axis=1)
    assert backtested.members["lstm"].shape == (3, 2 * HORIZON)
    np.testing.assert_allclose(backtested.members["lstm"], members, rtol=1e-12)
    np.testing.assert_allclose(backtested.forecasts["lstm"].to_numpy(), members.mean(axis=0), rtol=1e-12)
    np.testing.assert_array_equal(
        backtested.forecasts["persistence"].to_numpy(), np.repeat(Y[np.array(CUTOFFS) - 1], HORIZON)
    )
    seasonal = np.concatenate([Y[c - SEASON : c - SEASON + HORIZON] for c in CUTOFFS])
    np.testing.assert_array_equal(backtested.forecasts["seasonal_naive"].to_numpy(), seasonal)
    for alias in NAIVE_ALIASES:
        assert backtested.members[alias].shape == (1, 2 * HORIZON)
    # a fold's model equals one fitted directly on the data before its cut-off
    direct = LocalLSTM(**SETTINGS).fit(Y[: CUTOFFS[0]])
    assert np.array_equal(direct.predict(HORIZON), backtested.forecasts["lstm"].to_numpy()[:HORIZON])


def test_backtest_metrics_average_the_cutoffs(backtested):
    assert_metrics_recompute(backtested, Y, SEASON)  # each cut-off's MASE scaled by the data before it
    # RMSE too is each window's, averaged: not the RMSE of the pooled points
    errors = backtested.forecasts["lstm"].to_numpy() - backtested.y_true
    per_window = [np.sqrt(np.mean(errors[k * HORIZON : (k + 1) * HORIZON] ** 2)) for k in range(len(CUTOFFS))]
    assert backtested.metrics["lstm"]["rmse"] == pytest.approx(np.mean(per_window), rel=1e-12)


def test_backtest_folds_never_see_their_future(backtested):
    changed_y = Y.copy()
    changed_y[N - HORIZON - 2 :] += 30.0  # after the first cut-off, before the second
    changed = backtest(FORECASTER, changed_y, horizon=HORIZON, n_windows=2, season=SEASON, baselines=NAIVE)
    for alias in ALIASES:
        np.testing.assert_array_equal(
            changed.forecasts[alias].to_numpy()[:HORIZON], backtested.forecasts[alias].to_numpy()[:HORIZON]
        )
    for alias in ("lstm", "persistence"):  # the second fold was fitted on changed data
        assert not np.allclose(
            changed.forecasts[alias].to_numpy()[HORIZON:], backtested.forecasts[alias].to_numpy()[HORIZON:]
        )


def test_backtest_step_sets_the_distance_between_cutoffs():
    # step < horizon: overlapping windows, each point scored once per window that covers it
    stepped = backtest(FORECASTER, Y, horizon=HORIZON, n_windows=3, step=2, season=SEASON, baselines=[Persistence()])
    cutoffs = [f.y_.size for f in stepped.fitted_models["lstm"]]
    assert cutoffs == [N - HORIZON - 4, N - HORIZON - 2, N - HORIZON]
    assert [f.y_.size for f in stepped.fitted_models["persistence"]] == cutoffs
    positions = np.concatenate([np.arange(c, c + HORIZON) for c in cutoffs])
    np.testing.assert_array_equal(stepped.forecasts["ds"].to_numpy(), positions)
    np.testing.assert_array_equal(stepped.forecasts["cutoff"].to_numpy(), np.repeat(np.array(cutoffs) - 1, HORIZON))
    np.testing.assert_array_equal(stepped.y_true, Y[positions])
    np.testing.assert_array_equal(
        stepped.forecasts["persistence"].to_numpy(), np.repeat(Y[np.array(cutoffs) - 1], HORIZON)
    )
    for k, fitted in enumerate(stepped.fitted_models["lstm"]):
        np.testing.assert_array_equal(fitted.y_, Y[: cutoffs[k]])
        np.testing.assert_allclose(
            stepped.forecasts["lstm"].to_numpy()[k * HORIZON : (k + 1) * HORIZON], fitted.predict(HORIZON), rtol=1e-12
        )
    assert_metrics_recompute(stepped, Y, SEASON)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(horizon=0),
        dict(horizon=-1),
        dict(horizon=4, n_windows=0),
        dict(horizon=20, n_windows=3),
        dict(horizon=8, n_windows=2, step=-4),  # cut-offs 44, 40: windows past the series end
        dict(horizon=4, n_windows=2, step=0),  # the same cut-off twice
        dict(horizon=4.0),
    ],
    ids=lambda kwargs: ",".join(f"{k}={v}" for k, v in kwargs.items()),
)
def test_backtest_rejects_bad_arguments(kwargs):
    with pytest.raises(InvalidInputError):
        backtest(FORECASTER, Y, season=SEASON, baselines=NAIVE, **kwargs)


# -- executors --------------------------------------------------------------------------------------------
class RecordingThreads(ThreadPoolExecutor):
    """A thread pool that records every task submitted to it."""

    def __init__(self, workers):
        super().__init__(workers)
        self.tasks = []

    def submit(self, fn, /, *args, **kwargs):
        self.tasks.append(args)
        return super().submit(fn, *args, **kwargs)


class FirstResultRecorder(ThreadPoolExecutor):
    """A thread pool that records how many tasks had been submitted when a result was first asked
    for (one, if each task's result were awaited before the next is submitted)."""

    def __init__(self):
        super().__init__(1)
        self.submitted = 0
        self.submitted_before_first_result = None

    def submit(self, fn, /, *args, **kwargs):
        self.submitted += 1
        future = _RecordedFuture(self)
        super().submit(fn, *args, **kwargs).add_done_callback(future.copy)
        return future


class _RecordedFuture(Future):
    def __init__(self, executor):
        super().__init__()
        self._executor = executor

    def copy(self, done):
        if done.exception() is None:
            self.set_result(done.result())
        else:
            self.set_exception(done.exception())

    def result(self, timeout=None):
        if self._executor.submitted_before_first_result is None:
            self._executor.submitted_before_first_result = self._executor.submitted
        return super().result(timeout)


def test_walk_forward_in_threads_gives_the_same_results(evaluation):
    with RecordingThreads(2) as pool:
        threaded = walk_forward(
            FORECASTER, Y, test_start=TEST_START, season=SEASON, baselines=NAIVE, in_sample=True, executor=pool
        )
    # one task per model, fitted on the training part (a panel of one series)
    assert [task[0].alias for task in pool.tasks] == ALIASES
    assert all(len(task[1]) == 1 and np.array_equal(task[1].values[0], Y[:TEST_START]) for task in pool.tasks)
    assert_same_results(threaded, evaluation, exact_aliases=NAIVE_ALIASES)
    for alias in ALIASES:
        np.testing.assert_allclose(
            threaded.in_sample[alias].to_numpy(), evaluation.in_sample[alias].to_numpy(), rtol=1e-6, equal_nan=True
        )
    assert list(threaded.train_metrics) == ALIASES
    for alias in ALIASES:
        assert threaded.train_metrics[alias] == pytest.approx(evaluation.train_metrics[alias], rel=1e-6)
    assert not hasattr(FORECASTER, "params_")


def test_backtest_in_threads_gives_the_same_results(backtested):
    with RecordingThreads(2) as pool:
        threaded = backtest(FORECASTER, Y, horizon=HORIZON, n_windows=2, season=SEASON, baselines=NAIVE, executor=pool)
    # one task per model and cut-off
    assert [(task[0].alias, int(task[1].lengths[0])) for task in pool.tasks] == [
        (alias, c) for alias in ALIASES for c in CUTOFFS
    ]
    assert_same_results(threaded, backtested, exact_aliases=NAIVE_ALIASES)


def test_every_task_is_submitted_before_any_result_is_awaited(backtested):
    with FirstResultRecorder() as recorder:
        result = backtest([], Y, horizon=HORIZON, n_windows=2, season=SEASON, baselines=NAIVE, executor=recorder)
    assert recorder.submitted_before_first_result == len(NAIVE_ALIASES) * len(CUTOFFS)
    for alias in NAIVE_ALIASES:
        np.testing.assert_array_equal(result.forecasts[alias].to_numpy(), backtested.forecasts[alias].to_numpy())
    with FirstResultRecorder() as recorder:
        walk_forward([], Y, test_start=TEST_START, season=SEASON, baselines=NAIVE, executor=recorder)
    assert recorder.submitted_before_first_result == len(NAIVE_ALIASES)


@pytest.mark.parametrize("executor", [object(), "threads", True], ids=["object", "string", "true"])
def test_an_executor_must_submit(executor):
    with pytest.raises(InvalidInputError):
        walk_forward([], Y, test_start=TEST_START, season=SEASON, baselines=NAIVE, executor=executor)


@pytest.fixture(scope="module")
def spawned():
    """One worker process started afresh (spawn): everything it gets and returns is pickled."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def test_baselines_in_a_spawned_process_give_the_same_results(evaluation, backtested, spawned):
    walked = walk_forward(
        [], Y, test_start=TEST_START, season=SEASON, baselines=naive(), in_sample=True, executor=spawned
    )
    here = walk_forward([], Y, test_start=TEST_START, season=SEASON, baselines=naive(), in_sample=True)
    assert_same_results(walked, here, exact_aliases=NAIVE_ALIASES)
    pd.testing.assert_frame_equal(walked.in_sample, here.in_sample)
    assert walked.train_metrics == here.train_metrics
    for alias in NAIVE_ALIASES:
        np.testing.assert_array_equal(walked.forecasts[alias].to_numpy(), evaluation.forecasts[alias].to_numpy())
    stepped = backtest([], Y, horizon=HORIZON, n_windows=2, season=SEASON, baselines=naive(), executor=spawned)
    assert_same_results(
        stepped,
        backtest([], Y, horizon=HORIZON, n_windows=2, season=SEASON, baselines=naive()),
        exact_aliases=NAIVE_ALIASES,
    )
    for alias in NAIVE_ALIASES:
        np.testing.assert_array_equal(stepped.forecasts[alias].to_numpy(), backtested.forecasts[alias].to_numpy())


def test_the_lstm_in_a_spawned_process_gives_the_same_results(evaluation, spawned):
    remote = walk_forward(FORECASTER, Y, test_start=TEST_START, season=SEASON, baselines=(), executor=spawned)
    assert remote.aliases == ["lstm"]
    np.testing.assert_allclose(remote.forecasts["lstm"].to_numpy(), evaluation.forecasts["lstm"].to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(remote.members["lstm"], evaluation.members["lstm"], rtol=1e-6)
    assert remote.metrics["lstm"] == pytest.approx(evaluation.metrics["lstm"], rel=1e-6)
    # the fitted model came back whole: it forecasts here as it did there
    (fitted,) = remote.fitted_models["lstm"]
    np.testing.assert_allclose(
        fitted.predict_one_step(Y[TEST_START:], members=True), remote.members["lstm"], rtol=1e-12
    )


# -- table and member scores --------------------------------------------------------------------------------
def test_table_has_one_row_per_model(evaluation):
    table = evaluation.table()
    # no Naive2 among the models: no OWA; no intervals asked for: no coverage
    assert list(table.columns) == ["rmse", "mae", "smape", "mase", "seconds", "failed"]
    assert list(TABLE_METRICS) == list(table.columns[:-2])
    assert table.index.tolist() == ALIASES and table.index.name == "model"
    for alias in ALIASES:
        for metric in TABLE_METRICS:
            assert table.loc[alias, metric] == evaluation.metrics[alias][metric]
        assert table.loc[alias, "seconds"] == evaluation.seconds[alias]
        assert table.loc[alias, "failed"] == 0 and evaluation.failed[alias] == []


def test_member_scores_are_each_members_own_score(evaluation):
    y_true = Y[POSITIONS]
    for metric in ("rmse", "mae", "mape", "smape"):
        scores = evaluation.member_scores("lstm", metric)
        assert scores.shape == (3,)
        expected = [
            reference_metrics(y_true, member, Y[:TEST_START], SEASON)[metric] for member in evaluation.members["lstm"]
        ]
        np.testing.assert_allclose(scores, expected, rtol=1e-12)
        # a baseline has one member: its score is the model's
        (single,) = evaluation.member_scores("persistence", metric)
        assert single == pytest.approx(
            reference_metrics(y_true, Y[POSITIONS - 1], Y[:TEST_START], SEASON)[metric], rel=1e-12
        )
    assert evaluation.member_scores("lstm").tolist() == evaluation.member_scores("lstm", "rmse").tolist()
    # the ensemble's error is never above the members' mean error (RMSE is a norm, so convex)
    assert evaluation.metrics["lstm"]["rmse"] <= evaluation.member_scores("lstm", "rmse").mean() + 1e-12
    for alias, metric in [("lstm", "mase"), ("lstm", "r2"), ("auto_arima", "rmse")]:
        with pytest.raises(InvalidInputError):
            evaluation.member_scores(alias, metric)
