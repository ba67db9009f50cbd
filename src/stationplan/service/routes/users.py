"""Users of a programme (administrator) and API tokens (each user their own)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from stationplan.service import access, audit, security
from stationplan.service.deps import CurrentUser, PagingDep, Services, ServicesDep, SessionDep
from stationplan.service.errors import ApiError, conflict, not_found
from stationplan.service.models import ApiToken, Partner, User, utc_now
from stationplan.service.routes.common import page
from stationplan.service.schemas import (
    Page,
    TokenCreate,
    TokenIssued,
    TokenPublic,
    UserCreate,
    UserIssued,
    UserPublic,
)

router = APIRouter(tags=["users"])


def issue_token(session: Session, svc: Services, user: User, label: str) -> TokenIssued:
    """A new API token of ``user`` (its hash stored; the token returned once)."""
    new = security.new_token(svc.hasher)
    row = ApiToken(token_id=new.token_id, user_id=user.id, label=label, secret_hash=new.secret_hash)
    session.add(row)
    session.flush()
    return TokenIssued(
        token=new.token,
        token_id=row.token_id,
        label=row.label,
        created_utc=row.created_utc,
        revoked_utc=None,
    )


@router.get("/programmes/{programme_id}/users")
def list_users(
    programme_id: int, session: SessionDep, p: CurrentUser, paging: PagingDep
) -> Page[UserPublic]:
    """The users of the programme (administrator)."""
    access.programme(p, programme_id)
    access.require_admin(p, "list users")
    return page(session, User, User.programme_id == programme_id, UserPublic, paging, User.name)


@router.post("/programmes/{programme_id}/users", status_code=201)
def create_user(
    programme_id: int, body: UserCreate, session: SessionDep, svc: ServicesDep, p: CurrentUser
) -> UserIssued:
    """Add a user with a role (members need a partner) and a first API token, shown once."""
    access.programme(p, programme_id)
    access.require_admin(p, "add users")
    partner_id = None
    if body.partner_code is not None:
        partner = session.scalar(
            select(Partner).where(
                Partner.programme_id == programme_id, Partner.code == body.partner_code
            )
        )
        if partner is None:
            raise ApiError(422, f"no partner {body.partner_code}", field="partner_code")
        partner_id = partner.id
    elif body.role == "member":
        raise ApiError(422, "a member belongs to a partner", field="partner_code")
    if session.scalar(select(User).where(User.name == body.name)) is not None:
        raise conflict(f"a user named {body.name!r} exists", field="name")
    user = User(
        programme_id=programme_id,
        name=body.name,
        role=body.role,
        partner_id=partner_id,
        password_hash=svc.hasher.hash(body.password) if body.password else None,
    )
    session.add(user)
    session.flush()
    token = issue_token(session, svc, user, "first token")
    audit.record(session, p, "user.create", "user", user.id, after=audit.snapshot(user, UserPublic))
    session.commit()
    return UserIssued(user=UserPublic.model_validate(user), token=token)


@router.get("/tokens")
def list_tokens(session: SessionDep, p: CurrentUser, paging: PagingDep) -> Page[TokenPublic]:
    """The user's own API tokens (never the secrets)."""
    return page(session, ApiToken, access.tokens_filter(p), TokenPublic, paging)


@router.post("/tokens", status_code=201)
def create_token(
    body: TokenCreate, session: SessionDep, svc: ServicesDep, p: CurrentUser
) -> TokenIssued:
    """A new API token for the user, shown this once."""
    user = session.get(User, p.user_id)
    if user is None:
        raise not_found("user")
    token = issue_token(session, svc, user, body.label)
    audit.record(
        session,
        p,
        "token.create",
        "token",
        token.token_id,
        after=TokenPublic.model_validate(token).model_dump(mode="json"),
    )
    session.commit()
    return token


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: str, session: SessionDep, p: CurrentUser) -> Response:
    """Revoke one of the user's tokens."""
    row = access.own_token(session, p, token_id)
    before = audit.snapshot(row, TokenPublic)
    if row.revoked_utc is None:
        row.revoked_utc = utc_now()
    audit.record(
        session,
        p,
        "token.revoke",
        "token",
        token_id,
        before=before,
        after=audit.snapshot(row, TokenPublic),
    )
    session.commit()
    return Response(status_code=204)
