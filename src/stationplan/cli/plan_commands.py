"""Commands about a whole scenario: run, validate, init, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from stationplan.cli.common import ScenarioArg, app, destination, err, handled, out
from stationplan.errors import StationplanInputError


@app.command()
def run(
    scenario: ScenarioArg = None,
    out_folder: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            help="Output folder: new, empty, or holding a previous stationplan output "
            "(replaced as a whole; files you added are kept).",
        ),
    ] = "out",
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a non-empty folder that holds no stationplan output "
            "(only this run's files are written; nothing is deleted).",
        ),
    ] = False,
) -> None:
    """Build the plan of a scenario and write plan.json, report.html, OEM and CZML files."""
    from stationplan.report.run_folder import plan_to_folder

    console = err()
    with (
        handled(),
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress,
    ):
        task = progress.add_task("checking the output folder", total=None)
        summary = plan_to_folder(
            scenario,
            out_folder,
            force=force,
            progress=lambda step: progress.update(task, description=step),
        )
    console.print(
        f"{summary.programme}: plan written to {summary.folder}/ ({', '.join(summary.files)}) "
        f"in {summary.seconds:.1f} s; {len(summary.warnings)} warning(s)"
        + "".join(f"\n  warning: {f.topic}: {f.message}" for f in summary.warnings)
    )


@app.command()
def validate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file to check.")],
) -> None:
    """Check a scenario file; exit 0 when valid, 2 with every problem listed when not."""
    from stationplan.scenario import load_scenario

    with handled():
        sc = load_scenario(scenario).scenario
    out().print(
        f"{scenario}: valid ({len(sc.stations)} station(s), {len(sc.partners)} partners, "
        f"{len(sc.vehicles)} vehicles)"
    )


@app.command()
def init(
    path: Annotated[str, typer.Argument(help="Where to write the new scenario file.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    example: Annotated[
        str | None,
        typer.Option(
            "--example",
            metavar="NAME",
            help="Write the example scenario NAME instead of the default (an unknown name "
            "lists the examples).",
        ),
    ] = None,
) -> None:
    """Write a commented copy of the default scenario (or of an example) to start your own."""
    from stationplan.report.output import write_text_atomic
    from stationplan.scenario import default_scenario_text
    from stationplan.scenario.loader import example_scenario_text

    with handled({"path": "PATH"}):
        text = default_scenario_text() if example is None else example_scenario_text(example)
        if Path(path).is_file() and not force:
            raise StationplanInputError(
                f"{path} already exists; choose another name or pass --force to overwrite it",
                source=str(path),
            )
        write_text_atomic(path, text, label="path")
    out().print(f"wrote {path}: edit it, then `stationplan validate {path}`")


@app.command()
def schema(
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the scenario file's JSON Schema (for editor completion and validation)."""
    from stationplan.scenario.schema import scenario_json_schema

    with handled(), destination(output) as emit:
        emit(json.dumps(scenario_json_schema(), indent=2) + "\n")
