"""Time: the one time convention of stationplan, and the offline Skyfield timescale.

Convention (whole package):

* At the edges (files, CLI, JSON, scenario) a time is a timezone-aware UTC ``datetime``.
* Inside ``orbit/`` a time is a Skyfield :class:`~skyfield.timelib.Time` (scalar or array),
  built only through :func:`timescale`; arrays of N epochs give ``(N, 3)`` position arrays.
* Element-set epochs and SGP4 follow AIAA 2006-6753 (Vallado et al.): the epoch is UTC and
  SGP4 is driven with a UTC Julian date split into whole and fraction.

The timescale uses Skyfield's built-in leap-second and Delta T tables (``builtin=True``) and
the planetary ephemeris comes from the ``skyfield-data`` package: nothing is downloaded.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from skyfield.api import Loader
from skyfield.jpllib import SpiceKernel
from skyfield.timelib import Time, Timescale

DAY_S = 86400.0
EPHEMERIS_FILE = "de421.bsp"


@lru_cache(maxsize=1)
def _loader() -> Loader:
    with warnings.catch_warnings():
        # skyfield-data warns that its finals2000A.all is old; we never use that file
        # (the timescale is built in), so the warning says nothing about our results.
        warnings.simplefilter("ignore", RuntimeWarning)
        from skyfield_data import get_skyfield_data_path

        path = get_skyfield_data_path()
    return Loader(path, verbose=False, expire=False)


@lru_cache(maxsize=1)
def timescale() -> Timescale:
    """The process-wide Skyfield timescale (built-in UT1 and leap-second tables, no download)."""
    return _loader().timescale(builtin=True)


@lru_cache(maxsize=1)
def ephemeris() -> SpiceKernel:
    """JPL DE421 from ``skyfield-data`` (covers 1900-2050), loaded from disk only."""
    return _loader()(EPHEMERIS_FILE)


def as_time(value: Time | datetime | Sequence[datetime] | NDArray[Any]) -> Time:
    """A Skyfield ``Time`` from a ``Time``, an aware ``datetime`` or a sequence of them.

    Naive datetimes are refused: a time without a zone is a bug waiting to happen.
    """
    if isinstance(value, Time):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()}: give a timezone-aware UTC time")
        return timescale().from_datetime(value.astimezone(UTC))
    items = list(value)
    for item in items:
        if not isinstance(item, datetime) or item.tzinfo is None:
            raise ValueError(f"expected timezone-aware datetimes, got {item!r}")
    return timescale().from_datetimes([d.astimezone(UTC) for d in items])


def time_grid(start: datetime, end: datetime, step_s: float) -> Time:
    """Epochs from ``start`` to ``end`` inclusive every ``step_s`` seconds (UTC).

    The last epoch is ``end`` itself only when the span is a whole number of steps.
    """
    if step_s <= 0:
        raise ValueError(f"step must be positive (got {step_s} s)")
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    n = int(np.floor((end - start).total_seconds() / step_s + 1e-9)) + 1
    seconds = np.arange(n, dtype=float) * step_s
    return offset(as_time(start), seconds)


def offset(t0: Time, seconds: NDArray[np.float64] | float) -> Time:
    """``t0`` plus ``seconds`` of elapsed (SI) time; an array of seconds gives an array Time."""
    sec = np.asarray(seconds, dtype=float)
    return timescale().tt_jd(t0.whole, t0.tt_fraction + sec / DAY_S)


def utc_jd_parts(t: Time) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """UTC Julian date of ``t`` as (whole, fraction), the form SGP4 takes (AIAA 2006-6753).

    This is what Skyfield's ``EarthSatellite`` passes to SGP4, so both agree to the bit.
    """
    whole = np.asarray(t.whole, dtype=float)
    fraction = np.asarray(t.tai_fraction - t._leap_seconds() / DAY_S, dtype=float)
    return whole, fraction


def to_datetimes(t: Time) -> list[datetime]:
    """Timezone-aware UTC datetimes of a ``Time`` (scalar or array), microsecond resolution.

    One vectorised Skyfield call (``Time.utc_datetime``) for all the epochs: converting
    20,000 epochs takes about 20 ms. Text for people and files is made from these datetimes
    in ``stationplan.report`` only (:func:`stationplan.scenario.fields.utc_iso`).
    """
    values = t.utc_datetime()
    if isinstance(values, datetime):
        return [values]
    return list(values)
