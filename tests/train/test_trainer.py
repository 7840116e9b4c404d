import warnings

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from lstmcast.errors import InvalidInputError, TrainingDivergedError
from lstmcast.nn import NetworkSpec, init_network, network_forward, zero_network_state
from lstmcast.train import EarlyStopping, TrainConfig, fit, fit_many, make_optimizer

SPEC = NetworkSpec(1, (4,), (1,))


def sine_windows(n=40, look_back=3, phase=0.0):
    z = np.sin(0.3 * np.arange(n + look_back) + phase).astype(np.float32)
    x = np.stack([z[i : i + look_back] for i in range(n)])[:, :, None]
    return x, z[look_back:]


def leaves(params):
    return [np.asarray(a) for a in jax.tree_util.tree_leaves(params)]


def weights(result):
    """The weights of a one-model run (every TrainResult has a leading model axis)."""
    assert len(result.seeds) == 1 and all(a.shape[0] == 1 for a in leaves(result.params))
    return leaves(result.member(0))


def reference_training(spec, x, y, *, epochs, batch_size, optimizer, seed=0, stateful=False):
    """Keras' fit loop written plainly: Python loops over epochs and batches, unshuffled, the last
    batch partial, one optimizer step per batch; stateful runs carry (h, c) between batches
    (no gradient through it) and reset it at each epoch's start."""
    params = jax.tree_util.tree_map(jnp.asarray, init_network(spec, seed))
    state = optimizer.init(params)
    for _ in range(epochs):
        rnn = zero_network_state(spec, batch_size)
        for start in range(0, len(x), batch_size):
            xb, yb = x[start : start + batch_size], y[start : start + batch_size, None]
            n = len(xb)
            if stateful and n < batch_size:  # pad the partial batch; padded rows get no weight
                xb = np.concatenate([xb, np.repeat(xb[-1:], batch_size - n, 0)])
                yb = np.concatenate([yb, np.repeat(yb[-1:], batch_size - n, 0)])

            def loss(p):
                pred, new_rnn = network_forward(spec, p, xb, rnn if stateful else None)
                return jnp.mean((pred[:n] - yb[:n]) ** 2), new_rnn

            (_, new_rnn), grads = jax.value_and_grad(loss, has_aux=True)(params)
            updates, state = optimizer.update(grads, state, params)
            params = optax.apply_updates(params, updates)
            rnn = new_rnn
    return params


@pytest.mark.parametrize("batch_size", [1, 3, 7])
def test_compiled_loop_equals_a_plain_python_loop(batch_size):
    x, y = sine_windows(n=11)  # 11 samples: batch 3 leaves a partial last batch of 2
    config = TrainConfig(epochs=3, batch_size=batch_size, shuffle=False, optimizer="adam", learning_rate=0.01)
    result = fit(SPEC, x, y, config, seed=4, verbose=0)
    expected = reference_training(
        SPEC, x, y, epochs=3, batch_size=batch_size, optimizer=make_optimizer("adam", 0.01), seed=4
    )
    for a, b in zip(weights(result), leaves(expected)):
        np.testing.assert_allclose(a, b, atol=1e-5)
    assert result.history["loss"].shape == (1, 3)
    assert result.epochs_run.shape == result.best_epoch.shape == result.stopped_early.shape == (1,)


def test_stateful_training_carries_and_resets_state_like_keras():
    x, y = sine_windows(n=9, look_back=2)
    config = TrainConfig(epochs=3, batch_size=2, stateful=True, optimizer="sgd", learning_rate=0.05)
    result = fit(SPEC, x, y, config, seed=1, verbose=0)
    expected = reference_training(
        SPEC, x, y, epochs=3, batch_size=2, optimizer=make_optimizer("sgd", 0.05), seed=1, stateful=True
    )
    for a, b in zip(weights(result), leaves(expected)):
        np.testing.assert_allclose(a, b, atol=1e-5)
    stateless = fit(
        SPEC,
        x,
        y,
        TrainConfig(epochs=3, batch_size=2, shuffle=False, optimizer="sgd", learning_rate=0.05),
        seed=1,
        verbose=0,
    )
    assert not np.allclose(weights(stateless)[0], weights(result)[0])


def test_same_seed_is_bit_identical_and_seeds_differ():
    x, y = sine_windows()
    config = TrainConfig(epochs=5, batch_size=4)
    a, b = fit(SPEC, x, y, config, seed=3, verbose=0), fit(SPEC, x, y, config, seed=3, verbose=0)
    c = fit(SPEC, x, y, config, seed=4, verbose=0)
    assert all(np.array_equal(p, q) for p, q in zip(weights(a), weights(b)))
    np.testing.assert_array_equal(a.history["loss"], b.history["loss"])
    assert not np.array_equal(weights(a)[0], weights(c)[0])


def test_shuffling_visits_every_sample_once_per_epoch():
    """With one batch per epoch the order cannot matter: shuffled equals unshuffled."""
    x, y = sine_windows(n=12)
    shuffled = fit(SPEC, x, y, TrainConfig(epochs=4, batch_size=12, shuffle=True), seed=0, verbose=0)
    ordered = fit(SPEC, x, y, TrainConfig(epochs=4, batch_size=12, shuffle=False), seed=0, verbose=0)
    for a, b in zip(weights(shuffled), weights(ordered)):
        np.testing.assert_allclose(a, b, atol=1e-6)
    small_batches = fit(SPEC, x, y, TrainConfig(epochs=4, batch_size=2, shuffle=True), seed=0, verbose=0)
    in_order = fit(SPEC, x, y, TrainConfig(epochs=4, batch_size=2, shuffle=False), seed=0, verbose=0)
    assert not np.allclose(weights(small_batches)[0], weights(in_order)[0])


def test_many_models_equal_separate_runs():
    spec = NetworkSpec(1, (5,), (3, 1), dropout=0.2, recurrent_dropout=0.1)
    x, y = sine_windows(n=10)
    val = sine_windows(n=6, phase=1.0)
    config = TrainConfig(epochs=6, batch_size=3, early_stopping=EarlyStopping(patience=1, restore_best_weights=True))
    seeds, rates = [0, 5, 9], [1e-3, 3e-2, 1e-2]
    many = fit_many(spec, x, y, config, seeds=seeds, learning_rates=rates, validation_data=val, verbose=0)
    for k, (seed, rate) in enumerate(zip(seeds, rates)):
        single_config = TrainConfig(**{**config.__dict__, "learning_rate": rate})
        one = fit(spec, x, y, single_config, seed=seed, validation_data=val, verbose=0)
        for a, b in zip(leaves(many.params), weights(one)):
            np.testing.assert_allclose(a[k], b, atol=1e-5)
        assert many.epochs_run[k] == one.epochs_run[0]
        ran = one.epochs_run[0]
        np.testing.assert_allclose(many.history["val_loss"][k, :ran], one.history["val_loss"][0], atol=1e-5)


def keras_early_stopping_epochs(values, patience, min_delta):
    """Keras 3 ``EarlyStopping.on_epoch_end`` on a list of monitored values → epochs run."""
    best, wait = np.inf, 0
    for epoch, value in enumerate(values):
        wait += 1
        if value < best - min_delta:
            best, wait = value, 0
            continue
        if wait >= patience and epoch > 0:
            return epoch + 1
    return len(values)


def test_early_stopping_follows_keras_and_restores_best_weights():
    x, y = sine_windows(n=30)
    x_val, y_val = sine_windows(n=15, phase=2.0)
    y_val = y_val + 0.5  # a validation set the model cannot fit well: val_loss turns up early
    full = fit(
        SPEC,
        x,
        y,
        TrainConfig(epochs=60, batch_size=4, learning_rate=0.02),
        validation_data=(x_val, y_val),
        seed=0,
        verbose=0,
    )
    for patience in (0, 3):
        stop = EarlyStopping(patience=patience, restore_best_weights=True)
        config = TrainConfig(epochs=60, batch_size=4, learning_rate=0.02, early_stopping=stop)
        result = fit(SPEC, x, y, config, validation_data=(x_val, y_val), seed=0, verbose=0)
        expected_epochs = keras_early_stopping_epochs(full.history["val_loss"][0], patience, 0.0)
        assert expected_epochs < 60, "the scenario must trigger early stopping"
        assert result.epochs_run[0] == expected_epochs and result.stopped_early[0]
        np.testing.assert_allclose(
            result.history["val_loss"][0], full.history["val_loss"][0, :expected_epochs], rtol=1e-6
        )
        best = int(np.argmin(result.history["val_loss"][0]))
        assert result.best_epoch[0] == best
        pred, _ = network_forward(SPEC, result.member(0), x_val)
        np.testing.assert_allclose(
            np.mean((np.asarray(pred)[:, 0] - y_val) ** 2), result.history["val_loss"][0, best], rtol=1e-5
        )


def test_validation_loss_is_the_loss_of_the_weights_at_epoch_end():
    x, y = sine_windows(n=20)
    val = sine_windows(n=8, phase=0.5)
    result = fit(SPEC, x, y, TrainConfig(epochs=4, batch_size=5), validation_data=val, seed=2, verbose=0)
    pred, _ = network_forward(SPEC, result.member(0), val[0])
    np.testing.assert_allclose(
        result.history["val_loss"][0, -1], np.mean((np.asarray(pred)[:, 0] - val[1]) ** 2), rtol=1e-5
    )


def test_weighted_validation_loss_is_the_weighted_mean_of_the_per_sample_losses():
    """A fourth element of ``validation_data`` weighs each validation sample's loss, as
    ``sample_weight`` weighs the training samples': the weighted mean, computed here by hand."""
    x, y = sine_windows(n=20)
    x_val, y_val = sine_windows(n=8, phase=0.5)
    weights = np.linspace(0.0, 3.0, 8)
    result = fit(
        SPEC,
        x,
        y,
        TrainConfig(epochs=3, batch_size=5),
        validation_data=(x_val, y_val, None, weights),
        seed=2,
        verbose=0,
    )
    pred, _ = network_forward(SPEC, result.member(0), x_val)
    per_sample = (np.asarray(pred)[:, 0] - y_val) ** 2
    np.testing.assert_allclose(
        result.history["val_loss"][0, -1], np.sum(weights * per_sample) / np.sum(weights), rtol=1e-5
    )
    assert not np.isclose(np.sum(weights * per_sample) / np.sum(weights), per_sample.mean(), rtol=1e-3)


def test_training_learns():
    x, y = sine_windows(n=60)
    result = fit(SPEC, x, y, TrainConfig(epochs=200, batch_size=8, learning_rate=0.01), seed=0, verbose=0)
    assert result.history["loss"][0, -1] < 0.05 * result.history["loss"][0, 0]


def exploding_problem():
    x = np.full((8, 2, 1), 1e3, np.float32)
    y = np.full(8, 1e4, np.float32)
    return x, y


def test_divergence_raises_a_named_error_with_the_epoch():
    x, y = exploding_problem()
    config = TrainConfig(epochs=50, batch_size=8, optimizer="sgd", learning_rate=10.0)
    with pytest.raises(TrainingDivergedError, match=r"epoch \d+"):
        fit(SPEC, x, y, config, verbose=0)


def test_divergence_with_restore_best_weights_returns_the_best_and_warns():
    x, y = exploding_problem()
    stop = EarlyStopping(monitor="loss", patience=100, restore_best_weights=True)
    config = TrainConfig(epochs=50, batch_size=8, optimizer="sgd", learning_rate=10.0, early_stopping=stop)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit(SPEC, x, y, config, verbose=0)
    assert any("NaN or infinite" in str(w.message) for w in caught)
    assert all(np.all(np.isfinite(a)) for a in weights(result))
    assert result.best_epoch[0] == 0 and not result.stopped_early[0]


@pytest.mark.parametrize(
    "call",
    [
        lambda: fit(SPEC, np.zeros((4, 3)), np.zeros(4), verbose=0),  # not 3-D
        lambda: fit(SPEC, np.zeros((4, 3, 2)), np.zeros(4), verbose=0),  # wrong feature count
        lambda: fit(SPEC, np.zeros((4, 3, 1)), np.zeros(5), verbose=0),  # sample count mismatch
        lambda: fit(SPEC, np.full((4, 3, 1), np.nan), np.zeros(4), verbose=0),
        lambda: fit(SPEC, np.zeros((4, 3, 1)), np.zeros(4), TrainConfig(early_stopping=EarlyStopping()), verbose=0),
        lambda: TrainConfig(stateful=True, shuffle=True),
        lambda: TrainConfig(loss="hinge-ish"),
        lambda: TrainConfig(batch_size=0),
        lambda: fit_many(SPEC, np.zeros((4, 3, 1)), np.zeros(4), seeds=[0, 1], learning_rates=[0.1], verbose=0),
    ],
)
def test_bad_input_raises_named_errors(call):
    with pytest.raises(InvalidInputError):
        call()
