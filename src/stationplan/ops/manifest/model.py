"""The CP-SAT model of a manifest problem (:class:`_Builder`), on a grid of whole days from
the programme start:

* each crew rotation (:mod:`stationplan.ops.crew`) is one flight of a crew vehicle with the
  seats it needs, launched on a day that vehicle has a launch window to the station (the
  windows layer), docked from launch + its rendezvous days until the next rotation of its
  group has docked and handed over; a one-year member flies home on the next rotation's
  vehicle, within the mission length (:meth:`_Builder.crew`);
* cargo flights per station are optional, ordered slots: each picks a cargo vehicle and a
  window; the stock of every carrier (pressurised, unpressurised, propellant) just before
  each arrival and at the end must stay at or above its reserve (:meth:`_Builder.cargo`);
* every docked vehicle holds one compatible port from docking to undocking plus the policy's
  turnaround gap (no overlap per port); crew aboard never exceed the station's capacity;
  each vehicle flies at most its yearly rate in every calendar year, and a partner's vehicle
  only while the partner is a member (:meth:`_Builder.ports_no_overlap`,
  :meth:`_Builder.crew_capacity`, :meth:`_Builder.flight_rates`);
* the objective is the policy's: cost, number of flights or port occupancy, then the
  crews' distance from their nominal dates (:meth:`_Builder.objective`).

Each family of constraints is switched on by an assumption literal (:meth:`_Builder.rule`),
so that an infeasible model can be explained (:mod:`stationplan.ops.manifest.explain`). Why
CP-SAT: the ports, windows and flight rates are disjunctive scheduling constraints, which a
MIP solver handles poorly and CP-SAT handles natively (interval variables, no-overlap,
cumulative).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from ortools.sat.python import cp_model

from stationplan.ops.assembly import StationBuild
from stationplan.ops.cargo_bound import (
    StationCargo,
    end_need_kg,
    monthly_cargo_bound,
    need_kg,
    total_cargo_bound,
)
from stationplan.ops.crew import Rotation
from stationplan.ops.flights import FlightRole
from stationplan.ops.manifest.problem import (
    CARRIERS,
    PROFILE_DAYS,
    STOCK_BUCKET_DAYS,
    ManifestProblem,
    Port,
    StationSupply,
    _capacities,
    _origin,
    day_of,
)
from stationplan.ops.manifest.reorder import _reorder_schedule
from stationplan.scenario.models import ManifestObjective, Scenario, Vehicle, VehicleRole

DEVIATION_WEIGHT = 1
"""Objective units per day a crew docks away from its nominal date (cost is in 0.1 MUSD)."""


@dataclass
class _Flight:
    """Solver variables of one flight."""

    key: str
    station: str
    role: FlightRole
    vehicles: list[Vehicle]
    x: dict[str, cp_model.IntVar]
    used: cp_model.IntVar
    launch: cp_model.IntVar
    dock: cp_model.IntVar
    undock: cp_model.IntVar
    ports: dict[Port, cp_model.IntVar]
    first_day: int
    last_day: int
    rotation: Rotation | None = None


class _Builder:
    """Builds the CP-SAT model of one manifest problem, stage by stage (solved by
    :func:`stationplan.ops.manifest.solve.solve_manifest`)."""

    def __init__(self, problem: ManifestProblem) -> None:
        self.p = problem
        self.sc = problem.scenario
        self.m = cp_model.CpModel()
        self.origin = _origin(self.sc)
        self.horizon = day_of(self.sc.programme.start_utc, self.sc.programme.end_utc) + 1
        self.assumptions: list[tuple[cp_model.IntVar, str]] = []
        self.flights: list[_Flight] = []
        self.ports = self._ports()
        # whole days on the grid, plus one: an undocking keeps its docking's time of day, so
        # two flights a whole-day gap apart may be up to a day closer in time
        self.gap = math.ceil(self.sc.policies.port_gap_days) + 1
        self.explanation: list[str] = []
        self.deviations: list[cp_model.IntVar] = []
        self.placed: set[str] = set()
        self.cargo_bound = 0.0
        self.crew_objective: float | None = None
        """Lower bound of the crew stage (its objective when solved to optimality)."""
        self.buckets: dict[str, cp_model.IntVar] = {}
        self.placed_ports: dict[str, dict[Port, tuple[int, int]]] = {}
        self.counted: set[str] = set()
        self.port_intervals: dict[Port, list[cp_model.IntervalVar]] = {}
        self.per_vehicle_year: dict[tuple[str, int], list[cp_model.IntVar]] = {}
        self.fixed_launches: list[tuple[str, int]] = []
        """(vehicle, launch day) of the flights held by :meth:`fix` (the crew stage's)."""

    # ------------------------------------------------------------------ helpers

    def rule(self, message: str) -> cp_model.IntVar:
        """A new assumption literal that switches on a family of constraints."""
        lit = self.m.new_bool_var(message[:40])
        self.assumptions.append((lit, message))
        return lit

    def _ports(self) -> list[Port]:
        ports = []
        for st in self.sc.stations:
            for module in st.modules:
                start = 0
                if module.launch_utc is not None:
                    start = max(0, day_of(self.sc.programme.start_utc, module.launch_utc) + 1)
                for port in module.docking_ports:
                    ports.append(Port(st.name, port.name, port.port_type, start))
        return ports

    def _days(self, vehicle: Vehicle, station: str, lo: int, hi: int) -> list[int]:
        """Days in [lo, hi] the vehicle can launch to the station (window, membership of its
        operator and of the partner that purchases its flights, if any)."""
        days = self.p.opportunities.get((vehicle.name, station), {})
        member = self._member_days(vehicle.operator)
        buyer = self._member_days(vehicle.purchased_by or vehicle.operator)
        return sorted(d for d in days if lo <= d <= hi and member(d) and buyer(d))

    def _member_days(self, code: str) -> Callable[[int], bool]:
        partner = next((p for p in self.sc.partners if p.code == code), None)
        if partner is None:
            return lambda _d: True
        first = day_of(self.sc.programme.start_utc, partner.join_utc)
        last = (
            self.horizon
            if partner.withdraw_utc is None
            else day_of(self.sc.programme.start_utc, partner.withdraw_utc) - 1
        )
        return lambda d: first <= d <= last

    def _flight_vars(
        self,
        key: str,
        station: str,
        role: FlightRole,
        vehicles: list[Vehicle],
        lo: int,
        hi: int,
        optional: bool,
    ) -> _Flight | None:
        allowed = {v.name: self._days(v, station, lo, hi) for v in vehicles}
        vehicles = [v for v in vehicles if allowed[v.name]]
        if not vehicles:
            return None
        m = self.m
        days = sorted({d for v in vehicles for d in allowed[v.name]})
        launch = m.new_int_var_from_domain(cp_model.Domain.from_values(days), f"launch {key}")
        used = m.new_bool_var(f"used {key}") if optional else m.new_constant(1)
        x = {v.name: m.new_bool_var(f"{key} on {v.name}") for v in vehicles}
        m.add(sum(x.values()) == used)
        for v in vehicles:
            m.add_linear_expression_in_domain(
                launch, cp_model.Domain.from_values(allowed[v.name])
            ).only_enforce_if(x[v.name])
        offset = sum(PROFILE_DAYS[v.rendezvous_strategy.value] * x[v.name] for v in vehicles)
        dock = m.new_int_var(0, self.horizon + 4, f"dock {key}")
        m.add(dock == launch + offset)
        undock = m.new_int_var(0, self.horizon + 800, f"undock {key}")
        f = _Flight(
            key, station, role, vehicles, x, used, launch, dock, undock, {}, days[0], days[-1]
        )
        self._assign_port(f)
        self.flights.append(f)
        return f

    def _assign_port(self, f: _Flight) -> None:
        m = self.m
        candidates = [
            q
            for q in self.ports
            if q.station == f.station
            and any(q.port_type in v.compatible_port_types for v in f.vehicles)
        ]
        lit = self.rule(f"port for {f.key}")
        for q in candidates:
            p = m.new_bool_var(f"{f.key} at {q.name}")
            fits = [f.x[v.name] for v in f.vehicles if q.port_type in v.compatible_port_types]
            m.add(p <= sum(fits))
            m.add(f.dock >= q.from_day).only_enforce_if(p)
            f.ports[q] = p
        m.add(sum(f.ports.values()) == f.used).only_enforce_if(lit)

    # ------------------------------------------------------------------ crew

    def crew(self) -> None:
        crew = self.sc.crew
        if crew is None:
            return
        start = self.sc.programme.start_utc
        tol = math.ceil(crew.increment_tolerance_days)
        overlap = math.ceil(crew.handover_overlap_days)
        by_label: dict[str, _Flight] = {}
        for r in self.p.skeleton.rotations:
            nominal = day_of(start, r.nominal_dock_utc)
            vehicles = [
                v
                for v in self.sc.vehicles
                if v.role is not VehicleRole.CARGO and v.crew_seats >= r.seats_needed
            ]
            lo, hi = max(0, nominal - 2 * tol - 3), min(self.horizon - 1, nominal + 2 * tol)
            f = self._flight_vars(
                f"crew {r.label}", r.station, FlightRole.CREW, vehicles, lo, hi, False
            )
            if f is None:
                self.explanation.append(
                    f"crew rotation {r.label} to {r.station} needs a crew vehicle with "
                    f"{r.seats_needed} seats, launched by a member of the programme within "
                    f"{2 * tol} days of {r.nominal_dock_utc:%Y-%m-%d}, and none has a launch "
                    "window then"
                )
                continue
            f.rotation = r
            by_label[r.label] = f
            least = math.floor(crew.increment_days - tol) + overlap
            if all(v.docked_duration_days < least for v in f.vehicles):
                limits = ", ".join(f"{v.name} {v.docked_duration_days:g}" for v in f.vehicles)
                self.explanation.append(
                    f"crew rotation {r.label} stays aboard {r.station} at least {least} days "
                    "(the increment less its tolerance, plus a handover), but no crew vehicle "
                    f"with {r.seats_needed} seats may stay docked that long as its lifeboat "
                    f"({limits} days)"
                )
            dev = self.m.new_int_var(0, 4 * tol + 10, f"dev {r.label}")
            self.m.add_abs_equality(dev, f.dock - nominal)
            self.deviations.append(dev)
            # the vehicle is the crew's lifeboat: it may not stay beyond its certified limit
            lit = self.rule(f"lifeboat limit {r.label}")
            for v in f.vehicles:
                limit = math.floor(v.docked_duration_days)
                self.m.add(f.undock - f.dock <= limit).only_enforce_if([lit, f.x[v.name]])
            lit = self.rule(f"increment length {r.label}")
            self.m.add(f.undock - f.dock >= math.floor(crew.increment_days - tol)).only_enforce_if(
                lit
            )
            self.m.add(f.dock >= nominal - 2 * tol).only_enforce_if(lit)
            self.m.add(f.dock <= nominal + 2 * tol).only_enforce_if(lit)
        for r in self.p.skeleton.rotations:
            f = by_label.get(r.label)
            if f is None:
                continue
            nxt = next(
                (
                    by_label[q.label]
                    for q in self.p.skeleton.rotations
                    if q.group == r.group and q.index == r.index + 1 and q.label in by_label
                ),
                None,
            )
            end = day_of(start, r.nominal_undock_utc)
            if nxt is not None and nxt.station == f.station:
                lit = self.rule(f"handover {r.label}")
                self.m.add(f.undock >= nxt.dock + overlap).only_enforce_if(lit)
                self.m.add(f.undock <= nxt.dock + overlap + 3).only_enforce_if(lit)
                if nxt.rotation is not None and nxt.rotation.return_target_days is not None:
                    target = math.floor(nxt.rotation.return_target_days)
                    slack = min(tol, 14)
                    lit = self.rule(f"one-year mission {r.label}")
                    self.m.add(nxt.undock - f.dock >= target - slack).only_enforce_if(lit)
                    self.m.add(nxt.undock - f.dock <= target + slack).only_enforce_if(lit)
            else:
                lit = self.rule(f"service end {r.label}")
                self.m.add(f.undock <= end).only_enforce_if(lit)
                self.m.add(f.undock >= min(end, self.horizon - 1) - 3).only_enforce_if(lit)

    # ------------------------------------------------------------------ cargo

    def cargo(self) -> None:
        total_bound = 0.0
        monthly: list[StationCargo] = []
        for st in self.sc.stations:
            supply = self.p.supply.get(st.name)
            if supply is None:
                continue
            vehicles = [v for v in self.sc.vehicles if v.role is not VehicleRole.CREW]
            caps = {v.name: _capacities(v) for v in vehicles}
            demand = {c: np.asarray(supply.demand_kg_per_day[c], float) for c in CARRIERS}
            need = {c: max(0.0, float(demand[c].sum()) - supply.initial_kg[c]) for c in CARRIERS}
            slots = 0
            for c in CARRIERS:
                best = max((caps[v.name][c] for v in vehicles), default=0.0)
                least = min((caps[v.name][c] for v in vehicles if caps[v.name][c] > 0), default=0.0)
                if need[c] > 0 and best <= 0:
                    self.explanation.append(
                        f"{st.name} needs {need[c]:,.0f} kg of {c} cargo and no cargo vehicle "
                        f"carries {c} cargo"
                    )
                    return
                if least > 0:  # room for each carrier's flights on its smallest vehicle
                    slots += math.ceil(1.3 * need[c] / least) + 1
            years = self.horizon / 365.25
            slots = min(slots, math.ceil(sum(v.max_flights_per_year for v in vehicles) * years))
            active = np.flatnonzero(sum(demand.values()) > 0)
            if slots == 0 or active.size == 0:
                total_bound += total_cargo_bound(vehicles, caps, need, years)
                continue
            lo, hi = max(0, int(active[0]) - 400), int(active[-1])
            total_bound += total_cargo_bound(vehicles, caps, need, years)
            monthly.append(
                StationCargo(
                    st.name,
                    {v.name: self._days(v, st.name, lo, hi) for v in vehicles},
                    supply.initial_kg,
                    {c: need_kg(demand[c], supply.reserve_kg[c], self.horizon) for c in CARRIERS},
                    {
                        c: end_need_kg(demand[c], supply.reserve_kg[c], self.horizon)
                        for c in CARRIERS
                    },
                )
            )
            chain: list[_Flight] = []
            for j in range(slots):
                f = self._flight_vars(
                    f"cargo {st.name} {j + 1}", st.name, FlightRole.CARGO, vehicles, lo, hi, True
                )
                if f is None:
                    self.explanation.append(
                        f"no cargo vehicle has a launch window to {st.name} between "
                        f"{self.origin + timedelta(days=lo):%Y-%m-%d} and "
                        f"{self.origin + timedelta(days=hi):%Y-%m-%d}"
                    )
                    return
                self.m.add(
                    f.undock
                    == f.dock + sum(round(v.docked_duration_days) * f.x[v.name] for v in f.vehicles)
                )
                if chain:
                    self.m.add(f.launch >= chain[-1].launch)
                    self.m.add(f.used <= chain[-1].used)
                chain.append(f)
            self._stock(st.name, chain, caps, supply)
            self._hint(chain, self._reorder(st.name, vehicles, supply, lo))
        used: dict[tuple[str, int], int] = {}
        for name, day in self.fixed_launches:
            key = (name, (self.origin + timedelta(days=day)).year)
            used[key] = used.get(key, 0) + 1
        cargo_vehicles = [v for v in self.sc.vehicles if v.role is not VehicleRole.CREW]
        caps_all = {v.name: _capacities(v) for v in cargo_vehicles}
        self.cargo_bound = max(
            total_bound,
            monthly_cargo_bound(monthly, cargo_vehicles, caps_all, self.origin, used),
        )

    def _reorder(
        self, station: str, vehicles: list[Vehicle], supply: StationSupply, lo: int
    ) -> list[tuple[Vehicle, int, Port]]:
        """The reorder-point schedule (:func:`~stationplan.ops.manifest.reorder._reorder_schedule`)
        of a station's cargo from day ``lo``, around the flights placed so far."""
        busy: dict[Port, list[tuple[int, int]]] = {}
        for f in self.flights:  # the placed crew flights
            for q, (a, z) in self.placed_ports.get(f.key, {}).items():
                busy.setdefault(q, []).append((a, z))
        days = {v.name: self._days(v, station, lo, self.horizon - 1) for v in vehicles}
        return _reorder_schedule(
            station, vehicles, supply, days, self.ports, busy, self.origin, self.horizon, self.gap
        )

    def _hint(self, chain: list[_Flight], schedule: list[tuple[Vehicle, int, Port]]) -> None:
        """Start the search from a reorder-point schedule (a complete, usually feasible one)."""
        m = self.m
        last = None
        for j, f in enumerate(chain):
            if j < len(schedule):
                v, day, port = schedule[j]
                if v.name not in f.x or port not in f.ports:
                    return
                m.add_hint(f.used, 1)
                m.add_hint(f.launch, day)
                for name, lit in f.x.items():
                    m.add_hint(lit, int(name == v.name))
                for q, lit in f.ports.items():
                    m.add_hint(lit, int(q == port))
                last = day
            else:
                m.add_hint(f.used, 0)
                for lit in (*f.x.values(), *f.ports.values()):
                    m.add_hint(lit, 0)
                if last is not None and last in range(f.first_day, f.last_day + 1):
                    m.add_hint(f.launch, last)

    def _stock(
        self,
        station: str,
        chain: list[_Flight],
        caps: dict[str, dict[str, float]],
        supply: StationSupply,
    ) -> None:
        """Stock at or above reserve: what is aboard just before each arrival (the initial
        stock plus the earlier arrivals, less the demand so far) covers the reserve, and so
        does what is aboard at the end. Between arrivals the stock only falls, so this holds
        it on every day."""
        m = self.m
        for c in CARRIERS:
            demand = np.asarray(supply.demand_kg_per_day[c], float)[: self.horizon]
            if demand.sum() <= 0:
                continue
            reserve = np.asarray(supply.reserve_kg[c], float)[: self.horizon]
            daily = need_kg(demand, reserve, self.horizon)
            # the need on a coarse grid: the most a bucket of days asks (a small table keeps
            # the element constraints cheap; conservative within a bucket)
            pad = (-daily.size) % STOCK_BUCKET_DAYS
            buckets = np.pad(daily, (0, pad), mode="edge").reshape(-1, STOCK_BUCKET_DAYS)
            table = [math.ceil(v) for v in buckets.max(axis=1)]
            lit = self.rule(f"stock {station} {c}")
            delivered: list[cp_model.LinearExprT] = []
            s0 = int(supply.initial_kg[c])
            for f in chain:
                bucket = self.bucket_of(f)
                need = m.new_int_var(0, max(table), f"need {f.key} {c}")
                m.add_element(bucket, table, need)
                m.add(s0 + sum(delivered) >= need).only_enforce_if([lit, f.used])
                delivered.append(sum(int(caps[v.name][c]) * f.x[v.name] for v in f.vehicles))
            end_need = max(math.ceil(end_need_kg(demand, reserve, self.horizon)), max(table))
            m.add(s0 + sum(delivered) >= end_need).only_enforce_if(lit)

    def bucket_of(self, f: _Flight) -> cp_model.IntVar:
        """The flight's docking day divided by :data:`STOCK_BUCKET_DAYS` (one per flight)."""
        found = self.buckets.get(f.key)
        if found is None:
            found = self.m.new_int_var(0, (self.horizon + 5) // STOCK_BUCKET_DAYS, f"b {f.key}")
            self.m.add_division_equality(found, f.dock, STOCK_BUCKET_DAYS)
            self.buckets[f.key] = found
        return found

    # ------------------------------------------------------------------ shared

    def ports_no_overlap(self) -> None:
        """One vehicle per port at a time, with the turnaround gap (flights added since the
        last call get their intervals; the no-overlap covers every flight so far)."""
        m = self.m
        for f in self.flights:
            if f.key in self.placed:
                continue
            self.placed.add(f.key)
            for q, p in f.ports.items():
                end = m.new_int_var(0, self.horizon + 900, f"end {f.key} {q.name}")
                m.add(end == f.undock + self.gap).only_enforce_if(p)
                size = m.new_int_var(0, 900, f"size {f.key} {q.name}")
                m.add(size == end - f.dock).only_enforce_if(p)
                self.port_intervals.setdefault(q, []).append(
                    m.new_optional_interval_var(f.dock, size, end, p, f"{f.key} at {q.name}")
                )
        for intervals in self.port_intervals.values():
            if len(intervals) > 1:
                m.add_no_overlap(intervals)

    def crew_capacity(self) -> None:
        m = self.m
        for st, build in zip(self.sc.stations, self.p.builds, strict=True):
            crew = [f for f in self.flights if f.rotation is not None and f.station == st.name]
            if not crew or not build.steps:
                continue
            cap_max = build.final_crew_capacity
            slack = m.new_int_var(0, 100, f"capacity slack {st.name}")
            lit = self.rule(f"crew capacity {st.name}")
            m.add(slack == 0).only_enforce_if(lit)
            intervals, demands = [], []
            by_label = {f.rotation.label: f for f in crew if f.rotation is not None}
            for f in crew:
                r = f.rotation
                assert r is not None
                size = m.new_int_var(0, 900, f"stay {f.key}")
                m.add(size == f.undock - f.dock)
                intervals.append(m.new_interval_var(f.dock, size, f.undock, f"aboard {f.key}"))
                demands.append(len(r.up) - len(r.one_year_up))
                if r.one_year_up:
                    nxt = next(
                        (
                            g
                            for g in by_label.values()
                            if g.rotation is not None
                            and g.rotation.group == r.group
                            and g.rotation.index == r.index + 1
                        ),
                        None,
                    )
                    end = nxt.undock if nxt is not None else f.undock
                    size1 = m.new_int_var(0, 1200, f"one-year stay {f.key}")
                    m.add(size1 == end - f.dock)
                    intervals.append(m.new_interval_var(f.dock, size1, end, f"1y {f.key}"))
                    demands.append(len(r.one_year_up))
            # capacity grows with assembly: block what is not built yet
            for step_from, step_to, cap in _capacity_periods(build, self.sc, self.horizon):
                if cap < cap_max and step_to > step_from:
                    intervals.append(
                        m.new_fixed_size_interval_var(step_from, step_to - step_from, "not built")
                    )
                    demands.append(cap_max - cap)
            m.add_cumulative(intervals, demands, cap_max + slack)

    def flight_rates(self) -> None:
        m = self.m
        start_year = self.sc.programme.start_utc.year
        years = list(range(start_year, self.sc.programme.end_utc.year + 1))
        bounds = []
        for y in years:
            a = max(0, day_of(self.sc.programme.start_utc, datetime(y, 1, 1, tzinfo=UTC)))
            b = day_of(self.sc.programme.start_utc, datetime(y + 1, 1, 1, tzinfo=UTC)) - 1
            bounds.append((y, a, b))
        for f in self.flights:
            if f.key in self.counted:
                continue
            self.counted.add(f.key)
            in_year = []
            for y, a, b in bounds:
                if f.first_day > b or f.last_day < a:
                    continue
                yb = m.new_bool_var(f"{f.key} in {y}")
                m.add(f.launch >= a).only_enforce_if(yb)
                m.add(f.launch <= b).only_enforce_if(yb)
                in_year.append(yb)
                for v in f.vehicles:
                    w = m.new_bool_var(f"{f.key} {v.name} {y}")
                    m.add(w >= f.x[v.name] + yb - 1)
                    self.per_vehicle_year.setdefault((v.name, y), []).append(w)
            m.add(sum(in_year) == f.used)
        per_vehicle_year = self.per_vehicle_year
        rates = {v.name: v.max_flights_per_year for v in self.sc.vehicles}
        for (name, y), ws in per_vehicle_year.items():
            limit = math.floor(rates[name])
            if len(ws) > limit:
                lit = self.rule(f"rate {name} {y}")
                m.add(sum(ws) <= limit).only_enforce_if(lit)

    def fix(self, solver: cp_model.CpSolver) -> None:
        """Hold every flight placed so far where ``solver`` put it."""
        for f in self.flights:
            dock, undock = solver.value(f.dock), solver.value(f.undock)
            if solver.value(f.used):
                name = next(v for v, lit in f.x.items() if solver.value(lit))
                self.fixed_launches.append((name, solver.value(f.launch)))
            self.placed_ports[f.key] = {
                q: (dock, undock + self.gap) for q, p in f.ports.items() if solver.value(p)
            }
            for var in (f.used, f.launch, f.dock, f.undock, *f.x.values(), *f.ports.values()):
                self.m.add(var == solver.value(var))

    def objective(self) -> ManifestObjective:
        kind = self.sc.policies.manifest_objective
        primary: list[cp_model.LinearExpr] = []
        for f in self.flights:
            for v in f.vehicles:
                if kind is ManifestObjective.COST:
                    primary.append(round(v.cost_per_flight_musd * 10) * f.x[v.name])
                elif kind is ManifestObjective.FLIGHTS:
                    primary.append(1000 * f.x[v.name])
            if kind is ManifestObjective.PORT_OCCUPANCY:
                primary.append(10 * (f.undock - f.dock))
        self.m.minimize(sum(primary) + DEVIATION_WEIGHT * sum(self.deviations))
        return kind


def _capacity_periods(
    build: StationBuild, scenario: Scenario, horizon: int
) -> list[tuple[int, int, int]]:
    """(from_day, to_day, crew capacity) over the grid as the station is assembled."""
    start = scenario.programme.start_utc
    periods: list[tuple[int, int, int]] = []
    current, since = 0, 0
    for step in build.steps:
        day = 0 if step.launch_utc is None else max(0, day_of(start, step.launch_utc) + 1)
        if day > since:
            periods.append((since, min(day, horizon), current))
            since = day
        current = step.crew_capacity
    periods.append((since, horizon + 1200, current))
    return [(a, b, c) for a, b, c in periods if b > a]
