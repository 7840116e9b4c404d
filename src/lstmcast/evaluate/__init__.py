"""Scoring forecasts, every model on the same points, always beside baselines.

The error measures live a layer below, in ``lstmcast.metrics`` (plain functions of ``(y_true,
y_pred)``; MASE scaled by the data before the cut-off), so forecasters that choose by held-back
errors use the same ones; they are re-exported here. ``splits`` the rolling-origin windows every evaluation (and every
search) cuts the data with; ``engine`` the one evaluation engine; ``workflow`` its front doors:
``walk_forward`` and ``backtest`` for one series, ``cross_validate`` and ``holdout`` for a
panel, all returning an ``Evaluation``. Importing this package is cheap: statsforecast is imported
only when a statistical baseline first forecasts.
"""

from lstmcast.evaluate.engine import TABLE_METRICS, Evaluation
from lstmcast.evaluate.splits import MIN_TRAIN, Fold, RollingOrigin
from lstmcast.evaluate.workflow import backtest, cross_validate, holdout, walk_forward
from lstmcast.metrics import METRICS, mae, mape, mase, metric_value, rmse, score, seasonal_naive_scale, smape

__all__ = [
    "METRICS",
    "MIN_TRAIN",
    "TABLE_METRICS",
    "Evaluation",
    "Fold",
    "RollingOrigin",
    "backtest",
    "cross_validate",
    "holdout",
    "mae",
    "mape",
    "mase",
    "metric_value",
    "rmse",
    "score",
    "seasonal_naive_scale",
    "smape",
    "walk_forward",
]
