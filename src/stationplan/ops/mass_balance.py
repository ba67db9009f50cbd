"""The daily mass balance of a station's supplies and trash, capacity against demand, gaps.

Stock of class c at the end of day d (day 0 = the plan's start, whole UTC days)::

    stock[c, d] = initial[c] + sum(deliveries[c, 0..d]) - sum(demand[c, 0..d])

A negative stock is demand the deliveries did not meet (kg). The reserve is ``reserve_days``
x that day's demand; the margin is the stock above reserve in days of that day's demand; a
class breaks its reserve on the first day its stock falls below the reserve.

Trash accrues at the crew's daily rate. A departing flight (undocking within the plan) takes
what is on board up to its capacity: a vehicle that returns cargo (``return_kg`` > 0) brings
up to ``return_kg`` home as downmass; one that burns up in re-entry takes trash to destruction
up to the pressurised mass it brought up (the volume its cargo freed, as Progress, Cygnus and
HTV are loaded for disposal). The pass over the departures is a running balance, not a search,
so it is written out rather than posed to a solver.

Comparisons allow one gram (``TOLERANCE_KG``): the allocation's linear program meets its
constraints to the solver's tolerance, not exactly.

Periods are calendar months (``"2030-01"``) or quarters (``"2030-Q1"``) of the days' UTC dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, Field

from stationplan.ops.flights import Flight
from stationplan.ops.logistics import day_of, docking_flights, flight_capacity_kg
from stationplan.ops.supply import CARRIERS, UPMASS_CLASSES, Carrier, SupplyClass, carrier_matrix

Period = Literal["month", "quarter"]

TOLERANCE_KG = 1e-3
"""Masses closer than this (kg) are equal: a stock this little below its reserve keeps it."""


class ClassBalance(BaseModel):
    """Summary of one class of supply over the plan."""

    supply_class: SupplyClass
    first_breach_day: int | None = Field(
        description="First day the stock is below its reserve (day 0 = start); None if never."
    )
    min_margin_days: float = Field(
        description="Smallest stock above reserve, in days of that day's demand (inf if none)."
    )
    unmet_kg: float = Field(description="Demand the deliveries did not meet by the end (kg).")
    end_stock_kg: float = Field(description="Stock at the end of the last day (kg).")


@dataclass(frozen=True)
class MassBalance:
    """Daily stock per upmass class; arrays are (C, D) in ``UPMASS_CLASSES`` order."""

    stock_kg: NDArray[np.float64]
    reserve_kg: NDArray[np.float64]
    demand_kg: NDArray[np.float64]
    deliveries_kg: NDArray[np.float64]

    @property
    def margin_days(self) -> NDArray[np.float64]:
        """Stock above reserve in days of that day's demand (+inf where nothing is demanded)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            margin = (self.stock_kg - self.reserve_kg) / self.demand_kg
        out: NDArray[np.float64] = np.where(self.demand_kg > 0, margin, np.inf)
        return out

    @property
    def below_reserve_kg(self) -> NDArray[np.float64]:
        """How far the stock is below its reserve each day (kg, 0 when at or above)."""
        out: NDArray[np.float64] = np.maximum(self.reserve_kg - self.stock_kg, 0.0)
        return out

    def first_breach_day(self) -> list[int | None]:
        """Per class, the first day the stock is below its reserve (None if never)."""
        below = self.stock_kg < self.reserve_kg - TOLERANCE_KG
        return [int(np.argmax(row)) if row.any() else None for row in below]

    def summaries(self) -> list[ClassBalance]:
        """One :class:`ClassBalance` per upmass class."""
        breach = self.first_breach_day()
        margin = self.margin_days
        return [
            ClassBalance(
                supply_class=c,
                first_breach_day=breach[i],
                min_margin_days=float(margin[i].min()) if margin.shape[1] else float("inf"),
                unmet_kg=float(max(-self.stock_kg[i, -1], 0.0)) if margin.shape[1] else 0.0,
                end_stock_kg=float(self.stock_kg[i, -1]) if margin.shape[1] else 0.0,
            )
            for i, c in enumerate(UPMASS_CLASSES)
        ]


def mass_balance(
    demand_kg_per_day: ArrayLike,
    deliveries_kg: ArrayLike,
    initial_stock_kg: ArrayLike,
    reserve_days: float,
) -> MassBalance:
    """The daily stock of each class from its demand, deliveries and initial stock (above)."""
    demand = np.asarray(demand_kg_per_day, dtype=float)
    delivered = np.asarray(deliveries_kg, dtype=float)
    if delivered.shape != demand.shape:
        raise ValueError(f"deliveries {delivered.shape} and demand {demand.shape} differ")
    initial = np.broadcast_to(np.asarray(initial_stock_kg, dtype=float), demand.shape[:1])
    stock = initial[:, None] + np.cumsum(delivered - demand, axis=1)
    return MassBalance(
        stock_kg=stock,
        reserve_kg=reserve_days * demand,
        demand_kg=demand,
        deliveries_kg=delivered,
    )


# --------------------------------------------------------------------------- trash


class TrashRemoval(BaseModel):
    """Trash a departing flight takes away."""

    flight: str = Field(description="Flight label.")
    undocking_day: int = Field(description="Day of the plan the flight undocks.")
    destroyed_kg: float = Field(description="Trash burnt up with the vehicle in re-entry (kg).")
    returned_kg: float = Field(description="Trash brought back to Earth as downmass (kg).")


@dataclass(frozen=True)
class TrashBalance:
    """Trash on board at the end of each day (D,) and what each departure took."""

    on_board_kg: NDArray[np.float64]
    removals: list[TrashRemoval]


def trash_disposal_kg(flight: Flight) -> tuple[float, float]:
    """(kg it can take to destruction, kg it can return to Earth) when it departs."""
    if flight.return_kg > 0:
        return 0.0, flight.return_kg
    return flight.pressurized_kg, 0.0


def trash_balance(
    flights: Sequence[Flight],
    trash_kg_per_day: ArrayLike,
    start_utc: datetime,
    initial_trash_kg: float = 0.0,
) -> TrashBalance:
    """Trash on board per day: produced daily, removed by departing flights (method above).

    A flight undocking on day d takes the trash on board at the end of day d.
    """
    produced = np.atleast_1d(np.asarray(trash_kg_per_day, dtype=float))
    n_days = produced.size
    departures = sorted(
        (
            (day_of(f.undocking_utc, start_utc), f.undocking_utc, f)
            for f in flights
            if f.undocking_utc is not None
        ),
        key=lambda t: (t[0], t[1]),
    )
    removed = np.zeros(n_days)
    removals: list[TrashRemoval] = []
    accrued = initial_trash_kg + np.cumsum(produced)
    for d, _, f in departures:
        if not 0 <= d < n_days:
            continue
        on_board = float(accrued[d] - removed[: d + 1].sum())
        burn_cap, return_cap = trash_disposal_kg(f)
        destroyed = min(on_board, burn_cap)
        returned = min(on_board - destroyed, return_cap)
        removed[d] += destroyed + returned
        removals.append(
            TrashRemoval(
                flight=f.flight, undocking_day=d, destroyed_kg=destroyed, returned_kg=returned
            )
        )
    return TrashBalance(on_board_kg=accrued - np.cumsum(removed), removals=removals)


# --------------------------------------------------------------------------- periods


def period_labels(start_utc: datetime, days: int, period: Period) -> NDArray[np.str_]:
    """(D,) label of the month (``"2030-01"``) or quarter (``"2030-Q1"``) of each day."""
    dates = np.datetime64(start_utc.date(), "D") + np.arange(days)
    months = dates.astype("datetime64[M]").astype(int)  # months since 1970-01
    years = 1970 + months // 12
    if period == "month":
        labels = [f"{y}-{m + 1:02d}" for y, m in zip(years, months % 12, strict=True)]
    else:
        labels = [f"{y}-Q{m // 3 + 1}" for y, m in zip(years, months % 12, strict=True)]
    return np.array(labels)


class CarrierPeriod(BaseModel):
    """What the flights of a period can carry in one carrier against what is demanded."""

    period: str = Field(description="Month 'YYYY-MM' or quarter 'YYYY-Qn'.")
    carrier: Carrier
    capacity_kg: float = Field(description="Capacity of the flights docking in the period (kg).")
    demand_kg: float = Field(description="Demand of the classes riding this carrier (kg).")


def capacity_vs_demand(
    flights: Sequence[Flight],
    demand_kg_per_day: ArrayLike,
    start_utc: datetime,
    period: Period = "quarter",
) -> list[CarrierPeriod]:
    """Capacity of the docking flights against demand, per period and carrier."""
    demand = np.asarray(demand_kg_per_day, dtype=float)
    n_days = demand.shape[1]
    labels = period_labels(start_utc, n_days, period)
    names, inverse = np.unique(labels, return_inverse=True)
    per_carrier = carrier_matrix() @ demand  # (K, D)
    demand_p = np.zeros((len(CARRIERS), names.size))
    np.add.at(demand_p.T, inverse, per_carrier.T)
    cap_p = np.zeros((len(CARRIERS), names.size))
    for d, f in docking_flights(flights, start_utc, n_days):
        cap_p[:, inverse[d]] += flight_capacity_kg(f)
    return [
        CarrierPeriod(
            period=str(name), carrier=k, capacity_kg=float(cap_p[i, j]), demand_kg=demand_p[i, j]
        )
        for j, name in enumerate(names)
        for i, k in enumerate(CARRIERS)
    ]


class Gap(BaseModel):
    """A period in which the stock of a class falls below its reserve."""

    period: str = Field(description="Month 'YYYY-MM' or quarter 'YYYY-Qn'.")
    supply_class: SupplyClass
    kg: float = Field(
        description="The deepest shortfall below reserve on any day of the period (kg): the "
        "mass that should have been aboard by that day and was not."
    )


def gap_report(balance: MassBalance, start_utc: datetime, period: Period = "quarter") -> list[Gap]:
    """Per period and class, the deepest shortfall below reserve on any day of the period (kg).

    Every period in which the stock of a class is below its reserve on some day is listed, a
    dip that a later flight of the same period makes good included; a shortfall that lasts
    several periods is listed in each (the same kilograms, not new ones, so the periods' figures
    do not add up).
    """
    below = balance.below_reserve_kg
    n_days = below.shape[1]
    labels = period_labels(start_utc, n_days, period)
    ends = np.flatnonzero(np.append(labels[1:] != labels[:-1], True))  # last day of each
    starts = np.concatenate(([0], ends[:-1] + 1))
    deepest = np.maximum.reduceat(below, starts, axis=1)
    return [
        Gap(period=str(labels[ends[j]]), supply_class=c, kg=float(deepest[i, j]))
        for j in range(ends.size)
        for i, c in enumerate(UPMASS_CLASSES)
        if deepest[i, j] > TOLERANCE_KG
    ]
