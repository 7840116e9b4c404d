"""The global LSTM on a panel: per-series normalisation, windows, conformal intervals (with an
empirical coverage check on a synthetic panel), frames out, saving, its two training steps (the
final fit keeps the held-back fit's settings; the windows each trained on), and its rules."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstmcast.data import Panel, from_long
from lstmcast.errors import InvalidInputError
from lstmcast.forecast import GlobalLSTM
from lstmcast.forecast.global_lstm import MIN_LENGTH, TRAIN_BUDGET, within_budget
from lstmcast.forecast.intervals import conformal_quantiles
from lstmcast.transforms import (
    SeriesScaling,
    choose_scaling,
    cut_windows,
    denormalize,
    is_seasonal,
    normalize,
    seasonal_factors,
    training_windows,
)

TINY = dict(look_back=6, units=6, epochs=4, batch_size=64, n_seeds=2, horizon=3)


def panel_frame(n_series=24, seed=0, freq="MS", lengths=(14, 40), season=12):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_series):
        n = int(rng.integers(*lengths))
        t = np.arange(n)
        y = (20 + i) * np.exp(np.cumsum(rng.normal(0.005, 0.04, n))) * (1 + 0.15 * np.sin(2 * np.pi * t / season))
        ds = pd.date_range("2000-01-01", periods=n, freq=freq) if freq else np.arange(1, n + 1)
        rows.append(pd.DataFrame({"unique_id": f"s{i:02d}", "ds": ds, "y": y}))
    return pd.concat(rows, ignore_index=True)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(-50, 50, allow_nan=False), min_size=3, max_size=40),
    positive=st.booleans(),
    season=st.sampled_from([1, 4, 12]),
)
def test_normalisation_inverts_exactly(values, positive, season):
    y = np.asarray(values)
    if positive:
        y = np.abs(y) + 1.0
    scaling = choose_scaling(y, season)
    z = normalize(y, scaling)
    np.testing.assert_allclose(denormalize(z, scaling, np.arange(len(y))), y, rtol=1e-10, atol=1e-10)


def test_scaling_is_chosen_from_the_data():
    t = np.arange(60)
    seasonal = (100 + t) * (1 + 0.3 * np.sin(2 * np.pi * t / 12))
    chosen = choose_scaling(seasonal, 12)
    assert chosen.log and is_seasonal(seasonal, 12)
    np.testing.assert_allclose(chosen.factors, seasonal_factors(seasonal, 12))
    np.testing.assert_allclose(normalize(seasonal, chosen), np.log(seasonal / np.asarray(chosen.factors)[t % 12]))
    signed = np.sin(t / 3.0) * 5
    assert choose_scaling(signed, 12) == SeriesScaling(False, (1.0,), float(np.abs(np.diff(signed)).mean()))
    assert choose_scaling(seasonal, 12, "log").factors == (1.0,)
    assert not choose_scaling(seasonal, 12, "level").log
    with pytest.raises(InvalidInputError):
        choose_scaling(signed, 1, "log")


def test_windows_are_relative_to_their_last_input_and_padded_at_the_end():
    zs = [np.arange(10.0), np.arange(4.0) * 2]
    windows = cut_windows(zs, 4, 2, [np.array([2, 6]), np.array([1])])
    expected_x = [[0 - 1, 1 - 1, 0, 0], [2 - 5, 3 - 5, 4 - 5, 5 - 5], [0, 0, 0, 0]]
    np.testing.assert_allclose(windows.x[:, :, 0], expected_x)
    np.testing.assert_array_equal(windows.lengths, [2, 4, 1])
    np.testing.assert_allclose(windows.y, [[2 - 1, 3 - 1], [6 - 5, 7 - 5], [2 - 0, 4 - 0]])
    np.testing.assert_array_equal(windows.series, [0, 0, 1])


def test_conformal_quantile_is_the_finite_sample_rank():
    scores = np.random.default_rng(0).exponential(size=(39, 2))
    q = conformal_quantiles(scores, [80, 95])
    for level in (80, 95):
        rank = int(np.ceil(40 * level / 100))
        np.testing.assert_allclose(q[level], np.sort(scores, axis=0)[rank - 1])
    with pytest.raises(InvalidInputError, match="at least 99"):  # 40 * 0.99 > 39 scores: no finite bound
        conformal_quantiles(scores, [99])


@pytest.fixture(scope="module")
def fitted():
    frame = panel_frame()
    return GlobalLSTM(**TINY, patience=2).fit(frame), frame


def test_predict_gives_a_long_frame_continuing_each_series(fitted):
    model, frame = fitted
    forecast = model.predict(3, level=[80, 95], members=True)
    assert list(forecast.columns[:3]) == ["unique_id", "ds", "lstm"]
    assert {"lstm-lo-80", "lstm-hi-80", "lstm-lo-95", "lstm-hi-95", "lstm-member-0", "lstm-member-1"} <= set(
        forecast.columns
    )
    for uid, part in forecast.groupby("unique_id"):
        last = frame.loc[frame["unique_id"] == uid, "ds"].max()
        assert list(part["ds"]) == list(pd.date_range(last, periods=4, freq="MS")[1:])
    assert np.all(forecast["lstm-lo-95"] <= forecast["lstm-lo-80"]) and np.all(
        forecast["lstm-lo-80"] <= forecast["lstm"]
    )
    assert np.all(forecast["lstm"] <= forecast["lstm-hi-80"]) and np.all(
        forecast["lstm-hi-80"] <= forecast["lstm-hi-95"]
    )
    assert np.all(forecast["lstm"] > 0)  # a log model never forecasts a negative level for a positive series
    assert list(model.predict(2).columns) == ["unique_id", "ds", "lstm"]
    with pytest.raises(InvalidInputError, match="horizon=3"):
        model.predict(4)


def test_integer_time_continues_with_the_next_integers():
    frame = panel_frame(n_series=12, freq=None)
    forecast = GlobalLSTM(**TINY).fit(frame).predict(3)
    for uid, part in forecast.groupby("unique_id"):
        n = int((frame["unique_id"] == uid).sum())
        assert part["ds"].tolist() == [n + 1, n + 2, n + 3]


def test_direct_and_recursive_strategies(fitted):
    frame = panel_frame(n_series=12, seed=1)
    direct = GlobalLSTM(**TINY, strategy="direct").fit(frame)
    recursive = GlobalLSTM(**TINY, strategy="recursive").fit(frame)
    assert direct.spec_.output_dim == 3 and recursive.spec_.output_dim == 1
    for model in (direct, recursive):
        assert model.predict(3)["lstm"].notna().all()


def test_save_and_load_a_panel_model(tmp_path, fitted):
    model, _ = fitted
    back = GlobalLSTM.load(model.save(tmp_path / "panel.npz"))
    pd.testing.assert_frame_equal(back.predict(3, level=90), model.predict(3, level=90))


def test_short_series_are_forecast_by_naive2_and_listed():
    frame = panel_frame(n_series=10)
    tiny = pd.DataFrame({"unique_id": "tiny", "ds": pd.date_range("2000-01-01", periods=2, freq="MS"), "y": [5.0, 6.0]})
    model = GlobalLSTM(**TINY).fit(pd.concat([frame, tiny]))
    assert model.fallback_series_ == ["tiny"]
    row = model.predict(3, level=80).query("unique_id == 'tiny'")
    np.testing.assert_allclose(row["lstm"], 6.0)
    assert row["lstm-lo-80"].isna().all()


def test_global_model_rules():
    frame = panel_frame(n_series=6)
    with pytest.raises(InvalidInputError, match="horizon"):
        GlobalLSTM(look_back=4).fit(frame)
    with pytest.raises(InvalidInputError, match="horizon"):
        GlobalLSTM().look_backs()  # the default look-backs are horizons
    with pytest.raises(InvalidInputError, match="unknown parameter 'log'"):
        GlobalLSTM(**TINY).set_params(log=True)  # the per-series transforms are LocalLSTM's
    with pytest.raises(TypeError):
        GlobalLSTM(**TINY, log=True)
    model = GlobalLSTM(**TINY).fit(frame)
    spread = model.predict(3, spread=True, members=True)  # the members' range, per point
    members = spread[[c for c in spread.columns if c.startswith("lstm-member-")]].to_numpy()
    np.testing.assert_array_equal(spread["lstm-min"].to_numpy(), members.min(axis=1))
    np.testing.assert_array_equal(spread["lstm-max"].to_numpy(), members.max(axis=1))
    for level in (100, 150, 0):
        with pytest.raises(InvalidInputError, match="level"):
            model.predict(3, level=level)
    with pytest.raises(InvalidInputError, match="look_back"):
        GlobalLSTM(**{**TINY, "look_back": []}).fit(frame)


def test_defaults_are_the_recommended_settings():
    """The look-back ensemble of one and two horizons, 3 seeds each: six members of 32 units,
    combined by their median, trained on the MASE-scaled error in batches of 64 under the training
    budget; direct forecasts of the whole horizon."""
    model = GlobalLSTM(horizon=4)
    assert model.look_backs() == [4, 8] and model.n_members() == 6
    assert (model.strategy, model.combine, model.loss, model.n_seeds) == ("direct", "median", "mase", 3)
    assert (model.units, model.batch_size, model.max_train_windows) == (32, 64, TRAIN_BUDGET)
    assert GlobalLSTM(horizon=4, look_back=[2, 3, 5], n_seeds=2).n_members() == 6


def test_intervals_cover_held_back_data_about_as_often_as_they_say():
    """A synthetic panel of 300 random walks with seasonality: fit on all but the last 4 points of
    each series, forecast them with 80% and 95% intervals, count how often the truth falls inside."""
    frame = panel_frame(n_series=300, seed=5, lengths=(24, 48))
    horizon = 4
    last = frame.groupby("unique_id")["ds"].transform("max")
    cutoff = frame["ds"] > last - pd.DateOffset(months=horizon)
    model = GlobalLSTM(look_back=8, units=8, epochs=6, batch_size=256, n_seeds=2, horizon=horizon).fit(frame[~cutoff])
    forecast = model.predict(horizon, level=[80, 95]).merge(frame[cutoff], on=["unique_id", "ds"])
    assert len(forecast) == 300 * horizon
    for level in (80, 95):
        inside = (forecast["y"] >= forecast[f"lstm-lo-{level}"]) & (forecast["y"] <= forecast[f"lstm-hi-{level}"])
        assert abs(inside.mean() * 100 - level) < 6, (level, inside.mean())


def test_a_frame_without_the_long_columns_is_refused():
    with pytest.raises(InvalidInputError):
        GlobalLSTM(**TINY).fit(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}))
    panel = from_long(panel_frame(n_series=4))
    assert len(GlobalLSTM(**TINY).fit(panel).predict(1)) == 4


@settings(max_examples=60, deadline=None)
@given(
    available=st.lists(st.integers(0, 300), min_size=1, max_size=30),
    epochs=st.integers(1, 40),
    max_windows=st.integers(1, 400),
    budget=st.integers(1, 20_000),
)
def test_a_training_budget_keeps_the_most_work_that_fits(available, epochs, max_windows, budget):
    available = np.asarray(available)
    planned_epochs, cap = within_budget(available, epochs, max_windows, budget)
    work = lambda e, c: e * int(np.minimum(available, c).sum())  # noqa: E731 - windows seen by one member
    assert 1 <= planned_epochs <= epochs and 1 <= cap <= max_windows
    if work(epochs, max_windows) <= budget:
        assert (planned_epochs, cap) == (epochs, max_windows)  # under budget: nothing changes
    elif cap == max_windows:
        # fewer epochs only: the most that fit
        assert work(planned_epochs, cap) <= budget or planned_epochs == 1
        assert work(planned_epochs + 1, cap) > budget
    else:
        # one epoch over fewer windows per series: the largest cap that fits (or 1, the least)
        assert planned_epochs == 1
        assert work(1, cap) <= budget or cap == 1
        assert work(1, cap + 1) > budget


def test_a_budgeted_fit_trains_on_the_planned_windows():
    frame = panel_frame(n_series=8, lengths=(30, 40))
    params = {**TINY, "epochs": 4, "max_windows": 1000}
    free = GlobalLSTM(**params).fit(frame)
    budgeted = GlobalLSTM(**params, max_train_windows=free.windows_["final"] * 2).fit(frame)
    assert free.windows_["epochs"] == 4 and budgeted.windows_["epochs"] == 2
    assert budgeted.windows_["final"] == free.windows_["final"]
    assert np.all(budgeted.epochs_run_ == 2)
    tight = GlobalLSTM(**params, max_train_windows=8 * 5).fit(frame)
    assert tight.windows_ == {**tight.windows_, "epochs": 1, "max_windows": 5, "final": 8 * 5}


# -- the two training steps -------------------------------------------------------------------------
def recording_fit_jobs(monkeypatch):
    """Every call of ``fit_jobs`` made by an estimator, as ``(jobs, results)``, the real trainer run."""
    import lstmcast.train.estimator as estimator_module

    calls, real = [], estimator_module.fit_jobs

    def recording(jobs, **kwargs):
        results = real(jobs, **kwargs)
        one_each = [results.select([k]) for k in range(len(jobs))] if kwargs.get("stacked") else results
        calls.append((list(jobs), one_each))
        return results

    monkeypatch.setattr(estimator_module, "fit_jobs", recording)
    return calls


def test_the_final_fit_keeps_every_training_setting_of_the_held_back_fit(monkeypatch):
    """The final fit differs from the held-back fit in its epochs (each member the epochs its
    held-back twin chose) and in having no early stopping, nothing else: a clipped gradient, a
    cosine schedule, an optimizer, a learning rate and shuffling carry over."""
    calls = recording_fit_jobs(monkeypatch)
    settings = dict(
        TINY,
        epochs=6,
        clip_norm=0.5,
        lr_schedule="cosine",
        optimizer="rmsprop",
        learning_rate=0.01,
        shuffle=False,
        patience=1,
        min_delta=0.001,
        look_back=[3, 6],
    )
    model = GlobalLSTM(**settings).fit(panel_frame(n_series=10, seed=3))
    (held_jobs, held_results), (final_jobs, _) = calls
    assert len(held_jobs) == len(final_jobs) == model.n_members() == 4
    held_config = held_jobs[0].config
    assert held_config.clip_norm == 0.5 and held_config.lr_schedule == "cosine"
    assert held_config.early_stopping is not None and held_config.early_stopping.min_delta == 0.001
    for held, result, final in zip(held_jobs, held_results, final_jobs):
        assert held.config == held_config and final.seed == held.seed
        chosen = max(1, int(result.best_epoch[0]) + 1)  # the held-back twin's best epoch
        assert final.config == dataclasses.replace(held_config, epochs=chosen, early_stopping=None)
    np.testing.assert_array_equal(model.epochs_run_, [job.config.epochs for job in final_jobs])
    np.testing.assert_array_equal(model.held_back_epochs_, [int(r.epochs_run[0]) for r in held_results])


def test_the_windows_reported_are_those_each_fit_trained_on(monkeypatch):
    """``windows_["held_back"]`` counts the held-back fit's training windows (each series' windows
    whose targets end before its last ``horizon`` values), ``windows_["final"]`` the final fit's,
    counted here from the series' lengths."""
    calls = recording_fit_jobs(monkeypatch)
    frame = panel_frame(n_series=9, seed=4, lengths=(5, 30))
    horizon, max_windows = TINY["horizon"], 12
    model = GlobalLSTM(**TINY, max_windows=max_windows).fit(frame)
    lengths = frame.groupby("unique_id", sort=False).size().to_numpy()
    assert (lengths >= MIN_LENGTH).all()
    # a direct network's window ends `horizon` targets before its cut-off's end; each series' most recent max_windows
    held = int(np.minimum(np.maximum(lengths - 2 * horizon, 0), max_windows).sum())
    final = int(np.minimum(np.maximum(lengths - horizon, 0), max_windows).sum())
    assert model.windows_["held_back"] == held and model.windows_["final"] == final
    assert held != final
    (held_jobs, _), (final_jobs, _) = calls
    assert {len(job.x) for job in held_jobs} == {held} and {len(job.x) for job in final_jobs} == {final}
    assert model.windows_["validation_series"] == int((lengths - horizon >= 1).sum())


def naive_scale(z, season):
    """MASE's scale of one normalised series, written here with NumPy: the mean absolute change
    over a season (over one step when the series is not longer than a season)."""
    lag = season if len(z) > season else 1
    return np.mean(np.abs(z[lag:] - z[:-lag]))


def test_the_mase_loss_weighs_each_series_by_one_over_its_naive_scale(monkeypatch):
    """``loss="mase"`` trains the absolute error with each window weighted by one over its series'
    seasonal-naive scale on the normalised footing (over the values each fit may use: before the
    held-back tail, then all), floored at a tenth of the median scale, the weights scaled to a
    mean of 1; the validation windows are weighted alike. Recomputed here from the windows."""
    calls = recording_fit_jobs(monkeypatch)
    frame = panel_frame(n_series=8, seed=5)
    frame.loc[frame["unique_id"] == "s03", "y"] = 50 + 1e-6 * np.arange((frame["unique_id"] == "s03").sum())
    model = GlobalLSTM(**TINY, loss="mase", season=12).fit(frame)
    (held_jobs, _), (final_jobs, _) = calls
    zs = [normalize(v, s) for v, s in zip(model.panel_.values, model.scalings_)]
    lengths, horizon = model.panel_.lengths, TINY["horizon"]
    per_series = {}
    for fit, jobs, ends in (("held_back", held_jobs, lengths - horizon), ("final", final_jobs, lengths)):
        scales = np.array([naive_scale(z[:end], 12) for z, end in zip(zs, ends)])
        per_series[fit] = 1 / np.maximum(scales, 0.1 * np.median(scales))
        windows = training_windows(zs, TINY["look_back"], horizon, ends, 10_000)
        weights = per_series[fit][windows.series]
        for job in jobs:
            assert job.config.loss == "mae"
            np.testing.assert_allclose(job.sample_weight, weights / weights.mean(), rtol=1e-6)
    assert per_series["final"][3] == pytest.approx(10 / np.median(scales))  # the near-constant series, floored
    # one validation window per series (each is longer than the horizon), weighted as the held-back fit
    tail_weights = per_series["held_back"]
    np.testing.assert_allclose(held_jobs[0].validation_data[3], tail_weights / tail_weights.mean(), rtol=1e-6)


def test_a_loss_ensemble_trains_members_of_each_loss(monkeypatch):
    """``loss=("mae", "mase")`` gives one member per look-back, loss and seed: the "mae" members
    unweighted, the "mase" members weighted; both forecast."""
    calls = recording_fit_jobs(monkeypatch)
    model = GlobalLSTM(**{**TINY, "look_back": [3, 6]}, loss=("mae", "mase")).fit(panel_frame(n_series=6, seed=2))
    (held_jobs, _), _ = calls
    assert model.n_members() == len(held_jobs) == 2 * 2 * TINY["n_seeds"]
    weighted = [job.sample_weight is not None for job in held_jobs]
    assert weighted == [False, False, True, True] * 2  # look-back, then loss, then seed
    assert np.isfinite(model.predict(3)["lstm"]).all()
    with pytest.raises(InvalidInputError, match="loss"):
        GlobalLSTM(**TINY, loss="smape").fit(panel_frame(n_series=3))
    with pytest.raises(InvalidInputError, match="loss"):
        GlobalLSTM(**TINY, loss=()).fit(panel_frame(n_series=3))


# -- one-step forecasts and a panel of one -----------------------------------------------------------
def continuation(frame, points, factor=1.01):
    """``points`` made-up new values after every series of ``frame`` (its last value grown by ``factor``)."""
    rows = []
    for uid, part in frame.groupby("unique_id", sort=False):
        ds = pd.date_range(part["ds"].max(), periods=points + 1, freq="MS")[1:]
        rows.append(
            pd.DataFrame({"unique_id": uid, "ds": ds, "y": part["y"].iloc[-1] * factor ** np.arange(1, points + 1)})
        )
    return pd.concat(rows, ignore_index=True)


def test_one_step_forecasts_use_only_the_values_before_each_point(fitted):
    model, frame = fitted
    new = continuation(frame, 3)
    walked = model.predict_one_step(new)
    assert list(walked.columns) == ["unique_id", "ds", "lstm"]
    pd.testing.assert_frame_equal(walked[["unique_id", "ds"]], new[["unique_id", "ds"]])
    # the first new point of each series is forecast from the training data alone: predict(1)
    first = walked.groupby("unique_id", sort=False).head(1).reset_index(drop=True)
    np.testing.assert_allclose(first["lstm"], model.predict(1)["lstm"], rtol=1e-6)
    # changing the last new value changes no forecast; changing the second changes only the third's
    later = new.copy()
    last = later.groupby("unique_id", sort=False).cumcount() == 2
    later.loc[last, "y"] *= 3.0
    pd.testing.assert_frame_equal(model.predict_one_step(later), walked)
    second = new.groupby("unique_id", sort=False).cumcount() == 1
    changed = new.copy()
    changed.loc[second, "y"] *= 1.5
    again = model.predict_one_step(changed)
    np.testing.assert_array_equal(again.loc[~last.to_numpy(), "lstm"], walked.loc[~last.to_numpy(), "lstm"])
    assert not np.allclose(again.loc[last.to_numpy(), "lstm"], walked.loc[last.to_numpy(), "lstm"])
    members = model.predict_one_step(new, members=True)
    assert [c for c in members.columns if "member" in c] == ["lstm-member-0", "lstm-member-1"]
    with pytest.raises(InvalidInputError, match="continue"):
        model.predict_one_step(new.assign(ds=new["ds"] + pd.DateOffset(months=1)))


def test_one_series_is_a_panel_of_one():
    values = panel_frame(n_series=1, lengths=(36, 37))["y"].to_numpy()
    series = pd.Series(values, index=pd.date_range("2001-01-01", periods=len(values), freq="MS"), name="sales")
    forecast = GlobalLSTM(**TINY).fit(series).predict(3, members=True)
    assert list(forecast.columns) == ["unique_id", "ds", "lstm", "lstm-member-0", "lstm-member-1"]
    assert forecast["unique_id"].tolist() == ["sales"] * 3
    assert list(forecast["ds"]) == list(pd.date_range("2004-01-01", periods=3, freq="MS"))
    as_panel = GlobalLSTM(**TINY).fit(Panel.of_series(series)).predict(3, members=True)
    pd.testing.assert_frame_equal(forecast, as_panel)


def test_a_panel_is_forecast_by_one_copy_fitted_on_all_of_it(fitted):
    """``forecast_panel``, the evaluations' call: one fresh copy fitted on the whole panel, giving
    what fitting and predicting gives."""
    model, frame = fitted
    panel = from_long(frame)
    given = GlobalLSTM(**TINY, patience=2)
    out = given.forecast_panel(panel, 3, levels=[80], keep=True)
    assert not hasattr(given, "panel_") and len(out.fitted) == 1 and out.failed == []
    expected = model.predict(3, level=80, members=True)
    for k, uid in enumerate(panel.ids):
        rows = expected[expected["unique_id"] == uid]
        np.testing.assert_array_equal(out.point[k], rows["lstm"].to_numpy())
        np.testing.assert_array_equal(out.lower[80][k], rows["lstm-lo-80"].to_numpy())
        np.testing.assert_array_equal(out.members[k], rows[["lstm-member-0", "lstm-member-1"]].to_numpy().T)
