"""Run a scenario through the layers into one :class:`~stationplan.plan.model.Plan`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from stationplan import __version__
from stationplan.ops.assembly import StationBuild, build_all
from stationplan.ops.debris import StationDebrisRisk, station_debris_risk
from stationplan.ops.fleet import VehicleCapability, fleet_capabilities
from stationplan.ops.lifetime import StationLifetime, plan_station_lifetime
from stationplan.ops.manifest import Opportunity, opportunities
from stationplan.ops.operations import (
    DEFAULT_RISK_RUNS,
    DEFAULT_RISK_SEED,
    OperationsInputs,
    plan_operations,
)
from stationplan.ops.station_orbit import (
    StationEphemeris,
    StationOrbit,
    analyse_station_orbit,
    station_elements,
)
from stationplan.ops.supply import DAYS_PER_YEAR
from stationplan.ops.windows import WindowCache, WindowSeries, profile_of, window_series
from stationplan.plan.compare import compare
from stationplan.plan.findings import (
    capability_findings,
    debris_findings,
    find_issues,
    operations_findings,
    orbit_findings,
    work_split_findings,
)
from stationplan.plan.model import Plan, PlanMeta, ProgrammeSummary, StationSummary
from stationplan.program.capabilities import capability_matrix
from stationplan.program.contributions import partner_summaries
from stationplan.program.ledger import partnership
from stationplan.program.worksplit import scenario_work_split
from stationplan.scenario.loader import LoadedScenario, debris_catalog
from stationplan.scenario.models import Scenario
from stationplan.scenario.variants import Change, change_of_variant, variant_scenario

NOT_YET_BUILT: list[str] = []
"""Parts of a full plan this version does not compute (the report lists them)."""

VARIANT_RISK_RUNS = 200
"""Monte Carlo runs of the risk for each of a scenario's variants (at most the baseline's)."""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RunResult:
    """The plan and the bulky products written beside it (ephemerides for OEM and CZML)."""

    plan: Plan
    ephemerides: list[StationEphemeris]


def build_plan(
    loaded: LoadedScenario,
    progress: Progress | None = None,
    now_utc: datetime | None = None,
) -> Plan:
    """Compute the plan of a validated scenario (see :func:`run_scenario`)."""
    return run_scenario(loaded, progress, now_utc).plan


def run_scenario(
    loaded: LoadedScenario,
    progress: Progress | None = None,
    now_utc: datetime | None = None,
    risk_runs: int = DEFAULT_RISK_RUNS,
    risk_seed: int = DEFAULT_RISK_SEED,
    scheduler: str | None = None,
    manifest_time_limit_s: float | None = None,
) -> RunResult:
    """Compute the plan of a validated scenario and the ephemerides to export.

    ``progress`` is called with the name of each step as it starts; ``now_utc`` fixes the
    generation time stamp (tests pass one for reproducible output). ``risk_runs``,
    ``risk_seed`` and ``scheduler`` (a Dask scheduler address) set the Monte Carlo;
    ``manifest_time_limit_s`` overrides the scenario's limit for each manifest stage.

    Each of the scenario's named variants is planned after the baseline (its operations and
    partnership; the orbits, windows and lifetime, which no partnership change alters, are
    the baseline's) and compared with it in ``plan.variants``.
    """
    say = progress or (lambda _step: None)
    settings = _Settings(now_utc, risk_runs, risk_seed, scheduler, manifest_time_limit_s)
    orbital = _orbital_part(loaded.scenario, say, source=loaded.source)
    base = _programme_part(loaded, orbital, settings, say)
    var_settings = replace(settings, risk_runs=min(risk_runs, VARIANT_RISK_RUNS))
    comparisons = []
    for variant in loaded.scenario.variants:
        change = change_of_variant(variant)
        var_sc, var_plan = _variant_plan(
            loaded, change, orbital, var_settings, say, f"variant {variant.name}"
        )
        comparison = compare(loaded.scenario, base, var_sc, var_plan, change)
        comparisons.append(comparison.model_copy(update={"name": variant.name}))
    plan = base.model_copy(update={"variants": comparisons}) if comparisons else base
    return RunResult(plan=plan, ephemerides=orbital.ephemerides)


def run_change(
    loaded: LoadedScenario,
    change: Change,
    progress: Progress | None = None,
    risk_runs: int = DEFAULT_RISK_RUNS,
    manifest_time_limit_s: float | None = None,
) -> tuple[RunResult, RunResult, Scenario]:
    """The plans of the scenario (without its own named variants) and of its variant under
    ``change``, and the variant scenario; the orbital part is computed once. The variant is
    built and validated before any planning (a bad change fails at once)."""
    say = progress or (lambda _step: None)
    variant_scenario(loaded.scenario, change)
    bare = LoadedScenario(
        scenario=loaded.scenario.model_copy(update={"variants": []}),
        source=loaded.source,
        sha256=loaded.sha256,
        text=loaded.text,
    )
    settings = _Settings(None, risk_runs, DEFAULT_RISK_SEED, None, manifest_time_limit_s)
    orbital = _orbital_part(bare.scenario, _prefixed(say, "baseline: "), source=bare.source)
    base = _programme_part(bare, orbital, settings, _prefixed(say, "baseline: "))
    var_sc, var_plan = _variant_plan(bare, change, orbital, settings, say, "variant")
    return (
        RunResult(plan=base, ephemerides=orbital.ephemerides),
        RunResult(plan=var_plan, ephemerides=orbital.ephemerides),
        var_sc,
    )


def _variant_plan(
    loaded: LoadedScenario,
    change: Change,
    orbital: _Orbital,
    settings: _Settings,
    say: Progress,
    label: str,
) -> tuple[Scenario, Plan]:
    """The variant scenario under ``change`` and its plan on the baseline's orbital part."""
    var_sc = variant_scenario(loaded.scenario, change)
    var_loaded = LoadedScenario(
        scenario=var_sc,
        source=f"{loaded.source} ({label}: {change.describe()})",
        sha256=loaded.sha256,
        text=loaded.text,
    )
    plan = _programme_part(
        var_loaded,
        _orbital_part(var_sc, say, reuse=orbital),
        settings,
        _prefixed(say, f"{label}: "),
    )
    return var_sc, plan


def _prefixed(say: Progress, prefix: str) -> Progress:
    """``say`` with each step named after ``prefix``."""
    return lambda step: say(prefix + step)


@dataclass(frozen=True)
class _Settings:
    now_utc: datetime | None
    risk_runs: int
    risk_seed: int
    scheduler: str | None
    manifest_time_limit_s: float | None


@dataclass(frozen=True)
class _Orbital:
    """What the plan computes from the stations, vehicles and sites alone."""

    builds: list[StationBuild]
    fleet: list[VehicleCapability]
    stations: list[StationSummary]
    orbits: list[StationOrbit]
    ephemerides: list[StationEphemeris]
    windows: list[WindowSeries]
    launch_days: dict[tuple[str, str], dict[int, Opportunity]]
    lifetime: list[StationLifetime]
    debris: list[StationDebrisRisk]


def _orbital_part(
    sc: Scenario, say: Progress, reuse: _Orbital | None = None, source: str = "<scenario>"
) -> _Orbital:
    """Assembly, fleet, orbits, launch windows and lifetime; with ``reuse`` (the baseline's,
    for a variant of the same stations and fleet) only the fleet is computed again."""
    if reuse is not None:
        return replace(reuse, fleet=fleet_capabilities(sc, reuse.builds))
    say("assembly")
    builds = build_all(sc)
    say("fleet")
    fleet = fleet_capabilities(sc, builds)
    stations = []
    for st, build in zip(sc.stations, builds, strict=True):
        start = st.service_start_utc(sc.programme.start_utc)
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
    orbits = []
    ephemerides = []
    for st, summary, build in zip(sc.stations, stations, builds, strict=True):
        say(f"orbit of {st.name}")
        orbit, eph = analyse_station_orbit(
            st, build, sc.ground_stations, summary.in_service_from_utc, summary.in_service_to_utc
        )
        orbits.append(orbit)
        ephemerides.append(eph)
    windows = []
    window_cache: WindowCache = {}
    launch_days: dict[tuple[str, str], dict[int, Opportunity]] = {}
    sites = {s.name: s for s in sc.launch_sites}
    for vehicle, capability in zip(sc.vehicles, fleet, strict=True):
        for st, summary, build in zip(sc.stations, stations, builds, strict=True):
            if st.name not in capability.docks_at:
                continue
            elements = station_elements(st, build)
            records = []
            for site_name in vehicle.launch_sites:
                say(f"launch windows: {vehicle.name} from {site_name} to {st.name}")
                windows.append(
                    window_series(
                        elements,
                        vehicle,
                        sites[site_name],
                        st.name,
                        summary.in_service_from_utc,
                        summary.in_service_to_utc,
                        window_cache,
                    )
                )
                key = (
                    st.name,
                    site_name,
                    profile_of(vehicle),
                    summary.in_service_from_utc,
                    summary.in_service_to_utc,
                )
                records.append((site_name, window_cache[key]))
            launch_days[(vehicle.name, st.name)] = opportunities(
                records, vehicle, sc.programme.start_utc
            )
    lifetime = []
    for st, summary, build in zip(sc.stations, stations, builds, strict=True):
        say(f"lifetime and reboosts of {st.name}")
        lifetime.append(
            plan_station_lifetime(
                sc,
                st,
                build,
                station_elements(st, build),
                summary.in_service_from_utc,
                summary.in_service_to_utc,
            )
        )
    debris: list[StationDebrisRisk] = []
    if sc.debris is not None:
        catalog = debris_catalog(sc.debris.catalog_file, source)
        for st, build, life in zip(sc.stations, builds, lifetime, strict=True):
            say(f"debris conjunctions of {st.name}")
            debris.append(
                station_debris_risk(st, build, catalog, sc.debris, sc.policies, life.isp_s)
            )
    return _Orbital(
        builds, fleet, stations, orbits, ephemerides, windows, launch_days, lifetime, debris
    )


def _programme_part(
    loaded: LoadedScenario, orbital: _Orbital, settings: _Settings, say: Progress
) -> Plan:
    """Operations, capabilities, work split and ledger on top of the orbital part."""
    sc = loaded.scenario
    builds, fleet, orbits = orbital.builds, orbital.fleet, orbital.orbits
    windows, lifetime = orbital.windows, orbital.lifetime
    say("partners")
    partners = partner_summaries(sc, fleet)
    say("findings")
    findings = find_issues(sc, builds, fleet, partners)
    operations = plan_operations(
        OperationsInputs(
            sc,
            builds,
            orbital.launch_days,
            lifetime,
            orbits,
            {d.station: d.propellant_kg_per_year / DAYS_PER_YEAR for d in orbital.debris},
        ),
        risk_runs=settings.risk_runs,
        risk_seed=settings.risk_seed,
        scheduler=settings.scheduler,
        say=say,
        manifest_time_limit_s=settings.manifest_time_limit_s,
    )
    say("capabilities")
    capabilities = capability_matrix(sc)
    say("work split")
    work = scenario_work_split(sc)
    say("partnership ledger")
    ledger = partnership(
        sc, operations.manifest.flights, operations.manifest.crew, operations.power
    )
    findings = sorted(
        [
            *findings,
            *orbit_findings(orbits, windows, lifetime),
            *operations_findings(operations),
            *capability_findings(capabilities),
            *work_split_findings(work),
            *debris_findings(orbital.debris),
        ],
        key=lambda f: (f.severity != "warning", f.topic),
    )
    span = sc.programme.end_utc - sc.programme.start_utc
    plan = Plan(
        meta=PlanMeta(
            stationplan_version=__version__,
            scenario_source=loaded.source,
            scenario_sha256=loaded.sha256,
            generated_utc=(settings.now_utc or datetime.now(UTC)).astimezone(UTC),
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
        stations=orbital.stations,
        partners=partners,
        fleet=fleet,
        orbits=orbits,
        launch_windows=windows,
        lifetime=lifetime,
        operations=operations,
        capabilities=capabilities,
        work_split=work,
        partnership=ledger,
        debris=orbital.debris or None,
        findings=findings,
        not_yet_built=list(NOT_YET_BUILT),
        ground_stations_used=[
            (g.name, g.latitude_deg, g.longitude_deg) for g in sc.ground_stations
        ],
    )
    return plan
