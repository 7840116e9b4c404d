"""The ``lstmcast`` command line: it parses arguments and calls the library; the library decides and
computes, ``lstmcast.report`` shows. ``--json`` prints any table as one JSON object instead.

``app`` holds the commands: ``recipe list`` and ``recipe run`` and ``classify`` (``others``),
``forecast``, ``evaluate``, ``search`` and ``cross-validate`` (``forecasting``); their shared
option groups are in ``options``. Heavy libraries (JAX, pandas, statsforecast) are imported inside
the commands, so ``--help`` and ``--version`` answer at once. Every ``LstmcastError``, and every
usage error, is printed as one line on stderr with exit status 2; Ctrl-C exits with 130; nothing
half-written is left behind.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from typer import Option

from lstmcast import __version__
from lstmcast.cli import forecasting, others  # noqa: F401  (the commands register on the app)
from lstmcast.cli.app import app
from lstmcast.errors import LstmcastError

__all__ = ["app", "console_entry", "main"]

_INTERRUPTED = 130  # the shell's convention for a process stopped by SIGINT


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lstmcast {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """lstmcast: the Keras LSTM tutorials' workflow, done right and a thousand times faster."""


def main() -> None:
    """Run the app, turning lstmcast and usage errors into one line and status 2."""
    try:
        code = app(standalone_mode=False)
    except LstmcastError as error:
        _fail(str(error))
    except typer.TyperException as error:  # a usage error: an option that is not a number, ...
        if type(error).__name__ == "NoArgsIsHelpError":  # `lstmcast` alone: the help, as click shows it
            error.show()
            sys.exit(2)
        _fail(error.format_message())
    except (typer.Abort, KeyboardInterrupt):
        code = _INTERRUPTED
    if code == _INTERRUPTED:  # Ctrl-C (typer may turn it into this exit code itself)
        print("lstmcast: interrupted; output files hold what was finished (written atomically)", file=sys.stderr)
    if isinstance(code, int) and code:
        sys.exit(code)


def _fail(message: str) -> None:
    print(f"lstmcast: error: {' '.join(message.split())}", file=sys.stderr)
    sys.exit(2)


def console_entry() -> None:
    """The ``lstmcast`` command: ``main``, then exit at once (every output is already written,
    atomically, and flushed; unloading JAX and matplotlib at exit would cost ~0.7 s)."""
    code = 0
    try:
        main()
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
