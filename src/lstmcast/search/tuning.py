"""Hyperparameter search for forecasters: every configuration scored by time-ordered
cross-validation on the training data only, the networks of all configurations and folds trained
together.

``grid_search`` tries every combination of ``param_grid``; ``random_search`` draws ``n_iter``
configurations from ``distributions``. For each configuration and each fold of ``cv`` (rolling
origin, ``lstmcast.search.RollingOrigin``) a fresh copy of the estimator, its transforms
included, is fitted on the fold's training part and scored on the fold's points with a
forecasting metric in original units: one-step walk-forward forecasts by default (what the
tutorials report), or multi-step forecasts from the cut-off (``mode="multi_step"``). Each member
of an ensemble is scored on its own, so a configuration's mean and standard deviation are over
folds and seeds.

Training: all the LSTMs go to ``lstmcast.forecast.fit_together`` in one call. Networks that
differ only in seed, learning rate, epochs, series length or layer widths share one compiled
program (a narrower network is embedded exactly in the widest, its extra weights held at zero),
so a 4-width, 3-window grid costs about one training run plus one compile. Configurations that
change the program's shape (batch size, look-back, depth, loss, statefulness, ...) train in
programs of their own, dispatched side by side.
"""

from __future__ import annotations

import inspect
import itertools
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lstmcast._checks import non_negative_int, one_of, positive_int, series_values
from lstmcast._checks import season as check_season
from lstmcast.errors import InvalidInputError
from lstmcast.evaluate.splits import Fold, RollingOrigin
from lstmcast.forecast import Forecaster, clone
from lstmcast.metrics import METRICS, metric_value
from lstmcast.parallel import run_tasks

MODES = ("one_step", "multi_step")


@dataclass
class SearchResult:
    """What a search found.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per configuration, in the order tried: its parameters, ``score_mean`` and
        ``score_std`` (over folds and seeds), ``seconds`` (its share of the joint training time)
        and ``rank`` (1 is best).
    best_params : dict
        The parameters of the best configuration (the lowest ``score_mean``).
    best_estimator : Forecaster or None
        The best configuration refitted on all the data searched on (None with ``refit=False``).
    metric : str
        The metric scored.
    folds : list of Fold
        The cross-validation's windows.
    scores : list of numpy.ndarray
        Per configuration, the scores ``(folds, members)``.
    seconds : float
        The search's time, the refit included.
    """

    table: pd.DataFrame
    best_params: dict[str, Any]
    best_estimator: Forecaster | None
    metric: str
    folds: list[Fold]
    scores: list[np.ndarray] = field(default_factory=list)  # per configuration: (folds, members)
    seconds: float = 0.0

    @property
    def configurations(self) -> list[dict[str, Any]]:
        """The table as plain records: ``params``, ``score_mean``, ``score_std``, ``seconds``, ``rank``."""
        names = [c for c in self.table.columns if c not in _RESULT_COLUMNS]
        return [
            {"params": {name: row[name] for name in names}, **{key: row[key] for key in _RESULT_COLUMNS}}
            for row in self.table.to_dict("records")
        ]


_RESULT_COLUMNS = ("score_mean", "score_std", "seconds", "rank")


def grid_search(
    estimator: Forecaster,
    param_grid: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Sequence[Any]]],
    y: Any,
    *,
    cv: RollingOrigin | None = None,
    metric: str = "rmse",
    season: int = 1,
    mode: str = "one_step",
    refit: bool = True,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    verbose: int = 1,
    executor: Executor | None = None,
) -> SearchResult:
    """Score every combination of ``param_grid`` by rolling-origin cross-validation on ``y``.

    Parameters
    ----------
    estimator : Forecaster
        The model to configure (it is cloned, never fitted itself).
    param_grid : dict or list of dict
        Parameter name to a list of values, or a list of such dicts, as scikit-learn's
        ``ParameterGrid``.
    y : array-like or pandas.Series
        The training data searched on (at least 4 values).
    cv : RollingOrigin, optional
        The folds; default 3 expanding folds of one season each (at least 2 points).
    metric : {"rmse", "mae", "mape", "smape", "mase"}, default "rmse"
        What is scored (MASE scaled on each fold's training part with ``season``); lower is
        better.
    season : int, default 1
        The seasonal period.
    mode : {"one_step", "multi_step"}, default "one_step"
        One-step walk-forward forecasts of each fold's points, or multi-step forecasts from
        its cut-off.
    refit : bool, default True
        Refit the best configuration on all of ``y`` (``best_estimator``).
    on_row : callable, optional
        Called with each configuration's row as soon as it is scored.
    verbose : int, default 1
        1 shows progress bars.
    executor : concurrent.futures.Executor, optional
        With an executor (``lstmcast.parallel.cluster``) the configurations that share a
        compiled program are one task, trained and scored on one worker; the table is the same.

    Returns
    -------
    SearchResult
    """
    return _search(
        estimator,
        list(_grid(param_grid)),
        y,
        cv=cv,
        metric=metric,
        season=season,
        mode=mode,
        refit=refit,
        on_row=on_row,
        verbose=verbose,
        executor=executor,
    )


_DEFAULTS = {
    name: p.default for name, p in inspect.signature(grid_search).parameters.items() if p.kind == p.KEYWORD_ONLY
}
_SEARCH_OPTIONS = set(_DEFAULTS)


def random_search(
    estimator: Forecaster,
    distributions: Mapping[str, Any],
    y: Any,
    *,
    n_iter: int = 10,
    seed: int = 0,
    **options: Any,
) -> SearchResult:
    """Score ``n_iter`` configurations drawn from ``distributions``, reproducibly from ``seed``.

    Parameters
    ----------
    estimator : Forecaster
        The model to configure (it is cloned, never fitted itself).
    distributions : dict
        Name -> a list to pick from, a callable ``f(rng)``, or an object with
        ``rvs(random_state=rng)`` such as a scipy distribution.
    y : array-like or pandas.Series
        The training data searched on.
    n_iter : int, default 10
        Configurations drawn.
    seed : int, default 0
        Seeds the draws.
    **options
        ``grid_search``'s keywords: ``cv``, ``metric``, ``season``, ``mode``, ``refit``,
        ``on_row``, ``verbose``, ``executor``.

    Returns
    -------
    SearchResult
    """
    unknown = sorted(set(options) - _SEARCH_OPTIONS)
    if unknown:
        raise InvalidInputError(
            f"random_search has no option {unknown[0]!r}; its options are n_iter, seed, "
            f"{', '.join(sorted(_SEARCH_OPTIONS))}"
        )
    n_iter = positive_int(n_iter, "n_iter")
    rng = np.random.default_rng(non_negative_int(seed, "seed"))
    if not isinstance(distributions, Mapping) or not distributions:
        raise InvalidInputError("distributions must be a non-empty dict of parameter name -> values to draw from")
    candidates = [{name: _draw(values, rng, name) for name, values in distributions.items()} for _ in range(n_iter)]
    return _search(estimator, candidates, y, **{**_DEFAULTS, **options})


def _grid(param_grid: Any) -> Iterable[dict[str, Any]]:
    grids = (
        [param_grid]
        if isinstance(param_grid, Mapping)
        else list(param_grid)
        if isinstance(param_grid, (list, tuple))
        else None
    )
    if not grids:
        raise InvalidInputError(
            "param_grid must be a dict of parameter name -> list of values (or a list of such dicts)"
        )
    for grid in grids:
        if not isinstance(grid, Mapping) or not grid:
            raise InvalidInputError(f"each grid must be a non-empty dict of name -> list of values, got {grid!r}")
        for name, values in grid.items():
            if isinstance(values, (str, bytes)) or not isinstance(values, Iterable) or not list(values):
                raise InvalidInputError(f"param_grid[{name!r}] must be a non-empty list of values, got {values!r}")
        names = list(grid)
        for combination in itertools.product(*(list(grid[name]) for name in names)):
            yield dict(zip(names, combination))


def _draw(values: Any, rng: np.random.Generator, name: str) -> Any:
    if hasattr(values, "rvs"):
        return values.rvs(random_state=rng)
    if callable(values):
        return values(rng)
    if isinstance(values, (list, tuple)) and values:
        return values[int(rng.integers(len(values)))]
    raise InvalidInputError(f"distributions[{name!r}] must be a list, a callable f(rng) or have rvs(); got {values!r}")


def _search(
    estimator, candidates, y, *, cv, metric, season, mode, refit, on_row, verbose, executor=None
) -> SearchResult:
    started = time.perf_counter()
    if not isinstance(estimator, Forecaster):
        raise InvalidInputError(f"the estimator must be an lstmcast forecaster, got {type(estimator).__name__}")
    one_of(metric, tuple(METRICS), "metric")
    one_of(mode, MODES, "mode")
    season = check_season(season)
    values = series_values(y, "y", min_length=4)
    cv = RollingOrigin(n_windows=3) if cv is None else cv
    if not isinstance(cv, RollingOrigin):
        raise InvalidInputError(f"cv must be a lstmcast.search.RollingOrigin, got {type(cv).__name__}")
    folds = cv.folds(len(values), season=season)
    configured = [clone(estimator).set_params(**params) for params in candidates]
    begun = time.perf_counter()
    if executor is None:  # every program in one call: XLA runs them side by side
        groups = [list(range(len(configured)))]
    else:  # one task per compiled program, so a worker compiles it once
        from lstmcast.forecast import model_program_key

        keyed: dict[Any, list[int]] = {}
        for c, model in enumerate(configured):
            key = model_program_key(model, values[folds[0].train_start : folds[0].train_end])
            keyed.setdefault(("configuration", c) if key is None else key, []).append(c)
        groups = list(keyed.values())
    rows: list[dict | None] = [None] * len(candidates)
    scores: list[np.ndarray | None] = [None] * len(candidates)

    def done(g: int, fold_scores: list[np.ndarray]) -> None:
        for c, own in zip(groups[g], fold_scores):
            scores[c] = own
            rows[c] = {
                **candidates[c],
                "score_mean": float(own.mean()),
                "score_std": float(own.std(ddof=1)) if own.size > 1 else 0.0,
                "seconds": (time.perf_counter() - begun) / len(groups[g]),
            }
            if on_row is not None:
                on_row(rows[c])

    arguments = [
        ([configured[c] for c in group], values, folds, metric, season, mode, verbose if executor is None else 0)
        for group in groups
    ]
    run_tasks(
        _fit_and_score,
        arguments,
        executor=executor,
        on_done=done,
        label="programs (groups of configurations)",
        progress=verbose > 0,
    )
    seconds = time.perf_counter() - begun
    for row in rows:  # a share of the joint time: the configurations trained together
        row["seconds"] = seconds / len(rows)
    table = pd.DataFrame(rows)
    table["rank"] = table["score_mean"].rank(method="min").astype(int)
    best = int(np.argmin(table["score_mean"].to_numpy()))
    best_params = dict(candidates[best])
    best_estimator = clone(estimator).set_params(**best_params).fit(y) if refit else None
    return SearchResult(table, best_params, best_estimator, metric, folds, scores, time.perf_counter() - started)


def _fit_and_score(
    configured: list[Forecaster],
    values: np.ndarray,
    folds: list[Fold],
    metric: str,
    season: int,
    mode: str,
    verbose: int,
) -> list[np.ndarray]:
    """One task of a search: every configuration of ``configured`` fitted on every fold (their
    networks in as few programs as possible) and scored: per configuration ``(folds, members)``."""
    from lstmcast.forecast import fit_together

    models = [clone(model) for model in configured for _ in folds]
    fit_together(
        models, [values[fold.train_start : fold.train_end] for _ in configured for fold in folds], verbose=verbose
    )
    return [
        np.stack(
            [
                _fold_scores(models[c * len(folds) + f], values, fold, metric, season, mode)
                for f, fold in enumerate(folds)
            ]
        )
        for c in range(len(configured))
    ]


def _fold_scores(model: Forecaster, values: np.ndarray, fold: Fold, metric: str, season: int, mode: str) -> np.ndarray:
    """Each member's score on the fold's points, ``(members,)``."""
    truth = values[fold.test_start : fold.test_end]
    gap = fold.test_start - fold.train_end
    if mode == "one_step":
        predictions = model.predict_one_step(values[fold.train_end : fold.test_end], members=True)[:, gap:]
    else:
        predictions = model.predict(fold.test_end - fold.train_end, members=True)[:, gap:]
    y_train = values[fold.train_start : fold.train_end]
    return np.array([metric_value(metric, truth, member, y_train=y_train, season=season) for member in predictions])
