"""Writing files the safe way: atomically, and never over a user's file unless asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, IO

from lstmcast.errors import OutputExistsError


def write_atomic(path: str | os.PathLike, write: Callable[[IO[bytes]], None], *, overwrite: bool = False) -> Path:
    """Call ``write(file_object)`` on a temporary file next to ``path``, then rename it there."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise OutputExistsError(f"{path} already exists; pass overwrite=True (CLI: --overwrite) or choose another path")
    path.parent.mkdir(parents=True, exist_ok=True)
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
