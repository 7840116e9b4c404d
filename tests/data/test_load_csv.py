"""Reading series from CSV files and pandas objects, including the awkward real-world layouts."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import from_pandas, load_csv
from lstmcast.errors import DataFileError, InvalidInputError

AIRLINE_HEAD = "month,passengers\n1949-01,112\n1949-02,118\n1949-03,132\n1949-04,129\n"


def write(tmp_path, text, name="series.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def assert_clean(series):
    assert series.dtype == np.float64
    assert np.isfinite(series.to_numpy()).all()


def test_monthly_csv_gets_float_values_a_name_and_a_frequency(tmp_path):
    series = load_csv(write(tmp_path, AIRLINE_HEAD))
    assert_clean(series)
    assert series.name == "passengers"
    assert series.tolist() == [112.0, 118.0, 132.0, 129.0]
    assert series.index.freqstr == "MS"
    assert series.index[0] == pd.Timestamp("1949-01-01")


def test_semicolon_file_with_a_footer_like_datamarket(tmp_path):
    text = (
        '"Month";"Monthly milk production: pounds per cow. Jan 62 ? Dec 75"\n'
        '"1962-01";589\n"1962-02";561\n"1962-03";640\n"1962-04";656\n'
        "\nMonthly milk production: pounds per cow. Jan 62 ? Dec 75\n"
    )
    series = load_csv(write(tmp_path, text), sep=";", skip_footer=1)
    assert series.tolist() == [589.0, 561.0, 640.0, 656.0]
    assert series.name.startswith("Monthly milk production")
    assert series.index.freqstr == "MS"


def test_silso_layout_without_header_with_date_parts_and_minus_one_markers(tmp_path):
    rows = [
        "1818;01;01;1818.001;  -1; -1.0;   0;1",
        "1818;01;02;1818.004;  65; 10.2;   1;1",
        "1818;01;03;1818.007;  -1; -1.0;   0;1",
        "1818;01;04;1818.010;  37;  7.7;   1;1",
        "1818;01;05;1818.012;  40; -1.0;   0;1",
    ]
    path = write(tmp_path, "\n".join(rows) + "\n")
    options = dict(
        sep=";",
        names=["year", "month", "day", "dec_year", "sn_value", "sn_error", "obs_num", "ind"],
        date_col=["year", "month", "day"],
        value_col="sn_value",
        na_values=[-1],
    )
    with pytest.raises(InvalidInputError, match="2 missing values .first at 1818-01-01 .row 1.."):
        load_csv(path, **options)
    series = load_csv(path, missing="interpolate", **options)
    assert series.index.freqstr == "D"
    assert series.index[0] == pd.Timestamp("1818-01-02")  # the leading -1 cannot be interpolated
    assert series.tolist() == [65.0, 51.0, 37.0, 40.0]
    with pytest.raises(InvalidInputError, match="missing='drop' would leave holes"):
        load_csv(path, missing="drop", **options)


def test_missing_values_at_the_edges_can_be_dropped(tmp_path):
    path = write(tmp_path, "t,y\n1,\n2,5\n3,7\n4,6\n5,-1\n")
    series = load_csv(path, na_values=[-1], missing="drop")
    assert series.tolist() == [5.0, 7.0, 6.0]
    assert isinstance(series.index, pd.RangeIndex) and list(series.index) == [2, 3, 4]


def test_question_mark_values_are_reported_with_their_row_and_can_be_declared_missing(tmp_path):
    path = write(tmp_path, AIRLINE_HEAD.replace("132", "?"))
    with pytest.raises(InvalidInputError, match=r"'\?' at 1949-03-01 \(row 3\).*na_values"):
        load_csv(path)
    series = load_csv(path, na_values=["?"], missing="interpolate")
    assert series.tolist() == [112.0, 118.0, 123.5, 129.0]


def test_integer_time_index_becomes_a_range(tmp_path):
    series = load_csv(write(tmp_path, "ds,y\n1,10.5\n2,11\n3,9\n"))
    assert isinstance(series.index, pd.RangeIndex)
    assert list(series.index) == [1, 2, 3]


def test_integer_time_index_with_a_gap_is_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="step by 1.*from 2 .row 2. to 4 .row 3."):
        load_csv(write(tmp_path, "ds,y\n1,10.5\n2,11\n4,9\n"))


def test_date_format(tmp_path):
    path = write(tmp_path, "date,y\n2020/31/01,1\n2020/01/02,2\n2020/02/02,4\n")
    with pytest.raises(InvalidInputError, match="'2020/31/01' at row 1.*date_format="):
        load_csv(path)
    series = load_csv(path, date_format="%Y/%d/%m")
    assert series.index.freqstr == "D"
    assert series.index[0] == pd.Timestamp("2020-01-31")


def test_dates_written_as_numbers_need_a_date_format(tmp_path):
    path = write(tmp_path, "date,y\n20200131,1\n20200201,2\n20200202,4\n")
    with pytest.raises(InvalidInputError, match="date_format='%Y%m%d'"):
        load_csv(path)
    assert load_csv(path, date_format="%Y%m%d").index[0] == pd.Timestamp("2020-01-31")


def test_unreadable_date_is_reported(tmp_path):
    path = write(tmp_path, AIRLINE_HEAD.replace("1949-03", "March"))
    with pytest.raises(InvalidInputError, match="'March' at row 3 of the date column 'month'"):
        load_csv(path)


def test_fractional_numbers_are_not_taken_for_dates(tmp_path):
    path = write(tmp_path, "dec_year,y\n1818.001,1\n1818.004,2\n1818.007,3\n")
    with pytest.raises(InvalidInputError, match="not whole"):
        load_csv(path)


def test_value_column_is_picked_when_only_one_other_column_holds_numbers(tmp_path):
    text = "month,sales,month_label\n1991-01,266.0,1-01\n1991-02,145.9,1-02\n1991-03,183.1,1-03\n"
    assert load_csv(write(tmp_path, text)).name == "sales"


def test_ambiguous_value_columns_are_listed(tmp_path):
    path = write(tmp_path, "month,a,b\n1949-01,1,2\n1949-02,3,4\n1949-03,5,7\n")
    with pytest.raises(InvalidInputError, match=r"\['month', 'a', 'b'\].*value_col="):
        load_csv(path)
    assert load_csv(path, value_col="b").tolist() == [2.0, 4.0, 7.0]


def test_unknown_column_lists_the_columns(tmp_path):
    with pytest.raises(InvalidInputError, match=r"no column 'y'.*\['month', 'passengers'\]"):
        load_csv(write(tmp_path, AIRLINE_HEAD), value_col="y")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("month,passengers\n", "no data rows"),
        ("month;passengers\n1949-01;112\n1949-02;118\n", "sep=';'"),
        ("a,b\n1,2\n3,4,5\n", "cannot parse"),
    ],
)
def test_unusable_files_raise_data_file_error(tmp_path, text, message):
    with pytest.raises(DataFileError, match=message):
        load_csv(write(tmp_path, text))


def test_missing_file_and_directory_raise_data_file_error(tmp_path):
    with pytest.raises(DataFileError, match="no file"):
        load_csv(tmp_path / "nope.csv")
    with pytest.raises(DataFileError, match="directory"):
        load_csv(tmp_path)


def test_binary_file_raises_data_file_error(tmp_path):
    path = tmp_path / "series.csv"
    path.write_bytes(b"month,y\n\xff\xfe\x00,1\n")
    with pytest.raises(DataFileError, match="UTF-8"):
        load_csv(path)


def test_from_pandas_series_with_dates_but_no_frequency_gets_one():
    raw = pd.Series([1, 3, 2], index=pd.to_datetime(["2020-01-01", "2020-04-01", "2020-07-01"]))
    series = from_pandas(raw)
    assert series.index.freqstr == "QS-OCT"
    assert series.name is None and series.dtype == np.float64


def test_from_pandas_period_index_and_dataframe_layouts():
    periods = pd.Series([1.0, 2.0, 4.0], index=pd.period_range("2000-01", periods=3, freq="M"))
    assert from_pandas(periods).index.freqstr == "MS"
    frame = pd.DataFrame({"y": [1.0, 2.0, 4.0]}, index=pd.date_range("2000", periods=3, freq="D"))
    assert from_pandas(frame).index.freqstr == "D"
    frame = pd.DataFrame({"ds": ["2000-01", "2000-02", "2000-03"], "y": [1, 2, 4]})
    assert from_pandas(frame).tolist() == [1.0, 2.0, 4.0]


def test_from_pandas_refuses_other_objects_and_column_options_for_a_series():
    with pytest.raises(InvalidInputError, match="Series or DataFrame"):
        from_pandas([1.0, 2.0])
    with pytest.raises(InvalidInputError, match="date_col"):
        from_pandas(pd.Series([1.0, 2.0]), value_col="y")
    with pytest.raises(InvalidInputError, match="no column left"):
        from_pandas(pd.DataFrame({"y": [1.0, 2.0, 3.0]}))
