"""Assembly of each station: modules in launch order and what the station has after each.

Mass, pressurized volume, drag area, power and crew capacity accumulate module by module; the
later layers (lifetime, power, crew) read the build-up from here rather than recomputing it.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from pydantic import BaseModel, Field

from stationplan.scenario.models import Scenario, Station


class AssemblyStep(BaseModel):
    """The station just after one module arrives (cumulative figures include that module)."""

    module: str = Field(description="Module that arrives.")
    owner: str = Field(description="Partner or provider code of the module's owner.")
    launch_utc: datetime | None = Field(description="Launch date; None = in orbit at start.")
    mass_kg: float = Field(description="The module's mass (kg).")
    station_mass_kg: float = Field(description="Station mass after this step (kg).")
    pressurized_volume_m3: float = Field(description="Station pressurized volume after (m^3).")
    drag_area_m2: float = Field(description="Station mean drag area after (m^2).")
    power_generation_kw: float = Field(description="Station array power in sunlight after (kW).")
    power_load_kw: float = Field(description="Station average load after (kW).")
    crew_capacity: int = Field(description="Crew the station can house after this step.")
    ports_by_type: dict[str, int] = Field(description="Docking ports by type after this step.")


class StationBuild(BaseModel):
    """A station's assembly sequence and its final configuration."""

    station: str
    steps: list[AssemblyStep]
    start_mass_kg: float = Field(description="Mass not counted in modules (kg).")
    first_module_utc: datetime | None = Field(description="First module launch (None if none).")
    complete_utc: datetime | None = Field(description="Last module launch (None if none).")
    final_mass_kg: float
    final_pressurized_volume_m3: float
    final_drag_area_m2: float
    final_power_generation_kw: float
    final_power_load_kw: float
    final_crew_capacity: int
    final_ports_by_type: dict[str, int]


def _order_key(launch: datetime | None) -> tuple[int, datetime | None]:
    return (0, None) if launch is None else (1, launch)


def build_station(station: Station) -> StationBuild:
    """Modules in launch order (elements already in orbit first) with running totals."""
    modules = sorted(station.modules, key=lambda m: (m.launch_utc is not None, m.launch_utc))
    mass = station.mass_kg
    area = station.drag_area_m2
    volume = power_gen = power_load = 0.0
    crew = 0
    ports: Counter[str] = Counter()
    steps = []
    for m in modules:
        mass += m.mass_kg
        area += m.drag_area_m2
        volume += m.pressurized_volume_m3
        power_gen += m.power_generation_kw
        power_load += m.power_load_kw
        crew += m.crew_capacity
        ports.update(p.port_type for p in m.docking_ports)
        steps.append(
            AssemblyStep(
                module=m.name,
                owner=m.owner,
                launch_utc=m.launch_utc,
                mass_kg=m.mass_kg,
                station_mass_kg=mass,
                pressurized_volume_m3=volume,
                drag_area_m2=area,
                power_generation_kw=power_gen,
                power_load_kw=power_load,
                crew_capacity=crew,
                ports_by_type=dict(sorted(ports.items())),
            )
        )
    launches = [m.launch_utc for m in modules if m.launch_utc is not None]
    return StationBuild(
        station=station.name,
        steps=steps,
        start_mass_kg=station.mass_kg,
        first_module_utc=min(launches) if launches else None,
        complete_utc=max(launches) if launches else None,
        final_mass_kg=mass,
        final_pressurized_volume_m3=volume,
        final_drag_area_m2=area,
        final_power_generation_kw=power_gen,
        final_power_load_kw=power_load,
        final_crew_capacity=crew,
        final_ports_by_type=dict(sorted(ports.items())),
    )


def configuration_at(build: StationBuild, when: datetime) -> AssemblyStep | None:
    """The station's configuration at ``when``: the last step launched by then (or None)."""
    current = None
    for step in build.steps:
        if step.launch_utc is None or step.launch_utc <= when:
            current = step
    return current


def build_all(scenario: Scenario) -> list[StationBuild]:
    """:func:`build_station` for every station of the scenario, in scenario order."""
    return [build_station(s) for s in scenario.stations]
