"""The LSTM layer, with Keras' semantics and Keras' weight layout.

Weights are a plain dict, the layout Keras uses, so they move between the two unchanged::

    {"kernel": (input_dim, 4*units), "recurrent_kernel": (units, 4*units), "bias": (4*units,)}

with the four gate blocks in the order i (input), f (forget), c (candidate), o (output); the
recurrent activation is the sigmoid and the activation tanh. State is explicit: ``lstm_forward``
takes and returns ``(h, c)``, so a stateful network is just one that threads the state on.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from lstmcast.nn.initializers import glorot_uniform, orthogonal

Params = dict[str, jax.Array]
State = tuple[jax.Array, jax.Array]


def init_lstm(rng: np.random.Generator, input_dim: int, units: int) -> dict[str, np.ndarray]:
    """Keras' default initialisation: glorot-uniform kernel, orthogonal recurrent kernel,
    zero bias except a forget-gate bias of 1 (``unit_forget_bias=True``)."""
    kernel = glorot_uniform(rng, (input_dim, 4 * units))
    recurrent = orthogonal(rng, (units, 4 * units))
    bias = np.zeros((4 * units,), np.float32)
    bias[units : 2 * units] = 1.0
    return {"kernel": kernel, "recurrent_kernel": recurrent, "bias": bias}


def zero_state(batch: int, units: int, dtype=jnp.float32) -> State:
    """The state an LSTM starts from, and what a stateful LSTM is reset to."""
    zeros = jnp.zeros((batch, units), dtype)
    return zeros, zeros


def dropout_mask(key: jax.Array, shape: tuple[int, ...], rate: float, dtype=jnp.float32) -> jax.Array:
    """Inverted-dropout mask: zeros with probability ``rate``, else ``1/(1-rate)``."""
    keep = jax.random.bernoulli(key, 1.0 - rate, shape)
    return keep.astype(dtype) / (1.0 - rate)


def lstm_forward(
    params: Params,
    x: jax.Array,
    state: State | None = None,
    *,
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    key: jax.Array | None = None,
) -> tuple[jax.Array, State]:
    """Run the layer over ``x: (batch, time, features)``.

    Returns ``outputs: (batch, time, units)`` (the hidden state at every step) and the final
    ``(h, c)``. Dropout is applied only when a ``key`` is given (training), as in Keras: one mask
    per sequence, shared by all time steps and all four gates, on the inputs (``dropout``) and on
    the previous hidden state (``recurrent_dropout``).
    """
    batch = x.shape[0]
    units = params["recurrent_kernel"].shape[0]
    if state is None:
        state = zero_state(batch, units, x.dtype)
    recurrent_mask = None
    if key is not None:
        input_key, recurrent_key = jax.random.split(key)
        if dropout > 0:
            x = x * dropout_mask(input_key, (batch, x.shape[2]), dropout, x.dtype)[:, None, :]
        if recurrent_dropout > 0:
            recurrent_mask = dropout_mask(recurrent_key, (batch, units), recurrent_dropout, x.dtype)

    # The input projection does not depend on the state: one matmul for all steps, time-major.
    projected = jnp.einsum("btf,fg->tbg", x, params["kernel"]) + params["bias"]
    recurrent_kernel = params["recurrent_kernel"]

    def step(carry: State, projected_t: jax.Array) -> tuple[State, jax.Array]:
        h, c = carry
        if recurrent_mask is not None:
            h = h * recurrent_mask
        z = projected_t + h @ recurrent_kernel
        i, f, g, o = jnp.split(z, 4, axis=-1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        h = jax.nn.sigmoid(o) * jnp.tanh(c)
        return (h, c), h

    final_state, outputs = jax.lax.scan(step, state, projected)
    return jnp.swapaxes(outputs, 0, 1), final_state
