"""The partnership ledger on a hand-computed two-partner case, and invariants of the default.

Case: a programme from 2030-01-01 to 2031-12-31 (730 days, years of 365 days). Partner A
(agreed share 75 %) is a member throughout; B (25 %) joins on 2031-01-01. Rebalanced shares:
2030 A 100 %, B 0 %; 2031 A 75 %, B 25 %. A's crew member is aboard all of 2030, B's all of
2031, at 3 research hours a day: 1,095 h a year.

* Crew hours: 2030 A entitled 1,095, used 1,095. 2031 A entitled 0.75 x 1,095 = 821.25, used
  0; B entitled 273.75, used 1,095. Balances after 2031: A +821.25, B -821.25.
* A's cargo flight (Ship, 1,000 kg pressurised, 100 MUSD) docks on 2031-06-01: entitled A 750
  kg, B 250 kg; B's crew is the only crew in 2031, so B uses all 1,000 kg and owes A the
  flight's cost: 100 MUSD. B's crew member flew up on A's crew flight (4 seats, 200 MUSD,
  launched 2031-01-01): one seat, 50 MUSD.
* Common costs 365.25 MUSD a year (1 MUSD a day) by share: 2030 A 365; 2031 A 273.75, B 91.25.
* Spending 2031: A flights 300 + common 273.75 - barter 150 = 423.75; B common 91.25 + barter
  150 = 241.25. Earned shares: A contributed 300 + 0 (its 2030 flights: none), B nothing:
  100 % and 0 %.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stationplan.ops.flights import CrewMember, Flight, FlightRole
from stationplan.program.ledger import partnership
from stationplan.scenario.loader import load_scenario
from stationplan.scenario.models import Partner, Scenario
from tests.conftest import default_run


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def two_partner_scenario() -> Scenario:
    sc = load_scenario().scenario
    base = sc.vehicles[0]
    ship = base.model_copy(update={"name": "Ship", "operator": "AA", "purchased_by": None})
    station = sc.stations[0].model_copy(update={"modules": [], "name": "Alpha"})
    return sc.model_copy(
        update={
            "programme": sc.programme.model_copy(
                update={"start_utc": utc(2030, 1, 1), "end_utc": utc(2031, 12, 31)}
            ),
            "partners": [
                Partner(
                    code="AA",
                    name="Agency A",
                    country="Aland",
                    join_utc=utc(2030, 1, 1),
                    utilization_share_pct=75.0,
                ),
                Partner(
                    code="BB",
                    name="Agency B",
                    country="Bland",
                    join_utc=utc(2031, 1, 1),
                    utilization_share_pct=25.0,
                ),
            ],
            "vehicles": [ship],
            "stations": [station],
            "policies": sc.policies.model_copy(
                update={
                    "utilisation_hours_per_crew_day": 3.0,
                    "common_operations_cost_musd_per_year": 365.25,
                    "discount_rate_pct": 0.0,
                }
            ),
        }
    )


def flight(label: str, role: FlightRole, launch: datetime, **kw: float) -> Flight:
    return Flight(
        flight=label,
        role=role,
        vehicle="Ship",
        operator="AA",
        station="Alpha",
        site=None,
        launch_utc=launch,
        docking_utc=launch,
        port=None,
        undocking_utc=launch,
        **kw,
    )


def _hand_case() -> tuple[list[Flight], list[CrewMember]]:
    """The flights and crew of the hand-computed case above."""
    flights = [
        flight("crew B", FlightRole.CREW, utc(2031, 1, 1), seats=4, cost_musd=200.0),
        flight("cargo", FlightRole.CARGO, utc(2031, 6, 1), pressurized_kg=1000.0, cost_musd=100.0),
    ]
    crew = [
        CrewMember(
            name="A-1",
            partner="AA",
            station="Alpha",
            arrival_flight="earlier",
            return_flight="x",
            arrival_utc=utc(2030, 1, 1),
            departure_utc=utc(2031, 1, 1),
        ),
        CrewMember(
            name="B-1",
            partner="BB",
            station="Alpha",
            arrival_flight="crew B",
            return_flight="x",
            arrival_utc=utc(2031, 1, 1),
            departure_utc=utc(2032, 1, 1),
        ),
    ]
    return flights, crew


def test_hand_computed_two_partner_ledger() -> None:
    sc = two_partner_scenario()
    flights, crew = _hand_case()
    p = partnership(sc, flights, crew, [])
    row = {(r.partner, r.year): r for r in p.ledger}
    assert row[("AA", 2030)].share_pct == pytest.approx(100.0)
    assert row[("BB", 2031)].share_pct == pytest.approx(25.0)
    assert row[("AA", 2030)].crew_hours_entitled == pytest.approx(1095.0)
    assert row[("AA", 2030)].crew_hours_used == pytest.approx(1095.0)
    assert row[("AA", 2031)].crew_hours_entitled == pytest.approx(821.25, abs=0.1)
    assert row[("BB", 2031)].crew_hours_used == pytest.approx(1095.0)
    assert row[("AA", 2031)].crew_hours_balance == pytest.approx(821.25, abs=0.1)
    assert row[("BB", 2031)].crew_hours_balance == pytest.approx(-821.25, abs=0.1)
    assert row[("AA", 2031)].upmass_kg_entitled == pytest.approx(750.0)
    assert row[("BB", 2031)].upmass_kg_used == pytest.approx(1000.0)
    owed = {(b.debtor, b.creditor): b for b in p.barter}
    assert owed[("BB", "AA")].seats == 1
    assert owed[("BB", "AA")].cargo_kg == pytest.approx(1000.0)
    assert owed[("BB", "AA")].amount_musd == pytest.approx(150.0)
    money = {(r.partner, r.year): r for r in p.finance}
    assert money[("AA", 2030)].common_musd == pytest.approx(365.0)
    assert money[("AA", 2031)].common_musd == pytest.approx(273.75)
    assert money[("BB", 2031)].common_musd == pytest.approx(91.25)
    assert money[("AA", 2031)].flights_musd == pytest.approx(300.0)
    assert money[("AA", 2031)].total_musd == pytest.approx(423.75)
    assert money[("BB", 2031)].total_musd == pytest.approx(241.25)
    shares = {s.partner: s for s in p.shares}
    assert shares["AA"].earned_pct == pytest.approx(100.0)
    assert shares["BB"].earned_pct == 0.0
    assert shares["BB"].effective_pct == pytest.approx(12.5, abs=0.05)  # 25 % over half the days


def test_a_partner_with_zero_share_is_entitled_to_nothing() -> None:
    sc = two_partner_scenario()
    partners = [sc.partners[0], sc.partners[1].model_copy(update={"utilization_share_pct": 0.0})]
    sc = sc.model_copy(update={"partners": partners})
    p = partnership(sc, [], [], [])
    assert all(r.crew_hours_entitled == 0 for r in p.ledger if r.partner == "BB")
    assert all(r.share_pct == 0 for r in p.ledger if r.partner == "BB")
    assert all(r.common_musd == 0 for r in p.finance if r.partner == "BB")
    assert {r.share_pct for r in p.ledger if r.partner == "AA"} == {100.0}


def test_default_plan_ledger_balances_and_finance() -> None:
    plan = default_run().plan
    p = plan.partnership
    assert p is not None
    for year in {r.year for r in p.ledger}:
        rows = [r for r in p.ledger if r.year == year]
        assert sum(r.crew_hours_balance for r in rows) == pytest.approx(0.0, abs=1.0)
        assert sum(r.upmass_kg_balance for r in rows) == pytest.approx(0.0, abs=1.0)
        shares = [r.share_pct for r in rows]
        assert sum(shares) == pytest.approx(100.0, abs=0.01)
    # Roscosmos pays nothing after it leaves on 2031-01-31 but its January 2031 common share
    late = [r for r in p.finance if r.partner == "ROSCOSMOS" and r.year > 2031]
    assert late and all(r.total_musd == 0 for r in late)
    # ISRO pays nothing before it joins in 2031
    early = [r for r in p.finance if r.partner == "ISRO" and r.year < 2031]
    assert all(r.total_musd == 0 for r in early)
    # every partner's spending adds up to the programme's
    assert sum(u.spending_musd for u in p.unit_costs) == pytest.approx(
        p.programme_cost_musd, abs=1.0
    )


def test_payload_sites_are_shared_and_used_by_the_crew_aboard() -> None:
    """A laboratory with 10 payload sites in orbit from the start, owned by A. 2030: A is
    entitled to and uses all 10 sites x 365 days / 365.25 = 9.993 site-years. 2031: A is
    entitled to 75 %, 7.495, B to 2.498; B's crew is the only crew, so B uses all 9.993;
    balances A +7.495, B -7.495."""
    sc = two_partner_scenario()
    lab = sc.stations[0].model_copy(update={"modules": [], "retire_utc": None})
    base = load_scenario().scenario.stations[0].modules[0]
    module = base.model_copy(
        update={"name": "Lab", "owner": "AA", "launch_utc": None, "payload_sites": 10}
    )
    sc = sc.model_copy(update={"stations": [lab.model_copy(update={"modules": [module]})]})
    flights, crew = _hand_case()
    p = partnership(sc, flights, crew, [])
    row = {(r.partner, r.year): r for r in p.ledger}
    year = 10 * 365 / 365.25
    assert row[("AA", 2030)].payload_site_years_entitled == pytest.approx(year, abs=1e-3)
    assert row[("AA", 2030)].payload_site_years_used == pytest.approx(year, abs=1e-3)
    assert row[("AA", 2031)].payload_site_years_entitled == pytest.approx(0.75 * year, abs=1e-3)
    assert row[("BB", 2031)].payload_site_years_entitled == pytest.approx(0.25 * year, abs=1e-3)
    assert row[("BB", 2031)].payload_site_years_used == pytest.approx(year, abs=1e-3)
    assert row[("AA", 2031)].payload_site_years_balance == pytest.approx(0.75 * year, abs=1e-3)
    assert row[("BB", 2031)].payload_site_years_balance == pytest.approx(-0.75 * year, abs=1e-3)


def test_services_and_barter_valued_at_the_policies_prices() -> None:
    """B declares a reboost service of 4,000 kg of propellant with no value: at 20,000 USD/kg
    it is worth 80 MUSD, so A (300 MUSD of flights) earns 300/380 = 78.95 % and B 21.05 %.
    With barter_rate 'price', B owes A one seat at 55.4 MUSD plus 1,000 kg of cargo at
    20,000 USD/kg (20 MUSD): 75.4 MUSD instead of 150. Entitled value of A over 2030-2031:
    (1,095 + 821.25) h x 130,000 USD + 750 kg x 20,000 USD = 249.11 + 15.0 = 264.11 MUSD."""
    from stationplan.scenario.models import Contribution, ContributionKind

    sc = two_partner_scenario()
    service = Contribution(
        kind=ContributionKind.SERVICES, description="reboost propellant", upmass_kg=4000.0
    )
    partners = [sc.partners[0], sc.partners[1].model_copy(update={"contributions": [service]})]
    policies = sc.policies.model_copy(update={"barter_rate": "price"})
    sc = sc.model_copy(update={"partners": partners, "policies": policies})
    flights, crew = _hand_case()
    p = partnership(sc, flights, crew, [])
    shares = {s.partner: s for s in p.shares}
    assert shares["BB"].contributed_musd == pytest.approx(80.0)
    assert shares["AA"].earned_pct == pytest.approx(100 * 300 / 380, abs=1e-3)
    owed = {(b.debtor, b.creditor): b for b in p.barter}
    assert owed[("BB", "AA")].amount_musd == pytest.approx(75.4)
    units = {u.partner: u for u in p.unit_costs}
    assert units["AA"].entitled_value_musd == pytest.approx(264.1, abs=0.1)
    assert units["AA"].paid_per_value == pytest.approx(
        units["AA"].spending_musd / units["AA"].entitled_value_musd, abs=1e-3
    )


def test_a_plan_written_before_prices_and_payload_sites_still_loads() -> None:
    """A stored plan without the prices and payload-site fields (written by an earlier
    version) loads, with the prices unknown and the sites 0."""
    from stationplan.plan.model import Plan

    plan = default_run().plan
    raw = plan.model_dump(mode="json")
    del raw["partnership"]["prices"]
    rows = raw["partnership"]["ledger"] + raw["partners"]
    for row in rows:
        for key in [k for k in row if k.startswith("payload_site")]:
            del row[key]
    old = Plan.model_validate(raw)
    assert old.partnership is not None and old.partnership.prices is None
    assert all(r.payload_site_years_entitled == 0 for r in old.partnership.ledger)
    assert all(p.payload_sites == 0 for p in old.partners)


def test_declared_flights_are_not_counted_twice() -> None:
    """A's flights are counted from the plan (300 MUSD); its declared 'flights' contribution
    of 500 MUSD describes the same flights and adds nothing to its earned share's value."""
    from stationplan.scenario.models import Contribution, ContributionKind

    sc = two_partner_scenario()
    flights_declared = Contribution(
        kind=ContributionKind.FLIGHTS, description="crew and cargo flights", value_musd=500.0
    )
    partners = [sc.partners[0].model_copy(update={"contributions": [flights_declared]})]
    sc = sc.model_copy(update={"partners": [*partners, sc.partners[1]]})
    flights, crew = _hand_case()
    shares = {s.partner: s for s in partnership(sc, flights, crew, []).shares}
    assert shares["AA"].contributed_musd == pytest.approx(300.0)
