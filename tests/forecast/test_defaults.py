"""recommended_params: what lstmcast uses when nobody has tuned a forecaster, rule by rule."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.datasets import load
from lstmcast.errors import InvalidInputError
from lstmcast.forecast import LocalLSTM, recommended_params


def test_a_seasonal_series_gets_a_season_of_look_back_and_a_seasonal_difference():
    y = load("airline").to_numpy()[:96]  # the airline tutorial's training part, 8 years
    params = recommended_params(y, 12)
    assert params["look_back"] == 12 and params["difference"] == [12]
    assert params["log"] is True  # every value is positive
    windows = len(y) - 12 - 12
    assert params["validation_size"] == max(12, round(0.1 * windows)) and params["batch_size"] == 8
    assert params["scale"] == "standard" and params["patience"] is not None and params["n_seeds"] >= 2


def test_fewer_than_four_seasons_fall_back_to_a_short_look_back_and_lag_1():
    y = 50 + np.sin(np.arange(40.0))
    params = recommended_params(y, 12)  # 40 < 48 points
    assert params["difference"] == [1] and params["look_back"] == min(8, len(y) // 6)
    assert recommended_params(y, 1)["difference"] == [1]


def test_log_only_for_positive_series_and_batch_grows_with_the_data():
    y = np.sin(np.arange(3000.0) / 5)  # crosses zero
    params = recommended_params(y, 1)
    assert params["log"] is False and params["batch_size"] == 32
    assert params["validation_size"] == round(0.1 * (len(y) - params["look_back"] - 1))


def test_too_short_and_bad_input_raise():
    with pytest.raises(InvalidInputError, match="24"):
        recommended_params(np.arange(1.0, 20.0), 1)
    with pytest.raises(InvalidInputError):
        recommended_params(np.arange(1.0, 40.0), 0)


def test_the_settings_make_a_forecaster_that_fits():
    y = load("airline").to_numpy()[:96]
    params = {**recommended_params(y, 12), "epochs": 2, "n_seeds": 2}
    model = LocalLSTM(**params).fit(y)
    forecast = model.predict(12)
    assert forecast.shape == (12,) and np.isfinite(forecast).all()


def test_the_default_forecaster_follows_the_data():
    """Many series get the global model with its defaults; one series the local model with the
    recommended settings (the given ones first), calibrated for a horizon when asked."""
    from lstmcast.data import Panel
    from lstmcast.forecast import CONFORMAL_WINDOWS, MIN_RECOMMENDED_LENGTH, GlobalLSTM, default_forecaster

    y = load("airline").to_numpy()[:96]
    panel = Panel(("a", "b"), (y[:60], y[30:]), (pd.RangeIndex(60), pd.RangeIndex(66)))
    model = default_forecaster(panel, season=12, horizon=6, units=8)
    assert type(model) is GlobalLSTM
    assert model.get_params() == GlobalLSTM(horizon=6, season=12, units=8).get_params()
    local = default_forecaster(y, season=12, epochs=3)
    assert type(local) is LocalLSTM
    assert local.get_params() == LocalLSTM(**{**recommended_params(y, 12), "epochs": 3}).get_params()
    calibrated = default_forecaster(y, season=12, horizon=6, intervals=True)
    assert calibrated.horizon == 6
    assert calibrated.conformal_windows == min(CONFORMAL_WINDOWS, len(y) - 6 - MIN_RECOMMENDED_LENGTH)
    short = default_forecaster(y[:30], season=1, horizon=6, intervals=True)
    assert short.conformal_windows == 1  # 30 - 6 - 24 leaves none to spare: one refit
    with pytest.raises(InvalidInputError, match="horizon"):
        default_forecaster(y, season=12, intervals=True)
