"""Ensemble: the combination of any forecasters, checked against the models fitted alone and a
plain-NumPy MASE, weights and conformal quantile computed here."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import Panel
from lstmcast.errors import InvalidInputError, LstmcastError
from lstmcast.forecast import Ensemble, GlobalLSTM, Naive2, Persistence, SeasonalNaive, recommended_ensemble

H, SEASON = 4, 4


def make_panel(n_series: int = 6) -> Panel:
    rng = np.random.default_rng(3)
    ids, values, index = [], [], []
    for k in range(n_series):
        n = 20 + 3 * k
        t = np.arange(n)
        values.append(50 + 2 * k + 0.4 * t + 6 * np.sin(2 * np.pi * t / SEASON) + rng.normal(0, 1.0, n))
        ids.append(f"s{k}")
        index.append(pd.RangeIndex(n))
    return Panel(tuple(ids), tuple(values), tuple(index))


PANEL = make_panel()
MODELS = [Persistence(), SeasonalNaive(season=SEASON), Naive2(season=SEASON)]


def alone(model, values: np.ndarray, horizon: int = H) -> np.ndarray:
    return model.fit(values).predict(horizon)


def mase_here(truth: np.ndarray, forecast: np.ndarray, train: np.ndarray) -> float:
    scale = np.mean(np.abs(train[SEASON:] - train[:-SEASON]))
    return float(np.mean(np.abs(truth - forecast)) / scale)


@pytest.mark.parametrize("combine, reduce", [("median", np.median), ("mean", np.mean)])
def test_the_combination_is_the_models_fitted_alone_combined(combine, reduce):
    fitted = Ensemble(horizon=H, models=MODELS, combine=combine, season=SEASON).fit(PANEL)
    frame = fitted.predict(H)
    assert list(frame.columns) == ["unique_id", "ds", "ensemble", "persistence", "seasonal_naive", "naive2"]
    for uid, values in zip(PANEL.ids, PANEL.values):
        rows = frame[frame["unique_id"] == uid]
        each = np.stack([alone(type(m)(**m.get_params()), values) for m in MODELS])
        np.testing.assert_allclose(rows["ensemble"].to_numpy(), reduce(each, axis=0), rtol=1e-12)
        for model, forecast in zip(MODELS, each):
            np.testing.assert_allclose(rows[model.alias].to_numpy(), forecast, rtol=1e-12)
        np.testing.assert_array_equal(rows["ds"].to_numpy(), np.arange(len(values), len(values) + H))


def test_weights_are_the_inverse_held_back_mase_computed_here():
    fitted = Ensemble(horizon=H, models=MODELS, combine="weights", season=SEASON).fit(PANEL)
    errors = np.array(
        [
            np.mean([mase_here(v[-H:], alone(type(m)(**m.get_params()), v[:-H]), v[:-H]) for v in PANEL.values])
            for m in MODELS
        ]
    )
    np.testing.assert_allclose(fitted.held_back_errors_, errors, rtol=1e-12)
    expected = (1 / errors) / np.sum(1 / errors)
    np.testing.assert_allclose(fitted.weights_, expected, rtol=1e-12)
    frame = fitted.predict(H)
    for uid, values in zip(PANEL.ids, PANEL.values):
        each = np.stack([alone(type(m)(**m.get_params()), values) for m in MODELS])
        np.testing.assert_allclose(
            frame.loc[frame["unique_id"] == uid, "ensemble"].to_numpy(), expected @ each, rtol=1e-12
        )


def test_intervals_are_the_conformal_quantile_of_scaled_held_back_errors():
    panel = make_panel(12)
    level = 80
    fitted = Ensemble(horizon=H, models=MODELS, season=SEASON, windows=2).fit(panel)
    scores = []
    for back in range(2):  # the held-back origins, one value apart
        for v in panel.values:
            train, truth = v[: len(v) - back - H], v[len(v) - back - H : len(v) - back]
            combined = np.median(np.stack([alone(type(m)(**m.get_params()), train) for m in MODELS]), axis=0)
            scores.append(np.abs(combined - truth) / np.mean(np.abs(train[SEASON:] - train[:-SEASON])))
    scores = np.sort(np.array(scores), axis=0)
    q = scores[math.ceil((len(scores) + 1) * level / 100) - 1]
    frame = fitted.predict(H, level=level)
    for uid, v in zip(panel.ids, panel.values):
        rows = frame[frame["unique_id"] == uid]
        half = q * np.mean(np.abs(v[SEASON:] - v[:-SEASON]))
        np.testing.assert_allclose(rows["ensemble-lo-80"].to_numpy(), rows["ensemble"].to_numpy() - half, rtol=1e-12)
        np.testing.assert_allclose(rows["ensemble-hi-80"].to_numpy(), rows["ensemble"].to_numpy() + half, rtol=1e-12)


def test_a_model_that_cannot_forecast_a_series_is_left_out_of_its_combination():
    short = Panel(("long", "short"), (PANEL.values[5], PANEL.values[0][:7]), (pd.RangeIndex(35), pd.RangeIndex(7)))
    models = [Persistence(), SeasonalNaive(season=10, alias="yearly")]  # 7 values: no season of 10
    frame = Ensemble(horizon=H, models=models, combine="mean", season=SEASON).fit(short).predict(H)
    rows = frame[frame["unique_id"] == "short"]
    assert rows["yearly"].isna().all()
    np.testing.assert_array_equal(rows["ensemble"].to_numpy(), rows["persistence"].to_numpy())


def test_one_step_forecasts_combine_the_models_one_step_forecasts():
    values = PANEL.values[3]
    train, new = values[:-6], values[-6:]
    fitted = Ensemble(horizon=H, models=MODELS, combine="mean", season=SEASON).fit(train)
    got = fitted.predict_one_step(
        pd.DataFrame({"unique_id": "series", "ds": np.arange(len(train), len(values)), "y": new})
    )
    each = np.stack([type(m)(**m.get_params()).fit(train).predict_one_step(new) for m in MODELS])
    np.testing.assert_allclose(got["ensemble"].to_numpy(), each.mean(axis=0), rtol=1e-12)


def test_the_global_lstm_gives_its_own_held_back_forecasts():
    """Fitted on a panel, GlobalLSTM's held-back forecasts are those its held-back fit made (their
    errors are its calibration scores); for any other panel it fits a copy on the cut series."""
    lstm = GlobalLSTM(horizon=H, look_back=4, units=3, epochs=2, n_seeds=1, season=SEASON).fit(PANEL)
    own = lstm.held_back_forecasts(PANEL, H)
    assert own is lstm.held_back_
    assert np.isfinite(own).all()
    other = lstm.held_back_forecasts(make_panel(), H)  # equal values, another panel: a fit of its own
    assert other.shape == own.shape and np.isfinite(other).all()


@pytest.mark.parametrize(
    "params, says",
    [
        (dict(models=[Persistence(), Persistence()]), "own alias"),
        (dict(models=[Persistence(alias="ensemble")]), "own alias"),
        (dict(models=[]), "list of lstmcast forecasters"),
        (dict(models=["persistence"]), "list of lstmcast forecasters"),
        (dict(models=[Ensemble(horizon=H, models=MODELS)]), "not other ensembles"),
        (dict(combine="vote"), "combine"),
        (dict(windows=0), "windows"),
        (dict(horizon=None), "give horizon"),
        (dict(horizon=40), "shorter horizon"),
    ],
)
def test_bad_settings_are_refused_by_name(params, says):
    with pytest.raises(LstmcastError, match=says):
        Ensemble(**{"horizon": H, "models": MODELS, "season": SEASON, **params}).fit(PANEL)


def test_predict_refuses_what_it_cannot_give():
    fitted = Ensemble(horizon=H, models=MODELS, season=SEASON).fit(PANEL)
    with pytest.raises(InvalidInputError, match="members are its models"):
        fitted.predict(H, members=True)
    with pytest.raises(InvalidInputError, match="refit with horizon"):
        fitted.predict(H + 1)
    with pytest.raises(InvalidInputError, match="calibration forecasts"):
        fitted.predict(H, level=95)  # 6 held-back forecasts: too few for 95%
    with pytest.raises(InvalidInputError, match="held-back forecasts"):
        fitted.check_levels(PANEL, 95)


def test_the_recommended_ensemble_has_origins_enough_for_its_intervals():
    one = recommended_ensemble(Persistence(alias="lstm"), PANEL.values[0], season=SEASON, horizon=H, levels=[80, 95])
    assert one.windows == 19 and [m.alias for m in one.members(SEASON)] == ["lstm", "auto_ets", "auto_ces"]
    many = recommended_ensemble(Persistence(alias="lstm"), PANEL, season=SEASON, horizon=H, levels=[95])
    assert many.windows == math.ceil(19 / len(PANEL))


def test_a_model_that_fails_on_every_held_back_part_leaves_weights_impossible_not_the_median():
    short = Panel(("a",), (PANEL.values[0][:9],), (pd.RangeIndex(9),))
    models = [Persistence(), SeasonalNaive(season=8, alias="yearly")]  # 5 values held back from: no season of 8
    fitted = Ensemble(horizon=H, models=models, season=1).fit(short)
    assert np.isnan(fitted.held_back_errors_).all()
    np.testing.assert_array_equal(
        fitted.predict(H)["ensemble"], np.nanmedian(np.stack([[short.values[0][-1]] * H, short.values[0][1:5]]), axis=0)
    )
    with pytest.raises(InvalidInputError, match="cannot be compared for weights"):
        Ensemble(horizon=H, models=models, season=1, combine="weights").fit(short)
