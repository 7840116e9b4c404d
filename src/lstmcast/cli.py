"""The ``lstmcast`` command line: recipes, forecasts and evaluations of a user's own series.

Heavy libraries (JAX, pandas, statsforecast) are imported inside the commands, so ``--help`` and
``--version`` answer at once. Every ``LstmcastError`` is printed as one line on stderr, with exit
status 2; nothing half-written is left behind.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

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
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """lstmcast: the Keras LSTM tutorials' workflow, done right and a thousand times faster."""


recipe_app = typer.Typer(help="The classic Keras LSTM tutorials, one command each, beside honest baselines.", no_args_is_help=True)
app.add_typer(recipe_app, name="recipe")


@recipe_app.command("list")
def recipe_list() -> None:
    """List the recipes and the tutorials they reproduce."""
    from lstmcast import recipes

    for recipe in recipes.RECIPES.values():
        typer.echo(f"{recipe.name:9s} {recipe.title}")
        typer.echo(f"{'':9s} tutorial: {recipe.tutorial}")


@recipe_app.command("run")
def recipe_run(
    name: str = typer.Argument(..., help="airline, milk, shampoo or sunspots (see `lstmcast recipe list`)."),
    seeds: int = typer.Option(5, "--seeds", help="Networks trained at once (seeds 0..N-1); reports mean ± std and the ensemble."),
    fixed: bool = typer.Option(False, "--fixed", help="The tutorial's settings without its leak (scaler fitted on the training part)."),
    improved: bool = typer.Option(False, "--improved", help="lstmcast's recommended settings for this series."),
    epochs: int = typer.Option(None, "--epochs", help="Override the number of epochs (for a quick look)."),
    out: Path = typer.Option(Path("runs"), "--out", help="Folder for the run folder (runs/<recipe>-<variant>-<timestamp>/)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of the table."),
) -> None:
    """Run a tutorial recipe: train, evaluate one-step walk-forward beside baselines, write a run folder."""
    from lstmcast import recipes

    if fixed and improved:
        raise InvalidInputError("choose at most one of --fixed and --improved")
    variant = "fixed" if fixed else "improved" if improved else "faithful"
    _import_in_background("matplotlib.backends.backend_agg", "matplotlib.figure")
    summary = recipes.run(name, variant=variant, seeds=seeds, epochs=epochs, out_root=out, verbose=0 if as_json else 1)
    if as_json:
        typer.echo(json.dumps(summary, default=float))
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
    rmse, metrics, seconds = summary["test_rmse"], summary["metrics"], summary["model_seconds"]
    n = summary["seeds"]
    rows = [
        {
            "model": f"LSTM ({n} seeds)",
            "test RMSE": f"{rmse['lstm_mean']:.4g} ± {rmse['lstm_std']:.2g}",
            "train RMSE": f"{summary['train_rmse']['lstm_mean']:.4g} ± {summary['train_rmse']['lstm_std']:.2g}",
            "s": f"{seconds['lstm']:.2f}",
        },
        {"model": "LSTM ensemble", **_metric_cells(metrics["lstm"])},
    ]
    rows += [{"model": name, **_metric_cells(metrics[name]), "s": f"{seconds[name]:.2f}"} for name in metrics if name != "lstm"]
    title = f"{summary['title']}: {summary['variant']}"
    table = metrics_table(rows, title=title, columns=["model", "test RMSE", "MAE", "sMAPE %", "MASE", "train RMSE", "s"])
    table.columns[0].no_wrap = True
    console.print(table)
    console.print(f"Measured on: {summary['measured_on']}; 'LSTM (N seeds)' is the mean ± std of the seeds' scores.")
    lowest = min((v, k) for k, v in rmse.items() if k != "lstm_std" and v is not None)
    console.print(f"Lowest test RMSE: {lowest[1]} ({lowest[0]:.4g}).")
    for deviation in summary["deviations"]:
        console.print(f"[dim]- {deviation}[/dim]")
    if "run_dir" in summary:
        console.print(f"Run folder: {summary['run_dir']}  ({summary['seconds']:.1f} s in all)")


def _metric_cells(m: dict) -> dict:
    return {"test RMSE": m["rmse"], "MAE": m["mae"], "sMAPE %": m["smape"], "MASE": m["mase"]}


# -- a user's own series ------------------------------------------------------------------------
_DATA_HELP = "Reading the CSV"
_MODEL_HELP = "Model (omit all to use lstmcast's recommended settings)"


def _load_series(path, date_col, value_col, sep, skip_footer, na_value, missing, date_format):
    from lstmcast.data import load_csv

    return load_csv(
        path,
        date_col=date_col,
        value_col=value_col,
        sep=sep,
        skip_footer=skip_footer,
        na_values=na_value or None,
        missing=missing,
        date_format=date_format,
    )


def _model_params(series, season: int, overrides: dict) -> dict:
    """Recommended settings for ``series``, with any option the user gave taking precedence."""
    from lstmcast.forecast import recommended_params

    params = recommended_params(series, season)
    given = {k: v for k, v in overrides.items() if v not in (None, [], ())}
    if "seeds" in given:
        given["n_models"] = given.pop("seeds")
    params.update(given)
    return params


def _check_outputs(*paths: Path | None, overwrite: bool) -> None:
    from lstmcast.errors import OutputExistsError

    for path in paths:
        if path is not None and path.exists() and not overwrite:
            raise OutputExistsError(f"{path} already exists; pass --overwrite or choose another path")


@app.command()
def forecast(
    data: Path = typer.Argument(..., help="CSV file with a date column and a value column."),
    horizon: int = typer.Option(..., "--horizon", "-h", help="How many points to forecast after the data."),
    output: Path = typer.Option(..., "--output", "-o", help="CSV to write: ds, lstm (ensemble mean), lstm-min, lstm-max."),
    plot: Path = typer.Option(None, "--plot", help="PNG of the history and the forecast with the ensemble's spread."),
    date_col: str = typer.Option(None, "--date-col", help="Date column (default: the first).", rich_help_panel=_DATA_HELP),
    value_col: str = typer.Option(None, "--value-col", help="Value column (default: the only numeric one).", rich_help_panel=_DATA_HELP),
    sep: str = typer.Option(",", "--sep", help="Field separator.", rich_help_panel=_DATA_HELP),
    skip_footer: int = typer.Option(0, "--skip-footer", help="Lines to drop at the end of the file.", rich_help_panel=_DATA_HELP),
    na_value: list[str] = typer.Option([], "--na-value", help="A marker of missing values, e.g. -1 (repeatable).", rich_help_panel=_DATA_HELP),
    missing: str = typer.Option("error", "--missing", help="error, interpolate or drop (ends only).", rich_help_panel=_DATA_HELP),
    date_format: str = typer.Option(None, "--date-format", help="strptime format of the dates, e.g. %d/%m/%Y.", rich_help_panel=_DATA_HELP),
    season: int = typer.Option(None, "--season", help="Seasonal period (default: from the frequency).", rich_help_panel=_MODEL_HELP),
    look_back: int = typer.Option(None, "--look-back", rich_help_panel=_MODEL_HELP),
    units: int = typer.Option(None, "--units", rich_help_panel=_MODEL_HELP),
    epochs: int = typer.Option(None, "--epochs", rich_help_panel=_MODEL_HELP),
    batch_size: int = typer.Option(None, "--batch-size", rich_help_panel=_MODEL_HELP),
    learning_rate: float = typer.Option(None, "--learning-rate", rich_help_panel=_MODEL_HELP),
    seeds: int = typer.Option(None, "--seeds", help="Ensemble size (default 5).", rich_help_panel=_MODEL_HELP),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing output files."),
) -> None:
    """Forecast the next HORIZON points of a series (ensemble mean, with the members' spread)."""
    import numpy as np
    import pandas as pd

    from lstmcast.data import future_index, season_length
    from lstmcast.forecast import LSTMForecaster

    if horizon < 1:
        raise InvalidInputError(f"--horizon must be >= 1, got {horizon}")
    _check_outputs(output, plot, overwrite=overwrite)
    series = _load_series(data, date_col, value_col, sep, skip_footer, na_value, missing, date_format)
    season = season or season_length(series)
    overrides = dict(look_back=look_back, units=units, epochs=epochs, batch_size=batch_size, learning_rate=learning_rate, seeds=seeds)
    params = _model_params(series, season, overrides)
    model = LSTMForecaster(**params, verbose=1).fit(series)
    members = model.predict(horizon, members=True)
    dates = future_index(series, horizon)
    frame = pd.DataFrame({"ds": dates, "lstm": members.mean(axis=0), "lstm-min": members.min(axis=0), "lstm-max": members.max(axis=0)})
    from lstmcast.report import plot_future, write_csv

    write_csv(output, frame, index=False, overwrite=overwrite)
    if plot is not None:
        plot_future(
            plot, index=series.index, y=series.to_numpy(), future_index=dates, mean=frame["lstm"].to_numpy(),
            lower=frame["lstm-min"].to_numpy(), upper=frame["lstm-max"].to_numpy(),
            title=f"{series.name}: LSTM forecast, mean of {len(members)} seeds (band: their min-max)",
            ylabel=str(series.name), band_label=f"min-max of {len(members)} seeds", overwrite=overwrite,
        )
    typer.echo(f"wrote {output}" + (f" and {plot}" if plot else "") + f": {horizon} points from {dates[0]} "
               f"(settings: {', '.join(f'{k}={v}' for k, v in params.items())}; epochs run {np.asarray(model.epochs_run_).tolist()})")


def _label(stamp) -> str:
    return f"{stamp:%Y-%m-%d}" if hasattr(stamp, "strftime") else str(stamp)


@app.command()
def evaluate(
    data: Path = typer.Argument(..., help="CSV file with a date column and a value column."),
    test_size: int = typer.Option(..., "--test-size", help="Points at the end held out for testing."),
    horizon: int = typer.Option(None, "--horizon", help="Backtest horizon (default: the test size)."),
    windows: int = typer.Option(3, "--windows", help="Backtest cut-offs (rolling origin)."),
    date_col: str = typer.Option(None, "--date-col", rich_help_panel=_DATA_HELP),
    value_col: str = typer.Option(None, "--value-col", rich_help_panel=_DATA_HELP),
    sep: str = typer.Option(",", "--sep", rich_help_panel=_DATA_HELP),
    skip_footer: int = typer.Option(0, "--skip-footer", rich_help_panel=_DATA_HELP),
    na_value: list[str] = typer.Option([], "--na-value", rich_help_panel=_DATA_HELP),
    missing: str = typer.Option("error", "--missing", rich_help_panel=_DATA_HELP),
    date_format: str = typer.Option(None, "--date-format", rich_help_panel=_DATA_HELP),
    season: int = typer.Option(None, "--season", rich_help_panel=_MODEL_HELP),
    look_back: int = typer.Option(None, "--look-back", rich_help_panel=_MODEL_HELP),
    units: int = typer.Option(None, "--units", rich_help_panel=_MODEL_HELP),
    epochs: int = typer.Option(None, "--epochs", rich_help_panel=_MODEL_HELP),
    batch_size: int = typer.Option(None, "--batch-size", rich_help_panel=_MODEL_HELP),
    learning_rate: float = typer.Option(None, "--learning-rate", rich_help_panel=_MODEL_HELP),
    seeds: int = typer.Option(None, "--seeds", rich_help_panel=_MODEL_HELP),
) -> None:
    """Score the LSTM beside baselines: one-step walk-forward on the test part, then a multi-step backtest."""
    from rich.console import Console

    from lstmcast.data import season_length
    from lstmcast.evaluate import backtest, walk_forward
    from lstmcast.forecast import LSTMForecaster
    from lstmcast.report import metrics_table

    series = _load_series(data, date_col, value_col, sep, skip_footer, na_value, missing, date_format)
    if not 1 <= test_size < len(series) - 24:
        raise InvalidInputError(f"--test-size must be between 1 and {len(series) - 25} for {len(series)} points")
    season = season or season_length(series)
    overrides = dict(look_back=look_back, units=units, epochs=epochs, batch_size=batch_size, learning_rate=learning_rate, seeds=seeds)
    params = _model_params(series[:-test_size], season, overrides)
    model = LSTMForecaster(**params)
    console = Console()
    for result in (
        walk_forward(model, series, test_size=test_size, season=season),
        backtest(model, series, horizon=horizon or test_size, n_windows=windows, season=season),
    ):
        rows = [{"model": name, **{k.upper() if k != "smape" else "sMAPE %": v for k, v in m.items()}, "s": f"{result.seconds.get(name, 0):.2f}"}
                for name, m in result.metrics.items()]
        table = metrics_table(rows, title=f"{series.name}: {result.kind}", columns=["model", "RMSE", "MAE", "MAPE", "sMAPE %", "MASE", "s"])
        console.print(table)
    console.print(f"LSTM settings: {', '.join(f'{k}={v}' for k, v in params.items())} (lstm = mean of the ensemble; MASE scaled by the seasonal naive error on the training part, season {season})")


def main() -> None:
    """Console entry point: run the app, turning lstmcast errors into one line and status 2."""
    try:
        app()
    except LstmcastError as error:
        message = " ".join(str(error).split())
        print(f"lstmcast: error: {message}", file=sys.stderr)
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
