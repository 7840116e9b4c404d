"""Plain-NumPy references the tests compare lstmcast against: the LSTM equations written out
step by step, with no JAX and no vectorisation tricks."""

from __future__ import annotations

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_numpy(params, x, h0=None, c0=None, input_mask=None, recurrent_mask=None):
    """Keras' LSTM: gates i, f, c, o; returns (outputs (batch, time, units), h, c)."""
    W, U, b = (np.asarray(params[k], np.float64) for k in ("kernel", "recurrent_kernel", "bias"))
    batch, steps, _ = x.shape
    units = U.shape[0]
    h = np.zeros((batch, units)) if h0 is None else np.array(h0, np.float64)
    c = np.zeros((batch, units)) if c0 is None else np.array(c0, np.float64)
    outputs = np.zeros((batch, steps, units))
    for t in range(steps):
        x_t = np.asarray(x[:, t, :], np.float64)
        if input_mask is not None:
            x_t = x_t * input_mask
        h_in = h if recurrent_mask is None else h * recurrent_mask
        for n in range(batch):
            z = x_t[n] @ W + h_in[n] @ U + b
            i = sigmoid(z[:units])
            f = sigmoid(z[units : 2 * units])
            g = np.tanh(z[2 * units : 3 * units])
            o = sigmoid(z[3 * units :])
            c[n] = f * c[n] + i * g
            h[n] = o * np.tanh(c[n])
        outputs[:, t, :] = h
    return outputs, h, c


ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "tanh": np.tanh,
    "sigmoid": sigmoid,
}


def network_numpy(params, activations, x):
    h = np.asarray(x, np.float64)
    for layer in params["lstm"]:
        h, last, _ = lstm_numpy(layer, h)
    out = last
    for layer, activation in zip(params["dense"], activations):
        out = ACTIVATIONS[activation](
            out @ np.asarray(layer["kernel"], np.float64) + np.asarray(layer["bias"], np.float64)
        )
    return out


# The tiny stateless LSTM the forecaster and workflow tests share (log + difference + min-max to
# (-1, 1), a tanh hidden Dense layer, 3 members): equal settings on equal series lengths share
# JAX's compiled programs, so the suite compiles them once.
TINY_LSTM = dict(
    look_back=3,
    units=3,
    dense=((2, "tanh"),),
    epochs=3,
    batch_size=4,
    log=True,
    difference=1,
    scale="minmax",
    feature_range=(-1.0, 1.0),
    n_seeds=3,
    seed=0,
)


def conv1d_numpy(x, kernel):
    """Keras' Conv1D(padding="same"), no bias: zero padding of (width-1)//2 steps before and the
    rest after, written as the sum over the window."""
    x, kernel = np.asarray(x, np.float64), np.asarray(kernel, np.float64)
    width = kernel.shape[0]
    before = (width - 1) // 2
    padded = np.pad(x, ((0, 0), (before, width - 1 - before), (0, 0)))
    out = np.zeros(x.shape[:2] + (kernel.shape[2],))
    for t in range(x.shape[1]):
        for k in range(width):
            out[:, t] += padded[:, t + k] @ kernel[k]
    return out


def lstm_fcn_numpy(params, x, length, *, bidirectional=False, stride=1, activations=("linear",)):
    """One sequence ``x (time, features)`` of which the first ``length`` steps are real, through
    an LSTM(-FCN) at inference, the slow way: the real steps alone, Keras' layers one by one."""
    x = np.asarray(x, np.float64)[:length]
    lstm_in = x
    if stride > 1:
        groups = -(-length // stride)
        lstm_in = np.stack([x[g * stride : (g + 1) * stride].mean(axis=0) for g in range(groups)])
    h = lstm_in[None]
    for layer in params["lstm"]:
        if bidirectional:
            forward, _, _ = lstm_numpy(layer["forward"], h)
            backward, _, _ = lstm_numpy(layer["backward"], h[:, ::-1])
            last = np.concatenate([forward[0, -1], backward[0, -1]])
            h = np.concatenate([forward, backward[:, ::-1]], axis=-1)
        else:
            h, last_h, _ = lstm_numpy(layer, h)
            last = last_h[0]
    features = [last]
    if "conv" in params:
        z = x[None]
        for block in params["conv"]:
            c = conv1d_numpy(z, block["kernel"])
            c = (c - block["mean"]) / np.sqrt(np.asarray(block["var"], np.float64) + 1e-3) * block["gamma"] + block[
                "beta"
            ]
            z = np.maximum(c, 0)
        features.append(z[0].mean(axis=0))
    out = np.concatenate(features)
    for layer, activation in zip(params["dense"], activations):
        out = ACTIVATIONS[activation](
            out @ np.asarray(layer["kernel"], np.float64) + np.asarray(layer["bias"], np.float64)
        )
    return out


def central_differences(loss, flat, eps=1e-6):
    """The gradient of scalar ``loss`` at the 1-D float64 array ``flat`` by central differences,
    (loss(w + eps e_i) - loss(w - eps e_i)) / 2 eps for every i, evaluated all at once (``loss``
    must be a JAX function; run inside ``jax.enable_x64``)."""
    import jax
    import jax.numpy as jnp

    steps = eps * jnp.eye(flat.size, dtype=flat.dtype)
    batched = jax.jit(jax.vmap(loss))
    return np.asarray((batched(flat + steps) - batched(flat - steps)) / (2 * eps))
