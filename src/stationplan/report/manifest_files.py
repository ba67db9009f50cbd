"""The manifest as files: a CSV table and an iCalendar of launches and dockings.

The CSV has one row per flight (``flight, vehicle, role, site, launch_utc, docking_utc, port,
undocking_utc, crew, cargo_kg``), times ISO 8601 UTC with ``Z`` to the millisecond. The
iCalendar file (RFC 5545, written with the ``icalendar`` package) has one event per launch and
one per docking, which calendar applications open as they are.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from stationplan import __version__
from stationplan.ops.flights import Flight
from stationplan.ops.manifest import Manifest
from stationplan.scenario.fields import utc_iso

MANIFEST_COLUMNS = (
    "flight",
    "vehicle",
    "role",
    "site",
    "launch_utc",
    "docking_utc",
    "port",
    "undocking_utc",
    "crew",
    "cargo_kg",
)


def _time(value: datetime | None) -> str:
    return "" if value is None else utc_iso(value)


def manifest_row(f: Flight) -> dict[str, str]:
    """One flight as text cells of :data:`MANIFEST_COLUMNS`. ``crew`` is the crew flown up
    and home ("4 up / 3 home"); ``cargo_kg`` the cargo up, propellant included."""
    crew = f"{f.crew_up} up / {f.crew_down} home" if f.crew_up or f.crew_down else ""
    return {
        "flight": f.flight,
        "vehicle": f.vehicle or "",
        "role": f.role.value,
        "site": f.site or "",
        "launch_utc": _time(f.launch_utc),
        "docking_utc": _time(f.docking_utc),
        "port": f.port or "",
        "undocking_utc": _time(f.undocking_utc),
        "crew": crew,
        "cargo_kg": f"{f.cargo_kg:.0f}" if f.cargo_kg else "",
    }


def manifest_csv(manifest: Manifest) -> str:
    """The manifest as CSV text (header and one row per flight, in launch order)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for f in manifest.flights:
        writer.writerow(manifest_row(f))
    return buffer.getvalue()


def manifest_ical(manifest: Manifest, programme: str) -> str:
    """An iCalendar (RFC 5545) of the manifest: one event per launch, one per docking."""
    cal = Calendar()
    cal.add("prodid", f"-//stationplan {__version__}//manifest//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{programme}: launches and dockings")
    for i, f in enumerate(manifest.flights):
        what = f.vehicle or "module"
        events = [("launch", f.launch_utc, f"Launch: {f.flight}", f.site or "")]
        if f.docking_utc is not None:
            events.append(("docking", f.docking_utc, f"Docking: {f.flight}", f.port or ""))
        for kind, when, summary, where in events:
            event = Event()
            event.add("uid", f"{i:04d}-{kind}-{f.flight.replace(' ', '-')}@stationplan")
            event.add("dtstamp", when)
            event.add("dtstart", when)
            event.add("dtend", when + timedelta(minutes=30))
            event.add("summary", summary)
            if where:
                event.add("location", where)
            event.add(
                "description",
                f"{what} ({f.role.value}) to {f.station}"
                + (f"; crew {f.crew_up} up, {f.crew_down} home" if f.crew_up or f.crew_down else "")
                + (f"; {f.cargo_kg:,.0f} kg up" if f.cargo_kg else ""),
            )
            cal.add_component(event)
    text: bytes = cal.to_ical()
    return text.decode("utf-8")
