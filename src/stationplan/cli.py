"""The ``stationplan`` command line (Typer + Rich).

Exit codes: 0 success, 2 bad input (scenario, element set, arguments), 1 internal error.
Bad input never prints a Python traceback; set ``STATIONPLAN_DEBUG=1`` to see one for an
internal error.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from stationplan import __version__
from stationplan.errors import StationplanInputError

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


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


@contextmanager
def _handled() -> Iterator[None]:
    """Map our bad-input errors to exit 2 and anything unexpected to exit 1, no traceback."""
    try:
        yield
    except StationplanInputError as exc:
        err = _err()
        for problem in exc.problems:
            err.print(f"[bold red]error:[/] {problem}", markup=True)
        if len(exc.problems) > 1:
            err.print(f"{len(exc.problems)} problems found.")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:  # an internal error: short message, exit 1
        if os.environ.get("STATIONPLAN_DEBUG"):
            raise
        _err().print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc}\n"
            "This is a bug in stationplan; run again with STATIONPLAN_DEBUG=1 for details.",
            markup=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


def _version(value: bool) -> None:
    if value:
        _out().print(f"stationplan {__version__}")
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


@app.command()
def run(
    scenario: ScenarioArg = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder (replaced atomically).")
    ] = Path("out"),
) -> None:
    """Build the plan of a scenario and write plan.json and report.html to the output folder."""
    from stationplan.plan.engine import run_scenario
    from stationplan.report import atomic_directory, render_report
    from stationplan.report.ephemeris import ephemeris_czml, ephemeris_oem
    from stationplan.scenario import load_scenario

    with _handled():
        err = _err()
        started = time.perf_counter()
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress:
            task = progress.add_task("loading scenario", total=None)

            def step(name: str) -> None:
                progress.update(task, description=name)

            loaded = load_scenario(scenario)
            result = run_scenario(loaded, progress=step)
            plan = result.plan
            step("writing report")
            with atomic_directory(out) as tmp:
                (tmp / "plan.json").write_text(
                    plan.model_dump_json(indent=2) + "\n", encoding="utf-8"
                )
                (tmp / "report.html").write_text(render_report(plan), encoding="utf-8")
                for eph in result.ephemerides:
                    stem = _file_stem(eph.name)
                    oem = ephemeris_oem(
                        eph.times_utc,
                        eph.r_gcrs_km,
                        eph.v_gcrs_km_s,
                        object_name=eph.name,
                        object_id=str(eph.catalog_number),
                        ref_frame="GCRF",
                    )
                    czml = ephemeris_czml(
                        eph.times_utc,
                        eph.r_gcrs_km,
                        ref_frame="GCRF",
                        object_id=str(eph.catalog_number),
                        object_name=eph.name,
                    )
                    (tmp / f"{stem}.oem").write_text(oem, encoding="utf-8")
                    (tmp / f"{stem}.czml").write_text(czml, encoding="utf-8")
        warnings = sum(1 for f in plan.findings if f.severity.value == "warning")
        err.print(
            f"{plan.programme.name}: plan written to {out}/ (plan.json, report.html, "
            f"{len(result.ephemerides)} OEM + CZML) in "
            f"{time.perf_counter() - started:.1f} s; {warnings} warning(s)"
        )


def _file_stem(name: str) -> str:
    """A file name from a station name: letters, digits, '-' and '_' only."""
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in name.strip())
    return stem.strip("_") or "station"


@app.command()
def validate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file to check.")],
) -> None:
    """Check a scenario file; exit 0 when valid, 2 with every problem listed when not."""
    from stationplan.scenario import load_scenario

    with _handled():
        loaded = load_scenario(scenario)
        sc = loaded.scenario
        _out().print(
            f"{scenario}: valid ({len(sc.stations)} station(s), {len(sc.partners)} partners, "
            f"{len(sc.vehicles)} vehicles)"
        )


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the new scenario file.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented copy of the default scenario to start your own."""
    from stationplan.report import write_text_atomic
    from stationplan.scenario import default_scenario_text

    with _handled():
        if path.exists() and not force:
            raise StationplanInputError(
                f"{path} already exists; choose another name or pass --force to overwrite it",
                source=str(path),
            )
        if path.exists() and path.is_dir():
            raise StationplanInputError("is a folder; expected a file name", source=str(path))
        write_text_atomic(path, default_scenario_text())
        _out().print(f"wrote {path}: edit it, then `stationplan validate {path}`")


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the scenario file's JSON Schema (for editor completion and validation)."""
    from stationplan.report import write_text_atomic
    from stationplan.scenario.schema import scenario_json_schema

    with _handled():
        text = json.dumps(scenario_json_schema(), indent=2) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(output, text)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
