"""What every recipe is: one ``Recipe`` interface, and the forecasting workflow the forecasting
recipes share (``ForecastRecipe``).

A recipe reproduces one tutorial. ``Recipe.run`` trains and scores a variant and returns its
summary (and whatever its run folder needs); ``Recipe.write`` writes the run folder's files
beyond ``config.json`` and ``metrics.json`` (which ``lstmcast.recipes.run`` writes for every
recipe); ``Recipe.report`` turns a summary into what is printed. A forecasting recipe only says,
in ``ForecastRecipe.setup``, what a variant runs (the forecaster, the training part, the scored
points, the tutorial's mistakes it reproduces); loading, the one-step walk-forward beside the
baselines, the summary and the run folder's predictions and plots are ``ForecastRecipe``'s.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lstmcast._checks import one_of, positive_int
from lstmcast._io import jsonable
from lstmcast.evaluate import rmse
from lstmcast.forecast import Forecaster

if TYPE_CHECKING:
    import pandas as pd

    from lstmcast.evaluate import Evaluation

__all__ = [
    "VARIANTS",
    "ForecastRecipe",
    "ForecastResult",
    "Recipe",
    "RecipeResult",
    "RunOptions",
    "Setup",
    "seed_distribution",
]

VARIANTS = ("faithful", "fixed", "improved")
_PLOT_POINTS = 730
_PLOTTED_BASELINES = ("persistence", "auto_arima")  # more lines would bury the LSTM's


@dataclass(frozen=True)
class RecipeResult:
    """What a recipe's run produced.

    Parameters
    ----------
    summary : dict
        The run's JSON-able summary (what ``lstmcast recipe run --json`` prints, and the run
        folder's ``config.json`` and ``metrics.json`` hold).
    """

    summary: dict[str, Any]


@dataclass(frozen=True)
class RunOptions:
    """How a recipe runs: ``Recipe.run``'s arguments beside the variant, checked.

    Parameters
    ----------
    n_seeds : int
        Networks trained at once (seeds ``0 .. n_seeds - 1``), a whole number >= 1.
    epochs : int, optional
        Overrides the variant's epochs (a whole number >= 1).
    verbose : int, default 0
        1 shows progress bars.
    executor : concurrent.futures.Executor, optional
        Where the parallel parts run.
    baselines : sequence of Forecaster, optional
        Replace a forecasting recipe's default baselines.
    """

    n_seeds: int
    epochs: int | None = None
    verbose: int = 0
    executor: Executor | None = None
    baselines: Sequence[Forecaster] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "n_seeds", positive_int(self.n_seeds, "n_seeds"))
        if self.epochs is not None:
            object.__setattr__(self, "epochs", positive_int(self.epochs, "epochs"))


class Recipe(abc.ABC):
    """A tutorial, reproduced: its variants, run, written and reported.

    Parameters
    ----------
    name : str
        The name ``lstmcast recipe run`` takes.
    title : str
        What the data is, in a few words (the table's title).
    tutorial : str
        The tutorial it reproduces and that tutorial's settings, in a sentence.

    Attributes
    ----------
    variants : tuple of str
        The variants it has (``faithful`` first, the default).
    default_seeds : int
        The networks trained at once when ``n_seeds`` is not given.
    """

    variants: tuple[str, ...] = VARIANTS
    default_seeds: int = 5

    def __init__(self, name: str, title: str, tutorial: str) -> None:
        self.name, self.title, self.tutorial = name, title, tutorial

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    def check_variant(self, variant: str) -> str:
        """The variant, if this recipe has it.

        Parameters
        ----------
        variant : str
            One of ``variants``.

        Returns
        -------
        str
            ``variant``; otherwise ``InvalidInputError`` names the recipe's variants.
        """
        return one_of(variant, self.variants, f"variant of {self.name}")

    def run(
        self,
        variant: str,
        *,
        n_seeds: int | None = None,
        epochs: int | None = None,
        verbose: int = 0,
        executor: Executor | None = None,
        baselines: Sequence[Forecaster] | None = None,
    ) -> RecipeResult:
        """Train and score a variant.

        Parameters
        ----------
        variant : str
            One of ``variants``.
        n_seeds : int, optional
            Networks trained at once (seeds ``0 .. n_seeds - 1``); default ``default_seeds``.
        epochs : int, optional
            Overrides the variant's epochs (for a quick look).
        verbose : int, default 0
            1 shows progress bars.
        executor : concurrent.futures.Executor, optional
            Where the parallel parts run (``lstmcast.parallel.cluster``).
        baselines : sequence of Forecaster, optional
            The models a forecasting recipe is compared with, instead of its default ones; a
            recipe that compares no models refuses them.

        Returns
        -------
        RecipeResult
            The summary, and what ``write`` needs for the run folder.
        """
        self.check_variant(variant)
        n_seeds = self.default_seeds if n_seeds is None else n_seeds
        return self.execute(variant, RunOptions(n_seeds, epochs, verbose, executor, baselines))

    @abc.abstractmethod
    def execute(self, variant: str, options: RunOptions) -> RecipeResult:
        """What ``run`` does once its arguments are checked: train and score the variant.

        Parameters
        ----------
        variant : str
            One of ``variants``.
        options : RunOptions
            ``run``'s other arguments, checked (``n_seeds`` the recipe's default when not given).

        Returns
        -------
        RecipeResult
        """

    def write(self, run_dir: Path, result: RecipeResult) -> None:  # noqa: B027 (a default: no files)
        """Write the run folder's files beyond ``config.json`` and ``metrics.json``: none here.

        Parameters
        ----------
        run_dir : pathlib.Path
            The run's new folder.
        result : RecipeResult
            What ``run`` returned.
        """

    @abc.abstractmethod
    def report(self, summary: dict[str, Any]) -> list[Any]:
        """What to print about a run: ``console.print(*recipe.report(summary))``.

        Parameters
        ----------
        summary : dict
            A summary of this recipe's (``lstmcast.recipes.run``'s, with ``run_dir`` and ``seconds``
            when it wrote a run folder).

        Returns
        -------
        list
            rich renderables, built by ``lstmcast.report``.
        """


@dataclass(frozen=True)
class Setup:
    """What a forecasting variant runs.

    Parameters
    ----------
    forecaster : Forecaster
        The model, not fitted.
    test_start : int
        Where the training part ends.
    score_slice : slice
        Which test points are scored.
    points : str
        Those points, in words.
    deviations : tuple of str
        The tutorial's mistakes the variant reproduces (or the ones it fixes), one sentence each.
    findings : dict
        What choosing the forecaster found (a search's configurations and best settings); added
        to the summary.
    """

    forecaster: Forecaster
    test_start: int
    score_slice: slice
    points: str
    deviations: tuple[str, ...]
    findings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ForecastResult(RecipeResult):
    """What a forecasting recipe's run produced: its summary, and what its run folder shows.

    Parameters
    ----------
    series : pandas.Series
        The series the recipe ran on.
    evaluation : lstmcast.evaluate.Evaluation
        The walk-forward evaluation (with in-sample forecasts and the fitted models).
    alias : str
        The LSTM's column in the evaluation.
    """

    series: pd.Series
    evaluation: Evaluation
    alias: str


class ForecastRecipe(Recipe):
    """A recipe that forecasts one series one step ahead, beside the baselines.

    A subclass says in ``setup`` what a variant runs. The rest is shared: ``run`` loads the series,
    evaluates the variant's LSTM one step ahead (walk-forward) beside the default baselines on the
    tutorial's test points, its in-sample forecasts too, and summarises the seeds' test and
    training RMSEs; ``write`` adds ``predictions.csv`` (every point: its part, whether it is scored,
    each model's one-step forecast), ``forecast.png`` (the last 730 points of a long series) and
    ``training.png`` (the seeds' training loss) to the run folder.

    Parameters
    ----------
    dataset : str
        The bundled dataset it loads (``lstmcast.datasets.load``).
    season : int
        The seasonal period (the baselines' season, MASE's lag).
    """

    def __init__(self, name: str, title: str, tutorial: str, *, dataset: str, season: int) -> None:
        super().__init__(name, title, tutorial)
        self.dataset, self.season = dataset, season

    def load(self) -> pd.Series:
        """The series the tutorial uses.

        Returns
        -------
        pandas.Series
        """
        from lstmcast.datasets import load

        return load(self.dataset)

    @abc.abstractmethod
    def setup(self, variant: str, series: pd.Series, common: dict[str, Any], executor: Executor | None) -> Setup:
        """What a variant runs on the series.

        Parameters
        ----------
        variant : str
            One of ``variants``.
        series : pandas.Series
            The recipe's series (``load()``).
        common : dict
            Settings every forecaster takes: ``n_seeds``, ``seed``, ``verbose`` and, when
            overridden, ``epochs``.
        executor : concurrent.futures.Executor or None
            Where a search for the settings runs (a recipe that searches nothing ignores it).

        Returns
        -------
        Setup
        """

    def prepare(self, variant: str, options: RunOptions) -> tuple[pd.Series, Setup]:
        """The series and what the variant runs on it (only a recipe that searches for its settings
        trains anything here: the search, on the training part).

        Parameters
        ----------
        variant : str
            One of ``variants``.
        options : RunOptions
            How it runs; a search for the settings runs on ``options.executor``, unless that is a
            ``SideProcess`` (which is for light tasks).

        Returns
        -------
        tuple of (pandas.Series, Setup)
        """
        from lstmcast.parallel import SideProcess

        self.check_variant(variant)
        common: dict[str, Any] = {"n_seeds": options.n_seeds, "seed": 0, "verbose": options.verbose}
        if options.epochs is not None:
            common["epochs"] = options.epochs
        series = self.load()
        executor = None if isinstance(options.executor, SideProcess) else options.executor
        return series, self.setup(variant, series, common, executor)

    def execute(self, variant: str, options: RunOptions) -> ForecastResult:
        from lstmcast.evaluate import walk_forward

        series, setup = self.prepare(variant, options)
        forecaster = setup.forecaster
        evaluation = walk_forward(
            forecaster,
            series,
            test_start=setup.test_start,
            season=self.season,
            baselines=options.baselines,
            score_slice=setup.score_slice,
            in_sample=True,
            executor=options.executor,
        )
        lstm = forecaster.alias
        values = series.to_numpy(np.float64)
        in_sample = evaluation.in_sample_members[lstm]
        has_window = np.isfinite(in_sample[0])  # points with a full window before them
        train_rmse = np.array(
            [rmse(values[: setup.test_start][has_window], member[has_window]) for member in in_sample]
        )
        summary = {
            "recipe": self.name,
            "variant": variant,
            "title": self.title,
            "tutorial": self.tutorial,
            "seeds": forecaster.n_seeds,
            "settings": _settings(forecaster),
            "measured_on": f"{evaluation.kind}: {setup.points}",
            "train_points": setup.test_start,
            "test_rmse": {
                **seed_distribution(
                    evaluation.member_scores(lstm, "rmse"), evaluation.metrics.get("persistence", {}).get("rmse")
                ),
                "lstm_ensemble": evaluation.metrics[lstm]["rmse"],
                **{alias: evaluation.metrics[alias]["rmse"] for alias in evaluation.aliases if alias != lstm},
            },
            "train_rmse": {"lstm_mean": float(train_rmse.mean()), "lstm_std": _sample_std(train_rmse)},
            "metrics": evaluation.metrics,
            "epochs_run": evaluation.fitted_models[lstm][0].epochs_run_.tolist(),
            "model_seconds": evaluation.seconds,
            "deviations": list(setup.deviations),
            **setup.findings,
        }
        return ForecastResult(jsonable(summary), series, evaluation, lstm)

    def write(self, run_dir: Path, result: ForecastResult) -> None:
        import pandas as pd

        from lstmcast.report import plot_forecast, plot_training_curves, write_csv

        series, evaluation, lstm, summary = result.series, result.evaluation, result.alias, result.summary
        test_start = len(evaluation.in_sample)
        frame = pd.DataFrame({"ds": series.index, "y": series.to_numpy()})
        frame["part"] = np.where(np.arange(len(series)) < test_start, "train", "test")
        frame["scored"] = frame["ds"].isin(evaluation.forecasts["ds"])
        predictions = pd.concat([evaluation.in_sample, evaluation.forecasts.drop(columns="cutoff")], ignore_index=True)
        frame = frame.merge(predictions.drop(columns=["unique_id", "y"]), on="ds", how="left")
        write_csv(run_dir / "predictions.csv", frame)
        # A long series (daily sunspots) is unreadable whole: show its last _PLOT_POINTS points.
        shown = frame.iloc[-_PLOT_POINTS:]
        train, scored = shown[(shown["part"] == "train") & shown[lstm].notna()], shown[shown["scored"]]
        zoom = "" if len(shown) == len(frame) else f", last {_PLOT_POINTS} points"
        plot_forecast(
            run_dir / "forecast.png",
            index=shown["ds"].to_numpy(),
            y=shown["y"].to_numpy(),
            train_pred=(train["ds"].to_numpy(), train[lstm].to_numpy()) if len(train) else None,
            test_pred=(scored["ds"].to_numpy(), scored[lstm].to_numpy()),
            baselines={
                alias: (scored["ds"].to_numpy(), scored[alias].to_numpy())
                for alias in _PLOTTED_BASELINES
                if alias in frame
            },
            title=f"{self.title}: {summary['variant']}, {_seeds(summary['seeds'])}, one-step{zoom}",
            ylabel=str(series.name or "value"),
        )
        plot_training_curves(
            run_dir / "training.png",
            history=evaluation.fitted_models[lstm][0].history_,
            title=f"{self.name} ({summary['variant']}): training loss of {_seeds(summary['seeds'])} (scaled units)",
        )

    def report(self, summary: dict[str, Any]) -> list[Any]:
        from lstmcast.report import forecast_recipe_report

        return forecast_recipe_report(summary)


def seed_distribution(scores: np.ndarray, persistence: float | None) -> dict[str, float | None]:
    """The seeds' test scores as a distribution.

    Parameters
    ----------
    scores : array-like
        One score per seed.
    persistence : float or None
        Persistence's score on the same points (None when it was not evaluated).

    Returns
    -------
    dict
        ``lstm_mean``, ``lstm_std`` (sample standard deviation, ddof 1; None for one seed),
        ``lstm_median``, ``lstm_q25``, ``lstm_q75`` and ``share_beating_persistence`` (the share
        of seeds whose score is below persistence's; None without it).
    """
    scores = np.asarray(scores, np.float64)
    q25, median, q75 = np.percentile(scores, [25, 50, 75])
    return {
        "lstm_mean": float(scores.mean()),
        "lstm_std": _sample_std(scores),
        "lstm_median": float(median),
        "lstm_q25": float(q25),
        "lstm_q75": float(q75),
        "share_beating_persistence": None if persistence is None else float(np.mean(scores < persistence)),
    }


def _sample_std(values: np.ndarray) -> float | None:
    return float(np.std(values, ddof=1)) if len(values) > 1 else None


def _settings(forecaster: Forecaster) -> dict[str, Any]:
    settings = forecaster.get_params(deep=False)
    for name, value in settings.items():
        if isinstance(value, np.ndarray):  # validation_data: say what it is, not its 6,000 values
            settings[name] = f"{len(value)} values after the training part (the test part)"
    return settings


def _seeds(n: int) -> str:
    return f"{n} seed" if n == 1 else f"{n} seeds"
