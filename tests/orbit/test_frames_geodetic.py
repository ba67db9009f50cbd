"""WGS84 geodetic coordinates and the node interpolation of the frames module.

The reference geodetic solution is the iteration of Vallado (2013) Algorithm 12 run to
convergence (30 iterations), independent of Bowring's formulation used by the module.
"""

from __future__ import annotations

import numpy as np
import pytest

from stationplan.orbit import frames
from stationplan.orbit.constants import R_EQ_KM, WGS84_E2, WGS84_F
from stationplan.orbit.timescale import timescale


def _converged(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y, z = r.T
    p = np.hypot(x, y)
    lat = np.arctan2(z, p * (1.0 - WGS84_E2))
    for _ in range(30):
        n = R_EQ_KM / np.sqrt(1.0 - WGS84_E2 * np.sin(lat) ** 2)
        h = p / np.cos(lat) - n
        lat = np.arctan2(z, p * (1.0 - WGS84_E2 * n / (n + h)))
    n = R_EQ_KM / np.sqrt(1.0 - WGS84_E2 * np.sin(lat) ** 2)
    return np.degrees(lat), p * np.cos(lat) + z * np.sin(lat) - R_EQ_KM**2 / n


@pytest.mark.parametrize("alt_km", [0.0, 150.0, 420.0, 2000.0, 35786.0, 384400.0])
def test_geodetic_matches_the_converged_iteration(alt_km: float) -> None:
    rng = np.random.default_rng(7)
    lat = rng.uniform(-np.pi / 2, np.pi / 2, 20000)
    lon = rng.uniform(-np.pi, np.pi, 20000)
    r = (R_EQ_KM + alt_km) * np.stack(
        [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1
    )
    got = frames.itrs_to_geodetic(r)
    lat_ref, h_ref = _converged(r)
    assert np.abs(got.lat_deg - lat_ref).max() < 1e-12  # deg: 0.1 um on the ground
    assert np.abs(got.alt_km - h_ref).max() < 1e-9 * max(1.0, alt_km / 1000.0)  # um
    assert np.allclose(got.lon_deg, np.degrees(lon), atol=1e-12)


def test_geodetic_at_the_poles_and_equator() -> None:
    b = R_EQ_KM * (1.0 - WGS84_F)  # polar radius 6356.752 km (NIMA TR8350.2 Table 3.1)
    got = frames.itrs_to_geodetic(
        np.array([[0.0, 0.0, b + 400.0], [0.0, 0.0, -(b + 1.0)], [R_EQ_KM + 5.0, 0.0, 0.0]])
    )
    assert got.lat_deg.tolist() == [90.0, -90.0, 0.0]
    assert got.alt_km == pytest.approx([400.0, 1.0, 5.0], abs=1e-9)
    assert np.isnan(frames.itrs_to_geodetic(np.full((1, 3), np.nan)).alt_km).all()


def test_grid_and_scattered_epochs_interpolate_alike() -> None:
    """A dense grid reads a run of nodes with per-node slopes, a few scattered epochs their
    own two nodes each: the same epoch gives the same rotation either way."""
    ts = timescale()
    grid = ts.utc(2025, 3, 1, 0, 0, np.arange(0.0, 3 * 86400.0, 60.0))
    pick = [5, 1000, 4000]
    scattered = ts.tt_jd(grid.whole[pick], grid.tt_fraction[pick])
    far = ts.tt_jd(grid.whole[[5, 5]] + [0.0, 3650.0], grid.tt_fraction[[5, 5]])  # sparse
    dense = frames.teme_to_gcrs_matrices(grid)[pick]
    assert np.array_equal(frames.teme_to_gcrs_matrices(scattered), dense)
    assert np.array_equal(frames.teme_to_gcrs_matrices(far)[0], dense[0])
    assert np.array_equal(frames.sun_teme_km(scattered), frames.sun_teme_km(grid)[pick])
