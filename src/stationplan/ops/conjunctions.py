"""Conjunction screening of a primary against a catalog, with a probability of collision for
each approach: the use case behind ``stationplan screen``.

The Pc of an approach found from element sets (which carry no covariance) uses the assumed
element-set covariances of :func:`stationplan.orbit.collision.default_covariance_rtn_m2`, by
object type (from the catalog name: ``DEB`` debris, ``R/B`` rocket body, else payload) and
element-set age at TCA; it ranks events for screening and is not an operational Pc.

Each approach also carries both objects at TCA for a CCSDS Conjunction Data Message (CCSDS
508.0-B-1): their states rotated from TEME (SGP4's frame, which a CDM cannot name) to GCRS,
written as GCRF, and the assumed covariances in each object's RTN axes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator

from stationplan.errors import Problem
from stationplan.ops.requests import Request, request_error
from stationplan.ops.risk import connect_scheduler
from stationplan.orbit.collision import ObjectType, default_covariance_rtn_m2, pc_2d
from stationplan.orbit.conjunction_files import rtn_axes, rtn_to_inertial
from stationplan.orbit.element_files import find_object, read_elements
from stationplan.orbit.elements import ElementSet, PortableElements
from stationplan.orbit.frames import teme_to_gcrs
from stationplan.orbit.screening import (
    ALL_VS_ALL_STEP_S,
    Screening,
    ScreeningStats,
    merge_screenings,
    screen,
    screen_all,
)
from stationplan.orbit.timescale import as_time, utc_jd_parts
from stationplan.scenario.fields import UtcDatetime

__all__ = [
    "PC_METHOD",
    "STATE_FRAME",
    "ConjunctionRow",
    "ObjectAtTca",
    "ScreenAnswer",
    "ScreenRequest",
    "international_designator",
    "left_out_notes",
    "object_type",
    "screen_catalog",
]

MAX_DAYS = 30.0
MAX_THRESHOLD_KM = 200.0
DEFAULT_HBR_M = 20.0
"""Combined hard-body radius (m) when none is given: of the order of a large station's
half-span with a small secondary; give the station's own with ``--hbr-m``."""


class ScreenRequest(Request):
    """A primary (a catalog number or name in the catalog, or the first object of its own
    element file) screened against a catalog file over ``days`` from ``start_utc`` (default:
    the primary's element epoch)."""

    catalog: Path
    primary: str | None = None
    primary_elements: Path | None = None
    start_utc: UtcDatetime | None = None
    days: Annotated[float, Field(gt=0, le=MAX_DAYS)] = 7.0
    threshold_km: Annotated[float, Field(gt=0, le=MAX_THRESHOLD_KM)] = 5.0
    hbr_m: Annotated[float, Field(gt=0, le=1000)] = DEFAULT_HBR_M
    all_vs_all: bool = False
    scheduler: str | None = Field(
        default=None,
        pattern=r"^(tcp|tls|inproc|ucx)://\S+$|^[\w.-]+:\d{1,5}$",
        description="Dask scheduler address, e.g. tcp://10.0.0.5:8786 or host:8786.",
    )
    strict: bool = False

    @model_validator(mode="after")
    def _one_primary(self) -> ScreenRequest:
        if self.all_vs_all:
            if self.primary is not None or self.primary_elements is not None:
                raise ValueError("--all-vs-all screens every pair: leave out the primary")
            if self.start_utc is None:
                raise ValueError("--all-vs-all needs --start")
        elif (self.primary is None) == (self.primary_elements is None):
            raise ValueError("give either --primary ID or --primary-elements FILE (one of them)")
        return self


STATE_FRAME = "GCRF"
"""The frame of :class:`ObjectAtTca` states: GCRS axes, rotated from SGP4's TEME (whose
orientation agrees with GCRF's far below the accuracy of an element set)."""

PC_METHOD = "FOSTER-1992"
"""The Pc method of :class:`ConjunctionRow` as a CDM names it (Foster & Estes 1992)."""


@dataclass(frozen=True)
class ObjectAtTca:
    """One object of an approach at TCA: catalog number, name, international designator
    (``YYYY-NNNP``, None if the element set gives none), position (km) and velocity (km/s)
    in :data:`STATE_FRAME`, and the assumed 6x6 covariance in its own RTN axes (m^2, m^2/s,
    m^2/s^2, rows R, T, N, R_DOT, T_DOT, N_DOT): the position block of
    :func:`~stationplan.orbit.collision.default_covariance_rtn_m2`, the velocity terms zero
    (an element set says nothing of them, and a 2-D Pc does not use them)."""

    catalog_number: int
    name: str
    international_designator: str | None
    r_km: tuple[float, ...]
    v_km_s: tuple[float, ...]
    cov_rtn: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class ConjunctionRow:
    """One close approach: catalog numbers, TCA (UTC), miss distance and its radial /
    in-track / cross-track components in the primary's axes (km), relative speed (km/s),
    and the probability of collision with the assumed covariances (:data:`PC_METHOD`,
    hard-body radius ``hbr_m``).

    For a CDM, ``objects`` holds the primary and the secondary at TCA, and
    ``rel_position_rtn_m`` / ``rel_velocity_rtn_m_s`` the secondary's position and velocity
    less the primary's in the primary's RTN axes (m, m/s; both from the ``objects`` states,
    the velocity an inertial difference)."""

    primary: int
    secondary: int
    secondary_name: str
    tca_utc: datetime
    miss_km: float
    radial_km: float
    intrack_km: float
    crosstrack_km: float
    rel_speed_km_s: float
    pc: float
    hbr_m: float
    objects: tuple[ObjectAtTca, ObjectAtTca]
    rel_position_rtn_m: tuple[float, ...]
    rel_velocity_rtn_m_s: tuple[float, ...]


@dataclass(frozen=True)
class ScreenAnswer:
    """The approaches in time order, the cascade's figures and what the user should know."""

    rows: list[ConjunctionRow]
    stats: ScreeningStats
    start_utc: datetime
    end_utc: datetime
    skipped: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def object_type(name: str) -> ObjectType:
    """The object type a catalog name implies (Space-Track naming: ``DEB``, ``R/B``)."""
    words = name.upper().replace("(", " ").replace(")", " ").split()
    if "DEB" in words or "DEBRIS" in words:
        return "debris"
    if "R/B" in words:
        return "rocket_body"
    return "payload"


def _primary(req: ScreenRequest, catalog: list[ElementSet]) -> ElementSet:
    if req.primary_elements is not None:
        return find_object(
            read_elements(req.primary_elements, strict=req.strict), None, req.start_utc
        )
    assert req.primary is not None
    for el in catalog:
        if el.name == req.primary or (
            req.primary.isdigit() and el.catalog_number == int(req.primary)
        ):
            return el
    raise request_error("primary", f"{req.primary!r} is not in the catalog {req.catalog}")


def screen_catalog(req: ScreenRequest) -> ScreenAnswer:
    """Every approach of the primary and the catalog's objects (or, with ``all_vs_all``, of
    any two objects) closer than the threshold (:mod:`stationplan.orbit.screening`), with a
    Pc each; on the Dask cluster at ``scheduler`` when one is given (the catalog in chunks of
    objects, or the span in chunks of time for all-vs-all)."""
    read = read_elements(req.catalog, strict=req.strict)
    catalog = list(read.elements)
    primary = None if req.all_vs_all else _primary(req, catalog)
    start_utc = req.start_utc or (primary.epoch_utc if primary else None)
    assert start_utc is not None
    start = start_utc.astimezone(UTC)
    end = start + timedelta(days=req.days)
    whole, fraction = utc_jd_parts(as_time(start))
    jd = (float(whole), float(fraction))
    duration_s = req.days * 86400.0
    if req.scheduler is not None:
        result = _distributed(req.scheduler, primary, catalog, jd, duration_s, req.threshold_km)
    elif primary is None:
        result = screen_all(catalog, jd, duration_s, req.threshold_km)
    else:
        result = screen(primary, catalog, jd, duration_s, req.threshold_km)
    a = result.approaches
    tcas = [start + timedelta(seconds=float(t)) for t in a.tca_s]
    if tcas:
        t = as_time(tcas)
        r1g, v1g = teme_to_gcrs(a.r1_km, a.v1_km_s, t)
        r2g, v2g = teme_to_gcrs(a.r2_km, a.v2_km_s, t)
    rows = []
    for i, tca in enumerate(tcas):
        one = primary if int(a.first[i]) < 0 else catalog[int(a.first[i])]
        assert one is not None
        sec = catalog[int(a.secondary[i])]
        covs = []
        cov_rtn = []
        for el, r, v in ((one, a.r1_km[i], a.v1_km_s[i]), (sec, a.r2_km[i], a.v2_km_s[i])):
            age_days = abs((tca - el.epoch_utc).total_seconds()) / 86400.0
            cov_pos = default_covariance_rtn_m2(object_type(el.name), age_days)
            cov_rtn.append(cov_pos)
            covs.append(rtn_to_inertial(cov_pos, r, v))
        est = pc_2d(
            a.r1_km[i] * 1e3,
            a.v1_km_s[i] * 1e3,
            covs[0],
            a.r2_km[i] * 1e3,
            a.v2_km_s[i] * 1e3,
            covs[1],
            req.hbr_m,
        )
        axes = rtn_axes(r1g[i], v1g[i])
        rows.append(
            ConjunctionRow(
                primary=one.catalog_number,
                secondary=sec.catalog_number,
                secondary_name=sec.name,
                tca_utc=tca,
                miss_km=float(a.miss_km[i]),
                radial_km=float(a.rtn_km[i, 0]),
                intrack_km=float(a.rtn_km[i, 1]),
                crosstrack_km=float(a.rtn_km[i, 2]),
                rel_speed_km_s=float(a.rel_speed_km_s[i]),
                pc=float(est.pc),
                hbr_m=req.hbr_m,
                objects=(
                    _at_tca(one, r1g[i], v1g[i], cov_rtn[0]),
                    _at_tca(sec, r2g[i], v2g[i], cov_rtn[1]),
                ),
                rel_position_rtn_m=_floats(axes.T @ (r2g[i] - r1g[i]) * 1e3),
                rel_velocity_rtn_m_s=_floats(axes.T @ (v2g[i] - v1g[i]) * 1e3),
            )
        )
    notes = left_out_notes(result.stats.failed)
    if result.stats.coincident_pairs:
        notes.append(
            f"{result.stats.coincident_pairs} pair(s) of objects share one place through the "
            "span (a docked vehicle given its station's element set): not approaches"
        )
    ages = np.array([abs((start - el.epoch_utc).total_seconds()) / 86400.0 for el in catalog])
    old = int(np.count_nonzero(ages > 30.0))
    if old:
        notes.append(f"{old} element set(s) are more than 30 days from the start: less accurate")
    return ScreenAnswer(rows, result.stats, start, end, list(read.problems), notes)


def _floats(x: NDArray[np.float64]) -> tuple[float, ...]:
    return tuple(float(v) for v in x)


def international_designator(el: ElementSet) -> str | None:
    """The element set's international designator as a CDM writes it (``1998-067A`` from a
    TLE's ``98067A``; years 57-99 are 19xx), or None when it gives none."""
    raw = str(getattr(el.satrec, "intldesg", "") or "").strip()
    if len(raw) >= 9 and raw[4] == "-" and raw[:4].isdigit() and raw[5:8].isdigit():
        return raw
    if len(raw) < 6 or not raw[:5].isdigit():
        return None
    yy = int(raw[:2])
    year = 1900 + yy if yy >= 57 else 2000 + yy
    return f"{year}-{raw[2:5]}{raw[5:]}"


def _at_tca(
    el: ElementSet,
    r_km: NDArray[np.float64],
    v_km_s: NDArray[np.float64],
    cov_pos: NDArray[np.float64],
) -> ObjectAtTca:
    cov = np.zeros((6, 6))
    cov[:3, :3] = cov_pos
    return ObjectAtTca(
        catalog_number=el.catalog_number,
        name=el.name,
        international_designator=international_designator(el),
        r_km=_floats(r_km),
        v_km_s=_floats(v_km_s),
        cov_rtn=tuple(_floats(row) for row in cov),
    )


def left_out_notes(failed: dict[int, str]) -> list[str]:
    """One note per SGP4 failure reason: how many objects, and the first catalog numbers."""
    by_reason: dict[str, list[int]] = {}
    for number, reason in sorted(failed.items()):
        by_reason.setdefault(reason, []).append(number)
    notes = []
    for reason, numbers in by_reason.items():
        shown = ", ".join(str(n) for n in numbers[:5])
        more = f" and {len(numbers) - 5} more" if len(numbers) > 5 else ""
        notes.append(f"{len(numbers)} object(s) left out ({reason}): {shown}{more}")
    return notes


OBJECTS_PER_TASK = 2_000
"""Catalog objects per task when a primary is screened on a Dask cluster."""

TASKS_ALL_VS_ALL = 16
"""Spans of time an all-vs-all screening is cut into on a Dask cluster."""


def _screen_chunk(
    primary: PortableElements,
    chunk: list[PortableElements],
    jd: tuple[float, float],
    duration_s: float,
    threshold_km: float,
) -> Screening:
    return screen(
        primary.element_set(), [p.element_set() for p in chunk], jd, duration_s, threshold_km
    )


def _screen_span(
    catalog: list[PortableElements],
    jd: tuple[float, float],
    duration_s: float,
    threshold_km: float,
    intervals: tuple[int, int],
) -> Screening:
    return screen_all(
        [p.element_set() for p in catalog], jd, duration_s, threshold_km, intervals=intervals
    )


def _distributed(
    address: str,
    primary: ElementSet | None,
    catalog: list[ElementSet],
    jd: tuple[float, float],
    duration_s: float,
    threshold_km: float,
) -> Screening:
    """The screening on the Dask cluster at ``address``: chunks of objects (a primary) or of
    time (all-vs-all), merged as if screened in one piece."""
    portable = [PortableElements.of(e) for e in catalog]
    with connect_scheduler(address) as client:
        if primary is not None:
            offsets = list(range(0, len(portable), OBJECTS_PER_TASK))
            futures = client.map(
                _screen_chunk,
                [PortableElements.of(primary)] * len(offsets),
                [portable[o : o + OBJECTS_PER_TASK] for o in offsets],
                [jd] * len(offsets),
                [duration_s] * len(offsets),
                [threshold_km] * len(offsets),
                pure=False,
            )
            parts: list[Screening] = client.gather(futures)
            return merge_screenings(parts, offsets)
        n_intervals = int(np.ceil(duration_s / ALL_VS_ALL_STEP_S))
        cuts = np.unique(np.linspace(0, n_intervals, TASKS_ALL_VS_ALL + 1).astype(int))
        spans = [(int(a), int(b)) for a, b in itertools.pairwise(cuts)]
        shared = client.scatter(portable, broadcast=True)
        futures = client.map(
            _screen_span,
            [shared] * len(spans),
            [jd] * len(spans),
            [duration_s] * len(spans),
            [threshold_km] * len(spans),
            spans,
            pure=False,
        )
        parts = client.gather(futures)
        return merge_screenings(parts)
