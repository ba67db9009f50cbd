"""Collision avoidance: the smallest along-track impulse that brings a conjunction's 2-D Pc
under a target.

Model. A tangential impulse ``dv`` made ``t`` seconds before the time of closest approach
(TCA) displaces the primary at TCA, in its RTN axes there (R radial, T in-track), by the
Clohessy-Wiltshire (Hill) solution for a circular reference orbit of mean motion ``n``
(Clohessy & Wiltshire 1960, "Terminal guidance system for satellite rendezvous",
J. Aerospace Sci. 27(9), 653-658), with zero initial offset and initial relative velocity
``dv`` along T::

    x = 2 dv / n (1 - cos n t)          (radial)
    y = 4 dv / n sin n t - 3 dv t       (in-track)

The in-track term grows secularly (the period changes by the semi-major axis change
``da = 2 dv / n``); the radial term oscillates, largest (``4 dv / n``) half an orbit after the
burn and zero a whole number of orbits after it. Along-track burns are the usual avoidance
manoeuvre (NASA Spacecraft Conjunction Assessment and Collision Avoidance Best Practices
Handbook, NASA/SP-20205011318, 2020); making them about one or two orbits before TCA, so
that the in-track drift has time to build up, is common practice.

The primary's position at TCA is moved by ``x R + y T`` and the Pc recomputed with
:func:`stationplan.orbit.collision.pc_2d` (Foster & Estes 1992), which moves both states
along straight lines to the new TCA. The change of the primary's velocity at TCA
(``2 dv sin nt`` radial, ``dv (4 cos nt - 3)`` in-track, a few m/s at most against a
relative speed of km/s in LEO) is neglected, as is the change of the covariances.

Search. Pc(dv) need not be monotonic: the miss vector can pass through the centre of the
combined covariance on its way out. So ``|dv|`` is scanned for each sign on a geometric
grid from :data:`GRID_MIN_DV_M_S` to ``max_dv_m_s`` (:data:`GRID_POINTS` points), and the
first crossing under the target is bisected; the sign with the smaller ``|dv|`` wins, the
prograde one on a tie (it also raises the orbit). A dip under the target narrower than a
grid step can be missed.

Why written here: the CW solution is two lines and the search is a scan and a bisection
around the project's own Pc; no packaged library offers Pc-targeted manoeuvre sizing.

Units: positions km, velocities km/s (inertial, e.g. TEME, as the screening gives them),
covariances m^2, impulses m/s, times s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stationplan.errors import ConjunctionError
from stationplan.orbit.collision import pc_2d
from stationplan.orbit.constants import MU_KM3_S2

Vec = NDArray[np.float64]

GRID_MIN_DV_M_S = 1e-3
"""Smallest |dv| (m/s) of the scan."""

GRID_POINTS = 60
"""Points of the geometric |dv| scan for each sign."""

BISECTION_XTOL_M_S = 1e-7
"""Width (m/s) to which the first crossing under the target is bisected."""


@dataclass(frozen=True)
class Avoidance:
    """An along-track avoidance impulse and its effect at TCA.

    ``dv_m_s`` is signed: + prograde (raises the orbit), - retrograde; ``lead_s`` how long
    before TCA it is made (s). Pc and miss distances (m) before and after; the primary's
    displacement at TCA in its RTN axes (m); ``da_km`` the change of the semi-major axis
    (km), ``2 dv / n``.
    """

    dv_m_s: float
    lead_s: float
    pc_before: float
    pc_after: float
    miss_before_m: float
    miss_after_m: float
    radial_shift_m: float
    intrack_shift_m: float
    da_km: float


def along_track_shift_m(
    dv_m_s: float, lead_s: float, mean_motion_rad_s: float
) -> tuple[float, float]:
    """Radial and in-track displacement at TCA of a tangential impulse made lead_s before it
    (Clohessy-Wiltshire / Hill, circular reference orbit): x = 2 dv/n (1 - cos n t),
    y = 4 dv/n sin n t - 3 dv t.

    ``dv_m_s`` in m/s (+ prograde), ``lead_s`` in s, ``mean_motion_rad_s`` in rad/s;
    returns ``(x, y)`` in m (Clohessy & Wiltshire 1960).

    >>> x, y = along_track_shift_m(0.1, math.pi / 1e-3, 1e-3)  # half an orbit
    >>> round(x, 6), round(y, 3)
    (400.0, -942.478)
    """
    if not (math.isfinite(mean_motion_rad_s) and mean_motion_rad_s > 0.0):
        raise ConjunctionError(f"mean motion must be > 0 rad/s (got {mean_motion_rad_s})")
    nt = mean_motion_rad_s * lead_s
    x = 2.0 * dv_m_s / mean_motion_rad_s * (1.0 - math.cos(nt))
    y = 4.0 * dv_m_s / mean_motion_rad_s * math.sin(nt) - 3.0 * dv_m_s * lead_s
    return x, y


def _rtn_axes(r_km: Vec, v_km_s: Vec) -> tuple[Vec, Vec]:
    """Radial and in-track unit vectors of a state (inertial)."""
    r_hat = r_km / np.linalg.norm(r_km)
    h = np.cross(r_km, v_km_s)
    n_hat = h / np.linalg.norm(h)
    t_hat: Vec = np.cross(n_hat, r_hat)
    return r_hat, t_hat


def avoidance(
    r1_km: ArrayLike,
    v1_km_s: ArrayLike,
    cov1_m2: ArrayLike,
    r2_km: ArrayLike,
    v2_km_s: ArrayLike,
    cov2_m2: ArrayLike,
    hbr_m: float,
    lead_s: float,
    pc_target: float,
    max_dv_m_s: float = 2.0,
) -> Avoidance | None:
    """Smallest |dv| (prograde or retrograde) that brings the 2-D Pc under pc_target, for a
    tangential impulse made ``lead_s`` seconds before TCA.

    Primary (1) and secondary (2) states at TCA: positions km, velocities km/s, one inertial
    frame; 3x3 (or 6x6) covariances in m^2 (m, m/s units); ``hbr_m`` the combined hard-body
    radius (m). The primary is displaced at TCA by :func:`along_track_shift_m` in its RTN
    axes, with ``n`` from the semi-major axis of its state (vis-viva), and the Pc recomputed
    with :func:`~stationplan.orbit.collision.pc_2d` (Foster). When the Pc is already under
    ``pc_target`` the result has ``dv_m_s == 0``; None when no ``|dv| <= max_dv_m_s`` brings
    it under. The returned impulse gives a Pc strictly under the target; the search is
    described in the module docstring.
    """
    if not (math.isfinite(lead_s) and lead_s >= 0.0):
        raise ConjunctionError(f"lead time must be >= 0 s (got {lead_s})")
    if not (0.0 < pc_target < 1.0):
        raise ConjunctionError(f"Pc target must be in (0, 1) (got {pc_target})")
    if not (math.isfinite(max_dv_m_s) and max_dv_m_s > GRID_MIN_DV_M_S):
        raise ConjunctionError(
            f"largest delta-v must be > {GRID_MIN_DV_M_S} m/s (got {max_dv_m_s})"
        )
    r1, v1 = np.asarray(r1_km, float), np.asarray(v1_km_s, float)
    r2, v2 = np.asarray(r2_km, float), np.asarray(v2_km_s, float)
    if r1.shape != (3,) or v1.shape != (3,):
        raise ConjunctionError("primary position and velocity must be 3-vectors (km, km/s)")
    r_norm_km = float(np.linalg.norm(r1))
    energy = 2.0 / r_norm_km - float(v1 @ v1) / MU_KM3_S2
    if not energy > 0.0:
        raise ConjunctionError("the primary's state is not a bound orbit")
    a_km = 1.0 / energy
    n_rad_s = math.sqrt(MU_KM3_S2 / a_km**3)
    r_hat, t_hat = _rtn_axes(r1, v1)
    r1_m, v1_m_s = 1e3 * r1, 1e3 * v1
    r2_m, v2_m_s = 1e3 * r2, 1e3 * v2

    def shifted(dv: float) -> tuple[float, float, float, float]:
        x, y = along_track_shift_m(dv, lead_s, n_rad_s)
        est = pc_2d(r1_m + x * r_hat + y * t_hat, v1_m_s, cov1_m2, r2_m, v2_m_s, cov2_m2, hbr_m)
        return est.pc, est.miss_m, x, y

    pc0, miss0, _, _ = shifted(0.0)

    def result(dv: float) -> Avoidance:
        pc, miss, x, y = shifted(dv)
        return Avoidance(
            dv_m_s=dv,
            lead_s=float(lead_s),
            pc_before=pc0,
            pc_after=pc,
            miss_before_m=miss0,
            miss_after_m=miss,
            radial_shift_m=x,
            intrack_shift_m=y,
            da_km=2.0 * dv * 1e-3 / n_rad_s,
        )

    if pc0 < pc_target:
        return result(0.0)

    grid = np.geomspace(GRID_MIN_DV_M_S, max_dv_m_s, GRID_POINTS)
    best: float | None = None
    for sign in (1.0, -1.0):
        lo = 0.0
        for mag in grid:
            if best is not None and lo >= abs(best):
                break
            if shifted(sign * float(mag))[0] < pc_target:
                hi = float(mag)
                while hi - lo > BISECTION_XTOL_M_S:
                    mid = 0.5 * (lo + hi)
                    if shifted(sign * mid)[0] < pc_target:
                        hi = mid
                    else:
                        lo = mid
                if best is None or hi < abs(best):
                    best = sign * hi
                break
            lo = float(mag)
    return None if best is None else result(best)
