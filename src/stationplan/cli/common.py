"""What every command shares: the Typer app, error handling and exit codes, output."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from stationplan import __version__
from stationplan.errors import REQUEST, Problem, StationplanInputError

app = typer.Typer(
    name="stationplan",
    help="Plan and simulate a multinational orbital space station programme.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
SOURCE = "command line"


def err() -> Console:
    """The console for messages (standard error)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def out() -> Console:
    """The console for answers (standard output)."""
    return Console(highlight=False, soft_wrap=True)


def option_of(name: str, labels: Mapping[str, str] | None = None) -> str:
    """The option that stands for a request field: ``lead_s`` -> ``--lead-s``."""
    return (labels or {}).get(name) or "--" + name.replace("_", "-")


def _shown(problem: Problem, labels: Mapping[str, str] | None) -> Problem:
    if problem.source != REQUEST:
        return problem
    field = None if problem.field is None else option_of(problem.field, labels)
    return Problem(SOURCE, problem.message, field=field)


@contextmanager
def handled(labels: Mapping[str, str] | None = None) -> Iterator[None]:
    """Map bad input to exit 2 (problems of a request named by their options, ``labels``
    where an option is not ``--`` + the field name) and anything unexpected to exit 1,
    never with a traceback."""
    try:
        yield
    except StationplanInputError as exc:
        console = err()
        for problem in exc.problems:
            console.print(f"[bold red]error:[/] {_shown(problem, labels)}", markup=True)
        if len(exc.problems) > 1:
            console.print(f"{len(exc.problems)} problems found.")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # an internal error: short message, exit 1
        if os.environ.get("STATIONPLAN_DEBUG"):
            raise
        err().print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc}\n"
            "This is a bug in stationplan; run again with STATIONPLAN_DEBUG=1 for details.",
            markup=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


@contextmanager
def destination(output: str | None) -> Iterator[Callable[[str], object]]:
    """Where a command's text goes: standard output, or the file of ``-o`` checked before the
    work and written atomically after it."""
    from stationplan.report.output import output_file

    if output is None:
        yield sys.stdout.write
        return
    with output_file(output, label="output") as staged:
        yield staged.write_text


def warn_all(notes: list[str], skipped: list[Problem] | None = None) -> None:
    """Print the notes of an answer, and the bad records skipped in its input file."""
    console = err()
    for problem in (skipped or [])[:5]:
        console.print(f"warning: skipped {problem}")
    if skipped and len(skipped) > 5:
        console.print(
            f"warning: {len(skipped)} bad records skipped in all (--strict makes them fatal)"
        )
    for note in notes:
        console.print(f"warning: {note}")


def _version(value: bool) -> None:
    if value:
        out().print(f"stationplan {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Plan and simulate a multinational orbital space station programme."""


ScenarioArg = Annotated[
    Path | None,
    typer.Argument(
        help="Scenario YAML file; omit to use the embedded default scenario.",
        show_default=False,
    ),
]

OutputOption = Annotated[
    str | None, typer.Option("-o", "--output", help="Output file (default: standard output).")
]
