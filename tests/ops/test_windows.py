"""Launch windows: the plan's series per vehicle, site and station (with the cache shared by
vehicles of one ascent profile), the windows query of an element file, and its request.

Hand check of the window count used below. Pad North (Baikonur, 45.996 N) meets the plane of
a 51.64 deg orbit at the inertial azimuth asin(cos 51.64 / cos 45.996) = asin(0.6206 /
0.6947) = 63.3 deg (north-east, ascending) and at 180 - 63.3 = 116.7 deg (descending); the
pad's corridor 33-70 deg keeps the ascending one only. The pad turns through the plane once
per 360 / (360.986 + 5.0) = 0.9836 day (Earth's sidereal rate plus the ~5.0 deg/day
regression of the node at 415 km), so 10 days hold 10 / 0.9836 = 10.2 windows: 10 or 11.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

import stationplan.ops.windows as windows_mod
from stationplan.errors import ArgumentError
from stationplan.ops.assembly import build_station
from stationplan.ops.requests import cli_label, make_request
from stationplan.ops.sites import default_scenario
from stationplan.ops.station_orbit import station_elements
from stationplan.ops.windows import (
    MAX_SPAN_DAYS,
    WindowCache,
    WindowsRequest,
    launch_windows,
    window_series,
)
from stationplan.orbit.elements import ElementSet
from stationplan.orbit.launch import AscentProfile
from stationplan.scenario import load_scenario
from stationplan.scenario.models import LaunchOffsetCheck, LaunchSite, Scenario, Vehicle
from tests.conftest import mutate
from tests.ops.scenarios import MINI, parse, utc

START, END = utc(2025, 1, 10), utc(2025, 1, 20)

# The ISS element set of 2015-03-27 (as tests/cli/test_cli.py); SGP4 stops propagating it on
# 2018-08-31 (mean motion decays past re-entry; tests/cli/test_cli_safety.py).
ISS_TLE = (
    "ISS (ZARYA)\n"
    "1 25544U 98067A   15086.17334635  .00015434  00000-0  22972-3 0  9994\n"
    "2 25544  51.6460 133.7315 0007136 144.2025 255.6332 15.55307244935270\n"
)


@pytest.fixture(scope="module")
def mini() -> Scenario:
    return parse(MINI).scenario


@pytest.fixture(scope="module")
def elements(mini: Scenario) -> ElementSet:
    station = mini.stations[0]
    return station_elements(station, build_station(station))


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every result of the window search, in order (to count the computations)."""
    made: list[object] = []
    real = windows_mod.windows_with_phasing

    def counting(*args: object, **kwargs: object) -> object:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        made.append(out)
        return out

    monkeypatch.setattr(windows_mod, "windows_with_phasing", counting)
    return made


@pytest.fixture()
def tle(tmp_path: Path) -> Path:
    f = tmp_path / "iss.tle"
    f.write_text(ISS_TLE, encoding="utf-8")
    return f


def test_series_of_one_vehicle(mini: Scenario, elements: ElementSet) -> None:
    ferry, pad = mini.vehicles[0], mini.launch_sites[0]
    s = window_series(elements, ferry, pad, "Alpha", START, END)
    assert (s.vehicle, s.site, s.station, s.strategy) == ("Ferry", "Pad North", "Alpha", "2orbit")
    assert (s.span_start_utc, s.span_end_utc) == (START, END)
    assert 10 <= s.windows <= 11  # module docstring: 10 / 0.9836 days
    assert s.windows_per_year == {2025: s.windows}
    assert len(s.launch_dates_utc) == len(s.phase_angle_deg) == s.windows
    assert all(START <= d <= END for d in s.launch_dates_utc)
    assert s.launch_dates_utc == sorted(s.launch_dates_utc)
    gaps_h = [(b - a).total_seconds() / 3600 for a, b in pairwise(s.launch_dates_utc)]
    assert all(23.4 < g < 23.8 for g in gaps_h)  # 0.9836 day = 23.6 h between windows
    first = s.launch_dates_utc[0]
    # hour of day: h + min/60 + s/3600
    assert s.launch_time_utc_hours[0] == round(
        first.hour + first.minute / 60 + first.second / 3600, 4
    )
    assert s.azimuth_deg is not None and 33 <= s.azimuth_deg <= 70  # inside the corridor
    assert 0 <= s.own_strategy_feasible <= s.windows and 0 <= s.no_strategy <= s.windows
    assert all(0 <= p < 360 for p in s.phase_angle_deg)
    sample = s.first_windows[0]
    assert sample.launch_utc == first
    assert sample.ascending and sample.width_s == 0  # no dogleg: an instantaneous window
    # lift-off leads the plane crossing by the Ferry's launch_offset_s, 162 s
    assert (sample.plane_crossing_utc - sample.launch_utc).total_seconds() == pytest.approx(
        162, abs=1e-3
    )
    assert len(s.first_windows) == min(10, s.windows)  # SAMPLE_WINDOWS = 10


def test_series_states_the_lead_its_source_and_check(mini: Scenario, elements: ElementSet) -> None:
    """The plan's row of a vehicle carries its lead, the lead's source and held-out check."""
    ferry, pad = mini.vehicles[0], mini.launch_sites[0]
    plain = window_series(elements, ferry, pad, "Alpha", START, START + timedelta(days=1))
    assert (plain.lead_s, plain.lead_source, plain.lead_check) == (162, "assumed", None)
    check = LaunchOffsetCheck(
        flights=12, median_error_s=14.8, worst_error_s=50.2, reference="a held-out check"
    )
    fitted = ferry.model_copy(
        update={"launch_offset_source": "fitted", "launch_offset_check": check}
    )
    s = window_series(elements, fitted, pad, "Alpha", START, START + timedelta(days=1))
    assert (s.lead_s, s.lead_source, s.lead_check) == (162, "fitted", check)
    # as it is written to plan.json and read back
    again = type(s).model_validate_json(s.model_dump_json())
    assert again.lead_check == check and again.lead_source == "fitted"


def test_same_profile_shares_one_computation(
    mini: Scenario, elements: ElementSet, calls: list[object]
) -> None:
    """Ferry and Freighter fly one ascent profile (528 s, 2orbit, 220 km, no dogleg, lead
    162 s) from one pad: the second series reuses the first's windows."""
    ferry, freighter = mini.vehicles
    pad = mini.launch_sites[0]
    cache: WindowCache = {}
    a = window_series(elements, ferry, pad, "Alpha", START, END, cache)
    b = window_series(elements, freighter, pad, "Alpha", START, END, cache)
    assert len(calls) == 1 and len(cache) == 1
    (records,) = cache.values()
    assert records is calls[0]  # the very list computed once
    assert (a.vehicle, b.vehicle) == ("Ferry", "Freighter")
    assert a.launch_dates_utc == b.launch_dates_utc
    assert a.phase_angle_deg == b.phase_angle_deg


def test_another_lead_is_another_computation(
    mini: Scenario, elements: ElementSet, calls: list[object]
) -> None:
    """A vehicle with lead 0 s instead of 162 s: its own computation, the same plane
    crossings, each lift-off 162 s later."""
    ferry, pad = mini.vehicles[0], mini.launch_sites[0]
    no_lead = ferry.model_copy(update={"name": "Ferry-0", "launch_offset_s": 0.0})
    cache: WindowCache = {}
    led = window_series(elements, ferry, pad, "Alpha", START, END, cache)
    plain = window_series(elements, no_lead, pad, "Alpha", START, END, cache)
    assert len(calls) == 2 and len(cache) == 2
    assert calls[0] is not calls[1]
    assert plain.lead_s == 0 and led.lead_s == 162
    assert plain.windows == led.windows
    for p, q in zip(plain.first_windows, led.first_windows, strict=True):
        assert p.plane_crossing_utc == q.plane_crossing_utc
        assert (p.launch_utc - q.launch_utc).total_seconds() == pytest.approx(162, abs=1e-3)


def test_no_cache_computes_every_time(
    mini: Scenario, elements: ElementSet, calls: list[object]
) -> None:
    ferry, pad = mini.vehicles[0], mini.launch_sites[0]
    window_series(elements, ferry, pad, "Alpha", START, END)
    window_series(elements, ferry, pad, "Alpha", START, END)
    assert len(calls) == 2


def test_span_is_part_of_the_key(mini: Scenario, elements: ElementSet, calls: list[object]) -> None:
    ferry, pad = mini.vehicles[0], mini.launch_sites[0]
    cache: WindowCache = {}
    window_series(elements, ferry, pad, "Alpha", START, END, cache)
    window_series(elements, ferry, pad, "Alpha", START, END + timedelta(days=1), cache)
    assert len(calls) == 2 and len(cache) == 2


def test_dogleg_widens_the_window(mini: Scenario, elements: ElementSet) -> None:
    """With a 0.1 deg dogleg the window spans the time the pad is within 0.1 deg of the
    plane. The pad crosses the plane at (360.986 + 5.0) deg/day x cos 45.996 x cos 63.3
    (the share of its eastward motion across a plane heading 63.3 deg) = 366.0 x 0.6947 x
    0.4493 = 114.2 deg/day = 1.32e-3 deg/s, so the width is 2 x 0.1 / 1.32e-3 = 151 s."""
    ferry, pad = mini.vehicles[0], mini.launch_sites[0]
    dogleg = ferry.model_copy(update={"plane_change_deg": 0.1})
    s = window_series(elements, dogleg, pad, "Alpha", START, END)
    # every window within 5 % (the osculating plane wobbles by a few seconds' worth)
    assert all(w.width_s == pytest.approx(151, rel=0.05) for w in s.first_windows)


def _corridor(pad: LaunchSite, lo: float, hi: float) -> LaunchSite:
    """The pad with one allowed azimuth range lo..hi (deg)."""
    data = pad.model_dump()
    data["allowed_azimuths_deg"] = [{"min_deg": lo, "max_deg": hi}]
    return LaunchSite.model_validate(data)


def test_corridor_that_admits_no_window(mini: Scenario, elements: ElementSet) -> None:
    """Azimuths 200-210 deg (south-west) contain neither 62 deg (ascending) nor ~118 deg."""
    ferry, pad = mini.vehicles[0], mini.launch_sites[0]
    s = window_series(elements, ferry, _corridor(pad, 200, 210), "Alpha", START, END)
    assert s.windows == 0 and s.azimuth_deg is None
    assert s.first_windows == [] and s.windows_per_year == {}
    assert s.own_strategy_feasible == 0 and s.no_strategy == 0


def test_open_corridor_doubles_the_windows(mini: Scenario, elements: ElementSet) -> None:
    """All azimuths allowed: the descending crossing (~118 deg) counts too, 2 per 0.9836 day."""
    ferry, pad = mini.vehicles[0], mini.launch_sites[0]
    s = window_series(elements, ferry, _corridor(pad, 0, 360), "Alpha", START, END)
    assert 20 <= s.windows <= 22  # 2 x 10.2
    assert {w.ascending for w in s.first_windows} == {True, False}


# --------------------------------------------------------------------------- the query


def _request(**values: object) -> WindowsRequest:
    return make_request(WindowsRequest, values)


def test_query_stops_where_sgp4_stops(tle: Path) -> None:
    req = _request(
        elements_file=tle,
        site="baik",
        start_utc="2018-08-29T00:00:00Z",
        end_utc="2018-09-03T00:00:00Z",
    )
    answer = launch_windows(req)
    assert answer.notes == [
        "object 25544 (ISS (ZARYA)) stops propagating at 2018-08-31T16:56:08Z (SGP4: mrt is "
        "less than 1.0 which indicates the satellite has decayed); windows end there"
    ]
    assert utc(2018, 8, 31, 16) < answer.end_utc < utc(2018, 8, 31, 17)
    assert answer.records and all(r.window.launch_utc <= answer.end_utc for r in answer.records)
    assert (answer.object_name, answer.catalog_number) == ("ISS (ZARYA)", 25544)
    assert answer.site == "Baikonur Site 31"
    # the profile is the default scenario's Soyuz MS (528 s, 2orbit, 220 km and its lead)
    soyuz = "vehicle Soyuz MS (first to fly from Baikonur Site 31)"
    kind = _default_vehicle("Soyuz MS").launch_offset_source  # fitted
    assert answer.sources == {
        "ascent_s": soyuz,
        "strategy": soyuz,
        "insertion_altitude_km": soyuz,
        "plane_change_deg": soyuz,
        "lead_s": f"{soyuz}, {kind} lead",
    }
    assert answer.lead_warning is None
    assert answer.profile == _profile_of_fields(_default_vehicle("Soyuz MS"))
    assert answer.strategies == ("2orbit", "4orbit", "1day", "2day", "3day")


def test_query_from_coordinates_with_overrides(tle: Path) -> None:
    req = _request(
        elements_file=tle,
        site="45.9,63.3",
        start_utc="2015-03-28T00:00:00Z",
        end_utc="2015-03-30T00:00:00Z",
        lead_s=100,
        strategy="2day",
    )
    answer = launch_windows(req)
    assert answer.notes == []
    assert answer.end_utc == utc(2015, 3, 30)  # no decay inside the span
    assert answer.sources == {
        "ascent_s": "default-assumed",
        "strategy": "given",
        "insertion_altitude_km": "default-assumed",
        "plane_change_deg": "default-assumed",
        "lead_s": "given",
    }
    assert answer.lead_warning is None  # a given lead, even 0 s, is no assumption
    # AscentProfile's defaults (528 s, 220 km, no dogleg) with the two given values
    assert answer.profile == AscentProfile(strategy="2day", lead_s=100.0)
    assert answer.strategies == ("2day",)
    # no corridor at a LAT,LON pad: both crossings, 2 per ~0.98 day in 2 days = 4 or 5
    assert 4 <= len(answer.records) <= 5
    assert {o.strategy for r in answer.records for o in r.options} == {"2day"}


def test_query_site_north_of_the_orbit(tle: Path) -> None:
    req = _request(
        elements_file=tle,
        site="62.9,10",
        start_utc="2015-03-28T00:00:00Z",
        end_utc="2015-03-29T00:00:00Z",
    )
    with pytest.raises(ArgumentError) as err:
        launch_windows(req)
    (problem,) = err.value.problems
    assert problem.field == "site"
    assert "latitude 62.9 deg exceeds the orbit's inclination 51.65 deg" in problem.message


def test_query_span_limit(tle: Path) -> None:
    """At most MAX_SPAN_DAYS = 3660 days: 2015-03-28 to 2025-04-04 is 10 x 365 + 3 leap days
    (2016, 2020, 2024) + 7 = 3660 days, accepted by the request; a day more is refused."""
    at_limit = _request(
        elements_file=tle,
        site="baik",
        start_utc="2015-03-28T00:00:00Z",
        end_utc="2025-04-04T00:00:00Z",
    )
    assert (at_limit.end_utc - at_limit.start_utc).days == MAX_SPAN_DAYS == 3660
    too_long = at_limit.model_copy(update={"end_utc": utc(2025, 4, 5)})  # 3661 days
    with pytest.raises(ArgumentError) as err:
        launch_windows(too_long)
    (problem,) = err.value.problems
    assert (problem.field, problem.message) == ("end_utc", "the span is limited to 3660 days")


# --------------------------------------------------------------------------- vehicles

DAY = {"start_utc": "2015-03-28T00:00:00Z", "end_utc": "2015-03-29T00:00:00Z"}


def _default_vehicle(name: str) -> Vehicle:
    return next(v for v in default_scenario().vehicles if v.name == name)


def _profile_of_fields(v: Vehicle) -> AscentProfile:
    """The profile a vehicle's scenario fields give (written out, not via profile_of)."""
    return AscentProfile(
        ascent_s=v.ascent_duration_s,
        strategy=v.rendezvous_strategy.value,
        insertion_altitude_km=v.insertion_altitude_km,
        plane_change_deg=v.plane_change_deg,
        lead_s=v.launch_offset_s,
    )


def test_query_flies_the_named_vehicle(tle: Path) -> None:
    """Progress MS (not the site's first vehicle, Soyuz MS): its own pad and every value of
    its own, each stated as the vehicle's."""
    progress = _default_vehicle("Progress MS")
    answer = launch_windows(_request(elements_file=tle, vehicle="progress ms", **DAY))
    assert answer.site == progress.launch_sites[0]
    assert answer.profile == _profile_of_fields(progress)
    assert answer.sources["ascent_s"] == "vehicle Progress MS"
    assert answer.sources["lead_s"] == f"vehicle Progress MS, {progress.launch_offset_source} lead"
    assert set(answer.sources.values()) <= {
        "vehicle Progress MS",
        f"vehicle Progress MS, {progress.launch_offset_source} lead",
    }
    assert answer.lead_warning is None and answer.notes == []
    for r in answer.records:  # lift-off leads the plane crossing by the vehicle's lead
        w = r.window
        lead_s = (w.plane_crossing_utc - w.launch_utc).total_seconds()
        assert lead_s == pytest.approx(progress.launch_offset_s, abs=1e-3)


def test_query_vehicle_with_single_overrides(tle: Path) -> None:
    soyuz = _default_vehicle("Soyuz MS")
    answer = launch_windows(
        _request(elements_file=tle, vehicle="Soyuz MS", ascent_s=540, lead_s=150, **DAY)
    )
    assert answer.profile == dataclasses.replace(
        _profile_of_fields(soyuz), ascent_s=540.0, lead_s=150.0
    )
    assert answer.sources["ascent_s"] == answer.sources["lead_s"] == "given"
    assert answer.sources["insertion_altitude_km"] == "vehicle Soyuz MS"


def test_query_site_overrides_the_vehicles_pad(tle: Path) -> None:
    """Soyuz MS from Site 1 (Gagarin's Start, 45.920 N 63.342 E; published pad coordinates,
    approximate) rather than its Site 31: the pad changes, the profile stays the vehicle's.

    Site 1 lies almost on Site 31's ascending ground track: 0.222 deg west and 0.076 deg
    south, where the track of a 51.646 deg orbit at 46 N runs sec^2(46) / (tan(51.646) x
    cos(55.03)) = 2.072 / (1.2634 x 0.5730) = 2.86 deg of longitude per deg of latitude
    (sin(55.03) = tan(46) / tan(51.646)), i.e. 0.076 x 2.86 = 0.218 deg west. Site 1 thus
    crosses the plane (0.222 - 0.218) / 366 deg/day = about 1 s after Site 31 (the pad turns
    at 360.986 deg/day plus the ~5 deg/day regression of the node): later, by seconds."""
    soyuz = _default_vehicle("Soyuz MS")
    at_31 = launch_windows(_request(elements_file=tle, vehicle="Soyuz MS", **DAY))
    at_1 = launch_windows(
        _request(elements_file=tle, vehicle="Soyuz MS", site="45.920,63.342,100", **DAY)
    )
    assert at_1.site == "45.920,63.342,100" and at_31.site == "Baikonur Site 31"
    assert (at_1.pad.lat_deg, at_1.pad.lon_deg) == (45.920, 63.342)
    assert at_1.profile == at_31.profile == _profile_of_fields(soyuz)
    assert at_1.sources == at_31.sources and at_1.notes == []
    one = next(r.window for r in at_1.records if r.window.ascending)
    thirty_one = next(r.window for r in at_31.records if r.window.ascending)
    later_s = (one.launch_utc - thirty_one.launch_utc).total_seconds()
    assert 0 < later_s < 5  # about 1 s by the hand estimate above (2.4 s computed)


def test_query_vehicle_at_a_named_site_it_does_not_fly_from(tle: Path) -> None:
    soyuz = _default_vehicle("Soyuz MS")
    answer = launch_windows(_request(elements_file=tle, vehicle="Soyuz MS", site="Kennedy", **DAY))
    assert answer.site == "Kennedy LC-39A"
    assert answer.profile == _profile_of_fields(soyuz)
    assert answer.notes == [
        "Soyuz MS flies from Baikonur Site 31 in the default scenario, not from Kennedy LC-39A: "
        "its ascent, profile and lead are used there as they are"
    ]


def test_query_unknown_vehicle_lists_the_scenarios_vehicles(tle: Path) -> None:
    with pytest.raises(ArgumentError) as err:
        launch_windows(_request(elements_file=tle, vehicle="Soyuz TMA", **DAY))
    (problem,) = err.value.problems
    names = ", ".join(v.name for v in default_scenario().vehicles)
    assert (problem.field, problem.message) == (
        "vehicle",
        f"'Soyuz TMA' names no single vehicle of the default scenario; its vehicles: {names}",
    )


def test_query_bare_coordinates_state_assumptions_and_warn(tle: Path) -> None:
    """No vehicle, a LAT,LON pad: every value is AscentProfile's default but the given
    profile, and the lead of 0 s (lift-off at the plane crossing) is flagged."""
    answer = launch_windows(
        _request(elements_file=tle, site="45.996,63.564", strategy="2orbit", **DAY)
    )
    assert answer.profile == AscentProfile(strategy="2orbit")
    assert answer.profile.lead_s == 0
    assert answer.sources == {
        "ascent_s": "default-assumed",
        "strategy": "given",
        "insertion_altitude_km": "default-assumed",
        "plane_change_deg": "default-assumed",
        "lead_s": "default-assumed",
    }
    warning = (
        "lead 0 s assumed: nothing calibrates it; lift-off = plane crossing; "
        "give --vehicle or --lead-s"
    )
    assert answer.lead_warning == warning and answer.notes == [warning]
    assert answer.records
    assert all(r.window.launch_utc == r.window.plane_crossing_utc for r in answer.records)


@pytest.fixture()
def mini_file(tmp_path: Path) -> Path:
    """MINI as a file, with leads of 0 s: the Ferry's assumed (the default source), the
    Freighter's geometric."""
    text, _ = mutate(
        MINI,
        "    launch_offset_s: 162\n  - name: Freighter",
        "    launch_offset_s: 0\n  - name: Freighter",
    )
    text, _ = mutate(
        text,
        "    launch_offset_s: 162\n\nlaunch_sites:",
        "    launch_offset_s: 0\n    launch_offset_source: geometric\n\nlaunch_sites:",
    )
    f = tmp_path / "mini.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def test_query_vehicle_and_site_of_a_scenario_file(tle: Path, mini_file: Path) -> None:
    """A scenario file's vehicles and site names (Pad North is not the default scenario's)."""
    ferry = load_scenario(mini_file).scenario.vehicles[0]
    by_vehicle = launch_windows(
        _request(elements_file=tle, scenario=mini_file, vehicle="Ferry", **DAY)
    )
    assert by_vehicle.site == "Pad North"
    assert by_vehicle.profile == _profile_of_fields(ferry)
    by_site = launch_windows(_request(elements_file=tle, scenario=mini_file, site="pad n", **DAY))
    assert by_site.site == "Pad North"
    assert by_site.sources["ascent_s"] == "vehicle Ferry (first to fly from Pad North)"
    with pytest.raises(ArgumentError) as err:
        launch_windows(_request(elements_file=tle, scenario=mini_file, site="Baikonur", **DAY))
    assert err.value.problems[0].field == "site"
    assert "names no single launch site of scenario" in err.value.problems[0].message


def test_query_zero_lead_warns_only_when_nothing_calibrated_it(tle: Path, mini_file: Path) -> None:
    """A vehicle's lead of 0 s: flagged when assumed, not when geometric, nor when given."""
    assumed = launch_windows(
        _request(elements_file=tle, scenario=mini_file, vehicle="Ferry", **DAY)
    )
    assert assumed.profile.lead_s == 0
    assert assumed.sources["lead_s"] == "vehicle Ferry, assumed lead"
    assert assumed.lead_warning == (
        "lead 0 s: Ferry's launch_offset_s is not calibrated (launch_offset_source: "
        "assumed); lift-off = plane crossing; give --vehicle or --lead-s"
    )
    assert assumed.notes == [assumed.lead_warning]
    geometric = launch_windows(
        _request(elements_file=tle, scenario=mini_file, vehicle="Freighter", **DAY)
    )
    assert geometric.profile.lead_s == 0 and geometric.lead_warning is None
    assert geometric.sources["lead_s"] == "vehicle Freighter, geometric lead"
    given = launch_windows(
        _request(elements_file=tle, scenario=mini_file, vehicle="Ferry", lead_s=0, **DAY)
    )
    assert given.lead_warning is None and given.sources["lead_s"] == "given"


# --------------------------------------------------------------------------- the request

BASE = {
    "elements_file": "iss.tle",
    "site": "Baikonur",
    "start_utc": "2025-01-01T00:00:00Z",
    "end_utc": "2025-01-02T00:00:00Z",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        # lead_s takes the bounds of a vehicle's launch_offset_s: -3600..3600 s
        ({"lead_s": 4000}, "lead_s", "must be less than or equal to 3600 (got 4000)"),
        ({"lead_s": -3601}, "lead_s", "must be greater than or equal to -3600 (got -3601)"),
        # ascent_s as a vehicle's ascent_duration_s: > 0
        ({"ascent_s": 0}, "ascent_s", "must be greater than 0 (got 0)"),
        (
            {"end_utc": "2024-12-31T00:00:00Z"},
            "end_utc",
            "must be after the start 2025-01-01T00:00:00Z",
        ),
        (
            {"start_utc": "2025-01-01T00:00:00"},
            "start_utc",
            "'2025-01-01T00:00:00' has no time zone; add Z (UTC), e.g. 2025-01-01T00:00:00Z",
        ),
        (
            {"start_utc": "yesterday"},
            "start_utc",
            "'yesterday' is not an ISO 8601 UTC time; expected e.g. 2025-01-01T00:00:00Z",
        ),
        (
            # DE421 ends 2053-10-08 (orbit/constants.py, EPHEMERIS_LAST_UTC)
            {"end_utc": "2054-01-01T00:00:00Z"},
            "end_utc",
            "the span ends 2054-01-01, after 2053-10-08, the last day the DE421 ephemeris covers",
        ),
        (
            {"strategy": "5orbit"},
            "strategy",
            "must be '2orbit', '4orbit', '1day', '2day' or '3day' (got '5orbit')",
        ),
        (
            {"site": "Vandenberg"},
            "site",
            "'Vandenberg' names no single launch site; known: Baikonur Site 31, "
            "Kennedy LC-39A, Cape Canaveral SLC-40; or give LAT,LON",
        ),
        ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
    ],
)
def test_request_problems_name_the_field(
    change: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ArgumentError) as err:
        make_request(WindowsRequest, {**BASE, **change})
    assert [(p.source, p.field, p.message) for p in err.value.problems] == [
        ("request", field, message)
    ]


def test_request_needs_a_site_or_a_vehicle() -> None:
    values = {k: v for k, v in BASE.items() if k != "site"}
    with pytest.raises(ArgumentError) as err:
        make_request(WindowsRequest, values)
    assert [(p.field, p.message) for p in err.value.problems] == [
        ("site", "give a launch site (name or LAT,LON) or a vehicle")
    ]
    assert make_request(WindowsRequest, {**values, "vehicle": "Soyuz MS"}).site is None


def test_request_reports_every_wrong_field_at_once() -> None:
    with pytest.raises(ArgumentError) as err:
        make_request(WindowsRequest, {**BASE, "lead_s": 4000, "site": "Nowhere", "x": 1})
    assert sorted(str(p.field) for p in err.value.problems) == ["lead_s", "site", "x"]


def test_request_accepts_the_last_ephemeris_day() -> None:
    req = make_request(WindowsRequest, {**BASE, "end_utc": "2053-10-08T00:00:00Z"})
    assert req.end_utc == utc(2053, 10, 8)
    assert cli_label("lead_s") == "--lead-s"  # how the command line shows the field


def test_a_history_file_flies_from_the_set_before_the_span(shared_data: Path) -> None:
    """With the whole 2024-12 to 2025-07 ISS history as the element file, the windows of
    7-8 April 2025 come from the set of 7 April, not the first of the file (December 2024):
    Soyuz MS-27 lifted off from Baikonur Site 31 at 05:47:15 UTC on 8 April 2025 (A. Zak,
    russianspaceweb.com/soyuz-ms-27.html: 08:47:15.309 Moscow time). Measured: 3 s off with
    the set of the day before; propagated from December 2024 the window was 10 min early.
    Tolerance 30 s (the calibrated lead's held-out error is 6 s)."""
    history = (
        shared_data / "tle" / "iss" / "iss_25544_2024-12_2025-07_Aritra476-ISS-Orbital-Tracking"
        "-and-Analysis.tle"
    )
    answer = launch_windows(
        _request(
            elements_file=history,
            vehicle="Soyuz MS",
            start_utc="2025-04-08T00:00:00Z",
            end_utc="2025-04-08T12:00:00Z",
        )
    )
    real = datetime(2025, 4, 8, 5, 47, 15, tzinfo=UTC)
    launches = [r.window.launch_utc for r in answer.records]
    nearest = min(launches, key=lambda t: abs((t - real).total_seconds()))
    assert abs((nearest - real).total_seconds()) < 30.0
