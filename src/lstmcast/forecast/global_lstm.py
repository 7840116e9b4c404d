"""``GlobalLSTM``: one network for many series, and its prediction intervals.

Each series is put on a common footing (``lstmcast.transforms.choose_scaling``: a log, seasonal
factors or a scale-free unit, chosen from its own values) and the network learns from windows of
every series, each read relative to its own last value. ``fit`` trains in two steps, each an
ensemble of look-backs, losses and seeds, one compiled program per look-back (its members share
the windows' shape):

1. **Held-back fit.** The network is trained on every window whose target ends before each
   series' last ``horizon`` values, and forecasts those values from there (the validation tail).
   Their loss stops training early (with ``patience``) and says how many epochs to train; their
   errors are the conformal calibration scores of the prediction intervals (per horizon step,
   on the network's normalised footing, so series of any scale pool together).
2. **Final fit.** The same network, trained on every window for the epochs the held-back fit
   chose (each member its own), forecasts from the end of every series.

Forecasts of the members are combined on the normalised footing, then put back in each series'
units; ``level=[80, 95]`` adds split-conformal intervals. Series shorter than ``MIN_LENGTH``
values are forecast by ``Naive2`` instead and listed in ``fallback_series_``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

import jax
import numpy as np

from lstmcast._checks import one_of, positive_int
from lstmcast._checks import season as check_season
from lstmcast.data import Panel
from lstmcast.errors import InvalidInputError
from lstmcast.forecast.base import COMBINATIONS, GlobalForecaster, PanelForecasts, combine_members
from lstmcast.forecast.intervals import conformal_quantiles
from lstmcast.forecast.network import NetworkForecaster
from lstmcast.metrics import seasonal_naive_scales
from lstmcast.nn import ensemble_forward, ensemble_recursive
from lstmcast.train import LOSSES, TrainJob
from lstmcast.transforms import (
    NORMALIZATIONS,
    SeriesScaling,
    Windows,
    choose_scaling,
    cut_windows,
    denormalize,
    normalize,
    training_windows,
)

__all__ = ["LOSS_NAMES", "MIN_LENGTH", "TRAIN_BUDGET", "GlobalLSTM", "within_budget"]

LOSS_NAMES = (*LOSSES, "mase")
"""``GlobalLSTM``'s losses: ``lstmcast.train.LOSSES`` on the normalised footing, and ``"mase"``,
the absolute error of each series divided by MASE's scale of its normalised values (its
in-sample seasonal-naive mean absolute change): the error MASE weighs."""

MIN_LENGTH = 3
"""A series needs this many values for the network (fewer: Naive2, listed as a fallback)."""

TRAIN_BUDGET = 96_000
"""Windows one member sees in training by default (epochs × windows). Measured here (2 cores,
``benchmarks/panel_cli_speed.py``): 1,500 monthly series, h=24, fit and predict in about a minute
with 32 units and batch 64. Most M1/M3 panels need more for 20 epochs (M3 yearly 147,000, M1
monthly 470,000): with the budget they train fewer epochs; ``max_train_windows=None`` trains them
fully (minutes)."""


class GlobalLSTM(NetworkForecaster, GlobalForecaster):
    """One LSTM network trained on many series at once (a global model).

    The defaults are the settings chosen by backtests inside the M1 and M3 competitions'
    training files (``benchmarks/competitions_defaults.py``): a look-back ensemble of one and two
    horizons, 3 seeds each, combined by their median; 32 units, the absolute error scaled per
    series as MASE scales it (``loss="mase"``), batch 64, 20 epochs over every window (fewer under
    the training budget), the whole horizon forecast at once. Only ``horizon`` must be given. The network and
    training parameters are ``NetworkForecaster``'s and ``NetworkEstimator``'s.

    Parameters
    ----------
    horizon : int
        The values forecast after each series; the held-back fit validates and calibrates on
        each series' last ``horizon`` values.
    look_back : int or sequence of int, optional
        Past values each window holds (series shorter than it give shorter windows); a list
        makes a look-back ensemble, one member per look-back, loss and seed. None: ``(horizon,
        2 * horizon)``.
    normalization : {"auto", "log", "level"}, default "auto"
        How each series is put on the common footing (``lstmcast.transforms.choose_scaling``).
    season : int, optional
        The seasonal period the normalisation tests for; None takes it from the data's
        frequency (12 for monthly data, ...).
    max_windows : int, default 10000
        Each series gives at most its most recent ``max_windows`` windows.
    max_train_windows : int, optional
        The training budget: windows one member sees (epochs × windows); above it, fewer epochs
        first, then fewer windows per series (deterministic). None trains every epoch on every
        window.
    loss : str or sequence of str, default "mase"
        The training loss on the normalised footing, one of ``LOSS_NAMES``: ``"mase"`` weighs
        each series' absolute error by one over MASE's scale of its normalised values (floored at
        a tenth of the median scale), the error MASE weighs; ``"mae"`` weighs every window alike.
        A list makes a loss ensemble, one member per look-back, loss and seed.
    combine : {"mean", "median"}, default "median"
        How the members' forecasts are combined (on the normalised footing).
    alias : str, default "lstm"
        The forecast's column name.
    """

    look_back: int | Sequence[int] | None = None
    units: int | Sequence[int] = 32
    epochs: int = 20
    batch_size: int = 64
    loss: str | Sequence[str] = "mase"
    n_seeds: int = 3
    strategy: str = "direct"
    normalization: str = "auto"
    season: int | None = None
    max_windows: int = 10_000
    max_train_windows: int | None = TRAIN_BUDGET
    combine: str = "median"
    alias: str = "lstm"

    fitted_state: ClassVar[tuple[str, ...]] = (
        "fallback_series_",
        "member_look_backs_",
        "calibration_scores_",
        "held_back_",
        "held_back_epochs_",
        "windows_",
    )

    def calibrates_intervals(self) -> bool:
        return True

    def look_backs(self) -> list[int]:
        """The look-backs of the ensemble: ``look_back`` as a list (``(horizon, 2 * horizon)``
        when it is None)."""
        if self.look_back is None:
            horizon = self._horizon()
            return [horizon, 2 * horizon]
        values = list(self.look_back) if isinstance(self.look_back, (list, tuple)) else [self.look_back]
        if not values:
            raise InvalidInputError("look_back is a whole number or a list of them, not an empty list")
        return [positive_int(v, "look_back") for v in values]

    def n_members(self) -> int:
        """Networks in the ensemble: one per look-back, loss and seed."""
        return len(self.look_backs()) * len(self.losses()) * len(self._seeds())

    def _calibration_forecasts(self, panel: Panel) -> tuple[int, str]:
        horizon, lengths = self._horizon(), panel.lengths
        return int(np.sum((lengths >= MIN_LENGTH) & (lengths - horizon >= 1))), "one per series longer than the horizon"

    def held_back_forecasts(self, panel: Panel, horizon: int) -> np.ndarray:
        """Forecasts of each series' last ``horizon`` values by a fit that did not see them: the
        held-back fit's own, when this model was fitted on ``panel`` for ``horizon`` (see
        ``Forecaster.held_back_forecasts``); with ``patience``, the held-back fit chose its epochs
        on these values.

        Parameters
        ----------
        panel : Panel
            The training data.
        horizon : int
            The values held back at the end of each series.

        Returns
        -------
        numpy.ndarray
            ``(series, horizon)``, NaN for series too short to have been held back.
        """
        fitted_here = hasattr(self, "held_back_") and self.panel_ is panel and self.horizon == horizon
        return self.held_back_ if fitted_here else super().held_back_forecasts(panel, horizon)

    def _horizon(self) -> int:
        if self.horizon is None:
            raise InvalidInputError(
                "GlobalLSTM is trained for a horizon (its held-back fit validates and calibrates on each series' "
                "last horizon values): give horizon=H"
            )
        return positive_int(self.horizon, "horizon")

    # -- fitting ---------------------------------------------------------------------------------
    def _fit_panel(self, panel: Panel) -> None:
        started = time.perf_counter()
        horizon, look_backs = self._horizon(), self.look_backs()
        one_of(self.combine, COMBINATIONS, "combine")
        one_of(self.normalization, NORMALIZATIONS, "normalization")
        max_windows = positive_int(self.max_windows, "max_windows")
        budget = None if self.max_train_windows is None else positive_int(self.max_train_windows, "max_train_windows")
        spec, outputs = self._spec(), self._outputs()
        season = panel.season if self.season is None else check_season(self.season)
        lengths = panel.lengths
        short = lengths < MIN_LENGTH
        scalings = [
            None if is_short else choose_scaling(values, season, self.normalization)
            for values, is_short in zip(panel.values, short)
        ]
        zs = _normalized(panel.values, scalings)
        # members: every look-back with every seed; members of one look-back train in one program (padding the
        # shorter windows to the longest look-back would share one program but cost a quarter more arithmetic)
        losses = self.losses()
        members = [(look_back, loss, seed) for look_back in look_backs for loss in losses for seed in self._seeds()]
        config = self._forecaster_training(validating=True)
        planned_epochs, max_windows = within_budget(
            np.where(short, 0, lengths - outputs), config.epochs, max_windows, budget
        )
        config = replace(config, epochs=planned_epochs)

        # 1. held back: train before each series' last `horizon` values, validate on them
        held_ends = np.where(short, 0, lengths - horizon)
        validating = np.flatnonzero(~short & (lengths - horizon >= 1))
        if len(validating) == 0:
            raise InvalidInputError(
                f"no series is longer than horizon={horizon}: nothing is left to validate and calibrate on; "
                "use a shorter horizon"
            )
        windows = {lb: training_windows(zs, lb, outputs, held_ends, max_windows) for lb in look_backs}
        tails = {lb: self._tail_windows(zs, validating, held_ends, lb, horizon) for lb in look_backs}
        weights = {loss: _series_weights(loss, zs, held_ends, season) for loss in losses}
        jobs = [
            TrainJob(
                spec,
                windows[lb].x,
                windows[lb].y,
                replace(config, loss=_per_sample_loss(loss)),
                seed=seed,
                lengths=windows[lb].lengths,
                sample_weight=_window_weights(weights[loss], windows[lb]),
                validation_data=(
                    tails[lb].x,
                    tails[lb].y,
                    tails[lb].lengths,
                    _window_weights(weights[loss], tails[lb]),
                ),
            )
            for lb, loss, seed in members
        ]
        held = self._train(jobs)
        held_back_count = len(windows[look_backs[0]].x)
        self.spec_, self.params_ = spec, held.params
        self.member_look_backs_ = np.array([lb for lb, _, _ in members])
        starts = held_ends[validating]
        predicted = self._forecast_normalized([zs[k] for k in validating], starts, horizon)  # (members, series, h)
        truth = np.stack([zs[k][t : t + horizon] - zs[k][t - 1] for k, t in zip(validating, starts)])
        combined = combine_members(predicted, self.combine)
        self.calibration_scores_ = np.abs(combined - truth)
        self.held_back_ = np.full((len(panel), horizon), np.nan)  # the same forecasts, in each series' units
        for row, (k, t) in enumerate(zip(validating, starts)):
            self.held_back_[k] = denormalize(zs[k][t - 1] + combined[row], scalings[k], np.arange(t, t + horizon))

        # 2. final: every window, each member for the epochs its held-back twin chose
        epochs = (held.best_epoch + 1) if config.early_stopping is not None else np.full(len(members), config.epochs)
        full = {lb: training_windows(zs, lb, outputs, np.where(short, 0, lengths), max_windows) for lb in look_backs}
        weights = {loss: _series_weights(loss, zs, np.where(short, 0, lengths), season) for loss in losses}
        jobs = [
            TrainJob(
                spec,
                full[lb].x,
                full[lb].y,
                replace(held_job.config, epochs=int(epoch), early_stopping=None),
                seed=seed,
                lengths=full[lb].lengths,
                sample_weight=_window_weights(weights[loss], full[lb]),
            )
            for (lb, loss, seed), held_job, epoch in zip(members, jobs, np.maximum(epochs, 1))
        ]
        final = self._train(jobs)
        self.params_ = jax.tree_util.tree_map(np.asarray, final.params)
        self.scalings_ = scalings
        self.fallback_series_ = [panel.ids[k] for k in np.flatnonzero(short)]
        self._keep_training(final)
        self.history_ = {"held_back": held.history, "final": final.history}
        self.held_back_epochs_ = np.asarray(held.epochs_run)
        self.train_seconds_ = time.perf_counter() - started
        self.windows_ = {
            "held_back": held_back_count,
            "final": len(full[look_backs[0]].x),
            "validation_series": len(validating),
            "max_windows": int(max_windows),
            "epochs": int(planned_epochs),
        }

    def losses(self) -> list[str]:
        """The losses of the ensemble: ``loss`` as a list (a loss ensemble has members of each)."""
        values = list(self.loss) if isinstance(self.loss, (list, tuple)) else [self.loss]
        if not values:
            raise InvalidInputError(f"loss is one of {LOSS_NAMES} or a list of them, not an empty list")
        return [one_of(v, LOSS_NAMES, "loss") for v in values]

    def _training_loss(self) -> str:
        return _per_sample_loss(self.losses()[0])

    def _tail_windows(self, zs, validating, ends, look_back, horizon) -> Windows:
        """The validation windows: from each validated series' held-back end, its last
        ``horizon`` values (one window for a direct network, one per step for a one-step one)."""
        chosen = [zs[k] for k in validating]
        if self._outputs() == horizon:
            return cut_windows(chosen, look_back, horizon, [np.array([ends[k]]) for k in validating])
        return cut_windows(chosen, look_back, 1, [np.arange(ends[k], ends[k] + horizon) for k in validating])

    # -- forecasting -----------------------------------------------------------------------------
    def _forecast_normalized(self, zs: list[np.ndarray], starts: np.ndarray, horizon: int) -> np.ndarray:
        """Each member's forecast of ``horizon`` values after position ``starts[k]`` of every
        normalised series, relative to the value before it: ``(members, series, horizon)``.
        Members with the same look-back run in one call."""
        look_backs = self.member_look_backs_
        out = np.zeros((len(look_backs), len(zs), horizon))
        cutoffs = [np.array([t]) for t in starts]
        for look_back in np.unique(look_backs):
            chosen = np.flatnonzero(look_backs == look_back)
            params = jax.tree_util.tree_map(lambda a, chosen=chosen: np.asarray(a)[chosen], self.params_)
            windows = cut_windows(zs, int(look_back), horizon, cutoffs, targets=False)
            if self.strategy == "direct":
                outputs = ensemble_forward(self.spec_, params, windows.x, windows.lengths)
                out[chosen] = np.asarray(outputs, np.float64)[:, :, :horizon]
            else:  # each member fed its own forecasts, all series at once
                recursive = ensemble_recursive(
                    self.spec_, params, windows.x[:, :, 0], horizon, lengths=windows.lengths, relative=True
                )
                out[chosen] = np.asarray(recursive, np.float64)
        return out

    def _usable(self, panel: Panel) -> tuple[list[int], list[SeriesScaling | None]]:
        """The scalings of ``panel``'s series (the fitted panel's, by id) and which have one."""
        position = {uid: k for k, uid in enumerate(self.panel_.ids)}
        scalings = [self.scalings_[position[uid]] for uid in panel.ids]
        return [k for k, s in enumerate(scalings) if s is not None], scalings

    def _forecast_panel(self, panel: Panel, horizon: int, levels: list[float]) -> PanelForecasts:
        horizon = positive_int(horizon, "horizon")
        if horizon > self._horizon():
            raise InvalidInputError(
                f"this model was trained for horizon={self.horizon}; refit with horizon={horizon} to forecast further"
            )
        usable, scalings = self._usable(panel)
        zs = _normalized([panel.values[k] for k in usable], [scalings[k] for k in usable])
        relative = self._forecast_normalized(zs, np.array([len(z) for z in zs]), horizon)  # (members, series, h)
        center = combine_members(relative, self.combine)
        half = conformal_quantiles(self.calibration_scores_[:, :horizon], levels) if levels else {}
        out = _fallbacks(panel, horizon, len(relative), levels, scalings)
        for row, k in enumerate(usable):
            z, scaling = zs[row], scalings[k]
            positions = np.arange(len(z), len(z) + horizon)

            def back(d, z=z, scaling=scaling, positions=positions):
                return denormalize(z[-1] + d, scaling, positions)

            out.point[k] = back(center[row])
            out.members[k] = np.stack([back(member) for member in relative[:, row]])
            for level in levels:
                out.lower[level][k] = back(center[row] - half[level])
                out.upper[level][k] = back(center[row] + half[level])
        return out

    def _one_step_panel(self, new: list[np.ndarray], include_history: bool) -> PanelForecasts:
        panel = self.panel_
        usable, scalings = self._usable(panel)
        out = _fallbacks(panel, 0, len(self.member_look_backs_), [], scalings, new, include_history)
        if usable:
            joined = [np.concatenate([panel.values[k], new[k]]) for k in usable]
            zs = _normalized(joined, [scalings[k] for k in usable])
            first = [1 if include_history else len(panel.values[k]) for k in usable]
            cutoffs = [np.arange(f, len(z)) for f, z in zip(first, zs)]
            look_backs = self.member_look_backs_
            deltas = np.zeros((len(look_backs), sum(len(c) for c in cutoffs)))
            for look_back in np.unique(look_backs):  # one-step: the network's first output, from each cut-off
                chosen = np.flatnonzero(look_backs == look_back)
                params = jax.tree_util.tree_map(lambda a, chosen=chosen: np.asarray(a)[chosen], self.params_)
                windows = cut_windows(zs, int(look_back), 1, cutoffs, targets=False)
                deltas[chosen] = np.asarray(ensemble_forward(self.spec_, params, windows.x, windows.lengths))[:, :, 0]
            center = combine_members(deltas, self.combine)
            starts = np.cumsum([0] + [len(c) for c in cutoffs])
            for row, k in enumerate(usable):
                z, ts, part = zs[row], cutoffs[row], slice(starts[row], starts[row + 1])
                level = z[ts - 1]

                def back(d, level=level, scaling=scalings[k], ts=ts):
                    return denormalize(level + d, scaling, ts)

                n_train = len(panel.values[k])
                point, members = back(center[part]), np.stack([back(d[part]) for d in deltas])
                split = len(ts) - len(new[k])
                out.point[k], out.members[k] = point[split:], members[:, split:]
                if include_history:  # NaN for the first value, which no window precedes
                    out.history_point[k] = np.concatenate([[np.nan] * (n_train - split), point[:split]])
                    out.history[k] = np.concatenate(
                        [np.full((len(members), n_train - split), np.nan), members[:, :split]], axis=1
                    )
        return out

    def _fitted_state(self) -> dict[str, Any]:
        state = super()._fitted_state()
        state["panel_"] = self.panel_.to_data()
        state["scalings_"] = [None if s is None else s.to_data() for s in self.scalings_]
        return state

    def _restore(self, state: dict[str, Any]) -> None:
        super()._restore(state)
        self.panel_ = Panel.from_data(state["panel_"])
        self.scalings_ = [None if s is None else SeriesScaling(**s) for s in state["scalings_"]]


def within_budget(available: np.ndarray, epochs: int, max_windows: int, budget: int | None) -> tuple[int, int]:
    """``(epochs, max_windows)`` so that one member sees at most ``budget`` windows in training.

    Fewer epochs first (at least one), then fewer windows per series (each series' most recent,
    the same cap for all, at least one each). Deterministic: the same panel always gets the same
    epochs and cap.

    Parameters
    ----------
    available : numpy.ndarray
        Each series' training windows.
    epochs : int
        The epochs asked for.
    max_windows : int
        The cap on windows per series asked for.
    budget : int or None
        Windows one member may see (epochs × windows); None for no budget.

    Returns
    -------
    (int, int)
        The epochs and the cap on windows per series to train with.
    """
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


def _per_sample_loss(loss: str) -> str:
    """The per-sample loss (``lstmcast.train.LOSSES``) a loss of ``LOSS_NAMES`` trains with."""
    return "mae" if loss == "mase" else loss


def _series_weights(loss: str, zs: list[np.ndarray], ends: np.ndarray, season: int) -> np.ndarray | None:
    """Each series' weight in ``loss``: for ``"mase"``, one over MASE's scale of its normalised
    values before ``ends[k]`` (``lstmcast.metrics.seasonal_naive_scales``), no smaller than a tenth
    of the median scale, so that a near-constant series cannot take the whole loss; None (every
    window alike) for the other losses."""
    if loss != "mase":
        return None
    scored = [k for k, end in enumerate(ends) if end >= 2]
    scales = np.full(len(zs), np.nan)
    scales[scored] = seasonal_naive_scales([zs[k][: ends[k]] for k in scored], season)
    positive = scales[scales > 0]
    typical = float(np.median(positive)) if len(positive) else 1.0
    return 1.0 / np.where(np.isnan(scales), typical, np.maximum(scales, 0.1 * typical))


def _window_weights(series_weights: np.ndarray | None, windows: Windows) -> np.ndarray | None:
    """Each window's loss weight, its series' weight, scaled to a mean of 1 over ``windows`` (so
    the learning rate means what it means unweighted); None for unweighted training."""
    if series_weights is None:
        return None
    weights = series_weights[windows.series]
    return weights / weights.mean()


def _normalized(values: Sequence[np.ndarray], scalings: Sequence[SeriesScaling | None]) -> list[np.ndarray]:
    return [np.zeros(0) if s is None else normalize(v, s) for v, s in zip(values, scalings)]


def _fallbacks(
    panel: Panel,
    horizon: int,
    n_members: int,
    levels: list[float],
    scalings: list[SeriesScaling | None],
    new: list[np.ndarray] | None = None,
    include_history: bool = False,
) -> PanelForecasts:
    """Forecasts with every series too short for the network filled in by ``Naive2`` (every
    member the same, no interval) and listed as failed; the other series left to fill."""
    from lstmcast.forecast.baselines import Naive2

    out = PanelForecasts(point=[None] * len(panel), members=[None] * len(panel))
    out.lower = {level: [None] * len(panel) for level in levels}
    out.upper = {level: [None] * len(panel) for level in levels}
    if include_history:
        out.history, out.history_point = [None] * len(panel), [None] * len(panel)
    for k, scaling in enumerate(scalings):
        if scaling is not None:
            continue
        naive = Naive2(season=1).fit(panel.values[k])
        if new is None:
            forecast = naive.predict(horizon)
        else:
            path = naive.predict_one_step(new[k], include_history=include_history)
            forecast = path[len(path) - len(new[k]) :]
            if include_history:
                out.history_point[k] = path[: len(path) - len(new[k])]
                out.history[k] = np.repeat(out.history_point[k][None, :], n_members, axis=0)
        out.point[k], out.members[k] = forecast, np.repeat(forecast[None, :], n_members, axis=0)
        for level in levels:
            out.lower[level][k] = out.upper[level][k] = np.full(horizon, np.nan)
        out.failed.append(panel.ids[k])
    return out
