"""Writing files the safe way (atomically, never over a user's file unless asked), and JSON.

Outputs are checked with ``lstmcast._checks.output_path`` (the folder must exist, an existing
file is only replaced with ``overwrite``); lstmcast's own cache folders are the one place where
folders are created (``make_folders=True``).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from lstmcast._checks import output_path
from lstmcast.errors import InvalidInputError


def write_atomic(
    path: str | os.PathLike, write: Callable[[IO[bytes]], None], *, overwrite: bool = False, make_folders: bool = False
) -> Path:
    """Call ``write(file_object)`` on a temporary file next to ``path``, then rename it there."""
    path = Path(path)
    if make_folders:
        path.parent.mkdir(parents=True, exist_ok=True)
    path = output_path(path, overwrite=overwrite)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as f:
            write(f)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would hide outputs from other users
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: str | os.PathLike, text: str, *, overwrite: bool = False) -> Path:
    """``write_atomic`` for text (UTF-8)."""
    return write_atomic(path, lambda f: f.write(text.encode()), overwrite=overwrite)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """Strict JSON text for ``obj`` (see ``jsonable``)."""
    return json.dumps(jsonable(obj), indent=indent, ensure_ascii=False, allow_nan=False)


def jsonable(obj: Any) -> Any:
    """A copy of ``obj`` made only of what ``json`` writes as strict JSON.

    NumPy scalars and arrays become numbers and lists, tuples lists, paths and dates strings, and
    NaN or ±inf ``null`` (strict JSON readers such as JavaScript and ``jq`` reject ``NaN``).
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {_key(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (Path, _dt.date, _dt.time)):
        return str(obj) if isinstance(obj, Path) else obj.isoformat()
    module = type(obj).__module__.split(".")[0]
    if module == "numpy":
        import numpy as np

        if isinstance(obj, np.ndarray):
            return jsonable(obj.tolist())
        if isinstance(obj, np.datetime64):
            return str(obj)
        if isinstance(obj, np.generic):
            return jsonable(obj.item())
    if module == "pandas":
        import pandas as pd

        if isinstance(obj, (pd.Series, pd.Index)):
            return jsonable(obj.tolist())
        if obj is pd.NaT or obj is pd.NA:
            return None
    raise InvalidInputError(
        f"cannot write {type(obj).__name__} as JSON; convert it to numbers, strings, lists or dicts"
    )


def _key(key: Any) -> str:
    """JSON object keys must be strings; numbers and numpy scalars are written as text."""
    if isinstance(key, str):
        return key
    value = jsonable(key)
    return json.dumps(value) if not isinstance(value, str) else value
