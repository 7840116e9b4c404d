"""The numeric core of a global LSTM: many series, one network, per-series normalisation.

A tutorial-style LSTM per series overfits a hundred points; one network trained on windows drawn
from every series of a panel learns the shapes they share (this is how recurrent models became
competitive in the M4 competition). Each series is first put on a common footing, chosen from its
own training values (``choose_scaling``):

* ``log`` when every value is positive, so that a window's changes are relative (a 10% rise is
  the same input at any level);
* divided by its classical multiplicative seasonal factors when the M competitions' seasonality
  test says it is seasonal (``lstmcast.transforms.is_seasonal``);
* otherwise (values not all positive) divided by its mean absolute change, a scale-free unit.

Every window is then read relative to its own last input value: the network sees where the series
has been compared with where it is, and predicts where it goes compared with where it is. Windows
of series shorter than the look-back are shorter too (padded at the end, with their lengths: the
padding never changes a result). All of this is exactly invertible (``denormalize``).

Pure NumPy functions of arrays; the estimator (``LSTMForecaster`` given a panel) lives in
``lstmcast.forecast.lstm``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstmcast._checks import one_of
from lstmcast.errors import InvalidInputError
from lstmcast.transforms.seasonality import is_seasonal, seasonal_factors

NORMALIZATIONS = ("auto", "log", "level")


@dataclass(frozen=True)
class SeriesScaling:
    """How one series is normalised: ``log`` (else divided by ``scale``) and seasonal ``factors``
    (multiplicative, by position ``k % len(factors)`` from the series' first value; ``(1.0,)``
    for none)."""

    log: bool
    factors: tuple[float, ...] = (1.0,)
    scale: float = 1.0

    def to_json(self) -> list:
        return [self.log, list(self.factors), self.scale]

    @classmethod
    def from_json(cls, data: list) -> SeriesScaling:
        return cls(bool(data[0]), tuple(float(f) for f in data[1]), float(data[2]))


def choose_scaling(values: np.ndarray, season: int, normalization: str = "auto") -> SeriesScaling:
    """The scaling of a series from its training ``values`` (see the module docstring).
    ``normalization``: ``"auto"`` (log and seasonal factors where the data allow), ``"log"`` (log
    only; positive values needed) or ``"level"`` (neither: divided by the mean absolute change)."""
    one_of(normalization, NORMALIZATIONS, "normalization")
    positive = bool(np.all(values > 0))
    if normalization == "log" and not positive:
        raise InvalidInputError("normalization='log' needs positive values in every series; use 'auto' or 'level'")
    if positive and normalization != "level":
        seasonal = normalization == "auto" and is_seasonal(values, season)
        factors = tuple(float(f) for f in seasonal_factors(values, season)) if seasonal else (1.0,)
        return SeriesScaling(True, factors)
    changes = np.abs(np.diff(values))
    scale = float(changes.mean()) if len(changes) and changes.mean() > 0 else float(np.abs(values).mean()) or 1.0
    return SeriesScaling(False, (1.0,), scale)


def normalize(values: np.ndarray, scaling: SeriesScaling) -> np.ndarray:
    """The series on the network's footing (before each window's own level is taken off)."""
    adjusted = values / _factors(scaling, np.arange(len(values)))
    return np.log(adjusted) if scaling.log else adjusted / scaling.scale


def denormalize(z: np.ndarray, scaling: SeriesScaling, positions: np.ndarray) -> np.ndarray:
    """The inverse of ``normalize`` for values ``z`` at ``positions`` of the series."""
    adjusted = np.exp(z) if scaling.log else z * scaling.scale
    return adjusted * _factors(scaling, positions)


def _factors(scaling: SeriesScaling, positions: np.ndarray) -> np.ndarray:
    factors = np.asarray(scaling.factors)
    return factors[np.asarray(positions) % len(factors)]


@dataclass(frozen=True)
class Windows:
    """Samples for the network: inputs ``x (n, look_back, 1)`` relative to each window's last
    input value, padded at the end to ``lengths``; targets ``y (n, horizon)`` relative to the same
    value (None when only inputs are wanted); ``series`` and ``cutoff`` say which series each
    window comes from and where its forecast starts."""

    x: np.ndarray
    y: np.ndarray | None
    lengths: np.ndarray
    series: np.ndarray
    cutoff: np.ndarray


def training_windows(zs: list[np.ndarray], look_back: int, horizon: int, ends: np.ndarray, max_windows: int) -> Windows:
    """Every window of every series whose target lies within ``z[:ends[k]]``, the most recent
    ``max_windows`` of each series; a window needs at least one input value."""
    cutoffs = [np.arange(1, end - horizon + 1)[-max_windows:] for end in ends]
    return cut_windows(zs, look_back, horizon, cutoffs)


def cut_windows(
    zs: list[np.ndarray], look_back: int, horizon: int, cutoffs: list[np.ndarray], *, targets: bool = True
) -> Windows:
    """The windows of series ``k`` that end at each of ``cutoffs[k]`` (inputs ``z[t - look_back:t]``,
    shorter where ``t < look_back``; targets ``z[t:t + horizon]`` when asked for)."""
    xs, ys, lengths, series, where = [], [], [], [], []
    for k, (z, ts) in enumerate(zip(zs, cutoffs)):
        if len(ts) == 0:
            continue
        ts = np.asarray(ts)
        padded = np.concatenate([z, np.zeros(look_back)])  # room for windows shorter than look_back
        starts = np.maximum(ts - look_back, 0)
        take = starts[:, None] + np.arange(look_back)[None, :]
        length = np.minimum(ts, look_back)
        level = z[ts - 1][:, None]
        inputs = (padded[take] - level) * (np.arange(look_back)[None, :] < length[:, None])
        xs.append(inputs)
        if targets:
            ys.append(z[ts[:, None] + np.arange(horizon)[None, :]] - level)
        lengths.append(length)
        series.append(np.full(len(ts), k))
        where.append(ts)
    if not xs:
        raise InvalidInputError("no series is long enough for a single window; use a shorter horizon or look_back")
    return Windows(
        x=np.concatenate(xs).astype(np.float32)[:, :, None],
        y=np.concatenate(ys).astype(np.float32) if targets else None,
        lengths=np.concatenate(lengths).astype(np.int32),
        series=np.concatenate(series),
        cutoff=np.concatenate(where),
    )


def calibration_needed(level: float) -> int:
    """The fewest calibration forecasts that give a finite split-conformal interval at ``level``
    percent: the smallest ``n`` with ``ceil((n + 1) * level / 100) <= n``."""
    n = 1
    while int(np.ceil((n + 1) * level / 100.0)) > n:
        n += 1
    return n


def conformal_quantiles(scores: np.ndarray, levels: list[float]) -> dict[float, np.ndarray]:
    """Split-conformal half-widths: for each level (in percent), per horizon step (column of
    ``scores``, the absolute errors of held-out forecasts), the ``ceil((n + 1) * level / 100)``-th
    smallest score. Too few scores for a level (that rank beyond ``n``) is an error: the honest
    interval would be infinite."""
    scores = np.sort(np.asarray(scores, np.float64), axis=0)
    n = len(scores)
    out = {}
    for level in levels:
        rank = int(np.ceil((n + 1) * level / 100.0))
        if rank > n:
            needed = calibration_needed(level)
            raise InvalidInputError(
                f"a {level:g}% conformal interval needs at least {needed} calibration forecasts, but there are {n}; "
                "calibrate on more windows or series (conformal_windows=, a longer history) or ask for a lower level"
            )
        out[level] = scores[rank - 1]
    return out
