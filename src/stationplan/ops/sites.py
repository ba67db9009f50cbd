"""Places given by the user: a site of the default scenario by name, or LAT,LON[,ALT_M]."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stationplan.orbit.launch import Pad
from stationplan.scenario import Scenario, load_scenario
from stationplan.scenario.models import LaunchSite, Vehicle

EXAMPLE = "45.92,63.34,100"


@lru_cache(maxsize=1)
def default_scenario() -> Scenario:
    """The embedded default scenario (parsed once per process)."""
    return load_scenario().scenario


def parse_lat_lon(text: str) -> tuple[float, float, float]:
    """WGS84 latitude, longitude (deg) and height (m, default 0) from ``LAT,LON[,ALT_M]``.

    Bounded as a scenario ground station or launch site; ValueError says what is wrong.

    >>> parse_lat_lon("45.996, 63.564")
    (45.996, 63.564, 0.0)
    """
    parts = text.split(",")
    try:
        lat, lon = float(parts[0]), float(parts[1])
        alt = float(parts[2]) if len(parts) > 2 else 0.0
    except (ValueError, IndexError):
        raise ValueError(f"'{text}' is not LAT,LON[,ALT_M]; expected e.g. {EXAMPLE}") from None
    if len(parts) > 3 or not (-90 <= lat <= 90 and -180 <= lon <= 360 and -500 <= alt <= 9000):
        raise ValueError(
            f"'{text}': the latitude must be within -90..90 deg, the longitude -180..360 deg "
            "and the height -500..9000 m"
        )
    return lat, lon, alt


def looks_like_coordinates(text: str) -> bool:
    """True when ``text`` is meant as LAT,LON rather than a site name."""
    first = text.split(",")[0].strip()
    return "," in text and any(c.isdigit() for c in first)


@dataclass(frozen=True)
class ResolvedSite:
    """A launch site as the orbit layer needs it, and the scenario site and vehicle behind a
    named one (None for coordinates)."""

    label: str
    pad: Pad
    site: LaunchSite | None
    vehicle: Vehicle | None


def find_launch_site(sc: Scenario, text: str, label: str = "") -> LaunchSite:
    """The launch site of ``sc`` named ``text`` (a case-insensitive prefix of its name);
    ValueError naming the known sites (of ``label``, e.g. "scenario X") if none or several."""
    wanted = text.strip().lower()
    matches = [s for s in sc.launch_sites if wanted and s.name.lower().startswith(wanted)]
    if len(matches) != 1:
        names = ", ".join(s.name for s in sc.launch_sites)
        of = f" of {label}" if label else ""
        raise ValueError(
            f"'{text}' names no single launch site{of}; known: {names}; or give LAT,LON"
        )
    return matches[0]


def resolve_launch_site(text: str) -> ResolvedSite:
    """A launch site of the default scenario by (case-insensitive prefix of its) name, with the
    first vehicle that flies from it, or a pad at ``LAT,LON[,ALT_M]``. ValueError if neither."""
    if looks_like_coordinates(text):
        lat, lon, alt = parse_lat_lon(text)
        return ResolvedSite(text.strip(), Pad(lat, lon, alt), None, None)
    sc = default_scenario()
    site = find_launch_site(sc, text)
    vehicle = next((v for v in sc.vehicles if site.name in v.launch_sites), None)
    pad = Pad(site.latitude_deg, site.longitude_deg, site.altitude_m)
    return ResolvedSite(site.name, pad, site, vehicle)
