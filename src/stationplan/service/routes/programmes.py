"""Programmes, the current user, partners."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from stationplan.service import access, audit
from stationplan.service.deps import CurrentUser, PagingDep, ServicesDep, SessionDep
from stationplan.service.errors import conflict, not_found
from stationplan.service.models import Partner, Programme, User
from stationplan.service.routes.common import page
from stationplan.service.routes.users import issue_token
from stationplan.service.schemas import (
    MePublic,
    Page,
    PartnerCreate,
    PartnerPublic,
    ProgrammeCreate,
    ProgrammeIssued,
    ProgrammePublic,
    UserIssued,
    UserPublic,
)

router = APIRouter(tags=["programmes"])


@router.get("/me")
def me(session: SessionDep, p: CurrentUser) -> MePublic:
    """The signed-in user, their programme and partner."""
    user = session.get(User, p.user_id)
    prog = session.get(Programme, p.programme_id)
    if user is None or prog is None:
        raise not_found("user")
    partner = session.get(Partner, p.partner_id) if p.partner_id is not None else None
    return MePublic(
        user=UserPublic.model_validate(user),
        programme=ProgrammePublic.model_validate(prog),
        partner=PartnerPublic.model_validate(partner) if partner else None,
    )


@router.get("/programmes")
def list_programmes(
    session: SessionDep, p: CurrentUser, paging: PagingDep
) -> Page[ProgrammePublic]:
    """The user's own programme (a user belongs to one)."""
    return page(session, Programme, Programme.id == p.programme_id, ProgrammePublic, paging)


@router.post("/programmes", status_code=201)
def create_programme(
    body: ProgrammeCreate, session: SessionDep, svc: ServicesDep, p: CurrentUser
) -> ProgrammeIssued:
    """A new programme and its first administrator, whose token is shown this once
    (administrators only)."""
    access.require_admin(p, "create programmes")
    if session.scalar(select(Programme).where(Programme.name == body.name)) is not None:
        raise conflict(f"a programme named {body.name!r} exists")
    if session.scalar(select(User).where(User.name == body.admin_name)) is not None:
        raise conflict(f"a user named {body.admin_name!r} exists", field="admin_name")
    prog = Programme(name=body.name)
    session.add(prog)
    session.flush()
    admin = User(programme_id=prog.id, name=body.admin_name, role="admin")
    session.add(admin)
    session.flush()
    token = issue_token(session, svc, admin, "first token")
    audit.record(
        session,
        p,
        "programme.create",
        "programme",
        prog.id,
        after=audit.snapshot(prog, ProgrammePublic),
        programme_id=prog.id,
    )
    session.commit()
    return ProgrammeIssued(
        programme=ProgrammePublic.model_validate(prog),
        admin=UserIssued(user=UserPublic.model_validate(admin), token=token),
    )


@router.get("/programmes/{programme_id}")
def get_programme(programme_id: int, session: SessionDep, p: CurrentUser) -> ProgrammePublic:
    """A programme of the user."""
    prog = session.get(Programme, access.programme(p, programme_id))
    if prog is None:
        raise not_found("programme")
    return ProgrammePublic.model_validate(prog)


@router.get("/programmes/{programme_id}/partners")
def list_partners(
    programme_id: int, session: SessionDep, p: CurrentUser, paging: PagingDep
) -> Page[PartnerPublic]:
    """The partners of the programme."""
    access.programme(p, programme_id)
    return page(
        session, Partner, Partner.programme_id == programme_id, PartnerPublic, paging, Partner.code
    )


@router.post("/programmes/{programme_id}/partners", status_code=201)
def create_partner(
    programme_id: int, body: PartnerCreate, session: SessionDep, p: CurrentUser
) -> PartnerPublic:
    """Add a partner (administrator)."""
    access.programme(p, programme_id)
    access.require_admin(p, "add partners")
    exists = session.scalar(
        select(Partner).where(Partner.programme_id == programme_id, Partner.code == body.code)
    )
    if exists is not None:
        raise conflict(f"partner {body.code} exists")
    partner = Partner(programme_id=programme_id, code=body.code, name=body.name)
    session.add(partner)
    session.flush()
    audit.record(
        session,
        p,
        "partner.create",
        "partner",
        partner.id,
        after=audit.snapshot(partner, PartnerPublic),
    )
    session.commit()
    return PartnerPublic.model_validate(partner)
