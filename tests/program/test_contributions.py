"""Partner summaries: hardware shares from the modules each partner owns, membership days,
vehicles, crew and declared values.

MINI (tests/ops/scenarios.py): AAA owns the Node (20000 kg, 100 m^3, 10 kW) and the Array
(5000 kg, 0 m^3, 30 kW); BBB owns the Lab (10000 kg, 60 m^3, 0 kW). Totals 35000 kg,
160 m^3, 40 kW. The programme runs 2025-01-01 to 2025-03-01: 31 + 28 = 59 days.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stationplan.ops.assembly import build_all
from stationplan.ops.fleet import fleet_capabilities
from stationplan.program.contributions import PartnerSummary, active_days, partner_summaries
from stationplan.scenario import load_scenario
from stationplan.scenario.models import Partner, Scenario
from tests.conftest import mutate
from tests.ops.scenarios import MINI, parse, two_station_text, utc


def _summaries(sc: Scenario) -> dict[str, PartnerSummary]:
    return {p.code: p for p in partner_summaries(sc, fleet_capabilities(sc, build_all(sc)))}


@pytest.fixture(scope="module")
def mini() -> dict[str, PartnerSummary]:
    return _summaries(parse(MINI).scenario)


def test_hardware_shares(mini: dict[str, PartnerSummary]) -> None:
    a, b = mini["AAA"], mini["BBB"]
    assert a.modules == ["Array", "Node"]  # scenario order of the modules
    assert b.modules == ["Lab"]
    assert (a.module_mass_kg, b.module_mass_kg) == (25000, 10000)  # 20000 + 5000; 10000
    assert a.module_mass_share_pct == pytest.approx(100 * 25000 / 35000)  # 71.43 %
    assert b.module_mass_share_pct == pytest.approx(100 * 10000 / 35000)  # 28.57 %
    assert (a.pressurized_volume_m3, b.pressurized_volume_m3) == (100, 60)
    assert a.pressurized_volume_share_pct == pytest.approx(62.5)  # 100 / 160
    assert b.pressurized_volume_share_pct == pytest.approx(37.5)  # 60 / 160
    assert (a.power_generation_kw, b.power_generation_kw) == (40, 0)  # 10 + 30; none
    assert (a.power_generation_share_pct, b.power_generation_share_pct) == (100, 0)


def test_shares_add_up_to_100(mini: dict[str, PartnerSummary]) -> None:
    for field in ("module_mass_share_pct", "pressurized_volume_share_pct"):
        assert sum(getattr(p, field) for p in mini.values()) == pytest.approx(100)


def test_shares_over_all_stations() -> None:
    """Beta's Port (AAA, 3000 kg) counts too: AAA 28000 / 38000 = 73.68 %, BBB 10000 /
    38000 = 26.32 %."""
    two = _summaries(parse(two_station_text()).scenario)
    assert two["AAA"].modules == ["Array", "Node", "Port"]
    assert two["AAA"].module_mass_share_pct == pytest.approx(73.684, abs=1e-3)
    assert two["BBB"].module_mass_share_pct == pytest.approx(26.316, abs=1e-3)
    # the Shuttle (AAA) adds 5 seats x 1 flight to the Ferry's 3 x 3
    assert two["AAA"].seats_per_year == 14
    assert two["AAA"].vehicles == ["Ferry", "Shuttle"]


def test_membership_days(mini: dict[str, PartnerSummary]) -> None:
    # AAA joined 2024-06-01, before the programme: counted from its start, all 59 days
    assert mini["AAA"].active_days == 59
    # BBB joins 2025-01-15: 17 days of January (15-31) + 28 of February = 45
    assert mini["BBB"].active_days == 45
    assert mini["BBB"].join_utc == utc(2025, 1, 15) and mini["BBB"].withdraw_utc is None


def test_membership_days_of_a_partner_that_leaves() -> None:
    """BBB joins 2025-01-15 and leaves 2025-02-20: 17 days of January + 19 of February
    (1-19; the 20th starts at its withdrawal) = 36 days."""
    text, _ = mutate(
        MINI, "join_utc: 2025-01-15", "join_utc: 2025-01-15\n    withdraw_utc: 2025-02-20"
    )
    b = _summaries(parse(text).scenario)["BBB"]
    assert b.withdraw_utc == utc(2025, 2, 20)
    assert b.active_days == 36


def test_active_days_of_a_partner_joining_mid_programme() -> None:
    """Default: ISRO joins 2031-01-01; the programme ends 2038-12-31T23:59:59: eight years
    with 2032 and 2036 leap years, 8 x 365 + 2 = 2922 days less one second."""
    sc = load_scenario().scenario
    isro = sc.partner("ISRO")
    days = active_days(isro, sc.programme.start_utc, sc.programme.end_utc)
    assert days == pytest.approx(2922 - 1 / 86400, abs=1e-9)


@pytest.mark.parametrize(
    ("join", "withdraw", "expected"),
    [
        # half a day: 12:00 on 01-15 to 00:00 on 01-31 is 15.5 days
        (datetime(2025, 1, 15, 12, tzinfo=UTC), utc(2025, 1, 31), 15.5),
        # joins after the span ends: nothing inside it
        (utc(2026, 1, 1), None, 0.0),
        # leaves before the span starts: nothing (never negative)
        (utc(2024, 1, 1), utc(2024, 6, 1), 0.0),
        # spans the whole of it: the 59 days of the span
        (utc(2020, 1, 1), utc(2030, 1, 1), 59.0),
    ],
)
def test_active_days_inside_the_span(
    join: datetime, withdraw: datetime | None, expected: float
) -> None:
    partner = Partner(code="P1", name="P", country="C", join_utc=join, withdraw_utc=withdraw)
    assert active_days(partner, utc(2025, 1, 1), utc(2025, 3, 1)) == expected


def test_vehicles_crew_and_declared_values(mini: dict[str, PartnerSummary]) -> None:
    a, b = mini["AAA"], mini["BBB"]
    # AAA flies the Ferry: 3 seats x 3 flights, 1000 kg x 3 flights; the Freighter is the
    # provider ORBCO's and counts for no partner
    assert (a.vehicles, a.seats_per_year, a.cargo_up_kg_per_year) == (["Ferry"], 9, 3000)
    assert (b.vehicles, b.seats_per_year, b.cargo_up_kg_per_year) == ([], 0, 0)
    assert (a.resident_crew, b.resident_crew) == (2, 1)  # crew_per_partner
    assert a.declared_value_musd == 400  # 300 (Node) + 100 (Array) + none given (Ferry)
    assert b.declared_value_musd == 250
    assert [(c.kind, c.item, c.value_musd) for c in a.contributions] == [
        ("module", "Node", 300),
        ("module", "Array", 100),
        ("vehicle", "Ferry", None),
    ]
    assert (a.utilization_share_pct, b.utilization_share_pct) == (60, 30)
    assert (a.name, a.country) == ("Agency A", "Aland")


def test_no_modules_no_division_by_zero() -> None:
    sc = parse(MINI).scenario
    empty = sc.model_copy(
        update={"stations": [s.model_copy(update={"modules": []}) for s in sc.stations]}
    )
    for p in _summaries(empty).values():
        assert p.modules == [] and p.module_mass_kg == 0
        assert p.module_mass_share_pct == 0
        assert p.pressurized_volume_share_pct == 0 and p.power_generation_share_pct == 0


def test_uncrewed_plan() -> None:
    sc = parse(MINI).scenario.model_copy(update={"crew": None})
    assert {p.resident_crew for p in _summaries(sc).values()} == {0}


def test_default_shares_of_the_successor_station() -> None:
    """Default: the modules of both stations, 286797 kg in all (the ISS's 184143 kg and
    Concord Station's 102654 kg, the commercial operator's two included); NASA's Unity,
    Harmony, Destiny, the ISS array truss and Concord's two power trusses 11612 + 14288 +
    14515 + 64732 + 16183 + 16183 = 137513 kg: 47.948 %; Roscosmos's Zvezda, Nauka, Poisk,
    Rassvet and Prichal 19051 + 20350 + 3670 + 5075 + 4650 = 52796 kg: 18.409 %."""
    s = _summaries(load_scenario().scenario)
    iss = 64732 + 19051 + 20350 + 3670 + 5075 + 4650 + 11612 + 14288 + 14515 + 10300 + 15900
    concord = 14288 + 16183 + 1800 + 16000 + 10300 + 15900 + 16183 + 12000
    assert (iss, concord) == (184143, 102654)
    assert s["NASA"].module_mass_kg == 137513
    assert s["NASA"].module_mass_share_pct == pytest.approx(47.948, abs=1e-3)
    assert s["ROSCOSMOS"].module_mass_share_pct == pytest.approx(18.409, abs=1e-3)
    # arrays: NASA's ISS truss 215 and Concord's trusses 62 + 62 of 215 + 124 + the Core
    # Module's 30 = 369 kW
    assert s["NASA"].power_generation_share_pct == pytest.approx(91.870, abs=1e-3)  # 339/369
    assert s["ISRO"].active_days < s["NASA"].active_days


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (
            "      - {kind: module, item: Harmony, description: node, seats: 2}\n",
            "give them only on kind services",
        ),
        (
            "      - {kind: services, description: cargo, value_musd: 10, upmass_kg: 100}\n",
            "give either value_musd or the quantities (upmass_kg), not both",
        ),
    ],
)
def test_service_quantities_are_refused_where_they_would_count_twice(line: str, says: str) -> None:
    """Quantities value a service; on a module (valued by its cost) or beside a declared
    value they are refused, naming the contribution and its line."""
    from stationplan.errors import ScenarioError
    from stationplan.scenario import default_scenario_text, parse_scenario

    text = default_scenario_text()
    anchor = (
        "      - {kind: module, item: Harmony, description: ISS node with crew quarters and "
        "IDSS ports}\n"
    )
    assert anchor in text
    text = text.replace(anchor, line, 1)
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, source="s.yaml")
    message = str(err.value)
    number = text.splitlines().index(line.rstrip("\n")) + 1
    assert says in message and f"s.yaml:{number}" in message, message
    assert "partners[0].contributions[0]" in message, message
