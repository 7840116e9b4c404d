"""``LocalLSTM``: the tutorials' whole recipe for one series, as one estimator, done without leaks.

``fit(y)`` fits the transforms (log, differencing, scaling) on ``y`` only, cuts windows of
``look_back`` values, trains ``n_seeds`` networks (seeds ``seed, seed+1, …``) in one compiled
call, and keeps everything needed to forecast later: ``predict(horizon)`` forecasts from the end
of ``y`` (recursively, or the whole horizon at once); ``predict_one_step(y_new)`` makes the
walk-forward forecasts the tutorials report (each new point predicted from the true values
before it; a stateful network carries its state through the training data and on through the new
points, as in the shampoo tutorial). Forecasts of an ensemble are the mean of its members, in
original units. It follows the local-forecaster protocol of ``lstmcast.forecast.base``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import jax
import numpy as np

from lstmcast._checks import count_or_fraction, non_negative_int, one_of, positive_int, series_values
from lstmcast._shapes import pad_rows, power_of_two
from lstmcast.data.frequency import index_from_data, index_to_data
from lstmcast.errors import InvalidInputError
from lstmcast.forecast.base import LocalForecaster, clone
from lstmcast.forecast.intervals import conformal_quantiles
from lstmcast.forecast.network import NetworkForecaster
from lstmcast.nn import NetworkSpec, ensemble_outputs, ensemble_recursive, ensemble_stateful
from lstmcast.train import TrainConfig, TrainJob, TrainResult, fit_jobs
from lstmcast.train import program_key as job_key
from lstmcast.transforms import (
    Difference,
    Log,
    MinMaxScale,
    Pipeline,
    StandardScale,
    all_windows,
    from_config,
    make_windows,
)

__all__ = ["SCALINGS", "LocalLSTM", "fit_together", "model_program_key"]

SCALINGS = ("minmax", "standard", None)


class LocalLSTM(NetworkForecaster, LocalForecaster):
    """A univariate LSTM forecaster for one series, with Keras semantics and scikit-learn habits.

    The defaults are the Keras tutorials' (``LSTM(4) -> Dense(1)``, a look-back of 1, 100 epochs
    at batch size 1, min-max scaling); ``lstmcast.forecast.recommended_params(y, season)`` gives
    settings that forecast well. The network and training parameters are ``NetworkForecaster``'s
    and ``NetworkEstimator``'s (``units``, ``dense``, ``epochs``, ``batch_size``, ``loss``,
    ``patience``, ``n_seeds``, ...).

    Parameters
    ----------
    stateful : bool, default False
        Keras' ``stateful=True``: the LSTM state is carried from window to window in order
        (batch size 1 walks the series), reset at each epoch's start; recursive strategy only.
    log : bool, default False
        Take the log first (positive series).
    difference : int or sequence of int, optional
        Lag(s) to difference by, after the log: ``1``, ``12``, or ``[1, 12]``.
    scale : {"minmax", "standard", None}, default "minmax"
        The scaler fitted on the training values (after log and differencing).
    feature_range : (float, float), default (0.0, 1.0)
        ``scale="minmax"``: the range the training values are scaled to.
    scale_range : (float, float), optional
        ``scale="minmax"``: scale from this fixed range of the values entering the scaler
        instead of the training data's (how a tutorial that scales the whole series is
        reproduced).
    validation_size : int or float, default 0
        The last windows of ``y`` (a count, or a fraction) held out to validate on, for early
        stopping with ``patience``.
    validation_data : array-like, optional
        Values of their own to validate on instead (windowed and transformed like ``y``), as
        Keras' ``validation_data``; passing the test part leaks it into training, as the
        sunspots tutorial does, and lstmcast's evaluations never do it.
    conformal_windows : int, default 0
        Calibrate prediction intervals for ``horizon`` from this many refits of the model on the
        series cut ``horizon``, ``horizon + 1``, ... values before its end (20 suffices for 95%).
    alias : str, default "lstm"
        The forecast's column name.

    Examples
    --------
    >>> from lstmcast.datasets import load
    >>> y = load("airline")
    >>> model = LocalLSTM(look_back=12, log=True, difference=12, scale="standard", epochs=5, n_seeds=2)
    >>> model.fit(y).predict(3).columns.tolist()
    ['ds', 'lstm']
    >>> model.predict(3)["ds"].dt.strftime("%Y-%m").tolist()
    ['1961-01', '1961-02', '1961-03']
    """

    batch_size: int = 1
    stateful: bool = False
    log: bool = False
    difference: int | Sequence[int] | None = None
    scale: str | None = "minmax"
    feature_range: tuple[float, float] = (0.0, 1.0)
    scale_range: tuple[float, float] | None = None
    validation_size: int | float = 0
    validation_data: Sequence[float] | None = None
    conformal_windows: int = 0
    alias: str = "lstm"

    fitted_state: ClassVar[tuple[str, ...]] = ("transforms_", "transform_state_", "y_", "index_", "calibration_scores_")

    # -- the parts, built from the parameters -------------------------------------------------
    def _pipeline(self) -> Pipeline:
        one_of(self.scale, SCALINGS, "scale")
        one_of(self.log, (True, False), "log")
        if self.scale != "minmax":
            for name, value, default in (
                ("feature_range", self.feature_range, (0.0, 1.0)),
                ("scale_range", self.scale_range, None),
            ):
                if value != default:
                    raise InvalidInputError(
                        f"{name} sets the min-max scaler: it needs scale='minmax' (scale is {self.scale!r})"
                    )
        lags = (
            []
            if self.difference is None
            else list(self.difference)
            if isinstance(self.difference, (list, tuple))
            else [self.difference]
        )
        steps = ([Log()] if self.log else []) + [Difference(lag) for lag in lags]
        if self.scale == "minmax":
            data_range = None if self.scale_range is None else tuple(self.scale_range)
            steps.append(MinMaxScale(tuple(self.feature_range), data_range))
        elif self.scale == "standard":
            steps.append(StandardScale())
        return Pipeline(tuple(steps))

    def _outputs(self) -> int:
        outputs = super()._outputs()
        if outputs > 1 and self.stateful:
            raise InvalidInputError(
                "a stateful network forecasts recursively: use strategy='recursive' with stateful=True"
            )
        if self.horizon is not None and self.strategy == "recursive" and not self.conformal_windows:
            raise InvalidInputError(
                "horizon= is what a direct network outputs (strategy='direct') and what intervals are calibrated "
                "for (conformal_windows=K); a recursive model forecasts any horizon: leave horizon out"
            )
        return outputs

    def calibrates_intervals(self) -> bool:
        return bool(self.conformal_windows)

    def _fitted_state(self) -> dict[str, Any]:
        state = super()._fitted_state()
        state["index_"] = None if self.index_ is None else index_to_data(self.index_)
        return state

    def _restore(self, state: dict[str, Any]) -> None:
        super()._restore(state)
        self.index_ = None if state["index_"] is None else index_from_data(state["index_"])

    # -- fitting ---------------------------------------------------------------------------------
    def fit(self, y: Any) -> LocalLSTM:
        """Fit on one series (see ``LocalForecaster.fit``); with ``conformal_windows``, calibrate
        the prediction intervals too.

        Parameters
        ----------
        y : array-like or pandas.Series
            The training values; a Series with a time index makes ``predict`` return frames
            with dates.

        Returns
        -------
        LocalLSTM
            ``self``, fitted.
        """
        for name in ("y_", "index_", "calibration_scores_"):
            self.__dict__.pop(name, None)
        super().fit(y)
        self.calibration_scores_ = self._calibration_scores() if self.conformal_windows else None
        return self

    def _fit(self, values: np.ndarray) -> None:
        prepared = self._prepare(values)
        self._fitted_from(prepared, self._train(prepared.jobs))

    def _prepare(self, values: np.ndarray) -> _Prepared:
        """Everything ``fit`` trains from: transforms fitted on ``values``, the windows (minus a
        validation tail), and one training job per seed."""
        non_negative_int(self.conformal_windows, "conformal_windows")
        look_back = positive_int(self.look_back, "look_back")
        spec = self._spec()
        pipeline = self._pipeline()
        transform_state = pipeline.fit(values)
        outputs = spec.output_dim
        x, target = make_windows(pipeline.apply(values, transform_state), look_back, outputs)
        n_val = count_or_fraction(self.validation_size, "validation_size", len(x), allow_zero=True)
        if n_val >= len(x):
            raise InvalidInputError(
                f"validation_size={self.validation_size!r} leaves no training windows (there are {len(x)}); "
                "use a smaller one"
            )
        if self.validation_data is not None:
            if n_val:
                raise InvalidInputError("give validation_size or validation_data, not both")
            own = series_values(self.validation_data, "validation_data")
            validation = make_windows(pipeline.apply(own, transform_state), look_back, outputs)
        else:
            validation = (x[-n_val:], target[-n_val:]) if n_val else None
            x, target = (x[:-n_val], target[:-n_val]) if n_val else (x, target)
        config = self._forecaster_training(validation is not None, stateful=self.stateful)
        jobs = [TrainJob(spec, x, target, config, seed, validation) for seed in self._seeds()]
        return _Prepared(spec, pipeline, transform_state, config, jobs)

    def _fitted_from(self, prepared: _Prepared, result: TrainResult) -> None:
        self.spec_ = prepared.spec
        self.transforms_ = prepared.pipeline.to_config()
        self.transform_state_ = prepared.transform_state
        self.params_ = jax.tree_util.tree_map(np.asarray, result.params)
        self._keep_training(result)

    @property
    def pipeline_(self) -> Pipeline:
        """The fitted transforms (their learned values are ``transform_state_``)."""
        self._check_fitted("transforms_")
        return from_config(self.transforms_)

    def _calibration_scores(self) -> np.ndarray:
        """Conformal scores for prediction intervals: ``conformal_windows`` copies of this model
        refitted (together, in one program) on the series cut ``horizon + j`` values before its
        end, ``j = 0 .. conformal_windows - 1``, each forecasting the ``horizon`` values after its
        cut; their absolute errors per horizon step."""
        if self.horizon is None:
            raise InvalidInputError(
                "calibrating intervals needs the horizon they are for: give horizon=H with conformal_windows"
            )
        horizon, windows = (
            positive_int(self.horizon, "horizon"),
            positive_int(self.conformal_windows, "conformal_windows"),
        )
        cuts = [len(self.y_) - horizon - j for j in range(windows)]
        # the copies are not calibrated; a recursive copy forecasts any horizon
        settings = {"conformal_windows": 0, "verbose": 0, **({"horizon": None} if self.strategy == "recursive" else {})}
        copies = [clone(self).set_params(**settings) for _ in cuts]
        try:
            fit_together(copies, [self.y_[:cut] for cut in cuts])
        except InvalidInputError as error:
            raise InvalidInputError(
                f"conformal_windows={windows} refits the model on the series cut up to {horizon + windows - 1} values "
                f"before its end, which leaves too little to train on ({error}); use fewer windows or a shorter horizon"
            ) from None
        return np.stack(
            [np.abs(self.y_[cut : cut + horizon] - copy.predict(horizon)) for copy, cut in zip(copies, cuts)]
        )

    def _half_widths(self, horizon: int, levels: list[float]) -> dict[float, np.ndarray]:
        if self.calibration_scores_ is None:
            raise InvalidInputError(
                "this model was not calibrated for intervals: fit it with horizon=H and conformal_windows=K (e.g. 20)"
            )
        if horizon > self.calibration_scores_.shape[1]:
            raise InvalidInputError(
                f"the intervals were calibrated for horizon={self.calibration_scores_.shape[1]}; refit with "
                f"horizon={horizon}"
            )
        return conformal_quantiles(self.calibration_scores_[:, :horizon], levels)

    # -- forecasting -----------------------------------------------------------------------------
    def _forecast(self, horizon: int) -> np.ndarray:
        """Each member's forecast, ``(members, horizon)``: fed its previous forecasts (recursive),
        or the network's outputs at once (direct)."""
        pipeline = self.pipeline_
        z = pipeline.apply(self.y_, self.transform_state_)
        look_back = self.look_back
        if self.strategy == "direct":
            if horizon > self.spec_.output_dim:
                raise InvalidInputError(
                    f"this model forecasts directly up to horizon={self.spec_.output_dim}; refit with horizon={horizon}"
                )
            from lstmcast.nn import ensemble_forward

            x = z[-look_back:].astype(np.float32)[None, :, None]
            z_future = np.asarray(ensemble_forward(self.spec_, self.params_, x, [look_back]), np.float64)[
                :, 0, :horizon
            ]
        else:
            state = None
            if self.stateful:
                # The state after every window that precedes the last one, which then starts the forecast.
                state = ensemble_stateful(self.spec_, self.params_, all_windows(z, look_back)[:-1])[1]
            window = z[-look_back:].astype(np.float32)[None, :]
            z_future = np.asarray(
                ensemble_recursive(self.spec_, self.params_, window, horizon, states=state), np.float64
            )[:, 0]
        return np.stack([pipeline.invert(zk, self.transform_state_, self.y_) for zk in z_future])

    def _one_step(self, new: np.ndarray, include_history: bool) -> np.ndarray:
        """Walk-forward forecasts of ``new`` (after the training data) without refitting: each
        member's ``(members, points)``; with ``include_history`` the training points come first
        (NaN where no full window precedes a point)."""
        pipeline = self.pipeline_
        y_all = np.concatenate([self.y_, new])
        z_all = pipeline.apply(y_all, self.transform_state_)
        look_back, offset = self.look_back, pipeline.history_length
        x = all_windows(z_all, look_back)  # window j predicts z_all[j + look_back]
        padded = pad_rows(x, power_of_two(len(x)))  # padding at the end never feeds real windows; few shapes
        if self.stateful:
            z_hat = ensemble_stateful(self.spec_, self.params_, padded)[0][..., 0]
        else:
            z_hat = ensemble_outputs(self.spec_, self.params_, padded)
        z_hat = np.asarray(z_hat)[:, : len(x)]
        positions = np.arange(len(x)) + look_back + offset  # in y_all
        first = 0 if include_history else len(self.y_)
        keep = (positions >= first) & (positions < len(y_all))
        predictions = np.stack(
            [
                pipeline.invert_one_step(zk[keep], self.transform_state_, y_all, positions[keep])
                for zk in np.asarray(z_hat, np.float64)
            ]
        )
        if include_history:
            full = np.full((len(predictions), len(y_all)), np.nan)
            full[:, positions[keep]] = predictions
            predictions = full
        return predictions


@dataclass(frozen=True)
class _Prepared:
    spec: NetworkSpec
    pipeline: Pipeline
    transform_state: Any
    config: TrainConfig
    jobs: list[TrainJob]


def fit_together(
    models: Sequence[LocalForecaster], series: Sequence[Any], *, verbose: int = 0
) -> list[LocalForecaster]:
    """Fit ``models[k]`` on ``series[k]`` for every ``k``, training the networks of every
    ``LocalLSTM`` among them in as few compiled programs as possible.

    Configurations of a search and folds of a cross-validation that differ in seed, learning
    rate, epochs, series length or layer widths train in one program
    (``lstmcast.train.fit_jobs``; a different batch size makes a program of its own). Each
    result equals a separate ``fit`` to float rounding; other forecasters are simply fitted.

    Parameters
    ----------
    models : sequence of LocalForecaster
        The models, fitted in place.
    series : sequence of array-like or pandas.Series
        One training series per model.
    verbose : int, default 0
        1 shows one progress bar over every network's training.

    Returns
    -------
    list of LocalForecaster
        ``models``, fitted.
    """
    if len(models) != len(series):
        raise InvalidInputError(f"give one series per model: {len(models)} models, {len(series)} series")
    jobs, prepared = [], []
    for model, y in zip(models, series):
        if not isinstance(model, LocalLSTM):
            model.fit(y)
            continue
        values, index = model._training_values(y)
        ready = model._prepare(values)
        prepared.append((model, values, index, ready, len(jobs)))
        jobs += ready.jobs
    results = fit_jobs(jobs, verbose=verbose)
    for model, values, index, ready, first in prepared:
        model._fitted_from(ready, TrainResult.stack(results[first : first + len(ready.jobs)]))
        model._keep(values, index)
        model.calibration_scores_ = model._calibration_scores() if model.conformal_windows else None
    return list(models)


def model_program_key(model: LocalForecaster, y: Any) -> tuple | None:
    """The compiled program ``model``'s networks would train in when fitted on ``y``
    (``lstmcast.train.program_key``). Models with equal keys share a program in
    ``fit_together``, so a distributed search sends them to one worker.

    Parameters
    ----------
    model : LocalForecaster
        The model, fitted or not (it is not changed).
    y : array-like or pandas.Series
        The series it would be fitted on.

    Returns
    -------
    tuple or None
        The key; None for a model without a network.
    """
    if not isinstance(model, LocalLSTM):
        return None
    return job_key(model._prepare(model._training_values(y)[0]).jobs[0])
