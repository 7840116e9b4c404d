"""Option groups that several commands share, declared once, and the small helpers every command
uses: ``with_options`` adds a group's options to a command, ``show`` prints a result as tables or
as one JSON object, ``check_outputs`` checks output paths before any work, ``grid_option`` parses
``--grid``."""

from __future__ import annotations

import functools
import inspect
import typing
from dataclasses import dataclass, fields
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

import typer
from typer import Option

from lstmcast.errors import InvalidInputError

DataOption = functools.partial(Option, rich_help_panel="Reading the data")
ModelOption = functools.partial(Option, rich_help_panel="Model (omit all for lstmcast's recommended settings)")
ClusterOption = functools.partial(Option, rich_help_panel="Scaling out")
Json = Annotated[bool, Option("--json", help="Print one JSON object (every model's metrics by name), not tables.")]
Overwrite = Annotated[bool, Option("--overwrite", help="Replace existing output files.")]
Level = Annotated[list[float], Option("--level", help="Interval coverage in percent, e.g. 80 (repeatable).")]


def output_file(what: str) -> Any:
    """The ``--output``/``-o`` option of a command, saying what it writes."""
    return Annotated[Path | None, Option("--output", "-o", help=what)]


Arima = Annotated[bool, Option("--arima", help="Add AutoARIMA to the baselines (minutes on large panels).")]


@dataclass
class ClusterOptions:
    """Where the parallel parts of a job run (``lstmcast.parallel.cluster``)."""

    workers: Annotated[int | None, ClusterOption(help="Run tasks on a local Dask cluster of N workers.")] = None
    scheduler: Annotated[str | None, ClusterOption(help="Run them on a Dask cluster, e.g. tcp://host:8786.")] = None

    def executor(self, *, side_process: bool = False):
        from lstmcast.parallel import cluster

        return cluster(self.scheduler, workers=self.workers, side_process=side_process)


@dataclass
class CsvOptions:
    """How to read a CSV file of one series or, in long format, of many (``load_series_or_panel``)."""

    date_col: Annotated[str | None, DataOption(help="Date column (default: the first; long format: ds).")] = None
    value_col: Annotated[str | None, DataOption(help="Value column (default: the only numeric one; long: y).")] = None
    id_col: Annotated[str | None, DataOption(help="Long format: the series id column (default unique_id).")] = None
    sep: Annotated[str, DataOption(help="Field separator.")] = ","
    skip_footer: Annotated[int, DataOption(help="Lines to drop at the end of the file.")] = 0
    na_value: Annotated[list[str], DataOption(help="A marker of missing values (repeatable).")] = None
    missing: Annotated[str, DataOption(help="error, interpolate or drop (ends only).")] = "error"
    date_format: Annotated[str | None, DataOption(help="strptime format of the dates, e.g. %d/%m/%Y.")] = None

    def load(self, path: Path, *, series_only: bool = False):
        from lstmcast.data import Panel, load_series_or_panel

        data = load_series_or_panel(
            path,
            id_col=self.id_col,
            date_col=self.date_col,
            value_col=self.value_col,
            sep=self.sep,
            skip_footer=self.skip_footer,
            na_values=self.na_value or None,
            missing=self.missing,
            date_format=self.date_format,
        )
        if series_only and isinstance(data, Panel):
            raise InvalidInputError(f"{path} holds many series (long format); this command takes one series")
        return data


@dataclass
class ModelOptions:
    """LSTM settings a user may override; the rest are lstmcast's recommended ones."""

    season: Annotated[int | None, ModelOption(help="Seasonal period (default: from the frequency).")] = None
    look_back: Annotated[int | None, ModelOption(help="Past values each forecast sees.")] = None
    units: Annotated[int | None, ModelOption(help="LSTM units.")] = None
    epochs: Annotated[int | None, ModelOption(help="Training epochs (at most, with early stopping).")] = None
    batch_size: Annotated[int | None, ModelOption()] = None
    learning_rate: Annotated[float | None, ModelOption()] = None
    n_seeds: Annotated[int | None, ModelOption(help="Networks in the ensemble (per look-back).")] = None

    def season_of(self, data) -> int:
        from lstmcast._checks import season as check_season
        from lstmcast.data import Panel, season_length

        if self.season is not None:
            return check_season(self.season)
        return data.season if isinstance(data, Panel) else season_length(data)

    def lstm(self, training, season: int, **settings: Any):
        """``default_forecaster`` for ``training``, the options given taking precedence."""
        from lstmcast.forecast import default_forecaster

        given = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "season"}
        return default_forecaster(
            training, season=season, **settings, **{k: v for k, v in given.items() if v is not None}
        )


def with_options(**groups: type):
    """Add the options of each dataclass in ``groups`` to a command's signature (typer reads
    them), and hand the command its ``opts``: one instance per group, under the group's name."""

    def decorate(command):
        own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "opts"]
        added = [
            inspect.Parameter(
                f.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=f.default,
                annotation=typing.get_type_hints(group, include_extras=True)[f.name],
            )
            for group in groups.values()
            for f in fields(group)
        ]

        @functools.wraps(command)
        def run(**kwargs: Any) -> Any:
            opts = {name: kind(**{f.name: kwargs.pop(f.name) for f in fields(kind)}) for name, kind in groups.items()}
            return command(**kwargs, opts=SimpleNamespace(**opts))

        run.__signature__ = inspect.Signature(own + added)
        run.__annotations__ = {p.name: p.annotation for p in own + added}
        return run

    return decorate


def show(as_json: bool, data: dict, *renderables: Any) -> None:
    """Print ``data`` as one JSON object, or the renderables."""
    if as_json:
        from lstmcast._io import to_json

        typer.echo(to_json(data))
        return
    from rich.console import Console

    Console().print(*renderables, sep="\n")


def check_outputs(overwrite: bool, *paths: Path | None) -> None:
    """Every output path is checked before any work (a long run never fails at its end)."""
    from lstmcast._checks import output_path

    for path in paths:
        if path is not None:
            output_path(path, overwrite=overwrite, option="--overwrite")


@dataclass
class SequenceFileOptions:
    """How to read labelled sequences (``lstmcast.data.load_ts`` / ``load_sequences_csv``)."""

    missing: Annotated[str, DataOption(help="Missing values ('?'): error or interpolate.")] = "error"
    case_col: Annotated[str, DataOption(help="Long CSV: the case column.")] = "case_id"
    time_col: Annotated[str, DataOption(help="Long CSV: the time column.")] = "t"
    label_col: Annotated[str, DataOption(help="Long CSV: the label column.")] = "label"

    def load(self, path: Path):
        from lstmcast.data import load_sequences_csv, load_ts

        if path.suffix.lower() == ".csv":
            return load_sequences_csv(
                path, case_col=self.case_col, time_col=self.time_col, label_col=self.label_col, missing=self.missing
            )
        return load_ts(path, missing=self.missing)


def grid_option(item: str) -> tuple[str, list]:
    """``units=2,4,8`` -> ``("units", [2, 4, 8])``: ints, floats, true/false/none, else text."""
    name, sep, values = item.partition("=")
    if not sep or not name.strip() or not values.strip():
        raise InvalidInputError(f"--grid takes name=value1,value2,...; got {item!r}")
    words = {"true": True, "false": False, "none": None}
    return name.strip().replace("-", "_"), [words.get(v.strip().lower(), _number(v.strip())) for v in values.split(",")]


def _number(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
