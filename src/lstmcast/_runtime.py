"""JAX set-up that must happen before JAX starts: CPU loop fusion and the compilation cache.

Tiny LSTMs are dominated by dispatch and compile time, not arithmetic. Two settings matter:

* XLA's CPU backend only fuses small while-loops below a byte threshold; raising it lets the whole
  training loop run as one fused program (several times faster for batch-size-1 training).
  The flag is CPU-only, so it is applied only when no GPU plugin for JAX is installed (or
  ``JAX_PLATFORMS`` asks for the CPU), and never when the user already set ``XLA_FLAGS`` for it.
* A persistent compilation cache lets a second process that trains the same shapes skip most of
  the compile. It lives in ``jax/`` under ``lstmcast._cache.cache_root()`` (``$LSTMCAST_CACHE_DIR``,
  else ``~/.cache/lstmcast``). Set ``LSTMCAST_COMPILATION_CACHE=0`` to opt out.

Importing this module is what ``lstmcast.nn`` and ``lstmcast.train`` do first.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from lstmcast._cache import cache_root, enabled

CPU_LOOP_FLAG = "--xla_backend_extra_options=xla_cpu_small_while_loop_byte_threshold=1000000000"


def _gpu_plugin_installed() -> bool:
    platforms = os.environ.get("JAX_PLATFORMS", os.environ.get("JAX_PLATFORM_NAME", "")).lower()
    if platforms and all(p.strip() == "cpu" for p in platforms.split(",")):
        return False
    plugins = ("jax_cuda12_plugin", "jax_cuda13_plugin", "jax_rocm60_plugin", "jax_rocm7_plugin")
    return any(importlib.util.find_spec(name) is not None for name in plugins)


def _apply_cpu_flags() -> None:
    flags = os.environ.get("XLA_FLAGS", "")
    if "xla_backend_extra_options" in flags or _gpu_plugin_installed():
        return
    os.environ["XLA_FLAGS"] = f"{flags} {CPU_LOOP_FLAG}".strip()


def compilation_cache_dir() -> Path | None:
    """Where compiled programs are kept between processes, or None when the cache is off."""
    if not enabled("LSTMCAST_COMPILATION_CACHE"):
        return None
    return cache_root() / "jax"


def _enable_compilation_cache() -> None:
    import jax

    directory = compilation_cache_dir()
    if directory is None or jax.config.jax_compilation_cache_dir:
        return  # opted out, or the user configured JAX's cache themselves
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a read-only home must not stop training; it only costs compile time
    jax.config.update("jax_compilation_cache_dir", str(directory))
    # Our programs compile in 0.1-3 s; JAX's default only caches compiles over 1 s.
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)


_apply_cpu_flags()
_enable_compilation_cache()
