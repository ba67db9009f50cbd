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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from stationplan import __version__
from stationplan.errors import Problem, StationplanInputError
from stationplan.orbit.launch import Pad
from stationplan.report.ephemeris import RefFrame
from stationplan.scenario.models import LaunchSite, Vehicle

if TYPE_CHECKING:
    from pydantic import BaseModel

    from stationplan.orbit.elements import ElementSet
    from stationplan.orbit.spaceweather import SpaceWeather

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


@contextmanager
def _destination(output: str | None) -> Iterator[Callable[[str], object]]:
    """Where a command's text goes: standard output, or the file of ``-o`` checked before the
    work and written atomically after it."""
    from stationplan.report import output_file

    if output is None:
        yield sys.stdout.write
        return
    with output_file(output, label="--output") as staged:
        yield staged.write_text


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
        str,
        typer.Option(
            "--out",
            "-o",
            help="Output folder: new, empty, or holding a previous stationplan output "
            "(replaced as a whole; files you added are kept).",
        ),
    ] = "out",
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a non-empty folder that holds no stationplan output "
            "(only this run's files are written; nothing is deleted).",
        ),
    ] = False,
) -> None:
    """Build the plan of a scenario and write plan.json, report.html, OEM and CZML files."""
    from stationplan.plan.engine import run_scenario
    from stationplan.report import output_folder
    from stationplan.report.run_folder import write_run_folder
    from stationplan.scenario import load_scenario

    with _handled():
        err = _err()
        started = time.perf_counter()
        with (
            output_folder(out, force=force, label="--out") as staging,
            Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
                disable=not err.is_terminal,
            ) as progress,
        ):
            task = progress.add_task("loading scenario", total=None)

            def step(name: str) -> None:
                progress.update(task, description=name)

            loaded = load_scenario(scenario)
            result = run_scenario(loaded, progress=step)
            step("writing report")
            written = write_run_folder(staging, result)
        plan = result.plan
        warnings = [f for f in plan.findings if f.severity.value == "warning"]
        err.print(
            f"{plan.programme.name}: plan written to {out}/ ({', '.join(written)}) in "
            f"{time.perf_counter() - started:.1f} s; {len(warnings)} warning(s)"
            + "".join(f"\n  warning: {f.topic}: {f.message}" for f in warnings)
        )


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
    path: Annotated[str, typer.Argument(help="Where to write the new scenario file.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented copy of the default scenario to start your own."""
    from stationplan.report import write_text_atomic
    from stationplan.scenario import default_scenario_text

    with _handled():
        if Path(path).is_file() and not force:
            raise StationplanInputError(
                f"{path} already exists; choose another name or pass --force to overwrite it",
                source=str(path),
            )
        write_text_atomic(path, default_scenario_text(), label="PATH")
        _out().print(f"wrote {path}: edit it, then `stationplan validate {path}`")


@app.command()
def schema(
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the scenario file's JSON Schema (for editor completion and validation)."""
    from stationplan.scenario.schema import scenario_json_schema

    with _handled(), _destination(output) as emit:
        text = json.dumps(scenario_json_schema(), indent=2) + "\n"
        emit(text)


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
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Output file (default: standard output).")
    ] = None,
    f107: Annotated[
        float | None,
        typer.Option("--f107", help="Numerical model: constant F10.7 (sfu); default 150."),
    ] = None,
    ap: Annotated[
        float | None, typer.Option("--ap", help="Numerical model: constant daily Ap; default 15.")
    ] = None,
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
    from stationplan.report.ephemeris import ephemeris_csv, ephemeris_czml, ephemeris_oem

    with _handled(), _destination(output) as emit:
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

            weather = _weather(f107, ap, space_weather)
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
            for reason in res.failures().values():
                _err().print(
                    f"warning: SGP4 failed for object {el.catalog_number} ({el.name}): {reason}; "
                    "the rows where it failed are empty (NaN)"
                )
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
        emit(text)


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


def _site(text: str, option: str) -> tuple[float, float, float]:
    from stationplan.errors import ArgumentError

    parts = text.split(",")
    try:
        lat, lon = float(parts[0]), float(parts[1])
        alt = float(parts[2]) if len(parts) > 2 else 0.0
    except (ValueError, IndexError):
        raise ArgumentError(
            f"{option}: '{text}' is not LAT,LON[,ALT_M]; expected e.g. 45.92,63.34,100",
            "command line",
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 360 and -500 <= alt <= 9000) or len(parts) > 3:
        raise ArgumentError(
            f"{option}: '{text}': latitude must be within -90..90, longitude -180..360 and "
            "the height -500..9000 m",
            "command line",
        )
    return lat, lon, alt


def _within_field(option: str, value: float, model: type[BaseModel], name: str) -> None:
    """Check an option against the bounds of the scenario field it stands for (one rule)."""
    from pydantic import TypeAdapter, ValidationError

    from stationplan.errors import ArgumentError

    info = model.model_fields[name]
    try:
        TypeAdapter(Annotated[float, *info.metadata]).validate_python(value)
    except ValidationError as exc:
        what = exc.errors()[0]["msg"].replace("Input should be", "must be")
        raise ArgumentError(
            f"{option}: {what} (got {value:g}), as the scenario's {model.__name__.lower()}s.{name}",
            "command line",
        ) from None


def _until_sgp4_limit(el: ElementSet, t0: datetime, t1: datetime, what: str) -> datetime:
    """``t1``, or the instant SGP4 stops propagating ``el`` if that comes first (with a
    warning); bad input when it fails before ``t0``."""
    from stationplan.errors import ArgumentError
    from stationplan.orbit.propagate import sgp4_limit
    from stationplan.orbit.timescale import as_time, timescale

    limit = sgp4_limit(el, as_time(t0), as_time(t1))
    if limit is None:
        return t1
    when: datetime = timescale().tt_jd(limit.jd_tt).utc_datetime()
    if (when - t0).total_seconds() < 1.0:
        raise ArgumentError(
            f"object {el.catalog_number} ({el.name}) cannot be propagated at {t0:%Y-%m-%d %H:%M} "
            f"UTC (SGP4: {limit.reason}); no {what} can be computed",
            "command line",
        )
    _err().print(
        f"warning: object {el.catalog_number} ({el.name}) stops propagating at "
        f"{when:%Y-%m-%dT%H:%M:%SZ} (SGP4: {limit.reason}); {what} end there"
    )
    return when


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
            lat, lon, alt = _site(station, "--station")
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
        lat, lon, alt = _site(text, "--site")
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
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Output file (default: standard output).")
    ] = None,
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

    with _handled(), _destination(output) as emit:
        t0, t1 = _span(start, end)
        if (t1 - t0).days > 3660:
            raise ArgumentError("the span is limited to ten years", "command line")
        pad, site_model, vehicle = _named_site(site)
        ranges = None
        if site_model is not None:
            ranges = [(r.min_deg, r.max_deg) for r in site_model.allowed_azimuths_deg]
        el = find_object(read_elements(elements), object_id)
        summary = summarize(el)
        t1 = _until_sgp4_limit(el, t0, t1, "windows")
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
        _within_field("--ascent-s", profile.ascent_s, Vehicle, "ascent_duration_s")
        _within_field("--lead-s", profile.lead_s, Vehicle, "launch_offset_s")
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
                "window_width_s",
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
        emit(text)


def _weather(f107: float | None, ap: float | None, space_weather: Path | None) -> SpaceWeather:
    """Solar activity from either a space-weather file or constants (default F10.7 150, Ap 15),
    bounded as the scenario's space_weather fields are."""
    from stationplan.errors import ArgumentError
    from stationplan.orbit.spaceweather import SpaceWeather, read_space_weather
    from stationplan.scenario.models import SpaceWeatherEntry

    if space_weather is not None:
        given = [name for name, v in (("--f107", f107), ("--ap", ap)) if v is not None]
        if given:
            raise ArgumentError(
                f"{' and '.join(given)} and --space-weather are alternatives: the file gives "
                "the daily values; drop one",
                "command line",
            )
        return read_space_weather(space_weather)
    f107 = 150.0 if f107 is None else f107
    ap = 15.0 if ap is None else ap
    _within_field("--f107", f107, SpaceWeatherEntry, "f107_sfu")
    _within_field("--ap", ap, SpaceWeatherEntry, "ap")
    return SpaceWeather.constant(f107, f107, ap)


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
    f107: Annotated[
        float | None,
        typer.Option("--f107", help="Constant F10.7 (sfu); default 150. Not with --space-weather."),
    ] = None,
    ap: Annotated[
        float | None,
        typer.Option("--ap", help="Constant daily Ap; default 15. Not with --space-weather."),
    ] = None,
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
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Output file (default: standard output).")
    ] = None,
) -> None:
    """Mean-altitude history under drag: free decay, or held in --band by reboosts.

    The ballistic coefficient comes from the element set's B* (C_D A / m = 2 B* / rho0,
    Vallado eq. 9-42) unless --area-m2 is given. Mean altitude = mean semi-major axis minus
    6378.137 km, comparable with later element sets.
    """
    from datetime import timedelta

    import numpy as np

    from stationplan.errors import ArgumentError
    from stationplan.orbit.decay import DecayModel, DragBody, propagate_decay
    from stationplan.orbit.elements import RHO0_KG_M2_ER, find_object, read_elements, summarize
    from stationplan.orbit.reboost import plan_altitude_keeping
    from stationplan.orbit.timescale import iso_utc, timescale
    from stationplan.scenario.fields import utc_iso

    with _handled(), _destination(output) as emit:
        if not 0 < days <= 36600:
            raise ArgumentError(f"--days must be within 0..36600 (got {days:g})", "command line")
        weather = _weather(f107, ap, space_weather)
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
                    "time_utc": utc_iso(r.time_utc),
                    "dv_m_s": round(r.dv_m_s, 4),
                    "propellant_kg": round(r.propellant_kg, 3),
                    "burn_s": round(r.burn_s, 1),
                    "altitude_before_km": round(r.altitude_before_km, 4),
                    "altitude_after_km": round(r.altitude_after_km, 4),
                }
                for r in keep.reboosts
            ]
            if keep.infeasible_reason:
                extra["infeasible_reason"] = keep.infeasible_reason
                if keep.infeasible_at_utc is not None:
                    extra["infeasible_at_utc"] = utc_iso(keep.infeasible_at_utc)
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
            text = _lifetime_csv(rows, reboosts, extra)
        else:
            text = json.dumps({"altitude": rows, "reboosts": reboosts, **extra}, indent=1) + "\n"
        for key in ("infeasible_reason", "reentry_utc"):
            if key in extra:
                _err().print(f"{key.replace('_', ' ')}: {extra[key]}")
        emit(text)


LIFETIME_CSV_COLUMNS = [
    "time_utc",
    "kind",
    "mean_altitude_km",
    "altitude_after_km",
    "dv_m_s",
    "propellant_kg",
    "burn_s",
    "note",
]


def _lifetime_csv(
    rows: list[dict[str, object]], reboosts: list[dict[str, object]], extra: dict[str, object]
) -> str:
    """One time-ordered table: daily altitude samples, reboosts, and the re-entry or the end
    of a band that cannot be held (``kind`` says which)."""
    import csv
    import io

    table: list[dict[str, object]] = [{**r, "kind": "altitude"} for r in rows]
    for r in reboosts:
        table.append(
            {
                **r,
                "kind": "reboost",
                "mean_altitude_km": r["altitude_before_km"],
            }
        )
    if "reentry_utc" in extra:
        table.append({"time_utc": extra["reentry_utc"], "kind": "reentry"})
    if "infeasible_reason" in extra:
        table.append(
            {
                "time_utc": extra.get("infeasible_at_utc", ""),
                "kind": "band_not_held",
                "note": extra["infeasible_reason"],
            }
        )
    table.sort(key=lambda r: str(r["time_utc"]))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, LIFETIME_CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buf.getvalue()


def _terminated(signum: int, _frame: object) -> None:
    """SIGTERM ends the command like Ctrl-C does: staged outputs are removed on the way out."""
    raise SystemExit(128 + signum)


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
