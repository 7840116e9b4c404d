"""Panels: many series in Nixtla's long format, checked as a whole, and written back as tables.

Every frame is built here from NumPy and pandas, and every expected result from what was built:
the dates of a series are one ``date_range`` cut in two (its data, then its future).
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstmcast.data import Panel, from_long, is_long_format, load_panel_csv, panel_frame
from lstmcast.errors import DataFileError, InvalidInputError

RNG = np.random.default_rng(20261202)


def make_series(freq, starts, lengths, horizon=0, seed=0):
    """``{id: (times, values, future times)}``: each series' times one regular run from its start
    (a date, or an integer for ``freq=None``), its ``horizon`` next times kept apart."""
    rng = np.random.default_rng(seed)
    series = {}
    for k, (start, n) in enumerate(zip(starts, lengths)):
        if freq is None:
            times = pd.RangeIndex(start, start + n + horizon)
        else:
            times = pd.date_range(start, periods=n + horizon, freq=freq)
        series[f"s{k}"] = (times[:n], rng.normal(100, 10, n).round(3), times[n:])
    return series


def long_frame(series, shuffle=False, id_col="unique_id", date_col="ds", value_col="y"):
    """The long table of ``make_series``'s output, series after series (or rows shuffled)."""
    frame = pd.DataFrame(
        {
            id_col: np.repeat(list(series), [len(t) for t, _, _ in series.values()]),
            date_col: np.concatenate([np.asarray(t) for t, _, _ in series.values()]),
            value_col: np.concatenate([v for _, v, _ in series.values()]),
        }
    )
    if shuffle:
        frame = frame.sample(frac=1, random_state=1).reset_index(drop=True)
    return frame


def in_order_of_appearance(frame, shuffled):
    """``frame`` (series after series, in time order) with its series in the order of their first
    row in ``shuffled``: the order a panel keeps."""
    order = pd.unique(shuffled["unique_id"])
    return pd.concat([frame[frame["unique_id"] == i] for i in order], ignore_index=True)


def assert_panel_is(panel, series):
    assert panel.ids == tuple(series)
    assert panel.n_series == len(panel) == len(series)
    assert panel.lengths.tolist() == [len(t) for t, _, _ in series.values()]
    for k, (times, values, _) in enumerate(series.values()):
        assert panel.values[k].dtype == np.float64
        np.testing.assert_array_equal(panel.values[k], values)
        assert panel.index[k].equals(times)


# --- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("freq", "season"),
    [("MS", 12), ("QS", 4), ("D", 7), ("W", 52), ("h", 24), (None, 1)],
)
def test_series_of_different_lengths_and_starts_keep_their_time_axes(freq, season):
    starts = [1, 5, -3] if freq is None else ["2001-01-01", "2003-07-01", "1999-10-01"]
    series = make_series(freq, starts, [30, 7, 2])
    panel = from_long(long_frame(series))
    assert_panel_is(panel, series)
    assert_panel_is(from_long(long_frame(series, shuffle=True)).select(list(series)), series)
    assert panel.season == season
    if freq is None:
        assert panel.freq is None
        assert all(isinstance(axis, pd.RangeIndex) for axis in panel.index)
    else:
        first = next(iter(series.values()))[0]
        assert all(axis.freq == first.freq or axis.freqstr == panel.freq for axis in panel.index)
        assert pd.date_range(first[0], periods=len(first), freq=panel.freq).equals(first)


def test_round_trip_gives_the_frame_back_in_series_then_time_order():
    series = make_series("MS", ["2000-01-01", "2004-05-01", "2001-02-01", "2002-12-01"], [24, 13, 60, 1])
    frame = long_frame(series)
    pd.testing.assert_frame_equal(from_long(frame).to_frame(), frame)
    shuffled = frame.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(from_long(shuffled).to_frame(), in_order_of_appearance(frame, shuffled))


def test_ids_become_text_in_order_of_first_appearance():
    frame = pd.DataFrame({"unique_id": [7, 7, 7, 3, 3, 3, 7], "ds": [1, 2, 3, 1, 2, 3, 4], "y": np.arange(7.0)})
    panel = from_long(frame)
    assert panel.ids == ("7", "3")
    np.testing.assert_array_equal(panel.values[0], [0.0, 1.0, 2.0, 6.0])


def test_dates_written_as_text_are_parsed():
    series = make_series("MS", ["2010-01-01", "2011-03-01"], [5, 4])
    frame = long_frame(series)
    frame["ds"] = frame["ds"].dt.strftime("%Y-%m-%d")
    assert_panel_is(from_long(frame), series)


def test_given_freq_is_used_and_short_series_take_the_panels_frequency():
    series = make_series("MS", ["2000-01-01", "2000-06-01", "2001-01-01"], [12, 1, 2])
    panel = from_long(long_frame(series))
    assert_panel_is(panel, series)
    assert [axis.freqstr for axis in panel.index] == ["MS"] * 3
    assert_panel_is(from_long(long_frame(series), freq="MS"), series)
    alone = {"s2": series["s2"]}
    assert_panel_is(from_long(long_frame(alone), freq="MS"), alone)


def test_custom_column_names():
    series = make_series("D", ["2020-01-01", "2020-02-01"], [10, 3])
    frame = long_frame(series, id_col="store", date_col="day", value_col="sales")
    assert is_long_format(frame, id_col="store", date_col="day", value_col="sales")
    assert not is_long_format(frame)
    assert_panel_is(from_long(frame, id_col="store", date_col="day", value_col="sales"), series)


def test_is_long_format_takes_a_frame_or_a_list():
    assert is_long_format(["ds", "y", "unique_id", "extra"])
    assert not is_long_format(pd.DataFrame(columns=["unique_id", "ds"]))


def test_the_frame_of_1500_series_loads():
    n, longest = 1500, 320
    lengths = RNG.integers(longest // 4, longest + 1, n)
    lengths[0] = longest
    ends = RNG.integers(0, 24, n)  # series end up to two years before the last month
    grid = pd.date_range("1990-01-01", periods=longest + 24, freq="MS")
    frame = pd.DataFrame(
        {
            "unique_id": np.repeat([f"id{k}" for k in range(n)], lengths),
            "ds": np.concatenate([grid[len(grid) - e - m : len(grid) - e] for e, m in zip(ends, lengths)]),
            "y": RNG.normal(size=lengths.sum()),
        }
    )
    panel = from_long(frame)
    assert panel.n_series == n
    assert panel.lengths.tolist() == lengths.tolist()
    assert panel.index[7].equals(grid[len(grid) - ends[7] - lengths[7] : len(grid) - ends[7]])
    full = pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(n), longest),
            "ds": np.tile(grid[:longest], n),
            "y": RNG.normal(size=n * longest),
        }
    )
    assert len(full) == 480_000
    assert from_long(full).lengths.sum() == 480_000


# --- what a panel does ----------------------------------------------------------------------


@pytest.mark.parametrize("freq", ["MS", "QS", "D", None])
def test_future_index_continues_every_series(freq):
    starts = [3, 10] if freq is None else ["2000-01-01", "2002-04-01"]
    series = make_series(freq, starts, [9, 4], horizon=5)
    future = from_long(long_frame(series)).future_index(5)
    for axis, (_, _, expected) in zip(future, series.values()):
        assert axis.equals(expected)
    with pytest.raises(InvalidInputError, match="horizon"):
        from_long(long_frame(series)).future_index(0)


def test_cut_keeps_the_first_values_of_each_series():
    series = make_series("MS", ["2000-01-01", "2001-01-01", "2002-01-01"], [10, 6, 8])
    panel = from_long(long_frame(series))
    for ends, keep in [([4, 6, 1], [4, 6, 1]), (-2, [8, 4, 6]), (7, [7, 6, 7])]:
        cut = panel.cut(ends)
        assert cut.lengths.tolist() == keep
        for k, (times, values, _) in enumerate(series.values()):
            np.testing.assert_array_equal(cut.values[k], values[: keep[k]])
            assert cut.index[k].equals(times[: keep[k]]) and cut.index[k].freqstr == "MS"
    assert panel.lengths.tolist() == [10, 6, 8]  # unchanged


@pytest.mark.parametrize(("ends", "named"), [(-6, "'s1'"), ([3, 0, 2], "'s1'"), ([3, 7, 2], "'s1'"), (0, "'s0'")])
def test_cut_refuses_to_empty_or_overrun_a_series(ends, named):
    panel = from_long(long_frame(make_series(None, [1, 1, 1], [10, 6, 8])))
    with pytest.raises(InvalidInputError, match=named):
        panel.cut(ends)


@pytest.mark.parametrize("ends", [1.5, True, "3", [1, 2]])
def test_cut_refuses_what_is_not_whole_ends(ends):
    with pytest.raises(InvalidInputError, match="ends"):
        from_long(long_frame(make_series(None, [1, 1, 1], [10, 6, 8]))).cut(ends)


def test_select_keeps_the_named_series_in_the_order_asked():
    series = make_series("QS", ["2000-01-01", "2001-01-01", "2002-01-01"], [5, 6, 7])
    picked = from_long(long_frame(series)).select(["s2", "s0"])
    assert_panel_is(picked, {"s2": series["s2"], "s0": series["s0"]})
    panel = from_long(long_frame(series))
    with pytest.raises(InvalidInputError, match="'s9'"):
        panel.select(["s0", "s9"])
    for wrong in ["s0", [], ["s0", "s0"]]:
        with pytest.raises(InvalidInputError):
            panel.select(wrong)


def test_panel_frame_lays_out_forecasts_beside_their_times():
    series = make_series("MS", ["2000-01-01", "2003-01-01"], [12, 20], horizon=3)
    panel = from_long(long_frame(series))
    future = panel.future_index(3)
    mean = [RNG.normal(size=3) for _ in range(2)]
    low = [m - 1 for m in mean]
    frame = panel_frame(panel.ids, future, {"LSTM": mean, "LSTM-lo-80": low})
    assert list(frame.columns) == ["unique_id", "ds", "LSTM", "LSTM-lo-80"]
    assert frame["unique_id"].tolist() == ["s0"] * 3 + ["s1"] * 3
    assert pd.DatetimeIndex(frame["ds"]).equals(series["s0"][2].append(series["s1"][2]))
    np.testing.assert_array_equal(frame["LSTM"], np.concatenate(mean))
    np.testing.assert_array_equal(frame["LSTM-lo-80"], np.concatenate(low))
    with pytest.raises(InvalidInputError, match="'s1'"):
        panel_frame(panel.ids, future, {"LSTM": [mean[0], mean[1][:2]]})
    with pytest.raises(InvalidInputError, match="one per series"):
        panel_frame(panel.ids, future, {"LSTM": mean[:1]})
    with pytest.raises(InvalidInputError, match="'s0'"):
        panel_frame(panel.ids, future, {"LSTM": [np.full(3, np.inf), mean[1]]})
    # NaN marks a value a model does not give (an interval it could not calibrate): kept as NaN
    assert panel_frame(panel.ids, future, {"LSTM": [np.full(3, np.nan), mean[1]]})["LSTM"].isna().sum() == 3


def test_a_panel_checks_what_it_is_built_from():
    axis = pd.date_range("2000-01-01", periods=3, freq="MS")
    Panel(("a",), (np.arange(3.0),), (axis,))
    for ids, values, index, named in [
        (("a", "a"), (np.ones(3), np.ones(3)), (axis, axis), "'a'"),
        (("a",), (np.array([1.0, np.nan, 2.0]),), (axis,), "'a'"),
        (("a",), (np.ones(4),), (axis,), "'a'"),
        (("a",), (np.ones(3),), (pd.DatetimeIndex(np.asarray(axis)),), "'a'"),
        (("a", "b"), (np.ones(3), np.ones(3)), (axis, pd.RangeIndex(3)), "'b'"),
        (("a", "b"), (np.ones(3), np.ones(3)), (axis, pd.date_range("2000", periods=3, freq="D")), "'b'"),
        ((), (), (), "at least one"),
    ]:
        with pytest.raises(InvalidInputError, match=named):
            Panel(ids, values, index)


# --- what a panel refuses, naming the series ----------------------------------------------------


def frame_of(rows):
    return pd.DataFrame(rows, columns=["unique_id", "ds", "y"])


MONTHS = [str(d.date()) for d in pd.date_range("2000-01-01", periods=12, freq="MS")]
GOOD = [("ok", d, float(k)) for k, d in enumerate(MONTHS)]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (GOOD + [("bad", MONTHS[0], 1.0), ("bad", MONTHS[1], "x")], ["'bad'", MONTHS[1], "'x'"]),
        (GOOD + [("bad", MONTHS[0], 1.0), ("bad", MONTHS[1], np.nan)], ["'bad'", MONTHS[1], "missing"]),
        (GOOD + [("bad", MONTHS[0], np.inf)], ["'bad'", MONTHS[0], "infinite"]),
        (GOOD + [("bad", MONTHS[2], 1.0), ("bad", MONTHS[2], 2.0)], ["'bad'", MONTHS[2], "twice", "row 13", "row 14"]),
        (
            GOOD + [("bad", MONTHS[0], 1.0), ("bad", MONTHS[1], 1.0), ("bad", MONTHS[4], 1.0)],
            ["'bad'", MONTHS[2], "gap"],
        ),
        (GOOD + [("bad", "2000-01-15", 1.0)], ["'bad'", "2000-01-15", "'MS'"]),
        (GOOD + [("bad", MONTHS[0], 1.0), ("bad", "2000-01-20", 1.0)], ["'bad'", "2000-01-20", "'MS'"]),
        (GOOD + [("bad", d, 1.0) for d in MONTHS[::3]], ["'bad'", "'ok'", "frequency", "freq="]),
        (GOOD + [("bad", 5, 1.0)], ["'bad'", "row 13", "not a date"]),
        (GOOD + [("bad", "garbage", 1.0)], ["'bad'", "row 13", "'garbage'"]),
        (GOOD + [("bad", None, 1.0)], ["'bad'", "row 13", "no ds"]),
        ([("ok", 1, 1.0), ("ok", 2, 1.0), ("bad", 1, 1.0), ("bad", 3, 1.0)], ["'bad'", "no row for ds 2"]),
        ([("ok", 1, 1.0), ("bad", "2000-01-01", 1.0)], ["'bad'", "not a whole number"]),
        ([("ok", 1, 1.0), (None, 2, 1.0)], ["row 2", "unique_id"]),
        ([(1, 1, 1.0), ("1", 2, 1.0)], ["'1'", "as text"]),
    ],
)
def test_errors_name_the_series_and_the_time(rows, expected):
    with pytest.raises(InvalidInputError) as caught:
        from_long(frame_of(rows))
    for text in expected:
        assert text in str(caught.value)


def test_a_series_shorter_than_min_length_is_named_with_its_length():
    frame = frame_of(GOOD + [("short", d, 1.0) for d in MONTHS[:5]])
    assert from_long(frame, min_length=5).lengths.tolist() == [12, 5]
    with pytest.raises(InvalidInputError, match=r"'short' has 5 value\(s\), fewer than min_length=6"):
        from_long(frame, min_length=6)


def test_given_freq_must_be_followed_by_every_series():
    quarterly = [("q", str(d.date()), 1.0) for d in pd.date_range("2000-01-01", periods=4, freq="QS")]
    with pytest.raises(InvalidInputError, match="'q'.*2000-02-01.*freq='MS'"):
        from_long(frame_of(GOOD + quarterly), freq="MS")
    with pytest.raises(InvalidInputError, match="'ok'.*freq='QS'"):
        from_long(frame_of(GOOD + quarterly), freq="QS")
    with pytest.raises(InvalidInputError, match="not a pandas frequency"):
        from_long(frame_of(GOOD), freq="fortnightly")
    with pytest.raises(InvalidInputError, match="applies to dates"):
        from_long(frame_of([("a", 1, 1.0), ("a", 2, 2.0)]), freq="MS")


def test_too_few_dates_to_infer_a_frequency_asks_for_freq():
    rows = [("a", MONTHS[0], 1.0), ("a", MONTHS[1], 2.0), ("b", MONTHS[3], 1.0)]
    with pytest.raises(InvalidInputError, match="freq="):
        from_long(frame_of(rows))
    assert from_long(frame_of(rows), freq="MS").lengths.tolist() == [2, 1]


def test_missing_columns_are_listed():
    with pytest.raises(InvalidInputError, match=r"no column 'y'.*\['unique_id', 'ds', 'value'\]"):
        from_long(pd.DataFrame({"unique_id": ["a"], "ds": [1], "value": [1.0]}))
    with pytest.raises(InvalidInputError, match="DataFrame"):
        from_long([("a", 1, 1.0)])


# --- files ----------------------------------------------------------------------------------


def test_load_panel_csv_reads_what_to_csv_wrote(tmp_path):
    series = make_series("MS", ["2000-01-01", "2001-06-01", "1999-03-01"], [14, 5, 30])
    frame = long_frame(series, shuffle=True)
    frame["y"] = RNG.normal(size=len(frame))  # full precision: read back exactly
    path = tmp_path / "panel.csv"
    frame.to_csv(path, index=False, date_format="%Y-%m-%d")
    panel = load_panel_csv(path)
    expected = from_long(frame)
    assert panel.ids == expected.ids
    for k in range(len(panel)):
        np.testing.assert_array_equal(panel.values[k], expected.values[k])
        assert panel.index[k].equals(expected.index[k])


def test_load_panel_csv_with_its_own_column_names_keeps_ids_as_written(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("store;day;sales\n007;3;1.5\n007;1;2.5\n\n007;2;3.5\n12;1;4\n")
    panel = load_panel_csv(path, id_col="store", date_col="day", value_col="sales", sep=";")
    assert panel.ids == ("007", "12")
    np.testing.assert_array_equal(panel.values[0], [2.5, 3.5, 1.5])
    assert panel.index[0].equals(pd.RangeIndex(1, 4))


def test_load_panel_csv_names_the_line_and_the_file(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text("unique_id,ds,y\na,2000-01-01,1\na,2000-02-01,?\n")
    with pytest.raises(InvalidInputError, match=r"series 'a' at line 3 of .*panel.csv \(ds 2000-02-01\)"):
        load_panel_csv(path)


def test_load_panel_csv_refuses_files_it_cannot_use(tmp_path):
    with pytest.raises(DataFileError, match="no file"):
        load_panel_csv(tmp_path / "absent.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataFileError, match="empty"):
        load_panel_csv(empty)
    header = tmp_path / "header.csv"
    header.write_text("unique_id,ds,y\n")
    with pytest.raises(DataFileError, match="no data rows"):
        load_panel_csv(header)
    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text("unique_id;ds;y\na;1;1\n")
    with pytest.raises(DataFileError, match="sep="):
        load_panel_csv(semicolons)


# --- property ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    freq=st.sampled_from(["MS", "QS", "D", "W", "h", None]),
    lengths=st.lists(st.integers(1, 25), min_size=1, max_size=5).filter(lambda ls: max(ls) >= 3),
    offsets=st.lists(st.integers(0, 40), min_size=5, max_size=5),
    seed=st.integers(0, 2**16),
)
def test_any_shuffled_panel_comes_back_as_built(freq, lengths, offsets, seed):
    if freq is None:
        starts = [o - 20 for o in offsets[: len(lengths)]]
    else:
        grid = pd.date_range("2000-01-01", periods=41, freq=freq)
        starts = [grid[o] for o in offsets[: len(lengths)]]
    series = make_series(freq, starts, lengths, seed=seed)
    frame = long_frame(series)
    shuffled = frame.sample(frac=1, random_state=seed)
    assert_panel_is(from_long(frame), series)
    pd.testing.assert_frame_equal(from_long(shuffled).to_frame(), in_order_of_appearance(frame, shuffled))


# --- one series as a panel, and a panel as plain data (model files) ------------------------------------
def test_one_series_is_a_panel_of_one():
    dates = pd.date_range("2001-03-01", periods=7, freq="MS")
    values = RNG.normal(100, 10, 7)
    named = Panel.of_series(pd.Series(values, index=dates, name="sales"))
    assert named.ids == ("sales",) and named.index[0].equals(dates) and named.freq == "MS"
    np.testing.assert_array_equal(named.values[0], values)
    assert Panel.of_series(pd.Series(values, index=dates)).ids == ("series",)
    assert Panel.of_series(pd.Series(values, index=dates, name="sales"), "shop-1").ids == ("shop-1",)
    plain = Panel.of_series(values.tolist(), "shop-2")
    assert plain.ids == ("shop-2",) and plain.index[0].equals(pd.RangeIndex(7)) and plain.freq is None
    assert Panel.of_series(values).ids == ("series",)
    for bad_id in ("", 5, ["a"]):
        with pytest.raises(InvalidInputError, match="unique_id"):
            Panel.of_series(values, bad_id)
    with pytest.raises(InvalidInputError):
        Panel.of_series(pd.Series(values, index=dates[::-1]))  # decreasing dates: refused as fit refuses them
    with pytest.raises(InvalidInputError):
        Panel.of_series(np.ones((7, 2)))


@pytest.mark.parametrize(
    "freq, starts",
    [("MS", ["2000-01-01", "2003-07-01"]), ("D", ["2020-03-25", "2020-10-20"]), (None, [0, 17])],
)
def test_to_data_and_back_is_the_same_panel(freq, starts):
    series = make_series(freq, starts, [9, 4])
    panel = from_long(long_frame(series))
    back = Panel.from_data(panel.to_data())
    assert_panel_is(back, series)
    assert back.freq == panel.freq
    # plain data: lists, numbers, text and one array of every value
    data = panel.to_data()
    np.testing.assert_array_equal(data["values"], np.concatenate([v for _, v, _ in series.values()]))
    assert data["ids"] == list(series) and list(data["lengths"]) == [9, 4]


def test_a_time_zone_survives_the_round_trip():
    dates = pd.date_range("2000-03-20", periods=15, freq="D", tz="Europe/Paris")  # across a DST change
    panel = Panel(("a",), (RNG.normal(size=15),), (dates,))
    back = Panel.from_data(panel.to_data())
    assert back.index[0].equals(dates) and str(back.index[0].tz) == "Europe/Paris" and back.freq == "D"
