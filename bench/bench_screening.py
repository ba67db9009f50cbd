"""Conjunction screening speed: a station against a whole catalog over 7 days, and all-vs-all.

1. The ISS against the full Space-Track catalog snapshot of 2022-01-22 (23,939 objects), 7
   days from 2022-01-23, 5 km (goal <= 5 s wall and <= 2 GB peak memory on 2 cores), each run
   in a fresh process so its peak RSS is its own.
2. The same against a synthetic 25,000-object LEO catalog built from the snapshot's LEO
   objects (each copy turned in RAAN and mean anomaly), since the snapshot holds fewer.
3. The baseline measured in the same run: a brute-force SGP4 scan at 60 s of the ISS against
   every object (a sample of 2,000 objects timed and scaled to the catalog), and its ratio.
4. All-vs-all over the LEO part of the snapshot (mean motion > 11.25 rev/day) for 2 hours,
   with the time scaled to 7 days. For reference, ESA's cascade screens the whole LEO
   population over 7 days at 5 km in about 25 s on 32 threads.

Prints figures, then one JSON line.
"""

from __future__ import annotations

import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

CATALOG = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "tle"
    / "catalog"
    / "spacetrack_full_catalog_3le_2022-01-22_ReeceHumphreys-ODAP.3le"
)
START_JD = (2459603.5, 0.0)  # 2022-01-23 00:00 UTC
DAYS = 7.0
THRESHOLD_KM = 5.0
SYNTHETIC_SIZE = 25_000


def _synthetic(leo: list, size: int) -> list:  # type: ignore[type-arg]
    """``size`` LEO element sets: the originals, then copies turned in RAAN and mean anomaly
    by golden-ratio steps (same shells and inclinations, new places on them)."""
    from stationplan.orbit.elements import PortableElements

    out = list(leo)
    k = 0
    while len(out) < size:
        src = leo[k % len(leo)]
        k += 1
        p = PortableElements.of(src)
        turn = (k * 0.6180339887498949) % 1.0
        q = PortableElements(
            **{
                **p.__dict__,
                "catalog_number": 900000 + k,
                "satnum": 0,
                "nodeo": (p.nodeo + 2 * math.pi * turn) % (2 * math.pi),
                "mo": (p.mo + 2 * math.pi * ((turn * 7.0) % 1.0)) % (2 * math.pi),
                "name": f"{src.name} (copy)",
            }
        )
        out.append(q.element_set())
    return out[:size]


def run_one(which: str) -> None:
    """One screening in this process; prints a JSON line with its time and peak RSS."""
    from stationplan.orbit.element_files import read_elements
    from stationplan.orbit.screening import screen

    catalog = list(read_elements(CATALOG).elements)
    iss = next(e for e in catalog if e.catalog_number == 25544)
    if which == "synthetic":
        leo = [e for e in catalog if e.mean_motion_rev_day > 11.25]
        catalog = [iss, *_synthetic([e for e in leo if e is not iss], SYNTHETIC_SIZE - 1)]
    started = time.perf_counter()
    result = screen(iss, catalog, START_JD, DAYS * 86400.0, THRESHOLD_KM)
    seconds = time.perf_counter() - started
    stats = result.stats
    print(
        json.dumps(
            {
                "objects": stats.catalog,
                "after_band_filter": stats.after_band_filter,
                "intervals_kept": stats.intervals_kept,
                "events": stats.events,
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


def _in_fresh_process(which: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", which], capture_output=True, text=True, check=True
    )
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def brute_force_seconds(sample: int = 2000) -> tuple[float, int]:
    """Seconds of a plain SGP4 scan at 60 s of the ISS against the whole catalog (distances
    at every step), timed on ``sample`` objects and scaled; and the catalog's size."""
    from stationplan.orbit.element_files import read_elements
    from stationplan.orbit.propagate import propagate_sgp4_jd

    catalog = list(read_elements(CATALOG).elements)
    iss = next(e for e in catalog if e.catalog_number == 25544)
    rng = np.random.default_rng(1)
    picked = [catalog[i] for i in rng.choice(len(catalog), sample, replace=False)]
    fr = np.arange(0.0, DAYS * 86400.0 + 1.0, 60.0) / 86400.0
    started = time.perf_counter()
    p = propagate_sgp4_jd(iss, START_JD[0], fr, backend="sgp4")
    for lo in range(0, sample, 200):
        s = propagate_sgp4_jd(picked[lo : lo + 200], START_JD[0], fr, backend="sgp4")
        d = np.linalg.norm(s.r_teme_km - p.r_teme_km, axis=2)
        _ = np.nanmin(d, axis=1)
    seconds = time.perf_counter() - started
    return seconds * len(catalog) / sample, len(catalog)


def all_vs_all(hours: float = 2.0) -> dict[str, float]:
    from stationplan.orbit.element_files import read_elements
    from stationplan.orbit.screening import screen_all

    catalog = list(read_elements(CATALOG).elements)
    leo = [e for e in catalog if e.mean_motion_rev_day > 11.25]
    started = time.perf_counter()
    result = screen_all(leo, START_JD, hours * 3600.0, THRESHOLD_KM)
    seconds = time.perf_counter() - started
    return {
        "objects": len(leo),
        "hours": hours,
        "events": result.stats.events,
        "seconds": round(seconds, 1),
        "seconds_7_days_scaled": round(seconds * DAYS * 24.0 / hours),
        "events_7_days_scaled": round(result.stats.events * DAYS * 24.0 / hours),
    }


def main() -> None:
    if not CATALOG.is_file():
        print(f"skipped: the catalog snapshot {CATALOG} is not present")
        print(json.dumps({"skipped": True}))
        return
    snapshot = _in_fresh_process("snapshot")
    print(
        f"ISS vs snapshot ({snapshot['objects']:.0f} objects), 7 days, 5 km: "
        f"{snapshot['seconds']:.2f} s, peak {snapshot['peak_rss_mb']:.0f} MB; "
        f"{snapshot['after_band_filter']:.0f} past the apogee/perigee filter, "
        f"{snapshot['intervals_kept']:.0f} intervals checked, {snapshot['events']:.0f} events"
    )
    synthetic = _in_fresh_process("synthetic")
    print(
        f"ISS vs synthetic LEO catalog ({synthetic['objects']:.0f} objects): "
        f"{synthetic['seconds']:.2f} s, peak {synthetic['peak_rss_mb']:.0f} MB, "
        f"{synthetic['events']:.0f} events"
    )
    brute, size = brute_force_seconds()
    ratio = brute / snapshot["seconds"]
    print(
        f"brute-force SGP4 scan at 60 s, {size} objects (2,000 timed, scaled): {brute:.1f} s; "
        f"screening is {ratio:.1f}x faster"
    )
    goal = snapshot["seconds"] <= 5.0 and snapshot["peak_rss_mb"] <= 2048
    print(f"goal (<= 5 s, <= 2 GB on the snapshot): {'met' if goal else 'NOT met'}")
    every = all_vs_all()
    print(
        f"all-vs-all, LEO part ({every['objects']:.0f} objects), {every['hours']:.0f} h: "
        f"{every['seconds']:.1f} s, {every['events']:.0f} events; scaled to 7 days: "
        f"~{every['seconds_7_days_scaled']:.0f} s, ~{every['events_7_days_scaled']:.0f} events "
        "(ESA's cascade: whole LEO, 7 days, 5 km, about 25 s on 32 threads)"
    )
    print(
        json.dumps(
            {
                "snapshot": snapshot,
                "synthetic": synthetic,
                "brute_force_60s_s": round(brute, 1),
                "ratio_to_brute_force": round(ratio, 1),
                "goal_met": goal,
                "all_vs_all": every,
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        run_one(sys.argv[2])
    else:
        main()
