"""What the routes share: paging a query, the ETag of a revision."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from stationplan.service.deps import Paging
from stationplan.service.errors import ApiError, conflict
from stationplan.service.models import Base
from stationplan.service.schemas import Page

M = TypeVar("M", bound=Base)
S = TypeVar("S", bound=BaseModel)


def page(
    session: Session,
    model: type[M],
    where: ColumnElement[bool],
    schema: type[S],
    paging: Paging,
    order: Any = None,
) -> Page[S]:
    """One page of ``model`` rows matching ``where`` (newest id first unless ``order``)."""
    total = session.scalar(select(func.count()).select_from(model).where(where)) or 0
    query: Select[Any] = (
        select(model)
        .where(where)
        .order_by(order if order is not None else model.id.desc())  # type: ignore[attr-defined]
        .limit(paging.limit)
        .offset(paging.offset)
    )
    items = [schema.model_validate(row, from_attributes=True) for row in session.scalars(query)]
    return Page[schema](  # type: ignore[valid-type]
        items=items, total=total, limit=paging.limit, offset=paging.offset
    )


def etag(kind: str, object_id: int, revision: int) -> str:
    """The ETag of revision ``revision`` of an object.

    >>> etag("baseline", 3, 7)
    '"baseline-3-r7"'
    """
    return f'"{kind}-{object_id}-r{revision}"'


def expected_revision(
    if_match: str | None, body_revision: int | None, kind: str, object_id: int
) -> int:
    """The revision a writer read: from ``If-Match`` (an ETag of this object) or the body;
    428 when neither is given."""
    if body_revision is not None:
        return body_revision
    if if_match is None:
        raise ApiError(
            428,
            "send If-Match with the ETag read (or the revision in the body), so that no "
            "other change is overwritten",
            code="precondition_required",
        )
    prefix = f'"{kind}-{object_id}-r'
    tag = if_match.strip().removeprefix("W/")
    if not (tag.startswith(prefix) and tag.endswith('"') and tag[len(prefix) : -1].isdigit()):
        raise conflict(f"If-Match {if_match} is not an ETag of this {kind}")
    return int(tag[len(prefix) : -1])
