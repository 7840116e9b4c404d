"""Losses by name, Keras' definitions: each maps ``(y_pred, y_true)`` to one value per sample."""

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


LOSSES = {
    "mse": mse,
    "mean_squared_error": mse,
    "mae": mae,
    "mean_absolute_error": mae,
    "huber": huber,
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}
