"""``LSTMForecaster``: the tutorials' whole recipe as one estimator, done without leaks.

``fit(y)`` fits the transforms (log, differencing, scaling) on ``y`` only, cuts windows of
``look_back`` values, trains ``n_models`` networks (seeds ``seed, seed+1, …``) in one compiled
call, and keeps everything needed to forecast later: ``predict(horizon)`` forecasts recursively
from the end of ``y``; ``predict_one_step(y_new)`` makes the walk-forward forecasts the tutorials
report (each new point predicted from the true values before it; a stateful network carries its
state through the training data and on through the new points, as in the shampoo tutorial).
Forecasts of an ensemble are the mean of its members, in original units. It follows the
forecaster protocol of ``lstmcast.forecast.base`` (frames out after fitting a Series).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jax
import numpy as np
import pandas as pd

from lstmcast._checks import count_or_fraction, non_negative_int, one_of, positive_int, series_values
from lstmcast._estimator import _same
from lstmcast._io import jsonable
from lstmcast._shapes import pad_rows, power_of_two
from lstmcast.errors import InvalidInputError, ModelFileError
from lstmcast.forecast.base import Forecaster, check_alias
from lstmcast.nn import (
    Dense,
    NetworkSpec,
    ensemble_forward,
    ensemble_outputs,
    ensemble_recursive,
    ensemble_stateful,
    load_network,
    save_network,
)
from lstmcast.train import EarlyStopping, TrainConfig, fit_many
from lstmcast.transforms import Difference, Log, MinMaxScale, Pipeline, StandardScale, from_config, make_windows

SCALINGS = ("minmax", "standard", None)
STRATEGIES = ("recursive", "direct")


class LSTMForecaster(Forecaster):
    """A univariate LSTM forecaster with Keras semantics and scikit-learn habits.

    Parameters mirror the tutorials' choices: ``look_back`` inputs → the next value; ``units``
    (an int, or a list for stacked LSTM layers) and ``dense`` (hidden Dense layers before the
    linear output, ints or ``(units, activation)``); ``difference`` (a lag, or a list of lags such
    as ``[1, 12]``, applied after an optional ``log``); ``scale`` ``"minmax"`` to
    ``feature_range`` (from the training data's range, or from a fixed ``scale_range`` of the
    values entering the scaler) or ``"standard"``; training as ``lstmcast.train.TrainConfig``.
    ``validation_size`` holds out the last windows of ``y`` (a count, or a fraction) for early
    stopping with ``patience`` (None: no early stopping); with ``restore_best_weights`` each member
    keeps its best epoch. ``validation_data`` instead gives values of their own to validate on
    (windowed and transformed like ``y``, windows within them only), as Keras' ``validation_data``;
    passing the test part there leaks it into training, as the sunspots tutorial does, and
    lstmcast's own evaluations never do it. ``n_models`` members with seeds ``seed … seed+n_models-1``. ``alias``
    names its column in frames and tables.

    Given a panel (a long frame ``unique_id, ds, y``, see ``lstmcast.forecast.global_lstm``) it
    trains one global network: ``strategy`` ``"recursive"`` (the next value, fed back) or
    ``"direct"`` (a head that outputs the whole ``horizon``); each series normalised by
    ``normalization`` (``"auto"`` chooses from the data); a list of ``look_back`` values makes a
    look-back ensemble (one member per look-back and seed), ``combine``d by ``"mean"`` or
    ``"median"``; each series gives at most its ``max_windows`` most recent windows, and
    ``max_train_windows`` bounds the work of one member (epochs × windows: above it, fewer epochs
    first, then fewer windows per series), which keeps a large panel's fit within minutes.
    ``recommended_panel_params`` gives the settings chosen on the M competitions' training data.

    >>> from lstmcast.datasets import load
    >>> y = load("airline")
    >>> model = LSTMForecaster(look_back=12, log=True, difference=12, scale="standard", epochs=5, n_models=2)
    >>> model.fit(y).predict(3).columns.tolist()
    ['ds', 'lstm']
    >>> model.predict(3)["ds"].dt.strftime("%Y-%m").tolist()
    ['1961-01', '1961-02', '1961-03']
    """

    fits_panels = True  # given a panel, one global network: evaluations fit it once per cut-off

    def __init__(
        self,
        *,
        look_back: int = 1,
        units: int | Sequence[int] = 4,
        dense: Sequence[int | tuple[int, str]] = (),
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        stateful: bool = False,
        epochs: int = 100,
        batch_size: int = 1,
        shuffle: bool | None = None,
        optimizer: str = "adam",
        learning_rate: float | None = None,
        loss: str = "mse",
        log: bool = False,
        difference: int | Sequence[int] | None = None,
        scale: str | None = "minmax",
        feature_range: tuple[float, float] = (0.0, 1.0),
        scale_range: tuple[float, float] | None = None,
        validation_size: int | float = 0,
        validation_data: Sequence[float] | None = None,
        patience: int | None = None,
        min_delta: float = 0.0,
        restore_best_weights: bool = True,
        n_models: int = 1,
        seed: int = 0,
        verbose: int = 0,
        alias: str = "lstm",
        strategy: str = "recursive",
        horizon: int | None = None,
        normalization: str = "auto",
        max_windows: int = 64,
        max_train_windows: int | None = None,
        conformal_windows: int = 0,
        season: int | None = None,
        combine: str = "mean",
    ) -> None:
        self.look_back = look_back
        self.units = units
        self.dense = dense
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.stateful = stateful
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.log = log
        self.difference = difference
        self.scale = scale
        self.feature_range = feature_range
        self.scale_range = scale_range
        self.validation_size = validation_size
        self.validation_data = validation_data
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best_weights = restore_best_weights
        self.n_models = n_models
        self.seed = seed
        self.verbose = verbose
        self.alias = alias
        self.strategy = strategy
        self.horizon = horizon
        self.normalization = normalization
        self.max_windows = max_windows
        self.max_train_windows = max_train_windows
        self.conformal_windows = conformal_windows
        self.season = season
        self.combine = combine

    # -- the parts, built from the parameters -------------------------------------------------
    def _pipeline(self) -> Pipeline:
        one_of(self.scale, SCALINGS, "scale")
        one_of(self.log, (True, False), "log")
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
        """What the network outputs: the next value (recursive) or the next ``horizon`` (direct)."""
        one_of(self.strategy, STRATEGIES, "strategy")
        if self.strategy == "recursive":
            return 1
        if self.horizon is None:
            raise InvalidInputError("strategy='direct' outputs the whole horizon at once: give horizon=H")
        if self.stateful:
            raise InvalidInputError(
                "a stateful network forecasts recursively: use strategy='recursive' with stateful=True"
            )
        return positive_int(self.horizon, "horizon")

    def _spec(self) -> NetworkSpec:
        dense = tuple(Dense(d) if not isinstance(d, (tuple, list)) else Dense(*d) for d in self.dense)
        return NetworkSpec(
            input_dim=1,
            lstm_units=self.units,
            dense=dense + (Dense(self._outputs()),),
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
        )

    def _train_config(self, validating: bool) -> TrainConfig:
        early = None
        if self.patience is not None:
            early = EarlyStopping(
                monitor="val_loss" if validating else "loss",
                patience=self.patience,
                min_delta=self.min_delta,
                restore_best_weights=self.restore_best_weights,
            )
        return TrainConfig(
            epochs=self.epochs,
            batch_size=self.batch_size,
            shuffle=self.shuffle,
            stateful=self.stateful,
            loss=self.loss,
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            early_stopping=early,
        )

    @property
    def n_members(self) -> int:
        return positive_int(self.n_models, "n_models")

    # -- fitting ---------------------------------------------------------------------------------
    def fit(self, y: Any) -> LSTMForecaster:
        """Fit on one series (an array, or a pandas Series with a time index), or on a panel: a
        long frame ``unique_id, ds, y`` or a ``lstmcast.data.Panel``, which trains one global
        network on windows drawn from every series (``lstmcast.forecast.global_lstm``)."""
        from lstmcast.data import Panel, from_long

        for name in ("y_", "index_", "panel_", "scalings_", "calibration_scores_", "fallback_series_"):
            self.__dict__.pop(name, None)
        if isinstance(y, pd.DataFrame) and {"unique_id", "ds", "y"} <= set(y.columns):
            y = from_long(y)
        if not isinstance(y, Panel):
            super().fit(y)
            if non_negative_int(self.conformal_windows, "conformal_windows"):
                self._calibrate_single_series()
            return self
        from lstmcast.forecast.global_lstm import fit_panel

        check_alias(self.alias)
        changed = [name for name in _SINGLE_SERIES_ONLY if not _same(getattr(self, name), _DEFAULTS[name])]
        if changed:
            raise InvalidInputError(
                f"{', '.join(changed)} transform one series; a panel is normalised series by series "
                "(normalization='auto', 'log' or 'level'): leave them at their defaults"
            )
        fit_panel(self, y)
        return self

    def _calibrate_single_series(self) -> None:
        """Conformal scores for prediction intervals: ``conformal_windows`` copies of this model
        refitted (together, in one program) on the series cut ``horizon + j`` values before its
        end, ``j = 0 .. conformal_windows - 1``, each forecasting the ``horizon`` values after its
        cut; the absolute errors per horizon step are the scores."""
        from lstmcast.forecast.base import clone

        if self.horizon is None:
            raise InvalidInputError(
                "calibrating intervals needs the horizon they are for: give horizon=H with conformal_windows"
            )
        horizon, windows = (
            positive_int(self.horizon, "horizon"),
            positive_int(self.conformal_windows, "conformal_windows"),
        )
        cuts = [len(self.y_) - horizon - j for j in range(windows)]
        copies = [clone(self).set_params(conformal_windows=0, verbose=0) for _ in cuts]
        try:
            fit_together(copies, [self.y_[:cut] for cut in cuts])
        except InvalidInputError as error:
            raise InvalidInputError(
                f"conformal_windows={windows} refits the model on the series cut up to {horizon + windows - 1} values "
                f"before its end, which leaves too little to train on ({error}); use fewer windows or a shorter horizon"
            ) from None
        self.calibration_scores_ = np.stack(
            [np.abs(self.y_[cut : cut + horizon] - copy.predict(horizon)) for copy, cut in zip(copies, cuts)]
        )

    def _half_widths(self, horizon: int, levels: list[float]) -> dict[float, np.ndarray]:
        from lstmcast.forecast.panel import conformal_quantiles

        if "calibration_scores_" not in self.__dict__:
            raise InvalidInputError(
                "this model was not calibrated for intervals: fit it with horizon=H and conformal_windows=K (e.g. 20)"
            )
        if horizon > self.calibration_scores_.shape[1]:
            raise InvalidInputError(
                f"the intervals were calibrated for horizon={self.calibration_scores_.shape[1]}; refit with horizon={horizon}"
            )
        return conformal_quantiles(self.calibration_scores_[:, :horizon], levels)

    def predict(
        self, horizon: int, *, members: bool = False, spread: bool = False, level: Any = None, executor: Any = None
    ):
        """The ``horizon`` values after the training data: see ``Forecaster.predict``; after a
        panel, the long frame ``unique_id, ds, <alias>`` (``level`` adds conformal intervals;
        ``executor`` forecasts partitions of the panel as tasks, ``lstmcast.scale.cluster``)."""
        if "panel_" in self.__dict__:
            from lstmcast.forecast.global_lstm import predict_panel

            if spread:
                raise InvalidInputError("spread= is for one series; a panel's members come with members=True")
            return predict_panel(self, horizon, level=level, members=members, executor=executor)
        if executor is not None:
            raise InvalidInputError("executor= splits a panel's forecasts; one series is forecast in this process")
        return super().predict(horizon, members=members, spread=spread, level=level)

    def _fit(self, values: np.ndarray) -> None:
        plan = self._training_plan(values)
        result = fit_many(
            plan.spec,
            plan.x,
            plan.y,
            plan.config,
            seeds=plan.seeds,
            validation_data=plan.validation,
            verbose=plan.verbose,
        )
        self._fitted_from(plan, result)

    def _training_plan(self, values: np.ndarray) -> _TrainingPlan:
        """Everything ``fit`` trains from: transforms fitted on ``values``, the windows (minus a
        validation tail), the network and the training settings."""
        look_back = positive_int(self.look_back, "look_back")
        n_models, seed = self.n_members, non_negative_int(self.seed, "seed")
        verbose = non_negative_int(self.verbose, "verbose")
        spec = self._spec()
        pipeline = self._pipeline()
        transform_state = pipeline.fit(values)
        outputs = self._outputs()
        x, target = make_windows(pipeline.apply(values, transform_state), look_back, outputs)
        n_val = count_or_fraction(self.validation_size, "validation_size", len(x), allow_zero=True)
        if n_val >= len(x):
            raise InvalidInputError(
                f"validation_size={self.validation_size!r} leaves no training windows (there are {len(x)}); use a smaller one"
            )
        if self.validation_data is not None:
            if n_val:
                raise InvalidInputError("give validation_size or validation_data, not both")
            own = series_values(self.validation_data, "validation_data")
            validation = make_windows(pipeline.apply(own, transform_state), look_back, outputs)
            train_x, train_y = x, target
        else:
            validation = (x[-n_val:], target[-n_val:]) if n_val else None
            train_x, train_y = (x[:-n_val], target[:-n_val]) if n_val else (x, target)
        config = self._train_config(validation is not None)
        seeds = [seed + k for k in range(n_models)]
        return _TrainingPlan(spec, pipeline, transform_state, train_x, train_y, validation, config, seeds, verbose)

    def _fitted_from(self, plan: _TrainingPlan, result) -> None:
        self._set_fitted(plan.spec, plan.pipeline, plan.transform_state, result.params)
        self.history_ = result.history
        self.epochs_run_ = np.asarray(result.epochs_run)
        self.train_seconds_ = result.seconds

    def _set_fitted(self, spec, pipeline, transform_state, params) -> None:
        self.spec_ = spec
        self.pipeline_ = pipeline
        self.transform_state_ = transform_state
        self.params_ = jax.tree_util.tree_map(np.asarray, params)

    # -- forecasting -----------------------------------------------------------------------------
    def _forecast(self, horizon: int) -> np.ndarray:
        """Each member's forecast, ``(n_models, horizon)``: fed its previous forecasts (recursive),
        or the network's outputs at once (direct)."""
        z = self.pipeline_.apply(self.y_, self.transform_state_)
        look_back = self.look_back
        if self.strategy == "direct":
            if horizon > self.spec_.output_dim:
                raise InvalidInputError(
                    f"this model forecasts directly up to horizon={self.spec_.output_dim}; refit with horizon={horizon}"
                )
            x = z[-look_back:].astype(np.float32)[None, :, None]
            z_future = np.asarray(ensemble_forward(self.spec_, self.params_, x, [look_back]), np.float64)[
                :, 0, :horizon
            ]
            return np.stack([self.pipeline_.invert(zk, self.transform_state_, self.y_) for zk in z_future])
        state = None
        if self.stateful:
            # The state after every window that precedes the last one, which then starts the forecast.
            state = ensemble_stateful(self.spec_, self.params_, _all_windows(z, look_back)[:-1])[1]
        z_future = ensemble_recursive(self.spec_, self.params_, state, z[-look_back:].astype(np.float32), horizon)
        z_future = np.asarray(z_future, np.float64)
        return np.stack([self.pipeline_.invert(zk, self.transform_state_, self.y_) for zk in z_future])

    def _one_step(self, new: np.ndarray, include_history: bool) -> np.ndarray:
        """Walk-forward forecasts of ``new`` (after the training data) without refitting: each
        member's ``(n_models, points)``; with ``include_history`` the training points come first
        (NaN where no full window precedes a point)."""
        y_all = np.concatenate([self.y_, new])
        z_all = self.pipeline_.apply(y_all, self.transform_state_)
        look_back, offset = self.look_back, self.pipeline_.history_length
        x = _all_windows(z_all, look_back)  # window j predicts z_all[j + look_back]
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
                self.pipeline_.invert_one_step(zk[keep], self.transform_state_, y_all, positions[keep])
                for zk in np.asarray(z_hat, np.float64)
            ]
        )
        if include_history:
            full = np.full((len(predictions), len(y_all)), np.nan)
            full[:, positions[keep]] = predictions
            predictions = full
        return predictions

    # -- persistence -----------------------------------------------------------------------------
    def save(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Save the fitted forecaster (parameters, transforms or per-series scalings, training
        data, calibration scores, weights) to one file; ``load`` gives it back exactly."""
        self._check_fitted("params_")
        metadata: dict[str, Any] = {"kind": "LSTMForecaster", "params": jsonable(self.get_params(deep=False))}
        if "panel_" in self.__dict__:
            panel = self.panel_
            metadata["panel"] = {
                "ids": list(panel.ids),
                "values": [v.tolist() for v in panel.values],
                "index": [_index_to_json(index) for index in panel.index],
                "scalings": [None if s is None else s.to_json() for s in self.scalings_],
                "look_backs": self.member_look_backs_.tolist(),
                "fallback": list(self.fallback_series_),
            }
        else:
            metadata.update(
                transforms=self.pipeline_.to_config(),
                transform_state=self.transform_state_,
                y=self.y_.tolist(),
                index=None if self.index_ is None else _index_to_json(self.index_),
            )
        if "calibration_scores_" in self.__dict__:
            metadata["calibration_scores"] = self.calibration_scores_.tolist()
        return save_network(path, self.spec_, self.params_, metadata=metadata, overwrite=overwrite)

    @classmethod
    def load(cls, path: str | Path) -> LSTMForecaster:
        """Load a forecaster written by ``save``; it forecasts exactly as before."""
        from lstmcast.data import Panel
        from lstmcast.forecast.panel import SeriesScaling

        spec, params, metadata = load_network(path)
        if metadata.get("kind") != "LSTMForecaster":
            raise ModelFileError(f"{path} holds a network, not an LSTMForecaster")
        forecaster = cls(**metadata["params"])
        if isinstance(forecaster.look_back, list):
            forecaster.look_back = tuple(forecaster.look_back)
        for key in ("feature_range", "scale_range"):
            if getattr(forecaster, key) is not None:
                setattr(forecaster, key, tuple(getattr(forecaster, key)))
        forecaster.dense = tuple(tuple(d) if isinstance(d, list) else d for d in forecaster.dense)
        if "calibration_scores" in metadata:
            forecaster.calibration_scores_ = np.asarray(metadata["calibration_scores"], np.float64)
        if "panel" in metadata:
            info = metadata["panel"]
            index = [_index_from_json(i) for i in info["index"]]
            forecaster.spec_, forecaster.params_ = spec, params
            forecaster.panel_ = Panel(
                tuple(info["ids"]), tuple(np.asarray(v, np.float64) for v in info["values"]), tuple(index)
            )
            forecaster.scalings_ = [None if s is None else SeriesScaling.from_json(s) for s in info["scalings"]]
            forecaster.fallback_series_ = list(info["fallback"])
            forecaster.member_look_backs_ = np.asarray(info["look_backs"])
            return forecaster
        forecaster._set_fitted(spec, from_config(metadata["transforms"]), metadata["transform_state"], params)
        forecaster.y_ = np.asarray(metadata["y"], np.float64)
        forecaster.index_ = None if metadata["index"] is None else _index_from_json(metadata["index"])
        return forecaster


# Settings that transform one series; a panel is normalised series by series instead.
_SINGLE_SERIES_ONLY = (
    "log",
    "difference",
    "scale",
    "feature_range",
    "scale_range",
    "stateful",
    "validation_size",
    "validation_data",
)
_DEFAULTS = {
    name: parameter.default for name, parameter in inspect.signature(LSTMForecaster.__init__).parameters.items()
}


@dataclass(frozen=True)
class _TrainingPlan:
    spec: NetworkSpec
    pipeline: Pipeline
    transform_state: Any
    x: np.ndarray
    y: np.ndarray
    validation: tuple[np.ndarray, np.ndarray] | None
    config: TrainConfig
    seeds: list[int]
    verbose: int


def fit_together(models: Sequence[Forecaster], series: Sequence[Any], *, verbose: int = 0) -> list[Forecaster]:
    """Fit ``models[k]`` on ``series[k]`` for every ``k`` (in place, as ``fit``; returned too),
    training the networks of all the LSTMForecasters among them in as few compiled programs as
    possible (``lstmcast.train.fit_jobs``): configurations of a search and folds of a
    cross-validation that differ in seed, learning rate, epochs, series length, batch size or
    layer widths train in one program. Each result equals a separate ``fit`` to float rounding;
    other forecasters are simply fitted."""
    from lstmcast.train import TrainJob, TrainResult, fit_jobs

    if len(models) != len(series):
        raise InvalidInputError(f"give one series per model: {len(models)} models, {len(series)} series")
    jobs, planned = [], []
    for model, y in zip(models, series):
        if not isinstance(model, LSTMForecaster):
            model.fit(y)
            continue
        values, index = model._training_values(y)
        plan = model._training_plan(values)
        planned.append((model, values, index, plan, len(jobs)))
        jobs += [TrainJob(plan.spec, plan.x, plan.y, plan.config, seed, plan.validation) for seed in plan.seeds]
    results = fit_jobs(jobs, verbose=verbose)
    for model, values, index, plan, first in planned:
        model._fitted_from(plan, TrainResult.stack(results[first : first + len(plan.seeds)]))
        model._keep(values, index)
    return list(models)


def program_key(model: Forecaster, y: Any) -> tuple | None:
    """The compiled program ``model``'s networks would train in when fitted on ``y``
    (``lstmcast.train.program_key``); None for a model without a network. Models with equal keys
    share a program in ``fit_together``, so a distributed job sends them to one worker."""
    from lstmcast.train import TrainJob
    from lstmcast.train import program_key as job_key

    if not isinstance(model, LSTMForecaster):
        return None
    plan = model._training_plan(model._training_values(y)[0])
    return job_key(TrainJob(plan.spec, plan.x, plan.y, plan.config, plan.seeds[0], plan.validation))


def _all_windows(z: np.ndarray, look_back: int) -> np.ndarray:
    """Windows ``z[j : j+look_back]`` for every j, including the one that ends at ``z``'s end."""
    if len(z) < look_back:
        raise InvalidInputError(f"the series is too short for look_back={look_back}")
    return np.lib.stride_tricks.sliding_window_view(z, look_back).astype(np.float32)[:, :, None]


def _index_to_json(index: pd.Index) -> dict:
    if isinstance(index, pd.DatetimeIndex):
        tz = None if index.tz is None else str(index.tz)
        start = index[0].tz_localize(None) if tz else index[0]
        return {"kind": "datetime", "start": start.isoformat(), "tz": tz, "freq": index.freqstr, "length": len(index)}
    return {"kind": "range", "start": int(index[0]), "length": len(index)}


def _index_from_json(info: dict) -> pd.Index:
    if info["kind"] == "datetime":
        return pd.date_range(info["start"], periods=info["length"], freq=info["freq"], tz=info.get("tz"))
    return pd.RangeIndex(info["start"], info["start"] + info["length"])
