"""Rendezvous phasing: which profiles a phase angle at insertion allows, when docking happens,
and a delta-v estimate.

Feasibility (documented, not tabulated): after insertion into a low near-circular phasing orbit
at ``insertion_altitude_km`` the vehicle catches up on the station at the difference of their
mean motions. A profile of N revolutions (counted from lift-off, as the profile names do:
"2-orbit", "4-orbit", "34-orbit") leaves T = N P_ins - ascent for phasing and the final
transfer. The vehicle may phase anywhere between its insertion altitude and the station's, so
the catch-up it can achieve spans

* most: stay at the insertion altitude until a final half-orbit Hohmann transfer,
* least: transfer at once and wait just below the station (only the transfer's catch-up).

A phase angle theta (station ahead of the vehicle along the orbit, deg) is feasible when
theta + 360 k lies in that span for some whole k >= 0 (multi-day profiles lap the station).

Docking time: the profiles as flown, see :data:`TIMELINES` and :func:`docking_after_launch_s`.
It follows from the insertion phase angle for the Soyuz fast profiles (docking after a fixed
number of the vehicle's own revolutions) and for Crew Dragon (a calibrated phase law); the
Soyuz 2-day profile docks a fixed time after lift-off whatever the phase (its phasing burns on
orbits 3-5 absorb the phase). Delta-v: the Hohmann transfer from the insertion orbit to the
station's (Vallado 2013, Algorithm 36) plus the out-of-plane correction v 2 sin(di/2).

Orbital mechanics from Vallado (2013) ch. 6. Profile lengths from Roscosmos / RSC Energia flight
reports: 2-orbit ~3 h (first crewed on Soyuz MS-17, RSC Energia, 14 October 2020), 4-orbit ~6 h
(first crewed on Soyuz TMA-08M, March 2013), 2-day = 34 orbits (the classic and backup profile).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from stationplan.orbit.constants import MU_KM3_S2, R_EQ_KM
from stationplan.orbit.twobody import hohmann_dv_m_s, mean_motion_rad_s, period_s


class RendezvousProfile(StrEnum):
    """The rendezvous profiles from insertion to docking, named by their length."""

    TWO_ORBIT = "2orbit"
    FOUR_ORBIT = "4orbit"
    ONE_DAY = "1day"
    TWO_DAY = "2day"
    THREE_DAY = "3day"


@dataclass(frozen=True)
class Strategy:
    """A rendezvous profile: its name and its length in revolutions from lift-off."""

    name: str
    revolutions: float


_REVOLUTIONS = {
    RendezvousProfile.TWO_ORBIT: 2,
    RendezvousProfile.FOUR_ORBIT: 4,
    RendezvousProfile.ONE_DAY: 16,
    RendezvousProfile.TWO_DAY: 34,
    RendezvousProfile.THREE_DAY: 49,
}

STRATEGIES: dict[str, Strategy] = {
    p.value: Strategy(p.value, _REVOLUTIONS[p]) for p in RendezvousProfile
}


class DockingLaw(StrEnum):
    """How a profile's docking time follows from the insertion phase angle."""

    VEHICLE_REVOLUTIONS = "vehicle_revolutions"
    FIXED_DURATION = "fixed_duration"
    LINEAR_PHASE = "linear_phase"


@dataclass(frozen=True)
class Timeline:
    """A rendezvous profile as flown: how its docking time depends on the insertion phase.

    * ``VEHICLE_REVOLUTIONS``: the vehicle docks after ``revolutions_to_docking`` of its own
      revolutions counted from insertion; its burns set its mean period so that it meets the
      station then. Over that time T the vehicle travels N 360 deg and the station
      N 360 - theta deg, so T = P_station (N - theta / 360) (station period P, phase theta in
      [0, 360) deg, no lap: the fast profiles never lap the station).
    * ``FIXED_DURATION``: docking ``duration_s`` after lift-off whatever the phase.
    * ``LINEAR_PHASE``: docking ``duration_s + slope_s_per_deg (theta - reference_phase_deg)``
      after lift-off: an empirical law (no published burn plan to model).
    """

    law: DockingLaw
    revolutions_to_docking: float = 0.0
    duration_s: float = 0.0
    slope_s_per_deg: float = 0.0
    reference_phase_deg: float = 0.0


TIMELINES: dict[str, Timeline] = {
    # Soyuz/Progress 2-orbit: two phasing burns on the first orbit, autonomous rendezvous on
    # the second, docking at the end of the vehicle's second revolution from insertion
    # (Roscosmos / TASS, Soyuz MS-27, 8 April 2025: "ultra-short two-orbit scheme", docked
    # 3 h 10 min after lift-off; RSC Energia, Soyuz MS-17, 14 October 2020: 3 h 03 min).
    RendezvousProfile.TWO_ORBIT.value: Timeline(DockingLaw.VEHICLE_REVOLUTIONS, 2.0),
    # Soyuz/Progress 4-orbit (first crewed on Soyuz TMA-08M, March 2013): docking on the
    # vehicle's fourth revolution, about 5 h 50 min after lift-off (Soyuz TMA-16M, 27-28 March
    # 2015, Wikipedia infobox: launch 19:42:57, docking 01:33 UTC); 3.75 revolutions from
    # insertion reproduce that flight at its insertion phase (22 deg).
    RendezvousProfile.FOUR_ORBIT.value: Timeline(DockingLaw.VEHICLE_REVOLUTIONS, 3.75),
    # Crew Dragon / Cargo Dragon about one day: no burn plan is published; a linear law in
    # the insertion phase fitted on Crew-9 (28 September 2024) and Crew-10 (14 March 2025)
    # (NASA: docked 28 h 13 min and 29 h 01 min after lift-off), checked on CRS-32 and Ax-4
    # (tests/data/iss_visiting_vehicle_launches_2024-2025.csv).
    RendezvousProfile.ONE_DAY.value: Timeline(
        DockingLaw.LINEAR_PHASE,
        duration_s=101_580.0,
        slope_s_per_deg=28.0,
        reference_phase_deg=103.0,
    ),
    # Soyuz/Progress 2-day: 34 orbits, about 50 h (Roscosmos for Progress MS-31, 3 July
    # 2025: "34 orbits ... 50 hours"); phasing burns on orbits 3-5 absorb the phase, so the
    # docking time does not depend on it. Duration: mean of Progress MS-29 (50 h 09 min) and
    # MS-30 (49 h 38 min); Progress MS-31 is held out.
    RendezvousProfile.TWO_DAY.value: Timeline(DockingLaw.FIXED_DURATION, duration_s=179_610.0),
    # 3-day: no flight to calibrate on; 49 revolutions of a 220 km orbit (about 72 h).
    RendezvousProfile.THREE_DAY.value: Timeline(
        DockingLaw.FIXED_DURATION, duration_s=49 * float(period_s(220.0))
    ),
}


def docking_after_launch_s(
    strategy: str,
    phases_deg: NDArray[np.float64],
    ascent_s: float,
    station_altitude_km: float,
) -> NDArray[np.float64]:
    """Time (s) from lift-off to docking of ``strategy`` for each insertion phase angle
    (station ahead of the vehicle, deg, (N,)), by the profile's :class:`Timeline`.

    ``ascent_s`` (s, lift-off to insertion) counts for the revolution law only (the other
    durations run from lift-off); the station's period is that of a circular orbit at
    ``station_altitude_km``.

    >>> round(float(docking_after_launch_s("2orbit", np.array([12.6]), 528.0, 419.0)[0]) / 60)
    191
    """
    tl = TIMELINES[strategy]
    theta = np.mod(np.asarray(phases_deg, dtype=float), 360.0)
    if tl.law is DockingLaw.VEHICLE_REVOLUTIONS:
        p_s = period_s(station_altitude_km)
        out: NDArray[np.float64] = ascent_s + p_s * (tl.revolutions_to_docking - theta / 360.0)
        return out
    if tl.law is DockingLaw.LINEAR_PHASE:
        linear: NDArray[np.float64] = tl.duration_s + tl.slope_s_per_deg * (
            theta - tl.reference_phase_deg
        )
        return linear
    return np.full(theta.shape, tl.duration_s)


@dataclass(frozen=True)
class PhasingOption:
    """One profile evaluated for one phase angle."""

    strategy: str
    feasible: bool
    min_phase_deg: float
    max_phase_deg: float
    docking_after_launch_s: float
    """Lift-off to docking (s), by :func:`docking_after_launch_s` for this phase."""
    dv_m_s: float


def phasing_options(
    phase_deg: float,
    station_altitude_km: float,
    insertion_altitude_km: float,
    ascent_s: float,
    plane_error_deg: float | Mapping[str, float] = 0.0,
    strategies: tuple[str, ...] = tuple(STRATEGIES),
) -> list[PhasingOption]:
    """Evaluate each profile for a phase angle at insertion (station ahead, deg)."""
    return phasing_table(
        np.array([phase_deg]),
        station_altitude_km,
        insertion_altitude_km,
        ascent_s,
        plane_error_deg,
        strategies,
    )[0]


def phasing_table(
    phases_deg: NDArray[np.float64],
    station_altitude_km: float,
    insertion_altitude_km: float,
    ascent_s: float,
    plane_error_deg: float | Mapping[str, float] = 0.0,
    strategies: tuple[str, ...] = tuple(STRATEGIES),
) -> list[list[PhasingOption]]:
    """:func:`phasing_options` for many phase angles (deg, (N,)) at once; ``plane_error_deg``
    may differ per profile (a mapping by profile name)."""
    n_s = mean_motion_rad_s(station_altitude_km)
    n_i = mean_motion_rad_s(insertion_altitude_km)
    transfer_alt = (station_altitude_km + insertion_altitude_km) / 2.0
    t_h = period_s(transfer_alt) / 2.0
    catch_transfer = math.degrees((mean_motion_rad_s(transfer_alt) - n_s) * t_h)
    v_s = math.sqrt(MU_KM3_S2 / (R_EQ_KM + station_altitude_km)) * 1000.0
    transfer = hohmann_dv_m_s(R_EQ_KM + insertion_altitude_km, R_EQ_KM + station_altitude_km)
    theta = np.mod(np.asarray(phases_deg, dtype=float), 360.0)
    columns = []
    for name in strategies:
        err = plane_error_deg if isinstance(plane_error_deg, float | int) else plane_error_deg[name]
        dv = transfer + 2.0 * v_s * math.sin(math.radians(abs(err)) / 2.0)
        total_s = STRATEGIES[name].revolutions * period_s(insertion_altitude_km)
        phasing_s = max(0.0, total_s - ascent_s - t_h)
        lo = catch_transfer
        hi = catch_transfer + math.degrees((n_i - n_s) * phasing_s)
        k = np.maximum(0.0, np.ceil((lo - theta) / 360.0))
        ok = (lo <= theta + 360.0 * k) & (theta + 360.0 * k <= hi)
        dock_s = docking_after_launch_s(name, theta, ascent_s, station_altitude_km)
        columns.append(
            [
                PhasingOption(name, bool(f), lo, hi, float(d), dv)
                for f, d in zip(ok, dock_s, strict=True)
            ]
        )
    return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in theta]


def nodal_offset_deg(
    phasing_s: float,
    insertion_altitude_km: float,
    station_altitude_km: float,
    inclination_deg: float,
) -> float:
    """Difference of secular J2 node regression (deg) between the phasing orbit and the
    station's over ``phasing_s``: the vehicle must be inserted this much east of the station's
    plane so that both planes coincide when they meet (negative of the extra regression)."""
    from stationplan.orbit.plane import nodal_rate_rad_s

    d_rate = nodal_rate_rad_s(insertion_altitude_km, inclination_deg) - nodal_rate_rad_s(
        station_altitude_km, inclination_deg
    )
    return -math.degrees(d_rate * phasing_s)
