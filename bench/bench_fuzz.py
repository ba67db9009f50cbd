"""Mutation fuzzing of ``validate`` and ``run`` on the default scenario.

N mutated scenarios (tests/scenario/mutations.py: dropped fields, retyped values, out-of-range
numbers, swapped values, duplicated entries and keys, shifted dates, renamed references) are
written as YAML and validated with ``parse_scenario``: each must validate or raise
ScenarioError. Then the first M that validate are planned with ``run_scenario``: each must plan
(a StationplanInputError there means validate let through what run refuses; anything else is a
crash). Every case is rebuilt from ``--seed`` and its number: ``--case I`` redoes one and
prints its YAML. Prints figures, every failure with its mutations, then one JSON line.

    .venv/bin/python bench/bench_fuzz.py                       # 10,000 validate, 20 runs
    .venv/bin/python bench/bench_fuzz.py --runs 30 --seed 7
    .venv/bin/python bench/bench_fuzz.py --case 1234 --seed 7  # redo one case
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.scenario.mutations

from tests.scenario.mutations import (
    Case,
    case_from_seed,
    emit,
    validate_fast,
    validate_full,
)

from stationplan.errors import ScenarioError, StationplanInputError
from stationplan.orbit import frames
from stationplan.plan.engine import run_scenario


class CaseTimeoutError(Exception):
    """A case ran past its time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`CaseTimeoutError` in the block after ``seconds`` (SIGALRM; main thread)."""

    def expired(_signum: int, _frame: FrameType | None) -> None:
        raise CaseTimeoutError(f"took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Failure:
    """A case that did something else than validate/plan or refuse with a ScenarioError."""

    stage: str
    number: int
    mutations: str
    error: str
    trace: str

    def report(self) -> str:
        """Several lines: what, where and how to redo it."""
        indented = "\n".join("    " + line for line in self.mutations.splitlines())
        return f"[{self.stage}] case {self.number}: {self.error}\n{indented}\n" + "\n".join(
            "      " + line for line in self.trace.strip().splitlines()[-8:]
        )


COSMETIC = {"description", "country", "OBJECT_NAME", "OBJECT_ID"}


def cosmetic(case: Case) -> bool:
    """Whether every mutation only changes free text the plan does not use."""
    return all(m.path and m.path[-1] in COSMETIC for m in case.mutations)


def attempt(fn: Callable[[], Any], seconds: float) -> tuple[str, str, str]:
    """(outcome, error, trace): outcome ``ok``, ``rejected`` (ScenarioError), ``input``
    (another StationplanInputError), ``timeout`` or ``crash``."""
    try:
        with time_limit(seconds):
            fn()
    except ScenarioError as exc:
        return "rejected", str(exc).splitlines()[0], ""
    except StationplanInputError as exc:
        return "input", f"{type(exc).__name__}: {exc}".splitlines()[0], traceback.format_exc()
    except CaseTimeoutError as exc:
        return "timeout", str(exc), traceback.format_exc()
    except Exception as exc:
        return "crash", f"{type(exc).__name__}: {exc}"[:300], traceback.format_exc()
    return "ok", "", ""


def main() -> None:
    """Parse the options, fuzz, print figures and the JSON line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--validate", type=int, default=10_000, help="validate cases")
    ap.add_argument("-m", "--runs", type=int, default=20, help="valid cases to plan")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--fast",
        action="store_true",
        help="validate the mutated data without reading the YAML again (~20x faster)",
    )
    ap.add_argument("--validate-timeout-s", type=float, default=10.0)
    ap.add_argument("--run-timeout-s", type=float, default=300.0)
    ap.add_argument("--case", type=int, default=None, help="redo one case and print its YAML")
    ap.add_argument(
        "--keep-caches",
        action="store_true",
        help="keep the orbit frames' node caches from run to run, as a long-lived process "
        "does (by default each run starts with empty caches)",
    )
    args = ap.parse_args()

    if args.case is not None:
        case = case_from_seed(args.seed, args.case)
        print(emit(case)[0])
        print("# mutations:\n" + "\n".join("#   " + m for m in case.describe().splitlines()))
        outcome, error, trace = attempt(lambda: validate_full(case), args.validate_timeout_s)
        print(f"# validate: {outcome} {error}")
        if outcome == "ok":
            outcome, error, trace = attempt(
                lambda: run_scenario(validate_full(case)), args.run_timeout_s
            )
            print(f"# run: {outcome} {error}")
        print(trace, end="")
        return

    validate = validate_fast if args.fast else validate_full
    counts = {"ok": 0, "rejected": 0, "input": 0, "timeout": 0, "crash": 0}
    failures: list[Failure] = []
    valid: list[tuple[int, Case]] = []
    slowest = (0.0, -1)
    started = time.perf_counter()
    for number in range(args.validate):
        case = case_from_seed(args.seed, number)
        t0 = time.perf_counter()
        outcome, error, trace = attempt(lambda c=case: validate(c), args.validate_timeout_s)
        slowest = max(slowest, (time.perf_counter() - t0, number))
        counts[outcome] += 1
        if outcome == "ok" and not cosmetic(case):
            valid.append((number, case))
        elif outcome != "rejected":
            failures.append(Failure("validate", number, case.describe(), error, trace))
    validate_s = time.perf_counter() - started
    n = args.validate
    print(f"validate: {n:,} mutations (seed {args.seed}, {'fast' if args.fast else 'full'})")
    print(
        f"  valid {counts['ok']:,}, rejected {counts['rejected']:,}, other input errors "
        f"{counts['input']}, timeouts {counts['timeout']}, crashes {counts['crash']}"
    )
    print(
        f"  {validate_s:.1f} s, {1000 * validate_s / max(n, 1):.2f} ms a case, slowest "
        f"{1000 * slowest[0]:.0f} ms (case {slowest[1]})"
    )

    run_counts = {"ok": 0, "rejected": 0, "input": 0, "timeout": 0, "crash": 0}
    run_times: list[float] = []
    started = time.perf_counter()
    for number, case in valid[: args.runs]:
        if not args.keep_caches:
            frames.clear_caches()
        t0 = time.perf_counter()
        outcome, error, trace = attempt(
            lambda c=case: run_scenario(validate_full(c)),
            args.run_timeout_s,
        )
        run_times.append(time.perf_counter() - t0)
        run_counts[outcome] += 1
        print(f"  run case {number}: {outcome} in {run_times[-1]:.1f} s {error[:120]}", flush=True)
        if outcome != "ok":
            failures.append(Failure("run", number, case.describe(), error, trace))
    run_s = time.perf_counter() - started
    m = len(run_times)
    print(f"run: {m} valid mutations planned (free-text-only changes skipped)")
    print(
        f"  planned {run_counts['ok']}, refused by run (validate let them through) "
        f"{run_counts['input'] + run_counts['rejected']}, timeouts {run_counts['timeout']}, "
        f"crashes {run_counts['crash']}"
    )
    if m:
        print(f"  {run_s:.1f} s, {run_s / m:.1f} s a run, slowest {max(run_times):.1f} s")
    for failure in failures:
        print(failure.report())
    print(
        json.dumps(
            {
                "seed": args.seed,
                "mode": "fast" if args.fast else "full",
                "validate_tried": n,
                "validate_valid": counts["ok"],
                "validate_rejected": counts["rejected"],
                "validate_crashes": counts["crash"] + counts["input"] + counts["timeout"],
                "validate_s": round(validate_s, 2),
                "validate_ms_per_case": round(1000 * validate_s / max(n, 1), 3),
                "runs_tried": m,
                "runs_ok": run_counts["ok"],
                "runs_refused": run_counts["input"] + run_counts["rejected"],
                "runs_crashes": run_counts["crash"] + run_counts["timeout"],
                "run_s": round(run_s, 2),
                "failures": [
                    {"stage": f.stage, "case": f.number, "error": f.error} for f in failures
                ],
            }
        )
    )


if __name__ == "__main__":
    main()
