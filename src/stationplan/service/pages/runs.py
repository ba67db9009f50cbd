"""Runs: the list and a new run of a version, one run's live progress with its report
embedded and its exports, and the comparison of a what-if run."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from stationplan.plan.model import WhatIfComparison
from stationplan.service import access
from stationplan.service.deps import CurrentUser, Paging, ServicesDep, SessionDep
from stationplan.service.errors import ApiError
from stationplan.service.models import Proposal, ScenarioVersion
from stationplan.service.pages.render import (
    PageRoute,
    back,
    flash,
    partner_codes,
    render,
    user_names,
)
from stationplan.service.routes.runs import get_comparison, get_run, list_runs, start_run
from stationplan.service.routes.scenarios import get_baseline, list_versions
from stationplan.service.schemas import RunCreate

router = APIRouter(route_class=PageRoute, include_in_schema=False)

REPORT_FILE = "report.html"
COMPARISON_FILE = "whatif.json"


@router.get("/programmes/{programme_id}/runs")
def runs_page(programme_id: int, request: Request, session: SessionDep, p: CurrentUser) -> Response:
    """The runs the user may see, and the form starting a run of a version."""
    access.programme(p, programme_id)
    return render(
        request,
        "runs.html",
        p,
        runs=list_runs(programme_id, session, p, Paging(200, 0)).items,
        versions=list_versions(programme_id, session, p, Paging(500, 0)).items,
        baseline=get_baseline(programme_id, session, p, Response()),
        names=user_names(session, programme_id),
    )


@router.post("/programmes/{programme_id}/runs")
def new_run(
    programme_id: int,
    request: Request,
    session: SessionDep,
    svc: ServicesDep,
    p: CurrentUser,
    version_id: Annotated[str, Form()] = "",
) -> Response:
    """Start a run of a version (empty: the baseline) and follow it."""
    body = RunCreate(version_id=int(version_id) if version_id.strip().isdigit() else None)
    try:
        run = start_run(programme_id, body, session, svc, p)
    except ApiError as exc:
        if exc.status != 409:
            raise
        flash(request, exc.message)
        return back(f"/programmes/{programme_id}/runs")
    return back(f"/runs/{run.id}")


@router.get("/runs/{run_id}")
def run_page(run_id: int, request: Request, session: SessionDep, p: CurrentUser) -> Response:
    """A run: its progress (the page polls ``GET /api/v1/runs/{id}``), then the report
    embedded and the exports, or the error."""
    run = get_run(run_id, session, p)
    version = access.get(session, p, ScenarioVersion, run.version_id, "scenario version")
    proposal = access.proposal(session, p, run.proposal_id) if run.proposal_id else None
    return render(
        request,
        "run.html",
        p,
        run=run,
        version=version,
        proposal=proposal,
        report=REPORT_FILE in (run.files or []),
        comparison=COMPARISON_FILE in (run.files or []),
        exports=[f for f in run.files or [] if f != REPORT_FILE],
        names=user_names(session, run.programme_id),
        codes=partner_codes(session, run.programme_id),
    )


@router.get("/runs/{run_id}/comparison")
def comparison_page(run_id: int, request: Request, session: SessionDep, p: CurrentUser) -> Response:
    """Baseline and variant of a what-if run side by side: shares, entitlements, costs,
    flights lost."""
    run = get_run(run_id, session, p)
    comparison = WhatIfComparison.model_validate(get_comparison(run_id, session, p))
    proposal: Proposal | None = (
        access.proposal(session, p, run.proposal_id) if run.proposal_id else None
    )
    return render(
        request,
        "comparison.html",
        p,
        run=run,
        c=comparison,
        proposal=proposal,
        codes=partner_codes(session, run.programme_id),
        h="h2",
        h3="h3",
    )
