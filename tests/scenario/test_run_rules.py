"""What ``run`` cannot plan, ``validate`` refuses, at the line of the field, saying why.

Each case here once validated and then failed in ``run`` (an ArgumentError naming an internal
function, an EphemerisRangeError, an OverflowError) or crashed ``validate`` itself.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stationplan.errors import ScenarioError
from stationplan.orbit.constants import EPHEMERIS_LAST_UTC, REENTRY_ALTITUDE_KM
from stationplan.scenario import parse_scenario
from stationplan.scenario.checks import element_epoch
from stationplan.scenario.models import Orbit
from tests.conftest import mutate

SRC = "my.yaml"


def errors_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, source=SRC)
    return [str(p) for p in info.value.problems]


def test_band_at_the_reentry_altitude_is_refused(default_text: str) -> None:
    text, line = mutate(default_text, "min_altitude_km: 400 ", "min_altitude_km: 150 ")
    text, _ = mutate(text, "max_altitude_km: 430", "max_altitude_km: 160")
    assert errors_of(text) == [
        f"{SRC}:{line} stations[1].min_altitude_km: must be > {REENTRY_ALTITUDE_KM:g} and "
        "<= 2000 (got 150)"
    ]


def test_band_just_above_the_reentry_altitude_validates(default_text: str) -> None:
    text, _ = mutate(default_text, "min_altitude_km: 400 ", "min_altitude_km: 150.5 ")
    text, _ = mutate(text, "max_altitude_km: 430", "max_altitude_km: 160")
    assert parse_scenario(text).scenario.stations[1].min_altitude_km == 150.5


def test_programme_past_the_ephemeris_is_refused(default_text: str) -> None:
    text, line = mutate(
        default_text, "end_utc: 2038-12-31T23:59:59Z", "end_utc: 2060-01-01T00:00:00Z"
    )
    (msg,) = errors_of(text)
    assert msg.startswith(
        f"{SRC}:{line} programme.end_utc: the programme ends 2060-01-01; it must end on or "
        "before 2053-09-08: the plan needs the DE421 ephemeris, which ends 2053-10-08, for 30 "
        "days past the end"
    )


@pytest.mark.parametrize(
    ("end", "ok"),
    [("2053-09-08", True), ("2053-09-09", False), (f"{EPHEMERIS_LAST_UTC:%Y-%m-%d}", False)],
)
def test_ephemeris_margin_edge(default_text: str, end: str, ok: bool) -> None:
    text, _ = mutate(default_text, "end_utc: 2038-12-31T23:59:59Z", f"end_utc: {end}")
    if ok:
        parse_scenario(text)
    else:
        assert "programme.end_utc: the programme ends" in errors_of(text)[0]


def test_programme_before_the_ephemeris_is_refused(default_text: str) -> None:
    text, line = mutate(default_text, "start_utc: 2026-01-01", "start_utc: 1899-08-01")
    (msg,) = errors_of(text)
    assert msg.startswith(
        f"{SRC}:{line} programme.start_utc: the programme starts 1899-08-01; it must start on "
        "or after 1899-08-28"
    )


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("start_utc: 2026-01-01", "start_utc: 0001-01-01", "programme.start_utc"),
        ("end_utc: 2038-12-31T23:59:59Z", "end_utc: 9999-12-31", "programme.end_utc"),
    ],
)
def test_extreme_dates_are_refused_not_crashed(
    default_text: str, old: str, new: str, field: str
) -> None:
    text, line = mutate(default_text, old, new)
    assert any(m.startswith(f"{SRC}:{line} {field}: ") for m in errors_of(text))


def test_station_without_mass_is_refused(default_text: str) -> None:
    """The ISS without its modules (and their owners' contributions) and with mass_kg 0."""
    start = default_text.index("    modules:\n      # The elements that hold")
    stop = default_text.index("\n  - name: Concord Station")
    text = default_text[:start] + default_text[stop + 1 :]
    for item in ("Harmony", "Zvezda", "Prichal"):
        text = "\n".join(ln for ln in text.split("\n") if f"item: {item}," not in ln)
    text, line = mutate(text, "mass_kg: 235582\n", "mass_kg: 0\n")
    assert errors_of(text) == [
        f"{SRC}:{line} stations[0].mass_kg: station 'ISS' has no mass: mass_kg is 0 and it has "
        "no modules; give its mass (> 0 kg) or its modules"
    ]


def test_station_without_drag_area_is_refused(default_text: str) -> None:
    text, line = mutate(default_text, "drag_area_m2: 800", "drag_area_m2: 0")
    (msg,) = errors_of(text)
    assert msg.startswith(
        f"{SRC}:{line} stations[0].drag_area_m2: station 'ISS' has no drag area when its "
        "service starts (2026-01-01)"
    )


def test_first_module_without_drag_area_is_refused(default_text: str) -> None:
    """Concord Station has no mass or area of its own: its service starts with the Core
    Module, which must then bring a drag area."""
    text, _ = mutate(default_text, "drag_area_m2: 60", "drag_area_m2: 0")
    line = text[: text.index("    drag_area_m2: 0\n    drag_coefficient")].count("\n") + 1
    (msg,) = errors_of(text)
    assert msg.startswith(
        f"{SRC}:{line} stations[1].drag_area_m2: station 'Concord Station' has no drag area "
        "when its service starts (2028-03-01)"
    )


def test_elements_dated_after_the_service_are_refused(default_text: str) -> None:
    """A mean-elements epoch after the programme made run propagate SGP4 back 23 years
    (positions 1e13 km out) and its contact search exhaust memory (24 GB, OOM-killed)."""
    text, line = mutate(
        default_text, "epoch_utc: 2028-03-01T00:00:00Z", "epoch_utc: 2053-09-08T00:00:00Z"
    )
    assert errors_of(text) == [
        f"{SRC}:{line} stations[1].orbit.epoch_utc: the elements of 'Concord Station' are dated "
        "2053-09-08, after its service ends (the programme end, 2038-12-31); give elements "
        "dated within its service: the plan propagates them from their epoch"
    ]


def test_tle_dated_after_retirement_is_refused(default_text: str) -> None:
    """The element set is dated before the programme start, so the programme starts earlier
    too, to keep the retirement inside it."""
    text, _ = mutate(default_text, "start_utc: 2026-01-01", "start_utc: 2025-01-01")
    text, _ = mutate(text, "retire_utc: 2031-01-31", "retire_utc: 2025-06-01")
    line = text[: text.index("      tle: |")].count("\n") + 1
    (msg,) = errors_of(text)
    assert msg.startswith(
        f"{SRC}:{line} stations[0].orbit.tle: the elements of 'ISS' are dated 2025-07-23, "
        "after its service ends (retirement, 2025-06-01)"
    )


def test_element_epoch_of_each_form(default_text: str) -> None:
    sc = parse_scenario(default_text).scenario
    tle_epoch, field = element_epoch(sc.stations[0].orbit)
    assert field == ("tle",)
    assert tle_epoch == datetime(2025, 7, 23, tzinfo=UTC) + timedelta(days=0.82343111)
    assert element_epoch(sc.stations[1].orbit) == (
        datetime(2028, 3, 1, tzinfo=UTC),
        ("epoch_utc",),
    )
    omm = Orbit.model_validate(
        {
            "omm": {
                "NORAD_CAT_ID": 25544,
                "EPOCH": "2024-12-10T06:02:16Z",
                "MEAN_MOTION": 15.5,
                "ECCENTRICITY": 0.0007,
                "INCLINATION": 51.64,
                "RA_OF_ASC_NODE": 163.1,
                "ARG_OF_PERICENTER": 323.0,
                "MEAN_ANOMALY": 207.4,
            }
        }
    )
    assert element_epoch(omm) == (datetime(2024, 12, 10, 6, 2, 16, tzinfo=UTC), ("omm", "EPOCH"))
