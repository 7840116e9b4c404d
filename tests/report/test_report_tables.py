"""The comparison table: readable numbers, visible gaps, plain-text rendering."""

import numpy as np
import pytest

from lstmcast.errors import InvalidInputError
from lstmcast.report import format_value, metrics_table, render

ROWS = [
    {"model": "lstm (mean of 5 seeds)", "train_rmse": 23.1, "test_rmse": 48.2345, "seconds": 1.2},
    {"model": "persistence", "train_rmse": np.float64(21.77), "test_rmse": 61.0, "seconds": 0.000123},
    {"model": "AutoARIMA", "train_rmse": None, "test_rmse": float("nan"), "seconds": 12345.6},
]


def test_metrics_table_renders_numbers_and_none():
    text = render(
        metrics_table(ROWS, title="Airline passengers", columns=["model", "train_rmse", "test_rmse", "seconds"])
    )
    assert "Airline passengers" in text
    for cell in ["lstm (mean of 5 seeds)", "23.1", "48.23", "21.77", "61.0", "0.000123", "12,346", "—"]:
        assert cell in text, cell
    autoarima = next(line for line in text.splitlines() if "AutoARIMA" in line)
    assert autoarima.count("—") == 2
    assert "\x1b" not in text  # plain text, no terminal control codes


def test_columns_as_mapping_and_missing_keys():
    table = metrics_table([{"model": "naive"}], title="", columns={"model": "Model", "mase": "MASE"})
    text = render(table, width=40)
    assert "Model" in text and "MASE" in text and "—" in text
    assert max(len(line) for line in text.splitlines()) <= 40


@pytest.mark.parametrize(
    "value, text",
    [
        (None, "—"),
        (float("nan"), "—"),
        (3, "3"),
        (12000, "12,000"),
        (0.0, "0"),
        (1.23456, "1.235"),
        (61.0, "61.0"),
        (-0.5, "-0.5"),
        (2.5e-7, "2.5e-07"),
        (float("inf"), "∞"),
        (True, "True"),
        ("x", "x"),
    ],
)
def test_format_value(value, text):
    assert format_value(value) == text


def test_metrics_table_rejects_bad_input():
    with pytest.raises(InvalidInputError):
        metrics_table([], title="t", columns=[])
    with pytest.raises(InvalidInputError):
        metrics_table([("lstm", 1.0)], title="t", columns=["model"])
