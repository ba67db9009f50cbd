"""`stationplan screen`: the ISS against the real catalog snapshot of 2022-01-22 (Space-Track
full catalog, see the data's SOURCES.md), its outputs and its bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stationplan.cli import app

runner = CliRunner()
CATALOG = "tle/catalog/spacetrack_full_catalog_3le_2022-01-22_ReeceHumphreys-ODAP.3le"


@pytest.fixture(scope="module")
def catalog(shared_data: Path) -> Path:
    return shared_data / CATALOG


def test_screen_the_iss_for_a_day(catalog: Path) -> None:
    """One day from 2022-01-24 00:00 UTC at 5 km: the CZ-2D debris approach (43038) at about
    05:52 UTC, 3.8 km; every row carries its components (their norm is the miss distance)
    and a Pc."""
    res = runner.invoke(
        app,
        [
            "screen",
            "--catalog",
            str(catalog),
            "--primary",
            "25544",
            "--start",
            "2022-01-24",
            "--days",
            "1",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert rows, res.output
    first = rows[0]
    assert set(first) == {
        "primary",
        "secondary",
        "secondary_name",
        "tca_utc",
        "miss_km",
        "radial_km",
        "intrack_km",
        "crosstrack_km",
        "rel_speed_km_s",
        "pc",
    }
    czd = next(r for r in rows if r["secondary"] == 43038)
    assert czd["tca_utc"].startswith("2022-01-24T05:5")
    assert czd["miss_km"] == pytest.approx(3.77, abs=0.05)
    comps = (czd["radial_km"], czd["intrack_km"], czd["crosstrack_km"])
    assert sum(c * c for c in comps) ** 0.5 == pytest.approx(czd["miss_km"], abs=0.002)
    assert all(0.0 <= r["pc"] <= 1.0 and r["miss_km"] < 5.0 for r in rows)
    assert "left out" in res.stderr  # decayed objects are named, not fatal


def test_screen_csv_has_the_columns(catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    res = runner.invoke(
        app,
        [
            "screen",
            "--catalog",
            str(catalog),
            "--primary",
            "ISS (ZARYA)",
            "--start",
            "2022-01-24",
            "--days",
            "0.5",
            "--format",
            "csv",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert table and table[0]["primary"] == "25544"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--primary", "99999999"], "'99999999' is not in the catalog"),
        ([], "give either --primary ID or --primary-elements FILE"),
        (["--primary", "25544", "--days", "40"], "--days"),
        (["--primary", "25544", "--threshold-km", "-1"], "--threshold-km"),
    ],
)
def test_screen_bad_input_exits_2(catalog: Path, args: list[str], says: str) -> None:
    res = runner.invoke(app, ["screen", "--catalog", str(catalog), *args])
    assert res.exit_code == 2, res.output
    assert says in res.output
    assert "Traceback" not in res.output


def test_a_corrupt_catalog_line_is_skipped_or_fatal_with_strict(
    catalog: Path, tmp_path: Path
) -> None:
    lines = catalog.read_text(encoding="utf-8").splitlines()[:300]
    lines[4] = lines[4][:30] + "X" + lines[4][31:]  # a bad checksum / field in the 2nd record
    bad = tmp_path / "bad.3le"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    iss = tmp_path / "iss.tle"
    whole = catalog.read_text(encoding="utf-8").splitlines()
    k = next(i for i, line in enumerate(whole) if line.startswith("1 25544"))
    iss.write_text("\n".join(whole[k - 1 : k + 2]) + "\n", encoding="utf-8")
    base = ["screen", "--catalog", str(bad), "--primary-elements", str(iss), "--days", "0.2"]
    skipped = runner.invoke(app, base)
    assert skipped.exit_code == 0, skipped.output
    assert f"{bad}:5" in skipped.stderr
    strict = runner.invoke(app, [*base, "--strict"])
    assert strict.exit_code == 2
    assert f"{bad}:5" in strict.output
