"""The programme service under load: the real server (`stationplan serve`, one Uvicorn process)
in a subprocess, 200 concurrent API clients, on SQLite and on PostgreSQL.

For each database (SQLite: a file in a temporary folder; PostgreSQL:
``STATIONPLAN_BENCH_POSTGRES_URL``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``,
in a fresh schema of its own, dropped at the end; skipped, saying why, without a server):

* the server is started as a user starts it and polled until it answers;
* one programme is set up: an administrator (added as `stationplan users add` adds one), three
  partners and one member per partner (through the API), the small scenario (the tests' MINI,
  with a third partner) uploaded and made the baseline, one plan run started and awaited, so
  that there is a plan and a report to read;
* baseline, in the same run: one client alone reads the same endpoints one after the other
  (the latency of an idle server);
* the load, twice: 200 clients (``httpx.AsyncClient``, keep-alive), each as one of the
  members, each sending 10 requests one after the other: about 80 % reads (the run's plan.json
  and report.html, the proposals list, the run, the baseline) and 20 % writes (a draft
  proposal, or now and then the submission of one of the client's drafts);

  - *users*: each client thinks 1-3 s before each request, as 200 analysts at work would
    (about 100 requests/s offered): the latency a user waits;
  - *saturation*: no think time, each client asks again as soon as it is answered: the
    server's capacity (requests/s, CPU per request); with 200 requests always in flight its
    latency is ~ 200 / throughput by Little's law, whatever the server does;

* after each load, every write the server accepted is looked up in the database (each created
  proposal, and the state of each submitted one);
* the server is stopped with SIGTERM and its folders (and schema) removed.

Goal, on a 2-core machine (the load generator shares it): 0 errors, nothing lost, and the
users' reads p95 < 200 ms.
Prints the figures, then one JSON line (the last line).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, select, text

from stationplan.service.bootstrap import add_user
from stationplan.service.db import make_engine
from stationplan.service.models import Proposal
from stationplan.service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).with_name("stationplan")
POSTGRES_URL = os.environ.get(
    "STATIONPLAN_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
API = "/api/v1"
CLIENTS = 200
REQUESTS_PER_CLIENT = 10
WRITE_SHARE = 0.2
SUBMIT_SHARE = 0.4
IDLE_ROUNDS = 10
GOAL_READ_P95_MS = 200.0
PARTNERS = ("AAA", "BBB", "CCC")
SEED = 20261203
START_TIMEOUT_S = 60.0
RUN_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 20.0
LOAD_DEADLINE_S = 90.0
THINK_S = (1.0, 3.0)
"""A user's think time before each request (s, uniform): an analyst reading a plan, a report
or the proposals between clicks. 200 such users ask about 200 / 2 = 100 requests/s."""
READS = ("plan.json", "report.html", "proposals", "run", "baseline")
THIRD_PARTNER = """\
  - code: CCC
    name: Agency C
    country: Cland
    join_utc: 2024-06-01
    utilization_share_pct: 10

"""


def small_scenario() -> str:
    """The tests' MINI scenario (partners AAA and BBB) with a third partner, CCC."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    mini: str = importlib.import_module("tests.ops.scenarios").MINI
    return mini.replace("\nproviders:\n", "\n" + THIRD_PARTNER + "providers:\n", 1)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by process ``pid``, its threads included
    (Linux); None when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def tail(path: Path, lines: int = 15) -> str:
    """The last lines of a log file."""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Server:
    """A running `stationplan serve` and how it stopped."""

    base: str
    proc: subprocess.Popen[bytes]
    log: Path
    start_s: float = 0.0
    stop_s: float = 0.0
    exit_code: int | None = None
    notes: list[str] = field(default_factory=list)


def _group(pgid: int) -> list[str]:
    """The processes of group ``pgid`` still running (zombies aside): "pid command"."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            head, _, rest = stat.read_text().rpartition(")")
            fields = rest.split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(f"{stat.parent.name} {head.partition('(')[2]}")
    return found


def _stop(server: Server) -> None:
    """SIGTERM, then wait; SIGKILL to the process group only when the server does not stop in
    time, or when a process of its group (run workers) is still there a while after it."""
    proc = server.proc
    started = time.perf_counter()
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            server.notes.append(f"still running {STOP_TIMEOUT_S:g} s after SIGTERM; killed")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    server.stop_s = time.perf_counter() - started
    server.exit_code = proc.returncode
    if "Application shutdown complete" not in server.log.read_text(errors="replace"):
        server.notes.append("no 'Application shutdown complete' in its log")
    deadline = time.perf_counter() + 5.0
    while (left := _group(proc.pid)) and time.perf_counter() < deadline:
        time.sleep(0.1)
    if left:
        server.notes.append(f"left behind and killed: {', '.join(left)}")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def serve(database_url: str, data_dir: Path) -> Iterator[Server]:
    """`stationplan serve` on a free port, once it answers; stopped at the end of the block."""
    port = free_port()
    log = data_dir.parent / "server.log"
    cmd = [
        str(EXE),
        "serve",
        "--database-url",
        database_url,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
    ]
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited ({proc.returncode}):\n{tail(log)}")
            try:
                httpx.get(f"{server.base}{API}/me", timeout=2.0)
                break
            except httpx.TransportError:
                if time.perf_counter() - started > START_TIMEOUT_S:
                    raise RuntimeError(
                        f"no answer in {START_TIMEOUT_S:g} s:\n{tail(log)}"
                    ) from None
                time.sleep(0.1)
        server.start_s = time.perf_counter() - started
        yield server
    finally:
        _stop(server)


class NoServerError(Exception):
    """No PostgreSQL server to benchmark."""


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """The URL of a fresh schema of the PostgreSQL server, dropped at the end; raises
    :class:`NoServerError` (one line) when no server answers."""
    schema = f"sp_bench_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
                conn.commit()
        except Exception as exc:
            first = f"{type(exc).__name__}: {exc}".splitlines()[0]
            raise NoServerError(f"no PostgreSQL at {POSTGRES_URL}: {first}") from None
        try:
            sep = "&" if "?" in POSTGRES_URL else "?"
            yield f"{POSTGRES_URL}{sep}options={quote(f'-csearch_path={schema}')}"
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                conn.commit()
    finally:
        admin.dispose()


@dataclass
class Programme:
    """What the clients need: the programme, its run, the members' tokens."""

    programme_id: int
    run_id: int
    admin_token: str
    member_tokens: dict[str, str]
    run_s: float
    sizes: dict[str, int]


def _ok(r: httpx.Response) -> Any:
    if not r.is_success:
        raise RuntimeError(f"{r.request.method} {r.request.url.path}: {r.status_code} {r.text}")
    return r.json()


def set_up(server: Server, database_url: str, data_dir: Path) -> Programme:
    """The programme, partners, users, baseline and one succeeded run."""
    admin = add_user(
        Settings(database_url=database_url, data_dir=data_dir), "bench-admin", "bench", "admin"
    )
    with httpx.Client(
        base_url=server.base + API,
        headers={"Authorization": f"Bearer {admin.token}"},
        timeout=30.0,
    ) as c:
        pid = _ok(c.get("/me"))["programme"]["id"]
        members = {}
        for code in PARTNERS:
            _ok(c.post(f"/programmes/{pid}/partners", json={"code": code, "name": code}))
            user = {"name": f"member-{code}", "role": "member", "partner_code": code}
            members[code] = _ok(c.post(f"/programmes/{pid}/users", json=user))["token"]["token"]
        version = _ok(
            c.post(
                f"/programmes/{pid}/versions",
                json={"text": small_scenario(), "filename": "mini.yaml", "message": "bench"},
            )
        )["id"]
        revision = _ok(c.get(f"/programmes/{pid}/baseline"))["revision"]
        _ok(
            c.put(f"/programmes/{pid}/baseline", json={"version_id": version, "revision": revision})
        )
        started = time.perf_counter()
        run = _ok(c.post(f"/programmes/{pid}/runs", json={}))
        while run["status"] in ("queued", "running"):
            if time.perf_counter() - started > RUN_TIMEOUT_S:
                raise RuntimeError(f"run {run['id']} not finished in {RUN_TIMEOUT_S:g} s: {run}")
            time.sleep(0.25)
            run = _ok(c.get(f"/runs/{run['id']}"))
        run_s = time.perf_counter() - started
        if run["status"] != "succeeded":
            raise RuntimeError(f"run {run['id']} {run['status']}: {run['error']}")
        missing = {"plan.json", "report.html"} - set(run["files"] or [])
        if missing:
            raise RuntimeError(f"run {run['id']} wrote no {', '.join(sorted(missing))}")
        sizes = {
            name: len(c.get(f"/runs/{run['id']}/files/{name}").content)
            for name in ("plan.json", "report.html")
        }
    return Programme(pid, run["id"], admin.token, members, run_s, sizes)


@dataclass
class Tally:
    """Latencies, errors and the writes the server accepted."""

    read_ms: list[float] = field(default_factory=list)
    write_ms: list[float] = field(default_factory=list)
    by_read: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    created: set[int] = field(default_factory=set)
    submitted: set[int] = field(default_factory=set)


def _paths(prog: Programme) -> dict[str, str]:
    run = f"/runs/{prog.run_id}"
    return {
        "plan.json": f"{run}/files/plan.json",
        "report.html": f"{run}/files/report.html",
        "proposals": f"/programmes/{prog.programme_id}/proposals?limit=50",
        "run": run,
        "baseline": f"/programmes/{prog.programme_id}/baseline",
    }


async def _timed(
    c: httpx.AsyncClient, tally: Tally, method: str, path: str, what: str, **kw: Any
) -> httpx.Response | None:
    """One request, its latency (the whole body read) and any error; the answer if 2xx."""
    started = time.perf_counter()
    try:
        r = await c.request(method, path, **kw)
    except Exception as exc:
        tally.errors[f"{what}: {type(exc).__name__}: {exc}".splitlines()[0][:200]] += 1
        r = None
    ms = (time.perf_counter() - started) * 1e3
    if what in READS:
        tally.read_ms.append(ms)
        tally.by_read.setdefault(what, []).append(ms)
    else:
        tally.write_ms.append(ms)
    if r is not None and not r.is_success:
        tally.errors[f"{what}: {r.status_code} {r.text[:160]}"] += 1
        return None
    return r


async def _client(
    c: httpx.AsyncClient,
    prog: Programme,
    tally: Tally,
    rng: random.Random,
    go: asyncio.Event,
    think_s: tuple[float, float] | None,
) -> None:
    """One member's requests, one after the other, each after a think time drawn uniformly
    from ``think_s`` (none: at once)."""
    paths = _paths(prog)
    drafts: list[int] = []
    await go.wait()
    for k in range(REQUESTS_PER_CLIENT):
        if think_s is not None:
            await asyncio.sleep(rng.uniform(*think_s))
        if rng.random() >= WRITE_SHARE:
            what = rng.choice(READS)
            await _timed(c, tally, "GET", paths[what], what)
        elif drafts and rng.random() < SUBMIT_SHARE:
            pid = drafts.pop(rng.randrange(len(drafts)))
            if await _timed(c, tally, "POST", f"/proposals/{pid}/submit", "submit") is not None:
                tally.submitted.add(pid)
        else:
            body = {"kind": "crew", "title": f"bench {k}", "payload": {"crew": rng.randint(1, 3)}}
            path = f"/programmes/{prog.programme_id}/proposals"
            r = await _timed(c, tally, "POST", path, "create", json=body)
            if r is not None:
                if r.status_code == 201:
                    new = r.json()["id"]
                    tally.created.add(new)
                    drafts.append(new)
                else:
                    tally.errors[f"create: {r.status_code} instead of 201"] += 1


async def load(
    server: Server, prog: Programme, think_s: tuple[float, float] | None, seed: int
) -> tuple[Tally, float]:
    """The 200 clients; their tally and the wall time from the start signal to the last
    answer (requests left when the deadline passes are errors)."""
    tally = Tally()
    go = asyncio.Event()
    codes = sorted(prog.member_tokens)
    clients = [
        httpx.AsyncClient(
            base_url=server.base + API,
            headers={"Authorization": f"Bearer {prog.member_tokens[codes[i % len(codes)]]}"},
            timeout=REQUEST_TIMEOUT_S,
        )
        for i in range(CLIENTS)
    ]
    try:
        tasks = [
            asyncio.create_task(_client(c, prog, tally, random.Random(seed + i), go, think_s))
            for i, c in enumerate(clients)
        ]
        await asyncio.sleep(0)
        started = time.perf_counter()
        go.set()
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), LOAD_DEADLINE_S)
        except TimeoutError:
            left = CLIENTS * REQUESTS_PER_CLIENT - len(tally.read_ms) - len(tally.write_ms)
            tally.errors[f"not sent or not answered within the {LOAD_DEADLINE_S:g} s"] += left
        wall_s = time.perf_counter() - started
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    return tally, wall_s


def idle_reads(server: Server, prog: Programme) -> list[float]:
    """Baseline: one client alone reads each endpoint ``IDLE_ROUNDS`` times (as the
    administrator, so the members' tokens are first seen under the load)."""
    paths = _paths(prog)
    times = []
    with httpx.Client(
        base_url=server.base + API,
        headers={"Authorization": f"Bearer {prog.admin_token}"},
        timeout=30.0,
    ) as c:
        _ok(c.get(paths["run"]))
        for _ in range(IDLE_ROUNDS):
            for what in READS:
                started = time.perf_counter()
                r = c.get(paths[what])
                times.append((time.perf_counter() - started) * 1e3)
                if not r.is_success:
                    raise RuntimeError(f"idle read of {what}: {r.status_code} {r.text[:200]}")
    return times


def lost_writes(database_url: str, prog: Programme, tally: Tally) -> list[str]:
    """The accepted writes the database does not hold: created proposals missing, submitted
    ones not in the submitted state."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Proposal.id, Proposal.state).where(
                    Proposal.programme_id == prog.programme_id
                )
            )
            state = {int(i): str(s) for i, s in rows}
    finally:
        engine.dispose()
    missing = [f"proposal {i} (created)" for i in sorted(tally.created - state.keys())]
    missing += [
        f"proposal {i} is {state.get(i, 'missing')} (submitted)"
        for i in sorted(tally.submitted)
        if state.get(i) != "submitted"
    ]
    return missing


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


@dataclass
class Phase:
    """One load on the server: its tally, wall time and the server's CPU time."""

    name: str
    think_s: tuple[float, float] | None
    tally: Tally
    wall_s: float
    server_cpu_s: float | None
    lost: list[str]

    def figures(self, idle: list[float]) -> dict[str, Any]:
        t = self.tally
        requests = len(t.read_ms) + len(t.write_ms)
        errors = sum(t.errors.values())
        read_p95 = pct(t.read_ms, 0.95)
        return {
            "requests": requests,
            "seconds": round(self.wall_s, 3),
            "requests_per_s": round(requests / self.wall_s, 1),
            "read_p50_ms": round(pct(t.read_ms, 0.5), 1),
            "read_p95_ms": round(read_p95, 1),
            "read_p99_ms": round(pct(t.read_ms, 0.99), 1),
            "write_p50_ms": round(pct(t.write_ms, 0.5), 1),
            "write_p95_ms": round(pct(t.write_ms, 0.95), 1),
            "write_p99_ms": round(pct(t.write_ms, 0.99), 1),
            "errors": errors,
            "lost_writes": len(self.lost),
            "read_p50_over_idle": round(pct(t.read_ms, 0.5) / pct(idle, 0.5), 1),
            "server_cpu_s": None if self.server_cpu_s is None else round(self.server_cpu_s, 1),
            "server_cpu_ms_per_request": None
            if self.server_cpu_s is None
            else round(self.server_cpu_s / requests * 1e3, 2),
            "created": len(t.created),
            "submitted": len(t.submitted),
            "goal_met": errors == 0 and not self.lost and read_p95 < GOAL_READ_P95_MS,
        }

    def report(self, idle: list[float]) -> dict[str, Any]:
        """Print the phase; its figures."""
        f = self.figures(idle)
        t = self.tally
        how = (
            f"a think time of {self.think_s[0]:g}-{self.think_s[1]:g} s before each request"
            if self.think_s
            else "no think time (each asks again as soon as it is answered)"
        )
        print(f"  {self.name}: {CLIENTS} clients x {REQUESTS_PER_CLIENT} requests, {how}")
        print(
            f"    {f['requests']} requests in {self.wall_s:.2f} s, {f['requests_per_s']:.0f} "
            f"requests/s; errors {f['errors']}"
        )
        print(
            f"    reads ({len(t.read_ms)}): p50 {f['read_p50_ms']:.1f} ms, p95 "
            f"{f['read_p95_ms']:.1f} ms, p99 {f['read_p99_ms']:.1f} ms; p50 "
            f"{f['read_p50_over_idle']:.1f} x the idle one"
        )
        print(
            "      p50/p95 per read: "
            + ", ".join(
                f"{what} {pct(ms, 0.5):.0f}/{pct(ms, 0.95):.0f} ms"
                for what, ms in sorted(t.by_read.items())
            )
        )
        print(
            f"    writes ({len(t.write_ms)}: {len(t.created)} drafts created, "
            f"{len(t.submitted)} submitted): p50 {f['write_p50_ms']:.1f} ms, p95 "
            f"{f['write_p95_ms']:.1f} ms, p99 {f['write_p99_ms']:.1f} ms"
        )
        if self.server_cpu_s is not None:
            print(
                f"    server process CPU: {self.server_cpu_s:.1f} s in {self.wall_s:.1f} s "
                f"({self.server_cpu_s / self.wall_s:.2f} of the {os.cpu_count()} cores), "
                f"{f['server_cpu_ms_per_request']:.1f} ms per request"
            )
        for message, count in t.errors.most_common(5):
            print(f"      {count} x {message}")
        print(
            "    accepted writes in the database: "
            + ("nothing lost" if not self.lost else f"{len(self.lost)} LOST")
        )
        for line in self.lost[:5]:
            print(f"      missing: {line}")
        return f


def run_phase(
    name: str,
    server: Server,
    prog: Programme,
    database_url: str,
    think_s: tuple[float, float] | None,
    seed: int,
) -> Phase:
    """One load and the check that its accepted writes are in the database."""
    cpu_before = cpu_s(server.proc.pid)
    tally, wall_s = asyncio.run(load(server, prog, think_s, seed))
    cpu_after = cpu_s(server.proc.pid)
    used = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return Phase(name, think_s, tally, wall_s, used, lost_writes(database_url, prog, tally))


def bench(name: str, database_url: str, folder: Path) -> dict[str, Any]:
    """The whole benchmark on one database; its figures."""
    data_dir = folder / "data"
    data_dir.mkdir()
    with serve(database_url, data_dir) as server:
        prog = set_up(server, database_url, data_dir)
        idle = idle_reads(server, prog)
        users = run_phase("users", server, prog, database_url, THINK_S, SEED)
        saturated = run_phase("saturation", server, prog, database_url, None, SEED + CLIENTS)
    print(
        f"{name}: server up in {server.start_s:.1f} s; run of the small scenario "
        f"{prog.run_s:.1f} s (plan.json {prog.sizes['plan.json'] / 1e3:.0f} kB, report.html "
        f"{prog.sizes['report.html'] / 1e3:.0f} kB)"
    )
    print(
        f"  baseline, one client alone: reads p50 {pct(idle, 0.5):.1f} ms, "
        f"p95 {pct(idle, 0.95):.1f} ms"
    )
    figures: dict[str, Any] = {"idle_read_p50_ms": round(pct(idle, 0.5), 2)}
    figures["users"] = users.report(idle)
    figures["saturation"] = saturated.report(idle)
    figures["saturation"].pop("goal_met")
    print(
        f"  server stopped {server.stop_s:.1f} s after SIGTERM, exit code {server.exit_code} "
        f"(143: the command's answer to SIGTERM)"
        + ("".join(f"; {note}" for note in server.notes) or ", nothing left behind")
    )
    met = figures["users"]["goal_met"] and not saturated.lost
    figures["goal_met"] = met
    print(
        f"  goal ({CLIENTS} users: 0 errors, nothing lost, reads p95 < {GOAL_READ_P95_MS:g} ms; "
        f"saturation: nothing lost): {'met' if met else 'NOT met'}"
    )
    print(
        f"  (under saturation about {CLIENTS} requests are always in flight, so its latency is "
        f"~ {CLIENTS} / throughput: it measures the server's capacity, not what a user waits)"
    )
    return figures


def main() -> None:
    started = time.perf_counter()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="sp_bench_sqlite_") as tmp:
        folder = Path(tmp)
        results["sqlite"] = bench("sqlite", f"sqlite:///{folder / 'service.db'}", folder)
    try:
        with (
            postgres_schema() as url,
            tempfile.TemporaryDirectory(prefix="sp_bench_pg_") as tmp,
        ):
            results["postgresql"] = bench("postgresql", url, Path(tmp))
    except NoServerError as exc:
        print(f"postgresql: skipped, {exc}")
        results["postgresql"] = {"skipped": str(exc)}
    print(f"total {time.perf_counter() - started:.0f} s")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
