"""Catalog throughput (object-epochs per second) of both SGP4 backends on this machine, and
the memory of one day of the whole catalog at 60 s.

The full Space-Track catalog snapshot of 2022-01-22 (23,939 objects, debris included)
over one day at 10-minute steps. Prints figures, the heyoka/sgp4 ratio, the share of objects
whose positions differ by more than 1 mm between backends; then the peak memory (RSS) of one
day at 60 s (34 M object-epochs) propagated in chunks (goal <= 1.5 GB) against the same in one
piece, each in a fresh process; then one JSON line.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from stationplan.orbit.element_files import read_elements
from stationplan.orbit.propagate import heyoka_available, propagate_sgp4
from stationplan.orbit.timescale import timescale

CATALOG = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "tle"
    / "catalog"
    / "spacetrack_full_catalog_3le_2022-01-22_ReeceHumphreys-ODAP.3le"
)


def one_day_at_60s(chunked: bool) -> None:
    """Propagate the catalog over one day at 60 s; print the lowest perigee-ish radius found
    (so the states are used) and the process's peak RSS (MB)."""
    from stationplan.orbit.propagate import propagate_sgp4_chunks

    objects = read_elements(CATALOG).elements
    t = timescale().utc(2022, 1, 23, 0, np.arange(0.0, 1441.0, 1.0))
    started = time.perf_counter()
    lowest = np.inf
    if chunked:
        for _part, res in propagate_sgp4_chunks(objects, t, "sgp4"):
            lowest = min(lowest, float(np.nanmin(np.linalg.norm(res.r_teme_km, axis=2))))
    else:
        res = propagate_sgp4(objects, t, "sgp4")
        lowest = float(np.nanmin(np.linalg.norm(res.r_teme_km, axis=2)))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(
        json.dumps(
            {
                "peak_rss_mb": round(peak_mb),
                "seconds": round(seconds, 2),
                "lowest_radius_km": round(lowest, 1),
            }
        )
    )


def _child(mode: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, mode], capture_output=True, text=True, check=True
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main() -> None:
    started = time.perf_counter()
    result = read_elements(CATALOG)
    read_s = time.perf_counter() - started
    objects = result.elements
    t = timescale().utc(2022, 1, 23, 0, np.arange(0.0, 1440.0, 10.0))
    work = len(objects) * len(t)
    figures: dict[str, float] = {
        "objects": len(objects),
        "epochs": len(t),
        "catalog_read_s": round(read_s, 3),
    }
    print(f"catalog read: {len(objects):,} objects in {read_s:.3f} s")
    started = time.perf_counter()
    a = propagate_sgp4(objects, t, "sgp4")
    sgp4_s = time.perf_counter() - started
    figures["sgp4_object_epochs_per_s"] = round(work / sgp4_s)
    print(f"sgp4 SatrecArray: {work:,} object-epochs in {sgp4_s:.2f} s = {work / sgp4_s:,.0f}/s")
    if heyoka_available():
        propagate_sgp4(objects[:10], t, "heyoka")  # JIT warm-up excluded from the figure
        started = time.perf_counter()
        b = propagate_sgp4(objects, t, "heyoka")
        hy_s = time.perf_counter() - started
        diff = np.abs(a.r_teme_km - b.r_teme_km)
        worst = np.where(np.isnan(diff), 0.0, diff).max(axis=(1, 2))
        over = int((worst > 1e-6).sum())
        figures.update(
            {
                "heyoka_object_epochs_per_s": round(work / hy_s),
                "ratio_heyoka_to_sgp4": round(sgp4_s / hy_s, 2),
                "objects_differing_over_1mm": over,
                "max_difference_km": round(float(worst.max()), 4),
            }
        )
        print(
            f"heyoka (near-Earth; deep-space via sgp4): {hy_s:.2f} s = {work / hy_s:,.0f}/s, "
            f"{sgp4_s / hy_s:.2f}x sgp4"
        )
        print(
            f"objects differing > 1 mm between backends: {over} of {len(objects)} "
            f"(worst {worst.max():.3f} km)"
        )
        near = [o for o in objects if o.satrec.method == "n"]
        work_near = len(near) * len(t)
        started = time.perf_counter()
        propagate_sgp4(near, t, "sgp4")
        near_sgp4_s = time.perf_counter() - started
        started = time.perf_counter()
        propagate_sgp4(near, t, "heyoka")
        near_hy_s = time.perf_counter() - started
        figures["near_earth_objects"] = len(near)
        figures["near_earth_ratio_heyoka_to_sgp4"] = round(near_sgp4_s / near_hy_s, 2)
        print(
            f"near-Earth only ({len(near):,} objects): sgp4 {work_near / near_sgp4_s:,.0f}/s, "
            f"heyoka {work_near / near_hy_s:,.0f}/s = {near_sgp4_s / near_hy_s:.2f}x "
            "(deep-space SDP4 objects stay on sgp4 and weigh on the mixed figure)"
        )
    chunked = _child("--chunked")
    whole = _child("--whole")
    figures["day_60s_chunked_peak_rss_mb"] = chunked["peak_rss_mb"]
    figures["day_60s_whole_peak_rss_mb"] = whole["peak_rss_mb"]
    figures["day_60s_chunked_s"] = chunked["seconds"]
    figures["ratio_whole_to_chunked_memory"] = round(
        whole["peak_rss_mb"] / chunked["peak_rss_mb"], 2
    )
    print(
        f"one day at 60 s ({len(objects):,} objects x 1,441 epochs): peak RSS "
        f"{chunked['peak_rss_mb']:,.0f} MB in chunks ({chunked['seconds']:.1f} s), "
        f"{whole['peak_rss_mb']:,.0f} MB in one piece (goal <= 1,500 MB)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        one_day_at_60s(sys.argv[1] == "--chunked")
    else:
        main()
