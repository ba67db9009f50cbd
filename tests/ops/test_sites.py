"""Places given by the user: LAT,LON[,ALT_M] within the scenario bounds, or a launch site of
the default scenario by a case-insensitive prefix of its name."""

from __future__ import annotations

import pytest

import stationplan.ops.sites as sites
from stationplan.ops.sites import looks_like_coordinates, parse_lat_lon, resolve_launch_site
from stationplan.scenario import Scenario, default_scenario_text
from tests.conftest import mutate
from tests.ops.scenarios import parse

FORMAT = "is not LAT,LON[,ALT_M]; expected e.g. 45.92,63.34,100"
BOUNDS = "the latitude must be within -90..90 deg, the longitude -180..360 deg"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45.996, 63.564", (45.996, 63.564, 0.0)),  # height defaults to 0 m
        ("-5.236,-52.775,10", (-5.236, -52.775, 10.0)),  # Kourou-like, south and west
        # the bounds are those of a scenario ground station or launch site, edges included
        ("90,360,9000", (90.0, 360.0, 9000.0)),
        ("-90,-180,-500", (-90.0, -180.0, -500.0)),
    ],
)
def test_parse_lat_lon(text: str, expected: tuple[float, float, float]) -> None:
    assert parse_lat_lon(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("45.9", FORMAT),  # no longitude
        ("north,east", FORMAT),
        ("45.9,63.3,high", FORMAT),
        ("90.1,0", BOUNDS),  # latitude above 90
        ("0,-180.5", BOUNDS),  # longitude below -180
        ("0,360.5", BOUNDS),  # longitude above 360
        ("0,0,9000.5", BOUNDS),  # height above 9000 m
        ("0,0,-501", BOUNDS),  # height below -500 m
        ("nan,0", BOUNDS),  # NaN is inside no bound
        ("1,2,3,4", BOUNDS),  # a fourth number is refused (with the bounds message)
    ],
)
def test_parse_lat_lon_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_lat_lon(text)
    assert f"'{text}'" in str(err.value) and message in str(err.value)


def test_looks_like_coordinates() -> None:
    assert looks_like_coordinates("45.9,63.3")
    assert looks_like_coordinates("-5.2,-52.8")
    assert not looks_like_coordinates("Baikonur Site 31")  # no comma
    assert not looks_like_coordinates("Kennedy, Florida")  # no digit before the comma


@pytest.mark.parametrize(
    ("text", "site", "vehicle"),
    [
        # two of the default's sites; the vehicle is the first of the fleet flying from it
        ("Baikonur Site 31", "Baikonur Site 31", "Soyuz MS"),
        ("bai", "Baikonur Site 31", "Soyuz MS"),  # prefix, any case
        ("  KENNEDY ", "Kennedy LC-39A", "Crew Dragon"),  # surrounding blanks ignored
    ],
)
def test_resolve_by_prefix(text: str, site: str, vehicle: str) -> None:
    where = resolve_launch_site(text)
    assert where.label == site
    assert where.site is not None and where.site.name == site
    assert where.vehicle is not None and where.vehicle.name == vehicle
    # the pad is the scenario site's (default.yaml: Baikonur 45.996 N 63.564 E, 100 m)
    assert (where.pad.lat_deg, where.pad.lon_deg, where.pad.alt_m) == (
        where.site.latitude_deg,
        where.site.longitude_deg,
        where.site.altitude_m,
    )


def test_resolve_coordinates() -> None:
    where = resolve_launch_site(" 45.92,63.34,100 ")
    assert where.label == "45.92,63.34,100"
    assert (where.pad.lat_deg, where.pad.lon_deg, where.pad.alt_m) == (45.92, 63.34, 100.0)
    assert where.site is None and where.vehicle is None


@pytest.mark.parametrize("text", ["Vandenberg", "", "   ", "Site 31"])
def test_resolve_unknown(text: str) -> None:
    # "Site 31" is inside a name, not a prefix of one
    with pytest.raises(ValueError) as err:
        resolve_launch_site(text)
    assert f"'{text}' names no single launch site" in str(err.value)
    assert "known: Baikonur Site 31, Kennedy LC-39A, Cape Canaveral SLC-40; or give LAT,LON" in str(
        err.value
    )


def test_resolve_ambiguous_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sites starting 'Kennedy': the bare prefix is ambiguous, a longer one is not."""
    text, _ = mutate(
        default_scenario_text(),
        "\nground_stations:\n",
        "\n  - name: Kennedy SLC-40\n"
        "    latitude_deg: 28.562\n"
        "    longitude_deg: -80.577\n"
        "    allowed_azimuths_deg:\n"
        "      - {min_deg: 35, max_deg: 120}\n"
        "\nground_stations:\n",
    )
    scenario: Scenario = parse(text).scenario
    monkeypatch.setattr(sites, "default_scenario", lambda: scenario)
    with pytest.raises(ValueError, match="'kennedy' names no single launch site"):
        resolve_launch_site("kennedy")
    slc = resolve_launch_site("Kennedy S")
    assert slc.label == "Kennedy SLC-40"
    assert slc.vehicle is None  # no vehicle of the fleet flies from it
    assert resolve_launch_site("Kennedy L").label == "Kennedy LC-39A"
