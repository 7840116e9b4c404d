"""Training speed of lstmcast on the tutorials' workloads: compile and run seconds, separately.

    python benchmarks/train_speed.py            # a table
    python benchmarks/train_speed.py --json     # one JSON list, one object per case

Each case runs in fresh processes so that nothing is shared in memory: first with an empty
compilation cache (``compile_s``, cold), then again with the cache it left (``compile_warm_s``).
In each process the same training is run 4 times; ``run_s`` is the median of the last 3 (the
compiled program running, plus lstmcast's per-call work), and compile seconds are the first
call minus that median (tracing, lowering and XLA compilation or a cache hit). ``sunspots``
reports seconds per epoch. Data: the real series from ``../shared/datasets`` when present
(scaled to [0, 1]), else synthetic series of the same shapes; speed does not depend on values.
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

CASES = {
    "airline": "LSTM(4)->Dense(1), 94 windows of look_back 1, batch 1, 100 epochs, shuffled (9,400 steps)",
    "shampoo": "stateful LSTM(4)->Dense(1), 23 samples, batch 1, 3,000 epochs, not shuffled (69,000 steps)",
    "sunspots": "LSTM(64)->Dense(32)->Dense(1), 55,150 windows x 10 steps, batch 32, 1 epoch (1,724 steps)",
    "ensemble": "the airline case for 32 seeds in one call (300,800 model-steps)",
    "sunspots_bare": "reference, not lstmcast: the sunspots epoch as a bare jitted lax.scan (no shuffling, no "
    "validation or early-stopping machinery, optax.adam): the floor for this network on this machine",
}
TARGETS = {"airline": 0.02, "shampoo": 0.1, "sunspots": 2.0, "ensemble": 0.2, "sunspots_bare": None}
DEFAULT_CASES = ["airline", "shampoo", "sunspots", "ensemble"]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "seeds"


def _series(name: str, fallback_length: int):
    import numpy as np

    path = {"airline": SEEDS / "airline_passengers.csv", "shampoo": SEEDS / "shampoo_sales.csv"}.get(name)
    if name == "sunspots":
        path = SEEDS / "sunspots_daily_SN_d_tot_V2.0.csv"
        if path.exists():
            values = np.loadtxt(path, delimiter=";", usecols=4)[:72865]
            values = np.interp(np.arange(len(values)), np.flatnonzero(values >= 0), values[values >= 0])
            return (values - values.min()) / (values.max() - values.min())
    elif path is not None and path.exists():
        values = np.loadtxt(path, delimiter=",", skiprows=1, usecols=1)
        return (values - values.min()) / (values.max() - values.min())
    return (np.sin(np.arange(fallback_length) * 0.1) + 1) / 2


def _windows(values, look_back: int, n: int):
    import numpy as np

    x = np.stack([values[i : i + look_back] for i in range(n)])[:, :, None].astype(np.float32)
    return x, values[look_back : look_back + n].astype(np.float32)


def _workload(case: str):
    """(callable that trains once, epochs it runs)."""
    from lstmcast.nn import Dense, NetworkSpec
    from lstmcast.train import TrainConfig, fit, fit_many

    if case in ("airline", "ensemble"):
        x, y = _windows(_series("airline", 144), 1, 94)
        spec, config = NetworkSpec(1, (4,), (1,)), TrainConfig(epochs=100, batch_size=1, shuffle=True)
        if case == "ensemble":
            return (lambda: fit_many(spec, x, y, config, seeds=range(32), verbose=0)), 100
        return (lambda: fit(spec, x, y, config, seed=0, verbose=0)), 100
    if case == "shampoo":
        x, y = _windows(_series("shampoo", 36), 1, 23)
        spec = NetworkSpec(1, (4,), (1,))
        config = TrainConfig(epochs=3000, batch_size=1, stateful=True)
        return (lambda: fit(spec, x, y, config, seed=0, verbose=0)), 3000
    if case == "sunspots_bare":
        return _bare_sunspots_epoch(), 1
    if case == "sunspots":
        x, y = _windows(_series("sunspots", 55_200), 10, 55_150)
        spec = NetworkSpec(1, (64,), (Dense(32, "relu"), Dense(1)))
        config = TrainConfig(epochs=1, batch_size=32)
        return (lambda: fit(spec, x, y, config, seed=0, verbose=0)), 1
    raise SystemExit(f"unknown case {case}")


def _bare_sunspots_epoch():
    """The same network and batches in the simplest compiled loop JAX offers."""
    import jax
    import jax.numpy as jnp
    import optax

    import lstmcast
    from lstmcast.nn import Dense, NetworkSpec, init_network, network_forward, ravel_weights, unravel_weights

    lstmcast.configure_runtime()  # the same XLA flags and cache as lstmcast's own runs
    spec = NetworkSpec(1, (64,), (Dense(32, "relu"), Dense(1)))
    x, y = _windows(_series("sunspots", 55_200), 10, 55_168)
    batches_x, batches_y = x.reshape(-1, 32, 10, 1), y.reshape(-1, 32, 1)
    optimizer = optax.adam(1e-3)

    def loss(flat, xb, yb):
        return jnp.mean((network_forward(spec, unravel_weights(spec, flat), xb)[0] - yb) ** 2)

    @jax.jit
    def epoch(flat, xs, ys):
        def step(carry, batch):
            flat, state = carry
            grads = jax.grad(loss)(flat, *batch)
            updates, state = optimizer.update(grads, state, flat)
            return (flat + updates, state), None

        return jax.lax.scan(step, (flat, optimizer.init(flat)), (xs, ys))[0][0]

    flat = jnp.asarray(ravel_weights(init_network(spec, 0)))
    return lambda: epoch(flat, batches_x, batches_y).block_until_ready()


def worker(case: str) -> dict:
    train, epochs = _workload(case)
    times = []
    for _ in range(4):
        started = time.perf_counter()
        train()
        times.append(time.perf_counter() - started)
    run = statistics.median(times[1:])
    per = epochs if case.startswith("sunspots") else 1
    return {"case": case, "first_call_s": times[0], "run_s": run / per, "compile_s": times[0] - run}


def _in_fresh_process(case: str, cache_dir: str) -> dict:
    env = dict(os.environ, LSTMCAST_CACHE_DIR=cache_dir)
    out = subprocess.run(
        [sys.executable, __file__, "--worker", case], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON list instead of a table")
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=DEFAULT_CASES)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    rows = []
    for case in args.cases:
        with tempfile.TemporaryDirectory() as cache:
            cold = _in_fresh_process(case, cache)
            warm = _in_fresh_process(case, cache)
        rows.append(
            {
                "case": case,
                "workload": CASES[case],
                "compile_s": round(cold["compile_s"], 3),
                "compile_warm_s": round(warm["compile_s"], 3),
                "run_s": round(statistics.median([cold["run_s"], warm["run_s"]]), 4),
                "run_unit": "seconds per epoch" if case.startswith("sunspots") else "seconds per training run",
                "run_target_s": TARGETS[case],
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="lstmcast training speed (this machine)")
    for column in ("case", "compile cold (s)", "compile warm (s)", "run (s)", "target run (s)"):
        table.add_column(column, justify="left" if column == "case" else "right")
    for row in rows:
        table.add_row(
            row["case"],
            f"{row['compile_s']:.2f}",
            f"{row['compile_warm_s']:.2f}",
            f"{row['run_s']:.4f}",
            f"{row['run_target_s'] or '—'}",
        )
    Console().print(table)
    for row in rows:
        print(f"  {row['case']}: {row['workload']}; run = {row['run_unit']}")


if __name__ == "__main__":
    main()
