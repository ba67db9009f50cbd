"""Conjunction commands: ``stationplan screen`` (close approaches of a primary in a catalog)
and ``stationplan pc`` (probability of collision of given conjunctions)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stationplan.cli.common import OutputOption, app, destination, err, handled, warn_all
from stationplan.ops.choices import PcFormat, PcMethod, ScreenFormat, TableFormat

if TYPE_CHECKING:
    from stationplan.ops.collision import PcResult
    from stationplan.ops.conjunctions import ScreenAnswer

JSON_KEYS = ("file", "pc", "method", "miss_m", "rel_speed_m_s", "hbr_m", "repair")


def _number(x: float) -> float | None:
    return x if math.isfinite(x) else None


def pc_json(results: list[PcResult]) -> str:
    """A JSON array with one object per file: ``file, pc, method, miss_m, rel_speed_m_s,
    hbr_m, repair`` (m, m/s; repair null when nothing was repaired)."""
    rows = []
    for r in results:
        row = asdict(r)
        rows.append(
            {k: _number(row[k]) if isinstance(row[k], float) else row[k] for k in JSON_KEYS}
        )
    return json.dumps(rows, indent=1) + "\n"


def pc_table(results: list[PcResult]) -> str:
    """A plain-text table, one line per file; repairs listed below it."""
    head = (
        f"{'Pc':>12}  {'method':<11}  {'miss (m)':>10}  {'v_rel (m/s)':>11}  {'HBR (m)':>7}  file"
    )
    lines = [head]
    for r in results:
        mark = " *" if r.repair else ""
        lines.append(
            f"{r.pc:12.4e}  {r.method:<11}  {r.miss_m:10.1f}  {r.rel_speed_m_s:11.1f}  "
            f"{r.hbr_m:7.2f}  {r.file}{mark}"
        )
    for r in results:
        if r.repair:
            lines.append(f"* {r.file}: covariance repaired: {r.repair}")
    return "\n".join(lines) + "\n"


@app.command("pc")
def pc_command(
    files: Annotated[
        list[Path], typer.Argument(help="CCSDS CDM files (KVN or XML) or conjunction JSON files.")
    ],
    hbr_m: Annotated[
        float | None,
        typer.Option(
            "--hbr-m", help="Hard-body radius (m); default: the CDM's 'COMMENT HBR' line."
        ),
    ] = None,
    method: Annotated[PcMethod, typer.Option("--method", help="Pc method.")] = PcMethod.foster,
    fmt: Annotated[PcFormat, typer.Option("--format", help="Output format.")] = PcFormat.table,
    output: OutputOption = None,
) -> None:
    """Probability of collision of each conjunction, recomputed (a Pc in the file is ignored).

    2-D Pc at the true TCA (the states moved to where the range-rate is zero): Foster &
    Estes 1992 (numerical integration) or Chan 1997 (series). A covariance that is not
    positive definite is repaired by eigenvalue clipping and the repair is reported.
    """
    from stationplan.ops.collision import PcRequest, collision_probabilities
    from stationplan.ops.requests import make_request

    with handled({"files": "FILE"}), destination(output) as emit:
        req = make_request(PcRequest, {"files": files, "hbr_m": hbr_m, "method": method})
        results = collision_probabilities(req)
        for r in results:
            if r.repair:
                err().print(f"warning: {r.file}: covariance repaired: {r.repair}", markup=False)
        emit(pc_json(results) if fmt is PcFormat.json else pc_table(results))


@app.command("screen")
def screen_command(
    catalog: Annotated[Path, typer.Option("--catalog", help="Catalog: TLE/3LE or OMM file.")],
    primary: Annotated[
        str | None, typer.Option("--primary", help="Catalog number or name of the primary.")
    ] = None,
    primary_elements: Annotated[
        Path | None,
        typer.Option("--primary-elements", help="Element file of the primary (first object)."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", help="Start, UTC ISO 8601 (default: the primary's epoch)."),
    ] = None,
    days: Annotated[float, typer.Option("--days", help="Span (days).")] = 7.0,
    threshold_km: Annotated[
        float, typer.Option("--threshold-km", help="Report approaches closer than this (km).")
    ] = 5.0,
    hbr_m: Annotated[
        float, typer.Option("--hbr-m", help="Combined hard-body radius for the Pc (m).")
    ] = 20.0,
    all_vs_all: Annotated[
        bool, typer.Option("--all-vs-all", help="Screen every pair of the catalog (k-d tree).")
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (default: in this process)."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="A bad record in a file is fatal (default: skip).")
    ] = False,
    fmt: Annotated[
        ScreenFormat,
        typer.Option(
            "--format",
            help="Output format: a JSON or CSV table, or one CCSDS CDM (KVN) per approach.",
        ),
    ] = ScreenFormat.json,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            help="Output file; with --format cdm a folder of CDM files (default: standard "
            "output, CDMs separated by a blank line).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="With --format cdm: write into a non-empty folder that holds no stationplan "
            "output (nothing in it is deleted).",
        ),
    ] = False,
) -> None:
    """Screen a primary against a catalog: every approach closer than the threshold, with TCA,
    miss distance (radial / in-track / cross-track), relative speed and a Pc from assumed
    element-set covariances. A scan with a proven bound: no approach under the threshold is
    missed. With --all-vs-all, every pair of the catalog (give --start). Corrupt catalog
    records are skipped and counted (fatal with --strict); objects that decay in the span are
    left out with the reason. With --format cdm, one CCSDS Conjunction Data Message (CCSDS
    508.0-B-1, KVN) per approach, named <primary>_<secondary>_<TCA yyyymmddThhmmss>.cdm in
    the -o folder: states in GCRF, assumed element-set covariances in RTN, the HBR as a
    comment; `stationplan pc` reads them back."""
    from stationplan.ops.conjunctions import ScreenRequest, screen_catalog
    from stationplan.ops.requests import make_request

    labels = {
        "start_utc": "--start",
        "primary_elements": "--primary-elements",
        "threshold_km": "--threshold-km",
        "hbr_m": "--hbr-m",
        "all_vs_all": "--all-vs-all",
    }
    with handled(labels), _screen_destination(output, fmt, force) as emit:
        req = make_request(
            ScreenRequest,
            {
                "catalog": catalog,
                "primary": primary,
                "primary_elements": primary_elements,
                "start_utc": start,
                "days": days,
                "threshold_km": threshold_km,
                "hbr_m": hbr_m,
                "all_vs_all": all_vs_all,
                "scheduler": scheduler,
                "strict": strict,
            },
        )
        answer = screen_catalog(req)
        warn_all(answer.notes, answer.skipped)
        stats = answer.stats
        err().print(
            f"{stats.catalog} objects, {stats.after_band_filter} past the apogee/perigee filter, "
            f"{stats.intervals_kept} intervals checked, {stats.events} approaches under "
            f"{req.threshold_km:g} km ({answer.start_utc:%Y-%m-%d %H:%M} to "
            f"{answer.end_utc:%Y-%m-%d %H:%M} UTC)"
        )
        emit(answer)


@contextmanager
def _screen_destination(
    output: str | None, fmt: ScreenFormat, force: bool
) -> Iterator[Callable[[ScreenAnswer], None]]:
    """Where the screening goes, checked before the work: a table to standard output or the
    ``-o`` file; the CDMs to standard output, or with ``-o`` one CDM file per approach in a
    folder written whole or not at all (:func:`~stationplan.report.output.output_folder`)."""
    from stationplan.report.cdm import cdm_file_name, cdm_kvn, cdm_stream
    from stationplan.report.output import output_folder
    from stationplan.report.tables import conjunctions_text

    created = datetime.now(UTC)
    if output is None or fmt is not ScreenFormat.cdm:
        with destination(output) as emit_text:

            def text(answer: ScreenAnswer) -> None:
                if fmt is ScreenFormat.cdm:
                    emit_text(cdm_stream(answer.rows, created))
                else:
                    emit_text(conjunctions_text(answer, TableFormat(fmt.value)))

            yield text
        return
    with output_folder(output, force=force, label="output") as staging:

        def write(answer: ScreenAnswer) -> None:
            names: set[str] = set()
            for row in answer.rows:
                name = cdm_file_name(row)
                stem, k = name.removesuffix(".cdm"), 2
                while name in names:
                    name, k = f"{stem}_{k}.cdm", k + 1
                names.add(name)
                (staging / name).write_text(cdm_kvn(row, created), encoding="utf-8")
            err().print(f"{len(answer.rows)} CDM file(s) written to {output}")

        yield write
