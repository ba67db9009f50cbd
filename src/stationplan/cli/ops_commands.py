"""Commands on a scenario's operations: manifest, risk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from stationplan.cli.common import ScenarioArg, app, err, handled, out

LABELS = {"scenario": "SCENARIO"}


@app.command()
def manifest(
    scenario: ScenarioArg = None,
    fmt: Annotated[str, typer.Option("--format", help="table (default), csv or json.")] = "table",
) -> None:
    """Plan a scenario and print its flight manifest (crew, cargo and module flights)."""
    from rich.table import Table

    from stationplan.ops.requests import make_request, request_error
    from stationplan.plan.usecases import PlanRequest, operations_of, plan_scenario
    from stationplan.report.manifest_files import MANIFEST_COLUMNS, manifest_csv, manifest_row

    with handled({**LABELS, "format": "--format"}):
        if fmt not in ("table", "csv", "json"):
            raise request_error("format", f"must be table, csv or json (got {fmt!r})")
        req = make_request(PlanRequest, {"scenario": scenario, "runs": 1})
        ops = operations_of(plan_scenario(req, progress=_say()))
    m = ops.manifest
    if fmt == "csv":
        typer.echo(manifest_csv(m), nl=False)
    elif fmt == "json":
        typer.echo(m.model_dump_json(indent=2))
    else:
        table = Table(*MANIFEST_COLUMNS, title=f"manifest: {m.solver.status}")
        for f in m.flights:
            table.add_row(*manifest_row(f).values())
        out().print(table)
    s = m.solver
    gap = "" if s.gap_pct is None else f", gap {s.gap_pct:.2f} %"
    err().print(
        f"{len(m.flights)} flights, {m.cost_musd:,.0f} MUSD; solver {s.status} "
        f"({s.objective}: {s.objective_value}, bound {s.best_bound}{gap}) in {s.wall_time_s:.1f} s"
        + "".join(f"\n  why: {line}" for line in m.explanation)
    )
    if m.explanation:
        raise typer.Exit(code=2)


@app.command()
def risk(
    scenario: ScenarioArg = None,
    runs: Annotated[int, typer.Option("--runs", help="Monte Carlo runs.")] = 10_000,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed (same seed, same result).")
    ] = 2015,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Dask scheduler address (tcp://HOST:PORT); default: this process."
        ),
    ] = None,
) -> None:
    """Plan a scenario and print the risk of its manifest under launch slips and losses."""
    from rich.table import Table

    from stationplan.ops.requests import make_request
    from stationplan.plan.usecases import PlanRequest, operations_of, plan_scenario

    with handled(LABELS):
        req = make_request(
            PlanRequest,
            {"scenario": scenario, "runs": runs, "seed": seed, "scheduler": scheduler},
        )
        ops = operations_of(plan_scenario(req, progress=_say()))
    if not ops.risk:
        err().print(
            "no manifest to assess" + "".join(f"\n  why: {x}" for x in ops.manifest.explanation)
        )
        raise typer.Exit(code=2)
    for r in ops.risk:
        head = Table("figure", "value", title=f"{r.station}: {r.runs:,} runs, seed {r.seed}")
        head.add_row("P(any supply below reserve)", f"{r.p_any_reserve_break:.3f}")
        head.add_row("P(crew reduced)", f"{r.p_crew_reduction:.3f}")
        head.add_row("P(lifeboat rule broken)", f"{r.p_lifeboat_break:.3f}")
        head.add_row("mean flights lost", f"{r.mean_flights_lost:.2f}")
        out().print(head)
        classes = Table("class", "P(below reserve)", "margin p5 (days)", "p50", "p95")
        for m in r.margins:
            p = dict(m.percentiles_days)
            cells = [f"{p[q]:.0f}" if q in p else "-" for q in (5.0, 50.0, 95.0)]
            classes.add_row(m.supply_class, f"{m.p_reserve_break:.3f}", *cells)
        out().print(classes)
        slips = Table("cargo flight slipping 30 days", "first supply below reserve", "class")
        for s in r.slip_30_days:
            when = "held" if s.first_break_utc is None else f"{s.first_break_utc:%Y-%m-%d}"
            slips.add_row(s.flight, when, s.supply_class or "")
        out().print(slips)


def _say() -> Callable[[str], None] | None:
    """Name each planning step on a terminal (the steps take seconds each)."""
    console = err()
    if not console.is_terminal:
        return None
    return lambda step: console.print(f"[dim]{step}[/dim]")
