"""``LSTMClassifier``: whole sequences in, one label (or a set of labels) out, scikit-learn habits.

``fit(X, y)`` takes cases of any length: a ``(cases, time, channels)`` array, or a list of
``(time, channels)`` arrays (``(time,)`` for one channel) such as ``Sequences.X`` from
``lstmcast.data.load_ts``. It standardises each channel with the training cases' mean and standard
deviation, pads the cases at the end and passes their lengths, so that padding never changes a
result (a padded batch gives what each case gives alone), and trains ``n_seeds`` networks with
seeds ``seed … seed+n_seeds-1`` in one compiled program; ``predict_proba`` averages their
probabilities.

The network is an LSTM-FCN (Karim et al., 2017): an LSTM branch beside a fully convolutional one
(Conv1D → batch normalisation → ReLU, three times, then the mean over time), their features
concatenated before a softmax head (one sigmoid for two classes; one sigmoid per label for
multi-label targets). ``conv_filters=()`` leaves the plain LSTM classifier of the tutorials.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from lstmcast._checks import count_or_fraction, number, one_of, positive_int
from lstmcast._shapes import bucket_size
from lstmcast.classify.metrics import accuracy
from lstmcast.errors import InvalidInputError
from lstmcast.nn import NetworkSpec, ensemble_forward
from lstmcast.train import NetworkEstimator, TrainConfig, TrainJob

__all__ = ["LSTMClassifier"]

# ``epochs=None``: ``train_steps`` optimizer steps, within these bounds on the epochs.
_MIN_EPOCHS, _MAX_EPOCHS = 10, 500


class LSTMClassifier(NetworkEstimator):
    """An LSTM (-FCN) sequence classifier with scikit-learn habits.

    The network and training parameters are ``NetworkEstimator``'s (``units``, ``dense``,
    ``dropout``, ``recurrent_dropout``, ``optimizer``, ``learning_rate``, ``lr_schedule``,
    ``clip_norm``, ``patience``, ``min_delta``, ``restore_best_weights``, ``n_seeds``, ``seed``,
    ``verbose``), with the defaults chosen for classification: 64 units, a learning rate of 0.003
    annealed by a cosine, 5 seeds.

    Parameters
    ----------
    bidirectional : bool, default False
        Every LSTM layer reads the sequence both ways (Keras' ``Bidirectional``).
    lstm_output_dropout : float, default 0.8
        Dropout of the LSTM's features before the head, in training (LSTM-FCN's 0.8).
    conv_filters : sequence of int, default (64, 128, 64)
        Filters of each block of the convolution branch (``()`` for the plain LSTM classifier).
    conv_widths : sequence of int, default (8, 5, 3)
        Kernel width of each block.
    max_lstm_steps : int, default 32
        The LSTM reads at most this many steps: longer sequences as means of consecutive steps
        (the convolutions still see every step).
    standardize : bool, default True
        Standardise each channel by the training cases' mean and standard deviation.
    class_weight : "balanced", dict or None, default None
        ``"balanced"``: each class weighs as much in the loss as any other; or ``{label: weight}``.
    epochs : int, optional
        Training epochs; None: enough for about ``train_steps`` optimizer steps (10 to 500 epochs).
    train_steps : int, default 800
        With ``epochs=None``: the optimizer steps to aim for.
    batch_size : int, optional
        Cases per step; None: 16, a quarter of the cases for sets under 64.
    validation_size : int or float, default 0
        Training cases (a count, or a fraction) held out, stratified by class, for early stopping
        with ``patience``; without them, ``patience`` watches the training loss.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 30, 2)); y = np.where(X[:, :10, 0].mean(axis=1) > 0, "up", "down")
    >>> model = LSTMClassifier(units=8, conv_filters=(8, 8), conv_widths=(5, 3), epochs=5, n_seeds=2).fit(X, y)
    >>> model.classes_.tolist(), model.predict_proba(X[:3]).shape
    (['down', 'up'], (3, 2))
    """

    units: int | Sequence[int] = 64
    bidirectional: bool = False
    lstm_output_dropout: float = 0.8
    conv_filters: Sequence[int] = (64, 128, 64)
    conv_widths: Sequence[int] = (8, 5, 3)
    max_lstm_steps: int = 32
    standardize: bool = True
    class_weight: str | dict | None = None
    epochs: int | None = None
    train_steps: int = 800
    batch_size: int | None = None
    learning_rate: float | None = 0.003
    lr_schedule: str = "cosine"
    validation_size: int | float = 0
    n_seeds: int = 5

    fitted_state: ClassVar[tuple[str, ...]] = ("multilabel_", "n_channels_", "channel_mean_", "channel_std_")

    # -- fitting ---------------------------------------------------------------------------------
    def fit(self, X: Any, y: Any) -> LSTMClassifier:
        """Train on cases ``X`` and their labels ``y``.

        Parameters
        ----------
        X : array-like
            The cases: a ``(cases, time, channels)`` array, or a list of ``(time, channels)``
            arrays (``(time,)`` for one channel) of any lengths.
        y : array-like
            One hashable label per case, or a ``(cases, labels)`` 0/1 matrix for multi-label
            data.

        Returns
        -------
        LSTMClassifier
            This classifier, fitted.
        """
        cases = as_cases(X, "X")
        one_of(self.standardize, (True, False), "standardize")
        seeds = self._seeds()
        classes, targets, multilabel = _encode(y, len(cases))
        self.classes_, self.multilabel_ = classes, multilabel
        self.n_channels_ = int(cases[0].shape[1])
        self.channel_mean_, self.channel_std_ = (
            _channel_moments(cases) if self.standardize else _no_scaling(self.n_channels_)
        )
        train, held_out = _split(targets, self.validation_size, multilabel, seeds[0])
        lengths = np.array([len(case) for case in cases])
        stride = max(1, math.ceil(lengths.max() / positive_int(self.max_lstm_steps, "max_lstm_steps")))
        spec = self._spec(stride, targets.shape[1])
        x, lengths = self._padded(cases, lengths.max())
        weights = _sample_weights(self.class_weight, targets, classes, multilabel)
        batch = self._batch_size(len(train))
        config = self._train_config(len(train), batch, validating=len(held_out) > 0)
        validation = (x[held_out], targets[held_out], lengths[held_out]) if len(held_out) else None
        train_x, train_y, train_lengths = x[train], targets[train], lengths[train]
        train_weights = None if weights is None else weights[train]
        result = self._train(
            [TrainJob(spec, train_x, train_y, config, seed, validation, train_lengths, train_weights) for seed in seeds]
        )
        self.spec_ = spec
        self.params_ = result.params
        self._keep_training(result)
        return self

    def _spec(self, stride: int, outputs: int) -> NetworkSpec:
        return NetworkSpec(
            input_dim=self.n_channels_,
            lstm_units=self.units,
            dense=self._head(outputs),  # logits: the softmax or sigmoid is in the loss and in predict_proba
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            bidirectional=self.bidirectional,
            conv_filters=tuple(self.conv_filters),
            conv_widths=tuple(self.conv_widths),
            lstm_stride=stride,
            lstm_output_dropout=self.lstm_output_dropout,
        )

    def _batch_size(self, n_train: int) -> int:
        if self.batch_size is not None:
            return positive_int(self.batch_size, "batch_size")
        return max(1, min(16, n_train // 4))

    def _train_config(self, n_train: int, batch: int, *, validating: bool) -> TrainConfig:
        if self.epochs is None:
            steps = positive_int(self.train_steps, "train_steps")
            epochs = min(_MAX_EPOCHS, max(_MIN_EPOCHS, math.ceil(steps / math.ceil(n_train / batch))))
        else:
            if self.train_steps != 800:
                raise InvalidInputError(
                    "give epochs or train_steps, not both (train_steps sets the epochs when epochs=None)"
                )
            epochs = positive_int(self.epochs, "epochs")
        loss = "sigmoid_crossentropy_from_logits" if self._sigmoid else "softmax_crossentropy_from_logits"
        return self._training(loss=loss, validating=validating, epochs=epochs, batch_size=batch, shuffle=True)

    @property
    def _sigmoid(self) -> bool:
        return self.multilabel_ or len(self.classes_) == 2

    def _padded(self, cases: list[np.ndarray], length: int) -> tuple[np.ndarray, np.ndarray]:
        """Standardised cases, zero-padded at the end to a bucket size (few compiled shapes)."""
        x = np.zeros((len(cases), bucket_size(int(length)), self.n_channels_), np.float32)
        for i, case in enumerate(cases):
            x[i, : len(case)] = (case - self.channel_mean_) / self.channel_std_
        return x, np.array([len(case) for case in cases], np.int32)

    # -- predicting ------------------------------------------------------------------------------
    def predict_proba(self, X: Any, *, members: bool = False) -> np.ndarray:
        """Class probabilities, the mean of the members'. Multi-label models give each label's
        probability.

        Parameters
        ----------
        X : array-like
            The cases, as for ``fit``, with the channels the model was fitted on.
        members : bool, default False
            Give each member's probabilities instead of their mean.

        Returns
        -------
        numpy.ndarray
            ``(cases, classes)`` (columns in the order of ``classes_``); with ``members``,
            ``(members, cases, classes)``.
        """
        self._check_fitted("params_")
        cases = as_cases(X, "X")
        if cases[0].shape[1] != self.n_channels_:
            raise InvalidInputError(
                f"X has {cases[0].shape[1]} channels, but the model was fitted on {self.n_channels_}"
            )
        x, lengths = self._padded(cases, max(len(case) for case in cases))
        logits = ensemble_forward(self.spec_, self.params_, x, lengths).astype(np.float64)
        if self._sigmoid:
            p = 1.0 / (1.0 + np.exp(-logits))
            proba = p if self.multilabel_ else np.concatenate([1.0 - p, p], axis=-1)
        else:
            shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
            proba = shifted / shifted.sum(axis=-1, keepdims=True)
        return proba if members else proba.mean(axis=0)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each case.

        Parameters
        ----------
        X : array-like
            The cases, as for ``fit``.

        Returns
        -------
        numpy.ndarray
            One label per case; for multi-label models a ``(cases, labels)`` 0/1 matrix: the
            labels with probability above one half.
        """
        proba = self.predict_proba(X)
        if self.multilabel_:
            return (proba > 0.5).astype(np.int64)
        return self.classes_[np.argmax(proba, axis=1)]

    def score(self, X: Any, y: Any) -> float:
        """Accuracy on ``(X, y)``. A label never seen in training counts as wrong.

        Parameters
        ----------
        X : array-like
            The cases, as for ``fit``.
        y : array-like
            Their true labels, as for ``fit``.

        Returns
        -------
        float
            The share of cases predicted right (for multi-label models: the share of cases whose
            every label is right).
        """
        predicted = self.predict(X)
        if self.multilabel_:
            truth = _indicator(y, len(predicted), len(self.classes_))
            return float(np.mean(np.all(predicted == truth, axis=1)))
        return accuracy(_label_array(y, len(predicted)), predicted)

    # -- saving ----------------------------------------------------------------------------------
    def _fitted_state(self) -> dict[str, Any]:
        return {**super()._fitted_state(), "classes_": self.classes_.tolist()}

    def _restore(self, state: dict[str, Any]) -> None:
        super()._restore(state)
        self.classes_ = np.empty(len(state["classes_"]), dtype=object)
        self.classes_[:] = state["classes_"]


# -- data in ---------------------------------------------------------------------------------------
def as_cases(X: Any, name: str) -> list[np.ndarray]:
    """``X`` as a list of ``(time, channels)`` float64 arrays of finite numbers: a
    ``(cases, time, channels)`` array, or a list of ``(time, channels)`` or ``(time,)`` arrays."""
    if isinstance(X, np.ndarray) and X.dtype != object:
        if X.ndim != 3:
            raise InvalidInputError(
                f"{name} must be a (cases, time, channels) array or a list of (time, channels) arrays; got "
                f"shape {X.shape}" + ("; for one channel pass X[..., None]" if X.ndim == 2 else "")
            )
        X = list(X)
    if not isinstance(X, (list, tuple, np.ndarray)) or len(X) == 0:
        raise InvalidInputError(
            f"{name} must hold at least one case: a (cases, time, channels) array or a list of (time, channels) arrays"
        )
    cases = []
    for i, case in enumerate(X):
        try:
            array = np.asarray(case, dtype=np.float64)
        except (TypeError, ValueError):
            raise InvalidInputError(f"{name}[{i}] is not an array of numbers") from None
        if array.ndim == 1:
            array = array[:, None]
        if array.ndim != 2 or len(array) == 0:
            raise InvalidInputError(
                f"{name}[{i}] must be one case, a non-empty (time, channels) array; got shape {array.shape}"
            )
        if not np.all(np.isfinite(array)):
            step, channel = np.argwhere(~np.isfinite(array))[0]
            raise InvalidInputError(
                f"{name}[{i}] has a missing or infinite value at step {step}, channel {channel}; fill it first "
                "(lstmcast.data.load_ts(..., missing='interpolate') does for files)"
            )
        if cases and array.shape[1] != cases[0].shape[1]:
            raise InvalidInputError(
                f"{name}[{i}] has {array.shape[1]} channels but {name}[0] has {cases[0].shape[1]}; every case "
                "needs the same channels"
            )
        cases.append(array)
    return cases


def _label_array(y: Any, n: int) -> np.ndarray:
    labels = np.empty(n, dtype=object)
    values = list(y) if not isinstance(y, np.ndarray) else y.tolist()
    if len(values) != n:
        raise InvalidInputError(f"y must hold one label per case: {n} cases, {len(values)} labels")
    labels[:] = values
    return labels


def _indicator(y: Any, n: int, n_labels: int) -> np.ndarray:
    array = np.asarray(y)
    if array.shape != (n, n_labels) or not np.isin(array, (0, 1)).all():
        raise InvalidInputError(
            f"multi-label targets are a ({n}, {n_labels}) matrix of 0s and 1s; got shape {array.shape}"
        )
    return array.astype(np.int64)


def _encode(y: Any, n: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """``(classes, targets, multilabel)``: the classes in sorted order (order of first appearance
    if the labels cannot be sorted) and float32 targets, one 0/1 column for two classes, one-hot
    columns for more, the 0/1 matrix itself for multi-label ``y``."""
    if y is None:
        raise InvalidInputError("y is missing: fit needs one label per case (the file has no labels?)")
    array = np.asarray(y) if not isinstance(y, (list, tuple)) else None
    if array is not None and array.ndim == 2:
        targets = _indicator(array, n, array.shape[1]).astype(np.float32)
        return np.arange(array.shape[1]), targets, True
    labels = _label_array(y, n)
    unique = list(dict.fromkeys(labels.tolist()))
    try:
        unique = sorted(unique)
    except TypeError:
        pass
    if len(unique) < 2:
        raise InvalidInputError(
            f"the training labels hold a single class ({unique[0]!r}); a classifier needs at least two"
        )
    classes = np.empty(len(unique), dtype=object)
    classes[:] = unique
    index = {label: k for k, label in enumerate(unique)}
    codes = np.array([index[label] for label in labels.tolist()])
    if len(unique) == 2:
        return classes, codes[:, None].astype(np.float32), False
    return classes, np.eye(len(unique), dtype=np.float32)[codes], False


def _channel_moments(cases: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each channel's mean and standard deviation over every step of every case (1 where a
    channel is constant)."""
    stacked = np.concatenate(cases, axis=0)
    std = stacked.std(axis=0)
    return stacked.mean(axis=0), np.where(std > 0, std, 1.0)


def _no_scaling(channels: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(channels), np.ones(channels)


def _split(targets: np.ndarray, size: int | float, multilabel: bool, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation case numbers: ``size`` cases (or that fraction), drawn from each
    class in proportion (by the first label for multi-label data), at least one case of every
    class left for training."""
    n = len(targets)
    n_val = count_or_fraction(size, "validation_size", n, allow_zero=True)
    if n_val == 0:
        return np.arange(n), np.array([], np.int64)
    codes = targets.argmax(axis=1) if targets.shape[1] > 1 and not multilabel else targets[:, 0].astype(int)
    if n_val > n - len(np.unique(codes)):
        raise InvalidInputError(
            f"validation_size={size!r} asks for {n_val} of {n} cases, but every class needs a training case; "
            "choose a smaller size"
        )
    rng = np.random.default_rng([seed, 2])
    held: list[int] = []
    for code in np.unique(codes):
        members = rng.permutation(np.flatnonzero(codes == code))
        take = min(len(members) - 1, int(round(n_val * len(members) / n)))
        held += members[:take].tolist()
    if not held or len(held) >= n:
        raise InvalidInputError(
            f"validation_size={size!r} leaves no validation cases or no training cases ({n} cases); choose another size"
        )
    held_out = np.sort(np.array(held))
    return np.setdiff1d(np.arange(n), held_out), held_out


def _sample_weights(class_weight: Any, targets: np.ndarray, classes: np.ndarray, multilabel: bool) -> np.ndarray | None:
    if class_weight is None:
        return None
    if multilabel:
        raise InvalidInputError("class_weight is for one label per case; multi-label targets take none")
    codes = targets.argmax(axis=1) if targets.shape[1] > 1 else targets[:, 0].astype(int)
    if isinstance(class_weight, str):
        one_of(class_weight, ("balanced",), "class_weight")
        counts = np.bincount(codes, minlength=len(classes))
        per_class = len(codes) / (len(classes) * np.maximum(counts, 1))
    elif isinstance(class_weight, dict):
        unknown = [label for label in class_weight if label not in set(classes.tolist())]
        if unknown:
            raise InvalidInputError(
                f"class_weight names {unknown[0]!r}, which is not a training class; classes: {classes.tolist()}"
            )
        per_class = np.array(
            [
                number(class_weight.get(label, 1.0), f"class_weight[{label!r}]", minimum=0.0)
                for label in classes.tolist()
            ]
        )
    else:
        raise InvalidInputError(f"class_weight is None, 'balanced' or a dict {{label: weight}}; got {class_weight!r}")
    return per_class[codes].astype(np.float32)
