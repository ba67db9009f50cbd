"""The records of a flight manifest: who flies, on what, when, to which port, carrying what.

The crew planner (:mod:`stationplan.ops.crew`) fills the crew side, the manifest solver
(:mod:`stationplan.ops.manifest`) the rest; logistics, power and risk read these records.
All times are aware UTC datetimes.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class FlightRole(StrEnum):
    """Why a flight flies."""

    CREW = "crew"
    CARGO = "cargo"
    MODULE = "module"


class CrewMember(BaseModel):
    """One resident crew member's stay on a station."""

    name: str = Field(description="Label: partner code, position and rotation, e.g. 'NASA-1 #3'.")
    partner: str = Field(description="Partner code.")
    station: str
    arrival_flight: str = Field(description="Flight that brings the member up.")
    return_flight: str = Field(description="Flight that brings the member home.")
    arrival_utc: datetime = Field(description="Docking of the arrival flight.")
    departure_utc: datetime = Field(description="Undocking of the return flight.")
    one_year_mission: bool = Field(default=False, description="Part of a one-year mission.")

    @property
    def days_aboard(self) -> float:
        """Days from arrival to departure."""
        return (self.departure_utc - self.arrival_utc).total_seconds() / 86400.0


class Flight(BaseModel):
    """One flight of the manifest.

    A module flight has no vehicle of the fleet, port or undocking (the module stays). Cargo
    masses are what the flight carries up (kg), by carrier: pressurised, unpressurised and
    propellant for the station's tanks.
    """

    flight: str = Field(description="Flight label, unique in the manifest.")
    role: FlightRole
    vehicle: str | None = Field(description="Fleet vehicle; None for a module launch.")
    operator: str | None = Field(description="Partner or provider that flies it.")
    station: str
    site: str | None = Field(description="Launch site; None when not modelled.")
    launch_utc: datetime
    docking_utc: datetime | None
    port: str | None
    undocking_utc: datetime | None
    crew_up: int = Field(default=0, description="Crew members flown up.")
    crew_down: int = Field(default=0, description="Crew members flown home.")
    seats: int = Field(default=0, description="Crew seats of the vehicle.")
    pressurized_kg: float = Field(default=0.0, description="Pressurised cargo up (kg).")
    unpressurized_kg: float = Field(default=0.0, description="Unpressurised cargo up (kg).")
    propellant_kg: float = Field(default=0.0, description="Propellant transferred (kg).")
    return_kg: float = Field(default=0.0, description="Cargo brought home (kg).")
    cost_musd: float = Field(default=0.0, description="Cost of the flight (million USD).")
    note: str = Field(default="", description="What the planner wants the reader to know.")

    @property
    def cargo_kg(self) -> float:
        """All cargo up: pressurised, unpressurised and propellant (kg)."""
        return self.pressurized_kg + self.unpressurized_kg + self.propellant_kg
