"""Physical constants and model limits of the flight-dynamics layer, each with its source.

Only the standard library is imported here, so the scenario checks and the command line can
use these limits without loading the numerical stack.
"""

from __future__ import annotations

from datetime import UTC, datetime

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
