"""Scoring forecasts, every model on the same points, always beside baselines.

``metrics`` holds the error measures (plain functions of ``(y_true, y_pred)``); ``workflow``
runs walk-forward and rolling-origin evaluations of any forecasters (``lstmcast.forecast``),
the default baselines included; ``panel`` evaluates many series at once (holdout and rolling
origin, sMAPE, MASE, OWA, interval coverage). Importing this package is cheap: statsforecast is imported only
when a statistical baseline first forecasts.
"""

from lstmcast.evaluate.metrics import METRICS, mae, mape, mase, rmse, score, seasonal_naive_scale, smape
from lstmcast.evaluate.panel import PanelEvaluation, cross_validate, holdout
from lstmcast.evaluate.workflow import TABLE_METRICS, Evaluation, backtest, walk_forward

__all__ = [
    "Evaluation",
    "METRICS",
    "PanelEvaluation",
    "TABLE_METRICS",
    "backtest",
    "cross_validate",
    "holdout",
    "mae",
    "mape",
    "mase",
    "rmse",
    "score",
    "seasonal_naive_scale",
    "smape",
    "walk_forward",
]
