"""The events and propagate use cases on the ISS element set of 2015-03-27 (15.55307244
rev/day: a period of 86400 / 15.55307244 = 5555.2 s; inclination 51.6460 deg; e 0.0007136),
and their request checks."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from stationplan.errors import ArgumentError
from stationplan.ops.choices import EventKind, Frame
from stationplan.ops.ephemeris import PropagateRequest, propagate
from stationplan.ops.events import (
    Contact,
    EclipsePassUtc,
    EventsRequest,
    NodeCrossing,
    find_events,
)
from stationplan.ops.requests import make_request
from tests.ops.test_windows import ISS_TLE

DAY = {"start_utc": "2015-03-28T00:00:00Z", "end_utc": "2015-03-29T00:00:00Z"}
DECAY_NOTE = (
    "object 25544 (ISS (ZARYA)) stops propagating at 2018-08-31T16:56:08Z (SGP4: mrt is less "
    "than 1.0 which indicates the satellite has decayed)"
)


@pytest.fixture()
def tle(tmp_path: Path) -> Path:
    f = tmp_path / "iss.tle"
    f.write_text(ISS_TLE, encoding="utf-8")
    return f


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_node_crossings(tle: Path) -> None:
    """One day holds 86400 / 5555.2 = 15.55 orbits: 31 or 32 crossings, alternating, the
    ascending ones one period apart (the nodal period differs from 5555.2 s by the J2 drift
    of perigee, a few seconds)."""
    answer = find_events(make_request(EventsRequest, {"elements_file": tle, "kind": "node", **DAY}))
    records = [r for r in answer.records if isinstance(r, NodeCrossing)]
    assert len(records) == len(answer.records)
    kinds = [r.kind for r in records]
    assert 31 <= len(kinds) <= 32
    assert all(a != b for a, b in pairwise(kinds))
    assert all(r.time_utc.tzinfo is UTC for r in records)
    ascending = [r.time_utc for r in records if r.kind == "ascending_node"]
    gaps = np.diff([t.timestamp() for t in ascending])
    assert np.all(np.abs(gaps - 5555.2) < 20)
    assert answer.kind is EventKind.node and answer.notes == [] and answer.skipped == []


def test_contacts_over_a_site(tle: Path) -> None:
    answer = find_events(
        make_request(
            EventsRequest,
            {
                "elements_file": tle,
                "kind": "contact",
                "station": "45.0,10.0",
                "min_elevation_deg": 10,
                **DAY,
            },
        )
    )
    assert answer.records
    for p in answer.records:
        assert isinstance(p, Contact)
        assert p.aos_utc <= p.max_elevation_utc <= p.los_utc
        assert p.max_elevation_deg >= 10  # above the mask, by definition of a pass
        assert p.duration_s == pytest.approx((p.los_utc - p.aos_utc).total_seconds(), abs=1e-3)
        # a LEO pass above 10 deg lasts well under the ~11 min horizon-to-horizon maximum
        assert 0 < p.duration_s < 660


def test_events_stop_where_sgp4_stops(tle: Path) -> None:
    answer = find_events(
        make_request(
            EventsRequest,
            {
                "elements_file": tle,
                "kind": "eclipse",
                "start_utc": "2018-08-30T00:00:00Z",
                "end_utc": "2018-09-03T00:00:00Z",
            },
        )
    )
    assert answer.notes == [DECAY_NOTE + "; events end there"]
    assert answer.records
    passes = [r for r in answer.records if isinstance(r, EclipsePassUtc)]
    assert len(passes) == len(answer.records)
    last = max(p.penumbra_exit_utc for p in passes)
    assert last <= _utc("2018-08-31T16:56:09Z")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"kind": "contact"}, "station", "contacts need a ground site LAT,LON[,ALT_M]"),
        # 366 days at most: 2015-03-28 to 2016-03-29 is 366 + 1 (2016-02-29) = 367 days
        (
            {"kind": "node", "end_utc": "2016-03-29T00:00:00Z"},
            "end_utc",
            "the span is limited to 366 days",
        ),
    ],
)
def test_events_refused(tle: Path, values: dict[str, object], field: str, message: str) -> None:
    req = make_request(EventsRequest, {"elements_file": tle, **DAY, **values})
    with pytest.raises(ArgumentError) as err:
        find_events(req)
    assert [(p.field, p.message) for p in err.value.problems] == [(field, message)]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"station": "91,0"},
            "station",
            "'91,0': the latitude must be within -90..90 deg, the longitude -180..360 deg and "
            "the height -500..9000 m",
        ),
        # bounded as a scenario ground station's min_elevation_deg: 0..90
        (
            {"min_elevation_deg": 95},
            "min_elevation_deg",
            "must be less than or equal to 90 (got 95)",
        ),
        ({"kind": "sunrise"}, "kind", "must be 'eclipse', 'contact' or 'node' (got 'sunrise')"),
    ],
)
def test_events_request_problems(values: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ArgumentError) as err:
        make_request(EventsRequest, {"elements_file": "x.tle", "kind": "contact", **DAY, **values})
    assert [(p.field, p.message) for p in err.value.problems] == [(field, message)]


def test_propagate_geodetic(tle: Path) -> None:
    """One day every 60 s: 1440 + 1 epochs. The geodetic latitude peaks a little above the
    51.646 deg inclination (geodetic exceeds geocentric latitude by up to ~0.19 deg at mid
    latitudes); the height above the ellipsoid spans the orbit's +/- a e = +/- 4.8 km around
    ~400 km plus the ellipsoid's flattening (21.4 x sin^2 51.6 = 13.1 km lower at high
    latitude): 390-425 km."""
    answer = propagate(
        make_request(
            PropagateRequest, {"elements_file": tle, **DAY, "step_s": 60, "frame": "geodetic"}
        )
    )
    assert len(answer.times_utc) == 1441
    assert answer.r_km is None and answer.lat_deg is not None and answer.alt_km is not None
    assert 51.6 < float(np.max(np.abs(answer.lat_deg))) < 51.85
    assert float(np.min(answer.alt_km)) > 390 and float(np.max(answer.alt_km)) < 425
    assert answer.frame is Frame.geodetic and answer.notes == []


def test_propagate_marks_failed_rows(tle: Path) -> None:
    answer = propagate(
        make_request(
            PropagateRequest,
            {
                "elements_file": tle,
                "start_utc": "2018-08-31T00:00:00Z",
                "end_utc": "2018-09-01T00:00:00Z",
                "step_s": 3600,
            },
        )
    )
    assert len(answer.times_utc) == 25  # hourly, both ends
    assert answer.r_km is not None
    failed = np.isnan(answer.r_km[:, 0])
    assert failed.any() and not failed[0]
    assert answer.notes == [
        "SGP4 failed for object 25544 (ISS (ZARYA)): mrt is less than 1.0 which indicates the "
        "satellite has decayed; the rows where it failed are empty (NaN)"
    ]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        # one day at 0.01 s is 8,640,000 epochs, above MAX_EPOCHS = 5,000,000
        ({"step_s": 0.01}, "step_s", "too small for the span: more than 5,000,000 epochs"),
        (
            {"format": "oem", "frame": "geodetic"},
            "format",
            "an OEM holds Cartesian states: use frame teme, gcrs or itrs",
        ),
        ({"format": "czml"}, "format", "CZML needs frame gcrs (inertial) or itrs (Earth-fixed)"),
    ],
)
def test_propagate_refused(tle: Path, values: dict[str, object], field: str, message: str) -> None:
    req = make_request(PropagateRequest, {"elements_file": tle, **DAY, **values})
    with pytest.raises(ArgumentError) as err:
        propagate(req)
    assert [(p.field, p.message) for p in err.value.problems] == [(field, message)]
