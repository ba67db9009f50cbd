"""Why an infeasible manifest model has no solution, in a planner's words.

Each family of constraints of the model is switched on by an assumption literal. When the
model is infeasible, CP-SAT's sufficient set of assumptions names the rules that cannot hold
together; it is shrunk towards a minimal set (:func:`_minimal_core`) and each rule left is
said in a planner's words (:func:`_explain`, :func:`_sentence`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ortools.sat.python import cp_model

from stationplan.ops.manifest.model import _Builder

CORE_SOLVE_S = 5.0
"""Time for each solve while the infeasible core is shrunk (s)."""


def _infeasible_with(b: _Builder, keep: Sequence[int]) -> bool:
    """Whether the model is proven infeasible with only the assumptions ``keep``."""
    literal = {lit.index: lit for lit, _ in b.assumptions}
    b.m.clear_assumptions()
    b.m.add_assumptions([literal[i] for i in keep if i in literal])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = CORE_SOLVE_S
    solver.parameters.num_workers = 2
    return bool(solver.solve(b.m) == cp_model.INFEASIBLE)


def _minimal_core(b: _Builder, core: Sequence[int]) -> list[int]:
    """Shrink CP-SAT's sufficient set of assumptions by deletion (Junker's QuickXplain idea,
    done coarse to fine): first whole rule families, then single rules while few remain. A
    rule whose removal leaves the question open within :data:`CORE_SOLVE_S` stays in."""
    family = {lit.index: message.split(" ")[0] for lit, message in b.assumptions}
    kept = list(core)
    for name in sorted({family[i] for i in kept if i in family}):
        trial = [i for i in kept if family.get(i) != name]
        if _infeasible_with(b, trial):
            kept = trial
    if len(kept) <= 40:
        for i in list(kept):
            trial = [j for j in kept if j != i]
            if _infeasible_with(b, trial):
                kept = trial
    return kept


def _explain(b: _Builder, core: Sequence[int]) -> list[str]:
    """The rules of an infeasible core, in planner's words."""
    index = {lit.index: message for lit, message in b.assumptions}
    messages = [index[i] for i in core if i in index]
    out = []
    for message in messages:
        out.append(_sentence(b, message))
    if not out:
        out.append("the manifest is infeasible, but the solver could not isolate why")
    return out


def _sentence(b: _Builder, rule: str) -> str:
    sc = b.sc
    kind, _, rest = rule.partition(" ")
    rotations = {r.label: r for r in b.p.skeleton.rotations}
    if kind == "lifeboat":
        r = rotations[rest.split()[-1]]
        return (
            f"crew rotation {r.label} stays aboard {r.station} about "
            f"{sc.crew.increment_days if sc.crew else 0:g} days, longer than any crew vehicle "
            "that can fly it may stay docked as its lifeboat"
        )
    if kind == "increment":
        r = rotations[rest.split()[-1]]
        return (
            f"crew rotation {r.label} must dock within the increment tolerance of "
            f"{r.nominal_dock_utc:%Y-%m-%d} and stay at least the increment"
        )
    if kind == "handover":
        r = rotations[rest]
        return (
            f"the crew of rotation {r.label} can only leave {r.station} after its successor "
            "has docked and handed over"
        )
    if kind == "one-year":
        r = rotations[rest.split()[-1]]
        return (
            f"the one-year mission launched with rotation {r.label} needs a crew seat docked "
            f"until its return, about {r.nominal_dock_utc:%Y-%m} plus the mission length"
        )
    if kind == "service":
        r = rotations[rest.split()[-1]]
        return f"crew rotation {r.label} must leave {r.station} by {r.nominal_undock_utc:%Y-%m-%d}"
    if kind == "port":
        flight = rest.removeprefix("for ")
        f = next((f for f in b.flights if f.key == flight), None)
        if f is None:
            return f"{flight} needs a free docking port when it arrives, and none is free"
        names = ", ".join(sorted(q.name for q in f.ports)) or "none"
        return (
            f"{flight} needs a free docking port at {f.station} when it arrives, and none of "
            f"those its vehicles fit ({names}) is free then"
        )
    if kind == "crew":
        return f"crew aboard {rest.removeprefix('capacity ')} would exceed its crew capacity"
    if kind == "rate":
        name, year = rest.rsplit(" ", 1)
        v = next(v for v in sc.vehicles if v.name == name)
        return f"{name} may fly at most {math.floor(v.max_flights_per_year)} flights in {year}"
    if kind == "stock":
        station, carrier = rest.rsplit(" ", 1)
        return (
            f"the cargo fleet cannot keep the {carrier} supplies of {station} at or above their "
            "reserve"
        )
    return rule
