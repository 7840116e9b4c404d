"""The classifier's defaults on a large set: 300 training and 120 test cases, 1,500 steps, 3
channels, 60 classes (synthetic and seeded: class k is a sine of frequency k+1 per 500 steps in
every channel, plus noise), timed end to end through ``lstmcast classify``.

It checks the claim that the recommended defaults run on any reasonable set "in minutes, not
hours"; the accuracy it prints is only a sanity check (the task is easy).

    python benchmarks/classification_large.py
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

CLASSES, STEPS, CHANNELS = 60, 1500, 3


def write_ts(path: Path, cases: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    header = [
        "@problemName Large",
        "@timeStamps false",
        "@missing false",
        "@univariate false",
        f"@dimensions {CHANNELS}",
        "@equalLength true",
        f"@seriesLength {STEPS}",
        "@classLabel true " + " ".join(f"c{k}" for k in range(CLASSES)),
        "@data",
    ]
    lines = list(header)
    t = np.arange(STEPS)
    for i in range(cases):
        k = i % CLASSES
        case = np.stack(
            [np.sin(2 * np.pi * t * (k + 1) / STEPS * 3) + rng.normal(0, 0.5, STEPS) for _ in range(CHANNELS)], 1
        )
        lines.append(":".join(",".join(f"{v:.3f}" for v in case[:, c]) for c in range(CHANNELS)) + f":c{k}")
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        train, test = Path(folder) / "train.ts", Path(folder) / "test.ts"
        write_ts(train, 300, 0)
        write_ts(test, 120, 1)
        started = time.perf_counter()
        result = subprocess.run(
            ["lstmcast", "classify", str(train), str(test)], capture_output=True, text=True, check=True
        )
        print(result.stdout)
        print(f"lstmcast classify, end to end: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
