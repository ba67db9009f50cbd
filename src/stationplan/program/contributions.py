"""What each partner brings: modules, vehicles, declared contributions, and its shares.

Shares of hardware (module mass, pressurized volume, array power) are computed from the
modules each partner owns, so they can be set against the utilisation share it is entitled to.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from stationplan.ops.fleet import VehicleCapability
from stationplan.scenario.models import Partner, Scenario


class ContributionItem(BaseModel):
    """One declared contribution as the plan shows it."""

    kind: str
    description: str
    item: str | None
    value_musd: float | None


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
    vehicles: list[str] = Field(description="Vehicles it operates.")
    seats_per_year: float = Field(description="Crew seats its vehicles can fly per year.")
    cargo_up_kg_per_year: float = Field(description="Cargo its vehicles can fly up per year (kg).")
    resident_crew: int = Field(description="Resident crew members per increment (crew plan).")
    declared_value_musd: float = Field(description="Sum of the declared contribution values.")
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
    crew = scenario.crew.crew_per_partner if scenario.crew is not None else {}
    out = []
    for p in scenario.partners:
        own = [m for m in modules if m.owner == p.code]
        vehicles = [v for v in fleet if v.operator == p.code]
        mass = sum(m.mass_kg for m in own)
        volume = sum(m.pressurized_volume_m3 for m in own)
        power = sum(m.power_generation_kw for m in own)
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
                vehicles=[v.name for v in vehicles],
                seats_per_year=sum(v.seats_per_year for v in vehicles),
                cargo_up_kg_per_year=sum(v.cargo_up_kg_per_year for v in vehicles),
                resident_crew=crew.get(p.code, 0),
                declared_value_musd=sum(c.value_musd or 0.0 for c in p.contributions),
                contributions=[
                    ContributionItem(
                        kind=c.kind.value,
                        description=c.description,
                        item=c.item,
                        value_musd=c.value_musd,
                    )
                    for c in p.contributions
                ],
            )
        )
    return out
