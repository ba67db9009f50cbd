"""Space weather for drag: daily F10.7 and Ap, and the inputs NRLMSIS 2.x takes from them.

Units: F10.7 in solar flux units (sfu, 1e-22 W m^-2 Hz^-1), observed at the Earth's distance
(not adjusted to 1 AU: NRLMSIS wants the observed flux); Ap and ap dimensionless (2 nT units).
Times are UTC Julian dates; a "day" starts at 00:00 UTC.

:class:`SpaceWeather` holds one row per day on an unbroken daily grid. Build it with
:meth:`SpaceWeather.constant`, :meth:`SpaceWeather.from_table` or a reader of
:mod:`stationplan.orbit.spaceweather_files`:

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

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stationplan.errors import ArgumentError, Problem

DEFAULT_PREDICTED_AP = 15.0
"""ap used for days whose row has no Ap (CelesTrak CSV monthly predictions): Kp 3o = ap 15."""

F107_BURST_LIMIT_SFU = 400.0
"""Observed F10.7 above this (or <= 0) is taken as a radio-burst artefact (pymsis does too)."""

_JD_OF_ORDINAL_0 = 1721424.5  # JD of 00:00 UTC on date.fromordinal(1) minus one day
SLOTS_PER_DAY = 8
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
        object.__setattr__(self, "ap_3h", column("ap_3h", self.ap_3h, (n, SLOTS_PER_DAY)))
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
            ap_3h=np.full((1, SLOTS_PER_DAY), float(ap)),
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
            ap_3h=np.repeat(values[:, 2:3], SLOTS_PER_DAY, axis=1),
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
        n_slots = n_days * SLOTS_PER_DAY
        slot = np.floor((jd - self.day_jd_utc[0]) * SLOTS_PER_DAY + _SLOT_EPS).astype(np.int64)
        clamped = np.zeros(jd.shape, dtype=bool)
        if not self.holds_before_start:
            clamped |= slot < _LOOKBACK_SLOTS
        if not self.holds_after_end:
            clamped |= slot >= n_slots

        day = np.clip(slot // SLOTS_PER_DAY, 0, n_days - 1)
        prev_day = np.clip(slot // SLOTS_PER_DAY - 1, 0, n_days - 1)
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
