"""Importing lstmcast changes nothing global; its JAX settings come with its first compile.

Each check runs in a fresh Python process, since JAX's backend and configuration live for the
life of a process.
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np

SUBPACKAGES = [
    "lstmcast",
    "lstmcast.data",
    "lstmcast.datasets",
    "lstmcast.transforms",
    "lstmcast.nn",
    "lstmcast.train",
    "lstmcast.forecast",
    "lstmcast.evaluate",
    "lstmcast.search",
    "lstmcast.classify",
    "lstmcast.parallel",
    "lstmcast.report",
    "lstmcast.recipes",
    "lstmcast.cli",
]

PROBE = """
import importlib, json, os, sys
import jax
from jax._src import xla_bridge

def jax_settings():
    names = ("jax_compilation_cache_dir", "jax_persistent_cache_min_compile_time_secs",
             "jax_persistent_cache_min_entry_size_bytes", "jax_enable_x64", "jax_platforms")
    return {name: getattr(jax.config, name) for name in names}

environment, settings = dict(os.environ), jax_settings()
for name in __SUBPACKAGES__:
    importlib.import_module(name)
from lstmcast.forecast import GlobalLSTM, LocalLSTM  # imported lazily by lstmcast.forecast
report = {
    "environment_unchanged": dict(os.environ) == environment,
    "jax_settings_unchanged": jax_settings() == settings,
    "backend_started": xla_bridge.backends_are_initialized(),
}
if __TRAIN__:
    import numpy as np
    LocalLSTM(look_back=2, units=2, epochs=1, batch_size=8).fit(np.sin(np.arange(30.0)) + 2)
    report["after_fit_environment_unchanged"] = dict(os.environ) == environment
    report["after_fit_xla_flags"] = os.environ.get("XLA_FLAGS")
    report["after_fit_cache_dir"] = jax.config.jax_compilation_cache_dir
    import lstmcast._runtime
    report["applied"] = lstmcast._runtime.ensure_runtime()
print(json.dumps(report))
"""


def probe(tmp_path, *, train: bool, **environment) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "XLA_FLAGS"}
    env.update(LSTMCAST_CACHE_DIR=str(tmp_path), JAX_PLATFORMS="cpu", **environment)
    code = textwrap.dedent(PROBE.replace("__SUBPACKAGES__", repr(SUBPACKAGES)).replace("__TRAIN__", repr(train)))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_every_subpackage_changes_nothing(tmp_path):
    report = probe(tmp_path, train=False)
    assert report == {"environment_unchanged": True, "jax_settings_unchanged": True, "backend_started": False}


def test_settings_are_applied_at_the_first_compile_and_the_environment_is_put_back(tmp_path):
    report = probe(tmp_path, train=True)
    assert report["after_fit_environment_unchanged"] and report["after_fit_xla_flags"] is None
    assert report["after_fit_cache_dir"] == str(tmp_path / "jax")
    assert report["applied"] == {"cpu_loop_fusion": True, "compilation_cache": True}


def test_a_users_own_xla_flags_are_kept(tmp_path):
    own = "--xla_cpu_enable_fast_math=false"
    report = probe(tmp_path, train=True, XLA_FLAGS=own)
    assert report["after_fit_xla_flags"] == own and report["after_fit_environment_unchanged"]
    assert report["applied"]["cpu_loop_fusion"]  # added beside the user's flag while the backend started
    theirs = "--xla_backend_extra_options=xla_cpu_small_while_loop_byte_threshold=1"
    report = probe(tmp_path, train=True, XLA_FLAGS=theirs)
    assert report["after_fit_xla_flags"] == theirs and not report["applied"]["cpu_loop_fusion"]


def test_opting_out_of_the_compilation_cache(tmp_path):
    report = probe(tmp_path, train=True, LSTMCAST_COMPILATION_CACHE="0")
    assert report["after_fit_cache_dir"] is None and not report["applied"]["compilation_cache"]
    assert not (tmp_path / "jax").exists()


def test_compiled_programs_are_released_when_memory_maps_run_short():
    import jax
    import jax.numpy as jnp

    from lstmcast._runtime import release_programs_if_crowded

    double = jax.jit(lambda x: 2 * x)
    double(jnp.ones(3))
    assert double._cache_size() == 1
    assert not release_programs_if_crowded(fraction=1.0)  # this process is nowhere near its limit
    assert double._cache_size() == 1
    assert release_programs_if_crowded(fraction=0.0)
    assert double._cache_size() == 0
    np.testing.assert_array_equal(double(jnp.ones(3)), [2.0, 2.0, 2.0])  # compiled again when needed


def test_the_training_driver_counts_memory_maps_at_most_once_per_interval(monkeypatch):
    from lstmcast import _runtime

    checks = []
    monkeypatch.setattr(_runtime, "release_programs_if_crowded", lambda: checks.append(1) or False)
    monkeypatch.setattr(_runtime, "_last_release_check", float("-inf"))
    for _ in range(5):
        _runtime.release_programs_now_and_then(interval=3600.0)
    assert len(checks) == 1
    _runtime.release_programs_now_and_then(interval=0.0)
    assert len(checks) == 2
