"""The real report of the default scenario, and the report of hand-made operations with every
Operations chart (tests/report/ops_plan), opened in headless Chromium from a file:// URL.

One page load per plan: the page must raise no JavaScript error (console error or uncaught
exception), draw every plot, and ask for nothing outside the file (it must open offline).

Needs the ``playwright`` Python package and a Chromium already installed (Debian's
``/usr/bin/chromium``, or the path in ``STATIONPLAN_CHROMIUM``); without them the tests skip
with the reason. Nothing here downloads a browser.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from stationplan.report.html import render_report
from tests.conftest import default_run
from tests.report.ops_plan import rich_plan

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("STATIONPLAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOAD_TIMEOUT_MS = 15_000

PLOTS_JS = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd => {
  const box = gd.getBoundingClientRect();
  const title = gd.layout && gd.layout.title;
  return {
    title: (title && (title.text || title)) || gd.id,
    traces: (gd.data || []).length,
    drawn: gd.querySelectorAll('.main-svg g.trace').length,
    marks: gd.querySelectorAll('.main-svg g.trace path').length,
    width: box.width,
    height: box.height,
  };
})"""

ALL_PLOTTED_JS = """() => {
  const divs = Array.from(document.querySelectorAll('.plotly-graph-div'));
  return divs.length > 0 && divs.every(gd => gd._fullLayout && gd.querySelector('.main-svg'));
}"""


@dataclass
class PageVisit:
    """What the browser reported while it opened the report once."""

    plots_in_html: int
    errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    plots: list[dict[str, Any]] = field(default_factory=list)


def _chromium() -> Path:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(
            f"no Chromium at {CHROMIUM} (set STATIONPLAN_CHROMIUM to an installed one); "
            "this test never downloads a browser"
        )
    return CHROMIUM


PLANS = {
    "default scenario": lambda: default_run().plan,
    "hand-made operations": rich_plan,
}


@pytest.fixture(scope="module", params=list(PLANS))
def visit(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> PageVisit:
    """Render each plan's report once and open it once in Chromium."""
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="the playwright Python package is not installed (pip install playwright; "
        "no `playwright install` needed, the test uses the system Chromium)",
    )
    chromium = _chromium()
    folder = tmp_path_factory.mktemp("browser")
    html = render_report(PLANS[request.param]())
    report = folder / "report.html"
    report.write_text(html, encoding="utf-8")
    seen = PageVisit(plots_in_html=html.count('class="plotly-graph-div"'))

    def on_route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            seen.outside_requests.append(url)
            route.abort()

    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(folder / "profile"),  # a fresh user-data-dir
            executable_path=str(chromium),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            page = context.new_page()
            page.on(
                "console",
                lambda msg: (
                    seen.errors.append(f"console: {msg.text}") if msg.type == "error" else None
                ),
            )
            page.on("pageerror", lambda exc: seen.errors.append(f"pageerror: {exc}"))
            page.route("**/*", on_route)
            page.goto(report.as_uri(), wait_until="load", timeout=LOAD_TIMEOUT_MS)
            page.wait_for_function(ALL_PLOTTED_JS, timeout=LOAD_TIMEOUT_MS)
            seen.plots = page.evaluate(PLOTS_JS)
        finally:
            context.close()
    return seen


def test_report_has_no_javascript_error(visit: PageVisit) -> None:
    assert visit.errors == []


def test_report_opens_offline(visit: PageVisit) -> None:
    assert visit.outside_requests == []


def test_every_plot_is_drawn(visit: PageVisit) -> None:
    assert visit.plots_in_html > 0 and len(visit.plots) == visit.plots_in_html
    empty = [
        p["title"]
        for p in visit.plots
        if not (p["traces"] > 0 and p["drawn"] > 0 and p["marks"] > 0)
        or p["width"] <= 0
        or p["height"] <= 0
    ]
    assert empty == [], f"plots drawn empty: {empty}"
