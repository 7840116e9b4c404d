"""make_windows against the plain loop of the tutorials (without their missing last window)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstmcast.errors import InvalidInputError
from lstmcast.transforms import all_windows, last_window, make_windows, training_windows


def windows_by_loop(z, look_back, horizon):
    inputs, targets = [], []
    for i in range(len(z) - look_back - horizon + 1):
        inputs.append(z[i : i + look_back])
        targets.append(z[i + look_back : i + look_back + horizon])
    return np.array(inputs, np.float32)[:, :, None], np.array(targets, np.float32)


@settings(deadline=None)
@given(st.data(), st.integers(1, 10), st.integers(1, 5))
def test_windows_match_the_plain_loop(data, look_back, horizon):
    length = data.draw(st.integers(look_back + horizon, 40), label="length")
    z = np.array(data.draw(st.lists(st.floats(-10, 10), min_size=length, max_size=length)))
    X, Y = make_windows(z, look_back, horizon)
    samples = length - look_back - horizon + 1
    assert X.shape == (samples, look_back, 1) and Y.shape == (samples, horizon)
    assert X.dtype == np.float32 and Y.dtype == np.float32
    expected_X, expected_Y = windows_by_loop(z, look_back, horizon)
    assert np.array_equal(X, expected_X) and np.array_equal(Y, expected_Y)
    assert Y[-1, -1] == np.float32(z[-1])  # the last window reaches the end of the series
    assert np.array_equal(last_window(z, look_back)[0, :, 0], z[-look_back:].astype(np.float32))


def test_window_contents():
    X, Y = make_windows(np.arange(6.0), look_back=3, horizon=2)
    assert X[:, :, 0].tolist() == [[0, 1, 2], [1, 2, 3]]
    assert Y.tolist() == [[3, 4], [4, 5]]
    assert last_window(np.arange(6.0), 3).shape == (1, 3, 1)


@pytest.mark.parametrize(
    ("look_back", "horizon", "message"),
    [
        (0, 1, "look_back"),
        (2, 0, "horizon"),
        (1.5, 1, "look_back"),
        (True, 1, "look_back"),
        (8, 3, "at least 11"),
    ],
)
def test_window_errors_name_the_problem(look_back, horizon, message):
    with pytest.raises(InvalidInputError, match=message):
        make_windows(np.arange(10.0), look_back, horizon)


def test_last_window_errors():
    with pytest.raises(InvalidInputError, match="at least 5"):
        last_window(np.arange(4.0), 5)
    with pytest.raises(InvalidInputError, match="look_back"):
        last_window(np.arange(4.0), 0)
    with pytest.raises(InvalidInputError, match="NaN"):
        make_windows([1.0, np.nan, 3.0], 1)


# -- every window of a series, and the global model's training windows -----------------------------
def test_all_windows_include_the_one_that_ends_with_the_series():
    z = np.arange(7.0) ** 2
    windows = all_windows(z, 3)
    assert windows.shape == (5, 3, 1) and windows.dtype == np.float32
    for j in range(5):  # window j: z[j : j + 3], which forecasts z[j + 3] (the last one, what follows z)
        np.testing.assert_array_equal(windows[j, :, 0], z[j : j + 3])
    with pytest.raises(InvalidInputError):
        all_windows(z, 8)


def test_training_windows_keep_each_series_most_recent_windows_before_its_end():
    zs = [np.arange(12.0), 10.0 + np.arange(6.0), np.arange(3.0)]
    ends, horizon, look_back, max_windows = np.array([10, 6, 3]), 2, 4, 5
    windows = training_windows(zs, look_back, horizon, ends, max_windows)
    expected = []  # by hand: cut-offs t = 1 .. end - horizon (a window needs one input), the last max_windows
    for k, end in enumerate(ends):
        for t in list(range(1, end - horizon + 1))[-max_windows:]:
            expected.append((k, t))
    assert list(zip(windows.series.tolist(), windows.cutoff.tolist())) == expected
    for row, (k, t) in enumerate(expected):
        z, level = zs[k], zs[k][t - 1]
        length = min(t, look_back)
        assert windows.lengths[row] == length
        np.testing.assert_allclose(windows.x[row, :length, 0], z[t - length : t] - level)
        np.testing.assert_array_equal(windows.x[row, length:, 0], 0.0)  # padded at the end
        np.testing.assert_allclose(windows.y[row], z[t : t + horizon] - level)
        assert t + horizon <= ends[k]  # the targets lie before the series' end
