"""A solved manifest model read into the manifest (:func:`_read`): the fleet flights with
their launch, docking and undocking times, port and cargo, the module flights of the
stations' assembly (:func:`_module_flights`), the crew members they carry
(:func:`_members`) and the solver's status, bound and gap."""

from __future__ import annotations

import time
from datetime import timedelta

from ortools.sat.python import cp_model

from stationplan.ops.crew import Rotation
from stationplan.ops.flights import CrewMember, Flight, FlightRole
from stationplan.ops.manifest.model import _Builder
from stationplan.ops.manifest.problem import Manifest, SolverReport, _capacities
from stationplan.scenario.models import Scenario, Vehicle


def _read(
    b: _Builder,
    solver: cp_model.CpSolver,
    status: str,
    kind: str,
    started: float,
    bounded: bool = True,
) -> Manifest:
    sc = b.sc
    flights: list[Flight] = []
    labels: dict[str, str] = {}
    vehicles = {v.name: v for v in sc.vehicles}
    for f in b.flights:
        if not solver.value(f.used):
            continue
        name = next(v for v, lit in f.x.items() if solver.value(lit))
        v = vehicles[name]
        day = solver.value(f.launch)
        opp = b.p.opportunities[(name, f.station)][day]
        port = next((q.name for q, p in f.ports.items() if solver.value(p)), None)
        dock_day = solver.value(f.dock)
        undock_day = solver.value(f.undock)
        docking = opp.docking_utc
        undocking = docking + timedelta(days=undock_day - dock_day)
        caps = _capacities(v)
        r = f.rotation
        label = f"{r.label} {name}" if r is not None else f"{name} {f.key.rsplit(' ', 1)[-1]}"
        labels[f.key] = label
        flights.append(
            Flight(
                flight=label,
                role=f.role,
                vehicle=name,
                operator=v.operator,
                station=f.station,
                site=opp.site,
                launch_utc=opp.launch_utc,
                docking_utc=docking,
                port=port,
                undocking_utc=undocking,
                crew_up=len(r.up) if r is not None else 0,
                crew_down=r.down if r is not None else 0,
                seats=v.crew_seats,
                pressurized_kg=caps["pressurized"] if f.role is FlightRole.CARGO else 0.0,
                unpressurized_kg=caps["unpressurized"] if f.role is FlightRole.CARGO else 0.0,
                propellant_kg=caps["propellant"] if f.role is FlightRole.CARGO else 0.0,
                return_kg=v.return_cargo_kg,
                cost_musd=v.cost_per_flight_musd,
                note=_crew_note(r, v) if r is not None else "",
            )
        )
    flights.extend(_module_flights(sc))
    flights.sort(key=lambda fl: (fl.launch_utc, fl.flight))
    members = _members(b, flights, labels)
    value = solver.objective_value
    bound: float | None = solver.best_objective_bound if bounded else None
    if b.crew_objective is not None:  # the crew stage's bound plus the cargo LP's
        bound = max(bound or 0.0, b.crew_objective + b.cargo_bound)
    gap = None
    if bound is not None:
        gap = 0.0 if value == 0 else round(100.0 * abs(value - bound) / abs(value), 3)
        if value <= bound:  # an outside bound met: proven optimal though the search stopped
            status = "OPTIMAL"
    proto = b.m.proto
    return Manifest(
        flights=flights,
        crew=members,
        solver=SolverReport(
            status=status,
            objective=kind,
            objective_value=value,
            best_bound=bound,
            gap_pct=gap,
            wall_time_s=round(time.perf_counter() - started, 3),
            variables=len(proto.variables),
            constraints=len(proto.constraints),
        ),
        notes=list(b.p.skeleton.notes),
        cost_musd=round(sum(fl.cost_musd for fl in flights), 1),
    )


def _crew_note(r: Rotation, v: Vehicle) -> str:
    notes = []
    if r.one_year_up:
        notes.append(f"one-year mission: {', '.join(r.one_year_up)} stay through the next rotation")
    if r.continuing:
        notes.append(f"brings home the one-year crew {', '.join(r.continuing)}")
    spare_up = v.crew_seats - len(r.up)
    if r.continuing and spare_up > 0:
        notes.append(f"{spare_up} seat(s) free up: room for a short visiting crew")
    return "; ".join(notes)


def _module_flights(sc: Scenario) -> list[Flight]:
    out = []
    for st in sc.stations:
        for module in st.modules:
            if module.launch_utc is None or not (
                sc.programme.start_utc <= module.launch_utc <= sc.programme.end_utc
            ):
                continue
            out.append(
                Flight(
                    flight=f"module {module.name}",
                    role=FlightRole.MODULE,
                    vehicle=None,
                    operator=module.owner,
                    station=st.name,
                    site=None,
                    launch_utc=module.launch_utc,
                    docking_utc=None,
                    port=None,
                    undocking_utc=None,
                    note=f"{module.mass_kg:,.0f} kg module of {module.owner}",
                )
            )
    return out


def _members(b: _Builder, flights: list[Flight], labels: dict[str, str]) -> list[CrewMember]:
    by_label = {fl.flight: fl for fl in flights}
    rot_flight = {
        f.rotation.label: by_label[labels[f.key]]
        for f in b.flights
        if f.rotation is not None and f.key in labels
    }
    members = []
    rotations = b.p.skeleton.rotations
    for r in rotations:
        up = rot_flight.get(r.label)
        if up is None:
            continue
        nxt = next((q for q in rotations if q.group == r.group and q.index == r.index + 1), None)
        for position in r.up:
            one_year = position in r.one_year_up
            home = rot_flight.get(nxt.label) if (one_year and nxt is not None) else up
            if home is None:
                home = up
            assert up.docking_utc is not None and home.undocking_utc is not None
            members.append(
                CrewMember(
                    name=f"{position} #{r.index + 1}",
                    partner=position.rsplit("-", 1)[0],
                    station=r.station,
                    arrival_flight=up.flight,
                    return_flight=home.flight,
                    arrival_utc=up.docking_utc,
                    departure_utc=home.undocking_utc,
                    one_year_mission=one_year,
                )
            )
    return members
