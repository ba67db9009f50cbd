"""Consistency findings across the plan's parts: warnings a programme analyst should see.

These are not input errors (the scenario validated); they are facts of the plan such as a
vehicle that no station can take, a partner's module launched before it joins, or a crew plan
that does not fit the station when the first crew arrives.
"""

from __future__ import annotations

from collections.abc import Iterator

from stationplan.ops.assembly import StationBuild, configuration_at
from stationplan.ops.debris import StationDebrisRisk
from stationplan.ops.fleet import VehicleCapability
from stationplan.ops.lifetime import StationLifetime
from stationplan.ops.operations import Operations
from stationplan.ops.station_orbit import StationOrbit
from stationplan.ops.windows import WindowSeries
from stationplan.plan.model import Finding, Severity
from stationplan.program.capabilities import CapabilityMatrix
from stationplan.program.contributions import PartnerSummary
from stationplan.program.worksplit import WorkSplit
from stationplan.scenario.models import Scenario


def find_issues(
    scenario: Scenario,
    builds: list[StationBuild],
    fleet: list[VehicleCapability],
    partners: list[PartnerSummary],
) -> list[Finding]:
    """All findings, warnings first."""
    found = [
        *_fleet(fleet),
        *_membership(scenario),
        *_power(builds),
        *_crew(scenario, builds, fleet),
        *_partners(partners),
    ]
    return sorted(found, key=lambda f: (f.severity != Severity.WARNING, f.topic))


def orbit_findings(
    orbits: list[StationOrbit], windows: list[WindowSeries], lifetime: list[StationLifetime]
) -> list[Finding]:
    """Findings from the orbit, launch-window and lifetime sections."""
    found = []
    for life in lifetime:
        if life.infeasible_reason:
            found.append(
                Finding(
                    severity=Severity.WARNING,
                    topic="altitude keeping",
                    message=f"{life.station}: {life.infeasible_reason}",
                )
            )
        if life.note:
            found.append(
                Finding(
                    severity=Severity.INFO,
                    topic="altitude keeping",
                    message=f"{life.station}: {life.note}",
                )
            )
    for o in orbits:
        if o.sgp4_failure:
            found.append(
                Finding(
                    severity=Severity.WARNING,
                    topic="orbit",
                    message=f"{o.station}: SGP4 failed ({o.sgp4_failure})",
                )
            )
        for c in o.contacts:
            if c.passes == 0:
                found.append(
                    Finding(
                        severity=Severity.WARNING,
                        topic="ground segment",
                        message=f"{c.ground_station} never sees {o.station} above "
                        f"{c.min_elevation_deg:g} deg in {c.window_days:g} days (inclination "
                        f"{o.inclination_deg:.1f} deg)",
                    )
                )
    for w in windows:
        if w.windows == 0:
            found.append(
                Finding(
                    severity=Severity.WARNING,
                    topic="launch windows",
                    message=f"{w.vehicle} from {w.site} has no window to {w.station} within its "
                    "allowed azimuths",
                )
            )
        elif w.own_strategy_feasible == 0:
            found.append(
                Finding(
                    severity=Severity.WARNING,
                    topic="launch windows",
                    message=f"{w.vehicle} from {w.site}: no window's phase angle suits its "
                    f"{w.strategy} profile",
                )
            )
    return found


def _fleet(fleet: list[VehicleCapability]) -> Iterator[Finding]:
    for v in fleet:
        if not v.docks_at:
            yield Finding(
                severity=Severity.WARNING,
                topic="fleet",
                message=f"{v.name} needs a port of type {', '.join(v.compatible_port_types)} and "
                "no station has one",
            )


def _membership(scenario: Scenario) -> Iterator[Finding]:
    partners = {p.code: p for p in scenario.partners}
    for st in scenario.stations:
        for m in st.modules:
            p = partners.get(m.owner)
            if p is None:
                continue
            if m.launch_utc is not None and m.launch_utc < p.join_utc:
                yield Finding(
                    severity=Severity.WARNING,
                    topic="membership",
                    message=f"{m.name} ({p.code}) launches {m.launch_utc:%Y-%m-%d}, before "
                    f"{p.code} joins ({p.join_utc:%Y-%m-%d})",
                )
            if p.withdraw_utc is not None and (
                st.retire_utc is None or p.withdraw_utc < st.retire_utc
            ):
                yield Finding(
                    severity=Severity.WARNING,
                    topic="membership",
                    message=f"{p.code} withdraws {p.withdraw_utc:%Y-%m-%d} while its module "
                    f"{m.name} stays on {st.name}",
                )


def _power(builds: list[StationBuild]) -> Iterator[Finding]:
    for b in builds:
        for step in b.steps:
            if step.power_load_kw > step.power_generation_kw:
                when = f"{step.launch_utc:%Y-%m-%d}" if step.launch_utc else "programme start"
                yield Finding(
                    severity=Severity.WARNING,
                    topic="power",
                    message=f"{b.station}: after {step.module} ({when}) the load "
                    f"{step.power_load_kw:.1f} kW exceeds array power in sunlight "
                    f"{step.power_generation_kw:.1f} kW",
                )
                break


def _crew(
    scenario: Scenario, builds: list[StationBuild], fleet: list[VehicleCapability]
) -> Iterator[Finding]:
    if scenario.crew is None:
        return
    first = scenario.crew.first_crew_utc
    members = {
        p.code
        for p in scenario.partners
        if p.join_utc <= first and (p.withdraw_utc is None or p.withdraw_utc > first)
    }
    crew_total = sum(n for code, n in scenario.crew.crew_per_partner.items() if code in members)
    for b in builds:
        config = configuration_at(b, first)
        if config is None or not b.steps:
            continue
        if config.crew_capacity < crew_total:
            yield Finding(
                severity=Severity.WARNING,
                topic="crew",
                message=f"{b.station}: {crew_total} resident crew planned but the station houses "
                f"{config.crew_capacity} at the first crew date ({first:%Y-%m-%d}); full capacity "
                f"{b.final_crew_capacity} after assembly",
            )
    seats = sum(
        v.seats_per_year for v in fleet if v.docks_at
    )  # seats that dock nowhere carry no crew
    needed = crew_total * 365.25 / scenario.crew.increment_days
    if seats < needed:
        yield Finding(
            severity=Severity.WARNING,
            topic="crew",
            message=f"the fleet flies at most {seats:g} seats a year; rotating {crew_total} crew "
            f"every {scenario.crew.increment_days:g} days needs {needed:.1f}",
        )


def _partners(partners: list[PartnerSummary]) -> Iterator[Finding]:
    for p in partners:
        if not p.modules and not p.vehicles and not p.contributions:
            yield Finding(
                severity=Severity.INFO,
                topic="partnership",
                message=f"{p.code} contributes nothing declared but is entitled to "
                f"{p.utilization_share_pct:g} % of utilisation",
            )
        elif p.utilization_share_pct > 0 and p.module_mass_share_pct == 0 and not p.vehicles:
            yield Finding(
                severity=Severity.INFO,
                topic="partnership",
                message=f"{p.code} owns no module and flies no vehicle; its "
                f"{p.utilization_share_pct:g} % utilisation share rests on other contributions",
            )


def operations_findings(ops: Operations) -> list[Finding]:
    """Findings from the operations: no manifest (and why), supplies the flights did not
    carry, power deficits, and what the Monte Carlo says of launch losses."""
    found: list[Finding] = []
    m = ops.manifest
    for line in m.explanation:
        found.append(
            Finding(
                severity=Severity.WARNING,
                topic="manifest",
                message=f"no flight manifest ({m.solver.status}): {line}",
            )
        )
    for note in ops.notes:
        found.append(Finding(severity=Severity.INFO, topic="crew", message=note))
    for log in ops.logistics:
        short: dict[str, float] = {}
        for gap in log.gaps:
            short[str(gap.supply_class)] = max(short.get(str(gap.supply_class), 0.0), gap.kg)
        if short:
            worst = ", ".join(f"{name} up to {kg:,.0f} kg" for name, kg in sorted(short.items()))
            found.append(
                Finding(
                    severity=Severity.WARNING,
                    topic="logistics",
                    message=f"{log.station}: supplies fall below their reserve ({worst} short)",
                )
            )
    for p in ops.power:
        if p.deficits:
            days = sum(d.days for d in p.deficits)
            first = p.deficits[0].first_day_utc
            found.append(
                Finding(
                    severity=Severity.WARNING,
                    topic="power",
                    message=f"{p.station}: {days} day(s) with a negative energy balance in "
                    f"{len(p.deficits)} run(s), the first from {first:%Y-%m-%d}",
                )
            )
    for r in ops.risk:
        found.append(
            Finding(
                severity=Severity.INFO,
                topic="risk",
                message=f"{r.station}: over {r.runs:,} runs of launch slips and losses, "
                f"P(a supply below reserve) {r.p_any_reserve_break:.2f}, "
                f"P(crew reduced) {r.p_crew_reduction:.2f}, "
                f"P(lifeboat rule broken) {r.p_lifeboat_break:.2f}",
            )
        )
    return found


def capability_findings(matrix: CapabilityMatrix) -> list[Finding]:
    """Information on the capability matrix: capabilities nobody provides at some time while
    they are needed, with the spans."""
    found: list[Finding] = []
    for row in matrix.gaps():
        where = f" on {row.station}" if row.station else ""
        spans = ", ".join(f"{g.start_utc:%Y-%m-%d} to {g.end_utc:%Y-%m-%d}" for g in row.gaps)
        found.append(
            Finding(
                severity=Severity.INFO,
                topic="capabilities",
                message=f"nobody provides {row.name}{where} from {spans}",
            )
        )
    return found


def work_split_findings(split: WorkSplit | None) -> list[Finding]:
    """A warning when the work packages cannot be assigned, with the reasons."""
    if split is None or split.status in ("optimal", "feasible"):
        return []
    why = "; ".join(split.explanation) or "no reason found"
    return [
        Finding(
            severity=Severity.WARNING,
            topic="work split",
            message=f"the work packages cannot be assigned ({split.status}): {why}",
        )
    ]


def debris_findings(risks: list[StationDebrisRisk]) -> list[Finding]:
    """Information on each station's expected avoidance manoeuvres; a warning for a red
    conjunction no burn up to the search's limit clears."""
    out: list[Finding] = []
    for r in risks:
        out.append(
            Finding(
                severity=Severity.INFO,
                topic="collision risk",
                message=(
                    f"{r.station}: {r.encounters_per_year:,.0f} approaches a year under the "
                    f"screening distance, {r.manoeuvres_per_year:.1f} avoidance manoeuvres a year "
                    f"expected ({r.red} red, {r.yellow} yellow in {r.screened_days:g} days of "
                    f"the catalog), {r.propellant_kg_per_year:,.0f} kg of propellant a year"
                ),
            )
        )
        if r.uncleared:
            out.append(
                Finding(
                    severity=Severity.WARNING,
                    topic="collision risk",
                    message=(
                        f"{r.station}: {r.uncleared} red conjunction(s) that no along-track burn "
                        "up to 2 m/s clears: a larger manoeuvre or an earlier one is needed"
                    ),
                )
            )
    return out
