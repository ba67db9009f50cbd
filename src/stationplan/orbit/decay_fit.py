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
3. *Span* (:func:`fit_span`): the reboost-free span that ends at the last set, cut to its
   last ``fit_days``; if that is shorter than ``min_days`` or holds fewer than ``min_sets``
   sets, the most recent earlier span that is long enough.
4. *Fit* (:func:`fit_ballistic`): the span's mean altitudes are fitted by least squares
   (``scipy.optimize.curve_fit``, trust-region reflective with C_D A / m > 0) with the
   project's orbit-averaged NRLMSIS decay model (:func:`stationplan.orbit.decay.propagate_decay`)
   for two parameters: the mean altitude at the span's first epoch and C_D A / m. The 1-sigma
   uncertainty is the square root of the covariance of the fit, scaled by the residual
   variance (``absolute_sigma=False``), and inflated for the serial correlation of the
   residuals (consecutive element sets share tracking data and errors): the effective number
   of observations is n (1 - r1) / (1 + r1) with r1 the lag-1 autocorrelation of the
   residuals (the AR(1) correction, Bretherton et al. 1999, J. Climate 12, 1990-2009).

The fitted coefficient carries the model's density errors with it (space weather, NRLMSIS):
predicted with the same model and weather, they largely cancel. Attitude and configuration
changes of the object after the span do not (the ISS's C_D A / m moved by about 30 % between
reboost-free spans of 2001-2004; tests/orbit/test_decay_fit.py).
"""

from __future__ import annotations

import dataclasses
import math
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


@dataclass(frozen=True)
class BallisticFit:
    """C_D A / m fitted to a mean-altitude history (:func:`fit_ballistic`).

    ``ballistic_m2_kg`` C_D A / m (m^2/kg) and its 1-sigma ``sigma_m2_kg`` (serial correlation
    allowed for; ``formal_sigma_m2_kg`` without); ``initial_altitude_km`` the fitted mean
    altitude at ``epoch_utc``; ``residual_rms_km`` the RMS of observed minus fitted altitude;
    ``observations``; ``effective_observations`` (AR(1)); ``observed_decay_km`` and
    ``fitted_decay_km``: the altitude lost over the span by a straight line through the
    observations and by the fitted model; ``span_days``; ``space_weather_clamped`` True when
    the span fell outside the space-weather data.
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


def fit_ballistic(
    model: DecayModel,
    epoch_utc: datetime,
    t_days: ArrayLike,
    mean_altitude_km: ArrayLike,
    raan_deg: float = 0.0,
) -> BallisticFit:
    """Least-squares C_D A / m (m^2/kg) and initial mean altitude of the observed decay.

    ``model`` gives the inclination, space weather and numerics (its body is ignored);
    ``epoch_utc`` (aware UTC) the span's first epoch; ``t_days`` (N,) days from it (>= 0,
    increasing); ``mean_altitude_km`` (N,) the observed mean altitudes; ``raan_deg`` the node
    (TEME) at ``epoch_utc``. Method and uncertainty: module docstring. Raises ArgumentError
    for fewer than 3 observations or a span shorter than 0.5 day.
    """
    t = np.asarray(t_days, dtype=float)
    alt = np.asarray(mean_altitude_km, dtype=float)
    if t.shape != alt.shape or t.ndim != 1:
        raise _problem(f"t_days {t.shape} and mean_altitude_km {alt.shape} must be (N,) alike")
    if t.size < 3 or not np.all(np.isfinite(t)) or not np.all(np.isfinite(alt)):
        raise _problem(f"needs 3 or more finite observations, got {t.size}", "mean_altitude_km")
    if np.any(t < 0.0) or np.any(np.diff(t) < 0.0) or t[-1] - t[0] < 0.5:
        raise _problem(
            "observation times must be >= 0, increasing, and span at least 0.5 day", "t_days"
        )
    slope_km_day, intercept_km = np.polyfit(t, alt, 1)
    per_unit = float(
        decay_rate_km_day(with_ballistic(model, 1.0), epoch_utc, intercept_km, raan_deg)[0]
    )
    # First guess from the straight-line slope; the fit is in units of it (both parameters
    # of order one), falling back to 0.001 m^2/kg when the span shows no decay.
    b0 = float(slope_km_day) / per_unit if per_unit < 0.0 else 0.0
    b0 = b0 if b0 > 1e-6 else 1e-3

    def f(tt: Array, h0: float, b_scaled: float) -> Array:
        return model_altitude_km(model, epoch_utc, tt, h0, b_scaled * b0, raan_deg)

    popt, pcov = optimize.curve_fit(
        f,
        t,
        alt,
        p0=[float(intercept_km), 1.0],
        bounds=([-np.inf, 1e-6], [np.inf, np.inf]),
        method="trf",
        diff_step=1e-4,
    )
    h0, b = float(popt[0]), float(popt[1]) * b0
    fitted = f(t, float(popt[0]), float(popt[1]))
    resid = alt - fitted
    n = t.size
    formal = math.sqrt(max(float(pcov[1, 1]), 0.0)) * b0
    r1 = 0.0
    if n > 3 and float(np.dot(resid, resid)) > 0.0:
        centred = resid - resid.mean()
        r1 = float(np.dot(centred[:-1], centred[1:]) / np.dot(centred, centred))
    r1 = min(max(r1, 0.0), 0.95)
    n_eff = max(n * (1.0 - r1) / (1.0 + r1), 3.0)
    inflate = math.sqrt((n - 2) / max(n_eff - 2.0, 1.0))
    hist = propagate_decay(
        with_ballistic(model, b), epoch_utc, epoch_utc + _days(float(t[-1])), h0, raan_deg
    )
    return BallisticFit(
        epoch_utc=epoch_utc,
        span_days=float(t[-1] - t[0]),
        ballistic_m2_kg=b,
        sigma_m2_kg=formal * max(inflate, 1.0),
        formal_sigma_m2_kg=formal,
        initial_altitude_km=h0,
        residual_rms_km=float(np.sqrt(np.mean(resid**2))),
        observations=n,
        effective_observations=float(n_eff),
        observed_decay_km=float(-slope_km_day * (t[-1] - t[0])),
        fitted_decay_km=float(fitted[0] - fitted[-1]),
        space_weather_clamped=hist.space_weather_clamped,
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
