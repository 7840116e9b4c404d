"""RollingOrigin: the one definition of where every evaluation and every search cuts the data.

The expected index ranges are worked out by hand in each test, from the rule in words: the last
window ends where the series ends, windows are ``step`` apart (default: ``horizon``), each scores
``horizon`` values after skipping ``gap`` values after its cut-off, and trains on everything before
the cut-off (expanding) or on the ``train_size`` values before it (sliding).
"""

import pytest

from lstmcast import search
from lstmcast.errors import InvalidInputError
from lstmcast.evaluate import MIN_TRAIN, Fold, RollingOrigin

N = 40


def spans(folds):
    return [None if f is None else (f.train_start, f.train_end, f.test_start, f.test_end) for f in folds]


def test_expanding_windows_side_by_side_end_with_the_series():
    # horizon 4, 3 windows, step = horizon: scored 28..32, 32..36, 36..40; each trains on 0..cut-off
    folds = RollingOrigin(horizon=4, n_windows=3).folds(N)
    assert spans(folds) == [(0, 28, 28, 32), (0, 32, 32, 36), (0, 36, 36, 40)]
    assert all(isinstance(f, Fold) for f in folds)


def test_a_step_shorter_than_the_horizon_overlaps_the_windows():
    # horizon 4, step 2: cut-offs 36, 34, 32 counted back from the last, scored up to 4 values after each
    folds = RollingOrigin(horizon=4, n_windows=3, step=2).folds(N)
    assert spans(folds) == [(0, 32, 32, 36), (0, 34, 34, 38), (0, 36, 36, 40)]


def test_a_step_longer_than_the_horizon_leaves_values_between_windows():
    # horizon 3, step 5: the last scores 37..40 (cut-off 37), the one before cut-off 32 scores 32..35
    folds = RollingOrigin(horizon=3, n_windows=2, step=5).folds(N)
    assert spans(folds) == [(0, 32, 32, 35), (0, 37, 37, 40)]


def test_a_gap_is_skipped_between_the_cutoff_and_the_scored_values():
    # horizon 5, gap 2: the last window scores 35..40 and trains up to 33 (33, 34 are the gap);
    # the one before is 5 earlier: trains up to 28, scores 30..35
    folds = RollingOrigin(horizon=5, n_windows=2, gap=2).folds(N)
    assert spans(folds) == [(0, 28, 30, 35), (0, 33, 35, 40)]


def test_sliding_windows_train_on_a_fixed_length():
    # horizon 5, gap 2, train_size 10: the cut-offs of the gap test, each training on the 10 values before it
    folds = RollingOrigin(horizon=5, n_windows=2, gap=2, window="sliding", train_size=10).folds(N)
    assert spans(folds) == [(18, 28, 30, 35), (23, 33, 35, 40)]


def test_sliding_windows_default_to_what_the_first_window_has():
    # horizon 4, 3 windows: the first cut-off is 28, so every window trains on 28 values
    folds = RollingOrigin(horizon=4, n_windows=3, window="sliding").folds(N)
    assert spans(folds) == [(0, 28, 28, 32), (4, 32, 32, 36), (8, 36, 36, 40)]


def test_without_a_horizon_a_window_is_a_season_and_at_least_two_values():
    assert spans(RollingOrigin(n_windows=3).folds(60, season=12)) == [(0, 24, 24, 36), (0, 36, 36, 48), (0, 48, 48, 60)]
    assert spans(RollingOrigin(n_windows=2).folds(N)) == [(0, 36, 36, 38), (0, 38, 38, 40)]
    assert RollingOrigin().size(season=7) == 7 and RollingOrigin().size() == 2
    assert RollingOrigin(horizon=3).size(season=12) == 3


def test_too_little_to_train_on():
    # 10 values, 2 windows of 4: the first cut-off is 2, below the MIN_TRAIN values a model needs
    assert MIN_TRAIN == 3
    with pytest.raises(InvalidInputError, match="too few"):
        RollingOrigin(horizon=4, n_windows=2).folds(10)
    # not strict (a panel's short series): the window it cannot train for is None, the others stay
    assert spans(RollingOrigin(horizon=4, n_windows=2).folds(10, strict=False)) == [None, (0, 6, 6, 10)]
    assert spans(RollingOrigin(horizon=4, n_windows=2).folds(10, min_train=2)) == [(0, 2, 2, 6), (0, 6, 6, 10)]
    # a sliding window longer than what lies before the first cut-off
    with pytest.raises(InvalidInputError, match="too few"):
        RollingOrigin(horizon=4, n_windows=3, window="sliding", train_size=30).folds(N)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"horizon": 0},
        {"horizon": 2.5},
        {"n_windows": 0},
        {"step": 0},
        {"step": -4},
        {"gap": -1},
        {"window": "growing"},
        {"train_size": 5},  # only for a sliding window
        {"window": "sliding", "train_size": 0},
    ],
    ids=lambda kwargs: ",".join(f"{k}={v}" for k, v in kwargs.items()),
)
def test_bad_windows_are_refused(kwargs):
    with pytest.raises(InvalidInputError):
        RollingOrigin(**kwargs)


def test_one_definition_for_evaluations_and_searches():
    assert search.RollingOrigin is RollingOrigin and search.Fold is Fold
    assert (
        "3 cut-off(s), 4 values each, 2 apart, a gap of 1"
        in RollingOrigin(horizon=4, n_windows=3, step=2, gap=1).describe()
    )
