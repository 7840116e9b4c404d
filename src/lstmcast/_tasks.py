"""Moved to ``lstmcast.parallel``; this alias goes away once every import uses that module."""

from lstmcast.parallel import _Bar, run_tasks  # noqa: F401
