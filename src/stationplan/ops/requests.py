"""Requests to the use cases: pydantic models validated the same way whichever face sends them.

A request's fields reuse the bounds of the scenario fields they stand for (a lift-off lead on
the command line is bounded as a vehicle's ``launch_offset_s`` in a scenario file), so one
rule holds in one place. A request that does not validate becomes an
:class:`~stationplan.errors.ArgumentError` whose problems name the option or field the face
shows to its user (``--lead-s`` on the command line, ``lead_s`` in an API body).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from stationplan.errors import REQUEST, ArgumentError, Problem
from stationplan.orbit.constants import ephemeris_gap
from stationplan.scenario.fields import UtcDatetime

R = TypeVar("R", bound=BaseModel)


def field_type(model: type[BaseModel], name: str) -> Any:
    """The type of a scenario field with its bounds, for a request field that stands for it."""
    info = model.model_fields[name]
    return Annotated[(float, *info.metadata)]


def cli_label(name: str) -> str:
    """The command-line option of a request field: ``lead_s`` -> ``--lead-s``."""
    return "--" + name.replace("_", "-")


def request_error(field: str | None, message: str) -> ArgumentError:
    """A bad-request error about one field of a request (named as in the request model)."""
    return ArgumentError(Problem(REQUEST, message, field=field))


def relabel(
    problems: list[Problem],
    source: str,
    label: Callable[[str], str] = cli_label,
    labels: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Problems of a request as a face shows them: ``source`` for where (``command line``),
    and each field by ``labels`` or ``label`` (``--lead-s``). Other problems (a file's line)
    are kept as they are."""
    out = []
    for p in problems:
        if p.source != REQUEST:
            out.append(p)
            continue
        name = p.field
        shown = None if name is None else (labels or {}).get(name) or label(name)
        out.append(Problem(source, p.message, field=shown))
    return out


TIME_EXAMPLE = "2025-01-01T00:00:00Z"


def _message(err: Any) -> str:
    kind = str(err["type"])
    value = err.get("input")
    if kind == "timezone_aware":
        return f"'{value}' has no time zone; add Z (UTC), e.g. {TIME_EXAMPLE}"
    if kind.startswith(("datetime_", "date_")):
        return f"'{value}' is not an ISO 8601 UTC time; expected e.g. {TIME_EXAMPLE}"
    msg = str(err["msg"]).replace("Input should be", "must be").replace("Value error, ", "")
    if kind in ("missing", "extra_forbidden") or kind.startswith("value_error"):
        return msg
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        msg += f" (got {value!r})" if isinstance(value, str) else f" (got {value:g})"
    return msg


def make_request(model: type[R], values: Mapping[str, object]) -> R:
    """Validate ``values`` into a ``model`` request, or raise ArgumentError with one problem
    per wrong field (source :data:`REQUEST`, field named as in the model)."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            problems.append(Problem(REQUEST, _message(err), field=loc[0] if loc else None))
        raise ArgumentError(problems) from None


class Request(BaseModel):
    """Base of every request: unknown fields are errors, requests are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SpanRequest(Request):
    """A request over a UTC time span inside the planetary ephemeris."""

    start_utc: UtcDatetime
    end_utc: UtcDatetime

    @field_validator("end_utc")
    @classmethod
    def _span(cls, end: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("start_utc")
        if start is None:
            return end
        if end <= start:
            raise ValueError(f"must be after the start {start:%Y-%m-%dT%H:%M:%SZ}")
        gap = ephemeris_gap(start, end)
        if gap is not None:
            raise ValueError(f"the span {gap}")
        return end
