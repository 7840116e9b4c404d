"""Where tasks run (``lstmcast.parallel``), on real processes and real Dask clusters (no mocks).

The rule: without an executor every task runs here, in order; a ``SideProcess`` takes the light
tasks while the others run here; any other executor takes every task; results come back in the
order of the arguments. On clusters: the same numbers in-process, on a LocalCluster and on a
cluster started from the command line; a worker killed mid-task costs a retry of that task, not
the job; an unreachable scheduler is one line and status 2; Ctrl-C keeps the rows finished so far."""

import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import from_long
from lstmcast.datasets import load
from lstmcast.errors import InvalidInputError
from lstmcast.evaluate import backtest, cross_validate
from lstmcast.forecast import AutoETS, LocalLSTM, Naive2
from lstmcast.parallel import CONNECT_TIMEOUT, ClusterError, SideProcess, cluster, run_tasks
from lstmcast.search import RollingOrigin, grid_search
from tests.cli.test_cli import run_cli
from tests.parallel_tasks import fails_at, stalls_once, wait_for, where

AIRLINE = load("airline").to_numpy()[:96]
SEARCH = dict(cv=RollingOrigin(horizon=12, n_windows=2), season=12, refit=False, verbose=0)
ESTIMATOR = LocalLSTM(look_back=3, epochs=5, scale="minmax", n_seeds=2)
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


# -- the rule -------------------------------------------------------------------------------------------------
def test_without_an_executor_every_task_runs_here_in_order(tmp_path):
    done = []
    results = run_tasks(
        where,
        [(k, str(tmp_path)) for k in range(4)],
        light=[True, False, True, False],
        on_done=lambda k, result: done.append((k, result)),
    )
    assert results == [(k * k, os.getpid(), True) for k in range(4)]
    assert done == list(enumerate(results))  # each as it finished: in order


def test_a_side_process_takes_the_light_tasks_and_this_process_the_others(tmp_path):
    markers, done = str(tmp_path), []
    # the tasks run here wait for a light task to have started: the light ones are submitted first
    arguments = [(0, markers), (1, markers, 0), (2, markers), (3, markers, 2), (4, markers)]
    with cluster(side_process=True) as executor:
        assert isinstance(executor, SideProcess)
        results = run_tasks(
            where,
            arguments,
            executor=executor,
            light=[True, False, True, False, True],
            on_done=lambda k, result: done.append((k, result)),
            progress=False,
        )
    assert [square for square, _, _ in results] == [0, 1, 4, 9, 16]  # in the order of the arguments
    pids = [pid for _, pid, _ in results]
    assert pids[1] == pids[3] == os.getpid()
    assert pids[0] == pids[2] == pids[4] != os.getpid()
    assert all(seen for _, _, seen in results)
    assert sorted(done) == list(enumerate(results))  # once per task, those run here included


def test_a_side_process_takes_every_task_by_default(tmp_path):
    with cluster(side_process=True) as executor:
        results = run_tasks(where, [(k, str(tmp_path)) for k in range(3)], executor=executor, progress=False)
    assert [square for square, _, _ in results] == [0, 1, 4]
    assert len({pid for _, pid, _ in results}) == 1 and results[0][1] != os.getpid()


class RecordingThreads(ThreadPoolExecutor):
    """A thread pool that records every task submitted to it."""

    def __init__(self, workers):
        super().__init__(workers)
        self.submitted = []

    def submit(self, fn, /, *args, **kwargs):
        self.submitted.append(args)
        return super().submit(fn, *args, **kwargs)


def test_any_other_executor_takes_every_task_light_or_not(tmp_path):
    done = []
    arguments = [(k, str(tmp_path)) for k in range(4)]
    with RecordingThreads(2) as pool:
        results = run_tasks(
            where,
            arguments,
            executor=pool,
            light=[False, True, False, False],
            on_done=lambda k, result: done.append((k, result)),
            progress=False,
        )
    assert pool.submitted == arguments
    assert results == [(k * k, os.getpid(), True) for k in range(4)]
    assert sorted(done) == list(enumerate(results))


def test_a_task_error_is_raised_wherever_the_task_ran():
    with pytest.raises(ValueError, match="task 2 fails"):
        run_tasks(fails_at, [(k, 2) for k in range(4)])
    with ThreadPoolExecutor(2) as pool, pytest.raises(ValueError, match="task 2 fails"):
        run_tasks(fails_at, [(k, 2) for k in range(4)], executor=pool, progress=False)


def test_light_needs_one_mark_per_task():
    with pytest.raises(InvalidInputError, match="one bool per task"):
        run_tasks(fails_at, [(0, 1), (1, 1)], light=[True])
    with pytest.raises(InvalidInputError, match="submit"):
        run_tasks(fails_at, [(0, 1)], executor=object())


def test_the_module_is_cheap_to_import():
    code = "import sys, lstmcast.parallel; print(sorted({'jax', 'pandas', 'dask', 'distributed'} & set(sys.modules)))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


# -- Dask clusters ------------------------------------------------------------------------------------------
def test_a_local_cluster_gives_the_same_numbers(in_process):
    with cluster(workers=2, side_process=True) as executor:  # a cluster wins over the side process
        assert not isinstance(executor, SideProcess)
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
        assert wait_for(scheduler_file.exists)
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


def test_a_worker_killed_mid_task_costs_a_retry_of_that_task_not_the_job(tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    arguments = [(k, str(markers)) for k in range(6)]
    killed = []

    def kill_the_worker_running_task_0():
        # its start marker names its process; the task waits there until its worker is killed
        if wait_for(lambda: any(markers.glob("0.*"))):
            killed.append(int(next(markers.glob("0.*")).suffix[1:]))
            os.kill(killed[0], signal.SIGKILL)

    with cluster(workers=2) as executor:
        killer = threading.Thread(target=kill_the_worker_running_task_0)
        killer.start()
        result = run_tasks(stalls_once, arguments, executor=executor, progress=False)
        killer.join()
        alive = list(executor._client.run(os.getpid).values())
    assert killed and killed[0] not in alive  # the worker did die (its nanny started another)
    attempts = sorted(int(path.suffix[1:]) for path in markers.glob("0.*"))
    assert len(attempts) == 2 and killed[0] in attempts  # task 0 started again, in another process
    assert all(len(list(markers.glob(f"{k}.*"))) == 1 for k in range(1, 6))  # the other tasks ran once
    undisturbed = tmp_path / "undisturbed"
    undisturbed.mkdir()
    (undisturbed / "release").touch()
    assert result == run_tasks(stalls_once, [(k, str(undisturbed)) for k in range(6)])


def test_an_unreachable_scheduler_is_one_line_and_status_2(monkeypatch, capsys, tmp_path):
    import distributed

    with pytest.raises(ClusterError, match=r"at tcp://127\.0\.0\.1:9 within 0\.5 s"):
        with cluster("tcp://127.0.0.1:9", timeout=0.5):
            pass
    csv = tmp_path / "y.csv"
    pd.DataFrame({"month": pd.date_range("2000-01-01", periods=96, freq="MS").strftime("%Y-%m"), "y": AIRLINE}).to_csv(
        csv, index=False
    )
    timeouts, real_client = [], distributed.Client

    def recording_client(*args, **kwargs):
        timeouts.append(kwargs.get("timeout"))
        return real_client(*args, **kwargs)

    monkeypatch.setattr(distributed, "Client", recording_client)
    code, _, err = run_cli(
        monkeypatch, capsys, "search", csv, "--grid", "units=2,4", "--scheduler", "tcp://127.0.0.1:9"
    )
    assert code == 2 and err.startswith("lstmcast: error: cannot reach") and err.count("\n") == 1
    assert timeouts == [CONNECT_TIMEOUT] and f"within {CONNECT_TIMEOUT:g} s" in err


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
        "--n-seeds",
        1,
        "--output",
        output,
        "--workers",
        2,
    )
    assert code == 130 and "interrupted" in err
    assert len(pd.read_csv(output)) == 2  # the rows finished before Ctrl-C, written atomically
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv", "y.csv"]
