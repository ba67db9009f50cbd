"""Cowell propagation: numerical integration of the full force model for long spans.

Units: km, km/s, km/s^2, seconds from the initial epoch (elapsed SI seconds); mass kg, areas
m^2, density kg/m^3. Frame: the TEME frame *of the initial epoch*, held fixed and treated as
inertial. TEME is the frame SGP4 states come in (AIAA 2006-6753), so an SGP4 state starts the
integration without conversion and results compare with SGP4 directly; its z axis is the
true pole of the epoch, which is what the zonal harmonics need. Holding it fixed ignores
precession and nutation after the epoch: about 50 arcsec per year, under 0.1 deg over a few
years, far below what drag uncertainty does to an orbit in that time.

Forces (each switchable in :class:`ForceModel`):

* Gravity: point mass plus zonal harmonics J2..J8 (default J2..J6) of EGM2008 (tide-free;
  NGA.STND.0036 Table 5.1; GM = 398600.4415 km^3/s^2, R = 6378.1363 km), with J_n =
  -sqrt(2n+1) * C_n0 from the fully normalised coefficients; acceleration from the gradient
  of the zonal potential with Legendre recurrences (Vallado, *Fundamentals of Astrodynamics
  and Applications*, 4th ed., 2013, sec. 8.6.1). Tesseral and sectoral terms are left out:
  away from resonances they cause short-period oscillations that the drag uncertainty of a
  LEO dwarfs (their size was not measured here; add them if metres matter).
* Atmospheric drag: a = -1/2 rho (C_D A / m) |v_rel| v_rel with v_rel = v - omega x r, a
  co-rotating atmosphere (Vallado sec. 8.6.2). rho is NRLMSIS 2.1 (Emmert et al. 2021, Earth
  and Space Science 8, e2020EA001321) from ``pymsis.calculate`` at the WGS84 geodetic
  latitude, longitude and height of the satellite; Earth-fixed coordinates come from GMST
  1982 (the TEME -> PEF rotation of AIAA 2006-6753; polar motion ignored). F10.7 and Ap come
  from a :class:`~stationplan.orbit.spaceweather.SpaceWeather`, tabulated once per 3-hour
  slot before integrating; pymsis never reads or downloads its own space-weather file.
* Solar radiation pressure: cannonball model a = -nu P_sun C_R (A/m) (AU/d)^2 d_hat with
  P_sun = 4.56e-6 N/m^2, d the satellite-to-Sun vector and nu the visible fraction of the
  solar disc from the conical (umbra + penumbra) shadow model (Montenbruck & Gill,
  *Satellite Orbits*, 2000, sec. 3.4). The Sun comes from JPL DE421
  via Skyfield's :func:`~stationplan.orbit.timescale.ephemeris`, light-time corrected,
  computed on an hourly grid and interpolated linearly (error < 20 km in 1.5e8 km).

Integrator: SciPy ``solve_ivp`` with DOP853 (Hairer, Norsett & Wanner), dense output, default
rtol = 1e-10 and atol = 1e-9 (km and km/s). The solar flux is not smooth at the edges of the
penumbra and umbra, so the integration is restarted at each edge (found as events) and the
step that found an edge is redone up to it (:func:`propagate_cowell`). Measured over one day
of the ISS (2015-03-27 element set) against the same runs at rtol 1e-13: gravity only or
gravity + SRP 4 mm; with drag 1-3 cm (pymsis hands NRLMSIS float32 inputs and an integer
day of year, so density is not perfectly smooth, and steps slightly at 00:00 UTC). A
drag-free J2 run keeps the energy v^2/2 - U to 1.4e-10 and the z angular momentum to 7e-11
(relative) over the day.

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
call. One day of ISS with all forces: about 0.5 s (550 steps, 63 segments, 8,300 calls);
gravity only: 0.06 s. See ``CowellResult.wall_time_s`` and ``nfev``.

Why our own code: no maintained Python library does Cowell propagation with these forces --
poliastro (which had such a propagator) was archived in 2023, Orekit is Java (its Python
wrapper needs a JVM), GMAT is a desktop application. SciPy, Skyfield, pymsis and sgp4 supply
the integrator, ephemeris and time, atmosphere and initial states; only the force sums are
written here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pymsis
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import OdeSolution, solve_ivp
from sgp4.api import SGP4_ERRORS, Satrec
from skyfield.sgp4lib import TEME, theta_GMST1982
from skyfield.timelib import Time

from stationplan.errors import ArgumentError, Problem
from stationplan.orbit.constants import (
    AU_KM,
    EGM2008_MU_KM3_S2,
    EGM2008_R_KM,
    R_EQ_KM,
    R_SUN_KM,
    WGS84_F,
)
from stationplan.orbit.frames import itrs_to_geodetic
from stationplan.orbit.shadow import as_vectors, shadow_fraction
from stationplan.orbit.spaceweather import SpaceWeather, date_of_jd_utc, jd_utc_of_date
from stationplan.orbit.timescale import DAY_S, ephemeris, offset, timescale, utc_jd_parts

# EGM2008 fully normalised zonal coefficients C_n0, n = 2..8 (NGA.STND.0036, Table 5.1).
EGM2008_C_N0: dict[int, float] = {
    2: -0.484165143790815e-03,
    3: 0.957161207093473e-06,
    4: 0.539965866638991e-06,
    5: 0.686702913736681e-07,
    6: -0.149953927978527e-06,
    7: 0.905120844521618e-07,
    8: 0.494756003005199e-07,
}
# Unnormalised J_n = -sqrt(2n+1) C_n0 (J2 = 1.0826e-3).
ZONAL_J: dict[int, float] = {n: -math.sqrt(2 * n + 1) * c for n, c in EGM2008_C_N0.items()}
MAX_ZONAL_DEGREE = max(ZONAL_J)

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


# --------------------------------------------------------------------- pure functions


def _as_vectors(name: str, value: ArrayLike) -> NDArray[np.float64]:
    return as_vectors(name, value, source="numerical")


def _zonal_sums(
    r_km: NDArray[np.float64], degree: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """|r|, and the sums over n of J_n (R/r)^n times P_n, (n+1) P_n + s P_n', and P_n'."""
    rn = np.sqrt(np.einsum("ij,ij->i", r_km, r_km))
    s = r_km[:, 2] / rn
    pot = np.zeros_like(rn)
    radial = np.zeros_like(rn)
    polar = np.zeros_like(rn)
    if degree >= 2:
        ratio = EGM2008_R_KM / rn
        ratio_n = ratio.copy()
        p_prev, p = np.ones_like(s), s  # P_0, P_1
        dp = np.ones_like(s)  # P_1'
        for n in range(1, degree):
            m = n + 1
            p_prev, p = p, ((2 * n + 1) * s * p - n * p_prev) / m
            dp = m * p_prev + s * dp  # P_m' = m P_{m-1} + s P_{m-1}'
            ratio_n = ratio_n * ratio
            coef = ZONAL_J[m] * ratio_n
            pot += coef * p
            radial += coef * ((m + 1) * p + s * dp)
            polar += coef * dp
    return rn, pot, radial, polar


def gravity_acceleration_km_s2(r_km: ArrayLike, zonal_degree: int = 6) -> NDArray[np.float64]:
    """Point-mass plus zonal (J2..Jn) acceleration, km/s^2, (N, 3), for positions (N, 3) km.

    a = (mu/r^2) [(-1 + sum J_n (R/r)^n ((n+1) P_n + s P_n')) r_hat - sum J_n (R/r)^n P_n' z_hat]
    with s = z/r (Vallado 2013, sec. 8.6.1), EGM2008 values (module docstring).
    """
    r = _as_vectors("r_km", r_km)
    rn, _, radial, polar = _zonal_sums(r, zonal_degree)
    k = EGM2008_MU_KM3_S2 / rn**2
    acc = ((k * (radial - 1.0)) / rn)[:, None] * r
    acc[:, 2] -= k * polar
    return acc


def gravity_potential_km2_s2(r_km: ArrayLike, zonal_degree: int = 6) -> NDArray[np.float64]:
    """Gravitational potential U = (mu/r) (1 - sum J_n (R/r)^n P_n(z/r)), km^2/s^2, (N,).

    The specific energy v^2/2 - U is conserved when only gravity acts.
    """
    r = _as_vectors("r_km", r_km)
    rn, pot, _, _ = _zonal_sums(r, zonal_degree)
    return np.asarray(EGM2008_MU_KM3_S2 / rn * (1.0 - pot), dtype=float)


def geodetic_wgs84(
    r_ecef_km: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """WGS84 geodetic latitude (deg), longitude (deg, -180..180) and height (km), each (N,),
    of Earth-fixed positions: :func:`stationplan.orbit.frames.itrs_to_geodetic`. Latitude and
    height do not depend on the rotation about z, so TEME positions give the right height too.
    """
    g = itrs_to_geodetic(_as_vectors("r_ecef_km", r_ecef_km))
    return g.lat_deg, g.lon_deg, g.alt_km


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
        theta, theta_dot_rad_day = theta_GMST1982(epoch.whole, epoch.ut1_fraction)
        self._theta0_rad = float(theta)
        self.earth_rate_rad_s = float(theta_dot_rad_day) / DAY_S
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
        self._zonal = [(n, ZONAL_J[n]) for n in range(2, force.zonal_degree + 1)]
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
        lat, lon, h = geodetic_wgs84(r_pef)
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
        :meth:`acceleration_km_s2` written on plain floats, about 6x faster for a single
        state (numpy's per-call overhead dominates 3-vectors). The integrator calls this."""
        x, yy, z, vx, vy, vz = y.tolist()
        force = self.force
        r2 = x * x + yy * yy + z * z
        r = math.sqrt(r2)
        s = z / r
        radial = polar = 0.0
        if self._zonal:
            ratio = EGM2008_R_KM / r
            ratio_n, p_prev, p, dp = ratio, 1.0, s, 1.0
            for m, j_m in self._zonal:
                n = m - 1
                p_prev, p = p, ((2 * n + 1) * s * p - n * p_prev) / m
                dp = m * p_prev + s * dp
                ratio_n *= ratio
                radial += j_m * ratio_n * ((m + 1) * p + s * dp)
                polar += j_m * ratio_n * dp
        k = EGM2008_MU_KM3_S2 / r2
        kr = k * (radial - 1.0) / r
        ax, ay, az = kr * x, kr * yy, kr * z - k * polar

        if force.drag and self._cd_area_mass_m2_kg > 0.0:
            lat, lon, h = _geodetic_scalar(x, yy, z, self._theta0_rad + self.earth_rate_rad_s * t_s)
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
            sx, sy, sz = self._sun_scalar(t_s)
            dx, dy, dz = sx - x, sy - yy, sz - z
            dn = math.sqrt(dx * dx + dy * dy + dz * dz)
            nu = _conical_scalar(*_disc_angles(r, dn, -(x * dx + yy * dy + z * dz) / (r * dn)))
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
        smooth: the edge of the penumbra (c = a + b) and of the umbra (c = b - a). Empty
        when SRP is off. The integrator restarts at their roots so that no step straddles
        a shadow edge (the flux has unbounded second derivative there; stepping over it
        costs about 1 m per day for the ISS instead of a few mm)."""
        if not (self.force.srp and self._srp_km_s2 > 0.0):
            return []

        def angles(t_s: float, y: NDArray[np.float64]) -> tuple[float, float, float]:
            x, yy, z = float(y[0]), float(y[1]), float(y[2])
            sx, sy, sz = self._sun_scalar(t_s)
            dx, dy, dz = sx - x, sy - yy, sz - z
            r = math.sqrt(x * x + yy * yy + z * z)
            dn = math.sqrt(dx * dx + dy * dy + dz * dz)
            return _disc_angles(r, dn, -(x * dx + yy * dy + z * dz) / (r * dn))

        def penumbra(t_s: float, y: NDArray[np.float64]) -> float:
            a, b, c = angles(t_s, y)
            return c - (a + b)

        def umbra(t_s: float, y: NDArray[np.float64]) -> float:
            a, b, c = angles(t_s, y)
            return c - (b - a)

        return [penumbra, umbra]


def _disc_angles(r_km: float, d_km: float, cos_c: float) -> tuple[float, float, float]:
    """Apparent radii of the Sun (a) and the Earth (b) and their separation (c), rad, seen
    from a satellite at |r| = ``r_km``, ``d_km`` from the Sun (Montenbruck & Gill 3.4.2)."""
    a = math.asin(min(R_SUN_KM / d_km, 1.0))
    b = math.asin(min(R_EQ_KM / r_km, 1.0))
    return a, b, math.acos(min(max(cos_c, -1.0), 1.0))


def _geodetic_scalar(x: float, y: float, z: float, theta_rad: float) -> tuple[float, float, float]:
    """:func:`geodetic_wgs84` for one TEME position rotated by GMST ``theta_rad``."""
    c, s = math.cos(theta_rad), math.sin(theta_rad)
    xp, yp = c * x + s * y, c * y - s * x
    p = math.hypot(xp, yp)
    a, f = R_EQ_KM, WGS84_F
    b = a * (1.0 - f)
    e2 = f * (2.0 - f)
    ep2 = e2 / (1.0 - e2)
    beta = math.atan2(z, (1.0 - f) * p)
    phi = beta
    for _ in range(2):
        phi = math.atan2(z + ep2 * b * math.sin(beta) ** 3, p - e2 * a * math.cos(beta) ** 3)
        beta = math.atan2((1.0 - f) * math.sin(phi), math.cos(phi))
    sphi = math.sin(phi)
    h = p * math.cos(phi) + z * sphi - a * math.sqrt(1.0 - e2 * sphi * sphi)
    return math.degrees(phi), math.degrees(math.atan2(yp, xp)), h


def _conical_scalar(a: float, b: float, c: float) -> float:
    """:func:`shadow_fraction` (conical) from the angles of :func:`_disc_angles`."""
    if c >= a + b:
        return 1.0
    if c <= b - a:
        return 0.0
    if c < a - b:
        return 1.0 - (b / a) ** 2
    x = (c * c + a * a - b * b) / (2.0 * c)
    y = math.sqrt(max(a * a - x * x, 0.0))
    area = (
        a * a * math.acos(min(max(x / a, -1.0), 1.0))
        + b * b * math.acos(min(max((c - x) / b, -1.0), 1.0))
        - c * y
    )
    return 1.0 - area / (math.pi * a * a)


# --------------------------------------------------------------------- propagation


@dataclass(frozen=True, eq=False)
class CowellResult:
    """States at the requested times and how the integration went.

    ``t_s`` (N,) seconds from ``epoch``; ``r_teme_km`` and ``v_teme_km_s`` (N, 3) in TEME of
    the epoch. Rows after a decay (height below the stop altitude) are NaN and
    ``decayed_at_s`` says when; rows after an integrator failure (step size underflow) are
    NaN and ``failure`` says why; ``space_weather_clamped`` is True when the span reached
    outside the space-weather data (nearest day used). ``nfev`` right-hand-side calls,
    ``n_steps`` accepted steps, ``n_segments`` integrations (restarts at shadow boundaries
    and the start of a backward run each begin a new one), ``wall_time_s`` setup plus
    integration.
    """

    epoch: Time
    t_s: NDArray[np.float64]
    r_teme_km: NDArray[np.float64]
    v_teme_km_s: NDArray[np.float64]
    nfev: int
    n_steps: int
    n_segments: int
    wall_time_s: float
    rtol: float
    atol: float
    decayed_at_s: float | None = None
    failure: str | None = None
    space_weather_clamped: bool = False
    dense: tuple[OdeSolution, ...] = field(default=(), repr=False)

    @property
    def t(self) -> Time:
        """The output epochs as a Skyfield ``Time``."""
        return offset(self.epoch, self.t_s)

    def state_at(self, t_s: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Position (N, 3) km and velocity (N, 3) km/s from the dense output at any ``t_s``
        inside the integrated span (NaN outside it); needs ``keep_dense=True``."""
        if not self.dense:
            raise ArgumentError(
                Problem(
                    "CowellResult",
                    "no dense output was kept: propagate with keep_dense=True",
                    field="state_at",
                )
            )
        t = np.atleast_1d(np.asarray(t_s, dtype=float))
        out = np.full((t.shape[0], 6), np.nan)
        for sol in self.dense:
            lo, hi = sorted((float(sol.t_min), float(sol.t_max)))
            inside = (t >= lo) & (t <= hi)
            if np.any(inside):
                out[inside] = np.asarray(sol(t[inside]), dtype=float).T
        return out[:, :3], out[:, 3:]


class _Event:
    """A terminal solve_ivp event with a direction (scipy reads these two attributes)."""

    terminal = True

    def __init__(self, fn: Callable[[float, NDArray[np.float64]], float], direction: float):
        self.fn = fn
        self.direction = direction

    def __call__(self, t_s: float, y: NDArray[np.float64]) -> float:
        return self.fn(t_s, y)


@dataclass
class _Run:
    """One direction of integration: outputs filled in as segments finish."""

    nfev: int = 0
    n_steps: int = 0
    n_segments: int = 0
    decayed_at_s: float | None = None
    failure: str | None = None
    ts: list[NDArray[np.float64]] = field(default_factory=list)
    interpolants: list[Any] = field(default_factory=list)


def _integrate(
    dynamics: Dynamics,
    state0: NDArray[np.float64],
    bound_s: float,
    t_out: NDArray[np.float64],
    out: NDArray[np.float64],
    rtol: float,
    atol: float,
    stop_altitude_km: float,
    keep_dense: bool,
) -> _Run:
    """Integrate from 0 to ``bound_s`` in segments split at shadow boundaries, writing the
    states at the ``t_out`` inside each segment into ``out`` (rows of 6).

    When an event ends a segment, the step that found it straddles the boundary and was
    computed with the force on both sides of it; that step is thrown away and redone from
    its start up to the event time exactly, so no accepted step crosses a discontinuity.
    """
    run = _Run()
    sign = 1.0 if bound_s > 0.0 else -1.0

    def below(t_s: float, y: NDArray[np.float64]) -> float:
        return _geodetic_scalar(float(y[0]), float(y[1]), float(y[2]), 0.0)[2] - stop_altitude_km

    def solve(
        t_a: float, t_b: float, y_a: NDArray[np.float64], events: list[_Event], step: float | None
    ) -> Any:
        sol = solve_ivp(
            dynamics.rhs_scalar,
            (t_a, t_b),
            y_a,
            method="DOP853",
            rtol=rtol,
            atol=atol,
            dense_output=True,
            events=events or None,
            first_step=None if step is None else min(step, abs(t_b - t_a)),
        )
        if sol.status == -1:
            run.failure = f"integration failed at t = {sol.t[-1]:.3f} s: {sol.message}"
        run.nfev += int(sol.nfev)
        run.n_steps += len(sol.t) - 1
        return sol

    def keep(t_a: float, t_b: float, dense: OdeSolution) -> None:
        inside = (sign * t_out > sign * t_a) & (sign * t_out <= sign * t_b)
        if np.any(inside):
            out[inside] = np.asarray(dense(t_out[inside]), dtype=float).T
        if keep_dense:
            run.ts.append(np.asarray(dense.ts)[1:] if run.ts else np.asarray(dense.ts))
            run.interpolants.extend(dense.interpolants)

    boundaries = dynamics.shadow_boundaries()
    directions = [0.0] * len(boundaries)
    t0, y0 = 0.0, state0
    step: float | None = None
    while True:
        events = [_Event(below, -1.0)] + [
            _Event(fn, d) for fn, d in zip(boundaries, directions, strict=True)
        ]
        sol = solve(t0, bound_s, y0, events, step)
        run.n_segments += 1
        if sol.status != 1:  # 0: reached bound_s; -1: failed (rows after it stay NaN)
            if len(sol.t) > 1:
                keep(t0, float(sol.t[-1]), sol.sol)
            return run
        t_end = float(sol.t[-1])
        t_last_step = float(sol.t[-2])
        if t_last_step != t0:
            good = OdeSolution(sol.sol.ts[:-1], sol.sol.interpolants[:-1])
            keep(t0, t_last_step, good)
        if len(sol.t) > 2:
            step = abs(t_last_step - float(sol.t[-3]))
        if t_end != t_last_step:
            redo = solve(t_last_step, t_end, np.asarray(sol.y[:, -2], dtype=float), [], step)
            if redo.status == -1:
                return run
            keep(t_last_step, t_end, redo.sol)
            state_at_end, dense_end = np.asarray(redo.y[:, -1], dtype=float), redo.sol
        else:
            state_at_end, dense_end = np.asarray(sol.y[:, -1], dtype=float), sol.sol
        fired = [k for k, te in enumerate(sol.t_events) if te.size]
        k = min(fired, key=lambda i: abs(float(sol.t_events[i][0]) - t_end))
        if k == 0:
            run.decayed_at_s = t_end
            return run
        # The boundary just crossed is not watched again in the same direction: its next
        # genuine crossing goes the other way, and a restart sitting on the root must not
        # find it again.
        fn = boundaries[k - 1]
        t_before = t_end - sign * 1e-2
        before = fn(t_before, np.asarray(dense_end(t_before), dtype=float))
        directions = [0.0] * len(boundaries)
        directions[k - 1] = 1.0 if before > 0.0 else -1.0  # the opposite of this crossing
        t0, y0 = t_end, state_at_end


def _seconds_from(epoch: Time, t: ArrayLike | Time) -> NDArray[np.float64]:
    if isinstance(t, Time):
        whole = np.asarray(t.whole, dtype=float) - float(epoch.whole)
        frac = np.asarray(t.tt_fraction, dtype=float) - float(epoch.tt_fraction)
        return np.atleast_1d((whole + frac) * DAY_S)
    return np.atleast_1d(np.asarray(t, dtype=float))


def propagate_cowell(
    r0_teme_km: ArrayLike,
    v0_teme_km_s: ArrayLike,
    epoch: Time,
    t_s: ArrayLike | Time,
    force: ForceModel,
    *,
    rtol: float = 1e-10,
    atol: float = 1e-9,
    stop_altitude_km: float = 100.0,
    keep_dense: bool = True,
) -> CowellResult:
    """Integrate the state (``r0_teme_km`` (3,), ``v0_teme_km_s`` (3,) at ``epoch``) under
    ``force`` and return it at ``t_s``: seconds from ``epoch`` (scalar or (N,), either sign)
    or a Skyfield ``Time``. Results are (N, 3) in TEME of ``epoch``.

    DOP853 (``solve_ivp``, dense output) forward for t > 0 and backward for t < 0, restarted
    at every shadow boundary (see :meth:`Dynamics.shadow_boundaries`); the integration stops
    when the WGS84 height falls below ``stop_altitude_km`` (later rows NaN). ``keep_dense``
    keeps the dense output for :meth:`CowellResult.state_at` (about 0.5 MB per day of a LEO).
    Raises ArgumentError for bad input (shapes, non-finite values, a start below the stop
    altitude); a numeric failure of the integrator is not raised: the rows after it are NaN
    and :attr:`CowellResult.failure` says why.
    """
    started = time.perf_counter()
    r0 = np.asarray(r0_teme_km, dtype=float)
    v0 = np.asarray(v0_teme_km_s, dtype=float)
    problems = []
    for name, value in (("r0_teme_km", r0), ("v0_teme_km_s", v0)):
        if value.shape != (3,) or not np.all(np.isfinite(value)):
            problems.append(
                Problem(
                    "propagate_cowell",
                    f"expected 3 finite numbers, got {np.array2string(value)}",
                    field=name,
                )
            )
    t = _seconds_from(epoch, t_s)
    if t.ndim != 1 or not np.all(np.isfinite(t)):
        problems.append(
            Problem("propagate_cowell", "output times must be finite, scalar or (N,)", field="t_s")
        )
    if not (0.0 < rtol < 1e-3 and atol > 0.0):
        problems.append(
            Problem(
                "propagate_cowell",
                f"need 0 < rtol < 1e-3 and atol > 0 (got rtol={rtol}, atol={atol})",
                field="rtol",
            )
        )
    if not problems:
        height = float(geodetic_wgs84(r0)[2][0])
        if height < stop_altitude_km:
            problems.append(
                Problem(
                    "propagate_cowell",
                    f"initial height {height:.1f} km is "
                    f"below the stop altitude {stop_altitude_km} km",
                    field="r0_teme_km",
                )
            )
    if problems:
        raise ArgumentError(problems)

    t_last, t_first = float(t.max(initial=0.0)), float(t.min(initial=0.0))
    dynamics = Dynamics(epoch, force, t_first, t_last)
    state0 = np.concatenate((r0, v0))
    out = np.full((t.shape[0], 6), np.nan)
    out[t == 0.0] = state0
    runs = [
        _integrate(dynamics, state0, bound, t, out, rtol, atol, stop_altitude_km, keep_dense)
        for bound in (t_last, t_first)
        if bound != 0.0
    ]
    decays = [run.decayed_at_s for run in runs if run.decayed_at_s is not None]
    failures = [run.failure for run in runs if run.failure is not None]
    dense = tuple(OdeSolution(np.concatenate(run.ts), run.interpolants) for run in runs if run.ts)
    return CowellResult(
        epoch=epoch,
        t_s=t,
        r_teme_km=out[:, :3],
        v_teme_km_s=out[:, 3:],
        nfev=sum(run.nfev for run in runs),
        n_steps=sum(run.n_steps for run in runs),
        n_segments=sum(run.n_segments for run in runs),
        wall_time_s=time.perf_counter() - started,
        rtol=rtol,
        atol=atol,
        decayed_at_s=decays[0] if decays else None,
        failure="; ".join(failures) or None,
        space_weather_clamped=dynamics.space_weather_clamped,
        dense=dense,
    )


def satrec_epoch(sat: Satrec) -> Time:
    """The element set's epoch (UTC, AIAA 2006-6753) as a Skyfield ``Time``."""
    whole = float(sat.jdsatepoch)
    d = date_of_jd_utc(whole)
    seconds = ((whole - jd_utc_of_date(d)) + float(sat.jdsatepochF)) * DAY_S
    return timescale().utc(d.year, d.month, d.day, 0, 0, seconds)


def cowell_from_satrec(
    sat: Satrec,
    t_s: ArrayLike | Time,
    force: ForceModel,
    *,
    rtol: float = 1e-10,
    atol: float = 1e-9,
    stop_altitude_km: float = 100.0,
    keep_dense: bool = True,
) -> CowellResult:
    """Cowell propagation started from the SGP4 state (TEME) of ``sat`` at its own epoch.

    ``t_s``: seconds from the element-set epoch, or a Skyfield ``Time``; the keywords are
    those of :func:`propagate_cowell`. Raises ArgumentError when SGP4 fails at the epoch
    (its error code is named).
    """
    error, r0, v0 = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF)
    if error != 0:
        raise ArgumentError(
            Problem(
                "cowell_from_satrec",
                f"SGP4 error {error} at the epoch: {SGP4_ERRORS.get(error, 'unknown')}",
                field=f"satnum {sat.satnum}",
            )
        )
    return propagate_cowell(
        np.array(r0),
        np.array(v0),
        satrec_epoch(sat),
        t_s,
        force,
        rtol=rtol,
        atol=atol,
        stop_altitude_km=stop_altitude_km,
        keep_dense=keep_dense,
    )
