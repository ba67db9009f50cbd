"""Risk of a manifest: does it still keep the crew supplied, and with a seat home, when flights
slip or are lost?

Monte Carlo over launch slips and losses (a crude Monte Carlo in the sense of Rubinstein &
Kroese, *Simulation and the Monte Carlo Method*, 3rd ed., Wiley, 2017, ch. 4). In each run:

* **Loss.** Each flight is lost to the station with its vehicle's probability (Bernoulli,
  independent across flights); :mod:`stationplan.ops.launch_record` estimates it from the ISS
  record. A lost flight delivers nothing and its crew never arrive.
* **Slip.** Each flight docks later than planned by an exponential number of days of the
  vehicle's mean (``Vehicle.mean_slip_days``): most flights near their date, a long tail of
  stand-downs. Public reviews report that ISS cargo flights ran behind their planned dates
  (NASA Aerospace Safety Advisory Panel, 2014 Annual Report, 2015, on the commercial resupply
  flights), but no public table of slips from a fixed planning horizon was found to fit a
  distribution to, so the exponential shape and the default mean are **assumptions**. Slips
  are independent: a loss does not ground the rest of its family (a real failure does, for
  months: NASA OIG IG-16-025, 2016), which makes the risk here optimistic after a loss.
* **Supplies.** Per supply class ``c`` and day ``d`` of a daily grid, the stock at the end of
  the day is the initial stock plus the deliveries docked by that day minus the demand through
  that day; it *breaks its reserve* if it falls below ``reserve[c, d]`` on any day. The margin
  of a run is min over days (with demand) of (stock - reserve) / demand, in days of supply;
  negative when the reserve breaks. Demand is the plan's: a slip or a crew reduction does not
  change it (a crew kept longer keeps eating; a reduced crew is not credited).
* **Crew.** A crew vehicle leaves when its *handover flight* (the last crew flight at the same
  station docking, in the plan, after it and before its planned undocking) has arrived: its
  undocking slips with that flight. If the handover flight is lost, or slips past the docked
  limit (``Vehicle.docked_duration_days`` from its actual docking), the vehicle leaves at the
  limit with its crew: a **crew reduction**. Each member stays from the docking of their
  arrival flight to the undocking of their return flight, shifted alike. The **lifeboat rule**
  breaks if, at any instant, more crew are aboard than seats of docked crew vehicles. There is
  no re-planning: a member whose return flight is lost stays to the planned departure without
  a seat, and no replacement flight is added.

Runs are split into chunks of fixed size, each drawn from its own child of
``numpy.random.SeedSequence(seed)``; the chunks run in-process or on a Dask ``distributed``
cluster, and give the same results for the same seed either way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from stationplan.errors import REQUEST, ArgumentError, Problem
from stationplan.ops.flights import CrewMember, Flight, FlightRole
from stationplan.ops.launch_record import LossEstimate, vehicle_loss_estimate
from stationplan.scenario.models import Vehicle

if TYPE_CHECKING:
    from distributed import Client

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

DEFAULT_CHUNK_RUNS = 500
"""Runs per chunk: the unit of seeding and of work sent to a cluster."""

PERCENTILES: tuple[float, ...] = (5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0)
HISTOGRAM_BINS = 20
SENSITIVITY_SLIP_DAYS = 30.0
_SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class VehicleRisk:
    """What the Monte Carlo needs of a vehicle."""

    loss_probability: float
    mean_slip_days: float
    docked_limit_days: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.loss_probability <= 1.0:
            raise ValueError(f"loss_probability {self.loss_probability} is not in [0, 1]")
        if self.mean_slip_days < 0.0 or self.docked_limit_days <= 0.0:
            raise ValueError("mean_slip_days must be >= 0 and docked_limit_days > 0")


def vehicle_risks(
    vehicles: Sequence[Vehicle], loss_table: Mapping[str, LossEstimate]
) -> dict[str, VehicleRisk]:
    """Loss probability (launch record or override), mean slip and docked limit per vehicle."""
    return {
        v.name: VehicleRisk(
            loss_probability=vehicle_loss_estimate(v, loss_table).p_loss,
            mean_slip_days=v.mean_slip_days,
            docked_limit_days=v.docked_duration_days,
        )
        for v in vehicles
    }


@dataclass(frozen=True, eq=False)
class SupplyDemand:
    """Supplies on a daily grid, generic over ``C`` classes and ``F`` flights.

    ``demand_kg_per_day`` and ``reserve_kg`` are (C, D): day ``d`` runs from
    ``start_utc + d days``; ``initial_stock_kg`` is (C,); ``delivery_kg`` is (C, F), what each
    flight of the manifest (in its order) brings of each class. A flight docking before the
    grid starts is taken as already in the initial stock.
    """

    class_names: tuple[str, ...]
    start_utc: datetime
    demand_kg_per_day: FloatArray
    initial_stock_kg: FloatArray
    reserve_kg: FloatArray
    delivery_kg: FloatArray

    def __post_init__(self) -> None:
        n_classes = len(self.class_names)
        demand = self.demand_kg_per_day
        if demand.ndim != 2 or demand.shape[0] != n_classes:
            raise ValueError(f"demand_kg_per_day must be (C={n_classes}, D), got {demand.shape}")
        if self.reserve_kg.shape != demand.shape:
            raise ValueError(f"reserve_kg must be {demand.shape}, got {self.reserve_kg.shape}")
        if self.initial_stock_kg.shape != (n_classes,):
            raise ValueError(f"initial_stock_kg must be ({n_classes},)")
        if self.delivery_kg.ndim != 2 or self.delivery_kg.shape[0] != n_classes:
            raise ValueError(f"delivery_kg must be (C={n_classes}, F)")
        if (demand < 0).any() or (self.delivery_kg < 0).any():
            raise ValueError("demand and deliveries must be >= 0")

    @property
    def n_days(self) -> int:
        return int(self.demand_kg_per_day.shape[1])


def carrier_deliveries(flights: Sequence[Flight], split: FloatArray) -> FloatArray:
    """(C, F) deliveries from each flight's pressurised, unpressurised and propellant cargo.

    ``split`` is (C, 3): the fraction of each carrier (columns in that order) that is class
    ``c``. Hand check: a flight with 1,000 kg pressurised and ``split[:, 0] = (0.4, 0.6)``
    delivers 400 and 600 kg.
    """
    carriers = np.array(
        [[f.pressurized_kg, f.unpressurized_kg, f.propellant_kg] for f in flights], dtype=float
    ).reshape(len(flights), 3)
    deliveries: FloatArray = np.asarray(split, dtype=float) @ carriers.T
    return deliveries


# --------------------------------------------------------------------------- prepared arrays


@dataclass(frozen=True, eq=False)
class _Arrays:
    """Everything a chunk needs, as arrays (sent once to each worker)."""

    n_days: int
    p_loss: FloatArray  # (F,)
    mean_slip_days: FloatArray  # (F,)
    delivery_day: FloatArray  # (F,) planned docking, days from the grid start
    delivers: BoolArray  # (F,) docks inside the grid
    delivery_kg: FloatArray  # (C, F)
    base_kg: FloatArray  # (C, D): initial - cumulative demand - reserve
    inv_demand: FloatArray  # (C, D): 1 / demand, 0 where no demand
    has_demand: BoolArray  # (C, D)
    crew_flight: IntArray  # (V,) index of each crew vehicle's flight
    dock_day: FloatArray  # (V,)
    undock_day: FloatArray  # (V,)
    limit_days: FloatArray  # (V,)
    seats: FloatArray  # (V,)
    handover: IntArray  # (V,) crew vehicle that relieves it, -1 for none
    arrive_day: FloatArray  # (M,)
    depart_day: FloatArray  # (M,)
    arrive_vehicle: IntArray  # (M,) crew vehicle index, -1 when not in the manifest
    return_vehicle: IntArray  # (M,)


def _days(t: datetime | None, start: datetime) -> float:
    return math.inf if t is None else (t - start).total_seconds() / _SECONDS_PER_DAY


def _prepare(
    flights: Sequence[Flight],
    crew: Sequence[CrewMember],
    supply: SupplyDemand,
    vehicles: Mapping[str, VehicleRisk],
) -> _Arrays:
    if supply.delivery_kg.shape[1] != len(flights):
        raise ValueError(
            f"delivery_kg has {supply.delivery_kg.shape[1]} flights, the manifest {len(flights)}"
        )
    missing = sorted({f.vehicle for f in flights if f.vehicle and f.vehicle not in vehicles})
    if missing:
        raise ValueError(f"no loss and slip model for vehicle(s) {missing}")
    start = supply.start_utc
    risk = [vehicles[f.vehicle] if f.vehicle else VehicleRisk(0.0, 0.0, 1.0) for f in flights]
    delivery_day = np.array([_days(f.docking_utc or f.launch_utc, start) for f in flights])
    demand = supply.demand_kg_per_day
    has_demand = demand > 0
    crew_idx = [
        i for i, f in enumerate(flights) if f.seats > 0 and f.vehicle and f.docking_utc is not None
    ]
    dock = np.array([_days(flights[i].docking_utc, start) for i in crew_idx])
    undock = np.array([_days(flights[i].undocking_utc, start) for i in crew_idx])
    handover = np.full(len(crew_idx), -1, dtype=np.int64)
    for v, i in enumerate(crew_idx):
        relief = [
            (dock[w], w)
            for w, j in enumerate(crew_idx)
            if w != v
            and flights[j].station == flights[i].station
            and flights[j].crew_up > 0
            and dock[v] < dock[w] <= undock[v]
        ]
        if relief:
            handover[v] = max(relief)[1]
    by_label = {flights[i].flight: v for v, i in enumerate(crew_idx)}
    return _Arrays(
        n_days=supply.n_days,
        p_loss=np.array([r.loss_probability for r in risk]),
        mean_slip_days=np.array([r.mean_slip_days for r in risk]),
        delivery_day=delivery_day,
        delivers=delivery_day >= 0.0,
        delivery_kg=np.asarray(supply.delivery_kg, dtype=float),
        base_kg=supply.initial_stock_kg[:, None] - np.cumsum(demand, axis=1) - supply.reserve_kg,
        inv_demand=np.divide(1.0, demand, out=np.zeros_like(demand), where=has_demand),
        has_demand=has_demand,
        crew_flight=np.array(crew_idx, dtype=np.int64),
        dock_day=dock,
        undock_day=undock,
        limit_days=np.array([risk[i].docked_limit_days for i in crew_idx]),
        seats=np.array([float(flights[i].seats) for i in crew_idx]),
        handover=handover,
        arrive_day=np.array([_days(m.arrival_utc, start) for m in crew]),
        depart_day=np.array([_days(m.departure_utc, start) for m in crew]),
        arrive_vehicle=np.array([by_label.get(m.arrival_flight, -1) for m in crew], np.int64),
        return_vehicle=np.array([by_label.get(m.return_flight, -1) for m in crew], np.int64),
    )


# --------------------------------------------------------------------------- kernels


@dataclass(frozen=True, eq=False)
class _StockOutcome:
    first_break_day: IntArray  # (R, C), -1 when the reserve holds
    margin_days: FloatArray  # (R, C), +inf for a class without demand


def _stock_outcome(a: _Arrays, slip_days: FloatArray, lost: BoolArray) -> _StockOutcome:
    """Reserve breaks and margins of R runs, given (R, F) slips and losses."""
    n_runs, n_days = slip_days.shape[0], a.n_days
    day = np.floor(a.delivery_day + slip_days)
    gone = lost | ~a.delivers | (day >= n_days)
    column = np.where(gone, n_days, day).astype(np.int64)  # column D collects the undelivered
    flat = (np.arange(n_runs, dtype=np.int64)[:, None] * (n_days + 1) + column).ravel()
    n_classes = a.delivery_kg.shape[0]
    first = np.full((n_runs, n_classes), -1, dtype=np.int64)
    margin = np.full((n_runs, n_classes), np.inf)
    for c in range(n_classes):
        weights = np.broadcast_to(a.delivery_kg[c], slip_days.shape).ravel()
        stock = np.bincount(flat, weights=weights, minlength=n_runs * (n_days + 1))
        slack = np.cumsum(stock.reshape(n_runs, n_days + 1)[:, :n_days], axis=1, dtype=float)
        slack += a.base_kg[c]
        below = slack < 0.0
        broken = below.any(axis=1)
        first[:, c] = np.where(broken, below.argmax(axis=1), -1)
        if a.has_demand[c].any():
            slack *= a.inv_demand[c]
            slack[:, ~a.has_demand[c]] = np.inf
            margin[:, c] = slack.min(axis=1)
    return _StockOutcome(first, margin)


def _crew_outcome(
    a: _Arrays, slip_days: FloatArray, lost: BoolArray
) -> tuple[BoolArray, BoolArray]:
    """(crew reduction, lifeboat break) per run, given (R, F) slips and losses."""
    n_runs = slip_days.shape[0]
    if a.crew_flight.size == 0:
        none = np.zeros(n_runs, dtype=bool)
        return none, none.copy()
    slip = slip_days[:, a.crew_flight]
    gone = lost[:, a.crew_flight]
    dock = np.where(gone, np.inf, a.dock_day + slip)
    limit = dock + a.limit_days
    relieved = a.handover >= 0
    h = np.where(relieved, a.handover, 0)
    relief_lost = gone[:, h] & relieved
    undock = a.undock_day + np.where(relieved, slip[:, h], 0.0)
    reduction = (relief_lost | (undock > limit)) & relieved & ~gone
    undock = np.where(relief_lost, limit, np.minimum(undock, limit))
    undock = np.maximum(undock, dock)

    arrive = a.arrive_day + np.zeros((n_runs, 1))
    on = a.arrive_vehicle >= 0
    av = a.arrive_vehicle[on]
    arrive[:, on] = dock[:, av] + (a.arrive_day[on] - a.dock_day[av])
    depart = a.depart_day + np.zeros((n_runs, 1))
    back = a.return_vehicle >= 0
    rv = a.return_vehicle[back]
    offset = np.where(np.isfinite(a.undock_day[rv]), a.depart_day[back] - a.undock_day[rv], 0.0)
    depart[:, back] = np.where(gone[:, rv], a.depart_day[back], undock[:, rv] + offset)

    instants = np.concatenate([arrive, undock], axis=1)[:, :, None]  # (R, K, 1)
    aboard = ((arrive[:, None, :] <= instants) & (instants < depart[:, None, :])).sum(axis=2)
    docked = (dock[:, None, :] <= instants) & (instants < undock[:, None, :])
    seats = docked @ a.seats if docked.size else np.zeros(aboard.shape)
    lifeboat: BoolArray = ((aboard > seats) & np.isfinite(instants[:, :, 0])).any(axis=1)
    reduced: BoolArray = np.asarray(reduction.any(axis=1))
    return reduced, lifeboat


@dataclass(frozen=True, eq=False)
class _ChunkOutcome:
    first_break_day: IntArray
    margin_days: FloatArray
    crew_reduction: BoolArray
    lifeboat_break: BoolArray
    flights_lost: IntArray


def _run_chunk(a: _Arrays, n_runs: int, seed: np.random.SeedSequence) -> _ChunkOutcome:
    """Sample ``n_runs`` runs from ``seed`` and evaluate them."""
    rng = np.random.default_rng(seed)
    shape = (n_runs, a.p_loss.size)
    lost = rng.random(shape) < a.p_loss
    slip = rng.standard_exponential(shape) * a.mean_slip_days
    stock = _stock_outcome(a, slip, lost)
    reduction, lifeboat = _crew_outcome(a, slip, lost)
    return _ChunkOutcome(
        stock.first_break_day, stock.margin_days, reduction, lifeboat, lost.sum(axis=1)
    )


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class MarginDistribution:
    """Distribution over runs of one class's margin (days of supply above the reserve)."""

    class_name: str
    percentiles_days: tuple[tuple[float, float], ...]
    bin_edges_days: tuple[float, ...]
    counts: tuple[int, ...]
    runs_without_demand: int


@dataclass(frozen=True, eq=False)
class RiskSamples:
    """Per-run outcomes: (R, C) first break day (-1: held) and margin; (R,) crew flags."""

    first_break_day: IntArray
    margin_days: FloatArray
    crew_reduction: BoolArray
    lifeboat_break: BoolArray
    flights_lost: IntArray


@dataclass(frozen=True)
class RiskResult:
    """Probabilities over ``runs`` runs, margins per class, and the outcomes without slips."""

    runs: int
    seed: int
    chunk_runs: int
    class_names: tuple[str, ...]
    p_reserve_break: tuple[float, ...]
    p_any_reserve_break: float
    p_crew_reduction: float
    p_lifeboat_break: float
    mean_flights_lost: float
    margins: tuple[MarginDistribution, ...]
    nominal_first_break_day: tuple[int, ...]
    nominal_margin_days: tuple[float, ...]
    nominal_crew_reduction: bool
    nominal_lifeboat_break: bool
    samples: RiskSamples = field(compare=False, repr=False)


def _margin_distribution(name: str, margin: FloatArray) -> MarginDistribution:
    finite = margin[np.isfinite(margin)]
    if finite.size == 0:
        return MarginDistribution(name, (), (), (), int(margin.size))
    counts, edges = np.histogram(finite, bins=HISTOGRAM_BINS)
    values = np.percentile(finite, PERCENTILES)
    return MarginDistribution(
        class_name=name,
        percentiles_days=tuple((p, float(v)) for p, v in zip(PERCENTILES, values, strict=True)),
        bin_edges_days=tuple(float(e) for e in edges),
        counts=tuple(int(n) for n in counts),
        runs_without_demand=int(margin.size - finite.size),
    )


def _chunk_sizes(runs: int, chunk_runs: int) -> list[int]:
    full, rest = divmod(runs, chunk_runs)
    return [chunk_runs] * full + ([rest] if rest else [])


def connect_scheduler(address: str) -> Client:
    """A client of the Dask scheduler at ``address``; ArgumentError (field ``scheduler``)
    when none answers within 10 s."""
    from distributed import Client

    try:
        return Client(address, set_as_default=False, timeout=10)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise ArgumentError(
            Problem(
                REQUEST,
                f"cannot reach a Dask scheduler at {address!r} ({exc.__class__.__name__}); "
                "start one (dask scheduler) or leave --scheduler out to run in this process",
                field="scheduler",
            )
        ) from None


def _run_distributed(
    address: str, a: _Arrays, sizes: list[int], seeds: list[np.random.SeedSequence]
) -> list[_ChunkOutcome]:
    with connect_scheduler(address) as client:
        shared = client.scatter(a, broadcast=True)
        futures = client.map(_run_chunk, [shared] * len(sizes), sizes, seeds, pure=False)
        outcomes: list[_ChunkOutcome] = client.gather(futures)
    return outcomes


def run_risk(
    flights: Sequence[Flight],
    crew: Sequence[CrewMember],
    supply: SupplyDemand,
    vehicles: Mapping[str, VehicleRisk],
    runs: int,
    seed: int,
    scheduler: str | None = None,
    chunk_runs: int = DEFAULT_CHUNK_RUNS,
) -> RiskResult:
    """Monte Carlo of ``runs`` runs of slips and losses of the manifest ``flights``.

    ``vehicles`` maps each flight's vehicle to its loss and slip model (see
    :func:`vehicle_risks`). With ``scheduler`` (a Dask scheduler address) the chunks run on
    that cluster; without, in this process; the same ``seed`` gives the same result.
    """
    if runs < 1 or chunk_runs < 1:
        raise ValueError("runs and chunk_runs must be >= 1")
    a = _prepare(flights, crew, supply, vehicles)
    sizes = _chunk_sizes(runs, chunk_runs)
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    if scheduler is None:
        outcomes = [_run_chunk(a, n, s) for n, s in zip(sizes, seeds, strict=True)]
    else:
        outcomes = _run_distributed(scheduler, a, sizes, seeds)
    samples = RiskSamples(
        first_break_day=np.concatenate([o.first_break_day for o in outcomes]),
        margin_days=np.concatenate([o.margin_days for o in outcomes]),
        crew_reduction=np.concatenate([o.crew_reduction for o in outcomes]),
        lifeboat_break=np.concatenate([o.lifeboat_break for o in outcomes]),
        flights_lost=np.concatenate([o.flights_lost for o in outcomes]),
    )
    broken = samples.first_break_day >= 0
    zero = np.zeros((1, len(flights)))
    nominal = _stock_outcome(a, zero, zero.astype(bool))
    nominal_reduction, nominal_lifeboat = _crew_outcome(a, zero, zero.astype(bool))
    return RiskResult(
        runs=runs,
        seed=seed,
        chunk_runs=chunk_runs,
        class_names=supply.class_names,
        p_reserve_break=tuple(float(p) for p in broken.mean(axis=0)),
        p_any_reserve_break=float(broken.any(axis=1).mean()),
        p_crew_reduction=float(samples.crew_reduction.mean()),
        p_lifeboat_break=float(samples.lifeboat_break.mean()),
        mean_flights_lost=float(samples.flights_lost.mean()),
        margins=tuple(
            _margin_distribution(name, samples.margin_days[:, c])
            for c, name in enumerate(supply.class_names)
        ),
        nominal_first_break_day=tuple(int(d) for d in nominal.first_break_day[0]),
        nominal_margin_days=tuple(float(m) for m in nominal.margin_days[0]),
        nominal_crew_reduction=bool(nominal_reduction[0]),
        nominal_lifeboat_break=bool(nominal_lifeboat[0]),
        samples=samples,
    )


# --------------------------------------------------------------------------- sensitivity


@dataclass(frozen=True)
class SlipSensitivity:
    """First reserve break when one cargo flight slips and every other flight is on time."""

    flight: str
    vehicle: str | None
    slip_days: float
    first_break_day: int | None
    first_break_utc: datetime | None
    class_name: str | None
    nominal_first_break_day: int | None


def slip_sensitivity(
    flights: Sequence[Flight],
    supply: SupplyDemand,
    slip_days: float = SENSITIVITY_SLIP_DAYS,
) -> list[SlipSensitivity]:
    """For each cargo flight, the first day any class breaks its reserve if it slips alone.

    Deterministic (no sampling): one case per cargo flight, that flight docking ``slip_days``
    late. ``first_break_day`` is the earliest break over the classes (None if none);
    ``nominal_first_break_day`` is the same without any slip, for comparison.
    """
    cargo = [i for i, f in enumerate(flights) if f.role == FlightRole.CARGO]
    neutral = {f.vehicle: VehicleRisk(0.0, 0.0, 1.0) for f in flights if f.vehicle}
    a = _prepare(flights, [], supply, neutral)
    slips = np.zeros((len(cargo) + 1, len(flights)))
    slips[np.arange(len(cargo)), cargo] = slip_days
    outcome = _stock_outcome(a, slips, np.zeros(slips.shape, dtype=bool)).first_break_day
    held = np.where(outcome >= 0, outcome, np.iinfo(np.int64).max)
    earliest, which = held.min(axis=1), held.argmin(axis=1)

    def day_of(k: int) -> int | None:
        return None if outcome[k, which[k]] < 0 else int(earliest[k])

    nominal = day_of(len(cargo))
    rows = []
    for k, i in enumerate(cargo):
        day = day_of(k)
        rows.append(
            SlipSensitivity(
                flight=flights[i].flight,
                vehicle=flights[i].vehicle,
                slip_days=slip_days,
                first_break_day=day,
                first_break_utc=None if day is None else supply.start_utc + timedelta(days=day),
                class_name=None if day is None else supply.class_names[int(which[k])],
                nominal_first_break_day=nominal,
            )
        )
    return rows


def summary(result: RiskResult) -> dict[str, Any]:
    """The headline figures as plain data (for JSON)."""
    return {
        "runs": result.runs,
        "seed": result.seed,
        "p_reserve_break": dict(zip(result.class_names, result.p_reserve_break, strict=True)),
        "p_any_reserve_break": result.p_any_reserve_break,
        "p_crew_reduction": result.p_crew_reduction,
        "p_lifeboat_break": result.p_lifeboat_break,
        "mean_flights_lost": result.mean_flights_lost,
        "margin_days_p5_p50_p95": {
            m.class_name: [v for p, v in m.percentiles_days if p in (5.0, 50.0, 95.0)]
            for m in result.margins
        },
    }
