"""The login page (its form posts to ``POST /login``) and signing out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from stationplan.service.deps import SESSION_USER_KEY
from stationplan.service.pages.render import PageRoute, back, render
from stationplan.service.session import logout

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _local(target: str) -> str:
    """``target`` if it is a path of this site, else ``/``."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_page(request: Request, next: Annotated[str, Query(max_length=500)] = "/") -> Response:
    """The sign-in form; a signed-in user goes on to ``next``."""
    if request.session.get(SESSION_USER_KEY) is not None:
        return back(_local(next))
    return render(request, "login.html", next=_local(next))


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    """End the browser session (``POST /logout``, CSRF checked) and show the login page."""
    await logout(request)
    return back("/login")
