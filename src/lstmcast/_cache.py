"""lstmcast's on-disk caches: where they live, and a small memo for deterministic results.

Everything lives under one root: ``$LSTMCAST_CACHE_DIR``, else ``$XDG_CACHE_HOME/lstmcast``
(``~/.cache/lstmcast``): JAX's compiled programs in ``jax/``, statistical baseline forecasts in
``baselines/``. Both only ever save work; deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

_OFF = {"0", "false", "no", "off"}


def cache_root() -> Path:
    if os.environ.get("LSTMCAST_CACHE_DIR"):
        return Path(os.environ["LSTMCAST_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "lstmcast"


def enabled(variable: str) -> bool:
    """A cache is on unless its environment variable says 0/false/no/off."""
    return os.environ.get(variable, "1").strip().lower() not in _OFF


def memoize_array(namespace: str, key: str, compute: Callable[[], np.ndarray], *, variable: str) -> np.ndarray:
    """``compute()``, or its saved result for the same ``key`` (hash it from all the inputs).

    For deterministic, expensive results only. Unreadable or unwritable cache files are ignored:
    the cache may make a run faster, never make it fail.
    """
    if not enabled(variable):
        return compute()
    digest = hashlib.sha256(key.encode()).hexdigest()
    path = cache_root() / namespace / f"{digest}.npy"
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        pass
    result = np.asarray(compute())
    try:
        from lstmcast._io import write_atomic

        buffer = io.BytesIO()
        np.save(buffer, result, allow_pickle=False)
        write_atomic(path, lambda f: f.write(buffer.getvalue()), overwrite=True, make_folders=True)
    except OSError:
        pass
    return result


def array_key(*parts: object) -> str:
    """A cache key from arrays (by their exact bytes) and other values (by ``repr``)."""
    pieces = []
    for part in parts:
        if isinstance(part, np.ndarray):
            pieces.append(
                f"{part.dtype}{part.shape}:{hashlib.sha256(np.ascontiguousarray(part).tobytes()).hexdigest()}"
            )
        else:
            pieces.append(repr(part))
    return "|".join(pieces)
