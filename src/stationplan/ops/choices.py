"""The closed lists a user picks from in the use cases' requests (frames, models, formats).

Only light modules are imported here, so a face can offer these choices without loading the
numerical stack.
"""

from __future__ import annotations

from enum import StrEnum

from stationplan.orbit.rendezvous import RendezvousProfile

__all__ = [
    "EphemerisFormat",
    "EventKind",
    "Frame",
    "PcFormat",
    "PcMethod",
    "PropagationModel",
    "RendezvousProfile",
    "ScreenFormat",
    "TableFormat",
]


class Frame(StrEnum):
    """Output frames of an ephemeris."""

    teme = "teme"
    gcrs = "gcrs"
    itrs = "itrs"
    geodetic = "geodetic"


class PropagationModel(StrEnum):
    """Propagation models: SGP4 of the element set, or Cowell's method from its state."""

    sgp4 = "sgp4"
    numerical = "numerical"


class EphemerisFormat(StrEnum):
    """Formats of an ephemeris."""

    csv = "csv"
    json = "json"
    oem = "oem"
    czml = "czml"


class EventKind(StrEnum):
    """Kinds of orbit events."""

    eclipse = "eclipse"
    contact = "contact"
    node = "node"


class TableFormat(StrEnum):
    """Formats of a table."""

    json = "json"
    csv = "csv"


class ScreenFormat(StrEnum):
    """Formats of a screening: a table, or one CCSDS Conjunction Data Message per event."""

    json = "json"
    csv = "csv"
    cdm = "cdm"


class PcMethod(StrEnum):
    """Methods of the 2-D probability of collision."""

    foster = "foster"
    chan = "chan"


class PcFormat(StrEnum):
    """Formats of a Pc answer."""

    table = "table"
    json = "json"
