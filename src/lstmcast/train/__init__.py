"""Training compiled end to end: losses, optimizers, early stopping, ensembles of seeds.

``config`` says what a run is asked to do and what it returns; ``loop`` is the compiled program;
``driver`` prepares the data and runs the program (``fit``, ``fit_many``, and ``fit_jobs`` for
many different networks at once); ``estimator`` is the base of the estimators that train networks
(their shared parameters, early stopping, output head, training and saving).
"""

from lstmcast.train.config import EarlyStopping, TrainConfig, TrainResult
from lstmcast.train.driver import TrainJob, fit, fit_jobs, fit_many, program_key
from lstmcast.train.estimator import NetworkEstimator
from lstmcast.train.losses import LOSSES
from lstmcast.train.optimizers import DEFAULT_LEARNING_RATES, make_optimizer, scale_by_keras_adam

__all__ = [
    "DEFAULT_LEARNING_RATES",
    "EarlyStopping",
    "LOSSES",
    "NetworkEstimator",
    "TrainConfig",
    "TrainJob",
    "TrainResult",
    "fit",
    "fit_jobs",
    "fit_many",
    "make_optimizer",
    "program_key",
    "scale_by_keras_adam",
]
