"""lstmcast: LSTM forecasting and classification, compiled end to end, honest about baselines.

The package root stays cheap to import (no JAX, no pandas) so that ``lstmcast --help`` and
``lstmcast --version`` answer at once; the workflow lives in the sub-packages:
``lstmcast.data`` → ``lstmcast.transforms`` → ``lstmcast.nn`` → ``lstmcast.train`` →
``lstmcast.forecast`` → ``lstmcast.evaluate`` → ``lstmcast.report``.
"""

__version__ = "0.1.0"

from lstmcast.errors import LstmcastError  # noqa: E402  (cheap, no heavy imports)

__all__ = ["__version__", "LstmcastError"]
