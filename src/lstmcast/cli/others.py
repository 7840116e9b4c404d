"""The commands that are not about a user's series: ``recipe list``, ``recipe run`` and ``classify``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer import Argument, Option

from lstmcast.cli.app import app, recipe_app
from lstmcast.cli.options import (
    ClusterOptions,
    Json,
    Overwrite,
    SequenceFileOptions,
    check_outputs,
    output_file,
    show,
    with_options,
)
from lstmcast.errors import InvalidInputError


@recipe_app.command("list")
def recipe_list() -> None:
    """List the recipes and the tutorials they reproduce."""
    from lstmcast import recipes

    width = max(len(name) for name in recipes.RECIPES)
    for recipe in recipes.RECIPES.values():
        typer.echo(f"{recipe.name:{width}s} {recipe.title}\n{'':{width}s} tutorial: {recipe.tutorial}")


@recipe_app.command("run")
@with_options(cluster=ClusterOptions)
def recipe_run(
    name: Annotated[str, Argument(help="A recipe (see `lstmcast recipe list`).")],
    n_seeds: Annotated[int | None, Option(help="Networks trained at once (default 5, shampoo 30).")] = None,
    fixed: Annotated[bool, Option("--fixed", help="The tutorial's settings without its mistakes.")] = False,
    improved: Annotated[bool, Option("--improved", help="lstmcast's recommended settings.")] = False,
    epochs: Annotated[int | None, Option(help="Override the epochs (for a quick look).")] = None,
    out: Annotated[Path, Option(help="Folder of the run folders.")] = Path("runs"),
    as_json: Json = False,
    opts: Any = None,
) -> None:
    """Run a tutorial recipe: train, evaluate one-step walk-forward beside baselines, write a run folder."""
    from lstmcast import recipes

    if fixed and improved:
        raise InvalidInputError("choose at most one of --fixed and --improved")
    variant = "fixed" if fixed else "improved" if improved else "faithful"
    settings = {
        "variant": variant,
        "n_seeds": n_seeds,
        "epochs": epochs,
        "out_root": out,
        "verbose": 0 if as_json else 1,
    }
    with opts.cluster.executor(side_process=True) as executor:  # baselines in a side process while networks train here
        summary = recipes.run(name, **settings, executor=executor)
    show(as_json, summary, *([] if as_json else recipes.get(name).report(summary)))


@app.command()
@with_options(files=SequenceFileOptions)
def classify(
    train: Annotated[Path, Argument(help="Training cases: a .ts file (UEA/UCR format) or a long CSV.")],
    test: Annotated[Path, Argument(help="Cases to classify, in the same format (with labels: the scores).")],
    opts: Any = None,
    n_seeds: Annotated[int | None, Option(help="Networks in the ensemble (default 5).")] = None,
    epochs: Annotated[int | None, Option(help="Training epochs (default: chosen from the data's size).")] = None,
    units: Annotated[int | None, Option(help="LSTM units (default 64).")] = None,
    output: output_file("CSV: case, label, predicted, proba_<class>...") = None,
    save: Annotated[Path | None, Option(help="Save the fitted classifier (.npz, no pickle).")] = None,
    overwrite: Overwrite = False,
    as_json: Json = False,
) -> None:
    """Train an LSTM-FCN classifier on TRAIN and classify TEST: accuracy, balanced accuracy, confusion matrix."""
    import time

    from rich.console import Console

    from lstmcast.classify import LSTMClassifier
    from lstmcast.report import classification_frame, classification_summary, write_csv

    check_outputs(overwrite, output, save)
    training, testing = opts.files.load(train), opts.files.load(test)
    given = {"n_seeds": n_seeds, "epochs": epochs, "units": units}
    model = LSTMClassifier(**{k: v for k, v in given.items() if v is not None}, verbose=0 if as_json else 1)
    started = time.perf_counter()
    model.fit(training.X, training.y)
    fit_seconds, started = time.perf_counter() - started, time.perf_counter()
    proba = model.predict_proba(testing.X)
    predicted, predict_seconds = model.classes_[proba.argmax(axis=1)], time.perf_counter() - started
    if save is not None:
        model.save(save, overwrite=overwrite)
    if output is not None:
        write_csv(
            output, classification_frame(testing, predicted, proba, model.classes_), index=False, overwrite=overwrite
        )
    summary = {
        "train_cases": len(training),
        "test_cases": len(testing),
        "classes": len(model.classes_),
        "networks": model.n_seeds,
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
    }
    shown = [
        f"{training.name or train.name}: {len(training)} training cases, {len(testing)} test cases, "
        f"{training.n_channels} channel(s), {len(model.classes_)} classes; {model.n_seeds} networks trained in "
        f"{fit_seconds:.1f} s (epochs {model.epochs_run_.max()}), predicted in {predict_seconds:.2f} s"
    ]
    if testing.y is not None:
        scores, renderables = classification_summary(testing.y, predicted, model.classes_, width=Console().width)
        summary.update(scores)
        shown += renderables
    shown += [f"wrote {' and '.join(str(p) for p in (output, save) if p is not None)}"] if output or save else []
    show(as_json, summary, *shown)
