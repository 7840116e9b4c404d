"""lstmcast's JAX settings, applied when lstmcast first compiles something, never at import.

Tiny LSTMs are dominated by dispatch and compile time, not arithmetic. Two settings matter:

* XLA's CPU backend only fuses small while-loops below a byte threshold; raising it lets a whole
  training loop run as one fused program (4-6x faster for batch-size-1 training here). XLA reads
  its flags when JAX creates its CPU backend, so the flag can only take effect if lstmcast is
  the first to start that backend. lstmcast then adds the flag to the user's own ``XLA_FLAGS``
  (never when they already set ``xla_backend_extra_options``), starts the backend, and puts
  ``XLA_FLAGS`` back as it was: the environment is unchanged, child processes inherit nothing.
  It is skipped when a GPU plugin for JAX is installed (the flag is CPU-only) unless
  ``JAX_PLATFORMS`` asks for the CPU, and when JAX's backend is already running (call
  ``lstmcast.configure_runtime()`` before your own JAX work to get it anyway).
* A persistent compilation cache lets a second process that trains the same shapes skip most of
  the compile. It lives in ``jax/`` under ``lstmcast._cache.cache_root()``
  (``$LSTMCAST_CACHE_DIR``, else ``~/.cache/lstmcast``). It is set only when the user has not
  configured JAX's cache themselves; ``LSTMCAST_COMPILATION_CACHE=0`` opts out. This changes
  JAX's global configuration, from lstmcast's first compile on.

* Every compiled program keeps its machine code mapped in memory for the life of the process, in
  hundreds of memory maps for a larger network, and Linux allows a process ``vm.max_map_count``
  of them (65,530 by default). A long process that trains many shapes (a test suite, a search
  over architectures, a benchmark over datasets) would crash inside XLA when it runs out (seen
  here: SIGSEGV while compiling). ``release_programs_if_crowded`` (checked before training
  runs, at most once a second) drops JAX's in-memory compiled programs when half the limit is used; they are compiled
  again, or read from the persistent cache, when next needed. Results never change.

Importing lstmcast changes nothing: ``ensure_runtime`` runs before lstmcast's first compiled
call (every compiled function is made with ``jit`` below), or explicitly through
``lstmcast.configure_runtime``.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lstmcast._cache import cache_root, enabled

CPU_LOOP_FLAG = "--xla_backend_extra_options=xla_cpu_small_while_loop_byte_threshold=1000000000"

_applied: dict[str, bool] | None = None
_lock = threading.Lock()
_last_release_check = float("-inf")


def ensure_runtime() -> dict[str, bool]:
    """Apply lstmcast's runtime settings once per process; later calls only report them."""
    global _applied
    if _applied is not None:
        return _applied
    with _lock:
        if _applied is None:
            _applied = {"cpu_loop_fusion": _apply_cpu_flags(), "compilation_cache": _enable_compilation_cache()}
    return _applied


def jit(fun: Callable | None = None, **jit_options: Any) -> Callable:
    """``jax.jit`` that applies lstmcast's runtime settings before its first call.

    The one way lstmcast compiles: usable as ``jit(f, static_argnums=0)`` or as a decorator
    ``@partial(jit, static_argnums=0)``.
    """
    if fun is None:
        return functools.partial(jit, **jit_options)
    import jax

    compiled = jax.jit(fun, **jit_options)

    @functools.wraps(fun)
    def call(*args: Any, **kwargs: Any) -> Any:
        if _applied is None:
            ensure_runtime()
        return compiled(*args, **kwargs)

    call.compiled = compiled
    return call


def release_programs_if_crowded(fraction: float = 0.5) -> bool:
    """Clear JAX's in-memory compiled programs when this process uses more than ``fraction`` of
    its memory-map limit (Linux; elsewhere nothing happens). True if they were cleared."""
    try:
        limit = int(Path("/proc/sys/vm/max_map_count").read_text())
        with open("/proc/self/maps", "rb") as maps:
            used = sum(1 for _ in maps)
    except (OSError, ValueError):
        return False
    if used < fraction * limit:
        return False
    import jax

    jax.clear_caches()
    return True


def release_programs_now_and_then(interval: float = 1.0) -> bool:
    """``release_programs_if_crowded`` at most once per ``interval`` seconds: counting the maps
    costs ~2 ms per thousand, as much as a whole small training run, while maps grow only as fast
    as programs compile (a fraction of a second each), far from the limit within a second."""
    global _last_release_check
    now = time.monotonic()
    if now - _last_release_check < interval:
        return False
    _last_release_check = now
    return release_programs_if_crowded()


def _gpu_plugin_installed() -> bool:
    platforms = os.environ.get("JAX_PLATFORMS", os.environ.get("JAX_PLATFORM_NAME", "")).lower()
    if platforms and all(p.strip() == "cpu" for p in platforms.split(",")):
        return False
    plugins = ("jax_cuda12_plugin", "jax_cuda13_plugin", "jax_rocm60_plugin", "jax_rocm7_plugin")
    return any(importlib.util.find_spec(name) is not None for name in plugins)


def _backend_started() -> bool:
    from jax._src import xla_bridge

    return bool(xla_bridge.backends_are_initialized())


def _apply_cpu_flags() -> bool:
    """Start JAX's backend with the CPU loop flag added to the user's ``XLA_FLAGS``, then restore
    ``XLA_FLAGS``. True if the flag is in effect because of this call."""
    import jax

    user_flags = os.environ.get("XLA_FLAGS")
    if "xla_backend_extra_options" in (user_flags or "") or _gpu_plugin_installed() or _backend_started():
        return False
    os.environ["XLA_FLAGS"] = f"{user_flags or ''} {CPU_LOOP_FLAG}".strip()
    try:
        jax.devices()  # creates the backend, which reads XLA_FLAGS now and never again
    finally:
        if user_flags is None:
            os.environ.pop("XLA_FLAGS", None)
        else:
            os.environ["XLA_FLAGS"] = user_flags
    return True


def compilation_cache_dir() -> Path | None:
    """Where compiled programs are kept between processes, or None when the cache is off."""
    if not enabled("LSTMCAST_COMPILATION_CACHE"):
        return None
    return cache_root() / "jax"


def _enable_compilation_cache() -> bool:
    import jax

    directory = compilation_cache_dir()
    if directory is None or jax.config.jax_compilation_cache_dir:
        return False  # opted out, or the user configured JAX's cache themselves
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False  # a read-only home must not stop training; it only costs compile time
    jax.config.update("jax_compilation_cache_dir", str(directory))
    # Our programs compile in 0.1-3 s; JAX's default only caches compiles over 1 s.
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
    return True


def configure_runtime() -> dict[str, bool]:
    """Apply lstmcast's JAX settings now (see ``lstmcast._runtime``): the CPU loop flag, if JAX's
    backend has not started yet, and the compilation cache. lstmcast does this by itself before
    its first compile; call it first thing if your own code uses JAX before lstmcast does.
    Returns which settings this process runs with."""
    return ensure_runtime()
