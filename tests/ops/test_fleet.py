"""Fleet capability: per-flight and per-year figures, costs, and where each vehicle docks.

Vehicles of :mod:`tests.ops.scenarios`: Ferry (3 seats, 1000 kg, 3 flights/yr, 120 MUSD,
IDSS), Freighter (2000 + 500 kg, 4 flights/yr, 50 MUSD, SSVP, operated by the provider
ORBCO), Shuttle (5 seats, no cargo, 1 flight/yr, 500 MUSD, APAS or IDSS).
"""

from __future__ import annotations

import pytest

from stationplan.ops.assembly import build_all
from stationplan.ops.fleet import VehicleCapability, fleet_capabilities
from tests.conftest import mutate
from tests.ops.scenarios import MINI, parse, two_station_text


def _fleet(text: str) -> dict[str, VehicleCapability]:
    sc = parse(text).scenario
    return {v.name: v for v in fleet_capabilities(sc, build_all(sc))}


@pytest.fixture(scope="module")
def fleet() -> dict[str, VehicleCapability]:
    return _fleet(two_station_text())


def test_crew_and_cargo_vehicle(fleet: dict[str, VehicleCapability]) -> None:
    ferry = fleet["Ferry"]
    assert (ferry.role, ferry.operator, ferry.operator_kind) == ("both", "AAA", "partner")
    assert ferry.seats_per_year == 9  # 3 seats x 3 flights
    assert ferry.cargo_up_kg == 1000  # 1000 pressurized + 0 unpressurized
    assert ferry.cargo_up_kg_per_year == 3000  # 1000 kg x 3 flights
    assert ferry.cost_per_seat_musd == 40  # 120 MUSD / 3 seats
    assert ferry.cost_per_kg_up_kusd == 120  # 120 MUSD = 120,000 kUSD / 1000 kg
    assert ferry.reboost is True and ferry.propellant_transfer_kg == 100
    assert ferry.rendezvous_strategy == "2orbit"


def test_cargo_vehicle_of_a_provider(fleet: dict[str, VehicleCapability]) -> None:
    freighter = fleet["Freighter"]
    assert freighter.operator_kind == "provider"  # ORBCO is under providers, not partners
    assert freighter.crew_seats == 0 and freighter.seats_per_year == 0
    assert freighter.cost_per_seat_musd is None  # no seats: no price per seat
    assert freighter.cargo_up_kg == 2500  # 2000 pressurized + 500 unpressurized
    assert freighter.cargo_up_kg_per_year == 10000  # 2500 kg x 4 flights
    assert freighter.cost_per_kg_up_kusd == 20  # 50,000 kUSD / 2500 kg
    assert freighter.reboost is False


def test_crew_only_vehicle(fleet: dict[str, VehicleCapability]) -> None:
    shuttle = fleet["Shuttle"]
    assert shuttle.seats_per_year == 5  # 5 seats x 1 flight
    assert shuttle.cost_per_seat_musd == 100  # 500 MUSD / 5 seats
    assert shuttle.cargo_up_kg == 0 and shuttle.cost_per_kg_up_kusd is None  # no cargo
    assert shuttle.launch_sites == ["Pad North", "Pad South"]


def test_docks_at_stations_with_a_compatible_port(fleet: dict[str, VehicleCapability]) -> None:
    # Alpha has IDSS and SSVP (its Node), Beta only APAS (its Port)
    assert fleet["Ferry"].docks_at == ["Alpha"]  # IDSS
    assert fleet["Freighter"].docks_at == ["Alpha"]  # SSVP
    assert fleet["Shuttle"].docks_at == ["Alpha", "Beta"]  # APAS or IDSS, scenario order


def test_no_compatible_port_anywhere() -> None:
    text, _ = mutate(MINI, "compatible_port_types: [SSVP]", "compatible_port_types: [CBM]")
    assert _fleet(text)["Freighter"].docks_at == []


def test_a_port_that_arrives_later_counts_at_completion() -> None:
    """docks_at looks at the station once assembled: an IDSS port on the last module (Array,
    2025-02-15) is enough for a vehicle that needs IDSS."""
    text, _ = mutate(
        MINI, "{name: Node forward, port_type: IDSS}", "{name: Node forward, port_type: CBM}"
    )
    text, _ = mutate(
        text,
        "        power_generation_kw: 30\n",
        "        power_generation_kw: 30\n"
        "        docking_ports:\n"
        "          - {name: Array end, port_type: IDSS}\n",
    )
    assert _fleet(text)["Ferry"].docks_at == ["Alpha"]


def test_fractional_flight_rate() -> None:
    """max_flights_per_year may be fractional: 1.5 flights x 3 seats = 4.5 seats a year."""
    text, _ = mutate(MINI, "max_flights_per_year: 3", "max_flights_per_year: 1.5")
    ferry = _fleet(text)["Ferry"]
    assert ferry.seats_per_year == 4.5
    assert ferry.cargo_up_kg_per_year == 1500  # 1000 kg x 1.5


def test_scenario_order() -> None:
    assert list(_fleet(MINI)) == ["Ferry", "Freighter"]
