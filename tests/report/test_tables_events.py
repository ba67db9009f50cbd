"""The events writers (``report.tables.events_text``): typed records in, JSON or CSV text out,
every time through the one formatter ``utc_iso`` (ISO 8601, ``Z``, truncated to the ms)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from stationplan.ops.choices import EventKind, TableFormat
from stationplan.ops.events import Contact, EclipsePassUtc, EventsAnswer, NodeCrossing
from stationplan.report.html import _environment
from stationplan.report.tables import EVENT_COLUMNS, events_text

T0 = datetime(2015, 3, 27, 0, 47, 3, 182_999, tzinfo=UTC)


def _s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


ECLIPSES = EventsAnswer(
    EventKind.eclipse,
    [
        EclipsePassUtc(
            penumbra_entry_utc=T0,
            umbra_entry_utc=T0 + _s(11.2),
            umbra_exit_utc=T0 + _s(1974.4),
            penumbra_exit_utc=T0 + _s(1985.56),
            umbra_s=1963.18749,
            shadow_s=1985.5604,
            clipped_start=False,
            clipped_end=True,
        ),
        EclipsePassUtc(  # a penumbra-only pass
            penumbra_entry_utc=T0 + _s(5000.0),
            umbra_entry_utc=None,
            umbra_exit_utc=None,
            penumbra_exit_utc=T0 + _s(5010.0),
            umbra_s=0.0,
            shadow_s=10.0,
            clipped_start=False,
            clipped_end=False,
        ),
    ],
)
CONTACTS = EventsAnswer(
    EventKind.contact,
    [
        Contact(
            aos_utc=T0,
            los_utc=T0 + _s(483.21),
            max_elevation_utc=T0 + _s(240.0),
            max_elevation_deg=46.93549,
            duration_s=483.2149,
            clipped_start=True,
            clipped_end=False,
        )
    ],
)
NODES = EventsAnswer(
    EventKind.node,
    [
        NodeCrossing(T0, "ascending_node", 2457108.5),
        NodeCrossing(T0 + _s(2777.6), "descending_node", 2457108.53),
    ],
)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_eclipse_json_keeps_the_keys_and_formats_with_utc_iso() -> None:
    rows = json.loads(events_text(ECLIPSES, TableFormat.json))
    assert [list(r) for r in rows] == [EVENT_COLUMNS[EventKind.eclipse]] * 2
    assert rows[0] == {
        "penumbra_entry_utc": "2015-03-27T00:47:03.182Z",  # truncated, not rounded
        "umbra_entry_utc": "2015-03-27T00:47:14.382Z",
        "umbra_exit_utc": "2015-03-27T01:19:57.582Z",
        "penumbra_exit_utc": "2015-03-27T01:20:08.742Z",
        "umbra_s": 1963.187,
        "shadow_s": 1985.56,
        "clipped_start": False,
        "clipped_end": True,
    }
    assert rows[1]["umbra_entry_utc"] is None and rows[1]["umbra_exit_utc"] is None


def test_eclipse_csv_has_empty_fields_for_a_missing_umbra() -> None:
    text = events_text(ECLIPSES, TableFormat.csv)
    assert text.splitlines()[0] == ",".join(EVENT_COLUMNS[EventKind.eclipse])
    rows = _rows(text)
    assert rows[0]["penumbra_entry_utc"] == "2015-03-27T00:47:03.182Z"
    assert (rows[0]["clipped_start"], rows[0]["clipped_end"]) == ("false", "true")
    assert (rows[1]["umbra_entry_utc"], rows[1]["umbra_exit_utc"]) == ("", "")
    assert rows[1]["umbra_s"] == "0.0"


def test_contacts_round_elevation_and_duration() -> None:
    (row,) = json.loads(events_text(CONTACTS, TableFormat.json))
    assert row == {
        "aos_utc": "2015-03-27T00:47:03.182Z",
        "los_utc": "2015-03-27T00:55:06.392Z",
        "max_elevation_utc": "2015-03-27T00:51:03.182Z",
        "max_elevation_deg": 46.935,
        "duration_s": 483.2,
        "clipped_start": True,
        "clipped_end": False,
    }
    (flat,) = _rows(events_text(CONTACTS, TableFormat.csv))
    assert flat == {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in row.items()}


@pytest.mark.parametrize("fmt", [TableFormat.json, TableFormat.csv])
def test_nodes(fmt: TableFormat) -> None:
    text = events_text(NODES, fmt)
    rows = json.loads(text) if fmt is TableFormat.json else _rows(text)
    assert rows == [
        {"time_utc": "2015-03-27T00:47:03.182Z", "kind": "ascending_node"},
        {"time_utc": "2015-03-27T01:33:20.782Z", "kind": "descending_node"},
    ]


def test_no_events() -> None:
    assert events_text(EventsAnswer(EventKind.node, []), TableFormat.json) == "[]\n"
    assert events_text(EventsAnswer(EventKind.node, []), TableFormat.csv) == "time_utc,kind\n"


def test_report_page_writes_a_bare_datetime_with_utc_iso() -> None:
    """A datetime the page shows without a filter (a pass's AOS, an umbra entry) reads as
    every other output does; other values pass unchanged."""
    page = _environment().from_string("{{ t }} | {{ x }} | {{ t | stamp }}")
    assert page.render(t=T0, x=1.5) == "2015-03-27T00:47:03.182Z | 1.5 | 2015-03-27 00:47:03 UTC"
