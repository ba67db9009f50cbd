"""The audit log of a programme (members see it without other partners' private objects)."""

from __future__ import annotations

from fastapi import APIRouter

from stationplan.service import access
from stationplan.service.deps import CurrentUser, PagingDep, SessionDep
from stationplan.service.models import AuditEntry
from stationplan.service.routes.common import page
from stationplan.service.schemas import AuditPublic, Page

router = APIRouter(tags=["audit"])


@router.get("/programmes/{programme_id}/audit")
def list_audit(
    programme_id: int, session: SessionDep, p: CurrentUser, paging: PagingDep
) -> Page[AuditPublic]:
    """Every change in the programme, newest first: who, when, what, before and after."""
    access.programme(p, programme_id)
    return page(session, AuditEntry, access.audit_filter(p), AuditPublic, paging)
