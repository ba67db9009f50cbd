"""Every class of bad scenario input gives a message naming file, line, field and expectation."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationplan.errors import ScenarioError
from stationplan.scenario import load_scenario, parse_scenario
from tests.conftest import mutate

SRC = "my.yaml"


def errors_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, source=SRC)
    return [str(p) for p in info.value.problems]


def test_yaml_syntax_error_names_line_and_column(default_text: str) -> None:
    text, line = mutate(
        default_text, "  name: ISS Transition Programme", "  name: [ISS Transition Programme"
    )
    (msg,) = errors_of(text)
    assert msg.startswith(f"{SRC}:{line + 1}:")
    assert "YAML syntax error" in msg


def test_out_of_range_value_names_bounds_and_value(default_text: str) -> None:
    text, line = mutate(default_text, "inclination_deg: 51.6344", "inclination_deg: 245")
    assert (
        f"{SRC}:{line} stations[1].orbit.inclination_deg: must be between 0 and 180 (got 245)"
        in errors_of(text)
    )


def test_unknown_key_suggests_the_close_name(default_text: str) -> None:
    text, line = mutate(default_text, "altitude_km: 416.6", "altitude_kn: 416.6")
    msgs = errors_of(text)
    assert (
        f"{SRC}:{line} stations[1].orbit.altitude_kn: unknown field 'altitude_kn'; "
        "did you mean 'altitude_km'?"
    ) in msgs


def test_all_errors_are_reported_at_once(default_text: str) -> None:
    text, l1 = mutate(default_text, "inclination_deg: 51.6344", "inclination_deg: 245")
    text, l2 = mutate(text, "mass_kg: 235582\n", "mass_kg: heavy\n")
    text, l3 = mutate(text, "crew_seats: 3 ", "crew_sets: 3 ")
    msgs = errors_of(text)
    assert any(m.startswith(f"{SRC}:{l1} stations[1].orbit.inclination_deg") for m in msgs)
    assert f"{SRC}:{l2} stations[0].mass_kg: expected a number (got 'heavy')" in msgs
    assert any(m.startswith(f"{SRC}:{l3} vehicles[0].crew_sets: unknown field") for m in msgs)
    assert len(msgs) >= 3


def test_missing_field_points_at_its_parent(default_text: str) -> None:
    text, _ = mutate(default_text, "    country: Canada\n", "")
    line = text[: text.index("  - code: CSA")].count("\n") + 1
    assert f"{SRC}:{line} partners[4].country: required field is missing" in errors_of(text)


def test_datetime_without_zone_is_refused(default_text: str) -> None:
    text, line = mutate(
        default_text, "end_utc: 2038-12-31T23:59:59Z", "end_utc: 2038-12-31T23:59:59"
    )
    (msg,) = errors_of(text)
    assert msg.startswith(f"{SRC}:{line} programme.end_utc: a date-time needs a time zone")


def test_bad_date_text(default_text: str) -> None:
    text, line = mutate(default_text, "start_utc: 2026-01-01", "start_utc: next tuesday")
    (msg,) = errors_of(text)
    assert msg.startswith(f"{SRC}:{line} programme.start_utc: expected a UTC date-time")


def test_duplicate_key(default_text: str) -> None:
    text, line = mutate(
        default_text, "    mass_kg: 235582\n", "    mass_kg: 1\n    mass_kg: 235582\n"
    )
    (msg,) = errors_of(text)
    assert msg == f"{SRC}:{line + 1}:5: duplicate key 'mass_kg' (first given on line {line})"


def test_module_owner_must_be_declared(default_text: str) -> None:
    text, line = mutate(
        default_text,
        "owner: JAXA\n        launch_utc: 2030-09-01",
        "owner: JAXAA\n        launch_utc: 2030-09-01",
    )
    assert (
        f"{SRC}:{line} stations[1].modules[6].owner: 'JAXAA' is not a declared partner or "
        "provider; did you mean 'JAXA'?"
    ) in errors_of(text)


def test_vehicle_operator_must_be_declared(default_text: str) -> None:
    text, line = mutate(
        default_text,
        "    operator: SPACEX\n    # LC-39A",
        "    operator: BLUE\n    # LC-39A",
    )
    msgs = errors_of(text)
    assert any(
        m.startswith(f"{SRC}:{line} vehicles[2].operator: 'BLUE' is not a declared partner")
        for m in msgs
    )


def test_vehicle_launch_site_must_exist(default_text: str) -> None:
    text, line = mutate(
        default_text,
        "launch_sites: [Baikonur Site 31]\n    crew_seats",
        "launch_sites: [Baikonur Site 13]\n    crew_seats",
    )
    msgs = errors_of(text)
    assert (
        f"{SRC}:{line} vehicles[0].launch_sites[0]: launch site 'Baikonur Site 13' is not "
        "declared under launch_sites; did you mean 'Baikonur Site 31'?"
    ) in msgs


def test_dates_must_fall_inside_the_programme(default_text: str) -> None:
    text, line = mutate(default_text, "launch_utc: 2033-03-01", "launch_utc: 2039-03-01")
    msgs = errors_of(text)
    assert (
        f"{SRC}:{line} stations[1].modules[7].launch_utc: launch of module 'Indian Research "
        "Module' 2039-03-01 is outside the programme (2026-01-01 to 2038-12-31)"
    ) in msgs


def test_site_above_inclination_names_both_numbers(default_text: str) -> None:
    text, line = mutate(default_text, "latitude_deg: 45.996", "latitude_deg: 62.9")
    msgs = errors_of(text)
    assert len(msgs) == 2  # one per station: ISS and Concord Station
    assert msgs[0].startswith(
        f"{SRC}:{line} launch_sites[0].latitude_deg: site 'Baikonur Site 31' at "
        "latitude 62.9 deg cannot launch directly into the plane of 'ISS' "
        "(inclination 51.6344 deg)"
    )


def test_tle_checksum_error(default_text: str) -> None:
    text, _ = mutate(default_text, "16581-3 0  9992", "16581-3 0  9993")
    (msg,) = errors_of(text)
    assert "stations[0].orbit.tle: TLE line 1 checksum is 3 but the line sums to 2" in msg


def test_tle_checksum_column_must_be_a_digit(default_text: str) -> None:
    """The scenario applies the element files' rule: column 69 is the checksum digit (the
    scenario once let a non-digit pass that `propagate` refused)."""
    text, _ = mutate(default_text, "16581-3 0  9992", "16581-3 0  999X")
    (msg,) = errors_of(text)
    assert "stations[0].orbit.tle: TLE line 1 column 69 must be the checksum digit (got 'X')" in msg


def test_two_orbit_sources_refused(default_text: str) -> None:
    text, _ = mutate(
        default_text, "      altitude_km: 416.6\n", "      altitude_km: 416.6\n      tle: '1 2'\n"
    )
    msgs = errors_of(text)
    assert any("stations[1].orbit.tle: a TLE has two lines" in m for m in msgs)


def test_empty_and_non_mapping_documents() -> None:
    assert errors_of("") == [
        f"{SRC}:1: the file is empty; expected a scenario mapping (see `stationplan init`)"
    ]
    assert "expected a mapping of sections" in errors_of("- a\n- b\n")[0]


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "nope.yaml")
    with pytest.raises(ScenarioError, match="is a directory"):
        load_scenario(tmp_path)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"programme:\n  name: \xff\xfe\n")
    with pytest.raises(ScenarioError, match=r"bin.yaml:2: is not UTF-8 text \(byte 0xff\)"):
        load_scenario(binary)


def test_default_scenario_validates() -> None:
    loaded = load_scenario()
    sc = loaded.scenario
    assert [s.name for s in sc.stations] == ["ISS", "Concord Station"]
    assert {p.code for p in sc.partners} == {"NASA", "ROSCOSMOS", "ESA", "JAXA", "CSA", "ISRO"}
    assert len(loaded.sha256) == 64
    # the new partner joins mid-programme
    isro = sc.partner("ISRO")
    assert sc.programme.start_utc < isro.join_utc < sc.programme.end_utc


def test_plain_date_is_midnight_utc(default_text: str) -> None:
    sc = parse_scenario(default_text).scenario
    assert sc.programme.start_utc.isoformat() == "2026-01-01T00:00:00+00:00"


def test_contribution_item_suggests_only_its_kind(default_text: str) -> None:
    """A vehicle contribution's unknown item is matched against the vehicles alone ('Dragon
    Truss' is closer to the module 'Power Truss 2' than to any vehicle name, 'Cargo Module' to
    the module 'Core Module')."""
    text, line = mutate(
        default_text, "{kind: vehicle, item: Soyuz MS,", "{kind: vehicle, item: Dragon Truss,"
    )
    msgs = errors_of(text)
    assert any(
        m.startswith(f"{SRC}:{line} partners[")
        and m.endswith(
            "'Dragon Truss' is not a vehicle of the scenario; did you mean 'Crew Dragon'?"
        )
        for m in msgs
    ), msgs
    text, line = mutate(
        default_text, "{kind: module, item: Harmony,", "{kind: module, item: Cargo Module,"
    )
    assert any(
        m.endswith("'Cargo Module' is not a module of the scenario; did you mean 'Core Module'?")
        for m in errors_of(text)
    )
