"""Root-found events against brute-force sampling at 1 s: every event found, times within 1 s.

Reference: the same state functions sampled every second over a day (an independent method:
no bisection, no search step). Element set: ISS 2015-03-27 (../shared/data/tle/iss), which
SGP4 propagates without failure over the whole following year (checked below).

Records carry aware UTC datetimes; where a test wants text it is Skyfield's own ``utc_iso``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from skyfield.timelib import Time

from stationplan.orbit import events, frames, plane
from stationplan.orbit.constants import AU_KM, MU_KM3_S2, R_EQ_KM
from stationplan.orbit.element_files import read_elements
from stationplan.orbit.elements import ElementSet, summarize
from stationplan.orbit.propagate import propagate_sgp4, sgp4_limit
from stationplan.orbit.shadow import R_EARTH_KM, R_SUN_KM, shadow_depths
from stationplan.orbit.timescale import offset, timescale

ONE_SECOND = 1.0
SPAN_S = 86400.0


@pytest.fixture(scope="module")
def iss(shared_data: Path) -> ElementSet:
    return read_elements(shared_data / "tle/iss/iss_25544_2015-03-27.tle").elements[0]


@pytest.fixture(scope="module")
def state(iss: ElementSet) -> events.StateFunction:
    el = iss

    def fn(t: Time) -> tuple[np.ndarray, np.ndarray]:
        res = propagate_sgp4(el, t)
        return res.r_teme_km[0], res.v_teme_km_s[0]

    return fn


def _seconds(times: list[datetime], t0: Time) -> np.ndarray:
    base = t0.utc_datetime()
    assert all(t.tzinfo is UTC for t in times)  # aware UTC datetimes
    return np.array([(t - base).total_seconds() for t in times])


def _brute(values: np.ndarray) -> np.ndarray:
    """Seconds (from the grid start) of each change, at the midpoint of the 1-s bracket."""
    idx = np.nonzero(np.diff(values))[0]
    return idx + 0.5


def _match(found: np.ndarray, brute: np.ndarray) -> None:
    assert len(found) == len(brute), (len(found), len(brute))
    assert len(found) == 0 or np.abs(found - brute).max() <= ONE_SECOND


def test_eclipses_match_brute_force(state: events.StateFunction) -> None:
    t0 = timescale().utc(2015, 3, 27, 6)
    t1 = offset(t0, SPAN_S)
    found = events.eclipses(state, t0, t1)
    grid = offset(t0, np.arange(0.0, SPAN_S + 1, 1.0))
    shadow = events.shadow_state(state(grid)[0], grid)
    _match(_seconds([e.time_utc for e in found], t0), _brute(shadow))
    kinds = {e.kind for e in found}
    assert {"umbra_entry", "umbra_exit", "penumbra_entry", "penumbra_exit"} <= kinds


def test_node_crossings_match_brute_force(state: events.StateFunction) -> None:
    t0 = timescale().utc(2015, 3, 27, 6)
    t1 = offset(t0, SPAN_S)
    found = events.node_crossings(state, t0, t1)
    grid = offset(t0, np.arange(0.0, SPAN_S + 1, 1.0))
    north = (state(grid)[0][:, 2] > 0).astype(int)
    _match(_seconds([e.time_utc for e in found], t0), _brute(north))
    assert 30 <= len(found) <= 32  # 15.55 rev/day, two nodes each


def test_contacts_match_brute_force(state: events.StateFunction) -> None:
    lat, lon, alt, mask = 45.920, 63.342, 100.0, 5.0  # Baikonur Site 1
    t0 = timescale().utc(2015, 3, 27, 6)
    t1 = offset(t0, SPAN_S)
    passes = events.contacts(state, t0, t1, lat, lon, alt, mask)
    grid = offset(t0, np.arange(0.0, SPAN_S + 1, 1.0))
    site = frames.geodetic_to_itrs(lat, lon, alt)
    elev = events.elevation_deg(state(grid)[0], grid, site, lat, lon)
    up = (elev >= mask).astype(int)
    edges = _brute(up)
    found = []
    for p in passes:
        if not p.clipped_start:
            found.append(p.aos_utc)
        if not p.clipped_end:
            found.append(p.los_utc)
    _match(_seconds(found, t0), edges)
    for p in passes:
        i0, i1 = (_seconds([p.aos_utc, p.los_utc], t0)).astype(int)
        assert abs(p.max_elevation_deg - elev[i0 : i1 + 2].max()) < 0.01
        assert p.aos_utc <= p.max_elevation_utc <= p.los_utc
        assert p.duration_s == pytest.approx((p.los_utc - p.aos_utc).total_seconds(), abs=1e-3)
    # the 19:41 UTC pass over Baikonur, an hour before Soyuz TMA-16M lifted off, is near zenith
    assert any(p.max_elevation_deg > 80 for p in passes)


def _unit(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = x / np.linalg.norm(x, axis=1)[:, None]
    return out


def test_sunlit_fraction_and_beta(iss: ElementSet, state: events.StateFunction) -> None:
    """Root-found eclipses against the plane model of ``orbit.plane`` over one day.

    Beta from the osculating plane (normal r x v of the SGP4 states) and from the secular
    plane (``plane_normal_teme`` at the element set's node and inclination) agree within
    0.1 deg: short-period terms move beta by hundredths of a degree. The sunlit fraction of
    each orbit from the root-found umbra times (1 - umbra_s / nodal period) agrees with
    ``plane.sunlit_fraction`` (cylindrical shadow, Vallado sec. 5.3) within 0.02.
    """
    t0 = timescale().utc(2015, 3, 27, 6)
    t1 = offset(t0, SPAN_S)
    grid = offset(t0, np.arange(0.0, SPAN_S, 10.0))
    r, v = state(grid)
    beta = plane.beta_deg(_unit(np.cross(r, v)), grid)
    altitude_km = float(np.mean(np.linalg.norm(r, axis=1))) - R_EQ_KM
    mean = summarize(iss)
    epoch_jd_tt = float(timescale().from_datetime(mean.epoch_utc).tt)
    normal = plane.plane_normal_teme(
        grid, epoch_jd_tt, mean.raan_deg, mean.inclination_deg, mean.mean_altitude_km
    )
    secular = plane.beta_deg(normal, grid)
    assert np.abs(beta - secular).max() < 0.1
    nodes = [e.jd_tt for e in events.node_crossings(state, t0, t1) if e.kind == "ascending_node"]
    period_s = float(np.mean(np.diff(nodes))) * SPAN_S
    passes = [p for p in events.eclipse_passes(state, t0, t1) if not p.clipped_end]
    assert len(passes) >= 14
    got = 1.0 - np.array([p.umbra_s for p in passes]) / period_s
    expected = plane.sunlit_fraction(beta, altitude_km)
    # with |beta| below ~70 deg the ISS sees an eclipse each orbit
    assert abs(got.mean() - expected.mean()) < 0.02


# ---------------------------------------------------------------- eclipses over a whole year

# Days after 2015-03-27 checked against 1-s sampling: the element epoch (0, 1); both edges of
# the two high-beta seasons without eclipses (the ISS sees no shadow on days 66-68,
# 2015-06-01..03, and 274-277, 2015-12-26..29; grazing passes on the days around them); and
# days far from the element epoch, up to the last one.
BRUTE_DAYS = [0, 1, 65, 66, 69, 150, 230, 273, 278, 365]
NO_ECLIPSE_DAYS = {66, 274}
NAMES = {events.SUNLIT: "sunlit", events.PENUMBRA: "penumbra", events.UMBRA: "umbra"}

Year = tuple[Time, Time, list[events.Event], list[events.EclipsePass]]


@pytest.fixture(scope="module")
def year(iss: ElementSet, state: events.StateFunction) -> Year:
    t0, t1 = timescale().utc(2015, 3, 27), timescale().utc(2016, 3, 27)
    assert sgp4_limit(iss, t0, t1) is None  # SGP4 valid over the whole year (no decay)
    return t0, t1, events.eclipses(state, t0, t1), events.eclipse_passes(state, t0, t1)


@pytest.mark.slow
@pytest.mark.parametrize("day", BRUTE_DAYS)
def test_year_search_matches_brute_force_by_day(
    year: Year, state: events.StateFunction, day: int
) -> None:
    t0, _, found, _ = year
    a = offset(t0, day * SPAN_S)
    grid = offset(a, np.arange(0.0, SPAN_S + 1, 1.0))
    shadow = events.shadow_state(state(grid)[0], grid)
    brute = _brute(shadow)
    if day in NO_ECLIPSE_DAYS:
        assert brute.size == 0
    sec = (np.array([e.jd_tt for e in found]) - a.tt) * SPAN_S
    mine = (sec >= 0.0) & (sec <= SPAN_S)
    _match(sec[mine], brute)
    # each event goes to the state the samples see just after it
    after = shadow[np.ceil(sec[mine]).astype(int)]
    to = [e.to_state for e, m in zip(found, mine, strict=True) if m]
    assert [NAMES[int(s)] for s in after] == to


@pytest.mark.slow
def test_year_events_are_distinct_and_consistent(year: Year, state: events.StateFunction) -> None:
    t0, _, found, _ = year
    jd = np.array([e.jd_tt for e in found])
    assert np.all(np.diff(jd) > 0.0)  # no two events at one instant
    assert len({e.time_utc for e in found}) == len(found)
    state_then = NAMES[int(events.shadow_state(state(t0)[0], t0)[0])]
    for e in found:
        assert e.from_state == state_then, e
        state_then = e.to_state
    kinds = {(e.from_state, e.to_state): e.kind for e in found}
    assert kinds == {
        ("sunlit", "penumbra"): "penumbra_entry",
        ("penumbra", "umbra"): "umbra_entry",
        ("umbra", "penumbra"): "umbra_exit",
        ("penumbra", "sunlit"): "penumbra_exit",
    }


@pytest.mark.slow
def test_year_pass_count_matches_orbits_with_shadow(
    year: Year, state: events.StateFunction
) -> None:
    """Passes = orbits - orbits without shadow; an orbit is without shadow when |beta| at its
    ascending node exceeds the apparent Earth radius plus the Sun's (conical model)."""
    t0, t1, _, passes = year
    nodes = [e.jd_tt for e in events.node_crossings(state, t0, t1) if e.kind == "ascending_node"]
    tn = timescale().tt_jd(np.array(nodes))
    r, v = state(tn)
    beta = np.abs(plane.beta_deg(_unit(np.cross(r, v)), tn))
    limit = np.degrees(
        np.arcsin(R_EARTH_KM / np.linalg.norm(r, axis=1)) + np.arcsin(R_SUN_KM / AU_KM)
    )
    orbits = len(nodes) - 1
    expected = orbits - int(np.sum(beta[:-1] >= limit[:-1]))
    assert 5500 < orbits < 5800  # 15.55 rev/day for a year
    assert abs(len(passes) - expected) <= 0.02 * expected, (len(passes), expected)


@pytest.mark.slow
def test_year_passes_group_the_events(year: Year) -> None:
    _, _, found, passes = year
    by_kind = {
        k: np.array([e.jd_tt for e in found if e.kind == k]) for k in {e.kind for e in found}
    }
    whole = [p for p in passes if not (p.clipped_start or p.clipped_end)]
    assert len(whole) == len(passes) == len(by_kind["penumbra_entry"])  # the span starts lit
    assert np.array_equal([p.penumbra_entry_jd_tt for p in passes], by_kind["penumbra_entry"])
    assert np.array_equal([p.penumbra_exit_jd_tt for p in passes], by_kind["penumbra_exit"])
    with_umbra = [p for p in passes if p.umbra_entry_jd_tt is not None]
    assert np.array_equal([p.umbra_entry_jd_tt for p in with_umbra], by_kind["umbra_entry"])
    assert np.array_equal([p.umbra_exit_jd_tt for p in with_umbra], by_kind["umbra_exit"])
    grazes = [p for p in passes if p.umbra_entry_jd_tt is None]
    assert grazes  # penumbra-only passes at the edges of the seasons without eclipses
    assert all(p.umbra_exit_jd_tt is None and p.umbra_s == 0.0 for p in grazes)
    for p in with_umbra:
        assert p.umbra_entry_jd_tt is not None and p.umbra_exit_jd_tt is not None
        assert p.penumbra_entry_jd_tt < p.umbra_entry_jd_tt < p.umbra_exit_jd_tt
        assert p.umbra_exit_jd_tt < p.penumbra_exit_jd_tt
        assert p.umbra_s == pytest.approx((p.umbra_exit_jd_tt - p.umbra_entry_jd_tt) * SPAN_S)
        assert 0.0 < p.umbra_s < p.shadow_s < 2400.0
    # the same instants as aware UTC datetimes, converted all at once
    timed = events.passes_utc(passes)
    assert len(timed) == len(passes)
    assert timed[0].penumbra_entry_utc == found[0].time_utc
    boundaries = [e for e in found if e.kind == "penumbra_entry"]
    assert [p.penumbra_entry_utc for p in timed] == [e.time_utc for e in boundaries]
    umbra_entries = [e.time_utc for e in found if e.kind == "umbra_entry"]
    assert [p.umbra_entry_utc for p in timed if p.umbra_entry_utc] == umbra_entries
    for p, q in zip(passes, timed, strict=True):
        assert (q.umbra_entry_utc is None) == (p.umbra_entry_jd_tt is None)
        assert (q.umbra_exit_utc is None) == (p.umbra_exit_jd_tt is None)
        assert (q.umbra_s, q.shadow_s) == (p.umbra_s, p.shadow_s)
        assert (q.clipped_start, q.clipped_end) == (p.clipped_start, p.clipped_end)
    # one in twenty against Skyfield's own scalar conversion, to the microsecond
    for p, q in zip(passes[::20], timed[::20], strict=True):
        assert q.penumbra_exit_utc == timescale().tt_jd(p.penumbra_exit_jd_tt).utc_datetime()


def test_times_are_utc_datetimes_matching_skyfield(state: events.StateFunction) -> None:
    """Every record time is an aware UTC datetime at the record's TT Julian date: Skyfield's
    own ``utc_iso`` of that date gives the same text to the millisecond."""
    t0 = timescale().utc(2015, 3, 27, 6)
    t1 = offset(t0, SPAN_S)
    timed: list[tuple[datetime, float]] = [
        (e.time_utc, e.jd_tt) for e in events.eclipses(state, t0, t1)
    ]
    timed += [(e.time_utc, e.jd_tt) for e in events.node_crossings(state, t0, t1)]
    for when, jd_tt in timed:
        assert when.tzinfo is UTC
        text = timescale().tt_jd(jd_tt).utc_iso(places=3)
        assert abs((when - datetime.fromisoformat(text)).total_seconds()) <= 5e-4
    assert events.passes_utc([]) == []


def test_eclipses_do_not_depend_on_the_step(state: events.StateFunction) -> None:
    """A 10-minute step (longer than every grazing pass of those days) finds the same
    boundaries as the default, to the 1-ms bisection."""
    a = offset(timescale().utc(2015, 3, 27), 63 * SPAN_S)  # into the first season of no shadow
    b = offset(a, 8 * SPAN_S)
    fine = events.eclipses(state, a, b)
    coarse = events.eclipses(state, a, b, step_s=600.0)
    assert [e.kind for e in coarse] == [e.kind for e in fine]
    gap_s = np.abs(np.array([e.jd_tt for e in coarse]) - [e.jd_tt for e in fine]) * SPAN_S
    assert gap_s.max() < 2e-3
    short = [p.shadow_s for p in events.eclipse_passes(state, a, b) if p.shadow_s < 600.0]
    assert short  # some passes last less than the coarse step


def _circular(t_mid: Time, radius_km: float, beta_deg: float) -> events.StateFunction:
    """Circular Keplerian orbit (TEME) at beta to the Sun, closest to the anti-Sun at t_mid."""
    s = frames.sun_teme_km(t_mid)[0]
    s_hat = s / np.linalg.norm(s)
    e = np.cross(s_hat, [0.0, 0.0, 1.0])
    e /= np.linalg.norm(e)
    beta = np.radians(beta_deg)
    n = np.cos(beta) * e + np.sin(beta) * s_hat
    q = -s_hat + np.sin(beta) * n
    q /= np.linalg.norm(q)
    w = np.cross(n, q)
    rate = np.sqrt(MU_KM3_S2 / radius_km**3)

    def fn(t: Time) -> tuple[np.ndarray, np.ndarray]:
        dt = np.atleast_1d((t.whole - t_mid.whole) + (t.tt_fraction - t_mid.tt_fraction)) * SPAN_S
        u = (rate * dt)[:, None]
        r = radius_km * (np.cos(u) * q + np.sin(u) * w)
        return r, radius_km * rate * (-np.sin(u) * q + np.cos(u) * w)

    return fn


def _min_depth(fn: events.StateFunction, t_mid: Time, column: int) -> float:
    t = offset(t_mid, np.arange(-30.0, 30.0, 1e-3))
    return float(shadow_depths(fn(t)[0], frames.sun_teme_km(t))[column].min())


@pytest.mark.parametrize(
    ("column", "depth_rad", "kinds"),
    [
        (0, -2e-10, ["penumbra_entry", "penumbra_exit"]),
        (0, 2e-10, []),
        (1, -2e-10, ["penumbra_entry", "umbra_entry", "umbra_exit", "penumbra_exit"]),
    ],
)
def test_grazing_pass_shorter_than_a_second_is_found(
    column: int, depth_rad: float, kinds: list[str]
) -> None:
    """A circular orbit tuned so that the penumbra (or umbra) depth dips to +-2e-10 rad: a
    graze of about 0.06 s, far shorter than the 120-s step, is found (or rightly not)."""
    t_mid = timescale().utc(2015, 9, 1, 12)
    beta_deg = 70.45 if column == 0 else 69.95

    def miss(radius_km: float) -> float:
        return _min_depth(_circular(t_mid, radius_km, beta_deg), t_mid, column) - depth_rad

    radius = [6778.0, 6779.0]
    misses = [miss(r) for r in radius]
    for _ in range(8):  # secant on the radius until the minimum depth is on target
        slope = (misses[-1] - misses[-2]) / (radius[-1] - radius[-2])
        radius.append(radius[-1] - misses[-1] / slope)
        misses.append(miss(radius[-1]))
        if abs(misses[-1]) < 1e-12:
            break
    assert abs(misses[-1]) < 1e-12
    fn = _circular(t_mid, radius[-1], beta_deg)
    a, b = offset(t_mid, -1500.0), offset(t_mid, 1500.0)
    found = events.eclipses(fn, a, b)
    assert [e.kind for e in found] == kinds
    passes = events.eclipse_passes(fn, a, b)
    assert len(passes) == (1 if kinds else 0)
    if kinds:
        shortest = passes[0].umbra_s if column == 1 else passes[0].shadow_s
        assert 0.01 < shortest < 0.2
        entry, exit_ = (found[0], found[-1]) if column == 0 else (found[1], found[2])
        mid = timescale().tt_jd(0.5 * (entry.jd_tt + exit_.jd_tt))
        assert NAMES[int(events.shadow_state(fn(mid)[0], mid)[0])] == entry.to_state


def test_pass_clipped_by_the_span(state: events.StateFunction) -> None:
    """A span starting and ending inside the umbra: first and last pass clipped, flagged."""
    t0 = timescale().utc(2015, 3, 27, 1)  # inside the 00:47-01:20 eclipse
    t1 = offset(t0, 5 * 5560.0 + 300.0)  # five orbits later, in the shadow again
    passes = events.eclipse_passes(state, t0, t1)
    first, last = passes[0], passes[-1]
    assert first.clipped_start and not first.clipped_end
    assert last.clipped_end and not last.clipped_start
    assert not any(p.clipped_start or p.clipped_end for p in passes[1:-1])
    assert first.penumbra_entry_jd_tt == pytest.approx(t0.tt, abs=1e-9)
    assert first.umbra_entry_jd_tt == first.penumbra_entry_jd_tt  # in the umbra at t0
    assert last.penumbra_exit_jd_tt == pytest.approx(t1.tt, abs=1e-9)
    assert last.umbra_exit_jd_tt == last.penumbra_exit_jd_tt
    assert len(passes) == 6


def test_nan_states_end_the_search_cleanly(state: events.StateFunction) -> None:
    """States NaN after a failure (as SGP4 gives after decay): no crash, nothing after it,
    the pass in progress clipped at the last valid sample; NaN from the start: nothing."""
    t0 = timescale().utc(2015, 3, 27, 0)
    fail = timescale().utc(2015, 3, 27, 4, 10)  # inside the 03:52-04:25 eclipse

    def failing(t: Time) -> tuple[np.ndarray, np.ndarray]:
        r, v = state(t)
        bad = np.atleast_1d(t.tt) >= fail.tt
        r, v = r.copy(), v.copy()
        r[bad], v[bad] = np.nan, np.nan
        return r, v

    t1 = offset(t0, SPAN_S)
    found = events.eclipses(failing, t0, t1)
    assert found and max(e.jd_tt for e in found) < fail.tt
    reference = events.eclipses(state, t0, fail)
    assert [e.jd_tt for e in found] == [e.jd_tt for e in reference]
    passes = events.eclipse_passes(failing, t0, t1)
    assert passes[-1].clipped_end and passes[-1].umbra_exit_jd_tt is not None
    assert fail.tt - 130.0 / SPAN_S < passes[-1].penumbra_exit_jd_tt < fail.tt
    dead = lambda t: (np.full((np.atleast_1d(t.tt).size, 3), np.nan),) * 2  # noqa: E731
    assert events.eclipses(dead, t0, t1) == []
    assert events.eclipse_passes(dead, t0, t1) == []
