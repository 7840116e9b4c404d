"""The forecaster contract, checked once for every forecaster (as Nixtla's ``check_model`` does).

Each test runs over every local model lstmcast ships (the baselines and ``LocalLSTM``; the
estimator habits also over ``GlobalLSTM``), on the same small positive series with a period-4
cycle: arrays in give arrays out, a Series gives frames with ``ds`` and the alias column,
one-step forecasts use nothing but the training data and the true values before each point, and
the estimator habits (parameters, nested keys, clone) hold. The expected dates, shapes and column
names are derived here from the series' own index, not typed in. Every fit of one model and one
input kind is shared through a module-scoped cache; the LSTM is tiny, so the file runs in seconds.
"""

import numpy as np
import pandas as pd
import pytest

from lstmcast._estimator import Estimator
from lstmcast.data import Panel
from lstmcast.errors import EstimatorError, InvalidInputError, NotFittedError
from lstmcast.forecast import (
    AutoARIMA,
    AutoCES,
    AutoETS,
    AutoTheta,
    Forecaster,
    GlobalForecaster,
    GlobalLSTM,
    LocalForecaster,
    LocalLSTM,
    Naive2,
    PanelForecasts,
    Persistence,
    SeasonalNaive,
    StatisticalForecaster,
    clone,
)

N_TRAIN, N_NEW, SEASON, H = 40, 8, 4, 5

_t = np.arange(N_TRAIN + N_NEW)
Y = 10.0 + 0.2 * _t + 3.0 * np.sin(2 * np.pi * _t / SEASON) + np.random.default_rng(0).normal(0.0, 0.5, _t.size)
assert (Y > 0).all()
MONTHS = pd.date_range("2000-01-01", periods=Y.size, freq="MS")
STEPS = pd.RangeIndex(10, 10 + Y.size)  # an integer time axis that does not start at 0
SERIES = {"monthly": pd.Series(Y, index=MONTHS, name="y"), "range": pd.Series(Y, index=STEPS, name="y")}
Y_TRAIN, Y_NEW = Y[:N_TRAIN], Y[N_TRAIN:]

FACTORIES = {
    "persistence": lambda: Persistence(),
    "seasonal_naive": lambda: SeasonalNaive(season=SEASON),
    "naive2": lambda: Naive2(season=SEASON),
    "auto_ets": lambda: AutoETS(season=1),
    "auto_arima": lambda: AutoARIMA(season=1),
    "auto_theta": lambda: AutoTheta(season=1),
    "auto_ces": lambda: AutoCES(season=1),
    "lstm": lambda: LocalLSTM(look_back=3, units=3, epochs=2, batch_size=4, n_seeds=2),
}
ALL = list(FACTORIES)
# the estimator habits hold for the global model too (nothing is fitted in those tests)
ESTIMATORS = {**FACTORIES, "global_lstm": lambda: GlobalLSTM(horizon=H, units=3, epochs=2, n_seeds=2)}
ONE_STEP = [name for name in ALL if name != "auto_theta"]  # AutoTheta is multi-step only


def training(kind):
    """The training part as an array, or as a Series with a monthly or an integer index."""
    return Y_TRAIN.copy() if kind == "array" else SERIES[kind][:N_TRAIN]


def new_values(kind):
    return Y_NEW.copy() if kind == "array" else SERIES[kind][N_TRAIN:]


@pytest.fixture(scope="module")
def fitted():
    """``fitted(name, kind)``: the model fitted on the training part given as ``kind`` (shared:
    tests must not change it)."""
    cache = {}

    def get(name, kind="array"):
        if (name, kind) not in cache:
            cache[name, kind] = FACTORIES[name]().fit(training(kind))
        return cache[name, kind]

    return get


def n_members(name):
    """Members of a model's ensemble, from its parameters: the LSTM's seeds, else one model."""
    return FACTORIES[name]().get_params().get("n_seeds", 1)


def columns(alias, n_members, *, spread=False, members=False):
    names = ["ds", alias]
    if spread:
        names += [f"{alias}-min", f"{alias}-max"]
    if members:
        names += [f"{alias}-member-{k}" for k in range(n_members)]
    return names


# --------------------------------------------------------------------------- arrays


@pytest.mark.parametrize("name", ALL)
def test_array_in_arrays_out(fitted, name):
    model = fitted(name)
    assert isinstance(model, LocalForecaster) and isinstance(model, Forecaster)
    forecast = model.predict(H)
    assert isinstance(forecast, np.ndarray) and forecast.shape == (H,) and forecast.dtype == np.float64
    assert np.isfinite(forecast).all()
    members = model.predict(H, members=True)
    assert members.shape == (n_members(name), H) and np.isfinite(members).all()
    np.testing.assert_allclose(members.mean(axis=0), forecast, rtol=1e-12)
    assert model.predict(np.int64(H)).shape == (H,)  # a NumPy integer is a whole number
    with pytest.raises(InvalidInputError, match="spread="):
        model.predict(H, spread=True)


@pytest.mark.parametrize("name", ALL)
def test_members_are_the_seeds_or_one_model(fitted, name):
    """A baseline is one model; the LSTM ensemble has one member per seed."""
    expected = 2 if name == "lstm" else 1  # the factory's n_seeds
    assert fitted(name).predict(H, members=True).shape == (expected, H)
    if name in ONE_STEP:
        assert fitted(name).predict_one_step(Y_NEW, members=True).shape == (expected, N_NEW)


# --------------------------------------------------------------------------- frames


@pytest.mark.parametrize("name", ALL)
def test_monthly_series_gives_frames(fitted, name):
    model = fitted(name, "monthly")
    expected_ds = MONTHS[N_TRAIN : N_TRAIN + H]  # the next H month starts
    frame = model.predict(H)
    assert isinstance(frame, pd.DataFrame)
    assert frame.columns.tolist() == columns(model.alias, n_members(name))
    assert pd.DatetimeIndex(frame["ds"]).equals(expected_ds)
    # the same forecasts as from the array
    np.testing.assert_allclose(frame[model.alias], fitted(name).predict(H), rtol=1e-12)

    spread = model.predict(H, spread=True)
    assert spread.columns.tolist() == columns(model.alias, n_members(name), spread=True)
    members = model.predict(H, members=True)
    assert members.columns.tolist() == columns(model.alias, n_members(name), members=True)
    member_values = members[[f"{model.alias}-member-{k}" for k in range(n_members(name))]].to_numpy().T
    np.testing.assert_allclose(member_values, fitted(name).predict(H, members=True), rtol=1e-12)
    np.testing.assert_allclose(spread[f"{model.alias}-min"], member_values.min(axis=0), rtol=1e-12)
    np.testing.assert_allclose(spread[f"{model.alias}-max"], member_values.max(axis=0), rtol=1e-12)
    assert (spread[f"{model.alias}-min"] <= spread[model.alias] + 1e-12).all()
    assert (spread[model.alias] <= spread[f"{model.alias}-max"] + 1e-12).all()
    both = model.predict(H, spread=True, members=True)
    assert both.columns.tolist() == columns(model.alias, n_members(name), spread=True, members=True)


@pytest.mark.parametrize("name", ALL)
def test_integer_index_continues(fitted, name):
    model = fitted(name, "range")
    frame = model.predict(H)
    assert frame.columns.tolist() == ["ds", model.alias]
    assert frame["ds"].tolist() == list(STEPS[N_TRAIN : N_TRAIN + H])
    np.testing.assert_allclose(frame[model.alias], fitted(name).predict(H), rtol=1e-12)


# --------------------------------------------------------------------------- one step


@pytest.mark.parametrize("name", ONE_STEP)
def test_one_step_arrays(fitted, name):
    model = fitted(name)
    pred = model.predict_one_step(Y_NEW)
    assert isinstance(pred, np.ndarray) and pred.shape == (N_NEW,) and pred.dtype == np.float64
    assert np.isfinite(pred).all()
    # the first new point is predicted from the training data alone: the multi-step forecast's first value
    np.testing.assert_allclose(pred[0], model.predict(1)[0], rtol=1e-9)
    members = model.predict_one_step(Y_NEW, members=True)
    assert members.shape == (n_members(name), N_NEW)
    np.testing.assert_allclose(members.mean(axis=0), pred, rtol=1e-12)
    np.testing.assert_allclose(members[:, 0], model.predict(1, members=True)[:, 0], rtol=1e-9)
    history = model.predict_one_step(Y_NEW, include_history=True)
    assert history.shape == (N_TRAIN + N_NEW,)
    np.testing.assert_allclose(history[N_TRAIN:], pred, rtol=1e-12)
    assert model.predict_one_step(Y_NEW, members=True, include_history=True).shape == (n_members(name), N_TRAIN + N_NEW)
    # a forecaster fitted on an array gives arrays, even for a Series of new values
    assert isinstance(model.predict_one_step(SERIES["monthly"][N_TRAIN:]), np.ndarray)


@pytest.mark.parametrize("name", ONE_STEP)
@pytest.mark.parametrize("j", [0, 3])
def test_one_step_never_sees_the_point_it_predicts(fitted, name, j):
    """The prediction for new point j is unchanged when y_new[j:] changes, and when y_new ends at j."""
    model = fitted(name)
    pred = model.predict_one_step(Y_NEW)
    altered = Y_NEW.copy()
    altered[j:] = 1.5 * altered[j:] + 7.0
    np.testing.assert_array_equal(model.predict_one_step(altered)[: j + 1], pred[: j + 1])
    np.testing.assert_allclose(model.predict_one_step(Y_NEW[: j + 1]), pred[: j + 1], rtol=1e-9)


@pytest.mark.parametrize("kind", ["monthly", "range"])
@pytest.mark.parametrize("name", ONE_STEP)
def test_one_step_series_gives_frames(fitted, name, kind):
    model = fitted(name, kind)
    index = SERIES[kind].index
    frame = model.predict_one_step(new_values(kind))
    assert frame.columns.tolist() == ["ds", model.alias]
    assert pd.Index(frame["ds"]).equals(index[N_TRAIN:])
    np.testing.assert_allclose(frame[model.alias], fitted(name).predict_one_step(Y_NEW), rtol=1e-12)
    history = model.predict_one_step(new_values(kind), include_history=True)
    assert len(history) == N_TRAIN + N_NEW and pd.Index(history["ds"]).equals(index)
    np.testing.assert_allclose(
        history[model.alias], fitted(name).predict_one_step(Y_NEW, include_history=True), rtol=1e-12, equal_nan=True
    )
    members = model.predict_one_step(new_values(kind), members=True)
    assert members.columns.tolist() == columns(model.alias, n_members(name), members=True)
    # an array of new values gives an array
    assert isinstance(model.predict_one_step(Y_NEW), np.ndarray)


@pytest.mark.parametrize("kind", ["array", "monthly"])
def test_auto_theta_one_step_is_refused(fitted, kind):
    model = fitted("auto_theta", kind)
    with pytest.raises(InvalidInputError, match="leak"):
        model.predict_one_step(new_values(kind))
    with pytest.raises(InvalidInputError, match="leak"):
        model.predict_one_step(new_values(kind), include_history=True)


# --------------------------------------------------------------------------- alias


@pytest.mark.parametrize("name", ALL)
def test_alias_names_the_columns(fitted, name):
    model = type(fitted(name))(**{**FACTORIES[name]().get_params(), "alias": "mine"})
    assert model.alias == "mine"
    model.fit(training("monthly"))
    assert model.predict(H, spread=True).columns.tolist() == columns("mine", n_members(name), spread=True)
    if name in ONE_STEP:
        assert model.predict_one_step(new_values("monthly")).columns.tolist() == ["ds", "mine"]
    model.set_params(alias="other")  # read when the frame is made
    assert model.predict(H, members=True).columns.tolist() == columns("other", n_members(name), members=True)
    for bad in ("", "  ", "ds", "y", "unique_id", "cutoff", 3, None):
        with pytest.raises(InvalidInputError, match="alias"):
            FACTORIES[name]().set_params(alias=bad).fit(training("monthly"))


# --------------------------------------------------------------------------- estimator habits


class Holder(Estimator):
    """A test-only estimator holding a forecaster as a parameter, and a list."""

    def __init__(self, *, model=None, lags=(1, 2)):
        self.model = model
        self.lags = lags


def altering(cls):
    """A test-only subclass of ``cls`` whose ``__init__`` alters the alias it is given."""

    class Altered(cls):
        def __init__(self, *, alias="altered"):
            super().__init__(alias=alias.upper())

    return Altered


@pytest.mark.parametrize("name", ESTIMATORS)
def test_get_params_set_params_round_trip(name):
    model = ESTIMATORS[name]()
    params = model.get_params()
    assert "alias" in params and all("__" not in key for key in params)
    assert type(model)(**params).get_params() == params
    other = ESTIMATORS[name]().set_params(alias="changed")
    assert other.get_params() == {**params, "alias": "changed"}
    assert other.set_params(**params) is other and other.get_params() == params
    with pytest.raises(InvalidInputError, match="unknown parameter 'no_such'"):
        model.set_params(no_such=1)
    with pytest.raises(InvalidInputError, match="not an estimator"):
        model.set_params(alias__x=1)


@pytest.mark.parametrize("name", ESTIMATORS)
def test_nested_params(name):
    inner = ESTIMATORS[name]()
    holder = Holder(model=inner, lags=[1, 2])
    deep = holder.get_params()
    assert deep["model"] is inner and deep["lags"] == [1, 2]
    assert {
        key[len("model__") :]: value for key, value in deep.items() if key.startswith("model__")
    } == inner.get_params()
    assert set(holder.get_params(deep=False)) == {"model", "lags"}
    holder.set_params(model__alias="nested", lags=[3])
    assert inner.alias == "nested" and holder.lags == [3]
    # a new model and its parameter in one call: the parameter goes to the new model
    replacement = ESTIMATORS[name]()
    holder.set_params(model=replacement, model__alias="again")
    assert holder.model is replacement and replacement.alias == "again" and inner.alias == "nested"
    with pytest.raises(InvalidInputError, match="not an estimator"):
        holder.set_params(lags__x=1)
    with pytest.raises(InvalidInputError, match="unknown parameter"):
        holder.set_params(model__no_such=1)
    copied = clone(holder)
    assert copied.model is not holder.model and copied.get_params(deep=False)["lags"] == holder.lags
    assert {k: v for k, v in copied.get_params().items() if k != "model"} == {
        k: v for k, v in holder.get_params().items() if k != "model"
    }


@pytest.mark.parametrize("name", ALL)
def test_clone(fitted, name):
    model = fitted(name)
    copied = clone(model)
    assert type(copied) is type(model) and copied is not model
    assert copied.get_params() == model.get_params()
    with pytest.raises(NotFittedError):  # a clone is unfitted
        copied.predict(1)
    np.testing.assert_array_equal(model.predict(H), fitted(name).predict(H))  # the original still is


@pytest.mark.parametrize("name", ESTIMATORS)
def test_clone_deep_copies_a_list_parameter(name):
    holder = Holder(model=ESTIMATORS[name](), lags=[1, 2])
    copied = clone(holder)
    copied.lags.append(3)
    assert holder.lags == [1, 2]


def test_clone_deep_copies_the_lstm_lists():
    model = LocalLSTM(units=[3, 2], dense=[2], difference=[1, 4])
    copied = clone(model)
    for key in ("units", "dense", "difference"):
        getattr(copied, key).append(9)
        assert len(getattr(model, key)) == len(getattr(copied, key)) - 1, key


@pytest.mark.parametrize("name", ESTIMATORS)
def test_clone_refuses_an_init_that_alters_a_parameter(name):
    altered = altering(type(ESTIMATORS[name]()))(alias="mine")
    assert altered.alias == "MINE"
    with pytest.raises(EstimatorError, match="changed its parameter 'alias'"):
        clone(altered)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("name", ALL)
def test_not_fitted(name):
    model = FACTORIES[name]()
    with pytest.raises(NotFittedError, match="not fitted yet"):
        model.predict(H)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        model.predict_one_step(Y_NEW)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        model.predict_one_step(Y_NEW, include_history=True)


@pytest.mark.parametrize("horizon", [0, -1, 2.5, 4.0, True, "3"])
@pytest.mark.parametrize("name", ALL)
def test_bad_horizon(fitted, name, horizon):
    for kind in ("array", "monthly"):
        with pytest.raises(InvalidInputError, match="horizon must be a whole number >= 1"):
            fitted(name, kind).predict(horizon)


# --------------------------------------------------------------------------- a panel, as the evaluations see it


def test_a_local_model_forecasts_a_panel_one_fitted_copy_per_series():
    panel = Panel(
        ("a", "b", "short"),
        (Y_TRAIN, 2.0 * Y_TRAIN, Y_TRAIN[:3]),
        (pd.RangeIndex(N_TRAIN), pd.RangeIndex(N_TRAIN), pd.RangeIndex(3)),
    )
    model = SeasonalNaive(season=SEASON)
    out = model.forecast_panel(panel, H, keep=True)
    assert isinstance(out, PanelForecasts) and not hasattr(model, "y_")  # copies are fitted
    for k in (0, 1):
        alone = SeasonalNaive(season=SEASON).fit(panel.values[k])
        np.testing.assert_array_equal(out.point[k], alone.predict(H))
        np.testing.assert_array_equal(out.members[k], alone.predict(H, members=True))
        np.testing.assert_array_equal(out.fitted[k].y_, panel.values[k])
    # a series the model cannot fit (shorter than its season) is NaN and listed, not an error
    assert out.failed == ["short"] and np.isnan(out.point[2]).all() and len(out.fitted) == 2
    with pytest.raises(InvalidInputError, match="season=4"):  # ...unless every series fails
        model.forecast_panel(panel.select(["short"]), H)
    # one step over new values, with the in-sample forecasts
    two = panel.select(["a", "b"])
    walked = model.forecast_panel(two, H, new=[Y_NEW, 2.0 * Y_NEW], in_sample=True)
    for k, new in enumerate((Y_NEW, 2.0 * Y_NEW)):
        alone = SeasonalNaive(season=SEASON).fit(two.values[k])
        np.testing.assert_array_equal(walked.point[k], alone.predict_one_step(new))
        np.testing.assert_array_equal(
            walked.history_point[k], alone.predict_one_step(new, include_history=True)[:N_TRAIN]
        )


def test_the_statistical_baselines_share_one_base():
    for cls in (AutoETS, AutoARIMA, AutoTheta):
        assert issubclass(cls, StatisticalForecaster) and issubclass(cls, LocalForecaster)
    for cls in (Persistence, SeasonalNaive, Naive2):
        assert not issubclass(cls, StatisticalForecaster) and issubclass(cls, LocalForecaster)
    assert issubclass(GlobalLSTM, GlobalForecaster) and not issubclass(GlobalLSTM, LocalForecaster)
