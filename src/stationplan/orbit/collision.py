"""Probability of collision (Pc) of two objects at a conjunction, from their states and
position covariances at the time of closest approach (TCA).

The short-encounter ("2-D") model: both objects move in straight lines through the
encounter, their position errors are Gaussian and uncorrelated, so the relative position
error projected on the encounter plane (perpendicular to the relative velocity) is a
bivariate normal, and Pc is its integral over the hard-body circle of radius HBR centred on
the miss vector (Foster & Estes 1992, NASA JSC-25898; Chan 2008, "Spacecraft Collision
Probability", Aerospace Press; Alfano 2005, "A numerical implementation of spherical object
collision probability", J. Astronaut. Sci. 53(1)).

Methods:

- :func:`foster_pc`: the integral of Foster & Estes (1992), computed to a relative
  accuracy of about 1e-10: one axis of the circle is integrated analytically (normal CDF),
  the other with adaptive Gauss-Kronrod quadrature (``scipy.integrate.quad``) after the
  substitution ``x = x_m + HBR sin(theta)``, which removes the square-root end points;
  everything is in logarithms so that Pc down to ~1e-300 keeps its relative accuracy.
- :func:`chan_pc`: Chan's (1997, 2008) equivalent-area series: the ellipse is made a
  circle of equal area, and Pc becomes the Rician (non-central chi-square, 2 degrees of
  freedom) CDF, summed here as Poisson-weighted regularised incomplete gamma functions.
  Accurate when HBR is small against the covariance's smaller axis; an independent check.
- :func:`monte_carlo_pc`: sampling of the bivariate normal with a ``numpy`` Generator, for
  tests.

Why written here: CARA's reference implementation (NASA CARA_Analysis_Tools, MATLAB, with an
unpackaged Python port) is not on PyPI; the PyPI packages that offer Pc (e.g.
``kessler-toolkit``, ``oure``, ``satguard``, ``ssatk``) are one- or two-release projects of
2026 without a published validation against CARA's test conjunctions, so this module follows
the papers and is validated against CARA's cases in the tests.

Units: m, m/s, s, m^2 throughout; all vectors in one inertial frame (EME2000 in a CDM).
Non-positive-definite covariances are repaired by the eigenvalue clipping of Hall, Hejduk &
Johnson (2017, "Remediating non-positive definite state covariances for collision
probability estimation", AAS/AIAA Astrodynamics Specialist Conference), as CARA's
Pc2D_Foster does: the projected 2x2 combined covariance's eigenvalues are raised to at least
``(1e-4 HBR)^2``; a repair is reported in the result, never silent. Covariances that are not
finite or not symmetric are refused (:func:`position_covariance`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, special

from stationplan.errors import ConjunctionError

Method = Literal["foster", "chan"]
Vec = NDArray[np.float64]

CLIP_FRACTION_OF_HBR = 1e-4
"""Eigenvalue floor of the projected combined covariance, as a fraction of HBR (the floor
is ``(1e-4 HBR)^2`` m^2, Hall et al. 2017, as in CARA's Pc2D_Foster)."""

SYMMETRY_RTOL = 1e-6
"""Largest ``|C - C^T|`` accepted, relative to ``max |C|``; larger is an error, smaller is
symmetrised."""

FOSTER_RTOL = 1e-10
"""Relative tolerance asked of the Foster quadrature."""


@dataclass(frozen=True)
class Repair:
    """A covariance that was changed before use: what, by which rule, and how much.

    ``eigenvalues_before_m2`` / ``eigenvalues_after_m2`` are those of the repaired matrix
    (m^2), ascending.
    """

    subject: str
    rule: str
    eigenvalues_before_m2: tuple[float, ...]
    eigenvalues_after_m2: tuple[float, ...]

    def __str__(self) -> str:
        before = ", ".join(f"{x:.6g}" for x in self.eigenvalues_before_m2)
        after = ", ".join(f"{x:.6g}" for x in self.eigenvalues_after_m2)
        return f"{self.subject}: {self.rule}; eigenvalues [{before}] -> [{after}] m^2"


@dataclass(frozen=True)
class Encounter:
    """The conjunction seen in the encounter plane (Foster & Estes 1992).

    ``axes`` rows are the plane's unit vectors x (along the miss at TCA), y (along the
    relative velocity) and z (along the relative angular momentum ``(r1 - r2) x (v1 - v2)``), in the
    inertial frame of the input. ``miss_2d_m`` is (x, z) of the primary's position relative
    to the secondary, ``cov_2d_m2`` the combined position covariance in (x, z).
    """

    miss_2d_m: Vec
    cov_2d_m2: Vec
    rel_speed_m_s: float
    axes: Vec

    @property
    def miss_m(self) -> float:
        """Miss distance (m) in the encounter plane."""
        return float(np.hypot(*self.miss_2d_m))


@dataclass(frozen=True)
class PcEstimate:
    """A probability of collision, the method that produced it and what was repaired.

    ``tca_shift_s`` is how far the states were moved to reach the true TCA (s).
    """

    pc: float
    method: str
    miss_m: float
    rel_speed_m_s: float
    hbr_m: float
    tca_shift_s: float = 0.0
    repairs: tuple[Repair, ...] = field(default_factory=tuple)


def position_covariance(cov: ArrayLike, subject: str = "covariance") -> Vec:
    """The 3x3 position block (m^2) of a 3x3 or 6x6 covariance (m, m/s units), checked.

    Raises :class:`~stationplan.errors.ConjunctionError` when the matrix has another
    shape, a non-finite element, or is not symmetric within :data:`SYMMETRY_RTOL` of its
    largest element; a matrix within that tolerance is symmetrised.
    """
    c = np.asarray(cov, dtype=float)
    if c.shape not in ((3, 3), (6, 6)):
        raise ConjunctionError(f"{subject}: expected a 3x3 or 6x6 matrix, got shape {c.shape}")
    if not np.all(np.isfinite(c)):
        bad = [f"({i}, {j})" for i, j in zip(*np.nonzero(~np.isfinite(c)), strict=True)]
        raise ConjunctionError(
            f"{subject}: element {', '.join(bad[:3])} is not a finite number; "
            "expected finite m^2, m^2/s, m^2/s^2 values"
        )
    scale = float(np.max(np.abs(c))) or 1.0
    asym = float(np.max(np.abs(c - c.T)))
    if asym > SYMMETRY_RTOL * scale:
        raise ConjunctionError(
            f"{subject}: not symmetric (largest |C - C^T| {asym:.3g} against max |C| "
            f"{scale:.3g}); expected a symmetric covariance"
        )
    pos: Vec = 0.5 * (c + c.T)[:3, :3]
    if np.any(np.diag(pos) < 0.0):
        raise ConjunctionError(
            f"{subject}: a position variance is negative ({np.diag(pos).min():.6g} m^2); "
            "expected variances >= 0"
        )
    return pos


def time_to_tca_s(r1_m: ArrayLike, v1_m_s: ArrayLike, r2_m: ArrayLike, v2_m_s: ArrayLike) -> float:
    """Time (s) from the given epoch to the instant the relative range-rate is zero, for
    straight-line relative motion: ``dt = -(r . v) / (v . v)``, r and v relative.

    CARA notes that a CDM's TCA is rounded to 1 ms, so for Pc2D the states are first moved
    to this true TCA (CARA_Analysis_Tools, FindNearbyCA, linear motion). Over a few ms the
    straight line differs from the orbit by ~g dt^2 / 2 < 1e-4 m.

    >>> time_to_tca_s([0, 0, 0], [0, 0, 0], [10.0, 5.0, 0], [0, -5.0, 0])
    1.0
    """
    r = np.asarray(r2_m, float) - np.asarray(r1_m, float)
    v = np.asarray(v2_m_s, float) - np.asarray(v1_m_s, float)
    vv = float(v @ v)
    if vv == 0.0:
        raise ConjunctionError("the two objects have the same velocity: no closest approach")
    return -float(r @ v) / vv


def encounter(
    r1_m: ArrayLike,
    v1_m_s: ArrayLike,
    cov1: ArrayLike,
    r2_m: ArrayLike,
    v2_m_s: ArrayLike,
    cov2: ArrayLike,
) -> Encounter:
    """Project a conjunction on the encounter plane (Foster & Estes 1992; frame as CARA's
    Pc2D_Foster): y along the relative velocity ``v1 - v2``, z along ``(r1 - r2) x (v1 - v2)``,
    x = y x z. Positions in m, velocities in m/s, covariances 3x3 or 6x6 in m, m/s units,
    all in the same inertial frame at TCA; only the position blocks are used.
    """
    r = np.asarray(r1_m, float) - np.asarray(r2_m, float)
    v = np.asarray(v1_m_s, float) - np.asarray(v2_m_s, float)
    if r.shape != (3,) or v.shape != (3,):
        raise ConjunctionError("positions and velocities must be 3-vectors")
    if not (np.all(np.isfinite(r)) and np.all(np.isfinite(v))):
        raise ConjunctionError("a position or velocity is not a finite number")
    speed = float(np.linalg.norm(v))
    if speed == 0.0:
        raise ConjunctionError("relative velocity is zero: the 2-D Pc model does not apply")
    c = position_covariance(cov1, "primary covariance") + position_covariance(
        cov2, "secondary covariance"
    )
    y = v / speed
    h = np.cross(r, v)
    hn = float(np.linalg.norm(h))
    if hn <= 1e-12 * max(float(np.linalg.norm(r)) * speed, 1e-300):
        # Head-on through the centre: any axis across the relative velocity will do.
        trial = np.eye(3)[int(np.argmin(np.abs(y)))]
        z = np.cross(y, trial)
        z /= np.linalg.norm(z)
    else:
        z = h / hn
    x = np.cross(y, z)
    axes = np.vstack([x, y, z])
    plane = axes[[0, 2]]
    return Encounter(
        miss_2d_m=plane @ r,
        cov_2d_m2=plane @ c @ plane.T,
        rel_speed_m_s=speed,
        axes=axes,
    )


def clip_covariance_2d(
    cov_2d_m2: ArrayLike, hbr_m: float, subject: str = "combined covariance in the encounter plane"
) -> tuple[Vec, Repair | None]:
    """Raise the eigenvalues of a 2x2 covariance (m^2) to at least ``(1e-4 HBR)^2``.

    The eigenvalue clipping of Hall, Hejduk & Johnson (2017), with CARA's floor
    (Pc2D_Foster). Returns the matrix used and, when an eigenvalue was raised, the
    :class:`Repair` saying so.
    """
    c = np.asarray(cov_2d_m2, float)
    c = 0.5 * (c + c.T)
    floor = (CLIP_FRACTION_OF_HBR * hbr_m) ** 2
    lam, vec = np.linalg.eigh(c)
    if np.all(lam >= floor):
        return c, None
    clipped = np.maximum(lam, floor)
    repaired = (vec * clipped) @ vec.T
    rule = (
        f"eigenvalues below (1e-4 HBR)^2 = {floor:.3g} m^2 raised to it "
        "(Hall, Hejduk & Johnson 2017 eigenvalue clipping)"
    )
    return repaired, Repair(subject, rule, tuple(map(float, lam)), tuple(map(float, clipped)))


def _principal(miss_2d_m: ArrayLike, cov_2d_m2: ArrayLike) -> tuple[float, float, float, float]:
    """Miss components and standard deviations along the covariance's principal axes,
    the larger sigma first: ``(x_m, z_m, sigma_x, sigma_z)`` in m."""
    lam, vec = np.linalg.eigh(np.asarray(cov_2d_m2, float))
    if lam[0] <= 0.0:
        raise ConjunctionError(
            f"combined covariance in the encounter plane is not positive definite "
            f"(eigenvalues {lam[0]:.3g}, {lam[1]:.3g} m^2)"
        )
    m = vec.T @ np.asarray(miss_2d_m, float)
    return float(m[1]), float(m[0]), math.sqrt(lam[1]), math.sqrt(lam[0])


def _log_normal_mass(a: float, b: float) -> float:
    """log of P(a < N(0, 1) < b) for a <= b, accurate far into the tails."""
    if b <= a:
        return -math.inf
    if a > 0.0:  # both in the upper tail: use the survival function
        la, lb = float(special.log_ndtr(-a)), float(special.log_ndtr(-b))
        return la + math.log(-math.expm1(lb - la)) if lb < la else -math.inf
    if b < 0.0:
        la, lb = float(special.log_ndtr(a)), float(special.log_ndtr(b))
        return lb + math.log(-math.expm1(la - lb)) if la < lb else -math.inf
    return math.log(float(special.ndtr(b) - special.ndtr(a)))


def foster_pc(miss_2d_m: ArrayLike, cov_2d_m2: ArrayLike, hbr_m: float) -> float:
    """Foster & Estes (1992, NASA JSC-25898) Pc: the bivariate normal of ``cov_2d_m2`` (m^2,
    positive definite), centred on the origin, integrated over the circle of radius
    ``hbr_m`` (m) centred on ``miss_2d_m`` (m).

    In the covariance's principal axes (sigma_x >= sigma_z) the integral over z is the
    normal CDF; the remaining integral over x, with ``x = x_m + HBR sin(theta)``, is
    adaptive quadrature to a relative tolerance :data:`FOSTER_RTOL`, in logarithms so that
    tiny Pc keep their relative accuracy.
    """
    if not hbr_m > 0.0:
        raise ConjunctionError(f"hard-body radius must be > 0 m (got {hbr_m})")
    xm, zm, sx, sz = _principal(miss_2d_m, cov_2d_m2)

    def log_f(theta: float) -> float:
        s, c = math.sin(theta), math.cos(theta)
        half = hbr_m * c
        if half <= 0.0:
            return -math.inf
        x = xm + hbr_m * s
        log_px = -0.5 * (x / sx) ** 2 - math.log(sx * math.sqrt(2.0 * math.pi))
        return math.log(half) + log_px + _log_normal_mass((zm - half) / sz, (zm + half) / sz)

    lo, hi = -0.5 * math.pi, 0.5 * math.pi
    grid = np.linspace(lo, hi, 257)[1:-1]
    logs = np.array([log_f(t) for t in grid])
    peak = float(np.max(logs))
    if not math.isfinite(peak):
        return 0.0
    points = [float(grid[int(np.argmax(logs))])]
    # Where the circle crosses x = 0 the density along x peaks: a break point for quad.
    if abs(xm) < hbr_m:
        points.append(math.asin(-xm / hbr_m))
    value, _ = integrate.quad(
        lambda t: math.exp(log_f(t) - peak),
        lo,
        hi,
        points=sorted(set(points)),
        epsabs=0.0,
        epsrel=FOSTER_RTOL,
        limit=400,
    )
    return float(min(1.0, math.exp(peak) * value))


def chan_pc(miss_2d_m: ArrayLike, cov_2d_m2: ArrayLike, hbr_m: float) -> float:
    """Chan's (1997; 2008) equivalent-area Pc: with ``u = HBR^2 / (sigma_x sigma_z)``
    and ``v = (x_m / sigma_x)^2 + (z_m / sigma_z)^2`` in the principal axes,

        Pc = sum_m e^(-v/2) (v/2)^m / m! * [1 - e^(-u/2) sum_(k<=m) (u/2)^k / k!],

    the Rician CDF (non-central chi-square, 2 degrees of freedom). Summed as Poisson
    weights times regularised incomplete gamma functions, terms within 40 standard
    deviations of the Poisson mode. Inputs in m and m^2 as :func:`foster_pc`.
    """
    if not hbr_m > 0.0:
        raise ConjunctionError(f"hard-body radius must be > 0 m (got {hbr_m})")
    xm, zm, sx, sz = _principal(miss_2d_m, cov_2d_m2)
    u = hbr_m**2 / (sx * sz)
    half_v = 0.5 * ((xm / sx) ** 2 + (zm / sz) ** 2)
    width = 40.0 * math.sqrt(half_v) + 40.0
    m = np.arange(max(0, int(half_v - width)), int(half_v + width) + 1, dtype=float)
    log_w = m * math.log(half_v) - half_v - special.gammaln(m + 1) if half_v > 0 else None
    weights = np.exp(log_w) if log_w is not None else (m == 0).astype(float)
    tail = special.gammainc(m + 1.0, 0.5 * u)
    return float(min(1.0, np.sum(weights * tail)))


def monte_carlo_pc(
    miss_2d_m: ArrayLike,
    cov_2d_m2: ArrayLike,
    hbr_m: float,
    samples: int,
    rng: np.random.Generator,
    batch: int = 1_000_000,
) -> tuple[float, int]:
    """Monte Carlo Pc: the fraction of ``samples`` draws of the relative position in the
    encounter plane (mean ``miss_2d_m`` m, covariance ``cov_2d_m2`` m^2) that fall within
    ``hbr_m`` of the origin. Returns ``(pc, hits)``; the estimate's standard deviation is
    ``sqrt(pc (1 - pc) / samples)`` (binomial)."""
    mean = np.asarray(miss_2d_m, float)
    chol = np.linalg.cholesky(np.asarray(cov_2d_m2, float))
    hits, left = 0, samples
    while left > 0:
        n = min(batch, left)
        pts = mean + rng.standard_normal((n, 2)) @ chol.T
        hits += int(np.count_nonzero(np.einsum("ij,ij->i", pts, pts) <= hbr_m**2))
        left -= n
    return hits / samples, hits


def pc_2d(
    r1_m: ArrayLike,
    v1_m_s: ArrayLike,
    cov1: ArrayLike,
    r2_m: ArrayLike,
    v2_m_s: ArrayLike,
    cov2: ArrayLike,
    hbr_m: float,
    method: Method = "foster",
    to_true_tca: bool = True,
) -> PcEstimate:
    """The 2-D Pc of a conjunction from both objects' states near TCA.

    Positions (m), velocities (m/s) and 3x3 or 6x6 covariances (m, m/s units) in one
    inertial frame; ``hbr_m`` the combined hard-body radius (m). With ``to_true_tca`` both
    states first move in straight lines to the instant the relative range-rate is zero
    (:func:`time_to_tca_s`); the covariances are kept as they are over that offset of a
    few ms. The projected combined covariance is repaired if needed
    (:func:`clip_covariance_2d`), then ``method`` is :func:`foster_pc` (Foster & Estes
    1992) or :func:`chan_pc` (Chan 1997).
    """
    r1, v1 = np.asarray(r1_m, float), np.asarray(v1_m_s, float)
    r2, v2 = np.asarray(r2_m, float), np.asarray(v2_m_s, float)
    if not (math.isfinite(hbr_m) and hbr_m > 0.0):
        raise ConjunctionError(f"hard-body radius must be a finite number > 0 m (got {hbr_m})")
    dt = time_to_tca_s(r1, v1, r2, v2) if to_true_tca else 0.0
    enc = encounter(r1 + v1 * dt, v1, cov1, r2 + v2 * dt, v2, cov2)
    cov, repair = clip_covariance_2d(enc.cov_2d_m2, hbr_m)
    if method == "foster":
        pc = foster_pc(enc.miss_2d_m, cov, hbr_m)
        name = "Foster-1992"
    elif method == "chan":
        pc = chan_pc(enc.miss_2d_m, cov, hbr_m)
        name = "Chan-1997"
    else:
        raise ConjunctionError(f"unknown Pc method {method!r}; expected 'foster' or 'chan'")
    return PcEstimate(
        pc=pc,
        method=name,
        miss_m=enc.miss_m,
        rel_speed_m_s=enc.rel_speed_m_s,
        hbr_m=float(hbr_m),
        tca_shift_s=dt,
        repairs=() if repair is None else (repair,),
    )


ObjectType = Literal["payload", "rocket_body", "debris"]


@dataclass(frozen=True)
class ElementSetSigma:
    """1-sigma position errors (m) of an element set without covariance, in the object's RTN
    axes at the element epoch, and their growth with element-set age:
    ``sigma(age) = sigma0 + rate * age + accel * age^2`` per axis (m, m/day, m/day^2)."""

    radial_m: float
    along_m: float
    cross_m: float
    radial_m_per_day: float
    along_m_per_day: float
    cross_m_per_day: float
    radial_m_per_day2: float = 0.0
    along_m_per_day2: float = 0.0
    cross_m_per_day2: float = 0.0

    def sigma_rtn_m(self, age_days: float) -> NDArray[np.float64]:
        """The 1-sigma R, T, N (m) at ``age_days``."""
        sigma0 = np.array([self.radial_m, self.along_m, self.cross_m])
        rate = np.array([self.radial_m_per_day, self.along_m_per_day, self.cross_m_per_day])
        accel = np.array([self.radial_m_per_day2, self.along_m_per_day2, self.cross_m_per_day2])
        out: NDArray[np.float64] = sigma0 + rate * age_days + accel * age_days**2
        return out

    def scaled(self, epoch: tuple[float, float, float], growth: float) -> ElementSetSigma:
        """This row with its epoch sigmas times ``epoch`` (R, T, N) and every growth term
        times ``growth``."""
        return ElementSetSigma(
            self.radial_m * epoch[0],
            self.along_m * epoch[1],
            self.cross_m * epoch[2],
            self.radial_m_per_day * growth,
            self.along_m_per_day * growth,
            self.cross_m_per_day * growth,
            self.radial_m_per_day2 * growth,
            self.along_m_per_day2 * growth,
            self.cross_m_per_day2 * growth,
        )


_PAYLOAD_SIGMA = ElementSetSigma(62.0, 490.0, 164.0, 5.0, 0.0, 72.0, 4.0, 1152.0, 15.0)
ROCKET_BODY_SCALE = ((1.5, 1.6, 4.0 / 3.0), 4.0 / 3.0)
"""Rocket bodies against payloads: epoch sigmas x (R, T, N) and growth x (an assumption)."""
DEBRIS_SCALE = ((2.0, 3.0, 2.0), 2.0)
"""Debris against payloads: epoch sigmas x (R, T, N) and growth x (an assumption)."""

DEFAULT_ELEMENT_SET_SIGMAS: dict[str, ElementSetSigma] = {
    "payload": _PAYLOAD_SIGMA,
    "rocket_body": _PAYLOAD_SIGMA.scaled(*ROCKET_BODY_SCALE),
    "debris": _PAYLOAD_SIGMA.scaled(*DEBRIS_SCALE),
}
"""LEO element-set (TLE/OMM, SGP4) 1-sigma errors by object type: R, T, N at the epoch (m)
and their growth with element-set age, ``sigma(age) = sigma0 + rate * age + accel * age^2``.

**payload: calibrated** on the ISS (NORAD 25544) element sets of 2024-12-10 to 2025-07-23
(Space-Track/CelesTrak sets, 1,010 distinct epochs; a large manoeuvring payload at ~420 km
near solar maximum) by :func:`stationplan.orbit.tle_accuracy.calibrate`: each set is
propagated with SGP4 to the epochs of the later sets within 7 days and differenced against
their own states (element-set differencing: Osweiler 2006, AFIT thesis
AFIT/GSS/ENY/06-M09; Geul, Mooij & Noomen 2017, Adv. Space Res. 59(10); the aim of Flohrer,
Krag & Klinkrad 2008, AMOS, a covariance for sets that carry none). 16 intervals flagged as
manoeuvres (reboosts of 0.3-3.6 km in mean semi-major axis, and the settling sets after
them) cut 6,187 pairs; 23,481 pairs used. Robust sigma (1.4826 MAD) per age bin, the later
set's own epoch error taken out (residual sigma of the 0-0.5 day bin / sqrt(2) is the epoch
level), growth fitted by non-negative least squares (rate and accel) with the intercept at
that level. Measured 2026-12-03, m (R / T / N):

====================  =================  ==================
age bin (days)        2024-2025 history  1998-2004 history
====================  =================  ==================
0-0.5   (mean 0.26)   62 / 490 / 164     44 / 663 / 51
0.5-1   (mean 0.77)   59 / 1276 / 172    83 / 2890 / 135
1-2     (mean 1.51)   81 / 3298 / 373    115 / 7347 / 271
2-3     (mean 2.52)   113 / 7763 / 566   154 / 16584 / 498
3-5     (mean 3.99)   155 / 18892 / 876  226 / 34934 / 828
5-7     (mean 5.98)   238 / 39259 / 965  404 / 72947 / 1295
fit sigma0            62 / 490 / 164     44 / 663 / 51
fit rate (m/day)      5 / 0 / 72         35 / 12 / 68
fit accel (m/day^2)   4 / 1152 / 15      4 / 2360 / 30
====================  =================  ==================

The fitted curve of 2024-2025 is within 10 % of the binned along-track sigmas from 0.77 to 6
days (it grows about as age squared: a drag, i.e. mean-motion, error), within 15 % radially
and within 30 % cross-track. The 1998-2004 column (ISS assembly at 350-400 km through the
2000-2002 solar maximum, 10,140 epochs, 536 manoeuvre intervals) is a cross-check, not used:
drag was stronger, the along-track growth twice as fast. Along-track biases (median residual
-0.1 km at 0.77 day, -2.8 km at 6 days in 2024-2025) are small against the sigmas and are
not modelled. Consecutive sets share tracking data, so differencing may under-estimate the
epoch level.

**rocket_body, debris: scaled assumptions**, not calibrated: no element-set history of such
objects is in the project's data, and no published table by object type was read. Each is
the calibrated payload row scaled by :data:`ROCKET_BODY_SCALE` and :data:`DEBRIS_SCALE`.
Applied to all LEO debris, the ISS's solar-maximum drag growth is likely pessimistic for
higher, denser objects and optimistic for small high area-to-mass fragments. Use these sigmas
for screening only: a Pc from them is not an operational Pc."""


def default_covariance_rtn_m2(object_type: ObjectType, age_days: float) -> Vec:
    """3x3 RTN position covariance (m^2, diagonal) of an element set without covariance, by
    object type and element-set age (days since its epoch at TCA): the sigmas of
    :data:`DEFAULT_ELEMENT_SET_SIGMAS` at that age. The payload row is calibrated
    on ISS element sets of 2024-2025 (:mod:`stationplan.orbit.tle_accuracy`); the
    rocket-body and debris rows are scaled assumptions (see the table's docstring).

    >>> default_covariance_rtn_m2("payload", 0.0).diagonal().tolist()
    [3844.0, 240100.0, 26896.0]
    """
    if object_type not in get_args(ObjectType):
        raise ConjunctionError(
            f"object type {object_type!r}; expected one of {', '.join(get_args(ObjectType))}"
        )
    if not (math.isfinite(age_days) and age_days >= 0.0):
        raise ConjunctionError(f"element-set age must be >= 0 days (got {age_days})")
    sig = DEFAULT_ELEMENT_SET_SIGMAS[object_type].sigma_rtn_m(age_days)
    cov: Vec = np.diag(sig**2)
    return cov
