"""Tutorial 004, first part: the toy LSTM sequence classifier (Heaton, T81-558 10.2).

Six sequences of six steps, one feature; labels 1, 2, 3, 2, 3, 1 one-hot over four classes
(``max_features = 4``: class 0 has an output but no sequence);
``LSTM(128, dropout=0.2, recurrent_dropout=0.2)`` → ``Dense(4, activation="sigmoid")``; binary
cross-entropy, Adam, 200 epochs, Keras' default batch of 32 (one batch of six), shuffled; the
predicted class is the argmax; ``runit`` then classifies ``[[0],[0],[0],[0],[0],[1]]`` (the
notebook printed 1).

``faithful`` trains exactly that network, ``n_seeds`` times in one compiled program, and reports
per seed what the notebook printed (Keras' "accuracy", which with binary cross-entropy is the
binary accuracy over the 6 × 4 one-hot cells, here at inference) beside the real class accuracy
(argmax against the label) and the new sequence's class. ``improved`` fits lstmcast's
``LSTMClassifier`` with its default settings on the same six sequences. Both score the training
sequences, as the notebook does: with six cases there is nothing to hold out, and the
deviations say so.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lstmcast._io import jsonable
from lstmcast.errors import InvalidInputError
from lstmcast.recipes.base import Recipe, RecipeResult, RunOptions

__all__ = ["LABELS", "NEW_SEQUENCE", "SEQUENCES", "TOY_CLASSIFIER", "ToyClassifier"]

SEQUENCES = np.array(
    [
        [[0], [1], [1], [0], [0], [0]],
        [[0], [0], [0], [2], [2], [0]],
        [[0], [0], [0], [0], [3], [3]],
        [[0], [2], [2], [0], [0], [0]],
        [[0], [0], [3], [3], [0], [0]],
        [[0], [0], [0], [0], [1], [1]],
    ],
    dtype=np.float32,
)
LABELS = np.array([1, 2, 3, 2, 3, 1])
NEW_SEQUENCE = np.array([[[0], [0], [0], [0], [0], [1]]], dtype=np.float32)
MAX_FEATURES = 4  # the notebook's one-hot width: classes 0..3
TITLE = "Toy LSTM sequence classifier (six sequences of six steps)"
TUTORIAL = (
    "Heaton, T81-558 part 10.2 (../shared/tutorials/004, first part): LSTM(128, dropout 0.2, recurrent dropout 0.2) "
    "-> Dense(4, sigmoid), binary cross-entropy on one-hot labels, adam, 200 epochs, batch 32"
)
DEVIATIONS = (
    "with binary cross-entropy, the notebook's metrics=['accuracy'] is Keras' binary accuracy over the 6 x 4 one-hot "
    "cells (a model that outputs all zeros scores 0.75), not class accuracy; reproduced as keras_binary_accuracy, "
    "beside the class accuracy of the argmax",
    "every score is on the six training sequences, as in the notebook: there is no held-out data, so none of these "
    "figures says how the model does on new sequences",
    "four sigmoid outputs for three classes (max_features = 4 counts class 0, which no sequence has); reproduced",
)


class ToyClassifier(Recipe):
    """The notebook's toy sequence classifier, trained and scored on its six sequences (see the
    module docstring); it is compared with no baselines, and refuses them."""

    variants = ("faithful", "improved")

    def execute(self, variant: str, options: RunOptions) -> RecipeResult:
        if options.baselines is not None:
            raise InvalidInputError(f"{self.name} classifies sequences: it is compared with no baselines")
        n, epochs, verbose = options.n_seeds, options.epochs, options.verbose
        if variant == "faithful":
            per_seed, settings, ensemble = _faithful(n, 200 if epochs is None else epochs, verbose)
            deviations = DEVIATIONS
        else:
            per_seed, settings, ensemble = _improved(n, epochs, verbose)
            deviations = DEVIATIONS[1:2]
        class_accuracy = np.array([s["class_accuracy"] for s in per_seed])
        new_classes = [s["new_sequence_class"] for s in per_seed]
        summary = {
            "recipe": self.name,
            "kind": "classification",
            "variant": variant,
            "title": self.title,
            "tutorial": self.tutorial,
            "seeds": n,
            "settings": settings,
            "measured_on": "the six training sequences (the notebook has no test data)",
            "per_seed": per_seed,
            "class_accuracy_mean": float(class_accuracy.mean()),
            "seeds_with_every_class_right": int(np.sum(class_accuracy == 1.0)),
            "new_sequence_classes": {str(c): new_classes.count(c) for c in sorted(set(new_classes))},
            "ensemble": ensemble,
            "deviations": list(deviations),
        }
        if variant == "faithful":
            summary["keras_binary_accuracy_mean"] = float(np.mean([s["keras_binary_accuracy"] for s in per_seed]))
        return RecipeResult(jsonable(summary))

    def report(self, summary: dict[str, Any]) -> list[Any]:
        from lstmcast.report import classification_recipe_report

        return classification_recipe_report(summary)


def _faithful(n: int, epochs: int, verbose: int) -> tuple[list[dict], dict, dict]:
    from lstmcast.nn import Dense, NetworkSpec, ensemble_forward
    from lstmcast.train import TrainConfig, fit_many

    spec = NetworkSpec(
        input_dim=1, lstm_units=(128,), dense=(Dense(MAX_FEATURES, "sigmoid"),), dropout=0.2, recurrent_dropout=0.2
    )
    config = TrainConfig(epochs=epochs, batch_size=32, shuffle=True, loss="binary_crossentropy", optimizer="adam")
    one_hot = np.eye(MAX_FEATURES, dtype=np.float32)[LABELS]
    result = fit_many(spec, SEQUENCES, one_hot, config, seeds=range(n), verbose=verbose)
    lengths = np.full(len(SEQUENCES), SEQUENCES.shape[1])
    proba = ensemble_forward(spec, result.params, SEQUENCES, lengths)  # (seeds, 6, 4): the sigmoid outputs
    new = ensemble_forward(spec, result.params, NEW_SEQUENCE, [NEW_SEQUENCE.shape[1]])[:, 0]
    per_seed = [
        {
            "seed": seed,
            "keras_binary_accuracy": float(np.mean((p > 0.5) == (one_hot > 0.5))),
            "class_accuracy": float(np.mean(p.argmax(axis=1) == LABELS)),
            "predicted_classes": p.argmax(axis=1).tolist(),
            "new_sequence_class": int(q.argmax()),
            "final_loss": float(result.history["loss"][k, -1]),
        }
        for k, (seed, p, q) in enumerate(zip(result.seeds, proba, new))
    ]
    mean = proba.mean(axis=0)
    ensemble = {
        "class_accuracy": float(np.mean(mean.argmax(axis=1) == LABELS)),
        "new_sequence_class": int(new.mean(axis=0).argmax()),
    }
    settings = {
        "network": spec.to_config(),
        "epochs": epochs,
        "batch_size": 32,
        "loss": "binary_crossentropy",
        "optimizer": "adam",
    }
    return per_seed, settings, ensemble


def _improved(n: int, epochs: int | None, verbose: int) -> tuple[list[dict], dict, dict]:
    from lstmcast.classify import LSTMClassifier

    model = LSTMClassifier(n_seeds=n, epochs=epochs, verbose=verbose).fit(list(SEQUENCES), LABELS)
    proba = model.predict_proba(list(SEQUENCES), members=True)
    new = model.predict_proba(list(NEW_SEQUENCE), members=True)[:, 0]
    classes = model.classes_
    per_seed = [
        {
            "seed": k,
            "class_accuracy": float(np.mean(classes[p.argmax(axis=1)] == LABELS)),
            "predicted_classes": classes[p.argmax(axis=1)].tolist(),
            "new_sequence_class": int(classes[q.argmax()]),
        }
        for k, (p, q) in enumerate(zip(proba, new))
    ]
    ensemble = {
        "class_accuracy": model.score(list(SEQUENCES), LABELS),
        "new_sequence_class": int(model.predict(list(NEW_SEQUENCE))[0]),
    }
    return per_seed, model.get_params(), ensemble


TOY_CLASSIFIER = ToyClassifier("toy-classifier", TITLE, TUTORIAL)
