"""Pydantic models of the scenario file: the programme, its stations, partners, fleet and plan.

Every field carries its unit in its name and a description (the JSON Schema that
``stationplan schema`` prints is built from them). Checks that involve one model only live
here; checks across the document (owners are declared partners, dates inside the programme,
launch sites able to reach the station's plane) live in :mod:`stationplan.scenario.checks`.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from stationplan.errors import ElementSetError
from stationplan.orbit.constants import REENTRY_ALTITUDE_KM
from stationplan.orbit.elements import ElementSet, parse_tle
from stationplan.orbit.rendezvous import RendezvousProfile
from stationplan.scenario.fields import StrictModel, UtcDatetime

Name = Annotated[str, Field(min_length=1, max_length=80)]
Code = Annotated[
    str,
    Field(
        min_length=2,
        max_length=16,
        pattern=r"^[A-Za-z][A-Za-z0-9_-]*$",
        description="Short identifier: letters, digits, '_' or '-', starting with a letter.",
    ),
]


# --------------------------------------------------------------------------- programme


class Programme(StrictModel):
    """The programme's name and planning span."""

    name: Name = Field(description="Name of the programme, shown in the report title.")
    start_utc: UtcDatetime = Field(description="Start of the planning span (UTC, ISO 8601).")
    end_utc: UtcDatetime = Field(description="End of the planning span (UTC, ISO 8601).")
    description: str = Field(default="", description="Free text shown under the report title.")

    @model_validator(mode="after")
    def _span(self) -> Programme:
        if self.end_utc <= self.start_utc:
            raise ValueError(
                f"end_utc ({self.end_utc:%Y-%m-%d}) must be after start_utc "
                f"({self.start_utc:%Y-%m-%d})"
            )
        return self


# --------------------------------------------------------------------------- orbits


class OmmElements(StrictModel):
    """Mean elements as a CCSDS OMM with SGP4 theory, keyword names as CelesTrak's JSON GP data.

    Units are those of the OMM standard (CCSDS 502.0-B-3): degrees, revolutions per day,
    BSTAR in 1/Earth radii. The keyword names are the standard's, so they carry no unit suffix.
    """

    OBJECT_NAME: str = Field(default="", description="Object name.")
    OBJECT_ID: str = Field(default="", description="International designator (COSPAR).")
    NORAD_CAT_ID: int = Field(ge=0, le=339999, description="Catalog number.")
    EPOCH: UtcDatetime = Field(description="Epoch of the mean elements (UTC).")
    MEAN_MOTION: float = Field(gt=0, le=20, description="Mean motion (rev/day).")
    ECCENTRICITY: float = Field(ge=0, lt=1, description="Eccentricity (dimensionless).")
    INCLINATION: float = Field(ge=0, le=180, description="Inclination (deg).")
    RA_OF_ASC_NODE: float = Field(
        ge=0, lt=360, description="Right ascension of the ascending node (deg)."
    )
    ARG_OF_PERICENTER: float = Field(ge=0, lt=360, description="Argument of perigee (deg).")
    MEAN_ANOMALY: float = Field(ge=0, lt=360, description="Mean anomaly (deg).")
    BSTAR: float = Field(default=0.0, description="SGP4 drag term (1/Earth radii).")
    MEAN_MOTION_DOT: float = Field(
        default=0.0, description="First derivative of mean motion / 2 (rev/day^2)."
    )
    MEAN_MOTION_DDOT: float = Field(
        default=0.0, description="Second derivative of mean motion / 6 (rev/day^3)."
    )
    EPHEMERIS_TYPE: int = Field(default=0, description="Ephemeris type (0 for SGP4).")
    CLASSIFICATION_TYPE: Literal["U", "C", "S"] = Field(default="U", description="Classification.")
    ELEMENT_SET_NO: int = Field(default=999, description="Element set number.")
    REV_AT_EPOCH: int = Field(default=0, description="Revolution number at epoch.")


class Orbit(StrictModel):
    """A station's orbit: give exactly one of ``tle``, ``omm`` or the mean elements.

    Mean elements describe a near-circular orbit: ``altitude_km`` is the mean semi-major axis
    minus the WGS84 equatorial radius (6378.137 km), the same definition that an element set's
    mean motion gives, so the two compare directly.
    """

    tle: str | None = Field(
        default=None,
        description="A two- or three-line element set (the name line is optional), as text.",
    )
    omm: OmmElements | None = Field(
        default=None, description="A CCSDS OMM with CelesTrak's JSON keyword names."
    )
    altitude_km: float | None = Field(
        default=None,
        ge=150,
        le=2000,
        description="Mean altitude above the WGS84 equatorial radius (km).",
    )
    inclination_deg: float | None = Field(
        default=None, ge=0, le=180, description="Inclination to the equator (deg)."
    )
    raan_deg: float | None = Field(
        default=None, ge=0, lt=360, description="Right ascension of the ascending node (deg)."
    )
    arg_latitude_deg: float | None = Field(
        default=None,
        ge=0,
        lt=360,
        description="Argument of latitude at epoch: angle from the ascending node (deg).",
    )
    eccentricity: float = Field(
        default=0.0005, ge=0, lt=0.1, description="Mean eccentricity (dimensionless)."
    )
    epoch_utc: UtcDatetime | None = Field(
        default=None, description="Epoch of the mean elements (UTC)."
    )

    @field_validator("tle")
    @classmethod
    def _tle_parses(cls, text: str | None) -> str | None:
        if text is None:
            return None
        lines = [ln.rstrip() for ln in text.strip().splitlines() if ln.strip()]
        if len(lines) == 3 and not lines[0].startswith("1 "):
            lines = lines[1:]
        if len(lines) != 2:
            raise ValueError(
                f"a TLE has two lines (plus an optional name line); got {len(lines)} lines"
            )
        try:  # the element files' rule: columns, checksum digit, catalog numbers, SGP4 fields
            parse_tle(lines[0], lines[1], source="tle")
        except ElementSetError as exc:
            raise ValueError(exc.problems[0].message) from None
        return text

    @model_validator(mode="after")
    def _exactly_one_source(self) -> Orbit:
        mean_fields = {
            "altitude_km": self.altitude_km,
            "inclination_deg": self.inclination_deg,
            "raan_deg": self.raan_deg,
            "arg_latitude_deg": self.arg_latitude_deg,
            "epoch_utc": self.epoch_utc,
        }
        given_mean = [k for k, v in mean_fields.items() if v is not None]
        sources = [s for s, v in (("tle", self.tle), ("omm", self.omm)) if v is not None]
        if given_mean:
            sources.append("mean elements")
        if len(sources) == 0:
            raise ValueError(
                "give the orbit as 'tle', as 'omm', or as mean elements (altitude_km, "
                "inclination_deg, raan_deg, arg_latitude_deg, epoch_utc)"
            )
        if len(sources) > 1:
            raise ValueError(f"give only one orbit source; got {' and '.join(sources)}")
        if given_mean and len(given_mean) < len(mean_fields):
            missing = [k for k, v in mean_fields.items() if v is None]
            raise ValueError(f"mean elements are incomplete: missing {', '.join(missing)}")
        return self

    @property
    def source_kind(self) -> Literal["tle", "omm", "mean_elements"]:
        """Which of the three forms this orbit was given in."""
        if self.tle is not None:
            return "tle"
        if self.omm is not None:
            return "omm"
        return "mean_elements"

    @property
    def tle_lines(self) -> tuple[str, str] | None:
        """The two element lines of ``tle`` (name line dropped), or ``None``."""
        if self.tle is None:
            return None
        lines = [ln.rstrip() for ln in self.tle.strip().splitlines() if ln.strip()]
        return lines[-2], lines[-1]

    def tle_elements(self) -> ElementSet | None:
        """The parsed ``tle`` (validated when the model was built), or ``None``."""
        if self.tle_lines is None:
            return None
        return parse_tle(*self.tle_lines, name=self.tle_name, source="tle")

    @property
    def tle_name(self) -> str | None:
        """The name line of a three-line ``tle`` (without a leading ``0 ``), or ``None``."""
        if self.tle is None:
            return None
        lines = [ln.rstrip() for ln in self.tle.strip().splitlines() if ln.strip()]
        if len(lines) == 3:
            return lines[0][2:].strip() if lines[0].startswith("0 ") else lines[0].strip()
        return None

    @property
    def nominal_inclination_deg(self) -> float:
        """Inclination (deg) whichever way the orbit was given."""
        elements = self.tle_elements()
        if elements is not None:
            return elements.inclination_deg
        if self.omm is not None:
            return self.omm.INCLINATION
        assert self.inclination_deg is not None
        return self.inclination_deg


# --------------------------------------------------------------------------- stations


class DockingPort(StrictModel):
    """A docking or berthing port of a module."""

    name: Name = Field(description="Port name, unique within the station (e.g. 'Node-1 forward').")
    port_type: Name = Field(
        description="Port standard; vehicles list the types they can use "
        "(e.g. 'IDSS', 'SSVP', 'CBM')."
    )


class Module(StrictModel):
    """A pressurized module (or other major element) of a station."""

    name: Name = Field(description="Module name, unique within the station.")
    owner: Code = Field(description="Code of the partner that provides the module.")
    launch_utc: UtcDatetime | None = Field(
        default=None,
        description="Launch date (UTC); omit for an element already in orbit at programme start.",
    )
    mass_kg: float = Field(gt=0, le=500_000, description="Mass at launch (kg).")
    pressurized_volume_m3: float = Field(
        default=0.0, ge=0, le=5000, description="Pressurized volume (m^3)."
    )
    drag_area_m2: float = Field(
        default=0.0,
        ge=0,
        le=10_000,
        description="Added mean cross-section facing the flow (m^2), including its arrays.",
    )
    power_generation_kw: float = Field(
        default=0.0,
        ge=0,
        le=1000,
        description="Electrical power its solar arrays generate in sunlight (kW).",
    )
    power_load_kw: float = Field(
        default=0.0, ge=0, le=1000, description="Average electrical load it draws (kW)."
    )
    battery_capacity_kwh: float | None = Field(
        default=None,
        ge=0,
        le=10_000,
        description="Energy its batteries store when full (kWh). Omitted: sized as the ISS "
        "was, 192 kWh for 256 kW of arrays, i.e. 0.75 kWh per kW of power_generation_kw: "
        "48 Ni-H2 battery ORUs of 4 kWh (Dalton, Cohen & Hajela, 'International Space "
        "Station Nickel-Hydrogen Battery Startup and Initial Performance', NASA, 2002) for "
        "eight wings of 32 kW (NASA Glenn Research Center, 'Solar Array Deployment', 2006).",
    )
    array_degradation_pct_per_year: float = Field(
        default=2.5,
        ge=0,
        le=20,
        description="Loss of its array power per year since launch (% of power_generation_kw, "
        "linear). Default 2.5: the ISS experience, eight wings of 32 kW (256 kW; NASA Glenn "
        "Research Center, 'Solar Array Deployment', 2006) giving up to 160 kW in January 2021 "
        "(NASA, 'New Solar Arrays to Power NASA's International Space Station Research', "
        "2021) at a mean wing age of 15.0 years (pairs deployed Dec 2000, Sep 2006, Jun "
        "2007, Mar 2009): (1 - 160/256) / 15.0 = 2.5 %/year.",
    )
    crew_capacity: int = Field(
        default=0, ge=0, le=20, description="Crew it can house (sleeping quarters)."
    )
    docking_ports: list[DockingPort] = Field(
        default_factory=list, description="Docking and berthing ports on this module."
    )
    cost_musd: float | None = Field(
        default=None,
        ge=0,
        le=100_000,
        description="Cost of building and launching the module (million USD), counted in its "
        "owner's spending in its launch year; omit to use the value of the owner's module "
        "contribution naming it, if any.",
    )
    payload_sites: int = Field(
        default=0,
        ge=0,
        le=500,
        description="Research payload sites it offers: internal payload racks (ISPR-sized) and "
        "external attach sites. A utilisation resource the partners share by their shares.",
    )


class Station(StrictModel):
    """A space station: its orbit, physical properties, altitude band and modules."""

    name: Name = Field(description="Station name, unique in the scenario.")
    orbit: Orbit = Field(description="The station's orbit (TLE, OMM or mean elements).")
    mass_kg: float = Field(
        ge=0,
        le=2_000_000,
        description="Mass not counted in `modules` (kg): structure, trusses and arrays not "
        "listed as modules. The plan adds each module's mass from its launch date on.",
    )
    drag_area_m2: float = Field(
        ge=0,
        le=20_000,
        description="Mean cross-section facing the flow not counted in `modules` (m^2).",
    )
    drag_coefficient: float = Field(
        default=2.2, gt=0, le=5, description="Drag coefficient C_D (dimensionless)."
    )
    min_altitude_km: float = Field(
        gt=REENTRY_ALTITUDE_KM,
        le=2000,
        description="Lowest mean altitude operations accept (km); above the re-entry "
        f"altitude of {REENTRY_ALTITUDE_KM:g} km, below which an orbit decays within a day.",
    )
    max_altitude_km: float = Field(
        ge=150, le=2000, description="Highest mean altitude operations accept (km)."
    )
    retire_utc: UtcDatetime | None = Field(
        default=None, description="Date of the controlled deorbit (UTC); omit if it flies on."
    )
    solar_array_tracking: Literal["two_axis", "alpha_only"] = Field(
        default="two_axis",
        description="How the arrays follow the Sun. 'two_axis': an alpha joint turning once "
        "an orbit and a beta gimbal per wing, as on the ISS (Delleur & Propp, 'Space Station "
        "Power Generation in Support of the Beta Gimbal Anomaly Resolution', NASA/TM-2003-"
        "212012, 2003): the Sun is kept normal to the cells, no loss with the beta angle. "
        "'alpha_only': the array power in sunlight is multiplied by cos(beta).",
    )
    power_distribution_efficiency: float = Field(
        default=0.85,
        gt=0,
        le=1,
        description="Fraction of array power that reaches the loads in sunlight: the path "
        "efficiency X_d of a direct-energy-transfer system (Wertz & Larson, Space Mission "
        "Analysis and Design, 3rd ed. 1999, sec. 11.4, eq. 11-5: X_d = 0.85, X_e = 0.65).",
    )
    battery_charge_efficiency: float = Field(
        default=0.875,
        gt=0,
        le=1,
        description="Energy stored per unit of array energy put into the batteries. Default: "
        "SMAD's battery path X_e / X_d = 0.65 / 0.85 = 0.765 (Wertz & Larson 1999, eq. 11-5) "
        "split evenly between charge and discharge, 0.875^2 = 0.766 (the split: assumption).",
    )
    battery_discharge_efficiency: float = Field(
        default=0.875,
        gt=0,
        le=1,
        description="Energy delivered to the power bus per unit taken from the batteries "
        "(see battery_charge_efficiency).",
    )
    battery_min_soc_fraction: float = Field(
        default=0.65,
        ge=0,
        lt=1,
        description="Lowest state of charge the batteries may reach in normal operation "
        "(fraction of full); the power budget holds them there and flags the day (loads "
        "shed). Default: the ISS nickel-hydrogen batteries' 35 % maximum depth of discharge "
        "(Dalton et al., 'International Space Station Lithium-Ion Battery Status', NASA "
        "Aerospace Battery Workshop, 2018).",
    )
    crew_power_load_kw_per_person: float = Field(
        default=0.5,
        ge=0,
        le=20,
        description="Electrical load added by each crew member aboard (kW): galley, hygiene, "
        "exercise, air and water processing. Assumption (no public per-person figure found).",
    )
    modules: list[Module] = Field(default_factory=list, description="Modules and major elements.")

    @model_validator(mode="after")
    def _band_and_names(self) -> Station:
        if self.max_altitude_km <= self.min_altitude_km:
            raise ValueError(
                f"max_altitude_km ({self.max_altitude_km:g}) must be above min_altitude_km "
                f"({self.min_altitude_km:g})"
            )
        _unique([m.name for m in self.modules], "module name")
        _unique([p.name for m in self.modules for p in m.docking_ports], "docking port name")
        return self

    def service_start_utc(self, programme_start_utc: datetime) -> datetime:
        """When the station's service starts: the programme start, unless the station is still
        to be built (``mass_kg`` 0 and no module in orbit at the programme start, i.e. every
        module dated after it), then its first module's launch."""
        launches = [m.launch_utc for m in self.modules]
        if self.mass_kg > 0 or not launches or any(t is None for t in launches):
            return programme_start_utc
        return max(programme_start_utc, min(t for t in launches if t is not None))


# --------------------------------------------------------------------------- partners


class ContributionKind(StrEnum):
    """What a partner brings to the programme."""

    MODULE = "module"
    VEHICLE = "vehicle"
    FLIGHTS = "flights"
    FUNDING = "funding"
    GROUND_SEGMENT = "ground_segment"
    ROBOTICS = "robotics"
    CREW = "crew"
    SERVICES = "services"
    OTHER = "other"


QUANTIFIED_KINDS = (
    ContributionKind.SERVICES,
    ContributionKind.CREW,
    ContributionKind.ROBOTICS,
    ContributionKind.GROUND_SEGMENT,
    ContributionKind.OTHER,
)
"""Kinds of contribution a service's quantities (kg, seats, crew hours) may value."""


class Contribution(StrictModel):
    """One contribution of a partner, in kind or in money."""

    kind: ContributionKind = Field(description="What kind of contribution this is.")
    description: str = Field(min_length=1, description="What is contributed.")
    item: str | None = Field(
        default=None,
        description="The module or vehicle name this refers to, when kind is module or vehicle.",
    )
    value_musd: float | None = Field(
        default=None,
        ge=0,
        description="Estimated value (million USD), when known; or, for a service, give its "
        "quantities below instead, valued at the policies' prices.",
    )
    upmass_kg: float | None = Field(
        default=None,
        ge=0,
        le=10_000_000,
        description="Cargo or propellant the service delivers to the station over the "
        "programme (kg), valued at policies.upmass_price_usd_per_kg.",
    )
    downmass_kg: float | None = Field(
        default=None,
        ge=0,
        le=10_000_000,
        description="Cargo the service returns over the programme (kg), valued at "
        "policies.downmass_price_usd_per_kg.",
    )
    seats: int | None = Field(
        default=None,
        ge=0,
        le=10_000,
        description="Crew seats the service flies for the programme (round trips), valued at "
        "policies.crew_seat_price_musd.",
    )
    crew_hours: float | None = Field(
        default=None,
        ge=0,
        le=10_000_000,
        description="Crew time the service provides (h), valued at policies.crew_hour_price_usd.",
    )

    @model_validator(mode="after")
    def _quantities(self) -> Contribution:
        given = [
            name
            for name in ("upmass_kg", "downmass_kg", "seats", "crew_hours")
            if getattr(self, name) is not None
        ]
        if not given:
            return self
        if self.kind not in QUANTIFIED_KINDS:
            kinds = ", ".join(k.value for k in QUANTIFIED_KINDS)
            raise ValueError(
                f"{', '.join(given)} value a service; a '{self.kind.value}' contribution is "
                f"valued otherwise (modules and vehicles by their cost, flights from the "
                f"manifest, funding by value_musd): give them only on kind {kinds}"
            )
        if self.value_musd is not None:
            raise ValueError(
                f"give either value_musd or the quantities ({', '.join(given)}), not both: "
                "the quantities are valued at the policies' prices"
            )
        return self


class Partner(StrictModel):
    """A space agency or country in the partnership."""

    code: Code = Field(description="Short code used everywhere else (e.g. 'NASA').")
    name: Name = Field(description="Full name.")
    country: Name = Field(description="Country or group of countries.")
    join_utc: UtcDatetime = Field(description="Date the partner joins (UTC).")
    withdraw_utc: UtcDatetime | None = Field(
        default=None, description="Date the partner leaves (UTC); omit if it stays."
    )
    utilization_share_pct: float = Field(
        default=0.0,
        ge=0,
        le=100,
        description="Share of the station's utilisation resources the partner is entitled to (%).",
    )
    contributions: list[Contribution] = Field(
        default_factory=list, description="What the partner contributes."
    )
    budget_musd_per_year: dict[int, Annotated[float, Field(ge=0, le=1_000_000)]] = Field(
        default_factory=dict,
        description="What the partner can spend on work packages each calendar year (million "
        "USD); a year not listed has no limit.",
    )

    @model_validator(mode="after")
    def _dates(self) -> Partner:
        if self.withdraw_utc is not None and self.withdraw_utc <= self.join_utc:
            raise ValueError(
                f"withdraw_utc ({self.withdraw_utc:%Y-%m-%d}) must be after join_utc "
                f"({self.join_utc:%Y-%m-%d})"
            )
        return self


class JoinFile(StrictModel):
    """A partner that joins: its scenario entry and its resident crew (the ``whatif --join``
    file, and a variant's ``join:``)."""

    partner: Partner = Field(description="The new partner, as in the scenario's partners.")
    resident_crew: Annotated[int, Field(ge=0, le=20)] = Field(
        default=0, description="Crew members it keeps aboard from its join date."
    )


class Variant(StrictModel):
    """A named change of the partnership that ``stationplan run`` plans beside the baseline
    and compares with it: a partner withdraws, or a new partner joins, on ``date_utc``."""

    name: Name = Field(description="What the variant is called in the plan and report.")
    withdraw: Code | None = Field(default=None, description="Code of the partner that leaves.")
    join: JoinFile | None = Field(default=None, description="The partner that joins.")
    date_utc: UtcDatetime = Field(description="Date of the change (UTC).")

    @model_validator(mode="after")
    def _one_change(self) -> Variant:
        if (self.withdraw is None) == (self.join is None):
            raise ValueError("give either 'withdraw: CODE' or 'join: {partner: ...}' (one of them)")
        return self


class Provider(StrictModel):
    """A commercial provider that operates vehicles without being a partner."""

    code: Code = Field(description="Short code used by vehicles' operator field.")
    name: Name = Field(description="Company name.")
    country: Name = Field(description="Country of registration.")


# --------------------------------------------------------------------------- vehicles


class VehicleRole(StrEnum):
    """What a vehicle carries."""

    CREW = "crew"
    CARGO = "cargo"
    BOTH = "both"


class Reboost(StrictModel):
    """A vehicle's ability to raise the station's orbit while docked."""

    thrust_n: float = Field(gt=0, le=100_000, description="Thrust of the reboost engines (N).")
    isp_s: float = Field(gt=0, le=500, description="Specific impulse of those engines (s).")
    propellant_kg: float = Field(
        default=0.0,
        ge=0,
        le=10_000,
        description="Propellant the vehicle can spend on reboost per flight (kg).",
    )


LaunchOffsetSource = Literal["fitted", "geometric", "assumed"]
"""Where a vehicle's lift-off lead comes from: fitted on flown launches, derived from the
geometry of its ascent, or assumed (0 s: lift-off at the plane crossing)."""


class LaunchOffsetCheck(StrictModel):
    """The held-out check of a fitted lift-off lead: the lead fitted on some flights predicts
    the lift-off of other flights (not used in the fit) with these errors."""

    flights: int = Field(ge=1, le=10_000, description="Flights of the check (not of the fit).")
    median_error_s: float = Field(
        ge=0, le=3600, description="Median absolute error of the predicted lift-off (s)."
    )
    worst_error_s: float = Field(
        ge=0, le=3600, description="Largest absolute error of the predicted lift-off (s)."
    )
    reference: str = Field(
        min_length=1,
        max_length=500,
        description="Where the fit and the check are made: flights, sources, test or report.",
    )

    @model_validator(mode="after")
    def _worst_not_below_median(self) -> LaunchOffsetCheck:
        if self.worst_error_s < self.median_error_s:
            raise ValueError(
                f"worst_error_s {self.worst_error_s:g} s is below median_error_s "
                f"{self.median_error_s:g} s"
            )
        return self


class Vehicle(StrictModel):
    """A crew or cargo vehicle of the fleet."""

    name: Name = Field(description="Vehicle name, unique in the scenario.")
    role: VehicleRole = Field(description="What it carries: crew, cargo or both.")
    operator: Code = Field(description="Code of the partner or commercial provider that flies it.")
    launch_sites: list[Name] = Field(
        min_length=1, description="Names of the sites it launches from."
    )
    crew_seats: int = Field(default=0, ge=0, le=10, description="Crew seats up and down.")
    pressurized_cargo_kg: float = Field(
        default=0.0, ge=0, le=50_000, description="Pressurized cargo up per flight (kg)."
    )
    unpressurized_cargo_kg: float = Field(
        default=0.0, ge=0, le=50_000, description="Unpressurized cargo up per flight (kg)."
    )
    return_cargo_kg: float = Field(
        default=0.0,
        ge=0,
        le=50_000,
        description="Cargo brought back to Earth per flight (kg); 0 if it burns up.",
    )
    propellant_transfer_kg: float = Field(
        default=0.0,
        ge=0,
        le=10_000,
        description="Propellant it can transfer to the station's tanks per flight (kg).",
    )
    reboost: Reboost | None = Field(
        default=None, description="Reboost capability while docked; omit if it has none."
    )
    compatible_port_types: list[Name] = Field(
        min_length=1, description="Port types it can dock or berth to."
    )
    max_flights_per_year: float = Field(
        gt=0, le=50, description="Most flights per year the producer and pad can support."
    )
    cost_per_flight_musd: float = Field(
        ge=0, le=10_000, description="Price or cost of one flight (million USD)."
    )
    purchased_by: Code | None = Field(
        default=None,
        description="Partner that buys this commercial provider's flights (e.g. NASA for "
        "Commercial Crew and Cargo); omit when the operator is a partner paying its own "
        "flights. Flights of a provider's vehicle that nobody purchases are common costs.",
    )
    ascent_duration_s: float = Field(
        gt=0, le=7200, description="Time from lift-off to orbit insertion (s)."
    )
    rendezvous_strategy: RendezvousProfile = Field(
        description="Rendezvous profile: 2orbit (~3 h), 4orbit (~6 h), 1day (~16 orbits), "
        "2day (34 orbits), 3day."
    )
    plane_change_deg: float = Field(
        default=0.0,
        ge=0,
        le=5,
        description="Out-of-plane (dogleg) capability in ascent (deg); 0 gives an "
        "instantaneous launch window.",
    )
    launch_offset_s: float = Field(
        default=0.0,
        ge=-3600,
        le=3600,
        description="Calibrated lift-off lead (s): lift-off this long before the modelled "
        "crossing of the target plane; 0 uses the geometry alone.",
    )
    launch_offset_source: LaunchOffsetSource = Field(
        default="assumed",
        description="Where launch_offset_s comes from: 'fitted' on flown launches (give "
        "launch_offset_check), 'geometric' from the ascent's geometry, or 'assumed' (the "
        "default; a lead of 0 s then puts lift-off at the plane crossing).",
    )
    launch_offset_check: LaunchOffsetCheck | None = Field(
        default=None,
        description="The held-out check of the fitted lead: the lift-off errors (s) of flights "
        "not used in the fit, and where fit and check are made; omit if unchecked.",
    )
    insertion_altitude_km: float = Field(
        default=220.0,
        ge=150,
        le=600,
        description="Mean altitude of the orbit the vehicle is inserted into (km).",
    )
    docked_duration_days: float = Field(
        default=180.0,
        gt=0,
        le=400,
        description="Time docked per flight (days): a cargo vehicle's stay; for a crew "
        "vehicle, the longest stay it is certified for (it is the crew's lifeboat).",
    )
    launch_record_family: Literal["Soyuz", "Progress", "Dragon", "Cygnus", "HTV", "ATV"] | None = (
        Field(
            default=None,
            description="Family of the launch record (ISS visiting vehicles 2000-2015) whose "
            "flights and losses give this vehicle's loss probability; omit to match the family "
            "from the vehicle's name, or to use the pooled record when no family matches.",
        )
    )
    loss_probability: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Probability that a flight is lost to the station (launch failure or "
        "loss before docking); overrides the launch record; omit to estimate it from there.",
    )
    mean_slip_days: float = Field(
        default=10.0,
        ge=0,
        le=365,
        description="Mean launch slip behind the manifest date (days; slips are drawn from an "
        "exponential distribution of this mean). The 10-day default is an assumption.",
    )

    @model_validator(mode="after")
    def _role_capacity(self) -> Vehicle:
        if self.role in (VehicleRole.CREW, VehicleRole.BOTH) and self.crew_seats == 0:
            raise ValueError(f"a {self.role.value} vehicle needs crew_seats > 0")
        cargo = self.pressurized_cargo_kg + self.unpressurized_cargo_kg
        if self.role in (VehicleRole.CARGO, VehicleRole.BOTH) and cargo == 0:
            raise ValueError(
                f"a {self.role.value} vehicle needs pressurized_cargo_kg or "
                "unpressurized_cargo_kg > 0"
            )
        return self


# --------------------------------------------------------------------------- ground


class AzimuthRange(StrictModel):
    """A range of launch azimuths allowed by range safety, clockwise from north."""

    min_deg: float = Field(ge=0, le=360, description="Smallest allowed azimuth (deg from north).")
    max_deg: float = Field(ge=0, le=360, description="Largest allowed azimuth (deg from north).")

    @model_validator(mode="after")
    def _ordered(self) -> AzimuthRange:
        if self.max_deg < self.min_deg:
            raise ValueError(
                f"max_deg ({self.max_deg:g}) must not be below min_deg ({self.min_deg:g})"
            )
        return self


class LaunchSite(StrictModel):
    """A launch site and the azimuths range safety allows from it."""

    name: Name = Field(description="Site name, unique in the scenario.")
    latitude_deg: float = Field(ge=-90, le=90, description="Geodetic latitude (deg, north +).")
    longitude_deg: float = Field(ge=-180, le=360, description="Longitude (deg, east +).")
    altitude_m: float = Field(default=0.0, ge=-500, le=9000, description="Height above WGS84 (m).")
    allowed_azimuths_deg: list[AzimuthRange] = Field(
        min_length=1, description="Allowed launch azimuth ranges (deg from north)."
    )


class GroundStation(StrictModel):
    """A ground station that talks to the station."""

    name: Name = Field(description="Ground station name.")
    operator: Code | None = Field(default=None, description="Partner or provider that runs it.")
    latitude_deg: float = Field(ge=-90, le=90, description="Geodetic latitude (deg, north +).")
    longitude_deg: float = Field(ge=-180, le=360, description="Longitude (deg, east +).")
    altitude_m: float = Field(default=0.0, ge=-500, le=9000, description="Height above WGS84 (m).")
    min_elevation_deg: float = Field(
        default=5.0, ge=0, le=90, description="Elevation mask: lowest usable elevation (deg)."
    )


# --------------------------------------------------------------------------- crew and life support


class OneYearMission(StrictModel):
    """A long-duration mission that spans two increments."""

    partner: Code = Field(description="Partner whose crew member flies the mission.")
    start_utc: UtcDatetime = Field(description="Planned launch date (UTC).")
    duration_days: float = Field(default=342, gt=180, le=500, description="Mission length (days).")


class Crew(StrictModel):
    """The crew plan: increment lengths, crew size per partner, handovers."""

    first_crew_utc: UtcDatetime = Field(description="Arrival of the first resident crew (UTC).")
    increment_days: float = Field(
        default=182, ge=30, le=400, description="Length of a standard increment (days)."
    )
    handover_overlap_days: float = Field(
        default=5, ge=0, le=30, description="Days the arriving and departing crews overlap."
    )
    crew_per_partner: dict[str, int] = Field(
        description="Resident crew members per partner code during an increment."
    )
    one_year_missions: list[OneYearMission] = Field(
        default_factory=list, description="One-year missions (two increments long)."
    )
    increment_tolerance_days: float = Field(
        default=30,
        ge=0,
        le=120,
        description="How far an increment may be shortened or lengthened (days) to fit "
        "launch windows, ports, the fleet's flight rates and one-year missions.",
    )

    @field_validator("crew_per_partner")
    @classmethod
    def _counts(cls, counts: dict[str, int]) -> dict[str, int]:
        for code, n in counts.items():
            if n < 0 or n > 20:
                raise ValueError(f"crew for {code!r} must be between 0 and 20 (got {n})")
        if sum(counts.values()) == 0:
            raise ValueError("at least one crew member is needed")
        return counts


class Consumables(StrictModel):
    """Life-support rates per crew member per day, recycling, reserves."""

    oxygen_kg_per_crew_day: float = Field(gt=0, le=5, description="Oxygen consumed (kg/crew-day).")
    food_kg_per_crew_day: float = Field(
        gt=0, le=5, description="Food, as packaged mass (kg/crew-day)."
    )
    potable_water_kg_per_crew_day: float = Field(
        gt=0, le=20, description="Drinking and food-preparation water (kg/crew-day)."
    )
    hygiene_water_kg_per_crew_day: float = Field(
        default=0.0, ge=0, le=50, description="Hygiene and flush water (kg/crew-day)."
    )
    water_recovery_fraction: float = Field(
        ge=0, le=1, description="Fraction of used water the recycling system recovers."
    )
    oxygen_recovery_fraction: float = Field(
        ge=0, le=1, description="Fraction of oxygen recovered from CO2 (Sabatier or similar)."
    )
    reserve_days: float = Field(
        ge=0, le=730, description="Days of consumables kept in reserve beyond the plan."
    )
    initial_stock_days: float = Field(
        default=90,
        ge=0,
        le=730,
        description="Supplies aboard when a station's crew plan starts, in days of its demand "
        "(assumption: the last flights before the first crew stock the station).",
    )
    hygiene_items_kg_per_crew_day: float = Field(
        default=0.278,
        ge=0,
        le=5,
        description="Hygiene items: wipes, towels, soap (kg/crew-day). Default: SpaceNet crew "
        "consumables model, hygiene rate 0.27778 (MIT, SpaceNet 2.5, 2010).",
    )
    clothing_kg_per_crew_day: float = Field(
        default=0.575,
        ge=0,
        le=5,
        description="Clothing (kg/crew-day). Default: SpaceNet crew consumables model, 2.3 kg "
        "per change worn 4 days (MIT, SpaceNet 2.5, 2010).",
    )
    crew_operations_kg_per_crew_day: float = Field(
        default=0.1,
        ge=0,
        le=5,
        description="Crew operations: health consumables (kg/crew-day). Default: SpaceNet crew "
        "consumables model, health consumables 0.1 (MIT, SpaceNet 2.5, 2010).",
    )
    air_leakage_kg_per_station_day: float = Field(
        default=0.227,
        ge=0,
        le=50,
        description="Cabin air lost to leakage and made up with nitrogen (kg/station-day). "
        "Default: ISS, first quarter of 2011 (NASA, ICES 2011, NTRS 20110012997).",
    )
    spares_fraction_per_year: float = Field(
        default=0.01,
        ge=0,
        le=0.5,
        description="Maintenance spares per year as a fraction of station mass (SpaceNet's "
        "sparing by mass). Default 1 %/yr: ISS order of magnitude (about 20 t/yr of all "
        "logistics for a 420 t station, Lynch et al., ICES 2024, NTRS 20240005648).",
    )
    unpressurized_spares_fraction: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description="Share of the spares mass flown unpressurised (external units); an assumption.",
    )
    trash_kg_per_crew_day: float = Field(
        default=2.0,
        ge=0,
        le=20,
        description="Trash produced (kg/crew-day). Default: about 2 kg per crew member per "
        "day (Jones, 'Managing Spacecraft Waste', ICES 2021, NTRS 20205010174).",
    )


class SpaceWeatherEntry(StrictModel):
    """Solar and geomagnetic activity from a date on."""

    from_utc: UtcDatetime = Field(description="The values hold from this date (UTC).")
    f107_sfu: float = Field(ge=50, le=400, description="Daily F10.7 solar flux (sfu).")
    f107_81day_sfu: float = Field(ge=50, le=400, description="81-day centred mean F10.7 (sfu).")
    ap: float = Field(ge=0, le=400, description="Daily geomagnetic Ap index.")


class SpaceWeather(StrictModel):
    """Solar activity driving drag: constants, or a table of values by date."""

    f107_sfu: float = Field(default=150, ge=50, le=400, description="Daily F10.7 (sfu), constant.")
    f107_81day_sfu: float = Field(
        default=150, ge=50, le=400, description="81-day mean F10.7 (sfu), constant."
    )
    ap: float = Field(default=15, ge=0, le=400, description="Daily Ap, constant.")
    table: list[SpaceWeatherEntry] = Field(
        default_factory=list,
        description="Values by date; when given it overrides the constants from its first date.",
    )

    @field_validator("table")
    @classmethod
    def _sorted(cls, table: list[SpaceWeatherEntry]) -> list[SpaceWeatherEntry]:
        for a, b in itertools.pairwise(table):
            if b.from_utc <= a.from_utc:
                raise ValueError(
                    f"table dates must increase ({b.from_utc:%Y-%m-%d} follows "
                    f"{a.from_utc:%Y-%m-%d})"
                )
        return table


class WorkPackage(StrictModel):
    """A piece of work the partnership must assign to one partner (a module, a system, a
    service over some years), with each candidate partner's cost estimate."""

    name: Name = Field(description="Work package name, unique in the scenario.")
    capability: str = Field(min_length=1, description="What it provides (e.g. 'robotics').")
    start_year: int = Field(ge=1957, le=2200, description="First calendar year of the work.")
    end_year: int = Field(ge=1957, le=2200, description="Last calendar year (inclusive).")
    cost_musd_by_partner: dict[Code, Annotated[float, Field(ge=0, le=1_000_000)]] = Field(
        min_length=1,
        description="Candidate partners and each one's cost estimate for the whole package "
        "(million USD); a partner not listed cannot take it.",
    )

    @model_validator(mode="after")
    def _years(self) -> WorkPackage:
        if self.end_year < self.start_year:
            raise ValueError(
                f"end_year ({self.end_year}) must not be before start_year ({self.start_year})"
            )
        return self


class ManifestObjective(StrEnum):
    """What the flight manifest minimises (its constraints always hold)."""

    COST = "cost"
    FLIGHTS = "flights"
    PORT_OCCUPANCY = "port_occupancy"


class CostSharing(StrEnum):
    """How common operating costs are divided."""

    UTILIZATION_SHARE = "utilization_share"
    EQUAL = "equal"


BUILTIN_PREFIX = "builtin:"
"""Prefix of a data file shipped with stationplan (``stationplan/scenario/catalogs/``)."""


class DebrisScreening(StrictModel):
    """Screening of each station's orbit against a catalog of tracked objects: the encounters
    of a sample span give the rate of conjunctions, their probability of collision, the
    avoidance manoeuvres a year they call for and the propellant those take (the thresholds
    and the screening distance are the policies')."""

    catalog_file: Name = Field(
        description="TLE/3LE or OMM catalog, relative to the scenario file's folder, or "
        "'builtin:NAME' for one shipped with stationplan "
        "(builtin:catalog_330-480km_2022-01-22)."
    )
    days: float = Field(
        default=7.0, gt=0, le=30, description="Span screened from the catalog's epoch (days)."
    )
    hard_body_radius_m: float = Field(
        default=20.0,
        gt=0,
        le=500,
        description="Combined hard-body radius of the station and an object (m).",
    )
    avoidance_lead_orbits: float = Field(
        default=1.5,
        ge=0.5,
        le=10,
        description="Revolutions before the closest approach an avoidance burn is made. A "
        "half-integer lead adds the largest radial shift (4 dv / n) to the in-track one; the "
        "radial shift lies in the encounter plane of any approach in the local horizontal, "
        "the in-track one not when the approach is head-on.",
    )


class Policies(StrictModel):
    """Programme rules the planner applies."""

    pc_maneuver_threshold: float = Field(
        default=1e-4,
        gt=0,
        le=1,
        description="Collision probability above which the station manoeuvres (dimensionless).",
    )
    pc_watch_threshold: float = Field(
        default=1e-5,
        gt=0,
        le=1,
        description="Collision probability above which a conjunction is watched.",
    )
    screening_distance_km: float = Field(
        default=5.0, gt=0, le=100, description="Miss distance below which a pass is screened (km)."
    )
    crew_return_seats_required: bool = Field(
        default=True, description="Docked vehicles must hold a return seat for every crew member."
    )
    min_propellant_reserve_kg: float = Field(
        default=3500, ge=0, le=50_000, description="Propellant kept on board at all times (kg)."
    )
    port_gap_days: float = Field(
        default=2,
        ge=0,
        le=60,
        description="Least time between one vehicle's undocking and the next docking at the "
        "same port (days); assumption: the ISS rarely turns a port around within two days.",
    )
    crew_departure_before_deorbit_days: float = Field(
        default=30,
        ge=0,
        le=365,
        description="The last crew of a retiring station leaves at least this long before "
        "its deorbit (days); assumption.",
    )
    manifest_objective: ManifestObjective = Field(
        default=ManifestObjective.COST,
        description="What the manifest minimises: 'cost' (MUSD), 'flights' or "
        "'port_occupancy' (vehicle-days docked).",
    )
    manifest_time_limit_s: float = Field(
        default=20,
        gt=0,
        le=3600,
        description="Time each stage of the manifest solver (crew rotations, then cargo) may "
        "take (s); the best manifest found by then is kept, with its optimality gap.",
    )
    manifest_gap_pct: float = Field(
        default=1.0,
        ge=0,
        le=50,
        description="The manifest solver's cargo stage stops as soon as its manifest is "
        "proven within this gap of the optimum (percent of the objective); 0 searches to "
        "optimality or to the time limit. The crew rotations are always searched to "
        "optimality.",
    )
    common_cost_sharing: CostSharing = Field(
        default=CostSharing.UTILIZATION_SHARE,
        description="How common operating costs are split among partners.",
    )
    common_operations_cost_musd_per_year: float = Field(
        default=0.0,
        ge=0,
        le=100_000,
        description="Common operating cost to share among partners (million USD per year).",
    )
    utilisation_hours_per_crew_day: float = Field(
        default=3.0,
        ge=0,
        le=16,
        description="Crew hours a crew member gives to research per day aboard (h); the rest "
        "of the working day goes to station maintenance, exercise and overhead. Assumption "
        "by default.",
    )
    upmass_price_usd_per_kg: float = Field(
        default=20_000.0,
        ge=0,
        le=10_000_000,
        description="Price of a kg delivered to the station (USD), for valuing services and "
        "entitlements. Default: NASA's price list for commercial use of the ISS, revised 25 "
        "February 2021 (NASA, 'Commercial and Marketing Pricing Policy'; reported by "
        "SpaceNews, 4 March 2021: upmass 20,000 USD/kg).",
    )
    downmass_price_usd_per_kg: float = Field(
        default=40_000.0,
        ge=0,
        le=10_000_000,
        description="Price of a kg returned from the station (USD). Default: the same NASA "
        "price list of 2021 (downmass 40,000 USD/kg).",
    )
    crew_hour_price_usd: float = Field(
        default=130_000.0,
        ge=0,
        le=100_000_000,
        description="Price of an hour of crew time (USD). Default: the same NASA price list "
        "of 2021 (130,000 USD per crew hour).",
    )
    crew_seat_price_musd: float = Field(
        default=55.4,
        ge=0,
        le=10_000,
        description="Price of a crew seat, round trip (million USD). Default: the mean NASA "
        "paid for 70 Soyuz seats from 2006 to 2020 (NASA Office of Inspector General, report "
        "IG-20-005, November 2019: 55.4 MUSD).",
    )
    barter_rate: Literal["flight_cost", "price"] = Field(
        default="flight_cost",
        description="How a partner that flies on another's flight owes it: 'flight_cost' (the "
        "flight's cost per seat, and in proportion for cargo) or 'price' (the seat and upmass "
        "prices above).",
    )
    work_share_tolerance_pct: float = Field(
        default=5.0,
        ge=0,
        le=100,
        description="Each partner's part of the work packages' cost stays within this many "
        "percentage points of its utilisation share.",
    )
    discount_rate_pct: float = Field(
        default=0.0,
        ge=0,
        le=20,
        description="Real discount rate for the present value of partners' spending "
        "(percent per year, to the programme's start year).",
    )

    @model_validator(mode="after")
    def _thresholds(self) -> Policies:
        if self.pc_watch_threshold > self.pc_maneuver_threshold:
            raise ValueError(
                f"pc_watch_threshold ({self.pc_watch_threshold:g}) must not exceed "
                f"pc_maneuver_threshold ({self.pc_maneuver_threshold:g})"
            )
        return self


# --------------------------------------------------------------------------- the scenario


class Scenario(StrictModel):
    """A whole stationplan scenario: one file describes the programme end to end."""

    programme: Programme = Field(description="Name and planning span.")
    stations: list[Station] = Field(min_length=1, description="Stations in the plan (one or more).")
    partners: list[Partner] = Field(min_length=1, description="Agencies and countries.")
    providers: list[Provider] = Field(
        default_factory=list, description="Commercial providers that operate vehicles."
    )
    vehicles: list[Vehicle] = Field(default_factory=list, description="The vehicle fleet.")
    launch_sites: list[LaunchSite] = Field(default_factory=list, description="Launch sites.")
    ground_stations: list[GroundStation] = Field(
        default_factory=list, description="Ground stations."
    )
    crew: Crew | None = Field(default=None, description="Crew plan; omit for an uncrewed plan.")
    consumables: Consumables | None = Field(
        default=None, description="Life-support rates; required when there is a crew plan."
    )
    space_weather: SpaceWeather = Field(
        default_factory=SpaceWeather, description="Solar activity for drag."
    )
    policies: Policies = Field(default_factory=Policies, description="Programme rules.")
    work_packages: list[WorkPackage] = Field(
        default_factory=list,
        description="Work to assign to partners (the work split); omit for none.",
    )
    debris: DebrisScreening | None = Field(
        default=None,
        description="Conjunction screening against a catalog of tracked objects; omit for none.",
    )
    variants: list[Variant] = Field(
        default_factory=list,
        description="Named partnership changes to plan beside the baseline and compare.",
    )

    @model_validator(mode="after")
    def _unique_names(self) -> Scenario:
        _unique([s.name for s in self.stations], "station name")
        _unique(
            [p.code for p in self.partners] + [p.code for p in self.providers],
            "partner or provider code",
        )
        _unique([v.name for v in self.vehicles], "vehicle name")
        _unique([s.name for s in self.launch_sites], "launch site name")
        _unique([g.name for g in self.ground_stations], "ground station name")
        _unique([w.name for w in self.work_packages], "work package name")
        return self

    def partner(self, code: str) -> Partner:
        """The partner with this code (``KeyError`` if none)."""
        for p in self.partners:
            if p.code == code:
                return p
        raise KeyError(code)

    def operator_codes(self) -> set[str]:
        """Codes that may operate vehicles: partners and providers."""
        return {p.code for p in self.partners} | {p.code for p in self.providers}


def _unique(names: list[str], what: str) -> None:
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise ValueError(f"{what} {n!r} is used twice; each must be unique")
        seen.add(n)
