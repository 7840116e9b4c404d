"""The many-series CLI target: ``lstmcast forecast`` on 1,500 series of 14 to 320 monthly values,
H = 24, with 80% and 95% intervals, timed end to end (start-up, reading, fit, predict, writing).

The panel is synthetic (seeded): each series a random walk with drift on the log scale, times a
level and a seasonal swing of random size and phase.

    python benchmarks/panel_cli_speed.py               # one run
    python benchmarks/panel_cli_speed.py --repeats 3   # the median of three
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def synthetic_panel(path: Path, n_series: int = 1500, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    frames = []
    for i in range(n_series):
        n = int(rng.integers(14, 321))
        t = np.arange(n)
        level, swing = rng.uniform(10, 1000), rng.uniform(0, 0.3)
        y = (
            level
            * np.exp(np.cumsum(rng.normal(0.003, 0.04, n)))
            * (1 + swing * np.sin(2 * np.pi * (t + rng.integers(12)) / 12))
        )
        ds = pd.date_range("1995-01-01", periods=n, freq="MS").strftime("%Y-%m-%d")
        frames.append(pd.DataFrame({"unique_id": f"item_{i:04d}", "ds": ds, "y": y.round(3)}))
    pd.concat(frames).to_csv(path, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--horizon", type=int, default=24)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "panel.csv"
        synthetic_panel(data)
        seconds = []
        for k in range(args.repeats):
            output = Path(folder) / f"forecast{k}.csv"
            command = [
                "lstmcast",
                "forecast",
                str(data),
                "--horizon",
                str(args.horizon),
                "--level",
                "80",
                "--level",
                "95",
                "--output",
                str(output),
            ]
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            seconds.append(time.perf_counter() - started)
            rows = len(pd.read_csv(output))
            print(f"run {k + 1}: {seconds[-1]:.1f} s, {rows} forecast rows", flush=True)
    print(f"median {statistics.median(seconds):.1f} s over {len(seconds)} run(s) (target: at most 90 s)")


if __name__ == "__main__":
    main()
