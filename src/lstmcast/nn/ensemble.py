"""Inference for an ensemble: the same network with a leading model axis on every weight.

Each kernel is compiled once per network and shape and runs every member in one call (``vmap``
over the model axis): an ensemble of 5 costs about what one member costs.
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from lstmcast._runtime import jit
from lstmcast._shapes import bucket_size
from lstmcast.nn.conv import conv1d, masked_moments
from lstmcast.nn.network import (
    NetworkSpec,
    NetworkState,
    block_input,
    network_forward,
    stateful_scan,
    zero_network_state,
)


@partial(jit, static_argnums=0)
def ensemble_outputs(spec: NetworkSpec, params: dict, x: jax.Array) -> jax.Array:
    """Each member's first output on windows ``x (windows, time, features)``: ``(members, windows)``."""
    return jax.vmap(lambda p: network_forward(spec, p, x)[0][:, 0])(params)


@partial(jit, static_argnums=0)
def ensemble_stateful(spec: NetworkSpec, params: dict, x: jax.Array) -> tuple[jax.Array, NetworkState]:
    """Each member run with batch 1 over the windows in order, from a zero state, carrying its
    state from window to window (a stateful network's walk): ``(outputs (members, windows,
    outputs), each member's final state)``."""
    return jax.vmap(lambda p: stateful_scan(spec, p, x, zero_network_state(spec, 1)))(params)


@partial(jit, static_argnums=(0, 4))
def ensemble_recursive(spec: NetworkSpec, params: dict, states, window: jax.Array, horizon: int) -> jax.Array:
    """Each member fed its own forecasts for ``horizon`` steps from ``window (time,)``:
    ``(members, horizon)``. ``states`` None: stateless (every window from a zero state); else
    each member's LSTM state, carried on from step to step."""

    def member(p, state):
        def step(carry, _):
            w, state = carry
            out, new_state = network_forward(spec, p, w[None, :, None], state)
            value = out[0, 0]
            return (jnp.concatenate([w[1:], value[None]]), None if state is None else new_state), value

        return jax.lax.scan(step, (window, state), None, length=horizon)[1]

    return jax.vmap(member)(params, states)


# -- whole sequences of different lengths (classification) ------------------------------------------
# Sequences are run in chunks of at most this many values of the widest activation (members x
# cases x steps x channels), each chunk padded to a bucket size: memory stays bounded and few
# programs are compiled.
_CHUNK_VALUES = 1 << 25


def ensemble_forward(spec: NetworkSpec, params: dict, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Every member's outputs on sequences ``x (cases, time, features)`` padded at the end to
    their ``lengths``: ``(members, cases, outputs)``, inference mode. NumPy in and out."""
    x, lengths = np.asarray(x, np.float32), np.asarray(lengths, np.int32)
    outputs = [
        np.asarray(_forward(spec, params, x[rows], lengths[rows]))[:, :n] for rows, n in _chunks(spec, params, x)
    ]
    return np.concatenate(outputs, axis=1)


@partial(jit, static_argnums=0)
def _forward(spec: NetworkSpec, params: dict, x: jax.Array, lengths: jax.Array) -> jax.Array:
    return jax.vmap(lambda p: network_forward(spec, p, x, lengths=lengths)[0])(params)


def calibrate_batch_norm(spec: NetworkSpec, params: dict, x: np.ndarray, lengths: np.ndarray) -> dict:
    """An ensemble's weights with every convolution block's population statistics set to the
    mean and variance of its outputs over the valid steps of ``x`` (the training sequences),
    block after block, each computed with the statistics below it already set: what inference
    uses. (Keras keeps running averages of batch statistics instead; statistics computed once
    after training do not depend on the order of the last batches.) Chunks are combined in
    float64 (Chan's parallel formula). ``params`` has a leading model axis; NumPy in and out."""
    if not spec.conv_filters:
        return params
    x, lengths = np.asarray(x, np.float32), np.asarray(lengths, np.int32)
    params = jax.tree_util.tree_map(np.asarray, params)
    blocks = [dict(block) for block in params["conv"]]
    for block in range(len(blocks)):
        count, mean, m2 = 0.0, 0.0, 0.0
        for rows, real in _chunks(spec, params, x):
            chunk_lengths = np.where(np.arange(len(rows)) < real, lengths[rows], 0)  # padding rows count for nothing
            moments = _block_moments(spec, {**params, "conv": blocks}, x[rows], chunk_lengths, block)
            n, chunk_mean, chunk_var = (np.asarray(a, np.float64) for a in moments)
            n = n[:, None]
            total = count + n
            delta = chunk_mean - mean
            mean = mean + delta * n / np.maximum(total, 1.0)
            m2 = m2 + chunk_var * n + delta**2 * count * n / np.maximum(total, 1.0)
            count = total
        blocks[block]["mean"] = mean.astype(np.float32)
        blocks[block]["var"] = (m2 / np.maximum(count, 1.0)).astype(np.float32)
    return {**params, "conv": blocks}


@partial(jit, static_argnums=(0, 4))
def _block_moments(spec: NetworkSpec, params: dict, x: jax.Array, lengths: jax.Array, block: int):
    def member(p):
        h, mask = block_input(spec, p, x, lengths, block)
        mean, var = masked_moments(conv1d(h, p["conv"][block]["kernel"]), mask)
        return jnp.sum(mask), mean, var

    return jax.vmap(member)(params)


def _chunks(spec: NetworkSpec, params: dict, x: np.ndarray):
    """``(rows, n)`` pairs covering the cases of ``x``: ``rows`` indexes a chunk padded (by
    repeating the last case) to a bucket size, of which the first ``n`` are real."""
    members = jax.tree_util.tree_leaves(params)[0].shape[0]
    widest = max((spec.input_dim, *spec.conv_filters, 4 * max(spec.lstm_units)))
    per_case = max(1, members * x.shape[1] * widest)
    size = max(1, min(len(x), _CHUNK_VALUES // per_case))
    for start in range(0, len(x), size):
        n = min(size, len(x) - start)
        rows = np.minimum(np.arange(bucket_size(n)) + start, len(x) - 1)
        yield rows, n
