"""Each transform's values, its refusals (named errors, never NaN), and its JSON round trip."""

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lstmcast.errors import InvalidInputError
from lstmcast.transforms import (
    Difference,
    Log,
    MinMaxScale,
    Pipeline,
    StandardScale,
    chain,
    from_config,
)

Y = np.array([112.0, 118.0, 132.0, 129.0, 121.0, 135.0, 148.0, 148.0])


def test_min_max_scale_maps_training_extremes_to_the_range():
    transform = MinMaxScale((-1, 1))
    state = transform.fit(Y[:4])
    assert state == {"min": 112.0, "max": 132.0}
    assert transform.apply(Y[:4], state).tolist() == pytest.approx([-1.0, -0.4, 1.0, 0.7])
    # Test values outside the training range fall outside the feature range: no clipping.
    assert transform.apply([142.0], state)[0] == pytest.approx(2.0)


def test_standard_scale_gives_zero_mean_unit_variance_on_training_values():
    transform = StandardScale()
    state = transform.fit(Y)
    z = transform.apply(Y, state)
    assert z.mean() == pytest.approx(0.0) and z.std() == pytest.approx(1.0)


def test_difference_and_log_values():
    assert Difference().apply(Y[:4], {}).tolist() == [6.0, 14.0, -3.0]
    assert Difference(lag=2).apply(Y[:4], {}).tolist() == [20.0, 11.0]
    assert Difference(order=2).apply(Y[:4], {}).tolist() == [8.0, -17.0]
    assert Log().apply([1.0, np.e], {}).tolist() == pytest.approx([0.0, 1.0])


def test_pipeline_fits_each_step_on_the_output_of_the_previous_one():
    pipeline = chain(Difference(), MinMaxScale())
    state = pipeline.fit(Y[:4])
    assert state == [{}, {"min": -3.0, "max": 14.0}]
    assert pipeline.history_length == 1
    assert chain(Difference(12), Difference(), Log()).history_length == 13


@pytest.mark.parametrize("scaler", [MinMaxScale(), MinMaxScale((-1, 1)), StandardScale()])
def test_scalers_refuse_a_constant_training_series(scaler):
    with pytest.raises(InvalidInputError, match="constant"):
        scaler.fit(np.full(10, 3.5))


def test_a_difference_that_is_constant_cannot_be_scaled():
    with pytest.raises(InvalidInputError, match="constant"):
        chain(Difference(), StandardScale()).fit(np.arange(10.0))


@pytest.mark.parametrize("values", [[1.0, 0.0, 2.0], [3.0, -1.0]])
def test_log_refuses_values_that_are_not_positive(values):
    with pytest.raises(InvalidInputError, match="positive.*shift"):
        Log().fit(values)
    with pytest.raises(InvalidInputError, match="positive"):
        Log().apply(values, {})


@pytest.mark.parametrize(
    "make",
    [
        lambda: Difference(lag=0),
        lambda: Difference(order=-1),
        lambda: Difference(lag=1.5),
        lambda: Difference(lag=True),
        lambda: MinMaxScale((1, 0)),
        lambda: MinMaxScale((0, float("inf"))),
        lambda: Pipeline((Difference(), "log")),
    ],
)
def test_invalid_settings_raise(make):
    with pytest.raises(InvalidInputError):
        make()


@pytest.mark.parametrize("transform", [Difference(), Log(), MinMaxScale(), StandardScale(), chain(Log(), Difference())])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_values_raise_instead_of_spreading(transform, bad):
    y = np.array([1.0, 2.0, bad, 4.0])
    with pytest.raises(InvalidInputError, match="NaN"):
        transform.fit(y)
    state = transform.fit([1.0, 2.0, 3.0, 5.0])
    with pytest.raises(InvalidInputError, match="NaN"):
        transform.invert([0.1, bad], state, history=[1.0, 2.0])


def test_difference_needs_enough_values():
    with pytest.raises(InvalidInputError, match="more than 12"):
        Difference(12).fit(np.arange(12.0))
    with pytest.raises(InvalidInputError, match="at least 12 values of history"):
        Difference(12).invert([1.0], {}, history=np.arange(11.0))
    with pytest.raises(InvalidInputError, match="at least 2 values of history"):
        chain(Difference(), Difference()).invert([1.0], [{}, {}], history=[5.0])


def test_walk_forward_positions_are_checked():
    transform = Difference(2)
    y = np.arange(10.0) ** 2
    with pytest.raises(InvalidInputError, match="2..10"):
        transform.invert_one_step([0.5], {}, y, [1])
    with pytest.raises(InvalidInputError, match="2..10"):
        transform.invert_one_step([0.5], {}, y, [11])
    with pytest.raises(InvalidInputError, match="one per"):
        transform.invert_one_step([0.5, 0.5], {}, y, [4])
    with pytest.raises(InvalidInputError, match="whole-number"):
        transform.invert_one_step([0.5], {}, y, [4.0])


def test_a_pipeline_refuses_a_state_that_is_not_its_own():
    pipeline = chain(Difference(), MinMaxScale())
    with pytest.raises(InvalidInputError, match="list of 2 step states"):
        pipeline.apply(Y, [{}])


def test_empty_pipeline_is_the_identity():
    pipeline = chain()
    state = pipeline.fit(Y)
    assert state == []
    assert np.array_equal(pipeline.apply(Y, state), Y)
    assert np.array_equal(pipeline.invert(Y, state, history=[]), Y)


steps = st.one_of(
    st.builds(Difference, lag=st.integers(1, 12), order=st.integers(1, 2)),
    st.builds(MinMaxScale, st.tuples(st.floats(-5, 0, exclude_max=True), st.floats(0.5, 5))),
    st.just(StandardScale()),
    st.just(Log()),
)


@given(st.lists(steps, max_size=4))
def test_pipeline_config_and_state_round_trip_through_json_exactly(step_list):
    pipeline = chain(*step_list)
    rebuilt = from_config(json.loads(json.dumps(pipeline.to_config())))
    assert rebuilt == pipeline
    assert rebuilt.to_config() == pipeline.to_config()


def test_fitted_state_round_trips_through_json_exactly():
    y = np.array([0.1, 0.7, 0.2, 1.3, 2.9, 0.4, 1 / 3, 2.5, 0.05, 1.9])
    pipeline = chain(Log(), Difference(2), StandardScale(), MinMaxScale((-1, 1)))
    state = pipeline.fit(y)
    reloaded_state = json.loads(json.dumps(state))
    reloaded = from_config(json.loads(json.dumps(pipeline.to_config())))
    assert reloaded_state == state
    assert np.array_equal(reloaded.apply(y, reloaded_state), pipeline.apply(y, state))


@pytest.mark.parametrize(
    "config",
    [
        {"name": "BoxCox"},
        {"lag": 1},
        "Difference",
        {"name": "Difference", "lag": 1, "seasonal": True},
        {"name": "Pipeline", "steps": {"name": "Log"}},
        {"name": "Pipeline", "steps": [{"name": "Log"}, {"name": "Nope"}]},
    ],
)
def test_from_config_rejects_unknown_or_malformed_configs(config):
    with pytest.raises(InvalidInputError):
        from_config(config)
