"""Scenario versions (immutable uploads), their differences, the baseline and snapshots."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from stationplan.errors import ScenarioError
from stationplan.scenario.changes import ABSENT, diff_texts, jsonable
from stationplan.scenario.loader import parse_scenario
from stationplan.service import access, audit
from stationplan.service.access import Principal
from stationplan.service.baseline import move_baseline
from stationplan.service.deps import CurrentUser, PagingDep, SessionDep
from stationplan.service.errors import ApiError, conflict, input_error, not_found
from stationplan.service.models import Programme, ScenarioVersion, Snapshot
from stationplan.service.routes.common import etag, expected_revision, page
from stationplan.service.schemas import (
    BaselinePublic,
    BaselineUpdate,
    FieldChangePublic,
    Page,
    RestoreRequest,
    SnapshotCreate,
    SnapshotPublic,
    VersionCreate,
    VersionDiff,
    VersionPublic,
    VersionSummary,
)

router = APIRouter(tags=["scenarios"])
IfMatch = Annotated[str | None, Header(alias="If-Match")]


def validated(text: str, source: str) -> str:
    """``text`` if it is a valid scenario; else 422 with every problem (file:line, field)."""
    try:
        parse_scenario(text, source, local_files=False)
    except ScenarioError as exc:
        raise input_error(exc) from None
    return text


def add_version(
    session: Session,
    p: Principal,
    text: str,
    message: str,
    parent_id: int | None,
) -> ScenarioVersion:
    """Store a new immutable version of the user's programme (not committed)."""
    version = ScenarioVersion(
        programme_id=p.programme_id,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        message=message,
        author_id=p.user_id,
        parent_id=parent_id,
    )
    session.add(version)
    session.flush()
    audit.record(
        session,
        p,
        "version.create",
        "scenario_version",
        version.id,
        after=audit.snapshot(version, VersionSummary),
    )
    return version


@router.post("/programmes/{programme_id}/versions", status_code=201)
def upload_version(
    programme_id: int, body: VersionCreate, session: SessionDep, p: CurrentUser
) -> VersionSummary:
    """Upload scenario YAML text as a new version (validated first: 422 lists every problem
    with its line and field path)."""
    access.programme(p, programme_id)
    access.require_writer(p, "upload scenario versions")
    if body.parent_id is not None:
        access.get(session, p, ScenarioVersion, body.parent_id, "parent version")
    validated(body.text, body.filename)
    version = add_version(session, p, body.text, body.message, body.parent_id)
    session.commit()
    return VersionSummary.model_validate(version)


@router.get("/programmes/{programme_id}/versions")
def list_versions(
    programme_id: int, session: SessionDep, p: CurrentUser, paging: PagingDep
) -> Page[VersionSummary]:
    """The programme's scenario versions, newest first."""
    access.programme(p, programme_id)
    return page(
        session,
        ScenarioVersion,
        ScenarioVersion.programme_id == programme_id,
        VersionSummary,
        paging,
    )


@router.get("/versions/{version_id}")
def get_version(version_id: int, session: SessionDep, p: CurrentUser) -> VersionPublic:
    """A scenario version with its text."""
    return VersionPublic.model_validate(
        access.get(session, p, ScenarioVersion, version_id, "scenario version")
    )


@router.get("/versions/{version_id}/diff")
def diff_versions(
    version_id: int,
    against: Annotated[int, Query(description="The version to compare with (the 'from').")],
    session: SessionDep,
    p: CurrentUser,
) -> VersionDiff:
    """The field-path differences from version ``against`` to this one."""
    new = access.get(session, p, ScenarioVersion, version_id, "scenario version")
    old = access.get(session, p, ScenarioVersion, against, "scenario version")
    changes = [
        FieldChangePublic(
            field=c.field,
            path=list(c.path),
            before=jsonable(c.before),
            after=jsonable(c.after),
            before_present=c.before is not ABSENT,
            after_present=c.after is not ABSENT,
        )
        for c in diff_texts(old.text, new.text)
    ]
    return VersionDiff(from_version_id=old.id, to_version_id=new.id, changes=changes)


def _baseline(prog: Programme) -> BaselinePublic:
    return BaselinePublic(
        programme_id=prog.id,
        version_id=prog.baseline_version_id,
        revision=prog.baseline_revision,
        etag=etag("baseline", prog.id, prog.baseline_revision),
    )


@router.get("/programmes/{programme_id}/baseline")
def get_baseline(
    programme_id: int, session: SessionDep, p: CurrentUser, response: Response
) -> BaselinePublic:
    """The baseline version and its revision (also as the ETag header)."""
    prog = session.get(Programme, access.programme(p, programme_id))
    if prog is None:
        raise not_found("programme")
    out = _baseline(prog)
    response.headers["ETag"] = out.etag
    return out


@router.put("/programmes/{programme_id}/baseline")
def set_baseline(
    programme_id: int,
    body: BaselineUpdate,
    session: SessionDep,
    p: CurrentUser,
    response: Response,
    if_match: IfMatch = None,
) -> BaselinePublic:
    """Make a version the baseline (administrator). Send ``If-Match`` with the ETag read (or
    ``revision``): when the baseline moved meanwhile, 409 and nothing changes."""
    access.programme(p, programme_id)
    access.require_admin(p, "set the baseline")
    access.get(session, p, ScenarioVersion, body.version_id, "scenario version")
    expected = expected_revision(if_match, body.revision, "baseline", programme_id)
    prog = move_baseline(session, p, programme_id, body.version_id, expected, "baseline.set")
    session.commit()
    out = _baseline(prog)
    response.headers["ETag"] = out.etag
    return out


@router.post("/programmes/{programme_id}/snapshots", status_code=201)
def save_snapshot(
    programme_id: int, body: SnapshotCreate, session: SessionDep, p: CurrentUser
) -> SnapshotPublic:
    """Save the current baseline under a name (administrator)."""
    access.programme(p, programme_id)
    access.require_admin(p, "save snapshots")
    prog = session.get(Programme, programme_id)
    if prog is None or prog.baseline_version_id is None:
        raise ApiError(409, "the programme has no baseline to save", code="conflict")
    taken = session.scalar(
        select(Snapshot).where(Snapshot.programme_id == programme_id, Snapshot.name == body.name)
    )
    if taken is not None:
        raise conflict(f"a snapshot named {body.name!r} exists", field="name")
    snap = Snapshot(
        programme_id=programme_id,
        name=body.name,
        version_id=prog.baseline_version_id,
        created_by=p.user_id,
    )
    session.add(snap)
    session.flush()
    audit.record(
        session,
        p,
        "snapshot.create",
        "snapshot",
        snap.id,
        after=audit.snapshot(snap, SnapshotPublic),
    )
    session.commit()
    return SnapshotPublic.model_validate(snap)


@router.get("/programmes/{programme_id}/snapshots")
def list_snapshots(
    programme_id: int, session: SessionDep, p: CurrentUser, paging: PagingDep
) -> Page[SnapshotPublic]:
    """The programme's named baselines."""
    access.programme(p, programme_id)
    return page(session, Snapshot, Snapshot.programme_id == programme_id, SnapshotPublic, paging)


@router.post("/snapshots/{snapshot_id}/restore")
def restore_snapshot(
    snapshot_id: int,
    session: SessionDep,
    p: CurrentUser,
    response: Response,
    body: RestoreRequest | None = None,
    if_match: IfMatch = None,
) -> BaselinePublic:
    """Make a snapshot's version the baseline again (administrator; ``If-Match`` as for
    setting the baseline)."""
    snap = access.get(session, p, Snapshot, snapshot_id, "snapshot")
    access.require_admin(p, "restore snapshots")
    expected = expected_revision(
        if_match, body.revision if body else None, "baseline", snap.programme_id
    )
    prog = move_baseline(
        session, p, snap.programme_id, snap.version_id, expected, "snapshot.restore"
    )
    session.commit()
    out = _baseline(prog)
    response.headers["ETag"] = out.etag
    return out
