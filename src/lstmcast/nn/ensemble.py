"""Inference for an ensemble: the same network with a leading model axis on every weight.

Each kernel is compiled once per network and shape and runs every member in one call (``vmap``
over the model axis): an ensemble of 5 costs about what one member costs.
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp

from lstmcast._runtime import jit
from lstmcast.nn.network import NetworkSpec, NetworkState, network_forward, stateful_scan, zero_network_state


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
