"""The reorder-point cargo schedule of one station (:func:`_reorder_schedule`): a complete,
usually feasible placement of its cargo flights around the flights already placed, from
which the CP-SAT search starts (:meth:`stationplan.ops.manifest.model._Builder._hint`)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np

from stationplan.ops.manifest.problem import (
    CARRIERS,
    PROFILE_DAYS,
    STOCK_BUCKET_DAYS,
    Port,
    StationSupply,
    _capacities,
)
from stationplan.scenario.models import Vehicle


def _reorder_schedule(
    station: str,
    vehicles: list[Vehicle],
    supply: StationSupply,
    days: dict[str, list[int]],
    docking_ports: list[Port],
    busy: dict[Port, list[tuple[int, int]]],
    origin: datetime,
    horizon: int,
    gap: int,
) -> list[tuple[Vehicle, int, Port]]:
    """A reorder-point cargo schedule: whenever a carrier's projected stock would fall below
    its reserve, the vehicle that carries it at least cost per kg is launched on the latest
    window that docks in time on a free port within its yearly rate (the earliest after, if
    none does). Used as the solver's starting point, not as the answer.

    ``days`` are the days each vehicle (by name) can launch to ``station``, ``docking_ports``
    the stations' docking ports, ``busy`` the (docking day, free day) spans the flights placed
    so far hold each port for (the schedule's own flights are added to it), ``origin`` and
    ``horizon`` the day grid and ``gap`` a port's turnaround in whole days."""
    demand = {c: np.asarray(supply.demand_kg_per_day[c], float)[:horizon] for c in CARRIERS}
    reserve = {c: np.asarray(supply.reserve_kg[c], float)[:horizon] for c in CARRIERS}
    delivered = {c: np.zeros(horizon + 1) for c in CARRIERS}
    rates: dict[tuple[str, int], int] = {}
    year_of = np.array([(origin + timedelta(days=d)).year for d in range(horizon + 40)])
    caps = {v.name: _capacities(v) for v in vehicles}
    cum = {c: np.concatenate([[0.0], np.cumsum(demand[c])]) for c in CARRIERS}
    schedule: list[tuple[Vehicle, int, Port]] = []
    for _ in range(500):
        stock = {
            c: supply.initial_kg[c] + np.cumsum(delivered[c])[:horizon] - cum[c][1:]
            for c in CARRIERS
        }
        short = {c: np.flatnonzero(stock[c] < reserve[c]) for c in CARRIERS}
        breach = {c: int(v[0]) for c, v in short.items() if v.size}
        if not breach:
            break
        carrier = min(breach, key=lambda c: breach[c])
        when = breach[carrier]
        best: tuple[float, Vehicle, int, Port] | None = None
        for v in vehicles:
            if caps[v.name][carrier] <= 0:
                continue
            off = PROFILE_DAYS[v.rendezvous_strategy.value]
            stay = round(v.docked_duration_days) + gap
            ports = [
                q
                for q in docking_ports
                if q.station == station and q.port_type in v.compatible_port_types
            ]
            ok_days = [
                d
                for d in days[v.name]
                if rates.get((v.name, year_of[d]), 0) < math.floor(v.max_flights_per_year)
            ]
            margin = when - STOCK_BUCKET_DAYS - 1  # the solver checks the stock by bucket
            before = [d for d in ok_days if d + off < margin][::-1]
            after = [d for d in ok_days if d + off >= margin]
            for d in before[:60] + after[:60]:
                dock = d + off
                free = next(
                    (
                        q
                        for q in ports
                        if dock >= q.from_day
                        and all(dock + stay <= a or dock >= z for a, z in busy.get(q, []))
                    ),
                    None,
                )
                if free is not None:
                    late = 0.0 if dock < margin else 1e6 * (dock - margin + 1)
                    score = late + v.cost_per_flight_musd / caps[v.name][carrier]
                    if best is None or score < best[0]:
                        best = (score, v, d, free)
                    break
        if best is None:
            break
        _, v, d, q = best
        dock = d + PROFILE_DAYS[v.rendezvous_strategy.value]
        busy.setdefault(q, []).append((dock, dock + round(v.docked_duration_days) + gap))
        rates[(v.name, year_of[d])] = rates.get((v.name, year_of[d]), 0) + 1
        for c in CARRIERS:
            delivered[c][min(dock, horizon)] += caps[v.name][c]
        schedule.append((v, d, q))
    schedule.sort(key=lambda item: item[1])
    return schedule
