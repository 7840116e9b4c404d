"""Training compiled end to end: every epoch and mini-batch of a run inside one XLA program.

Tiny LSTMs trained with batch size 1 spend their time in dispatch, not arithmetic, so a Python
loop over steps (as in Keras) is three orders of magnitude slower than it needs to be. Here one
``while_loop`` runs all the steps of a chunk of epochs; the shuffles of those epochs are drawn
before the loop; the weights and the optimizer state are flat vectors; validation, early stopping
and NaN checks happen inside the loop at each epoch's end. Python only sees chunks of epochs
(for the progress bar) and stops launching them once every model has stopped.

Several models (seeds, learning rates) train in the same program: the per-model work is
``vmap``-ed inside the loop, so a model that stopped early merely idles until the others stop.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from lstmcast._shapes import bucket_size, pad_rows, power_of_two
from lstmcast.errors import InvalidInputError, TrainingDivergedError
from lstmcast.nn.network import (
    NetworkSpec,
    init_network,
    network_forward,
    ravel_weights,
    unravel_weights,
    weight_shapes,
    zero_network_state,
)
from lstmcast.train.losses import LOSSES
from lstmcast.train.optimizers import DEFAULT_LEARNING_RATES, make_optimizer
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


@dataclass(frozen=True)
class EarlyStopping:
    """Keras' ``EarlyStopping``: stop when ``monitor`` has not improved by more than ``min_delta``
    for ``patience`` epochs; with ``restore_best_weights`` return the weights of the best epoch."""

    monitor: str = "val_loss"
    min_delta: float = 0.0
    patience: int = 0
    restore_best_weights: bool = False

    def __post_init__(self) -> None:
        if self.monitor not in ("loss", "val_loss"):
            raise InvalidInputError(f"early stopping monitors 'loss' or 'val_loss', not {self.monitor!r}")
        if self.patience < 0 or self.min_delta < 0:
            raise InvalidInputError("early stopping needs patience >= 0 and min_delta >= 0")


@dataclass(frozen=True)
class TrainConfig:
    """How to train: Keras' ``compile``/``fit`` arguments.

    ``shuffle=None`` means shuffle each epoch unless ``stateful`` (stateful runs are never
    shuffled: sample ``j`` of a batch continues sample ``j`` of the previous batch, and the LSTM
    state is carried across batches and reset at each epoch's start). ``learning_rate=None`` takes
    the optimizer's Keras default.
    """

    epochs: int = 100
    batch_size: int = 32
    shuffle: bool | None = None
    stateful: bool = False
    loss: str = "mse"
    optimizer: str = "adam"
    learning_rate: float | None = None
    clip_norm: float | None = None
    clip_value: float | None = None
    early_stopping: EarlyStopping | None = None

    def __post_init__(self) -> None:
        if int(self.epochs) < 1:
            raise InvalidInputError(f"epochs must be >= 1, got {self.epochs}")
        if int(self.batch_size) < 1:
            raise InvalidInputError(f"batch_size must be >= 1, got {self.batch_size}")
        if self.stateful and self.shuffle:
            raise InvalidInputError("a stateful network is trained in order: use shuffle=False (or leave it unset)")
        if self.loss not in LOSSES:
            raise InvalidInputError(f"unknown loss {self.loss!r}; choose one of {sorted(LOSSES)}")
        if self.optimizer not in DEFAULT_LEARNING_RATES:
            raise InvalidInputError(
                f"unknown optimizer {self.optimizer!r}; choose one of {sorted(DEFAULT_LEARNING_RATES)}"
            )
        if self.learning_rate is not None and not self.learning_rate > 0:
            raise InvalidInputError(f"learning_rate must be > 0, got {self.learning_rate}")
        for name in ("clip_norm", "clip_value"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise InvalidInputError(f"{name} must be > 0, got {value}")

    @property
    def shuffles(self) -> bool:
        return (not self.stateful) if self.shuffle is None else bool(self.shuffle)


@dataclass
class TrainResult:
    """What a run returns. For ``fit_many`` every array has a leading model axis.

    ``history`` maps ``"loss"`` (and ``"val_loss"`` with validation data) to per-epoch values,
    NaN for epochs a model did not run. ``best_epoch`` is the epoch whose weights were returned
    when ``restore_best_weights`` was on (else the best epoch by the monitored value).
    """

    params: dict
    history: dict[str, np.ndarray]
    epochs_run: np.ndarray | int
    best_epoch: np.ndarray | int
    stopped_early: np.ndarray | bool
    seeds: list[int] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class _Plan:
    """Everything static about a run: one compiled program per distinct plan and data shape."""

    spec: NetworkSpec
    loss: str
    optimizer: str
    clip_norm: float | None
    clip_value: float | None
    batch_size: int
    max_steps_per_epoch: int  # the sample count is a run-time value up to this many batches
    chunk_epochs: int
    shuffle: bool
    stateful: bool
    validation: bool
    monitor: str
    min_delta: float
    patience: int
    early_stopping: bool


def _chunk_epochs(spec: NetworkSpec, epochs: int, steps_per_epoch: int, batch: int, time_steps: int) -> int:
    width, step_flops = spec.input_dim, 0
    for units in spec.lstm_units:
        step_flops += 6 * batch * time_steps * 4 * units * (width + units)
        width = units
    by_steps = _CHUNK_STEPS // steps_per_epoch
    by_flops = int(_CHUNK_FLOPS // max(1, step_flops * steps_per_epoch))
    chunk = max(1, min(by_steps, by_flops))
    return min(power_of_two(chunk), power_of_two(epochs))


def _initial_state(plan: _Plan, initial_flat: np.ndarray) -> dict:
    """Per-model training state, built on the host (nothing to compile): weights, a zeroed
    optimizer state (every optimizer offered here starts from zeros), and early-stopping state."""
    n_models, n_weights = initial_flat.shape
    optimizer = make_optimizer(plan.optimizer, 1.0, clip_norm=plan.clip_norm, clip_value=plan.clip_value)
    opt_shapes = jax.eval_shape(optimizer.init, jax.ShapeDtypeStruct((n_weights,), jnp.float32))
    stack = lambda value, dtype: np.full((n_models,), value, dtype)  # noqa: E731
    return {
        "flat": initial_flat,
        "opt": jax.tree_util.tree_map(lambda s: np.zeros((n_models,) + s.shape, s.dtype), opt_shapes),
        "loss_sum": stack(0.0, np.float32),
        "rnn": tuple(
            (np.zeros((n_models, plan.batch_size, units), np.float32),) * 2 for units in plan.spec.lstm_units
        ),
        "best_value": stack(np.inf, np.float32),
        "best_flat": initial_flat.copy(),
        "best_epoch": stack(-1, np.int32),
        "wait": stack(0, np.int32),
        "stopped": stack(False, np.bool_),
        "diverged_epoch": stack(-1, np.int32),
        "epochs_run": stack(0, np.int32),
    }


def _evaluate(plan: _Plan, unravel, flat, rnn, data) -> jax.Array:
    """Mean validation loss; a stateful network continues from the state it ended training with."""
    params = unravel(flat)
    loss_fn = LOSSES[plan.loss]

    def body(state, batch):
        xb, yb, wb = batch
        pred, new_state = network_forward(plan.spec, params, xb, state if plan.stateful else None)
        return (new_state if plan.stateful else state), jnp.sum(loss_fn(pred, yb) * wb)

    _, sums = jax.lax.scan(body, rnn, (data["x_val"], data["y_val"], data["w_val"]))
    return jnp.sum(sums) / jnp.sum(data["w_val"])


@partial(jax.jit, static_argnums=0)
def _run_chunk(plan: _Plan, state, consts, data, orders, epoch_begin, n_epochs):
    """Train every model for up to ``n_epochs`` epochs from ``epoch_begin``: the compiled core."""
    spec, batch = plan.spec, plan.batch_size
    unravel = partial(unravel_weights, spec)
    loss_fn = LOSSES[plan.loss]
    # The sample count is data, not shape: folds of a backtest with similar sizes share a program.
    n_train = data["n_train"]
    steps = (n_train + batch - 1) // batch
    sample_weight = (jnp.arange(plan.max_steps_per_epoch * batch) < n_train).astype(jnp.float32)
    dropout = spec.dropout > 0 or spec.recurrent_dropout > 0
    n_models = state["flat"].shape[0]

    def model_step(model, const, order, e_local, b, epoch):
        if plan.shuffle:
            idx = jax.lax.dynamic_slice(order[e_local], (b * batch,), (batch,))
        else:  # in order; the padding of a last partial batch has weight 0
            idx = jnp.minimum(b * batch + jnp.arange(batch), n_train - 1)
        w = jax.lax.dynamic_slice(sample_weight, (b * batch,), (batch,))
        xb, yb = data["x"][idx], data["y"][idx]
        rnn = None
        if plan.stateful:  # reset at the start of each epoch, else carried from the last batch
            rnn = jax.tree_util.tree_map(lambda z: jnp.where(b == 0, jnp.zeros_like(z), z), model["rnn"])
        key = jax.random.fold_in(jax.random.key(const["seed"]), epoch * steps + b) if dropout else None

        def batch_loss(flat):
            pred, new_rnn = network_forward(spec, unravel(flat), xb, rnn, key=key)
            return jnp.sum(loss_fn(pred, yb) * w) / jnp.sum(w), new_rnn

        (loss, new_rnn), grads = jax.value_and_grad(batch_loss, has_aux=True)(model["flat"])
        optimizer = make_optimizer(
            plan.optimizer, const["lr"], clip_norm=plan.clip_norm, clip_value=plan.clip_value
        )
        updates, opt_state = optimizer.update(grads, model["opt"], model["flat"])
        new = dict(
            model,
            flat=model["flat"] + updates,
            opt=opt_state,
            loss_sum=model["loss_sum"] + loss * jnp.sum(w),
            rnn=new_rnn if plan.stateful else model["rnn"],
        )
        return jax.tree_util.tree_map(lambda n, o: jnp.where(model["stopped"], o, n), new, model)

    def model_epoch_end(model, epoch):
        epoch_loss = model["loss_sum"] / n_train
        val_loss = _evaluate(plan, unravel, model["flat"], model["rnn"], data) if plan.validation else jnp.nan
        monitored = val_loss if plan.monitor == "val_loss" else epoch_loss
        finite = jnp.isfinite(epoch_loss) & jnp.all(jnp.isfinite(model["flat"])) & jnp.isfinite(monitored)
        improved = finite & (monitored < model["best_value"] - plan.min_delta)
        wait = jnp.where(improved, 0, model["wait"] + 1)
        patience_out = plan.early_stopping & ~improved & (wait >= plan.patience) & (epoch > 0)
        new = dict(
            model,
            loss_sum=jnp.zeros([], jnp.float32),
            best_value=jnp.where(improved, monitored, model["best_value"]),
            best_flat=jnp.where(improved, model["flat"], model["best_flat"]),
            best_epoch=jnp.where(improved, epoch, model["best_epoch"]),
            wait=wait,
            stopped=patience_out | ~finite,
            diverged_epoch=jnp.where(finite, -1, epoch),
            epochs_run=model["epochs_run"] + 1,
        )
        new = jax.tree_util.tree_map(lambda n, o: jnp.where(model["stopped"], o, n), new, model)
        nan = jnp.array(jnp.nan, jnp.float32)
        return new, (jnp.where(model["stopped"], nan, epoch_loss), jnp.where(model["stopped"], nan, val_loss))

    def cond(loop):
        s, models, _ = loop
        return (s < n_epochs * steps) & ~jnp.all(models["stopped"])

    def body(loop):
        s, models, history = loop
        e_local, b = s // steps, s % steps
        epoch = epoch_begin + e_local
        models = _per_model(model_step, n_models, (0, 0, 0 if plan.shuffle else None, None, None, None))(
            models, consts, orders, e_local, b, epoch
        )

        def end_epoch(args):
            models, history = args
            models, (loss, val_loss) = _per_model(model_epoch_end, n_models, (0, None))(models, epoch)
            history = (history[0].at[:, e_local].set(loss), history[1].at[:, e_local].set(val_loss))
            return models, history

        models, history = jax.lax.cond(b == steps - 1, end_epoch, lambda args: args, (models, history))
        return s + 1, models, history

    blank = jnp.full((n_models, plan.chunk_epochs), jnp.nan, jnp.float32)
    _, state, history = jax.lax.while_loop(cond, body, (jnp.array(0, jnp.int32), state, (blank, blank)))
    return state, history


def _per_model(function, n_models: int, in_axes: tuple):
    """``vmap`` over the model axis; a single model skips the batching (faster to trace)."""
    if n_models > 1:
        return jax.vmap(function, in_axes=in_axes)

    def single(*args):
        args = [a if axis is None else jax.tree_util.tree_map(lambda v: v[0], a) for a, axis in zip(args, in_axes)]
        return jax.tree_util.tree_map(lambda v: v[None], function(*args))

    return single


def _as_samples(x: Any, y: Any, spec: NetworkSpec, what: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
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
    for name, array in (("inputs", x), ("targets", y)):
        if not np.all(np.isfinite(array)):
            bad = int(np.argwhere(~np.isfinite(array))[0][0])
            raise InvalidInputError(f"{what} {name} contain NaN or infinite values (first in sample {bad}); clean them first")
    return x, y


def _validation_batches(x: np.ndarray, y: np.ndarray, batch: int) -> dict[str, np.ndarray]:
    n_batches = bucket_size(math.ceil(len(x) / batch))
    pad = n_batches * batch - len(x)
    weights = np.concatenate([np.ones(len(x), np.float32), np.zeros(pad, np.float32)])
    x = np.concatenate([x, np.zeros((pad,) + x.shape[1:], np.float32)])
    y = np.concatenate([y, np.zeros((pad,) + y.shape[1:], np.float32)])
    return {
        "x_val": x.reshape(n_batches, batch, *x.shape[1:]),
        "y_val": y.reshape(n_batches, batch, *y.shape[1:]),
        "w_val": weights.reshape(n_batches, batch),
    }


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
    x, y = _as_samples(x, y, spec, "training")
    early = config.early_stopping
    monitor = early.monitor if early else ("val_loss" if validation_data is not None else "loss")
    if monitor == "val_loss" and validation_data is None:
        raise InvalidInputError("early stopping on 'val_loss' needs validation_data (or monitor='loss')")
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise InvalidInputError("give at least one seed")
    default_lr = config.learning_rate or DEFAULT_LEARNING_RATES[config.optimizer]
    lrs = np.full(len(seeds), default_lr, np.float32) if learning_rates is None else np.asarray(learning_rates, np.float32)
    if lrs.shape != (len(seeds),) or not np.all(lrs > 0):
        raise InvalidInputError(f"learning_rates must be {len(seeds)} positive numbers, one per seed")

    batch = int(config.batch_size)
    n_train, time_steps = x.shape[0], x.shape[1]
    max_steps = math.ceil(power_of_two(n_train) / batch)
    data = {"x": pad_rows(x, max_steps * batch), "y": pad_rows(y, max_steps * batch), "n_train": np.int32(n_train)}
    if validation_data is not None:
        x_val, y_val = _as_samples(*validation_data, spec, "validation")
        if x_val.shape[1:] != x.shape[1:] and config.stateful:
            raise InvalidInputError("stateful validation windows must have the training windows' shape")
        eval_batch = batch if config.stateful else min(bucket_size(len(x_val)), _EVAL_BATCH)
        data.update(_validation_batches(x_val, y_val, eval_batch))
    plan = _Plan(
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
    state = _initial_state(plan, initial_flat)
    consts = {"seed": np.asarray(seeds, np.int32), "lr": lrs}
    shuffle_rngs = [np.random.default_rng([seed, _SHUFFLE_STREAM]) for seed in seeds]

    losses, val_losses = [], []
    progress = ChunkProgress(config.epochs, enabled=verbose > 0)
    with progress:
        for begin in range(0, config.epochs, plan.chunk_epochs):
            n_epochs = min(plan.chunk_epochs, config.epochs - begin)
            orders = _epoch_orders(plan, shuffle_rngs, n_train, n_epochs) if plan.shuffle else None
            state, history = _run_chunk(plan, state, consts, data, orders, begin, n_epochs)
            loss, val_loss = np.asarray(history[0]), np.asarray(history[1])
            losses.append(loss[:, :n_epochs])
            val_losses.append(val_loss[:, :n_epochs])
            all_stopped = bool(np.asarray(state["stopped"]).all())
            progress.advance(begin + n_epochs, float(np.nanmean(loss[:, n_epochs - 1])) if not all_stopped else None)
            if all_stopped:
                break

    return _result(plan, config, state, np.concatenate(losses, axis=1), np.concatenate(val_losses, axis=1), seeds, started)


def _epoch_orders(plan: _Plan, rngs: list[np.random.Generator], n_train: int, n_epochs: int) -> np.ndarray:
    """Each model's sample order for the next ``n_epochs`` epochs, ``(models, chunk_epochs, padded)``:
    a fresh permutation per epoch, drawn on the host before the compiled loop runs."""
    padded = plan.max_steps_per_epoch * plan.batch_size
    orders = np.zeros((len(rngs), plan.chunk_epochs, padded), np.int32)
    base = np.tile(np.arange(n_train, dtype=np.int32), (n_epochs, 1))
    for model, rng in enumerate(rngs):
        orders[model, :n_epochs, :n_train] = rng.permuted(base, axis=1)
    return orders


def _flatten_initial(spec: NetworkSpec, params: dict, n_models: int) -> np.ndarray:
    leaves = jax.tree_util.tree_leaves(params)
    shapes = [leaf.shape for leaf in jax.tree_util.tree_leaves(weight_shapes(spec))]
    if [np.shape(leaf) for leaf in leaves] == shapes:
        flat = np.asarray(ravel_weights(jax.tree_util.tree_map(np.asarray, params)), np.float32)
        return np.broadcast_to(flat, (n_models, flat.size)).copy()
    if [np.shape(leaf) for leaf in leaves] == [(n_models,) + s for s in shapes]:
        return np.concatenate([np.reshape(leaf, (n_models, -1)) for leaf in leaves], axis=1).astype(np.float32)
    raise InvalidInputError("initial_params do not match the network's weight shapes (one model or one per seed)")


def _result(plan, config, state, losses, val_losses, seeds, started) -> TrainResult:
    state = jax.tree_util.tree_map(np.asarray, state)
    restore = config.early_stopping is not None and config.early_stopping.restore_best_weights
    diverged = state["diverged_epoch"] >= 0
    for model, epoch in enumerate(state["diverged_epoch"]):
        if epoch < 0:
            continue
        if restore and state["best_epoch"][model] >= 0:
            warnings.warn(
                f"seed {seeds[model]}: the loss became NaN or infinite at epoch {epoch}; "
                f"returning the best weights (epoch {state['best_epoch'][model]})",
                RuntimeWarning,
                stacklevel=3,
            )
        else:
            raise TrainingDivergedError(
                f"seed {seeds[model]}: the loss became NaN or infinite at epoch {epoch}; lower the learning rate, "
                "scale the data, clip gradients (clip_norm=1.0), or use early stopping with restore_best_weights"
            )
    use_best = (restore & (state["best_epoch"] >= 0)) | diverged
    flat = np.where(use_best[:, None], state["best_flat"], state["flat"])
    ran = int(state["epochs_run"].max())
    history = {"loss": losses[:, :ran]}
    if plan.validation:
        history["val_loss"] = val_losses[:, :ran]
    stopped_early = state["stopped"] & ~diverged
    return TrainResult(
        params=unravel_weights(plan.spec, flat),
        history=history,
        epochs_run=state["epochs_run"],
        best_epoch=state["best_epoch"],
        stopped_early=stopped_early,
        seeds=list(seeds),
        seconds=time.perf_counter() - started,
    )


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

    The same seed gives bit-identical weights and history (on the same machine and JAX build).
    Raises ``TrainingDivergedError`` if the loss becomes NaN or infinite (unless early stopping
    with ``restore_best_weights`` can return the best weights, which it does with a warning).
    """
    result = _train(spec, x, y, config, [seed], None, validation_data, initial_params, verbose)
    return TrainResult(
        params=jax.tree_util.tree_map(lambda a: a[0], result.params),
        history={name: values[0, : result.epochs_run[0]] for name, values in result.history.items()},
        epochs_run=int(result.epochs_run[0]),
        best_epoch=int(result.best_epoch[0]),
        stopped_early=bool(result.stopped_early[0]),
        seeds=result.seeds,
        seconds=result.seconds,
    )


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
    ensembles, seed studies and learning-rate grids. Results carry a leading model axis.
    """
    return _train(spec, x, y, config, list(seeds), learning_rates, validation_data, initial_params, verbose)
