"""The flight manifest (CP-SAT) of the embedded default scenario, solved on its own.

The problem is the one ``plan_operations`` builds: the plan runs up to the manifest step (orbits,
launch windows, lifetime, crew plan, supply), where the problem is taken and the run stopped.
It is then solved twice with the scenario's time limit: the crew stage alone (the same
problem without cargo supply), as the baseline, and the whole manifest (crew, then cargo),
with the wall time of each CP-SAT search (``manifest.solve._solve``) recorded.

Goal: the whole manifest in <= 10 s wall time on a 2-core machine with a gap <= 1 %.
Prints the figures, then one JSON line (the last line).
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from typing import Any

import stationplan.ops.manifest.solve as manifest_mod
import stationplan.ops.operations as operations
from stationplan.ops.manifest import Manifest, ManifestProblem, solve_manifest
from stationplan.plan.engine import run_scenario
from stationplan.scenario import load_scenario

GOAL_S = 10.0
GOAL_GAP_PCT = 1.0


class _TakenError(Exception):
    """Stops the plan once the manifest problem is built."""

    def __init__(self, problem: ManifestProblem) -> None:
        super().__init__("manifest problem taken")
        self.problem = problem


def _take(problem: ManifestProblem, time_limit_s: float | None = None) -> Manifest:
    raise _TakenError(problem)


def default_problem() -> tuple[ManifestProblem, float]:
    """The default scenario's manifest problem, as ``plan_operations`` builds it, and the
    seconds the plan took to get there."""
    namespace = vars(operations)  # where plan_operations looks the solver up
    real = namespace["solve_manifest"]
    namespace["solve_manifest"] = _take
    started = time.perf_counter()
    try:
        run_scenario(load_scenario(os.environ.get("STATIONPLAN_BENCH_SCENARIO")), risk_runs=1)
    except _TakenError as taken:
        return taken.problem, time.perf_counter() - started
    finally:
        namespace["solve_manifest"] = real
    raise RuntimeError("the plan did not reach the manifest step")


def _copy(problem: ManifestProblem, **changes: Any) -> ManifestProblem:
    names = {f.name for f in dataclasses.fields(problem)}
    return dataclasses.replace(problem, **{k: v for k, v in changes.items() if k in names})


STAGES: list[tuple[float, str]] = []
"""Wall time and status of each CP-SAT search of the last solve (manifest.solve._solve calls)."""


def _timed_stages() -> None:
    """Record the wall time of each CP-SAT search (crew stage, cargo stage) of a solve."""
    inner = manifest_mod._solve

    def timed(b: Any, time_limit_s: float, outside_bound: float | None = None) -> Any:
        started = time.perf_counter()
        out = inner(b, time_limit_s, outside_bound)
        STAGES.append((time.perf_counter() - started, str(out[1])))
        return out

    vars(manifest_mod)["_solve"] = timed


def _solve(problem: ManifestProblem) -> tuple[Manifest, float, list[float]]:
    STAGES.clear()
    started = time.perf_counter()
    manifest = solve_manifest(problem)
    return manifest, time.perf_counter() - started, [round(t, 2) for t, _ in STAGES]


def _line(name: str, m: Manifest, wall_s: float) -> str:
    s = m.solver
    gap = "n/a" if s.gap_pct is None else f"{s.gap_pct:.2f} %"
    fleet = sum(1 for f in m.flights if f.vehicle is not None)
    return (
        f"{name}: {wall_s:.2f} s wall ({s.wall_time_s:.2f} s in the solver), {s.status}, "
        f"objective {s.objective_value}, bound {s.best_bound}, gap {gap}, {fleet} fleet flights "
        f"({m.cost_musd:,.0f} MUSD), {s.variables} variables, {s.constraints} constraints"
    )


def main() -> None:
    problem, setup_s = default_problem()
    sc = problem.scenario
    rotations = len(problem.skeleton.rotations)
    print(
        f"default scenario: {rotations} crew rotations, {len(sc.vehicles)} vehicles, "
        f"{len(sc.stations)} stations; plan up to the manifest {setup_s:.1f} s; "
        f"time limit {sc.policies.manifest_time_limit_s:g} s"
    )
    _timed_stages()
    crew, crew_s, crew_stages = _solve(_copy(problem, supply={}, supply_for=None))
    print(_line("baseline, crew stage alone", crew, crew_s))
    print(f"  CP-SAT searches (crew, empty cargo stage): {crew_stages} s")
    full, full_s, full_stages = _solve(_copy(problem))
    print(_line("whole manifest (crew, then cargo)", full, full_s))
    print(f"  CP-SAT searches (crew, cargo): {full_stages} s")
    for line in full.explanation:
        print(f"  explanation: {line}")
    gap = full.solver.gap_pct
    met = full_s <= GOAL_S and gap is not None and gap <= GOAL_GAP_PCT
    print(
        f"goal <= {GOAL_S:g} s with gap <= {GOAL_GAP_PCT:g} %: {'met' if met else 'NOT met'} "
        f"(cargo stage adds {full_s - crew_s:.2f} s to the crew stage)"
    )
    figures = {
        "manifest_wall_s": round(full_s, 2),
        "solver_wall_s": full.solver.wall_time_s,
        "status": full.solver.status,
        "objective": full.solver.objective_value,
        "bound": full.solver.best_bound,
        "gap_pct": gap,
        "fleet_flights": sum(1 for f in full.flights if f.vehicle is not None),
        "cost_musd": full.cost_musd,
        "variables": full.solver.variables,
        "constraints": full.solver.constraints,
        "search_s": full_stages,
        "crew_stage_wall_s": round(crew_s, 2),
        "crew_stage_search_s": crew_stages,
        "crew_stage_status": crew.solver.status,
        "crew_stage_objective": crew.solver.objective_value,
        "crew_stage_gap_pct": crew.solver.gap_pct,
        "crew_rotations": rotations,
        "time_limit_s": sc.policies.manifest_time_limit_s,
        "goal_met": met,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
