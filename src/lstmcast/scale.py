"""Scaling out: where lstmcast's parallel jobs run, chosen by one switch.

Every embarrassingly parallel job (a search's groups of configurations, a backtest's cut-offs,
the baselines on a panel's partitions, forecasts of a panel's partitions, the competition
benchmark's datasets) takes an ``executor``; ``cluster`` makes one:

* ``cluster()`` — nothing: the job runs in this process (the default everywhere);
* ``cluster("local", workers=N)`` or ``cluster(workers=N)`` — a ``dask.distributed.LocalCluster``
  of ``N`` worker *processes* on this machine, started here and closed on exit;
* ``cluster("tcp://host:8786")`` — an existing cluster (``dask scheduler`` and ``dask worker``
  started by hand, on this machine or others).

Workers are processes with one thread each, spawned by Dask's nanny (never forked from a process
that has started JAX, whose threads make fork unsafe). A LocalCluster's workers start with the
environment of ``WORKER_ENVIRONMENT``: XLA, OpenMP and BLAS limited to one thread, so that N
workers on N cores do not oversubscribe them; workers of a cluster started by hand should get the
same (the README says how). Results are the same wherever a job runs: tasks are deterministic
functions of their arguments, and ``lstmcast._tasks.run_tasks`` returns them in order. A worker
that dies mid-task costs a retry of that task (Dask reschedules it), not the job.

Dask is imported only here, and only when a cluster is asked for.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from concurrent.futures import Executor

from lstmcast._checks import positive_int
from lstmcast.errors import InvalidInputError, LstmcastError

__all__ = ["ClusterError", "WORKER_ENVIRONMENT", "cluster"]

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


@contextlib.contextmanager
def cluster(
    scheduler: str | None = None, *, workers: int | None = None, timeout: float = CONNECT_TIMEOUT
) -> Iterator[Executor | None]:
    """The executor of the chosen place (see the module docstring); None means in this process."""
    if scheduler is None and workers is None:
        yield None
        return
    if scheduler not in (None, "local") and workers is not None:
        raise InvalidInputError("give --scheduler ADDRESS (a running cluster) or --workers N (a local one), not both")
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
            "start it with `dask scheduler`, check the address, or leave --scheduler out to run here"
        ) from None
    with client:
        yield client.get_executor()
