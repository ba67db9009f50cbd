"""``stationplan windows`` flies a vehicle of a scenario (``--vehicle``, ``--scenario``), with
``--site``, ``--ascent-s``, ``--strategy`` and ``--lead-s`` overriding single values; with bare
options every assumed value is stated with its source, in the JSON and CSV rows and on the
terminal, and a lead of 0 s nothing calibrated is flagged.

The element set is the ISS's of 2015-03-27 (as tests/cli/test_cli.py); one day of windows
from Baikonur holds one ascending window inside the 33-70 deg corridor, two at a LAT,LON pad
(no corridor: the descending crossing counts too).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stationplan.cli import app
from stationplan.ops.sites import default_scenario
from stationplan.scenario.models import Vehicle
from tests.ops.scenarios import MINI

runner = CliRunner()

ISS_TLE = (
    "ISS (ZARYA)\n"
    "1 25544U 98067A   15086.17334635  .00015434  00000-0  22972-3 0  9994\n"
    "2 25544  51.6460 133.7315 0007136 144.2025 255.6332 15.55307244935270\n"
)
SPAN = ["--from", "2015-03-27T12:00:00Z", "--to", "2015-03-28T12:00:00Z"]
WARNING = "lift-off = plane crossing; give --vehicle or --lead-s"


@pytest.fixture()
def tle(tmp_path: Path) -> Path:
    f = tmp_path / "ISS.tle"
    f.write_text(ISS_TLE, encoding="utf-8")
    return f


def _vehicle(name: str) -> Vehicle:
    return next(v for v in default_scenario().vehicles if v.name == name)


def _windows(tle: Path, *options: str) -> tuple[list[dict[str, object]], str]:
    """The JSON rows and the terminal messages of a successful run."""
    result = runner.invoke(app, ["windows", "--elements", str(tle), *SPAN, *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def test_vehicle_gives_pad_and_every_value(tle: Path) -> None:
    soyuz = _vehicle("Soyuz MS")
    rows, said = _windows(tle, "--vehicle", "Soyuz MS")
    assert rows
    for row in rows:
        assert row["lead_s"] == soyuz.launch_offset_s
        assert row["ascent_s"] == soyuz.ascent_duration_s
        assert row["insertion_altitude_km"] == soyuz.insertion_altitude_km
        assert row["rendezvous_strategy"] == soyuz.rendezvous_strategy.value
        assert row["plane_change_deg"] == soyuz.plane_change_deg
        assert row["ascent_source"] == row["insertion_altitude_source"] == "vehicle Soyuz MS"
        assert row["lead_source"] == f"vehicle Soyuz MS, {soyuz.launch_offset_source} lead"
        assert row["lead_warning"] is None
    assert f"windows from {soyuz.launch_sites[0]} to ISS (ZARYA)" in said
    assert f"lead {soyuz.launch_offset_s:g} s (vehicle Soyuz MS, " in said
    assert f"insertion {soyuz.insertion_altitude_km:g} km" in said
    assert "default-assumed" not in said and "warning" not in said


def test_site_overrides_the_vehicles_pad(tle: Path) -> None:
    """Soyuz MS from Site 1 (45.920 N 63.342 E) instead of its Site 31: its values, that pad."""
    soyuz = _vehicle("Soyuz MS")
    own, _ = _windows(tle, "--vehicle", "Soyuz MS")
    site_1, said = _windows(tle, "--vehicle", "Soyuz MS", "--site", "45.920,63.342,100")
    assert "windows from 45.920,63.342,100 to ISS (ZARYA)" in said
    assert [r["launch_utc"] for r in site_1] != [r["launch_utc"] for r in own]
    assert {r["lead_s"] for r in site_1} == {soyuz.launch_offset_s}
    assert {r["lead_source"] for r in site_1} == {
        f"vehicle Soyuz MS, {soyuz.launch_offset_source} lead"
    }


def test_single_values_override_the_vehicle(tle: Path) -> None:
    rows, said = _windows(
        tle, "--vehicle", "Progress MS", "--lead-s", "150", "--strategy", "4orbit"
    )
    progress = _vehicle("Progress MS")
    assert rows
    for row in rows:
        assert (row["lead_s"], row["lead_source"]) == (150, "given")
        assert (row["rendezvous_strategy"], row["rendezvous_strategy_source"]) == (
            "4orbit",
            "given",
        )
        assert (row["ascent_s"], row["ascent_source"]) == (
            progress.ascent_duration_s,
            "vehicle Progress MS",
        )
    assert "profile 4orbit, lead 150 s (given)" in said


def test_unknown_vehicle_exits_2_naming_the_option_and_the_vehicles(tle: Path) -> None:
    result = runner.invoke(
        app, ["windows", "--elements", str(tle), *SPAN, "--vehicle", "Soyuz TMA"]
    )
    assert result.exit_code == 2
    names = ", ".join(v.name for v in default_scenario().vehicles)
    assert (
        f"--vehicle: 'Soyuz TMA' names no single vehicle of the default scenario; "
        f"its vehicles: {names}"
    ) in result.stderr
    assert result.stdout == ""


def test_neither_site_nor_vehicle_exits_2(tle: Path) -> None:
    result = runner.invoke(app, ["windows", "--elements", str(tle), *SPAN])
    assert result.exit_code == 2
    assert "--site: give a launch site (name or LAT,LON) or a vehicle" in result.stderr


def test_bare_coordinates_state_every_assumption_and_warn(tle: Path) -> None:
    """The case that answered with the plane crossing as lift-off and said nothing: a LAT,LON
    pad (Baikonur Site 31) and a profile, no vehicle."""
    args = ["windows", "--elements", str(tle), *SPAN, "--site", "45.996,63.564"]
    args += ["--strategy", "2orbit"]
    as_json = runner.invoke(app, args)
    as_csv = runner.invoke(app, [*args, "--format", "csv"])
    assert as_json.exit_code == 0 and as_csv.exit_code == 0, (as_json.output, as_csv.output)
    rows = json.loads(as_json.stdout)
    table = list(csv.DictReader(as_csv.stdout.splitlines()))
    assert rows and len(table) == len(rows)
    expected = {
        "lead_s": ("0.0", "default-assumed"),
        "ascent_s": ("528.0", "default-assumed"),
        "insertion_altitude_km": ("220.0", "default-assumed"),
        "rendezvous_strategy": ("2orbit", "given"),
        "plane_change_deg": ("0.0", "default-assumed"),
    }
    sources = {
        "lead_s": "lead_source",
        "ascent_s": "ascent_source",
        "insertion_altitude_km": "insertion_altitude_source",
        "rendezvous_strategy": "rendezvous_strategy_source",
        "plane_change_deg": "plane_change_source",
    }
    for row, line in zip(rows, table, strict=True):
        for column, (value, source) in expected.items():
            assert str(row[column]) == line[column] == value
            assert row[sources[column]] == line[sources[column]] == source
        assert WARNING in str(row["lead_warning"]) and WARNING in line["lead_warning"]
        assert row["launch_utc"] == row["plane_crossing_utc"]
    said = as_json.stderr
    assert (
        "ascent 528 s, insertion 220 km, dogleg 0 deg, lead 0 s (default-assumed); "
        "profile 2orbit (given)"
    ) in said
    assert f"warning: lead 0 s assumed: nothing calibrates it; {WARNING}" in said


def test_named_site_still_flies_its_first_vehicle(tle: Path) -> None:
    soyuz = _vehicle("Soyuz MS")
    rows, said = _windows(tle, "--site", "Baikonur")
    assert rows and {r["lead_s"] for r in rows} == {soyuz.launch_offset_s}
    first = "vehicle Soyuz MS (first to fly from Baikonur Site 31)"
    assert {r["ascent_source"] for r in rows} == {first}
    assert f"({first})" in said and "warning" not in said


def test_vehicle_of_a_scenario_file(tle: Path, tmp_path: Path) -> None:
    scenario = tmp_path / "mini.yaml"
    scenario.write_text(MINI, encoding="utf-8")
    rows, said = _windows(tle, "--scenario", str(scenario), "--vehicle", "Freighter")
    assert "windows from Pad North to ISS (ZARYA)" in said
    assert rows and {r["lead_source"] for r in rows} == {"vehicle Freighter, assumed lead"}
    args = ["windows", "--elements", str(tle), *SPAN, "--scenario", str(scenario)]
    unknown = runner.invoke(app, [*args, "--vehicle", "Soyuz MS"])
    assert unknown.exit_code == 2
    assert (
        f"'Soyuz MS' names no single vehicle of scenario {scenario}; its vehicles: Ferry, Freighter"
    ) in unknown.stderr
