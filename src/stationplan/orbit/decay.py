"""Orbit lifetime: the mean-altitude history of a near-circular orbit under drag, for years.

Units: km, km/s, seconds from the start epoch (elapsed SI seconds); mass kg, area m^2, density
kg/m^3. *Mean altitude* is the mean semi-major axis minus 6378.137 km (the WGS84 equatorial
radius): the same quantity an element set's mean motion gives (SGP4's un-Kozai'd mean
semi-major axis, :func:`stationplan.orbit.elements.summarize`).

Method: orbit-averaged drag (King-Hele, *Satellite Orbits in an Atmosphere*, Blackie 1987,
ch. 3-4; Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. 2013, sec. 9.6).
For a circular orbit the Gauss equation for the semi-major axis, da/dt = (2 a^2 / mu) v . f,
with the drag acceleration f = -1/2 rho (C_D A / m) |v_rel| v_rel of a co-rotating atmosphere
(v_rel = v - omega x r), averaged over one revolution, gives::

    da/dt = -(a^2 / mu) (C_D A / m) < rho |v_rel| (v_rel . v) >

which reduces to King-Hele's da/dt = -sqrt(mu a) F (C_D A / m) rho for a uniform atmosphere
(F = (1 - omega a cos i / v)^2 ~ 0.92 for the ISS: the wind factor). The average <.> is a
quadrature over the argument of latitude: ``samples_per_orbit`` points equally spaced in u
over one period centred on each time-grid node (the trapezoid rule, spectrally accurate for
the smooth periodic dependence on u). Each sample is placed where the orbit really puts it:
in the plane of the current node (secular J2 regression, integrated along with a, the rate of
:func:`stationplan.orbit.plane.nodal_rate_rad_s` scaled as a^-3.5), at the UTC instant the
orbit reaches it, rotated to Earth-fixed axes by GMST 1982, at its WGS84 geodetic latitude,
longitude and height. NRLMSIS 2.1 (``pymsis``; Emmert et al. 2021) derives local solar time
from that UTC and longitude, so the day-night bulge is sampled relative to the true Sun
direction (the beta angle follows; :meth:`DecayHistory.beta_deg` reports it). The radius of a
sample includes SGP4's first-order J2 short-period term (Hoots & Roehrich 1980, Spacetrack
Report 3: r = a [1 - 3/4 J2 (R/a)^2 (3 cos^2 i - 1)] + 1/4 J2 (R^2/a) sin^2 i cos 2u, -0.8 and
+-1 km for the ISS), so mean altitude means exactly what it means in an element set. F10.7,
its 81-day mean and Ap come from a :class:`~stationplan.orbit.spaceweather.SpaceWeather`
(:meth:`~stationplan.orbit.spaceweather.SpaceWeather.msis_inputs`) for every sample: pymsis
never reads or downloads its own file.

Speed: NRLMSIS costs ~12 us per point, so densities are evaluated in batches ("chunks" of up
to ``max_chunk_days``) at the altitude the chunk starts from, and carried to nearby altitudes
by diffusive equilibrium: above ~250 km the thermosphere is nearly isothermal and each species
s falls off as exp(-m_s dPhi / (k T)) (Banks & Kockarts, *Aeronomy*, 1973; the shape of the
NRLMSIS profiles), so the density at a height offset follows from the species densities and
temperature NRLMSIS returns at the reference height. Measured against NRLMSIS itself at F10.7
70-250: 0.1 % mean, 0.3 % worst at 400 +- 10 km; 0.5 % mean, 1 % worst at 250 +- 5 km. A chunk
is rebuilt when the orbit has decayed ``refresh_km`` (5 km) below its reference. Per time cell
the log of the rate is fitted by a quadratic in the altitude offset (5 nodes), and a is
advanced through the cell by RK4 with the cell's space weather and geometry held fixed (a
documented fixed-step scheme: cells of ``step_h`` hours, sub-stepped so that a moves at most
0.5 km per RK4 step). Level crossings (a stop altitude, re-entry) are timed by integrating
dt = da / (da/dt) (Gauss-Legendre). Measured: the integrated rate matches NRLMSIS evaluated
directly to 0.03 %; 6-hour cells and 16 samples per orbit change a 60-day decay by < 0.3 %
(400 and 250-300 km) from 1-hour cells and 96 samples. Six years of altitude keeping take
about 2 s (140,000 NRLMSIS points; bench/bench_lifetime.py).

Why not Cowell: :func:`stationplan.orbit.numerical.propagate_cowell` resolves every
revolution (0.3-0.5 s of CPU per simulated day with drag, 11-18 min for six years) to get
short-period motion that an altitude history throws away; the averaged equation needs a few
hundred density evaluations per day. Cross-check (tests/orbit/test_decay.py): over 2-7 days
the mean-altitude decay rates agree within 2.5 % (ratios 0.977-1.010 in four cases) for a
circular model, 0.1 % when the model is given the orbit's eccentricity and perigee.

Assumptions and limits: near-circular orbit. The symmetric effect of an eccentricity on the
mean density is small (I0(ae/H) - 1 < 0.2 % for e ~ 0.001), but perigee aligned with the
day-side bulge changes the decay by up to +-2-3 % over days; it averages out over weeks as
perigee and the Sun move, and ``eccentricity`` / ``arg_perigee_deg`` model it when known
(held constant and J2-secular respectively). The plane feels no drag; C_D A / m is taken at
the middle of each cell; below ~180 km the averaging over a revolution becomes coarse (the
orbit decays several km per revolution), so the last day before re-entry is approximate.
Against the ISS (2001-2004 element sets, one drag area calibrated on half of 40 intervals):
predicted/observed decay rate median 1.17, 10-90 % 0.89-1.36 on the other half -- the spread
is the station's changing attitude, arrays and configuration, not the averaging.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import numpy as np
import pymsis
from numpy.typing import ArrayLike
from skyfield.timelib import Time

from stationplan.errors import ArgumentError, Problem
from stationplan.orbit import frames
from stationplan.orbit.arrays import Array
from stationplan.orbit.constants import (
    J2,
    MU_KM3_S2,
    OMEGA_EARTH_RAD_S,
    R_EQ_KM,
    REENTRY_ALTITUDE_KM,
    WGS72_J2,
    WGS72_R_KM,
)
from stationplan.orbit.plane import nodal_rate_rad_s
from stationplan.orbit.spaceweather import SpaceWeather
from stationplan.orbit.timescale import DAY_S, as_time, offset, to_datetimes, utc_jd_parts

# NRLMSIS 2.x species, in the order of pymsis output columns 1..9 (N2, O2, O, He, H, Ar, N,
# anomalous O, NO); molar masses g/mol.
_SPECIES_AMU = np.array(
    [28.0134, 31.9988, 15.9994, 4.002602, 1.00794, 39.948, 14.0067, 15.9994, 30.0061]
)
_AMU_KG = 1.66053906660e-27
_BOLTZMANN_J_K = 1.380649e-23
_SPECIES_KG = _SPECIES_AMU * _AMU_KG
_UNIX_EPOCH_JD = 2440587.5
_FIT_NODES = 5
_MAX_RK4_STEP_KM = 0.5
_GAUSS_X, _GAUSS_W = np.polynomial.legendre.leggauss(6)

Schedule = float | Callable[[Time], ArrayLike]
"""A quantity that may change with time: a number (constant), a :class:`StepSchedule`, or any
callable taking a Skyfield ``Time`` array of N epochs and returning N values."""


# --------------------------------------------------------------------- schedules and body


@dataclass(frozen=True, eq=False)
class StepSchedule:
    """A step function of time: each value holds from its UTC time until the next one.

    ``start_utc`` are timezone-aware datetimes in increasing order; the first value also holds
    before the first time, the last for ever after. Calling it with a Skyfield ``Time`` of N
    epochs gives the N values. Use it for a station that grows (modules, visiting vehicles).

    >>> from datetime import UTC, datetime
    >>> from stationplan.orbit.timescale import timescale
    >>> mass = StepSchedule.from_rows([(datetime(2030, 1, 1, tzinfo=UTC), 300e3),
    ...                                (datetime(2031, 1, 1, tzinfo=UTC), 320e3)], "mass_kg")
    >>> mass(timescale().utc(2030, [6, 18], 1)).tolist()
    [300000.0, 320000.0]
    """

    start_utc: tuple[datetime, ...]
    values: tuple[float, ...]
    name: str = "schedule"
    _tt_jd: Array = field(init=False, repr=False)

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        if len(self.start_utc) == 0 or len(self.start_utc) != len(self.values):
            problems.append(
                Problem(
                    self.name,
                    f"needs one or more rows of (time, value); got {len(self.start_utc)} times "
                    f"and {len(self.values)} values",
                )
            )
        for i, when in enumerate(self.start_utc):
            if not isinstance(when, datetime) or when.tzinfo is None:
                problems.append(
                    Problem(
                        self.name, f"{when!r} is not a timezone-aware datetime", field=f"rows[{i}]"
                    )
                )
        for i, value in enumerate(self.values):
            if not isinstance(value, int | float) or not math.isfinite(value):
                problems.append(
                    Problem(
                        self.name, f"expected a finite number, got {value!r}", field=f"rows[{i}]"
                    )
                )
        if problems:
            raise ArgumentError(problems)
        tt = np.atleast_1d(np.asarray(as_time(list(self.start_utc)).tt, dtype=float))
        if np.any(np.diff(tt) <= 0.0):
            raise ArgumentError(Problem(self.name, "times must be strictly increasing"))
        object.__setattr__(self, "_tt_jd", tt)

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[datetime, float]], name: str = "schedule"
    ) -> StepSchedule:
        """A schedule from ``(from_datetime_utc, value)`` rows."""
        listed = list(rows)
        return cls(tuple(r[0] for r in listed), tuple(float(r[1]) for r in listed), name)

    def __call__(self, t: Time) -> Array:
        """The value in force at each epoch of ``t``, (N,)."""
        tt = np.atleast_1d(np.asarray(t.tt, dtype=float))
        index = np.clip(np.searchsorted(self._tt_jd, tt, side="right") - 1, 0, None)
        return np.asarray(self.values, dtype=float)[index]


def _evaluate(schedule: Schedule, t: Time, name: str) -> Array:
    n = int(np.size(t.tt))
    if callable(schedule):
        values = np.broadcast_to(np.asarray(schedule(t), dtype=float), (n,)).copy()
    else:
        values = np.full(n, float(schedule))
    bad = ~np.isfinite(values) | (values <= 0.0)
    if np.any(bad):
        k = int(np.flatnonzero(bad)[0])
        when = to_datetimes(t)[k]
        raise ArgumentError(
            Problem(
                "DragBody",
                f"must be a positive finite number, got {values[k]!r} at {when.isoformat()}",
                field=name,
            )
        )
    return values


@dataclass(frozen=True)
class DragBody:
    """What drag acts on: mass (kg) and mean drag cross-section (m^2), each a :data:`Schedule`
    (number, :class:`StepSchedule` or callable of a ``Time`` array), and C_D.

    The cross-section is the area facing the flow averaged over attitude and solar-array
    angles; with C_D 2.2 (the usual LEO value, Vallado sec. 8.6.2) it is the quantity element
    sets calibrate (B* = rho0 C_D A / 2m). Mass changes from propellant burned are not
    subtracted: give them in ``mass_kg`` if they matter (for a station, resupply largely
    replaces them).
    """

    mass_kg: Schedule
    drag_area_m2: Schedule
    drag_coefficient: float = 2.2

    def __post_init__(self) -> None:
        if not math.isfinite(self.drag_coefficient) or self.drag_coefficient <= 0.0:
            raise ArgumentError(
                Problem(
                    "DragBody",
                    f"must be positive (got {self.drag_coefficient})",
                    field="drag_coefficient",
                )
            )
        for name in ("mass_kg", "drag_area_m2"):
            value = getattr(self, name)
            if not callable(value) and (
                not isinstance(value, int | float) or not math.isfinite(value) or value <= 0
            ):
                raise ArgumentError(
                    Problem(
                        "DragBody",
                        f"expected a positive number, StepSchedule or callable, got {value!r}",
                        field=name,
                    )
                )

    def mass_at(self, t: Time) -> Array:
        """Mass (kg) at each epoch of ``t``, (N,)."""
        return _evaluate(self.mass_kg, t, "mass_kg")

    def area_at(self, t: Time) -> Array:
        """Drag cross-section (m^2) at each epoch of ``t``, (N,)."""
        return _evaluate(self.drag_area_m2, t, "drag_area_m2")

    def ballistic_m2_kg(self, t: Time) -> Array:
        """C_D A / m (m^2/kg) at each epoch of ``t``, (N,): the inverse ballistic coefficient."""
        return self.drag_coefficient * self.area_at(t) / self.mass_at(t)


@dataclass(frozen=True)
class DecayModel:
    """The orbit-averaged drag model of a near-circular orbit: see the module docstring.

    ``inclination_deg`` mean inclination; ``body`` mass, area and C_D; ``space_weather`` F10.7
    and Ap. Numerics: ``step_h`` time cell (h), ``samples_per_orbit`` quadrature points in the
    argument of latitude, ``refresh_km`` altitude change after which densities are
    re-evaluated, ``max_chunk_days`` longest batch of cells per NRLMSIS call. ``msis_version``
    2.1 or 2.0; ``storm_time_ap`` uses the 3-hourly ap history (NRLMSIS switch 9 = -1).
    """

    inclination_deg: float
    body: DragBody
    space_weather: SpaceWeather
    step_h: float = 6.0
    samples_per_orbit: int = 16
    refresh_km: float = 5.0
    max_chunk_days: float = 16.0
    msis_version: float = 2.1
    storm_time_ap: bool = False

    def __post_init__(self) -> None:
        problems: list[Problem] = []

        def bad(name: str, message: str) -> None:
            problems.append(Problem("DecayModel", message, field=name))

        if not 0.0 <= self.inclination_deg <= 180.0:
            bad("inclination_deg", f"expected 0..180 deg, got {self.inclination_deg}")
        if not 0.05 <= self.step_h <= 48.0:
            bad("step_h", f"expected 0.05..48 h, got {self.step_h}")
        if not 4 <= self.samples_per_orbit <= 720:
            bad("samples_per_orbit", f"expected 4..720, got {self.samples_per_orbit}")
        if not 0.1 <= self.refresh_km <= 50.0:
            bad("refresh_km", f"expected 0.1..50 km, got {self.refresh_km}")
        if not self.max_chunk_days > 0.0:
            bad("max_chunk_days", f"must be positive, got {self.max_chunk_days}")
        if str(self.msis_version) not in ("2.0", "2.1"):
            bad("msis_version", f"expected 2.0 or 2.1, got {self.msis_version!r}")
        if problems:
            raise ArgumentError(problems)


# --------------------------------------------------------------------- orbit averages


@dataclass(frozen=True)
class _Samples:
    """NRLMSIS at K samples over one revolution for each of C cells (arrays (C, K, ...))."""

    a_km: Array  # (C,)
    rho_kg_m3: Array  # (C, K)
    mass_fraction: Array  # (C, K, S)
    temperature_k: Array  # (C, K)
    r_km: Array  # (C, K)
    v_km_s: Array  # (C, K, 3)
    wind_km_s: Array  # (C, K, 3): omega x r
    clamped: bool


def _orbit_samples(
    model: DecayModel,
    epoch: Time,
    t_mid_s: Array,
    a_km: Array,
    raan_rad: Array,
    eccentricity: float = 0.0,
    argp_rad: Array | None = None,
) -> _Samples:
    """Place K samples on each cell's orbit and call NRLMSIS once for all of them."""
    k = model.samples_per_orbit
    frac = (np.arange(k) + 0.5) / k
    u = 2.0 * np.pi * frac  # (K,)
    period_s = 2.0 * np.pi * np.sqrt(a_km**3 / MU_KM3_S2)
    t_s = t_mid_s[:, None] + (frac - 0.5)[None, :] * period_s[:, None]  # (C, K)
    t = offset(epoch, t_s.ravel())
    theta = frames.gmst82(t)[0].reshape(t_s.shape)
    whole, fraction = utc_jd_parts(t)
    jd_utc = np.asarray(whole + fraction, dtype=float)

    inc = math.radians(model.inclination_deg)
    ci, si = math.cos(inc), math.sin(inc)
    j2r2_a = WGS72_J2 * WGS72_R_KM**2 / a_km[:, None]
    radius = (
        a_km[:, None]
        - 0.75 * j2r2_a * (3.0 * ci * ci - 1.0)
        + 0.25 * j2r2_a * si * si * np.cos(2.0 * u)[None, :]
    )
    speed = np.sqrt(MU_KM3_S2 / a_km)[:, None] * np.ones_like(radius)
    if eccentricity > 0.0 and argp_rad is not None:
        # r = a (1 - e cos M) to first order in e, M = u - argp; speed from vis-viva.
        radius = radius - a_km[:, None] * eccentricity * np.cos(u[None, :] - argp_rad[:, None])
        speed = np.sqrt(MU_KM3_S2 * (2.0 / radius - 1.0 / a_km[:, None]))
    cu, su = np.cos(u)[None, :], np.sin(u)[None, :]
    cn, sn = np.cos(raan_rad)[:, None], np.sin(raan_rad)[:, None]
    x = radius * (cu * cn - su * ci * sn)
    y = radius * (cu * sn + su * ci * cn)
    z = radius * (su * si)
    v = np.stack(
        [speed * (-su * cn - cu * ci * sn), speed * (-su * sn + cu * ci * cn), speed * cu * si],
        axis=-1,
    )
    w = OMEGA_EARTH_RAD_S
    wind = np.stack([-w * y, w * x, np.zeros_like(x)], axis=-1)
    c, s = np.cos(theta), np.sin(theta)
    r_pef = np.column_stack(((c * x + s * y).ravel(), (c * y - s * x).ravel(), z.ravel()))
    g = frames.itrs_to_geodetic(r_pef)
    lat, lon, h = g.lat_deg, g.lon_deg, g.alt_km

    inputs = model.space_weather.msis_inputs(jd_utc)
    dates = np.datetime64("1970-01-01T00:00:00", "us") + np.round(
        (jd_utc - _UNIX_EPOCH_JD) * DAY_S * 1e6
    ).astype("timedelta64[us]")
    kwargs: dict[str, Any] = {"version": model.msis_version}
    if model.storm_time_ap:
        kwargs["geomagnetic_activity"] = -1
    out = np.asarray(
        pymsis.calculate(
            dates,
            lon,
            lat,
            h,
            inputs.f107_prev_day_sfu,
            inputs.f107_81day_sfu,
            inputs.ap,
            **kwargs,
        ),
        dtype=float,
    ).reshape(-1, 11)
    species = np.nan_to_num(out[:, 1:10], nan=0.0) * _SPECIES_KG
    total = species.sum(axis=1)
    fraction_s = species / np.where(total > 0.0, total, 1.0)[:, None]
    shape = t_s.shape
    return _Samples(
        a_km=a_km,
        rho_kg_m3=out[:, 0].reshape(shape),
        mass_fraction=fraction_s.reshape((*shape, _SPECIES_KG.size)),
        temperature_k=out[:, 10].reshape(shape),
        r_km=np.sqrt(x * x + y * y + z * z),
        v_km_s=v,
        wind_km_s=wind,
        clamped=bool(np.any(inputs.clamped)),
    )


def _rate_per_ballistic(samples: _Samples, dalt_km: Array) -> Array:
    """da/dt per unit C_D A / m (km/s per m^2/kg), (C, M), at altitude offsets (M,) from the
    samples' reference, by diffusive equilibrium of each species (module docstring)."""
    a = samples.a_km[:, None]  # (C, 1)
    a_m = a + dalt_km[None, :]  # (C, M)
    scale = (a_m / a)[:, None, :]  # (C, 1, M)
    r0 = samples.r_km[:, :, None]  # (C, K, 1)
    r1 = r0 * scale
    dphi_j_kg = MU_KM3_S2 * (1.0 / r0 - 1.0 / r1) * 1e6  # (C, K, M)
    kt = _BOLTZMANN_J_K * samples.temperature_k[:, :, None, None]  # (C, K, 1, 1)
    boltz = np.exp(-_SPECIES_KG * dphi_j_kg[..., None] / kt)  # (C, K, M, S)
    rho = samples.rho_kg_m3[:, :, None] * np.einsum("cks,ckms->ckm", samples.mass_fraction, boltz)
    v = samples.v_km_s[:, :, None, :] / np.sqrt(scale)[..., None]  # (C, K, M, 3)
    v_rel = v - samples.wind_km_s[:, :, None, :] * scale[..., None]
    q = np.linalg.norm(v_rel, axis=-1) * np.einsum("ckmi,ckmi->ckm", v_rel, v)
    # kg/m^3 * m^2/kg = 1/m = 1e3 / km
    return np.asarray(-(a_m**2) / MU_KM3_S2 * 1e3 * np.mean(rho * q, axis=1), dtype=float)


def apsidal_rate_rad_s(altitude_km: float, inclination_deg: float) -> float:
    """Secular J2 rate of the argument of perigee (rad/s) of a near-circular orbit:
    0.75 n J2 (R/a)^2 (5 cos^2 i - 1) (Vallado 2013, eq. 9-41).

    >>> round(math.degrees(apsidal_rate_rad_s(415.0, 51.64)) * 86400, 2)  # ISS: ~ +3.7 deg/day
    3.7
    """
    a = R_EQ_KM + altitude_km
    n = math.sqrt(MU_KM3_S2 / a**3)
    c = math.cos(math.radians(inclination_deg))
    return 0.75 * n * J2 * (R_EQ_KM / a) ** 2 * (5.0 * c * c - 1.0)


def decay_rate_km_day(
    model: DecayModel,
    t: Time | datetime,
    mean_altitude_km: ArrayLike,
    raan_deg: ArrayLike = 0.0,
    eccentricity: float = 0.0,
    arg_perigee_deg: ArrayLike = 0.0,
) -> Array:
    """Orbit-averaged rate of change of the mean altitude, km/day (negative), (N,).

    ``t`` scalar or N epochs; ``mean_altitude_km``, ``raan_deg`` (TEME node) and
    ``arg_perigee_deg`` scalar or (N,); ``eccentricity`` mean, 0 for circular.
    NRLMSIS is evaluated at every sample (no altitude extrapolation): one call of N x
    ``samples_per_orbit`` points. This is the right-hand side :func:`propagate_decay`
    integrates.
    """
    tt = as_time(t)
    jd_tt = np.atleast_1d(np.asarray(tt.tt, dtype=float))
    n = jd_tt.size
    alt = np.broadcast_to(np.asarray(mean_altitude_km, dtype=float), (n,))
    raan = np.broadcast_to(np.radians(np.asarray(raan_deg, dtype=float)), (n,))
    if not np.all(np.isfinite(alt)) or np.any(alt <= 0.0):
        raise ArgumentError(
            Problem("decay_rate_km_day", "mean altitudes must be positive", field="altitude")
        )
    epoch = tt if np.ndim(tt.tt) == 0 else tt[0]
    t_s = (jd_tt - float(np.asarray(epoch.tt))) * DAY_S
    argp = np.broadcast_to(np.radians(np.asarray(arg_perigee_deg, dtype=float)), (n,))
    samples = _orbit_samples(model, epoch, t_s, R_EQ_KM + alt, raan, eccentricity, argp)
    b = model.body.ballistic_m2_kg(offset(epoch, t_s))
    return np.asarray(_rate_per_ballistic(samples, np.zeros(1))[:, 0] * b * DAY_S, dtype=float)


# --------------------------------------------------------------------- propagation

EndReason = Literal["end", "lower_limit", "reentry"]


@dataclass(frozen=True, eq=False)
class DecayHistory:
    """Mean altitude from :func:`propagate_decay`, on the cell grid plus the end point.

    ``t_s`` (N,) seconds from ``epoch``; ``mean_altitude_km`` (N,); ``raan_deg`` (N,) node
    (TEME, secular J2); ``rate_km_day`` (N,) da/dt there. ``end_reason``: ``"end"`` (reached
    the end time), ``"lower_limit"`` (reached ``stop_below_km``) or ``"reentry"``;
    ``stopped_at_s`` is when for the last two. ``space_weather_clamped`` is True when some
    time fell outside the space-weather data (nearest day used). ``msis_points`` counts the
    NRLMSIS evaluations, ``wall_time_s`` the run time.
    """

    epoch: Time
    inclination_deg: float
    t_s: Array
    mean_altitude_km: Array
    raan_deg: Array
    rate_km_day: Array
    end_reason: EndReason
    stopped_at_s: float | None
    space_weather_clamped: bool
    msis_points: int
    wall_time_s: float

    @property
    def t(self) -> Time:
        """The history's epochs as a Skyfield ``Time``."""
        return offset(self.epoch, self.t_s)

    @property
    def times_utc(self) -> list[datetime]:
        """The history's epochs as aware UTC datetimes."""
        return to_datetimes(self.t)

    @property
    def days(self) -> Array:
        """``t_s`` in days."""
        return self.t_s / DAY_S

    def altitude_at_km(self, t_s: ArrayLike) -> Array:
        """Mean altitude (km) at ``t_s`` seconds from ``epoch``: linear between history points,
        NaN outside the history. At a reboost (two points at one time) the value after it."""
        t = np.atleast_1d(np.asarray(t_s, dtype=float))
        x, y = self.t_s, self.mean_altitude_km
        i = np.clip(np.searchsorted(x, t, side="right") - 1, 0, x.size - 1)
        j = np.minimum(i + 1, x.size - 1)
        gap = x[j] - x[i]
        w = np.where(gap > 0.0, (t - x[i]) / np.where(gap > 0.0, gap, 1.0), 0.0)
        out = y[i] + np.clip(w, 0.0, 1.0) * (y[j] - y[i])
        out[(t < x[0] - 1e-3) | (t > x[-1] + 1e-3)] = np.nan
        return np.asarray(out, dtype=float)

    def daily_km(self) -> tuple[Array, Array]:
        """Samples once a day from ``epoch`` to the end of the history: seconds from ``epoch``
        (M,) and the mean altitude there (km, M,) (:meth:`altitude_at_km`). A history that
        ends within 1 ms of a whole day (Julian-date round-off) keeps that day's sample."""
        n = int(np.floor((self.t_s[-1] + 1e-3) / DAY_S)) + 1 if self.t_s.size else 0
        day_s: Array = np.arange(n, dtype=float) * DAY_S
        return day_s, self.altitude_at_km(day_s)

    def beta_deg(self) -> Array:
        """Beta angle (deg) at each epoch: the Sun's elevation above the orbit plane."""
        inc = math.radians(self.inclination_deg)
        raan = np.radians(self.raan_deg)
        normal = np.stack(
            [
                math.sin(inc) * np.sin(raan),
                -math.sin(inc) * np.cos(raan),
                np.full_like(raan, math.cos(inc)),
            ],
            axis=-1,
        )
        sun = frames.sun_teme_km(self.t)
        sun /= np.linalg.norm(sun, axis=1)[:, None]
        dot = np.clip(np.einsum("ij,ij->i", normal, sun), -1.0, 1.0)
        return np.asarray(np.degrees(np.arcsin(dot)), dtype=float)


def _rk4(
    a0: float, dt: float, coef: Sequence[float], a_ref: float, b: float, level: float
) -> float:
    """a after ``dt`` s of da/dt = -b exp(c0 + c1 d + c2 d^2), d = a - a_ref, RK4 sub-steps.

    Stops at the first sub-step that ends at or below ``level`` (the lower edge of the fit
    range) and returns that altitude; the caller then finds the crossing time by quadrature.
    Where a fast decay makes one sub-step overshoot the fit range, ``d`` is held 1 km below
    its edge: the quadratic fit of log(rate) is meaningless further out and its exponential
    would overflow.
    """
    c0, c1, c2 = coef
    d_min = level - a_ref - 1.0

    def f(a: float) -> float:
        d = max(a - a_ref, d_min)
        return -b * math.exp(c0 + d * (c1 + d * c2))

    n = max(1, math.ceil(abs(f(a0)) * dt / _MAX_RK4_STEP_KM))
    h = dt / n
    a = a0
    for _ in range(n):
        k1 = f(a)
        k2 = f(a + 0.5 * h * k1)
        k3 = f(a + 0.5 * h * k2)
        k4 = f(a + h * k3)
        a += h * (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0
        if a <= level:
            break
    return a


def _time_to_level(a0: float, level: float, coef: Sequence[float], a_ref: float, b: float) -> float:
    """Seconds to decay from ``a0`` down to ``level``: integral of da / |da/dt| (Gauss)."""
    c0, c1, c2 = coef
    mid, half = 0.5 * (a0 + level), 0.5 * (a0 - level)
    total = 0.0
    for xg, wg in zip(_GAUSS_X.tolist(), _GAUSS_W.tolist(), strict=True):
        d = mid + half * xg - a_ref
        total += wg / (b * math.exp(c0 + d * (c1 + d * c2)))
    return half * total


def propagate_decay(
    model: DecayModel,
    start: Time | datetime,
    end: Time | datetime,
    mean_altitude_km: float,
    raan_deg: float = 0.0,
    *,
    eccentricity: float = 0.0,
    arg_perigee_deg: float = 0.0,
    stop_below_km: float | None = None,
    reentry_altitude_km: float = REENTRY_ALTITUDE_KM,
) -> DecayHistory:
    """Integrate the orbit-averaged decay of the mean altitude from ``start`` to ``end``.

    ``mean_altitude_km`` at ``start`` (mean semi-major axis - 6378.137 km); ``raan_deg`` the
    node (TEME) at ``start``, which sets the plane's angle to the Sun (use the element set's;
    0 if unknown). ``eccentricity`` (mean, held constant) and ``arg_perigee_deg`` (at
    ``start``, advanced by the secular J2 rate) are optional: the default circular orbit is
    right for years, but over days the alignment of perigee with the day-side density bulge
    changes the decay by a few per cent for e ~ 0.001 (see the Cowell cross-check in
    tests/orbit/test_decay.py). Stops early when the mean altitude reaches ``stop_below_km``
    (end_reason ``"lower_limit"``, e.g. the lower edge of an altitude band) or
    ``reentry_altitude_km`` (``"reentry"``; then ``stopped_at_s`` is the orbit lifetime).
    Method, accuracy and speed: module docstring. Raises ArgumentError for bad input.
    """
    started = time.perf_counter()
    t0, t1 = as_time(start), as_time(end)
    span_s = (float(np.asarray(t1.tt)) - float(np.asarray(t0.tt))) * DAY_S
    problems: list[Problem] = []
    if not span_s >= 0.0:
        problems.append(Problem("propagate_decay", "end is before start", field="end"))
    if not 0.0 <= eccentricity < 0.05:
        problems.append(
            Problem(
                "propagate_decay",
                f"expected a near-circular orbit (0 <= e < 0.05), got {eccentricity}",
                field="eccentricity",
            )
        )
    if not math.isfinite(mean_altitude_km) or mean_altitude_km <= reentry_altitude_km:
        problems.append(
            Problem(
                "propagate_decay",
                f"{mean_altitude_km} km is not above the re-entry altitude "
                f"{reentry_altitude_km} km",
                field="mean_altitude_km",
            )
        )
    if problems:
        raise ArgumentError(problems)

    step_s = model.step_h * 3600.0
    max_cells = max(1, math.ceil(model.max_chunk_days * DAY_S / step_s))
    inc = model.inclination_deg
    a = R_EQ_KM + mean_altitude_km
    raan = math.radians(raan_deg)
    argp = math.radians(arg_perigee_deg)
    by_limit = stop_below_km is not None and stop_below_km >= reentry_altitude_km
    floor_reason: EndReason = "lower_limit" if by_limit else "reentry"
    a_floor = R_EQ_KM + (
        stop_below_km if by_limit and stop_below_km is not None else reentry_altitude_km
    )
    stopped: float | None = 0.0 if a <= a_floor else None
    clamped = False
    n_points = 0
    ts, alts, raans, rates = [0.0], [mean_altitude_km], [raan], [math.nan]
    t = 0.0
    n_cells = max_cells
    while stopped is None and t < span_s - 1e-6:
        # This chunk's cells: from t to the following multiples of step_s, at most n_cells.
        k0 = math.floor(t / step_s + 1e-9) + 1
        edges = [t] + [min((k0 + i) * step_s, span_s) for i in range(n_cells)]
        t_edges = np.unique(np.array([e for e in edges if e >= t]))
        t_edges = t_edges[np.concatenate(([True], np.diff(t_edges) > 1e-6))]
        t_mid = 0.5 * (t_edges[:-1] + t_edges[1:])
        a_ref = a
        node_rate = nodal_rate_rad_s(a_ref - R_EQ_KM, inc)
        apsis_rate = apsidal_rate_rad_s(a_ref - R_EQ_KM, inc)
        samples = _orbit_samples(
            model,
            t0,
            t_mid,
            np.full(t_mid.size, a_ref),
            raan + node_rate * (t_mid - t),
            eccentricity,
            argp + apsis_rate * (t_mid - t),
        )
        clamped = clamped or samples.clamped
        n_points += samples.rho_kg_m3.size
        dalt = np.linspace(-model.refresh_km, 0.0, _FIT_NODES)
        log_rate = np.log(np.maximum(-_rate_per_ballistic(samples, dalt), 1e-300))  # (C, M)
        coefs = np.polynomial.polynomial.polyfit(dalt, log_rate.T, 2).T.tolist()  # (C, 3)
        ballistic = model.body.ballistic_m2_kg(offset(t0, t_mid)).tolist()
        if math.isnan(rates[0]):
            rates[0] = -ballistic[0] * math.exp(coefs[0][0]) * DAY_S
        level = max(a_floor, a_ref - model.refresh_km)
        for c in range(t_mid.size):
            ta, tb = float(t_edges[c]), float(t_edges[c + 1])
            coef, b = coefs[c], ballistic[c]
            a_new, t_new = _rk4(a, tb - ta, coef, a_ref, b, level), tb
            if a_new <= level:
                t_new = min(tb, ta + _time_to_level(a, level, coef, a_ref, b))
                a_new = level
            d = a_new - a_ref
            rate_now = -b * math.exp(coef[0] + d * (coef[1] + d * coef[2]))
            secular = 0.5 * (t_new - ta) * ((a_ref / a) ** 3.5 + (a_ref / a_new) ** 3.5)
            raan += secular * node_rate
            argp += secular * apsis_rate
            a, t = a_new, t_new
            ts.append(t)
            alts.append(a - R_EQ_KM)
            raans.append(raan)
            rates.append(rate_now * DAY_S)
            if a <= a_floor + 1e-9:
                stopped = t
                break
            if a <= level + 1e-9:
                break  # decayed refresh_km below the chunk's reference: re-evaluate
        # Next chunk: long enough to decay about refresh_km at the current rate.
        cell_km = abs(rates[-1]) * step_s / DAY_S
        n_cells = max_cells
        if cell_km > 0.0:
            n_cells = min(max_cells, max(2, math.ceil(1.2 * model.refresh_km / cell_km) + 1))
    reason: EndReason = "end" if stopped is None else floor_reason
    return DecayHistory(
        epoch=t0,
        inclination_deg=inc,
        t_s=np.array(ts),
        mean_altitude_km=np.array(alts),
        raan_deg=np.degrees(np.array(raans)),
        rate_km_day=np.array(rates),
        end_reason=reason,
        stopped_at_s=stopped,
        space_weather_clamped=clamped,
        msis_points=n_points,
        wall_time_s=time.perf_counter() - started,
    )
