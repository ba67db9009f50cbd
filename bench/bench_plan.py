"""The plan of the embedded default scenario, cold and warm, and the command line's start-up.

Goals: plan <= 6 s warm (second plan in one process) on a 2-core machine; `stationplan
--version` <= 0.5 s. Baselines in the same run: the cold plan (first in a fresh process, with
the rotation nodes and ephemeris loaded) for the warm one, and a bare `python -c pass` for the
start-up. Prints figures, then one JSON line.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from stationplan.plan.engine import run_scenario
from stationplan.scenario import load_scenario

EXE = Path(sys.executable).with_name("stationplan")


def _wall(cmd: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    started = time.perf_counter()
    loaded = load_scenario()
    run_scenario(loaded)
    cold_s = time.perf_counter() - started
    warm = []
    for _ in range(2):
        started = time.perf_counter()
        run_scenario(loaded)
        warm.append(time.perf_counter() - started)
    warm_s = min(warm)
    version_s = _wall([str(EXE), "--version"])
    python_s = _wall([sys.executable, "-c", "pass"])
    figures = {
        "plan_cold_s": round(cold_s, 2),
        "plan_warm_s": round(warm_s, 2),
        "ratio_cold_to_warm": round(cold_s / warm_s, 2),
        "version_s": round(version_s, 3),
        "python_startup_s": round(python_s, 3),
        "ratio_version_to_python": round(version_s / python_s, 1),
    }
    print(f"plan of the default scenario: {cold_s:.2f} s cold, {warm_s:.2f} s warm (goal <= 6 s)")
    print(f"stationplan --version: {version_s:.3f} s (goal <= 0.5 s); bare python {python_s:.3f} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
