"""Point-forecast error metrics: plain functions, numpy in, Python floats out.

Every metric takes ``(y_true, y_pred)`` (``mase`` also needs the training series and its season)
and returns one ``float``. They share one contract so that any table of scores can be trusted:

- ``y_true`` and ``y_pred`` must have the same shape (no broadcasting: a ``(n,)`` target against
  a ``(n, 1)`` prediction is a bug that broadcasting would silently turn into an ``n x n`` mean);
- every value must be finite: NaN or inf in the inputs raises ``InvalidInputError`` instead of
  producing a NaN score that would sort anywhere in a comparison table;
- a metric never returns NaN: where it is undefined (MAPE with a zero target, MASE with a zero
  scale) it raises and says which metric to use instead.

``METRICS`` maps each name to its function; ``score`` computes them all at once and reports the
undefined ones as ``None`` rather than leaving them out silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np

from lstmcast._checks import finite_array, series_values
from lstmcast._checks import season as check_season
from lstmcast.errors import InvalidInputError

__all__ = [
    "METRICS",
    "mae",
    "mape",
    "mase",
    "metric_value",
    "rmse",
    "score",
    "seasonal_naive_scale",
    "seasonal_naive_scales",
    "smape",
]


def _as_finite_array(values: object, name: str) -> np.ndarray:
    """``values`` as a float64 array of any shape, non-empty and finite."""
    return finite_array(values, name, min_size=1)


def _pair(y_true: object, y_pred: object) -> tuple[np.ndarray, np.ndarray]:
    """Validate a target/prediction pair: numeric, finite, non-empty, identical shapes."""
    t = _as_finite_array(y_true, "y_true")
    p = _as_finite_array(y_pred, "y_pred")
    if t.shape != p.shape:
        raise InvalidInputError(
            f"y_true has shape {t.shape} but y_pred has shape {p.shape}; they must match exactly "
            "(reshape one of them, e.g. y_pred.reshape(y_true.shape), if that is what you mean)."
        )
    return t, p


def _errors(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    """``p - t``, refusing the overflow to inf that huge finite inputs can cause."""
    with np.errstate(over="ignore", invalid="ignore"):
        e = p - t
    if not np.isfinite(e).all():
        raise InvalidInputError(
            "y_pred - y_true overflows float64 (values near 1e308); rescale the data before scoring."
        )
    return e


def _scaled_abs_mean(e: np.ndarray) -> tuple[float, np.ndarray]:
    """Split |e| into ``m * u`` with ``m = max|e|`` and ``u`` in [0, 1].

    Working with ``u`` keeps squares and sums from overflowing or underflowing, so that for
    instance ``rmse == 0`` exactly when every error is zero, even for subnormal errors.
    """
    a = np.abs(e)
    m = float(a.max())
    if m == 0.0:
        return 0.0, np.zeros_like(a)
    return m, a / m


def rmse(y_true: object, y_pred: object) -> float:
    """Root mean squared error, in the units of the data.

    Penalises large errors more than ``mae``; it is what the Keras tutorials report, so
    lstmcast reports it first. Always ``rmse >= mae >= 0``.

    Parameters
    ----------
    y_true, y_pred : array-like
        The observed and forecast values, the same shape, finite; their differences are
        squared, averaged, then square-rooted.

    Returns
    -------
    float
        The RMSE, in the data's units: 0 exactly when every forecast equals its observation.
    """
    t, p = _pair(y_true, y_pred)
    m, u = _scaled_abs_mean(_errors(t, p))
    value = m * float(np.sqrt(np.mean(u * u)))
    # The smallest subnormal error, halved by the mean, rounds to 0: keep "0 only when equal".
    return max(value, float(np.nextafter(0.0, 1.0))) if m > 0 else 0.0


def mae(y_true: object, y_pred: object) -> float:
    """Mean absolute error, in the units of the data (robust to a few large errors).

    Parameters
    ----------
    y_true, y_pred : array-like
        The observed and forecast values, the same shape, finite; every absolute difference
        counts the same.

    Returns
    -------
    float
        The MAE, in the data's units; never above ``rmse``.
    """
    t, p = _pair(y_true, y_pred)
    m, u = _scaled_abs_mean(_errors(t, p))
    return m * float(np.mean(u))


def mape(y_true: object, y_pred: object) -> float:
    """Mean absolute percentage error, in percent: ``100 * mean(|y - yhat| / |y|)``.

    Scale-free, but undefined when a target is zero (and explosive near zero), so a zero in
    ``y_true`` raises ``InvalidInputError``: use ``smape`` or ``mase`` for such series.

    Parameters
    ----------
    y_true, y_pred : array-like
        The observed values (the denominators, so none may be zero) and the forecast values,
        the same shape, finite.

    Returns
    -------
    float
        The MAPE, in percent.

    Raises
    ------
    InvalidInputError
        ``y_true`` holds a zero, or the ratios overflow.
    """
    t, p = _pair(y_true, y_pred)
    zero = t == 0.0
    if zero.any():
        first = int(np.flatnonzero(zero.ravel())[0])
        raise InvalidInputError(
            f"MAPE is undefined: y_true has {int(zero.sum())} zero value(s) (first at flat index "
            f"{first}); use smape or mase for series that reach zero."
        )
    e = _errors(t, p)
    with np.errstate(over="ignore"):
        ratio = np.abs(e) / np.abs(t)
        value = 100.0 * float(np.mean(ratio))
    if not np.isfinite(value):
        raise InvalidInputError(
            "MAPE overflows float64 because some |y_true| are tiny next to the errors; use smape or mase instead."
        )
    return value


def smape(y_true: object, y_pred: object) -> float:
    """Symmetric MAPE in percent, the 0..200 definition of the M3/M4 competitions.

    ``mean(200 * |y - yhat| / (|y| + |yhat|))``, with a point where ``y == yhat == 0`` counting
    as 0 (a perfect forecast). Bounded, and defined for series that reach zero.

    Parameters
    ----------
    y_true, y_pred : array-like
        The observed and forecast values, the same shape, finite; they play symmetric roles
        (swapping them gives the same value).

    Returns
    -------
    float
        The sMAPE, in percent, between 0 and 200.
    """
    t, p = _pair(y_true, y_pred)
    # Divide each pair by its own larger magnitude: the ratio is unchanged, and neither the
    # difference nor the sum can overflow (or lose subnormal values) on the way.
    scale = np.maximum(np.abs(t), np.abs(p))
    nonzero = scale > 0.0
    ratio = np.zeros_like(t)
    ts = t[nonzero] / scale[nonzero]
    ps = p[nonzero] / scale[nonzero]
    ratio[nonzero] = np.abs(ts - ps) / (np.abs(ts) + np.abs(ps))
    return 200.0 * float(np.mean(ratio))


def seasonal_naive_scale(y_train: object, season: int = 1) -> float:
    """In-sample MAE of the seasonal naive forecast ``y[t-season]`` on ``y_train``: MASE's scale.

    When ``y_train`` is not longer than a season, the lag is 1 (the naive forecast), as the M
    competitions' short series need.

    Parameters
    ----------
    y_train : array-like
        The training series (1-D, finite).
    season : int, default 1
        The seasonal period, the naive forecast's lag.

    Returns
    -------
    float
        The scale, in the data's units, positive.

    Raises
    ------
    InvalidInputError
        ``y_train`` has fewer than two values, or the scale is 0 (the training series repeats
        exactly with that lag).
    """
    scale = _seasonal_naive_scale_or_zero(y_train, season)
    if scale == 0.0:
        raise InvalidInputError(
            f"MASE is undefined: the seasonal-naive scale of y_train is 0 (it repeats exactly "
            f"with period season={season}, or its changes are below float64 resolution); use "
            "rmse, mae or smape for this series."
        )
    return scale


def seasonal_naive_scales(series: object, season: int = 1) -> np.ndarray:
    """MASE's scale (``seasonal_naive_scale``) of each of many series, 0 where it vanishes.

    Parameters
    ----------
    series : sequence of array-like
        The training series, each 1-D, finite, at least two values.
    season : int, default 1
        The seasonal period, the naive forecast's lag (1 for a series not longer than a season).

    Returns
    -------
    numpy.ndarray
        ``(series,)`` float64, each series' scale in its own units, 0.0 where it repeats exactly.
    """
    return np.array([_seasonal_naive_scale_or_zero(y, season) for y in series], dtype=np.float64)


def _seasonal_naive_scale_or_zero(y_train: object, season: int) -> float:
    """The MASE scale after validating ``y_train`` and ``season``; 0.0 when it vanishes."""
    season = check_season(season)
    y = series_values(y_train, "y_train")
    if y.size < 2:
        raise InvalidInputError(
            f"y_train has {y.size} point(s) but MASE needs at least 2 to compute the naive scale; "
            "pass a longer training series"
        )
    lag = season if y.size > season else 1  # one definition: MASE's lag for series shorter than a season
    m, u = _scaled_abs_mean(_errors(y[:-lag], y[lag:]))
    return m * float(np.mean(u))


def mase(y_true: object, y_pred: object, *, y_train: object, season: int = 1) -> float:
    """Mean absolute scaled error (Hyndman & Koehler 2006).

    ``mae(y_true, y_pred)`` divided by the in-sample MAE of the seasonal naive forecast on
    ``y_train`` (``seasonal_naive_scale``: lag 1 when ``y_train`` is not longer than a season),
    the data before the forecast's cut-off, as the M4 competition and Nixtla's ``utilsforecast``
    scale it. Below 1 the forecast beats what seasonal naive achieved in-sample; it is
    scale-free and defined for series that reach zero.

    Parameters
    ----------
    y_true, y_pred : array-like
        The observed and forecast values whose MAE is scaled, the same shape, finite.
    y_train : array-like
        The data before the forecast's cut-off (the scale's).
    season : int, default 1
        The seasonal period, the naive forecast's lag.

    Returns
    -------
    float
        The MASE, without units: below 1 beats the seasonal naive forecast's in-sample error.

    Raises
    ------
    InvalidInputError
        The scale is 0, or the ratio overflows.
    """
    scale = seasonal_naive_scale(y_train, season)
    value = mae(y_true, y_pred) / scale
    if not np.isfinite(value):
        raise InvalidInputError(
            "MASE overflows float64 (the seasonal-naive scale is tiny next to the errors); use rmse or mae instead."
        )
    return value


METRICS: Mapping[str, Callable[..., float]] = MappingProxyType(
    {"rmse": rmse, "mae": mae, "mape": mape, "smape": smape, "mase": mase}
)
"""Every metric by name, in the order reports show them. ``mase`` also needs ``y_train=`` and
``season=`` keywords; the others take only ``(y_true, y_pred)``."""


def score(y_true: object, y_pred: object, *, y_train: object, season: int = 1) -> dict[str, float | None]:
    """All ``METRICS`` at once, as ``{name: value}`` in ``METRICS`` order.

    A metric that is undefined for these data is reported as ``None`` rather than dropped, so a
    table built from several scores keeps its columns: ``mape`` is ``None`` when ``y_true``
    contains a zero, ``mase`` is ``None`` when ``y_train`` repeats exactly with period ``season``
    (zero scale).

    Parameters
    ----------
    y_true, y_pred : array-like
        The observed and forecast values every metric compares, the same shape, finite.
    y_train : array-like
        The data before the forecast's cut-off (MASE's scale).
    season : int, default 1
        The seasonal period (MASE's lag).

    Returns
    -------
    dict of str to float or None
        Every metric's value, None where it is undefined.

    Raises
    ------
    InvalidInputError
        Invalid input (shape mismatch, NaN/inf, ``y_train`` shorter than 2).
    """
    t, p = _pair(y_true, y_pred)
    out: dict[str, float | None] = {"rmse": rmse(t, p), "mae": mae(t, p)}
    out["mape"] = None if (t == 0.0).any() else mape(t, p)
    out["smape"] = smape(t, p)
    scale = _seasonal_naive_scale_or_zero(y_train, season)
    out["mase"] = None if scale == 0.0 else mase(t, p, y_train=y_train, season=season)
    return out


def metric_value(name: str, y_true: object, y_pred: object, *, y_train: object, season: int = 1) -> float:
    """One metric by name (see ``METRICS``), with one signature for all of them.

    Parameters
    ----------
    name : {"rmse", "mae", "mape", "smape", "mase"}
        The metric.
    y_true, y_pred : array-like
        The observed and forecast values the metric compares, the same shape.
    y_train : array-like
        The data before the forecast's cut-off; read by ``mase`` only (its scale).
    season : int, default 1
        The seasonal period; read by ``mase`` only (its lag).

    Returns
    -------
    float
        What the metric called ``name`` returns for these values.
    """
    from lstmcast._checks import one_of

    one_of(name, tuple(METRICS), "metric")
    if name == "mase":
        return mase(y_true, y_pred, y_train=y_train, season=season)
    return METRICS[name](y_true, y_pred)
