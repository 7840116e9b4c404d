"""Reading labelled sequences for classification: .ts files of the UEA/UCR archive, and long CSVs.

Every file is written here, in the style of the archive's own files (comments, then @problemName,
@timeStamps, @missing, @univariate, @dimensions, @equalLength, @seriesLength, @classLabel, @data),
from arrays the test builds; what is read back is compared exactly with those arrays. Line numbers
expected in messages are found by searching the written file, not copied from the reader.
"""

import dataclasses
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstmcast.data import Sequences, load_sequences_csv, load_ts
from lstmcast.errors import DataFileError, InvalidInputError

MOTIONS = ("Standing", "Running", "Walking", "Badminton")


def header(name="Toy", *, univariate=True, dimensions=None, equal_length=True, series_length=None, labels=("1", "2")):
    """A .ts header as the archive writes it; ``None`` leaves a line out, ``labels=None`` is
    '@classLabel false'."""
    lines = [
        "#Toy data written by the tests, shaped like the archive's problems.",
        "#Comments come first, as in the archive's files.",
        f"@problemName {name}",
        "@timeStamps false",
        "@missing false",
        f"@univariate {str(univariate).lower()}",
    ]
    if dimensions is not None:
        lines.append(f"@dimensions {dimensions}")
    if equal_length is not None:
        lines.append(f"@equalLength {str(equal_length).lower()}")
    if series_length is not None:
        lines.append(f"@seriesLength {series_length}")
    lines.append("@classLabel " + ("false" if labels is None else "true " + " ".join(labels)))
    lines.append("@data")
    return "\n".join(lines) + "\n"


def case_line(case, label=None):
    """One (time, channels) case as a .ts line: channels joined by ':', values by ','."""
    line = ":".join(",".join(str(float(value)) for value in channel) for channel in np.asarray(case).T)
    return line if label is None else f"{line}:{label}"


def write_ts(tmp_path, head, cases, labels=None, name="toy.ts"):
    rows = [case_line(case, None if labels is None else labels[i]) for i, case in enumerate(cases)]
    return write(tmp_path, head + "\n".join(rows) + "\n", name)


def write(tmp_path, text, name="toy.ts"):
    path = tmp_path / name
    path.write_text(text)
    return path


def data_lines(path):
    """The 1-based numbers of the non-blank lines after @data."""
    lines = Path(path).read_text().splitlines()
    start = [line.strip().lower() for line in lines].index("@data") + 1
    return [number + 1 for number in range(start, len(lines)) if lines[number].strip()]


def header_line(path, keyword):
    """The 1-based number of the header line starting with ``keyword``."""
    lines = Path(path).read_text().splitlines()
    return next((number for number, line in enumerate(lines, start=1) if line.startswith(keyword)), None)


def long_csv(cases, labels=None, ids=None, times=None):
    """The rows (as lists of text) of a long CSV: case id, t, channels..., label."""
    ids = list(range(len(cases))) if ids is None else ids
    rows = []
    for i, case in enumerate(cases):
        steps = range(len(case)) if times is None else times[i]
        for step, values in zip(steps, case):
            label = [] if labels is None else [labels[i]]
            rows.append([str(ids[i]), str(step), *(str(float(v)) for v in values), *label])
    return rows


def write_csv(tmp_path, rows, columns, name="toy.csv", sep=","):
    return write(tmp_path, "\n".join(sep.join(row) for row in [columns, *rows]) + "\n", name)


def channel_names(n):
    return [f"c{c}" for c in range(n)]


def assert_cases_equal(got, want):
    assert len(got) == len(want)
    for got_case, want_case in zip(got, want):
        assert got_case.dtype == np.float64
        np.testing.assert_array_equal(got_case, np.asarray(want_case, dtype=np.float64))


# --- .ts: what is read -----------------------------------------------------------------------------


def test_univariate_equal_length_file_like_gunpoint(tmp_path):
    rng = np.random.default_rng(1)
    cases = [rng.normal(size=(12, 1)) for _ in range(5)]
    labels = ["1", "2", "2", "1", "2"]
    path = write_ts(tmp_path, header("GunPointToy", series_length=12), cases, labels)
    seq = load_ts(path)
    assert_cases_equal(seq.X, cases)
    assert seq.y.dtype == object and seq.y.tolist() == labels
    assert seq.case_ids.tolist() == [0, 1, 2, 3, 4]
    assert seq.name == "GunPointToy"
    assert seq.class_labels == ("1", "2")
    assert seq.lines.tolist() == data_lines(path)
    assert len(seq) == 5 and seq.n_channels == 1 and seq.equal_length
    assert seq.lengths.tolist() == [12] * 5


def test_multivariate_file_like_basic_motions_keeps_declared_labels_in_order(tmp_path):
    rng = np.random.default_rng(2)
    cases = [rng.normal(size=(10, 3)) for _ in range(4)]
    labels = ["Running", "Standing", "Running", "Walking"]  # Badminton is declared but unused
    head = header("BasicMotionsToy", univariate=False, dimensions=3, series_length=10, labels=MOTIONS)
    seq = load_ts(write_ts(tmp_path, head, cases, labels))
    assert_cases_equal(seq.X, cases)
    assert seq.y.tolist() == labels
    assert seq.class_labels == MOTIONS
    assert seq.n_channels == 3
    np.testing.assert_array_equal(seq.to_array(), np.stack(cases))


def test_variable_length_file_like_japanese_vowels_and_zero_padding(tmp_path):
    rng = np.random.default_rng(3)
    lengths = [7, 25, 9, 29]
    cases = [rng.normal(size=(n, 4)) for n in lengths]
    labels = ["1", "9", "3", "1"]
    speakers = [str(k) for k in range(1, 10)]
    head = header("JapaneseVowelsToy", univariate=False, dimensions=4, equal_length=False, labels=speakers)
    path = write_ts(tmp_path, head, cases, labels)
    seq = load_ts(path)
    assert_cases_equal(seq.X, cases)
    assert seq.lengths.tolist() == lengths and not seq.equal_length
    for length in (None, 35):
        expected = np.zeros((4, length or 29, 4))
        for i, case in enumerate(cases):
            expected[i, : len(case)] = case
        array = seq.to_array(length)
        assert array.dtype == np.float64
        np.testing.assert_array_equal(array, expected)
    message = f"case 1 .id 1, line {data_lines(path)[1]}. has 25 time steps, more than length=20"
    with pytest.raises(InvalidInputError, match=message) as caught:
        seq.to_array(20)
    assert "2 case(s)" in str(caught.value) and "length >= 29" in str(caught.value)


def test_unlabelled_file_gives_no_labels(tmp_path):
    rng = np.random.default_rng(4)
    cases = [rng.normal(size=(6, 2)) for _ in range(3)]
    seq = load_ts(write_ts(tmp_path, header(univariate=False, dimensions=2, labels=None), cases))
    assert_cases_equal(seq.X, cases)
    assert seq.y is None and seq.class_labels is None


def test_tolerates_crlf_trailing_whitespace_blank_lines_comments_and_keyword_case(tmp_path):
    rng = np.random.default_rng(5)
    cases = [rng.normal(size=(5, 2)) for _ in range(3)]
    labels = ["Walking", "Standing", "Walking"]
    head = header(univariate=False, dimensions=2, series_length=5, labels=MOTIONS)
    clean = load_ts(write_ts(tmp_path, head, cases, labels, name="clean.ts"))
    messy_head = (
        head.replace("@problemName", "#a comment between header lines\n\n@PROBLEMNAME")
        .replace("@dimensions", "@Dimension")  # the singular spelling occurs too
        .replace("@data", "@DATA")
    )
    rows = [case_line(case, label) for case, label in zip(cases, labels)]
    text = messy_head + f"\n{rows[0]}  \n\n\t{rows[1]}\t\n{rows[2]} \n\n"
    path = tmp_path / "messy.ts"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    messy = load_ts(path)
    assert dataclasses.replace(messy, lines=None) == dataclasses.replace(clean, lines=None)
    assert messy.lines.tolist() == data_lines(path)


def test_missing_values_are_an_error_by_default_naming_case_and_line(tmp_path):
    head = header(series_length=4)
    path = write(tmp_path, head + "1.0,2.0,3.0,4.0:1\n1.0,2.0,3.0,4.0:2\n1.0,?,3.0,?:1\n")
    message = f"case 2 .line {data_lines(path)[2]} of .*2 missing value.* channel 0 at time step 1"
    with pytest.raises(DataFileError, match=message) as caught:
        load_ts(path)
    assert "missing='interpolate'" in str(caught.value)


def test_interpolation_is_linear_inside_and_holds_the_ends(tmp_path):
    rng = np.random.default_rng(6)
    truth = rng.normal(size=(9, 2))
    gaps = np.zeros_like(truth, dtype=bool)
    gaps[[0, 3, 4, 8], 0] = True  # both ends, and a run of two inside
    gaps[[1, 2], 1] = True
    markers = iter(["?", "NaN", "nan", "?", "?", "NAN"])
    channels = [",".join(next(markers) if gaps[t, c] else str(float(truth[t, c])) for t in range(9)) for c in range(2)]
    head = header(univariate=False, dimensions=2, series_length=9, labels=MOTIONS)
    path = write(tmp_path, head + case_line(truth, "Running") + "\n" + ":".join(channels) + ":Walking\n")
    seq = load_ts(path, missing="interpolate")
    steps = np.arange(9)
    expected = truth.copy()
    for c in range(2):
        known = ~gaps[:, c]
        expected[gaps[:, c], c] = np.interp(steps[gaps[:, c]], steps[known], truth[known, c])
    assert expected[0, 0] == truth[1, 0] and expected[8, 0] == truth[7, 0]
    assert_cases_equal(seq.X, [truth, expected])


def test_a_channel_with_only_missing_values_cannot_be_interpolated(tmp_path):
    head = header(univariate=False, dimensions=2, equal_length=None)
    path = write(tmp_path, head + "1.0,2.0:3.0,4.0:1\n1.0,2.0:?,?:2\n")
    with pytest.raises(DataFileError, match=f"case 1 .line {data_lines(path)[1]} .*no value at all in channel 1"):
        load_ts(path, missing="interpolate")


# --- .ts: what is refused, case by case ------------------------------------------------------------

LABELLED = header(univariate=False, equal_length=None, labels=("A", "B"))
DIMENSIONS_3 = header(univariate=False, dimensions=3, equal_length=None, labels=("A", "B"))
UNLABELLED = header(univariate=False, equal_length=None, labels=None)
# problem: (header, data rows, the bad case's number, what the message says)
CASE_ERRORS = {
    "channels of different lengths": (
        LABELLED,
        ["1,2,3:4,5,6:A", "1,2,3:4,5:B"],
        1,
        r"channels of different lengths \(3, 2 values\)",
    ),
    "channel count differs from the first case": (
        LABELLED,
        ["1,2:3,4:A", "1,2:3,4:A", "1,2:B"],
        2,
        r"has 1 channels, but case 0 \(line {first}\) has 2",
    ),
    "channel count differs from @dimensions": (
        DIMENSIONS_3,
        ["1,2:3,4:5,6:A", "1,2:3,4:A"],
        1,
        r"has 2 channels, but @dimensions \(line {dimensions}\) says 3",
    ),
    "channel count differs from @univariate": (
        header(equal_length=None, labels=("A", "B")),
        ["1,2:A", "1,2:3,4:B"],
        1,
        r"has 2 channels, but @univariate true \(line {univariate}\) says 1",
    ),
    "length differs from @seriesLength": (
        header(series_length=3, labels=("A", "B")),
        ["1,2,3:A", "1,2,3,4:B"],
        1,
        r"has 4 time steps, but @seriesLength \(line {serieslength}\) says 3",
    ),
    "lengths differ under @equalLength true": (
        header(labels=("A", "B")),
        ["1,2,3:A", "1,2,3:A", "1,2:B"],
        2,
        r"has 2 time steps, but case 0 \(line {first}\) has 3",
    ),
    "label not declared": (
        LABELLED,
        ["1,2:A", "1,2:C"],
        1,
        r"the label 'C', which @classLabel does not declare \(it lists A B\)",
    ),
    "no label": (LABELLED, ["1,2:A", "1,2"], 1, "has no class label"),
    "nothing after the last colon": (LABELLED, ["1,2:A", "1,2:"], 1, "has no class label"),
    "a label under @classLabel false": (
        UNLABELLED,
        ["1,2:3,4", "1,2:Running"],
        1,
        r"ends with 'Running' after its last ':', which looks like a class label.*@classLabel true",
    ),
    "a number label under @classLabel false": (
        header(equal_length=None, labels=None),
        ["1,2,3", "1,2,3:2"],
        1,
        r"channels of different lengths .*@classLabel true",
    ),
    "not a number": (
        LABELLED,
        ["1,2,3:A", "1,x2,3:B"],
        1,
        r"'x2' at time step 1 of channel 0 .both from 0. is not a finite number",
    ),
    "an empty value": (LABELLED, ["1,2,3:A", "1,,3:B"], 1, r"'' at time step 1 of channel 0"),
    "an infinite value": (LABELLED, ["1,2,3:A", "1,2,inf:B"], 1, r"'inf' at time step 2 of channel 0"),
    "an empty channel": (LABELLED, ["1,2:3,4:A", "1,2::B"], 1, "has an empty channel 1"),
}


@pytest.mark.parametrize("problem", CASE_ERRORS)
def test_a_bad_case_is_named_with_its_number_and_line(tmp_path, problem):
    head, rows, bad, message = CASE_ERRORS[problem]
    path = write(tmp_path, head + "\n".join(rows) + "\n")
    lines = {key: header_line(path, f"@{key}") for key in ("dimensions", "univariate", "seriesLength")}
    message = message.format(first=data_lines(path)[0], serieslength=lines["seriesLength"], **lines)
    with pytest.raises(DataFileError, match=message) as caught:
        load_ts(path)
    assert f"case {bad} (line {data_lines(path)[bad]} of {path})" in str(caught.value)


def edited(old, new, rows=""):
    """The default header with one line changed, then ``rows``."""
    text = header()
    assert old in text
    return text.replace(old, new) + rows


DATA_LINE = header().splitlines().index("@data") + 1
MISSING_LINE = header().splitlines().index("@missing false") + 1
FILE_ERRORS = {
    "empty file": ("", "is empty"),
    "only blank lines": ("\n  \n\r\n", "is empty"),
    "only comments": ("#nothing but a comment\n", "has no @data line"),
    "no @data line": (edited("@data\n", ""), "has no @data line"),
    "data without @data": (
        edited("@data\n", "", "1,2,3:1\n"),
        rf"line {DATA_LINE} of .* comes before @data but is neither",
    ),
    "header without cases": (header() + "\n\n", rf"has no cases after @data \(line {DATA_LINE}\)"),
    "time stamps": (
        edited("@timeStamps false", "@timeStamps true", "(0,1.5),(1,2.5):1\n"),
        "does not support yet; convert the cases to plain values",
    ),
    "regression targets": (edited("@classLabel true 1 2", "@targetLabel true", "1,2:3.5\n"), "regression problem"),
    "unknown header": (
        edited("@missing false", "@mising false"),
        rf"line {MISSING_LINE} of .*unknown header '@mising'",
    ),
    "repeated header": (
        edited("@missing false", "@missing false\n@MISSING false"),
        rf"line {MISSING_LINE + 1} of .* repeats @missing \(first at line {MISSING_LINE}\)",
    ),
    "labels not listed": (edited("@classLabel true 1 2", "@classLabel true", "1,2:1\n"), "must list the class labels"),
    "not true or false": (
        edited("@univariate true", "@univariate yes", "1,2:1\n"),
        r"@univariate must be followed by true or false, got 'yes'",
    ),
    "bad series length": (
        header(series_length="ten") + "1,2:1\n",
        r"@seriesLength must be followed by a whole number >= 1, got 'ten'",
    ),
    "univariate with two dimensions": (header(dimensions=2) + "1,2:3,4:1\n", "says both '@univariate true'"),
}


@pytest.mark.parametrize("problem", FILE_ERRORS)
def test_a_bad_file_says_what_is_wrong(tmp_path, problem):
    text, message = FILE_ERRORS[problem]
    path = write(tmp_path, text)
    with pytest.raises(DataFileError, match=message) as caught:
        load_ts(path)
    assert str(path) in str(caught.value)


def test_a_missing_folder_or_foreign_file_is_a_data_file_error(tmp_path):
    with pytest.raises(DataFileError, match="no file at .*nowhere.ts; check the path"):
        load_ts(tmp_path / "nowhere.ts")
    with pytest.raises(DataFileError, match="is a folder"):
        load_ts(tmp_path)
    path = tmp_path / "binary.ts"
    path.write_bytes(b"\xff\xfe\x00\x81 not text")
    with pytest.raises(DataFileError, match="not a UTF-8 text file"):
        load_ts(path)


def test_bad_arguments_are_invalid_input(tmp_path):
    path = write(tmp_path, header() + "1,2:1\n")
    with pytest.raises(InvalidInputError, match="missing must be one of 'error', 'interpolate'; got 'drop'"):
        load_ts(path, missing="drop")
    with pytest.raises(InvalidInputError, match="path must be a file path"):
        load_ts(3)


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_cases_come_in_order_of_first_row_and_steps_are_sorted_by_time(tmp_path):
    rng = np.random.default_rng(7)
    cases = [rng.normal(size=(n, 2)) for n in (4, 6, 3)]
    ids, labels = ["walk-1", "run-7", "stand-2"], ["Walking", "Running", "Standing"]
    rows = long_csv(cases, labels, ids=ids)
    rows = [rows[i] for i in rng.permutation(len(rows))]
    path = write_csv(tmp_path, rows, ["case_id", "t", "c0", "c1", "label"])
    seq = load_sequences_csv(path)
    first_seen = list(dict.fromkeys(row[0] for row in rows))
    order = [ids.index(case_id) for case_id in first_seen]
    assert seq.case_ids.tolist() == first_seen
    assert_cases_equal(seq.X, [cases[i] for i in order])
    assert seq.y.tolist() == [labels[i] for i in order]
    assert seq.name is None and seq.class_labels is None
    first_line = {case_id: 2 + min(i for i, row in enumerate(rows) if row[0] == case_id) for case_id in first_seen}
    assert seq.lines.tolist() == [first_line[case_id] for case_id in first_seen]


def test_csv_times_may_be_dates_in_any_order(tmp_path):
    rng = np.random.default_rng(8)
    cases = [rng.normal(size=(5, 1)) for _ in range(2)]
    days = [f"2024-03-{day:02d}" for day in (1, 2, 3, 4, 5)]
    rows = long_csv(cases, ["A", "B"], times=[days, days])[::-1]  # last day first
    seq = load_sequences_csv(write_csv(tmp_path, rows, ["case_id", "t", "x", "label"]))
    assert seq.case_ids.tolist() == [1, 0]
    assert_cases_equal(seq.X, [cases[1], cases[0]])


def test_csv_and_ts_readers_give_equal_sequences(tmp_path):
    rng = np.random.default_rng(9)
    cases = [rng.normal(size=(n, 3)) for n in (5, 8, 2, 8)]
    labels = ["Standing", "Running", "Running", "Badminton"]
    head = header(univariate=False, dimensions=3, equal_length=False, labels=MOTIONS)
    ts = load_ts(write_ts(tmp_path, head, cases, labels))
    csv = load_sequences_csv(write_csv(tmp_path, long_csv(cases, labels), ["case_id", "t", *channel_names(3), "label"]))
    assert dataclasses.replace(ts, name=None, class_labels=None, lines=None) == dataclasses.replace(csv, lines=None)
    assert ts.y.tolist() == csv.y.tolist()  # labels are text from both, even "1"/"2"


def test_csv_numeric_labels_are_read_as_text_like_ts(tmp_path):
    cases = [np.arange(3.0).reshape(3, 1), np.arange(2.0).reshape(2, 1)]
    csv = load_sequences_csv(write_csv(tmp_path, long_csv(cases, ["1", "2"]), ["case_id", "t", "x", "label"]))
    ts = load_ts(write_ts(tmp_path, header(equal_length=False), cases, ["1", "2"]))
    assert csv.y.tolist() == ts.y.tolist() == ["1", "2"]


def test_csv_unlabelled_with_named_columns_chosen_channels_and_separator(tmp_path):
    rng = np.random.default_rng(10)
    cases = [rng.normal(size=(4, 3)) for _ in range(2)]
    rows = long_csv(cases, ids=[10, 20])
    path = write_csv(tmp_path, rows, ["id", "step", "a", "b", "c"], sep=";")
    seq = load_sequences_csv(path, case_col="id", time_col="step", label_col=None, channels=["c", "a"], sep=";")
    assert seq.y is None
    assert seq.case_ids.tolist() == [10, 20]
    assert_cases_equal(seq.X, [case[:, [2, 0]] for case in cases])


def test_csv_missing_values_error_or_interpolate(tmp_path):
    truth = np.random.default_rng(11).normal(size=(6, 1))
    rows = long_csv([truth, truth], ["A", "B"], ids=["a", "b"])
    rows[6 + 1][2], rows[6 + 2][2], rows[6 + 5][2] = "?", "", "NaN"  # case b, steps 1, 2 and 5
    path = write_csv(tmp_path, rows, ["case_id", "t", "x", "label"])
    message = r"case 'b' \(first row at line 8 of .*3 missing value.*channel x at line 9; pass missing='interpolate'"
    with pytest.raises(DataFileError, match=message):
        load_sequences_csv(path)
    seq = load_sequences_csv(path, missing="interpolate")
    gaps = np.array([False, True, True, False, False, True])
    steps = np.arange(6)
    expected = truth.copy()
    expected[gaps, 0] = np.interp(steps[gaps], steps[~gaps], truth[~gaps, 0])
    assert_cases_equal(seq.X, [truth, expected])


def csv_error_cases():
    ok = [["a", "1", "0.5", "A"], ["a", "2", "1.5", "A"], ["b", "1", "2.5", "B"], ["b", "2", "3.5", "B"]]
    columns = ["case_id", "t", "x", "label"]

    def edit(row, col, value):
        rows = [list(r) for r in ok]
        rows[row][col] = value
        return columns, rows

    return {
        "missing columns": (
            ["id", "time", "x", "label"],
            ok,
            r"no column 'case_id', 't'; its columns are \['id', 'time', 'x', 'label'\]",
        ),
        "duplicated time": (
            *edit(3, 1, "1"),
            r"case 'b' \(first row at line 4 .* has the time '1' twice, at lines 4 and 5",
        ),
        "label changes": (*edit(3, 3, "A"), r"case 'b' \(first row at line 4 .* has the label 'B' but 'A' at line 5"),
        "not a number": (*edit(2, 2, "abc"), r"line 4 of .* \(case 'b'\): 'abc' in column 'x' is not a finite number"),
        "no label": (*edit(2, 3, ""), r"line 4 of .* \(case 'b'\) has no label in column 'label'.*label_col=None"),
        "no case id": (
            *edit(1, 0, ""),
            r"line 3 of .* \(a row of \['', '2', '1.5', 'A'\]\) has no case id in column 'case_id'",
        ),
        "time neither number nor date": (
            *edit(1, 1, "soon"),
            r"line 3 of .* \(case 'a'\): 'soon' in column 't' is not a time",
        ),
    }


@pytest.mark.parametrize("problem", list(csv_error_cases()))
def test_a_bad_csv_row_is_named_with_its_case_and_line(tmp_path, problem):
    columns, rows, message = csv_error_cases()[problem]
    path = write_csv(tmp_path, rows, columns)
    with pytest.raises(DataFileError, match=message) as caught:
        load_sequences_csv(path)
    assert str(path) in str(caught.value)


def test_a_bad_csv_file_says_what_is_wrong(tmp_path):
    for text, message in [
        ("", "is empty; expected a CSV table"),
        ("case_id,t,x,label\n", "has no data rows, only a header"),
        ("case_id,t,x,label\n\n\n", "has no data rows, only a header"),
        ("case_id,t,x,label\na,1,0.5,A,extra\n", "cannot read .* as a CSV file.*check sep="),
        ("case_id;t;x;label\na;1;0.5;A\n", r"its columns are \['case_id;t;x;label'\] \(split at sep=','"),
        ("case_id,t,label\na,1,A\n", "has no channel columns"),
    ]:
        path = write(tmp_path, text, "bad.csv")
        with pytest.raises(DataFileError, match=message):
            load_sequences_csv(path)
    with pytest.raises(DataFileError, match="no file at"):
        load_sequences_csv(tmp_path / "nowhere.csv")


def test_csv_bad_arguments_are_invalid_input(tmp_path):
    path = write_csv(tmp_path, [["a", "1", "0.5", "A"]], ["case_id", "t", "x", "label"])
    for options, message in [
        (dict(missing="zero"), "missing must be one of"),
        (dict(channels="x"), "channels must be a non-empty list"),
        (dict(channels=[]), "channels must be a non-empty list"),
        (dict(channels=["x", "t"]), "channels lists 't'"),
        (dict(label_col="case_id"), "must name different columns"),
        (dict(sep=""), "sep must be the field separator"),
    ]:
        with pytest.raises(InvalidInputError, match=message):
            load_sequences_csv(path, **options)


# --- Sequences itself ------------------------------------------------------------------------------


def test_sequences_checks_what_it_is_given():
    two = np.zeros((3, 2))
    for kwargs, message in [
        (dict(X=[np.zeros(3)], y=None, case_ids=[0]), r"X\[0\] must be one case as a \(time, channels\) array"),
        (dict(X=[two, np.zeros((3, 1))], y=None, case_ids=[0, 1]), r"X\[1\] has 1 channels but X\[0\] has 2"),
        (dict(X=[], y=None, case_ids=[]), "X holds no cases"),
        (dict(X=[np.full((2, 1), np.nan)], y=None, case_ids=[0]), "missing or infinite"),
        (dict(X=[two, two], y=["A"], case_ids=[0, 1]), "y has 1 entries, but X has 2 cases"),
        (dict(X=[two, two], y=None, case_ids=[7, 7]), "case_ids holds 7 more than once"),
        (dict(X=[two], y=None, case_ids=[0, 1]), "case_ids must hold one id per case"),
        (dict(X=[two], y=["C"], case_ids=[0], class_labels=("A", "B")), "'C', which is not among class_labels"),
        (dict(X=[two], y=None, case_ids=[0], lines=[1.5]), "lines must hold one whole line number per case"),
    ]:
        with pytest.raises(InvalidInputError, match=message):
            Sequences(**kwargs)


def test_sequences_equality_copying_repr_and_to_array_arguments():
    case = np.arange(6.0).reshape(3, 2)
    seq = Sequences(X=[case], y=["A"], case_ids=[0], name="Toy")
    case[0, 0] = 99.0  # the caller's array is copied, not kept
    assert seq.X[0][0, 0] == 0.0
    same = Sequences(
        X=[np.arange(6.0).reshape(3, 2)], y=np.array(["A"], dtype=object), case_ids=np.array([0]), name="Toy"
    )
    assert seq == same
    assert seq != dataclasses.replace(seq, y=["B"])
    assert seq != dataclasses.replace(seq, X=[np.arange(6.0).reshape(3, 2) + 1])
    assert repr(seq) == "Sequences('Toy', cases=1, channels=2, length=3, classes=1)"
    with pytest.raises(TypeError):
        hash(seq)
    for length in (0, 3.0, True):
        with pytest.raises(InvalidInputError, match="length must be a whole number >= 1"):
            seq.to_array(length)


# --- round trip ------------------------------------------------------------------------------------

FINITE = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_round_trip_through_ts_and_csv(data):
    n_channels = data.draw(st.integers(1, 3), label="channels")
    lengths = data.draw(st.lists(st.integers(1, 6), min_size=1, max_size=4), label="lengths")
    step = st.lists(FINITE, min_size=n_channels, max_size=n_channels)
    cases = [np.array(data.draw(st.lists(step, min_size=n, max_size=n), label="case")) for n in lengths]
    labels = data.draw(st.lists(st.sampled_from(MOTIONS), min_size=len(cases), max_size=len(cases)), label="labels")
    head = header(univariate=n_channels == 1, dimensions=n_channels, equal_length=None, labels=MOTIONS)
    rows = long_csv(cases, labels)
    shuffled = [rows[i] for i in data.draw(st.permutations(range(len(rows))), label="row order")]
    with tempfile.TemporaryDirectory() as folder:
        ts = load_ts(write_ts(Path(folder), head, cases, labels))
        columns = ["case_id", "t", *channel_names(n_channels), "label"]
        csv = load_sequences_csv(write_csv(Path(folder), shuffled, columns))
    assert_cases_equal(ts.X, cases)
    assert ts.y.tolist() == labels
    order = [int(case_id) for case_id in dict.fromkeys(row[0] for row in shuffled)]
    assert csv.case_ids.tolist() == order
    assert_cases_equal(csv.X, [cases[i] for i in order])
    assert csv.y.tolist() == [labels[i] for i in order]
