"""Random YAML documents never raise anything but ScenarioError (hypothesis)."""

from __future__ import annotations

import contextlib
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from stationplan.errors import ScenarioError
from stationplan.scenario import parse_scenario
from stationplan.scenario.loader import default_scenario_text

KEYS = [
    "programme",
    "stations",
    "partners",
    "vehicles",
    "name",
    "orbit",
    "altitude_km",
    "start_utc",
    "end_utc",
    "code",
    "tle",
    "mass_kg",
    "launch_sites",
    "crew",
    "x",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["2025-01-01", "2025-01-01T00:00:00Z", "1e400", ".nan"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=5
        ),
    ),
    max_leaves=25,
)


def _dump(doc: object) -> str:
    buf = io.StringIO()
    YAML(typ="safe", pure=True).dump(doc, buf)
    return buf.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_documents_only_raise_scenario_error(doc: object) -> None:
    try:
        parse_scenario(_dump(doc), source="fuzz.yaml")
    except ScenarioError as exc:
        assert all(str(p).startswith("fuzz.yaml") for p in exc.problems)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_random_text_only_raises_scenario_error(text: str) -> None:
    with contextlib.suppress(ScenarioError):
        parse_scenario(text, source="fuzz.yaml")


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 20000), st.text(max_size=5))
def test_default_with_random_damage(position: int, insert: str) -> None:
    text = default_scenario_text()
    position = position % len(text)
    damaged = text[:position] + insert + text[position + 1 :]
    with contextlib.suppress(ScenarioError):
        parse_scenario(damaged, source="fuzz.yaml")
