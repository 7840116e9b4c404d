"""Test-session settings: a fresh cache folder for this run, never the user's ``~/.cache``.

JAX's compiled programs are cached there for the session (later fits of the same shapes, and CLI
subprocesses, reuse them); statistical baselines are always computed, never read from a cache,
except by the tests of the cache itself.
"""

import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="lstmcast-test-cache-")
os.environ["LSTMCAST_CACHE_DIR"] = _CACHE
os.environ["LSTMCAST_BASELINE_CACHE"] = "0"


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE, ignore_errors=True)
