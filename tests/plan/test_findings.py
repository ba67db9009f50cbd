"""Findings: each rule triggered by one change to the minimal scenario (tests/ops/scenarios.py)
and silent on the minimal scenario and on the default.

MINI as given is clean: the Ferry (IDSS) and the Freighter (SSVP) dock at the Node; the load
never exceeds the arrays (4 <= 10 kW after the Node, 9 <= 10 after the Lab, 9 <= 40 after
the Array); 3 crew (AAA 2 + BBB 1, both members on 2025-01-20) fit the Node's 3 berths;
the Ferry flies 3 x 3 = 9 seats a year against 3 x 365.25 / 182 = 6.02 needed; each partner
owns a module.
"""

from __future__ import annotations

from stationplan.ops.assembly import build_all
from stationplan.ops.fleet import fleet_capabilities
from stationplan.ops.lifetime import StationLifetime
from stationplan.ops.station_orbit import ContactSummary, StationOrbit
from stationplan.ops.windows import WindowSeries
from stationplan.plan.findings import find_issues, orbit_findings
from stationplan.plan.model import Finding, Severity
from stationplan.program.contributions import partner_summaries
from stationplan.scenario import load_scenario
from stationplan.scenario.models import Scenario
from tests.conftest import mutate
from tests.ops.scenarios import MINI, parse, two_station_text

WARN, INFO = Severity.WARNING, Severity.INFO


def _issues(sc: Scenario) -> list[Finding]:
    builds = build_all(sc)
    fleet = fleet_capabilities(sc, builds)
    return find_issues(sc, builds, fleet, partner_summaries(sc, fleet))


def _found(text: str) -> list[tuple[Severity, str, str]]:
    return [(f.severity, f.topic, f.message) for f in _issues(parse(text).scenario)]


def test_minimal_scenario_is_clean() -> None:
    assert _found(MINI) == []


def test_default_scenario_is_clean() -> None:
    """The default: every vehicle docks at a station (Soyuz and Progress at the ISS's SSVP
    ports, the Dragons at IDSS ports and Cygnus at CBM ports of both); the arrays lead the
    load at each step (215 kW on the ISS from the start, Concord's Core Module 30 kW against
    3); 7 crew on 2026-02-11 (ROSCOSMOS 3, NASA 2, ESA 1, JAXA 1; ISRO joins in 2031) fit the
    ISS's 12 berths; Soyuz 3 x 2 + Crew Dragon 4 x 4 = 22 seats a year against
    7 x 365.25 / 182 = 14.05; ISRO's module launches after it joins and Roscosmos withdraws
    with the ISS's deorbit; every partner contributes hardware."""
    assert _issues(load_scenario().scenario) == []


def test_vehicle_without_a_compatible_port() -> None:
    text, _ = mutate(MINI, "compatible_port_types: [SSVP]", "compatible_port_types: [CBM, APAS]")
    assert _found(text) == [
        (WARN, "fleet", "Freighter needs a port of type CBM, APAS and no station has one")
    ]


def test_power_deficit_reported_once_per_station() -> None:
    """Node load 4 -> 12 kW: 12 > 10 after the Node; after the Lab 17 > 10 as well, but only
    the first deficit is reported."""
    text, _ = mutate(MINI, "power_load_kw: 4", "power_load_kw: 12")
    assert _found(text) == [
        (
            WARN,
            "power",
            "Alpha: after Node (2025-01-05) the load 12.0 kW exceeds array power in sunlight "
            "10.0 kW",
        )
    ]


def test_power_deficit_of_an_element_in_orbit_at_start() -> None:
    """The Lab without a launch date comes first: 5 kW of load and no array yet."""
    text, _ = mutate(MINI, "        launch_utc: 2025-02-01\n", "")
    assert _found(text) == [
        (
            WARN,
            "power",
            "Alpha: after Lab (programme start) the load 5.0 kW exceeds array power in "
            "sunlight 0.0 kW",
        )
    ]


def test_crew_above_capacity_at_first_crew() -> None:
    """AAA 3 + BBB 1 = 4 crew on 2025-01-20, when only the Node (3 berths) is up. Seats:
    4 x 365.25 / 182 = 8.03 needed, 9 flown: no seat finding."""
    text, _ = mutate(
        MINI, "crew_per_partner: {AAA: 2, BBB: 1}", "crew_per_partner: {AAA: 3, BBB: 1}"
    )
    assert _found(text) == [
        (
            WARN,
            "crew",
            "Alpha: 4 resident crew planned but the station houses 3 at the first crew date "
            "(2025-01-20); full capacity 3 after assembly",
        )
    ]


def test_crew_of_a_partner_not_yet_joined_is_not_counted() -> None:
    """BBB joins 2025-01-25, after the first crew (01-20): only AAA's 3 count, and 3 fit."""
    text, _ = mutate(
        MINI, "crew_per_partner: {AAA: 2, BBB: 1}", "crew_per_partner: {AAA: 3, BBB: 1}"
    )
    text, _ = mutate(text, "join_utc: 2025-01-15", "join_utc: 2025-01-25")
    assert _found(text) == []


def test_seats_below_rotation_need() -> None:
    """Ferry 3 seats x 2 flights = 6 seats a year < 3 crew x 365.25 / 182 days = 6.02."""
    text, _ = mutate(MINI, "max_flights_per_year: 3", "max_flights_per_year: 2")
    assert _found(text) == [
        (
            WARN,
            "crew",
            "the fleet flies at most 6 seats a year; rotating 3 crew every 182 days needs 6.0",
        )
    ]


def test_seats_of_a_vehicle_that_docks_nowhere_do_not_count() -> None:
    text, _ = mutate(MINI, "max_flights_per_year: 3", "max_flights_per_year: 2")
    text = text.replace(
        "\nlaunch_sites:\n",
        "\n  - name: Capsule\n"
        "    role: crew\n"
        "    operator: AAA\n"
        "    launch_sites: [Pad North]\n"
        "    crew_seats: 5\n"
        "    compatible_port_types: [APAS]\n"
        "    max_flights_per_year: 1\n"
        "    cost_per_flight_musd: 100\n"
        "    ascent_duration_s: 528\n"
        "    rendezvous_strategy: 2orbit\n"
        "\nlaunch_sites:\n",
        1,
    )
    topics = [(topic, message) for _, topic, message in _found(text)]
    assert ("fleet", "Capsule needs a port of type APAS and no station has one") in topics
    # usable seats: the Ferry's 3 x 2 = 6 < 6.02
    assert any(t == "crew" and "needs 6.0" in m for t, m in topics)


def test_module_before_its_owner_joins() -> None:
    """BBB joins 2025-02-10; its Lab launches 2025-02-01. (BBB is no member at the first
    crew, 01-20: AAA's 2 crew fit; 2 x 365.25 / 182 = 4.01 seats needed.)"""
    text, _ = mutate(MINI, "join_utc: 2025-01-15", "join_utc: 2025-02-10")
    assert _found(text) == [
        (WARN, "membership", "Lab (BBB) launches 2025-02-01, before BBB joins (2025-02-10)")
    ]


def test_partner_withdraws_while_its_module_stays() -> None:
    text, _ = mutate(
        MINI, "join_utc: 2025-01-15", "join_utc: 2025-01-15\n    withdraw_utc: 2025-02-20"
    )
    assert _found(text) == [
        (WARN, "membership", "BBB withdraws 2025-02-20 while its module Lab stays on Alpha")
    ]


def test_withdrawal_after_a_station_retires() -> None:
    """AAA leaves 2025-02-20: its Port left with Beta (retired 02-15), its Node and Array
    stay on Alpha (which flies on)."""
    text, _ = mutate(
        two_station_text(),
        "join_utc: 2024-06-01",
        "join_utc: 2024-06-01\n    withdraw_utc: 2025-02-20",
    )
    messages = [m for _, topic, m in _found(text) if topic == "membership"]
    assert messages == [
        "AAA withdraws 2025-02-20 while its module Array stays on Alpha",
        "AAA withdraws 2025-02-20 while its module Node stays on Alpha",
    ]


def test_withdrawal_while_an_element_in_orbit_at_start_stays() -> None:
    text, _ = mutate(MINI, "        launch_utc: 2025-02-01\n", "")  # the Lab: no launch date
    text, _ = mutate(text, "power_load_kw: 5", "power_load_kw: 0")  # no power finding
    text, _ = mutate(
        text, "join_utc: 2025-01-15", "join_utc: 2025-01-15\n    withdraw_utc: 2025-02-20"
    )
    assert _found(text) == [
        (WARN, "membership", "BBB withdraws 2025-02-20 while its module Lab stays on Alpha")
    ]


CCC = """\
  - code: CCC
    name: Agency C
    country: Cland
    join_utc: 2025-01-01
    utilization_share_pct: 5
"""


def test_partner_that_contributes_nothing() -> None:
    """Shares 60 + 30 + 5 = 95 % (at most 100)."""
    text = MINI.replace("\nproviders:\n", "\n" + CCC + "\nproviders:\n", 1)
    assert _found(text) == [
        (
            INFO,
            "partnership",
            "CCC contributes nothing declared but is entitled to 5 % of utilisation",
        )
    ]


def test_partner_with_services_only() -> None:
    services = CCC + "    contributions:\n      - {kind: services, description: Ground support}\n"
    text = MINI.replace("\nproviders:\n", "\n" + services + "\nproviders:\n", 1)
    assert _found(text) == [
        (
            INFO,
            "partnership",
            "CCC owns no module and flies no vehicle; its 5 % utilisation share rests on other "
            "contributions",
        )
    ]
    # entitled to nothing: nothing to say
    unentitled = text.replace("utilization_share_pct: 5\n", "utilization_share_pct: 0\n")
    assert _found(unentitled) == []


def test_warnings_first_then_by_topic() -> None:
    text = MINI.replace("\nproviders:\n", "\n" + CCC + "\nproviders:\n", 1)
    text, _ = mutate(text, "power_load_kw: 4", "power_load_kw: 12")
    text, _ = mutate(text, "compatible_port_types: [SSVP]", "compatible_port_types: [CBM]")
    assert [(s, t) for s, t, _ in _found(text)] == [
        (WARN, "fleet"),
        (WARN, "power"),
        (INFO, "partnership"),
    ]


# --------------------------------------------------------------------------- orbit findings


def _contact(name: str, passes: int) -> ContactSummary:
    return ContactSummary(
        ground_station=name,
        min_elevation_deg=5,
        window_days=7,
        passes=passes,
        passes_per_day=passes / 7,
        contact_min_per_day=0.0,
        longest_pass_min=0.0,
        first_passes=[],
    )


def test_orbit_findings() -> None:
    """Only the fields the rules read are set (model_construct)."""
    orbits = [
        StationOrbit.model_construct(
            station="Alpha",
            inclination_deg=51.64,
            sgp4_failure=None,
            contacts=[_contact("Polar", 0), _contact("Mid", 42)],
        ),
        StationOrbit.model_construct(
            station="Beta", inclination_deg=51.64, sgp4_failure="decayed", contacts=[]
        ),
    ]
    windows = [
        WindowSeries.model_construct(
            vehicle="Ferry",
            site="Pad North",
            station="Alpha",
            strategy="2orbit",
            windows=0,
            own_strategy_feasible=0,
        ),
        WindowSeries.model_construct(
            vehicle="Freighter",
            site="Pad North",
            station="Alpha",
            strategy="2orbit",
            windows=12,
            own_strategy_feasible=0,
        ),
        WindowSeries.model_construct(
            vehicle="Shuttle",
            site="Pad South",
            station="Alpha",
            strategy="4orbit",
            windows=12,
            own_strategy_feasible=3,
        ),
    ]
    lifetime = [
        StationLifetime.model_construct(station="Alpha", infeasible_reason="too fast", note=None),
        StationLifetime.model_construct(station="Beta", infeasible_reason=None, note="no reboost"),
    ]
    found = [(f.severity, f.topic, f.message) for f in orbit_findings(orbits, windows, lifetime)]
    assert found == [
        (WARN, "altitude keeping", "Alpha: too fast"),
        (INFO, "altitude keeping", "Beta: no reboost"),
        (
            WARN,
            "ground segment",
            "Polar never sees Alpha above 5 deg in 7 days (inclination 51.6 deg)",
        ),
        (WARN, "orbit", "Beta: SGP4 failed (decayed)"),
        (
            WARN,
            "launch windows",
            "Ferry from Pad North has no window to Alpha within its allowed azimuths",
        ),
        (
            WARN,
            "launch windows",
            "Freighter from Pad North: no window's phase angle suits its 2orbit profile",
        ),
    ]
