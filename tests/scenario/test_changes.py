"""Scenario change sets, field-path differences and the three-way merge, on the MINI scenario
of tests/ops/scenarios.py (two partners AAA and BBB, two vehicles Ferry and Freighter)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stationplan.errors import ScenarioError
from stationplan.scenario import parse_scenario
from stationplan.scenario.changes import (
    ABSENT,
    apply_change,
    diff_data,
    diff_texts,
    merge_three_way,
    set_field,
)
from tests.ops.scenarios import MINI

COMMENTED = "# the mini programme, kept as written\n" + MINI


def fields(before: str, after: str) -> dict[str, tuple[object, object]]:
    return {c.field: (c.before, c.after) for c in diff_texts(before, after)}


def test_diff_reports_the_highest_path_that_differs() -> None:
    before = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    after = {"a": {"b": 2, "c": [1]}, "e": {"f": 1}}
    got = [(c.field, c.before, c.after) for c in diff_data(before, after)]
    assert got == [("a.b", 1, 2), ("a.c[1]", 2, ABSENT), ("d", 1, ABSENT), ("e", ABSENT, {"f": 1})]


def test_diff_of_equal_texts_is_empty() -> None:
    assert diff_texts(MINI, COMMENTED) == []


def test_crew_change_keeps_comments_and_validates() -> None:
    text = apply_change(COMMENTED, "crew", {"crew": 2}, "BBB")
    assert text.startswith("# the mini programme, kept as written\n")
    assert fields(COMMENTED, text) == {"crew.crew_per_partner.BBB": (1, 2)}
    assert parse_scenario(text).scenario.crew is not None


def test_contribution_is_appended_to_the_partner() -> None:
    entry = {"kind": "module", "item": "Lab", "description": "Second lab rack"}
    text = apply_change(MINI, "contribution", {"contribution": entry}, "BBB")
    assert fields(MINI, text) == {"partners[1].contributions[1]": (ABSENT, entry)}
    parse_scenario(text)


def test_flight_change_replaces_the_named_vehicle_fields_only() -> None:
    text = apply_change(
        MINI,
        "flight",
        {"vehicle": {**_vehicle("Ferry"), "max_flights_per_year": 2}},
        "AAA",
    )
    assert fields(MINI, text) == {"vehicles[0].max_flights_per_year": (3, 2)}


def _vehicle(name: str) -> dict[str, object]:
    import ruamel.yaml

    data = ruamel.yaml.YAML(typ="safe", pure=True).load(MINI)
    return dict(next(v for v in data["vehicles"] if v["name"] == name))


def test_withdraw_and_join() -> None:
    text = apply_change(MINI, "withdraw", {"date_utc": "2025-02-20T00:00:00Z"}, "BBB")
    assert fields(MINI, text) == {"partners[1].withdraw_utc": (ABSENT, "2025-02-20T00:00:00Z")}
    assert parse_scenario(text).scenario.partners[1].withdraw_utc is not None
    entry = {
        "name": "Agency C",
        "country": "Cland",
        "join_utc": "2025-02-01T00:00:00Z",
        "utilization_share_pct": 10,
    }
    joined = apply_change(MINI, "join", {"partner": entry, "resident_crew": 1}, "CCC")
    assert set(fields(MINI, joined)) == {"partners[2]", "crew.crew_per_partner.CCC"}
    assert [p.code for p in parse_scenario(joined).scenario.partners] == ["AAA", "BBB", "CCC"]


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [
        ("crew", {}, "crew"),
        ("crew", {"crew": "two"}, "crew"),
        ("contribution", {"contribution": {"kind": "module"}}, "partners"),
        ("join", {"partner": {"code": "XXX"}}, "partner.code"),
    ],
)
def test_bad_change_sets_name_the_field(kind: str, payload: dict[str, object], field: str) -> None:
    partner = "ZZZ" if kind == "contribution" else "CCC"
    with pytest.raises(ScenarioError) as info:
        apply_change(MINI, kind, payload, partner)  # type: ignore[arg-type]
    assert info.value.problems[0].field == field


def test_merge_without_overlap_takes_both_sides() -> None:
    baseline = apply_change(MINI, "crew", {"crew": 3}, "AAA")
    proposal = apply_change(MINI, "crew", {"crew": 2}, "BBB")
    merged = merge_three_way(MINI, baseline, proposal)
    assert merged.conflicts == []
    got = fields(MINI, merged.text)
    assert got == {"crew.crew_per_partner.AAA": (2, 3), "crew.crew_per_partner.BBB": (1, 2)}
    parse_scenario(merged.text)


def test_merge_lists_each_conflicting_path_with_three_values() -> None:
    ferry = _vehicle("Ferry")
    baseline = apply_change(
        MINI,
        "flight",
        {"vehicle": {**ferry, "max_flights_per_year": 4, "cost_per_flight_musd": 100}},
        "AAA",
    )
    proposal = apply_change(
        MINI,
        "flight",
        {"vehicle": {**ferry, "max_flights_per_year": 2, "cost_per_flight_musd": 100}},
        "AAA",
    )
    merged = merge_three_way(MINI, baseline, proposal)
    assert [(c.field, c.base, c.baseline, c.proposal) for c in merged.conflicts] == [
        ("vehicles[0].max_flights_per_year", 3, 4, 2)
    ]
    assert fields(baseline, merged.text) == {}
    resolved = set_field(merged.text, merged.conflicts[0].path, 2)
    assert fields(baseline, resolved) == {"vehicles[0].max_flights_per_year": (4, 2)}


def test_same_change_on_both_sides_is_no_conflict() -> None:
    side = apply_change(MINI, "crew", {"crew": 2}, "BBB")
    merged = merge_three_way(MINI, side, side)
    assert merged.conflicts == []
    assert diff_texts(side, merged.text) == []


def test_removal_on_one_side_and_edit_on_the_other_conflicts_at_the_entry() -> None:
    baseline = set_field(MINI, ("partners", 1, "contributions", 0), ABSENT)
    proposal = set_field(MINI, ("partners", 1, "contributions", 0, "value_musd"), 300)
    merged = merge_three_way(MINI, baseline, proposal)
    assert [c.field for c in merged.conflicts] == ["partners[1].contributions[0]"]
    assert merged.conflicts[0].baseline is ABSENT


# Properties on arbitrary YAML documents: the difference, applied, turns one into the other;
# a merge with an unchanged side is the other side.

_keys = st.text(alphabet="abcxyz", min_size=1, max_size=3)
_scalars = st.one_of(
    st.integers(-1000, 1000), st.booleans(), st.none(), st.text(alphabet="ab 1", max_size=4)
)
_data = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=4)),
    max_leaves=20,
)
_docs = st.dictionaries(_keys, _data, min_size=1, max_size=5)


def _yaml(data: object) -> str:
    import io

    import ruamel.yaml

    buf = io.StringIO()
    ruamel.yaml.YAML(typ="safe", pure=True).dump(data, buf)
    return buf.getvalue()


@settings(max_examples=100, deadline=None, derandomize=True)
@given(_docs, _docs)
def test_applied_difference_gives_the_other_document(
    a: dict[str, object], b: dict[str, object]
) -> None:
    text_a, text_b = _yaml(a), _yaml(b)
    changes = diff_texts(text_a, text_b)
    merged = merge_three_way(text_a, text_a, text_b)
    assert merged.conflicts == []
    assert diff_texts(merged.text, text_b) == [], changes


@settings(max_examples=50, deadline=None, derandomize=True)
@given(_docs, _docs)
def test_merge_with_an_unchanged_proposal_is_the_baseline(
    a: dict[str, object], b: dict[str, object]
) -> None:
    text_a, text_b = _yaml(a), _yaml(b)
    merged = merge_three_way(text_a, text_b, text_a)
    assert merged.conflicts == [] and merged.text == text_b
