"""The Earth's gravity field for Cowell propagation: point mass plus zonal harmonics.

Point mass plus zonal harmonics J2..J8 of EGM2008 (tide-free; NGA.STND.0036 Table 5.1;
GM = 398600.4415 km^3/s^2, R = 6378.1363 km), with J_n = -sqrt(2n+1) * C_n0 from the fully
normalised coefficients; acceleration from the gradient of the zonal potential with Legendre
recurrences (Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., 2013, sec.
8.6.1). Tesseral and sectoral terms are left out: away from resonances they cause
short-period oscillations that the drag uncertainty of a LEO dwarfs (their size was not
measured here; add them if metres matter).

Units: km, km/s^2, km^2/s^2. Positions are in a frame whose z axis is the Earth's pole (TEME
of the epoch for the Cowell propagator).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stationplan.orbit.constants import EGM2008_MU_KM3_S2, EGM2008_R_KM
from stationplan.orbit.shadow import as_vectors

# EGM2008 fully normalised zonal coefficients C_n0, n = 2..8 (NGA.STND.0036, Table 5.1).
EGM2008_C_N0: dict[int, float] = {
    2: -0.484165143790815e-03,
    3: 0.957161207093473e-06,
    4: 0.539965866638991e-06,
    5: 0.686702913736681e-07,
    6: -0.149953927978527e-06,
    7: 0.905120844521618e-07,
    8: 0.494756003005199e-07,
}
# Unnormalised J_n = -sqrt(2n+1) C_n0 (J2 = 1.0826e-3).
ZONAL_J: dict[int, float] = {n: -math.sqrt(2 * n + 1) * c for n, c in EGM2008_C_N0.items()}
MAX_ZONAL_DEGREE = max(ZONAL_J)


def _zonal_sums(
    r_km: NDArray[np.float64], degree: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """|r|, and the sums over n of J_n (R/r)^n times P_n, (n+1) P_n + s P_n', and P_n'."""
    rn = np.sqrt(np.einsum("ij,ij->i", r_km, r_km))
    s = r_km[:, 2] / rn
    pot = np.zeros_like(rn)
    radial = np.zeros_like(rn)
    polar = np.zeros_like(rn)
    if degree >= 2:
        ratio = EGM2008_R_KM / rn
        ratio_n = ratio.copy()
        p_prev, p = np.ones_like(s), s  # P_0, P_1
        dp = np.ones_like(s)  # P_1'
        for n in range(1, degree):
            m = n + 1
            p_prev, p = p, ((2 * n + 1) * s * p - n * p_prev) / m
            dp = m * p_prev + s * dp  # P_m' = m P_{m-1} + s P_{m-1}'
            ratio_n = ratio_n * ratio
            coef = ZONAL_J[m] * ratio_n
            pot += coef * p
            radial += coef * ((m + 1) * p + s * dp)
            polar += coef * dp
    return rn, pot, radial, polar


def gravity_acceleration_km_s2(r_km: ArrayLike, zonal_degree: int = 6) -> NDArray[np.float64]:
    """Point-mass plus zonal (J2..Jn) acceleration, km/s^2, (N, 3), for positions (N, 3) km.

    a = (mu/r^2) [(-1 + sum J_n (R/r)^n ((n+1) P_n + s P_n')) r_hat - sum J_n (R/r)^n P_n' z_hat]
    with s = z/r (Vallado 2013, sec. 8.6.1), EGM2008 values (module docstring).
    """
    r = as_vectors("r_km", r_km, source="gravity")
    rn, _, radial, polar = _zonal_sums(r, zonal_degree)
    k = EGM2008_MU_KM3_S2 / rn**2
    acc = ((k * (radial - 1.0)) / rn)[:, None] * r
    acc[:, 2] -= k * polar
    return acc


def gravity_acceleration_scalar(
    x_km: float, y_km: float, z_km: float, zonal_degree: int = 6
) -> tuple[float, float, float]:
    """:func:`gravity_acceleration_km_s2` of one position given as three floats (km): the
    acceleration (km/s^2) as three floats.

    The same sums and recurrences (Vallado 2013, sec. 8.6.1) on Python floats. Why a scalar
    twin: the Cowell propagator's right-hand side evaluates one state per call (thousands
    per orbit), where numpy's per-call overhead dominates the few dozen flops of a J2..J6
    sum: measured 30 times faster than :func:`gravity_acceleration_km_s2` on a (1, 3)
    array, and a gravity-only Cowell day took 9 times as long with the vector form in the
    loop. tests/orbit/test_gravity.py holds the two to 1e-13.
    """
    r2 = x_km * x_km + y_km * y_km + z_km * z_km
    r = math.sqrt(r2)
    s = z_km / r
    radial = polar = 0.0
    if zonal_degree >= 2:
        ratio = EGM2008_R_KM / r
        ratio_n, p_prev, p, dp = ratio, 1.0, s, 1.0
        for m in range(2, zonal_degree + 1):
            n = m - 1
            p_prev, p = p, ((2 * n + 1) * s * p - n * p_prev) / m
            dp = m * p_prev + s * dp
            ratio_n *= ratio
            j_m = ZONAL_J[m]
            radial += j_m * ratio_n * ((m + 1) * p + s * dp)
            polar += j_m * ratio_n * dp
    k = EGM2008_MU_KM3_S2 / r2
    kr = k * (radial - 1.0) / r
    return kr * x_km, kr * y_km, kr * z_km - k * polar


def gravity_potential_km2_s2(r_km: ArrayLike, zonal_degree: int = 6) -> NDArray[np.float64]:
    """Gravitational potential U = (mu/r) (1 - sum J_n (R/r)^n P_n(z/r)), km^2/s^2, (N,).

    The specific energy v^2/2 - U is conserved when only gravity acts.
    """
    r = as_vectors("r_km", r_km, source="gravity")
    rn, pot, _, _ = _zonal_sums(r, zonal_degree)
    return np.asarray(EGM2008_MU_KM3_S2 / rn * (1.0 - pot), dtype=float)
