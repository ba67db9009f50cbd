"""Launch windows and rendezvous against what really flew (Space-Track/CelesTrak ISS element
sets; launch times from J. McDowell's launch log, Jonathan's Space Report, planet4589.org).

For every Soyuz / Progress launch from Baikonur Site 1 in the historical launch file for which
an ISS element set from the 3 days before lift-off exists (2000-2004 history, and the single
2015-03-27 set for Soyuz TMA-16M), the window model predicts the lift-off instant from the
element set nearest before launch. The one calibrated quantity, the lift-off lead, is fitted
(median residual) on the 2000-2002 flights and checked on the 2003-2004 flights and on
TMA-16M, which flew a different profile (4-orbit, 6 h) than the fitting flights (2-day).

Asserted bounds: TMA-16M lift-off within 60 s and docking within 15 min (the 4-orbit timeline
of :data:`stationplan.orbit.rendezvous.TIMELINES`, from the insertion phase); the median error
of the check flights within 60 s. Progress M-43 (October 2000) is left out: it flew to Mir.
Measured: lead 168.9 s (13 fitting flights); check flights median 18.1 s, worst 56.7 s
(Progress M-50), TMA-16M +18.3 s. The 2024-2025 flights from Site 31 and the Dragon flights:
tests/orbit/test_launch_history_2025.py; the 2-day docking times of 2000-2005:
tests/orbit/test_two_day_docking.py.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from stationplan.orbit.element_files import read_elements
from stationplan.orbit.elements import ElementSet, summarize
from stationplan.orbit.launch import (
    AscentProfile,
    Pad,
    default_downrange_deg,
    insertion_phase_deg,
    launch_windows,
)
from stationplan.orbit.propagate import sgp4_trajectory
from stationplan.orbit.rendezvous import docking_after_launch_s
from stationplan.orbit.timescale import as_time, timescale

# Baikonur Site 1/5 "Gagarin's Start" (published pad coordinates, e.g. Wikipedia; approximate)
SITE_1 = Pad(45.920, 63.342, 100.0)
# insertion ~8 min 48 s after lift-off (Soyuz launch commentaries: spacecraft separation about
# 8 min 45 s after lift-off, e.g. Soyuz MS-03, 2016; approximate)
SOYUZ_ASCENT_S = 528.0
INSERTION_ALT_KM = 220.0  # approximate: Soyuz insertion orbit roughly 200 x 240 km
BAIKONUR_AZIMUTHS = [(33.0, 70.0)]
# Progress M-43 (October 2000) flew to Mir, not to the ISS (RSC Energia, "Docking of Progress-M-43
# logistics vehicle with the Mir station", 21 October 2000): its lift-off aimed at Mir's plane
NOT_ISS = {"Progress M-43"}
ONE_MINUTE_S = 60.0


@dataclass
class Flight:
    vehicle: str
    launch: datetime
    strategy: str
    predicted_s: float  # predicted minus actual, before the calibrated lead
    phase_deg: float  # insertion phase angle (station ahead, deg) at the real lift-off
    station_altitude_km: float


def _history(shared: Path) -> list[ElementSet]:
    tle = shared / "tle" / "iss"
    sets = read_elements(tle / "iss_25544_1998-11_2004-12_mfacchinelli-tleAnalysis.tle").elements
    return sets + read_elements(tle / "iss_25544_2015-03-27.tle").elements


def _flights(shared: Path) -> list[Flight]:
    history = _history(shared)
    out = []
    with (shared / "launches" / "iss_visiting_vehicle_launches_2000-2015.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if "Site 1" not in row["site"] or row["success"] != "S":
            continue
        if not row["vehicle"].startswith(("Soyuz", "Progress")) or row["vehicle"] in NOT_ISS:
            continue
        launch = datetime.fromisoformat(row["launch_utc"].replace("Z", "+00:00"))
        before = [e for e in history if launch - timedelta(days=3) < e.epoch_utc < launch]
        if not before:
            continue
        el = max(before, key=lambda e: e.epoch_jd_utc)
        summary = summarize(el)
        # Soyuz TMA-16M flew the 4-orbit fast profile; 2000-2004 flights flew the 2-day one
        strategy = "4orbit" if row["vehicle"] == "Soyuz TMA-16M" else "2day"
        profile = AscentProfile(SOYUZ_ASCENT_S, strategy, INSERTION_ALT_KM)
        windows = launch_windows(
            sgp4_trajectory(el),
            SITE_1,
            as_time(launch - timedelta(hours=13)),
            as_time(launch + timedelta(hours=13)),
            profile,
            summary.mean_altitude_km,
            summary.inclination_deg,
            BAIKONUR_AZIMUTHS,
        )
        actual_tt = float(as_time(launch).tt)
        nearest = min(windows, key=lambda w: abs(w.launch_jd_tt - actual_tt))
        phase = insertion_phase_deg(
            sgp4_trajectory(el),
            SITE_1,
            as_time(launch),
            profile,
            default_downrange_deg(SOYUZ_ASCENT_S, INSERTION_ALT_KM),
        )
        out.append(
            Flight(
                row["vehicle"],
                launch,
                strategy,
                (nearest.launch_jd_tt - actual_tt) * 86400.0,
                float(phase[0]),
                summary.mean_altitude_km,
            )
        )
    return out


@pytest.fixture(scope="module")
def flights(shared_data: Path) -> list[Flight]:
    return _flights(shared_data)


def _split(flights: list[Flight]) -> tuple[list[Flight], list[Flight]]:
    fit = [f for f in flights if f.launch.year <= 2002]
    check = [f for f in flights if f.launch.year > 2002]
    return fit, check


def fitted_lead_s(flights: list[Flight]) -> float:
    """The calibrated lead: median residual of the fitting flights (robust to outliers)."""
    fit, _ = _split(flights)
    return float(np.median([f.predicted_s for f in fit]))


def test_enough_flights(flights: list[Flight]) -> None:
    fit, check = _split(flights)
    assert len(fit) >= 12 and len(check) >= 10


def test_launch_instants_within_a_minute(flights: list[Flight]) -> None:
    lead = fitted_lead_s(flights)
    _, check = _split(flights)
    errors = np.array([f.predicted_s - lead for f in check])
    print(
        f"lead {lead:.1f} s; check flights: n={len(errors)}, median |err| "
        f"{np.median(np.abs(errors)):.1f} s, worst {np.abs(errors).max():.1f} s"
    )
    for f in check:
        print(
            f"  {f.vehicle:16s} {f.launch:%Y-%m-%d %H:%M:%S} {f.strategy:6s} "
            f"{f.predicted_s - lead:+7.1f} s"
        )
    assert np.median(np.abs(errors)) <= ONE_MINUTE_S
    tma16m = next(f for f in check if f.vehicle == "Soyuz TMA-16M")
    assert abs(tma16m.predicted_s - lead) <= ONE_MINUTE_S


def test_tma16m_docking_within_15_minutes(flights: list[Flight]) -> None:
    # Soyuz TMA-16M docked 2015-03-28 01:33 UTC (Wikipedia, Soyuz TMA-16M infobox, to the minute)
    tma16m = next(f for f in flights if f.vehicle == "Soyuz TMA-16M")
    lead = fitted_lead_s(flights)
    launch = tma16m.launch + timedelta(seconds=tma16m.predicted_s - lead)
    after_s = docking_after_launch_s(
        "4orbit", np.array([tma16m.phase_deg]), SOYUZ_ASCENT_S, tma16m.station_altitude_km
    )[0]
    docking = launch + timedelta(seconds=float(after_s))
    actual = datetime.fromisoformat("2015-03-28T01:33:00+00:00")
    print(
        f"TMA-16M phase {tma16m.phase_deg:.1f} deg: docking predicted "
        f"{docking:%Y-%m-%d %H:%M:%S}, flown 01:33"
    )
    assert abs((docking - actual).total_seconds()) <= 15 * 60


def test_tma17_two_day_docking_is_a_known_miss() -> None:
    # Soyuz TMA-17 (2-day) launched 2009-12-20 21:52 and docked 2009-12-22 22:48 UTC
    # (spaceflightnow.com/station/exp22/exp22updates2.html, to the minute): 48 h 56 min, about
    # an hour shorter than the 2-day profile of 2024-2025 (49 h 54 min) the model flies. The
    # miss is bounded here (70 min) so that it is seen if the 2-day timeline moves.
    after_s = docking_after_launch_s("2day", np.array([0.0]), SOYUZ_ASCENT_S, 350.0)[0]
    flown_s = (48 * 60 + 56) * 60.0
    print(f"TMA-17: 2-day docking {after_s / 3600:.2f} h after lift-off, flown 48.93 h")
    assert 50 * 60 <= after_s - flown_s <= 70 * 60


def test_windows_scalar_ts() -> None:
    # a sanity check of geometry without data: the pad cannot reach a 40-degree plane
    ts = timescale()
    from stationplan.orbit.elements import from_mean_elements

    el = from_mean_elements(
        415.0, 40.0, 0.0, 0.0, datetime.fromisoformat("2025-01-01T00:00:00+00:00")
    )
    windows = launch_windows(
        sgp4_trajectory(el),
        SITE_1,
        ts.utc(2025, 1, 1),
        ts.utc(2025, 1, 3),
        AscentProfile(SOYUZ_ASCENT_S),
        415.0,
        40.0,
    )
    assert windows == []
