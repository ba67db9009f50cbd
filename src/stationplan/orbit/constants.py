"""Physical constants and model limits of the flight-dynamics layer, each with its source.

Only the standard library is imported here, so the scenario checks and the command line can
use these limits without loading the numerical stack.
"""

from __future__ import annotations

from datetime import UTC, datetime

# ----------------------------------------------------------------- Earth (WGS84 / EGM96)

MU_KM3_S2 = 398600.4418
"""Earth's GM including the atmosphere, km^3/s^2 (NIMA TR8350.2, WGS84, 3rd ed., 2000,
Table 3.1); used by the two-body formulas (periods, Hohmann transfers, catch-up rates)."""

R_EQ_KM = 6378.137
"""WGS84 equatorial radius, km (NIMA TR8350.2 Table 3.1). Mean altitude everywhere in
stationplan = mean semi-major axis - R_EQ_KM, the definition an element set's mean motion
gives."""

WGS84_F = 1.0 / 298.257223563
"""WGS84 flattening (NIMA TR8350.2 Table 3.1)."""

WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
"""WGS84 first eccentricity squared."""

OMEGA_EARTH_RAD_S = 7.292115e-5
"""Nominal rotation rate of the Earth (and of the atmosphere with it), rad/s (NIMA TR8350.2
Table 3.1)."""

J2 = 1.08262668e-3
"""Unnormalised second zonal harmonic (EGM96 C20 = -4.84165371736e-4 times -sqrt(5)), for the
secular node and perigee rates."""

# ----------------------------------------------------------------- the Earth SGP4 assumes

WGS72_MU_KM3_S2 = 398600.8
"""GM of WGS72, km^3/s^2: SGP4 works with it (AIAA 2006-6753, Vallado et al., sec. on
gravity constants); only code that mirrors SGP4's own mean elements uses it."""

WGS72_R_KM = 6378.135
"""WGS72 equatorial radius, km: SGP4's Earth radius unit."""

WGS72_J2 = 0.001082616
"""WGS72 J2, as SGP4's short-period terms use it."""

SGP4_RHO0_KG_M2_ER = 0.15696615
"""SGP4's reference density rho0 (kg/m^2 per Earth radius) in B* = rho0 C_D A / (2 m)
(Vallado 2013, eq. 9-42)."""

# ----------------------------------------------------------------- gravity model of Cowell

EGM2008_MU_KM3_S2 = 398600.4415
"""GM of EGM2008, km^3/s^2 (NGA.STND.0036, Table 5.1): with its zonal coefficients only."""

EGM2008_R_KM = 6378.1363
"""Reference radius of EGM2008's coefficients, km (NGA.STND.0036, Table 5.1)."""

# ----------------------------------------------------------------- Sun

AU_KM = 149597870.7
"""Astronomical unit, km (IAU 2012 Resolution B2)."""

R_SUN_KM = 696000.0
"""Radius of the solar disc, km (Montenbruck & Gill 2000, sec. 3.4.2)."""

# ----------------------------------------------------------------- engines and time

G0_M_S2 = 9.80665
"""Standard gravity, m/s^2 (CGPM 1901): turns a specific impulse (s) into exhaust speed."""

DAY_S = 86400.0
"""Seconds in a day."""

EPHEMERIS_NAME = "DE421"
EPHEMERIS_FIRST_UTC = datetime(1899, 7, 29, tzinfo=UTC)
EPHEMERIS_LAST_UTC = datetime(2053, 10, 8, tzinfo=UTC)
"""Span covered by JPL DE421 as shipped in ``skyfield-data`` (JD 2414864.5 to 2471184.5 TDB,
Folkner et al. 2009, IPN Progress Report 42-178); the Sun's position exists only inside it."""

REENTRY_ALTITUDE_KM = 150.0
"""Mean altitude treated as re-entry by the decay model and the altitude-keeping planner:
below it an orbit decays within a day or so (King-Hele 1987, *Satellite Orbits in an
Atmosphere*, ch. 7), so an altitude band must lie above it."""


def ephemeris_gap(start_utc: datetime, end_utc: datetime) -> str | None:
    """Why ``start_utc``..``end_utc`` (aware UTC) falls outside the planetary ephemeris, or
    ``None`` when the span is covered.

    >>> ephemeris_gap(datetime(2030, 1, 1, tzinfo=UTC), datetime(2060, 1, 1, tzinfo=UTC))
    'ends 2060-01-01, after 2053-10-08, the last day the DE421 ephemeris covers'
    """
    if start_utc < EPHEMERIS_FIRST_UTC:
        return (
            f"starts {start_utc:%Y-%m-%d}, before {EPHEMERIS_FIRST_UTC:%Y-%m-%d}, "
            f"the first day the {EPHEMERIS_NAME} ephemeris covers"
        )
    if end_utc > EPHEMERIS_LAST_UTC:
        return (
            f"ends {end_utc:%Y-%m-%d}, after {EPHEMERIS_LAST_UTC:%Y-%m-%d}, "
            f"the last day the {EPHEMERIS_NAME} ephemeris covers"
        )
    return None
