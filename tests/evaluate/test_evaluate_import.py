"""Importing lstmcast.evaluate must stay cheap: statsforecast (and numba) load only when needed."""

import subprocess
import sys

CODE = """
import sys
import lstmcast.evaluate
heavy = sorted(
    name for name in sys.modules
    if name.split(".")[0] in {"statsforecast", "numba"}
)
print(",".join(heavy))
"""


def test_import_does_not_load_statsforecast_or_numba():
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"imported at package import time: {done.stdout.strip()}"
