"""The manifest as CSV and iCalendar: columns, times, and a calendar that parses back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from stationplan.ops.flights import Flight, FlightRole
from stationplan.ops.manifest import Manifest, SolverReport
from stationplan.report.manifest_files import MANIFEST_COLUMNS, manifest_csv, manifest_ical

T0 = datetime(2015, 3, 27, 19, 42, 57, tzinfo=UTC)  # Soyuz TMA-16M lift-off (NASA, 2015)


def _manifest() -> Manifest:
    crew = Flight(
        flight="A1 Soyuz TMA-M",
        role=FlightRole.CREW,
        vehicle="Soyuz TMA-M",
        operator="ROSCOSMOS",
        station="ISS",
        site="Baikonur Site 1",
        launch_utc=T0,
        docking_utc=T0 + timedelta(hours=5, minutes=50),
        port="Poisk",
        undocking_utc=T0 + timedelta(days=169),
        crew_up=3,
        crew_down=3,
        seats=3,
    )
    module = Flight(
        flight="module Node",
        role=FlightRole.MODULE,
        vehicle=None,
        operator="NASA",
        station="ISS",
        site=None,
        launch_utc=T0 + timedelta(days=3),
        docking_utc=None,
        port=None,
        undocking_utc=None,
    )
    cargo = crew.model_copy(
        update={
            "flight": "Progress 1",
            "role": FlightRole.CARGO,
            "vehicle": "Progress",
            "crew_up": 0,
            "crew_down": 0,
            "pressurized_kg": 1400.0,
            "propellant_kg": 880.0,
            "launch_utc": T0 + timedelta(days=30),
            "docking_utc": T0 + timedelta(days=30, hours=6),
        }
    )
    report = SolverReport(
        status="OPTIMAL",
        objective="cost",
        objective_value=1.0,
        best_bound=1.0,
        gap_pct=0.0,
        wall_time_s=0.1,
        variables=1,
        constraints=1,
    )
    return Manifest(flights=[crew, module, cargo], crew=[], solver=report)


def test_csv_columns_and_cells() -> None:
    rows = list(csv.DictReader(io.StringIO(manifest_csv(_manifest()))))
    assert tuple(rows[0]) == MANIFEST_COLUMNS
    crew, module, cargo = rows
    assert crew["launch_utc"] == "2015-03-27T19:42:57.000Z"
    assert crew["docking_utc"] == "2015-03-28T01:32:57.000Z"
    assert (crew["crew"], crew["port"], crew["cargo_kg"]) == ("3 up / 3 home", "Poisk", "")
    assert (module["role"], module["docking_utc"], module["vehicle"]) == ("module", "", "")
    assert cargo["cargo_kg"] == "2280"  # 1,400 kg pressurised + 880 kg propellant


def test_icalendar_parses_back_with_one_event_per_launch_and_docking() -> None:
    cal = Calendar.from_ical(manifest_ical(_manifest(), "Test programme"))
    events = [c for c in cal.walk("VEVENT")]
    # three launches and two dockings (the module does not dock as a visiting vehicle)
    assert len(events) == 5
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries[0] == "Docking: A1 Soyuz TMA-M"
    first = next(e for e in events if str(e["SUMMARY"]) == "Launch: A1 Soyuz TMA-M")
    assert first.decoded("DTSTART") == T0
    assert str(first["LOCATION"]) == "Baikonur Site 1"
    assert len({str(e["UID"]) for e in events}) == 5
