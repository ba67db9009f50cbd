"""The force model of Cowell propagation: what accelerates a spacecraft, bound to an epoch.

Units: km, km/s, km/s^2, seconds from the epoch (elapsed SI seconds); mass kg, areas m^2,
density kg/m^3. Frame: TEME of the epoch, held fixed and treated as inertial (see
:mod:`stationplan.orbit.numerical`).

Forces (each switchable in :class:`ForceModel`):

* Gravity: point mass plus EGM2008 zonal harmonics J2..J8 (default J2..J6),
  :mod:`stationplan.orbit.gravity`.
* Atmospheric drag: a = -1/2 rho (C_D A / m) |v_rel| v_rel with v_rel = v - omega x r, a
  co-rotating atmosphere (Vallado sec. 8.6.2). rho is NRLMSIS 2.1 (Emmert et al. 2021, Earth
  and Space Science 8, e2020EA001321) from ``pymsis.calculate`` at the WGS84 geodetic
  latitude, longitude and height of the satellite; Earth-fixed coordinates come from GMST
  1982 (the TEME -> PEF rotation of AIAA 2006-6753; polar motion ignored). F10.7 and Ap come
  from a :class:`~stationplan.orbit.spaceweather.SpaceWeather`, tabulated once per 3-hour
  slot before integrating; pymsis never reads or downloads its own space-weather file.
* Solar radiation pressure: cannonball model a = -nu P_sun C_R (A/m) (AU/d)^2 d_hat with
  P_sun = 4.56e-6 N/m^2, d the satellite-to-Sun vector and nu the visible fraction of the
  solar disc from the conical (umbra + penumbra) shadow model of
  :mod:`stationplan.orbit.shadow` (Montenbruck & Gill, *Satellite Orbits*, 2000, sec. 3.4).
  The Sun comes from JPL DE421 via Skyfield's :func:`~stationplan.orbit.timescale.ephemeris`,
  light-time corrected, computed on an hourly grid and interpolated linearly (error < 20 km
  in 1.5e8 km).

Speed and pymsis: a DOP853 step evaluates its 12 stages one after the other, each needing the
density at a position known only from the previous stage, so densities inside one integration
cannot be batched. Measured here (pymsis 0.13, NRLMSIS 2.1): 19-22 us for a one-point call,
9-12 us per point in batches of 100-10,000, so batching could at best halve that cost. What
was done instead: the integrator's right-hand side (:meth:`Dynamics.rhs_scalar`) is written on
plain floats (32 us per call with drag and SRP, of which pymsis is 19 us; a numpy version on
3-vectors took 200 us), and the space-weather inputs are tabulated per 3-hour slot before
integrating, so each call is one table lookup plus one pymsis call. Caching density on a time
grid would save at most 60 % more, but would evaluate density at predicted rather than actual
positions and make results depend on the integrator's path; density is therefore exact at
every stage. Many states at once (:meth:`Dynamics.acceleration_km_s2`) batch pymsis in one
call.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pymsis
from numpy.typing import ArrayLike, NDArray
from skyfield.sgp4lib import TEME
from skyfield.timelib import Time

from stationplan.errors import ArgumentError, Problem
from stationplan.orbit.constants import AU_KM
from stationplan.orbit.frames import geodetic_scalar, gmst82, itrs_to_geodetic
from stationplan.orbit.gravity import (
    MAX_ZONAL_DEGREE,
    gravity_acceleration_km_s2,
    gravity_acceleration_scalar,
)
from stationplan.orbit.shadow import (
    as_vectors,
    shadow_depths_scalar,
    shadow_fraction,
    shadow_fraction_scalar,
)
from stationplan.orbit.spaceweather import SpaceWeather
from stationplan.orbit.timescale import DAY_S, ephemeris, offset, utc_jd_parts

SOLAR_PRESSURE_N_M2 = 4.56e-6  # at 1 AU (Montenbruck & Gill, sec. 3.4.1)
DRAG_CEILING_KM = 2500.0  # above this rho is taken as 0 (NRLMSIS rho < 1e-15 kg/m^3 there)

SUN_GRID_STEP_S = 3600.0
_SLOT_S = 3 * 3600.0  # space weather changes at most every 3 hours


@dataclass(frozen=True)
class ForceModel:
    """Which forces act and on what spacecraft.

    ``zonal_degree``: 0 for a point mass, else 2..8 (J2..Jn). ``drag``: needs
    ``space_weather``; ``drag_coefficient`` C_D (2.2 by default, the usual LEO value, Vallado
    sec. 8.6.2). ``srp``: cannonball with ``reflectivity`` C_R in [0, 2] (1.8 by default as
    in GMAT) in the conical Earth shadow. ``msis_version``: 2.1 or 2.0; ``storm_time_ap``
    uses the 3-hourly ap history (NRLMSIS switch 9 = -1) instead of the daily Ap.
    """

    mass_kg: float
    drag_area_m2: float
    srp_area_m2: float
    space_weather: SpaceWeather | None = None
    drag_coefficient: float = 2.2
    reflectivity: float = 1.8
    zonal_degree: int = 6
    drag: bool = True
    srp: bool = True
    msis_version: float = 2.1
    storm_time_ap: bool = False

    def __post_init__(self) -> None:
        problems: list[Problem] = []

        def bad(name: str, message: str) -> None:
            problems.append(Problem("ForceModel", message, field=name))

        for name in ("mass_kg", "drag_area_m2", "srp_area_m2", "drag_coefficient", "reflectivity"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value):
                bad(name, f"expected a finite number, got {value!r}")
        if not problems:
            if self.mass_kg <= 0:
                bad("mass_kg", f"must be positive (got {self.mass_kg} kg)")
            if self.drag_area_m2 < 0:
                bad("drag_area_m2", f"must not be negative (got {self.drag_area_m2} m^2)")
            if self.srp_area_m2 < 0:
                bad("srp_area_m2", f"must not be negative (got {self.srp_area_m2} m^2)")
            if self.drag_coefficient <= 0:
                bad("drag_coefficient", f"must be positive (got {self.drag_coefficient})")
            if not 0.0 <= self.reflectivity <= 2.0:
                bad("reflectivity", f"C_R must be in [0, 2] (got {self.reflectivity})")
        if self.zonal_degree not in (0, *range(2, MAX_ZONAL_DEGREE + 1)):
            bad("zonal_degree", f"expected 0 or 2..{MAX_ZONAL_DEGREE}, got {self.zonal_degree!r}")
        if self.drag and self.space_weather is None:
            bad(
                "space_weather",
                "drag is on but no SpaceWeather was given (use "
                "SpaceWeather.constant(...) or read_space_weather(path))",
            )
        if str(self.msis_version) not in ("2.0", "2.1"):
            bad("msis_version", f"expected 2.0 or 2.1, got {self.msis_version!r}")
        if problems:
            raise ArgumentError(problems)

    @classmethod
    def gravity_only(cls, zonal_degree: int = 6) -> ForceModel:
        """Point mass plus zonal harmonics to ``zonal_degree``; no drag, no SRP."""
        return cls(
            mass_kg=1.0,
            drag_area_m2=0.0,
            srp_area_m2=0.0,
            zonal_degree=zonal_degree,
            drag=False,
            srp=False,
        )


def _as_vectors(name: str, value: ArrayLike) -> NDArray[np.float64]:
    return as_vectors(name, value, source="forces")


# --------------------------------------------------------------------- dynamics


class Dynamics:
    """A :class:`ForceModel` bound to an epoch and a span: what the right-hand side needs.

    Built once per propagation: GMST 1982 at the epoch and its rate, the Sun (TEME of the
    epoch) on an hourly grid over ``[t_first_s, t_last_s]``, and the NRLMSIS space-weather
    inputs for every 3-hour UTC slot of the span. Times are seconds from ``epoch``; UTC for
    pymsis is the epoch's UTC plus elapsed seconds (a leap second inside the span shifts the
    density's time of day by 1 s). The Earth rotation angle is GMST 1982 advanced at its
    rate over elapsed seconds, not re-evaluated from UT1: the length-of-day excess (about
    1 ms/day) makes that 3e-6 deg (0.3 m) off after half a day, nothing for density.
    """

    def __init__(self, epoch: Time, force: ForceModel, t_first_s: float, t_last_s: float) -> None:
        self.epoch = epoch
        self.force = force
        whole, fraction = utc_jd_parts(epoch)
        self._jd0_utc = float(whole) + float(fraction)
        theta, theta_dot_rad_s = gmst82(epoch)
        self._theta0_rad = float(theta[0])
        self.earth_rate_rad_s = float(theta_dot_rad_s[0])
        lo, hi = min(t_first_s, t_last_s, 0.0), max(t_first_s, t_last_s, 0.0)

        self._sun_t0_s = lo - SUN_GRID_STEP_S
        self._sun_teme_km = np.zeros((2, 3))
        if force.srp:
            n = int(np.ceil((hi - self._sun_t0_s) / SUN_GRID_STEP_S)) + 2
            grid_s = self._sun_t0_s + SUN_GRID_STEP_S * np.arange(n, dtype=np.float64)
            eph = ephemeris()
            sun_icrf = eph["earth"].at(offset(epoch, grid_s)).observe(eph["sun"]).position.km
            rotation = np.asarray(TEME.rotation_at(epoch), dtype=float)
            self._sun_teme_km = np.asarray((rotation @ sun_icrf).T, dtype=float)

        self.space_weather_clamped = False
        self._slot0_jd = math.floor((self._jd0_utc + lo / DAY_S) * 8.0) / 8.0
        n_slots = int(np.ceil((self._jd0_utc + hi / DAY_S - self._slot0_jd) * 8.0)) + 1
        self._f107 = np.zeros(n_slots)
        self._f107a = np.zeros(n_slots)
        self._ap = np.zeros((n_slots, 7))
        if force.drag:
            assert force.space_weather is not None  # checked by ForceModel
            inputs = force.space_weather.msis_inputs(
                self._slot0_jd + (np.arange(n_slots) + 0.5) / 8.0
            )
            self._f107, self._f107a, self._ap = inputs[0], inputs[1], inputs[2]
            self.space_weather_clamped = bool(np.any(inputs.clamped))
        self._slot_offset_s = (self._jd0_utc - self._slot0_jd) * DAY_S
        epoch_utc = epoch.utc_datetime().replace(tzinfo=None)
        self._epoch_dt64 = np.datetime64(epoch_utc, "us")
        self._msis_kwargs: dict[str, Any] = {"version": force.msis_version}
        if force.storm_time_ap:
            self._msis_kwargs["geomagnetic_activity"] = -1
        self._cd_area_mass_m2_kg = force.drag_coefficient * force.drag_area_m2 / force.mass_kg
        self._srp_km_s2 = (
            SOLAR_PRESSURE_N_M2 * force.reflectivity * force.srp_area_m2 / force.mass_kg * 1e-3
        )
        # Plain-float copies for the one-state path (rhs_scalar).
        self._sun_rows: list[list[float]] = self._sun_teme_km.tolist()
        self._weather_rows = [
            ([f], [fa], ap[None, :])
            for f, fa, ap in zip(self._f107.tolist(), self._f107a.tolist(), self._ap, strict=True)
        ]

    def gmst_rad(self, t_s: NDArray[np.float64]) -> NDArray[np.float64]:
        """Greenwich mean sidereal angle (1982) at ``t_s``: the TEME -> PEF rotation, rad."""
        return np.asarray(self._theta0_rad + self.earth_rate_rad_s * t_s, dtype=float)

    def sun_teme_km(self, t_s: NDArray[np.float64]) -> NDArray[np.float64]:
        """Geocentric Sun (light-time corrected) in TEME of the epoch, km, (N, 3)."""
        u = (np.asarray(t_s, dtype=float) - self._sun_t0_s) / SUN_GRID_STEP_S
        j = np.clip(np.floor(u).astype(np.int64), 0, self._sun_teme_km.shape[0] - 2)
        w = (u - j)[:, None]
        return np.asarray((1.0 - w) * self._sun_teme_km[j] + w * self._sun_teme_km[j + 1])

    def density_kg_m3(
        self, t_s: NDArray[np.float64], r_km: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """NRLMSIS total mass density at the satellite, kg/m^3, (N,); one pymsis call."""
        theta = self.gmst_rad(t_s)
        c, s = np.cos(theta), np.sin(theta)
        r_pef = np.column_stack(
            (c * r_km[:, 0] + s * r_km[:, 1], c * r_km[:, 1] - s * r_km[:, 0], r_km[:, 2])
        )
        g = itrs_to_geodetic(r_pef)
        lat, lon, h = g.lat_deg, g.lon_deg, g.alt_km
        rho = np.zeros(t_s.shape[0])
        low = h < DRAG_CEILING_KM
        if not np.any(low):
            return rho
        slot = np.clip(
            ((t_s[low] + self._slot_offset_s) // _SLOT_S).astype(np.int64),
            0,
            self._f107.shape[0] - 1,
        )
        dates = self._epoch_dt64 + np.round(t_s[low] * 1e6).astype("timedelta64[us]")
        out = pymsis.calculate(
            dates,
            lon[low],
            lat[low],
            h[low],
            self._f107[slot],
            self._f107a[slot],
            self._ap[slot],
            **self._msis_kwargs,
        )
        rho[low] = np.asarray(out, dtype=float).reshape(-1, 11)[:, 0]
        return rho

    def acceleration_km_s2(
        self, t_s: ArrayLike, r_teme_km: ArrayLike, v_teme_km_s: ArrayLike
    ) -> NDArray[np.float64]:
        """Total acceleration, km/s^2, (N, 3), at times ``t_s`` (scalar or (N,)) for states
        ``r_teme_km`` (N, 3) and ``v_teme_km_s`` (N, 3); all N evaluated in one batch."""
        r = _as_vectors("r_teme_km", r_teme_km)
        v = _as_vectors("v_teme_km_s", v_teme_km_s)
        t = np.broadcast_to(np.asarray(t_s, dtype=float), (r.shape[0],))
        acc = gravity_acceleration_km_s2(r, self.force.zonal_degree)
        if self.force.drag and self._cd_area_mass_m2_kg > 0.0:
            rho = self.density_kg_m3(t, r)
            w = self.earth_rate_rad_s
            v_rel = v - np.column_stack((-w * r[:, 1], w * r[:, 0], np.zeros(r.shape[0])))
            speed = np.sqrt(np.einsum("ij,ij->i", v_rel, v_rel))
            # kg/m^3 * m^2/kg * (km/s)^2 = 1e6 m/s^2 = 1e3 km/s^2
            acc -= (0.5e3 * self._cd_area_mass_m2_kg * rho * speed)[:, None] * v_rel
        if self.force.srp and self._srp_km_s2 > 0.0:
            sun = self.sun_teme_km(t)
            nu = shadow_fraction(r, sun)
            d = sun - r
            dn = np.sqrt(np.einsum("ij,ij->i", d, d))
            acc -= (nu * self._srp_km_s2 * (AU_KM / dn) ** 2 / dn)[:, None] * d
        return acc

    def rhs_scalar(self, t_s: float, y: NDArray[np.float64]) -> NDArray[np.float64]:
        """d(state)/dt for one state ``y`` = (r km, v km/s) at ``t_s``: the same physics as
        :meth:`acceleration_km_s2` on plain floats, through the scalar twins of the gravity,
        geodetic and shadow rules (numpy's per-call overhead dominates 3-vectors). The
        integrator calls this."""
        x, yy, z, vx, vy, vz = y.tolist()
        force = self.force
        ax, ay, az = gravity_acceleration_scalar(x, yy, z, force.zonal_degree)

        if force.drag and self._cd_area_mass_m2_kg > 0.0:
            theta = self._theta0_rad + self.earth_rate_rad_s * t_s  # TEME -> PEF
            c, s = math.cos(theta), math.sin(theta)
            lat, lon, h = geodetic_scalar(c * x + s * yy, c * yy - s * x, z)
            if h < DRAG_CEILING_KM:
                slot = min(
                    max(int((t_s + self._slot_offset_s) // _SLOT_S), 0), len(self._weather_rows) - 1
                )
                f107, f107a, ap = self._weather_rows[slot]
                date = self._epoch_dt64 + np.timedelta64(round(float(t_s) * 1e6), "us")
                out = pymsis.calculate(
                    [date], [lon], [lat], [h], f107, f107a, ap, **self._msis_kwargs
                )
                rho = float(out[0, 0])
                w = self.earth_rate_rad_s
                ux, uy, uz = vx + w * yy, vy - w * x, vz
                q = 0.5e3 * self._cd_area_mass_m2_kg * rho * math.sqrt(ux * ux + uy * uy + uz * uz)
                ax, ay, az = ax - q * ux, ay - q * uy, az - q * uz

        if force.srp and self._srp_km_s2 > 0.0:
            sun = self._sun_scalar(t_s)
            dx, dy, dz = sun[0] - x, sun[1] - yy, sun[2] - z
            dn = math.sqrt(dx * dx + dy * dy + dz * dz)
            nu = shadow_fraction_scalar((x, yy, z), sun)
            q = nu * self._srp_km_s2 * (AU_KM / dn) ** 2 / dn
            ax, ay, az = ax - q * dx, ay - q * dy, az - q * dz
        return np.array((vx, vy, vz, ax, ay, az))

    def _sun_scalar(self, t_s: float) -> tuple[float, float, float]:
        u = (t_s - self._sun_t0_s) / SUN_GRID_STEP_S
        j = min(max(math.floor(u), 0), len(self._sun_rows) - 2)
        w = u - j
        s0, s1 = self._sun_rows[j], self._sun_rows[j + 1]
        return s0[0] + w * (s1[0] - s0[0]), s0[1] + w * (s1[1] - s0[1]), s0[2] + w * (s1[2] - s0[2])

    def shadow_boundaries(self) -> list[Callable[[float, NDArray[np.float64]], float]]:
        """Functions of (t_s, state), rad, that change sign where the solar flux stops being
        smooth: the edge of the penumbra (c = a + b) and of the umbra (c = b - a), the depths
        of :func:`~stationplan.orbit.shadow.shadow_depths` (the eclipse search's rule) on
        floats. Empty when SRP is off. The integrator restarts at their roots so that no
        step straddles a shadow edge (the flux has unbounded second derivative there;
        stepping over it costs about 1 m per day for the ISS instead of a few mm)."""
        if not (self.force.srp and self._srp_km_s2 > 0.0):
            return []

        def depths(t_s: float, y: NDArray[np.float64]) -> tuple[float, float]:
            x, yy, z = y[:3].tolist()
            return shadow_depths_scalar((x, yy, z), self._sun_scalar(t_s))

        def penumbra(t_s: float, y: NDArray[np.float64]) -> float:
            return depths(t_s, y)[0]

        def umbra(t_s: float, y: NDArray[np.float64]) -> float:
            return depths(t_s, y)[1]

        return [penumbra, umbra]
