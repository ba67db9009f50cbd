"""The launch opportunities of a vehicle on the manifest's day grid (:func:`opportunities`):
on each day, the first launch window whose insertion phase suits the vehicle's own
rendezvous profile."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from stationplan.ops.manifest.problem import Opportunity, day_of
from stationplan.orbit.launch import WindowRecord
from stationplan.scenario.models import Vehicle


def opportunities(
    records: Sequence[tuple[str, Sequence[WindowRecord]]], vehicle: Vehicle, start: datetime
) -> dict[int, Opportunity]:
    """Launch days of ``vehicle`` from its sites' window series ((site, records) pairs): on
    each day, the first window whose insertion phase suits the vehicle's own profile."""
    own = vehicle.rendezvous_strategy.value
    days: dict[int, Opportunity] = {}
    for site, series in records:
        for record in series:
            option = next((o for o in record.feasible if o.strategy == own), None)
            if option is None:
                continue
            launch = record.window.launch_utc
            day = day_of(start, launch)
            if day not in days or launch < days[day].launch_utc:
                days[day] = Opportunity(site, launch, record.docking_utc(option))
    return days
