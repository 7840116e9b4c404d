"""``LSTMClassifier``: the estimator habits, padding that never changes a result, labels of any
kind, ensembles, class weights, validation splits, saving, and errors that say what to fix.

Networks here are tiny (a few units, two small convolution blocks, a few epochs) so the file runs
in seconds; equal settings on equal shapes share JAX's compiled programs across tests.
"""

import numpy as np
import pytest

from lstmcast._estimator import clone
from lstmcast.classify import LSTMClassifier, accuracy
from lstmcast.classify.lstm import _sample_weights, _split
from lstmcast.errors import InvalidInputError, NotFittedError

TINY = dict(units=4, conv_filters=(4, 4), conv_widths=(3, 2), epochs=3, batch_size=4, n_seeds=2, seed=0)


def ragged_cases(n=12, channels=2, seed=0, lengths=(5, 14)):
    """Cases of different lengths whose class is the sign of their first channel's mean."""
    rng = np.random.default_rng(seed)
    cases, labels = [], []
    for i in range(n):
        length = int(rng.integers(*lengths))
        shift = 1.0 if i % 2 else -1.0
        cases.append(rng.normal(shift, 1.0, size=(length, channels)))
        labels.append("up" if shift > 0 else "down")
    return cases, np.array(labels)


@pytest.fixture(scope="module")
def fitted():
    cases, labels = ragged_cases()
    return LSTMClassifier(**TINY).fit(cases, labels), cases, labels


def test_padding_never_changes_a_result(fitted):
    """A padded batch gives what each case gives alone, for every member."""
    model, cases, _ = fitted
    together = model.predict_proba(cases, members=True)
    alone = np.concatenate([model.predict_proba([case], members=True) for case in cases], axis=1)
    assert together.shape == (2, len(cases), 2)
    np.testing.assert_allclose(together, alone, atol=1e-6)
    np.testing.assert_allclose(model.predict_proba(cases), together.mean(axis=0), atol=1e-12)


def test_training_ignores_what_lies_beyond_each_case():
    """Cases given as a list, or as one array padded with garbage and cut by lengths-equivalent
    lists, train the same network: the values after a case's end never enter training."""
    cases, labels = ragged_cases(seed=1)
    rng = np.random.default_rng(5)
    a = LSTMClassifier(**TINY).fit(cases, labels)
    b = LSTMClassifier(**TINY).fit([np.asarray(c) for c in cases], labels.tolist())
    probe = [np.concatenate([c, rng.normal(9, 1, size=(3, 2))])[: len(c)] for c in cases]
    np.testing.assert_array_equal(a.predict_proba(probe), b.predict_proba(cases))


def test_probabilities_are_a_distribution_and_predict_is_their_argmax(fitted):
    model, cases, _ = fitted
    proba = model.predict_proba(cases)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-12)
    assert model.classes_.tolist() == ["down", "up"]
    np.testing.assert_array_equal(model.predict(cases), model.classes_[proba.argmax(axis=1)])
    assert model.spec_.output_dim == 1  # two classes: one sigmoid


def test_standardisation_uses_the_training_cases_statistics(fitted):
    model, cases, _ = fitted
    stacked = np.concatenate(cases)
    np.testing.assert_allclose(model.channel_mean_, stacked.mean(axis=0))
    np.testing.assert_allclose(model.channel_std_, stacked.std(axis=0))


def test_ensemble_equals_separately_trained_seeds():
    cases, labels = ragged_cases(seed=2)
    both = LSTMClassifier(**TINY).fit(cases, labels).predict_proba(cases, members=True)
    for k in range(2):
        alone = (
            LSTMClassifier(**{**TINY, "n_seeds": 1, "seed": k}).fit(cases, labels).predict_proba(cases, members=True)
        )
        np.testing.assert_allclose(both[k], alone[0], atol=1e-5)


def test_same_seed_same_model():
    cases, labels = ragged_cases(seed=3)
    first = LSTMClassifier(**TINY).fit(cases, labels).predict_proba(cases)
    np.testing.assert_array_equal(first, LSTMClassifier(**TINY).fit(cases, labels).predict_proba(cases))


@pytest.mark.parametrize(
    "labels",
    [
        [3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2],
        ["b", "a", "c", "b", "a", "c", "b", "a", "c", "b", "a", "c"],
        [("x", 1), ("y", 2), ("x", 1), ("y", 2)] * 3,
        [1, "one", 2.5, 1, "one", 2.5, 1, "one", 2.5, 1, "one", 2.5],  # unsortable: order of first appearance
    ],
)
def test_labels_of_any_hashable_type(labels):
    cases, _ = ragged_cases(seed=4)
    model = LSTMClassifier(**TINY).fit(cases, labels)
    expected = list(dict.fromkeys(labels))
    try:
        expected = sorted(expected)
    except TypeError:
        pass
    assert model.classes_.tolist() == expected
    assert model.spec_.output_dim == (1 if len(expected) == 2 else len(expected))
    predicted = model.predict(cases)
    assert set(predicted.tolist()) <= set(expected)
    assert model.score(cases, labels) == np.mean([p == t for p, t in zip(predicted.tolist(), labels)])


def test_a_label_never_seen_in_training_counts_as_wrong(fitted):
    model, cases, labels = fitted
    truth = labels.copy().astype(object)
    truth[:3] = "sideways"
    predicted = model.predict(cases)
    expected = np.mean([p == t for p, t in zip(predicted.tolist(), truth.tolist())])
    assert model.score(cases, truth) == pytest.approx(expected)
    assert expected <= (len(cases) - 3) / len(cases)


def test_multilabel_targets_give_one_sigmoid_per_label():
    cases, _ = ragged_cases(seed=6)
    y = np.array([[i % 2, (i // 2) % 2, 1] for i in range(len(cases))])
    model = LSTMClassifier(**TINY).fit(cases, y)
    assert model.multilabel_ and model.spec_.output_dim == 3
    predicted = model.predict(cases)
    assert predicted.shape == y.shape and set(np.unique(predicted)) <= {0, 1}
    assert model.score(cases, y) == np.mean(np.all(predicted == y, axis=1))


def test_estimator_habits(fitted):
    model, _, _ = fitted
    params = model.get_params()
    assert params["units"] == 4 and params["n_seeds"] == 2
    copy = clone(model)
    assert copy.get_params() == params and not hasattr(copy, "params_")
    copy.set_params(units=6, bidirectional=True)
    assert copy.units == 6 and model.units == 4
    with pytest.raises(InvalidInputError):
        copy.set_params(unit=3)
    with pytest.raises(NotFittedError):
        LSTMClassifier().predict([np.zeros((3, 1))])


def test_save_and_load_bit_for_bit(tmp_path, fitted):
    model, cases, _ = fitted
    path = model.save(tmp_path / "model.npz")
    back = LSTMClassifier.load(path)
    np.testing.assert_array_equal(back.predict_proba(cases, members=True), model.predict_proba(cases, members=True))
    assert back.classes_.tolist() == model.classes_.tolist() and back.get_params() == model.get_params()
    with pytest.raises(FileExistsError):
        model.save(path)


@pytest.mark.parametrize("labels", [[1, 2, 3] * 4, [True, False] * 6, [0.5, 1.5] * 6])
def test_saved_classes_keep_their_type(tmp_path, labels):
    cases, _ = ragged_cases(seed=7)
    model = LSTMClassifier(**{**TINY, "n_seeds": 1}).fit(cases, labels)
    back = LSTMClassifier.load(model.save(tmp_path / "m.npz"))
    assert back.classes_.tolist() == model.classes_.tolist()
    assert [type(c) for c in back.classes_] == [type(c) for c in model.classes_]


def test_balanced_class_weights():
    targets = np.eye(3, dtype=np.float32)[[0, 0, 0, 0, 1, 1, 2, 0]]
    classes = np.array(["a", "b", "c"], dtype=object)
    weights = _sample_weights("balanced", targets, classes, False)
    counts = np.array([5, 2, 1])
    expected = (8 / (3 * counts))[[0, 0, 0, 0, 1, 1, 2, 0]]
    np.testing.assert_allclose(weights, expected, rtol=1e-6)
    # each class then weighs the same in the loss
    assert np.allclose([weights[targets[:, c] == 1].sum() for c in range(3)], 8 / 3)
    np.testing.assert_allclose(
        _sample_weights({"b": 3.0}, targets, classes, False), np.where(targets[:, 1] == 1, 3.0, 1.0)
    )
    with pytest.raises(InvalidInputError):
        _sample_weights({"z": 3.0}, targets, classes, False)


def test_class_weights_change_training():
    cases, labels = ragged_cases(seed=8)
    plain = LSTMClassifier(**TINY).fit(cases, labels).predict_proba(cases)
    weighted = LSTMClassifier(**TINY, class_weight={"up": 5.0}).fit(cases, labels).predict_proba(cases)
    assert not np.allclose(plain, weighted)


def test_validation_split_is_stratified_and_drives_early_stopping():
    codes = np.array([0] * 10 + [1] * 6 + [2] * 4)
    targets = np.eye(3, dtype=np.float32)[codes]
    train, held_out = _split(targets, 0.25, False, seed=0)
    assert len(held_out) == 5 and len(np.intersect1d(train, held_out)) == 0
    assert [int(np.sum(codes[held_out] == c)) for c in range(3)] == [2, 2, 1]
    cases, labels = ragged_cases(n=16, seed=9)
    model = LSTMClassifier(**{**TINY, "epochs": 40}, validation_size=0.25, patience=2).fit(cases, labels)
    assert "val_loss" in model.history_ and np.all(model.epochs_run_ <= 40)
    with pytest.raises(InvalidInputError):
        _split(targets, 20, False, seed=0)


def test_a_model_learns_an_easy_problem():
    """Which half of the sequence holds a bump: the LSTM-FCN gets it right on new cases."""
    rng = np.random.default_rng(11)

    def make(n):
        cases, labels = [], []
        for i in range(n):
            length = int(rng.integers(16, 25))
            case = rng.normal(0, 0.3, size=(length, 1))
            where = int(rng.integers(0, length // 2 - 3)) + (length // 2 if i % 2 else 0)
            case[where : where + 3] += 3.0
            cases.append(case)
            labels.append("late" if i % 2 else "early")
        return cases, labels

    train, test = make(40), make(40)
    model = LSTMClassifier(units=8, conv_filters=(8, 8), conv_widths=(5, 3), epochs=60, batch_size=8, n_seeds=2).fit(
        *train
    )
    assert accuracy(test[1], model.predict(test[0])) >= 0.9


@pytest.mark.parametrize(
    "X, message",
    [
        ([np.zeros((4, 2)), np.zeros((5, 3))], "channels"),
        ([np.zeros((4, 2)), np.full((5, 2), np.nan)], "X[1]"),
        (np.zeros((3, 5)), "X[..., None]"),
        ([np.zeros((0, 2))], "X[0]"),
        ([], "at least one case"),
    ],
)
def test_bad_cases_are_refused_by_name(X, message):
    with pytest.raises(InvalidInputError, match=message.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        LSTMClassifier(**TINY).fit(X, ["a", "b"][: len(X)] if len(X) else [])


def test_bad_labels_and_shapes_are_refused(fitted):
    model, cases, _ = fitted
    with pytest.raises(InvalidInputError, match="single class"):
        LSTMClassifier(**TINY).fit(cases, ["same"] * len(cases))
    with pytest.raises(InvalidInputError, match="one label per case"):
        LSTMClassifier(**TINY).fit(cases, ["a", "b"])
    with pytest.raises(InvalidInputError, match="channels"):
        model.predict([np.zeros((5, 3))])
    with pytest.raises(InvalidInputError):
        LSTMClassifier(**TINY, class_weight="even").fit(cases, ["a", "b"] * 6)


@pytest.mark.parametrize(
    "settings, message",
    [
        pytest.param({"train_steps": 50}, "epochs or train_steps", id="epochs-and-train-steps"),
        pytest.param({"min_delta": 0.01}, "patience", id="min-delta-without-patience"),
        pytest.param({"restore_best_weights": False}, "patience", id="restore-without-patience"),
    ],
)
def test_settings_that_would_be_ignored_are_refused(settings, message):
    """``train_steps`` only sets the epochs when ``epochs=None``; early stopping's settings need
    ``patience``: given otherwise, they are errors, not silently ignored."""
    cases, labels = ragged_cases()
    with pytest.raises(InvalidInputError, match=message):
        LSTMClassifier(**TINY, **settings).fit(cases, labels)
