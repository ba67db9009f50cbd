"""Plans for the report's Operations tests: the MINI scenario as planned, with operations made
by hand instead of by the solvers (the report is tested apart from them). :func:`mini_plan`
has an infeasible manifest without flights, as the solver gives for MINI (its 59 days are too
short for a crew rotation); :func:`rich_plan` a small manifest, supply balance, power budget and
Monte Carlo whose figures the tests check by hand.

The hand-made operations of station Alpha (ports Node forward / IDSS and Node aft / SSVP):

========  =========  =====  ===========  ==========  ==========  =======  ========  =====
flight    vehicle    role   port         docking     undocking   crew up  cargo kg  seats
========  =========  =====  ===========  ==========  ==========  =======  ========  =====
M-Node    (module)   module                                                            0
F1        Ferry      crew   Node forward 2025-01-20  2025-02-25  3 / 0    600       3
C1        Freighter  cargo  Node aft     2025-01-25  2025-02-10           2,700     0
C2        Freighter  cargo  Node aft     2025-02-12  2025-02-26           2,000     0
========  =========  =====  ===========  ==========  ==========  =======  ========  =====

Crew: AAA-1 and AAA-2 from F1's docking to its undocking, BBB-1 from 2025-02-01 (a later
arrival) to the same undocking.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from unittest import mock

from stationplan.ops.crew import Rotation
from stationplan.ops.flights import CrewMember, Flight, FlightRole
from stationplan.ops.manifest import Manifest, SolverReport
from stationplan.ops.mass_balance import ClassBalance, Gap
from stationplan.ops.operations import (
    ClassStock,
    Operations,
    RiskMargin,
    RiskSummary,
    SlipCase,
    StationLogistics,
)
from stationplan.ops.power import PowerBudget, PowerDeficit
from stationplan.ops.supply import SupplyClass
from stationplan.plan import engine
from stationplan.plan.model import Plan
from tests.ops.scenarios import MINI, parse


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


EXPLANATION = [
    "crew rotation A1 must leave Alpha by 2025-03-01",
    "crew aboard Alpha would exceed its crew capacity",
]


def _infeasible_operations(*_args: object, **_kwargs: object) -> Operations:
    """What the planner gives for MINI: a rotation, no flights and why."""
    rotation = Rotation(
        label="A1",
        group=0,
        index=0,
        station="Alpha",
        nominal_dock_utc=utc(2025, 1, 20),
        nominal_undock_utc=utc(2025, 3, 1),
        up=["AAA-1", "AAA-2", "BBB-1"],
        one_year_up=[],
        continuing=[],
    )
    solver = SolverReport(
        status="INFEASIBLE",
        objective="cost",
        objective_value=None,
        best_bound=None,
        gap_pct=None,
        wall_time_s=0.01,
        variables=18,
        constraints=25,
    )
    return Operations(
        rotations=[rotation],
        crew_groups=[["AAA-1", "AAA-2", "BBB-1"]],
        manifest=Manifest(flights=[], crew=[], solver=solver, explanation=EXPLANATION),
        logistics=[],
        power=[],
        risk=[],
    )


@lru_cache(maxsize=1)
def _mini_json() -> str:
    with mock.patch.object(engine, "plan_operations", _infeasible_operations):
        plan = engine.run_scenario(parse(MINI), now_utc=utc(2025, 1, 1)).plan
    return plan.model_dump_json()


def mini_plan() -> Plan:
    """The MINI scenario as planned (a fresh copy each call)."""
    return Plan.model_validate_json(_mini_json())


def _flights() -> list[Flight]:
    return [
        Flight(
            flight="M-Node",
            role=FlightRole.MODULE,
            vehicle=None,
            operator="AAA",
            station="Alpha",
            site=None,
            launch_utc=utc(2025, 1, 5),
            docking_utc=None,
            port=None,
            undocking_utc=None,
        ),
        Flight(
            flight="F1",
            role=FlightRole.CREW,
            vehicle="Ferry",
            operator="AAA",
            station="Alpha",
            site="Pad North",
            launch_utc=utc(2025, 1, 19),
            docking_utc=utc(2025, 1, 20),
            port="Node forward",
            undocking_utc=utc(2025, 2, 25),
            crew_up=3,
            seats=3,
            pressurized_kg=500.0,
            propellant_kg=100.0,
            cost_musd=120.0,
        ),
        Flight(
            flight="C1",
            role=FlightRole.CARGO,
            vehicle="Freighter",
            operator="ORBCO",
            station="Alpha",
            site="Pad North",
            launch_utc=utc(2025, 1, 23),
            docking_utc=utc(2025, 1, 25),
            port="Node aft",
            undocking_utc=utc(2025, 2, 10),
            pressurized_kg=2000.0,
            unpressurized_kg=500.0,
            propellant_kg=200.0,
            cost_musd=50.0,
        ),
        Flight(
            flight="C2",
            role=FlightRole.CARGO,
            vehicle="Freighter",
            operator="ORBCO",
            station="Alpha",
            site="Pad North",
            launch_utc=utc(2025, 2, 10),
            docking_utc=utc(2025, 2, 12),
            port="Node aft",
            undocking_utc=utc(2025, 2, 26),
            pressurized_kg=2000.0,
            cost_musd=50.0,
        ),
    ]


def _crew() -> list[CrewMember]:
    def member(name: str, partner: str, arrival: datetime) -> CrewMember:
        return CrewMember(
            name=name,
            partner=partner,
            station="Alpha",
            arrival_flight="F1",
            return_flight="F1",
            arrival_utc=arrival,
            departure_utc=utc(2025, 2, 25),
        )

    return [
        member("AAA-1 #1", "AAA", utc(2025, 1, 20)),
        member("AAA-2 #1", "AAA", utc(2025, 1, 20)),
        member("BBB-1 #1", "BBB", utc(2025, 2, 1)),
    ]


def _logistics() -> StationLogistics:
    days = [utc(2025, 1, 1) + timedelta(days=7 * k) for k in range(9)]
    water = [800.0, 800.0, 760.0, 700.0, 640.0, 900.0, 850.0, 800.0, 760.0]
    food = [300.0, 300.0, 250.0, 180.0, 120.0, 90.0, 60.0, 40.0, 20.0]
    return StationLogistics(
        station="Alpha",
        days_utc=days,
        crew_aboard=[0.0, 0.0, 0.0, 3.0, 3.0, 3.0, 3.0, 3.0, 0.0],
        classes=[
            ClassStock(supply_class="water", stock_kg=water, reserve_kg=[500.0] * 9),
            ClassStock(supply_class="food", stock_kg=food, reserve_kg=[100.0] * 9),
            ClassStock(supply_class="nitrogen", stock_kg=[0.0] * 9, reserve_kg=[0.0] * 9),
        ],
        summaries=[
            ClassBalance(
                supply_class=SupplyClass.WATER,
                first_breach_day=None,
                min_margin_days=12.5,
                unmet_kg=0.0,
                end_stock_kg=760.0,
            ),
            ClassBalance(
                supply_class=SupplyClass.FOOD,
                first_breach_day=35,
                min_margin_days=-20.0,
                unmet_kg=0.0,
                end_stock_kg=20.0,
            ),
        ],
        gaps=[
            Gap(period="2025-Q1", supply_class=SupplyClass.FOOD, kg=80.0),
            Gap(period="2025-Q2", supply_class=SupplyClass.FOOD, kg=10.0),
            Gap(period="2025-Q2", supply_class=SupplyClass.WATER, kg=5.0),
        ],
        allocations=[],
        trash_removed_kg=120.0,
        trash_left_kg=30.0,
    )


def _power() -> PowerBudget:
    """Ten days from 2025-02-01: the Lab's load puts days 2 to 4 in deficit."""
    days = [utc(2025, 2, 1) + timedelta(days=k) for k in range(10)]
    margin = [50.0, 10.0, -20.0, -35.0, -5.0, 15.0, 40.0, 60.0, 60.0, 60.0]
    soc = [0.9, 0.8, 0.7, 0.65, 0.66, 0.75, 0.85, 0.95, 1.0, 1.0]
    n = len(days)
    return PowerBudget(
        station="Alpha",
        battery_min_soc_fraction=0.65,
        days_utc=days,
        beta_deg=[10.0] * n,
        eclipse_fraction=[0.38] * n,
        orbits_per_day=[15.5] * n,
        array_kw=[10.0] * n,
        load_kw=[9.0] * n,
        battery_capacity_kwh=[7.5] * n,
        generation_kwh=[240.0] * n,
        load_kwh=[216.0] * n,
        margin_kwh=margin,
        min_soc_fraction=soc,
        soc_floor_reached=[s <= 0.65 for s in soc],
        deficits=[
            PowerDeficit(
                first_day_utc=days[2],
                last_day_utc=days[4],
                days=3,
                orbits=46,
                worst_day_utc=days[3],
                worst_margin_kwh_per_orbit=-2.3,
                deficit_kwh=-60.0,
                min_soc_fraction=0.65,
            )
        ],
    )


def _risk() -> RiskSummary:
    return RiskSummary(
        runs=200,
        seed=7,
        station="Alpha",
        p_any_reserve_break=0.25,
        p_crew_reduction=0.01,
        p_lifeboat_break=0.0,
        mean_flights_lost=0.04,
        loss_probability={"Ferry": 0.01, "Freighter": 0.03},
        margins=[
            RiskMargin(
                supply_class="water",
                p_reserve_break=0.0,
                percentiles_days=[(5.0, 10.0), (50.0, 30.0), (95.0, 45.0)],
                bin_edges_days=[0.0, 10.0, 20.0, 30.0, 40.0, 50.0],
                counts=[10, 40, 80, 50, 20],
            ),
            RiskMargin(
                supply_class="food",
                p_reserve_break=0.25,
                percentiles_days=[(5.0, -30.0), (50.0, 5.0), (95.0, 20.0)],
                bin_edges_days=[-40.0, -20.0, 0.0, 20.0, 40.0],
                counts=[20, 30, 100, 50],
            ),
            RiskMargin(
                supply_class="nitrogen",
                p_reserve_break=0.0,
                percentiles_days=[],
                bin_edges_days=[],
                counts=[],
            ),
        ],
        slip_30_days=[
            SlipCase(
                flight="C1", slip_days=30.0, first_break_utc=utc(2025, 2, 5), supply_class="food"
            ),
            SlipCase(flight="C2", slip_days=30.0, first_break_utc=None, supply_class=None),
        ],
    )


def rich_plan() -> Plan:
    """The MINI plan with the hand-made manifest, supplies and risk of the module docstring."""
    plan = mini_plan()
    ops = plan.operations
    assert ops is not None
    flights = _flights()
    manifest = ops.manifest.model_copy(
        update={
            "flights": flights,
            "crew": _crew(),
            "explanation": [],
            "cost_musd": sum(f.cost_musd for f in flights),
            "solver": SolverReport(
                status="OPTIMAL",
                objective="cost",
                objective_value=220.0,
                best_bound=220.0,
                gap_pct=0.0,
                wall_time_s=0.4,
                variables=120,
                constraints=340,
            ),
        }
    )
    plan.operations = ops.model_copy(
        update={
            "manifest": manifest,
            "logistics": [_logistics()],
            "power": [_power()],
            "risk": [_risk()],
        }
    )
    return plan
