"""The host side of training: check and pad the data, draw initial weights and shuffles, run the
compiled loop chunk by chunk (with a progress bar), and turn its final state into a
``TrainResult``. ``fit`` and ``fit_many`` are the public doors."""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import jax
import numpy as np

from lstmcast._checks import finite_array, non_negative_int, number
from lstmcast._runtime import ensure_runtime, release_programs_now_and_then
from lstmcast._shapes import bucket_size, pad_rows, power_of_two
from lstmcast.errors import InvalidInputError, TrainingDivergedError
from lstmcast.nn.ensemble import calibrate_batch_norm
from lstmcast.nn.network import (
    NetworkSpec,
    embed_weights,
    extract_weights,
    init_network,
    ravel_weights,
    unravel_weights,
    weight_shapes,
    widest,
    width_free_key,
)
from lstmcast.train.config import TrainConfig, TrainResult
from lstmcast.train.loop import ModelConstants, Program, TrainData, initial_state, run_chunk
from lstmcast.train.optimizers import DEFAULT_LEARNING_RATES
from lstmcast.train.progress import ChunkProgress

DEFAULT_CONFIG = TrainConfig()  # frozen: safe as a default argument
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
class TrainJob:
    """One network to train, with its own samples, settings and seed (see ``fit_jobs``): the
    arguments of one ``fit`` call, kept as data.

    Attributes
    ----------
    spec, x, y, config, seed, validation_data, lengths, sample_weight, initial_params
        What ``fit`` and ``fit_many`` take under the same names, with the same defaults (``seed``:
        one seed; ``initial_params``: one network's weights).
    """

    spec: NetworkSpec
    x: Any
    y: Any
    config: TrainConfig = DEFAULT_CONFIG
    seed: int = 0
    validation_data: tuple[Any, ...] | None = None
    lengths: Any = None
    sample_weight: Any = None
    initial_params: Any = None  # one network's weights to start from (default: drawn from the seed)


class Samples(NamedTuple):
    """Checked training or validation data: ``x (n, time, features)`` and ``y (n, outputs)`` as
    float32, each sequence's length (or None: every sample fills the time axis) and each sample's
    weight in the loss (or None: all 1)."""

    x: np.ndarray
    y: np.ndarray
    lengths: np.ndarray | None = None
    weights: np.ndarray | None = None


def fit(
    spec: NetworkSpec, x: Any, y: Any, config: TrainConfig = DEFAULT_CONFIG, *, seed: int = 0, **options: Any
) -> TrainResult:
    """Train one network on windows ``x: (samples, time, features)`` and targets ``y``: ``fit_many``
    with one seed.

    The same seed gives bit-identical weights and history (on the same machine and JAX build).

    Parameters
    ----------
    spec : NetworkSpec
        The network.
    x : array-like
        ``(samples, time, features)`` inputs.
    y : array-like
        ``(samples, outputs)`` targets (``(samples,)`` for one output).
    config : TrainConfig, default TrainConfig()
        How to train.
    seed : int, default 0
        Seeds the initial weights, the shuffles and dropout.
    **options
        ``fit_many``'s other keywords: ``validation_data``, ``initial_params``, ``lengths``,
        ``sample_weight``, ``verbose``.

    Returns
    -------
    TrainResult
        With a model axis of length 1, as every ``TrainResult`` (``result.member(0)`` is the
        network's weights).

    Raises
    ------
    TrainingDivergedError
        The loss became NaN or infinite (unless early stopping with ``restore_best_weights`` can
        return the best weights, which it does with a warning).
    """
    return fit_many(spec, x, y, config, seeds=[seed], **options)


def fit_many(
    spec: NetworkSpec,
    x: Any,
    y: Any,
    config: TrainConfig = DEFAULT_CONFIG,
    *,
    seeds: Sequence[int] = range(5),
    learning_rates: Sequence[float] | None = None,
    validation_data: tuple[Any, ...] | None = None,
    initial_params: dict | None = None,
    lengths: Any = None,
    sample_weight: Any = None,
    verbose: int = 1,
) -> TrainResult:
    """Train one model per seed (optionally each with its own learning rate) in one program.

    Equivalent to separate ``fit`` calls with those seeds, at a fraction of the cost: use it for
    ensembles, seed studies and learning-rate grids.

    Parameters
    ----------
    spec : NetworkSpec
        The network.
    x, y : array-like
        Inputs and targets, as ``fit``.
    config : TrainConfig, default TrainConfig()
        How to train.
    seeds : sequence of int, default range(5)
        One model per seed: each seeds its initial weights, shuffles and dropout.
    learning_rates : sequence of float, optional
        One learning rate per seed, instead of ``config.learning_rate``.
    validation_data : tuple, optional
        ``(x, y)``, or ``(x, y, lengths)`` with ``lengths``, or ``(x, y, lengths, sample_weight)``
        (``lengths`` None where there are none): the validation loss is weighted as the training loss.
    initial_params : dict, optional
        One network's weights (the same start for every model) or a stack with a leading model
        axis; default: drawn from each seed.
    lengths : array-like, optional
        Sequences of different lengths are padded at the end and passed with their lengths,
        ``(samples,)``; None: every sample fills the time axis.
    sample_weight : array-like, optional
        ``(samples,)``: weighs each sample's loss (class weights, say), as Keras'
        ``sample_weight``; None: all 1.
    verbose : int, default 1
        1 shows a progress bar.

    Returns
    -------
    TrainResult
        The models in the order of ``seeds``.
    """
    config = _check_config(config)
    seeds = [non_negative_int(s, "seed") for s in seeds]
    if not seeds:
        raise InvalidInputError("give at least one seed")
    if learning_rates is None:
        configs = [config] * len(seeds)
    else:
        rates = [number(rate, "each of learning_rates", above=0.0) for rate in learning_rates]
        if len(rates) != len(seeds):
            raise InvalidInputError(
                f"learning_rates must be {len(seeds)} positive numbers, one per seed; got {len(rates)}"
            )
        configs = [replace(config, learning_rate=rate) for rate in rates]
    initial = [None] * len(seeds) if initial_params is None else _initial_per_seed(spec, initial_params, len(seeds))
    # the same arrays for every seed: fit_jobs trains them on one copy of the data, in one program
    jobs = [
        TrainJob(spec, x, y, c, seed, validation_data, lengths, sample_weight, start)
        for seed, c, start in zip(seeds, configs, initial)
    ]
    return fit_jobs(jobs, verbose=verbose, stacked=True)


def fit_jobs(jobs: Sequence[TrainJob], *, verbose: int = 0, stacked: bool = False) -> list[TrainResult] | TrainResult:
    """Train many networks, each with its own samples, network and settings, in as few compiled
    programs as possible; the results come back in the order of ``jobs``.

    Jobs that differ only in run-time values share one program: seed, learning rate, epochs,
    sample count and the widths of their layers (each network embedded exactly in the widest of
    its group, its extra weights held at 0). What changes a program is anything else: the batch
    size, the depth and activations of the network, the window length, the loss, optimizer,
    clipping, shuffling, statefulness, early stopping and validation. Each result
    equals a separate ``fit`` of its job (bit for bit when the job is alone in its group).

    Parameters
    ----------
    jobs : sequence of TrainJob
        The networks to train.
    verbose : int, default 0
        1 shows one progress bar over every job's epochs.
    stacked : bool, default False
        Return one ``TrainResult`` of every job, its model axis in the order of ``jobs`` (an
        ensemble), instead of one per job.

    Returns
    -------
    list of TrainResult or TrainResult
        One per job, in the order of ``jobs``, each with a model axis of length 1; with
        ``stacked``, all of them as one.
    """
    started = time.perf_counter()
    jobs = list(jobs)
    checked = []
    seen: dict[tuple, tuple[Samples, Samples | None]] = {}  # jobs given the same arrays share one checked copy
    for job in jobs:
        if not isinstance(job, TrainJob):
            raise InvalidInputError(f"fit_jobs takes TrainJob items, got {type(job).__name__}")
        config = _check_config(job.config)
        same = (job.spec, id(job.x), id(job.y), id(job.lengths), id(job.sample_weight), id(job.validation_data))
        if same not in seen:
            train = _as_samples(job.spec, "training", job.x, job.y, job.lengths, job.sample_weight)
            seen[same] = (train, _validation(job.spec, job.validation_data))
        checked.append((job, config, *seen[same]))
    groups: dict[tuple, list[int]] = {}
    for k, (job, config, train, validation) in enumerate(checked):
        groups.setdefault(_static_key(job.spec, config, train, validation), []).append(k)
    runs = []
    for indexes in groups.values():
        members, data, initial = [], [], []
        for k in indexes:
            job, config, train, validation = checked[k]
            members.append(
                _Member(job.spec, non_negative_int(job.seed, "seed"), config.learning_rate, config.epochs, len(train.x))
            )
            data.append((train, validation))
            initial.append(
                None if job.initial_params is None else _initial_per_seed(job.spec, job.initial_params, 1)[0]
            )
        if all(pair[0] is data[0][0] and pair[1] is data[0][1] for pair in data):
            data = data[:1]  # one copy of the data for every member (an ensemble of seeds)
        runs.append(_prepare_group(members, checked[indexes[0]][1], data, initial))
    _run_all(runs, verbose)
    results: list[TrainResult | None] = [None] * len(jobs)
    for run, indexes in zip(runs, groups.values()):
        # members of one network trained on the same data are finished together (one pass of
        # batch-norm statistics over that data), then handed back one job each
        alike: dict[tuple, list[int]] = {}
        for position, k in enumerate(indexes):
            samples = run.samples[position if len(run.samples) > 1 else 0]
            alike.setdefault((checked[k][0].spec, id(samples)), []).append(position)
        for positions in alike.values():
            first = indexes[positions[0]]
            joint = _result(run, checked[first][1], positions, checked[first][0].spec, started)
            if stacked and [indexes[p] for p in positions] == list(range(len(jobs))):
                return joint  # every job, in order, in one result: nothing to split and stack again
            for row, position in enumerate(positions):
                results[indexes[position]] = joint.select([row])
    return TrainResult.stack(results) if stacked else results


@dataclass(frozen=True)
class _Member:
    """What one model of a group brings: its network, seed, learning rate (None: the optimizer's
    default), epochs and sample count."""

    spec: NetworkSpec
    seed: int
    learning_rate: float | None
    epochs: int
    n_train: int


class _Run:
    """One group's training, advanced a chunk of epochs at a time: ``dispatch`` starts the next
    chunk (JAX runs it asynchronously), ``collect`` waits for it. Dispatching every group's chunk
    before collecting any lets XLA run groups side by side and trace the next group's program
    while the previous one computes."""

    def __init__(
        self,
        program: Program,
        state,
        consts: ModelConstants,
        data: TrainData,
        members: list[_Member],
        samples: list[Samples],
    ) -> None:
        self.program, self.state, self.consts, self.data, self.members = program, state, consts, data, members
        self.samples = samples  # the training samples, one for all members or one per member
        self.max_epochs = max(m.epochs for m in members)
        self.rngs = [np.random.default_rng([m.seed, _SHUFFLE_STREAM]) for m in members]
        self.epochs_done, self.done, self.pending = 0, False, None
        self.last_loss: float | None = None
        self._losses: list[np.ndarray] = []
        self._val_losses: list[np.ndarray] = []

    def dispatch(self) -> None:
        n_epochs = min(self.program.chunk_epochs, self.max_epochs - self.epochs_done)
        orders = (
            _epoch_orders(self.program, self.rngs, [m.n_train for m in self.members], n_epochs)
            if self.program.shuffle
            else None
        )
        self.pending = (
            n_epochs,
            run_chunk(self.program, self.state, self.consts, self.data, orders, self.epochs_done, n_epochs),
        )

    def collect(self) -> None:
        n_epochs, (self.state, history) = self.pending
        loss, val_loss = np.asarray(history[0]), np.asarray(history[1])
        self._losses.append(loss[:, :n_epochs])
        self._val_losses.append(val_loss[:, :n_epochs])
        self.epochs_done += n_epochs
        all_stopped = bool(np.asarray(self.state.stopped).all())
        self.last_loss = None if all_stopped else float(np.nanmean(loss[:, n_epochs - 1]))
        self.done = all_stopped or self.epochs_done >= self.max_epochs
        if self.done:
            self.state = jax.tree_util.tree_map(np.asarray, self.state)
            self.epochs_done = self.max_epochs  # for the progress bar: nothing left to run

    @property
    def losses(self) -> np.ndarray:
        return np.concatenate(self._losses, axis=1)

    @property
    def val_losses(self) -> np.ndarray:
        return np.concatenate(self._val_losses, axis=1)


def _run_all(runs: list[_Run], verbose: int) -> None:
    """Advance every run chunk by chunk until all are done, every chunk dispatched before any is
    collected; one progress bar over all their epochs."""
    release_programs_now_and_then()
    progress = ChunkProgress(sum(r.max_epochs for r in runs), enabled=verbose > 0)
    with progress:
        while active := [r for r in runs if not r.done]:
            for run in active:
                run.dispatch()
            for run in active:
                run.collect()
            losses = [r.last_loss for r in runs if r.last_loss is not None]
            progress.advance(sum(r.epochs_done for r in runs), float(np.mean(losses)) if losses else None)


def _check_config(config: TrainConfig) -> TrainConfig:
    if not isinstance(config, TrainConfig):
        raise InvalidInputError(f"config must be a TrainConfig, got {type(config).__name__}")
    return config


def program_key(job: TrainJob) -> tuple:
    """What decides the compiled program ``job`` trains in: jobs with equal keys train together in
    ``fit_jobs`` (a distributed search sends each key's jobs to one worker).

    Parameters
    ----------
    job : TrainJob
        The job (its data are checked, nothing is trained).

    Returns
    -------
    tuple
        Hashable.
    """
    train = _as_samples(job.spec, "training", job.x, job.y, job.lengths, job.sample_weight)
    return _static_key(job.spec, _check_config(job.config), train, _validation(job.spec, job.validation_data))


def _static_key(spec: NetworkSpec, config: TrainConfig, train: Samples, validation: Samples | None) -> tuple:
    """What two jobs must share to train in one program (see ``fit_jobs``)."""
    settings = (
        config.loss,
        config.optimizer,
        config.clip_norm,
        config.clip_value,
        config.shuffles,
        config.stateful,
        config.early_stopping,
        config.lr_schedule,
    )
    data = (train.x.shape[1:], validation is not None, train.lengths is not None, train.weights is not None)
    return (width_free_key(spec), settings, data, config.batch_size)


def _prepare_group(
    members: list[_Member],
    config: TrainConfig,
    data: list[tuple[Samples, Samples | None]],
    initial: list[dict | None],
) -> _Run:
    """The training of ``members`` in one program, ready to run. ``data`` holds one ``(training,
    validation)`` pair for all members or one per member; ``config`` gives the settings they share."""
    ensure_runtime()
    early = config.early_stopping
    validating = data[0][1] is not None
    with_lengths, weighted = data[0][0].lengths is not None, data[0][0].weights is not None
    if config.stateful and (with_lengths or not members[0].spec.plain):
        raise InvalidInputError(
            "a stateful network must be a plain LSTM network over windows that fill the time axis (no lengths)"
        )
    monitor = early.monitor if early else ("val_loss" if validating else "loss")
    if monitor == "val_loss" and not validating:
        raise InvalidInputError("early stopping on 'val_loss' needs validation_data (or monitor='loss')")
    wide = widest([m.spec for m in members])
    batch = config.batch_size
    n_max = max(m.n_train for m in members)
    rows = batch * math.ceil(power_of_two(n_max) / batch)  # up to a power of two: few programs
    per_model = len(data) > 1
    eval_batch = (
        batch if config.stateful else min(bucket_size(max(len(v.x) for _, v in data)) if validating else 1, _EVAL_BATCH)
    )
    n_eval = bucket_size(max(math.ceil(len(v.x) / eval_batch) for _, v in data)) if validating else 0
    shards = []
    for train, validation in data:
        if validating and config.stateful and validation.x.shape[1:] != train.x.shape[1:]:
            raise InvalidInputError("stateful validation windows must have the training windows' shape")
        shard = TrainData(x=pad_rows(train.x, rows), y=pad_rows(train.y, rows))
        if with_lengths:
            shard = shard._replace(lengths=pad_rows(train.lengths, rows))
        if weighted:
            shard = shard._replace(weights=pad_rows(train.weights, rows))
        if validating:
            shard = shard._replace(**_validation_batches(validation, eval_batch, n_eval))
        shards.append(shard)
    stacked = jax.tree_util.tree_map(lambda *a: np.stack(a), *shards) if per_model else shards[0]
    steps = math.ceil(n_max / batch)
    max_epochs = max(m.epochs for m in members)
    program = Program(
        spec=wide,
        loss=config.loss,
        optimizer=config.optimizer,
        clip_norm=config.clip_norm,
        clip_value=config.clip_value,
        batch_size=batch,
        rows=rows,
        chunk_epochs=_chunk_epochs(wide, max_epochs, steps, batch, data[0][0].x.shape[1]),
        shuffle=config.shuffles,
        stateful=config.stateful,
        validation=validating,
        monitor=monitor,
        min_delta=float(early.min_delta) if early else 0.0,
        patience=int(early.patience) if early else 0,
        early_stopping=early is not None,
        data_per_model=per_model,
        masked=any(m.spec != wide for m in members),
        lengths=with_lengths,
        weighted=weighted,
        lr_schedule=config.lr_schedule,
    )
    initial_flat = np.stack(
        [_embedded(m.spec, wide, init_network(m.spec, m.seed) if p is None else p) for m, p in zip(members, initial)]
    )
    ones = [jax.tree_util.tree_map(np.ones_like, init_network(m.spec, 0)) for m in members]
    consts = ModelConstants(
        seed=np.asarray([m.seed for m in members], np.int32),
        lr=np.asarray([m.learning_rate or DEFAULT_LEARNING_RATES[config.optimizer] for m in members], np.float32),
        n_train=np.asarray([m.n_train for m in members], np.int32),
        epochs=np.asarray([m.epochs for m in members], np.int32),
        mask=np.stack([_embedded(m.spec, wide, one) for m, one in zip(members, ones)]),
    )
    return _Run(program, initial_state(program, initial_flat), consts, stacked, members, [train for train, _ in data])


def _embedded(spec: NetworkSpec, wide: NetworkSpec, params: dict) -> np.ndarray:
    """``params`` of ``spec`` as one flat vector of ``wide``'s layout."""
    if spec != wide:
        params = embed_weights(spec, wide, params)
    return np.asarray(ravel_weights(params), np.float32)


def _chunk_epochs(spec: NetworkSpec, epochs: int, steps_per_epoch: int, batch: int, time_steps: int) -> int:
    step_flops = 3 * batch * spec.forward_flops(time_steps)  # forward and backward
    by_steps = _CHUNK_STEPS // steps_per_epoch
    by_flops = int(_CHUNK_FLOPS // max(1, step_flops * steps_per_epoch))
    chunk = max(1, min(by_steps, by_flops))
    return min(power_of_two(chunk), power_of_two(epochs))


def _validation(spec: NetworkSpec, validation_data: tuple | None) -> Samples | None:
    if validation_data is None:
        return None
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3, 4):
        raise InvalidInputError(
            "validation_data is (x, y), (x, y, lengths) for sequences padded at the end, or (x, y, lengths, "
            "sample_weight) (lengths may be None)"
        )
    return _as_samples(spec, "validation", *validation_data)


def _as_samples(spec: NetworkSpec, what: str, x: Any, y: Any, lengths: Any = None, weights: Any = None) -> Samples:
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
    if lengths is None and spec.conv_filters:
        lengths = np.full(len(x), x.shape[1])  # batch statistics must leave out a batch's padding slots
    if lengths is not None:
        lengths = finite_array(lengths, f"{what} lengths")
        if (
            lengths.shape != (len(x),)
            or np.any(lengths != np.round(lengths))
            or np.any((lengths < 1) | (lengths > x.shape[1]))
        ):
            raise InvalidInputError(
                f"{what} lengths must be {len(x)} whole numbers from 1 to {x.shape[1]} (the time axis), one per sample"
            )
        lengths = lengths.astype(np.int32)
    if weights is not None:
        weights = finite_array(weights, f"{what} sample weights").astype(np.float32)
        if weights.shape != (len(x),) or np.any(weights < 0):
            raise InvalidInputError(f"{what} sample weights must be {len(x)} numbers >= 0, one per sample")
    return Samples(x, y, lengths, weights)


def _validation_batches(validation: Samples, batch: int, n_batches: int) -> dict[str, np.ndarray]:
    rows = n_batches * batch
    batched = lambda a: pad_rows(a, rows).reshape(n_batches, batch, *a.shape[1:])  # noqa: E731
    out = {
        "x_val": batched(validation.x),
        "y_val": batched(validation.y),
        "w_val": batched(np.ones(len(validation.x), np.float32) if validation.weights is None else validation.weights),
    }
    if validation.lengths is not None:
        out["lengths_val"] = batched(validation.lengths)
    return out


def _epoch_orders(program: Program, rngs: list[np.random.Generator], n_trains: list[int], n_epochs: int) -> np.ndarray:
    """Each model's sample order for the next ``n_epochs`` epochs, ``(models, chunk_epochs, rows)``:
    a fresh permutation of its own samples per epoch, drawn on the host before the compiled loop
    runs."""
    orders = np.zeros((len(rngs), program.chunk_epochs, program.rows), np.int32)
    for model, (rng, n_train) in enumerate(zip(rngs, n_trains)):
        base = np.tile(np.arange(n_train, dtype=np.int32), (n_epochs, 1))
        orders[model, :n_epochs, :n_train] = rng.permuted(base, axis=1)
    return orders


def _initial_per_seed(spec: NetworkSpec, params: dict, n_models: int) -> list[dict]:
    """Initial weights given by the caller, one network's per model: one network's weights (the
    same for every model) or a stack with a leading model axis."""
    leaves = jax.tree_util.tree_leaves(params)
    shapes = [leaf.shape for leaf in jax.tree_util.tree_leaves(weight_shapes(spec))]
    params = jax.tree_util.tree_map(lambda a: np.asarray(a, np.float32), params)
    if [np.shape(leaf) for leaf in leaves] == shapes:
        return [params] * n_models
    if [np.shape(leaf) for leaf in leaves] == [(n_models,) + s for s in shapes]:
        return [jax.tree_util.tree_map(lambda a, k=k: a[k], params) for k in range(n_models)]
    raise InvalidInputError("initial_params do not match the network's weight shapes (one model or one per seed)")


def _result(run: _Run, config: TrainConfig, models: list[int], spec: NetworkSpec, started: float) -> TrainResult:
    """The ``TrainResult`` of the ``models`` of a run (their positions in it), with ``spec``'s
    weights taken out of the run's wide network."""
    state = jax.tree_util.tree_map(lambda a: np.asarray(a)[models], run.state)
    members = [run.members[k] for k in models]
    seeds = [m.seed for m in members]
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
    history = {"loss": run.losses[models, :ran]}
    if run.program.validation:
        history["val_loss"] = run.val_losses[models, :ran]
    params = unravel_weights(run.program.spec, flat)
    if spec != run.program.spec:
        params = extract_weights(spec, run.program.spec, params)
    if spec.conv_filters:  # inference normalises by the training data's statistics, computed now
        train = run.samples[models[0] if len(run.samples) > 1 else 0]
        params = calibrate_batch_norm(spec, params, train.x, train.lengths)
    return TrainResult(
        params=params,
        history=history,
        epochs_run=state.epochs_run,
        best_epoch=state.best_epoch,
        stopped_early=state.stopped & ~diverged & (state.epochs_run < np.asarray([m.epochs for m in members])),
        seeds=seeds,
        seconds=time.perf_counter() - started,
    )
