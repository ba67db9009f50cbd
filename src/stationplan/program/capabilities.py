"""The capability catalogue of a station partnership, and who provides what, over time.

A *capability* is something the programme needs to keep a crewed station going: getting crew
and cargo up and down, a lifeboat, propulsion, power, life support, ports of each standard,
a ground segment, mission control, a deorbit. The catalogue (:class:`Capability` and
:data:`CATALOGUE`) says, for each, how many independent *providers* (partner or commercial
provider codes) the programme wants: one, or two where the ISS learned to keep dissimilar
redundancy (crew transport, the lifeboat and cargo up).

Who provides what is inferred from the scenario's fields, never typed in twice: a module
with crew quarters gives habitation, a vehicle with seats gives crew transport, a partner's
ground segment gives communications and mission control. Every rule, with its reason, is in
the one table of section "Inference rules" below (:func:`inference_rules` lists it).

Time: an item provides its capabilities from its start (a module's launch, or the programme
start; its provider's joining) to its end (its station's retirement; its provider's
withdrawal; the programme end). A vehicle also needs a port it fits: it provides nothing
while no station in service has a port of one of its ``compatible_port_types``.

Where: habitation, life support, power, research, robotics and the ports are counted per
station (a laboratory on one station does not serve another); transport, the lifeboat,
propulsion and reboost, communications, mission control and the deorbit are counted for the
programme as a whole (a vehicle serves any station with a port it fits; one ground segment
serves every station), and needed while any station is in service.

:func:`capability_matrix` gives, per capability (and station), the providers and the items
behind them, the count against the need, the gaps, the single-provider and below-need spans,
the duplicates beyond the need, and each date where the provider set changes, with its
reason. :func:`capabilities_lost_by` gives what a partner's withdrawal removes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from stationplan.scenario.models import (
    ContributionKind,
    Module,
    Scenario,
    Station,
    Vehicle,
)

# --------------------------------------------------------------------------- catalogue


class Capability(StrEnum):
    """The capabilities a station programme needs (the values are the names shown).

    ``DOCKING_PORT`` is a family: the matrix has one row per port standard that appears on a
    station, named by :func:`port_capability_name` ("docking port IDSS", "berthing port CBM").
    """

    PROPULSION = "propulsion and reboost"
    CREW_TRANSPORT = "crew transport"
    LIFEBOAT = "lifeboat"
    CARGO_UP = "cargo up"
    CARGO_DOWN = "cargo down"
    LIFE_SUPPORT = "life support"
    POWER = "power"
    COMMUNICATIONS = "communications"
    ROBOTICS = "robotics"
    HABITATION = "habitation"
    RESEARCH = "research"
    DOCKING_PORT = "docking port"
    MISSION_CONTROL = "mission control"
    DEORBIT = "deorbit"


class Scope(StrEnum):
    """Where a capability is counted: on each station, or once for the whole programme."""

    STATION = "station"
    PROGRAMME = "programme"


class CapabilitySpec(BaseModel):
    """One catalogue entry: what the capability is, how many providers the programme wants,
    and where it is counted."""

    model_config = ConfigDict(frozen=True)

    capability: Capability
    description: str = Field(description="One line: what the capability is.")
    need: int = Field(ge=1, description="Independent providers the programme wants.")
    scope: Scope
    need_reason: str = Field(description="Why the need is what it is.")


_ONE = (
    "One provider meets the need; a second is a duplicate, reported so that it can be weighed "
    "as a reserve or as spending twice."
)
_CREW_TWO = (
    "Dissimilar redundancy: the ISS kept crew access through the Shuttle's stand-down after "
    "Columbia (2003-2005) and after its retirement (2011) only because Soyuz flew on, and "
    "NASA's Commercial Crew Program carried two providers (CCtCap awards to Boeing and SpaceX, "
    "16 September 2014) so that one vehicle's grounding does not stop crew rotation (GAO-18-476, "
    "'NASA Commercial Crew Program: Plan Needed to Ensure Uninterrupted Access to the ISS', "
    "July 2018)."
)
_LIFEBOAT_TWO = (
    "As crew transport: every crew aboard needs a docked vehicle to come home in, and a "
    "grounded vehicle family must not strand it; the ISS kept a Soyuz docked as its lifeboat "
    "through the Shuttle's stand-downs (2003-2005, 2011-2020)."
)
_CARGO_TWO = (
    "Dissimilar redundancy: the ISS stayed supplied through the losses of Orb-3 (Cygnus, "
    "October 2014), Progress M-27M (April 2015) and SpaceX CRS-7 (June 2015) because the other "
    "vehicles flew; NASA's Commercial Resupply Services kept two providers (SpaceX and Orbital "
    "Sciences, December 2008) and CRS-2 three (January 2016)."
)

CATALOGUE: dict[Capability, CapabilitySpec] = {
    spec.capability: spec
    for spec in (
        CapabilitySpec(
            capability=Capability.PROPULSION,
            description="Raising the orbit against drag and manoeuvring: station thrusters, "
            "visiting vehicles that reboost or refuel the station.",
            need=1,
            scope=Scope.PROGRAMME,
            need_reason=_ONE,
        ),
        CapabilitySpec(
            capability=Capability.CREW_TRANSPORT,
            description="Flying crews up and down for rotation.",
            need=2,
            scope=Scope.PROGRAMME,
            need_reason=_CREW_TWO,
        ),
        CapabilitySpec(
            capability=Capability.LIFEBOAT,
            description="A crew vehicle that stays docked as the crew's way home (crew return).",
            need=2,
            scope=Scope.PROGRAMME,
            need_reason=_LIFEBOAT_TWO,
        ),
        CapabilitySpec(
            capability=Capability.CARGO_UP,
            description="Carrying supplies, spares and experiments to the station.",
            need=2,
            scope=Scope.PROGRAMME,
            need_reason=_CARGO_TWO,
        ),
        CapabilitySpec(
            capability=Capability.CARGO_DOWN,
            description="Bringing cargo back to Earth (cargo return): samples, failed units.",
            need=1,
            scope=Scope.PROGRAMME,
            need_reason=_ONE,
        ),
        CapabilitySpec(
            capability=Capability.LIFE_SUPPORT,
            description="Keeping the air and water of the crew: oxygen, CO2 removal, water.",
            need=1,
            scope=Scope.STATION,
            need_reason=_ONE,
        ),
        CapabilitySpec(
            capability=Capability.POWER,
            description="Generating electrical power: solar arrays.",
            need=1,
            scope=Scope.STATION,
            need_reason=_ONE,
        ),
        CapabilitySpec(
            capability=Capability.COMMUNICATIONS,
            description="Talking to the station: ground stations and relay satellites.",
            need=1,
            scope=Scope.PROGRAMME,
            need_reason=_ONE,
        ),
        CapabilitySpec(
            capability=Capability.ROBOTICS,
            description="A robotic arm: berthing vehicles, moving and servicing external units.",
            need=1,
            scope=Scope.STATION,
            need_reason=_ONE,
        ),
        CapabilitySpec(
            capability=Capability.HABITATION,
            description="Crew quarters: where the crew sleeps and lives.",
            need=1,
            scope=Scope.STATION,
            need_reason=_ONE,
        ),
        CapabilitySpec(
            capability=Capability.RESEARCH,
            description="A laboratory: pressurised volume with power for payloads.",
            need=1,
            scope=Scope.STATION,
            need_reason=_ONE,
        ),
        CapabilitySpec(
            capability=Capability.DOCKING_PORT,
            description="Ports of one standard for the visiting vehicles that use it.",
            need=1,
            scope=Scope.STATION,
            need_reason=_ONE,
        ),
        CapabilitySpec(
            capability=Capability.MISSION_CONTROL,
            description="A control centre that flies the station and its crew's timeline.",
            need=1,
            scope=Scope.PROGRAMME,
            need_reason=_ONE,
        ),
        CapabilitySpec(
            capability=Capability.DEORBIT,
            description="Bringing the station down in a controlled re-entry at its end.",
            need=1,
            scope=Scope.PROGRAMME,
            need_reason=_ONE,
        ),
    )
}

BERTHING_PORT_TYPES: frozenset[str] = frozenset({"CBM"})
"""Port standards that berth rather than dock: the Common Berthing Mechanism, to which the
station's arm brings a captured vehicle (Cygnus, HTV, Cargo Dragon 1)."""


def port_capability_name(port_type: str) -> str:
    """The capability name of a port standard: "berthing port CBM" for a berthing standard
    (:data:`BERTHING_PORT_TYPES`), "docking port IDSS" for any other."""
    kind = "berthing" if port_type.upper() in BERTHING_PORT_TYPES else "docking"
    return f"{kind} port {port_type}"


# --------------------------------------------------------------------------- inference rules


@dataclass(frozen=True)
class ModuleRule:
    """A module gives ``capability`` when ``applies(module)``."""

    capability: Capability
    condition: str
    reason: str
    applies: Callable[[Module], bool]


@dataclass(frozen=True)
class VehicleRule:
    """A vehicle gives ``capability`` when ``applies(vehicle)``."""

    capability: Capability
    condition: str
    reason: str
    applies: Callable[[Vehicle], bool]


@dataclass(frozen=True)
class KeywordRule:
    """A text names ``capability`` when ``pattern`` matches it (whole words, any case).

    ``on_items``: the rule reads a module's or vehicle's name and the descriptions partners
    declare for it; ``on_declarations``: it reads declarations that name no item.
    """

    capability: Capability
    pattern: str
    on_items: bool
    on_declarations: bool
    reason: str

    def matches(self, text: str) -> bool:
        """Whether ``text`` names the capability."""
        return re.search(self.pattern, text, flags=re.IGNORECASE) is not None


def _research_by_fields(m: Module) -> bool:
    return m.payload_sites > 0 or (
        m.pressurized_volume_m3 > 0
        and m.power_load_kw > 0
        and m.crew_capacity == 0
        and not m.docking_ports
    )


MODULE_RULES: tuple[ModuleRule, ...] = (
    ModuleRule(
        Capability.HABITATION,
        "crew_capacity > 0",
        "Crew quarters are what crew_capacity counts.",
        lambda m: m.crew_capacity > 0,
    ),
    ModuleRule(
        Capability.LIFE_SUPPORT,
        "crew_capacity > 0",
        "Air and water are kept where the crew lives (an approximation: the ISS's systems sit "
        "in Zvezda and Destiny/Tranquility); other modules give it only as declared.",
        lambda m: m.crew_capacity > 0,
    ),
    ModuleRule(
        Capability.POWER,
        "power_generation_kw > 0",
        "Its arrays generate power.",
        lambda m: m.power_generation_kw > 0,
    ),
    ModuleRule(
        Capability.RESEARCH,
        "payload_sites > 0; or pressurized_volume_m3 > 0, power_load_kw > 0, crew_capacity 0, "
        "no docking ports",
        "Payload sites are research accommodation. Without them, conservative: a pressurised "
        "volume that draws power, houses no one and is no node holds payloads (Columbus: 75 "
        "m^3, 13.5 kW); modules with berths count only when named or declared a laboratory.",
        _research_by_fields,
    ),
    ModuleRule(
        Capability.DOCKING_PORT,
        "docking_ports: one capability per port_type",
        "Vehicles dock to ports of their standard only.",
        lambda m: bool(m.docking_ports),
    ),
)

VEHICLE_RULES: tuple[VehicleRule, ...] = (
    VehicleRule(
        Capability.CREW_TRANSPORT,
        "crew_seats > 0",
        "It flies crews.",
        lambda v: v.crew_seats > 0,
    ),
    VehicleRule(
        Capability.LIFEBOAT,
        "crew_seats > 0 and docked_duration_days > 0",
        "A crew vehicle certified to stay docked is its crew's way home.",
        lambda v: v.crew_seats > 0 and v.docked_duration_days > 0,
    ),
    VehicleRule(
        Capability.CARGO_UP,
        "pressurized_cargo_kg + unpressurized_cargo_kg > 0",
        "It carries cargo up.",
        lambda v: v.pressurized_cargo_kg + v.unpressurized_cargo_kg > 0,
    ),
    VehicleRule(
        Capability.CARGO_DOWN,
        "return_cargo_kg > 0",
        "It brings cargo back.",
        lambda v: v.return_cargo_kg > 0,
    ),
    VehicleRule(
        Capability.PROPULSION,
        "reboost given",
        "It raises the station's orbit while docked.",
        lambda v: v.reboost is not None,
    ),
    VehicleRule(
        Capability.PROPULSION,
        "propellant_transfer_kg > 0",
        "It refuels the station's own thrusters.",
        lambda v: v.propellant_transfer_kg > 0,
    ),
)

KIND_RULES: dict[ContributionKind, tuple[tuple[Capability, ...], str]] = {
    ContributionKind.ROBOTICS: (
        (Capability.ROBOTICS,),
        "A robotics contribution is a robotic arm (Canadarm2, ERA), its declarer's; naming "
        "a module, on that module's station from its launch; naming none, on every station.",
    ),
    ContributionKind.GROUND_SEGMENT: (
        (Capability.COMMUNICATIONS, Capability.MISSION_CONTROL),
        "A ground segment is the ground stations, relays and control centre that fly the "
        "station (Houston with TDRS, Korolev).",
    ),
}
"""Contribution kinds that give capabilities by themselves. Module and vehicle contributions
credit their item's capabilities to the declaring partner (:data:`ITEM_CREDIT_REASON`);
funding, flights, crew give none; services and others only by :data:`KEYWORD_RULES`."""

ITEM_CREDIT_REASON = (
    "A module or vehicle contribution names the partner that provides the item: its "
    "capabilities are that partner's (the first declaring partner, in scenario order) even "
    "when the owner or operator field names another, so one item never counts as two "
    "providers."
)

GROUND_STATION_REASON = "A ground station gives its operator a ground segment."

PORT_BOUND_REASON = (
    "A vehicle provides nothing while no station in service has a port it fits "
    "(compatible_port_types): Soyuz and Progress need SSVP ports, which leave with the ISS."
)

KEYWORD_RULES: tuple[KeywordRule, ...] = (
    KeywordRule(
        Capability.LIFE_SUPPORT,
        r"\blife[- ]support\b|\beclss\b",
        on_items=True,
        on_declarations=True,
        reason="Declared life support (Zvezda: 'life support, propulsion, crew cabins').",
    ),
    KeywordRule(
        Capability.PROPULSION,
        r"\bpropulsion\b|\breboost\b|\bthrusters?\b",
        on_items=True,
        on_declarations=True,
        reason="Declared propulsion or reboost.",
    ),
    KeywordRule(
        Capability.ROBOTICS,
        r"\brobot(?:s|ic|ics)?\b|\bmanipulators?\b",
        on_items=True,
        on_declarations=True,
        reason="A robot or manipulator, named or declared.",
    ),
    KeywordRule(
        Capability.RESEARCH,
        r"\blab(?:s|oratory|oratories)?\b|\bresearch\b",
        on_items=True,
        on_declarations=False,
        reason="A module named or declared a laboratory or research module; a declaration "
        "naming no module says nothing of a station's laboratory.",
    ),
    KeywordRule(
        Capability.COMMUNICATIONS,
        r"\brelay\b|\bcommunications?\b|\bground (?:segment|stations?)\b|\btdrss?\b",
        on_items=False,
        on_declarations=True,
        reason="Declared ground stations, relays or communications.",
    ),
    KeywordRule(
        Capability.MISSION_CONTROL,
        r"\bmission control\b|\bcontrol cent(?:er|re)s?\b|\bflight control\b",
        on_items=False,
        on_declarations=True,
        reason="A declared control centre.",
    ),
    KeywordRule(
        Capability.DEORBIT,
        r"\bde-?orbit\b",
        on_items=True,
        on_declarations=True,
        reason="A declared deorbit vehicle or service (NASA: the U.S. Deorbit Vehicle).",
    ),
)
"""Conservative keyword rules. Transport has none on purpose: it is counted with the vehicle
that flies it, and a partner that buys seats or flights (NASA's commercial crew and cargo)
depends on that vehicle's operator and adds no independent provider. Station capabilities
found by keywords count on modules only, never on a visiting vehicle."""


class InferenceRuleRow(BaseModel):
    """One inference rule as a table row."""

    source: Literal["module", "vehicle", "contribution", "ground station", "keyword"]
    capability: Capability | None = Field(
        description="The capability it gives; None for a rule over all of an item's."
    )
    condition: str
    reason: str


def inference_rules() -> list[InferenceRuleRow]:
    """Every rule by which capabilities are inferred, with its reason, as a table."""
    rows = [
        InferenceRuleRow(
            source="module", capability=r.capability, condition=r.condition, reason=r.reason
        )
        for r in MODULE_RULES
    ]
    rows += [
        InferenceRuleRow(
            source="vehicle", capability=r.capability, condition=r.condition, reason=r.reason
        )
        for r in VEHICLE_RULES
    ]
    rows.append(
        InferenceRuleRow(
            source="vehicle",
            capability=None,
            condition="a station in service has a port of a compatible_port_types standard",
            reason=PORT_BOUND_REASON,
        )
    )
    rows.append(
        InferenceRuleRow(
            source="contribution",
            capability=None,
            condition="kind module or vehicle, with an item",
            reason=ITEM_CREDIT_REASON,
        )
    )
    for kind, (caps, reason) in KIND_RULES.items():
        rows += [
            InferenceRuleRow(
                source="contribution", capability=c, condition=f"kind {kind.value}", reason=reason
            )
            for c in caps
        ]
    rows.append(
        InferenceRuleRow(
            source="ground station",
            capability=Capability.COMMUNICATIONS,
            condition="operator given",
            reason=GROUND_STATION_REASON,
        )
    )
    rows += [
        InferenceRuleRow(
            source="keyword",
            capability=r.capability,
            condition=f"text matches /{r.pattern}/",
            reason=r.reason,
        )
        for r in KEYWORD_RULES
    ]
    return rows


# --------------------------------------------------------------------------- results


class EventKind(StrEnum):
    """What starts or ends a provision."""

    PROGRAMME_START = "starts"
    PROGRAMME_END = "ends"
    JOIN = "joins"
    WITHDRAW = "withdraws"
    LAUNCH = "launches"
    SERVICE_START = "enters service"
    RETIRE = "retires"


_EVENT_ORDER = {
    EventKind.WITHDRAW: 0,
    EventKind.RETIRE: 1,
    EventKind.JOIN: 2,
    EventKind.SERVICE_START: 3,
    EventKind.LAUNCH: 4,
    EventKind.PROGRAMME_START: 5,
    EventKind.PROGRAMME_END: 6,
}


class Event(BaseModel):
    """An event of the scenario: a partner joins or withdraws, a module launches, a station
    retires, the programme starts or ends."""

    model_config = ConfigDict(frozen=True)

    kind: EventKind
    subject: str = Field(description="Partner code, module or station name, or programme.")

    @property
    def text(self) -> str:
        """The event as a phrase: "ROSCOSMOS withdraws", "ISS retires"."""
        return f"{self.subject} {self.kind.value}"


class Provision(BaseModel):
    """One item giving one capability (row) for one provider over one span."""

    capability: Capability
    name: str = Field(description="Row name: the capability, or the port standard's name.")
    station: str | None = Field(
        description="The station the row counts for; None for a programme capability."
    )
    provider: str = Field(description="Partner or provider code credited.")
    item: str = Field(description="Module, vehicle or ground station name, or declaration.")
    item_kind: Literal["module", "vehicle", "ground station", "declaration"]
    rules: list[str] = Field(description="The conditions that gave it.")
    start_utc: datetime
    end_utc: datetime
    start_events: list[Event]
    end_events: list[Event]


class ProviderItems(BaseModel):
    """A provider of a row and the items behind it."""

    provider: str
    provider_kind: Literal["partner", "provider"]
    items: list[str]
    first_utc: datetime = Field(description="Start of its first provision in the row.")
    last_utc: datetime = Field(description="End of its last provision in the row.")


class ProviderSpan(BaseModel):
    """A span over which a row's provider set is constant."""

    start_utc: datetime
    end_utc: datetime
    providers: list[str]
    provider_count: int
    needed: bool = Field(
        description="Whether the capability is needed then: always for a station row; for a "
        "programme row, while some station is in service."
    )

    @property
    def days(self) -> float:
        """Length of the span (days)."""
        return (self.end_utc - self.start_utc).total_seconds() / 86400.0


class Duplication(BaseModel):
    """A span with more providers than the need."""

    start_utc: datetime
    end_utc: datetime
    providers: list[str]
    beyond_need: int = Field(description="Providers beyond the need (count minus need).")


class CapabilityChange(BaseModel):
    """A date where a row's provider set changes, and why."""

    date_utc: datetime
    providers_before: list[str]
    providers_after: list[str]
    items_leaving: list[str]
    items_arriving: list[str]
    events: list[Event]
    station_ends: bool = Field(description="The row's station retires at this date.")
    reason: str = Field(
        description="E.g. 'ROSCOSMOS withdraws 2031-01-31: Soyuz MS leaves: crew transport "
        "drops to 1 provider (SPACEX), below the need of 2'."
    )


class CapabilityRow(BaseModel):
    """One capability (for one station, or the programme): providers, count and flags."""

    capability: Capability
    name: str
    station: str | None
    scope: Scope
    description: str
    need: int
    span_start_utc: datetime = Field(description="Start of the time the row covers.")
    span_end_utc: datetime = Field(description="End of the time the row covers.")
    providers: list[ProviderItems]
    provisions: list[Provision]
    timeline: list[ProviderSpan]
    min_providers: int = Field(description="Fewest providers while needed.")
    max_providers: int = Field(description="Most providers while needed.")
    gap: bool = Field(description="No provider at some time while needed.")
    gaps: list[ProviderSpan]
    below_need: bool = Field(description="Fewer providers than the need (but some) at times.")
    below_need_spans: list[ProviderSpan]
    single_provider: bool = Field(description="Exactly one provider at some time while needed.")
    single_provider_spans: list[ProviderSpan]
    duplicated: bool = Field(description="More providers than the need at some time.")
    duplicates: list[Duplication]
    changes: list[CapabilityChange]

    @property
    def label(self) -> str:
        """The row's name with its station: "habitation on ISS", "crew transport"."""
        return self.name if self.station is None else f"{self.name} on {self.station}"

    def providers_at(self, when: datetime) -> list[str]:
        """The providers at ``when`` (none outside the row's span)."""
        for s in self.timeline:
            if s.start_utc <= when < s.end_utc:
                return list(s.providers)
        return []


class CapabilityMatrix(BaseModel):
    """Every capability row of a scenario, with the catalogue and rules it was built from."""

    programme_start_utc: datetime
    programme_end_utc: datetime
    catalogue: list[CapabilitySpec]
    rules: list[InferenceRuleRow]
    rows: list[CapabilityRow]

    def row(self, name: str, station: str | None = None) -> CapabilityRow:
        """The row named ``name`` (a :class:`Capability` or a port name) for ``station``
        (None for a programme capability); ``KeyError`` if there is none."""
        for r in self.rows:
            if r.name == name and r.station == station:
                return r
        raise KeyError(f"{name} on {station}" if station else name)

    def gaps(self) -> list[CapabilityRow]:
        """Rows with no provider at some time while needed."""
        return [r for r in self.rows if r.gap]

    def single_provider_rows(self) -> list[CapabilityRow]:
        """Rows with exactly one provider at some time while needed."""
        return [r for r in self.rows if r.single_provider]

    def duplicated_rows(self) -> list[CapabilityRow]:
        """Rows with more providers than the need at some time."""
        return [r for r in self.rows if r.duplicated]


class ItemLoss(BaseModel):
    """An item that stops giving a capability at a withdrawal."""

    item: str
    provider: str
    lost_anyway: bool = Field(
        description="It would stop at that date even if the partner stayed (e.g. its station "
        "retires the same day, or it has no port left to dock to)."
    )


class CapabilityLoss(BaseModel):
    """What a withdrawal does to one row."""

    capability: Capability
    name: str
    station: str | None
    need: int
    items_lost: list[ItemLoss]
    providers_before: list[str]
    providers_after: list[str]
    station_ends: bool = Field(description="The row's station retires at that date.")
    becomes_gap: bool = Field(description="No provider is left while still needed.")
    becomes_single_provider: bool = Field(description="Several providers before, one after.")
    below_need_after: bool = Field(description="Some providers left, fewer than the need.")
    reason: str


class WithdrawalImpact(BaseModel):
    """What a partner's withdrawal at a date removes."""

    partner: str
    date_utc: datetime
    items_removed: list[str] = Field(description="The partner's items that stop, all rows.")
    losses: list[CapabilityLoss]

    def loss(self, name: str, station: str | None = None) -> CapabilityLoss:
        """The loss of row ``name`` on ``station``; ``KeyError`` if that row loses nothing."""
        for x in self.losses:
            if x.name == name and x.station == station:
                return x
        raise KeyError(f"{name} on {station}" if station else name)

    @property
    def new_gaps(self) -> list[CapabilityLoss]:
        """Rows left with no provider."""
        return [x for x in self.losses if x.becomes_gap]

    @property
    def new_single_providers(self) -> list[CapabilityLoss]:
        """Rows left with one provider."""
        return [x for x in self.losses if x.becomes_single_provider]


# --------------------------------------------------------------------------- inference

_Limit = tuple[datetime, Event | None]


def _bound(limits: Iterable[_Limit], *, latest: bool) -> tuple[datetime, list[Event]]:
    """The latest (start) or earliest (end) of ``limits``, with every event at that time."""
    items = list(limits)
    t = max(u for u, _ in items) if latest else min(u for u, _ in items)
    events = _sorted_events(e for u, e in items if u == t and e is not None)
    return t, events


def _sorted_events(events: Iterable[Event]) -> list[Event]:
    unique = list(dict.fromkeys(events))
    return sorted(unique, key=lambda e: _EVENT_ORDER[e.kind])


@dataclass(frozen=True)
class _Span:
    start: datetime
    end: datetime
    start_events: tuple[Event, ...]
    end_events: tuple[Event, ...]


class _Context:
    """Membership spans and station spans of one scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.sc = scenario
        self.start = scenario.programme.start_utc
        self.end = scenario.programme.end_utc
        self.partners = {p.code: p for p in scenario.partners}

    def member_limits(self, code: str) -> tuple[list[_Limit], list[_Limit]]:
        starts: list[_Limit] = [
            (self.start, Event(kind=EventKind.PROGRAMME_START, subject="the programme"))
        ]
        ends: list[_Limit] = [
            (self.end, Event(kind=EventKind.PROGRAMME_END, subject="the programme"))
        ]
        p = self.partners.get(code)
        if p is not None:
            starts.append((p.join_utc, Event(kind=EventKind.JOIN, subject=code)))
            if p.withdraw_utc is not None:
                ends.append((p.withdraw_utc, Event(kind=EventKind.WITHDRAW, subject=code)))
        return starts, ends

    def station_span(self, st: Station) -> tuple[datetime, datetime]:
        start = st.service_start_utc(self.start)
        end = min(st.retire_utc or self.end, self.end)
        return start, end

    def station_limits(self, st: Station) -> tuple[list[_Limit], list[_Limit]]:
        start, _ = self.station_span(st)
        starts: list[_Limit] = [(start, Event(kind=EventKind.SERVICE_START, subject=st.name))]
        ends: list[_Limit] = []
        if st.retire_utc is not None:
            ends.append((st.retire_utc, Event(kind=EventKind.RETIRE, subject=st.name)))
        return starts, ends

    def module_span(self, st: Station, m: Module, provider: str) -> _Span | None:
        starts, ends = self.member_limits(provider)
        if m.launch_utc is not None:
            starts.append((m.launch_utc, Event(kind=EventKind.LAUNCH, subject=m.name)))
        if st.retire_utc is not None:
            ends.append((st.retire_utc, Event(kind=EventKind.RETIRE, subject=st.name)))
        return _span(starts, ends)

    def member_span(self, code: str) -> _Span | None:
        return _span(*self.member_limits(code))

    def member_on_station_span(self, code: str, st: Station) -> _Span | None:
        starts, ends = self.member_limits(code)
        s2, e2 = self.station_limits(st)
        return _span(starts + s2, ends + e2)


def _span(starts: list[_Limit], ends: list[_Limit]) -> _Span | None:
    s, se = _bound(starts, latest=True)
    e, ee = _bound(ends, latest=False)
    if e <= s:
        return None
    return _Span(s, e, tuple(se), tuple(ee))


def _union(spans: list[_Span]) -> list[_Span]:
    """Merge overlapping or touching spans, keeping the events at the merged ends."""
    out: list[_Span] = []
    for s in sorted(spans, key=lambda x: (x.start, x.end)):
        if out and s.start <= out[-1].end:
            last = out[-1]
            if s.end > last.end:
                out[-1] = _Span(last.start, s.end, last.start_events, s.end_events)
            elif s.end == last.end:
                events = tuple(_sorted_events((*last.end_events, *s.end_events)))
                out[-1] = _Span(last.start, last.end, last.start_events, events)
            if s.start == last.start:
                events = tuple(_sorted_events((*out[-1].start_events, *s.start_events)))
                out[-1] = _Span(out[-1].start, out[-1].end, events, out[-1].end_events)
        else:
            out.append(s)
    return out


def _intersect(a: _Span, b: _Span) -> _Span | None:
    s = max(a.start, b.start)
    se = list(
        _sorted_events(
            [*(a.start_events if a.start == s else ()), *(b.start_events if b.start == s else ())]
        )
    )
    e = min(a.end, b.end)
    ee = list(
        _sorted_events(
            [*(a.end_events if a.end == e else ()), *(b.end_events if b.end == e else ())]
        )
    )
    if e <= s:
        return None
    return _Span(s, e, tuple(se), tuple(ee))


@dataclass
class _ItemClaim:
    """What partners declare about one module or vehicle (by name)."""

    provider: str | None = None
    texts: list[str] = field(default_factory=list)
    kind_caps: list[tuple[Capability, str, str]] = field(default_factory=list)


def _item_claims(sc: Scenario) -> dict[str, _ItemClaim]:
    """Item name -> its provider by declaration, the texts that describe it and the
    capabilities that declarations of other kinds naming it give, with their declarer.

    The provider is the first partner (scenario order) that declares the item as a module or
    vehicle contribution; None leaves it to the owner or operator field. The texts are the
    item's name and every description declared for it. A robotics contribution naming an
    item gives robotics to its declarer, on that item (the arm on its station).
    """
    out: dict[str, _ItemClaim] = {}
    for p in sc.partners:
        for c in p.contributions:
            if c.item is None:
                continue
            claim = out.setdefault(c.item, _ItemClaim(texts=[c.item]))
            claim.texts.append(c.description)
            if c.kind in (ContributionKind.MODULE, ContributionKind.VEHICLE):
                claim.provider = claim.provider or p.code
            kind_caps, _ = KIND_RULES.get(c.kind, ((), ""))
            claim.kind_caps += [
                (cap, f"contribution kind {c.kind.value}", p.code) for cap in kind_caps
            ]
    return out


def _item_caps(claim: _ItemClaim, name: str, provider: str) -> list[tuple[Capability, str, str]]:
    """The declared capabilities of an item: (capability, rule, provider). A capability a
    contribution's kind gives goes to its declarer, and the keywords do not give it again
    to the item's provider: one declaration, one provider."""
    by_kind = {cap for cap, _, _ in claim.kind_caps}
    keyword = [
        (cap, why, provider)
        for cap, why in _keyword_caps(claim.texts or [name], items=True)
        if cap not in by_kind
    ]
    return keyword + claim.kind_caps


def _keyword_caps(texts: Iterable[str], *, items: bool) -> list[tuple[Capability, str]]:
    found: list[tuple[Capability, str]] = []
    texts = list(texts)
    for rule in KEYWORD_RULES:
        if not (rule.on_items if items else rule.on_declarations):
            continue
        hit = next((t for t in texts if rule.matches(t)), None)
        if hit is not None:
            found.append((rule.capability, f"named or declared: '{hit}'"))
    return found


def _provision(
    cap: Capability,
    name: str,
    station: str | None,
    provider: str,
    item: str,
    item_kind: Literal["module", "vehicle", "ground station", "declaration"],
    rule: str,
    span: _Span,
) -> Provision:
    return Provision(
        capability=cap,
        name=name,
        station=station if CATALOGUE[cap].scope is Scope.STATION else None,
        provider=provider,
        item=item,
        item_kind=item_kind,
        rules=[rule],
        start_utc=span.start,
        end_utc=span.end,
        start_events=list(span.start_events),
        end_events=list(span.end_events),
    )


def _module_provisions(ctx: _Context) -> Iterator[Provision]:
    sc = ctx.sc
    claims = _item_claims(sc)
    for st in sc.stations:
        for m in st.modules:
            claim = claims.get(m.name, _ItemClaim())
            provider = claim.provider or m.owner
            span = ctx.module_span(st, m, provider)
            if span is None:
                continue
            for rule in MODULE_RULES:
                if not rule.applies(m):
                    continue
                if rule.capability is Capability.DOCKING_PORT:
                    for port_type in dict.fromkeys(p.port_type for p in m.docking_ports):
                        yield _provision(
                            Capability.DOCKING_PORT,
                            port_capability_name(port_type),
                            st.name,
                            provider,
                            m.name,
                            "module",
                            f"docking_ports: {port_type}",
                            span,
                        )
                    continue
                yield _provision(
                    rule.capability,
                    rule.capability.value,
                    st.name,
                    provider,
                    m.name,
                    "module",
                    rule.condition,
                    span,
                )
            for cap, why, who in _item_caps(claim, m.name, provider):
                where = span if who == provider else ctx.module_span(st, m, who)
                if where is not None:
                    yield _provision(cap, cap.value, st.name, who, m.name, "module", why, where)


def _port_spans(provisions: list[Provision]) -> dict[str, list[_Span]]:
    """Port type -> the merged spans during which some station in service has such a port."""
    by_type: dict[str, list[_Span]] = {}
    for p in provisions:
        if p.capability is not Capability.DOCKING_PORT:
            continue
        port_type = p.name.split(" port ", 1)[1]
        by_type.setdefault(port_type, []).append(
            _Span(p.start_utc, p.end_utc, tuple(p.start_events), tuple(p.end_events))
        )
    return {t: _union(spans) for t, spans in by_type.items()}


def _vehicle_provisions(ctx: _Context, ports: dict[str, list[_Span]]) -> Iterator[Provision]:
    sc = ctx.sc
    claims = _item_claims(sc)
    for v in sc.vehicles:
        claim = claims.get(v.name, _ItemClaim())
        provider = claim.provider or v.operator
        member = ctx.member_span(provider)
        if member is not None and v.purchased_by is not None:
            # a provider's vehicle flies for the partner that buys its flights, while it is one
            buyer = ctx.member_span(v.purchased_by)
            member = None if buyer is None else _intersect(member, buyer)
        if member is None:
            continue
        docking = _union([s for t in v.compatible_port_types for s in ports.get(t, [])])
        pieces = [x for s in docking if (x := _intersect(member, s)) is not None]
        caps = [(r.capability, r.condition) for r in VEHICLE_RULES if r.applies(v)]
        caps += [
            (cap, why)
            for cap, why, who in _item_caps(claim, v.name, provider)
            if who == provider and CATALOGUE[cap].scope is Scope.PROGRAMME
        ]
        for piece in pieces:
            for cap, why in caps:
                yield _provision(cap, cap.value, None, provider, v.name, "vehicle", why, piece)


def _declared_provisions(ctx: _Context) -> Iterator[Provision]:
    """Declarations that name no item: a programme capability for the partner's membership;
    a station capability on every station in service during it (the declaration names no
    station)."""
    sc = ctx.sc
    for p in sc.partners:
        for c in p.contributions:
            if c.item is not None:
                continue  # the item's provisions carry it
            kind_caps, _ = KIND_RULES.get(c.kind, ((), ""))
            caps = [(cap, f"contribution kind {c.kind.value}") for cap in kind_caps]
            caps += _keyword_caps([c.description], items=False)
            for cap, why in dict.fromkeys(caps):
                if CATALOGUE[cap].scope is Scope.PROGRAMME:
                    targets: list[tuple[str | None, _Span | None]] = [
                        (None, ctx.member_span(p.code))
                    ]
                else:
                    targets = [
                        (st.name, ctx.member_on_station_span(p.code, st)) for st in sc.stations
                    ]
                for station, span in targets:
                    if span is not None:
                        yield _provision(
                            cap, cap.value, station, p.code, c.description, "declaration", why, span
                        )


def _ground_station_provisions(ctx: _Context) -> Iterator[Provision]:
    for g in ctx.sc.ground_stations:
        if g.operator is None:
            continue
        span = ctx.member_span(g.operator)
        if span is not None:
            yield _provision(
                Capability.COMMUNICATIONS,
                Capability.COMMUNICATIONS.value,
                None,
                g.operator,
                g.name,
                "ground station",
                "ground station operator",
                span,
            )


def _merge(provisions: Iterable[Provision]) -> list[Provision]:
    """One provision per (row, provider, item, span), with the rules that gave it."""
    out: dict[tuple[str, str | None, str, str, datetime, datetime], Provision] = {}
    for p in provisions:
        key = (p.name, p.station, p.provider, p.item, p.start_utc, p.end_utc)
        if key in out:
            kept = out[key]
            kept.rules = list(dict.fromkeys([*kept.rules, *p.rules]))
        else:
            out[key] = p
    return list(out.values())


def infer_provisions(scenario: Scenario) -> list[Provision]:
    """Every provision the rules infer from ``scenario``: modules, then vehicles (bounded by
    the ports they fit), declared contributions and ground stations."""
    ctx = _Context(scenario)
    modules = list(_module_provisions(ctx))
    vehicles = list(_vehicle_provisions(ctx, _port_spans(modules)))
    declared = list(_declared_provisions(ctx))
    ground = list(_ground_station_provisions(ctx))
    return _merge(modules + vehicles + declared + ground)


# --------------------------------------------------------------------------- the matrix


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _providers_in(provisions: list[Provision], when: datetime) -> list[str]:
    return sorted({p.provider for p in provisions if p.start_utc <= when < p.end_utc})


def _plural(n: int) -> str:
    return f"{n} provider" + ("" if n == 1 else "s")


def _change_reason(
    label: str,
    need: int,
    when: datetime,
    events: list[Event],
    leaving: list[str],
    arriving: list[str],
    before: list[str],
    after: list[str],
    station_ends: bool,
) -> str:
    head = f"{_names([e.text for e in events]) or 'change'} {when:%Y-%m-%d}"
    parts = []
    if leaving:
        parts.append(f"{_names(leaving)} {'leaves' if len(leaving) == 1 else 'leave'}")
    if arriving:
        parts.append(f"{_names(arriving)} {'arrives' if len(arriving) == 1 else 'arrive'}")
    if station_ends:
        what = f"{label} ends with the station"
    elif not after:
        what = f"{label} has no provider (gap)"
    else:
        verb = (
            "drops to"
            if len(after) < len(before)
            else "rises to"
            if len(after) > len(before)
            else "changes to"
        )
        what = f"{label} {verb} {_plural(len(after))} ({', '.join(after)})"
        if len(after) < need:
            what += f", below the need of {need}"
    return ": ".join([head, "; ".join(parts), what] if parts else [head, what])


_EPSILON = datetime.resolution


def _row(
    spec: CapabilitySpec,
    name: str,
    station: str | None,
    *,
    span: tuple[datetime, datetime],
    windows: list[tuple[datetime, datetime]],
    retires: bool,
    provisions: list[Provision],
    partner_codes: set[str],
) -> CapabilityRow:
    """Build one row over ``span``; ``windows`` are when it is needed; ``retires``: the row
    ends with its station's retirement."""
    start, end = span
    provisions = sorted(
        [p for p in provisions if p.end_utc > start and p.start_utc < end],
        key=lambda p: (p.start_utc, p.provider, p.item),
    )
    cuts = {start, end}
    cuts |= {t for p in provisions for t in (p.start_utc, p.end_utc) if start < t < end}
    cuts |= {t for w in windows for t in w if start < t < end}
    points = sorted(cuts)
    spans: list[ProviderSpan] = []
    for a, b in itertools.pairwise(points):
        present = _providers_in(provisions, a)
        needed = any(w0 <= a < w1 for w0, w1 in windows)
        if spans and spans[-1].providers == present and spans[-1].needed == needed:
            spans[-1] = spans[-1].model_copy(update={"end_utc": b})
        else:
            spans.append(
                ProviderSpan(
                    start_utc=a,
                    end_utc=b,
                    providers=present,
                    provider_count=len(present),
                    needed=needed,
                )
            )
    needed_spans = [s for s in spans if s.needed]
    counts = [s.provider_count for s in needed_spans]
    label = name if station is None else f"{name} on {station}"

    changes: list[CapabilityChange] = []
    for t in points[1:]:
        if t == end and not retires:
            continue
        before = _providers_in(provisions, t - _EPSILON)
        after = [] if t == end else _providers_in(provisions, t)
        if before == after:
            continue
        leaving_p = [p for p in provisions if p.end_utc == t]
        arriving_p = [p for p in provisions if p.start_utc == t and t < end]
        events = _sorted_events(
            [e for p in leaving_p for e in p.end_events]
            + [e for p in arriving_p for e in p.start_events]
        )
        leaving = list(dict.fromkeys(p.item for p in leaving_p))
        arriving = list(dict.fromkeys(p.item for p in arriving_p))
        station_ends = retires and t == end
        changes.append(
            CapabilityChange(
                date_utc=t,
                providers_before=before,
                providers_after=after,
                items_leaving=leaving,
                items_arriving=arriving,
                events=events,
                station_ends=station_ends,
                reason=_change_reason(
                    label, spec.need, t, events, leaving, arriving, before, after, station_ends
                ),
            )
        )

    by_provider: dict[str, list[Provision]] = {}
    for p in provisions:
        by_provider.setdefault(p.provider, []).append(p)
    providers = [
        ProviderItems(
            provider=code,
            provider_kind="partner" if code in partner_codes else "provider",
            items=list(dict.fromkeys(p.item for p in ps)),
            first_utc=min(p.start_utc for p in ps),
            last_utc=max(p.end_utc for p in ps),
        )
        for code, ps in sorted(by_provider.items())
    ]
    gaps = [s for s in needed_spans if s.provider_count == 0]
    short = [s for s in needed_spans if 0 < s.provider_count < spec.need]
    single = [s for s in needed_spans if s.provider_count == 1]
    dups = [
        Duplication(
            start_utc=s.start_utc,
            end_utc=s.end_utc,
            providers=s.providers,
            beyond_need=s.provider_count - spec.need,
        )
        for s in needed_spans
        if s.provider_count > spec.need
    ]
    return CapabilityRow(
        capability=spec.capability,
        name=name,
        station=station,
        scope=spec.scope,
        description=spec.description,
        need=spec.need,
        span_start_utc=start,
        span_end_utc=end,
        providers=providers,
        provisions=provisions,
        timeline=spans,
        min_providers=min(counts, default=0),
        max_providers=max(counts, default=0),
        gap=bool(gaps),
        gaps=gaps,
        below_need=bool(short),
        below_need_spans=short,
        single_provider=bool(single),
        single_provider_spans=single,
        duplicated=bool(dups),
        duplicates=dups,
        changes=changes,
    )


def capability_matrix(scenario: Scenario) -> CapabilityMatrix:
    """The capability matrix of ``scenario``.

    Rows, in catalogue order: each programme capability once, over the programme span and
    needed while some station is in service; then, per station, each station capability over
    the station's service (its service start to its retirement or the programme end), and one
    row per port standard on that station from the first module carrying such a port. A row
    whose station retires inside the programme ends with a change "ends with the station",
    which is not a gap.
    """
    ctx = _Context(scenario)
    provisions = infer_provisions(scenario)
    partner_codes = {p.code for p in scenario.partners}
    windows = [ctx.station_span(st) for st in scenario.stations]
    rows: list[CapabilityRow] = []
    for cap, spec in CATALOGUE.items():
        if spec.scope is Scope.PROGRAMME:
            rows.append(
                _row(
                    spec,
                    cap.value,
                    None,
                    span=(ctx.start, ctx.end),
                    windows=windows,
                    retires=False,
                    provisions=[p for p in provisions if p.capability is cap],
                    partner_codes=partner_codes,
                )
            )
    for st in scenario.stations:
        st_start, st_end = ctx.station_span(st)
        retires = st.retire_utc is not None and st.retire_utc < ctx.end
        for cap, spec in CATALOGUE.items():
            if spec.scope is not Scope.STATION:
                continue
            mine = [p for p in provisions if p.capability is cap and p.station == st.name]
            if cap is not Capability.DOCKING_PORT:
                rows.append(
                    _row(
                        spec,
                        cap.value,
                        st.name,
                        span=(st_start, st_end),
                        windows=[(st_start, st_end)],
                        retires=retires,
                        provisions=mine,
                        partner_codes=partner_codes,
                    )
                )
                continue
            first_port: dict[str, datetime] = {}
            for m in st.modules:
                launch = max(m.launch_utc or ctx.start, st_start)
                for port in m.docking_ports:
                    t = first_port.get(port.port_type)
                    first_port[port.port_type] = launch if t is None else min(t, launch)
            for port_type, t0 in first_port.items():
                name = port_capability_name(port_type)
                if t0 >= st_end:
                    continue
                rows.append(
                    _row(
                        spec,
                        name,
                        st.name,
                        span=(t0, st_end),
                        windows=[(t0, st_end)],
                        retires=retires,
                        provisions=[p for p in mine if p.name == name],
                        partner_codes=partner_codes,
                    )
                )
    return CapabilityMatrix(
        programme_start_utc=ctx.start,
        programme_end_utc=ctx.end,
        catalogue=list(CATALOGUE.values()),
        rules=inference_rules(),
        rows=rows,
    )


# --------------------------------------------------------------------------- withdrawals


def _with_withdrawal(scenario: Scenario, code: str, when: datetime | None) -> Scenario:
    partners = [
        p.model_copy(update={"withdraw_utc": when}) if p.code == code else p
        for p in scenario.partners
    ]
    return scenario.model_copy(update={"partners": partners})


def lost_capabilities(
    staying: CapabilityMatrix, withdrawn: CapabilityMatrix, partner_code: str, when: datetime
) -> list[CapabilityLoss]:
    """The rows that ``partner_code``'s withdrawal at ``when`` takes something from.

    ``withdrawn`` is the matrix with the partner withdrawing at ``when``, ``staying`` the
    matrix with it staying. A row is listed when an item stops giving it at ``when`` because
    of the withdrawal: the partner's own items, and others' vehicles that lose the last port
    they fit. Providers before and after are those of ``withdrawn`` just before and at
    ``when``; each lost item says whether it would stop then anyway (``staying``).
    """
    withdrawal = Event(kind=EventKind.WITHDRAW, subject=partner_code)
    still = {(r.name, r.station): r for r in staying.rows}
    out: list[CapabilityLoss] = []
    for row in withdrawn.rows:
        if not row.span_start_utc < when <= row.span_end_utc:
            continue
        leaving = [p for p in row.provisions if p.end_utc == when and withdrawal in p.end_events]
        if not leaving:
            continue
        other = still.get((row.name, row.station))
        kept = (
            []
            if other is None
            else [p for p in other.provisions if p.start_utc <= when < p.end_utc]
        )
        items: list[ItemLoss] = []
        for p in leaving:
            anyway = not any(k.item == p.item and k.provider == p.provider for k in kept)
            loss = ItemLoss(item=p.item, provider=p.provider, lost_anyway=anyway)
            if loss not in items:
                items.append(loss)
        before = row.providers_at(when - _EPSILON)
        after = row.providers_at(when)
        station_ends = row.station is not None and when == row.span_end_utc
        needed_after = not station_ends and any(
            s.needed for s in row.timeline if s.start_utc <= when < s.end_utc
        )
        change = next((c for c in row.changes if c.date_utc == when), None)
        reason = (
            change.reason
            if change is not None
            else (
                f"{partner_code} withdraws {when:%Y-%m-%d}: "
                f"{_names([x.item for x in items])} stop; {row.label} keeps "
                f"{_plural(len(after))} ({', '.join(after)})"
            )
        )
        out.append(
            CapabilityLoss(
                capability=row.capability,
                name=row.name,
                station=row.station,
                need=row.need,
                items_lost=items,
                providers_before=before,
                providers_after=after,
                station_ends=station_ends,
                becomes_gap=needed_after and bool(before) and not after,
                becomes_single_provider=needed_after and len(before) > 1 and len(after) == 1,
                below_need_after=needed_after and 0 < len(after) < row.need,
                reason=reason,
            )
        )
    return out


def capabilities_lost_by(
    scenario: Scenario, partner_code: str, date_utc: datetime | None = None
) -> WithdrawalImpact:
    """What ``partner_code``'s withdrawal at ``date_utc`` (default: its ``withdraw_utc``)
    removes: per row, the items that stop, the providers before and after, and whether the
    row becomes a gap, single-provider or below its need.

    The scenario is compared with the partner withdrawing at ``date_utc`` and with it
    staying, so a hypothetical date can be asked. ``ValueError`` for a code that is not a
    partner (commercial providers do not withdraw), for no date, or for a date not after the
    partner joins.
    """
    try:
        partner = scenario.partner(partner_code)
    except KeyError:
        raise ValueError(f"{partner_code!r} is not a partner of the scenario") from None
    when = date_utc or partner.withdraw_utc
    if when is None:
        raise ValueError(f"{partner_code} has no withdraw_utc; give the date to ask about")
    if when <= partner.join_utc:
        raise ValueError(
            f"{partner_code} joins {partner.join_utc:%Y-%m-%d}; a withdrawal on "
            f"{when:%Y-%m-%d} is not after it"
        )
    withdrawn = capability_matrix(_with_withdrawal(scenario, partner_code, when))
    staying = capability_matrix(_with_withdrawal(scenario, partner_code, None))
    losses = lost_capabilities(staying, withdrawn, partner_code, when)
    removed = list(
        dict.fromkeys(
            x.item for loss in losses for x in loss.items_lost if x.provider == partner_code
        )
    )
    return WithdrawalImpact(
        partner=partner_code, date_utc=when, items_removed=removed, losses=losses
    )
