"""Each station's altitude over its service: decay under the scenario's solar activity, the
reboosts that keep it in its band (with the reboosting vehicle's engine), propellant per year,
and the controlled deorbit of a retiring station.

Mass and drag area follow the assembly (:mod:`stationplan.ops.assembly`): each module adds
its mass and area from its launch date. The reboosting vehicle is the fleet's first vehicle
with a reboost capability; the propellant the fleet can bring per year (reboost propellant plus
transferable propellant at the maximum flight rate) is the budget the plan is checked against.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from pydantic import BaseModel, Field

from stationplan.ops.assembly import StationBuild
from stationplan.orbit.decay import DecayModel, DragBody, StepSchedule
from stationplan.orbit.elements import ElementSet, summarize
from stationplan.orbit.reboost import (
    DISPOSAL_PERIGEE_KM,
    deorbit_dv_m_s,
    deorbit_propellant_kg,
    plan_altitude_keeping,
)
from stationplan.orbit.spaceweather import SpaceWeather
from stationplan.scenario.models import Scenario, Station, Vehicle


class ReboostRecord(BaseModel):
    """One reboost."""

    time_utc: datetime
    dv_m_s: float
    propellant_kg: float
    burn_s: float
    station_mass_kg: float
    altitude_before_km: float
    altitude_after_km: float


class YearPropellant(BaseModel):
    """Reboost totals of one calendar year."""

    year: int
    reboosts: int
    dv_m_s: float
    propellant_kg: float


class Deorbit(BaseModel):
    """The controlled deorbit of a retiring station."""

    retire_utc: datetime
    altitude_km: float
    disposal_perigee_km: float
    dv_m_s: float
    propellant_kg: float
    station_mass_kg: float
    vehicle: str
    isp_s: float


class StationLifetime(BaseModel):
    """Altitude keeping of one station."""

    station: str
    start_utc: datetime
    end_utc: datetime
    band_km: tuple[float, float]
    reboost_vehicle: str | None
    isp_s: float | None
    thrust_n: float | None
    propellant_budget_kg_per_year: float | None
    days_utc: list[datetime] = Field(description="Daily samples of the altitude history.")
    mean_altitude_km: list[float]
    reboosts: list[ReboostRecord]
    years: list[YearPropellant]
    total_propellant_kg: float
    infeasible_reason: str | None
    infeasible_at_utc: datetime | None
    deorbit: Deorbit | None
    note: str | None = Field(default=None, description="Why the plan is absent or partial.")


def space_weather_of(scenario: Scenario) -> SpaceWeather:
    """The scenario's solar activity as the orbit layer's space-weather series."""
    sw = scenario.space_weather
    if sw.table:
        return SpaceWeather.from_table(
            [(row.from_utc, row.f107_sfu, row.f107_81day_sfu, row.ap) for row in sw.table],
            source="scenario space_weather.table",
        )
    return SpaceWeather.constant(sw.f107_sfu, sw.f107_81day_sfu, sw.ap)


def _schedules(
    station: Station, build: StationBuild, start: datetime
) -> tuple[StepSchedule, StepSchedule]:
    rows_m = [(start, max(station.mass_kg, 1.0))]
    rows_a = [(start, station.drag_area_m2)]
    for step in build.steps:
        when = step.launch_utc or start
        if when <= start:
            rows_m[0] = (start, step.station_mass_kg)
            rows_a[0] = (start, step.drag_area_m2)
        else:
            rows_m.append((when, step.station_mass_kg))
            rows_a.append((when, step.drag_area_m2))
    return (
        StepSchedule.from_rows(rows_m, "station mass (kg)"),
        StepSchedule.from_rows(rows_a, "station drag area (m^2)"),
    )


def reboost_vehicle(vehicles: list[Vehicle]) -> Vehicle | None:
    """The fleet's first vehicle that can reboost."""
    return next((v for v in vehicles if v.reboost is not None), None)


def propellant_budget_kg_per_year(vehicles: list[Vehicle]) -> float:
    """Propellant the fleet can bring a year: reboost + transfer propellant at full rate."""
    return sum(
        ((v.reboost.propellant_kg if v.reboost else 0.0) + v.propellant_transfer_kg)
        * v.max_flights_per_year
        for v in vehicles
    )


def plan_station_lifetime(
    scenario: Scenario,
    station: Station,
    build: StationBuild,
    elements: ElementSet,
    service_from: datetime,
    service_to: datetime,
) -> StationLifetime:
    """Altitude keeping of ``station`` from the later of its element epoch and service start
    to the end of its service, and its deorbit if it retires inside the programme."""
    summary = summarize(elements)
    start = max(service_from, summary.epoch_utc)
    end = service_to
    band = (station.min_altitude_km, station.max_altitude_km)
    vehicle = reboost_vehicle(scenario.vehicles)
    budget = propellant_budget_kg_per_year(scenario.vehicles) or None
    mass, area = _schedules(station, build, start)
    base = StationLifetime(
        station=station.name,
        start_utc=start,
        end_utc=end,
        band_km=band,
        reboost_vehicle=vehicle.name if vehicle else None,
        isp_s=vehicle.reboost.isp_s if vehicle and vehicle.reboost else None,
        thrust_n=vehicle.reboost.thrust_n if vehicle and vehicle.reboost else None,
        propellant_budget_kg_per_year=budget,
        days_utc=[],
        mean_altitude_km=[],
        reboosts=[],
        years=[],
        total_propellant_kg=0.0,
        infeasible_reason=None,
        infeasible_at_utc=None,
        deorbit=None,
    )
    if end - start < timedelta(days=1):
        return base.model_copy(
            update={
                "note": "service span after the element epoch is "
                "shorter than a day: nothing to plan"
            }
        )
    if vehicle is None or vehicle.reboost is None:
        return base.model_copy(
            update={"note": "no vehicle of the fleet can reboost: the altitude cannot be kept"}
        )
    model = DecayModel(
        inclination_deg=summary.inclination_deg,
        body=DragBody(mass_kg=mass, drag_area_m2=area, drag_coefficient=station.drag_coefficient),
        space_weather=space_weather_of(scenario),
    )
    keep = plan_altitude_keeping(
        model,
        start,
        end,
        band,
        isp_s=vehicle.reboost.isp_s,
        thrust_n=vehicle.reboost.thrust_n,
        initial_altitude_km=min(max(summary.mean_altitude_km, band[0]), band[1]),
        raan_deg=summary.raan_deg,
        propellant_budget_kg_per_year=budget,
    )
    hist = keep.history
    n_days = int(hist.days[-1] if len(hist.days) else 0.0) + 1
    day_s = np.arange(n_days) * 86400.0
    altitude = hist.altitude_at_km(day_s)
    days = [start + timedelta(days=int(d)) for d in range(n_days)]
    deorbit = None
    if station.retire_utc is not None and station.retire_utc <= scenario.programme.end_utc:
        alt = float(altitude[-1]) if len(altitude) else summary.mean_altitude_km
        m = float(build.final_mass_kg if build.steps else station.mass_kg)
        deorbit = Deorbit(
            retire_utc=station.retire_utc,
            altitude_km=alt,
            disposal_perigee_km=DISPOSAL_PERIGEE_KM,
            dv_m_s=float(deorbit_dv_m_s(alt)),
            propellant_kg=float(deorbit_propellant_kg(m, alt, vehicle.reboost.isp_s)),
            station_mass_kg=m,
            vehicle=vehicle.name,
            isp_s=vehicle.reboost.isp_s,
        )
    return base.model_copy(
        update={
            "days_utc": days,
            "mean_altitude_km": [round(float(a), 4) for a in altitude],
            "reboosts": [
                ReboostRecord(
                    time_utc=r.time_utc,
                    dv_m_s=r.dv_m_s,
                    propellant_kg=r.propellant_kg,
                    burn_s=r.burn_s,
                    station_mass_kg=r.mass_kg,
                    altitude_before_km=r.altitude_before_km,
                    altitude_after_km=r.altitude_after_km,
                )
                for r in keep.reboosts
            ],
            "years": [
                YearPropellant(
                    year=y.year, reboosts=y.reboosts, dv_m_s=y.dv_m_s, propellant_kg=y.propellant_kg
                )
                for y in keep.years
            ],
            "total_propellant_kg": float(sum(r.propellant_kg for r in keep.reboosts)),
            "infeasible_reason": keep.infeasible_reason,
            "infeasible_at_utc": keep.infeasible_at_utc,
            "deorbit": deorbit,
        }
    )
