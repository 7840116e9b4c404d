"""``LSTMForecaster`` on a panel: one global network for many series, and its intervals.

``fit_panel`` trains in two steps, both compiled as ensembles of seeds in one program:

1. **Held-back fit.** The network is trained on every window whose target ends before each
   series' last ``horizon`` values, and forecasts those values from there (the validation tail).
   Their loss stops training early (with ``patience``) and says how many epochs to train; their
   errors are the conformal calibration scores of the prediction intervals (per horizon step,
   on the network's normalised footing, so series of any scale pool together).
2. **Final fit.** The same network, trained on every window for the epochs the held-back fit
   chose (each seed its own), forecasts from the end of every series.

Forecasts of the members are averaged on the normalised footing, then put back in each series'
units (``lstmcast.forecast.panel.denormalize``); ``level=[80, 95]`` adds split-conformal
intervals. Series shorter than ``min_length`` values are forecast by ``Naive2`` instead and listed
in ``fallback_series_`` (the CLI says so).
"""

from __future__ import annotations

import copy
import time
from dataclasses import replace

import numpy as np

from lstmcast._checks import one_of, positive_int
from lstmcast._checks import season as check_season
from lstmcast.errors import InvalidInputError
from lstmcast.forecast.base import interval_levels
from lstmcast.forecast.panel import (
    Windows,
    choose_scaling,
    conformal_quantiles,
    cut_windows,
    denormalize,
    normalize,
    training_windows,
)

# A series needs this many values for the global model (fewer: Naive2, listed as a fallback).
MIN_LENGTH = 3
COMBINATIONS = ("mean", "median")


def calibrating(lengths: np.ndarray, horizon: int) -> np.ndarray:
    """Which series validate and calibrate: those the network forecasts with at least one value
    before their last ``horizon``."""
    return (lengths >= MIN_LENGTH) & (lengths - horizon >= 1)


def fit_panel(model, panel) -> None:
    """Fit ``model`` (an ``LSTMForecaster``) on ``panel`` (a ``lstmcast.data.Panel``): see the
    module docstring. Sets the fitted attributes the panel methods read."""
    from lstmcast.train import TrainConfig, TrainJob, TrainResult, fit_jobs

    started = time.perf_counter()
    if model.horizon is None:
        raise InvalidInputError(
            "a panel model is trained for a horizon (its validation tail and intervals use it): give horizon=H"
        )
    horizon = positive_int(model.horizon, "horizon")
    look_backs = look_backs_of(model)
    one_of(model.combine, COMBINATIONS, "combine")
    max_windows = positive_int(model.max_windows, "max_windows")
    budget = None if model.max_train_windows is None else positive_int(model.max_train_windows, "max_train_windows")
    spec, outputs = model._spec(), model._outputs()
    season = panel.season if model.season is None else check_season(model.season)
    lengths = panel.lengths
    short = lengths < MIN_LENGTH
    scalings = [
        choose_scaling(values, season, model.normalization) if not is_short else None
        for values, is_short in zip(panel.values, short)
    ]
    zs = [
        normalize(values, scaling) if scaling is not None else np.zeros(0)
        for values, scaling in zip(panel.values, scalings)
    ]
    # members: every look-back with every seed, windows padded to the longest look-back (one program)
    members = [(look_back, model.seed + k) for look_back in look_backs for k in range(model.n_members)]
    widest = max(look_backs)
    verbose = model.verbose
    config = model._train_config(validating=True)
    planned_epochs, max_windows = within_budget(
        np.where(short, 0, lengths - outputs), config.epochs, max_windows, budget
    )
    config = replace(config, epochs=planned_epochs)

    # 1. held back: train before each series' last `horizon` values, validate on them
    held_ends = np.where(short, 0, lengths - horizon)
    validating = np.flatnonzero(calibrating(lengths, horizon))
    if len(validating) == 0:
        raise InvalidInputError(
            f"no series is longer than horizon={horizon}: nothing is left to validate and calibrate on; use a shorter horizon"
        )
    jobs = []
    for look_back, seed in members:
        train = _padded(training_windows(zs, look_back, outputs, held_ends, max_windows), widest)
        tail = _padded(_tail_windows(zs, validating, held_ends, look_back, outputs, horizon), widest)
        jobs.append(
            TrainJob(
                spec,
                train.x,
                train.y,
                config,
                seed=seed,
                lengths=train.lengths,
                validation_data=(tail.x, tail.y, tail.lengths),
            )
        )
    held = TrainResult.stack(fit_jobs(jobs, verbose=verbose))
    model.spec_, model.params_, model.member_look_backs_ = spec, held.params, np.array([lb for lb, _ in members])
    starts = held_ends[validating]
    predicted = _forecast_normalized(model, [zs[k] for k in validating], starts, horizon)  # (members, series, horizon)
    truth = np.stack([zs[k][t : t + horizon] - zs[k][t - 1] for k, t in zip(validating, starts)])
    model.calibration_scores_ = np.abs(combine(predicted, model.combine) - truth)

    # 2. final: every window, each member for the epochs its held-back twin chose
    epochs = (held.best_epoch + 1) if config.early_stopping is not None else np.full(len(members), config.epochs)
    final_config = {
        name: getattr(config, name)
        for name in ("batch_size", "shuffle", "loss", "optimizer", "learning_rate", "lr_schedule")
    }
    jobs, full = [], None
    for (look_back, seed), epoch in zip(members, np.maximum(epochs, 1)):
        full = _padded(training_windows(zs, look_back, outputs, np.where(short, 0, lengths), max_windows), widest)
        jobs.append(
            TrainJob(
                spec, full.x, full.y, TrainConfig(epochs=int(epoch), **final_config), seed=seed, lengths=full.lengths
            )
        )
    final = TrainResult.stack(fit_jobs(jobs, verbose=verbose))
    model.params_ = final.params
    model.panel_ = panel
    model.scalings_ = scalings
    model.fallback_series_ = [panel.ids[k] for k in np.flatnonzero(short)]
    model.history_ = {"held_back": held.history, "final": final.history}
    model.epochs_run_ = np.asarray(final.epochs_run)
    model.held_back_epochs_ = np.asarray(held.epochs_run)
    model.train_seconds_ = time.perf_counter() - started
    model.windows_ = {
        "held_back": len(jobs[0].x),
        "final": len(full.x),
        "validation_series": int(len(validating)),
        "max_windows": int(max_windows),
        "epochs": int(planned_epochs),
    }


def within_budget(available: np.ndarray, epochs: int, max_windows: int, budget: int | None) -> tuple[int, int]:
    """``(epochs, max_windows)`` so that one member sees at most ``budget`` windows in training
    (epochs × windows), given each series' ``available`` windows: fewer epochs first (at least
    one), then fewer windows per series (each series' most recent, the same cap for all, at least
    one each). Deterministic: the same panel always gets the same plan."""
    available = np.maximum(np.asarray(available, dtype=np.int64), 0)
    total = int(np.minimum(available, max_windows).sum())
    if budget is None or total * epochs <= budget:
        return epochs, max_windows
    if total <= budget:
        return max(1, budget // total), max_windows
    low, high = 1, max_windows  # the largest per-series cap whose total fits (at least 1)
    while low < high:
        middle = (low + high + 1) // 2
        if int(np.minimum(available, middle).sum()) <= budget:
            low = middle
        else:
            high = middle - 1
    return 1, low


def look_backs_of(model) -> list[int]:
    """The model's look-back, or its look-backs (a list: one ensemble member per look-back and seed)."""
    values = model.look_back if isinstance(model.look_back, (list, tuple)) else [model.look_back]
    if not values:
        raise InvalidInputError("look_back is a whole number or a list of them, not an empty list")
    return [positive_int(v, "look_back") for v in values]


def combine(forecasts: np.ndarray, how: str) -> np.ndarray:
    """The members' forecasts ``(members, ...)`` combined into one: their mean or median."""
    return np.median(forecasts, axis=0) if how == "median" else forecasts.mean(axis=0)


def _padded(windows: Windows, steps: int) -> Windows:
    """``windows`` with their inputs padded at the end to ``steps`` (their lengths say where they end)."""
    extra = steps - windows.x.shape[1]
    if extra == 0:
        return windows
    return replace(windows, x=np.pad(windows.x, ((0, 0), (0, extra), (0, 0))))


def _tail_windows(zs, validating, ends, look_back, outputs, horizon) -> Windows:
    """The validation windows: from each validated series' held-back end, its last ``horizon``
    values (one window for a direct network, one per step for a one-step network)."""
    if outputs == horizon:
        return cut_windows([zs[k] for k in validating], look_back, horizon, [np.array([ends[k]]) for k in validating])
    return cut_windows(
        [zs[k] for k in validating], look_back, 1, [np.arange(ends[k], ends[k] + horizon) for k in validating]
    )


def _forecast_normalized(model, zs: list[np.ndarray], starts: np.ndarray, horizon: int) -> np.ndarray:
    """Each member's forecast of ``horizon`` values after position ``starts[k]`` of every series,
    relative to the value before it: ``(members, series, horizon)``. Members with the same
    look-back run in one call."""
    from lstmcast.nn import ensemble_forward

    look_backs = model.member_look_backs_
    widest = int(look_backs.max())
    out = np.zeros((len(look_backs), len(zs), horizon))
    for look_back in np.unique(look_backs):
        chosen = np.flatnonzero(look_backs == look_back)
        params = _members(model.params_, chosen)
        if model.strategy == "direct":
            windows = _padded(
                cut_windows(zs, int(look_back), horizon, [np.array([t]) for t in starts], targets=False), widest
            )
            out[chosen] = np.asarray(ensemble_forward(model.spec_, params, windows.x, windows.lengths), np.float64)[
                :, :, :horizon
            ]
            continue
        # recursive: each member fed its own forecasts, all series at once
        for row, member in enumerate(chosen):
            paths = [z[:t].copy() for z, t in zip(zs, starts)]
            for _ in range(horizon):
                windows = _padded(
                    cut_windows(paths, int(look_back), 1, [np.array([len(p)]) for p in paths], targets=False), widest
                )
                delta = np.asarray(
                    ensemble_forward(model.spec_, _members(params, [row]), windows.x, windows.lengths), np.float64
                )[0, :, 0]
                paths = [np.append(path, path[-1] + d) for path, d in zip(paths, delta)]
            out[member] = np.stack([p[t:] - z[t - 1] for p, z, t in zip(paths, zs, starts)])
    return out


def _members(params, chosen) -> dict:
    import jax

    return jax.tree_util.tree_map(lambda a: np.asarray(a)[np.asarray(chosen)], params)


# Series per task when a panel's forecasts are computed on an executor.
PARTITION = 256


def predict_panel(model, horizon: int, *, level: list[float] | None = None, members: bool = False, executor=None):
    """The long frame ``unique_id, ds, <alias>`` (and ``<alias>-lo-<level>``, ``<alias>-hi-<level>``
    per level; ``<alias>-member-k`` with ``members``) for the ``horizon`` values after every series.
    With an ``executor``, partitions of ``PARTITION`` series (by unique_id) are forecast as tasks
    of their own, each by a copy of the model holding only its series; the frame is the same."""
    import pandas as pd

    from lstmcast._tasks import run_tasks

    panel = model.panel_
    if executor is None or len(panel) <= PARTITION:
        return _predict_partition(model, horizon, level, members)
    parts = []
    for start in range(0, len(panel), PARTITION):
        part = copy.copy(model)
        part.panel_ = panel.select(panel.ids[start : start + PARTITION])
        part.scalings_ = model.scalings_[start : start + PARTITION]
        parts.append((part, horizon, level, members))
    return pd.concat(
        run_tasks(_predict_partition, parts, executor=executor, label="forecast partitions"), ignore_index=True
    )


def _predict_partition(model, horizon: int, level: list[float] | None, members: bool):
    from lstmcast.data import panel_frame
    from lstmcast.forecast.baselines import Naive2

    horizon = positive_int(horizon, "horizon")
    if horizon > model.horizon:
        raise InvalidInputError(
            f"this panel model was trained for horizon={model.horizon}; refit with horizon={horizon} to forecast further"
        )
    panel, alias = model.panel_, model.alias
    levels = [] if level is None else interval_levels(level)
    usable = [k for k, s in enumerate(model.scalings_) if s is not None]
    zs = [normalize(panel.values[k], model.scalings_[k]) for k in usable]
    ends = np.array([len(z) for z in zs])
    relative = _forecast_normalized(model, zs, ends, horizon)  # (members, series, horizon)
    mean = combine(relative, model.combine)
    half = conformal_quantiles(model.calibration_scores_[:, :horizon], levels) if levels else {}
    columns: dict[str, list] = {alias: [None] * len(panel)}
    for lv in levels:
        columns[f"{alias}-lo-{_name(lv)}"] = [None] * len(panel)
        columns[f"{alias}-hi-{_name(lv)}"] = [None] * len(panel)
    if members:
        for m in range(len(relative)):
            columns[f"{alias}-member-{m}"] = [None] * len(panel)
    for row, k in enumerate(usable):
        z, scaling = zs[row], model.scalings_[k]
        positions = np.arange(len(z), len(z) + horizon)
        back = lambda d: denormalize(z[-1] + d, scaling, positions)  # noqa: E731
        columns[alias][k] = back(mean[row])
        for lv in levels:
            columns[f"{alias}-lo-{_name(lv)}"][k] = back(mean[row] - half[lv])
            columns[f"{alias}-hi-{_name(lv)}"][k] = back(mean[row] + half[lv])
        if members:
            for m in range(len(relative)):
                columns[f"{alias}-member-{m}"][k] = back(relative[m, row])
    for k, scaling in enumerate(model.scalings_):
        if scaling is None:  # too short for the network: Naive2, no interval
            naive = Naive2(season=1).fit(panel.values[k]).predict(horizon)
            for name in columns:
                columns[name][k] = (
                    naive if name == alias or name.startswith(f"{alias}-member-") else np.full(horizon, np.nan)
                )
    return panel_frame(panel.ids, panel.future_index(horizon), columns)


def _name(level: float) -> str:
    return f"{level:g}"
