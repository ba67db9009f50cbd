"""Two-body formulas of circular orbits and Hohmann transfers (Vallado 2013, ch. 6).

Radii and altitudes in km, speeds in km/s, delta-v in m/s; altitudes are above the WGS84
equatorial radius (:data:`~stationplan.orbit.constants.R_EQ_KM`). Functions take floats or
numpy arrays alike.
"""

from __future__ import annotations

from typing import TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from stationplan.orbit.constants import MU_KM3_S2, R_EQ_KM

F = TypeVar("F", float, NDArray[np.float64])


def _out(value: NDArray[np.float64]) -> object:
    return float(value) if np.ndim(value) == 0 else value


def mean_motion_rad_s(altitude_km: F) -> F:
    """Mean motion (rad/s) of a circular orbit at ``altitude_km``."""
    r = R_EQ_KM + np.asarray(altitude_km, dtype=float)
    return cast(F, _out(np.sqrt(MU_KM3_S2 / r**3)))


def period_s(altitude_km: F) -> F:
    """Period (s) of a circular orbit at ``altitude_km``.

    >>> round(period_s(400.0))  # the ISS at 400 km: about 92.6 minutes
    5554
    """
    return cast(F, _out(2.0 * np.pi / np.asarray(mean_motion_rad_s(altitude_km))))


def circular_speed_km_s(radius_km: F) -> F:
    """Speed (km/s) on a circular orbit of ``radius_km``."""
    return cast(F, _out(np.sqrt(MU_KM3_S2 / np.asarray(radius_km, dtype=float))))


def hohmann_burns_m_s(r_from_km: F, r_to_km: F) -> tuple[F, F]:
    """The two burns (m/s, signed: positive prograde) of a Hohmann transfer between circular
    orbits of radii ``r_from_km`` and ``r_to_km`` (Vallado 2013, Algorithm 36).

    >>> dv1, dv2 = hohmann_burns_m_s(6778.137, 6798.137)  # 400 -> 420 km
    >>> round(dv1, 3), round(dv2, 3)
    (5.646, 5.642)
    """
    r1 = np.asarray(r_from_km, dtype=float)
    r2 = np.asarray(r_to_km, dtype=float)
    a_t = 0.5 * (r1 + r2)
    v1 = np.sqrt(MU_KM3_S2 / r1)
    v2 = np.sqrt(MU_KM3_S2 / r2)
    v_peri = np.sqrt(MU_KM3_S2 * (2.0 / r1 - 1.0 / a_t))
    v_apo = np.sqrt(MU_KM3_S2 * (2.0 / r2 - 1.0 / a_t))
    return cast(F, _out((v_peri - v1) * 1e3)), cast(F, _out((v2 - v_apo) * 1e3))


def hohmann_dv_m_s(r_from_km: F, r_to_km: F) -> F:
    """Total delta-v (m/s, >= 0) of a Hohmann transfer between circular orbits of radii
    ``r_from_km`` and ``r_to_km`` (Vallado 2013, Algorithm 36).

    >>> round(hohmann_dv_m_s(6378.137 + 191.34411, 6378.137 + 35781.34857))  # Example 6-1
    3935
    >>> round(hohmann_dv_m_s(6378.137 + 400.0, 6378.137 + 420.0), 2)  # 20 km at the ISS
    11.29
    """
    dv1, dv2 = hohmann_burns_m_s(r_from_km, r_to_km)
    return cast(F, _out(np.abs(np.asarray(dv1)) + np.abs(np.asarray(dv2))))
