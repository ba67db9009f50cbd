"""Request dependencies: the database session, the current user (API token or browser
session) and CSRF protection of cookie-authenticated changes.

At most :data:`DB_SLOTS` requests hold a database session at once (the others wait on the
event loop), fewer than the connection pool holds, so taking a connection never waits: a
worker thread never blocks on the pool while the requests holding its connections wait for a
worker thread. The user is looked up (and a token verified with argon2) in a worker thread,
never on the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated

from argon2 import PasswordHasher
from fastapi import Depends, Query, Request
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from stationplan.service import security
from stationplan.service.access import Principal
from stationplan.service.errors import ApiError
from stationplan.service.models import ApiToken, User
from stationplan.service.runner import RunPool
from stationplan.service.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_USER_KEY = "user_id"
DB_SLOTS = 12
"""Requests holding a database session at once: fewer than the connections of the engine's
pool (SQLAlchemy's 5 + 10 overflow), leaving some for the sessions of the run pool."""


@dataclass
class Services:
    """What the app holds for its requests (``app.state.services``)."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    hasher: PasswordHasher
    runs: RunPool
    verified: security.VerifiedTokens = field(default_factory=security.VerifiedTokens)
    db_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(DB_SLOTS))


def services(request: Request) -> Services:
    """The services of the app serving ``request``."""
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]


async def db_session(svc: ServicesDep) -> AsyncIterator[Session]:
    """A database session, once one of the :data:`DB_SLOTS` is free; routes commit what they
    change, the rest is rolled back."""
    async with svc.db_slots:
        with svc.sessions() as session:
            yield session


SessionDep = Annotated[Session, Depends(db_session)]


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})


def principal_of(user: User, via_session: bool) -> Principal:
    """The principal of a user row."""
    return Principal(
        user_id=user.id,
        name=user.name,
        programme_id=user.programme_id,
        role=user.role,
        partner_id=user.partner_id,
        via_session=via_session,
    )


def _from_token(session: Session, svc: Services, token: str) -> Principal:
    parts = security.split_token(token)
    if parts is None:
        raise _unauthorized("malformed API token; expected 'Authorization: Bearer spt_...'")
    token_id, secret = parts
    found = session.execute(
        select(ApiToken.secret_hash, ApiToken.revoked_utc, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_id == token_id)
    ).one_or_none()
    if found is None or found.revoked_utc is not None:
        raise _unauthorized("unknown or revoked API token")
    if not svc.verified.verify(svc.hasher, found.secret_hash, secret):
        raise _unauthorized("unknown or revoked API token")
    return principal_of(found.User, via_session=False)


async def check_csrf(request: Request) -> None:
    """403 for an unsafe cookie-authenticated request without the session's CSRF token
    (header ``X-CSRF-Token`` or form field ``csrf_token``)."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(security.CSRF_SESSION_KEY)
    sent = request.headers.get(security.CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(security.CSRF_FORM_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not security.same_secret(expected, sent):
        raise ApiError(403, "missing or wrong CSRF token", code="csrf_failed")


async def current_principal(request: Request, session: SessionDep, svc: ServicesDep) -> Principal:
    """The user of the request: ``Authorization: Bearer <token>`` first, else the session
    cookie (then unsafe methods need the CSRF token); 401 when neither."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized("expected 'Authorization: Bearer <token>'")
        return await run_in_threadpool(_from_token, session, svc, token.strip())
    user_id = request.session.get(SESSION_USER_KEY) if "session" in request.scope else None
    if user_id is None:
        raise _unauthorized("not signed in: send an API token or sign in at /login")
    user = await run_in_threadpool(session.get, User, int(user_id))
    if user is None:
        request.session.clear()
        raise _unauthorized("the session's user no longer exists")
    await check_csrf(request)
    return principal_of(user, via_session=True)


CurrentUser = Annotated[Principal, Depends(current_principal)]


@dataclass(frozen=True)
class Paging:
    """``limit`` and ``offset`` of a list request."""

    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Paging:
    """The page a list request asks for."""
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]
