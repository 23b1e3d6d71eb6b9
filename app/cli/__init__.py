"""The ``ecomap`` command line (typer). Thin: parse options, call a service, print.

Results go to stdout (``--json``: JSON and nothing else); messages and progress go to stderr.
Exit codes: 0 ok, 1 runtime failure, 2 invalid input or usage.

One module per command group (``data``, ``explore``, ``analyze``, ``maps``, ``serve``), the
FILTERS options in ``filters``, consoles, exit codes and output helpers in ``common``;
``main`` assembles the application.
"""

from app.cli.main import app, main

__all__ = ["app", "main"]
