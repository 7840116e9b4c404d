"""Forecasters, all behind one protocol (``lstmcast.forecast.base``): the LSTM and the naive and
statistical baselines it is always compared with. NumPy or pandas in; arrays, or frames with
``ds`` and one column per model's ``alias``, out.

``LSTMForecaster`` and ``fit_together`` (fit many forecasters, their networks trained together)
are imported on first use: the baselines alone need neither JAX nor the
trainer (a worker process that only computes baselines starts faster).
"""

from typing import Any

from lstmcast.forecast.base import Forecaster, clone
from lstmcast.forecast.baselines import (
    AutoARIMA,
    AutoETS,
    AutoTheta,
    Naive2,
    Persistence,
    SeasonalNaive,
    default_baselines,
)
from lstmcast.forecast.defaults import recommended_panel_params, recommended_params

__all__ = [
    "AutoARIMA",
    "AutoETS",
    "AutoTheta",
    "Forecaster",
    "LSTMForecaster",
    "Naive2",
    "Persistence",
    "SeasonalNaive",
    "clone",
    "default_baselines",
    "fit_together",
    "program_key",
    "recommended_panel_params",
    "recommended_params",
]


def __getattr__(name: str) -> Any:
    if name in ("LSTMForecaster", "fit_together", "program_key"):
        from lstmcast.forecast import lstm

        return getattr(lstm, name)
    raise AttributeError(f"module 'lstmcast.forecast' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
