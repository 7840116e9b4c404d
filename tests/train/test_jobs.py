"""fit_jobs: networks of different widths, batch sizes, sample counts, epochs and learning rates
trained in one program give what separate fits give; fit_many is fit_jobs of one job per seed;
a job's initial weights are where its training starts."""

import jax
import numpy as np
import pytest

from lstmcast.errors import InvalidInputError
from lstmcast.nn import NetworkSpec, init_network
from lstmcast.train import EarlyStopping, TrainConfig, TrainJob, TrainResult, fit, fit_jobs, fit_many


def windows(n, look_back=2, phase=0.0):
    z = np.sin(0.3 * np.arange(n + look_back) + phase).astype(np.float32)
    return np.stack([z[i : i + look_back] for i in range(n)])[:, :, None], z[look_back:]


def leaves(params):
    return [np.asarray(a) for a in jax.tree_util.tree_leaves(params)]


def assert_same_training(grouped, alone, rtol=1e-5, atol=1e-6):
    for a, b in zip(leaves(grouped.params), leaves(alone.params)):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
    np.testing.assert_array_equal(grouped.epochs_run, alone.epochs_run)
    np.testing.assert_allclose(grouped.history["loss"], alone.history["loss"], rtol=1e-5)


@pytest.mark.parametrize("shuffle", [True, False])
def test_a_grid_of_widths_batches_and_sizes_equals_separate_fits(shuffle):
    jobs = []
    for units in (2, 4):
        for batch in (1, 3):
            for n in (14, 20):
                x, y = windows(n)
                config = TrainConfig(
                    epochs=4 if batch == 1 else 6, batch_size=batch, shuffle=shuffle, learning_rate=0.01 * units
                )
                jobs.append(TrainJob(NetworkSpec(1, (units,), (3, 1)), x, y, config, seed=units + n))
    grouped = fit_jobs(jobs)
    for job, result in zip(jobs, grouped):
        alone = fit(job.spec, job.x, job.y, job.config, seed=job.seed, verbose=0)
        assert result.params["lstm"][0]["kernel"].shape == alone.params["lstm"][0]["kernel"].shape
        assert_same_training(result, alone)
        assert not result.stopped_early[0]


def test_a_job_alone_is_bit_identical_to_fit():
    x, y = windows(16)
    job = TrainJob(NetworkSpec(1, (3,), (1,)), x, y, TrainConfig(epochs=5, batch_size=4), seed=2)
    (result,) = fit_jobs([job])
    alone = fit(job.spec, x, y, job.config, seed=2, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(leaves(result.params), leaves(alone.params)))


def test_early_stopping_and_validation_per_job():
    stop = EarlyStopping(patience=1, restore_best_weights=True)
    jobs = []
    for units, n in ((2, 12), (5, 18)):
        x, y = windows(n)
        x_val, y_val = windows(5 + units, phase=2.0)
        jobs.append(
            TrainJob(
                NetworkSpec(1, (units,), (1,)),
                x,
                y,
                TrainConfig(epochs=30, batch_size=2, learning_rate=0.05, early_stopping=stop),
                seed=1,
                validation_data=(x_val, y_val + 0.5),
            )
        )
    for job, result in zip(jobs, fit_jobs(jobs)):
        alone = fit(job.spec, job.x, job.y, job.config, seed=1, validation_data=job.validation_data, verbose=0)
        assert_same_training(result, alone)
        np.testing.assert_array_equal(result.stopped_early, alone.stopped_early)
        np.testing.assert_allclose(result.history["val_loss"], alone.history["val_loss"], rtol=1e-5)


def test_jobs_that_cannot_share_a_program_are_trained_apart():
    x, y = windows(12)
    x3, y3 = windows(12, look_back=3)
    jobs = [
        TrainJob(NetworkSpec(1, (2,), (1,)), x, y, TrainConfig(epochs=2, batch_size=2)),
        TrainJob(NetworkSpec(1, (2,), (1,)), x3, y3, TrainConfig(epochs=2, batch_size=2)),  # another window length
        TrainJob(NetworkSpec(1, (2, 2), (1,)), x, y, TrainConfig(epochs=2, batch_size=2)),  # another depth
        TrainJob(NetworkSpec(1, (2,), (1,)), x, y, TrainConfig(epochs=2, batch_size=2, loss="mae")),
    ]
    for job, result in zip(jobs, fit_jobs(jobs)):
        assert_same_training(result, fit(job.spec, job.x, job.y, job.config, seed=job.seed, verbose=0))


def test_bad_jobs():
    with pytest.raises(InvalidInputError):
        fit_jobs([("not", "a", "job")])
    x, y = windows(6)
    with pytest.raises(InvalidInputError):
        fit_jobs([TrainJob(NetworkSpec(1, (2,), (1,)), x, y, config="fast")])


def test_fit_many_is_fit_jobs_of_one_job_per_seed_bit_for_bit():
    spec = NetworkSpec(1, (3,), (2, 1))
    x, y = windows(15)
    validation = windows(6, phase=1.0)
    config = TrainConfig(epochs=4, batch_size=4, early_stopping=EarlyStopping(patience=1))
    seeds, rates = [3, 0, 8], [0.01, 0.02, 0.005]
    many = fit_many(spec, x, y, config, seeds=seeds, learning_rates=rates, validation_data=validation, verbose=0)
    jobs = [
        TrainJob(spec, x, y, TrainConfig(**{**config.__dict__, "learning_rate": rate}), seed, validation)
        for seed, rate in zip(seeds, rates)
    ]
    stacked = TrainResult.stack(fit_jobs(jobs))
    assert all(np.array_equal(a, b) for a, b in zip(leaves(many.params), leaves(stacked.params)))
    np.testing.assert_array_equal(many.history["val_loss"], stacked.history["val_loss"])
    np.testing.assert_array_equal(many.epochs_run, stacked.epochs_run)
    assert list(many.seeds) == seeds


def test_a_jobs_initial_weights_are_where_its_training_starts():
    """Training from the weights seed 7 draws equals training with seed 7 (the seed still orders
    the samples), bit for bit; each job of a group starts from its own weights, as it would alone
    and as ``fit(initial_params=)`` does."""
    spec = NetworkSpec(1, (3,), (1,))
    x, y = windows(14)
    config = TrainConfig(epochs=3, batch_size=4, learning_rate=0.01)
    drawn = TrainJob(spec, x, y, config, seed=7)
    given = TrainJob(spec, x, y, config, seed=7, initial_params=init_network(spec, 7))
    other = TrainJob(spec, x, y, config, seed=7, initial_params=init_network(spec, 2))
    from_drawn, from_given, from_other = fit_jobs([drawn, given, other])
    assert all(np.array_equal(a, b) for a, b in zip(leaves(from_drawn.params), leaves(from_given.params)))
    assert not np.allclose(leaves(from_other.params)[0], leaves(from_given.params)[0])
    # the other job alone, and through fit(initial_params=), train the same weights
    (alone,) = fit_jobs([other])
    assert all(np.array_equal(a, b) for a, b in zip(leaves(alone.params), leaves(from_other.params)))
    via_fit = fit(spec, x, y, config, seed=7, initial_params=init_network(spec, 2), verbose=0)
    for a, b in zip(leaves(via_fit.params), leaves(from_other.params)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
