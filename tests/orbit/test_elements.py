"""TLE / OMM / catalog reading: real files, alpha-5, and every kind of bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stationplan.errors import ElementSetError
from stationplan.orbit.element_files import find_object, parse_elements, read_elements
from stationplan.orbit.elements import catalog_number, checksum, parse_tle

ISS_1 = "1 25544U 98067A   15086.17334635  .00015434  00000-0  22972-3 0  9994"
ISS_2 = "2 25544  51.6460 133.7315 0007136 144.2025 255.6332 15.55307244935270"


def _problem(text: str) -> str:
    with pytest.raises(ElementSetError) as info:
        parse_elements(text, "cat.tle", strict=True)
    return str(info.value.problems[0])


def test_iss_tle_reads() -> None:
    el = parse_tle(ISS_1, ISS_2, "ISS (ZARYA)")
    assert el.catalog_number == 25544
    assert el.name == "ISS (ZARYA)"
    assert el.epoch_utc.isoformat().startswith("2015-03-27T04:09:37")
    assert abs(el.inclination_deg - 51.646) < 1e-9


def test_alpha5() -> None:
    line1 = ISS_1.replace("25544", "A0001")
    line2 = ISS_2.replace("25544", "A0001")
    line1 = line1[:68] + str(checksum(line1))
    line2 = line2[:68] + str(checksum(line2))
    assert parse_tle(line1, line2).catalog_number == 100001
    assert catalog_number("Z9999") == 339999


def test_checksum_error_names_line_and_digits() -> None:
    msg = _problem(f"{ISS_1[:68]}5\n{ISS_2}\n")
    assert msg == "cat.tle:1: TLE line 1 checksum is 5 but the line sums to 4"


def test_wrong_columns() -> None:
    shifted = ISS_2[:8] + "51.64X0" + ISS_2[15:]
    shifted = shifted[:68] + str(checksum(shifted))
    msg = _problem(f"{ISS_1}\n{shifted}\n")
    assert msg.startswith("cat.tle:2: TLE line 2 columns 9-16 (inclination)")


def test_short_line_and_non_ascii() -> None:
    assert "must be 69 characters long (got 68)" in _problem(f"{ISS_1[:68]}\n{ISS_2}\n")
    bad = ISS_1[:30] + "é" + ISS_1[31:]
    assert "non-ASCII or control character 'é' in column 31" in _problem(f"{bad}\n{ISS_2}\n")


def test_swapped_and_mismatched_lines() -> None:
    assert (
        _problem(f"{ISS_2}\n{ISS_1}\n")
        == "cat.tle:1: TLE lines are swapped: line 2 comes before line 1"
    )
    other = ISS_2.replace("25544", "25545")
    other = other[:68] + str(checksum(other))
    assert _problem(f"{ISS_1}\n{other}\n") == (
        "cat.tle:2: catalog number 25545 on line 2 does not match 25544 on line 1"
    )


def test_bad_records_skipped_and_counted_unless_strict() -> None:
    text = f"ISS\n{ISS_1}\n{ISS_2}\nBROKEN\n{ISS_1[:68]}0\n{ISS_2}\n"
    result = parse_elements(text, "cat.tle")
    assert len(result.elements) == 1 and result.skipped == 1
    assert result.problems[0].line == 5
    with pytest.raises(ElementSetError):
        parse_elements(text, "cat.tle", strict=True)


def test_omm_json_missing_mandatory_field() -> None:
    record = {
        "OBJECT_NAME": "X",
        "NORAD_CAT_ID": 1,
        "EPOCH": "2024-01-01T00:00:00",
        "MEAN_MOTION": 15.5,
        "ECCENTRICITY": 0.001,
        "INCLINATION": 51.6,
        "RA_OF_ASC_NODE": 10,
        "ARG_OF_PERICENTER": 20,
    }
    msg = _problem(json.dumps([record]))
    assert msg == "cat.tle:1: OMM record lacks mandatory field(s) MEAN_ANOMALY"


def test_find_object_by_number_or_name() -> None:
    result = parse_elements(f"ISS (ZARYA)\n{ISS_1}\n{ISS_2}\n", "f")
    assert find_object(result, "25544").name == "ISS (ZARYA)"
    assert find_object(result, "iss (zarya)").catalog_number == 25544
    with pytest.raises(ElementSetError, match="no object '99'"):
        find_object(result, "99")


def test_full_catalog_reads_fast(shared_data: Path) -> None:
    path = (
        shared_data / "tle/catalog/spacetrack_full_catalog_3le_2022-01-22_ReeceHumphreys-ODAP.3le"
    )
    started = time.perf_counter()
    result = read_elements(path)
    elapsed = time.perf_counter() - started
    # the snapshot holds 23,939 objects, none with a checksum or length error
    assert len(result.elements) == 23939 and result.skipped == 0
    iss = find_object(result, "25544")
    assert iss.epoch_utc.strftime("%y%j") + f"{iss.satrec.jdsatepochF:.5f}"[1:] == "22022.91471"
    assert elapsed < 5.0  # functional guard only; the speed figure is in bench/


def test_omm_formats_agree(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "tle/iss/iss_25544_omm_2024-09_2025-03_JasonBernstein1-iss_tle.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    from_json = read_elements(path).elements[0]
    first = records[0]
    kvn = (
        "CCSDS_OMM_VERS = 2.0\nCREATION_DATE = 2024-09-15T05:01:03\nORIGINATOR = TEST\n"
        "OBJECT_NAME = ISS (ZARYA)\nOBJECT_ID = 1998-067A\nCENTER_NAME = EARTH\n"
        "REF_FRAME = TEME\nTIME_SYSTEM = UTC\nMEAN_ELEMENT_THEORY = SGP4\n"
        + "".join(
            f"{k} = {first[k]}\n"
            for k in [
                "EPOCH",
                "MEAN_MOTION",
                "ECCENTRICITY",
                "INCLINATION",
                "RA_OF_ASC_NODE",
                "ARG_OF_PERICENTER",
                "MEAN_ANOMALY",
                "EPHEMERIS_TYPE",
                "CLASSIFICATION_TYPE",
                "NORAD_CAT_ID",
                "ELEMENT_SET_NO",
                "REV_AT_EPOCH",
                "BSTAR",
                "MEAN_MOTION_DOT",
                "MEAN_MOTION_DDOT",
            ]
        )
    )
    (tmp_path / "iss.kvn").write_text(kvn, encoding="utf-8")
    header = ",".join(k for k in first if k != "date_fetched")
    row = ",".join(str(first[k]) for k in first if k != "date_fetched")
    (tmp_path / "iss.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    for name in ("iss.kvn", "iss.csv"):
        el = read_elements(tmp_path / name).elements[0]
        assert el.catalog_number == 25544
        assert abs(el.epoch_jd_utc - from_json.epoch_jd_utc) < 1e-9
        assert abs(el.satrec.inclo - from_json.satrec.inclo) < 1e-12


def test_missing_file() -> None:
    with pytest.raises(ElementSetError, match="no such file"):
        read_elements("/no/such/file.tle")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_only_raises_element_set_error(text: str) -> None:
    try:
        parse_elements(text, "fuzz.tle")
    except ElementSetError as exc:
        assert all(p.source == "fuzz.tle" for p in exc.problems)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 138), st.characters(min_codepoint=32, max_codepoint=126))
def test_damaged_tle_is_skipped_with_a_line_number(position: int, char: str) -> None:
    text = f"{ISS_1}\n{ISS_2}\n"
    damaged = text[:position] + char + text[position + 1 :]
    result = parse_elements(damaged, "fuzz.tle")
    assert len(result.elements) + result.skipped >= 1 or damaged.strip() == ""
    for p in result.problems:
        assert p.line in (1, 2)


@pytest.mark.parametrize("char", ["{", "[", "<"])
def test_tle_with_a_damaged_first_character_is_read_as_a_tle(char: str) -> None:
    """'{', '[' or '<' in column 1 of line 1 once sent the file to the JSON or XML reader
    ('invalid JSON'); the file is a TLE whose line 1 is damaged, skipped with its line."""
    result = parse_elements(f"{char}{ISS_1[1:]}\n{ISS_2}\n", "fuzz.tle")
    assert result.elements == []
    assert result.problems and {p.line for p in result.problems} <= {1, 2}


def test_find_object_in_a_history_takes_the_latest_set_at_or_before_the_instant(
    shared_data: Path,
) -> None:
    """The 2024-12 to 2025-07 ISS history: at 8 April 2025 00:00 UTC the set chosen is the
    latest of the file with an epoch at or before it; before the first epoch, the first set;
    without an instant, the first set of the file (as before)."""
    from datetime import UTC, datetime

    result = read_elements(
        shared_data / "tle" / "iss" / "iss_25544_2024-12_2025-07_Aritra476-ISS-Orbital-Tracking"
        "-and-Analysis.tle"
    )
    at = datetime(2025, 4, 8, tzinfo=UTC)
    chosen = find_object(result, "25544", at)
    epochs = [e.epoch_utc for e in result.elements]
    assert chosen.epoch_utc == max(e for e in epochs if e <= at)
    assert (at - chosen.epoch_utc).total_seconds() < 86_400
    assert find_object(result, None, datetime(2020, 1, 1, tzinfo=UTC)).epoch_utc == min(epochs)
    assert find_object(result, None) is result.elements[0]
