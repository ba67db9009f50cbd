"""The Cowell force model: NRLMSIS density at the right point, the conical shadow of the
solar radiation pressure, the batch and one-state paths alike, bad force models refused."""

from __future__ import annotations

import numpy as np
import pymsis
import pytest
from skyfield.api import wgs84
from skyfield.positionlib import Geocentric
from skyfield.sgp4lib import TEME
from skyfield.units import Distance, Velocity

from stationplan.errors import ArgumentError, StationplanInputError
from stationplan.orbit.constants import EGM2008_MU_KM3_S2 as MU_EARTH_KM3_S2
from stationplan.orbit.forces import Dynamics, ForceModel
from stationplan.orbit.frames import itrs_to_geodetic
from stationplan.orbit.gravity import gravity_acceleration_km_s2
from stationplan.orbit.shadow import shadow_fraction
from stationplan.orbit.spaceweather import SpaceWeather
from stationplan.orbit.timescale import offset, timescale, utc_jd_parts

EPOCH = timescale().utc(2015, 3, 27, 4, 9, 38.0)
WEATHER = SpaceWeather.constant(137.8, 125.2, 8.0)  # 2015-03-27 values (SOURCES.md, sec. 5)
# ISS in 2015: 419,725 kg (NASA ISS facts, 925,335 lb). The mean cross-section is an
# assumption (1,500 m^2 for drag, 2,500 m^2 for SRP), giving m / (C_D A) = 127 kg/m^2.
ISS_FORCE = dict(mass_kg=419_725.0, drag_area_m2=1500.0, srp_area_m2=2500.0)


def test_density_point_matches_skyfield_and_pymsis() -> None:
    """The drag density is pymsis at Skyfield's WGS84 point of the TEME position.

    Skyfield goes TEME -> GCRS -> ITRS with its own GMST 1982 / GAST chain and UT1; our
    latitude and height must land within 1e-6 deg / 1 mm of it, our longitude within 1e-5
    deg. The density must then be pymsis called directly with those coordinates and the
    space-weather inputs (float32 inside pymsis: rtol 1e-5).
    """
    t_s = np.array([0.0, 1234.5, 40_000.0])
    r = np.array([[6778.0, 100.0, 50.0], [-3000.0, 4000.0, 4500.0], [1000.0, -5500.0, -3800.0]])
    for storm in (False, True):
        force = ForceModel(**ISS_FORCE, space_weather=WEATHER, storm_time_ap=storm, srp=False)
        dyn = Dynamics(EPOCH, force, 0.0, 86400.0)
        rho = dyn.density_kg_m3(t_s, r)
        t = offset(EPOCH, t_s)
        position = Geocentric.from_time_and_frame_vectors(
            t, TEME, Distance(km=r.T), Velocity(km_per_s=np.zeros((3, 3)))
        )
        point = wgs84.geographic_position_of(position)
        g = itrs_to_geodetic(r)  # latitude and height do not depend on the rotation
        lat, h = g.lat_deg, g.alt_km
        np.testing.assert_allclose(lat, point.latitude.degrees, atol=1e-6)
        np.testing.assert_allclose(h, point.elevation.km, atol=1e-6)
        theta = dyn.gmst_rad(t_s)
        x_pef = np.cos(theta) * r[:, 0] + np.sin(theta) * r[:, 1]
        y_pef = np.cos(theta) * r[:, 1] - np.sin(theta) * r[:, 0]
        lon_deg = np.degrees(np.arctan2(y_pef, x_pef))
        # GMST advanced at its mean rate over elapsed TT vs Skyfield's UT1 at each epoch:
        # measured 2.7e-6 deg (0.3 m) after 11 h, from the length-of-day excess
        np.testing.assert_allclose(lon_deg, point.longitude.degrees, atol=1e-5)
        whole, fraction = utc_jd_parts(t)
        inputs = WEATHER.msis_inputs(whole + fraction)
        dates = np.array([d.replace(tzinfo=None) for d in t.utc_datetime()], "datetime64[us]")
        options = {"geomagnetic_activity": -1} if storm else {}
        direct = pymsis.calculate(
            dates,
            point.longitude.degrees,
            point.latitude.degrees,
            point.elevation.km,
            inputs.f107_prev_day_sfu,
            inputs.f107_81day_sfu,
            inputs.ap,
            version=2.1,
            **options,
        )[:, 0]
        np.testing.assert_allclose(rho, direct, rtol=1e-5)
        assert np.all((rho > 1e-13) & (rho < 1e-10))  # 400 km, moderate activity


def test_conical_shadow_through_the_penumbra() -> None:
    """Sun on +x at 1 AU; a satellite at x = -7000 km moving across the shadow edge in y.
    nu = 0 on the axis, 1 far off it, and rises monotonically across a penumbra about
    2 (R_sun / AU) * 7000 km = 65 km wide (the Sun's angular diameter times the distance
    behind the terminator; Montenbruck & Gill 3.4.2)."""
    y = np.linspace(6300.0, 6500.0, 2001)
    r = np.column_stack((np.full_like(y, -7000.0), y, np.zeros_like(y)))
    sun = np.tile([1.495978707e8, 0.0, 0.0], (y.size, 1))
    nu = shadow_fraction(r, sun)
    assert nu[0] == 0.0 and nu[-1] == 1.0
    assert np.all(np.diff(nu) >= 0.0)
    width_km = np.ptp(y[(nu > 0.0) & (nu < 1.0)])
    assert 55.0 < width_km < 75.0
    assert shadow_fraction([7000.0, 0.0, 0.0], [1.495978707e8, 0.0, 0.0])[0] == 1.0


def test_vectorised_and_scalar_forces_agree() -> None:
    """The batch path (numpy, one pymsis call) and the integrator's plain-float path are
    separate code; on 40 random states (300-700 km, some in shadow) the drag + SRP part must
    agree to 1e-6 relative (pymsis rounds its inputs to float32) and gravity to 1e-13."""
    rng = np.random.default_rng(2015)
    n = 40
    unit = rng.normal(size=(n, 3))
    unit /= np.linalg.norm(unit, axis=1)[:, None]
    r = unit * rng.uniform(6678.0, 7078.0, n)[:, None]
    along = np.cross(unit, rng.normal(size=(n, 3)))
    along /= np.linalg.norm(along, axis=1)[:, None]
    v = along * np.sqrt(MU_EARTH_KM3_S2 / np.linalg.norm(r, axis=1))[:, None]
    t = rng.uniform(0.0, 86400.0, n)
    force = ForceModel(**ISS_FORCE, space_weather=WEATHER)
    dyn = Dynamics(EPOCH, force, 0.0, 86400.0)
    batch = dyn.acceleration_km_s2(t, r, v)
    single = np.array(
        [dyn.rhs_scalar(float(t[k]), np.concatenate((r[k], v[k])))[3:] for k in range(n)]
    )
    gravity = gravity_acceleration_km_s2(r, force.zonal_degree)
    np.testing.assert_allclose(single, batch, rtol=1e-13, atol=0.0)
    np.testing.assert_allclose(single - gravity, batch - gravity, rtol=1e-6, atol=1e-18)
    lit = shadow_fraction(r, dyn.sun_teme_km(t))
    assert 0 < np.count_nonzero(lit == 0.0) < n  # both lit and shadowed states were tested


def test_bad_force_model() -> None:
    with pytest.raises(ArgumentError) as info:
        ForceModel(mass_kg=0.0, drag_area_m2=10.0, srp_area_m2=10.0, space_weather=WEATHER)
    assert isinstance(info.value, ValueError) and isinstance(info.value, StationplanInputError)
    assert str(info.value) == "ForceModel mass_kg: must be positive (got 0.0 kg)"
    with pytest.raises(ArgumentError, match="space_weather: drag is on but no SpaceWeather"):
        ForceModel(mass_kg=10.0, drag_area_m2=1.0, srp_area_m2=1.0)
    with pytest.raises(ArgumentError, match=r"zonal_degree: expected 0 or 2\.\.8, got 12"):
        ForceModel.gravity_only(12)
    with pytest.raises(ArgumentError, match=r"reflectivity: C_R must be in \[0, 2\]"):
        ForceModel(mass_kg=10.0, drag_area_m2=1.0, srp_area_m2=1.0, drag=False, reflectivity=3)
