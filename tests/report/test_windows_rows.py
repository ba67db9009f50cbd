"""The report's launch-window rows: each vehicle's lead (s), where the lead comes from and its
held-out check, from the scenario's vehicle through the plan to the page.

MINI is planned with its Ferry's lead marked fitted and checked (the figures are those of the
default scenario's Soyuz MS: 12 held-out flights, median 14.8 s, worst 50.2 s); its Freighter
keeps the default source, assumed, and no check. Operations are made by hand (as
tests/report/ops_plan.py) so no solver runs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from unittest import mock

from stationplan.plan import engine
from stationplan.plan.model import Plan
from stationplan.report.html import render_report
from tests.conftest import mutate
from tests.ops.scenarios import MINI, parse
from tests.report.ops_plan import _infeasible_operations, utc

REFERENCE = "Fit on 2000-2002 flights, check on 2003-2004 flights (test figures)"
CHECKED = (
    "    launch_offset_s: 162\n"
    "    launch_offset_source: fitted\n"
    "    launch_offset_check:\n"
    "      flights: 12\n"
    "      median_error_s: 14.8\n"
    "      worst_error_s: 50.2\n"
    f"      reference: {REFERENCE}\n"
    "  - name: Freighter\n"
)


@lru_cache(maxsize=1)
def _plan_json() -> str:
    text, _ = mutate(MINI, "    launch_offset_s: 162\n  - name: Freighter\n", CHECKED)
    with mock.patch.object(engine, "plan_operations", _infeasible_operations):
        plan = engine.run_scenario(parse(text), now_utc=utc(2025, 1, 1)).plan
    return plan.model_dump_json()


def _plan() -> Plan:
    return Plan.model_validate_json(_plan_json())


def _rows(page: str) -> dict[str, str]:
    """The launch-window table rows of the page, by vehicle."""
    section = page.split('<section id="windows">', 1)[1].split("</section>", 1)[0]
    rows = {}
    for row in section.split("<tr>")[2:]:  # [0] before the table, [1] the header
        vehicle = re.search(r"<td><b>(.*?)</b></td>", row)
        assert vehicle is not None, row
        rows[vehicle.group(1)] = row
    return rows


def test_plan_carries_each_vehicles_lead_source_and_check() -> None:
    ferry, freighter = _plan().launch_windows
    assert (ferry.vehicle, ferry.lead_s, ferry.lead_source) == ("Ferry", 162, "fitted")
    assert ferry.lead_check is not None
    assert (
        ferry.lead_check.flights,
        ferry.lead_check.median_error_s,
        ferry.lead_check.worst_error_s,
        ferry.lead_check.reference,
    ) == (12, 14.8, 50.2, REFERENCE)
    assert (freighter.lead_s, freighter.lead_source, freighter.lead_check) == (
        162,
        "assumed",
        None,
    )


def test_window_rows_show_lead_source_and_check() -> None:
    page = render_report(_plan())
    assert "<th>lead source</th><th>lead check (held-out flights)</th>" in page
    rows = _rows(page)
    assert set(rows) == {"Ferry", "Freighter"}
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in rows["Ferry"].split("</td>")]
    # vehicle, site, station, profile, lead s, lead source, lead check, ...
    assert cells[4:7] == ["162", "fitted", "12 flights: median 14.8 s, worst 50.2 s"]
    assert f'title="{REFERENCE}"' in rows["Ferry"]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in rows["Freighter"].split("</td>")]
    assert cells[4:7] == ["162", "assumed", "—"]
    assert f"Lead checks: Ferry: {REFERENCE}</p>" in page
