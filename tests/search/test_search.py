"""lstmcast.search: rolling-origin folds, and searches whose scores recompute from separate fits."""

import sys

import numpy as np
import pandas as pd
import pytest

from lstmcast.cli import main
from lstmcast.errors import InvalidInputError
from lstmcast.forecast import LocalLSTM, Persistence, SeasonalNaive, clone
from lstmcast.search import RollingOrigin, grid_search, random_search

PERIOD = 4
Y = (
    50
    + 10 * np.sin(2 * np.pi * np.arange(40) / PERIOD)
    + np.random.default_rng(3).normal(0, 1, 40)
    + np.arange(40) * 0.3
)


# -- folds ------------------------------------------------------------------------------------------
# (RollingOrigin itself is tested in tests/evaluate/test_splits.py: evaluations and searches share it)
def test_the_default_cv_is_three_windows_of_a_season_at_the_end():
    result = grid_search(SeasonalNaive(), {"season": [1]}, Y, season=PERIOD, verbose=0)
    # one season (4 values) each, side by side, the last ending with the 40 values
    assert [(f.train_start, f.train_end, f.test_start, f.test_end) for f in result.folds] == [
        (0, 28, 28, 32),
        (0, 32, 32, 36),
        (0, 36, 36, 40),
    ]
    assert result.folds == RollingOrigin(n_windows=3).folds(len(Y), season=PERIOD)


# -- scores recompute by hand -----------------------------------------------------------------------
def by_hand(season, fold):
    """One-step seasonal naive forecasts of the fold's points, RMSE."""
    points = np.arange(fold.test_start, fold.test_end)
    return np.sqrt(np.mean((Y[points] - Y[points - season]) ** 2))


def test_grid_search_scores_are_the_folds_scores():
    cv = RollingOrigin(horizon=4, n_windows=3)
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
    cv = RollingOrigin(horizon=6, n_windows=2, gap=1)
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
    base = LocalLSTM(look_back=PERIOD, units=2, epochs=3, batch_size=4, scale="standard", n_seeds=2)
    cv = RollingOrigin(horizon=4, n_windows=2)
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
    a = random_search(
        SeasonalNaive(), distributions, Y, n_iter=5, seed=3, cv=RollingOrigin(horizon=4, n_windows=2), verbose=0
    )
    b = random_search(
        SeasonalNaive(), distributions, Y, n_iter=5, seed=3, cv=RollingOrigin(horizon=4, n_windows=2), verbose=0
    )
    assert len(a.table) == 5 and a.table.drop(columns="seconds").equals(b.table.drop(columns="seconds"))
    assert set(a.table["season"]) <= {1, 2, 4} and all(alias.startswith("s") for alias in a.table["alias"])


def test_rows_are_reported_as_they_are_scored():
    seen = []
    grid_search(
        SeasonalNaive(), {"season": [1, 2]}, Y, cv=RollingOrigin(horizon=4, n_windows=2), on_row=seen.append, verbose=0
    )
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
        "--n-seeds",
        2,
        "--windows",
        2,
        "--output",
        output,
    ]
    monkeypatch.setattr(sys, "argv", list(map(str, args)))
    main()  # returns on success; errors exit with status 2
    table = pd.read_csv(output)
    assert list(table["units"]) == [2, 3] and set(table["rank"]) <= {1, 2}
    best = int(table.loc[table["rank"] == 1, "units"].iloc[0])
    out = capsys.readouterr().out
    assert "best:" in out and f"'units': {best}" in out
    monkeypatch.setattr(
        sys, "argv", list(map(str, ["lstmcast", "search", data, "--grid", "units", "--output", tmp_path / "x.csv"]))
    )
    with pytest.raises(SystemExit) as exit:
        main()
    err = capsys.readouterr().err
    assert exit.value.code == 2 and err.count("\n") == 1 and "--grid" in err
