"""Loading and validating one series: the bottom of the workflow, where pandas meets the data.

``load_csv`` and ``from_pandas`` return a float64 ``pd.Series`` with a regular time axis (a
``DatetimeIndex`` with ``.freq`` set, or integers stepping by 1), or raise a named error saying
what to fix. ``future_index`` and ``season_length`` read what that frequency implies.
``load_ts`` and ``load_sequences_csv`` read labelled sequences for classification (``.ts`` files
of the UEA/UCR archive, or a long CSV) as ``Sequences``: one (time, channels) array per case.
``from_long`` and ``load_panel_csv`` read many series from Nixtla's long format (``unique_id``,
``ds``, ``y``) as a ``Panel``, every series checked and on one frequency; ``panel_frame`` writes
series and forecasts back as such a table.
"""

from lstmcast.data.frequency import future_index, season_length
from lstmcast.data.load import from_pandas, load_csv
from lstmcast.data.panel import Panel, from_long, is_long_format, load_panel_csv, load_series_or_panel, panel_frame
from lstmcast.data.sequences import Sequences, load_sequences_csv, load_ts
from lstmcast.data.validate import MISSING_POLICIES, validate_series

__all__ = [
    "MISSING_POLICIES",
    "Panel",
    "Sequences",
    "from_long",
    "from_pandas",
    "future_index",
    "is_long_format",
    "load_csv",
    "load_panel_csv",
    "load_series_or_panel",
    "load_sequences_csv",
    "load_ts",
    "panel_frame",
    "season_length",
    "validate_series",
]
