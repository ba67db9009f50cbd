"""Electrical power of a station day by day: what its arrays give in an orbit, how its
batteries carry the eclipse, the daily energy margin and the runs of days in deficit.

Orbits within a day are alike (beta moves by a few degrees a day, the altitude by metres), so
each day is one representative orbit flown ``86400 / P`` times. Everything is vectorised over
days; only the few altitude groups, modules and deficit runs are looped over.

* Eclipse: the shadow fraction ``f_e`` of a circular orbit from the day's beta angle and mean
  altitude, cylindrical shadow (:func:`stationplan.orbit.plane.sunlit_fraction`; Vallado,
  *Fundamentals of Astrodynamics and Applications*, 4th ed. 2013, sec. 5.3); the period ``P``
  from the altitude (:func:`stationplan.orbit.twobody.period_s`). Sunlight lasts
  ``t_s = (1 - f_e) P``, shadow ``t_e = f_e P``. The beta angle and altitude are the orbit
  layer's (:mod:`stationplan.ops.station_orbit`, :mod:`stationplan.ops.lifetime`): this module
  takes them as inputs and derives neither.
* Arrays: ``G`` (kW in sunlight) is the sum over the modules launched by that day of
  ``power_generation_kw * max(0, 1 - array_degradation_pct_per_year / 100 * years)``, years
  counted from the module's launch (from the first day for an element already in orbit: its
  rated power is taken as its power then). Arrays with an alpha joint and beta gimbals, as on
  the ISS (Delleur & Propp, NASA/TM-2003-212012, 2003), keep the Sun normal to the cells: no
  loss with beta. Alpha-only tracking multiplies ``G`` by ``cos(beta)``.
* Loads: ``L`` (kW) is the build-up's cumulative ``power_load_kw``
  (:class:`stationplan.ops.assembly.StationBuild`) plus ``crew_power_load_kw_per_person`` for
  each crew member aboard.
* Energy balance of an orbit, after Wertz & Larson, *Space Mission Analysis and Design*, 3rd
  ed. 1999, sec. 11.4, eq. 11-5: in sunlight the arrays feed the loads through the path
  efficiency ``X_d`` (``power_distribution_efficiency``) and charge the batteries with what is
  left, ``S = max(G - L / X_d, 0)``; in shadow the batteries feed the loads through
  ``X_e = eta_c eta_d X_d``. The energy the loads can get in one orbit is
  ``min(G X_d, L) t_s + S t_s X_e``, they use ``L P``; the difference is the orbit's margin
  (kWh at the loads), zero exactly when ``G t_s = L t_s / X_d + L t_e / X_e``, SMAD's sizing
  equation. The daily margin is the orbit margin times the orbits in the day; it differs from
  generation minus load by the path losses.
* Batteries: per orbit they gain ``c = S t_s eta_c`` in sunlight (or lose
  ``(L - G X_d) t_s / (eta_d X_d)`` when the arrays cannot carry the load) and give
  ``e = L t_e / (eta_d X_d)`` in shadow; ``c - e`` is the orbit margin over ``eta_d X_d``.
  Charge beyond full is shunted; the depth of discharge never passes ``1 -
  battery_min_soc_fraction`` of the capacity (loads are shed there, and the day is flagged).
  The capacity is the sum of the launched modules' batteries (a module without a
  ``battery_capacity_kwh`` gets :data:`BATTERY_KWH_PER_ARRAY_KW` per kW of its arrays); a
  battery arrives full. The batteries are full on the first day.

State of charge across days, exactly and without a loop over orbits: the depth below full at
the end of an orbit's shadow, ``D``, follows ``D' = min(max(D - c, 0) + e, D_max)``. Over the
``n`` orbits of a day this map iterates to a clamp ``x -> min(max(x + a, lo), hi)`` (closed
form below), a clamp of a clamp is a clamp, and the composition is associative, so the depth
at the start of every day is a prefix scan of the days' clamps (Hillis & Steele, "Data
parallel algorithms", CACM 29(12), 1986: log2(days) vectorised passes). A monotone map's
iterates are monotone, so the deepest point of a day is after its first or its last orbit.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field

from stationplan.errors import ArgumentError, Problem
from stationplan.ops.assembly import StationBuild
from stationplan.orbit import plane, twobody
from stationplan.orbit.arrays import Array
from stationplan.orbit.timescale import DAY_S
from stationplan.scenario.models import Module, Station

BATTERY_KWH_PER_ARRAY_KW = 192.0 / 256.0
"""Battery energy per kW of array power (kWh/kW) of a module that does not state its own: the
ISS's 48 Ni-H2 battery ORUs of 4 kWh nominal each (Dalton, Cohen & Hajela, "International
Space Station Nickel-Hydrogen Battery Startup and Initial Performance", NASA, 2002) for its
eight wings of 32 kW (NASA Glenn Research Center, "Solar Array Deployment", 2006)."""

ALTITUDE_GROUP_KM = 0.1
"""Altitudes are grouped to this step for the shadow fraction (the orbit layer's function takes
one altitude per call). At 400 km and beta 0 the fraction moves 1.3e-4 per km
(d/dh asin(R/(R+h)) / pi), so the grouping moves it by under 1e-5."""

JULIAN_YEAR_S = 365.25 * DAY_S
"""The Julian year (IAU), the unit of the degradation rate."""

SOURCE = "power_budget"


class PowerDeficit(BaseModel):
    """A run of consecutive days whose orbits end with less energy than they used."""

    first_day_utc: datetime = Field(description="First day of the run (UTC).")
    last_day_utc: datetime = Field(description="Last day of the run (UTC).")
    days: int = Field(description="Days in the run.")
    orbits: int = Field(description="Orbits in the run, each with a negative balance.")
    worst_day_utc: datetime = Field(description="Day of the most negative orbit balance.")
    worst_margin_kwh_per_orbit: float = Field(
        description="Most negative orbit balance of the run (kWh at the loads, < 0)."
    )
    deficit_kwh: float = Field(description="Sum of the run's daily margins (kWh, < 0).")
    min_soc_fraction: float = Field(description="Lowest battery state of charge in the run.")


class PowerBudget(BaseModel):
    """One station's electrical power, day by day (every list has one entry a day)."""

    station: str
    battery_min_soc_fraction: float = Field(description="The floor the batteries are held at.")
    days_utc: list[datetime]
    beta_deg: list[float] = Field(description="Sun's elevation above the orbit plane (deg).")
    eclipse_fraction: list[float] = Field(description="Fraction of an orbit in shadow.")
    orbits_per_day: list[float] = Field(description="86400 s over the orbit period.")
    array_kw: list[float] = Field(description="Array power in sunlight, degraded (kW).")
    load_kw: list[float] = Field(description="Modules' load plus the crew's (kW).")
    battery_capacity_kwh: list[float] = Field(description="Energy of full batteries (kWh).")
    generation_kwh: list[float] = Field(description="Array energy of the day (kWh).")
    load_kwh: list[float] = Field(description="Energy the loads use in the day (kWh).")
    margin_kwh: list[float] = Field(
        description="Orbits per day x (energy the loads can get - energy they use) (kWh)."
    )
    min_soc_fraction: list[float] = Field(
        description="Lowest battery state of charge of the day (0 without batteries)."
    )
    soc_floor_reached: list[bool] = Field(
        description="The batteries reach battery_min_soc_fraction that day: loads are shed."
    )
    deficits: list[PowerDeficit] = Field(description="Runs of days with negative margins.")


def _as_daily(name: str, values: object, n: int) -> Array:
    out = np.asarray(values, dtype=float)
    if out.shape != (n,):
        raise ArgumentError(
            Problem(SOURCE, f"expected one value a day ({n}), got shape {out.shape}", field=name)
        )
    if not np.all(np.isfinite(out)):
        raise ArgumentError(Problem(SOURCE, "values must be finite", field=name))
    return out


def _seconds(when: datetime | None, first_s: float) -> float:
    return first_s if when is None else when.timestamp()


def eclipse_fraction(beta_deg: Array, altitude_km: Array) -> Array:
    """Fraction of each day's circular orbit in shadow, (N,), from
    :func:`stationplan.orbit.plane.sunlit_fraction` with the altitudes grouped to
    :data:`ALTITUDE_GROUP_KM`. At beta 0 and 400 km: asin(R / (R + h)) / pi = 0.3901.

    >>> round(float(eclipse_fraction(np.array([0.0]), np.array([400.0]))[0]), 4)
    0.3901
    """
    key = np.rint(altitude_km / ALTITUDE_GROUP_KM).astype(np.int64)
    groups, inverse = np.unique(key, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    stops = np.cumsum(np.bincount(inverse, minlength=groups.size))
    out = np.empty_like(beta_deg)
    start = 0
    for group, stop in zip(groups.tolist(), stops.tolist(), strict=True):
        rows = order[start:stop]
        out[rows] = 1.0 - plane.sunlit_fraction(beta_deg[rows], group * ALTITUDE_GROUP_KM)
        start = stop
    return out


def _array_kw(modules: list[Module], day_s: Array, first_s: float) -> tuple[Array, Array]:
    """Degraded array power in sunlight (kW) and battery capacity (kWh) of the launched
    modules on each day."""
    array_kw = np.zeros_like(day_s)
    battery_kwh = np.zeros_like(day_s)
    for m in modules:
        launch_s = _seconds(m.launch_utc, first_s)
        aboard = day_s >= launch_s if m.launch_utc is not None else np.ones(day_s.size, bool)
        years = np.maximum(day_s - launch_s, 0.0) / JULIAN_YEAR_S
        left = np.maximum(1.0 - m.array_degradation_pct_per_year / 100.0 * years, 0.0)
        array_kw += np.where(aboard, m.power_generation_kw * left, 0.0)
        capacity = m.battery_capacity_kwh
        if capacity is None:
            capacity = BATTERY_KWH_PER_ARRAY_KW * m.power_generation_kw
        battery_kwh += np.where(aboard, capacity, 0.0)
    return array_kw, battery_kwh


def _module_load_kw(build: StationBuild, day_s: Array, first_s: float) -> Array:
    """The build-up's cumulative ``power_load_kw`` in force on each day (the vectorised
    :func:`stationplan.ops.assembly.configuration_at`)."""
    launch_s = np.array([_seconds(s.launch_utc, -np.inf) for s in build.steps], dtype=float)
    cumulative = np.concatenate([[0.0], [s.power_load_kw for s in build.steps]])
    return np.asarray(cumulative[np.searchsorted(launch_s, day_s, side="right")], dtype=float)


def _clamp_prefix(a: Array, lo: Array, hi: Array) -> Array:
    """``P_k(0)`` for every k, where ``P_k = g_k o ... o g_0`` and ``g_i(x) = min(max(x + a_i,
    lo_i), hi_i)`` with ``lo_i <= hi_i``: a Hillis-Steele inclusive scan. ``g2 o g1`` is the
    clamp ``(a1 + a2, clip(lo1 + a2, lo2, hi2), clip(hi1 + a2, lo2, hi2))``.

    >>> _clamp_prefix(np.array([5.0, -3.0, 4.0]), np.array([0.0, 0.0, 0.0]),
    ...               np.array([6.0, 6.0, 6.0])).tolist()  # 0 -> 5 -> 2 -> 6 (clamped)
    [5.0, 2.0, 6.0]
    """
    a, lo, hi = a.copy(), lo.copy(), hi.copy()
    shift = 1
    while shift < a.size:
        after_a, after_lo, after_hi = a[shift:], lo[shift:], hi[shift:]
        new_a = a[:-shift] + after_a
        new_lo = np.clip(lo[:-shift] + after_a, after_lo, after_hi)
        new_hi = np.clip(hi[:-shift] + after_a, after_lo, after_hi)
        a[shift:], lo[shift:], hi[shift:] = new_a, new_lo, new_hi
        shift *= 2
    return np.minimum(np.maximum(a, lo), hi)


def _deficits(
    days_utc: list[datetime], margin_kwh: Array, orbits: Array, min_soc: Array
) -> list[PowerDeficit]:
    negative = np.concatenate([[0], (margin_kwh < 0.0).astype(np.int8), [0]])
    edges = np.diff(negative)
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1)
    out = []
    for first, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        per_orbit = margin_kwh[first:stop] / orbits[first:stop]
        worst = first + int(np.argmin(per_orbit))
        out.append(
            PowerDeficit(
                first_day_utc=days_utc[first],
                last_day_utc=days_utc[stop - 1],
                days=stop - first,
                orbits=round(float(orbits[first:stop].sum())),
                worst_day_utc=days_utc[worst],
                worst_margin_kwh_per_orbit=float(per_orbit.min()),
                deficit_kwh=float(margin_kwh[first:stop].sum()),
                min_soc_fraction=float(min_soc[first:stop].min()),
            )
        )
    return out


def power_budget(
    station: Station,
    build: StationBuild,
    days_utc: list[datetime],
    beta_deg: NDArray[np.float64],
    mean_altitude_km: NDArray[np.float64],
    crew_aboard: NDArray[np.float64],
) -> PowerBudget:
    """The station's power budget on each of ``days_utc`` (UTC, one a day, increasing), given
    each day's beta angle (deg), mean altitude (km) and crew aboard (method: module docstring).
    ``build`` is the station's :func:`stationplan.ops.assembly.build_station`."""
    n = len(days_utc)
    beta = _as_daily("beta_deg", beta_deg, n)
    altitude = _as_daily("mean_altitude_km", mean_altitude_km, n)
    crew = _as_daily("crew_aboard", crew_aboard, n)
    problems = []
    if build.station != station.name:
        problems.append(Problem(SOURCE, f"is the build of {build.station!r}", field="build"))
    if np.any(altitude <= 0.0):
        problems.append(Problem(SOURCE, "must be above 0 km", field="mean_altitude_km"))
    if np.any(crew < 0.0):
        problems.append(Problem(SOURCE, "must be 0 or more", field="crew_aboard"))
    day_s = np.array([d.timestamp() for d in days_utc], dtype=float)
    if np.any(np.diff(day_s) <= 0.0):
        problems.append(Problem(SOURCE, "must be increasing", field="days_utc"))
    if problems:
        raise ArgumentError(problems)
    first_s = float(day_s[0]) if n else 0.0

    f_e = eclipse_fraction(beta, altitude)
    period_h = twobody.period_s(altitude) / 3600.0
    orbits = 24.0 / period_h
    sun_h, shadow_h = (1.0 - f_e) * period_h, f_e * period_h

    array_kw, capacity_kwh = _array_kw(station.modules, day_s, first_s)
    if station.solar_array_tracking == "alpha_only":
        array_kw = array_kw * np.cos(np.radians(beta))
    load_kw = _module_load_kw(build, day_s, first_s) + crew * station.crew_power_load_kw_per_person

    x_d = station.power_distribution_efficiency
    eta_c, eta_d = station.battery_charge_efficiency, station.battery_discharge_efficiency
    surplus_kw = np.maximum(array_kw - load_kw / x_d, 0.0)
    short_kw = np.maximum(load_kw - array_kw * x_d, 0.0)  # at the loads
    usable_kwh = (
        np.minimum(array_kw * x_d, load_kw) * sun_h + surplus_kw * sun_h * eta_c * eta_d * x_d
    )
    margin_kwh = orbits * (usable_kwh - load_kw * period_h)

    # Battery energy per orbit (kWh stored): gain in sunlight c, draw in shadow e.
    c = surplus_kw * sun_h * eta_c - short_kw * sun_h / (eta_d * x_d)
    e = load_kw * shadow_h / (eta_d * x_d)
    depth_max = capacity_kwh * (1.0 - station.battery_min_soc_fraction)
    gain = e - c
    # m orbits from depth D: min(max(D + m gain, b_m), depth_max) with b_m = e when the orbit
    # gains (c >= e), else c + m gain (the first sunlight may fill the battery); b_1 = e.
    b_n = np.where(gain <= 0.0, e, c + orbits * gain)
    day_end = _clamp_prefix(orbits * gain, np.minimum(b_n, depth_max), depth_max)
    start = np.concatenate([[0.0], day_end[:-1]])[:n]
    first_orbit = np.maximum(start + gain, e)
    last_orbit = np.maximum(start + orbits * gain, b_n)
    deepest = np.maximum(first_orbit, last_orbit)
    floor_reached = deepest > depth_max + 1e-9
    held = np.minimum(deepest, depth_max)
    safe_capacity = np.where(capacity_kwh > 0.0, capacity_kwh, 1.0)
    min_soc = np.where(capacity_kwh > 0.0, 1.0 - held / safe_capacity, 0.0)

    return PowerBudget(
        station=station.name,
        battery_min_soc_fraction=station.battery_min_soc_fraction,
        days_utc=list(days_utc),
        beta_deg=beta.tolist(),
        eclipse_fraction=f_e.tolist(),
        orbits_per_day=orbits.tolist(),
        array_kw=array_kw.tolist(),
        load_kw=load_kw.tolist(),
        battery_capacity_kwh=capacity_kwh.tolist(),
        generation_kwh=(array_kw * sun_h * orbits).tolist(),
        load_kwh=(load_kw * 24.0).tolist(),
        margin_kwh=margin_kwh.tolist(),
        min_soc_fraction=min_soc.tolist(),
        soc_floor_reached=floor_reached.tolist(),
        deficits=_deficits(list(days_utc), margin_kwh, orbits, min_soc),
    )
