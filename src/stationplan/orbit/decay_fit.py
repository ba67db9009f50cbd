"""The ballistic coefficient C_D A / m fitted to the mean-altitude decay of an element history.

Units: km, days; epochs as UTC Julian dates; the ballistic coefficient C_D A / m in m^2/kg
(the inverse of the usual ballistic coefficient m / (C_D A)). *Mean altitude* is the mean
semi-major axis of each element set minus 6378.137 km, as in :mod:`stationplan.orbit.decay`
and :func:`stationplan.orbit.elements.summarize`.

Method: the decay of the mean semi-major axis seen in a history of element sets measures the
drag the object feels (King-Hele, *Satellite Orbits in an Atmosphere*, Blackie 1987, ch. 3
and 11: air density and drag from orbital decay; Vallado, *Fundamentals of Astrodynamics and
Applications*, 4th ed. 2013, sec. 9.6-9.7: decay from element-set histories and lifetime
estimation). The steps:

1. *Clean*: element sets off the running median of 7 consecutive sets by more than
   ``outlier_km`` (0.3 km) are dropped (orbit-determination outliers, sets fitted across a
   manoeuvre).
2. *Reboosts* (:func:`reboost_cuts`): a rise of the 5-set running median of the mean
   altitude by more than ``rise_km`` (0.1 km) between consecutive sets; drag can only lower
   it. The median keeps a reboost's step sharp while it damps the 0.05-0.2 km scatter of the
   ISS's element sets, whose raw set-to-set differences would often exceed 0.1 km. Sets
   within ``settle_days`` (0.5 day) after a reboost are skipped (their fits straddle it).
3. *Spans* (:func:`fit_spans`): every reboost-free span with sets in the last ``fit_days``
   before the last set, cut to them, of at least 4 sets over 1 day; if together they cover
   less than ``min_days`` or hold fewer than ``min_sets`` sets, the most recent earlier span
   that is long enough (:func:`fit_span`).
4. *Fit* (:func:`fit_pooled`; :func:`fit_ballistic` for one span): the spans' mean altitudes
   are fitted together by least squares (``scipy.optimize.least_squares``, trust-region
   reflective with C_D A / m > 0) with the project's orbit-averaged NRLMSIS decay model
   (:func:`stationplan.orbit.decay.propagate_decay`) for one C_D A / m shared by all spans
   and one mean altitude at each span's first epoch (each starts after its own reboost):
   pooling the spans between reboosts averages the span-to-span changes of the coefficient
   and fits it on more than the last, often short, span. The 1-sigma uncertainty is the
   square root of the covariance (J^T J)^-1 of the fit, scaled by the residual variance
   (n - p degrees of freedom), and inflated for the serial correlation of the residuals
   (consecutive element sets share tracking data and errors): the effective number of
   observations is n (1 - r1) / (1 + r1) with r1 the lag-1 autocorrelation of the residuals
   within the spans (the AR(1) correction, Bretherton et al. 1999, J. Climate 12, 1990-2009).

The fitted coefficient carries the model's density errors with it (space weather, NRLMSIS):
predicted with the same model and weather, they largely cancel. Attitude and configuration
changes of the object after the span do not (the ISS's C_D A / m moved by about 30 % between
reboost-free spans of 2001-2004; tests/orbit/test_decay_fit.py).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import ArrayLike
from scipy import ndimage, optimize

from stationplan.errors import ArgumentError, Problem
from stationplan.orbit.arrays import Array
from stationplan.orbit.decay import DecayModel, DragBody, decay_rate_km_day, propagate_decay
from stationplan.orbit.timescale import DAY_S

OUTLIER_KM = 0.3
"""Largest distance (km) of a set's mean altitude from the running median of 7 sets."""
RISE_KM = 0.1
"""Smallest rise (km) of the 5-set running median mean altitude taken for a reboost."""
SETTLE_DAYS = 0.5
"""Sets skipped after a reboost (days): their orbit determination straddles the burn."""
MIN_SPAN_DAYS = 5.0
"""Shortest span (days) a fit is made on."""
MIN_SPAN_SETS = 8
"""Fewest element sets a fit is made on."""


def _problem(message: str, field: str | None = None) -> ArgumentError:
    return ArgumentError(Problem("decay_fit", message, field=field))


def clean_history(
    epoch_jd_utc: ArrayLike, mean_altitude_km: ArrayLike, outlier_km: float = OUTLIER_KM
) -> Array:
    """Which sets to keep, (N,) bool: those within ``outlier_km`` of the centred running
    median of 7 sets (the ends padded with the first and last value).

    ``epoch_jd_utc`` (N,) strictly increasing UTC Julian dates; ``mean_altitude_km`` (N,).

    >>> clean_history([0, 1, 2, 3, 4], [400.0, 399.9, 405.0, 399.7, 399.6]).tolist()
    [True, True, False, True, True]
    """
    _, alt = _checked(epoch_jd_utc, mean_altitude_km)
    median = ndimage.median_filter(alt, size=7, mode="nearest")
    return np.asarray(np.abs(alt - median) <= outlier_km, dtype=bool)


def reboost_cuts(mean_altitude_km: ArrayLike, rise_km: float = RISE_KM) -> Array:
    """Indices i (int, (K,)) such that a reboost lies between set i and set i + 1: the 5-set
    running median of ``mean_altitude_km`` (N,) (time-ordered) rises by more than ``rise_km``.

    >>> reboost_cuts([400.0, 399.9, 399.8, 399.7, 402.0, 401.9, 401.8, 401.7]).tolist()
    [3]
    """
    alt = np.asarray(mean_altitude_km, dtype=float)
    if alt.size < 2:
        return np.zeros(0, dtype=int)
    median = ndimage.median_filter(alt, size=5, mode="nearest")
    rise = np.diff(median)
    cuts = np.flatnonzero(rise > rise_km)
    # A step seen by the median over neighbouring pairs is one reboost: keep its largest rise.
    keep: list[int] = []
    for i in cuts.tolist():
        if keep and i - keep[-1] <= 2:
            if rise[i] > rise[keep[-1]]:
                keep[-1] = i
            continue
        keep.append(i)
    return np.asarray(keep, dtype=int)


@dataclass(frozen=True)
class Span:
    """A reboost-free run of element sets: indices ``first``..``last`` (inclusive) into the
    arrays it was found in, from ``start_jd_utc`` to ``end_jd_utc`` (UTC Julian dates)."""

    first: int
    last: int
    start_jd_utc: float
    end_jd_utc: float

    @property
    def days(self) -> float:
        """Length of the span (days)."""
        return self.end_jd_utc - self.start_jd_utc

    @property
    def sets(self) -> int:
        """Number of element sets in the span."""
        return self.last - self.first + 1


def reboost_free_spans(
    epoch_jd_utc: ArrayLike,
    mean_altitude_km: ArrayLike,
    *,
    rise_km: float = RISE_KM,
    settle_days: float = SETTLE_DAYS,
) -> list[Span]:
    """The runs of sets between reboosts (:func:`reboost_cuts`), each starting
    ``settle_days`` after the reboost before it, in time order; runs left empty are dropped.

    ``epoch_jd_utc`` (N,) strictly increasing UTC Julian dates; ``mean_altitude_km`` (N,),
    already cleaned (:func:`clean_history`).
    """
    jd, alt = _checked(epoch_jd_utc, mean_altitude_km)
    cuts = reboost_cuts(alt, rise_km)
    firsts = np.r_[0, cuts + 1].astype(int)
    lasts = np.r_[cuts, alt.size - 1].astype(int)
    spans = []
    for k, (first, last) in enumerate(zip(firsts.tolist(), lasts.tolist(), strict=True)):
        if k > 0:
            first += int(np.searchsorted(jd[first : last + 1], jd[first] + settle_days))
        if first <= last:
            spans.append(Span(first, last, float(jd[first]), float(jd[last])))
    return spans


def fit_span(
    epoch_jd_utc: ArrayLike,
    mean_altitude_km: ArrayLike,
    fit_days: float,
    *,
    min_days: float = MIN_SPAN_DAYS,
    min_sets: int = MIN_SPAN_SETS,
    rise_km: float = RISE_KM,
    settle_days: float = SETTLE_DAYS,
) -> Span | None:
    """The span to fit on: the last ``fit_days`` of the reboost-free span that ends at the
    last set, or, when that is shorter than ``min_days`` or holds fewer than ``min_sets``
    sets, of the most recent earlier span that is long enough. None if none is.

    ``epoch_jd_utc`` (N,) strictly increasing UTC Julian dates; ``mean_altitude_km`` (N,),
    already cleaned (:func:`clean_history`); ``fit_days`` > 0.
    """
    if not fit_days > 0.0:
        raise _problem(f"must be positive, got {fit_days}", "fit_days")
    jd, alt = _checked(epoch_jd_utc, mean_altitude_km)
    for span in reversed(reboost_free_spans(jd, alt, rise_km=rise_km, settle_days=settle_days)):
        first = span.first + int(
            np.searchsorted(jd[span.first : span.last + 1], span.end_jd_utc - fit_days - 1e-9)
        )
        cut = Span(first, span.last, float(jd[first]), span.end_jd_utc)
        if cut.days >= min_days and cut.sets >= min_sets:
            return cut
    return None


POOL_MIN_SETS = 4
"""Fewest element sets a span must hold to join a pooled fit (its own start altitude is fitted)."""
POOL_MIN_DAYS = 1.0
"""Shortest span (days) that joins a pooled fit."""


def fit_spans(
    epoch_jd_utc: ArrayLike,
    mean_altitude_km: ArrayLike,
    fit_days: float,
    *,
    min_days: float = MIN_SPAN_DAYS,
    min_sets: int = MIN_SPAN_SETS,
    rise_km: float = RISE_KM,
    settle_days: float = SETTLE_DAYS,
) -> list[Span]:
    """The spans to pool in one fit (:func:`fit_pooled`), in time order: every reboost-free
    span with sets in the last ``fit_days`` before the last set, cut to them, that holds at
    least ``POOL_MIN_SETS`` sets over ``POOL_MIN_DAYS`` day. When together they cover less
    than ``min_days`` or hold fewer than ``min_sets`` sets, the single span of
    :func:`fit_span` (the most recent earlier span long enough), or [] if there is none.

    ``epoch_jd_utc`` (N,) strictly increasing UTC Julian dates; ``mean_altitude_km`` (N,),
    already cleaned (:func:`clean_history`); ``fit_days`` > 0.
    """
    if not fit_days > 0.0:
        raise _problem(f"must be positive, got {fit_days}", "fit_days")
    jd, alt = _checked(epoch_jd_utc, mean_altitude_km)
    if jd.size == 0:
        return []
    since = float(jd[-1]) - fit_days - 1e-9
    pooled = []
    for span in reboost_free_spans(jd, alt, rise_km=rise_km, settle_days=settle_days):
        if span.end_jd_utc < since:
            continue
        first = span.first + int(np.searchsorted(jd[span.first : span.last + 1], since))
        cut = Span(first, span.last, float(jd[first]), span.end_jd_utc)
        if cut.sets >= POOL_MIN_SETS and cut.days >= POOL_MIN_DAYS:
            pooled.append(cut)
    if sum(s.days for s in pooled) >= min_days and sum(s.sets for s in pooled) >= min_sets:
        return pooled
    single = fit_span(
        jd,
        alt,
        fit_days,
        min_days=min_days,
        min_sets=min_sets,
        rise_km=rise_km,
        settle_days=settle_days,
    )
    return [] if single is None else [single]


@dataclass(frozen=True)
class BallisticFit:
    """C_D A / m fitted to a mean-altitude history (:func:`fit_ballistic`).

    ``ballistic_m2_kg`` C_D A / m (m^2/kg) and its 1-sigma ``sigma_m2_kg`` (serial correlation
    allowed for; ``formal_sigma_m2_kg`` without); ``initial_altitude_km`` the fitted mean
    altitude at ``epoch_utc``; ``residual_rms_km`` the RMS of observed minus fitted altitude;
    ``observations``; ``effective_observations`` (AR(1)); ``observed_decay_km`` and
    ``fitted_decay_km``: the altitude lost over the span by a straight line through the
    observations and by the fitted model; ``span_days``; ``space_weather_clamped`` True when
    the span fell outside the space-weather data; ``spans`` the number of reboost-free spans
    fitted together (:func:`fit_pooled`: ``epoch_utc`` is the first one's start,
    ``initial_altitude_km`` the last one's, ``span_days`` and the decays their sums).
    """

    epoch_utc: datetime
    span_days: float
    ballistic_m2_kg: float
    sigma_m2_kg: float
    formal_sigma_m2_kg: float
    initial_altitude_km: float
    residual_rms_km: float
    observations: int
    effective_observations: float
    observed_decay_km: float
    fitted_decay_km: float
    space_weather_clamped: bool
    spans: int = 1


def with_ballistic(model: DecayModel, ballistic_m2_kg: float) -> DecayModel:
    """``model`` with its body replaced by one whose C_D A / m is ``ballistic_m2_kg``
    (m^2/kg): mass 1 kg, C_D 1, area ``ballistic_m2_kg`` m^2."""
    return dataclasses.replace(model, body=DragBody(1.0, ballistic_m2_kg, 1.0))


def model_altitude_km(
    model: DecayModel,
    epoch_utc: datetime,
    t_days: ArrayLike,
    initial_altitude_km: float,
    ballistic_m2_kg: float,
    raan_deg: float = 0.0,
) -> Array:
    """Mean altitude (km, (N,)) at ``t_days`` (N,) days (>= 0) after ``epoch_utc`` of an
    object starting at ``initial_altitude_km`` with C_D A / m ``ballistic_m2_kg`` (m^2/kg),
    by :func:`~stationplan.orbit.decay.propagate_decay` (node ``raan_deg`` at the epoch)."""
    t = np.atleast_1d(np.asarray(t_days, dtype=float))
    end = epoch_utc + _days(float(t.max()) if t.size else 0.0)
    hist = propagate_decay(
        with_ballistic(model, ballistic_m2_kg), epoch_utc, end, initial_altitude_km, raan_deg
    )
    return hist.altitude_at_km(t * DAY_S)


@dataclass(frozen=True)
class Segment:
    """The observations of one reboost-free span for :func:`fit_pooled`: ``epoch_utc`` (aware
    UTC) its first epoch, ``t_days`` (N,) days from it (>= 0, increasing),
    ``mean_altitude_km`` (N,) the observed mean altitudes, ``raan_deg`` the node (TEME) at
    ``epoch_utc``."""

    epoch_utc: datetime
    t_days: Array
    mean_altitude_km: Array
    raan_deg: float = 0.0


def fit_ballistic(
    model: DecayModel,
    epoch_utc: datetime,
    t_days: ArrayLike,
    mean_altitude_km: ArrayLike,
    raan_deg: float = 0.0,
) -> BallisticFit:
    """Least-squares C_D A / m (m^2/kg) and initial mean altitude of the observed decay of
    one span: :func:`fit_pooled` of that span alone.

    ``model`` gives the inclination, space weather and numerics (its body is ignored);
    ``epoch_utc`` (aware UTC) the span's first epoch; ``t_days`` (N,) days from it (>= 0,
    increasing); ``mean_altitude_km`` (N,) the observed mean altitudes; ``raan_deg`` the node
    (TEME) at ``epoch_utc``. Method and uncertainty: module docstring. Raises ArgumentError
    for fewer than 3 observations or a span shorter than 0.5 day.
    """
    t = np.asarray(t_days, dtype=float)
    alt = np.asarray(mean_altitude_km, dtype=float)
    return fit_pooled(model, [Segment(epoch_utc, t, alt, raan_deg)])


def fit_pooled(
    model: DecayModel, segments: Sequence[Segment], *, recency_days: float | None = None
) -> BallisticFit:
    """One C_D A / m (m^2/kg) shared by the reboost-free spans ``segments`` (time order),
    each with its own fitted initial mean altitude (it starts after its own reboost).

    Least squares (``scipy.optimize.least_squares``, trust-region reflective, C_D A / m > 0,
    forward-difference Jacobian whose sparsity, each start altitude touching only its own
    span, is passed on); with ``recency_days`` each set is weighted by exp(-age /
    ``recency_days``), its age counted back from the last set (exponential forgetting). The
    1-sigma of C_D A / m is that of the covariance (J^T W J)^-1 scaled by the weighted
    residual variance, inflated for the lag-1 autocorrelation of the residuals within the
    spans (module docstring). ``model`` gives the inclination, space weather and numerics
    (its body is ignored). The result's ``epoch_utc`` is the first span's first epoch,
    ``initial_altitude_km`` the last span's fitted start, ``span_days``,
    ``observed_decay_km`` and ``fitted_decay_km`` are summed over the spans. Raises
    ArgumentError for a span with fewer than 3 observations or shorter than 0.5 day.
    """
    if not segments:
        raise _problem("needs one or more spans to fit", "segments")
    ts, alts = [], []
    for seg in segments:
        t = np.asarray(seg.t_days, dtype=float)
        alt = np.asarray(seg.mean_altitude_km, dtype=float)
        if t.shape != alt.shape or t.ndim != 1:
            raise _problem(f"t_days {t.shape} and mean_altitude_km {alt.shape} must be (N,) alike")
        if t.size < 3 or not np.all(np.isfinite(t)) or not np.all(np.isfinite(alt)):
            raise _problem(f"needs 3 or more finite observations, got {t.size}", "mean_altitude_km")
        if np.any(t < 0.0) or np.any(np.diff(t) < 0.0) or t[-1] - t[0] < 0.5:
            raise _problem(
                "observation times must be >= 0, increasing, and span at least 0.5 day",
                "t_days",
            )
        ts.append(t)
        alts.append(alt)
    k = len(segments)
    sizes = [t.size for t in ts]
    bounds_at = np.r_[0, np.cumsum(sizes)]
    obs = np.concatenate(alts)
    last = segments[-1].epoch_utc + _days(float(ts[-1][-1]))
    if recency_days is None:
        weight = np.ones(obs.size)
    else:
        age = np.concatenate(
            [
                (last - seg.epoch_utc).total_seconds() / DAY_S - t
                for seg, t in zip(segments, ts, strict=True)
            ]
        )
        weight = np.exp(-np.maximum(age, 0.0) / recency_days)
    root_w = np.sqrt(weight)
    # Start guesses: straight lines through each span; C_D A / m from their weighted mean
    # slope over the rate per unit coefficient. The fit is in units of that guess (all
    # parameters of order one), falling back to 0.001 m^2/kg when the spans show no decay.
    lines = [np.polyfit(t, alt, 1) for t, alt in zip(ts, alts, strict=True)]
    guesses = []
    for seg, (slope, intercept) in zip(segments, lines, strict=True):
        per_unit = float(
            decay_rate_km_day(with_ballistic(model, 1.0), seg.epoch_utc, intercept, seg.raan_deg)[0]
        )
        guesses.append(float(slope) / per_unit if per_unit < 0.0 else 0.0)
    b0 = float(
        np.average(
            guesses,
            weights=[float(np.sum(weight[bounds_at[i] : bounds_at[i + 1]])) for i in range(k)],
        )
    )
    b0 = b0 if b0 > 1e-6 else 1e-3

    def fitted_of(x: Array) -> Array:
        return np.concatenate(
            [
                model_altitude_km(
                    model, seg.epoch_utc, t, float(x[i]), float(x[k]) * b0, seg.raan_deg
                )
                for i, (seg, t) in enumerate(zip(segments, ts, strict=True))
            ]
        )

    def residuals(x: Array) -> Array:
        return np.asarray(root_w * (fitted_of(x) - obs), dtype=float)

    sparsity = np.zeros((obs.size, k + 1), dtype=int)
    for i in range(k):
        sparsity[bounds_at[i] : bounds_at[i + 1], i] = 1
    sparsity[:, k] = 1
    x0 = np.r_[[float(line[1]) for line in lines], 1.0]
    sol = optimize.least_squares(
        residuals,
        x0,
        jac_sparsity=sparsity if k > 1 else None,
        bounds=(np.r_[np.full(k, -np.inf), 1e-6], np.full(k + 1, np.inf)),
        method="trf",
        diff_step=1e-4,
    )
    x = np.asarray(sol.x, dtype=float)
    b = float(x[k]) * b0
    fitted = fitted_of(x)
    resid = obs - fitted
    n, p = obs.size, k + 1
    jac = sol.jac.toarray() if hasattr(sol.jac, "toarray") else np.asarray(sol.jac)
    wrss = float(np.dot(weight * resid, resid))
    dof = max(n - p, 1)
    try:
        cov_bb = float(np.linalg.pinv(jac.T @ jac)[k, k]) * wrss / dof
    except np.linalg.LinAlgError:
        cov_bb = math.inf
    formal = math.sqrt(max(cov_bb, 0.0)) * b0
    # lag-1 autocorrelation of the residuals, pairs within a span only
    num = den = 0.0
    for i in range(k):
        r = resid[bounds_at[i] : bounds_at[i + 1]]
        c = r - r.mean()
        num += float(np.dot(c[:-1], c[1:]))
        den += float(np.dot(c, c))
    r1 = num / den if n > 3 and den > 0.0 else 0.0
    r1 = min(max(r1, 0.0), 0.95)
    n_eff = max(n * (1.0 - r1) / (1.0 + r1), float(p + 1))
    inflate = math.sqrt((n - p) / max(n_eff - p, 1.0)) if n > p else 1.0
    clamped = False
    observed = fitted_decay = 0.0
    for i, (seg, t) in enumerate(zip(segments, ts, strict=True)):
        hist = propagate_decay(
            with_ballistic(model, b),
            seg.epoch_utc,
            seg.epoch_utc + _days(float(t[-1])),
            float(x[i]),
            seg.raan_deg,
        )
        clamped = clamped or hist.space_weather_clamped
        observed += float(-lines[i][0] * (t[-1] - t[0]))
        part = fitted[bounds_at[i] : bounds_at[i + 1]]
        fitted_decay += float(part[0] - part[-1])
    return BallisticFit(
        epoch_utc=segments[0].epoch_utc,
        span_days=float(sum(float(t[-1] - t[0]) for t in ts)),
        ballistic_m2_kg=b,
        sigma_m2_kg=formal * max(inflate, 1.0),
        formal_sigma_m2_kg=formal,
        initial_altitude_km=float(x[k - 1]),
        residual_rms_km=float(np.sqrt(np.mean(resid**2))),
        observations=n,
        effective_observations=float(n_eff),
        observed_decay_km=observed,
        fitted_decay_km=fitted_decay,
        space_weather_clamped=clamped,
        spans=k,
    )


def _days(days: float) -> timedelta:
    return timedelta(days=days)


def _checked(epoch_jd_utc: ArrayLike, mean_altitude_km: ArrayLike) -> tuple[Array, Array]:
    jd = np.asarray(epoch_jd_utc, dtype=float)
    alt = np.asarray(mean_altitude_km, dtype=float)
    if jd.ndim != 1 or jd.shape != alt.shape:
        raise _problem(
            f"epoch_jd_utc {jd.shape} and mean_altitude_km {alt.shape} must be (N,) alike"
        )
    if np.any(np.diff(jd) <= 0.0):
        raise _problem("epochs must be strictly increasing", "epoch_jd_utc")
    return jd, alt
