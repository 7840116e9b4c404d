"""The M competitions' seasonality test and classical decomposition, against the formulas
written out plainly here."""

import numpy as np
import pytest

from lstmcast.errors import InvalidInputError
from lstmcast.forecast import Naive2
from lstmcast.transforms import autocorrelation, is_seasonal, seasonal_factors


def seasonal_series(n=60, season=12, amplitude=0.3, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return (100 + t) * (1 + amplitude * np.sin(2 * np.pi * t / season)) * np.exp(rng.normal(0, 0.01, n))


def test_autocorrelation_is_the_textbook_formula():
    y = np.random.default_rng(1).normal(size=40)
    d = y - y.mean()
    for lag in (1, 3, 12):
        assert autocorrelation(y, lag) == pytest.approx(sum(d[t] * d[t - lag] for t in range(lag, 40)) / sum(d**2))


def test_the_test_finds_a_season_and_no_season_in_noise():
    assert is_seasonal(seasonal_series(), 12)
    assert not is_seasonal(np.random.default_rng(2).normal(100, 1, 60), 12)
    assert not is_seasonal(seasonal_series(n=30), 12)  # under three seasons: never
    assert not is_seasonal(seasonal_series(), 1)


def test_factors_are_the_classical_ratio_to_moving_average():
    y = seasonal_series(n=48, season=4)
    factors = seasonal_factors(y, 4)
    # by hand: a 2x4 centred moving average, then the ratios averaged by quarter
    trend = {t: (0.5 * y[t - 2] + y[t - 1] + y[t] + y[t + 1] + 0.5 * y[t + 2]) / 4 for t in range(2, 46)}
    by_quarter = [np.mean([y[t] / trend[t] for t in trend if t % 4 == q]) for q in range(4)]
    expected = np.array(by_quarter) / np.mean(by_quarter)
    np.testing.assert_allclose(factors, expected, rtol=1e-12)
    assert factors.mean() == pytest.approx(1.0)
    odd = seasonal_factors(seasonal_series(n=35, season=7), 7)
    assert odd.shape == (7,) and odd.mean() == pytest.approx(1.0)
    with pytest.raises(InvalidInputError):
        seasonal_factors(y[:7], 4)


def test_naive2_is_persistence_of_the_adjusted_series():
    y = seasonal_series(n=48, season=12)
    factors = seasonal_factors(y, 12)
    forecast = Naive2(season=12).fit(y).predict(18)
    level = y[-1] / factors[47 % 12]
    np.testing.assert_allclose(forecast, [level * factors[t % 12] for t in range(48, 66)], rtol=1e-12)
    long = seasonal_series(n=72, season=12)
    assert is_seasonal(long[:60], 12)
    one_step = Naive2(season=12).fit(long[:60]).predict_one_step(long[60:])
    trained = seasonal_factors(long[:60], 12)  # from the training part only
    np.testing.assert_allclose(
        one_step, [long[t - 1] / trained[(t - 1) % 12] * trained[t % 12] for t in range(60, 72)], rtol=1e-12
    )
    noise = np.random.default_rng(3).normal(100, 1, 48)
    np.testing.assert_array_equal(Naive2(season=12).fit(noise).predict(3), np.full(3, noise[-1]))
