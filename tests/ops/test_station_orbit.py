"""The station's orbit as operations see it: element sets from the scenario, the quarterly
contact trend (sampled) against the root-found passes of ``orbit.events.contacts``, and the
orbit section of one station."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from stationplan.ops.assembly import build_station
from stationplan.ops.station_orbit import (
    TREND_STEP_S,
    _trend_days,
    analyse_station_orbit,
    contact_trend,
    station_elements,
)
from stationplan.orbit import events
from stationplan.orbit.elements import ElementSet, drag_free
from stationplan.orbit.propagate import sgp4_trajectory
from stationplan.orbit.timescale import as_time
from stationplan.scenario import load_scenario
from stationplan.scenario.models import GroundStation, Scenario
from tests.ops.scenarios import MINI, parse, utc

MU, R_EQ = 398600.4418, 6378.137  # WGS84 (orbit/constants.py)


@pytest.fixture(scope="module")
def mini() -> Scenario:
    return parse(MINI).scenario


@pytest.fixture(scope="module")
def elements(mini: Scenario) -> ElementSet:
    station = mini.stations[0]
    return station_elements(station, build_station(station))


# --------------------------------------------------------------------------- trend days


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # the service start, then the first day of each quarter (Jan, Apr, Jul, Oct)
        (
            utc(2024, 11, 20),
            utc(2025, 7, 15),
            [utc(2024, 11, 20), utc(2025, 1, 1), utc(2025, 4, 1), utc(2025, 7, 1)],
        ),
        # starting on a quarter's first day: not listed twice
        (utc(2025, 1, 1), utc(2025, 5, 1), [utc(2025, 1, 1), utc(2025, 4, 1)]),
        # February and March lead to April alike
        (utc(2025, 2, 10), utc(2025, 4, 3), [utc(2025, 2, 10), utc(2025, 4, 1)]),
        (utc(2025, 3, 31), utc(2025, 4, 3), [utc(2025, 3, 31), utc(2025, 4, 1)]),
        # October to December lead to January of the next year
        (utc(2025, 10, 15), utc(2026, 1, 3), [utc(2025, 10, 15), utc(2026, 1, 1)]),
        (utc(2025, 12, 31), utc(2026, 1, 3), [utc(2025, 12, 31), utc(2026, 1, 1)]),
        # a sample day needs a whole day inside the service: 07-01 + 1 day > 07-01 23:00
        (utc(2025, 4, 2), utc(2025, 7, 1, 23), [utc(2025, 4, 2)]),
        (utc(2025, 4, 2), utc(2025, 7, 2), [utc(2025, 4, 2), utc(2025, 7, 1)]),
        # the start keeps its time of day; the quarters start at 00:00
        (utc(2025, 5, 6, 12), utc(2025, 7, 9), [utc(2025, 5, 6, 12), utc(2025, 7, 1)]),
    ],
)
def test_trend_days(start: datetime, end: datetime, expected: list[datetime]) -> None:
    assert _trend_days(start, end) == expected


def test_trend_days_of_the_default_stations() -> None:
    """Concord Station serves 2028-03-01 to 2038-12-31T23:59:59: the start, 2028-04-01,
    07-01, 10-01, then four quarters in each of 2029-2038: 4 + 10 x 4 = 44 days. The ISS
    serves 2026-01-01 to its retirement 2031-01-31: four quarters in each of 2026-2030 and
    2031-01-01 (a whole day inside the service): 21 days."""
    concord = _trend_days(utc(2028, 3, 1), datetime(2038, 12, 31, 23, 59, 59, tzinfo=UTC))
    assert len(concord) == 44
    assert concord[:3] == [utc(2028, 3, 1), utc(2028, 4, 1), utc(2028, 7, 1)]
    assert concord[-1] == utc(2038, 10, 1)
    iss = _trend_days(utc(2026, 1, 1), utc(2031, 1, 31))
    assert len(iss) == 21
    assert iss[:2] == [utc(2026, 1, 1), utc(2026, 4, 1)]
    assert iss[-2:] == [utc(2030, 10, 1), utc(2031, 1, 1)]


# --------------------------------------------------------------------------- elements


def test_mean_elements_get_bstar_from_the_assembled_station(elements: ElementSet) -> None:
    """B* = rho0 C_D A / (2 m) with the final build (Vallado 2013, eq. 9-42):
    0.15696615 x 2.2 x 300 / (2 x 35000) = 1.47997e-3 per Earth radius."""
    assert elements.satrec.bstar == pytest.approx(1.47997e-3, rel=1e-5)
    assert elements.name == "Alpha"


def test_station_without_mass_has_no_drag_term(mini: Scenario) -> None:
    bare = mini.stations[0].model_copy(update={"modules": []})  # 0 kg: no B* can be formed
    assert station_elements(bare, build_station(bare)).satrec.bstar == 0


def test_tle_station_keeps_its_element_set() -> None:
    iss = load_scenario().scenario.stations[0]
    el = station_elements(iss, build_station(iss))
    assert el.catalog_number == 25544  # default.yaml: the ISS element set of 2025-07-23
    # day 204.82343111 of 2025 is 23 July (181 days to 30 June), 0.82343111 x 24 h =
    # 19.7624 h = 19:45:44 UTC
    assert el.epoch_utc.replace(microsecond=0) == datetime(2025, 7, 23, 19, 45, 44, tzinfo=UTC)
    assert el.satrec.bstar == pytest.approx(1.6581e-4)  # 16581-3 on line 1, not recomputed


# --------------------------------------------------------------------------- contact trend

GROUND = [
    GroundStation(name="Mid", latitude_deg=45.0, longitude_deg=10.0, min_elevation_deg=5),
    GroundStation(
        name="Korolev", latitude_deg=55.92, longitude_deg=37.82, altitude_m=170, min_elevation_deg=5
    ),
    # near the edge of visibility for 51.64 deg at 415 km: short passes
    GroundStation(name="Edge", latitude_deg=66.0, longitude_deg=21.0, min_elevation_deg=5),
    GroundStation(name="Equator", latitude_deg=0.0, longitude_deg=-50.0, min_elevation_deg=10),
    # 80 deg N: the ground track reaches 51.64 deg and a 5 deg mask sees ~17 deg around it
    GroundStation(name="Polar", latitude_deg=80.0, longitude_deg=0.0, min_elevation_deg=5),
]


def test_contact_trend_agrees_with_root_found_passes(elements: ElementSet) -> None:
    """Every sample day (2025-01-01, 04-01, 07-01) and ground station: the minutes in view
    from the elevation sampled every 30 s are within 0.5 min of the root-found passes per
    pass (a pass of D s holds floor or ceil of D / 30 samples), plus 0.05 for rounding to
    0.1 min; the pass counts agree except for passes shorter than the 30 s step."""
    start, end = utc(2025, 1, 1), utc(2025, 7, 2)
    trend = contact_trend(elements, GROUND, start, end)
    days = [utc(2025, 1, 1), utc(2025, 4, 1), utc(2025, 7, 1)]
    # ground station by ground station, each over the sample days
    assert [(s.ground_station, s.date_utc) for s in trend] == [
        (g.name, d) for g in GROUND for d in days
    ]
    state = sgp4_trajectory(drag_free(elements))  # flown drag-free, as the trend does
    checked = 0
    for sample in trend:
        gs = next(g for g in GROUND if g.name == sample.ground_station)
        day = sample.date_utc
        passes = events.contacts(
            state,
            as_time(day),
            as_time(day + timedelta(days=1)),
            gs.latitude_deg,
            gs.longitude_deg,
            gs.altitude_m,
            gs.min_elevation_deg,
        )
        minutes = sum(p.duration_s for p in passes) / 60.0
        assert abs(sample.contact_min_per_day - minutes) <= 0.5 * len(passes) + 0.05, (
            gs.name,
            day,
        )
        long_ones = [p for p in passes if p.duration_s >= TREND_STEP_S]
        assert len(long_ones) <= sample.passes_per_day <= len(passes), (gs.name, day)
        checked += len(passes)
    assert checked > 30  # Mid, Korolev and Equator see several passes a day


def test_contact_trend_of_a_site_out_of_reach(elements: ElementSet) -> None:
    trend = contact_trend(elements, GROUND[-1:], utc(2025, 1, 1), utc(2025, 1, 3))
    assert [(s.contact_min_per_day, s.passes_per_day) for s in trend] == [(0.0, 0)]


def test_contact_trend_needs_stations_and_a_day(elements: ElementSet) -> None:
    assert contact_trend(elements, [], utc(2025, 1, 1), utc(2025, 7, 1)) == []
    assert contact_trend(elements, GROUND, utc(2025, 1, 1), utc(2025, 1, 1, 23)) == []


# --------------------------------------------------------------------------- orbit section


def test_orbit_section(mini: Scenario) -> None:
    station = mini.stations[0]
    build = build_station(station)
    orbit, eph = analyse_station_orbit(station, build, mini.ground_stations, *_service())
    a = R_EQ + 415.0  # mean altitude 415 km
    # T = 2 pi sqrt(a^3 / mu) = 2 pi sqrt(6793.137^3 / 398600.4418) = 5572.1 s = 92.87 min
    assert orbit.period_min == pytest.approx(2 * math.pi * math.sqrt(a**3 / MU) / 60, abs=0.01)
    assert orbit.mean_altitude_km == pytest.approx(415.0, abs=1e-6)
    # a (1 -/+ e) - R with e = 0.0005: 415 -/+ 6793.137 x 0.0005 = 411.603, 418.397 km
    assert orbit.perigee_altitude_km == pytest.approx(411.603, abs=1e-3)
    assert orbit.apogee_altitude_km == pytest.approx(418.397, abs=1e-3)
    # J2 regression -1.5 n J2 (R/a)^2 cos i = -1.5 x 1.12763e-3 rad/s x 1.08263e-3 x
    # (6378.137 / 6793.137)^2 x cos 51.64 deg = -1.002e-6 rad/s = -4.96 deg/day
    assert orbit.nodal_rate_deg_day == pytest.approx(-4.96, abs=0.01)
    assert orbit.elements_source == "mean_elements" and orbit.catalog_number == 99999
    assert orbit.epoch_utc == utc(2025, 1, 1)
    # SGP4 products from max(service start 01-05, epoch 01-01)
    assert orbit.analysis_start_utc == utc(2025, 1, 5)
    # beta daily over the service, 55 days: 56 samples, ends included
    assert len(orbit.beta) == 56
    assert (orbit.beta[0].date_utc, orbit.beta[-1].date_utc) == _service()
    # at beta 0 the umbra hides acos(sqrt(h^2 + 2 R h) / (R + h)) / pi = acos(2337.96 /
    # 6793.137) / pi = 0.388 of the orbit: no day is darker than 1 - 0.388 = 0.612 sunlit
    assert min(b.sunlit_fraction for b in orbit.beta) >= 0.611
    # ground track: 3 orbits x 5572.1 s / 30 s = 557.2 steps, 558 points with both ends
    assert len(orbit.ground_track_utc) == 558
    # ephemeris for the exports: one day every 60 s, 1440 + 1 epochs
    assert len(eph.times_utc) == 1441 and eph.r_gcrs_km.shape == (1441, 3)
    (contacts,) = orbit.contacts
    assert contacts.window_days == 7
    assert contacts.passes_per_day == pytest.approx(contacts.passes / 7)
    first = [p.duration_s / 60 for p in contacts.first_passes]
    assert contacts.longest_pass_min >= max(first)  # of all the week's passes, not only these
    assert len(contacts.first_passes) == 5
    for p in contacts.first_passes:
        assert orbit.analysis_start_utc <= p.aos_utc <= p.max_elevation_utc <= p.los_utc
        assert p.duration_s == pytest.approx((p.los_utc - p.aos_utc).total_seconds(), abs=0.05)
    # eclipses of the first day: boundaries in time order, each leaving the state it entered
    boundaries = orbit.eclipse_events
    assert boundaries and all(
        a.time_utc < b.time_utc and a.to_state == b.from_state for a, b in pairwise(boundaries)
    )
    assert all(b.time_utc - orbit.analysis_start_utc <= timedelta(days=1) for b in boundaries)
    # plan.json keeps the keys "from" and "to", and reads back
    dumped = orbit.model_dump(mode="json")
    assert set(dumped["eclipse_events"][0]) == {"time_utc", "kind", "from", "to"}
    assert set(dumped["contacts"][0]["first_passes"][0]) == {
        "aos_utc",
        "los_utc",
        "max_elevation_utc",
        "max_elevation_deg",
        "duration_s",
        "clipped_start",
        "clipped_end",
    }
    assert type(orbit).model_validate_json(orbit.model_dump_json()) == orbit
    assert [c.date_utc for c in orbit.contact_trend] == [utc(2025, 1, 5)]  # no quarter inside
    assert orbit.sgp4_failure is None


def _service() -> tuple[datetime, datetime]:
    return utc(2025, 1, 5), utc(2025, 3, 1)
