"""Shared fixtures: the default scenario text and a helper to break it in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationplan.scenario import default_scenario_text

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
