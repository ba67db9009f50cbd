"""Nothing lost, nothing left behind, no internal error for a user's mistake.

Each test reproduces a mistake a user made with the command line (a folder of their own given
as --out, an output path that cannot be written, a span past the station's decay, options
that contradict each other) and checks the answer: exit 2 with a message before any work, or
the work done with what could not be done said, never exit 1.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stationplan.cli import app
from stationplan.plan.engine import RunResult
from stationplan.plan.model import Finding, Severity
from tests.cli.test_cli import ISS_TLE
from tests.conftest import default_run

runner = CliRunner()


@pytest.fixture(scope="module")
def planned() -> RunResult:
    """One real plan of the default scenario, reused by the output-folder tests."""
    return default_run()


@pytest.fixture()
def fast_run(monkeypatch: pytest.MonkeyPatch, planned: RunResult) -> list[int]:
    """Make `run` reuse the plan above; count how often the planning was started."""
    import stationplan.plan.engine as engine

    calls: list[int] = []

    def cached(*_a: object, **_k: object) -> RunResult:
        calls.append(1)
        return planned

    monkeypatch.setattr(engine, "run_scenario", cached)
    return calls


@pytest.fixture()
def tle(tmp_path: Path) -> Path:
    f = tmp_path / "iss.tle"
    f.write_text(ISS_TLE, encoding="utf-8")
    return f


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_run_refuses_a_folder_it_did_not_write(tmp_path: Path, fast_run: list[int]) -> None:
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "notes.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["run", "--out", str(d)])
    assert result.exit_code == 2, result.output
    assert "holds no stationplan output" in result.output and "--force" in result.output
    assert _listing(d) == ["notes.txt", "sub"] and not fast_run  # refused before the work
    forced = runner.invoke(app, ["run", "--out", str(d), "--force"])
    assert forced.exit_code == 0, forced.output
    listing = _listing(d)
    assert {"notes.txt", "sub", "plan.json", "report.html", "ISS.oem"} <= set(listing)
    assert (d / "notes.txt").read_text(encoding="utf-8") == "x"


def test_run_lists_its_warnings(tmp_path: Path, fast_run: list[int], planned: RunResult) -> None:
    planned.plan.findings.append(
        Finding(severity=Severity.WARNING, topic="ground segment", message="Kiruna never sees ISS")
    )
    result = runner.invoke(app, ["run", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "1 warning(s)" in result.output
    assert "warning: ground segment: Kiruna never sees ISS" in result.output


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("afile", "exists and is not a folder"),
        ("/proc/stationplan-test", "cannot write in /proc"),
        ("", "an empty path"),
    ],
)
def test_run_bad_destination_exit_2_before_the_work(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fast_run: list[int],
    out: str,
    message: str,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "afile").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["run", "--out", out])
    assert result.exit_code == 2, result.output
    assert message in result.output and "This is a bug" not in result.output
    assert not fast_run
    assert _listing(tmp_path) == ["work", "work/afile"]  # no temporary folder anywhere


@pytest.mark.parametrize(
    ("target", "message"),
    [("/proc/stationplan-test/y.csv", "cannot create the folder"), ("adir", "is a folder")],
)
def test_propagate_bad_output_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tle: Path, target: str, message: str
) -> None:
    (tmp_path / "adir").mkdir()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        ["propagate", str(tle), "--start", "2015-03-27", "--end", "2015-03-28", "-o", target],
    )
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert _listing(tmp_path) == ["adir", "iss.tle"]


def test_propagate_output_mode_and_decay_warning(tmp_path: Path, tle: Path) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "eph.csv"
        result = runner.invoke(
            app,
            [
                "propagate",
                str(tle),
                "--start",
                "2018-08-30",
                "--end",
                "2018-09-01",
                "--step",
                "3600",
                "-o",
                str(out),
            ],
        )
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert (out.stat().st_mode & 0o777) == 0o644
    # the 2015 set stops propagating in SGP4 on 2018-08-31; the warning names the object
    assert "SGP4 failed for object 25544 (ISS (ZARYA))" in result.output


def test_windows_stop_where_the_station_decays(tle: Path) -> None:
    result = runner.invoke(
        app,
        [
            "windows",
            "--elements",
            str(tle),
            "--site",
            "Baikonur Site 31",
            "--from",
            "2015-03-27T00:00:00Z",
            "--to",
            "2020-03-27T00:00:00Z",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "object 25544 (ISS (ZARYA)) stops propagating at 2018-08-31" in result.output
    records = json.loads(result.stdout)
    assert len(records) > 1000
    assert records[-1]["launch_utc"] < "2018-08-31T17"
    assert all(r["phase_angle_deg"] == r["phase_angle_deg"] for r in records)  # no NaN
    after = runner.invoke(
        app,
        [
            "windows",
            "--elements",
            str(tle),
            "--site",
            "Baikonur",
            "--from",
            "2019-01-01",
            "--to",
            "2019-01-02",
        ],
    )
    assert after.exit_code == 2 and "cannot be propagated at 2019-01-01" in after.output


def test_windows_option_bounds_and_messages(tle: Path) -> None:
    base = ["windows", "--elements", str(tle), "--from", "2015-03-27", "--to", "2015-03-28"]
    lead = runner.invoke(app, [*base, "--site", "Baikonur", "--lead-s", "1e9"])
    assert lead.exit_code == 2 and "--lead-s: must be less than or equal to 3600" in lead.output
    site = runner.invoke(app, [*base, "--site", "45,400"])
    assert site.exit_code == 2 and "--site: '45,400'" in site.output
    assert "--station" not in site.output


def test_windows_width_and_per_profile_dv(tle: Path) -> None:
    result = runner.invoke(
        app,
        [
            "windows",
            "--elements",
            str(tle),
            "--site",
            "Baikonur",
            "--from",
            "2015-03-27T12:00:00Z",
            "--to",
            "2015-03-28T12:00:00Z",
        ],
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    for r in records:
        assert r["window_width_s"] == 0.0  # Soyuz has no dogleg: instantaneous windows
        assert r["window_opens_utc"] is None and r["window_closes_utc"] is None
    dvs = {name: o["dv_m_s"] for r in records for name, o in r["strategies"].items()}
    assert len(set(dvs.values())) > 1, dvs  # profiles differ by their plane correction


def test_lifetime_csv_keeps_reboosts_and_reentry(tle: Path) -> None:
    kept = runner.invoke(
        app,
        [
            "lifetime",
            "--elements",
            str(tle),
            "--days",
            "120",
            "--band",
            "398,402",
            "--mass-kg",
            "420000",
            "--isp-s",
            "302",
            "--f107",
            "200",
            "--format",
            "csv",
        ],
    )
    assert kept.exit_code == 0, kept.output
    lines = kept.stdout.strip().splitlines()
    assert lines[0].startswith("time_utc,kind,mean_altitude_km,altitude_after_km,dv_m_s")
    reboosts = [ln for ln in lines if ",reboost," in ln]
    assert reboosts and all(ln.split(",")[3] == "402.0" for ln in reboosts)
    decay = runner.invoke(
        app, ["lifetime", "--elements", str(tle), "--days", "1500", "--format", "csv"]
    )
    assert decay.exit_code == 0, decay.output
    assert ",reentry," in decay.stdout.strip().splitlines()[-1]


def test_lifetime_weather_is_either_constants_or_a_file(tle: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "lifetime",
            "--elements",
            str(tle),
            "--days",
            "10",
            "--f107",
            "120",
            "--space-weather",
            str(tmp_path / "sw.csv"),
        ],
    )
    assert result.exit_code == 2
    assert (
        "--space-weather: a constant F10.7 and a space-weather file are alternatives"
        in result.output
    )


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_leaves_output_and_no_staging(tmp_path: Path, sig: int) -> None:
    out = tmp_path / "out"
    out.mkdir()
    exe = Path(sys.executable).with_name("stationplan")
    proc = subprocess.Popen(
        [str(exe), "run", "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
        p.name.endswith(".tmp") for p in tmp_path.iterdir()
    ):
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert _listing(tmp_path) == ["out"]
