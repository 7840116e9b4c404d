"""Every parameter of every public estimator does something: set on its own to a value other than
its default, it changes the fit, or it is refused with a named error (``LstmcastError``). None is
silently ignored.

The parameters are read from each estimator's ``get_params()``, so a parameter added to a class
without an entry in the tables below fails ``test_every_parameter_has_an_entry``. Each entry says
what the value does on the estimator's small base configuration: ``CHANGES`` (what the fitted model
forecasts or predicts, its column names, or what training reports, ``history_``, ``epochs_run_``,
``calibration_scores_``, ``windows_``, differ from the base fit's) or ``REFUSED`` (fitting raises an
``LstmcastError``). ``verbose`` shows the training progress bar: its observation is whether the
trainer was asked to show one (the bar itself appears only after a second, so the test does not
wait for it). The base fits are shared by a module-scoped fixture; the networks are tiny and train
for a few epochs, with a learning rate high enough that the losses do not fall smoothly (so early
stopping has something to stop).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest

import lstmcast.train.driver as driver
from lstmcast.classify import LSTMClassifier
from lstmcast.errors import LstmcastError
from lstmcast.forecast import (
    AutoARIMA,
    AutoCES,
    AutoETS,
    AutoTheta,
    Ensemble,
    GlobalLSTM,
    LocalLSTM,
    Naive2,
    Persistence,
    SeasonalNaive,
)
from lstmcast.recipes.models import CreateDatasetWindows, ShampooTutorial

CHANGES, REFUSED = "changes", "refused"
H = 3

# -- the data -------------------------------------------------------------------------------------------
_t = np.arange(48)
_noise = np.random.default_rng(0).normal(0.0, 1.5, _t.size)
VALUES = 60.0 + 0.3 * _t + 12.0 * np.sin(2 * np.pi * _t / 12) + _noise  # positive, a yearly cycle the tests find
SERIES = pd.Series(VALUES, index=pd.date_range("2001-01-01", periods=_t.size, freq="MS"), name="y")


def panel_frame():
    """Eight monthly series with a strong yearly cycle, 40 to 47 values each."""
    rng = np.random.default_rng(1)
    rows = []
    for k in range(8):
        n = 40 + k
        t = np.arange(n)
        y = (20 + 3 * k) * np.exp(np.cumsum(rng.normal(0.004, 0.03, n))) * (1 + 0.25 * np.sin(2 * np.pi * t / 12))
        rows.append(
            pd.DataFrame({"unique_id": f"s{k}", "ds": pd.date_range("2000-01-01", periods=n, freq="MS"), "y": y})
        )
    return pd.concat(rows, ignore_index=True)


PANEL = panel_frame()


def cases_and_labels():
    """Sixteen two-channel cases of 6 to 11 steps; the class is the sign of the first channel's level."""
    rng = np.random.default_rng(2)
    cases = [rng.normal(1.0 if k % 2 else -1.0, 1.5, size=(int(rng.integers(6, 12)), 2)) for k in range(16)]
    return cases, np.array(["up" if k % 2 else "down" for k in range(16)])


CASES, LABELS = cases_and_labels()


# -- what a fit is observed by -----------------------------------------------------------------------------
TRAINING = ("history_", "epochs_run_", "held_back_epochs_", "calibration_scores_", "windows_")


def training_report(model) -> dict[str, Any]:
    return {name: getattr(model, name) for name in TRAINING if hasattr(model, name)}


def local_observation(model) -> dict[str, Any]:
    """A local forecaster fitted on the dated series: its multi-step forecast frame with every
    member, and what training reported."""
    model.fit(SERIES)
    return {"forecast": model.predict(H, members=True), **training_report(model)}


def global_observation(model) -> dict[str, Any]:
    """The global model fitted on the panel: its forecast frame with every member and a 50% interval
    (calibrated on each series' held-back tail), and what training reported."""
    model.fit(PANEL)
    return {"forecast": model.predict(H, members=True, level=50), **training_report(model)}


def ensemble_observation(model) -> dict[str, Any]:
    """The ensemble fitted on the panel: its forecast frame (each model's column beside the
    combination) with a 50% interval, its weights, and its held-back scores."""
    model.fit(PANEL)
    return {"forecast": model.predict(H, level=50), "weights": model.weights_, **training_report(model)}


def classifier_observation(model) -> dict[str, Any]:
    model.fit(CASES, LABELS)
    return {"proba": model.predict_proba(CASES, members=True), "classes": model.classes_, **training_report(model)}


@dataclass
class Case:
    cls: type
    base: dict[str, Any]
    observe: Callable[[Any], dict[str, Any]]
    # parameter -> (a value other than its default and the base's, what it does[, what the refusal says])
    values: dict[str, tuple]


# NetworkEstimator's parameters, shared by every network estimator; each case sets its own epochs,
# batch size and schedule (a value other than its base's) with ``network_values``
NETWORK_VALUES = {
    "units": (5, CHANGES),
    "dense": ((2,), CHANGES),
    "dropout": (0.3, CHANGES),
    "recurrent_dropout": (0.3, CHANGES),
    "optimizer": ("sgd", CHANGES),
    "learning_rate": (0.01, CHANGES),
    "clip_norm": (1e-3, CHANGES),
    "patience": (0, CHANGES),
    "min_delta": (0.01, REFUSED, "patience"),  # early stopping's: without patience it would do nothing
    "restore_best_weights": (False, REFUSED, "patience"),
    "n_seeds": (2, CHANGES),
    "seed": (1, CHANGES),
    "verbose": (1, CHANGES),
}


def network_values(epochs: int, batch_size: int, lr_schedule: str, **own: tuple) -> dict[str, tuple]:
    """``NETWORK_VALUES`` with a case's epochs, batch size and schedule, then its own parameters."""
    return {
        **NETWORK_VALUES,
        "epochs": (epochs, CHANGES),
        "batch_size": (batch_size, CHANGES),
        "lr_schedule": (lr_schedule, CHANGES),
        **own,
    }


# LocalLSTM and the tutorials' variant of it share their parameters
LOCAL_BASE = dict(look_back=3, units=3, epochs=6, batch_size=8, learning_rate=0.05)
LOCAL_VALUES = network_values(
    7,  # (epochs that round up to the base's power of two reuse its compiled program)
    4,
    "cosine",
    alias=("net", CHANGES),
    look_back=(2, CHANGES),
    strategy=("direct", REFUSED, "give horizon"),  # a direct network needs the horizon it outputs
    horizon=(H, REFUSED, "leave horizon out"),  # recursive and not calibrating: it would be ignored
    loss=("mae", CHANGES),
    shuffle=(False, CHANGES),
    stateful=(True, CHANGES),
    log=(True, CHANGES),
    difference=(1, CHANGES),
    scale=("standard", CHANGES),
    feature_range=((-1.0, 1.0), CHANGES),
    scale_range=((0.0, 200.0), CHANGES),
    validation_size=(4, CHANGES),
    validation_data=(tuple(VALUES[-12:] + 5.0), CHANGES),
    conformal_windows=(2, REFUSED, "horizon"),  # calibrating needs the horizon the intervals are for
)

SEASON_VALUES = {"alias": ("mine", CHANGES), "season": (12, CHANGES)}

CASES_BY_NAME = {
    "LocalLSTM": Case(LocalLSTM, LOCAL_BASE, local_observation, LOCAL_VALUES),
    "CreateDatasetWindows": Case(CreateDatasetWindows, LOCAL_BASE, local_observation, LOCAL_VALUES),
    "GlobalLSTM": Case(
        GlobalLSTM,
        dict(horizon=H, look_back=3, units=3, epochs=3, batch_size=32, n_seeds=3, learning_rate=0.05),
        global_observation,
        network_values(
            4,
            8,
            "cosine",
            alias=("net", CHANGES),
            look_back=([3, 5], CHANGES),  # a look-back ensemble
            strategy=("recursive", CHANGES),
            horizon=(H + 1, CHANGES),
            loss=("mse", CHANGES),
            shuffle=(False, CHANGES),
            normalization=("level", CHANGES),
            season=(1, CHANGES),  # the base finds the yearly cycle (monthly data: 12)
            max_windows=(5, CHANGES),
            max_train_windows=(200, CHANGES),
            combine=("mean", CHANGES),  # three members: their median is not their mean
        ),
    ),
    "LSTMClassifier": Case(
        LSTMClassifier,
        dict(units=3, conv_filters=(3,), conv_widths=(3,), epochs=4, batch_size=4, n_seeds=1, learning_rate=0.2),
        classifier_observation,
        network_values(
            3,
            8,
            "constant",
            bidirectional=(True, CHANGES),
            lstm_output_dropout=(0.1, CHANGES),
            conv_filters=((4,), CHANGES),
            conv_widths=((5,), CHANGES),
            max_lstm_steps=(3, CHANGES),
            standardize=(False, CHANGES),
            class_weight=({"up": 3.0}, CHANGES),
            train_steps=(50, REFUSED, "epochs or train_steps"),  # sets the epochs only when epochs=None
            validation_size=(4, CHANGES),
        ),
    ),
    "ShampooTutorial": Case(
        ShampooTutorial,
        dict(epochs=4),
        local_observation,
        {
            "alias": ("net", CHANGES),
            "units": (5, CHANGES),
            "epochs": (3, CHANGES),
            "n_seeds": (2, CHANGES),
            "seed": (1, CHANGES),
            "verbose": (1, CHANGES),
        },
    ),
    "Ensemble": Case(
        Ensemble,
        dict(horizon=H, models=[Persistence(), SeasonalNaive(season=12), Naive2(season=12)]),
        ensemble_observation,
        {
            "alias": ("mine", CHANGES),
            "horizon": (H + 1, CHANGES),
            "models": ([Persistence(), SeasonalNaive(season=12)], CHANGES),
            "combine": ("weights", CHANGES),
            "windows": (2, CHANGES),
            "season": (1, CHANGES),  # the base takes 12 from the monthly dates: MASE's scale changes
        },
    ),
    "Persistence": Case(Persistence, {}, local_observation, {"alias": ("mine", CHANGES)}),
    "SeasonalNaive": Case(SeasonalNaive, {}, local_observation, SEASON_VALUES),
    "Naive2": Case(Naive2, {}, local_observation, SEASON_VALUES),
    "AutoETS": Case(AutoETS, {}, local_observation, SEASON_VALUES),
    "AutoARIMA": Case(AutoARIMA, {}, local_observation, SEASON_VALUES),
    "AutoTheta": Case(AutoTheta, {}, local_observation, SEASON_VALUES),
    "AutoCES": Case(AutoCES, {}, local_observation, SEASON_VALUES),
}
ENTRIES = [(name, parameter) for name, case in CASES_BY_NAME.items() for parameter in case.values]


# -- observing a fit ---------------------------------------------------------------------------------------
def observe(case: Case, params: dict[str, Any], monkeypatch) -> dict[str, Any]:
    """What a fit with ``params`` gives, and whether the trainer was asked to show its progress bar."""
    shown = []

    class Recorded(driver.ChunkProgress):
        def __init__(self, total_epochs, *, enabled=True):
            shown.append(enabled)
            super().__init__(total_epochs, enabled=enabled)

    with monkeypatch.context() as patched:
        patched.setattr(driver, "ChunkProgress", Recorded)
        observed = case.observe(case.cls(**params))
    return {**observed, "progress shown": any(shown)}


def same(a: Any, b: Any) -> bool:
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        return isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame) and a.equals(b)
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return (
            a.shape == b.shape and a.dtype.kind == b.dtype.kind and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        )
    return a == b


@pytest.fixture(scope="module")
def references():
    """Each estimator's base fit, observed once."""
    cache: dict[str, dict[str, Any]] = {}

    def get(name, monkeypatch):
        if name not in cache:
            case = CASES_BY_NAME[name]
            cache[name] = observe(case, case.base, monkeypatch)
        return cache[name]

    return get


# -- the tests ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CASES_BY_NAME)
def test_every_parameter_has_an_entry(name):
    case = CASES_BY_NAME[name]
    params = case.cls(**case.base).get_params(deep=False)
    assert set(params) == set(case.values), (
        f"{name}: parameters without an entry: {sorted(set(params) - set(case.values))}; "
        f"entries that are not parameters: {sorted(set(case.values) - set(params))}"
    )
    defaults = case.cls().get_params(deep=False)
    for parameter, (value, *_) in case.values.items():
        assert not same(value, defaults[parameter]), f"{name}.{parameter}: {value!r} is the default"
        assert not same(value, params[parameter]), f"{name}.{parameter}: {value!r} is the base configuration's"


@pytest.mark.parametrize("name, parameter", ENTRIES, ids=[f"{n}-{p}" for n, p in ENTRIES])
def test_each_parameter_changes_the_fit_or_is_refused(name, parameter, references, monkeypatch):
    case = CASES_BY_NAME[name]
    value, effect, *message = case.values[parameter]
    params = {**case.base, parameter: value}
    if effect == REFUSED:
        with pytest.raises(LstmcastError, match=message[0] if message else None):
            observe(case, params, monkeypatch)
        return
    base = references(name, monkeypatch)
    assert not base["progress shown"]
    changed = observe(case, params, monkeypatch)
    differences = [key for key in base.keys() | changed.keys() if not same(base.get(key), changed.get(key))]
    assert differences, f"{name}({parameter}={value!r}) fits exactly as the base configuration"
