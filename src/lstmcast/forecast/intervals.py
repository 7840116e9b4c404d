"""Prediction intervals: coverage levels, and split-conformal half-widths from held-out errors.

A model calibrates its intervals on forecasts it made of data it was not trained on (the global
LSTM on each series' held-back last horizon; the per-series LSTM on refits cut before the end of
its series): the absolute errors per horizon step are the conformity scores, and the interval at
``level`` percent is the forecast plus or minus the ``ceil((n + 1) * level / 100)``-th smallest
of the ``n`` scores of its step (Vovk et al.; Lei et al. 2018), which covers at least ``level``
percent of exchangeable new points.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lstmcast._checks import number
from lstmcast.errors import InvalidInputError

__all__ = ["calibration_needed", "conformal_quantiles", "interval_levels"]


def interval_levels(level: Any) -> list[float]:
    """Coverage levels as a list of percentages strictly between 0 and 100.

    Parameters
    ----------
    level : float or sequence of float
        One coverage in percent (``95``) or several (``[80, 95]``).

    Returns
    -------
    list of float
        The levels, in the order given.
    """
    values = [level] if not isinstance(level, (list, tuple)) else list(level)
    if not values:
        raise InvalidInputError(
            "level is a coverage in percent, e.g. 95, or a list such as [80, 95]; got an empty list"
        )
    out = []
    for value in values:
        value = number(value, "level", above=0.0)
        if value >= 100:
            raise InvalidInputError(f"a level is a coverage in percent between 0 and 100, e.g. 80 or 95; got {value:g}")
        out.append(value)
    return out


def calibration_needed(level: Any) -> int:
    """The fewest calibration forecasts that give a finite split-conformal interval at ``level``.

    Parameters
    ----------
    level : float
        Coverage in percent, strictly between 0 and 100 (anything else is refused).

    Returns
    -------
    int
        The smallest ``n`` with ``ceil((n + 1) * level / 100) <= n``.
    """
    levels = interval_levels(level)
    if len(levels) != 1:
        raise InvalidInputError(f"calibration_needed takes one level, e.g. 95; got {level!r}")
    level = levels[0]
    n = max(1, math.ceil(level / (100.0 - level)) - 2)  # (n + 1) * level / 100 <= n  <=>  n >= level / (100 - level)
    while math.ceil((n + 1) * level / 100.0) > n:  # from just below the bound, so the first n found is the least
        n += 1
    return n


def conformal_quantiles(scores: np.ndarray, levels: list[float]) -> dict[float, np.ndarray]:
    """Split-conformal half-widths per level and horizon step.

    Parameters
    ----------
    scores : numpy.ndarray
        ``(n, horizon)``: the absolute errors of ``n`` held-out forecasts, per horizon step.
    levels : list of float
        Coverage levels in percent (see ``interval_levels``).

    Returns
    -------
    dict of float to numpy.ndarray
        For each level, the ``ceil((n + 1) * level / 100)``-th smallest score of each step.

    Raises
    ------
    InvalidInputError
        Too few scores for a level: the honest interval would be infinite.
    """
    scores = np.sort(np.asarray(scores, np.float64), axis=0)
    n = len(scores)
    out = {}
    for level in interval_levels(levels):
        rank = math.ceil((n + 1) * level / 100.0)
        if rank > n:
            raise InvalidInputError(
                f"a {level:g}% conformal interval needs at least {calibration_needed(level)} calibration forecasts, "
                f"but there are {n}; calibrate on more windows or series (conformal_windows=, a longer history) or "
                "ask for a lower level"
            )
        out[level] = scores[rank - 1]
    return out
