"""Per-series normalisation for a global model: many series on one footing, exactly invertible.

A tutorial-style LSTM per series overfits a hundred points; one network trained on windows drawn
from every series of a panel learns the shapes they share (this is how recurrent models became
competitive in the M4 competition). Each series is first put on a common footing, chosen from its
own training values (``choose_scaling``):

* ``log`` when every value is positive, so that a window's changes are relative (a 10% rise is
  the same input at any level);
* divided by its classical multiplicative seasonal factors when the M competitions' seasonality
  test says it is seasonal (``lstmcast.transforms.is_seasonal``);
* otherwise (values not all positive) divided by its mean absolute change, a scale-free unit.

``normalize`` applies a scaling and ``denormalize`` inverts it exactly; windows cut from the
normalised series are read relative to their own last value (``lstmcast.transforms.cut_windows``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstmcast._checks import one_of
from lstmcast.errors import InvalidInputError
from lstmcast.transforms.seasonality import is_seasonal, seasonal_factors

__all__ = ["NORMALIZATIONS", "SeriesScaling", "choose_scaling", "denormalize", "normalize"]

NORMALIZATIONS = ("auto", "log", "level")


@dataclass(frozen=True)
class SeriesScaling:
    """How one series is normalised.

    Attributes
    ----------
    log : bool
        Take the log (else divide by ``unit``).
    factors : tuple of float, default (1.0,)
        Seasonal factors, multiplicative, by position ``k % len(factors)`` from the series'
        first value; ``(1.0,)`` for none.
    unit : float, default 1.0
        Without ``log``: the unit the series is divided by.
    """

    log: bool
    factors: tuple[float, ...] = (1.0,)
    unit: float = 1.0

    def to_data(self) -> dict:
        """The scaling as plain data (``SeriesScaling(**data)`` rebuilds it)."""
        return {"log": self.log, "factors": self.factors, "unit": self.unit}


def choose_scaling(values: np.ndarray, season: int, normalization: str = "auto") -> SeriesScaling:
    """The scaling of a series from its training ``values`` (see the module docstring).

    Parameters
    ----------
    values : numpy.ndarray
        The series' training values.
    season : int
        The seasonal period (for the seasonality test and factors).
    normalization : {"auto", "log", "level"}, default "auto"
        ``"auto"`` (log and seasonal factors where the data allow), ``"log"`` (log only; positive
        values needed) or ``"level"`` (neither: divided by the mean absolute change).

    Returns
    -------
    SeriesScaling
    """
    one_of(normalization, NORMALIZATIONS, "normalization")
    positive = bool(np.all(values > 0))
    if normalization == "log" and not positive:
        raise InvalidInputError("normalization='log' needs positive values in every series; use 'auto' or 'level'")
    if positive and normalization != "level":
        seasonal = normalization == "auto" and is_seasonal(values, season)
        factors = tuple(float(f) for f in seasonal_factors(values, season)) if seasonal else (1.0,)
        return SeriesScaling(True, factors)
    changes = np.abs(np.diff(values))
    unit = float(changes.mean()) if len(changes) and changes.mean() > 0 else float(np.abs(values).mean()) or 1.0
    return SeriesScaling(False, (1.0,), unit)


def normalize(values: np.ndarray, scaling: SeriesScaling) -> np.ndarray:
    """The series on the network's footing (before each window's own level is taken off).

    Parameters
    ----------
    values : numpy.ndarray
        The series, from its first value (the factors' positions count from it).
    scaling : SeriesScaling
        Its scaling.

    Returns
    -------
    numpy.ndarray
    """
    adjusted = values / _factors(scaling, np.arange(len(values)))
    return np.log(adjusted) if scaling.log else adjusted / scaling.unit


def denormalize(z: np.ndarray, scaling: SeriesScaling, positions: np.ndarray) -> np.ndarray:
    """The inverse of ``normalize`` for values ``z`` at ``positions`` of the series.

    Parameters
    ----------
    z : numpy.ndarray
        Normalised values.
    scaling : SeriesScaling
        The series' scaling.
    positions : numpy.ndarray
        The position of each value in the series (counted from its first value), for the
        seasonal factors.

    Returns
    -------
    numpy.ndarray
        The values in the series' units.
    """
    adjusted = np.exp(z) if scaling.log else z * scaling.unit
    return adjusted * _factors(scaling, positions)


def _factors(scaling: SeriesScaling, positions: np.ndarray) -> np.ndarray:
    factors = np.asarray(scaling.factors)
    return factors[np.asarray(positions) % len(factors)]
