"""Figures that show a forecast beside its baselines, how training went, and the future.

Each function draws on a private ``matplotlib.figure.Figure`` rendered by the Agg canvas, so
nothing touches pyplot's global state (safe in threads, servers and notebooks alike), and
matplotlib is imported only when a figure is drawn, so ``import lstmcast.report`` stays cheap.
The PNG is rendered in memory and written with ``write_atomic``: an interrupted run never leaves
a half-written image, and an existing file is only replaced when ``overwrite=True``.

Series are given as ``(index, values)``: the index may be a ``DatetimeIndex`` (dates on the x
axis), a ``PeriodIndex`` or plain integers; NaN values leave gaps rather than failing.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from lstmcast._checks import output_path
from lstmcast._io import write_atomic
from lstmcast.errors import InvalidInputError

__all__ = ["plot_forecast", "plot_training_curves", "plot_future"]

# The tutorials' colours: the series in blue, train predictions orange, test predictions green.
SERIES_COLOR = "tab:blue"
TRAIN_COLOR = "tab:orange"
TEST_COLOR = "tab:green"
FUTURE_COLOR = "tab:red"
BASELINE_COLORS = ("tab:purple", "tab:brown", "tab:gray", "tab:olive", "tab:pink", "tab:cyan")
FIGSIZE = (10.0, 5.0)  # inches; at DPI this is a 1000 x 500 pixel PNG
DPI = 100

Pair = tuple[Any, Any]


def plot_forecast(
    path: str | os.PathLike,
    *,
    index: Any,
    y: Any,
    train_pred: Pair | None = None,
    test_pred: Pair | None = None,
    test_band: tuple[Any, Any, Any] | None = None,
    baselines: Mapping[str, Pair] | None = None,
    title: str = "",
    ylabel: str = "",
    band_label: str = "LSTM spread",
    overwrite: bool = False,
) -> Figure:
    """Draw the series with the LSTM's fitted and test predictions and the baselines beside them.

    The tutorials' figure, made comparable: the whole series in blue, the LSTM's predictions on
    the training part in orange and on the test part in green, each baseline as a thin dashed
    line, and a dotted vertical line where the test part starts.

    Parameters
    ----------
    path : str or os.PathLike
        The PNG to write the comparison to.
    index : array-like
        The series' time axis: a ``DatetimeIndex``, a ``PeriodIndex`` or integers.
    y : array-like
        The series' values, one per ``index`` label.
    train_pred : (index_subset, values), optional
        The LSTM's predictions on the training part.
    test_pred : (index_subset, values), optional
        The LSTM's predictions on the test part.
    test_band : (index_subset, lower, upper), optional
        Shades the spread of the test predictions (e.g. min–max over seeds).
    baselines : mapping of str to (index_subset, values), optional
        Name → predictions of each baseline (e.g. persistence, AutoARIMA).
    title : str, default ""
        Shown above the plot (no title when empty).
    ylabel : str, default ""
        The y axis' label, e.g. the series' units.
    band_label : str, default "LSTM spread"
        How the legend names the shaded ``test_band``.
    overwrite : bool, default False
        Replace an existing file at ``path``; else it is an error, raised before anything is drawn.

    Returns
    -------
    matplotlib.figure.Figure
        The series, the LSTM's predictions and the baselines, as written to ``path``.
    """
    path = output_path(path, overwrite=overwrite)
    x = _as_x(index, "index")
    y = _as_values(y, len(x), "y")
    lw = _line_width(len(x))
    fig, ax = _new_axes()
    ax.plot(x, y, color=SERIES_COLOR, linewidth=lw, label="observed", zorder=3)
    test_start = None
    if train_pred is not None:
        px, pv = _as_pair(train_pred, "train_pred")
        ax.plot(px, pv, color=TRAIN_COLOR, linewidth=0.9 * lw, label="LSTM (train)", zorder=4)
    if test_pred is not None:
        px, pv = _as_pair(test_pred, "test_pred")
        ax.plot(px, pv, color=TEST_COLOR, linewidth=lw, label="LSTM (test)", zorder=5)
        test_start = px[0] if len(px) else None
    if test_band is not None:  # drawn after the lines so the legend lists it after them, but below them
        if len(test_band) != 3:
            raise InvalidInputError("test_band must be a triple (index_subset, lower, upper)")
        bx = _as_x(test_band[0], "test_band index")
        lower = _as_values(test_band[1], len(bx), "test_band lower")
        upper = _as_values(test_band[2], len(bx), "test_band upper")
        ax.fill_between(bx, lower, upper, color=TEST_COLOR, alpha=0.2, linewidth=0, label=band_label, zorder=1)
        if test_start is None and len(bx):
            test_start = bx[0]
    for k, (name, pair) in enumerate((baselines or {}).items()):
        px, pv = _as_pair(pair, f"baselines[{name!r}]")
        color = BASELINE_COLORS[k % len(BASELINE_COLORS)]
        # On top of the LSTM, thin and dashed: the comparison must stay visible, not be buried.
        ax.plot(px, pv, color=color, linewidth=1.0, linestyle="--", label=str(name), zorder=6)
    if test_start is not None:
        ax.axvline(test_start, color="black", linestyle=":", linewidth=1.0, zorder=1)
        ax.annotate(
            " test →",
            xy=(test_start, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, -4),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=9,
            color="0.3",
        )
    _finish(fig, ax, x, title=title, xlabel=_xlabel(index), ylabel=ylabel)
    return _save(fig, path, overwrite)


def plot_training_curves(
    path: str | os.PathLike,
    *,
    history: Mapping[str, Any],
    title: str = "",
    overwrite: bool = False,
) -> Figure:
    """Draw loss per epoch for one model or an ensemble, to see convergence and overfitting.

    Each model is drawn thinly and the mean over the models still training at that epoch boldly.
    The y axis is logarithmic when the positive values span more than two decades, so the late
    epochs are not flattened against the axis.

    Parameters
    ----------
    path : str or os.PathLike
        The PNG to write the curves to.
    history : mapping of str to array-like
        A curve name (``"loss"``, ``"val_loss"``) to a 1-D array (epochs) or a 2-D array
        (models, epochs) padded with NaN after a model stopped early.
    title : str, default ""
        Shown above the curves (no title when empty).
    overwrite : bool, default False
        Replace an existing file at ``path`` (checked before ``history`` is read).

    Returns
    -------
    matplotlib.figure.Figure
        The loss curves, as written to ``path``.
    """
    import numpy as np

    path = output_path(path, overwrite=overwrite)
    if not history:
        raise InvalidInputError("history is empty: give at least one curve, e.g. {'loss': losses}")
    curves = {}
    for name, values in history.items():
        a = np.asarray(values, dtype=float)
        if a.ndim == 1:
            a = a[None, :]
        if a.ndim != 2 or a.shape[1] == 0:
            raise InvalidInputError(
                f"history[{name!r}] must be 1-D (epochs) or 2-D (models, epochs), got shape {a.shape}"
            )
        curves[str(name)] = a
    fig, ax = _new_axes()
    finite = []
    for k, (name, a) in enumerate(curves.items()):
        color = f"C{k % 10}"
        epochs = np.arange(1, a.shape[1] + 1)
        seen = np.isfinite(a)
        count = seen.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(count > 0, np.where(seen, a, 0.0).sum(axis=0) / np.maximum(count, 1), np.nan)
        if a.shape[0] > 1:
            for row in a:
                ax.plot(epochs, row, color=color, linewidth=0.8, alpha=0.45)
            label = f"{name} (mean of {a.shape[0]} models)"
        else:
            label = name
        ax.plot(epochs, mean, color=color, linewidth=2.2, label=label)
        finite.append(a[seen])
    values = np.concatenate(finite)
    positive = values[values > 0]
    if positive.size and positive.size == values.size and positive.max() > 100 * positive.min():
        ax.set_yscale("log")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10]))
    _finish(fig, ax, None, title=title, xlabel="epoch", ylabel="loss")
    return _save(fig, path, overwrite)


def plot_future(
    path: str | os.PathLike,
    *,
    index: Any,
    y: Any,
    future_index: Any,
    mean: Any,
    lower: Any = None,
    upper: Any = None,
    title: str = "",
    ylabel: str = "",
    band_label: str = "spread of the ensemble",
    overwrite: bool = False,
) -> Figure:
    """Draw the observed history and the forecast after it, with its spread shaded.

    A dotted vertical line marks where the forecast starts.

    Parameters
    ----------
    path : str or os.PathLike
        The PNG to write the forecast to.
    index : array-like
        The history's time axis: a ``DatetimeIndex``, a ``PeriodIndex`` or integers.
    y : array-like
        The observed values, one per ``index`` label.
    future_index : array-like
        The forecast's time axis.
    mean : array-like
        The point forecast at ``future_index``.
    lower, upper : array-like, optional
        Both or neither: bound a band, e.g. the min–max or a quantile range of an ensemble's
        members.
    title : str, default ""
        Shown above the plot (no title when empty).
    ylabel : str, default ""
        The y axis' label, shared by the history and the forecast.
    band_label : str, default "spread of the ensemble"
        How the legend names the band between ``lower`` and ``upper``.
    overwrite : bool, default False
        Replace an existing file at ``path``; else it is an error, raised before anything is drawn.

    Returns
    -------
    matplotlib.figure.Figure
        The history and the forecast after it, as written to ``path``.
    """
    path = output_path(path, overwrite=overwrite)
    x = _as_x(index, "index")
    y = _as_values(y, len(x), "y")
    fx = _as_x(future_index, "future_index")
    mean = _as_values(mean, len(fx), "mean")
    if (lower is None) != (upper is None):
        raise InvalidInputError("give both lower and upper for the band, or neither")
    if lower is not None:
        lo = _as_values(lower, len(fx), "lower")
        hi = _as_values(upper, len(fx), "upper")
    fig, ax = _new_axes()
    ax.plot(x, y, color=SERIES_COLOR, linewidth=_line_width(len(x)), label="observed")
    marker = "o" if len(fx) <= 36 else None
    ax.plot(fx, mean, color=FUTURE_COLOR, linewidth=1.8, marker=marker, markersize=3, label="forecast")
    if lower is not None:
        ax.fill_between(fx, lo, hi, color=FUTURE_COLOR, alpha=0.2, linewidth=0, label=band_label, zorder=1)
    if len(fx):
        ax.axvline(fx[0], color="black", linestyle=":", linewidth=1.0, zorder=1)
    _finish(fig, ax, x, title=title, xlabel=_xlabel(index), ylabel=ylabel)
    return _save(fig, path, overwrite)


# --- helpers -------------------------------------------------------------------------------


def _line_width(n_points: int) -> float:
    """Thinner lines for long series (daily data), so peaks and troughs stay distinguishable."""
    return 1.6 if n_points <= 500 else 1.0 if n_points <= 5000 else 0.5


def _new_axes():
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    ax.grid(True, color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    return fig, ax


def _finish(fig, ax, x, *, title: str, xlabel: str, ylabel: str) -> None:
    """Titles, labels, a concise date axis when x holds dates, and a legend outside the data."""
    import numpy as np

    if title:
        ax.set_title(title)
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if x is not None and np.issubdtype(np.asarray(x).dtype, np.datetime64):
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        # Below the axes, so the legend never hides data however the series moves; at most five
        # entries a row, rows balanced, read left to right in the order the lines were drawn.
        rows = math.ceil(len(handles) / 5)
        ncols = math.ceil(len(handles) / rows)
        order = _row_major(len(handles), ncols)
        legend = fig.legend(
            [handles[i] for i in order],
            [labels[i] for i in order],
            loc="outside lower center",
            ncols=ncols,
            frameon=False,
        )
        for line in legend.get_lines():  # the legend's own copies: thin data lines stay readable here
            line.set_linewidth(max(line.get_linewidth(), 1.5))


def _row_major(n: int, ncols: int) -> list[int]:
    """Order for matplotlib's column-by-column legend filling that reads row by row instead."""
    sizes = [n // ncols + (c < n % ncols) for c in range(ncols)]  # how matplotlib splits columns
    slots = [(r, c) for r in range(max(sizes)) for c in range(ncols) if r < sizes[c]]
    return [k for _, k in sorted(((c, r), k) for k, (r, c) in enumerate(slots))]


def _save(fig, path: Path, overwrite: bool):
    """Write ``fig`` as a PNG at ``path`` (atomically) and return it, so callers and tests can
    look at what was drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)
    write_atomic(path, lambda f: f.write(buffer.getvalue()), overwrite=overwrite)
    return fig


def _xlabel(index: Any) -> str:
    name = getattr(index, "name", None)
    return "" if name is None else str(name)


def _as_x(index: Any, what: str):
    """An x-axis array: datetime64 for dates and periods (naive, in their own wall time), else numbers."""
    import numpy as np
    import pandas as pd

    if isinstance(index, pd.PeriodIndex):
        index = index.to_timestamp()
    if isinstance(index, pd.DatetimeIndex):
        if index.tz is not None:
            index = index.tz_localize(None)
        return index.to_numpy()
    x = np.asarray(index)
    if x.ndim != 1:
        raise InvalidInputError(f"{what} must be one-dimensional, got shape {x.shape}")
    if not (np.issubdtype(x.dtype, np.number) or np.issubdtype(x.dtype, np.datetime64)):
        raise InvalidInputError(f"{what} must hold dates or numbers, got dtype {x.dtype}")
    return x


def _as_values(values: Any, n: int, what: str):
    import numpy as np

    a = np.asarray(values, dtype=float)  # NaN allowed: it leaves a gap in the line
    if a.ndim != 1 or len(a) != n:
        raise InvalidInputError(f"{what} must have one value per index entry ({n}), got shape {a.shape}")
    return a


def _as_pair(pair: Any, what: str):
    try:
        index, values = pair
    except (TypeError, ValueError):
        raise InvalidInputError(f"{what} must be a pair (index_subset, values)") from None
    x = _as_x(index, f"{what} index")
    return x, _as_values(values, len(x), f"{what} values")


def plot_forecast_frame(
    path: str | os.PathLike,
    series: Any,
    frame: Any,
    *,
    alias: str = "lstm",
    levels: Any = (),
    spread: bool = False,
    n_members: int = 1,
    what: str | None = None,
    overwrite: bool = False,
) -> Figure:
    """Draw one series and a forecast frame of it (``ds``, the alias column and its bands).

    Parameters
    ----------
    path : str or os.PathLike
        The PNG to write (as ``plot_future`` does).
    series : pandas.Series
        The observed history.
    frame : pandas.DataFrame
        What a forecaster's ``predict`` returned for it.
    alias : str, default "lstm"
        The forecast's column.
    levels : sequence of float, default ()
        The interval levels in the frame: the widest is shaded.
    spread : bool, default False
        Without levels, shade the members' range (``<alias>-min`` to ``<alias>-max``).
    n_members : int, default 1
        How many members the forecast combines (for the title).
    what : str, optional
        The forecast's description in the title (default: "LSTM forecast, mean of N seeds").
    overwrite : bool, default False
        Replace an existing file at ``path``.

    Returns
    -------
    matplotlib.figure.Figure
        What ``plot_future`` drew from the frame's columns.
    """
    band = None
    if levels:
        widest = f"{max(levels):g}"
        band = (f"{alias}-lo-{widest}", f"{alias}-hi-{widest}", f"{widest}% conformal interval")
    elif spread:
        band = (f"{alias}-min", f"{alias}-max", f"min-max of {n_members} seeds")
    return plot_future(
        path,
        index=series.index,
        y=series.to_numpy(),
        future_index=frame["ds"],
        mean=frame[alias],
        lower=None if band is None else frame[band[0]],
        upper=None if band is None else frame[band[1]],
        title=f"{series.name}: {what or f'LSTM forecast, mean of {n_members} seeds'}"
        + (f" (band: {band[2]})" if band else ""),
        ylabel=str(series.name),
        band_label=None if band is None else band[2],
        overwrite=overwrite,
    )
