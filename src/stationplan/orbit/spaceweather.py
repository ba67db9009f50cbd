"""Space weather for drag: daily F10.7 and Ap, and the inputs NRLMSIS 2.x takes from them.

Units: F10.7 in solar flux units (sfu, 1e-22 W m^-2 Hz^-1), observed at the Earth's distance
(not adjusted to 1 AU: NRLMSIS wants the observed flux); Ap and ap dimensionless (2 nT units).
Times are UTC Julian dates; a "day" starts at 00:00 UTC.

:class:`SpaceWeather` holds one row per day on an unbroken daily grid. Build it with
:meth:`SpaceWeather.constant`, :meth:`SpaceWeather.from_table` or a reader:

* :func:`read_celestrak_csv` -- CelesTrak ``SW-All.csv`` (columns DATE, AP1..AP8, AP_AVG,
  F10.7_OBS, F10.7_DATA_TYPE, F10.7_OBS_CENTER81, ...). Its monthly-predicted rows (``PRM``)
  carry no Ap at all: they get :data:`DEFAULT_PREDICTED_AP` (ap 15, i.e. Kp 3, the default
  constant magnetic index of GMAT's drag models) unless the caller gives another value, and
  :attr:`SpaceWeather.notes` says so.
* :func:`read_cssi_txt` -- the CSSI fixed-width ``SpaceWeather-All-v1.2`` / ``sw19571001.txt``
  (blocks BEGIN/END OBSERVED, DAILY_PREDICTED, MONTHLY_PREDICTED; MONTHLY_FIT is ignored).
  Format: FORMAT(I4,I3,I3,I5,I3,8I3,I4,8I4,I4,F4.1,I2,I4,F6.1,I2,5F6.1), see
  celestrak.org/SpaceData/SpaceWx-format.php.
* :func:`read_space_weather` -- either, chosen by content.

Rows of a file are step-wise constant: a row holds from its date until the next row's date, so
a monthly prediction fills its whole month and a gap in the file carries the previous row
forward (a note records every such gap). Observed F10.7 values <= 0 or > 400 sfu (solar radio
bursts during the noon measurement) are replaced by the 81-day centred mean, as pymsis does
with the same files; a note lists them.

:meth:`SpaceWeather.msis_inputs` turns UTC Julian dates into exactly the triple that
``pymsis.calculate`` takes (Emmert et al. 2021, NRLMSIS 2.0, Earth and Space Science 8,
e2020EA001321; the same convention as ``pymsis.utils.get_f107_ap``): F10.7 of the previous
day, the 81-day centred mean F10.7 of the day, and the 7-element Ap array. Times outside the
data are clamped to the nearest day and flagged in the result (``clamped``); nothing is
extrapolated without that flag. We never let pymsis read or download its own file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stationplan.errors import ArgumentError, Problem, StationplanInputError

DEFAULT_PREDICTED_AP = 15.0
"""ap used for days whose row has no Ap (CelesTrak CSV monthly predictions): Kp 3o = ap 15."""

F107_BURST_LIMIT_SFU = 400.0
"""Observed F10.7 above this (or <= 0) is taken as a radio-burst artefact (pymsis does too)."""

_JD_OF_ORDINAL_0 = 1721424.5  # JD of 00:00 UTC on date.fromordinal(1) minus one day
_SLOTS_PER_DAY = 8
_SLOT_EPS = 1e-7  # of a 3-hour slot (1 ms): JDs a hair below a boundary count as on it
_LOOKBACK_SLOTS = 19  # the oldest 3-hour ap NRLMSIS uses starts 57 h (19 slots) back


class MsisInputs(NamedTuple):
    """The solar and geomagnetic inputs of ``pymsis.calculate`` for N epochs.

    ``f107_prev_day_sfu`` (N,), ``f107_81day_sfu`` (N,), ``ap`` (N, 7) are what pymsis calls
    ``f107s``, ``f107as``, ``aps``. ``clamped`` (N,) is True where some input came from a day
    outside the data (the nearest day's values were used instead).
    """

    f107_prev_day_sfu: NDArray[np.float64]
    f107_81day_sfu: NDArray[np.float64]
    ap: NDArray[np.float64]
    clamped: NDArray[np.bool_]


def jd_utc_of_date(day: date) -> float:
    """UTC Julian date of 00:00 UTC on ``day``.

    >>> jd_utc_of_date(date(2000, 1, 1))
    2451544.5
    """
    return float(day.toordinal()) + _JD_OF_ORDINAL_0


def date_of_jd_utc(jd_utc: float) -> date:
    """The UTC calendar date containing UTC Julian date ``jd_utc``.

    >>> date_of_jd_utc(2457108.6)
    datetime.date(2015, 3, 27)
    """
    return date.fromordinal(int(np.floor(jd_utc - _JD_OF_ORDINAL_0 + 1e-9)))


@dataclass(frozen=True, eq=False)
class SpaceWeather:
    """Daily solar and geomagnetic activity on an unbroken daily UTC grid.

    Arrays (D days): ``day_jd_utc`` (D,) JD of 00:00 UTC, increasing by exactly 1;
    ``f107_sfu`` (D,) observed daily F10.7; ``f107_81day_sfu`` (D,) 81-day centred mean of the
    observed F10.7; ``ap_daily`` (D,) daily Ap; ``ap_3h`` (D, 8) the eight 3-hourly ap of the
    day (00-03 UTC first). ``kind`` (D,) says where each day came from: ``OBS`` observed,
    ``INT`` interpolated, ``PRD`` daily prediction, ``PRM`` monthly prediction, ``FILL`` a gap
    carried forward, ``TABLE``/``CONST`` given by the caller. ``holds_before_start`` /
    ``holds_after_end`` mean the first / last day's values are meant to hold for all earlier /
    later times, so using them there is not reported as clamping.
    """

    day_jd_utc: NDArray[np.float64]
    f107_sfu: NDArray[np.float64]
    f107_81day_sfu: NDArray[np.float64]
    ap_daily: NDArray[np.float64]
    ap_3h: NDArray[np.float64]
    kind: NDArray[np.str_]
    source: str = "<space weather>"
    holds_before_start: bool = False
    holds_after_end: bool = False
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        days = np.array(self.day_jd_utc, dtype=float, ndmin=1)
        n = days.shape[0]
        problems: list[Problem] = []

        def column(name: str, value: ArrayLike, shape: tuple[int, ...]) -> NDArray[np.float64]:
            arr = np.array(value, dtype=float)
            if arr.shape != shape:
                problems.append(
                    Problem(self.source, f"shape {arr.shape}, expected {shape}", field=name)
                )
                return np.zeros(shape)
            if not np.all(np.isfinite(arr)):
                problems.append(Problem(self.source, "contains NaN or infinity", field=name))
            arr.setflags(write=False)
            return arr

        if days.ndim != 1 or n == 0:
            raise ArgumentError(Problem(self.source, "needs at least one day", field="day_jd_utc"))
        if n > 1 and not np.allclose(np.diff(days), 1.0, rtol=0.0, atol=1e-9):
            problems.append(
                Problem(self.source, "days must follow each other by 1 day", field="day_jd_utc")
            )
        if not np.allclose(days % 1.0, 0.5, rtol=0.0, atol=1e-9):
            problems.append(
                Problem(
                    self.source, "each day must start at 00:00 UTC (JD x.5)", field="day_jd_utc"
                )
            )
        days.setflags(write=False)
        object.__setattr__(self, "day_jd_utc", days)
        for name in ("f107_sfu", "f107_81day_sfu", "ap_daily"):
            object.__setattr__(self, name, column(name, getattr(self, name), (n,)))
        object.__setattr__(self, "ap_3h", column("ap_3h", self.ap_3h, (n, _SLOTS_PER_DAY)))
        kind = np.array(self.kind, dtype=str)
        if kind.shape != (n,):
            problems.append(
                Problem(self.source, f"shape {kind.shape}, expected ({n},)", field="kind")
            )
        kind.setflags(write=False)
        object.__setattr__(self, "kind", kind)
        if not problems and np.any(self.f107_sfu <= 0.0):
            problems.append(Problem(self.source, "F10.7 must be positive", field="f107_sfu"))
        if not problems and (np.any(self.ap_daily < 0.0) or np.any(self.ap_3h < 0.0)):
            problems.append(Problem(self.source, "Ap must not be negative", field="ap"))
        if problems:
            raise ArgumentError(problems)

    # ----------------------------------------------------------------- constructors

    @classmethod
    def constant(cls, f107_sfu: float, f107_81day_sfu: float, ap: float) -> SpaceWeather:
        """The same F10.7, 81-day mean F10.7 and Ap (all eight 3-hourly ap too) at all times.

        >>> sw = SpaceWeather.constant(137.8, 125.2, 8.0)
        >>> inputs = sw.msis_inputs(2457108.7)
        >>> float(inputs.f107_prev_day_sfu[0]), inputs.ap[0].tolist(), bool(inputs.clamped[0])
        (137.8, [8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0], False)
        """
        return cls(
            day_jd_utc=np.array([jd_utc_of_date(date(2000, 1, 1))]),
            f107_sfu=np.array([f107_sfu]),
            f107_81day_sfu=np.array([f107_81day_sfu]),
            ap_daily=np.array([ap]),
            ap_3h=np.full((1, _SLOTS_PER_DAY), float(ap)),
            kind=np.array(["CONST"]),
            source="<constant space weather>",
            holds_before_start=True,
            holds_after_end=True,
        )

    @classmethod
    def from_table(
        cls, rows: Iterable[tuple[datetime, float, float, float]], source: str = "<table>"
    ) -> SpaceWeather:
        """A step-wise constant table: each row ``(from_datetime_utc, f107_sfu,
        f107_81day_sfu, ap)`` holds from its time (00:00 UTC of a day, timezone-aware) until
        the next row; the last row holds for ever after. Times before the first row are
        clamped to it and flagged by :meth:`msis_inputs`.
        """
        problems: list[Problem] = []
        parsed: list[tuple[date, float, float, float]] = []
        for i, row in enumerate(rows):
            where = f"rows[{i}]"
            if len(row) != 4:
                problems.append(
                    Problem(source, "expected (datetime, f107, f107_81day, ap)", field=where)
                )
                continue
            when, f107, f107a, ap = row
            if not isinstance(when, datetime) or when.tzinfo is None:
                problems.append(
                    Problem(source, f"{when!r} is not a timezone-aware datetime", field=where)
                )
                continue
            utc = when.astimezone(UTC)
            if utc.time() != datetime.min.time():
                problems.append(
                    Problem(
                        source,
                        f"{utc.isoformat()} is not 00:00 UTC; space "
                        "weather changes only at the start of a UTC day",
                        field=where,
                    )
                )
                continue
            if parsed and utc.date() <= parsed[-1][0]:
                problems.append(
                    Problem(
                        source,
                        f"{utc.date()} does not follow "
                        f"{parsed[-1][0]}: rows must be in increasing time",
                        field=where,
                    )
                )
                continue
            parsed.append((utc.date(), float(f107), float(f107a), float(ap)))
        if not parsed and not problems:
            problems.append(Problem(source, "the table has no rows"))
        if problems:
            raise ArgumentError(problems)
        first, last = parsed[0][0], parsed[-1][0]
        n = (last - first).days + 1
        days = np.array([jd_utc_of_date(first) + k for k in range(n)])
        starts = np.array([(d - first).days for d, *_ in parsed])
        row_of_day = np.searchsorted(starts, np.arange(n), side="right") - 1
        values = np.array([p[1:] for p in parsed])[row_of_day]
        return cls(
            day_jd_utc=days,
            f107_sfu=values[:, 0],
            f107_81day_sfu=values[:, 1],
            ap_daily=values[:, 2],
            ap_3h=np.repeat(values[:, 2:3], _SLOTS_PER_DAY, axis=1),
            kind=np.full(n, "TABLE"),
            source=source,
            holds_after_end=True,
        )

    # ----------------------------------------------------------------- queries

    @property
    def first_day(self) -> date:
        """The first UTC day of the data."""
        return date_of_jd_utc(float(self.day_jd_utc[0]))

    @property
    def last_day(self) -> date:
        """The last UTC day of the data."""
        return date_of_jd_utc(float(self.day_jd_utc[-1]))

    def day_index(self, day: date) -> int:
        """Index of UTC day ``day`` in the arrays (ArgumentError when outside the data)."""
        i = round(jd_utc_of_date(day) - float(self.day_jd_utc[0]))
        if not 0 <= i < self.day_jd_utc.shape[0]:
            raise ArgumentError(
                Problem(
                    self.source,
                    f"{day} is outside the data {self.first_day} .. {self.last_day}",
                    field="day",
                )
            )
        return i

    def msis_inputs(self, jd_utc: ArrayLike) -> MsisInputs:
        """F10.7 of the previous day, 81-day mean F10.7 and the 7 Ap values NRLMSIS 2.x takes.

        ``jd_utc``: UTC Julian date(s), scalar or (N,); results are (N,) and (N, 7), N >= 1.
        The Ap array (Emmert et al. 2021; ``pymsis.calculate``'s ``aps``): [0] daily Ap;
        [1] 3-hour ap of the current 3-hour interval; [2], [3], [4] the ap 3, 6 and 9 h
        before; [5] mean of the eight 3-hour ap from 12 to 33 h before; [6] mean of the eight
        from 36 to 57 h before. Values are step functions: daily at 00:00 UTC, 3-hourly at
        00, 03, ..., 21 UTC (no interpolation), as ``pymsis.utils.get_f107_ap`` does.

        Outside the data every index is clamped to the first or last day and ``clamped`` is
        True for that epoch -- unless the object says its first/last values hold there
        (:meth:`constant`, and after the last row of :meth:`from_table`). The 57 h of history
        needed at the first days of a file count as outside.
        """
        jd = np.atleast_1d(np.asarray(jd_utc, dtype=float))
        if jd.ndim != 1:
            raise ArgumentError(
                Problem(
                    self.source,
                    f"jd_utc has shape {jd.shape}, expected a scalar or (N,)",
                    field="jd_utc",
                )
            )
        if not np.all(np.isfinite(jd)):
            raise ArgumentError(
                Problem(self.source, "jd_utc contains NaN or infinity", field="jd_utc")
            )
        n_days = self.day_jd_utc.shape[0]
        n_slots = n_days * _SLOTS_PER_DAY
        slot = np.floor((jd - self.day_jd_utc[0]) * _SLOTS_PER_DAY + _SLOT_EPS).astype(np.int64)
        clamped = np.zeros(jd.shape, dtype=bool)
        if not self.holds_before_start:
            clamped |= slot < _LOOKBACK_SLOTS
        if not self.holds_after_end:
            clamped |= slot >= n_slots

        day = np.clip(slot // _SLOTS_PER_DAY, 0, n_days - 1)
        prev_day = np.clip(slot // _SLOTS_PER_DAY - 1, 0, n_days - 1)
        ap_flat = self.ap_3h.reshape(-1)

        def ap_back(offsets: NDArray[np.int64]) -> NDArray[np.float64]:
            index = np.clip(slot[:, None] - offsets[None, :], 0, n_slots - 1)
            return np.asarray(ap_flat[index], dtype=float)

        ap = np.empty((jd.shape[0], 7))
        ap[:, 0] = self.ap_daily[day]
        ap[:, 1:5] = ap_back(np.arange(0, 4))
        ap[:, 5] = ap_back(np.arange(4, 12)).mean(axis=1)
        ap[:, 6] = ap_back(np.arange(12, 20)).mean(axis=1)
        return MsisInputs(
            f107_prev_day_sfu=np.asarray(self.f107_sfu[prev_day], dtype=float),
            f107_81day_sfu=np.asarray(self.f107_81day_sfu[day], dtype=float),
            ap=ap,
            clamped=clamped,
        )


# --------------------------------------------------------------------- file readers


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
            ap3: tuple[float, ...] = (float(predicted_ap),) * _SLOTS_PER_DAY
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
