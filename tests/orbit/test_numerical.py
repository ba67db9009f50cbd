"""Cowell propagation: force formulas, conservation, SGP4 cross-check, consistency, errors.

Figures measured when this was written (2 cores): ISS 2015-03-27, all forces, one day in
0.5 s (548 steps, 63 segments, 8,346 right-hand-side calls); a drag-free J2 run of the test
orbit keeps energy to 1.9e-10 and h_z to 9e-11 (relative); Cowell minus SGP4 for the ISS is
0.25 km at 1 h, 1.05 km at 6 h and 4.6 km at 24 h (along-track).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pymsis
import pytest
from sgp4.api import Satrec
from skyfield.api import wgs84
from skyfield.positionlib import Geocentric
from skyfield.sgp4lib import TEME
from skyfield.units import Distance, Velocity

from stationplan.errors import ArgumentError, StationplanInputError
from stationplan.orbit.constants import EGM2008_MU_KM3_S2 as MU_EARTH_KM3_S2
from stationplan.orbit.constants import R_EQ_KM as WGS84_A_KM
from stationplan.orbit.constants import WGS84_F
from stationplan.orbit.numerical import (
    ZONAL_J,
    Dynamics,
    ForceModel,
    cowell_from_satrec,
    geodetic_wgs84,
    gravity_acceleration_km_s2,
    gravity_potential_km2_s2,
    propagate_cowell,
    satrec_epoch,
    shadow_fraction,
)
from stationplan.orbit.spaceweather import SpaceWeather
from stationplan.orbit.spaceweather_files import read_space_weather
from stationplan.orbit.timescale import offset, timescale, utc_jd_parts

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
ISS_TLE = DATA / "tle" / "iss" / "iss_25544_2015-03-27.tle"
SW_CSV = DATA / "space_weather" / "celestrak_SW-All_1998-07_2041-10_thermodense.csv"

EPOCH = timescale().utc(2015, 3, 27, 4, 9, 38.0)
# A circular 400 km orbit inclined 51.6 deg, ascending node on +x (no data files needed).
R0_KM = np.array([6778.137, 0.0, 0.0])
_V = math.sqrt(MU_EARTH_KM3_S2 / 6778.137)
V0_KM_S = np.array([0.0, _V * math.cos(math.radians(51.6)), _V * math.sin(math.radians(51.6))])
WEATHER = SpaceWeather.constant(137.8, 125.2, 8.0)  # 2015-03-27 values (SOURCES.md, sec. 5)
# ISS in 2015: 419,725 kg (NASA ISS facts, 925,335 lb). The mean cross-section is an
# assumption (1,500 m^2 for drag, 2,500 m^2 for SRP), giving m / (C_D A) = 127 kg/m^2.
ISS_FORCE = dict(mass_kg=419_725.0, drag_area_m2=1500.0, srp_area_m2=2500.0)


def iss_satrec() -> Satrec:
    if not ISS_TLE.is_file():
        pytest.skip(f"{ISS_TLE} is not present")
    lines = ISS_TLE.read_text().splitlines()
    return Satrec.twoline2rv(lines[1], lines[2])


def energy_and_hz(
    r: np.ndarray, v: np.ndarray, degree: int
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    energy = 0.5 * np.einsum("ij,ij->i", v, v) - gravity_potential_km2_s2(r, degree)
    return energy, r[:, 0] * v[:, 1] - r[:, 1] * v[:, 0]


# --------------------------------------------------------------------- force formulas


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


def test_geodetic_round_trip() -> None:
    """WGS84 forward formula -> Bowring: 1 micrometre and 1e-11 deg from 0 to 36,000 km."""
    lat = np.radians(np.array([-89.9, -51.6, -10.0, 0.0, 30.0, 51.6, 89.99]))
    lon = np.radians(np.array([-179.0, -60.0, 0.0, 45.0, 90.0, 135.0, 179.5]))
    e2 = WGS84_F * (2 - WGS84_F)
    for h in (0.0, 150.0, 400.0, 2000.0, 35786.0):
        n = WGS84_A_KM / np.sqrt(1 - e2 * np.sin(lat) ** 2)
        r = np.column_stack(
            (
                (n + h) * np.cos(lat) * np.cos(lon),
                (n + h) * np.cos(lat) * np.sin(lon),
                (n * (1 - e2) + h) * np.sin(lat),
            )
        )
        got_lat, got_lon, got_h = geodetic_wgs84(r)
        np.testing.assert_allclose(got_lat, np.degrees(lat), atol=1e-11)
        np.testing.assert_allclose(got_lon, np.degrees(lon), atol=1e-11)
        np.testing.assert_allclose(got_h, h, atol=1e-9)


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
        lat, _, h = geodetic_wgs84(r)  # latitude and height do not depend on the rotation
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


# --------------------------------------------------------------------- conservation


@pytest.mark.parametrize("degree", [2, 8])
def test_energy_and_polar_angular_momentum_are_conserved(degree: int) -> None:
    """Zonal gravity in an inertial frame conserves v^2/2 - U and h_z. Over one day at the
    default tolerances the measured drift is 1.9e-10 (energy) and 9e-11 (h_z) for J2 and
    1.6e-10 / 8e-11 for J2..J8; asserted: 1e-9."""
    t = np.linspace(0.0, 86400.0, 289)
    res = propagate_cowell(R0_KM, V0_KM_S, EPOCH, t, ForceModel.gravity_only(degree))
    energy, hz = energy_and_hz(res.r_teme_km, res.v_teme_km_s, degree)
    assert np.max(np.abs(energy / energy[0] - 1.0)) < 1e-9
    assert np.max(np.abs(hz / hz[0] - 1.0)) < 1e-9
    assert res.n_segments == 1 and res.nfev > 0


def test_backward_undoes_forward() -> None:
    """+6 h then -6 h from the result returns to the start within 1 cm (measured: 2 mm)."""
    force = ForceModel.gravity_only(6)
    ahead = propagate_cowell(R0_KM, V0_KM_S, EPOCH, 21600.0, force)
    epoch6 = offset(EPOCH, 21600.0)
    back = propagate_cowell(ahead.r_teme_km[0], ahead.v_teme_km_s[0], epoch6, -21600.0, force)
    np.testing.assert_allclose(back.r_teme_km[0], R0_KM, atol=1e-5)
    np.testing.assert_allclose(back.v_teme_km_s[0], V0_KM_S, atol=1e-8)


# --------------------------------------------------------------------- against SGP4


def test_iss_against_sgp4() -> None:
    """ISS element set of 2015-03-27 04:09 UTC; Cowell starts from the SGP4 state at the
    epoch and is compared with SGP4 over one day.

    Measured |dr|: 0.25 km at 1 h, 1.05 km at 6 h, 4.6 km at 24 h, nearly all along-track.
    Tolerances: SGP4 from a TLE is good to about 1 km at epoch and degrades by 1-3 km per
    day in LEO (Vallado et al. 2006, AIAA 2006-6753, sec. I; Kelso 2007, "Validation of SGP4
    and IS-GPS-200D against GPS precision ephemerides", AAS 07-127); on top of that our drag
    (assumed ISS area, NRLMSIS) and SGP4's B* drag differ: the TLE's ndot/2 = 1.5e-4 rev/day^2
    is 7 km of along-track drift in a day, so a 50 % drag mismatch alone is 3-4 km. Bounds:
    1 km at 1 h, 4 km at 6 h, 20 km at 24 h. And since SGP4 includes drag, switching our
    drag off must move the result away from SGP4 (measured: 10.8 km at 24 h).
    """
    sat = iss_satrec()
    if not SW_CSV.is_file():
        pytest.skip(f"{SW_CSV} is not present")
    weather = read_space_weather(SW_CSV)
    t = np.array([0.0, 3600.0, 21600.0, 86400.0])
    _, r_sgp4, _ = sat.sgp4_array(np.full(4, sat.jdsatepoch), sat.jdsatepochF + t / 86400.0)
    res = cowell_from_satrec(sat, t, ForceModel(**ISS_FORCE, space_weather=weather))
    dr = np.linalg.norm(res.r_teme_km - r_sgp4, axis=1)
    print(f"Cowell - SGP4 |dr| km at 0/1/6/24 h: {np.round(dr, 3)}; {res.wall_time_s:.2f} s")
    assert dr[0] < 1e-9
    assert dr[1] < 1.0 and dr[2] < 4.0 and dr[3] < 20.0
    assert not res.space_weather_clamped and res.decayed_at_s is None
    assert res.wall_time_s < 10.0  # measured 0.5 s; "a few seconds at most" for one day
    no_drag = cowell_from_satrec(sat, t, ForceModel(**ISS_FORCE, drag=False, space_weather=None))
    assert np.linalg.norm(no_drag.r_teme_km[3] - r_sgp4[3]) > dr[3] + 2.0


def test_satrec_epoch_is_the_element_set_epoch() -> None:
    sat = iss_satrec()
    whole, fraction = utc_jd_parts(satrec_epoch(sat))
    assert abs((whole - sat.jdsatepoch) + (fraction - sat.jdsatepochF)) * 86400 < 1e-5
    # 15086.17334635 = day 86 + 14,977.12 s: 04:09:37.12 UTC
    assert satrec_epoch(sat).utc_strftime("%Y-%m-%d %H:%M:%S") == "2015-03-27 04:09:37"


# --------------------------------------------------------------------- consistency


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


def test_array_scalar_and_time_inputs_agree() -> None:
    force = ForceModel(**ISS_FORCE, space_weather=WEATHER)
    many = propagate_cowell(R0_KM, V0_KM_S, EPOCH, [0.0, 1800.0, 5400.0], force)
    one = propagate_cowell(R0_KM, V0_KM_S, EPOCH, 5400.0, force)
    assert many.r_teme_km.shape == (3, 3) and one.r_teme_km.shape == (1, 3)
    np.testing.assert_allclose(one.r_teme_km[0], many.r_teme_km[2], rtol=0.0, atol=1e-9)
    as_time = propagate_cowell(R0_KM, V0_KM_S, EPOCH, offset(EPOCH, [0.0, 1800.0, 5400.0]), force)
    np.testing.assert_allclose(as_time.r_teme_km, many.r_teme_km, rtol=0.0, atol=1e-9)
    np.testing.assert_allclose(many.r_teme_km[0], R0_KM, rtol=0.0, atol=0.0)
    r_dense, v_dense = many.state_at(many.t_s)
    np.testing.assert_allclose(r_dense, many.r_teme_km, rtol=0.0, atol=1e-9)
    np.testing.assert_allclose(v_dense, many.v_teme_km_s, rtol=0.0, atol=1e-12)
    both = propagate_cowell(R0_KM, V0_KM_S, EPOCH, [-1800.0, 0.0, 1800.0], force)
    assert np.all(np.isfinite(both.r_teme_km)) and both.n_segments >= 2
    np.testing.assert_allclose(both.r_teme_km[2], many.r_teme_km[1], atol=1e-9)


def test_decay_stops_the_integration() -> None:
    """A 160 km orbit with A/m = 0.1 m^2/kg falls below 120 km within hours; later rows are
    NaN (numeric failure per row, not an exception) and the decay time is reported."""
    r0 = np.array([6378.137 + 160.0, 0.0, 0.0])
    v0 = np.array([0.0, 0.0, math.sqrt(MU_EARTH_KM3_S2 / r0[0])])
    force = ForceModel(mass_kg=100.0, drag_area_m2=10.0, srp_area_m2=0.0, space_weather=WEATHER)
    t = np.linspace(0.0, 86400.0, 25)
    res = propagate_cowell(r0, v0, EPOCH, t, force, stop_altitude_km=120.0)
    assert res.decayed_at_s is not None and 0.0 < res.decayed_at_s < 86400.0
    after = t > res.decayed_at_s
    assert np.all(np.isnan(res.r_teme_km[after])) and np.all(np.isfinite(res.r_teme_km[~after]))
    r_end, _ = res.state_at(res.decayed_at_s)
    assert geodetic_wgs84(r_end)[2][0] == pytest.approx(120.0, abs=1e-3)


def test_space_weather_outside_its_data_is_flagged() -> None:
    from datetime import UTC, datetime

    later = SpaceWeather.from_table([(datetime(2016, 1, 1, tzinfo=UTC), 100.0, 100.0, 5.0)])
    force = ForceModel(**ISS_FORCE, space_weather=later, srp=False)
    assert propagate_cowell(R0_KM, V0_KM_S, EPOCH, 600.0, force).space_weather_clamped
    force = ForceModel(**ISS_FORCE, space_weather=WEATHER, srp=False)
    assert not propagate_cowell(R0_KM, V0_KM_S, EPOCH, 600.0, force).space_weather_clamped


# --------------------------------------------------------------------- bad input


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


def test_bad_propagation_input() -> None:
    force = ForceModel.gravity_only()
    with pytest.raises(ArgumentError, match="r0_teme_km: expected 3 finite numbers"):
        propagate_cowell([7000.0, 0.0], V0_KM_S, EPOCH, 60.0, force)
    with pytest.raises(ArgumentError, match="v0_teme_km_s: expected 3 finite numbers"):
        propagate_cowell(R0_KM, [0.0, np.nan, 7.0], EPOCH, 60.0, force)
    with pytest.raises(ArgumentError, match=r"initial height -378\.1 km is below"):
        propagate_cowell([6000.0, 0.0, 0.0], V0_KM_S, EPOCH, 60.0, force)
    with pytest.raises(ArgumentError, match="t_s: output times must be finite"):
        propagate_cowell(R0_KM, V0_KM_S, EPOCH, [0.0, np.inf], force)
