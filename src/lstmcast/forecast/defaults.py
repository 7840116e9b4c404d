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

__all__ = ["MIN_RECOMMENDED_LENGTH", "recommended_params"]

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
