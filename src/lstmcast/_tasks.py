"""Running independent tasks: here, or on any executor (a Dask cluster's, see ``lstmcast.scale``).

Every embarrassingly parallel job in lstmcast (configurations of a search, cut-offs of a backtest,
baselines on partitions of a panel, forecasts of a panel's partitions) is a list of calls of one
module-level function. ``run_tasks`` makes them: in this process, in order, when there is no
executor; otherwise all submitted at once and collected as they finish, with a progress bar over
the tasks and ``on_done(k, result)`` called for each as it arrives (so an output file can hold
the rows finished so far). Results come back in the order of the arguments either way, so the
numbers never depend on where they were computed. Ctrl-C cancels what has not started.

Cheap to import: nothing here imports JAX, pandas or Dask.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor, as_completed
from typing import Any

from lstmcast.errors import InvalidInputError


def run_tasks(
    function: Callable[..., Any],
    arguments: Sequence[tuple],
    *,
    executor: Executor | None = None,
    on_done: Callable[[int, Any], None] | None = None,
    label: str = "tasks",
    progress: bool = True,
) -> list[Any]:
    """``[function(*a) for a in arguments]``, here or on ``executor`` (see the module docstring)."""
    arguments = list(arguments)
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
    futures = {executor.submit(function, *args): k for k, args in enumerate(arguments)}
    if hasattr(executor, "run_deferred"):  # an executor that keeps some jobs for this thread runs them now
        executor.run_deferred()
    results: list[Any] = [None] * len(arguments)
    bar = _Bar(len(arguments), label, enabled=progress)
    try:
        for future in as_completed(futures):
            k = futures[future]
            results[k] = future.result()
            if on_done is not None:
                on_done(k, results[k])
            bar.advance()
    except BaseException:  # Ctrl-C, or a task's own error: nothing more is started
        for future in futures:
            future.cancel()
        raise
    finally:
        bar.stop()
    return results


class _Bar:
    """A rich progress bar over the tasks of a distributed job (none when not ``enabled``)."""

    def __init__(self, total: int, label: str, *, enabled: bool) -> None:
        self.done, self._bar = 0, None
        if enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
            )
            self._task = self._bar.add_task(label, total=total)
            self._bar.start()

    def advance(self) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
