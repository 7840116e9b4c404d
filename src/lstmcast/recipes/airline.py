"""Tutorials 003 (airline passengers) and 000 (monthly milk production): the same code on two series.

``MinMaxScaler((0, 1))`` fitted on the whole series, ``train_size = int(len * 0.67)``,
``create_dataset(look_back=1)`` on each part (it drops each part's last window: the training
windows end one point early and the test windows score ``test[1:-1]``), LSTM(4) -> Dense(1), MSE,
Adam, 100 epochs, batch 1, shuffled.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

import numpy as np

from lstmcast.forecast import recommended_params
from lstmcast.recipes.base import ForecastRecipe, Setup

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AIRLINE", "MILK", "Airline"]

CODE = (
    "LSTM(4)->Dense(1), look_back 1, 100 epochs, batch 1, adam, MSE, MinMaxScaler(0,1) on the whole series, 67/33 split"
)
TUTORIAL_SETTINGS = dict(
    look_back=1, units=4, epochs=100, batch_size=1, shuffle=True, loss="mse", optimizer="adam", scale="minmax"
)


class Airline(ForecastRecipe):
    """The airline tutorial's code on a monthly series (the airline passengers, or milk production).

    faithful: the tutorial's leaky scaler and ``create_dataset`` windows; fixed: the same settings
    on every training window, the scaler fitted on the training part; improved:
    ``recommended_params`` of the training part. Every variant scores the tutorial's test points.
    """

    def setup(self, variant: str, series: pd.Series, common: dict[str, Any], executor: Executor | None) -> Setup:
        from lstmcast.forecast import LocalLSTM
        from lstmcast.recipes.models import CreateDatasetWindows

        values = series.to_numpy(np.float64)
        train_size = int(len(values) * 0.67)
        scored = slice(train_size + 1, len(values) - 1)  # create_dataset(test): targets test[1 : -1]
        points = f"the tutorial's {scored.stop - scored.start} test points (y[{scored.start}:{scored.stop}])"
        tutorial = dict(TUTORIAL_SETTINGS, feature_range=(0.0, 1.0))
        if variant == "faithful":
            params = dict(tutorial, scale_range=(float(values.min()), float(values.max())))
            deviations = (
                "the tutorial's min-max scaler is fitted on the whole series (the test range leaks into training); "
                "reproduced: fixed fits it on the training part",
                f"the tutorial's create_dataset() drops the last window of each part: it trains on {train_size - 2} "
                f"windows (not {train_size - 1}) and scores the test points y[{scored.start}:{scored.stop}] (the "
                "first test point's input lies in the training part); reproduced: the LSTM is trained on those "
                "windows, every model scored on those points; fixed trains on every training window",
                "tutorial 003 prints 'Train Score: 129.53 RMSE' by passing an RMSE through inverse_transform; "
                "not reproduced: lstmcast's RMSEs are in original units",
            )
            forecaster = CreateDatasetWindows(**{**params, **common})
        else:
            params = tutorial if variant == "fixed" else _recommended(values[:train_size], self.season)
            forecaster, deviations = LocalLSTM(**{**params, **common}), ()
        return Setup(
            forecaster, train_size, slice(scored.start - train_size, scored.stop - train_size), points, deviations
        )


def _recommended(training: np.ndarray, season: int) -> dict[str, Any]:
    params = recommended_params(training, season)
    params.pop("n_seeds")
    return params


AIRLINE = Airline(
    "airline",
    "Airline passengers (monthly, 1949-1960)",
    "Brownlee, 'Time Series Prediction with LSTM Recurrent Neural Networks in Python with Keras' "
    f"(../shared/tutorials/003): {CODE}",
    dataset="airline",
    season=12,
)
MILK = Airline(
    "milk",
    "Monthly milk production per cow (1962-1975)",
    "'A simple LSTM network using Keras for sequence prediction' (../shared/tutorials/000), the airline code "
    f"on monthly milk production: {CODE}",
    dataset="milk",
    season=12,
)
