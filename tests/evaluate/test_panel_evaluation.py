"""Panel evaluations: holdout and rolling origin over many series, the M competitions' metrics
checked against the formulas computed here (MASE per series and cut-off, scaled by the data before
that cut-off), failures counted, intervals' coverage; and one series is a panel of one: a backtest
and a cross-validation of it give the same tables."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import Panel, from_long
from lstmcast.errors import InvalidInputError
from lstmcast.evaluate import backtest, cross_validate, holdout
from lstmcast.forecast import AutoETS, GlobalLSTM, LocalLSTM, Naive2, Persistence, SeasonalNaive


def frame(n_series=8, lengths=(30, 50), seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_series):
        n = int(rng.integers(*lengths))
        t = np.arange(n)
        y = (10 + i) * np.exp(np.cumsum(rng.normal(0.01, 0.05, n))) * (1 + 0.2 * np.sin(2 * np.pi * t / 4))
        rows.append(pd.DataFrame({"unique_id": f"s{i}", "ds": np.arange(1, n + 1), "y": y}))
    return pd.concat(rows, ignore_index=True)


def split(panel: Panel, h: int):
    head = panel.cut(-h)
    tail = Panel(panel.ids, tuple(v[-h:] for v in panel.values), tuple(i[-h:] for i in panel.index))
    return head, tail


def smape(y, f):
    return np.mean(200 * np.abs(y - f) / (np.abs(y) + np.abs(f)))


def test_holdout_scores_are_the_competition_formulas():
    panel = from_long(frame())
    train, test = split(panel, 4)
    result = holdout([SeasonalNaive(season=4), Naive2(season=4)], train, test, season=4)
    expected = {"seasonal_naive": [], "naive2": []}
    for values, truth in zip(train.values, test.values):
        scale = np.mean(np.abs(values[4:] - values[:-4]))
        for alias, model in (("seasonal_naive", SeasonalNaive(season=4)), ("naive2", Naive2(season=4))):
            forecast = model.fit(values).predict(4)
            expected[alias].append((smape(truth, forecast), np.mean(np.abs(truth - forecast)) / scale))
    table = result.table()
    for alias, pairs in expected.items():
        assert table.loc[alias, "smape"] == pytest.approx(np.mean([p[0] for p in pairs]))
        assert table.loc[alias, "mase"] == pytest.approx(np.mean([p[1] for p in pairs]))
    sm = np.mean([p[0] for p in expected["seasonal_naive"]]) / np.mean([p[0] for p in expected["naive2"]])
    ma = np.mean([p[1] for p in expected["seasonal_naive"]]) / np.mean([p[1] for p in expected["naive2"]])
    assert table.loc["seasonal_naive", "owa"] == pytest.approx((sm + ma) / 2)
    assert table.loc["naive2", "owa"] == pytest.approx(1.0)
    merged = result.forecasts
    assert len(merged) == 4 * len(panel) and np.array_equal(merged["y"].to_numpy(), np.concatenate(test.values))


def test_rolling_origin_cutoffs_and_truth():
    panel = from_long(frame(n_series=5))
    result = cross_validate([Naive2(season=4)], panel, horizon=3, n_windows=2, season=4)
    forecasts = result.forecasts
    assert len(forecasts) == 5 * 2 * 3
    for uid, values in zip(panel.ids, panel.values):
        rows = forecasts[forecasts["unique_id"] == uid]
        n = len(values)
        assert sorted(rows["cutoff"].unique()) == [n - 6, n - 3]
        first = rows[rows["cutoff"] == n - 6]
        np.testing.assert_array_equal(first["y"], values[n - 6 : n - 3])
        np.testing.assert_allclose(first["naive2"], Naive2(season=4).fit(values[: n - 6]).predict(3))


def test_a_baseline_that_cannot_fit_a_series_is_counted_not_hidden():
    short = pd.DataFrame({"unique_id": "short", "ds": np.arange(1, 13), "y": np.linspace(5, 9, 12)})
    panel = from_long(pd.concat([frame(n_series=3), short]))
    train, test = split(panel, 4)
    result = holdout([AutoETS(season=12), Naive2(season=12)], train, test, season=12)
    assert result.failed["auto_ets"] == ["short"] and result.failed["naive2"] == []
    assert result.table().loc["auto_ets", "failed"] == 1
    assert result.forecasts.query("unique_id == 'short'")["auto_ets"].isna().all()


def test_the_lstm_is_fitted_once_per_cutoff_with_intervals():
    panel = from_long(frame(n_series=30, seed=1))
    lstm = GlobalLSTM(look_back=8, units=4, epochs=2, n_seeds=2, horizon=3)
    result = cross_validate([lstm, Naive2(season=4)], panel, horizon=3, n_windows=2, season=4, level=[80])
    forecasts = result.forecasts
    inside = (forecasts["y"] >= forecasts["lstm-lo-80"]) & (forecasts["y"] <= forecasts["lstm-hi-80"])
    assert result.table().loc["lstm", "coverage_80"] == pytest.approx(inside.mean())
    assert result.coverage("naive2", 80) is None
    assert not hasattr(lstm, "panel_")  # the given model is left unfitted: copies are fitted


def test_panels_that_do_not_match_are_refused():
    panel = from_long(frame(n_series=3))
    train, test = split(panel, 4)
    with pytest.raises(InvalidInputError):
        holdout([Naive2()], train, test.select(test.ids[:2]))
    with pytest.raises(InvalidInputError):
        cross_validate([Naive2()], panel, horizon=40, n_windows=2)


# -- MASE per cut-off ---------------------------------------------------------------------------------
def numpy_mase(truth, forecast, before, season):
    """MASE by hand: the mean absolute error over the in-sample mean absolute error of the seasonal
    naive forecast on the values before the cut-off (lag 1 when they are not longer than a season)."""
    lag = season if len(before) > season else 1
    return np.mean(np.abs(truth - forecast)) / np.mean(np.abs(before[lag:] - before[:-lag]))


def test_mase_is_scaled_by_the_data_before_each_cutoff():
    """Every (series, cut-off) is scaled by that series' values before that cut-off, the table's
    MASE is the mean of those; a series with no more than a season before a cut-off is scaled by
    its lag-1 changes."""
    short = pd.DataFrame({"unique_id": "short", "ds": np.arange(1, 17), "y": 5 + np.cos(np.arange(16.0))})
    panel = from_long(pd.concat([frame(n_series=4, seed=2), short]))
    season, horizon, n_windows = 12, 3, 2
    result = cross_validate(
        [Persistence(), Naive2(season=season)], panel, horizon=horizon, n_windows=n_windows, season=season
    )
    for alias, model in (("persistence", Persistence()), ("naive2", Naive2(season=season))):
        expected = []
        for uid, values in zip(panel.ids, panel.values):
            for k in range(n_windows):
                cut = len(values) - (n_windows - k) * horizon
                truth, before = values[cut : cut + horizon], values[:cut]
                value = numpy_mase(truth, model.fit(before).predict(horizon), before, season)
                (row,) = result.scores.query("model == @alias and unique_id == @uid and cutoff == @cut").to_dict(
                    "records"
                )
                assert row["mase"] == pytest.approx(value, rel=1e-12), (alias, uid, cut)
                expected.append(value)
        assert len(expected) == len(panel) * n_windows
        assert result.table().loc[alias, "mase"] == pytest.approx(np.mean(expected), rel=1e-12)
    # the short series' first cut-off leaves 10 values (< a season): lag 1, which differs from lag 12's scale
    assert len(short) - n_windows * horizon <= season


# -- one series: a panel of one ------------------------------------------------------------------------
def test_backtest_and_cross_validation_of_one_series_agree():
    series = pd.Series(from_long(frame(n_series=1, lengths=(48, 49))).values[0], name="s0")
    series.index = pd.date_range("2001-01-01", periods=len(series), freq="MS")

    def models():
        lstm = LocalLSTM(look_back=4, units=3, epochs=2, batch_size=8, scale="standard", n_seeds=2)
        return [lstm, Naive2(season=4), SeasonalNaive(season=4)]

    stepped = backtest(models(), series, horizon=4, n_windows=3, season=4, baselines=())
    crossed = cross_validate(models(), Panel.of_series(series), horizon=4, n_windows=3, season=4)
    assert stepped.aliases == crossed.aliases == ["lstm", "naive2", "seasonal_naive"]
    columns = ["smape", "mase", "owa"]
    pd.testing.assert_frame_equal(stepped.table()[columns], crossed.table()[columns])
    pd.testing.assert_frame_equal(stepped.scores, crossed.scores)
    pd.testing.assert_frame_equal(stepped.forecasts, crossed.forecasts)
    assert stepped.forecasts["cutoff"].nunique() == 3
