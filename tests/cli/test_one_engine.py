"""One evaluation engine behind every command, and one JSON object from every command that
prints a table, so scripts never parse tables."""

import json

import numpy as np
import pandas as pd
import pytest

from lstmcast.evaluate import mase, smape
from tests.cli.test_cli import run_cli
from tests.cli.test_panel_cli import long_csv

FAST = ["--epochs", 2, "--n-seeds", 2, "--units", 4]


@pytest.fixture
def airline_csv(tmp_path):
    from lstmcast.datasets import load

    path = tmp_path / "air.csv"
    load("airline").to_frame().to_csv(path)
    return path


def test_evaluate_and_cross_validate_give_the_same_scores_for_one_series(monkeypatch, capsys, airline_csv, tmp_path):
    """The same series, models and cut-offs (two of 12 months at the end): the backtest of
    ``lstmcast evaluate`` and ``lstmcast cross-validate`` report the same sMAPE and MASE, and
    they are what the forecasts written by cross-validate give, scaled per cut-off."""
    code, out, err = run_cli(
        monkeypatch,
        capsys,
        "evaluate",
        airline_csv,
        "--test-size",
        24,
        "--horizon",
        12,
        "--windows",
        2,
        *FAST,
        "--json",
    )
    assert code == 0, err
    backtest = json.loads(out)["backtest"]["models"]
    forecasts = tmp_path / "forecasts.csv"
    code, out, err = run_cli(
        monkeypatch, capsys, "cross-validate", airline_csv, "-h", 12, "--windows", 2, *FAST, "--json",
        "--forecasts", forecasts,
    )  # fmt: skip
    assert code == 0, err
    crossed = json.loads(out)["models"]
    assert set(backtest) == set(crossed) == {"lstm", "naive2", "seasonal_naive", "auto_ets", "auto_theta"}
    for model in crossed:
        for metric in ("smape", "mase"):
            assert backtest[model][metric] == pytest.approx(crossed[model][metric], rel=1e-12), (model, metric)
    # and independently: mean over the two cut-offs, MASE scaled by the data before each
    y = pd.read_csv(airline_csv)["passengers"].to_numpy()
    frame = pd.read_csv(forecasts)
    for model in crossed:
        smapes, mases = [], []
        for k, cut in enumerate((len(y) - 24, len(y) - 12)):
            window = frame.iloc[12 * k : 12 * (k + 1)]
            assert np.allclose(window["y"], y[cut : cut + 12])
            smapes.append(smape(y[cut : cut + 12], window[model].to_numpy()))
            mases.append(
                np.mean(np.abs(y[cut : cut + 12] - window[model])) / np.mean(np.abs(y[12:cut] - y[: cut - 12]))
            )
        assert crossed[model]["smape"] == pytest.approx(np.mean(smapes), rel=1e-9)
        assert crossed[model]["mase"] == pytest.approx(np.mean(mases), rel=1e-9)
        assert mases[0] == pytest.approx(mase(y[-24:-12], frame[model][:12], y_train=y[:-24], season=12))


def test_every_table_command_prints_one_json_object(monkeypatch, capsys, airline_csv, tmp_path):
    long_csv(tmp_path / "panel.csv", n_series=6)
    commands = {
        "evaluate": ["evaluate", airline_csv, "--test-size", 12, "--windows", 1, *FAST],
        "search": ["search", airline_csv, "--grid", "units=2,3", "--windows", 2, "--epochs", 2, "--n-seeds", 1],
        "cross-validate": ["cross-validate", tmp_path / "panel.csv", "-h", 3, *FAST],
    }
    for name, args in commands.items():
        code, out, err = run_cli(monkeypatch, capsys, *args, "--json")
        assert code == 0, (name, err)
        summary = json.loads(out)  # one object, nothing else on stdout
        assert isinstance(summary, dict), name
        models = summary["backtest"]["models"] if name == "evaluate" else summary.get("models")
        if name == "search":
            assert [c["params"]["units"] for c in summary["configurations"]] == [2, 3]
        else:
            assert {"lstm", "naive2"} <= set(models) and all(
                "smape" in row and "mase" in row for row in models.values()
            )


@pytest.mark.timeout(120)  # the code before this test looped forever on a level it never checked
@pytest.mark.parametrize("level", [150, 100])
def test_an_impossible_interval_level_on_a_panel_is_one_line_before_any_training(monkeypatch, capsys, tmp_path, level):
    long_csv(tmp_path / "panel.csv", n_series=6)
    output = tmp_path / "fc.csv"
    code, out, err = run_cli(
        monkeypatch, capsys, "forecast", tmp_path / "panel.csv", "-h", 3, "-o", output, "--level", level, *FAST
    )
    assert code == 2 and err.count("\n") == 1 and "between 0 and 100" in err
    assert "one network" not in out and not output.exists()  # refused before the network was built
