"""Evaluating forecasters on a panel, as the M competitions do: every model, every series, the
same points; sMAPE, MASE and OWA against Naive2; interval coverage.

``holdout`` fits every model on a training panel and scores the horizon that follows each series
in a test panel (the competitions' own split). ``cross_validate`` does the same from ``n_windows``
rolling origins inside one panel: each cut-off refits every model on the data before it. A model
that fits panels (``LSTMForecaster``: one global network) is fitted once per cut-off on all series;
any other forecaster (the baselines) is fitted series by series. A baseline that cannot fit a
series (too short for its season, say) leaves that series out of its own scores and is counted
in the table's ``failed`` column, never hidden.

Metrics per series and horizon: sMAPE (0-200), MASE (the mean absolute error over the in-sample
MAE of seasonal naive on the series' training part; lag 1 when the part is not longer than a
season) and RMSE; the overall table averages over series and cut-offs, and gives OWA =
``(sMAPE / sMAPE_naive2 + MASE / MASE_naive2) / 2`` when Naive2 is among the models, on the
points every model scored.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lstmcast._checks import positive_int
from lstmcast._checks import season as check_season
from lstmcast._tasks import run_tasks
from lstmcast.errors import BaselineFitError, InvalidInputError
from lstmcast.evaluate.metrics import mae, rmse, seasonal_naive_scale, smape
from lstmcast.forecast.base import Forecaster, check_alias, clone, interval_levels

__all__ = ["PanelEvaluation", "cross_validate", "holdout"]


@dataclass
class PanelEvaluation:
    """``forecasts``: one row per series, cut-off and step (``unique_id, ds, cutoff, y`` and one
    column per model's alias, with ``<alias>-lo-<level>``/``-hi-`` where the model gives
    intervals); ``scores``: one row per model, series and cut-off (``smape, mase, rmse``);
    ``seconds``: each model's fit and predict time; ``failed``: per model, the series it could
    not forecast."""

    kind: str
    forecasts: pd.DataFrame
    scores: pd.DataFrame
    seconds: dict[str, float]
    failed: dict[str, list[str]]
    levels: list[float]

    @property
    def aliases(self) -> list[str]:
        return list(self.seconds)

    def table(self) -> pd.DataFrame:
        """One row per model: mean sMAPE, MASE, RMSE over the series every model scored, OWA
        against Naive2 (when evaluated), interval coverage per level, seconds, failed series."""
        scored = self.scores.dropna(subset=["smape"])
        common = scored.groupby(["unique_id", "cutoff"])["model"].nunique()
        keep = common[common == len(self.aliases)].index
        both = scored.set_index(["unique_id", "cutoff"]).loc[keep].reset_index() if len(keep) else scored.iloc[:0]
        means = both.groupby("model")[["smape", "mase", "rmse"]].mean().reindex(self.aliases)
        table = means.copy()
        if "naive2" in means.index:
            reference = means.loc["naive2"]
            table["owa"] = 0.5 * (means["smape"] / reference["smape"] + means["mase"] / reference["mase"])
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

    def series_table(self) -> pd.DataFrame:
        """sMAPE and MASE per series (mean over cut-offs), one column pair per model."""
        wide = self.scores.groupby(["unique_id", "model"])[["smape", "mase"]].mean().unstack("model")
        wide.columns = [f"{model}_{metric}" for metric, model in wide.columns]
        return wide


def holdout(
    models: Forecaster | Sequence[Forecaster],
    train,
    test,
    *,
    season: int | None = None,
    level: Any = None,
    executor: Executor | None = None,
) -> PanelEvaluation:
    """Fit every model on panel ``train``, forecast the values of panel ``test`` that follow each
    series (the same ids, each test series continuing its training series), and score them."""
    every = _models(models)
    horizons = dict(zip(test.ids, test.lengths))
    missing = [uid for uid in train.ids if uid not in horizons]
    if missing or len(train) != len(test):
        raise InvalidInputError(
            f"the test panel must hold the training panel's series and no others; series {missing[:3]} have no test values"
        )
    test = test.select(train.ids)
    horizon = int(test.lengths.max())
    if int(test.lengths.min()) != horizon:
        raise InvalidInputError("every test series must hold the same number of values (the horizon)")
    season = train.season if season is None else check_season(season)
    actual = {uid: values for uid, values in zip(test.ids, test.values)}
    return _evaluate(
        every,
        [(train, actual, train.ids)],
        horizon,
        season,
        interval_levels(level) if level is not None else [],
        executor,
        f"holdout: {len(train)} series, horizon {horizon}",
    )


def cross_validate(
    models: Forecaster | Sequence[Forecaster],
    panel,
    *,
    horizon: int,
    n_windows: int = 1,
    step: int | None = None,
    season: int | None = None,
    level: Any = None,
    executor: Executor | None = None,
) -> PanelEvaluation:
    """Rolling-origin evaluation: ``n_windows`` cut-offs ``step`` apart (default ``horizon``), the
    last ``horizon`` values before the end of every series; at each, every model is refitted on
    the values before the cut-off and forecasts the next ``horizon``. Series too short for a
    cut-off (fewer than 3 values before it) sit that cut-off out."""
    every = _models(models)
    horizon, n_windows = positive_int(horizon, "horizon"), positive_int(n_windows, "n_windows")
    step = horizon if step is None else positive_int(step, "step")
    season = panel.season if season is None else check_season(season)
    folds = []
    for k in range(n_windows):
        back = horizon + (n_windows - 1 - k) * step
        ends = panel.lengths - back
        keep = [uid for uid, end in zip(panel.ids, ends) if end >= 3]
        if not keep:
            raise InvalidInputError(
                f"no series has 3 values before the cut-off {back} values from its end; use fewer windows or a shorter horizon"
            )
        part = panel.select(keep)
        cut = part.cut([int(n - back) for n in part.lengths])
        actual = {
            uid: values[len(values) - back : len(values) - back + horizon] for uid, values in zip(part.ids, part.values)
        }
        folds.append((cut, actual, keep))
    return _evaluate(
        every,
        folds,
        horizon,
        season,
        interval_levels(level) if level is not None else [],
        executor,
        f"rolling origin: {n_windows} cut-off(s), horizon {horizon}, step {step}",
    )


def _models(models) -> list[Forecaster]:
    every = [models] if isinstance(models, Forecaster) else list(models)
    if not every or not all(isinstance(m, Forecaster) for m in every):
        raise InvalidInputError("models must be a forecaster or a list of forecasters")
    aliases = [check_alias(m.alias) for m in every]
    if len(set(aliases)) != len(aliases):
        raise InvalidInputError("two models share an alias; give each its own alias=")
    return every


def _evaluate(models, folds, horizon, season, levels, executor, kind) -> PanelEvaluation:
    jobs, owners = [], []
    for m, model in enumerate(models):
        for f, (cut, _, _) in enumerate(folds):
            for part in _partitions(model, cut, executor):
                jobs.append((model, part, horizon, season, levels))
                owners.append((m, f))
    results = run_tasks(_fit_and_forecast, jobs, executor=executor, label="fits (model x cut-off x partition)")
    rows, score_rows, seconds, failed = [], [], {}, {}
    for m, model in enumerate(models):
        seconds[model.alias], failed[model.alias] = 0.0, []
        for f in range(len(folds)):
            parts = [result for result, owner in zip(results, owners) if owner == (m, f)]
            seconds[model.alias] += sum(took for _, took, _ in parts)
            failed[model.alias] += [
                uid for _, _, failures in parts for uid in failures if uid not in failed[model.alias]
            ]
            rows.append(
                pd.concat([frame for frame, _, _ in parts], ignore_index=True).assign(model=model.alias, fold=f)
            )
    forecasts = _wide(rows, folds, horizon)
    for (cut, actual, _), f in zip(folds, range(len(folds))):
        training = dict(zip(cut.ids, cut.values))
        cutoff_of = dict(zip(cut.ids, [index[-1] for index in cut.index]))
        part = forecasts[forecasts["fold"] == f]
        for model in models:
            for uid, group in part.groupby("unique_id", sort=False):
                predicted = group[model.alias].to_numpy()
                truth = actual[uid]
                if np.isnan(predicted).any():
                    score_rows.append(
                        {
                            "model": model.alias,
                            "unique_id": uid,
                            "cutoff": cutoff_of[uid],
                            "smape": np.nan,
                            "mase": np.nan,
                            "rmse": np.nan,
                        }
                    )
                    continue
                train = training[uid]
                lag = season if len(train) > season else 1
                score_rows.append(
                    {
                        "model": model.alias,
                        "unique_id": uid,
                        "cutoff": cutoff_of[uid],
                        "smape": smape(truth, predicted),
                        "mase": mae(truth, predicted) / seasonal_naive_scale(train, lag),
                        "rmse": rmse(truth, predicted),
                    }
                )
    return PanelEvaluation(kind, forecasts.drop(columns="fold"), pd.DataFrame(score_rows), seconds, failed, levels)


# Series per task when a series-by-series model (a baseline) runs on an executor: enough work to
# outweigh a task's overhead, small enough to spread a panel over many workers.
PARTITION = 64


def _partitions(model: Forecaster, panel, executor) -> list:
    """The panels a model's fit is split into: the whole panel for a global model or in-process,
    else partitions of ``PARTITION`` series (by unique_id), one task each."""
    if executor is None or getattr(model, "fits_panels", False) or len(panel) <= PARTITION:
        return [panel]
    return [panel.select(panel.ids[start : start + PARTITION]) for start in range(0, len(panel), PARTITION)]


def _wide(rows, folds, horizon) -> pd.DataFrame:
    """The models' long frames side by side, with ``cutoff`` and ``y``."""
    merged = None
    for f, (cut, actual, _) in enumerate(folds):
        base = pd.DataFrame(
            {
                "unique_id": np.repeat(cut.ids, horizon),
                "ds": np.concatenate([np.asarray(i) for i in cut.future_index(horizon)]),
                "cutoff": np.repeat([index[-1] for index in cut.index], horizon),
                "y": np.concatenate([actual[uid] for uid in cut.ids]),
                "fold": f,
            }
        )
        for frame in rows:
            if int(frame["fold"].iloc[0]) != f:
                continue
            alias = frame["model"].iloc[0]
            columns = [
                c for c in frame.columns if c == alias or c.startswith(f"{alias}-lo-") or c.startswith(f"{alias}-hi-")
            ]
            base = base.merge(frame[["unique_id", "ds", *columns]], on=["unique_id", "ds"], how="left")
        merged = base if merged is None else pd.concat([merged, base], ignore_index=True)
    return merged


def _fit_and_forecast(model: Forecaster, panel, horizon: int, season: int, levels: list[float]):
    """One model on one panel: its forecast frame (``unique_id, ds, <alias>`` and intervals), the
    seconds it took, and the series it could not forecast. Module level, so an executor can ship
    it to another process."""
    from lstmcast.data import panel_frame

    started = time.perf_counter()
    fitted = clone(model)
    if getattr(fitted, "fits_panels", False):
        if "season" in fitted.get_params() and fitted.season is None:
            fitted.set_params(season=season)
        frame = fitted.fit(panel).predict(horizon, level=levels or None)
        return frame, time.perf_counter() - started, list(getattr(fitted, "fallback_series_", []))
    forecasts, failures = [], []
    for uid, values in zip(panel.ids, panel.values):
        try:
            forecasts.append(clone(model).fit(values).predict(horizon))
        except (InvalidInputError, BaselineFitError):
            forecasts.append(np.full(horizon, np.nan))
            failures.append(uid)
    frame = panel_frame(panel.ids, panel.future_index(horizon), {model.alias: forecasts})
    return frame, time.perf_counter() - started, failures
