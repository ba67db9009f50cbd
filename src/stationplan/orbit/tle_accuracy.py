"""Accuracy of element sets (TLE/OMM with SGP4) measured from an object's own history.

Method: element-set differencing, as in Osweiler (2006, "Covariance estimation and
autocorrelation of NORAD two-line element sets", AFIT thesis AFIT/GSS/ENY/06-M09), which
Geul, Mooij & Noomen (2017, "TLE uncertainty estimation using robust weighted differencing",
Advances in Space Research 59(10), 2522-2535) refine with robust regression. Each set of a
history is propagated with SGP4 to the epochs of the later sets within ``max_age_days``, and
its position is differenced against the later set's own state at that set's epoch (taken as
truth: at its epoch a set is at its most accurate). The difference is resolved in the
radial / along-track / cross-track (RTN) axes of the truth state. Residuals are grouped by
age (time from the propagated set's epoch); each group gives a robust 1-sigma per axis, and
``sigma(age) = sigma0 + rate * age + accel * age^2`` is fitted per axis by non-negative
least squares. The aim is that
of Flohrer, Krag & Klinkrad (2008, "Assessment and categorization of TLE orbit errors for
the US SSN catalogue", AMOS): a covariance for element sets that carry none.

Choices, and why:

* **Robust sigma**: ``1.4826 * MAD`` (median absolute deviation about the median). For a
  normal law it equals the standard deviation; unlike it, it is not dragged up by the few
  bad element sets of a history (a set fitted across an unflagged manoeuvre, a mistagged
  object) — up to half the residuals may be bad before it breaks down. The median of each
  bin (a bias) is reported beside it.
* **Manoeuvres**: a pair is dropped when any interval between consecutive sets from the
  earlier to the later one shows a jump in mean semi-major axis (SGP4's Brouwer mean ``a``)
  of more than ``jump_km`` (0.1 km) once the drag decay is removed: the expected change is
  the local decay rate (median of ``da/dt`` over the ``rate_window`` intervals around it)
  times the interval. The ISS's reboosts of 2024-2025 raise ``a`` by 0.3-3.6 km; the
  scatter of that drag-corrected change between consecutive sets is about 0.009 km (robust
  1-sigma, ISS 2024-2025 and 1998-2004 alike), so 0.1 km is some 11 sigma above the noise
  and below any burn. A single bad set makes a jump on both sides and drops out the same
  way (1998-2004, with its many early bad sets, has 536 flagged intervals in 10,140 sets).
* **Residual outliers**: within a bin, a pair whose residual on any axis lies more than
  ``outlier_sigmas`` (5) robust sigmas from the bin median is dropped and the sigmas are
  computed again (once). With the MAD this changes the sigmas little; it is reported.
* **The truth set also has error**: the residual is ``e_i(age) - e_j(0)``; with the two
  errors independent its variance is ``sigma(age)^2 + sigma(0)^2``. The first bin's ages
  (< 0.5 day) are nearly 0, so there the residual is the difference of two nearly equal
  independent errors: ``sigma0 = s_first_bin / sqrt(2)``. That epoch variance is taken out
  of every bin, ``sigma(age) = sqrt(s_bin^2 - sigma0^2)``, and the growth is fitted by
  non-negative least squares (``scipy.optimize.nnls``, bins weighted by 1/sigma so that
  each bin counts in relative terms) on ``sigma(age) - sigma0 = rate * age + accel *
  age^2``, the intercept held at the measured epoch level. Consecutive sets share
  observations (their fit spans overlap), so their errors are in truth positively
  correlated and differencing underestimates the epoch level: ``sigma0`` is best read as a
  lower bound.
* **A quadratic**: the along-track error of a drag-perturbed orbit grows about as age
  squared (an error in mean motion, or in its drag-driven rate, integrates into along-track
  distance; Vallado 2013, section 9.6), radial and cross-track errors about linearly; a
  straight line over-estimates the along-track error at small ages and under-estimates it
  beyond the fitted span. Both terms are kept non-negative, so the fit never shrinks with
  age; the per-bin sigmas are returned as well.

Units: ages in days, positions in m (SGP4 works in km; converted here). Pure numpy, no I/O.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from stationplan.orbit.elements import ElementSet
from stationplan.orbit.propagate import propagate_sgp4_jd
from stationplan.orbit.screening import rtn_components

Array = NDArray[np.float64]

AGE_BIN_EDGES_DAYS: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0)
"""Default age bins (days): 0-0.5, 0.5-1, 1-2, 2-3, 3-5, 5-7."""

MAD_TO_SIGMA = 1.4826
"""``1 / Phi^-1(3/4)``: the factor that makes the median absolute deviation of a normal law
its standard deviation."""

MANOEUVRE_JUMP_KM = 0.1
"""Drag-corrected jump in mean semi-major axis (km) between consecutive sets that marks a
manoeuvre (see the module docstring)."""

OUTLIER_SIGMAS = 5.0
"""Residuals farther than this many robust sigmas from their bin's median are dropped."""

RATE_WINDOW = 15
"""Number of consecutive intervals whose median ``da/dt`` is the local drag decay rate."""

_WGS72_R_KM = 6378.135  # SGP4's Earth radius (WGS72): satrec.a is in Earth radii


@dataclass(frozen=True)
class PairResiduals:
    """Position residuals of K (earlier set, later set) pairs.

    ``residual_rtn_m`` (K, 3) is the earlier set's SGP4 position at the later set's epoch
    minus the later set's own position there, in the later set's R, T, N axes (m);
    ``age_days`` (K,) the time between the two epochs; ``earlier``, ``later`` (K,) the
    indices of the two sets in the cleaned history; ``dropped_manoeuvre`` the number of pairs
    within the age limit left out because a manoeuvre lies between them.
    """

    age_days: Array
    residual_rtn_m: Array
    earlier: NDArray[np.int64]
    later: NDArray[np.int64]
    dropped_manoeuvre: int


@dataclass(frozen=True)
class AgeBin:
    """Residual statistics of one age bin; arrays are (3,) in R, T, N order (m)."""

    lo_days: float
    hi_days: float
    mean_age_days: float
    pairs: int
    outliers: int
    median_rtn_m: Array
    residual_sigma_rtn_m: Array
    sigma_rtn_m: Array
    """The element set's own sigma at this age: the residual sigma with the truth set's
    epoch variance taken out."""


@dataclass(frozen=True)
class Calibration:
    """Element-set accuracy of one history: per-bin sigmas and the linear fit, R, T, N."""

    bins: tuple[AgeBin, ...]
    sigma0_rtn_m: Array
    rate_rtn_m_per_day: Array
    accel_rtn_m_per_day2: Array
    sets_used: int
    manoeuvre_intervals: int
    pairs_used: int
    pairs_dropped_manoeuvre: int

    def sigma_at_rtn_m(self, age_days: float) -> Array:
        """Fitted 1-sigma (R, T, N, m) at ``age_days``."""
        out: Array = (
            self.sigma0_rtn_m
            + self.rate_rtn_m_per_day * age_days
            + self.accel_rtn_m_per_day2 * age_days**2
        )
        return out


def clean_history(elements: Sequence[ElementSet]) -> list[ElementSet]:
    """The sets of one object in epoch order, one per epoch.

    Where several sets share an epoch (a history often repeats a set, or holds a later
    re-fit for the same epoch), the one with the highest element-set number is kept (the
    last issued), and of equal numbers the last one in the input.
    """
    if not elements:
        return []
    numbers = {e.catalog_number for e in elements}
    if len(numbers) > 1:
        raise ValueError(
            f"an element-set history must be of one object; got catalog numbers "
            f"{sorted(numbers)[:5]}"
        )
    best: dict[tuple[float, float], tuple[int, int, ElementSet]] = {}
    for k, e in enumerate(elements):
        key = (float(e.satrec.jdsatepoch), float(e.satrec.jdsatepochF))
        rank = (int(e.satrec.elnum), k)
        if key not in best or rank >= best[key][:2]:
            best[key] = (*rank, e)
    return [best[key][2] for key in sorted(best, key=lambda kk: kk[0] + kk[1])]


def mean_semi_major_axis_km(elements: Sequence[ElementSet]) -> Array:
    """SGP4's mean (Brouwer) semi-major axis of each set (km)."""
    return np.array([float(e.satrec.a) * _WGS72_R_KM for e in elements])


def manoeuvre_intervals(
    elements: Sequence[ElementSet],
    jump_km: float = MANOEUVRE_JUMP_KM,
    rate_window: int = RATE_WINDOW,
) -> NDArray[np.bool_]:
    """(n-1,) True where the interval between sets k and k+1 holds a manoeuvre.

    ``elements`` must be in epoch order with distinct epochs (:func:`clean_history`). The
    change of mean semi-major axis over the interval, less the local drag decay (median
    ``da/dt`` of the ``rate_window`` intervals around it, times the interval), is compared
    with ``jump_km``.
    """
    n = len(elements)
    if n < 2:
        return np.zeros(0, dtype=bool)
    a_km = mean_semi_major_axis_km(elements)
    jd = np.array([e.epoch_jd_utc for e in elements])
    dt_days = np.diff(jd)
    if np.any(dt_days <= 0.0):
        raise ValueError("element sets must be in strictly increasing epoch order")
    da_km = np.diff(a_km)
    rate = da_km / dt_days
    half = max(rate_window, 1) // 2
    padded = np.pad(rate, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    local_rate = np.median(windows, axis=1)
    excess_km = da_km - local_rate * dt_days
    flags: NDArray[np.bool_] = np.abs(excess_km) > jump_km
    return flags


def pair_residuals(
    elements: Sequence[ElementSet],
    max_age_days: float = AGE_BIN_EDGES_DAYS[-1],
    jump_km: float = MANOEUVRE_JUMP_KM,
    rate_window: int = RATE_WINDOW,
) -> PairResiduals:
    """SGP4 residuals of every pair (earlier set, later set) at most ``max_age_days`` apart
    with no manoeuvre between them; ``elements`` is cleaned first (:func:`clean_history`)."""
    sets = clean_history(elements)
    n = len(sets)
    jd = np.array([float(e.satrec.jdsatepoch) for e in sets])
    fr = np.array([float(e.satrec.jdsatepochF) for e in sets])
    epoch = jd + fr
    flags = manoeuvre_intervals(sets, jump_km, rate_window)
    # burns[k] = number of flagged intervals before set k; a pair (i, j) spans a manoeuvre
    # when burns[j] > burns[i].
    burns = np.concatenate([[0], np.cumsum(flags)])
    # One SGP4 call per set: its own epoch (its state there is the truth for the sets
    # before it) and the epochs of the later sets it is compared with.
    r_own_km = np.full((n, 3), np.nan)
    v_own_km_s = np.full((n, 3), np.nan)
    r_pred_km: list[Array] = []
    earlier: list[NDArray[np.int64]] = []
    later: list[NDArray[np.int64]] = []
    dropped = 0
    last = np.searchsorted(epoch, epoch + max_age_days, side="right")
    for i in range(n):
        j = np.arange(i + 1, last[i])
        clean = burns[j] == burns[i]
        dropped += int(np.count_nonzero(~clean))
        j = j[clean]
        at = np.concatenate([[i], j])
        prop = propagate_sgp4_jd(sets[i], jd[at], fr[at], backend="sgp4")
        if prop.errors[0, 0] == 0:
            r_own_km[i] = prop.r_teme_km[0, 0]
            v_own_km_s[i] = prop.v_teme_km_s[0, 0]
        ok = prop.errors[0, 1:] == 0
        r_pred_km.append(prop.r_teme_km[0, 1:][ok])
        earlier.append(np.full(int(np.count_nonzero(ok)), i, dtype=np.int64))
        later.append(j[ok].astype(np.int64))
    if not r_pred_km or sum(a.shape[0] for a in r_pred_km) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return PairResiduals(np.zeros(0), np.zeros((0, 3)), empty, empty.copy(), dropped)
    i_all = np.concatenate(earlier)
    j_all = np.concatenate(later)
    r_pred = np.concatenate(r_pred_km)
    r_true, v_true = r_own_km[j_all], v_own_km_s[j_all]
    ok_truth = np.all(np.isfinite(r_true), axis=1)
    i_all, j_all = i_all[ok_truth], j_all[ok_truth]
    r_pred, r_true, v_true = r_pred[ok_truth], r_true[ok_truth], v_true[ok_truth]
    return PairResiduals(
        age_days=epoch[j_all] - epoch[i_all],
        residual_rtn_m=rtn_components(r_true, v_true, r_pred - r_true) * 1e3,
        earlier=i_all,
        later=j_all,
        dropped_manoeuvre=dropped,
    )


def robust_sigma(x: Array, axis: int = 0) -> Array:
    """``1.4826 * median(|x - median(x)|)`` along ``axis``: the standard deviation of a
    normal sample, robust to up to half of it being outliers.

    >>> float(robust_sigma(np.array([-1.0, 0.0, 1.0, 100.0])))
    1.4826
    """
    med = np.median(x, axis=axis, keepdims=True)
    out: Array = MAD_TO_SIGMA * np.median(np.abs(x - med), axis=axis)
    return out


def _fit_growth(age_days: Array, excess_m: Array, sigma_m: Array) -> tuple[Array, Array]:
    """Per axis, non-negative ``rate`` and ``accel`` of ``excess = rate * age + accel *
    age^2`` (through the origin) by :func:`scipy.optimize.nnls`, each bin weighted by
    ``1 / sigma`` (relative errors: the late bins' metres do not swamp the early ones);
    ``excess_m`` and ``sigma_m`` are (B, 3). Returns (rate, accel), each (3,)."""
    from scipy.optimize import nnls

    rate = np.zeros(3)
    accel = np.zeros(3)
    for axis in range(3):
        w = 1.0 / np.maximum(sigma_m[:, axis], 1e-9)
        design = np.stack([age_days, age_days**2], axis=1) * w[:, None]
        coef, _ = nnls(design, excess_m[:, axis] * w)
        rate[axis], accel[axis] = coef
    return rate, accel


def calibrate(
    elements: Sequence[ElementSet],
    bin_edges_days: Sequence[float] = AGE_BIN_EDGES_DAYS,
    jump_km: float = MANOEUVRE_JUMP_KM,
    outlier_sigmas: float = OUTLIER_SIGMAS,
    rate_window: int = RATE_WINDOW,
) -> Calibration:
    """Per-bin robust sigmas (R, T, N) of an object's element sets and the linear fit
    ``sigma(age) = sigma0 + rate * age + accel * age^2``, by the method of the module
    docstring.

    Bins with fewer than 3 pairs are left out of the fit (their sigma is NaN). Raises
    ``ValueError`` when fewer than 2 bins have pairs.
    """
    edges = np.asarray(bin_edges_days, dtype=float)
    if edges.ndim != 1 or edges.size < 3 or np.any(np.diff(edges) <= 0) or edges[0] < 0:
        raise ValueError(f"age bin edges must increase from >= 0 days, 3 or more (got {edges})")
    sets = clean_history(elements)
    pr = pair_residuals(sets, float(edges[-1]), jump_km, rate_window)
    raw: list[tuple[float, float, float, int, int, Array, Array]] = []
    used = 0
    for lo, hi in itertools.pairwise(edges):
        inside = (pr.age_days > lo) & (pr.age_days <= hi)
        res = pr.residual_rtn_m[inside]
        age = pr.age_days[inside]
        if res.shape[0] < 3:
            nan3 = np.full(3, np.nan)
            raw.append((float(lo), float(hi), float("nan"), int(res.shape[0]), 0, nan3, nan3))
            continue
        med = np.median(res, axis=0)
        sig = robust_sigma(res)
        keep = np.all(np.abs(res - med) <= outlier_sigmas * np.maximum(sig, 1e-9), axis=1)
        res, age = res[keep], age[keep]
        used += res.shape[0]
        raw.append(
            (
                float(lo),
                float(hi),
                float(np.mean(age)),
                int(res.shape[0]),
                int(np.count_nonzero(~keep)),
                np.median(res, axis=0),
                robust_sigma(res),
            )
        )
    mean_age = np.array([b[2] for b in raw])
    s_bin = np.array([b[6] for b in raw])
    good = np.isfinite(mean_age)
    if np.count_nonzero(good) < 2:
        raise ValueError(
            f"too few element-set pairs to calibrate: {pr.age_days.size} pairs, "
            f"{np.count_nonzero(good)} age bins with 3 or more"
        )
    # The epoch level from the first bin (ages near 0, where the residual is the difference
    # of two nearly equal independent errors), then the truth set's share taken out of
    # every bin and the growth rate fitted with the intercept held at that level.
    first = int(np.argmax(good))
    sigma0 = s_bin[first] / np.sqrt(2.0)
    corrected = np.sqrt(np.maximum(s_bin**2 - sigma0**2, 0.0))
    rate, accel = _fit_growth(
        mean_age[good], corrected[good] - sigma0, np.maximum(corrected[good], sigma0)
    )
    bins = tuple(
        AgeBin(b[0], b[1], b[2], b[3], b[4], b[5], b[6], corrected[k]) for k, b in enumerate(raw)
    )
    return Calibration(
        bins=bins,
        sigma0_rtn_m=np.asarray(sigma0, dtype=float),
        rate_rtn_m_per_day=np.asarray(rate, dtype=float),
        accel_rtn_m_per_day2=np.asarray(accel, dtype=float),
        sets_used=len(sets),
        manoeuvre_intervals=int(np.count_nonzero(manoeuvre_intervals(sets, jump_km, rate_window))),
        pairs_used=used,
        pairs_dropped_manoeuvre=pr.dropped_manoeuvre,
    )


def format_table(cal: Calibration) -> str:
    """A plain-text table of a calibration (m, m/day), for reports and docstrings."""
    lines = [
        "age bin (d)   pairs  out  mean age  resid sigma R/T/N (m)   sigma R/T/N (m)",
    ]
    for b in cal.bins:
        rs = "/".join(f"{x:.0f}" for x in b.residual_sigma_rtn_m)
        cs = "/".join(f"{x:.0f}" for x in b.sigma_rtn_m)
        lines.append(
            f"{b.lo_days:4.1f}-{b.hi_days:<4.1f}  {b.pairs:7d} {b.outliers:4d}  "
            f"{b.mean_age_days:8.2f}  {rs:>22}  {cs:>16}"
        )
    s0 = "/".join(f"{x:.0f}" for x in cal.sigma0_rtn_m)
    rt = "/".join(f"{x:.0f}" for x in cal.rate_rtn_m_per_day)
    ac = "/".join(f"{x:.0f}" for x in cal.accel_rtn_m_per_day2)
    lines.append(f"fit: sigma0 R/T/N = {s0} m, rate R/T/N = {rt} m/day, accel R/T/N = {ac} m/day^2")
    return "\n".join(lines)
