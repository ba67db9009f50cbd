"""Our frames and geodetic positions against Skyfield's EarthSatellite for the same elements.

Reference: Skyfield (Rhodes), ``EarthSatellite.at(t)`` (TEME -> GCRS), ``frame_xyz_and_velocity
(itrs)`` and ``wgs84.geographic_position_of``. Tolerance: 1 m in position (the issue's bound);
we reach about 0.1 mm (GCRS) and 1e-8 m (ITRS) because only slow rotations are interpolated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84
from skyfield.framelib import itrs

from stationplan.orbit import frames
from stationplan.orbit.elements import read_elements
from stationplan.orbit.propagate import propagate_sgp4
from stationplan.orbit.timescale import timescale

ONE_METRE_KM = 1e-3
ONE_MM_S_KM_S = 1e-6


@pytest.fixture(scope="module")
def iss_case(shared_data: Path) -> tuple[object, object, np.ndarray, np.ndarray, object]:
    ts = timescale()
    el = read_elements(shared_data / "tle/iss/iss_25544_2015-03-27.tle").elements[0]
    t = ts.utc(2015, 3, 27, 0, 0, np.arange(0.0, 2 * 86400.0, 31.0))
    res = propagate_sgp4(el, t)
    return el, t, res.r_teme_km[0], res.v_teme_km_s[0], EarthSatellite.from_satrec(el.satrec, ts)


def test_gcrs_matches_skyfield(iss_case: tuple) -> None:  # type: ignore[type-arg]
    _, t, r, v, sat = iss_case
    g = sat.at(t)
    rg, vg = frames.teme_to_gcrs(r, v, t)
    assert np.abs(rg - g.position.km.T).max() < ONE_METRE_KM
    assert np.abs(vg - g.velocity.km_per_s.T).max() < ONE_MM_S_KM_S


def test_itrs_and_geodetic_match_skyfield(iss_case: tuple) -> None:  # type: ignore[type-arg]
    _, t, r, v, sat = iss_case
    g = sat.at(t)
    ri, vi = frames.teme_to_itrs(r, v, t)
    p_ref, v_ref = g.frame_xyz_and_velocity(itrs)
    assert np.abs(ri - p_ref.km.T).max() < ONE_METRE_KM
    assert np.abs(vi - v_ref.km_per_s.T).max() < ONE_MM_S_KM_S
    geo = frames.itrs_to_geodetic(ri)
    ref = wgs84.geographic_position_of(g)
    # 1 m on the ground is 9e-6 deg of latitude
    assert np.abs(geo.lat_deg - ref.latitude.degrees).max() < 9e-6
    dlon = (geo.lon_deg - ref.longitude.degrees + 180.0) % 360.0 - 180.0
    assert np.abs(dlon).max() < 9e-6 / np.cos(np.radians(52.0))
    assert np.abs(geo.alt_km - ref.elevation.km).max() < ONE_METRE_KM


def test_scalar_and_array_times_agree(iss_case: tuple) -> None:  # type: ignore[type-arg]
    el, t, r, v, _ = iss_case
    one = t[100]
    res = propagate_sgp4(el, one)
    r1, _ = frames.teme_to_itrs(res.r_teme_km[0], res.v_teme_km_s[0], one)
    ra, _ = frames.teme_to_itrs(r, v, t)
    assert r1.shape == (1, 3)
    assert np.abs(r1[0] - ra[100]).max() < ONE_METRE_KM


def test_sun_position_matches_skyfield() -> None:
    from stationplan.orbit.timescale import ephemeris

    ts = timescale()
    t = ts.utc(2025, 6, 1, 0, np.arange(0, 3 * 1440, 7.0))
    eph = ephemeris()
    ref = (eph["sun"] - eph["earth"]).at(t).position.km.T
    got = frames.sun_gcrs_km(t)
    # interpolation error below 1e-7 rad of direction (a 20 km chord at 1 AU)
    angle = np.arccos(
        np.clip(
            np.einsum("ij,ij->i", got, ref)
            / np.linalg.norm(got, axis=1)
            / np.linalg.norm(ref, axis=1),
            -1,
            1,
        )
    )
    assert angle.max() < 1e-7


def test_geodetic_roundtrip_of_sites() -> None:
    for lat, lon, alt in [(45.996, 63.564, 100.0), (28.608, -80.604, 3.0), (-89.9, 10, 0.0)]:
        r = frames.geodetic_to_itrs(lat, lon, alt)
        g = frames.itrs_to_geodetic(r[None, :])
        assert abs(g.lat_deg[0] - lat) < 1e-9
        assert abs(g.alt_km[0] * 1000 - alt) < 1e-3
