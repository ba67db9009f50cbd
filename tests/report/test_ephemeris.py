"""Ephemeris exports: CSV layout, OEM read back by ccsds-ndm, CZML read back by czml3.

The data is a circular orbit computed here in closed form (a = 6778.137 km, i = 51.64°,
60 s steps), so every written number can be checked against an exact value. Tolerances are
the formats' stated resolution: 1 mm and 1 µm/s for the state (0.5 mm / 0.5 µm/s of
rounding plus float noise), 1 µs for epochs (``datetime`` resolution).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest
from ccsds_ndm.ndm_io import NdmIo
from czml3 import Document
from numpy.typing import NDArray
from scipy.interpolate import BarycentricInterpolator

from stationplan.errors import ArgumentError
from stationplan.orbit.timescale import as_time
from stationplan.report.ephemeris import (
    MU_EARTH_KM3_S2,
    ephemeris_csv,
    ephemeris_czml,
    ephemeris_oem,
)
from stationplan.scenario.fields import utc_iso

T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
CREATED = datetime(2025, 2, 28, 9, 30, 0, tzinfo=UTC)
A_KM = 6778.137
INC_RAD = math.radians(51.64)
STEP_S = 60.0
N = 20

ONE_MM_KM = 1e-6
ONE_MM_S_KM_S = 1e-6
HALF_MM_KM = 0.5e-6 + 1e-9  # rounding to 6 decimals, plus float noise at 7000 km
HALF_UM_S_KM_S = 0.5e-9 + 1e-12


Orbit = tuple[list[datetime], NDArray[np.float64], NDArray[np.float64]]


def circular_orbit(
    offsets_s: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Position (km) and velocity (km/s) on a circular inclined orbit, ascending node at +x."""
    n_rad_s = math.sqrt(MU_EARTH_KM3_S2 / A_KM**3)
    u = n_rad_s * offsets_s
    r = A_KM * np.column_stack(
        [np.cos(u), np.sin(u) * math.cos(INC_RAD), np.sin(u) * math.sin(INC_RAD)]
    )
    v = (A_KM * n_rad_s) * np.column_stack(
        [-np.sin(u), np.cos(u) * math.cos(INC_RAD), np.cos(u) * math.sin(INC_RAD)]
    )
    return r, v


@pytest.fixture
def orbit() -> Orbit:
    offsets = np.arange(N, dtype=np.float64) * STEP_S
    r, v = circular_orbit(offsets)
    times = [T0 + timedelta(seconds=float(s)) for s in offsets]
    return times, r, v


@pytest.fixture
def orbit_with_gap(orbit: Orbit) -> Orbit:
    """Rows 5-7 failed (NaN), as an SGP4 error would leave them."""
    times, r, v = orbit
    r, v = r.copy(), v.copy()
    r[5:8] = np.nan
    v[5:8] = np.nan
    return times, r, v


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# ------------------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------------------


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_cartesian_header_and_rows(orbit: Orbit) -> None:
    times, r, v = orbit
    text = ephemeris_csv(times, r_km=r, v_km_s=v)
    rows = read_csv(text)
    assert rows[0] == ["time_utc", "x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s"]
    assert len(rows) == N + 1
    assert text.endswith("\n") and "\r" not in text
    first = rows[1]
    assert first[0] == "2025-03-01T12:00:00.000Z"
    assert first[1] == "6778.137000"
    assert rows[2][0] == "2025-03-01T12:01:00.000Z"
    for row, r_row, v_row in zip(rows[1:], r, v, strict=True):
        assert all(len(field.split(".")[1]) == 6 for field in row[1:4])
        assert all(len(field.split(".")[1]) == 9 for field in row[4:7])
        np.testing.assert_allclose([float(f) for f in row[1:4]], r_row, rtol=0, atol=HALF_MM_KM)
        np.testing.assert_allclose([float(f) for f in row[4:7]], v_row, rtol=0, atol=HALF_UM_S_KM_S)


def test_csv_time_column_is_the_package_utc_iso(orbit: Orbit) -> None:
    """The one formatter (``utc_iso``), and the same text as Skyfield's own ``utc_iso``."""
    times, r, _ = orbit
    odd = [t + timedelta(microseconds=123_456) for t in times]
    rows = read_csv(ephemeris_csv(odd, r_km=r))
    assert [row[0] for row in rows[1:]] == [utc_iso(t) for t in odd]
    assert [row[0] for row in rows[1:]] == list(as_time(odd).utc_iso(places=3))
    assert rows[1][0] == "2025-03-01T12:00:00.123Z"


def test_csv_positions_only(orbit: Orbit) -> None:
    times, r, _ = orbit
    rows = read_csv(ephemeris_csv(times, r_km=r))
    assert rows[0] == ["time_utc", "x_km", "y_km", "z_km"]
    assert all(len(row) == 4 for row in rows)


def test_csv_geodetic() -> None:
    times = [T0, T0 + timedelta(seconds=10)]
    rows = read_csv(
        ephemeris_csv(times, lat_deg=[51.5, -0.25], lon_deg=[-0.1275, 179.9], alt_km=[415.2, 0.0])
    )
    assert rows[0] == ["time_utc", "lat_deg", "lon_deg", "alt_km"]
    assert rows[1] == ["2025-03-01T12:00:00.000Z", "51.500000000", "-0.127500000", "415.200000"]
    assert rows[2][1:] == ["-0.250000000", "179.900000000", "0.000000"]


def test_csv_nan_rows_are_empty_fields(orbit_with_gap: Orbit) -> None:
    times, r, v = orbit_with_gap
    rows = read_csv(ephemeris_csv(times, r_km=r, v_km_s=v))
    assert len(rows) == N + 1
    for i in (5, 6, 7):
        assert rows[i + 1] == [utc_iso(times[i]), "", "", "", "", "", ""]
    assert all(rows[5][1:])


def test_csv_partial_nan_and_negative_zero() -> None:
    times = [T0]
    rows = read_csv(ephemeris_csv(times, r_km=[[-1e-12, np.nan, 1.0]], v_km_s=[[-0.0, 0, 0]]))
    assert rows[1][1:] == ["0.000000", "", "1.000000", "0.000000000", "0.000000000", "0.000000000"]


def test_csv_accepts_other_timezones_as_utc(orbit: Orbit) -> None:
    times, r, _ = orbit
    cest = timezone(timedelta(hours=2))
    rows = read_csv(ephemeris_csv([t.astimezone(cest) for t in times], r_km=r))
    assert rows[1][0] == "2025-03-01T12:00:00.000Z"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "no columns"),
        ({"v_km_s": np.zeros((2, 3))}, "r_km: missing"),
        ({"r_km": np.zeros((2, 3)), "lat_deg": [0.0, 0.0]}, "not both"),
        ({"lat_deg": [0.0, 0.0], "lon_deg": [0.0, 0.0]}, "alt_km: missing"),
        ({"r_km": np.zeros((3, 3))}, "r_km: has shape (3, 3), expected (2, 3)"),
        ({"r_km": np.zeros(6)}, "r_km: has shape (6,), expected (2, 3)"),
        ({"r_km": [[0, 0, 0], [0, 0, math.inf]]}, "r_km[1]: is infinite"),
        (
            {"lat_deg": [0.0, 91.0], "lon_deg": [0.0, 0.0], "alt_km": [0.0, 0.0]},
            "lat_deg[1]: 91.0 is outside [-90, 90]",
        ),
        (
            {"lat_deg": [0.0], "lon_deg": [0.0, 0.0], "alt_km": [0.0, 0.0]},
            "lat_deg: has shape (1,), expected (2,)",
        ),
    ],
)
def test_csv_bad_input_says_what_and_expected(kwargs: dict[str, Any], expected: str) -> None:
    times = [T0, T0 + timedelta(seconds=60)]
    with pytest.raises(ArgumentError) as info:
        ephemeris_csv(times, **kwargs)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert message.startswith("ephemeris_csv")
    assert expected in message


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ([], "times_utc: is empty"),
        ([datetime(2025, 3, 1, 12)], "times_utc[0]: naive datetime"),
        ([T0, T0], "times_utc[1]: 2025-03-01T12:00:00+00:00 is not after"),
        ([T0 + timedelta(seconds=1), T0], "strictly increasing"),
        ([T0, "2025-03-01"], "times_utc[1]: expected a timezone-aware datetime, got str"),
        (T0, "got one value"),
    ],
)
def test_bad_times_are_refused_by_every_writer(times: Any, expected: str) -> None:
    n = len(times) if isinstance(times, list) else 1
    r = np.zeros((n, 3))
    calls: list[Callable[[], str]] = [
        lambda: ephemeris_csv(times, r_km=r),
        lambda: ephemeris_oem(
            times, r, r, object_name="X", object_id="X", ref_frame="GCRF", created_utc=CREATED
        ),
        lambda: ephemeris_czml(times, r, ref_frame="GCRF", object_id="X", object_name="X"),
    ]
    for call in calls:
        with pytest.raises(ArgumentError, match=re.escape(expected)):
            call()


# ------------------------------------------------------------------------------------------
# CCSDS OEM
# ------------------------------------------------------------------------------------------


def oem_of(times: list[datetime], r: Any, v: Any, **kwargs: Any) -> str:
    options: dict[str, Any] = {
        "object_name": "ISS (ZARYA)",
        "object_id": "1998-067A",
        "ref_frame": "TEME",
        "created_utc": CREATED,
    }
    options.update(kwargs)
    return ephemeris_oem(times, r, v, **options)


def states_of(parsed: Any) -> tuple[list[datetime], NDArray[np.float64], NDArray[np.float64]]:
    """Epochs, positions and velocities of every segment of a parsed OEM, in order."""
    epochs: list[datetime] = []
    rows: list[list[float]] = []
    for segment in parsed.body.segment:
        for sv in segment.data.state_vector:
            epochs.append(parse_utc(sv.epoch))
            rows.append(
                [
                    float(getattr(sv, name).value)
                    for name in ("x", "y", "z", "x_dot", "y_dot", "z_dot")
                ]
            )
    array = np.array(rows)
    return epochs, array[:, :3], array[:, 3:]


@pytest.mark.parametrize("version", ["2.0", "3.0"])
def test_oem_reads_back_with_ccsds_ndm(orbit: Orbit, version: str) -> None:
    times, r, v = orbit
    text = oem_of(times, r, v, oem_version=version)
    parsed = NdmIo().from_string(text)
    assert parsed.id == "CCSDS_OEM_VERS"
    assert parsed.version == version
    assert parsed.header.originator == "stationplan"
    assert parse_utc(parsed.header.creation_date) == CREATED
    (segment,) = parsed.body.segment
    meta = segment.metadata
    assert meta.object_name == "ISS (ZARYA)"
    assert meta.object_id == "1998-067A"
    assert meta.center_name == "EARTH"
    assert meta.ref_frame == "TEME"
    assert meta.time_system == "UTC"
    assert parse_utc(meta.start_time) == times[0]
    assert parse_utc(meta.stop_time) == times[-1]
    epochs, r_back, v_back = states_of(parsed)
    assert epochs == times
    np.testing.assert_allclose(r_back, r, rtol=0, atol=HALF_MM_KM)
    np.testing.assert_allclose(v_back, v, rtol=0, atol=HALF_UM_S_KM_S)
    # the acceptance tolerance, stated in physical units
    assert np.max(np.abs(r_back - r)) < ONE_MM_KM
    assert np.max(np.abs(v_back - v)) < ONE_MM_S_KM_S


def test_oem_layout(orbit: Orbit) -> None:
    times, r, v = orbit
    lines = oem_of(times, r, v).splitlines()
    assert lines[0].split() == ["CCSDS_OEM_VERS", "=", "2.0"]
    keys = {line.split("=")[0].strip() for line in lines if "=" in line}
    assert {
        "CREATION_DATE",
        "ORIGINATOR",
        "OBJECT_NAME",
        "OBJECT_ID",
        "CENTER_NAME",
        "REF_FRAME",
        "TIME_SYSTEM",
        "START_TIME",
        "STOP_TIME",
    } <= keys
    data = [line for line in lines if line[:1].isdigit() and "=" not in line]
    assert len(data) == N
    start = lines.index(data[0])
    assert lines[start : start + N] == data, "data lines are contiguous, no blank lines between"
    fields = data[1].split()
    assert fields[0] == "2025-03-01T12:01:00.000Z"
    assert [len(f.split(".")[1]) for f in fields[1:]] == [6, 6, 6, 9, 9, 9]


def test_oem_is_reproducible_with_a_fixed_creation_date(orbit: Orbit) -> None:
    times, r, v = orbit
    assert oem_of(times, r, v) == oem_of(times, r, v)


def test_oem_drops_nan_rows_and_splits_at_gaps(orbit_with_gap: Orbit) -> None:
    times, r, v = orbit_with_gap
    text = oem_of(times, r, v)
    data = [line for line in text.splitlines() if line[:1].isdigit() and "=" not in line]
    assert len(data) == N - 3
    assert not any("nan" in line.lower() for line in data)
    assert "COMMENT 3 of 20 epochs omitted" in text
    parsed = NdmIo().from_string(text)
    first, second = parsed.body.segment
    assert parse_utc(first.metadata.start_time) == times[0]
    assert parse_utc(first.metadata.stop_time) == times[4]
    assert parse_utc(second.metadata.start_time) == times[8]
    assert parse_utc(second.metadata.stop_time) == times[-1]
    epochs, r_back, v_back = states_of(parsed)
    keep = [i for i in range(N) if i not in (5, 6, 7)]
    assert epochs == [times[i] for i in keep]
    np.testing.assert_allclose(r_back, r[keep], rtol=0, atol=HALF_MM_KM)
    np.testing.assert_allclose(v_back, v[keep], rtol=0, atol=HALF_UM_S_KM_S)


def test_oem_one_segment_when_not_splitting(orbit_with_gap: Orbit) -> None:
    times, r, v = orbit_with_gap
    text = oem_of(times, r, v, split_at_gaps=False)
    parsed = NdmIo().from_string(text)
    (segment,) = parsed.body.segment
    assert len(segment.data.state_vector) == N - 3
    assert "do not interpolate across the gaps" in text


def test_oem_row_with_nan_velocity_only_is_dropped(orbit: Orbit) -> None:
    times, r, v = orbit
    v = v.copy()
    v[0, 2] = np.nan
    parsed = NdmIo().from_string(oem_of(times, r, v))
    epochs, _, _ = states_of(parsed)
    assert epochs == times[1:]


def test_oem_keeps_microseconds_when_epochs_need_them(orbit: Orbit) -> None:
    times, r, v = orbit
    odd = [t + timedelta(microseconds=250_001) for t in times]
    text = oem_of(odd, r, v, comments=["test case", ""])
    assert "2025-03-01T12:00:00.250001Z" in text
    epochs, _, _ = states_of(NdmIo().from_string(text))
    assert epochs == odd


@pytest.mark.parametrize("frame", ["TEME", "GCRF", "ITRF"])
def test_oem_frames(orbit: Orbit, frame: str) -> None:
    times, r, v = orbit
    parsed = NdmIo().from_string(oem_of(times, r, v, ref_frame=frame))
    assert parsed.body.segment[0].metadata.ref_frame == frame


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"ref_frame": "EME2000"}, "ref_frame: 'EME2000' is not one of TEME, GCRF, ITRF"),
        ({"oem_version": "1.0"}, "oem_version: '1.0' is not one of 2.0, 3.0"),
        ({"object_name": ""}, "object_name: is empty"),
        ({"object_id": "é"}, "object_id: 'é' is not one line of printable ASCII"),
        ({"comments": ["two\nlines"]}, "comments[0]: 'two\\nlines' is not one line"),
        ({"comments": ["x" * 300]}, "comments[0]: has 300 characters"),
        ({"created_utc": datetime(2025, 1, 1)}, "created_utc: naive datetime"),
    ],
)
def test_oem_bad_arguments(orbit: Orbit, kwargs: dict[str, Any], expected: str) -> None:
    times, r, v = orbit
    with pytest.raises(ArgumentError) as info:
        oem_of(times, r, v, **kwargs)
    assert expected in str(info.value)


def test_oem_shapes_and_all_nan(orbit: Orbit) -> None:
    times, r, v = orbit
    with pytest.raises(ArgumentError, match=r"v_km_s: has shape \(19, 3\), expected \(20, 3\)"):
        oem_of(times, r, v[:-1])
    with pytest.raises(ArgumentError, match="all 20 states hold NaN"):
        oem_of(times, np.full_like(r, np.nan), v)


# ------------------------------------------------------------------------------------------
# CZML
# ------------------------------------------------------------------------------------------


def czml_of(times: list[datetime], r: Any, **kwargs: Any) -> str:
    options: dict[str, Any] = {"ref_frame": "GCRF", "object_id": "1998-067A", "object_name": "ISS"}
    options.update(kwargs)
    return ephemeris_czml(times, r, **options)


def test_czml_document_and_object_packets(orbit: Orbit) -> None:
    times, r, _ = orbit
    packets = json.loads(czml_of(times, r))
    assert isinstance(packets, list) and len(packets) == 2
    document, satellite = packets
    assert document["id"] == "document"
    assert document["version"] == "1.0"
    start, stop = document["clock"]["interval"].split("/")
    assert parse_utc(start) == times[0] and parse_utc(stop) == times[-1]
    assert parse_utc(document["clock"]["currentTime"]) == times[0]
    assert satellite["id"] == "1998-067A"
    assert satellite["label"]["text"] == "ISS"
    assert satellite["point"]["pixelSize"] > 0
    (availability,) = satellite["availability"]
    assert [parse_utc(t) for t in availability.split("/")] == [times[0], times[-1]]


def test_czml_positions_in_metres_with_epoch(orbit: Orbit) -> None:
    times, r, _ = orbit
    position = json.loads(czml_of(times, r))[1]["position"]
    assert position["referenceFrame"] == "INERTIAL"
    assert parse_utc(position["epoch"]) == times[0]
    assert position["interpolationAlgorithm"] == "LAGRANGE"
    samples = np.array(position["cartesian"]).reshape(-1, 4)
    assert samples.shape == (N, 4)
    np.testing.assert_allclose(samples[:, 0], np.arange(N) * STEP_S, rtol=0, atol=1e-6)
    np.testing.assert_allclose(samples[:, 1:], r * 1000.0, rtol=0, atol=0.5e-3 + 1e-6)
    np.testing.assert_allclose(np.linalg.norm(samples[:, 1:], axis=1), A_KM * 1000.0, atol=1e-3)


def test_czml_samples_interpolate_to_the_orbit(orbit: Orbit) -> None:
    """Degree-5 Lagrange through 6 samples 60 s apart (as Cesium will do) stays on the orbit:
    an independent check that times and metres belong together. 1 m is far below what a
    viewer shows and far above the interpolation error for a 92-minute orbit."""
    times, r, _ = orbit
    samples = np.array(json.loads(czml_of(times, r))[1]["position"]["cartesian"]).reshape(-1, 4)
    t_s = 7.5 * STEP_S
    window = samples[4:10]
    interpolated_m = BarycentricInterpolator(window[:, 0], window[:, 1:])(t_s)
    truth_km, _ = circular_orbit(np.array([t_s]))
    assert np.linalg.norm(interpolated_m - truth_km[0] * 1000.0) < 1.0


def test_czml_fixed_frame_for_itrf(orbit: Orbit) -> None:
    times, r, _ = orbit
    position = json.loads(czml_of(times, r, ref_frame="ITRF"))[1]["position"]
    assert position["referenceFrame"] == "FIXED"


def test_czml_path_spans_one_orbit(orbit: Orbit) -> None:
    times, r, _ = orbit
    period_s = 2.0 * math.pi * math.sqrt(A_KM**3 / MU_EARTH_KM3_S2)
    path = json.loads(czml_of(times, r))[1]["path"]
    assert path["leadTime"] == pytest.approx(period_s, rel=1e-9)
    assert path["trailTime"] == pytest.approx(period_s, rel=1e-9)
    path = json.loads(czml_of(times, r, orbit_period_s=5400.0))[1]["path"]
    assert path["leadTime"] == 5400.0 and path["trailTime"] == 5400.0


def test_czml_nan_rows_split_position_and_availability(orbit_with_gap: Orbit) -> None:
    times, r, _ = orbit_with_gap
    text = czml_of(times, r)
    assert "NaN" not in text and "null" not in text
    satellite = json.loads(text)[1]
    first, second = satellite["position"]
    assert [parse_utc(t) for t in first["interval"].split("/")] == [times[0], times[4]]
    assert [parse_utc(t) for t in second["interval"].split("/")] == [times[8], times[-1]]
    assert parse_utc(second["epoch"]) == times[8]
    assert len(first["cartesian"]) == 4 * 5
    assert len(second["cartesian"]) == 4 * (N - 8)
    assert second["cartesian"][0] == 0.0
    assert len(satellite["availability"]) == 2


@pytest.mark.parametrize("with_gap", [False, True])
def test_czml_round_trips_through_czml3(orbit: Orbit, with_gap: bool) -> None:
    times, r, _ = orbit
    if with_gap:
        r = r.copy()
        r[5:8] = np.nan
    text = czml_of(times, r)
    document = Document.model_validate_json(text)
    assert document.packets[0].id == "document"
    assert json.loads(document.dumps()) == json.loads(text)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"ref_frame": "TEME"}, "ref_frame: 'TEME': Cesium knows GCRF (INERTIAL) and ITRF"),
        ({"object_id": "document"}, "object_id: 'document'"),
        ({"orbit_period_s": 0.0}, "orbit_period_s: 0.0: expected a positive"),
        ({"color_rgba": (0, 0, 300, 255)}, "color_rgba"),
        ({"interpolation_degree": 0}, "interpolation_degree: 0"),
    ],
)
def test_czml_bad_arguments(orbit: Orbit, kwargs: dict[str, Any], expected: str) -> None:
    times, r, _ = orbit
    with pytest.raises(ArgumentError) as info:
        czml_of(times, r, **kwargs)
    assert expected in str(info.value)


def test_czml_all_nan_is_refused(orbit: Orbit) -> None:
    times, r, _ = orbit
    with pytest.raises(ArgumentError, match="all 20 positions hold NaN"):
        czml_of(times, np.full_like(r, np.nan))
