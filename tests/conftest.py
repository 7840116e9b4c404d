"""Test-session settings: baselines are always computed, never read from the user's cache."""

import os

os.environ["LSTMCAST_BASELINE_CACHE"] = "0"
