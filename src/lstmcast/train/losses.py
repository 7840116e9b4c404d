"""Losses by name, Keras' definitions: each maps ``(y_pred, y_true)`` to one value per sample.

The ``*_from_logits`` losses take the network's raw outputs (a linear last layer) and apply the
softmax or sigmoid inside the loss, as Keras' ``from_logits=True``: exact where the clipped
probabilities of ``categorical_crossentropy`` lose the gradient of a confidently wrong case.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

# Keras clips probabilities to [eps, 1 - eps] before taking logs.
_EPSILON = 1e-7


def mse(y_pred: jax.Array, y_true: jax.Array) -> jax.Array:
    return jnp.mean(jnp.square(y_pred - y_true), axis=-1)


def mae(y_pred: jax.Array, y_true: jax.Array) -> jax.Array:
    return jnp.mean(jnp.abs(y_pred - y_true), axis=-1)


def huber(y_pred: jax.Array, y_true: jax.Array, delta: float = 1.0) -> jax.Array:
    error = jnp.abs(y_pred - y_true)
    quadratic = jnp.minimum(error, delta)
    return jnp.mean(0.5 * quadratic**2 + delta * (error - quadratic), axis=-1)


def binary_crossentropy(y_pred: jax.Array, y_true: jax.Array) -> jax.Array:
    p = jnp.clip(y_pred, _EPSILON, 1 - _EPSILON)
    return jnp.mean(-(y_true * jnp.log(p) + (1 - y_true) * jnp.log(1 - p)), axis=-1)


def categorical_crossentropy(y_pred: jax.Array, y_true: jax.Array) -> jax.Array:
    p = y_pred / jnp.sum(y_pred, axis=-1, keepdims=True)
    p = jnp.clip(p, _EPSILON, 1 - _EPSILON)
    return -jnp.sum(y_true * jnp.log(p), axis=-1)


def sparse_categorical_crossentropy(y_pred: jax.Array, y_true: jax.Array) -> jax.Array:
    """``y_true`` holds class indices (one column)."""
    one_hot = jax.nn.one_hot(y_true[..., 0].astype(jnp.int32), y_pred.shape[-1], dtype=y_pred.dtype)
    return categorical_crossentropy(y_pred, one_hot)


def softmax_crossentropy_from_logits(y_pred: jax.Array, y_true: jax.Array) -> jax.Array:
    """Categorical cross-entropy of ``softmax(y_pred)`` against one-hot (or soft) ``y_true``."""
    return -jnp.sum(y_true * jax.nn.log_softmax(y_pred, axis=-1), axis=-1)


def sigmoid_crossentropy_from_logits(y_pred: jax.Array, y_true: jax.Array) -> jax.Array:
    """Binary cross-entropy of ``sigmoid(y_pred)`` against 0/1 ``y_true``, averaged over outputs
    (one output for two classes, one per label for multi-label data)."""
    return jnp.mean(jnp.maximum(y_pred, 0) - y_pred * y_true + jnp.log1p(jnp.exp(-jnp.abs(y_pred))), axis=-1)


LOSSES = {
    "mse": mse,
    "mean_squared_error": mse,
    "mae": mae,
    "mean_absolute_error": mae,
    "huber": huber,
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "softmax_crossentropy_from_logits": softmax_crossentropy_from_logits,
    "sigmoid_crossentropy_from_logits": sigmoid_crossentropy_from_logits,
}
