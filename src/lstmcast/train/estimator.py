"""The base of every lstmcast estimator that trains networks: the forecasters' LSTMs and the
sequence classifier.

``NetworkEstimator`` declares, once, the parameters they share (the LSTM and its Dense head,
the training run, early stopping, the ensemble of seeds) and does, once, what they all do with
them: build the head, the early stopping and the training settings, train an ensemble through
``fit_jobs`` (the one trainer path), keep what training reports, and save and load the fitted
estimator.

Saving is driven by the estimator itself, not by hand-written file code: ``save`` writes the
constructor's parameters (``get_params``) and the fitted state a subclass names in
``_fitted_state`` through ``lstmcast._io.pack``, which keeps tuples, non-finite floats and NumPy
arrays as they were; ``load`` passes the stored parameters back to the constructor by name, so a
loaded estimator has exactly the parameters it was saved with. A file written by another
lstmcast version whose parameters this one does not know, or by the estimator format before the
forecasters were split into ``LocalLSTM`` and ``GlobalLSTM``, is refused with a
``ModelFileError`` that names the version that wrote it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from lstmcast._checks import non_negative_int, number, one_of, positive_int
from lstmcast._estimator import Estimator
from lstmcast._io import pack, unpack
from lstmcast.errors import InvalidInputError, ModelFileError
from lstmcast.nn import Dense, read_model_file, save_network
from lstmcast.train.config import EarlyStopping, TrainConfig, TrainResult
from lstmcast.train.driver import TrainJob, fit_jobs

__all__ = ["ESTIMATOR_FORMAT", "NetworkEstimator"]

ESTIMATOR_FORMAT = 2
"""The version of what an estimator stores in a model file (1: lstmcast 0.1, before the
forecasters were split into ``LocalLSTM`` and ``GlobalLSTM``)."""


class NetworkEstimator(Estimator):
    """Parameters and behaviour shared by every estimator that trains networks.

    Parameters
    ----------
    units : int or sequence of int, default 4
        Units of the LSTM layer, or of each stacked layer (every layer but the last returns
        sequences, as in Keras).
    dense : sequence of int or (int, str), default ()
        Hidden Dense layers between the LSTM and the output layer: units, or ``(units,
        activation)``; the output layer is added to them.
    dropout, recurrent_dropout : float, default 0.0
        Keras' LSTM dropout of the inputs and of the recurrent state, in training only.
    epochs : int, default 100
        Passes over the training samples (at most, with early stopping).
    batch_size : int, default 32
        Samples per optimizer step.
    optimizer : {"adam", "sgd", "rmsprop"}, default "adam"
        The optimizer, with Keras' semantics (``lstmcast.train.make_optimizer``).
    learning_rate : float, optional
        The optimizer's learning rate; None takes Keras' default for the optimizer.
    lr_schedule : {"constant", "cosine"}, default "constant"
        ``"cosine"`` anneals the learning rate along half a cosine to near 0 in the last epoch.
    clip_norm : float, optional
        Clip each step's gradient to this global norm (Keras' ``clipnorm``).
    patience : int, optional
        Stop training when the monitored loss (the validation loss where there is validation
        data, else the training loss) has not improved for this many epochs; None trains every
        epoch.
    min_delta : float, default 0.0
        With ``patience``: the smallest decrease that counts as an improvement.
    restore_best_weights : bool, default True
        With ``patience``: return the weights of the best epoch rather than the last.
    n_seeds : int, default 1
        Networks trained from seeds ``seed .. seed + n_seeds - 1`` (in one compiled program);
        their outputs are combined (an ensemble). For a look-back ensemble, seeds per look-back.
    seed : int, default 0
        The first seed: the same seed, the same weights and results.
    verbose : int, default 0
        1 shows a progress bar with an estimate of the time left while training.
    """

    units: int | Sequence[int] = 4
    dense: Sequence[int | tuple[int, str]] = ()
    dropout: float = 0.0
    recurrent_dropout: float = 0.0
    epochs: int = 100
    batch_size: int = 32
    optimizer: str = "adam"
    learning_rate: float | None = None
    lr_schedule: str = "constant"
    clip_norm: float | None = None
    patience: int | None = None
    min_delta: float = 0.0
    restore_best_weights: bool = True
    n_seeds: int = 1
    seed: int = 0
    verbose: int = 0

    fitted_state: ClassVar[tuple[str, ...]] = ()
    """The fitted attributes (besides the network and its weights) that ``save`` keeps."""

    # -- what every network estimator builds from its parameters -----------------------------------
    def _head(self, outputs: int, activation: str = "linear") -> tuple[Dense, ...]:
        """The Dense layers after the LSTM: ``dense``, then the output layer."""
        if isinstance(self.dense, (str, bytes)) or not isinstance(self.dense, Sequence):
            raise InvalidInputError(f"dense is a list of layers (units, or (units, activation)); got {self.dense!r}")
        hidden = tuple(Dense(*d) if isinstance(d, (tuple, list)) else Dense(d) for d in self.dense)
        return (*hidden, Dense(outputs, activation))

    def _early_stopping(self, validating: bool) -> EarlyStopping | None:
        """Keras' ``EarlyStopping`` on the validation loss (or the training loss without
        validation data), or None without ``patience``; the settings that only matter with
        patience are refused without it, rather than ignored."""
        if self.patience is None:
            ignored = [
                name
                for name, value, default in (
                    ("min_delta", self.min_delta, 0.0),
                    ("restore_best_weights", self.restore_best_weights, True),
                )
                if value != default
            ]
            if ignored:
                raise InvalidInputError(
                    f"{' and '.join(ignored)} only apply to early stopping: give patience= too, or leave them out"
                )
            return None
        return EarlyStopping(
            monitor="val_loss" if validating else "loss",
            patience=self.patience,
            min_delta=number(self.min_delta, "min_delta", minimum=0.0),
            restore_best_weights=self.restore_best_weights,
        )

    def _training(self, *, loss: str, validating: bool, **settings: Any) -> TrainConfig:
        """The training settings: the shared parameters, ``loss``, early stopping when asked for,
        and ``settings`` a subclass fixes or derives (``epochs``, ``batch_size``, ``shuffle``,
        ``stateful``...)."""
        one_of(self.lr_schedule, ("constant", "cosine"), "lr_schedule")
        return TrainConfig(
            **{"epochs": self.epochs, "batch_size": self.batch_size, **settings},
            loss=loss,
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            lr_schedule=self.lr_schedule,
            clip_norm=self.clip_norm,
            early_stopping=self._early_stopping(validating),
        )

    def _seeds(self) -> list[int]:
        """The ensemble's seeds: ``seed .. seed + n_seeds - 1``."""
        n, first = positive_int(self.n_seeds, "n_seeds"), non_negative_int(self.seed, "seed")
        return [first + k for k in range(n)]

    def _train(self, jobs: list[TrainJob]) -> TrainResult:
        """Train the networks of ``jobs`` in as few compiled programs as possible
        (``lstmcast.train.fit_jobs``) and return them as one ensemble, in the jobs' order."""
        return fit_jobs(jobs, verbose=non_negative_int(self.verbose, "verbose"), stacked=True)

    def _keep_training(self, result: TrainResult) -> None:
        """What training reports: ``history_`` (``loss`` and ``val_loss`` per member and epoch),
        ``epochs_run_`` per member and ``train_seconds_``."""
        self.history_ = result.history
        self.epochs_run_ = np.asarray(result.epochs_run)
        self.train_seconds_ = result.seconds

    # -- saving and loading --------------------------------------------------------------------
    def save(self, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
        """Write the fitted estimator to one file (no pickle); ``load`` gives it back exactly.

        Parameters
        ----------
        path : str or os.PathLike
            The file to write, conventionally ``.npz`` (its folder must exist).
        overwrite : bool, default False
            Replace an existing file (else ``OutputExistsError``).

        Returns
        -------
        pathlib.Path
            The model file written: the network, its weights, the parameters and the fitted state.
        """
        self._check_fitted("params_")
        arrays: dict[str, np.ndarray] = {}
        state = self._fitted_state()
        metadata = {
            "kind": type(self).__name__,
            "estimator_format": ESTIMATOR_FORMAT,
            "params": pack(self.get_params(deep=False), arrays),
            "state": pack(state, arrays),
        }
        return save_network(path, self.spec_, self.params_, metadata=metadata, arrays=arrays, overwrite=overwrite)

    @classmethod
    def load(cls, path: str | os.PathLike) -> NetworkEstimator:
        """Read an estimator written by ``save``; it predicts exactly as before.

        Parameters
        ----------
        path : str or os.PathLike
            A model file written by ``save`` of this class.

        Returns
        -------
        NetworkEstimator
            The fitted estimator, of this class.

        Raises
        ------
        ModelFileError
            The file is missing, damaged, not an lstmcast model, holds another kind of estimator,
            or was written by an lstmcast whose estimator format this one does not read.
        """
        model = read_model_file(path)
        kind, version = model.metadata.get("kind"), model.metadata.get("estimator_format", 1)
        if version != ESTIMATOR_FORMAT:
            raise ModelFileError(
                f"{path} was written by lstmcast {model.written_by} (estimator format {version}); this lstmcast "
                f"reads format {ESTIMATOR_FORMAT}: fit the model again with this version and save it"
            )
        if kind != cls.__name__:
            raise ModelFileError(f"{path} holds a {kind}, not a {cls.__name__}; load it with {kind}.load")
        try:
            params = unpack(model.metadata["params"], model.arrays)
            state = unpack(model.metadata["state"], model.arrays)
            unknown = sorted(set(params) - set(cls._param_names()))
            if unknown:
                raise ModelFileError(
                    f"{path} was written by lstmcast {model.written_by}, whose {cls.__name__} has parameters this "
                    f"version does not know ({', '.join(unknown)}); load it with that version"
                )
            estimator = cls(**params)
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFileError(f"{path} is not a readable {cls.__name__} file (damaged?): {error}") from None
        estimator.spec_, estimator.params_ = model.spec, model.params
        estimator._restore(state)
        return estimator

    def _fitted_state(self) -> dict[str, Any]:
        """What ``save`` keeps besides the network: the training report and the attributes named
        in ``fitted_state`` (a subclass turns what is not plain data into data here)."""
        return {name: getattr(self, name) for name in ("history_", "epochs_run_", "train_seconds_", *self.fitted_state)}

    def _restore(self, state: dict[str, Any]) -> None:
        """Set the fitted attributes ``_fitted_state`` gave (the inverse of its conversions)."""
        for name, value in state.items():
            setattr(self, name, value)
