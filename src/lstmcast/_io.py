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


# -- values that round-trip exactly: a model file's parameters and fitted state ----------------------
_TUPLE, _ARRAY, _FLOAT = "__tuple__", "__array__", "__float__"


def pack(value: Any, arrays: dict[str, Any]) -> Any:
    """``value`` as strict JSON that ``unpack`` turns back into an equal value of the same types.

    Tuples stay tuples (``{"__tuple__": [...]}``), non-finite floats stay themselves
    (``{"__float__": "nan"}``), and NumPy arrays are put in ``arrays`` under a new name (the
    caller stores them as ``.npy`` data) and written ``{"__array__": name}``; NumPy scalars become
    Python numbers. Anything else (an object, a function) raises ``InvalidInputError``: a model
    file holds data, never code.
    """
    if value is None or isinstance(value, (bool, str, int)):
        return int(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(value, float):
        return value if math.isfinite(value) else {_FLOAT: repr(value)}
    if isinstance(value, tuple):
        return {_TUPLE: [pack(v, arrays) for v in value]}
    if isinstance(value, list):
        return [pack(v, arrays) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value) or {_TUPLE, _ARRAY, _FLOAT} & set(value):
            raise InvalidInputError(f"cannot store a dict with keys {list(value)[:3]!r}: keys must be plain strings")
        return {k: pack(v, arrays) for k, v in value.items()}
    module = type(value).__module__.split(".")[0]
    if module == "numpy":
        import numpy as np

        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "biuf":
                raise InvalidInputError(f"cannot store an array of dtype {value.dtype}: only numbers are data")
            name = f"a{len(arrays)}"
            arrays[name] = value
            return {_ARRAY: name}
        if isinstance(value, np.generic):
            return pack(value.item(), arrays)
    raise InvalidInputError(f"cannot store {type(value).__name__} in a model file; only numbers, text, lists and dicts")


def unpack(tree: Any, arrays: dict[str, Any]) -> Any:
    """The value ``pack`` wrote (see there); a malformed tree raises ``ValueError``."""
    if isinstance(tree, list):
        return [unpack(v, arrays) for v in tree]
    if isinstance(tree, dict):
        if set(tree) == {_TUPLE}:
            return tuple(unpack(v, arrays) for v in tree[_TUPLE])
        if set(tree) == {_ARRAY}:
            if tree[_ARRAY] not in arrays:
                raise ValueError(f"the array {tree[_ARRAY]!r} is missing")
            return arrays[tree[_ARRAY]]
        if set(tree) == {_FLOAT}:
            if tree[_FLOAT] not in ("nan", "inf", "-inf"):
                raise ValueError(f"{tree[_FLOAT]!r} is not a non-finite float")
            return float(tree[_FLOAT])
        return {k: unpack(v, arrays) for k, v in tree.items()}
    if tree is None or isinstance(tree, (bool, str, int, float)):
        return tree
    raise ValueError(f"unexpected {type(tree).__name__} in a model file")
