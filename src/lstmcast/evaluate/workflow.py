"""Evaluate forecasters the way forecasters do: every model on exactly the same points.

``walk_forward``: fit on the training part, then predict each test point one step ahead from the
true values before it (what the Keras tutorials report). ``backtest``: multi-step forecasts from
several rolling cut-offs, refitting each model (and its transforms) on the data before each
cut-off only. Both take one forecaster or a list (anything that follows the protocol of
``lstmcast.forecast.base``), add the default baselines unless told otherwise, and treat every
model alike. They return an ``Evaluation``: a long frame of forecasts shaped like Nixtla's
cross-validation output (``unique_id, ds, cutoff, y`` and one column per model's alias), each
model's members, metrics in original units, seconds, and a sentence saying what was measured.

Nothing runs in another process unless an ``executor`` is given (any
``concurrent.futures.Executor``, or a Dask client's ``get_executor()``): then each model's fit
(and each cut-off's) is one task, submitted before any result is awaited.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lstmcast._checks import count_or_fraction, positive_int, series_values
from lstmcast._checks import season as check_season
from lstmcast._tasks import run_tasks
from lstmcast.data import validate_series
from lstmcast.errors import InvalidInputError
from lstmcast.evaluate.metrics import METRICS, score
from lstmcast.forecast.base import Forecaster, check_alias, clone, members_of
from lstmcast.forecast.baselines import default_baselines

TABLE_METRICS = ("rmse", "mae", "smape", "mase")
"""The metrics ``Evaluation.table`` shows, beside each model's seconds."""


@dataclass
class Evaluation:
    """What an evaluation measured.

    ``forecasts`` has one row per scored point: ``unique_id, ds, cutoff`` (the last time the
    forecast could use), ``y`` and one column per model alias. ``members[alias]`` holds each
    member's forecasts for the same rows, ``(members, rows)``; ``positions`` the rows' positions
    in the series. ``metrics[alias]`` are computed on those rows (MASE scaled by the seasonal naive
    error on the training part). Walk-forward with ``in_sample=True`` adds the same for the
    training part: ``in_sample`` (a frame without ``cutoff``, NaN where a model has no forecast),
    ``in_sample_members`` and ``train_metrics``.
    """

    kind: str
    forecasts: pd.DataFrame
    members: dict[str, np.ndarray]
    positions: np.ndarray
    metrics: dict[str, dict[str, float | None]]
    seconds: dict[str, float]
    fitted_models: dict[str, list[Forecaster]]
    in_sample: pd.DataFrame | None = None
    in_sample_members: dict[str, np.ndarray] = field(default_factory=dict)
    train_metrics: dict[str, dict[str, float | None]] = field(default_factory=dict)

    @property
    def aliases(self) -> list[str]:
        return list(self.members)

    @property
    def y_true(self) -> np.ndarray:
        return self.forecasts["y"].to_numpy()

    def table(self) -> pd.DataFrame:
        """One row per model: RMSE, MAE, sMAPE, MASE and seconds."""
        rows = {
            alias: {**{m: self.metrics[alias][m] for m in TABLE_METRICS}, "seconds": self.seconds[alias]}
            for alias in self.aliases
        }
        frame = pd.DataFrame(rows).T
        frame.index.name = "model"
        return frame

    def member_scores(self, alias: str, metric: str = "rmse") -> np.ndarray:
        """One metric for each member of model ``alias`` on the same points (for the spread across
        seeds); any metric but MASE, whose scale needs the training data."""
        if metric == "mase" or metric not in METRICS:
            raise InvalidInputError(f"member_scores takes one of {sorted(set(METRICS) - {'mase'})}, not {metric!r}")
        if alias not in self.members:
            raise InvalidInputError(f"no model {alias!r} in this evaluation; the models are {self.aliases}")
        return np.array([METRICS[metric](self.y_true, member) for member in self.members[alias]])


def walk_forward(
    models: Forecaster | Sequence[Forecaster],
    y: Any,
    *,
    test_size: int | float | None = None,
    test_start: int | None = None,
    season: int = 1,
    baselines: Iterable[Forecaster] | None = None,
    score_slice: slice = slice(None),
    in_sample: bool = False,
    unique_id: str | None = None,
    executor: Executor | None = None,
) -> Evaluation:
    """One-step walk-forward evaluation on ``y[test_start:]`` (or the last ``test_size`` points).

    A fresh copy of each model is fitted on ``y[:test_start]``; every test point is then predicted
    from the true values before it, with nothing refitted. ``baselines`` (default:
    ``lstmcast.forecast.default_baselines(season, one_step=True)``; ``()`` for none) are evaluated
    alongside on the same points. ``score_slice`` selects which test points are scored (e.g.
    ``slice(1, -1)`` for the Keras tutorial's points). ``in_sample`` adds every model's one-step
    forecasts over the training part.
    """
    values, ds, uid, series = _series(y, unique_id)
    season = check_season(season)
    start = _split(len(values), test_size, test_start)
    every = _models(models, baselines, lambda: default_baselines(season, one_step=True))
    if not isinstance(score_slice, slice):
        raise InvalidInputError(
            f"score_slice must be a slice of the test points, e.g. slice(1, -1); got {score_slice!r}"
        )
    train = values[:start] if series is None else series.iloc[:start]
    results = run_tasks(
        _walk_forward_job,
        [(model, train, values[start:], bool(in_sample)) for model in every],
        executor=executor,
        label="models",
    )
    test_positions = np.arange(start, len(values))
    positions = test_positions[score_slice]
    if len(positions) == 0:
        raise InvalidInputError(f"score_slice={score_slice} leaves no test point to score")
    members, history, seconds, fitted = {}, {}, {}, {}
    for model, (fitted_model, path, took) in zip(every, results):
        alias = model.alias
        history[alias] = path[:, :start] if in_sample else None
        members[alias] = path[:, len(path[0]) - len(test_positions) :][:, score_slice]
        seconds[alias], fitted[alias] = took, [fitted_model]
    y_train = values[:start]
    metrics = {
        alias: score(values[positions], m.mean(axis=0), y_train=y_train, season=season) for alias, m in members.items()
    }
    evaluation = Evaluation(
        kind=f"one-step walk-forward on {len(positions)} test points",
        forecasts=_frame(uid, ds, positions, ds[positions - 1], values, members),
        members=members,
        positions=positions,
        metrics=metrics,
        seconds=seconds,
        fitted_models=fitted,
    )
    if in_sample:
        evaluation.in_sample = _frame(uid, ds, np.arange(start), None, values, history)
        evaluation.in_sample_members = history
        evaluation.train_metrics = {
            alias: _in_sample_score(y_train, h.mean(axis=0), season) for alias, h in history.items()
        }
    return evaluation


def backtest(
    models: Forecaster | Sequence[Forecaster],
    y: Any,
    *,
    horizon: int,
    n_windows: int = 3,
    step: int | None = None,
    season: int = 1,
    baselines: Iterable[Forecaster] | None = None,
    unique_id: str | None = None,
    executor: Executor | None = None,
) -> Evaluation:
    """Multi-step rolling-origin backtest: ``n_windows`` cut-offs ``step`` apart (default
    ``horizon``), the last ending with the series. At each cut-off a fresh copy of every model
    (transforms included) is fitted on the data before it and forecasts ``horizon`` points.
    ``baselines`` default to ``lstmcast.forecast.default_baselines(season, one_step=False)``
    (``()`` for none). Metrics pool all windows' points (MASE scaled on the first
    window's training data)."""
    values, ds, uid, series = _series(y, unique_id)
    season = check_season(season)
    horizon, n_windows = positive_int(horizon, "horizon"), positive_int(n_windows, "n_windows")
    step = horizon if step is None else positive_int(step, "step")
    cutoffs = [len(values) - horizon - (n_windows - 1 - k) * step for k in range(n_windows)]
    if cutoffs[0] < 2:
        raise InvalidInputError(
            f"{len(values)} points are too few for {n_windows} windows of horizon {horizon} every {step} points"
        )
    every = _models(models, baselines, lambda: default_baselines(season, one_step=False))
    jobs = [
        (model, values[:cutoff] if series is None else series.iloc[:cutoff], horizon)
        for model in every
        for cutoff in cutoffs
    ]
    results = iter(run_tasks(_backtest_job, jobs, executor=executor, label="fits (model x cut-off)"))
    members, seconds, fitted = {}, {}, {}
    for model in every:
        runs = [next(results) for _ in cutoffs]
        members[model.alias] = np.concatenate([forecast for _, forecast, _ in runs], axis=1)
        seconds[model.alias] = sum(took for _, _, took in runs)
        fitted[model.alias] = [fitted_model for fitted_model, _, _ in runs]
    positions = np.concatenate([np.arange(c, c + horizon) for c in cutoffs])
    cutoff_ds = ds[np.repeat(np.asarray(cutoffs) - 1, horizon)]
    y_train = values[: cutoffs[0]]
    metrics = {
        alias: score(values[positions], m.mean(axis=0), y_train=y_train, season=season) for alias, m in members.items()
    }
    return Evaluation(
        kind=f"multi-step backtest: {n_windows} cut-offs, horizon {horizon} ({len(positions)} points)",
        forecasts=_frame(uid, ds, positions, cutoff_ds, values, members),
        members=members,
        positions=positions,
        metrics=metrics,
        seconds=seconds,
        fitted_models=fitted,
    )


# -- the jobs: module-level functions, so that an executor can ship them to other processes -------
def _walk_forward_job(model: Forecaster, y_train: np.ndarray | pd.Series, y_test: np.ndarray, in_sample: bool):
    begun = time.perf_counter()
    fitted = clone(model).fit(y_train)
    path = fitted.predict_one_step(y_test, members=True, include_history=in_sample)
    return fitted, path, time.perf_counter() - begun


def _backtest_job(model: Forecaster, y_train: np.ndarray | pd.Series, horizon: int):
    begun = time.perf_counter()
    fitted = clone(model).fit(y_train)
    forecast = members_of(fitted.predict(horizon, members=True), fitted.alias)
    return fitted, forecast, time.perf_counter() - begun


# -- checks and shaping -----------------------------------------------------------------------------
def _series(y: Any, unique_id: str | None) -> tuple[np.ndarray, pd.Index, str, pd.Series | None]:
    """The values, their time labels (the Series' index, else positions 0..n-1), the id, and the
    Series checked as every forecaster's fit checks it (None for an array)."""
    values = series_values(y, "y", min_length=3)
    series = None
    if isinstance(y, pd.Series):
        series = validate_series(y)
        index = series.index
        name = y.name
    else:
        index, name = pd.RangeIndex(len(values)), None
    uid = unique_id if unique_id is not None else (str(name) if name is not None else "series")
    if not isinstance(uid, str) or not uid:
        raise InvalidInputError(f"unique_id must be a non-empty string, got {unique_id!r}")
    return values, index, uid, series


def _split(n: int, test_size: int | float | None, test_start: int | None) -> int:
    if (test_size is None) == (test_start is None):
        raise InvalidInputError("give exactly one of test_size (points or a fraction) and test_start")
    if test_start is None:
        test_start = n - count_or_fraction(test_size, "test_size", n)
    else:
        test_start = positive_int(test_start, "test_start")
    if not 1 <= test_start < n:
        raise InvalidInputError(
            f"the test part must leave training data and hold at least one point; got test_start={test_start} for {n} points"
        )
    return test_start


def _models(
    models: Any, baselines: Iterable[Forecaster] | None, defaults: Callable[[], list[Forecaster]]
) -> list[Forecaster]:
    given = [models] if isinstance(models, Forecaster) else list(models) if isinstance(models, (list, tuple)) else None
    if given is None:
        raise InvalidInputError(f"models must be a forecaster or a list of forecasters, got {type(models).__name__}")
    every = given + (defaults() if baselines is None else list(baselines))
    if not every:
        raise InvalidInputError("nothing to evaluate: give at least one model")
    aliases = []
    for model in every:
        if not isinstance(model, Forecaster):
            raise InvalidInputError(
                f"every model must be an lstmcast forecaster (lstmcast.forecast.Forecaster), got {model!r}"
            )
        aliases.append(check_alias(model.alias))
    repeated = sorted({alias for alias in aliases if aliases.count(alias) > 1})
    if repeated:
        raise InvalidInputError(f"two models share the alias {repeated[0]!r}; give each its own alias=")
    return every


def _frame(
    uid: str, ds: pd.Index, positions: np.ndarray, cutoff: pd.Index | None, values: np.ndarray, members: dict
) -> pd.DataFrame:
    columns = {"unique_id": uid, "ds": np.asarray(ds[positions])}
    if cutoff is not None:
        columns["cutoff"] = np.asarray(cutoff)
    columns["y"] = values[positions]
    columns.update({alias: m.mean(axis=0) for alias, m in members.items()})
    return pd.DataFrame(columns)


def _in_sample_score(y_train: np.ndarray, predictions: np.ndarray, season: int) -> dict[str, float | None]:
    has = np.isfinite(predictions)
    if not has.any():
        return {name: None for name in METRICS}
    return score(y_train[has], predictions[has], y_train=y_train, season=season)
