"""Findings from the operations part of a plan (hand-made operations, tests/report/ops_plan)."""

from __future__ import annotations

from stationplan.plan.findings import operations_findings
from stationplan.plan.model import Severity
from tests.report.ops_plan import EXPLANATION, mini_plan, rich_plan


def test_no_manifest_is_a_warning_with_its_reasons() -> None:
    ops = mini_plan().operations
    assert ops is not None
    found = [f for f in operations_findings(ops) if f.topic == "manifest"]
    assert [f.severity for f in found] == [Severity.WARNING] * len(EXPLANATION)
    assert [f.message for f in found] == [
        f"no flight manifest (INFEASIBLE): {line}" for line in EXPLANATION
    ]


def test_gaps_deficits_and_risk_are_reported() -> None:
    ops = rich_plan().operations
    assert ops is not None
    by_topic = {f.topic: f for f in operations_findings(ops)}
    # gaps: food 80 + 10 kg, water 5 kg (ops_plan's logistics)
    assert by_topic["logistics"].message.endswith("(food up to 80 kg, water up to 5 kg short)")
    assert by_topic["logistics"].severity is Severity.WARNING
    assert "negative energy balance" in by_topic["power"].message
    assert by_topic["risk"].severity is Severity.INFO
