"""Evaluate a forecaster the way forecasters do, beside baselines on exactly the same points.

``walk_forward``: fit on the training part, then predict each test point one step ahead from the
true values before it (what the Keras tutorials report). ``backtest``: multi-step forecasts from
several rolling cut-offs, refitting the forecaster (and its transforms) on the data before each
cut-off only. Both return an ``Evaluation``: predictions, metrics in original units, seconds, and
a sentence saying what was measured.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from lstmcast._estimator import clone
from lstmcast.errors import InvalidInputError
from lstmcast.evaluate.baselines import MULTI_STEP_MODELS, ONE_STEP_MODELS, multi_step_baselines, one_step_baselines
from lstmcast.evaluate.metrics import score


@dataclass
class Evaluation:
    """What an evaluation measured. ``predictions[name]`` is aligned with ``y_true`` (the scored
    points, at ``positions`` of the series); ``members`` holds each LSTM member's predictions."""

    kind: str
    positions: np.ndarray
    y_true: np.ndarray
    predictions: dict[str, np.ndarray]
    members: np.ndarray
    metrics: dict[str, dict[str, float | None]]
    seconds: dict[str, float]
    forecasters: list[Any] = field(default_factory=list)
    train_metrics: dict[str, float | None] = field(default_factory=dict)
    path: np.ndarray | None = None  # walk-forward: each member's one-step predictions of every point
    test_start: int | None = None

    @property
    def train_predictions(self) -> np.ndarray | None:
        """Walk-forward: each member's one-step predictions over the training part (NaN where no
        full window precedes a point)."""
        return None if self.path is None else self.path[:, : self.test_start]

    def table(self):
        """Metrics as a DataFrame: one row per model, one column per metric."""
        import pandas as pd

        frame = pd.DataFrame(self.metrics).T
        frame.index.name = "model"
        return frame

    def member_scores(self, metric: str = "rmse") -> np.ndarray:
        """One metric for each ensemble member on the same points (for mean ± std across seeds);
        any metric but MASE, whose scale needs the training data."""
        from lstmcast.evaluate.metrics import METRICS

        if metric == "mase" or metric not in METRICS:
            raise InvalidInputError(f"member_scores takes one of {sorted(set(METRICS) - {'mase'})}, not {metric!r}")
        return np.array([METRICS[metric](self.y_true, member) for member in self.members])


def _values(y: Any) -> np.ndarray:
    values = np.asarray(getattr(y, "values", y), dtype=np.float64).ravel()
    if not np.all(np.isfinite(values)):
        raise InvalidInputError("the series has missing or infinite values; clean it first (lstmcast.data)")
    return values


def _split(n: int, test_size: int | float | None, test_start: int | None) -> int:
    if (test_size is None) == (test_start is None):
        raise InvalidInputError("give exactly one of test_size (points or a fraction) and test_start")
    if test_start is None:
        if 0 < test_size < 1:
            test_size = int(round(test_size * n))
        elif int(test_size) != test_size:
            raise InvalidInputError(f"test_size is a fraction in (0, 1) or a whole number of points, got {test_size}")
        test_start = n - int(test_size)
    elif int(test_start) != test_start:
        raise InvalidInputError(f"test_start must be a whole number, got {test_start}")
    if not 1 <= test_start < n:
        raise InvalidInputError(f"the test part must leave training data and hold at least one point; got test_start={test_start} for {n} points")
    return int(test_start)


def walk_forward(
    forecaster: Any,
    y: Any,
    *,
    test_size: int | float | None = None,
    test_start: int | None = None,
    season: int = 1,
    baselines: Iterable[str] = ONE_STEP_MODELS,
    score_slice: slice = slice(None),
    parallel: bool = False,
) -> Evaluation:
    """One-step walk-forward evaluation on ``y[test_start:]`` (or the last ``test_size`` points).

    A fresh copy of ``forecaster`` is fitted on ``y[:test_start]``; every test point is then
    predicted from the true values before it, with nothing refitted. Baselines get the same
    information on the same points. ``score_slice`` selects which test points are scored (e.g.
    ``slice(1, -1)`` for the Keras tutorial's points); predictions cover them all.
    """
    values = _values(y)
    start = _split(len(values), test_size, test_start)
    train = y[:start] if hasattr(y, "iloc") else values[:start]
    names = tuple(baselines)
    background = _in_background(one_step_baselines_timed, values, start, season, names) if parallel and names else None
    seconds: dict[str, float] = {}
    begun = time.perf_counter()
    fitted = clone(forecaster).fit(train)
    path = fitted.predict_one_step(values[start:], members=True, include_history=True)
    seconds["lstm"] = time.perf_counter() - begun
    members = path[:, start:]
    predictions = {"lstm": members.mean(axis=0)}
    baseline_predictions, baseline_seconds = (
        background() if background else one_step_baselines_timed(values, start, season, names)
    )
    predictions.update(baseline_predictions)
    seconds.update(baseline_seconds)
    positions = np.arange(start, len(values))[score_slice]
    y_true = values[positions]
    chosen = {name: p[score_slice] for name, p in predictions.items()}
    metrics = {name: score(y_true, p, y_train=values[:start], season=season) for name, p in chosen.items()}
    in_sample = path.mean(axis=0)[:start]
    has = np.isfinite(in_sample)
    train_metrics = score(values[:start][has], in_sample[has], y_train=values[:start], season=season)
    return Evaluation(
        kind=f"one-step walk-forward on {len(positions)} test points",
        positions=positions,
        y_true=y_true,
        predictions=chosen,
        members=members[:, score_slice],
        metrics=metrics,
        seconds=seconds,
        forecasters=[fitted],
        train_metrics=train_metrics,
        path=path,
        test_start=start,
    )


def one_step_baselines_timed(
    values: np.ndarray, start: int, season: int, names: tuple[str, ...]
) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """``one_step_baselines`` model by model, with each model's seconds."""
    predictions, seconds = {}, {}
    for name in names:
        begun = time.perf_counter()
        predictions.update(one_step_baselines(values, start, season=season, models=(name,)))
        seconds[name] = time.perf_counter() - begun
    return predictions, seconds


def _in_background(function, *args):
    """Start ``function(*args)`` in a fresh process (spawned: JAX's threads make fork unsafe);
    returns a callable that waits for the result and re-raises its error."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(function, *args)

    def result():
        try:
            return future.result()
        finally:
            pool.shutdown()

    return result


def backtest(
    forecaster: Any,
    y: Any,
    *,
    horizon: int,
    n_windows: int = 3,
    step: int | None = None,
    season: int = 1,
    baselines: Iterable[str] = MULTI_STEP_MODELS,
) -> Evaluation:
    """Multi-step rolling-origin backtest: ``n_windows`` cut-offs ``step`` apart (default
    ``horizon``), the last ending with the series. At each cut-off a fresh forecaster (transforms
    included) is fitted on the data before it and forecasts ``horizon`` points; baselines forecast
    from the same data. Metrics pool all windows' points (MASE scaled on the first window's
    training data)."""
    values = _values(y)
    if int(horizon) < 1 or int(n_windows) < 1:
        raise InvalidInputError(f"horizon and n_windows must be >= 1, got {horizon} and {n_windows}")
    horizon, n_windows = int(horizon), int(n_windows)
    step = horizon if step is None else int(step)
    if step < 1:
        raise InvalidInputError(f"step between cut-offs must be >= 1, got {step}")
    cutoffs = [len(values) - horizon - (n_windows - 1 - k) * step for k in range(n_windows)]
    if cutoffs[0] < 2:
        raise InvalidInputError(f"{len(values)} points are too few for {n_windows} windows of horizon {horizon}")
    names = tuple(baselines)
    predictions: dict[str, list[np.ndarray]] = {"lstm": [], **{name: [] for name in names}}
    members, forecasters, seconds = [], [], {"lstm": 0.0, **{name: 0.0 for name in names}}
    for cutoff in cutoffs:
        train = y[:cutoff] if hasattr(y, "iloc") else values[:cutoff]
        begun = time.perf_counter()
        fitted = clone(forecaster).fit(train)
        forecast = fitted.predict(horizon, members=True)
        seconds["lstm"] += time.perf_counter() - begun
        members.append(forecast)
        predictions["lstm"].append(forecast.mean(axis=0))
        forecasters.append(fitted)
        for name in names:
            begun = time.perf_counter()
            predictions[name].append(multi_step_baselines(values[:cutoff], horizon, season=season, models=(name,))[name])
            seconds[name] += time.perf_counter() - begun
    positions = np.concatenate([np.arange(c, c + horizon) for c in cutoffs])
    y_true = values[positions]
    pooled = {name: np.concatenate(p) for name, p in predictions.items()}
    metrics = {name: score(y_true, p, y_train=values[: cutoffs[0]], season=season) for name, p in pooled.items()}
    return Evaluation(
        kind=f"multi-step backtest: {n_windows} cut-offs, horizon {horizon} ({len(positions)} points)",
        positions=positions,
        y_true=y_true,
        predictions=pooled,
        members=np.concatenate(members, axis=1),
        metrics=metrics,
        seconds=seconds,
        forecasters=forecasters,
    )
