"""One year of the station at 60 s with ITRS, geodetic and eclipse flags, vs bare SGP4.

Goal: the full pipeline within 1.5x the bare propagation of the same epochs, in the
same run. Prints figures, then one JSON line.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import numpy as np
from sgp4.api import SatrecArray

from stationplan.orbit import events, frames
from stationplan.orbit.elements import parse_tle
from stationplan.orbit.propagate import propagate_sgp4
from stationplan.orbit.timescale import time_grid, utc_jd_parts

LINE1 = "1 25544U 98067A   24345.25157410  .00018876  00000-0  33265-3 0  9995"
LINE2 = "2 25544  51.6398 163.0983 0006803 323.0160 207.4428 15.50429917485856"


def best_of(n: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    el = parse_tle(LINE1, LINE2, "ISS")
    t = time_grid(datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), 60.0)
    jd, fr = utc_jd_parts(t)
    n = len(jd)

    def bare() -> None:
        SatrecArray([el.satrec]).sgp4(jd, fr)

    def full() -> None:
        res = propagate_sgp4(el, t)
        r, v = res.r_teme_km[0], res.v_teme_km_s[0]
        r_itrs, _ = frames.teme_to_itrs(r, v, t)
        frames.itrs_to_geodetic(r_itrs)
        events.shadow_state(r, t)

    frames._NODE_CACHE.clear()
    cold = best_of(1, full)
    bare_s = best_of(3, bare)
    full_s = best_of(3, full)
    print(f"epochs: {n:,} (one year at 60 s)")
    print(f"bare SGP4 (SatrecArray): {bare_s:.3f} s")
    print(f"SGP4 + ITRS + geodetic + eclipse flags: {full_s:.3f} s (first run {cold:.3f} s)")
    print(f"ratio: {full_s / bare_s:.2f} (goal <= 1.5)")
    print(
        json.dumps(
            {
                "epochs": n,
                "bare_sgp4_s": round(bare_s, 4),
                "wall_s": round(full_s, 4),
                "first_run_s": round(cold, 4),
                "ratio_to_raw_sgp4": round(full_s / bare_s, 3),
            }
        )
    )


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
