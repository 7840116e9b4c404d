"""How LSTMClassifier's defaults were chosen: cross-validation inside the training files only.

Each candidate setting is scored by stratified k-fold cross-validation on each set's
``_TRAIN.ts`` file (the ``_TEST.ts`` files are never read here): the mean accuracy over the
folds, per set, and the mean over the sets. ``LSTMClassifier``'s defaults are the candidate with
the best mean that also fits the benchmark's time budget.

    python benchmarks/classification_defaults.py                       # every candidate
    python benchmarks/classification_defaults.py --candidates default wide --folds 3 --n-seeds 1

Data: ``../shared/datasets/classification/`` beside the repository.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "classification"
DATASETS = ("GunPoint", "ItalyPowerDemand", "ArrowHead", "BasicMotions", "JapaneseVowels")
# Departures from LSTMClassifier()'s defaults, by name ("default" is the defaults themselves).
CANDIDATES: dict[str, dict] = {
    "default": {},
    "narrow": {"conv_filters": (32, 64, 32)},
    "narrow_longer": {"conv_filters": (32, 64, 32), "train_steps": 1600},
}


def folds(labels: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """Stratified folds: each class's cases shuffled and dealt round the folds."""
    rng = np.random.default_rng(seed)
    dealt: list[list[int]] = [[] for _ in range(k)]
    for label in np.unique(labels):
        for j, case in enumerate(rng.permutation(np.flatnonzero(labels == label))):
            dealt[j % k].append(int(case))
    return [np.array(sorted(f)) for f in dealt]


def cross_validate(name: str, settings: dict, k: int, seeds: int, repeats: int) -> dict:
    from lstmcast.classify import LSTMClassifier
    from lstmcast.data import load_ts

    train = load_ts(DATA / name / f"{name}_TRAIN.ts")  # the training file only
    labels = np.asarray(train.y)
    scores, started = [], time.perf_counter()
    for repeat in range(repeats):
        for held_out in folds(labels, k, repeat):
            rest = np.setdiff1d(np.arange(len(labels)), held_out)
            model = LSTMClassifier(**{"n_seeds": seeds, **settings}).fit([train.X[i] for i in rest], labels[rest])
            scores.append(model.score([train.X[i] for i in held_out], labels[held_out]))
    return {
        "dataset": name,
        "cv_accuracy": float(np.mean(scores)),
        "fold_scores": scores,
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES))
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=1, help="repeats of the k-fold split, each shuffled anew")
    parser.add_argument("--n-seeds", type=int, default=1, help="networks per fit (an ensemble)")
    parser.add_argument("--output", type=Path, help="write every row as JSON here")
    args = parser.parse_args()
    rows = []
    for candidate in args.candidates:
        for name in args.datasets:
            row = {
                "candidate": candidate,
                "settings": CANDIDATES[candidate],
                **cross_validate(name, CANDIDATES[candidate], args.folds, args.n_seeds, args.repeats),
            }
            rows.append(row)
            print(
                f"{candidate:>12s} {name:>17s}: cv accuracy {row['cv_accuracy']:.4f} ({row['seconds']:.0f} s)",
                flush=True,
            )
    print()
    print("| candidate | " + " | ".join(args.datasets) + " | mean | seconds |")
    print("| --- |" + " --- |" * (len(args.datasets) + 2))
    for candidate in args.candidates:
        mine = [r for r in rows if r["candidate"] == candidate]
        cells = " | ".join(f"{r['cv_accuracy']:.3f}" for r in mine)
        print(
            f"| {candidate} | {cells} | {np.mean([r['cv_accuracy'] for r in mine]):.4f} | "
            f"{sum(r['seconds'] for r in mine):.0f} |"
        )
    if args.output:
        args.output.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
