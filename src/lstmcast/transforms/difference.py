"""Differencing: forecast changes instead of levels, to remove a trend (lag 1) or a season."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lstmcast.errors import InvalidInputError
from lstmcast.transforms.base import (
    SettingsConfig,
    as_positions,
    as_values,
    positive_int,
    require_length,
)


@dataclass(frozen=True)
class Difference(SettingsConfig):
    """``y[t] - y[t - lag]``, taken ``order`` times.

    Nothing is learned (the state is ``{}``); ``apply`` drops the first ``lag * order`` values,
    which are the history that ``invert`` needs to rebuild levels from differences.

    Parameters
    ----------
    lag : int, default 1
        The distance differenced over: 1 removes a trend, ``lag=12`` is a seasonal difference.
    order : int, default 1
        How many times the difference is taken.
    """

    lag: int = 1
    order: int = 1

    def __post_init__(self) -> None:
        positive_int(self.lag, "Difference lag")
        positive_int(self.order, "Difference order")

    @property
    def history_length(self) -> int:
        """How many original values come before the first differenced one."""
        return self.lag * self.order

    def fit(self, y: ArrayLike) -> dict:
        """Check the training values; nothing is learned.

        Parameters
        ----------
        y : array-like
            The training values: more than ``lag * order`` of them.

        Returns
        -------
        dict
            ``{}``.
        """
        y = as_values(y, "y")
        if len(y) <= self.history_length:
            raise InvalidInputError(f"{self} needs more than {self.history_length} training values, got {len(y)}")
        return {}

    def apply(self, y: ArrayLike, state: dict) -> np.ndarray:
        return self._differences(as_values(y, "y"))[-1]

    def invert(self, z: ArrayLike, state: dict, history: ArrayLike) -> np.ndarray:
        z, history = as_values(z, "z"), as_values(history, "history")
        require_length(history, self.history_length, "history", self)
        # The last `lag` values of each differencing level seed the cumulative sums that undo it.
        levels = self._differences(history[len(history) - self.history_length :])[:-1]
        for level in reversed(levels):
            z = _undifference(z, level[-self.lag :], self.lag)
        return z

    def invert_one_step(self, z: ArrayLike, state: dict, y_true: ArrayLike, positions: ArrayLike) -> np.ndarray:
        z, y_true = as_values(z, "z"), as_values(y_true, "y_true")
        positions = as_positions(positions, len(z), self.history_length, len(y_true))
        levels = self._differences(y_true)[:-1]
        # Level d holds d-fold differences; its entry i belongs to the time of y_true[i + d*lag].
        for depth in reversed(range(self.order)):
            z = z + levels[depth][positions - (depth + 1) * self.lag]
        return z

    def _differences(self, y: np.ndarray) -> list[np.ndarray]:
        """``[y, diff(y), ..., diff^order(y)]`` at this lag."""
        require_length(y, self.history_length, "y", self)
        levels = [y]
        for _ in range(self.order):
            levels.append(levels[-1][self.lag :] - levels[-1][: -self.lag])
        return levels


def _undifference(z: np.ndarray, previous: np.ndarray, lag: int) -> np.ndarray:
    """Rebuild ``y`` from ``z[t] = y[t] - y[t - lag]``, given the ``lag`` values before it.

    Each of the ``lag`` phases is its own running sum, so one ``cumsum`` over a
    ``[rows, lag]`` reshape does it without a Python loop.
    """
    padded = np.concatenate([z, np.zeros(-len(z) % lag)])
    return (previous + np.cumsum(padded.reshape(-1, lag), axis=0)).ravel()[: len(z)]
