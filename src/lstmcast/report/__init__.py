"""Show: figures, comparison tables and run folders, from numpy/pandas results to files.

Every file is written atomically and never replaces an existing one unless ``overwrite=True``.
Importing this package is cheap: matplotlib, pandas, numpy and rich load only when used.
"""

from lstmcast.report.plots import plot_forecast, plot_future, plot_training_curves
from lstmcast.report.runs import new_run_dir, write_csv, write_json
from lstmcast.report.tables import format_value, metrics_table, render

__all__ = [
    "format_value",
    "metrics_table",
    "new_run_dir",
    "plot_forecast",
    "plot_future",
    "plot_training_curves",
    "render",
    "write_csv",
    "write_json",
]
