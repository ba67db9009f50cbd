"""SGP4 propagation vectorised over epochs and objects, with two interchangeable backends.

* ``sgp4``: python-sgp4's ``SatrecArray`` (Vallado's C++ SGP4/SDP4, AIAA 2006-6753) — every
  object, near-Earth and deep-space.
* ``heyoka``: heyoka's JIT-compiled, SIMD, multithreaded SGP4 (Biscani & Izzo) — near-Earth
  objects only (period < 225 min); deep-space objects always go to ``sgp4``. On this project's
  2-core machines it is ~3.5x faster for catalogs (see ``bench/bench_sgp4_catalog.py``) and
  agrees with ``sgp4`` to well under 1 mm except for a few objects about to decay.

Numeric failure is not an exception: rows of a failed object/epoch are NaN and ``errors``
holds the SGP4 error code per element, ``reason()`` its text (``sgp4.api.SGP4_ERRORS``).
Output frame: TEME of date, km and km/s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from sgp4.api import SGP4_ERRORS, Satrec, SatrecArray
from skyfield.timelib import Time

from stationplan.orbit.elements import ElementSet
from stationplan.orbit.timescale import utc_jd_parts

Backend = Literal["auto", "sgp4", "heyoka"]

MAX_SPEED_KM_S = 100.0
"""A state faster than this (km/s) is no orbit about the Earth: it is marked failed with SGP4's
code 6 (decayed), as python-sgp4 marks the epochs after an object's decay."""

# Below this many object-epochs the heyoka JIT build (~0.1 s) costs more than it saves.
HEYOKA_MIN_WORK = 2_000_000


@dataclass(frozen=True)
class Sgp4Result:
    """TEME states of M objects at N epochs: ``r_teme_km`` and ``v_teme_km_s`` are (M, N, 3)."""

    r_teme_km: NDArray[np.float64]
    v_teme_km_s: NDArray[np.float64]
    errors: NDArray[np.uint8]
    backend_used: tuple[str, ...]

    def reason(self, i_object: int, i_epoch: int) -> str | None:
        """SGP4's text for the error of one element, or None when it propagated."""
        code = int(self.errors[i_object, i_epoch])
        return None if code == 0 else str(SGP4_ERRORS.get(code, f"SGP4 error {code}"))

    def failures(self) -> dict[int, str]:
        """First failure reason per object index (objects that never failed are absent)."""
        out: dict[int, str] = {}
        for i, j in zip(*np.nonzero(self.errors), strict=True):
            if int(i) not in out:
                out[int(i)] = self.reason(int(i), int(j)) or ""
        return out


def _satrecs(objects: Sequence[ElementSet | Satrec]) -> list[Satrec]:
    return [o.satrec if isinstance(o, ElementSet) else o for o in objects]


def _sgp4_backend(sats: list[Satrec], jd: NDArray[Any], fr: NDArray[Any]) -> tuple[Any, Any, Any]:
    e, r, v = SatrecArray(sats).sgp4(jd, fr)
    return e, r, v


@lru_cache(maxsize=1)
def heyoka_available() -> bool:
    """True when the optional heyoka backend imports on this machine."""
    try:
        import heyoka  # noqa: F401
    except ImportError:
        return False
    return True


def _heyoka_backend(sats: list[Satrec], jd: NDArray[Any], fr: NDArray[Any]) -> tuple[Any, Any, Any]:
    import heyoka as hy

    prop = hy.model.sgp4_propagator(sats)
    dates = np.zeros((jd.size, len(sats)), dtype=prop.jdtype)
    dates["jd"] = jd[:, None]
    dates["frac"] = fr[:, None]
    out = prop(dates)  # (N, 7, M): x y z vx vy vz error
    r = np.ascontiguousarray(out[:, :3, :].transpose(2, 0, 1))
    v = np.ascontiguousarray(out[:, 3:6, :].transpose(2, 0, 1))
    e = np.nan_to_num(out[:, 6, :].T, nan=1.0).astype(np.uint8)
    return e, r, v


def propagate_sgp4(
    objects: Sequence[ElementSet | Satrec] | ElementSet | Satrec,
    t: Time,
    backend: Backend = "auto",
) -> Sgp4Result:
    """Propagate M element sets to the N epochs of ``t`` with SGP4 (TEME, km, km/s).

    A single object (not a sequence) still gives arrays of shape (1, N, 3); a scalar ``t``
    gives N = 1. ``backend="auto"`` uses heyoka for near-Earth objects in large jobs
    (``HEYOKA_MIN_WORK`` object-epochs and more) when it is installed, else python-sgp4.
    """
    whole, fraction = utc_jd_parts(t)
    return propagate_sgp4_jd(objects, whole, fraction, backend)


def propagate_sgp4_jd(
    objects: Sequence[ElementSet | Satrec] | ElementSet | Satrec,
    jd_utc_whole: NDArray[np.float64] | float,
    jd_utc_fraction: NDArray[np.float64] | float,
    backend: Backend = "auto",
) -> Sgp4Result:
    """:func:`propagate_sgp4` with epochs given as UTC Julian dates split into whole and
    fraction (the form of AIAA 2006-6753 and of the Vallado verification set)."""
    if isinstance(objects, ElementSet | Satrec):
        objects = [objects]
    sats = _satrecs(objects)
    jd = np.atleast_1d(np.asarray(jd_utc_whole, dtype=float))
    fr = np.atleast_1d(np.asarray(jd_utc_fraction, dtype=float))
    jd, fr = np.broadcast_arrays(jd, fr)
    jd, fr = np.ascontiguousarray(jd), np.ascontiguousarray(fr)
    m, n = len(sats), jd.size
    if m == 0:
        empty = np.zeros((0, n, 3))
        return Sgp4Result(empty, empty.copy(), np.zeros((0, n), np.uint8), ())
    use_heyoka = backend == "heyoka" or (
        backend == "auto" and m * n >= HEYOKA_MIN_WORK and heyoka_available()
    )
    if backend == "heyoka" and not heyoka_available():
        raise RuntimeError("the heyoka backend was asked for but heyoka is not installed")
    near = np.array([s.method == "n" for s in sats]) if use_heyoka else np.zeros(m, bool)
    groups = [
        (idx, run, name)
        for mask, run, name in ((~near, _sgp4_backend, "sgp4"), (near, _heyoka_backend, "heyoka"))
        if (idx := np.nonzero(mask)[0]).size
    ]
    if len(groups) == 1:  # one backend: its arrays are the result, no second copy
        idx, run, name = groups[0]
        e, r, v = run(sats, jd, fr)
        r, v = np.asarray(r, dtype=float), np.asarray(v, dtype=float)
        e = np.asarray(e, dtype=np.uint8)
        used = [name]
    else:
        r = np.empty((m, n, 3))
        v = np.empty((m, n, 3))
        e = np.zeros((m, n), np.uint8)
        used = []
        for idx, run, name in groups:
            ei, ri, vi = run([sats[i] for i in idx], jd, fr)
            r[idx], v[idx], e[idx] = ri, vi, ei
            del ri, vi
            used.append(name)
    with np.errstate(invalid="ignore"):
        wild = np.einsum("mnk,mnk->mn", v, v) > MAX_SPEED_KM_S**2
    if wild.any():  # past an object's decay heyoka can return such states without an error
        e = np.where(wild & (e == 0), np.uint8(6), e)
    failed = e != 0
    if failed.any():
        r[failed] = np.nan
        v[failed] = np.nan
    return Sgp4Result(r, v, e, tuple(used))


def propagate_sgp4_chunks(
    objects: Sequence[ElementSet | Satrec],
    t: Time,
    backend: Backend = "auto",
    max_object_epochs: int = 2_000_000,
) -> Iterator[tuple[slice, Sgp4Result]]:
    """:func:`propagate_sgp4` over a catalog in chunks of objects, so that memory stays
    bounded (about 100 bytes per object-epoch of a chunk) whatever the catalog's size: yields
    the slice of ``objects`` each result covers, in order."""
    whole, fraction = utc_jd_parts(t)
    n = max(int(np.size(whole)), 1)
    per_chunk = max(1, max_object_epochs // n)
    for lo in range(0, len(objects), per_chunk):
        part = slice(lo, min(lo + per_chunk, len(objects)))
        yield part, propagate_sgp4_jd(list(objects[part]), whole, fraction, backend)


def sgp4_trajectory(
    el: ElementSet | Satrec,
) -> Callable[[Time], tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """A trajectory function (Time -> TEME r (N, 3) km, v (N, 3) km/s) for the event search."""

    def state(t: Time) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        res = propagate_sgp4(el, t)
        return res.r_teme_km[0], res.v_teme_km_s[0]

    return state


@dataclass(frozen=True)
class Sgp4Limit:
    """Where SGP4 stops giving states for an element set inside a span."""

    jd_tt: float
    """First failing epoch (TT Julian date), found to about a second."""
    reason: str
    """SGP4's text for the error (e.g. 'mrt is less than 1.0 which indicates the satellite
    has decayed')."""


def sgp4_limit(
    el: ElementSet | Satrec, t0: Time, t1: Time, scan_step_s: float = 3600.0
) -> Sgp4Limit | None:
    """The first epoch between ``t0`` and ``t1`` at which SGP4 fails for ``el`` (decay or
    another error of AIAA 2006-6753's list), or None when it propagates over the whole span.

    Scans at ``scan_step_s`` then refines the failing step at 1 s. A failure shorter than the
    scan step followed by valid states again is not looked for: SGP4 errors (decay, an
    eccentricity out of range) persist once reached.
    """
    from stationplan.orbit.timescale import offset

    span_s = float(t1.tt - t0.tt) * 86400.0
    grid_s = np.append(np.arange(0.0, span_s, scan_step_s), span_s)
    res = propagate_sgp4(el, offset(t0, grid_s), backend="sgp4")
    bad = np.nonzero(res.errors[0])[0]
    if bad.size == 0:
        return None
    k = int(bad[0])
    if k == 0:
        return Sgp4Limit(float(t0.tt), res.reason(0, 0) or "")
    fine_s = np.arange(grid_s[k - 1], grid_s[k] + 1.0, 1.0)
    fine = propagate_sgp4(el, offset(t0, fine_s), backend="sgp4")
    j = int(np.nonzero(fine.errors[0])[0][0])
    return Sgp4Limit(float(offset(t0, fine_s[j]).tt), fine.reason(0, j) or "")
