"""Show: figures, comparison tables, recipe reports and run folders, from numpy/pandas results to files.

Every file is written atomically and never replaces an existing one unless ``overwrite=True``.
Importing this package is cheap: matplotlib, pandas, numpy and rich load only when used.
"""

from lstmcast.report.plots import plot_forecast, plot_forecast_frame, plot_future, plot_training_curves
from lstmcast.report.recipes import classification_recipe_report, forecast_recipe_report
from lstmcast.report.runs import new_run_dir, write_csv, write_json
from lstmcast.report.summaries import (
    classification_frame,
    classification_summary,
    evaluation_summary,
    evaluation_table,
    search_table,
)
from lstmcast.report.tables import format_value, metrics_table, render

__all__ = [
    "classification_frame",
    "classification_recipe_report",
    "classification_summary",
    "evaluation_summary",
    "evaluation_table",
    "forecast_recipe_report",
    "format_value",
    "metrics_table",
    "new_run_dir",
    "plot_forecast",
    "plot_forecast_frame",
    "plot_future",
    "plot_training_curves",
    "render",
    "search_table",
    "write_csv",
    "write_json",
]
