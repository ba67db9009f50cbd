"""Browser sessions: ``POST /login`` (form: name, password) signs a cookie session,
``POST /logout`` ends it; :func:`csrf_token` gives the token pages put in their forms."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from stationplan.service import security
from stationplan.service.deps import SESSION_USER_KEY, ServicesDep, SessionDep, check_csrf
from stationplan.service.errors import ApiError
from stationplan.service.models import User
from stationplan.service.schemas import CsrfPublic

router = APIRouter(tags=["session"])


def csrf_token(request: Request) -> str:
    """The CSRF token of the request's session (created on first use); pages send it back
    in the form field ``csrf_token`` or the ``X-CSRF-Token`` header."""
    token = request.session.get(security.CSRF_SESSION_KEY)
    if not isinstance(token, str):
        token = security.new_csrf_token()
        request.session[security.CSRF_SESSION_KEY] = token
    return token


@router.post("/login", status_code=303)
def login(
    request: Request,
    session: SessionDep,
    svc: ServicesDep,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Sign in with a password; the session cookie then authenticates (CSRF token needed
    for changes). 401 for a wrong name or password."""
    user = session.query(User).filter(User.name == name).one_or_none()
    if (
        user is None
        or user.password_hash is None
        or not security.verify(svc.hasher, user.password_hash, password)
    ):
        raise ApiError(401, "wrong name or password")
    request.session.clear()
    request.session[SESSION_USER_KEY] = user.id
    request.session[security.CSRF_SESSION_KEY] = security.new_csrf_token()
    target = next if _local_path(next) else "/"
    return RedirectResponse(target, status_code=303)


def _local_path(target: str) -> bool:
    """A path of this site (no scheme, no host, and nothing a browser reads as one: ``//``,
    ``/\\`` or control characters), the only place a sign-in may send the browser."""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


@router.post("/logout", status_code=204)
async def logout(request: Request) -> Response:
    """End the browser session (needs the CSRF token when signed in)."""
    if request.session.get(SESSION_USER_KEY) is not None:
        await check_csrf(request)
    request.session.clear()
    return Response(status_code=204)


@router.get("/api/v1/session/csrf")
def csrf(request: Request) -> CsrfPublic:
    """The CSRF token of the current browser session."""
    return CsrfPublic(csrf_token=csrf_token(request))
