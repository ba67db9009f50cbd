"""Space-weather files: CelesTrak ``SW-All.csv`` and the CSSI fixed-width
``SpaceWeather-All-v1.2`` format, read into :class:`~stationplan.orbit.spaceweather.SpaceWeather`
(the conventions of both formats and of the series are described in
:mod:`stationplan.orbit.spaceweather`). Every bad row is reported with its file and line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from stationplan.errors import Problem, StationplanInputError
from stationplan.orbit.spaceweather import (
    DEFAULT_PREDICTED_AP,
    F107_BURST_LIMIT_SFU,
    SLOTS_PER_DAY,
    SpaceWeather,
    jd_utc_of_date,
)


@dataclass
class _Row:
    """One parsed file row before it is spread over the daily grid."""

    day: date
    kind: str
    f107_sfu: float
    f107_81day_sfu: float
    ap_daily: float
    ap_3h: tuple[float, ...]
    monthly: bool
    line: int


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _spread_daily(rows: Sequence[_Row], source: str, notes: list[str]) -> SpaceWeather:
    """Put rows on an unbroken daily grid: each row holds until the next one starts."""
    if not rows:
        raise StationplanInputError(Problem(source, "the file has no data rows"))
    days: list[date] = []
    picked: list[int] = []
    kinds: list[str] = []
    gaps: list[str] = []
    for i, row in enumerate(rows):
        start = row.day
        if days and start <= days[-1]:
            if not row.monthly:
                raise StationplanInputError(
                    Problem(
                        source,
                        f"date {row.day} does not follow {days[-1]}: daily rows must be in "
                        "increasing date order",
                        line=row.line,
                    )
                )
            start = days[-1] + timedelta(days=1)
        if days and start > days[-1] + timedelta(days=1):
            gap_from = days[-1] + timedelta(days=1)
            gaps.append(f"{gap_from}..{start - timedelta(days=1)}")
            while days[-1] + timedelta(days=1) < start:
                days.append(days[-1] + timedelta(days=1))
                picked.append(i - 1)
                kinds.append("FILL")
        end = _next_month(row.day) if row.monthly else row.day + timedelta(days=1)
        if i + 1 < len(rows) and row.monthly:
            end = min(end, max(rows[i + 1].day, start + timedelta(days=1)))
        day = start
        while day < end:
            days.append(day)
            picked.append(i)
            kinds.append(row.kind)
            day += timedelta(days=1)
    if gaps:
        notes.append(
            f"{len(gaps)} gap(s) between rows filled with the previous row's values: "
            + ", ".join(gaps[:5])
            + (" ..." if len(gaps) > 5 else "")
        )
    index = np.array(picked)
    f107 = np.array([r.f107_sfu for r in rows])[index]
    f107a = np.array([r.f107_81day_sfu for r in rows])[index]
    burst = (f107 <= 0.0) | (f107 > F107_BURST_LIMIT_SFU)
    if np.any(burst):
        bad_days = [str(days[k]) for k in np.flatnonzero(burst)]
        notes.append(
            f"{len(bad_days)} day(s) with observed F10.7 <= 0 or > "
            f"{F107_BURST_LIMIT_SFU:g} sfu (radio bursts) use the 81-day mean instead: "
            + ", ".join(bad_days[:8])
            + (" ..." if len(bad_days) > 8 else "")
        )
        f107 = np.where(burst, f107a, f107)
    return SpaceWeather(
        day_jd_utc=np.array([jd_utc_of_date(d) for d in days]),
        f107_sfu=f107,
        f107_81day_sfu=f107a,
        ap_daily=np.array([r.ap_daily for r in rows])[index],
        ap_3h=np.array([r.ap_3h for r in rows])[index],
        kind=np.array(kinds),
        source=source,
        notes=tuple(notes),
    )


def _read_text(path: str | Path) -> tuple[str, str]:
    source = str(path)
    try:
        return Path(path).read_text(encoding="utf-8"), source
    except (OSError, UnicodeDecodeError) as exc:
        raise StationplanInputError(Problem(source, f"cannot read the file: {exc}")) from exc


_CSV_DAILY_KINDS = ("OBS", "INT", "PRD")
_CSV_REQUIRED = (
    "DATE",
    *(f"AP{k}" for k in range(1, 9)),
    "AP_AVG",
    "F10.7_OBS",
    "F10.7_DATA_TYPE",
    "F10.7_OBS_CENTER81",
)


def read_celestrak_csv(
    path: str | Path, *, predicted_ap: float = DEFAULT_PREDICTED_AP
) -> SpaceWeather:
    """Read CelesTrak's ``SW-All.csv`` (or a subset of it with the same header).

    Uses DATE, AP1..AP8 (3-hour ap), AP_AVG (daily Ap), F10.7_OBS, F10.7_OBS_CENTER81 and
    F10.7_DATA_TYPE (OBS, INT, PRD daily; PRM monthly). PRM rows hold for their whole month;
    they have no Ap in the file, so daily and 3-hour ap are set to ``predicted_ap``
    (default :data:`DEFAULT_PREDICTED_AP` = 15) and a note records it.

    Raises StationplanInputError naming the file, the line and what was expected.
    """
    text, source = _read_text(path)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise StationplanInputError(
            Problem(
                source,
                "empty file: expected a CelesTrak SW-All.csv header starting 'DATE,'",
                line=1,
            )
        ) from None
    header = [h.strip() for h in header]
    missing = [name for name in _CSV_REQUIRED if name not in header]
    if missing:
        raise StationplanInputError(
            Problem(
                source,
                f"header lacks column(s) {', '.join(missing)}: expected a CelesTrak "
                "SW-All.csv header (DATE, ..., AP1..AP8, AP_AVG, ..., F10.7_OBS, F10.7_DATA_TYPE, "
                "F10.7_OBS_CENTER81, ...)",
                line=1,
            )
        )
    col = {name: header.index(name) for name in _CSV_REQUIRED}
    rows: list[_Row] = []
    n_default_ap = 0
    for record in reader:
        line = reader.line_num
        if not record or all(not f.strip() for f in record):
            continue
        if len(record) != len(header):
            raise StationplanInputError(
                Problem(
                    source,
                    f"{len(record)} fields, expected {len(header)} as in the header",
                    line=line,
                )
            )

        def number(name: str, record: list[str] = record, line: int = line) -> float:
            text = record[col[name]].strip()
            try:
                return float(text)
            except ValueError:
                raise StationplanInputError(
                    Problem(source, f"expected a number, got {text!r}", line=line, field=name)
                ) from None

        try:
            day = date.fromisoformat(record[col["DATE"]].strip())
        except ValueError:
            raise StationplanInputError(
                Problem(
                    source,
                    f"expected a date YYYY-MM-DD, got {record[col['DATE']]!r}",
                    line=line,
                    field="DATE",
                )
            ) from None
        kind = record[col["F10.7_DATA_TYPE"]].strip()
        if kind not in (*_CSV_DAILY_KINDS, "PRM"):
            raise StationplanInputError(
                Problem(
                    source,
                    f"expected OBS, INT, PRD or PRM, got {kind!r}",
                    line=line,
                    field="F10.7_DATA_TYPE",
                )
            )
        ap_fields = [f"AP{k}" for k in range(1, 9)] + ["AP_AVG"]
        if kind == "PRM" and all(not record[col[a]].strip() for a in ap_fields):
            ap3: tuple[float, ...] = (float(predicted_ap),) * SLOTS_PER_DAY
            ap_daily = float(predicted_ap)
            n_default_ap += 1
        else:
            ap3 = tuple(number(a) for a in ap_fields[:8])
            ap_daily = number("AP_AVG")
        rows.append(
            _Row(
                day,
                kind,
                number("F10.7_OBS"),
                number("F10.7_OBS_CENTER81"),
                ap_daily,
                ap3,
                kind == "PRM",
                line,
            )
        )
    notes: list[str] = []
    if n_default_ap:
        notes.append(
            f"{n_default_ap} monthly predicted (PRM) row(s) have no Ap in the file: "
            f"ap = {predicted_ap:g} used for them"
        )
    return _spread_daily(rows, source, notes)


# CSSI fixed-width fields (0-based slices) from FORMAT(I4,I3,I3,I5,I3,8I3,I4,8I4,I4,F4.1,I2,I4,
# F6.1,I2,5F6.1): year, month, day, 3-hour ap x8, daily Ap, observed F10.7, its 81-day mean.
_CSSI_FIELDS: tuple[tuple[str, int, int], ...] = (
    ("year", 0, 4),
    ("month", 4, 7),
    ("day", 7, 10),
    *((f"ap{k + 1}", 46 + 4 * k, 50 + 4 * k) for k in range(8)),
    ("ap_avg", 78, 82),
    ("f107_obs", 112, 118),
    ("f107_obs_ctr81", 118, 124),
)
_CSSI_MIN_WIDTH = 124
_CSSI_BLOCKS = {
    "OBSERVED": ("OBS", False),
    "DAILY_PREDICTED": ("PRD", False),
    "MONTHLY_PREDICTED": ("PRM", True),
}


def _cssi_row(text: str, line: int, source: str, kind: str, monthly: bool) -> _Row:
    width = len(text.rstrip("\r\n"))
    if width < _CSSI_MIN_WIDTH:
        raise StationplanInputError(
            Problem(
                source,
                f"{width} characters, expected at least {_CSSI_MIN_WIDTH} "
                "(CSSI FORMAT(I4,I3,I3,I5,I3,8I3,I4,8I4,I4,F4.1,I2,I4,F6.1,I2,5F6.1))",
                line=line,
            )
        )
    values: dict[str, float] = {}
    for name, start, stop in _CSSI_FIELDS:
        field_text = text[start:stop]
        try:
            values[name] = float(field_text)
        except ValueError:
            raise StationplanInputError(
                Problem(
                    source,
                    f"{name} (columns {start + 1}-{stop}): expected a number, got {field_text!r}",
                    line=line,
                    column=start + 1,
                )
            ) from None
    try:
        day = date(int(values["year"]), int(values["month"]), int(values["day"]))
    except ValueError:
        raise StationplanInputError(
            Problem(
                source,
                f"expected a date 'yyyy mm dd' in columns 1-10, got {text[:10]!r}",
                line=line,
                column=1,
            )
        ) from None
    return _Row(
        day,
        kind,
        values["f107_obs"],
        values["f107_obs_ctr81"],
        values["ap_avg"],
        tuple(values[f"ap{k + 1}"] for k in range(8)),
        monthly,
        line,
    )


def read_cssi_txt(path: str | Path) -> SpaceWeather:
    """Read a CSSI ``SpaceWeather-All-v1.2.txt`` / ``sw19571001.txt`` fixed-width file.

    Takes the OBSERVED, DAILY_PREDICTED and MONTHLY_PREDICTED blocks (each monthly row holds
    for its month), checks each block's row count against its ``NUM_..._POINTS`` line when
    present, and uses the observed (not adjusted) F10.7 and its 81-day centred mean.

    Raises StationplanInputError naming the file, the line and what was expected.
    """
    text, source = _read_text(path)
    rows: list[_Row] = []
    block: str | None = None
    block_line = 0
    counts: dict[str, tuple[int, int]] = {}
    seen: dict[str, int] = {}
    for number, line_text in enumerate(text.splitlines(), start=1):
        stripped = line_text.strip()
        if stripped.startswith("BEGIN "):
            if block is not None:
                raise StationplanInputError(
                    Problem(
                        source,
                        f"'{stripped}' inside block {block} opened at line {block_line}: "
                        f"expected 'END {block}' first",
                        line=number,
                    )
                )
            block, block_line = stripped[6:].strip(), number
            seen[block] = 0
            continue
        if stripped.startswith("END "):
            if block is None or stripped[4:].strip() != block:
                raise StationplanInputError(
                    Problem(
                        source,
                        f"'{stripped}' does not close an open block (open: {block or 'none'})",
                        line=number,
                    )
                )
            block = None
            continue
        if stripped.startswith("NUM_") and "_POINTS" in stripped:
            key, _, value = stripped.partition(" ")
            try:
                counts[key[4:].removesuffix("_POINTS")] = (int(value), number)
            except ValueError:
                raise StationplanInputError(
                    Problem(source, f"expected '{key} <integer>', got {stripped!r}", line=number)
                ) from None
            continue
        if block is None or not stripped or stripped.startswith("#"):
            continue
        seen[block] += 1
        if block in _CSSI_BLOCKS:
            kind, monthly = _CSSI_BLOCKS[block]
            rows.append(_cssi_row(line_text, number, source, kind, monthly))
    if block is not None:
        raise StationplanInputError(
            Problem(
                source,
                f"block {block} opened here is never closed: expected 'END {block}'",
                line=block_line,
            )
        )
    if "OBSERVED" not in seen:
        raise StationplanInputError(
            Problem(
                source,
                "no 'BEGIN OBSERVED' block: expected a CSSI space-weather file "
                "(SpaceWeather-All-v1.2.txt / sw19571001.txt)",
                line=1,
            )
        )
    for name, (expected, line) in counts.items():
        if name in seen and seen[name] != expected:
            raise StationplanInputError(
                Problem(
                    source,
                    f"NUM_{name}_POINTS says {expected} rows but block {name} has "
                    f"{seen[name]}: the file looks truncated or edited",
                    line=line,
                )
            )
    return _spread_daily(rows, source, [])


def read_space_weather(path: str | Path) -> SpaceWeather:
    """Read a CelesTrak ``SW-All.csv`` or a CSSI fixed-width file, whichever ``path`` holds.

    A first non-blank line starting with ``DATE,`` means CSV; a ``BEGIN OBSERVED`` line or a
    ``DATATYPE CssiSpaceWeather`` header means CSSI.
    """
    text, source = _read_text(path)
    lines = text.splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith("DATE,"):
        return read_celestrak_csv(path)
    if first.startswith("DATATYPE CssiSpaceWeather") or any(
        line.strip() == "BEGIN OBSERVED" for line in lines
    ):
        return read_cssi_txt(path)
    raise StationplanInputError(
        Problem(
            source,
            "neither a CelesTrak SW-All.csv (first line 'DATE,...') nor a CSSI "
            "space-weather file ('BEGIN OBSERVED' block)",
            line=1,
        )
    )
