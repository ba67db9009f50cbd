"""Small scenarios whose every figure can be checked by hand, shared by the ops, program and
plan tests.

``MINI``: one station (Alpha) of three modules, two partners, two vehicles, 59 days
(2025-01-01 to 2025-03-01: 31 + 28 days). Module totals, used in comments across the tests:

=========  =====  ==========  ============  ===========  ========  ========  =====  ==========
module     owner  launch      mass (kg)     volume (m3)  area (m2)  gen (kW)  load   crew/ports
=========  =====  ==========  ============  ===========  ========  ========  =====  ==========
Node       AAA    2025-01-05  20000         100          100       10        4      3 / IDSS+SSVP
Lab        BBB    2025-02-01  10000         60           50        0         5      0
Array      AAA    2025-02-15  5000          0            150       30        0      0
total                         35000         160          300       40        9      3
=========  =====  ==========  ============  ===========  ========  ========  =====  ==========

The modules are listed out of launch order (Array, Node, Lab) so that the build-up must sort
them. ``two_station_text()`` adds a second station (Beta, APAS port only, retiring inside the
programme), a third vehicle (Shuttle, APAS or IDSS, from both pads) and a second pad.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stationplan.ops.manifest import Opportunity
from stationplan.scenario import LoadedScenario, parse_scenario

MINI = """\
programme:
  name: Mini Programme
  start_utc: 2025-01-01
  end_utc: 2025-03-01

stations:
  - name: Alpha
    orbit:
      altitude_km: 415
      inclination_deg: 51.64
      raan_deg: 120.0
      arg_latitude_deg: 0.0
      eccentricity: 0.0005
      epoch_utc: 2025-01-01
    mass_kg: 0
    drag_area_m2: 0
    drag_coefficient: 2.2
    min_altitude_km: 400
    max_altitude_km: 420
    modules:
      - name: Array
        owner: AAA
        launch_utc: 2025-02-15
        mass_kg: 5000
        drag_area_m2: 150
        power_generation_kw: 30
      - name: Node
        owner: AAA
        launch_utc: 2025-01-05
        mass_kg: 20000
        pressurized_volume_m3: 100
        drag_area_m2: 100
        power_generation_kw: 10
        power_load_kw: 4
        crew_capacity: 3
        docking_ports:
          - {name: Node forward, port_type: IDSS}
          - {name: Node aft, port_type: SSVP}
      - name: Lab
        owner: BBB
        launch_utc: 2025-02-01
        mass_kg: 10000
        pressurized_volume_m3: 60
        drag_area_m2: 50
        power_load_kw: 5

partners:
  - code: AAA
    name: Agency A
    country: Aland
    join_utc: 2024-06-01
    utilization_share_pct: 60
    contributions:
      - {kind: module, item: Node, description: Node, value_musd: 300}
      - {kind: module, item: Array, description: Solar array, value_musd: 100}
      - {kind: vehicle, item: Ferry, description: Crew and cargo ferry}
  - code: BBB
    name: Agency B
    country: Bland
    join_utc: 2025-01-15
    utilization_share_pct: 30
    contributions:
      - {kind: module, item: Lab, description: Laboratory, value_musd: 250}

providers:
  - {code: ORBCO, name: Orbit Cargo Co., country: Aland}

vehicles:
  - name: Ferry
    role: both
    operator: AAA
    launch_sites: [Pad North]
    crew_seats: 3
    pressurized_cargo_kg: 1000
    propellant_transfer_kg: 100
    reboost: {thrust_n: 2950, isp_s: 302, propellant_kg: 500}
    compatible_port_types: [IDSS]
    max_flights_per_year: 3
    cost_per_flight_musd: 120
    ascent_duration_s: 528
    rendezvous_strategy: 2orbit
    launch_offset_s: 162
  - name: Freighter
    role: cargo
    operator: ORBCO
    launch_sites: [Pad North]
    pressurized_cargo_kg: 2000
    unpressurized_cargo_kg: 500
    propellant_transfer_kg: 200
    compatible_port_types: [SSVP]
    max_flights_per_year: 4
    cost_per_flight_musd: 50
    ascent_duration_s: 528
    rendezvous_strategy: 2orbit
    launch_offset_s: 162

launch_sites:
  - name: Pad North
    latitude_deg: 45.996
    longitude_deg: 63.564
    altitude_m: 100
    allowed_azimuths_deg:
      - {min_deg: 33, max_deg: 70}

ground_stations:
  - {name: Mid, operator: AAA, latitude_deg: 45.0, longitude_deg: 10.0, min_elevation_deg: 5}

crew:
  first_crew_utc: 2025-01-20
  increment_days: 182
  handover_overlap_days: 5
  crew_per_partner: {AAA: 2, BBB: 1}

consumables:
  oxygen_kg_per_crew_day: 0.835
  food_kg_per_crew_day: 0.617
  potable_water_kg_per_crew_day: 3.909
  water_recovery_fraction: 0.98
  oxygen_recovery_fraction: 0.5
  reserve_days: 45

space_weather: {f107_sfu: 150, f107_81day_sfu: 150, ap: 12}
"""

BETA_STATION = """\
  - name: Beta
    orbit:
      altitude_km: 430
      inclination_deg: 51.64
      raan_deg: 300.0
      arg_latitude_deg: 90.0
      epoch_utc: 2025-01-01
    mass_kg: 50000
    drag_area_m2: 200
    min_altitude_km: 410
    max_altitude_km: 440
    retire_utc: 2025-02-15
    modules:
      - name: Port
        owner: AAA
        launch_utc: 2025-01-10
        mass_kg: 3000
        drag_area_m2: 10
        docking_ports:
          - {name: Port zenith, port_type: APAS}

"""

SHUTTLE = """\
  - name: Shuttle
    role: crew
    operator: AAA
    launch_sites: [Pad North, Pad South]
    crew_seats: 5
    compatible_port_types: [APAS, IDSS]
    max_flights_per_year: 1
    cost_per_flight_musd: 500
    ascent_duration_s: 510
    rendezvous_strategy: 4orbit

"""

PAD_SOUTH = """\
  - name: Pad South
    latitude_deg: 28.608
    longitude_deg: -80.604
    altitude_m: 3
    allowed_azimuths_deg:
      - {min_deg: 35, max_deg: 120}

"""


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    """A UTC datetime (the scenario's plain dates mean 00:00 UTC)."""
    return datetime(year, month, day, hour, tzinfo=UTC)


def two_station_text() -> str:
    """MINI with Beta, the Shuttle and Pad South added."""
    text = MINI.replace("\npartners:\n", "\n" + BETA_STATION + "partners:\n", 1)
    text = text.replace("\nlaunch_sites:\n", "\n" + SHUTTLE + "launch_sites:\n", 1)
    text = text.replace("\nground_stations:\n", "\n" + PAD_SOUTH + "ground_stations:\n", 1)
    return text


def parse(text: str) -> LoadedScenario:
    """Validate a scenario text (a test of its own fails loudly if it does not validate)."""
    return parse_scenario(text, source="<test>")


# --------------------------------------------------------------------------- crew and manifest

OPS_START = utc(2025, 1, 1)
"""Day 0 of the crew and manifest scenarios below (``ops_text``)."""


def vehicle_yaml(
    name: str,
    *,
    role: str = "crew",
    operator: str = "AAA",
    seats: int = 0,
    pressurized_kg: float = 0.0,
    ports: str = "IDSS",
    rate: float = 10,
    cost: float = 100,
    docked_days: float = 200,
) -> str:
    """One vehicle of ``ops_text``'s fleet (launching from Pad North, 2-orbit rendezvous)."""
    lines = [
        f"  - name: {name}",
        f"    role: {role}",
        f"    operator: {operator}",
        "    launch_sites: [Pad North]",
        f"    compatible_port_types: [{ports}]",
        f"    max_flights_per_year: {rate}",
        f"    cost_per_flight_musd: {cost}",
        "    ascent_duration_s: 528",
        "    rendezvous_strategy: 2orbit",
        f"    docked_duration_days: {docked_days}",
    ]
    if seats:
        lines.append(f"    crew_seats: {seats}")
    if pressurized_kg:
        lines.append(f"    pressurized_cargo_kg: {pressurized_kg}")
    return "\n".join(lines) + "\n"


def ops_text(
    vehicles: str,
    *,
    crew: dict[str, int] | None = None,
    first_crew: str = "2025-01-11",
    increment_days: float = 90,
    handover_days: float = 5,
    tolerance_days: float = 10,
    one_year: str = "",
    ports: tuple[str, ...] = ("Alpha fwd", "Alpha aft"),
    crew_capacity: int = 20,
    end: str = "2025-12-01",
    partners: tuple[tuple[str, str], ...] = (("AAA", "2024-01-01"),),
    port_gap_days: float = 2,
) -> str:
    """A one-station scenario for the crew and manifest tests: station Alpha (one module in
    orbit from the start, IDSS ports ``ports``, ``crew_capacity``), partners ``(code, join)``,
    the fleet ``vehicles`` (:func:`vehicle_yaml`), and the crew plan ``crew`` (positions per
    partner; None for an uncrewed plan) from ``first_crew`` (``one_year``: YAML items of
    ``one_year_missions``). The programme runs from 2025-01-01 (``OPS_START``) to ``end``."""
    port_lines = "".join(f"          - {{name: {p}, port_type: IDSS}}\n" for p in ports)
    partner_lines = "".join(
        f"  - {{code: {code}, name: Agency {code}, country: Land {code}, "
        f"join_utc: {join}, utilization_share_pct: 10}}\n"
        for code, join in partners
    )
    text = f"""\
programme:
  name: Ops Test Programme
  start_utc: 2025-01-01
  end_utc: {end}

stations:
  - name: Alpha
    orbit:
      altitude_km: 415
      inclination_deg: 51.64
      raan_deg: 120.0
      arg_latitude_deg: 0.0
      epoch_utc: 2025-01-01
    mass_kg: 100000
    drag_area_m2: 500
    min_altitude_km: 400
    max_altitude_km: 420
    modules:
      - name: Hub
        owner: AAA
        mass_kg: 20000
        pressurized_volume_m3: 100
        crew_capacity: {crew_capacity}
        docking_ports:
{port_lines}
partners:
{partner_lines}
vehicles:
{vehicles}
launch_sites:
  - name: Pad North
    latitude_deg: 45.996
    longitude_deg: 63.564
    altitude_m: 100
    allowed_azimuths_deg:
      - {{min_deg: 33, max_deg: 70}}

policies:
  port_gap_days: {port_gap_days}
  manifest_gap_pct: 0  # hand-checked optima: search to optimality
"""
    if crew is not None:
        counts = ", ".join(f"{code}: {n}" for code, n in crew.items())
        missions = f"  one_year_missions:\n{one_year}" if one_year else ""
        text += f"""
crew:
  first_crew_utc: {first_crew}
  increment_days: {increment_days}
  handover_overlap_days: {handover_days}
  increment_tolerance_days: {tolerance_days}
  crew_per_partner: {{{counts}}}
{missions}
consumables:
  oxygen_kg_per_crew_day: 0.835
  food_kg_per_crew_day: 0.617
  potable_water_kg_per_crew_day: 3.909
  water_recovery_fraction: 0.9
  oxygen_recovery_fraction: 0.5
  reserve_days: 0
"""
    return text


def windows_on(
    vehicles: tuple[str, ...], days: range, station: str = "Alpha"
) -> dict[tuple[str, str], dict[int, Opportunity]]:
    """Hand-made launch opportunities for a manifest problem: each of ``vehicles`` may launch
    from Pad North at 12:00 UTC on each of ``days`` (whole days from ``OPS_START``), docking
    3 h later (a 2-orbit rendezvous, on the day of launch)."""
    out: dict[tuple[str, str], dict[int, Opportunity]] = {}
    for name in vehicles:
        table = {}
        for d in days:
            launch = OPS_START + timedelta(days=d, hours=12)
            table[d] = Opportunity("Pad North", launch, launch + timedelta(hours=3))
        out[(name, station)] = table
    return out
