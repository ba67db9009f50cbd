"""``stationplan lifetime`` on an element history whose latest B* is negative."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from stationplan.cli import app

runner = CliRunner()
ISS_2024 = "iss_25544_2024-12_2025-07_Aritra476-ISS-Orbital-Tracking-and-Analysis.tle"
NEGATIVE_LAST_LINE = 2150  # line 2 of the 2025-07-02 20:36 set, B* -0.28156e-3


def _write(shared_data: Path, tmp_path: Path, first: int, last: int) -> Path:
    lines = (shared_data / "tle" / "iss" / ISS_2024).read_text(encoding="utf-8").splitlines()
    f = tmp_path / f"iss_{first}_{last}.tle"
    f.write_text("\n".join(lines[first:last]) + "\n", encoding="utf-8")
    return f


def test_negative_bstar_history_is_fitted(shared_data: Path, tmp_path: Path) -> None:
    f = _write(shared_data, tmp_path, 0, NEGATIVE_LAST_LINE)
    result = runner.invoke(app, ["lifetime", "--elements", str(f), "--days", "40"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    fit = data["drag"]["fit"]
    assert 0.004 < fit["ballistic_m2_kg"] < 0.012 and fit["sigma_m2_kg"] > 0
    assert fit["span_start_utc"].startswith("2025-06-02")  # 2 spans pooled, 30 days
    assert fit["span_end_utc"].startswith("2025-07-02T20:36")
    interval = data["drag"]["interval"]
    assert interval["ballistic_low_m2_kg"] < fit["ballistic_m2_kg"]
    assert interval["ballistic_high_m2_kg"] > fit["ballistic_m2_kg"]
    last = data["altitude"][-1]
    assert last["mean_altitude_low_km"] < last["mean_altitude_km"] < last["mean_altitude_high_km"]
    assert "fitted to" in result.stderr and "+- 1 sigma" in result.stderr
    csv_out = runner.invoke(
        app, ["lifetime", "--elements", str(f), "--days", "3", "--format", "csv"]
    )
    assert csv_out.exit_code == 0, csv_out.output
    header, drag, *rows = csv_out.stdout.strip().splitlines()
    assert header.startswith("time_utc,kind,mean_altitude_km,mean_altitude_low_km,")
    assert "sigma_m2_kg" in header and "span_start_utc" in header
    assert drag.split(",")[1] == "drag" and "2025-06-02" in drag
    assert len(rows) == 4 and all(r.split(",")[1] == "altitude" for r in rows)


def test_single_negative_set_is_a_clear_refusal(shared_data: Path, tmp_path: Path) -> None:
    f = _write(shared_data, tmp_path, NEGATIVE_LAST_LINE - 2, NEGATIVE_LAST_LINE)
    result = runner.invoke(app, ["lifetime", "--elements", str(f), "--days", "40"])
    assert result.exit_code == 2
    assert "--area-m2" in result.output and "--fit-days" in result.output
    assert "B* is -0.00028156" in result.output
    assert "Traceback" not in result.output
