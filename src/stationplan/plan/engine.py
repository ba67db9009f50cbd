"""Run a scenario through the layers into one :class:`~stationplan.plan.model.Plan`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from stationplan import __version__
from stationplan.ops.assembly import build_all
from stationplan.ops.fleet import fleet_capabilities
from stationplan.plan.findings import find_issues
from stationplan.plan.model import Plan, PlanMeta, ProgrammeSummary, StationSummary
from stationplan.program.contributions import partner_summaries
from stationplan.scenario.loader import LoadedScenario

NOT_YET_BUILT = [
    "Orbit propagation, ground track, eclipses and ground-station contacts (flight dynamics core)",
    "Launch windows, rendezvous phasing, lifetime with reboosts and deorbit",
    "Flight manifest, docking-port schedule and crew rotation",
    "Consumables and propellant logistics",
    "Power simulation over eclipses and beta angle",
    "Collision risk against the debris catalog",
    "Partnership ledger: costs, entitlements, duplication and withdrawal what-ifs",
]

Progress = Callable[[str], None]


def build_plan(
    loaded: LoadedScenario,
    progress: Progress | None = None,
    now_utc: datetime | None = None,
) -> Plan:
    """Compute the plan of a validated scenario.

    ``progress`` is called with the name of each step as it starts; ``now_utc`` fixes the
    generation time stamp (tests pass one for reproducible output).
    """
    say = progress or (lambda _step: None)
    sc = loaded.scenario
    say("assembly")
    builds = build_all(sc)
    say("fleet")
    fleet = fleet_capabilities(sc, builds)
    say("partners")
    partners = partner_summaries(sc, fleet)
    say("findings")
    findings = find_issues(sc, builds, fleet, partners)
    stations = []
    for st, build in zip(sc.stations, builds, strict=True):
        start = sc.programme.start_utc
        if build.first_module_utc is not None and st.mass_kg == 0:
            start = max(start, build.first_module_utc)
        stations.append(
            StationSummary(
                name=st.name,
                orbit_source=st.orbit.source_kind,
                inclination_deg=st.orbit.nominal_inclination_deg,
                in_service_from_utc=start,
                in_service_to_utc=min(st.retire_utc or sc.programme.end_utc, sc.programme.end_utc),
                retire_utc=st.retire_utc,
                min_altitude_km=st.min_altitude_km,
                max_altitude_km=st.max_altitude_km,
                build=build,
            )
        )
    span = sc.programme.end_utc - sc.programme.start_utc
    return Plan(
        meta=PlanMeta(
            stationplan_version=__version__,
            scenario_source=loaded.source,
            scenario_sha256=loaded.sha256,
            generated_utc=(now_utc or datetime.now(UTC)).astimezone(UTC),
        ),
        programme=ProgrammeSummary(
            name=sc.programme.name,
            description=sc.programme.description,
            start_utc=sc.programme.start_utc,
            end_utc=sc.programme.end_utc,
            duration_days=span.total_seconds() / 86400.0,
            partners=len(sc.partners),
            stations=len(sc.stations),
            vehicles=len(sc.vehicles),
        ),
        stations=stations,
        partners=partners,
        fleet=fleet,
        findings=findings,
        not_yet_built=list(NOT_YET_BUILT),
    )
