"""Conjunction screening: every approach of a primary and a catalog closer than a threshold
over a span, that a scan cannot miss, with its time of closest approach (TCA).

The cascade (after Hoots, Crawford and Roehrich 1984, "An analytic method to determine future
close approaches between satellites", Celestial Mechanics 33, 143-158):

1. **Apogee/perigee filter** (Hoots et al.'s first filter): two objects whose radial bands do
   not come within the threshold cannot meet. The band of an object is its mean perigee and
   apogee radius (SGP4's mean elements) widened by :data:`BAND_PAD_KM` for the short-periodic
   terms (the J2 radial oscillation is about 10 km in LEO) and by the decay its element set's
   mean-motion rate gives between the epoch and the end of the span (with a factor 2 and at
   least 2 km, since drag varies).
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
   ``h^4 |r''''| / 384``, under a metre for 60 s in LEO); its closest point is found on a fine
   grid of the interval and then the exact SGP4 range-rate ``rho . drho / |rho|`` is driven to
   zero by Brent's method (:func:`scipy.optimize.brentq`) in a bracket around it. Approaches
   still under the threshold at their TCA are the events.

Pure functions on numpy arrays; times are seconds from a UTC Julian date split into whole and
fraction, as SGP4 takes them (AIAA 2006-6753). Positions are TEME (km), speeds km/s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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

DEFAULT_STEP_S = 300.0
"""Default scan step (s). Any step is complete (the bound of stage 2); this one balances the
propagation (fewer samples) against the intervals kept (a pad of up to about 2,300 km) and
the interpolant's error (under 0.3 km per object)."""

MAX_OBJECT_EPOCHS = 2_000_000
"""Object-epochs propagated at once (about 100 bytes each): memory stays bounded."""

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
    """K close approaches: the secondary's index in the catalog, TCA (s from the start), miss
    distance (km), the secondary's position relative to the primary in the primary's radial /
    in-track / cross-track axes (km), relative speed (km/s), and both TEME states at TCA."""

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


@dataclass(frozen=True)
class Screening:
    """Events and the cascade's figures."""

    approaches: Approaches
    stats: ScreeningStats


def radial_bands_km(
    objects: Sequence[ElementSet], end_jd_utc: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Perigee and apogee radius (km) of each object until ``end_jd_utc``, widened as the
    module docstring says (:data:`BAND_PAD_KM`, decay from the mean-motion rate)."""
    n = len(objects)
    q = np.empty(n)
    big_q = np.empty(n)
    for i, el in enumerate(objects):
        s = el.satrec
        a_km = float(s.a) * float(s.radiusearthkm)
        q[i] = (1.0 + float(s.altp)) * float(s.radiusearthkm)
        big_q[i] = (1.0 + float(s.alta)) * float(s.radiusearthkm)
        days = max(end_jd_utc - el.epoch_jd_utc, 0.0) * 1.0
        no_rad_min = float(s.no_kozai)
        ndot = abs(float(s.ndot))  # rad/min^2
        # da/a = -(2/3) dn/n over the span; doubled, at least 2 km
        dn = ndot * (days * 1440.0)
        decay = 2.0 * (2.0 / 3.0) * a_km * dn / max(no_rad_min, 1e-12)
        q[i] -= max(decay, 2.0)
    return q - BAND_PAD_KM, big_q + BAND_PAD_KM


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
    end_jd = jd0 + fr0 + duration_s / DAY_S
    others = [i for i, el in enumerate(catalog) if el.catalog_number != primary.catalog_number]
    q1, big_q1 = (x[0] for x in radial_bands_km([primary], end_jd))
    q, big_q = radial_bands_km([catalog[i] for i in others], end_jd)
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
    found: list[
        tuple[
            int,
            float,
            NDArray[np.float64],
            NDArray[np.float64],
            NDArray[np.float64],
            NDArray[np.float64],
        ]
    ] = []
    failed: dict[int, str] = {}
    kept_total = 0
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
        h = np.diff(t_s)[k]
        found += _refine(
            primary,
            [catalog[idx[o]] for o in obj],
            [idx[o] for o in obj],
            dr[obj, k],
            dv[obj, k],
            dr[obj, k + 1],
            dv[obj, k + 1],
            t_s[k],
            h,
            (jd0, fr0),
            threshold_km,
        )
    approaches = _collect(found)
    stats = ScreeningStats(
        catalog=len(catalog),
        after_band_filter=len(candidates),
        step_s=step_s,
        samples=n,
        intervals_kept=kept_total,
        events=len(approaches),
        failed=failed,
    )
    return Screening(approaches, stats)


def _refine(
    primary: ElementSet,
    secondaries: list[ElementSet],
    indices: list[int],
    dr0: NDArray[np.float64],
    dv0: NDArray[np.float64],
    dr1: NDArray[np.float64],
    dv1: NDArray[np.float64],
    t0_s: NDArray[np.float64],
    h_s: NDArray[np.float64],
    start: tuple[float, float],
    threshold_km: float,
) -> list[
    tuple[
        int,
        float,
        NDArray[np.float64],
        NDArray[np.float64],
        NDArray[np.float64],
        NDArray[np.float64],
    ]
]:
    """TCA of each kept interval (module docstring, stage 3); approaches under the threshold."""
    s = np.linspace(0.0, 1.0, FINE_SAMPLES + 1)
    out = []
    # Hermite on relative states, per interval length (intervals share the step but the last)
    for h in np.unique(h_s):
        sel = np.nonzero(h_s == h)[0]
        rel = _hermite(dr0[sel], dv0[sel], dr1[sel], dv1[sel], float(h), s)
        dist = np.sqrt(np.einsum("ksj,ksj->ks", rel, rel))
        s_min = _closest_fraction(
            dr0[sel], dv0[sel], dr1[sel], dv1[sel], float(h), s[np.argmin(dist, axis=1)]
        )
        at = _hermite_at(dr0[sel], dv0[sel], dr1[sel], dv1[sel], float(h), s_min)[0]
        dmin = np.linalg.norm(at, axis=1)
        best = np.clip(np.rint(s_min * FINE_SAMPLES).astype(int), 0, FINE_SAMPLES)
        margin = max(1.0, 2.0 * float(h) ** 4 * SNAP_MAX_KM_S4 / 384.0)
        for j in np.nonzero(dmin < threshold_km + margin)[0]:
            i = int(sel[j])
            pair = _Pair(primary, secondaries[i], *start)
            a = float(t0_s[i] + h * s[max(best[j] - 1, 0)])
            b = float(t0_s[i] + h * s[min(best[j] + 1, FINE_SAMPLES)])
            try:
                tca = _tca(pair, a, b, float(t0_s[i]), float(t0_s[i] + h))
                r1, v1, r2, v2 = pair.states(tca)
            except ValueError:  # SGP4 failed for one of the two at that time
                continue
            if float(np.linalg.norm(r2 - r1)) < threshold_km:
                out.append((indices[i], tca, r1, v1, r2, v2))
    return out


def _tca(pair: _Pair, a: float, b: float, lo: float, hi: float) -> float:
    """The root of the range-rate in [a, b] (around the interpolant's closest point), else in
    the whole interval [lo, hi]; with no sign change there, the nearer end of the interval
    (the minimum lies in the neighbouring interval, which finds it)."""
    for x, y in ((a, b), (lo, hi)):
        fx, fy = pair.range_rate(x), pair.range_rate(y)
        if fx <= 0.0 <= fy:
            if fx == 0.0:
                return x
            if fy == 0.0:
                return y
            return float(brentq(pair.range_rate, x, y, xtol=1e-4))
    return lo if pair_distance(pair, lo) < pair_distance(pair, hi) else hi


def pair_distance(pair: _Pair, t_s: float) -> float:
    """Exact SGP4 distance of a pair at ``t_s`` (km)."""
    r1, _, r2, _ = pair.states(t_s)
    return float(np.linalg.norm(r2 - r1))


def _miss(
    e: tuple[
        int,
        float,
        NDArray[np.float64],
        NDArray[np.float64],
        NDArray[np.float64],
        NDArray[np.float64],
    ],
) -> float:
    return float(np.linalg.norm(e[4] - e[2]))


def _collect(
    found: list[
        tuple[
            int,
            float,
            NDArray[np.float64],
            NDArray[np.float64],
            NDArray[np.float64],
            NDArray[np.float64],
        ]
    ],
) -> Approaches:
    """Events in time order, one per secondary and TCA (adjacent intervals can find the same
    minimum: kept once, within 1 s)."""
    found.sort(key=lambda e: (e[0], e[1]))
    unique: list[
        tuple[
            int,
            float,
            NDArray[np.float64],
            NDArray[np.float64],
            NDArray[np.float64],
            NDArray[np.float64],
        ]
    ] = []
    for e in found:
        if unique and unique[-1][0] == e[0] and abs(e[1] - unique[-1][1]) < 1.0:
            if _miss(e) < _miss(unique[-1]):
                unique[-1] = e
            continue
        unique.append(e)
    unique.sort(key=lambda e: (e[1], e[0]))
    k = len(unique)
    r1 = np.array([e[2] for e in unique]).reshape(k, 3)
    v1 = np.array([e[3] for e in unique]).reshape(k, 3)
    r2 = np.array([e[4] for e in unique]).reshape(k, 3)
    v2 = np.array([e[5] for e in unique]).reshape(k, 3)
    dr = r2 - r1
    return Approaches(
        secondary=np.array([e[0] for e in unique], dtype=np.int64),
        tca_s=np.array([e[1] for e in unique], dtype=float),
        miss_km=np.linalg.norm(dr, axis=1),
        rtn_km=rtn_components(r1, v1, dr) if k else np.zeros((0, 3)),
        rel_speed_km_s=np.linalg.norm(v2 - v1, axis=1),
        r1_km=r1,
        v1_km_s=v1,
        r2_km=r2,
        v2_km_s=v2,
    )
