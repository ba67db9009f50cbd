"""The crew plan: rotation groups, increments per group and who flies up and home on each.

Resident crew positions (``crew_per_partner``) are packed into rotation groups, each small
enough to fly in one crew vehicle, as ISS crews rotate: a group flies up together, its vehicle
stays docked as the group's lifeboat, and the next crew of the group arrives before it leaves
(the handover). Groups are staggered through the increment so that the station is never left
with only newcomers (on the ISS, Soyuz and Crew Dragon crews alternate about three months
apart). A one-year mission keeps one member aboard through two increments: that member flies up
with one rotation and home with the next, so the first vehicle comes home with a seat empty and
the next goes up with one free — the asymmetry that in 2015 made room for a short visiting crew
(Soyuz TMA-18M up with two visitors, home on TMA-16M; NASA, ISS Expedition 44/45 press kits).

This module sets the skeleton: groups, rotations with nominal dates, the station each rotation
serves and the seats it needs. The manifest solver fixes the actual dates (launch windows,
ports, flight rates) within ``increment_tolerance_days``.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from stationplan.ops.assembly import StationBuild, configuration_at
from stationplan.scenario.models import Scenario, VehicleRole


class Rotation(BaseModel):
    """One crew rotation of one group: the members its vehicle flies up and home."""

    label: str = Field(description="Group letter and rotation number, e.g. 'A3'.")
    group: int
    index: int = Field(description="Rotation number within the group, from 0.")
    station: str
    nominal_dock_utc: datetime
    nominal_undock_utc: datetime = Field(
        description="The next rotation's docking plus the handover, or the service end."
    )
    up: list[str] = Field(description="Positions whose new member flies up.")
    one_year_up: list[str] = Field(
        description="Members flying up who stay through the next rotation (one-year mission)."
    )
    continuing: list[str] = Field(
        description="One-year members of the previous rotation who fly home on this vehicle."
    )
    return_target_days: float | None = Field(
        default=None,
        description="For a rotation that brings one-year members home: the mission length "
        "from their arrival (days).",
    )

    @property
    def down(self) -> int:
        """Members this vehicle brings home."""
        return len(self.up) - len(self.one_year_up) + len(self.continuing)

    @property
    def seats_needed(self) -> int:
        """Seats the rotation's vehicle needs (up or home, whichever is more)."""
        return max(len(self.up), self.down)


class CrewSkeleton(BaseModel):
    """Rotation groups and their rotations over the programme."""

    groups: list[list[str]] = Field(description="Positions of each rotation group.")
    rotations: list[Rotation]
    notes: list[str] = Field(default_factory=list)


def group_letter(group: int) -> str:
    """'A' for group 0, 'B' for 1, ..."""
    return chr(ord("A") + group) if group < 26 else f"G{group}"


def _positions(scenario: Scenario) -> list[tuple[str, int]]:
    assert scenario.crew is not None
    counts = sorted(scenario.crew.crew_per_partner.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(code, n) for code, n in counts if n > 0]


def _groups(scenario: Scenario, seats: int) -> list[list[str]]:
    """Positions packed into as few groups as the largest crew vehicle allows, balanced, a
    partner's positions kept together where they fit (first fit, largest partner first)."""
    partners = _positions(scenario)
    total = sum(n for _, n in partners)
    n_groups = max(1, math.ceil(total / seats))
    size = math.ceil(total / n_groups)
    groups: list[list[str]] = [[] for _ in range(n_groups)]
    for code, n in partners:
        labels = [f"{code}-{i + 1}" for i in range(n)]
        room = [size - len(g) for g in groups]
        best = max(range(n_groups), key=lambda g: (room[g], -g))
        if room[best] >= n:
            groups[best].extend(labels)
            continue
        while labels:  # a partner too large for any group fills the roomiest groups first
            g = max(range(n_groups), key=lambda g: (size - len(groups[g]), -g))
            take = max(1, size - len(groups[g]))
            groups[g].extend(labels[:take])
            labels = labels[take:]
    return groups


def _member(scenario: Scenario, code: str, when: datetime) -> bool:
    p = next((p for p in scenario.partners if p.code == code), None)
    if p is None:
        return False
    return p.join_utc <= when and (p.withdraw_utc is None or when < p.withdraw_utc)


def _station_for(
    scenario: Scenario, builds: list[StationBuild], dock: datetime, least_undock: datetime
) -> tuple[str | None, datetime]:
    """The first station (scenario order) in service at ``dock`` that can house a crew until
    at least ``least_undock``, and its crewed-service end (its retirement less the departure
    margin, or the programme end)."""
    margin = timedelta(days=scenario.policies.crew_departure_before_deorbit_days)
    for st, build in zip(scenario.stations, builds, strict=True):
        start = st.service_start_utc(scenario.programme.start_utc)
        end = scenario.programme.end_utc
        if st.retire_utc is not None:
            end = min(end, st.retire_utc - margin)
        config = configuration_at(build, dock)
        housed = config is not None and config.crew_capacity > 0
        if start <= dock and least_undock <= end and housed:
            return st.name, end
    return None, scenario.programme.end_utc


def plan_crew(scenario: Scenario, builds: list[StationBuild]) -> CrewSkeleton:
    """Rotation groups and nominal rotations of the scenario's crew plan.

    Group g's first crew docks at ``first_crew_utc + g * increment / G``; each rotation lasts
    one increment plus the handover overlap. A rotation serves the first station in service
    that can house its crew to the end of the increment; when none can (the station retires,
    the next is not built yet) the rotation is left out and a note says so.
    """
    crew = scenario.crew
    if crew is None:
        return CrewSkeleton(groups=[], rotations=[])
    seats = max(
        (v.crew_seats for v in scenario.vehicles if v.role is not VehicleRole.CARGO), default=0
    )
    if seats == 0:
        return CrewSkeleton(
            groups=[],
            rotations=[],
            notes=["no crew vehicle in the fleet: the crew plan cannot be flown"],
        )
    groups = _groups(scenario, seats)
    inc = timedelta(days=crew.increment_days)
    overlap = timedelta(days=crew.handover_overlap_days)
    tolerance = timedelta(days=crew.increment_tolerance_days)
    end = scenario.programme.end_utc
    notes: list[str] = []
    rotations: list[Rotation] = []
    for g, positions in enumerate(groups):
        dock = crew.first_crew_utc + inc * g / len(groups)
        k = 0
        while dock + inc - tolerance <= end or (k == 0 and dock < end):
            undock = min(dock + inc + overlap, end)
            least = min(dock + inc - tolerance, end)  # a final increment may be shortened
            station, crewed_end = _station_for(scenario, builds, dock, least)
            undock = min(undock, crewed_end)
            if station is None:
                notes.append(
                    f"group {group_letter(g)}: no station can house a crew from "
                    f"{dock:%Y-%m-%d} to {undock:%Y-%m-%d}; that increment is not flown"
                )
            else:
                up = [p for p in positions if _member(scenario, p.rsplit("-", 1)[0], dock)]
                if up:
                    rotations.append(
                        Rotation(
                            label=f"{group_letter(g)}{k + 1}",
                            group=g,
                            index=k,
                            station=station,
                            nominal_dock_utc=dock,
                            nominal_undock_utc=undock,
                            up=up,
                            one_year_up=[],
                            continuing=[],
                        )
                    )
            dock += inc
            k += 1
    rotations.sort(key=lambda r: (r.nominal_dock_utc, r.group))
    _one_year_missions(scenario, groups, rotations, notes)
    return CrewSkeleton(groups=groups, rotations=rotations, notes=notes)


def _one_year_missions(
    scenario: Scenario, groups: list[list[str]], rotations: list[Rotation], notes: list[str]
) -> None:
    """Mark each one-year mission on the rotation of its partner's group nearest its start:
    the member stays through the group's next rotation and flies home with it."""
    assert scenario.crew is not None
    for mission in scenario.crew.one_year_missions:
        candidates = [
            (abs((r.nominal_dock_utc - mission.start_utc).total_seconds()), i, p)
            for i, r in enumerate(rotations)
            for p in r.up
            if p.rsplit("-", 1)[0] == mission.partner and p not in r.one_year_up
        ]
        if not candidates:
            notes.append(
                f"one-year mission of {mission.partner} from {mission.start_utc:%Y-%m-%d}: "
                f"{mission.partner} has no crew position then; not flown"
            )
            continue
        _, i, position = min(candidates)
        first = rotations[i]
        nxt = next(
            (
                r
                for r in rotations
                if r.group == first.group
                and r.index == first.index + 1
                and r.station == first.station
            ),
            None,
        )
        if nxt is None or position not in nxt.up:
            notes.append(
                f"one-year mission of {mission.partner} from {first.nominal_dock_utc:%Y-%m-%d}: "
                "its group has no next rotation on the same station to bring it home; not flown"
            )
            continue
        first.one_year_up.append(position)
        nxt.up.remove(position)
        nxt.continuing.append(position)
        nxt.return_target_days = mission.duration_days
