"""A real server killed with SIGKILL in the middle of a run, then started again.

``stationplan serve`` runs as a process group of its own (the server and its planning
processes) on a database in tmp_path (SQLite, and PostgreSQL when a server is reachable).
An administrator added with ``stationplan users add`` uploads the default scenario (tens of
seconds to plan), makes it the baseline and runs it; once the run is seen running past its
first steps, with its staging folder written, the whole group is killed with SIGKILL and
every process of it is waited for. The server started again on the same database and data
folder marks the run failed as interrupted; neither its folder nor any staging folder is
left; its report is a 404 in the API's error shape; the database is intact (SQLite's
integrity and foreign-key checks, the programme, its baseline, versions and audit entries
as they were). A run of another version then succeeds and is served, and a new run of the
killed run's version starts and makes progress.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from sqlalchemy import select, text

from stationplan.scenario.loader import default_scenario_text
from stationplan.service.db import make_engine
from stationplan.service.models import AuditEntry, Programme, Run, ScenarioVersion
from stationplan.service.runner import INTERRUPTED
from tests.ops.scenarios import MINI

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="reads process groups from /proc"),
]

START_TIMEOUT_S = 40.0
RUN_TIMEOUT_S = 60.0
EXIT_TIMEOUT_S = 15.0
STATIONPLAN = Path(sys.executable).with_name("stationplan")


def _command() -> list[str]:
    """The ``stationplan`` console script (or the CLI's entry point run by this Python)."""
    if STATIONPLAN.is_file():
        return [str(STATIONPLAN)]
    return [sys.executable, "-c", "from stationplan.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _group(pgid: int) -> set[int]:
    """The live (not zombie) processes of process group ``pgid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.add(int(entry.name))
    return found


@dataclass
class Server:
    """A ``stationplan serve`` process group and its log."""

    proc: subprocess.Popen[bytes]
    url: str
    log: IO[bytes]
    log_path: Path

    @property
    def pgid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        """What the server wrote so far (for failure messages)."""
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> set[int]:
        """SIGKILL the whole group; wait until none of its processes is left. The processes
        the group had when killed."""
        members = _group(self.pgid)
        with suppress(ProcessLookupError):
            os.killpg(self.pgid, signal.SIGKILL)
        self.proc.wait(timeout=EXIT_TIMEOUT_S)
        deadline = time.monotonic() + EXIT_TIMEOUT_S
        while (left := _group(self.pgid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not left, f"processes of the killed server still alive: {sorted(left)}"
        self.log.close()
        return members


@contextmanager
def servers() -> Iterator[list[Server]]:
    """A list to start servers into; every one of them is killed on the way out."""
    started: list[Server] = []
    try:
        yield started
    finally:
        for server in started:
            if server.proc.returncode is None or _group(server.pgid):
                server.kill()


def start(
    started: list[Server], database_url: str, data_dir: Path, folder: Path, token: str
) -> tuple[Server, httpx.Client]:
    """Start ``stationplan serve`` in a new session; a client once it answers."""
    port = _free_port()
    log_path = folder / f"server-{len(started) + 1}.log"
    log = log_path.open("wb")
    args = ["serve", "--database-url", database_url, "--data-dir", str(data_dir)]
    proc = subprocess.Popen(
        [*_command(), *args, "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=folder,
        start_new_session=True,
    )
    server = Server(proc, f"http://127.0.0.1:{port}", log, log_path)
    started.append(server)
    client = httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=20
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        assert proc.poll() is None, f"the server exited:\n{server.output()}"
        assert time.monotonic() < deadline, f"the server did not answer:\n{server.output()}"
        try:
            if client.get("/api/v1/me").status_code == 200:
                return server, client
        except httpx.TransportError:
            pass
        time.sleep(0.1)


def wait_for(
    client: httpx.Client, run_id: int, done: Any, timeout: float = RUN_TIMEOUT_S
) -> dict[str, Any]:
    """Poll run ``run_id`` until ``done(run)``; the run."""
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(f"/api/v1/runs/{run_id}")
        assert r.status_code == 200, r.text
        run: dict[str, Any] = r.json()
        if done(run):
            return run
        assert run["status"] not in ("succeeded", "failed"), run
        assert time.monotonic() < deadline, f"run {run_id} still {run['status']}: {run}"
        time.sleep(0.1)


def add_admin(database_url: str, folder: Path) -> str:
    """``stationplan users add`` of an administrator; the token it printed."""
    args = ["users", "add", "root", "--programme", "Kill", "--role", "admin"]
    done = subprocess.run(
        [*_command(), *args, "--partner", "AAA", "--database-url", database_url],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip().splitlines()[-1]
    assert token.startswith("spt_")
    return token


def upload(client: httpx.Client, programme: int, scenario: str, message: str) -> int:
    r = client.post(
        f"/api/v1/programmes/{programme}/versions", json={"text": scenario, "message": message}
    )
    assert r.status_code == 201, r.text
    version: int = r.json()["id"]
    return version


def stored(database_url: str, programme: int) -> dict[str, Any]:
    """The programme, its versions, runs and audit entries as stored; SQLite's own checks."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            checks: dict[str, Any] = {}
            if engine.dialect.name == "sqlite":
                checks["integrity"] = conn.execute(text("PRAGMA integrity_check")).all()
                checks["foreign_keys"] = conn.execute(text("PRAGMA foreign_key_check")).all()
            prog = conn.execute(select(Programme).where(Programme.id == programme)).one()
            versions = conn.execute(
                select(ScenarioVersion.id, ScenarioVersion.text, ScenarioVersion.sha256)
                .where(ScenarioVersion.programme_id == programme)
                .order_by(ScenarioVersion.id)
            ).all()
            runs = conn.execute(
                select(Run.id, Run.version_id, Run.status, Run.error, Run.folder, Run.files)
                .where(Run.programme_id == programme)
                .order_by(Run.id)
            ).all()
            audit = conn.execute(
                select(AuditEntry.id, AuditEntry.action, AuditEntry.object_type)
                .where(AuditEntry.programme_id == programme)
                .order_by(AuditEntry.id)
            ).all()
    finally:
        engine.dispose()
    return {
        **checks,
        "baseline": (prog.baseline_version_id, prog.baseline_revision),
        "versions": [
            (v.id, v.sha256, hashlib.sha256(v.text.encode()).hexdigest()) for v in versions
        ],
        "runs": [tuple(r) for r in runs],
        "audit": [tuple(a) for a in audit],
    }


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file (the storage tests cover PostgreSQL; one database is enough here, where
    the time goes to starting processes)."""
    return f"sqlite:///{tmp_path / 'service.db'}"


def test_a_run_killed_with_its_server_is_failed_on_restart(sqlite_url: str, tmp_path: Path) -> None:
    database_url = sqlite_url
    data_dir = tmp_path / "data"
    runs_dir = data_dir / "runs"
    token = add_admin(database_url, tmp_path)
    with servers() as started:
        first, client = start(started, database_url, data_dir, tmp_path, token)
        programme = client.get("/api/v1/me").json()["programme"]["id"]
        slow = upload(client, programme, default_scenario_text(), "the default scenario")
        etag = client.get(f"/api/v1/programmes/{programme}/baseline").headers["ETag"]
        r = client.put(
            f"/api/v1/programmes/{programme}/baseline",
            json={"version_id": slow},
            headers={"If-Match": etag},
        )
        assert r.status_code == 200, r.text
        r = client.post(f"/api/v1/programmes/{programme}/runs", json={})
        assert r.status_code == 202, r.text
        killed = r.json()["id"]
        run = wait_for(
            client,
            killed,
            lambda run: run["status"] == "running" and run["progress_fraction"] > 0.1,
        )
        staging = [p.name for p in runs_dir.glob(f".{killed}.*.tmp")]
        assert staging and not (runs_dir / str(killed)).exists(), list(runs_dir.iterdir())
        r = client.get(f"/api/v1/runs/{killed}/files/report.html")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        before = stored(database_url, programme)
        client.close()

        members = first.kill()
        assert first.proc.returncode == -signal.SIGKILL
        assert len(members) >= 2, f"no planning process in the server's group: {members}"
        assert (runs_dir / staging[0]).exists()  # what the killed run left behind

        second, client = start(started, database_url, data_dir, tmp_path, token)
        run = client.get(f"/api/v1/runs/{killed}").json()
        assert run["status"] == "failed" and run["error"] == INTERRUPTED, run
        assert "stopped" in run["error"] and run["finished_utc"] is not None
        assert run["files"] is None and run["progress_fraction"] < 1
        assert sorted(p.name for p in runs_dir.iterdir()) == []
        r = client.get(f"/api/v1/runs/{killed}/files/report.html")
        assert r.status_code == 404, r.text
        assert r.json() == {
            "error": {"code": "not_found", "message": "no such file", "field": None}
        }

        after = stored(database_url, programme)
        if "integrity" in after:
            assert after["integrity"] == [("ok",)] and after["foreign_keys"] == []
        assert after["baseline"] == before["baseline"] and after["baseline"][0] == slow
        assert after["versions"] == before["versions"] and len(after["versions"]) == 1
        assert all(sha == computed for _, sha, computed in after["versions"])
        assert after["audit"] == before["audit"]
        assert [a[1] for a in after["audit"]][-2:] == ["baseline.set", "run.create"]
        assert after["runs"] == [(killed, slow, "failed", INTERRUPTED, None, None)]
        listed = client.get(f"/api/v1/programmes/{programme}/runs").json()["items"]
        assert [(r["id"], r["status"]) for r in listed] == [(killed, "failed")]

        fast = upload(client, programme, MINI, "a small scenario")
        r = client.post(f"/api/v1/programmes/{programme}/runs", json={"version_id": fast})
        assert r.status_code == 202, r.text
        done = wait_for(client, r.json()["id"], lambda run: run["status"] == "succeeded")
        page = client.get(f"/api/v1/runs/{done['id']}/files/report.html")
        assert page.status_code == 200 and "Mini Programme" in page.text
        assert sorted(p.name for p in runs_dir.iterdir()) == [str(done["id"])]

        r = client.post(f"/api/v1/programmes/{programme}/runs", json={})
        assert r.status_code == 202 and r.json()["version_id"] == slow, r.text
        again = wait_for(
            client,
            r.json()["id"],
            lambda run: run["status"] == "running" and run["progress_fraction"] > 0.1,
        )
        assert again["error"] is None
        client.close()
        second.kill()
