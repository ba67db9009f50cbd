"""Reboost and deorbit: delta-v, propellant and burn time, and altitude keeping over years.

Units: km for radii and altitudes, m/s for delta-v, kg, N, s; Isp in seconds (effective
exhaust speed Isp g0). Altitudes are *mean* altitudes (mean semi-major axis - 6378.137 km, as
in :mod:`stationplan.orbit.decay`); a near-circular orbit's radius is R_EQ + altitude.

* :func:`~stationplan.orbit.twobody.hohmann_dv_m_s` -- two-burn Hohmann transfer between
  circular orbits (Vallado,
  *Fundamentals of Astrodynamics and Applications*, 4th ed. 2013, Algorithm 36; checked
  against his Example 6-1 in tests/orbit/test_decay.py). Impulsive: a burn of 20-30 min
  spreads over a quarter of a revolution, which costs a few per cent more delta-v than this
  (ignored).
* :func:`propellant_kg` -- Tsiolkovsky: m_p = m0 (1 - exp(-dv / (Isp g0))), m0 the mass
  before the burn; :func:`burn_s` -- t = m_p Isp g0 / F at constant thrust.
* :func:`deorbit_dv_m_s` -- one retro burn from a circular orbit to an ellipse with the same
  apogee and the perigee :data:`DISPOSAL_PERIGEE_KM`.
* :func:`plan_altitude_keeping` -- runs :func:`~stationplan.orbit.decay.propagate_decay`
  over a span and reboosts to the top of an altitude band each time the mean altitude reaches
  its lower edge, with per-reboost and per-calendar-year figures; when the band cannot be held
  (reboosts closer than a minimum interval, or a calendar year's propellant over budget) it
  stops and says why and when, in :attr:`AltitudeKeepingPlan.infeasible_reason`.

No library served: poliastro (archived) had Hohmann manoeuvres but no propellant, decay or
planning; these are a few lines of textbook formulas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar, cast

import numpy as np
from numpy.typing import NDArray
from skyfield.timelib import Time

from stationplan.errors import ArgumentError, Problem
from stationplan.orbit.constants import G0_M_S2, MU_KM3_S2, R_EQ_KM, REENTRY_ALTITUDE_KM
from stationplan.orbit.decay import (
    DecayHistory,
    DecayModel,
    EndReason,
    propagate_decay,
)
from stationplan.orbit.timescale import DAY_S, as_time, offset, to_datetimes
from stationplan.orbit.twobody import hohmann_dv_m_s

DISPOSAL_PERIGEE_KM = 60.0
"""Perigee altitude (km) a controlled deorbit burn aims for. Rationale: Mir's last burn
(23 March 2001: 28.0 m/s at the 219 km apogee of a 219 x 158 km orbit, figures of the Russian
mission control quoted by H. Zimmer, SeeSat-L, 24 March 2001) gives a perigee of ~65 km by
this module's formula; a perigee well inside the sensible atmosphere (< ~80 km) makes the
entry happen within the following half revolution, which keeps the debris footprint short
enough to aim at the South Pacific. Approximate: a real plan picks it from a footprint study."""

F = TypeVar("F", float, NDArray[np.float64])


def _out(value: NDArray[np.float64]) -> object:
    return float(value) if np.ndim(value) == 0 else value


def propellant_kg(mass_kg: F, dv_m_s: F, isp_s: float) -> F:
    """Propellant (kg) for ``dv_m_s`` by a vehicle of ``mass_kg`` before the burn, engine
    ``isp_s``: m0 (1 - exp(-dv / (Isp g0))) (Tsiolkovsky).

    >>> round(propellant_kg(420_000.0, 11.29, 300.0), 1)
    1608.7
    """
    m0 = np.asarray(mass_kg, dtype=float)
    dv = np.asarray(dv_m_s, dtype=float)
    return cast(F, _out(m0 * -np.expm1(-dv / (isp_s * G0_M_S2))))


def burn_s(propellant_kg: F, thrust_n: float, isp_s: float) -> F:
    """Burn duration (s) to use ``propellant_kg`` at constant ``thrust_n`` and ``isp_s``:
    mass flow F / (Isp g0).

    >>> round(burn_s(1608.7, 2950.0, 300.0))  # Progress main engine, ~2.95 kN (approx.)
    1604
    """
    m = np.asarray(propellant_kg, dtype=float)
    return cast(F, _out(m * isp_s * G0_M_S2 / thrust_n))


def perigee_lowering_dv_m_s(apogee_km: F, perigee_from_km: F, perigee_to_km: float) -> F:
    """Delta-v (m/s, >= 0) of a retro burn at apogee that lowers the perigee altitude from
    ``perigee_from_km`` to ``perigee_to_km`` (altitudes above R_EQ; vis-viva)."""
    ra = R_EQ_KM + np.asarray(apogee_km, dtype=float)
    rp0 = R_EQ_KM + np.asarray(perigee_from_km, dtype=float)
    rp1 = R_EQ_KM + np.asarray(perigee_to_km, dtype=float)
    v0 = np.sqrt(MU_KM3_S2 * (2.0 / ra - 2.0 / (ra + rp0)))
    v1 = np.sqrt(MU_KM3_S2 * (2.0 / ra - 2.0 / (ra + rp1)))
    return cast(F, _out((v0 - v1) * 1e3))


def deorbit_dv_m_s(altitude_km: F, disposal_perigee_km: float = DISPOSAL_PERIGEE_KM) -> F:
    """Delta-v (m/s) of one retro burn from a circular orbit at ``altitude_km`` to an ellipse
    with perigee ``disposal_perigee_km`` (default :data:`DISPOSAL_PERIGEE_KM`).

    >>> round(deorbit_dv_m_s(400.0), 1)
    99.3
    """
    return perigee_lowering_dv_m_s(altitude_km, altitude_km, disposal_perigee_km)


def deorbit_propellant_kg(
    mass_kg: F,
    altitude_km: F,
    isp_s: float,
    disposal_perigee_km: float = DISPOSAL_PERIGEE_KM,
) -> F:
    """Propellant (kg) of :func:`deorbit_dv_m_s` for a vehicle of ``mass_kg``."""
    return propellant_kg(mass_kg, deorbit_dv_m_s(altitude_km, disposal_perigee_km), isp_s)


# --------------------------------------------------------------------- altitude keeping


@dataclass(frozen=True)
class Reboost:
    """One reboost: when, how much, and the station at that moment.

    ``interval_days`` is the time since the previous reboost (or since the start for the
    first one).
    """

    time_utc: datetime
    dv_m_s: float
    propellant_kg: float
    burn_s: float
    mass_kg: float
    altitude_before_km: float
    altitude_after_km: float
    interval_days: float


@dataclass(frozen=True)
class YearTotal:
    """Reboosts, delta-v, propellant and burn time in one calendar year (UTC)."""

    year: int
    reboosts: int
    dv_m_s: float
    propellant_kg: float
    burn_s: float


@dataclass(frozen=True, eq=False)
class AltitudeKeepingPlan:
    """What :func:`plan_altitude_keeping` found.

    ``history`` is the mean altitude over the whole span (a reboost appears as two points at
    the same time, before and after). ``infeasible_reason`` is None when the band was held
    to the end; otherwise it says why it could not be, and ``infeasible_at_utc`` when: the
    history and reboosts stop there.
    """

    start_utc: datetime
    end_utc: datetime
    band_km: tuple[float, float]
    target_altitude_km: float
    reboosts: tuple[Reboost, ...]
    years: tuple[YearTotal, ...]
    history: DecayHistory
    infeasible_reason: str | None = None
    infeasible_at_utc: datetime | None = None

    @property
    def feasible(self) -> bool:
        """True when the band was held over the whole span."""
        return self.infeasible_reason is None

    @property
    def total_dv_m_s(self) -> float:
        """Delta-v of all reboosts (m/s)."""
        return float(sum(r.dv_m_s for r in self.reboosts))

    @property
    def total_propellant_kg(self) -> float:
        """Propellant of all reboosts (kg)."""
        return float(sum(r.propellant_kg for r in self.reboosts))


def _stitch(epoch: Time, parts: list[tuple[float, DecayHistory]], inc: float) -> DecayHistory:
    """One history from consecutive pieces, each (start seconds from ``epoch``, history)."""
    last = parts[-1][1]
    reason: EndReason = last.end_reason
    stopped = None if last.stopped_at_s is None else parts[-1][0] + last.stopped_at_s
    return DecayHistory(
        epoch=epoch,
        inclination_deg=inc,
        t_s=np.concatenate([t0 + h.t_s for t0, h in parts]),
        mean_altitude_km=np.concatenate([h.mean_altitude_km for _, h in parts]),
        raan_deg=np.concatenate([h.raan_deg for _, h in parts]),
        rate_km_day=np.concatenate([h.rate_km_day for _, h in parts]),
        end_reason=reason,
        stopped_at_s=stopped,
        space_weather_clamped=any(h.space_weather_clamped for _, h in parts),
        msis_points=sum(h.msis_points for _, h in parts),
        wall_time_s=sum(h.wall_time_s for _, h in parts),
    )


def plan_altitude_keeping(
    model: DecayModel,
    start: Time | datetime,
    end: Time | datetime,
    band_km: tuple[float, float],
    *,
    isp_s: float,
    thrust_n: float,
    initial_altitude_km: float | None = None,
    target_altitude_km: float | None = None,
    raan_deg: float = 0.0,
    min_interval_days: float = 1.0,
    propellant_budget_kg_per_year: float | None = None,
) -> AltitudeKeepingPlan:
    """Hold the mean altitude in ``band_km`` = (lower, upper) from ``start`` to ``end``.

    The orbit decays under ``model`` (:func:`~stationplan.orbit.decay.propagate_decay`) from
    ``initial_altitude_km`` (default: the upper edge); each time the mean altitude reaches the
    lower edge, an impulsive Hohmann reboost
    (:func:`~stationplan.orbit.twobody.hohmann_dv_m_s`) raises it to
    ``target_altitude_km`` (default: the upper edge). Each reboost records its time, delta-v,
    propellant (:func:`propellant_kg` with the station's mass from ``model.body`` at that time
    and ``isp_s``), burn duration at ``thrust_n``, the mass and the altitudes before and after;
    :attr:`AltitudeKeepingPlan.years` sums them per calendar year (UTC).

    The band cannot be held -- the plan stops there and says why in ``infeasible_reason``, with
    ``infeasible_at_utc`` -- when the station decays from the target to the lower edge in less
    than ``min_interval_days`` (checked for every cycle that starts at the target), or when a
    calendar year's reboost propellant exceeds ``propellant_budget_kg_per_year`` (the budget
    applies to each calendar year, partial first and last years included). Raises
    ArgumentError for inconsistent input (an empty band, a target below the lower edge, ...).
    """
    t0, t1 = as_time(start), as_time(end)
    lower, upper = (float(band_km[0]), float(band_km[1]))
    target = upper if target_altitude_km is None else float(target_altitude_km)
    initial = upper if initial_altitude_km is None else float(initial_altitude_km)
    span_s = (float(np.asarray(t1.tt)) - float(np.asarray(t0.tt))) * DAY_S
    problems: list[Problem] = []

    def bad(name: str, message: str) -> None:
        problems.append(Problem("plan_altitude_keeping", message, field=name))

    if not (math.isfinite(lower) and math.isfinite(upper) and 0.0 < lower < upper):
        bad("band_km", f"expected (lower, upper) with 0 < lower < upper, got {band_km}")
    if not lower > REENTRY_ALTITUDE_KM:
        bad(
            "band_km", f"the lower edge {lower} km is not above re-entry ({REENTRY_ALTITUDE_KM} km)"
        )
    if not lower < target:
        bad("target_altitude_km", f"{target} km is not above the lower edge {lower} km")
    if not initial > 0.0:
        bad("initial_altitude_km", f"must be positive, got {initial}")
    if not (isp_s > 0.0 and thrust_n > 0.0):
        bad("isp_s", f"need isp_s > 0 and thrust_n > 0 (got {isp_s} s, {thrust_n} N)")
    if not span_s > 0.0:
        bad("end", "end must be after start")
    if not min_interval_days >= 0.0:
        bad("min_interval_days", f"must not be negative, got {min_interval_days}")
    if propellant_budget_kg_per_year is not None and not propellant_budget_kg_per_year > 0.0:
        bad(
            "propellant_budget_kg_per_year",
            f"must be positive, got {propellant_budget_kg_per_year}",
        )
    if problems:
        raise ArgumentError(problems)

    parts: list[tuple[float, DecayHistory]] = []
    reboosts: list[Reboost] = []
    per_year: dict[int, list[float]] = {}
    reason: str | None = None
    reason_at: datetime | None = None
    t_s, altitude, raan = 0.0, initial, raan_deg
    last_reboost_s = 0.0
    cycle_from_target = math.isclose(initial, target, abs_tol=1e-6)
    while t_s < span_s - 1e-6:
        piece = propagate_decay(
            model,
            offset(t0, t_s),
            t1,
            altitude,
            raan,
            stop_below_km=lower,
            reentry_altitude_km=REENTRY_ALTITUDE_KM,
        )
        parts.append((t_s, piece))
        if piece.end_reason != "lower_limit" or piece.stopped_at_s is None:
            break
        t_r = t_s + piece.stopped_at_s
        when = offset(t0, np.array([t_r]))
        when_utc = to_datetimes(when)[0]
        before = float(piece.mean_altitude_km[-1])
        mass = float(model.body.mass_at(when)[0])
        dv = hohmann_dv_m_s(R_EQ_KM + before, R_EQ_KM + target)
        prop = propellant_kg(mass, dv, isp_s)
        interval = (t_r - last_reboost_s) / DAY_S
        reboosts.append(
            Reboost(
                time_utc=when_utc,
                dv_m_s=dv,
                propellant_kg=prop,
                burn_s=burn_s(prop, thrust_n, isp_s),
                mass_kg=mass,
                altitude_before_km=before,
                altitude_after_km=target,
                interval_days=interval,
            )
        )
        year = per_year.setdefault(when_utc.year, [0.0, 0.0, 0.0, 0.0])
        year[0] += 1
        year[1] += dv
        year[2] += prop
        year[3] += reboosts[-1].burn_s
        if cycle_from_target and interval < min_interval_days:
            reason = (
                f"the band {lower:g}-{upper:g} km cannot be held: at {when_utc:%Y-%m-%d %H:%M} "
                f"UTC the station decayed from {target:g} to {lower:g} km in {interval:.2f} "
                f"days, less than the minimum of {min_interval_days:g} days between reboosts "
                f"(mean decay {(target - lower) / max(interval, 1e-9):.2f} km/day)"
            )
        elif propellant_budget_kg_per_year is not None and year[2] > propellant_budget_kg_per_year:
            reason = (
                f"the band {lower:g}-{upper:g} km cannot be held within the propellant budget: "
                f"by the reboost of {when_utc:%Y-%m-%d %H:%M} UTC, {when_utc.year} needs "
                f"{year[2]:,.0f} kg ({int(year[0])} reboosts), more than the budget of "
                f"{propellant_budget_kg_per_year:,.0f} kg per year"
            )
        if reason is not None:
            reason_at = when_utc
            break
        last_reboost_s, t_s, altitude = t_r, t_r, target
        raan = float(piece.raan_deg[-1])
        cycle_from_target = True
    years = tuple(YearTotal(y, int(v[0]), v[1], v[2], v[3]) for y, v in sorted(per_year.items()))
    return AltitudeKeepingPlan(
        start_utc=to_datetimes(offset(t0, np.zeros(1)))[0],
        end_utc=to_datetimes(offset(t1, np.zeros(1)))[0],
        band_km=(lower, upper),
        target_altitude_km=target,
        reboosts=tuple(reboosts),
        years=years,
        history=_stitch(t0, parts, model.inclination_deg),
        infeasible_reason=reason,
        infeasible_at_utc=reason_at,
    )
