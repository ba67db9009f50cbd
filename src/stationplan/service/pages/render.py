"""What every page shares: the Jinja2 templates (the service's own, then the report's
partials), the page route that answers errors as HTML, flash messages and the
Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from stationplan.service.access import Principal
from stationplan.service.errors import ApiError
from stationplan.service.models import Partner, Programme, User
from stationplan.service.session import csrf_token

SERVICE_DIR = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = SERVICE_DIR / "templates"
STATIC_DIR = SERVICE_DIR / "static"
FLASH_KEY = "flash"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
"""Pages run only the service's own scripts and styles; the report, whose scripts are inline,
is served by the files endpoint into an iframe."""


def utc_text(value: datetime | None) -> str:
    """A timestamp as ``YYYY-MM-DD HH:MM UTC`` (empty for None)."""
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [FileSystemLoader(TEMPLATE_DIR), PackageLoader("stationplan.report", "templates")]
        ),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["utc"] = utc_text
    env.filters["short"] = lambda sha: (sha or "")[:12]
    return env


ENV = _environment()


def flash(request: Request, text: str, kind: str = "error") -> None:
    """A message shown once on the next page (``kind``: ``error`` or ``ok``)."""
    request.session[FLASH_KEY] = {"kind": kind, "text": text}


R = TypeVar("R", bound=Response)


def secure(response: R) -> R:
    """``response`` with the pages' security headers."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


def render(
    request: Request,
    name: str,
    p: Principal | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The template ``name`` as a page for user ``p`` (with the CSRF token, the user's
    programme and partner, and the flash message)."""
    values: dict[str, Any] = {
        "request": request,
        "user": p,
        "csrf": csrf_token(request),
        "flash": request.session.pop(FLASH_KEY, None),
    }
    values.update(context)
    html = ENV.get_template(name).render(values)
    return secure(HTMLResponse(html, status_code=status_code))


def back(url: str) -> RedirectResponse:
    """303 to ``url`` (after a form)."""
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, exc: ApiError) -> Response:
    """An API error as a page: 401 sends a browser to the login page; the rest keep their
    status and message."""
    if exc.status == 401 and request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return back(f"/login?next={quote(target, safe='')}")
    problems = [p.get("text") or p.get("message") for p in exc.extra.get("problems", [])]
    return render(
        request,
        "error.html",
        None,
        status_code=exc.status,
        status=exc.status,
        message=exc.message,
        problems=problems,
    )


class PageRoute(APIRoute):
    """A route of the pages: an :class:`ApiError` (404, 403, 401...) or an incomplete form
    (422) becomes an HTML page with the same status instead of the API's JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as exc:
                return error_page(request, exc)
            except RequestValidationError as exc:
                problems = [
                    {"message": f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}"}
                    for e in exc.errors()
                ]
                invalid = ApiError(422, "the form is incomplete", extra={"problems": problems})
                return error_page(request, invalid)

        return page_handler


def user_names(session: Session, programme_id: int) -> dict[int, str]:
    """The names of the programme's users by id (authors of versions, runs, proposals)."""
    rows = session.execute(
        select(User.id, User.name).where(User.programme_id == programme_id)
    ).all()
    return {int(i): str(n) for i, n in rows}


def partner_codes(session: Session, programme_id: int) -> dict[int, str]:
    """The codes of the programme's partners by id."""
    rows = session.execute(
        select(Partner.id, Partner.code).where(Partner.programme_id == programme_id)
    ).all()
    return {int(i): str(c) for i, c in rows}


def programme_name(session: Session, programme_id: int) -> str:
    """The programme's name."""
    prog = session.get(Programme, programme_id)
    return prog.name if prog is not None else ""
