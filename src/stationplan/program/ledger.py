"""The partnership ledger: shares, entitlements and their use, barter, and each partner's
spending, per partner and calendar year.

Rules (each one place, documented):

* **Agreed shares, rebalanced.** A partner's ``utilization_share_pct`` holds while it is a
  member; on each day the members' agreed shares are scaled to sum to 100 % (pro rata), so a
  partner that leaves frees its share to the others in proportion to theirs, and one that
  joins takes its share from then. A year's share is the mean over its days.
* **Resources.** Crew time for research: crew members aboard x
  ``policies.utilisation_hours_per_crew_day``. Upmass: the pressurised and unpressurised
  cargo of the manifest's flights (propellant feeds the station and is not a utilisation
  resource), counted on the docking day; downmass: their return cargo. Power: the energy the
  station's loads draw (the power layer's daily load). Payload sites: the racks and external
  sites (``Module.payload_sites``) of the modules aboard each day, counted in site-years.
  Each partner is entitled to its share of each, day by day.
* **Use.** Crew time: the partner's own crew members aboard. Upmass and downmass: in
  proportion to the partner's crew days at that station in that year (the crew that lives on
  the cargo), by share when no crew is aboard; payload sites likewise (the crew that tends
  the payloads), day by day. Power: the loads of the modules the partner
  owns, and the rest of the station's load in proportion to crew days. Entitled and used
  each sum to the station's total, so the balances of all partners sum to zero; a partner's
  balance is carried forward from year to year.
* **Barter.** A crew member flying on another partner's flight owes that partner the seat:
  the flight's cost over its seats. Cargo a partner uses (as above) on a flight another
  partner paid for is owed at that flight's cost in the same proportion. With
  ``policies.barter_rate: price`` the seat is owed at ``crew_seat_price_musd`` and the cargo
  at the upmass and downmass prices instead. The flight's payer
  is the vehicle's ``purchased_by`` partner, else its operator when that is a partner; a
  commercial provider's flight that no partner purchases is a common cost.
* **Spending.** Modules in their launch year (``cost_musd``, else the value of the owner's
  module contribution naming it); the flights a partner pays for, in their launch year; its
  part of the common operating cost (``policies.common_cost_sharing``: by the rebalanced
  share, or equally among the members of the day) and of the unpurchased flights; and its
  barter balance (owed less owed to it). Present value at ``policies.discount_rate_pct`` to
  the programme's start year.
* **Earned shares.** What each partner contributes during the programme (the modules it
  launches, the flights it pays for, funding, services and other contributions with a value,
  declared or at the policies' prices: :func:`stationplan.program.contributions.
  contribution_value_musd`; declared module, vehicle and flights contributions are not added
  again, the plan counts them; modules already in orbit at the start are sunk and not counted)
  over the total: the share its contributions would buy under a barter of value for value,
  set against the agreed share.
* **Value received.** What a partner is entitled to, at the policies' prices (crew hours,
  upmass, downmass), set against what it spends: what it pays per dollar of what it gets.
  A service given in kind (valued at the prices) raises the partner's earned share; it does
  not lower its bill for common costs, which follows ``policies.common_cost_sharing``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from stationplan.ops.flights import CrewMember, Flight, FlightRole
from stationplan.ops.power import PowerBudget
from stationplan.ops.supply import DAYS_PER_YEAR
from stationplan.orbit.arrays import Array
from stationplan.program.contributions import contribution_value_musd, priced_musd
from stationplan.scenario.models import ContributionKind, CostSharing, Module, Scenario

SPENDING_KINDS = (ContributionKind.MODULE, ContributionKind.VEHICLE, ContributionKind.FLIGHTS)
"""Contributions whose value the ledger counts from the plan (modules launched, flights paid),
not from the declaration: counting the declaration too would count them twice."""


class ShareRow(BaseModel):
    """A partner's agreed and earned shares."""

    partner: str
    agreed_pct: float = Field(description="The scenario's utilization_share_pct.")
    effective_pct: float = Field(
        description="The agreed share rebalanced over members, mean over the programme (%)."
    )
    contributed_musd: float = Field(description="Value of its contributions (million USD).")
    earned_pct: float = Field(description="Its contributions' share of all contributions (%).")
    difference_pp: float = Field(description="Earned less effective share (percentage points).")


class LedgerRow(BaseModel):
    """One partner's utilisation resources in one calendar year."""

    partner: str
    year: int
    share_pct: float = Field(description="Rebalanced agreed share, mean over the year (%).")
    crew_hours_entitled: float
    crew_hours_used: float
    crew_hours_balance: float = Field(description="Entitled less used, carried forward (h).")
    upmass_kg_entitled: float
    upmass_kg_used: float
    upmass_kg_balance: float = Field(description="Carried forward (kg).")
    downmass_kg_entitled: float
    downmass_kg_used: float
    power_kwh_entitled: float
    power_kwh_used: float
    power_kwh_balance: float = Field(description="Carried forward (kWh).")
    payload_site_years_entitled: float = Field(
        default=0.0, description="Its share of the payload sites aboard (site-years)."
    )
    payload_site_years_used: float = 0.0
    payload_site_years_balance: float = Field(default=0.0, description="Carried forward.")


class BarterRow(BaseModel):
    """What one partner owes another for one year's seats and cargo."""

    year: int
    debtor: str
    creditor: str
    seats: int = Field(description="Seats the debtor's crew flew on the creditor's flights.")
    cargo_kg: float = Field(description="Cargo the debtor used on the creditor's flights (kg).")
    amount_musd: float


class FinanceRow(BaseModel):
    """One partner's spending in one calendar year (million USD)."""

    partner: str
    year: int
    modules_musd: float
    flights_musd: float
    common_musd: float = Field(description="Its part of the common and unpurchased costs.")
    barter_net_musd: float = Field(description="What it owes less what it is owed.")
    total_musd: float
    cumulative_musd: float
    present_value_musd: float = Field(description="total_musd discounted to the start year.")


class PartnerUnitCost(BaseModel):
    """What a partner pays per unit of what it is entitled to, over the programme."""

    partner: str
    spending_musd: float
    crew_hours_entitled: float
    musd_per_crew_hour: float | None
    upmass_kg_entitled: float
    kusd_per_kg_up: float | None
    entitled_value_musd: float = Field(
        default=0.0,
        description="Its entitled crew hours, upmass and downmass at the policies' prices.",
    )
    paid_per_value: float | None = Field(
        default=None, description="Spending over entitled value: what it pays per dollar it gets."
    )


class Prices(BaseModel):
    """The prices services, entitlements and (by policy) barter are valued at."""

    upmass_usd_per_kg: float
    downmass_usd_per_kg: float
    crew_hour_usd: float
    crew_seat_musd: float
    barter_rate: Literal["flight_cost", "price"]


class Partnership(BaseModel):
    """The partnership part of the plan."""

    prices: Prices | None = Field(
        default=None, description="The prices used (None in plans written before they were)."
    )
    shares: list[ShareRow]
    ledger: list[LedgerRow]
    barter: list[BarterRow]
    finance: list[FinanceRow]
    unit_costs: list[PartnerUnitCost]
    programme_cost_musd: float
    research_crew_hours: float
    upmass_kg: float
    musd_per_crew_hour: float | None = Field(description="Programme cost per research hour.")
    kusd_per_kg_up: float | None = Field(description="Programme cost per kg delivered.")
    notes: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- day grid


class _Grid:
    """Whole days from the programme's start date; calendar years of each day."""

    def __init__(self, sc: Scenario) -> None:
        s = sc.programme.start_utc
        self.origin = datetime(s.year, s.month, s.day, tzinfo=UTC)
        self.n = max(1, (sc.programme.end_utc - self.origin).days + 1)
        self.year = np.array(
            [(self.origin + timedelta(days=d)).year for d in range(self.n)], dtype=int
        )
        self.years = sorted(set(self.year.tolist()))

    def day(self, when: datetime) -> int:
        return (when - self.origin).days

    def span(self, start: datetime | None, end: datetime | None) -> Array:
        """1.0 on the days of [start, end) (None: open), else 0."""
        a = 0 if start is None else max(0, min(self.n, self.day(start)))
        z = self.n if end is None else max(0, min(self.n, self.day(end)))
        out = np.zeros(self.n)
        out[a:z] = 1.0
        return out

    def by_year(self, daily: Array) -> dict[int, float]:
        return {y: float(daily[self.year == y].sum()) for y in self.years}


def _shares(sc: Scenario, grid: _Grid) -> dict[str, Array]:
    """Daily rebalanced agreed shares (fractions summing to 1 on days with any share)."""
    raw = {
        p.code: p.utilization_share_pct * grid.span(p.join_utc, p.withdraw_utc) for p in sc.partners
    }
    total = sum(raw.values(), np.zeros(grid.n))
    safe = np.where(total > 0, total, 1.0)
    return {code: np.where(total > 0, v / safe, 0.0) for code, v in raw.items()}


def _members(sc: Scenario, grid: _Grid) -> dict[str, Array]:
    return {p.code: grid.span(p.join_utc, p.withdraw_utc) for p in sc.partners}


def _payer(sc: Scenario, vehicle: str | None) -> str | None:
    """The partner that pays a vehicle's flights (None: a common cost)."""
    partners = {p.code for p in sc.partners}
    v = next((x for x in sc.vehicles if x.name == vehicle), None)
    if v is None:
        return None
    if v.purchased_by is not None:
        return v.purchased_by
    return v.operator if v.operator in partners else None


def module_cost_musd(sc: Scenario, module: Module) -> float:
    """A module's cost (million USD): its ``cost_musd``, else the value of its owner's module
    contribution naming it, else 0."""
    if module.cost_musd is not None:
        return module.cost_musd
    for p in sc.partners:
        if p.code != module.owner:
            continue
        for c in p.contributions:
            if c.kind is ContributionKind.MODULE and c.item == module.name and c.value_musd:
                return c.value_musd
    return 0.0


# --------------------------------------------------------------------------- the ledger


def partnership(
    sc: Scenario,
    flights: Sequence[Flight],
    crew: Sequence[CrewMember],
    power: Sequence[PowerBudget],
) -> Partnership:
    """The ledger, barter, spending and shares of the programme (rules: module docstring)."""
    grid = _Grid(sc)
    codes = [p.code for p in sc.partners]
    share = _shares(sc, grid)
    members = _members(sc, grid)
    hours = sc.policies.utilisation_hours_per_crew_day
    stations = [st.name for st in sc.stations]
    notes: list[str] = []

    # crew aboard per partner and station, per day
    crew_days = {(k, s): np.zeros(grid.n) for k in codes for s in stations}
    for m in crew:
        if (m.partner, m.station) in crew_days:
            crew_days[(m.partner, m.station)] += grid.span(m.arrival_utc, m.departure_utc)
    crew_station = {s: sum((crew_days[(k, s)] for k in codes), np.zeros(grid.n)) for s in stations}

    def use_fraction(station: str, year: int) -> dict[str, float]:
        """Each partner's part of what a station's crew uses in a year: its crew days,
        or its share when no crew is aboard."""
        in_year = grid.year == year
        total = float(crew_station[station][in_year].sum())
        if total > 0:
            return {k: float(crew_days[(k, station)][in_year].sum()) / total for k in codes}
        days = max(1, int(in_year.sum()))
        return {k: float(share[k][in_year].sum()) / days for k in codes}

    # entitled and used, per partner and year
    zero_years = {y: 0.0 for y in grid.years}
    resources = ("crew", "up", "down", "power", "sites")
    ent = {key: {k: dict(zero_years) for k in codes} for key in resources}
    used = {key: {k: dict(zero_years) for k in codes} for key in resources}
    total_crew = sum(crew_station.values(), np.zeros(grid.n))
    for k in codes:
        ent["crew"][k] = grid.by_year(share[k] * total_crew * hours)
        used["crew"][k] = grid.by_year(
            sum((crew_days[(k, s)] for s in stations), np.zeros(grid.n)) * hours
        )
    fleet = [f for f in flights if f.role is not FlightRole.MODULE and f.docking_utc is not None]
    for f in fleet:
        assert f.docking_utc is not None
        d = grid.day(f.docking_utc)
        if not 0 <= d < grid.n:
            continue
        year = int(grid.year[d])
        up = f.pressurized_kg + f.unpressurized_kg
        frac = use_fraction(f.station, year)
        for k in codes:
            ent["up"][k][year] += share[k][d] * up
            ent["down"][k][year] += share[k][d] * f.return_kg
            used["up"][k][year] += frac[k] * up
            used["down"][k][year] += frac[k] * f.return_kg
    for station, sites in _payload_sites(sc, grid).items():
        crew_here = crew_station[station]
        safe = np.where(crew_here > 0, crew_here, 1.0)
        for k in codes:
            by_crew = np.where(crew_here > 0, crew_days[(k, station)] / safe, share[k])
            site_years = sites / DAYS_PER_YEAR
            ent["sites"][k] = _add(ent["sites"][k], grid.by_year(share[k] * site_years))
            used["sites"][k] = _add(used["sites"][k], grid.by_year(by_crew * site_years))
    module_load = _module_loads(sc, grid)
    for budget in power:
        load = np.zeros(grid.n)
        for day_utc, kwh in zip(budget.days_utc, budget.load_kwh, strict=True):
            d = grid.day(day_utc)
            if 0 <= d < grid.n:
                load[d] = kwh
        own = {
            k: module_load.get((k, budget.station), np.zeros(grid.n)) * (load > 0) for k in codes
        }
        rest = np.maximum(load - sum(own.values(), np.zeros(grid.n)), 0.0)
        crew_here = crew_station.get(budget.station, np.zeros(grid.n))
        safe = np.where(crew_here > 0, crew_here, 1.0)
        for k in codes:
            ent["power"][k] = _add(ent["power"][k], grid.by_year(share[k] * load))
            by_crew = np.where(
                crew_here > 0,
                crew_days.get((k, budget.station), np.zeros(grid.n)) / safe,
                share[k],
            )
            used["power"][k] = _add(used["power"][k], grid.by_year(own[k] + by_crew * rest))

    ledger: list[LedgerRow] = []
    for k in codes:
        carry = {"crew": 0.0, "up": 0.0, "power": 0.0, "sites": 0.0}
        for y in grid.years:
            days = max(1, int((grid.year == y).sum()))
            for key in carry:
                carry[key] += ent[key][k][y] - used[key][k][y]
            ledger.append(
                LedgerRow(
                    partner=k,
                    year=y,
                    share_pct=round(100.0 * float(share[k][grid.year == y].sum()) / days, 3),
                    crew_hours_entitled=round(ent["crew"][k][y], 1),
                    crew_hours_used=round(used["crew"][k][y], 1),
                    crew_hours_balance=round(carry["crew"], 1),
                    upmass_kg_entitled=round(ent["up"][k][y], 1),
                    upmass_kg_used=round(used["up"][k][y], 1),
                    upmass_kg_balance=round(carry["up"], 1),
                    downmass_kg_entitled=round(ent["down"][k][y], 1),
                    downmass_kg_used=round(used["down"][k][y], 1),
                    power_kwh_entitled=round(ent["power"][k][y], 1),
                    power_kwh_used=round(used["power"][k][y], 1),
                    power_kwh_balance=round(carry["power"], 1),
                    payload_site_years_entitled=round(ent["sites"][k][y], 3),
                    payload_site_years_used=round(used["sites"][k][y], 3),
                    payload_site_years_balance=round(carry["sites"], 3),
                )
            )

    # barter: seats and cargo on flights someone else paid for
    owed: dict[tuple[int, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    at_price = sc.policies.barter_rate == "price"
    seat_price = priced_musd(sc.policies, seats=1)
    by_label = {f.flight: f for f in flights}
    for m in crew:
        arrival = by_label.get(m.arrival_flight)
        if arrival is None or arrival.seats <= 0:
            continue
        payer = _payer(sc, arrival.vehicle)
        if payer is None or payer == m.partner:
            continue
        row = owed[(arrival.launch_utc.year, m.partner, payer)]
        row[0] += 1
        row[2] += seat_price if at_price else arrival.cost_musd / arrival.seats
    for f in fleet:
        payer = _payer(sc, f.vehicle)
        up = f.pressurized_kg + f.unpressurized_kg
        if payer is None or f.role is not FlightRole.CARGO or up <= 0:
            continue
        assert f.docking_utc is not None
        year = f.docking_utc.year
        if year not in grid.years:
            continue
        for k, part in use_fraction(f.station, year).items():
            if k != payer and part > 0:
                row = owed[(f.launch_utc.year, k, payer)]
                row[1] += part * up
                row[2] += (
                    priced_musd(sc.policies, upmass_kg=part * up, downmass_kg=part * f.return_kg)
                    if at_price
                    else part * f.cost_musd
                )
    barter = [
        BarterRow(
            year=y,
            debtor=a,
            creditor=b,
            seats=int(v[0]),
            cargo_kg=round(v[1], 1),
            amount_musd=round(v[2], 2),
        )
        for (y, a, b), v in sorted(owed.items())
    ]

    # spending
    spend = {key: {k: dict(zero_years) for k in codes} for key in ("modules", "flights", "common")}
    for st in sc.stations:
        for module in st.modules:
            if module.launch_utc is None or module.owner not in codes:
                continue
            y = module.launch_utc.year
            if y in zero_years:
                spend["modules"][module.owner][y] += module_cost_musd(sc, module)
    common_daily = np.full(grid.n, sc.policies.common_operations_cost_musd_per_year / DAYS_PER_YEAR)
    unpurchased = np.zeros(grid.n)
    for f in flights:
        if f.role is FlightRole.MODULE:
            continue
        payer = _payer(sc, f.vehicle)
        d = grid.day(f.launch_utc)
        if payer in spend["flights"] and f.launch_utc.year in zero_years:
            spend["flights"][payer][f.launch_utc.year] += f.cost_musd
        elif payer is None and 0 <= d < grid.n:
            unpurchased[d] += f.cost_musd
    if float(unpurchased.sum()) > 0:
        notes.append(
            f"{unpurchased.sum():,.0f} MUSD of flights by providers that no partner purchases "
            "are shared as common costs"
        )
    if sc.policies.common_cost_sharing is CostSharing.EQUAL:
        count = sum(members.values(), np.zeros(grid.n))
        split = {
            k: np.where(count > 0, members[k] / np.where(count > 0, count, 1), 0) for k in codes
        }
    else:
        split = share
    for k in codes:
        spend["common"][k] = grid.by_year(split[k] * (common_daily + unpurchased))
    net = {k: dict(zero_years) for k in codes}
    for row_b in barter:
        if row_b.year in zero_years:
            net[row_b.debtor][row_b.year] += row_b.amount_musd
            net[row_b.creditor][row_b.year] -= row_b.amount_musd
    rate = sc.policies.discount_rate_pct / 100.0
    start_year = grid.years[0]
    finance: list[FinanceRow] = []
    for k in codes:
        cumulative = 0.0
        for y in grid.years:
            total = (
                spend["modules"][k][y] + spend["flights"][k][y] + spend["common"][k][y] + net[k][y]
            )
            cumulative += total
            finance.append(
                FinanceRow(
                    partner=k,
                    year=y,
                    modules_musd=round(spend["modules"][k][y], 2),
                    flights_musd=round(spend["flights"][k][y], 2),
                    common_musd=round(spend["common"][k][y], 2),
                    barter_net_musd=round(net[k][y], 2),
                    total_musd=round(total, 2),
                    cumulative_musd=round(cumulative, 2),
                    present_value_musd=round(total / (1.0 + rate) ** (y - start_year), 2),
                )
            )

    # earned shares
    contributed = {k: 0.0 for k in codes}
    for k in codes:
        contributed[k] += sum(spend["modules"][k].values()) + sum(spend["flights"][k].values())
    for p in sc.partners:
        for c in p.contributions:
            if c.kind in SPENDING_KINDS:
                continue
            contributed[p.code] += contribution_value_musd(c, sc.policies) or 0.0
    all_value = sum(contributed.values())
    shares: list[ShareRow] = []
    for p in sc.partners:
        effective = 100.0 * float(share[p.code].mean())
        earned = 100.0 * contributed[p.code] / all_value if all_value > 0 else 0.0
        shares.append(
            ShareRow(
                partner=p.code,
                agreed_pct=p.utilization_share_pct,
                effective_pct=round(effective, 3),
                contributed_musd=round(contributed[p.code], 1),
                earned_pct=round(earned, 3),
                difference_pp=round(earned - effective, 3),
            )
        )
    if all_value <= 0:
        notes.append("no contribution carries a value: earned shares are 0")

    programme_cost = sum(r.total_musd for r in finance)
    research_hours = float((total_crew * hours).sum())
    upmass = sum(f.pressurized_kg + f.unpressurized_kg for f in fleet)
    unit_costs = []
    for k in codes:
        spent = sum(r.total_musd for r in finance if r.partner == k)
        hours_k = sum(ent["crew"][k].values())
        kg_k = sum(ent["up"][k].values())
        value_k = priced_musd(
            sc.policies,
            upmass_kg=kg_k,
            downmass_kg=sum(ent["down"][k].values()),
            crew_hours=hours_k,
        )
        unit_costs.append(
            PartnerUnitCost(
                partner=k,
                spending_musd=round(spent, 1),
                crew_hours_entitled=round(hours_k, 1),
                musd_per_crew_hour=round(spent / hours_k, 4) if hours_k > 0 else None,
                upmass_kg_entitled=round(kg_k, 1),
                kusd_per_kg_up=round(1000.0 * spent / kg_k, 2) if kg_k > 0 else None,
                entitled_value_musd=round(value_k, 1),
                paid_per_value=round(spent / value_k, 3) if value_k > 0 else None,
            )
        )
    pol = sc.policies
    return Partnership(
        prices=Prices(
            upmass_usd_per_kg=pol.upmass_price_usd_per_kg,
            downmass_usd_per_kg=pol.downmass_price_usd_per_kg,
            crew_hour_usd=pol.crew_hour_price_usd,
            crew_seat_musd=pol.crew_seat_price_musd,
            barter_rate=pol.barter_rate,
        ),
        shares=shares,
        ledger=ledger,
        barter=barter,
        finance=finance,
        unit_costs=unit_costs,
        programme_cost_musd=round(programme_cost, 1),
        research_crew_hours=round(research_hours, 1),
        upmass_kg=round(upmass, 1),
        musd_per_crew_hour=round(programme_cost / research_hours, 4) if research_hours else None,
        kusd_per_kg_up=round(1000.0 * programme_cost / upmass, 2) if upmass else None,
        notes=notes,
    )


def _add(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    return {y: a.get(y, 0.0) + b.get(y, 0.0) for y in a}


def _payload_sites(sc: Scenario, grid: _Grid) -> dict[str, Array]:
    """Payload sites aboard each station per day: its modules' sites from their launch (or
    the start, when already in orbit) to the station's retirement."""
    out: dict[str, Array] = {}
    for st in sc.stations:
        daily = np.zeros(grid.n)
        for module in st.modules:
            if module.payload_sites:
                daily += module.payload_sites * grid.span(module.launch_utc, st.retire_utc)
        out[st.name] = daily
    return out


def _module_loads(sc: Scenario, grid: _Grid) -> dict[tuple[str, str], Array]:
    """Daily energy (kWh) the modules of each (owner, station) draw while in orbit."""
    out: dict[tuple[str, str], Array] = {}
    for st in sc.stations:
        end = st.retire_utc
        for module in st.modules:
            if module.power_load_kw <= 0:
                continue
            key = (module.owner, st.name)
            days = grid.span(module.launch_utc, end)
            out[key] = out.get(key, np.zeros(grid.n)) + 24.0 * module.power_load_kw * days
    return out
