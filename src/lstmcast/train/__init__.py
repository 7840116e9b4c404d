"""Training compiled end to end: losses, optimizers, early stopping, ensembles of seeds."""

import lstmcast._runtime  # noqa: F401  (XLA flags and the compilation cache, before JAX starts)
from lstmcast.train.losses import LOSSES
from lstmcast.train.optimizers import DEFAULT_LEARNING_RATES, make_optimizer, scale_by_keras_adam
from lstmcast.train.trainer import EarlyStopping, TrainConfig, TrainResult, fit, fit_many

__all__ = [
    "DEFAULT_LEARNING_RATES",
    "EarlyStopping",
    "LOSSES",
    "TrainConfig",
    "TrainResult",
    "fit",
    "fit_many",
    "make_optimizer",
    "scale_by_keras_adam",
]
