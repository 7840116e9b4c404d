"""What a forecaster is: the one protocol every lstmcast model follows, LSTM and baselines alike.

A forecaster is an estimator (``__init__`` stores keyword arguments; ``get_params`` /
``set_params`` with nested ``a__b`` keys; ``clone``) with:

* ``alias`` — a parameter naming its column in every frame and table (``"lstm"``,
  ``"persistence"``, ...), so two configurations of one model can sit side by side;
* ``fit(y)`` — learn from one series: a NumPy array, or a pandas Series with a time index;
* ``predict(horizon)`` — the ``horizon`` values after the training data. After fitting a
  Series: a DataFrame with ``ds`` (the next dates at the series' frequency, or the next
  integers) and the alias column; after fitting an array: an array. ``members=True`` adds each
  member's forecast (an ensemble has several, a baseline one), ``spread=True`` their min and max;
* ``predict_one_step(y_new)`` — walk-forward forecasts of observations ``y_new`` that follow the
  training data, each point predicted from the true values before it, with nothing refitted
  (``include_history`` prepends the same over the training data, NaN where a model has no
  forecast). A Series ``y_new`` gives a frame, an array an array.

Subclasses implement three array methods — ``_fit(values)``, ``_forecast(horizon)`` and
``_one_step(values_new, include_history)``, the last two returning ``(members, points)`` — and
inherit the checks, the frames and the estimator habits from ``Forecaster``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lstmcast._checks import positive_int, series_values
from lstmcast._estimator import Estimator, clone
from lstmcast.data import future_index, validate_series
from lstmcast.data.validate import time_label
from lstmcast.errors import InvalidInputError

__all__ = ["Forecaster", "RESERVED_COLUMNS", "check_alias", "clone", "interval_levels", "members_of"]

RESERVED_COLUMNS = ("unique_id", "ds", "cutoff", "y")
"""Column names of lstmcast's long frames, which no alias may take."""


def check_alias(alias: Any) -> str:
    """An alias is a non-empty string that is not one of the frame's own columns."""
    if not isinstance(alias, str) or not alias.strip() or alias in RESERVED_COLUMNS:
        raise InvalidInputError(
            f"alias must be a non-empty name other than {', '.join(RESERVED_COLUMNS)}; got {alias!r}"
        )
    return alias


def interval_levels(level: Any) -> list[float]:
    """``level`` (a coverage in percent, or several) as a list of floats strictly between 0 and 100."""
    from lstmcast._checks import number

    values = [level] if not isinstance(level, (list, tuple)) else list(level)
    if not values:
        raise InvalidInputError(
            "level is a coverage in percent, e.g. 95, or a list such as [80, 95]; got an empty list"
        )
    out = []
    for value in values:
        value = number(value, "level", above=0.0)
        if value >= 100:
            raise InvalidInputError(f"a level is a coverage in percent between 0 and 100, e.g. 80 or 95; got {value:g}")
        out.append(value)
    return out


def members_of(prediction: np.ndarray | pd.DataFrame, alias: str) -> np.ndarray:
    """``(members, points)`` from what ``predict``/``predict_one_step(..., members=True)``
    returned: an array as it is, or a frame's ``<alias>-member-k`` columns."""
    if isinstance(prediction, pd.DataFrame):
        columns = [c for c in prediction.columns if isinstance(c, str) and c.startswith(f"{alias}-member-")]
        return prediction[columns].to_numpy(np.float64).T
    return np.asarray(prediction, np.float64)


class Forecaster(Estimator):
    """Base class of every lstmcast forecaster; see the module docstring for the protocol."""

    alias: str
    min_length: int = 1  # the fewest training values ``fit`` accepts

    # -- what subclasses implement ---------------------------------------------------------------
    def _fit(self, values: np.ndarray) -> None:
        raise NotImplementedError

    def _forecast(self, horizon: int) -> np.ndarray:
        raise NotImplementedError

    def _one_step(self, new: np.ndarray, include_history: bool) -> np.ndarray:
        raise NotImplementedError

    # -- the protocol ----------------------------------------------------------------------------
    def fit(self, y: Any) -> Forecaster:
        """Fit on one series ``y`` (array-like, or a pandas Series with a time index)."""
        values, index = self._training_values(y)
        self._fit(values)
        self._keep(values, index)
        return self

    def _training_values(self, y: Any) -> tuple[np.ndarray, pd.Index | None]:
        """``fit``'s checks: the training values, and their time index (None for an array)."""
        check_alias(self.alias)
        if isinstance(y, pd.DataFrame):
            raise InvalidInputError(
                f"{type(self).__name__}.fit takes one series; pick a column, or use lstmcast.data.from_pandas"
            )
        if isinstance(y, pd.Series):
            series = validate_series(y)
            values, index = series.to_numpy(np.float64), series.index
        else:
            values, index = series_values(y, "y"), None
        if len(values) < self.min_length:
            raise InvalidInputError(
                f"{type(self).__name__} needs at least {self.min_length} training values, got {len(values)}"
            )
        return values, index

    def _keep(self, values: np.ndarray, index: pd.Index | None) -> None:
        self.y_ = values
        self.index_ = index

    def predict(
        self, horizon: int, *, members: bool = False, spread: bool = False, level: Any = None
    ) -> np.ndarray | pd.DataFrame:
        """The ``horizon`` values after the training data (the members' mean). ``level`` (a
        coverage in percent, or a list such as ``[80, 95]``) adds prediction intervals,
        ``<alias>-lo-<level>`` and ``<alias>-hi-<level>``, for models that calibrate them."""
        self._check_fitted("y_")
        horizon = positive_int(horizon, "horizon")
        forecasts = np.asarray(self._forecast(horizon), np.float64)
        if level is not None:
            if self.index_ is None:
                raise InvalidInputError(
                    "prediction intervals come in a frame: fit on a pandas Series (lstmcast.data.load_csv gives one)"
                )
            frame = self._frame(future_index(self.index_, horizon), forecasts, members, spread)
            center = frame[self.alias].to_numpy()
            for value, half in self._half_widths(horizon, interval_levels(level)).items():
                frame[f"{self.alias}-lo-{value:g}"] = center - half
                frame[f"{self.alias}-hi-{value:g}"] = center + half
            return frame
        if self.index_ is None:
            return self._array(forecasts, members, spread)
        return self._frame(future_index(self.index_, horizon), forecasts, members, spread)

    def _half_widths(self, horizon: int, levels: list[float]) -> dict[float, np.ndarray]:
        """Each level's interval half-width per horizon step (a subclass that calibrates intervals
        overrides this)."""
        raise InvalidInputError(f"{type(self).__name__} gives no prediction intervals")

    def predict_one_step(
        self, y_new: Any, *, members: bool = False, include_history: bool = False
    ) -> np.ndarray | pd.DataFrame:
        """One-step walk-forward forecasts of ``y_new``, the observations after the training data."""
        self._check_fitted("y_")
        if include_history and (y_new is None or len(y_new) == 0):
            new = np.empty(0)
        else:
            new = series_values(y_new, "y_new")
        predictions = np.asarray(self._one_step(new, bool(include_history)), np.float64)
        if not isinstance(y_new, pd.Series) or self.index_ is None:
            return self._array(predictions, members, False)
        if len(new) == 0:
            return self._frame(self.index_, predictions, members, False)
        expected = future_index(self.index_, len(new))
        if not pd.Index(y_new.index).equals(expected):
            raise InvalidInputError(
                f"y_new's time index must continue the training data's: {time_label(expected[0])} .. "
                f"{time_label(expected[-1])}, got {time_label(y_new.index[0])} .. {time_label(y_new.index[-1])}"
            )
        ds = self.index_.append(expected) if include_history else expected
        return self._frame(ds, predictions, members, False)

    @property
    def n_members(self) -> int:
        """How many forecasts the model averages (an ensemble's size; 1 for a single model)."""
        return 1

    # -- shaping the output ----------------------------------------------------------------------
    def _array(self, forecasts: np.ndarray, members: bool, spread: bool) -> np.ndarray:
        if spread:
            raise InvalidInputError("spread= adds columns to a frame; for arrays use members=True and take min/max")
        return forecasts if members else _mean(forecasts)

    def _frame(self, ds: pd.Index, forecasts: np.ndarray, members: bool, spread: bool) -> pd.DataFrame:
        columns = {"ds": np.asarray(ds), self.alias: _mean(forecasts)}
        if spread:
            columns[f"{self.alias}-min"] = forecasts.min(axis=0)
            columns[f"{self.alias}-max"] = forecasts.max(axis=0)
        if members:
            columns.update({f"{self.alias}-member-{k}": member for k, member in enumerate(forecasts)})
        return pd.DataFrame(columns)


def _mean(forecasts: np.ndarray) -> np.ndarray:
    """The members' mean (NaN where the members have no forecast)."""
    return forecasts.mean(axis=0)
