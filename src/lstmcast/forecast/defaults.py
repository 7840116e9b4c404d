"""lstmcast's recommended settings: what a forecaster should use when nobody has tuned it.

The tutorials' LSTMs forecast about as well as persistence. What makes the difference, on the
classic monthly series and by backtests on their training parts: a look-back of at least one
season; a log (for positive series, where seasonal swings grow with the level) and a seasonal
difference, so the network learns changes against last year instead of levels it has never seen;
standard scaling; an ensemble of seeds; and early stopping on a validation tail of the training
data. Nothing here looks at test data.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lstmcast._checks import season as check_season
from lstmcast._checks import series_values
from lstmcast.errors import InvalidInputError

# Windows one member of a recommended panel model sees in training (epochs × windows). Measured
# here (2 cores): 1,500 monthly series, h=24, fit in about a minute (the CLI's 90 s target). Most
# M1/M3 panels need more for 20 epochs (M3 yearly 147,000, M1 monthly 470,000): with the budget
# they train fewer epochs; max_train_windows=None trains them fully (minutes to a quarter hour).
TRAIN_BUDGET = 32_000


def recommended_params(y: Any, season: int = 1, horizon: int | None = None) -> dict[str, Any]:
    """``LSTMForecaster`` parameters for series ``y`` (its training values) with seasonal period
    ``season``: a look-back of one season and a seasonal difference when ``y`` holds four
    seasons or more (else a short look-back and a lag-1 difference), a log for positive series,
    batch 8 (32 beyond 1,000 windows), and a validation tail of about 10% of the windows (at
    least one season) for early stopping. For a panel (a long frame or a ``Panel``) see
    ``recommended_panel_params``, which needs the ``horizon``."""
    from lstmcast.data import Panel

    if isinstance(y, Panel) or (hasattr(y, "columns") and {"unique_id", "ds", "y"} <= set(y.columns)):
        if horizon is None:
            raise InvalidInputError("the recommended settings for a panel depend on the horizon: pass horizon=H")
        return recommended_panel_params(season, horizon)
    values = series_values(y, "y")
    season = check_season(season)
    n = len(values)
    if n < 24:
        raise InvalidInputError(
            f"{n} points are too few for the recommended settings (24+ needed); pass settings explicitly"
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
        "n_models": 5,
    }


def recommended_panel_params(season: int, horizon: int) -> dict[str, Any]:
    """``LSTMForecaster`` parameters for a panel: one global network forecasting ``horizon``
    values directly, chosen by backtests inside the M1 and M3 training files only
    (``benchmarks/competitions_defaults.py``; their mean validation OWA 0.832 against 0.855 for
    AutoETS and 0.831 for AutoTheta): a look-back ensemble of one and two horizons, 3 seeds
    each, combined by their median; 64 units, mean absolute error on the normalised footing,
    batch 256, 20 epochs over every window of every series (a fixed count: early stopping on
    the validation tail chose worse), and at most ``TRAIN_BUDGET`` windows per member so that a
    panel of thousands of series trains in about a minute on two cores (fewer epochs, then
    fewer windows per series). Pass ``max_train_windows=None`` for the full 20 epochs, which the
    validation above used (``benchmarks/competitions.py`` reports both)."""
    from lstmcast._checks import positive_int

    season, horizon = check_season(season), positive_int(horizon, "horizon")
    return {
        "look_back": [horizon, 2 * horizon],
        "units": 64,
        "loss": "mae",
        "epochs": 20,
        "batch_size": 256,
        "patience": None,
        "strategy": "direct",
        "horizon": horizon,
        "season": season,
        "max_windows": 10_000,
        "max_train_windows": TRAIN_BUDGET,
        "n_models": 3,
        "combine": "median",
    }
