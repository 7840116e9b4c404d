"""lstmcast trains exactly as Keras does: from Keras' own initial weights, 100 epochs of the airline
and the stateful shampoo tutorials end at Keras' weights and predictions.

The fixture was written by ``benchmarks/keras_fixture.py`` with Keras 3.15.1 on TensorFlow 2.21
(see its docstring); this test needs no TensorFlow.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from lstmcast.nn import NetworkSpec, ensemble_stateful, from_keras_weights, predict, to_keras_weights
from lstmcast.train import TrainConfig, fit

FIXTURE = Path(__file__).parent / "fixtures" / "keras_reference.npz"
SPEC = NetworkSpec(1, (4,), (1,))


@pytest.fixture(scope="module")
def keras():
    with np.load(FIXTURE, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    meta = json.loads(arrays.pop("meta").tobytes())
    assert meta["epochs"] == 100
    return arrays


def weights(arrays, name, which):
    return [arrays[f"{name}.{which}.{k}"] for k in range(5)]  # LSTM kernel, recurrent, bias; Dense kernel, bias


def test_airline_matches_keras(keras):
    initial = from_keras_weights(SPEC, weights(keras, "airline", "initial"))
    result = fit(
        SPEC,
        keras["airline.x"],
        keras["airline.y"],
        TrainConfig(epochs=100, batch_size=1, shuffle=False),
        initial_params=initial,
        verbose=0,
    )
    for ours, theirs in zip(to_keras_weights(result.member(0)), weights(keras, "airline", "final")):
        np.testing.assert_allclose(ours, theirs, atol=1e-4)
    predictions = np.asarray(predict(SPEC, result.member(0), keras["airline.x_test"]))[:, 0]
    np.testing.assert_allclose(predictions, keras["airline.predictions"], atol=1e-4)


def test_stateful_shampoo_matches_keras(keras):
    initial = from_keras_weights(SPEC, weights(keras, "shampoo", "initial"))
    config = TrainConfig(epochs=100, batch_size=1, stateful=True)
    result = fit(SPEC, keras["shampoo.x"], keras["shampoo.y"], config, initial_params=initial, verbose=0)
    for ours, theirs in zip(to_keras_weights(result.member(0)), weights(keras, "shampoo", "final")):
        np.testing.assert_allclose(ours, theirs, atol=1e-4)
    # the warm-up over the training inputs, then the walk through the test rows, state carried on
    rows = np.concatenate([keras["shampoo.x"], keras["shampoo.x_test"]])
    params = {
        group: [{k: v[None] for k, v in layer.items()} for layer in layers]
        for group, layers in result.member(0).items()
    }
    outputs = np.asarray(ensemble_stateful(SPEC, params, rows)[0])[0, :, 0]
    np.testing.assert_allclose(outputs[len(keras["shampoo.x"]) :], keras["shampoo.predictions"], atol=1e-4)
