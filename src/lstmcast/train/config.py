"""What a training run is asked to do (``TrainConfig``, ``EarlyStopping``) and what it returns
(``TrainResult``): plain frozen data, checked when made."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lstmcast._checks import non_negative_int, number, one_of, positive_int
from lstmcast.errors import InvalidInputError
from lstmcast.train.losses import LOSSES
from lstmcast.train.optimizers import DEFAULT_LEARNING_RATES, LR_SCHEDULES


@dataclass(frozen=True)
class EarlyStopping:
    """Keras' ``EarlyStopping``: stop when ``monitor`` has not improved by more than ``min_delta``
    for ``patience`` epochs; with ``restore_best_weights`` return the weights of the best epoch.

    Attributes
    ----------
    monitor : {"val_loss", "loss"}, default "val_loss"
        The loss watched.
    min_delta : float, default 0.0
        The smallest decrease that counts as an improvement.
    patience : int, default 0
        Epochs without improvement before training stops.
    restore_best_weights : bool, default False
        Return the weights of the best epoch rather than the last.
    """

    monitor: str = "val_loss"
    min_delta: float = 0.0
    patience: int = 0
    restore_best_weights: bool = False

    def __post_init__(self) -> None:
        one_of(self.monitor, ("loss", "val_loss"), "early stopping monitor")
        object.__setattr__(self, "patience", non_negative_int(self.patience, "patience"))
        object.__setattr__(self, "min_delta", number(self.min_delta, "min_delta", minimum=0.0))
        one_of(self.restore_best_weights, (True, False), "restore_best_weights")


@dataclass(frozen=True)
class TrainConfig:
    """How to train: Keras' ``compile``/``fit`` arguments.

    Attributes
    ----------
    epochs : int, default 100
        Passes over the training samples (at most, with early stopping).
    batch_size : int, default 32
        Samples per optimizer step.
    shuffle : bool, optional
        None means shuffle each epoch unless ``stateful``.
    stateful : bool, default False
        Stateful runs are never shuffled: sample ``j`` of a batch continues sample ``j`` of the
        previous batch, and the LSTM state is carried across batches and reset at each epoch's
        start.
    loss : str, default "mse"
        One of ``lstmcast.train.LOSSES``.
    optimizer : {"adam", "sgd", "rmsprop"}, default "adam"
        The optimizer, with Keras' semantics (``make_optimizer``).
    learning_rate : float, optional
        None takes the optimizer's Keras default.
    clip_norm : float, optional
        Clip each step's gradient to this global norm (Keras' ``clipnorm``).
    clip_value : float, optional
        Clip each gradient element to this absolute value (Keras' ``clipvalue``).
    early_stopping : EarlyStopping, optional
        None trains every epoch.
    lr_schedule : {"constant", "cosine"}, default "constant"
        ``"cosine"`` lowers the rate along half a cosine from ``learning_rate`` in the first
        epoch to near 0 in the last (Loshchilov and Hutter's annealing without restarts, stepped
        once per epoch); ``"constant"`` keeps it.
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
    lr_schedule: str = "constant"

    def __post_init__(self) -> None:
        object.__setattr__(self, "epochs", positive_int(self.epochs, "epochs"))
        object.__setattr__(self, "batch_size", positive_int(self.batch_size, "batch_size"))
        one_of(self.shuffle, (None, True, False), "shuffle")
        one_of(self.stateful, (True, False), "stateful")
        if self.stateful and self.shuffle:
            raise InvalidInputError("a stateful network is trained in order: use shuffle=False (or leave it unset)")
        one_of(self.loss, sorted(LOSSES), "loss")
        one_of(self.optimizer, sorted(DEFAULT_LEARNING_RATES), "optimizer")
        one_of(self.lr_schedule, LR_SCHEDULES, "lr_schedule")
        for name in ("learning_rate", "clip_norm", "clip_value"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, number(getattr(self, name), name, above=0.0))
        if self.early_stopping is not None and not isinstance(self.early_stopping, EarlyStopping):
            raise InvalidInputError(f"early_stopping must be an EarlyStopping or None, got {self.early_stopping!r}")

    @property
    def shuffles(self) -> bool:
        return (not self.stateful) if self.shuffle is None else bool(self.shuffle)


@dataclass
class TrainResult:
    """What a run returns, with a leading model axis on everything, whether one model was
    trained (``fit``) or many (``fit_many``).

    Attributes
    ----------
    params : dict
        Each weight with shape ``(models, ...)`` (``member(k)`` gives model ``k``'s weights
        alone).
    history : dict of str to numpy.ndarray
        ``"loss"`` (and ``"val_loss"`` with validation data) to ``(models, epochs)`` arrays, NaN
        for epochs a model did not run.
    epochs_run : numpy.ndarray
        ``(models,)``: the epochs each model ran.
    best_epoch : numpy.ndarray
        ``(models,)``: the epoch whose weights were returned when ``restore_best_weights`` was
        on (else the best epoch by the monitored value).
    stopped_early : numpy.ndarray
        ``(models,)`` bools: the model was stopped by early stopping.
    seeds : list of int
        Each model's seed.
    seconds : float
        The training's wall time (for stacked results, the longest).
    """

    params: dict
    history: dict[str, np.ndarray]
    epochs_run: np.ndarray
    best_epoch: np.ndarray
    stopped_early: np.ndarray
    seeds: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def member(self, k: int) -> dict:
        """Model ``k``'s weights, without the model axis."""
        import jax

        return jax.tree_util.tree_map(lambda a: a[k], self.params)

    def select(self, models: list[int]) -> TrainResult:
        """The result of the models at positions ``models`` alone."""
        import jax

        rows = np.asarray(models)
        return TrainResult(
            params=jax.tree_util.tree_map(lambda a: np.asarray(a)[rows], self.params),
            history={name: values[rows] for name, values in self.history.items()},
            epochs_run=self.epochs_run[rows],
            best_epoch=self.best_epoch[rows],
            stopped_early=self.stopped_early[rows],
            seeds=[self.seeds[k] for k in models],
            seconds=self.seconds,
        )

    @classmethod
    def stack(cls, results: list[TrainResult]) -> TrainResult:
        """One result for the models of several (of one network), along the model axis; histories
        of different lengths are padded with NaN."""
        import jax

        epochs = max(r.history["loss"].shape[1] for r in results)
        pad = lambda a: np.pad(a, ((0, 0), (0, epochs - a.shape[1])), constant_values=np.nan)  # noqa: E731
        return cls(
            params=jax.tree_util.tree_map(lambda *a: np.concatenate(a), *[r.params for r in results]),
            history={name: np.concatenate([pad(r.history[name]) for r in results]) for name in results[0].history},
            epochs_run=np.concatenate([r.epochs_run for r in results]),
            best_epoch=np.concatenate([r.best_epoch for r in results]),
            stopped_early=np.concatenate([r.stopped_early for r in results]),
            seeds=[seed for r in results for seed in r.seeds],
            seconds=max(r.seconds for r in results),
        )
