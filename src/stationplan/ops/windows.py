"""Launch windows per vehicle, launch site and station across the programme, and the window
of one flight (the function the manifest scheduler calls).

The station is flown drag-free from its element set (its plane precesses with J2 at constant
mean altitude, as a station holding its band by reboosts does). Window *times* months ahead
are therefore as good as the plane's secular model; *phase angles* months ahead are only
indicative, since every reboost shifts the station along its orbit: re-plan a flight with a
fresh element set in the weeks before it.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from stationplan.orbit.elements import ElementSet, drag_free, summarize
from stationplan.orbit.launch import AscentProfile, Pad, WindowRecord, windows_with_phasing
from stationplan.orbit.propagate import sgp4_trajectory
from stationplan.orbit.timescale import as_time, timescale
from stationplan.scenario.models import LaunchSite, Vehicle

SAMPLE_WINDOWS = 10


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
    first_windows: list[dict[str, object]] = Field(description="The first windows in full.")


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


def window_series(
    elements: ElementSet,
    vehicle: Vehicle,
    site: LaunchSite,
    station_name: str,
    start: datetime,
    end: datetime,
) -> WindowSeries:
    """All windows of ``vehicle`` from ``site`` to the station between ``start`` and ``end``."""
    el = drag_free(elements)
    s = summarize(el)
    records = windows_with_phasing(
        sgp4_trajectory(el),
        pad_of(site),
        as_time(start),
        as_time(end),
        profile_of(vehicle),
        s.mean_altitude_km,
        s.inclination_deg,
        _ranges(site),
    )
    own = vehicle.rendezvous_strategy.value
    ts = timescale()
    dates = [ts.tt_jd(r.window.launch_jd_tt).utc_datetime() for r in records]
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
        first_windows=[r.as_dict() for r in records[:SAMPLE_WINDOWS]],
    )


def flight_window(
    elements: ElementSet,
    vehicle: Vehicle,
    site: LaunchSite,
    not_before: datetime,
    search_days: float = 3.0,
) -> WindowRecord | None:
    """The first window of a flight at or after ``not_before`` whose phase suits the vehicle's
    own rendezvous profile, searching ``search_days``; None when there is none.

    Uses the element set as given (with drag): for a flight days or weeks ahead this is the
    best the element set knows.
    """
    s = summarize(elements)
    records = windows_with_phasing(
        sgp4_trajectory(elements),
        pad_of(site),
        as_time(not_before),
        as_time(not_before + timedelta(days=search_days)),
        profile_of(vehicle),
        s.mean_altitude_km,
        s.inclination_deg,
        _ranges(site),
    )
    own = vehicle.rendezvous_strategy.value
    for r in records:
        if any(o.feasible and o.strategy == own for o in r.options):
            return r
    return None
