"""Keras' default weight initialisers, drawn with NumPy.

Initial weights are drawn on the host, from a seeded ``numpy.random.Generator``: reproducible from
the seed, and nothing to compile before training starts (JAX's random functions cost a second of
compilation per new process for a few microseconds of work).
"""

from __future__ import annotations

import numpy as np


def glorot_uniform(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Uniform in ``±sqrt(6 / (fan_in + fan_out))`` (Keras ``GlorotUniform``). A kernel of shape
    ``(width, in, out)`` (a convolution) counts ``width`` positions into both fans, as Keras does."""
    receptive = int(np.prod(shape[:-2], dtype=np.int64))
    limit = np.sqrt(6.0 / (receptive * (shape[-2] + shape[-1])))
    return rng.uniform(-limit, limit, size=shape).astype(np.float32)


def orthogonal(rng: np.random.Generator, shape: tuple[int, int], gain: float = 1.0) -> np.ndarray:
    """A random orthogonal matrix, Keras' ``Orthogonal`` algorithm (QR of a normal matrix with the
    signs of R's diagonal folded into Q, transposed when there are fewer rows than columns)."""
    rows, cols = shape
    normal = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(normal)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return (gain * q).reshape(shape).astype(np.float32)
