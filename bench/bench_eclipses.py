"""One year of ISS eclipse passes (the 2015-03-27 element set), against plain 5-s sampling.

Our search (orbit/events.eclipse_passes: shadow depths sampled at 120 s in 8-day chunks,
per-orbit minima refined, boundaries bisected to 1 ms) against a baseline computed in the
same run: the shadow state sampled every 5 s, one day at a time, passes counted from its
changes (what a vectorised brute force costs, with 5-s resolution only). Prints figures,
then one JSON line. Peak RSS is the process's (resource.getrusage ru_maxrss), read after our
search and again after the baseline.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import numpy as np
from skyfield.timelib import Time

from stationplan.orbit import events, frames
from stationplan.orbit.element_files import read_elements
from stationplan.orbit.propagate import sgp4_trajectory
from stationplan.orbit.timescale import offset, timescale

TLE = Path(__file__).resolve().parents[2] / "shared/data/tle/iss/iss_25544_2015-03-27.tle"
DAY_S = 86400.0
BASELINE_STEP_S = 5.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def baseline_passes(state: events.StateFunction, t0: Time, days: int) -> int:
    """Passes (sunlit -> shadow changes) from the shadow state sampled every 5 s, day by day;
    each day's grid includes the next day's first sample so no change is lost at midnight."""
    passes = 0
    for day in range(days):
        t = offset(t0, day * DAY_S + np.arange(0.0, DAY_S + BASELINE_STEP_S, BASELINE_STEP_S))
        shadow = events.shadow_state(state(t)[0], t)
        passes += int(
            np.count_nonzero((shadow[:-1] == events.SUNLIT) & (shadow[1:] != events.SUNLIT))
        )
    return passes


def main() -> None:
    el = read_elements(TLE).elements[0]
    state = sgp4_trajectory(el)
    ts = timescale()
    t0, t1 = ts.utc(2015, 3, 27), ts.utc(2016, 3, 27)
    days = round(float(t1.tt - t0.tt))

    frames.clear_caches()
    started = time.perf_counter()
    passes = events.eclipse_passes(state, t0, t1)
    cold_s = time.perf_counter() - started
    rss_ours = peak_rss_mb()
    started = time.perf_counter()
    events.eclipse_passes(state, t0, t1)
    warm_s = time.perf_counter() - started
    grazes = sum(p.umbra_entry_jd_tt is None for p in passes)

    started = time.perf_counter()
    n_baseline = baseline_passes(state, t0, days)
    baseline_s = time.perf_counter() - started
    rss_all = peak_rss_mb()

    print(f"span: {days} days, ISS 2015-03-27 element set")
    print(f"eclipse_passes: {cold_s:.3f} s cold (empty frame caches), {warm_s:.3f} s warm")
    print(f"passes: {len(passes):,} ({grazes} penumbra-only)")
    print(f"peak RSS after our search: {rss_ours:.0f} MB")
    print(
        f"baseline (5-s sampling day by day): {baseline_s:.3f} s, {n_baseline:,} passes, "
        f"peak RSS {rss_all:.0f} MB"
    )
    print(f"ratio ours / baseline: {cold_s / baseline_s:.3f} (cold)")
    print(
        json.dumps(
            {
                "days": days,
                "passes": len(passes),
                "penumbra_only_passes": grazes,
                "wall_s": round(cold_s, 4),
                "warm_s": round(warm_s, 4),
                "peak_rss_mb": round(rss_ours, 1),
                "baseline_s": round(baseline_s, 4),
                "baseline_passes": n_baseline,
                "peak_rss_after_baseline_mb": round(rss_all, 1),
                "ratio_to_baseline": round(cold_s / baseline_s, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
