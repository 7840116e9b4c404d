"""``lstmcast forecast`` on long-format files, intervals for one series, and
``lstmcast cross-validate``, as a user meets them."""

import numpy as np
import pandas as pd

from tests.cli.test_cli import run_cli

FAST = ["--epochs", 2, "--n-seeds", 2, "--units", 4]


def long_csv(path, n_series=12, seed=0, id_col="unique_id", date_col="ds", value_col="y", short=False):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_series):
        n = int(rng.integers(20, 40))
        y = (10 + i) * np.exp(np.cumsum(rng.normal(0.01, 0.05, n)))
        rows.append(
            pd.DataFrame(
                {
                    id_col: f"s{i}",
                    date_col: pd.date_range("2000-01-01", periods=n, freq="MS").strftime("%Y-%m-%d"),
                    value_col: y.round(4),
                }
            )
        )
    if short:
        rows.append(pd.DataFrame({id_col: "tiny", date_col: ["2000-01-01", "2000-02-01"], value_col: [3.0, 4.0]}))
    frame = pd.concat(rows, ignore_index=True)
    frame.sample(frac=1.0, random_state=1).to_csv(path, index=False)  # rows in any order
    return frame


def test_forecast_a_long_file_with_intervals(monkeypatch, capsys, tmp_path):
    long_csv(tmp_path / "few.csv", n_series=12)
    code, _, err = run_cli(
        monkeypatch,
        capsys,
        "forecast",
        tmp_path / "few.csv",
        "--horizon",
        3,
        "--level",
        95,
        "--output",
        tmp_path / "x.csv",
        *FAST,
    )
    assert code == 2 and "at least 19 held-back forecasts" in err  # refused before any training
    frame = long_csv(tmp_path / "panel.csv", n_series=24, short=True)
    output = tmp_path / "fc.csv"
    code, out, err = run_cli(
        monkeypatch,
        capsys,
        "forecast",
        tmp_path / "panel.csv",
        "--horizon",
        3,
        "--level",
        80,
        "--level",
        95,
        "--output",
        output,
        *FAST,
    )
    assert code == 0, err
    forecast = pd.read_csv(output, parse_dates=["ds"])
    assert list(forecast.columns) == ["unique_id", "ds", "lstm", "lstm-lo-80", "lstm-hi-80", "lstm-lo-95", "lstm-hi-95"]
    for uid, part in forecast.groupby("unique_id"):
        last = pd.to_datetime(frame.loc[frame["unique_id"] == uid, "ds"]).max()
        assert list(part["ds"]) == list(pd.date_range(last, periods=4, freq="MS")[1:])
    assert forecast.query("unique_id != 'tiny'")[["lstm-lo-95", "lstm-hi-95"]].notna().all().all()
    assert "25 series" in out and "1 series too short" in " ".join(out.split()) and "tiny" in out


def test_custom_column_names(monkeypatch, capsys, tmp_path):
    long_csv(tmp_path / "sales.csv", id_col="store", date_col="month", value_col="sales")
    output = tmp_path / "fc.csv"
    code, _, err = run_cli(
        monkeypatch,
        capsys,
        "forecast",
        tmp_path / "sales.csv",
        "--id-col",
        "store",
        "--date-col",
        "month",
        "--value-col",
        "sales",
        "--horizon",
        2,
        "--output",
        output,
        *FAST,
    )
    assert code == 0, err
    assert len(pd.read_csv(output)) == 12 * 2


def test_one_series_gets_conformal_intervals_and_the_spread_only_on_request(monkeypatch, capsys, tmp_path):
    months = pd.date_range("2000-01-01", periods=72, freq="MS")
    values = (
        100 + np.arange(72) + 10 * np.sin(2 * np.pi * np.arange(72) / 12) + np.random.default_rng(0).normal(0, 1, 72)
    )
    pd.DataFrame({"month": months.strftime("%Y-%m"), "sales": values.round(2)}).to_csv(
        tmp_path / "one.csv", index=False
    )
    code, _, err = run_cli(
        monkeypatch,
        capsys,
        "forecast",
        tmp_path / "one.csv",
        "--horizon",
        4,
        "--level",
        80,
        "--output",
        tmp_path / "a.csv",
        *FAST,
    )
    assert code == 0, err
    a = pd.read_csv(tmp_path / "a.csv")
    assert list(a.columns) == ["ds", "lstm", "lstm-lo-80", "lstm-hi-80"]
    assert np.all(a["lstm-lo-80"] < a["lstm"]) and np.all(a["lstm"] < a["lstm-hi-80"])
    code, _, err = run_cli(
        monkeypatch,
        capsys,
        "forecast",
        tmp_path / "one.csv",
        "--horizon",
        4,
        "--spread",
        "--output",
        tmp_path / "b.csv",
        *FAST,
    )
    assert code == 0, err
    assert list(pd.read_csv(tmp_path / "b.csv").columns) == ["ds", "lstm", "lstm-min", "lstm-max"]


def test_cross_validate_prints_the_table_and_writes_scores(monkeypatch, capsys, tmp_path):
    long_csv(tmp_path / "panel.csv")
    scores = tmp_path / "scores.csv"
    code, out, err = run_cli(
        monkeypatch,
        capsys,
        "cross-validate",
        tmp_path / "panel.csv",
        "--horizon",
        3,
        "--windows",
        2,
        "--season",
        1,
        "--output",
        scores,
        *FAST,
    )
    assert code == 0, err
    for name in ("lstm", "naive2", "auto_ets", "auto_theta", "OWA", "sMAPE"):
        assert name in out
    table = pd.read_csv(scores)
    assert set(table["model"]) == {"lstm", "naive2", "seasonal_naive", "auto_ets", "auto_theta"}
    assert len(table) == 5 * 12 * 2


def test_a_duplicated_row_is_one_line_naming_the_series(monkeypatch, capsys, tmp_path):
    frame = long_csv(tmp_path / "panel.csv")
    pd.concat([frame, frame.iloc[[5]]]).to_csv(tmp_path / "dup.csv", index=False)
    code, _, err = run_cli(
        monkeypatch, capsys, "forecast", tmp_path / "dup.csv", "--horizon", 2, "--output", tmp_path / "fc.csv"
    )
    assert code == 2 and err.count("\n") == 1 and frame.iloc[5]["unique_id"] in err
    assert not (tmp_path / "fc.csv").exists()
    code, _, err = run_cli(
        monkeypatch,
        capsys,
        "forecast",
        tmp_path / "panel.csv",
        "--horizon",
        2,
        "--output",
        tmp_path / "x.csv",
        "--plot",
        tmp_path / "p.png",
    )
    assert code == 2 and "--plot" in err  # the plot is for one series only


def test_forecast_with_the_ensemble_for_a_long_file_and_one_series(monkeypatch, capsys, tmp_path):
    """``--ensemble`` adds the combination beside the LSTM and its models, for a long file and for
    one series (whose 95% interval needs 19 held-back origins: the ensemble takes them)."""
    long_csv(tmp_path / "panel.csv", n_series=20)
    output = tmp_path / "fc.csv"
    code, out, err = run_cli(
        monkeypatch, capsys, "forecast", tmp_path / "panel.csv", "--horizon", 3, "--level", 95,
        "--ensemble", "--output", output, *FAST,
    )  # fmt: skip
    assert code == 0, err
    forecast = pd.read_csv(output)
    assert list(forecast.columns) == [
        "unique_id", "ds", "ensemble", "ensemble-lo-95", "ensemble-hi-95", "lstm", "auto_ets", "auto_ces",
    ]  # fmt: skip
    models = forecast[["lstm", "auto_ets", "auto_ces"]].to_numpy()
    np.testing.assert_allclose(
        forecast["ensemble"], np.nanmedian(models, axis=1), rtol=1e-12
    )  # AutoETS: NaN on short series
    assert (forecast["ensemble-lo-95"] < forecast["ensemble"]).all() and "median of lstm" in out

    one = pd.read_csv(tmp_path / "panel.csv").query("unique_id == 's0'").sort_values("ds")[["ds", "y"]]
    one.to_csv(tmp_path / "one.csv", index=False)
    code, out, err = run_cli(
        monkeypatch, capsys, "forecast", tmp_path / "one.csv", "--horizon", 3, "--level", 95, "--ensemble",
        "--output", tmp_path / "one_fc.csv", *FAST,
    )  # fmt: skip
    assert code == 0, err
    forecast = pd.read_csv(tmp_path / "one_fc.csv")
    assert list(forecast.columns) == [
        "ds", "ensemble", "ensemble-lo-95", "ensemble-hi-95", "lstm", "auto_ets", "auto_ces",
    ]  # fmt: skip
    assert forecast.notna().all().all()
