"""Launch windows per vehicle, launch site and station across the programme, and the windows
query of one element set from one site (the use case behind ``stationplan windows``).

The station is flown drag-free from its element set (its plane precesses with J2 at constant
mean altitude, as a station holding its band by reboosts does). Window *times* months ahead
are therefore as good as the plane's secular model; *phase angles* months ahead are only
indicative, since every reboost shifts the station along its orbit: re-plan a flight with a
fresh element set in the weeks before it.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, field_validator

from stationplan.ops.ephemeris import until_sgp4_limit
from stationplan.ops.requests import SpanRequest, field_type, request_error
from stationplan.ops.sites import resolve_launch_site
from stationplan.orbit.element_files import find_object, read_elements
from stationplan.orbit.elements import ElementSet, drag_free, summarize
from stationplan.orbit.launch import AscentProfile, Pad, WindowRecord, windows_with_phasing
from stationplan.orbit.propagate import sgp4_trajectory
from stationplan.orbit.rendezvous import STRATEGIES, RendezvousProfile
from stationplan.orbit.timescale import as_time
from stationplan.scenario.models import LaunchSite, Vehicle

SAMPLE_WINDOWS = 10


class ProfileOption(BaseModel):
    """A rendezvous profile a window's phase allows."""

    strategy: str
    docking_utc: datetime
    dv_m_s: float = Field(description="Transfer plus out-of-plane correction (m/s).")


class WindowSample(BaseModel):
    """One window in full."""

    launch_utc: datetime
    plane_crossing_utc: datetime
    width_s: float = Field(description="0 for an instantaneous window (no dogleg).")
    azimuth_deg: float
    ascending: bool
    phase_angle_deg: float
    nodal_offset_deg: float
    options: list[ProfileOption] = Field(description="Profiles the insertion phase allows.")


def window_sample(record: WindowRecord) -> WindowSample:
    """The plan's record of one window."""
    w = record.window
    return WindowSample(
        launch_utc=w.launch_utc,
        plane_crossing_utc=w.plane_crossing_utc,
        width_s=round(w.width_s, 1),
        azimuth_deg=round(w.azimuth_deg, 3),
        ascending=w.ascending,
        phase_angle_deg=round(record.phase_angle_deg, 2),
        nodal_offset_deg=round(w.nodal_offset_deg, 4),
        options=[
            ProfileOption(
                strategy=o.strategy, docking_utc=record.docking_utc(o), dv_m_s=round(o.dv_m_s, 1)
            )
            for o in record.feasible
        ],
    )


class WindowSeries(BaseModel):
    """The windows of one vehicle from one site to one station over the station's service."""

    vehicle: str
    site: str
    station: str
    strategy: str
    lead_s: float
    span_start_utc: datetime
    span_end_utc: datetime
    windows: int
    windows_per_year: dict[int, int]
    own_strategy_feasible: int = Field(
        description="Windows whose phase suits the vehicle's profile."
    )
    no_strategy: int = Field(description="Windows whose phase allows no profile at all.")
    azimuth_deg: float | None = Field(description="Launch azimuth (first window).")
    launch_time_utc_hours: list[float] = Field(description="Lift-off hour (UTC) of each window.")
    launch_dates_utc: list[datetime] = Field(description="Lift-off of each window.")
    phase_angle_deg: list[float] = Field(description="Insertion phase angle of each window.")
    first_windows: list[WindowSample] = Field(description="The first windows in full.")


def pad_of(site: LaunchSite) -> Pad:
    """The orbit-layer pad of a scenario launch site."""
    return Pad(site.latitude_deg, site.longitude_deg, site.altitude_m)


def profile_of(vehicle: Vehicle) -> AscentProfile:
    """The orbit-layer ascent and rendezvous profile of a scenario vehicle."""
    return AscentProfile(
        ascent_s=vehicle.ascent_duration_s,
        strategy=vehicle.rendezvous_strategy.value,
        insertion_altitude_km=vehicle.insertion_altitude_km,
        plane_change_deg=vehicle.plane_change_deg,
        lead_s=vehicle.launch_offset_s,
    )


def _ranges(site: LaunchSite) -> list[tuple[float, float]]:
    return [(r.min_deg, r.max_deg) for r in site.allowed_azimuths_deg]


WindowKey = tuple[str, str, AscentProfile, datetime, datetime]
"""What a window series depends on: station, site, ascent profile and span. Vehicles that
share all of it (Soyuz and Progress from one pad, say) share their windows."""

WindowCache = dict[WindowKey, list[WindowRecord]]


def window_series(
    elements: ElementSet,
    vehicle: Vehicle,
    site: LaunchSite,
    station_name: str,
    start: datetime,
    end: datetime,
    cache: WindowCache | None = None,
) -> WindowSeries:
    """All windows of ``vehicle`` from ``site`` to the station between ``start`` and ``end``;
    ``cache`` keeps the windows of each :data:`WindowKey` across calls."""
    profile = profile_of(vehicle)
    key: WindowKey = (station_name, site.name, profile, start, end)
    records = None if cache is None else cache.get(key)
    if records is None:
        el = drag_free(elements)
        s = summarize(el)
        records = windows_with_phasing(
            sgp4_trajectory(el),
            pad_of(site),
            as_time(start),
            as_time(end),
            profile,
            s.mean_altitude_km,
            s.inclination_deg,
            _ranges(site),
        )
        if cache is not None:
            cache[key] = records
    own = vehicle.rendezvous_strategy.value
    dates = [r.window.launch_utc for r in records]
    return WindowSeries(
        vehicle=vehicle.name,
        site=site.name,
        station=station_name,
        strategy=own,
        lead_s=vehicle.launch_offset_s,
        span_start_utc=start,
        span_end_utc=end,
        windows=len(records),
        windows_per_year=dict(sorted(Counter(d.year for d in dates).items())),
        own_strategy_feasible=sum(
            1 for r in records if any(o.feasible and o.strategy == own for o in r.options)
        ),
        no_strategy=sum(1 for r in records if not any(o.feasible for o in r.options)),
        azimuth_deg=records[0].window.azimuth_deg if records else None,
        launch_time_utc_hours=[round(d.hour + d.minute / 60 + d.second / 3600, 4) for d in dates],
        launch_dates_utc=dates,
        phase_angle_deg=[round(r.phase_angle_deg, 2) for r in records],
        first_windows=[window_sample(r) for r in records[:SAMPLE_WINDOWS]],
    )


# --------------------------------------------------------------------------- the windows query

MAX_SPAN_DAYS = 3660

if TYPE_CHECKING:
    AscentS = float
    LeadS = float
else:
    AscentS = field_type(Vehicle, "ascent_duration_s")
    LeadS = field_type(Vehicle, "launch_offset_s")


class WindowsRequest(SpanRequest):
    """Windows of one station (an element file) from one launch site over a span."""

    elements_file: Path
    object_id: str | None = None
    site: str
    ascent_s: AscentS | None = None
    strategy: RendezvousProfile | None = None
    lead_s: LeadS | None = None

    @field_validator("site")
    @classmethod
    def _site(cls, text: str) -> str:
        resolve_launch_site(text)
        return text


@dataclass(frozen=True)
class WindowsAnswer:
    """The windows found, and every value they rest on."""

    object_name: str
    catalog_number: int
    site: str
    pad: Pad
    profile: AscentProfile
    profile_source: str
    """Where the ascent, profile, insertion altitude and lead came from."""
    strategies: tuple[str, ...]
    records: list[WindowRecord]
    start_utc: datetime
    end_utc: datetime
    """End of the search: the request's, or earlier where SGP4 stops (see ``notes``)."""
    notes: list[str]


def launch_windows(req: WindowsRequest) -> WindowsAnswer:
    """Every window of the request's span, with the insertion phase angle and, per profile,
    feasibility, docking time and delta-v."""
    if (req.end_utc - req.start_utc) > timedelta(days=MAX_SPAN_DAYS):
        raise request_error("end_utc", f"the span is limited to {MAX_SPAN_DAYS} days")
    where = resolve_launch_site(req.site)
    el = find_object(read_elements(req.elements_file), req.object_id)
    summary = summarize(el)
    if summary.inclination_deg < abs(where.pad.lat_deg):
        raise request_error(
            "site",
            f"latitude {where.pad.lat_deg:g} deg exceeds the orbit's inclination "
            f"{summary.inclination_deg:.2f} deg: the plane never passes over this site, "
            "so there is no direct-ascent window",
        )
    notes: list[str] = []
    end = until_sgp4_limit(el, req.start_utc, req.end_utc, "windows", notes)
    if where.vehicle is not None:
        base = profile_of(where.vehicle)
        source = f"vehicle {where.vehicle.name} (first to fly from {where.label})"
    else:
        base = AscentProfile()
        source = "defaults (no vehicle flies from a LAT,LON site)"
    overrides: dict[str, object] = {}
    if req.ascent_s is not None:
        overrides["ascent_s"] = req.ascent_s
    if req.strategy is not None:
        overrides["strategy"] = req.strategy.value
    if req.lead_s is not None:
        overrides["lead_s"] = req.lead_s
    profile = dataclasses.replace(base, **overrides)  # type: ignore[arg-type]
    if overrides:
        source += "; given: " + ", ".join(sorted(overrides))
    names = (req.strategy.value,) if req.strategy is not None else tuple(STRATEGIES)
    ranges = None
    if where.site is not None:
        ranges = [(r.min_deg, r.max_deg) for r in where.site.allowed_azimuths_deg]
    records = windows_with_phasing(
        sgp4_trajectory(el),
        where.pad,
        as_time(req.start_utc),
        as_time(end),
        profile,
        summary.mean_altitude_km,
        summary.inclination_deg,
        ranges,
        names,
    )
    return WindowsAnswer(
        object_name=el.name,
        catalog_number=el.catalog_number,
        site=where.label,
        pad=where.pad,
        profile=profile,
        profile_source=source,
        strategies=names,
        records=records,
        start_utc=req.start_utc,
        end_utc=end,
        notes=notes,
    )
