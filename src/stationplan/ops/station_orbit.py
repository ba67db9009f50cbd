"""Each station's orbit as operations see it: summary, ground track, beta angle and sunlit
fraction across its service, and ground-station contacts.

Element sets come from the scenario (TLE, OMM or mean elements; a mean-element station gets a
B* from its drag coefficient, area and mass when assembled). Short-span products (ground
track, contacts, the exported ephemeris) use SGP4 from the analysis start; programme-long
products (beta angle, sunlit fraction) use the secular plane of :mod:`stationplan.orbit.plane`
at the station's mean altitude, as a station that keeps its altitude band by reboosts flies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from stationplan.ops.assembly import StationBuild
from stationplan.orbit import events, frames, plane
from stationplan.orbit.elements import (
    ElementSet,
    bstar_from_drag,
    drag_free,
    from_mean_elements,
    omm_from_fields,
    parse_tle,
    summarize,
)
from stationplan.orbit.propagate import propagate_sgp4, sgp4_trajectory
from stationplan.orbit.timescale import as_time, offset, time_grid, timescale, to_datetimes
from stationplan.scenario.models import GroundStation, Station

CONTACT_WINDOW_DAYS = 7
GROUND_TRACK_ORBITS = 3
GROUND_TRACK_STEP_S = 30.0
EPHEMERIS_SPAN_S = 86400.0
EPHEMERIS_STEP_S = 60.0
TREND_STEP_S = 30.0
TREND_EVERY_MONTHS = 3


class ContactPass(BaseModel):
    """One pass of a station over a ground station (:func:`stationplan.orbit.events.contacts`:
    mask crossings and the maximum bisected to 1 ms). A pass in view at the window start or
    still in view at its end is clipped there and flagged."""

    aos_utc: datetime = Field(description="Acquisition of signal: rise through the mask (UTC).")
    los_utc: datetime = Field(description="Loss of signal: set through the mask (UTC).")
    max_elevation_utc: datetime = Field(description="Time of the highest elevation (UTC).")
    max_elevation_deg: float = Field(
        description="Highest elevation above the local horizon, deg (to 0.001 deg)."
    )
    duration_s: float = Field(description="LOS - AOS, s (to 0.1 s).")
    clipped_start: bool = Field(description="In view at the window start: AOS is that start.")
    clipped_end: bool = Field(description="Still in view at the window end: LOS is that end.")


class EclipseBoundary(BaseModel):
    """One shadow boundary (:func:`stationplan.orbit.events.eclipses`: conical umbra and
    penumbra, bisected to 1 ms). Serialised with the keys ``from`` and ``to``."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    time_utc: datetime = Field(description="First instant in the new state (UTC).")
    kind: events.BoundaryKind = Field(description="Which boundary is crossed.")
    from_state: events.ShadowName = Field(alias="from", description="State before.")
    to_state: events.ShadowName = Field(alias="to", description="State after.")


class ContactSummary(BaseModel):
    """Passes of a station over one ground station during the contact window."""

    ground_station: str
    min_elevation_deg: float
    window_days: float
    passes: int
    passes_per_day: float
    contact_min_per_day: float
    longest_pass_min: float
    first_passes: list[ContactPass] = Field(description="The first few passes in detail.")


class ContactTrendSample(BaseModel):
    """Time in view of one ground station on one sample day across the service."""

    date_utc: datetime
    ground_station: str
    contact_min_per_day: float = Field(description="Minutes above the elevation mask.")
    passes_per_day: int


class BetaSample(BaseModel):
    """Beta angle and sunlit fraction on one day."""

    date_utc: datetime
    beta_deg: float
    sunlit_fraction: float


class StationOrbit(BaseModel):
    """What the plan knows of one station's orbit."""

    station: str
    elements_source: str = Field(description="'tle', 'omm' or 'mean_elements'.")
    catalog_number: int
    epoch_utc: datetime
    period_min: float
    mean_altitude_km: float
    perigee_altitude_km: float
    apogee_altitude_km: float
    inclination_deg: float
    eccentricity: float
    bstar: float
    nodal_rate_deg_day: float = Field(description="Secular J2 regression of the node.")
    analysis_start_utc: datetime = Field(description="Start of the SGP4 products below.")
    ground_track_utc: list[datetime]
    ground_track_lat_deg: list[float]
    ground_track_lon_deg: list[float]
    eclipse_events: list[EclipseBoundary] = Field(
        description="Penumbra and umbra entries and exits over the first day, in time order."
    )
    beta: list[BetaSample] = Field(description="Daily, across the station's service.")
    beta_min_deg: float
    beta_max_deg: float
    sunlit_fraction_mean: float
    contacts: list[ContactSummary]
    contact_trend: list[ContactTrendSample] = Field(
        description="One day per quarter across the service, sampled every "
        f"{TREND_STEP_S:g} s (the station flown drag-free at its mean altitude)."
    )
    sgp4_failure: str | None = Field(description="SGP4's reason if the propagation failed.")


@dataclass(frozen=True)
class StationEphemeris:
    """One day of GCRS states for the exports (OEM, CZML)."""

    times_utc: list[datetime]
    r_gcrs_km: np.ndarray
    v_gcrs_km_s: np.ndarray
    catalog_number: int
    name: str


def station_elements(station: Station, build: StationBuild) -> ElementSet:
    """The station's SGP4 element set from the scenario's TLE, OMM or mean elements."""
    orbit = station.orbit
    if orbit.tle_lines is not None:
        l1, l2 = orbit.tle_lines
        return parse_tle(l1, l2, orbit.tle_name or station.name, source=station.name)
    if orbit.omm is not None:
        fields = orbit.omm.model_dump()
        fields["EPOCH"] = orbit.omm.EPOCH.strftime("%Y-%m-%dT%H:%M:%S.%f")
        return omm_from_fields(fields, source=station.name)
    assert orbit.altitude_km is not None and orbit.inclination_deg is not None
    assert orbit.raan_deg is not None and orbit.arg_latitude_deg is not None
    assert orbit.epoch_utc is not None
    mass = build.final_mass_kg
    area = build.final_drag_area_m2
    bstar = bstar_from_drag(station.drag_coefficient, area, mass) if mass > 0 else 0.0
    return from_mean_elements(
        orbit.altitude_km,
        orbit.inclination_deg,
        orbit.raan_deg,
        orbit.arg_latitude_deg,
        orbit.epoch_utc,
        orbit.eccentricity,
        bstar,
        name=station.name,
    )


def _contacts(state: events.StateFunction, start: datetime, gs: GroundStation) -> ContactSummary:
    t0 = as_time(start)
    t1 = as_time(start + timedelta(days=CONTACT_WINDOW_DAYS))
    passes = events.contacts(
        state, t0, t1, gs.latitude_deg, gs.longitude_deg, gs.altitude_m, gs.min_elevation_deg
    )
    minutes = [p.duration_s / 60.0 for p in passes]
    return ContactSummary(
        ground_station=gs.name,
        min_elevation_deg=gs.min_elevation_deg,
        window_days=CONTACT_WINDOW_DAYS,
        passes=len(passes),
        passes_per_day=len(passes) / CONTACT_WINDOW_DAYS,
        contact_min_per_day=sum(minutes) / CONTACT_WINDOW_DAYS,
        longest_pass_min=max(minutes, default=0.0),
        first_passes=[
            ContactPass(
                aos_utc=p.aos_utc,
                los_utc=p.los_utc,
                max_elevation_utc=p.max_elevation_utc,
                max_elevation_deg=round(p.max_elevation_deg, 3),
                duration_s=round(p.duration_s, 1),
                clipped_start=p.clipped_start,
                clipped_end=p.clipped_end,
            )
            for p in passes[:5]
        ],
    )


def _trend_days(service_from: datetime, service_to: datetime) -> list[datetime]:
    """The first day of every quarter (and the service start) inside the service."""
    days = [service_from]
    year, month = service_from.year, service_from.month
    while True:
        month += TREND_EVERY_MONTHS - (month - 1) % TREND_EVERY_MONTHS
        if month > 12:
            year, month = year + 1, month - 12
        day = datetime(year, month, 1, tzinfo=service_from.tzinfo)
        if day + timedelta(days=1) > service_to:
            return days
        days.append(day)


def contact_trend(
    el: ElementSet,
    ground_stations: list[GroundStation],
    service_from: datetime,
    service_to: datetime,
) -> list[ContactTrendSample]:
    """Minutes in view and passes of each ground station on one day per quarter, from the
    elevation sampled every :data:`TREND_STEP_S` (a pass shorter than that may be missed; the
    minutes are the sampled fraction of the day). ``el`` is flown drag-free, at constant mean
    altitude, as a station holding its band does."""
    if not ground_stations or service_to - service_from < timedelta(days=1):
        return []
    flying = drag_free(el)
    per_day = int(86400.0 / TREND_STEP_S)
    days = _trend_days(service_from, service_to)
    offsets = np.arange(per_day) * TREND_STEP_S
    t = offset(as_time(days), np.zeros(len(days)))
    grid = offset(timescale().tt_jd(np.repeat(t.tt, per_day)), np.tile(offsets, len(days)))
    res = propagate_sgp4(flying, grid)
    r = res.r_teme_km[0]
    out = []
    for gs in ground_stations:
        site = frames.geodetic_to_itrs(gs.latitude_deg, gs.longitude_deg, gs.altitude_m)
        elev = events.elevation_deg(r, grid, site, gs.latitude_deg, gs.longitude_deg)
        up = (elev >= gs.min_elevation_deg).reshape(len(days), per_day)
        rises = np.count_nonzero(np.diff(up.astype(np.int8), axis=1) == 1, axis=1) + up[:, 0]
        for k, day in enumerate(days):
            out.append(
                ContactTrendSample(
                    date_utc=day,
                    ground_station=gs.name,
                    contact_min_per_day=round(float(up[k].sum()) * TREND_STEP_S / 60.0, 1),
                    passes_per_day=int(rises[k]),
                )
            )
    return out


def analyse_station_orbit(
    station: Station,
    build: StationBuild,
    ground_stations: list[GroundStation],
    service_from: datetime,
    service_to: datetime,
) -> tuple[StationOrbit, StationEphemeris]:
    """The orbit section of one station and one day of ephemeris for the exports."""
    el = station_elements(station, build)
    summary = summarize(el)
    start = max(service_from, summary.epoch_utc) if summary.epoch_utc < service_to else service_from
    state = sgp4_trajectory(el)

    period_s = summary.period_min * 60.0
    track_t = time_grid(
        start, start + timedelta(seconds=GROUND_TRACK_ORBITS * period_s), GROUND_TRACK_STEP_S
    )
    res = propagate_sgp4(el, track_t)
    failure = next(iter(res.failures().values()), None)
    r_itrs, _ = frames.teme_to_itrs(res.r_teme_km[0], res.v_teme_km_s[0], track_t)
    geo = frames.itrs_to_geodetic(r_itrs)

    t0 = as_time(start)
    eclipse = [
        EclipseBoundary(
            time_utc=e.time_utc, kind=e.kind, from_state=e.from_state, to_state=e.to_state
        )
        for e in events.eclipses(state, t0, as_time(start + timedelta(days=1)))
    ]

    days = time_grid(service_from, service_to, 86400.0)
    normal = plane.plane_normal_teme(
        days,
        float(as_time(summary.epoch_utc).tt),
        summary.raan_deg,
        summary.inclination_deg,
        summary.mean_altitude_km,
    )
    beta = plane.beta_deg(normal, days)
    sunlit = plane.sunlit_fraction(beta, summary.mean_altitude_km)
    beta_rows = [
        BetaSample(date_utc=d, beta_deg=round(float(b), 3), sunlit_fraction=round(float(f), 4))
        for d, b, f in zip(to_datetimes(days), beta, sunlit, strict=True)
    ]

    contacts = [] if failure else [_contacts(state, start, gs) for gs in ground_stations]

    eph_t = time_grid(start, start + timedelta(seconds=EPHEMERIS_SPAN_S), EPHEMERIS_STEP_S)
    eph = propagate_sgp4(el, eph_t)
    r_g, v_g = frames.teme_to_gcrs(eph.r_teme_km[0], eph.v_teme_km_s[0], eph_t)

    orbit = StationOrbit(
        station=station.name,
        elements_source=station.orbit.source_kind,
        catalog_number=el.catalog_number,
        epoch_utc=summary.epoch_utc,
        period_min=summary.period_min,
        mean_altitude_km=summary.mean_altitude_km,
        perigee_altitude_km=summary.perigee_altitude_km,
        apogee_altitude_km=summary.apogee_altitude_km,
        inclination_deg=summary.inclination_deg,
        eccentricity=summary.eccentricity,
        bstar=summary.bstar,
        nodal_rate_deg_day=float(
            np.degrees(plane.nodal_rate_rad_s(summary.mean_altitude_km, summary.inclination_deg))
            * 86400.0
        ),
        analysis_start_utc=start,
        ground_track_utc=to_datetimes(track_t),
        ground_track_lat_deg=[round(float(x), 4) for x in geo.lat_deg],
        ground_track_lon_deg=[round(float(x), 4) for x in geo.lon_deg],
        eclipse_events=eclipse,
        beta=beta_rows,
        beta_min_deg=float(beta.min()),
        beta_max_deg=float(beta.max()),
        sunlit_fraction_mean=float(sunlit.mean()),
        contacts=contacts,
        contact_trend=contact_trend(el, ground_stations, service_from, service_to),
        sgp4_failure=failure,
    )
    ephemeris = StationEphemeris(
        times_utc=to_datetimes(eph_t),
        r_gcrs_km=r_g,
        v_gcrs_km_s=v_g,
        catalog_number=el.catalog_number,
        name=station.name,
    )
    return orbit, ephemeris
