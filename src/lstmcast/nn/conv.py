"""The temporal-convolution branch of an LSTM-FCN: Conv1D → batch normalisation → ReLU blocks,
then a global average over time. Every step honours a mask of valid time steps, so a sequence
padded to a batch's length gives exactly what it gives alone.

A block's weights: ``kernel (width, in, out)`` (Keras' Conv1D layout, no bias: the normalisation's
``beta`` is the bias), and the normalisation's ``gamma``, ``beta`` (trained) and ``mean``, ``var``
(the population statistics used at inference, computed from the training data after training;
see ``lstmcast.nn.network.calibrate_batch_norm``). In training the statistics are the batch's,
over its valid time steps only, as Keras' ``BatchNormalization`` in training mode.

Padding never leaks in: the input is zero beyond each sequence's end, and so is every block's
output (the mask is applied after the ReLU), which is exactly the zero padding that a ``"same"``
convolution of the unpadded sequence sees. Means and variances count valid steps only.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from lstmcast.nn.initializers import glorot_uniform

Params = dict[str, jax.Array]

# Keras' BatchNormalization default.
NORM_EPSILON = 1e-3


def init_conv_block(rng: np.random.Generator, width: int, input_dim: int, filters: int) -> dict[str, np.ndarray]:
    """Keras' defaults: a glorot-uniform kernel; gamma 1, beta 0; population mean 0, variance 1."""
    return {
        "kernel": glorot_uniform(rng, (width, input_dim, filters)),
        "gamma": np.ones((filters,), np.float32),
        "beta": np.zeros((filters,), np.float32),
        "mean": np.zeros((filters,), np.float32),
        "var": np.ones((filters,), np.float32),
    }


def conv1d(x: jax.Array, kernel: jax.Array) -> jax.Array:
    """``"same"`` 1-D convolution (cross-correlation, as Keras): ``x (batch, time, in)`` →
    ``(batch, time, out)``; an even width pads one more step at the end, as Keras does.

    Written as one matrix product of the shifted inputs side by side, not as XLA's convolution:
    inside a compiled training loop XLA:CPU runs its convolutions (and their gradients) 30-60x
    slower than outside one (jax-ml/jax#12868; measured here: 0.8-2.2 s against 28 ms a step),
    while matrix products keep their speed."""
    width, steps = kernel.shape[0], x.shape[1]
    before = (width - 1) // 2
    padded = jnp.pad(x, ((0, 0), (before, width - 1 - before), (0, 0)))
    shifted = jnp.concatenate([padded[:, k : k + steps] for k in range(width)], axis=2)
    return shifted @ kernel.reshape(-1, kernel.shape[-1])


def masked_moments(h: jax.Array, mask: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Mean and (biased) variance of each channel of ``h (batch, time, channels)`` over the steps
    where ``mask (batch, time)`` is 1."""
    m = mask[..., None]
    count = jnp.maximum(jnp.sum(m), 1.0)
    mean = jnp.sum(h * m, axis=(0, 1)) / count
    var = jnp.sum(jnp.square((h - mean) * m), axis=(0, 1)) / count
    return mean, var


def conv_block(params: Params, h: jax.Array, mask: jax.Array, *, batch_stats: bool) -> jax.Array:
    """One block on ``h`` (zero beyond each sequence's end): convolution, normalisation (by the
    batch's statistics in training, by the stored population statistics otherwise), ReLU, and
    the mask again."""
    z = conv1d(h, params["kernel"])
    mean, var = masked_moments(z, mask) if batch_stats else (params["mean"], params["var"])
    z = (z - mean) * jax.lax.rsqrt(var + NORM_EPSILON) * params["gamma"] + params["beta"]
    return jax.nn.relu(z) * mask[..., None]


def masked_time_mean(h: jax.Array, mask: jax.Array) -> jax.Array:
    """Global average pooling over each sequence's valid steps: ``(batch, time, c)`` → ``(batch, c)``
    (0 for a sequence with no valid step, such as a batch's padding slot)."""
    count = jnp.maximum(jnp.sum(mask, axis=1, keepdims=True), 1.0)
    return jnp.sum(h * mask[..., None], axis=1) / count


def time_mask(lengths: jax.Array, steps: int, dtype=jnp.float32) -> jax.Array:
    """``(batch, steps)``: 1 where a step lies within its sequence's length, else 0."""
    return (jnp.arange(steps)[None, :] < lengths[:, None]).astype(dtype)
