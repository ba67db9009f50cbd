"""Events of an orbit: eclipses (shadow boundaries and passes), node crossings, contacts.

Node crossings and ground contacts are discrete state functions of time (north / south of the
equator; station above / below the elevation mask) searched with Skyfield's ``find_discrete``
/ ``find_maxima``: sampled at a step shorter than the shortest state, every change bisected
to 1 ms (Skyfield's default epsilon), well inside the 1 s this package promises.

Eclipses are searched on the smooth shadow depths of the conical model instead (see
:func:`eclipses`): coarse sampling in chunks of days, each per-orbit minimum of a depth
refined, then every boundary bisected to 1 ms by one small vectorised bisection
(:func:`_bisect`). Memory is bounded by the chunk whatever the span. Shadow: conical umbra
and penumbra of a spherical Earth (Montenbruck & Gill 2000, sec. 3.4.2; Vallado 2013
Algorithm 34), Earth radius 6378.137 km, Sun radius 696,000 km.

Results are typed records whose times are timezone-aware UTC ``datetime`` objects (Skyfield's
``utc_datetime``, microsecond resolution, converted in one vectorised call per search) next to
the TT Julian dates the searches work in; formatting them for people or files is the job of
``stationplan.report``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from skyfield.searchlib import find_discrete, find_maxima
from skyfield.timelib import Time

from stationplan.orbit import frames
from stationplan.orbit.constants import MU_KM3_S2
from stationplan.orbit.shadow import shadow_depths, shadow_depths_columns
from stationplan.orbit.timescale import DAY_S, offset, timescale, to_datetimes

Array = NDArray[np.float64]
Flags = NDArray[np.bool_]
StateFunction = Callable[[Time], tuple[Array, Array]]
"""A trajectory: Time (N epochs) -> TEME position (N, 3) km and velocity (N, 3) km/s."""

SUNLIT, PENUMBRA, UMBRA = 0, 1, 2

ShadowName = Literal["sunlit", "penumbra", "umbra"]
"""A shadow state by name."""
BoundaryKind = Literal["penumbra_entry", "umbra_entry", "umbra_exit", "penumbra_exit"]
"""Which shadow boundary an :class:`Event` is."""
NodeKind = Literal["ascending_node", "descending_node"]
"""Which equator crossing a :class:`NodeCrossing` is."""

SHADOW_NAMES: dict[int, ShadowName] = {SUNLIT: "sunlit", PENUMBRA: "penumbra", UMBRA: "umbra"}
BOUNDARY_KINDS: dict[tuple[int, int], BoundaryKind] = {
    (SUNLIT, PENUMBRA): "penumbra_entry",
    (SUNLIT, UMBRA): "umbra_entry",
    (PENUMBRA, UMBRA): "umbra_entry",
    (UMBRA, PENUMBRA): "umbra_exit",
    (UMBRA, SUNLIT): "umbra_exit",
    (PENUMBRA, SUNLIT): "penumbra_exit",
}
"""The boundary crossed going from one shadow state to another."""

ECLIPSE_STEP_S = 120.0
"""Coarse sampling step of the eclipse search (s); capped at an eighth of the orbital period."""
ECLIPSE_CHUNK_S = 8 * DAY_S
"""Span searched at a time (s): bounds the memory (a few thousand samples) whatever the span."""
SLOPE_HALF_STEP_S = 0.5
"""Half-width (s) of the centred difference whose sign says whether a depth is rising."""
ROOT_TOL_S = 1e-3
"""Every boundary and every depth minimum is bisected to this width (s), as find_discrete."""


@dataclass(frozen=True)
class Event:
    """One shadow boundary (:func:`eclipses`): when, which, and the states on either side."""

    time_utc: datetime
    """First instant in the new state, aware UTC (microsecond resolution)."""
    kind: BoundaryKind
    from_state: ShadowName
    to_state: ShadowName
    jd_tt: float
    """The same instant as a TT Julian date (days)."""


@dataclass(frozen=True)
class NodeCrossing:
    """One equator crossing (:func:`node_crossings`): TEME z changes sign."""

    time_utc: datetime
    """First instant on the new side of the equator, aware UTC (microsecond resolution)."""
    kind: NodeKind
    jd_tt: float
    """The same instant as a TT Julian date (days)."""


@dataclass(frozen=True)
class Contact:
    """One pass over a ground site (:func:`contacts`): AOS, LOS and the highest elevation.

    A pass in progress at the start of the span, or still open at its end, is clipped there
    and flagged: its AOS (LOS) is then the span start (end).
    """

    aos_utc: datetime
    """Acquisition of signal: the object rises through the elevation mask, aware UTC."""
    los_utc: datetime
    """Loss of signal: the object sets through the elevation mask, aware UTC."""
    max_elevation_utc: datetime
    """Time of the highest elevation of the pass, aware UTC."""
    max_elevation_deg: float
    """Highest elevation above the site's horizon (geodetic up), deg."""
    duration_s: float
    """LOS - AOS, s."""
    clipped_start: bool
    clipped_end: bool


def shadow_state(r_teme_km: Array, t: Time) -> NDArray[np.int64]:
    """0 sunlit, 1 penumbra, 2 umbra for (N, 3) TEME positions (km) at the epochs of ``t``.

    Conical shadow (:func:`stationplan.orbit.shadow.shadow_depths`, the geometry of the
    propagator's solar radiation pressure too): penumbra where the penumbra depth is negative,
    umbra where the umbra depth is negative or zero. NaN positions count as sunlit.
    """
    r = np.ascontiguousarray(np.atleast_2d(r_teme_km).T)
    pen, umb = shadow_depths_columns(r, frames.sun_teme_columns_km(t))
    state = np.full(pen.shape[0], SUNLIT, dtype=np.int64)
    state[pen < 0.0] = PENUMBRA
    state[umb <= 0.0] = UMBRA
    return state


def elevation_deg(
    r_teme_km: Array, t: Time, site_itrs_km: Array, lat_deg: float, lon_deg: float
) -> Array:
    """Elevation (deg) of the object above a site's horizon (geodetic up), per epoch."""
    r = np.atleast_2d(r_teme_km)
    r_itrs, _ = frames.teme_to_itrs(r, np.zeros_like(r), t)
    rho = r_itrs - site_itrs_km
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    out: Array = np.degrees(np.arcsin(np.clip(rho @ up / np.linalg.norm(rho, axis=1), -1, 1)))
    return out


def _discrete(fn: Callable[[Time], Any], step_s: float) -> Callable[[Time], Any]:
    fn.step_days = step_s / DAY_S  # type: ignore[attr-defined]
    return fn


def _bisect(
    pred: Callable[[Array], Flags], lo_s: Array, hi_s: Array, lo_flag: Flags
) -> tuple[Array, Array]:
    """The one search of the eclipse code: N brackets bisected at once, to ``ROOT_TOL_S``.

    ``pred(x_s)`` gives one flag per bracket at the N times ``x_s`` (s after the span start);
    it is ``lo_flag`` at ``lo_s`` and differs at ``hi_s``. Each pass halves every bracket,
    keeping the change inside, until all are at most ``ROOT_TOL_S`` wide:
    ceil(log2(widest / tol)) calls of ``pred``, about 17 for 120-s brackets. Returns the final
    brackets (lo, hi): ``pred`` is ``lo_flag`` at lo and not at hi.
    """
    lo, hi = np.array(lo_s, dtype=float), np.array(hi_s, dtype=float)
    width = float(np.max(hi - lo)) if lo.size else 0.0
    n_halvings = int(np.ceil(np.log2(width / ROOT_TOL_S))) if width > ROOT_TOL_S else 0
    for _ in range(n_halvings):
        mid = 0.5 * (lo + hi)
        change_below = pred(mid) != lo_flag
        lo = np.where(change_below, lo, mid)
        hi = np.where(change_below, mid, hi)
    return lo, hi


def _depth_sampler(state: StateFunction, t0: Time) -> Callable[[Array], Array]:
    """(N, 2) penumbra and umbra depths (rad, :func:`~stationplan.orbit.shadow.shadow_depths`)
    at N times given in seconds after ``t0``; NaN rows where the trajectory has no state."""

    def depths(x_s: Array) -> Array:
        t = offset(t0, x_s)
        pen, umb = shadow_depths(state(t)[0], frames.sun_teme_km(t))
        return np.stack([pen, umb], axis=-1)

    return depths


def _inside(depths: Array) -> Flags:
    """(N, 2): in the penumbra (or umbra), in the umbra; the rule of :func:`shadow_state`."""
    return np.stack([depths[:, 0] < 0.0, depths[:, 1] <= 0.0], axis=-1)


@dataclass(frozen=True)
class _Boundaries:
    """Shadow boundaries of a span, times in seconds after its start, sorted."""

    sec: Array
    """(E,) first instant in the new state (end of the final 1-ms bracket), s."""
    umbra: Flags
    """(E,) an umbra boundary (else a penumbra one)."""
    entry: Flags
    """(E,) entering that shadow (else leaving it)."""
    inside0: Flags
    """(2,) in the penumbra (or umbra), in the umbra, at the span start."""
    end_s: float
    """End of the searched span (s): the span asked, or the last sample with a valid state."""


def _period_s(state: StateFunction, t0: Time) -> float:
    """Two-body period (s) from the state at ``t0``: inf if unbound, NaN if no state."""
    r, v = state(offset(t0, np.zeros(1)))
    inv_a = 2.0 / float(np.linalg.norm(r[0])) - float(np.dot(v[0], v[0])) / MU_KM3_S2
    if not np.isfinite(inv_a):
        return float("nan")
    return float(2.0 * np.pi * np.sqrt(inv_a**-3 / MU_KM3_S2)) if inv_a > 0 else float("inf")


def _chunk_boundaries(
    depths: Callable[[Array], Array], x: Array, g3: Array
) -> tuple[Array, Flags, Flags]:
    """Boundaries inside the sample intervals [x_j, x_j+1] of one chunk.

    ``g3`` (3, n, 2): depths at x - SLOPE_HALF_STEP_S, x, x + SLOPE_HALF_STEP_S. Returns the
    boundary times (s), umbra flags and entry flags, sorted by time.
    """
    g = g3[1]
    rising = g3[2] - g3[0] >= 0.0
    # 1. per-orbit minima of each depth: the slope sign goes from falling to rising
    j, min_col = np.nonzero(~rising[:-1] & rising[1:])

    def rising_at(m: Array) -> Flags:
        d = depths(np.concatenate([m - SLOPE_HALF_STEP_S, m + SLOPE_HALF_STEP_S]))
        d = d.reshape(2, -1, 2)
        k = np.arange(m.size)
        out: Flags = d[1, k, min_col] - d[0, k, min_col] >= 0.0
        return out

    lo, hi = _bisect(rising_at, x[j], x[j + 1], np.zeros(j.size, dtype=bool))
    minima = 0.5 * (lo + hi)
    xs, gs = x, g
    if minima.size:
        order = np.argsort(np.concatenate([x, minima]), kind="stable")
        xs = np.concatenate([x, minima])[order]
        gs = np.concatenate([g, depths(minima)])[order]
    # 2. each sign change of a depth between consecutive points is one boundary
    inside = _inside(gs)
    k, root_col = np.nonzero(inside[:-1] != inside[1:])
    lo_flag = inside[k, root_col]

    def inside_at(t_s: Array) -> Flags:
        out: Flags = _inside(depths(t_s))[np.arange(t_s.size), root_col]
        return out

    _, at = _bisect(inside_at, xs[k], xs[k + 1], lo_flag)
    order = np.argsort(at, kind="stable")
    return at[order], (root_col == 1)[order], ~lo_flag[order]


def _shadow_boundaries(state: StateFunction, t0: Time, t1: Time, step_s: float) -> _Boundaries:
    """Every penumbra and umbra boundary between ``t0`` and ``t1``: see :func:`eclipses`."""
    span_s = float((t1.whole - t0.whole) + (t1.tt_fraction - t0.tt_fraction)) * DAY_S
    if not span_s > 0.0:
        raise ValueError(f"the span must end after it starts ({span_s} s)")
    if not step_s > 0.0:
        raise ValueError(f"the search step must be positive ({step_s} s)")
    depths = _depth_sampler(state, t0)
    none = np.zeros(0, dtype=bool)
    g0 = depths(np.zeros(1))
    period_s = _period_s(state, t0)
    if not (np.isfinite(g0).all() and period_s > 0.0):  # no state at the start: no event
        return _Boundaries(np.zeros(0), none, none, np.zeros(2, dtype=bool), 0.0)
    h = min(step_s, period_s / 8.0)
    n_steps = max(1, int(np.ceil(span_s / h - 1e-9)))
    per_chunk = max(1, int(ECLIPSE_CHUNK_S // h))
    parts: list[tuple[Array, Flags, Flags]] = []
    carry: Array | None = None
    end_s = span_s
    for first in range(0, n_steps, per_chunk):
        x = np.minimum(np.arange(first, min(first + per_chunk, n_steps) + 1) * h, span_s)
        dx = SLOPE_HALF_STEP_S
        g3 = depths(np.concatenate([x - dx, x, x + dx])).reshape(3, x.size, 2)
        if carry is not None:  # the shared sample: the previous chunk's values, exactly
            g3[:, 0] = carry
        valid = np.isfinite(g3).all(axis=(0, 2))
        n_valid = x.size if valid.all() else int(np.argmin(valid))
        if n_valid >= 2:
            parts.append(_chunk_boundaries(depths, x[:n_valid], g3[:, :n_valid]))
            carry = g3[:, n_valid - 1]
        if n_valid < x.size:  # SGP4 failed (decay): stop at the last valid sample
            end_s = float(x[max(n_valid - 1, 0)])
            break
    sec, umbra, entry = (
        (np.concatenate(p) for p in zip(*parts, strict=True))
        if parts
        else (
            np.zeros(0),
            none,
            none,
        )
    )
    return _Boundaries(sec, umbra, entry, _inside(g0)[0], end_s)


def _states_after(b: _Boundaries) -> NDArray[np.int64]:
    """Shadow state (SUNLIT / PENUMBRA / UMBRA) just after each boundary."""
    pos = np.arange(b.sec.size)
    inside = np.empty((b.sec.size, 2), dtype=bool)
    for col in (0, 1):
        last = np.maximum.accumulate(np.where(b.umbra == bool(col), pos, -1))
        inside[:, col] = np.where(last >= 0, b.entry[np.maximum(last, 0)], b.inside0[col])
    return np.where(inside[:, 1], UMBRA, np.where(inside[:, 0], PENUMBRA, SUNLIT))


def _jd_tt(t0: Time, sec: Array) -> Array:
    return np.atleast_1d(np.asarray(offset(t0, sec).tt, dtype=float))


def eclipses(
    state: StateFunction, t0: Time, t1: Time, step_s: float = ECLIPSE_STEP_S
) -> list[Event]:
    """Umbra and penumbra entries and exits between ``t0`` and ``t1``, in time order.

    Method. The conical model's depths g_pen = c - (a + b) and g_umb = c - (b - a)
    (:func:`stationplan.orbit.shadow.shadow_depths`; negative in the penumbra, resp. umbra)
    are smooth in time. Over a revolution of a near-circular orbit the Earth-Sun separation
    c falls to about |beta| and rises to about 180 deg - |beta| once, so each depth has one
    minimum and one maximum per revolution, about half a revolution apart, and is positive
    (sunlit) for more than half a revolution around its maximum (c >= 90 deg > a + b there).
    The span is searched in chunks of ``ECLIPSE_CHUNK_S``:

    1. Both depths are sampled every h = min(``step_s``, period / 8) s with the sign of their
       centred difference over +-0.5 s. Extrema being half a revolution apart, an interval
       between samples holds at most one, and it holds a minimum exactly when the slope sign
       goes from falling to rising. That minimum is bisected to 1 ms on the same slope sign
       and added to the samples: this catches a grazing pass shorter than any step.
    2. Between consecutive points a depth is then monotone, or has its maximum inside and is
       positive at one end at least; so it changes sign at most once there, exactly when its
       ends differ in sign. Each change is bisected to 1 ms; its time is the end of the final
       bracket, the first instant in the new state (as Skyfield's ``find_discrete``).

    What it can miss: a minimum found is within about 0.5 ms of the true one (half the last
    bracket plus the centred difference's bias, ~5e-5 s), so only a pass lasting less than
    about 1 ms in the penumbra (or in the umbra) can be missed. Assumed: an orbit close to
    circular (e below ~0.1) and no shadow boundary while |beta| is within ~0.1 deg of 90 deg
    (LEO never is: its shadow ends near |beta| = 70 deg).

    Each sample interval belongs to one chunk and the shared sample's values are carried to
    the next chunk, so no boundary is found twice or lost at chunk edges; memory is that of
    one chunk (a few thousand samples) whatever the span. NaN states (SGP4 failure, e.g.
    decay) end the search at the last valid sample: no event after it.
    """
    b = _shadow_boundaries(state, t0, t1, step_s)
    if b.sec.size == 0:
        return []
    after = _states_after(b)
    state0 = UMBRA if b.inside0[1] else PENUMBRA if b.inside0[0] else SUNLIT
    before = np.concatenate([[state0], after[:-1]])
    jds = _jd_tt(t0, b.sec)
    return [
        Event(when, BOUNDARY_KINDS[(p, n)], SHADOW_NAMES[p], SHADOW_NAMES[n], jd)
        for when, p, n, jd in zip(
            to_datetimes(timescale().tt_jd(jds)),
            before.tolist(),
            after.tolist(),
            jds.tolist(),
            strict=True,
        )
    ]


@dataclass(frozen=True)
class EclipsePass:
    """One pass through the Earth's shadow: boundaries as TT Julian dates, durations in s.

    A pass runs from penumbra entry to penumbra exit; the umbra, if any, lies inside it. The
    umbra times are None for a penumbra-only (grazing) pass. A pass already in the shadow at
    the start of the span, or still in it at its end (or where SGP4 stopped), is clipped
    there and flagged.
    """

    penumbra_entry_jd_tt: float
    umbra_entry_jd_tt: float | None
    umbra_exit_jd_tt: float | None
    penumbra_exit_jd_tt: float
    umbra_s: float
    """Time in the umbra, s (0 for a penumbra-only pass)."""
    shadow_s: float
    """Time in the shadow (penumbra and umbra), s: penumbra exit - penumbra entry."""
    clipped_start: bool
    clipped_end: bool


@dataclass(frozen=True)
class EclipsePassUtc:
    """One :class:`EclipsePass` with its boundaries as aware UTC datetimes (:func:`passes_utc`).

    The umbra times are None for a penumbra-only (grazing) pass.
    """

    penumbra_entry_utc: datetime
    umbra_entry_utc: datetime | None
    umbra_exit_utc: datetime | None
    penumbra_exit_utc: datetime
    umbra_s: float
    """Time in the umbra, s (0 for a penumbra-only pass)."""
    shadow_s: float
    """Time in the shadow (penumbra and umbra), s."""
    clipped_start: bool
    clipped_end: bool


def _intervals(b: _Boundaries, umbra: bool) -> tuple[Array, Array, bool, bool]:
    """Starts and ends (s) of the penumbra (or umbra) intervals, clipped to the span, and
    whether the first / last was clipped."""
    sel = b.umbra == umbra
    sec, entry = b.sec[sel], b.entry[sel]
    starts, ends = sec[entry], sec[~entry]
    clipped_start = bool(b.inside0[int(umbra)])
    if clipped_start:
        starts = np.concatenate([[0.0], starts])
    clipped_end = starts.size > ends.size
    if clipped_end:
        ends = np.append(ends, b.end_s)
    return starts, ends, clipped_start, clipped_end


def eclipse_passes(
    state: StateFunction, t0: Time, t1: Time, step_s: float = ECLIPSE_STEP_S
) -> list[EclipsePass]:
    """The passes through the Earth's shadow between ``t0`` and ``t1``, in time order.

    The boundaries of :func:`eclipses` (same search, same guarantees) grouped per pass: each
    umbra interval belongs to the penumbra interval around it (the umbra lies inside the
    penumbra cone). One year of ISS gives about 5,600 passes
    (5,585 from 2015-03-27, bench/bench_eclipses.py).
    """
    b = _shadow_boundaries(state, t0, t1, step_s)
    pen_in, pen_out, clip_first, clip_last = _intervals(b, umbra=False)
    umb_in, umb_out, _, _ = _intervals(b, umbra=True)
    n = pen_in.size
    if n == 0:
        return []
    owner = np.searchsorted(pen_in, umb_in, side="right") - 1
    umbra_s = np.bincount(owner, weights=umb_out - umb_in, minlength=n)
    first_umbra = np.full(n, -1)
    last_umbra = np.full(n, -1)
    owners, first = np.unique(owner, return_index=True)
    first_umbra[owners] = first
    owners, from_end = np.unique(owner[::-1], return_index=True)
    last_umbra[owners] = owner.size - 1 - from_end
    jd = _jd_tt(t0, np.concatenate([pen_in, pen_out, umb_in, umb_out]))
    jd_pen_in, jd_pen_out = jd[:n], jd[n : 2 * n]
    jd_umb_in, jd_umb_out = jd[2 * n : 2 * n + umb_in.size], jd[2 * n + umb_in.size :]
    return [
        EclipsePass(
            penumbra_entry_jd_tt=float(jd_pen_in[i]),
            umbra_entry_jd_tt=float(jd_umb_in[first_umbra[i]]) if first_umbra[i] >= 0 else None,
            umbra_exit_jd_tt=float(jd_umb_out[last_umbra[i]]) if last_umbra[i] >= 0 else None,
            penumbra_exit_jd_tt=float(jd_pen_out[i]),
            umbra_s=float(umbra_s[i]),
            shadow_s=float(pen_out[i] - pen_in[i]),
            clipped_start=clip_first and i == 0,
            clipped_end=clip_last and i == n - 1,
        )
        for i in range(n)
    ]


def passes_utc(passes: Sequence[EclipsePass]) -> list[EclipsePassUtc]:
    """The passes with their boundaries as aware UTC datetimes (None where a pass has no umbra).

    All the boundaries of all the passes are converted from TT Julian dates in one vectorised
    call (Skyfield ``Time.utc_datetime``, microsecond resolution; a year of ISS passes, 5,585,
    takes a few tens of ms). Durations and flags are carried over unchanged.
    """
    if not passes:
        return []
    n = len(passes)
    jd = np.array(
        [
            (p.penumbra_entry_jd_tt, p.umbra_entry_jd_tt, p.umbra_exit_jd_tt, p.penumbra_exit_jd_tt)
            for p in passes
        ],
        dtype=float,
    )  # a missing umbra time (None) becomes NaN
    has_in, has_out = np.isfinite(jd[:, 1]), np.isfinite(jd[:, 2])
    when = to_datetimes(
        timescale().tt_jd(np.concatenate([jd[:, 0], jd[:, 3], jd[has_in, 1], jd[has_out, 2]]))
    )
    n_in = int(np.count_nonzero(has_in))
    umbra_in, umbra_out = iter(when[2 * n : 2 * n + n_in]), iter(when[2 * n + n_in :])
    return [
        EclipsePassUtc(
            penumbra_entry_utc=when[i],
            umbra_entry_utc=next(umbra_in) if got_in else None,
            umbra_exit_utc=next(umbra_out) if got_out else None,
            penumbra_exit_utc=when[n + i],
            umbra_s=p.umbra_s,
            shadow_s=p.shadow_s,
            clipped_start=p.clipped_start,
            clipped_end=p.clipped_end,
        )
        for i, (p, got_in, got_out) in enumerate(
            zip(passes, has_in.tolist(), has_out.tolist(), strict=True)
        )
    ]


def node_crossings(
    state: StateFunction, t0: Time, t1: Time, step_s: float = 60.0
) -> list[NodeCrossing]:
    """Ascending and descending equator crossings (TEME z changes sign), in time order."""

    def f(t: Time) -> Any:
        return (state(t)[0][:, 2] > 0).astype(np.int64)

    times, values = find_discrete(t0, t1, _discrete(f, step_s))
    if len(times) == 0:
        return []
    return [
        NodeCrossing(when, "ascending_node" if int(v) == 1 else "descending_node", float(jd))
        for when, v, jd in zip(
            to_datetimes(times), np.atleast_1d(values), np.atleast_1d(times.tt), strict=True
        )
    ]


def contacts(
    state: StateFunction,
    t0: Time,
    t1: Time,
    lat_deg: float,
    lon_deg: float,
    alt_m: float = 0.0,
    min_elevation_deg: float = 0.0,
    step_s: float = 20.0,
) -> list[Contact]:
    """Passes over a ground site: AOS, LOS, time and value of the maximum elevation.

    AOS and LOS are the changes of "elevation >= ``min_elevation_deg``" found by Skyfield's
    ``find_discrete`` (bisected to 1 ms), the maximum by ``find_maxima`` inside each pass.
    A pass already in progress at ``t0`` or still open at ``t1`` is clipped to the span and
    flagged. ``step_s`` must be shorter than the shortest pass kept (20 s is fine for LEO).
    Site: geodetic ``lat_deg``, ``lon_deg`` (WGS84) and ``alt_m`` above the ellipsoid. The
    times of all passes are converted to UTC datetimes in one call at the end.
    """
    site = frames.geodetic_to_itrs(lat_deg, lon_deg, alt_m)

    def elev(t: Time) -> Array:
        return elevation_deg(state(t)[0], t, site, lat_deg, lon_deg)

    def above(t: Time) -> Any:
        return (elev(t) >= min_elevation_deg).astype(np.int64)

    times, values = find_discrete(t0, t1, _discrete(above, step_s))
    edges = [t0, *[times[i] for i in range(len(times))], t1]
    flags = [int(above(t0)[0]), *[int(v) for v in np.atleast_1d(values)]]
    found: list[tuple[Time, Time, Time, float, bool, bool]] = []
    for k, is_up in enumerate(flags):
        if not is_up:
            continue
        a, b = edges[k], edges[k + 1]

        def elev_fn(t: Time) -> Array:
            return elev(t)

        elev_fn.step_days = step_s / DAY_S  # type: ignore[attr-defined]
        t_max, v_max = find_maxima(a, b, elev_fn)
        if len(t_max) == 0:  # the maximum is at an end of a clipped pass
            ends = [a, b]
            vals = [float(elev(a)[0]), float(elev(b)[0])]
            best = int(np.argmax(vals))
            t_peak, v_peak = ends[best], vals[best]
        else:
            best = int(np.argmax(v_max))
            t_peak, v_peak = t_max[best], float(v_max[best])
        found.append((a, b, t_peak, v_peak, k == 0, k == len(flags) - 1))
    if not found:
        return []
    ends = [t for a, b, t_peak, *_ in found for t in (a, b, t_peak)]  # 3 per pass
    whole = np.array([float(t.whole) for t in ends])
    fraction = np.array([float(t.tt_fraction) for t in ends])
    when = to_datetimes(timescale().tt_jd(whole, fraction))
    return [
        Contact(
            aos_utc=when[3 * i],
            los_utc=when[3 * i + 1],
            max_elevation_utc=when[3 * i + 2],
            max_elevation_deg=v_peak,
            duration_s=float((b.whole - a.whole) + (b.tt_fraction - a.tt_fraction)) * DAY_S,
            clipped_start=clipped_start,
            clipped_end=clipped_end,
        )
        for i, (a, b, _, v_peak, clipped_start, clipped_end) in enumerate(found)
    ]
