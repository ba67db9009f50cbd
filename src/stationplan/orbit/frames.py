"""Frames: TEME -> GCRS and TEME -> ITRS, WGS84 geodetic coordinates, the Sun's position.

The rotations come from Skyfield (IAU 2000/2006 precession-nutation, IERS polar motion and UT1
from its built-in tables). Evaluating them at every epoch of a year at 60 s is slow, so we
factor out the fast part and interpolate only what is slow:

* TEME -> ITRS = Q(t) R3(GMST82(t)): the Earth's rotation R3 is computed exactly at every
  epoch (GMST 1982 of UT1, Vallado 2006 eq. 3-45), while Q (polar motion and the difference
  between Skyfield's full model and GMST82) changes by nanoradians per hour and is taken from
  Skyfield at 6-hourly nodes and interpolated linearly.
* TEME -> GCRS (precession, nutation, equation of the equinoxes) is likewise interpolated from
  6-hourly Skyfield nodes.
* The Sun (DE421, geocentric) is interpolated linearly between hourly nodes, in GCRS and in
  TEME of date.

Every function here is a pure function of the epoch: the nodes lie on one fixed global grid
(node k at k steps of TT since J2000), each epoch is interpolated from the two nodes around
it only, and a node is computed once by Skyfield and cached. So a value does not depend on
which other epochs share the array (event searches rely on this: they compare states
computed in different batches). The caches keep at most :data:`NODE_CACHE_MAX` nodes each.

The interpolation error is below 4 mm at LEO (tests compare with Skyfield's ``EarthSatellite``
at every epoch). Geodetic coordinates use WGS84 and Bowring's method, vectorised.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

import numpy as np
from numpy.typing import NDArray
from skyfield.framelib import itrs
from skyfield.sgp4lib import TEME
from skyfield.timelib import Time

from stationplan.orbit.constants import R_EQ_KM, WGS84_E2, WGS84_F
from stationplan.orbit.timescale import DAY_S, ephemeris, timescale

NODE_STEP_S = 21600.0  # rotation nodes: 6 h keeps GCRS within 4 mm, ITRS within 1e-7 m
SUN_NODE_STEP_S = 3600.0  # Sun nodes: 1 h keeps its direction within 1e-7 rad
J2000_TT_JD = 2451545.0
GMST82_T0_JD = 2451545.0  # J2000 in UT1 Julian days, the epoch of GMST 1982
TAU = 2.0 * math.pi

Array = NDArray[np.float64]
NodeFunction = Callable[[NDArray[np.int64]], Array]
"""Node indices (K,) -> node values (K, W), computed exactly."""


def _tt_days(t: Time) -> Array:
    return np.atleast_1d(
        np.asarray(t.whole - J2000_TT_JD, float) + np.asarray(t.tt_fraction, float)
    )


# Node values on the global grids, computed once and kept (event searches call the frames
# thousands of times on a few epochs each). Keys: node index k (TT steps since J2000).
_NODE_CACHE: dict[int, Array] = {}  # 6-hourly: TEME->GCRS matrix and Q, 18 values
_SUN_GCRS_CACHE: dict[int, Array] = {}  # hourly: Sun in GCRS, km
_SUN_TEME_CACHE: dict[int, Array] = {}  # hourly: Sun in TEME of date, km
NODE_CACHE_MAX = 100_000
"""Nodes kept per cache (about 25 MB each; 100,000 hourly nodes span 11 years). When a cache
is full the oldest nodes are dropped; a dropped node is recomputed identically if needed."""


def clear_caches() -> None:
    """Forget every cached node (benchmarks use it to time a cold start)."""
    for cache in (_NODE_CACHE, _SUN_GCRS_CACHE, _SUN_TEME_CACHE):
        cache.clear()


def _cached_nodes(
    cache: dict[int, Array], index: NDArray[np.int64], compute: NodeFunction
) -> Array:
    """(len(index), W) node values, from ``cache`` or computed (and cached) when missing."""
    unique, inverse = np.unique(index, return_inverse=True)
    keys: list[int] = unique.tolist()
    # the rows of this request are gathered before anything is evicted: a full cache may drop
    # nodes this very request found cached
    found = {k: cache[k] for k in keys if k in cache}
    missing = [k for k in keys if k not in found]
    if missing:
        new = dict(zip(missing, compute(np.array(missing, dtype=np.int64)), strict=True))
        found.update(new)
        if len(missing) <= NODE_CACHE_MAX:  # one huge request uses its nodes and keeps none
            excess = len(cache) + len(missing) - NODE_CACHE_MAX
            if excess > 0:  # drop the oldest (dicts keep insertion order)
                for k in list(islice(cache, excess)):
                    del cache[k]
            cache.update(new)
    return np.stack([found[k] for k in keys])[inverse.ravel()]


def _interpolated_columns(
    days: Array,
    step_s: float,
    cache: dict[int, Array],
    compute: NodeFunction,
    part: slice = slice(None),
) -> Array:
    """Linear interpolation between the two global nodes around each epoch: (W, N) values of
    the node columns ``part``, one contiguous row per column (the form the vectorised
    arithmetic of the callers reads fastest).

    Only the nodes around the epochs are computed, never more than the span needs: epochs
    dense in their span (a grid) read one contiguous run of nodes and interpolate with
    per-node slopes; scattered epochs (a few over years) read just their two nodes each.
    """
    units = days * (DAY_S / step_s)
    k = np.floor(units)
    frac = units - k
    ki = k.astype(np.int64)
    if ki.size and np.isfinite(units).all():
        first, last = int(ki.min()), int(ki.max())
        if last - first + 2 <= max(2 * ki.size, 64):
            nodes = _cached_nodes(cache, np.arange(first, last + 2), compute)[:, part]
            table = np.ascontiguousarray(nodes.T)  # (W, K): one row per column
            slope = np.diff(table, axis=1)
            j = ki - first
            out = np.empty((table.shape[0], ki.size))
            for w in range(table.shape[0]):  # row by row: unit-stride gathers
                np.multiply(frac, slope[w][j], out=out[w])
                out[w] += table[w][j]
            return out
    rows = _cached_nodes(cache, np.concatenate([ki, ki + 1]), compute)[:, part]
    lo, hi = rows[: ki.size], rows[ki.size :]
    return np.ascontiguousarray((lo + frac[:, None] * (hi - lo)).T)


def _interpolated(
    days: Array,
    step_s: float,
    cache: dict[int, Array],
    compute: NodeFunction,
    part: slice = slice(None),
) -> Array:
    """:func:`_interpolated_columns` as (N, W) rows."""
    return np.ascontiguousarray(_interpolated_columns(days, step_s, cache, compute, part).T)


def _rotation_nodes(index: NDArray[np.int64]) -> Array:
    """(K, 18): TEME->GCRS matrix and Q = (TEME->ITRS) R3(GMST82)^T at 6-hourly nodes."""
    t = timescale().tt_jd(J2000_TT_JD, index * (NODE_STEP_S / DAY_S))
    gcrs_to_teme = np.asarray(TEME.rotation_at(t)).reshape(3, 3, -1)
    gcrs_to_itrs = np.asarray(itrs.rotation_at(t)).reshape(3, 3, -1)
    teme_to_gcrs = gcrs_to_teme.transpose(1, 0, 2)
    m = np.einsum("ijk,ljk->ilk", gcrs_to_itrs, gcrs_to_teme)  # ITRS <- GCRS <- TEME
    theta, _ = gmst82(t)
    q = np.einsum("ijk,klj->ilk", m, _r3(theta))  # M R3^T, R3 given as (K, 3, 3)
    return np.concatenate([teme_to_gcrs.reshape(9, -1), q.reshape(9, -1)]).T


def _rotations(t: Time, part: slice) -> Array:
    """(N, 3, 3) TEME->GCRS (``part=GCRS``) or Q (``part=Q``) matrices at each epoch of ``t``,
    interpolated linearly between the cached 6-hourly nodes around each epoch."""
    values = _interpolated(_tt_days(t), NODE_STEP_S, _NODE_CACHE, _rotation_nodes, part)
    return values.reshape(-1, 3, 3)


GCRS, Q = slice(0, 9), slice(9, 18)


def gmst82(t: Time) -> tuple[Array, Array]:
    """GMST 1982 (rad, reduced to one turn) and its rate (rad/s) at the epochs of ``t``.

    AIAA 2006-6753 Appendix C, the formula of Skyfield's ``theta_GMST1982`` (to which
    tests/orbit/test_frames_skyfield.py holds it) with one reduction to a turn instead of three: the
    angle only feeds sines and cosines, and the sum before the reduction stays within a few
    hundred turns, so no digit that matters is lost.
    """
    whole = np.atleast_1d(np.asarray(t.whole, float))
    fraction = np.atleast_1d(np.asarray(t.ut1_fraction, float))
    centuries = (whole - GMST82_T0_JD + fraction) / 36525.0
    g = 67310.54841 + (8640184.812866 + (0.093104 + (-6.2e-6) * centuries) * centuries) * centuries
    dg = 8640184.812866 + (0.093104 * 2.0 + (-6.2e-6 * 3.0) * centuries) * centuries
    theta = np.remainder(whole % 1.0 + fraction + g / DAY_S, 1.0) * TAU
    return theta, (1.0 + dg / (DAY_S * 36525.0)) * TAU / DAY_S


def _r3(theta: Array) -> Array:
    c, s = np.cos(theta), np.sin(theta)
    z, o = np.zeros_like(theta), np.ones_like(theta)
    return np.stack(
        [np.stack([c, s, z], -1), np.stack([-s, c, z], -1), np.stack([z, z, o], -1)], -2
    )


def _r3_dot(theta: Array, rate: Array) -> Array:
    c, s = np.cos(theta), np.sin(theta)
    z = np.zeros_like(theta)
    m = np.stack([np.stack([-s, c, z], -1), np.stack([-c, -s, z], -1), np.stack([z, z, z], -1)], -2)
    return m * rate[:, None, None]


def teme_to_gcrs_matrices(t: Time) -> Array:
    """(N, 3, 3) rotations taking TEME vectors to GCRS at each epoch of ``t``."""
    return _rotations(t, GCRS)


def teme_to_itrs_matrices(t: Time) -> tuple[Array, Array]:
    """(N, 3, 3) rotations TEME -> ITRS and their time derivatives (1/s)."""
    q = _rotations(t, Q)
    theta, rate = gmst82(t)
    return q @ _r3(theta), q @ _r3_dot(theta, rate)


def teme_to_gcrs(r_teme_km: Array, v_teme_km_s: Array, t: Time) -> tuple[Array, Array]:
    """Rotate (N, 3) TEME position/velocity to GCRS (km, km/s)."""
    m = teme_to_gcrs_matrices(t)
    return np.einsum("nij,nj->ni", m, r_teme_km), np.einsum("nij,nj->ni", m, v_teme_km_s)


def teme_to_itrs(r_teme_km: Array, v_teme_km_s: Array, t: Time) -> tuple[Array, Array]:
    """Rotate (N, 3) TEME position/velocity to ITRS (Earth-fixed; km, km/s).

    The velocity is relative to the rotating Earth: v_itrs = M v + dM/dt r. The Earth's
    rotation is applied to the vector components directly and Q is interpolated column by
    column (no per-epoch matrices): a year at 60 s takes a fifth of SGP4's time for it.
    """
    q = _interpolated_columns(_tt_days(t), NODE_STEP_S, _NODE_CACHE, _rotation_nodes, Q)
    theta, rate = gmst82(t)
    c, s = np.cos(theta), np.sin(theta)
    x, y, z = np.ascontiguousarray(np.atleast_2d(r_teme_km).T)  # unit-stride components
    vx, vy, vz = np.ascontiguousarray(np.atleast_2d(v_teme_km_s).T)
    px, py = c * x + s * y, c * y - s * x  # pseudo Earth-fixed: R3(theta) r
    wx, wy = c * vx + s * vy + rate * py, c * vy - s * vx - rate * px
    r_out = np.empty((x.size, 3))
    v_out = np.empty((x.size, 3))
    for i in range(3):  # rows of Q
        q0, q1, q2 = q[3 * i], q[3 * i + 1], q[3 * i + 2]
        r_out[:, i] = q0 * px + q1 * py + q2 * z
        v_out[:, i] = q0 * wx + q1 * wy + q2 * vz
    return r_out, v_out


@dataclass(frozen=True)
class Geodetic:
    """WGS84 geodetic coordinates of N points (deg, deg, km)."""

    lat_deg: Array
    lon_deg: Array
    alt_km: Array


def itrs_to_geodetic(r_itrs_km: Array) -> Geodetic:
    """WGS84 latitude, longitude (-180..180) and height of (N, 3) ITRS positions (km).

    Bowring's method (Bowring 1976, Survey Review 23(181) 323-327) iterated twice from the
    parametric latitude: machine precision in latitude from the ground to beyond the Moon's
    distance (tested against a converged Vallado 2013 Algorithm 12 and Skyfield). The sines
    and cosines of the parametric latitude are carried as normalised pairs, so the only
    transcendental calls are the two final arctangents. NaN rows stay NaN.
    """
    x, y, z = np.ascontiguousarray(np.atleast_2d(r_itrs_km).T)  # unit-stride columns
    # sqrt of the sum of squares, not np.hypot: hypot guards against overflow that km-sized
    # values never reach, and is ten times slower
    p = np.sqrt(x * x + y * y)
    b = R_EQ_KM * (1.0 - WGS84_F)
    ep2 = WGS84_E2 / (1.0 - WGS84_E2)  # second eccentricity squared
    with np.errstate(invalid="ignore", divide="ignore"):
        su, cu = z * R_EQ_KM, p * b  # tan u = a z / (b p)
        num = den = su
        for _ in range(2):
            norm = np.sqrt(su * su + cu * cu)
            su, cu = su / norm, cu / norm
            # cubes as products: numpy's power with exponent 3 is ~100x slower than two multiplies
            num = z + ep2 * b * (su * su * su)
            den = p - WGS84_E2 * R_EQ_KM * (cu * cu * cu)  # tan(lat) = num / den
            su, cu = (1.0 - WGS84_F) * num, den  # tan u = (1 - f) tan(lat)
        norm = np.sqrt(num * num + den * den)
        sin_lat, cos_lat = num / norm, den / norm
        n = R_EQ_KM / np.sqrt(1.0 - WGS84_E2 * sin_lat**2)
        # height formula stable at all latitudes (Vallado 2013 eq. 3-7 form)
        h = p * cos_lat + z * sin_lat - R_EQ_KM**2 / n
    return Geodetic(np.degrees(np.arctan2(num, den)), np.degrees(np.arctan2(y, x)), h)


def geodetic_scalar(x_km: float, y_km: float, z_km: float) -> tuple[float, float, float]:
    """:func:`itrs_to_geodetic` of one Earth-fixed position given as three floats (km):
    WGS84 latitude (deg), longitude (deg, -180..180) and height (km).

    The same method on Python floats: Bowring's method iterated twice from the parametric
    latitude, the same normalised pairs and the same height formula (Vallado 2013 eq. 3-7
    form); exact on the polar axis too. Why a scalar twin: the Cowell propagator needs the
    geodetic height of one state at every right-hand-side call with drag and at every
    evaluation of its decay event (thousands per orbit), where numpy's per-call overhead
    dominates: measured 20 times faster than :func:`itrs_to_geodetic` on a (1, 3) array,
    and a Cowell day with drag took twice as long with the vector form in the loop.
    tests/orbit/test_scalar_twins.py holds the two to 1e-12.
    """
    p = math.hypot(x_km, y_km)
    b = R_EQ_KM * (1.0 - WGS84_F)
    ep2 = WGS84_E2 / (1.0 - WGS84_E2)  # second eccentricity squared
    su, cu = z_km * R_EQ_KM, p * b  # tan u = a z / (b p)
    num = den = su
    for _ in range(2):
        norm = math.hypot(su, cu)
        su, cu = su / norm, cu / norm
        num = z_km + ep2 * b * su**3
        den = p - WGS84_E2 * R_EQ_KM * cu**3  # tan(lat) = num / den
        su, cu = (1.0 - WGS84_F) * num, den  # tan u = (1 - f) tan(lat)
    norm = math.hypot(num, den)
    sin_lat, cos_lat = num / norm, den / norm
    n = R_EQ_KM / math.sqrt(1.0 - WGS84_E2 * sin_lat**2)
    h = p * cos_lat + z_km * sin_lat - R_EQ_KM**2 / n
    return math.degrees(math.atan2(num, den)), math.degrees(math.atan2(y_km, x_km)), h


def geodetic_to_itrs(lat_deg: float, lon_deg: float, alt_m: float) -> Array:
    """ITRS position (km) of a WGS84 site, shape (3,)."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    n = R_EQ_KM / np.sqrt(1.0 - WGS84_E2 * np.sin(lat) ** 2)
    h = alt_m / 1000.0
    return np.array(
        [
            (n + h) * np.cos(lat) * np.cos(lon),
            (n + h) * np.cos(lat) * np.sin(lon),
            (n * (1.0 - WGS84_E2) + h) * np.sin(lat),
        ]
    )


def _sun_gcrs_nodes(index: NDArray[np.int64]) -> Array:
    """(K, 3) geocentric Sun in GCRS (km) at hourly nodes, from DE421 (geometric)."""
    eph = ephemeris()
    t = timescale().tt_jd(J2000_TT_JD, index * (SUN_NODE_STEP_S / DAY_S))
    return np.asarray((eph["sun"] - eph["earth"]).at(t).position.km, float).T


def _sun_teme_nodes(index: NDArray[np.int64]) -> Array:
    """(K, 3) geocentric Sun in TEME of date (km) at hourly nodes: the GCRS nodes rotated by
    the (interpolated) TEME->GCRS matrices at the same epochs."""
    t = timescale().tt_jd(J2000_TT_JD, index * (SUN_NODE_STEP_S / DAY_S))
    sun = _cached_nodes(_SUN_GCRS_CACHE, index, _sun_gcrs_nodes)
    out: Array = np.einsum("nji,nj->ni", teme_to_gcrs_matrices(t), sun)
    return out


def sun_gcrs_km(t: Time) -> Array:
    """Geocentric position of the Sun in GCRS (km), (N, 3), from DE421.

    Geometric (no light time): the 8-minute light time moves the Sun 20 arcseconds, which
    moves a LEO shadow boundary by about a tenth of a second. Interpolated linearly between
    the cached hourly nodes around each epoch (chord error below 1e-7 rad of direction).
    """
    return _interpolated(_tt_days(t), SUN_NODE_STEP_S, _SUN_GCRS_CACHE, _sun_gcrs_nodes)


def sun_teme_km(t: Time) -> Array:
    """Geocentric Sun position in TEME of date (km), (N, 3).

    Interpolated linearly between the cached hourly TEME nodes around each epoch (the DE421
    GCRS nodes rotated to TEME of date), like :func:`sun_gcrs_km`.
    """
    return np.ascontiguousarray(sun_teme_columns_km(t).T)


def sun_teme_columns_km(t: Time) -> Array:
    """:func:`sun_teme_km` as (3, N) rows x, y, z (km), the layout vector arithmetic reads
    fastest."""
    return _interpolated_columns(_tt_days(t), SUN_NODE_STEP_S, _SUN_TEME_CACHE, _sun_teme_nodes)


def itrs_to_teme(r_itrs_km: Array, t: Time) -> Array:
    """Rotate (N, 3) ITRS positions (km) to TEME of date: the inverse of :func:`teme_to_itrs`
    (a single (1, 3) position is taken at every epoch of ``t``)."""
    q = _interpolated_columns(_tt_days(t), NODE_STEP_S, _NODE_CACHE, _rotation_nodes, Q)
    n = q.shape[1]
    x, y, z = (np.broadcast_to(c, (n,)) for c in np.atleast_2d(r_itrs_km).T)
    # Q^T r: component j sums Q_ij r_i over the rows i of Q
    px, py, pz = (q[j] * x + q[3 + j] * y + q[6 + j] * z for j in range(3))
    theta, _ = gmst82(t)
    c, s = np.cos(theta), np.sin(theta)
    out = np.empty((n, 3))
    out[:, 0] = c * px - s * py
    out[:, 1] = s * px + c * py
    out[:, 2] = pz
    return out
