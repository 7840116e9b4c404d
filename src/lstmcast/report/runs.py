"""Where a run's outputs go: a fresh folder per run, and JSON/CSV files that are always valid.

A run never writes into a previous run's folder, so results can be compared later without one
silently replacing another. Files are written atomically and refuse to replace an existing file
unless ``overwrite=True``.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
from pathlib import Path
from typing import Any

from lstmcast._io import to_json, write_text_atomic
from lstmcast.errors import InvalidInputError

__all__ = ["new_run_dir", "write_json", "write_csv"]


def new_run_dir(root: str | os.PathLike = "runs", name: str = "run") -> Path:
    """Create and return a new folder ``root/<name>-<YYYYmmdd-HHMMSS>`` (local time).

    If that folder exists (two runs in the same second), ``-2``, ``-3``… is appended. The folder
    is created with ``mkdir(exist_ok=False)``, so even concurrent runs never share one. ``root``
    itself is created if missing (``runs/`` on a first run), but not its parents: a typo in a
    path must not create a tree of folders.

    Parameters
    ----------
    root : str or os.PathLike, default "runs"
        The folder that holds the runs.
    name : str, default "run"
        A plain folder name, without ``/``.

    Returns
    -------
    pathlib.Path
        The new folder.

    Raises
    ------
    InvalidInputError
        ``name`` is not a plain folder name, or the parent of ``root`` does not exist.
    """
    if not name or any(sep in name for sep in ("/", "\\", os.sep)) or name in (".", ".."):
        raise InvalidInputError(f"run name {name!r} must be a plain folder name, without '/'")
    root = Path(root)
    if not root.is_dir():
        if not root.parent.is_dir():
            raise InvalidInputError(f"the folder {root.parent} (for runs in {root}) does not exist; create it first")
        root.mkdir(exist_ok=True)
    base = f"{name}-{_timestamp()}"
    suffix = 1
    while True:
        candidate = root / (base if suffix == 1 else f"{base}-{suffix}")
        try:
            candidate.mkdir()
        except FileExistsError:
            suffix += 1
            continue
        return candidate


def _timestamp() -> str:
    return f"{_dt.datetime.now():%Y%m%d-%H%M%S}"


def write_json(path: str | os.PathLike, obj: Any, *, overwrite: bool = False) -> Path:
    """Write ``obj`` as indented JSON, atomically.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write.
    obj : object
        What to write. NumPy scalars and arrays become numbers and lists, paths and dates become
        strings, and NaN or ±inf become ``null``: strict JSON readers (JavaScript, ``jq``)
        reject Python's ``NaN``.
    overwrite : bool, default False
        Replace an existing file.

    Returns
    -------
    pathlib.Path
        The JSON file written.
    """
    text = to_json(obj, indent=2) + "\n"
    return write_text_atomic(path, text, overwrite=overwrite)


def write_csv(path: str | os.PathLike, frame: Any, *, index: bool | None = None, overwrite: bool = False) -> Path:
    """Write a pandas DataFrame (or Series) as CSV, atomically.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write.
    frame : pandas.DataFrame or pandas.Series
        The table.
    index : bool, optional
        None writes the index only when it means something, i.e. when it is not the default
        ``0, 1, 2…`` row numbering (a ``DatetimeIndex`` of forecast dates is written, a
        ``RangeIndex`` from ``reset_index`` is not); pass ``True``/``False`` to decide yourself.
    overwrite : bool, default False
        Replace an existing file.

    Returns
    -------
    pathlib.Path
        The CSV file written.
    """
    import pandas as pd

    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise InvalidInputError(f"write_csv needs a pandas DataFrame, got {type(frame).__name__}")
    if index is None:
        default = pd.RangeIndex(len(frame))
        index = not (frame.index.equals(default) and frame.index.name is None)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=index)
    return write_text_atomic(path, buffer.getvalue(), overwrite=overwrite)
