"""Where evaluations cut the data: rolling origins, the one definition every evaluation uses.

scikit-learn's default ``KFold`` (what the tutorials' ``GridSearchCV`` uses) trains on the future
to predict the past; forecasting needs rolling origins instead. Window ``k`` of ``n_windows``
trains on the values before its cut-off (all of them, *expanding*, or the last ``train_size``,
*sliding*), skips ``gap`` values, and is scored on the next ``horizon``; cut-offs are ``step``
apart and the last window ends where the series ends. Walk-forward evaluation is one window
whose horizon is the test part, scored one step at a time; a backtest and a panel's
cross-validation are several, scored from each cut-off; a search scores its configurations on
them. Series of a panel are cut at the same distance from their own ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from lstmcast._checks import non_negative_int, one_of, positive_int
from lstmcast.errors import InvalidInputError

__all__ = ["MIN_TRAIN", "WINDOWS", "Fold", "RollingOrigin"]

WINDOWS = ("expanding", "sliding")
MIN_TRAIN = 3
"""The fewest values a model is fitted on before a cut-off (a panel's shorter series sit that
window out)."""


@dataclass(frozen=True)
class Fold:
    """One window: train on ``y[train_start:train_end]``, score ``y[test_start:test_end]``.

    Attributes
    ----------
    train_start : int
        The first value trained on.
    train_end : int
        The cut-off: the end (exclusive) of the values trained on.
    test_start : int
        The first value scored: ``train_end + gap``.
    test_end : int
        The end (exclusive) of the values scored.
    """

    train_start: int
    train_end: int
    test_start: int
    test_end: int


@dataclass(frozen=True, kw_only=True)
class RollingOrigin:
    """Rolling-origin windows over a series.

    Parameters
    ----------
    horizon : int, optional
        Values scored after each cut-off (and the gap). None: one season, at least 2 (what a
        search scores by default); the evaluations always give it.
    n_windows : int, default 1
        How many cut-offs.
    step : int, optional
        Values between consecutive cut-offs; None: ``horizon`` (windows side by side).
    gap : int, default 0
        Values skipped between a cut-off and the values scored.
    window : {"expanding", "sliding"}, default "expanding"
        Train on everything before the cut-off, or on the last ``train_size`` values.
    train_size : int, optional
        ``window="sliding"``: the values each window trains on (default: what the first has).
    """

    horizon: int | None = None
    n_windows: int = 1
    step: int | None = None
    gap: int = 0
    window: str = "expanding"
    train_size: int | None = None

    def __post_init__(self) -> None:
        if self.horizon is not None:
            object.__setattr__(self, "horizon", positive_int(self.horizon, "horizon"))
        object.__setattr__(self, "n_windows", positive_int(self.n_windows, "n_windows"))
        if self.step is not None:
            object.__setattr__(self, "step", positive_int(self.step, "step"))
        object.__setattr__(self, "gap", non_negative_int(self.gap, "gap"))
        one_of(self.window, WINDOWS, "window")
        if self.train_size is not None:
            object.__setattr__(self, "train_size", positive_int(self.train_size, "train_size"))
            if self.window != "sliding":
                raise InvalidInputError("train_size sets the length of a sliding window; pass window='sliding'")

    def size(self, season: int = 1) -> int:
        """The values scored per window: ``horizon``, or one season (at least 2) without it."""
        return self.horizon if self.horizon is not None else max(2, season)

    def folds(self, n: int, *, season: int = 1, min_train: int = MIN_TRAIN, strict: bool = True) -> list[Fold | None]:
        """The windows of a series of ``n`` values, oldest first.

        Parameters
        ----------
        n : int
            The series' length.
        season : int, default 1
            Its seasonal period (the default window size).
        min_train : int, default MIN_TRAIN
            The fewest values a window may train on.
        strict : bool, default True
            Raise when a window has too little to train on; else that window is None (a panel's
            short series sits it out).

        Returns
        -------
        list of Fold or None
        """
        size = self.size(season)
        step = size if self.step is None else self.step
        last_cut = n - size - self.gap
        cutoffs = [last_cut - (self.n_windows - 1 - k) * step for k in range(self.n_windows)]
        train = cutoffs[0] if self.train_size is None else self.train_size
        if strict and (cutoffs[0] < min_train or train > cutoffs[0]):
            raise InvalidInputError(
                f"{n} values are too few for {self.n_windows} window(s) of {size} values, {step} apart, after a gap "
                f"of {self.gap}, with at least {max(min_train, train)} values to train on; use fewer or smaller windows"
            )
        folds: list[Fold | None] = []
        for cut in cutoffs:
            start = 0 if self.window == "expanding" else cut - train
            fits = cut >= min_train and start >= 0 and cut - start >= min_train
            folds.append(Fold(start, cut, cut + self.gap, cut + self.gap + size) if fits else None)
        return folds

    def describe(self, season: int = 1) -> str:
        """The windows in words, for tables and reports."""
        size = self.size(season)
        step = size if self.step is None else self.step
        gap = f", a gap of {self.gap}" if self.gap else ""
        sliding = f", sliding over {self.train_size} values" if self.window == "sliding" and self.train_size else ""
        return f"{self.n_windows} cut-off(s), {size} values each, {step} apart{gap}{sliding}"
