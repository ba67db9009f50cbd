"""The authorisation matrix: every API endpoint x role (admin, member, observer of partner AAA
in P1) x the object's scope (own partner, other partner BBB, other programme P2), against the
exact set of allowed combinations; 403 for a visible object and a forbidden action, 404 for an
invisible one; and no answer carries another partner's private text or another programme's.

The table is checked against the app's routes: a new endpoint without an entry fails.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from stationplan.service.models import MergeLock, Programme, Run
from tests.service.conftest import TestClient
from tests.service.world import World, build

ROLES = ("admin", "member", "observer")
SCOPES = ("own", "other_partner", "other_programme")
OK = "ok"


def _rule(table: dict[str, tuple[Any, Any, Any]]) -> dict[tuple[str, str], Any]:
    return {(role, scope): table[role][i] for role in ROLES for i, scope in enumerate(SCOPES)}


RULES = {
    # everyone, about themselves
    "ANY": _rule({r: (OK, OK, OK) for r in ROLES}),
    "READ": _rule({r: (OK, OK, 404) for r in ROLES}),
    "WRITE": _rule({"admin": (OK, OK, 404), "member": (OK, OK, 404), "observer": (403, 403, 404)}),
    "ADMIN": _rule(
        {"admin": (OK, OK, 404), "member": (403, 403, 404), "observer": (403, 403, 404)}
    ),
    "PRIVATE_READ": _rule(
        {"admin": (OK, OK, 404), "member": (OK, 404, 404), "observer": (OK, 404, 404)}
    ),
    "PRIVATE_WRITE": _rule(
        {"admin": (OK, OK, 404), "member": (OK, 404, 404), "observer": (403, 404, 404)}
    ),
    "PRIVATE_CREATE": _rule(
        {"admin": (OK, OK, 404), "member": (OK, 403, 404), "observer": (403, 403, 404)}
    ),
    "OWN_TOKEN": _rule({r: (OK, 404, 404) for r in ROLES}),
}


@dataclass
class Req:
    """A request to make."""

    method: str
    url: str
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Builder = Callable[[World, str, str], Req]
counter = itertools.count()


def _revision(w: World, scope: str) -> int:
    with w.session() as s:
        prog = s.get(Programme, w.programme_of(scope))
        assert prog is not None
        return prog.baseline_revision


def _merge_under_way(w: World, scope: str) -> int:
    """A submitted proposal with one conflict left and the programme's merge lock."""
    prog = w.programme_of(scope)
    with w.session() as s:
        for lock in s.query(MergeLock).filter(MergeLock.programme_id == prog):
            s.delete(lock)
        s.commit()
    from tests.ops.scenarios import MINI

    merge = {
        "text": MINI,
        "baseline_revision": _revision(w, scope),
        "conflicts": [
            {
                "field": "crew.crew_per_partner.BBB",
                "path": ["crew", "crew_per_partner", "BBB"],
                "base": 1,
                "baseline": 1,
                "proposal": 2,
                "proposal_absent": False,
                "resolved": False,
                "choice": None,
            }
        ],
    }
    pid = w.proposal(scope, "submitted", merge=merge)
    w.add(MergeLock(programme_id=prog, proposal_id=pid, holder_id=None))
    return pid


def _succeeded_run(w: World, scope: str, name: str, content: str) -> int:
    folder = Path(w.client.app.state.services.settings.artefact_dir()) / f"fake{next(counter)}"  # type: ignore[attr-defined]
    folder.mkdir(parents=True)
    (folder / name).write_text(content)
    prog = w.programme_of(scope)
    return w.add(
        Run(
            programme_id=prog,
            version_id=w.versions[f"base{prog}"],
            status="succeeded",
            folder=str(folder),
            files=[name],
        )
    )


def P(w: World, scope: str) -> int:
    return w.programme_of(scope)


def _code(scope: str) -> str:
    return {"own": "AAA", "other_partner": "BBB"}.get(scope, "ZZZ")


TABLE: dict[tuple[str, str], tuple[str, Builder]] = {
    ("GET", "/api/v1/me"): ("ANY", lambda w, s, a: Req("GET", "/api/v1/me")),
    ("GET", "/api/v1/programmes"): ("ANY", lambda w, s, a: Req("GET", "/api/v1/programmes")),
    ("POST", "/api/v1/programmes"): (
        "ADMIN",
        lambda w, s, a: (
            Req(
                "POST",
                "/api/v1/programmes",
                {"name": f"New {next(counter)}", "admin_name": f"boss{next(counter)}"},
            )
            if s != "other_programme"
            else Req("GET", f"/api/v1/programmes/{w.p2}")
        ),
    ),
    ("GET", "/api/v1/programmes/{programme_id}"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/programmes/{P(w, s)}"),
    ),
    ("GET", "/api/v1/programmes/{programme_id}/partners"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/programmes/{P(w, s)}/partners"),
    ),
    ("POST", "/api/v1/programmes/{programme_id}/partners"): (
        "ADMIN",
        lambda w, s, a: Req(
            "POST",
            f"/api/v1/programmes/{P(w, s)}/partners",
            {"code": f"N{next(counter)}", "name": "New agency"},
        ),
    ),
    ("GET", "/api/v1/programmes/{programme_id}/users"): (
        "ADMIN",
        lambda w, s, a: Req("GET", f"/api/v1/programmes/{P(w, s)}/users"),
    ),
    ("POST", "/api/v1/programmes/{programme_id}/users"): (
        "ADMIN",
        lambda w, s, a: Req(
            "POST",
            f"/api/v1/programmes/{P(w, s)}/users",
            {"name": f"u{next(counter)}", "role": "observer"},
        ),
    ),
    ("GET", "/api/v1/tokens"): ("ANY", lambda w, s, a: Req("GET", "/api/v1/tokens")),
    ("POST", "/api/v1/tokens"): ("ANY", lambda w, s, a: Req("POST", "/api/v1/tokens", {})),
    ("DELETE", "/api/v1/tokens/{token_id}"): (
        "OWN_TOKEN",
        lambda w, s, a: Req(
            "DELETE",
            f"/api/v1/tokens/{w.token({'own': a, 'other_partner': 'bbb'}.get(s, 'admin2'))}",
        ),
    ),
    ("POST", "/api/v1/programmes/{programme_id}/versions"): (
        "WRITE",
        lambda w, s, a: Req(
            "POST", f"/api/v1/programmes/{P(w, s)}/versions", {"text": _mini(), "message": "m"}
        ),
    ),
    ("GET", "/api/v1/programmes/{programme_id}/versions"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/programmes/{P(w, s)}/versions"),
    ),
    ("GET", "/api/v1/versions/{version_id}"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/versions/{w.versions[f'base{P(w, s)}']}"),
    ),
    ("GET", "/api/v1/versions/{version_id}/diff"): (
        "READ",
        lambda w, s, a: Req(
            "GET",
            f"/api/v1/versions/{w.versions[f'base{P(w, s)}']}/diff"
            f"?against={w.versions[f'base{P(w, s)}']}",
        ),
    ),
    ("GET", "/api/v1/programmes/{programme_id}/baseline"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/programmes/{P(w, s)}/baseline"),
    ),
    ("PUT", "/api/v1/programmes/{programme_id}/baseline"): (
        "ADMIN",
        lambda w, s, a: Req(
            "PUT",
            f"/api/v1/programmes/{P(w, s)}/baseline",
            {"version_id": w.versions[f"base{P(w, s)}"], "revision": _revision(w, s)},
        ),
    ),
    ("POST", "/api/v1/programmes/{programme_id}/snapshots"): (
        "ADMIN",
        lambda w, s, a: Req(
            "POST", f"/api/v1/programmes/{P(w, s)}/snapshots", {"name": f"s{next(counter)}"}
        ),
    ),
    ("GET", "/api/v1/programmes/{programme_id}/snapshots"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/programmes/{P(w, s)}/snapshots"),
    ),
    ("POST", "/api/v1/snapshots/{snapshot_id}/restore"): (
        "ADMIN",
        lambda w, s, a: Req(
            "POST",
            f"/api/v1/snapshots/{w.snapshot(s, f'r{next(counter)}')}/restore",
            {"revision": _revision(w, s)},
        ),
    ),
    ("POST", "/api/v1/programmes/{programme_id}/proposals"): (
        "PRIVATE_CREATE",
        lambda w, s, a: Req(
            "POST",
            f"/api/v1/programmes/{P(w, s)}/proposals",
            {"kind": "crew", "payload": {"crew": 2}, "partner_code": _code(s)},
        ),
    ),
    ("GET", "/api/v1/programmes/{programme_id}/proposals"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/programmes/{P(w, s)}/proposals"),
    ),
    ("GET", "/api/v1/proposals/{proposal_id}"): (
        "PRIVATE_READ",
        lambda w, s, a: Req("GET", f"/api/v1/proposals/{w.proposal(s)}"),
    ),
    ("PATCH", "/api/v1/proposals/{proposal_id}"): (
        "PRIVATE_WRITE",
        lambda w, s, a: Req(
            "PATCH", f"/api/v1/proposals/{w.proposal(s)}", {"revision": 1, "title": "t"}
        ),
    ),
    ("POST", "/api/v1/proposals/{proposal_id}/submit"): (
        "PRIVATE_WRITE",
        lambda w, s, a: Req(
            "POST", f"/api/v1/proposals/{w.proposal(s, title='public once submitted')}/submit"
        ),
    ),
    ("POST", "/api/v1/proposals/{proposal_id}/reject"): (
        "ADMIN",
        lambda w, s, a: Req("POST", f"/api/v1/proposals/{w.proposal(s, 'submitted')}/reject"),
    ),
    ("POST", "/api/v1/proposals/{proposal_id}/accept"): (
        "ADMIN",
        lambda w, s, a: Req(
            "POST",
            f"/api/v1/proposals/{_fresh_submitted(w, s)}/accept",
        ),
    ),
    ("GET", "/api/v1/proposals/{proposal_id}/merge"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/proposals/{_merge_under_way(w, s)}/merge"),
    ),
    ("POST", "/api/v1/proposals/{proposal_id}/merge/resolutions"): (
        "ADMIN",
        lambda w, s, a: Req(
            "POST",
            f"/api/v1/proposals/{_merge_under_way(w, s)}/merge/resolutions",
            {"field": "crew.crew_per_partner.BBB", "choice": "proposal"},
        ),
    ),
    ("DELETE", "/api/v1/proposals/{proposal_id}/merge"): (
        "ADMIN",
        lambda w, s, a: Req("DELETE", f"/api/v1/proposals/{_merge_under_way(w, s)}/merge"),
    ),
    ("GET", "/api/v1/proposals/{proposal_id}/diff"): (
        "PRIVATE_READ",
        lambda w, s, a: Req("GET", f"/api/v1/proposals/{w.proposal(s)}/diff"),
    ),
    ("POST", "/api/v1/proposals/{proposal_id}/whatif"): (
        "WRITE",
        lambda w, s, a: Req(
            "POST",
            "/api/v1/proposals/"
            + str(
                w.proposal(
                    s, "submitted", kind="withdraw", payload={"date_utc": "2025-02-20T00:00:00Z"}
                )
            )
            + "/whatif",
        ),
    ),
    ("POST", "/api/v1/programmes/{programme_id}/notes"): (
        "PRIVATE_CREATE",
        lambda w, s, a: Req(
            "POST",
            f"/api/v1/programmes/{P(w, s)}/notes",
            {"text": "hello", "partner_code": _code(s)},
        ),
    ),
    ("GET", "/api/v1/programmes/{programme_id}/notes"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/programmes/{P(w, s)}/notes"),
    ),
    ("GET", "/api/v1/notes/{note_id}"): (
        "PRIVATE_READ",
        lambda w, s, a: Req("GET", f"/api/v1/notes/{w.note(s)}"),
    ),
    ("PATCH", "/api/v1/notes/{note_id}"): (
        "PRIVATE_WRITE",
        lambda w, s, a: Req("PATCH", f"/api/v1/notes/{w.note(s)}", {"text": "x", "revision": 1}),
    ),
    ("DELETE", "/api/v1/notes/{note_id}"): (
        "PRIVATE_WRITE",
        lambda w, s, a: Req("DELETE", f"/api/v1/notes/{w.note(s)}"),
    ),
    ("POST", "/api/v1/programmes/{programme_id}/runs"): (
        "WRITE",
        lambda w, s, a: Req("POST", f"/api/v1/programmes/{P(w, s)}/runs", {}),
    ),
    ("GET", "/api/v1/programmes/{programme_id}/runs"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/programmes/{P(w, s)}/runs"),
    ),
    ("GET", "/api/v1/runs/{run_id}"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/runs/{w.run(s)}"),
    ),
    ("GET", "/api/v1/runs/{run_id}/files/{name}"): (
        "READ",
        lambda w, s, a: Req(
            "GET",
            f"/api/v1/runs/{_succeeded_run(w, s, 'report.html', '<p>r</p>')}/files/report.html",
        ),
    ),
    ("GET", "/api/v1/runs/{run_id}/comparison"): (
        "READ",
        lambda w, s, a: Req(
            "GET",
            f"/api/v1/runs/{_succeeded_run(w, s, 'whatif.json', json.dumps({'c': 1}))}/comparison",
        ),
    ),
    ("GET", "/api/v1/programmes/{programme_id}/audit"): (
        "READ",
        lambda w, s, a: Req("GET", f"/api/v1/programmes/{P(w, s)}/audit"),
    ),
}

PUBLIC = {("GET", "/api/v1/session/csrf")}
"""Endpoints that need no user (the session's CSRF token)."""


def _mini() -> str:
    from tests.ops.scenarios import MINI

    return MINI


def _fresh_submitted(w: World, scope: str) -> int:
    """A submitted proposal whose parent is the current baseline (merges at once)."""
    prog = w.programme_of(scope)
    with w.session() as s:
        p = s.get(Programme, prog)
        assert p is not None
        parent = p.baseline_version_id
        for lock in s.query(MergeLock).filter(MergeLock.programme_id == prog):
            s.delete(lock)
        s.commit()
    return w.proposal(scope, "submitted", parent_version_id=parent)


def api_routes(client: TestClient) -> set[tuple[str, str]]:
    """Every operation under /api/v1, from the app's OpenAPI document."""
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return {
        (method.upper(), path)
        for path, ops in paths.items()
        if path.startswith("/api/v1")
        for method in ops
    }


class NoRuns:
    """Stands in for the worker pool: records the runs submitted, executes none."""

    def __init__(self) -> None:
        self.submitted: list[int] = []

    def submit(self, run_id: int) -> None:
        self.submitted.append(run_id)

    def shutdown(self) -> None:
        pass


@pytest.fixture
def world(client: TestClient) -> Iterator[World]:
    client.app.state.services.runs = NoRuns()  # type: ignore[attr-defined]
    yield build(client)


def test_every_endpoint_has_an_entry(client: TestClient) -> None:
    assert api_routes(client) == set(TABLE) | PUBLIC


def test_authorisation_matrix(world: World) -> None:
    mismatches = []
    leaks = []
    for (method, path), (rule, builder) in TABLE.items():
        expected = RULES[rule]
        for role, scope in itertools.product(ROLES, SCOPES):
            req = builder(world, scope, role)
            r = world.client.request(
                req.method,
                req.url,
                json=req.json,
                headers={**world.auth(role), **req.headers},
            )
            want = expected[(role, scope)]
            got = OK if 200 <= r.status_code < 300 else r.status_code
            if got != want:
                mismatches.append(f"{method} {path} {role}/{scope}: {r.status_code} != {want}")
            if got != OK:
                body = r.json()
                assert set(body) == {"error"}, (method, path, body)
                assert {"code", "message", "field"} <= set(body["error"])
            text = r.text
            if "PRIVATE-P2" in text or (role != "admin" and "PRIVATE-BBB" in text):
                leaks.append(f"{method} {path} {role}/{scope}: {text[:200]}")
    assert mismatches == []
    assert leaks == []


def test_unauthenticated_requests_get_401(world: World) -> None:
    for method, path in sorted(TABLE):
        url = path.replace("{token_id}", "x").replace("{name}", "x")
        for key in (
            "programme_id",
            "version_id",
            "snapshot_id",
            "proposal_id",
            "note_id",
            "run_id",
        ):
            url = url.replace("{" + key + "}", "1")
        r = world.client.request(method, url)
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.json()["error"]["code"] == "unauthorized"
    bad = world.client.get("/api/v1/me", headers={"Authorization": "Bearer spt_0123456789ab_nope"})
    assert bad.status_code == 401
