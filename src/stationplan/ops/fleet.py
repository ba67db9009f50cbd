"""The fleet's yearly capacity and which stations each vehicle can dock to."""

from __future__ import annotations

from pydantic import BaseModel, Field

from stationplan.ops.assembly import StationBuild
from stationplan.scenario.models import Scenario, Vehicle


class VehicleCapability(BaseModel):
    """What one vehicle can deliver per flight and per year, and where it can dock."""

    name: str
    role: str
    operator: str
    operator_kind: str = Field(description="'partner' or 'provider'.")
    launch_sites: list[str]
    rendezvous_strategy: str
    crew_seats: int
    cargo_up_kg: float = Field(description="Pressurized + unpressurized cargo per flight (kg).")
    propellant_transfer_kg: float
    return_cargo_kg: float
    reboost: bool
    max_flights_per_year: float
    seats_per_year: float = Field(description="crew_seats x max_flights_per_year.")
    cargo_up_kg_per_year: float = Field(description="cargo_up_kg x max_flights_per_year.")
    cost_per_flight_musd: float
    cost_per_kg_up_kusd: float | None = Field(
        description="Cost per kg of cargo up (thousand USD/kg); None without cargo."
    )
    cost_per_seat_musd: float | None = Field(
        description="Cost per seat (MUSD); None without seats."
    )
    compatible_port_types: list[str]
    docks_at: list[str] = Field(
        description="Stations with at least one compatible port at completion."
    )


def vehicle_capability(
    v: Vehicle, scenario: Scenario, builds: list[StationBuild]
) -> VehicleCapability:
    """Per-flight and per-year capability of ``v`` and the stations it can dock to."""
    cargo = v.pressurized_cargo_kg + v.unpressurized_cargo_kg
    partner_codes = {p.code for p in scenario.partners}
    docks_at = [
        b.station
        for b in builds
        if any(b.final_ports_by_type.get(t, 0) > 0 for t in v.compatible_port_types)
    ]
    return VehicleCapability(
        name=v.name,
        role=v.role.value,
        operator=v.operator,
        operator_kind="partner" if v.operator in partner_codes else "provider",
        launch_sites=list(v.launch_sites),
        rendezvous_strategy=v.rendezvous_strategy.value,
        crew_seats=v.crew_seats,
        cargo_up_kg=cargo,
        propellant_transfer_kg=v.propellant_transfer_kg,
        return_cargo_kg=v.return_cargo_kg,
        reboost=v.reboost is not None,
        max_flights_per_year=v.max_flights_per_year,
        seats_per_year=v.crew_seats * v.max_flights_per_year,
        cargo_up_kg_per_year=cargo * v.max_flights_per_year,
        cost_per_flight_musd=v.cost_per_flight_musd,
        cost_per_kg_up_kusd=(v.cost_per_flight_musd * 1000.0 / cargo) if cargo > 0 else None,
        cost_per_seat_musd=(v.cost_per_flight_musd / v.crew_seats) if v.crew_seats else None,
        compatible_port_types=list(v.compatible_port_types),
        docks_at=docks_at,
    )


def fleet_capabilities(scenario: Scenario, builds: list[StationBuild]) -> list[VehicleCapability]:
    """:func:`vehicle_capability` for every vehicle, in scenario order."""
    return [vehicle_capability(v, scenario, builds) for v in scenario.vehicles]
