"""What the command line shows of a result: its table as a rich renderable, and the same numbers as
one JSON-ready object (``--json``), so that scripts never parse tables.

Each function takes a library result (an ``Evaluation``, a search's result, classification
scores) and returns renderables or plain data; nothing here prints.
"""

from __future__ import annotations

from typing import Any

from lstmcast.report.tables import metrics_table

__all__ = ["classification_frame", "classification_summary", "evaluation_summary", "evaluation_table", "search_table"]

_HEADERS = {"rmse": "RMSE", "mae": "MAE", "smape": "sMAPE %", "mase": "MASE", "owa": "OWA"}


def evaluation_summary(evaluation: Any) -> dict[str, Any]:
    """An evaluation's table as plain data.

    Parameters
    ----------
    evaluation : lstmcast.evaluate.Evaluation
        The result of ``walk_forward``, ``backtest``, ``cross_validate`` or ``holdout``.

    Returns
    -------
    dict
        ``measured_on`` (what was measured) and ``models``: each model's metrics by name
        (``rmse``, ``mae``, ``smape``, ``mase``, ``owa`` when Naive2 was evaluated,
        ``coverage_<level>``, ``seconds``, ``failed``).
    """
    table = evaluation.table()
    models = {
        alias: {key: _plain(value) for key, value in row.items()} for alias, row in table.to_dict("index").items()
    }
    return {"measured_on": evaluation.kind, "models": models}


def evaluation_table(evaluation: Any, *, title: str) -> Any:
    """An evaluation's table: one row per model.

    Parameters
    ----------
    evaluation : lstmcast.evaluate.Evaluation
        The result to show.
    title : str
        The table's title.

    Returns
    -------
    rich.table.Table
    """
    table = evaluation.table()
    headers = {"model": "model", **{k: v for k, v in _HEADERS.items() if k in table.columns}}
    headers.update({f"coverage_{level:g}": f"{level:g}% cover" for level in evaluation.levels})
    headers["seconds"] = "s"
    if table["failed"].any():  # a column of zeros says nothing
        headers["failed"] = "failed"
    rows = [{"model": alias, **row} for alias, row in table.to_dict("index").items()]
    shown = metrics_table(rows, title=title, columns=headers)
    shown.columns[0].no_wrap = True  # a model's name is never cut
    return shown


def search_table(result: Any, *, title: str) -> Any:
    """A search's table, best configuration first.

    Parameters
    ----------
    result : lstmcast.search.SearchResult
        What ``grid_search`` or ``random_search`` found.
    title : str
        The table's title.

    Returns
    -------
    rich.table.Table
    """
    table = result.table.sort_values("rank")
    return metrics_table(table.to_dict("records"), title=title, columns={name: name for name in table.columns})


def classification_summary(truth: Any, predicted: Any, classes: Any, *, width: int) -> tuple[dict[str, Any], list]:
    """Scores of predicted labels, as data and as renderables.

    Parameters
    ----------
    truth, predicted : array-like
        The true and the predicted label of each case.
    classes : array-like
        The classes the model knows, in order.
    width : int
        The console's width: a confusion matrix wider than that is replaced by the most
        frequent mistakes.

    Returns
    -------
    (dict, list)
        ``accuracy``, ``balanced_accuracy``, ``unseen_labels`` and ``confusion_matrix`` (rows:
        true label), and the renderables that show them.
    """
    import numpy as np
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table

    from lstmcast.classify import accuracy, balanced_accuracy, confusion_matrix

    unseen = sorted({str(label) for label in truth} - {str(c) for c in classes.tolist()})
    matrix = confusion_matrix(truth, predicted, labels=classes.tolist())
    scores = {
        "accuracy": accuracy(truth, predicted),
        "balanced_accuracy": balanced_accuracy(truth, predicted),
        "unseen_labels": unseen,
        "confusion_matrix": {str(t): {str(p): int(v) for p, v in row.items()} for t, row in matrix.iterrows()},
    }
    line = f"accuracy {scores['accuracy']:.4f}   balanced accuracy {scores['balanced_accuracy']:.4f}" + (
        f"   (labels never seen in training, counted wrong: {', '.join(unseen)})" if unseen else ""
    )
    table = Table(title="confusion matrix (rows: true label, columns: predicted)")
    table.add_column("true \\ predicted", no_wrap=True)
    for label in matrix.columns:
        table.add_column(str(label), justify="right")
    for label, row in matrix.iterrows():
        table.add_row(str(label), *[str(v) for v in row.tolist()])
    console = Console(width=width)
    if Measurement.get(console, console.options.update(max_width=1_000_000), table).maximum <= width:
        return scores, [line, table]
    # many classes: the table would be squeezed unreadable, so the most frequent mistakes instead
    counts = matrix.to_numpy().copy()
    np.fill_diagonal(counts, 0)
    order = np.argsort(-counts, axis=None, kind="stable")[:10]
    mistakes = [
        f"{matrix.index[i]} -> {matrix.columns[j]} ({counts[i, j]})"
        for i, j in zip(*np.unravel_index(order, counts.shape))
        if counts[i, j] > 0
    ]
    note = (
        f"confusion matrix: {len(matrix.columns)} classes are too many to show at this width (--output has every "
        f"prediction); most frequent mistakes: {', '.join(mistakes) or 'none'}"
    )
    return scores, [line, note]


def classification_frame(cases: Any, predicted: Any, proba: Any, classes: Any) -> Any:
    """One row per case, in file order.

    Parameters
    ----------
    cases : lstmcast.data.Sequences
        The cases classified (their ids, and labels where the file has them).
    predicted : array-like
        The predicted label of each case.
    proba : numpy.ndarray
        ``(cases, classes)``: each class's probability.
    classes : array-like
        The classes, in the order of ``proba``'s columns.

    Returns
    -------
    pandas.DataFrame
        ``case``, ``label`` (where known), ``predicted`` and ``proba_<class>`` for every class.
    """
    import pandas as pd

    frame = pd.DataFrame({"case": cases.case_ids})
    if cases.y is not None:
        frame["label"] = cases.y
    frame["predicted"] = predicted
    for k, label in enumerate(classes.tolist()):
        frame[f"proba_{label}"] = proba[:, k]
    return frame


def _plain(value: Any) -> Any:
    import math

    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value
