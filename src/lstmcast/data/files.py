"""Opening a user's data file: the checks and messages every reader shares."""

from __future__ import annotations

import os
from typing import Any

from lstmcast.errors import DataFileError, InvalidInputError


def file_path(path: Any) -> str | os.PathLike:
    """``path`` if it is a file path (a ``str`` or ``os.PathLike``)."""
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidInputError(f"path must be a file path (a str or pathlib.Path), got {type(path).__name__}")
    return path


def unreadable(path: str | os.PathLike, error: Exception, kind: str, hint: str = "") -> DataFileError:
    """The ``DataFileError`` for a file that cannot be opened or parsed at all."""
    if isinstance(error, FileNotFoundError):
        return DataFileError(f"no file at {path}; check the path")
    if isinstance(error, IsADirectoryError):
        return DataFileError(f"{path} is a folder, not {kind}")
    if isinstance(error, UnicodeDecodeError):
        return DataFileError(f"{path} is not a UTF-8 text file; is it really {kind}?")
    return DataFileError(f"cannot read {path} as {kind}: {error}{hint}")


def csv_columns(path: str | os.PathLike, sep: str = ",") -> list[str]:
    """The column names in a CSV file's header (nothing else is read)."""
    import pandas as pd

    try:
        return [str(c) for c in pd.read_csv(file_path(path), sep=sep, nrows=0).columns]
    except pd.errors.EmptyDataError:
        raise DataFileError(f"{path} is empty; expected a CSV table") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise unreadable(path, error, "a CSV file", f"; check sep= (now {sep!r})") from None
