"""Invertible transforms fitted on training data only, their composition, and windowing.

Each transform is a frozen dataclass of settings with pure methods (``fit``, ``apply``,
``invert``, ``invert_one_step``, ``to_config``); what ``fit`` learns is returned as a JSON-ready
state instead of being stored. ``chain`` composes transforms into a ``Pipeline``;
``from_config`` rebuilds one from ``to_config()``. See ``lstmcast.transforms.base`` for the exact
meaning of each method, and ``make_windows`` for the supervised samples an LSTM learns from.
``choose_scaling``/``normalize``/``denormalize`` put the series of a panel on one footing for a
global model, and ``cut_windows`` cuts its windows.

>>> import numpy as np
>>> y = np.array([112.0, 118, 132, 129, 121, 135])
>>> pipeline = chain(Log(), Difference(), MinMaxScale((-1, 1)))
>>> state = pipeline.fit(y[:4])
>>> z = pipeline.apply(y, state)
>>> np.allclose(pipeline.invert(z[3:], state, history=y[:4]), y[4:])
True
"""

from lstmcast.transforms.base import Transform
from lstmcast.transforms.difference import Difference
from lstmcast.transforms.pipeline import Pipeline, chain, from_config
from lstmcast.transforms.pointwise import Log, MinMaxScale, StandardScale
from lstmcast.transforms.seasonality import autocorrelation, is_seasonal, seasonal_factors
from lstmcast.transforms.series_scaling import NORMALIZATIONS, SeriesScaling, choose_scaling, denormalize, normalize
from lstmcast.transforms.windows import Windows, all_windows, cut_windows, last_window, make_windows, training_windows

__all__ = [
    "NORMALIZATIONS",
    "Difference",
    "Log",
    "MinMaxScale",
    "Pipeline",
    "SeriesScaling",
    "StandardScale",
    "Transform",
    "Windows",
    "all_windows",
    "autocorrelation",
    "chain",
    "choose_scaling",
    "cut_windows",
    "denormalize",
    "from_config",
    "is_seasonal",
    "last_window",
    "make_windows",
    "normalize",
    "seasonal_factors",
    "training_windows",
]
