"""Events of an orbit, all found by one search: Skyfield's ``find_discrete`` / ``find_maxima``.

Each event kind is a discrete state function of time (sunlit / penumbra / umbra; station
above / below the elevation mask; north / south of the equator); ``find_discrete`` samples it
at a step shorter than the shortest state and bisects every change to 1 ms (Skyfield's
default epsilon), well inside the 1 s this package promises. Launch windows and closest
approaches later use the same search.

Shadow: conical umbra and penumbra of a spherical Earth (Montenbruck & Gill 2000, sec. 3.4.2;
Vallado 2013 Algorithm 34), Earth radius 6378.137 km, Sun radius 696,000 km.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from skyfield.searchlib import find_discrete, find_maxima
from skyfield.timelib import Time

from stationplan.orbit import frames
from stationplan.orbit.shadow import shadow_fraction
from stationplan.orbit.timescale import DAY_S, iso_utc

Array = NDArray[np.float64]
StateFunction = Callable[[Time], tuple[Array, Array]]
"""A trajectory: Time (N epochs) -> TEME position (N, 3) km and velocity (N, 3) km/s."""

SUNLIT, PENUMBRA, UMBRA = 0, 1, 2


@dataclass(frozen=True)
class Event:
    """One event: its UTC time and what happened."""

    time_utc: str
    kind: str
    detail: dict[str, Any]
    jd_tt: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"time_utc": self.time_utc, "kind": self.kind, **self.detail}


def shadow_state(r_teme_km: Array, t: Time) -> NDArray[np.int64]:
    """0 sunlit, 1 penumbra, 2 umbra for (N, 3) TEME positions (conical shadow, shared with
    the propagator's solar radiation pressure: :func:`stationplan.orbit.shadow.shadow_fraction`).
    """
    nu = shadow_fraction(np.atleast_2d(r_teme_km), frames.sun_teme_km(t))
    state = np.full(nu.shape[0], SUNLIT, dtype=np.int64)
    state[nu < 1.0] = PENUMBRA
    state[nu <= 0.0] = UMBRA
    return state


def beta_angle_deg(r_teme_km: Array, v_teme_km_s: Array, t: Time) -> Array:
    """Beta angle (deg): the Sun's elevation above the orbit plane, per epoch."""
    h = np.cross(np.atleast_2d(r_teme_km), np.atleast_2d(v_teme_km_s))
    h /= np.linalg.norm(h, axis=1)[:, None]
    s = frames.sun_teme_km(t)
    s /= np.linalg.norm(s, axis=1)[:, None]
    out: Array = np.degrees(np.arcsin(np.clip(np.einsum("ij,ij->i", h, s), -1, 1)))
    return out


def elevation_deg(
    r_teme_km: Array, t: Time, site_itrs_km: Array, lat_deg: float, lon_deg: float
) -> Array:
    """Elevation (deg) of the object above a site's horizon (geodetic up), per epoch."""
    r = np.atleast_2d(r_teme_km)
    r_itrs, _ = frames.teme_to_itrs(r, np.zeros_like(r), t)
    rho = r_itrs - site_itrs_km
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    out: Array = np.degrees(np.arcsin(np.clip(rho @ up / np.linalg.norm(rho, axis=1), -1, 1)))
    return out


def _discrete(fn: Callable[[Time], Any], step_s: float) -> Callable[[Time], Any]:
    fn.step_days = step_s / DAY_S  # type: ignore[attr-defined]
    return fn


def eclipses(state: StateFunction, t0: Time, t1: Time, step_s: float = 5.0) -> list[Event]:
    """Umbra and penumbra entries and exits between ``t0`` and ``t1``.

    ``step_s`` must be shorter than the shortest penumbra crossing to keep both of its
    boundaries (LEO: about 8 s); 5 s is safe there.
    """

    def f(t: Time) -> Any:
        return shadow_state(state(t)[0], t)

    times, values = find_discrete(t0, t1, _discrete(f, step_s))
    before = int(f(t0)[0])
    out = []
    names = {SUNLIT: "sunlit", PENUMBRA: "penumbra", UMBRA: "umbra"}
    jds = np.atleast_1d(times.tt)
    for when, new, jd in zip(iso_utc(times), np.atleast_1d(values), jds, strict=True):
        new = int(new)
        kind = {
            (SUNLIT, PENUMBRA): "penumbra_entry",
            (SUNLIT, UMBRA): "umbra_entry",
            (PENUMBRA, UMBRA): "umbra_entry",
            (UMBRA, PENUMBRA): "umbra_exit",
            (UMBRA, SUNLIT): "umbra_exit",
            (PENUMBRA, SUNLIT): "penumbra_exit",
        }[(before, new)]
        out.append(Event(when, kind, {"from": names[before], "to": names[new]}, float(jd)))
        before = new
    return out


def node_crossings(state: StateFunction, t0: Time, t1: Time, step_s: float = 60.0) -> list[Event]:
    """Ascending and descending equator crossings (TEME z changes sign)."""

    def f(t: Time) -> Any:
        return (state(t)[0][:, 2] > 0).astype(np.int64)

    times, values = find_discrete(t0, t1, _discrete(f, step_s))
    return [
        Event(when, "ascending_node" if int(v) == 1 else "descending_node", {}, float(jd))
        for when, v, jd in zip(
            iso_utc(times), np.atleast_1d(values), np.atleast_1d(times.tt), strict=True
        )
    ]


def contacts(
    state: StateFunction,
    t0: Time,
    t1: Time,
    lat_deg: float,
    lon_deg: float,
    alt_m: float = 0.0,
    min_elevation_deg: float = 0.0,
    step_s: float = 20.0,
) -> list[dict[str, Any]]:
    """Passes over a ground site: AOS, LOS, time and value of the maximum elevation.

    A pass already in progress at ``t0`` or still open at ``t1`` is clipped to the span and
    flagged. ``step_s`` must be shorter than the shortest pass kept (20 s is fine for LEO).
    """
    site = frames.geodetic_to_itrs(lat_deg, lon_deg, alt_m)

    def elev(t: Time) -> Array:
        return elevation_deg(state(t)[0], t, site, lat_deg, lon_deg)

    def above(t: Time) -> Any:
        return (elev(t) >= min_elevation_deg).astype(np.int64)

    times, values = find_discrete(t0, t1, _discrete(above, step_s))
    edges = [t0, *[times[i] for i in range(len(times))], t1]
    flags = [int(above(t0)[0]), *[int(v) for v in np.atleast_1d(values)]]
    passes = []
    for k, is_up in enumerate(flags):
        if not is_up:
            continue
        a, b = edges[k], edges[k + 1]

        def elev_fn(t: Time) -> Array:
            return elev(t)

        elev_fn.step_days = step_s / DAY_S  # type: ignore[attr-defined]
        t_max, v_max = find_maxima(a, b, elev_fn)
        if len(t_max) == 0:  # the maximum is at an end of a clipped pass
            ends = [a, b]
            vals = [float(elev(a)[0]), float(elev(b)[0])]
            best = int(np.argmax(vals))
            t_peak, v_peak = ends[best], vals[best]
        else:
            best = int(np.argmax(v_max))
            t_peak, v_peak = t_max[best], float(v_max[best])
        passes.append(
            {
                "aos_utc": iso_utc(a)[0],
                "los_utc": iso_utc(b)[0],
                "max_elevation_utc": iso_utc(t_peak)[0],
                "max_elevation_deg": round(v_peak, 3),
                "duration_s": round(float(b.tt - a.tt) * DAY_S, 1),
                "clipped_start": k == 0,
                "clipped_end": k == len(flags) - 1,
            }
        )
    return passes


def sunlit_fraction_per_orbit(
    state: StateFunction, t0: Time, t1: Time, step_s: float = 5.0
) -> list[dict[str, Any]]:
    """Fraction of each full orbit (ascending node to ascending node) spent outside the umbra.

    Computed from the root-found umbra entries and exits, not from sampling.
    """
    nodes = [e.jd_tt for e in node_crossings(state, t0, t1) if e.kind == "ascending_node"]
    names = [e.time_utc for e in node_crossings(state, t0, t1) if e.kind == "ascending_node"]
    if len(nodes) < 2:
        return []
    ecl = eclipses(state, t0, t1, step_s)
    # umbra intervals (TT Julian dates), clipped to the span
    intervals: list[tuple[float, float]] = []
    start = float(t0.tt) if int(shadow_state(state(t0)[0], t0)[0]) == UMBRA else None
    for e in ecl:
        if e.kind == "umbra_entry":
            start = e.jd_tt
        elif e.kind == "umbra_exit" and start is not None:
            intervals.append((start, e.jd_tt))
            start = None
    if start is not None:
        intervals.append((start, float(t1.tt)))
    out = []
    for i in range(len(nodes) - 1):
        a, b = nodes[i], nodes[i + 1]
        dark = sum(max(0.0, min(b, hi) - max(a, lo)) for lo, hi in intervals)
        out.append(
            {
                "orbit_start_utc": names[i],
                "period_s": round((b - a) * DAY_S, 2),
                "sunlit_fraction": round(1.0 - dark / (b - a), 5),
            }
        )
    return out
