"""Training on sequences of different lengths, weighted samples and the convolution branch: the
trainer's additions for classification, each checked against a plain computation."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lstmcast.errors import InvalidInputError
from lstmcast.nn import Dense, NetworkSpec, init_network, network_forward
from lstmcast.train import TrainConfig, TrainJob, fit, fit_jobs

SPEC = NetworkSpec(2, (4,), (Dense(3),), conv_filters=(3, 4), conv_widths=(3, 2))


def data(n=10, steps=8, seed=0):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(2, steps + 1, size=n)
    x = rng.normal(size=(n, steps, 2)).astype(np.float32)
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=n)]
    return x, y, lengths


def leaves(result):
    return [np.asarray(a) for a in jax.tree_util.tree_leaves(result.params)]


def test_values_beyond_each_length_never_matter():
    x, y, lengths = data()
    garbage = x.copy()
    for i, n in enumerate(lengths):
        garbage[i, n:] = 1e3
    config = TrainConfig(epochs=4, batch_size=3, loss="softmax_crossentropy_from_logits")
    a = fit(SPEC, x, y, config, lengths=lengths, verbose=0)
    b = fit(SPEC, garbage, y, config, lengths=lengths, verbose=0)
    for u, v in zip(leaves(a), leaves(b)):
        np.testing.assert_array_equal(u, v)


def test_one_epoch_in_order_equals_plain_steps_with_batch_statistics():
    """SGD over batches in order, by hand: each step's gradient of the mean weighted loss, the
    network normalising by each batch's statistics; a partial last batch counts its real cases."""
    x, y, lengths = data(n=7)
    weights = np.linspace(0.5, 2.0, 7).astype(np.float32)
    config = TrainConfig(
        epochs=1,
        batch_size=3,
        shuffle=False,
        loss="softmax_crossentropy_from_logits",
        optimizer="sgd",
        learning_rate=0.1,
    )
    result = fit(SPEC, x, y, config, lengths=lengths, sample_weight=weights, verbose=0)
    params = jax.tree_util.tree_map(jnp.asarray, init_network(SPEC, 0))

    def loss(p, xb, yb, lb, wb):
        logits = network_forward(SPEC, p, xb, lengths=lb, batch_stats=True)[0]
        return jnp.sum(-jnp.sum(yb * jax.nn.log_softmax(logits), axis=-1) * wb) / len(xb)

    for start in range(0, 7, 3):
        rows = slice(start, start + 3)
        grads = jax.grad(loss)(params, x[rows], y[rows], lengths[rows], weights[rows])
        params = jax.tree_util.tree_map(lambda p, g: p - 0.1 * g, params, grads)
    # the trainer's weights were calibrated after training: compare every weight but the statistics
    got = result.member(0)
    for block in got["conv"] + params["conv"]:
        block.pop("mean"), block.pop("var")
    for u, v in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(params)):
        np.testing.assert_allclose(u, v, atol=2e-6)


def test_sample_weights_scale_the_loss():
    """Weights of 2 everywhere double every gradient: with SGD, the same as twice the rate."""
    x, y, lengths = data()
    base = dict(epochs=3, batch_size=4, loss="softmax_crossentropy_from_logits", optimizer="sgd")
    doubled = fit(
        SPEC, x, y, TrainConfig(**base, learning_rate=0.05), lengths=lengths, sample_weight=np.full(10, 2.0), verbose=0
    )
    faster = fit(SPEC, x, y, TrainConfig(**base, learning_rate=0.1), lengths=lengths, verbose=0)
    for u, v in zip(leaves(doubled), leaves(faster)):
        np.testing.assert_allclose(u, v, atol=1e-6)
    # the same weights all along, so the reported (weighted) loss is exactly twice the other's
    np.testing.assert_allclose(doubled.history["loss"], 2 * faster.history["loss"], rtol=1e-5)


def test_fit_jobs_groups_sequence_networks_and_equals_separate_fits():
    x, y, lengths = data(seed=1)
    config = TrainConfig(epochs=3, batch_size=4, loss="softmax_crossentropy_from_logits")
    jobs = [TrainJob(SPEC, x, y, config, seed=s, lengths=lengths) for s in (0, 1)]
    together = fit_jobs(jobs)
    for job, result in zip(jobs, together):
        alone = fit(SPEC, x, y, config, seed=job.seed, lengths=lengths, verbose=0)
        for u, v in zip(leaves(result), leaves(alone)):
            np.testing.assert_allclose(u, v, atol=1e-5)


def test_validation_with_lengths_and_bad_lengths():
    x, y, lengths = data()
    config = TrainConfig(epochs=3, batch_size=4, loss="softmax_crossentropy_from_logits")
    result = fit(
        SPEC, x[:7], y[:7], config, lengths=lengths[:7], validation_data=(x[7:], y[7:], lengths[7:]), verbose=0
    )
    assert result.history["val_loss"].shape == (1, 3) and np.all(np.isfinite(result.history["val_loss"]))
    for bad in (np.zeros(10), np.full(10, 9), np.full(10, 2.5), np.full(9, 3)):
        with pytest.raises(InvalidInputError, match="lengths"):
            fit(SPEC, x, y, config, lengths=bad, verbose=0)
    with pytest.raises(InvalidInputError, match="sample weights"):
        fit(SPEC, x, y, config, lengths=lengths, sample_weight=-np.ones(10), verbose=0)
    with pytest.raises(InvalidInputError, match="stateful"):
        fit(SPEC, x, y, TrainConfig(epochs=1, batch_size=1, stateful=True), lengths=lengths, verbose=0)
