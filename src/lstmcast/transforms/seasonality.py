"""Seasonality as the M competitions treat it: a test, and classical multiplicative decomposition.

``is_seasonal`` is the 90% autocorrelation test the M3 and M4 organisers applied before their
Naive2 and Theta benchmarks: a series of at least three seasons is seasonal when its
autocorrelation at the seasonal lag exceeds ``1.645 * sqrt((1 + 2 * sum(r_k^2, k < m)) / n)``.
``seasonal_factors`` are the classical decomposition's: the ratios of the series to its centred
moving average (a 2 x m average for even ``m``), averaged by position in the season and
normalised to a mean of 1. Dividing by them deseasonalises; multiplying puts the season back.
Pure NumPy, exactly invertible, fitted on training values only.
"""

from __future__ import annotations

import numpy as np

from lstmcast._checks import season as check_season
from lstmcast._checks import series_values

__all__ = ["autocorrelation", "is_seasonal", "seasonal_factors"]

# The one-sided 90% normal quantile of the M4 organisers' seasonality test.
_TEST_QUANTILE = 1.645


def autocorrelation(values: np.ndarray, lag: int) -> float:
    """The sample autocorrelation at ``lag`` (deviations from the mean, normalised by the total
    sum of squares, as R's ``acf``).

    Parameters
    ----------
    values : numpy.ndarray
        The series (1-D).
    lag : int
        The lag, at least 1.

    Returns
    -------
    float
        0 for a constant series.
    """
    centred = values - values.mean()
    denominator = float(np.sum(centred * centred))
    return float(np.sum(centred[lag:] * centred[:-lag]) / denominator) if denominator > 0 else 0.0


def is_seasonal(y, season: int) -> bool:
    """The M competitions' 90% autocorrelation test for a seasonal period ``season``.

    Parameters
    ----------
    y : array-like
        The series.
    season : int
        The seasonal period.

    Returns
    -------
    bool
        False for ``season == 1`` and for series shorter than three seasons.
    """
    values, season = series_values(y, "y"), check_season(season)
    if season == 1 or len(values) < 3 * season:
        return False
    r = np.array([autocorrelation(values, k) for k in range(1, season + 1)])
    limit = _TEST_QUANTILE * np.sqrt((1 + 2 * np.sum(r[:-1] ** 2)) / len(values))
    return bool(abs(r[-1]) > limit)


def seasonal_factors(y, season: int) -> np.ndarray:
    """Classical multiplicative seasonal factors of ``y``.

    Parameters
    ----------
    y : array-like
        The series: positive values, at least two seasons.
    season : int
        The seasonal period.

    Returns
    -------
    numpy.ndarray
        ``(season,)``: ``factors[k]`` belongs to positions ``k, k + season, ...`` of ``y``; their
        mean is 1.
    """
    season = check_season(season)
    values = series_values(y, "y", min_length=2 * season)
    weights = np.r_[0.5, np.ones(season - 1), 0.5] / season if season % 2 == 0 else np.ones(season) / season
    trend = np.convolve(values, weights, mode="valid")
    offset = (len(weights) - 1) // 2
    positions = np.arange(len(trend)) + offset
    ratios = values[positions] / trend
    factors = np.array([ratios[positions % season == k].mean() for k in range(season)])
    return factors / factors.mean()
