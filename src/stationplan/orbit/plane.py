"""The orbit plane over years: secular J2 nodal regression, beta angle, sunlit fraction.

For programme-long questions (beta angle, eclipse season) a station holds its altitude with
reboosts, so its plane is well described by the secular J2 regression of the node at constant
mean elements (Vallado 2013, eq. 9-41); short-period terms move beta by hundredths of a degree.
The sunlit fraction of a circular orbit follows from beta with a cylindrical Earth shadow
(Vallado 2013, sec. 5.3; also NASA's ISS beta-angle references): the orbit is in shadow for
an arc 2 arccos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) when |beta| < arcsin(R / (R + h)).
"""

from __future__ import annotations

import numpy as np
from skyfield.timelib import Time

from stationplan.orbit import frames
from stationplan.orbit.arrays import Array
from stationplan.orbit.constants import J2, MU_KM3_S2, R_EQ_KM
from stationplan.orbit.timescale import DAY_S


def nodal_rate_rad_s(
    altitude_km: float, inclination_deg: float, eccentricity: float = 0.0
) -> float:
    """Secular J2 rate of the right ascension of the node (rad/s); negative for prograde.

    >>> round(float(np.degrees(nodal_rate_rad_s(415.0, 51.64))) * 86400, 2)  # ISS: ~ -5 deg/day
    -4.96
    """
    a = R_EQ_KM + altitude_km
    n = np.sqrt(MU_KM3_S2 / a**3)
    p = a * (1.0 - eccentricity**2)
    return float(-1.5 * n * J2 * (R_EQ_KM / p) ** 2 * np.cos(np.radians(inclination_deg)))


def plane_normal_teme(
    t: Time, epoch_jd_tt: float, raan0_deg: float, inclination_deg: float, altitude_km: float
) -> Array:
    """Unit orbit normal (N, 3) in TEME of date under secular J2 regression of the node."""
    dt_s = (np.atleast_1d(t.tt) - epoch_jd_tt) * DAY_S
    raan = np.radians(raan0_deg) + nodal_rate_rad_s(altitude_km, inclination_deg) * dt_s
    inc = np.radians(inclination_deg)
    return np.stack(
        [np.sin(inc) * np.sin(raan), -np.sin(inc) * np.cos(raan), np.full_like(raan, np.cos(inc))],
        axis=-1,
    )


def beta_deg(normal_teme: Array, t: Time) -> Array:
    """Beta angle (deg): the Sun's elevation above the orbit plane."""
    s = frames.sun_teme_km(t)
    s /= np.linalg.norm(s, axis=1)[:, None]
    out: Array = np.degrees(np.arcsin(np.clip(np.einsum("ij,ij->i", normal_teme, s), -1.0, 1.0)))
    return out


def sunlit_fraction(beta: Array, altitude_km: float) -> Array:
    """Fraction of a circular orbit in sunlight for each beta angle (deg), cylindrical shadow.

    >>> float(sunlit_fraction(np.array([0.0]), 400.0)[0].round(3))
    0.61
    """
    r = R_EQ_KM + altitude_km
    cos_b = np.cos(np.radians(beta))
    x = np.sqrt(altitude_km**2 + 2.0 * R_EQ_KM * altitude_km) / (r * np.maximum(cos_b, 1e-12))
    shadow = np.where(x < 1.0, np.arccos(np.clip(x, -1.0, 1.0)) / np.pi, 0.0)
    return 1.0 - shadow
