"""Cargo allocation: how many kg of each class of supply each flight carries, by linear program.

Days are whole UTC days from the plan's start (day 0); a flight's cargo counts from the day it
docks. The stock of class c at the end of day d is

    stock[c, d] = initial[c] + (kg of c on flights docked by day d) - (demand of c, days 0..d)

and its reserve is ``reserve_days`` x that day's demand of c.

The allocation is a two-stage (lexicographic) linear program solved with HiGHS through
``scipy.optimize.linprog(method="highs")``:

1. minimise the shortfall below reserve summed over classes and days, each class's shortfall
   in days of its mean demand (kg / (kg/day)), so that a small class counts as much as a
   large one: the stock stays above reserve as long as the capacity allows;
2. with that shortfall held at its optimum, maximise the days of supply carried (kg in days
   of mean demand), each weighted by how early it arrives (days left in the plan after the
   docking) and by how soon its class runs out, 1 / (1 + days the initial stock lasts
   without deliveries): where stage 1 leaves a choice, what runs out first goes on the
   earliest flight, and no capacity stays idle that a class still needs.

Each flight's classes share the capacity of their carrier (:mod:`stationplan.ops.supply`);
no class is delivered beyond what it needs through the end of the plan (its demand plus the
last day's reserve, less the initial stock). Cumulative-delivery variables keep the matrix
sparse (two entries per day and class instead of one per flight).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, Field
from scipy import sparse
from scipy.optimize import linprog

from stationplan.ops.flights import Flight
from stationplan.ops.supply import CARRIERS, UPMASS_CLASSES, Carrier, SupplyClass, carrier_matrix

_DAY = timedelta(days=1)


class FlightAllocation(BaseModel):
    """What one docking flight carries up, per class of supply."""

    flight: str = Field(description="Flight label.")
    docking_utc: datetime = Field(description="Docking time (UTC); the cargo counts that day.")
    docking_day: int = Field(description="Day of the plan the flight docks (day 0 = start).")
    kg_by_class: dict[SupplyClass, float] = Field(description="Mass carried per class (kg).")
    unused_kg_by_carrier: dict[Carrier, float] = Field(
        description="Capacity left unused per carrier (kg)."
    )


def day_of(when: datetime, start_utc: datetime) -> int:
    """Whole UTC days from ``start_utc`` to ``when`` (floor)."""
    return int((when - start_utc) // _DAY)


def flight_capacity_kg(flight: Flight) -> NDArray[np.float64]:
    """(K,) capacity of a flight per carrier, in ``CARRIERS`` order (kg)."""
    by_carrier = {
        Carrier.PRESSURIZED: flight.pressurized_kg,
        Carrier.UNPRESSURIZED: flight.unpressurized_kg,
        Carrier.PROPELLANT: flight.propellant_kg,
    }
    return np.array([by_carrier[k] for k in CARRIERS], dtype=float)


def docking_flights(
    flights: Sequence[Flight], start_utc: datetime, days: int
) -> list[tuple[int, Flight]]:
    """Flights that dock within the plan's days, as (docking day, flight), in docking order."""
    out = []
    for f in flights:
        if f.docking_utc is None:
            continue
        d = day_of(f.docking_utc, start_utc)
        if 0 <= d < days:
            out.append((d, f))
    out.sort(key=lambda pair: (pair[0], pair[1].docking_utc))
    return out


def _solve(
    c: NDArray[np.float64],
    a_ub: sparse.csr_array,
    b_ub: NDArray[np.float64],
    a_eq: sparse.csr_array,
) -> NDArray[np.float64]:
    result = linprog(
        c,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=np.zeros(a_eq.shape[0]),
        bounds=(0.0, None),
        method="highs",
    )
    if result.status != 0:  # the problem is feasible by construction (x = 0, s large)
        raise RuntimeError(f"cargo allocation LP failed: {result.message}")
    x: NDArray[np.float64] = np.asarray(result.x, dtype=float)
    return x


def allocate_cargo(
    flights: Sequence[Flight],
    demand_kg_per_day: ArrayLike,
    start_utc: datetime,
    initial_stock_kg: ArrayLike,
    reserve_days: float,
) -> list[FlightAllocation]:
    """Allocate each docking flight's capacity to the classes of supply (method above).

    ``demand_kg_per_day`` is the (C, D) demand of :func:`stationplan.ops.supply.daily_demand`,
    ``initial_stock_kg`` the (C,) stock on board at the start of day 0. Flights that do not
    dock within the D days carry nothing and are not listed.
    """
    demand = np.asarray(demand_kg_per_day, dtype=float)
    n_cls, n_days = demand.shape
    initial = np.broadcast_to(np.asarray(initial_stock_kg, dtype=float), (n_cls,))
    docked = docking_flights(flights, start_utc, n_days)
    n_fl = len(docked)
    if n_fl == 0:
        return []
    cum_demand = np.cumsum(demand, axis=1)
    reserve = reserve_days * demand
    mean_demand = demand.mean(axis=1)
    weight = np.where(mean_demand > 0, 1.0 / np.where(mean_demand > 0, mean_demand, 1.0), 1.0)
    # the most ever needed on hand: consumed so far plus the reserve that day (a station
    # whose crew leaves before the end still keeps the reserve until they leave)
    need = np.maximum(0.0, (cum_demand + reserve).max(axis=1) - initial)

    # Variables: x[f, c] (F*C), y[f, c] cumulative through flight f (F*C), s[c, d] (C*D).
    nx = n_fl * n_cls
    ix = np.arange(nx).reshape(n_fl, n_cls)
    iy = nx + ix
    i_s = 2 * nx + np.arange(n_cls * n_days).reshape(n_cls, n_days)
    n_var = 2 * nx + n_cls * n_days
    fl_day = np.array([d for d, _ in docked])
    fl_cap = np.array([flight_capacity_kg(f) for _, f in docked])  # (F, K)
    carriers = carrier_matrix()  # (K, C)

    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    vals: list[NDArray[np.float64]] = []
    rhs: list[NDArray[np.float64]] = []
    n_row = 0

    def add(r: NDArray[np.int64], cc: NDArray[np.int64], v: ArrayLike, b: ArrayLike) -> None:
        nonlocal n_row
        rows.append(r + n_row)
        cols.append(cc)
        vals.append(np.broadcast_to(np.asarray(v, dtype=float), r.shape).copy())
        b_arr = np.atleast_1d(np.asarray(b, dtype=float))
        rhs.append(b_arr)
        n_row += b_arr.size

    # Carrier capacity: sum_c A[k, c] x[f, c] <= cap[f, k].
    f_idx, k_idx, c_idx = np.nonzero(np.broadcast_to(carriers, (n_fl, *carriers.shape)))
    add(f_idx * len(CARRIERS) + k_idx, ix[f_idx, c_idx], 1.0, fl_cap.ravel())
    # Shortfall: -y[last flight docked by d, c] - s[c, d] <= initial - cum_demand - reserve.
    last = np.searchsorted(fl_day, np.arange(n_days), side="right") - 1  # (D,)
    cd = np.arange(n_cls * n_days)
    cls_of, day_of_row = np.divmod(cd, n_days)
    b_short = (initial[:, None] - cum_demand - reserve).ravel()
    with_y = last[day_of_row] >= 0
    r = np.concatenate([cd, cd[with_y]])
    cc = np.concatenate([i_s.ravel(), iy[last[day_of_row[with_y]], cls_of[with_y]]])
    add(r, cc, -1.0, b_short)
    # No class beyond its need through the plan: y[F-1, c] <= need[c].
    add(np.arange(n_cls), iy[-1], 1.0, need)

    a_ub = sparse.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_row, n_var),
    )
    b_ub = np.concatenate(rhs)
    # Cumulative deliveries: y[f, c] - y[f-1, c] - x[f, c] = 0.
    eq = np.arange(nx)
    later = eq[n_cls:]
    a_eq = sparse.csr_array(
        (
            np.concatenate([np.ones(nx), -np.ones(nx), -np.ones(later.size)]),
            (
                np.concatenate([eq, eq, later]),
                np.concatenate([iy.ravel(), ix.ravel(), later + nx - n_cls]),
            ),
        ),
        shape=(nx, n_var),
    )

    # Stage 1: least shortfall (days of mean demand, summed over days).
    c1 = np.zeros(n_var)
    c1[i_s] = np.broadcast_to(weight[:, None], (n_cls, n_days))
    sol1 = _solve(c1, a_ub, b_ub, a_eq)
    best = float(c1 @ sol1)
    # Stage 2: shortfall held at its optimum, the most supply-days delivered, earliest first.
    c2 = np.zeros(n_var)
    run_out_day = (
        np.maximum(initial, 0.0) * weight
    )  # days the initial stock lasts without deliveries
    urgency = weight / (1.0 + run_out_day)
    c2[ix] = -urgency[None, :] * (n_days - fl_day)[:, None]
    a2 = sparse.vstack([a_ub, sparse.csr_array(c1[None, :])], format="csr")
    b2 = np.concatenate([b_ub, [best * (1.0 + 1e-9) + 1e-6]])
    sol = _solve(c2, a2, b2, a_eq)

    kg = np.maximum(sol[ix], 0.0)  # (F, C)
    used = kg @ carriers.T  # (F, K)
    return [
        FlightAllocation(
            flight=f.flight,
            docking_utc=f.docking_utc,
            docking_day=d,
            kg_by_class={c: float(kg[i, j]) for j, c in enumerate(UPMASS_CLASSES)},
            unused_kg_by_carrier={
                k: float(max(fl_cap[i, m] - used[i, m], 0.0)) for m, k in enumerate(CARRIERS)
            },
        )
        for i, (d, f) in enumerate(docked)
        if f.docking_utc is not None
    ]


def deliveries_kg(allocations: Sequence[FlightAllocation], days: int) -> NDArray[np.float64]:
    """(C, D) kg delivered per class on each day (all of a flight's cargo on its docking day)."""
    out = np.zeros((len(UPMASS_CLASSES), days))
    for a in allocations:
        if 0 <= a.docking_day < days:
            out[:, a.docking_day] += [a.kg_by_class.get(c, 0.0) for c in UPMASS_CLASSES]
    return out
