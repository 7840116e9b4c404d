"""What a forecaster is: the one protocol every lstmcast model follows, LSTMs and baselines alike.

Forecasting models come in two kinds, and lstmcast names them as forecasters do:

* a **local** model (``LocalForecaster``) is fitted on one series: the baselines and
  ``LocalLSTM``. Given many series, the evaluation engine fits one copy per series;
* a **global** model (``GlobalForecaster``) is fitted on many series at once and learns what
  they share: ``GlobalLSTM``. One series given to it is a panel of one.

Every forecaster is an estimator (parameters declared once, ``get_params``/``set_params`` with
nested ``a__b`` keys, ``clone``) with:

* ``alias`` — a parameter naming its column in every frame and table (``"lstm"``,
  ``"auto_ets"``, ...), so two configurations of one model can sit side by side;
* ``fit(y)`` — learn from the training data;
* ``predict(horizon, level=, members=)`` — the ``horizon`` values after the training data, with
  prediction intervals at ``level`` percent where the model calibrates them;
* ``predict_one_step(y_new)`` — walk-forward forecasts of observations that follow the training
  data, each point predicted from the true values before it, nothing refitted;
* ``forecast_panel(panel, horizon)`` — what the evaluation engine calls: fit on every series of a
  panel (the local kind one copy per series, the global kind once) and forecast each, as
  ``PanelForecasts``.

What a local model returns follows its input: after fitting an array, arrays; after fitting a
pandas Series (a time index), frames with ``ds`` and the alias column. A global model always
returns long frames, ``unique_id, ds, <alias>``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from lstmcast._checks import positive_int, series_values
from lstmcast._estimator import Estimator, clone
from lstmcast.data import Panel, future_index, validate_series
from lstmcast.data.validate import time_label
from lstmcast.errors import BaselineFitError, InvalidInputError, TrainingDivergedError
from lstmcast.forecast.intervals import calibration_needed, interval_levels

__all__ = [
    "RESERVED_COLUMNS",
    "Forecaster",
    "GlobalForecaster",
    "LocalForecaster",
    "PanelForecasts",
    "check_alias",
    "clone",
    "combine_members",
    "members_of",
]

RESERVED_COLUMNS = ("unique_id", "ds", "cutoff", "y")
"""Column names of lstmcast's long frames, which no alias may take."""

COMBINATIONS = ("mean", "median")


def check_alias(alias: Any) -> str:
    """An alias is a non-empty string that is not one of the frame's own columns."""
    if not isinstance(alias, str) or not alias.strip() or alias in RESERVED_COLUMNS:
        raise InvalidInputError(
            f"alias must be a non-empty name other than {', '.join(RESERVED_COLUMNS)}; got {alias!r}"
        )
    return alias


def combine_members(forecasts: np.ndarray, how: str = "mean") -> np.ndarray:
    """The members' forecasts ``(members, ...)`` combined into one: their mean or their median."""
    return np.median(forecasts, axis=0) if how == "median" else forecasts.mean(axis=0)


def members_of(prediction: np.ndarray | pd.DataFrame, alias: str) -> np.ndarray:
    """``(members, points)`` from what ``predict``/``predict_one_step(..., members=True)``
    returned: an array as it is, or a frame's ``<alias>-member-k`` columns."""
    if isinstance(prediction, pd.DataFrame):
        columns = [c for c in prediction.columns if isinstance(c, str) and c.startswith(f"{alias}-member-")]
        return prediction[columns].to_numpy(np.float64).T
    return np.asarray(prediction, np.float64)


@dataclass
class PanelForecasts:
    """What one forecaster gave for every series of a panel (``Forecaster.forecast_panel``).

    Attributes
    ----------
    point : list of numpy.ndarray
        ``point[k]``: series ``k``'s forecast (its members combined as the model combines them),
        NaN where the model could not forecast it.
    members : list of numpy.ndarray
        ``members[k]``: its members' forecasts ``(members, points)``.
    lower, upper : dict of float to list of numpy.ndarray
        Per level, each series' interval bounds.
    history_point, history : list of numpy.ndarray, optional
        With ``in_sample``, the same as ``point`` and ``members`` for the one-step forecasts over
        each training part (NaN where there is none).
    failed : list of str
        The ids of the series the model could not forecast (a global model's fallbacks included).
    fitted : list of Forecaster
        The fitted models, when asked to keep them.
    seconds : float
        The time it took.
    """

    point: list[np.ndarray]
    members: list[np.ndarray]
    lower: dict[float, list[np.ndarray]] = field(default_factory=dict)
    upper: dict[float, list[np.ndarray]] = field(default_factory=dict)
    history_point: list[np.ndarray] | None = None
    history: list[np.ndarray] | None = None
    failed: list[str] = field(default_factory=list)
    fitted: list[Forecaster] = field(default_factory=list)
    seconds: float = 0.0

    def stacked(self, horizon: int) -> np.ndarray:
        """``point`` as one array.

        Parameters
        ----------
        horizon : int
            The steps kept of each series' forecast.

        Returns
        -------
        numpy.ndarray
            ``(series, horizon)``, NaN where the model failed.
        """
        return np.stack([np.asarray(p, np.float64)[:horizon] for p in self.point])


class Forecaster(Estimator):
    """The root of every lstmcast forecaster: see the module docstring for the protocol.

    Parameters
    ----------
    alias : str, default "forecaster"
        The model's name in every frame and table (its column), so two configurations of one
        model can sit side by side; not one of ``RESERVED_COLUMNS``. Each forecaster has its own
        default.
    """

    alias: str = "forecaster"

    def fit(self, y: Any) -> Forecaster:
        """Learn from the training data.

        Parameters
        ----------
        y : array-like, pandas.Series, pandas.DataFrame or Panel
            One series for a local model; many (or one, a panel of one) for a global model.

        Returns
        -------
        Forecaster
            ``self``, fitted.
        """
        raise NotImplementedError

    def predict(self, horizon: int, **options: Any) -> np.ndarray | pd.DataFrame:
        """The ``horizon`` values after the training data.

        Parameters
        ----------
        horizon : int
            How many values to forecast (after each series, for a global model).
        **options
            ``members=``, ``level=`` and the like: see ``LocalForecaster.predict`` and
            ``GlobalForecaster.predict``.

        Returns
        -------
        numpy.ndarray or pandas.DataFrame
            The ``horizon`` forecasts (of each series): an array after fitting an array, else a
            frame (see the module docstring).
        """
        raise NotImplementedError

    def predict_one_step(self, y_new: Any, **options: Any) -> np.ndarray | pd.DataFrame:
        """Walk-forward forecasts of ``y_new``, the observations that follow the training data,
        each point predicted from the true values before it, nothing refitted.

        Parameters
        ----------
        y_new : array-like, pandas.Series, pandas.DataFrame or Panel
            The new observations, continuing the training data.
        **options
            ``members=``, ``include_history=``: see ``LocalForecaster.predict_one_step`` and
            ``GlobalForecaster.predict_one_step``.

        Returns
        -------
        numpy.ndarray or pandas.DataFrame
            One forecast per value of ``y_new``: an array after fitting an array, else a frame
            (see the module docstring).
        """
        raise NotImplementedError

    def calibrates_intervals(self) -> bool:
        """Whether ``predict(level=...)`` can give prediction intervals with these parameters."""
        return False

    def held_back_forecasts(self, panel: Panel, horizon: int) -> np.ndarray:
        """Forecasts of each series' last ``horizon`` values by a fit that did not see them.

        A model fits a copy of itself on ``panel`` cut before those values; a fitted model that
        already made these forecasts while fitting on ``panel`` (``GlobalLSTM``'s held-back fit)
        returns its own.

        Parameters
        ----------
        panel : Panel
            The training data; every series longer than ``horizon``.
        horizon : int
            The values held back at the end of each series.

        Returns
        -------
        numpy.ndarray
            ``(series, horizon)``, NaN where the model could not forecast a series.
        """
        horizon = positive_int(horizon, "horizon")
        return clone(self).forecast_panel(panel.cut(-horizon), horizon).stacked(horizon)

    def forecast_panel(
        self,
        panel: Panel,
        horizon: int,
        *,
        levels: Sequence[float] = (),
        new: list[np.ndarray] | None = None,
        in_sample: bool = False,
        keep: bool = False,
    ) -> PanelForecasts:
        """Fit on every series of ``panel`` and forecast each: the evaluation engine's one call.

        Parameters
        ----------
        panel : Panel
            The training data.
        horizon : int
            Values forecast after each series (multi-step), when ``new`` is None.
        levels : list of float, default ()
            Interval levels in percent (for a model that ``calibrates_intervals``).
        new : list of numpy.ndarray, optional
            The observations after each series: one-step walk-forward forecasts of them instead.
        in_sample : bool, default False
            With ``new``: also the one-step forecasts over each training part.
        keep : bool, default False
            Keep the fitted models in the result.

        Returns
        -------
        PanelForecasts

        Notes
        -----
        A local model fits one copy per series: a series it cannot fit or forecast (too short for
        its season, say) gets NaN and is listed in ``failed``, and a model that fails on every
        series raises the first error. A global model fits one copy on the whole panel.
        """
        started = time.perf_counter()
        out = self._panel_forecasts(panel, positive_int(horizon, "horizon"), list(levels), new, in_sample, keep)
        out.seconds = time.perf_counter() - started
        return out

    def _panel_forecasts(self, panel, horizon, levels, new, in_sample, keep) -> PanelForecasts:
        raise NotImplementedError

    def task_panels(self, panel: Panel, size: int) -> list[Panel]:
        """The parts a panel's work splits into as independent tasks (the whole panel for a
        global model: one network learns from every series)."""
        return [panel]


class LocalForecaster(Forecaster):
    """A forecaster fitted on one series; subclasses implement three array methods,
    ``_fit(values)``, ``_forecast(horizon)`` and ``_one_step(values_new, include_history)``, the
    last two returning ``(members, points)``, and inherit the checks, the frames and the rest of
    the protocol."""

    min_length: ClassVar[int] = 1  # the fewest training values ``fit`` accepts

    # -- what subclasses implement ---------------------------------------------------------------
    def _fit(self, values: np.ndarray) -> None:
        raise NotImplementedError

    def _forecast(self, horizon: int) -> np.ndarray:
        raise NotImplementedError

    def _one_step(self, new: np.ndarray, include_history: bool) -> np.ndarray:
        raise NotImplementedError

    def _half_widths(self, horizon: int, levels: list[float]) -> dict[float, np.ndarray]:
        """Each level's interval half-width per horizon step (a model that calibrates intervals
        overrides this and ``calibrates_intervals``)."""
        raise InvalidInputError(
            f"{type(self).__name__} gives no prediction intervals; LocalLSTM and GlobalLSTM calibrate them"
        )

    # -- the protocol ----------------------------------------------------------------------------
    def fit(self, y: Any) -> LocalForecaster:
        """Fit on one series.

        Parameters
        ----------
        y : array-like or pandas.Series
            The training values; a Series with a time index (validated as ``validate_series``
            does) makes ``predict`` return frames with dates.

        Returns
        -------
        LocalForecaster
            ``self``, fitted.
        """
        values, index = self._training_values(y)
        self._fit(values)
        self._keep(values, index)
        return self

    def _training_values(self, y: Any) -> tuple[np.ndarray, pd.Index | None]:
        """``fit``'s checks: the training values, and their time index (None for an array)."""
        check_alias(self.alias)
        if isinstance(y, (pd.DataFrame, Panel)):
            raise InvalidInputError(
                f"{type(self).__name__} is fitted on one series; pick a column, fit GlobalLSTM on many series, or "
                "evaluate it on many with lstmcast.evaluate (one fit per series)"
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
        """The ``horizon`` values after the training data.

        Parameters
        ----------
        horizon : int
            How many values to forecast.
        members : bool, default False
            Also each member's forecast (``<alias>-member-k`` columns; for arrays, the
            ``(members, horizon)`` array instead of the combined forecast).
        spread : bool, default False
            Frames only: ``<alias>-min`` and ``<alias>-max``, the members' range (not an interval).
        level : float or list of float, optional
            Prediction intervals at these coverages in percent, ``<alias>-lo-<level>`` and
            ``<alias>-hi-<level>`` (frames only; for a model that ``calibrates_intervals``).

        Returns
        -------
        numpy.ndarray or pandas.DataFrame
            After fitting an array, the combined forecast (or the members'); after fitting a
            Series, a frame with ``ds`` and the alias column.
        """
        self._check_fitted("y_")
        horizon = positive_int(horizon, "horizon")
        forecasts = np.asarray(self._forecast(horizon), np.float64)
        if level is not None and self.index_ is None:
            raise InvalidInputError(
                "prediction intervals come in a frame: fit on a pandas Series (lstmcast.data.load_csv gives one)"
            )
        if self.index_ is None:
            return self._array(forecasts, members, spread)
        frame = self._frame(future_index(self.index_, horizon), forecasts, members, spread)
        if level is not None:
            center = frame[self.alias].to_numpy()
            for value, half in self._half_widths(horizon, interval_levels(level)).items():
                frame[f"{self.alias}-lo-{value:g}"] = center - half
                frame[f"{self.alias}-hi-{value:g}"] = center + half
        return frame

    def predict_one_step(
        self, y_new: Any, *, members: bool = False, include_history: bool = False
    ) -> np.ndarray | pd.DataFrame:
        """One-step walk-forward forecasts of ``y_new``, the observations after the training data.

        Parameters
        ----------
        y_new : array-like or pandas.Series
            The new observations; each is predicted from the true values before it, nothing
            refitted. A Series must continue the training data's time index.
        members : bool, default False
            Each member's forecasts too (as ``predict``).
        include_history : bool, default False
            Prepend the same over the training data (NaN where the model has no forecast).

        Returns
        -------
        numpy.ndarray or pandas.DataFrame
            An array for an array ``y_new``, else a frame with ``ds`` and the alias column.
        """
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

    def _panel_forecasts(self, panel, horizon, levels, new, in_sample, keep) -> PanelForecasts:
        out = PanelForecasts(point=[], members=[], history=[] if in_sample else None)
        out.lower, out.upper = {lv: [] for lv in levels}, {lv: [] for lv in levels}
        first_error = None
        for k, (uid, values) in enumerate(zip(panel.ids, panel.values)):
            points = horizon if new is None else len(new[k])
            try:
                model = self.fitted_copy(values, panel.index[k])
                if new is None:
                    forecast = np.asarray(model._forecast(horizon), np.float64)
                    halves = model._half_widths(horizon, list(levels)) if levels else {}
                else:
                    path = np.asarray(model._one_step(np.asarray(new[k], np.float64), in_sample), np.float64)
                    forecast, halves = path[:, path.shape[1] - points :], {}
                    if in_sample:
                        out.history.append(path[:, : path.shape[1] - points])
                if keep:
                    out.fitted.append(model)
            except (InvalidInputError, BaselineFitError, TrainingDivergedError) as error:
                first_error = first_error or error
                out.failed.append(uid)
                forecast, halves = np.full((1, points), np.nan), {lv: np.full(points, np.nan) for lv in levels}
                if in_sample:
                    out.history.append(np.full((1, len(values)), np.nan))
            out.members.append(forecast)
            center = combine_members(forecast)
            out.point.append(center)
            for lv in levels:
                out.lower[lv].append(center - halves[lv])
                out.upper[lv].append(center + halves[lv])
        if first_error is not None and len(out.failed) == len(panel):
            raise first_error
        if in_sample:
            out.history_point = [combine_members(h) for h in out.history]
        return out

    def fitted_copy(self, values: np.ndarray, axis: pd.Index) -> LocalForecaster:
        """A copy of this model fitted on one series of a panel: a dated series is fitted as a
        pandas Series, so the copy knows its dates.

        Parameters
        ----------
        values : numpy.ndarray
            The series' values.
        axis : pandas.Index
            Its time axis (a ``Panel``'s ``index[k]``).

        Returns
        -------
        LocalForecaster
            The fitted copy.
        """
        return clone(self).fit(pd.Series(values, index=axis) if isinstance(axis, pd.DatetimeIndex) else values)

    def task_panels(self, panel: Panel, size: int) -> list[Panel]:
        """Partitions of ``size`` series (by unique_id): a local model's series are independent."""
        return [panel.select(panel.ids[start : start + size]) for start in range(0, len(panel), size)]

    # -- shaping the output ----------------------------------------------------------------------
    def _array(self, forecasts: np.ndarray, members: bool, spread: bool) -> np.ndarray:
        if spread:
            raise InvalidInputError("spread= adds columns to a frame; for arrays use members=True and take min/max")
        return forecasts if members else combine_members(forecasts)

    def _frame(self, ds: pd.Index, forecasts: np.ndarray, members: bool, spread: bool) -> pd.DataFrame:
        columns = {"ds": np.asarray(ds), self.alias: combine_members(forecasts)}
        if spread:
            columns[f"{self.alias}-min"] = forecasts.min(axis=0)
            columns[f"{self.alias}-max"] = forecasts.max(axis=0)
        if members:
            columns.update({f"{self.alias}-member-{k}": member for k, member in enumerate(forecasts)})
        return pd.DataFrame(columns)


class GlobalForecaster(Forecaster):
    """A forecaster fitted on many series at once. Subclasses implement ``_fit_panel(panel)``,
    ``_forecast_panel(panel, horizon, levels)`` and ``_one_step_panel(new, include_history)``
    and inherit the input handling, the frames and the rest of the protocol."""

    def fit(self, y: Any) -> GlobalForecaster:
        """Fit one model on every series.

        Parameters
        ----------
        y : Panel, pandas.DataFrame, pandas.Series or array-like
            Many series: a ``Panel`` or a long frame ``unique_id, ds, y``; or one series (a panel
            of one).

        Returns
        -------
        GlobalForecaster
            ``self``, fitted.
        """
        from lstmcast.data import from_long, is_long_format

        check_alias(self.alias)
        if isinstance(y, pd.DataFrame):
            if not is_long_format(y.columns):
                raise InvalidInputError(
                    f"{type(self).__name__}.fit takes a long frame with unique_id, ds and y columns (Nixtla's format), "
                    f"a Panel, or one series; this frame has {list(y.columns)[:6]}"
                )
            y = from_long(y)
        panel = y if isinstance(y, Panel) else Panel.of_series(y)
        self._fit_panel(panel)
        self.panel_ = panel
        return self

    def check_levels(self, panel: Panel, level: Any) -> None:
        """Refuse, before any training, interval levels ``panel`` gives too few held-back
        forecasts to calibrate.

        Parameters
        ----------
        panel : Panel
            The training panel.
        level : float or list of float
            The interval coverages that will be asked of ``predict``.
        """
        calibrated, source = self._calibration_forecasts(panel)
        for value in interval_levels(level):
            needed = calibration_needed(value)
            if calibrated < needed:
                raise InvalidInputError(
                    f"a {value:g}% interval needs at least {needed} held-back forecasts to calibrate on; this panel "
                    f"gives {calibrated} ({source}): ask for a lower level, or forecast without intervals"
                )

    def _calibration_forecasts(self, panel: Panel) -> tuple[int, str]:
        """How many held-back forecasts ``panel`` gives the intervals, and from what."""
        raise InvalidInputError(f"{type(self).__name__} gives no prediction intervals")

    def _fit_panel(self, panel: Panel) -> None:
        raise NotImplementedError

    def _forecast_panel(self, panel: Panel, horizon: int, levels: list[float]) -> PanelForecasts:
        raise NotImplementedError

    def _one_step_panel(self, new: list[np.ndarray], include_history: bool) -> PanelForecasts:
        raise NotImplementedError

    def predict(
        self, horizon: int, *, members: bool = False, spread: bool = False, level: Any = None, executor: Any = None
    ) -> pd.DataFrame:
        """The ``horizon`` values after every series.

        Parameters
        ----------
        horizon : int
            How many values to forecast after each series.
        members : bool, default False
            Also each member's forecast, ``<alias>-member-k``.
        spread : bool, default False
            Also ``<alias>-min`` and ``<alias>-max``, the members' range (not an interval).
        level : float or list of float, optional
            Prediction intervals at these coverages in percent, ``<alias>-lo-<level>`` and
            ``<alias>-hi-<level>``.
        executor : concurrent.futures.Executor, optional
            Forecast partitions of the panel as tasks there (``lstmcast.parallel.cluster``).

        Returns
        -------
        pandas.DataFrame
            ``unique_id, ds, <alias>`` and the interval and member columns asked for.
        """
        from lstmcast.parallel import PARTITION_SIZE, run_tasks

        self._check_fitted("panel_")
        horizon = positive_int(horizon, "horizon")
        levels = [] if level is None else interval_levels(level)
        panel = self.panel_
        if executor is None or len(panel) <= PARTITION_SIZE:
            return self._long_frame(panel, horizon, self._forecast_panel(panel, horizon, levels), members, spread)
        parts = [
            panel.select(panel.ids[start : start + PARTITION_SIZE]) for start in range(0, len(panel), PARTITION_SIZE)
        ]
        frames = run_tasks(
            self._partition_frame,
            [(part, horizon, levels, members, spread) for part in parts],
            executor=executor,
            label="forecast partitions",
        )
        return pd.concat(frames, ignore_index=True)

    def _partition_frame(self, panel: Panel, horizon: int, levels: list[float], members: bool, spread: bool):
        return self._long_frame(panel, horizon, self._forecast_panel(panel, horizon, levels), members, spread)

    def predict_one_step(self, y_new: Any, *, members: bool = False, include_history: bool = False) -> pd.DataFrame:
        """One-step walk-forward forecasts of the observations after every series.

        Parameters
        ----------
        y_new : Panel or pandas.DataFrame
            The new observations of each series (a long frame ``unique_id, ds, y`` or a Panel),
            each series continuing its training series; each point is predicted from the true
            values before it, nothing refitted.
        members : bool, default False
            Each member's forecasts too.
        include_history : bool, default False
            Prepend the one-step forecasts over the training data (NaN where there is none).

        Returns
        -------
        pandas.DataFrame
            ``unique_id, ds, <alias>`` (and member columns).
        """
        from lstmcast.data import from_long

        self._check_fitted("panel_")
        new = y_new if isinstance(y_new, Panel) else from_long(y_new) if isinstance(y_new, pd.DataFrame) else None
        if new is None:
            raise InvalidInputError(
                "y_new is a long frame (unique_id, ds, y) or a Panel of the values after each series"
            )
        new = _continuing(self.panel_, new)
        result = self._one_step_panel(list(new.values), include_history)
        index = [
            (train.append(after) if include_history else after) for train, after in zip(self.panel_.index, new.index)
        ]
        if include_history:
            point = [np.concatenate(pair) for pair in zip(result.history_point, result.point)]
            every = [np.concatenate(pair, axis=1) for pair in zip(result.history, result.members)]
            result = PanelForecasts(point=point, members=every)
        return _frame_of(self.panel_.ids, index, result, self.alias, members)

    def _panel_forecasts(self, panel, horizon, levels, new, in_sample, keep) -> PanelForecasts:
        model = clone(self).fit(panel)
        if new is None:
            out = model._forecast_panel(panel, horizon, list(levels))
        else:
            out = model._one_step_panel([np.asarray(v, np.float64) for v in new], in_sample)
        out.fitted = [model] if keep else []
        return out

    def _long_frame(
        self, panel: Panel, horizon: int, result: PanelForecasts, members: bool, spread: bool
    ) -> pd.DataFrame:
        shown = replace(result, point=list(result.point))
        return _frame_of(panel.ids, panel.future_index(horizon), shown, self.alias, members, spread)


def _frame_of(ids, index, result: PanelForecasts, alias: str, members: bool, spread: bool = False) -> pd.DataFrame:
    """The long frame of a global model's forecasts: ``unique_id, ds, <alias>``, the interval
    columns, the members' range (with ``spread``) and one column per member (with ``members``)."""
    from lstmcast.data import panel_frame

    forecasts, lower, upper = result.members, result.lower, result.upper
    columns: dict[str, list[np.ndarray]] = {alias: list(result.point)}
    if spread:
        columns[f"{alias}-min"] = [f.min(axis=0) for f in forecasts]
        columns[f"{alias}-max"] = [f.max(axis=0) for f in forecasts]
    for level in lower:
        columns[f"{alias}-lo-{level:g}"] = lower[level]
        columns[f"{alias}-hi-{level:g}"] = upper[level]
    if members:
        for m in range(len(forecasts[0])):
            columns[f"{alias}-member-{m}"] = [f[m] for f in forecasts]
    return panel_frame(ids, index, columns)


def _continuing(train: Panel, new: Panel) -> Panel:
    """``new`` in ``train``'s order, checked to hold exactly its series, each continuing it."""
    missing = [uid for uid in train.ids if uid not in set(new.ids)]
    if missing or len(new) != len(train):
        raise InvalidInputError(
            f"the new values must hold the training series and no others; series {missing[:3]} have none"
        )
    new = new.select(train.ids)
    for uid, before, after in zip(train.ids, train.index, new.index):
        expected = future_index(before, len(after))
        if not pd.Index(after).equals(expected):
            raise InvalidInputError(
                f"the new values of series {uid!r} must continue its training data: {time_label(expected[0])} .., "
                f"got {time_label(after[0])} .."
            )
    return new
