"""The web pages in a real browser: Debian's Chromium driven by Playwright against a uvicorn
server on 127.0.0.1 (a free port, a temporary SQLite database, the world of ``world.py``).

Partner AAA's member and partner BBB's member sign in in two browser contexts (a wrong
password first: the login page says so). AAA uploads a broken scenario, whose problems are
listed as ``FILE:LINE field: message``, then MINI raised by 3 km, compared with the baseline;
drafts a withdrawal that BBB can neither list nor open (404); a form posted without the CSRF
token is refused (403); AAA submits the draft and BBB sees it; AAA runs the baseline, sees
its progress change and its report embedded, runs the what-if of the proposal and reads the
comparison, and reads its own ledger (AAA's rows only); signing out ends the session. No
page may log a script error or a Content-Security-Policy violation. Every page is
screenshotted into ``STATIONPLAN_SCREENSHOTS`` (default: ``screenshots`` in the test
session's temporary folder).

Needs the ``playwright`` Python package and ``chromium`` on the PATH; without them the test
skips with the reason. Nothing here downloads a browser.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from stationplan.service import create_app
from tests.ops.scenarios import MINI
from tests.service.conftest import TestClient, make_settings
from tests.service.world import PASSWORD, World, build

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
TIMEOUT_MS = 20_000
RUN_TIMEOUT_S = 40.0
VIEWPORT = {"width": 1200, "height": 860}
RUN_STATE_JS = """() => {
  const status = document.getElementById('run-status');
  const fraction = document.getElementById('run-fraction');
  const step = document.getElementById('run-step');
  return {
    status: status ? status.dataset.status : null,
    text: fraction && step ? `${fraction.textContent} ${step.textContent}` : null,
  };
}"""


@dataclass
class Server:
    """A running server and its world."""

    url: str
    world: World
    database: Path


@contextmanager
def throttled_writes(database: Path, hold_s: float = 1.5, gap_s: float = 0.2) -> Iterator[None]:
    """Hold SQLite's write lock ``hold_s`` out of every ``hold_s + gap_s`` seconds, so that a
    run (under a second for MINI) stores its progress in steps a page polling every second
    can see. Readers are not held up (WAL); writers wait, within their busy timeout."""
    stop = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(database, timeout=30, isolation_level=None)
        try:
            while not stop.is_set():
                conn.execute("BEGIN IMMEDIATE")
                stop.wait(hold_s)
                conn.execute("COMMIT")
                time.sleep(gap_s)
        finally:
            conn.close()

    thread = threading.Thread(target=hold, name="write-throttle", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


@dataclass
class Shots:
    """Where the screenshots go, and which were taken."""

    folder: Path
    taken: list[Path] = field(default_factory=list)

    def take(self, page: Any, name: str) -> None:
        """A full-page screenshot of ``page`` as ``NN-name.png``."""
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """uvicorn serving the app in a background thread; the world built in its database."""
    folder = tmp_path_factory.mktemp("browser-service")
    settings = make_settings(
        f"sqlite:///{folder / 'service.db'}", folder / "data", warm_workers=True
    )
    app = create_app(settings)
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", build(TestClient(app)), folder / "service.db")
    finally:
        uv.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Shots:
    """The screenshot folder (``STATIONPLAN_SCREENSHOTS`` or the session's temporary one)."""
    named = os.environ.get("STATIONPLAN_SCREENSHOTS")
    folder = Path(named) if named else tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of the pages: {folder}")
    return Shots(folder)


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    """Headless Chromium (the system's; skipped with the reason when absent)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="the playwright Python package is not installed (no `playwright install` "
        "needed: the test uses the system Chromium)",
    )
    chromium = shutil.which("chromium")
    if chromium is None:
        reason = "no chromium on the PATH (apt install chromium); this test never downloads one"
        print(f"\nskipping the browser test: {reason}")
        pytest.skip(reason)
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class Person:
    """One user in a browser context of their own, recording JavaScript and CSP errors."""

    def __init__(self, browser: Any, server: Server, name: str) -> None:
        self.base = server.url
        self.context = browser.new_context(viewport=VIEWPORT, base_url=server.url)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("console", self._console)
        self.name = name

    def _console(self, msg: Any) -> None:
        # A 4xx answer the test asks for is logged as "Failed to load resource"; anything
        # else (a script error, a Content-Security-Policy violation) is a fault.
        if msg.type == "error" and "Failed to load resource" not in msg.text:
            self.errors.append(f"console: {msg.text}")

    def goto(self, path: str) -> Any:
        """Open ``path``; the response."""
        return self.page.goto(self.base + path)

    def sign_in(self, password: str = PASSWORD) -> None:
        """Sign in through the login page."""
        self.goto("/login")
        self.page.fill("input[name=name]", self.name)
        self.page.fill("input[name=password]", password)
        self.page.click("button[type=submit]")


def _programme(page: Any) -> str:
    found = re.search(r"/programmes/(\d+)", page.url)
    assert found, page.url
    return found.group(1)


def _follow_run(person: Person, shot: Callable[[], None] | None = None) -> list[str]:
    """Watch a run page until the run ends (the page reloads); the progress texts seen.
    ``shot`` is called once, when the run is first seen running past 0 %."""
    from playwright.sync_api import Error as PlaywrightError  # the browser fixture checked it

    page = person.page
    seen: list[str] = []
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        try:  # one read of the page; it may be reloading
            state = page.evaluate(RUN_STATE_JS)
        except PlaywrightError:
            state = None
        if state is not None:
            status, text = state["status"], state["text"]
            if status in ("succeeded", "failed"):
                return seen
            if text and (not seen or seen[-1] != text):
                seen.append(text)
                if shot is not None and status == "running" and not text.startswith("0 %"):
                    shot()
                    shot = None
        time.sleep(0.1)
    raise AssertionError(f"the run did not end in {RUN_TIMEOUT_S} s; progress seen: {seen}")


def test_two_partners_in_the_browser(
    browser: Any, server: Server, shots: Shots, tmp_path: Path
) -> None:
    started = time.monotonic()
    a = Person(browser, server, "member")  # partner AAA
    b = Person(browser, server, "bbb")  # partner BBB

    # Signing in: a wrong password is answered on the page, then both sign in.
    b.sign_in("wrong password")
    b.page.wait_for_selector("#login-error:not([hidden])")
    assert "wrong name or password" in b.page.inner_text("#login-error").lower()
    shots.take(b.page, "login-failed")
    b.sign_in()
    b.page.wait_for_url(re.compile(r"/programmes/\d+$"))
    a.sign_in()
    a.page.wait_for_url(re.compile(r"/programmes/\d+$"))
    prog = _programme(a.page)
    assert a.page.locator("h2", has_text="Baseline").is_visible()

    # A's upload: a broken scenario lists its problems as the command line does, MINI is
    # stored as a new version.
    a.goto(f"/programmes/{prog}/versions")
    a.page.fill("textarea[name=text]", "programme:\n  name: Broken\n")
    a.page.click("form[enctype] button[type=submit]")
    problems = a.page.inner_text("#problems").splitlines()
    assert problems and all(re.match(r"scenario\.yaml:\d+ \S+: ", p) for p in problems), problems
    assert any("stations: required field is missing" in p for p in problems), problems
    shots.take(a.page, "upload-problems")
    scenario = tmp_path / "mini.yaml"
    scenario.write_text(MINI.replace("altitude_km: 415", "altitude_km: 418"), encoding="utf-8")
    a.page.set_input_files("input[type=file]", str(scenario))
    a.page.fill("textarea[name=text]", "")
    a.page.fill("input[name=message]", "MINI uploaded from the browser")
    a.page.click("form[enctype] button[type=submit]")
    a.page.wait_for_url(re.compile(r"/versions/\d+$"))
    uploaded = a.page.url.rsplit("/", 1)[1]
    assert "stored" in a.page.inner_text(".flash.ok")
    a.page.select_option("select[name=against]", str(server.world.versions[f"base{prog}"]))
    assert uploaded != str(server.world.versions[f"base{prog}"])
    a.page.click("form.inline button:has-text('Compare')")
    a.page.wait_for_url(re.compile(r"against="))
    assert "altitude_km" in a.page.inner_text("#field-diff")
    assert "+      altitude_km: 418" in a.page.inner_text("pre.diff")
    shots.take(a.page, "version-diff")

    # A's draft: a withdrawal, invisible to B in the list and at its own address.
    a.goto(f"/programmes/{prog}/proposals")
    a.page.fill("#new-proposal input[name=title]", "AAA withdraws in February")
    a.page.select_option("#new-proposal select[name=kind]", "withdraw")
    a.page.fill("#new-proposal textarea[name=payload]", "date_utc: 2025-02-20")
    a.page.click("#new-proposal button[type=submit]")
    a.page.wait_for_url(re.compile(r"/proposals/\d+$"))
    draft_url = a.page.url.removeprefix(server.url)
    assert "draft" in a.page.inner_text("h1").lower()
    assert "withdraw_utc" in a.page.inner_text("#proposal-diff")
    shots.take(a.page, "proposal-draft")

    b.goto(f"/programmes/{prog}/proposals")
    assert "AAA withdraws in February" not in b.page.inner_text("main")
    shots.take(b.page, "proposals-of-bbb-without-the-draft")
    response = b.goto(draft_url)
    assert response.status == 404
    shots.take(b.page, "draft-of-aaa-is-404-for-bbb")
    b.goto(f"/programmes/{prog}")
    assert "AAA withdraws in February" not in b.page.inner_text("main")

    # A form posted without the CSRF token is refused.
    refused = a.page.request.post(f"{server.url}{draft_url}/submit")
    assert refused.status == 403

    # A submits; B now sees it.
    a.page.click("#submit-proposal")
    a.page.wait_for_selector(".flash.ok")
    assert "submitted" in a.page.inner_text("h1").lower()
    b.goto(f"/programmes/{prog}/proposals")
    assert "AAA withdraws in February" in b.page.inner_text("#proposals")
    assert b.goto(draft_url).status == 200
    shots.take(b.page, "proposal-submitted-seen-by-bbb")

    # B drafts and submits a proposal of its own, so the dashboard lists one per partner.
    b.goto(f"/programmes/{prog}/proposals")
    b.page.fill("#new-proposal input[name=title]", "BBB crew of two")
    b.page.select_option("#new-proposal select[name=kind]", "crew")
    b.page.fill("#new-proposal textarea[name=payload]", "crew: 2")
    b.page.click("#new-proposal button[type=submit]")
    b.page.wait_for_url(re.compile(r"/proposals/\d+$"))
    b.page.click("#submit-proposal")
    b.page.wait_for_selector(".flash.ok")

    # A runs the baseline: progress changes, then the report opens embedded.
    a.goto(f"/programmes/{prog}/runs")
    baseline = str(server.world.versions[f"base{prog}"])
    assert a.page.locator("#start-run select[name=version_id]").input_value() == baseline
    with throttled_writes(server.database):
        a.page.click("#start-run button[type=submit]")
        a.page.wait_for_url(re.compile(r"/runs/\d+$"))
        progress = _follow_run(a, lambda: shots.take(a.page, "run-in-progress"))
    percents = [int(text.split(" %")[0]) for text in progress]
    assert len(progress) >= 2 and any(0 < pc < 100 for pc in percents), progress
    assert percents == sorted(percents), progress
    print(f"progress seen on the run page: {progress}")
    assert a.page.locator("#run-status").get_attribute("data-status") == "succeeded"
    report = a.page.frame_locator("#report")
    assert report.locator("header h1").inner_text() == "Mini Programme"
    assert report.locator("h2", has_text="Summary").is_visible()
    assert a.page.locator("a", has_text="plan.json").is_visible()
    shots.take(a.page, "run-report")

    # The what-if of the proposal, compared side by side.
    a.goto(draft_url)
    a.page.click("#start-whatif")
    a.page.wait_for_url(re.compile(r"/runs/\d+$"))
    _follow_run(a)
    a.page.click("#comparison-link")
    assert a.page.inner_text("h1").startswith("What-if: AAA withdraws on 2025-02-20")
    assert a.page.locator("h2", has_text="Partners").is_visible()
    assert a.page.locator("h2", has_text="Baseline and variant").is_visible()
    shots.take(a.page, "whatif-comparison")

    # A's ledger (of the baseline's run): AAA's rows only.
    a.goto(f"/programmes/{prog}/ledger")
    partners = a.page.locator("#ledger tr td:first-child").all_inner_texts()
    assert partners and set(partners) == {"AAA"}, partners
    assert set(a.page.locator("#finance tr td:first-child").all_inner_texts()) == {"AAA"}
    assert "BBB" not in a.page.inner_text("main")
    shots.take(a.page, "ledger-of-aaa")

    # A failed run shows its error.
    failed = server.world.run("own", status="failed")
    a.goto(f"/runs/{failed}")
    assert "The run failed" in a.page.inner_text("#run-error")
    assert a.page.locator("#report").count() == 0
    shots.take(a.page, "run-failed")

    # The dashboards: baseline, open proposals per partner, last runs.
    a.goto(f"/programmes/{prog}")
    main = a.page.inner_text("main")
    assert "AAA withdraws in February" in main and "BBB crew of two" in main
    assert a.page.locator(".badge.succeeded").count() >= 2
    shots.take(a.page, "dashboard")
    b.goto(f"/programmes/{prog}")
    shots.take(b.page, "dashboard-of-bbb")

    # Signing out ends the session.
    a.page.click("header button:has-text('Sign out')")
    a.page.wait_for_url(re.compile(r"/login$"))
    shots.take(a.page, "signed-out")
    assert a.goto(f"/programmes/{prog}").url.startswith(server.url + "/login?next=")

    assert a.errors == [] and b.errors == [], a.errors + b.errors
    a.context.close()
    b.context.close()
    print(f"browser test: {time.monotonic() - started:.1f} s, {len(shots.taken)} screenshots")


def _signed_in(client: TestClient, name: str) -> str:
    """Sign ``name`` in through the login form; the CSRF token of the pages."""
    r = client.post("/login", data={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    assert found, r.text
    return found.group(1)


def test_pages_resolve_merge_conflicts_one_by_one(client: TestClient) -> None:
    """Without a browser: the administrator accepts two crew proposals of AAA through the
    pages; the second conflicts with the first, is shown side by side and resolved with a
    typed value. An observer's form is refused (403), another programme's proposal is 404."""
    w = build(client)
    ids = []
    for crew in (3, 1):
        r = client.post(
            f"/api/v1/programmes/{w.p1}/proposals",
            json={"kind": "crew", "title": f"AAA crew of {crew}", "payload": {"crew": crew}},
            headers=w.auth("member"),
        )
        ids.append(r.json()["id"])
        client.post(f"/api/v1/proposals/{ids[-1]}/submit", headers=w.auth("member"))
    first, second = ids

    csrf = _signed_in(client, "observer")
    r = client.post(f"/proposals/{first}/accept", data={"csrf_token": csrf})
    assert r.status_code == 403 and "administrator" in r.text
    other = w.proposal("other_programme", state="submitted")
    assert client.get(f"/proposals/{other}").status_code == 404

    csrf = _signed_in(client, "admin")
    assert client.post(f"/proposals/{first}/accept", data={}).status_code == 403  # no token
    incomplete = client.post(f"/proposals/{first}/resolve", data={"csrf_token": csrf})
    assert incomplete.status_code == 422 and "field: Field required" in incomplete.text
    r = client.post(f"/proposals/{first}/accept", data={"csrf_token": csrf})
    assert r.status_code == 200 and "Accepted: version" in r.text
    r = client.post(f"/proposals/{second}/accept", data={"csrf_token": csrf})
    assert r.status_code == 200 and "Merge conflicts" in r.text
    row = re.search(r"<code>crew\.crew_per_partner\.AAA</code>.*?</tr>", r.text, re.S)
    assert row, r.text
    assert re.findall(r"<td><code>(\d+)</code></td>", row.group(0)) == ["2", "3", "1"]
    r = client.post(
        f"/proposals/{second}/resolve",
        data={
            "csrf_token": csrf,
            "field": "crew.crew_per_partner.AAA",
            "choice": "value",
            "value": "2",
        },
    )
    assert r.status_code == 200 and "Accepted: version" in r.text, r.text
    baseline = client.get(f"/api/v1/programmes/{w.p1}/baseline", headers=w.auth("admin")).json()
    text = client.get(f"/api/v1/versions/{baseline['version_id']}", headers=w.auth("admin"))
    assert "AAA: 2" in text.json()["text"]
