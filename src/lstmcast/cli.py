"""The ``lstmcast`` command line: recipes, forecasts and evaluations of a user's own series.

Heavy libraries (JAX, pandas, statsforecast) are imported inside the commands, so ``--help`` and
``--version`` answer at once. Every ``LstmcastError`` is printed as one line on stderr, with exit
status 2; nothing half-written is left behind.
"""

from __future__ import annotations

import json
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
    summary = recipes.run(name, variant=variant, seeds=seeds, epochs=epochs, out_root=out, verbose=0 if as_json else 1)
    if as_json:
        typer.echo(json.dumps(summary, default=float))
        return
    _print_recipe(summary)


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


def main() -> None:
    """Console entry point: run the app, turning lstmcast errors into one line and status 2."""
    try:
        app()
    except LstmcastError as error:
        message = " ".join(str(error).split())
        print(f"lstmcast: error: {message}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
