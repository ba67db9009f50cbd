"""API behaviour on both databases: uploads with positioned problems, the error shape, the body
limit, optimistic concurrency, pagination, browser sessions with CSRF, the audit log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stationplan.service.deps import CurrentUser
from stationplan.service.settings import Settings
from tests.ops.scenarios import MINI
from tests.service.conftest import TestClient, make_settings
from tests.service.world import PASSWORD, World, build


@pytest.fixture
def world(client: TestClient) -> Iterator[World]:
    yield build(client)


def error_of(r: object) -> dict[str, object]:
    body = r.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert {"code", "message", "field"} <= set(body["error"])
    err: dict[str, object] = body["error"]
    return err


def test_upload_error_names_file_line_and_field(world: World) -> None:
    bad = MINI.replace("mass_kg: 5000", "mass_kg: -5").replace("crew_seats: 3", "crew_seats: 99")
    r = world.client.post(
        f"/api/v1/programmes/{world.p1}/versions",
        json={"text": bad, "filename": "concord.yaml"},
        headers=world.auth("member"),
    )
    assert r.status_code == 422
    err = error_of(r)
    assert err["code"] == "invalid_scenario"
    problems = err["problems"]
    assert isinstance(problems, list)
    got = {(p["field"], p["line"]) for p in problems}
    assert ("stations[0].modules[0].mass_kg", 24) in got
    assert any(p["field"] == "vehicles[0].crew_seats" for p in problems)
    assert err["field"] == problems[0]["field"]
    assert any(
        p["text"].startswith("concord.yaml:24 stations[0].modules[0].mass_kg: must be > 0")
        for p in problems
    )
    assert {p["source"] for p in problems} == {"concord.yaml"}


def test_upload_of_yaml_syntax_error_has_a_line(world: World) -> None:
    r = world.client.post(
        f"/api/v1/programmes/{world.p1}/versions",
        json={"text": "programme: [unclosed\n"},
        headers=world.auth("admin"),
    )
    assert r.status_code == 422
    assert error_of(r)["problems"][0]["line"] is not None  # type: ignore[index]


def test_versions_are_immutable_with_sha_and_diff(world: World) -> None:
    h = world.auth("admin")
    new = MINI.replace("crew_per_partner: {AAA: 2, BBB: 1}", "crew_per_partner: {AAA: 2, BBB: 2}")
    r = world.client.post(
        f"/api/v1/programmes/{world.p1}/versions",
        json={"text": new, "message": "BBB crew", "parent_id": world.versions["base1"]},
        headers=h,
    )
    assert r.status_code == 201, r.text
    v = r.json()
    assert len(v["sha256"]) == 64 and v["parent_id"] == world.versions["base1"]
    d = world.client.get(
        f"/api/v1/versions/{v['id']}/diff?against={world.versions['base1']}", headers=h
    ).json()
    assert [(c["field"], c["before"], c["after"]) for c in d["changes"]] == [
        ("crew.crew_per_partner.BBB", 1, 2)
    ]
    methods = world.client.app.openapi()["paths"]["/api/v1/versions/{version_id}"]  # type: ignore[attr-defined]
    assert set(methods) == {"get"}


def test_pagination(world: World) -> None:
    h = world.auth("admin")
    for i in range(5):
        r = world.client.post(
            f"/api/v1/programmes/{world.p1}/notes",
            json={"text": f"n{i}", "partner_code": "AAA"},
            headers=h,
        )
        assert r.status_code == 201
    page = world.client.get(
        f"/api/v1/programmes/{world.p1}/notes?limit=2&offset=1", headers=h
    ).json()
    assert page["total"] == 5 and page["limit"] == 2 and page["offset"] == 1
    assert [n["text"] for n in page["items"]] == ["n3", "n2"]
    bad = world.client.get(f"/api/v1/programmes/{world.p1}/notes?limit=0", headers=h)
    assert bad.status_code == 422 and error_of(bad)["field"] == "limit"


def test_error_shape_on_404_403_409_422(world: World) -> None:
    c = world.client
    r404 = c.get("/api/v1/proposals/999", headers=world.auth("member"))
    assert r404.status_code == 404 and error_of(r404)["code"] == "not_found"
    r404b = c.get("/api/v1/no/such/route", headers=world.auth("member"))
    assert r404b.status_code == 404 and error_of(r404b)["code"] == "not_found"
    r403 = c.put(
        f"/api/v1/programmes/{world.p1}/baseline",
        json={"version_id": world.versions["base1"], "revision": 1},
        headers=world.auth("observer"),
    )
    assert r403.status_code == 403 and error_of(r403)["code"] == "forbidden"
    r409 = c.post(
        f"/api/v1/programmes/{world.p1}/partners",
        json={"code": "AAA", "name": "again"},
        headers=world.auth("admin"),
    )
    assert r409.status_code == 409 and error_of(r409)["code"] == "conflict"
    r422 = c.post(
        f"/api/v1/programmes/{world.p1}/users",
        json={"name": "x", "role": "pilot"},
        headers=world.auth("admin"),
    )
    assert r422.status_code == 422 and error_of(r422)["field"] == "role"
    r405 = c.put("/api/v1/me", headers=world.auth("admin"))
    assert r405.status_code == 405 and error_of(r405)["code"] == "method_not_allowed"


def test_body_over_the_limit_is_413(database_url: str, tmp_path: object) -> None:
    from pathlib import Path

    from stationplan.service import create_app

    settings: Settings = make_settings(database_url, Path(str(tmp_path)) / "d", max_body_bytes=4096)
    with TestClient(create_app(settings)) as c:
        w = build(c)
        r = c.post(
            f"/api/v1/programmes/{w.p1}/versions",
            json={"text": "#" * 5000},
            headers=w.auth("admin"),
        )
        assert r.status_code == 413
        assert error_of(r)["code"] == "payload_too_large"

        def chunks() -> Iterator[bytes]:
            yield b'{"text": "'
            for _ in range(10):
                yield b"#" * 1000
            yield b'"}'

        streamed = c.post(
            f"/api/v1/programmes/{w.p1}/versions",
            content=chunks(),
            headers={**w.auth("admin"), "content-type": "application/json"},
        )
        assert streamed.status_code == 413
        assert error_of(streamed)["code"] == "payload_too_large"


def test_baseline_second_writer_gets_409_and_first_write_stays(world: World) -> None:
    c, h = world.client, world.auth("admin")
    v2 = c.post(
        f"/api/v1/programmes/{world.p1}/versions", json={"text": MINI + "\n# v2\n"}, headers=h
    ).json()["id"]
    v3 = c.post(
        f"/api/v1/programmes/{world.p1}/versions", json={"text": MINI + "\n# v3\n"}, headers=h
    ).json()["id"]
    read = c.get(f"/api/v1/programmes/{world.p1}/baseline", headers=h)
    tag = read.headers["etag"]
    assert tag == read.json()["etag"]
    first = c.put(
        f"/api/v1/programmes/{world.p1}/baseline",
        json={"version_id": v2},
        headers={**h, "If-Match": tag},
    )
    assert first.status_code == 200 and first.json()["version_id"] == v2
    second = c.put(
        f"/api/v1/programmes/{world.p1}/baseline",
        json={"version_id": v3},
        headers={**h, "If-Match": tag},
    )
    assert second.status_code == 409
    assert error_of(second)["current_revision"] == first.json()["revision"]
    now = c.get(f"/api/v1/programmes/{world.p1}/baseline", headers=h).json()
    assert now["version_id"] == v2 and now["etag"] == first.headers["etag"]
    missing = c.put(f"/api/v1/programmes/{world.p1}/baseline", json={"version_id": v3}, headers=h)
    assert missing.status_code == 428 and error_of(missing)["code"] == "precondition_required"


def test_draft_second_editor_gets_409(world: World) -> None:
    c = world.client
    pid = c.post(
        f"/api/v1/programmes/{world.p1}/proposals",
        json={"kind": "crew", "payload": {"crew": 3}, "title": "three"},
        headers=world.auth("member"),
    ).json()["id"]
    first = c.patch(
        f"/api/v1/proposals/{pid}",
        json={"revision": 1, "payload": {"crew": 1}},
        headers=world.auth("member"),
    )
    assert first.status_code == 200 and first.json()["revision"] == 2
    second = c.patch(
        f"/api/v1/proposals/{pid}",
        json={"revision": 1, "title": "lost?"},
        headers=world.auth("admin"),
    )
    assert second.status_code == 409
    kept = c.get(f"/api/v1/proposals/{pid}", headers=world.auth("member")).json()
    assert kept["payload"] == {"crew": 1} and kept["title"] == "three" and kept["revision"] == 2


def test_bad_change_set_is_422_naming_the_field(world: World) -> None:
    r = world.client.post(
        f"/api/v1/programmes/{world.p1}/proposals",
        json={"kind": "crew", "payload": {"crew": "many"}},
        headers=world.auth("member"),
    )
    assert r.status_code == 422
    assert error_of(r)["field"] == "crew"


def test_browser_session_needs_csrf_for_changes(world: World) -> None:
    c = world.client
    bad = c.post("/login", data={"name": "member", "password": "wrong password"})
    assert bad.status_code == 401 and error_of(bad)["code"] == "unauthorized"
    r = c.post("/login", data={"name": "member", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303
    assert c.get("/api/v1/me").json()["user"]["name"] == "member"
    url = f"/api/v1/programmes/{world.p1}/notes"
    refused = c.post(url, json={"text": "from the browser"})
    assert refused.status_code == 403 and error_of(refused)["code"] == "csrf_failed"
    token = c.get("/api/v1/session/csrf").json()["csrf_token"]
    wrong = c.post(url, json={"text": "x"}, headers={"X-CSRF-Token": token + "x"})
    assert wrong.status_code == 403
    ok = c.post(url, json={"text": "from the browser"}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 201
    bearer = c.post(url, json={"text": "api"}, headers=world.auth("member"))
    assert bearer.status_code == 201  # tokens need no CSRF token
    assert c.post("/logout").status_code == 403
    assert c.post("/logout", headers={"X-CSRF-Token": token}).status_code == 204
    assert c.get("/api/v1/me").status_code == 401


def test_tokens_are_shown_once_and_revocable(world: World) -> None:
    c = world.client
    issued = c.post("/api/v1/tokens", json={"label": "ci"}, headers=world.auth("member")).json()
    assert issued["token"].startswith("spt_" + issued["token_id"] + "_")
    h = {"Authorization": f"Bearer {issued['token']}"}
    listed = c.get("/api/v1/tokens", headers=h).json()["items"]
    assert all("token" not in t for t in listed)
    assert issued["token"] not in c.get("/api/v1/tokens", headers=h).text
    assert c.delete(f"/api/v1/tokens/{issued['token_id']}", headers=h).status_code == 204
    assert c.get("/api/v1/me", headers=h).status_code == 401
    with world.session() as s:
        from stationplan.service.models import ApiToken

        row = s.query(ApiToken).filter(ApiToken.token_id == issued["token_id"]).one()
        assert row.secret_hash.startswith("$argon2id$")
        assert issued["token"].split("_", 2)[2] not in row.secret_hash


def test_audit_log_records_before_and_after(world: World) -> None:
    c = world.client
    c.post(
        f"/api/v1/programmes/{world.p1}/notes", json={"text": "private"}, headers=world.auth("bbb")
    )
    c.post(
        f"/api/v1/programmes/{world.p1}/snapshots",
        json={"name": "start"},
        headers=world.auth("admin"),
    )
    admin = c.get(f"/api/v1/programmes/{world.p1}/audit", headers=world.auth("admin")).json()
    actions = [e["action"] for e in admin["items"]]
    assert actions == ["snapshot.create", "note.create"]
    assert admin["items"][0]["after"]["name"] == "start"
    assert admin["items"][0]["user_id"] == world.users["admin"]
    member = c.get(f"/api/v1/programmes/{world.p1}/audit", headers=world.auth("member")).json()
    assert [e["action"] for e in member["items"]] == ["snapshot.create"]


def test_snapshot_save_and_restore(world: World) -> None:
    c, h = world.client, world.auth("admin")
    base = world.versions["base1"]
    snap = c.post(f"/api/v1/programmes/{world.p1}/snapshots", json={"name": "v1"}, headers=h).json()
    v2 = c.post(
        f"/api/v1/programmes/{world.p1}/versions", json={"text": MINI + "# 2\n"}, headers=h
    ).json()["id"]
    tag = c.get(f"/api/v1/programmes/{world.p1}/baseline", headers=h).headers["etag"]
    c.put(
        f"/api/v1/programmes/{world.p1}/baseline",
        json={"version_id": v2},
        headers={**h, "If-Match": tag},
    )
    tag = c.get(f"/api/v1/programmes/{world.p1}/baseline", headers=h).headers["etag"]
    r = c.post(f"/api/v1/snapshots/{snap['id']}/restore", headers={**h, "If-Match": tag})
    assert r.status_code == 200 and r.json()["version_id"] == base
    again = c.post(f"/api/v1/snapshots/{snap['id']}/restore", headers={**h, "If-Match": tag})
    assert again.status_code == 409


def test_app_is_extended_by_routers_and_internal_errors_keep_the_shape(settings: Settings) -> None:
    from fastapi import APIRouter

    from stationplan.service import create_app

    app = create_app(settings)
    pages = APIRouter()

    @pages.get("/pages/hello")
    def hello(p: CurrentUser) -> dict[str, str]:
        return {"hello": p.name}

    @pages.get("/pages/broken")
    def broken() -> None:
        raise RuntimeError("boom")

    app.include_router(pages)
    with TestClient(app, raise_server_exceptions=False) as c:
        w = build(c)
        assert c.get("/pages/hello", headers=w.auth("observer")).json() == {"hello": "observer"}
        r = c.get("/pages/broken")
        assert r.status_code == 500 and error_of(r)["code"] == "internal"


def test_concurrent_baseline_writers_one_wins(world: World) -> None:
    """Writers racing with the same ETag: the conditional UPDATE lets exactly one through."""
    from concurrent.futures import ThreadPoolExecutor

    c, h = world.client, world.auth("admin")
    versions = [
        c.post(
            f"/api/v1/programmes/{world.p1}/versions", json={"text": MINI + f"# {i}\n"}, headers=h
        ).json()["id"]
        for i in range(4)
    ]
    tag = c.get(f"/api/v1/programmes/{world.p1}/baseline", headers=h).headers["etag"]

    def write(version_id: int) -> int:
        r = c.put(
            f"/api/v1/programmes/{world.p1}/baseline",
            json={"version_id": version_id},
            headers={**h, "If-Match": tag},
        )
        return r.status_code

    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(write, versions))
    assert sorted(codes) == [200, 409, 409, 409]
    now = c.get(f"/api/v1/programmes/{world.p1}/baseline", headers=h).json()
    assert now["version_id"] == versions[codes.index(200)] and now["revision"] == 2
