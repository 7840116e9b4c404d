"""lstmcast: LSTM forecasting and classification, compiled end to end, honest about baselines.

The package root stays cheap to import (no JAX, no pandas) so that ``lstmcast --help`` and
``lstmcast --version`` answer at once; the workflow lives in the sub-packages:
``lstmcast.data`` → ``lstmcast.transforms`` → ``lstmcast.nn`` → ``lstmcast.train`` →
``lstmcast.forecast`` → ``lstmcast.evaluate`` → ``lstmcast.report``. Importing any of them
changes nothing global: lstmcast's JAX settings are applied at its first compile (see
``configure_runtime``).
"""

__version__ = "0.2.0"

from lstmcast.errors import LstmcastError  # noqa: E402  (cheap, no heavy imports)


def configure_runtime() -> dict[str, bool]:
    """Apply lstmcast's JAX settings now instead of at its first compile: the CPU loop-fusion flag
    (only possible before JAX's backend starts) and the persistent compilation cache. Call it
    first thing if your own code runs JAX before lstmcast does. Importing lstmcast applies
    nothing.

    Returns
    -------
    dict of str to bool
        Which settings lstmcast applied in this process: ``"cpu_loop_fusion"`` and
        ``"compilation_cache"``.
    """
    from lstmcast._runtime import configure_runtime as apply

    return apply()


__all__ = ["__version__", "LstmcastError", "configure_runtime"]
