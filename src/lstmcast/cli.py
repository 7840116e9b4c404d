"""The ``lstmcast`` command line: recipes, forecasts and evaluations of a user's own series.

Heavy libraries (JAX, pandas, statsforecast) are imported inside the commands, so ``--help`` and
``--version`` answer at once. Every ``LstmcastError``, and every usage error (an option that is
not a number, a missing argument), is printed as one line on stderr, with exit status 2; nothing
half-written is left behind.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import typer

from lstmcast import __version__
from lstmcast.errors import InvalidInputError, LstmcastError

app = typer.Typer(
    help="Forecast and classify sequences with LSTMs — compiled end to end, always beside naive baselines.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lstmcast {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """lstmcast: the Keras LSTM tutorials' workflow, done right and a thousand times faster."""


_CLUSTER_HELP = "Scaling out (see README, Scaling out)"


@dataclass
class ClusterOptions:
    """Where the parallel parts of a job run (``lstmcast.parallel.cluster``)."""

    workers: int | None = typer.Option(
        None,
        "--workers",
        help="Run the parallel tasks on a local Dask cluster of N worker processes.",
        rich_help_panel=_CLUSTER_HELP,
    )
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="Run them on an existing Dask cluster, e.g. tcp://host:8786.",
        rich_help_panel=_CLUSTER_HELP,
    )

    def executor(self, *, side_process: bool = False):
        from lstmcast import parallel

        return parallel.cluster(self.scheduler, workers=self.workers, side_process=side_process)


def _with_options(**groups: type) -> Callable:
    """Add the options of each dataclass in ``groups`` to a command's signature (typer reads it),
    and hand the command one instance per group under the group's name."""

    def decorate(command: Callable) -> Callable:
        own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name not in groups]
        added = [
            inspect.Parameter(
                f.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=f.default,
                annotation=typing.get_type_hints(group)[f.name],
            )
            for group in groups.values()
            for f in fields(group)
        ]

        @functools.wraps(command)
        def run(**kwargs: Any) -> Any:
            for name, group in groups.items():
                kwargs[name] = group(**{f.name: kwargs.pop(f.name) for f in fields(group)})
            return command(**kwargs)

        run.__signature__ = inspect.Signature(own + added)
        run.__annotations__ = {p.name: p.annotation for p in own + added}
        return run

    return decorate


recipe_app = typer.Typer(
    help="The classic Keras LSTM tutorials, one command each, beside honest baselines.", no_args_is_help=True
)
app.add_typer(recipe_app, name="recipe")


@recipe_app.command("list")
def recipe_list() -> None:
    """List the recipes and the tutorials they reproduce."""
    from lstmcast import recipes

    width = max(len(name) for name in recipes.RECIPES)
    for recipe in recipes.RECIPES.values():
        typer.echo(f"{recipe.name:{width}s} {recipe.title}")
        typer.echo(f"{'':{width}s} tutorial: {recipe.tutorial}")


@recipe_app.command("run")
@_with_options(cluster_options=ClusterOptions)
def recipe_run(
    name: str = typer.Argument(
        ..., help="airline, milk, shampoo, gridsearch, sunspots or toy-classifier (see `lstmcast recipe list`)."
    ),
    seeds: int | None = typer.Option(
        None,
        "--seeds",
        help="Networks trained at once (seeds 0..N-1; default 5, shampoo 30); "
        "reports their distribution and the ensemble.",
    ),
    fixed: bool = typer.Option(
        False, "--fixed", help="The tutorial's settings without its leak (scaler fitted on the training part)."
    ),
    improved: bool = typer.Option(False, "--improved", help="lstmcast's recommended settings for this series."),
    epochs: int | None = typer.Option(None, "--epochs", help="Override the number of epochs (for a quick look)."),
    out: Path = typer.Option(
        Path("runs"), "--out", help="Folder for the run folder (runs/<recipe>-<variant>-<timestamp>/)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of the table."),
    cluster_options: ClusterOptions = None,
) -> None:
    """Run a tutorial recipe: train, evaluate one-step walk-forward beside baselines, write a run folder."""
    from lstmcast import recipes
    from lstmcast._io import to_json

    if fixed and improved:
        raise InvalidInputError("choose at most one of --fixed and --improved")
    variant = "fixed" if fixed else "improved" if improved else "faithful"
    _import_in_background("matplotlib.backends.backend_agg", "matplotlib.figure")
    # light tasks (the baselines) in a side process while the networks train here; or all on a cluster
    with cluster_options.executor(side_process=True) as executor:
        summary = recipes.run(
            name,
            variant=variant,
            seeds=seeds,
            epochs=epochs,
            out_root=out,
            verbose=0 if as_json else 1,
            executor=executor,
        )
    if as_json:
        typer.echo(to_json(summary))
        return
    _print_recipe(summary)


def _import_in_background(*modules: str) -> None:
    """Import the plotting stack on a thread while the main one compiles and trains (XLA releases
    the GIL), so the plots at the end do not wait for matplotlib's import."""
    import importlib
    import threading

    threading.Thread(target=lambda: [importlib.import_module(m) for m in modules], daemon=True).start()


def _print_recipe(summary: dict) -> None:
    from rich.console import Console

    from lstmcast.report import metrics_table

    console = Console()
    if summary.get("kind") == "classification":
        _print_classification_recipe(console, summary)
        return
    rmse, metrics, seconds = summary["test_rmse"], summary["metrics"], summary["model_seconds"]
    lstm = next(iter(metrics))
    rows = [
        {
            "model": f"LSTM ({summary['seeds']} seeds)",
            "test RMSE": f"{rmse['lstm_mean']:.4g} ± {rmse['lstm_std']:.2g}",
            "train RMSE": f"{summary['train_rmse']['lstm_mean']:.4g} ± {summary['train_rmse']['lstm_std']:.2g}",
            "s": f"{seconds[lstm]:.2f}",
        },
        {"model": "LSTM ensemble", **_metric_cells(metrics[lstm])},
    ]
    rows += [
        {"model": alias, **_metric_cells(metrics[alias]), "s": f"{seconds[alias]:.2f}"}
        for alias in metrics
        if alias != lstm
    ]
    title = f"{summary['title']}: {summary['variant']}"
    table = metrics_table(
        rows, title=title, columns=["model", "test RMSE", "MAE", "sMAPE %", "MASE", "train RMSE", "s"]
    )
    table.columns[0].no_wrap = True
    console.print(table)
    console.print(f"Measured on: {summary['measured_on']}; 'LSTM (N seeds)' is the mean ± std of the seeds' scores.")
    models = {
        "LSTM (mean of seeds)": rmse["lstm_mean"],
        "LSTM ensemble": rmse["lstm_ensemble"],
        **{a: rmse[a] for a in metrics if a != lstm},
    }
    best = min((v, k) for k, v in models.items() if v is not None)
    console.print(f"Lowest test RMSE: {best[1]} ({best[0]:.4g}).")
    for deviation in summary["deviations"]:
        console.print(f"[dim]- {deviation}[/dim]")
    if "run_dir" in summary:
        console.print(f"Run folder: {summary['run_dir']}  ({summary['seconds']:.1f} s in all)")


def _print_classification_recipe(console, summary: dict) -> None:
    from lstmcast.report import metrics_table

    keras = "keras_binary_accuracy" in summary["per_seed"][0]
    rows = [
        {
            "seed": s["seed"],
            **({"Keras 'accuracy'": s["keras_binary_accuracy"]} if keras else {}),
            "class accuracy": s["class_accuracy"],
            "predicted": " ".join(map(str, s["predicted_classes"])),
            "new seq.": s["new_sequence_class"],
        }
        for s in summary["per_seed"]
    ]
    rows.append(
        {
            "seed": "mean",
            "class accuracy": summary["ensemble"]["class_accuracy"],
            "new seq.": summary["ensemble"]["new_sequence_class"],
        }
    )
    table = metrics_table(rows, title=f"{summary['title']}: {summary['variant']}", columns=list(rows[0]))
    console.print(table)
    console.print(
        "'mean': the ensemble (the seeds' outputs averaged)."
        + (" Keras 'accuracy': binary accuracy over the 24 one-hot cells." if keras else "")
    )
    console.print(
        f"Measured on: {summary['measured_on']}. True classes: 1 2 3 2 3 1; the notebook classified the new "
        f"sequence [0 0 0 0 0 1] as 1. {summary['seeds_with_every_class_right']} of {summary['seeds']} seeds "
        "get every class right."
    )
    for deviation in summary["deviations"]:
        console.print(f"[dim]- {deviation}[/dim]")
    if "run_dir" in summary:
        console.print(f"Run folder: {summary['run_dir']}  ({summary['seconds']:.1f} s in all)")


def _metric_cells(m: dict) -> dict:
    return {"test RMSE": m["rmse"], "MAE": m["mae"], "sMAPE %": m["smape"], "MASE": m["mase"]}


# -- options that several commands share, declared once ----------------------------------------------
_DATA_HELP = "Reading the CSV"
_MODEL_HELP = "Model (omit all to use lstmcast's recommended settings)"


@dataclass
class CsvOptions:
    """How to read a user's CSV file (``lstmcast.data.load_csv``)."""

    date_col: str | None = typer.Option(
        None, "--date-col", help="Date column (default: the first).", rich_help_panel=_DATA_HELP
    )
    value_col: str | None = typer.Option(
        None, "--value-col", help="Value column (default: the only numeric one).", rich_help_panel=_DATA_HELP
    )
    sep: str = typer.Option(",", "--sep", help="Field separator.", rich_help_panel=_DATA_HELP)
    skip_footer: int = typer.Option(
        0, "--skip-footer", help="Lines to drop at the end of the file.", rich_help_panel=_DATA_HELP
    )
    na_value: list[str] = typer.Option(
        [], "--na-value", help="A marker of missing values, e.g. -1 (repeatable).", rich_help_panel=_DATA_HELP
    )
    missing: str = typer.Option(
        "error", "--missing", help="error, interpolate or drop (ends only).", rich_help_panel=_DATA_HELP
    )
    date_format: str | None = typer.Option(
        None, "--date-format", help="strptime format of the dates, e.g. %d/%m/%Y.", rich_help_panel=_DATA_HELP
    )
    id_col: str | None = typer.Option(
        None,
        "--id-col",
        help="Long format: the series id column (default unique_id; with it, ds and y).",
        rich_help_panel=_DATA_HELP,
    )

    def is_panel(self, path: Path) -> bool:
        """A long-format file: ``--id-col`` given, or a header with unique_id, ds and y."""
        from lstmcast.data import is_long_format
        from lstmcast.data.files import csv_columns

        return self.id_col is not None or is_long_format(csv_columns(path, self.sep))

    def load_panel(self, path: Path):
        from lstmcast.data import load_panel_csv

        return load_panel_csv(
            path,
            id_col=self.id_col or "unique_id",
            date_col=self.date_col or "ds",
            value_col=self.value_col or "y",
            sep=self.sep,
        )

    def load(self, path: Path):
        from lstmcast.data import load_csv

        return load_csv(
            path,
            date_col=self.date_col,
            value_col=self.value_col,
            sep=self.sep,
            skip_footer=self.skip_footer,
            na_values=self.na_value or None,
            missing=self.missing,
            date_format=self.date_format,
        )


@dataclass
class ModelOptions:
    """LSTM settings a user may override; the rest come from ``recommended_params``."""

    season: int | None = typer.Option(
        None, "--season", help="Seasonal period (default: from the frequency).", rich_help_panel=_MODEL_HELP
    )
    look_back: int | None = typer.Option(
        None, "--look-back", help="Past values each forecast sees.", rich_help_panel=_MODEL_HELP
    )
    units: int | None = typer.Option(None, "--units", help="LSTM units.", rich_help_panel=_MODEL_HELP)
    epochs: int | None = typer.Option(
        None, "--epochs", help="Training epochs (at most; early stopping may end sooner).", rich_help_panel=_MODEL_HELP
    )
    batch_size: int | None = typer.Option(None, "--batch-size", rich_help_panel=_MODEL_HELP)
    learning_rate: float | None = typer.Option(None, "--learning-rate", rich_help_panel=_MODEL_HELP)
    seeds: int | None = typer.Option(None, "--seeds", help="Ensemble size (default 5).", rich_help_panel=_MODEL_HELP)

    def season_of(self, series) -> int:
        from lstmcast._checks import season as check_season
        from lstmcast.data import season_length

        return season_length(series) if self.season is None else check_season(self.season)

    def params(self, training, season: int) -> dict[str, Any]:
        """Recommended settings for the ``training`` series, with every option given taking precedence."""
        from lstmcast.forecast import recommended_params

        return {**recommended_params(training, season), **self._given()}

    def panel_params(self, season: int, horizon: int) -> dict[str, Any]:
        """Recommended settings for a panel, with every option given taking precedence."""
        from lstmcast.forecast import recommended_panel_params

        return {**recommended_panel_params(season, horizon), **self._given()}

    def _given(self) -> dict[str, Any]:
        given = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "season" and getattr(self, f.name) is not None
        }
        if "seeds" in given:
            given["n_models"] = given.pop("seeds")
        return given


def _settings(params: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items())


@app.command()
@_with_options(csv=CsvOptions, model=ModelOptions, cluster_options=ClusterOptions)
def forecast(
    data: Path = typer.Argument(
        ..., help="CSV file: one series (a date and a value column) or many in long format (unique_id, ds, y)."
    ),
    horizon: int = typer.Option(
        ..., "--horizon", "-h", help="How many points to forecast after the data (after every series)."
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="CSV to write: [unique_id,] ds, lstm (ensemble mean) and the interval columns."
    ),
    level: list[float] = typer.Option(
        [], "--level", help="Prediction interval coverage in percent, e.g. --level 80 --level 95 (conformal)."
    ),
    spread: bool = typer.Option(
        False, "--spread", help="One series: also write lstm-min and lstm-max, the seeds' range (not an interval)."
    ),
    plot: Path | None = typer.Option(
        None, "--plot", help="One series: PNG of the history and the forecast with its interval."
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing output files."),
    csv: CsvOptions = None,
    model: ModelOptions = None,
    cluster_options: ClusterOptions = None,
) -> None:
    """Forecast the next HORIZON points of a series, or of every series of a long-format file."""
    from lstmcast._checks import output_path, positive_int

    horizon = positive_int(horizon, "--horizon")
    for path in (output, plot):
        if path is not None:
            output_path(path, overwrite=overwrite, option="--overwrite")
    if csv.is_panel(data):
        if plot is not None or spread:
            raise InvalidInputError(
                "--plot and --spread are for one series; "
                "a long-format file gets its forecasts and intervals in --output"
            )
        _forecast_panel(csv.load_panel(data), horizon, level, output, overwrite, model, cluster_options)
    else:
        _forecast_series(csv.load(data), horizon, level, spread, output, plot, overwrite, model)


def _forecast_series(
    series,
    horizon: int,
    level: list[float],
    spread: bool,
    output: Path,
    plot: Path | None,
    overwrite: bool,
    model: ModelOptions,
) -> None:
    from lstmcast.data.validate import time_label
    from lstmcast.forecast import LSTMForecaster
    from lstmcast.report import plot_future, write_csv

    params = model.params(series, model.season_of(series))
    if level:  # conformal intervals: refits cut 20 windows (fewer for a short series) before the end
        params.update(horizon=horizon, conformal_windows=max(1, min(_CONFORMAL_WINDOWS, len(series) - horizon - 24)))
    fitted = LSTMForecaster(**params, verbose=1).fit(series)
    frame = fitted.predict(horizon, spread=spread, level=level or None)
    write_csv(output, frame, index=False, overwrite=overwrite)
    n = fitted.n_members
    if plot is not None:
        band = (
            (f"lstm-lo-{max(level):g}", f"lstm-hi-{max(level):g}", f"{max(level):g}% conformal interval")
            if level
            else (("lstm-min", "lstm-max", f"min-max of {n} seeds") if spread else None)
        )
        plot_future(
            plot,
            index=series.index,
            y=series.to_numpy(),
            future_index=frame["ds"],
            mean=frame["lstm"],
            lower=None if band is None else frame[band[0]],
            upper=None if band is None else frame[band[1]],
            title=f"{series.name}: LSTM forecast, mean of {n} seeds" + (f" (band: {band[2]})" if band else ""),
            ylabel=str(series.name),
            band_label=None if band is None else band[2],
            overwrite=overwrite,
        )
    typer.echo(
        f"wrote {output}"
        + (f" and {plot}" if plot else "")
        + f": {horizon} points from {time_label(frame['ds'].iloc[0])} "
        f"(settings: {_settings(params)}; epochs run {fitted.epochs_run_.tolist()})"
    )


# One series' conformal intervals come from this many refits (enough for a 95% interval).
_CONFORMAL_WINDOWS = 20


def _forecast_panel(
    panel,
    horizon: int,
    level: list[float],
    output: Path,
    overwrite: bool,
    model: ModelOptions,
    cluster_options: ClusterOptions,
) -> None:
    with cluster_options.executor() as executor:  # reached (or started) before any work; the network trains here
        _forecast_panel_on(panel, horizon, level, output, overwrite, model, executor)


def _forecast_panel_on(
    panel, horizon: int, level: list[float], output: Path, overwrite: bool, model: ModelOptions, executor
) -> None:
    import time

    import numpy as np

    from lstmcast.forecast import LSTMForecaster
    from lstmcast.forecast.global_lstm import calibrating, look_backs_of
    from lstmcast.forecast.panel import calibration_needed
    from lstmcast.report import write_csv

    started = time.perf_counter()
    season = panel.season if model.season is None else model.season_of(None)
    params = model.panel_params(season, horizon)
    calibrated = int(np.sum(calibrating(panel.lengths, horizon)))
    for value in level:
        if calibrated < calibration_needed(value):
            raise InvalidInputError(
                f"a {value:g}% interval needs at least {calibration_needed(value)} series longer than the horizon "
                "to calibrate on; "
                f"this file has {calibrated}: ask for a lower --level, or forecast without intervals"
            )
    forecaster = LSTMForecaster(**params, verbose=1)
    typer.echo(
        f"{len(panel)} series, {int(panel.lengths.min())} to {int(panel.lengths.max())} values each; "
        f"training one network for all of them ({len(look_backs_of(forecaster))} look-back(s) x "
        f"{forecaster.n_members} seeds; a fit held back from each series' last {horizon} values for "
        f"{'early stopping and ' if forecaster.patience else ''}the intervals, then the final fit)"
    )
    fitted = forecaster.fit(panel)
    frame = fitted.predict(horizon, level=level or None, executor=executor)  # by partition, on a cluster
    write_csv(output, frame, index=False, overwrite=overwrite)
    note = ""
    if fitted.fallback_series_:
        shown = ", ".join(fitted.fallback_series_[:5]) + (" ..." if len(fitted.fallback_series_) > 5 else "")
        note = (
            f"; {len(fitted.fallback_series_)} series too short for the network were forecast by Naive2, "
            f"without intervals: {shown}"
        )
    typer.echo(
        f"wrote {output}: {horizon} points after each of {len(panel)} series in {time.perf_counter() - started:.1f} s "
        f"(settings: {_settings(params)}; epochs run {fitted.epochs_run_.tolist()}){note}"
    )


@app.command()
@_with_options(csv=CsvOptions, model=ModelOptions, cluster_options=ClusterOptions)
def evaluate(
    data: Path = typer.Argument(..., help="CSV file with a date column and a value column."),
    test_size: int = typer.Option(..., "--test-size", help="Points at the end held out for testing."),
    horizon: int | None = typer.Option(None, "--horizon", help="Backtest horizon (default: the test size)."),
    windows: int = typer.Option(3, "--windows", help="Backtest cut-offs (rolling origin)."),
    csv: CsvOptions = None,
    model: ModelOptions = None,
    cluster_options: ClusterOptions = None,
) -> None:
    """Score the LSTM beside baselines: one-step walk-forward on the test part, then a multi-step backtest."""
    from rich.console import Console

    from lstmcast._checks import positive_int
    from lstmcast.evaluate import TABLE_METRICS, backtest, walk_forward
    from lstmcast.forecast import LSTMForecaster
    from lstmcast.report import metrics_table

    test_size = positive_int(test_size, "--test-size")
    horizon = test_size if horizon is None else positive_int(horizon, "--horizon")
    windows = positive_int(windows, "--windows")
    series = csv.load(data)
    if test_size > len(series) - 24:
        raise InvalidInputError(
            f"--test-size must leave 24 training points: at most {len(series) - 24} for {len(series)} points"
        )
    season = model.season_of(series)
    params = model.params(series[:-test_size], season)
    lstm = LSTMForecaster(**params)
    console = Console()
    headers = {"model": "model", "rmse": "RMSE", "mae": "MAE", "smape": "sMAPE %", "mase": "MASE", "seconds": "s"}
    with cluster_options.executor() as executor:
        results = (
            walk_forward(lstm, series, test_size=test_size, season=season, executor=executor),
            backtest(lstm, series, horizon=horizon, n_windows=windows, season=season, executor=executor),
        )
    for result in results:
        rows = [{"model": alias, **row} for alias, row in result.table().to_dict("index").items()]
        console.print(
            metrics_table(
                rows,
                title=f"{series.name}: {result.kind}",
                columns={k: headers[k] for k in ("model", *TABLE_METRICS, "seconds")},
            )
        )
    console.print(
        f"LSTM settings: {_settings(params)} (lstm = mean of the ensemble; MASE scaled by the seasonal naive "
        f"error on the training part, season {season})"
    )


@app.command()
@_with_options(csv=CsvOptions, model=ModelOptions, cluster_options=ClusterOptions)
def search(
    data: Path = typer.Argument(..., help="CSV file with a date column and a value column (the training data)."),
    grid: list[str] = typer.Option(..., "--grid", help="A parameter and its values, e.g. units=2,4,8 (repeatable)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="CSV of the table, written as rows complete."),
    folds: int = typer.Option(3, "--folds", help="Rolling-origin folds at the end of the data."),
    fold_size: int | None = typer.Option(None, "--fold-size", help="Points per fold (default: one season)."),
    metric: str = typer.Option("rmse", "--metric", help="rmse, mae, smape or mase."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output file."),
    csv: CsvOptions = None,
    model: ModelOptions = None,
    cluster_options: ClusterOptions = None,
) -> None:
    """Grid search for an LSTM on your series: every combination scored by rolling-origin folds."""
    from rich.console import Console

    from lstmcast._checks import output_path
    from lstmcast.forecast import LSTMForecaster
    from lstmcast.report import metrics_table, write_csv
    from lstmcast.search import RollingOrigin, grid_search

    if output is not None:
        output_path(output, overwrite=overwrite, option="--overwrite")
    param_grid = dict(_grid_option(item) for item in grid)
    series = csv.load(data)
    season = model.season_of(series)
    cv = RollingOrigin(folds, fold_size)
    shortest = cv.folds(len(series), season)[0].train_end  # the settings must suit every fold's training part
    estimator = LSTMForecaster(**model.params(series[:shortest], season))
    rows: list[dict] = []

    def write_row(row: dict) -> None:
        import pandas as pd

        rows.append(row)
        if output is not None:  # the table so far, replaced atomically: an interrupted search keeps its rows
            write_csv(output, pd.DataFrame(rows), index=False, overwrite=overwrite or len(rows) > 1)

    with cluster_options.executor() as executor:
        result = grid_search(
            estimator,
            param_grid,
            series,
            cv=cv,
            metric=metric,
            season=season,
            refit=False,
            on_row=write_row,
            verbose=1,
            executor=executor,
        )
    if output is not None:
        write_csv(output, result.table, index=False, overwrite=True)
    table = result.table.sort_values("rank")
    columns = {name: name for name in table.columns}
    Console().print(
        metrics_table(
            table.to_dict("records"),
            title=f"{series.name}: {result.metric} over {len(result.folds)} rolling-origin folds",
            columns=columns,
        )
    )
    typer.echo(
        f"best: {', '.join(f'{k}={v}' for k, v in result.best_params.items())} "
        f"({result.metric} {table['score_mean'].iloc[0]:.4g}); "
        f"{len(table)} configurations in {result.seconds:.1f} s" + (f"; wrote {output}" if output else "")
    )


@app.command("cross-validate")
@_with_options(csv=CsvOptions, model=ModelOptions, cluster_options=ClusterOptions)
def cross_validate_command(
    data: Path = typer.Argument(..., help="CSV file: one series, or many in long format (unique_id, ds, y)."),
    horizon: int = typer.Option(..., "--horizon", "-h", help="Points forecast from each cut-off."),
    windows: int = typer.Option(
        1, "--windows", help="Rolling-origin cut-offs, a horizon apart, the last a horizon before each series' end."
    ),
    level: list[float] = typer.Option([], "--level", help="Interval coverage to check, in percent (repeatable)."),
    arima: bool = typer.Option(False, "--arima", help="Add AutoARIMA to the baselines (minutes on large panels)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="CSV of the scores per series, cut-off and model."),
    forecasts: Path | None = typer.Option(
        None, "--forecasts", help="CSV of every forecast beside the truth (unique_id, ds, cutoff, y, models...)."
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing output files."),
    csv: CsvOptions = None,
    model: ModelOptions = None,
    cluster_options: ClusterOptions = None,
) -> None:
    """Rolling-origin evaluation of the LSTM beside Naive2, seasonal naive, AutoETS and AutoTheta: sMAPE, MASE, OWA."""
    from rich.console import Console

    from lstmcast._checks import output_path, positive_int
    from lstmcast.data import Panel
    from lstmcast.evaluate import cross_validate
    from lstmcast.forecast import AutoARIMA, AutoETS, AutoTheta, LSTMForecaster, Naive2, SeasonalNaive
    from lstmcast.report import metrics_table, write_csv

    horizon, windows = positive_int(horizon, "--horizon"), positive_int(windows, "--windows")
    for path in (output, forecasts):
        if path is not None:
            output_path(path, overwrite=overwrite, option="--overwrite")
    if csv.is_panel(data):
        panel = csv.load_panel(data)
    else:
        series = csv.load(data)
        panel = Panel((str(series.name or "series"),), (series.to_numpy(),), (series.index,))
    season = panel.season if model.season is None else model.season_of(None)
    models = [
        LSTMForecaster(**model.panel_params(season, horizon), verbose=1),
        Naive2(season=season),
        SeasonalNaive(season=season),
        AutoETS(season=season),
        AutoTheta(season=season),
    ]
    if arima:
        models.append(AutoARIMA(season=season))
    with cluster_options.executor() as executor:
        result = cross_validate(
            models, panel, horizon=horizon, n_windows=windows, season=season, level=level or None, executor=executor
        )
    table = result.table()
    headers = {"model": "model", "smape": "sMAPE", "mase": "MASE", "owa": "OWA", "rmse": "RMSE"}
    headers.update({f"coverage_{lv:g}": f"{lv:g}% cover" for lv in result.levels})
    headers.update(seconds="s", failed="failed")
    rows = [{"model": alias, **row} for alias, row in table.to_dict("index").items()]
    Console().print(metrics_table(rows, title=f"{data.name}: {result.kind}, {len(panel)} series", columns=headers))
    per_series = result.scores.pivot_table(index=["unique_id", "cutoff"], columns="model", values="smape")
    best = per_series.idxmin(axis=1).value_counts()
    typer.echo(
        f"season {season}; sMAPE and MASE are means over series and cut-offs "
        f"(MASE scaled by each training part's in-sample seasonal-naive error), OWA against Naive2. "
        "Lowest sMAPE per series and cut-off: "
        + ", ".join(f"{alias} {int(best.get(alias, 0))}" for alias in result.aliases)
        + ". 'failed': series a model could not forecast (the LSTM's: too short, forecast by Naive2)."
    )
    if output is not None:
        write_csv(output, result.scores, index=False, overwrite=overwrite)
    if forecasts is not None:
        write_csv(forecasts, result.forecasts, index=False, overwrite=overwrite)


@dataclass
class SequenceFileOptions:
    """How to read labelled sequences (``lstmcast.data.load_ts`` / ``load_sequences_csv``)."""

    missing: str = typer.Option(
        "error", "--missing", help="Missing values ('?'): error or interpolate.", rich_help_panel=_DATA_HELP
    )
    case_col: str = typer.Option("case_id", "--case-col", help="Long CSV: the case column.", rich_help_panel=_DATA_HELP)
    time_col: str = typer.Option("t", "--time-col", help="Long CSV: the time column.", rich_help_panel=_DATA_HELP)
    label_col: str = typer.Option(
        "label", "--label-col", help="Long CSV: the label column.", rich_help_panel=_DATA_HELP
    )

    def load(self, path: Path):
        from lstmcast.data import load_sequences_csv, load_ts

        if path.suffix.lower() == ".csv":
            return load_sequences_csv(
                path, case_col=self.case_col, time_col=self.time_col, label_col=self.label_col, missing=self.missing
            )
        return load_ts(path, missing=self.missing)


@app.command()
@_with_options(files=SequenceFileOptions)
def classify(
    train: Path = typer.Argument(
        ..., help="Training cases: a .ts file (UEA/UCR archive format) or a long CSV (case_id, t, channels..., label)."
    ),
    test: Path = typer.Argument(
        ..., help="Cases to classify, in the same format (labels optional: with them, the scores)."
    ),
    seeds: int | None = typer.Option(None, "--seeds", help="Ensemble size (default 5)."),
    epochs: int | None = typer.Option(None, "--epochs", help="Training epochs (default: chosen from the data's size)."),
    units: int | None = typer.Option(None, "--units", help="LSTM units (default 64)."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="CSV of the predictions: case, label, predicted, proba_<class>..."
    ),
    save: Path | None = typer.Option(None, "--save", help="Save the fitted classifier (.npz, no pickle)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing output files."),
    files: SequenceFileOptions = None,
) -> None:
    """Train an LSTM-FCN classifier on TRAIN and classify TEST: accuracy, balanced accuracy, confusion matrix."""
    import time

    from rich.console import Console

    from lstmcast._checks import output_path
    from lstmcast.classify import LSTMClassifier
    from lstmcast.report import write_csv

    for path in (output, save):
        if path is not None:
            output_path(path, overwrite=overwrite, option="--overwrite")
    training, testing = files.load(train), files.load(test)
    if training.y is None:
        raise InvalidInputError(f"{train} has no labels; the training file needs one label per case")
    given = {"n_models": seeds, "epochs": epochs, "units": units}
    model = LSTMClassifier(**{k: v for k, v in given.items() if v is not None}, verbose=1)
    started = time.perf_counter()
    model.fit(training.X, training.y)
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    proba = model.predict_proba(testing.X)
    predict_seconds = time.perf_counter() - started
    predicted = model.classes_[proba.argmax(axis=1)]
    if save is not None:
        model.save(save, overwrite=overwrite)
    if output is not None:
        write_csv(
            output, classification_frame(testing, predicted, proba, model.classes_), index=False, overwrite=overwrite
        )
    console = Console()
    console.print(
        f"{training.name or train.name}: {len(training)} training cases, {len(testing)} test cases, "
        f"{training.n_channels} channel(s), {len(model.classes_)} classes; "
        f"{model.n_models} networks trained in {fit_seconds:.1f} s "
        f"(epochs {model.epochs_run_.max()}), predicted in {predict_seconds:.2f} s"
    )
    if testing.y is not None:
        _print_scores(console, testing.y, predicted, model.classes_)
    written = [str(p) for p in (output, save) if p is not None]
    if written:
        console.print(f"wrote {' and '.join(written)}")


def classification_frame(cases, predicted, proba, classes):
    """One row per case, in file order: ``case``, ``label`` (the true label, where the file has
    one), ``predicted`` and ``proba_<class>`` for every class."""
    import pandas as pd

    frame = pd.DataFrame({"case": cases.case_ids})
    if cases.y is not None:
        frame["label"] = cases.y
    frame["predicted"] = predicted
    for k, label in enumerate(classes.tolist()):
        frame[f"proba_{label}"] = proba[:, k]
    return frame


def _print_scores(console, truth, predicted, classes) -> None:
    import numpy as np
    from rich.measure import Measurement
    from rich.table import Table

    from lstmcast.classify import accuracy, balanced_accuracy, confusion_matrix

    unseen = sorted({str(label) for label in truth} - {str(c) for c in classes.tolist()})
    console.print(
        f"accuracy {accuracy(truth, predicted):.4f}   balanced accuracy {balanced_accuracy(truth, predicted):.4f}"
        + (f"   (labels never seen in training, counted wrong: {', '.join(unseen)})" if unseen else "")
    )
    matrix = confusion_matrix(truth, predicted, labels=classes.tolist())
    table = Table(title="confusion matrix (rows: true label, columns: predicted)")
    table.add_column("true \\ predicted", no_wrap=True)
    for label in matrix.columns:
        table.add_column(str(label), justify="right")
    for label, row in matrix.iterrows():
        table.add_row(str(label), *[str(v) for v in row.tolist()])
    if Measurement.get(console, console.options.update(max_width=1_000_000), table).maximum > console.width:
        # many classes: the table would be squeezed unreadable, so the most frequent mistakes instead
        counts = matrix.to_numpy().copy()
        np.fill_diagonal(counts, 0)
        order = np.argsort(-counts, axis=None, kind="stable")[:10]
        mistakes = [
            f"{matrix.index[i]} -> {matrix.columns[j]} ({counts[i, j]})"
            for i, j in zip(*np.unravel_index(order, counts.shape))
            if counts[i, j] > 0
        ]
        console.print(
            f"confusion matrix: {len(matrix.columns)} classes are too many to show at this width "
            f"(--output has every prediction); most frequent mistakes: {', '.join(mistakes) or 'none'}"
        )
        return
    console.print(table)


def _grid_option(item: str) -> tuple[str, list]:
    """``units=2,4,8`` -> ``("units", [2, 4, 8])``: ints, floats, true/false/none, else text."""
    name, sep, values = item.partition("=")
    if not sep or not name.strip() or not values.strip():
        raise InvalidInputError(f"--grid takes name=value1,value2,...; got {item!r}")
    return name.strip().replace("-", "_"), [_scalar(value.strip()) for value in values.split(",")]


def _scalar(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "none":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def main() -> None:
    """Console entry point: run the app, turning lstmcast and usage errors into one line and status 2."""
    try:
        code = app(standalone_mode=False)
    except LstmcastError as error:
        _fail(str(error))
    except typer.TyperException as error:  # a usage error: an option that is not a number, ...
        if type(error).__name__ == "NoArgsIsHelpError":  # `lstmcast` alone: the help, as click shows it
            error.show()
            sys.exit(2)
        _fail(error.format_message())
    except (typer.Abort, KeyboardInterrupt):
        code = _INTERRUPTED
    if code == _INTERRUPTED:  # Ctrl-C (typer may turn it into this exit code itself)
        print("lstmcast: interrupted; output files hold what was finished (written atomically)", file=sys.stderr)
    if isinstance(code, int) and code:
        sys.exit(code)


_INTERRUPTED = 130  # the shell's convention for a process stopped by SIGINT


def _fail(message: str) -> None:
    print(f"lstmcast: error: {' '.join(message.split())}", file=sys.stderr)
    sys.exit(2)


def console_entry() -> None:
    """The ``lstmcast`` command: ``main``, then exit without the interpreter's teardown.

    Unloading JAX and matplotlib at exit costs about 0.7 s of a 4 s command; every output is
    already written (atomically) and flushed by then, so the process ends right away.
    """
    code = 0
    try:
        main()
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    console_entry()
