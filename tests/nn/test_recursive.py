"""``ensemble_recursive``, the one compiled recursive forecast, against a plain Python loop.

The reference feeds each member its own forecasts one step at a time, calling ``network_forward``
on one window per step: a window that fills the time axis drops its oldest value (the local
model; with a stateful network, the LSTM state carried from step to step); a padded window grows
by one value a step until it fills the look-back, then slides, and with ``relative=True`` is
re-read relative to its new last value each step, the forecasts summed back relative to the first
window's last value (the global model). Only the weights and the network itself are shared with
the code under test; the bookkeeping is written out here.
"""

import jax
import numpy as np
import pytest

from lstmcast.nn import Dense, NetworkSpec, ensemble_recursive, ensemble_stateful, init_network, network_forward

SPECS = {
    "one-layer": NetworkSpec(1, (3,), (Dense(2, "tanh"), Dense(1))),
    "stacked": NetworkSpec(1, (4, 2), (Dense(1),)),
}
SEEDS = (0, 1, 2)
TOLERANCE = dict(rtol=1e-5, atol=1e-5)


def ensemble(spec):
    """Members' weights stacked on a leading axis (seeds 0, 1, 2)."""
    return jax.tree_util.tree_map(lambda *a: np.stack(a), *[init_network(spec, seed) for seed in SEEDS])


def member(params, k):
    return jax.tree_util.tree_map(lambda a: np.asarray(a)[k], params)


def one_step(spec, params, window, length=None, state=None):
    """``network_forward`` on one window ``(time,)``: its output and the new LSTM state."""
    x = np.asarray(window, np.float32)[None, :, None]
    lengths = None if length is None else np.array([length], np.int32)
    out, new_state = network_forward(spec, params, x, state, lengths=lengths)
    return float(np.asarray(out)[0, 0]), new_state


def reference_full(spec, params, window, horizon, state=None):
    """Recursive forecasts from a window that fills the time axis: append, drop the oldest; with a
    ``state``, each step starts from the state the previous step ended in (else from zero)."""
    window, forecasts = list(window), []
    for _ in range(horizon):
        value, new_state = one_step(spec, params, window, state=state)
        state = None if state is None else new_state
        forecasts.append(value)
        window = window[1:] + [value]
    return forecasts


def reference_padded(spec, params, window, length, horizon, *, relative):
    """Recursive forecasts from the first ``length`` values of a padded window: the window grows to
    the look-back, then slides; with ``relative``, re-read relative to its last value each step and
    the forecasts summed back relative to the first window's last value."""
    steps = len(window)
    values, level, forecasts = list(window[:length]), 0.0, []
    for _ in range(horizon):
        padded = np.zeros(steps)
        padded[: len(values)] = values
        value, _ = one_step(spec, params, padded, length=len(values))
        values = (values + [value])[-steps:]
        if relative:
            values = [v - value for v in values]
            level += value
            forecasts.append(level)
        else:
            forecasts.append(value)
    return forecasts


@pytest.mark.parametrize("name", SPECS)
def test_windows_that_fill_the_time_axis(name):
    spec, params = SPECS[name], ensemble(SPECS[name])
    windows = np.random.default_rng(0).normal(size=(4, 5)).astype(np.float32)
    horizon = 7
    got = ensemble_recursive(spec, params, windows, horizon)
    assert got.shape == (len(SEEDS), len(windows), horizon)
    expected = [[reference_full(spec, member(params, k), w, horizon) for w in windows] for k in range(len(SEEDS))]
    np.testing.assert_allclose(got, expected, **TOLERANCE)
    # members differ (different seeds), and a longer horizon starts with the same forecasts
    assert not np.allclose(got[0], got[1])
    np.testing.assert_allclose(ensemble_recursive(spec, params, windows, 3), got[:, :, :3], **TOLERANCE)


@pytest.mark.parametrize("name", SPECS)
def test_a_stateful_network_carries_its_state_from_step_to_step(name):
    """The state reached by a stateful walk over earlier windows starts the recursion and is
    carried on: each step continues the previous step's state."""
    spec, params = SPECS[name], ensemble(SPECS[name])
    rng = np.random.default_rng(1)
    earlier = rng.normal(size=(6, 3, 1)).astype(np.float32)
    _, states = ensemble_stateful(spec, params, earlier)  # each member's state after the walk
    window = rng.normal(size=(1, 3)).astype(np.float32)
    horizon = 6
    got = ensemble_recursive(spec, params, window, horizon, states=states)
    assert got.shape == (len(SEEDS), 1, horizon)
    for k in range(len(SEEDS)):
        state_k = jax.tree_util.tree_map(lambda a, k=k: np.asarray(a)[k], states)
        expected = reference_full(spec, member(params, k), window[0], horizon, state=state_k)
        np.testing.assert_allclose(got[k, 0], expected, **TOLERANCE)
    # the state matters: from a zero state every step, the forecasts differ
    stateless = ensemble_recursive(spec, params, window, horizon)
    assert not np.allclose(stateless, got, rtol=1e-3, atol=1e-4)


LOOK_BACK = 5


def padded_windows(rng):
    """Windows read relative to their last valid value, padded at the end to the look-back: one
    full, three shorter (one a single value), as ``lstmcast.transforms.cut_windows`` cuts them."""
    lengths = np.array([LOOK_BACK, 3, 1, 4], np.int32)
    windows = np.zeros((len(lengths), LOOK_BACK), np.float32)
    for row, length in enumerate(lengths):
        values = rng.normal(size=length)
        windows[row, :length] = values - values[-1]
    return windows, lengths


@pytest.mark.parametrize("relative", [True, False], ids=["relative", "absolute"])
@pytest.mark.parametrize("name", SPECS)
def test_padded_windows_grow_to_the_look_back_then_slide(name, relative):
    spec, params = SPECS[name], ensemble(SPECS[name])
    windows, lengths = padded_windows(np.random.default_rng(2))
    horizon = 8  # longer than the look-back: the short windows fill up, then slide
    got = ensemble_recursive(spec, params, windows, horizon, lengths=lengths, relative=relative)
    assert got.shape == (len(SEEDS), len(windows), horizon)
    for k in range(len(SEEDS)):
        for row, (window, length) in enumerate(zip(windows, lengths)):
            expected = reference_padded(spec, member(params, k), window, int(length), horizon, relative=relative)
            np.testing.assert_allclose(got[k, row], expected, **TOLERANCE, err_msg=f"member {k}, window {row}")


@pytest.mark.parametrize("name", SPECS)
def test_the_padding_of_a_window_never_changes_its_forecasts(name):
    """What lies past a window's length is not read: garbage there changes nothing."""
    spec, params = SPECS[name], ensemble(SPECS[name])
    windows, lengths = padded_windows(np.random.default_rng(3))
    garbage = windows.copy()
    for row, length in enumerate(lengths):
        garbage[row, length:] = 50.0
    clean = ensemble_recursive(spec, params, windows, 6, lengths=lengths, relative=True)
    np.testing.assert_allclose(
        ensemble_recursive(spec, params, garbage, 6, lengths=lengths, relative=True), clean, **TOLERANCE
    )
