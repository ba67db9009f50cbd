"""Tables of the use cases' answers as JSON and CSV text.

Every time is ISO 8601 UTC with ``Z`` to the millisecond (:func:`utc_iso`), every number
carries its unit in its column name, NaN is written as JSON ``null`` / an empty CSV field.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from stationplan.ops.choices import EphemerisFormat, EventKind, Frame, TableFormat
from stationplan.ops.conjunctions import ConjunctionRow, ScreenAnswer
from stationplan.ops.ephemeris import EphemerisAnswer
from stationplan.ops.events import Contact, EclipsePassUtc, EventRecord, EventsAnswer
from stationplan.ops.lifetime import LifetimeAnswer
from stationplan.ops.windows import WindowsAnswer

if TYPE_CHECKING:
    from stationplan.orbit.launch import WindowRecord
from stationplan.report.ephemeris import RefFrame, ephemeris_csv, ephemeris_czml, ephemeris_oem
from stationplan.scenario.fields import utc_iso

REF_FRAMES: dict[Frame, RefFrame] = {
    Frame.teme: "TEME",
    Frame.gcrs: "GCRF",
    Frame.itrs: "ITRF",
    Frame.geodetic: "ITRF",
}


def _num(x: float, decimals: int = 9) -> float | None:
    return None if math.isnan(float(x)) else round(float(x), decimals)


def _csv(columns: Sequence[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _json(data: object) -> str:
    return json.dumps(data, indent=1) + "\n"


# --------------------------------------------------------------------------- windows


def window_row(record: WindowRecord) -> dict[str, Any]:
    """One window as a JSON object: its times, azimuth, phase and the profiles it allows."""
    w = record.window
    strategies = {
        o.strategy: {"docking_utc": utc_iso(record.docking_utc(o)), "dv_m_s": round(o.dv_m_s, 1)}
        for o in record.feasible
    }
    instantaneous = w.width_s <= 0
    return {
        "launch_utc": utc_iso(w.launch_utc),
        "plane_crossing_utc": utc_iso(w.plane_crossing_utc),
        "window_width_s": round(w.width_s, 1),
        "window_opens_utc": None if instantaneous else utc_iso(w.opens_utc),
        "window_closes_utc": None if instantaneous else utc_iso(w.closes_utc),
        "azimuth_deg": round(w.azimuth_deg, 3),
        "pass": "ascending" if w.ascending else "descending",
        "phase_angle_deg": round(record.phase_angle_deg, 2),
        "nodal_offset_deg": round(w.nodal_offset_deg, 4),
        "strategies": strategies,
        "no_strategy": not strategies,
    }


WINDOW_COLUMNS = [
    "launch_utc",
    "plane_crossing_utc",
    "window_width_s",
    "window_opens_utc",
    "window_closes_utc",
    "azimuth_deg",
    "pass",
    "phase_angle_deg",
]


BASIS_COLUMNS = {
    "lead_s": ("lead_s", "lead_source"),
    "ascent_s": ("ascent_s", "ascent_source"),
    "insertion_altitude_km": ("insertion_altitude_km", "insertion_altitude_source"),
    "strategy": ("rendezvous_strategy", "rendezvous_strategy_source"),
    "plane_change_deg": ("plane_change_deg", "plane_change_source"),
}
"""The value and source columns of each value the windows rest on (by its name in
``WindowsAnswer.profile``); a source is ``vehicle NAME``, ``given`` or ``default-assumed``."""


def windows_basis(answer: WindowsAnswer) -> dict[str, Any]:
    """What every window of ``answer`` rests on, as columns: each profile value with its
    source (``lead_s``, ``lead_source``, ...) and ``lead_warning``, the warning of a lead of
    0 s nothing calibrated (None without one)."""
    out: dict[str, Any] = {}
    for name, (value_column, source_column) in BASIS_COLUMNS.items():
        out[value_column] = getattr(answer.profile, name)
        out[source_column] = answer.sources[name]
    out["lead_warning"] = answer.lead_warning
    return out


def windows_text(answer: WindowsAnswer, fmt: TableFormat) -> str:
    """The windows as a JSON list of :func:`window_row` objects, or a CSV table with two
    columns per profile (docking time and delta-v, empty where the phase does not allow it).
    Every row also states the values the windows rest on and their sources
    (:func:`windows_basis`)."""
    basis = windows_basis(answer)
    rows = [window_row(r) | basis for r in answer.records]
    if fmt is TableFormat.json:
        return _json(rows)
    fixed = WINDOW_COLUMNS + list(basis)
    columns = fixed + [f"{n}_{c}" for n in answer.strategies for c in ("docking_utc", "dv_m_s")]
    flat = []
    for row in rows:
        out = {k: row[k] for k in fixed}
        for n, got in row["strategies"].items():
            out[f"{n}_docking_utc"] = got["docking_utc"]
            out[f"{n}_dv_m_s"] = got["dv_m_s"]
        flat.append(out)
    return _csv(columns, flat)


# --------------------------------------------------------------------------- events

EVENT_COLUMNS: dict[EventKind, list[str]] = {
    EventKind.eclipse: [
        "penumbra_entry_utc",
        "umbra_entry_utc",
        "umbra_exit_utc",
        "penumbra_exit_utc",
        "umbra_s",
        "shadow_s",
        "clipped_start",
        "clipped_end",
    ],
    EventKind.node: ["time_utc", "kind"],
    EventKind.contact: [
        "aos_utc",
        "los_utc",
        "max_elevation_utc",
        "max_elevation_deg",
        "duration_s",
        "clipped_start",
        "clipped_end",
    ],
}
"""The keys of one event record (JSON) and the columns of the table (CSV), per kind."""


def _iso(value: datetime | None) -> str | None:
    return None if value is None else utc_iso(value)


def event_row(record: EventRecord) -> dict[str, Any]:
    """One event as a JSON object, keys as :data:`EVENT_COLUMNS`: times by :func:`utc_iso`
    (None for a missing umbra), eclipse durations to the ms, contact elevation to 0.001 deg
    and duration to 0.1 s."""
    if isinstance(record, EclipsePassUtc):
        return {
            "penumbra_entry_utc": utc_iso(record.penumbra_entry_utc),
            "umbra_entry_utc": _iso(record.umbra_entry_utc),
            "umbra_exit_utc": _iso(record.umbra_exit_utc),
            "penumbra_exit_utc": utc_iso(record.penumbra_exit_utc),
            "umbra_s": round(record.umbra_s, 3),
            "shadow_s": round(record.shadow_s, 3),
            "clipped_start": record.clipped_start,
            "clipped_end": record.clipped_end,
        }
    if isinstance(record, Contact):
        return {
            "aos_utc": utc_iso(record.aos_utc),
            "los_utc": utc_iso(record.los_utc),
            "max_elevation_utc": utc_iso(record.max_elevation_utc),
            "max_elevation_deg": round(record.max_elevation_deg, 3),
            "duration_s": round(record.duration_s, 1),
            "clipped_start": record.clipped_start,
            "clipped_end": record.clipped_end,
        }
    return {"time_utc": utc_iso(record.time_utc), "kind": record.kind}


def events_text(answer: EventsAnswer, fmt: TableFormat) -> str:
    """The events as a JSON list of :func:`event_row` objects, or a CSV table with the same
    columns (an empty field for a missing umbra time, ``true`` / ``false`` for the flags)."""
    rows = [event_row(r) for r in answer.records]
    if fmt is TableFormat.json:
        return _json(rows)
    flat = [
        {k: str(v).lower() if isinstance(v, bool) else v for k, v in row.items()} for row in rows
    ]
    return _csv(EVENT_COLUMNS[answer.kind], flat)


# --------------------------------------------------------------------------- lifetime

LIFETIME_COLUMNS = [
    "time_utc",
    "kind",
    "mean_altitude_km",
    "altitude_after_km",
    "dv_m_s",
    "propellant_kg",
    "burn_s",
    "note",
]


def lifetime_text(answer: LifetimeAnswer, fmt: TableFormat) -> str:
    """The altitude history as JSON (``altitude`` daily samples, ``reboosts``, the ``drag``
    it rests on, and the re-entry or why the band cannot be held) or as one time-ordered CSV
    table whose ``kind`` says what each row is: ``drag`` (first: the ballistic coefficient
    and where it came from), ``altitude``, ``reboost``, ``reentry`` or ``band_not_held``.

    With a drag fitted to the element history, ``drag.fit`` states C_D A / m and its 1-sigma
    (m^2/kg), the span fitted and its sets, and ``drag.interval`` the prediction at C_D A / m
    -+ 1 sigma; each altitude sample then carries ``mean_altitude_low_km`` (faster decay) and
    ``mean_altitude_high_km`` (slower), both columns of the CSV too."""
    fit, interval = answer.fit, answer.interval
    samples = [
        {"time_utc": utc_iso(t), "mean_altitude_km": round(float(a), 4)}
        for t, a in zip(answer.sample_times_utc, answer.mean_altitude_km, strict=True)
    ]
    if interval is not None:
        for row, lo, hi in zip(
            samples, interval.mean_altitude_low_km, interval.mean_altitude_high_km, strict=True
        ):
            row["mean_altitude_low_km"] = None if math.isnan(lo) else round(float(lo), 4)
            row["mean_altitude_high_km"] = None if math.isnan(hi) else round(float(hi), 4)
    drag: dict[str, Any] = {
        "ballistic_m2_kg": answer.drag_coefficient * answer.drag_area_m2 / answer.mass_kg,
        "mass_kg": answer.mass_kg,
        "drag_area_m2": round(answer.drag_area_m2, 4),
        "drag_coefficient": answer.drag_coefficient,
        "source": answer.drag_area_source,
    }
    if fit is not None:
        drag["fit"] = {
            "ballistic_m2_kg": fit.ballistic_m2_kg,
            "sigma_m2_kg": fit.sigma_m2_kg,
            "span_start_utc": utc_iso(fit.span_start_utc),
            "span_end_utc": utc_iso(fit.span_end_utc),
            "span_sets": fit.span_sets,
            "history_sets": fit.history_sets,
            "residual_rms_km": round(fit.residual_rms_km, 4),
            "observed_decay_km": round(fit.observed_decay_km, 4),
            "fitted_decay_km": round(fit.fitted_decay_km, 4),
        }
    if interval is not None:
        drag["interval"] = {
            "ballistic_low_m2_kg": interval.ballistic_low_m2_kg,
            "ballistic_high_m2_kg": interval.ballistic_high_m2_kg,
            "reentry_early_utc": utc_iso(interval.reentry_early_utc)
            if interval.reentry_early_utc
            else None,
            "reentry_late_utc": utc_iso(interval.reentry_late_utc)
            if interval.reentry_late_utc
            else None,
            "reboosts_low": interval.reboosts_low,
            "reboosts_high": interval.reboosts_high,
            "propellant_low_kg": round(interval.propellant_low_kg, 3),
            "propellant_high_kg": round(interval.propellant_high_kg, 3),
        }
    reboosts = [
        {
            "time_utc": utc_iso(r.time_utc),
            "dv_m_s": round(r.dv_m_s, 4),
            "propellant_kg": round(r.propellant_kg, 3),
            "burn_s": round(r.burn_s, 1),
            "altitude_before_km": round(r.altitude_before_km, 4),
            "altitude_after_km": round(r.altitude_after_km, 4),
        }
        for r in answer.reboosts
    ]
    extra: dict[str, Any] = {}
    if answer.reentry_utc is not None:
        extra["reentry_utc"] = utc_iso(answer.reentry_utc)
    if answer.infeasible_reason is not None:
        extra["infeasible_reason"] = answer.infeasible_reason
        if answer.infeasible_at_utc is not None:
            extra["infeasible_at_utc"] = utc_iso(answer.infeasible_at_utc)
    if answer.notes:
        extra["notes"] = list(answer.notes)
    if fmt is TableFormat.json:
        return _json({"altitude": samples, "reboosts": reboosts, "drag": drag, **extra})
    table: list[dict[str, Any]] = [{**r, "kind": "altitude"} for r in samples]
    table += [
        {**r, "kind": "reboost", "mean_altitude_km": r["altitude_before_km"]} for r in reboosts
    ]
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
    columns = list(LIFETIME_COLUMNS)
    if interval is not None:
        columns[3:3] = ["mean_altitude_low_km", "mean_altitude_high_km"]
    if fit is not None:
        columns += ["ballistic_m2_kg", "sigma_m2_kg", "span_start_utc", "span_end_utc"]
    if fit is not None:  # first row: the fitted drag the prediction rests on
        table.insert(
            0,
            {
                "time_utc": utc_iso(answer.start_utc),
                "kind": "drag",
                "note": answer.drag_area_source,
                **drag["fit"],
            },
        )
    return _csv(columns, table)


# --------------------------------------------------------------------------- ephemeris

STATE_COLUMNS = ["x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s"]


def ephemeris_text(answer: EphemerisAnswer, fmt: EphemerisFormat) -> str:
    """The ephemeris as CSV, JSON, CCSDS OEM or CZML (the last two need Cartesian states)."""
    times = answer.times_utc
    name, cat = answer.object_name, str(answer.catalog_number)
    ref = REF_FRAMES[answer.frame]
    geodetic = answer.lat_deg is not None
    if fmt is EphemerisFormat.csv:
        if geodetic:
            return ephemeris_csv(
                times, lat_deg=answer.lat_deg, lon_deg=answer.lon_deg, alt_km=answer.alt_km
            )
        return ephemeris_csv(times, r_km=answer.r_km, v_km_s=answer.v_km_s)
    if fmt is EphemerisFormat.json:
        rows: list[dict[str, Any]] = []
        if geodetic:
            assert answer.lat_deg is not None
            assert answer.lon_deg is not None and answer.alt_km is not None
            for t, la, lo, al in zip(
                times, answer.lat_deg, answer.lon_deg, answer.alt_km, strict=True
            ):
                rows.append(
                    {
                        "time_utc": utc_iso(t),
                        "lat_deg": _num(la),
                        "lon_deg": _num(lo),
                        "alt_km": _num(al),
                    }
                )
        else:
            assert answer.r_km is not None and answer.v_km_s is not None
            for t, rr, vv in zip(times, answer.r_km, answer.v_km_s, strict=True):
                values = [_num(x) for x in (*rr, *vv)]
                rows.append(
                    {"time_utc": utc_iso(t), **dict(zip(STATE_COLUMNS, values, strict=True))}
                )
        return (
            json.dumps(
                {
                    "object": name,
                    "catalog_number": answer.catalog_number,
                    "frame": answer.frame.value,
                    "model": answer.model.value,
                    "states": rows,
                }
            )
            + "\n"
        )
    assert answer.r_km is not None and answer.v_km_s is not None
    if fmt is EphemerisFormat.oem:
        return ephemeris_oem(
            times, answer.r_km, answer.v_km_s, object_name=name, object_id=cat, ref_frame=ref
        )
    return ephemeris_czml(times, answer.r_km, ref_frame=ref, object_id=cat, object_name=name)


# --------------------------------------------------------------------------- conjunctions

CONJUNCTION_COLUMNS = [
    "primary",
    "secondary",
    "secondary_name",
    "tca_utc",
    "miss_km",
    "radial_km",
    "intrack_km",
    "crosstrack_km",
    "rel_speed_km_s",
    "pc",
]


def conjunction_row(row: ConjunctionRow) -> dict[str, Any]:
    """One approach as a JSON object, keys as :data:`CONJUNCTION_COLUMNS`: distances to the
    metre, speed to the mm/s, Pc to 4 significant digits."""
    return {
        "primary": row.primary,
        "secondary": row.secondary,
        "secondary_name": row.secondary_name,
        "tca_utc": utc_iso(row.tca_utc),
        "miss_km": round(row.miss_km, 3),
        "radial_km": round(row.radial_km, 3),
        "intrack_km": round(row.intrack_km, 3),
        "crosstrack_km": round(row.crosstrack_km, 3),
        "rel_speed_km_s": round(row.rel_speed_km_s, 6),
        "pc": float(f"{row.pc:.4g}"),
    }


def conjunctions_text(answer: ScreenAnswer, fmt: TableFormat) -> str:
    """The approaches as a JSON list of :func:`conjunction_row` objects or a CSV table."""
    rows = [conjunction_row(r) for r in answer.rows]
    if fmt is TableFormat.json:
        return _json(rows)
    return _csv(CONJUNCTION_COLUMNS, rows)
