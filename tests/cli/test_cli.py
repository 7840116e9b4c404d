"""The command line as a user meets it: exit codes, one-line errors, files written or not."""

import json
import sys

import numpy as np
import pandas as pd
import pytest

from lstmcast import __version__
from lstmcast.cli import main
from lstmcast.datasets import load
from lstmcast.report import format_value


def run_cli(monkeypatch, capsys, *args):
    monkeypatch.setattr(sys, "argv", ["lstmcast", *map(str, args)])
    try:
        main()
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def monthly_csv(tmp_path):
    months = pd.date_range("2000-01-01", periods=72, freq="MS")
    t = np.arange(72)
    values = 100 + t + 10 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(0).normal(0, 1, 72)
    path = tmp_path / "sales.csv"
    pd.DataFrame({"month": months.strftime("%Y-%m"), "sales": values.round(2)}).to_csv(path, index=False)
    return path


def test_version_and_help(monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, "--version")
    assert code == 0 and out.strip() == f"lstmcast {__version__}"
    code, out, _ = run_cli(monkeypatch, capsys, "--help")
    assert code == 0 and "recipe" in out and "forecast" in out and "evaluate" in out


def test_recipe_list_names_every_recipe(monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, "recipe", "list")
    assert code == 0
    for name in ("airline", "milk", "shampoo", "sunspots"):
        assert name in out


def test_forecast_writes_dates_at_the_series_frequency(monkeypatch, capsys, monthly_csv, tmp_path):
    output, plot = tmp_path / "forecast.csv", tmp_path / "forecast.png"
    code, out, err = run_cli(
        monkeypatch,
        capsys,
        "forecast",
        monthly_csv,
        "--date-col",
        "month",
        "--value-col",
        "sales",
        "--horizon",
        6,
        "--epochs",
        3,
        "--n-seeds",
        2,
        "--output",
        output,
        "--plot",
        plot,
        "--spread",
    )
    assert code == 0, err
    frame = pd.read_csv(output, parse_dates=["ds"])
    assert list(frame.columns[:2]) == ["ds", "lstm"]
    assert list(frame["ds"]) == list(pd.date_range("2006-01-01", periods=6, freq="MS"))
    assert np.all(np.isfinite(frame["lstm"])) and np.all(frame["lstm-min"] <= frame["lstm-max"])
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_forecast_never_overwrites_without_being_asked(monkeypatch, capsys, monthly_csv, tmp_path):
    output = tmp_path / "forecast.csv"
    output.write_text("precious")
    code, _, err = run_cli(monkeypatch, capsys, "forecast", monthly_csv, "--horizon", 3, "--output", output)
    assert code == 2 and err.startswith("lstmcast: error:") and "--overwrite" in err
    assert output.read_text() == "precious"


@pytest.mark.parametrize(
    "content, args, message",
    [
        (None, ["--horizon", 3], "no file"),
        ("month,sales\n2000-01,5\n2000-02,5\n2000-03,5\n", ["--horizon", 3], "constant"),
        ("month,sales\n2000-01,1\n2000-02,abc\n2000-03,3\n", ["--horizon", 3], "abc"),
        ("month,sales\n2000-01,1\n2000-03,2\n2000-02,3\n", ["--horizon", 3], "sort"),
        ("month,sales\n2000-01,1\n2000-02,2\n", ["--horizon", 0], "horizon"),
    ],
)
def test_bad_input_is_one_line_and_status_2(monkeypatch, capsys, tmp_path, content, args, message):
    data = tmp_path / "data.csv"
    if content is not None:
        data.write_text(content)
    output = tmp_path / "out.csv"
    code, out, err = run_cli(monkeypatch, capsys, "forecast", data, *args, "--output", output)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("lstmcast: error:"), err
    assert message in err.lower()
    assert not output.exists()


def test_recipe_run_json_and_run_folder(monkeypatch, capsys, tmp_path):
    code, out, err = run_cli(
        monkeypatch, capsys, "recipe", "run", "airline", "--epochs", 2, "--n-seeds", 2, "--json", "--out", tmp_path
    )
    assert code == 0, err
    summary = json.loads(out)
    assert summary["recipe"] == "airline" and summary["variant"] == "faithful" and summary["seeds"] == 2
    assert set(summary["test_rmse"]) >= {
        "lstm_mean",
        "lstm_std",
        "lstm_ensemble",
        "persistence",
        "seasonal_naive",
        "auto_ets",
        "auto_arima",
    }
    assert summary["seconds"] > 0
    # The tutorial's points y[97:143], each predicted by persistence from the value before it.
    y = load("airline").to_numpy()
    assert summary["test_rmse"]["persistence"] == pytest.approx(
        np.sqrt(np.mean((y[97:143] - y[96:142]) ** 2)), rel=1e-12
    )
    run_dir = tmp_path / summary["run_dir"].split("/")[-1]
    assert sorted(p.name for p in run_dir.iterdir()) == [
        "config.json",
        "forecast.png",
        "metrics.json",
        "predictions.csv",
        "training.png",
    ]
    predictions = pd.read_csv(run_dir / "predictions.csv")
    scored = predictions[predictions["scored"]]
    assert len(scored) == 46 and np.allclose(scored["persistence"], predictions["y"].shift(1)[predictions["scored"]])


def test_unknown_recipe_and_conflicting_variants(monkeypatch, capsys, tmp_path):
    code, _, err = run_cli(monkeypatch, capsys, "recipe", "run", "airplane", "--out", tmp_path)
    assert code == 2 and "airline" in err
    code, _, err = run_cli(monkeypatch, capsys, "recipe", "run", "airline", "--fixed", "--improved", "--out", tmp_path)
    assert code == 2 and "at most one" in err


def test_evaluate_prints_both_tables_with_every_model(monkeypatch, capsys, monthly_csv):
    code, out, err = run_cli(
        monkeypatch,
        capsys,
        "evaluate",
        monthly_csv,
        "--test-size",
        12,
        "--windows",
        2,
        "--epochs",
        3,
        "--n-seeds",
        2,
    )
    assert code == 0, err
    assert "one-step walk-forward on 12 test points" in out and "multi-step backtest: 2 cut-off(s), 12 values" in out
    one_step, multi_step = out.split("multi-step backtest")
    for name in ("lstm", "seasonal_naive", "auto_ets"):
        assert name in one_step and name in multi_step
    for name in ("persistence", "auto_arima"):  # one-step baselines (AutoARIMA joins the backtest with --arima)
        assert name in one_step and name not in multi_step
    for name in ("naive2", "auto_theta"):  # Theta would leak one step ahead; Naive2 is OWA's reference
        assert name in multi_step and name not in one_step
    assert "OWA" in multi_step
    y = pd.read_csv(monthly_csv)["sales"].to_numpy()
    persistence = np.sqrt(np.mean((y[-12:] - y[-13:-1]) ** 2))
    row = next(line for line in one_step.splitlines() if "persistence" in line)
    assert format_value(persistence) in row


def test_evaluate_refuses_a_test_part_that_leaves_too_little_training(monkeypatch, capsys, monthly_csv):
    code, _, err = run_cli(monkeypatch, capsys, "evaluate", monthly_csv, "--test-size", 60)
    assert code == 2 and err.count("\n") == 1 and "--test-size" in err


def test_usage_errors_are_one_line_too(monkeypatch, capsys, monthly_csv, tmp_path):
    for args in (
        ["forecast", monthly_csv, "--horizon", "2.5", "--output", tmp_path / "f.csv"],
        ["forecast"],
        ["evaluate", monthly_csv],
    ):
        code, _, err = run_cli(monkeypatch, capsys, *args)
        assert code == 2 and err.count("\n") == 1 and err.startswith("lstmcast: error:"), err


def test_an_output_in_a_missing_folder_is_refused_before_training(monkeypatch, capsys, monthly_csv, tmp_path):
    output = tmp_path / "no-such-folder" / "forecast.csv"
    code, _, err = run_cli(monkeypatch, capsys, "forecast", monthly_csv, "--horizon", 3, "--output", output)
    assert code == 2 and "does not exist" in err
    assert not output.parent.exists()


def test_recipe_gridsearch_json_lists_every_configuration(monkeypatch, capsys, tmp_path):
    code, out, err = run_cli(
        monkeypatch,
        capsys,
        "recipe",
        "run",
        "gridsearch",
        "--fixed",
        "--epochs",
        2,
        "--n-seeds",
        1,
        "--json",
        "--out",
        tmp_path,
    )
    assert code == 0, err
    summary = json.loads(out)
    assert {"recipe", "variant", "seconds", "configurations", "best_params", "test_rmse"} <= set(summary)
    configurations = summary["configurations"]
    assert len(configurations) == 20 and set(configurations[0]) >= {"params", "score_mean", "score_std", "seconds"}
    best = min(configurations, key=lambda c: c["score_mean"])
    assert summary["best_params"] == best["params"] and summary["settings"]["units"] == best["params"]["units"]
    assert {"lstm_mean", "lstm_median", "persistence", "auto_arima"} <= set(summary["test_rmse"])


def test_recipe_table_names_the_model_with_the_lowest_test_rmse(monkeypatch, capsys, tmp_path):
    code, out, err = run_cli(
        monkeypatch, capsys, "recipe", "run", "airline", "--epochs", 2, "--n-seeds", 2, "--out", tmp_path
    )
    assert code == 0, err
    config = json.loads(next(tmp_path.glob("airline-faithful-*/metrics.json")).read_text())
    rmse = config["test_rmse"]
    models = {"LSTM (mean of seeds)": rmse["lstm_mean"], "LSTM ensemble": rmse["lstm_ensemble"]}
    models.update({alias: rmse[alias] for alias in ("persistence", "seasonal_naive", "auto_ets", "auto_arima")})
    best = min(models, key=models.get)
    line = next(line for line in out.splitlines() if line.startswith("Lowest test RMSE"))
    assert line == f"Lowest test RMSE: {best} ({models[best]:.4g})."
