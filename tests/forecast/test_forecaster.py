"""LocalLSTM: estimator habits, no leaks, and forecasts checked against a plain-NumPy rerun.

The independent references below redo everything the forecaster does after training by hand:
the transforms (log, lag-1 difference, min-max or standard scaling, with constants computed here
from the training values), the LSTM and Dense equations in float64 NumPy, the recursion or the
walk-forward loop, the inversion, and the ensemble mean. Only the trained weights are taken from
the forecaster.

The networks are tiny and trained for a few epochs: the tests are about what is computed from
the weights, not how good they are. Every fit in this file uses one of two settings on series of
the same length, so JAX compiles each program once (module-scoped fixtures share the fits).
"""

import inspect

import jax
import numpy as np
import pandas as pd
import pytest

from lstmcast._estimator import clone
from lstmcast.data import Panel, from_long
from lstmcast.errors import InvalidInputError, ModelFileError, NotFittedError, OutputExistsError
from lstmcast.forecast import LocalLSTM
from lstmcast.nn import save_network
from lstmcast.transforms import Difference, Log, MinMaxScale, Pipeline
from tests.reference import ACTIVATIONS, TINY_LSTM, lstm_numpy

N_TRAIN, N_NEW = 40, 8
LOOK_BACK = TINY_LSTM["look_back"]


def make_series(n=N_TRAIN + N_NEW, seed=0):
    """A positive monthly-looking series: level, trend, a yearly cycle and noise; a spike near the
    end of the training part (so that its largest changes are there: transforms fitted on less than
    all of it would be seen) and a level shift after it (so that the whole series has another range
    of changes than the training part)."""
    t = np.arange(n)
    noise = np.random.default_rng(seed).normal(0.0, 2.0, n)
    spike = 15.0 * (t == N_TRAIN - 3)
    return 100.0 + 0.8 * t + 12.0 * np.sin(2 * np.pi * t / 12) + noise + spike + 30.0 * (t >= N_TRAIN + 4)


Y = make_series()
Y_TRAIN, Y_NEW = Y[:N_TRAIN], Y[N_TRAIN:]

SETTINGS = TINY_LSTM
# Stateful: standard scaling only, batch 1 as in the shampoo tutorial, 2 members.
STATEFUL_SETTINGS = dict(
    look_back=LOOK_BACK, units=3, stateful=True, epochs=2, batch_size=1, scale="standard", n_seeds=2, seed=5
)


@pytest.fixture(scope="module")
def fitted():
    return LocalLSTM(**SETTINGS).fit(Y_TRAIN)


@pytest.fixture(scope="module")
def stateful():
    return LocalLSTM(**STATEFUL_SETTINGS).fit(Y_TRAIN)


# -- independent references -----------------------------------------------------------------------
def member(params, k):
    """Weights of ensemble member ``k`` as float64 NumPy arrays."""
    return jax.tree_util.tree_map(lambda a: np.asarray(a, np.float64)[k], params)


def numpy_network(p, activations, window, state=None):
    """One window ``(look_back,)`` through the LSTM layers (the shared NumPy reference,
    ``tests/reference.py``) and the Dense head; returns the output and the per-layer ``(h, c)``
    at the end."""
    seq = np.asarray(window, np.float64)[None, :, None]
    new_state = []
    for index, layer in enumerate(p["lstm"]):
        h0, c0 = (None, None) if state is None else state[index]
        seq, h, c = lstm_numpy(layer, seq, h0, c0)
        new_state.append((h, c))
    out = new_state[-1][0][0]
    for layer, activation in zip(p["dense"], activations):
        out = ACTIVATIONS[activation](out @ layer["kernel"] + layer["bias"])
    assert out.shape == (1,)
    return float(out[0]), new_state


def activations_of(forecaster):
    return [d.activation for d in forecaster.spec_.dense]


class LogDiffMinMax:
    """The stateless settings' transforms by hand, with constants from the training values."""

    def __init__(self, y_train, low=-1.0, high=1.0):
        d = np.diff(np.log(y_train))
        self.d_min, self.d_max, self.low, self.high = d.min(), d.max(), low, high

    def apply(self, y):  # z[i] belongs to y[i + 1]
        d = np.diff(np.log(y))
        return self.low + (d - self.d_min) * (self.high - self.low) / (self.d_max - self.d_min)

    def to_diff(self, z):
        return self.d_min + (np.asarray(z) - self.low) * (self.d_max - self.d_min) / (self.high - self.low)


def reference_recursive(forecaster, horizon):
    """``(members, horizon)``: each member fed its own forecasts, in transformed space."""
    by_hand = LogDiffMinMax(forecaster.y_)
    z = by_hand.apply(forecaster.y_)
    forecasts = []
    for k in range(forecaster.n_seeds):
        p, window, z_future = member(forecaster.params_, k), list(z[-LOOK_BACK:]), []
        for _ in range(horizon):
            value, _ = numpy_network(p, activations_of(forecaster), window)
            z_future.append(value)
            window = window[1:] + [value]
        forecasts.append(np.exp(np.log(forecaster.y_[-1]) + np.cumsum(by_hand.to_diff(z_future))))
    return np.array(forecasts)


def reference_one_step(forecaster, y_new):
    """``(members, len(y_all))``, NaN where no full window precedes: point ``pos`` predicted from
    the true transformed values before it and rebuilt on the true value ``y_all[pos - 1]``."""
    y_all = np.concatenate([forecaster.y_, y_new])
    by_hand = LogDiffMinMax(forecaster.y_)
    z_all = by_hand.apply(y_all)
    out = np.full((forecaster.n_seeds, len(y_all)), np.nan)
    for k in range(forecaster.n_seeds):
        p = member(forecaster.params_, k)
        for pos in range(LOOK_BACK + 1, len(y_all)):
            # z_all[i] belongs to y_all[i + 1]: the window before pos is z_all[pos-1-look_back : pos-1]
            value, _ = numpy_network(p, activations_of(forecaster), z_all[pos - 1 - LOOK_BACK : pos - 1])
            out[k, pos] = np.exp(np.log(y_all[pos - 1]) + by_hand.to_diff(value))
    return out


def reference_stateful(forecaster, y_new, horizon):
    """A batch-1 stateful pass from a zero state over every window of the standardised series in
    order (training windows, then the new points'); the recursion continues the state reached at
    the end of the training data. Returns ``(one_step (members, len(y_all)), recursive (members,
    horizon))``."""
    mean, std = forecaster.y_.mean(), forecaster.y_.std()
    y_all = np.concatenate([forecaster.y_, y_new])
    z_all = (y_all - mean) / std
    n = len(forecaster.y_)
    one_step = np.full((forecaster.n_seeds, len(y_all)), np.nan)
    recursive = np.empty((forecaster.n_seeds, horizon))
    for k in range(forecaster.n_seeds):
        p, state = member(forecaster.params_, k), None
        for start in range(len(y_all) - LOOK_BACK):  # window z[start : start+look_back] -> z[start+look_back]
            if start + LOOK_BACK == n:  # the window that ends with the training data: fork the recursion
                window, rec_state = list(z_all[start:n]), state
                for step in range(horizon):
                    value, rec_state = numpy_network(p, activations_of(forecaster), window, rec_state)
                    recursive[k, step] = mean + std * value
                    window = window[1:] + [value]
            value, state = numpy_network(p, activations_of(forecaster), z_all[start : start + LOOK_BACK], state)
            one_step[k, start + LOOK_BACK] = mean + std * value
    return one_step, recursive


# -- scikit-learn habits ----------------------------------------------------------------------------
PARAM_NAMES = [name for name in inspect.signature(LocalLSTM.__init__).parameters if name != "self"]


def test_init_only_stores_parameters_even_invalid_ones():
    forecaster = LocalLSTM(look_back=-4, scale="bogus", units=7, n_seeds=0)
    assert vars(forecaster) == forecaster.get_params()
    assert forecaster.look_back == -4 and forecaster.scale == "bogus" and forecaster.n_seeds == 0
    with pytest.raises(InvalidInputError):  # validated when used, not when stored
        forecaster.fit(Y_TRAIN)


def test_get_params_returns_every_init_parameter():
    values = dict(SETTINGS, validation_size=2, patience=1, verbose=0)
    params = LocalLSTM(**values).get_params()
    assert sorted(params) == sorted(PARAM_NAMES)
    assert all(params[name] == value for name, value in values.items())
    defaults = LocalLSTM().get_params()
    signature = inspect.signature(LocalLSTM.__init__).parameters
    assert defaults == {name: signature[name].default for name in PARAM_NAMES}


def test_set_params_changes_them_and_rejects_unknown_names():
    forecaster = LocalLSTM(epochs=5)
    assert forecaster.set_params(epochs=7, look_back=2) is forecaster
    assert forecaster.get_params()["epochs"] == 7 and forecaster.look_back == 2
    with pytest.raises(InvalidInputError, match="lookback"):
        forecaster.set_params(epochs=9, lookback=3)
    assert forecaster.epochs == 7 and not hasattr(forecaster, "lookback")  # nothing half-applied


def test_fit_adds_only_underscored_attributes_and_leaves_params_alone(fitted):
    assert fitted.get_params() == LocalLSTM(**SETTINGS).get_params()
    added = set(vars(fitted)) - set(PARAM_NAMES)
    assert {"params_", "spec_", "transforms_", "transform_state_", "y_", "index_", "history_"} <= added
    assert all(name.endswith("_") and not name.startswith("_") for name in added)


def test_clone_is_an_unfitted_copy(fitted):
    copy = clone(fitted)
    assert type(copy) is LocalLSTM and copy is not fitted
    assert copy.get_params() == fitted.get_params()
    assert vars(copy) == copy.get_params()
    with pytest.raises(NotFittedError):
        copy.predict(2)


@pytest.mark.parametrize(
    "call",
    [
        lambda f, tmp: f.predict(3),
        lambda f, tmp: f.predict_one_step(Y_NEW),
        lambda f, tmp: f.predict_one_step([], include_history=True),
        lambda f, tmp: f.save(tmp / "model.npz"),
    ],
)
def test_using_an_unfitted_forecaster_raises_not_fitted(call, tmp_path):
    with pytest.raises(NotFittedError):
        call(LocalLSTM(**SETTINGS), tmp_path)
    assert not (tmp_path / "model.npz").exists()


# -- transforms see the training data only ------------------------------------------------------
def test_transforms_are_fitted_on_the_training_data_only(fitted):
    by_hand = LogDiffMinMax(Y_TRAIN)
    assert fitted.transform_state_[:2] == [{}, {}]
    np.testing.assert_allclose(
        [fitted.transform_state_[2]["min"], fitted.transform_state_[2]["max"]],
        [by_hand.d_min, by_hand.d_max],
        rtol=1e-12,
    )
    pipeline = Pipeline((Log(), Difference(1), MinMaxScale((-1.0, 1.0))))
    assert fitted.transform_state_ == pipeline.fit(Y_TRAIN)
    assert fitted.transform_state_ != pipeline.fit(Y)  # the whole series has another range of changes
    np.testing.assert_array_equal(fitted.y_, Y_TRAIN)


def test_standard_scaling_state_comes_from_the_training_data(stateful):
    assert stateful.transform_state_ == [{"mean": pytest.approx(Y_TRAIN.mean()), "std": pytest.approx(Y_TRAIN.std())}]


# -- recursive forecasts ----------------------------------------------------------------------------
def test_predict_is_recursive_from_the_end_of_the_data(fitted):
    horizon = 6
    expected = reference_recursive(fitted, horizon)
    members = fitted.predict(horizon, members=True)
    assert members.shape == (3, horizon)
    np.testing.assert_allclose(members, expected, rtol=1e-5)
    np.testing.assert_allclose(fitted.predict(horizon), expected.mean(axis=0), rtol=1e-5)
    # a longer horizon starts with the same forecasts
    np.testing.assert_allclose(fitted.predict(2 * horizon)[:horizon], fitted.predict(horizon), rtol=1e-6)


def test_predict_refuses_a_float_horizon_and_says_which_int(fitted):
    with pytest.raises(InvalidInputError, match=r"4\.0 \(a float; pass 4\)"):
        fitted.predict(4.0)


# -- one-step (walk-forward) forecasts --------------------------------------------------------------
def test_predict_one_step_uses_only_true_values_before_each_point(fitted):
    expected = reference_one_step(fitted, Y_NEW)
    members = fitted.predict_one_step(Y_NEW, members=True)
    assert members.shape == (3, N_NEW)
    np.testing.assert_allclose(members, expected[:, N_TRAIN:], rtol=1e-5)
    np.testing.assert_allclose(fitted.predict_one_step(Y_NEW), expected[:, N_TRAIN:].mean(axis=0), rtol=1e-5)
    # the first new point is predicted from the training data alone, as predict(1) does
    np.testing.assert_allclose(fitted.predict_one_step(Y_NEW)[0], fitted.predict(1)[0], rtol=1e-6)


@pytest.mark.parametrize("j", [0, 3, N_NEW - 2])
def test_changing_a_new_value_changes_only_later_predictions(fitted, j):
    base = fitted.predict_one_step(Y_NEW)
    changed_y = Y_NEW.copy()
    changed_y[j] *= 1.3
    changed = fitted.predict_one_step(changed_y)
    np.testing.assert_array_equal(changed[: j + 1], base[: j + 1])
    assert abs(changed[j + 1] - base[j + 1]) > 1e-3 * abs(base[j + 1])


def test_include_history_covers_training_and_new_points(fitted):
    expected = reference_one_step(fitted, Y_NEW)
    path = fitted.predict_one_step(Y_NEW, include_history=True, members=True)
    assert path.shape == (3, N_TRAIN + N_NEW)
    first = LOOK_BACK + 1  # the lag-1 difference uses up one value, the window look_back more
    assert np.isnan(path[:, :first]).all() and np.isfinite(path[:, first:]).all()
    np.testing.assert_allclose(path[:, first:], expected[:, first:], rtol=1e-5)
    mean_path = fitted.predict_one_step(Y_NEW, include_history=True)
    np.testing.assert_allclose(mean_path[first:], expected[:, first:].mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(mean_path[N_TRAIN:], fitted.predict_one_step(Y_NEW), rtol=1e-12)
    # the in-sample part alone
    in_sample = fitted.predict_one_step([], include_history=True)
    assert in_sample.shape == (N_TRAIN,)
    np.testing.assert_allclose(in_sample[first:], expected[:, first:N_TRAIN].mean(axis=0), rtol=1e-5)


# -- stateful networks --------------------------------------------------------------------------------
def test_stateful_one_step_threads_the_state_through_all_windows(stateful):
    one_step, _ = reference_stateful(stateful, Y_NEW, 1)
    members = stateful.predict_one_step(Y_NEW, members=True)
    np.testing.assert_allclose(members, one_step[:, N_TRAIN:], rtol=1e-5)
    path = stateful.predict_one_step(Y_NEW, include_history=True)
    assert np.isnan(path[:LOOK_BACK]).all()
    np.testing.assert_allclose(path[LOOK_BACK:], one_step[:, LOOK_BACK:].mean(axis=0), rtol=1e-5)
    # the state matters: a stateless pass over the same windows gives other predictions
    z_all = (Y - Y_TRAIN.mean()) / Y_TRAIN.std()
    stateless = np.array(
        [
            [
                numpy_network(member(stateful.params_, k), ["linear"], z_all[pos - LOOK_BACK : pos])[0]
                for pos in range(N_TRAIN, len(Y))
            ]
            for k in range(stateful.n_seeds)
        ]
    )
    assert not np.allclose(Y_TRAIN.mean() + Y_TRAIN.std() * stateless, members, rtol=1e-4)


def test_stateful_predict_continues_the_state_of_the_training_pass(stateful):
    horizon = 5
    one_step, recursive = reference_stateful(stateful, Y_NEW, horizon)
    before = stateful.predict(horizon)
    stateful.predict_one_step(Y_NEW)  # forecasting keeps no state between calls
    assert np.array_equal(stateful.predict(horizon), before)
    np.testing.assert_allclose(stateful.predict(horizon, members=True), recursive, rtol=1e-5)
    np.testing.assert_allclose(stateful.predict(horizon), recursive.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(stateful.predict(1), stateful.predict_one_step(Y_NEW)[:1], rtol=1e-6)


# -- ensembles ------------------------------------------------------------------------------------------
def test_ensemble_members_use_consecutive_seeds_and_forecasts_are_their_mean(fitted):
    members = fitted.predict(5, members=True)
    assert members.shape == (3, 5)
    np.testing.assert_allclose(fitted.predict(5), members.mean(axis=0), rtol=1e-12)
    assert not np.allclose(members[0], members[1]) and not np.allclose(members[1], members[2])
    # members 1, 2 of the ensemble seeded 0 are members 0, 1 of the ensemble seeded 1
    shifted = LocalLSTM(**{**SETTINGS, "seed": 1}).fit(Y_TRAIN)
    np.testing.assert_allclose(shifted.predict(5, members=True)[:2], members[1:], rtol=1e-6)
    assert not np.allclose(shifted.predict(5, members=True)[2], members[0])
    for a, b in zip(jax.tree_util.tree_leaves(shifted.params_), jax.tree_util.tree_leaves(fitted.params_)):
        np.testing.assert_allclose(a[:2], b[1:], rtol=1e-6, atol=1e-7)


def test_same_seed_gives_bit_identical_forecasts(fitted):
    again = LocalLSTM(**SETTINGS).fit(Y_TRAIN)
    assert np.array_equal(again.predict(6, members=True), fitted.predict(6, members=True))
    assert np.array_equal(again.predict_one_step(Y_NEW, members=True), fitted.predict_one_step(Y_NEW, members=True))


def test_a_series_is_forecast_like_its_values(fitted):
    series = pd.Series(Y_TRAIN, index=pd.date_range("2001-01-01", periods=N_TRAIN, freq="MS"), name="sales")
    from_series = LocalLSTM(**SETTINGS).fit(series)
    frame = from_series.predict(6)
    assert list(frame.columns) == ["ds", "lstm"]
    assert np.array_equal(frame["lstm"].to_numpy(), fitted.predict(6))
    assert list(frame["ds"]) == list(pd.date_range("2004-05-01", periods=6, freq="MS"))
    assert from_series.index_.equals(series.index) and from_series.index_.freqstr == "MS"
    spread = from_series.predict(6, spread=True, members=True)
    members = fitted.predict(6, members=True)
    np.testing.assert_array_equal(spread["lstm-min"], members.min(axis=0))
    np.testing.assert_array_equal(spread["lstm-max"], members.max(axis=0))
    np.testing.assert_array_equal(spread[[f"lstm-member-{k}" for k in range(3)]].to_numpy().T, members)
    renamed = LocalLSTM(**SETTINGS, alias="net").fit(series).predict(2)
    assert list(renamed.columns) == ["ds", "net"]


# -- save and load --------------------------------------------------------------------------------------
def test_save_and_load_forecast_identically(fitted, tmp_path):
    path = fitted.save(tmp_path / "forecaster.npz")
    loaded = LocalLSTM.load(path)
    assert np.array_equal(loaded.predict(7, members=True), fitted.predict(7, members=True))
    assert np.array_equal(loaded.predict_one_step(Y_NEW), fitted.predict_one_step(Y_NEW))
    assert np.array_equal(
        loaded.predict_one_step(Y_NEW, include_history=True, members=True),
        fitted.predict_one_step(Y_NEW, include_history=True, members=True),
        equal_nan=True,
    )
    np.testing.assert_array_equal(loaded.y_, fitted.y_)
    assert loaded.transform_state_ == fitted.transform_state_ and loaded.spec_ == fitted.spec_
    assert loaded.pipeline_.to_config() == fitted.pipeline_.to_config()


def test_loaded_forecaster_has_the_same_params(fitted, tmp_path):
    loaded = LocalLSTM.load(fitted.save(tmp_path / "forecaster.npz"))
    assert loaded.get_params() == fitted.get_params()


def test_stateful_save_and_load_forecast_identically(stateful, tmp_path):
    loaded = LocalLSTM.load(stateful.save(tmp_path / "stateful.npz"))
    assert loaded.stateful is True
    assert np.array_equal(loaded.predict(4, members=True), stateful.predict(4, members=True))
    assert np.array_equal(loaded.predict_one_step(Y_NEW), stateful.predict_one_step(Y_NEW))


def test_save_and_load_restore_a_monthly_index(tmp_path):
    index = pd.date_range("1990-01-01", periods=N_TRAIN, freq="MS")
    forecaster = LocalLSTM(**SETTINGS).fit(pd.Series(Y_TRAIN, index=index))
    loaded = LocalLSTM.load(forecaster.save(tmp_path / "monthly.npz"))
    assert isinstance(loaded.index_, pd.DatetimeIndex)
    assert loaded.index_.equals(index) and loaded.index_.freqstr == "MS"
    assert loaded.predict(3).equals(forecaster.predict(3))


def test_save_and_load_restore_a_time_zone_index(tmp_path):
    index = pd.date_range("2000-03-10", periods=N_TRAIN, freq="D", tz="Europe/Paris")  # crosses the DST change
    forecaster = LocalLSTM(**SETTINGS).fit(pd.Series(Y_TRAIN, index=index))
    loaded = LocalLSTM.load(forecaster.save(tmp_path / "daily.npz"))
    assert loaded.index_.equals(index) and str(loaded.index_.tz) == "Europe/Paris"


def test_save_accepts_numpy_integer_parameters(fitted, tmp_path):
    numpy_params = LocalLSTM(**{**SETTINGS, "look_back": np.int64(LOOK_BACK), "seed": np.int64(0)}).fit(Y_TRAIN)
    assert np.array_equal(numpy_params.predict(4), fitted.predict(4))
    loaded = LocalLSTM.load(numpy_params.save(tmp_path / "numpy.npz"))
    assert np.array_equal(loaded.predict(4), fitted.predict(4))


def test_save_refuses_to_overwrite_and_leaves_the_file_intact(fitted, tmp_path):
    path = tmp_path / "taken.npz"
    path.write_bytes(b"someone else's file")
    with pytest.raises(OutputExistsError):
        fitted.save(path)
    assert path.read_bytes() == b"someone else's file"
    saved = fitted.save(tmp_path / "model.npz")
    before = saved.read_bytes()
    with pytest.raises(OutputExistsError):
        fitted.save(saved)
    assert saved.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz", "taken.npz"]  # no temporary left
    fitted.save(saved, overwrite=True)
    assert np.array_equal(LocalLSTM.load(saved).predict(3), fitted.predict(3))


def test_loading_a_plain_network_file_is_refused(fitted, tmp_path):
    path = save_network(tmp_path / "network.npz", fitted.spec_, fitted.params_)
    with pytest.raises(ModelFileError):
        LocalLSTM.load(path)
    with pytest.raises(ModelFileError):
        LocalLSTM.load(tmp_path / "missing.npz")


# -- bad input: named errors, never NaN -----------------------------------------------------------------
def with_nan(values):
    values = values.copy()
    values[7] = np.nan
    return values


@pytest.mark.parametrize(
    "settings, y",
    [
        pytest.param({}, with_nan(Y_TRAIN), id="nan"),
        pytest.param({}, pd.Series(with_nan(Y_TRAIN)), id="nan-series"),
        pytest.param({}, np.r_[Y_TRAIN[:-1], np.inf], id="inf"),
        pytest.param({}, np.full(N_TRAIN, 5.0), id="constant"),
        pytest.param(
            {}, Y_TRAIN[: LOOK_BACK + 1], id="too-short-for-look-back"
        ),  # differencing leaves look_back values
        pytest.param({"look_back": 50}, Y_TRAIN, id="look-back-longer-than-series"),
        pytest.param({}, [], id="empty"),
        pytest.param({}, pd.DataFrame({"a": Y_TRAIN}), id="dataframe"),
        pytest.param({}, pd.DataFrame({"a": Y_TRAIN, "b": Y_TRAIN}), id="dataframe-2-columns"),
        pytest.param({}, ["ten", "eleven"] * 20, id="strings"),
        pytest.param({}, pd.Series(["ten", "eleven"] * 20), id="string-series"),
        pytest.param({"scale": "robust"}, Y_TRAIN, id="unknown-scale"),
        pytest.param({"validation_size": N_TRAIN - 1 - LOOK_BACK}, Y_TRAIN, id="validation-takes-all-windows"),
        pytest.param({"validation_size": 1000}, Y_TRAIN, id="validation-larger-than-data"),
        pytest.param({"validation_size": 0.9999}, Y_TRAIN, id="validation-fraction-takes-all"),
        pytest.param({"validation_size": -2}, Y_TRAIN, id="negative-validation"),
        pytest.param({}, Y_TRAIN - 200.0, id="log-of-negative-values"),
        pytest.param({"n_seeds": 0}, Y_TRAIN, id="no-seeds"),
        pytest.param({"look_back": 0}, Y_TRAIN, id="look-back-0"),
        pytest.param(
            {},
            np.column_stack([Y_TRAIN[:20], Y_TRAIN[20:]]),  # 40 values raveled: no new compile when it "works"
            id="two-column-array",
        ),
    ],
)
def test_bad_training_input_raises_a_named_error(settings, y):
    with pytest.raises(InvalidInputError):
        LocalLSTM(**{**SETTINGS, **settings}).fit(y)


@pytest.mark.parametrize(
    "horizon",
    [
        0,
        -1,
        2.5,
        "3",
        pytest.param(float("nan")),
        pytest.param(None),
    ],
)
def test_bad_horizon_raises_a_named_error(fitted, horizon):
    with pytest.raises(InvalidInputError):
        fitted.predict(horizon)


@pytest.mark.parametrize(
    "y_new",
    [
        pytest.param([], id="empty"),
        pytest.param([120.0, np.nan, 130.0], id="nan"),
        pytest.param(["a", "b"], id="strings"),
        pytest.param([120.0, -5.0], id="log-of-negative"),
        pytest.param(
            np.column_stack([Y_NEW, Y_NEW]),
            id="two-column-array",
        ),
    ],
)
def test_bad_new_values_raise_a_named_error(fitted, y_new):
    with pytest.raises(InvalidInputError):
        fitted.predict_one_step(y_new)


@pytest.mark.parametrize(
    "settings, message",
    [
        pytest.param({"horizon": 4}, "leave horizon out", id="horizon-recursive"),
        pytest.param({"scale": "standard", "feature_range": (-1.0, 1.0)}, "feature_range", id="range-standard"),
        pytest.param({"scale": None, "scale_range": (0.0, 300.0)}, "scale_range", id="scale-range-unscaled"),
        pytest.param({"min_delta": 0.1}, "patience", id="min-delta-no-patience"),
        pytest.param({"restore_best_weights": False}, "patience", id="restore-no-patience"),
    ],
)
def test_parameters_that_would_be_ignored_are_refused(settings, message):
    """A parameter the settings would silently ignore is an error that names it."""
    with pytest.raises(InvalidInputError, match=message):
        LocalLSTM(look_back=LOOK_BACK, units=2, epochs=1, **settings).fit(Y_TRAIN)


def test_a_panel_is_refused_and_points_to_the_global_model():
    frame = pd.DataFrame(
        {"unique_id": "a", "ds": pd.date_range("2001-01-01", periods=N_TRAIN, freq="MS"), "y": Y_TRAIN}
    )
    for panel in (frame, from_long(frame), Panel.of_series(Y_TRAIN)):
        with pytest.raises(InvalidInputError, match="GlobalLSTM"):
            LocalLSTM(**SETTINGS).fit(panel)
