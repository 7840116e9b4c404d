"""A network: stacked LSTM layers (optionally bidirectional), optionally beside a temporal
convolution branch (an LSTM-FCN), then a head of Dense layers.

``NetworkSpec`` says what the network is (hashable, JSON-able, static under ``jit``); the weights
are a separate pytree ``{"lstm": [layer, ...], "dense": [layer, ...]}`` (and ``"conv": [block,
...]`` with a convolution branch; a bidirectional layer is ``{"forward": ..., "backward": ...}``)
whose layers use Keras' layout, so ``to_keras_weights``/``from_keras_weights`` are plain
reorderings for the plain LSTM → Dense networks of the tutorials.

Sequences of different lengths are padded at the end and passed with their ``lengths``: the LSTM
is read at each sequence's last valid step, the backward half of a bidirectional layer reads
each sequence reversed within its length, and the convolution branch masks the padding, so a
padded batch gives exactly what each sequence gives alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from lstmcast._checks import fraction, one_of, positive_int
from lstmcast._runtime import ensure_runtime, jit
from lstmcast.errors import InvalidInputError
from lstmcast.nn.conv import conv_block, init_conv_block, masked_time_mean, time_mask
from lstmcast.nn.dense import ACTIVATIONS, dense_forward, init_dense
from lstmcast.nn.lstm import dropout_mask, init_lstm, last_valid, lstm_forward, reverse_valid, zero_state

NetworkState = tuple[tuple[jax.Array, jax.Array], ...]


@dataclass(frozen=True)
class Dense:
    """One Dense layer of the head.

    Attributes
    ----------
    units : int
        Its outputs.
    activation : str, default "linear"
        One of ``ACTIVATIONS``.
    """

    units: int
    activation: str = "linear"

    def __post_init__(self) -> None:
        object.__setattr__(self, "units", positive_int(self.units, "Dense units"))
        one_of(self.activation, sorted(ACTIVATIONS), "Dense activation")


@dataclass(frozen=True)
class NetworkSpec:
    """LSTM(units[0]) → … → LSTM(units[-1]) [beside Conv blocks] → Dense … Dense.

    ``bidirectional``, the convolution branch, ``lstm_stride`` and ``lstm_output_dropout`` are for
    classifying whole sequences.

    Attributes
    ----------
    input_dim : int, default 1
        Features per time step.
    lstm_units : int or tuple of int, default (4,)
        An int or a sequence (stacked layers, each but the last returning sequences, as in
        Keras); stored as a tuple.
    dense : tuple of Dense, default (Dense(1),)
        The head: ints (linear layers), ``(units, activation)`` pairs or ``Dense`` items; the
        default is one linear output.
    dropout, recurrent_dropout : float, default 0.0
        Dropout rates of every LSTM layer's inputs and recurrent state, in training only.
    bidirectional : bool, default False
        Every LSTM layer is a Keras ``Bidirectional`` (forward and backward halves, outputs
        concatenated).
    conv_filters, conv_widths : tuple of int, default ()
        The filters and kernel width of each block of the fully convolutional branch of an
        LSTM-FCN beside the LSTM (Conv1D → batch normalisation → ReLU blocks, then the average
        over time), its features concatenated with the LSTM's before the head.
    lstm_stride : int, default 1
        The LSTM reads the means of that many steps (a long sequence costs the recurrence
        ``1/stride`` of its steps, the convolutions still see every step).
    lstm_output_dropout : float, default 0.0
        Drops LSTM features before the head in training (LSTM-FCN uses 0.8).
    """

    input_dim: int = 1
    lstm_units: tuple[int, ...] = (4,)
    dense: tuple[Dense, ...] = (Dense(1),)
    dropout: float = 0.0
    recurrent_dropout: float = 0.0
    bidirectional: bool = False
    conv_filters: tuple[int, ...] = ()
    conv_widths: tuple[int, ...] = ()
    lstm_stride: int = 1
    lstm_output_dropout: float = 0.0

    def __post_init__(self) -> None:
        units = _as_tuple(self.lstm_units)
        if not units:
            raise InvalidInputError("lstm_units must list at least one layer's units")
        units = tuple(positive_int(u, "LSTM units") for u in units)
        dense = tuple(d if isinstance(d, Dense) else _dense_from(d) for d in self.dense)
        for name in ("dropout", "recurrent_dropout", "lstm_output_dropout"):
            object.__setattr__(self, name, fraction(getattr(self, name), name, include_zero=True))
        one_of(self.bidirectional, (True, False), "bidirectional")
        filters = tuple(positive_int(f, "conv_filters") for f in _as_tuple(self.conv_filters))
        widths = tuple(positive_int(w, "conv_widths") for w in _as_tuple(self.conv_widths))
        if len(filters) != len(widths):
            raise InvalidInputError(
                f"conv_filters and conv_widths need one entry per block; got {len(filters)} and {len(widths)}"
            )
        object.__setattr__(self, "input_dim", positive_int(self.input_dim, "input_dim"))
        object.__setattr__(self, "lstm_units", units)
        object.__setattr__(self, "dense", dense)
        object.__setattr__(self, "conv_filters", filters)
        object.__setattr__(self, "conv_widths", widths)
        object.__setattr__(self, "lstm_stride", positive_int(self.lstm_stride, "lstm_stride"))

    @property
    def output_dim(self) -> int:
        return self.dense[-1].units if self.dense else self.features_dim

    @property
    def features_dim(self) -> int:
        """Width of what enters the head: the LSTM's last hidden state (both halves if
        bidirectional) and the convolution branch's pooled features."""
        lstm = self.lstm_units[-1] * (2 if self.bidirectional else 1)
        return lstm + (self.conv_filters[-1] if self.conv_filters else 0)

    @property
    def plain(self) -> bool:
        """An LSTM → Dense network of the tutorials' kind: one direction, no convolutions, every
        step read (the only kind with a carried state, Keras weights and embeddable widths)."""
        return (
            not self.bidirectional and not self.conv_filters and self.lstm_stride == 1 and self.lstm_output_dropout == 0
        )

    def forward_flops(self, time_steps: int) -> int:
        """Multiply-adds × 2 of one sequence of ``time_steps`` through the network (an estimate
        for sizing work, not a measurement)."""
        flops, width = 0, self.input_dim
        lstm_steps = -(-time_steps // self.lstm_stride)
        for units in self.lstm_units:
            flops += 2 * lstm_steps * 4 * units * (width + units) * (2 if self.bidirectional else 1)
            width = units * (2 if self.bidirectional else 1)
        channels = self.input_dim
        for filters, kernel in zip(self.conv_filters, self.conv_widths):
            flops += 2 * time_steps * kernel * channels * filters
            channels = filters
        width = self.features_dim
        for layer in self.dense:
            flops += 2 * width * layer.units
            width = layer.units
        return flops

    def to_config(self) -> dict[str, Any]:
        return {
            "input_dim": self.input_dim,
            "lstm_units": list(self.lstm_units),
            "dense": [{"units": d.units, "activation": d.activation} for d in self.dense],
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "bidirectional": self.bidirectional,
            "conv_filters": list(self.conv_filters),
            "conv_widths": list(self.conv_widths),
            "lstm_stride": self.lstm_stride,
            "lstm_output_dropout": self.lstm_output_dropout,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> NetworkSpec:
        """Rebuild from ``to_config()``; fields a file written before they existed take their defaults."""
        known = {k: v for k, v in config.items() if k in cls.__dataclass_fields__}
        known["dense"] = tuple(Dense(**d) for d in config["dense"])
        for name in ("lstm_units", "conv_filters", "conv_widths"):
            if name in known:
                known[name] = tuple(known[name])
        return cls(**known)


def _as_tuple(value: Any) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _dense_from(item: Any) -> Dense:
    if isinstance(item, (tuple, list)) and len(item) == 2:
        return Dense(item[0], item[1])
    if not isinstance(item, (tuple, list, Dense)):
        return Dense(item)
    raise InvalidInputError(f"a dense layer is an int, (units, activation) or Dense, got {item!r}")


def init_network(spec: NetworkSpec, seed: int | np.random.Generator = 0) -> dict[str, list[dict[str, np.ndarray]]]:
    """Fresh weights for ``spec`` with Keras' default initialisers; the same seed, the same weights.
    Drawn in the order LSTM layers (forward half, then backward), convolution blocks, Dense layers.

    Parameters
    ----------
    spec : NetworkSpec
        The network.
    seed : int or numpy.random.Generator, default 0
        The seed, or a generator to draw from (it advances).

    Returns
    -------
    dict
        ``{"lstm": [layer, ...], "dense": [layer, ...]}`` (and ``"conv"`` with a convolution
        branch) of NumPy arrays.
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    lstm, dense = [], []
    width = spec.input_dim
    for units in spec.lstm_units:
        if spec.bidirectional:
            lstm.append({"forward": init_lstm(rng, width, units), "backward": init_lstm(rng, width, units)})
            width = 2 * units
        else:
            lstm.append(init_lstm(rng, width, units))
            width = units
    params = {"lstm": lstm, "dense": dense}
    if spec.conv_filters:
        channels, params["conv"] = spec.input_dim, []
        for filters, kernel in zip(spec.conv_filters, spec.conv_widths):
            params["conv"].append(init_conv_block(rng, kernel, channels, filters))
            channels = filters
    width = spec.features_dim
    for layer in spec.dense:
        dense.append(init_dense(rng, width, layer.units))
        width = layer.units
    return params


@cache
def weight_shapes(spec: NetworkSpec) -> dict:
    """The weight pytree of ``spec`` with ``jax.ShapeDtypeStruct`` leaves."""
    return jax.tree_util.tree_map(lambda a: jax.ShapeDtypeStruct(a.shape, a.dtype), init_network(spec, 0))


def ravel_weights(params: dict) -> jax.Array:
    """All weights as one flat vector (leaves in pytree order), the trainer's working form.

    Parameters
    ----------
    params : dict
        A network's weights.

    Returns
    -------
    numpy.ndarray or jax.Array
        NumPy weights give a NumPy vector (no device work), JAX arrays (or tracers) a JAX one.
    """
    leaves = jax.tree_util.tree_leaves(params)
    xp = jnp if any(isinstance(leaf, jax.Array) for leaf in leaves) else np
    return xp.concatenate([xp.ravel(leaf) for leaf in leaves])


def unravel_weights(spec: NetworkSpec, flat: Any) -> dict:
    """Inverse of ``ravel_weights``; keeps leading axes (an ensemble) and the array library
    (NumPy in, NumPy out).

    Parameters
    ----------
    spec : NetworkSpec
        The network the weights belong to.
    flat : numpy.ndarray or jax.Array
        ``(..., weights)``: one flat vector, or several on leading axes.

    Returns
    -------
    dict
        The weight pytree, each leaf with the leading axes of ``flat``.
    """
    leaves, treedef = jax.tree_util.tree_flatten(weight_shapes(spec))
    lead, out, offset = flat.shape[:-1], [], 0
    for leaf in leaves:
        out.append(flat[..., offset : offset + leaf.size].reshape(lead + leaf.shape))
        offset += leaf.size
    return jax.tree_util.tree_unflatten(treedef, out)


def zero_network_state(spec: NetworkSpec, batch: int, dtype=jnp.float32) -> NetworkState:
    """All-zero ``(h, c)`` for every LSTM layer: the start, and a stateful reset.

    Parameters
    ----------
    spec : NetworkSpec
        The network.
    batch : int
        Sequences in the batch.
    dtype : dtype, default jnp.float32
        The state's dtype.

    Returns
    -------
    NetworkState
        One ``(h, c)`` per LSTM layer, each ``(batch, units)``.
    """
    return tuple(zero_state(batch, units, dtype) for units in spec.lstm_units)


def network_forward(
    spec: NetworkSpec,
    params: dict,
    x: jax.Array,
    state: NetworkState | None = None,
    *,
    key: jax.Array | None = None,
    lengths: jax.Array | None = None,
    batch_stats: bool | None = None,
) -> tuple[jax.Array, NetworkState | None]:
    """``x: (batch, time, input_dim)`` → ``(batch, output_dim)`` and the new LSTM state.

    Training mode (dropout on) when a ``key`` is given; inference otherwise.

    Parameters
    ----------
    spec : NetworkSpec
        The network.
    params : dict
        Its weights.
    x : jax.Array
        ``(batch, time, input_dim)``.
    state : NetworkState, optional
        The LSTM state to start from (a ``plain`` network read to the end only); None starts
        from zeros.
    key : jax.Array, optional
        The random key of dropout: training mode.
    lengths : jax.Array, optional
        ``(batch,)`` ints marking sequences padded at the end; a sequence of length 0 (a padding
        slot) gives finite outputs that mean nothing.
    batch_stats : bool, optional
        The convolution branch normalises by the batch's statistics when true (default: in
        training) and by its stored ones otherwise.

    Returns
    -------
    outputs : jax.Array
        ``(batch, output_dim)``.
    state : NetworkState or None
        The new LSTM state; only a ``plain`` network read to the end returns it (else None).

    Raises
    ------
    InvalidInputError
        A ``state`` for a network that carries none.
    """
    if spec.plain and lengths is None:
        return _plain_forward(spec, params, x, state, key)
    if state is not None:
        raise InvalidInputError("only a plain LSTM network over whole sequences carries a state between calls")
    steps = x.shape[1]
    lengths = jnp.full((x.shape[0],), steps, jnp.int32) if lengths is None else jnp.asarray(lengths, jnp.int32)
    n_keys = len(spec.lstm_units) * (2 if spec.bidirectional else 1) + 1
    keys = [None] * n_keys if key is None else list(jax.random.split(key, n_keys))
    mask = time_mask(lengths, steps, x.dtype)
    x = x * mask[..., None]
    features = [_lstm_branch(spec, params["lstm"], x, lengths, keys[:-1])]
    if key is not None and spec.lstm_output_dropout > 0:
        features[0] = features[0] * dropout_mask(keys[-1], features[0].shape, spec.lstm_output_dropout, x.dtype)
    if spec.conv_filters:
        h = x
        for block in params["conv"]:
            h = conv_block(block, h, mask, batch_stats=key is not None if batch_stats is None else batch_stats)
        features.append(masked_time_mean(h, mask))
    return _head(spec, params, jnp.concatenate(features, axis=-1)), None


def _plain_forward(spec: NetworkSpec, params: dict, x: jax.Array, state: NetworkState | None, key: jax.Array | None):
    """The tutorials' network: LSTM layers read at the last step, carrying ``state``."""
    layer_keys = (None,) * len(spec.lstm_units) if key is None else jax.random.split(key, len(spec.lstm_units))
    states = (None,) * len(spec.lstm_units) if state is None else state
    new_state = []
    h = x
    for layer, layer_state, layer_key in zip(params["lstm"], states, layer_keys):
        h, final = lstm_forward(
            layer, h, layer_state, dropout=spec.dropout, recurrent_dropout=spec.recurrent_dropout, key=layer_key
        )
        new_state.append(final)
    return _head(spec, params, new_state[-1][0]), tuple(new_state)


def _head(spec: NetworkSpec, params: dict, out: jax.Array) -> jax.Array:
    for layer, layer_spec in zip(params["dense"], spec.dense):
        out = dense_forward(layer, out, layer_spec.activation)
    return out


def _lstm_branch(spec: NetworkSpec, layers: list, x: jax.Array, lengths: jax.Array, keys: list) -> jax.Array:
    """The LSTM layers over sequences padded at the end: each sequence's features at its last valid
    step (a bidirectional layer: the forward half's there and the backward half's after reading the
    whole sequence backwards)."""
    if spec.lstm_stride > 1:
        x, lengths = _mean_of_strides(x, lengths, spec.lstm_stride)
    run = partial(lstm_forward, dropout=spec.dropout, recurrent_dropout=spec.recurrent_dropout)
    h, keys = x, iter(keys)
    for layer in layers:
        if not spec.bidirectional:
            h, _ = run(layer, h, key=next(keys))
            continue
        forward, _ = run(layer["forward"], h, key=next(keys))
        backward_read, _ = run(layer["backward"], reverse_valid(h, lengths), key=next(keys))
        h = jnp.concatenate([forward, reverse_valid(backward_read, lengths)], axis=-1)
    if not spec.bidirectional:
        return last_valid(h, lengths)
    units = spec.lstm_units[-1]
    return jnp.concatenate([last_valid(h[..., :units], lengths), h[:, 0, units:]], axis=-1)


def _mean_of_strides(x: jax.Array, lengths: jax.Array, stride: int) -> tuple[jax.Array, jax.Array]:
    """Means of consecutive ``stride`` steps (the last group of a sequence over its valid steps
    only) and the new lengths, ``ceil(length / stride)``."""
    batch, steps, channels = x.shape
    groups = -(-steps // stride)
    mask = time_mask(lengths, groups * stride, x.dtype)
    padded = jnp.pad(x, ((0, 0), (0, groups * stride - steps), (0, 0))) * mask[..., None]
    sums = padded.reshape(batch, groups, stride, channels).sum(axis=2)
    counts = mask.reshape(batch, groups, stride).sum(axis=2)
    return sums / jnp.maximum(counts, 1.0)[..., None], (lengths + stride - 1) // stride


def block_input(
    spec: NetworkSpec, params: dict, x: jax.Array, lengths: jax.Array, block: int
) -> tuple[jax.Array, jax.Array]:
    """What convolution block ``block`` reads at inference (the blocks below it normalised by
    their stored statistics), and the mask of valid steps: for setting the blocks' statistics
    one after another (``lstmcast.nn.ensemble.calibrate_batch_norm``)."""
    mask = time_mask(jnp.asarray(lengths, jnp.int32), x.shape[1], x.dtype)
    h = x * mask[..., None]
    for below in params["conv"][:block]:
        h = conv_block(below, h, mask, batch_stats=False)
    return h, mask


@partial(jit, static_argnums=0)
def predict(spec: NetworkSpec, params: dict, x: jax.Array) -> jax.Array:
    """Stateless inference on a batch of windows.

    Parameters
    ----------
    spec : NetworkSpec
        The network, run in inference mode (no dropout, stored batch statistics), each window
        from a zero state.
    params : dict
        One network's weights (``lstmcast.nn.ensemble_outputs`` runs an ensemble's).
    x : jax.Array
        ``(samples, time, input_dim)``.

    Returns
    -------
    jax.Array
        ``(samples, output_dim)``: the network's outputs for each window.
    """
    return network_forward(spec, params, x)[0]


def stateful_scan(spec: NetworkSpec, params: dict, x: jax.Array, state: NetworkState, batch_size: int = 1):
    """The pure core of ``run_stateful`` (no checks, not compiled): for use inside ``jit``/``vmap``.

    Parameters
    ----------
    spec : NetworkSpec
        A ``plain`` network (a static argument under ``jit``).
    params : dict
        Its weights, possibly traced (one member's, under ``vmap`` over an ensemble).
    x : jax.Array
        ``(samples, time, input_dim)``, samples a multiple of ``batch_size``.
    state : NetworkState
        The state to start from, of batch ``batch_size``.
    batch_size : int, default 1
        Samples per step.

    Returns
    -------
    outputs : jax.Array
        ``(samples, output_dim)``.
    state : NetworkState
        The final state.
    """
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

    Parameters
    ----------
    spec : NetworkSpec
        A ``plain`` network.
    params : dict
        Its weights.
    x : numpy.ndarray or jax.Array
        ``(samples, time, features)``, samples a multiple of ``batch_size``, in order.
    state : NetworkState, optional
        The state to start from; None starts from zeros.
    batch_size : int, default 1
        Samples per batch.

    Returns
    -------
    outputs : numpy.ndarray
        ``(samples, output_dim)``.
    state : NetworkState
        The final state, to pass back in.

    Raises
    ------
    InvalidInputError
        ``x`` is not 3-D or its samples are not a multiple of ``batch_size``.
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
    """Weights in the order ``keras.Sequential([LSTM…, Dense…]).set_weights`` expects.

    Parameters
    ----------
    params : dict
        The weights of a plain LSTM → Dense network.

    Returns
    -------
    list of numpy.ndarray
    """
    flat = []
    for layer in params["lstm"]:
        flat += [layer["kernel"], layer["recurrent_kernel"], layer["bias"]]
    for layer in params["dense"]:
        flat += [layer["kernel"], layer["bias"]]
    return [np.asarray(w) for w in flat]


def from_keras_weights(spec: NetworkSpec, weights: Sequence[np.ndarray]) -> dict:
    """Inverse of ``to_keras_weights``: Keras' ``model.get_weights()`` → lstmcast params.

    Parameters
    ----------
    spec : NetworkSpec
        The plain LSTM → Dense network the weights belong to.
    weights : sequence of numpy.ndarray
        What Keras' ``model.get_weights()`` returns.

    Returns
    -------
    dict
        The weight pytree.

    Raises
    ------
    InvalidInputError
        ``spec`` is not a plain network, or the weights do not match it in number or shape.
    """
    if not spec.plain:
        raise InvalidInputError(
            "Keras weights are read for plain LSTM → Dense networks only (no Bidirectional, Conv1D or striding)"
        )
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
    on everything but layer widths (see ``width_free_key``)."""
    first = specs[0]
    if all(spec == first for spec in specs):
        return first
    for spec in specs[1:]:
        if not same_but_widths(first, spec):
            raise InvalidInputError(f"networks {first} and {spec} differ in more than their layer widths")
    units = tuple(max(s.lstm_units[i] for s in specs) for i in range(len(first.lstm_units)))
    dense = tuple(
        Dense(max(s.dense[i].units for s in specs), first.dense[i].activation) for i in range(len(first.dense))
    )
    return replace(first, lstm_units=units, dense=dense)


def width_free_key(spec: NetworkSpec) -> tuple:
    """What two networks must share for one to be embedded in the other: everything but the
    widths of the hidden layers of a plain network (other networks: everything)."""
    if not spec.plain:
        return ("exactly", spec)
    activations = tuple(d.activation for d in spec.dense)
    return (spec.input_dim, len(spec.lstm_units), activations, spec.output_dim, spec.dropout, spec.recurrent_dropout)


def same_but_widths(a: NetworkSpec, b: NetworkSpec) -> bool:
    """True if ``a`` and ``b`` differ at most in the widths of their hidden layers."""
    return width_free_key(a) == width_free_key(b)


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
        out["dense"].append(
            {"kernel": layer["kernel"][..., :width, : own_layer.units], "bias": layer["bias"][..., : own_layer.units]}
        )
        width = own_layer.units
    return out
