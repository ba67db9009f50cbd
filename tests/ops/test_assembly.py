"""Assembly build-up: the station's totals summed module by module in launch order.

Figures come from the module table of :mod:`tests.ops.scenarios` (MINI); each running total
is written out as its sum.
"""

from __future__ import annotations

import pytest

from stationplan.errors import ScenarioError
from stationplan.ops.assembly import build_all, build_station, configuration_at
from stationplan.scenario.models import Station
from tests.conftest import mutate
from tests.ops.scenarios import MINI, parse, two_station_text, utc


def test_steps_follow_launch_dates_with_running_totals() -> None:
    build = build_station(parse(MINI).scenario.stations[0])
    # listed Array, Node, Lab; launched Node 01-05, Lab 02-01, Array 02-15
    assert [s.module for s in build.steps] == ["Node", "Lab", "Array"]
    assert [s.owner for s in build.steps] == ["AAA", "BBB", "AAA"]
    assert [s.launch_utc for s in build.steps] == [
        utc(2025, 1, 5),
        utc(2025, 2, 1),
        utc(2025, 2, 15),
    ]
    assert [s.mass_kg for s in build.steps] == [20000, 10000, 5000]  # each module's own mass
    # station mass_kg 0, then 0 + 20000; + 10000; + 5000
    assert [s.station_mass_kg for s in build.steps] == [20000, 30000, 35000]
    # 100; 100 + 60; 160 + 0
    assert [s.pressurized_volume_m3 for s in build.steps] == [100, 160, 160]
    # station drag_area_m2 0, then 100; 100 + 50; 150 + 150
    assert [s.drag_area_m2 for s in build.steps] == [100, 150, 300]
    # generation 10; 10 + 0; 10 + 30 -- load 4; 4 + 5; 9 + 0
    assert [s.power_generation_kw for s in build.steps] == [10, 10, 40]
    assert [s.power_load_kw for s in build.steps] == [4, 9, 9]
    # only the Node houses crew (3)
    assert [s.crew_capacity for s in build.steps] == [3, 3, 3]
    # the Node brings one IDSS and one SSVP port; the others none
    assert [s.ports_by_type for s in build.steps] == [{"IDSS": 1, "SSVP": 1}] * 3


def test_final_configuration_and_span() -> None:
    build = build_station(parse(MINI).scenario.stations[0])
    assert build.station == "Alpha"
    assert build.start_mass_kg == 0  # Alpha's mass_kg
    assert build.first_module_utc == utc(2025, 1, 5)  # the Node
    assert build.complete_utc == utc(2025, 2, 15)  # the Array
    # totals of the module table: 35000 kg, 160 m^3, 300 m^2, 40 kW, 9 kW, 3 crew
    assert build.final_mass_kg == 35000
    assert build.final_pressurized_volume_m3 == 160
    assert build.final_drag_area_m2 == 300
    assert build.final_power_generation_kw == 40
    assert build.final_power_load_kw == 9
    assert build.final_crew_capacity == 3
    assert build.final_ports_by_type == {"IDSS": 1, "SSVP": 1}


def test_station_mass_and_area_outside_modules_start_the_sums() -> None:
    """Beta has 50000 kg and 200 m^2 not counted in modules; its Port adds 3000 kg, 10 m^2."""
    builds = build_all(parse(two_station_text()).scenario)
    assert [b.station for b in builds] == ["Alpha", "Beta"]  # scenario order
    beta = builds[1]
    assert beta.start_mass_kg == 50000
    assert beta.steps[0].station_mass_kg == 53000  # 50000 + 3000
    assert beta.steps[0].drag_area_m2 == 210  # 200 + 10
    assert beta.final_ports_by_type == {"APAS": 1}


def test_ports_of_one_type_add_up() -> None:
    """A second IDSS port on the Lab: 1 + 1 = 2 IDSS from the Lab's step on."""
    text, _ = mutate(
        MINI,
        "        power_load_kw: 5\n",
        "        power_load_kw: 5\n"
        "        docking_ports:\n"
        "          - {name: Lab zenith, port_type: IDSS}\n",
    )
    build = build_station(parse(text).scenario.stations[0])
    assert [s.ports_by_type for s in build.steps] == [
        {"IDSS": 1, "SSVP": 1},  # Node
        {"IDSS": 2, "SSVP": 1},  # + Lab zenith
        {"IDSS": 2, "SSVP": 1},  # Array: no ports
    ]


def test_module_without_launch_date_is_in_orbit_first() -> None:
    """An element without launch_utc is in orbit at programme start: it comes first, counts
    from any date, and is not the 'first module launch'."""
    text, _ = mutate(MINI, "        launch_utc: 2025-02-15\n", "")
    build = build_station(parse(text).scenario.stations[0])
    assert [s.module for s in build.steps] == ["Array", "Node", "Lab"]
    assert build.steps[0].launch_utc is None
    # 5000 (Array); + 20000 (Node); + 10000 (Lab)
    assert [s.station_mass_kg for s in build.steps] == [5000, 25000, 35000]
    assert build.first_module_utc == utc(2025, 1, 5)  # the Node: the first dated launch
    assert build.complete_utc == utc(2025, 2, 1)  # the Lab: the last dated launch
    before_any = configuration_at(build, utc(2024, 1, 1))
    assert before_any is not None and before_any.module == "Array"


def test_configuration_at_a_date() -> None:
    build = build_station(parse(MINI).scenario.stations[0])
    assert configuration_at(build, utc(2025, 1, 4)) is None  # nothing launched before 01-05
    node = configuration_at(build, utc(2025, 1, 5))  # a launch counts from its own instant
    assert node is not None and node.module == "Node"
    lab = configuration_at(build, utc(2025, 2, 14, 23))  # Lab is in, Array (02-15) not yet
    assert lab is not None and (lab.module, lab.station_mass_kg) == ("Lab", 30000)
    last = configuration_at(build, utc(2030, 1, 1))
    assert last is not None and last.station_mass_kg == build.final_mass_kg


def test_module_launched_before_the_programme() -> None:
    """The loader refuses a module launched before the programme (a scenario check); a
    Station built directly still orders it by date and counts it from its launch."""
    text, _ = mutate(MINI, "launch_utc: 2025-02-15", "launch_utc: 2024-12-01")
    with pytest.raises(ScenarioError, match="launch of module 'Array' 2024-12-01 is outside"):
        parse(text)
    station = Station.model_validate(
        {
            "name": "Direct",
            "orbit": {
                "altitude_km": 415,
                "inclination_deg": 51.64,
                "raan_deg": 0,
                "arg_latitude_deg": 0,
                "epoch_utc": "2025-01-01",
            },
            "mass_kg": 0,
            "drag_area_m2": 0,
            "min_altitude_km": 400,
            "max_altitude_km": 420,
            "modules": [
                {"name": "Late", "owner": "AAA", "launch_utc": "2025-03-01", "mass_kg": 2},
                {"name": "Early", "owner": "AAA", "launch_utc": "2024-12-01", "mass_kg": 1},
            ],
        }
    )
    build = build_station(station)
    assert [s.module for s in build.steps] == ["Early", "Late"]
    assert [s.station_mass_kg for s in build.steps] == [1, 3]  # 1; 1 + 2
    assert build.first_module_utc == utc(2024, 12, 1)


def test_station_without_modules() -> None:
    """ISS-like: no modules, the station's own mass and area are the final figures."""
    sc = parse(MINI).scenario
    bare = sc.stations[0].model_copy(update={"modules": [], "mass_kg": 420000.0})
    build = build_station(bare)
    assert build.steps == []
    assert build.first_module_utc is None and build.complete_utc is None
    assert build.final_mass_kg == 420000
    assert build.final_ports_by_type == {}
    assert configuration_at(build, utc(2025, 1, 1)) is None
