"""The host side of training: check and pad the data, draw initial weights and shuffles, run the
compiled loop chunk by chunk (with a progress bar), and turn its final state into a
``TrainResult``. ``fit`` and ``fit_many`` are the public doors."""

from __future__ import annotations

import math
import time
import warnings
from typing import Any, Sequence

import jax
import numpy as np

from lstmcast._checks import finite_array, non_negative_int, number
from lstmcast._runtime import ensure_runtime
from lstmcast._shapes import bucket_size, pad_rows, power_of_two
from lstmcast.errors import InvalidInputError, TrainingDivergedError
from lstmcast.nn.network import NetworkSpec, init_network, ravel_weights, unravel_weights, weight_shapes
from lstmcast.train.config import TrainConfig, TrainResult
from lstmcast.train.loop import ModelConstants, Plan, TrainData, initial_state, run_chunk
from lstmcast.train.optimizers import DEFAULT_LEARNING_RATES
from lstmcast.train.progress import ChunkProgress

# A chunk of epochs is one call into the compiled program: big enough that the dispatch cost is
# negligible, small enough for a live progress bar. Sizes are rounded to powers of two so that few
# distinct programs get compiled.
_CHUNK_STEPS = 32_768
_CHUNK_FLOPS = 4e9
_EVAL_BATCH = 1024
# Seeds feed independent NumPy streams: weights from ``default_rng(seed)`` (as ``init_network``),
# shuffles from ``default_rng([seed, _SHUFFLE_STREAM])``; dropout uses JAX's ``key(seed)``.
_SHUFFLE_STREAM = 1


def fit(
    spec: NetworkSpec,
    x: Any,
    y: Any,
    config: TrainConfig = TrainConfig(),
    *,
    seed: int = 0,
    validation_data: tuple[Any, Any] | None = None,
    initial_params: dict | None = None,
    verbose: int = 1,
) -> TrainResult:
    """Train one network on windows ``x: (samples, time, features)`` and targets ``y``.

    The result has a model axis of length 1, as every ``TrainResult`` (``result.member(0)`` is
    the network's weights). The same seed gives bit-identical weights and history (on the same
    machine and JAX build). Raises ``TrainingDivergedError`` if the loss becomes NaN or infinite
    (unless early stopping with ``restore_best_weights`` can return the best weights, which it
    does with a warning).
    """
    return _train(spec, x, y, config, [seed], None, validation_data, initial_params, verbose)


def fit_many(
    spec: NetworkSpec,
    x: Any,
    y: Any,
    config: TrainConfig = TrainConfig(),
    *,
    seeds: Sequence[int] = range(5),
    learning_rates: Sequence[float] | None = None,
    validation_data: tuple[Any, Any] | None = None,
    initial_params: dict | None = None,
    verbose: int = 1,
) -> TrainResult:
    """Train one model per seed (optionally each with its own learning rate) in one program.

    Equivalent to separate ``fit`` calls with those seeds, at a fraction of the cost: use it for
    ensembles, seed studies and learning-rate grids.
    """
    return _train(spec, x, y, config, list(seeds), learning_rates, validation_data, initial_params, verbose)


def _train(
    spec: NetworkSpec,
    x: Any,
    y: Any,
    config: TrainConfig,
    seeds: Sequence[int],
    learning_rates: Sequence[float] | None,
    validation_data: tuple[Any, Any] | None,
    initial_params: dict | None,
    verbose: int,
) -> TrainResult:
    started = time.perf_counter()
    ensure_runtime()
    if not isinstance(config, TrainConfig):
        raise InvalidInputError(f"config must be a TrainConfig, got {type(config).__name__}")
    x, y = _as_samples(x, y, spec, "training")
    early = config.early_stopping
    monitor = early.monitor if early else ("val_loss" if validation_data is not None else "loss")
    if monitor == "val_loss" and validation_data is None:
        raise InvalidInputError("early stopping on 'val_loss' needs validation_data (or monitor='loss')")
    seeds = [non_negative_int(s, "seed") for s in seeds]
    if not seeds:
        raise InvalidInputError("give at least one seed")
    default_lr = config.learning_rate or DEFAULT_LEARNING_RATES[config.optimizer]
    if learning_rates is None:
        lrs = np.full(len(seeds), default_lr, np.float32)
    else:
        lrs = np.asarray([number(rate, "each of learning_rates", above=0.0) for rate in learning_rates], np.float32)
        if lrs.shape != (len(seeds),):
            raise InvalidInputError(f"learning_rates must be {len(seeds)} positive numbers, one per seed; got {len(lrs)}")

    batch = config.batch_size
    n_train, time_steps = x.shape[0], x.shape[1]
    max_steps = math.ceil(power_of_two(n_train) / batch)
    data = TrainData(x=pad_rows(x, max_steps * batch), y=pad_rows(y, max_steps * batch), n_train=np.int32(n_train))
    if validation_data is not None:
        x_val, y_val = _as_samples(*validation_data, spec, "validation")
        if x_val.shape[1:] != x.shape[1:] and config.stateful:
            raise InvalidInputError("stateful validation windows must have the training windows' shape")
        eval_batch = batch if config.stateful else min(bucket_size(len(x_val)), _EVAL_BATCH)
        data = data._replace(**_validation_batches(x_val, y_val, eval_batch))
    plan = Plan(
        spec=spec,
        loss=config.loss,
        optimizer=config.optimizer,
        clip_norm=config.clip_norm,
        clip_value=config.clip_value,
        batch_size=batch,
        max_steps_per_epoch=max_steps,
        chunk_epochs=_chunk_epochs(spec, config.epochs, max_steps, batch, time_steps),
        shuffle=config.shuffles,
        stateful=config.stateful,
        validation=validation_data is not None,
        monitor=monitor,
        min_delta=float(early.min_delta) if early else 0.0,
        patience=int(early.patience) if early else 0,
        early_stopping=early is not None,
    )
    if initial_params is None:
        initial_flat = np.stack([np.asarray(ravel_weights(init_network(spec, seed))) for seed in seeds])
    else:
        initial_flat = _flatten_initial(spec, initial_params, len(seeds))
    state = initial_state(plan, initial_flat)
    consts = ModelConstants(seed=np.asarray(seeds, np.int32), lr=lrs)
    shuffle_rngs = [np.random.default_rng([seed, _SHUFFLE_STREAM]) for seed in seeds]

    losses, val_losses = [], []
    progress = ChunkProgress(config.epochs, enabled=verbose > 0)
    with progress:
        for begin in range(0, config.epochs, plan.chunk_epochs):
            n_epochs = min(plan.chunk_epochs, config.epochs - begin)
            orders = _epoch_orders(plan, shuffle_rngs, n_train, n_epochs) if plan.shuffle else None
            state, history = run_chunk(plan, state, consts, data, orders, begin, n_epochs)
            loss, val_loss = np.asarray(history[0]), np.asarray(history[1])
            losses.append(loss[:, :n_epochs])
            val_losses.append(val_loss[:, :n_epochs])
            all_stopped = bool(np.asarray(state.stopped).all())
            progress.advance(begin + n_epochs, float(np.nanmean(loss[:, n_epochs - 1])) if not all_stopped else None)
            if all_stopped:
                break

    return _result(plan, config, state, np.concatenate(losses, axis=1), np.concatenate(val_losses, axis=1), seeds, started)


def _chunk_epochs(spec: NetworkSpec, epochs: int, steps_per_epoch: int, batch: int, time_steps: int) -> int:
    width, step_flops = spec.input_dim, 0
    for units in spec.lstm_units:
        step_flops += 6 * batch * time_steps * 4 * units * (width + units)
        width = units
    by_steps = _CHUNK_STEPS // steps_per_epoch
    by_flops = int(_CHUNK_FLOPS // max(1, step_flops * steps_per_epoch))
    chunk = max(1, min(by_steps, by_flops))
    return min(power_of_two(chunk), power_of_two(epochs))


def _as_samples(x: Any, y: Any, spec: NetworkSpec, what: str) -> tuple[np.ndarray, np.ndarray]:
    x = finite_array(x, f"{what} inputs").astype(np.float32)
    y = finite_array(y, f"{what} targets").astype(np.float32)
    if y.ndim == 1:
        y = y[:, None]
    if x.ndim != 3:
        raise InvalidInputError(f"{what} inputs must have shape (samples, time steps, features), got {x.shape}")
    if x.shape[2] != spec.input_dim:
        raise InvalidInputError(f"{what} inputs have {x.shape[2]} features but the network expects {spec.input_dim}")
    if y.ndim != 2 or y.shape[0] != x.shape[0]:
        raise InvalidInputError(f"{what} targets must have shape ({x.shape[0]}, outputs), got {y.shape}")
    if y.shape[1] != spec.output_dim:
        raise InvalidInputError(f"{what} targets have {y.shape[1]} columns but the network outputs {spec.output_dim}")
    if x.shape[0] < 1:
        raise InvalidInputError(f"{what} data has no samples")
    return x, y


def _validation_batches(x: np.ndarray, y: np.ndarray, batch: int) -> dict[str, np.ndarray]:
    n_batches = bucket_size(math.ceil(len(x) / batch))
    weights = pad_rows(np.ones(len(x), np.float32), n_batches * batch)
    x, y = pad_rows(x, n_batches * batch), pad_rows(y, n_batches * batch)
    return {
        "x_val": x.reshape(n_batches, batch, *x.shape[1:]),
        "y_val": y.reshape(n_batches, batch, *y.shape[1:]),
        "w_val": weights.reshape(n_batches, batch),
    }


def _epoch_orders(plan: Plan, rngs: list[np.random.Generator], n_train: int, n_epochs: int) -> np.ndarray:
    """Each model's sample order for the next ``n_epochs`` epochs, ``(models, chunk_epochs, padded)``:
    a fresh permutation per epoch, drawn on the host before the compiled loop runs."""
    padded = plan.max_steps_per_epoch * plan.batch_size
    orders = np.zeros((len(rngs), plan.chunk_epochs, padded), np.int32)
    base = np.tile(np.arange(n_train, dtype=np.int32), (n_epochs, 1))
    for model, rng in enumerate(rngs):
        orders[model, :n_epochs, :n_train] = rng.permuted(base, axis=1)
    return orders


def _flatten_initial(spec: NetworkSpec, params: dict, n_models: int) -> np.ndarray:
    """Initial weights given by the caller as one flat vector per model: one network's weights
    (copied to every model) or a stack with a leading model axis."""
    leaves = jax.tree_util.tree_leaves(params)
    shapes = [leaf.shape for leaf in jax.tree_util.tree_leaves(weight_shapes(spec))]
    if [np.shape(leaf) for leaf in leaves] == shapes:
        flat = np.asarray(ravel_weights(jax.tree_util.tree_map(np.asarray, params)), np.float32)
        return np.broadcast_to(flat, (n_models, flat.size)).copy()
    if [np.shape(leaf) for leaf in leaves] == [(n_models,) + s for s in shapes]:
        return np.concatenate([np.reshape(leaf, (n_models, -1)) for leaf in leaves], axis=1).astype(np.float32)
    raise InvalidInputError("initial_params do not match the network's weight shapes (one model or one per seed)")


def _result(plan: Plan, config: TrainConfig, state, losses, val_losses, seeds, started) -> TrainResult:
    state = jax.tree_util.tree_map(np.asarray, state)
    restore = config.early_stopping is not None and config.early_stopping.restore_best_weights
    diverged = state.diverged_epoch >= 0
    for model, epoch in enumerate(state.diverged_epoch):
        if epoch < 0:
            continue
        if restore and state.best_epoch[model] >= 0:
            warnings.warn(
                f"seed {seeds[model]}: the loss became NaN or infinite at epoch {epoch}; "
                f"returning the best weights (epoch {state.best_epoch[model]})",
                RuntimeWarning,
                stacklevel=3,
            )
        else:
            raise TrainingDivergedError(
                f"seed {seeds[model]}: the loss became NaN or infinite at epoch {epoch}; lower the learning rate, "
                "scale the data, clip gradients (clip_norm=1.0), or use early stopping with restore_best_weights"
            )
    use_best = (restore & (state.best_epoch >= 0)) | diverged
    flat = np.where(use_best[:, None], state.best_flat, state.flat)
    ran = int(state.epochs_run.max())
    history = {"loss": losses[:, :ran]}
    if plan.validation:
        history["val_loss"] = val_losses[:, :ran]
    return TrainResult(
        params=unravel_weights(plan.spec, flat),
        history=history,
        epochs_run=state.epochs_run,
        best_epoch=state.best_epoch,
        stopped_early=state.stopped & ~diverged,
        seeds=list(seeds),
        seconds=time.perf_counter() - started,
    )
