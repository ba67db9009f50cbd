"""Rendezvous phasing: which profiles a phase angle at insertion allows, when docking happens,
and a delta-v estimate.

Model (documented, not tabulated): after insertion into a low near-circular phasing orbit at
``insertion_altitude_km`` the vehicle catches up on the station at the difference of their
mean motions. A profile of N revolutions (counted from lift-off, as the profile names do:
"2-orbit", "4-orbit", "34-orbit") leaves T = N P_ins - ascent for phasing and the final
transfer. The vehicle may phase anywhere between its insertion altitude and the station's, so
the catch-up it can achieve spans

* most: stay at the insertion altitude until a final half-orbit Hohmann transfer,
* least: transfer at once and wait just below the station (only the transfer's catch-up).

A phase angle theta (station ahead of the vehicle along the orbit, deg) is feasible when
theta + 360 k lies in that span for some whole k >= 0 (multi-day profiles lap the station).
Docking: lift-off + N P_ins (checked against Soyuz TMA-16M, 4 orbits: 5 h 54 min predicted,
5 h 50 min flown). Delta-v: the Hohmann transfer from the insertion orbit to the station's
(Vallado 2013, Algorithm 36) plus the out-of-plane correction v 2 sin(di/2).

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


@dataclass(frozen=True)
class PhasingOption:
    """One profile evaluated for one phase angle."""

    strategy: str
    feasible: bool
    min_phase_deg: float
    max_phase_deg: float
    docking_after_launch_s: float
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
        columns.append([PhasingOption(name, bool(f), lo, hi, total_s, dv) for f in ok])
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
