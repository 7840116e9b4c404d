"""What a recipe's run shows: its summary as a table and the lines of text under it.

Each function takes a recipe's JSON summary (``lstmcast.recipes.run``) and returns rich
renderables, printed with ``console.print(*renderables)``: a ``Table`` and one ``Text`` of lines
(one ``Text``, not one per line: ``console.print`` joins adjacent texts with spaces).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lstmcast.report.tables import metrics_table

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

__all__ = ["classification_recipe_report", "forecast_recipe_report"]


def forecast_recipe_report(summary: Mapping[str, Any]) -> list[Table | Text]:
    """The table and notes of a forecasting recipe's run.

    Parameters
    ----------
    summary : dict
        A forecasting recipe's summary: ``title``, ``variant``, ``seeds``, ``test_rmse``,
        ``train_rmse``, ``metrics``, ``model_seconds``, ``measured_on``, ``deviations`` and, after
        a run that wrote a run folder, ``run_dir`` and ``seconds``.

    Returns
    -------
    list
        The table (one row for the seeds' scores, one for their ensemble, one per baseline), then
        a ``Text`` of lines: what was measured, the model with the lowest test RMSE, the tutorial's
        mistakes the variant reproduces, and the run folder.
    """
    rmse, metrics, seconds = summary["test_rmse"], summary["metrics"], summary["model_seconds"]
    lstm = next(iter(metrics))
    rows = [
        {
            "model": f"LSTM ({summary['seeds']} seeds)",
            "test RMSE": _mean_and_std(rmse),
            "train RMSE": _mean_and_std(summary["train_rmse"]),
            "s": f"{seconds[lstm]:.2f}",
        },
        {"model": "LSTM ensemble", **_metric_cells(metrics[lstm])},
    ]
    rows += [
        {"model": alias, **_metric_cells(metrics[alias]), "s": f"{seconds[alias]:.2f}"}
        for alias in metrics
        if alias != lstm
    ]
    table = metrics_table(
        rows,
        title=f"{summary['title']}: {summary['variant']}",
        columns=["model", "test RMSE", "MAE", "sMAPE %", "MASE", "train RMSE", "s"],
    )
    table.columns[0].no_wrap = True
    models = {
        "LSTM (mean of seeds)": rmse["lstm_mean"],
        "LSTM ensemble": rmse["lstm_ensemble"],
        **{alias: rmse[alias] for alias in metrics if alias != lstm},
    }
    best = min((value, model) for model, value in models.items() if value is not None)
    lines = [
        f"Measured on: {summary['measured_on']}; 'LSTM (N seeds)' is the mean ± std of the seeds' scores.",
        f"Lowest test RMSE: {best[1]} ({best[0]:.4g}).",
    ]
    return [table, _lines(lines + _closing(summary))]


def classification_recipe_report(summary: Mapping[str, Any]) -> list[Table | Text]:
    """The table and notes of a sequence-classification recipe's run.

    Parameters
    ----------
    summary : dict
        A classification recipe's summary: ``title``, ``variant``, ``seeds``, ``per_seed`` (with
        ``keras_binary_accuracy`` where the variant reproduces Keras' metric), ``ensemble``,
        ``measured_on``, ``seeds_with_every_class_right``, ``deviations`` and, after a run that
        wrote a run folder, ``run_dir`` and ``seconds``.

    Returns
    -------
    list
        The table (one row per seed, then the ensemble's), then a ``Text`` of lines: what the
        columns mean, what was measured, the deviations and the run folder.
    """
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
    lines = [
        "'mean': the ensemble (the seeds' outputs averaged)."
        + (" Keras 'accuracy': binary accuracy over the 24 one-hot cells." if keras else ""),
        f"Measured on: {summary['measured_on']}. True classes: 1 2 3 2 3 1; the notebook classified the new "
        f"sequence [0 0 0 0 0 1] as 1. {summary['seeds_with_every_class_right']} of {summary['seeds']} seeds "
        "get every class right.",
    ]
    return [table, _lines(lines + _closing(summary))]


def _mean_and_std(scores: Mapping[str, Any]) -> str:
    """``mean ± std`` of the seeds' scores; the mean alone for one seed (no standard deviation)."""
    if scores["lstm_std"] is None:
        return f"{scores['lstm_mean']:.4g}"
    return f"{scores['lstm_mean']:.4g} ± {scores['lstm_std']:.2g}"


def _metric_cells(m: Mapping[str, Any]) -> dict[str, Any]:
    return {"test RMSE": m["rmse"], "MAE": m["mae"], "sMAPE %": m["smape"], "MASE": m["mase"]}


def _closing(summary: Mapping[str, Any]) -> list[str]:
    """The lines every recipe ends with: the variant's deviations (dimmed), then the run folder."""
    lines = [f"[dim]- {deviation}[/dim]" for deviation in summary["deviations"]]
    if "run_dir" in summary:
        lines.append(f"Run folder: {summary['run_dir']}  ({summary['seconds']:.1f} s in all)")
    return lines


def _lines(markup: list[str]) -> Text:
    """One ``Text`` of these lines, each read as ``console.print`` reads a string (markup, then
    the default highlighting of numbers and quotes)."""
    from rich.highlighter import ReprHighlighter
    from rich.text import Text

    highlight = ReprHighlighter()
    return Text("\n").join(highlight(Text.from_markup(line)) for line in markup)
