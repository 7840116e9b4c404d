"""The comparison table: the LSTM and its baselines side by side, numbers readable at a glance.

``metrics_table`` builds a ``rich`` table from a list of row dicts; ``render`` turns any rich
renderable into plain text, for tests, log files and output that is not a terminal.
"""

from __future__ import annotations

import io
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from lstmcast.errors import InvalidInputError

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["metrics_table", "render", "format_value"]

MISSING = "—"


def metrics_table(
    rows: Iterable[Mapping[str, Any]],
    *,
    title: str,
    columns: Sequence[str] | Mapping[str, str],
) -> Table:
    """A table with one row per model and one column per key in ``columns``.

    Numbers are right-aligned with about four significant digits (``format_value``); a missing
    key, ``None`` or NaN shows as ``—`` so an undefined metric is visibly absent rather than a
    misleading zero.

    Parameters
    ----------
    rows : iterable of mapping
        One dict of column key → value per row.
    title : str
        The table's title (none if empty).
    columns : sequence of str or mapping of str to str
        A list of row keys, or a mapping key → header text.

    Returns
    -------
    rich.table.Table
    """
    from rich.table import Table

    headers = dict(columns) if isinstance(columns, Mapping) else {str(c): str(c) for c in columns}
    if not headers:
        raise InvalidInputError("metrics_table needs at least one column")
    rows = list(rows)
    for row in rows:
        if not isinstance(row, Mapping):
            raise InvalidInputError(f"each row must be a dict of column → value, got {type(row).__name__}")
    table = Table(title=title or None)
    for key, header in headers.items():
        numeric = any(_is_number(row.get(key)) for row in rows)
        table.add_column(header, justify="right" if numeric else "left", no_wrap=numeric)
    for row in rows:
        table.add_row(*(format_value(row.get(key)) for key in headers))
    return table


def format_value(value: Any) -> str:
    """Text for one cell: ~4 significant digits, thousands separated, ``—`` for no value.

    Parameters
    ----------
    value : object
        A number, None, or anything else (shown as ``str(value)``).

    Returns
    -------
    str
    """
    if value is None:
        return MISSING
    if isinstance(value, bool) or not _is_number(value):
        return str(value)
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    value = float(value)
    if not math.isfinite(value):
        return MISSING if math.isnan(value) else ("∞" if value > 0 else "-∞")
    if value == 0:
        return "0"
    if 1_000 <= abs(value) < 1e7:
        return f"{value:,.0f}"
    text = f"{value:.4g}"
    return text if any(c in text for c in ".e") else text + ".0"  # 61.0, not 61: it is a float


def render(renderable: Any, *, width: int = 100) -> str:
    """Plain text of a rich renderable (no colours, no control codes).

    Parameters
    ----------
    renderable : object
        What ``rich`` can print (a table, text...).
    width : int, default 100
        Columns of the text.

    Returns
    -------
    str
    """
    from rich.console import Console

    console = Console(record=True, width=width, file=io.StringIO(), color_system=None, force_terminal=False)
    console.print(renderable)
    return console.export_text()


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
