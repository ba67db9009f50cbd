"""The published JSON Schema matches the models, and every field documents itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stationplan.scenario.schema import scenario_json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "scenario.schema.json"


def test_committed_schema_matches_models() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == scenario_json_schema(), (
        "docs/scenario.schema.json is stale: run `stationplan schema -o docs/scenario.schema.json`"
    )


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for model, spec in schema["$defs"].items():
        for name, prop in spec.get("properties", {}).items():
            out.append((model, name, prop))
    for name, prop in schema["properties"].items():
        out.append(("Scenario", name, prop))
    return out


def test_every_field_has_a_description() -> None:
    missing = [
        f"{m}.{n}" for m, n, p in _properties(scenario_json_schema()) if not p.get("description")
    ]
    assert missing == []


def test_unknown_keys_are_forbidden_everywhere() -> None:
    schema = scenario_json_schema()
    assert schema["additionalProperties"] is False
    for name, spec in schema["$defs"].items():
        if spec.get("type") == "object" and "properties" in spec:
            assert spec.get("additionalProperties") is False, name
