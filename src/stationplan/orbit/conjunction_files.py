"""Conjunction files: CCSDS Conjunction Data Messages (CDM, CCSDS 508.0-B-1) as KVN or XML,
and a JSON format of our own, read into both objects' states and inertial covariances at TCA.

KVN is read here line by line, so that every problem names its line: ``ccsds-ndm``'s KVN
reader rejects most of CARA's own sample CDMs (units such as ``[m]`` on dimensionless
fields, values run into their unit), and a CDM reader that refuses the operator's files is
no use. CDM XML is read with ``ccsds-ndm`` (its schema-bound models). The CDM's
``COLLISION_PROBABILITY`` is not read: Pc is always recomputed.

Units: the CDM gives positions in km, velocities in km/s and a 6x6 covariance in the
object's RTN frame (m^2, m^2/s, m^2/s^2); they are returned in m, m/s and the inertial frame
of the states (EME2000, GCRF or ICRF), the covariance rotated with each object's own RTN
axes (R along r, N along r x v, T = N x R). The velocity block gets the same rotation, the
frame's rotation-rate term neglected; the position block, the only one a 2-D Pc uses, is
exact.

The hard-body radius is the ``COMMENT HBR = <value> [m]`` line CARA writes in a CDM, when
the caller does not give one.

The JSON format::

    {"tca_utc": "2023-06-13T00:19:23.766Z", "frame": "EME2000", "hbr_m": 10.0,
     "primary":   {"name": "HST", "position_m": [x, y, z], "velocity_m_s": [vx, vy, vz],
                   "covariance": [[...3x3 or 6x6, m, m/s units...]]},
     "secondary": {...}}

with ``"covariance_frame": "RTN"`` (per object) for a covariance in the object's RTN axes;
``tca_utc`` and ``hbr_m`` are optional.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from stationplan.errors import ConjunctionError, Problem

Vec = NDArray[np.float64]

INERTIAL_FRAMES = ("EME2000", "GCRF", "ICRF")
"""Inertial frames accepted for the states; their orientations differ by milliarcseconds,
which moves nothing in a Pc, but both objects must name the same one."""

STATE_KEYS = ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
STATE_UNITS = ("km", "km", "km", "km/s", "km/s", "km/s")
_AXES = ("R", "T", "N", "RDOT", "TDOT", "NDOT")
COVARIANCE_KEYS = tuple(f"C{_AXES[i]}_{_AXES[j]}" for i in range(6) for j in range(i + 1))
"""The 21 lower-triangle RTN covariance keywords of a CDM, row by row (CR_R ... CNDOT_NDOT)."""

_HBR = re.compile(r"^\s*HBR\s*=\s*([^\s\[]+)\s*(?:\[\s*([^\]]*)\s*\])?\s*$", re.IGNORECASE)
_KEYWORD = re.compile(r"^[A-Z][A-Z0-9_]*$")
_VALUE_UNIT = re.compile(r"^(.*?)\s*(?:\[([^\]]*)\])?\s*$")


@dataclass(frozen=True)
class ConjunctionObject:
    """One object at TCA: position (m), velocity (m/s) and 6x6 (or 3x3) covariance in the
    inertial frame (m, m/s units)."""

    name: str
    r_m: Vec
    v_m_s: Vec
    cov: Vec


@dataclass(frozen=True)
class Conjunction:
    """A conjunction read from a file: both objects at TCA and the HBR the file gives (m),
    if any."""

    source: str
    tca_utc: datetime | None
    frame: str
    primary: ConjunctionObject
    secondary: ConjunctionObject
    hbr_m: float | None


@dataclass
class _Field:
    value: str
    unit: str | None
    line: int | None


@dataclass
class _Message:
    """A CDM flattened to keyword fields: the relative part and the two objects."""

    source: str
    relative: dict[str, _Field]
    objects: list[dict[str, _Field]]
    hbr: tuple[float, int | None] | None


def _fail(source: str, message: str, line: int | None = None) -> ConjunctionError:
    return ConjunctionError(Problem(source, message, line=line))


def _hbr_from_comment(text: str, source: str, line: int | None) -> tuple[float, int | None] | None:
    match = _HBR.match(text)
    if match is None:
        return None
    unit = (match.group(2) or "m").strip().lower()
    if unit != "m":
        raise _fail(source, f"HBR comment is in {unit}; expected m", line)
    try:
        hbr = float(match.group(1))
    except ValueError:
        raise _fail(
            source, f"HBR comment value {match.group(1)!r} is not a number of metres", line
        ) from None
    return hbr, line


def _parse_kvn(text: str, source: str) -> _Message:
    relative: dict[str, _Field] = {}
    objects: list[dict[str, _Field]] = []
    current = relative
    hbr: tuple[float, int | None] | None = None
    saw_version = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        if line.upper().startswith("COMMENT"):
            found = _hbr_from_comment(line[7:], source, number)
            if found is not None and hbr is None:
                hbr = found
            continue
        if "=" not in line:
            raise _fail(source, f"expected KEYWORD = value, got {line[:40]!r}", number)
        key, _, rest = line.partition("=")
        key = key.strip().upper()
        if not _KEYWORD.match(key):
            raise _fail(
                source, f"{key[:40]!r} is not a CDM keyword; expected KEYWORD = value", number
            )
        match = _VALUE_UNIT.match(rest.strip())
        value, unit = (match.group(1), match.group(2)) if match else (rest.strip(), None)
        if key == "CCSDS_CDM_VERS":
            saw_version = True
        if key == "OBJECT":
            current = {}
            objects.append(current)
        elif key in current:
            raise _fail(
                source,
                f"{key} given twice (lines {current[key].line} and {number}); expected once",
                number,
            )
        current[key] = _Field(value.strip(), unit.strip() if unit else None, number)
    if not saw_version:
        raise _fail(source, "not a CDM: no CCSDS_CDM_VERS line; expected a CCSDS CDM in KVN")
    return _Message(source, relative, objects, hbr)


def _xml_fields(obj: Any) -> dict[str, _Field]:
    out: dict[str, _Field] = {}
    if obj is None:
        return out
    for name in getattr(obj, "__dataclass_fields__", {}):
        value = getattr(obj, name)
        if value is None or name == "comment":
            continue
        if hasattr(value, "__dataclass_fields__") and not hasattr(value, "value"):
            out.update(_xml_fields(value))
            continue
        raw = getattr(value, "value", value)
        units = getattr(value, "units", None)
        unit = getattr(units, "value", units)
        out[name.upper()] = _Field(str(getattr(raw, "value", raw)), unit, None)
    return out


def _parse_xml(text: str, source: str) -> _Message:
    try:
        from ccsds_ndm.ndm_io import NdmIo

        root = NdmIo().from_string(text)
        rel = root.body.relative_metadata_data
        segments = list(root.body.segment)
    except Exception as exc:  # ccsds-ndm raises a variety of parser errors
        raise _fail(source, f"not a readable CDM XML: {exc}; expected CCSDS CDM 1.0 XML") from None
    relative = _xml_fields(rel)
    objects = []
    hbr: tuple[float, int | None] | None = None
    comments = list(getattr(rel, "comment", []) or [])
    for seg in segments:
        fields = _xml_fields(seg.metadata)
        if "OBJECT_VALUE" in fields:
            fields["OBJECT"] = fields.pop("OBJECT_VALUE")
        comments += list(getattr(seg.metadata, "comment", []) or [])
        data = seg.data
        for part in ("state_vector", "covariance_matrix"):
            fields.update(_xml_fields(getattr(data, part, None)))
        objects.append(fields)
    for comment in comments:
        found = _hbr_from_comment(str(comment), source, None)
        if found is not None:
            hbr = found
            break
    return _Message(source, relative, objects, hbr)


def _number(fields: dict[str, _Field], key: str, source: str, what: str) -> tuple[float, _Field]:
    field = fields.get(key)
    if field is None:
        raise _fail(source, f"{what}: {key} is missing; expected {key} = <number>")
    try:
        value = float(field.value)
    except ValueError:
        raise _fail(
            source, f"{what}: {key} = {field.value!r} is not a number", field.line
        ) from None
    if not math.isfinite(value):
        raise _fail(source, f"{what}: {key} = {field.value} is not a finite number", field.line)
    return value, field


def rtn_axes(r: Vec, v: Vec) -> Vec:
    """The 3x3 matrix whose columns are an object's R, T, N unit vectors in the inertial
    frame of ``r`` and ``v`` (R along r, N along r x v, T = N x R)."""
    rh = r / np.linalg.norm(r)
    nh = np.cross(r, v)
    nh /= np.linalg.norm(nh)
    return np.column_stack([rh, np.cross(nh, rh), nh])


def rtn_to_inertial(cov_rtn: Vec, r: Vec, v: Vec) -> Vec:
    """A 6x6 (or 3x3) RTN covariance rotated to the inertial frame of ``r``, ``v``."""
    m = rtn_axes(r, v)
    n = cov_rtn.shape[0] // 3
    rot = np.kron(np.eye(n), m)
    out: Vec = rot @ cov_rtn @ rot.T
    return out


def _cdm_object(fields: dict[str, _Field], source: str) -> tuple[ConjunctionObject, str]:
    label = fields["OBJECT"].value if "OBJECT" in fields else "object"
    frame_field = fields.get("REF_FRAME")
    if frame_field is None:
        raise _fail(source, f"{label}: REF_FRAME is missing; expected one of {INERTIAL_FRAMES}")
    frame = frame_field.value.upper()
    if frame not in INERTIAL_FRAMES:
        raise _fail(
            source,
            f"{label}: REF_FRAME = {frame} is not supported; expected one of {INERTIAL_FRAMES}",
            frame_field.line,
        )
    cov_frame = fields.get("COV_REF_FRAME")
    if cov_frame is not None and cov_frame.value.upper() not in ("RTN", "RSW", "RIC"):
        raise _fail(
            source,
            f"{label}: COV_REF_FRAME = {cov_frame.value} is not supported; expected RTN",
            cov_frame.line,
        )
    state = []
    for key, unit in zip(STATE_KEYS, STATE_UNITS, strict=True):
        value, field = _number(fields, key, source, label)
        if field.unit is not None and field.unit.lower() != unit:
            raise _fail(source, f"{label}: {key} is in {field.unit}; expected {unit}", field.line)
        state.append(value * 1000.0)
    r, v = np.array(state[:3]), np.array(state[3:])
    if np.linalg.norm(np.cross(r, v)) == 0.0:
        raise _fail(source, f"{label}: position and velocity are parallel; no RTN frame")
    lower = np.zeros((6, 6))
    k = 0
    for i in range(6):
        for j in range(i + 1):
            lower[i, j] = _number(fields, COVARIANCE_KEYS[k], source, f"{label} covariance")[0]
            k += 1
    cov_rtn = lower + np.tril(lower, -1).T
    name = fields["OBJECT_NAME"].value if "OBJECT_NAME" in fields else label
    return ConjunctionObject(name, r, v, rtn_to_inertial(cov_rtn, r, v)), frame


_TCA_FORMATS = ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%jT%H:%M:%S.%f", "%Y-%jT%H:%M:%S")


def parse_time_utc(text: str, source: str, line: int | None = None) -> datetime:
    """A CCSDS time (``YYYY-MM-DDThh:mm:ss[.d]`` or day-of-year ``YYYY-DDDThh:mm:ss[.d]``,
    optional ``Z``) as a timezone-aware UTC datetime."""
    s = text.strip().rstrip("Zz")
    for fmt in _TCA_FORMATS:
        try:
            return datetime.strptime(s, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise _fail(
        source,
        f"time {text!r} is not a CCSDS time; expected e.g. 2023-06-13T00:19:23.766",
        line,
    )


def _conjunction_from_message(msg: _Message) -> Conjunction:
    source = msg.source
    if len(msg.objects) != 2:
        raise _fail(
            source, f"found {len(msg.objects)} OBJECT sections; expected OBJECT1 and OBJECT2"
        )
    tca_field = msg.relative.get("TCA")
    if tca_field is None:
        raise _fail(source, "TCA is missing; expected TCA = <CCSDS time>")
    tca = parse_time_utc(tca_field.value, source, tca_field.line)
    first, frame1 = _cdm_object(msg.objects[0], source)
    second, frame2 = _cdm_object(msg.objects[1], source)
    if frame1 != frame2:
        raise _fail(source, f"objects are in different frames ({frame1}, {frame2}); expected one")
    hbr = None
    if msg.hbr is not None:
        hbr, hbr_line = msg.hbr
        if not (math.isfinite(hbr) and hbr > 0):
            raise _fail(source, f"HBR comment gives {hbr} m; expected a radius > 0 m", hbr_line)
    return Conjunction(source, tca, frame1, first, second, hbr)


def _json_vector(obj: dict[str, Any], key: str, path: str, n: int, source: str) -> Vec:
    value = obj.get(key)
    if value is None:
        raise ConjunctionError(
            Problem(source, f"missing; expected {n} numbers", field=f"{path}.{key}")
        )
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ConjunctionError(Problem(source, "expected numbers", field=f"{path}.{key}")) from None
    if arr.shape != (n,):
        raise ConjunctionError(
            Problem(source, f"expected {n} numbers, got shape {arr.shape}", field=f"{path}.{key}")
        )
    if not np.all(np.isfinite(arr)):
        raise ConjunctionError(Problem(source, "not all finite numbers", field=f"{path}.{key}"))
    return arr


def _json_object(data: dict[str, Any], key: str, source: str) -> ConjunctionObject:
    obj = data.get(key)
    if not isinstance(obj, dict):
        raise ConjunctionError(
            Problem(source, "missing or not an object; expected {position_m, ...}", field=key)
        )
    r = _json_vector(obj, "position_m", key, 3, source)
    v = _json_vector(obj, "velocity_m_s", key, 3, source)
    raw = obj.get("covariance")
    if raw is None:
        raise ConjunctionError(
            Problem(source, "missing; expected a 3x3 or 6x6 matrix", field=f"{key}.covariance")
        )
    try:
        cov = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise ConjunctionError(
            Problem(source, "expected a 3x3 or 6x6 matrix of numbers", field=f"{key}.covariance")
        ) from None
    if cov.shape not in ((3, 3), (6, 6)):
        raise ConjunctionError(
            Problem(
                source,
                f"expected a 3x3 or 6x6 matrix, got shape {cov.shape}",
                field=f"{key}.covariance",
            )
        )
    if not np.all(np.isfinite(cov)):
        raise ConjunctionError(Problem(source, "not all finite numbers", field=f"{key}.covariance"))
    frame = str(obj.get("covariance_frame", "inertial")).upper()
    if frame == "RTN":
        cov = rtn_to_inertial(cov, r, v)
    elif frame != "INERTIAL":
        raise ConjunctionError(
            Problem(
                source, f"{frame!r}; expected 'inertial' or 'RTN'", field=f"{key}.covariance_frame"
            )
        )
    return ConjunctionObject(str(obj.get("name", key)), r, v, cov)


def _parse_json(text: str, source: str) -> Conjunction:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(source, f"not valid JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(data, dict):
        raise _fail(source, "expected a JSON object with primary and secondary")
    frame = str(data.get("frame", "EME2000")).upper()
    if frame not in INERTIAL_FRAMES:
        raise ConjunctionError(
            Problem(
                source,
                f"{frame!r} is not supported; expected one of {INERTIAL_FRAMES}",
                field="frame",
            )
        )
    tca = None
    if data.get("tca_utc") is not None:
        tca = parse_time_utc(str(data["tca_utc"]), source)
    hbr = data.get("hbr_m")
    if hbr is not None:
        if (
            isinstance(hbr, bool)
            or not isinstance(hbr, (int, float))
            or not (math.isfinite(hbr) and hbr > 0)
        ):
            raise ConjunctionError(
                Problem(source, f"{hbr!r}; expected a radius > 0 m", field="hbr_m")
            )
        hbr = float(hbr)
    return Conjunction(
        source,
        tca,
        frame,
        _json_object(data, "primary", source),
        _json_object(data, "secondary", source),
        hbr,
    )


def parse_conjunction(text: str, source: str = "<input>") -> Conjunction:
    """Read one conjunction from the text of a CDM (KVN or XML) or a conjunction JSON.

    Raises :class:`~stationplan.errors.ConjunctionError` naming ``source``, the line
    (KVN, JSON syntax) or field (JSON) and what was expected.
    """
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return _conjunction_from_message(_parse_xml(text, source))
    if head.startswith("{"):
        return _parse_json(text, source)
    if head.upper().startswith(("CCSDS_CDM_VERS", "COMMENT")):
        return _conjunction_from_message(_parse_kvn(text, source))
    raise _fail(
        source,
        "not a conjunction file; expected a CCSDS CDM (KVN or XML) or a conjunction JSON",
        1,
    )


def read_conjunction(path: Path) -> Conjunction:
    """Read one conjunction file (see :func:`parse_conjunction`)."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _fail(source, "no such file") from None
    except IsADirectoryError:
        raise _fail(source, "is a directory; expected a CDM or conjunction JSON file") from None
    except UnicodeDecodeError as exc:
        raise _fail(source, f"not UTF-8 text ({exc.reason}); expected a CDM or JSON") from None
    except OSError as exc:
        raise _fail(source, f"cannot be read: {exc.strerror}") from None
    return parse_conjunction(text, source)


def shift_time(tca: datetime | None, dt_s: float) -> datetime | None:
    """``tca`` moved by ``dt_s`` seconds (None stays None)."""
    return None if tca is None else tca + timedelta(seconds=dt_s)
