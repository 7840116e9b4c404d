"""Networks over whole sequences of different lengths: bidirectional LSTMs, the convolution branch
of an LSTM-FCN, striding, batch normalisation, and the padding that must never change a result.
Every figure is checked against the slow NumPy reference of ``tests.reference`` run on each
sequence's real steps alone."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lstmcast.errors import InvalidInputError
from lstmcast.nn import (
    Dense,
    NetworkSpec,
    calibrate_batch_norm,
    ensemble_forward,
    from_keras_weights,
    init_network,
    load_network,
    network_forward,
    ravel_weights,
    save_network,
    unravel_weights,
)
from lstmcast.nn import ensemble as ensemble_module
from lstmcast.nn.conv import conv1d
from lstmcast.nn.network import widest
from tests.reference import central_differences, conv1d_numpy, lstm_fcn_numpy

LENGTHS = np.array([7, 3, 11, 1, 9])


def random_params(spec, seed):
    """Weights with every leaf random (non-trivial batch-norm statistics included)."""
    params = init_network(spec, seed)
    rng = np.random.default_rng(seed + 100)
    out = jax.tree_util.tree_map(lambda a: (a + rng.normal(0, 0.3, a.shape)).astype(np.float32), params)
    for block in out.get("conv", []):
        block["var"] = np.abs(block["var"]) + 0.5
    return out


def padded_batch(lengths, features, steps=12, seed=0):
    """Sequences padded at the end with garbage (never zeros): padding must not matter at all."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(len(lengths), steps, features)).astype(np.float32)
    for i, n in enumerate(lengths):
        x[i, n:] = rng.normal(5, 3, size=(steps - n, features))
    return x


@pytest.mark.parametrize("width", [1, 2, 3, 8])
def test_conv1d_is_keras_same_convolution(width):
    rng = np.random.default_rng(width)
    x = rng.normal(size=(2, 9, 3)).astype(np.float32)
    kernel = rng.normal(size=(width, 3, 4)).astype(np.float32)
    np.testing.assert_allclose(conv1d(x, kernel), conv1d_numpy(x, kernel), atol=1e-5)


SPECS = {
    "lstm": NetworkSpec(2, (5,), (Dense(3),)),
    "stacked": NetworkSpec(2, (4, 3), (Dense(3, "tanh"), Dense(2))),
    "bidirectional": NetworkSpec(2, (4, 3), (Dense(3),), bidirectional=True),
    "strided": NetworkSpec(2, (4,), (Dense(3),), lstm_stride=3),
    "lstm_fcn": NetworkSpec(2, (4,), (Dense(3),), conv_filters=(5, 6, 4), conv_widths=(8, 5, 3)),
    "everything": NetworkSpec(
        2,
        (3, 4),
        (Dense(5, "relu"), Dense(3)),
        bidirectional=True,
        conv_filters=(4, 3),
        conv_widths=(3, 2),
        lstm_stride=2,
    ),
}


@pytest.mark.parametrize("name", SPECS)
def test_padded_batch_matches_numpy_on_each_sequence_alone(name):
    spec = SPECS[name]
    params = random_params(spec, 1)
    x = padded_batch(LENGTHS, spec.input_dim)
    out, state = network_forward(spec, params, x, lengths=LENGTHS)
    assert state is None and out.shape == (len(LENGTHS), spec.output_dim)
    activations = tuple(d.activation for d in spec.dense)
    for i, n in enumerate(LENGTHS):
        expected = lstm_fcn_numpy(
            params, x[i], n, bidirectional=spec.bidirectional, stride=spec.lstm_stride, activations=activations
        )
        np.testing.assert_allclose(out[i], expected, atol=2e-5, err_msg=f"sequence {i} (length {n})")


@pytest.mark.parametrize("name", ["bidirectional", "everything"])
def test_ensemble_forward_equals_one_sequence_at_a_time(name):
    """The public inference kernel: the padded batch equals each sequence run alone, unpadded."""
    spec = SPECS[name]
    params = jax.tree_util.tree_map(lambda *a: np.stack(a), random_params(spec, 2), random_params(spec, 3))
    x = padded_batch(LENGTHS, spec.input_dim)
    together = ensemble_forward(spec, params, x, LENGTHS)
    alone = np.concatenate(
        [ensemble_forward(spec, params, x[i : i + 1, :n], [n]) for i, n in enumerate(LENGTHS)], axis=1
    )
    assert together.shape == (2, len(LENGTHS), spec.output_dim)
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_plain_network_with_full_lengths_equals_the_tutorial_network():
    spec = SPECS["stacked"]
    params = random_params(spec, 4)
    x = padded_batch([12, 12, 12], 2)
    np.testing.assert_allclose(
        network_forward(spec, params, x, lengths=np.full(3, 12))[0], network_forward(spec, params, x)[0], atol=1e-6
    )


def test_batch_statistics_leave_out_padding_and_empty_slots():
    """In training, batch normalisation uses the batch's statistics over real steps only: padding
    values and sequences of length 0 (a batch's empty slots) change nothing."""
    spec = SPECS["lstm_fcn"]
    params = random_params(spec, 5)
    x = padded_batch(LENGTHS, 2)
    out = network_forward(spec, params, x, lengths=LENGTHS, batch_stats=True)[0]
    noisy = padded_batch(LENGTHS, 2, seed=0)
    noisy[:, :, :] = np.where(np.arange(12)[None, :, None] < LENGTHS[:, None, None], x, -x * 7 + 2)
    extra = np.concatenate([noisy, noisy[:2] * 3])
    out_extra = network_forward(spec, params, extra, lengths=np.concatenate([LENGTHS, [0, 0]]), batch_stats=True)[0]
    np.testing.assert_allclose(out_extra[: len(LENGTHS)], out, atol=1e-5)
    assert np.all(np.isfinite(out_extra))
    # ... and they differ from the stored statistics, so the flag is doing something.
    assert not np.allclose(out, network_forward(spec, params, x, lengths=LENGTHS)[0], atol=1e-3)


def test_calibrated_statistics_are_each_blocks_moments_over_real_steps(monkeypatch):
    spec = SPECS["lstm_fcn"]
    members = [random_params(spec, s) for s in (6, 7)]
    stacked = jax.tree_util.tree_map(lambda *a: np.stack(a), *members)
    x = padded_batch(LENGTHS, 2)
    calibrated = calibrate_batch_norm(spec, stacked, x, LENGTHS)
    monkeypatch.setattr(ensemble_module, "_CHUNK_VALUES", 1)  # one case a chunk: Chan's combination
    chunked = calibrate_batch_norm(spec, stacked, x, LENGTHS)
    for m, params in enumerate(members):
        z = [x[i, :n].astype(np.float64) for i, n in enumerate(LENGTHS)]
        for b, block in enumerate(params["conv"]):
            c = [conv1d_numpy(zi[None], block["kernel"])[0] for zi in z]
            values = np.concatenate(c)
            mean, var = values.mean(axis=0), values.var(axis=0)
            for got in (calibrated, chunked):
                np.testing.assert_allclose(got["conv"][b]["mean"][m], mean, rtol=1e-4, atol=1e-5)
                np.testing.assert_allclose(got["conv"][b]["var"][m], var, rtol=1e-4, atol=1e-5)
            z = [np.maximum((ci - mean) / np.sqrt(var + 1e-3) * block["gamma"] + block["beta"], 0) for ci in c]


def test_gradients_through_masks_and_normalisation_match_finite_differences():
    spec = NetworkSpec(2, (3,), (Dense(2),), bidirectional=True, conv_filters=(3, 2), conv_widths=(3, 2), lstm_stride=2)
    lengths = np.array([5, 2, 4])
    with jax.enable_x64(True):
        params = jax.tree_util.tree_map(lambda a: jnp.asarray(a, jnp.float64), random_params(spec, 8))
        flat = ravel_weights(params)
        x = jnp.asarray(padded_batch(lengths, 2, steps=6), jnp.float64)
        y = jnp.asarray(np.random.default_rng(1).normal(size=(3, 2)))

        def loss(flat):
            out, _ = network_forward(spec, unravel_weights(spec, flat), x, lengths=lengths, batch_stats=True)
            return jnp.mean((out - y) ** 2)

        grad = np.asarray(jax.jit(jax.grad(loss))(flat))
        numeric = central_differences(loss, flat)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_new_fields_round_trip_and_old_configs_load():
    spec = SPECS["everything"]
    assert NetworkSpec.from_config(spec.to_config()) == spec
    old = {
        "input_dim": 1,
        "lstm_units": [4],
        "dense": [{"units": 1, "activation": "linear"}],
        "dropout": 0.0,
        "recurrent_dropout": 0.0,
    }
    assert NetworkSpec.from_config(old) == NetworkSpec(1, (4,), (Dense(1),))
    assert spec.features_dim == 2 * 4 + 3 and not spec.plain and NetworkSpec().plain
    with pytest.raises(InvalidInputError):
        NetworkSpec(1, 4, conv_filters=(3, 4), conv_widths=(3,))
    with pytest.raises(InvalidInputError):
        NetworkSpec(1, 4, lstm_stride=0)
    with pytest.raises(InvalidInputError):
        from_keras_weights(spec, [])
    with pytest.raises(InvalidInputError):
        network_forward(SPECS["bidirectional"], init_network(SPECS["bidirectional"], 0), padded_batch([3], 2), state=())


def test_widest_keeps_every_field_of_identical_specs():
    spec = SPECS["everything"]
    assert widest([spec, spec]) is spec
    with pytest.raises(InvalidInputError):
        widest([spec, SPECS["bidirectional"]])


@pytest.mark.parametrize("name", ["bidirectional", "everything"])
def test_sequence_networks_save_and_load_bit_for_bit(tmp_path, name):
    spec = SPECS[name]
    params = jax.tree_util.tree_map(lambda *a: np.stack(a), random_params(spec, 9), random_params(spec, 10))
    path = save_network(tmp_path / "net.npz", spec, params, metadata={"note": "x"})
    spec_back, params_back, metadata = load_network(path)
    assert spec_back == spec and metadata == {"note": "x"}
    assert jax.tree_util.tree_structure(params_back) == jax.tree_util.tree_structure(params)
    for a, b in zip(jax.tree_util.tree_leaves(params), jax.tree_util.tree_leaves(params_back)):
        np.testing.assert_array_equal(a, b)
