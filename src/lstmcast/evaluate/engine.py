"""The one evaluation engine: every model, every series, the same points, one way of scoring.

``evaluate`` takes forecasters (``lstmcast.forecast``: local and global alike), a panel (one
series is a panel of one) and rolling-origin windows (``lstmcast.evaluate.splits``). At each
cut-off every model is fitted on the data before it and forecasts what follows: multi-step from
the cut-off, or one step at a time over the window (walk-forward), through the forecaster's own
``forecast_panel`` (a local model one copy per series, a global model once). Each (model,
series, cut-off) is scored by ``lstmcast.metrics.score`` on the window's points, MASE
scaled by the seasonal-naive error of that series' data before that cut-off; the table averages
the scores over the series and cut-offs every model scored.

Work is split into independent tasks (model × cut-off, and for a local model partitions of
``lstmcast.parallel.PARTITION_SIZE`` series) that ``lstmcast.parallel.run_tasks`` runs here or on
an executor; the statistical baselines are marked light, so a side process can compute them while
the networks train here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lstmcast._checks import one_of
from lstmcast.data import Panel
from lstmcast.errors import InvalidInputError
from lstmcast.evaluate.splits import MIN_TRAIN, Fold, RollingOrigin
from lstmcast.forecast.base import Forecaster, PanelForecasts, check_alias
from lstmcast.forecast.baselines import Naive2, StatisticalForecaster
from lstmcast.metrics import METRICS, score
from lstmcast.parallel import PARTITION_SIZE, run_tasks

__all__ = ["TABLE_METRICS", "Evaluation", "check_models", "evaluate"]

TABLE_METRICS = ("rmse", "mae", "smape", "mase")
"""The metrics ``Evaluation.table`` shows, beside OWA, coverage, seconds and failures."""

MODES = ("multi_step", "one_step")


@dataclass
class Evaluation:
    """What an evaluation measured.

    Attributes
    ----------
    kind : str
        What was measured, in words (for tables: every figure says what it was measured on).
    forecasts : pandas.DataFrame
        One row per scored point: ``unique_id, ds, cutoff`` (the last time a forecast could use:
        the window's cut-off for a multi-step forecast, the point before for a one-step one),
        ``y``, one column per model alias, and ``<alias>-lo-<level>`` / ``-hi-`` where a model
        gives intervals.
    members : dict of str to numpy.ndarray
        Each model's members' forecasts for the same rows, ``(members, rows)``.
    scores : pandas.DataFrame
        One row per model, series and cut-off: ``rmse, mae, mape, smape, mase`` (NaN where a
        model could not forecast, or a metric is undefined).
    seconds : dict of str to float
        Each model's fitting and forecasting time.
    failed : dict of str to list of str
        Per model, the series it could not forecast (a global model's fallbacks included).
    levels : list of float
        The interval levels asked for.
    fitted_models : dict of str to list
        The fitted models, per cut-off (when the evaluation keeps them).
    in_sample : pandas.DataFrame, optional
        Walk-forward with ``in_sample``: the one-step forecasts over the training part.
    in_sample_members, train_metrics : dict
        The members' in-sample forecasts, and each model's scores on the training part.
    reference : str, optional
        The alias OWA is relative to (Naive2's), if evaluated.
    groups : numpy.ndarray
        For each row of ``forecasts``, its series and cut-off, numbered 0, 1, ... in row order
        (one-step rows of one window share it, though each row's ``cutoff`` is the point before).
    """

    kind: str
    forecasts: pd.DataFrame
    members: dict[str, np.ndarray]
    scores: pd.DataFrame
    seconds: dict[str, float]
    failed: dict[str, list[str]]
    levels: list[float]
    fitted_models: dict[str, list[Forecaster]] = field(default_factory=dict)
    in_sample: pd.DataFrame | None = None
    in_sample_members: dict[str, np.ndarray] = field(default_factory=dict)
    train_metrics: dict[str, dict[str, float | None]] = field(default_factory=dict)
    reference: str | None = None  # the alias OWA is relative to (Naive2's), if evaluated
    groups: np.ndarray | None = None

    @property
    def aliases(self) -> list[str]:
        return list(self.seconds)

    @property
    def y_true(self) -> np.ndarray:
        return self.forecasts["y"].to_numpy()

    @property
    def metrics(self) -> dict[str, dict[str, float | None]]:
        """Each model's mean of every metric over the series and cut-offs every model scored
        (None where a metric is undefined for some of them)."""
        common = self._common_scores()
        out = {}
        for alias in self.aliases:
            mine = common[common["model"] == alias]
            out[alias] = {
                name: None if mine[name].isna().any() or not len(mine) else float(mine[name].mean()) for name in METRICS
            }
        return out

    def table(self) -> pd.DataFrame:
        """One row per model: the mean RMSE, MAE, sMAPE and MASE over the series and cut-offs every
        model scored, OWA against Naive2 (when evaluated), interval coverage per level, seconds
        and the number of series the model could not forecast.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``model`` (the aliases); columns ``rmse, mae, smape, mase``, ``owa`` (with
            a reference), ``coverage_<level>`` per level, ``seconds`` and ``failed``.
        """
        metrics = self.metrics
        table = pd.DataFrame({alias: {m: metrics[alias][m] for m in TABLE_METRICS} for alias in self.aliases}).T
        table = table.astype(float)
        if self.reference is not None:
            ref = table.loc[self.reference]
            table["owa"] = 0.5 * (table["smape"] / ref["smape"] + table["mase"] / ref["mase"])
        for level in self.levels:
            table[f"coverage_{level:g}"] = [self.coverage(alias, level) for alias in self.aliases]
        table["seconds"] = [self.seconds[a] for a in self.aliases]
        table["failed"] = [len(self.failed[a]) for a in self.aliases]
        table.index.name = "model"
        return table

    def coverage(self, alias: str, level: float) -> float | None:
        """The share of points inside the model's ``level`` interval (None without intervals)."""
        low, high = f"{alias}-lo-{level:g}", f"{alias}-hi-{level:g}"
        if low not in self.forecasts:
            return None
        rows = self.forecasts.dropna(subset=[low, high])
        return float(((rows["y"] >= rows[low]) & (rows["y"] <= rows[high])).mean()) if len(rows) else None

    def member_scores(self, alias: str, metric: str = "rmse") -> np.ndarray:
        """One metric for each member of model ``alias``: its mean over the series and cut-offs
        (for the spread across seeds). Any metric but MASE, whose scale needs the training data."""
        if metric == "mase" or metric not in METRICS:
            raise InvalidInputError(f"member_scores takes one of {sorted(set(METRICS) - {'mase'})}, not {metric!r}")
        if alias not in self.members:
            raise InvalidInputError(f"no model {alias!r} in this evaluation; the models are {self.aliases}")
        groups = _rows_of(self.groups)
        truth = self.y_true
        return np.array(
            [np.mean([METRICS[metric](truth[rows], member[rows]) for rows in groups]) for member in self.members[alias]]
        )

    def series_table(self) -> pd.DataFrame:
        """sMAPE and MASE per series (mean over cut-offs), one column pair per model."""
        wide = self.scores.groupby(["unique_id", "model"])[["smape", "mase"]].mean().unstack("model")
        wide.columns = [f"{model}_{metric}" for metric, model in wide.columns]
        return wide

    def _common_scores(self) -> pd.DataFrame:
        """The scores of the (series, cut-off) pairs every model forecast."""
        scored = self.scores.dropna(subset=["rmse"])
        counts = scored.groupby(["unique_id", "cutoff"], sort=False)["model"].transform("nunique")
        return scored[counts == len(self.aliases)]


def check_models(models: Any, baselines: Iterable[Forecaster] | None = (), default: Sequence[Forecaster] = ()) -> list:
    """The models to evaluate: ``models`` (one forecaster or a list) and the ``baselines``
    (``default`` when None), each a forecaster, no two with the same alias."""
    given = [models] if isinstance(models, Forecaster) else list(models) if isinstance(models, (list, tuple)) else None
    if given is None:
        raise InvalidInputError(f"models must be a forecaster or a list of forecasters, got {type(models).__name__}")
    every = given + (list(default) if baselines is None else list(baselines))
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


@dataclass(frozen=True)
class _Window:
    """One cut-off of the panel: the training panel (the series that take part), and per series
    its fold."""

    train: Panel
    folds: list[Fold]


def evaluate(
    models: list[Forecaster],
    panel: Panel,
    origin: RollingOrigin,
    *,
    season: int,
    mode: str = "multi_step",
    levels: Sequence[float] = (),
    executor: Executor | None = None,
    keep: bool = False,
    in_sample: bool = False,
    score_slice: slice = slice(None),
    strict: bool = False,
    kind: str = "",
) -> Evaluation:
    """Evaluate ``models`` on ``panel`` at the cut-offs of ``origin`` (see the module docstring).

    Parameters
    ----------
    models : list of Forecaster
        Checked by ``check_models``.
    panel : Panel
        The series.
    origin : RollingOrigin
        The windows; each series is cut at the same distance from its own end, and a series too
        short for a window sits it out (with ``strict``, it is an error).
    season : int
        The seasonal period (MASE's lag).
    mode : {"multi_step", "one_step"}, default "multi_step"
        Forecast the window from its cut-off, or each of its points from the true values before.
    levels : sequence of float, default ()
        Interval levels to ask of the models that calibrate intervals.
    executor : concurrent.futures.Executor, optional
        Where the tasks run (``lstmcast.parallel``).
    keep : bool, default False
        Keep the fitted models.
    in_sample : bool, default False
        One-step mode: also the one-step forecasts over the training part (one window only).
    score_slice : slice, default slice(None)
        One-step mode, one window: which of its points are scored.
    strict : bool, default False
        A series too short for a window is an error rather than sitting it out.
    kind : str
        What is measured, in words.

    Returns
    -------
    Evaluation
    """
    one_of(mode, MODES, "mode")
    windows = _windows(panel, origin, season, strict)
    if in_sample and (mode != "one_step" or len(windows) > 1):
        raise InvalidInputError("in_sample is for a one-step evaluation of one window (walk-forward)")
    levels = list(levels)
    one_step = mode == "one_step"
    tasks, owners = [], []
    for m, model in enumerate(models):
        asked = levels if model.calibrates_intervals() else []
        for w, window in enumerate(windows):
            for part in model.task_panels(window.train, PARTITION_SIZE):
                new = [_after(panel, uid, fold) for uid, fold in _folds_of(window, part)] if one_step else None
                tasks.append((model, part, origin.size(season), asked, new, in_sample, keep))
                owners.append((m, w))
    results = run_tasks(
        _forecast_task,
        tasks,
        executor=executor,
        light=[isinstance(task[0], StatisticalForecaster) for task in tasks],
        label="fits (model x cut-off x partition)",
    )
    frames, members, scores, seconds, failed, fitted = [], {}, [], {}, {}, {}
    history: dict[str, PanelForecasts] = {}
    for m, model in enumerate(models):
        alias = model.alias
        seconds[alias], failed[alias], fitted[alias] = 0.0, [], []
        parts_of = [[r for r, owner in zip(results, owners) if owner == (m, w)] for w in range(len(windows))]
        columns, member_rows = [], []
        for w, window in enumerate(windows):
            joined = _join(parts_of[w])
            seconds[alias] += sum(r.seconds for r in parts_of[w])
            failed[alias] += [uid for uid in joined.failed if uid not in failed[alias]]
            fitted[alias] += joined.fitted
            columns.append(_columns(alias, joined, window, one_step, score_slice))
            member_rows += [
                f[:, _keep(f.shape[1], fold, one_step, score_slice)] for f, fold in zip(joined.members, window.folds)
            ]
            if in_sample:
                history[alias] = joined
        frames.append(pd.concat(columns, ignore_index=True))
        members[alias] = _stack(member_rows)
    base, groups = _base_frame(panel, windows, one_step, score_slice)
    forecasts = pd.concat([base, *frames], axis=1)
    for model in models:
        scores.append(_scores(model.alias, forecasts, groups, windows, season))
    reference = next((model.alias for model in models if isinstance(model, Naive2)), None)
    evaluation = Evaluation(
        kind=kind,
        forecasts=forecasts,
        members=members,
        scores=pd.concat(scores, ignore_index=True),
        seconds=seconds,
        failed=failed,
        levels=levels,
        fitted_models=fitted if keep else {},
        reference=reference,
        groups=groups,
    )
    if in_sample:
        _add_in_sample(evaluation, windows[0], history, season)
    return evaluation


def _forecast_task(model, part, horizon, levels, new, in_sample, keep) -> PanelForecasts:
    """One task: ``model`` fitted on the series of ``part`` and forecast (module level, so an
    executor can ship it to another process)."""
    return model.forecast_panel(part, horizon, levels=levels, new=new, in_sample=in_sample, keep=keep)


def _windows(panel: Panel, origin: RollingOrigin, season: int, strict: bool) -> list[_Window]:
    """Each cut-off's training panel and folds (series too short for it sit it out)."""
    per_series = [origin.folds(n, season=season, strict=strict) for n in panel.lengths]
    windows = []
    for w in range(origin.n_windows):
        taking = [k for k, folds in enumerate(per_series) if folds[w] is not None]
        if not taking:
            raise InvalidInputError(
                f"no series has {MIN_TRAIN} values to train on before cut-off {w + 1} of {origin.describe(season)}; "
                "use fewer windows or a shorter horizon"
            )
        folds = [per_series[k][w] for k in taking]
        part = panel.select([panel.ids[k] for k in taking])
        train = Panel(
            part.ids,
            tuple(v[f.train_start : f.train_end] for v, f in zip(part.values, folds)),
            tuple(i[f.train_start : f.train_end] for i, f in zip(part.index, folds)),
        )
        windows.append(_Window(train, folds))
    return windows


def _folds_of(window: _Window, part: Panel) -> list[tuple[str, Fold]]:
    position = {uid: k for k, uid in enumerate(window.train.ids)}
    return [(uid, window.folds[position[uid]]) for uid in part.ids]


def _after(panel: Panel, uid: str, fold: Fold) -> np.ndarray:
    """The values after the cut-off up to the window's end (the gap's included: they are seen,
    one step at a time, not scored)."""
    return panel.values[panel.ids.index(uid)][fold.train_end : fold.test_end]


def _join(parts: list[PanelForecasts]) -> PanelForecasts:
    """The partitions of one model's cut-off as one result, series in order."""
    if len(parts) == 1:
        return parts[0]
    joined = PanelForecasts(point=[], members=[])
    if parts[0].history is not None:
        joined.history, joined.history_point = [], []
    joined.lower = {level: [] for level in parts[0].lower}
    joined.upper = {level: [] for level in parts[0].upper}
    for part in parts:
        joined.point += part.point
        joined.members += part.members
        joined.failed += part.failed
        joined.fitted += part.fitted
        for level in part.lower:
            joined.lower[level] += part.lower[level]
            joined.upper[level] += part.upper[level]
        if joined.history is not None:
            joined.history += part.history
            joined.history_point += part.history_point
    return joined


def _columns(alias, result: PanelForecasts, window: _Window, one_step, score_slice) -> pd.DataFrame:
    """One model's scored points at one cut-off, in the order of ``_base_frame``."""
    cut = [_keep(len(p), fold, one_step, score_slice) for p, fold in zip(result.point, window.folds)]
    columns = {alias: np.concatenate([p[c] for p, c in zip(result.point, cut)])}
    for level in result.lower:
        columns[f"{alias}-lo-{level:g}"] = np.concatenate([p[c] for p, c in zip(result.lower[level], cut)])
        columns[f"{alias}-hi-{level:g}"] = np.concatenate([p[c] for p, c in zip(result.upper[level], cut)])
    return pd.DataFrame(columns)


def _keep(points: int, fold: Fold, one_step: bool, score_slice: slice) -> slice:
    size = fold.test_end - fold.test_start
    if not one_step:
        return slice(points - size, points)
    kept = np.arange(points)[points - size :][score_slice]
    return slice(int(kept[0]), int(kept[-1]) + 1) if len(kept) else slice(0, 0)


def _base_frame(panel, windows, one_step, score_slice) -> tuple[pd.DataFrame, np.ndarray]:
    """``unique_id, ds, cutoff, y`` of every scored point, cut-off by cut-off, series in order
    (``cutoff``: the last time the forecast could use: the window's cut-off for a multi-step
    forecast, the point before for a one-step one), and the (series, cut-off) group of each row."""
    rows, groups = [], []
    for window in windows:
        for uid, fold in zip(window.train.ids, window.folds):
            k = panel.ids.index(uid)
            points = fold.test_end - fold.train_end
            scored = _keep(points, fold, one_step, score_slice)
            positions = np.arange(fold.train_end, fold.test_end)[scored]
            last = positions - 1 if one_step else np.full(len(positions), fold.train_end - 1)
            rows.append(
                pd.DataFrame(
                    {
                        "unique_id": uid,
                        "ds": np.asarray(panel.index[k][positions]),
                        "cutoff": np.asarray(panel.index[k][last]),
                        "y": panel.values[k][positions],
                    }
                )
            )
            groups.append(np.full(len(positions), len(groups)))
    return pd.concat(rows, ignore_index=True), np.concatenate(groups)


def _stack(rows: list[np.ndarray]) -> np.ndarray:
    """Members of every series and cut-off side by side, ``(members, rows)``; a series a model
    could not forecast has one NaN member, repeated to the others' count."""
    n = max(r.shape[0] for r in rows)
    return np.concatenate([np.repeat(r, n, axis=0) if r.shape[0] < n else r for r in rows], axis=1)


def _scores(
    alias: str, forecasts: pd.DataFrame, groups: np.ndarray, windows: list[_Window], season: int
) -> pd.DataFrame:
    """``alias``'s metrics per series and cut-off: each on that window's points, MASE scaled by
    the series' data before the cut-off."""
    rows = []
    rows_of, truth, forecast = _rows_of(groups), forecasts["y"].to_numpy(), forecasts[alias].to_numpy()
    group = iter(range(len(rows_of)))
    for window in windows:
        for uid, axis, train in zip(window.train.ids, window.train.index, window.train.values):
            index = rows_of[next(group)]
            predicted = forecast[index]
            row = {"model": alias, "unique_id": uid, "cutoff": axis[-1]}
            if np.isnan(predicted).any() or len(index) == 0:
                row.update({name: np.nan for name in METRICS})
            else:
                values = score(truth[index], predicted, y_train=train, season=season)
                row.update({name: np.nan if v is None else v for name, v in values.items()})
            rows.append(row)
    return pd.DataFrame(rows)


def _add_in_sample(evaluation: Evaluation, window: _Window, history: dict[str, PanelForecasts], season: int) -> None:
    """The one-step forecasts over the training part of the (single) window, and their scores."""
    train = window.train
    columns = {
        "unique_id": np.repeat(train.ids, train.lengths),
        "ds": np.concatenate([np.asarray(i) for i in train.index]),
        "y": np.concatenate(train.values),
    }
    for alias, result in history.items():
        evaluation.in_sample_members[alias] = np.concatenate(result.history, axis=1)
        columns[alias] = np.concatenate(result.history_point)
    evaluation.in_sample = pd.DataFrame(columns)
    y_train = columns["y"]
    for alias in history:
        predictions = columns[alias]
        has = np.isfinite(predictions)
        evaluation.train_metrics[alias] = (
            score(y_train[has], predictions[has], y_train=y_train, season=season)
            if has.any()
            else {name: None for name in METRICS}
        )


def _rows_of(groups: np.ndarray) -> list[np.ndarray]:
    """The rows of each group, in group order (groups are numbered 0, 1, ... in row order)."""
    edges = np.searchsorted(groups, np.arange(int(groups.max()) + 2))
    return [np.arange(start, stop) for start, stop in zip(edges[:-1], edges[1:])]
