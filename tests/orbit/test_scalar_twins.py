"""Scalar twins against the vector rules they copy: the conical shadow
(:func:`~stationplan.orbit.shadow.shadow_fraction_scalar` /
:func:`~stationplan.orbit.shadow.shadow_depths_scalar` vs their vector forms).

The twins exist for the Cowell propagator's one-state-per-call inner loop; the vector forms
are the rule.
"""

from __future__ import annotations

import numpy as np

from stationplan.orbit.constants import AU_KM, R_EQ_KM, R_SUN_KM
from stationplan.orbit.shadow import (
    shadow_depths,
    shadow_depths_scalar,
    shadow_fraction,
    shadow_fraction_scalar,
)


def as_tuple(row: np.ndarray) -> tuple[float, float, float]:
    x, y, z = row.tolist()
    return x, y, z


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
