"""Reading YAML is bounded: alias bombs, deep nesting, huge and long documents fail fast with a
ScenarioError naming the line and the limit, while anchors used for repeated blocks still load."""

from __future__ import annotations

import itertools
import time

import pytest

from stationplan.errors import ScenarioError
from stationplan.scenario import load_scenario, parse_scenario
from stationplan.scenario.loader import MAX_SCENARIO_BYTES
from stationplan.scenario.yamlsource import (
    MAX_ALIAS_VALUES,
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_VALUES,
    load_yaml,
)
from tests.conftest import mutate

SRC = "bomb.yaml"
SECONDS = 30.0  # a guard against hanging only: every refusal takes well under a second alone


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """Nested anchors whose last alias expands to ``width ** levels`` strings."""
    names = [chr(ord("a") + i) for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['lol'] * width)}]"]
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * width)}]")
    lines.append(f"programme: *{names[-1]}")
    return "\n".join(lines) + "\n"


def refused(text: str) -> tuple[list[str], float]:
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, source=SRC)
    return [str(p) for p in info.value.problems], time.perf_counter() - started


def test_billion_laughs_fails_fast_at_the_alias() -> None:
    msgs, seconds = refused(billion_laughs())
    assert seconds < SECONDS
    (msg,) = msgs
    # 9**5 values expand through '*d' on line 5 (the definition of 'e'), crossing the limit
    assert msg.startswith(f"{SRC}:5:8: alias '*d' expands to more values than the limit of ")
    assert f"{MAX_ALIAS_VALUES:,}" in msg


def test_alias_bomb_in_a_scenario_field_names_its_line(default_text: str) -> None:
    # four levels define 8,289 values through aliases, under the limit; using '*d' crosses it
    bomb = billion_laughs(levels=4).replace("programme: *d\n", "")
    text, line = mutate(default_text, "    mass_kg: 235582\n", "    mass_kg: *d\n")
    msgs, seconds = refused(bomb + text)
    assert seconds < SECONDS
    assert msgs[-1].startswith(f"{SRC}:{line + 4}:14: alias '*d' expands to more values")


def test_bomb_through_a_key_position_is_bounded() -> None:
    text = billion_laughs().replace("programme: *i", "? *i\n: 1")
    msgs, seconds = refused(text)
    assert seconds < SECONDS
    assert any(f"{MAX_ALIAS_VALUES:,}" in m for m in msgs)


def test_a_few_anchors_for_repeated_blocks_still_load(default_text: str) -> None:
    text, _ = mutate(
        default_text,
        "      - {min_deg: 33, max_deg: 70}",
        "      - &northeast {min_deg: 33, max_deg: 70}",
    )
    text, _ = mutate(
        text,
        "      - {min_deg: 35, max_deg: 120}\n  - name: Cape",
        "      - *northeast\n  - name: Cape",
    )
    sc = parse_scenario(text).scenario
    ranges = [s.allowed_azimuths_deg[0] for s in sc.launch_sites]
    assert [(r.min_deg, r.max_deg) for r in ranges] == [(33, 70), (33, 70), (35, 120)]


def test_the_default_scenario_is_far_inside_every_limit(default_text: str) -> None:
    doc = load_yaml(default_text, "default.yaml")
    assert len(doc.value_positions) < MAX_VALUES // 20
    assert max(len(p) for p in doc.value_positions) < MAX_DEPTH // 5
    assert load_scenario().scenario.programme.name


def test_recursive_alias_is_refused() -> None:
    msgs, _ = refused("programme: &p {name: *p}\n")
    assert msgs == [f"{SRC}:1:12: recursive alias: a node refers to itself"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[" * 100_000 + "]" * 100_000, 1),
        ("{a: " * 100_000 + "1" + "}" * 100_000, 1),
        ("".join(" " * i + "-\n" for i in range(2_000)), MAX_DEPTH + 1),
        ("".join(" " * i + f"k{i}:\n" for i in range(2_000)), MAX_DEPTH),
    ],
    ids=["flow-lists", "flow-mappings", "block-lists", "block-mappings"],
)
def test_deep_nesting_is_refused_without_recursion_error(text: str, line: int) -> None:
    """A level is a node on the path, the scalar at the end included: the 50th key of nested
    block mappings is the 51st level."""
    msgs, seconds = refused(text)
    assert seconds < SECONDS
    (msg,) = msgs
    assert msg.startswith(f"{SRC}:{line}:")
    assert f"nest deeper than {MAX_DEPTH} levels" in msg


def test_nesting_built_up_through_aliases_is_refused() -> None:
    chain = "".join(f"a{i}: &a{i} [" + (f"*a{i - 1}" if i else "1") + "]\n" for i in range(10_000))
    msgs, seconds = refused(chain)
    assert seconds < SECONDS
    assert any(
        "through alias '*a" in m and f"nest deeper than {MAX_DEPTH} levels" in m for m in msgs
    )


def test_too_many_values_fail_at_the_limit_not_at_the_end() -> None:
    text = "programme: [" + "1," * 2_000_000 + "]\n"
    msgs, seconds = refused(text)
    assert seconds < 4 * SECONDS  # the pure-Python parser reads ~50,000 values a second
    (msg,) = msgs
    assert msg.startswith(f"{SRC}:1:")
    assert f"more than {MAX_VALUES:,} values" in msg


def test_long_single_lines_are_read(default_text: str) -> None:
    text, line = mutate(
        default_text,
        "  description: >-\n",
        "  description: " + "x" * 2_000_000 + "\n  notes: >-\n",
    )
    msgs, seconds = refused(text)
    assert seconds < SECONDS
    assert f"{SRC}:{line + 1} programme.notes: unknown field 'notes'" in msgs[0]
    number, line = mutate(default_text, "mass_kg: 235582\n", "mass_kg: 4" + "0" * 100_000 + "\n")
    (msg,) = refused(number)[0]
    assert msg.startswith(f"{SRC}:{line}:")
    assert "is longer than the" in msg and "sys." not in msg


def test_document_size_is_capped_for_text_too() -> None:
    assert MAX_DOCUMENT_BYTES == MAX_SCENARIO_BYTES
    text = "# " + "x" * MAX_DOCUMENT_BYTES + "\n"
    msgs, seconds = refused(text)
    assert seconds < SECONDS
    assert msgs == [
        f"{SRC}: the document is 20.0 MiB, over the limit of 20 MiB (a scenario "
        "is a few tens of KiB)"
    ]
