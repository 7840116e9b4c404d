"""Many series in one table: Nixtla's long format (``unique_id``, ``ds``, ``y``), checked as a whole.

A panel is what a global forecaster learns from: one row per series and time step, the series free
to differ in length and start, but not in frequency, so that "the next step" and "one season back"
mean the same in every series. ``from_long`` and ``load_panel_csv`` return a ``Panel`` (each
series' float64 values on a regular time axis, as ``validate_series`` gives for one series) or
raise a named error naming the series (its ``unique_id``), the ``ds`` or row at fault and the fix.
Nothing is guessed: a missing value, a repeated ``ds`` or a gap in the dates is an error, never
filled or dropped in silence. ``panel_frame`` and ``Panel.to_frame`` turn series (and forecasts)
back into a long table.

The checks run over the whole table at once (one sort, one comparison of each row with the row
before it), not series by series: pandas costs tens of microseconds per call, which over thousands
of series adds up to seconds. The frequency is inferred by pandas from one series, then every
series is checked against it, and a series that does not follow it is inferred on its own, to
tell a series of another frequency from one with a gap.
"""

from __future__ import annotations

import numbers
import os
import warnings
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from pandas.tseries.frequencies import to_offset
from pandas.tseries.offsets import BaseOffset, Tick

from lstmcast._checks import non_negative_int, positive_int, series_values
from lstmcast.data.files import file_path, unreadable
from lstmcast.data.frequency import future_index, index_from_data, index_to_data, season_length
from lstmcast.data.validate import time_label, validate_series
from lstmcast.errors import DataFileError, InvalidInputError

__all__ = ["Panel", "from_long", "is_long_format", "load_panel_csv", "load_series_or_panel", "panel_frame"]

ID, DS = "unique_id", "ds"  # the column names of every frame this module writes, as Nixtla's


@dataclass(frozen=True, eq=False)
class Panel:
    """Many series, validated: series ``k`` is ``ids[k]``, its float64 values ``values[k]`` (1-D,
    finite) on its time axis ``index[k]``: a ``DatetimeIndex`` with ``.freq`` set, every series at
    the same frequency, or a ``RangeIndex`` of integers stepping by one.

    Build one with ``from_long`` or ``load_panel_csv``; direct construction checks the same
    invariants (copying the values), so that a model never meets a NaN or an irregular axis.

    Attributes
    ----------
    ids : tuple of str
        The series' ids, no two alike.
    values : tuple of numpy.ndarray
        Each series' values: float64, 1-D, finite.
    index : tuple of pandas.Index
        Each series' time axis, one label per value.
    """

    ids: tuple[str, ...]
    values: tuple[np.ndarray, ...]
    index: tuple[pd.Index, ...]

    def __post_init__(self) -> None:
        ids, values, index = tuple(self.ids), tuple(self.values), tuple(self.index)
        if not ids:
            raise InvalidInputError("a Panel needs at least one series; ids is empty")
        if not all(isinstance(i, str) for i in ids):
            wrong = next(i for i in ids if not isinstance(i, str))
            raise InvalidInputError(
                f"ids must be strings, got {wrong!r} ({type(wrong).__name__}); from_long converts "
                "ids to text, or pass str(id)"
            )
        _refuse_repeats(ids, "ids")
        if not len(values) == len(index) == len(ids):
            raise InvalidInputError(
                f"ids, values and index must have one entry per series; got {len(ids)}, {len(values)} and {len(index)}"
            )
        values = tuple(series_values(v, f"the values of series {i!r}") for i, v in zip(ids, values))
        first = _axis_kind(index[0], ids[0])
        for i, v, axis in zip(ids, values, index):
            kind = _axis_kind(axis, i)
            if (kind is None) != (first is None) or (kind is not None and kind != first):
                raise InvalidInputError(
                    f"series {i!r} has a time axis of {_describe_kind(kind)} but series {ids[0]!r} "
                    f"of {_describe_kind(first)}; every series of a panel has the same frequency"
                )
            if len(axis) != len(v):
                raise InvalidInputError(
                    f"series {i!r} has {len(v)} values but {len(axis)} time labels; give one label per value"
                )
        object.__setattr__(self, "ids", ids)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "index", index)

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        lengths = self.lengths
        low, high = lengths.min(), lengths.max()
        span = f"length={low}" if low == high else f"lengths={low}..{high}"
        return f"Panel(series={len(self)}, freq={self.freq!r}, {span})"

    @property
    def n_series(self) -> int:
        """The number of series."""
        return len(self.ids)

    @property
    def lengths(self) -> np.ndarray:
        """The number of values of each series."""
        return np.array([len(v) for v in self.values], dtype=np.int64)

    @property
    def freq(self) -> str | None:
        """The pandas frequency every series follows (``"MS"``, ``"D"``...), ``None`` for integer
        time."""
        return getattr(self.index[0], "freqstr", None)

    @property
    def season(self) -> int:
        """The seasonal period the frequency implies (``season_length``: 12 for monthly, 4 for
        quarterly...), 1 for integer time."""
        return season_length(pd.Series(self.values[0], index=self.index[0]))

    def future_index(self, horizon: int) -> list[pd.Index]:
        """The ``horizon`` time labels that follow each series (``lstmcast.data.future_index``):
        dates continued at the frequency, or the next integers.

        Series that end together share one index object (pandas indexes are immutable), so a
        panel whose series end on the same date costs one ``date_range``, not one per series.
        """
        horizon = positive_int(horizon, "horizon")
        futures: dict[Any, pd.Index] = {}  # by last label: every series has the same frequency
        for axis in self.index:
            if axis[-1] not in futures:
                futures[axis[-1]] = future_index(axis, horizon)
        return [futures[axis[-1]] for axis in self.index]

    def to_frame(self, value_name: str = "y") -> pd.DataFrame:
        """The panel as a long table: ``unique_id``, ``ds``, ``value_name``; the series in order,
        each in time order."""
        return panel_frame(self.ids, self.index, {value_name: self.values})

    def cut(self, ends: Sequence[int] | int) -> Panel:
        """Every series truncated to its first ``ends[k]`` values (a sequence: one count per
        series, at most its length), or, for one whole number, as ``values[:ends]`` slices: a
        negative ``ends`` drops that many values from the end of every series, a positive one keeps
        at most that many. A cut that would leave a series empty is refused, naming the series.
        """
        lengths = self.lengths
        if isinstance(ends, (Sequence, np.ndarray)) and not isinstance(ends, str):
            ends = list(ends)
            if len(ends) != len(self):
                raise InvalidInputError(
                    f"ends has {len(ends)} entries but the panel has {len(self)} series; give one "
                    "end per series, or one whole number for all"
                )
            keep = [non_negative_int(end, f"ends[{k}]") for k, end in enumerate(ends)]
            longer = [k for k, (end, n) in enumerate(zip(keep, lengths)) if end > n]
            if longer:
                k = longer[0]
                raise InvalidInputError(
                    f"ends[{k}] = {keep[k]} is beyond the end of series {self.ids[k]!r}, which has "
                    f"{lengths[k]} values; an end counts the values to keep, at most the length"
                )
        else:
            end = _whole_end(ends)
            keep = [len(range(n)[:end]) for n in lengths]
        empty = [k for k, n in enumerate(keep) if n == 0]
        if empty:
            k = empty[0]
            raise InvalidInputError(
                f"cutting at ends={ends!r} leaves series {self.ids[k]!r} ({lengths[k]} values) "
                f"empty ({len(empty)} series would be); keep at least one value of each series, or "
                "select() the others first"
            )
        return Panel(
            self.ids,
            tuple(v[:n] for v, n in zip(self.values, keep)),
            tuple(axis[:n] for axis, n in zip(self.index, keep)),
        )

    @classmethod
    def of_series(cls, y: Any, unique_id: str | None = None) -> Panel:
        """One series as a panel of one: a pandas Series with a time index (validated as
        ``validate_series`` does; its id is ``unique_id``, else its name, else ``"series"``) or an
        array (integer time 0, 1, ...)."""
        if unique_id is not None and (not isinstance(unique_id, str) or not unique_id):
            raise InvalidInputError(f"unique_id must be a non-empty string, got {unique_id!r}")
        if isinstance(y, pd.Series):
            series = validate_series(y)
            name = unique_id if unique_id is not None else (str(y.name) if y.name is not None else "series")
            return cls((name,), (series.to_numpy(np.float64),), (series.index,))
        values = series_values(y, "y")
        return cls((unique_id or "series",), (values,), (pd.RangeIndex(len(values)),))

    def to_data(self) -> dict[str, Any]:
        """The panel as plain data (ids, every value in one array, lengths, time axes), for model files."""
        return {
            "ids": list(self.ids),
            "values": np.concatenate(self.values),
            "lengths": self.lengths,
            "index": [index_to_data(axis) for axis in self.index],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Panel:
        """The panel ``to_data`` described."""
        values = np.split(np.asarray(data["values"], np.float64), np.cumsum(data["lengths"])[:-1])
        return cls(tuple(data["ids"]), tuple(values), tuple(index_from_data(i) for i in data["index"]))

    def select(self, ids: Sequence[str]) -> Panel:
        """The series named by ``ids``, in that order."""
        if isinstance(ids, str) or not isinstance(ids, (Sequence, np.ndarray, pd.Index)):
            raise InvalidInputError(f"ids must be a list of series ids, e.g. [{ids!r}]; got {ids!r}")
        wanted = list(ids)
        if not wanted:
            raise InvalidInputError("select needs at least one series id; a Panel cannot be empty")
        _refuse_repeats(wanted, "ids")
        position = {i: k for k, i in enumerate(self.ids)}
        unknown = [i for i in wanted if i not in position]
        if unknown:
            shown = ", ".join(map(repr, self.ids[:5])) + (", ..." if len(self) > 5 else "")
            raise InvalidInputError(
                f"the panel has no series {unknown[0]!r} ({len(unknown)} of the ids are unknown); "
                f"its {len(self)} series are {shown} (ids are text: '1', not 1)"
            )
        chosen = [position[i] for i in wanted]
        return Panel(
            tuple(self.ids[k] for k in chosen),
            tuple(self.values[k] for k in chosen),
            tuple(self.index[k] for k in chosen),
        )


def is_long_format(columns: Any, *, id_col: Hashable = ID, date_col: Hashable = DS, value_col: Hashable = "y") -> bool:
    """Whether ``columns`` include the id, date and value columns of a long table.

    Parameters
    ----------
    columns : pandas.DataFrame or sequence of hashable
        A DataFrame (its columns are read), or a list of column names.
    id_col, date_col, value_col : hashable
        The names of the id, date and value columns (default ``"unique_id"``, ``"ds"``, ``"y"``).

    Returns
    -------
    bool
    """
    names = set(getattr(columns, "columns", columns))
    return {id_col, date_col, value_col} <= names


def from_long(
    frame: pd.DataFrame,
    *,
    id_col: Hashable = ID,
    date_col: Hashable = DS,
    value_col: Hashable = "y",
    freq: str | None = None,
    min_length: int = 1,
) -> Panel:
    """A ``Panel`` from a long table: one row per series (``id_col``) and time (``date_col``),
    its value in ``value_col``.

    Ids become text (``1`` becomes ``"1"``); series keep the order of their first row, and the rows
    of a series may come in any order (they are sorted by time). Times are all dates (datetimes,
    or text pandas reads as dates) or all whole numbers, which must step by one within a series.

    Parameters
    ----------
    frame : pandas.DataFrame
        The long table.
    id_col : hashable, default "unique_id"
        The column of series ids.
    date_col : hashable, default "ds"
        The column of times.
    value_col : hashable, default "y"
        The column of values.
    freq : str, optional
        The frequency the dates of every series must follow (e.g. ``"MS"``); by default the one
        pandas infers from the series; a series of one or two dates, too few to infer from,
        takes the panel's.
    min_length : int, default 1
        The fewest values a series may have.

    Returns
    -------
    Panel
        The frame's series, in the order of their first row, each sorted by time.

    Raises
    ------
    InvalidInputError
        Naming the series, the time or row at fault and how to fix it: for a missing column, a
        value that is not a number, missing or infinite, a repeated time, a mix of dates and
        numbers, a gap in the times, series of different frequencies or a series shorter than
        ``min_length``. Rows in messages count from 1.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidInputError(
            f"expected a pandas DataFrame in long format ({ID}, {DS}, y), got {type(frame).__name__}"
        )
    _require_columns(list(frame.columns), (id_col, date_col, value_col), InvalidInputError, "the frame")
    return _build(frame, id_col, date_col, value_col, freq, min_length, lambda row: f"row {row + 1}")


def load_panel_csv(
    path: str | os.PathLike,
    *,
    id_col: Hashable = ID,
    date_col: Hashable = DS,
    value_col: Hashable = "y",
    freq: str | None = None,
    sep: str = ",",
    min_length: int = 1,
) -> Panel:
    """Read a long CSV file (a header row, then ``unique_id,ds,y`` rows) as a ``Panel``.

    The ids are read as text exactly as written (``007`` stays ``"007"``), the values exactly as
    Python reads them; everything else is ``from_long``'s, with the file's lines (the header is
    line 1) in messages.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    id_col, date_col, value_col : hashable
        The columns of series ids, times and values (default ``"unique_id"``, ``"ds"``, ``"y"``).
    freq : str, optional
        The frequency every series must follow, as for ``from_long``.
    sep : str, default ","
        The field separator.
    min_length : int, default 1
        The fewest values a series may have.

    Returns
    -------
    Panel
        The file's series, as ``from_long`` builds them.

    Raises
    ------
    DataFileError
        The file is missing, unreadable, empty or lacks a column (listing those it has).
    InvalidInputError
        Its contents are not a valid panel (see ``from_long``).
    """
    path = file_path(path)
    if not isinstance(sep, str) or not sep:
        raise InvalidInputError(f"sep must be the field separator, such as ',' or ';', got {sep!r}")
    try:
        frame = pd.read_csv(
            path,
            sep=sep,
            dtype={id_col: str},
            skip_blank_lines=False,  # so that row i is line i + 2
            skipinitialspace=True,
            float_precision="round_trip",  # the default parser can be off in the last digit
        )
    except pd.errors.EmptyDataError:
        raise DataFileError(
            f"{path} is empty; expected a CSV table with a header row, then one row per series "
            f"and time: {id_col},{date_col},{value_col}"
        ) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise unreadable(path, error, "a CSV file", f"; check sep= (now {sep!r})") from None
    frame = frame.dropna(how="all")  # blank lines
    if frame.empty:
        raise DataFileError(f"{path} has no data rows, only a header")
    columns = list(frame.columns)
    split = f" (split at sep={sep!r}; pass the file's separator)" if len(columns) == 1 else ""
    _require_columns(columns, (id_col, date_col, value_col), DataFileError, f"{path}{split}")
    lines = frame.index.to_numpy() + 2
    return _build(frame, id_col, date_col, value_col, freq, min_length, lambda row: f"line {lines[row]} of {path}")


def panel_frame(
    ids: Sequence[str], index: Sequence[pd.Index], columns: dict[str, Sequence[np.ndarray]]
) -> pd.DataFrame:
    """A long table of many series: ``unique_id``, ``ds``, then one column per entry of
    ``columns``, each a list of per-series arrays of numbers aligned with ``index[k]`` (NaN marks
    a value a model does not give; infinity is refused).

    This is how values and forecasts become a frame (``ids`` and ``index`` from a ``Panel``, or
    its ``future_index`` for forecasts): series in the given order, rows in the order of each
    index.

    Parameters
    ----------
    ids : sequence of str
        The series' ids (written as text).
    index : sequence of pandas.Index
        Each series' time labels: all dates or all integers.
    columns : dict of str to sequence of numpy.ndarray
        Column name to one array per series, aligned with its ``index``.

    Returns
    -------
    pandas.DataFrame
        The long table, with a default integer index.
    """
    ids, index = [str(i) for i in ids], [axis if isinstance(axis, pd.Index) else pd.Index(axis) for axis in index]
    if not isinstance(columns, dict):
        raise InvalidInputError(
            f"columns must be a dict of column name to per-series arrays, e.g. {{'LSTM': forecasts}}; "
            f"got {type(columns).__name__}"
        )
    if len(index) != len(ids) or not ids:
        raise InvalidInputError(
            f"ids and index must have one entry per series, at least one; got {len(ids)} and {len(index)}"
        )
    kinds = {isinstance(axis, pd.DatetimeIndex) for axis in index}
    if len(kinds) > 1 or not (kinds == {True} or all(ptypes.is_integer_dtype(a.dtype) for a in index)):
        raise InvalidInputError(
            "index must hold one time axis per series, all DatetimeIndex or all integer; got "
            f"{sorted({type(a).__name__ for a in index})}"
        )
    lengths = [len(axis) for axis in index]
    data: dict[str, Any] = {
        ID: np.repeat(np.array(ids, dtype=object), lengths),
        DS: index[0].append(index[1:]) if len(index) > 1 else index[0],
    }
    for name, arrays in columns.items():
        if name in (ID, DS):
            raise InvalidInputError(f"columns has an entry {name!r}, a name the frame gives its {name} column")
        arrays = list(arrays)
        if len(arrays) != len(ids):
            raise InvalidInputError(
                f"columns[{name!r}] has {len(arrays)} arrays but there are {len(ids)} series; give one per series"
            )
        parts = [_values_or_missing(a, f"columns[{name!r}] of series {i!r}") for i, a in zip(ids, arrays)]
        wrong = [k for k, (part, n) in enumerate(zip(parts, lengths)) if len(part) != n]
        if wrong:
            k = wrong[0]
            raise InvalidInputError(
                f"columns[{name!r}] of series {ids[k]!r} has {len(parts[k])} values but its index "
                f"{lengths[k]} labels; give one value per label"
            )
        data[name] = np.concatenate(parts)
    return pd.DataFrame(data)


def _values_or_missing(values: Any, name: str) -> np.ndarray:
    """One series of output values: numbers, NaN allowed (a value a model does not give, such as
    an interval for a series it could not calibrate), infinity not."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name} must hold numbers") from None
    if array.ndim != 1:
        raise InvalidInputError(f"{name} must be one series (1-D), got shape {array.shape}")
    if np.isinf(array).any():
        raise InvalidInputError(f"{name} holds an infinite value at position {int(np.flatnonzero(np.isinf(array))[0])}")
    return array


# --- building a Panel from a long table: every check over all rows at once ---------------------


class _Rows:
    """The rows of a long table and the series of each (as a code into ``ids``), for messages
    that name both the series and the row (``place``: a 0-based row position in words)."""

    def __init__(self, column: pd.Series, id_col: Hashable, place: Callable[[int], str]) -> None:
        self.place = place
        codes, uniques = pd.factorize(column)  # numbered in order of first appearance
        missing = np.flatnonzero(codes < 0)
        if missing.size:
            raise InvalidInputError(
                f"{place(missing[0])} has no {id_col} ({missing.size} rows lack one); every row "
                "needs the id of its series: fill it in or remove the row"
            )
        self.codes = codes.astype(np.int64)
        self.ids = tuple(_id_text(i) for i in uniques)
        if len(set(self.ids)) < len(self.ids):
            text = pd.Index(self.ids)
            same = np.flatnonzero(text == text[text.duplicated()][0])
            raise InvalidInputError(
                f"the {id_col}s {_shown(uniques[same[0]])} and {_shown(uniques[same[1]])} are both "
                f"{self.ids[same[0]]!r} as text, which is how a Panel keeps ids; make them differ"
            )

    def at(self, row: int) -> str:
        """``"series 'A' at row 5"``."""
        return f"series {self.ids[self.codes[row]]!r} at {self.place(row)}"


def _build(
    frame: pd.DataFrame,
    id_col: Hashable,
    date_col: Hashable,
    value_col: Hashable,
    freq: str | None,
    min_length: int,
    place: Callable[[int], str],
) -> Panel:
    min_length = positive_int(min_length, "min_length")
    if freq is not None and not isinstance(freq, str):
        raise InvalidInputError(f"freq must be a pandas frequency such as 'MS' or 'D', or None; got {freq!r}")
    if len({id_col, date_col, value_col}) < 3:
        raise InvalidInputError(
            f"id_col={id_col!r}, date_col={date_col!r} and value_col={value_col!r} must name three different columns"
        )
    if frame.empty:
        raise InvalidInputError("the frame has no rows; a panel needs at least one series")
    rows = _Rows(frame[id_col], id_col, place)
    times = _times(frame[date_col], date_col, rows)
    is_dates = isinstance(times, pd.DatetimeIndex)
    key = times.asi8 if is_dates else times
    label = time_label if is_dates else str

    def when(row: int) -> str:  # "ds 2000-01-01"
        return f"{date_col} {label(times[row])}"

    values = _values(frame[value_col], value_col, rows, when)

    order = np.lexsort((key, rows.codes))  # by series, then time; stable, so repeats keep file order
    codes, key = rows.codes[order], key[order]
    lengths = np.bincount(codes, minlength=len(rows.ids))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    later = codes[1:] == codes[:-1]  # row i + 1 (in sorted order) continues the series of row i
    repeated = np.flatnonzero(later & (key[1:] == key[:-1]))
    if repeated.size:
        first, again = order[repeated[0]], order[repeated[0] + 1]
        raise InvalidInputError(
            f"series {rows.ids[codes[repeated[0]]]!r} has {when(first)} twice, at "
            f"{place(first)} and {place(again)} ({repeated.size} repeats in all); remove the "
            f"repeats or aggregate them, e.g. frame.groupby([{id_col!r}, {date_col!r}]).mean()"
        )
    short = np.flatnonzero(lengths < min_length)
    if short.size:
        k = short[0]
        raise InvalidInputError(
            f"series {rows.ids[k]!r} has {lengths[k]} value(s), fewer than min_length={min_length} "
            f"({short.size} series are that short); drop the short series, e.g. "
            f"frame.groupby({id_col!r}).filter(lambda rows: len(rows) >= {min_length})"
        )
    if is_dates:
        axes = _date_axes(times[order], later, starts, lengths, freq, rows, order, date_col)
    else:
        if freq is not None:
            raise InvalidInputError(f"freq={freq!r} applies to dates, but {date_col} holds whole numbers; drop freq=")
        jumps = np.flatnonzero(later & (key[1:] != key[:-1] + 1))
        if jumps.size:
            i = jumps[0]
            raise InvalidInputError(
                f"series {rows.ids[codes[i]]!r} has no row for {date_col} {key[i] + 1}: it goes from "
                f"{key[i]} ({place(order[i])}) to {key[i + 1]} ({place(order[i + 1])}); whole-number "
                "times step by 1 within a series: add the missing rows or renumber them"
            )
        axes = [pd.RangeIndex(key[s], key[s] + n) for s, n in zip(starts, lengths)]
    return Panel(rows.ids, tuple(np.split(values[order], starts[1:])), tuple(axes))


def _times(column: pd.Series, name: Hashable, rows: _Rows) -> pd.DatetimeIndex | np.ndarray:
    """The time column as a ``DatetimeIndex``, or as int64 whole numbers, in row order."""
    missing = np.flatnonzero(column.isna().to_numpy())
    if missing.size:
        raise InvalidInputError(
            f"{rows.at(missing[0])} has no {name} ({missing.size} rows lack one); fill it in or remove the row"
        )
    dtype = column.dtype
    if isinstance(dtype, pd.PeriodDtype):
        return pd.DatetimeIndex(column.dt.to_timestamp())
    if ptypes.is_datetime64_any_dtype(dtype):
        return pd.DatetimeIndex(column)
    if ptypes.is_integer_dtype(dtype) and not ptypes.is_bool_dtype(dtype):
        return column.to_numpy(dtype=np.int64)
    if not (ptypes.is_float_dtype(dtype) or ptypes.is_object_dtype(dtype) or ptypes.is_string_dtype(dtype)):
        raise InvalidInputError(
            f"{name} holds {dtype} values; it must hold dates (or text such as 2024-01-31) or whole numbers"
        )
    mixed = f"{name} must hold only dates (all written the same way, e.g. 2024-01-31) or only whole numbers"
    first = column.iloc[0]
    if ptypes.is_float_dtype(dtype) or _looks_whole(first):
        numbers_ = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.flatnonzero(~(numbers_ == np.round(numbers_)))  # NaN too: not a number at all
        if bad.size:
            row = bad[0]
            raise InvalidInputError(
                f"{rows.at(row)}: {name} {_shown(column.iloc[row])} is not a whole number (the "
                f"first {name} is {_shown(first)}); {mixed}: fix that value"
            )
        return numbers_.astype(np.int64)
    if ptypes.infer_dtype(column, skipna=False) not in ("string", "datetime", "datetime64", "date"):
        # numbers among dates: pandas would read them as nanoseconds since 1970
        row = next((r for r, v in enumerate(column) if isinstance(v, numbers.Number)), None)
        if row is not None:
            raise InvalidInputError(
                f"{rows.at(row)}: {name} {_shown(column.iloc[row])} is not a date (the first {name} "
                f"is {_shown(first)}); {mixed}: fix that value"
            )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format": checked below
        warnings.simplefilter("ignore", FutureWarning)  # mixed time zones: checked below
        try:
            dates = pd.to_datetime(column, errors="coerce")
        except (TypeError, ValueError):  # aware and naive datetimes together
            dates = column
    if not ptypes.is_datetime64_any_dtype(dates.dtype):
        raise InvalidInputError(
            f"{name} mixes time zones, or dates with and without one (e.g. {_shown(first)}); convert the "
            "dates to one, e.g. pd.to_datetime(frame[...], utc=True)"
        )
    bad = np.flatnonzero(dates.isna().to_numpy())
    if bad.size:
        row = bad[0]
        raise InvalidInputError(
            f"{rows.at(row)}: cannot read {name} {_shown(column.iloc[row])} as a date like the "
            f"first {name} ({_shown(first)}); {mixed}: fix that value"
        )
    return pd.DatetimeIndex(dates)


def _values(column: pd.Series, name: Hashable, rows: _Rows, when: Callable[[int], str]) -> np.ndarray:
    """The value column as float64, in row order: every value a finite number (``when`` names a
    row's time in messages)."""
    if column.dtype.kind not in "iufO":  # not True/False, dates or durations; text is read below
        raise InvalidInputError(
            f"{name} holds {column.dtype} values, not numbers; pick the column of numbers with value_col="
        )
    numbers_ = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    missing = np.isnan(numbers_)
    text = np.flatnonzero(missing & column.notna().to_numpy())
    if text.size:
        row = text[0]
        raise InvalidInputError(
            f"{rows.at(row)} ({when(row)}): {name} {_shown(column.iloc[row])} is not a number "
            f"({text.size} in all); fix those values (a marker of a missing value, such as '?', must "
            "become a real value: nothing is filled in silently)"
        )
    for bad, what, fix in (
        (missing, "missing", "fill each empty or NaN value in (e.g. by interpolating) or remove its row"),
        (np.isinf(numbers_), "infinite", "replace each infinite value by a real one"),
    ):
        where = np.flatnonzero(bad)
        if where.size:
            row = where[0]
            raise InvalidInputError(
                f"{rows.at(row)} ({when(row)}): {name} is {what} ({where.size} value(s) in all); "
                f"{fix}: nothing is filled in silently"
            )
    return numbers_


def _date_axes(
    dates: pd.DatetimeIndex,
    later: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    freq: str | None,
    rows: _Rows,
    order: np.ndarray,
    name: Hashable,
) -> list[pd.DatetimeIndex]:
    """Each series' dates (``dates``: sorted by series, then time) as a ``DatetimeIndex`` with
    ``.freq`` set, after checking that every series follows the panel's frequency."""
    series = np.repeat(np.arange(len(lengths)), lengths)
    if freq is None:
        offset, source = _infer_frequency(dates, starts, lengths, rows)
        named = f"the panel's frequency {offset.freqstr!r} (inferred from series {rows.ids[source]!r})"
        fix = f"pass freq= to say which frequency the {name} follow"
    else:
        try:
            offset, source = to_offset(freq), None
        except ValueError:
            raise InvalidInputError(
                f"freq={freq!r} is not a pandas frequency; use e.g. 'D', 'W', 'MS', 'QS', 'YS' or 'h'"
            ) from None
        named, fix = f"freq={freq!r}", "pass the right freq="
    off_start = np.zeros(len(dates), dtype=bool)
    off_start[starts] = [not offset.is_on_offset(date) for date in dates[starts]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)  # rare offsets pandas loops over
        expected = dates[:-1] + offset
        off = later & (dates[1:] != expected)
        if dates.tz is not None and off.any():
            # pandas steps days by the calendar across a daylight saving change, hours by the clock
            wall = dates.tz_localize(None)
            off &= wall[1:] != wall[:-1] + offset
    off_step = np.concatenate([[False], off])
    bad = np.flatnonzero(off_start | off_step)
    if bad.size:
        i = bad[0]
        k = series[i]
        own = pd.infer_freq(dates[starts[k] : starts[k] + lengths[k]]) if lengths[k] >= 3 else None
        if source is not None and own is not None and own != offset.freqstr:
            raise InvalidInputError(
                f"series {rows.ids[k]!r} has the frequency {own!r}, but series {rows.ids[source]!r} "
                f"{offset.freqstr!r}; every series of a panel has the same frequency: {fix} (series "
                "that do not follow it are then named), or load the series separately"
            )
        date = dates[i]
        if off_start[i]:
            raise InvalidInputError(
                f"series {rows.ids[k]!r} starts at {time_label(date)} ({rows.place(order[i])}), "
                f"which is not a date of {named}; the next one is {time_label(offset.rollforward(date))}: "
                f"fix its dates, or {fix}"
            )
        step = expected[i - 1]
        if date > step:
            raise InvalidInputError(
                f"series {rows.ids[k]!r} has no row for {time_label(step)}: after "
                f"{time_label(dates[i - 1])} comes {time_label(date)} ({rows.place(order[i])}), a gap "
                f"at {named}; add the missing rows, with values, or {fix}"
            )
        raise InvalidInputError(
            f"series {rows.ids[k]!r} has {time_label(date)} ({rows.place(order[i])}) between "
            f"{time_label(dates[i - 1])} and {time_label(step)}, off {named}; fix or remove that "
            f"row, or {fix}"
        )
    return _regular_axes(dates, starts, lengths, offset, rows)


def _infer_frequency(
    dates: pd.DatetimeIndex, starts: np.ndarray, lengths: np.ndarray, rows: _Rows
) -> tuple[BaseOffset, int]:
    """The frequency pandas infers from the first series that has one, and that series."""
    for k in np.flatnonzero(lengths >= 3):
        found = pd.infer_freq(dates[starts[k] : starts[k] + lengths[k]])
        if found is not None:
            return to_offset(found), int(k)
    if (lengths >= 3).any():
        k = int(np.flatnonzero(lengths >= 3)[0])
        raise InvalidInputError(
            f"cannot infer a frequency: no series has regularly spaced dates (series {rows.ids[k]!r} "
            f"has {lengths[k]}, from {time_label(dates[starts[k]])} to "
            f"{time_label(dates[starts[k] + lengths[k] - 1])}: a missing date, an extra one, mixed "
            "spacing?); pass freq= with the frequency they should follow (e.g. freq='MS' or 'D') "
            "to find the first date of each series that does not"
        )
    raise InvalidInputError(
        f"cannot infer a frequency: every series has at most 2 dates (such as series "
        f"{rows.ids[int(np.argmax(lengths))]!r}); pass freq= (e.g. freq='MS' or 'D')"
    )


def _regular_axes(
    dates: pd.DatetimeIndex, starts: np.ndarray, lengths: np.ndarray, offset: BaseOffset, rows: _Rows
) -> list[pd.DatetimeIndex]:
    """Each series' (checked) dates as a ``DatetimeIndex`` with ``.freq`` set, sliced from one
    ``date_range`` per grid of the offset: giving 1,500 indexes a frequency one by one costs pandas
    about a second, since it checks each against a new range. Dates of an anchored offset (month
    starts, Sundays) all lie on one grid; dates of a fixed step (days, hours) on one grid per phase
    (midnights, noons...), unless the series lie so far apart that a grid would be huge."""
    firsts, lasts = dates[starts], dates[starts + lengths - 1]
    if isinstance(offset, Tick):  # steps in the dates' unit
        step = int(pd.Timedelta(offset) / pd.Timedelta(1, unit=dates.unit))
        phases = firsts.asi8 % step
    else:
        step, phases = 0, np.zeros(len(starts), dtype=np.int64)
    axes: list[pd.DatetimeIndex] = [None] * len(starts)  # type: ignore[list-item]
    for phase in np.unique(phases):
        members = np.flatnonzero(phases == phase)
        low, high = firsts[members].min(), lasts[members].max()
        span = int(lasts.asi8[members].max()) - int(firsts.asi8[members].min())  # Python ints: no overflow
        if step and span // step > 4 * lengths[members].sum() + 1000:
            for k in members:
                axes[k] = pd.date_range(firsts[k], periods=lengths[k], freq=offset, unit=dates.unit)
            continue
        grid = pd.date_range(low, high, freq=offset, unit=dates.unit)
        at = grid.searchsorted(firsts[members])
        ends = at + lengths[members] - 1
        last = grid[np.minimum(ends, len(grid) - 1)]
        wrong = np.flatnonzero((ends >= len(grid)) | (last != lasts[members]))
        if wrong.size:  # pandas' date_range disagrees with adding the offset (daylight saving?)
            k = members[wrong[0]]
            raise InvalidInputError(
                f"the dates of series {rows.ids[k]!r} do not match pandas' date_range at "
                f"{offset.freqstr!r} from {time_label(firsts[k])}; if they cross a daylight saving "
                "change, convert them to UTC first (dates.dt.tz_convert('UTC'))"
            )
        for k, a in zip(members, at):
            axes[k] = grid[a : a + lengths[k]]
    return axes


# --- small helpers ---------------------------------------------------------------------------


def _require_columns(columns: list, wanted: Sequence[Hashable], error: type[Exception], where: str) -> None:
    absent = [column for column in wanted if column not in columns]
    if absent:
        raise error(
            f"{where} has no column {', '.join(map(repr, absent))}; its columns are {columns}: name the "
            "right ones with id_col=, date_col= and value_col="
        )
    repeated = [column for column in wanted if columns.count(column) > 1]
    if repeated:
        raise error(f"{where} has the column {repeated[0]!r} more than once; rename the copies")


def _refuse_repeats(items: Sequence[Any], name: str) -> None:
    seen: set = set()
    for item in items:
        if item in seen:
            raise InvalidInputError(f"{name} holds {item!r} more than once; every series needs its own id")
        seen.add(item)


def _shown(value: Any) -> str:
    """A cell as a reader would write it: ``2.5``, not ``np.float64(2.5)``."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _id_text(value: Any) -> str:
    """A series id as text: ``3`` and ``3.0`` (a column of whole numbers with a gap) are ``"3"``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _looks_whole(value: Any) -> bool:
    """Whether a time label is a whole number (``5``, ``5.0``, ``"5"``) rather than a date."""
    if isinstance(value, str):
        return value.strip().lstrip("+-").isdigit()
    if isinstance(value, (bool, np.bool_)):
        return False
    return isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer())


def _whole_end(ends: Any) -> int:
    """One ``ends`` for every series: a whole number, negative to count from the end."""
    try:
        negative = ends < 0
    except TypeError:
        negative = False
    hint = "a negative ends drops that many values from the end of every series"
    return -positive_int(-ends, "-ends", hint) if negative else non_negative_int(ends, "ends", hint)


def _axis_kind(axis: Any, series: str) -> BaseOffset | None:
    """A time axis's frequency, or ``None`` for a ``RangeIndex`` stepping by one."""
    if isinstance(axis, pd.DatetimeIndex) and axis.freq is not None:
        return axis.freq
    if isinstance(axis, pd.RangeIndex) and axis.step == 1:
        return None
    what = "a DatetimeIndex without a frequency" if isinstance(axis, pd.DatetimeIndex) else f"a {type(axis).__name__}"
    raise InvalidInputError(
        f"series {series!r} has {what} for a time axis; it must be a DatetimeIndex with .freq set "
        "or a RangeIndex stepping by 1: build panels with from_long"
    )


def _describe_kind(kind: BaseOffset | None) -> str:
    return "integers" if kind is None else f"frequency {kind.freqstr!r}"


def load_series_or_panel(
    path: str | os.PathLike,
    *,
    id_col: Hashable | None = None,
    date_col: Hashable | None = None,
    value_col: Hashable | None = None,
    sep: str = ",",
    **options: Any,
) -> pd.Series | Panel:
    """Read a CSV file of one series or of many: a ``Panel`` when the file is in long format (its
    header has ``unique_id``, ``ds`` and ``y``, or ``id_col`` is given), else one series.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    id_col : str, optional
        Long format: the series id column (default ``unique_id``; giving it asks for a panel).
    date_col, value_col : str, optional
        The date and value columns (long format: default ``ds`` and ``y``; one series: the first
        column and the only other numeric one).
    sep : str, default ","
        The field separator.
    **options
        One series: the other options of ``lstmcast.data.load_csv`` (``skip_footer``,
        ``na_values``, ``missing``, ``date_format``...).

    Returns
    -------
    pandas.Series or Panel
    """
    from lstmcast.data.files import csv_columns
    from lstmcast.data.load import load_csv

    if id_col is not None or is_long_format(csv_columns(path, sep)):
        return load_panel_csv(path, id_col=id_col or ID, date_col=date_col or DS, value_col=value_col or "y", sep=sep)
    return load_csv(path, date_col=date_col, value_col=value_col, sep=sep, **options)
