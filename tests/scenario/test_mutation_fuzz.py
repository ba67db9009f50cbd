"""Mutations of the default scenario: ``validate`` refuses with a ScenarioError (file, line,
field) or accepts, never anything else; what it accepts, ``run`` plans.

The cases come from tests/scenario/mutations.py (hypothesis draws every choice, so a failure
shrinks to a few mutations and prints them). ``bench/bench_fuzz.py`` runs the same mutations
in bulk, with many more ``run`` cases.
"""

from __future__ import annotations

import math
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stationplan.errors import ScenarioError
from stationplan.orbit import frames
from stationplan.plan.engine import run_scenario
from stationplan.scenario import parse_scenario
from stationplan.scenario.loader import LoadedScenario
from stationplan.scenario.messages import format_path
from stationplan.scenario.yamlsource import load_yaml
from tests.scenario.mutations import (
    SOURCE,
    Case,
    Mutation,
    case_from_seed,
    default_data,
    emit,
    make_case,
    replace,
    validate_fast,
    validate_full,
)

VALIDATE_EXAMPLES = 10_000
CASE_DEADLINE = timedelta(seconds=10)  # a case takes ~2 ms (fast) or ~40 ms (full)


def drawn_case(data: st.DataObject) -> Case:
    """A case whose every choice hypothesis draws (and shrinks)."""
    case = make_case(lambda n, label: data.draw(st.integers(0, n - 1), label=label))
    note(case.describe())
    return case


def outcome(validate: Any, case: Case) -> tuple[str, Any]:
    """``("valid", scenario as JSON)`` or ``("refused", problems as text)``."""
    try:
        loaded: LoadedScenario = validate(case)
    except ScenarioError as exc:
        return "refused", [str(p) for p in exc.problems]
    return "valid", loaded.scenario.model_dump_json()


def check_refusal(exc: ScenarioError) -> None:
    """Every problem names the file and a line; past the YAML reader, the field too."""
    assert exc.problems
    for p in exc.problems:
        assert p.source == SOURCE, str(p)
        assert p.line is not None, str(p)
        assert p.message and "Traceback" not in p.message, str(p)
        if not p.message.startswith(("duplicate key", "YAML")):
            assert p.field, str(p)


@settings(
    max_examples=VALIDATE_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=CASE_DEADLINE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_validate_never_raises_anything_but_scenario_error(data: st.DataObject) -> None:
    case = drawn_case(data)
    try:
        validate_fast(case)
    except ScenarioError as exc:
        check_refusal(exc)


@settings(
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=CASE_DEADLINE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_fast_validation_is_parse_scenario_of_the_text(data: st.DataObject) -> None:
    """The 10,000 cases above skip re-reading the YAML; on these, both answers are equal."""
    case = drawn_case(data)
    assert outcome(validate_fast, case) == outcome(validate_full, case)


def test_emitted_yaml_reads_back_to_the_same_data_and_lines() -> None:
    """The writer's lines are those the YAML reader gives, so fast refusals name real lines."""
    data = replace(default_data(), ("policies", "pc_watch_threshold"), lambda _: math.inf)
    case = Case(
        data=replace(data, ("stations", 1, "modules"), lambda _: [[], {}, [1, [2, {"a": [3]}]]])
    )
    text, doc, duplicates = emit(case)
    read = load_yaml(text, SOURCE)
    assert duplicates == []
    assert read.data == doc.data
    assert set(read.value_positions) == set(doc.value_positions)
    for path in read.value_positions:
        assert read.line_of(path) == doc.line_of(path), format_path(path)
    case.duplicate_keys += [(("programme",), "name"), (("stations", 1), "orbit")]
    text, _, duplicates = emit(case)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, SOURCE)
    assert info.value.problems == duplicates
    assert len(duplicates) == 2


def valid_sample(seed: int, count: int) -> list[tuple[int, Case, LoadedScenario]]:
    """The first ``count`` cases of ``seed`` that validate and change more than text."""
    cosmetic = {"description", "country", "OBJECT_NAME", "OBJECT_ID"}
    out = []
    number = 0
    while len(out) < count:
        case = case_from_seed(seed, number)
        number += 1
        if all(m.path and m.path[-1] in cosmetic for m in case.mutations):
            continue
        try:
            loaded = validate_full(case)
        except ScenarioError:
            continue
        out.append((number - 1, case, loaded))
    return out


RUN_SEED = 3
RUN_CASES = 3


@pytest.mark.slow
@pytest.mark.parametrize("index", range(RUN_CASES))
def test_a_valid_mutation_plans(index: int) -> None:
    """What validate accepts, run plans: no exception at all (an input error there would mean
    validate let through something run refuses)."""
    number, case, loaded = valid_sample(RUN_SEED, RUN_CASES)[index]
    frames.clear_caches()  # independent of earlier tests (see test_run_with_a_full_frames_cache)
    started = time.perf_counter()
    # the manifest's search is cut short: this checks that run plans, not how well
    plan = run_scenario(loaded, risk_runs=20, manifest_time_limit_s=2).plan
    assert time.perf_counter() - started < 600, f"case {number}: {case.describe()}"
    assert plan.programme.name


# --------------------------------------------------------------------------- the CLI

runner = CliRunner()


@pytest.mark.parametrize("number", [0, 1, 2, 3, 4, 5])
def test_cli_validate_exits_0_or_2_without_traceback(tmp_path: Path, number: int) -> None:
    case = case_from_seed(RUN_SEED, number)
    path = tmp_path / "mutant.yaml"
    path.write_text(emit(case)[0], encoding="utf-8")
    from stationplan.cli import app

    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code in (0, 2), (case.describe(), result.output)
    assert "Traceback" not in result.output
    try:
        validate_full(case)
        assert result.exit_code == 0
    except ScenarioError as exc:
        assert result.exit_code == 2
        first = str(exc.problems[0]).replace(SOURCE, str(path))
        assert first.splitlines()[0][:60] in " ".join(result.output.split()), result.output


def test_cli_run_refuses_a_refused_mutation_with_exit_2(tmp_path: Path) -> None:
    case = Case(
        data=replace(default_data(), ("programme", "end_utc"), lambda _: "2060-01-01"),
        mutations=[Mutation("date", ("programme", "end_utc"), "-> 2060-01-01")],
    )
    path = tmp_path / "mutant.yaml"
    path.write_text(emit(case)[0], encoding="utf-8")
    from stationplan.cli import app

    started = time.perf_counter()
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert time.perf_counter() - started < 30  # refused up front, not after the planning
    assert "Traceback" not in result.output
    assert "programme.end_utc" in result.output


# --------------------------------------------------------------------------- run failures found
# Mutations that validate and then crash run, where the fault is in the orbit layer rather
# than a missing validation rule.


def test_run_with_a_full_frames_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that fills the frames node cache (a programme starting in 1924 does, as do many
    runs in one process) still finds the nodes its own request had cached."""
    frames.clear_caches()
    monkeypatch.setattr(frames, "NODE_CACHE_MAX", 5000)
    try:
        run_scenario(
            parse_scenario(emit(Case(data=default_data()))[0], SOURCE),
            risk_runs=20,
            manifest_time_limit_s=2,
        )
    finally:
        frames.clear_caches()


def test_run_with_a_very_light_station() -> None:
    data = replace(default_data(), ("stations", 0, "mass_kg"), lambda _: 1)
    run_scenario(
        parse_scenario(emit(Case(data=data))[0], SOURCE), risk_runs=20, manifest_time_limit_s=2
    )
