"""The what-if use case: plan the baseline and the variant of a partnership change and compare
them (the ``whatif`` command; a service calls the same function). What the comparison holds:
:mod:`stationplan.plan.compare`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import model_validator

from stationplan.ops.requests import Request
from stationplan.plan.compare import compare
from stationplan.plan.engine import RunResult, run_change
from stationplan.plan.model import WhatIfComparison
from stationplan.scenario.fields import UtcDatetime
from stationplan.scenario.loader import LoadedScenario
from stationplan.scenario.models import Scenario
from stationplan.scenario.variants import (
    Accession,
    Change,
    Withdrawal,
    read_join_file,
)

Progress = Callable[[str], None]


class WhatIfRequest(Request):
    """A what-if on a scenario (None: the embedded default): a partner withdraws, or the
    partner of a join file joins, on ``date_utc``."""

    scenario: Path | None = None
    withdraw: str | None = None
    join: Path | None = None
    date_utc: UtcDatetime

    @model_validator(mode="after")
    def _one_change(self) -> WhatIfRequest:
        if (self.withdraw is None) == (self.join is None):
            raise ValueError("give either --withdraw CODE or --join FILE (one of them)")
        return self


def change_of(req: WhatIfRequest) -> Change:
    """The change a request asks for (the join file read and validated)."""
    if req.withdraw is not None:
        return Withdrawal(partner=req.withdraw, date_utc=req.date_utc)
    assert req.join is not None
    return Accession(join=read_join_file(req.join), date_utc=req.date_utc)


@dataclass(frozen=True)
class WhatIfResult:
    """Both plans and their comparison."""

    baseline: RunResult
    variant: RunResult
    variant_scenario: Scenario
    comparison: WhatIfComparison


def run_whatif(
    loaded: LoadedScenario,
    change: Change,
    progress: Progress | None = None,
    risk_runs: int = 200,
    manifest_time_limit_s: float | None = None,
) -> WhatIfResult:
    """Plan the scenario and its variant under ``change`` and compare them. The variant is
    built and validated before any planning (a bad change fails at once)."""
    base, var, variant_sc = run_change(
        loaded,
        change,
        progress=progress,
        risk_runs=risk_runs,
        manifest_time_limit_s=manifest_time_limit_s,
    )
    comparison = compare(loaded.scenario, base.plan, variant_sc, var.plan, change)
    return WhatIfResult(base, var, variant_sc, comparison)


__all__ = [
    "Accession",
    "Change",
    "Progress",
    "WhatIfComparison",
    "WhatIfRequest",
    "WhatIfResult",
    "Withdrawal",
    "change_of",
    "run_whatif",
]
