"""A progress bar for long runs that costs nothing on short ones.

The bar appears only once a run has taken about a second (compile included) and has epochs left;
it advances once per chunk of epochs, so it never adds a host round-trip per step.
"""

from __future__ import annotations

import time

_SHOW_AFTER_SECONDS = 1.0


class ChunkProgress:
    def __init__(self, total_epochs: int, *, enabled: bool = True) -> None:
        self.total = total_epochs
        self.enabled = enabled
        self.started = time.perf_counter()
        self._bar = None
        self._task = None

    def __enter__(self) -> ChunkProgress:
        return self

    def advance(self, epochs_done: int, loss: float | None) -> None:
        if not self.enabled or epochs_done >= self.total:
            if self._bar is not None:
                self._bar.update(self._task, completed=epochs_done, loss=_fmt(loss))
            return
        if self._bar is None and time.perf_counter() - self.started > _SHOW_AFTER_SECONDS:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("training"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("epochs  loss {task.fields[loss]}"),
                TimeRemainingColumn(),
                transient=True,
            )
            self._task = self._bar.add_task("train", total=self.total, loss=_fmt(loss))
            self._bar.start()
        if self._bar is not None:
            self._bar.update(self._task, completed=epochs_done, loss=_fmt(loss))

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()


def _fmt(loss: float | None) -> str:
    return "-" if loss is None else f"{loss:.4g}"
