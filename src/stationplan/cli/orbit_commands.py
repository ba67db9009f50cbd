"""Commands on an element file: propagate, events, windows, lifetime."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stationplan.cli.common import OutputOption, app, destination, err, handled, warn_all
from stationplan.ops.choices import (
    EphemerisFormat,
    EventKind,
    Frame,
    PropagationModel,
    RendezvousProfile,
    TableFormat,
)

ElementsOption = Annotated[Path, typer.Option("--elements", help="TLE/3LE or OMM file.")]
ObjectOption = Annotated[str | None, typer.Option("--object", help="Catalog number or name.")]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="A bad record in the file is fatal (default: skip).")
]
F107Option = Annotated[
    float | None,
    typer.Option("--f107", help="Constant F10.7 (sfu); default 150. Not with --space-weather."),
]
ApOption = Annotated[
    float | None,
    typer.Option("--ap", help="Constant daily Ap; default 15. Not with --space-weather."),
]
WeatherOption = Annotated[
    Path | None,
    typer.Option("--space-weather", help="CelesTrak CSV or CSSI space-weather file."),
]
SPAN_LABELS = {"start_utc": "--start", "end_utc": "--end"}


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
    model: Annotated[
        PropagationModel, typer.Option("--model", help="Propagation model.")
    ] = PropagationModel.sgp4,
    fmt: Annotated[
        EphemerisFormat, typer.Option("--format", help="Output format.")
    ] = EphemerisFormat.csv,
    output: OutputOption = None,
    f107: F107Option = None,
    ap: ApOption = None,
    space_weather: WeatherOption = None,
    strict: StrictOption = False,
) -> None:
    """Propagate one object's element set and write its ephemeris.

    The numerical model starts from the SGP4 state at the element epoch and takes the drag
    ballistic coefficient from B* (C_D A / m = 2 B* / rho0, Vallado eq. 9-42).
    """
    from stationplan.ops.ephemeris import PropagateRequest, propagate
    from stationplan.ops.requests import make_request
    from stationplan.report.tables import ephemeris_text

    labels = {**SPAN_LABELS, "step_s": "--step", "object_id": "--object", "elements_file": "FILE"}
    with handled(labels), destination(output) as emit:
        req = make_request(
            PropagateRequest,
            {
                "elements_file": elements_file,
                "start_utc": start,
                "end_utc": end,
                "step_s": step,
                "object_id": object_id,
                "frame": frame,
                "model": model,
                "format": fmt,
                "f107": f107,
                "ap": ap,
                "space_weather": space_weather,
                "strict": strict,
            },
        )
        answer = propagate(req)
        warn_all(answer.notes, answer.skipped)
        emit(ephemeris_text(answer, fmt))


@app.command("events")
def events_command(
    elements_file: Annotated[Path, typer.Argument(help="TLE/3LE or OMM file.")],
    start: Annotated[str, typer.Option("--start", help="Start, UTC ISO 8601.")],
    end: Annotated[str, typer.Option("--end", help="End, UTC ISO 8601.")],
    kind: Annotated[EventKind, typer.Option("--kind", help="Which events.")],
    object_id: ObjectOption = None,
    station: Annotated[
        str | None, typer.Option("--station", help="Ground site LAT,LON[,ALT_M] for contacts.")
    ] = None,
    min_elevation: Annotated[
        float, typer.Option("--min-elevation", help="Elevation mask (deg).")
    ] = 0.0,
    strict: StrictOption = False,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.json,
    output: OutputOption = None,
) -> None:
    """Find eclipse, ground-contact or node-crossing events; write them as JSON or CSV.

    Eclipses: one record per pass through the shadow. Times: ISO 8601 UTC, Z, to the ms.
    """
    from stationplan.ops.events import EventsRequest, find_events
    from stationplan.ops.requests import make_request
    from stationplan.report.tables import events_text

    labels = {**SPAN_LABELS, "min_elevation_deg": "--min-elevation", "object_id": "--object"}
    with handled(labels), destination(output) as emit:
        req = make_request(
            EventsRequest,
            {
                "elements_file": elements_file,
                "start_utc": start,
                "end_utc": end,
                "kind": kind,
                "object_id": object_id,
                "station": station,
                "min_elevation_deg": min_elevation,
                "strict": strict,
            },
        )
        answer = find_events(req)
        warn_all(answer.notes, answer.skipped)
        emit(events_text(answer, fmt))


@app.command()
def windows(
    elements: ElementsOption,
    start: Annotated[str, typer.Option("--from", help="Start, UTC ISO 8601.")],
    end: Annotated[str, typer.Option("--to", help="End, UTC ISO 8601.")],
    vehicle: Annotated[
        str | None,
        typer.Option(
            "--vehicle",
            help="Vehicle of the scenario whose launch site, ascent, insertion altitude, "
            "rendezvous profile, dogleg and calibrated lead to use.",
        ),
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(
            "--site",
            help="Launch site name (the scenario's) or LAT,LON; default: the vehicle's first "
            "site. Without --vehicle a named site flies its first vehicle, a LAT,LON site "
            "assumed defaults (lead 0 s: lift-off at the plane crossing).",
        ),
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario", help="Scenario YAML file for --vehicle and --site; default: embedded."
        ),
    ] = None,
    object_id: ObjectOption = None,
    ascent_s: Annotated[
        float | None,
        typer.Option("--ascent-s", help="Lift-off to insertion (s); overrides the vehicle's."),
    ] = None,
    strategy: Annotated[
        RendezvousProfile | None, typer.Option("--strategy", help="Only this rendezvous profile.")
    ] = None,
    lead_s: Annotated[
        float | None,
        typer.Option(
            "--lead-s",
            help="Calibrated lift-off lead (s); default: the vehicle's launch_offset_s, "
            "else 0 (lift-off at the plane crossing).",
        ),
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.json,
    output: OutputOption = None,
) -> None:
    """Launch windows from a site to a station's plane, with phasing and docking per profile.

    Each value used (lead, ascent, insertion, profile, dogleg) is stated with its source.
    """
    from stationplan.ops.requests import make_request
    from stationplan.ops.windows import WindowsRequest, launch_windows
    from stationplan.report.tables import windows_text

    labels = {
        "start_utc": "--from",
        "end_utc": "--to",
        "elements_file": "--elements",
        "object_id": "--object",
    }
    with handled(labels), destination(output) as emit:
        req = make_request(
            WindowsRequest,
            {
                "elements_file": elements,
                "object_id": object_id,
                "scenario": scenario,
                "vehicle": vehicle,
                "site": site,
                "start_utc": start,
                "end_utc": end,
                "ascent_s": ascent_s,
                "strategy": strategy,
                "lead_s": lead_s,
            },
        )
        answer = launch_windows(req)
        p = answer.profile
        shown = [
            ("ascent_s", f"ascent {p.ascent_s:g} s"),
            ("strategy", f"profile {p.strategy}"),
            ("insertion_altitude_km", f"insertion {p.insertion_altitude_km:g} km"),
            ("plane_change_deg", f"dogleg {p.plane_change_deg:g} deg"),
            ("lead_s", f"lead {p.lead_s:g} s"),
        ]
        by_source: dict[str, list[str]] = {}
        for name, text in shown:
            by_source.setdefault(answer.sources[name], []).append(text)
        err().print(
            f"{len(answer.records)} windows from {answer.site} to {answer.object_name}: "
            + "; ".join(f"{', '.join(texts)} ({source})" for source, texts in by_source.items()),
            markup=False,
        )
        warn_all(answer.notes)
        emit(windows_text(answer, fmt))


@app.command()
def lifetime(
    elements: ElementsOption,
    days: Annotated[float, typer.Option("--days", help="Span from the element epoch (days).")],
    object_id: ObjectOption = None,
    f107: F107Option = None,
    ap: ApOption = None,
    space_weather: WeatherOption = None,
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
        typer.Option(
            "--area-m2",
            help="Drag area (m^2); default fitted to the object's history in the file, "
            "else from B* and --mass-kg.",
        ),
    ] = None,
    fit_days: Annotated[
        float,
        typer.Option(
            "--fit-days",
            help="Longest reboost-free span of the element history the drag is fitted to (days).",
        ),
    ] = 30.0,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.json,
    output: OutputOption = None,
) -> None:
    """Mean-altitude history under drag: free decay, or held in --band by reboosts.

    Starts from the object's latest element set. The ballistic coefficient C_D A / m is, unless
    --area-m2 is given: fitted by least squares to the decay of the most recent reboost-free
    span (at most --fit-days) when the file holds the object's history, with the prediction
    repeated at -+1 sigma; else from the element set's B* (C_D A / m = 2 B* / rho0, Vallado
    eq. 9-42). Mean altitude = mean semi-major axis minus 6378.137 km, comparable with later
    element sets.
    """
    from stationplan.ops.lifetime import LifetimeRequest, lifetime
    from stationplan.ops.requests import make_request
    from stationplan.report.tables import lifetime_text

    labels = {"band_km": "--band", "elements_file": "--elements", "object_id": "--object"}
    with handled(labels), destination(output) as emit:
        req = make_request(
            LifetimeRequest,
            {
                "elements_file": elements,
                "object_id": object_id,
                "days": days,
                "f107": f107,
                "ap": ap,
                "space_weather": space_weather,
                "band_km": band,
                "mass_kg": mass_kg,
                "isp_s": isp_s,
                "thrust_n": thrust_n,
                "area_m2": area_m2,
                "fit_days": fit_days,
            },
        )
        answer = lifetime(req)
        fit, interval = answer.fit, answer.interval
        if fit is not None:
            err().print(
                f"C_D A/m {fit.ballistic_m2_kg:.4g} +- {fit.sigma_m2_kg:.2g} m^2/kg (1 sigma) "
                f"fitted to {fit.span_sets} element sets "
                f"{fit.span_start_utc:%Y-%m-%dT%H:%MZ} to {fit.span_end_utc:%Y-%m-%dT%H:%MZ} "
                f"(decay {fit.observed_decay_km:.2f} km observed, {fit.fitted_decay_km:.2f} km "
                f"fitted, residual RMS {1e3 * fit.residual_rms_km:.0f} m)"
            )
        if interval is not None and answer.mean_altitude_km.size:
            lo, hi = interval.mean_altitude_low_km[-1], interval.mean_altitude_high_km[-1]
            err().print(
                f"mean altitude {answer.sample_times_utc[-1]:%Y-%m-%d}: "
                f"{answer.mean_altitude_km[-1]:.2f} km ({lo:.2f} to {hi:.2f} km at C_D A/m "
                "+- 1 sigma)"
            )
        if answer.reentry_utc is not None:
            err().print(f"re-entry: {answer.reentry_utc:%Y-%m-%dT%H:%M:%SZ}")
        if interval is not None and (interval.reentry_early_utc or interval.reentry_late_utc):
            early, late = interval.reentry_early_utc, interval.reentry_late_utc
            err().print(
                "re-entry at -+1 sigma: "
                f"{f'{early:%Y-%m-%dT%H:%M:%SZ}' if early else 'after the span'} to "
                f"{f'{late:%Y-%m-%dT%H:%M:%SZ}' if late else 'after the span'}"
            )
        if answer.infeasible_reason is not None:
            err().print(f"infeasible: {answer.infeasible_reason}")
        warn_all(list(answer.notes))
        emit(lifetime_text(answer, fmt))
