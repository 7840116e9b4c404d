"""Optimizers by name, built with Optax and set to Keras' defaults.

``adam`` follows Keras exactly: Keras adds epsilon to ``sqrt(v)`` *before* the bias correction
(optax adds it after), which matters in the first steps; tests compare against the Keras formula.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax

from lstmcast.errors import InvalidInputError

DEFAULT_LEARNING_RATES = {"adam": 1e-3, "sgd": 1e-2, "rmsprop": 1e-3}
LR_SCHEDULES = ("constant", "cosine")


def schedule_factor(schedule: str, epoch, epochs):
    """What the learning rate is multiplied by in ``epoch`` (0-based) of ``epochs``: 1 for
    ``"constant"``; ``(1 + cos(pi * epoch / epochs)) / 2`` for ``"cosine"``."""
    if schedule == "constant":
        return 1.0
    return 0.5 * (1.0 + jnp.cos(jnp.pi * epoch / epochs))


class KerasAdamState(NamedTuple):
    count: jax.Array
    mu: optax.Updates
    nu: optax.Updates


def scale_by_keras_adam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-7) -> optax.GradientTransformation:
    """Adam's direction as Keras computes it: ``sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps)``.

    Parameters
    ----------
    b1 : float, default 0.9
        The decay of the first moment ``m``.
    b2 : float, default 0.999
        The decay of the second moment ``v``.
    eps : float, default 1e-7
        Added to ``sqrt(v)`` before the bias correction, as Keras does.

    Returns
    -------
    optax.GradientTransformation
        The direction, not yet scaled by the learning rate.
    """

    def init(params):
        zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
        return KerasAdamState(jnp.zeros([], jnp.int32), zeros, zeros)

    def update(updates, state, params=None):
        del params
        count = state.count + 1
        mu = jax.tree_util.tree_map(lambda m, g: m + (g - m) * (1 - b1), state.mu, updates)
        nu = jax.tree_util.tree_map(lambda v, g: v + (g * g - v) * (1 - b2), state.nu, updates)
        t = count.astype(jnp.float32)
        correction = jnp.sqrt(1 - b2**t) / (1 - b1**t)
        direction = jax.tree_util.tree_map(lambda m, v: correction * m / (jnp.sqrt(v) + eps), mu, nu)
        return direction, KerasAdamState(count, mu, nu)

    return optax.GradientTransformation(init, update)


def make_optimizer(
    name: str,
    learning_rate: float | jax.Array,
    *,
    clip_norm: float | None = None,
    clip_value: float | None = None,
) -> optax.GradientTransformation:
    """``adam`` (Keras' variant), ``sgd`` or ``rmsprop`` (rho 0.9, eps 1e-7), with optional
    clipping.

    Parameters
    ----------
    name : {"adam", "sgd", "rmsprop"}
        The optimizer.
    learning_rate : float or jax.Array
        The learning rate (``DEFAULT_LEARNING_RATES`` has Keras' defaults).
    clip_norm : float, optional
        Clip the gradient's global norm to this.
    clip_value : float, optional
        Clip each gradient element to this absolute value.

    Returns
    -------
    optax.GradientTransformation

    Raises
    ------
    InvalidInputError
        An unknown optimizer.
    """
    if name == "adam":
        core = optax.chain(scale_by_keras_adam(), optax.scale_by_learning_rate(learning_rate))
    elif name == "sgd":
        core = optax.sgd(learning_rate)
    elif name == "rmsprop":
        core = optax.rmsprop(learning_rate, decay=0.9, eps=1e-7)
    else:
        raise InvalidInputError(f"unknown optimizer {name!r}; the optimizers are adam, sgd and rmsprop")
    clips = []
    if clip_value is not None:
        clips.append(optax.clip(clip_value))
    if clip_norm is not None:
        clips.append(optax.clip_by_global_norm(clip_norm))
    return optax.chain(*clips, core)
