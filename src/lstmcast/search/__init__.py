"""Hyperparameter search for forecasters, scored by time-ordered cross-validation on training
data only (``grid_search``, ``random_search``), over the rolling-origin windows every lstmcast
evaluation uses (``RollingOrigin``, from ``lstmcast.evaluate``)."""

from lstmcast.evaluate.splits import Fold, RollingOrigin
from lstmcast.search.tuning import MODES, SearchResult, grid_search, random_search

__all__ = ["MODES", "Fold", "RollingOrigin", "SearchResult", "grid_search", "random_search"]
