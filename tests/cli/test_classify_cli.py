"""``lstmcast classify`` and ``lstmcast recipe run toy-classifier`` as a user meets them: the
scores printed, the predictions file, the saved model, and one-line errors."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from lstmcast.classify import LSTMClassifier
from lstmcast.recipes.toy_classifier import LABELS
from tests.cli.test_cli import run_cli

FAST = ["--epochs", 3, "--n-seeds", 2, "--units", 4]


def write_ts(path, cases, labels=None, classes=("early", "late")):
    header = [
        "# written by the test",
        "@problemName Bumps",
        "@timeStamps false",
        "@missing false",
        "@univariate false",
        "@dimensions 2",
        "@equalLength false",
        f"@classLabel true {' '.join(classes)}" if labels is not None else "@classLabel false",
        "@data",
    ]
    rows = []
    for k, case in enumerate(cases):
        channels = ":".join(",".join(repr(float(v)) for v in case[:, c]) for c in range(case.shape[1]))
        rows.append(channels + (f":{labels[k]}" if labels is not None else ""))
    path.write_text("\n".join(header + rows) + "\n")
    return path


def bumps(n, seed):
    rng = np.random.default_rng(seed)
    cases, labels = [], []
    for i in range(n):
        length = int(rng.integers(12, 20))
        case = rng.normal(0, 0.3, size=(length, 2))
        where = int(rng.integers(0, length // 2 - 3)) + (length // 2 if i % 2 else 0)
        case[where : where + 3, 0] += 3.0
        cases.append(case)
        labels.append("late" if i % 2 else "early")
    return cases, labels


@pytest.fixture
def files(tmp_path):
    train_cases, train_labels = bumps(16, 0)
    test_cases, test_labels = bumps(9, 1)
    return (
        write_ts(tmp_path / "train.ts", train_cases, train_labels),
        write_ts(tmp_path / "test.ts", test_cases, test_labels),
        test_cases,
        test_labels,
    )


def test_classify_prints_the_scores_and_writes_predictions_and_model(monkeypatch, capsys, files, tmp_path):
    train, test, test_cases, test_labels = files
    output, saved = tmp_path / "predictions.csv", tmp_path / "model.npz"
    code, out, err = run_cli(monkeypatch, capsys, "classify", train, test, *FAST, "--output", output, "--save", saved)
    assert code == 0, err
    frame = pd.read_csv(output)
    assert list(frame.columns) == ["case", "label", "predicted", "proba_early", "proba_late"]
    assert frame["case"].tolist() == list(range(9)) and frame["label"].tolist() == test_labels
    np.testing.assert_allclose(frame[["proba_early", "proba_late"]].sum(axis=1), 1.0, atol=1e-9)
    accuracy = np.mean(frame["label"] == frame["predicted"])
    recalls = [np.mean(frame["predicted"][frame["label"] == c] == c) for c in ("early", "late")]
    assert f"accuracy {accuracy:.4f}" in out and f"balanced accuracy {np.mean(recalls):.4f}" in out
    assert "confusion matrix" in out and re.search(r"trained in [0-9.]+ s", out)
    model = LSTMClassifier.load(saved)
    np.testing.assert_allclose(model.predict_proba(test_cases)[:, 1], frame["proba_late"], rtol=1e-12)


def test_unlabelled_cases_get_predictions_only(monkeypatch, capsys, files, tmp_path):
    train, _, test_cases, _ = files
    test = write_ts(tmp_path / "new.ts", test_cases)
    output = tmp_path / "p.csv"
    code, out, err = run_cli(monkeypatch, capsys, "classify", train, test, *FAST, "--output", output)
    assert code == 0, err
    assert "accuracy" not in out and list(pd.read_csv(output).columns) == [
        "case",
        "predicted",
        "proba_early",
        "proba_late",
    ]


def test_an_unseen_test_label_counts_as_wrong(monkeypatch, capsys, files, tmp_path):
    train, _, test_cases, test_labels = files
    labels = ["sideways"] + test_labels[1:]
    test = write_ts(tmp_path / "odd.ts", test_cases, labels, classes=("early", "late", "sideways"))
    code, out, err = run_cli(monkeypatch, capsys, "classify", train, test, *FAST, "--output", tmp_path / "p.csv")
    assert code == 0, err
    frame = pd.read_csv(tmp_path / "p.csv")
    assert f"accuracy {np.mean(frame['label'] == frame['predicted']):.4f}" in out and "sideways" in out


def test_long_csv_files_are_read_too(monkeypatch, capsys, files, tmp_path):
    cases, labels = bumps(12, 3)
    rows = [
        {"case_id": f"c{k}", "t": t, "x": v[0], "z": v[1], "label": labels[k]}
        for k, case in enumerate(cases)
        for t, v in enumerate(case)
    ]
    pd.DataFrame(rows).sample(frac=1.0, random_state=0).to_csv(tmp_path / "train.csv", index=False)  # rows in any order
    code, out, err = run_cli(monkeypatch, capsys, "classify", tmp_path / "train.csv", files[1], *FAST)
    assert code == 0, err
    assert "12 training cases, 9 test cases, 2 channel(s), 2 classes" in " ".join(out.split())


def test_a_bad_file_is_one_line_naming_the_case_and_line(monkeypatch, capsys, files, tmp_path):
    train, test, _, _ = files
    lines = train.read_text().splitlines()
    channels = lines[12].split(":")
    lines[12] = ":".join([channels[0] + ",1.0", *channels[1:]])  # one channel a step longer
    train.write_text("\n".join(lines) + "\n")
    code, _, err = run_cli(monkeypatch, capsys, "classify", train, test, *FAST)
    assert code == 2 and err.startswith("lstmcast: error:") and err.count("\n") == 1
    assert "line 13" in err and "case 3" in err


def test_toy_classifier_recipe_reports_keras_accuracy_beside_class_accuracy(monkeypatch, capsys, tmp_path):
    code, out, err = run_cli(
        monkeypatch,
        capsys,
        "recipe",
        "run",
        "toy-classifier",
        "--epochs",
        3,
        "--n-seeds",
        2,
        "--json",
        "--out",
        tmp_path,
    )
    assert code == 0, err
    summary = json.loads(out)
    assert summary["variant"] == "faithful" and summary["seeds"] == 2 and len(summary["per_seed"]) == 2
    assert (
        summary["settings"]["network"]["lstm_units"] == [128] and summary["settings"]["loss"] == "binary_crossentropy"
    )
    for seed in summary["per_seed"]:
        assert seed["class_accuracy"] == pytest.approx(np.mean(np.array(seed["predicted_classes"]) == LABELS))
        assert 0.0 <= seed["keras_binary_accuracy"] <= 1.0 and seed["new_sequence_class"] in range(4)
    assert (tmp_path / summary["run_dir"].split("/")[-1] / "metrics.json").is_file()
    code, out, err = run_cli(monkeypatch, capsys, "recipe", "run", "toy-classifier", "--fixed", "--out", tmp_path)
    assert code == 2 and "faithful" in err and "improved" in err


def test_too_many_classes_for_the_width_list_the_most_frequent_mistakes(monkeypatch, capsys, tmp_path):
    rng = np.random.default_rng(3)
    classes = [f"class{k:02d}" for k in range(24)]
    train_labels, test_labels = classes * 2, classes
    train = write_ts(tmp_path / "train.ts", [rng.normal(size=(10, 2)) for _ in train_labels], train_labels, classes)
    test = write_ts(tmp_path / "test.ts", [rng.normal(size=(10, 2)) for _ in test_labels], test_labels, classes)
    output = tmp_path / "predictions.csv"
    code, out, err = run_cli(monkeypatch, capsys, "classify", train, test, *FAST, "--output", output)
    assert code == 0, err
    frame = pd.read_csv(output)
    wrong = frame[frame["label"] != frame["predicted"]].groupby(["label", "predicted"]).size()
    line = " ".join(out.split())  # rich wraps long lines
    assert "24 classes are too many to show" in line
    listed = re.findall(r"(class\d\d) -> (class\d\d) \((\d+)\)", line)
    assert listed and len(listed) == min(10, len(wrong))
    for true, predicted, count in listed:
        assert wrong[(true, predicted)] == int(count)
    assert [int(c) for _, _, c in listed] == sorted((int(c) for _, _, c in listed), reverse=True)
