"""Every error of the API in one shape: ``{"error": {"code", "message", "field"}}``; a scenario
that fails validation adds ``"problems"``: each with source, line, column, field and message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from stationplan.errors import Problem, StationplanInputError

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    422: "invalid",
    428: "precondition_required",
}


class ApiError(Exception):
    """An error answered to the client: HTTP status, a stable code, a message, the field."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.field = field
        self.extra = extra or {}
        self.headers = headers


def not_found(what: str) -> ApiError:
    """404: no such object, or one the user may not see (the same answer for both)."""
    return ApiError(404, f"no such {what}")


def forbidden(message: str) -> ApiError:
    """403: a visible object, an action the user's role may not take."""
    return ApiError(403, message)


def conflict(message: str, *, field: str | None = None, **extra: Any) -> ApiError:
    """409: the state changed under the request (or the name is taken); nothing was
    written."""
    return ApiError(409, message, field=field, extra=extra)


def problem_json(p: Problem) -> dict[str, Any]:
    """A scenario problem as JSON (``text`` is the ``file:line field: message`` form)."""
    return {
        "source": p.source,
        "line": p.line,
        "column": p.column,
        "field": p.field,
        "message": p.message,
        "text": str(p),
    }


def input_error(exc: StationplanInputError, code: str = "invalid_scenario") -> ApiError:
    """422 for bad input from the planner's own validation, every problem listed."""
    first = exc.problems[0] if exc.problems else Problem("<input>", str(exc))
    return ApiError(
        422,
        str(first),
        code=code,
        field=first.field,
        extra={"problems": [problem_json(p) for p in exc.problems]},
    )


def error_body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    """The one error shape."""
    return {"error": {"code": code, "message": message, "field": field, **extra}}


def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        error_body(exc.code, exc.message, exc.field, **exc.extra),
        status_code=exc.status,
        headers=exc.headers,
    )


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return JSONResponse(
        error_body(_CODES.get(exc.status_code, "error"), str(exc.detail)),
        status_code=exc.status_code,
        headers=exc.headers,
    )


def _field_of(loc: Sequence[Any]) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(str(p) for p in parts)


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    problems = [{"field": _field_of(e["loc"]), "message": str(e["msg"])} for e in errors]
    return JSONResponse(
        error_body(
            "invalid", str(first["msg"]), _field_of(first["loc"]) or None, problems=problems
        ),
        status_code=422,
    )


def _stale(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        error_body("conflict", "the object changed meanwhile; read it again and retry"),
        status_code=409,
    )


def _internal(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        error_body("internal", f"internal error ({type(exc).__name__}); see the server log"),
        status_code=500,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error of ``app`` in the one shape (an unexpected one as 500 ``internal``,
    logged by the server)."""
    app.add_exception_handler(Exception, _internal)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
