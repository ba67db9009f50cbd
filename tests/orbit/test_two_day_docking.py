"""Docking times of the 2-day (34-orbit) Soyuz / Progress profile against the flights of 2000-2005
(launch and docking times: tests/data/iss_2day_dockings_2000-2005.csv, sources in
tests/data/SOURCES.md; ISS element sets: the Space-Track history 1998-11 → 2004-12 and, for the
2024-2025 check, the CelesTrak / Space-Track sets of 2024-2025 in the shared reference data).

For each flight with an ISS element set from the 3 days before lift-off (20 flights of 2000-2004;
Progress M-53, 2005, has none; Progress M1-4 is left out: its Kurs approach was aborted and
it was docked by hand with TORU, out of Russian ground coverage, 40 min after the planned time,
RSC Energia 18 November 2000), the ISS is propagated (SGP4) from the set nearest before
lift-off. Laws fitted on the 11 flights of 2000-2002, held out on the 9 of 2003-2004:

================================  ====================  ====================  ===========
law                               fitted                held out: median      within
                                                        / worst (min)         15 min
================================  ====================  ====================  ===========
current TIMELINES["2day"]         179,610 s (2024-25)   15.3 / 43.9           4 / 9
fixed duration (mean)             177,853 s             14.7 / 38.2           5 / 9
fixed number of ISS revolutions   32.054 after insert.  24.5 / 35.1           3 / 9
linear in the insertion phase     +0.8 s/deg            15.8 / 38.2           4 / 9
ISS at u* nearest the mean        u* = 104.9 deg        1.6 / 9.7             9 / 9
ISS at u* first after T_min       T_min = 48.33 h       3.3 / 93.2            7 / 9
================================  ====================  ====================  ===========

(u: the ISS's argument of latitude.) In 2000-2004 every docking but one (Soyuz TMA-5, flown by
hand for its last 50 m) came when the ISS was near u = 105 deg, the northern part of its orbit
over Kazakhstan and southern Siberia, in Russian ground-station coverage (RSC Energia's docking
reports: "within the Russian ground site coverage"; Progress M-51 waited 30 min for it): the
docking time is the ISS's pass at u* on the revolution nearest 49.4 h after lift-off. Two
flights (Soyuz TM-32, Progress M-45) docked one ISS revolution earlier, which a single T_min
cannot reproduce (hence "nearest the mean" rather than "first after T_min").

That law does not hold in 2024-2025 (Russian relay satellites lift the coverage constraint):
Progress MS-29, MS-30 and MS-31 docked at u = 93, 358 and 356 deg (MS-30 over the South
Atlantic), and the u* law misses them by -90, +28 and -65 min, against -15, +16 and +1 min for
the current fixed duration. The default scenario plans 2024-2025 operations, so
``TIMELINES["2day"]`` keeps its fixed duration; the 2000-2004 law is recorded here.

Asserted: the held-out figures above (tolerances: 1 min on medians and worsts, exact counts),
and that the u* law is worse than the current one on the 2024-2025 flights.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from stationplan.orbit.element_files import read_elements
from stationplan.orbit.elements import ElementSet, summarize
from stationplan.orbit.launch import (
    AscentProfile,
    Pad,
    default_downrange_deg,
    insertion_phase_deg,
)
from stationplan.orbit.propagate import sgp4_trajectory
from stationplan.orbit.rendezvous import docking_after_launch_s
from stationplan.orbit.timescale import as_time

DATA = Path(__file__).resolve().parents[1] / "data"
DOCKINGS = DATA / "iss_2day_dockings_2000-2005.csv"
RECENT = DATA / "iss_visiting_vehicle_launches_2024-2025.csv"
# published pad coordinates (Wikipedia), as in tests/orbit/test_launch_history*.py
SITE_1 = Pad(45.920, 63.342, 100.0)
SITE_31 = Pad(45.996, 63.564, 100.0)
ASCENT_S = 528.0  # lift-off to insertion, Soyuz (approximate)
PROFILE = AscentProfile(ASCENT_S, "2day", 220.0)
DOWNRANGE_DEG = default_downrange_deg(ASCENT_S, 220.0)
# Kurs approach aborted, docked by hand (TORU) 40 min late out of ground coverage (RSC Energia)
ANOMALOUS = {"Progress M1-4"}
GRID_S = np.arange(36 * 3600.0, 56 * 3600.0, 20.0)  # the ISS's path 36-56 h after lift-off


@dataclass
class Flight:
    vehicle: str
    launch: datetime
    flown_s: float  # lift-off to docking
    phase_deg: float  # insertion phase angle (station ahead)
    altitude_km: float  # the ISS's mean altitude
    period_s: float  # the ISS's period (from its argument of latitude over 36-56 h)
    u_dock_deg: float  # the ISS's argument of latitude at docking
    u_unwrapped: NDArray[np.float64]  # the ISS's argument of latitude on GRID_S (rad)

    def crossings_s(self, u_deg: float) -> NDArray[np.float64]:
        """Times after lift-off (s) at which the ISS passes argument of latitude ``u_deg``."""
        k = (self.u_unwrapped - math.radians(u_deg)) / (2.0 * math.pi)
        idx = np.nonzero(np.diff(np.floor(k)) > 0)[0]
        frac = (np.ceil(k[idx]) - k[idx]) / (k[idx + 1] - k[idx])
        out: NDArray[np.float64] = GRID_S[idx] + frac * (GRID_S[idx + 1] - GRID_S[idx])
        return out


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _argument_of_latitude_deg(
    r: NDArray[np.float64], v: NDArray[np.float64]
) -> NDArray[np.float64]:
    h = np.cross(r, v)
    node = np.cross(np.array([0.0, 0.0, 1.0]), h)
    node /= np.linalg.norm(node, axis=1)[:, None]
    h /= np.linalg.norm(h, axis=1)[:, None]
    y = np.einsum("ij,ij->i", np.cross(node, r), h)
    x = np.einsum("ij,ij->i", node, r)
    out: NDArray[np.float64] = np.degrees(np.arctan2(y, x)) % 360.0
    return out


def _flight(vehicle: str, launch: datetime, docking: datetime, el: ElementSet, pad: Pad) -> Flight:
    state = sgp4_trajectory(el)
    phase = float(insertion_phase_deg(state, pad, as_time(launch), PROFILE, DOWNRANGE_DEG)[0])
    r, v = state(as_time([launch + timedelta(seconds=float(s)) for s in GRID_S]))
    u = np.unwrap(np.radians(_argument_of_latitude_deg(np.atleast_2d(r), np.atleast_2d(v))))
    r_d, v_d = state(as_time(docking))
    u_dock = float(_argument_of_latitude_deg(np.atleast_2d(r_d), np.atleast_2d(v_d))[0])
    period = 2.0 * math.pi / float(np.polyfit(GRID_S, u, 1)[0])
    return Flight(
        vehicle,
        launch,
        (docking - launch).total_seconds(),
        phase,
        summarize(el).mean_altitude_km,
        period,
        u_dock,
        u,
    )


def _flights_2000_2004(shared: Path) -> list[Flight]:
    tle = shared / "tle" / "iss" / "iss_25544_1998-11_2004-12_mfacchinelli-tleAnalysis.tle"
    history = read_elements(tle).elements
    out = []
    with DOCKINGS.open() as fh:
        for row in csv.DictReader(fh):
            launch = _utc(row["launch_utc"])
            before = [e for e in history if launch - timedelta(days=3) < e.epoch_utc < launch]
            if row["vehicle"] in ANOMALOUS or not before:
                continue
            el = max(before, key=lambda e: e.epoch_jd_utc)
            out.append(_flight(row["vehicle"], launch, _utc(row["docking_utc"]), el, SITE_1))
    return out


def _flights_2024_2025(shared: Path) -> list[Flight]:
    tle = shared / "tle" / "iss"
    history = (
        read_elements(
            tle / "iss_25544_2024-12_2025-07_Aritra476-ISS-Orbital-Tracking-and-Analysis.tle"
        ).elements
        + read_elements(tle / "iss_25544_omm_2024-09_2025-03_JasonBernstein1-iss_tle.json").elements
    )
    out = []
    with RECENT.open() as fh:
        for row in csv.DictReader(fh):
            if row["strategy"] != "2day":
                continue
            launch = _utc(row["launch_utc"])
            day_before = (launch - timedelta(days=1)).date()
            el = max(
                (e for e in history if e.epoch_utc.date() == day_before),
                key=lambda e: e.epoch_jd_utc,
            )
            out.append(_flight(row["vehicle"], launch, _utc(row["docking_utc"]), el, SITE_31))
    return out


@pytest.fixture(scope="module")
def flights(shared_data: Path) -> list[Flight]:
    return _flights_2000_2004(shared_data)


@pytest.fixture(scope="module")
def recent(shared_data: Path) -> list[Flight]:
    return _flights_2024_2025(shared_data)


Law = Callable[[Flight], float]


def _circular_mean_deg(angles: list[float]) -> float:
    a = np.radians(angles)
    return math.degrees(math.atan2(float(np.mean(np.sin(a))), float(np.mean(np.cos(a))))) % 360.0


def _laws(fit: list[Flight]) -> dict[str, Law]:
    """Each hypothesis, fitted on ``fit`` (lift-off to docking, s, per flight)."""
    mean_s = float(np.mean([f.flown_s for f in fit]))
    revs = float(np.mean([(f.flown_s - ASCENT_S) / f.period_s for f in fit]))
    slope, intercept = np.polyfit([f.phase_deg for f in fit], [f.flown_s for f in fit], 1)
    u_star = _circular_mean_deg([f.u_dock_deg for f in fit])

    def current(f: Flight) -> float:
        return float(
            docking_after_launch_s("2day", np.array([f.phase_deg]), ASCENT_S, f.altitude_km)[0]
        )

    def nearest(f: Flight) -> float:
        c = f.crossings_s(u_star)
        return float(c[np.argmin(np.abs(c - mean_s))])

    def first_after(t_min: float) -> Law:
        return lambda f: float(f.crossings_s(u_star)[f.crossings_s(u_star) >= t_min][0])

    # T_min: the latest that keeps the fitting flights' worst error smallest (a 1-min search)
    candidates = np.arange(46 * 3600.0, 50 * 3600.0, 60.0)
    worst = [max(abs(first_after(t)(f) - f.flown_s) for f in fit) for t in candidates]
    t_min = float(candidates[int(np.argmin(worst))])
    return {
        "current TIMELINES['2day']": current,
        f"fixed duration {mean_s:.0f} s": lambda f: mean_s,
        f"{revs:.3f} ISS revolutions": lambda f: ASCENT_S + revs * f.period_s,
        f"linear {intercept:.0f} s {slope:+.2f} s/deg": lambda f: intercept + slope * f.phase_deg,
        f"ISS at u*={u_star:.1f} nearest mean": nearest,
        f"ISS at u*={u_star:.1f} after {t_min / 3600:.2f} h": first_after(t_min),
    }


def _errors_min(law: Law, flights: list[Flight]) -> NDArray[np.float64]:
    return np.array([(law(f) - f.flown_s) / 60.0 for f in flights])


# held-out 2003-2004 (median |err|, worst |err|, count within 15 min), in the order of _laws
EXPECTED = [(15.3, 43.9, 4), (14.7, 38.2, 5), (24.5, 35.1, 3), (15.8, 38.2, 4), (1.6, 9.7, 9)]


def test_two_day_docking_laws_on_held_out_flights(flights: list[Flight]) -> None:
    fit = [f for f in flights if f.launch.year <= 2002]
    held = [f for f in flights if f.launch.year > 2002]
    assert len(fit) == 11 and len(held) == 9
    for f in flights:
        print(
            f"  {'fit ' if f in fit else 'held'} {f.vehicle:15s} {f.launch:%Y-%m-%d %H:%M:%S} "
            f"flown {f.flown_s / 3600:6.3f} h phase {f.phase_deg:6.1f} deg "
            f"ISS u at docking {f.u_dock_deg:6.1f} deg"
        )
    laws = _laws(fit)
    print(f"{'law':38s} {'fit med/worst':>14s} {'held med/worst':>15s} within 15")
    measured = []
    for name, law in laws.items():
        e_fit, e_held = np.abs(_errors_min(law, fit)), np.abs(_errors_min(law, held))
        row = (float(np.median(e_held)), float(e_held.max()), int((e_held <= 15.0).sum()))
        measured.append(row)
        print(
            f"{name:38s} {np.median(e_fit):6.1f} / {e_fit.max():5.1f} "
            f"{row[0]:6.1f} / {row[1]:5.1f}   {row[2]} / {len(held)}"
        )
    for (med, worst, n15), (e_med, e_worst, e_n15) in zip(measured, EXPECTED, strict=False):
        assert med == pytest.approx(e_med, abs=1.0)
        assert worst == pytest.approx(e_worst, abs=1.0)
        assert n15 == e_n15
    # the u* law on the revolution nearest the mean: every held-out flight within 15 min
    assert measured[4][2] == len(held)
    # the first pass after a fixed T_min misses a held-out flight by a whole ISS revolution
    assert measured[5][1] > 80.0


def test_u_star_law_does_not_hold_in_2024_2025(flights: list[Flight], recent: list[Flight]) -> None:
    laws = _laws([f for f in flights if f.launch.year <= 2002])
    current, u_star_law = laws["current TIMELINES['2day']"], list(laws.values())[4]
    e_current, e_u = _errors_min(current, recent), _errors_min(u_star_law, recent)
    for f, a, b in zip(recent, e_current, e_u, strict=True):
        print(
            f"  {f.vehicle:15s} ISS u at docking {f.u_dock_deg:6.1f} deg: current {a:+6.1f} min, "
            f"u* law {b:+6.1f} min"
        )
    assert len(recent) == 3
    assert np.abs(e_current).max() <= 16.0
    assert np.abs(e_u).max() > 60.0
    assert np.median(np.abs(e_u)) > np.median(np.abs(e_current))
