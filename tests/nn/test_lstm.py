import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lstmcast.errors import InvalidInputError
from lstmcast.nn import (
    Dense,
    NetworkSpec,
    dropout_mask,
    from_keras_weights,
    init_lstm,
    init_network,
    lstm_forward,
    network_forward,
    ravel_weights,
    run_stateful,
    to_keras_weights,
    unravel_weights,
)
from tests.reference import central_differences, lstm_numpy, network_numpy


def random_lstm(seed, input_dim, units, scale=0.5):
    rng = np.random.default_rng(seed)
    return {
        "kernel": rng.normal(0, scale, (input_dim, 4 * units)).astype(np.float32),
        "recurrent_kernel": rng.normal(0, scale, (units, 4 * units)).astype(np.float32),
        "bias": rng.normal(0, scale, (4 * units,)).astype(np.float32),
    }


@pytest.mark.parametrize("with_state", [False, True])
def test_lstm_forward_matches_numpy_equations(with_state):
    rng = np.random.default_rng(1)
    batch, steps, input_dim, units = 3, 6, 2, 5
    params = random_lstm(0, input_dim, units)
    x = rng.normal(size=(batch, steps, input_dim)).astype(np.float32)
    h0 = rng.normal(size=(batch, units)).astype(np.float32) if with_state else None
    c0 = rng.normal(size=(batch, units)).astype(np.float32) if with_state else None
    outputs, (h, c) = lstm_forward(params, x, None if h0 is None else (h0, c0))
    ref_out, ref_h, ref_c = lstm_numpy(params, x, h0, c0)
    assert outputs.shape == (batch, steps, units)
    np.testing.assert_allclose(outputs, ref_out, atol=1e-5)
    np.testing.assert_allclose(h, ref_h, atol=1e-5)
    np.testing.assert_allclose(c, ref_c, atol=1e-5)


def test_initial_state_changes_the_output():
    params = random_lstm(0, 1, 3)
    x = np.ones((1, 2, 1), np.float32)
    state = (np.ones((1, 3), np.float32), np.ones((1, 3), np.float32))
    assert not np.allclose(lstm_forward(params, x)[0], lstm_forward(params, x, state)[0])


def test_threading_state_equals_one_long_sequence():
    """Stateful use is just passing (h, c) on: two halves equal the whole."""
    params = random_lstm(3, 2, 4)
    x = np.random.default_rng(0).normal(size=(2, 8, 2)).astype(np.float32)
    whole, final = lstm_forward(params, x)
    first, state = lstm_forward(params, x[:, :4])
    second, final_2 = lstm_forward(params, x[:, 4:], state)
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), whole, atol=1e-6)
    np.testing.assert_allclose(final_2[1], final[1], atol=1e-6)


def test_dropout_uses_one_mask_per_sequence_and_only_in_training():
    rng = np.random.default_rng(2)
    params = random_lstm(1, 3, 4)
    x = rng.normal(size=(2, 5, 3)).astype(np.float32)
    key = jax.random.key(7)
    out, _ = lstm_forward(params, x, dropout=0.3, recurrent_dropout=0.4, key=key)
    input_key, recurrent_key = jax.random.split(key)
    input_mask = np.asarray(dropout_mask(input_key, (2, 3), 0.3))
    recurrent_mask = np.asarray(dropout_mask(recurrent_key, (2, 4), 0.4))
    assert set(np.unique(input_mask)) <= {0.0, np.float32(1 / 0.7)}
    ref, _, _ = lstm_numpy(params, x, input_mask=input_mask, recurrent_mask=recurrent_mask)
    np.testing.assert_allclose(out, ref, atol=1e-5)
    # No key: inference, no dropout at all.
    np.testing.assert_allclose(lstm_forward(params, x, dropout=0.3)[0], lstm_numpy(params, x)[0], atol=1e-5)


def test_init_follows_keras_defaults():
    params = init_lstm(np.random.default_rng(0), 3, 8)
    assert params["kernel"].shape == (3, 32) and params["recurrent_kernel"].shape == (8, 32)
    np.testing.assert_array_equal(params["bias"], np.r_[np.zeros(8), np.ones(8), np.zeros(16)])
    limit = np.sqrt(6 / (3 + 32))
    assert np.abs(params["kernel"]).max() <= limit and np.abs(params["kernel"]).max() > 0.5 * limit
    recurrent = params["recurrent_kernel"].astype(np.float64)
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(8), atol=1e-5)  # orthonormal rows


def test_init_is_reproducible_from_the_seed():
    spec = NetworkSpec(2, (4, 3), (5, 1))
    a, b, c = init_network(spec, 0), init_network(spec, 0), init_network(spec, 1)
    for x, y in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a["lstm"][0]["kernel"], c["lstm"][0]["kernel"])


def test_stacked_network_with_dense_head_matches_numpy():
    spec = NetworkSpec(input_dim=2, lstm_units=(4, 3), dense=(Dense(5, "relu"), Dense(2, "tanh")))
    params = init_network(spec, 3)
    params["lstm"] = [
        random_lstm(10 + i, layer["kernel"].shape[0], layer["recurrent_kernel"].shape[0])
        for i, layer in enumerate(params["lstm"])
    ]
    x = np.random.default_rng(4).normal(size=(3, 7, 2)).astype(np.float32)
    out, state = network_forward(spec, params, x)
    assert out.shape == (3, 2) and len(state) == 2 and state[1][0].shape == (3, 3)
    np.testing.assert_allclose(out, network_numpy(params, ["relu", "tanh"], x), atol=1e-5)


def test_gradients_match_central_finite_differences():
    spec = NetworkSpec(input_dim=2, lstm_units=(3, 2), dense=(Dense(3, "tanh"), 1))
    with jax.enable_x64(True):
        params = jax.tree_util.tree_map(lambda a: jnp.asarray(a, jnp.float64), init_network(spec, 5))
        flat = ravel_weights(params)
        x = jnp.asarray(np.random.default_rng(0).normal(size=(4, 5, 2)))
        y = jnp.asarray(np.random.default_rng(1).normal(size=(4, 1)))

        def loss(flat):
            out, _ = network_forward(spec, unravel_weights(spec, flat), x)
            return jnp.mean((out - y) ** 2)

        grad = np.asarray(jax.grad(loss)(flat))
        numeric = central_differences(loss, flat)
    assert flat.dtype == jnp.float64
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_keras_weight_order_round_trips():
    spec = NetworkSpec(2, (4, 3), (Dense(5, "relu"), 1))
    params = init_network(spec, 0)
    weights = to_keras_weights(params)
    assert [w.shape for w in weights] == [(2, 16), (4, 16), (16,), (4, 12), (3, 12), (12,), (3, 5), (5,), (5, 1), (1,)]
    back = from_keras_weights(spec, weights)
    for a, b in zip(jax.tree_util.tree_leaves(params), jax.tree_util.tree_leaves(back)):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(InvalidInputError):
        from_keras_weights(spec, weights[:-1])
    with pytest.raises(InvalidInputError):
        from_keras_weights(spec, [w.T for w in weights])


def test_run_stateful_carries_state_like_one_long_sequence():
    """Keras' stateful predict with batch 1: each window continues where the last one ended."""
    spec = NetworkSpec(1, (3,), (1,))
    params = init_network(spec, 2)
    series = np.sin(np.arange(12, dtype=np.float32))[None, :, None]  # one sequence of 12 steps
    windows = series.reshape(12, 1, 1)  # 12 samples of one step each
    out, state = run_stateful(spec, params, windows)
    # The same by hand: the LSTM over the whole sequence, head applied at each step.
    hidden, _, _ = lstm_numpy(params["lstm"][0], series)
    expected = hidden[0] @ params["dense"][0]["kernel"] + params["dense"][0]["bias"]
    np.testing.assert_allclose(out, expected, atol=1e-5)
    # Continuing from the returned state equals running the longer sequence.
    more = np.cos(np.arange(3, dtype=np.float32)).reshape(3, 1, 1)
    out_more, _ = run_stateful(spec, params, more, state)
    whole, _ = run_stateful(spec, params, np.concatenate([windows, more]))
    np.testing.assert_allclose(out_more, whole[-3:], atol=1e-6)


def test_spec_validation_and_config_round_trip():
    spec = NetworkSpec(3, 8, ((16, "relu"), 2), dropout=0.1, recurrent_dropout=0.2)
    assert spec.lstm_units == (8,) and spec.output_dim == 2
    assert NetworkSpec.from_config(spec.to_config()) == spec
    assert hash(spec) == hash(NetworkSpec.from_config(spec.to_config()))
    with pytest.raises(InvalidInputError):
        NetworkSpec(1, (0,))
    with pytest.raises(InvalidInputError):
        NetworkSpec(1, 4, dropout=1.0)
    with pytest.raises(InvalidInputError):
        NetworkSpec(1, 4, ((3, "swishy"),))


def test_gradients_with_initial_state_and_recurrent_dropout_match_finite_differences():
    """The hand-written backward pass through time, on every input it has: weights, the
    initial (h, c), and a recurrent dropout mask."""
    with jax.enable_x64(True):
        params = {k: jnp.asarray(v, jnp.float64) for k, v in random_lstm(4, 2, 3).items()}
        x = jnp.asarray(np.random.default_rng(5).normal(size=(2, 4, 2)))
        h0, c0 = (jnp.asarray(np.random.default_rng(s).normal(size=(2, 3))) for s in (6, 7))
        key = jax.random.key(3)

        def loss(flat):
            p = {
                "kernel": flat[:24].reshape(2, 12),
                "recurrent_kernel": flat[24:60].reshape(3, 12),
                "bias": flat[60:72],
            }
            out, (h, c) = lstm_forward(
                p, x, (flat[72:78].reshape(2, 3), flat[78:84].reshape(2, 3)), recurrent_dropout=0.5, key=key
            )
            return jnp.sum(out**2) + jnp.sum(jnp.sin(c)) + jnp.sum(h)

        flat = jnp.concatenate(
            [params["kernel"].ravel(), params["recurrent_kernel"].ravel(), params["bias"], h0.ravel(), c0.ravel()]
        )
        grad = np.asarray(jax.grad(loss)(flat))
        numeric = central_differences(loss, flat)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)
    assert np.abs(grad[72:]).max() > 0  # the initial state does receive gradient
