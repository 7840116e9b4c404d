"""End-to-end time of ``lstmcast recipe run NAME``: process start to exit, as a user sees it.

    python benchmarks/recipe_speed.py                     # airline: first run, then second run
    python benchmarks/recipe_speed.py --recipes airline milk shampoo --json
    python benchmarks/recipe_speed.py --recipes gridsearch --variant fixed   # 20 configurations x 3 folds

Each recipe runs twice in fresh processes sharing a new, empty cache folder: the first run pays
for compiling the training program and for importing and fitting the statistical baselines; the
second finds the compiled programs (JAX's persistent cache) and the baseline forecasts (lstmcast's
baseline cache) on disk. Every run trains 5 seeds and writes its plots; the run folders go to a
temporary directory.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def timed_run(recipe: str, flags: list[str], cache: str, out: str) -> tuple[float, dict]:
    env = dict(os.environ, LSTMCAST_CACHE_DIR=cache)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "lstmcast.cli", "recipe", "run", recipe, "--json", "--out", out, *flags],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipes", nargs="+", default=["airline"])
    parser.add_argument("--variant", choices=["faithful", "fixed", "improved"], default="faithful")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    flags = [] if args.variant == "faithful" else [f"--{args.variant}"]
    rows = []
    for recipe in args.recipes:
        with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
            first, _ = timed_run(recipe, flags, cache, out)
            second, summary = timed_run(recipe, flags, cache, out)
        rows.append(
            {
                "recipe": recipe,
                "variant": args.variant,
                "first_run_s": round(first, 2),
                "second_run_s": round(second, 2),
                "lstm_test_rmse_mean": round(summary["test_rmse"]["lstm_mean"], 2),
                "seeds": summary["seeds"],
                "configurations": len(summary.get("configurations", [])),
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        print(
            f"{row['recipe']:9s} {row['variant']:9s} first run {row['first_run_s']:6.2f} s   second run "
            f"{row['second_run_s']:6.2f} s"
            f"   (LSTM test RMSE {row['lstm_test_rmse_mean']}, {row['seeds']} seeds"
            + (f", {row['configurations']} configurations searched)" if row["configurations"] else ")")
        )


if __name__ == "__main__":
    main()
