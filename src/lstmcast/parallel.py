"""Where lstmcast's independent tasks run: one rule, one switch.

Every embarrassingly parallel job in lstmcast (a search's groups of configurations, a backtest's
cut-offs, the baselines on a panel's partitions, forecasts of a panel's partitions, the
competition benchmark's datasets) is a list of calls of one module-level function, made by
``run_tasks(function, arguments, executor=..., light=...)``. Where each call runs depends only on
the executor:

* no executor (``None``, the default everywhere): every task runs here, in order;
* a ``SideProcess``: the tasks marked ``light`` (default: every task) are submitted to its one
  worker process first, then the others run here, in order, then the light results are
  collected. A caller marks as *not* light the tasks that train networks, so they run where JAX
  is started and its compiled programs are cached, while the statistical baselines compute in
  the side process meanwhile;
* any other executor (a Dask cluster's, or any ``concurrent.futures.Executor``): every task is
  submitted there, and the results are collected as they finish.

Results come back in the order of the arguments whichever way, so the numbers never depend on
where they were computed (tasks are deterministic functions of their arguments).
``on_done(k, result)`` is called as each result arrives (so an output file can hold the rows
finished so far); a progress bar counts the finished tasks of a job that uses an executor.
Ctrl-C, or a task's error, cancels what has not started and is raised again.

``cluster`` makes the executor, by one switch:

* ``cluster()``: none, every task runs here;
* ``cluster(side_process=True)``: a ``SideProcess`` (what ``lstmcast recipe run`` uses);
* ``cluster("local", workers=N)`` or ``cluster(workers=N)``: a ``dask.distributed.LocalCluster``
  of ``N`` worker *processes* on this machine, started here and closed on exit;
* ``cluster("tcp://host:8786")``: an existing cluster (``dask scheduler`` and ``dask worker``
  started by hand, on this machine or others).

A scheduler or workers win over ``side_process=True``: with a cluster, every task goes there.

Worker processes are never forked from a process that has started JAX, whose threads make fork
unsafe: a ``SideProcess`` is started with the "spawn" context, Dask's workers by its nanny. A
LocalCluster's workers start with the environment of ``WORKER_ENVIRONMENT``: XLA, OpenMP and BLAS
limited to one thread, so that N workers on N cores do not oversubscribe them; workers of a
cluster started by hand should get the same (the README says how). A Dask worker that dies
mid-task costs a retry of that task (Dask reschedules it), not the job.

Cheap to import: nothing here imports JAX, pandas or Dask; Dask is imported only when a cluster
is asked for.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from typing import Any

from lstmcast._checks import positive_int
from lstmcast.errors import InvalidInputError, LstmcastError

__all__ = [
    "CONNECT_TIMEOUT",
    "PARTITION_SIZE",
    "WORKER_ENVIRONMENT",
    "ClusterError",
    "SideProcess",
    "cluster",
    "run_tasks",
]

PARTITION_SIZE = 64
"""Series per task when a panel's independent per-series work is split into tasks."""

# One thread per worker process: XLA's CPU client, OpenMP and the BLAS libraries.
WORKER_ENVIRONMENT = {
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
}
# How long to wait for an existing scheduler before saying it cannot be reached.
CONNECT_TIMEOUT = 3.0


class ClusterError(LstmcastError, ConnectionError):
    """A Dask cluster that cannot be reached or started."""


# -- where: the executors ---------------------------------------------------------------------------------
class SideProcess(Executor):
    """One worker process beside this one; ``submit`` sends every task there.

    Started with the "spawn" context (never fork: JAX's threads make fork unsafe) when it is
    made, and it imports ``lstmcast.evaluate`` at once, so that the import is done by the time
    this process has loaded its data. ``run_tasks`` sends it only the tasks marked light.
    """

    def __init__(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self._pool.submit(_import_evaluation)  # starts the process now

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _import_evaluation() -> None:
    import lstmcast.evaluate  # noqa: F401


@contextlib.contextmanager
def cluster(
    scheduler: str | None = None,
    *,
    workers: int | None = None,
    timeout: float = CONNECT_TIMEOUT,
    side_process: bool = False,
) -> Iterator[Executor | None]:
    """The executor of the chosen place (see the module docstring); None means in this process.

    Parameters
    ----------
    scheduler : str, optional
        None, ``"local"`` or an address such as ``tcp://host:8786``.
    workers : int, optional
        The size of a local cluster (default: one per core when ``scheduler="local"``).
    timeout : float, default CONNECT_TIMEOUT
        The seconds to wait for a running scheduler.
    side_process : bool, default False
        Yield a ``SideProcess`` when neither a scheduler nor workers are given; with either, the
        cluster wins.

    Yields
    ------
    concurrent.futures.Executor or None
        The executor, closed on exit.

    Raises
    ------
    ClusterError
        The local cluster cannot be started, or the scheduler cannot be reached.
    InvalidInputError
        Both an address and ``workers``, or a ``scheduler`` that is not an address.
    """
    if scheduler is None and workers is None:
        if not side_process:
            yield None
            return
        side = SideProcess()
        try:
            yield side
        finally:  # after Ctrl-C or an error, nothing more is started there
            side.shutdown(cancel_futures=True)
        return
    if scheduler not in (None, "local") and workers is not None:
        raise InvalidInputError(
            "give a scheduler address (a running cluster; CLI --scheduler) or a number of workers (a local one; "
            "CLI --workers), not both"
        )
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - dask[distributed] is a dependency
        raise ClusterError(f"scaling out needs dask[distributed] ({error}); pip install 'dask[distributed]'") from None
    if scheduler in (None, "local"):
        n = positive_int(workers if workers is not None else (os.cpu_count() or 1), "workers")
        with dask.config.set({"distributed.nanny.pre-spawn-environ": WORKER_ENVIRONMENT}):
            try:
                local = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
            except Exception as error:
                raise ClusterError(f"could not start a local Dask cluster of {n} workers: {error}") from None
            with local, Client(local) as client:
                yield client.get_executor()
        return
    if not isinstance(scheduler, str) or "://" not in scheduler:
        raise InvalidInputError(f"scheduler is 'local' or an address such as tcp://host:8786; got {scheduler!r}")
    try:
        client = Client(scheduler, timeout=timeout)
    except Exception as error:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s ({type(error).__name__}); "
            "start it with `dask scheduler`, check the address, or run here (no scheduler; CLI: leave --scheduler out)"
        ) from None
    with client:
        yield client.get_executor()


# -- the rule: running a job's tasks ----------------------------------------------------------------------
def run_tasks(
    function: Callable[..., Any],
    arguments: Sequence[tuple],
    *,
    executor: Executor | None = None,
    light: Sequence[bool] | None = None,
    on_done: Callable[[int, Any], None] | None = None,
    label: str = "tasks",
    progress: bool = True,
) -> list[Any]:
    """``[function(*a) for a in arguments]``, each call where the module docstring's rule puts it.

    Parameters
    ----------
    function : callable
        A module-level function (an executor in another process must be able to import it).
    arguments : sequence of tuple
        The positional arguments of each call: one task each.
    executor : concurrent.futures.Executor, optional
        Where the tasks run (``cluster``); None runs them here, in order.
    light : sequence of bool, optional
        One bool per task: the tasks a ``SideProcess`` may take (default: all); other executors
        ignore it.
    on_done : callable, optional
        ``on_done(k, result)`` is called in this thread as each result arrives.
    label : str, default "tasks"
        Names the tasks on the progress bar (shown only with an executor).
    progress : bool, default True
        ``False`` turns the progress bar off.

    Returns
    -------
    list
        The results, in the order of ``arguments``.
    """
    arguments = list(arguments)
    light = _light(light, len(arguments))
    if executor is None:
        results = []
        for k, args in enumerate(arguments):
            results.append(function(*args))
            if on_done is not None:
                on_done(k, results[-1])
        return results
    if not hasattr(executor, "submit"):
        raise InvalidInputError(
            f"executor must be a concurrent.futures.Executor (or have submit()), got {type(executor).__name__}"
        )
    heavy_here = isinstance(executor, SideProcess)
    here = [k for k, is_light in enumerate(light) if heavy_here and not is_light]
    there = [k for k, is_light in enumerate(light) if not heavy_here or is_light]
    results: list[Any] = [None] * len(arguments)
    futures: dict[Future, int] = {}
    bar = None

    def arrived(k: int, result: Any) -> None:
        results[k] = result
        if on_done is not None:
            on_done(k, result)
        if bar is not None:
            bar.advance()

    try:
        for k in there:
            futures[executor.submit(function, *arguments[k])] = k
        waiting = set(futures)
        for k in here:  # without a bar: a network's training reports its own progress
            arrived(k, function(*arguments[k]))
            for future in [f for f in waiting if f.done()]:  # what finished there meanwhile
                waiting.discard(future)
                arrived(futures[future], future.result())
        bar = _Bar(len(arguments), label, enabled=progress, done=len(arguments) - len(waiting))
        for future in as_completed(waiting):
            arrived(futures[future], future.result())
    except BaseException:  # Ctrl-C, or a task's own error: nothing more is started
        for future in futures:
            future.cancel()
        raise
    finally:
        if bar is not None:
            bar.stop()
    return results


def _light(light: Sequence[bool] | None, n: int) -> list[bool]:
    if light is None:
        return [True] * n
    marks = list(light)
    if len(marks) != n:
        raise InvalidInputError(f"light needs one bool per task: {n} tasks, {len(marks)} marks")
    return [bool(mark) for mark in marks]


class _Bar:
    """A rich progress bar over the tasks of a job (none when not ``enabled``)."""

    def __init__(self, total: int, label: str, *, enabled: bool, done: int = 0) -> None:
        self.done, self._bar = done, None
        if enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
            )
            self._task = self._bar.add_task(label, total=total, completed=done)
            self._bar.start()

    def advance(self) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
