"""Time-ordered cross-validation folds: every fold trains on the past and is scored on what follows.

scikit-learn's default ``KFold`` (what the tutorials' ``GridSearchCV`` uses) trains on the future
to predict the past; forecasting needs rolling origins instead: fold ``k`` trains on the data
before its cut-off (all of it, *expanding*, or the last ``train_size`` points, *sliding*), skips
``gap`` points, and is scored on the next ``size`` points; the last fold ends where the data end.
"""

from __future__ import annotations

from dataclasses import dataclass

from lstmcast._checks import non_negative_int, one_of, positive_int
from lstmcast.errors import InvalidInputError

WINDOWS = ("expanding", "sliding")


@dataclass(frozen=True)
class Fold:
    """Train on ``y[train_start:train_end]``, score the points ``y[test_start:test_end]``
    (``test_start = train_end + gap``)."""

    train_start: int
    train_end: int
    test_start: int
    test_end: int


@dataclass(frozen=True)
class RollingOrigin:
    """``n_folds`` rolling-origin folds of ``size`` points each (default: one season, at least 2
    points), ``window`` ``"expanding"`` or ``"sliding"`` (then ``train_size`` points, default all
    that the first fold has), ``gap`` points skipped between training and scoring."""

    n_folds: int = 3
    size: int | None = None
    window: str = "expanding"
    train_size: int | None = None
    gap: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "n_folds", positive_int(self.n_folds, "n_folds"))
        if self.size is not None:
            object.__setattr__(self, "size", positive_int(self.size, "fold size"))
        one_of(self.window, WINDOWS, "window")
        if self.train_size is not None:
            object.__setattr__(self, "train_size", positive_int(self.train_size, "train_size"))
            if self.window != "sliding":
                raise InvalidInputError("train_size sets the length of a sliding window; pass window='sliding'")
        object.__setattr__(self, "gap", non_negative_int(self.gap, "gap"))

    def folds(self, n: int, season: int = 1, min_train: int = 2) -> list[Fold]:
        """The folds of a series of ``n`` points, oldest first."""
        size = self.size if self.size is not None else max(2, season)
        first_end = n - self.n_folds * size - self.gap
        train = first_end if self.train_size is None else self.train_size
        if first_end < min_train or train > first_end:
            raise InvalidInputError(
                f"{n} points are too few for {self.n_folds} folds of {size} points after a gap of {self.gap} "
                f"with at least {max(min_train, train)} training points; use fewer or smaller folds"
            )
        folds = []
        for k in range(self.n_folds):
            train_end = first_end + k * size
            start = 0 if self.window == "expanding" else train_end - train
            folds.append(Fold(start, train_end, train_end + self.gap, train_end + self.gap + size))
        return folds
