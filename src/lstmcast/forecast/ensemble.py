"""``Ensemble``: forecasters combined into one, the M4 competition's lesson.

Any forecasters of the protocol, local and global alike, are fitted on the same series and their
forecasts combined per series and step: by their **median**, their **mean**, or a **weighted**
mean whose weights are chosen on the training data alone. ``fit`` works in two steps:

1. **Held back.** Every model forecasts each series' last ``horizon`` values from a fit that did
   not see them (``Forecaster.held_back_forecasts``: a fit on the series cut before them; the
   global LSTM's own held-back fit, which it makes anyway). Each model's error there, scaled per
   series as MASE scales it (by the in-sample seasonal-naive error of the data before the
   cut-off, ``lstmcast.metrics``), gives its weight (inversely proportional to its mean scaled
   error, for ``combine="weights"``), and the combination's own scaled errors per horizon step
   are the conformity scores of its split-conformal prediction intervals
   (``lstmcast.forecast.intervals``): the interval of a series is its forecast plus or minus the
   score quantile times its own scale.
2. **Final.** Every model is fitted on the whole of every series and forecasts from its end
   (this fit comes first in the code: the global LSTM's held-back forecasts come with it).

The test points are never seen: weights and intervals come from the held-back last ``horizon``
values of the training data. A model that cannot forecast a series (a baseline on a series too
short for it) leaves it to the others; a series no model forecasts is NaN and listed in
``failed``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from lstmcast._checks import one_of, positive_int
from lstmcast._checks import season as check_season
from lstmcast._estimator import clone
from lstmcast.data import Panel
from lstmcast.errors import BaselineFitError, InvalidInputError, TrainingDivergedError
from lstmcast.forecast.base import (
    COMBINATIONS,
    Forecaster,
    GlobalForecaster,
    LocalForecaster,
    PanelForecasts,
    _frame_of,
    check_alias,
    combine_members,
)
from lstmcast.forecast.intervals import calibration_needed, conformal_quantiles, interval_levels
from lstmcast.metrics import seasonal_naive_scale

__all__ = ["ENSEMBLE_COMBINATIONS", "Ensemble", "recommended_ensemble"]

ENSEMBLE_COMBINATIONS = (*COMBINATIONS, "weights")
"""How an ``Ensemble`` combines its models: their median, their mean, or weights chosen on the
held-back window."""

_FAILURES = (InvalidInputError, BaselineFitError, TrainingDivergedError)


class Ensemble(GlobalForecaster):
    """A combination of forecasters, for one series or many (a global model: one series is a
    panel of one); see the module docstring for how it is fitted.

    Parameters
    ----------
    horizon : int
        The values forecast after each series; the weights and intervals are chosen on each
        series' last ``horizon`` training values.
    models : sequence of Forecaster, optional
        The forecasters combined, each with its own alias (their columns sit beside the
        ensemble's in ``predict``). None: the recommended combination,
        ``GlobalLSTM(horizon=horizon, season=season)``, ``AutoETS`` and ``AutoCES`` (chosen by
        backtests inside the M1 and M3 training files, ``benchmarks/combinations.py``).
    combine : {"median", "mean", "weights"}, default "median"
        The models' median or mean per series and step, or their mean weighted by the inverse of
        each model's mean scaled error on the held-back window.
    windows : int, default 1
        Held-back origins, one value apart (the last at ``horizon`` values before each series'
        end): more give the weights and intervals more forecasts to learn from, one refit of
        every model each (the global LSTM's first comes with its own fit). One series needs
        ``calibration_needed(level)`` of them for an interval at ``level``.
    season : int, optional
        The seasonal period of the scale (MASE's) and of the recommended models; None takes it
        from the data's frequency.
    alias : str, default "ensemble"
        The combined forecast's column name.

    Attributes
    ----------
    models_ : list
        Per model, the fitted global model, or (a local model) one fitted copy per series (None
        where it failed).
    weights_ : numpy.ndarray
        Each model's weight (``combine="weights"``; else each model's share, equal).
    held_back_errors_ : numpy.ndarray
        Each model's mean scaled error (MASE) on the held-back windows, over the series every
        model forecast there (the same points for each).
    calibration_scores_ : numpy.ndarray
        ``(forecasts, horizon)``: the combination's scaled absolute errors on the held-back
        windows (one row per series and origin; the combination as the forecasts make it, of
        the models that forecast the series).
    """

    horizon: int | None = None
    models: Sequence[Forecaster] | None = None
    combine: str = "median"
    windows: int = 1
    season: int | None = None
    alias: str = "ensemble"

    def calibrates_intervals(self) -> bool:
        return True

    def members(self, season: int) -> list[Forecaster]:
        """The models combined: ``models``, or the recommended ones for ``season``; checked."""
        if self.models is None:
            from lstmcast.forecast.global_lstm import GlobalLSTM

            return _recommended_models(GlobalLSTM(horizon=self._horizon(), season=season), season)
        models = list(self.models) if isinstance(self.models, (list, tuple)) else None
        if not models or not all(isinstance(m, Forecaster) for m in models):
            raise InvalidInputError(
                "models is a list of lstmcast forecasters, e.g. [GlobalLSTM(horizon=12), AutoETS(season=12)]; "
                f"got {self.models!r}"
            )
        if isinstance(self.models, Ensemble) or any(isinstance(m, Ensemble) for m in models):
            raise InvalidInputError("an Ensemble's models are forecasters, not other ensembles: list their models")
        aliases = [check_alias(m.alias) for m in models]
        repeated = sorted({a for a in aliases if aliases.count(a) > 1} | ({self.alias} & set(aliases)))
        if repeated:
            raise InvalidInputError(
                f"each model of an Ensemble needs its own alias (its column), and none may be the ensemble's "
                f"{self.alias!r}; {repeated[0]!r} is taken twice: set alias= on one of them"
            )
        return models

    def _horizon(self) -> int:
        if self.horizon is None:
            raise InvalidInputError(
                "Ensemble chooses its weights and intervals on each series' last horizon values: give horizon=H"
            )
        return positive_int(self.horizon, "horizon")

    # -- fitting ---------------------------------------------------------------------------------
    def _fit_panel(self, panel: Panel) -> None:
        started = time.perf_counter()
        horizon = self._horizon()
        one_of(self.combine, ENSEMBLE_COMBINATIONS, "combine")
        season = panel.season if self.season is None else check_season(self.season)
        models = self.members(season)

        # every model on every series; then each model's forecasts of the series' last `horizon`
        # values from a fit that did not see them (the global LSTM's held-back fit gives its own)
        self.models_ = [_fitted(model, panel) for model in models]
        windows = positive_int(self.windows, "windows")
        forecasts, truth, scales = [], [], []
        for back in range(windows):  # origins one value apart, the last `horizon` values first
            rows = np.flatnonzero(panel.lengths - back - horizon >= 2)  # a held-back part keeps two values: a scale
            if len(rows) == 0:
                break
            part = panel.select([panel.ids[k] for k in rows])
            part = part.cut([n - back for n in part.lengths]) if back else part
            forecasts.append(
                np.stack(
                    [
                        _held_back(fitted, panel, horizon)[rows]
                        if back == 0 and isinstance(fitted, GlobalForecaster)
                        else _held_back(model, part, horizon)
                        for model, fitted in zip(models, self.models_)
                    ]
                )
            )  # (models, series, horizon)
            truth.append(np.stack([v[-horizon:] for v in part.values]))
            scales.append(np.array([_scale(v[:-horizon], season) for v in part.values]))
        if not forecasts:
            raise InvalidInputError(
                f"no series has more than horizon + 1 = {horizon + 1} values: nothing is left to choose weights and "
                "calibrate intervals on; use a shorter horizon"
            )
        forecasts, truth, scales = np.concatenate(forecasts, axis=1), np.concatenate(truth), np.concatenate(scales)
        with np.errstate(invalid="ignore", divide="ignore"):
            scaled = np.abs(forecasts - truth[None]) / np.where(scales > 0, scales, np.nan)[None, :, None]
        every = np.all(np.isfinite(scaled), axis=(0, 2))  # the series every model forecast, with a scale
        if not every.any() and self.combine == "weights":
            raise InvalidInputError(
                "no series was forecast by every model on the held-back window (or each repeats exactly, with no "
                "scale): the models cannot be compared for weights; use combine='median' or 'mean', or check the "
                "models on these series one by one"
            )
        # on the same points for every model (NaN when there are none: the median and mean need no comparison)
        self.held_back_errors_ = scaled[:, every].mean(axis=(1, 2)) if every.any() else np.full(len(models), np.nan)
        self.weights_ = _weights(self.combine, self.held_back_errors_)
        # the intervals' scores: the combination as it is made, of the models that forecast each series
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = np.abs(_combined(forecasts, self.combine, self.weights_) - truth) / scales[:, None]
        self.calibration_scores_ = scores[np.all(np.isfinite(scores), axis=1)]
        self.scales_ = np.array([_scale(v, season) for v in panel.values])
        self.aliases_ = [m.alias for m in models]
        self.train_seconds_ = time.perf_counter() - started

    # -- forecasting -----------------------------------------------------------------------------
    def _model_points(self, panel: Panel, horizon: int | None, new: list[np.ndarray] | None, history: bool):
        """Each model's point forecasts of every series of ``panel`` (multi-step, or one-step of
        ``new``): ``(models, series)`` arrays, NaN where a model failed; and, with ``history``,
        the same over the training parts."""
        position = {uid: k for k, uid in enumerate(self.panel_.ids)}
        rows = [position[uid] for uid in panel.ids]
        points, pasts = [], []
        for fitted in self.models_:
            if isinstance(fitted, GlobalForecaster):
                if new is None:
                    result = fitted._forecast_panel(panel, horizon, [])
                else:
                    result = fitted._one_step_panel(new, history)
                points.append([np.asarray(p, np.float64) for p in result.point])
                pasts.append(result.history_point)
                continue
            own, past = [], []
            for row, k in enumerate(rows):
                model = fitted[k]
                size = horizon if new is None else len(new[row])
                n_past = len(self.panel_.values[k]) if history else 0
                path = None
                if model is not None:
                    try:
                        if new is None:
                            path = combine_members(np.asarray(model._forecast(horizon), np.float64))
                        else:
                            path = combine_members(np.asarray(model._one_step(new[row], history), np.float64))
                    except _FAILURES:
                        path = None
                path = np.full(size + n_past, np.nan) if path is None else path
                own.append(path[n_past:])
                past.append(path[:n_past])
            points.append(own)
            pasts.append(past if history else None)
        return points, pasts

    def _forecast_panel(self, panel: Panel, horizon: int, levels: list[float]) -> PanelForecasts:
        horizon = positive_int(horizon, "horizon")
        if horizon > self._horizon():
            raise InvalidInputError(
                f"this ensemble was fitted for horizon={self.horizon}; refit with horizon={horizon} to forecast further"
            )
        half = conformal_quantiles(self.calibration_scores_[:, :horizon], levels) if levels else {}
        points, _ = self._model_points(panel, horizon, None, False)
        position = {uid: k for k, uid in enumerate(self.panel_.ids)}
        out = PanelForecasts(point=[], members=[])
        out.lower, out.upper = {lv: [] for lv in levels}, {lv: [] for lv in levels}
        for row, uid in enumerate(panel.ids):
            stacked = np.stack([p[row] for p in points])
            center = _combined(stacked, self.combine, self.weights_)
            out.point.append(center)
            out.members.append(stacked)
            if not np.isfinite(center).all():
                out.failed.append(uid)
            for level in levels:
                width = half[level] * self.scales_[position[uid]]
                out.lower[level].append(center - width)
                out.upper[level].append(center + width)
        return out

    def _one_step_panel(self, new: list[np.ndarray], include_history: bool) -> PanelForecasts:
        points, pasts = self._model_points(self.panel_, None, [np.asarray(v, np.float64) for v in new], include_history)
        out = PanelForecasts(point=[], members=[], history=[] if include_history else None)
        for row in range(len(self.panel_)):
            stacked = np.stack([p[row] for p in points])
            out.point.append(_combined(stacked, self.combine, self.weights_))
            out.members.append(stacked)
            if include_history:
                out.history.append(np.stack([p[row] for p in pasts]))
        if include_history:
            out.history_point = [_combined(h, self.combine, self.weights_) for h in out.history]
        return out

    def predict(self, horizon: int, *, members: bool = False, **options: Any) -> pd.DataFrame:
        """The ``horizon`` values after every series: the combination and each model's forecast.

        Parameters
        ----------
        horizon : int
            How many values to forecast after each series (at most the fitted ``horizon``).
        members : bool, default False
            Refused: an ensemble's members are its models, whose columns are always given.
        **options
            ``level=``, ``spread=``, ``executor=``, as ``GlobalForecaster.predict``.

        Returns
        -------
        pandas.DataFrame
            ``unique_id, ds, <alias>``, its interval columns with ``level``, then one column per
            model (its alias).
        """
        if members:
            raise InvalidInputError("an Ensemble's members are its models, whose columns predict always gives")
        return super().predict(horizon, **options)

    def _long_frame(self, panel, horizon, result, members, spread) -> pd.DataFrame:
        """``unique_id, ds, <alias>``, its intervals, then each model's forecast in its own column."""
        frame = _frame_of(panel.ids, panel.future_index(horizon), result, self.alias, False, spread)
        for m, alias in enumerate(self.aliases_):
            frame[alias] = np.concatenate([f[m] for f in result.members])
        return frame

    def _calibration_forecasts(self, panel: Panel) -> tuple[int, str]:
        lengths, horizon, windows = panel.lengths, self._horizon(), positive_int(self.windows, "windows")
        calibrated = sum(int(np.sum(lengths - back - horizon >= 2)) for back in range(windows))
        return calibrated, f"one per series longer than the horizon + 1 and origin, windows={windows}; use more windows"


def recommended_ensemble(lstm: Forecaster, data: Any, *, season: int, horizon: int, levels: Sequence[float] = ()):
    """The combination lstmcast recommends: ``lstm`` with AutoETS and AutoCES, by their median,
    with enough held-back origins to calibrate intervals at ``levels``.

    Parameters
    ----------
    lstm : Forecaster
        The LSTM for ``data`` (``default_forecaster``'s: a ``LocalLSTM`` for one series, a
        ``GlobalLSTM`` for a panel).
    data : pandas.Series, array-like or Panel
        The training data (its series count decides the held-back origins).
    season : int
        The seasonal period.
    horizon : int
        The values to forecast.
    levels : list of float, default ()
        The interval levels that will be asked of ``predict``.

    Returns
    -------
    Ensemble
        Unfitted.
    """
    series = len(data) if isinstance(data, Panel) else 1
    needed = max((calibration_needed(level) for level in interval_levels(list(levels))), default=1) if levels else 1
    return Ensemble(
        horizon=horizon, models=_recommended_models(lstm, season), season=season, windows=-(-needed // series)
    )


def _recommended_models(lstm: Forecaster, season: int) -> list[Forecaster]:
    from lstmcast.forecast.baselines import AutoCES, AutoETS

    return [lstm, AutoETS(season=season), AutoCES(season=season)]


def _held_back(model: Forecaster, panel: Panel, horizon: int) -> np.ndarray:
    """``model.held_back_forecasts(panel, horizon)``, NaN where the model cannot forecast (every
    series too short for it, say): the other models are compared and combined without it."""
    try:
        return model.held_back_forecasts(panel, horizon)
    except _FAILURES:
        return np.full((len(panel), horizon), np.nan)


def _scale(values: np.ndarray, season: int) -> float:
    """MASE's scale of a training series (``lstmcast.metrics.seasonal_naive_scale``); 0 where it
    vanishes (the series repeats exactly) or cannot be computed (one value)."""
    try:
        return seasonal_naive_scale(values, season)
    except InvalidInputError:
        return 0.0


def _weights(combine: str, errors: np.ndarray) -> np.ndarray:
    """Each model's weight: inversely proportional to its held-back error for ``"weights"``,
    equal shares otherwise (the median and the mean weigh no model above another)."""
    if combine != "weights":
        return np.full(len(errors), 1.0 / len(errors))
    inverse = 1.0 / np.maximum(errors, np.finfo(np.float64).tiny)
    return inverse / inverse.sum()


def _combined(forecasts: np.ndarray, combine: str, weights: np.ndarray) -> np.ndarray:
    """The models' forecasts ``(models, ...)`` combined, leaving out the NaN of a model that
    failed on a series (NaN only where every model failed)."""
    finite = np.isfinite(forecasts)
    with np.errstate(invalid="ignore", divide="ignore"):
        if combine == "weights":
            w = np.where(finite, weights.reshape((-1,) + (1,) * (forecasts.ndim - 1)), 0.0)
            total = w.sum(axis=0)
            value = np.where(finite, forecasts, 0.0)
            return np.where(total > 0, (w * value).sum(axis=0) / np.where(total > 0, total, 1.0), np.nan)
        kept = np.where(finite, forecasts, np.nan)
        reduce = np.nanmedian if combine == "median" else np.nanmean
        out = np.full(forecasts.shape[1:], np.nan)
        some = finite.any(axis=0)
        if some.any():
            out[some] = reduce(kept[:, some], axis=0)
        return out


def _fitted(model: Forecaster, panel: Panel) -> Any:
    """``model`` fitted on ``panel``: one global model, or one local copy per series (None where
    it failed; a dated series is fitted as one, so the copy knows its dates)."""
    if isinstance(model, GlobalForecaster):
        return clone(model).fit(panel)
    if not isinstance(model, LocalForecaster):
        raise InvalidInputError(f"{type(model).__name__} is neither a local nor a global forecaster")
    copies = []
    for values, axis in zip(panel.values, panel.index):
        try:
            copies.append(model.fitted_copy(values, axis))
        except _FAILURES:
            copies.append(None)
    return copies
