"""LSTMClassifier's default settings on five UCR/UEA sets, beside the published figures.

For each set: fit ``LSTMClassifier()`` (its defaults; ``--n-seeds`` networks, seeds 0..N-1, in one
compiled call) on the ``_TRAIN.ts`` file, then score the ``_TEST.ts`` file: each seed's test
accuracy (mean ± sample std over the seeds), the ensemble's (mean probabilities), its balanced
accuracy, and the seconds to fit and predict. Beside them: 1-nearest-neighbour with Euclidean
distance computed here (a check that the files are read as the archive means them: it must equal
the archive's published figure), and the published accuracies of 1-NN ED, 1-NN DTW, ROCKET and
InceptionTime (sources in ``../shared/datasets/README.md``).

The defaults were chosen by cross-validation inside the training files only
(``benchmarks/classification_defaults.py``); the test files are read here, once, for the report.

    python benchmarks/classification.py                     # all five sets, 5 seeds
    python benchmarks/classification.py --datasets GunPoint --n-seeds 2
    python benchmarks/classification.py --output benchmarks/results/classification.json

Data: ``../shared/datasets/classification/`` beside the repository (not bundled).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "classification"
DATASETS = ("GunPoint", "ItalyPowerDemand", "ArrowHead", "BasicMotions", "JapaneseVowels")
TARGETS = {"GunPoint": 0.99, "ItalyPowerDemand": 0.965, "ArrowHead": 0.82, "BasicMotions": 1.0, "JapaneseVowels": 0.98}
# Published test accuracies (../shared/datasets/README.md): UCR 2018 DataSummary (1 - error) for
# 1-NN ED, DTW with the learned window and DTW with a full window; ROCKET's mean of 10 runs;
# InceptionTime's one run (an ensemble of 5 networks). None: not published for that set.
PUBLISHED = {
    "GunPoint": {
        "1nn_ed": 0.9133,
        "1nn_dtw_learned": 0.9133,
        "1nn_dtw_full": 0.9067,
        "rocket": 1.000,
        "inceptiontime": 1.000,
    },
    "ItalyPowerDemand": {
        "1nn_ed": 0.9553,
        "1nn_dtw_learned": 0.9553,
        "1nn_dtw_full": 0.9504,
        "rocket": 0.9696,
        "inceptiontime": 0.9650,
    },
    "ArrowHead": {
        "1nn_ed": 0.8000,
        "1nn_dtw_learned": 0.8000,
        "1nn_dtw_full": 0.7029,
        "rocket": 0.8143,
        "inceptiontime": 0.8457,
    },
    "BasicMotions": {
        "1nn_ed": None,
        "1nn_dtw_learned": None,
        "1nn_dtw_full": None,
        "rocket": None,
        "inceptiontime": 1.000,
    },
    "JapaneseVowels": {
        "1nn_ed": None,
        "1nn_dtw_learned": None,
        "1nn_dtw_full": None,
        "rocket": None,
        "inceptiontime": 0.9919,
    },
}


def one_nn_euclidean(train, test) -> float | None:
    """1-NN with Euclidean distance over all channels; None for sets of unequal lengths."""
    if not (train.equal_length and test.equal_length and len(train.X[0]) == len(test.X[0])):
        return None
    a, b = train.to_array().reshape(len(train), -1), test.to_array().reshape(len(test), -1)
    distances = (b**2).sum(1)[:, None] - 2 * b @ a.T + (a**2).sum(1)[None, :]
    predicted = np.asarray(train.y)[distances.argmin(axis=1)]
    return float(np.mean(predicted == np.asarray(test.y)))


def run_set(name: str, seeds: int) -> dict:
    from lstmcast.classify import LSTMClassifier, accuracy, balanced_accuracy
    from lstmcast.data import load_ts

    train = load_ts(DATA / name / f"{name}_TRAIN.ts")
    test = load_ts(DATA / name / f"{name}_TEST.ts")
    started = time.perf_counter()
    model = LSTMClassifier(n_seeds=seeds).fit(train.X, train.y)
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    members = model.predict_proba(test.X, members=True)
    predict_seconds = time.perf_counter() - started
    truth = np.asarray(test.y)
    per_seed = [accuracy(truth, model.classes_[p.argmax(axis=1)]) for p in members]
    ensemble = model.classes_[members.mean(axis=0).argmax(axis=1)]
    return {
        "dataset": name,
        "train_cases": len(train),
        "test_cases": len(test),
        "channels": train.n_channels,
        "lengths": [int(train.lengths.min()), int(max(train.lengths.max(), test.lengths.max()))],
        "classes": len(model.classes_),
        "seeds": seeds,
        "accuracy_per_seed": per_seed,
        "accuracy_mean": float(np.mean(per_seed)),
        "accuracy_std": float(np.std(per_seed, ddof=1)) if seeds > 1 else None,
        "accuracy_ensemble": accuracy(truth, ensemble),
        "balanced_accuracy_ensemble": balanced_accuracy(truth, ensemble),
        "target": TARGETS[name],
        "epochs": int(model.epochs_run_.max()),
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
        "one_nn_euclidean_here": one_nn_euclidean(train, test),
        "published": PUBLISHED[name],
        "settings": {k: v for k, v in model.get_params().items() if k not in ("verbose",)},
    }


def table(rows: list[dict]) -> str:
    def f(value):
        return "—" if value is None else f"{value:.3f}"

    lines = [
        "| dataset | LSTM-FCN, mean ± std of seeds | 5-seed ensemble | target | 1-NN ED (here) | 1-NN ED | DTW "
        "(learned w) | ROCKET | InceptionTime | fit s | predict s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        p = r["published"]
        spread = (
            f"{r['accuracy_mean']:.3f} ± {r['accuracy_std']:.3f}"
            if r["accuracy_std"] is not None
            else f"{r['accuracy_mean']:.3f}"
        )
        lines.append(
            f"| {r['dataset']} | {spread} | **{r['accuracy_ensemble']:.3f}** | {r['target']:.3f} | "
            f"{f(r['one_nn_euclidean_here'])} | "
            f"{f(p['1nn_ed'])} | {f(p['1nn_dtw_learned'])} | {f(p['rocket'])} | {f(p['inceptiontime'])} | "
            f"{r['fit_seconds']:.0f} | {r['predict_seconds']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--n-seeds", type=int, default=5)
    parser.add_argument("--output", type=Path, help="write the rows as JSON here (replaced if it exists)")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = []
    for name in args.datasets:
        rows.append(run_set(name, args.n_seeds))
        r = rows[-1]
        print(
            f"{name}: ensemble {r['accuracy_ensemble']:.4f} (target {r['target']}), seeds {r['accuracy_mean']:.4f}, "
            f"fit {r['fit_seconds']:.1f} s, predict {r['predict_seconds']:.1f} s",
            flush=True,
        )
    total = time.perf_counter() - started
    print()
    print(table(rows))
    print(f"\nwhole benchmark: {total:.0f} s (process start to here, data loading included)")
    if args.output:
        args.output.write_text(json.dumps({"rows": rows, "total_seconds": total}, indent=2) + "\n")


if __name__ == "__main__":
    main()
