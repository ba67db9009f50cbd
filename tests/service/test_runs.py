"""Runs in the worker pool: the MINI scenario planned to completion with its progress polled
and its artefacts served; a what-if of a withdrawal; runs a killed server left behind marked
failed at the next start."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from stationplan.service import Settings, create_app
from stationplan.service.models import Run
from stationplan.service.runner import INTERRUPTED
from tests.service.conftest import TestClient
from tests.service.world import World, build

TIMEOUT_S = 60.0


def poll(w: World, run_id: int) -> tuple[dict[str, Any], list[tuple[str, float, str]]]:
    """Poll a run until it ends; its last state and every (status, fraction, step) seen."""
    seen: list[tuple[str, float, str]] = []
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        r = w.client.get(f"/api/v1/runs/{run_id}", headers=w.auth("observer"))
        assert r.status_code == 200
        run = r.json()
        seen.append((run["status"], run["progress_fraction"], run["progress_text"]))
        if run["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
            return run, seen
        time.sleep(0.02)


def test_plan_and_whatif_runs_to_completion(settings: Settings) -> None:
    with TestClient(create_app(settings.model_copy(update={"warm_workers": True}))) as client:
        w = build(client)
        r = client.post(f"/api/v1/programmes/{w.p1}/runs", json={}, headers=w.auth("member"))
        assert r.status_code == 202 and r.json()["status"] == "queued"
        run_id = r.json()["id"]
        started = time.monotonic()
        while time.monotonic() - started < 1:  # requests are answered while the run works
            assert client.get("/api/v1/me", headers=w.auth("member")).status_code == 200
        run, seen = poll(w, run_id)
        assert run["status"] == "succeeded", run["error"]
        fractions = [f for _, f, _ in seen]
        assert fractions == sorted(fractions) and fractions[-1] == 1.0
        assert any(s == "running" and 0 < f < 1 for s, f, _ in seen), seen
        assert {"plan.json", "report.html", "Alpha.oem", "Alpha.czml"} <= set(run["files"])
        page = client.get(f"/api/v1/runs/{run_id}/files/report.html", headers=w.auth("observer"))
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "Mini Programme" in page.text
        plan = client.get(f"/api/v1/runs/{run_id}/files/plan.json", headers=w.auth("member"))
        assert plan.json()["programme"]["name"] == "Mini Programme"
        for name in ("stationplan.db", "..%2F..%2Fservice.db", ".stationplan-output.json"):
            r = client.get(f"/api/v1/runs/{run_id}/files/{name}", headers=w.auth("member"))
            assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        folder = Path(settings.artefact_dir()) / "runs"
        assert [p.name for p in folder.iterdir()] == [str(run_id)]  # no staging left

        prop = client.post(
            f"/api/v1/programmes/{w.p1}/proposals",
            json={"kind": "withdraw", "payload": {"date_utc": "2025-02-20T00:00:00Z"}},
            headers=w.auth("bbb"),
        ).json()["id"]
        client.post(f"/api/v1/proposals/{prop}/submit", headers=w.auth("bbb"))
        r = client.post(f"/api/v1/proposals/{prop}/whatif", headers=w.auth("member"))
        assert r.status_code == 202, r.text
        whatif, _ = poll(w, r.json()["id"])
        assert whatif["status"] == "succeeded", whatif["error"]
        comparison = client.get(
            f"/api/v1/runs/{whatif['id']}/comparison", headers=w.auth("observer")
        ).json()
        assert comparison["change"].startswith("BBB withdraws on 2025-02-20")
        assert (
            client.get(f"/api/v1/runs/{run_id}/comparison", headers=w.auth("observer")).status_code
            == 404
        )


def test_run_of_a_crew_proposal_is_not_a_whatif(client: TestClient) -> None:
    w = build(client)
    prop = client.post(
        f"/api/v1/programmes/{w.p1}/proposals",
        json={"kind": "crew", "payload": {"crew": 3}},
        headers=w.auth("member"),
    ).json()["id"]
    r = client.post(f"/api/v1/proposals/{prop}/whatif", headers=w.auth("member"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "kind"


def test_runs_of_a_killed_server_are_marked_failed(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        w = build(client)
        ids = {status: w.run("own", status=status) for status in ("running", "queued", "succeeded")}
    staging = Path(settings.artefact_dir()) / "runs" / f".{ids['running']}.abc.tmp"
    staging.mkdir(parents=True)
    (staging / "report.html").write_text("half")
    with TestClient(create_app(settings)) as client:
        with w.session() as s:
            rows = {r.id: r for r in s.query(Run)}
        for status in ("running", "queued"):
            run = rows[ids[status]]
            assert run.status == "failed" and run.error == INTERRUPTED
            assert run.finished_utc is not None and run.finished_utc.tzinfo is not None
        assert rows[ids["succeeded"]].status == "succeeded"
        assert not staging.exists()
        shown = client.get(f"/api/v1/runs/{ids['running']}", headers=w.auth("member")).json()
        assert shown["status"] == "failed" and "start the run again" in shown["error"]
