"""Naive and statistical baselines, as forecasters of the same protocol as the LSTM.

An LSTM forecast means little on its own: on many classic series persistence or a seasonal
ARIMA is as good or better. Every lstmcast evaluation therefore runs these models beside the
network, under the same rules (``lstmcast.forecast.base``):

``Persistence``    ``yhat_t = y_{t-1}`` (one step); the last value repeated (``predict``).
``SeasonalNaive``  ``yhat_t = y_{t-season}``; the last season repeated. Equals persistence when
                   ``season == 1``.
``Naive2``         persistence of the seasonally adjusted series: the M competitions' benchmark,
                   against which OWA is measured.
``AutoETS``        ``statsforecast.models.AutoETS(season_length=season)``.
``AutoARIMA``      ``statsforecast.models.AutoARIMA(season_length=season)``.
``AutoCES``        ``statsforecast.models.AutoCES(season_length=season)``: complex exponential
                   smoothing, which has no trend component (a level and a complex "potential").
``AutoTheta``      ``statsforecast.models.AutoTheta(season_length=season)``, multi-step only: its
                   ``forward`` redoes the seasonal decomposition on the whole series it is given,
                   which would let test values leak into one-step predictions.

One-step predictions of the statistical models come from the model *fitted on the training data
only* and run forward over the true series with its parameters fixed, so no later value ever
influences a parameter (the same information an LSTM fed the true last ``look_back`` values has).

statsforecast is imported lazily, on the first forecast that needs it: importing it costs a few
seconds (it pulls in scipy, statsmodels and more), and ``import lstmcast.forecast`` must stay
cheap. The statsforecast model itself is estimated on first use too, and not at all when the
forecast is in lstmcast's cache: statistical forecasts are deterministic and cost seconds, so
they are kept on disk under ``baselines/`` in lstmcast's cache, keyed by the data, the season,
the request and the statsforecast version (``LSTMCAST_BASELINE_CACHE=0`` turns this off).

Failure policy: a statistical model that fails to fit raises ``BaselineFitError`` naming the
model, rather than being skipped: a comparison table with a silently missing baseline would
flatter the LSTM. Leave the model out of ``baselines=`` to proceed without it.
"""

from __future__ import annotations

import os
from types import ModuleType
from typing import ClassVar

import numpy as np

from lstmcast._checks import season as check_season
from lstmcast.errors import BaselineFitError, InvalidInputError
from lstmcast.forecast.base import LocalForecaster

__all__ = [
    "AutoARIMA",
    "AutoETS",
    "AutoTheta",
    "Naive2",
    "Persistence",
    "SeasonalNaive",
    "StatisticalForecaster",
    "default_baselines",
]

_CACHE_FORMAT = 2  # bump when the way baselines are computed changes
# One-step statistical baselines run one filter pass per test point (exact, no leak) up to this
# many test points; beyond, with a long training part, one pass over the whole series (see
# _stats_one_step), since per-point passes cost O(n^2) (hours for the daily sunspots).
_PER_POINT_LIMIT = 2000
_CONVERGED_AFTER = 2000


def default_baselines(season: int, *, one_step: bool) -> list[LocalForecaster]:
    """The baselines every lstmcast evaluation shows unless told otherwise.

    Parameters
    ----------
    season : int
        The seasonal period of the data.
    one_step : bool
        For one-step walk-forward forecasts: persistence, seasonal naive, AutoETS and AutoARIMA
        (AutoTheta cannot make one-step forecasts without a leak). For multi-step forecasts: the
        M competitions' set, Naive2 (OWA's reference), seasonal naive, AutoETS and AutoTheta;
        add ``AutoARIMA`` yourself (CLI: ``--arima``), which costs minutes on large panels.

    Returns
    -------
    list of LocalForecaster
    """
    if one_step:
        return [Persistence(), SeasonalNaive(season=season), AutoETS(season=season), AutoARIMA(season=season)]
    return [Naive2(season=season), SeasonalNaive(season=season), AutoETS(season=season), AutoTheta(season=season)]


class Persistence(LocalForecaster):
    """The naive forecast: the last observed value.

    Parameters
    ----------
    alias : str, default "persistence"
        The forecast's column name.
    """

    alias: str = "persistence"

    def _fit(self, values: np.ndarray) -> None:
        pass

    def _forecast(self, horizon: int) -> np.ndarray:
        return np.full((1, horizon), self.y_[-1])

    def _one_step(self, new: np.ndarray, include_history: bool) -> np.ndarray:
        return _lagged(self.y_, new, 1, include_history)


class _SeasonalBaseline(LocalForecaster):
    """The base of the baselines with a seasonal period: ``season`` declared and checked once.

    Parameters
    ----------
    season : int, default 1
        The seasonal period (1: none).
    """

    season: int = 1

    def _fit_season(self) -> int:
        """``season``, checked, kept as ``season_`` for the forecasts."""
        self.season_ = check_season(self.season)
        return self.season_


class SeasonalNaive(_SeasonalBaseline):
    """The value one season earlier (``season`` steps back).

    Parameters
    ----------
    season : int, default 1
        The seasonal period (1: persistence).
    alias : str, default "seasonal_naive"
        The forecast's column name.
    """

    alias: str = "seasonal_naive"

    def _fit(self, values: np.ndarray) -> None:
        season = self._fit_season()
        if len(values) < season:
            raise InvalidInputError(
                f"SeasonalNaive with season={season} needs at least {season} training values, got {len(values)}; "
                "use a longer history, or leave SeasonalNaive out of the baselines"
            )

    def _forecast(self, horizon: int) -> np.ndarray:
        season = self.season_
        return self.y_[len(self.y_) - season :][np.arange(horizon) % season][None, :]

    def _one_step(self, new: np.ndarray, include_history: bool) -> np.ndarray:
        return _lagged(self.y_, new, self.season_, include_history)


class Naive2(_SeasonalBaseline):
    """The M competitions' benchmark behind OWA: persistence of the seasonally adjusted series.

    Seasonal when the 90% autocorrelation test says so (``lstmcast.transforms.is_seasonal``, at
    least three seasons of data): the series is divided by its classical multiplicative seasonal
    factors, the last adjusted value is carried forward and the factors put back; otherwise it is
    persistence. Factors come from the training values only. Needs positive values when seasonal.

    Parameters
    ----------
    season : int, default 1
        The seasonal period tested for.
    alias : str, default "naive2"
        The forecast's column name.
    """

    alias: str = "naive2"

    def _fit(self, values: np.ndarray) -> None:
        from lstmcast.transforms.seasonality import is_seasonal, seasonal_factors

        season = self._fit_season()
        seasonal = is_seasonal(values, season)
        if seasonal and np.any(values <= 0):
            raise InvalidInputError(
                "Naive2's multiplicative seasonal adjustment needs positive values; use season=1 or SeasonalNaive"
            )
        self.factors_ = seasonal_factors(values, season) if seasonal else np.ones(1)

    def _factor(self, positions: np.ndarray) -> np.ndarray:
        return self.factors_[positions % len(self.factors_)]

    def _forecast(self, horizon: int) -> np.ndarray:
        n = len(self.y_)
        level = self.y_[-1] / self._factor(np.array([n - 1]))[0]
        return (level * self._factor(np.arange(n, n + horizon)))[None, :]

    def _one_step(self, new: np.ndarray, include_history: bool) -> np.ndarray:
        y_all = np.concatenate([self.y_, new])
        positions = np.arange(len(y_all))
        predictions = np.full(len(y_all), np.nan)
        predictions[1:] = y_all[:-1] / self._factor(positions[:-1]) * self._factor(positions[1:])
        return (predictions if include_history else predictions[len(self.y_) :])[None, :]


def _lagged(y_train: np.ndarray, new: np.ndarray, lag: int, include_history: bool) -> np.ndarray:
    """One-step forecasts ``y[t - lag]`` of the new points (and of the training points, NaN for
    the first ``lag``), as ``(1, points)``."""
    y_all = np.concatenate([y_train, new])
    predictions = np.full(len(y_all), np.nan)
    predictions[lag:] = y_all[:-lag]
    return (predictions if include_history else predictions[len(y_train) :])[None, :]


class StatisticalForecaster(_SeasonalBaseline):
    """The base of the statistical baselines: a statsforecast model behind the forecaster protocol
    (see the module docstring). Their fits need no network, so a job that trains networks here can
    compute them in a side process meanwhile (``lstmcast.parallel``).

    Parameters
    ----------
    season : int, default 1
        The seasonal period (statsforecast's ``season_length``).
    alias : str
        The forecast's column name (the model's name in snake case by default).
    """

    engine: ClassVar[str]  # the statsforecast class
    one_step_leaks: ClassVar[bool] = False

    def _fit(self, values: np.ndarray) -> None:
        season = self._fit_season()
        if season > 1 and len(values) < 2 * season:
            raise InvalidInputError(
                f"{self.engine} with season={season} needs at least two full seasons ({2 * season} values) to "
                f"estimate the seasonality, but the training data has {len(values)} (statsforecast would silently "
                f"fit a non-seasonal model); use a longer training part, season=1, or leave {self.engine} out "
                "of the baselines"
            )
        self._model = None  # estimated on first use, from these values

    @property
    def fitted_model_(self):
        """The statsforecast model fitted on the training data (estimated now if not yet)."""
        self._check_fitted("y_")
        if self._model is None:
            self._model = _estimate(self.engine, self.y_, self.season_)
        return self._model

    def _forecast(self, horizon: int) -> np.ndarray:
        return _cached("multi_step", self.engine, self.season_, (self.y_, horizon), lambda: self._multi_step(horizon))[
            None, :
        ]

    def _one_step(self, new: np.ndarray, include_history: bool) -> np.ndarray:
        if self.one_step_leaks:
            raise InvalidInputError(
                f"{self.engine} makes multi-step forecasts only: statsforecast's Theta re-decomposes the seasonality "
                "over the whole series it is applied to, which would leak test values into one-step predictions; "
                "use it in backtest(), or leave it out of walk_forward's models"
            )
        predictions = (
            _cached("one_step", self.engine, self.season_, (self.y_, new), lambda: self._one_step_new(new))
            if len(new)
            else np.empty(0)
        )
        if include_history:
            fitted = _cached("in_sample", self.engine, self.season_, (self.y_,), self._in_sample)
            predictions = np.concatenate([fitted, predictions])
        return predictions[None, :]

    def _multi_step(self, horizon: int) -> np.ndarray:
        model = self.fitted_model_
        try:
            mean = np.array(model.predict(h=horizon)["mean"], dtype=np.float64)
        except Exception as exc:
            raise BaselineFitError(
                f"{self.engine} was fitted on the training data but failed to forecast {horizon} steps: "
                f"{type(exc).__name__}: {exc}. Leave it out of the baselines."
            ) from exc
        if mean.shape != (horizon,) or not np.isfinite(mean).all():
            raise BaselineFitError(
                f"{self.engine} ({_describe(model)}) returned a forecast that is not {horizon} finite values; "
                "leave it out of the baselines."
            )
        return mean

    def _in_sample(self) -> np.ndarray:
        """One-step forecasts of the training values from the model fitted on them, each from the
        values before it (NaN where statsforecast cannot forecast from so few).

        Not statsforecast's in-sample "fitted" values: for ARIMA those contain a fraction of the
        value they predict while the Kalman filter has not converged (see ``_one_step_new``).
        Per point for the first ``_CONVERGED_AFTER`` values; beyond, one filter pass, whose
        values equal the per-point forecasts by then (checked where the two meet).
        """
        model, y = self.fitted_model_, self.y_
        n_exact = min(len(y), _CONVERGED_AFTER)
        fitted = np.full(len(y), np.nan)
        for t in range(1, n_exact):
            try:
                fitted[t] = model.forward(y=y[:t], h=1)["mean"][0]
            except Exception:  # too few values for this model's orders or season: no forecast
                continue
        if len(y) > n_exact:
            passed = np.asarray(model.forward(y=y, h=1, fitted=True)["fitted"], dtype=np.float64)
            if not np.isclose(passed[n_exact - 1], fitted[n_exact - 1], rtol=1e-6, atol=1e-9):
                raise BaselineFitError(
                    f"{self.engine}: the filter has not converged after {n_exact} values, so its in-sample values are "
                    "not one-step forecasts; leave it out of in-sample evaluations"
                )
            fitted[n_exact:] = passed[n_exact:]
        fitted[~np.isfinite(fitted)] = np.nan
        return fitted

    def _one_step_new(self, new: np.ndarray) -> np.ndarray:
        """One-step predictions for ``new`` from the model fitted on the training data only.

        The prediction for each new time ``t`` is ``model.forward(y=y[:t], h=1)["mean"]``: the
        fitted model run over the true history before ``t`` with its parameters fixed, then
        forecast one step. statsforecast's ``forward`` does not re-estimate: for AutoETS it runs
        the ETS filter with the fitted smoothing parameters *and* initial states
        (``ets_f(model=<fitted dict>)``), for AutoARIMA the Kalman filter with the fitted orders
        and coefficients (``Arima(model=<fitted dict>)`` passes them as ``fixed=``, so nothing is
        optimised; a drift regressor is extended to the new length).

        Why not one call, ``forward(y=y, h=1, fitted=True)["fitted"][n_train:]``? For AutoARIMA
        those in-sample values are ``y - residuals`` with residuals *standardised* by the Kalman
        gain (as in R's ``arima``), so while the filter has not converged (any MA term) each
        "fitted" value contains a fraction of the very value it predicts: a small leak that
        flatters the baseline. One forecast per point never sees ``y[t:]``, so it cannot leak; the
        cost, one filter pass per point, is below the cost of the fit itself for series of a few
        thousand points. (For AutoETS the in-sample values are exact one-step predictions, except
        at zeros under multiplicative errors, where statsforecast returns 0; the per-point rule
        avoids that too.) Past ``_PER_POINT_LIMIT`` new points after a training part of at least
        ``_CONVERGED_AFTER`` values, one pass over the whole series is used instead: its values
        equal the per-point forecasts once the filter has converged, which is checked at the last
        point.

        The first prediction is checked against ``predict(h=1)`` of the training fit, which guards
        against a statsforecast version whose ``forward`` does not continue the fitted model.
        """
        model = self.fitted_model_
        n_train = len(self.y_)
        y = np.concatenate([self.y_, new])
        pred = np.empty(len(new), dtype=np.float64)
        try:
            if len(new) > _PER_POINT_LIMIT and n_train >= _CONVERGED_AFTER:
                pred[:] = np.asarray(model.forward(y=y, h=1, fitted=True)["fitted"], dtype=np.float64)[n_train:]
                last = float(model.forward(y=y[:-1], h=1)["mean"][0])
                if not np.isclose(pred[-1], last, rtol=1e-6, atol=1e-9):
                    raise BaselineFitError(
                        f"{self.engine}: the filter's in-sample values differ from one-step forecasts "
                        f"({pred[-1]!r} vs {last!r})"
                    )
            else:
                for i, t in enumerate(range(n_train, len(y))):
                    pred[i] = model.forward(y=y[:t], h=1)["mean"][0]
            first = float(model.predict(h=1)["mean"][0])
        except BaselineFitError:
            raise
        except Exception as exc:
            raise BaselineFitError(
                f"{self.engine} ({_describe(model)}) was fitted on the training data but could not be run over the "
                f"new values: {type(exc).__name__}: {exc}. Leave it out of the baselines."
            ) from exc
        if not np.isclose(pred[0], first, rtol=1e-7, atol=0.0):
            raise BaselineFitError(
                f"{self.engine}: statsforecast's forward() gives {pred[0]!r} for the first new point but the "
                f"training fit forecasts {first!r}; this statsforecast version does not continue a fitted model "
                "with fixed parameters, so the one-step baseline would not be honest. Upgrade statsforecast or "
                "leave it out of the baselines."
            )
        if not np.isfinite(pred).all():
            raise BaselineFitError(
                f"{self.engine} produced NaN/inf one-step predictions over the new values (the model chosen on the "
                f"training data, {_describe(model)}, does not suit them, e.g. a multiplicative model meeting values "
                "<= 0); leave it out of the baselines."
            )
        return pred


class AutoETS(StatisticalForecaster):
    """statsforecast's AutoETS (exponential smoothing, the model chosen by AICc); see ``StatisticalForecaster``."""

    engine = "AutoETS"
    alias: str = "auto_ets"


class AutoARIMA(StatisticalForecaster):
    """statsforecast's AutoARIMA (Hyndman-Khandakar order search); see ``StatisticalForecaster``."""

    engine = "AutoARIMA"
    alias: str = "auto_arima"


class AutoCES(StatisticalForecaster):
    """statsforecast's AutoCES (complex exponential smoothing, Svetunkov et al.; the model chosen
    by AICc); see ``StatisticalForecaster``."""

    engine = "AutoCES"
    alias: str = "auto_ces"


class AutoTheta(StatisticalForecaster):
    """statsforecast's AutoTheta; multi-step forecasts only (see the module docstring and ``StatisticalForecaster``)."""

    engine = "AutoTheta"
    one_step_leaks = True
    alias: str = "auto_theta"


# --------------------------------------------------------------------------- statsforecast


def _statsforecast_models() -> ModuleType:
    """Import ``statsforecast.models`` on first use, with numba's on-disk cache enabled.

    statsforecast 1.x compiles its models with numba and reads ``NIXTLA_NUMBA_CACHE`` once, when
    it is first imported: the variable is set for that import only (unless the user chose a
    value) and the environment put back as it was. statsforecast 2.x ships compiled code and
    ignores it.
    """
    chosen = os.environ.get("NIXTLA_NUMBA_CACHE")
    os.environ.setdefault("NIXTLA_NUMBA_CACHE", "1")
    try:
        import statsforecast.models as sfm
    except ImportError as exc:  # pragma: no cover - statsforecast is a hard dependency
        raise BaselineFitError(
            f"the statistical baselines need statsforecast, which cannot be imported ({exc}); install it "
            "(pip install statsforecast) or use only Persistence and SeasonalNaive."
        ) from exc
    finally:
        if chosen is None:
            os.environ.pop("NIXTLA_NUMBA_CACHE", None)
    return sfm


def _estimate(engine: str, y_train: np.ndarray, season: int):
    """A statsforecast model fitted on ``y_train``; any failure becomes ``BaselineFitError``."""
    model = getattr(_statsforecast_models(), engine)(season_length=season)
    try:
        return model.fit(y_train)
    except Exception as exc:  # statsforecast raises Exception, ValueError, NotImplementedError...
        raise BaselineFitError(
            f"{engine} (season_length={season}) failed to fit on the training data ({y_train.size} values): "
            f"{type(exc).__name__}: {exc}. Use a longer or less degenerate training series, or leave {engine} "
            "out of the baselines."
        ) from exc


def _describe(model) -> str:
    fitted = getattr(model, "model_", {})
    if "components" in fitted:  # error, trend, season, damped: e.g. "MADN" -> ETS(M,Ad,N)
        error, trend, season, damped = fitted["components"][:4]
        return f"ETS({error},{trend}{'d' if damped == 'D' else ''},{season})"
    if "arma" in fitted:
        p, q, sp, sq, m, d, sd = fitted["arma"]
        return f"ARIMA({p},{d},{q})({sp},{sd},{sq})[{m}]"
    return type(model).__name__


def _cached(kind: str, engine: str, season: int, data: tuple, compute) -> np.ndarray:
    """``compute()``, or its result saved in lstmcast's cache for the same request."""
    from importlib.metadata import PackageNotFoundError, version

    from lstmcast._cache import array_key, memoize_array

    try:
        backend = version("statsforecast")
    except PackageNotFoundError:
        backend = "none"
    key = array_key(kind, engine, season, *data, backend, _CACHE_FORMAT)
    return memoize_array("baselines", key, compute, variable="LSTMCAST_BASELINE_CACHE")
