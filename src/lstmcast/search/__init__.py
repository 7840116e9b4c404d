"""Hyperparameter search for forecasters, scored by time-ordered cross-validation on training
data only (``grid_search``, ``random_search``, ``RollingOrigin`` folds)."""

from lstmcast.search.folds import Fold, RollingOrigin
from lstmcast.search.tuning import SCORERS, SearchResult, grid_search, random_search

__all__ = ["Fold", "RollingOrigin", "SCORERS", "SearchResult", "grid_search", "random_search"]
