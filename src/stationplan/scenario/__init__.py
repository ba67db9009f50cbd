"""The scenario file: pydantic models, loading with precise errors, the embedded default."""

from stationplan.scenario.loader import (
    LoadedScenario,
    default_scenario_text,
    load_scenario,
    parse_scenario,
)
from stationplan.scenario.models import Scenario

__all__ = ["LoadedScenario", "Scenario", "default_scenario_text", "load_scenario", "parse_scenario"]
