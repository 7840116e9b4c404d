"""The compiled core: every epoch and mini-batch of a chunk of epochs inside one XLA program.

Tiny LSTMs trained with batch size 1 spend their time in dispatch, not arithmetic, so a Python
loop over steps (as in Keras) is three orders of magnitude slower than it needs to be. Here one
``while_loop`` runs all the steps of a chunk of epochs; the shuffles of those epochs are drawn on
the host before the loop; the weights and the optimizer state are flat vectors; validation,
early stopping and NaN checks happen inside the loop at each epoch's end.

Several models train in the same program: the per-model work is ``vmap``-ed inside the loop, so a
model that stopped early merely idles until the others stop. Models may differ in everything that
keeps array shapes: seed, learning rate, number of epochs, sample count and, through a weight
mask, the width of their layers (a narrower network is embedded in the program's with its other
weights held at exactly 0). An epoch has as many steps as the model with the most samples needs;
a model with fewer idles through the rest. (Batch sizes could be padded the same way, exactly,
but a batch-1 model padded to batch 5 computes 5 rows a step and idles through the others'
steps: a 20-configuration grid trained 4x slower than in one program per batch size.)
Everything static about a run is a ``Program`` (one compiled program per ``Program`` and data shape);
everything that changes is in named tuples: ``ModelState`` and ``ModelConstants`` per model,
``TrainData`` shared by all models or given per model (``Program.data_per_model``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from lstmcast._runtime import jit
from lstmcast.nn.network import NetworkSpec, network_forward, unravel_weights
from lstmcast.train.losses import LOSSES
from lstmcast.train.optimizers import make_optimizer, schedule_factor


@dataclass(frozen=True)
class Program:
    """Everything static about a run: one compiled XLA program per distinct ``Program`` and data shape."""

    spec: NetworkSpec
    loss: str
    optimizer: str
    clip_norm: float | None
    clip_value: float | None
    batch_size: int
    rows: int  # training rows, padding included: sample counts are run-time values below it
    chunk_epochs: int
    shuffle: bool
    stateful: bool
    validation: bool
    monitor: str
    min_delta: float
    patience: int
    early_stopping: bool
    data_per_model: bool = False
    masked: bool = False  # some model is a narrower network embedded in spec (ModelConstants.mask)
    lengths: bool = False  # sequences padded at the end, with their lengths (TrainData.lengths)
    weighted: bool = False  # samples weigh differently in the loss (TrainData.weights)
    lr_schedule: str = "constant"


class ModelState(NamedTuple):
    """One model's training state (a leading model axis on every field in the loop)."""

    flat: Any  # the weights as one vector
    opt: Any  # the optimizer state
    loss_sum: Any  # the epoch's weighted loss so far
    rnn: Any  # the LSTM state carried between batches (stateful runs)
    best_value: Any  # the best monitored value so far
    best_flat: Any  # the weights at that epoch
    best_epoch: Any
    wait: Any  # epochs without improvement
    stopped: Any
    diverged_epoch: Any  # -1, or the epoch whose loss was NaN or infinite
    epochs_run: Any


class ModelConstants(NamedTuple):
    seed: Any  # dropout's random stream
    lr: Any  # learning rate
    n_train: Any  # real training samples (the rest of TrainData's rows are padding)
    epochs: Any  # the model stops after this many epochs
    mask: Any  # 1 for the model's own weights, 0 for the padding of a narrower network


class TrainData(NamedTuple):
    """Training samples padded to ``Program.rows`` rows (``ModelConstants`` say how many are real),
    with each sample's sequence length and loss weight when the program has them. Validation batches
    ``(batches, batch, ...)`` with weights 0 on the padding. With ``Program.data_per_model`` every
    field has a leading model axis."""

    x: Any
    y: Any
    x_val: Any = None
    y_val: Any = None
    w_val: Any = None
    lengths: Any = None
    weights: Any = None
    lengths_val: Any = None


def initial_state(program: Program, initial_flat: np.ndarray) -> ModelState:
    """Per-model training state, built on the host (nothing to compile): weights, a zeroed
    optimizer state (every optimizer offered here starts from zeros), and early-stopping state."""
    n_models, n_weights = initial_flat.shape
    optimizer = make_optimizer(program.optimizer, 1.0, clip_norm=program.clip_norm, clip_value=program.clip_value)
    opt_shapes = jax.eval_shape(optimizer.init, jax.ShapeDtypeStruct((n_weights,), jnp.float32))
    stack = lambda value, dtype: np.full((n_models,), value, dtype)  # noqa: E731
    return ModelState(
        flat=initial_flat,
        opt=jax.tree_util.tree_map(lambda s: np.zeros((n_models,) + s.shape, s.dtype), opt_shapes),
        loss_sum=stack(0.0, np.float32),
        rnn=tuple(
            (np.zeros((n_models, program.batch_size, units), np.float32),) * 2 for units in program.spec.lstm_units
        ),
        best_value=stack(np.inf, np.float32),
        best_flat=initial_flat.copy(),
        best_epoch=stack(-1, np.int32),
        wait=stack(0, np.int32),
        stopped=stack(False, np.bool_),
        diverged_epoch=stack(-1, np.int32),
        epochs_run=stack(0, np.int32),
    )


def _validation_loss(program: Program, unravel, flat, rnn, data: TrainData) -> jax.Array:
    """Mean validation loss; a stateful network continues from the state it ended training with."""
    params = unravel(flat)
    loss_fn = LOSSES[program.loss]

    def body(state, batch):
        xb, yb, wb, lb = batch
        if program.lengths:  # batch normalisation by the validation batch's own statistics (see nn.conv)
            pred, new_state = network_forward(program.spec, params, xb, lengths=lb, batch_stats=True)
        else:
            pred, new_state = network_forward(program.spec, params, xb, state if program.stateful else None)
        return (new_state if program.stateful else state), jnp.sum(loss_fn(pred, yb) * wb)

    lengths = data.lengths_val if program.lengths else data.w_val  # (a placeholder the body ignores)
    _, sums = jax.lax.scan(body, rnn, (data.x_val, data.y_val, data.w_val, lengths))
    return jnp.sum(sums) / jnp.sum(data.w_val)


def _keep_if_stopped(model: ModelState, new: ModelState) -> ModelState:
    """A stopped model keeps its state: every field of ``new`` falls back to ``model``'s."""
    return jax.tree_util.tree_map(lambda n, o: jnp.where(model.stopped, o, n), new, model)


@partial(jit, static_argnums=0)
def run_chunk(
    program: Program, state: ModelState, consts: ModelConstants, data: TrainData, orders, epoch_begin, n_epochs
):
    """Train every model for up to ``n_epochs`` epochs from ``epoch_begin``. Returns the new state
    and the chunk's ``(loss, val_loss)`` history, ``(models, chunk_epochs)`` each, NaN where a
    model did not run."""
    spec, batch = program.spec, program.batch_size
    unravel = partial(unravel_weights, spec)
    loss_fn = LOSSES[program.loss]
    # Sample counts are data, not shapes: folds of a backtest and configurations of a search with
    # similar sizes share a program. An epoch lasts as long as its longest model needs.
    steps = (jnp.max(consts.n_train) + batch - 1) // batch
    dropout = spec.dropout > 0 or spec.recurrent_dropout > 0 or spec.lstm_output_dropout > 0
    n_models = state.flat.shape[0]
    slots = jnp.arange(batch)

    def model_step(model: ModelState, const: ModelConstants, order, data: TrainData, b, e_local, epoch) -> ModelState:
        n_own = const.n_train
        steps_own = (n_own + batch - 1) // batch
        start = b * batch
        if program.shuffle:
            idx = jax.lax.dynamic_slice(order[e_local], (start,), (batch,))
        else:  # in order; the padding of a last partial batch has weight 0
            idx = jnp.minimum(start + slots, n_own - 1)
        w = (start + slots < n_own).astype(jnp.float32)
        xb, yb = data.x[idx], data.y[idx]
        lengths = jnp.where(w > 0, data.lengths[idx], 0) if program.lengths else None  # a padding slot is empty
        weight = w * data.weights[idx] if program.weighted else w
        rnn = None
        if program.stateful:  # reset at the start of each epoch, else carried from the last batch
            rnn = jax.tree_util.tree_map(lambda z: jnp.where(b == 0, jnp.zeros_like(z), z), model.rnn)
        key = jax.random.fold_in(jax.random.key(const.seed), epoch * steps_own + b) if dropout else None

        def batch_loss(flat):
            if program.lengths:
                pred, new_rnn = network_forward(spec, unravel(flat), xb, key=key, lengths=lengths, batch_stats=True)
            else:
                pred, new_rnn = network_forward(spec, unravel(flat), xb, rnn, key=key)
            return jnp.sum(loss_fn(pred, yb) * weight) / jnp.sum(w), new_rnn

        (loss, new_rnn), grads = jax.value_and_grad(batch_loss, has_aux=True)(model.flat)
        rate = const.lr * schedule_factor(program.lr_schedule, epoch, const.epochs)
        optimizer = make_optimizer(program.optimizer, rate, clip_norm=program.clip_norm, clip_value=program.clip_value)
        updates, opt_state = optimizer.update(grads * const.mask if program.masked else grads, model.opt, model.flat)
        new = model._replace(
            flat=model.flat + updates,
            opt=opt_state,
            loss_sum=model.loss_sum + loss * jnp.sum(w),
            rnn=new_rnn if program.stateful else model.rnn,
        )
        idle = model.stopped | (b >= steps_own)  # stopped, or through its own steps of this epoch
        return jax.tree_util.tree_map(lambda n, o: jnp.where(idle, o, n), new, model)

    def model_epoch_end(model: ModelState, const: ModelConstants, data: TrainData, epoch):
        epoch_loss = model.loss_sum / const.n_train
        val_loss = _validation_loss(program, unravel, model.flat, model.rnn, data) if program.validation else jnp.nan
        monitored = val_loss if program.monitor == "val_loss" else epoch_loss
        finite = jnp.isfinite(epoch_loss) & jnp.all(jnp.isfinite(model.flat)) & jnp.isfinite(monitored)
        improved = finite & (monitored < model.best_value - program.min_delta)
        wait = jnp.where(improved, 0, model.wait + 1)
        patience_out = program.early_stopping & ~improved & (wait >= program.patience) & (epoch > 0)
        new = model._replace(
            loss_sum=jnp.zeros([], jnp.float32),
            best_value=jnp.where(improved, monitored, model.best_value),
            best_flat=jnp.where(improved, model.flat, model.best_flat),
            best_epoch=jnp.where(improved, epoch, model.best_epoch),
            wait=wait,
            stopped=patience_out | ~finite | (model.epochs_run + 1 >= const.epochs),
            diverged_epoch=jnp.where(finite, -1, epoch),
            epochs_run=model.epochs_run + 1,
        )
        nan = jnp.array(jnp.nan, jnp.float32)
        history = (jnp.where(model.stopped, nan, epoch_loss), jnp.where(model.stopped, nan, val_loss))
        return _keep_if_stopped(model, new), history

    def cond(loop):
        s, models, _ = loop
        return (s < n_epochs * steps) & ~jnp.all(models.stopped)

    data_axis = 0 if program.data_per_model else None
    order_axis = 0 if program.shuffle else None

    def body(loop):
        s, models, history = loop
        e_local, b = s // steps, s % steps
        epoch = epoch_begin + e_local
        models = _per_model(model_step, n_models, (0, 0, order_axis, data_axis, None, None, None))(
            models, consts, orders, data, b, e_local, epoch
        )

        def end_epoch(args):
            models, history = args
            models, (loss, val_loss) = _per_model(model_epoch_end, n_models, (0, 0, data_axis, None))(
                models, consts, data, epoch
            )
            history = (history[0].at[:, e_local].set(loss), history[1].at[:, e_local].set(val_loss))
            return models, history

        models, history = jax.lax.cond(b == steps - 1, end_epoch, lambda args: args, (models, history))
        return s + 1, models, history

    blank = jnp.full((n_models, program.chunk_epochs), jnp.nan, jnp.float32)
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
