"""`stationplan screen --format cdm`: one CCSDS Conjunction Data Message (CCSDS 508.0-B-1,
KVN) per approach of the ISS against the catalog snapshot of 2022-01-22, read back with the
project's CDM reader and `stationplan pc`, and the output folder's rules."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from stationplan.cli import app
from stationplan.orbit.conjunction_files import parse_conjunction, read_conjunction
from stationplan.report.output import MANIFEST_NAME

runner = CliRunner()
CATALOG = "tle/catalog/spacetrack_full_catalog_3le_2022-01-22_ReeceHumphreys-ODAP.3le"
NAME = re.compile(r"^(\d+)_(\d+)_(\d{8}T\d{6})\.cdm$")


def _screen(catalog: Path, *extra: str) -> Any:
    return runner.invoke(
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
            "0.5",
            *extra,
        ],
    )


@pytest.fixture(scope="module")
def catalog(shared_data: Path) -> Path:
    return shared_data / CATALOG


@pytest.fixture(scope="module")
def rows(catalog: Path) -> list[dict[str, Any]]:
    res = _screen(catalog)
    assert res.exit_code == 0, res.output
    found: list[dict[str, Any]] = json.loads(res.stdout)
    assert found, "the half day should hold approaches"
    return found


@pytest.fixture(scope="module")
def cdm_folder(catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cdm") / "events"
    res = _screen(catalog, "--format", "cdm", "-o", str(folder))
    assert res.exit_code == 0, res.output
    return folder


def _field(text: str, key: str) -> str:
    match = re.search(rf"^{key}\s*=\s*(.*?)\s*(?:\[[^\]]*\])?\s*$", text, re.MULTILINE)
    assert match is not None, f"{key} is missing"
    return match.group(1)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def test_one_cdm_per_approach_with_the_rows_figures(
    rows: list[dict[str, Any]], cdm_folder: Path
) -> None:
    files = sorted(cdm_folder.glob("*.cdm"))
    assert len(files) == len(rows)
    assert {p.name for p in cdm_folder.iterdir()} == {MANIFEST_NAME, *(p.name for p in files)}
    by_pair = {(r["primary"], r["secondary"]): r for r in rows}
    for path in files:
        match = NAME.match(path.name)
        assert match is not None, path.name
        row = by_pair[(int(match.group(1)), int(match.group(2)))]
        tca = _utc(row["tca_utc"])
        assert match.group(3) == f"{tca:%Y%m%dT%H%M%S}"

        conj = read_conjunction(path)
        assert conj.frame == "GCRF"
        assert conj.hbr_m == 20.0
        assert conj.tca_utc is not None
        assert abs((conj.tca_utc - tca).total_seconds()) < 1e-3  # the row's TCA is to 1 ms
        miss_m = float(np.linalg.norm(conj.secondary.r_m - conj.primary.r_m))
        assert miss_m == pytest.approx(row["miss_km"] * 1e3, abs=1.0)
        speed = float(np.linalg.norm(conj.secondary.v_m_s - conj.primary.v_m_s))
        assert speed == pytest.approx(row["rel_speed_km_s"] * 1e3, abs=2e-3)

        text = path.read_text(encoding="utf-8")
        assert float(_field(text, "MISS_DISTANCE")) == pytest.approx(miss_m, abs=1e-3)
        assert float(_field(text, "RELATIVE_SPEED")) == pytest.approx(speed, abs=1e-6)
        rtn = [float(_field(text, f"RELATIVE_POSITION_{a}")) for a in "RTN"]
        expected = [row["radial_km"] * 1e3, row["intrack_km"] * 1e3, row["crosstrack_km"] * 1e3]
        assert rtn == pytest.approx(expected, abs=1.0)
        assert _field(text, "CCSDS_CDM_VERS") == "1.0"
        assert _field(text, "ORIGINATOR") == "stationplan"
        assert _field(text, "COLLISION_PROBABILITY_METHOD") == "FOSTER-1992"
        assert "COMMENT HBR = 20 [m]" in text.splitlines()
        assert "assumed element-set covariances" in text
        assert text.count("COVARIANCE_METHOD        = DEFAULT") == 2
        assert "INTERNATIONAL_DESIGNATOR = 1998-067A" in text  # the ISS, from its TLE


def test_pc_of_the_cdms_is_the_rows_pc(rows: list[dict[str, Any]], cdm_folder: Path) -> None:
    files = sorted(cdm_folder.glob("*.cdm"))
    res = runner.invoke(app, ["pc", *map(str, files), "--format", "json"])
    assert res.exit_code == 0, res.output
    by_pair = {(r["primary"], r["secondary"]): r for r in rows}
    for result in json.loads(res.stdout):
        path = Path(result["file"])
        match = NAME.match(path.name)
        assert match is not None
        row = by_pair[(int(match.group(1)), int(match.group(2)))]
        written = float(_field(path.read_text(encoding="utf-8"), "COLLISION_PROBABILITY"))
        assert result["pc"] == pytest.approx(written, rel=1e-6, abs=0.0)
        # the JSON row gives the same Pc to its 4 significant digits
        assert float(f"{result['pc']:.4g}") == pytest.approx(row["pc"], rel=1e-6, abs=0.0)
        assert result["hbr_m"] == 20.0
        assert result["repair"] is None


def test_cdms_to_standard_output_are_separated_by_a_blank_line(
    catalog: Path, rows: list[dict[str, Any]]
) -> None:
    res = _screen(catalog, "--format", "cdm")
    assert res.exit_code == 0, res.output
    messages = res.stdout.split("\n\n")
    assert len(messages) == len(rows)
    for k, message in enumerate(messages):
        conj = parse_conjunction(message, f"<message {k + 1}>")
        assert conj.primary.name == "ISS (ZARYA)"


def test_a_foreign_folder_is_refused_and_left_as_it_was(catalog: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me\n", encoding="utf-8")
    res = _screen(catalog, "--format", "cdm", "-o", str(folder))
    assert res.exit_code == 2, res.output
    assert "--output" in res.output and "not empty" in res.output
    assert "Traceback" not in res.output
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]  # no staging left beside it
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me\n"


def test_force_writes_into_a_foreign_folder_and_deletes_nothing(
    catalog: Path, tmp_path: Path, rows: list[dict[str, Any]]
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me\n", encoding="utf-8")
    res = _screen(catalog, "--format", "cdm", "-o", str(folder), "--force")
    assert res.exit_code == 0, res.output
    assert len(list(folder.glob("*.cdm"))) == len(rows)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me\n"
