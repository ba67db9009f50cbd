"""Shared fixtures: the default scenario text and a helper to break it in one place."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from stationplan.scenario import default_scenario_text

if TYPE_CHECKING:
    from stationplan.plan.engine import RunResult

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def mutate(text: str, old: str, new: str) -> tuple[str, int]:
    """Replace the one occurrence of ``old`` by ``new``; return the text and the 1-based line
    on which the replacement starts."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    index = text.index(old)
    return text.replace(old, new), text[:index].count("\n") + 1


@pytest.fixture(scope="session")
def default_text() -> str:
    return default_scenario_text()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data folder {SHARED_DATA} is not present")
    return SHARED_DATA


DEFAULT_PLAN_NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
"""Generation time stamp of the shared default plan."""

TEST_MANIFEST_TIME_LIMIT_S = 180.0
"""The manifest solver's time limit in the shared plans of the tests. A scenario's own limit
(20 s) is a wall-clock limit: on a loaded machine it can cut the crew stage's search before
the optimum, and the crews' dates then drift. The solver stops as soon as it proves the
optimum (or the cargo stage's gap), so a larger limit costs nothing where the machine keeps
up, and the tests' plans do not depend on the machine's load."""


@lru_cache(maxsize=1)
def _default_run() -> RunResult:
    from stationplan.plan.engine import run_scenario
    from stationplan.scenario import load_scenario

    return run_scenario(
        load_scenario(),
        now_utc=DEFAULT_PLAN_NOW,
        manifest_time_limit_s=TEST_MANIFEST_TIME_LIMIT_S,
    )


def default_run() -> RunResult:
    """The default scenario's plan, computed once per test session (it takes most of a
    minute: orbits, windows, lifetime, the manifest); each call gets its own copy."""
    result = _default_run()
    return replace(result, plan=result.plan.model_copy(deep=True))
