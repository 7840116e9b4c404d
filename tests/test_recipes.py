"""Recipes: each faithful variant's settings checked against its tutorial's code (split sizes,
window counts, layer shapes, scored points), the mistakes each variant keeps or removes, and the
run's summary, against values computed here."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import recipes
from lstmcast.datasets import load
from lstmcast.errors import InvalidInputError
from lstmcast.forecast import LSTMForecaster, recommended_params
from lstmcast.recipes.models import CreateDatasetWindows, ShampooTutorial
from tests.reference import lstm_numpy


def create_dataset(dataset, look_back=1):
    """The tutorials' own function, as written there."""
    data_x, data_y = [], []
    for i in range(len(dataset) - look_back - 1):
        data_x.append(dataset[i : (i + look_back)])
        data_y.append(dataset[i + look_back])
    return np.array(data_x), np.array(data_y)


@pytest.mark.parametrize("name, dataset", [("airline", "airline"), ("milk", "milk")])
def test_airline_style_faithful_follows_the_tutorial_code(name, dataset):
    _, series, plan = recipes.plan(name, "faithful", seeds=2)
    values = series.to_numpy()
    train_size = int(len(values) * 0.67)
    train, test = values[:train_size], values[train_size:]
    train_x, _ = create_dataset(train)
    test_x, test_y = create_dataset(test)
    model = plan.forecaster
    assert isinstance(model, CreateDatasetWindows) and plan.test_start == train_size
    assert (
        model.get_params() | {"n_models": 0, "seed": 0, "verbose": 0}
        == LSTMForecaster(
            look_back=1,
            units=4,
            epochs=100,
            batch_size=1,
            shuffle=True,
            scale="minmax",
            feature_range=(0.0, 1.0),
            scale_range=(values.min(), values.max()),
            n_models=0,
            seed=0,
            verbose=0,
        ).get_params()
    )
    training = model._training_plan(train)
    assert training.x.shape == (len(train_x), 1, 1)  # create_dataset's windows: one fewer than all
    scored = np.arange(plan.test_start, len(values))[plan.score_slice]
    np.testing.assert_array_equal(values[scored], test_y)  # the tutorial's test targets, exactly
    assert len(scored) == len(test_x)
    assert training.spec.lstm_units == (4,) and [(d.units, d.activation) for d in training.spec.dense] == [
        (1, "linear")
    ]


@pytest.mark.parametrize("name", ["airline", "milk"])
def test_fixed_and_improved_remove_the_leak_and_the_dropped_window(name):
    _, series, fixed = recipes.plan(name, "fixed", seeds=2)
    _, _, improved = recipes.plan(name, "improved", seeds=2)
    values = series.to_numpy()
    train_size = int(len(values) * 0.67)
    assert type(fixed.forecaster) is LSTMForecaster and fixed.forecaster.scale_range is None
    assert fixed.forecaster._training_plan(values[:train_size]).x.shape[0] == train_size - 1  # every window
    expected = recommended_params(values[:train_size], 12)
    expected.pop("n_models")
    assert {k: improved.forecaster.get_params()[k] for k in expected} == expected
    changed = series.copy()
    changed.iloc[train_size:] *= 10  # the test part cannot change the improved settings
    assert (
        recipes.RECIPES[name]
        .plan("improved", changed, {"n_models": 2, "seed": 0, "verbose": 0})
        .forecaster.get_params()
        == improved.forecaster.get_params()
    )
    assert fixed.deviations == improved.deviations == ()


def test_shampoo_faithful_is_the_tutorials_supervised_frame_and_scaler():
    recipe, series, plan = recipes.plan("shampoo", "faithful")
    assert recipe.default_seeds == 30 and plan.forecaster.n_members == 30
    values = series.to_numpy()
    assert isinstance(plan.forecaster, ShampooTutorial) and plan.test_start == len(values) - 12 == 24
    # the tutorial: difference, then timeseries_to_supervised with lag 1 and fillna(0), last 12 rows test
    diff = pd.Series(np.diff(values))
    supervised = pd.concat([diff.shift(1), diff], axis=1).fillna(0).to_numpy()
    train = supervised[:-12]
    assert len(train) == 23 and train[0, 0] == 0.0
    model = ShampooTutorial(epochs=1, n_models=1).fit(values[:24])
    assert model.columns_ == {
        "input": (train[:, 0].min(), train[:, 0].max()),
        "target": (train[:, 1].min(), train[:, 1].max()),
    }
    assert model.params_["lstm"][0]["kernel"].shape == (1, 1, 16)  # LSTM(4), one model


def test_shampoo_tutorial_forecasts_follow_the_tutorials_walk_forward():
    """Predictions recomputed from the trained weights with the tutorial's own steps: scale each row's
    input with the input column's min/max, run the stateful LSTM from a zero state over the training
    rows (the warm-up) and on through the test rows, invert with the target column's min/max, add the
    true previous value."""
    values = load("shampoo").to_numpy()
    model = ShampooTutorial(epochs=3, n_models=2, seed=4).fit(values[:24])
    predictions = model.predict_one_step(values[24:], members=True)
    diff = np.diff(values)
    inputs = np.r_[0.0, diff[:-1]]
    (in_lo, in_hi), (t_lo, t_hi) = model.columns_["input"], model.columns_["target"]
    x = -1 + 2 * (inputs - in_lo) / (in_hi - in_lo)
    for k in range(2):
        lstm = {name: np.asarray(a)[k] for name, a in model.params_["lstm"][0].items()}
        dense = {name: np.asarray(a)[k] for name, a in model.params_["dense"][0].items()}
        h = c = None
        outputs = []
        for value in x:  # batch 1, one step per row, the state carried on
            _, h, c = lstm_numpy(lstm, np.array([[[value]]]), h, c)
            outputs.append((h @ dense["kernel"] + dense["bias"])[0, 0])
        z = np.array(outputs)
        expected = values[:-1] + t_lo + (z + 1) * (t_hi - t_lo) / 2  # row j predicts values[j + 1]
        np.testing.assert_allclose(predictions[k], expected[23:], rtol=1e-5)


def test_sunspots_faithful_follows_the_notebook():
    _, series, plan = recipes.plan("sunspots", "faithful", seeds=1)
    assert series.index[0] == pd.Timestamp("1848-12-23") and series.index[-1] == pd.Timestamp("2017-06-30")
    assert plan.test_start == 55_160 and len(series) - plan.test_start == 6_391
    scored = np.arange(plan.test_start, len(series))[plan.score_slice]
    assert len(scored) == 6_381 and scored[0] == plan.test_start + 10  # to_sequences(10) on the test part alone
    model = plan.forecaster
    params = model.get_params()
    assert (
        params["scale"] is None
        and params["look_back"] == 10
        and params["batch_size"] == 32
        and params["epochs"] == 1000
    )
    assert (params["patience"], params["min_delta"], params["restore_best_weights"]) == (5, 1e-3, True)
    np.testing.assert_array_equal(params["validation_data"], series.to_numpy()[plan.test_start :])  # the leak
    spec = model._spec()
    assert spec.lstm_units == (64,) and [(d.units, d.activation) for d in spec.dense] == [(32, "linear"), (1, "linear")]
    assert "test set" in plan.deviations[0]
    _, _, fixed = recipes.plan("sunspots", "fixed", seeds=1)
    assert fixed.forecaster.validation_data is None and fixed.forecaster.validation_size == 0.1


def test_gridsearch_faithful_scores_like_the_tutorial():
    """Every configuration gets the same 'accuracy': only a target exactly equal to a rounded
    prediction counts, and the training part's minimum (scaled to 0.0) is the only such target."""
    _, series, plan = recipes.plan("gridsearch", "faithful", seeds=1, epochs=2)
    scores = [c["score_mean"] for c in plan.report["configurations"]]
    assert len(scores) == 20 and len({c["params"]["units"] for c in plan.report["configurations"]}) == 4
    values = series.to_numpy()
    train = ((values - values.min()) / (values.max() - values.min()))[:96]
    _, targets = create_dataset(train)
    folds = np.array_split(targets, 3)
    expected = np.mean([np.sum(fold == 0.0) / len(fold) for fold in folds])  # a network that predicts < 0.5 there
    np.testing.assert_allclose(scores, expected)
    assert plan.report["best_params"] == {"units": 2, "batch_size": 1}  # the first of the tied


def test_unknown_variant_and_recipe():
    with pytest.raises(InvalidInputError, match="variant"):
        recipes.plan("airline", "best")
    with pytest.raises(InvalidInputError, match="airline"):
        recipes.get("airplane")


def test_summary_reports_the_seed_distribution():
    summary = recipes.run("airline", variant="fixed", seeds=4, epochs=1, out_root=None, verbose=0)
    rmse = summary["test_rmse"]
    assert summary["deviations"] == [] and summary["settings"]["scale_range"] is None
    assert rmse["lstm_q25"] <= rmse["lstm_median"] <= rmse["lstm_q75"]
    assert 0.0 <= rmse["share_beating_persistence"] <= 1.0
    scores = np.array([3.0, 1.0, 2.0, 10.0])
    distribution = recipes.seed_distribution(scores, persistence=2.5)
    assert distribution["lstm_std"] == pytest.approx(np.std(scores, ddof=1))
    assert distribution["lstm_median"] == 2.5 and distribution["share_beating_persistence"] == 0.5
    assert (distribution["lstm_q25"], distribution["lstm_q75"]) == tuple(np.percentile(scores, [25, 75]))
