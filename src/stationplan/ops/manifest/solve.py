"""The solve of a manifest problem (:func:`solve_manifest`), in two stages: the crew
rotations with their ports, crew capacity and flight rates, searched to optimality and then
held; then the cargo flights around them, stopped once proven within the policy's
``manifest_gap_pct`` of a bound (:class:`_StopWithin`). Each CP-SAT search (:func:`_solve`)
runs with every rule on, from a hint made complete first when there is one
(:func:`_complete_hint`); a stage that ends without a manifest yields an empty one with its
explanation (:func:`_failed`, :func:`_empty`)."""

from __future__ import annotations

import time

from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

from stationplan.ops.manifest.explain import _explain, _minimal_core
from stationplan.ops.manifest.model import _Builder
from stationplan.ops.manifest.problem import Manifest, ManifestProblem, SolverReport
from stationplan.ops.manifest.read import _read


def solve_manifest(problem: ManifestProblem, time_limit_s: float | None = None) -> Manifest:
    """The manifest that keeps every rule at least cost (or the policy's objective).

    Returns the best manifest found within the time limit (the policy's
    ``manifest_time_limit_s`` unless ``time_limit_s`` is given) with the solver's status,
    objective, bound and gap; when no manifest exists, an empty one whose ``explanation``
    names the rules that cannot hold together.
    """
    started = time.perf_counter()
    limit_s = (
        time_limit_s
        if time_limit_s is not None
        else problem.scenario.policies.manifest_time_limit_s
    )
    b = _Builder(problem)
    kind = problem.scenario.policies.manifest_objective
    # stage 1: the crew rotations, with ports, crew capacity and flight rates
    b.crew()
    if b.explanation:
        return _empty(b, "NOT_RUN", kind.value, started)
    b.ports_no_overlap()
    b.crew_capacity()
    b.flight_rates()
    b.objective()
    crew_solver, crew_status, crew_bounded = _solve(b, limit_s)
    if crew_status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _failed(b, crew_solver, crew_status, kind.value, started, "crew rotations")
    if problem.supply_for is not None:
        placed = _read(b, crew_solver, "FEASIBLE", kind.value, started)
        b.p.supply = problem.supply_for(placed.crew)
    b.fix(crew_solver)
    b.crew_objective = crew_solver.best_objective_bound if crew_bounded else None
    # stage 2: cargo flights around the crew's
    b.cargo()
    if b.explanation:
        return _empty(b, "NOT_RUN", kind.value, started)
    b.ports_no_overlap()
    b.flight_rates()
    b.objective()
    outside = None if b.crew_objective is None else b.crew_objective + b.cargo_bound
    solver, status, bounded = _solve(b, limit_s, outside)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _failed(b, solver, status, kind.value, started, "cargo flights")
    name = "OPTIMAL" if status == crew_status == cp_model.OPTIMAL else "FEASIBLE"
    return _read(b, solver, name, kind.value, started, bounded)


class _StopWithin(cp_model.CpSolverSolutionCallback):
    """Stops the search at the first solution within ``gap_pct`` of the better of CP-SAT's
    bound and an outside lower bound. (CP-SAT's own ``relative_gap_limit`` is not used: it
    reports the stopped search as OPTIMAL with the objective as its bound.)"""

    def __init__(self, outside_bound: float | None, gap_pct: float) -> None:
        super().__init__()
        self.outside_bound = outside_bound
        self.gap_pct = gap_pct

    def on_solution_callback(self) -> None:
        value = self.objective_value
        bound = self.best_objective_bound
        if self.outside_bound is not None:
            bound = max(bound, self.outside_bound)
        if value > 0 and (value - bound) <= self.gap_pct / 100.0 * value:
            self.stop_search()


def _solve(
    b: _Builder, time_limit_s: float, outside_bound: float | None = None
) -> tuple[cp_model.CpSolver, int, bool]:
    """Solve with every rule on. The rules are fixed true in a copy of the model rather than
    passed as assumptions: CP-SAT presolves and uses hints far less under assumptions, which
    are kept for explaining an infeasible model (:func:`_minimal_core`).

    Two CP-SAT workers (one starts from the hint, one raises the bound) within the time
    limit. The cargo stage (given ``outside_bound``: the crew stage's bound plus the HiGHS
    bounds of :mod:`stationplan.ops.cargo_bound`) stops as soon as a manifest is proven
    within the policy's ``manifest_gap_pct``; the crew stage searches to optimality (its
    objective weighs crews' days off their nominal dates, which a gap in cost units would
    let drift). Not bit-reproducible: when the limit cuts the
    search, the manifest found depends on the machine's speed (its cost and bound are
    reported). The interleaved multi-worker search, which would be reproducible, aborts the
    process on some infeasible models in OR-Tools 9.15. When the search ends without a
    solution although the hint was complete, or when the completed hint is already within
    the gap of ``outside_bound``, the hint's solution is returned (status FEASIBLE) with no
    bound of CP-SAT's own (the last item False)."""
    b.m.clear_assumptions()
    model = b.m.clone()
    for lit, _ in b.assumptions:
        model.add(model.get_bool_var_from_proto_index(lit.index) == 1)
    fallback = None
    gap_pct = b.sc.policies.manifest_gap_pct
    if model.proto.solution_hint.vars:
        fallback = _complete_hint(model, max(5.0, 0.3 * time_limit_s))
        if fallback is not None and outside_bound is not None and gap_pct > 0:
            value = fallback.objective_value
            if value - outside_bound <= gap_pct / 100.0 * value:  # the hint is good enough
                return fallback, int(cp_model.FEASIBLE), False
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 1
    # light presolve: the interval and element encodings of a multi-year day grid make full
    # presolve (probing, symmetry) take longer than the search itself
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    stop = _StopWithin(outside_bound, gap_pct) if gap_pct > 0 and outside_bound else None
    status = int(solver.solve(model, stop))
    if status == cp_model.UNKNOWN and fallback is not None:
        return fallback, int(cp_model.FEASIBLE), False
    if status == cp_model.INFEASIBLE:  # once more under assumptions, for the core
        b.m.add_assumptions([lit for lit, _ in b.assumptions])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_s
        solver.parameters.num_workers = 1
        status = int(solver.solve(b.m))
    return solver, status, True


def _complete_hint(model: cp_model.CpModel, time_limit_s: float) -> cp_model.CpSolver | None:
    """Turn a partial hint into a complete one: solve with the hinted variables fixed (fast:
    only the auxiliary variables remain) and hint every variable with that solution. A
    complete feasible hint is the solver's first solution; a partial one it may abandon.
    Returns the solver holding that solution (None when the hint does not hold)."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None  # the hint does not hold: leave it partial
    values = list(solver.response_proto.solution)
    model.clear_hints()  # type: ignore[no-untyped-call]
    for index, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(index), value)
    return solver


def _failed(
    b: _Builder, solver: cp_model.CpSolver, status: int, kind: str, started: float, stage: str
) -> Manifest:
    if status == cp_model.INFEASIBLE:
        core = _minimal_core(b, solver.sufficient_assumptions_for_infeasibility())
        b.explanation.extend(_explain(b, core))
    else:
        b.explanation.append(
            f"the solver found no plan of the {stage} within "
            f"{solver.parameters.max_time_in_seconds:.0f} s (raise policies.manifest_time_limit_s)"
        )
    return _empty(b, cp_model_pb2.CpSolverStatus.Name(status), kind, started)


def _empty(b: _Builder, status: str, kind: str, started: float) -> Manifest:
    proto = b.m.proto
    return Manifest(
        flights=[],
        crew=[],
        solver=SolverReport(
            status=status,
            objective=kind,
            objective_value=None,
            best_bound=None,
            gap_pct=None,
            wall_time_s=round(time.perf_counter() - started, 3),
            variables=len(proto.variables),
            constraints=len(proto.constraints),
        ),
        explanation=b.explanation,
        notes=list(b.p.skeleton.notes),
    )
