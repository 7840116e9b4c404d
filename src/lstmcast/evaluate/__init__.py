"""Scoring forecasts, always beside naive and statistical baselines.

``metrics`` holds the error measures (plain functions of ``(y_true, y_pred)``); ``baselines``
computes persistence, seasonal naive, AutoETS, AutoARIMA (and Theta, multi-step) on the same
target points as the LSTM. Importing this package is cheap: statsforecast is imported only when
a statistical baseline is first computed.
"""

from lstmcast.evaluate.baselines import (
    DEFAULT_MODELS,
    MULTI_STEP_MODELS,
    ONE_STEP_MODELS,
    BaselineFitError,
    multi_step_baselines,
    one_step_baselines,
)
from lstmcast.evaluate.metrics import (
    METRICS,
    mae,
    mape,
    mase,
    rmse,
    score,
    seasonal_naive_scale,
    smape,
)

from lstmcast.evaluate.workflow import Evaluation, backtest, walk_forward  # noqa: E402

__all__ = [
    "Evaluation",
    "backtest",
    "walk_forward",
    "BaselineFitError",
    "DEFAULT_MODELS",
    "METRICS",
    "MULTI_STEP_MODELS",
    "ONE_STEP_MODELS",
    "mae",
    "mape",
    "mase",
    "multi_step_baselines",
    "one_step_baselines",
    "rmse",
    "score",
    "seasonal_naive_scale",
    "smape",
]
