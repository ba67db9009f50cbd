"""The typed Plan: everything ``stationplan run`` computes from a scenario, in one model.

``out/plan.json`` is this model serialised; it parses back with ``Plan.model_validate_json``.
Later layers add their sections here. ``schema_version`` changes when a field changes meaning
or is removed (adding a field does not change it).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from stationplan.ops.assembly import StationBuild
from stationplan.ops.debris import StationDebrisRisk
from stationplan.ops.fleet import VehicleCapability
from stationplan.ops.lifetime import StationLifetime
from stationplan.ops.operations import Operations
from stationplan.ops.station_orbit import StationOrbit
from stationplan.ops.windows import WindowSeries
from stationplan.program.capabilities import CapabilityMatrix, WithdrawalImpact
from stationplan.program.contributions import PartnerSummary
from stationplan.program.ledger import Partnership
from stationplan.program.worksplit import WorkSplit

PLAN_SCHEMA_VERSION = 1


class PlanMeta(BaseModel):
    """Where the plan came from."""

    schema_version: int = Field(default=PLAN_SCHEMA_VERSION, description="Plan format version.")
    stationplan_version: str
    scenario_source: str = Field(description="Scenario file path, or <default>/default.yaml.")
    scenario_sha256: str = Field(description="SHA-256 of the scenario file's bytes (UTF-8).")
    generated_utc: datetime


class ProgrammeSummary(BaseModel):
    """The programme span."""

    name: str
    description: str
    start_utc: datetime
    end_utc: datetime
    duration_days: float
    partners: int
    stations: int
    vehicles: int


class StationSummary(BaseModel):
    """A station's orbit as given, its service span and its assembly."""

    name: str
    orbit_source: str = Field(description="'tle', 'omm' or 'mean_elements'.")
    inclination_deg: float
    in_service_from_utc: datetime = Field(
        description="Programme start, or the first module launch for a new station."
    )
    in_service_to_utc: datetime = Field(description="Retirement, or the programme end.")
    retire_utc: datetime | None
    min_altitude_km: float
    max_altitude_km: float
    build: StationBuild


class Severity(StrEnum):
    """How much a finding matters."""

    INFO = "info"
    WARNING = "warning"


class Finding(BaseModel):
    """Something the planner noticed about the scenario that is not an input error."""

    severity: Severity
    topic: str
    message: str


class PartnerDelta(BaseModel):
    """One partner's figures in the baseline and the variant."""

    partner: str
    spending_musd_baseline: float
    spending_musd_variant: float
    crew_hours_entitled_baseline: float
    crew_hours_entitled_variant: float
    effective_share_pct_baseline: float
    effective_share_pct_variant: float


class PlanFigures(BaseModel):
    """The headline figures of one plan."""

    manifest_status: str
    fleet_flights: int
    flight_cost_musd: float
    programme_cost_musd: float
    crew_warnings: list[str] = Field(description="Warnings on manifest, supplies and power.")
    p_crew_reduction: float | None = Field(description="Worst station, from the risk runs.")
    p_lifeboat_break: float | None


class WhatIfComparison(BaseModel):
    """A partnership change: baseline against variant."""

    name: str = Field(default="", description="The variant's name (a scenario's variants).")
    change: str
    date_utc: datetime | None = Field(default=None, description="Date of the change (UTC).")
    headline: list[str]
    baseline: PlanFigures
    variant: PlanFigures
    flights_lost: list[str] = Field(
        description="Baseline flights the withdrawing partner flew or bought from the date."
    )
    modules_owned: list[str]
    capabilities: WithdrawalImpact | None = Field(
        description="What the withdrawal takes away (None for an accession)."
    )
    partners: list[PartnerDelta]
    crew_kept_alive: bool


class Plan(BaseModel):
    """The whole plan."""

    meta: PlanMeta
    programme: ProgrammeSummary
    stations: list[StationSummary]
    partners: list[PartnerSummary]
    fleet: list[VehicleCapability]
    orbits: list[StationOrbit] = Field(description="Orbit section, one per station.")
    launch_windows: list[WindowSeries] = Field(
        default_factory=list, description="Windows per vehicle, launch site and station."
    )
    lifetime: list[StationLifetime] = Field(
        default_factory=list, description="Altitude keeping and deorbit, one per station."
    )
    operations: Operations | None = Field(
        default=None,
        description="Crew plan, flight manifest, logistics, power and risk of launch losses.",
    )
    capabilities: CapabilityMatrix | None = Field(
        default=None,
        description="Who provides each capability over time: gaps, single providers and "
        "duplicates beyond need.",
    )
    work_split: WorkSplit | None = Field(
        default=None,
        description="The scenario's work packages, each assigned to one partner at least "
        "cost within budgets and shares (HiGHS), with the reason for each.",
    )
    partnership: Partnership | None = Field(
        default=None,
        description="Shares agreed and earned, the ledger of utilisation resources per "
        "partner and year, barter, and each partner's spending.",
    )
    debris: list[StationDebrisRisk] | None = Field(
        default=None,
        description="Each station's conjunctions with tracked objects over a sample span, "
        "their Pc, avoidance burns, and the manoeuvres and propellant a year they call for.",
    )
    variants: list[WhatIfComparison] = Field(
        default_factory=list,
        description="Each of the scenario's named variants (a partner withdraws, a country "
        "joins) planned beside the baseline and compared with it.",
    )
    findings: list[Finding]
    not_yet_built: list[str] = Field(
        description="Parts of a full plan this version does not compute yet."
    )
    ground_stations_used: list[tuple[str, float, float]] = Field(
        default_factory=list, description="Ground stations (name, latitude, longitude) in deg."
    )
