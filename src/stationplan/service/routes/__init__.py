"""The API routes (``/api/v1``), one module per kind of object."""

from fastapi import APIRouter

from stationplan.service.routes import (
    audit,
    notes,
    programmes,
    proposals,
    runs,
    scenarios,
    users,
)

api_router = APIRouter()
for _module in (programmes, users, scenarios, proposals, notes, runs, audit):
    api_router.include_router(_module.router)

__all__ = ["api_router"]
