"""Station lifetime (altitude keeping of a scenario station) and the one-object lifetime use
case (decay or band keeping of an element set), with their request checks.

Constants of the hand checks: mu = 398600.4418 km^3/s^2 and R = 6378.137 km (WGS84,
orbit/constants.py), g0 = 9.80665 m/s^2, SGP4's rho0 = 0.15696615 kg/m^2/ER (Vallado 2013,
eq. 9-42). A small Hohmann raise from r - dr/2 to r + dr/2 costs v dr / (2 r) in total, with
v = sqrt(mu / r); the propellant of a burn dv is m (1 - exp(-dv / (g0 Isp))).
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pytest

from stationplan.errors import ArgumentError, ScenarioError
from stationplan.ops.assembly import StationBuild, build_station, configuration_at
from stationplan.ops.lifetime import (
    LifetimeRequest,
    StationLifetime,
    _schedules,
    lifetime,
    plan_station_lifetime,
    propellant_budget_kg_per_year,
    reboost_vehicle,
)
from stationplan.ops.requests import make_request
from stationplan.ops.station_orbit import station_elements
from stationplan.scenario.models import Scenario
from tests.conftest import mutate
from tests.ops.scenarios import MINI, parse, two_station_text, utc
from tests.ops.test_windows import ISS_TLE

MU, R_EQ, G0 = 398600.4418, 6378.137, 9.80665
NARROW_BAND = (
    "min_altitude_km: 400\n    max_altitude_km: 420",
    "min_altitude_km: 410\n    max_altitude_km: 412",
)
SERVICE = (utc(2025, 1, 5), utc(2025, 3, 1))  # Alpha: from its first module (Node) to the end


def _plan(
    text: str, index: int = 0, service: tuple[datetime, datetime] = SERVICE
) -> tuple[StationLifetime, StationBuild]:
    sc = parse(text).scenario
    station = sc.stations[index]
    build = build_station(station)
    life = plan_station_lifetime(
        sc, station, build, station_elements(station, build), service[0], service[1]
    )
    return life, build


def _propellant(mass_kg: float, dv_m_s: float, isp_s: float) -> float:
    return mass_kg * (1.0 - math.exp(-dv_m_s / (G0 * isp_s)))


@pytest.fixture(scope="module")
def mini() -> Scenario:
    return parse(MINI).scenario


def test_reboost_vehicle_and_propellant_budget(mini: Scenario) -> None:
    assert reboost_vehicle(mini.vehicles) is mini.vehicles[0]  # Ferry: the first with reboost
    # Ferry (500 reboost + 100 transfer) x 3 flights + Freighter (0 + 200) x 4 flights
    # = 1800 + 800 = 2600 kg a year
    assert propellant_budget_kg_per_year(mini.vehicles) == 2600
    assert reboost_vehicle(mini.vehicles[1:]) is None  # the Freighter cannot reboost


def test_mass_and_area_schedules_follow_the_build(mini: Scenario) -> None:
    """From 2025-01-05 (the Node's launch: counted in the first row) the mass steps 20000,
    30000, 35000 kg and the area 100, 150, 300 m^2 at the Lab's and the Array's launches."""
    station = mini.stations[0]
    mass, area = _schedules(station, build_station(station), SERVICE[0])
    days = (utc(2025, 1, 5), utc(2025, 2, 1), utc(2025, 2, 15))
    assert (mass.start_utc, mass.values) == (days, (20000, 30000, 35000))
    assert (area.start_utc, area.values) == (days, (100, 150, 300))


def test_station_lifetime_without_reboosts() -> None:
    life, _ = _plan(MINI)
    assert (life.station, life.start_utc, life.end_utc) == ("Alpha", *SERVICE)
    assert life.band_km == (400, 420)
    assert (life.reboost_vehicle, life.isp_s, life.thrust_n) == ("Ferry", 302, 2950)
    assert life.propellant_budget_kg_per_year == 2600  # see above
    # 2025-01-05 to 2025-03-01: 27 + 28 = 55 days, daily samples at both ends: 56
    assert len(life.days_utc) == 56 == len(life.mean_altitude_km)
    assert (life.days_utc[0], life.days_utc[-1]) == SERVICE
    assert life.mean_altitude_km[0] == 415  # Alpha's altitude_km, inside the band
    assert life.mean_altitude_km[-1] > 400  # ~0.13-0.2 km/day: never down to the band's edge
    assert life.reboosts == [] and life.years == [] and life.total_propellant_kg == 0
    assert life.infeasible_reason is None and life.deorbit is None and life.note is None


def test_decay_rate_follows_area_to_mass() -> None:
    """The decay rate scales with C_D A / m: A/m is 100/20000 = 0.005 before the Lab
    (2025-02-01) and 150/30000 = 0.005 after it (no change), then 300/35000 = 0.00857 after
    the Array (2025-02-15): x 1.714. Days from 2025-01-05: 27 for 02-01, 41 for 02-15."""
    life, _ = _plan(MINI)
    alt = life.mean_altitude_km

    def drop(day: int) -> float:  # km lost from sample day to day + 1
        return alt[day] - alt[day + 1]

    # a day's descent of ~0.15 km raises the density by ~2 %: allow 4 %
    assert drop(27) / drop(26) == pytest.approx(1.0, rel=0.04)
    assert drop(41) / drop(40) == pytest.approx(300 / 35000 / 0.005, rel=0.04)


def test_start_altitude_is_clamped_into_the_band() -> None:
    """Elements at 430 km, band 400-420: the plan starts at min(max(430, 400), 420) = 420."""
    text, _ = mutate(MINI, "altitude_km: 415", "altitude_km: 430")
    life, _ = _plan(text)
    assert life.mean_altitude_km[0] == 420


def test_reboosts_in_a_narrow_band() -> None:
    """Band 410-412 km: each reboost raises 410 -> 412 km. r = R + 411 = 6789.137 km,
    v = sqrt(398600.4418 / 6789.137) = 7.66236 km/s, dv = 7662.36 x 2 / (2 x 6789.137)
    = 1.1286 m/s; propellant m (1 - exp(-1.1286 / (9.80665 x 302))) = m x 3.8101e-4:
    7.620 kg at 20000 kg, 11.430 at 30000, 13.335 at 35000."""
    life, build = _plan(MINI.replace(*NARROW_BAND))
    assert len(life.reboosts) >= 3  # ~2 km per ~2 weeks over 55 days
    by_mass = {20000: 7.620, 30000: 11.430, 35000: 13.335}
    for r in life.reboosts:
        assert (r.altitude_before_km, r.altitude_after_km) == (410, 412)
        assert r.dv_m_s == pytest.approx(1.1286, abs=1e-4)
        step = configuration_at(build, r.time_utc)
        assert step is not None and r.station_mass_kg == step.station_mass_kg
        assert r.propellant_kg == pytest.approx(by_mass[int(r.station_mass_kg)], abs=1e-3)
        # burn = propellant x Isp x g0 / thrust (2950 N)
        assert r.burn_s == pytest.approx(r.propellant_kg * 302 * G0 / 2950)
    (year,) = life.years
    assert year.year == 2025 and year.reboosts == len(life.reboosts)
    assert year.propellant_kg == pytest.approx(life.total_propellant_kg)
    assert life.total_propellant_kg == pytest.approx(sum(r.propellant_kg for r in life.reboosts))
    assert all(410 - 1e-6 <= a <= 412 + 1e-6 for a in life.mean_altitude_km)


def test_reboosts_keep_the_last_daily_sample() -> None:
    life, _ = _plan(MINI.replace(*NARROW_BAND))
    assert life.reboosts
    assert len(life.days_utc) == 56  # 55 days, both ends, as without reboosts
    assert life.days_utc[-1] == SERVICE[1]


def test_propellant_budget_exceeded() -> None:
    """Budget 2 kg x 3 Ferry flights = 6 kg a year (no transfer propellant left): the first
    reboost of the narrow band needs 7.620 kg (above), so the plan stops there."""
    text = MINI.replace(*NARROW_BAND)
    text, _ = mutate(text, "propellant_kg: 500", "propellant_kg: 2")
    text, _ = mutate(text, "propellant_transfer_kg: 100", "propellant_transfer_kg: 0")
    text, _ = mutate(text, "propellant_transfer_kg: 200", "propellant_transfer_kg: 0")
    life, _ = _plan(text)
    assert life.propellant_budget_kg_per_year == 6
    assert len(life.reboosts) == 1
    assert life.infeasible_at_utc == life.reboosts[0].time_utc
    assert life.infeasible_reason is not None
    assert "cannot be held within the propellant budget" in life.infeasible_reason
    assert "2025 needs 8 kg (1 reboosts), more than the budget of 6 kg per year" in (
        life.infeasible_reason
    )


def test_no_reboost_vehicle() -> None:
    text, _ = mutate(MINI, "    reboost: {thrust_n: 2950, isp_s: 302, propellant_kg: 500}\n", "")
    life, _ = _plan(text)
    assert life.note == "no vehicle of the fleet can reboost: the altitude cannot be kept"
    assert life.reboost_vehicle is None and life.days_utc == []
    assert life.propellant_budget_kg_per_year == 1100  # transfer only: 100 x 3 + 200 x 4


def test_span_shorter_than_a_day() -> None:
    life, _ = _plan(MINI, service=(utc(2025, 1, 5), utc(2025, 1, 5, 23)))
    assert (
        life.note == "service span after the element epoch is shorter than a day: nothing to plan"
    )
    assert life.days_utc == [] and life.reboosts == []


def test_deorbit_of_a_retiring_station() -> None:
    """Beta retires 2025-02-15, inside the programme: one retro burn from its last mean
    altitude h to a 60 km perigee, dv = sqrt(mu/r) - sqrt(mu (2/r - 2/(r + rp))) with
    r = R + h, rp = R + 60; the mass is the assembled 50000 + 3000 = 53000 kg; the engine the
    Ferry's (Isp 302 s)."""
    life, _ = _plan(two_station_text(), index=1, service=(utc(2025, 1, 1), utc(2025, 2, 15)))
    d = life.deorbit
    assert d is not None
    assert (d.retire_utc, d.vehicle, d.isp_s, d.station_mass_kg) == (
        utc(2025, 2, 15),
        "Ferry",
        302,
        53000,
    )
    assert d.disposal_perigee_km == 60
    assert d.altitude_km == pytest.approx(life.mean_altitude_km[-1], abs=1e-4)
    r, rp = R_EQ + d.altitude_km, R_EQ + 60.0
    dv = 1e3 * (math.sqrt(MU / r) - math.sqrt(MU * (2 / r - 2 / (r + rp))))
    assert d.dv_m_s == pytest.approx(dv, rel=1e-9)
    assert 100 < d.dv_m_s < 110  # ~104 m/s from ~425 km (99.3 m/s from 400 km, reboost.py)
    assert d.propellant_kg == pytest.approx(_propellant(53000, d.dv_m_s, 302), rel=1e-9)


def test_station_with_no_area_of_its_own_is_refused_by_validate() -> None:
    """Alpha with 1000 kg of its own (so in service from the programme start) and no area
    until the Node arrives on 2025-01-05: the decay model has no cross-section for the first
    four days, so validate refuses it at the field, as run cannot plan it."""
    text, _ = mutate(
        MINI, "    mass_kg: 0\n    drag_area_m2: 0\n", "    mass_kg: 1000\n    drag_area_m2: 0\n"
    )
    with pytest.raises(ScenarioError) as info:
        parse(text)
    (problem,) = info.value.problems
    assert problem.field == "stations[0].drag_area_m2"
    assert "no drag area when its service starts (2025-01-01)" in problem.message


# --------------------------------------------------------------------------- one object


@pytest.fixture()
def tle(tmp_path: Path) -> Path:
    f = tmp_path / "iss.tle"
    f.write_text(ISS_TLE, encoding="utf-8")
    return f


def test_drag_area_from_bstar(tle: Path) -> None:
    """B* = 0.22972e-3 (the element set's 22972-3), default mass 1000 kg, C_D 2.2:
    A = 2 B* m / (rho0 C_D) = 2 x 2.2972e-4 x 1000 / (0.15696615 x 2.2) = 0.45944 / 0.345326
    = 1.3305 m^2 (Vallado 2013, eq. 9-42)."""
    answer = lifetime(make_request(LifetimeRequest, {"elements_file": tle, "days": 2}))
    assert answer.mass_kg == 1000 and answer.drag_coefficient == 2.2
    assert answer.drag_area_m2 == pytest.approx(1.3305, abs=1e-4)
    assert answer.drag_area_source == "B* 0.00022972 with mass 1000 kg and C_D 2.2"
    # epoch day 86.17334635 of 2015: 27 March, 0.17334635 x 86400 s = 4 h 09 min 37.12 s
    assert answer.start_utc.replace(microsecond=0) == utc(2015, 3, 27, 4).replace(
        minute=9, second=37
    )
    # two days: daily samples at 0, 1 and 2 days from the epoch
    assert [(t - answer.start_utc).days for t in answer.sample_times_utc] == [0, 1, 2]
    assert answer.reentry_utc is None and answer.reboosts == ()
    assert 401.7 < answer.mean_altitude_km[0] < 401.8  # as tests/cli/test_cli.py
    assert answer.mean_altitude_km[-1] < answer.mean_altitude_km[0]


def test_drag_area_scales_with_mass(tle: Path) -> None:
    """420 t: 2 x 2.2972e-4 x 420000 / 0.345326 = 558.79 m^2 (1.3305 x 420)."""
    answer = lifetime(
        make_request(LifetimeRequest, {"elements_file": tle, "days": 1, "mass_kg": 420000})
    )
    assert answer.drag_area_m2 == pytest.approx(558.79, abs=0.01)
    given = lifetime(
        make_request(
            LifetimeRequest, {"elements_file": tle, "days": 1, "mass_kg": 420000, "area_m2": 800}
        )
    )
    assert (given.drag_area_m2, given.drag_area_source) == (800, "given")


def test_band_kept_by_reboosts(tle: Path) -> None:
    """420 t with 2000 m^2 decays ~0.18 km/day from 401.77 km; band 399-401 is reached in
    ~2 weeks. Each reboost 399 -> 401 km: r = R + 400 = 6778.137 km, v = 7.66856 km/s,
    dv = 7668.56 x 2 / (2 x 6778.137) = 1.1314 m/s; propellant 420000 x (1 - exp(-1.1314 /
    2961.608)) = 160.4 kg; burn 160.4 x 302 x 9.80665 / 2950 = 161.0 s."""
    answer = lifetime(
        make_request(
            LifetimeRequest,
            {
                "elements_file": tle,
                "days": 30,
                "mass_kg": 420000,
                "area_m2": 2000,
                "band_km": "399,401",
                "isp_s": 302,
            },
        )
    )
    assert answer.band_km == (399, 401)
    assert answer.infeasible_reason is None
    assert answer.reboosts
    for r in answer.reboosts:
        assert (r.altitude_before_km, r.altitude_after_km) == (399, 401)
        assert r.dv_m_s == pytest.approx(1.1314, abs=1e-3)
        assert r.propellant_kg == pytest.approx(160.4, abs=0.2)
        assert r.burn_s == pytest.approx(161.0, abs=0.3)


def test_light_object_reenters(tle: Path) -> None:
    """A fast final descent (38 km in a 6 h cell near 186 km) is integrated down to the
    re-entry altitude and reported, without running outside the density fit."""
    answer = lifetime(
        make_request(
            LifetimeRequest,
            {
                "elements_file": tle,
                "days": 60,
                "mass_kg": 200,
                "area_m2": 10,
                "f107": 150,
                "ap": 15,
            },
        )
    )
    assert answer.reentry_utc is not None
    assert answer.sample_times_utc[-1] <= answer.reentry_utc
    # still above 220 km on day 29, so the fast last descent lasts days, not weeks
    days = (answer.reentry_utc - answer.start_utc).total_seconds() / 86400
    assert 29 < days < 40
    assert all(a > 150 for a in answer.mean_altitude_km)


def test_negative_bstar_needs_an_area(tmp_path: Path) -> None:
    """B* field ' 22972-3' -> '-22972-3': the '-' adds 1 to the line-1 checksum, 4 -> 5."""
    lines = ISS_TLE.splitlines()
    lines[1] = lines[1].replace(" 22972-3 0  9994", "-22972-3 0  9995")
    f = tmp_path / "negative.tle"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ArgumentError) as err:
        lifetime(make_request(LifetimeRequest, {"elements_file": f, "days": 2}))
    (problem,) = err.value.problems
    assert problem.field == "area_m2"
    assert problem.message.startswith("the element set's B* is -0.00022972: no drag area")


def test_span_past_the_ephemeris(tle: Path) -> None:
    """20000 days from 2015-03-27 ends in 2069, after DE421's last day 2053-10-08."""
    with pytest.raises(ArgumentError) as err:
        lifetime(make_request(LifetimeRequest, {"elements_file": tle, "days": 20000}))
    (problem,) = err.value.problems
    assert problem.field == "days"
    assert problem.message == (
        "the span from the element epoch ends 2069-12-28, after 2053-10-08, the last day the "
        "DE421 ephemeris covers"
    )


BAND_RULE = "must satisfy 150 < MIN < MAX <= 2000 km (below the lower bound an orbit re-enters"
REBOOST = {"mass_kg": 1000, "isp_s": 300}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"band_km": "150,420", **REBOOST}, "band_km", f"150,420 {BAND_RULE}"),  # edge: > 150
        ({"band_km": "149,420", **REBOOST}, "band_km", f"149,420 {BAND_RULE}"),
        ({"band_km": "420,400", **REBOOST}, "band_km", f"420,400 {BAND_RULE}"),  # MIN < MAX
        ({"band_km": "400,400", **REBOOST}, "band_km", f"400,400 {BAND_RULE}"),
        ({"band_km": [400, 2001], **REBOOST}, "band_km", f"400,2001 {BAND_RULE}"),
        ({"band_km": "400-420", **REBOOST}, "band_km", "'400-420' is not MIN_KM,MAX_KM"),
        # a band needs the mass and the Isp for the propellant
        ({"band_km": "400,420"}, "isp_s", "a band held by reboosts needs the mass and"),
        ({"band_km": "400,420", "isp_s": 300}, "isp_s", "a band held by reboosts needs the mass"),
        # isp_s bounded as a scenario vehicle's reboost isp_s: 0 < Isp <= 500
        ({"isp_s": 600}, "isp_s", "must be less than or equal to 500 (got 600)"),
        ({"days": 0}, "days", "must be greater than 0 (got 0)"),
        (
            {"f107": 150, "space_weather": "sw.csv"},
            "space_weather",
            "a constant F10.7 and a space-weather file are alternatives",
        ),
    ],
)
def test_lifetime_request_problems(values: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ArgumentError) as err:
        make_request(LifetimeRequest, {"elements_file": "x.tle", "days": 10, **values})
    assert [p.field for p in err.value.problems] == [field]
    assert err.value.problems[0].message.startswith(message)


def test_band_just_above_reentry_is_accepted() -> None:
    req = make_request(
        LifetimeRequest, {"elements_file": "x.tle", "days": 10, "band_km": "150.1,2000", **REBOOST}
    )
    assert req.band_km == (150.1, 2000)
