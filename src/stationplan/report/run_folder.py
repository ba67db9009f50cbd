"""The files of a plan's output folder: plan.json, report.html, and per station its day of
ephemeris as a CCSDS OEM and a CZML document."""

from __future__ import annotations

from pathlib import Path

from stationplan.plan.engine import RunResult
from stationplan.report.ephemeris import ephemeris_czml, ephemeris_oem
from stationplan.report.html import render_report

PLAN_FILE = "plan.json"
REPORT_FILE = "report.html"


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
