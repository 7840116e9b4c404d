"""What a recipe's run shows: the table and the lines under it, built from a summary, printed by
``console.print(*renderables)`` one line each."""

import io

from rich.console import Console

from lstmcast.report import classification_recipe_report, forecast_recipe_report


def metrics(rmse):
    if rmse is None:  # a model that could not forecast every point
        return {"rmse": None, "mae": None, "smape": None, "mase": None}
    return {"rmse": rmse, "mae": rmse / 2, "smape": 10.0, "mase": 1.5}


FORECAST = {
    "title": "Airline passengers",
    "variant": "faithful",
    "seeds": 5,
    "test_rmse": {
        "lstm_mean": 49.7,
        "lstm_std": 3.09,
        "lstm_ensemble": 49.0,
        "persistence": 48.66,
        "auto_arima": 14.92,
        "auto_ets": None,
    },
    "train_rmse": {"lstm_mean": 23.3, "lstm_std": 0.33},
    "metrics": {
        "lstm": metrics(49.0),
        "persistence": metrics(48.66),
        "auto_arima": metrics(14.92),
        "auto_ets": metrics(None),
    },
    "model_seconds": {"lstm": 2.37, "persistence": 0.0, "auto_arima": 0.65, "auto_ets": 4.0},
    "measured_on": "one-step walk-forward on 46 test points",
    "deviations": ["the scaler leaks the test range (y[0:96])", "create_dataset() drops a window"],
}
CLASSIFICATION = {
    "title": "Toy classifier",
    "variant": "faithful",
    "seeds": 2,
    "per_seed": [
        {
            "seed": 0,
            "keras_binary_accuracy": 1.0,
            "class_accuracy": 1.0,
            "predicted_classes": [1, 2, 3, 2, 3, 1],
            "new_sequence_class": 1,
        },
        {
            "seed": 1,
            "keras_binary_accuracy": 0.9583,
            "class_accuracy": 0.8333,
            "predicted_classes": [1, 2, 3, 2, 2, 1],
            "new_sequence_class": 2,
        },
    ],
    "ensemble": {"class_accuracy": 0.8333, "new_sequence_class": 1},
    "measured_on": "the six training sequences",
    "seeds_with_every_class_right": 1,
    "deviations": ["every score is on the training sequences"],
}


def printed(renderables, width=200):
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(*renderables)  # as the command line prints them
    return console.file.getvalue().splitlines()


def test_forecast_report_names_the_lowest_rmse_and_lists_each_deviation_on_its_own_line():
    lines = printed(forecast_recipe_report(FORECAST))
    assert "Airline passengers: faithful" in lines[0]
    row = next(line for line in lines if "LSTM (5 seeds)" in line)
    assert "49.7 ± 3.1" in row and "23.3 ± 0.33" in row and "2.37" in row
    assert next(line for line in lines if "auto_ets" in line).count("—") >= 4  # no figure is shown as a zero
    notes = lines[lines.index(next(line for line in lines if line.startswith("Measured on"))) :]
    assert notes == [
        "Measured on: one-step walk-forward on 46 test points; 'LSTM (N seeds)' is the mean ± std of the seeds' "
        "scores.",
        "Lowest test RMSE: auto_arima (14.92).",
        "- the scaler leaks the test range (y[0:96])",
        "- create_dataset() drops a window",
    ]
    with_folder = printed(forecast_recipe_report({**FORECAST, "run_dir": "runs/airline-1", "seconds": 10.84}))
    assert with_folder[-1] == "Run folder: runs/airline-1  (10.8 s in all)"


def test_classification_report_shows_keras_accuracy_only_where_the_variant_has_it():
    lines = printed(classification_recipe_report(CLASSIFICATION))
    assert "Keras 'accuracy'" in lines[2] and "1 2 3 2 2 1" in next(line for line in lines if "0.9583" in line)
    assert lines[-3:] == [
        "'mean': the ensemble (the seeds' outputs averaged). Keras 'accuracy': binary accuracy over the 24 one-hot "
        "cells.",
        "Measured on: the six training sequences. True classes: 1 2 3 2 3 1; the notebook classified the new sequence "
        "[0 0 0 0 0 1] as 1. 1 of 2 seeds get every class right.",
        "- every score is on the training sequences",
    ]
    improved = {
        **CLASSIFICATION,
        "per_seed": [{k: v for k, v in s.items() if k != "keras_binary_accuracy"} for s in CLASSIFICATION["per_seed"]],
    }
    lines = printed(classification_recipe_report(improved))
    assert not any("Keras" in line for line in lines)
    assert lines[-3] == "'mean': the ensemble (the seeds' outputs averaged)."


def test_one_seed_has_no_standard_deviation_to_show():
    one = {**FORECAST, "seeds": 1, "test_rmse": {**FORECAST["test_rmse"], "lstm_std": None}}
    one["train_rmse"] = {"lstm_mean": 23.3, "lstm_std": None}
    row = next(line for line in printed(forecast_recipe_report(one)) if "LSTM (1 seeds)" in line)
    assert "49.7" in row and "23.3" in row and "±" not in row
