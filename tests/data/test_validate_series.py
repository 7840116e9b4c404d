"""validate_series refuses every unusable series with a named error, and never returns NaN."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import validate_series
from lstmcast.errors import InvalidInputError


def monthly(values, start="1960-01"):
    index = pd.date_range(start, periods=len(values), freq="MS")
    return pd.Series(values, index=index, name="y")


def test_a_clean_series_comes_back_as_float_with_its_frequency():
    series = validate_series(monthly([1, 2, 3]))
    assert series.dtype == np.float64 and series.index.freqstr == "MS"


def test_missing_values_name_the_column_count_and_first_date():
    series = monthly([1.0, 2.0, np.nan, 4.0, np.nan, np.nan])
    with pytest.raises(InvalidInputError, match=r"column 'y' has 3 missing values \(first at 1960-03-01"):
        validate_series(series)


def test_interpolation_fills_inside_and_drops_the_ends():
    series = validate_series(monthly([np.nan, 2.0, np.nan, 4.0, np.nan]), missing="interpolate")
    assert series.tolist() == [2.0, 3.0, 4.0]
    assert series.index[0] == pd.Timestamp("1960-02-01") and series.index.freqstr == "MS"


def test_non_numeric_value_is_shown_with_its_row():
    series = pd.Series(["1", "2", "n/a", "4"], index=range(1, 5), name="y")
    with pytest.raises(InvalidInputError, match=r"'n/a' at 3 \(row 3\)"):
        validate_series(series)


def test_infinite_values_are_refused():
    with pytest.raises(InvalidInputError, match="infinite"):
        validate_series(monthly([1.0, np.inf, 3.0]))


def test_duplicate_timestamps_are_refused():
    index = pd.to_datetime(["2000-01-01", "2000-01-02", "2000-01-02", "2000-01-03"])
    with pytest.raises(InvalidInputError, match="duplicate.*2000-01-02 \\(row 2\\).*row 3"):
        validate_series(pd.Series([1.0, 2.0, 3.0, 4.0], index=index))


def test_unsorted_timestamps_are_refused_unless_sort_is_asked_for():
    series = monthly([1.0, 2.0, 3.0, 4.0]).iloc[[0, 2, 1, 3]]
    with pytest.raises(InvalidInputError, match="not in increasing order.*sort=True"):
        validate_series(series)
    assert validate_series(series, sort=True).tolist() == [1.0, 2.0, 3.0, 4.0]


def test_irregular_spacing_suggests_freq_and_freq_finds_the_first_bad_date():
    series = monthly([1.0, 2.0, 3.0, 4.0, 5.0]).drop(pd.Timestamp("1960-03-01"))
    with pytest.raises(InvalidInputError, match="cannot infer a frequency.*freq="):
        validate_series(series)
    with pytest.raises(InvalidInputError, match="1960-04-01 \\(row 3\\) should be 1960-03-01"):
        validate_series(series, freq="MS")


def test_explicit_frequency_is_used_and_checked():
    assert validate_series(monthly([1.0, 2.0]), freq="MS").index.freqstr == "MS"
    with pytest.raises(InvalidInputError, match="not a pandas frequency"):
        validate_series(monthly([1.0, 2.0]), freq="monthly")
    with pytest.raises(InvalidInputError, match="integer time index"):
        validate_series(pd.Series([1.0, 2.0]), freq="D")


@pytest.mark.parametrize("values", [[], [5.0], [np.nan, 5.0, np.nan]])
def test_fewer_than_two_points_are_refused(values):
    with pytest.raises(InvalidInputError, match="at least 2"):
        validate_series(pd.Series(values, dtype=float), missing="interpolate")


def test_two_dates_need_an_explicit_frequency_unless_the_index_carries_one():
    two_dates = pd.Series([1.0, 2.0], index=pd.to_datetime(["2000-01-01", "2000-02-01"]))
    with pytest.raises(InvalidInputError, match="too few.*freq="):
        validate_series(two_dates)
    assert validate_series(monthly([1.0, 2.0])).index.freqstr == "MS"


def test_constant_series_has_nothing_to_learn():
    with pytest.raises(InvalidInputError, match="nothing to learn"):
        validate_series(monthly([3.0, 3.0, 3.0]))


def test_all_missing_is_refused():
    with pytest.raises(InvalidInputError, match="only missing"):
        validate_series(monthly([np.nan] * 4), missing="interpolate")


@pytest.mark.parametrize(
    ("series", "kwargs", "message"),
    [
        (pd.DataFrame({"y": [1.0, 2.0]}), {}, "from_pandas"),
        (pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"]), {}, "dates or integers"),
        (pd.Series([True, False, True]), {}, "not numbers"),
        (pd.Series([1.0, 2.0, 3.0]), {"missing": "fill"}, "missing='fill'"),
        (pd.Series([1.0, 2.0, 3.0], index=pd.to_datetime(["2000", None, "2002"])), {}, "row 2"),
    ],
)
def test_unusable_inputs_raise_invalid_input_error(series, kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        validate_series(series, **kwargs)
