"""The scenario file's JSON Schema, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from stationplan.scenario.models import Scenario

SCHEMA_ID = "https://github.com/stationplan/stationplan/scenario.schema.json"


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a scenario file, as editors use for completion."""
    schema = Scenario.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "stationplan scenario",
        **{k: v for k, v in schema.items() if k != "title"},
    }
