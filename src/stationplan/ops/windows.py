"""Launch windows per vehicle, launch site and station across the programme, and the windows
query of one element set from one site (the use case behind ``stationplan windows``).

The query flies a vehicle of a scenario (its pad, ascent, insertion orbit, rendezvous profile
and calibrated lift-off lead), a named site's first vehicle, or, from a LAT,LON pad with no
vehicle, assumed defaults; every value it rests on is returned with where it came from. A lead
of 0 s nobody calibrated puts lift-off at the pad's crossing of the plane, minutes late for a
real vehicle (about three for a Soyuz from Baikonur): the answer says so.

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

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from stationplan.ops.ephemeris import until_sgp4_limit
from stationplan.ops.requests import SpanRequest, field_type, request_error
from stationplan.ops.sites import (
    default_scenario,
    find_launch_site,
    looks_like_coordinates,
    parse_lat_lon,
    resolve_launch_site,
)
from stationplan.orbit.element_files import find_object, read_elements
from stationplan.orbit.elements import ElementSet, drag_free, summarize
from stationplan.orbit.launch import AscentProfile, Pad, WindowRecord, windows_with_phasing
from stationplan.orbit.propagate import sgp4_trajectory
from stationplan.orbit.rendezvous import STRATEGIES, RendezvousProfile
from stationplan.orbit.timescale import as_time
from stationplan.scenario import Scenario, load_scenario
from stationplan.scenario.models import (
    LaunchOffsetCheck,
    LaunchOffsetSource,
    LaunchSite,
    Vehicle,
)

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
    lead_s: float = Field(description="Lift-off lead before the plane crossing (s).")
    lead_source: LaunchOffsetSource = Field(
        default="assumed",
        description="Where the lead comes from (the vehicle's launch_offset_source).",
    )
    lead_check: LaunchOffsetCheck | None = Field(
        default=None,
        description="The held-out check of a fitted lead (the vehicle's launch_offset_check): "
        "lift-off errors (s) of flights not used in the fit; None if unchecked.",
    )
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
        lead_source=vehicle.launch_offset_source,
        lead_check=vehicle.launch_offset_check,
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


DEFAULT_ASSUMED = "default-assumed"
"""Source of a value neither given nor taken from a vehicle (:class:`AscentProfile`'s
default)."""
GIVEN = "given"
"""Source of a value given in the request."""

PROFILE_VALUES = ("ascent_s", "strategy", "insertion_altitude_km", "plane_change_deg", "lead_s")
"""The values of an :class:`AscentProfile`, in the order the answer states them."""

UNCALIBRATED_LEAD = "lift-off = plane crossing; give --vehicle or --lead-s"
"""What a lead of 0 s nobody calibrated means, and how to give one."""


class WindowsRequest(SpanRequest):
    """Windows of one station (an element file) from one launch site over a span.

    The pad is ``site`` (a site name of the scenario, or LAT,LON[,ALT_M]) or else the first
    launch site of ``vehicle``. The profile (ascent, rendezvous profile, insertion altitude,
    dogleg, lead) is ``vehicle``'s, else the named site's first vehicle's, else assumed
    defaults; ``ascent_s``, ``strategy`` and ``lead_s`` override single values. ``scenario``
    is a scenario file (None: the embedded default)."""

    elements_file: Path
    object_id: str | None = None
    scenario: Path | None = None
    vehicle: str | None = None
    site: str | None = Field(default=None, validate_default=True)
    ascent_s: AscentS | None = None
    strategy: RendezvousProfile | None = None
    lead_s: LeadS | None = None

    @field_validator("site")
    @classmethod
    def _site(cls, text: str | None, info: ValidationInfo) -> str | None:
        if text is None:
            if info.data.get("vehicle") is None:
                raise ValueError("give a launch site (name or LAT,LON) or a vehicle")
            return None
        if looks_like_coordinates(text):
            parse_lat_lon(text)
        elif info.data.get("scenario") is None:
            resolve_launch_site(text)  # a site of the default scenario; a file's is checked later
        return text


@dataclass(frozen=True)
class WindowsAnswer:
    """The windows found, and every value they rest on."""

    object_name: str
    catalog_number: int
    site: str
    pad: Pad
    profile: AscentProfile
    sources: dict[str, str]
    """Where each value of ``profile`` (:data:`PROFILE_VALUES`) came from: ``vehicle NAME``
    (with the lead's launch_offset_source: ``vehicle Soyuz MS, fitted lead``), :data:`GIVEN`
    or :data:`DEFAULT_ASSUMED`."""
    lead_warning: str | None
    """Set when the lead is 0 s because nothing calibrated it (also in ``notes``)."""
    strategies: tuple[str, ...]
    records: list[WindowRecord]
    start_utc: datetime
    end_utc: datetime
    """End of the search: the request's, or earlier where SGP4 stops (see ``notes``)."""
    notes: list[str]


def _scenario(path: Path | None) -> tuple[Scenario, str]:
    """The requested scenario and how to name it in a message."""
    if path is None:
        return default_scenario(), "the default scenario"
    return load_scenario(path).scenario, f"scenario {path}"


def _vehicle(sc: Scenario, label: str, name: str) -> Vehicle:
    """The vehicle of ``sc`` called ``name`` (case-insensitive; a unique prefix will do)."""
    wanted = name.strip().lower()
    exact = [v for v in sc.vehicles if v.name.lower() == wanted]
    matches = exact or [v for v in sc.vehicles if wanted and v.name.lower().startswith(wanted)]
    if len(matches) != 1:
        names = ", ".join(v.name for v in sc.vehicles)
        raise request_error(
            "vehicle", f"'{name}' names no single vehicle of {label}; its vehicles: {names}"
        )
    return matches[0]


def _named_site(sc: Scenario, label: str, text: str) -> LaunchSite:
    """The launch site of ``sc`` named ``text`` (case-insensitive prefix)."""
    try:
        return find_launch_site(sc, text, label)
    except ValueError as exc:
        raise request_error("site", str(exc)) from None


@dataclass(frozen=True)
class _Place:
    label: str
    pad: Pad
    site: LaunchSite | None


def _place(sc: Scenario, label: str, text: str | None, vehicle: Vehicle | None) -> _Place:
    """The pad of the request: ``text`` (a site of ``sc`` or LAT,LON), else the first launch
    site of ``vehicle``."""
    if text is not None and looks_like_coordinates(text):
        lat, lon, alt = parse_lat_lon(text)
        return _Place(text.strip(), Pad(lat, lon, alt), None)
    if text is not None:
        site = _named_site(sc, label, text)
    else:
        if vehicle is None:  # the request's validator refuses this
            raise request_error("site", "give a launch site (name or LAT,LON) or a vehicle")
        site = next(s for s in sc.launch_sites if s.name == vehicle.launch_sites[0])
    return _Place(site.name, pad_of(site), site)


def _lead_warning(profile: AscentProfile, lead_from: Vehicle | None, given: bool) -> str | None:
    """The warning of a lead of 0 s nothing calibrated (not one given, nor a vehicle's
    fitted or geometric lead)."""
    if profile.lead_s != 0 or given:
        return None
    if lead_from is None:
        return f"lead 0 s assumed: nothing calibrates it; {UNCALIBRATED_LEAD}"
    if lead_from.launch_offset_source == "assumed":
        return (
            f"lead 0 s: {lead_from.name}'s launch_offset_s is not calibrated "
            f"(launch_offset_source: assumed); {UNCALIBRATED_LEAD}"
        )
    return None


def launch_windows(req: WindowsRequest) -> WindowsAnswer:
    """Every window of the request's span, with the insertion phase angle and, per profile,
    feasibility, docking time and delta-v."""
    if (req.end_utc - req.start_utc) > timedelta(days=MAX_SPAN_DAYS):
        raise request_error("end_utc", f"the span is limited to {MAX_SPAN_DAYS} days")
    sc, label = _scenario(req.scenario)
    vehicle = None if req.vehicle is None else _vehicle(sc, label, req.vehicle)
    where = _place(sc, label, req.site, vehicle)
    el = find_object(read_elements(req.elements_file), req.object_id, req.start_utc)
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
    flown, source = vehicle, DEFAULT_ASSUMED
    if vehicle is not None:
        source = f"vehicle {vehicle.name}"
        if where.site is not None and where.site.name not in vehicle.launch_sites:
            notes.append(
                f"{vehicle.name} flies from {', '.join(vehicle.launch_sites)} in {label}, not "
                f"from {where.site.name}: its ascent, profile and lead are used there as they are"
            )
    elif where.site is not None:
        flown = next((v for v in sc.vehicles if where.site.name in v.launch_sites), None)
        if flown is not None:
            source = f"vehicle {flown.name} (first to fly from {where.label})"
    base = AscentProfile() if flown is None else profile_of(flown)
    sources = dict.fromkeys(PROFILE_VALUES, source)
    if flown is not None:
        sources["lead_s"] += f", {flown.launch_offset_source} lead"
    overrides: dict[str, object] = {}
    if req.ascent_s is not None:
        overrides["ascent_s"] = req.ascent_s
    if req.strategy is not None:
        overrides["strategy"] = req.strategy.value
    if req.lead_s is not None:
        overrides["lead_s"] = req.lead_s
    profile = dataclasses.replace(base, **overrides)  # type: ignore[arg-type]
    sources.update(dict.fromkeys(overrides, GIVEN))
    lead_warning = _lead_warning(profile, flown, "lead_s" in overrides)
    if lead_warning is not None:
        notes.append(lead_warning)
    names = (req.strategy.value,) if req.strategy is not None else tuple(STRATEGIES)
    ranges = None if where.site is None else _ranges(where.site)
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
        sources=sources,
        lead_warning=lead_warning,
        strategies=names,
        records=records,
        start_utc=req.start_utc,
        end_utc=end,
        notes=notes,
    )
