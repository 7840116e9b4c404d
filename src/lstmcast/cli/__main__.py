"""``python -m lstmcast.cli``: the ``lstmcast`` command."""

from lstmcast.cli import console_entry

console_entry()
