"""Commands on the partnership: what-ifs of partners joining and leaving."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stationplan.cli.common import ScenarioArg, app, err, handled

LABELS = {
    "scenario": "SCENARIO",
    "withdraw": "--withdraw",
    "join": "--join",
    "date_utc": "--date",
    "out": "--out",
}


@app.command()
def whatif(
    scenario: ScenarioArg = None,
    withdraw: Annotated[
        str | None, typer.Option("--withdraw", help="Code of the partner that withdraws.")
    ] = None,
    join: Annotated[
        Path | None,
        typer.Option(
            "--join", help="YAML file of the partner that joins ('partner:', 'resident_crew:')."
        ),
    ] = None,
    date: Annotated[str, typer.Option("--date", help="Date of the change, UTC ISO 8601.")] = "",
    out_folder: Annotated[
        str, typer.Option("--out", "-o", help="Output folder for the comparison.")
    ] = "whatif",
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write into a non-empty folder that holds no stationplan output."
        ),
    ] = False,
) -> None:
    """Plan a scenario and its variant (a partner withdraws, or a new one joins) and write the
    comparison: whatif.json, whatif.html, baseline.json and variant.json."""
    from stationplan.ops.requests import make_request
    from stationplan.plan.whatif import WhatIfRequest, change_of
    from stationplan.report.whatif_folder import whatif_to_folder

    console = err()
    with handled(LABELS):
        req = make_request(
            WhatIfRequest,
            {"scenario": scenario, "withdraw": withdraw, "join": join, "date_utc": date or None},
        )
        change = change_of(req)
        say = (lambda step: console.print(f"[dim]{step}[/dim]")) if console.is_terminal else None
        summary = whatif_to_folder(req.scenario, change, out_folder, force=force, progress=say)
    console.print(
        f"{change.describe()}: comparison written to {summary.folder}/ "
        f"({', '.join(summary.files)}) in {summary.seconds:.1f} s"
        + "".join(f"\n  {line}" for line in summary.headline)
    )
