"""The lower bounds on cargo cost behind the manifest's gap: hand-checkable cases."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from stationplan.ops.cargo_bound import (
    StationCargo,
    end_need_kg,
    monthly_cargo_bound,
    need_kg,
    total_cargo_bound,
)
from stationplan.scenario.loader import load_scenario
from stationplan.scenario.models import Vehicle, VehicleRole

ORIGIN = datetime(2030, 1, 1, tzinfo=UTC)  # Jan 31 days, Feb 28, Mar 31
HORIZON = 120


def vehicle(name: str, cost_musd: float, rate: float) -> Vehicle:
    base = next(v for v in load_scenario().scenario.vehicles if v.role is VehicleRole.CARGO)
    return base.model_copy(
        update={"name": name, "cost_per_flight_musd": cost_musd, "max_flights_per_year": rate}
    )


def caps(**kg: float) -> dict[str, dict[str, float]]:
    return {name: {"pressurized": v} for name, v in kg.items()}


def station(days: dict[str, range], kg_per_day: float = 10.0) -> StationCargo:
    """10 kg/day on days 0-89 (January to March), no reserve, nothing aboard."""
    demand = np.zeros(HORIZON)
    demand[:90] = kg_per_day
    zero = np.zeros(HORIZON)
    return StationCargo(
        "Alpha",
        {name: list(d) for name, d in days.items()},
        {"pressurized": 0.0},
        {"pressurized": need_kg(demand, zero, HORIZON)},
        {"pressurized": end_need_kg(demand, zero, HORIZON)},
    )


def test_need_is_demand_so_far_plus_reserve_as_a_running_maximum() -> None:
    demand = np.array([1.0, 1.0, 1.0, 0.0])
    reserve = np.array([5.0, 5.0, 0.0, 0.0])  # the reserve drops when the crew leaves
    need = need_kg(demand, reserve, 4)
    # day 0: 0 + 5; day 1: 1 + 5; day 2: 2 + 0 held at 6; day 3: 3 held at 6; then repeated
    assert need.tolist() == [5.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0]
    assert end_need_kg(demand, reserve, 4) == 6.0


def test_one_vehicle_needs_its_flights_month_by_month() -> None:
    """900 kg in 100-kg flights at 1 MUSD (10 units): nine flights, 90."""
    a = vehicle("A", 1.0, 12)
    bound = monthly_cargo_bound(
        [station({"A": range(90)})], [a], caps(A=100), ORIGIN, flights_used={}
    )
    assert bound == pytest.approx(90.0)


def test_the_month_a_cheap_vehicle_can_fly_matters() -> None:
    """A carries 300 kg at 1 MUSD but has windows in March only; B carries 100 kg at 2 MUSD
    any day. By 1 February 310 kg must have flown (4 B), by 1 March 590 (6 B), by the end
    900: one A. 6 x 20 + 10 = 130 units; the total LP, blind to timing, says 3 A = 30."""
    a, b = vehicle("A", 1.0, 12), vehicle("B", 2.0, 12)
    st = station({"A": range(59, 90), "B": range(90)})
    bound = monthly_cargo_bound([st], [a, b], caps(A=300, B=100), ORIGIN, flights_used={})
    assert bound == pytest.approx(130.0)
    total = total_cargo_bound([a, b], caps(A=300, B=100), {"pressurized": 900.0}, 1.0)
    assert total == pytest.approx(30.0)


def test_the_yearly_rate_counts_the_flights_already_placed() -> None:
    """A (100 kg, 1 MUSD) may fly 6 times in 2030 but 2 are placed already (crew flights):
    4 A and 5 B (100 kg, 3 MUSD): 40 + 150 = 190. With no B at all there is no manifest,
    and no bound is claimed (0)."""
    a, b = vehicle("A", 1.0, 6), vehicle("B", 3.0, 12)
    st = station({"A": range(90), "B": range(90)})
    used = {("A", 2030): 2}
    bound = monthly_cargo_bound([st], [a, b], caps(A=100, B=100), ORIGIN, used)
    assert bound == pytest.approx(190.0)
    st_a = station({"A": range(90)})
    assert monthly_cargo_bound([st_a], [a], caps(A=100), ORIGIN, used) == 0.0
