"""Element sets: TLE (two- and three-line, alpha-5) and CCSDS OMM (KVN, XML, JSON, CSV).

The numbers themselves are read by the ``sgp4`` package (``Satrec.twoline2rv`` for TLEs,
``sgp4.omm.initialize`` for OMM fields) and OMM KVN by ``ccsds-ndm``; this module adds what a
user needs around them: the checksum verified, the columns checked, and every bad record
reported with its file, line and field instead of an exception that loses the rest.
Conventions: AIAA 2006-6753 (Vallado et al.), WGS72 constants as SGP4 requires; epochs UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sgp4 import omm
from sgp4.api import WGS72, Satrec

from stationplan.errors import ElementSetError, Problem
from stationplan.orbit.constants import (
    R_EQ_KM,
    SGP4_RHO0_KG_M2_ER,
    WGS72_MU_KM3_S2,
    WGS72_R_KM,
)

ALPHA5 = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # I and O are not used (Space Force alpha-5 scheme)
_CHECKSUM_TABLE = str.maketrans(
    {**{c: "0" for c in map(chr, range(32, 127))}, **{str(d): str(d) for d in range(10)}, "-": "1"}
)
_UNIX_JD = 2440587.5

# (field name, first column, last column) 1-based inclusive, as in the TLE format.
_LINE1_FIELDS = [("epoch", 19, 32), ("mean motion derivative", 34, 43)]
_LINE2_FIELDS = [
    ("inclination", 9, 16),
    ("right ascension of the node", 18, 25),
    ("eccentricity", 27, 33),
    ("argument of perigee", 35, 42),
    ("mean anomaly", 44, 51),
    ("mean motion", 53, 63),
]


@dataclass(frozen=True)
class ElementSet:
    """One element set ready for SGP4, with where it came from."""

    catalog_number: int
    name: str
    satrec: Satrec = field(repr=False, compare=False)
    source: str = "<input>"
    line: int = 1
    kind: Literal["tle", "omm"] = "tle"

    @property
    def epoch_jd_utc(self) -> float:
        """Epoch as a UTC Julian date (whole + fraction summed)."""
        return float(self.satrec.jdsatepoch + self.satrec.jdsatepochF)

    @property
    def epoch_utc(self) -> datetime:
        """Epoch as an aware UTC datetime (microsecond resolution)."""
        days = (self.satrec.jdsatepoch - _UNIX_JD) + self.satrec.jdsatepochF
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=round(days * 864e8))

    @property
    def inclination_deg(self) -> float:
        """Mean inclination (deg)."""
        return float(self.satrec.inclo) * 57.29577951308232

    @property
    def mean_motion_rev_day(self) -> float:
        """Kozai mean motion (rev/day) as given in the element set."""
        return float(self.satrec.no_kozai) * 1440.0 / 6.283185307179586


def checksum(line: str) -> int:
    """TLE modulo-10 checksum of the first 68 characters (digits count, '-' counts 1).

    >>> checksum("1 25544U 98067A   15086.17334635  .00015434  00000-0  22972-3 0  999")
    4
    """
    body = line[:68].translate(_CHECKSUM_TABLE)
    return (sum(body.encode("ascii")) - 48 * len(body)) % 10


def catalog_number(field_text: str) -> int:
    """Catalog number from columns 3-7, including alpha-5 (``A0001`` = 100001).

    >>> catalog_number("25544"), catalog_number("A0001"), catalog_number("Z9999")
    (25544, 100001, 339999)
    """
    text = field_text.strip()
    if text[:1].isalpha():
        head = text[0].upper()
        if head not in ALPHA5 or not text[1:].isdigit():
            raise ValueError(f"'{field_text}' is not a catalog number")
        return (ALPHA5.index(head) + 10) * 10000 + int(text[1:])
    return int(text)


def record_problem(source: str, line: int, message: str) -> Problem:
    return Problem(source=source, line=line, message=message)


def _check_line(
    text: str, expect: str, source: str, line_no: int, verify_checksum: bool = True
) -> Problem | None:
    bad = next((i for i, c in enumerate(text) if not (" " <= c <= "~")), None)
    if bad is not None:
        return record_problem(
            source,
            line_no,
            f"non-ASCII or control character {text[bad]!r} in column "
            f"{bad + 1}; TLE lines are plain ASCII",
        )
    if not text.startswith(f"{expect} "):
        return record_problem(
            source, line_no, f"TLE line {expect} must start with '{expect} ' (got {text[:2]!r})"
        )
    if len(text) != 69:
        return record_problem(
            source, line_no, f"TLE line {expect} must be 69 characters long (got {len(text)})"
        )
    if verify_checksum and not text[68].isdigit():
        return record_problem(
            source,
            line_no,
            f"TLE line {expect} column 69 must be the checksum digit (got {text[68]!r})",
        )
    if verify_checksum and int(text[68]) != checksum(text):
        return record_problem(
            source,
            line_no,
            f"TLE line {expect} checksum is {text[68]} but the line sums to {checksum(text)}",
        )
    fields = _LINE1_FIELDS if expect == "1" else _LINE2_FIELDS
    for name, a, b in fields:
        chunk = text[a - 1 : b]
        value = chunk.strip()
        if name == "eccentricity":
            value = "." + value
        try:
            float(value.replace(" ", "x") if value else "x")
        except ValueError:
            return record_problem(
                source,
                line_no,
                f"TLE line {expect} columns {a}-{b} ({name}): {chunk!r} is not a number",
            )
    return None


def parse_tle(
    line1: str,
    line2: str,
    name: str | None = None,
    source: str = "<input>",
    line_no: int = 1,
    verify_checksum: bool = True,
) -> ElementSet:
    """Parse one TLE (``line_no`` is the file line of ``line1``); raises ElementSetError.

    ``verify_checksum=False`` accepts a blank or wrong checksum column (some historical
    files, such as the Vallado verification set, carry none).
    """
    l1, l2 = line1.rstrip("\r\n "), line2.rstrip("\r\n ")
    if not verify_checksum:
        l1, l2 = l1.ljust(69), l2.ljust(69)
    for text, expect, n in ((l1, "1", line_no), (l2, "2", line_no + 1)):
        problem = _check_line(text, expect, source, n, verify_checksum)
        if problem is not None:
            raise ElementSetError(problem)
    try:
        num1, num2 = catalog_number(l1[2:7]), catalog_number(l2[2:7])
    except ValueError as exc:
        raise ElementSetError(record_problem(source, line_no, f"columns 3-7: {exc}")) from None
    if num1 != num2:
        raise ElementSetError(
            record_problem(
                source,
                line_no + 1,
                f"catalog number {num2} on line 2 does not match {num1} on line 1",
            )
        )
    # An element set SGP4 cannot initialise (sat.error != 0, e.g. a decayed object) is kept:
    # propagation reports it per element as NaN rows with the reason, not as a file error.
    sat = Satrec.twoline2rv(l1, l2, WGS72)
    label = (name or "").strip()
    if label.startswith("0 "):
        label = label[2:].strip()
    return ElementSet(num1, label or str(num1), sat, source, line_no, "tle")


_OMM_REQUIRED = (
    "EPOCH",
    "MEAN_MOTION",
    "ECCENTRICITY",
    "INCLINATION",
    "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER",
    "MEAN_ANOMALY",
    "NORAD_CAT_ID",
)
_OMM_DEFAULTS = {
    "BSTAR": "0",
    "MEAN_MOTION_DOT": "0",
    "MEAN_MOTION_DDOT": "0",
    "EPHEMERIS_TYPE": "0",
    "CLASSIFICATION_TYPE": "U",
    "ELEMENT_SET_NO": "999",
    "REV_AT_EPOCH": "0",
    "OBJECT_ID": "",
    "OBJECT_NAME": "",
}


def omm_from_fields(
    fields: dict[str, Any], source: str = "<input>", line_no: int = 1
) -> ElementSet:
    """An element set from OMM keywords (CelesTrak names); raises ElementSetError."""
    values = {k.upper(): ("" if v is None else str(v).strip()) for k, v in fields.items()}
    missing = [k for k in _OMM_REQUIRED if not values.get(k)]
    if missing:
        raise ElementSetError(
            record_problem(
                source, line_no, f"OMM record lacks mandatory field(s) {', '.join(missing)}"
            )
        )
    for key, default in _OMM_DEFAULTS.items():
        if not values.get(key):
            values[key] = default
    epoch_text = values["EPOCH"].rstrip("Z")
    try:
        epoch = datetime.fromisoformat(epoch_text)
    except ValueError:
        raise ElementSetError(
            record_problem(
                source, line_no, f"OMM EPOCH {values['EPOCH']!r} is not an ISO 8601 date-time"
            )
        ) from None
    values["EPOCH"] = epoch.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if len(values["OBJECT_ID"]) < 3:
        values["OBJECT_ID"] = "0000-000A"
    for key in (*_OMM_REQUIRED, "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT"):
        if key == "EPOCH":
            continue
        try:
            float(values[key])
        except ValueError:
            raise ElementSetError(
                record_problem(
                    source, line_no, f"OMM field {key} = {values[key]!r} is not a number"
                )
            ) from None
    try:
        sat = Satrec()
        omm.initialize(sat, values)
    except (ValueError, KeyError) as exc:
        raise ElementSetError(
            record_problem(source, line_no, f"OMM record cannot be read: {exc}")
        ) from None
    number = int(float(values["NORAD_CAT_ID"]))
    return ElementSet(number, values["OBJECT_NAME"] or str(number), sat, source, line_no, "omm")


DEFAULT_DRAG_COEFFICIENT = 2.2
"""C_D of a body in free-molecular flow when nothing better is known (Vallado 2013, sec. 8.6.2)."""


def bstar_from_drag(drag_coefficient: float, drag_area_m2: float, mass_kg: float) -> float:
    """SGP4 B* (1/Earth radii) of a body: B* = rho0 (C_D A / m) / 2 (Vallado 2013, eq. 9-42).

    >>> round(bstar_from_drag(2.2, 800.0, 420000.0), 6)  # the ISS: element sets show ~3.3e-4
    0.000329
    """
    if mass_kg <= 0:
        raise ValueError(f"mass must be positive (got {mass_kg} kg)")
    return 0.5 * drag_coefficient * drag_area_m2 / mass_kg * SGP4_RHO0_KG_M2_ER


def drag_area_m2_from_bstar(
    bstar: float, mass_kg: float, drag_coefficient: float = DEFAULT_DRAG_COEFFICIENT
) -> float:
    """Drag area (m^2) that B* implies for a body of ``mass_kg`` and drag coefficient C_D:
    A = 2 B* m / (rho0 C_D), the inverse of :func:`bstar_from_drag` (Vallado 2013, eq. 9-42).
    A B* of zero or below (an element set fitted with a negative drag term) gives 0.

    >>> round(drag_area_m2_from_bstar(0.000329, 420000.0))
    800
    """
    return max(0.0, 2.0 * bstar * mass_kg / (SGP4_RHO0_KG_M2_ER * drag_coefficient))


def from_mean_elements(
    altitude_km: float,
    inclination_deg: float,
    raan_deg: float,
    arg_latitude_deg: float,
    epoch_utc: datetime,
    eccentricity: float = 0.0005,
    bstar: float = 0.0,
    catalog_number: int = 99999,
    name: str = "",
) -> ElementSet:
    """An SGP4 element set for a near-circular orbit given by its mean altitude.

    ``altitude_km`` is the SGP4 mean semi-major axis (Brouwer, after un-Kozai) minus the WGS84
    equatorial radius, the same quantity an element set's mean motion gives; the Kozai mean
    motion is solved for by Newton iteration on SGP4's own initialisation. The argument of
    perigee is set to 0 so the mean anomaly equals the argument of latitude.
    """
    import math

    target_a_er = (altitude_km + R_EQ_KM) / WGS72_R_KM
    mu_er3_min2 = WGS72_MU_KM3_S2 * 3600.0 / WGS72_R_KM**3  # WGS72 GM in ER^3/min^2
    n = math.sqrt(mu_er3_min2 / target_a_er**3)  # rad/min, first guess
    epoch = epoch_utc.astimezone(UTC)
    days_1950 = (epoch - datetime(1949, 12, 31, tzinfo=UTC)).total_seconds() / 86400.0
    sat = Satrec()
    for _ in range(6):
        sat = Satrec()
        sat.sgp4init(
            WGS72,
            "i",
            catalog_number,
            days_1950,
            bstar,
            0.0,
            0.0,
            eccentricity,
            0.0,
            math.radians(inclination_deg),
            math.radians(arg_latitude_deg),
            n,
            math.radians(raan_deg),
        )
        ratio = target_a_er / sat.a
        n /= ratio**1.5
        if abs(ratio - 1.0) < 1e-12:
            break
    return ElementSet(catalog_number, name or str(catalog_number), sat, "<mean elements>", 1, "omm")


@dataclass(frozen=True)
class OrbitSummary:
    """Mean-element summary of an element set (SGP4's un-Kozai'd mean elements)."""

    epoch_utc: datetime
    period_min: float
    mean_altitude_km: float
    perigee_altitude_km: float
    apogee_altitude_km: float
    inclination_deg: float
    eccentricity: float
    raan_deg: float
    bstar: float


def summarize(el: ElementSet) -> OrbitSummary:
    """Period, mean/perigee/apogee altitude (above the WGS84 equatorial radius) and more."""
    import math

    sat = el.satrec
    a_km = sat.a * WGS72_R_KM
    return OrbitSummary(
        epoch_utc=el.epoch_utc,
        period_min=2.0 * math.pi * math.sqrt(a_km**3 / WGS72_MU_KM3_S2) / 60.0,
        mean_altitude_km=a_km - R_EQ_KM,
        perigee_altitude_km=a_km * (1.0 - sat.ecco) - R_EQ_KM,
        apogee_altitude_km=a_km * (1.0 + sat.ecco) - R_EQ_KM,
        inclination_deg=math.degrees(sat.inclo),
        eccentricity=float(sat.ecco),
        raan_deg=math.degrees(sat.nodeo),
        bstar=float(sat.bstar),
    )


def drag_free(el: ElementSet) -> ElementSet:
    """The same mean elements with B* = 0 and no mean-motion derivatives.

    For plans years ahead, a station that holds its altitude by reboosts is better flown at
    constant mean altitude (its plane still precesses with J2) than decayed by B* until SGP4
    gives up.
    """
    s = el.satrec
    days_1950 = (s.jdsatepoch - 2433281.5) + s.jdsatepochF
    sat = Satrec()
    sat.sgp4init(
        WGS72,
        "i",
        s.satnum,
        days_1950,
        0.0,
        0.0,
        0.0,
        s.ecco,
        s.argpo,
        s.inclo,
        s.mo,
        s.no_kozai,
        s.nodeo,
    )
    return ElementSet(el.catalog_number, el.name, sat, el.source, el.line, el.kind)


@dataclass(frozen=True)
class PortableElements:
    """An element set as plain numbers, to send to another process (python-sgp4's ``Satrec``
    does not pickle): the SGP4 initialisation arguments (AIAA 2006-6753: epoch in days since
    1949-12-31 00:00 UTC, angles in rad, mean motion in rad/min) and the set's identity."""

    catalog_number: int
    name: str
    source: str
    line: int
    kind: Literal["tle", "omm"]
    satnum: int
    days_1950: float
    bstar: float
    ndot: float
    nddot: float
    ecco: float
    argpo: float
    inclo: float
    mo: float
    no_kozai: float
    nodeo: float
    opsmode: str

    @classmethod
    def of(cls, el: ElementSet) -> PortableElements:
        s = el.satrec
        return cls(
            el.catalog_number,
            el.name,
            el.source,
            el.line,
            el.kind,
            int(s.satnum),
            (s.jdsatepoch - 2433281.5) + s.jdsatepochF,
            float(s.bstar),
            float(s.ndot),
            float(s.nddot),
            float(s.ecco),
            float(s.argpo),
            float(s.inclo),
            float(s.mo),
            float(s.no_kozai),
            float(s.nodeo),
            str(s.operationmode),
        )

    def element_set(self) -> ElementSet:
        """The element set again: SGP4 initialised from the same numbers."""
        sat = Satrec()
        sat.sgp4init(
            WGS72,
            self.opsmode,
            self.satnum,
            self.days_1950,
            self.bstar,
            self.ndot,
            self.nddot,
            self.ecco,
            self.argpo,
            self.inclo,
            self.mo,
            self.no_kozai,
            self.nodeo,
        )
        return ElementSet(self.catalog_number, self.name, sat, self.source, self.line, self.kind)
