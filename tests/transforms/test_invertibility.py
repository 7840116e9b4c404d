"""Every transform and pipeline inverts exactly: after apply, recursively, and walk-forward."""

import numpy as np
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from lstmcast.errors import InvalidInputError
from lstmcast.transforms import Difference, Log, MinMaxScale, StandardScale, chain

property_test = settings(deadline=None, max_examples=40)

series = st.lists(st.integers(1, 100_000), min_size=30, max_size=60).map(
    lambda values: np.array(values) / 100.0  # positive, two decimals, like real data
)
differences = st.builds(Difference, lag=st.integers(1, 4), order=st.integers(1, 2))
scalers = st.one_of(
    st.builds(MinMaxScale, st.sampled_from([(0, 1), (-1, 1), (-0.5, 2.0)])),
    st.just(StandardScale()),
)
single_transforms = st.one_of(differences, scalers, st.just(Log()))
pipelines = st.builds(
    lambda log_first, steps: chain(*([Log()] if log_first else []), *steps),
    st.booleans(),
    st.lists(st.one_of(differences, scalers), max_size=3),
)
transforms = st.one_of(single_transforms, pipelines)


def fit_or_reject(transform, train):
    """Fit, discarding the rare draws a transform rightly refuses (e.g. constant differences)."""
    try:
        return transform.fit(train)
    except InvalidInputError:
        reject()


def assert_same(actual, expected, y):
    """Equal up to rounding, which differencing accumulates on the scale of the whole series."""
    np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=1e-9 * np.abs(y).max())


@property_test
@given(transforms, series)
def test_invert_undoes_apply(transform, y):
    state = fit_or_reject(transform, y)
    z = transform.apply(y, state)
    history_length = transform.history_length
    assert len(z) == len(y) - history_length
    assert_same(transform.invert(z, state, y[:history_length]), y[history_length:], y)


@property_test
@given(transforms, series, st.data())
def test_recursive_invert_of_true_continuation_gives_true_continuation(transform, y, data):
    split = data.draw(st.integers(transform.history_length + 2, len(y) - 1), label="split")
    state = fit_or_reject(transform, y[:split])
    z = transform.apply(y, state)
    continuation = z[split - transform.history_length :]
    assert_same(transform.invert(continuation, state, history=y[:split]), y[split:], y)


@property_test
@given(transforms, series, st.data())
def test_walk_forward_with_perfect_predictions_recovers_test_values(transform, y, data):
    split = data.draw(st.integers(transform.history_length + 2, len(y) - 1), label="split")
    state = fit_or_reject(transform, y[:split])
    z = transform.apply(y, state)
    positions = np.arange(split, len(y))
    restored = transform.invert_one_step(z[positions - transform.history_length], state, y, positions)
    assert_same(restored, y[split:], y)
    assert np.sqrt(np.mean((restored - y[split:]) ** 2)) < 1e-9 * np.abs(y).max()


@property_test
@given(transforms, series, st.data())
def test_invert_one_step_equals_invert_with_true_history(transform, y, data):
    state = fit_or_reject(transform, y[: len(y) // 2])
    # Any positions, in any order, including one step past the end of the known values.
    positions = np.array(
        data.draw(
            st.lists(st.integers(transform.history_length, len(y)), min_size=1, max_size=8),
            label="positions",
        )
    )
    predictions = np.array(data.draw(st.lists(st.floats(-2, 2), min_size=len(positions), max_size=len(positions))))
    expected = [
        transform.invert(predictions[j : j + 1], state, y[:position])[0] for j, position in enumerate(positions)
    ]
    assert_same(transform.invert_one_step(predictions, state, y, positions), expected, y)


@property_test
@given(transforms, series)
def test_inverting_nothing_gives_nothing(transform, y):
    state = fit_or_reject(transform, y)
    assert transform.invert([], state, y).shape == (0,)
    assert transform.invert_one_step([], state, y, []).shape == (0,)


def test_seasonal_difference_continues_the_seasonal_pattern_recursively():
    season = np.array([1.0, 5.0, 3.0, 2.0])
    y = np.concatenate([season + 10 * year for year in range(4)])
    transform = Difference(lag=4)
    state = transform.fit(y)
    # The seasonal difference of a pattern that rises by 10 a year is 10 everywhere.
    assert np.array_equal(transform.apply(y, state), np.full(12, 10.0))
    forecast = transform.invert(np.full(8, 10.0), state, history=y)
    assert np.array_equal(forecast, np.concatenate([season + 40, season + 50]))


def test_second_order_difference_of_a_parabola_is_constant_and_inverts():
    y = np.arange(10.0) ** 2
    transform = Difference(order=2)
    assert np.array_equal(transform.apply(y, {}), np.full(8, 2.0))
    assert np.array_equal(transform.invert(np.full(3, 2.0), {}, history=y), [100.0, 121.0, 144.0])
