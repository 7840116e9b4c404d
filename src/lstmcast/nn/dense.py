"""The Dense layer (Keras layout: ``kernel (in, out)``, ``bias (out,)``) and its activations."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from lstmcast.nn.initializers import glorot_uniform

Params = dict[str, jax.Array]

ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": jax.nn.relu,
    "tanh": jnp.tanh,
    "sigmoid": jax.nn.sigmoid,
    "softmax": jax.nn.softmax,
    "elu": jax.nn.elu,
    "softplus": jax.nn.softplus,
}


def init_dense(rng: np.random.Generator, input_dim: int, units: int) -> dict[str, np.ndarray]:
    """Keras' default initialisation: glorot-uniform kernel, zero bias.

    Parameters
    ----------
    rng : numpy.random.Generator
        Draws the kernel.
    input_dim : int
        Features in.
    units : int
        Features out.

    Returns
    -------
    dict of str to numpy.ndarray
        ``kernel (input_dim, units)`` and ``bias (units,)``, float32.
    """
    return {"kernel": glorot_uniform(rng, (input_dim, units)), "bias": np.zeros((units,), np.float32)}


def dense_forward(params: Params, x: jax.Array, activation: str = "linear") -> jax.Array:
    """``activation(x @ kernel + bias)``.

    Parameters
    ----------
    params : dict of str to jax.Array
        ``kernel`` and ``bias``, as ``init_dense`` gives them.
    x : jax.Array
        ``(..., input_dim)``.
    activation : str, default "linear"
        One of ``ACTIVATIONS``.

    Returns
    -------
    jax.Array
        ``(..., units)``.
    """
    return ACTIVATIONS[activation](x @ params["kernel"] + params["bias"])
