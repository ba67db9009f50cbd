"""The ``stationplan`` command line (Typer + Rich).

Exit codes: 0 success, 2 bad input (scenario, element set, arguments), 1 internal error.
Bad input never prints a Python traceback; set ``STATIONPLAN_DEBUG=1`` to see one for an
internal error.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from stationplan import __version__
from stationplan.errors import Problem, StationplanInputError
from stationplan.orbit.launch import Pad
from stationplan.report.ephemeris import RefFrame
from stationplan.scenario.models import LaunchSite, Vehicle

app = typer.Typer(
    name="stationplan",
    help="Plan and simulate a multinational orbital space station programme.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


@contextmanager
def _handled() -> Iterator[None]:
    """Map our bad-input errors to exit 2 and anything unexpected to exit 1, no traceback."""
    try:
        yield
    except StationplanInputError as exc:
        err = _err()
        for problem in exc.problems:
            err.print(f"[bold red]error:[/] {problem}", markup=True)
        if len(exc.problems) > 1:
            err.print(f"{len(exc.problems)} problems found.")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:  # an internal error: short message, exit 1
        if os.environ.get("STATIONPLAN_DEBUG"):
            raise
        _err().print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc}\n"
            "This is a bug in stationplan; run again with STATIONPLAN_DEBUG=1 for details.",
            markup=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


def _version(value: bool) -> None:
    if value:
        _out().print(f"stationplan {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Plan and simulate a multinational orbital space station programme."""


ScenarioArg = Annotated[
    Path | None,
    typer.Argument(
        help="Scenario YAML file; omit to use the embedded default scenario.",
        show_default=False,
    ),
]


@app.command()
def run(
    scenario: ScenarioArg = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder (replaced atomically).")
    ] = Path("out"),
) -> None:
    """Build the plan of a scenario and write plan.json and report.html to the output folder."""
    from stationplan.plan.engine import run_scenario
    from stationplan.report import atomic_directory, render_report
    from stationplan.report.ephemeris import ephemeris_czml, ephemeris_oem
    from stationplan.scenario import load_scenario

    with _handled():
        err = _err()
        started = time.perf_counter()
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress:
            task = progress.add_task("loading scenario", total=None)

            def step(name: str) -> None:
                progress.update(task, description=name)

            loaded = load_scenario(scenario)
            result = run_scenario(loaded, progress=step)
            plan = result.plan
            step("writing report")
            with atomic_directory(out) as tmp:
                (tmp / "plan.json").write_text(
                    plan.model_dump_json(indent=2) + "\n", encoding="utf-8"
                )
                (tmp / "report.html").write_text(render_report(plan), encoding="utf-8")
                for eph in result.ephemerides:
                    stem = _file_stem(eph.name)
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
                    (tmp / f"{stem}.oem").write_text(oem, encoding="utf-8")
                    (tmp / f"{stem}.czml").write_text(czml, encoding="utf-8")
        warnings = sum(1 for f in plan.findings if f.severity.value == "warning")
        err.print(
            f"{plan.programme.name}: plan written to {out}/ (plan.json, report.html, "
            f"{len(result.ephemerides)} OEM + CZML) in "
            f"{time.perf_counter() - started:.1f} s; {warnings} warning(s)"
        )


def _file_stem(name: str) -> str:
    """A file name from a station name: letters, digits, '-' and '_' only."""
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in name.strip())
    return stem.strip("_") or "station"


@app.command()
def validate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file to check.")],
) -> None:
    """Check a scenario file; exit 0 when valid, 2 with every problem listed when not."""
    from stationplan.scenario import load_scenario

    with _handled():
        loaded = load_scenario(scenario)
        sc = loaded.scenario
        _out().print(
            f"{scenario}: valid ({len(sc.stations)} station(s), {len(sc.partners)} partners, "
            f"{len(sc.vehicles)} vehicles)"
        )


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the new scenario file.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented copy of the default scenario to start your own."""
    from stationplan.report import write_text_atomic
    from stationplan.scenario import default_scenario_text

    with _handled():
        if path.exists() and not force:
            raise StationplanInputError(
                f"{path} already exists; choose another name or pass --force to overwrite it",
                source=str(path),
            )
        if path.exists() and path.is_dir():
            raise StationplanInputError("is a folder; expected a file name", source=str(path))
        write_text_atomic(path, default_scenario_text())
        _out().print(f"wrote {path}: edit it, then `stationplan validate {path}`")


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the scenario file's JSON Schema (for editor completion and validation)."""
    from stationplan.report import write_text_atomic
    from stationplan.scenario.schema import scenario_json_schema

    with _handled():
        text = json.dumps(scenario_json_schema(), indent=2) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(output, text)


def _parse_utc(text: str, option: str) -> datetime:
    """An aware UTC datetime from ISO 8601 text (a plain date is 00:00 UTC)."""
    from stationplan.errors import ArgumentError

    value = text.strip().replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ArgumentError(
            f"{option}: '{text}' is not an ISO 8601 UTC time; expected e.g. 2025-01-01T00:00:00Z",
            source="command line",
        ) from None
    if when.tzinfo is None:
        if len(value) == 10:
            return when.replace(tzinfo=UTC)
        raise ArgumentError(
            f"{option}: '{text}' has no time zone; add Z (UTC), e.g. {text}Z",
            source="command line",
        )
    return when.astimezone(UTC)


def _span(start: str, end: str) -> tuple[datetime, datetime]:
    from stationplan.errors import ArgumentError

    t0, t1 = _parse_utc(start, "--start"), _parse_utc(end, "--end")
    if t1 <= t0:
        raise ArgumentError(f"--end ({end}) must be after --start ({start})", source="command line")
    return t0, t1


class Frame(StrEnum):
    """Output frames of `propagate`."""

    teme = "teme"
    gcrs = "gcrs"
    itrs = "itrs"
    geodetic = "geodetic"


REF_FRAMES: dict[str, RefFrame] = {
    "teme": "TEME",
    "gcrs": "GCRF",
    "itrs": "ITRF",
    "geodetic": "ITRF",
}


class Model(StrEnum):
    """Propagation models."""

    sgp4 = "sgp4"
    numerical = "numerical"


class Format(StrEnum):
    """Output formats of `propagate`."""

    csv = "csv"
    json = "json"
    oem = "oem"
    czml = "czml"


class EventKind(StrEnum):
    """Event kinds of `events`."""

    eclipse = "eclipse"
    contact = "contact"
    node = "node"


@app.command()
def propagate(
    elements_file: Annotated[Path, typer.Argument(help="TLE/3LE or OMM (KVN, XML, JSON, CSV).")],
    start: Annotated[str, typer.Option("--start", help="Start, UTC ISO 8601.")],
    end: Annotated[str, typer.Option("--end", help="End, UTC ISO 8601.")],
    step: Annotated[float, typer.Option("--step", help="Step (s).")] = 60.0,
    object_id: Annotated[
        str | None, typer.Option("--object", help="Catalog number or name (default: first).")
    ] = None,
    frame: Annotated[Frame, typer.Option("--frame", help="Output frame.")] = Frame.teme,
    model: Annotated[Model, typer.Option("--model", help="Propagation model.")] = Model.sgp4,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.csv,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file.")] = None,
    f107: Annotated[
        float, typer.Option("--f107", help="Numerical model: constant F10.7 (sfu).")
    ] = 150.0,
    ap: Annotated[float, typer.Option("--ap", help="Numerical model: constant daily Ap.")] = 15.0,
    space_weather: Annotated[
        Path | None,
        typer.Option("--space-weather", help="Numerical model: CelesTrak/CSSI space-weather file."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="A bad record in the file is fatal (default: skip).")
    ] = False,
) -> None:
    """Propagate one object's element set and write its ephemeris.

    The numerical model starts from the SGP4 state at the element epoch and takes the drag
    ballistic coefficient from B* (C_D A / m = 2 B* / rho0, Vallado eq. 9-42).
    """
    import numpy as np

    from stationplan.errors import ArgumentError
    from stationplan.orbit import frames
    from stationplan.orbit.elements import find_object, read_elements
    from stationplan.orbit.propagate import propagate_sgp4
    from stationplan.orbit.timescale import iso_utc, time_grid, to_datetimes
    from stationplan.report import write_text_atomic
    from stationplan.report.ephemeris import ephemeris_csv, ephemeris_czml, ephemeris_oem

    with _handled():
        if not step > 0:
            raise ArgumentError(f"--step must be positive (got {step:g} s)", "command line")
        t0, t1 = _span(start, end)
        if (t1 - t0).total_seconds() / step > 5_000_000:
            raise ArgumentError(
                "--step is too small for the span: more than 5 million epochs", "command line"
            )
        result = read_elements(elements_file, strict=strict)
        _report_skipped(result.problems)
        el = find_object(result, object_id)
        t = time_grid(t0, t1, step)
        if model is Model.numerical:
            from stationplan.orbit.elements import RHO0_KG_M2_ER
            from stationplan.orbit.numerical import ForceModel, cowell_from_satrec
            from stationplan.orbit.spaceweather import SpaceWeather, read_space_weather

            weather = (
                read_space_weather(space_weather)
                if space_weather is not None
                else SpaceWeather.constant(f107, f107, ap)
            )
            area_per_kg = max(0.0, 2.0 * float(el.satrec.bstar) / RHO0_KG_M2_ER / 2.2)
            force = ForceModel(
                mass_kg=1.0,
                drag_area_m2=area_per_kg,
                srp_area_m2=area_per_kg,
                space_weather=weather,
            )
            cow = cowell_from_satrec(el.satrec, t, force)
            r, v = cow.r_teme_km, cow.v_teme_km_s
        else:
            res = propagate_sgp4(el, t)
            r, v = res.r_teme_km[0], res.v_teme_km_s[0]
            for i, reason in res.failures().items():
                _err().print(f"warning: SGP4 failed for object {i}: {reason}; rows are NaN")
        times = to_datetimes(t)
        ref: RefFrame = REF_FRAMES[frame.value]
        if frame is Frame.gcrs:
            r, v = frames.teme_to_gcrs(r, v, t)
        elif frame in (Frame.itrs, Frame.geodetic):
            r, v = frames.teme_to_itrs(r, v, t)
        if fmt is Format.csv:
            if frame is Frame.geodetic:
                g = frames.itrs_to_geodetic(r)
                text = ephemeris_csv(times, lat_deg=g.lat_deg, lon_deg=g.lon_deg, alt_km=g.alt_km)
            else:
                text = ephemeris_csv(times, r_km=r, v_km_s=v)
        elif fmt is Format.json:
            rows: list[dict[str, object]] = []
            if frame is Frame.geodetic:
                g = frames.itrs_to_geodetic(r)
                for s, la, lo, al in zip(iso_utc(t), g.lat_deg, g.lon_deg, g.alt_km, strict=True):
                    rows.append(
                        {
                            "time_utc": s,
                            "lat_deg": _num(la),
                            "lon_deg": _num(lo),
                            "alt_km": _num(al),
                        }
                    )
            else:
                for s, rr, vv in zip(iso_utc(t), r, v, strict=True):
                    rows.append(
                        {
                            "time_utc": s,
                            **dict(
                                zip(
                                    ["x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s"],
                                    [_num(x) for x in np.concatenate([rr, vv])],
                                    strict=True,
                                )
                            ),
                        }
                    )
            text = (
                json.dumps(
                    {
                        "object": el.name,
                        "catalog_number": el.catalog_number,
                        "frame": frame.value,
                        "model": model.value,
                        "states": rows,
                    }
                )
                + "\n"
            )
        elif fmt is Format.oem:
            if frame is Frame.geodetic:
                raise ArgumentError(
                    "OEM holds Cartesian states: use --frame teme, gcrs or itrs", "command line"
                )
            text = ephemeris_oem(
                times, r, v, object_name=el.name, object_id=str(el.catalog_number), ref_frame=ref
            )
        else:
            if frame not in (Frame.gcrs, Frame.itrs):
                raise ArgumentError(
                    "CZML needs --frame gcrs (inertial) or itrs (fixed)", "command line"
                )
            text = ephemeris_czml(
                times,
                r,
                ref_frame=ref,
                object_id=str(el.catalog_number),
                object_name=el.name,
            )
        if output is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(output, text)


def _report_skipped(problems: list[Problem]) -> None:
    """Tell how many bad records were skipped, with the first few."""
    if not problems:
        return
    err = _err()
    for problem in problems[:5]:
        err.print(f"warning: skipped {problem}")
    if len(problems) > 5:
        err.print(
            f"warning: {len(problems)} bad records skipped in all (--strict makes them fatal)"
        )


def _num(x: float) -> float | None:
    import math

    return None if math.isnan(float(x)) else round(float(x), 9)


def _site(text: str) -> tuple[float, float, float]:
    from stationplan.errors import ArgumentError

    parts = text.split(",")
    try:
        lat, lon = float(parts[0]), float(parts[1])
        alt = float(parts[2]) if len(parts) > 2 else 0.0
    except (ValueError, IndexError):
        raise ArgumentError(
            f"--station: '{text}' is not LAT,LON[,ALT_M]; expected e.g. 45.92,63.34,100",
            "command line",
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 360) or len(parts) > 3:
        raise ArgumentError(
            f"--station: '{text}': latitude must be within -90..90 and longitude -180..360",
            "command line",
        )
    return lat, lon, alt


@app.command("events")
def events_command(
    elements_file: Annotated[Path, typer.Argument(help="TLE/3LE or OMM file.")],
    start: Annotated[str, typer.Option("--start", help="Start, UTC ISO 8601.")],
    end: Annotated[str, typer.Option("--end", help="End, UTC ISO 8601.")],
    kind: Annotated[EventKind, typer.Option("--kind", help="Which events.")],
    object_id: Annotated[
        str | None, typer.Option("--object", help="Catalog number or name.")
    ] = None,
    station: Annotated[
        str | None, typer.Option("--station", help="Ground site LAT,LON[,ALT_M] for contacts.")
    ] = None,
    min_elevation: Annotated[
        float, typer.Option("--min-elevation", help="Elevation mask (deg).")
    ] = 0.0,
    strict: Annotated[
        bool, typer.Option("--strict", help="A bad record in the file is fatal (default: skip).")
    ] = False,
) -> None:
    """Find eclipse, ground-contact or node-crossing events; print them as JSON."""
    from stationplan.errors import ArgumentError
    from stationplan.orbit import events as ev
    from stationplan.orbit.elements import find_object, read_elements
    from stationplan.orbit.propagate import sgp4_trajectory
    from stationplan.orbit.timescale import as_time

    with _handled():
        t0, t1 = _span(start, end)
        if (t1 - t0).days > 366:
            raise ArgumentError("the span is limited to 366 days", "command line")
        if not 0 <= min_elevation < 90:
            raise ArgumentError(
                f"--min-elevation must be within 0..90 deg (got {min_elevation:g})",
                "command line",
            )
        result = read_elements(elements_file, strict=strict)
        _report_skipped(result.problems)
        el = find_object(result, object_id)

        state = sgp4_trajectory(el)
        a, b = as_time(t0), as_time(t1)
        found: list[dict[str, object]]
        if kind is EventKind.eclipse:
            found = [e.as_dict() for e in ev.eclipses(state, a, b)]
        elif kind is EventKind.node:
            found = [e.as_dict() for e in ev.node_crossings(state, a, b)]
        else:
            if station is None:
                raise ArgumentError(
                    "--kind contact needs --station LAT,LON[,ALT_M]", "command line"
                )
            lat, lon, alt = _site(station)
            found = ev.contacts(state, a, b, lat, lon, alt, min_elevation)
        sys.stdout.write(json.dumps(found, indent=1, default=float) + "\n")


def _named_site(text: str) -> tuple[Pad, LaunchSite | None, Vehicle | None]:
    """A launch site by name (default scenario's, case-insensitive prefix) or LAT,LON[,ALT_M].

    Returns the orbit-layer pad and, for a named site, the scenario site and its first vehicle.
    """
    from stationplan.errors import ArgumentError
    from stationplan.ops.windows import pad_of
    from stationplan.scenario import load_scenario

    if any(c.isdigit() for c in text.split(",")[0]) and "," in text:
        lat, lon, alt = _site(text.replace("--station", "--site"))
        return Pad(lat, lon, alt), None, None
    sc = load_scenario().scenario
    matches = [s for s in sc.launch_sites if s.name.lower().startswith(text.strip().lower())]
    if len(matches) != 1:
        names = ", ".join(s.name for s in sc.launch_sites)
        raise ArgumentError(
            f"--site: '{text}' names no single launch site; known: {names}; or give LAT,LON",
            "command line",
        )
    site = matches[0]
    vehicle = next((v for v in sc.vehicles if site.name in v.launch_sites), None)
    return pad_of(site), site, vehicle


class Strategy(StrEnum):
    """Rendezvous profiles."""

    two_orbit = "2orbit"
    four_orbit = "4orbit"
    one_day = "1day"
    two_day = "2day"
    three_day = "3day"


class TableFormat(StrEnum):
    """Tabular output formats."""

    json = "json"
    csv = "csv"


@app.command()
def windows(
    elements: Annotated[Path, typer.Option("--elements", help="Station TLE/3LE or OMM file.")],
    site: Annotated[
        str, typer.Option("--site", help="Launch site name (default scenario's) or LAT,LON.")
    ],
    start: Annotated[str, typer.Option("--from", help="Start, UTC ISO 8601.")],
    end: Annotated[str, typer.Option("--to", help="End, UTC ISO 8601.")],
    object_id: Annotated[
        str | None, typer.Option("--object", help="Catalog number or name.")
    ] = None,
    ascent_s: Annotated[
        float | None, typer.Option("--ascent-s", help="Lift-off to insertion (s).")
    ] = None,
    strategy: Annotated[
        Strategy | None, typer.Option("--strategy", help="Only this rendezvous profile.")
    ] = None,
    lead_s: Annotated[
        float | None,
        typer.Option(
            "--lead-s",
            help="Calibrated lift-off lead (s); default: the named site's "
            "first vehicle's (Soyuz MS at Baikonur: 162 s), else 0.",
        ),
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.json,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file.")] = None,
) -> None:
    """Launch windows from a site to a station's plane, with phasing and docking per profile."""
    import csv
    import io

    from stationplan.errors import ArgumentError
    from stationplan.orbit.elements import find_object, read_elements, summarize
    from stationplan.orbit.launch import AscentProfile, windows_with_phasing
    from stationplan.orbit.propagate import sgp4_trajectory
    from stationplan.orbit.rendezvous import STRATEGIES
    from stationplan.orbit.timescale import as_time
    from stationplan.report import write_text_atomic

    with _handled():
        t0, t1 = _span(start, end)
        if (t1 - t0).days > 3660:
            raise ArgumentError("the span is limited to ten years", "command line")
        pad, site_model, vehicle = _named_site(site)
        ranges = None
        if site_model is not None:
            ranges = [(r.min_deg, r.max_deg) for r in site_model.allowed_azimuths_deg]
        el = find_object(read_elements(elements), object_id)
        summary = summarize(el)
        if summary.inclination_deg < abs(pad.lat_deg):
            raise ArgumentError(
                f"--site: latitude {pad.lat_deg:g} deg exceeds the orbit's inclination "
                f"{summary.inclination_deg:.2f} deg: the plane never passes over this site, "
                "so there is no direct-ascent window",
                "command line",
            )
        profile = AscentProfile(
            ascent_s=ascent_s
            if ascent_s is not None
            else (vehicle.ascent_duration_s if vehicle is not None else 528.0),
            strategy=strategy.value
            if strategy is not None
            else (vehicle.rendezvous_strategy.value if vehicle is not None else "2day"),
            insertion_altitude_km=vehicle.insertion_altitude_km if vehicle is not None else 220.0,
            plane_change_deg=vehicle.plane_change_deg if vehicle is not None else 0.0,
            lead_s=lead_s
            if lead_s is not None
            else (vehicle.launch_offset_s if vehicle is not None else 0.0),
        )
        if profile.ascent_s <= 0:
            raise ArgumentError("--ascent-s must be positive", "command line")
        names = (strategy.value,) if strategy is not None else tuple(STRATEGIES)
        records = [
            r.as_dict()
            for r in windows_with_phasing(
                sgp4_trajectory(el),
                pad,
                as_time(t0),
                as_time(t1),
                profile,
                summary.mean_altitude_km,
                summary.inclination_deg,
                ranges,
                names,
            )
        ]
        if fmt is TableFormat.json:
            text = json.dumps(records, indent=1) + "\n"
        else:
            buf = io.StringIO()
            head = [
                "launch_utc",
                "plane_crossing_utc",
                "window_opens_utc",
                "window_closes_utc",
                "azimuth_deg",
                "pass",
                "phase_angle_deg",
            ]
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(head + [f"{n}_{c}" for n in names for c in ("docking_utc", "dv_m_s")])
            for rec in records:
                strategies = rec["strategies"]
                assert isinstance(strategies, dict)
                row = [rec[h] for h in head]
                for n in names:
                    got = strategies.get(n)
                    row += [got["docking_utc"], got["dv_m_s"]] if got else ["", ""]
                writer.writerow(row)
            text = buf.getvalue()
        if output is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(output, text)


def _band(text: str) -> tuple[float, float]:
    from stationplan.errors import ArgumentError

    try:
        lo, hi = (float(x) for x in text.split(","))
    except ValueError:
        raise ArgumentError(
            f"--band: '{text}' is not MIN_KM,MAX_KM; expected e.g. 400,420", "command line"
        ) from None
    if not 150 <= lo < hi <= 2000:
        raise ArgumentError(
            f"--band: {lo:g},{hi:g} must satisfy 150 <= MIN < MAX <= 2000 km", "command line"
        )
    return lo, hi


@app.command()
def lifetime(
    elements: Annotated[Path, typer.Option("--elements", help="TLE/3LE or OMM file.")],
    days: Annotated[float, typer.Option("--days", help="Span from the element epoch (days).")],
    object_id: Annotated[
        str | None, typer.Option("--object", help="Catalog number or name.")
    ] = None,
    f107: Annotated[float, typer.Option("--f107", help="Constant F10.7 (sfu).")] = 150.0,
    ap: Annotated[float, typer.Option("--ap", help="Constant daily Ap.")] = 15.0,
    space_weather: Annotated[
        Path | None,
        typer.Option("--space-weather", help="CelesTrak CSV or CSSI space-weather file."),
    ] = None,
    band: Annotated[
        str | None, typer.Option("--band", help="Altitude band MIN_KM,MAX_KM to hold by reboosts.")
    ] = None,
    mass_kg: Annotated[float | None, typer.Option("--mass-kg", help="Mass (kg).")] = None,
    isp_s: Annotated[float | None, typer.Option("--isp-s", help="Reboost engine Isp (s).")] = None,
    thrust_n: Annotated[
        float,
        typer.Option("--thrust-n", help="Reboost thrust (N); default a Progress main engine."),
    ] = 2950.0,
    area_m2: Annotated[
        float | None,
        typer.Option("--area-m2", help="Drag area (m^2); default from B* and --mass-kg."),
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.json,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file.")] = None,
) -> None:
    """Mean-altitude history under drag: free decay, or held in --band by reboosts.

    The ballistic coefficient comes from the element set's B* (C_D A / m = 2 B* / rho0,
    Vallado eq. 9-42) unless --area-m2 is given. Mean altitude = mean semi-major axis minus
    6378.137 km, comparable with later element sets.
    """
    import csv
    import io
    from datetime import timedelta

    import numpy as np

    from stationplan.errors import ArgumentError
    from stationplan.orbit.decay import DecayModel, DragBody, propagate_decay
    from stationplan.orbit.elements import RHO0_KG_M2_ER, find_object, read_elements, summarize
    from stationplan.orbit.reboost import plan_altitude_keeping
    from stationplan.orbit.spaceweather import SpaceWeather, read_space_weather
    from stationplan.orbit.timescale import iso_utc, timescale
    from stationplan.report import write_text_atomic

    with _handled():
        if not 0 < days <= 36600:
            raise ArgumentError(f"--days must be within 0..36600 (got {days:g})", "command line")
        if not 50 <= f107 <= 400 or not 0 <= ap <= 400:
            raise ArgumentError(
                "--f107 must be within 50..400 sfu and --ap within 0..400", "command line"
            )
        limits = _band(band) if band is not None else None
        if limits is not None and (mass_kg is None or isp_s is None):
            raise ArgumentError(
                "--band needs --mass-kg and --isp-s (the reboost propellant depends on them)",
                "command line",
            )
        for name, value in (
            ("--mass-kg", mass_kg),
            ("--isp-s", isp_s),
            ("--area-m2", area_m2),
            ("--thrust-n", thrust_n),
        ):
            if value is not None and not value > 0:
                raise ArgumentError(f"{name} must be positive (got {value:g})", "command line")
        el = find_object(read_elements(elements), object_id)
        summary = summarize(el)
        mass = mass_kg if mass_kg is not None else 1000.0
        if area_m2 is None:
            if el.satrec.bstar <= 0:
                raise ArgumentError(
                    f"the element set's B* is {el.satrec.bstar:g}: no drag area can be inferred; "
                    "give --area-m2 (and --mass-kg)",
                    "command line",
                )
            area = 2.0 * float(el.satrec.bstar) / RHO0_KG_M2_ER / 2.2 * mass
        else:
            area = area_m2
        weather = (
            read_space_weather(space_weather)
            if space_weather is not None
            else SpaceWeather.constant(f107, f107, ap)
        )
        model = DecayModel(summary.inclination_deg, DragBody(mass, area, 2.2), weather)
        start = summary.epoch_utc
        end = start + timedelta(days=days)
        reboosts: list[dict[str, object]] = []
        extra: dict[str, object] = {}
        if limits is None:
            hist = propagate_decay(model, start, end, summary.mean_altitude_km, summary.raan_deg)
            if hist.end_reason == "reentry" and hist.stopped_at_s is not None:
                extra["reentry_utc"] = iso_utc(
                    timescale().tt_jd(hist.epoch.tt + hist.stopped_at_s / 86400.0)
                )[0]
        else:
            assert isp_s is not None
            keep = plan_altitude_keeping(
                model,
                start,
                end,
                limits,
                isp_s=isp_s,
                thrust_n=thrust_n,
                initial_altitude_km=summary.mean_altitude_km,
                raan_deg=summary.raan_deg,
            )
            hist = keep.history
            reboosts = [
                {
                    "time_utc": r.time_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "dv_m_s": round(r.dv_m_s, 4),
                    "propellant_kg": round(r.propellant_kg, 3),
                    "burn_s": round(r.burn_s, 1),
                }
                for r in keep.reboosts
            ]
            if keep.infeasible_reason:
                extra["infeasible_reason"] = keep.infeasible_reason
        n = int(np.floor(hist.days[-1])) + 1 if len(hist.days) else 0
        day_s = np.arange(n) * 86400.0
        alt = hist.altitude_at_km(day_s)
        stamps = iso_utc(timescale().tt_jd(hist.epoch.tt + day_s / 86400.0)) if n else []
        rows = [
            {"time_utc": t, "mean_altitude_km": round(float(a), 4)}
            for t, a in zip(stamps, alt, strict=True)
            if not np.isnan(a)
        ]
        if fmt is TableFormat.csv:
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(["time_utc", "mean_altitude_km"])
            writer.writerows([[r["time_utc"], r["mean_altitude_km"]] for r in rows])
            text = buf.getvalue()
        else:
            text = json.dumps({"altitude": rows, "reboosts": reboosts, **extra}, indent=1) + "\n"
        for key in ("infeasible_reason", "reentry_utc"):
            if key in extra:
                _err().print(f"{key.replace('_', ' ')}: {extra[key]}")
        if output is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(output, text)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
