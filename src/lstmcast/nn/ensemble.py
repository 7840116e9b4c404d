"""Inference for an ensemble: the same network with a leading model axis on every weight.

Each kernel is compiled once per network and shape and runs every member in one call (``vmap``
over the model axis): an ensemble of 5 costs about what one member costs. Every function takes the
members' network ``spec`` and their weights ``params``, each leaf of which has the member axis in
front, and runs in inference mode (no dropout; convolutions normalised by stored statistics).
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
    """Each member's first output on windows ``x``.

    Parameters
    ----------
    spec : NetworkSpec
        The members' network; each window is read from a zero state.
    params : dict
        The members' weights, stacked on a leading member axis.
    x : jax.Array
        ``(windows, time, features)``, one batch for every member.

    Returns
    -------
    jax.Array
        ``(members, windows)``: the first output of each member for each window.
    """
    return jax.vmap(lambda p: network_forward(spec, p, x)[0][:, 0])(params)


@partial(jit, static_argnums=0)
def ensemble_stateful(spec: NetworkSpec, params: dict, x: jax.Array) -> tuple[jax.Array, NetworkState]:
    """Each member run with batch 1 over the windows in order, from a zero state, carrying its
    state from window to window (a stateful network's walk).

    Parameters
    ----------
    spec : NetworkSpec
        A ``plain`` network (the kind that carries a state).
    params : dict
        The members' weights, stacked on a leading member axis.
    x : jax.Array
        ``(windows, time, features)``, in the order the state is carried through them.

    Returns
    -------
    outputs : jax.Array
        ``(members, windows, outputs)``.
    state : NetworkState
        Each member's final state.
    """
    return jax.vmap(lambda p: stateful_scan(spec, p, x, zero_network_state(spec, 1)))(params)


def ensemble_recursive(
    spec: NetworkSpec,
    params: dict,
    windows: np.ndarray,
    horizon: int,
    *,
    lengths: np.ndarray | None = None,
    relative: bool = False,
    states: NetworkState | None = None,
) -> np.ndarray:
    """Recursive forecasts: each member fed its own forecasts for ``horizon`` steps from each
    window, the one implementation behind every recursive forecast in lstmcast.

    Parameters
    ----------
    spec : NetworkSpec
        A network with one output (the next value).
    params : dict
        The members' weights, stacked on a leading member axis.
    windows : numpy.ndarray
        ``(windows, time)`` float32 inputs. Without ``lengths`` each fills the time axis and each
        new forecast is appended as the oldest value drops out. With ``lengths`` the windows are
        padded at the end: a window grows by one value a step until it fills the time axis (the
        look-back), then slides.
    horizon : int
        Steps to forecast.
    lengths : numpy.ndarray, optional
        ``(windows,)`` the valid values of each window.
    relative : bool, default False
        The windows are read relative to their last value and the network forecasts the change
        from it (the global LSTM's footing): each step the window is re-read relative to the new
        last value, and the forecasts come back relative to each window's last value.
    states : NetworkState, optional
        Each member's LSTM state to start from (a stateful network, carried from step to step);
        None starts every step from a zero state.

    Returns
    -------
    numpy.ndarray
        ``(members, windows, horizon)`` float32.
    """
    windows = np.asarray(windows, np.float32)
    if lengths is not None:
        lengths = np.asarray(lengths, np.int32)
    return np.asarray(_recursive(spec, params, states, windows, lengths, horizon, relative))


@partial(jit, static_argnums=(0, 5, 6))
def _recursive(spec: NetworkSpec, params: dict, states, windows, lengths, horizon: int, relative: bool) -> jax.Array:
    steps = windows.shape[1]
    rows = jnp.arange(windows.shape[0])

    def member(p, state):
        def step(carry, _):
            w, n, state, level = carry
            out, new_state = network_forward(spec, p, w[:, :, None], state, lengths=n)
            value = out[:, 0]
            if n is None:  # windows that fill the time axis: drop the oldest value
                w = jnp.concatenate([w[:, 1:], value[:, None]], axis=1)
            else:  # padded windows: grow to the look-back, then slide
                full = n >= steps
                w = jnp.where(full[:, None], jnp.roll(w, -1, axis=1), w)
                w = w.at[rows, jnp.where(full, steps - 1, n)].set(value)
                n = jnp.minimum(n + 1, steps)
                w = w * (jnp.arange(steps)[None, :] < n[:, None])
            if relative:  # re-read relative to the new last value; forecasts relative to the first window's
                valid = 1.0 if n is None else (jnp.arange(steps)[None, :] < n[:, None])
                w = (w - value[:, None]) * valid
                level = level + value
                value = level
            return (w, n, None if state is None else new_state, level), value

        start = (windows, lengths, state, jnp.zeros(windows.shape[0], windows.dtype))
        return jax.lax.scan(step, start, None, length=horizon)[1].T

    return jax.vmap(member)(params, states)


# -- whole sequences of different lengths (classification) ------------------------------------------
# Sequences are run in chunks of at most this many values of the widest activation (members x
# cases x steps x channels), each chunk padded to a bucket size: memory stays bounded and few
# programs are compiled.
_CHUNK_VALUES = 1 << 25


def ensemble_forward(spec: NetworkSpec, params: dict, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Every member's outputs on sequences padded at the end, inference mode. NumPy in and out.

    Parameters
    ----------
    spec : NetworkSpec
        The members' network, run over the cases in chunks of bounded memory.
    params : dict
        The members' weights, stacked on a leading member axis.
    x : numpy.ndarray
        ``(cases, time, features)``, padded at the end.
    lengths : numpy.ndarray
        ``(cases,)`` the valid steps of each case, where each case's outputs are read.

    Returns
    -------
    numpy.ndarray
        ``(members, cases, outputs)`` float32.
    """
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
    float64 (Chan's parallel formula). NumPy in and out.

    Parameters
    ----------
    spec : NetworkSpec
        The members' network; its convolution blocks are calibrated, bottom first.
    params : dict
        The members' weights, with a leading model axis.
    x : numpy.ndarray
        ``(cases, time, features)``: the training sequences, padded at the end.
    lengths : numpy.ndarray
        ``(cases,)`` the valid steps of each case.

    Returns
    -------
    dict
        The weights with the statistics set; ``params`` itself for a network without
        convolutions.
    """
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
