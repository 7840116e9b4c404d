"""Model files of every network estimator: a saved model loads back and predicts exactly as before
(``LocalLSTM`` with and without a time index and intervals, ``GlobalLSTM``, ``LSTMClassifier``);
a file of one kind is refused by another class; and a file written by lstmcast 0.1 (estimator
format 1, before the forecasters were split; ``tests/fixtures/model_format1.npz``, written by that
version's ``LSTMForecaster.save``) is refused with an error naming the version that wrote it.
"""

import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lstmcast.classify import LSTMClassifier
from lstmcast.errors import ModelFileError
from lstmcast.forecast import GlobalLSTM, LocalLSTM
from lstmcast.train import NetworkEstimator

FIXTURE = Path(__file__).parent.parent / "fixtures" / "model_format1.npz"
ESTIMATORS = (LocalLSTM, GlobalLSTM, LSTMClassifier)

_t = np.arange(40)
Y = 50.0 + 0.5 * _t + 5.0 * np.sin(2 * np.pi * _t / 12) + np.random.default_rng(0).normal(0.0, 1.0, _t.size)
MONTHS = pd.date_range("2001-01-01", periods=_t.size, freq="MS")
LOCAL = dict(look_back=3, units=3, epochs=2, batch_size=8, n_seeds=2)


def panel_frame():
    rng = np.random.default_rng(1)
    rows = []
    for k, n in enumerate((30, 26, 34, 2)):  # the last is too short for the network: a Naive2 fallback
        y = (10 + k) * np.exp(np.cumsum(rng.normal(0.01, 0.05, n)))
        rows.append(
            pd.DataFrame({"unique_id": f"s{k}", "ds": pd.date_range("2000-01-01", periods=n, freq="MS"), "y": y})
        )
    return pd.concat(rows, ignore_index=True)


def cases_and_labels():
    rng = np.random.default_rng(2)
    cases = [rng.normal(1.0 if k % 2 else -1.0, 1.0, size=(int(rng.integers(4, 9)), 2)) for k in range(10)]
    return cases, ["up" if k % 2 else "down" for k in range(10)]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """One fitted estimator of each kind and the file it was saved to."""
    folder = tmp_path_factory.mktemp("models")
    local = LocalLSTM(**LOCAL).fit(Y)
    dated = LocalLSTM(**LOCAL, horizon=3, conformal_windows=4).fit(pd.Series(Y, index=MONTHS))
    panel = GlobalLSTM(horizon=3, look_back=[3, 6], units=3, epochs=2, n_seeds=2).fit(panel_frame())
    classifier = LSTMClassifier(units=3, conv_filters=(3,), conv_widths=(3,), epochs=2, n_seeds=2).fit(
        *cases_and_labels()
    )
    fitted = {"local": local, "dated": dated, "global": panel, "classifier": classifier}
    return {name: (model, model.save(folder / f"{name}.npz")) for name, model in fitted.items()}


# -- round trips ---------------------------------------------------------------------------------------
def test_a_local_model_of_an_array_round_trips(files):
    model, path = files["local"]
    back = LocalLSTM.load(path)
    assert type(back) is LocalLSTM and back.get_params() == model.get_params() and back.index_ is None
    np.testing.assert_array_equal(back.predict(5, members=True), model.predict(5, members=True))
    np.testing.assert_array_equal(back.predict_one_step(Y[:6] + 1.0), model.predict_one_step(Y[:6] + 1.0))
    for name in ("history_", "epochs_run_", "transform_state_", "y_"):
        assert repr(getattr(back, name)) == repr(getattr(model, name)), name


def test_a_dated_local_model_with_intervals_round_trips(files):
    model, path = files["dated"]
    back = LocalLSTM.load(path)
    assert back.index_.equals(model.index_) and back.index_.freqstr == "MS"
    np.testing.assert_array_equal(back.calibration_scores_, model.calibration_scores_)
    assert back.calibration_scores_.shape == (4, 3)
    pd.testing.assert_frame_equal(
        back.predict(3, level=[50, 80], members=True), model.predict(3, level=[50, 80], members=True)
    )
    new = pd.Series(Y[:4] + 2.0, index=pd.date_range(MONTHS[-1], periods=5, freq="MS")[1:])
    pd.testing.assert_frame_equal(
        back.predict_one_step(new, include_history=True), model.predict_one_step(new, include_history=True)
    )


def test_a_global_model_round_trips(files):
    model, path = files["global"]
    back = GlobalLSTM.load(path)
    assert back.get_params() == model.get_params() and back.get_params()["look_back"] == [3, 6]
    assert back.fallback_series_ == model.fallback_series_ == ["s3"]
    pd.testing.assert_frame_equal(back.predict(3, level=[50], members=True), model.predict(3, level=[50], members=True))
    assert back.scalings_ == model.scalings_ and back.windows_ == model.windows_
    assert back.panel_.ids == model.panel_.ids
    for ours, theirs in zip(back.panel_.index, model.panel_.index):
        assert ours.equals(theirs)
    new = pd.concat(
        [
            pd.DataFrame({"unique_id": uid, "ds": pd.date_range(axis[-1], periods=4, freq="MS")[1:], "y": values[-1]})
            for uid, axis, values in zip(model.panel_.ids, model.panel_.index, model.panel_.values)
        ]
    )
    pd.testing.assert_frame_equal(back.predict_one_step(new), model.predict_one_step(new))


def test_a_classifier_round_trips_bit_for_bit(files):
    model, path = files["classifier"]
    cases, _ = cases_and_labels()
    back = LSTMClassifier.load(path)
    np.testing.assert_array_equal(back.predict_proba(cases, members=True), model.predict_proba(cases, members=True))
    assert back.classes_.tolist() == model.classes_.tolist() and back.get_params() == model.get_params()


# -- refusals --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["local", "global", "classifier"])
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_a_file_of_another_kind_is_refused(files, name, cls):
    model, path = files[name]
    if type(model) is cls:
        assert type(cls.load(path)) is cls
        return
    with pytest.raises(ModelFileError, match=f"holds a {type(model).__name__}, not a {cls.__name__}"):
        cls.load(path)


def test_the_fixture_was_written_by_the_previous_format():
    assert FIXTURE.stat().st_size < 20_000
    config = json.loads(zipfile.ZipFile(FIXTURE).read("config.json"))
    assert config["metadata"]["kind"] == "LSTMForecaster" and "estimator_format" not in config["metadata"]
    assert config["lstmcast_version"] == "0.1.0"


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_a_file_of_the_previous_format_is_refused_naming_its_version(cls):
    written_by = json.loads(zipfile.ZipFile(FIXTURE).read("config.json"))["lstmcast_version"]
    with pytest.raises(ModelFileError) as refused:
        cls.load(FIXTURE)
    message = str(refused.value)
    assert f"written by lstmcast {written_by} (estimator format 1)" in message
    assert "fit the model again" in message


def rewritten(path, target, change):
    """A copy of the model file at ``path`` whose config JSON went through ``change``."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    change(config)
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, json.dumps(config) if name == "config.json" else content)
    return target


def test_a_file_with_parameters_this_version_does_not_know_is_refused(files, tmp_path):
    _, path = files["local"]

    def add_parameter(config):
        config["metadata"]["params"]["warp_factor"] = 9
        config["lstmcast_version"] = "9.9.9"

    with pytest.raises(ModelFileError, match=r"lstmcast 9\.9\.9.*warp_factor"):
        LocalLSTM.load(rewritten(path, tmp_path / "future.npz", add_parameter))


def test_a_damaged_state_is_a_model_file_error(files, tmp_path):
    _, path = files["local"]

    def lose_an_array(config):
        config["metadata"]["state"]["y_"] = {"__array__": "no-such-array"}

    with pytest.raises(ModelFileError, match="damaged"):
        LocalLSTM.load(rewritten(path, tmp_path / "damaged.npz", lose_an_array))


def test_every_network_estimator_saves_through_one_base():
    for cls in ESTIMATORS:
        assert issubclass(cls, NetworkEstimator) and cls.save is NetworkEstimator.save
