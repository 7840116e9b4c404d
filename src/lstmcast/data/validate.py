"""Checking one series before anything learns from it: numbers, a regular time axis, no surprises.

A forecaster needs float values on a time axis that steps regularly, so that "the next point" and
"one season back" mean something. ``validate_series`` either returns such a series, with the
frequency recorded in ``index.freq``, or raises ``InvalidInputError`` naming the first offending
row and how to fix it. It never guesses silently: sorting and filling gaps happen only on request.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from pandas.tseries.frequencies import to_offset

from lstmcast.errors import InvalidInputError

MISSING_POLICIES = ("error", "interpolate", "drop")


def validate_series(
    series: pd.Series, *, freq: str | None = None, missing: str = "error", sort: bool = False
) -> pd.Series:
    """Return a clean copy of ``series``, or raise ``InvalidInputError`` saying what to fix.

    The result has float64 values, no NaN or infinity, at least two points, not all equal, and a
    time axis that is either a ``DatetimeIndex`` with ``.freq`` set (inferred by pandas, or checked
    against ``freq=``; a ``PeriodIndex`` becomes the periods' start times) or integers stepping by
    one (returned as a ``RangeIndex``).

    Parameters
    ----------
    series : pandas.Series
        Values indexed by their time labels (dates, periods or integers).
    freq : str, optional
        The frequency the dates must follow (a pandas alias such as ``"MS"`` or ``"D"``); None
        infers it. Not for an integer time index.
    missing : {"error", "interpolate", "drop"}, default "error"
        What to do with NaN values: ``"error"`` raises; ``"interpolate"`` fills gaps linearly
        between observed neighbours and drops the missing values at the very start or end
        (nothing to interpolate from there); ``"drop"`` drops missing values at the start or end
        only, and raises if some lie inside, since removing them would leave holes in the time
        axis.
    sort : bool, default False
        Sort the timestamps instead of raising when they are out of order.

    Returns
    -------
    pandas.Series
        The clean copy.

    Raises
    ------
    InvalidInputError
        The series cannot be made clean as asked; the message names the first offending row
        (rows count from 1, like data rows of a CSV file without its header) and how to fix it.
    """
    if not isinstance(series, pd.Series):
        raise InvalidInputError(
            f"expected a pandas Series, got {type(series).__name__}; use lstmcast.data.from_pandas for a DataFrame"
        )
    if missing not in MISSING_POLICIES:
        raise InvalidInputError(f"missing={missing!r} is not one of {MISSING_POLICIES}")
    what = f"column {series.name!r}" if series.name is not None else "the series"
    series = pd.Series(_as_float(series, what), index=_as_time_index(series.index, what), name=series.name)
    _check_finite(series, what)
    series = _check_order(series, what, sort)
    _check_length(len(series), what, "points")
    series = _set_frequency(series, freq, what)
    series = _handle_missing(series, missing, what)
    _check_length(len(series), what, "observed points")
    _check_not_constant(series, what)
    return series


def describe_row(index: pd.Index, position: int) -> str:
    """``"1960-03-01 (row 135)"``: a row's time label and its 1-based position, for messages."""
    return f"{time_label(index[position])} (row {position + 1})"


def time_label(label: object) -> str:
    """A timestamp as a reader writes it (``1960-03-01``, time only when there is one)."""
    if isinstance(label, pd.Timestamp) and label == label.normalize():
        return label.strftime("%Y-%m-%d")
    return str(label)


def _as_float(series: pd.Series, what: str) -> np.ndarray:
    if ptypes.is_bool_dtype(series.dtype) or not (
        ptypes.is_numeric_dtype(series.dtype)
        or ptypes.is_object_dtype(series.dtype)
        or ptypes.is_string_dtype(series.dtype)
    ):
        raise InvalidInputError(
            f"{what} holds {series.dtype} values, not numbers; pick the column of numbers with value_col="
        )
    numbers = pd.to_numeric(series, errors="coerce")
    not_numbers = np.flatnonzero(numbers.isna().to_numpy() & series.notna().to_numpy())
    if not_numbers.size:
        first = not_numbers[0]
        bad = series.iloc[first]
        raise InvalidInputError(
            f"{what} has {not_numbers.size} values that are not numbers, the first is {bad!r} "
            f"at {describe_row(series.index, first)}; fix them, or pass na_values=[{bad!r}] "
            "if that value marks a missing observation"
        )
    return numbers.to_numpy(dtype=np.float64, na_value=np.nan)


def _as_time_index(index: pd.Index, what: str) -> pd.Index:
    if isinstance(index, pd.PeriodIndex):
        index = index.to_timestamp()
    if isinstance(index, pd.DatetimeIndex):
        missing = np.flatnonzero(index.isna())
        if missing.size:
            raise InvalidInputError(
                f"{what} has {missing.size} rows without a timestamp, the first at row "
                f"{missing[0] + 1}; fill in those dates or remove the rows"
            )
        return index
    if ptypes.is_integer_dtype(index.dtype) and not ptypes.is_bool_dtype(index.dtype):
        return pd.Index(index, dtype=np.int64)
    raise InvalidInputError(
        f"the time index of {what} holds {index.dtype} values; it must hold dates or integers "
        "1..n: parse dates first, e.g. with lstmcast.data.from_pandas(..., date_format=...)"
    )


def _check_finite(series: pd.Series, what: str) -> None:
    infinite = np.flatnonzero(np.isinf(series.to_numpy()))
    if infinite.size:
        first = infinite[0]
        raise InvalidInputError(
            f"{what} has {infinite.size} infinite values, the first ({series.iloc[first]}) at "
            f"{describe_row(series.index, first)}; replace them by real values, or by NaN and "
            "pass missing='interpolate'"
        )


def _check_order(series: pd.Series, what: str, sort: bool) -> pd.Series:
    index = series.index
    duplicated = np.flatnonzero(index.duplicated())
    if duplicated.size:
        rows = np.flatnonzero(index == index[duplicated[0]])
        raise InvalidInputError(
            f"{what} has {duplicated.size} duplicate timestamps: {describe_row(index, rows[0])} "
            f"appears again at row {rows[1] + 1}; remove the repeats or aggregate them "
            "(e.g. frame.groupby(date_column).mean())"
        )
    if index.is_monotonic_increasing:
        return series
    if sort:
        return series.sort_index()
    times = index.to_numpy()
    later = int(np.flatnonzero(times[1:] < times[:-1])[0]) + 1
    raise InvalidInputError(
        f"the timestamps of {what} are not in increasing order: {describe_row(index, later)} "
        f"comes after {describe_row(index, later - 1)}; sort the data, or pass sort=True"
    )


def _check_length(length: int, what: str, kind: str) -> None:
    if length < 2:
        raise InvalidInputError(f"{what} has {length} {kind}; at least 2 are needed (and many more to learn anything)")


def _set_frequency(series: pd.Series, freq: str | None, what: str) -> pd.Series:
    index = series.index
    if not isinstance(index, pd.DatetimeIndex):
        if freq is not None:
            raise InvalidInputError(f"freq={freq!r} applies to dates, but {what} has an integer time index; drop freq=")
        jumps = np.flatnonzero(np.diff(index.to_numpy()) != 1)
        if jumps.size:
            row = jumps[0]
            raise InvalidInputError(
                f"the integer time index of {what} must step by 1, but goes from "
                f"{describe_row(index, row)} to {describe_row(index, row + 1)}; add the missing "
                "steps (with NaN values and missing='interpolate') or renumber the rows; if the "
                "numbers are dates such as 20200131, pass date_format='%Y%m%d'"
            )
        return series.set_axis(pd.RangeIndex(index[0], index[-1] + 1))
    if freq is None:
        # A DatetimeIndex that already carries a frequency was checked against it by pandas.
        freq = index.freq or (pd.infer_freq(index) if len(index) >= 3 else None)
        if freq is None:
            raise InvalidInputError(
                f"cannot infer a frequency for {what}: its {len(index)} timestamps "
                f"({describe_row(index, 0)} .. {describe_row(index, len(index) - 1)}) are too few "
                "or not regularly spaced (a missing date, an extra date, mixed spacing); pass "
                "freq= with the frequency they should follow (e.g. freq='MS' or 'D') to find the "
                "first date that does not"
            )
        return series.set_axis(pd.DatetimeIndex(index, freq=freq))
    try:
        offset = to_offset(freq)
    except ValueError:
        raise InvalidInputError(
            f"freq={freq!r} is not a pandas frequency; use e.g. 'D', 'W', 'MS', 'QS', 'YS' or 'h'"
        ) from None
    expected = pd.date_range(index[0], periods=len(index), freq=offset)
    mismatches = np.flatnonzero(expected != index)
    if mismatches.size:
        row = mismatches[0]
        raise InvalidInputError(
            f"the timestamps of {what} do not follow freq={freq!r}: {describe_row(index, row)} "
            f"should be {time_label(expected[row])}; add missing dates (with NaN values and "
            "missing='interpolate'), remove extra ones, or pass the right freq="
        )
    return series.set_axis(expected)


def _handle_missing(series: pd.Series, missing: str, what: str) -> pd.Series:
    is_missing = series.isna().to_numpy()
    if not is_missing.any():
        return series
    if missing == "error":
        first_missing = describe_row(series.index, int(np.flatnonzero(is_missing)[0]))
        raise InvalidInputError(
            f"{what} has {is_missing.sum()} missing values (first at {first_missing}); fill or "
            "drop them yourself, or pass missing='interpolate' (linear between neighbours) or "
            "missing='drop' (only at the start or end)"
        )
    observed = np.flatnonzero(~is_missing)
    if observed.size == 0:
        raise InvalidInputError(f"{what} has no values at all, only missing ones")
    trimmed = series.iloc[observed[0] : observed[-1] + 1]
    inside = np.flatnonzero(trimmed.isna().to_numpy())
    if inside.size == 0:
        return trimmed
    if missing == "interpolate":
        return trimmed.interpolate(method="linear")
    first_inside = describe_row(series.index, observed[0] + inside[0])
    raise InvalidInputError(
        f"missing='drop' would leave holes in the time axis of {what}: {inside.size} missing "
        f"values lie between observed ones (first at {first_inside}); pass "
        "missing='interpolate' to fill them, or fill them yourself"
    )


def _check_not_constant(series: pd.Series, what: str) -> None:
    values = series.to_numpy()
    if values.min() == values.max():
        raise InvalidInputError(
            f"all {len(values)} values of {what} equal {values[0]:g}: a constant series has "
            "nothing to learn; check that value_col= picks the right column"
        )
