"""Loading and validating one series: the bottom of the workflow, where pandas meets the data.

``load_csv`` and ``from_pandas`` return a float64 ``pd.Series`` with a regular time axis (a
``DatetimeIndex`` with ``.freq`` set, or integers stepping by 1), or raise a named error saying
what to fix. ``future_index`` and ``season_length`` read what that frequency implies.
"""

from lstmcast.data.frequency import future_index, season_length
from lstmcast.data.load import from_pandas, load_csv
from lstmcast.data.validate import MISSING_POLICIES, validate_series

__all__ = [
    "MISSING_POLICIES",
    "from_pandas",
    "future_index",
    "load_csv",
    "season_length",
    "validate_series",
]
