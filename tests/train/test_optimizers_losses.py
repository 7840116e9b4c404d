import jax.numpy as jnp
import numpy as np
import pytest

from lstmcast.train import LOSSES, make_optimizer


def keras_adam_numpy(grads, lr=1e-3, b1=0.9, b2=0.999, eps=1e-7):
    """Keras 3 ``Adam.update_step``, written out."""
    p = np.zeros_like(grads[0], dtype=np.float64)
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        alpha = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        p -= alpha * m / (np.sqrt(v) + eps)
    return p


def run(optimizer, grads):
    p = jnp.zeros(grads[0].shape, jnp.float32)
    state = optimizer.init(p)
    for g in grads:
        updates, state = optimizer.update(jnp.asarray(g, jnp.float32), state, p)
        p = p + updates
    return np.asarray(p)


def test_adam_matches_keras_formula_including_early_steps():
    grads = [np.random.default_rng(i).normal(size=5) * 1e-4 for i in range(6)]  # tiny grads: eps matters
    np.testing.assert_allclose(run(make_optimizer("adam", 1e-3), grads), keras_adam_numpy(grads), rtol=1e-5, atol=1e-10)


def test_sgd_and_rmsprop_match_their_formulas():
    grads = [np.random.default_rng(i).normal(size=4) for i in range(5)]
    np.testing.assert_allclose(run(make_optimizer("sgd", 0.1), grads), -0.1 * np.sum(grads, axis=0), rtol=1e-6)
    p, v = np.zeros(4), np.zeros(4)
    for g in grads:  # Keras RMSprop: v = rho v + (1-rho) g², p -= lr g / sqrt(v + eps)
        v = 0.9 * v + 0.1 * g * g
        p -= 1e-3 * g / np.sqrt(v + 1e-7)
    np.testing.assert_allclose(run(make_optimizer("rmsprop", 1e-3), grads), p, rtol=1e-5)


def test_clipping():
    g = [np.array([3.0, 4.0])]
    np.testing.assert_allclose(run(make_optimizer("sgd", 1.0, clip_norm=1.0), g), [-0.6, -0.8], rtol=1e-6)
    np.testing.assert_allclose(run(make_optimizer("sgd", 1.0, clip_value=0.5), g), [-0.5, -0.5], rtol=1e-6)


@pytest.mark.parametrize(
    "name, reference",
    [
        ("mse", lambda p, t: np.mean((p - t) ** 2, -1)),
        ("mae", lambda p, t: np.mean(np.abs(p - t), -1)),
        ("huber", lambda p, t: np.mean(np.where(np.abs(p - t) <= 1, 0.5 * (p - t) ** 2, np.abs(p - t) - 0.5), -1)),
    ],
)
def test_regression_losses(name, reference):
    rng = np.random.default_rng(0)
    p, t = rng.normal(size=(6, 2)) * 2, rng.normal(size=(6, 2))
    np.testing.assert_allclose(LOSSES[name](jnp.asarray(p), jnp.asarray(t)), reference(p, t), rtol=1e-5)


def test_crossentropies():
    p = np.array([[0.9], [0.2], [1.0]])
    t = np.array([[1.0], [0.0], [0.0]])
    clipped = np.clip(
        p[:, 0].astype(np.float32), np.float32(1e-7), np.float32(1) - np.float32(1e-7)
    )  # float32, as Keras
    expected = -np.log(np.where(t[:, 0] == 1, clipped, np.float32(1) - clipped))
    np.testing.assert_allclose(LOSSES["binary_crossentropy"](jnp.asarray(p), jnp.asarray(t)), expected, rtol=1e-4)
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    one_hot = np.array([[1, 0, 0], [0, 0, 1.0]])
    np.testing.assert_allclose(
        LOSSES["categorical_crossentropy"](jnp.asarray(probs), jnp.asarray(one_hot)), -np.log([0.7, 0.8]), rtol=1e-5
    )
    np.testing.assert_allclose(
        LOSSES["sparse_categorical_crossentropy"](jnp.asarray(probs), jnp.asarray([[0.0], [2.0]])),
        -np.log([0.7, 0.8]),
        rtol=1e-5,
    )
