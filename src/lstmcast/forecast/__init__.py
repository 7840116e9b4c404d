"""Forecasting estimators on top of the trainer: numpy or pandas in, forecasts in original units."""

from lstmcast.forecast.defaults import recommended_params
from lstmcast.forecast.lstm import LSTMForecaster

__all__ = ["LSTMForecaster", "recommended_params"]
