"""Probability of collision of the conjunctions in CDM or conjunction JSON files: the use
case behind ``stationplan pc``.

Each file's states are moved to the true TCA and its 2-D Pc recomputed by Foster & Estes
(1992) or Chan (1997) (:mod:`stationplan.orbit.collision`); a Pc written in the file is
never copied. The hard-body radius is the request's, else the file's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field

from stationplan.errors import ConjunctionError, Problem, StationplanInputError
from stationplan.ops.choices import PcFormat, PcMethod
from stationplan.ops.requests import Request

__all__ = ["PcFormat", "PcMethod", "PcRequest", "PcResult", "collision_probabilities"]


class PcRequest(Request):
    """Conjunction files (CCSDS CDM as KVN or XML, or conjunction JSON), an optional
    hard-body radius (m) for all of them, and the Pc method."""

    files: Annotated[list[Path], Field(min_length=1)]
    hbr_m: Annotated[float, Field(gt=0.0, le=10_000.0, allow_inf_nan=False)] | None = None
    method: PcMethod = PcMethod.foster


@dataclass(frozen=True)
class PcResult:
    """The Pc of one conjunction file: the method that produced it, the miss distance (m)
    and relative speed (m/s) at the true TCA, the hard-body radius used (m), and what was
    repaired in the covariance (None if nothing)."""

    file: str
    pc: float
    method: str
    miss_m: float
    rel_speed_m_s: float
    hbr_m: float
    repair: str | None = None


def _one(path: Path, req: PcRequest) -> PcResult:
    from stationplan.orbit.collision import pc_2d
    from stationplan.orbit.conjunction_files import read_conjunction

    conj = read_conjunction(path)
    hbr = req.hbr_m if req.hbr_m is not None else conj.hbr_m
    if hbr is None:
        raise ConjunctionError(
            Problem(
                str(path),
                "no hard-body radius: the file has no 'COMMENT HBR = <value>' line (metres) and "
                "the request gives none; give one (--hbr-m on the command line)",
            )
        )
    p, s = conj.primary, conj.secondary
    try:
        est = pc_2d(p.r_m, p.v_m_s, p.cov, s.r_m, s.v_m_s, s.cov, hbr, method=req.method.value)
    except ConjunctionError as exc:  # a pure-function error: say which file it came from
        raise ConjunctionError(
            [Problem(str(path), q.message, q.line, q.column, q.field) for q in exc.problems]
        ) from None
    repair = "; ".join(str(r) for r in est.repairs) or None
    return PcResult(
        file=str(path),
        pc=est.pc,
        method=est.method,
        miss_m=est.miss_m,
        rel_speed_m_s=est.rel_speed_m_s,
        hbr_m=est.hbr_m,
        repair=repair,
    )


def collision_probabilities(req: PcRequest) -> list[PcResult]:
    """The Pc of every file of ``req``, in order. Every bad file is reported (one
    :class:`~stationplan.errors.ConjunctionError` listing them all), none skipped."""
    results: list[PcResult] = []
    problems: list[Problem] = []
    for path in req.files:
        try:
            results.append(_one(path, req))
        except StationplanInputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConjunctionError(problems)
    return results
