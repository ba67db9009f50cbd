"""Monte Carlo of slips and losses: hand-checkable manifests of one or two flights.

Conventions checked here: the stock at the end of day d is initial + deliveries docked on
days <= d - demand of days 0..d; the reserve breaks when it falls below the reserve; the
margin is min over days of (stock - reserve) / demand.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from stationplan.ops.flights import CrewMember, Flight, FlightRole
from stationplan.ops.launch_record import loss_table
from stationplan.ops.risk import (
    SupplyDemand,
    VehicleRisk,
    carrier_deliveries,
    run_risk,
    slip_sensitivity,
    vehicle_risks,
)
from stationplan.scenario.models import Vehicle

START = datetime(2030, 1, 1, tzinfo=UTC)


def _at(day: float) -> datetime:
    return START + timedelta(days=day)


def _cargo(label: str, dock_day: float, kg: float, vehicle: str = "Freighter") -> Flight:
    return Flight(
        flight=label,
        role=FlightRole.CARGO,
        vehicle=vehicle,
        operator="AAA",
        station="S",
        site=None,
        launch_utc=_at(dock_day - 1),
        docking_utc=_at(dock_day),
        port="P1",
        undocking_utc=_at(dock_day + 30),
        pressurized_kg=kg,
    )


def _crew_flight(label: str, vehicle: str, dock_day: float, undock_day: float) -> Flight:
    return Flight(
        flight=label,
        role=FlightRole.CREW,
        vehicle=vehicle,
        operator="AAA",
        station="S",
        site=None,
        launch_utc=_at(dock_day - 1),
        docking_utc=_at(dock_day),
        port="P2",
        undocking_utc=_at(undock_day),
        crew_up=3,
        crew_down=3,
        seats=3,
    )


def _member(name: str, up: Flight, down: Flight) -> CrewMember:
    assert up.docking_utc is not None and down.undocking_utc is not None
    return CrewMember(
        name=name,
        partner="AAA",
        station="S",
        arrival_flight=up.flight,
        return_flight=down.flight,
        arrival_utc=up.docking_utc,
        departure_utc=down.undocking_utc,
    )


def _supply(
    flights: list[Flight], initial_kg: float, days: int, reserve_kg: float = 0.0
) -> SupplyDemand:
    """One class, 'food', eaten at 1 kg/day; each flight brings its pressurised cargo."""
    return SupplyDemand(
        class_names=("food",),
        start_utc=START,
        demand_kg_per_day=np.ones((1, days)),
        initial_stock_kg=np.array([initial_kg]),
        reserve_kg=np.full((1, days), reserve_kg),
        delivery_kg=carrier_deliveries(flights, np.array([[1.0, 0.0, 0.0]])),
    )


def _risk(p_loss: float = 0.0, slip: float = 0.0, limit: float = 200.0) -> VehicleRisk:
    return VehicleRisk(loss_probability=p_loss, mean_slip_days=slip, docked_limit_days=limit)


def _binomial_tolerance(p: float, runs: int) -> float:
    return 4.0 * math.sqrt(p * (1.0 - p) / runs)


def test_margin_and_first_break_without_flights() -> None:
    # 100 kg, 1 kg/day, reserve 10: at the end of day 49 the stock is 50, 40 above the reserve.
    held = run_risk([], [], _supply([], 100.0, 50, reserve_kg=10.0), {}, runs=10, seed=1)
    assert held.nominal_margin_days == (40.0,)
    assert held.p_reserve_break == (0.0,)
    assert held.nominal_first_break_day == (-1,)
    # 55 kg: 54 - d < 10 from day 45 on.
    short = run_risk([], [], _supply([], 55.0, 50, reserve_kg=10.0), {}, runs=10, seed=1)
    assert short.nominal_first_break_day == (45,)
    assert short.p_reserve_break == (1.0,)
    assert short.nominal_margin_days == (-5.0,)  # day 49: 5 - 10 = -5 kg at 1 kg/day


def test_one_cargo_flight_lost_half_the_time() -> None:
    # Without its 100 kg, 100 - (d + 1) falls below the 10 kg reserve from day 90 on.
    flights = [_cargo("C1", 50, 100.0)]
    supply = _supply(flights, 100.0, 100, reserve_kg=10.0)
    runs = 4000
    result = run_risk(flights, [], supply, {"Freighter": _risk(p_loss=0.5)}, runs=runs, seed=7)
    assert result.p_reserve_break[0] == pytest.approx(0.5, abs=_binomial_tolerance(0.5, runs))
    assert result.mean_flights_lost == pytest.approx(result.p_reserve_break[0])
    broken = result.samples.first_break_day[:, 0]
    assert set(np.unique(broken)) == {-1, 90}
    # With the flight the lowest point is the eve of its docking: day 49, 100 - 50 - 10 = 40 kg,
    # 40 days; without it day 99, 0 - 10 = -10 kg.
    assert result.nominal_margin_days == (40.0,)
    assert set(np.unique(result.samples.margin_days)) == {-10.0, 40.0}
    assert result.margins[0].percentiles_days[-1] == (95.0, 40.0)


def test_no_slip_no_loss_never_breaks() -> None:
    flights = [_cargo("C1", 50, 100.0)]
    result = run_risk(
        flights, [], _supply(flights, 100.0, 100, 10.0), {"Freighter": _risk()}, runs=300, seed=3
    )
    assert result.p_reserve_break == (0.0,)
    assert (result.p_crew_reduction, result.p_lifeboat_break) == (0.0, 0.0)
    assert np.all(result.samples.margin_days == 40.0)


def test_slip_past_the_stock_breaks_with_exponential_odds() -> None:
    # 59.5 kg at 1 kg/day: 0.5 kg left at the end of day 58, -0.5 kg on day 59. The 100 kg
    # flight planned on day 50.0 saves it if it docks on day 59 at the latest: the stock breaks
    # when the slip is 10 days or more, P = exp(-10 / 10) = 0.368.
    flights = [_cargo("C1", 50, 100.0)]
    runs = 4000
    result = run_risk(
        flights, [], _supply(flights, 59.5, 100), {"Freighter": _risk(slip=10.0)}, runs, seed=11
    )
    expected = math.exp(-1.0)
    assert result.p_reserve_break[0] == pytest.approx(
        expected, abs=_binomial_tolerance(expected, runs)
    )
    assert set(np.unique(result.samples.first_break_day)) == {-1, 59}


def _rotation(
    p_loss_relief: float, slip_relief: float
) -> tuple[list[Flight], list[CrewMember], dict[str, VehicleRisk]]:
    """S1 (day 10 to 190, limit 200 days) brings A, B and X; S2 (day 180 to 370) brings C, D,
    E and relieves S1. A and B return on S1, X on S2 (a two-increment stay)."""
    s1 = _crew_flight("S1", "Ferry-1", 10, 190)
    s2 = _crew_flight("S2", "Ferry-2", 180, 370)
    crew = [_member("A", s1, s1), _member("B", s1, s1), _member("X", s1, s2)]
    crew += [_member(n, s2, s2) for n in ("C", "D")]
    vehicles = {"Ferry-1": _risk(), "Ferry-2": _risk(p_loss=p_loss_relief, slip=slip_relief)}
    return [s1, s2], crew, vehicles


def test_nominal_rotation_keeps_crew_and_lifeboats() -> None:
    flights, crew, vehicles = _rotation(0.0, 0.0)
    result = run_risk(flights, crew, _supply(flights, 1000.0, 400), vehicles, runs=50, seed=5)
    assert (result.p_crew_reduction, result.p_lifeboat_break) == (0.0, 0.0)
    assert not result.nominal_crew_reduction and not result.nominal_lifeboat_break


def test_relief_certain_to_be_lost_breaks_the_lifeboat_rule() -> None:
    # S1 waits for S2 to its limit (day 210) and leaves with A and B: a crew reduction. X, whose
    # seat home was on S2, is left aboard with no docked seat.
    flights, crew, vehicles = _rotation(1.0, 0.0)
    result = run_risk(flights, crew, _supply(flights, 1000.0, 400), vehicles, runs=50, seed=5)
    assert result.p_crew_reduction == 1.0
    assert result.p_lifeboat_break == 1.0
    assert not result.nominal_lifeboat_break


def test_relief_slip_past_the_docked_limit_reduces_the_crew() -> None:
    # S1 may stay to day 10 + 200 = 210; it waits for S2 (planned to leave on day 190), so it
    # reaches its limit when S2 slips more than 20 days: P = exp(-20 / 20) = 0.368.
    flights, crew, vehicles = _rotation(0.0, 20.0)
    runs = 4000
    result = run_risk(flights, crew, _supply(flights, 1000.0, 400), vehicles, runs, seed=13)
    expected = math.exp(-1.0)
    assert result.p_crew_reduction == pytest.approx(
        expected, abs=_binomial_tolerance(expected, runs)
    )


def test_same_seed_same_result_and_chunking_matters_not_the_executor() -> None:
    flights, crew, vehicles = _rotation(0.3, 15.0)
    flights = [*flights, _cargo("C1", 100, 200.0)]
    vehicles["Freighter"] = _risk(p_loss=0.2, slip=20.0)
    supply = _supply(flights, 200.0, 400, reserve_kg=20.0)
    one = run_risk(flights, crew, supply, vehicles, runs=250, seed=42, chunk_runs=100)
    two = run_risk(flights, crew, supply, vehicles, runs=250, seed=42, chunk_runs=100)
    assert one == two
    assert np.array_equal(one.samples.margin_days, two.samples.margin_days)
    other = run_risk(flights, crew, supply, vehicles, runs=250, seed=43, chunk_runs=100)
    assert not np.array_equal(one.samples.margin_days, other.samples.margin_days)


def test_distributed_cluster_gives_the_in_process_result() -> None:
    flights, crew, vehicles = _rotation(0.3, 15.0)
    flights = [*flights, _cargo("C1", 100, 200.0)]
    vehicles["Freighter"] = _risk(p_loss=0.2, slip=20.0)
    supply = _supply(flights, 200.0, 400, reserve_kg=20.0)
    local = run_risk(flights, crew, supply, vehicles, runs=400, seed=9, chunk_runs=100)
    try:
        from distributed import LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
    except Exception as error:  # any failure to start is a reason to skip, not a failure
        reason = f"distributed cannot start a local cluster: {error!r}"
        print(reason)
        pytest.skip(reason)
    with cluster:
        remote = run_risk(
            flights,
            crew,
            supply,
            vehicles,
            runs=400,
            seed=9,
            chunk_runs=100,
            scheduler=cluster.scheduler_address,
        )
    assert remote == local
    assert np.array_equal(remote.samples.first_break_day, local.samples.first_break_day)
    assert np.array_equal(remote.samples.lifeboat_break, local.samples.lifeboat_break)


def test_slip_sensitivity_of_each_cargo_flight() -> None:
    # 60 kg at 1 kg/day; A (day 50) brings 30 kg, B (day 80) 100 kg. On time: lowest stock
    # 10 kg (days 49 and 79). A 30 days late: empty at the end of day 59, -1 kg on day 60.
    # B 30 days late (day 110): 90 - (d + 1) < 0 from day 90.
    flights = [_cargo("A", 50, 30.0), _cargo("B", 80, 100.0)]
    rows = slip_sensitivity(flights, _supply(flights, 60.0, 120))
    assert [(r.flight, r.first_break_day, r.class_name) for r in rows] == [
        ("A", 60, "food"),
        ("B", 90, "food"),
    ]
    assert rows[0].first_break_utc == _at(60)
    assert all(r.nominal_first_break_day is None for r in rows)


def test_carrier_split_and_input_checks() -> None:
    flight = _cargo("C1", 10, 1000.0).model_copy(update={"propellant_kg": 500.0})
    split = np.array([[0.4, 0.0, 0.0], [0.6, 0.0, 1.0]])
    assert carrier_deliveries([flight], split).tolist() == [[400.0], [1100.0]]
    with pytest.raises(ValueError, match="no loss and slip model"):
        run_risk([flight], [], _supply([flight], 10.0, 20), {}, runs=1, seed=0)
    with pytest.raises(ValueError, match="reserve_kg"):
        SupplyDemand(("a",), START, np.ones((1, 5)), np.ones(1), np.ones((1, 4)), np.ones((1, 0)))


def test_vehicle_risks_from_the_scenario() -> None:
    ferry = Vehicle.model_validate(
        {
            "name": "Ferry",
            "role": "crew",
            "operator": "AAA",
            "launch_sites": ["Pad"],
            "crew_seats": 3,
            "compatible_port_types": ["IDSS"],
            "max_flights_per_year": 2,
            "cost_per_flight_musd": 50,
            "ascent_duration_s": 600,
            "rendezvous_strategy": "2orbit",
            "docked_duration_days": 200,
            "mean_slip_days": 7,
            "loss_probability": 0.02,
        }
    )
    unknown = ferry.model_copy(update={"name": "Glider", "loss_probability": None})
    # An empty record: every family and the pool are the Jeffreys prior, mean 1/2.
    risks = vehicle_risks([ferry, unknown], loss_table([]))
    assert risks["Ferry"] == VehicleRisk(0.02, 7.0, 200.0)
    assert risks["Glider"].loss_probability == 0.5
