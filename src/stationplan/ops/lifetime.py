"""Each station's altitude over its service: decay under the scenario's solar activity, the
reboosts that keep it in its band (with the reboosting vehicle's engine), propellant per year,
and the controlled deorbit of a retiring station.

Mass and drag area follow the assembly (:mod:`stationplan.ops.assembly`): each module adds
its mass and area from its launch date. The reboosting vehicle is the fleet's first vehicle
with a reboost capability; the propellant the fleet can bring per year (reboost propellant plus
transferable propellant at the maximum flight rate) is the budget the plan is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from stationplan.errors import ArgumentError
from stationplan.ops.assembly import StationBuild
from stationplan.ops.ephemeris import WeatherRequest
from stationplan.ops.requests import cli_label, field_type, request_error
from stationplan.orbit.constants import REENTRY_ALTITUDE_KM, ephemeris_gap
from stationplan.orbit.decay import DecayModel, DragBody, StepSchedule, propagate_decay
from stationplan.orbit.decay_fit import (
    MIN_SPAN_DAYS,
    MIN_SPAN_SETS,
    OUTLIER_KM,
    BallisticFit,
    Segment,
    clean_history,
    fit_pooled,
    fit_spans,
)
from stationplan.orbit.element_files import find_object, read_elements
from stationplan.orbit.elements import (
    DEFAULT_DRAG_COEFFICIENT,
    ElementSet,
    OrbitSummary,
    drag_area_m2_from_bstar,
    summarize,
)
from stationplan.orbit.reboost import (
    DISPOSAL_PERIGEE_KM,
    Reboost,
    deorbit_dv_m_s,
    deorbit_propellant_kg,
    plan_altitude_keeping,
)
from stationplan.orbit.spaceweather import SpaceWeather
from stationplan.orbit.timescale import timescale
from stationplan.scenario.models import Reboost as ReboostCapability
from stationplan.scenario.models import Scenario, Station, Vehicle

PROGRAMME_SAMPLES_PER_ORBIT = 8
"""NRLMSIS samples per revolution in a programme's years of altitude keeping (the orbit layer's
default, 16, serves single decay queries). Eight equally spaced points integrate the density's
first harmonics around the orbit (day-night bulge, latitude) exactly: over 30 days at 400 and
320 km the decay differs from 96 samples in 1-hour cells by 0.02 % (16 samples: 0.003 %)
(tests/orbit/test_decay.py), and on the default scenario the reboost times move by at most
5 hours in ten years, while the plan's density evaluations are halved."""


class ReboostRecord(BaseModel):
    """One reboost."""

    time_utc: datetime
    dv_m_s: float
    propellant_kg: float
    burn_s: float
    station_mass_kg: float
    altitude_before_km: float
    altitude_after_km: float


class YearPropellant(BaseModel):
    """Reboost totals of one calendar year."""

    year: int
    reboosts: int
    dv_m_s: float
    propellant_kg: float


class Deorbit(BaseModel):
    """The controlled deorbit of a retiring station."""

    retire_utc: datetime
    altitude_km: float
    disposal_perigee_km: float
    dv_m_s: float
    propellant_kg: float
    station_mass_kg: float
    vehicle: str
    isp_s: float


class StationLifetime(BaseModel):
    """Altitude keeping of one station."""

    station: str
    start_utc: datetime
    end_utc: datetime
    band_km: tuple[float, float]
    reboost_vehicle: str | None
    isp_s: float | None
    thrust_n: float | None
    propellant_budget_kg_per_year: float | None
    days_utc: list[datetime] = Field(description="Daily samples of the altitude history.")
    mean_altitude_km: list[float]
    reboosts: list[ReboostRecord]
    years: list[YearPropellant]
    total_propellant_kg: float
    infeasible_reason: str | None
    infeasible_at_utc: datetime | None
    deorbit: Deorbit | None
    note: str | None = Field(default=None, description="Why the plan is absent or partial.")


def space_weather_of(scenario: Scenario) -> SpaceWeather:
    """The scenario's solar activity as the orbit layer's space-weather series."""
    sw = scenario.space_weather
    if sw.table:
        return SpaceWeather.from_table(
            [(row.from_utc, row.f107_sfu, row.f107_81day_sfu, row.ap) for row in sw.table],
            source="scenario space_weather.table",
        )
    return SpaceWeather.constant(sw.f107_sfu, sw.f107_81day_sfu, sw.ap)


def _schedules(
    station: Station, build: StationBuild, start: datetime
) -> tuple[StepSchedule, StepSchedule]:
    rows_m = [(start, max(station.mass_kg, 1.0))]
    rows_a = [(start, station.drag_area_m2)]
    for step in build.steps:
        when = step.launch_utc or start
        if when <= start:
            rows_m[0] = (start, step.station_mass_kg)
            rows_a[0] = (start, step.drag_area_m2)
        else:
            rows_m.append((when, step.station_mass_kg))
            rows_a.append((when, step.drag_area_m2))
    return (
        StepSchedule.from_rows(rows_m, "station mass (kg)"),
        StepSchedule.from_rows(rows_a, "station drag area (m^2)"),
    )


def reboost_vehicle(vehicles: list[Vehicle]) -> Vehicle | None:
    """The fleet's first vehicle that can reboost."""
    return next((v for v in vehicles if v.reboost is not None), None)


def propellant_budget_kg_per_year(vehicles: list[Vehicle]) -> float:
    """Propellant the fleet can bring a year: reboost + transfer propellant at full rate."""
    return sum(
        ((v.reboost.propellant_kg if v.reboost else 0.0) + v.propellant_transfer_kg)
        * v.max_flights_per_year
        for v in vehicles
    )


def plan_station_lifetime(
    scenario: Scenario,
    station: Station,
    build: StationBuild,
    elements: ElementSet,
    service_from: datetime,
    service_to: datetime,
) -> StationLifetime:
    """Altitude keeping of ``station`` from the later of its element epoch and service start
    to the end of its service, and its deorbit if it retires inside the programme."""
    summary = summarize(elements)
    start = max(service_from, summary.epoch_utc)
    end = service_to
    band = (station.min_altitude_km, station.max_altitude_km)
    vehicle = reboost_vehicle(scenario.vehicles)
    budget = propellant_budget_kg_per_year(scenario.vehicles) or None
    mass, area = _schedules(station, build, start)
    base = StationLifetime(
        station=station.name,
        start_utc=start,
        end_utc=end,
        band_km=band,
        reboost_vehicle=vehicle.name if vehicle else None,
        isp_s=vehicle.reboost.isp_s if vehicle and vehicle.reboost else None,
        thrust_n=vehicle.reboost.thrust_n if vehicle and vehicle.reboost else None,
        propellant_budget_kg_per_year=budget,
        days_utc=[],
        mean_altitude_km=[],
        reboosts=[],
        years=[],
        total_propellant_kg=0.0,
        infeasible_reason=None,
        infeasible_at_utc=None,
        deorbit=None,
    )
    if end - start < timedelta(days=1):
        return base.model_copy(
            update={
                "note": "service span after the element epoch is "
                "shorter than a day: nothing to plan"
            }
        )
    if vehicle is None or vehicle.reboost is None:
        return base.model_copy(
            update={"note": "no vehicle of the fleet can reboost: the altitude cannot be kept"}
        )
    model = DecayModel(
        inclination_deg=summary.inclination_deg,
        body=DragBody(mass_kg=mass, drag_area_m2=area, drag_coefficient=station.drag_coefficient),
        space_weather=space_weather_of(scenario),
        samples_per_orbit=PROGRAMME_SAMPLES_PER_ORBIT,
    )
    keep = plan_altitude_keeping(
        model,
        start,
        end,
        band,
        isp_s=vehicle.reboost.isp_s,
        thrust_n=vehicle.reboost.thrust_n,
        initial_altitude_km=min(max(summary.mean_altitude_km, band[0]), band[1]),
        raan_deg=summary.raan_deg,
        propellant_budget_kg_per_year=budget,
    )
    hist = keep.history
    day_s, altitude = hist.daily_km()
    days = [start + timedelta(seconds=float(d)) for d in day_s]
    deorbit = None
    if station.retire_utc is not None and station.retire_utc <= scenario.programme.end_utc:
        alt = float(altitude[-1]) if len(altitude) else summary.mean_altitude_km
        m = float(build.final_mass_kg if build.steps else station.mass_kg)
        deorbit = Deorbit(
            retire_utc=station.retire_utc,
            altitude_km=alt,
            disposal_perigee_km=DISPOSAL_PERIGEE_KM,
            dv_m_s=float(deorbit_dv_m_s(alt)),
            propellant_kg=float(deorbit_propellant_kg(m, alt, vehicle.reboost.isp_s)),
            station_mass_kg=m,
            vehicle=vehicle.name,
            isp_s=vehicle.reboost.isp_s,
        )
    return base.model_copy(
        update={
            "days_utc": days,
            "mean_altitude_km": [round(float(a), 4) for a in altitude],
            "reboosts": [
                ReboostRecord(
                    time_utc=r.time_utc,
                    dv_m_s=r.dv_m_s,
                    propellant_kg=r.propellant_kg,
                    burn_s=r.burn_s,
                    station_mass_kg=r.mass_kg,
                    altitude_before_km=r.altitude_before_km,
                    altitude_after_km=r.altitude_after_km,
                )
                for r in keep.reboosts
            ],
            "years": [
                YearPropellant(
                    year=y.year, reboosts=y.reboosts, dv_m_s=y.dv_m_s, propellant_kg=y.propellant_kg
                )
                for y in keep.years
            ],
            "total_propellant_kg": float(sum(r.propellant_kg for r in keep.reboosts)),
            "infeasible_reason": keep.infeasible_reason,
            "infeasible_at_utc": keep.infeasible_at_utc,
            "deorbit": deorbit,
        }
    )


# --------------------------------------------------------------------------- one object

DEFAULT_MASS_KG = 1000.0
DEFAULT_THRUST_N = 2950.0
"""Progress main engine (S5.79 KDU), 2.95 kN (RSC Energia, Progress M-M description)."""

if TYPE_CHECKING:
    IspS = float
    ThrustN = float
else:
    IspS = field_type(ReboostCapability, "isp_s")
    ThrustN = field_type(ReboostCapability, "thrust_n")


class LifetimeRequest(WeatherRequest):
    """Decay of one object of an element file from its (latest) epoch over ``days``; with
    ``band_km`` the band is held by reboosts of an engine of ``thrust_n`` and ``isp_s``.
    ``fit_days``: the longest span of the object's element history its drag is fitted to."""

    elements_file: Path
    object_id: str | None = None
    days: float = Field(gt=0, le=36600)
    band_km: tuple[float, float] | None = None
    mass_kg: float | None = Field(default=None, gt=0, le=2_000_000)
    isp_s: IspS | None = Field(default=None, validate_default=True)
    thrust_n: ThrustN = DEFAULT_THRUST_N
    area_m2: float | None = Field(default=None, gt=0, le=20_000)
    fit_days: float = Field(default=30.0, gt=0, le=3660)

    @field_validator("band_km", mode="before")
    @classmethod
    def _band_text(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        try:
            lo, hi = (float(x) for x in value.split(","))
        except ValueError:
            raise ValueError(f"'{value}' is not MIN_KM,MAX_KM; expected e.g. 400,420") from None
        return lo, hi

    @field_validator("band_km")
    @classmethod
    def _band(cls, band: tuple[float, float] | None) -> tuple[float, float] | None:
        if band is None:
            return None
        lo, hi = band
        if not REENTRY_ALTITUDE_KM < lo < hi <= 2000:
            raise ValueError(
                f"{lo:g},{hi:g} must satisfy {REENTRY_ALTITUDE_KM:g} < MIN < MAX <= 2000 km "
                "(below the lower bound an orbit re-enters within a day)"
            )
        return band

    @field_validator("isp_s")
    @classmethod
    def _reboost_engine(cls, isp: float | None, info: ValidationInfo) -> float | None:
        if info.data.get("band_km") is not None and (
            isp is None or info.data.get("mass_kg") is None
        ):
            raise ValueError(
                "a band held by reboosts needs the mass and the engine's Isp (the propellant "
                "depends on them)"
            )
        return isp


@dataclass(frozen=True)
class DragFit:
    """C_D A / m fitted to the object's own decay (:mod:`stationplan.orbit.decay_fit`).

    ``ballistic_m2_kg`` C_D A / m (m^2/kg) and its 1-sigma ``sigma_m2_kg``; the reboost-free
    spans fitted, ``span_start_utc`` to ``span_end_utc`` with ``span_sets`` element sets (of
    ``history_sets`` distinct epochs of the object in the file); ``residual_rms_km`` observed
    minus fitted mean altitude; ``observed_decay_km`` (straight lines through the sets) and
    ``fitted_decay_km`` (the model) summed over the spans.
    """

    ballistic_m2_kg: float
    sigma_m2_kg: float
    span_start_utc: datetime
    span_end_utc: datetime
    span_sets: int
    history_sets: int
    residual_rms_km: float
    observed_decay_km: float
    fitted_decay_km: float


@dataclass(frozen=True)
class LifetimeInterval:
    """The prediction again at C_D A / m minus and plus one sigma of the fit.

    ``ballistic_low_m2_kg`` / ``ballistic_high_m2_kg`` the coefficients used (the low one at
    least 1 % of the fitted one); ``mean_altitude_high_km`` / ``mean_altitude_low_km`` the
    daily samples (km, at the answer's ``sample_times_utc``; NaN after a re-entry) of the
    slower (low coefficient) and the faster (high coefficient) decay; ``reentry_late_utc`` /
    ``reentry_early_utc`` their re-entries (None: none in the span); ``reboosts_low`` /
    ``reboosts_high`` and ``propellant_low_kg`` / ``propellant_high_kg`` the reboosts of a
    band held at the low / high coefficient.
    """

    ballistic_low_m2_kg: float
    ballistic_high_m2_kg: float
    mean_altitude_high_km: NDArray[np.float64]
    mean_altitude_low_km: NDArray[np.float64]
    reentry_late_utc: datetime | None
    reentry_early_utc: datetime | None
    reboosts_low: int
    reboosts_high: int
    propellant_low_kg: float
    propellant_high_kg: float


@dataclass(frozen=True)
class LifetimeAnswer:
    """The altitude history and what shaped it."""

    object_name: str
    catalog_number: int
    start_utc: datetime
    mass_kg: float
    drag_area_m2: float
    drag_area_source: str
    drag_coefficient: float
    band_km: tuple[float, float] | None
    sample_times_utc: list[datetime]
    """Daily from the element epoch."""
    mean_altitude_km: NDArray[np.float64]
    reboosts: tuple[Reboost, ...]
    reentry_utc: datetime | None
    infeasible_reason: str | None
    infeasible_at_utc: datetime | None
    fit: DragFit | None = None
    """C_D A / m fitted to the object's history, when the area came from it."""
    interval: LifetimeInterval | None = None
    """The prediction at the fit's coefficient -+ 1 sigma."""
    notes: tuple[str, ...] = ()


def _history(sets: list[ElementSet], chosen: ElementSet) -> list[ElementSet]:
    """The element sets of ``chosen``'s object, one per epoch (the later in the file wins),
    in epoch order."""
    by_epoch = {
        round(e.epoch_jd_utc, 8): e for e in sets if e.catalog_number == chosen.catalog_number
    }
    return [by_epoch[k] for k in sorted(by_epoch)]


def _fit_history(
    history: list[ElementSet], model: DecayModel, fit_days: float
) -> tuple[BallisticFit, int, int, datetime] | None:
    """C_D A / m fitted jointly to the reboost-free spans of ``history`` within its last
    ``fit_days`` (:func:`~stationplan.orbit.decay_fit.fit_spans`,
    :func:`~stationplan.orbit.decay_fit.fit_pooled`), the number of sets fitted, the number
    of sets kept and the epoch of the last set fitted; None when no span is long enough."""
    summaries = [summarize(e) for e in history]
    jd = np.array([e.epoch_jd_utc for e in history])
    alt = np.array([s.mean_altitude_km for s in summaries])
    keep = clean_history(jd, alt)
    jd, alt = jd[keep], alt[keep]
    kept = [s for s, k in zip(summaries, keep.tolist(), strict=True) if k]
    spans = fit_spans(jd, alt, fit_days)
    if not spans:
        return None
    segments = [
        Segment(
            kept[s.first].epoch_utc,
            jd[s.first : s.last + 1] - jd[s.first],
            alt[s.first : s.last + 1],
            kept[s.first].raan_deg,
        )
        for s in spans
    ]
    fit = fit_pooled(model, segments)
    return fit, sum(s.sets for s in spans), len(kept), kept[spans[-1].last].epoch_utc


@dataclass(frozen=True)
class _Run:
    altitude_km: NDArray[np.float64]
    day_s: NDArray[np.float64]
    reboosts: tuple[Reboost, ...]
    reentry_utc: datetime | None
    infeasible_reason: str | None
    infeasible_at_utc: datetime | None


def _run(
    req: LifetimeRequest, model: DecayModel, start: datetime, end: datetime, summary: OrbitSummary
) -> _Run:
    """Free decay or altitude keeping of ``model`` from ``start`` to ``end``."""
    reboosts: tuple[Reboost, ...] = ()
    reentry = infeasible_at = None
    infeasible = None
    if req.band_km is None:
        hist = propagate_decay(model, start, end, summary.mean_altitude_km, summary.raan_deg)
        if hist.end_reason == "reentry" and hist.stopped_at_s is not None:
            reentry = timescale().tt_jd(hist.epoch.tt + hist.stopped_at_s / 86400.0).utc_datetime()
    else:
        assert req.isp_s is not None
        keep = plan_altitude_keeping(
            model,
            start,
            end,
            req.band_km,
            isp_s=req.isp_s,
            thrust_n=req.thrust_n,
            initial_altitude_km=summary.mean_altitude_km,
            raan_deg=summary.raan_deg,
        )
        hist = keep.history
        reboosts = keep.reboosts
        infeasible, infeasible_at = keep.infeasible_reason, keep.infeasible_at_utc
    day_s, altitude = hist.daily_km()
    return _Run(altitude, day_s, reboosts, reentry, infeasible, infeasible_at)


def _no_area(bstar: float, history_sets: int, fit_days: float) -> ArgumentError:
    why = (
        "and the file holds a single element set of the object, so there is no history to "
        "fit the drag to"
        if history_sets < 2
        else f"and its {history_sets} element sets hold no reboost-free span of at least "
        f"{MIN_SPAN_DAYS:g} days and {MIN_SPAN_SETS} sets within the last {fit_days:g} days "
        "of a span to fit the drag to"
    )
    return request_error(
        "area_m2",
        f"the element set's B* is {bstar:g}: no drag area can be inferred from it, {why}; "
        f"give the drag area ({cli_label('area_m2')}, and the mass), or an element file "
        f"holding the object's history (its decay is fitted over {cli_label('fit_days')} "
        "days)",
    )


def lifetime(req: LifetimeRequest) -> LifetimeAnswer:
    """Free decay (NRLMSIS orbit-averaged model) or altitude keeping over the request's span.

    The prediction starts from the object's latest element set in the file. The drag comes
    from, in this order: ``area_m2`` if given; with a history of the object in the file (two
    or more epochs), one C_D A / m fitted to the decay of its reboost-free spans within its
    last ``fit_days`` (:mod:`stationplan.orbit.decay_fit`), with the prediction repeated at
    the coefficient -+ 1 sigma (``interval``); else the element set's B* for the given mass
    (C_D 2.2, Vallado 2013 eq. 9-42). A B* of zero or below with neither an area nor a
    history is a bad request naming ``area_m2``. Mean altitude = mean semi-major axis -
    6378.137 km.
    """
    result = read_elements(req.elements_file)
    history = _history(result.elements, find_object(result, req.object_id))
    el = history[-1]
    summary = summarize(el)
    start = summary.epoch_utc
    end = start + timedelta(days=req.days)
    gap = ephemeris_gap(start, end)
    if gap is not None:
        raise request_error("days", f"the span from the element epoch {gap}")
    mass = req.mass_kg if req.mass_kg is not None else DEFAULT_MASS_KG
    cd = DEFAULT_DRAG_COEFFICIENT
    weather = req.space_weather_series()
    model = DecayModel(summary.inclination_deg, DragBody(mass, 1.0, cd), weather)
    bstar = float(el.satrec.bstar)
    notes: list[str] = []
    drag_fit: DragFit | None = None
    sigma = 0.0
    if req.area_m2 is not None:
        area, source = req.area_m2, "given"
    else:
        fitted = _fit_history(history, model, req.fit_days) if len(history) > 1 else None
        if fitted is not None:
            fit, span_sets, kept, span_end = fitted
            b, sigma = fit.ballistic_m2_kg, fit.sigma_m2_kg
            area = b * mass / cd
            drag_fit = DragFit(
                ballistic_m2_kg=b,
                sigma_m2_kg=sigma,
                span_start_utc=fit.epoch_utc,
                span_end_utc=span_end,
                span_sets=span_sets,
                history_sets=len(history),
                residual_rms_km=fit.residual_rms_km,
                observed_decay_km=fit.observed_decay_km,
                fitted_decay_km=fit.fitted_decay_km,
            )
            source = (
                f"C_D A/m {b:.4g} +- {sigma:.2g} m^2/kg fitted to the decay of {span_sets} "
                f"element sets in {fit.spans} reboost-free span{'s' if fit.spans > 1 else ''} "
                f"{fit.epoch_utc:%Y-%m-%dT%H:%MZ} to {span_end:%Y-%m-%dT%H:%MZ}, "
                f"with mass {mass:g} kg and C_D {cd:g}"
            )
            if kept < len(history):
                notes.append(
                    f"{len(history) - kept} of {len(history)} element sets set aside as "
                    f"outliers (off the running median by more than {OUTLIER_KM:g} km)"
                )
            if fit.space_weather_clamped:
                notes.append("the fitted span lies partly outside the space-weather data")
        elif bstar > 0:
            area = drag_area_m2_from_bstar(bstar, mass, cd)
            source = f"B* {bstar:g} with mass {mass:g} kg and C_D {cd:g}"
            if len(history) > 1:
                notes.append(
                    f"no reboost-free span of at least {MIN_SPAN_DAYS:g} days in the "
                    f"{len(history)} element sets: the drag area comes from B*"
                )
        else:
            raise _no_area(bstar, len(history), req.fit_days)
    nominal = _run(req, replace(model, body=DragBody(mass, area, cd)), start, end, summary)
    keep_rows = ~np.isnan(nominal.altitude_km)
    interval = None
    if drag_fit is not None:
        b = drag_fit.ballistic_m2_kg
        b_low, b_high = max(b - sigma, 0.01 * b), b + sigma
        low = _run(
            req, replace(model, body=DragBody(mass, b_low * mass / cd, cd)), start, end, summary
        )
        high = _run(
            req, replace(model, body=DragBody(mass, b_high * mass / cd, cd)), start, end, summary
        )
        n = int(keep_rows.sum())

        def rows(run: _Run) -> NDArray[np.float64]:
            out = np.full(n, np.nan)
            m = min(n, run.altitude_km.size)
            out[:m] = run.altitude_km[:m]
            return out

        interval = LifetimeInterval(
            ballistic_low_m2_kg=b_low,
            ballistic_high_m2_kg=b_high,
            mean_altitude_high_km=rows(low),
            mean_altitude_low_km=rows(high),
            reentry_late_utc=low.reentry_utc,
            reentry_early_utc=high.reentry_utc,
            reboosts_low=len(low.reboosts),
            reboosts_high=len(high.reboosts),
            propellant_low_kg=float(sum(r.propellant_kg for r in low.reboosts)),
            propellant_high_kg=float(sum(r.propellant_kg for r in high.reboosts)),
        )
    day_s = nominal.day_s
    return LifetimeAnswer(
        object_name=el.name,
        catalog_number=el.catalog_number,
        start_utc=start,
        mass_kg=mass,
        drag_area_m2=area,
        drag_area_source=source,
        drag_coefficient=cd,
        band_km=req.band_km,
        sample_times_utc=[start + timedelta(seconds=float(s)) for s in day_s[keep_rows]],
        mean_altitude_km=nominal.altitude_km[keep_rows],
        reboosts=nominal.reboosts,
        reentry_utc=nominal.reentry_utc,
        infeasible_reason=nominal.infeasible_reason,
        infeasible_at_utc=nominal.infeasible_at_utc,
        fit=drag_fit,
        interval=interval,
        notes=tuple(notes),
    )
