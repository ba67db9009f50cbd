"""Use cases on a whole scenario that answer with part of its plan (the ``manifest`` and
``risk`` commands; a service calls the same functions)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import Field

from stationplan.ops.operations import DEFAULT_RISK_SEED, Operations
from stationplan.ops.requests import Request, request_error
from stationplan.ops.risk import connect_scheduler
from stationplan.plan.engine import run_scenario
from stationplan.plan.model import Plan
from stationplan.scenario import load_scenario

MAX_RISK_RUNS = 1_000_000


class PlanRequest(Request):
    """A scenario to plan (None: the embedded default) and the Monte Carlo settings."""

    scenario: Path | None = None
    runs: int = Field(default=1000, ge=1, le=MAX_RISK_RUNS)
    seed: int = Field(default=DEFAULT_RISK_SEED, ge=0, le=2**32 - 1)
    scheduler: str | None = Field(
        default=None,
        pattern=r"^(tcp|tls|inproc|ucx)://\S+$|^[\w.-]+:\d{1,5}$",
        description="Dask scheduler address, e.g. tcp://10.0.0.5:8786 or host:8786.",
    )


def plan_scenario(req: PlanRequest, progress: Callable[[str], None] | None = None) -> Plan:
    """The plan of the requested scenario, with ``runs`` Monte Carlo runs of the risk. The
    scenario and the scheduler are checked before the planning starts."""
    loaded = load_scenario(req.scenario)
    if req.scheduler is not None:
        connect_scheduler(req.scheduler).close()  # type: ignore[no-untyped-call]
    return run_scenario(
        loaded,
        progress=progress,
        risk_runs=req.runs,
        risk_seed=req.seed,
        scheduler=req.scheduler,
    ).plan


def operations_of(plan: Plan) -> Operations:
    """The operations part of a plan (an input error if the scenario has none)."""
    if plan.operations is None:
        raise request_error("scenario", "the scenario has no operations to plan")
    return plan.operations
