"""Capability matrix: the catalogue, inference from the scenario, time, withdrawals.

MINI (tests/ops/scenarios.py), programme 2025-01-01 to 2025-03-01: Alpha enters service when
Node launches (2025-01-05: AAA, 3 crew, 10 kW, an IDSS and an SSVP port); Lab (BBB, 60 m^3,
5 kW, no crew) launches 2025-02-01 (BBB joined 2025-01-15); Array (AAA, 30 kW) 2025-02-15.
Ferry (AAA): 3 seats, 1000 kg up, reboost, 100 kg propellant, IDSS. Freighter (ORBCO):
2500 kg up, 200 kg propellant, SSVP. Ground station Mid (AAA). Nothing returns cargo, no
partner declares a ground segment, a deorbit or a robot.

The default scenario: Roscosmos withdraws on 2031-01-31, the day the ISS retires.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from stationplan.program.capabilities import (
    CATALOGUE,
    Capability,
    CapabilityMatrix,
    Duplication,
    Scope,
    capabilities_lost_by,
    capability_matrix,
    inference_rules,
    port_capability_name,
)
from stationplan.scenario import load_scenario
from stationplan.scenario.models import Scenario
from tests.conftest import mutate
from tests.ops.scenarios import MINI, parse, utc

ISS_END = utc(2031, 1, 31)
LAB_LINE = "      - {kind: module, item: Lab, description: Laboratory, value_musd: 250}"


@pytest.fixture(scope="module")
def mini() -> CapabilityMatrix:
    return capability_matrix(parse(MINI).scenario)


@pytest.fixture(scope="module")
def default() -> Scenario:
    return load_scenario().scenario


@pytest.fixture(scope="module")
def default_matrix(default: Scenario) -> CapabilityMatrix:
    return capability_matrix(default)


def _add_bbb_contribution(line: str) -> Scenario:
    text, _ = mutate(MINI, LAB_LINE, f"{LAB_LINE}\n      - {line}")
    return parse(text).scenario


# --------------------------------------------------------------------------- catalogue


def test_catalogue_needs_and_scopes() -> None:
    assert set(CATALOGUE) == set(Capability)
    twos = {c for c, s in CATALOGUE.items() if s.need == 2}
    assert twos == {Capability.CREW_TRANSPORT, Capability.LIFEBOAT, Capability.CARGO_UP}
    assert all(s.need == 1 for c, s in CATALOGUE.items() if c not in twos)
    assert all(s.description and s.need_reason for s in CATALOGUE.values())
    stations = {c for c, s in CATALOGUE.items() if s.scope is Scope.STATION}
    assert stations == {
        Capability.HABITATION,
        Capability.LIFE_SUPPORT,
        Capability.POWER,
        Capability.RESEARCH,
        Capability.ROBOTICS,
        Capability.DOCKING_PORT,
    }


def test_port_names_from_the_standard() -> None:
    assert port_capability_name("IDSS") == "docking port IDSS"
    assert port_capability_name("SSVP") == "docking port SSVP"
    assert port_capability_name("CBM") == "berthing port CBM"


def test_rule_table_gives_every_rule_a_reason() -> None:
    rows = inference_rules()
    assert all(r.reason and r.condition for r in rows)
    # every capability has at least one rule that can give it
    assert {r.capability for r in rows if r.capability is not None} == set(Capability)
    # the rules over all of an item's capabilities: a vehicle needs a port; item credit
    assert [r.source for r in rows if r.capability is None] == ["vehicle", "contribution"]


# --------------------------------------------------------------------------- MINI, by hand


def test_module_with_crew_capacity_is_habitation_and_life_support(
    mini: CapabilityMatrix,
) -> None:
    for name in ("habitation", "life support"):
        row = mini.row(name, "Alpha")
        assert [(p.provider, p.items) for p in row.providers] == [("AAA", ["Node"])]
        # Alpha's service starts with Node's launch: no gap, one provider throughout
        assert (row.span_start_utc, row.span_end_utc) == (utc(2025, 1, 5), utc(2025, 3, 1))
        assert not row.gap and row.single_provider and not row.duplicated


def test_crew_capacity_added_to_the_lab_makes_it_habitation_too() -> None:
    """The Lab given 2 berths: habitation on Alpha has AAA (Node) and, from the Lab's launch
    on 2025-02-01, BBB: one provider then two, above the need of one."""
    text, _ = mutate(
        MINI, "        power_load_kw: 5\n", "        power_load_kw: 5\n        crew_capacity: 2\n"
    )
    m = capability_matrix(parse(text).scenario)
    row = m.row("habitation", "Alpha")
    assert [(p.provider, p.items) for p in row.providers] == [("AAA", ["Node"]), ("BBB", ["Lab"])]
    assert row.providers_at(utc(2025, 1, 20)) == ["AAA"]
    assert row.providers_at(utc(2025, 2, 1)) == ["AAA", "BBB"]
    assert row.duplicates == [
        Duplication(
            start_utc=utc(2025, 2, 1),
            end_utc=utc(2025, 3, 1),
            providers=["AAA", "BBB"],
            beyond_need=1,
        )
    ]
    # named "Lab", it still counts as research although it now has berths
    assert m.row("research", "Alpha").providers_at(utc(2025, 2, 1)) == ["BBB"]


def test_research_arrives_with_the_lab(mini: CapabilityMatrix) -> None:
    """Alpha from 2025-01-05; the Lab from 2025-02-01: a 27-day research gap."""
    row = mini.row("research", "Alpha")
    assert [(g.start_utc, g.end_utc) for g in row.gaps] == [(utc(2025, 1, 5), utc(2025, 2, 1))]
    assert row.gaps[0].days == 27
    assert [c.reason for c in row.changes] == [
        "Lab launches 2025-02-01: Lab arrives: research on Alpha rises to 1 provider (BBB)"
    ]


def test_power_from_one_partner_is_single_provider(mini: CapabilityMatrix) -> None:
    """Node (10 kW) and Array (30 kW, 2025-02-15) are both AAA's: the provider set never
    changes, so the Array's arrival is no change."""
    row = mini.row("power", "Alpha")
    assert row.providers[0].items == ["Node", "Array"]
    assert row.single_provider and row.changes == []


def test_ports_one_row_per_standard(mini: CapabilityMatrix) -> None:
    ports = [r.name for r in mini.rows if r.capability is Capability.DOCKING_PORT]
    assert ports == ["docking port IDSS", "docking port SSVP"]


def test_duplicate_beyond_need(mini: CapabilityMatrix) -> None:
    """Propulsion (need 1): the Ferry reboosts and refuels (AAA), the Freighter refuels
    (ORBCO), both from Node's launch, when their ports exist: one provider beyond need."""
    row = mini.row("propulsion and reboost")
    assert row.duplicates == [
        Duplication(
            start_utc=utc(2025, 1, 5),
            end_utc=utc(2025, 3, 1),
            providers=["AAA", "ORBCO"],
            beyond_need=1,
        )
    ]
    ferry = next(p for p in row.provisions if p.item == "Ferry")
    assert ferry.rules == ["reboost given", "propellant_transfer_kg > 0"]


def test_transport_counted_while_a_station_is_in_service(mini: CapabilityMatrix) -> None:
    """Before Node launches (2025-01-01 to 01-05) there is no station and no port: the
    vehicles provide nothing, and nothing is needed."""
    crew = mini.row("crew transport")
    assert [(s.start_utc, s.providers, s.needed) for s in crew.timeline] == [
        (utc(2025, 1, 1), [], False),
        (utc(2025, 1, 5), ["AAA"], True),
    ]
    assert not crew.gap and crew.below_need and crew.single_provider  # 1 of the 2 needed
    assert mini.row("cargo up").min_providers == 2  # Ferry and Freighter: the need met


def test_undeclared_capabilities_are_gaps(mini: CapabilityMatrix) -> None:
    gaps = {r.label for r in mini.gaps()}
    assert gaps == {
        "cargo down",  # nothing has return_cargo_kg
        "mission control",
        "deorbit",
        "robotics on Alpha",
        "research on Alpha",  # until the Lab
    }
    assert mini.row("communications").providers[0].items == ["Mid"]  # AAA's ground station


def test_ground_segment_gives_communications_and_mission_control() -> None:
    """BBB declares a ground segment; it counts from its joining (2025-01-15)."""
    m = capability_matrix(
        _add_bbb_contribution("{kind: ground_segment, description: Control centre}")
    )
    control = m.row("mission control")
    assert control.providers_at(utc(2025, 1, 15)) == ["BBB"]
    assert [(g.start_utc, g.end_utc) for g in control.gaps] == [(utc(2025, 1, 5), utc(2025, 1, 15))]
    assert m.row("communications").providers_at(utc(2025, 2, 1)) == ["AAA", "BBB"]


def test_services_keywords_are_conservative() -> None:
    """A deorbit service counts; bought transport does not (the vehicle's operator flies it)."""
    sc = _add_bbb_contribution("{kind: services, description: Deorbit service}")
    assert capability_matrix(sc).row("deorbit").providers_at(utc(2025, 2, 1)) == ["BBB"]
    sc = _add_bbb_contribution(
        "{kind: services, description: Crew transportation purchased from ORBCO}"
    )
    assert capability_matrix(sc).row("crew transport").providers_at(utc(2025, 2, 1)) == ["AAA"]


def test_robotics_contribution_on_a_module() -> None:
    """BBB declares a robotics contribution on its Lab: robotics on Alpha from the Lab's
    launch, 2025-02-01; before that a gap from 2025-01-05."""
    m = capability_matrix(
        _add_bbb_contribution("{kind: robotics, item: Lab, description: Arm on the Lab}")
    )
    row = m.row("robotics", "Alpha")
    assert [(p.provider, p.items) for p in row.providers] == [("BBB", ["Lab"])]
    assert [(g.start_utc, g.end_utc) for g in row.gaps] == [(utc(2025, 1, 5), utc(2025, 2, 1))]


def test_declared_item_credits_the_declaring_partner() -> None:
    """The Lab's owner field names AAA, but BBB declares it: research is BBB's."""
    text, _ = mutate(
        MINI, "      - name: Lab\n        owner: BBB", "      - name: Lab\n        owner: AAA"
    )
    row = capability_matrix(parse(text).scenario).row("research", "Alpha")
    assert [(p.provider, p.items) for p in row.providers] == [("BBB", ["Lab"])]


def test_withdrawal_removes_the_only_crew_provider_and_the_ports() -> None:
    """AAA withdraws 2025-02-10: the Ferry goes (crew transport: a gap), Node's ports go, so
    ORBCO's Freighter has no SSVP port left: cargo up loses both providers."""
    sc = parse(MINI).scenario
    impact = capabilities_lost_by(sc, "AAA", utc(2025, 2, 10))
    crew = impact.loss("crew transport")
    assert crew.becomes_gap and crew.providers_before == ["AAA"] and crew.providers_after == []
    assert [(x.item, x.provider) for x in crew.items_lost] == [("Ferry", "AAA")]
    cargo = impact.loss("cargo up")
    assert cargo.becomes_gap
    freighter = next(x for x in cargo.items_lost if x.item == "Freighter")
    assert freighter.provider == "ORBCO" and not freighter.lost_anyway
    assert impact.items_removed == ["Ferry", "Mid", "Node"]
    assert {x.name for x in impact.new_gaps} >= {"crew transport", "lifeboat", "habitation"}
    assert crew.reason == (
        "AAA withdraws 2025-02-10: Ferry leaves: crew transport has no provider (gap)"
    )


def test_withdrawal_date_must_follow_joining() -> None:
    sc = parse(MINI).scenario
    with pytest.raises(ValueError, match="not after"):
        capabilities_lost_by(sc, "BBB", utc(2025, 1, 10))
    with pytest.raises(ValueError, match="no withdraw_utc"):
        capabilities_lost_by(sc, "BBB")
    with pytest.raises(ValueError, match="not a partner"):
        capabilities_lost_by(sc, "ORBCO", utc(2025, 2, 1))


# --------------------------------------------------------------------------- the default


def test_default_roscosmos_leaves_crew_transport_single(default: Scenario) -> None:
    impact = capabilities_lost_by(default, "ROSCOSMOS")
    assert impact.date_utc == ISS_END
    crew = impact.loss("crew transport")
    assert crew.providers_before == ["ROSCOSMOS", "SPACEX"]
    assert crew.providers_after == ["SPACEX"]
    assert crew.becomes_single_provider and crew.below_need_after and not crew.becomes_gap
    assert [x.item for x in crew.items_lost] == ["Soyuz MS"]
    # Concord has no SSVP port: Soyuz would stop that day even if Roscosmos stayed
    assert crew.items_lost[0].lost_anyway
    assert crew.reason == (
        "ROSCOSMOS withdraws and ISS retires 2031-01-31: Soyuz MS leaves: crew transport "
        "drops to 1 provider (SPACEX), below the need of 2"
    )
    assert impact.loss("lifeboat").providers_after == ["SPACEX"]
    assert impact.loss("mission control").providers_after == ["NASA"]  # Korolev goes


def test_default_ssvp_ports_go_with_the_iss(
    default: Scenario, default_matrix: CapabilityMatrix
) -> None:
    ssvp = capabilities_lost_by(default, "ROSCOSMOS").loss("docking port SSVP", "ISS")
    assert ssvp.station_ends and not ssvp.becomes_gap
    assert sorted(x.item for x in ssvp.items_lost) == ["Poisk", "Prichal", "Rassvet", "Zvezda"]
    rows = [r for r in default_matrix.rows if r.name == "docking port SSVP"]
    assert [r.station for r in rows] == ["ISS"]  # Concord has IDSS and CBM only
    assert rows[0].span_end_utc == ISS_END and rows[0].providers_at(ISS_END) == []
    assert rows[0].changes[-1].reason == (
        "ROSCOSMOS withdraws and ISS retires 2031-01-31: Poisk, Prichal, Rassvet and Zvezda "
        "leave: docking port SSVP on ISS ends with the station"
    )


def test_default_only_crew_provider_withdrawing_is_a_gap(default: Scenario) -> None:
    """Without Crew Dragon, Soyuz MS is the only crew vehicle: from Roscosmos' withdrawal to
    the programme end there is no crew transport and no lifeboat."""
    sc = default.model_copy(
        update={"vehicles": [v for v in default.vehicles if v.name != "Crew Dragon"]}
    )
    row = capability_matrix(sc).row("crew transport")
    assert [(g.start_utc, g.end_utc) for g in row.gaps] == [(ISS_END, default.programme.end_utc)]
    impact = capabilities_lost_by(sc, "ROSCOSMOS")
    crew = impact.loss("crew transport")
    assert crew.becomes_gap and [x.item for x in crew.items_lost] == ["Soyuz MS"]
    assert {x.name for x in impact.new_gaps} == {"crew transport", "lifeboat"}
    assert {"Soyuz MS", "Progress MS"} <= set(impact.items_removed)


def test_default_duplicates_and_single_providers(default_matrix: CapabilityMatrix) -> None:
    """Cargo up: Progress and Soyuz (ROSCOSMOS), Cygnus (NORTHROP), the Dragons (SPACEX): 3
    providers for a need of 2 until 2031-01-31."""
    cargo = default_matrix.row("cargo up")
    assert cargo.duplicates == [
        Duplication(
            start_utc=utc(2026, 1, 1),
            end_utc=ISS_END,
            providers=["NORTHROP", "ROSCOSMOS", "SPACEX"],
            beyond_need=1,
        )
    ]
    assert cargo.providers_at(ISS_END) == ["NORTHROP", "SPACEX"]
    assert default_matrix.row("deorbit").providers[0].provider == "NASA"
    hab = default_matrix.row("habitation", "Concord Station")
    assert [(p.provider, p.items) for p in hab.providers] == [
        ("COMSTAR", ["Core Module", "Habitation Module"])
    ]
    assert {r.label for r in default_matrix.gaps()} == {
        "robotics on ISS",  # the scenario lists no ISS arm
        "robotics on Concord Station",  # until the arm, 2029-01-15
        "research on Concord Station",  # until the European Laboratory, 2030-03-01
    }


def test_default_hypothetical_nasa_withdrawal(default: Scenario) -> None:
    """NASA out on 2033-01-01: the deorbit and mission control (Korolev gone since 2031) are
    left without a provider, and so is everything the SpaceX and Northrop Grumman vehicles
    gave, since NASA purchases their flights; Concord's power falls to COMSTAR's Core Module."""
    impact = capabilities_lost_by(default, "NASA", datetime(2033, 1, 1, tzinfo=ISS_END.tzinfo))
    assert {x.name for x in impact.new_gaps} == {
        "deorbit",
        "mission control",
        "crew transport",
        "lifeboat",
        "cargo up",
        "cargo down",
        "propulsion and reboost",
    }
    crew = impact.loss("crew transport")
    assert [x.item for x in crew.items_lost] == ["Crew Dragon"]
    power = impact.loss("power", "Concord Station")
    assert power.providers_after == ["COMSTAR"] and power.becomes_single_provider
    assert sorted(x.item for x in power.items_lost) == ["Power Truss 1", "Power Truss 2"]


def test_payload_sites_make_a_module_with_berths_a_research_provider() -> None:
    """The Node (berths and ports, so not research by its other fields) given 4 payload
    sites provides research from its launch on 2025-01-05: the 27-day gap closes."""
    text, _ = mutate(
        MINI, "        crew_capacity: 3\n", "        crew_capacity: 3\n        payload_sites: 4\n"
    )
    row = capability_matrix(parse(text).scenario).row("research", "Alpha")
    assert row.providers_at(utc(2025, 1, 20)) == ["AAA"]
    assert not row.gaps
