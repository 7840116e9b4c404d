"""Prediction intervals' arithmetic (``lstmcast.forecast.intervals``) and how members combine
(``lstmcast.forecast.base.combine_members``), against brute-force references computed here."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstmcast.errors import InvalidInputError
from lstmcast.forecast.base import combine_members
from lstmcast.forecast.intervals import calibration_needed, conformal_quantiles, interval_levels


def fewest_by_search(level):
    """The smallest n whose ceil((n + 1) * level / 100)-th smallest of n scores exists, by trying n = 1, 2, ..."""
    n = 1
    while math.ceil((n + 1) * level / 100.0) > n:
        n += 1
    return n


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0.01, max_value=99.9, allow_nan=False))
def test_calibration_needed_is_the_fewest_scores_with_a_finite_interval(level):
    n = calibration_needed(level)
    assert n == fewest_by_search(level)
    scores = np.arange(1.0, n + 1.0)[:, None]
    assert conformal_quantiles(scores, [level])[level].shape == (1,)  # n scores give a finite bound
    if n > 1:
        with pytest.raises(InvalidInputError, match=f"at least {n} calibration"):
            conformal_quantiles(scores[:-1], [level])  # one fewer does not


@pytest.mark.timeout(10)  # the old loop never ended for a level of 100 or more
@pytest.mark.parametrize("level", [100, 100.0, 150, 1e6, 0, -5, float("nan"), float("inf"), "95", None, [80, 95]])
def test_calibration_needed_refuses_a_level_outside_0_to_100(level):
    with pytest.raises(InvalidInputError):
        calibration_needed(level)


def test_interval_levels():
    assert interval_levels(95) == [95.0] and interval_levels([80, 95.5]) == [80.0, 95.5]
    assert interval_levels((95, 80)) == [95.0, 80.0]  # in the order given
    for bad in (0, 100, 120, -1, [], [80, 100], "80", float("nan"), True):
        with pytest.raises(InvalidInputError):
            interval_levels(bad)


def test_conformal_quantiles_are_the_finite_sample_ranks_per_step():
    scores = np.random.default_rng(0).exponential(size=(19, 3))
    half = conformal_quantiles(scores, [50, 90])
    for level in (50, 90):
        rank = math.ceil(20 * level / 100)  # (n + 1) * level / 100, rounded up
        for step in range(3):
            assert half[level][step] == sorted(scores[:, step])[rank - 1]
    with pytest.raises(InvalidInputError, match=f"at least {fewest_by_search(99)}"):
        conformal_quantiles(scores, [99])


def test_members_combine_by_their_mean_or_median():
    members = np.random.default_rng(1).normal(size=(5, 4, 3))
    np.testing.assert_array_equal(combine_members(members), members.mean(axis=0))
    np.testing.assert_array_equal(combine_members(members, "mean"), members.mean(axis=0))
    middle = np.sort(members, axis=0)[2]  # five members: the third smallest
    np.testing.assert_array_equal(combine_members(members, "median"), middle)
