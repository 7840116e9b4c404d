"""Scaling out, measured side by side in one run: the same jobs in this process and on a
2-worker ``LocalCluster`` (``lstmcast.parallel.cluster(workers=2)``), with their results compared.

Jobs:

* ``baselines``: Naive2, SeasonalNaive, AutoETS and AutoTheta fitted on every series of the M1
  monthly training file (617 series, the size of M3 monthly's panels) and scored on its test
  file; the panel is split into partitions of series, one task each.
* ``gridsearch``: ``lstmcast recipe run gridsearch --fixed`` (the tutorial's 20-configuration
  grid, compiled programs grouped per batch size), as a user runs it a second time (baselines
  from lstmcast's cache), with and without ``--workers 2``; the cluster's start-up is included;
  the scores of both runs compared.
* ``random_search``: a 200-configuration random search over units, look-back, batch size and
  learning rate on the airline training part (the tasks are the search's compiled-program
  groups).

Each job runs ``--repeats`` times alternately here and on the cluster; the medians are reported.
Numba compiles statsforecast's models on first use (cached on disk), so a warm-up runs first.

    python benchmarks/scale_out.py                    # every job
    python benchmarks/scale_out.py --jobs baselines --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "competitions"
RESULTS = Path(__file__).resolve().parent / "results"


def baselines(executor):
    from lstmcast.data import load_panel_csv
    from lstmcast.evaluate import holdout
    from lstmcast.forecast import AutoETS, AutoTheta, Naive2, SeasonalNaive

    train, test = load_panel_csv(DATA / "m1_monthly_train.csv"), load_panel_csv(DATA / "m1_monthly_test.csv")
    models = [Naive2(season=12), SeasonalNaive(season=12), AutoETS(season=12), AutoTheta(season=12)]
    table = holdout(models, train, test, season=12, executor=executor).table()
    return table[["smape", "mase", "owa"]].to_numpy()


def random_search_job(executor):
    from lstmcast.datasets import load
    from lstmcast.forecast import LocalLSTM
    from lstmcast.search import RollingOrigin, random_search

    train = load("airline")[:96]
    space = {
        "units": [2, 4, 8, 16],
        "look_back": [1, 3, 6, 12],
        "batch_size": [1, 4, 16],
        "learning_rate": [1e-3, 3e-3, 1e-2],
    }
    model = LocalLSTM(epochs=30, scale="minmax", n_seeds=2)
    result = random_search(
        model,
        space,
        train,
        n_iter=200,
        seed=0,
        cv=RollingOrigin(horizon=12, n_windows=3),
        season=12,
        refit=False,
        executor=executor,
    )
    return result.table["score_mean"].to_numpy()


def gridsearch_cli(workers: int | None) -> tuple[float, str]:
    """The recipe's wall time, and its numbers (every configuration's scores, the best, the test
    and train RMSEs) as text to compare runs by."""
    with tempfile.TemporaryDirectory() as out:
        command = ["lstmcast", "recipe", "run", "gridsearch", "--fixed", "--json", "--out", out] + (
            ["--workers", str(workers)] if workers else []
        )
        started = time.perf_counter()
        printed = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        seconds = time.perf_counter() - started
    summary = json.loads(printed)
    scores = [{k: v for k, v in row.items() if k != "seconds"} for row in summary["configurations"]]
    return seconds, json.dumps(
        [scores, summary["best_params"], summary["test_rmse"], summary["train_rmse"]], sort_keys=True
    )


def timed(job, executor):
    started = time.perf_counter()
    result = job(executor)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", nargs="+", default=["baselines", "gridsearch", "random_search"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS / "scale_out.json")
    args = parser.parse_args()
    from lstmcast.parallel import cluster

    report = {}
    if "gridsearch" in args.jobs:
        gridsearch_cli(None)  # compile cache and numba warm
        here, there, same = [], [], True
        for _ in range(args.repeats):
            (t_here, r_here), (t_there, r_there) = gridsearch_cli(None), gridsearch_cli(2)
            here.append(t_here)
            there.append(t_there)
            same &= r_here == r_there
        report["gridsearch"] = {"in_process_s": here, "workers2_s": there, "same_results": same}
    # from here on the statistical models are computed, never read from lstmcast's cache (the
    # recipe above reads its baselines from it, as a user's second run does); workers inherit this
    os.environ["LSTMCAST_BASELINE_CACHE"] = "0"
    jobs = {"baselines": baselines, "random_search": random_search_job}
    chosen = [name for name in args.jobs if name in jobs]
    if chosen:
        with cluster(workers=2) as executor:
            for name in chosen:
                timed(jobs[name], None)  # warm-up: numba, compiled programs, here and on the workers
                timed(jobs[name], executor)
                here, there, same = [], [], True
                for _ in range(args.repeats):
                    t_here, r_here = timed(jobs[name], None)
                    t_there, r_there = timed(jobs[name], executor)
                    here.append(t_here)
                    there.append(t_there)
                    same &= bool(np.allclose(r_here, r_there, rtol=1e-6, equal_nan=True))
                report[name] = {"in_process_s": here, "workers2_s": there, "same_results": same}
    for name, r in report.items():
        a, b = statistics.median(r["in_process_s"]), statistics.median(r["workers2_s"])
        r["speed_up"] = a / b
        print(
            f"{name}: in-process {a:.1f} s, 2 workers {b:.1f} s, speed-up {a / b:.2f}x"
            + ("" if r.get("same_results", True) else "  RESULTS DIFFER")
        )
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    args.output.write_text(json.dumps({**previous, **report}, indent=2) + "\n")  # jobs not rerun keep their figures


if __name__ == "__main__":
    sys.exit(main())
