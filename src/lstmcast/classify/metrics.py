"""Scores of a classification, in one place: accuracy, balanced accuracy and the confusion matrix.

They take the true and predicted labels as given (any hashable labels, NumPy arrays or lists). A
true label the model never saw in training can never be predicted: it simply counts as wrong, and
gets its own row in the confusion matrix, so scoring a test set never crashes on it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lstmcast.errors import InvalidInputError

__all__ = ["accuracy", "balanced_accuracy", "confusion_matrix"]


def _labels(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    true, pred = _as_labels(y_true, "y_true"), _as_labels(y_pred, "y_pred")
    if true.shape != pred.shape:
        raise InvalidInputError(f"y_true and y_pred must have the same shape, got {true.shape} and {pred.shape}")
    if len(true) == 0:
        raise InvalidInputError("there are no labels to score")
    return true, pred


def _as_labels(values: Any, name: str) -> np.ndarray:
    array = np.empty(len(values), dtype=object) if not isinstance(values, np.ndarray) or values.ndim == 1 else None
    if array is None:
        raise InvalidInputError(f"{name} must hold one label per case (1-D), got shape {values.shape}")
    array[:] = list(values)
    return array


def accuracy(y_true: Any, y_pred: Any) -> float:
    """The share of cases whose predicted label equals the true one.

    Parameters
    ----------
    y_true : array-like
        The true label of each case (1-D).
    y_pred : array-like
        The predicted label of each case, as many as ``y_true``; a case is right when the two
        are equal.

    Returns
    -------
    float
        The accuracy: the share of cases predicted right, between 0 and 1.
    """
    true, pred = _labels(y_true, y_pred)
    return float(np.mean(true == pred))


def balanced_accuracy(y_true: Any, y_pred: Any) -> float:
    """The mean over true classes of the share of their cases predicted right (recall): a model
    that always answers the majority class scores 1 / (number of classes), whatever the balance.

    Parameters
    ----------
    y_true : array-like
        The true label of each case (1-D); every class that occurs here weighs the same, however
        many cases it has.
    y_pred : array-like
        The predicted label of each case, as many as ``y_true``.

    Returns
    -------
    float
        The balanced accuracy (the mean recall over true classes), between 0 and 1.
    """
    true, pred = _labels(y_true, y_pred)
    recalls = [np.mean(pred[true == label] == label) for label in pd.unique(true)]
    return float(np.mean(recalls))


def confusion_matrix(y_true: Any, y_pred: Any, labels: Any = None) -> pd.DataFrame:
    """Counts of cases by true label (rows) and predicted label (columns).

    Parameters
    ----------
    y_true : array-like
        The true label of each case (1-D), counted in the rows.
    y_pred : array-like
        The predicted label of each case, as many as ``y_true``, counted in the columns.
    labels : sequence, optional
        The order of the rows and columns (default: the labels in order of first appearance,
        true labels first); a label that occurs in neither gets a row and column of zeros, and
        labels that occur but are not listed follow the listed ones.

    Returns
    -------
    pandas.DataFrame
        Square, indexed by ``true`` label and with ``predicted`` labels as columns.
    """
    true, pred = _labels(y_true, y_pred)
    order = list(pd.unique(np.concatenate([true, pred]))) if labels is None else list(labels)
    missing = [label for label in pd.unique(np.concatenate([true, pred])) if label not in order]
    order += missing
    index = {label: k for k, label in enumerate(order)}
    counts = np.zeros((len(order), len(order)), np.int64)
    np.add.at(counts, ([index[t] for t in true], [index[p] for p in pred]), 1)
    return pd.DataFrame(counts, index=pd.Index(order, name="true"), columns=pd.Index(order, name="predicted"))
