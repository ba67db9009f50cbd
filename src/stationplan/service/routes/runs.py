"""Plan runs: started for a scenario version, executed by the worker pool, polled for progress,
their artefacts served once written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse

from stationplan.service import access, audit
from stationplan.service.deps import CurrentUser, PagingDep, ServicesDep, SessionDep
from stationplan.service.errors import conflict, not_found
from stationplan.service.models import Programme, Run, ScenarioVersion
from stationplan.service.routes.common import page
from stationplan.service.schemas import Page, RunCreate, RunPublic

router = APIRouter(tags=["runs"])

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".oem": "text/plain; charset=utf-8",
    ".czml": "application/json",
}


@router.post("/programmes/{programme_id}/runs", status_code=202)
def start_run(
    programme_id: int, body: RunCreate, session: SessionDep, svc: ServicesDep, p: CurrentUser
) -> RunPublic:
    """Plan a scenario version (None: the baseline) in the worker pool; poll
    ``GET /runs/{id}`` for its progress."""
    access.programme(p, programme_id)
    access.require_writer(p, "start runs")
    version_id = body.version_id
    if version_id is None:
        prog = session.get(Programme, programme_id)
        if prog is None or prog.baseline_version_id is None:
            raise conflict("the programme has no baseline; name a version_id")
        version_id = prog.baseline_version_id
    access.get(session, p, ScenarioVersion, version_id, "scenario version")
    run = Run(programme_id=programme_id, version_id=version_id, created_by=p.user_id)
    session.add(run)
    session.flush()
    audit.record(session, p, "run.create", "run", run.id, after=audit.snapshot(run, RunPublic))
    session.commit()
    svc.runs.submit(run.id)
    return RunPublic.model_validate(run)


@router.get("/programmes/{programme_id}/runs")
def list_runs(
    programme_id: int, session: SessionDep, p: CurrentUser, paging: PagingDep
) -> Page[RunPublic]:
    """The programme's runs, newest first."""
    access.programme(p, programme_id)
    return page(session, Run, access.run_filter(p), RunPublic, paging)


@router.get("/runs/{run_id}")
def get_run(run_id: int, session: SessionDep, p: CurrentUser) -> RunPublic:
    """A run's status and progress (text and fraction 0-1)."""
    return RunPublic.model_validate(access.run(session, p, run_id))


def _artefact(run: Run, name: str) -> Path:
    """The file ``name`` of a succeeded run, if the run wrote it (else 404): a plain file name
    of the run's folder, never a path."""
    plain = name not in ("", ".", "..") and Path(name).name == name and "\\" not in name
    if (
        not plain
        or run.status != "succeeded"
        or run.folder is None
        or name not in (run.files or [])
    ):
        raise not_found("file")
    path = Path(run.folder) / name
    if not path.is_file():
        raise not_found("file")
    return path


@router.get("/runs/{run_id}/files/{name}", response_class=FileResponse)
def get_run_file(run_id: int, name: str, session: SessionDep, p: CurrentUser) -> FileResponse:
    """A file the run wrote (report.html, plan.json, exports); only files it listed."""
    path = _artefact(access.run(session, p, run_id), name)
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"))


@router.get("/runs/{run_id}/comparison")
def get_comparison(run_id: int, session: SessionDep, p: CurrentUser) -> dict[str, Any]:
    """The comparison JSON of a succeeded what-if run."""
    path = _artefact(access.run(session, p, run_id), "whatif.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
