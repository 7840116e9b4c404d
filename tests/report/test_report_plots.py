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
    path = tmp_path / "forecast.png"
    figure = plot_forecast(
        path,
        index=index,
        y=y,
        train_pred=(index[:split], pred[:split]),
        test_pred=(index[split:], pred[split:]),
        test_band=(index[split:], pred[split:] - 5, pred[split:] + 5),
        baselines={
            "persistence": (index[split:], pred[split:]),
            "mean": (index[split:], np.full(16, y[:split].mean())),
        },
        title="t",
        ylabel="y",
    )
    assert_png(path)
    ax = figure.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert [label for label in lines if not label.startswith("_")] == [
        "observed",
        "LSTM (train)",
        "LSTM (test)",
        "persistence",
        "mean",
    ]
    np.testing.assert_array_equal(lines["observed"].get_ydata(), y)
    np.testing.assert_array_equal(lines["LSTM (test)"].get_ydata(), pred[split:])
    np.testing.assert_array_equal(lines["mean"].get_ydata(), np.full(16, y[:split].mean()))
    assert lines["persistence"].get_linestyle() == "--"
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    assert "LSTM spread" in legend and ax.get_title() == "t" and ax.get_ylabel() == "y"


def test_plot_forecast_series_only_and_no_column_vectors(tmp_path):
    index, y = series("dates")
    figure = plot_forecast(tmp_path / "a.png", index=index, y=y)
    assert_png(tmp_path / "a.png")
    assert [line.get_label() for line in figure.axes[0].get_lines()] == ["observed"]
    with pytest.raises(InvalidInputError, match="one value per index entry"):  # (n, 1) is not silently flattened
        plot_forecast(tmp_path / "b.png", index=index, y=y[:, None])


@pytest.mark.parametrize("kind", ["dates", "integers"])
def test_plot_future_writes_png(tmp_path, kind):
    index, y = series(kind)
    future = pd.date_range(index[-1], periods=13, freq="MS")[1:] if kind == "dates" else np.arange(48, 60)
    mean = y[-12:] + 5
    figure = plot_future(
        tmp_path / "f.png",
        index=index,
        y=y,
        future_index=future,
        mean=mean,
        lower=mean - 3,
        upper=mean + 3,
        band_label="band",
    )
    assert_png(tmp_path / "f.png")
    lines = {line.get_label(): line for line in figure.axes[0].get_lines()}
    np.testing.assert_array_equal(lines["forecast"].get_ydata(), mean)
    np.testing.assert_array_equal(lines["observed"].get_ydata(), y)
    assert "band" in [text.get_text() for text in figure.legends[0].get_texts()]


def test_plot_future_without_band(tmp_path):
    index, y = series("integers")
    figure = plot_future(tmp_path / "f.png", index=index, y=y, future_index=[48], mean=[150.0])
    assert_png(tmp_path / "f.png")
    assert [text.get_text() for text in figure.legends[0].get_texts()] == ["observed", "forecast"]


def test_plot_future_needs_both_band_edges(tmp_path):
    index, y = series("integers")
    with pytest.raises(InvalidInputError, match="both"):
        plot_future(tmp_path / "f.png", index=index, y=y, future_index=[48], mean=[1.0], lower=[0.0])
    assert not (tmp_path / "f.png").exists()


def test_training_curves_1d(tmp_path):
    loss = np.linspace(1.0, 0.1, 30)
    figure = plot_training_curves(tmp_path / "c.png", history={"loss": loss, "val_loss": loss * 1.2})
    assert_png(tmp_path / "c.png")
    lines = {line.get_label(): line for line in figure.axes[0].get_lines()}
    np.testing.assert_array_equal(lines["val_loss"].get_ydata(), loss * 1.2)
    assert figure.axes[0].get_yscale() == "linear"  # one decade only


def test_training_curves_2d_with_nan_tails(tmp_path):
    loss = np.full((3, 40), np.nan)
    for m, stop in enumerate([40, 25, 12]):
        loss[m, :stop] = np.exp(-np.arange(stop) / 3)  # spans > 2 decades: log y axis
    val = loss * 1.1
    val[:, -1] = np.nan  # an epoch where no model reports: a gap, not a warning
    figure = plot_training_curves(tmp_path / "c.png", history={"loss": loss, "val_loss": val}, title="ensemble")
    assert_png(tmp_path / "c.png")
    ax = figure.axes[0]
    assert ax.get_yscale() == "log" and ax.get_title() == "ensemble"
    assert len(ax.get_lines()) == 2 * (3 + 1)  # each model thinly, and the mean of the models still training
    mean = {line.get_label(): line.get_ydata() for line in ax.get_lines()}["loss (mean of 3 models)"]
    expected = [np.mean(loss[:, e][np.isfinite(loss[:, e])]) for e in range(40)]
    np.testing.assert_allclose(mean, expected, rtol=1e-12)


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
