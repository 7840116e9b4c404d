"""One behaviour for every check: the same bad values, fed to every public entry point, give the
same named error (``InvalidInputError``; ``OutputExistsError`` for a file that exists), and the
CLI turns each into one line and exit status 2.

Every call below fails on its argument before any training starts, so the file runs in seconds.
"""

import sys

import numpy as np
import pandas as pd
import pytest

from lstmcast import recipes
from lstmcast._checks import count_or_fraction, fraction, number, output_path, positive_int, series_values
from lstmcast.classify import LSTMClassifier
from lstmcast.cli import main
from lstmcast.data import future_index
from lstmcast.errors import InvalidInputError, LstmcastError, OutputExistsError
from lstmcast.evaluate import backtest, rmse, seasonal_naive_scale, walk_forward
from lstmcast.forecast import AutoARIMA, GlobalLSTM, LocalLSTM, Persistence, SeasonalNaive, recommended_params
from lstmcast.nn import Dense, NetworkSpec, save_network
from lstmcast.report import plot_future, write_csv, write_json
from lstmcast.train import EarlyStopping, TrainConfig, fit_many
from lstmcast.transforms import Difference, Pipeline, StandardScale, make_windows

Y = 100.0 + 10 * np.sin(np.arange(48) / 2) + np.arange(48)
CASES, LABELS = [np.sin(np.arange(n))[:, None] for n in (5, 7, 6, 8)], ["a", "b", "a", "b"]
NAIVE = [Persistence()]

BAD_COUNTS = [0, -1, True, 2.5, 4.0, float("nan"), float("inf"), "3", None]
COUNT_ENTRY_POINTS = {
    "LocalLSTM look_back": lambda v: LocalLSTM(look_back=v).fit(Y),
    "LocalLSTM units": lambda v: LocalLSTM(units=v).fit(Y),
    "LocalLSTM stacked units": lambda v: LocalLSTM(units=[4, v]).fit(Y),
    "LocalLSTM dense": lambda v: LocalLSTM(dense=[v]).fit(Y),
    "LocalLSTM epochs": lambda v: LocalLSTM(epochs=v).fit(Y),
    "LocalLSTM batch_size": lambda v: LocalLSTM(batch_size=v).fit(Y),
    "LocalLSTM n_seeds": lambda v: LocalLSTM(n_seeds=v).fit(Y),
    "LocalLSTM conformal_windows": lambda v: LocalLSTM(horizon=3, conformal_windows=[v]).fit(Y),
    "GlobalLSTM horizon": lambda v: GlobalLSTM(horizon=v).fit(Y),
    "GlobalLSTM look_back": lambda v: GlobalLSTM(horizon=3, look_back=[4, v]).fit(Y),
    "GlobalLSTM n_seeds": lambda v: GlobalLSTM(horizon=3, n_seeds=v).fit(Y),
    "GlobalLSTM max_windows": lambda v: GlobalLSTM(horizon=3, max_windows=v).fit(Y),
    "LocalLSTM difference": lambda v: LocalLSTM(difference=[1, v]).fit(Y),
    "predict horizon": lambda v: Persistence().fit(Y).predict(v),
    "SeasonalNaive season": lambda v: SeasonalNaive(season=v).fit(Y),
    "AutoARIMA season": lambda v: AutoARIMA(season=v).fit(Y),
    "TrainConfig epochs": lambda v: TrainConfig(epochs=v),
    "TrainConfig batch_size": lambda v: TrainConfig(batch_size=v),
    "Dense units": lambda v: Dense(v),
    "NetworkSpec lstm_units": lambda v: NetworkSpec(lstm_units=v),
    "NetworkSpec input_dim": lambda v: NetworkSpec(input_dim=v),
    "backtest horizon": lambda v: backtest(NAIVE, Y, horizon=v, baselines=()),
    "backtest n_windows": lambda v: backtest(NAIVE, Y, horizon=3, n_windows=v, baselines=()),
    "walk_forward season": lambda v: walk_forward(NAIVE, Y, test_size=5, season=v, baselines=()),
    "walk_forward test_start": lambda v: walk_forward(NAIVE, Y, test_start=v, baselines=()),
    "make_windows look_back": lambda v: make_windows(Y, v),
    "Difference lag": lambda v: Difference(v),
    "future_index horizon": lambda v: future_index(pd.Series(Y, index=pd.RangeIndex(48)), v),
    "recommended_params season": lambda v: recommended_params(Y, v),
    "LSTMClassifier units": lambda v: LSTMClassifier(units=v).fit(CASES, LABELS),
    "LSTMClassifier conv_filters": lambda v: LSTMClassifier(conv_filters=(4, v), conv_widths=(3, 3)).fit(CASES, LABELS),
    "LSTMClassifier train_steps": lambda v: LSTMClassifier(train_steps=v).fit(CASES, LABELS),
    "LSTMClassifier n_seeds": lambda v: LSTMClassifier(n_seeds=v).fit(CASES, LABELS),
    "LSTMClassifier max_lstm_steps": lambda v: LSTMClassifier(max_lstm_steps=v).fit(CASES, LABELS),
}


@pytest.mark.parametrize("value", BAD_COUNTS, ids=repr)
@pytest.mark.parametrize("entry_point", COUNT_ENTRY_POINTS)
def test_every_count_refuses_the_same_bad_values(entry_point, value):
    with pytest.raises(InvalidInputError):
        COUNT_ENTRY_POINTS[entry_point](value)


@pytest.mark.parametrize("value", [0, -1, True, 2.5, 4.0, float("nan"), "3"], ids=repr)
@pytest.mark.parametrize("name", ["epochs", "batch_size"])
def test_classifier_epochs_and_batch_refuse_them_too_but_none_means_chosen_from_the_data(name, value):
    with pytest.raises(InvalidInputError):
        LSTMClassifier(**{name: value}).fit(CASES, LABELS)
    model = LSTMClassifier(
        **{name: None, "units": 2, "conv_filters": (), "conv_widths": (), "n_seeds": 1, "train_steps": 2}
    )
    assert model.fit(CASES, LABELS).epochs_run_[0] >= 1


@pytest.mark.parametrize("value", [0, -1, True, 2.5, 4.0, "3"], ids=repr)
def test_recipe_seeds_refuse_them_too_but_none_means_the_recipes_default(value, monkeypatch):
    with pytest.raises(InvalidInputError):
        recipes.run("airline", n_seeds=value, out_root=None)
    recipe = recipes.get("shampoo")
    monkeypatch.setattr(recipe, "execute", lambda variant, options: options)  # what it would run with
    assert recipe.run("faithful", n_seeds=None).n_seeds == recipe.default_seeds == 30


@pytest.mark.parametrize("value", [0, -1, True, 2.5, 4.0, "3"], ids=repr)
def test_backtest_step_refuses_them_too_but_none_means_the_horizon(value):
    with pytest.raises(InvalidInputError):
        backtest(NAIVE, Y, horizon=3, step=value, baselines=())
    scored = backtest(NAIVE, Y, horizon=3, n_windows=2, step=None, baselines=()).forecasts["ds"]
    assert scored.tolist() == list(range(len(Y) - 6, len(Y)))  # two windows of 3, side by side


BAD_SERIES = {
    "2-D": np.column_stack([Y[:24], Y[24:]]),
    "column": Y[:, None],
    "nan": np.r_[Y[:10], np.nan, Y[11:]],
    "inf": np.r_[Y[:10], np.inf, Y[11:]],
    "strings": np.array(["a", "b", "c"] * 16),
    "booleans": np.array([True, False] * 24),
    "empty": np.array([]),
    "dataframe": pd.DataFrame({"a": Y, "b": Y}),
}
SERIES_ENTRY_POINTS = {
    "LocalLSTM.fit": lambda y: LocalLSTM().fit(y),
    "GlobalLSTM.fit": lambda y: GlobalLSTM(horizon=3).fit(y),
    "Persistence.fit": lambda y: Persistence().fit(y),
    "predict_one_step": lambda y: Persistence().fit(Y).predict_one_step(y),
    "walk_forward": lambda y: walk_forward(NAIVE, y, test_size=5, baselines=()),
    "backtest": lambda y: backtest(NAIVE, y, horizon=3, baselines=()),
    "seasonal_naive_scale": lambda y: seasonal_naive_scale(y, 1),
    "recommended_params": lambda y: recommended_params(y),
    "Pipeline.fit": lambda y: Pipeline((StandardScale(),)).fit(y),
    "make_windows": lambda y: make_windows(y, 2),
}


@pytest.mark.parametrize("bad", BAD_SERIES)
@pytest.mark.parametrize("entry_point", SERIES_ENTRY_POINTS)
def test_every_series_argument_refuses_the_same_bad_arrays(entry_point, bad):
    with pytest.raises(InvalidInputError):
        SERIES_ENTRY_POINTS[entry_point](BAD_SERIES[bad])


@pytest.mark.parametrize("bad", ["nan", "inf", "strings", "booleans", "empty"])
def test_metrics_refuse_them_too(bad):
    values = BAD_SERIES[bad]
    with pytest.raises(InvalidInputError):
        rmse(values, values)


FRACTION_ENTRY_POINTS = {
    "NetworkSpec dropout": lambda v: NetworkSpec(dropout=v),
    "LocalLSTM recurrent_dropout": lambda v: LocalLSTM(recurrent_dropout=v).fit(Y),
    "LocalLSTM validation_size": lambda v: LocalLSTM(validation_size=v).fit(Y),
    "walk_forward test_size": lambda v: walk_forward(NAIVE, Y, test_size=v, baselines=()),
}


@pytest.mark.parametrize("value", [-0.1, 1.0, 1.5, float("nan"), float("inf"), True, "0.2"], ids=repr)
@pytest.mark.parametrize("entry_point", FRACTION_ENTRY_POINTS)
def test_every_fraction_refuses_the_same_bad_values(entry_point, value):
    with pytest.raises(InvalidInputError):
        FRACTION_ENTRY_POINTS[entry_point](value)


RATE_ENTRY_POINTS = {
    "TrainConfig learning_rate": lambda v: TrainConfig(learning_rate=v),
    "TrainConfig clip_norm": lambda v: TrainConfig(clip_norm=v),
    "LocalLSTM learning_rate": lambda v: LocalLSTM(learning_rate=v).fit(Y),
    "fit_many learning_rates": lambda v: fit_many(
        NetworkSpec(), np.zeros((4, 2, 1)), np.zeros(4), seeds=[0], learning_rates=[v], verbose=0
    ),
}


@pytest.mark.parametrize("value", [0, -1e-3, float("nan"), float("inf"), True, "0.01"], ids=repr)
@pytest.mark.parametrize("entry_point", RATE_ENTRY_POINTS)
def test_every_positive_number_refuses_the_same_bad_values(entry_point, value):
    with pytest.raises(InvalidInputError):
        RATE_ENTRY_POINTS[entry_point](value)


@pytest.mark.parametrize("value", [-1e-3, float("nan"), float("inf"), True, "0.01"], ids=repr)
def test_early_stopping_min_delta_may_be_zero_but_not_bad(value):
    assert EarlyStopping(min_delta=0).min_delta == 0.0
    with pytest.raises(InvalidInputError):
        EarlyStopping(min_delta=value)


# -- output paths -----------------------------------------------------------------------------------
def _writers():
    frame = pd.DataFrame({"a": [1.0]})
    return {
        "write_csv": lambda path, **kw: write_csv(path, frame, **kw),
        "write_json": lambda path, **kw: write_json(path, {"a": 1}, **kw),
        "plot_future": lambda path, **kw: plot_future(
            path, index=np.arange(48), y=Y, future_index=[48, 49], mean=[1.0, 2.0], **kw
        ),
        "save_network": lambda path, **kw: save_network(path, NetworkSpec(), _weights(), **kw),
        "LocalLSTM.save": lambda path, **kw: _tiny_lstm().save(path, **kw),
        "GlobalLSTM.save": lambda path, **kw: _tiny_global().save(path, **kw),
        "LSTMClassifier.save": lambda path, **kw: _tiny_classifier().save(path, **kw),
    }


def _weights():
    from lstmcast.nn import init_network

    return init_network(NetworkSpec(), 0)


_TINY = {}


def _tiny_lstm():
    if "model" not in _TINY:
        _TINY["model"] = LocalLSTM(look_back=2, units=2, epochs=1, batch_size=8).fit(Y)
    return _TINY["model"]


def _tiny_global():
    if "global" not in _TINY:
        _TINY["global"] = GlobalLSTM(horizon=3, look_back=4, units=2, epochs=1, n_seeds=1).fit(Y)
    return _TINY["global"]


def _tiny_classifier():
    if "classifier" not in _TINY:
        _TINY["classifier"] = LSTMClassifier(units=2, conv_filters=(2,), conv_widths=(3,), epochs=1, n_seeds=1).fit(
            CASES, LABELS
        )
    return _TINY["classifier"]


@pytest.mark.parametrize(
    "writer",
    [
        "write_csv",
        "write_json",
        "plot_future",
        "save_network",
        "LocalLSTM.save",
        "GlobalLSTM.save",
        "LSTMClassifier.save",
    ],
)
def test_every_writer_refuses_an_existing_file_and_a_missing_folder(writer, tmp_path):
    write = _writers()[writer]
    taken = tmp_path / "taken.out"
    taken.write_text("someone's file")
    with pytest.raises(OutputExistsError):
        write(taken)
    assert taken.read_text() == "someone's file"
    with pytest.raises(InvalidInputError, match="does not exist"):
        write(tmp_path / "typo" / "out.file")
    assert not (tmp_path / "typo").exists()
    write(taken, overwrite=True)
    assert taken.read_bytes() != b"someone's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.out"]  # no temporary file left


# -- the CLI options --------------------------------------------------------------------------------
@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "data.csv"
    dates = pd.date_range("2000-01-01", periods=48, freq="MS").strftime("%Y-%m")
    pd.DataFrame({"month": dates, "sales": Y.round(2)}).to_csv(path, index=False)
    ts = "@problemName tiny\n@classLabel true a b\n@data\n" + "".join(
        f"{','.join(f'{v:.3f}' for v in case[:, 0])}:{label}\n" for case, label in zip(CASES, LABELS)
    )
    (tmp_path / "cases.ts").write_text(ts)
    return path


CLI_OPTIONS = {
    "--horizon": lambda data, out, v: ["forecast", data, "--output", out, "--horizon", v],
    "--n-seeds": lambda data, out, v: ["forecast", data, "--output", out, "--horizon", 3, "--n-seeds", v],
    "--epochs": lambda data, out, v: ["forecast", data, "--output", out, "--horizon", 3, "--epochs", v],
    "--look-back": lambda data, out, v: ["forecast", data, "--output", out, "--horizon", 3, "--look-back", v],
    "--units": lambda data, out, v: ["forecast", data, "--output", out, "--horizon", 3, "--units", v],
    "--batch-size": lambda data, out, v: ["forecast", data, "--output", out, "--horizon", 3, "--batch-size", v],
    "--season": lambda data, out, v: ["forecast", data, "--output", out, "--horizon", 3, "--season", v],
    "--test-size": lambda data, out, v: ["evaluate", data, "--test-size", v],
    "--windows": lambda data, out, v: ["evaluate", data, "--test-size", 6, "--windows", v],
    "recipe --n-seeds": lambda data, out, v: ["recipe", "run", "airline", "--n-seeds", v, "--out", out.parent],
    "classify --n-seeds": lambda data, out, v: [
        "classify",
        data.parent / "cases.ts",
        data.parent / "cases.ts",
        "--output",
        out,
        "--n-seeds",
        v,
    ],
    "classify --epochs": lambda data, out, v: [
        "classify",
        data.parent / "cases.ts",
        data.parent / "cases.ts",
        "--output",
        out,
        "--epochs",
        v,
    ],
    "classify --units": lambda data, out, v: [
        "classify",
        data.parent / "cases.ts",
        data.parent / "cases.ts",
        "--output",
        out,
        "--units",
        v,
    ],
    "toy recipe --n-seeds": lambda data, out, v: [
        "recipe",
        "run",
        "toy-classifier",
        "--n-seeds",
        v,
        "--out",
        out.parent,
    ],
}


@pytest.mark.parametrize("value", ["0", "-1", "2.5", "nan", "inf", "true"])
@pytest.mark.parametrize("option", CLI_OPTIONS)
def test_every_cli_count_option_refuses_them_in_one_line(option, value, csv_file, tmp_path, monkeypatch, capsys):
    output = tmp_path / "out.csv"
    monkeypatch.setattr(sys, "argv", ["lstmcast", *map(str, CLI_OPTIONS[option](csv_file, output, value))])
    with pytest.raises(SystemExit) as exit:
        main()
    err = capsys.readouterr().err
    assert exit.value.code == 2
    assert err.startswith("lstmcast: error:") and err.count("\n") == 1, err
    assert not output.exists() and not (tmp_path / "airline").exists()


# -- the rules themselves ---------------------------------------------------------------------------
def test_the_rules_decided_once():
    assert positive_int(np.int64(3), "n") == 3 and type(positive_int(np.int64(3), "n")) is int
    with pytest.raises(InvalidInputError, match=r"a float; pass 4"):
        positive_int(4.0, "n")
    assert count_or_fraction(0.25, "size", 10) == 2 and count_or_fraction(3, "size", 10) == 3
    assert count_or_fraction(0.01, "size", 10) == 1  # a fraction means at least one
    assert fraction(0.0, "rate", include_zero=True) == 0.0
    with pytest.raises(InvalidInputError):
        fraction(0.0, "rate")
    assert number(1e-3, "lr", above=0.0) == 1e-3
    values = np.array([1, 2, 3])
    copied = series_values(values, "y")
    copied[0] = 99
    assert values[0] == 1 and copied.dtype == np.float64  # always a new float64 array
    assert series_values(pd.Series([1.0, 2.0]), "y").tolist() == [1.0, 2.0]


def test_output_path_rules(tmp_path):
    assert output_path(tmp_path / "new.csv", overwrite=False) == tmp_path / "new.csv"
    with pytest.raises(InvalidInputError, match="is a folder"):
        output_path(tmp_path, overwrite=True)
    (tmp_path / "old.csv").write_text("x")
    with pytest.raises(OutputExistsError, match="--overwrite"):
        output_path(tmp_path / "old.csv", overwrite=False)
    assert issubclass(OutputExistsError, LstmcastError) and issubclass(InvalidInputError, LstmcastError)
