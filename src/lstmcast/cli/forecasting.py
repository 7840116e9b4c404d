"""The commands on a user's own series: ``forecast``, ``evaluate``, ``search`` and ``cross-validate``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer import Argument, Option

from lstmcast.cli.app import app
from lstmcast.cli.options import (
    Arima,
    ClusterOptions,
    CsvOptions,
    Json,
    Level,
    ModelOptions,
    Overwrite,
    check_outputs,
    grid_option,
    output_file,
    show,
    with_options,
)
from lstmcast.errors import InvalidInputError


@app.command()
@with_options(csv=CsvOptions, model=ModelOptions, cluster=ClusterOptions)
def forecast(
    data: Annotated[Path, Argument(help="CSV: one series, or many in long format (unique_id, ds, y).")],
    horizon: Annotated[int, Option("--horizon", "-h", help="Points to forecast after each series.")],
    output: Annotated[Path, Option("--output", "-o", help="CSV to write: (unique_id,) ds, lstm, intervals.")],
    level: Level = None,
    spread: Annotated[bool, Option(help="Also lstm-min and lstm-max, the members' range (not an interval).")] = False,
    ensemble: Annotated[
        bool,
        Option(help="Also the recommended combination (median of the LSTM, AutoETS, AutoCES), column 'ensemble'."),
    ] = False,
    plot: Annotated[Path | None, Option(help="One series: PNG of the history and the forecast.")] = None,
    overwrite: Overwrite = False,
    opts: Any = None,
) -> None:
    """Forecast the next HORIZON points of a series, or of every series of a long-format file."""
    import time

    from lstmcast._checks import positive_int
    from lstmcast.data import Panel
    from lstmcast.forecast import recommended_ensemble
    from lstmcast.forecast.intervals import interval_levels
    from lstmcast.report import plot_forecast_frame, write_csv

    started, horizon, level = (
        time.perf_counter(),
        positive_int(horizon, "--horizon"),
        interval_levels(level) if level else None,
    )
    check_outputs(overwrite, output, plot)
    series = opts.csv.load(data)
    many = isinstance(series, Panel)
    if many and plot is not None:
        raise InvalidInputError("--plot is for one series; a long-format file gets its forecasts in --output")
    if spread and ensemble:
        raise InvalidInputError("--spread shows the LSTM's members, --ensemble the combination: choose one")
    season = opts.model.season_of(series)
    intervals = bool(level) and not ensemble  # with --ensemble, the intervals are the combination's
    lstm = opts.model.lstm(series, season, horizon=horizon, intervals=intervals, verbose=1)
    model = recommended_ensemble(lstm, series, season=season, horizon=horizon, levels=level or ()) if ensemble else lstm
    if level and (many or ensemble):  # refused before any training
        model.check_levels(series if many else Panel.of_series(series), level)
    if many:
        typer.echo(f"{len(series)} series: one network for all of them ({lstm.n_members()} members)")
    fitted = model.fit(series)
    with opts.cluster.executor() as executor:
        where = {"executor": executor} if many else {}  # a panel's forecasts may run by partition on a cluster
        frame = fitted.predict(horizon, spread=spread, level=level, **where)
    if ensemble and not many:  # one series: its forecasts as without --ensemble, ds first
        frame = frame.drop(columns="unique_id")
    write_csv(output, frame, index=False, overwrite=overwrite)
    if plot is not None:
        plot_forecast_frame(
            plot,
            series,
            frame,
            alias=model.alias,
            levels=level or (),
            spread=spread,
            n_members=lstm.n_seeds,
            what=f"ensemble, median of {', '.join(fitted.aliases_)}" if ensemble else None,
            overwrite=overwrite,
        )
    network = fitted.models_[0] if ensemble else fitted
    network = network[0] if isinstance(network, list) else network  # one series: its one fitted copy
    fallbacks = network.fallback_series_ if many else []
    combined = (
        f"; ensemble = median of {', '.join(fitted.aliases_)} (held-back MASE "
        + ", ".join(f"{e:.3f}" for e in fitted.held_back_errors_)
        + ")"
        if ensemble
        else ""
    )
    typer.echo(
        f"wrote {output}" + (f" and {plot}" if plot else "") + f" in {time.perf_counter() - started:.1f} s: {horizon} "
        f"points after each series (settings: {lstm}; epochs run {network.epochs_run_.tolist()}){combined}"
        + (
            f"; {len(fallbacks)} series too short for the network, forecast by Naive2: {fallbacks[:5]}"
            if fallbacks
            else ""
        )
    )


@app.command()
@with_options(csv=CsvOptions, model=ModelOptions, cluster=ClusterOptions)
def evaluate(
    data: Annotated[Path, Argument(help="CSV file of one series (a date and a value column).")],
    test_size: Annotated[int, Option(help="Points at the end held out for testing.")],
    horizon: Annotated[int | None, Option(help="Backtest horizon (default: the test size).")] = None,
    windows: Annotated[int, Option(help="Backtest cut-offs (rolling origin).")] = 3,
    arima: Arima = False,
    as_json: Json = False,
    opts: Any = None,
) -> None:
    """Score the LSTM beside baselines: one-step walk-forward on the test part, then a multi-step backtest."""
    from lstmcast._checks import positive_int
    from lstmcast.evaluate import backtest, walk_forward
    from lstmcast.forecast import MIN_RECOMMENDED_LENGTH, AutoARIMA, default_baselines
    from lstmcast.report import evaluation_summary, evaluation_table

    series, test_size = opts.csv.load(data, series_only=True), positive_int(test_size, "--test-size")
    if test_size > len(series) - MIN_RECOMMENDED_LENGTH:
        raise InvalidInputError(
            f"--test-size must leave {MIN_RECOMMENDED_LENGTH} training points: at most "
            f"{len(series) - MIN_RECOMMENDED_LENGTH} for {len(series)} points"
        )
    season = opts.model.season_of(series)
    lstm = opts.model.lstm(series[:-test_size], season)
    baselines = default_baselines(season, one_step=False) + ([AutoARIMA(season=season)] if arima else [])
    with opts.cluster.executor() as executor:
        results = (
            walk_forward(lstm, series, test_size=test_size, season=season, executor=executor),
            backtest(
                lstm,
                series,
                horizon=horizon or test_size,
                n_windows=windows,
                season=season,
                baselines=baselines,
                executor=executor,
            ),
        )
    show(
        as_json,
        {
            "walk_forward": evaluation_summary(results[0]),
            "backtest": evaluation_summary(results[1]),
            "settings": lstm.get_params(),
        },
        *[evaluation_table(r, title=f"{series.name}: {r.kind}") for r in results],
        f"LSTM: {lstm} (lstm = mean of the ensemble; MASE scaled per cut-off by the seasonal-naive error of the data "
        f"before it, season {season})",
    )


@app.command()
@with_options(csv=CsvOptions, model=ModelOptions, cluster=ClusterOptions)
def search(
    data: Annotated[Path, Argument(help="CSV file of one series (the training data).")],
    grid: Annotated[list[str], Option(help="A parameter and its values, e.g. units=2,4,8 (repeatable).")],
    output: output_file("CSV of the table, written as rows complete.") = None,
    windows: Annotated[int, Option(help="Rolling-origin cut-offs at the end of the data.")] = 3,
    horizon: Annotated[int | None, Option(help="Points scored per cut-off (default: one season).")] = None,
    metric: Annotated[str, Option(help="rmse, mae, mape, smape or mase.")] = "rmse",
    overwrite: Overwrite = False,
    as_json: Json = False,
    opts: Any = None,
) -> None:
    """Grid search for an LSTM on your series: every combination scored by rolling-origin cut-offs."""
    import pandas as pd

    from lstmcast.report import search_table, write_csv
    from lstmcast.search import RollingOrigin, grid_search

    check_outputs(overwrite, output)
    series = opts.csv.load(data, series_only=True)
    season, cv = opts.model.season_of(series), RollingOrigin(horizon=horizon, n_windows=windows)
    rows: list[dict] = []

    def write_row(row: dict) -> None:  # the table so far, replaced atomically: an interrupted search keeps its rows
        rows.append(row)
        if output is not None:
            write_csv(output, pd.DataFrame(rows), index=False, overwrite=overwrite or len(rows) > 1)

    lstm = opts.model.lstm(series[: cv.folds(len(series), season=season)[0].train_end], season)  # suits every cut-off
    with opts.cluster.executor() as executor:
        result = grid_search(
            lstm,
            dict(grid_option(item) for item in grid),
            series,
            cv=cv,
            metric=metric,
            season=season,
            refit=False,
            on_row=write_row,
            verbose=0 if as_json else 1,
            executor=executor,
        )
    if output is not None:
        write_csv(output, result.table, index=False, overwrite=True)
    best = f"best: {result.best_params} ({metric} {result.table['score_mean'].min():.4g}); {len(rows)} configurations"
    show(
        as_json,
        {
            "measured_on": f"{metric} over {cv.describe(season)}",
            "configurations": result.configurations,
            "best_params": result.best_params,
        },
        search_table(result, title=f"{series.name}: {metric} over {cv.describe(season)}"),
        best,
    )


@app.command("cross-validate")
@with_options(csv=CsvOptions, model=ModelOptions, cluster=ClusterOptions)
def cross_validate_command(
    data: Annotated[Path, Argument(help="CSV file: one series, or many in long format (unique_id, ds, y).")],
    horizon: Annotated[int, Option("--horizon", "-h", help="Points forecast from each cut-off.")],
    windows: Annotated[int, Option(help="Rolling-origin cut-offs, a horizon apart.")] = 1,
    level: Level = None,
    arima: Arima = False,
    output: output_file("CSV of the scores per series, cut-off and model.") = None,
    forecasts: Annotated[Path | None, Option(help="CSV of every forecast beside the truth.")] = None,
    overwrite: Overwrite = False,
    as_json: Json = False,
    opts: Any = None,
) -> None:
    """Rolling-origin evaluation of the LSTM beside Naive2, seasonal naive, AutoETS and AutoTheta: sMAPE, MASE, OWA."""
    from lstmcast._checks import positive_int
    from lstmcast.data import Panel
    from lstmcast.evaluate import cross_validate
    from lstmcast.forecast import AutoARIMA, default_baselines
    from lstmcast.report import evaluation_summary, evaluation_table, write_csv

    horizon, windows = positive_int(horizon, "--horizon"), positive_int(windows, "--windows")
    check_outputs(overwrite, output, forecasts)
    loaded = opts.csv.load(data)
    panel = loaded if isinstance(loaded, Panel) else Panel.of_series(loaded)
    season = opts.model.season_of(loaded)
    training = (
        loaded if isinstance(loaded, Panel) else loaded[: len(loaded) - horizon * windows]
    )  # one series: its first cut-off's data
    lstm = opts.model.lstm(training, season, horizon=horizon, verbose=0 if as_json else 1)
    baselines = default_baselines(season, one_step=False) + ([AutoARIMA(season=season)] if arima else [])
    with opts.cluster.executor() as executor:
        result = cross_validate(
            lstm,
            panel,
            horizon=horizon,
            n_windows=windows,
            season=season,
            level=level or None,
            baselines=baselines,
            executor=executor,
        )
    if output is not None:
        write_csv(output, result.scores, index=False, overwrite=overwrite)
    if forecasts is not None:
        write_csv(forecasts, result.forecasts, index=False, overwrite=overwrite)
    show(
        as_json,
        evaluation_summary(result),
        evaluation_table(result, title=f"{data.name}: {result.kind}, {len(panel)} series"),
        f"season {season}; sMAPE and MASE are means over series and cut-offs (MASE scaled per cut-off by the "
        "seasonal-naive error of the data before it), OWA against Naive2; 'failed': series a model could not forecast "
        "(the LSTM's: too short for the network, forecast by Naive2).",
    )
