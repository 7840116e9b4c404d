"""Classifying whole sequences: ``LSTMClassifier`` (an LSTM-FCN by default) and the scores of a
classification (accuracy, balanced accuracy, confusion matrix).

Sits beside ``lstmcast.forecast`` in the workflow: it builds on ``data`` (``load_ts``,
``load_sequences_csv``), ``nn`` and ``train``; ``evaluate``, ``report`` and the CLI build on it.
"""

from lstmcast.classify.lstm import LSTMClassifier
from lstmcast.classify.metrics import accuracy, balanced_accuracy, confusion_matrix

__all__ = ["LSTMClassifier", "accuracy", "balanced_accuracy", "confusion_matrix"]
