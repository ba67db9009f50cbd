"""The manifest problem and its result, and the day grid they share.

The problem (:class:`ManifestProblem`) is what the solver needs: the scenario, the stations'
assembly, the crew rotations, the launch opportunities (:class:`Opportunity`) per vehicle,
station and day, and each station's supply (:class:`StationSupply`). The result
(:class:`Manifest`) is the flights, the crew members they carry and how the solver ended
(:class:`SolverReport`).

The model works on a grid of whole days from the programme start (:func:`day_of`); a
docking port (:class:`Port`) is usable from a day of that grid. The carriers of cargo
(:data:`CARRIERS`), the days from launch to docking by rendezvous profile
(:data:`PROFILE_DAYS`), the step of the stock check (:data:`STOCK_BUCKET_DAYS`) and a cargo
vehicle's capacity per carrier (:func:`_capacities`) are shared by the model, the
reorder-point schedule and the reading of the solution.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field

from stationplan.ops.assembly import StationBuild
from stationplan.ops.crew import CrewSkeleton
from stationplan.ops.flights import CrewMember, Flight
from stationplan.orbit.arrays import Array
from stationplan.scenario.models import Scenario, Vehicle

CARRIERS = ("pressurized", "unpressurized", "propellant")
"""What cargo flights carry: pressurised and unpressurised cargo, propellant for the tanks."""

PROFILE_DAYS = {"2orbit": 0, "4orbit": 0, "1day": 1, "2day": 2, "3day": 3}
"""Whole days from launch to docking used on the day grid (exact times come from the window)."""

STOCK_BUCKET_DAYS = 7
"""Days per step of the stock check's table (the need of a step is that of its last day)."""


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
    """A docking port of a station, usable from ``from_day`` of the grid (the day after its
    module's launch; day 0 for a module in orbit at the start)."""

    station: str
    name: str
    port_type: str
    from_day: int


def _capacities(v: Vehicle) -> dict[str, float]:
    reboost = v.reboost.propellant_kg if v.reboost is not None else 0.0
    return {
        "pressurized": v.pressurized_cargo_kg,
        "unpressurized": v.unpressurized_cargo_kg,
        "propellant": v.propellant_transfer_kg + reboost,
    }
