"""Root-found events against brute-force sampling at 1 s: every event found, times within 1 s.

Reference: the same state functions sampled every second over a day (an independent method:
no bisection, no search step). Element set: ISS 2015-03-27 (../shared/data/tle/iss).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from skyfield.timelib import Time

from stationplan.orbit import events, frames
from stationplan.orbit.elements import read_elements
from stationplan.orbit.propagate import propagate_sgp4
from stationplan.orbit.timescale import offset, timescale

ONE_SECOND = 1.0
SPAN_S = 86400.0


@pytest.fixture(scope="module")
def state(shared_data: Path) -> events.StateFunction:
    el = read_elements(shared_data / "tle/iss/iss_25544_2015-03-27.tle").elements[0]

    def fn(t: Time) -> tuple[np.ndarray, np.ndarray]:
        res = propagate_sgp4(el, t)
        return res.r_teme_km[0], res.v_teme_km_s[0]

    return fn


def _seconds(iso: list[str], t0: Time) -> np.ndarray:
    base = t0.utc_datetime()
    return np.array(
        [(datetime.fromisoformat(s.replace("Z", "+00:00")) - base).total_seconds() for s in iso]
    )


def _brute(values: np.ndarray) -> np.ndarray:
    """Seconds (from the grid start) of each change, at the midpoint of the 1-s bracket."""
    idx = np.nonzero(np.diff(values))[0]
    return idx + 0.5


def _match(found: np.ndarray, brute: np.ndarray) -> None:
    assert len(found) == len(brute), (len(found), len(brute))
    assert np.abs(found - brute).max() <= ONE_SECOND


def test_eclipses_match_brute_force(state: events.StateFunction) -> None:
    t0 = timescale().utc(2015, 3, 27, 6)
    t1 = offset(t0, SPAN_S)
    found = events.eclipses(state, t0, t1)
    grid = offset(t0, np.arange(0.0, SPAN_S + 1, 1.0))
    shadow = events.shadow_state(state(grid)[0], grid)
    _match(_seconds([e.time_utc for e in found], t0), _brute(shadow))
    kinds = {e.kind for e in found}
    assert {"umbra_entry", "umbra_exit", "penumbra_entry", "penumbra_exit"} <= kinds


def test_node_crossings_match_brute_force(state: events.StateFunction) -> None:
    t0 = timescale().utc(2015, 3, 27, 6)
    t1 = offset(t0, SPAN_S)
    found = events.node_crossings(state, t0, t1)
    grid = offset(t0, np.arange(0.0, SPAN_S + 1, 1.0))
    north = (state(grid)[0][:, 2] > 0).astype(int)
    _match(_seconds([e.time_utc for e in found], t0), _brute(north))
    assert 30 <= len(found) <= 32  # 15.55 rev/day, two nodes each


def test_contacts_match_brute_force(state: events.StateFunction) -> None:
    lat, lon, alt, mask = 45.920, 63.342, 100.0, 5.0  # Baikonur Site 1
    t0 = timescale().utc(2015, 3, 27, 6)
    t1 = offset(t0, SPAN_S)
    passes = events.contacts(state, t0, t1, lat, lon, alt, mask)
    grid = offset(t0, np.arange(0.0, SPAN_S + 1, 1.0))
    site = frames.geodetic_to_itrs(lat, lon, alt)
    elev = events.elevation_deg(state(grid)[0], grid, site, lat, lon)
    up = (elev >= mask).astype(int)
    edges = _brute(up)
    found = []
    for p in passes:
        if not p["clipped_start"]:
            found.append(p["aos_utc"])
        if not p["clipped_end"]:
            found.append(p["los_utc"])
    _match(_seconds(found, t0), edges)
    for p in passes:
        i0, i1 = (_seconds([p["aos_utc"], p["los_utc"]], t0)).astype(int)
        assert abs(p["max_elevation_deg"] - elev[i0 : i1 + 2].max()) < 0.01
    # the 19:41 UTC pass over Baikonur, an hour before Soyuz TMA-16M lifted off, is near zenith
    assert any(p["max_elevation_deg"] > 80 for p in passes)


def test_sunlit_fraction_and_beta(state: events.StateFunction) -> None:
    t0 = timescale().utc(2015, 3, 27, 6)
    t1 = offset(t0, SPAN_S)
    fractions = events.sunlit_fraction_per_orbit(state, t0, t1)
    assert len(fractions) >= 14
    grid = offset(t0, np.arange(0.0, SPAN_S, 10.0))
    r, v = state(grid)
    beta = events.beta_angle_deg(r, v, grid)
    # orbit geometry: with |beta| below ~70 deg the ISS sees an eclipse each orbit; the sunlit
    # fraction is 1 - arccos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) / pi (Vallado sec. 5.3)
    h, R = 400.0, 6378.137
    expected = (
        1
        - np.arccos(np.sqrt(h**2 + 2 * R * h) / ((R + h) * np.cos(np.radians(beta.mean())))) / np.pi
    )
    got = np.mean([f["sunlit_fraction"] for f in fractions])
    assert abs(got - expected) < 0.02
