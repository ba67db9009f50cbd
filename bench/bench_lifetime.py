"""Six years of altitude keeping for an ISS-like station, against the Cowell cost estimate.

Goal: well under 20 s on 2 cores. Station: 420 t, drag area 1,000 m^2 growing to 2,000 m^2 as
modules are added, C_D 2.2, ISS inclination, mean altitude held in 400-420 km by Hohmann
reboosts (Isp 300 s, 2.95 kN), 2025-2030 under a schematic solar cycle (monthly F10.7 from
~190 sfu at the cycle-25 maximum, late 2024, down to ~70 sfu at the minimum, ~2030.4; Ap 12;
not a forecast). Baseline measured in the same run: the Cowell propagator's cost per simulated
day (same station and atmosphere, J2-J6, drag, no SRP; half a day integrated), extrapolated to
six years. Prints figures, then one JSON line.
"""

from __future__ import annotations

import json
import math
import time
from datetime import UTC, datetime

import numpy as np

from stationplan.orbit.decay import DecayModel, DragBody, StepSchedule
from stationplan.orbit.elements import from_mean_elements
from stationplan.orbit.numerical import ForceModel, cowell_from_satrec
from stationplan.orbit.reboost import plan_altitude_keeping
from stationplan.orbit.spaceweather import SpaceWeather

START = datetime(2025, 1, 1, tzinfo=UTC)
END = datetime(2031, 1, 1, tzinfo=UTC)
INC_DEG = 51.64
MASS_KG = 420_000.0
BAND_KM = (400.0, 420.0)


def solar_cycle() -> SpaceWeather:
    """Monthly F10.7 = 70 + 120 cos^2(pi (year - 2024.9) / 11) sfu (81-day mean the same)."""
    rows = []
    for year in range(2024, 2032):
        for month in range(1, 13):
            t = year + (month - 0.5) / 12.0
            f107 = 70.0 + 120.0 * math.cos(math.pi * (t - 2024.9) / 11.0) ** 2
            rows.append((datetime(year, month, 1, tzinfo=UTC), f107, f107, 12.0))
    return SpaceWeather.from_table(rows, source="schematic solar cycle 25")


def main() -> None:
    weather = solar_cycle()
    area = StepSchedule.from_rows(
        [
            (datetime(2025, 1, 1, tzinfo=UTC), 1000.0),
            (datetime(2027, 1, 1, tzinfo=UTC), 1500.0),
            (datetime(2029, 1, 1, tzinfo=UTC), 2000.0),
        ],
        "drag_area_m2",
    )
    model = DecayModel(INC_DEG, DragBody(MASS_KG, area), weather)

    started = time.perf_counter()
    plan = plan_altitude_keeping(
        model, START, END, BAND_KM, isp_s=300.0, thrust_n=2950.0, raan_deg=0.0
    )
    wall_s = time.perf_counter() - started
    span_days = (END - START).total_seconds() / 86400.0

    # Baseline: Cowell with the same station and atmosphere, half a day.
    el = from_mean_elements(410.0, INC_DEG, 0.0, 0.0, START, eccentricity=0.0005)
    force = ForceModel(
        mass_kg=MASS_KG, drag_area_m2=1000.0, srp_area_m2=0.0, space_weather=weather, srp=False
    )
    cowell = cowell_from_satrec(el.satrec, np.array([43200.0]), force, keep_dense=False)
    cowell_per_day_s = cowell.wall_time_s / 0.5
    cowell_estimate_s = cowell_per_day_s * span_days

    print(f"span: {START:%Y-%m-%d} .. {END:%Y-%m-%d} ({span_days:.0f} days)")
    print(
        f"station {MASS_KG / 1e3:.0f} t, drag area 1,000 -> 1,500 -> 2,000 m^2, band "
        f"{BAND_KM[0]:.0f}-{BAND_KM[1]:.0f} km, Isp 300 s, 2.95 kN"
    )
    for year in plan.years:
        print(
            f"  {year.year}: {year.reboosts} reboost(s), {year.dv_m_s:6.1f} m/s, "
            f"{year.propellant_kg:7,.0f} kg, {year.burn_s / 60:5.0f} min of burn"
        )
    print(
        f"reboosts: {len(plan.reboosts)}, total {plan.total_dv_m_s:.1f} m/s, "
        f"{plan.total_propellant_kg:,.0f} kg; feasible: {plan.feasible}"
    )
    if plan.reboosts:
        intervals = [r.interval_days for r in plan.reboosts]
        print(f"interval between reboosts: {min(intervals):.0f}-{max(intervals):.0f} days")
    rates = -plan.history.rate_km_day
    print(f"decay rate: {rates.min() * 1e3:.0f}-{rates.max() * 1e3:.0f} m/day")
    print(
        f"decay model + planner: {wall_s:.2f} s ({plan.history.msis_points:,} NRLMSIS points, "
        f"{plan.history.t_s.size:,} history points)"
    )
    print(
        f"Cowell: {cowell_per_day_s:.2f} s per simulated day ({cowell.nfev} calls for 0.5 day)"
        f" -> {cowell_estimate_s:,.0f} s estimated for the span"
    )
    print(f"ratio to the Cowell estimate: {wall_s / cowell_estimate_s:.5f} (goal: wall < 20 s)")
    print(
        json.dumps(
            {
                "wall_s": round(wall_s, 3),
                "cowell_estimate_s": round(cowell_estimate_s, 1),
                "ratio_to_cowell_estimate": round(wall_s / cowell_estimate_s, 6),
                "reboosts": len(plan.reboosts),
                "propellant_kg": round(plan.total_propellant_kg, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
