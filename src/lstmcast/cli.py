"""The ``lstmcast`` command line: recipes, forecasts and evaluations of a user's own series.

Heavy libraries (JAX, pandas, statsforecast) are imported inside the commands, so ``--help`` and
``--version`` answer at once. Every ``LstmcastError`` is printed as one line on stderr, with exit
status 2; nothing half-written is left behind.
"""

from __future__ import annotations

import sys

import typer

from lstmcast import __version__
from lstmcast.errors import LstmcastError

app = typer.Typer(
    help="Forecast and classify sequences with LSTMs — compiled end to end, always beside naive baselines.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lstmcast {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """lstmcast: the Keras LSTM tutorials' workflow, done right and a thousand times faster."""


def main() -> None:
    """Console entry point: run the app, turning lstmcast errors into one line and status 2."""
    try:
        app()
    except LstmcastError as error:
        message = " ".join(str(error).split())
        print(f"lstmcast: error: {message}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
