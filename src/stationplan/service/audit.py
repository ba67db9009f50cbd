"""The audit log: every change, who made it, when, and the object before and after."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from stationplan.service.access import Principal
from stationplan.service.models import AuditEntry


def snapshot(obj: Any, schema: type[BaseModel]) -> dict[str, Any]:
    """An object as JSON data through its public schema (secrets never enter the log)."""
    return schema.model_validate(obj, from_attributes=True).model_dump(mode="json")


def record(
    session: Session,
    p: Principal | None,
    action: str,
    object_type: str,
    object_id: object,
    *,
    before: Any = None,
    after: Any = None,
    programme_id: int | None = None,
    partner_id: int | None = None,
) -> None:
    """Add an audit entry to ``session`` (committed with the change). ``partner_id`` marks an
    entry about a partner's private object (visible to that partner and the admin only)."""
    session.add(
        AuditEntry(
            programme_id=programme_id if programme_id is not None else (p and p.programme_id),
            user_id=p.user_id if p else None,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            partner_id=partner_id,
            before=before,
            after=after,
        )
    )
