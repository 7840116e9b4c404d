"""Task functions for tests/test_parallel.py, in a module that worker processes import cheaply
(a spawned process or a Dask worker imports the module of the function it is sent)."""

import os
import time
from pathlib import Path

WAIT = 60.0  # the most any task waits for what it polls for; a test that needs longer has failed


def wait_for(condition, seconds: float = WAIT) -> bool:
    """Poll ``condition()`` until it holds (True) or ``seconds`` pass (False)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def where(k: int, markers: str, after: int | None = None) -> tuple[int, int, bool]:
    """Task ``k``: marks its start in ``markers``, then (if ``after`` is given) waits for task
    ``after`` to have started; returns ``k`` squared, the process it ran in, and whether what it
    waited for happened."""
    folder = Path(markers)
    (folder / f"{k}.{os.getpid()}").touch()
    seen = after is None or wait_for(lambda: any(folder.glob(f"{after}.*")))
    return k * k, os.getpid(), seen


def fails_at(k: int, bad: int) -> int:
    if k == bad:
        raise ValueError(f"task {k} fails")
    return k


def stalls_once(k: int, markers: str) -> tuple[int, float]:
    """Task ``k``: writes a start marker ``<k>.<pid>``; the first attempt of task 0 then waits
    (for a release that never comes, so until its worker is killed); returns a deterministic
    number of ``k``."""
    folder = Path(markers)
    first = not any(folder.glob(f"{k}.*"))
    (folder / f"{k}.{os.getpid()}").touch()
    if k == 0 and first:
        wait_for(lambda: (folder / "release").exists())
    return k, sum(1.0 / (j + k + 1) ** 2 for j in range(10_000))
