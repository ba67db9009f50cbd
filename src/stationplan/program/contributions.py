"""What each partner brings: modules, vehicles, declared contributions, and its shares.

Shares of hardware (module mass, pressurized volume, array power, payload sites) are computed
from the modules each partner owns, so they can be set against the utilisation share it is
entitled to.

A declared contribution is valued (million USD) by its ``value_musd`` when given; otherwise a
service given by its quantities is valued at the policies' prices (:func:`contribution_value_musd`):
upmass and downmass per kg, crew seats per round trip, crew time per hour. A contribution with
neither has no value and earns no share.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from stationplan.ops.fleet import VehicleCapability
from stationplan.scenario.models import Contribution, Partner, Policies, Scenario


class ContributionItem(BaseModel):
    """One declared contribution as the plan shows it."""

    kind: str
    description: str
    item: str | None
    value_musd: float | None = Field(description="Its value (million USD); None: unvalued.")
    valued_by: str | None = Field(
        default=None, description="'declared' (its value_musd) or 'price' (its quantities)."
    )


def priced_musd(
    policies: Policies,
    *,
    upmass_kg: float = 0.0,
    downmass_kg: float = 0.0,
    seats: float = 0.0,
    crew_hours: float = 0.0,
) -> float:
    """Quantities of service at the policies' prices (million USD): kg up and down, crew
    seats (round trips) and crew hours.

    >>> from stationplan.scenario.models import Policies
    >>> priced_musd(Policies(), upmass_kg=1000.0, seats=1)
    75.4
    """
    return (
        upmass_kg * policies.upmass_price_usd_per_kg / 1e6
        + downmass_kg * policies.downmass_price_usd_per_kg / 1e6
        + seats * policies.crew_seat_price_musd
        + crew_hours * policies.crew_hour_price_usd / 1e6
    )


def contribution_value_musd(c: Contribution, policies: Policies) -> float | None:
    """A contribution's value (million USD): its declared ``value_musd``, else its quantities
    at the policies' prices (:func:`priced_musd`), else None (the scenario gives one or the
    other, never both).

    >>> from stationplan.scenario.models import Contribution, ContributionKind, Policies
    >>> c = Contribution(kind=ContributionKind.SERVICES, description="reboost", upmass_kg=4000)
    >>> contribution_value_musd(c, Policies())
    80.0
    """
    if c.value_musd is not None:
        return c.value_musd
    quantities = (c.upmass_kg, c.downmass_kg, c.seats, c.crew_hours)
    if all(q is None for q in quantities):
        return None
    return priced_musd(
        policies,
        upmass_kg=c.upmass_kg or 0.0,
        downmass_kg=c.downmass_kg or 0.0,
        seats=c.seats or 0,
        crew_hours=c.crew_hours or 0.0,
    )


class PartnerSummary(BaseModel):
    """A partner's membership span, hardware, vehicles and shares."""

    code: str
    name: str
    country: str
    join_utc: datetime
    withdraw_utc: datetime | None
    active_days: float = Field(description="Days of membership inside the programme span.")
    utilization_share_pct: float = Field(description="Utilisation entitlement (%).")
    modules: list[str] = Field(description="Modules it owns, all stations.")
    module_mass_kg: float
    module_mass_share_pct: float = Field(description="Share of all module mass (%).")
    pressurized_volume_m3: float
    pressurized_volume_share_pct: float
    power_generation_kw: float
    power_generation_share_pct: float
    payload_sites: int = Field(default=0, description="Payload sites of the modules it owns.")
    payload_sites_share_pct: float = Field(
        default=0.0, description="Share of all payload sites (%)."
    )
    vehicles: list[str] = Field(description="Vehicles it operates.")
    seats_per_year: float = Field(description="Crew seats its vehicles can fly per year.")
    cargo_up_kg_per_year: float = Field(description="Cargo its vehicles can fly up per year (kg).")
    resident_crew: int = Field(description="Resident crew members per increment (crew plan).")
    declared_value_musd: float = Field(
        description="Sum of its contributions' values, declared or at the policies' prices."
    )
    contributions: list[ContributionItem]


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole > 0 else 0.0


def active_days(partner: Partner, start: datetime, end: datetime) -> float:
    """Days of ``partner``'s membership that fall inside ``[start, end]``."""
    lo = max(start, partner.join_utc)
    hi = min(end, partner.withdraw_utc or end)
    return max(0.0, (hi - lo).total_seconds() / 86400.0)


def partner_summaries(scenario: Scenario, fleet: list[VehicleCapability]) -> list[PartnerSummary]:
    """One :class:`PartnerSummary` per partner, in scenario order."""
    modules = [m for s in scenario.stations for m in s.modules]
    total_mass = sum(m.mass_kg for m in modules)
    total_volume = sum(m.pressurized_volume_m3 for m in modules)
    total_power = sum(m.power_generation_kw for m in modules)
    total_sites = sum(m.payload_sites for m in modules)
    crew = scenario.crew.crew_per_partner if scenario.crew is not None else {}
    out = []
    for p in scenario.partners:
        own = [m for m in modules if m.owner == p.code]
        vehicles = [v for v in fleet if v.operator == p.code]
        mass = sum(m.mass_kg for m in own)
        volume = sum(m.pressurized_volume_m3 for m in own)
        power = sum(m.power_generation_kw for m in own)
        sites = sum(m.payload_sites for m in own)
        values = [contribution_value_musd(c, scenario.policies) for c in p.contributions]
        out.append(
            PartnerSummary(
                code=p.code,
                name=p.name,
                country=p.country,
                join_utc=p.join_utc,
                withdraw_utc=p.withdraw_utc,
                active_days=active_days(
                    p, scenario.programme.start_utc, scenario.programme.end_utc
                ),
                utilization_share_pct=p.utilization_share_pct,
                modules=[m.name for m in own],
                module_mass_kg=mass,
                module_mass_share_pct=_pct(mass, total_mass),
                pressurized_volume_m3=volume,
                pressurized_volume_share_pct=_pct(volume, total_volume),
                power_generation_kw=power,
                power_generation_share_pct=_pct(power, total_power),
                payload_sites=sites,
                payload_sites_share_pct=_pct(sites, total_sites),
                vehicles=[v.name for v in vehicles],
                seats_per_year=sum(v.seats_per_year for v in vehicles),
                cargo_up_kg_per_year=sum(v.cargo_up_kg_per_year for v in vehicles),
                resident_crew=crew.get(p.code, 0),
                declared_value_musd=sum(v or 0.0 for v in values),
                contributions=[
                    ContributionItem(
                        kind=c.kind.value,
                        description=c.description,
                        item=c.item,
                        value_musd=None if v is None else round(v, 3),
                        valued_by=None
                        if v is None
                        else ("declared" if c.value_musd is not None else "price"),
                    )
                    for c, v in zip(p.contributions, values, strict=True)
                ],
            )
        )
    return out
