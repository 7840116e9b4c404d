"""``LSTMForecaster``: the tutorials' whole recipe as one estimator, done without leaks.

``fit(y)`` fits the transforms (log, differencing, scaling) on ``y`` only, cuts windows of
``look_back`` values, trains ``n_models`` networks (seeds ``seed, seed+1, …``) in one compiled
call, and keeps everything needed to forecast later: ``predict(horizon)`` forecasts recursively
from the end of ``y``; ``predict_one_step(y_new)`` makes the walk-forward forecasts the tutorials
report (each new point predicted from the true values before it; a stateful network carries its
state through the training data and on through the new points, as in the shampoo tutorial).
Forecasts of an ensemble are the mean of its members, in original units.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from lstmcast._estimator import Estimator
from lstmcast._shapes import bucket_size, pad_rows
from lstmcast.data import validate_series
from lstmcast.errors import InvalidInputError
from lstmcast.nn import (
    Dense,
    NetworkSpec,
    load_network,
    network_forward,
    save_network,
    stateful_scan,
    zero_network_state,
)
from lstmcast.train import EarlyStopping, TrainConfig, fit_many
from lstmcast.transforms import Difference, Log, MinMaxScale, Pipeline, StandardScale, from_config, make_windows

SCALINGS = ("minmax", "standard", None)


class LSTMForecaster(Estimator):
    """A univariate LSTM forecaster with Keras semantics and scikit-learn habits.

    Parameters mirror the tutorials' choices: ``look_back`` inputs → the next value; ``units``
    (an int, or a list for stacked LSTM layers) and ``dense`` (hidden Dense layers before the
    linear output, ints or ``(units, activation)``); ``difference`` (a lag, or a list of lags such
    as ``[1, 12]``, applied after an optional ``log``); ``scale`` ``"minmax"`` to
    ``feature_range`` (from the training data's range, or from a fixed ``scale_range`` of the
    values entering the scaler) or ``"standard"``; training as ``lstmcast.train.TrainConfig``.
    ``validation_size`` holds out the last windows of ``y`` (a count, or a fraction) for early
    stopping with ``patience`` (None: no early stopping); with ``restore_best_weights`` each member
    keeps its best epoch. ``n_models`` members with seeds ``seed … seed+n_models-1``.

    >>> f = LSTMForecaster(look_back=12, epochs=50, n_models=3).fit(y)   # doctest: +SKIP
    >>> f.predict(12)                                                     # doctest: +SKIP
    """

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
        patience: int | None = None,
        min_delta: float = 0.0,
        restore_best_weights: bool = True,
        n_models: int = 1,
        seed: int = 0,
        verbose: int = 0,
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
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best_weights = restore_best_weights
        self.n_models = n_models
        self.seed = seed
        self.verbose = verbose

    # -- the parts, built from the parameters -------------------------------------------------
    def _pipeline(self) -> Pipeline:
        if self.scale not in SCALINGS:
            raise InvalidInputError(f"scale must be one of {SCALINGS}, got {self.scale!r}")
        lags = [] if not self.difference else [self.difference] if isinstance(self.difference, int) else list(self.difference)
        steps = ([Log()] if self.log else []) + [Difference(int(lag)) for lag in lags]
        if self.scale == "minmax":
            data_range = None if self.scale_range is None else tuple(self.scale_range)
            steps.append(MinMaxScale(tuple(self.feature_range), data_range))
        elif self.scale == "standard":
            steps.append(StandardScale())
        return Pipeline(tuple(steps))

    def _spec(self) -> NetworkSpec:
        dense = tuple(Dense(d) if isinstance(d, int) else Dense(int(d[0]), str(d[1])) for d in self.dense)
        return NetworkSpec(
            input_dim=1,
            lstm_units=self.units,
            dense=dense + (Dense(1),),
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
        )

    def _train_config(self, validating: bool) -> TrainConfig:
        early = None
        if self.patience is not None:
            early = EarlyStopping(
                monitor="val_loss" if validating else "loss",
                patience=int(self.patience),
                min_delta=float(self.min_delta),
                restore_best_weights=bool(self.restore_best_weights),
            )
        return TrainConfig(
            epochs=int(self.epochs),
            batch_size=int(self.batch_size),
            shuffle=self.shuffle,
            stateful=bool(self.stateful),
            loss=self.loss,
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            early_stopping=early,
        )

    # -- fitting ---------------------------------------------------------------------------------
    def fit(self, y: Any) -> "LSTMForecaster":
        """Fit transforms and networks on ``y`` (array-like or a pandas Series with a time index)."""
        series = _as_series(y)
        values = series.to_numpy(np.float64)
        if int(self.n_models) < 1:
            raise InvalidInputError(f"n_models must be >= 1, got {self.n_models}")
        pipeline = self._pipeline()
        transform_state = pipeline.fit(values)
        z = pipeline.apply(values, transform_state)
        x, target = make_windows(z, int(self.look_back))
        n_val = _validation_count(self.validation_size, len(x))
        spec, config = self._spec(), self._train_config(n_val > 0)
        validation = (x[-n_val:], target[-n_val:]) if n_val else None
        train_x, train_y = (x[:-n_val], target[:-n_val]) if n_val else (x, target)
        if len(train_x) < 1:
            raise InvalidInputError(f"validation_size={self.validation_size} leaves no training windows")
        result = fit_many(
            spec,
            train_x,
            train_y,
            config,
            seeds=[int(self.seed) + k for k in range(int(self.n_models))],
            validation_data=validation,
            verbose=int(self.verbose),
        )
        self._set_fitted(spec, pipeline, transform_state, series, result.params)
        self.history_ = result.history
        self.epochs_run_ = np.asarray(result.epochs_run)
        self.train_seconds_ = result.seconds
        return self

    def _set_fitted(self, spec, pipeline, transform_state, series, params) -> None:
        self.spec_ = spec
        self.pipeline_ = pipeline
        self.transform_state_ = transform_state
        self.y_ = series.to_numpy(np.float64)
        self.index_ = series.index
        self.params_ = jax.tree_util.tree_map(np.asarray, params)

    # -- forecasting -----------------------------------------------------------------------------
    def predict(self, horizon: int, *, members: bool = False) -> np.ndarray:
        """Forecast ``horizon`` values after the training data, each step fed the previous
        forecasts (recursive). The ensemble mean, or ``(n_models, horizon)`` with ``members``."""
        self._check_fitted("params_")
        horizon = _positive(horizon, "horizon")
        z = self.pipeline_.apply(self.y_, self.transform_state_)
        look_back = int(self.look_back)
        state = None
        if self.stateful:
            # The state after every window that precedes the last one, which then starts the forecast.
            state = _stateful_pass(self.spec_, self.params_, _all_windows(z, look_back)[:-1])[1]
        z_future = _recursive(self.spec_, self.params_, state, z[-look_back:].astype(np.float32), horizon)
        z_future = np.asarray(z_future, np.float64)
        forecasts = np.stack([self.pipeline_.invert(zk, self.transform_state_, self.y_) for zk in z_future])
        return forecasts if members else forecasts.mean(axis=0)

    def predict_one_step(self, y_new: Any, *, members: bool = False, include_history: bool = False) -> np.ndarray:
        """Walk-forward forecasts for observations ``y_new`` that follow the training data: each
        point predicted from the true values before it, without refitting anything.

        With ``include_history`` the result starts with the same one-step forecasts over the
        training data (NaN where no full window precedes a point), then the new points.
        """
        self._check_fitted("params_")
        new = _as_values(y_new, "y_new", allow_empty=include_history)
        y_all = np.concatenate([self.y_, new])
        z_all = self.pipeline_.apply(y_all, self.transform_state_)
        look_back, offset = int(self.look_back), self.pipeline_.history_length
        x = _all_windows(z_all, look_back)  # window j predicts z_all[j + look_back]
        padded = pad_rows(x, bucket_size(len(x)))  # padding at the end: it never feeds real windows
        if self.stateful:
            z_hat = _stateful_pass(self.spec_, self.params_, padded)[0][..., 0]
        else:
            z_hat = _stateless_outputs(self.spec_, self.params_, padded)
        z_hat = np.asarray(z_hat)[:, : len(x)]
        positions = np.arange(len(x)) + look_back + offset  # in y_all
        first = 0 if include_history else len(self.y_)
        keep = (positions >= first) & (positions < len(y_all))
        predictions = np.stack(
            [self.pipeline_.invert_one_step(zk[keep], self.transform_state_, y_all, positions[keep]) for zk in np.asarray(z_hat, np.float64)]
        )
        if include_history:
            full = np.full((len(predictions), len(y_all)), np.nan)
            full[:, positions[keep]] = predictions
            predictions = full
        return predictions if members else predictions.mean(axis=0)

    # -- persistence -----------------------------------------------------------------------------
    def save(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Save the fitted forecaster (parameters, transforms, training data, weights) to one file."""
        self._check_fitted("params_")
        params = {key: _jsonable(value) for key, value in self.get_params().items()}
        metadata = {
            "kind": "LSTMForecaster",
            "params": params,
            "transforms": self.pipeline_.to_config(),
            "transform_state": self.transform_state_,
            "y": self.y_.tolist(),
            "index": _index_to_json(self.index_),
        }
        return save_network(path, self.spec_, self.params_, metadata=metadata, overwrite=overwrite)

    @classmethod
    def load(cls, path: str | Path) -> "LSTMForecaster":
        """Load a forecaster written by ``save``; it forecasts exactly as before."""
        from lstmcast.errors import ModelFileError

        spec, params, metadata = load_network(path)
        if metadata.get("kind") != "LSTMForecaster":
            raise ModelFileError(f"{path} holds a network, not an LSTMForecaster")
        forecaster = cls(**metadata["params"])
        for key in ("feature_range", "scale_range"):
            if getattr(forecaster, key) is not None:
                setattr(forecaster, key, tuple(getattr(forecaster, key)))
        forecaster.dense = tuple(tuple(d) if isinstance(d, list) else d for d in forecaster.dense)
        series = pd.Series(metadata["y"], index=_index_from_json(metadata["index"]), dtype=np.float64)
        forecaster._set_fitted(spec, from_config(metadata["transforms"]), metadata["transform_state"], series, params)
        return forecaster


# -- helpers: input checks -------------------------------------------------------------------------
def _as_series(y: Any) -> pd.Series:
    if isinstance(y, pd.Series):
        return validate_series(y)
    if isinstance(y, pd.DataFrame):
        raise InvalidInputError("LSTMForecaster.fit takes one series; pick a column, or use lstmcast.data.from_pandas")
    return validate_series(pd.Series(_as_values(y, "y")))


def _as_values(y: Any, name: str, allow_empty: bool = False) -> np.ndarray:
    values = y.to_numpy() if isinstance(y, (pd.Series, pd.Index)) else y
    try:
        values = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name} must be numbers; got values such as {np.asarray(values).ravel()[:3]!r}") from None
    if values.ndim == 2 and 1 in values.shape:
        values = values.ravel()
    if values.ndim != 1:
        raise InvalidInputError(f"{name} must be one series (1-D), got an array of shape {values.shape}")
    if not allow_empty and values.size == 0:
        raise InvalidInputError(f"{name} is empty")
    if not np.all(np.isfinite(values)):
        raise InvalidInputError(f"{name} has missing or infinite values (first at position {int(np.argmin(np.isfinite(values)))}); fill or drop them first")
    return values


def _positive(value: Any, name: str) -> int:
    try:
        whole = int(value) == value and int(value) >= 1
    except (TypeError, ValueError, OverflowError):
        whole = False
    if not whole or isinstance(value, (bool, str)):
        raise InvalidInputError(f"{name} must be a whole number >= 1, got {value!r}")
    return int(value)


def _validation_count(size: int | float, n_windows: int) -> int:
    if size is None or size == 0:
        return 0
    if 0 < size < 1:
        return max(1, int(round(size * n_windows)))
    if int(size) != size or size < 0:
        raise InvalidInputError(f"validation_size must be a fraction in (0, 1) or a whole number of windows, got {size}")
    return int(size)


def _all_windows(z: np.ndarray, look_back: int) -> np.ndarray:
    """Windows ``z[j : j+look_back]`` for every j, including the one that ends at ``z``'s end."""
    if len(z) < look_back:
        raise InvalidInputError(f"the series is too short for look_back={look_back}")
    return np.lib.stride_tricks.sliding_window_view(z, look_back).astype(np.float32)[:, :, None]


def _jsonable(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


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


# -- helpers: compiled inference over ensemble members ------------------------------------------
@partial(jax.jit, static_argnums=0)
def _stateless_outputs(spec: NetworkSpec, params: dict, x: jax.Array) -> jax.Array:
    """``(members, windows)`` network outputs."""
    return jax.vmap(lambda p: network_forward(spec, p, x)[0][:, 0])(params)


@partial(jax.jit, static_argnums=0)
def _stateful_pass(spec: NetworkSpec, params: dict, x: jax.Array):
    """Each member run with batch 1 over the windows in order, from a zero state:
    ``(outputs (members, windows, 1), final states)``."""
    return jax.vmap(lambda p: stateful_scan(spec, p, x, zero_network_state(spec, 1)))(params)


@partial(jax.jit, static_argnums=(0, 4))
def _recursive(spec: NetworkSpec, params: dict, states, window: jax.Array, horizon: int) -> jax.Array:
    """Each member fed its own forecasts for ``horizon`` steps. ``states`` None: stateless (every
    window from a zero state); else each member's LSTM state, carried on from step to step."""

    def member(p, state):
        def step(carry, _):
            w, state = carry
            out, new_state = network_forward(spec, p, w[None, :, None], state)
            value = out[0, 0]
            return (jnp.concatenate([w[1:], value[None]]), None if state is None else new_state), value

        return jax.lax.scan(step, (window, state), None, length=horizon)[1]

    return jax.vmap(member)(params, states)
