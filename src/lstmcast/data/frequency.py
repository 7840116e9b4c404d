"""What the frequency of a validated series implies: the next timestamps, the seasonal period."""

from __future__ import annotations

import pandas as pd
from pandas.api import types as ptypes

from lstmcast._checks import positive_int
from lstmcast.errors import InvalidInputError

# Offsets whose one step repeats in a natural cycle, and the number of steps in that cycle.
_STEPS_PER_CYCLE = (
    ((pd.offsets.MonthBegin, pd.offsets.MonthEnd), 12),  # months in a year
    ((pd.offsets.BusinessMonthBegin, pd.offsets.BusinessMonthEnd), 12),
    ((pd.offsets.QuarterBegin, pd.offsets.QuarterEnd), 4),  # quarters in a year
    ((pd.offsets.BQuarterBegin, pd.offsets.BQuarterEnd), 4),
    ((pd.offsets.Week,), 52),  # weeks in a year
    ((pd.offsets.Day,), 7),  # days in a week
    ((pd.offsets.Hour,), 24),  # hours in a day
)


def future_index(series: pd.Series | pd.Index, horizon: int) -> pd.Index:
    """The ``horizon`` time labels that follow the end of ``series`` (or of a time index), at its
    frequency.

    Dates continue ``index.freq`` (so a monthly series ending 1960-12-01 continues 1961-01-01,
    ...); an integer time index continues with the next integers.

    Parameters
    ----------
    series : pandas.Series or pandas.Index
        A validated series, or its time index.
    horizon : int
        How many time labels.

    Returns
    -------
    pandas.Index
        A ``DatetimeIndex`` at the series' frequency, or a ``RangeIndex``.

    Raises
    ------
    InvalidInputError
        The dates have no frequency, or the index holds neither dates nor integers (the series
        was not validated).
    """
    horizon = positive_int(horizon, "horizon")
    index = series if isinstance(series, pd.Index) else series.index
    if isinstance(index, pd.DatetimeIndex):
        if index.freq is None:
            raise InvalidInputError(
                "the series has no frequency (index.freq is None); load it with "
                "lstmcast.data (load_csv, from_pandas or validate_series), which sets it"
            )
        return pd.date_range(index[-1] + index.freq, periods=horizon, freq=index.freq)
    if ptypes.is_integer_dtype(index.dtype) and len(index):
        return pd.RangeIndex(index[-1] + 1, index[-1] + 1 + horizon)
    raise InvalidInputError(
        f"the series' index holds {index.dtype} values; validate it with lstmcast.data.validate_series first"
    )


def season_length(series: pd.Series) -> int:
    """The natural seasonal period, in steps, implied by the series' frequency.

    Monthly 12, quarterly 4, weekly 52, daily 7, hourly 24; a multiple of a step divides the
    cycle when it can (``"3MS"`` is 4, ``"6h"`` is 4). Yearly, other or unknown frequencies, and
    integer time indexes, have no known season: 1.

    Parameters
    ----------
    series : pandas.Series
        A validated series (its ``index.freq`` is read).

    Returns
    -------
    int
        The seasonal period; 1 when there is none.
    """
    offset = getattr(series.index, "freq", None)
    if offset is None:
        return 1
    for kinds, steps in _STEPS_PER_CYCLE:
        if isinstance(offset, kinds):
            return steps // offset.n if offset.n > 0 and steps % offset.n == 0 else 1
    return 1


def index_to_data(index: pd.Index) -> dict:
    """A validated time index as plain data (its start, frequency and length), for model files."""
    if isinstance(index, pd.DatetimeIndex):
        tz = None if index.tz is None else str(index.tz)
        start = index[0].tz_localize(None) if tz else index[0]
        return {"kind": "datetime", "start": start.isoformat(), "tz": tz, "freq": index.freqstr, "length": len(index)}
    return {"kind": "range", "start": int(index[0]), "length": len(index)}


def index_from_data(data: dict) -> pd.Index:
    """The index ``index_to_data`` described."""
    if data["kind"] == "datetime":
        return pd.date_range(data["start"], periods=data["length"], freq=data["freq"], tz=data.get("tz"))
    return pd.RangeIndex(data["start"], data["start"] + data["length"])
