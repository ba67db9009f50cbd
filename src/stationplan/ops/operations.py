"""Operations of a scenario: crew plan, manifest, logistics, power and risk, in one use case.

The steps, on a daily grid from the programme start (day 0 at its midnight, UTC):

1. the crew plan (:mod:`stationplan.ops.crew`) gives rotations and the crew aboard each day
   as planned, which sizes each station's demand per class of supply
   (:mod:`stationplan.ops.supply`) and so per carrier;
2. the manifest (:mod:`stationplan.ops.manifest`) places crew and cargo flights in the launch
   windows the plan has computed, on ports, keeping every carrier above its reserve;
3. logistics (:mod:`stationplan.ops.logistics`, :mod:`stationplan.ops.mass_balance`) allocates
   each flight's cargo to the classes with the crew as flown and follows the daily stock;
4. power (:mod:`stationplan.ops.power`) follows each day's array output and battery with the
   station's beta angle, altitude and crew;
5. risk (:mod:`stationplan.ops.risk`) runs the Monte Carlo of slips and losses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from pydantic import BaseModel, Field

from stationplan.ops.assembly import StationBuild, configuration_at
from stationplan.ops.crew import CrewSkeleton, Rotation, plan_crew
from stationplan.ops.flights import CrewMember
from stationplan.ops.launch_record import embedded_loss_table
from stationplan.ops.lifetime import StationLifetime
from stationplan.ops.logistics import FlightAllocation, allocate_cargo, deliveries_kg
from stationplan.ops.manifest import (
    CARRIERS,
    Manifest,
    ManifestProblem,
    Opportunity,
    StationSupply,
    day_of,
    solve_manifest,
)
from stationplan.ops.mass_balance import (
    ClassBalance,
    Gap,
    gap_report,
    mass_balance,
    trash_balance,
)
from stationplan.ops.power import PowerBudget, power_budget
from stationplan.ops.risk import (
    RiskResult,
    SupplyDemand,
    carrier_deliveries,
    run_risk,
    slip_sensitivity,
    vehicle_risks,
)
from stationplan.ops.station_orbit import StationOrbit
from stationplan.ops.supply import (
    UPMASS_CLASSES,
    DemandModel,
    carrier_matrix,
    daily_demand,
    demand_model,
)
from stationplan.scenario.models import Scenario

DEFAULT_RISK_RUNS = 1000
"""Monte Carlo runs in ``stationplan run`` (``stationplan risk --runs`` for more)."""

DEFAULT_RISK_SEED = 2015

SAMPLE_EVERY_DAYS = 7
"""Stock series in the plan are kept once a week (the mass balance itself is daily)."""


class ClassStock(BaseModel):
    """One class of supply's stock and reserve, sampled weekly (kg)."""

    supply_class: str
    stock_kg: list[float]
    reserve_kg: list[float]


class StationLogistics(BaseModel):
    """Supplies of one station: weekly stock per class, summaries, gaps, allocations."""

    station: str
    days_utc: list[datetime] = Field(description="Sample days (weekly).")
    crew_aboard: list[float] = Field(description="Crew aboard on each sample day.")
    classes: list[ClassStock]
    summaries: list[ClassBalance]
    gaps: list[Gap] = Field(
        description="Per quarter and class, the deepest shortfall below reserve (kg)."
    )
    allocations: list[FlightAllocation]
    trash_removed_kg: float
    trash_left_kg: float = Field(description="Trash aboard at the end (kg).")


class RiskMargin(BaseModel):
    """Distribution over runs of one class's smallest margin (days of supply above reserve)."""

    supply_class: str
    p_reserve_break: float
    percentiles_days: list[tuple[float, float]]
    bin_edges_days: list[float]
    counts: list[int]


class SlipCase(BaseModel):
    """The first reserve break if one cargo flight slips alone."""

    flight: str
    slip_days: float
    first_break_utc: datetime | None
    supply_class: str | None


class RiskSummary(BaseModel):
    """Monte Carlo of launch slips and losses of the manifest."""

    runs: int
    seed: int
    station: str
    p_any_reserve_break: float
    p_crew_reduction: float
    p_lifeboat_break: float
    mean_flights_lost: float
    loss_probability: dict[str, float] = Field(description="Per vehicle, from the record.")
    margins: list[RiskMargin]
    slip_30_days: list[SlipCase]


class Operations(BaseModel):
    """The operations part of the plan."""

    rotations: list[Rotation]
    crew_groups: list[list[str]]
    manifest: Manifest
    logistics: list[StationLogistics]
    power: list[PowerBudget]
    risk: list[RiskSummary]
    notes: list[str] = Field(default_factory=list)


@dataclass
class OperationsInputs:
    """What the rest of the plan has computed that operations need."""

    scenario: Scenario
    builds: list[StationBuild]
    opportunities: dict[tuple[str, str], dict[int, Opportunity]]
    lifetimes: list[StationLifetime]
    orbits: list[StationOrbit]
    avoidance_propellant_kg_per_day: dict[str, float] = field(default_factory=dict)
    """Expected collision-avoidance propellant per station (kg/day), added to its reboosts'."""


def _grid(sc: Scenario) -> tuple[datetime, int]:
    s = sc.programme.start_utc
    origin = datetime(s.year, s.month, s.day, tzinfo=UTC)
    return origin, day_of(s, sc.programme.end_utc) + 1


def _crew_nominal(skeleton: CrewSkeleton, station: str, start: datetime, days: int) -> np.ndarray:
    """Crew aboard each day as planned (nominal dates): each rotation's members from its
    docking to its undocking, a one-year member to the undocking of the next rotation."""
    crew = np.zeros(days)
    nxt = {(r.group, r.index): r for r in skeleton.rotations}
    for r in skeleton.rotations:
        if r.station != station:
            continue
        a = max(0, day_of(start, r.nominal_dock_utc))
        z = min(days, day_of(start, r.nominal_undock_utc))
        crew[a:z] += len(r.up) - len(r.one_year_up)
        home = nxt.get((r.group, r.index + 1))
        if r.one_year_up and home is not None:
            crew[a : min(days, day_of(start, home.nominal_undock_utc))] += len(r.one_year_up)
    return crew


def _crew_actual(
    members: Sequence[CrewMember], station: str, start: datetime, days: int
) -> np.ndarray:
    crew = np.zeros(days)
    for m in members:
        if m.station != station:
            continue
        a = max(0, day_of(start, m.arrival_utc))
        z = min(days, day_of(start, m.departure_utc))
        crew[a:z] += 1
    return crew


def _mass(build: StationBuild, origin: datetime, days: int) -> np.ndarray:
    out = np.zeros(days)
    for d in range(0, days, 7):
        config = configuration_at(build, origin + timedelta(days=d))
        out[d : d + 7] = config.station_mass_kg if config is not None else build.start_mass_kg
    return out


def _propellant(life: StationLifetime | None, origin: datetime, days: int) -> np.ndarray:
    """Reboost propellant per day: each reboost's propellant spread over the days since the
    previous one (the station burns it at that average rate)."""
    out = np.zeros(days)
    if life is None:
        return out
    last = max(0, day_of(origin, life.start_utc))
    for r in life.reboosts:
        d = min(days, max(0, day_of(origin, r.time_utc)) + 1)
        if d > last:
            out[last:d] += r.propellant_kg / (d - last)
            last = d
    return out


def _demand(
    model: DemandModel,
    crew: np.ndarray,
    build: StationBuild,
    life: StationLifetime | None,
    origin: datetime,
    days: int,
    avoidance_kg_per_day: float = 0.0,
) -> np.ndarray:
    """(C, D) demand per class while the station is crewed: the crew's, the station's
    (leakage, spares by mass), its reboost propellant and its expected collision-avoidance
    propellant; nothing while uncrewed."""
    crewed = crew > 0
    mass = _mass(build, origin, days)
    prop = _propellant(life, origin, days) + avoidance_kg_per_day
    demand = daily_demand(model, crew, mass * crewed, prop * crewed)
    demand[:, ~crewed] = 0.0
    return demand


def _station_supply(
    sc: Scenario,
    demand: np.ndarray,
    initial: np.ndarray,
) -> StationSupply:
    """The solver's supply side per carrier, with a reserve that keeps every class's reserve.

    The solver sees carriers, not classes: a carrier's stock is the sum of its classes'. The
    surplus of one class aboard at the start (water, say) cannot feed another (food), so a
    carrier reserve of the classes' reserves summed would let food fall below its reserve
    while the pressurised total holds. The reserve given to the solver is the effective one

        reserve_k(t) = floor(initial_k) + sum_c max(0, need_c(t) - initial_c) - demand_k before t,

    with need_c(t) the running maximum of class c's demand before t plus its reserve: then the
    carrier's need less its (whole-kg) initial stock is sum_c max(0, need_c(t) - initial_c),
    the mass each class must receive by day t, and a manifest that meets it can be split among
    the classes (any kilogram of a carrier can be given to any of its classes, earliest need
    first). It is never more than 1 kg below the classes' reserves summed."""
    assert sc.consumables is not None
    class_reserve = sc.consumables.reserve_days * demand  # (C, D)
    before = np.cumsum(demand, axis=1) - demand  # demand before each day
    need = np.maximum.accumulate(before + class_reserve, axis=1)
    short = np.maximum(need - np.asarray(initial, float)[:, None], 0.0)
    init = carrier_matrix() @ initial
    per_carrier = carrier_matrix() @ demand  # (K, D)
    reserve = np.floor(init)[:, None] + carrier_matrix() @ short - carrier_matrix() @ before
    return StationSupply(
        demand_kg_per_day={c: per_carrier[k] for k, c in enumerate(CARRIERS)},
        initial_kg={c: float(init[k]) for k, c in enumerate(CARRIERS)},
        reserve_kg={c: reserve[k] for k, c in enumerate(CARRIERS)},
    )


def _initial_stock(sc: Scenario, demand: np.ndarray) -> np.ndarray:
    """Stock aboard at the start: ``initial_stock_days`` of the demand of the first crewed
    day (kg per class)."""
    assert sc.consumables is not None
    crewed = np.flatnonzero(demand.sum(axis=0) > 0)
    first = demand[:, int(crewed[0])] if crewed.size else np.zeros(demand.shape[0])
    return np.asarray(sc.consumables.initial_stock_days * first, dtype=float)


def plan_operations(
    inputs: OperationsInputs,
    risk_runs: int = DEFAULT_RISK_RUNS,
    risk_seed: int = DEFAULT_RISK_SEED,
    scheduler: str | None = None,
    say: Callable[[str], None] | None = None,
    manifest_time_limit_s: float | None = None,
) -> Operations:
    """Crew plan, manifest, logistics, power and risk of the scenario (module docstring)."""
    say = say or (lambda _step: None)
    sc = inputs.scenario
    origin, days = _grid(sc)
    say("crew plan")
    skeleton = plan_crew(sc, inputs.builds)
    model = demand_model(sc.consumables) if sc.consumables is not None else None
    demands: dict[str, np.ndarray] = {}
    initials: dict[str, np.ndarray] = {}

    def supply_for(members: list[CrewMember] | None) -> dict[str, StationSupply]:
        """Each crewed station's supply: demand from the crew aboard (as planned when
        ``members`` is None, else as placed), stock and reserve per carrier."""
        supply: dict[str, StationSupply] = {}
        for st, build in zip(sc.stations, inputs.builds, strict=True):
            if members is None:
                crew = _crew_nominal(skeleton, st.name, origin, days)
            else:
                crew = _crew_actual(members, st.name, origin, days)
            if model is None or not crew.any():
                continue
            demand = _demand(
                model,
                crew,
                build,
                _life(inputs, st.name),
                origin,
                days,
                inputs.avoidance_propellant_kg_per_day.get(st.name, 0.0),
            )
            demands[st.name] = demand
            if st.name not in initials:
                initials[st.name] = _initial_stock(sc, demand)
            supply[st.name] = _station_supply(sc, demand, initials[st.name])
        return supply

    say("flight manifest (CP-SAT)")
    manifest = solve_manifest(
        ManifestProblem(
            sc, inputs.builds, skeleton, inputs.opportunities, supply_for(None), supply_for
        ),
        time_limit_s=manifest_time_limit_s,
    )
    logistics: list[StationLogistics] = []
    risk: list[RiskSummary] = []
    notes: list[str] = []
    if model is not None and manifest.flights:
        say("logistics")
        for st in sc.stations:
            if st.name not in demands:
                continue
            logistics.append(
                _logistics(
                    sc,
                    st.name,
                    manifest,
                    model,
                    initials[st.name],
                    inputs,
                    origin,
                    days,
                )
            )
        say("risk (Monte Carlo)")
        for st in sc.stations:
            if st.name in demands:
                risk.append(
                    _risk(
                        sc,
                        st.name,
                        manifest,
                        demands[st.name],
                        initials[st.name],
                        origin,
                        risk_runs,
                        risk_seed,
                        scheduler,
                    )
                )
    say("power")
    power = _power(sc, inputs, manifest.crew, origin, days)
    return Operations(
        rotations=skeleton.rotations,
        crew_groups=skeleton.groups,
        manifest=manifest,
        logistics=logistics,
        power=power,
        risk=risk,
        notes=notes + skeleton.notes,
    )


def _logistics(
    sc: Scenario,
    station: str,
    manifest: Manifest,
    model: DemandModel,
    initial: np.ndarray,
    inputs: OperationsInputs,
    origin: datetime,
    days: int,
) -> StationLogistics:
    assert sc.consumables is not None
    flights = [f for f in manifest.flights if f.station == station]
    crew = _crew_actual(manifest.crew, station, origin, days)
    build = next(b for b in inputs.builds if b.station == station)
    demand = _demand(
        model,
        crew,
        build,
        _life(inputs, station),
        origin,
        days,
        inputs.avoidance_propellant_kg_per_day.get(station, 0.0),
    )
    reserve_days = sc.consumables.reserve_days
    allocations = allocate_cargo(flights, demand, origin, initial, reserve_days)
    delivered = deliveries_kg(allocations, days)
    balance = mass_balance(demand, delivered, initial, reserve_days)
    trash = trash_balance(flights, model.trash_kg_per_crew_day * crew, origin)
    sample = np.arange(0, days, SAMPLE_EVERY_DAYS)
    return StationLogistics(
        station=station,
        days_utc=[origin + timedelta(days=int(d)) for d in sample],
        crew_aboard=[float(c) for c in crew[sample]],
        classes=[
            ClassStock(
                supply_class=str(c.value),
                stock_kg=[round(float(v), 1) for v in balance.stock_kg[i, sample]],
                reserve_kg=[round(float(v), 1) for v in balance.reserve_kg[i, sample]],
            )
            for i, c in enumerate(UPMASS_CLASSES)
        ],
        summaries=balance.summaries(),
        gaps=gap_report(balance, origin),
        allocations=allocations,
        trash_removed_kg=round(sum(r.destroyed_kg + r.returned_kg for r in trash.removals), 1),
        trash_left_kg=round(float(trash.on_board_kg[-1]), 1) if days else 0.0,
    )


def _life(inputs: OperationsInputs, station: str) -> StationLifetime | None:
    return next((life for life in inputs.lifetimes if life.station == station), None)


def _risk(
    sc: Scenario,
    station: str,
    manifest: Manifest,
    demand: np.ndarray,
    initial: np.ndarray,
    origin: datetime,
    runs: int,
    seed: int,
    scheduler: str | None,
) -> RiskSummary:
    assert sc.consumables is not None
    flights = [f for f in manifest.flights if f.station == station and f.vehicle is not None]
    crew = [m for m in manifest.crew if m.station == station]
    # deliveries per class: each carrier's capacity shared among its classes as demanded
    share = np.zeros((demand.shape[0], len(CARRIERS)))
    totals = demand.sum(axis=1)
    for k in range(len(CARRIERS)):
        rows = carrier_matrix()[k] > 0
        total = totals[rows].sum()
        if total > 0:
            share[rows, k] = totals[rows] / total
    supply = SupplyDemand(
        class_names=tuple(str(c.value) for c in UPMASS_CLASSES),
        start_utc=origin,
        demand_kg_per_day=demand,
        initial_stock_kg=initial,
        reserve_kg=sc.consumables.reserve_days * demand,
        delivery_kg=carrier_deliveries(flights, share),
    )
    table = embedded_loss_table()
    risks = vehicle_risks(sc.vehicles, table)
    result: RiskResult = run_risk(flights, crew, supply, risks, runs, seed, scheduler)
    slips = slip_sensitivity(flights, supply)
    return RiskSummary(
        runs=result.runs,
        seed=result.seed,
        station=station,
        p_any_reserve_break=result.p_any_reserve_break,
        p_crew_reduction=result.p_crew_reduction,
        p_lifeboat_break=result.p_lifeboat_break,
        mean_flights_lost=result.mean_flights_lost,
        loss_probability={name: round(r.loss_probability, 4) for name, r in risks.items()},
        margins=[
            RiskMargin(
                supply_class=m.class_name,
                p_reserve_break=p,
                percentiles_days=list(m.percentiles_days),
                bin_edges_days=list(m.bin_edges_days),
                counts=list(m.counts),
            )
            for m, p in zip(result.margins, result.p_reserve_break, strict=True)
        ],
        slip_30_days=[
            SlipCase(
                flight=s.flight,
                slip_days=s.slip_days,
                first_break_utc=s.first_break_utc,
                supply_class=s.class_name,
            )
            for s in slips
        ],
    )


def _power(
    sc: Scenario,
    inputs: OperationsInputs,
    members: Sequence[CrewMember],
    origin: datetime,
    days: int,
) -> list[PowerBudget]:
    out = []
    for st, build, orbit, life in zip(
        sc.stations, inputs.builds, inputs.orbits, inputs.lifetimes, strict=True
    ):
        if not orbit.beta or not life.days_utc:
            continue
        day_list = [b.date_utc for b in orbit.beta]
        beta = np.array([b.beta_deg for b in orbit.beta])
        life_s = np.array([d.timestamp() for d in life.days_utc])
        alt = np.interp(
            [d.timestamp() for d in day_list], life_s, np.asarray(life.mean_altitude_km, float)
        )
        crew = _crew_actual(members, st.name, origin, days)
        idx = np.clip([day_of(origin, d) for d in day_list], 0, days - 1)
        out.append(power_budget(st, build, day_list, beta, alt, crew[idx]))
    return out
