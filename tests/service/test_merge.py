"""Accepting proposals: a merge at once when the baseline has not moved; with conflicts the
field paths side by side, resolved one by one, the baseline locked meanwhile (a second merge
and a baseline edit get 409)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import ruamel.yaml

from tests.ops.scenarios import MINI
from tests.service.conftest import TestClient
from tests.service.world import World, build


@pytest.fixture
def world(client: TestClient) -> Iterator[World]:
    yield build(client)


FERRY: dict[str, Any] = next(
    v
    for v in ruamel.yaml.YAML(typ="safe", pure=True).load(MINI)["vehicles"]
    if v["name"] == "Ferry"
)


def submitted(w: World, user: str, kind: str, payload: dict[str, Any], **kw: Any) -> int:
    c = w.client
    r = c.post(
        f"/api/v1/programmes/{w.p1}/proposals",
        json={"kind": kind, "payload": payload, **kw},
        headers=w.auth(user),
    )
    assert r.status_code == 201, r.text
    pid = int(r.json()["id"])
    assert c.post(f"/api/v1/proposals/{pid}/submit", headers=w.auth(user)).status_code == 200
    return pid


def baseline_text(w: World) -> str:
    c, h = w.client, w.auth("admin")
    vid = c.get(f"/api/v1/programmes/{w.p1}/baseline", headers=h).json()["version_id"]
    text: str = c.get(f"/api/v1/versions/{vid}", headers=h).json()["text"]
    return text


def test_accept_on_an_unmoved_baseline(world: World) -> None:
    c = world.client
    pid = submitted(world, "bbb", "crew", {"crew": 2})
    r = c.post(f"/api/v1/proposals/{pid}/accept", headers=world.auth("admin"))
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    assert "BBB: 2" in baseline_text(world)
    prop = c.get(f"/api/v1/proposals/{pid}", headers=world.auth("member")).json()
    assert (
        prop["state"] == "accepted" and prop["merged_version_id"] == r.json()["merged_version_id"]
    )
    again = c.post(f"/api/v1/proposals/{pid}/accept", headers=world.auth("admin"))
    assert again.status_code == 409


def test_non_conflicting_changes_merge_at_once(world: World) -> None:
    c, admin = world.client, world.auth("admin")
    first = submitted(world, "member", "crew", {"crew": 3})
    second = submitted(world, "bbb", "crew", {"crew": 2})
    assert c.post(f"/api/v1/proposals/{first}/accept", headers=admin).status_code == 200
    r = c.post(f"/api/v1/proposals/{second}/accept", headers=admin)
    assert r.status_code == 200, r.text
    text = baseline_text(world)
    assert "AAA: 3" in text and "BBB: 2" in text


def test_conflicts_resolved_one_by_one_under_the_lock(world: World) -> None:
    c, admin = world.client, world.auth("admin")
    moved = submitted(
        world,
        "member",
        "flight",
        {"vehicle": {**FERRY, "max_flights_per_year": 4, "cost_per_flight_musd": 130}},
    )
    mine = submitted(
        world,
        "member",
        "flight",
        {"vehicle": {**FERRY, "max_flights_per_year": 2, "cost_per_flight_musd": 110}},
    )
    other = submitted(world, "bbb", "crew", {"crew": 2})
    assert c.post(f"/api/v1/proposals/{moved}/accept", headers=admin).status_code == 200
    base_rev = c.get(f"/api/v1/programmes/{world.p1}/baseline", headers=admin).json()

    r = c.post(f"/api/v1/proposals/{mine}/accept", headers=admin)
    assert r.status_code == 409
    merge = r.json()["error"]
    assert merge["code"] == "merge_conflicts" and merge["field"] == merge["conflicts"][0]["field"]
    assert merge["state"] == "conflicts" and merge["lock_holder_id"] == world.users["admin"]
    sides = {x["field"]: (x["base"], x["baseline"], x["proposal"]) for x in merge["conflicts"]}
    assert sides == {
        "vehicles[0].max_flights_per_year": (3, 4, 2),
        "vehicles[0].cost_per_flight_musd": (120, 130, 110),
    }
    # the baseline is locked: a second merge and a baseline edit are refused, nothing moves
    second = c.post(f"/api/v1/proposals/{other}/accept", headers=admin)
    assert second.status_code == 409 and second.json()["error"]["lock_proposal_id"] == mine
    edit = c.put(
        f"/api/v1/programmes/{world.p1}/baseline",
        json={"version_id": world.versions["base1"], "revision": base_rev["revision"]},
        headers=admin,
    )
    assert edit.status_code == 409
    seen = c.get(f"/api/v1/proposals/{mine}/merge", headers=world.auth("observer")).json()
    assert len(seen["conflicts"]) == 2

    step = c.post(
        f"/api/v1/proposals/{mine}/merge/resolutions",
        json={"field": "vehicles[0].max_flights_per_year", "choice": "proposal"},
        headers=admin,
    )
    assert step.status_code == 200 and step.json()["state"] == "conflicts"
    assert [x["resolved"] for x in step.json()["conflicts"]] == [True, False]
    twice = c.post(
        f"/api/v1/proposals/{mine}/merge/resolutions",
        json={"field": "vehicles[0].max_flights_per_year", "choice": "baseline"},
        headers=admin,
    )
    assert twice.status_code == 409
    assert c.get(f"/api/v1/programmes/{world.p1}/baseline", headers=admin).json() == base_rev

    done = c.post(
        f"/api/v1/proposals/{mine}/merge/resolutions",
        json={"field": "vehicles[0].cost_per_flight_musd", "choice": "value", "value": 125},
        headers=admin,
    )
    assert done.status_code == 200 and done.json()["state"] == "accepted"
    text = baseline_text(world)
    assert "max_flights_per_year: 2" in text and "cost_per_flight_musd: 125" in text
    # lock released: the other proposal merges now
    assert c.post(f"/api/v1/proposals/{other}/accept", headers=admin).status_code == 200


def test_abandoned_merge_releases_the_lock(world: World) -> None:
    c, admin = world.client, world.auth("admin")
    a = submitted(world, "member", "crew", {"crew": 3})
    b = submitted(world, "admin", "crew", {"crew": 4}, partner_code="AAA")
    assert c.post(f"/api/v1/proposals/{a}/accept", headers=admin).status_code == 200
    assert c.post(f"/api/v1/proposals/{b}/accept", headers=admin).status_code == 409
    assert c.delete(f"/api/v1/proposals/{b}/merge", headers=admin).status_code == 204
    tag = c.get(f"/api/v1/programmes/{world.p1}/baseline", headers=admin).headers["etag"]
    ok = c.put(
        f"/api/v1/programmes/{world.p1}/baseline",
        json={"version_id": world.versions["base1"]},
        headers={**admin, "If-Match": tag},
    )
    assert ok.status_code == 200
    prop = c.get(f"/api/v1/proposals/{b}", headers=admin).json()
    assert prop["state"] == "submitted"


def test_merge_that_breaks_the_scenario_is_refused_and_unlocked(world: World) -> None:
    c, admin = world.client, world.auth("admin")
    bad = submitted(world, "bbb", "withdraw", {"date_utc": "2030-01-01T00:00:00Z"})
    r = c.post(f"/api/v1/proposals/{bad}/accept", headers=admin)
    assert r.status_code == 422
    assert r.json()["error"]["problems"][0]["field"] is not None
    fine = submitted(world, "bbb", "crew", {"crew": 2})
    assert c.post(f"/api/v1/proposals/{fine}/accept", headers=admin).status_code == 200
