"""Lower bounds on the cost of a manifest's cargo flights, for its optimality gap.

CP-SAT's own bound on the cargo stage is weak: its linear relaxation of the stock tables (an
element constraint per flight) says almost nothing about how many flights the stock needs. Two
relaxations that are solved exactly by HiGHS give a bound that holds for every manifest the
CP-SAT model allows:

* :func:`total_cargo_bound`, the linear programme over the whole span: enough capacity per
  carrier for the total demand, each vehicle within its yearly rate;
* :func:`monthly_cargo_bound`, the integer programme by calendar month for all stations at
  once: n flights of each vehicle to each station launched in each month, integer, only in
  months with a launch window to that station, within the vehicle's yearly rate shared by the
  stations and less the crew flights already placed; and the stock, month by month.

Why the monthly stock constraint holds for every manifest: the CP-SAT model requires, before
each cargo arrival f, that the initial stock plus the cargo of the flights launched before f
covers the need (demand so far plus reserve, as a running maximum) on f's docking day, and at
the end, the need over the whole span. Take any month m and the first flight f launched after
it: the flights before f were launched in months up to m, and f docks after m ends, where the
need is at least the need on the day after m. With no flight launched after m, the end
constraint covers the same need. So in every month m::

    initial_c + sum over months p <= m, vehicles v of capacity_vc n_vp >= need_c(end of m + 1)

Windows, ports and docking durations are left out, so the bound is never above the optimum;
the gap it gives is conservative.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from stationplan.orbit.arrays import Array
from stationplan.scenario.models import Vehicle

MILP_TIME_LIMIT_S = 10.0
"""Longest the monthly integer programme may take; past it, HiGHS's dual bound is used."""


def cost_units(vehicle: Vehicle) -> int:
    """A vehicle's cost per flight in the manifest objective's units (0.1 MUSD)."""
    return round(vehicle.cost_per_flight_musd * 10)


def need_kg(demand_kg_per_day: Array, reserve_kg: Array, horizon: int) -> Array:
    """What must have been delivered, with the initial stock, by each day of the grid (kg): the
    demand before the day plus the day's reserve, as a running maximum (a reserve that falls
    later does not lower an earlier need); days ``horizon - 1`` .. ``horizon + 4`` repeat the
    last. The same need as the CP-SAT model's stock tables (before their weekly buckets)."""
    demand = np.asarray(demand_kg_per_day, float)[:horizon]
    reserve = np.asarray(reserve_kg, float)[:horizon]
    cum = np.concatenate([[0.0], np.cumsum(demand)])
    last = horizon - 1
    idx = np.minimum(np.arange(last + 6), last)
    out: Array = np.maximum.accumulate(cum[idx] + reserve[idx])
    return out


def end_need_kg(demand_kg_per_day: Array, reserve_kg: Array, horizon: int) -> float:
    """What must have been delivered, with the initial stock, by the end of the span (kg): the
    whole demand plus the last day's reserve, and never less than any earlier need."""
    demand = np.asarray(demand_kg_per_day, float)[:horizon]
    reserve = np.asarray(reserve_kg, float)[:horizon]
    return max(
        float(demand.sum() + reserve[horizon - 1]),
        float(need_kg(demand, reserve, horizon).max()),
    )


def total_cargo_bound(
    vehicles: Sequence[Vehicle],
    capacity_kg: Mapping[str, Mapping[str, float]],
    need_total_kg: Mapping[str, float],
    years: float,
) -> float:
    """A lower bound on the cargo flights' cost (0.1 MUSD): the linear programme
    min sum(cost_v n_v) with sum_v cap_vc n_v >= need_c per carrier and
    0 <= n_v <= rate_v x years, by HiGHS."""
    carriers = list(need_total_kg)
    if not vehicles or not any(v > 0 for v in need_total_kg.values()):
        return 0.0
    cost = [cost_units(v) for v in vehicles]
    a_ub = [[-capacity_kg[v.name][c] for v in vehicles] for c in carriers]
    b_ub = [-need_total_kg[c] for c in carriers]
    bounds = [(0.0, v.max_flights_per_year * years) for v in vehicles]
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    return float(result.fun) if result.status == 0 else 0.0


@dataclass(frozen=True)
class StationCargo:
    """One station's side of the monthly bound: its cargo vehicles' launch days (grid days
    with a window, within the partner's membership), the initial stock and the need per
    carrier (:func:`need_kg`), and the need at the end of the span."""

    station: str
    launch_days: Mapping[str, Sequence[int]]
    initial_kg: Mapping[str, float]
    need_kg: Mapping[str, Array]
    end_need_kg: Mapping[str, float]


def _month(when: datetime) -> int:
    """Months since year 0 (year x 12 + month - 1): consecutive months are consecutive keys."""
    return when.year * 12 + when.month - 1


def monthly_cargo_bound(
    stations: Sequence[StationCargo],
    vehicles: Sequence[Vehicle],
    capacity_kg: Mapping[str, Mapping[str, float]],
    origin: datetime,
    flights_used: Mapping[tuple[str, int], int],
    time_limit_s: float = MILP_TIME_LIMIT_S,
) -> float:
    """A lower bound on the cost of all stations' cargo flights (0.1 MUSD): the integer
    programme of the module docstring, solved by HiGHS (``scipy.optimize.milp``).

    ``origin`` is day 0 of the grid; ``flights_used`` the flights of each (vehicle, calendar
    year) already placed (they count against the yearly rate). Returns 0 when the programme
    has no solution (the CP-SAT model then has none either, and says why)."""
    cols = sorted(
        {
            (s, v.name, _month(origin + timedelta(days=d)))
            for s, st in enumerate(stations)
            for v in vehicles
            for d in st.launch_days.get(v.name, ())
        }
    )
    if not cols:
        return 0.0
    by_name = {v.name: v for v in vehicles}
    col_station = np.array([s for s, _, _ in cols])
    col_vehicle = np.array([name for _, name, _ in cols])
    col_month = np.array([k for _, _, k in cols])
    rows: list[Array] = []
    lower: list[float] = []
    upper: list[float] = []
    # stock, per station, carrier and month: the flights launched up to the month cover the
    # need on the day after it
    for s, st in enumerate(stations):
        mine = col_station == s
        for c, need in st.need_kg.items():
            if need.size == 0 or need[-1] <= st.initial_kg[c]:
                continue
            cap = np.where(mine, [capacity_kg[name][c] for name in col_vehicle], 0.0)
            for key in range(int(col_month.min()), int(col_month.max()) + 1):
                year, month = divmod(key + 1, 12)  # the month after ``key``
                after = datetime(year, month + 1, 1, tzinfo=origin.tzinfo)
                day = min((after - origin).days, need.size - 1)
                rows.append(np.where(col_month <= key, cap, 0.0))
                lower.append(float(need[day]) - st.initial_kg[c])
                upper.append(np.inf)
            rows.append(cap)
            lower.append(st.end_need_kg[c] - st.initial_kg[c])
            upper.append(np.inf)
    # yearly rate of each vehicle, shared by the stations, less the flights already placed
    for name, year in sorted({(name, k // 12) for _, name, k in cols}):
        rows.append(((col_vehicle == name) & (col_month // 12 == year)).astype(float))
        lower.append(-np.inf)
        used = flights_used.get((name, year), 0)
        upper.append(max(0.0, math.floor(by_name[name].max_flights_per_year) - used))
    n = len(cols)
    cost = np.array([cost_units(by_name[name]) for _, name, _ in cols], dtype=float)
    res = milp(
        cost,
        constraints=LinearConstraint(np.array(rows), lower, upper),
        integrality=np.ones(n),
        bounds=Bounds(0.0, np.inf),
        options={"time_limit": time_limit_s},
    )
    if res.status == 0:
        return float(res.fun)
    dual = getattr(res, "mip_dual_bound", None)
    if res.status == 1 and dual is not None and np.isfinite(dual):  # time limit
        return float(dual)
    return 0.0
