"""The bundled datasets load, validated, with the lengths, values and frequencies of the sources."""

import gzip
import importlib.resources

import numpy as np
import pandas as pd
import pytest

from lstmcast import datasets
from lstmcast.errors import InvalidInputError


@pytest.fixture(scope="module")
def sunspots_daily():
    return datasets.load("sunspots_daily")


@pytest.mark.parametrize(
    ("name", "length", "first", "last", "start", "end"),
    [
        ("airline", 144, 112.0, 432.0, "1949-01-01", "1960-12-01"),
        ("milk", 168, 589.0, 843.0, "1962-01-01", "1975-12-01"),
        ("shampoo", 36, 266.0, 646.9, "1991-01-01", "1993-12-01"),
        ("sunspots_monthly", 3177, 58.0, 37.0, "1749-01-01", "2013-09-01"),
    ],
)
def test_monthly_datasets(name, length, first, last, start, end):
    series = datasets.load(name)
    assert len(series) == length
    assert (series.iloc[0], series.iloc[-1]) == (first, last)
    assert series.index[0] == pd.Timestamp(start) and series.index[-1] == pd.Timestamp(end)
    assert series.index.freqstr == "MS" and series.dtype == np.float64


def test_sunspots_daily_keeps_the_tutorial_range_with_interpolated_gaps(sunspots_daily):
    assert len(sunspots_daily) == 72_920
    assert sunspots_daily.index.freqstr == "D"
    assert sunspots_daily.index[0] == pd.Timestamp("1818-01-08")  # 7 missing days dropped
    assert sunspots_daily.index[-1] == pd.Timestamp("2017-08-31")
    assert (sunspots_daily.iloc[0], sunspots_daily.iloc[-1]) == (65.0, 74.0)
    assert np.isfinite(sunspots_daily.to_numpy()).all()
    assert len(sunspots_daily[:"2017-06-30"]) == 72_858  # the tutorial's 72,865 rows minus 7


def test_sunspots_daily_equals_the_raw_file_where_nothing_is_missing(sunspots_daily):
    resource = importlib.resources.files("lstmcast.datasets") / "files"
    with gzip.open(resource / "sunspots_daily_SN_d_tot_V2.0.csv.gz", "rt") as file:
        raw = pd.read_csv(file, sep=";", header=None)[4].to_numpy()
    assert len(raw) == 72_927 and (raw == -1).sum() == 3_247
    observed = raw[7:] != -1
    assert np.array_equal(sunspots_daily.to_numpy()[observed], raw[7:][observed])
    assert np.array_equal(sunspots_daily["1848-12-23":].to_numpy(), raw[-61_613:])


def test_sunspots_daily_can_refuse_its_missing_days():
    with pytest.raises(InvalidInputError, match="3247 missing values"):
        datasets.load("sunspots_daily", missing="error")


def test_names_describe_and_unknown_names():
    assert datasets.names() == ["airline", "milk", "shampoo", "sunspots_daily", "sunspots_monthly"]
    for name in datasets.names():
        line = datasets.describe(name)
        assert "\n" not in line and "Source:" in line
    with pytest.raises(InvalidInputError, match="airline, milk, shampoo"):
        datasets.load("passengers")
    with pytest.raises(InvalidInputError, match="sunspots_monthly"):
        datasets.describe("sunspots")


def test_files_ship_with_their_provenance():
    files = importlib.resources.files("lstmcast.datasets") / "files"
    provenance = (files / "PROVENANCE.md").read_text()
    for name in [
        "airline_passengers.csv",
        "milk_production.csv",
        "shampoo_sales.csv",
        "sunspots_monthly.csv",
        "sunspots_daily_SN_d_tot_V2.0.csv",
    ]:
        assert name in provenance
    assert "3,247" in provenance and "72,920" in provenance
