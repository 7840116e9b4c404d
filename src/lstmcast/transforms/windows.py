"""Cutting a transformed series into the (input window, target) samples an LSTM trains on."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

from lstmcast.errors import InvalidInputError
from lstmcast.transforms.base import as_values, positive_int


def make_windows(z: ArrayLike, look_back: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Every window of the series: ``X[i] = z[i : i+look_back]``, ``Y[i]`` the ``horizon`` values
    after it, ``z[i+look_back : i+look_back+horizon]``.

    There are ``len(z) - look_back - horizon + 1`` samples; the last one ends with the last value
    of ``z`` (the tutorials' ``create_dataset`` stops one window short). ``X`` is float32
    ``[samples, look_back, 1]``, one feature per time step as an LSTM layer expects, and ``Y`` is
    float32 ``[samples, horizon]``.

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
    """The input that forecasts what follows ``z``: its last ``look_back`` values, float32
    ``[1, look_back, 1]``."""
    z = as_values(z, "z")
    look_back = positive_int(look_back, "look_back")
    if len(z) < look_back:
        raise InvalidInputError(
            f"{len(z)} values are too few for look_back={look_back}: the last window needs at "
            f"least {look_back}; use a shorter look_back or a longer series"
        )
    return z[len(z) - look_back :].astype(np.float32).reshape(1, look_back, 1)
