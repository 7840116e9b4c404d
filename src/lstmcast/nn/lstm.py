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
    zero bias except a forget-gate bias of 1 (``unit_forget_bias=True``).

    Parameters
    ----------
    rng : numpy.random.Generator
        Draws the kernels.
    input_dim : int
        Features in.
    units : int
        The LSTM's units.

    Returns
    -------
    dict of str to numpy.ndarray
        ``kernel``, ``recurrent_kernel`` and ``bias`` in Keras' layout, float32.
    """
    kernel = glorot_uniform(rng, (input_dim, 4 * units))
    recurrent = orthogonal(rng, (units, 4 * units))
    bias = np.zeros((4 * units,), np.float32)
    bias[units : 2 * units] = 1.0
    return {"kernel": kernel, "recurrent_kernel": recurrent, "bias": bias}


def zero_state(batch: int, units: int, dtype=jnp.float32) -> State:
    """The state an LSTM starts from, and what a stateful LSTM is reset to.

    Parameters
    ----------
    batch : int
        Sequences in the batch.
    units : int
        The LSTM's units.
    dtype : dtype, default jnp.float32
        The state's dtype.

    Returns
    -------
    tuple of jax.Array
        ``(h, c)``, zeros of shape ``(batch, units)``.
    """
    zeros = jnp.zeros((batch, units), dtype)
    return zeros, zeros


def dropout_mask(key: jax.Array, shape: tuple[int, ...], rate: float, dtype=jnp.float32) -> jax.Array:
    """Inverted-dropout mask: zeros with probability ``rate``, else ``1/(1-rate)``.

    Parameters
    ----------
    key : jax.Array
        The random key.
    shape : tuple of int
        The mask's shape.
    rate : float
        The probability of a zero, below 1.
    dtype : dtype, default jnp.float32
        The mask's dtype.

    Returns
    -------
    jax.Array
    """
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

    Dropout is applied only when a ``key`` is given (training), as in Keras: one mask per
    sequence, shared by all time steps and all four gates.

    Parameters
    ----------
    params : dict of str to jax.Array
        The layer's weights, in Keras' layout.
    x : jax.Array
        ``(batch, time, features)``.
    state : tuple of jax.Array, optional
        The ``(h, c)`` to start from; None starts from zeros.
    dropout : float, default 0.0
        Dropout rate on the inputs (with ``key``).
    recurrent_dropout : float, default 0.0
        Dropout rate on the previous hidden state (with ``key``).
    key : jax.Array, optional
        The random key of the dropout masks; None applies no dropout.

    Returns
    -------
    outputs : jax.Array
        ``(batch, time, units)``: the hidden state at every step.
    state : tuple of jax.Array
        The final ``(h, c)``.
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
    if recurrent_mask is None:
        recurrent_mask = jnp.ones((batch, units), x.dtype)
    outputs, final_state = _recurrence(projected, params["recurrent_kernel"], recurrent_mask, state[0], state[1])
    return jnp.swapaxes(outputs, 0, 1), final_state


def _cell(z: jax.Array, c: jax.Array):
    i, f, g, o = jnp.split(z, 4, axis=-1)
    i, f, g, o = jax.nn.sigmoid(i), jax.nn.sigmoid(f), jnp.tanh(g), jax.nn.sigmoid(o)
    c = f * c + i * g
    return (i, f, g, o), c, o * jnp.tanh(c)


@jax.custom_vjp
def _recurrence(projected, recurrent_kernel, recurrent_mask, h0, c0):
    """The time loop: ``projected (time, batch, 4*units)`` → hidden states and the final (h, c)."""
    return _recurrence_forward(projected, recurrent_kernel, recurrent_mask, h0, c0)[0]


def _recurrence_forward(projected, recurrent_kernel, recurrent_mask, h0, c0):
    def step(carry, projected_t):
        h, c = carry
        h_in = h * recurrent_mask
        gates, c_new, h_new = _cell(projected_t + h_in @ recurrent_kernel, c)
        return (h_new, c_new), (h_new, h_in, gates, c, c_new)

    (h, c), (hs, h_ins, gates, c_prev, c_all) = jax.lax.scan(step, (h0, c0), projected)
    return (hs, (h, c)), (recurrent_kernel, recurrent_mask, h_ins, gates, c_prev, c_all)


def _recurrence_backward(residuals, cotangents):
    """Backpropagation through time with the weight gradient taken once, after the loop.

    JAX's generic rule for ``scan`` accumulates ``h_in^T dz`` step by step (many small matmuls);
    here the loop only carries ``dh`` and ``dc``, and the recurrent kernel's gradient is one
    matmul over all steps. Checked against finite differences in the tests.
    """
    recurrent_kernel, recurrent_mask, h_ins, gates, c_prev, c_all = residuals
    d_hs, (d_h_final, d_c_final) = cotangents

    def step(carry, inputs):
        dh_next, dc = carry
        d_h_t, (i, f, g, o), c_before, c_t = inputs
        dh = d_h_t + dh_next
        tanh_c = jnp.tanh(c_t)
        dc = dc + dh * o * (1 - tanh_c**2)
        dz = jnp.concatenate(
            [dc * g * i * (1 - i), dc * c_before * f * (1 - f), dc * i * (1 - g**2), dh * tanh_c * o * (1 - o)], axis=-1
        )
        dh_prev = (dz @ recurrent_kernel.T) * recurrent_mask
        return (dh_prev, dc * f), dz

    (dh0, dc0), dz = jax.lax.scan(step, (d_h_final, d_c_final), (d_hs, gates, c_prev, c_all), reverse=True)
    d_recurrent = jnp.einsum("tbu,tbg->ug", h_ins, dz)
    return dz, d_recurrent, jnp.zeros_like(recurrent_mask), dh0, dc0


_recurrence.defvjp(_recurrence_forward, _recurrence_backward)


# -- sequences of different lengths, padded at the end ------------------------------------------------
def last_valid(outputs: jax.Array, lengths: jax.Array) -> jax.Array:
    """Each sequence's output at its last valid step: ``(batch, time, units)`` → ``(batch, units)``.
    An LSTM reads left to right, so padding after a sequence's end never reaches this step."""
    index = jnp.clip(lengths - 1, 0, outputs.shape[1] - 1)
    return jnp.take_along_axis(outputs, index[:, None, None], axis=1)[:, 0]


def reverse_valid(x: jax.Array, lengths: jax.Array) -> jax.Array:
    """Each sequence reversed within its own length, its padding left in place: what the backward
    half of a bidirectional LSTM reads (and, applied again, how its outputs are put back in order)."""
    steps = jnp.arange(x.shape[1])[None, :]
    index = jnp.where(steps < lengths[:, None], lengths[:, None] - 1 - steps, steps)
    return jnp.take_along_axis(x, index[..., None], axis=1)
