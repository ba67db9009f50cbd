"""Launch windows: when a launch site passes through the plane a vehicle must be inserted into.

Model. A rocket flies (nearly) in the inertial plane that contains the Earth's centre and the
pad at lift-off, so the launch instant t_L is when the pad's inertial position lies in the
*target plane* — the station's plane at insertion (t_L + ascent), rotated about the Earth's
axis by the nodal offset the profile needs: a vehicle that phases for days in a lower orbit
regresses faster (secular J2) and must start east of the station's plane to meet it coplanar
(:func:`stationplan.orbit.rendezvous.nodal_offset_deg`, at the mean phasing altitude midway
between insertion and station); a 3- or 6-hour profile barely needs any. A vehicle may carry
a calibrated lead (seconds, fitted on past flights) that absorbs what this geometry leaves out
(yaw steering in ascent, the real insertion point). With a
plane-change (dogleg) capability d the window is the span where the pad is within d of the
target plane; without one it is instantaneous.

The station's plane comes from its trajectory (SGP4 r x v, osculating). The crossings are
bracketed by sampling the pad's signed distance to the plane at a step shorter than half the
shortest time between two crossings (:func:`search_step_s`: no step can then hold two), and
each bracket is solved by SciPy's vectorised Chandrupatla root finder
(``scipy.optimize.elementwise.find_root``) to 0.1 ms.

Launch azimuth: the inertial azimuth of the plane at the pad, corrected for the pad's
eastward speed to the azimuth flown from the rotating Earth (Vallado 2013 sec. 6.4; Curtis
2014 eq. 6.8-ish: tan(az) = (v sin az_i - v_eq cos(lat)) / (v cos az_i)).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import elementwise
from skyfield.timelib import Time

from stationplan.orbit import frames
from stationplan.orbit.arrays import Array, StateFunction
from stationplan.orbit.constants import MU_KM3_S2, OMEGA_EARTH_RAD_S, R_EQ_KM
from stationplan.orbit.rendezvous import (
    STRATEGIES,
    PhasingOption,
    phasing_table,
)
from stationplan.orbit.timescale import DAY_S, offset, timescale, to_datetimes
from stationplan.orbit.twobody import period_s

MAX_SEARCH_STEP_S = 3600.0
MIN_SEARCH_STEP_S = 60.0
ROOT_TOL_S = 1e-4  # crossings solved to 0.1 ms


def search_step_s(lat_deg: float, inclination_deg: float) -> float:
    """Sampling step (s) of the plane-crossing search for a pad at ``lat_deg`` and a plane of
    ``inclination_deg``: a third of the shortest time between two crossings, within
    [60 s, 1 h].

    The pad crosses a plane of inclination i where its longitude from the node satisfies
    sin(l) = tan(lat) / tan(i): twice a turn, at l and pi - l, so the shorter gap is
    pi - 2 asin(tan|lat| / tan i) of the pad's turn relative to the plane (the Earth's rotation
    plus the node's regression, under 1/1000 of it for LEO: neglected, on the safe side with
    the factor 3). A step below that gap cannot hold two crossings (whose sign changes would
    cancel). Baikonur (46.0 deg) under a 51.6 deg plane: 4.6 h apart, Kennedy (28.6 deg):
    8.6 h. A pad within 1/1000 of tangency, or above the inclination (no crossings but for
    grazing pairs), gets the smallest step.
    """
    k = abs(math.tan(math.radians(lat_deg)) / math.tan(math.radians(inclination_deg)))
    if k >= 0.999:
        return MIN_SEARCH_STEP_S
    gap_s = (math.pi - 2.0 * math.asin(k)) / OMEGA_EARTH_RAD_S
    return min(MAX_SEARCH_STEP_S, max(MIN_SEARCH_STEP_S, gap_s / 3.0))


def plane_crossings(
    side: Callable[[Time], Array], t0: Time, t1: Time, step_s: float
) -> Time | None:
    """Instants between ``t0`` and ``t1`` where ``side`` (a continuous signed distance of the
    pad to the plane) changes sign: sampled every ``step_s``, each sign change then solved by
    Chandrupatla's method (SciPy) to :data:`ROOT_TOL_S`. Samples where ``side`` is NaN (the
    station has no state) bracket nothing. None when there is no crossing."""
    span_s = float(t1.tt - t0.tt) * DAY_S
    grid_s = np.append(np.arange(0.0, span_s, step_s), span_s)
    y = side(offset(t0, grid_s))
    above = y > 0
    idx = np.flatnonzero((above[1:] != above[:-1]) & np.isfinite(y[1:]) & np.isfinite(y[:-1]))
    if idx.size == 0:
        return None

    def f(x_s: Array) -> Array:
        shape = np.shape(x_s)
        return side(offset(t0, np.ravel(x_s))).reshape(shape)

    tol = {"xatol": ROOT_TOL_S, "xrtol": 0.0, "fatol": 0.0, "frtol": 0.0}
    res = elementwise.find_root(f, (grid_s[idx], grid_s[idx + 1]), tolerances=tol)
    return offset(t0, np.asarray(res.x, dtype=float))


@dataclass(frozen=True)
class Pad:
    """A launch pad: WGS84 latitude, longitude (deg) and height (m)."""

    lat_deg: float
    lon_deg: float
    alt_m: float = 0.0


@dataclass(frozen=True)
class AscentProfile:
    """What the window model needs of a vehicle and its rendezvous profile.

    The defaults describe a Soyuz-2.1a to a 2-day rendezvous, used when no vehicle is named:
    528 s from lift-off to orbit insertion (Soyuz MS flights, e.g. MS-01: "Soyuz MS-01
    separates from the third stage at 8 min 48 s", NASA ISS blog, 7 July 2016), a 220 km
    insertion orbit, no dogleg and no calibrated lead.
    """

    ascent_s: float = 528.0
    strategy: str = "2day"
    insertion_altitude_km: float = 220.0
    plane_change_deg: float = 0.0
    lead_s: float = 0.0


@dataclass(frozen=True)
class Window:
    """One launch opportunity. Times are TT Julian dates (the search's own), with the same
    instants as UTC datetimes (converted for all the windows of a search at once). An
    instantaneous window (no dogleg) has ``opens == closes == launch``."""

    launch_jd_tt: float
    plane_crossing_jd_tt: float
    opens_jd_tt: float
    closes_jd_tt: float
    ascending: bool
    azimuth_deg: float
    inertial_azimuth_deg: float
    nodal_offset_deg: float
    launch_utc: datetime
    """Lift-off (UTC)."""
    plane_crossing_utc: datetime
    """The pad's crossing of the target plane (UTC); lift-off is ``lead_s`` before."""
    opens_utc: datetime
    """First instant of the window (UTC)."""
    closes_utc: datetime
    """Last instant of the window (UTC)."""

    @property
    def width_s(self) -> float:
        """Width of the window (s): 0 for an instantaneous one."""
        return (self.closes_jd_tt - self.opens_jd_tt) * DAY_S


def _utc_all(jd_tt: NDArray[np.float64]) -> list[datetime]:
    """UTC datetimes of TT Julian dates, in one vectorised conversion."""
    return to_datetimes(timescale().tt_jd(np.asarray(jd_tt, dtype=float)))


def pad_teme_km(pad: Pad, t: Time) -> Array:
    """The pad's position in TEME of date (km), (N, 3)."""
    r_itrs = frames.geodetic_to_itrs(pad.lat_deg, pad.lon_deg, pad.alt_m)
    return frames.itrs_to_teme(r_itrs[None, :], t)


def _plane_normal(state: StateFunction, t: Time) -> Array:
    r, v = state(t)
    h: Array = np.cross(np.atleast_2d(r), np.atleast_2d(v))
    unit: Array = h / np.linalg.norm(h, axis=1)[:, None]
    return unit


def _rotate_z(vec: Array, angle_deg: float) -> Array:
    a = np.radians(angle_deg)
    c, s = np.cos(a), np.sin(a)
    return np.stack([c * vec[:, 0] - s * vec[:, 1], s * vec[:, 0] + c * vec[:, 1], vec[:, 2]], -1)


def target_normal(
    state: StateFunction, t: Time, profile: AscentProfile, offset_deg: float
) -> Array:
    """Unit normal of the plane to insert into, for lift-off at each epoch of ``t``."""
    return _rotate_z(_plane_normal(state, offset(t, profile.ascent_s)), offset_deg)


def _azimuths(normal: Array, pad_unit: Array, lat_deg: float, alt_km: float) -> tuple[Array, Array]:
    """Inertial and Earth-relative launch azimuths (deg) at the pad for each plane normal."""
    d = np.cross(normal, pad_unit)  # direction of motion along the plane at the pad
    z = np.array([0.0, 0.0, 1.0])
    east = np.cross(z, pad_unit)
    east /= np.linalg.norm(east, axis=1)[:, None]
    north = np.cross(pad_unit, east)
    az_i = np.arctan2(np.einsum("ij,ij->i", d, east), np.einsum("ij,ij->i", d, north))
    v = np.sqrt(MU_KM3_S2 / (R_EQ_KM + alt_km))
    v_eq = OMEGA_EARTH_RAD_S * R_EQ_KM * np.cos(np.radians(lat_deg))
    az = np.arctan2(v * np.sin(az_i) - v_eq, v * np.cos(az_i))
    return np.degrees(az_i) % 360.0, np.degrees(az) % 360.0


def profile_nodal_offset_deg(
    profile: AscentProfile, strategy: str, station_altitude_km: float, inclination_deg: float
) -> float:
    """Nodal offset (deg) of the target plane for a vehicle flying ``strategy``
    (:func:`stationplan.orbit.rendezvous.nodal_offset_deg` over the profile's phasing time)."""
    from stationplan.orbit.rendezvous import nodal_offset_deg

    phasing_s = (
        STRATEGIES[strategy].revolutions * period_s(profile.insertion_altitude_km)
        - profile.ascent_s
    )
    # the vehicle phases from its insertion altitude up to the station's: on average it flies
    # midway between them (Soyuz 2-day: 200 x 240 km raised to ~330 km on orbits 3-5)
    phasing_alt = (profile.insertion_altitude_km + station_altitude_km) / 2.0
    return nodal_offset_deg(phasing_s, phasing_alt, station_altitude_km, inclination_deg)


def launch_windows(
    state: StateFunction,
    pad: Pad,
    t0: Time,
    t1: Time,
    profile: AscentProfile,
    station_altitude_km: float,
    inclination_deg: float,
    allowed_azimuths_deg: list[tuple[float, float]] | None = None,
) -> list[Window]:
    """Every launch opportunity from ``pad`` between ``t0`` and ``t1``.

    Both passes of each day are returned (ascending: the vehicle heads north-east/west),
    filtered to the allowed azimuth ranges when given. ``launch_jd_tt`` is the geometric
    crossing of the target plane minus the profile's calibrated lead.
    """
    d_node = profile_nodal_offset_deg(
        profile, profile.strategy, station_altitude_km, inclination_deg
    )
    sin_d = np.sin(np.radians(profile.plane_change_deg))

    def side(t: Time) -> Array:
        n = target_normal(state, t, profile, d_node)
        p = pad_teme_km(pad, t)
        out: Array = np.einsum("ij,ij->i", n, p / np.linalg.norm(p, axis=1)[:, None])
        return out

    times = plane_crossings(side, t0, t1, search_step_s(pad.lat_deg, inclination_deg))
    if times is None:
        return []
    jd = np.atleast_1d(times.tt)
    normals = target_normal(state, times, profile, d_node)
    pad_unit = pad_teme_km(pad, times)
    pad_unit /= np.linalg.norm(pad_unit, axis=1)[:, None]
    az_i, az = _azimuths(normals, pad_unit, pad.lat_deg, station_altitude_km)
    # width: the out-of-plane angle changes at about d(side)/dt; with a dogleg d the window
    # spans |side| <= sin d around the crossing (linear in time over a few minutes)
    rate = (side(offset(times, 1.0)) - side(offset(times, -1.0))) / 2.0  # per second
    half_width_s = np.where(sin_d > 0, sin_d / np.maximum(np.abs(rate), 1e-12), 0.0)
    launch_jd = jd - profile.lead_s / DAY_S
    opens_jd = launch_jd - half_width_s / DAY_S
    closes_jd = launch_jd + half_width_s / DAY_S
    launch_utc, crossing_utc = _utc_all(launch_jd), _utc_all(jd)
    opens_utc, closes_utc = _utc_all(opens_jd), _utc_all(closes_jd)
    out = []
    for k in range(len(jd)):
        ascending = bool(np.cos(np.radians(az_i[k])) > 0)
        if allowed_azimuths_deg is not None and not any(
            lo <= az[k] <= hi for lo, hi in allowed_azimuths_deg
        ):
            continue
        out.append(
            Window(
                launch_jd_tt=float(launch_jd[k]),
                plane_crossing_jd_tt=float(jd[k]),
                opens_jd_tt=float(opens_jd[k]),
                closes_jd_tt=float(closes_jd[k]),
                ascending=ascending,
                azimuth_deg=float(az[k]),
                inertial_azimuth_deg=float(az_i[k]),
                nodal_offset_deg=d_node,
                launch_utc=launch_utc[k],
                plane_crossing_utc=crossing_utc[k],
                opens_utc=opens_utc[k],
                closes_utc=closes_utc[k],
            )
        )
    return out


def insertion_phase_deg(
    state: StateFunction, pad: Pad, launch: Time, profile: AscentProfile, downrange_deg: float
) -> Array:
    """Phase angle (deg, 0-360) of the station ahead of the vehicle at insertion, per launch.

    The vehicle is inserted ``downrange_deg`` along the target plane from the pad's inertial
    position at lift-off; the station's position is its trajectory at insertion.
    """
    t_ins = offset(launch, profile.ascent_s)
    r_s, v_s = state(t_ins)
    r_s, v_s = np.atleast_2d(r_s), np.atleast_2d(v_s)
    h = np.cross(r_s, v_s)
    h /= np.linalg.norm(h, axis=1)[:, None]
    p = pad_teme_km(pad, launch)
    p_in = p - h * np.einsum("ij,ij->i", h, p)[:, None]  # the pad projected into the plane
    p_in /= np.linalg.norm(p_in, axis=1)[:, None]
    a = np.radians(downrange_deg)
    vehicle = p_in * np.cos(a) + np.cross(h, p_in) * np.sin(a)
    station = r_s / np.linalg.norm(r_s, axis=1)[:, None]
    ang = np.degrees(
        np.arctan2(
            np.einsum("ij,ij->i", np.cross(vehicle, station), h),
            np.einsum("ij,ij->i", vehicle, station),
        )
    )
    out: Array = ang % 360.0
    return out


def default_downrange_deg(ascent_s: float, insertion_altitude_km: float) -> float:
    """Downrange angle of insertion: the vehicle averages about half orbital speed in ascent.

    >>> round(default_downrange_deg(528.0, 220.0), 1)  # Soyuz: ~1,800 km downrange
    17.8
    """
    v = np.sqrt(MU_KM3_S2 / (R_EQ_KM + insertion_altitude_km))
    return float(np.degrees(0.5 * v * ascent_s / (R_EQ_KM + insertion_altitude_km)))


@dataclass(frozen=True)
class WindowRecord:
    """A launch window with its insertion phase angle and the rendezvous options it allows."""

    window: Window
    phase_angle_deg: float
    options: list[PhasingOption]
    docking_utc_by_strategy: dict[str, datetime]
    """Docking time (UTC) of each evaluated profile flown from this window."""

    def docking_utc(self, option: PhasingOption) -> datetime:
        """Docking time of one of this window's profile options (UTC)."""
        return self.docking_utc_by_strategy[option.strategy]

    @property
    def feasible(self) -> list[PhasingOption]:
        """The profiles the insertion phase allows."""
        return [o for o in self.options if o.feasible]


def windows_with_phasing(
    state: StateFunction,
    pad: Pad,
    t0: Time,
    t1: Time,
    profile: AscentProfile,
    station_altitude_km: float,
    inclination_deg: float,
    allowed_azimuths_deg: list[tuple[float, float]] | None = None,
    strategies: tuple[str, ...] | None = None,
) -> list[WindowRecord]:
    """:func:`launch_windows` plus, for each, the insertion phase angle and every profile's
    feasibility, docking time and delta-v (only ``strategies`` when given).

    The windows aim at the plane of the vehicle's own profile (``profile.strategy``); another
    profile flown from the same lift-off pays, on top of the transfer, the out-of-plane
    correction of the difference between the two profiles' nodal offsets (a 2-day profile
    from a window aimed for a 2-orbit one: ~0.4 deg, ~55 m/s). Windows at which the station's
    state is unknown (SGP4 failed) are left out.
    """
    downrange = default_downrange_deg(profile.ascent_s, profile.insertion_altitude_km)
    windows = launch_windows(
        state, pad, t0, t1, profile, station_altitude_km, inclination_deg, allowed_azimuths_deg
    )
    if not windows:
        return []
    launches = timescale().tt_jd(np.array([w.launch_jd_tt for w in windows]))
    phases = insertion_phase_deg(state, pad, launches, profile, downrange)
    names = strategies if strategies is not None else tuple(STRATEGIES)
    # the window aims at the plane the vehicle's own profile needs; flying another profile
    # from it leaves the difference of the nodal offsets to correct out of plane
    targeted = profile_nodal_offset_deg(
        profile, profile.strategy, station_altitude_km, inclination_deg
    )
    plane_error = {
        n: targeted - profile_nodal_offset_deg(profile, n, station_altitude_km, inclination_deg)
        for n in names
    }
    table = phasing_table(
        phases,
        station_altitude_km,
        profile.insertion_altitude_km,
        profile.ascent_s,
        plane_error,
        names,
    )
    launch_jd = np.array([w.launch_jd_tt for w in windows])
    docking = {  # each window's own docking time: it follows from its insertion phase
        name: _utc_all(
            launch_jd + np.array([row[j].docking_after_launch_s for row in table]) / DAY_S
        )
        for j, name in enumerate(o.strategy for o in (table[0] if table else []))
    }
    return [
        WindowRecord(w, float(phase), options, {n: d[k] for n, d in docking.items()})
        for k, (w, phase, options) in enumerate(zip(windows, phases, table, strict=True))
        if np.isfinite(phase)  # else the station's state is unknown (SGP4 failed)
    ]
