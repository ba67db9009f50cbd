"""Field types shared by the scenario models: UTC time stamps and the strict base model.

Time convention (whole package): at the edges (files, CLI, JSON) a time is a timezone-aware
``datetime`` in UTC; a plain date ``2025-01-01`` means 00:00 UTC that day; a date-time without
a zone is refused rather than guessed. Inside ``orbit/`` times are Skyfield ``Time`` objects or
numpy arrays of seconds, converted only at the boundary.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict


def _date_to_datetime(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                d = date.fromisoformat(text)
            except ValueError:
                return value
            return datetime(d.year, d.month, d.day, tzinfo=UTC)
        return text
    return value


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, BeforeValidator(_date_to_datetime), AfterValidator(_to_utc)]
"""A timezone-aware UTC ``datetime``; accepts ISO 8601 text with ``Z`` or an offset, or a date."""


class StrictModel(BaseModel):
    """Base of every scenario model: unknown keys are errors, values are validated on assignment."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        str_strip_whitespace=True,
        use_attribute_docstrings=False,
    )


def utc_iso(value: datetime) -> str:
    """Format an aware ``datetime`` as ISO 8601 UTC with a ``Z`` suffix, to the millisecond
    (truncated), the form of every time stationplan writes.

    >>> utc_iso(datetime(2025, 1, 2, 3, 4, 5, 250999, tzinfo=UTC))
    '2025-01-02T03:04:05.250Z'
    """
    v = value.astimezone(UTC)
    return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}Z"
