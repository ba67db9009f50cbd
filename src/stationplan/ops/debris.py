"""Collision risk of each station from the tracked-object catalog: a sample span screened,
each approach rated by its probability of collision, the avoidance manoeuvres the red ones
call for, and their rate and propellant a year.

A plan looks years ahead, where no catalog can say which object passes when; what carries
over is the rate. The station's orbit (the middle of its altitude band, its inclination) is
flown as mean elements from the catalog's median epoch, screened for ``debris.days`` against
the catalog (:func:`stationplan.orbit.screening.screen`), and every approach under the
policies' screening distance is rated with the assumed element-set covariances
(:func:`stationplan.orbit.collision.default_covariance_rtn_m2`: a screening Pc, not an
operational one). Red events (Pc at or above ``policies.pc_maneuver_threshold``) get the
smallest along-track burn ``debris.avoidance_lead_orbits`` revolutions ahead that brings the
Pc under that threshold (:func:`stationplan.orbit.avoidance.avoidance`); the expected number
a year is the red count scaled from the span to a year, and its propellant (rocket equation at
the station's reboost engine, mass of the station when complete) joins the station's
propellant demand in the operations layer.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
from pydantic import BaseModel, Field

from stationplan.ops.assembly import StationBuild
from stationplan.ops.conjunctions import left_out_notes, object_type
from stationplan.ops.supply import DAYS_PER_YEAR
from stationplan.orbit.avoidance import avoidance
from stationplan.orbit.collision import default_covariance_rtn_m2, pc_2d
from stationplan.orbit.conjunction_files import rtn_to_inertial
from stationplan.orbit.constants import G0_M_S2, MU_KM3_S2, R_EQ_KM
from stationplan.orbit.elements import ElementSet, from_mean_elements
from stationplan.orbit.screening import Screening, screen
from stationplan.orbit.timescale import as_time, utc_jd_parts
from stationplan.scenario.models import DebrisScreening, Policies, Station


class DebrisEvent(BaseModel):
    """One approach of the sample span."""

    secondary: int = Field(description="Catalog number of the object.")
    name: str
    tca_utc: datetime
    miss_km: float
    radial_km: float
    intrack_km: float
    crosstrack_km: float
    rel_speed_km_s: float
    pc: float
    level: str = Field(description="red (manoeuvre), yellow (watch) or green.")
    avoidance_dv_m_s: float | None = Field(
        default=None, description="Along-track burn that clears a red event (+ prograde)."
    )
    pc_after: float | None = None
    altitude_change_km: float | None = Field(
        default=None, description="Change of the mean altitude the burn makes (2 dv / n)."
    )
    propellant_kg: float | None = Field(
        default=None, description="Propellant of the burn at the reboost engine's Isp."
    )


class StationDebrisRisk(BaseModel):
    """The debris screening of one station."""

    station: str
    catalog_epoch_utc: datetime
    catalog_objects: int
    screened_days: float
    altitude_km: float
    inclination_deg: float
    events: list[DebrisEvent] = Field(description="By decreasing Pc.")
    red: int
    yellow: int
    uncleared: int = Field(description="Red events no burn up to 2 m/s clears.")
    encounters_per_year: float
    manoeuvres_per_year: float
    mean_avoidance_dv_m_s: float
    propellant_kg_per_year: float
    isp_s: float | None
    notes: list[str] = Field(default_factory=list)


_SCREENED: dict[tuple[object, ...], Screening] = {}
"""Screenings already made in this process, by orbit, catalog, span and distance: stations
that fly the same band and inclination share one (and a scenario's variants reuse it)."""


def _screened(
    primary: ElementSet,
    catalog: tuple[ElementSet, ...],
    epoch: datetime,
    days: float,
    distance_km: float,
) -> Screening:
    s = primary.satrec
    content = hash(tuple((e.catalog_number, e.epoch_jd_utc, e.satrec.no_kozai) for e in catalog))
    key = (s.no_kozai, s.inclo, s.ecco, epoch, content, len(catalog), days, distance_km)
    if key not in _SCREENED:
        if len(_SCREENED) > 16:
            _SCREENED.clear()
        whole, fraction = utc_jd_parts(as_time(epoch))
        _SCREENED[key] = screen(
            primary, list(catalog), (float(whole), float(fraction)), days * 86400.0, distance_km
        )
    return _SCREENED[key]


def _median_epoch(catalog: tuple[ElementSet, ...]) -> datetime:
    jd = float(np.median([e.epoch_jd_utc for e in catalog]))
    return datetime(2000, 1, 1, 12, tzinfo=UTC) + timedelta(days=jd - 2451545.0)


def station_debris_risk(
    station: Station,
    build: StationBuild,
    catalog: tuple[ElementSet, ...],
    cfg: DebrisScreening,
    policies: Policies,
    isp_s: float | None,
) -> StationDebrisRisk:
    """The debris screening of ``station`` (module docstring)."""
    epoch = _median_epoch(catalog)
    epoch = epoch.replace(second=0, microsecond=0)
    altitude = 0.5 * (station.min_altitude_km + station.max_altitude_km)
    inclination = station.orbit.nominal_inclination_deg
    primary = from_mean_elements(
        altitude,
        inclination,
        0.0,
        0.0,
        epoch,
        bstar=0.0,
        catalog_number=99999,
        name=station.name,
    )
    found = _screened(primary, catalog, epoch, cfg.days, policies.screening_distance_km)
    a = found.approaches
    n_rad_s = math.sqrt(MU_KM3_S2 / (R_EQ_KM + altitude) ** 3)
    lead_s = cfg.avoidance_lead_orbits * 2.0 * math.pi / n_rad_s
    mass = build.steps[-1].station_mass_kg if build.steps else build.start_mass_kg
    events: list[DebrisEvent] = []
    for i in range(len(a)):
        sec = catalog[int(a.secondary[i])]
        tca = epoch + timedelta(seconds=float(a.tca_s[i]))
        age = abs((tca - sec.epoch_utc).total_seconds()) / 86400.0
        cov1 = rtn_to_inertial(default_covariance_rtn_m2("payload", 0.0), a.r1_km[i], a.v1_km_s[i])
        cov2 = rtn_to_inertial(
            default_covariance_rtn_m2(object_type(sec.name), age), a.r2_km[i], a.v2_km_s[i]
        )
        pc = pc_2d(
            a.r1_km[i] * 1e3,
            a.v1_km_s[i] * 1e3,
            cov1,
            a.r2_km[i] * 1e3,
            a.v2_km_s[i] * 1e3,
            cov2,
            cfg.hard_body_radius_m,
        ).pc
        level = (
            "red"
            if pc >= policies.pc_maneuver_threshold
            else "yellow"
            if pc >= policies.pc_watch_threshold
            else "green"
        )
        dv = pc_after = da_km = burn_kg = None
        if level == "red":
            burn = avoidance(
                a.r1_km[i],
                a.v1_km_s[i],
                cov1,
                a.r2_km[i],
                a.v2_km_s[i],
                cov2,
                cfg.hard_body_radius_m,
                lead_s,
                policies.pc_maneuver_threshold,
            )
            if burn is not None:
                dv, pc_after, da_km = burn.dv_m_s, burn.pc_after, round(burn.da_km, 4)
                if isp_s is not None:
                    burn_kg = round(mass * (1.0 - math.exp(-abs(dv) / (isp_s * G0_M_S2))), 2)
        events.append(
            DebrisEvent(
                secondary=sec.catalog_number,
                name=sec.name,
                tca_utc=tca,
                miss_km=round(float(a.miss_km[i]), 4),
                radial_km=round(float(a.rtn_km[i, 0]), 4),
                intrack_km=round(float(a.rtn_km[i, 1]), 4),
                crosstrack_km=round(float(a.rtn_km[i, 2]), 4),
                rel_speed_km_s=round(float(a.rel_speed_km_s[i]), 5),
                pc=float(pc),
                level=level,
                avoidance_dv_m_s=dv,
                pc_after=pc_after,
                altitude_change_km=da_km,
                propellant_kg=burn_kg,
            )
        )
    events.sort(key=lambda e: -e.pc)
    red = [e for e in events if e.level == "red"]
    cleared = [abs(e.avoidance_dv_m_s) for e in red if e.avoidance_dv_m_s is not None]
    per_year = DAYS_PER_YEAR / cfg.days
    manoeuvres = len(red) * per_year
    mean_dv = float(np.mean(cleared)) if cleared else 0.0
    notes = left_out_notes(found.stats.failed)
    if isp_s is None:
        propellant = 0.0
        if red:
            notes.append("no reboost engine: the avoidance propellant is not counted")
    else:
        per_burn = mass * (1.0 - math.exp(-mean_dv / (isp_s * G0_M_S2)))
        propellant = manoeuvres * per_burn
    return StationDebrisRisk(
        station=station.name,
        catalog_epoch_utc=epoch,
        catalog_objects=len(catalog),
        screened_days=cfg.days,
        altitude_km=altitude,
        inclination_deg=inclination,
        events=events,
        red=len(red),
        yellow=sum(e.level == "yellow" for e in events),
        uncleared=len(red) - len(cleared),
        encounters_per_year=round(len(events) * per_year, 1),
        manoeuvres_per_year=round(manoeuvres, 2),
        mean_avoidance_dv_m_s=round(mean_dv, 4),
        propellant_kg_per_year=round(propellant, 1),
        isp_s=isp_s,
        notes=notes,
    )
