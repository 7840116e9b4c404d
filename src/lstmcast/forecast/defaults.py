"""lstmcast's recommended settings for one series: what a ``LocalLSTM`` should use when nobody
has tuned it.

The tutorials' LSTMs forecast about as well as persistence. What makes the difference, on the
classic monthly series and by backtests on their training parts: a look-back of at least one
season; a log (for positive series, where seasonal swings grow with the level) and a seasonal
difference, so the network learns changes against last year instead of levels it has never seen;
standard scaling; an ensemble of seeds; and early stopping on a validation tail of the training
data. Nothing here looks at test data. (``GlobalLSTM``'s defaults are its recommended settings:
there is no tutorial to stay equal to.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lstmcast._checks import season as check_season
from lstmcast._checks import series_values
from lstmcast.errors import InvalidInputError

__all__ = ["CONFORMAL_WINDOWS", "MIN_RECOMMENDED_LENGTH", "default_forecaster", "recommended_params"]

MIN_RECOMMENDED_LENGTH = 24
"""The fewest training values the recommended settings are made for."""


def recommended_params(y: Any, season: int = 1) -> dict[str, Any]:
    """``LocalLSTM`` parameters for one series.

    A look-back of one season and a seasonal difference when ``y`` holds four seasons or more
    (else a short look-back and a lag-1 difference), a log for positive series, batch 8 (32
    beyond 1,000 windows), and a validation tail of about 10% of the windows (at least one
    season) for early stopping; 5 seeds.

    Parameters
    ----------
    y : array-like or pandas.Series
        The training values (at least ``MIN_RECOMMENDED_LENGTH``).
    season : int, default 1
        The seasonal period (12 for monthly data with a yearly cycle).

    Returns
    -------
    dict
        Keyword arguments for ``LocalLSTM``.
    """
    values = series_values(y, "y")
    season = check_season(season)
    n = len(values)
    if n < MIN_RECOMMENDED_LENGTH:
        raise InvalidInputError(
            f"{n} points are too few for the recommended settings ({MIN_RECOMMENDED_LENGTH}+ needed); "
            "pass settings explicitly"
        )
    seasonal = season > 1 and n >= 4 * season
    look_back = season if seasonal else min(8, n // 6)
    difference = [season] if seasonal else [1]
    windows = n - look_back - sum(difference)
    return {
        "look_back": int(look_back),
        "units": 16,
        "log": bool(np.all(values > 0)),
        "difference": difference,
        "scale": "standard",
        "epochs": 300,
        "batch_size": 8 if windows < 1000 else 32,
        "validation_size": int(max(season if seasonal else 1, round(0.1 * windows))),
        "patience": 30,
        "n_seeds": 5,
    }


CONFORMAL_WINDOWS = 20
"""Refits that calibrate one series' prediction intervals (enough for a 95% interval)."""


def default_forecaster(data: Any, *, season: int, horizon: int | None = None, intervals: bool = False, **given: Any):
    """The LSTM lstmcast recommends for ``data``, chosen by what the data is.

    Parameters
    ----------
    data : pandas.Series, array-like or Panel
        The training data: many series (a ``Panel``) get a ``GlobalLSTM`` with its defaults; one
        series gets a ``LocalLSTM`` with ``recommended_params(data, season)``.
    season : int
        The seasonal period.
    horizon : int, optional
        The values to forecast (a global model is trained for it; one series' intervals are
        calibrated for it).
    intervals : bool, default False
        One series: calibrate conformal prediction intervals for ``horizon`` (up to
        ``CONFORMAL_WINDOWS`` refits, fewer for a short series).
    **given
        Settings that take precedence over the recommended ones (``units``, ``epochs``, ...).

    Returns
    -------
    LocalLSTM or GlobalLSTM
        Unfitted.
    """
    from lstmcast.data import Panel

    if isinstance(data, Panel):
        from lstmcast.forecast.global_lstm import GlobalLSTM

        return GlobalLSTM(horizon=horizon, season=check_season(season), **given)
    from lstmcast.forecast.local_lstm import LocalLSTM

    params = {**recommended_params(data, season), **given}
    if intervals:
        if horizon is None:
            raise InvalidInputError("intervals are calibrated for a horizon: give horizon=H")
        spare = len(series_values(data, "y")) - horizon - MIN_RECOMMENDED_LENGTH
        params.update(horizon=horizon, conformal_windows=max(1, min(CONFORMAL_WINDOWS, spare)))
    return LocalLSTM(**params)
