"""``stationplan pc``: Pc of conjunction files as a table or JSON; bad input exits 2 with
the file named and no traceback."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import stationplan.cli.conjunction_commands  # noqa: F401  (registers the command)
from stationplan.cli import app

runner = CliRunner()

HST = "000020580_conj_000002017_20230613_001923_20230608_063715"
TERRA = "000025994_conj_000037558_20210324_151047_20210323_154356"
NON_PD = "OmitronTestCase_Test07_NonPDCovariance.cdm"


@pytest.fixture(scope="module")
def folder(shared_data: Path) -> Path:
    return shared_data / "conjunction"


@pytest.fixture(scope="module")
def expected(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / "cara_pc_method_test_conjunctions_expected_pc.csv"
    with path.open(encoding="utf-8") as f:
        return {row["Conjunction_ID"]: row for row in csv.DictReader(f)}


def _cdm(folder: Path, name: str) -> str:
    return str(folder / "cara_pc_test_cdms" / f"{name}.cdm")


def test_json_matches_cara(folder: Path, expected: dict[str, dict[str, str]]) -> None:
    """``--format json``: one object per file with file, pc, method, miss_m, rel_speed_m_s,
    hbr_m, repair; Pc against CARA's ``Pc2D`` (CARA_PcMethod_Test_Conjunctions) to 1e-6
    relative, HBR from the CDM comment, miss and speed against the sheet (0.05 m, 1e-6)."""
    result = runner.invoke(app, ["pc", _cdm(folder, HST), _cdm(folder, TERRA), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [set(r) for r in rows] == [
        {"file", "pc", "method", "miss_m", "rel_speed_m_s", "hbr_m", "repair"}
    ] * 2
    for row, name in zip(rows, (HST, TERRA), strict=True):
        ref = expected[name]
        assert row["file"].endswith(f"{name}.cdm")
        assert row["method"] == "Foster-1992"
        assert row["pc"] == pytest.approx(float(ref["Pc2D"]), rel=1e-6)
        assert row["hbr_m"] == float(ref["HBR_m"])
        assert row["miss_m"] == pytest.approx(float(ref["MissDist_m"]), abs=0.05)
        assert row["rel_speed_m_s"] == pytest.approx(float(ref["Vrel_mps"]), rel=1e-6)
        assert row["repair"] is None


def test_table_hbr_and_chan(folder: Path, expected: dict[str, dict[str, str]]) -> None:
    """The default table lists each file; ``--hbr-m`` replaces the CDM's HBR (a 20 m radius
    instead of 10 m gives a larger Pc); ``--method chan`` names Chan's method. The Pc in
    the CDM (COLLISION_PROBABILITY = 1.862e-05) is not what is printed for --hbr-m 20."""
    table = runner.invoke(app, ["pc", _cdm(folder, HST)])
    assert table.exit_code == 0, table.output
    assert "Foster-1992" in table.stdout and f"{HST}.cdm" in table.stdout
    assert "1.8622e-05" in table.stdout
    bigger = runner.invoke(app, ["pc", _cdm(folder, HST), "--hbr-m", "20", "--format", "json"])
    assert bigger.exit_code == 0, bigger.output
    row = json.loads(bigger.stdout)[0]
    assert row["hbr_m"] == 20.0
    assert row["pc"] > 3.0 * float(expected[HST]["Pc2D"])
    chan = runner.invoke(app, ["pc", _cdm(folder, HST), "--method", "chan", "--format", "json"])
    assert chan.exit_code == 0, chan.output
    assert json.loads(chan.stdout)[0]["method"] == "Chan-1997"


def test_non_positive_definite_is_repaired_and_reported(folder: Path) -> None:
    """CARA's sample CDM with a non-positive-definite covariance (Omitron test 7): exit 0,
    the repair (eigenvalue clipping, eigenvalues before and after) in the JSON and a
    warning naming the file on standard error."""
    path = str(folder / "cara_sample_cdms" / NON_PD)
    result = runner.invoke(app, ["pc", path, "--format", "json"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)[0]
    assert "eigenvalue clipping" in row["repair"]
    assert row["pc"] == 0.0
    assert NON_PD in result.stderr and "repaired" in result.stderr


def _bad(args: list[str], *fragments: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_bad_inputs_exit_2_naming_the_file(folder: Path, tmp_path: Path) -> None:
    """Bad input exits 2 with a message naming the file (and line) and no traceback: a
    corrupt CDM, a CDM without one covariance term, a non-finite value, a CDM without an
    HBR (the message says to give --hbr-m), a missing file, a negative --hbr-m, a JSON
    conjunction whose covariance is not symmetric."""
    text = Path(_cdm(folder, HST)).read_text(encoding="utf-8")
    corrupt = tmp_path / "corrupt.cdm"
    corrupt.write_text(text.replace("X_DOT ", "X_DOT garbage", 1), encoding="utf-8")
    no_cov = tmp_path / "no_cov.cdm"
    no_cov.write_text(
        "\n".join(ln for ln in text.splitlines() if not ln.startswith("CN_N ")), encoding="utf-8"
    )
    nan = tmp_path / "nan.cdm"
    lines = text.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("CT_T "))
    lines[at] = "CT_T = NaN [m**2]"
    nan.write_text("\n".join(lines), encoding="utf-8")
    line = 1 + next(i for i, ln in enumerate(text.splitlines()) if ln.startswith("X_DOT "))
    _bad(["pc", str(corrupt)], f"corrupt.cdm:{line}", "is not a CDM keyword")
    _bad(["pc", str(no_cov)], "no_cov.cdm", "CN_N is missing")
    _bad(["pc", str(nan)], f"nan.cdm:{at + 1}", "CT_T = NaN is not a finite number")
    single = folder / "cara_sample_cdms" / "SingleCovTestCase1-1.cdm"
    _bad(["pc", str(single)], "SingleCovTestCase1-1.cdm", "--hbr-m")
    assert runner.invoke(app, ["pc", str(single), "--hbr-m", "20"]).exit_code == 0
    _bad(["pc", str(tmp_path / "none.cdm"), str(corrupt)], "none.cdm: no such file", "corrupt.cdm")
    _bad(["pc", _cdm(folder, HST), "--hbr-m", "-1"], "--hbr-m")
    skew = tmp_path / "skew.json"
    obj = {"position_m": [7e6, 0, 0], "velocity_m_s": [0, 7.5e3, 0]}
    skew.write_text(
        json.dumps(
            {
                "hbr_m": 10,
                "primary": {**obj, "covariance": [[1, 0.5, 0], [0, 1, 0], [0, 0, 1]]},
                "secondary": {
                    **obj,
                    "velocity_m_s": [0, 0, 7.5e3],
                    "covariance": np.eye(3).tolist(),
                },
            }
        ),
        encoding="utf-8",
    )
    _bad(["pc", str(skew)], "skew.json", "primary covariance: not symmetric")
