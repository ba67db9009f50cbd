"""Collision risk of a station from the tracked-object catalog in the plan: the default
scenario's built-in catalog (Space-Track, 2022-01-22), the rates and the propellant, the
scenario checks of a catalog file."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationplan.errors import ScenarioError
from stationplan.ops.assembly import build_all
from stationplan.ops.conjunctions import object_type
from stationplan.ops.debris import station_debris_risk
from stationplan.ops.supply import DAYS_PER_YEAR
from stationplan.scenario import load_scenario, parse_scenario
from stationplan.scenario.loader import debris_catalog, default_scenario_text


def test_object_types_from_space_track_names() -> None:
    assert object_type("COSMOS 1408 DEB") == "debris"
    assert object_type("CZ-2D DEB") == "debris"
    assert object_type("UNHA 3 R/B") == "rocket_body"
    assert object_type("STARLINK-1885") == "payload"


def test_a_station_screened_against_the_built_in_catalog() -> None:
    """The default scenario's Concord Station (415 km, 51.6 deg) against the 3,425 objects of
    the built-in catalog for 7 days: approaches under 5 km, each rated; the rates are the
    counts scaled to a year; the propellant a year is the manoeuvres a year times the rocket
    equation for the mean burn."""
    loaded = load_scenario()
    sc = loaded.scenario
    assert sc.debris is not None
    catalog = debris_catalog(sc.debris.catalog_file, loaded.source)
    assert len(catalog) == 3425
    builds = build_all(sc)
    risk = station_debris_risk(sc.stations[1], builds[1], catalog, sc.debris, sc.policies, 300.0)
    assert risk.events, "a week at the ISS's altitude has approaches under 5 km"
    assert all(e.miss_km < sc.policies.screening_distance_km for e in risk.events)
    assert [e.pc for e in risk.events] == sorted((e.pc for e in risk.events), reverse=True)
    assert risk.encounters_per_year == pytest.approx(
        len(risk.events) * DAYS_PER_YEAR / sc.debris.days, abs=0.1
    )
    assert risk.manoeuvres_per_year == pytest.approx(
        risk.red * DAYS_PER_YEAR / sc.debris.days, abs=0.01
    )
    for e in risk.events:
        if e.level == "red" and e.avoidance_dv_m_s is not None:
            assert e.pc_after is not None and e.pc_after < sc.policies.pc_maneuver_threshold
    if risk.red == 0:
        assert risk.propellant_kg_per_year == 0.0


def test_the_plan_and_report_carry_the_collision_risk() -> None:
    from stationplan.report.html import render_report
    from tests.conftest import default_run

    plan = default_run().plan
    assert plan.debris is not None and len(plan.debris) == len(plan.stations)
    assert any(f.topic == "collision risk" for f in plan.findings)
    html = render_report(plan)
    assert 'id="debris"' in html and "Collision risk from tracked objects" in html
    assert "Not yet computed" not in html


def _with_debris(block: str) -> str:
    text = default_scenario_text()
    head, _, tail = text.partition("\ndebris:\n")
    rest = tail.split("\n\n", 1)[1]
    return head + "\ndebris:\n" + block + "\n" + rest


@pytest.mark.parametrize(
    ("block", "says"),
    [
        ("  catalog_file: builtin:nothing-here\n", "no built-in catalog 'builtin:nothing-here'"),
        ("  catalog_file: no/such/catalog.tle\n", "does not exist"),
    ],
)
def test_a_missing_catalog_is_refused_when_loading(block: str, says: str) -> None:
    text = _with_debris(block)
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, source="s.yaml")
    message = str(err.value)
    assert says in message and "debris.catalog_file" in message, message
    line = text.splitlines().index("debris:") + 2
    assert f"s.yaml:{line}" in message, message


def test_a_catalog_file_is_found_beside_the_scenario(tmp_path: Path) -> None:
    """A relative catalog path starts at the scenario file's folder; a file with no readable
    element set is refused."""
    built_in = debris_catalog("builtin:catalog_330-480km_2022-01-22", "<default>")
    src = Path(built_in[0].source)
    (tmp_path / "cat.3le").write_text(
        "\n".join(src.read_text(encoding="utf-8").splitlines()[:30]) + "\n", encoding="utf-8"
    )
    good = tmp_path / "s.yaml"
    good.write_text(_with_debris("  catalog_file: cat.3le\n"), encoding="utf-8")
    assert load_scenario(good).scenario.debris is not None
    (tmp_path / "empty.3le").write_text("not a catalog\n", encoding="utf-8")
    bad = tmp_path / "b.yaml"
    bad.write_text(_with_debris("  catalog_file: empty.3le\n"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="holds no readable element set"):
        load_scenario(bad)


def test_red_events_get_burns_and_propellant() -> None:
    """With the red threshold at 1e-5 (the yellow ones of the week become red), each red event
    gets the along-track burn that brings it under 1e-5, the altitude change 2 dv / n has the
    burn's sign, and the propellant a year is the manoeuvres a year times the rocket equation
    for the mean burn (Isp 300 s)."""
    import math

    loaded = load_scenario()
    sc = loaded.scenario
    assert sc.debris is not None
    policies = sc.policies.model_copy(
        update={"pc_maneuver_threshold": 1e-5, "pc_watch_threshold": 1e-6}
    )
    catalog = debris_catalog(sc.debris.catalog_file, loaded.source)
    build = build_all(sc)[1]
    risk = station_debris_risk(sc.stations[1], build, catalog, sc.debris, policies, 300.0)
    red = [e for e in risk.events if e.level == "red"]
    assert red and risk.red == len(red)
    for e in red:
        assert e.avoidance_dv_m_s is not None and e.pc_after is not None
        assert e.pc_after < 1e-5 <= e.pc
        assert e.altitude_change_km is not None
        assert math.copysign(1.0, e.altitude_change_km) == math.copysign(1.0, e.avoidance_dv_m_s)
        assert e.propellant_kg is not None and e.propellant_kg > 0
    mass = build.steps[-1].station_mass_kg
    per_burn = mass * (1 - math.exp(-risk.mean_avoidance_dv_m_s / (300.0 * 9.80665)))
    assert risk.propellant_kg_per_year == pytest.approx(
        risk.manoeuvres_per_year * per_burn, rel=0.02
    )
