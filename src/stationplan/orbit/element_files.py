"""Element-set files: TLE/3LE (alpha-5 catalog numbers) and CCSDS OMM as KVN, XML, JSON or
CSV, read record by record so that every bad record is reported with its file, line and field
(or is fatal with ``strict``) instead of an exception that loses the rest.

The records themselves are parsed by :mod:`stationplan.orbit.elements` (``sgp4`` underneath);
OMM KVN by ``ccsds-ndm``, OMM XML and CSV by ``sgp4.omm``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sgp4 import omm

from stationplan.errors import ElementSetError, Problem
from stationplan.orbit.elements import ElementSet, omm_from_fields, parse_tle, record_problem


@dataclass
class ReadResult:
    """Element sets read from a file, and the records that were skipped (with why)."""

    source: str
    elements: list[ElementSet]
    problems: list[Problem]
    records_seen: int

    @property
    def skipped(self) -> int:
        """Number of bad records skipped."""
        return len(self.problems)


def _tle_records(lines: list[str], source: str) -> Iterator[ElementSet | Problem]:
    i, n = 0, len(lines)
    name: str | None = None
    name_line = 0
    while i < n:
        text = lines[i].rstrip("\r\n ")
        if not text.strip():
            i += 1
            continue
        if text.startswith("1 ") and len(text) > 60:
            nxt = lines[i + 1].rstrip("\r\n ") if i + 1 < n else ""
            if not nxt.startswith("2 "):
                yield record_problem(
                    source,
                    i + 1,
                    f"TLE line 1 is not followed by a line 2 (next line starts {nxt[:2]!r})",
                )
                i += 1
                name = None
                continue
            try:
                yield parse_tle(text, nxt, name, source, i + 1)
            except ElementSetError as exc:
                yield exc.problems[0]
            i += 2
            name = None
            continue
        if text.startswith("2 ") and len(text) > 60:
            nxt = lines[i + 1].rstrip("\r\n ") if i + 1 < n else ""
            if nxt.startswith("1 "):
                yield record_problem(
                    source, i + 1, "TLE lines are swapped: line 2 comes before line 1"
                )
                i += 2
            else:
                yield record_problem(source, i + 1, "TLE line 2 without a line 1 before it")
                i += 1
            name = None
            continue
        if name is not None:
            yield record_problem(source, name_line, f"name line {name!r} is not followed by a TLE")
        name, name_line = text, i + 1
        i += 1
    if name is not None:
        yield record_problem(source, name_line, f"name line {name!r} is not followed by a TLE")


def _omm_records(
    rows: Iterable[tuple[int, dict[str, Any]]], source: str
) -> Iterator[ElementSet | Problem]:
    for line_no, row in rows:
        try:
            yield omm_from_fields(row, source, line_no)
        except ElementSetError as exc:
            yield exc.problems[0]


def _kvn_fields(text: str) -> dict[str, Any]:
    from ccsds_ndm.ndm_io import NdmIo

    root = NdmIo().from_string(text)
    seg = root.body.segment
    meta, data = seg.metadata, seg.data
    me, tp = data.mean_elements, data.tle_parameters

    def val(x: Any) -> Any:
        return getattr(x, "value", x)

    return {
        "OBJECT_NAME": meta.object_name,
        "OBJECT_ID": meta.object_id,
        "EPOCH": str(me.epoch),
        "MEAN_MOTION": val(me.mean_motion),
        "ECCENTRICITY": me.eccentricity,
        "INCLINATION": val(me.inclination),
        "RA_OF_ASC_NODE": val(me.ra_of_asc_node),
        "ARG_OF_PERICENTER": val(me.arg_of_pericenter),
        "MEAN_ANOMALY": val(me.mean_anomaly),
        "EPHEMERIS_TYPE": getattr(tp, "ephemeris_type", 0),
        "CLASSIFICATION_TYPE": getattr(tp, "classification_type", "U"),
        "NORAD_CAT_ID": getattr(tp, "norad_cat_id", None),
        "ELEMENT_SET_NO": getattr(tp, "element_set_no", 999),
        "REV_AT_EPOCH": getattr(tp, "rev_at_epoch", 0),
        "BSTAR": val(getattr(tp, "bstar", 0)),
        "MEAN_MOTION_DOT": val(getattr(tp, "mean_motion_dot", 0)),
        "MEAN_MOTION_DDOT": val(getattr(tp, "mean_motion_ddot", 0)),
    }


def detect_format(text: str) -> Literal["tle", "omm-kvn", "omm-xml", "omm-json", "omm-csv"]:
    """Guess an element file's format from its first non-blank characters."""
    head = text.lstrip("\ufeff \t\r\n")[:200]
    lines = text.lstrip("\ufeff").splitlines()[:3]
    if any(len(ln.rstrip()) == 69 and ln[:2] in ("1 ", "2 ") for ln in lines):
        return "tle"  # a TLE whose first character is damaged is still a TLE
    if head.startswith("<"):
        return "omm-xml"
    if head.startswith("[") or head.startswith("{"):
        return "omm-json"
    if head.startswith("CCSDS_OMM_VERS"):
        return "omm-kvn"
    first = head.splitlines()[0] if head else ""
    if "," in first and "EPOCH" in first.upper():
        return "omm-csv"
    return "tle"


def parse_elements(text: str, source: str = "<input>", strict: bool = False) -> ReadResult:
    """Read every element set in ``text``; bad records are skipped and listed, or with
    ``strict`` the first bad record raises :class:`ElementSetError`."""
    kind = detect_format(text)
    records: Iterable[ElementSet | Problem]
    if kind == "tle":
        records = _tle_records(text.splitlines(), source)
    elif kind == "omm-json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ElementSetError(
                record_problem(source, exc.lineno, f"invalid JSON: {exc.msg}")
            ) from None
        rows = data if isinstance(data, list) else [data]
        if not all(isinstance(r, dict) for r in rows):
            raise ElementSetError(
                record_problem(
                    source,
                    1,
                    "OMM JSON must be an object or a list of objects with CelesTrak GP keywords",
                )
            )
        records = _omm_records(((i + 1, r) for i, r in enumerate(rows)), source)
    elif kind == "omm-csv":
        reader = csv.DictReader(io.StringIO(text))
        records = _omm_records(((reader.line_num, r) for r in reader), source)
    elif kind == "omm-xml":
        try:
            rows_xml = list(omm.parse_xml(io.StringIO(text)))
        except Exception as exc:  # ElementTree raises ParseError and AttributeError
            raise ElementSetError(
                record_problem(source, 1, f"not a CCSDS OMM XML file: {exc}")
            ) from None
        records = _omm_records(((i + 1, r) for i, r in enumerate(rows_xml)), source)
    else:
        try:
            fields = _kvn_fields(text)
        except Exception as exc:  # ccsds-ndm raises several kinds
            raise ElementSetError(
                record_problem(source, 1, f"not a CCSDS OMM KVN file: {exc}")
            ) from None
        records = _omm_records([(1, fields)], source)
    elements: list[ElementSet] = []
    problems: list[Problem] = []
    for rec in records:
        if isinstance(rec, Problem):
            if strict:
                raise ElementSetError(rec)
            problems.append(rec)
        else:
            elements.append(rec)
    if not elements and not problems:
        raise ElementSetError(
            record_problem(
                source,
                1,
                "no element sets found (expected TLE lines or a "
                "CCSDS OMM in KVN, XML, JSON or CSV)",
            )
        )
    return ReadResult(source, elements, problems, len(elements) + len(problems))


def read_elements(path: str | Path, strict: bool = False) -> ReadResult:
    """Read an element-set or catalog file (TLE, 3LE, OMM KVN/XML/JSON/CSV)."""
    p = Path(path)
    name = str(path)
    if not p.is_file():
        raise ElementSetError(
            record_problem(name, 1, "no such file")
            if not p.exists()
            else record_problem(name, 1, "is not a file")
        )
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if strict:
            line = raw[: exc.start].count(b"\n") + 1
            raise ElementSetError(
                record_problem(name, line, f"byte 0x{raw[exc.start]:02x} is not UTF-8/ASCII")
            ) from None
        text = raw.decode("utf-8", errors="replace")
    return parse_elements(text, name, strict=strict)


def find_object(
    result: ReadResult, object_id: str | None, at_utc: datetime | None = None
) -> ElementSet:
    """The element set for ``object_id`` (catalog number or name), or the only/first object's.

    A file may hold a history of the object (many sets of one catalog number). Without
    ``at_utc`` the first set found is taken; with it, the latest set of that object whose epoch
    is at or before ``at_utc`` (the one an analyst would use: SGP4's error grows with the time
    from epoch), else the earliest after it.
    """
    if not result.elements:
        raise ElementSetError(
            record_problem(result.source, 1, "the file holds no valid element set")
        )
    found = _first_match(result, object_id)
    if at_utc is None:
        return found
    history = [e for e in result.elements if e.catalog_number == found.catalog_number]
    before = [e for e in history if e.epoch_utc <= at_utc]
    if before:
        return max(before, key=lambda e: e.epoch_jd_utc)
    return min(history, key=lambda e: e.epoch_jd_utc)


def _first_match(result: ReadResult, object_id: str | None) -> ElementSet:
    if object_id is None:
        return result.elements[0]
    wanted = object_id.strip()
    for el in result.elements:
        if str(el.catalog_number) == wanted or el.name.upper() == wanted.upper():
            return el
    names = ", ".join(f"{e.catalog_number} ({e.name})" for e in result.elements[:5])
    raise ElementSetError(
        record_problem(
            result.source,
            1,
            f"no object '{object_id}' in the file; it "
            f"holds {len(result.elements)} object(s), e.g. {names}",
        )
    )
