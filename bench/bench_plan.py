"""The plan of the embedded default scenario, cold and warm, and the command line's start-up.

Goals: the plan up to operations (orbit, windows, lifetime) <= 6 s warm (second plan in one
process) on a 2-core machine; `stationplan --version` <= 0.5 s. The operations (crew plan,
CP-SAT manifest, logistics, power, 1,000 Monte Carlo runs) are timed apart, the manifest with
its own goal in bench_manifest.py. Baselines in the same run: the cold plan (first in a fresh
process, with the rotation nodes and ephemeris loaded) for the warm one, and a bare
`python -c pass` for the start-up. Prints figures, then one JSON line.
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
from stationplan.scenario.loader import LoadedScenario

EXE = Path(sys.executable).with_name("stationplan")


def _wall(cmd: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _timed(loaded: LoadedScenario) -> tuple[float, float]:
    """(seconds up to the operations, seconds of the operations) of one plan."""
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def say(step: str) -> None:
        marks.setdefault(step, time.perf_counter() - started)

    run_scenario(loaded, progress=say)
    total = time.perf_counter() - started
    before_ops = marks.get("crew plan", total)
    return before_ops, total - before_ops


def main() -> None:
    loaded = load_scenario()
    cold_s, cold_ops_s = _timed(loaded)
    warm = [_timed(loaded) for _ in range(2)]
    warm_s, ops_s = min(warm)
    version_s = _wall([str(EXE), "--version"])
    python_s = _wall([sys.executable, "-c", "pass"])
    figures = {
        "plan_cold_s": round(cold_s, 2),
        "operations_cold_s": round(cold_ops_s, 2),
        "operations_warm_s": round(ops_s, 2),
        "plan_warm_s": round(warm_s, 2),
        "ratio_cold_to_warm": round(cold_s / warm_s, 2),
        "version_s": round(version_s, 3),
        "python_startup_s": round(python_s, 3),
        "ratio_version_to_python": round(version_s / python_s, 1),
    }
    print(
        f"plan of the default scenario up to operations: {cold_s:.2f} s cold, "
        f"{warm_s:.2f} s warm (goal <= 6 s); operations {ops_s:.2f} s warm"
    )
    print(f"stationplan --version: {version_s:.3f} s (goal <= 0.5 s); bare python {python_s:.3f} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
