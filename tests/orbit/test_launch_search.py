"""The plane-crossing search of the launch windows: its step cannot miss a crossing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stationplan.orbit import launch
from stationplan.orbit.elements import drag_free, parse_tle, summarize
from stationplan.orbit.propagate import sgp4_trajectory
from stationplan.orbit.timescale import offset, timescale

LINE1 = "1 25544U 98067A   24345.25157410  .00018876  00000-0  33265-3 0  9995"
LINE2 = "2 25544  51.6398 163.0983 0006803 323.0160 207.4428 15.50429917485856"


def test_search_step_from_the_crossing_geometry() -> None:
    # Kennedy under a 51.6 deg plane: sin l = tan 28.608 / tan 51.6 = 0.4323, l = 25.61 deg;
    # the crossings are 180 - 2 l = 128.8 deg of the Earth's turn apart: 8.6 h, step capped at 1 h
    k = math.tan(math.radians(28.608)) / math.tan(math.radians(51.6))
    assert math.degrees(math.asin(k)) == pytest.approx(25.61, abs=0.01)
    assert launch.search_step_s(28.608, 51.6) == launch.MAX_SEARCH_STEP_S
    # a pad at 51.4 deg: l = 83.15 deg, crossings 13.7 deg apart (55 min): an 18-min step
    assert launch.search_step_s(51.4, 51.6) == pytest.approx(13.7 / 360 * 86164 / 3, rel=0.01)
    # tangency and above the inclination: the floor
    assert launch.search_step_s(51.59, 51.6) == launch.MIN_SEARCH_STEP_S
    assert launch.search_step_s(67.9, 51.6) == launch.MIN_SEARCH_STEP_S


@pytest.mark.parametrize("lat_deg", [45.996, 51.3])
def test_crossings_equal_a_fine_scan(lat_deg: float) -> None:
    """Every sign change of a 5-s scan over four days is found once, to within the scan step,
    also for a pad near the plane's highest latitude (crossings under an hour apart)."""
    el = drag_free(parse_tle(LINE1, LINE2, "ISS"))
    s = summarize(el)
    pad = launch.Pad(lat_deg, 63.564)
    profile = launch.AscentProfile()
    t0 = timescale().utc(2025, 1, 1)
    t1 = offset(t0, 4 * 86400.0)
    windows = launch.launch_windows(
        sgp4_trajectory(el), pad, t0, t1, profile, s.mean_altitude_km, s.inclination_deg
    )
    fine_s = np.arange(0.0, 4 * 86400.0, 5.0)
    t = offset(t0, fine_s)
    d_node = launch.profile_nodal_offset_deg(
        profile, profile.strategy, s.mean_altitude_km, s.inclination_deg
    )
    n = launch.target_normal(sgp4_trajectory(el), t, profile, d_node)
    p = launch.pad_teme_km(pad, t)
    above = np.einsum("ij,ij->i", n, p) > 0
    changes = fine_s[1:][above[1:] != above[:-1]]
    found_s = np.array([(w.plane_crossing_jd_tt - float(t0.tt)) * 86400.0 for w in windows])
    assert changes.size >= 8
    assert found_s.size == changes.size
    assert np.abs(found_s - changes).max() <= 5.0
