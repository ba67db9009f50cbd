"""One object's ephemeris from its element set, by SGP4 or by Cowell's method: the use case
behind ``stationplan propagate``; and the span checks shared by the element-set use cases."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, ValidationInfo, field_validator

from stationplan.errors import Problem
from stationplan.ops.choices import EphemerisFormat, Frame, PropagationModel
from stationplan.ops.requests import Request, SpanRequest, field_type, request_error
from stationplan.orbit import frames
from stationplan.orbit.element_files import find_object, read_elements
from stationplan.orbit.elements import ElementSet, drag_area_m2_from_bstar
from stationplan.orbit.propagate import propagate_sgp4, sgp4_limit
from stationplan.orbit.spaceweather import SpaceWeather
from stationplan.orbit.spaceweather_files import read_space_weather
from stationplan.orbit.timescale import as_time, time_grid, timescale, to_datetimes
from stationplan.scenario.models import SpaceWeatherEntry

MAX_EPOCHS = 5_000_000
DEFAULT_F107_SFU = 150.0
DEFAULT_AP = 15.0

if TYPE_CHECKING:
    F107 = float
    Ap = float
else:
    F107 = field_type(SpaceWeatherEntry, "f107_sfu")
    Ap = field_type(SpaceWeatherEntry, "ap")


class WeatherRequest(Request):
    """Solar activity for drag: a space-weather file, or constants (defaults F10.7 150 sfu,
    Ap 15), bounded as the scenario's ``space_weather`` fields."""

    f107: F107 | None = None
    ap: Ap | None = None
    space_weather: Path | None = None

    @field_validator("space_weather")
    @classmethod
    def _either(cls, path: Path | None, info: ValidationInfo) -> Path | None:
        data = info.data
        given = [n for n, k in (("F10.7", "f107"), ("Ap", "ap")) if data.get(k) is not None]
        if path is not None and given:
            raise ValueError(
                f"a constant {' and '.join(given)} and a space-weather file are alternatives: "
                "the file gives the daily values; drop one"
            )
        return path

    def space_weather_series(self) -> SpaceWeather:
        """The orbit layer's space-weather series of this request."""
        if self.space_weather is not None:
            return read_space_weather(self.space_weather)
        f107 = DEFAULT_F107_SFU if self.f107 is None else self.f107
        ap = DEFAULT_AP if self.ap is None else self.ap
        return SpaceWeather.constant(f107, f107, ap)


def until_sgp4_limit(
    el: ElementSet, start: datetime, end: datetime, what: str, notes: list[str]
) -> datetime:
    """``end``, or the instant SGP4 stops propagating ``el`` if that comes first (said in
    ``notes``); a bad request when it fails before ``start``."""
    limit = sgp4_limit(el, as_time(start), as_time(end))
    if limit is None:
        return end
    when: datetime = timescale().tt_jd(limit.jd_tt).utc_datetime()
    if (when - start).total_seconds() < 1.0:
        raise request_error(
            "start_utc",
            f"object {el.catalog_number} ({el.name}) cannot be propagated at "
            f"{start:%Y-%m-%d %H:%M} UTC (SGP4: {limit.reason}); no {what} can be computed",
        )
    notes.append(
        f"object {el.catalog_number} ({el.name}) stops propagating at "
        f"{when:%Y-%m-%dT%H:%M:%SZ} (SGP4: {limit.reason}); {what} end there"
    )
    return when


class PropagateRequest(SpanRequest, WeatherRequest):
    """An ephemeris of one object of an element file."""

    elements_file: Path
    object_id: str | None = None
    step_s: float = Field(default=60.0, gt=0, le=86400)
    frame: Frame = Frame.teme
    model: PropagationModel = PropagationModel.sgp4
    format: EphemerisFormat = EphemerisFormat.csv
    strict: bool = False


@dataclass(frozen=True)
class EphemerisAnswer:
    """States of one object at each epoch, in the requested frame.

    Cartesian frames fill ``r_km`` and ``v_km_s`` (N, 3); ``geodetic`` fills ``lat_deg``,
    ``lon_deg``, ``alt_km`` (N,). Rows where the propagation failed are NaN.
    """

    object_name: str
    catalog_number: int
    frame: Frame
    model: PropagationModel
    times_utc: list[datetime]
    r_km: NDArray[np.float64] | None = None
    v_km_s: NDArray[np.float64] | None = None
    lat_deg: NDArray[np.float64] | None = None
    lon_deg: NDArray[np.float64] | None = None
    alt_km: NDArray[np.float64] | None = None
    skipped: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def propagate(req: PropagateRequest) -> EphemerisAnswer:
    """The ephemeris of the request. The numerical model starts from the SGP4 state at the
    element epoch with the ballistic coefficient of B* (Vallado 2013, eq. 9-42)."""
    if (req.end_utc - req.start_utc).total_seconds() / req.step_s > MAX_EPOCHS:
        raise request_error("step_s", f"too small for the span: more than {MAX_EPOCHS:,} epochs")
    if req.format is EphemerisFormat.oem and req.frame is Frame.geodetic:
        raise request_error("format", "an OEM holds Cartesian states: use frame teme, gcrs or itrs")
    if req.format is EphemerisFormat.czml and req.frame not in (Frame.gcrs, Frame.itrs):
        raise request_error("format", "CZML needs frame gcrs (inertial) or itrs (Earth-fixed)")
    result = read_elements(req.elements_file, strict=req.strict)
    el = find_object(result, req.object_id, req.start_utc)
    t = time_grid(req.start_utc, req.end_utc, req.step_s)
    notes: list[str] = []
    if req.model is PropagationModel.numerical:
        from stationplan.orbit.numerical import ForceModel, cowell_from_satrec

        area_per_kg = drag_area_m2_from_bstar(float(el.satrec.bstar), mass_kg=1.0)
        force = ForceModel(
            mass_kg=1.0,
            drag_area_m2=area_per_kg,
            srp_area_m2=area_per_kg,
            space_weather=req.space_weather_series(),
        )
        cow = cowell_from_satrec(el.satrec, t, force)
        r, v = cow.r_teme_km, cow.v_teme_km_s
    else:
        res = propagate_sgp4(el, t)
        r, v = res.r_teme_km[0], res.v_teme_km_s[0]
        for reason in res.failures().values():
            notes.append(
                f"SGP4 failed for object {el.catalog_number} ({el.name}): {reason}; "
                "the rows where it failed are empty (NaN)"
            )
    base = EphemerisAnswer(
        object_name=el.name,
        catalog_number=el.catalog_number,
        frame=req.frame,
        model=req.model,
        times_utc=to_datetimes(t),
        skipped=result.problems,
        notes=notes,
    )
    if req.frame is Frame.teme:
        return replace(base, r_km=r, v_km_s=v)
    if req.frame is Frame.gcrs:
        r, v = frames.teme_to_gcrs(r, v, t)
        return replace(base, r_km=r, v_km_s=v)
    r, v = frames.teme_to_itrs(r, v, t)
    if req.frame is Frame.itrs:
        return replace(base, r_km=r, v_km_s=v)
    g = frames.itrs_to_geodetic(r)
    return replace(base, lat_deg=g.lat_deg, lon_deg=g.lon_deg, alt_km=g.alt_km)
