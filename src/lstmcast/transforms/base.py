"""The contract every transform follows, and the argument checks they share.

A transform is a frozen dataclass of settings; what it learns from data travels separately, as a
small JSON-serialisable ``state``, so that fitting never mutates anything (the Optax pattern):

* ``fit(y) -> state`` learns from the training values only;
* ``apply(y, state) -> z`` transforms; ``z`` is shorter than ``y`` by ``history_length`` values
  (differencing drops values at the front), and ``z[i]`` belongs to the time of
  ``y[i + history_length]``;
* ``invert(z, state, history) -> y`` maps transformed values of consecutive points that follow
  ``history`` (the original values just before them; at least ``history_length`` of them) back
  to the original scale, each point building on the reconstructed ones before it. This is what a
  multi-step (recursive) forecast needs;
* ``invert_one_step(z, state, y_true, positions) -> y`` inverts walk-forward predictions: ``z[j]``
  is a prediction for ``y_true[positions[j]]`` made when every earlier value was known, so it is
  rebuilt on the true earlier values, as ``invert(z[j:j+1], state, y_true[:positions[j]])`` would,
  for all ``j`` at once;
* ``to_config() -> dict`` records the settings; ``lstmcast.transforms.from_config`` rebuilds them.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike

from lstmcast._checks import positive_int, series_values  # noqa: F401  (positive_int: for the transforms)
from lstmcast.errors import InvalidInputError


class Transform(Protocol):
    """What ``Pipeline`` and the forecasters rely on; see the module docstring for the meaning."""

    history_length: int

    def fit(self, y: ArrayLike) -> Any:
        """Learn from the training values only.

        Parameters
        ----------
        y : array-like
            The training values (1-D, finite).

        Returns
        -------
        object
            The state, small and JSON-serialisable, that ``apply`` and the inverses take.
        """

    def apply(self, y: ArrayLike, state: Any) -> np.ndarray: ...

    def invert(self, z: ArrayLike, state: Any, history: ArrayLike) -> np.ndarray: ...

    def invert_one_step(self, z: ArrayLike, state: Any, y_true: ArrayLike, positions: ArrayLike) -> np.ndarray: ...

    def to_config(self) -> dict: ...


class SettingsConfig:
    """``to_config`` for a dataclass transform: its class name and its fields, JSON-ready."""

    def to_config(self) -> dict:
        config = {"name": type(self).__name__}
        for setting in fields(self):
            value = getattr(self, setting.name)
            config[setting.name] = list(value) if isinstance(value, tuple) else value
        return config


def as_values(values: ArrayLike, name: str) -> np.ndarray:
    """``values`` as a 1-D float64 array of finite numbers (``lstmcast._checks.series_values``)."""
    return series_values(values, name, min_length=0)


def as_positions(positions: ArrayLike, count: int, history_length: int, available: int) -> np.ndarray:
    """Check walk-forward ``positions``: one index per prediction, each with enough true history.

    A prediction for position ``p`` needs the ``history_length`` true values before it, and may
    be at most one step past the known values (``p <= available``).
    """
    array = np.asarray(positions)
    if array.size == 0:
        array = array.astype(np.intp)
    if array.ndim != 1 or len(array) != count or not np.issubdtype(array.dtype, np.integer):
        raise InvalidInputError(
            f"positions must be a 1-D array of {count} whole-number indexes into y_true, one per "
            f"prediction; got shape {array.shape} of {array.dtype}"
        )
    if count and (array.min() < history_length or array.max() > available):
        raise InvalidInputError(
            f"positions must lie in {history_length}..{available}: each prediction needs the "
            f"{history_length} true values before it, and y_true has {available} values; got "
            f"{array.min()}..{array.max()}"
        )
    return array.astype(np.intp)


def require_length(values: np.ndarray, needed: int, name: str, transform: object) -> None:
    """Raise ``InvalidInputError`` unless ``values`` has at least ``needed`` entries."""
    if len(values) < needed:
        raise InvalidInputError(f"{transform} needs at least {needed} values of {name}, got {len(values)}")
