"""The web pages of the service: server-rendered (Jinja2) over the same functions the API
routes are, with the service's own static files; no business rule lives here
(:mod:`stationplan.service.access` decides what a user sees and may do)."""

from fastapi import APIRouter

from stationplan.service.pages import auth, dashboard, ledger, proposals, runs, versions
from stationplan.service.pages.render import STATIC_DIR

router = APIRouter()
for _module in (auth, dashboard, versions, proposals, runs, ledger):
    router.include_router(_module.router)

__all__ = ["STATIC_DIR", "router"]
