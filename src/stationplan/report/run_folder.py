"""The files of a plan's output folder: plan.json, report.html, the manifest as CSV and
iCalendar, the partnership ledger as CSV, and per station its day of ephemeris as a CCSDS OEM
and a CZML document."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stationplan.ops.operations import DEFAULT_RISK_RUNS
from stationplan.plan import engine
from stationplan.plan.engine import RunResult
from stationplan.plan.model import Finding, Severity
from stationplan.report.ephemeris import ephemeris_czml, ephemeris_oem
from stationplan.report.html import render_report
from stationplan.report.ledger_files import ledger_csv
from stationplan.report.manifest_files import manifest_csv, manifest_ical
from stationplan.report.output import output_folder
from stationplan.scenario import LoadedScenario, load_scenario, parse_scenario

if TYPE_CHECKING:
    from stationplan.plan.whatif import Change

PLAN_FILE = "plan.json"
REPORT_FILE = "report.html"
MANIFEST_CSV = "manifest.csv"
MANIFEST_ICS = "manifest.ics"
LEDGER_CSV = "ledger.csv"


def file_stem(name: str) -> str:
    """A file name from a station name: letters, digits, '-' and '_' only.

    >>> file_stem("Unity Station")
    'Unity_Station'
    """
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in name.strip())
    return stem.strip("_") or "station"


def write_run_folder(folder: Path, result: RunResult) -> list[str]:
    """Write every output of ``result`` into ``folder``; return the file names written."""
    plan = result.plan
    written = [PLAN_FILE, REPORT_FILE]
    (folder / PLAN_FILE).write_text(plan.model_dump_json(indent=2) + "\n", encoding="utf-8")
    (folder / REPORT_FILE).write_text(render_report(plan), encoding="utf-8")
    if plan.operations is not None and plan.operations.manifest.flights:
        manifest = plan.operations.manifest
        (folder / MANIFEST_CSV).write_text(manifest_csv(manifest), encoding="utf-8")
        (folder / MANIFEST_ICS).write_text(
            manifest_ical(manifest, plan.programme.name), encoding="utf-8", newline=""
        )
        written += [MANIFEST_CSV, MANIFEST_ICS]
    if plan.partnership is not None and plan.partnership.ledger:
        (folder / LEDGER_CSV).write_text(ledger_csv(plan.partnership), encoding="utf-8")
        written.append(LEDGER_CSV)
    for eph in result.ephemerides:
        stem = file_stem(eph.name)
        oem = ephemeris_oem(
            eph.times_utc,
            eph.r_gcrs_km,
            eph.v_gcrs_km_s,
            object_name=eph.name,
            object_id=str(eph.catalog_number),
            ref_frame="GCRF",
        )
        czml = ephemeris_czml(
            eph.times_utc,
            eph.r_gcrs_km,
            ref_frame="GCRF",
            object_id=str(eph.catalog_number),
            object_name=eph.name,
        )
        (folder / f"{stem}.oem").write_text(oem, encoding="utf-8")
        (folder / f"{stem}.czml").write_text(czml, encoding="utf-8")
        written += [f"{stem}.oem", f"{stem}.czml"]
    return written


@dataclass(frozen=True)
class RunSummary:
    """What a run wrote, and what the user should know of the plan."""

    programme: str
    folder: str
    files: list[str]
    warnings: list[Finding]
    seconds: float


def _plan_into(
    out: str | Path,
    load: Callable[[], LoadedScenario],
    *,
    force: bool,
    say: Callable[[str], None],
    risk_runs: int | None,
) -> RunSummary:
    """Check ``out``, plan the scenario ``load`` returns, write its outputs staged beside
    ``out`` and rename them into place only when everything succeeded."""
    started = time.perf_counter()
    runs = DEFAULT_RISK_RUNS if risk_runs is None else risk_runs
    with output_folder(out, force=force, label="out") as staging:
        loaded = load()
        result = engine.run_scenario(loaded, progress=say, risk_runs=runs)
        say("writing report")
        written = write_run_folder(staging, result)
    plan = result.plan
    return RunSummary(
        programme=plan.programme.name,
        folder=str(out),
        files=written,
        warnings=[f for f in plan.findings if f.severity == Severity.WARNING],
        seconds=time.perf_counter() - started,
    )


def plan_to_folder(
    scenario: Path | None,
    out: str | Path,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> RunSummary:
    """Plan ``scenario`` (None: the embedded default) and write its outputs to ``out``.

    The folder is checked before the work (:func:`~stationplan.report.output.output_folder`)
    and written only when everything succeeded.
    """
    say = progress or (lambda _step: None)

    def load() -> LoadedScenario:
        say("loading scenario")
        return load_scenario(scenario)

    return _plan_into(out, load, force=force, say=say, risk_runs=None)


def plan_text_to_folder(
    text: str,
    source: str,
    out: str | Path,
    *,
    progress: Callable[[str], None] | None = None,
    risk_runs: int | None = None,
) -> RunSummary:
    """Plan scenario YAML ``text`` (``source`` names it in messages) and write its outputs to
    the new folder ``out``: staged beside it and renamed into place only when everything
    succeeded (as :func:`plan_to_folder`, for a scenario held as text by a service)."""
    say = progress or (lambda _step: None)

    def load() -> LoadedScenario:
        say("validating scenario")
        return parse_scenario(text, source, local_files=False)

    return _plan_into(out, load, force=False, say=say, risk_runs=risk_runs)


def whatif_text_to_folder(
    text: str,
    source: str,
    change: Change,
    out: str | Path,
    *,
    progress: Callable[[str], None] | None = None,
    risk_runs: int | None = None,
) -> list[str]:
    """Plan scenario YAML ``text`` and its variant under ``change`` and write the comparison
    (whatif.json, whatif.html, both plans) to the new folder ``out``, staged and renamed into
    place only on success; return the file names written."""
    from stationplan.plan.whatif import run_whatif
    from stationplan.report.whatif_folder import write_whatif_folder

    with output_folder(out, label="out") as staging:
        loaded = parse_scenario(text, source, local_files=False)
        if risk_runs is None:
            result = run_whatif(loaded, change, progress=progress)
        else:
            result = run_whatif(loaded, change, progress=progress, risk_runs=risk_runs)
        return write_whatif_folder(staging, result)
