"""Events of one object over a span (eclipses, ground contacts, node crossings): the use case
behind ``stationplan events``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import field_validator

from stationplan.errors import Problem
from stationplan.ops.choices import EventKind
from stationplan.ops.ephemeris import until_sgp4_limit
from stationplan.ops.requests import SpanRequest, field_type, request_error
from stationplan.ops.sites import parse_lat_lon
from stationplan.orbit import events
from stationplan.orbit.element_files import find_object, read_elements
from stationplan.orbit.events import Contact, EclipsePassUtc, NodeCrossing
from stationplan.orbit.propagate import sgp4_trajectory
from stationplan.orbit.timescale import as_time
from stationplan.scenario.models import GroundStation

__all__ = [
    "Contact",
    "EclipsePassUtc",
    "EventRecord",
    "EventsAnswer",
    "EventsRequest",
    "NodeCrossing",
    "find_events",
]

MAX_SPAN_DAYS = 366

EventRecord = EclipsePassUtc | NodeCrossing | Contact
"""One event found: an eclipse pass, a node crossing or a pass over a ground site."""

if TYPE_CHECKING:
    Elevation = float
else:
    Elevation = field_type(GroundStation, "min_elevation_deg")


class EventsRequest(SpanRequest):
    """Events of one kind for one object of an element file; contacts need a ground site."""

    elements_file: Path
    object_id: str | None = None
    kind: EventKind
    station: str | None = None
    """Ground site LAT,LON[,ALT_M] for contacts."""
    min_elevation_deg: Elevation = 0.0
    strict: bool = False

    @field_validator("station")
    @classmethod
    def _station(cls, text: str | None) -> str | None:
        if text is not None:
            parse_lat_lon(text)
        return text


@dataclass(frozen=True)
class EventsAnswer:
    """The events found, in time order, and what the user should know.

    ``records`` hold one type per kind: :class:`~stationplan.orbit.events.EclipsePassUtc` for
    eclipses, :class:`~stationplan.orbit.events.NodeCrossing` for nodes and
    :class:`~stationplan.orbit.events.Contact` for contacts; times are aware UTC datetimes.
    """

    kind: EventKind
    records: Sequence[EventRecord]
    skipped: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def find_events(req: EventsRequest) -> EventsAnswer:
    """Eclipse passes (one record per pass through the shadow: penumbra and umbra entry and
    exit, umbra and shadow durations), node crossings or passes over a ground site in the span."""
    if req.end_utc - req.start_utc > timedelta(days=MAX_SPAN_DAYS):
        raise request_error("end_utc", f"the span is limited to {MAX_SPAN_DAYS} days")
    if req.kind is EventKind.contact and req.station is None:
        raise request_error("station", "contacts need a ground site LAT,LON[,ALT_M]")
    result = read_elements(req.elements_file, strict=req.strict)
    el = find_object(result, req.object_id, req.start_utc)
    notes: list[str] = []
    end = until_sgp4_limit(el, req.start_utc, req.end_utc, "events", notes)
    state = sgp4_trajectory(el)
    a, b = as_time(req.start_utc), as_time(end)
    records: Sequence[EventRecord]
    if req.kind is EventKind.eclipse:
        records = events.passes_utc(events.eclipse_passes(state, a, b))
    elif req.kind is EventKind.node:
        records = events.node_crossings(state, a, b)
    else:
        assert req.station is not None
        lat, lon, alt = parse_lat_lon(req.station)
        records = events.contacts(state, a, b, lat, lon, alt, req.min_elevation_deg)
    return EventsAnswer(req.kind, records, result.problems, notes)
