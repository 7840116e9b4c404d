"""Evaluate forecasters the way forecasters do: every model on exactly the same points.

Four front doors to one engine (``lstmcast.evaluate.engine``), all returning an ``Evaluation``:

* ``walk_forward`` — one series: fit on the training part, then predict each test point one step
  ahead from the true values before it (what the Keras tutorials report);
* ``backtest`` — one series: multi-step forecasts from several rolling cut-offs, every model (and
  its transforms) refitted on the data before each;
* ``cross_validate`` — the same over every series of a panel, as the M competitions score them
  (sMAPE, MASE, OWA against Naive2, interval coverage);
* ``holdout`` — a training panel and the test values that follow each of its series (the
  competitions' own split).

A single series is a panel of one, so ``backtest`` and ``cross_validate`` of the same series,
models and cut-offs give the same numbers. The default baselines are added unless
``baselines=()``. Nothing runs in another process unless an ``executor`` is given
(``lstmcast.parallel.cluster``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from typing import Any

import numpy as np
import pandas as pd

from lstmcast._checks import count_or_fraction, positive_int
from lstmcast._checks import season as check_season
from lstmcast.data import Panel, future_index
from lstmcast.data.validate import time_label
from lstmcast.errors import InvalidInputError
from lstmcast.evaluate.engine import Evaluation, check_models, evaluate
from lstmcast.evaluate.splits import RollingOrigin
from lstmcast.forecast.base import Forecaster
from lstmcast.forecast.baselines import default_baselines
from lstmcast.forecast.intervals import interval_levels

__all__ = ["backtest", "cross_validate", "holdout", "walk_forward"]


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
    """One-step walk-forward evaluation of one series.

    A fresh copy of each model is fitted on the training part; every test point is then
    predicted from the true values before it, with nothing refitted.

    Parameters
    ----------
    models : Forecaster or list of Forecaster
        The models to evaluate (local or global).
    y : array-like or pandas.Series
        The series (a Series' dates label the output).
    test_size : int or float, optional
        The test part: the last ``test_size`` points (a count, or a fraction). Give this or
        ``test_start``.
    test_start : int, optional
        The test part: from this position on.
    season : int, default 1
        The seasonal period (MASE's lag; the baselines' season).
    baselines : iterable of Forecaster, optional
        Evaluated alongside on the same points; default
        ``lstmcast.forecast.default_baselines(season, one_step=True)``; ``()`` for none.
    score_slice : slice, default slice(None)
        Which test points are scored (e.g. ``slice(1, -1)`` for a Keras tutorial's points).
    in_sample : bool, default False
        Also every model's one-step forecasts over the training part (``Evaluation.in_sample``).
    unique_id : str, optional
        The series' id in the output (default: its name, else ``"series"``).
    executor : concurrent.futures.Executor, optional
        Where each model's fit runs.

    Returns
    -------
    Evaluation
    """
    season = check_season(season)
    panel = Panel.of_series(y, unique_id)
    n = int(panel.lengths[0])
    start = _split(n, test_size, test_start)
    if not isinstance(score_slice, slice):
        raise InvalidInputError(
            f"score_slice must be a slice of the test points, e.g. slice(1, -1); got {score_slice!r}"
        )
    scored = len(range(n - start)[score_slice])
    if scored == 0:
        raise InvalidInputError(f"score_slice={score_slice} leaves no test point to score")
    every = check_models(models, baselines, default_baselines(season, one_step=True))
    return evaluate(
        every,
        panel,
        RollingOrigin(horizon=n - start),
        season=season,
        mode="one_step",
        executor=executor,
        keep=True,
        in_sample=bool(in_sample),
        score_slice=score_slice,
        strict=True,
        kind=f"one-step walk-forward on {scored} test points",
    )


def backtest(
    models: Forecaster | Sequence[Forecaster],
    y: Any,
    *,
    horizon: int,
    n_windows: int = 3,
    step: int | None = None,
    season: int = 1,
    level: Any = None,
    baselines: Iterable[Forecaster] | None = None,
    unique_id: str | None = None,
    executor: Executor | None = None,
) -> Evaluation:
    """Multi-step rolling-origin backtest of one series.

    At each of ``n_windows`` cut-offs, ``step`` apart, the last ``horizon`` points before the
    series' end, a fresh copy of every model (transforms included) is fitted on the data before
    it and forecasts the next ``horizon`` points. The same as ``cross_validate`` on a panel of
    this one series.

    Parameters
    ----------
    models : Forecaster or list of Forecaster
        The models to evaluate.
    y : array-like or pandas.Series
        The series.
    horizon : int
        Points forecast from each cut-off.
    n_windows : int, default 3
        How many cut-offs.
    step : int, optional
        Points between cut-offs (default ``horizon``: the forecast windows tile the series' end).
    season : int, default 1
        The seasonal period (MASE's lag; the baselines' season).
    level : float or list of float, optional
        Interval coverages to check (for models that calibrate intervals).
    baselines : iterable of Forecaster, optional
        Default ``lstmcast.forecast.default_baselines(season, one_step=False)``; ``()`` for none.
    unique_id : str, optional
        The series' id in the output.
    executor : concurrent.futures.Executor, optional
        Where each model's fit at each cut-off runs.

    Returns
    -------
    Evaluation
    """
    season = check_season(season)
    origin = RollingOrigin(horizon=positive_int(horizon, "horizon"), n_windows=n_windows, step=step)
    every = check_models(models, baselines, default_baselines(season, one_step=False))
    return evaluate(
        every,
        Panel.of_series(y, unique_id),
        origin,
        season=season,
        levels=[] if level is None else interval_levels(level),
        executor=executor,
        keep=True,
        strict=True,
        kind=f"multi-step backtest: {origin.describe(season)}",
    )


def cross_validate(
    models: Forecaster | Sequence[Forecaster],
    panel: Panel | pd.DataFrame,
    *,
    horizon: int,
    n_windows: int = 1,
    step: int | None = None,
    season: int | None = None,
    level: Any = None,
    baselines: Iterable[Forecaster] | None = (),
    executor: Executor | None = None,
) -> Evaluation:
    """Rolling-origin evaluation of every series of a panel.

    ``n_windows`` cut-offs ``step`` apart (default ``horizon``), the last ``horizon`` values before
    each series' end; at each, every model is refitted on the values before it and forecasts the
    next ``horizon``. A series with fewer than ``lstmcast.evaluate.splits.MIN_TRAIN`` values
    before a cut-off sits that cut-off out. A model that cannot forecast a series (too short for
    its season, say) leaves it out of its own scores and counts it in the table's ``failed``.

    Parameters
    ----------
    models : Forecaster or list of Forecaster
        The models to evaluate.
    panel : Panel or pandas.DataFrame
        The series (a long frame ``unique_id, ds, y``).
    horizon : int
        Values forecast from each cut-off.
    n_windows : int, default 1
        How many cut-offs.
    step : int, optional
        Values between cut-offs (default ``horizon``).
    season : int, optional
        The seasonal period, MASE's lag and the baselines' season (default: from the panel's
        frequency).
    level : float or list of float, optional
        Interval coverages to check.
    baselines : iterable of Forecaster, optional
        Added to ``models``; None for ``lstmcast.forecast.default_baselines(season,
        one_step=False)``; default none.
    executor : concurrent.futures.Executor, optional
        Where the tasks run (model × cut-off, and partitions of series for local models).

    Returns
    -------
    Evaluation
    """
    panel = _as_panel(panel)
    season = panel.season if season is None else check_season(season)
    origin = RollingOrigin(horizon=positive_int(horizon, "horizon"), n_windows=n_windows, step=step)
    every = check_models(models, baselines, default_baselines(season, one_step=False))
    return evaluate(
        every,
        panel,
        origin,
        season=season,
        levels=[] if level is None else interval_levels(level),
        executor=executor,
        kind=f"rolling origin: {origin.describe(season)}",
    )


def holdout(
    models: Forecaster | Sequence[Forecaster],
    train: Panel | pd.DataFrame,
    test: Panel | pd.DataFrame,
    *,
    season: int | None = None,
    level: Any = None,
    baselines: Iterable[Forecaster] | None = (),
    executor: Executor | None = None,
) -> Evaluation:
    """Fit every model on panel ``train`` and score the values of panel ``test`` that follow
    each series (the same ids, each test series continuing its training series, all of one length,
    the horizon).

    Parameters
    ----------
    models : Forecaster or list of Forecaster
        The models to evaluate.
    train, test : Panel or pandas.DataFrame
        The training series and the values after each.
    season : int, optional
        The seasonal period (default: from the panel's frequency).
    level : float or list of float, optional
        Interval coverages to check.
    baselines : iterable of Forecaster, optional
        As ``cross_validate``.
    executor : concurrent.futures.Executor, optional
        Where the tasks run.

    Returns
    -------
    Evaluation
    """
    train, test = _as_panel(train), _as_panel(test)
    missing = [uid for uid in train.ids if uid not in set(test.ids)]
    if missing or len(train) != len(test):
        raise InvalidInputError(
            f"the test panel must hold the training panel's series and no others; series {missing[:3]} have no "
            "test values"
        )
    test = test.select(train.ids)
    horizon = int(test.lengths.max())
    if int(test.lengths.min()) != horizon:
        raise InvalidInputError("every test series must hold the same number of values (the horizon)")
    for uid, before, after in zip(train.ids, train.index, test.index):
        expected = future_index(before, horizon)
        if not pd.Index(after).equals(expected):
            raise InvalidInputError(
                f"the test values of series {uid!r} must follow its training values: {time_label(expected[0])} .., "
                f"got {time_label(after[0])} .."
            )
    joined = Panel(
        train.ids,
        tuple(np.concatenate([a, b]) for a, b in zip(train.values, test.values)),
        tuple(a.append(b) for a, b in zip(train.index, test.index)),
    )
    season = train.season if season is None else check_season(season)
    every = check_models(models, baselines, default_baselines(season, one_step=False))
    return evaluate(
        every,
        joined,
        RollingOrigin(horizon=horizon),
        season=season,
        levels=[] if level is None else interval_levels(level),
        executor=executor,
        kind=f"holdout: {len(train)} series, horizon {horizon}",
    )


def _as_panel(panel: Any) -> Panel:
    from lstmcast.data import from_long

    if isinstance(panel, pd.DataFrame):
        return from_long(panel)
    if not isinstance(panel, Panel):
        raise InvalidInputError(
            f"a panel is a lstmcast.data.Panel or a long frame (unique_id, ds, y), got {type(panel).__name__}"
        )
    return panel


def _split(n: int, test_size: int | float | None, test_start: int | None) -> int:
    if (test_size is None) == (test_start is None):
        raise InvalidInputError("give exactly one of test_size (points or a fraction) and test_start")
    if test_start is None:
        test_start = n - count_or_fraction(test_size, "test_size", n)
    else:
        test_start = positive_int(test_start, "test_start")
    if not 1 <= test_start < n:
        raise InvalidInputError(
            f"the test part must leave training data and hold at least one point; got test_start={test_start} "
            f"for {n} points"
        )
    return test_start
