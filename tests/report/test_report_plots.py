"""The figures: valid PNGs of the expected size, dates or integers on x, never over a user's file."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from lstmcast.errors import InvalidInputError, OutputExistsError
from lstmcast.report import plot_forecast, plot_future, plot_training_curves
from lstmcast.report.plots import DPI, FIGSIZE, _row_major

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_png(path):
    from matplotlib.image import imread

    assert path.read_bytes()[:8] == PNG_SIGNATURE
    height, width = imread(path).shape[:2]
    assert (width, height) == (round(FIGSIZE[0] * DPI), round(FIGSIZE[1] * DPI))
    assert [p.name for p in path.parent.iterdir()] == [path.name], "a temporary file was left behind"


def series(kind, n=48):
    y = 100 + 10 * np.sin(np.arange(n) / 2) + np.arange(n)
    if kind == "dates":
        return pd.date_range("2000-01-01", periods=n, freq="MS", name="month"), y
    if kind == "periods":
        return pd.period_range("2000-01", periods=n, freq="M"), y
    if kind == "utc":
        return pd.date_range("2000-01-01", periods=n, freq="D", tz="UTC"), y
    return np.arange(n), y


@pytest.mark.parametrize("kind", ["dates", "integers", "periods", "utc"])
def test_plot_forecast_writes_png(tmp_path, kind):
    index, y = series(kind)
    split = 32
    pred = np.r_[np.nan, y[:-1]]
    path = plot_forecast(
        tmp_path / "forecast.png",
        index=index,
        y=y,
        train_pred=(index[:split], pred[:split]),
        test_pred=(index[split:], pred[split:]),
        test_band=(index[split:], pred[split:] - 5, pred[split:] + 5),
        baselines={"persistence": (index[split:], pred[split:]), "mean": (index[split:], np.full(16, y[:split].mean()))},
        title="t",
        ylabel="y",
    )
    assert path == tmp_path / "forecast.png"
    assert_png(path)


def test_plot_forecast_series_only_and_column_vectors(tmp_path):
    index, y = series("dates")
    assert_png(plot_forecast(tmp_path / "a.png", index=index, y=y[:, None]))


@pytest.mark.parametrize("kind", ["dates", "integers"])
def test_plot_future_writes_png(tmp_path, kind):
    index, y = series(kind)
    future = pd.date_range(index[-1], periods=13, freq="MS")[1:] if kind == "dates" else np.arange(48, 60)
    mean = y[-12:] + 5
    assert_png(plot_future(tmp_path / "f.png", index=index, y=y, future_index=future, mean=mean, lower=mean - 3, upper=mean + 3))


def test_plot_future_without_band(tmp_path):
    index, y = series("integers")
    assert_png(plot_future(tmp_path / "f.png", index=index, y=y, future_index=[48], mean=[150.0]))


def test_plot_future_needs_both_band_edges(tmp_path):
    index, y = series("integers")
    with pytest.raises(InvalidInputError, match="both"):
        plot_future(tmp_path / "f.png", index=index, y=y, future_index=[48], mean=[1.0], lower=[0.0])
    assert not (tmp_path / "f.png").exists()


def test_training_curves_1d(tmp_path):
    loss = np.linspace(1.0, 0.1, 30)
    assert_png(plot_training_curves(tmp_path / "c.png", history={"loss": loss, "val_loss": loss * 1.2}))


def test_training_curves_2d_with_nan_tails(tmp_path):
    loss = np.full((3, 40), np.nan)
    for m, stop in enumerate([40, 25, 12]):
        loss[m, :stop] = np.exp(-np.arange(stop) / 3)  # spans > 2 decades: log y axis
    val = loss * 1.1
    val[:, -1] = np.nan  # an epoch where no model reports: a gap, not a warning
    assert_png(plot_training_curves(tmp_path / "c.png", history={"loss": loss, "val_loss": val}, title="ensemble"))


def test_training_curves_reject_bad_shapes(tmp_path):
    with pytest.raises(InvalidInputError):
        plot_training_curves(tmp_path / "c.png", history={})
    with pytest.raises(InvalidInputError, match="1-D"):
        plot_training_curves(tmp_path / "c.png", history={"loss": np.zeros((2, 3, 4))})


def test_mismatched_lengths_raise(tmp_path):
    index, y = series("integers")
    with pytest.raises(InvalidInputError, match="one value per index entry"):
        plot_forecast(tmp_path / "x.png", index=index, y=y[:-1])
    with pytest.raises(InvalidInputError, match="pair"):
        plot_forecast(tmp_path / "x.png", index=index, y=y, test_pred=y)


@pytest.mark.parametrize("which", ["forecast", "future", "curves"])
def test_refuses_to_overwrite_and_leaves_file_intact(tmp_path, which):
    index, y = series("integers")
    calls = {
        "forecast": lambda p, **kw: plot_forecast(p, index=index, y=y, **kw),
        "future": lambda p, **kw: plot_future(p, index=index, y=y, future_index=[48], mean=[1.0], **kw),
        "curves": lambda p, **kw: plot_training_curves(p, history={"loss": [1.0, 0.5]}, **kw),
    }
    path = tmp_path / "mine.png"
    path.write_bytes(b"a user's file")
    with pytest.raises(OutputExistsError, match="overwrite"):
        calls[which](path)
    assert path.read_bytes() == b"a user's file"
    calls[which](path, overwrite=True)
    assert_png(path)


def test_legend_reads_row_by_row():
    # matplotlib fills legend columns top to bottom; 6 entries in 3 columns must read 0 1 2 / 3 4 5.
    assert _row_major(6, 3) == [0, 3, 1, 4, 2, 5]
    assert _row_major(4, 4) == [0, 1, 2, 3]
    assert sorted(_row_major(11, 4)) == list(range(11))


def test_importing_report_is_cheap():
    code = "import sys, lstmcast.report; print(sorted({'matplotlib', 'numpy', 'pandas', 'rich'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
