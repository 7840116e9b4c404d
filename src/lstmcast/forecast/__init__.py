"""Forecasters, all behind one protocol (``lstmcast.forecast.base``): the LSTMs and the naive and
statistical baselines they are always compared with.

Local models, fitted on one series: ``LocalLSTM`` and the baselines (``Persistence``,
``SeasonalNaive``, ``Naive2``, ``AutoETS``, ``AutoARIMA``, ``AutoCES``, ``AutoTheta``). Global models, fitted
on many series at once: ``GlobalLSTM``; and ``Ensemble``, a combination of any of them (a
global model too). NumPy or pandas in; arrays, or frames with ``ds`` (and
``unique_id``) and one column per model's ``alias``, out.

The LSTMs and ``fit_together`` (fit many local models, their networks trained together) are
imported on first use: the baselines alone need neither JAX nor the trainer (a worker process
that only computes baselines starts faster).
"""

from typing import Any

from lstmcast.forecast.base import Forecaster, GlobalForecaster, LocalForecaster, PanelForecasts, clone
from lstmcast.forecast.baselines import (
    AutoARIMA,
    AutoCES,
    AutoETS,
    AutoTheta,
    Naive2,
    Persistence,
    SeasonalNaive,
    StatisticalForecaster,
    default_baselines,
)
from lstmcast.forecast.defaults import CONFORMAL_WINDOWS, MIN_RECOMMENDED_LENGTH, default_forecaster, recommended_params
from lstmcast.forecast.ensemble import ENSEMBLE_COMBINATIONS, Ensemble, recommended_ensemble

__all__ = [
    "CONFORMAL_WINDOWS",
    "ENSEMBLE_COMBINATIONS",
    "MIN_RECOMMENDED_LENGTH",
    "AutoARIMA",
    "AutoCES",
    "AutoETS",
    "AutoTheta",
    "Ensemble",
    "Forecaster",
    "GlobalForecaster",
    "GlobalLSTM",
    "LocalForecaster",
    "LocalLSTM",
    "Naive2",
    "PanelForecasts",
    "Persistence",
    "SeasonalNaive",
    "StatisticalForecaster",
    "clone",
    "default_baselines",
    "default_forecaster",
    "fit_together",
    "model_program_key",
    "recommended_ensemble",
    "recommended_params",
]

_LAZY = {
    "LocalLSTM": "local_lstm",
    "fit_together": "local_lstm",
    "model_program_key": "local_lstm",
    "GlobalLSTM": "global_lstm",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"lstmcast.forecast.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'lstmcast.forecast' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
