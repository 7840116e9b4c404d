"""Transforms of each value on its own: a log to stabilise growth, and the two usual scalings.

The scalers learn their constants from the training values only (``fit``), so no information
from the test period leaks into the model's inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lstmcast._checks import number
from lstmcast.errors import InvalidInputError
from lstmcast.transforms.base import SettingsConfig, as_positions, as_values


class _Pointwise(SettingsConfig):
    """A transform of each value alone: no history is needed to apply or invert it."""

    history_length = 0

    def invert(self, z: ArrayLike, state: dict, history: ArrayLike | None = None) -> np.ndarray:
        """Back to the original scale; ``history`` is accepted for the common signature only."""
        return self._invert(as_values(z, "z"), state)

    def invert_one_step(self, z: ArrayLike, state: dict, y_true: ArrayLike, positions: ArrayLike) -> np.ndarray:
        z = as_values(z, "z")
        as_positions(positions, len(z), 0, len(as_values(y_true, "y_true")))
        return self._invert(z, state)


@dataclass(frozen=True)
class Log(_Pointwise):
    """The natural log: turns multiplicative growth and seasonality into additive ones.

    Only for positive series; nothing is learned (the state is ``{}``).
    """

    def fit(self, y: ArrayLike) -> dict:
        """Check the training values are positive; nothing is learned.

        Parameters
        ----------
        y : array-like
            The training values; a zero or negative one raises ``InvalidInputError``.

        Returns
        -------
        dict
            ``{}``.
        """
        _check_positive(as_values(y, "y"))
        return {}

    def apply(self, y: ArrayLike, state: dict) -> np.ndarray:
        y = as_values(y, "y")
        _check_positive(y)
        return np.log(y)

    def _invert(self, z: np.ndarray, state: dict) -> np.ndarray:
        return np.exp(z)


@dataclass(frozen=True)
class MinMaxScale(_Pointwise):
    """Map the training minimum and maximum to ``feature_range``. Later values may fall outside
    the range.

    Parameters
    ----------
    feature_range : (float, float), default (0.0, 1.0)
        The range the training values are mapped to (Keras tutorials use (0, 1) or (-1, 1), the
        range of an LSTM's tanh).
    data_range : (float, float), optional
        ``(low, high)`` fixes the bounds instead of learning them: for data with known limits,
        or to reproduce a tutorial that fitted its scaler on the whole series (a leak of the
        test data's range into training).
    """

    feature_range: tuple[float, float] = (0.0, 1.0)
    data_range: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.data_range is not None:
            object.__setattr__(self, "data_range", _bounds(self.data_range, "data_range"))
        object.__setattr__(self, "feature_range", _bounds(self.feature_range, "feature_range"))

    def fit(self, y: ArrayLike) -> dict:
        """Learn the training minimum and maximum (or take ``data_range``).

        Parameters
        ----------
        y : array-like
            The training values, not all equal (unless ``data_range`` is given).

        Returns
        -------
        dict
            ``{"min": ..., "max": ...}``.
        """
        y = as_values(y, "y")
        if self.data_range is not None:
            return {"min": self.data_range[0], "max": self.data_range[1]}
        _check_not_constant(y, self)
        return {"min": float(y.min()), "max": float(y.max())}

    def apply(self, y: ArrayLike, state: dict) -> np.ndarray:
        low, high = self.feature_range
        return low + (as_values(y, "y") - state["min"]) * ((high - low) / (state["max"] - state["min"]))

    def _invert(self, z: np.ndarray, state: dict) -> np.ndarray:
        low, high = self.feature_range
        return state["min"] + (z - low) * ((state["max"] - state["min"]) / (high - low))


@dataclass(frozen=True)
class StandardScale(_Pointwise):
    """Subtract the training mean and divide by the training standard deviation."""

    def fit(self, y: ArrayLike) -> dict:
        """Learn the training mean and standard deviation.

        Parameters
        ----------
        y : array-like
            The training values, not all equal.

        Returns
        -------
        dict
            ``{"mean": ..., "std": ...}``.
        """
        y = as_values(y, "y")
        _check_not_constant(y, self)
        return {"mean": float(y.mean()), "std": float(y.std())}

    def apply(self, y: ArrayLike, state: dict) -> np.ndarray:
        return (as_values(y, "y") - state["mean"]) / state["std"]

    def _invert(self, z: np.ndarray, state: dict) -> np.ndarray:
        return state["mean"] + z * state["std"]


def _bounds(pair: object, name: str) -> tuple[float, float]:
    """``(low, high)``: two finite numbers with ``low < high``."""
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise InvalidInputError(f"{name} must be a pair (low, high), got {pair!r}")
    low, high = (number(bound, name) for bound in pair)
    if not low < high:
        raise InvalidInputError(f"{name} must be (low, high) with low < high, got {pair!r}")
    return low, high


def _check_positive(y: np.ndarray) -> None:
    if len(y) and y.min() <= 0:
        raise InvalidInputError(
            f"Log needs positive values, but {np.count_nonzero(y <= 0)} are <= 0 (the smallest "
            f"is {y.min():g}); shift the series by a constant first, or leave out Log"
        )


def _check_not_constant(y: np.ndarray, transform: object) -> None:
    if len(y) == 0 or y.min() == y.max():
        raise InvalidInputError(
            f"{transform} cannot be fitted to constant training values ({len(y)} values, none "
            "different from the others): there is no spread to scale by; differencing a straight "
            "line does this, for example, so leave out the scaler or the difference"
        )
