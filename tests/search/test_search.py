"""lstmcast.search: rolling-origin folds, and searches whose scores recompute from separate fits."""

import sys

import numpy as np
import pandas as pd
import pytest

from lstmcast.cli import main
from lstmcast.errors import InvalidInputError
from lstmcast.forecast import LSTMForecaster, Persistence, SeasonalNaive, clone
from lstmcast.search import RollingOrigin, grid_search, random_search

PERIOD = 4
Y = (
    50
    + 10 * np.sin(2 * np.pi * np.arange(40) / PERIOD)
    + np.random.default_rng(3).normal(0, 1, 40)
    + np.arange(40) * 0.3
)


# -- folds ------------------------------------------------------------------------------------------
def test_expanding_folds_end_with_the_data_and_train_on_the_past_only():
    folds = RollingOrigin(3, 4).folds(40)
    assert [(f.train_start, f.train_end, f.test_start, f.test_end) for f in folds] == [
        (0, 28, 28, 32),
        (0, 32, 32, 36),
        (0, 36, 36, 40),
    ]


def test_sliding_folds_and_a_gap():
    folds = RollingOrigin(2, 5, window="sliding", train_size=10, gap=2).folds(40)
    assert [(f.train_start, f.train_end, f.test_start, f.test_end) for f in folds] == [
        (18, 28, 30, 35),
        (23, 33, 35, 40),
    ]


def test_the_default_fold_size_is_a_season():
    assert [f.test_end - f.test_start for f in RollingOrigin().folds(60, season=12)] == [12, 12, 12]


@pytest.mark.parametrize(
    "kwargs", [{"n_folds": 0}, {"size": 2.5}, {"window": "growing"}, {"gap": -1}, {"train_size": 5}]
)
def test_bad_folds(kwargs):
    with pytest.raises(InvalidInputError):
        RollingOrigin(**kwargs)
    with pytest.raises(InvalidInputError, match="too few"):
        RollingOrigin(5, 10).folds(40)


# -- scores recompute by hand -----------------------------------------------------------------------
def by_hand(season, fold):
    """One-step seasonal naive forecasts of the fold's points, RMSE."""
    points = np.arange(fold.test_start, fold.test_end)
    return np.sqrt(np.mean((Y[points] - Y[points - season]) ** 2))


def test_grid_search_scores_are_the_folds_scores():
    cv = RollingOrigin(3, 4)
    result = grid_search(SeasonalNaive(), {"season": [1, 2, PERIOD]}, Y, cv=cv, verbose=0)
    folds = cv.folds(len(Y))
    for row in result.table.to_dict("records"):
        expected = [by_hand(row["season"], fold) for fold in folds]
        assert row["score_mean"] == pytest.approx(np.mean(expected), rel=1e-12)
        assert row["score_std"] == pytest.approx(np.std(expected, ddof=1), rel=1e-12)
    assert result.best_params == {"season": PERIOD} and result.table.loc[2, "rank"] == 1
    assert result.best_estimator.season == PERIOD and np.array_equal(result.best_estimator.y_, Y)
    assert list(result.table.columns) == ["season", "score_mean", "score_std", "seconds", "rank"]
    assert result.configurations[0]["params"] == {"season": 1}


def test_multi_step_mode_and_mase():
    cv = RollingOrigin(2, 6, gap=1)
    result = grid_search(
        Persistence(), {"alias": ["a"]}, Y, cv=cv, mode="multi_step", metric="mase", season=PERIOD, verbose=0
    )
    expected = []
    for fold in cv.folds(len(Y)):
        truth, last, train = (
            Y[fold.test_start : fold.test_end],
            Y[fold.train_end - 1],
            Y[fold.train_start : fold.train_end],
        )
        scale = np.mean(np.abs(train[PERIOD:] - train[:-PERIOD]))
        expected.append(np.mean(np.abs(truth - last)) / scale)
    assert result.table["score_mean"][0] == pytest.approx(np.mean(expected), rel=1e-12)


def test_lstm_search_equals_separate_fits():
    """The configurations and folds train together; each equals its own fit to float rounding."""
    base = LSTMForecaster(look_back=PERIOD, units=2, epochs=3, batch_size=4, scale="standard", n_models=2)
    cv = RollingOrigin(2, 4)
    result = grid_search(base, {"units": [2, 3], "learning_rate": [0.01, 0.003]}, Y, cv=cv, refit=False, verbose=0)
    for row, scores in zip(result.configurations, result.scores):
        for f, fold in enumerate(cv.folds(len(Y))):
            model = clone(base).set_params(**row["params"]).fit(Y[: fold.train_end])
            members = model.predict_one_step(Y[fold.train_end : fold.test_end], members=True)
            expected = np.sqrt(np.mean((members - Y[fold.test_start : fold.test_end]) ** 2, axis=1))
            np.testing.assert_allclose(scores[f], expected, rtol=1e-4)
    assert result.best_estimator is None


def test_random_search_is_reproducible_and_draws_from_each_kind():
    distributions = {"season": [1, 2, 4], "alias": lambda rng: f"s{int(rng.integers(10))}"}
    a = random_search(SeasonalNaive(), distributions, Y, n_iter=5, seed=3, cv=RollingOrigin(2, 4), verbose=0)
    b = random_search(SeasonalNaive(), distributions, Y, n_iter=5, seed=3, cv=RollingOrigin(2, 4), verbose=0)
    assert len(a.table) == 5 and a.table.drop(columns="seconds").equals(b.table.drop(columns="seconds"))
    assert set(a.table["season"]) <= {1, 2, 4} and all(alias.startswith("s") for alias in a.table["alias"])


def test_rows_are_reported_as_they_are_scored():
    seen = []
    grid_search(SeasonalNaive(), {"season": [1, 2]}, Y, cv=RollingOrigin(2, 4), on_row=seen.append, verbose=0)
    assert [row["season"] for row in seen] == [1, 2]


@pytest.mark.parametrize(
    "call",
    [
        lambda: grid_search(SeasonalNaive(), {"sesaon": [1]}, Y, verbose=0),
        lambda: grid_search(SeasonalNaive(), {"season": []}, Y, verbose=0),
        lambda: grid_search(SeasonalNaive(), {"season": [1]}, Y, metric="r2", verbose=0),
        lambda: grid_search(SeasonalNaive(), {"season": [1]}, Y, mode="both", verbose=0),
        lambda: grid_search("model", {"season": [1]}, Y, verbose=0),
        lambda: grid_search(SeasonalNaive(), {"season": [1]}, Y, cv=3, verbose=0),
        lambda: random_search(SeasonalNaive(), {"season": 3}, Y, verbose=0),
        lambda: random_search(SeasonalNaive(), {"season": [1]}, Y, n_iter=0, verbose=0),
    ],
)
def test_bad_searches_raise_named_errors(call):
    with pytest.raises(InvalidInputError):
        call()


# -- the command line -------------------------------------------------------------------------------
def test_cli_search_writes_the_table(tmp_path, monkeypatch, capsys):
    data, output = tmp_path / "sales.csv", tmp_path / "table.csv"
    months = pd.date_range("2000-01-01", periods=60, freq="MS").strftime("%Y-%m")
    values = 100 + 10 * np.sin(2 * np.pi * np.arange(60) / 12) + np.arange(60)
    pd.DataFrame({"month": months, "sales": values.round(2)}).to_csv(data, index=False)
    args = [
        "lstmcast",
        "search",
        data,
        "--grid",
        "units=2,3",
        "--grid",
        "learning-rate=0.01",
        "--epochs",
        2,
        "--seeds",
        2,
        "--folds",
        2,
        "--output",
        output,
    ]
    monkeypatch.setattr(sys, "argv", list(map(str, args)))
    main()  # returns on success; errors exit with status 2
    table = pd.read_csv(output)
    assert list(table["units"]) == [2, 3] and set(table["rank"]) <= {1, 2} and "best: units=" in capsys.readouterr().out
    monkeypatch.setattr(
        sys, "argv", list(map(str, ["lstmcast", "search", data, "--grid", "units", "--output", tmp_path / "x.csv"]))
    )
    with pytest.raises(SystemExit) as exit:
        main()
    err = capsys.readouterr().err
    assert exit.value.code == 2 and err.count("\n") == 1 and "--grid" in err
