"""The crew plan: rotation groups, staggered increments, partners joining, one-year missions.

Hand check of the scenario used below (``seven``): station Alpha, programme 2025-01-01 (day 0)
to 2027-01-01 (day 730), first crew 2025-01-11 (day 10), increments of 180 days with a 5-day
handover; positions AAA 4, BBB 2, CCC 1 (7 in all); a 4-seat and a 3-seat crew vehicle.

* groups: the largest vehicle has 4 seats, so ceil(7 / 4) = 2 groups of at most
  ceil(7 / 2) = 4; largest partner first, each into the group with the most room: AAA (4) to
  A, BBB (2) to B, CCC (1) to B: A = AAA-1..4 (4), B = BBB-1, BBB-2, CCC-1 (3);
* stagger: group g docks first on day 10 + g * 180 / 2: A on day 10, B on day 100;
* rotations: A docks on days 10, 190, 370, 550 (550 + 180 = 730 is still within the
  programme), B on days 100, 280, 460 (640 + 180 = 820 > 730: not flown); each undocks at
  the next docking of its group plus the 5-day handover, the last of A at the programme end.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

import pytest

from stationplan.ops.assembly import build_all
from stationplan.ops.crew import CrewSkeleton, Rotation, group_letter, plan_crew
from stationplan.scenario.models import Scenario
from tests.ops.scenarios import OPS_START, ops_text, parse, vehicle_yaml

FLEET = vehicle_yaml("Four", seats=4) + vehicle_yaml("Three", seats=3)
SEVEN = {"AAA": 4, "BBB": 2, "CCC": 1}
PARTNERS = (("AAA", "2024-01-01"), ("BBB", "2024-01-01"), ("CCC", "2024-01-01"))


def scenario(**kwargs: object) -> Scenario:
    """``ops_text`` with the 7-crew defaults above (any argument overrides them)."""
    args: dict[str, object] = {
        "crew": SEVEN,
        "increment_days": 180,
        "partners": PARTNERS,
        "end": "2027-01-01",
    }
    args.update(kwargs)
    vehicles = str(args.pop("vehicles", FLEET))
    return parse(ops_text(vehicles, **args)).scenario  # type: ignore[arg-type]


def crew_plan(sc: Scenario) -> CrewSkeleton:
    return plan_crew(sc, build_all(sc))


def day(n: float) -> datetime:
    return OPS_START + timedelta(days=n)


def by_label(skeleton: CrewSkeleton) -> dict[str, Rotation]:
    return {r.label: r for r in skeleton.rotations}


@pytest.fixture(scope="module")
def seven() -> CrewSkeleton:
    return crew_plan(scenario())


# --------------------------------------------------------------------------- groups


def test_seven_crew_pack_into_a_four_and_a_three(seven: CrewSkeleton) -> None:
    assert seven.groups == [["AAA-1", "AAA-2", "AAA-3", "AAA-4"], ["BBB-1", "BBB-2", "CCC-1"]]
    assert [len(g) for g in seven.groups] == [4, 3]
    assert seven.notes == []


def test_partners_stay_together_when_they_fit() -> None:
    """AAA 2, BBB 2, CCC 2 in 3-seat vehicles: ceil(6 / 3) = 2 groups of 3. AAA to A, BBB to
    B (more room), CCC (2) fits in neither (1 seat left each) and is split: CCC-1 to A (tie,
    first group), CCC-2 to B."""
    sc = scenario(crew={"AAA": 2, "BBB": 2, "CCC": 2}, vehicles=vehicle_yaml("Three", seats=3))
    assert crew_plan(sc).groups == [["AAA-1", "AAA-2", "CCC-1"], ["BBB-1", "BBB-2", "CCC-2"]]


def test_a_partner_larger_than_a_group_is_split_evenly() -> None:
    """AAA 5 in 4-seat vehicles: 2 groups of ceil(5 / 2) = 3 and 2."""
    sc = scenario(crew={"AAA": 5}, vehicles=vehicle_yaml("Four", seats=4))
    groups = crew_plan(sc).groups
    assert [len(g) for g in groups] == [3, 2]
    assert sorted(groups[0] + groups[1]) == [f"AAA-{i}" for i in range(1, 6)]


def test_groups_are_sized_by_the_largest_crew_vehicle_only() -> None:
    """Cargo vehicles' seats do not count: with only a 2-seat crew vehicle, 7 crew need
    ceil(7 / 2) = 4 groups of 2 (the last of 1)."""
    fleet = vehicle_yaml("Two", seats=2) + vehicle_yaml("Truck", role="cargo", pressurized_kg=1000)
    groups = crew_plan(scenario(vehicles=fleet)).groups
    assert [len(g) for g in groups] == [2, 2, 2, 1]
    assert sorted(p for g in groups for p in g) == [
        "AAA-1",
        "AAA-2",
        "AAA-3",
        "AAA-4",
        "BBB-1",
        "BBB-2",
        "CCC-1",
    ]


def test_a_partner_that_fits_a_group_is_not_split_by_a_larger_one() -> None:
    """7 crew in 2-seat vehicles: 4 groups of 2. AAA (4) cannot fit one group, but BBB (2)
    can, and should fly together."""
    fleet = vehicle_yaml("Two", seats=2)
    groups = crew_plan(scenario(vehicles=fleet)).groups
    assert ["BBB-1", "BBB-2"] in groups


def test_no_crew_vehicle_means_no_crew_plan() -> None:
    fleet = vehicle_yaml("Truck", role="cargo", pressurized_kg=1000)
    skeleton = crew_plan(scenario(vehicles=fleet))
    assert skeleton.groups == [] and skeleton.rotations == []
    assert skeleton.notes == ["no crew vehicle in the fleet: the crew plan cannot be flown"]


def test_group_letters() -> None:
    assert [group_letter(g) for g in (0, 1, 25, 26)] == ["A", "B", "Z", "G26"]


# --------------------------------------------------------------------------- rotations


def test_rotations_in_docking_order(seven: CrewSkeleton) -> None:
    labels = [r.label for r in seven.rotations]
    assert labels == ["A1", "B1", "A2", "B2", "A3", "B3", "A4"]
    docks = [r.nominal_dock_utc for r in seven.rotations]
    assert docks == [day(d) for d in (10, 100, 190, 280, 370, 460, 550)]
    assert all(r.station == "Alpha" for r in seven.rotations)


def test_groups_are_staggered_by_a_share_of_the_increment(seven: CrewSkeleton) -> None:
    """Group g's first docking: day 10 + g * 180 / 2."""
    rot = by_label(seven)
    assert rot["A1"].nominal_dock_utc == day(10)
    assert rot["B1"].nominal_dock_utc == day(10 + 180 / 2)


def test_three_groups_stagger_by_thirds() -> None:
    """9 crew, 3 seats: 3 groups, first dockings on days 10, 10 + 60, 10 + 120."""
    sc = scenario(crew={"AAA": 3, "BBB": 3, "CCC": 3}, vehicles=vehicle_yaml("Three", seats=3))
    first = {r.group: r.nominal_dock_utc for r in reversed(crew_plan(sc).rotations)}
    assert first == {0: day(10), 1: day(70), 2: day(130)}


def test_each_rotation_hands_over_to_the_next(seven: CrewSkeleton) -> None:
    """Within a group the next crew docks one increment later, and the crew it relieves
    leaves 5 days after (the handover); the last of group A leaves at the programme end."""
    for g in (0, 1):
        group = [r for r in seven.rotations if r.group == g]
        assert [r.index for r in group] == list(range(len(group)))
        for r, nxt in pairwise(group):
            assert nxt.nominal_dock_utc - r.nominal_dock_utc == timedelta(days=180)
            assert r.nominal_undock_utc == nxt.nominal_dock_utc + timedelta(days=5)
    rot = by_label(seven)
    assert rot["A4"].nominal_undock_utc == day(730)  # 550 + 185 = 735, cut at the end
    assert rot["B3"].nominal_undock_utc == day(645)


def test_rotations_cover_the_span(seven: CrewSkeleton) -> None:
    """Group A is aboard without a break from the first crew (day 10) to the end (day 730);
    group B from day 100 until less than one increment before the end (its fourth rotation,
    days 640-820, would overrun the programme)."""
    for g, first, last in ((0, 10, 730), (1, 100, 645)):
        group = [r for r in seven.rotations if r.group == g]
        assert group[0].nominal_dock_utc == day(first)
        assert group[-1].nominal_undock_utc == day(last)
        for r, nxt in pairwise(group):  # no day without the group aboard
            assert nxt.nominal_dock_utc < r.nominal_undock_utc
        assert day(730) - group[-1].nominal_undock_utc < timedelta(days=180)


def test_a_final_increment_shortened_within_tolerance_is_flown() -> None:
    """End on day 724 (2026-12-26): A4 would dock on day 550 and stay to day 730, 6 days past
    the end; shortened by 6 days (tolerance 10) it fits, and should be flown to the end."""
    rot = by_label(crew_plan(scenario(end="2026-12-26")))
    assert "A4" in rot
    assert rot["A4"].nominal_undock_utc == day(724)


def test_up_and_down_counts_of_plain_rotations(seven: CrewSkeleton) -> None:
    for r in seven.rotations:
        size = 4 if r.group == 0 else 3
        assert len(r.up) == r.down == r.seats_needed == size
        assert r.one_year_up == r.continuing == []
        assert r.return_target_days is None


# --------------------------------------------------------------------------- membership


def test_a_partner_joining_mid_programme_flies_from_the_next_rotation() -> None:
    """CCC joins on 2025-06-01 (day 151): B1 (day 100) flies without it, B2 (day 280) is the
    first rotation of its group after the join and takes CCC-1 up. Groups keep its seat."""
    partners = (("AAA", "2024-01-01"), ("BBB", "2024-01-01"), ("CCC", "2025-06-01"))
    skeleton = crew_plan(scenario(partners=partners))
    assert skeleton.groups[1] == ["BBB-1", "BBB-2", "CCC-1"]
    rot = by_label(skeleton)
    assert rot["B1"].up == ["BBB-1", "BBB-2"]
    assert rot["B1"].seats_needed == rot["B1"].down == 2
    assert rot["B2"].up == rot["B3"].up == ["BBB-1", "BBB-2", "CCC-1"]
    assert rot["B2"].seats_needed == 3
    flown = [r.label for r in skeleton.rotations if any(p.startswith("CCC") for p in r.up)]
    assert flown == ["B2", "B3"]


def test_a_group_with_no_member_yet_is_not_flown() -> None:
    """BBB and CCC (group B) join on 2025-06-01: B1 (day 100) has nobody to fly; B2 and B3 keep
    their labels (rotation numbers count increments, flown or not)."""
    partners = (("AAA", "2024-01-01"), ("BBB", "2025-06-01"), ("CCC", "2025-06-01"))
    labels = [r.label for r in crew_plan(scenario(partners=partners)).rotations]
    assert labels == ["A1", "A2", "B2", "A3", "B3", "A4"]


# --------------------------------------------------------------------------- one-year missions

ONE_YEAR_BBB = "    - {partner: BBB, start_utc: 2025-09-01, duration_days: 340}\n"


def test_one_year_mission_rides_the_nearest_rotation() -> None:
    """BBB's mission starts 2025-09-01 (day 243): the nearest rotation of BBB's group is B2
    (day 280, 37 days off; B1 is 143 off). B2 takes BBB-1 up for two increments: 3 up,
    2 home (seats 3). B3 flies 2 up (BBB-2, CCC-1; BBB-1's seat is still taken) and 3 home
    (its two and BBB-1): seats 3, return target 340 days. B1 is unchanged."""
    skeleton = crew_plan(scenario(one_year=ONE_YEAR_BBB))
    assert skeleton.notes == []
    rot = by_label(skeleton)
    b1, b2, b3 = rot["B1"], rot["B2"], rot["B3"]
    assert (b1.one_year_up, b1.continuing, b1.down, b1.seats_needed) == ([], [], 3, 3)
    assert b2.up == ["BBB-1", "BBB-2", "CCC-1"]
    assert b2.one_year_up == ["BBB-1"] and b2.continuing == []
    assert (len(b2.up), b2.down, b2.seats_needed) == (3, 2, 3)
    assert b3.up == ["BBB-2", "CCC-1"]
    assert b3.one_year_up == [] and b3.continuing == ["BBB-1"]
    assert (len(b3.up), b3.down, b3.seats_needed) == (2, 3, 3)
    assert b3.return_target_days == 340
    assert b2.return_target_days is None
    others = [r for r in skeleton.rotations if r.label not in ("B2", "B3")]
    assert all(not r.one_year_up and not r.continuing for r in others)


def test_one_year_mission_aboard_counts_stay_constant() -> None:
    """Positions aboard per group stay at the group's size: B2's vehicle brings home 2 of its
    3 while BBB-1 stays; B3 brings up 2 and home 3, BBB-1 included."""
    rot = by_label(crew_plan(scenario(one_year=ONE_YEAR_BBB)))
    b2, b3 = rot["B2"], rot["B3"]
    aboard_during_b3 = len(b3.up) + len(b2.one_year_up)
    assert aboard_during_b3 == 3
    assert b2.down + b3.down == len(b2.up) + len(b3.up)  # everyone flown up comes home


def test_one_year_mission_without_a_next_rotation_is_not_flown() -> None:
    """AAA's mission from 2026-07-01 (day 546): the nearest AAA rotation is A4 (day 550,
    2026-07-05), the last of its group, so nobody can bring the member home: a note, no marking."""
    mission = "    - {partner: AAA, start_utc: 2026-07-01, duration_days: 340}\n"
    skeleton = crew_plan(scenario(one_year=mission))
    assert all(not r.one_year_up and not r.continuing for r in skeleton.rotations)
    assert len(skeleton.notes) == 1
    assert "one-year mission of AAA from 2026-07-05" in skeleton.notes[0]
    assert "no next rotation" in skeleton.notes[0]


def test_one_year_mission_of_a_partner_without_positions() -> None:
    mission = "    - {partner: DDD, start_utc: 2025-09-01, duration_days: 340}\n"
    partners = (*PARTNERS, ("DDD", "2024-01-01"))
    skeleton = crew_plan(scenario(one_year=mission, partners=partners))
    assert skeleton.notes == [
        "one-year mission of DDD from 2025-09-01: DDD has no crew position then; not flown"
    ]
