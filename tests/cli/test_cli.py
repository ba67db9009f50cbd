"""CLI exit codes: 0 ok, 2 bad input (no traceback), 1 internal error; end-to-end run."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stationplan import __version__
from stationplan.cli import app
from stationplan.plan import Plan
from stationplan.scenario import load_scenario
from stationplan.scenario.loader import example_scenario_text
from tests.conftest import default_run, mutate

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_validate_default_copy(tmp_path: Path) -> None:
    target = tmp_path / "my.yaml"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# The default stationplan scenario")
    assert "NASA Advanced Life Support Baseline Values" in text  # the source comments come along
    result = runner.invoke(app, ["validate", str(target)])
    assert result.exit_code == 0, result.output
    assert "valid (2 station(s), 6 partners, 5 vehicles)" in result.output


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "my.yaml"
    target.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert target.read_text(encoding="utf-8") == "keep me"
    assert runner.invoke(app, ["init", str(target), "--force"]).exit_code == 0


def test_validate_bad_file_exit_2_all_messages(tmp_path: Path, default_text: str) -> None:
    text, line = mutate(default_text, "inclination_deg: 51.6344", "inclination_deg: 245")
    text, _ = mutate(text, "crew_seats: 3 ", "crew_sets: 3 ")
    bad = tmp_path / "my.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert (
        f"my.yaml:{line} stations[1].orbit.inclination_deg: must be between 0 and 180 (got 245)"
        in result.output
    )
    assert "did you mean 'crew_seats'?" in result.output
    assert "Traceback" not in result.output


def test_missing_file_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(tmp_path / "none.yaml"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert not (tmp_path / "o").exists()


def test_usage_error_exit_2() -> None:
    assert runner.invoke(app, ["run", "--no-such-flag"]).exit_code == 2


def test_internal_error_exit_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import stationplan.plan.engine as engine

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(engine, "run_scenario", boom)
    result = runner.invoke(app, ["run", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "internal error: RuntimeError: kaboom" in result.output
    assert "Traceback" not in result.output


def test_schema_command_prints_json() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "stations" in schema["properties"]


def test_run_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "--out", str(out)])
    assert result.exit_code == 0, result.output
    plan = Plan.model_validate_json((out / "plan.json").read_text(encoding="utf-8"))
    raw = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert raw["meta"]["schema_version"] == 1
    assert raw["meta"]["stationplan_version"] == __version__
    assert plan.meta.scenario_sha256 == load_scenario().sha256
    assert [s.name for s in plan.stations] == ["ISS", "Concord Station"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "ISS Transition Programme" in html
    assert "<script src=" not in html and "<link" not in html  # self-contained, no CDN
    assert "Plotly" in html  # plotly.js embedded
    assert sorted(p.name for p in out.iterdir()) == [
        ".stationplan-output.json",
        "Concord_Station.czml",
        "Concord_Station.oem",
        "ISS.czml",
        "ISS.oem",
        "ledger.csv",
        "manifest.csv",
        "manifest.ics",
        "plan.json",
        "report.html",
    ]
    assert (out / "ISS.oem").read_text(encoding="utf-8").startswith("CCSDS_OEM_VERS")
    ledger = list(csv.DictReader(io.StringIO((out / "ledger.csv").read_text(encoding="utf-8"))))
    assert plan.partnership is not None and len(ledger) == len(plan.partnership.ledger)
    assert {"payload_site_years_entitled", "total_musd"} <= set(ledger[0])
    assert (
        json.loads((out / "Concord_Station.czml").read_text(encoding="utf-8"))[0]["id"]
        == "document"
    )
    assert len(plan.orbits) == 2 and plan.orbits[1].contacts


def test_failed_run_keeps_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the small iss-2015 example: what is checked is the folder, not the plan
    scenario = tmp_path / "iss-2015.yaml"
    scenario.write_text(example_scenario_text("iss-2015"), encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(scenario), "--out", str(out)]).exit_code == 0
    before = (out / "plan.json").read_text(encoding="utf-8")

    import stationplan.report.run_folder as run_folder

    def broken(_plan: object) -> str:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(run_folder, "render_report", broken)
    assert runner.invoke(app, ["run", str(scenario), "--out", str(out)]).exit_code == 1
    assert (out / "plan.json").read_text(encoding="utf-8") == before
    # no temporary folder left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["iss-2015.yaml", "out"]


def test_plan_roundtrip_is_exact() -> None:
    plan = default_run().plan
    again = Plan.model_validate_json(plan.model_dump_json())
    assert again == plan


ISS_TLE = (
    "ISS (ZARYA)\n"
    "1 25544U 98067A   15086.17334635  .00015434  00000-0  22972-3 0  9994\n"
    "2 25544  51.6460 133.7315 0007136 144.2025 255.6332 15.55307244935270\n"
)


def test_propagate_csv_geodetic(tmp_path: Path) -> None:
    f = tmp_path / "iss.tle"
    f.write_text(ISS_TLE, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "propagate",
            str(f),
            "--start",
            "2015-03-27T06:00:00Z",
            "--end",
            "2015-03-27T06:02:00Z",
            "--step",
            "60",
            "--frame",
            "geodetic",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "time_utc,lat_deg,lon_deg,alt_km"
    assert lines[1].startswith("2015-03-27T06:00:00.000Z,") and len(lines) == 4


def test_propagate_and_events_bad_input(tmp_path: Path) -> None:
    f = tmp_path / "iss.tle"
    f.write_text(ISS_TLE.replace("9994", "9995"), encoding="utf-8")
    args = ["--start", "2015-03-27T06:00:00Z", "--end", "2015-03-27T07:00:00Z"]
    strict = runner.invoke(app, ["propagate", str(f), *args, "--strict"])
    assert strict.exit_code == 2
    assert "iss.tle:2: TLE line 1 checksum is 5 but the line sums to 4" in strict.output
    good = tmp_path / "good.tle"
    good.write_text(ISS_TLE, encoding="utf-8")
    assert runner.invoke(app, ["propagate", str(good), *args, "--step", "0"]).exit_code == 2
    swapped = runner.invoke(
        app,
        [
            "propagate",
            str(good),
            "--start",
            "2015-03-28T00:00:00Z",
            "--end",
            "2015-03-27T00:00:00Z",
        ],
    )
    assert swapped.exit_code == 2 and "--end: must be after the start 2015-03-28" in swapped.output
    naive = runner.invoke(
        app,
        [
            "events",
            str(good),
            "--start",
            "2015-03-27T06:00:00",
            "--end",
            "2015-03-27T07:00:00Z",
            "--kind",
            "eclipse",
        ],
    )
    assert naive.exit_code == 2 and "has no time zone" in naive.output
    no_site = runner.invoke(app, ["events", str(good), *args, "--kind", "contact"])
    assert no_site.exit_code == 2 and "--station: contacts need a ground site" in no_site.output


def test_events_eclipse_json(tmp_path: Path) -> None:
    f = tmp_path / "iss.tle"
    f.write_text(ISS_TLE, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "events",
            str(f),
            "--start",
            "2015-03-27T06:00:00Z",
            "--end",
            "2015-03-27T08:00:00Z",
            "--kind",
            "eclipse",
        ],
    )
    assert result.exit_code == 0, result.output
    passes = json.loads(result.stdout)
    # one record per pass through the shadow (about 36 min of a 92.7-min orbit at 400 km)
    assert 1 <= len(passes) <= 2
    for p in passes:
        assert p["penumbra_entry_utc"] < p["umbra_entry_utc"] < p["umbra_exit_utc"]
        assert p["umbra_exit_utc"] < p["penumbra_exit_utc"]
        assert all(p[k].endswith("Z") for k in p if k.endswith("_utc"))
        assert 0 < p["umbra_s"] < p["shadow_s"] < 40 * 60


@pytest.mark.parametrize(
    ("kind", "columns"),
    [
        ("eclipse", "penumbra_entry_utc,umbra_entry_utc,umbra_exit_utc,penumbra_exit_utc,"),
        ("node", "time_utc,kind"),
        ("contact", "aos_utc,los_utc,max_elevation_utc,max_elevation_deg,duration_s,"),
    ],
)
def test_events_csv_and_json_agree(tmp_path: Path, kind: str, columns: str) -> None:
    """The same records in both formats; times ISO 8601 UTC with Z to the millisecond."""
    f = tmp_path / "iss.tle"
    f.write_text(ISS_TLE, encoding="utf-8")
    args = ["events", str(f), "--start", "2015-03-27T00:00:00Z", "--end", "2015-03-27T12:00:00Z"]
    args += ["--kind", kind, "--station", "45.92,63.342,100"]
    as_json = runner.invoke(app, args)
    as_csv = runner.invoke(app, [*args, "--format", "csv"])
    assert as_json.exit_code == 0 and as_csv.exit_code == 0, (as_json.output, as_csv.output)
    records = json.loads(as_json.stdout)
    lines = as_csv.stdout.splitlines()
    assert lines[0].startswith(columns)
    rows = list(csv.DictReader(lines))
    assert records and len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert list(row) == list(record)
        for key, value in record.items():
            if key.endswith("_utc") and value is not None:
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", value), value
            text = "" if value is None else str(value).lower() if isinstance(value, bool) else value
            assert row[key] == str(text)


def test_windows_tma16m_csv_and_bad_site(tmp_path: Path) -> None:
    f = tmp_path / "iss.tle"
    f.write_text(ISS_TLE, encoding="utf-8")
    args = [
        "windows",
        "--elements",
        str(f),
        "--from",
        "2015-03-27T12:00:00Z",
        "--to",
        "2015-03-28T12:00:00Z",
    ]
    result = runner.invoke(
        app, [*args, "--site", "Baikonur", "--strategy", "4orbit", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("launch_utc,plane_crossing_utc,window_width_s,window_opens_utc")
    assert lines[0].endswith("4orbit_docking_utc,4orbit_dv_m_s")
    # Soyuz TMA-16M lifted off 19:42:57 UTC from Site 1; the default scenario's Site 31 is
    # 17 km east, a few seconds later: the prediction must still fall within 60 s
    assert lines[1].startswith("2015-03-27T19:4")
    unreachable = runner.invoke(app, [*args, "--site", "62.9,10"])
    assert unreachable.exit_code == 2
    assert "latitude 62.9 deg exceeds the orbit's inclination 51.65 deg" in unreachable.output
    unknown = runner.invoke(app, [*args, "--site", "Vandenberg"])
    assert unknown.exit_code == 2 and "names no single launch site" in unknown.output


def test_lifetime_free_decay_and_band(tmp_path: Path) -> None:
    f = tmp_path / "iss.tle"
    f.write_text(ISS_TLE, encoding="utf-8")
    free = runner.invoke(
        app,
        [
            "lifetime",
            "--elements",
            str(f),
            "--days",
            "10",
            "--f107",
            "140",
            "--ap",
            "8",
            "--format",
            "csv",
        ],
    )
    assert free.exit_code == 0, free.output
    lines = free.stdout.strip().splitlines()
    assert lines[0].startswith("time_utc,kind,mean_altitude_km,") and len(lines) == 12
    first, last = float(lines[1].split(",")[2]), float(lines[-1].split(",")[2])
    assert 401.7 < first < 401.8 and last < first  # mean altitude of the 2015-03-27 set decays
    kept = runner.invoke(
        app,
        [
            "lifetime",
            "--elements",
            str(f),
            "--days",
            "30",
            "--band",
            "400,400.01",
            "--mass-kg",
            "420000",
            "--isp-s",
            "302",
            "--f107",
            "250",
        ],
    )
    assert kept.exit_code == 0, kept.output
    assert "cannot be held" in kept.output  # explained, not a crash
    missing = runner.invoke(
        app, ["lifetime", "--elements", str(f), "--days", "10", "--band", "400,420"]
    )
    assert (
        missing.exit_code == 2
        and "a band held by reboosts needs the mass and the engine" in missing.output
    )
    bad = runner.invoke(app, ["lifetime", "--elements", str(f), "--days", "10", "--band", "420"])
    assert bad.exit_code == 2 and "is not MIN_KM,MAX_KM" in bad.output


def test_lifetime_json_shape(tmp_path: Path) -> None:
    f = tmp_path / "iss.tle"
    f.write_text(ISS_TLE, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "lifetime",
            "--elements",
            str(f),
            "--days",
            "200",
            "--band",
            "398,402",
            "--mass-kg",
            "420000",
            "--isp-s",
            "302",
            "--f107",
            "200",
            "--ap",
            "15",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"altitude", "reboosts"}
    assert data["reboosts"], "a 4-km band over 200 days at F10.7 200 needs reboosts"
    r = data["reboosts"][0]
    assert set(r) == {
        "time_utc",
        "dv_m_s",
        "propellant_kg",
        "burn_s",
        "altitude_before_km",
        "altitude_after_km",
    }
    assert 0 < r["dv_m_s"] < 5 and r["burn_s"] > 0
