"""One-object lifetime with C_D A / m fitted to the object's element history.

Data: the ISS (NORAD 25544) element sets of 2024-12-10 to 2025-07-02 (Space-Track/CelesTrak
history, the first 1,075 sets of the 2024-12 to 2025-07 file); the last set, 2025-07-02
20:36 UTC, has B* -0.28156e-3, so no drag area follows from it. The last reboost before it
(2025-06-19) leaves a 12.7-day reboost-free span, 2025-06-20 03:56 to 2025-07-02 20:36; with
the default 30 days of history the fit pools it with the end of the span before that reboost,
from 2025-06-02 21:16 (131 sets in 2 spans).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stationplan.errors import ArgumentError
from stationplan.ops.lifetime import LifetimeRequest, lifetime
from stationplan.ops.requests import make_request
from tests.ops.scenarios import utc

ISS_2024 = "iss_25544_2024-12_2025-07_Aritra476-ISS-Orbital-Tracking-and-Analysis.tle"
NEGATIVE_LAST_LINE = 2150  # line 2 of the 2025-07-02 20:36 set, B* -0.28156e-3


def history_lines(shared_data: Path) -> list[str]:
    return (shared_data / "tle" / "iss" / ISS_2024).read_text(encoding="utf-8").splitlines()


@pytest.fixture()
def negative_history(shared_data: Path, tmp_path: Path) -> Path:
    f = tmp_path / "iss_history.tle"
    f.write_text("\n".join(history_lines(shared_data)[:NEGATIVE_LAST_LINE]) + "\n")
    return f


def test_negative_bstar_history_is_fitted(negative_history: Path) -> None:
    answer = lifetime(
        make_request(
            LifetimeRequest, {"elements_file": negative_history, "days": 40, "f107": 150, "ap": 12}
        )
    )
    fit, interval = answer.fit, answer.interval
    assert fit is not None and interval is not None
    # starts from the latest set, not the file's first
    assert answer.start_utc.replace(microsecond=0) == utc(2025, 7, 2, 20).replace(
        minute=36, second=11
    )
    assert fit.span_end_utc == answer.start_utc
    assert fit.span_start_utc.date() == utc(2025, 6, 2).date()
    assert 120 <= fit.span_sets <= 140 and fit.history_sets > 900
    # ISS C_D A / m is 0.005-0.011 m^2/kg with NRLMSIS 2.1 (tests/orbit/test_decay_fit.py)
    assert 0.004 < fit.ballistic_m2_kg < 0.012
    assert 0.0 < fit.sigma_m2_kg < 0.2 * fit.ballistic_m2_kg
    assert fit.fitted_decay_km == pytest.approx(fit.observed_decay_km, rel=0.1)
    # the area follows from the coefficient for the default 1000 kg and C_D 2.2
    assert answer.drag_area_m2 == pytest.approx(fit.ballistic_m2_kg * 1000 / 2.2)
    assert "fitted to the decay of" in answer.drag_area_source
    assert "in 2 reboost-free spans" in answer.drag_area_source
    # the interval brackets the prediction: a larger coefficient decays faster
    assert interval.ballistic_low_m2_kg < fit.ballistic_m2_kg < interval.ballistic_high_m2_kg
    assert interval.ballistic_high_m2_kg - fit.ballistic_m2_kg == pytest.approx(fit.sigma_m2_kg)
    end = answer.mean_altitude_km[-1]
    assert interval.mean_altitude_low_km[-1] < end < interval.mean_altitude_high_km[-1]
    assert np.all(interval.mean_altitude_low_km <= answer.mean_altitude_km + 1e-9)
    assert len(answer.sample_times_utc) == 41


def test_fit_days_limits_the_span(negative_history: Path) -> None:
    answer = lifetime(
        make_request(LifetimeRequest, {"elements_file": negative_history, "days": 5, "fit_days": 6})
    )
    assert answer.fit is not None
    span_days = (answer.fit.span_end_utc - answer.fit.span_start_utc).total_seconds() / 86400
    assert 5.0 <= span_days <= 6.0


def test_given_area_wins_over_the_history(negative_history: Path) -> None:
    answer = lifetime(
        make_request(
            LifetimeRequest,
            {"elements_file": negative_history, "days": 2, "area_m2": 3, "mass_kg": 1000},
        )
    )
    assert answer.fit is None and answer.interval is None
    assert (answer.drag_area_m2, answer.drag_area_source) == (3, "given")


def test_single_negative_set_names_the_ways_out(shared_data: Path, tmp_path: Path) -> None:
    f = tmp_path / "one.tle"
    lines = history_lines(shared_data)
    f.write_text("\n".join(lines[NEGATIVE_LAST_LINE - 2 : NEGATIVE_LAST_LINE]) + "\n")
    with pytest.raises(ArgumentError) as err:
        lifetime(make_request(LifetimeRequest, {"elements_file": f, "days": 40}))
    (problem,) = err.value.problems
    assert problem.field == "area_m2"
    assert problem.message.startswith("the element set's B* is -0.00028156: no drag area")
    assert "single element set" in problem.message
    assert "--area-m2" in problem.message and "--fit-days" in problem.message


def test_short_history_with_positive_bstar_falls_back(shared_data: Path, tmp_path: Path) -> None:
    """The first 6 sets (2024-12-10/11, one day, B* > 0): too short to fit; B* gives the area
    and a note says why."""
    f = tmp_path / "short.tle"
    f.write_text("\n".join(history_lines(shared_data)[:12]) + "\n")
    answer = lifetime(make_request(LifetimeRequest, {"elements_file": f, "days": 2}))
    assert answer.fit is None and answer.drag_area_source.startswith("B* ")
    assert any("no reboost-free span" in n for n in answer.notes)
