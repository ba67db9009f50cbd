"""Power budget: eclipse geometry, array degradation, battery state of charge, deficit runs.

Hand figures used throughout, for a circular orbit at h = 400 km (R = 6378.137 km,
mu = 398600.4418 km^3/s^2): r = 6778.137 km; period P = 2 pi sqrt(r^3 / mu) = 5553.62 s =
1.542673 h, so 86400 / P = 15.5574 orbits a day. At beta 0 the cylindrical shadow covers
asin(R / r) / pi = asin(0.940987) / pi = 1.225101 / pi = 0.390100 of the orbit (shadow edge at
beta* = asin(R / r) = 70.218 deg). Sunlight t_s = 0.609900 P = 0.940877 h, shadow t_e =
0.390100 P = 0.601796 h.

Most cases use lossless paths (efficiencies 1) so that a day's margin is simply
24 h x (G x 0.6099 - L).
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from stationplan.errors import ArgumentError
from stationplan.ops.assembly import build_station
from stationplan.ops.power import BATTERY_KWH_PER_ARRAY_KW, PowerBudget, power_budget
from stationplan.scenario.models import Station
from tests.ops.scenarios import MINI, parse

T_S_H = 0.940877
T_E_H = 0.601796
ORBITS = 15.5574
START = datetime(2030, 1, 1, tzinfo=UTC)
LOSSLESS = {
    "power_distribution_efficiency": 1.0,
    "battery_charge_efficiency": 1.0,
    "battery_discharge_efficiency": 1.0,
    "battery_min_soc_fraction": 0.0,
}


def _station(modules: list[dict[str, Any]], **fields: Any) -> Station:
    spec: dict[str, Any] = {
        "name": "Test",
        "orbit": {
            "altitude_km": 400,
            "inclination_deg": 51.64,
            "raan_deg": 0.0,
            "arg_latitude_deg": 0.0,
            "epoch_utc": "2030-01-01",
        },
        "mass_kg": 0,
        "drag_area_m2": 0,
        "min_altitude_km": 380,
        "max_altitude_km": 420,
        "modules": [{"owner": "AAA", "mass_kg": 1000, **m} for m in modules],
    }
    spec.update(fields)
    return Station.model_validate(spec)


def _module(name: str = "Core", **fields: Any) -> dict[str, Any]:
    return {"name": name, "array_degradation_pct_per_year": 0.0, **fields}


def _run(
    station: Station,
    days: int = 3,
    beta_deg: float | np.ndarray = 0.0,
    altitude_km: float = 400.0,
    crew: float | np.ndarray = 0.0,
    start: datetime = START,
) -> PowerBudget:
    dates = [start + timedelta(days=i) for i in range(days)]
    return power_budget(
        station,
        build_station(station),
        dates,
        np.broadcast_to(np.asarray(beta_deg, dtype=float), (days,)).copy(),
        np.full(days, altitude_km),
        np.broadcast_to(np.asarray(crew, dtype=float), (days,)).copy(),
    )


def test_eclipse_fraction_from_geometry() -> None:
    """Beta 0 at 400 km: asin(R / (R + h)) / pi = 0.3901 (header). Beta 75 deg is past the
    shadow edge (70.2 deg): no eclipse. 15.5574 orbits a day."""
    station = _station([_module(power_generation_kw=10)], **LOSSLESS)
    budget = _run(station, days=2, beta_deg=np.array([0.0, 75.0]))
    assert budget.eclipse_fraction[0] == pytest.approx(0.390100, abs=2e-5)
    assert budget.eclipse_fraction[1] == 0.0
    assert budget.orbits_per_day[0] == pytest.approx(ORBITS, abs=1e-4)
    assert budget.beta_deg == [0.0, 75.0]


def test_lossless_margin_is_generation_minus_load() -> None:
    """G = 100 kW, L = 50 kW, lossless: generation 100 x 0.6099 x 24 = 1463.76 kWh, load
    50 x 24 = 1200 kWh, margin 263.76 kWh a day; no deficit."""
    station = _station([_module(power_generation_kw=100, power_load_kw=50)], **LOSSLESS)
    budget = _run(station)
    assert budget.generation_kwh[0] == pytest.approx(1463.76, abs=0.05)
    assert budget.load_kwh[0] == pytest.approx(1200.0)
    assert budget.margin_kwh[0] == pytest.approx(263.76, abs=0.05)
    assert budget.deficits == []


def test_path_losses_turn_the_same_day_negative() -> None:
    """Same G and L with the default paths X_d = 0.85, X_e = 0.85 x 0.875^2 = 0.65078 (SMAD's
    0.65): direct 50 kW x 0.6099 = 30.495; surplus (100 - 50/0.85) = 41.176 kW x 0.6099 x
    0.65078 = 16.343; per hour of orbit 30.495 + 16.343 - 50 = -3.162 kW, so -75.88 kWh a
    day."""
    station = _station(
        [_module(power_generation_kw=100, power_load_kw=50, battery_capacity_kwh=1000)],
        power_distribution_efficiency=0.85,
        battery_charge_efficiency=0.875,
        battery_discharge_efficiency=0.875,
    )
    budget = _run(station, days=2)
    assert budget.margin_kwh[0] == pytest.approx(-75.88, abs=0.05)
    assert len(budget.deficits) == 1
    assert budget.deficits[0].days == 2


def test_battery_too_small_runs_flat_in_eclipse() -> None:
    """L = 50 kW draws 50 x 0.601796 = 30.09 kWh in each shadow. A 20 kWh battery empties
    (state of charge 0, the floor: loads shed) although the day's margin is positive; a 100 kWh
    battery ends each shadow at 1 - 30.09 / 100 = 0.699 (the sunlight surplus, 50 x 0.9409 =
    47.0 kWh, refills it)."""
    small = _station(
        [_module(power_generation_kw=100, power_load_kw=50, battery_capacity_kwh=20)], **LOSSLESS
    )
    budget = _run(small)
    assert budget.margin_kwh[0] > 0.0 and budget.deficits == []
    assert budget.min_soc_fraction == [0.0, 0.0, 0.0]
    assert budget.soc_floor_reached == [True, True, True]

    large = _station(
        [_module(power_generation_kw=100, power_load_kw=50, battery_capacity_kwh=100)], **LOSSLESS
    )
    budget = _run(large)
    assert budget.min_soc_fraction[0] == pytest.approx(1 - 50 * T_E_H / 100, abs=1e-5)
    assert budget.min_soc_fraction[2] == pytest.approx(0.699, abs=1e-3)
    assert budget.soc_floor_reached == [False, False, False]


def test_minimum_state_of_charge_is_a_floor() -> None:
    """The 100 kWh battery above, floor 0.75: the shadow would take it to 0.699, so it is held
    at 0.75 and the day is flagged."""
    station = _station(
        [_module(power_generation_kw=100, power_load_kw=50, battery_capacity_kwh=100)],
        **{**LOSSLESS, "battery_min_soc_fraction": 0.75},
    )
    budget = _run(station)
    assert budget.min_soc_fraction[1] == pytest.approx(0.75)
    assert budget.soc_floor_reached[1] is True


def test_degradation_after_ten_years() -> None:
    """A 100 kW array launched 2020-01-01 losing 2.5 %/year: on 2030-01-01, 3653 days =
    10.0014 Julian years later, 100 x (1 - 0.025 x 10.0014) = 74.997 kW; after 40 years
    (2060-01-02, 40.0027 years) nothing is left. An element in orbit at the start counts its
    age from the first day: 100 kW then, 100 x (1 - 0.025 x 2 / 365.25) = 99.986 kW two days
    on."""
    launched = _station(
        [
            _module(
                launch_utc="2020-01-01",
                power_generation_kw=100,
                array_degradation_pct_per_year=2.5,
            )
        ],
        **LOSSLESS,
    )
    budget = _run(launched, days=1)
    assert budget.array_kw[0] == pytest.approx(74.997, abs=1e-3)
    assert _run(launched, days=1, start=datetime(2060, 1, 2, tzinfo=UTC)).array_kw[0] == 0.0

    in_orbit = _station(
        [_module(power_generation_kw=100, array_degradation_pct_per_year=2.5)], **LOSSLESS
    )
    budget = _run(in_orbit, days=3)
    assert budget.array_kw[0] == 100.0
    assert budget.array_kw[2] == pytest.approx(99.986, abs=1e-3)


def test_alpha_only_arrays_lose_cos_beta() -> None:
    """Beta 60 deg: cos 60 = 0.5 of 100 kW with alpha-only tracking; 100 kW with both gimbals."""
    modules = [_module(power_generation_kw=100)]
    two_axis = _run(_station(modules, **LOSSLESS), days=1, beta_deg=60.0)
    alpha = _run(
        _station(modules, solar_array_tracking="alpha_only", **LOSSLESS), days=1, beta_deg=60.0
    )
    assert two_axis.array_kw == [100.0]
    assert alpha.array_kw[0] == pytest.approx(50.0)


def test_negative_run_of_days_and_battery_carry_over() -> None:
    """G = 100 kW, modules 40 kW, 1 kW per crew member; 30 crew aboard on days 3-5 only
    (L = 70 kW), 1000 kWh battery, lossless.

    Days 3-5 each: margin 24 x (60.99 - 70) = -216.24 kWh, -13.899 kWh per orbit; one run of 3
    days, 3 x 15.5574 = 46.7 -> 47 orbits, deficit -648.72 kWh. Battery (kWh below full at
    the end of each shadow): at L = 40 each orbit charges 60 x 0.940877 = 56.45 and draws
    40 x 0.601796 = 24.07, so days 0-2 end at 24.07. At L = 70 each orbit gains 30 x 0.940877 =
    28.23 and draws 70 x 0.601796 = 42.13, a net 13.899: day 3's first sunlight fills the
    battery, its shadows end at 28.23 + 15.5574 x 13.899 = 244.47, day 4 at 460.70, day 5 at
    676.94 (state of charge 0.3231). Day 6 (L = 40) recovers 32.38 an orbit: its first shadow
    ends at 644.56 (0.3554), its deepest."""
    station = _station(
        [_module(power_generation_kw=100, power_load_kw=40, battery_capacity_kwh=1000)],
        crew_power_load_kw_per_person=1.0,
        **LOSSLESS,
    )
    crew = np.array([0, 0, 0, 30, 30, 30, 0, 0, 0, 0], dtype=float)
    budget = _run(station, days=10, crew=crew)
    assert budget.load_kw[3] == 70.0
    assert budget.margin_kwh[4] == pytest.approx(-216.24, abs=0.05)
    assert len(budget.deficits) == 1
    run = budget.deficits[0]
    assert (run.first_day_utc, run.last_day_utc) == (START + timedelta(3), START + timedelta(5))
    assert (run.days, run.orbits) == (3, 47)
    assert run.worst_margin_kwh_per_orbit == pytest.approx(-13.899, abs=1e-3)
    assert run.deficit_kwh == pytest.approx(-648.72, abs=0.1)
    assert budget.min_soc_fraction[2] == pytest.approx(1 - 24.07 / 1000, abs=1e-5)
    assert budget.min_soc_fraction[3] == pytest.approx(1 - 244.47 / 1000, abs=1e-4)
    assert budget.min_soc_fraction[5] == pytest.approx(0.3231, abs=1e-4)
    assert run.min_soc_fraction == budget.min_soc_fraction[5]
    assert budget.min_soc_fraction[6] == pytest.approx(0.3554, abs=1e-4)
    assert budget.soc_floor_reached == [False] * 10


def _orbit_by_orbit(
    c_kwh: np.ndarray, e_kwh: np.ndarray, orbits: int, depth_max_kwh: float, capacity_kwh: float
) -> np.ndarray:
    """Lowest state of charge of each day, stepping every orbit (the reference)."""
    depth, out = 0.0, []
    for c, e in zip(c_kwh, e_kwh, strict=True):
        lowest = 1.0
        for _ in range(orbits):
            depth = min(max(depth - c, 0.0) + e, depth_max_kwh)
            lowest = min(lowest, 1.0 - depth / capacity_kwh)
        out.append(lowest)
    return np.array(out)


def test_daily_scan_matches_an_orbit_by_orbit_loop() -> None:
    """At 274.42 km the period is 5400 s, exactly 16 orbits a day. Random loads over 60 days
    (some above what the arrays carry, some the battery floor stops): the prefix scan of the
    days' clamps gives the same lowest state of charge as stepping all 960 orbits."""
    rng = np.random.default_rng(7)
    crew = rng.uniform(0.0, 60.0, 60)
    station = _station(
        [_module(power_generation_kw=100, power_load_kw=30, battery_capacity_kwh=300)],
        crew_power_load_kw_per_person=1.0,
        power_distribution_efficiency=0.9,
        battery_charge_efficiency=0.95,
        battery_discharge_efficiency=0.9,
        battery_min_soc_fraction=0.2,
    )
    beta = rng.uniform(-75.0, 75.0, 60)
    budget = _run(station, days=60, beta_deg=beta, altitude_km=274.4187013, crew=crew)
    assert budget.orbits_per_day[0] == pytest.approx(16.0, abs=1e-6)
    period_h = 1.5
    f_e = np.array(budget.eclipse_fraction)
    load = np.array(budget.load_kw)
    sun_h, shadow_h = (1 - f_e) * period_h, f_e * period_h
    c = np.where(
        100 - load / 0.9 >= 0,
        (100 - load / 0.9) * sun_h * 0.95,
        -(load - 100 * 0.9) * sun_h / (0.9 * 0.9),
    )
    e = load * shadow_h / (0.9 * 0.9)
    expected = _orbit_by_orbit(c, e, 16, 300 * 0.8, 300)
    assert np.allclose(budget.min_soc_fraction, expected, atol=1e-9)
    assert any(budget.soc_floor_reached) and not all(budget.soc_floor_reached)


def test_build_up_adds_arrays_loads_and_batteries_from_launch() -> None:
    """A 50 kW array with a 40 kWh battery launched on day 1 (2030-01-02): day 0 has only the
    core (10 kW, no load, battery 0.75 x 10 = 7.5 kWh by default); from day 1, 60 kW, the
    array module's 5 kW load and 47.5 kWh."""
    station = _station(
        [
            _module(power_generation_kw=10),
            _module(
                "Truss",
                launch_utc="2030-01-02",
                power_generation_kw=50,
                power_load_kw=5,
                battery_capacity_kwh=40,
            ),
        ],
        **LOSSLESS,
    )
    budget = _run(station, days=3)
    assert budget.array_kw == [10.0, 60.0, 60.0]
    assert budget.load_kw == [0.0, 5.0, 5.0]
    assert budget.battery_capacity_kwh == pytest.approx([7.5, 47.5, 47.5])
    assert BATTERY_KWH_PER_ARRAY_KW == 0.75


def test_iss_eight_wings_against_nasa_figures() -> None:
    """ISS at assembly complete: eight wings of about 30 kW, 240 kW in sunlight (NASA Glenn
    Research Center, "Solar Array Deployment", 2006: 32 kW a wing; NASA STS-119 mission
    overview, 2009: the station's arrays give 84 to 120 kW of usable electricity), 48 Ni-H2
    battery ORUs of 4 kWh, 192 kWh (Dalton, Cohen & Hajela, NASA, 2002), designed for 35 %
    depth of discharge (Dalton et al., NASA Aerospace Battery Workshop, 2018). Scenario
    defaults for the paths (SMAD X_d 0.85, X_e 0.65).

    Worst case, beta 0 at 400 km: the orbit balances at L = 240 x 0.6099 / (0.6099 / 0.85 +
    0.3901 / 0.65078) = 146.38 / 1.31697 = 111.1 kW, inside NASA's 84-120 kW: positive at 84,
    negative at 120. At 84 kW the shadow takes 84 x 0.601796 / (0.875 x 0.85) = 67.97 kWh,
    35.4 % of 192 kWh: the batteries' design depth."""
    station = _station(
        [_module(power_generation_kw=240, battery_capacity_kwh=192)],
        crew_power_load_kw_per_person=1.0,
        battery_min_soc_fraction=0.0,
    )
    budget = _run(station, days=3, crew=np.array([84.0, 111.0, 120.0]))
    assert budget.margin_kwh[0] > 0.0
    assert abs(budget.margin_kwh[1]) < 0.02 * 111 * 24  # balanced within 2 % of the load
    assert budget.margin_kwh[2] < 0.0
    depth_at_84_kw = 1.0 - budget.min_soc_fraction[0]
    assert depth_at_84_kw == pytest.approx(0.354, abs=1e-3)
    assert math.isclose(depth_at_84_kw, 0.35, abs_tol=0.01)


def test_inputs_are_checked() -> None:
    station = _station([_module(power_generation_kw=10)])
    build = build_station(station)
    days = [START, START + timedelta(days=1)]
    with pytest.raises(ArgumentError, match="one value a day"):
        power_budget(station, build, days, np.zeros(3), np.full(2, 400.0), np.zeros(2))
    with pytest.raises(ArgumentError, match="crew_aboard"):
        power_budget(station, build, days, np.zeros(2), np.full(2, 400.0), np.array([1, -1.0]))
    with pytest.raises(ArgumentError, match="increasing"):
        power_budget(station, build, days[::-1], np.zeros(2), np.full(2, 400.0), np.zeros(2))
    assert power_budget(station, build, [], np.zeros(0), np.zeros(0), np.zeros(0)).deficits == []


def test_existing_scenarios_get_the_defaults() -> None:
    """MINI states none of the new fields: two-axis arrays, SMAD paths, 35 % depth, 2.5 %/year,
    batteries sized 0.75 kWh per array kW."""
    alpha = parse(MINI).scenario.stations[0]
    assert alpha.solar_array_tracking == "two_axis"
    assert (alpha.power_distribution_efficiency, alpha.battery_min_soc_fraction) == (0.85, 0.65)
    assert all(m.battery_capacity_kwh is None for m in alpha.modules)
    assert {m.array_degradation_pct_per_year for m in alpha.modules} == {2.5}


def test_fifteen_years_take_milliseconds() -> None:
    """5479 days with changing beta, altitude and crew; generous bound for a shared machine."""
    days = 5479
    station = _station([_module(power_generation_kw=120, power_load_kw=60)])
    k = np.arange(days, dtype=float)
    dates = [START + timedelta(days=i) for i in range(days)]
    beta = 70.0 * np.sin(k / 30.0)
    altitude = 400.0 + 15.0 * np.sin(k / 90.0)
    crew = 3.0 + 3.0 * (np.sin(k / 45.0) > 0)
    t0 = time.perf_counter()
    budget = power_budget(station, build_station(station), dates, beta, altitude, crew)
    assert time.perf_counter() - t0 < 0.5
    assert len(budget.margin_kwh) == days
