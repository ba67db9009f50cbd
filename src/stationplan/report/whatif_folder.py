"""The output folder of a what-if: the comparison, both plans and one HTML page side by side."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from stationplan.plan.whatif import Change, Progress, WhatIfComparison, WhatIfResult, run_whatif
from stationplan.report.output import output_folder
from stationplan.scenario.loader import load_scenario

COMPARISON_FILE = "whatif.json"
PAGE_FILE = "whatif.html"
BASELINE_FILE = "baseline.json"
VARIANT_FILE = "variant.json"


def render_whatif(comparison: WhatIfComparison) -> str:
    """The what-if page (HTML text, no script)."""
    env = Environment(
        loader=PackageLoader("stationplan.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("whatif.html.j2").render(c=comparison)


def write_whatif_folder(folder: Path, result: WhatIfResult) -> list[str]:
    """Write the comparison (JSON and HTML) and both plans (JSON) into ``folder``."""
    c = result.comparison
    (folder / COMPARISON_FILE).write_text(c.model_dump_json(indent=2) + "\n", encoding="utf-8")
    (folder / PAGE_FILE).write_text(render_whatif(c), encoding="utf-8")
    (folder / BASELINE_FILE).write_text(
        result.baseline.plan.model_dump_json(indent=2) + "\n", encoding="utf-8"
    )
    (folder / VARIANT_FILE).write_text(
        result.variant.plan.model_dump_json(indent=2) + "\n", encoding="utf-8"
    )
    return [COMPARISON_FILE, PAGE_FILE, BASELINE_FILE, VARIANT_FILE]


@dataclass(frozen=True)
class WhatIfSummary:
    """What a what-if wrote and its headline."""

    folder: str
    files: list[str]
    headline: list[str]
    crew_kept_alive: bool
    seconds: float


def whatif_to_folder(
    scenario: Path | None,
    change: Change,
    out: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> WhatIfSummary:
    """Plan ``scenario`` and its variant under ``change`` and write the comparison to ``out``
    (checked before the work, written only when everything succeeded)."""
    started = time.perf_counter()
    with output_folder(out, force=force, label="out") as staging:
        loaded = load_scenario(scenario)
        result = run_whatif(loaded, change, progress=progress)
        written = write_whatif_folder(staging, result)
    c = result.comparison
    return WhatIfSummary(
        folder=str(out),
        files=written,
        headline=c.headline,
        crew_kept_alive=c.crew_kept_alive,
        seconds=time.perf_counter() - started,
    )
