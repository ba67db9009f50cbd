"""Ephemeris exports: times and states as CSV, CCSDS OEM (KVN) and CZML text.

Each function returns the whole file as a string; the caller writes it (atomically, with
:func:`stationplan.report.output.write_text_atomic`). Times come in as timezone-aware UTC
``datetime`` objects (the package's edge convention, see :mod:`stationplan.scenario.fields`);
states come in as ``(N, 3)`` arrays in km and km/s, one row per epoch. A row holding NaN is a
failed propagation (an SGP4 decay, say), not an error:

* CSV writes each NaN value as an empty field and keeps the row;
* OEM drops the row (an OEM cannot hold NaN), says so in a ``COMMENT`` and by default starts a
  new segment after each gap, so that no reader interpolates across it;
* CZML drops the row and gives the object one position interval per run of valid samples,
  with an ``availability`` that leaves the gaps out.

Libraries do the formats: the OEM is an object tree of the ``ccsds-ndm`` package (CCSDS
502.0-B-2 OEM 2.0, or 502.0-B-3 OEM 3.0 on request) written by its KVN writer; the CZML is a
``czml3`` document. Only the CSV is written here, with the standard library's ``csv``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal, NoReturn, get_args

import numpy as np
from ccsds_ndm.kvn_tokenizer import BlankLine, PackedDataLine
from ccsds_ndm.kvn_writer import write_kvn_lines
from ccsds_ndm.models import ndmxml2, ndmxml4
from czml3 import (
    Clock,
    Color,
    Document,
    IntervalValue,
    Label,
    Packet,
    Path,
    Point,
    PolylineMaterial,
    Position,
    SolidColorMaterial,
    TimeInterval,
    TimeIntervalCollection,
)
from czml3.enums import ClockRanges, ClockSteps, InterpolationAlgorithms, ReferenceFrames
from numpy.typing import ArrayLike, NDArray

from stationplan.errors import ArgumentError, Problem
from stationplan.scenario.fields import utc_iso

__all__ = [
    "CZML_REFERENCE_FRAMES",
    "MU_EARTH_KM3_S2",
    "ORIGINATOR",
    "OemVersion",
    "RefFrame",
    "ephemeris_csv",
    "ephemeris_czml",
    "ephemeris_oem",
]

RefFrame = Literal["TEME", "GCRF", "ITRF"]
"""Frames of a Cartesian ephemeris, spelled as the OEM ``REF_FRAME`` keyword spells them."""

OemVersion = Literal["2.0", "3.0"]
"""``CCSDS_OEM_VERS``: 2.0 is CCSDS 502.0-B-2 (2009), 3.0 is CCSDS 502.0-B-3 (2023)."""

CZML_REFERENCE_FRAMES: dict[str, ReferenceFrames] = {
    "GCRF": ReferenceFrames.INERTIAL,
    "ITRF": ReferenceFrames.FIXED,
}
"""Cesium's two frames: ``INERTIAL`` is the ICRF (GCRF differs by the frame bias, < 1 m at
LEO), ``FIXED`` is the Earth-fixed ITRF/WGS-84 frame. Cesium has no TEME."""

MU_EARTH_KM3_S2 = 398600.4418
"""Earth's gravitational parameter (WGS-84 / EGM-96), km³/s²; only sizes the CZML path."""

ORIGINATOR = "stationplan"

_KM_DECIMALS = 6  # 1e-6 km = 1 mm
_KM_S_DECIMALS = 9  # 1e-9 km/s = 1 µm/s
_DEG_DECIMALS = 9  # 1e-9 deg ≈ 0.1 mm on the Earth's surface

_KVN_TEXT_MAX = 200  # conservative: ODM KVN caps a line at 254 characters (502.0-B-2)

_CSV_CARTESIAN_R = ("x_km", "y_km", "z_km")
_CSV_CARTESIAN_V = ("vx_km_s", "vy_km_s", "vz_km_s")
_CSV_GEODETIC = ("lat_deg", "lon_deg", "alt_km")


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def ephemeris_csv(
    times_utc: Sequence[datetime],
    *,
    r_km: ArrayLike | None = None,
    v_km_s: ArrayLike | None = None,
    lat_deg: ArrayLike | None = None,
    lon_deg: ArrayLike | None = None,
    alt_km: ArrayLike | None = None,
) -> str:
    """The ephemeris as CSV text: a ``time_utc`` column, then Cartesian or geodetic columns.

    Give either ``r_km`` (with or without ``v_km_s``) or all of ``lat_deg``, ``lon_deg`` and
    ``alt_km``, never both kinds.

    Args:
        times_utc: N timezone-aware epochs, strictly increasing; written as ISO 8601 UTC with
            ``Z`` and millisecond precision (as :func:`~stationplan.scenario.fields.utc_iso`).
        r_km: ``(N, 3)`` positions, km, in whatever frame the caller states elsewhere; columns
            ``x_km,y_km,z_km`` with 6 decimals (1 mm).
        v_km_s: ``(N, 3)`` velocities, km/s, same frame; columns ``vx_km_s,vy_km_s,vz_km_s``
            with 9 decimals (1 µm/s). Only with ``r_km``.
        lat_deg: ``(N,)`` geodetic latitudes, degrees, column ``lat_deg`` (9 decimals).
        lon_deg: ``(N,)`` longitudes, degrees east, column ``lon_deg`` (9 decimals).
        alt_km: ``(N,)`` heights above the ellipsoid, km, column ``alt_km`` (6 decimals).

    Returns:
        CSV text with ``\\n`` line ends and a final newline; a NaN value is an empty field.

    Raises:
        ArgumentError: no columns or both kinds, a naive or out-of-order time, a shape that is
            not ``(N, 3)`` / ``(N,)``, an infinite value or a latitude outside ±90°.
    """
    where = "ephemeris_csv"
    times = _check_times(times_utc, where)
    n = len(times)
    geodetic = (lat_deg, lon_deg, alt_km)
    cartesian_given = r_km is not None or v_km_s is not None
    geodetic_given = any(column is not None for column in geodetic)
    if cartesian_given and geodetic_given:
        _fail(where, None, "give Cartesian (r_km, v_km_s) or geodetic columns, not both")
    header: list[str] = ["time_utc"]
    columns: list[tuple[NDArray[np.float64], int]] = []
    if cartesian_given:
        if r_km is None:
            _fail(where, "r_km", "missing: v_km_s needs the positions r_km, shape (N, 3)")
        r = _check_vectors(r_km, n, where, "r_km")
        header += _CSV_CARTESIAN_R
        columns += [(r[:, k], _KM_DECIMALS) for k in range(3)]
        if v_km_s is not None:
            v = _check_vectors(v_km_s, n, where, "v_km_s")
            header += _CSV_CARTESIAN_V
            columns += [(v[:, k], _KM_S_DECIMALS) for k in range(3)]
    elif geodetic_given:
        if lat_deg is None or lon_deg is None or alt_km is None:
            names = ("lat_deg", "lon_deg", "alt_km")
            missing = [name for name, col in zip(names, geodetic, strict=True) if col is None]
            _fail(where, missing[0], "missing: geodetic output needs lat_deg, lon_deg, alt_km")
        lat = _check_column(lat_deg, n, where, "lat_deg")
        lon = _check_column(lon_deg, n, where, "lon_deg")
        alt = _check_column(alt_km, n, where, "alt_km")
        if np.any(np.abs(lat[np.isfinite(lat)]) > 90.0):
            bad = int(np.flatnonzero(np.abs(lat) > 90.0)[0])
            _fail(where, f"lat_deg[{bad}]", f"{lat[bad]} is outside [-90, 90] degrees")
        header += _CSV_GEODETIC
        columns += [(lat, _DEG_DECIMALS), (lon, _DEG_DECIMALS), (alt, _KM_DECIMALS)]
    else:
        _fail(where, None, "no columns: give r_km (and v_km_s) or lat_deg, lon_deg, alt_km")

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    stamps = [utc_iso(t) for t in times]
    for i, stamp in enumerate(stamps):
        writer.writerow([stamp, *(_fixed_or_empty(values[i], dp) for values, dp in columns)])
    return buffer.getvalue()


def _fixed_or_empty(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals, or the empty string for NaN.

    >>> _fixed_or_empty(6778.1370004, 6), _fixed_or_empty(float("nan"), 6)
    ('6778.137000', '')
    """
    if math.isnan(value):
        return ""
    return _fixed(value, decimals)


def _fixed(value: float, decimals: int) -> str:
    """Fixed-point text without a negative zero.

    >>> _fixed(-1e-12, 9), _fixed(-0.0, 6), _fixed(-2.5e-6, 6)
    ('0.000000000', '0.000000', '-0.000003')
    """
    return f"{round(float(value), decimals) + 0.0:.{decimals}f}"


# --------------------------------------------------------------------------------------------
# CCSDS OEM
# --------------------------------------------------------------------------------------------


class _FixedFloat(float):
    """A float that ``str()`` prints with a fixed number of decimals and no exponent.

    The ``ccsds-ndm`` KVN writer prints values with ``str``; this keeps an OEM data line in
    plain fixed-point notation at the stated resolution (1 mm, 1 µm/s) instead of Python's
    shortest repr (``6778.137000000001``, ``5e-05``).
    """

    decimals: int = _KM_DECIMALS

    def __str__(self) -> str:
        return _fixed(self, self.decimals)

    __repr__ = __str__


class _Km(_FixedFloat):
    decimals = _KM_DECIMALS


class _KmS(_FixedFloat):
    decimals = _KM_S_DECIMALS


def ephemeris_oem(
    times_utc: Sequence[datetime],
    r_km: ArrayLike,
    v_km_s: ArrayLike,
    *,
    object_name: str,
    object_id: str,
    ref_frame: RefFrame,
    created_utc: datetime | None = None,
    comments: Sequence[str] = (),
    split_at_gaps: bool = True,
    oem_version: OemVersion = "2.0",
) -> str:
    """The ephemeris as a CCSDS Orbit Ephemeris Message in KVN, built with ``ccsds-ndm``.

    The message follows CCSDS 502.0-B-2 (``CCSDS_OEM_VERS = 2.0``, the default) or 502.0-B-3
    (``3.0``): header (``CREATION_DATE``, ``ORIGINATOR = stationplan``), then per segment a
    META block (``OBJECT_NAME``, ``OBJECT_ID``, ``CENTER_NAME = EARTH``, ``REF_FRAME``,
    ``TIME_SYSTEM = UTC``, ``START_TIME``, ``STOP_TIME``) and data lines
    ``EPOCH X Y Z X_DOT Y_DOT Z_DOT`` in km and km/s (6 and 9 decimals: 1 mm, 1 µm/s).
    Epochs carry milliseconds, or microseconds when some epoch is not on a whole millisecond.

    Rows with a NaN anywhere are dropped; a header ``COMMENT`` counts them. With
    ``split_at_gaps`` each run of valid rows becomes its own segment, so a reader never
    interpolates across a failed stretch; without it one segment holds all valid rows.

    Args:
        times_utc: N timezone-aware epochs, strictly increasing.
        r_km: ``(N, 3)`` positions in ``ref_frame``, km.
        v_km_s: ``(N, 3)`` velocities in ``ref_frame``, km/s.
        object_name: ``OBJECT_NAME``, e.g. ``ISS (ZARYA)``.
        object_id: ``OBJECT_ID``, preferably the international designator ``1998-067A``.
        ref_frame: ``TEME`` (SGP4 output), ``GCRF`` or ``ITRF``; written as ``REF_FRAME``.
        created_utc: ``CREATION_DATE``; now if omitted (give it for reproducible files).
        comments: extra header ``COMMENT`` lines, one line of ASCII each.
        split_at_gaps: start a new segment after each run of NaN rows.
        oem_version: ``"2.0"`` (502.0-B-2) or ``"3.0"`` (502.0-B-3).

    Returns:
        KVN text with a final newline.

    Raises:
        ArgumentError: bad shapes or times, an unknown frame or version, text that is not one
            line of printable ASCII, or no valid row at all (an OEM needs one state vector).
    """
    where = "ephemeris_oem"
    times = _check_times(times_utc, where)
    n = len(times)
    r = _check_vectors(r_km, n, where, "r_km")
    v = _check_vectors(v_km_s, n, where, "v_km_s")
    if ref_frame not in get_args(RefFrame):
        _fail(where, "ref_frame", f"{ref_frame!r} is not one of {', '.join(get_args(RefFrame))}")
    if oem_version not in get_args(OemVersion):
        _fail(where, "oem_version", f"{oem_version!r} is not one of 2.0, 3.0")
    _check_kvn_text(object_name, where, "object_name")
    _check_kvn_text(object_id, where, "object_id")
    for k, comment in enumerate(comments):
        _check_kvn_text(comment, where, f"comments[{k}]", allow_empty=True)
    created = datetime.now(UTC) if created_utc is None else _check_time(created_utc, where)

    valid = np.asarray(np.isfinite(r).all(axis=1) & np.isfinite(v).all(axis=1), dtype=np.bool_)
    runs = _runs(valid)
    if not runs:
        _fail(where, "r_km", f"all {n} states hold NaN: an OEM needs at least one state vector")
    if not split_at_gaps:
        runs = [np.flatnonzero(valid)]
    header_comments = list(comments)
    dropped = n - int(valid.sum())
    if dropped:
        header_comments.append(
            f"{dropped} of {n} epochs omitted: propagation failed there (NaN state)"
            + (
                f"; the ephemeris is split into {len(runs)} segments at the gaps"
                if split_at_gaps
                else "; do not interpolate across the gaps"
            )
        )

    stamps = _oem_epochs(times)
    models: Any = ndmxml2 if oem_version == "2.0" else ndmxml4
    if oem_version == "2.0":
        header = models.NdmHeader(
            comment=header_comments,
            creation_date=_oem_epochs([created])[0],
            originator=ORIGINATOR,
        )
        position_type, velocity_type = models.PositionType, models.VelocityType
    else:
        header = models.OdmHeader(
            comment=header_comments,
            creation_date=_oem_epochs([created])[0],
            originator=ORIGINATOR,
        )
        position_type, velocity_type = models.PositionTypeUo, models.VelocityTypeUo

    segments = []
    for rows in runs:
        states = [
            models.StateVectorAccType(
                epoch=stamps[i],
                x=position_type(value=_Km(r[i, 0])),
                y=position_type(value=_Km(r[i, 1])),
                z=position_type(value=_Km(r[i, 2])),
                x_dot=velocity_type(value=_KmS(v[i, 0])),
                y_dot=velocity_type(value=_KmS(v[i, 1])),
                z_dot=velocity_type(value=_KmS(v[i, 2])),
            )
            for i in rows
        ]
        metadata = models.OemMetadata(
            object_name=object_name,
            object_id=object_id,
            center_name="EARTH",
            ref_frame=ref_frame,
            time_system="UTC",
            start_time=stamps[rows[0]],
            stop_time=stamps[rows[-1]],
        )
        segments.append(
            models.OemSegment(metadata=metadata, data=models.OemData(state_vector=states))
        )
    oem = models.Oem(header=header, body=models.OemBody(segment=segments))
    return _kvn_text(oem)


def _kvn_text(ndm: Any) -> str:
    """KVN text of an NDM object from ``ccsds-ndm``'s writer, data lines kept together.

    The writer puts a blank line between consecutive data lines; blank lines are legal KVN but
    double the size of an ephemeris, so those (and only those) are dropped.
    """
    lines = write_kvn_lines(ndm)
    kept = [
        line
        for i, line in enumerate(lines)
        if not (
            isinstance(line, BlankLine)
            and 0 < i < len(lines) - 1
            and isinstance(lines[i - 1], PackedDataLine)
            and isinstance(lines[i + 1], PackedDataLine)
        )
    ]
    text = "\n".join(line.to_str() for line in kept)
    return text.rstrip("\n") + "\n"


def _oem_epochs(times: Sequence[datetime]) -> list[str]:
    """OEM epoch strings: ISO 8601 UTC with ``Z``, to the millisecond if that is exact.

    >>> _oem_epochs([datetime(2025, 1, 2, 3, 4, 5, 250000, tzinfo=UTC)])
    ['2025-01-02T03:04:05.250Z']
    >>> _oem_epochs([datetime(2025, 1, 2, 3, 4, 5, 250001, tzinfo=UTC)])
    ['2025-01-02T03:04:05.250001Z']
    """
    if all(t.microsecond % 1000 == 0 for t in times):
        return [utc_iso(t) for t in times]
    return [t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") for t in times]


def _check_kvn_text(text: str, where: str, field: str, *, allow_empty: bool = False) -> None:
    """KVN values and comments are one line of printable ASCII (CCSDS 502.0-B-2 §7.5)."""
    if not isinstance(text, str):
        _fail(where, field, f"expected a string, got {type(text).__name__}")
    if not text.strip() and not allow_empty:
        _fail(where, field, "is empty: give a non-blank value")
    if not (text.isascii() and text.isprintable()):
        _fail(where, field, f"{text!r} is not one line of printable ASCII, as KVN requires")
    if len(text) > _KVN_TEXT_MAX:
        _fail(where, field, f"has {len(text)} characters, at most {_KVN_TEXT_MAX} fit a KVN line")


# --------------------------------------------------------------------------------------------
# CZML
# --------------------------------------------------------------------------------------------


def ephemeris_czml(
    times_utc: Sequence[datetime],
    r_km: ArrayLike,
    *,
    ref_frame: RefFrame,
    object_id: str,
    object_name: str,
    document_name: str | None = None,
    orbit_period_s: float | None = None,
    color_rgba: tuple[int, int, int, int] = (255, 204, 0, 255),
    interpolation_degree: int = 5,
    indent: int | None = None,
) -> str:
    """The ephemeris as a CZML document for Cesium, built with ``czml3``.

    Two packets: the document (``id = "document"``) with a clock spanning the first to the
    last epoch, and the object (``id = object_id``) with a sampled ``position`` (metres, an
    ``epoch`` and seconds since it, ``LAGRANGE`` interpolation), an ``availability``, a
    ``path`` drawn one orbit ahead and one behind, a ``label`` and a ``point``. NaN rows are
    left out: each run of valid rows is its own position interval, so Cesium neither draws nor
    interpolates across a gap (one run gives a plain sampled position).

    Args:
        times_utc: N timezone-aware epochs, strictly increasing.
        r_km: ``(N, 3)`` positions, km, in ``ref_frame``; written in metres rounded to 1 mm.
        ref_frame: ``GCRF`` (Cesium ``INERTIAL``, the ICRF) or ``ITRF`` (Cesium ``FIXED``).
            ``TEME`` is refused: rotate SGP4 output to GCRF or ITRF first.
        object_id: the object packet's ``id`` (not ``"document"``).
        object_name: the packet's ``name`` and the label's text.
        document_name: the document packet's ``name``; ``"<object_name> ephemeris"`` if
            omitted.
        orbit_period_s: path lead and trail time, s; if omitted, the Keplerian period of a
            circular orbit of the mean radius (with ``MU_EARTH_KM3_S2``).
        color_rgba: point, label and path colour, 0-255 each.
        interpolation_degree: Lagrange degree Cesium interpolates with (5 suits samples a
            few minutes apart in LEO).
        indent: JSON indent; ``None`` gives compact text.

    Returns:
        CZML (JSON) text with a final newline.

    Raises:
        ArgumentError: bad shapes or times, an unsupported frame, ``object_id = "document"``,
            a non-positive period or degree, a colour outside 0-255, or no valid row at all.
    """
    where = "ephemeris_czml"
    times = _check_times(times_utc, where)
    n = len(times)
    r = _check_vectors(r_km, n, where, "r_km")
    if ref_frame not in CZML_REFERENCE_FRAMES:
        _fail(
            where,
            "ref_frame",
            f"{ref_frame!r}: Cesium knows GCRF (INERTIAL) and ITRF (FIXED) only; "
            "rotate TEME states to one of them first",
        )
    if not object_id or object_id == "document":
        _fail(where, "object_id", f"{object_id!r}: give a non-empty id other than 'document'")
    if isinstance(interpolation_degree, bool) or interpolation_degree < 1:
        _fail(where, "interpolation_degree", f"{interpolation_degree}: expected an int >= 1")
    if len(color_rgba) != 4 or not all(0 <= c <= 255 for c in color_rgba):
        _fail(where, "color_rgba", f"{color_rgba}: expected four integers in 0-255")
    valid = np.asarray(np.isfinite(r).all(axis=1), dtype=np.bool_)
    runs = _runs(valid)
    if not runs:
        _fail(where, "r_km", f"all {n} positions hold NaN: nothing to show")
    if orbit_period_s is None:
        radius_km = float(np.mean(np.linalg.norm(r[valid], axis=1)))
        period_s = 2.0 * math.pi * math.sqrt(radius_km**3 / MU_EARTH_KM3_S2)
    else:
        period_s = float(orbit_period_s)
    if not (math.isfinite(period_s) and period_s > 0.0):
        _fail(where, "orbit_period_s", f"{period_s}: expected a positive number of seconds")

    frame = CZML_REFERENCE_FRAMES[ref_frame]
    r_m = np.round(r * 1000.0, 3)
    intervals = []
    for rows in runs:
        epoch = times[rows[0]]
        samples: list[float] = []
        for i in rows:
            samples += [(times[i] - epoch).total_seconds(), *(float(x) for x in r_m[i])]
        # model_validate rather than Position(...): mypy does not see the fields Position
        # inherits from czml3's Interpolatable (epoch, interpolation*).
        position = Position.model_validate(
            {
                "epoch": epoch,
                "referenceFrame": frame,
                "interpolationAlgorithm": InterpolationAlgorithms.LAGRANGE,
                "interpolationDegree": interpolation_degree,
                "cartesian": samples,
            }
        )
        intervals.append((times[rows[0]], times[rows[-1]], position))
    position_property: Position | TimeIntervalCollection
    if len(intervals) == 1:
        position_property = intervals[0][2]
    else:
        position_property = TimeIntervalCollection(
            values=[IntervalValue(start=a, end=b, value=p) for a, b, p in intervals]
        )
    color = Color(rgba=list(color_rgba))
    document = Document(
        packets=[
            Packet(
                id="document",
                name=document_name or f"{object_name} ephemeris",
                version="1.0",
                clock=Clock(
                    interval=TimeInterval(start=times[0], end=times[-1]),
                    currentTime=times[0],
                    multiplier=60.0,
                    range=ClockRanges.LOOP_STOP,
                    step=ClockSteps.SYSTEM_CLOCK_MULTIPLIER,
                ),
            ),
            Packet(
                id=object_id,
                name=object_name,
                availability=TimeIntervalCollection(
                    values=[TimeInterval(start=a, end=b) for a, b, _ in intervals]
                ),
                position=position_property,
                path=Path(
                    leadTime=period_s,
                    trailTime=period_s,
                    width=1.5,
                    material=PolylineMaterial(solidColor=SolidColorMaterial(color=color)),
                ),
                label=Label(text=object_name, font="12pt sans-serif", fillColor=color),
                point=Point(pixelSize=6.0, color=color),
            ),
        ]
    )
    return document.model_dump_json(exclude_none=True, indent=indent) + "\n"


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------


def _fail(where: str, field: str | None, message: str) -> NoReturn:
    raise ArgumentError(Problem(source=where, field=field, message=message))


def _check_time(value: object, where: str, field: str = "created_utc") -> datetime:
    """``value`` as a UTC datetime; naive datetimes and other types are refused."""
    if not isinstance(value, datetime):
        _fail(where, field, f"expected a timezone-aware datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        _fail(where, field, f"naive datetime {value.isoformat()}: give a timezone-aware UTC time")
    return value.astimezone(UTC)


def _check_times(times_utc: Sequence[datetime], where: str) -> list[datetime]:
    """The epochs as UTC datetimes: at least one, all aware, strictly increasing."""
    if isinstance(times_utc, datetime | str | bytes):
        _fail(where, "times_utc", "expected a list of timezone-aware datetimes, got one value")
    try:
        items = list(times_utc)
    except TypeError:
        _fail(where, "times_utc", f"expected a list of datetimes, got {type(times_utc).__name__}")
    times = [_check_time(t, where, f"times_utc[{i}]") for i, t in enumerate(items)]
    if not times:
        _fail(where, "times_utc", "is empty: an ephemeris needs at least one epoch")
    for i in range(1, len(times)):
        if times[i] <= times[i - 1]:
            _fail(
                where,
                f"times_utc[{i}]",
                f"{times[i].isoformat()} is not after {times[i - 1].isoformat()}: "
                "epochs must be strictly increasing",
            )
    return times


def _check_vectors(value: ArrayLike, n: int, where: str, field: str) -> NDArray[np.float64]:
    """``value`` as a float ``(n, 3)`` array; NaN allowed (failed rows), infinity not."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        _fail(where, field, f"not numeric ({exc}): expected an array of shape ({n}, 3)")
    if array.shape != (n, 3):
        _fail(
            where,
            field,
            f"has shape {array.shape}, expected ({n}, 3): one row of 3 components per epoch",
        )
    if np.isinf(array).any():
        row = int(np.flatnonzero(np.isinf(array).any(axis=1))[0])
        _fail(where, f"{field}[{row}]", "is infinite: use NaN to mark a failed state")
    return array


def _check_column(value: ArrayLike, n: int, where: str, field: str) -> NDArray[np.float64]:
    """``value`` as a float ``(n,)`` array; NaN allowed, infinity not."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        _fail(where, field, f"not numeric ({exc}): expected an array of shape ({n},)")
    if array.shape != (n,):
        _fail(where, field, f"has shape {array.shape}, expected ({n},): one value per epoch")
    if np.isinf(array).any():
        row = int(np.flatnonzero(np.isinf(array))[0])
        _fail(where, f"{field}[{row}]", "is infinite: use NaN to mark a failed value")
    return array


def _runs(valid: NDArray[np.bool_]) -> list[NDArray[np.intp]]:
    """Indices of each run of consecutive ``True`` in ``valid``.

    >>> [list(map(int, run)) for run in _runs(np.array([True, True, False, True]))]
    [[0, 1], [3]]
    """
    index = np.flatnonzero(valid)
    if index.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(index) > 1) + 1
    return list(np.split(index, breaks))
