"""Earth's shadow on a satellite, conical model (Montenbruck & Gill 2000, sec. 3.4.2).

Seen from the satellite, the Sun is a disc of apparent radius a, the Earth one of radius b,
their centres c apart. :func:`shadow_fraction` (the visible fraction of the solar disc) is
used by the Cowell propagator (solar radiation pressure); :func:`shadow_depths` (the signed
angular margins c - (a + b) and c - (b - a), smooth in time) by the eclipse search. Both
are the same geometry, so the propagator and the events agree on where the shadow is.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stationplan.errors import ArgumentError, Problem
from stationplan.orbit.constants import R_EQ_KM, R_SUN_KM

R_EARTH_KM = R_EQ_KM  # a spherical Earth of the WGS84 equatorial radius casts the shadow


def as_vectors(name: str, value: ArrayLike, source: str = "shadow") -> NDArray[np.float64]:
    """``value`` as an (N, 3) float array (a (3,) vector gives N = 1); ArgumentError if not."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise ArgumentError(
            Problem(source, f"shape {np.shape(value)}, expected (3,) or (N, 3)", field=name)
        )
    return arr


def shadow_fraction(r_km: ArrayLike, r_sun_km: ArrayLike) -> NDArray[np.float64]:
    """Visible fraction of the solar disc (1 sunlit, 0 umbra), (N,), for satellites at
    ``r_km`` (N, 3) and the Sun at ``r_sun_km`` (N, 3), geocentric km, Earth a sphere.

    Conical model: apparent radii a (Sun), b (Earth) and separation c of the two discs seen
    from the satellite, and their overlap area (Montenbruck & Gill 2000, eqs. 3.79-3.87).
    It varies continuously through the penumbra, unlike the cylindrical model's jump, which
    keeps the integrator's steps valid (they are restarted at the penumbra and umbra edges).
    """
    r = as_vectors("r_km", r_km)
    s = as_vectors("r_sun_km", r_sun_km)
    rn = np.sqrt(np.einsum("ij,ij->i", r, r))
    d = s - r
    dn = np.sqrt(np.einsum("ij,ij->i", d, d))
    a = np.arcsin(np.minimum(R_SUN_KM / dn, 1.0))
    b = np.arcsin(np.minimum(R_EARTH_KM / rn, 1.0))
    c = np.arccos(np.clip(-np.einsum("ij,ij->i", r, d) / (rn * dn), -1.0, 1.0))
    nu = np.ones_like(rn)
    nu = np.where(c < a - b, 1.0 - (b / a) ** 2, nu)  # annular: Earth inside the solar disc
    nu = np.where(c <= b - a, 0.0, nu)  # umbra
    partial = (c < a + b) & (c > np.abs(a - b))
    if np.any(partial):
        cp = np.where(partial, c, 1.0)
        x = (cp**2 + a**2 - b**2) / (2.0 * cp)
        y = np.sqrt(np.maximum(a**2 - x**2, 0.0))
        area = (
            a**2 * np.arccos(np.clip(x / a, -1.0, 1.0))
            + b**2 * np.arccos(np.clip((cp - x) / b, -1.0, 1.0))
            - cp * y
        )
        nu = np.where(partial, 1.0 - area / (np.pi * a**2), nu)
    return np.asarray(nu, dtype=float)


def shadow_fraction_scalar(
    r_km: tuple[float, float, float], r_sun_km: tuple[float, float, float]
) -> float:
    """:func:`shadow_fraction` for one satellite ``r_km`` and one Sun ``r_sun_km`` (geocentric
    km, three floats each): the visible fraction of the solar disc, 1 sunlit, 0 umbra.

    The same conical model and the same branches on Python floats with :mod:`math`
    (Montenbruck & Gill 2000, eqs. 3.79-3.87). Why a scalar twin: the Cowell propagator's
    right-hand side evaluates one state per call (thousands per orbit), where numpy's
    per-call overhead dominates: 1.2 us per call here against 30-35 us for
    :func:`shadow_fraction` on (1, 3) arrays, which would make a Cowell day with solar
    radiation pressure more than twice as slow. tests/orbit/test_scalar_twins.py checks
    that the two agree: the same sunlit and umbra sets, nu to 1e-8 (to 1e-6 within a metre
    of the penumbra's edges, where the overlap formula's acos of arguments near 1 turns one
    rounding of c into that much).
    """
    x, y, z = r_km
    dx, dy, dz = r_sun_km[0] - x, r_sun_km[1] - y, r_sun_km[2] - z
    rn = math.sqrt(x * x + y * y + z * z)
    dn = math.sqrt(dx * dx + dy * dy + dz * dz)
    a = math.asin(min(R_SUN_KM / dn, 1.0))
    b = math.asin(min(R_EARTH_KM / rn, 1.0))
    c = math.acos(min(max(-(x * dx + y * dy + z * dz) / (rn * dn), -1.0), 1.0))
    if abs(a - b) < c < a + b:  # partial overlap of the discs
        xc = (c * c + a * a - b * b) / (2.0 * c)
        yc = math.sqrt(max(a * a - xc * xc, 0.0))
        area = (
            a * a * math.acos(min(max(xc / a, -1.0), 1.0))
            + b * b * math.acos(min(max((c - xc) / b, -1.0), 1.0))
            - c * yc
        )
        return 1.0 - area / (math.pi * a * a)
    if c <= b - a:  # umbra
        return 0.0
    if c < a - b:  # annular: Earth inside the solar disc
        return 1.0 - (b / a) ** 2
    return 1.0


def _angles(
    r: NDArray[np.float64], s: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Apparent radii a (Sun), b (Earth) and separation c (rad) seen from (N, 3) satellite
    positions, the Sun at (N, 3) positions, geocentric km."""
    return _angles_columns(np.ascontiguousarray(r.T), np.ascontiguousarray(s.T))


def _angles_columns(
    r: NDArray[np.float64], s: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """:func:`_angles` of positions given as (3, N) rows x, y, z (unit-stride components)."""
    rx, ry, rz = r
    dx, dy, dz = s[0] - rx, s[1] - ry, s[2] - rz  # satellite -> Sun
    rn = np.sqrt(rx * rx + ry * ry + rz * rz)
    dn = np.sqrt(dx * dx + dy * dy + dz * dz)
    a = np.arcsin(np.minimum(R_SUN_KM / dn, 1.0))
    b = np.arcsin(np.minimum(R_EARTH_KM / rn, 1.0))
    # angle between the Earth's centre (-r) and the Sun (d): atan2 keeps full precision
    # near 0 and pi, where arccos of the dot product loses half the digits; |r x d| by
    # components (np.cross on (N, 3) rows is several times slower)
    nx, ny, nz = ry * dz - rz * dy, rz * dx - rx * dz, rx * dy - ry * dx
    nn = np.sqrt(nx * nx + ny * ny + nz * nz)
    x = -(rx * dx + ry * dy + rz * dz)
    c = np.arctan2(nn, x)
    return a, b, c


def shadow_depths(
    r_km: ArrayLike, r_sun_km: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Signed angular depths (rad) of satellites at ``r_km`` (N, 3) in the shadow of a
    spherical Earth, the Sun at ``r_sun_km`` (N, 3), geocentric km in one frame.

    ``penumbra = c - (a + b)`` is negative when the Earth's disc overlaps the Sun's (penumbra
    or umbra), ``umbra = c - (b - a)`` is negative or zero when it covers it (umbra): the
    boundaries of :func:`shadow_fraction` (``nu < 1`` and ``nu == 0``, Montenbruck & Gill
    2000, sec. 3.4.2), written as functions that are smooth in time for root finding (c has
    a corner only where the Earth's and the Sun's centres align, deep in the umbra). NaN
    positions give NaN.
    """
    a, b, c = _angles(as_vectors("r_km", r_km), as_vectors("r_sun_km", r_sun_km))
    return c - (a + b), c - (b - a)


def shadow_depths_columns(
    r_km: NDArray[np.float64], r_sun_km: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """:func:`shadow_depths` of positions given as (3, N) rows x, y, z (km)."""
    a, b, c = _angles_columns(r_km, r_sun_km)
    return c - (a + b), c - (b - a)


def shadow_depths_scalar(
    r_km: tuple[float, float, float], r_sun_km: tuple[float, float, float]
) -> tuple[float, float]:
    """:func:`shadow_depths` (penumbra, umbra; rad) for one satellite ``r_km`` and one Sun
    ``r_sun_km`` (geocentric km, three floats each), on Python floats with :mod:`math`.

    The same angles as the vector form, the separation c from atan2(|(-r) x d|, -r . d).
    Why a scalar twin: the Cowell propagator restarts at the shadow edges and its root
    finder evaluates these depths for one state at a time, thousands of times per orbit,
    where numpy's per-call overhead dominates (1.2 us here against about 45 us for
    :func:`shadow_depths` on (1, 3) arrays). tests/orbit/test_scalar_twins.py holds the
    two to 1e-12.
    """
    x, y, z = r_km
    dx, dy, dz = r_sun_km[0] - x, r_sun_km[1] - y, r_sun_km[2] - z
    rn = math.sqrt(x * x + y * y + z * z)
    dn = math.sqrt(dx * dx + dy * dy + dz * dz)
    a = math.asin(min(R_SUN_KM / dn, 1.0))
    b = math.asin(min(R_EARTH_KM / rn, 1.0))
    # (-r) x d and -r . d, as in _angles
    nx, ny, nz = z * dy - y * dz, x * dz - z * dx, y * dx - x * dy
    c = math.atan2(math.sqrt(nx * nx + ny * ny + nz * nz), -(x * dx + y * dy + z * dz))
    return c - (a + b), c - (b - a)
