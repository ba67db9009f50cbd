"""Logistics: classes of supply, demand, cargo allocation (HiGHS LP), mass balance, trash, gaps.

Every case is small enough to check by hand; the arithmetic is in each test's docstring.
Days are whole UTC days from START (day 0 = 1 Jan 2030).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from stationplan.ops.flights import Flight, FlightRole
from stationplan.ops.logistics import allocate_cargo, deliveries_kg
from stationplan.ops.mass_balance import (
    capacity_vs_demand,
    gap_report,
    mass_balance,
    period_labels,
    trash_balance,
)
from stationplan.ops.supply import (
    CARRIER,
    UPMASS_CLASSES,
    Carrier,
    SupplyClass,
    average_daily_demand_by_carrier,
    class_row,
    daily_demand,
    demand_model,
    trash_kg_per_day,
)
from stationplan.scenario.models import Consumables

START = datetime(2030, 1, 1, tzinfo=UTC)
C = len(UPMASS_CLASSES)
WATER, FOOD = class_row(SupplyClass.WATER), class_row(SupplyClass.FOOD)


def flight(
    name: str,
    dock_day: float,
    *,
    pressurized_kg: float = 0.0,
    unpressurized_kg: float = 0.0,
    propellant_kg: float = 0.0,
    return_kg: float = 0.0,
    undock_day: float | None = None,
) -> Flight:
    dock = START + timedelta(days=dock_day)
    return Flight(
        flight=name,
        role=FlightRole.CARGO,
        vehicle="Freighter",
        operator="NASA",
        station="S",
        site=None,
        launch_utc=dock - timedelta(days=1),
        docking_utc=dock,
        port="P",
        undocking_utc=None if undock_day is None else START + timedelta(days=undock_day),
        pressurized_kg=pressurized_kg,
        unpressurized_kg=unpressurized_kg,
        propellant_kg=propellant_kg,
        return_kg=return_kg,
    )


def consumables(**overrides: float) -> Consumables:
    """BVAD 2004 nominal metabolic rates (Hanford, NASA/CR-2004-208941): O2 0.835, food 0.617,
    potable water 3.909 kg/crew-day; everything else off unless a test turns it on."""
    values: dict[str, float] = {
        "oxygen_kg_per_crew_day": 0.835,
        "food_kg_per_crew_day": 0.617,
        "potable_water_kg_per_crew_day": 3.909,
        "hygiene_water_kg_per_crew_day": 0.0,
        "water_recovery_fraction": 0.0,
        "oxygen_recovery_fraction": 0.0,
        "reserve_days": 0.0,
        "hygiene_items_kg_per_crew_day": 0.0,
        "clothing_kg_per_crew_day": 0.0,
        "crew_operations_kg_per_crew_day": 0.0,
        "air_leakage_kg_per_station_day": 0.0,
        "spares_fraction_per_year": 0.0,
        "trash_kg_per_crew_day": 0.0,
    }
    values.update(overrides)
    return Consumables.model_validate(values)


def only(rows: dict[int, float], days: int) -> np.ndarray:
    """(C, D) demand with constant rates in the given rows and zero elsewhere."""
    out = np.zeros((C, days))
    for r, rate in rows.items():
        out[r] = rate
    return out


# --------------------------------------------------------------------------- classes and demand


def test_every_upmass_class_has_a_carrier_and_water_and_gases_ride_pressurized() -> None:
    assert SupplyClass.WASTE not in UPMASS_CLASSES
    assert len(UPMASS_CLASSES) == len(SupplyClass) - 1
    for c in (SupplyClass.WATER, SupplyClass.OXYGEN, SupplyClass.NITROGEN, SupplyClass.FOOD):
        assert CARRIER[c] is Carrier.PRESSURIZED
    assert CARRIER[SupplyClass.PROPELLANT] is Carrier.PROPELLANT
    assert CARRIER[SupplyClass.SPARES_UNPRESSURIZED] is Carrier.UNPRESSURIZED


def test_open_loop_crew_of_six_matches_bvad_daily_total() -> None:
    """BVAD 2004 (Hanford, NASA/CR-2004-208941), nominal crew-member interface values: oxygen
    0.835, food 0.617, potable water 3.909 kg/CM-d. Open loop, 6 crew:
    6 x (0.835 + 0.617 + 3.909) = 6 x 5.361 = 32.166 kg/day."""
    demand = daily_demand(demand_model(consumables()), [6.0], [400_000.0], [0.0])
    assert demand.shape == (C, 1)
    assert demand[:, 0].sum() == pytest.approx(32.166, abs=1e-9)
    assert demand[class_row(SupplyClass.OXYGEN), 0] == pytest.approx(5.01)
    assert demand[WATER, 0] == pytest.approx(23.454)


def test_recovery_station_rates_spares_and_propellant() -> None:
    """2 crew, O2 recovery 0.5: 2 x 0.835 x 0.5 = 0.835 kg/day of oxygen. Water (3.909 + 12.6)
    x (1 - 0.9) x 2 = 3.3018. Leakage 0.2 kg/day whatever the crew. Spares 3.6525 %/yr of a
    100,000 kg station = 10 kg/day, 20 % of it unpressurised: 8 and 2. Propellant series
    passes through: [0, 5]."""
    model = demand_model(
        consumables(
            oxygen_recovery_fraction=0.5,
            hygiene_water_kg_per_crew_day=12.6,
            water_recovery_fraction=0.9,
            air_leakage_kg_per_station_day=0.2,
            spares_fraction_per_year=0.036525,
            unpressurized_spares_fraction=0.2,
        )
    )
    d = daily_demand(model, [2.0, 0.0], 100_000.0, [0.0, 5.0])
    assert d.shape == (C, 2)
    assert d[class_row(SupplyClass.OXYGEN)] == pytest.approx([0.835, 0.0])
    assert d[WATER] == pytest.approx([3.3018, 0.0])
    assert d[class_row(SupplyClass.NITROGEN)] == pytest.approx([0.2, 0.2])
    assert d[class_row(SupplyClass.SPARES_PRESSURIZED)] == pytest.approx([8.0, 8.0])
    assert d[class_row(SupplyClass.SPARES_UNPRESSURIZED)] == pytest.approx([2.0, 2.0])
    assert d[class_row(SupplyClass.PROPELLANT)] == pytest.approx([0.0, 5.0])


def test_average_daily_demand_by_carrier_for_sizing_flights() -> None:
    """3 crew open loop: pressurised 3 x 5.361 = 16.083 kg/day plus spares 7.305 %/yr of
    100,000 kg = 20 kg/day, 25 % unpressurised: pressurised 16.083 + 15 = 31.083, unpressurised
    5, propellant 2 as given."""
    model = demand_model(
        consumables(spares_fraction_per_year=0.07305, unpressurized_spares_fraction=0.25)
    )
    by_carrier = average_daily_demand_by_carrier(model, 3, 100_000.0, propellant_kg_per_day=2.0)
    assert by_carrier[Carrier.PRESSURIZED] == pytest.approx(31.083)
    assert by_carrier[Carrier.UNPRESSURIZED] == pytest.approx(5.0)
    assert by_carrier[Carrier.PROPELLANT] == pytest.approx(2.0)


def test_iss_like_sustaining_upmass_is_within_the_iss_logistics_record() -> None:
    """Lynch, Owens et al., "A Historical Review of Logistics Mass and Crew Time Demands for ISS
    Operations", ICES 2024 (NTRS 20240005648): over 130 t of logistics from October 2017 to
    December 2023 (75 months), about 130 / 6.25 = 20.8 t/yr, science and outfitting included.
    With the scenario defaults (default.yaml consumables and the Consumables defaults) for
    7 crew on a 420 t station and no propellant, per crew-day: O2 0.835 x 0.5 = 0.4175, water
    (3.909 + 12.6) x 0.02 = 0.33018, food 0.617, provisions 0.278 + 0.575, operations 0.1 ->
    2.31768; 7 x 365.25 x 2.31768 = 5,925.7 kg/yr; nitrogen 0.227 x 365.25 = 82.9; spares
    1 % x 420,000 = 4,200: total 10,209 kg/yr, about half of the record (the rest being
    utilisation, which this model does not demand)."""
    model = demand_model(
        Consumables(
            oxygen_kg_per_crew_day=0.835,
            food_kg_per_crew_day=0.617,
            potable_water_kg_per_crew_day=3.909,
            hygiene_water_kg_per_crew_day=12.6,
            water_recovery_fraction=0.98,
            oxygen_recovery_fraction=0.5,
            reserve_days=45,
        )
    )
    per_year = 365.25 * sum(average_daily_demand_by_carrier(model, 7, 420_000.0).values())
    assert per_year == pytest.approx(10_209.0, abs=1.0)
    assert 0.25 * 20_800 < per_year < 20_800


# --------------------------------------------------------------------------- mass balance


def test_three_crew_one_cargo_flight_on_day_10_stock_by_hand() -> None:
    """3 crew x 1 kg/crew-day of food = 3 kg/day; 35 kg aboard; 1,000 kg docks on day 10.
    End of day d: 35 - 3 (d + 1) before day 10, 1,035 - 3 (d + 1) from day 10.
    Day 9: 35 - 30 = 5; day 10: 1,035 - 33 = 1,002; day 19: 1,035 - 60 = 975.
    Reserve 2 days = 6 kg: day 8 stock 8 (margin (8 - 6) / 3 = 0.667 days), day 9 stock 5
    < 6: first breach on day 9 (margin -1/3); never unmet."""
    model = demand_model(consumables(food_kg_per_crew_day=1.0, reserve_days=2.0))
    demand = daily_demand(model, np.full(20, 3.0), 0.0, 0.0)
    rows = np.zeros_like(demand)
    rows[FOOD] = demand[FOOD]  # food only: the other classes stay out of the check
    deliveries = np.zeros_like(demand)
    deliveries[FOOD, 10] = 1000.0
    initial = np.zeros(C)
    initial[FOOD] = 35.0
    bal = mass_balance(rows, deliveries, initial, reserve_days=2.0)
    food = bal.stock_kg[FOOD]
    assert food[[0, 8, 9, 10, 19]] == pytest.approx([32.0, 8.0, 5.0, 1002.0, 975.0])
    assert bal.margin_days[FOOD, 8] == pytest.approx(2.0 / 3.0)
    assert bal.margin_days[FOOD, 9] == pytest.approx(-1.0 / 3.0)
    summary = {s.supply_class: s for s in bal.summaries()}[SupplyClass.FOOD]
    assert summary.first_breach_day == 9
    assert summary.unmet_kg == 0.0
    assert summary.end_stock_kg == pytest.approx(975.0)
    assert bal.first_breach_day()[WATER] is None  # no demand, no reserve, no breach


# --------------------------------------------------------------------------- allocation LP


def test_lp_two_flights_two_classes_split_evenly() -> None:
    """Water and food 10 kg/day each for 10 days, nothing aboard, no reserve. Flight A docks
    on day 0 and flight B on day 5, 100 kg pressurised each. Keeping both classes fed through
    days 0-4 needs 50 + 50 on A (any other split starves one class before day 5); B brings the
    other 50 + 50 for days 5-9. Zero shortfall, nothing unused."""
    demand = only({WATER: 10.0, FOOD: 10.0}, 10)
    fl = [flight("B", 5, pressurized_kg=100.0), flight("A", 0, pressurized_kg=100.0)]
    alloc = allocate_cargo(fl, demand, START, np.zeros(C), reserve_days=0.0)
    assert [a.flight for a in alloc] == ["A", "B"]
    for a in alloc:
        assert a.kg_by_class[SupplyClass.WATER] == pytest.approx(50.0, abs=1e-6)
        assert a.kg_by_class[SupplyClass.FOOD] == pytest.approx(50.0, abs=1e-6)
        assert a.unused_kg_by_carrier[Carrier.PRESSURIZED] == pytest.approx(0.0, abs=1e-6)
    bal = mass_balance(demand, deliveries_kg(alloc, 10), np.zeros(C), 0.0)
    assert bal.stock_kg.min() >= -1e-6
    assert all(s.first_breach_day is None for s in bal.summaries())


def test_lp_respects_carriers_and_gives_what_runs_out_first_the_early_flight() -> None:
    """Food 10 kg/day with 20 kg aboard (runs out after day 1), water 10 kg/day with 60 kg
    aboard (lasts to day 5); 8 days. Flight A docks on day 2 with 60 kg pressurised; flight B
    on day 6 with 60 kg pressurised and 500 kg of propellant capacity. Need through day 7:
    food 80 - 20 = 60, water 80 - 60 = 20. Two plans keep every stock at or above zero:
    A food 60 / B water 20, and A food 40 + water 20 / B food 20. The tie-break gives the
    early flight to the class that runs out first: food (stock lasts 2 days) before water
    (6 days). Propellant capacity carries nothing (no demand): B leaves 40 kg pressurised and
    500 kg propellant unused."""
    demand = only({WATER: 10.0, FOOD: 10.0}, 8)
    initial = np.zeros(C)
    initial[FOOD], initial[WATER] = 20.0, 60.0
    fl = [
        flight("A", 2, pressurized_kg=60.0),
        flight("B", 6, pressurized_kg=60.0, propellant_kg=500.0),
    ]
    a, b = allocate_cargo(fl, demand, START, initial, reserve_days=0.0)
    assert a.kg_by_class[SupplyClass.FOOD] == pytest.approx(60.0, abs=1e-6)
    assert a.kg_by_class[SupplyClass.WATER] == pytest.approx(0.0, abs=1e-6)
    assert b.kg_by_class[SupplyClass.WATER] == pytest.approx(20.0, abs=1e-6)
    assert b.kg_by_class[SupplyClass.PROPELLANT] == pytest.approx(0.0, abs=1e-6)
    assert b.unused_kg_by_carrier[Carrier.PRESSURIZED] == pytest.approx(40.0, abs=1e-6)
    assert b.unused_kg_by_carrier[Carrier.PROPELLANT] == pytest.approx(500.0, abs=1e-6)


def test_lp_counts_shortfall_in_days_of_each_class_demand() -> None:
    """Water 10 kg/day and nitrogen 1 kg/day for 10 days, nothing aboard, no reserve; one
    flight on day 0 with 20 kg pressurised. Shortfall is counted in days of each class's
    demand, so a kg of nitrogen buys ten times the days a kg of water does: nitrogen gets its
    whole need (10 kg, days 0-9) and water the other 10 kg (day 0). Summed shortfall: nitrogen
    0, water 0 + 1 + ... + 9 = 45 days, against 55 + 36 = 91 days for all 20 kg as water.
    Counting kg instead would favour water."""
    nitrogen = class_row(SupplyClass.NITROGEN)
    demand = only({WATER: 10.0, nitrogen: 1.0}, 10)
    (a,) = allocate_cargo(
        [flight("A", 0, pressurized_kg=20.0)], demand, START, np.zeros(C), reserve_days=0.0
    )
    assert a.kg_by_class[SupplyClass.NITROGEN] == pytest.approx(10.0, abs=1e-6)
    assert a.kg_by_class[SupplyClass.WATER] == pytest.approx(10.0, abs=1e-6)


def test_lp_short_fleet_breaks_reserve_as_late_as_it_can() -> None:
    """Water 10 kg/day for 10 days, nothing aboard, reserve 1 day (10 kg). One flight on day 0
    with 60 kg: the stock is 60 - 10 (d + 1); it is at least the 10 kg reserve through day 4
    (stock 10) and below it from day 5 (stock 0): first breach day 5. The fleet cannot carry
    the rest: shortfall below reserve at the end of day 9 = 10 - (60 - 100) = 50 kg, all in
    January 2030 -> one gap of 50 kg."""
    demand = only({WATER: 10.0}, 10)
    alloc = allocate_cargo(
        [flight("A", 0, pressurized_kg=60.0)], demand, START, np.zeros(C), reserve_days=1.0
    )
    assert alloc[0].kg_by_class[SupplyClass.WATER] == pytest.approx(60.0, abs=1e-6)
    bal = mass_balance(demand, deliveries_kg(alloc, 10), np.zeros(C), reserve_days=1.0)
    water = {s.supply_class: s for s in bal.summaries()}[SupplyClass.WATER]
    assert water.first_breach_day == 5
    assert water.unmet_kg == pytest.approx(40.0, abs=1e-6)
    gaps = gap_report(bal, START, "month")
    assert [(g.period, g.supply_class) for g in gaps] == [("2030-01", SupplyClass.WATER)]
    assert gaps[0].kg == pytest.approx(50.0, abs=1e-6)


def test_flights_docking_outside_the_plan_carry_nothing() -> None:
    """A flight docking before day 0 or after the last day is not allocated."""
    demand = only({WATER: 1.0}, 5)
    fl = [flight("early", -3, pressurized_kg=9.0), flight("late", 5, pressurized_kg=9.0)]
    assert allocate_cargo(fl, demand, START, np.zeros(C), 0.0) == []


# --------------------------------------------------------------------------- periods and gaps


def test_capacity_vs_demand_per_quarter_and_gap_per_quarter() -> None:
    """180 days from 1 Jan 2030: Q1 has 90 days (31 + 28 + 31), Q2 the other 90. Water 10
    kg/day: 900 kg demanded per quarter, pressurised. One flight of 1,000 kg pressurised docks
    on day 0 (Q1): capacity 1,000 in Q1 and 0 in Q2. Stock (no reserve): 1,000 - 10 (d + 1),
    at the end of Q1 (day 89) +100, at the end of Q2 (day 179) -800: no gap in Q1, 800 kg in
    Q2."""
    demand = only({WATER: 10.0}, 180)
    fl = [flight("A", 0, pressurized_kg=1000.0)]
    series = capacity_vs_demand(fl, demand, START, "quarter")
    table = {(s.period, s.carrier): (s.capacity_kg, s.demand_kg) for s in series}
    assert table[("2030-Q1", Carrier.PRESSURIZED)] == pytest.approx((1000.0, 900.0))
    assert table[("2030-Q2", Carrier.PRESSURIZED)] == pytest.approx((0.0, 900.0))
    assert table[("2030-Q1", Carrier.PROPELLANT)] == pytest.approx((0.0, 0.0))
    alloc = allocate_cargo(fl, demand, START, np.zeros(C), 0.0)
    bal = mass_balance(demand, deliveries_kg(alloc, 180), np.zeros(C), 0.0)
    assert bal.stock_kg[WATER, 89] == pytest.approx(100.0, abs=1e-6)
    gaps = gap_report(bal, START, "quarter")
    assert [(g.period, g.supply_class) for g in gaps] == [("2030-Q2", SupplyClass.WATER)]
    assert gaps[0].kg == pytest.approx(800.0, abs=1e-6)


def test_period_labels_months_and_quarters() -> None:
    """30 Mar 2030 + 0..3 days: 30 Mar, 31 Mar, 1 Apr, 2 Apr."""
    start = datetime(2030, 3, 30, 12, tzinfo=UTC)
    assert list(period_labels(start, 4, "month")) == ["2030-03", "2030-03", "2030-04", "2030-04"]
    quarters = ["2030-Q1", "2030-Q1", "2030-Q2", "2030-Q2"]
    assert list(period_labels(start, 4, "quarter")) == quarters


# --------------------------------------------------------------------------- trash


def test_trash_burns_up_or_returns_up_to_capacity() -> None:
    """3 crew x 2 kg/crew-day = 6 kg/day of trash, nothing aboard at the start, 10 days.
    Freighter F (burns up, 40 kg pressurised) undocks on day 4: 5 days x 6 = 30 kg aboard,
    all 30 destroyed. Capsule R (returns 20 kg) undocks on day 9: 5 more days, 30 kg aboard,
    20 returned to Earth, 10 left. On board at the end: day 3 = 24, day 4 = 0, day 9 = 10."""
    model = demand_model(consumables(trash_kg_per_crew_day=2.0))
    produced = trash_kg_per_day(model, np.full(10, 3.0))
    fl = [
        flight("R", 1, pressurized_kg=500.0, return_kg=20.0, undock_day=9.5),
        flight("F", 0, pressurized_kg=40.0, undock_day=4.2),
    ]
    tb = trash_balance(fl, produced, START)
    assert [(r.flight, r.destroyed_kg, r.returned_kg) for r in tb.removals] == [
        ("F", pytest.approx(30.0), 0.0),
        ("R", 0.0, pytest.approx(20.0)),
    ]
    assert tb.on_board_kg[[3, 4, 9]] == pytest.approx([24.0, 0.0, 10.0])


def test_reserve_kept_until_the_crew_leaves() -> None:
    """Food 10 kg/day for 20 days, then no crew for 10 days; reserve 5 days (50 kg while
    crewed); one 1,000 kg flight on day 0, no initial stock. The stock must stay at or above
    the reserve through day 19: 200 kg eaten + 50 kg reserve on day 19 = 250 kg delivered, so
    the stock ends at 50 kg, not at 0 (a cap on the total at the end-of-plan need, 200 kg,
    would let the last crewed days fall below their reserve)."""
    demand = np.zeros((C, 30))
    demand[FOOD, :20] = 10.0
    allocations = allocate_cargo(
        [flight("F1", 0, pressurized_kg=1000.0)], demand, START, np.zeros(C), reserve_days=5.0
    )
    balance = mass_balance(demand, deliveries_kg(allocations, 30), np.zeros(C), 5.0)
    assert balance.first_breach_day()[FOOD] is None
    assert allocations[0].kg_by_class[SupplyClass.FOOD] == pytest.approx(250.0, abs=1e-3)


def test_gap_counts_a_dip_below_reserve_that_a_later_flight_of_the_period_makes_good() -> None:
    """Water 10 kg/day for 90 days from 1 Jan 2030 (all Q1), reserve 1 day (10 kg). Flights of
    300 kg on day 0 and day 40. Stock 300 - 10 (d + 1) until day 39: it falls below the 10 kg
    reserve on day 29 (stock 0) and reaches -100 on day 39, 110 kg below reserve; the day-40
    flight lifts it back and the quarter ends at 600 - 900 = -300, 310 kg below: one gap of
    310 kg (the deepest). With the second flight at 900 kg the quarter ends at +300, above
    reserve, yet the reserve was broken by 110 kg on day 39: one gap of 110 kg in Q1 (a
    quarter-end reading alone misses it)."""
    demand = only({WATER: 10.0}, 90)
    for second_kg, expected_kg in ((300.0, 310.0), (900.0, 110.0)):
        fl = [flight("A", 0, pressurized_kg=300.0), flight("B", 40, pressurized_kg=second_kg)]
        alloc = allocate_cargo(fl, demand, START, np.zeros(C), reserve_days=1.0)
        bal = mass_balance(demand, deliveries_kg(alloc, 90), np.zeros(C), reserve_days=1.0)
        gaps = gap_report(bal, START, "quarter")
        assert [(g.period, g.supply_class) for g in gaps] == [("2030-Q1", SupplyClass.WATER)]
        assert gaps[0].kg == pytest.approx(expected_kg, abs=1e-6)


def test_a_shortfall_lasting_two_quarters_is_listed_in_both_at_its_depth() -> None:
    """Water 10 kg/day for 180 days from 1 Jan 2030, no reserve, 450 kg on day 0: the stock is
    450 - 10 (d + 1), below zero from day 45; at the end of Q1 (day 89) -450, at the end of Q2
    (day 179) -1,350: gaps of 450 kg in Q1 and 1,350 kg in Q2."""
    demand = only({WATER: 10.0}, 180)
    alloc = allocate_cargo([flight("A", 0, pressurized_kg=450.0)], demand, START, np.zeros(C), 0.0)
    bal = mass_balance(demand, deliveries_kg(alloc, 180), np.zeros(C), 0.0)
    gaps = gap_report(bal, START, "quarter")
    assert [(g.period, round(g.kg, 6)) for g in gaps] == [("2030-Q1", 450.0), ("2030-Q2", 1350.0)]


def test_the_solver_reserve_keeps_each_class_not_only_the_carrier_total() -> None:
    """Pressurised cargo, reserve 10 days: 500 kg of water aboard and none used; no food aboard,
    1 kg of food a day. The carrier total (500 kg) covers the pooled need for months, yet food
    needs a delivery at once: by day t it must have received t + 10 kg (the demand before t
    plus 10 days of reserve). The reserve the solver is given makes the carrier's need less
    its initial stock exactly that, every day (the pooled reserve asked nothing before day
    490)."""
    from types import SimpleNamespace

    from stationplan.ops.cargo_bound import need_kg
    from stationplan.ops.operations import _station_supply

    days = 60
    demand = np.zeros((C, days))
    demand[FOOD] = 1.0
    initial = np.zeros(C)
    initial[WATER] = 500.0
    sc = SimpleNamespace(consumables=SimpleNamespace(reserve_days=10.0))
    supply = _station_supply(sc, demand, initial)  # type: ignore[arg-type]
    k = Carrier.PRESSURIZED
    need = need_kg(supply.demand_kg_per_day[k], supply.reserve_kg[k], days)[:days]
    assert need - supply.initial_kg[k] == pytest.approx(np.arange(days) + 10.0)
