"""The classic Keras LSTM tutorials as one-command recipes, each beside honest baselines.

Every forecasting recipe has three variants:

* ``faithful`` — the tutorial's code to the letter (``../shared/tutorials/``): its data vintage,
  split, scaling, windowing, network, loss, optimizer, batch size, shuffling, epochs, early
  stopping and state handling, and the points it scores, including its mistakes where they change
  the numbers (each listed in the output). Metrics are computed correctly, in original units.
* ``fixed`` — the same settings with those mistakes removed.
* ``improved`` — settings chosen without looking at the test points.

All variants train ``n_seeds`` networks at once and report the distribution of their test scores
(mean, sample standard deviation, median, quartiles, the share of seeds that beat persistence)
and the ensemble's score, beside persistence, seasonal naive, AutoETS and AutoARIMA on the same
test points. The toy classifier (``faithful`` and ``improved``) reports per seed what its notebook
printed beside the class accuracy.

Each recipe is a ``lstmcast.recipes.base.Recipe`` in a module of its own (``airline`` for airline
and milk, ``shampoo``, ``sunspots``, ``gridsearch``, ``toy_classifier``); this module holds the
registry and ``run``, which writes every recipe's run folder the same way.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from lstmcast.errors import InvalidInputError
from lstmcast.forecast import Forecaster
from lstmcast.recipes.airline import AIRLINE, MILK
from lstmcast.recipes.base import VARIANTS, Recipe
from lstmcast.recipes.gridsearch import GRIDSEARCH
from lstmcast.recipes.shampoo import SHAMPOO
from lstmcast.recipes.sunspots import SUNSPOTS
from lstmcast.recipes.toy_classifier import TOY_CLASSIFIER

__all__ = ["RECIPES", "VARIANTS", "Recipe", "get", "names", "run"]

RECIPES: dict[str, Recipe] = {
    recipe.name: recipe for recipe in (AIRLINE, MILK, SHAMPOO, GRIDSEARCH, SUNSPOTS, TOY_CLASSIFIER)
}
_CONFIG_KEYS = ("recipe", "variant", "tutorial", "seeds", "settings", "deviations")


def names() -> list[str]:
    """The recipes' names, in the order ``lstmcast recipe list`` shows them.

    Returns
    -------
    list of str
        The names ``get`` and ``run`` accept.
    """
    return list(RECIPES)


def get(name: str) -> Recipe:
    """The recipe called ``name``.

    Parameters
    ----------
    name : str
        The recipe's name, one of ``names()``; an unknown one raises ``InvalidInputError``, which
        lists the recipes.

    Returns
    -------
    Recipe
        The recipe registered under ``name``.
    """
    if name not in RECIPES:
        raise InvalidInputError(
            f"unknown recipe {name!r}; the recipes are: {', '.join(RECIPES)} (see `lstmcast recipe list`)"
        )
    return RECIPES[name]


def run(
    name: str,
    *,
    variant: str = "faithful",
    n_seeds: int | None = None,
    epochs: int | None = None,
    baselines: Sequence[Forecaster] | None = None,
    out_root: str | Path | None = "runs",
    verbose: int = 1,
    executor: Executor | None = None,
) -> dict[str, Any]:
    """Run a recipe and write its run folder.

    Parameters
    ----------
    name : str
        The recipe (``names()``).
    variant : str, default "faithful"
        One of the recipe's ``variants``.
    n_seeds : int, optional
        Networks trained at once; default the recipe's ``default_seeds`` (5; shampoo 30).
    epochs : int, optional
        Overrides the recipe's epochs (for quick looks).
    baselines : sequence of Forecaster, optional
        Replace a forecasting recipe's default baselines.
    out_root : str or pathlib.Path or None, default "runs"
        Where the run folder ``<name>-<variant>-<timestamp>/`` is made: ``config.json`` (what ran),
        ``metrics.json`` (the summary less its settings and tutorial) and the recipe's own files
        (a forecasting recipe's predictions and plots). None writes nothing.
    verbose : int, default 1
        1 shows progress bars.
    executor : concurrent.futures.Executor, optional
        Where the parallel parts run (``lstmcast.parallel.cluster``).

    Returns
    -------
    dict
        The recipe's summary, with ``run_dir`` (when a run folder was written) and ``seconds``
        (the whole run's wall time).
    """
    started = time.perf_counter()
    recipe = get(name)
    result = recipe.run(  # which refuses a variant the recipe does not have before any work
        variant, n_seeds=n_seeds, epochs=epochs, verbose=verbose, executor=executor, baselines=baselines
    )
    summary = dict(result.summary)
    if out_root is not None:
        from lstmcast.report import new_run_dir

        run_dir = new_run_dir(out_root, f"{recipe.name}-{variant}")
        _write_summary(run_dir, summary)
        recipe.write(run_dir, result)
        summary["run_dir"] = str(run_dir)
    summary["seconds"] = time.perf_counter() - started
    return summary


def _write_summary(run_dir: Path, summary: dict[str, Any]) -> None:
    """``config.json``: what ran; ``metrics.json``: everything else it measured and said."""
    from lstmcast.report import write_json

    write_json(run_dir / "config.json", {key: summary[key] for key in _CONFIG_KEYS})
    write_json(run_dir / "metrics.json", {k: v for k, v in summary.items() if k not in ("settings", "tutorial")})
