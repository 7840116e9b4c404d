"""Cutting transformed series into the (input window, target) samples an LSTM trains on.

``make_windows`` and ``all_windows`` cut one series into windows that fill the time axis (the
per-series LSTM). ``cut_windows`` cuts windows from many series at chosen cut-offs, each read
relative to its own last input value and padded at the end where a series is shorter than the
look-back (the global LSTM); ``training_windows`` chooses those cut-offs for training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

from lstmcast.errors import InvalidInputError
from lstmcast.transforms.base import as_values, positive_int


def make_windows(z: ArrayLike, look_back: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Every window of the series: ``X[i] = z[i : i+look_back]``, ``Y[i]`` the ``horizon`` values
    after it, ``z[i+look_back : i+look_back+horizon]``.

    There are ``len(z) - look_back - horizon + 1`` samples; the last one ends with the last value
    of ``z`` (the tutorials' ``create_dataset`` stops one window short).

    Parameters
    ----------
    z : array-like
        The (transformed) series.
    look_back : int
        Values per input window.
    horizon : int, default 1
        Values per target.

    Returns
    -------
    X : numpy.ndarray
        float32 ``[samples, look_back, 1]``, one feature per time step as an LSTM layer expects.
    Y : numpy.ndarray
        float32 ``[samples, horizon]``.

    Raises
    ------
    InvalidInputError
        ``z`` has fewer than ``look_back + horizon`` values.

    Examples
    --------
    >>> X, Y = make_windows([1, 2, 3, 4], look_back=2)
    >>> X[:, :, 0].tolist(), Y.tolist()
    ([[1.0, 2.0], [2.0, 3.0]], [[3.0], [4.0]])
    """
    z = as_values(z, "z")
    look_back, horizon = positive_int(look_back, "look_back"), positive_int(horizon, "horizon")
    needed = look_back + horizon
    if len(z) < needed:
        raise InvalidInputError(
            f"{len(z)} values are too few for look_back={look_back} and horizon={horizon}: one "
            f"window needs at least {needed}; use a shorter look_back or a longer series"
        )
    windows = sliding_window_view(z, needed).astype(np.float32)
    return np.ascontiguousarray(windows[:, :look_back, None]), np.ascontiguousarray(windows[:, look_back:])


def last_window(z: ArrayLike, look_back: int) -> np.ndarray:
    """The input that forecasts what follows ``z``: its last ``look_back`` values.

    Parameters
    ----------
    z : array-like
        The (transformed) series, at least ``look_back`` values; only the last ``look_back`` are
        read.
    look_back : int
        Values in the window (positive).

    Returns
    -------
    numpy.ndarray
        float32 ``[1, look_back, 1]``: one window, a batch of one for the network.
    """
    z = as_values(z, "z")
    look_back = positive_int(look_back, "look_back")
    if len(z) < look_back:
        raise InvalidInputError(
            f"{len(z)} values are too few for look_back={look_back}: the last window needs at "
            f"least {look_back}; use a shorter look_back or a longer series"
        )
    return z[len(z) - look_back :].astype(np.float32).reshape(1, look_back, 1)


def all_windows(z: ArrayLike, look_back: int) -> np.ndarray:
    """Windows ``z[j : j+look_back]`` for every ``j``, including the one that ends with ``z``.

    Parameters
    ----------
    z : array-like
        The (transformed) series, at least ``look_back`` values: ``len(z) - look_back + 1``
        windows.
    look_back : int
        Values per window.

    Returns
    -------
    numpy.ndarray
        float32 ``[windows, look_back, 1]`` (window ``j`` forecasts ``z[j + look_back]``).
    """
    z = as_values(z, "z")
    if len(z) < look_back:
        raise InvalidInputError(f"the series is too short for look_back={look_back}")
    return sliding_window_view(z, look_back).astype(np.float32)[:, :, None]


@dataclass(frozen=True)
class Windows:
    """Samples for the network.

    Attributes
    ----------
    x : numpy.ndarray
        Inputs ``(n, look_back, 1)`` relative to each window's last input value, padded at the
        end to ``lengths``.
    y : numpy.ndarray or None
        Targets ``(n, horizon)`` relative to the same value (None when only inputs are wanted).
    lengths : numpy.ndarray
        ``(n,)`` the valid input values of each window.
    series, cutoff : numpy.ndarray
        ``(n,)``: which series each window comes from and where its forecast starts.
    """

    x: np.ndarray
    y: np.ndarray | None
    lengths: np.ndarray
    series: np.ndarray
    cutoff: np.ndarray


def training_windows(zs: list[np.ndarray], look_back: int, horizon: int, ends: np.ndarray, max_windows: int) -> Windows:
    """Every window of every series whose target lies within ``z[:ends[k]]``, the most recent
    ``max_windows`` of each series; a window needs at least one input value.

    Parameters
    ----------
    zs : list of numpy.ndarray
        The normalised series.
    look_back : int
        Values per input window (fewer, padded, near a series' start).
    horizon : int
        Values per target.
    ends : numpy.ndarray
        Per series, the end (exclusive) of the values targets may use.
    max_windows : int
        The most windows taken from one series (its most recent).

    Returns
    -------
    Windows
    """
    cutoffs = [np.arange(1, end - horizon + 1)[-max_windows:] for end in ends]
    return cut_windows(zs, look_back, horizon, cutoffs)


def cut_windows(
    zs: list[np.ndarray], look_back: int, horizon: int, cutoffs: list[np.ndarray], *, targets: bool = True
) -> Windows:
    """The windows of series ``k`` that end at each of ``cutoffs[k]``.

    Parameters
    ----------
    zs : list of numpy.ndarray
        The normalised series.
    look_back : int
        Values per input window: inputs are ``z[t - look_back:t]``, shorter where
        ``t < look_back``.
    horizon : int
        Values per target: ``z[t:t + horizon]``.
    cutoffs : list of numpy.ndarray
        Per series, the cut-offs ``t`` (at least 1) of its windows.
    targets : bool, default True
        Also cut the targets.

    Returns
    -------
    Windows

    Raises
    ------
    InvalidInputError
        No series gives a single window.
    """
    xs, ys, lengths, series, where = [], [], [], [], []
    for k, (z, ts) in enumerate(zip(zs, cutoffs)):
        if len(ts) == 0:
            continue
        ts = np.asarray(ts)
        padded = np.concatenate([z, np.zeros(look_back)])  # room for windows shorter than look_back
        starts = np.maximum(ts - look_back, 0)
        take = starts[:, None] + np.arange(look_back)[None, :]
        length = np.minimum(ts, look_back)
        level = z[ts - 1][:, None]
        inputs = (padded[take] - level) * (np.arange(look_back)[None, :] < length[:, None])
        xs.append(inputs)
        if targets:
            ys.append(z[ts[:, None] + np.arange(horizon)[None, :]] - level)
        lengths.append(length)
        series.append(np.full(len(ts), k))
        where.append(ts)
    if not xs:
        raise InvalidInputError("no series is long enough for a single window; use a shorter horizon or look_back")
    return Windows(
        x=np.concatenate(xs).astype(np.float32)[:, :, None],
        y=np.concatenate(ys).astype(np.float32) if targets else None,
        lengths=np.concatenate(lengths).astype(np.int32),
        series=np.concatenate(series),
        cutoff=np.concatenate(where),
    )
