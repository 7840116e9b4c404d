"""future_index continues a series' time axis; season_length reads the cycle off its frequency."""

import pandas as pd
import pytest

from lstmcast.data import future_index, season_length, validate_series
from lstmcast.errors import InvalidInputError


def regular(freq, periods=6):
    index = pd.date_range("2001-01-01", periods=periods, freq=freq)
    return validate_series(pd.Series(range(periods), index=index))


def test_future_index_continues_the_dates_at_the_frequency():
    future = future_index(regular("MS"), 3)
    assert list(future) == list(pd.to_datetime(["2001-07-01", "2001-08-01", "2001-09-01"]))
    assert future.freqstr == "MS"
    assert future_index(regular("D"), 1)[0] == pd.Timestamp("2001-01-07")


def test_future_index_continues_an_integer_index():
    series = validate_series(pd.Series([1.0, 4.0, 2.0], index=[5, 6, 7]))
    assert list(future_index(series, 2)) == [8, 9]


@pytest.mark.parametrize("horizon", [0, -1, 1.5, True])
def test_future_index_refuses_a_horizon_that_is_not_positive_whole(horizon):
    with pytest.raises(InvalidInputError, match="horizon"):
        future_index(regular("MS"), horizon)


def test_future_index_needs_a_frequency():
    unvalidated = pd.Series([1.0, 2.0], index=pd.to_datetime(["2000-01-01", "2000-02-01"]))
    with pytest.raises(InvalidInputError, match="no frequency"):
        future_index(unvalidated, 1)


@pytest.mark.parametrize(
    ("freq", "expected"),
    [
        ("MS", 12),
        ("ME", 12),
        ("QS", 4),
        ("QE-DEC", 4),
        ("W", 52),
        ("D", 7),
        ("h", 24),
        ("YS", 1),
        ("3MS", 4),
        ("6h", 4),
        ("5MS", 1),
        ("min", 1),
    ],
)
def test_season_length_from_the_frequency(freq, expected):
    assert season_length(regular(freq)) == expected


def test_integer_index_has_no_season():
    assert season_length(validate_series(pd.Series([1.0, 2.0, 3.0]))) == 1
