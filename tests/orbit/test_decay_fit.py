"""C_D A / m fitted to a mean-altitude history: on the model's own output, and against the ISS.

Validation (measured 2026-12-03, 2 cores). Source: Space-Track/CelesTrak element-set histories
of the ISS (NORAD 25544), 1998-11 to 2004-12 and 2024-12 to 2025-07; space weather CelesTrak
SW-All (observed F10.7 and Ap). For each reboost-free span of at least 10 days (from 2001-03,
when the P6 arrays and Destiny had set the station's drag area), C_D A / m is fitted with ONLY
the element sets before the span (one coefficient pooled over the reboost-free spans of the
last 30 days before it, each with its own start altitude: fit_spans, fit_pooled), then the
decay over the span is predicted from its first set and compared with the observed decay
(straight line through the span's sets, times its length). Per span: start, length, observed
km, predicted km, error, fitted C_D A / m (1e-3 m^2/kg) +- 1 sigma, spans pooled, days of
data fitted::

    2024-12-23  19.5 d   2.74   2.09   -23.8 %   5.53 +- 0.08  1  11.6 d
    2025-01-13  19.2 d   2.54   2.46    -3.0 %   7.08 +- 0.31  2  28.5 d
    2025-02-02  17.2 d   1.64   2.07   +26.2 %   7.21 +- 0.09  2  28.7 d
    2025-02-21  24.2 d   2.43   2.43    -0.1 %   6.11 +- 0.30  2  28.5 d
    2025-03-19  14.0 d   2.46   1.46   -40.7 %   6.12 +- 0.71  2  28.6 d
    2025-04-03  20.3 d   2.00   2.50   +24.5 %   7.91 +- 2.60  2  27.9 d
    2025-05-02  47.7 d   2.97   2.61   -12.0 %   6.39 +- 0.42  3  27.9 d
    2025-06-20  26.6 d   1.24   1.23    -0.6 %   8.10 +- 0.09  1  29.9 d
      8 spans: median |error| 17.9 %, 4 within 20 %, worst 40.7 %
    2001-03-19  16.3 d   6.48   8.17   +26.1 %  12.68 +- 0.25  1  25.8 d
    2001-04-09  11.3 d   3.66   3.53    -3.6 %  10.51 +- 1.80  3  23.8 d
    2001-04-29  77.1 d  17.34  16.14    -6.9 %  11.88 +- 0.60  3  22.1 d
    2001-07-26  19.5 d   2.38   3.65   +53.3 %  15.62 +- 1.10  3  26.4 d
    2001-08-18  53.8 d  15.56  18.23   +17.1 %  10.41 +- 0.42  3  23.9 d
    2001-10-12  58.4 d  21.60  20.59    -4.7 %   8.61 +- 0.12  1  29.8 d
    2001-12-13  27.1 d   9.51   7.71   -18.9 %   7.54 +- 0.06  2  28.1 d
    2002-01-11  41.3 d  16.72  13.06   -21.9 %   9.22 +- 0.18  1  27.1 d
    2002-02-22  11.3 d   3.91   4.72   +20.7 %  11.54 +- 0.07  1  29.9 d
    2002-03-14  30.8 d   9.72  10.39    +6.9 %  10.58 +- 1.09  3  27.7 d
    2002-04-20  25.4 d   6.63   6.20    -6.6 %   9.53 +- 0.70  2  26.2 d
    2002-05-16  25.4 d   4.22   5.08   +20.2 %  10.19 +- 0.09  2  27.0 d
    2002-06-15  47.0 d   5.63   5.64    +0.1 %   8.53 +- 0.86  1  25.4 d
    2002-08-02  40.2 d   8.17   5.58   -31.8 %   6.95 +- 0.37  1  29.7 d
    2002-09-12  29.2 d   7.69   7.26    -5.7 %  10.21 +- 0.21  1  29.6 d
    2002-10-19  39.2 d   9.03  10.38   +14.9 %  10.89 +- 0.13  2  26.5 d
    2002-12-03  69.8 d  10.85  10.49    -3.3 %   9.85 +- 0.23  1  26.5 d
      17 spans: median |error| 14.9 %, 11 within 20 %, worst 53.3 %
    2003-02-12  28.5 d   3.93   4.24    +7.7 %  11.03 +- 0.10  1  29.9 d
    2003-03-14  20.4 d   2.62   3.14   +19.7 %  10.33 +- 0.60  1  28.5 d
    2003-04-11  49.2 d   4.87   5.42   +11.3 %   8.72 +- 0.68  3  26.2 d
    2003-05-31 123.0 d  10.79   9.02   -16.4 %   7.09 +- 0.14  1  29.8 d
    2003-10-02  98.5 d  14.05  14.98    +6.6 %   6.76 +- 0.77  1  29.9 d
    2004-01-09  53.3 d   5.80   5.04   -13.1 %   7.03 +- 0.54  1  29.8 d
    2004-03-03  75.9 d   9.63   7.84   -18.6 %   7.15 +- 0.20  1  30.0 d
    2004-05-19  92.4 d   7.85   9.04   +15.2 %   8.18 +- 0.61  1  30.0 d
    2004-08-26  27.9 d   2.87   2.63    -8.1 %   6.94 +- 0.07  2  29.2 d
    2004-09-24  54.1 d   8.03   6.79   -15.4 %   7.52 +- 0.12  2  29.0 d
    2004-11-18  43.5 d   5.11   6.15   +20.4 %   9.48 +- 0.12  1  29.9 d
      11 spans: median |error| 15.2 %, 10 within 20 %, worst 20.4 %

Fitted on the last reboost-free span alone (at most 30 days), the same spans gave 25 within
20 %, medians 17.9, 15.6 and 15.2 %, worst 62.6 % (2025-04-03). Pooled over 60 days: 26
within 20 %, medians 12.4, 11.5 and 14.9 %, but worst 70.8 % and 7 of 11 in 2003-2004; over
45 days: 23, worst 47.2 %; over 60 days with sets weighted exp(-age / 20 days): 24, worst
43.9 %. None is better on every history, so the default stays 30 days, unweighted.

The goal, every span within 20 %, is NOT met: 25 of the 36 spans are (4 of 8 in 2024-2025);
the median error is 15-18 %. The misses are the station, not the fit: C_D A / m moves by
20-60 % from one span to the next (attitude, solar-array feathering, visiting vehicles), far
outside the fit's own 1-sigma of 1-33 %, which measures only the element sets' scatter.
Asserted per history: median |error| <= 20 %, at least the count within 20 % above, every
span within 55 %. The test prints the table (-s).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from stationplan.errors import ArgumentError
from stationplan.orbit.decay import DecayModel, DragBody
from stationplan.orbit.decay_fit import (
    MIN_SPAN_DAYS,
    Segment,
    clean_history,
    fit_ballistic,
    fit_pooled,
    fit_span,
    fit_spans,
    model_altitude_km,
    reboost_cuts,
    reboost_free_spans,
)
from stationplan.orbit.element_files import read_elements
from stationplan.orbit.elements import summarize
from stationplan.orbit.spaceweather import SpaceWeather
from stationplan.orbit.spaceweather_files import read_space_weather

EPOCH = datetime(2025, 3, 1, tzinfo=UTC)
ISS_INC_DEG = 51.64


@pytest.fixture(scope="module")
def constant_model() -> DecayModel:
    return DecayModel(ISS_INC_DEG, DragBody(1.0, 1.0, 1.0), SpaceWeather.constant(150, 150, 15))


def test_fit_recovers_the_model_coefficient(constant_model: DecayModel) -> None:
    """Twenty days of sets every 0.2 day, made by the model itself at C_D A / m 0.006 m^2/kg
    (ISS-like: ~2.2 x 1,200 m^2 / 450 t) from 415 km, plus seeded 30 m Gaussian scatter: the
    fit recovers 0.006 within 2 sigma and 2 %, and the start altitude within 30 m. Without
    scatter, within 0.1 %."""
    t = np.arange(0.0, 20.0, 0.2)
    truth = model_altitude_km(constant_model, EPOCH, t, 415.0, 0.006, raan_deg=40.0)
    exact = fit_ballistic(constant_model, EPOCH, t, truth, raan_deg=40.0)
    assert exact.ballistic_m2_kg == pytest.approx(0.006, rel=1e-3)
    assert exact.residual_rms_km < 1e-3
    rng = np.random.default_rng(20261203)
    noisy = truth + rng.normal(0.0, 0.030, t.size)
    fit = fit_ballistic(constant_model, EPOCH, t, noisy, raan_deg=40.0)
    assert abs(fit.ballistic_m2_kg - 0.006) < 2.0 * fit.sigma_m2_kg
    assert fit.ballistic_m2_kg == pytest.approx(0.006, rel=0.02)
    assert 0.0 < fit.sigma_m2_kg < 0.02 * 0.006
    assert fit.initial_altitude_km == pytest.approx(415.0, abs=0.03)
    assert fit.residual_rms_km == pytest.approx(0.030, rel=0.25)
    assert fit.fitted_decay_km == pytest.approx(truth[0] - truth[-1], rel=0.02)


def test_fit_coefficient_scales_with_the_decay(constant_model: DecayModel) -> None:
    """Twice the C_D A / m, about twice the decay, and the fit tells them apart."""
    t = np.arange(0.0, 10.0, 0.25)
    fits = [
        fit_ballistic(
            constant_model, EPOCH, t, model_altitude_km(constant_model, EPOCH, t, 400.0, b)
        ).ballistic_m2_kg
        for b in (0.004, 0.008)
    ]
    assert fits == pytest.approx([0.004, 0.008], rel=2e-3)


def test_pooled_fit_shares_the_coefficient(constant_model: DecayModel) -> None:
    """Two spans made by the model at C_D A / m 0.006 m^2/kg, 8 days from 415 km then, after a
    +2 km reboost, 6 days: one pooled fit recovers 0.006 and each span's start altitude."""
    second = EPOCH + timedelta(days=8.5)
    t1, t2 = np.arange(0.0, 8.0, 0.25), np.arange(0.0, 6.0, 0.25)
    a1 = model_altitude_km(constant_model, EPOCH, t1, 415.0, 0.006)
    a2 = model_altitude_km(constant_model, second, t2, 416.0, 0.006)
    fit = fit_pooled(constant_model, [Segment(EPOCH, t1, a1), Segment(second, t2, a2)])
    assert fit.spans == 2 and fit.observations == t1.size + t2.size
    assert fit.ballistic_m2_kg == pytest.approx(0.006, rel=1e-3)
    assert fit.initial_altitude_km == pytest.approx(416.0, abs=1e-3)
    assert fit.epoch_utc == EPOCH and fit.span_days == pytest.approx(t1[-1] + t2[-1])


def test_fit_refuses_too_little_data(constant_model: DecayModel) -> None:
    with pytest.raises(ArgumentError, match="3 or more"):
        fit_ballistic(constant_model, EPOCH, [0.0, 1.0], [400.0, 399.9])
    with pytest.raises(ArgumentError, match=r"at least 0\.5 day"):
        fit_ballistic(constant_model, EPOCH, [0.0, 0.1, 0.2], [400.0, 399.99, 399.98])


def _sawtooth() -> tuple[np.ndarray, np.ndarray]:
    """Sets every 0.25 day for 40 days, decaying 0.1 km/day from 410 km with 40 m of seeded
    scatter, reboosted by +2 km between day 15.0 and 15.25 (set 60 -> 61) and by +0.5 km
    between day 30.0 and 30.25 (set 120 -> 121); set 80 is an outlier, 1 km high."""
    t = np.arange(0.0, 40.0, 0.25)
    alt = 410.0 - 0.1 * t + 2.0 * (t > 15.0) + 0.5 * (t > 30.0)
    alt += np.random.default_rng(7).normal(0.0, 0.04, t.size)
    alt[80] += 1.0
    return 2460000.5 + t, alt


def test_outliers_and_reboosts_are_found() -> None:
    jd, alt = _sawtooth()
    keep = clean_history(jd, alt)
    assert np.flatnonzero(~keep).tolist() == [80]
    jd, alt = jd[keep], alt[keep]
    assert reboost_cuts(alt).tolist() == [60, 119]  # 120 -> 119 once set 80 is dropped
    spans = reboost_free_spans(jd, alt)
    # each span after a reboost starts 0.5 day (2 sets) after it (sets fitted across the burn)
    assert [(s.first, s.last) for s in spans] == [(0, 60), (63, 119), (122, alt.size - 1)]
    assert spans[1].start_jd_utc - jd[61] == pytest.approx(0.5)


def test_fit_span_is_the_last_reboost_free_span_cut_to_fit_days() -> None:
    jd, alt = _sawtooth()
    keep = clean_history(jd, alt)
    jd, alt = jd[keep], alt[keep]
    whole = fit_span(jd, alt, 30.0)
    assert whole is not None and (whole.first, whole.last) == (122, alt.size - 1)
    assert whole.days == pytest.approx(9.0)  # day 30.75 to 39.75
    cut = fit_span(jd, alt, 6.0)
    assert cut is not None and cut.last == alt.size - 1
    assert cut.days == pytest.approx(6.0)
    # shorter than MIN_SPAN_DAYS after the last reboost: the span before it, cut
    short = fit_span(jd[:125], alt[:125], 30.0)
    assert MIN_SPAN_DAYS == 5.0
    assert short is not None and (short.first, short.last) == (63, 119)
    assert fit_span(jd[:10], alt[:10], 30.0) is None  # 2.25 days: nothing to fit


# --------------------------------------------------------------------- the ISS

DATA_DIR = ("tle", "iss")
HISTORIES = {
    "2024-2025": (
        "iss_25544_2024-12_2025-07_Aritra476-ISS-Orbital-Tracking-and-Analysis.tle",
        None,
        None,
    ),
    "2001-2002": (
        "iss_25544_1998-11_2004-12_mfacchinelli-tleAnalysis.tle",
        datetime(2001, 3, 1, tzinfo=UTC),
        datetime(2003, 1, 1, tzinfo=UTC),
    ),
    "2003-2004": (
        "iss_25544_1998-11_2004-12_mfacchinelli-tleAnalysis.tle",
        datetime(2003, 1, 1, tzinfo=UTC),
        None,
    ),
}
SW_FILE = ("space_weather", "celestrak_SW-All_1998-07_2041-10_thermodense.csv")
CHECK_MIN_DAYS = 10.0
FIT_DAYS = 30.0
MEDIAN_GOAL = 0.20
WITHIN_GOAL = 0.20
WITHIN = {"2024-2025": 4, "2001-2002": 11, "2003-2004": 10}
"""Spans within WITHIN_GOAL of the observed decay, as measured (module docstring)."""
WORST = 0.55


@pytest.mark.parametrize("label", sorted(HISTORIES))
def test_iss_decay_predicted_from_the_sets_before_each_span(label: str, shared_data: Path) -> None:
    name, since, until = HISTORIES[label]
    weather = read_space_weather(shared_data.joinpath(*SW_FILE))
    model = DecayModel(ISS_INC_DEG, DragBody(1.0, 1.0, 1.0), weather)
    by_epoch = {
        round(e.epoch_jd_utc, 8): e
        for e in read_elements(shared_data.joinpath(*DATA_DIR, name)).elements
    }
    sets = [summarize(by_epoch[k]) for k in sorted(by_epoch)]
    jd = np.array(sorted(by_epoch))
    alt = np.array([s.mean_altitude_km for s in sets])
    keep = clean_history(jd, alt)
    jd, alt = jd[keep], alt[keep]
    sets = [s for s, k in zip(sets, keep.tolist(), strict=True) if k]
    spans = reboost_free_spans(jd, alt)
    errors = []
    for before, span in itertools.pairwise(spans):
        start = sets[span.first]
        if span.days < CHECK_MIN_DAYS:
            continue
        if (since and start.epoch_utc < since) or (until and start.epoch_utc >= until):
            continue
        # the fit sees only the sets up to the reboost that opens the span
        regions = fit_spans(jd[: before.last + 1], alt[: before.last + 1], FIT_DAYS)
        assert regions
        segments = [
            Segment(
                sets[r.first].epoch_utc,
                jd[r.first : r.last + 1] - jd[r.first],
                alt[r.first : r.last + 1],
                sets[r.first].raan_deg,
            )
            for r in regions
        ]
        fit = fit_pooled(model, segments)
        first = sets[regions[0].first]
        assert not fit.space_weather_clamped
        t = jd[span.first : span.last + 1] - jd[span.first]
        observed_km = -np.polyfit(t, alt[span.first : span.last + 1], 1)[0] * t[-1]
        predicted = model_altitude_km(
            model, start.epoch_utc, t, start.mean_altitude_km, fit.ballistic_m2_kg, start.raan_deg
        )
        predicted_km = -np.polyfit(t, predicted, 1)[0] * t[-1]
        error = predicted_km / observed_km - 1.0
        errors.append(error)
        print(
            f"{start.epoch_utc:%Y-%m-%d} {t[-1]:5.1f} d  observed {observed_km:5.2f} km  "
            f"predicted {predicted_km:5.2f} km  {100 * error:+6.1f} %  C_D A/m "
            f"{1e3 * fit.ballistic_m2_kg:6.2f} +- {1e3 * fit.sigma_m2_kg:.2f} e-3 m^2/kg "
            f"(fitted {fit.spans} spans from {first.epoch_utc:%Y-%m-%d}, {fit.span_days:.1f} d, "
            f"{fit.observations} sets)"
        )
    err = np.abs(np.array(errors))
    print(
        f"{label}: {err.size} spans, median |error| {100 * np.median(err):.1f} %, "
        f"within 20 %: {np.sum(err <= 0.2)}, worst {100 * err.max():.1f} %"
    )
    assert err.size >= 8
    assert float(np.median(err)) <= MEDIAN_GOAL
    assert int(np.sum(err <= WITHIN_GOAL)) >= WITHIN[label]
    assert float(err.max()) <= WORST
