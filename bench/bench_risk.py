"""Risk Monte Carlo: 10,000 runs of slips and losses of a ten-year manifest.

Goal: 10,000 runs in well under 60 s in-process on 2 cores. Synthetic manifest, ISS-like but
not a plan: 2030-2039 on a daily grid (3,652 days), a crew of four rotated every 182 days by a
four-seat crew vehicle (20 flights, 5-day handover, 210-day docked limit: NASA rates Crew
Dragon for 210 days docked, Commercial Crew Program, 2020), and four cargo flights a year
alternating a 6,000 kg capsule (SpaceX, Dragon vehicle page: 6,000 kg launch payload) and a
2,670 kg freighter (RSC Energia, Progress: ~1,800 kg dry cargo and ~870 kg propellant), 40
flights: 60 in all. Seven supply classes; per-crew and per-station rates of the order of the
SpaceNet crew consumables model (MIT, SpaceNet 2.5, 2010), then scaled so the manifest
delivers 25 % more than is used. Reserve 45 days of mean demand; initial stock 150 days.
Loss probabilities: the Jeffreys estimates of the ISS record 2000-2015 (Progress 2.5/64,
Dragon 1.5/9, Soyuz 0.5/46 for the crew vehicle); mean slips 5 days for the crew vehicle and
the freighter, 20 days for the capsule (assumptions).

Runs in-process, then on a 2-worker LocalCluster (one thread each, separate processes), with
the same seed and chunks; prints figures, then one JSON line.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from stationplan.ops.flights import CrewMember, Flight, FlightRole
from stationplan.ops.risk import (
    SupplyDemand,
    VehicleRisk,
    carrier_deliveries,
    run_risk,
    slip_sensitivity,
    summary,
)

START = datetime(2030, 1, 1, tzinfo=UTC)
DAYS = 3652
RUNS = 10_000
SEED = 2030
CLASSES = ("water", "food", "oxygen", "nitrogen", "propellant", "spares", "crew_provisions")
# kg per crew-day and per station-day (order of SpaceNet 2.5 and ISS figures; synthetic).
PER_CREW = np.array([2.5, 1.8, 0.85, 0.0, 0.0, 0.0, 0.95])
PER_STATION = np.array([0.0, 0.0, 0.0, 0.25, 9.0, 11.5, 0.0])
# Fraction of pressurised, unpressurised and propellant cargo that is each class.
SPLIT = np.array(
    [
        [0.24, 0.0, 0.0],
        [0.20, 0.0, 0.0],
        [0.08, 0.0, 0.0],
        [0.02, 0.0, 0.0],
        [0.00, 0.0, 1.0],
        [0.34, 1.0, 0.0],
        [0.12, 0.0, 0.0],
    ]
)
VEHICLES = {
    "Crew Vehicle": VehicleRisk(0.5 / 46, 5.0, 210.0),
    "Capsule": VehicleRisk(1.5 / 9, 20.0, 35.0),
    "Freighter": VehicleRisk(2.5 / 64, 5.0, 180.0),
}


def at(day: float) -> datetime:
    return START + timedelta(days=day)


def manifest() -> tuple[list[Flight], list[CrewMember]]:
    flights: list[Flight] = []
    crew: list[CrewMember] = []
    for k in range(20):
        dock = 1.0 + 182.0 * k
        label = f"Crew-{k + 1}"
        flights.append(
            Flight(
                flight=label,
                role=FlightRole.CREW,
                vehicle="Crew Vehicle",
                operator="NASA",
                station="Station",
                site=None,
                launch_utc=at(dock - 1),
                docking_utc=at(dock),
                port="Node-2 zenith" if k % 2 else "Node-2 forward",
                undocking_utc=at(dock + 187.0),
                crew_up=4,
                crew_down=4,
                seats=4,
                pressurized_kg=200.0,
            )
        )
        for n in range(4):
            crew.append(
                CrewMember(
                    name=f"C{n + 1} #{k + 1}",
                    partner="NASA",
                    station="Station",
                    arrival_flight=label,
                    return_flight=label,
                    arrival_utc=at(dock),
                    departure_utc=at(dock + 187.0),
                )
            )
    for k in range(40):
        dock = 30.0 + 91.3 * k
        capsule = k % 2 == 1
        flights.append(
            Flight(
                flight=f"Cargo-{k + 1}",
                role=FlightRole.CARGO,
                vehicle="Capsule" if capsule else "Freighter",
                operator="SPACEX" if capsule else "ROSCOSMOS",
                station="Station",
                site=None,
                launch_utc=at(dock - 1),
                docking_utc=at(dock),
                port="Node-2 nadir" if capsule else "Zvezda aft",
                undocking_utc=at(dock + 30.0),
                pressurized_kg=4000.0 if capsule else 1800.0,
                unpressurized_kg=2000.0 if capsule else 0.0,
                propellant_kg=0.0 if capsule else 870.0,
            )
        )
    return flights, crew


def supply(flights: list[Flight], crew: list[CrewMember]) -> SupplyDemand:
    days = np.arange(DAYS)
    aboard = np.zeros(DAYS)
    for m in crew:
        first = (m.arrival_utc - START).days
        last = (m.departure_utc - START).days
        aboard[(days >= first) & (days < last)] += 1
    shape = PER_CREW[:, None] * aboard + PER_STATION[:, None]
    delivery = carrier_deliveries(flights, SPLIT)
    # Scale each class so that 150 days of stock plus the deliveries are 1.25 x the use.
    scale = delivery.sum(axis=1) / ((1.25 - 150.0 / DAYS) * shape.sum(axis=1))
    demand = shape * scale[:, None]
    mean_kg_per_day = demand.mean(axis=1)
    reserve = np.repeat(45.0 * mean_kg_per_day[:, None], DAYS, axis=1)
    return SupplyDemand(CLASSES, START, demand, 150.0 * mean_kg_per_day, reserve, delivery)


def main() -> None:
    flights, crew = manifest()
    stock = supply(flights, crew)

    started = time.perf_counter()
    local = run_risk(flights, crew, stock, VEHICLES, runs=RUNS, seed=SEED)
    local_s = time.perf_counter() - started
    print(f"{len(flights)} flights, {len(crew)} crew members, {len(CLASSES)} classes, {DAYS} days")
    print(f"in-process: {RUNS} runs in {local_s:.2f} s ({RUNS / local_s:.0f} runs/s)")
    for name, p, m in zip(CLASSES, local.p_reserve_break, local.margins, strict=True):
        pct = dict(m.percentiles_days)
        print(
            f"  {name:16s} P(reserve break) {p:.3f}  margin p5/p50/p95 "
            f"{pct[5.0]:7.1f} {pct[50.0]:7.1f} {pct[95.0]:7.1f} d"
        )
    print(
        f"  P(crew reduction) {local.p_crew_reduction:.4f}  "
        f"P(lifeboat break) {local.p_lifeboat_break:.4f}  "
        f"mean flights lost {local.mean_flights_lost:.2f}"
    )
    sensitivity = slip_sensitivity(flights, stock)
    breaking = [r for r in sensitivity if r.first_break_day is not None]
    print(f"30-day single slips that break a reserve: {len(breaking)} of {len(sensitivity)}")

    figures: dict[str, object] = {
        "runs": RUNS,
        "flights": len(flights),
        "classes": len(CLASSES),
        "days": DAYS,
        "in_process_s": round(local_s, 3),
        "in_process_runs_per_s": round(RUNS / local_s, 1),
        **{k: v for k, v in summary(local).items() if k.startswith("p_")},
    }
    try:
        from distributed import LocalCluster

        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            started = time.perf_counter()
            remote = run_risk(
                flights,
                crew,
                stock,
                VEHICLES,
                runs=RUNS,
                seed=SEED,
                scheduler=cluster.scheduler_address,
            )
            cluster_s = time.perf_counter() - started
        same = remote == local
        print(
            f"LocalCluster 2x1: {RUNS} runs in {cluster_s:.2f} s ({RUNS / cluster_s:.0f} runs/s), "
            f"speed-up {local_s / cluster_s:.2f}x, same result as in-process: {same}"
        )
        figures.update(
            cluster_s=round(cluster_s, 3),
            cluster_runs_per_s=round(RUNS / cluster_s, 1),
            speed_up=round(local_s / cluster_s, 2),
            cluster_same_result=same,
        )
    except Exception as error:  # report, do not hide, a cluster that cannot start
        print(f"LocalCluster not run: {error!r}")
        figures["cluster_error"] = repr(error)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
