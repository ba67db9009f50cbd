"""Scenario versions: upload (file or text), the history, one version, the difference of two
(field paths and unified text), and the baseline set by the administrator."""

from __future__ import annotations

import difflib
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from stationplan.service import access
from stationplan.service.deps import CurrentUser, Paging, SessionDep
from stationplan.service.errors import ApiError
from stationplan.service.models import ScenarioVersion
from stationplan.service.pages.render import PageRoute, back, flash, render, user_names
from stationplan.service.routes.scenarios import (
    diff_versions,
    get_baseline,
    list_versions,
    set_baseline,
    upload_version,
)
from stationplan.service.schemas import BaselineUpdate, VersionCreate

router = APIRouter(route_class=PageRoute, include_in_schema=False)

DEFAULT_FILENAME = "scenario.yaml"


def _history(
    request: Request,
    session: SessionDep,
    p: CurrentUser,
    programme_id: int,
    status_code: int = 200,
    problems: list[str] | None = None,
    text: str = "",
    message: str = "",
) -> Response:
    versions = list_versions(programme_id, session, p, Paging(500, 0)).items
    baseline = get_baseline(programme_id, session, p, Response())
    return render(
        request,
        "versions.html",
        p,
        status_code=status_code,
        versions=versions,
        baseline=baseline,
        names=user_names(session, programme_id),
        problems=problems or [],
        text=text,
        message=message,
    )


@router.get("/programmes/{programme_id}/versions")
def versions_page(
    programme_id: int, request: Request, session: SessionDep, p: CurrentUser
) -> Response:
    """The upload form and the version history (pick two to compare)."""
    access.programme(p, programme_id)
    return _history(request, session, p, programme_id)


@router.post("/programmes/{programme_id}/versions")
async def upload(
    programme_id: int,
    request: Request,
    session: SessionDep,
    p: CurrentUser,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form()] = "",
    message: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Store an uploaded scenario (the file if one is chosen, else the text); its problems
    are listed as ``FILE:LINE field: message`` lines, as the command line prints them."""
    access.programme(p, programme_id)
    filename = DEFAULT_FILENAME
    if file is not None and file.filename:
        raw = await file.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _history(
                request,
                session,
                p,
                programme_id,
                422,
                [f"{file.filename}: not UTF-8 text"],
                message=message,
            )
        filename = PurePath(file.filename.replace("\\", "/")).name or DEFAULT_FILENAME
    try:
        version = upload_version(
            programme_id,
            VersionCreate(text=text, filename=filename, message=message),
            session,
            p,
        )
    except ApiError as exc:
        if exc.status != 422:
            raise
        problems = [
            str(pr.get("text") or pr.get("message")) for pr in exc.extra.get("problems", [])
        ]
        return _history(
            request,
            session,
            p,
            programme_id,
            422,
            problems or [exc.message],
            text=text,
            message=message,
        )
    flash(request, f"Version {version.id} stored.", "ok")
    return back(f"/versions/{version.id}")


@router.get("/versions/{version_id}")
def version_page(
    version_id: int,
    request: Request,
    session: SessionDep,
    p: CurrentUser,
    against: int | None = None,
) -> Response:
    """A version's text; with ``against``, its differences from that version."""
    version = access.get(session, p, ScenarioVersion, version_id, "scenario version")
    versions = list_versions(version.programme_id, session, p, Paging(500, 0)).items
    baseline = get_baseline(version.programme_id, session, p, Response())
    changes, unified = None, ""
    if against is not None:
        old = access.get(session, p, ScenarioVersion, against, "scenario version")
        changes = diff_versions(version_id, against, session, p).changes
        unified = "".join(
            difflib.unified_diff(
                old.text.splitlines(keepends=True),
                version.text.splitlines(keepends=True),
                fromfile=f"version {old.id}",
                tofile=f"version {version.id}",
            )
        )
    return render(
        request,
        "version.html",
        p,
        version=version,
        versions=versions,
        baseline=baseline,
        against=against,
        changes=changes,
        unified=unified.splitlines(),
        names=user_names(session, version.programme_id),
    )


@router.post("/versions/{version_id}/baseline")
def make_baseline(
    version_id: int,
    request: Request,
    session: SessionDep,
    p: CurrentUser,
    revision: Annotated[int, Form()],
) -> Response:
    """Make the version the baseline (administrator; the revision read guards against a
    concurrent change)."""
    version = access.get(session, p, ScenarioVersion, version_id, "scenario version")
    try:
        set_baseline(
            version.programme_id,
            BaselineUpdate(version_id=version_id, revision=revision),
            session,
            p,
            Response(),
        )
    except ApiError as exc:
        if exc.status != 409:
            raise
        flash(request, exc.message)
    else:
        flash(request, f"Version {version_id} is the baseline.", "ok")
    return back(f"/versions/{version_id}")


@router.get("/programmes/{programme_id}/diff")
def compare(
    programme_id: int,
    session: SessionDep,
    p: CurrentUser,
    from_: Annotated[int, Query(alias="from")],
    to: int,
) -> Response:
    """The difference of two versions picked in the history."""
    access.programme(p, programme_id)
    access.get(session, p, ScenarioVersion, to, "scenario version")
    return back(f"/versions/{to}?against={from_}")
