"""The engine: a Plan whose parts agree with each other and with the layers below it.

Most checks run the two-station scenario of tests/ops/scenarios.py (half a second); one run
of the default scenario (~1 min) is shared by the module's default-plan tests.

Window counts by hand: a pad turns through a 51.64 deg plane once per 360 / (360.986 + 5.0)
= 0.9836 day (sidereal rate plus the node's ~5 deg/day regression), and each pad's corridor
keeps only the ascending (north-east) crossing (Pad North 33-70 deg: ~62 deg; Pad South
35-120 deg: ~45 deg), so a span of D days holds D / 0.9836 windows, give or take one.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime

import pytest

from stationplan.ops.assembly import build_all
from stationplan.ops.fleet import fleet_capabilities
from stationplan.plan import Plan
from stationplan.plan.engine import NOT_YET_BUILT, RunResult, run_scenario
from stationplan.plan.model import Severity
from stationplan.program.contributions import partner_summaries
from tests.conftest import default_run, mutate
from tests.ops.scenarios import MINI, parse, two_station_text, utc

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
OPS = {"manifest", "logistics", "power", "risk", "capabilities"}  # topics tested elsewhere
"""Topics of the operations' findings (tested in test_operations_findings.py)."""


@pytest.fixture(scope="module")
def two() -> tuple[RunResult, list[str]]:
    steps: list[str] = []
    return run_scenario(parse(two_station_text()), steps.append, now_utc=NOW), steps


@pytest.fixture(scope="module")
def default_plan() -> Plan:
    return default_run().plan


def _span(plan: Plan, station: str) -> tuple[datetime, datetime]:
    s = next(s for s in plan.stations if s.name == station)
    return s.in_service_from_utc, s.in_service_to_utc


def test_service_spans(two: tuple[RunResult, list[str]]) -> None:
    plan = two[0].plan
    # Alpha: mass_kg 0, so in service from its first module (Node, 2025-01-05) to the end
    assert _span(plan, "Alpha") == (utc(2025, 1, 5), utc(2025, 3, 1))
    # Beta: 50000 kg of its own, so from the programme start; to its retirement
    assert _span(plan, "Beta") == (utc(2025, 1, 1), utc(2025, 2, 15))


def test_station_summaries_agree_with_assembly(two: tuple[RunResult, list[str]]) -> None:
    plan = two[0].plan
    sc = parse(two_station_text()).scenario
    builds = build_all(sc)
    assert [s.build for s in plan.stations] == builds
    alpha, beta = plan.stations
    assert (alpha.orbit_source, alpha.inclination_deg) == ("mean_elements", 51.64)
    assert (alpha.min_altitude_km, alpha.max_altitude_km, alpha.retire_utc) == (400, 420, None)
    assert (beta.min_altitude_km, beta.max_altitude_km) == (410, 440)
    assert beta.retire_utc == utc(2025, 2, 15)
    fleet = fleet_capabilities(sc, builds)
    assert plan.fleet == fleet
    assert plan.partners == partner_summaries(sc, fleet)


def test_windows_only_where_a_vehicle_can_dock(two: tuple[RunResult, list[str]]) -> None:
    plan = two[0].plan
    got = [(w.vehicle, w.site, w.station) for w in plan.launch_windows]
    # vehicle by vehicle, station by station, site by site: Ferry and Freighter dock at
    # Alpha only (IDSS, SSVP), the Shuttle at both (APAS or IDSS) from both pads
    assert got == [
        ("Ferry", "Pad North", "Alpha"),
        ("Freighter", "Pad North", "Alpha"),
        ("Shuttle", "Pad North", "Alpha"),
        ("Shuttle", "Pad South", "Alpha"),
        ("Shuttle", "Pad North", "Beta"),
        ("Shuttle", "Pad South", "Beta"),
    ]
    expected = [
        (v.name, site, station)
        for v in plan.fleet
        for station in v.docks_at
        for site in v.launch_sites
    ]
    assert got == expected
    for w in plan.launch_windows:
        start, end = _span(plan, w.station)
        assert (w.span_start_utc, w.span_end_utc) == (start, end)  # the station's service
        days = (end - start).total_seconds() / 86400
        # module docstring: D / 0.9836 windows; Alpha 55 days -> 55.9, Beta 45 -> 45.8
        assert abs(w.windows - days / 0.9836) <= 1.0, (w.vehicle, w.site, w.station)
        assert all(start <= d <= end for d in w.launch_dates_utc)


def test_vehicles_of_one_profile_share_their_windows(two: tuple[RunResult, list[str]]) -> None:
    """Ferry and Freighter: same pad, ascent (528 s), 2orbit profile, 220 km insertion and
    162 s lead: the same windows."""
    ferry, freighter = two[0].plan.launch_windows[:2]
    assert ferry.launch_dates_utc == freighter.launch_dates_utc
    assert ferry.phase_angle_deg == freighter.phase_angle_deg


def test_lifetime_covers_the_service(two: tuple[RunResult, list[str]]) -> None:
    plan = two[0].plan
    for life in plan.lifetime:
        start, end = _span(plan, life.station)
        # from max(service start, element epoch 2025-01-01) = the service start
        assert (life.start_utc, life.end_utc) == (start, end)
        assert life.days_utc[0] == start
    alpha, beta = plan.lifetime
    assert alpha.deorbit is None  # flies on
    assert beta.deorbit is not None and beta.deorbit.retire_utc == utc(2025, 2, 15)
    assert beta.deorbit.station_mass_kg == 53000  # 50000 + the Port's 3000
    assert {life.reboost_vehicle for life in plan.lifetime} == {"Ferry"}
    # Ferry (500 + 100) x 3 + Freighter 200 x 4 = 2600 kg a year; the Shuttle brings none
    assert {life.propellant_budget_kg_per_year for life in plan.lifetime} == {2600}


def test_orbit_sections_cover_the_service(two: tuple[RunResult, list[str]]) -> None:
    result = two[0]
    plan = result.plan
    assert [o.station for o in plan.orbits] == ["Alpha", "Beta"]
    for o in plan.orbits:
        start, end = _span(plan, o.station)
        assert o.analysis_start_utc == max(start, o.epoch_utc)
        assert (o.beta[0].date_utc, o.beta[-1].date_utc) == (start, end)
        assert all(start <= c.date_utc < end for c in o.contact_trend)
        assert [c.ground_station for c in o.contacts] == ["Mid"]
    # one day of states at 60 s per station: 1440 + 1 epochs
    assert [len(e.times_utc) for e in result.ephemerides] == [1441, 1441]


def test_programme_meta_and_progress(two: tuple[RunResult, list[str]]) -> None:
    plan, steps = two[0].plan, two[1]
    p = plan.programme
    assert (p.name, p.start_utc, p.end_utc) == ("Mini Programme", utc(2025, 1, 1), utc(2025, 3, 1))
    assert p.duration_days == 59  # 31 + 28
    assert (p.partners, p.stations, p.vehicles) == (2, 2, 3)
    text = two_station_text()
    assert plan.meta.scenario_sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert (plan.meta.scenario_source, plan.meta.generated_utc) == ("<test>", NOW)
    assert plan.not_yet_built == NOT_YET_BUILT
    assert plan.ground_stations_used == [("Mid", 45.0, 10.0)]
    assert steps[:4] == ["assembly", "fleet", "orbit of Alpha", "orbit of Beta"]
    assert steps[4] == "launch windows: Ferry from Pad North to Alpha"
    assert len([s for s in steps if s.startswith("launch windows")]) == 6
    ops = steps.index("crew plan")
    assert steps[ops - 4 : ops] == [
        "lifetime and reboosts of Alpha",
        "lifetime and reboosts of Beta",
        "partners",
        "findings",
    ]
    assert steps[ops:] == [  # no manifest: no logistics or risk
        "crew plan",
        "flight manifest (CP-SAT)",
        "power",
        "capabilities",
        "work split",
        "partnership ledger",
    ]


def test_findings_of_the_two_station_plan(two: tuple[RunResult, list[str]]) -> None:
    """The crew rule checks every station with modules: Beta's Port houses nobody while
    3 crew are planned (the crew plan names no station)."""
    plan = two[0].plan
    found = [(f.severity, f.topic, f.message) for f in plan.findings if f.topic not in OPS]
    # 59 days hold no six-month increment: no manifest, and the findings say why
    why = [f.message for f in plan.findings if f.topic == "manifest"]
    assert why and all(m.startswith("no flight manifest (INFEASIBLE): ") for m in why)
    assert found == [
        (
            Severity.WARNING,
            "crew",
            "Beta: 3 resident crew planned but the station houses 0 at the first crew date "
            "(2025-01-20); full capacity 0 after assembly",
        )
    ]


def test_plan_round_trips_through_json(two: tuple[RunResult, list[str]]) -> None:
    plan = two[0].plan
    assert Plan.model_validate_json(plan.model_dump_json()) == plan


def test_orbit_findings_from_a_run() -> None:
    """A closed corridor (200-210 deg: neither crossing), a ground station at 80 deg N (a
    415 km orbit at 51.64 deg is seen from 67.4 deg N at most: test_default_findings) and a
    fleet that cannot reboost."""
    text, _ = mutate(MINI, "{min_deg: 33, max_deg: 70}", "{min_deg: 200, max_deg: 210}")
    text, _ = mutate(
        text, "latitude_deg: 45.0, longitude_deg: 10.0", "latitude_deg: 80.0, longitude_deg: 0.0"
    )
    text, _ = mutate(text, "    reboost: {thrust_n: 2950, isp_s: 302, propellant_kg: 500}\n", "")
    plan = run_scenario(parse(text), now_utc=NOW).plan
    found = [(f.severity, f.topic, f.message) for f in plan.findings if f.topic not in OPS]
    assert found == [
        (
            Severity.WARNING,
            "ground segment",
            "Mid never sees Alpha above 5 deg in 7 days (inclination 51.6 deg)",
        ),
        (
            Severity.WARNING,
            "launch windows",
            "Ferry from Pad North has no window to Alpha within its allowed azimuths",
        ),
        (
            Severity.WARNING,
            "launch windows",
            "Freighter from Pad North has no window to Alpha within its allowed azimuths",
        ),
        (
            Severity.INFO,
            "altitude keeping",
            "Alpha: no vehicle of the fleet can reboost: the altitude cannot be kept",
        ),
    ]


def test_element_in_orbit_at_start_puts_the_station_in_service() -> None:
    text, _ = mutate(MINI, "        launch_utc: 2025-02-15\n", "")  # the Array: no date
    plan = run_scenario(parse(text), now_utc=NOW).plan
    assert _span(plan, "Alpha") == (utc(2025, 1, 1), utc(2025, 3, 1))


# --------------------------------------------------------------------------- the default


def test_default_windows_go_where_vehicles_dock(default_plan: Plan) -> None:
    """A series per vehicle, launch site and station it has a port type at: Soyuz and
    Progress (SSVP) go to the ISS alone, Crew and Cargo Dragon (IDSS) and Cygnus (CBM) to
    both, from each of their sites; each over its station's service, the ISS from the
    programme start 2026-01-01 to its retirement 2031-01-31, Concord Station from its Core
    Module 2028-03-01 to the programme end."""
    series = [(w.vehicle, w.site, w.station) for w in default_plan.launch_windows]
    iss, concord, kennedy, slc40 = (
        "ISS",
        "Concord Station",
        "Kennedy LC-39A",
        ("Cape Canaveral SLC-40"),
    )
    assert series == [
        ("Soyuz MS", "Baikonur Site 31", iss),
        ("Progress MS", "Baikonur Site 31", iss),
        ("Crew Dragon", kennedy, iss),
        ("Crew Dragon", slc40, iss),
        ("Crew Dragon", kennedy, concord),
        ("Crew Dragon", slc40, concord),
        ("Cargo Dragon", kennedy, iss),
        ("Cargo Dragon", slc40, iss),
        ("Cargo Dragon", kennedy, concord),
        ("Cargo Dragon", slc40, concord),
        ("Cygnus", slc40, iss),
        ("Cygnus", slc40, concord),
    ]
    assert _span(default_plan, iss) == (utc(2026, 1, 1), utc(2031, 1, 31))
    start, end = _span(default_plan, concord)
    assert (start, end) == (utc(2028, 3, 1), datetime(2038, 12, 31, 23, 59, 59, tzinfo=UTC))
    soyuz, progress, crew, *_ = default_plan.launch_windows
    cargo = default_plan.launch_windows[6]
    # same pad and profile (528 s, 2orbit, 220 km, lead 162 s) / (720 s, 1day, 210 km,
    # 0.1 deg dogleg): the same windows
    assert soyuz.launch_dates_utc == progress.launch_dates_utc
    assert crew.launch_dates_utc == cargo.launch_dates_utc
    # ISS: 2026-01-01 to 2031-01-31: 5 x 365 + 1 (2028) + 30 = 1856 days; with the node's
    # -4.956 deg/day at 416.6 km (the element set's mean motion) one window per
    # 360 / (360.986 + 4.956) = 0.98376 day: 1886.6
    assert abs(soyuz.windows - 1886.6) <= 1.0
    # Concord Station: 2028-03-01 to 2039-01-01 less 1 s: 306 + 10 x 365 + 2 = 3958 days,
    # the same node rate (same altitude and plane): 4023.3
    concord_crew = default_plan.launch_windows[4]
    assert abs(concord_crew.windows - 4023.3) <= 1.0


def test_default_iss_deorbit(default_plan: Plan) -> None:
    """ISS: lifetime from its service start 2026-01-01 (its element set of 2025-07-23 is
    earlier) to its retirement 2031-01-31; deorbit of its 419725 kg (235582 kg of its own
    and 184143 kg of modules) with the Progress MS engine (the fleet's first reboost vehicle,
    Isp 302 s): propellant m (1 - exp(-dv / (g0 Isp)))."""
    iss, concord = default_plan.lifetime
    assert iss.start_utc == utc(2026, 1, 1)
    assert iss.end_utc == utc(2031, 1, 31)
    d = iss.deorbit
    assert d is not None and concord.deorbit is None
    assert (d.vehicle, d.isp_s, d.station_mass_kg) == ("Progress MS", 302, 419725)
    assert d.propellant_kg == pytest.approx(
        419725 * (1 - math.exp(-d.dv_m_s / (9.80665 * 302))), rel=1e-9
    )
    # Progress MS: (1000 reboost + 870 transfer) x 4 flights = 7480 kg a year, Cargo Dragon's
    # boost kit 1000 x 3 flights = 3000
    assert iss.propellant_budget_kg_per_year == concord.propellant_budget_kg_per_year == 10480


def test_default_findings(default_plan: Plan) -> None:
    """No warning: every ground station sees both stations (Redu, 50.0 N: at 416.6 km with a
    5 deg mask a station is seen within acos(R cos 5 / (R + h)) - 5 = acos(6378.137 x
    0.99619 / 6794.8) - 5 = 20.7 - 5 = 15.7 deg of its ground track, which reaches 51.63 deg:
    up to 67.4 deg N), the manifest is found and the supplies hold. The rest are information
    (the risk of launch slips and losses, the collision risk from tracked objects)."""
    found = [
        (f.severity, f.topic, f.message)
        for f in default_plan.findings
        if f.severity is Severity.WARNING
    ]
    assert found == []
    info = {f.topic for f in default_plan.findings if f.severity is Severity.INFO}
    assert info <= {"risk", "capabilities", "collision risk"}
    # the default lists no robotic arm on the ISS: a capability gap, as information
    assert any(
        f.topic == "capabilities" and f.message.startswith("nobody provides robotics on ISS")
        for f in default_plan.findings
    )
