"""Scaling out on real Dask clusters (no mocks): the same numbers in-process, on a LocalCluster
and on a cluster started from the command line; a worker killed mid-job costs a retry, not the
job; an unreachable scheduler is one line and status 2; Ctrl-C keeps the rows finished so far."""

import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import from_long
from lstmcast.datasets import load
from lstmcast.evaluate import backtest, cross_validate
from lstmcast.forecast import AutoETS, LSTMForecaster, Naive2
from lstmcast.scale import ClusterError, cluster
from lstmcast.search import RollingOrigin, grid_search
from tests.cli.test_cli import run_cli

AIRLINE = load("airline").to_numpy()[:96]
SEARCH = dict(cv=RollingOrigin(2, 12), season=12, refit=False, verbose=0)
ESTIMATOR = LSTMForecaster(look_back=3, epochs=5, scale="minmax", n_models=2)
GRID = {"units": [2, 4], "batch_size": [4, 8]}  # two programs (batch sizes), two widths each


def panel(n_series=70, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_series):
        n = int(rng.integers(30, 45))
        y = (10 + i) * np.exp(np.cumsum(rng.normal(0.01, 0.05, n))) * (1 + 0.2 * np.sin(2 * np.pi * np.arange(n) / 4))
        rows.append(pd.DataFrame({"unique_id": f"s{i:03d}", "ds": np.arange(1, n + 1), "y": y}))
    return from_long(pd.concat(rows, ignore_index=True))


@pytest.fixture(scope="module")
def in_process():
    return {
        "search": grid_search(ESTIMATOR, GRID, AIRLINE, **SEARCH).table,
        "baselines": cross_validate([Naive2(season=4), AutoETS(season=4)], panel(), horizon=4, season=4).forecasts,
        "backtest": backtest(ESTIMATOR, AIRLINE, horizon=6, n_windows=2, baselines=()).forecasts,
    }


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_exact=False, rtol=1e-6, atol=0
    )


def test_a_local_cluster_gives_the_same_numbers(in_process):
    with cluster(workers=2) as executor:
        same(
            grid_search(ESTIMATOR, GRID, AIRLINE, **SEARCH, executor=executor).table.drop(columns="seconds"),
            in_process["search"].drop(columns="seconds"),
        )
        # 70 series: AutoETS in two partitions of series, each a task
        same(
            cross_validate(
                [Naive2(season=4), AutoETS(season=4)], panel(), horizon=4, season=4, executor=executor
            ).forecasts,
            in_process["baselines"],
        )
        same(
            backtest(ESTIMATOR, AIRLINE, horizon=6, n_windows=2, baselines=(), executor=executor).forecasts,
            in_process["backtest"],
        )


def test_a_cluster_started_from_the_command_line(in_process, tmp_path):
    scheduler_file = tmp_path / "scheduler.json"
    environment = {**os.environ, "OMP_NUM_THREADS": "1", "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false"}
    started = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_scheduler",
                "--scheduler-file",
                str(scheduler_file),
                "--port",
                "0",
                "--no-dashboard",
            ],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.time() + 30
        while not scheduler_file.exists() and time.time() < deadline:
            time.sleep(0.2)
        address = pd.read_json(scheduler_file, typ="series")["address"]
        for _ in range(2):
            started.append(
                subprocess.Popen(
                    [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-dashboard"],
                    env=environment,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        with cluster(address) as executor:
            executor._client.wait_for_workers(2, timeout=60)
            same(
                grid_search(ESTIMATOR, GRID, AIRLINE, **SEARCH, executor=executor).table.drop(columns="seconds"),
                in_process["search"].drop(columns="seconds"),
            )
            same(
                cross_validate(
                    [Naive2(season=4), AutoETS(season=4)], panel(), horizon=4, season=4, executor=executor
                ).forecasts,
                in_process["baselines"],
            )
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=30)


def test_a_worker_killed_mid_job_costs_a_retry_not_the_job(in_process):
    with cluster(workers=2) as executor:
        pids = list(executor._client.run(os.getpid).values())
        killer = threading.Timer(1.5, os.kill, args=(pids[0], signal.SIGKILL))
        killer.start()
        result = grid_search(ESTIMATOR, {**GRID, "units": [2, 3, 4, 5]}, AIRLINE, **SEARCH, executor=executor).table
        killer.join()
        alive = list(executor._client.run(os.getpid).values())
    assert pids[0] not in alive  # the worker did die (its nanny started another)
    expected = grid_search(ESTIMATOR, {**GRID, "units": [2, 3, 4, 5]}, AIRLINE, **SEARCH).table
    same(result.drop(columns="seconds"), expected.drop(columns="seconds"))


def test_an_unreachable_scheduler_is_one_line_and_status_2_within_seconds(monkeypatch, capsys, tmp_path):
    with pytest.raises(ClusterError):
        with cluster("tcp://127.0.0.1:9"):
            pass
    csv = tmp_path / "y.csv"
    pd.DataFrame({"month": pd.date_range("2000-01-01", periods=96, freq="MS").strftime("%Y-%m"), "y": AIRLINE}).to_csv(
        csv, index=False
    )
    began = time.perf_counter()
    code, _, err = run_cli(
        monkeypatch, capsys, "search", csv, "--grid", "units=2,4", "--scheduler", "tcp://127.0.0.1:9"
    )
    assert code == 2 and err.startswith("lstmcast: error: cannot reach") and err.count("\n") == 1
    assert time.perf_counter() - began < 10


def test_ctrl_c_keeps_the_rows_finished_so_far(monkeypatch, capsys, tmp_path):
    import lstmcast.report

    csv, output = tmp_path / "y.csv", tmp_path / "table.csv"
    pd.DataFrame({"month": pd.date_range("2000-01-01", periods=96, freq="MS").strftime("%Y-%m"), "y": AIRLINE}).to_csv(
        csv, index=False
    )
    write = lstmcast.report.write_csv
    calls = []

    def interrupted_after_two(*args, **kwargs):
        calls.append(1)
        if len(calls) > 2:
            raise KeyboardInterrupt
        return write(*args, **kwargs)

    monkeypatch.setattr(lstmcast.report, "write_csv", interrupted_after_two)
    code, _, err = run_cli(
        monkeypatch,
        capsys,
        "search",
        csv,
        "--grid",
        "units=2,4",
        "--grid",
        "batch_size=4,8",
        "--epochs",
        3,
        "--seeds",
        1,
        "--output",
        output,
        "--workers",
        2,
    )
    assert code == 130 and "interrupted" in err
    assert len(pd.read_csv(output)) == 2  # the rows finished before Ctrl-C, written atomically
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv", "y.csv"]
