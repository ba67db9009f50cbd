"""Classes of supply, the carrier each rides in, and the daily demand of a station per class.

Classes follow the functional supply classification of Shull, Gralla, de Weck and Shishko,
"The Future of Asset Management for Human Space Exploration: Supply Classification and an
Integrated Database" (AIAA Space 2006 conference, San Jose, 2006), as MIT's SpaceNet implements it
(``ClassOfSupply`` of SpaceNet 2.5, MIT Strategic Engineering, 2010): COS 1 propellants and
fuels, COS 2 crew provisions (201 water, 202 food, 203 gases, 204 hygiene items, 205 clothing),
COS 3 crew operations, COS 4 maintenance and upkeep (spares), COS 7 waste and disposal.

Carriers are the three cargo capacities of a flight (:class:`stationplan.ops.flights.Flight`):
pressurised, unpressurised and propellant for the station's tanks. Water and gases ride
pressurised: a flight's propellant capacity is transfer into the station's propulsion tanks
only, and water bags and gas tanks travel inside the pressurised cabin.

Demand per class and day is linear in four drivers (SpaceNet's rated and sparing-by-mass demand
models, SpaceNet 2.5 source, ``RatedDemandModel`` and ``SparingByMassDemandModel``):

* per crew-day: oxygen x (1 - oxygen recovery), (potable + hygiene water) x (1 - water
  recovery), food, hygiene items and clothing, crew operations;
* per station-day: cabin air lost to leakage, made up with nitrogen;
* per kg of station mass: spares, ``spares_fraction_per_year`` / 365.25 per day, split into
  pressurised and unpressurised by ``unpressurized_spares_fraction`` (SpaceNet's sparing by
  mass has a pressurised and an unpressurised rate);
* propellant: the series the lifetime layer gives (reboost propellant per day).

The rates come from the scenario's :class:`~stationplan.scenario.models.Consumables`, whose
field descriptions name the public source of each default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stationplan.scenario.models import Consumables

DAYS_PER_YEAR = 365.25
"""Julian year (days): spares rates are per year of this length."""


class Carrier(StrEnum):
    """The cargo capacity of a flight a class of supply uses."""

    PRESSURIZED = "pressurized"
    UNPRESSURIZED = "unpressurized"
    PROPELLANT = "propellant"


class SupplyClass(StrEnum):
    """Classes of supply (Shull et al., AIAA Space 2006; SpaceNet's class numbers in comments)."""

    WATER = "water"  # COS 201
    OXYGEN = "oxygen"  # COS 203
    NITROGEN = "nitrogen"  # COS 203: cabin air makeup
    FOOD = "food"  # COS 202
    CREW_PROVISIONS = "crew_provisions"  # COS 204 hygiene items, COS 205 clothing
    CREW_OPERATIONS = "crew_operations"  # COS 303 health consumables
    SPARES_PRESSURIZED = "spares_pressurized"  # COS 4, pressurised environment
    SPARES_UNPRESSURIZED = "spares_unpressurized"  # COS 4, unpressurised environment
    PROPELLANT = "propellant"  # COS 1
    WASTE = "waste"  # COS 7: produced on board, leaves as downmass


SPACENET_CLASS: Mapping[SupplyClass, int] = {
    SupplyClass.WATER: 201,
    SupplyClass.OXYGEN: 203,
    SupplyClass.NITROGEN: 203,
    SupplyClass.FOOD: 202,
    SupplyClass.CREW_PROVISIONS: 2,
    SupplyClass.CREW_OPERATIONS: 3,
    SupplyClass.SPARES_PRESSURIZED: 4,
    SupplyClass.SPARES_UNPRESSURIZED: 4,
    SupplyClass.PROPELLANT: 1,
    SupplyClass.WASTE: 7,
}
"""SpaceNet's class-of-supply number of each class."""

CARRIER: Mapping[SupplyClass, Carrier | None] = {
    SupplyClass.WATER: Carrier.PRESSURIZED,
    SupplyClass.OXYGEN: Carrier.PRESSURIZED,
    SupplyClass.NITROGEN: Carrier.PRESSURIZED,
    SupplyClass.FOOD: Carrier.PRESSURIZED,
    SupplyClass.CREW_PROVISIONS: Carrier.PRESSURIZED,
    SupplyClass.CREW_OPERATIONS: Carrier.PRESSURIZED,
    SupplyClass.SPARES_PRESSURIZED: Carrier.PRESSURIZED,
    SupplyClass.SPARES_UNPRESSURIZED: Carrier.UNPRESSURIZED,
    SupplyClass.PROPELLANT: Carrier.PROPELLANT,
    SupplyClass.WASTE: None,
}
"""The carrier each class flies up in; waste flies up in none."""

UPMASS_CLASSES: tuple[SupplyClass, ...] = tuple(c for c in SupplyClass if CARRIER[c] is not None)
"""Classes flown up, in the row order of every (C, D) demand or stock array."""

CARRIERS: tuple[Carrier, ...] = tuple(Carrier)
"""Carriers in the row order of every per-carrier array."""


def carrier_matrix() -> NDArray[np.float64]:
    """(K, C) matrix: 1 where class ``UPMASS_CLASSES[c]`` rides in carrier ``CARRIERS[k]``."""
    return np.array([[1.0 if CARRIER[c] is k else 0.0 for c in UPMASS_CLASSES] for k in CARRIERS])


def class_row(supply_class: SupplyClass) -> int:
    """Row of a class in the (C, D) arrays (``ValueError`` for waste)."""
    return UPMASS_CLASSES.index(supply_class)


@dataclass(frozen=True)
class DemandModel:
    """Linear demand rates per upmass class (rows in ``UPMASS_CLASSES`` order).

    Daily demand of class c = ``kg_per_crew_day[c]`` x crew + ``kg_per_station_day[c]``
    + ``per_day_per_station_kg[c]`` x station mass + ``propellant_share[c]`` x propellant.
    """

    kg_per_crew_day: NDArray[np.float64]
    kg_per_station_day: NDArray[np.float64]
    per_day_per_station_kg: NDArray[np.float64]
    propellant_share: NDArray[np.float64]
    trash_kg_per_crew_day: float
    reserve_days: float


def demand_model(consumables: Consumables) -> DemandModel:
    """The demand rates of the scenario's consumables (method in the module docstring)."""
    c = consumables
    n = len(UPMASS_CLASSES)
    crew = np.zeros(n)
    crew[class_row(SupplyClass.OXYGEN)] = c.oxygen_kg_per_crew_day * (
        1.0 - c.oxygen_recovery_fraction
    )
    crew[class_row(SupplyClass.WATER)] = (
        c.potable_water_kg_per_crew_day + c.hygiene_water_kg_per_crew_day
    ) * (1.0 - c.water_recovery_fraction)
    crew[class_row(SupplyClass.FOOD)] = c.food_kg_per_crew_day
    crew[class_row(SupplyClass.CREW_PROVISIONS)] = (
        c.hygiene_items_kg_per_crew_day + c.clothing_kg_per_crew_day
    )
    crew[class_row(SupplyClass.CREW_OPERATIONS)] = c.crew_operations_kg_per_crew_day
    station = np.zeros(n)
    station[class_row(SupplyClass.NITROGEN)] = c.air_leakage_kg_per_station_day
    mass = np.zeros(n)
    per_day = c.spares_fraction_per_year / DAYS_PER_YEAR
    mass[class_row(SupplyClass.SPARES_PRESSURIZED)] = per_day * (
        1.0 - c.unpressurized_spares_fraction
    )
    mass[class_row(SupplyClass.SPARES_UNPRESSURIZED)] = per_day * c.unpressurized_spares_fraction
    propellant = np.zeros(n)
    propellant[class_row(SupplyClass.PROPELLANT)] = 1.0
    return DemandModel(
        kg_per_crew_day=crew,
        kg_per_station_day=station,
        per_day_per_station_kg=mass,
        propellant_share=propellant,
        trash_kg_per_crew_day=c.trash_kg_per_crew_day,
        reserve_days=c.reserve_days,
    )


def daily_demand(
    model: DemandModel,
    crew_aboard: ArrayLike,
    station_mass_kg: ArrayLike,
    propellant_kg_per_day: ArrayLike,
) -> NDArray[np.float64]:
    """(C, D) demand (kg/day) per upmass class and day, from (D,) drivers.

    ``crew_aboard`` is the crew on board each day (may be fractional: crew-days that day),
    ``station_mass_kg`` the station's mass and ``propellant_kg_per_day`` the propellant the
    station burns each day. Scalars broadcast over the days.
    """
    crew = np.atleast_1d(np.asarray(crew_aboard, dtype=float))
    mass = np.atleast_1d(np.asarray(station_mass_kg, dtype=float))
    prop = np.atleast_1d(np.asarray(propellant_kg_per_day, dtype=float))
    crew, mass, prop = np.broadcast_arrays(crew, mass, prop)
    if np.any(crew < 0) or np.any(mass < 0) or np.any(prop < 0):
        raise ValueError("crew, station mass and propellant must not be negative")
    out: NDArray[np.float64] = (
        model.kg_per_crew_day[:, None] * crew[None, :]
        + model.kg_per_station_day[:, None]
        + model.per_day_per_station_kg[:, None] * mass[None, :]
        + model.propellant_share[:, None] * prop[None, :]
    )
    return out


def trash_kg_per_day(model: DemandModel, crew_aboard: ArrayLike) -> NDArray[np.float64]:
    """(D,) trash produced each day (kg): the crew's trash rate times the crew on board."""
    crew = np.atleast_1d(np.asarray(crew_aboard, dtype=float))
    out: NDArray[np.float64] = model.trash_kg_per_crew_day * crew
    return out


def average_daily_demand_by_carrier(
    model: DemandModel,
    crew: float,
    station_mass_kg: float,
    propellant_kg_per_day: float = 0.0,
) -> dict[Carrier, float]:
    """Mean demand per carrier (kg/day) for a crew size and station mass: for sizing flights.

    The manifest solver divides a carrier's demand over a year by a vehicle's capacity in that
    carrier to get the flights per year it needs.
    """
    demand = daily_demand(model, crew, station_mass_kg, propellant_kg_per_day)[:, 0]
    per_carrier = carrier_matrix() @ demand
    return {k: float(per_carrier[i]) for i, k in enumerate(CARRIERS)}
