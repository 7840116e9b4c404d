"""Recipes: each faithful variant's settings checked against its tutorial's code (split sizes,
window counts, layer shapes, scored points), the mistakes each variant keeps or removes, the
run's summary against values computed here, and every registered recipe against the interface."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lstmcast import recipes
from lstmcast.datasets import load
from lstmcast.errors import InvalidInputError
from lstmcast.forecast import LocalLSTM, Persistence, recommended_params
from lstmcast.recipes.base import Recipe, RecipeResult, RunOptions, seed_distribution
from lstmcast.recipes.models import CreateDatasetWindows, ShampooTutorial
from lstmcast.report import render
from tests.reference import lstm_numpy


def create_dataset(dataset, look_back=1):
    """The tutorials' own function, as written there."""
    data_x, data_y = [], []
    for i in range(len(dataset) - look_back - 1):
        data_x.append(dataset[i : (i + look_back)])
        data_y.append(dataset[i + look_back])
    return np.array(data_x), np.array(data_y)


def prepare(name, variant, n_seeds=2, epochs=None):
    """The recipe's series and what the variant runs on it."""
    return recipes.get(name).prepare(variant, RunOptions(n_seeds, epochs))


@pytest.mark.parametrize("name", ["airline", "milk"])
def test_airline_style_faithful_follows_the_tutorial_code(name):
    series, setup = prepare(name, "faithful")
    values = series.to_numpy()
    train_size = int(len(values) * 0.67)
    train, test = values[:train_size], values[train_size:]
    train_x, _ = create_dataset(train)
    test_x, test_y = create_dataset(test)
    model = setup.forecaster
    assert isinstance(model, CreateDatasetWindows) and setup.test_start == train_size
    assert (
        model.get_params()
        == LocalLSTM(
            look_back=1,
            units=4,
            epochs=100,
            batch_size=1,
            shuffle=True,
            loss="mse",
            optimizer="adam",
            scale="minmax",
            feature_range=(0.0, 1.0),
            scale_range=(values.min(), values.max()),
            n_seeds=2,
            seed=0,
            verbose=0,
        ).get_params()
    )
    training = model._prepare(train)
    assert training.jobs[0].x.shape == (len(train_x), 1, 1)  # create_dataset's windows: one fewer than all
    scored = np.arange(setup.test_start, len(values))[setup.score_slice]
    np.testing.assert_array_equal(values[scored], test_y)  # the tutorial's test targets, exactly
    assert len(scored) == len(test_x)
    assert training.spec.lstm_units == (4,) and [(d.units, d.activation) for d in training.spec.dense] == [
        (1, "linear")
    ]


@pytest.mark.parametrize("name", ["airline", "milk"])
def test_fixed_and_improved_remove_the_leak_and_the_dropped_window(name):
    series, fixed = prepare(name, "fixed")
    _, improved = prepare(name, "improved")
    values = series.to_numpy()
    train_size = int(len(values) * 0.67)
    assert type(fixed.forecaster) is LocalLSTM and fixed.forecaster.scale_range is None
    assert fixed.forecaster._prepare(values[:train_size]).jobs[0].x.shape[0] == train_size - 1  # every window
    expected = recommended_params(values[:train_size], 12)
    expected.pop("n_seeds")
    assert {k: improved.forecaster.get_params()[k] for k in expected} == expected
    changed = series.copy()
    changed.iloc[train_size:] *= 10  # the test part cannot change the improved settings
    again = recipes.get(name).setup("improved", changed, {"n_seeds": 2, "seed": 0, "verbose": 0}, None)
    assert again.forecaster.get_params() == improved.forecaster.get_params()
    assert fixed.deviations == improved.deviations == ()


def test_shampoo_faithful_is_the_tutorials_supervised_frame_and_scaler():
    recipe = recipes.get("shampoo")
    series, setup = prepare("shampoo", "faithful", n_seeds=recipe.default_seeds)
    assert recipe.default_seeds == 30 and setup.forecaster.n_seeds == 30
    values = series.to_numpy()
    assert isinstance(setup.forecaster, ShampooTutorial) and setup.test_start == len(values) - 12 == 24
    # the tutorial: difference, then timeseries_to_supervised with lag 1 and fillna(0), last 12 rows test
    diff = pd.Series(np.diff(values))
    supervised = pd.concat([diff.shift(1), diff], axis=1).fillna(0).to_numpy()
    train = supervised[:-12]
    assert len(train) == 23 and train[0, 0] == 0.0
    model = ShampooTutorial(epochs=1, n_seeds=1).fit(values[:24])
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
    model = ShampooTutorial(epochs=3, n_seeds=2, seed=4).fit(values[:24])
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
    series, setup = prepare("sunspots", "faithful", n_seeds=1)
    assert series.index[0] == pd.Timestamp("1848-12-23") and series.index[-1] == pd.Timestamp("2017-06-30")
    assert setup.test_start == 55_160 and len(series) - setup.test_start == 6_391
    scored = np.arange(setup.test_start, len(series))[setup.score_slice]
    assert len(scored) == 6_381 and scored[0] == setup.test_start + 10  # to_sequences(10) on the test part alone
    model = setup.forecaster
    params = model.get_params()
    assert (
        params["scale"] is None
        and params["look_back"] == 10
        and params["batch_size"] == 32
        and params["epochs"] == 1000
    )
    assert (params["patience"], params["min_delta"], params["restore_best_weights"]) == (5, 1e-3, True)
    np.testing.assert_array_equal(params["validation_data"], series.to_numpy()[setup.test_start :])  # the leak
    spec = model._spec()
    assert spec.lstm_units == (64,) and [(d.units, d.activation) for d in spec.dense] == [(32, "linear"), (1, "linear")]
    assert "test set" in setup.deviations[0]
    _, fixed = prepare("sunspots", "fixed", n_seeds=1)
    assert fixed.forecaster.validation_data is None and fixed.forecaster.validation_size == 0.1


def test_gridsearch_faithful_scores_like_the_tutorial(tmp_path):
    """Every configuration gets the same 'accuracy': only a target exactly equal to a rounded
    prediction counts, and the training part's minimum (scaled to 0.0) is the only such target."""
    summary = run_and_check("gridsearch", "faithful", tmp_path, n_seeds=1, epochs=2)
    configurations = summary["configurations"]
    scores = [c["score_mean"] for c in configurations]
    assert len(scores) == 20 and len({c["params"]["units"] for c in configurations}) == 4
    values = load("airline").to_numpy()
    train = ((values - values.min()) / (values.max() - values.min()))[:96]
    _, targets = create_dataset(train)
    folds = np.array_split(targets, 3)
    expected = np.mean([np.sum(fold == 0.0) / len(fold) for fold in folds])  # a network that predicts < 0.5 there
    np.testing.assert_allclose(scores, expected)
    assert summary["best_params"] == {"units": 2, "batch_size": 1}  # the first of the tied
    assert (summary["settings"]["units"], summary["settings"]["batch_size"]) == (2, 1)  # tested as airline faithful
    assert summary["settings"]["scale_range"] == [values.min(), values.max()]


def test_unknown_variant_and_recipe_are_refused_before_any_work(tmp_path):
    with pytest.raises(InvalidInputError, match="variant"):
        prepare("airline", "best")
    with pytest.raises(InvalidInputError, match="airline"):
        recipes.get("airplane")
    with pytest.raises(InvalidInputError, match="'faithful', 'improved'"):
        recipes.run("toy-classifier", variant="fixed", out_root=tmp_path)
    assert not list(tmp_path.iterdir())  # no run folder for a run that never started


@pytest.mark.parametrize("value", [0, -1, True, 2.5, "3"], ids=repr)
def test_n_seeds_and_epochs_must_be_whole_numbers(value):
    for name in ("airline", "toy-classifier"):
        with pytest.raises(InvalidInputError, match="n_seeds"):
            recipes.run(name, n_seeds=value, out_root=None)
        with pytest.raises(InvalidInputError, match="epochs"):
            recipes.run(name, n_seeds=1, epochs=value, out_root=None)


@pytest.mark.parametrize("name", ["shampoo", "toy-classifier"])
def test_no_n_seeds_means_the_recipes_default(monkeypatch, name):
    recipe = recipes.get(name)
    seen = []

    def execute(variant, options):
        seen.append(options)
        return RecipeResult({"recipe": name})

    monkeypatch.setattr(recipe, "execute", execute)
    summary = recipes.run(name, out_root=None, verbose=0)
    assert [options.n_seeds for options in seen] == [recipe.default_seeds] and summary["seconds"] >= 0


def test_summary_reports_the_seed_distribution():
    """The summary's figures recomputed here from the same networks: each seed's one-step forecasts
    of the tutorial's test points and of the training part, persistence from the value before."""
    summary = recipes.run("airline", variant="fixed", n_seeds=4, epochs=1, out_root=None, verbose=0)
    assert summary["seeds"] == 4 and summary["deviations"] == [] and summary["settings"]["scale_range"] is None
    y = load("airline").to_numpy()
    train_size = int(len(y) * 0.67)
    _, setup = prepare("airline", "fixed", n_seeds=4, epochs=1)  # the same networks: the same seeds
    model = setup.forecaster.fit(y[:train_size])
    members = model.predict_one_step(y[train_size:], members=True, include_history=True)  # (seeds, every point)
    scored = np.arange(train_size + 1, len(y) - 1)  # the tutorial's test points, y[97:143]
    scores = np.sqrt(np.mean((members[:, scored] - y[scored]) ** 2, axis=1))
    persistence = np.sqrt(np.mean((y[scored] - y[scored - 1]) ** 2))
    rmse = summary["test_rmse"]
    assert rmse["persistence"] == pytest.approx(persistence, rel=1e-12)
    assert rmse["lstm_mean"] == pytest.approx(scores.mean(), rel=1e-5)
    assert rmse["lstm_std"] == pytest.approx(scores.std(ddof=1), rel=1e-4)
    q25, median, q75 = np.percentile(scores, [25, 50, 75])
    assert (rmse["lstm_q25"], rmse["lstm_median"], rmse["lstm_q75"]) == pytest.approx((q25, median, q75), rel=1e-5)
    assert rmse["share_beating_persistence"] == np.mean(scores < persistence)
    ensemble = members.mean(axis=0)
    assert rmse["lstm_ensemble"] == pytest.approx(np.sqrt(np.mean((ensemble[scored] - y[scored]) ** 2)), rel=1e-5)
    history = members[:, :train_size]
    fitted = np.isfinite(history[0])  # the first point has no window before it
    train_scores = np.sqrt(np.mean((history[:, fitted] - y[:train_size][fitted]) ** 2, axis=1))
    assert summary["train_rmse"]["lstm_mean"] == pytest.approx(train_scores.mean(), rel=1e-5)
    assert summary["epochs_run"] == [1, 1, 1, 1]


def test_seed_distribution_on_known_scores():
    scores = np.array([3.0, 1.0, 2.0, 10.0])
    distribution = seed_distribution(scores, persistence=2.5)
    assert distribution["lstm_mean"] == 4.0 and distribution["lstm_std"] == pytest.approx(np.sqrt(50 / 3))  # ddof 1
    assert distribution["lstm_median"] == 2.5 and distribution["share_beating_persistence"] == 0.5
    assert (distribution["lstm_q25"], distribution["lstm_q75"]) == (1.75, 4.75)  # numpy's linear interpolation
    assert seed_distribution(np.array([2.0]), persistence=None) == {
        "lstm_mean": 2.0,
        "lstm_std": None,
        "lstm_median": 2.0,
        "lstm_q25": 2.0,
        "lstm_q75": 2.0,
        "share_beating_persistence": None,
    }


# Every registered recipe, run where that is cheap: its fastest variant, one epoch, two seeds. The
# daily sunspots (55,160 training days, the statistical baselines on all of them) run with
# persistence only; the grid search (20 configurations, a program each) runs in its own test above.
FASTEST = {
    "airline": "fixed",
    "milk": "fixed",
    "shampoo": "improved",
    "gridsearch": None,
    "sunspots": "improved",
    "toy-classifier": "faithful",
}
FORECAST_FILES = ["config.json", "forecast.png", "metrics.json", "predictions.csv", "training.png"]
FILES = {name: FORECAST_FILES for name in FASTEST} | {"toy-classifier": ["config.json", "metrics.json"]}
ONLY_PERSISTENCE = {"sunspots": [Persistence()]}


def run_and_check(name, variant, tmp_path, **options):
    """Run a recipe; check its run folder and what it prints against its summary."""
    recipe = recipes.get(name)
    summary = recipes.run(name, variant=variant, out_root=tmp_path, verbose=0, **options)
    assert (summary["recipe"], summary["variant"]) == (name, variant) and summary["seconds"] > 0
    run_dir = Path(summary["run_dir"])
    assert run_dir.parent == tmp_path and run_dir.name.startswith(f"{name}-{variant}-")
    assert sorted(p.name for p in run_dir.iterdir()) == FILES[name]
    config = json.loads((run_dir / "config.json").read_text())
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert config == {key: summary[key] for key in ("recipe", "variant", "tutorial", "seeds", "settings", "deviations")}
    assert metrics == {k: v for k, v in summary.items() if k not in ("settings", "tutorial", "run_dir", "seconds")}
    shown = "\n".join(render(renderable, width=200) for renderable in recipe.report(summary))
    assert f"{recipe.title}: {variant}" in shown and f"Run folder: {run_dir}" in shown
    words = " ".join(shown.split())  # long lines wrap
    assert all(f"- {deviation}" in words for deviation in summary["deviations"])
    return summary


def test_every_recipe_is_registered_once_under_its_name():
    assert recipes.names() == list(FASTEST) and all(recipes.get(name).name == name for name in FASTEST)
    assert recipes.VARIANTS == ("faithful", "fixed", "improved")


@pytest.mark.parametrize("name", list(FASTEST))
def test_every_recipe_satisfies_the_interface(name, tmp_path):
    recipe = recipes.get(name)
    assert isinstance(recipe, Recipe) and recipe.title and recipe.tutorial and recipe.default_seeds >= 1
    assert recipe.variants[0] == "faithful" and set(recipe.variants) <= set(recipes.VARIANTS)
    if FASTEST[name] is not None:
        baselines = ONLY_PERSISTENCE.get(name)
        summary = run_and_check(name, FASTEST[name], tmp_path, n_seeds=2, epochs=1, baselines=baselines)
        assert summary["seeds"] == 2
