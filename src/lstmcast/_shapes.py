"""Few distinct array shapes, so few compiled programs.

JAX compiles a program per input shape, and a compile costs far more than running a small LSTM.
Sample counts are therefore padded up to a bucket size and masked, so backtest folds, panels of
series and repeated forecasts share programs. ``bucket_size`` adds at most 7 rows up to 64 and at
most 1/8 of the count beyond; ``power_of_two`` up to doubles it, for padding that costs memory
but no computation.
"""

from __future__ import annotations

import numpy as np


def bucket_size(n: int) -> int:
    """``n`` rounded up: exact up to 8, to a multiple of 8 up to 64, then to 8-16 steps per octave."""
    if n <= 8:
        return n
    if n <= 64:
        return -(-n // 8) * 8
    step = 1 << (n.bit_length() - 4)
    return -(-n // step) * step


def power_of_two(n: int) -> int:
    """The smallest power of two >= ``n``: for padding that costs memory but no computation
    (e.g. training samples beyond the run-time count are never visited)."""
    return 1 << max(0, (n - 1).bit_length())


def pad_rows(array: np.ndarray, rows: int) -> np.ndarray:
    """``array`` with zero rows appended up to ``rows`` rows."""
    return np.concatenate([array, np.zeros((rows - len(array),) + array.shape[1:], array.dtype)])
