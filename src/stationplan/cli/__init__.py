"""The ``stationplan`` command line (Typer + Rich): a face over the use cases.

Each command parses its arguments, calls one use case (:mod:`stationplan.ops`,
:mod:`stationplan.report.run_folder`) and writes what it answers; no planning happens here.
Exit codes: 0 success, 2 bad input (scenario, element set, arguments), 1 internal error. Bad
input never prints a Python traceback; ``STATIONPLAN_DEBUG=1`` shows one for an internal error.
"""

from __future__ import annotations

from stationplan.cli import (
    conjunction_commands,
    ops_commands,
    orbit_commands,
    plan_commands,
    program_commands,
    service_commands,
)
from stationplan.cli.common import app

__all__ = [
    "app",
    "conjunction_commands",
    "main",
    "ops_commands",
    "orbit_commands",
    "plan_commands",
    "program_commands",
    "service_commands",
]


def _terminated(signum: int, _frame: object) -> None:
    """SIGTERM ends a command as Ctrl-C does: staged outputs are removed on the way out."""
    raise SystemExit(128 + signum)


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    app()
