"""One year of launch windows (with insertion phase and profile options) from two sites.

Goal: under 0.5 s. Baseline in the same run: bare SGP4 of the station at a 600-s step for the
same year (the sampling of the earlier fixed-step search; the search now samples each site at
its own step, up to an hour). Prints figures, then one JSON line.
"""

from __future__ import annotations

import json
import time

import numpy as np
from sgp4.api import SatrecArray

from stationplan.orbit import frames
from stationplan.orbit.elements import parse_tle, summarize
from stationplan.orbit.launch import AscentProfile, Pad, windows_with_phasing
from stationplan.orbit.propagate import sgp4_trajectory
from stationplan.orbit.timescale import timescale, utc_jd_parts

LINE1 = "1 25544U 98067A   24345.25157410  .00018876  00000-0  33265-3 0  9995"
LINE2 = "2 25544  51.6398 163.0983 0006803 323.0160 207.4428 15.50429917485856"
SITES = {
    "Baikonur Site 31": (
        Pad(45.996, 63.564, 100.0),
        [(33.0, 70.0)],
        AscentProfile(528.0, "2orbit", 220.0, 0.0, 162.0),
    ),
    "Kennedy LC-39A": (
        Pad(28.608, -80.604, 3.0),
        [(35.0, 120.0)],
        AscentProfile(720.0, "1day", 210.0, 0.1, 0.0),
    ),
}


BASELINE_STEP_S = 600.0


def run_year() -> int:
    ts = timescale()
    el = parse_tle(LINE1, LINE2, "ISS")
    s = summarize(el)
    total = 0
    for pad, ranges, profile in SITES.values():
        total += len(
            windows_with_phasing(
                sgp4_trajectory(el),
                pad,
                ts.utc(2025, 1, 1),
                ts.utc(2026, 1, 1),
                profile,
                s.mean_altitude_km,
                s.inclination_deg,
                ranges,
            )
        )
    return total


def main() -> None:
    ts = timescale()
    el = parse_tle(LINE1, LINE2, "ISS")
    grid = ts.utc(2025, 1, 1, 0, 0, np.arange(0.0, 365 * 86400.0, BASELINE_STEP_S))
    jd, fr = utc_jd_parts(grid)
    started = time.perf_counter()
    SatrecArray([el.satrec]).sgp4(jd, fr)
    baseline = time.perf_counter() - started
    frames._NODE_CACHE.clear()
    started = time.perf_counter()
    n = run_year()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    run_year()
    warm = time.perf_counter() - started
    print(f"windows: {n} (one year, two sites, with phase angles and profiles)")
    print(f"first run (computes the year's frame nodes): {cold:.3f} s; again: {warm:.3f} s")
    print(f"baseline, bare SGP4 at a {BASELINE_STEP_S:.0f}-s step: {baseline:.4f} s")
    print(
        json.dumps(
            {
                "windows": n,
                "wall_s": round(cold, 3),
                "warm_s": round(warm, 3),
                "ratio_to_bare_sgp4_search_grid": round(cold / baseline, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
