"""Naive and statistical baselines, computed on exactly the points the LSTM is scored on.

An LSTM forecast means little on its own: on many classic series persistence or a seasonal
ARIMA is as good or better. Every lstmcast evaluation therefore shows these baselines beside
the network, computed under the same rules:

- ``one_step_baselines`` — walk-forward, one step ahead: the prediction for time ``t`` may use
  the true values before ``t`` (as the LSTM does when it is fed the true last ``look_back``
  values). Statistical models are *fitted on the training part only* and then run forward over
  the true series with their parameters fixed, so no test value ever influences a parameter.
- ``multi_step_baselines`` — ``horizon`` points after the end of ``y_train``, no new data.

Models (names as passed in ``models=``):

``persistence``     ``yhat_t = y_{t-1}`` (one-step), the last value repeated (multi-step).
``seasonal_naive``  ``yhat_t = y_{t-season}`` (one-step), the last season repeated (multi-step);
                    identical to persistence when ``season == 1``.
``auto_ets``        ``statsforecast.models.AutoETS(season_length=season)``.
``auto_arima``      ``statsforecast.models.AutoARIMA(season_length=season)``.
``auto_theta``      ``statsforecast.models.AutoTheta(season_length=season)``, multi-step only
                    (its ``forward`` redoes the seasonal decomposition on the whole series it is
                    given, which would let test values leak into one-step predictions).

statsforecast is imported lazily, on the first call that needs it: importing it costs a few
seconds (it pulls in pandas, scipy, statsmodels, dask), and ``import lstmcast.evaluate`` must
stay cheap. Before that import ``NIXTLA_NUMBA_CACHE=1`` is set unless the user already set it:
statsforecast 1.x compiles its models with numba on first use, and with that variable numba
keeps the compiled code on disk (in ``__pycache__`` next to statsforecast's sources, or under
``NUMBA_CACHE_DIR``), so later processes skip the compilation. statsforecast 2.x ships compiled
C++ instead of numba code and ignores the variable.

Failure policy: a statistical model that fails to fit raises ``BaselineFitError`` naming the
model, rather than being skipped: a comparison table with a silently missing baseline would
flatter the LSTM. Drop the model with ``models=`` to proceed without it.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable
from types import ModuleType

import numpy as np

from lstmcast.errors import InvalidInputError, LstmcastError
from lstmcast.evaluate.metrics import check_season as _check_season

__all__ = [
    "BaselineFitError",
    "DEFAULT_MODELS",
    "MULTI_STEP_MODELS",
    "ONE_STEP_MODELS",
    "multi_step_baselines",
    "one_step_baselines",
]

_CACHE_FORMAT = 1  # bump when the way baselines are computed changes
# One-step statistical baselines run one filter pass per test point (exact, no leak) up to this
# many test points; beyond, with a long training part, one pass over the whole series (see
# _stats_one_step), since per-point passes cost O(n^2) (hours for the daily sunspots).
_PER_POINT_LIMIT = 2000
_CONVERGED_AFTER = 2000

ONE_STEP_MODELS: tuple[str, ...] = ("persistence", "seasonal_naive", "auto_ets", "auto_arima")
"""Every model ``one_step_baselines`` accepts."""

MULTI_STEP_MODELS: tuple[str, ...] = ONE_STEP_MODELS + ("auto_theta",)
"""Every model ``multi_step_baselines`` accepts."""

DEFAULT_MODELS: tuple[str, ...] = ("persistence", "seasonal_naive", "auto_ets", "auto_arima")
"""The baselines every lstmcast evaluation shows unless told otherwise."""

_STATSFORECAST_CLASS = {"auto_ets": "AutoETS", "auto_arima": "AutoARIMA", "auto_theta": "AutoTheta"}


class BaselineFitError(LstmcastError, RuntimeError):
    """A statistical baseline (AutoETS, AutoARIMA, AutoTheta) could not be fitted or applied."""


# --------------------------------------------------------------------------- validation


def _series(values: object, name: str, *, min_len: int) -> np.ndarray:
    """``values`` as a 1-D finite float64 array of at least ``min_len`` points."""
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"{name} is not a numeric array ({exc}); pass a 1-D numpy array of floats."
        ) from exc
    if arr.dtype.kind not in "biuf":
        raise InvalidInputError(f"{name} has dtype {arr.dtype}; pass a 1-D numpy array of floats.")
    if arr.ndim != 1:
        raise InvalidInputError(
            f"{name} must be 1-D (one series), got shape {arr.shape}; pass one column, "
            "e.g. y[:, 0] or y.ravel() for a single-column array."
        )
    arr = arr.astype(np.float64)  # a copy: nothing below can alter the caller's array
    bad = ~np.isfinite(arr)
    if bad.any():
        raise InvalidInputError(
            f"{name} contains {int(bad.sum())} NaN/inf value(s) (first at index "
            f"{int(np.flatnonzero(bad)[0])}); fill or interpolate them before computing baselines."
        )
    if arr.size < min_len:
        raise InvalidInputError(f"{name} has {arr.size} point(s); at least {min_len} are needed.")
    return arr


def _positive_int(value: object, name: str, hint: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise InvalidInputError(f"{name} must be a positive integer, got {value!r}; {hint}")
    return int(value)


def _check_models(models: object, allowed: tuple[str, ...], func: str) -> tuple[str, ...]:
    if isinstance(models, str):
        models = (models,)
    if not isinstance(models, Iterable):
        raise InvalidInputError(
            f"models must be a sequence of names from {allowed}, got {models!r}."
        )
    names = tuple(models)
    if not names:
        raise InvalidInputError(f"models is empty; pass at least one of {allowed}.")
    for name in names:
        if name not in allowed:
            extra = ""
            if name == "auto_theta":
                extra = (
                    " auto_theta is offered for multi-step forecasts only: statsforecast's Theta "
                    "re-decomposes the seasonality over the whole series it is applied to, which "
                    "would leak test values into one-step predictions."
                )
            raise InvalidInputError(
                f"unknown model {name!r} for {func}; choose from {allowed}.{extra}"
            )
    if len(set(names)) != len(names):
        raise InvalidInputError(f"models lists a name twice: {names}; list each model once.")
    return names


def _check_seasonal_history(n_train: int, season: int, names: tuple[str, ...], where: str) -> None:
    """Refuse histories too short for the season instead of degrading silently.

    Seasonal naive needs one full season. statsforecast's automatic models, given fewer than two
    seasons, quietly fall back to a non-seasonal model, which would make a weaker baseline than
    the one the user asked for.
    """
    if "seasonal_naive" in names and n_train < season:
        raise InvalidInputError(
            f"seasonal_naive with season={season} needs at least {season} point(s) before the "
            f"forecast, but {where} has {n_train}; use a longer history or drop 'seasonal_naive' "
            "from models."
        )
    stats = [n for n in names if n in _STATSFORECAST_CLASS]
    if season > 1 and stats and n_train < 2 * season:
        raise InvalidInputError(
            f"{', '.join(stats)} with season={season} need at least two full seasons "
            f"({2 * season} points) to estimate the seasonality, but {where} has {n_train} "
            "(statsforecast would silently fit a non-seasonal model); use a longer training "
            "part, pass season=1, or drop them from models."
        )


# --------------------------------------------------------------------------- statsforecast


def _statsforecast_models() -> ModuleType:
    """Import ``statsforecast.models`` on first use, with numba's on-disk cache enabled.

    ``NIXTLA_NUMBA_CACHE`` is read once, when statsforecast (1.x) is first imported, so it is set
    here, before the import, and only if the user has not chosen a value.
    """
    os.environ.setdefault("NIXTLA_NUMBA_CACHE", "1")
    try:
        import statsforecast.models as sfm
    except ImportError as exc:  # pragma: no cover - statsforecast is a hard dependency
        raise BaselineFitError(
            f"the statistical baselines need statsforecast, which cannot be imported ({exc}); "
            "install it (pip install statsforecast) or pass "
            "models=('persistence', 'seasonal_naive')."
        ) from exc
    return sfm


def _fit(name: str, y_train: np.ndarray, season: int, where: str):
    """A statsforecast model fitted on ``y_train``; any failure becomes ``BaselineFitError``."""
    cls_name = _STATSFORECAST_CLASS[name]
    model = getattr(_statsforecast_models(), cls_name)(season_length=season)
    try:
        return model.fit(y_train)
    except Exception as exc:  # statsforecast raises Exception, ValueError, NotImplementedError...
        raise BaselineFitError(
            f"{name} ({cls_name}, season_length={season}) failed to fit on {where} "
            f"({y_train.size} points): {type(exc).__name__}: {exc}. Use a longer or less "
            f"degenerate training series, or drop {name!r} from models."
        ) from exc


def _stats_one_step(name: str, y: np.ndarray, test_start: int, season: int) -> np.ndarray:
    """One-step predictions for ``y[test_start:]`` from a model fitted on ``y[:test_start]`` only.

    The prediction for each test time ``t`` is ``model.forward(y=y[:t], h=1)["mean"]``: the model
    fitted on the training part, run over the true history before ``t`` with its parameters
    fixed, then forecast one step. statsforecast's ``forward`` does not re-estimate: for AutoETS
    it runs the ETS filter with the fitted smoothing parameters *and* initial states
    (``ets_f(model=<fitted dict>)``), for AutoARIMA it runs the Kalman filter with the fitted
    orders and coefficients (``Arima(model=<fitted dict>)`` passes them as ``fixed=``, so nothing
    is optimised; a drift regressor is extended to the new length).

    Why not one call, ``forward(y=y, h=1, fitted=True)["fitted"][test_start:]``? For AutoARIMA
    those in-sample values are ``y - residuals`` with residuals *standardised* by the Kalman gain
    (as in R's ``arima``), so while the filter has not converged (any MA term) each "fitted"
    value contains a fraction of the very value it predicts — a small leak that flatters the
    baseline. One forecast per point never sees ``y[t:]``, so it cannot leak; the cost, one
    filter pass per test point, is below the cost of the fit itself for series of a few thousand
    points. (For AutoETS the in-sample values are exact one-step predictions, except at zeros
    under multiplicative errors, where statsforecast returns 0; the per-point rule avoids that
    too.)

    The first prediction is checked against ``predict(h=1)`` of the training fit, which guards
    against a statsforecast version whose ``forward`` does not continue the fitted model.
    """
    where = f"the training part y[:{test_start}]"
    model = _fit(name, y[:test_start], season, where)
    pred = np.empty(y.size - test_start, dtype=np.float64)
    long_series = y.size - test_start > _PER_POINT_LIMIT and test_start >= _CONVERGED_AFTER
    try:
        if long_series:
            # One filter pass over the whole series. Its in-sample values equal the per-point
            # forecasts once the Kalman filter has converged (thousands of steps before the test
            # part); the first and last test points are checked against per-point forecasts below.
            pred[:] = np.asarray(model.forward(y=y, h=1, fitted=True)["fitted"], dtype=np.float64)[test_start:]
            last = float(model.forward(y=y[:-1], h=1)["mean"][0])
            if not np.isclose(pred[-1], last, rtol=1e-6, atol=1e-9):
                raise BaselineFitError(f"{name}: the filter's in-sample values differ from one-step forecasts ({pred[-1]!r} vs {last!r})")
        else:
            for i, t in enumerate(range(test_start, y.size)):
                pred[i] = model.forward(y=y[:t], h=1)["mean"][0]
        first = float(model.predict(h=1)["mean"][0])
    except Exception as exc:
        raise BaselineFitError(
            f"{name} ({_describe(model)}) was fitted on {where} but could not be run over the "
            f"test part: {type(exc).__name__}: {exc}. Drop {name!r} from models."
        ) from exc
    if not np.isclose(pred[0], first, rtol=1e-7, atol=0.0):
        raise BaselineFitError(
            f"{name}: statsforecast's forward() gives {pred[0]!r} for the first test point but the "
            f"training fit forecasts {first!r}; this statsforecast version does not continue a "
            "fitted model with fixed parameters, so the one-step baseline would not be honest. "
            f"Upgrade statsforecast or drop {name!r} from models."
        )
    if not np.isfinite(pred).all():
        raise BaselineFitError(
            f"{name} produced NaN/inf one-step predictions over the test part (the model chosen "
            f"on the training part, {_describe(model)}, does not suit the test values, e.g. a "
            f"multiplicative model meeting values <= 0); drop {name!r} from models."
        )
    return pred


def _describe(model) -> str:
    fitted = getattr(model, "model_", {})
    if "components" in fitted:  # error, trend, season, damped: e.g. "MADN" -> ETS(M,Ad,N)
        error, trend, season, damped = fitted["components"][:4]
        return f"ETS({error},{trend}{'d' if damped == 'D' else ''},{season})"
    if "arma" in fitted:
        p, q, sp, sq, m, d, sd = fitted["arma"]
        return f"ARIMA({p},{d},{q})({sp},{sd},{sq})[{m}]"
    return type(model).__name__


# --------------------------------------------------------------------------- public API


def one_step_baselines(
    y: object,
    test_start: int,
    *,
    season: int,
    models: Iterable[str] = DEFAULT_MODELS,
) -> dict[str, np.ndarray]:
    """Walk-forward one-step-ahead baseline predictions for the test part ``y[test_start:]``.

    The prediction for each test time ``t`` uses the true values ``y[:t]`` and nothing after;
    statistical models are fitted on ``y[:test_start]`` only and then run over the series with
    their parameters fixed (no re-estimation as the test part is revealed), which is the same
    information an LSTM fed the true last ``look_back`` values has.

    Args:
        y: the whole series, 1-D, finite.
        test_start: index of the first test point, ``1 <= test_start < len(y)``.
        season: season length (1 if none); seasonal naive and the seasonal parts of AutoETS /
            AutoARIMA use it.
        models: names from ``ONE_STEP_MODELS``; the result keeps this order.

    Returns:
        ``{name: predictions}``, each of length ``len(y) - test_start`` and aligned with
        ``y[test_start:]``. To compare with a model whose first target is ``test_start + k``
        (e.g. the Keras tutorial's windowing, which skips the first test point), slice
        ``[k:]`` so every method is scored on the same points.

    Raises:
        InvalidInputError: bad ``y``, ``test_start``, ``season`` or ``models``, or a training
            part too short for the season.
        BaselineFitError: a statsforecast model failed to fit or to run over the test part.

    Example:
        >>> import numpy as np
        >>> y = np.array([1.0, 2.0, 3.0, 2.0, 1.0, 2.0, 3.0, 2.0])
        >>> p = one_step_baselines(y, 6, season=4, models=("persistence", "seasonal_naive"))
        >>> p["persistence"].tolist(), p["seasonal_naive"].tolist()
        ([2.0, 3.0], [3.0, 2.0])
    """
    names = _check_models(models, ONE_STEP_MODELS, "one_step_baselines")
    season = _check_season(season)
    arr = _series(y, "y", min_len=2)
    n = arr.size
    if (
        isinstance(test_start, bool)
        or not isinstance(test_start, numbers.Integral)
        or not 1 <= test_start < n
    ):
        raise InvalidInputError(
            f"test_start must be an integer with 1 <= test_start < len(y) = {n} (at least one "
            f"training and one test point), got {test_start!r}; "
            "e.g. test_start = int(0.67 * len(y))."
        )
    test_start = int(test_start)
    _check_seasonal_history(test_start, season, names, f"the training part y[:{test_start}]")

    out: dict[str, np.ndarray] = {}
    for name in names:
        if name == "persistence":
            out[name] = arr[test_start - 1 : n - 1].copy()
        elif name == "seasonal_naive":
            out[name] = arr[test_start - season : n - season].copy()
        else:
            out[name] = _cached(
                "one_step", name, arr, season, test_start, lambda name=name: _stats_one_step(name, arr, test_start, season)
            )
    return out


def multi_step_baselines(
    y_train: object,
    horizon: int,
    *,
    season: int,
    models: Iterable[str] = DEFAULT_MODELS,
) -> dict[str, np.ndarray]:
    """Baseline forecasts of the ``horizon`` points after the end of ``y_train``.

    No value after ``y_train`` is used: this is the comparison for an LSTM that forecasts
    several steps at once or feeds its own predictions back (recursive strategy).

    Args:
        y_train: the history, 1-D, finite.
        horizon: number of points to forecast, ``>= 1``.
        season: season length (1 if none).
        models: names from ``MULTI_STEP_MODELS`` (``auto_theta`` is available here only).

    Returns:
        ``{name: forecast}``, each of length ``horizon``, in the order of ``models``.

    Raises:
        InvalidInputError: bad ``y_train``, ``horizon``, ``season`` or ``models``, or a history
            too short for the season.
        BaselineFitError: a statsforecast model failed to fit or forecast.

    Example:
        >>> import numpy as np
        >>> y = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
        >>> f = multi_step_baselines(y, 3, season=2, models=("persistence", "seasonal_naive"))
        >>> f["persistence"].tolist(), f["seasonal_naive"].tolist()
        ([6.0, 6.0, 6.0], [5.0, 6.0, 5.0])
    """
    names = _check_models(models, MULTI_STEP_MODELS, "multi_step_baselines")
    season = _check_season(season)
    hint = "it is the number of points to forecast after y_train."
    horizon = _positive_int(horizon, "horizon", hint)
    arr = _series(y_train, "y_train", min_len=1)
    _check_seasonal_history(arr.size, season, names, "y_train")

    out: dict[str, np.ndarray] = {}
    for name in names:
        if name == "persistence":
            out[name] = np.full(horizon, arr[-1])
        elif name == "seasonal_naive":
            out[name] = arr[arr.size - season :][np.arange(horizon) % season]
        else:
            out[name] = _cached("multi_step", name, arr, season, horizon, lambda: _stats_multi_step(name, arr, season, horizon))
    return out


def _stats_multi_step(name: str, arr: np.ndarray, season: int, horizon: int) -> np.ndarray:
    model = _fit(name, arr, season, "y_train")
    try:
        mean = np.array(model.predict(h=horizon)["mean"], dtype=np.float64)
    except Exception as exc:
        raise BaselineFitError(
            f"{name} was fitted on y_train but failed to forecast {horizon} steps: "
            f"{type(exc).__name__}: {exc}. Drop {name!r} from models."
        ) from exc
    if mean.shape != (horizon,) or not np.isfinite(mean).all():
        raise BaselineFitError(
            f"{name} ({_describe(model)}) returned a forecast that is not {horizon} finite "
            f"values; drop {name!r} from models."
        )
    return mean


def _cached(kind: str, name: str, y: np.ndarray, season: int, position: int, compute) -> np.ndarray:
    """Statistical baselines are deterministic and cost seconds (statsforecast's import alone):
    their forecasts are kept on disk under ``baselines/`` in lstmcast's cache, keyed by the data,
    the split, the season and the statsforecast version. ``LSTMCAST_BASELINE_CACHE=0`` turns the
    cache off."""
    from importlib.metadata import PackageNotFoundError, version

    from lstmcast._cache import array_key, memoize_array

    try:
        backend = version("statsforecast")
    except PackageNotFoundError:
        backend = "none"
    key = array_key(kind, name, y, season, position, backend, _CACHE_FORMAT)
    return memoize_array("baselines", key, compute, variable="LSTMCAST_BASELINE_CACHE")
