"""Every argument check lstmcast makes, written once, with one behaviour everywhere.

Each function returns the value in its canonical form (a Python ``int``, a ``float``, a float64
array) or raises ``InvalidInputError`` naming the argument, what it got and what would do. The
rules, decided once:

* A whole number is an ``int`` or a NumPy integer. ``True`` is not a number, and neither is
  ``4.0``: a float where a count belongs is a bug upstream (a division, a NaN mean), and
  accepting ``4.0`` would mean accepting ``4.0000001`` silently rounded, or refusing it
  surprisingly. Strings are never converted.
* A real number is finite: NaN and inf are refused where a number is expected.
* A series of values is 1-D, numeric and finite. A 2-D array is refused, even ``(n, 1)``: it is
  one series, or many, and guessing which is how a ``(10, 2)`` array became 20 points.
* An output path's folder must exist: a typo in a path must not create folders.

The module is cheap to import (NumPy is imported by the array checks only), so every layer,
the CLI's entry point included, can use it.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

from lstmcast.errors import InvalidInputError, OutputExistsError

__all__ = [
    "count_or_fraction",
    "finite_array",
    "fraction",
    "non_negative_int",
    "number",
    "one_of",
    "output_path",
    "positive_int",
    "season",
    "series_values",
]


def _is_whole(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(
        value, bool
    )  # NumPy ints count; NumPy bools are not Integral


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and type(value).__name__ != "bool_"


def _describe(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{value!r} (a float; pass {int(value)})"
    return repr(value)


def positive_int(value: Any, name: str, hint: str = "") -> int:
    """``value`` as an ``int`` >= 1."""
    if not _is_whole(value) or value < 1:
        raise InvalidInputError(f"{name} must be a whole number >= 1, got {_describe(value)}{_hint(hint)}")
    return int(value)


def non_negative_int(value: Any, name: str, hint: str = "") -> int:
    """``value`` as an ``int`` >= 0."""
    if not _is_whole(value) or value < 0:
        raise InvalidInputError(f"{name} must be a whole number >= 0, got {_describe(value)}{_hint(hint)}")
    return int(value)


def season(value: Any) -> int:
    """A seasonal period: a whole number >= 1 (1 for none)."""
    return positive_int(value, "season", "1 for no seasonality, 12 for monthly data with a yearly cycle, ...")


def number(value: Any, name: str, *, minimum: float | None = None, above: float | None = None) -> float:
    """``value`` as a finite ``float``, optionally ``>= minimum`` or ``> above``."""
    ok = _is_real(value) and math.isfinite(value)
    if ok and minimum is not None:
        ok = value >= minimum
    if ok and above is not None:
        ok = value > above
    if not ok:
        bound = f" >= {minimum:g}" if minimum is not None else f" > {above:g}" if above is not None else ""
        raise InvalidInputError(f"{name} must be a finite number{bound}, got {value!r}")
    return float(value)


def fraction(value: Any, name: str, *, include_zero: bool = False) -> float:
    """``value`` as a float in ``(0, 1)``, or ``[0, 1)`` with ``include_zero``."""
    ok = _is_real(value) and math.isfinite(value)
    if not ok or not ((0.0 <= value) if include_zero else (0.0 < value)) or not value < 1.0:
        interval = "[0, 1)" if include_zero else "(0, 1)"
        raise InvalidInputError(f"{name} must be a number in {interval}, got {value!r}")
    return float(value)


def count_or_fraction(value: Any, name: str, total: int, *, allow_zero: bool = False) -> int:
    """A size given as a whole count, or as a fraction in (0, 1) of ``total`` (rounded, at least 1):
    the number of items it means."""
    if _is_whole(value):
        if value < (0 if allow_zero else 1):
            raise InvalidInputError(f"{name} must be {'>= 0' if allow_zero else '>= 1'}, got {value!r}")
        return int(value)
    if _is_real(value) and 0.0 < value < 1.0:
        return max(1, int(round(float(value) * total)))
    raise InvalidInputError(
        f"{name} is a whole number{' (0 for none)' if allow_zero else ''} or a fraction in (0, 1), "
        f"got {_describe(value)}"
    )


def one_of(value: Any, choices: Iterable[Any], name: str) -> Any:
    """``value`` if it is one of ``choices``."""
    choices = tuple(choices)
    if not any(value is choice or (type(value) is type(choice) and value == choice) for choice in choices):
        raise InvalidInputError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def finite_array(values: Any, name: str, *, min_size: int = 0) -> np.ndarray:
    """A new float64 array of finite numbers, of any shape (errors, forecasts of many series)."""
    import numpy as np

    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        values = values.to_numpy()
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as error:  # ragged nested lists and the like
        raise InvalidInputError(f"{name} is not an array of numbers ({error})") from None
    if array.dtype.kind not in "iuf":
        shown = array.ravel()[:3].tolist() if array.size else []
        raise InvalidInputError(f"{name} must hold numbers; got dtype {array.dtype}, values such as {shown!r}")
    array = array.astype(np.float64)  # always a copy: nothing below can alter the caller's array
    if array.size < min_size:
        have = "is empty" if array.size == 0 else f"has {array.size} value(s)"
        raise InvalidInputError(f"{name} {have}; at least {min_size} {'is' if min_size == 1 else 'are'} needed")
    bad = ~np.isfinite(array)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        where = first[0] if len(first) == 1 else first
        raise InvalidInputError(
            f"{name} has {int(bad.sum())} missing or infinite value(s) (NaN/inf), the first at position {where}; "
            "fill or drop them first (lstmcast.data can interpolate)"
        )
    return array


def series_values(values: Any, name: str, *, min_length: int = 1) -> np.ndarray:
    """One series as a new 1-D float64 array of finite numbers (a pandas Series gives its values)."""
    array = finite_array(values, name, min_size=min_length)
    if array.ndim != 1:
        raise InvalidInputError(
            f"{name} must be one series (1-D), got shape {array.shape}; pass one column, e.g. y[:, 0]"
        )
    return array


def output_path(path: str | os.PathLike, *, overwrite: bool, option: str = "overwrite=True (CLI: --overwrite)") -> Path:
    """A path lstmcast may write to: its folder exists, and it is free unless ``overwrite``.

    Checked before the work that produces the file, so a long run never fails at its end.
    """
    path = Path(path)
    if path.is_dir():
        raise InvalidInputError(f"{path} is a folder; give a file name")
    if path.exists() and not overwrite:
        raise OutputExistsError(f"{path} already exists; pass {option} or choose another path")
    if not path.parent.is_dir():
        raise InvalidInputError(
            f"the folder {path.parent} of {path} does not exist; create it first "
            "(lstmcast never creates folders for a file)"
        )
    return path


def _hint(hint: str) -> str:
    return f"; {hint}" if hint else ""
