"""Scalar twins against the vector rules they copy: WGS84 geodetic coordinates
(:func:`~stationplan.orbit.frames.geodetic_scalar` vs
:func:`~stationplan.orbit.frames.itrs_to_geodetic`) and the conical shadow
(:func:`~stationplan.orbit.shadow.shadow_fraction_scalar` /
:func:`~stationplan.orbit.shadow.shadow_depths_scalar` vs their vector forms).

The twins exist for the Cowell propagator's one-state-per-call inner loop; the vector forms
are the rule.
"""

from __future__ import annotations

import numpy as np
import pytest

from stationplan.orbit.constants import AU_KM, R_EQ_KM, R_SUN_KM, WGS84_E2, WGS84_F
from stationplan.orbit.frames import geodetic_scalar, geodetic_to_itrs, itrs_to_geodetic
from stationplan.orbit.shadow import (
    shadow_depths,
    shadow_depths_scalar,
    shadow_fraction,
    shadow_fraction_scalar,
)


def as_tuple(row: np.ndarray) -> tuple[float, float, float]:
    x, y, z = row.tolist()
    return x, y, z


# --------------------------------------------------------------------- geodetic


def geodetic_points() -> np.ndarray:
    """Earth-fixed positions (N, 3) km: on the polar axis (x = y = 0) and at latitude
    +-90 deg from the forward formula, 1e-3 deg from the poles and the equator, the
    equator, mid latitudes, all longitude quadrants, heights from 5 km below the ellipsoid
    to the Moon's distance; plus 500 random ones from 6300 to 50,000 km."""
    lats = [-90.0, -89.999, -51.6, -10.0, -0.001, 0.0, 0.001, 30.0, 51.6, 89.999, 90.0]
    lons = [-180.0, -135.0, -60.0, 0.0, 45.0, 90.0, 179.5]
    heights_m = [-5e3, 0.0, 150e3, 400e3, 2000e3, 35786e3, 384400e3]
    rows = [geodetic_to_itrs(lat, lon, h) for lat in lats for lon in lons for h in heights_m]
    axis = [[0.0, 0.0, z] for z in (6356.0, -6356.0, 6800.0, -6800.0, 42164.0)]
    rng = np.random.default_rng(12)
    random = rng.normal(size=(500, 3))
    random *= (rng.uniform(6300.0, 50000.0, 500) / np.linalg.norm(random, axis=1))[:, None]
    return np.vstack([np.array(rows), np.array(axis), random])


def test_geodetic_scalar_agrees_with_the_vector_rule() -> None:
    """Latitude and longitude to 1e-12 deg, height to 1e-12 relative (1e-9 km near the
    ground); measured 3e-14 deg and 1e-12 km."""
    r = geodetic_points()
    vector = itrs_to_geodetic(r)
    scalar = np.array([geodetic_scalar(*as_tuple(row)) for row in r])
    assert np.all(np.isfinite(vector.alt_km)) and np.all(np.isfinite(scalar))
    np.testing.assert_allclose(scalar[:, 0], vector.lat_deg, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(scalar[:, 1], vector.lon_deg, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(scalar[:, 2], vector.alt_km, rtol=1e-12, atol=1e-9)
    assert np.count_nonzero(np.abs(scalar[:, 0]) == 90.0) >= 5  # the polar axis
    assert np.count_nonzero(scalar[:, 0] == 0.0) >= 7  # the equator


@pytest.mark.parametrize("z_km", [6356.0, -6800.0, 42164.0])
def test_geodetic_scalar_on_the_polar_axis(z_km: float) -> None:
    """Exactly on the axis: latitude +-90 deg, longitude 0, height |z| - b."""
    b_km = R_EQ_KM * (1.0 - WGS84_F)  # polar radius
    lat, lon, h = geodetic_scalar(0.0, 0.0, z_km)
    assert lat == (90.0 if z_km > 0 else -90.0) and lon == 0.0
    assert h == pytest.approx(abs(z_km) - b_km, abs=1e-9)


def test_geodetic_round_trip() -> None:
    """WGS84 forward formula -> the vector rule and its scalar twin: 1 micrometre and
    1e-11 deg from 0 to 36,000 km."""
    lat = np.radians(np.array([-89.9, -51.6, -10.0, 0.0, 30.0, 51.6, 89.99]))
    lon = np.radians(np.array([-179.0, -60.0, 0.0, 45.0, 90.0, 135.0, 179.5]))
    for h in (0.0, 150.0, 400.0, 2000.0, 35786.0):
        n = R_EQ_KM / np.sqrt(1 - WGS84_E2 * np.sin(lat) ** 2)
        r = np.column_stack(
            (
                (n + h) * np.cos(lat) * np.cos(lon),
                (n + h) * np.cos(lat) * np.sin(lon),
                (n * (1 - WGS84_E2) + h) * np.sin(lat),
            )
        )
        vector = itrs_to_geodetic(r)
        scalar = np.array([geodetic_scalar(*as_tuple(row)) for row in r])
        for got_lat, got_lon, got_h in (
            (vector.lat_deg, vector.lon_deg, vector.alt_km),
            (scalar[:, 0], scalar[:, 1], scalar[:, 2]),
        ):
            np.testing.assert_allclose(got_lat, np.degrees(lat), atol=1e-11)
            np.testing.assert_allclose(got_lon, np.degrees(lon), atol=1e-11)
            np.testing.assert_allclose(got_h, h, atol=1e-9)


# --------------------------------------------------------------------- conical shadow


def shadow_points() -> tuple[np.ndarray, np.ndarray]:
    """Satellites (N, 3) and Suns (N, 3), km: scans across the shadow behind the Earth at
    7000 km and 42,164 km (umbra, penumbra, sunlit), scans of +-1 m around the umbra and
    sunlit edges at 7000 km, sunlit and shadowed points at LEO and GEO, far satellites on
    the anti-Sun axis (the Earth's disc smaller than the Sun's: annular and partial), the
    Sun at 0.983 and 1.017 AU, and 500 random LEO-to-GEO states with random Sun directions."""
    sun = np.array([AU_KM, 0.0, 0.0])
    rows: list[tuple[np.ndarray, np.ndarray]] = []
    scans = [
        (-7000.0, np.linspace(6300.0, 6500.0, 401)),
        (-42164.0, np.linspace(6200.0, 6700.0, 401)),
        (-7000.0, np.linspace(6345.935, 6345.937, 201)),  # the umbra edge, +-1 m
        (-7000.0, np.linspace(6411.073, 6411.075, 201)),  # the sunlit edge, +-1 m
    ]
    for x_km, y in scans:
        r = np.column_stack((np.full_like(y, x_km), y, np.zeros_like(y)))
        rows.append((r, np.tile(sun, (y.size, 1))))
    fixed = np.array(
        [
            [7000.0, 0.0, 0.0],  # sunlit, towards the Sun
            [-7000.0, 0.0, 0.0],  # umbra, on the axis
            [-6800.0, 100.0, 50.0],  # umbra
            [0.0, 7000.0, 0.0],  # sunlit, at the terminator
            [-42164.0, 0.0, 0.0],  # umbra at GEO
            [-42164.0, 0.0, 20000.0],  # sunlit at GEO
            [-1.4e6, 0.0, 0.0],  # beyond the umbra's tip: annular
            [-3.0e6, 0.0, 0.0],  # annular
            [-3.0e6, 3000.0, 0.0],  # annular, off the axis
            [-3.0e6, 17000.0, 0.0],  # partial, Earth's disc smaller than the Sun's
        ]
    )
    for scale in (1.0, 0.983, 1.017):
        rows.append((fixed, np.tile(sun * scale, (fixed.shape[0], 1))))
    rng = np.random.default_rng(21)
    r = rng.normal(size=(500, 3))
    r *= (rng.uniform(6578.0, 42164.0, 500) / np.linalg.norm(r, axis=1))[:, None]
    s = rng.normal(size=(500, 3))
    s *= (AU_KM * rng.uniform(0.983, 1.017, 500) / np.linalg.norm(s, axis=1))[:, None]
    rows.append((r, s))
    return np.vstack([a for a, _ in rows]), np.vstack([b for _, b in rows])


def test_shadow_fraction_scalar_agrees_with_the_vector_rule() -> None:
    """Same sunlit and umbra sets; the fraction to 1e-8 of the solar disc for 1e-3 <= nu <=
    1 - 1e-3 and to 1e-6 within a metre of the penumbra's edges. Not tighter: the overlap
    area of :func:`shadow_fraction` (Montenbruck & Gill eqs. 3.79-3.87, acos of arguments
    near 1) turns one rounding of c into up to 6e-9 of nu across the penumbra and 6e-7
    near its edges (measured), so two evaluations of that formula that differ in the last
    bit of a, b or c (numpy's and libm's arccos differ so for about 1 argument in 10) differ
    by that much. That is the rule's own rounding noise, far below anything the solar
    pressure resolves (6e-7 of the ISS's 5e-8 m/s^2)."""
    r, sun = shadow_points()
    vector = shadow_fraction(r, sun)
    scalar = np.array(
        [shadow_fraction_scalar(as_tuple(a), as_tuple(b)) for a, b in zip(r, sun, strict=True)]
    )
    np.testing.assert_array_equal(scalar == 0.0, vector == 0.0)  # the same umbra
    np.testing.assert_array_equal(scalar == 1.0, vector == 1.0)  # the same sunlit set
    np.testing.assert_allclose(scalar, vector, rtol=0.0, atol=1e-6)
    inner = (vector >= 1e-3) & (vector <= 1.0 - 1e-3)
    np.testing.assert_allclose(scalar[inner], vector[inner], rtol=0.0, atol=1e-8)
    penumbra = (vector > 0.0) & (vector < 1.0)
    assert np.count_nonzero(vector == 0.0) > 50 and np.count_nonzero(vector == 1.0) > 50
    assert np.count_nonzero(inner) > 50 and np.count_nonzero(penumbra & ~inner) > 50
    a = np.arcsin(R_SUN_KM / np.linalg.norm(sun - r, axis=1))
    b = np.arcsin(R_EQ_KM / np.linalg.norm(r, axis=1))
    assert np.count_nonzero(penumbra & (b < a)) >= 3  # annular and partial with b < a


def test_shadow_depths_scalar_agrees_with_the_vector_rule() -> None:
    """The signed depths (rad) are well conditioned: 1e-12, measured 9e-16."""
    r, sun = shadow_points()
    penumbra, umbra = shadow_depths(r, sun)
    scalar = np.array(
        [shadow_depths_scalar(as_tuple(a), as_tuple(b)) for a, b in zip(r, sun, strict=True)]
    )
    np.testing.assert_allclose(scalar[:, 0], penumbra, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(scalar[:, 1], umbra, rtol=1e-12, atol=1e-12)
    assert np.any(penumbra < 0.0) and np.any(penumbra > 0.0)
    assert np.any(umbra < 0.0) and np.any(umbra > 0.0)
