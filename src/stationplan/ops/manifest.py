"""The flight manifest: crew rotations and cargo flights placed in launch windows and on
docking ports by a constraint-programming solver (OR-Tools CP-SAT).

The model, on a grid of whole days from the programme start:

* each crew rotation (:mod:`stationplan.ops.crew`) is one flight of a crew vehicle with the
  seats it needs, launched on a day that vehicle has a launch window to the station (the
  windows layer), docked from launch + its rendezvous days until the next rotation of its
  group has docked and handed over; a one-year member flies home on the next rotation's
  vehicle, within the mission length;
* cargo flights per station are optional, ordered slots: each picks a cargo vehicle and a
  window; the stock of every carrier (pressurised, unpressurised, propellant) just before
  each arrival and at the end must stay at or above its reserve;
* every docked vehicle holds one compatible port from docking to undocking plus the policy's
  turnaround gap (no overlap per port); crew aboard never exceed the station's capacity;
  each vehicle flies at most its yearly rate in every calendar year, and a partner's vehicle
  only while the partner is a member;
* the objective is the policy's: cost, number of flights or port occupancy, then the
  crews' distance from their nominal dates.

Each family of constraints is switched on by an assumption literal. When the model is
infeasible, CP-SAT's sufficient set of assumptions names the rules that cannot hold together,
and the explanation says so in a planner's words. Why CP-SAT: the ports, windows and flight
rates are disjunctive scheduling constraints, which a MIP solver handles poorly and CP-SAT
handles natively (interval variables, no-overlap, cumulative).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model
from pydantic import BaseModel, Field

from stationplan.ops.assembly import StationBuild
from stationplan.ops.cargo_bound import (
    StationCargo,
    end_need_kg,
    monthly_cargo_bound,
    need_kg,
    total_cargo_bound,
)
from stationplan.ops.crew import CrewSkeleton, Rotation
from stationplan.ops.flights import CrewMember, Flight, FlightRole
from stationplan.orbit.arrays import Array
from stationplan.orbit.launch import WindowRecord
from stationplan.scenario.models import ManifestObjective, Scenario, Vehicle, VehicleRole

CARRIERS = ("pressurized", "unpressurized", "propellant")
"""What cargo flights carry: pressurised and unpressurised cargo, propellant for the tanks."""

PROFILE_DAYS = {"2orbit": 0, "4orbit": 0, "1day": 1, "2day": 2, "3day": 3}
"""Whole days from launch to docking used on the day grid (exact times come from the window)."""

STOCK_BUCKET_DAYS = 7
"""Days per step of the stock check's table (the need of a step is that of its last day)."""

DEVIATION_WEIGHT = 1
"""Objective units per day a crew docks away from its nominal date (cost is in 0.1 MUSD)."""


@dataclass(frozen=True)
class Opportunity:
    """A launch on one day of the grid: the day's first window whose phase suits the
    vehicle's own rendezvous profile."""

    site: str
    launch_utc: datetime
    docking_utc: datetime


@dataclass(frozen=True)
class StationSupply:
    """One station's supply side for the solver: demand per carrier per day (kg/day, over the
    day grid), the stock aboard at the programme start (kg) and the reserve per day (kg)."""

    demand_kg_per_day: dict[str, Array]
    initial_kg: dict[str, float]
    reserve_kg: dict[str, Array]


@dataclass
class ManifestProblem:
    """Everything the solver needs."""

    scenario: Scenario
    builds: list[StationBuild]
    skeleton: CrewSkeleton
    opportunities: dict[tuple[str, str], dict[int, Opportunity]]
    """(vehicle, station) -> day -> opportunity."""
    supply: dict[str, StationSupply] = field(default_factory=dict)
    """Station -> supply; a station without an entry gets no cargo flights."""
    supply_for: Callable[[list[CrewMember]], dict[str, StationSupply]] | None = None
    """If given, the supply is recomputed from the crew as placed by the crew stage (the
    demand follows the crew actually aboard), replacing ``supply``."""


class SolverReport(BaseModel):
    """How the solver ended."""

    status: str = Field(description="OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN or NOT_RUN.")
    objective: str = Field(description="What was minimised.")
    objective_value: float | None
    best_bound: float | None
    gap_pct: float | None = Field(description="(objective - bound) / objective, in %.")
    wall_time_s: float
    variables: int
    constraints: int


class Manifest(BaseModel):
    """The flights, the crew members they carry and how the solver ended."""

    flights: list[Flight]
    crew: list[CrewMember]
    solver: SolverReport
    explanation: list[str] = Field(
        default_factory=list, description="Why no manifest exists, in planner's words."
    )
    notes: list[str] = Field(default_factory=list)
    cost_musd: float = Field(default=0.0, description="Cost of all fleet flights (MUSD).")


def day_of(start: datetime, when: datetime) -> int:
    """Whole days from the programme start's midnight (UTC) to ``when``."""
    origin = datetime(start.year, start.month, start.day, tzinfo=UTC)
    return (when - origin) // timedelta(days=1)


def _origin(scenario: Scenario) -> datetime:
    s = scenario.programme.start_utc
    return datetime(s.year, s.month, s.day, tzinfo=UTC)


@dataclass(frozen=True)
class Port:
    station: str
    name: str
    port_type: str
    from_day: int


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
    """Builds and solves the CP-SAT model of one manifest problem."""

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
        """Days in [lo, hi] the vehicle can launch to the station (window, membership)."""
        days = self.p.opportunities.get((vehicle.name, station), {})
        member = self._member_days(vehicle.operator)
        return sorted(d for d in days if lo <= d <= hi and member(d))

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
            self._hint(chain, _reorder_schedule(self, st.name, vehicles, supply, lo))
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


def _reorder_schedule(
    b: _Builder, station: str, vehicles: list[Vehicle], supply: StationSupply, lo: int
) -> list[tuple[Vehicle, int, Port]]:
    """A reorder-point cargo schedule: whenever a carrier's projected stock would fall below
    its reserve, the vehicle that carries it at least cost per kg is launched on the latest
    window that docks in time on a free port within its yearly rate (the earliest after, if
    none does). Used as the solver's starting point, not as the answer."""
    horizon = b.horizon
    demand = {c: np.asarray(supply.demand_kg_per_day[c], float)[:horizon] for c in CARRIERS}
    reserve = {c: np.asarray(supply.reserve_kg[c], float)[:horizon] for c in CARRIERS}
    delivered = {c: np.zeros(horizon + 1) for c in CARRIERS}
    busy: dict[Port, list[tuple[int, int]]] = {}
    for f in b.flights:  # the placed crew flights
        for q, (a, z) in b.placed_ports.get(f.key, {}).items():
            busy.setdefault(q, []).append((a, z))
    rates: dict[tuple[str, int], int] = {}
    year_of = np.array([(b.origin + timedelta(days=d)).year for d in range(horizon + 40)])
    caps = {v.name: _capacities(v) for v in vehicles}
    days = {v.name: b._days(v, station, lo, horizon - 1) for v in vehicles}
    cum = {c: np.concatenate([[0.0], np.cumsum(demand[c])]) for c in CARRIERS}
    schedule: list[tuple[Vehicle, int, Port]] = []
    for _ in range(500):
        stock = {
            c: supply.initial_kg[c] + np.cumsum(delivered[c])[:horizon] - cum[c][1:]
            for c in CARRIERS
        }
        short = {c: np.flatnonzero(stock[c] < reserve[c]) for c in CARRIERS}
        breach = {c: int(v[0]) for c, v in short.items() if v.size}
        if not breach:
            break
        carrier = min(breach, key=lambda c: breach[c])
        when = breach[carrier]
        best: tuple[float, Vehicle, int, Port] | None = None
        for v in vehicles:
            if caps[v.name][carrier] <= 0:
                continue
            off = PROFILE_DAYS[v.rendezvous_strategy.value]
            stay = round(v.docked_duration_days) + b.gap
            ports = [
                q
                for q in b.ports
                if q.station == station and q.port_type in v.compatible_port_types
            ]
            ok_days = [
                d
                for d in days[v.name]
                if rates.get((v.name, year_of[d]), 0) < math.floor(v.max_flights_per_year)
            ]
            margin = when - STOCK_BUCKET_DAYS - 1  # the solver checks the stock by bucket
            before = [d for d in ok_days if d + off < margin][::-1]
            after = [d for d in ok_days if d + off >= margin]
            for d in before[:60] + after[:60]:
                dock = d + off
                free = next(
                    (
                        q
                        for q in ports
                        if dock >= q.from_day
                        and all(dock + stay <= a or dock >= z for a, z in busy.get(q, []))
                    ),
                    None,
                )
                if free is not None:
                    late = 0.0 if dock < margin else 1e6 * (dock - margin + 1)
                    score = late + v.cost_per_flight_musd / caps[v.name][carrier]
                    if best is None or score < best[0]:
                        best = (score, v, d, free)
                    break
        if best is None:
            break
        _, v, d, q = best
        dock = d + PROFILE_DAYS[v.rendezvous_strategy.value]
        busy.setdefault(q, []).append((dock, dock + round(v.docked_duration_days) + b.gap))
        rates[(v.name, year_of[d])] = rates.get((v.name, year_of[d]), 0) + 1
        for c in CARRIERS:
            delivered[c][min(dock, horizon)] += caps[v.name][c]
        schedule.append((v, d, q))
    schedule.sort(key=lambda item: item[1])
    return schedule


def _capacities(v: Vehicle) -> dict[str, float]:
    reboost = v.reboost.propellant_kg if v.reboost is not None else 0.0
    return {
        "pressurized": v.pressurized_cargo_kg,
        "unpressurized": v.unpressurized_cargo_kg,
        "propellant": v.propellant_transfer_kg + reboost,
    }


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


# --------------------------------------------------------------------------- entry point


def opportunities(
    records: Sequence[tuple[str, Sequence[WindowRecord]]], vehicle: Vehicle, start: datetime
) -> dict[int, Opportunity]:
    """Launch days of ``vehicle`` from its sites' window series ((site, records) pairs): on
    each day, the first window whose insertion phase suits the vehicle's own profile."""
    own = vehicle.rendezvous_strategy.value
    days: dict[int, Opportunity] = {}
    for site, series in records:
        for record in series:
            option = next((o for o in record.feasible if o.strategy == own), None)
            if option is None:
                continue
            launch = record.window.launch_utc
            day = day_of(start, launch)
            if day not in days or launch < days[day].launch_utc:
                days[day] = Opportunity(site, launch, record.docking_utc(option))
    return days


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
