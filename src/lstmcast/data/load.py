"""Reading one series from a CSV file or a pandas object, then validating it.

This is where pandas meets the user's data: which column holds the dates, which the values, how
dates are written, which number marks a missing value. Everything after this layer sees a clean
float series with a regular time axis (see ``validate_series``).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Hashable, Sequence
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from lstmcast._checks import non_negative_int
from lstmcast.data.validate import validate_series
from lstmcast.errors import DataFileError, InvalidInputError

DATE_PARTS = ("year", "month", "day", "hour", "minute", "second")


def load_csv(
    path: str | PathLike,
    *,
    sep: str = ",",
    skip_footer: int = 0,
    names: Sequence[Hashable] | None = None,
    **options: Any,
) -> pd.Series:
    """Read one series from a CSV file: a float64 ``pd.Series`` named after its value column.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file (an open text file works too).
    sep : str, default ","
        The field separator.
    skip_footer : int, default 0
        Lines dropped at the end (the source notes of DataMarket files).
    names : sequence of hashable, optional
        The column names of a file without a header row.
    **options
        ``from_pandas``'s keywords, applied to the table read: by default the first column holds
        the dates and the only other numeric column the values (``date_col`` / ``value_col``
        pick them by name, ``date_col`` may list year, month, day... columns); ``date_format``,
        ``na_values`` (markers of missing values, e.g. ``[-1]`` or ``["?"]``), ``freq``,
        ``missing`` and ``sort``.

    Returns
    -------
    pandas.Series
        The validated series (see ``validate_series``).

    Raises
    ------
    DataFileError
        The file is missing or cannot be parsed as a table.
    InvalidInputError
        Its contents are not a usable series, or an option is unknown.

    Examples
    --------
    >>> import io
    >>> load_csv(io.StringIO("month,passengers\\n1949-01,112\\n1949-02,118\\n1949-03,132\\n")).index.freqstr
    'MS'
    """
    unknown = sorted(set(options) - set(inspect.signature(from_pandas).parameters) | ({"data"} & set(options)))
    if unknown:
        raise InvalidInputError(
            f"load_csv has no option {unknown[0]!r}; its options are sep, skip_footer, names and those of from_pandas: "
            f"{', '.join(p for p in inspect.signature(from_pandas).parameters if p != 'data')}"
        )
    frame = _read_table(path, sep=sep, skip_footer=skip_footer, names=names)
    return from_pandas(frame, **options)


def from_pandas(
    data: pd.Series | pd.DataFrame,
    *,
    date_col: Hashable | Sequence[Hashable] | None = None,
    value_col: Hashable | None = None,
    date_format: str | None = None,
    na_values: Sequence | None = None,
    freq: str | None = None,
    missing: str = "error",
    sort: bool = False,
) -> pd.Series:
    """Take one series from a pandas Series or DataFrame and validate it.

    A Series brings its own time axis, its index. In a DataFrame the dates come from ``date_col``,
    else from the index if it holds dates or periods, else from the first column; the values come
    from ``value_col``, else from the only other numeric column. Dates are parsed by pandas
    (``"1949-01"``, ``"1949-01-31"``...) or with ``date_format``; a date column of whole numbers
    is a time index 1..n.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        The series, or a table holding it.
    date_col : hashable or sequence of hashable, optional
        A DataFrame's date column; or the columns holding year, month, day (and optionally
        hour, minute, second), in that order, as in SILSO's sunspot files. Not for a Series.
    value_col : hashable, optional
        A DataFrame's value column. Not for a Series.
    date_format : str, optional
        How the dates are written (e.g. ``"%d/%m/%Y"``); None lets pandas parse them.
    na_values : sequence, optional
        Markers of missing values (e.g. ``[-1]`` or ``["?"]``), which become NaN.
    freq : str, optional
        Passed to ``validate_series``.
    missing : {"error", "interpolate", "drop"}, default "error"
        Passed to ``validate_series``.
    sort : bool, default False
        Passed to ``validate_series``.

    Returns
    -------
    pandas.Series
        The validated series, named after its value column.
    """
    if isinstance(data, pd.Series):
        if date_col is not None or value_col is not None:
            raise InvalidInputError(
                "date_col= and value_col= pick columns of a DataFrame; a Series is already one "
                "column of values, with its index as the time axis"
            )
        values, times = data, data.index
    elif isinstance(data, pd.DataFrame):
        date_cols, value_col = _pick_columns(data, date_col, value_col, na_values)
        values = data[value_col]
        times = data.index if not date_cols else _dates_from_columns(data, date_cols)
    else:
        raise InvalidInputError(f"expected a pandas Series or DataFrame, got {type(data).__name__}")
    series = pd.Series(
        _mask_markers(values, na_values).to_numpy(),
        index=_parse_times(times, date_format),
        name=values.name,
    )
    return validate_series(series, freq=freq, missing=missing, sort=sort)


def _read_table(path: str | PathLike, *, sep: str, skip_footer: int, names: Sequence[Hashable] | None) -> pd.DataFrame:
    skip_footer = non_negative_int(skip_footer, "skip_footer")
    try:
        frame = pd.read_csv(
            path,
            sep=sep,
            skipfooter=skip_footer,
            header=None if names is not None else "infer",
            names=names,
            skipinitialspace=True,
            engine="python" if skip_footer else "c",
        )
    except FileNotFoundError:
        raise DataFileError(f"no file at {path}; check the path") from None
    except IsADirectoryError:
        raise DataFileError(f"{path} is a directory, not a CSV file") from None
    except pd.errors.EmptyDataError:
        raise DataFileError(f"{path} is empty; expected a CSV table of dates and values") from None
    except pd.errors.ParserError as error:
        raise DataFileError(
            f"cannot parse {path} as CSV with sep={sep!r}: {error}; check sep=, and pass "
            "skip_footer= if notes follow the data"
        ) from None
    except UnicodeDecodeError:
        raise DataFileError(f"{path} is not a UTF-8 text file; is it really a CSV?") from None
    except OSError as error:
        raise DataFileError(f"cannot read {path}: {error}") from None
    if frame.empty:
        raise DataFileError(f"{path} has no data rows, only a header")
    if frame.shape[1] == 1:
        raise DataFileError(
            f"{path} has a single column ({frame.columns[0]!r}) when split at sep={sep!r}, but "
            "dates and values are needed; if the file uses another separator, pass it, "
            "e.g. sep=';'"
        )
    return frame


def _pick_columns(
    frame: pd.DataFrame,
    date_col: Hashable | Sequence[Hashable] | None,
    value_col: Hashable | None,
    na_values: Sequence | None,
) -> tuple[list[Hashable], Hashable]:
    """The date columns (empty: the index holds the dates) and the value column."""
    columns = list(frame.columns)
    if isinstance(date_col, (list, tuple)):
        date_cols = list(date_col)
    elif date_col is not None:
        date_cols = [date_col]
    elif isinstance(frame.index, (pd.DatetimeIndex, pd.PeriodIndex)):
        date_cols = []
    else:
        date_cols = columns[:1]
    for column in [*date_cols, value_col]:
        if column is not None and column not in columns:
            raise InvalidInputError(f"there is no column {column!r}; the columns are {columns}")
    if value_col is not None:
        return date_cols, value_col
    candidates = [column for column in columns if column not in date_cols]
    numeric = [column for column in candidates if _is_numeric(frame[column], na_values)]
    if len(numeric) == 1:
        return date_cols, numeric[0]
    if len(candidates) == 1:
        return date_cols, candidates[0]
    if not candidates:
        raise InvalidInputError(
            f"besides the dates in {date_cols} there is no column left for the values; pass "
            "value_col=, or pass a Series whose index holds the time axis"
        )
    found = f"{len(numeric)} of them hold numbers ({numeric})" if numeric else "none holds numbers"
    raise InvalidInputError(
        f"cannot tell which column holds the values: the columns are {columns}, and besides the "
        f"dates in {date_cols} {found}; pass value_col= (and date_col= if the dates are not "
        "in the first column)"
    )


def _is_numeric(column: pd.Series, na_values: Sequence | None) -> bool:
    if ptypes.is_bool_dtype(column.dtype):
        return False
    if ptypes.is_numeric_dtype(column.dtype):
        return True
    present = _mask_markers(column, na_values).dropna()
    return len(present) > 0 and pd.to_numeric(present, errors="coerce").notna().all()


def _mask_markers(values: pd.Series, na_values: Sequence | None) -> pd.Series:
    """``values`` with every marker of a missing value replaced by NaN (text or number match)."""
    if na_values is None:
        return values
    markers = [na_values] if np.isscalar(na_values) else list(na_values)
    as_text = values.astype(str).str.strip().isin({str(marker).strip() for marker in markers})
    as_number = pd.to_numeric(values, errors="coerce").isin(
        pd.to_numeric(pd.Series(markers, dtype=object), errors="coerce").dropna()
    )
    return values.mask(as_text | as_number)


def _dates_from_columns(frame: pd.DataFrame, date_cols: list[Hashable]) -> pd.Series | pd.Index:
    """One column of dates as given, or a date assembled from year, month, day... columns."""
    if len(date_cols) == 1:
        return frame[date_cols[0]]
    if not 3 <= len(date_cols) <= len(DATE_PARTS):
        raise InvalidInputError(
            f"date_col={date_cols} must be one column, or the columns of "
            f"{', '.join(DATE_PARTS[:3])} (and optionally {', '.join(DATE_PARTS[3:])}) in order"
        )
    parts = frame[date_cols].set_axis(list(DATE_PARTS[: len(date_cols)]), axis=1)
    dates = pd.to_datetime(parts, errors="coerce")
    bad = np.flatnonzero(dates.isna().to_numpy() & parts.notna().all(axis=1).to_numpy())
    if bad.size:
        row = bad[0]
        raise InvalidInputError(
            f"row {row + 1} of {date_cols} ({parts.iloc[row].tolist()}) is not a valid date; fix or remove that row"
        )
    return pd.DatetimeIndex(dates)


def _parse_times(times: pd.Series | pd.Index, date_format: str | None) -> pd.Index:
    """A time axis from dates (as text or datetimes), periods, or whole numbers 1..n."""
    times = pd.Index(times)
    name = f"the date column {times.name!r}" if times.name is not None else "the time index"
    if isinstance(times, (pd.DatetimeIndex, pd.PeriodIndex)):
        return times
    if date_format is not None:
        times = times.astype(str)  # dates written as numbers, such as 20200131
    elif ptypes.is_integer_dtype(times.dtype):
        return times
    if ptypes.is_bool_dtype(times.dtype):
        raise InvalidInputError(f"{name} holds True/False values, not dates; pass date_col=")
    if ptypes.is_float_dtype(times.dtype):
        numbers = times.to_numpy()
        if np.isnan(numbers).any():
            row = int(np.flatnonzero(np.isnan(numbers))[0])
            raise InvalidInputError(f"{name} has no time at row {row + 1}; fill it in or remove that row")
        fractional = np.flatnonzero(numbers != np.round(numbers))
        if fractional.size == 0:
            return times.astype(np.int64)
        row = int(fractional[0])
        raise InvalidInputError(
            f"{name} holds numbers that are not whole (e.g. {numbers[row]} at row {row + 1}); "
            "dates must be text such as 1949-01, or whole numbers 1..n; pass date_col= if the "
            "dates are in another column"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format": we check below
        dates = pd.to_datetime(times, format=date_format, errors="coerce")
    bad = np.flatnonzero(dates.isna() & times.notna())
    if bad.size:
        row = bad[0]
        hint = f"does it match date_format={date_format!r}?" if date_format else "pass date_format="
        raise InvalidInputError(
            f"cannot read {times[row]!r} at row {row + 1} of {name} as a date; {hint} "
            "(e.g. date_format='%Y-%m' or '%d/%m/%Y'), or fix that value"
        )
    return dates
