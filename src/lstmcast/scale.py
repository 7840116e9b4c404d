"""Moved to ``lstmcast.parallel``; this alias goes away once every import uses that module."""

from lstmcast.parallel import CONNECT_TIMEOUT, WORKER_ENVIRONMENT, ClusterError, cluster  # noqa: F401
