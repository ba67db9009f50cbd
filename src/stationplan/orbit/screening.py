"""Conjunction screening: every approach of a primary and a catalog closer than a threshold
over a span, that a scan cannot miss, with its time of closest approach (TCA).

The cascade (after Hoots, Crawford and Roehrich 1984, "An analytic method to determine future
close approaches between satellites", Celestial Mechanics 33, 143-158):

1. **Apogee/perigee filter** (Hoots et al.'s first filter): two objects whose radial bands do
   not come within the threshold cannot meet. The band of an object runs from the lower of
   the perigee radii of SGP4's osculating orbits at the start and the end of the span to the
   higher of their apogee radii (drag only lowers an orbit between the two), widened by
   :data:`BAND_PAD_KM` for the short-periodic terms (the J2 radial oscillation is about
   10 km in LEO).
2. **Time scan with a proven bound.** Both objects are propagated with SGP4 on a grid of step
   ``h``. On an interval [t_k, t_k+1] the relative speed cannot exceed
   ``vb = max(|dv_k|, |dv_k+1|) + a_max h/2`` (each end's relative speed plus the most the
   relative acceleration, at most two point-mass gravities at 100 km altitude, ``a_max``, can
   add in half a step); so the distance at any t of the interval is at least
   ``max(d_k - vb (t - t_k), d_k+1 - vb (t_k+1 - t)) >= (d_k + d_k+1 - vb h)/2``. An interval
   is kept when that lower bound is below the threshold: no approach under the threshold can
   fall in an interval that is dropped, whatever the step. The step only trades propagation
   (fewer samples) against kept intervals (a pad of about ``vb h / 2``, 450 km at 60 s for a
   head-on 15 km/s pair).
3. **TCA by root-finding on the range-rate.** In a kept interval the relative position is the
   cubic Hermite interpolant of both ends' positions and velocities (its error is about
   ``h^4 |r''''| / 384``, under a metre for 60 s in LEO); an interval whose interpolant's
   Bezier hull stays farther than the threshold plus that error is dropped at once
   (:func:`hull_lower_bound_km`); otherwise its closest point is found on a fine
   grid of the interval and then the exact SGP4 range-rate ``rho . drho / |rho|`` is driven to
   zero by Brent's method (:func:`scipy.optimize.brentq`) in a bracket around it. Approaches
   still under the threshold at their TCA are the events.

Pure functions on numpy arrays; times are seconds from a UTC Julian date split into whole and
fraction, as SGP4 takes them (AIAA 2006-6753). Positions are TEME (km), speeds km/s.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq

from stationplan.orbit.constants import DAY_S, MU_KM3_S2, R_EQ_KM
from stationplan.orbit.elements import ElementSet
from stationplan.orbit.propagate import Backend, propagate_sgp4_jd

BAND_PAD_KM = 25.0
"""Widening of each object's mean perigee-apogee band (km): SGP4's short-periodic radial terms
(J2: about 10 km in LEO) with a margin of more than two."""

A_MAX_KM_S2 = 2.0 * MU_KM3_S2 / (R_EQ_KM + 100.0) ** 2
"""Bound on the relative acceleration of two objects (km/s^2): two point-mass gravities at
100 km altitude (J2 adds about 0.2 %, well inside the rounding up to this altitude)."""

DEFAULT_STEP_S = 450.0
"""Default scan step (s). Any step is complete (the bound of stage 2); this one balances the
propagation (fewer samples) against the intervals kept (a pad of up to about 3,400 km) and the
exact checks the interpolant's error bound calls for (a margin of about 13 km): the fastest
on the catalog snapshot of bench/bench_screening.py among 300, 450 and 600 s."""

MAX_OBJECT_EPOCHS = 4_000_000
"""Object-epochs propagated at once (about 100 bytes each): memory stays bounded (about
0.5 GB), and a chunk is large enough for the heyoka backend where it is installed."""

FINE_SAMPLES = 64
"""Points of the Hermite interpolant searched per kept interval for its closest point, from
which Newton's method finds it."""

SNAP_MAX_KM_S4 = 6e-8
"""Bound on the fourth time derivative of an orbit's position (km/s^4): about (v/r)^4 r for a
speed under 11.2 km/s at 100 km altitude. The cubic Hermite interpolant over a step h errs by
at most h^4 SNAP_MAX / 384 per object (de Boor, "A Practical Guide to Splines", 2001, ch. II),
so an interval is checked with exact SGP4 when the interpolant comes within the threshold plus
twice that."""


@dataclass(frozen=True)
class Approaches:
    """K close approaches: the catalog indices of the first object (-1 for the primary of a
    primary screening) and of the second, TCA (s from the start), miss distance (km), the
    second's position relative to the first in the first's radial / in-track / cross-track
    axes (km), relative speed (km/s), and both TEME states at TCA."""

    first: NDArray[np.int64]
    secondary: NDArray[np.int64]
    tca_s: NDArray[np.float64]
    miss_km: NDArray[np.float64]
    rtn_km: NDArray[np.float64]
    rel_speed_km_s: NDArray[np.float64]
    r1_km: NDArray[np.float64]
    v1_km_s: NDArray[np.float64]
    r2_km: NDArray[np.float64]
    v2_km_s: NDArray[np.float64]

    def __len__(self) -> int:
        return int(self.secondary.size)


@dataclass(frozen=True)
class ScreeningStats:
    """What each stage kept (for the report and the benchmark)."""

    catalog: int
    after_band_filter: int
    step_s: float
    samples: int
    intervals_kept: int
    events: int
    failed: dict[int, str]
    coincident: frozenset[tuple[int, int]] = frozenset()
    """Pairs of catalog indices (first < second; -1: the primary) that share one place through
    an interval: one object listed twice, not an approach."""

    @property
    def coincident_pairs(self) -> int:
        """How many pairs of objects share one place (each pair once, however many intervals
        or parts of a screening found it)."""
        return len(self.coincident)


@dataclass(frozen=True)
class Screening:
    """Events and the cascade's figures."""

    approaches: Approaches
    stats: ScreeningStats


def radial_bands_km(
    objects: Sequence[ElementSet], start_jd_utc: tuple[float, float], duration_s: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Lowest perigee and highest apogee radius (km) of each object over the span, widened by
    :data:`BAND_PAD_KM`: SGP4's own osculating orbit at the start and at the end of the span
    (drag only lowers an orbit, so the span's radii lie between those of its ends, give or
    take the short-periodic terms the pad covers). An object SGP4 cannot propagate at an end
    gets an unbounded band: the scan decides."""
    n = len(objects)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    jd0, fr0 = start_jd_utc
    ends = np.array([fr0, fr0 + duration_s / DAY_S])
    res = propagate_sgp4_jd(list(objects), jd0, ends, backend="sgp4")
    r = np.linalg.norm(res.r_teme_km, axis=2)
    v2 = np.einsum("mnk,mnk->mn", res.v_teme_km_s, res.v_teme_km_s)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = 1.0 / (2.0 / r - v2 / MU_KM3_S2)  # vis-viva
        h = np.linalg.norm(np.cross(res.r_teme_km, res.v_teme_km_s), axis=2)
        e = np.sqrt(np.maximum(1.0 - h * h / (MU_KM3_S2 * a), 0.0))
        perigee = a * (1.0 - e)
        apogee = a * (1.0 + e)
    with warnings.catch_warnings():  # an object SGP4 cannot propagate at all is all-NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        q = np.nanmin(np.where(a > 0, perigee, np.nan), axis=1) - BAND_PAD_KM
        big_q = np.nanmax(np.where(a > 0, apogee, np.nan), axis=1) + BAND_PAD_KM
    unknown = ~(np.isfinite(q) & np.isfinite(big_q)) | (res.errors != 0).any(axis=1)
    q[unknown] = 0.0
    big_q[unknown] = np.inf
    return q, big_q


def band_overlap(
    q1: float,
    big_q1: float,
    q: NDArray[np.float64],
    big_q: NDArray[np.float64],
    threshold_km: float,
) -> NDArray[np.bool_]:
    """Hoots et al.'s apogee/perigee filter: True where the bands come within the threshold."""
    return (np.maximum(q1, q) - np.minimum(big_q1, big_q)) <= threshold_km


def kept_intervals(
    d_km: NDArray[np.float64], dv_km_s: NDArray[np.float64], step_s: float, threshold_km: float
) -> NDArray[np.bool_]:
    """Intervals (..., N-1) whose proven lower bound on the distance is under the threshold
    (module docstring, stage 2), from distances and relative speeds (..., N) on the grid."""
    vb = np.maximum(dv_km_s[..., :-1], dv_km_s[..., 1:]) + A_MAX_KM_S2 * step_s / 2.0
    bound = 0.5 * (d_km[..., :-1] + d_km[..., 1:] - vb * step_s)
    with np.errstate(invalid="ignore"):
        return bound < threshold_km


def _hermite(
    p0: NDArray[np.float64],
    v0: NDArray[np.float64],
    p1: NDArray[np.float64],
    v1: NDArray[np.float64],
    h: float,
    s: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Cubic Hermite interpolant of (K, 3) end values at fractions ``s`` (S,): (K, S, 3)."""
    s2, s3 = s * s, s * s * s
    h00 = 2 * s3 - 3 * s2 + 1
    h10 = s3 - 2 * s2 + s
    h01 = -2 * s3 + 3 * s2
    h11 = s3 - s2
    return (
        h00[None, :, None] * p0[:, None, :]
        + h10[None, :, None] * (h * v0)[:, None, :]
        + h01[None, :, None] * p1[:, None, :]
        + h11[None, :, None] * (h * v1)[:, None, :]
    )


def _hermite_at(
    p0: NDArray[np.float64],
    v0: NDArray[np.float64],
    p1: NDArray[np.float64],
    v1: NDArray[np.float64],
    h: float,
    s: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """The Hermite interpolant and its first two derivatives in ``s`` at one fraction per row
    (K,): each (K, 3)."""
    s = s[:, None]
    s2, s3 = s * s, s * s * s
    m0, m1 = h * v0, h * v1
    p = (2 * s3 - 3 * s2 + 1) * p0 + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * p1
    p += (s3 - s2) * m1
    dp = (6 * s2 - 6 * s) * p0 + (3 * s2 - 4 * s + 1) * m0 + (-6 * s2 + 6 * s) * p1
    dp += (3 * s2 - 2 * s) * m1
    ddp = (12 * s - 6) * p0 + (6 * s - 4) * m0 + (-12 * s + 6) * p1 + (6 * s - 2) * m1
    return p, dp, ddp


def _closest_fraction(
    p0: NDArray[np.float64],
    v0: NDArray[np.float64],
    p1: NDArray[np.float64],
    v1: NDArray[np.float64],
    h: float,
    s0: NDArray[np.float64],
    iterations: int = 6,
) -> NDArray[np.float64]:
    """The fraction of the interval where the interpolant is closest to the origin: Newton's
    method on ``p . p'`` from ``s0`` (the best grid point), kept inside [0, 1]."""
    s = s0.astype(float).copy()
    for _ in range(iterations):
        p, dp, ddp = _hermite_at(p0, v0, p1, v1, h, s)
        f = np.einsum("kj,kj->k", p, dp)
        df = np.einsum("kj,kj->k", dp, dp) + np.einsum("kj,kj->k", p, ddp)
        step = np.where(df > 0, f / np.where(df > 0, df, 1.0), 0.0)
        s = np.clip(s - step, 0.0, 1.0)
    return s


def rtn_components(
    r1: NDArray[np.float64], v1: NDArray[np.float64], dr: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``dr`` (K, 3) in the radial / in-track / cross-track axes of the object at r1, v1."""
    rhat = r1 / np.linalg.norm(r1, axis=-1, keepdims=True)
    w = np.cross(r1, v1)
    nhat = w / np.linalg.norm(w, axis=-1, keepdims=True)
    that = np.cross(nhat, rhat)
    return np.stack([np.sum(dr * rhat, -1), np.sum(dr * that, -1), np.sum(dr * nhat, -1)], axis=-1)


class _Pair:
    """Exact SGP4 relative state of two objects at a time (s from the start)."""

    def __init__(self, a: ElementSet, b: ElementSet, jd0: float, fr0: float) -> None:
        self.sats = (a.satrec, b.satrec)
        self.jd0, self.fr0 = jd0, fr0

    def states(
        self, t_s: float
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        fr = self.fr0 + t_s / DAY_S
        out = []
        for sat in self.sats:
            err, r, v = sat.sgp4(self.jd0, fr)
            if err:
                raise ValueError(f"SGP4 error {err}")
            out.append((np.asarray(r, float), np.asarray(v, float)))
        return out[0][0], out[0][1], out[1][0], out[1][1]

    def range_rate(self, t_s: float) -> float:
        r1, v1, r2, v2 = self.states(t_s)
        dr, dv = r2 - r1, v2 - v1
        return float(dr @ dv / max(float(np.linalg.norm(dr)), 1e-12))


def screen(
    primary: ElementSet,
    catalog: Sequence[ElementSet],
    start_jd_utc: tuple[float, float],
    duration_s: float,
    threshold_km: float,
    step_s: float = DEFAULT_STEP_S,
    backend: Backend = "auto",
    max_object_epochs: int = MAX_OBJECT_EPOCHS,
) -> Screening:
    """Every approach of ``primary`` and the objects of ``catalog`` closer than
    ``threshold_km`` in [start, start + duration_s] (module docstring). The primary itself
    (same catalog number) is skipped; objects whose SGP4 fails in the span are left out and
    listed in ``stats.failed`` with SGP4's reason."""
    if threshold_km <= 0 or duration_s <= 0 or step_s <= 0:
        raise ValueError("threshold, duration and step must be positive")
    jd0, fr0 = float(start_jd_utc[0]), float(start_jd_utc[1])
    others = [i for i, el in enumerate(catalog) if el.catalog_number != primary.catalog_number]
    q1, big_q1 = (x[0] for x in radial_bands_km([primary], (jd0, fr0), duration_s))
    q, big_q = radial_bands_km([catalog[i] for i in others], (jd0, fr0), duration_s)
    keep = band_overlap(q1, big_q1, q, big_q, threshold_km)
    candidates = [others[i] for i in np.nonzero(keep)[0]]
    n = int(np.ceil(duration_s / step_s)) + 1
    t_s = np.minimum(np.arange(n) * step_s, duration_s)
    fr = fr0 + t_s / DAY_S
    prim = propagate_sgp4_jd(primary, jd0, fr, backend="sgp4")
    if prim.errors.any():
        raise ValueError(
            f"the primary {primary.catalog_number} fails to propagate in the span: "
            f"{prim.reason(0, int(np.nonzero(prim.errors[0])[0][0]))}"
        )
    rp, vp = prim.r_teme_km[0], prim.v_teme_km_s[0]
    per_chunk = max(1, max_object_epochs // n)
    found: list[_Event] = []
    failed: dict[int, str] = {}
    kept_total = 0
    coincident: set[tuple[int, int]] = set()
    for lo in range(0, len(candidates), per_chunk):
        idx = candidates[lo : lo + per_chunk]
        res = propagate_sgp4_jd([catalog[i] for i in idx], jd0, fr, backend=backend)
        for j, reason in res.failures().items():
            failed[catalog[idx[j]].catalog_number] = reason
        dr = res.r_teme_km - rp[None]
        dv = res.v_teme_km_s - vp[None]
        d = np.sqrt(np.einsum("mnk,mnk->mn", dr, dr))
        speed = np.sqrt(np.einsum("mnk,mnk->mn", dv, dv))
        kept = kept_intervals(d, speed, step_s, threshold_km)
        bad = np.isnan(d[:, :-1]) | np.isnan(d[:, 1:])
        kept &= ~bad
        obj, k = np.nonzero(kept)
        kept_total += int(obj.size)
        if obj.size == 0:
            continue
        kept_here = _Intervals(
            firsts=[primary] * int(obj.size),
            seconds=[catalog[idx[o]] for o in obj],
            first_index=[-1] * int(obj.size),
            second_index=[idx[o] for o in obj],
            dr0=dr[obj, k],
            dv0=dv[obj, k],
            dr1=dr[obj, k + 1],
            dv1=dv[obj, k + 1],
            t0_s=t_s[k],
            h_s=np.diff(t_s)[k],
        )
        same = _coincident(kept_here.dr0, kept_here.dr1)
        coincident.update((-1, kept_here.second_index[int(x)]) for x in np.nonzero(same)[0])
        found += _refine(kept_here, (jd0, fr0), duration_s, threshold_km)
    approaches = _collect(found)
    stats = ScreeningStats(
        catalog=len(catalog),
        after_band_filter=len(candidates),
        step_s=step_s,
        samples=n,
        intervals_kept=kept_total,
        events=len(approaches),
        failed=failed,
        coincident=frozenset(coincident),
    )
    return Screening(approaches, stats)


@dataclass(frozen=True)
class _Event:
    """One approach found: catalog indices of both objects (-1: the primary), TCA (s) and
    both TEME states there."""

    first: int
    second: int
    tca_s: float
    r1: NDArray[np.float64]
    v1: NDArray[np.float64]
    r2: NDArray[np.float64]
    v2: NDArray[np.float64]

    @property
    def miss_km(self) -> float:
        return float(np.linalg.norm(self.r2 - self.r1))


@dataclass(frozen=True)
class _Intervals:
    """Kept intervals of object pairs: the objects, their catalog indices, the relative
    state (second minus first) at both ends, the start (s) and length (s) of each."""

    firsts: list[ElementSet]
    seconds: list[ElementSet]
    first_index: list[int]
    second_index: list[int]
    dr0: NDArray[np.float64]
    dv0: NDArray[np.float64]
    dr1: NDArray[np.float64]
    dv1: NDArray[np.float64]
    t0_s: NDArray[np.float64]
    h_s: NDArray[np.float64]


def hull_lower_bound_km(
    dr0: NDArray[np.float64],
    dv0: NDArray[np.float64],
    dr1: NDArray[np.float64],
    dv1: NDArray[np.float64],
    h_s: float,
) -> NDArray[np.float64]:
    """A lower bound on the closest distance (km) of each interval's cubic Hermite relative
    path, in O(1) per interval: the cubic is the Bezier curve of control points ``P0 = dr0``,
    ``P1 = dr0 + h dv0 / 3``, ``P2 = dr1 - h dv1 / 3``, ``P3 = dr1`` and lies in their convex
    hull (Farin, "Curves and Surfaces for CAGD", 5th ed., 2002, ch. 4), so no point of it is
    nearer the origin than the smallest projection of the control points on any unit vector
    ``u``; ``u`` is the direction of ``P0 + P3``. An interval whose bound exceeds the threshold
    plus the interpolant's error bound cannot hold an approach under the threshold, and its
    fine search is skipped. (May be negative, meaning no information.)"""
    p1 = dr0 + dv0 * (h_s / 3.0)
    p2 = dr1 - dv1 * (h_s / 3.0)
    mid = dr0 + dr1
    norm = np.linalg.norm(mid, axis=-1, keepdims=True)
    u = np.divide(mid, norm, out=np.zeros_like(mid), where=norm > 0.0)
    proj = np.stack(
        [np.einsum("...k,...k->...", u, p) for p in (dr0, p1, p2, dr1)],
        axis=-1,
    )
    out: NDArray[np.float64] = proj.min(axis=-1)
    return out


def _refine(
    kept: _Intervals, start: tuple[float, float], end_s: float, threshold_km: float
) -> list[_Event]:
    """TCA of each kept interval (module docstring, stage 3); approaches under the threshold.
    ``end_s``: the end of the span (s from the start)."""
    s = np.linspace(0.0, 1.0, FINE_SAMPLES + 1)
    out = []
    apart = ~_coincident(kept.dr0, kept.dr1)
    for h in np.unique(kept.h_s):  # intervals share the step but the last
        margin = max(1.0, 2.0 * float(h) ** 4 * SNAP_MAX_KM_S4 / 384.0)
        same_step = kept.h_s == h
        near = hull_lower_bound_km(
            kept.dr0[same_step], kept.dv0[same_step], kept.dr1[same_step], kept.dv1[same_step], h
        ) < (threshold_km + margin)
        passing = np.zeros_like(apart)
        passing[np.nonzero(same_step)[0][near]] = True
        sel = np.nonzero(passing & apart)[0]
        ends = (kept.dr0[sel], kept.dv0[sel], kept.dr1[sel], kept.dv1[sel], float(h))
        rel = _hermite(*ends, s)
        dist = np.sqrt(np.einsum("ksj,ksj->ks", rel, rel))
        s_min = _closest_fraction(*ends, s[np.argmin(dist, axis=1)])
        dmin = np.linalg.norm(_hermite_at(*ends, s_min)[0], axis=1)
        best = np.clip(np.rint(s_min * FINE_SAMPLES).astype(int), 0, FINE_SAMPLES)
        for j in np.nonzero(dmin < threshold_km + margin)[0]:
            i = int(sel[j])
            pair = _Pair(kept.firsts[i], kept.seconds[i], *start)
            t0 = float(kept.t0_s[i])
            a = t0 + float(h) * float(s[max(best[j] - 1, 0)])
            b = t0 + float(h) * float(s[min(best[j] + 1, FINE_SAMPLES)])
            try:
                tca = _tca(pair, a, b, t0, t0 + float(h), end_s)
                if tca is None:
                    continue
                r1, v1, r2, v2 = pair.states(tca)
            except ValueError:  # SGP4 failed for one of the two at that time
                continue
            if float(np.linalg.norm(r2 - r1)) < threshold_km:
                out.append(_Event(kept.first_index[i], kept.second_index[i], tca, r1, v1, r2, v2))
    return out


COINCIDENT_KM = 1e-3
"""Two objects closer than this (km) at both ends of an interval are one object listed twice
(a vehicle docked to a station is often given the station's element set), not an approach."""


def _coincident(dr0: NDArray[np.float64], dr1: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Intervals whose two objects are at the same place at both ends."""
    d0 = np.linalg.norm(dr0, axis=-1)
    d1 = np.linalg.norm(dr1, axis=-1)
    same: NDArray[np.bool_] = (d0 < COINCIDENT_KM) & (d1 < COINCIDENT_KM)
    return same


def _tca(pair: _Pair, a: float, b: float, lo: float, hi: float, end_s: float) -> float | None:
    """The root of the range-rate in [a, b] (around the interpolant's closest point), else in
    the whole interval [lo, hi]. With no sign change there the distance only falls or rises
    through the interval: its minimum is at an end, which is an approach only at the start or
    the end of the span (``end_s``); inside the span the neighbouring interval holds it."""
    for x, y in ((a, b), (lo, hi)):
        fx, fy = pair.range_rate(x), pair.range_rate(y)
        if fx <= 0.0 <= fy:
            if fx == 0.0:
                return x
            if fy == 0.0:
                return y
            return float(brentq(pair.range_rate, x, y, xtol=1e-4))
    if lo == 0.0 and pair.range_rate(lo) > 0.0:
        return lo
    if hi >= end_s and pair.range_rate(hi) < 0.0:
        return hi
    return None


def pair_distance(pair: _Pair, t_s: float) -> float:
    """Exact SGP4 distance of a pair at ``t_s`` (km)."""
    r1, _, r2, _ = pair.states(t_s)
    return float(np.linalg.norm(r2 - r1))


def _collect(found: list[_Event]) -> Approaches:
    """Events in time order, one per pair and TCA (adjacent intervals can find the same
    minimum: kept once, within 1 s, the closer of the two)."""
    found = sorted(found, key=lambda e: (e.first, e.second, e.tca_s))
    unique: list[_Event] = []
    for e in found:
        last = unique[-1] if unique else None
        if last and (last.first, last.second) == (e.first, e.second) and e.tca_s - last.tca_s < 1:
            if e.miss_km < last.miss_km:
                unique[-1] = e
            continue
        unique.append(e)
    unique.sort(key=lambda e: (e.tca_s, e.first, e.second))
    k = len(unique)

    def stack(name: str) -> NDArray[np.float64]:
        return np.array([getattr(e, name) for e in unique], dtype=float).reshape(k, 3)

    r1, v1, r2, v2 = stack("r1"), stack("v1"), stack("r2"), stack("v2")
    dr = r2 - r1
    return Approaches(
        first=np.array([e.first for e in unique], dtype=np.int64),
        secondary=np.array([e.second for e in unique], dtype=np.int64),
        tca_s=np.array([e.tca_s for e in unique], dtype=float),
        miss_km=np.linalg.norm(dr, axis=1),
        rtn_km=rtn_components(r1, v1, dr) if k else np.zeros((0, 3)),
        rel_speed_km_s=np.linalg.norm(v2 - v1, axis=1),
        r1_km=r1,
        v1_km_s=v1,
        r2_km=r2,
        v2_km_s=v2,
    )


ALL_VS_ALL_STEP_S = 20.0
"""Scan step of an all-vs-all screening (s): each sample's neighbour search reaches the
threshold plus half a step at twice the fastest object's speed (about 165 km in LEO)."""


def screen_all(
    catalog: Sequence[ElementSet],
    start_jd_utc: tuple[float, float],
    duration_s: float,
    threshold_km: float,
    step_s: float = ALL_VS_ALL_STEP_S,
    backend: Backend = "auto",
    max_object_epochs: int = MAX_OBJECT_EPOCHS,
    intervals: tuple[int, int] | None = None,
) -> Screening:
    """Every approach closer than ``threshold_km`` between any two objects of ``catalog``
    (all-vs-all), with a k-d tree (:class:`scipy.spatial.cKDTree`) at each sample instead of
    every pair. An interval the bound of stage 2 keeps has an end where the two are closer
    than ``threshold + vb h / 2`` with ``vb <= 2 v_max + a_max h / 2`` (``v_max`` the fastest
    object of the sample block), so the pairs within that radius at either end are all the
    candidates; each is then bounded and refined as in :func:`screen`. ``intervals`` limits
    the scan to the grid intervals [i0, i1) (to split the work over time)."""
    from scipy.spatial import cKDTree

    if threshold_km <= 0 or duration_s <= 0 or step_s <= 0:
        raise ValueError("threshold, duration and step must be positive")
    jd0, fr0 = float(start_jd_utc[0]), float(start_jd_utc[1])
    m = len(catalog)
    n = int(np.ceil(duration_s / step_s)) + 1
    t_s = np.minimum(np.arange(n) * step_s, duration_s)
    i0, i1 = intervals if intervals is not None else (0, n - 1)
    block = max(2, min(i1 - i0 + 1, max_object_epochs // max(m, 1)))
    found: list[_Event] = []
    failed: dict[int, str] = {}
    kept_total = 0
    coincident: set[tuple[int, int]] = set()
    b0 = i0
    while b0 < i1:
        ks = np.arange(b0, min(b0 + block, i1 + 1))
        res = propagate_sgp4_jd(list(catalog), jd0, fr0 + t_s[ks] / DAY_S, backend=backend)
        for bad, reason in res.failures().items():
            failed[catalog[bad].catalog_number] = reason
        r, v = res.r_teme_km, res.v_teme_km_s
        speed = np.sqrt(np.einsum("mbk,mbk->mb", v, v))
        h = float(step_s)
        v_max = float(np.nanmax(speed)) if np.isfinite(speed).any() else 0.0
        radius = threshold_km + (2.0 * v_max + A_MAX_KM_S2 * h / 2.0) * h / 2.0
        near = [_pairs_within(cKDTree, r[:, b], radius, m) for b in range(ks.size)]
        for b in range(ks.size - 1):
            codes = np.union1d(near[b], near[b + 1])
            if codes.size == 0:
                continue
            i, j = np.divmod(codes, m)
            dr0, dr1 = r[j, b] - r[i, b], r[j, b + 1] - r[i, b + 1]
            dv0, dv1 = v[j, b] - v[i, b], v[j, b + 1] - v[i, b + 1]
            d = np.stack([np.linalg.norm(dr0, axis=1), np.linalg.norm(dr1, axis=1)], axis=1)
            sp = np.stack([np.linalg.norm(dv0, axis=1), np.linalg.norm(dv1, axis=1)], axis=1)
            hk = float(t_s[ks[b] + 1] - t_s[ks[b]])
            keep = kept_intervals(d, sp, hk, threshold_km)[:, 0]
            same = _coincident(dr0, dr1)
            coincident.update(zip(i[same].tolist(), j[same].tolist(), strict=True))
            sel = np.nonzero(keep & ~same)[0]
            kept_total += int(sel.size)
            if sel.size == 0:
                continue
            found += _refine(
                _Intervals(
                    firsts=[catalog[int(x)] for x in i[sel]],
                    seconds=[catalog[int(x)] for x in j[sel]],
                    first_index=[int(x) for x in i[sel]],
                    second_index=[int(x) for x in j[sel]],
                    dr0=dr0[sel],
                    dv0=dv0[sel],
                    dr1=dr1[sel],
                    dv1=dv1[sel],
                    t0_s=np.full(sel.size, t_s[ks[b]]),
                    h_s=np.full(sel.size, hk),
                ),
                (jd0, fr0),
                duration_s,
                threshold_km,
            )
        b0 = int(ks[-1])
    approaches = _collect(found)
    stats = ScreeningStats(
        catalog=m,
        after_band_filter=m,
        step_s=step_s,
        samples=i1 - i0 + 1,
        intervals_kept=kept_total,
        events=len(approaches),
        failed=failed,
        coincident=frozenset(coincident),
    )
    return Screening(approaches, stats)


def _pairs_within(
    tree_type: Any, positions: NDArray[np.float64], radius_km: float, m: int
) -> NDArray[np.int64]:
    """Pairs (i < j) of objects closer than ``radius_km`` as codes ``i * m + j`` (sorted);
    objects without a position (SGP4 failed) take no part."""
    ok = np.nonzero(np.isfinite(positions).all(axis=1))[0]
    if ok.size < 2:
        return np.zeros(0, dtype=np.int64)
    pairs = tree_type(positions[ok]).query_pairs(radius_km, output_type="ndarray")
    if pairs.size == 0:
        return np.zeros(0, dtype=np.int64)
    a, b = ok[pairs[:, 0]], ok[pairs[:, 1]]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return np.unique(lo.astype(np.int64) * m + hi)


def merge_screenings(parts: Sequence[Screening], offsets: Sequence[int] | None = None) -> Screening:
    """One screening from parts screened apart (chunks of a catalog, with the catalog index of
    each chunk's first object in ``offsets``; or spans of time, ``offsets`` None): events
    shifted to catalog indices, the same approach found by two parts kept once, figures
    summed."""
    events: list[_Event] = []
    failed: dict[int, str] = {}
    for k, part in enumerate(parts):
        shift = offsets[k] if offsets is not None else 0
        a = part.approaches
        for i in range(len(a)):
            one = int(a.first[i])
            events.append(
                _Event(
                    one if one < 0 else one + shift,
                    int(a.secondary[i]) + shift,
                    float(a.tca_s[i]),
                    a.r1_km[i],
                    a.v1_km_s[i],
                    a.r2_km[i],
                    a.v2_km_s[i],
                )
            )
        failed.update(part.stats.failed)
    approaches = _collect(events)
    by_objects = offsets is not None
    shifts = list(offsets) if offsets is not None else [0] * len(parts)
    head = parts[0].stats if parts else ScreeningStats(0, 0, 0.0, 0, 0, 0, {})
    stats = ScreeningStats(
        catalog=sum(p.stats.catalog for p in parts) if by_objects else head.catalog,
        after_band_filter=(
            sum(p.stats.after_band_filter for p in parts) if by_objects else head.after_band_filter
        ),
        step_s=head.step_s,
        samples=head.samples if by_objects else sum(p.stats.samples for p in parts),
        intervals_kept=sum(p.stats.intervals_kept for p in parts),
        events=len(approaches),
        failed=failed,
        coincident=frozenset(
            (a if a < 0 else a + shift, b + shift)
            for part, shift in zip(parts, shifts, strict=True)
            for a, b in part.stats.coincident
        ),
    )
    return Screening(approaches, stats)
