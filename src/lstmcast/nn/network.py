"""A network: stacked LSTM layers, then a head of Dense layers, read from the last time step.

``NetworkSpec`` says what the network is (hashable, JSON-able, static under ``jit``); the weights
are a separate pytree ``{"lstm": [layer, ...], "dense": [layer, ...]}`` whose layers use Keras'
layout, so ``to_keras_weights``/``from_keras_weights`` are plain reorderings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from lstmcast._checks import fraction, one_of, positive_int
from lstmcast._runtime import ensure_runtime, jit
from lstmcast.errors import InvalidInputError
from lstmcast.nn.dense import ACTIVATIONS, dense_forward, init_dense
from lstmcast.nn.lstm import init_lstm, lstm_forward, zero_state

NetworkState = tuple[tuple[jax.Array, jax.Array], ...]


@dataclass(frozen=True)
class Dense:
    """One Dense layer of the head."""

    units: int
    activation: str = "linear"

    def __post_init__(self) -> None:
        object.__setattr__(self, "units", positive_int(self.units, "Dense units"))
        one_of(self.activation, sorted(ACTIVATIONS), "Dense activation")


@dataclass(frozen=True)
class NetworkSpec:
    """LSTM(units[0]) → … → LSTM(units[-1]) → Dense … Dense.

    ``lstm_units`` accepts an int or a sequence (stacked layers, each but the last returning
    sequences, as in Keras). ``dense`` accepts ints (linear layers) or ``Dense`` items; the
    default is one linear output. Dropout rates apply to every LSTM layer, in training only.
    """

    input_dim: int = 1
    lstm_units: tuple[int, ...] = (4,)
    dense: tuple[Dense, ...] = (Dense(1),)
    dropout: float = 0.0
    recurrent_dropout: float = 0.0

    def __post_init__(self) -> None:
        units = self.lstm_units
        units = (units,) if not isinstance(units, (tuple, list)) else tuple(units)
        if not units:
            raise InvalidInputError("lstm_units must list at least one layer's units")
        units = tuple(positive_int(u, "LSTM units") for u in units)
        dense = tuple(d if isinstance(d, Dense) else _dense_from(d) for d in self.dense)
        for name in ("dropout", "recurrent_dropout"):
            object.__setattr__(self, name, fraction(getattr(self, name), name, include_zero=True))
        object.__setattr__(self, "input_dim", positive_int(self.input_dim, "input_dim"))
        object.__setattr__(self, "lstm_units", units)
        object.__setattr__(self, "dense", dense)

    @property
    def output_dim(self) -> int:
        return self.dense[-1].units if self.dense else self.lstm_units[-1]

    def to_config(self) -> dict[str, Any]:
        return {
            "input_dim": self.input_dim,
            "lstm_units": list(self.lstm_units),
            "dense": [{"units": d.units, "activation": d.activation} for d in self.dense],
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "NetworkSpec":
        return cls(
            input_dim=config["input_dim"],
            lstm_units=tuple(config["lstm_units"]),
            dense=tuple(Dense(**d) for d in config["dense"]),
            dropout=config["dropout"],
            recurrent_dropout=config["recurrent_dropout"],
        )


def _dense_from(item: Any) -> Dense:
    if isinstance(item, (tuple, list)) and len(item) == 2:
        return Dense(item[0], item[1])
    if not isinstance(item, (tuple, list, Dense)):
        return Dense(item)
    raise InvalidInputError(f"a dense layer is an int, (units, activation) or Dense, got {item!r}")


def init_network(spec: NetworkSpec, seed: int | np.random.Generator = 0) -> dict[str, list[dict[str, np.ndarray]]]:
    """Fresh weights for ``spec`` with Keras' default initialisers; the same seed, the same weights."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    lstm, dense = [], []
    width = spec.input_dim
    for units in spec.lstm_units:
        lstm.append(init_lstm(rng, width, units))
        width = units
    for layer in spec.dense:
        dense.append(init_dense(rng, width, layer.units))
        width = layer.units
    return {"lstm": lstm, "dense": dense}


@lru_cache(maxsize=None)
def weight_shapes(spec: NetworkSpec) -> dict:
    """The weight pytree of ``spec`` with ``jax.ShapeDtypeStruct`` leaves."""
    return jax.tree_util.tree_map(lambda a: jax.ShapeDtypeStruct(a.shape, a.dtype), init_network(spec, 0))


def ravel_weights(params: dict) -> jax.Array:
    """All weights as one flat vector (leaves in pytree order), the trainer's working form.
    NumPy weights give a NumPy vector (no device work), JAX arrays (or tracers) a JAX one."""
    leaves = jax.tree_util.tree_leaves(params)
    xp = jnp if any(isinstance(leaf, jax.Array) for leaf in leaves) else np
    return xp.concatenate([xp.ravel(leaf) for leaf in leaves])


def unravel_weights(spec: NetworkSpec, flat: Any) -> dict:
    """Inverse of ``ravel_weights``; keeps leading axes (an ensemble) and the array library
    (NumPy in, NumPy out)."""
    leaves, treedef = jax.tree_util.tree_flatten(weight_shapes(spec))
    lead, out, offset = flat.shape[:-1], [], 0
    for leaf in leaves:
        out.append(flat[..., offset : offset + leaf.size].reshape(lead + leaf.shape))
        offset += leaf.size
    return jax.tree_util.tree_unflatten(treedef, out)


def zero_network_state(spec: NetworkSpec, batch: int, dtype=jnp.float32) -> NetworkState:
    """All-zero ``(h, c)`` for every LSTM layer: the start, and a stateful reset."""
    return tuple(zero_state(batch, units, dtype) for units in spec.lstm_units)


def network_forward(
    spec: NetworkSpec,
    params: dict,
    x: jax.Array,
    state: NetworkState | None = None,
    *,
    key: jax.Array | None = None,
) -> tuple[jax.Array, NetworkState]:
    """``x: (batch, time, input_dim)`` → ``(batch, output_dim)`` and the new LSTM state.

    Training mode (dropout on) when a ``key`` is given; inference otherwise.
    """
    layer_keys = (None,) * len(spec.lstm_units) if key is None else jax.random.split(key, len(spec.lstm_units))
    states = (None,) * len(spec.lstm_units) if state is None else state
    new_state = []
    h = x
    for layer, layer_state, layer_key in zip(params["lstm"], states, layer_keys):
        h, final = lstm_forward(
            layer, h, layer_state, dropout=spec.dropout, recurrent_dropout=spec.recurrent_dropout, key=layer_key
        )
        new_state.append(final)
    out = new_state[-1][0]
    for layer, layer_spec in zip(params["dense"], spec.dense):
        out = dense_forward(layer, out, layer_spec.activation)
    return out, tuple(new_state)


@partial(jit, static_argnums=0)
def predict(spec: NetworkSpec, params: dict, x: jax.Array) -> jax.Array:
    """Stateless inference on a batch of windows ``(samples, time, input_dim)``."""
    return network_forward(spec, params, x)[0]


def stateful_scan(spec: NetworkSpec, params: dict, x: jax.Array, state: NetworkState, batch_size: int = 1):
    """The pure core of ``run_stateful`` (no checks, not compiled): for use inside ``jit``/``vmap``.
    Returns ``(outputs (samples, output_dim), final state)``."""
    n_batches = x.shape[0] // batch_size
    batches = x.reshape(n_batches, batch_size, *x.shape[1:])

    def step(carry, xb):
        out, carry = network_forward(spec, params, xb, carry)
        return carry, out

    state, outs = jax.lax.scan(step, state, batches)
    return outs.reshape(x.shape[0], -1), state


_run_stateful = jit(stateful_scan, static_argnums=(0, 4))


def run_stateful(
    spec: NetworkSpec,
    params: dict,
    x: np.ndarray | jax.Array,
    state: NetworkState | None = None,
    *,
    batch_size: int = 1,
) -> tuple[np.ndarray, NetworkState]:
    """Run a stateful network over samples in order, carrying ``(h, c)`` from batch to batch.

    This is Keras' ``predict`` on a ``stateful=True`` model: sample ``j`` of a batch continues
    sample ``j`` of the previous batch. Pass the returned state back in to keep going, e.g. warm
    the state on the training windows, then forecast one step at a time::

        _, state = run_stateful(spec, params, x_train)
        yhat, state = run_stateful(spec, params, x_next[None], state)
    """
    ensure_runtime()  # before the first array is made: that starts JAX's backend
    x = jnp.asarray(x, jnp.float32)
    if x.ndim != 3 or x.shape[0] % batch_size:
        raise InvalidInputError(
            f"run_stateful needs x of shape (samples, time, features) with samples a multiple of "
            f"batch_size={batch_size}; got {tuple(x.shape)}"
        )
    if state is None:
        state = zero_network_state(spec, batch_size)
    out, state = _run_stateful(spec, params, x, state, batch_size)
    return np.asarray(out), state


def to_keras_weights(params: dict) -> list[np.ndarray]:
    """Weights in the order ``keras.Sequential([LSTM…, Dense…]).set_weights`` expects."""
    flat = []
    for layer in params["lstm"]:
        flat += [layer["kernel"], layer["recurrent_kernel"], layer["bias"]]
    for layer in params["dense"]:
        flat += [layer["kernel"], layer["bias"]]
    return [np.asarray(w) for w in flat]


def from_keras_weights(spec: NetworkSpec, weights: Sequence[np.ndarray]) -> dict:
    """Inverse of ``to_keras_weights``: Keras' ``model.get_weights()`` → lstmcast params."""
    expected = jax.tree_util.tree_map(lambda a: a.shape, weight_shapes(spec))
    arrays = [jnp.asarray(w, jnp.float32) for w in weights]
    n_lstm = len(spec.lstm_units)
    if len(arrays) != 3 * n_lstm + 2 * len(spec.dense):
        raise InvalidInputError(
            f"expected {3 * n_lstm + 2 * len(spec.dense)} weight arrays for {spec}, got {len(arrays)}"
        )
    params = {
        "lstm": [dict(zip(("kernel", "recurrent_kernel", "bias"), arrays[3 * i : 3 * i + 3])) for i in range(n_lstm)],
        "dense": [
            dict(zip(("kernel", "bias"), arrays[3 * n_lstm + 2 * i : 3 * n_lstm + 2 * i + 2]))
            for i in range(len(spec.dense))
        ],
    }
    got = jax.tree_util.tree_map(lambda a: a.shape, params)
    if got != expected:
        raise InvalidInputError(f"weight shapes {got} do not match the network {spec}: expected {expected}")
    return params


# -- a narrower network inside a wider one ---------------------------------------------------------
def widest(specs: Sequence[NetworkSpec]) -> NetworkSpec:
    """The network every one of ``specs`` fits in: the widest of each layer. The specs must agree
    on everything but layer widths (depth, activations, input and output size, dropout)."""
    first = specs[0]
    for spec in specs[1:]:
        if not same_but_widths(first, spec):
            raise InvalidInputError(f"networks {first} and {spec} differ in more than their layer widths")
    units = tuple(max(s.lstm_units[i] for s in specs) for i in range(len(first.lstm_units)))
    dense = tuple(Dense(max(s.dense[i].units for s in specs), first.dense[i].activation) for i in range(len(first.dense)))
    return NetworkSpec(first.input_dim, units, dense, first.dropout, first.recurrent_dropout)


def same_but_widths(a: NetworkSpec, b: NetworkSpec) -> bool:
    """True if ``a`` and ``b`` differ at most in the widths of their hidden layers."""
    return (
        a.input_dim == b.input_dim
        and len(a.lstm_units) == len(b.lstm_units)
        and [d.activation for d in a.dense] == [d.activation for d in b.dense]
        and a.output_dim == b.output_dim
        and (a.dropout, a.recurrent_dropout) == (b.dropout, b.recurrent_dropout)
    )


def embed_weights(spec: NetworkSpec, wide: NetworkSpec, params: dict, fill: float = 0.0) -> dict:
    """``params`` of ``spec`` placed in a network of ``wide``'s shape, every other weight ``fill``.

    With ``fill=0`` the wide network computes exactly what the narrow one does: each extra LSTM
    unit has zero weights and bias, so its cell and hidden state stay 0 (``c = f*0 + i*tanh(0)``),
    and its outgoing weights are 0. ``embed_weights(spec, wide, ones, 0)`` is the mask that keeps
    training from moving the extra weights (Adam's update of a zero gradient is exactly 0).
    """
    out = {"lstm": [], "dense": []}
    width, wide_width = spec.input_dim, wide.input_dim
    for layer, units, wide_units in zip(params["lstm"], spec.lstm_units, wide.lstm_units):
        kernel = np.full((wide_width, 4 * wide_units), fill, np.float32)
        recurrent = np.full((wide_units, 4 * wide_units), fill, np.float32)
        bias = np.full((4 * wide_units,), fill, np.float32)
        for gate in range(4):  # the gate blocks i, f, c, o each take the first ``units`` columns
            own, into = slice(gate * units, (gate + 1) * units), slice(gate * wide_units, gate * wide_units + units)
            kernel[:width, into] = np.asarray(layer["kernel"])[:, own]
            recurrent[:units, into] = np.asarray(layer["recurrent_kernel"])[:, own]
            bias[into] = np.asarray(layer["bias"])[own]
        out["lstm"].append({"kernel": kernel, "recurrent_kernel": recurrent, "bias": bias})
        width, wide_width = units, wide_units
    for layer, own_layer, wide_layer in zip(params["dense"], spec.dense, wide.dense):
        kernel = np.full((wide_width, wide_layer.units), fill, np.float32)
        bias = np.full((wide_layer.units,), fill, np.float32)
        kernel[:width, : own_layer.units] = np.asarray(layer["kernel"])
        bias[: own_layer.units] = np.asarray(layer["bias"])
        out["dense"].append({"kernel": kernel, "bias": bias})
        width, wide_width = own_layer.units, wide_layer.units
    return out


def extract_weights(spec: NetworkSpec, wide: NetworkSpec, params: dict) -> dict:
    """Inverse of ``embed_weights``: ``spec``'s weights out of a wide network's (leading axes,
    such as an ensemble's, are kept)."""
    out = {"lstm": [], "dense": []}
    width = spec.input_dim
    for layer, units, wide_units in zip(params["lstm"], spec.lstm_units, wide.lstm_units):
        columns = np.concatenate([np.arange(units) + gate * wide_units for gate in range(4)])
        out["lstm"].append(
            {
                "kernel": layer["kernel"][..., :width, columns],
                "recurrent_kernel": layer["recurrent_kernel"][..., :units, columns],
                "bias": layer["bias"][..., columns],
            }
        )
        width = units
    for layer, own_layer in zip(params["dense"], spec.dense):
        out["dense"].append({"kernel": layer["kernel"][..., :width, : own_layer.units], "bias": layer["bias"][..., : own_layer.units]})
        width = own_layer.units
    return out
