"""Reading conjunctions: CCSDS CDM (KVN, XML) and our JSON; units, frames, HBR comments and
every kind of bad input named with file and line."""

from __future__ import annotations

import contextlib
import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stationplan.errors import ConjunctionError
from stationplan.orbit.collision import pc_2d
from stationplan.orbit.conjunction_files import (
    COVARIANCE_KEYS,
    Conjunction,
    ConjunctionObject,
    parse_conjunction,
    read_conjunction,
    rtn_axes,
)

HST = "000020580_conj_000002017_20230613_001923_20230608_063715"


@pytest.fixture(scope="module")
def folder(shared_data: Path) -> Path:
    return shared_data / "conjunction"


@pytest.fixture(scope="module")
def hst_text(folder: Path) -> str:
    return (folder / "cara_pc_test_cdms" / f"{HST}.cdm").read_text(encoding="utf-8")


def _pc(c: Conjunction) -> float:
    p, s = c.primary, c.secondary
    assert c.hbr_m is not None
    return pc_2d(p.r_m, p.v_m_s, p.cov, s.r_m, s.v_m_s, s.cov, c.hbr_m).pc


def test_states_and_rtn_covariances_match_cara_table(folder: Path) -> None:
    """Every one of CARA's 40 test CDMs read with our KVN reader against the table CARA
    built from the same CDMs (cara_pc_test_cases_states_covariances.csv, values copied, not
    converted): positions km -> m and velocities km/s -> m/s to 1e-9 relative; the inertial
    covariance rotated back with the object's own RTN axes gives the CDM's 21 RTN terms
    (m^2, m^2/s, m^2/s^2) to 1e-9 of the largest term; TCA as a UTC datetime."""
    path = folder / "cara_pc_test_cases_states_covariances.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 40
    for row in rows:
        conj = read_conjunction(folder / "cara_pc_test_cdms" / f"{row['MESSAGE_ID']}.cdm")
        assert conj.tca_utc is not None and conj.tca_utc.tzinfo is UTC
        assert conj.tca_utc.isoformat(timespec="milliseconds")[:23] == row["TCA"][:23]
        assert conj.frame == "EME2000"
        for prefix, obj in (("obj1_", conj.primary), ("obj2_", conj.secondary)):
            state = [float(row[prefix + k]) * 1e3 for k in ("X", "Y", "Z")]
            rate = [float(row[prefix + k]) * 1e3 for k in ("X_DOT", "Y_DOT", "Z_DOT")]
            np.testing.assert_allclose(obj.r_m, state, rtol=1e-9)
            np.testing.assert_allclose(obj.v_m_s, rate, rtol=1e-9)
            m = np.kron(np.eye(2), rtn_axes(obj.r_m, obj.v_m_s))
            rtn = m.T @ obj.cov @ m
            expected = np.array([float(row[prefix + k]) for k in COVARIANCE_KEYS])
            got = rtn[np.tril_indices(6)]
            np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9 * np.abs(expected).max())


def test_day_of_year_tca_and_hbr_without_unit(folder: Path) -> None:
    """CARA's older sample CDMs write TCA as year-day-of-year and the HBR comment without a
    unit ('COMMENT HBR = 52.8'), with no space after '=' in some files: all read."""
    conj = read_conjunction(
        folder / "cara_sample_cdms" / "OmitronTestCase_Test07_NonPDCovariance.cdm"
    )
    assert conj.tca_utc == datetime(2017, 2, 2, 23, 14, 54, 330000, tzinfo=UTC)
    assert conj.hbr_m == 52.8
    single = read_conjunction(folder / "cara_sample_cdms" / "SingleCovTestCase1-1.cdm")
    assert single.hbr_m is None
    assert single.primary.name == "ISS (ZARYA)"


def test_cdm_xml_gives_the_same_conjunction(hst_text: str, tmp_path: Path) -> None:
    """The same CDM written as CCSDS CDM XML by ccsds-ndm and read back: identical states,
    covariances, HBR (from the XML COMMENT) and Pc (exact)."""
    from ccsds_ndm.ndm_io import NDMFileFormats, NdmIo

    xml = NdmIo().to_string(NdmIo().from_string(hst_text), NDMFileFormats.XML)
    path = tmp_path / "hst.xml"
    path.write_text(xml, encoding="utf-8")
    a, b = read_conjunction(path), parse_conjunction(hst_text, "hst.cdm")
    assert a.hbr_m == b.hbr_m == 10.0
    assert a.tca_utc == b.tca_utc
    np.testing.assert_array_equal(a.primary.cov, b.primary.cov)
    np.testing.assert_array_equal(a.secondary.r_m, b.secondary.r_m)
    assert _pc(a) == _pc(b)


def test_json_format(hst_text: str, tmp_path: Path) -> None:
    """Our JSON: the CDM's states in m, m/s with inertial 6x6 covariances, or RTN 3x3
    covariances with ``covariance_frame: RTN``, give the CDM's Pc (1e-12 relative)."""
    cdm = parse_conjunction(hst_text, "hst.cdm")

    def obj(o: ConjunctionObject, rtn: bool) -> dict[str, object]:
        r, v, cov = o.r_m, o.v_m_s, o.cov
        out: dict[str, object] = {"name": "x", "position_m": r.tolist(), "velocity_m_s": v.tolist()}
        if rtn:
            m = rtn_axes(r, v)
            out["covariance"] = (m.T @ cov[:3, :3] @ m).tolist()
            out["covariance_frame"] = "RTN"
        else:
            out["covariance"] = cov.tolist()
        return out

    for rtn in (False, True):
        data = {
            "tca_utc": "2023-06-13T00:19:23.766Z",
            "hbr_m": 10,
            "primary": obj(cdm.primary, rtn),
            "secondary": obj(cdm.secondary, rtn),
        }
        path = tmp_path / f"c{rtn}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        conj = read_conjunction(path)
        assert conj.hbr_m == 10.0
        assert _pc(conj) == pytest.approx(_pc(cdm), rel=1e-12)


def _expect(text: str, *fragments: str) -> None:
    with pytest.raises(ConjunctionError) as info:
        parse_conjunction(text, "bad.cdm")
    message = str(info.value)
    assert message.startswith("bad.cdm"), message
    for fragment in fragments:
        assert fragment in message, message


def test_bad_cdms_are_named_with_line_and_expectation(hst_text: str) -> None:
    """Each defect gives a ConjunctionError naming the file, the line where there is one,
    and what was expected."""
    lines = hst_text.splitlines()
    second = next(i for i, ln in enumerate(lines) if ln.startswith("OBJECT ") and "OBJECT2" in ln)

    def edit(key: str, new: str | None) -> str:
        out = list(lines)
        index = next(i for i, ln in enumerate(lines) if ln.startswith(key + " "))
        if new is None:
            del out[index]
        else:
            out[index] = new
        return "\n".join(out)

    line_x = next(i for i, ln in enumerate(lines) if ln.startswith("X ")) + 1
    _expect(edit("X", "X = abc [km]"), f"bad.cdm:{line_x}", "X = 'abc' is not a number")
    _expect(edit("X", "X = NaN [km]"), f"bad.cdm:{line_x}", "not a finite number")
    _expect(edit("X", "X = 1.0 [m]"), "X is in m; expected km")
    _expect(edit("CT_T", None), "OBJECT1 covariance: CT_T is missing")
    _expect(edit("REF_FRAME", "REF_FRAME = ITRF"), "ITRF is not supported", "EME2000")
    _expect(edit("TCA", "TCA = yesterday"), "not a CCSDS time")
    _expect(edit("TCA", None), "TCA is missing")
    _expect(edit("MISS_DISTANCE", "MISS_DISTANCE = 1 [m]\nMISS_DISTANCE = 2 [m]"), "given twice")
    _expect(edit("COMMENT HBR", "COMMENT HBR = 10 [ft]"), "HBR comment is in ft; expected m")
    _expect(edit("COMMENT HBR", "COMMENT HBR = -1 [m]"), "expected a radius > 0 m")
    _expect("\n".join(lines[:second]), "found 1 OBJECT sections; expected OBJECT1 and OBJECT2")
    _expect("hello world\n", "not a conjunction file")
    _expect("CCSDS_CDM_VERS = 1.0\nthis line has no equals sign\n", "bad.cdm:2", "KEYWORD")
    _expect("<cdm><broken", "not a readable CDM XML")


def test_bad_json() -> None:
    """JSON errors name the line (syntax) or the field path (content)."""
    _expect('{"primary": [1, 2,\n}', "bad.cdm:2", "not valid JSON")
    good = {
        "position_m": [7e6, 0, 0],
        "velocity_m_s": [0, 7.5e3, 0],
        "covariance": np.eye(3).tolist(),
    }
    _expect(json.dumps({"primary": good}), "secondary")
    _expect(
        json.dumps({"primary": good, "secondary": {**good, "covariance": None}}),
        "secondary.covariance",
    )
    _expect(
        json.dumps({"primary": good, "secondary": {**good, "position_m": [1, 2]}}),
        "secondary.position_m",
        "expected 3 numbers",
    )
    bad_cov = {**good, "covariance": [[1, 0, 0], [0, float("nan"), 0], [0, 0, 1]]}
    _expect(json.dumps({"primary": good, "secondary": bad_cov}), "not all finite")
    _expect(json.dumps({"primary": good, "secondary": good, "hbr_m": -2}), "hbr_m")
    _expect(json.dumps({"primary": good, "secondary": good, "frame": "ITRF"}), "frame")


def test_missing_file(tmp_path: Path) -> None:
    """A missing file or a directory is named."""
    with pytest.raises(ConjunctionError, match="no such file"):
        read_conjunction(tmp_path / "none.cdm")
    with pytest.raises(ConjunctionError, match="is a directory"):
        read_conjunction(tmp_path)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_cleanly(text: str) -> None:
    """Whatever the text, the reader returns a conjunction or raises ConjunctionError
    (hypothesis, 150 random texts), never another exception."""
    with contextlib.suppress(ConjunctionError):
        parse_conjunction(text, "random.cdm")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=200), st.sampled_from(["", "=", "[", "nan", "X = "]))
def test_damaged_cdm_is_read_or_refused_cleanly(hst_text: str, cut: int, junk: str) -> None:
    """A real CDM with a line replaced by junk (hypothesis): read or ConjunctionError."""
    lines = hst_text.splitlines()
    lines[cut % len(lines)] = junk
    with contextlib.suppress(ConjunctionError):
        parse_conjunction("\n".join(lines), "damaged.cdm")
