"""The programme dashboard: the baseline, open proposals per partner, the last runs."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Request, Response

from stationplan.service import access
from stationplan.service.deps import CurrentUser, Paging, SessionDep
from stationplan.service.models import ScenarioVersion
from stationplan.service.pages.render import (
    PageRoute,
    back,
    partner_codes,
    programme_name,
    render,
    user_names,
)
from stationplan.service.routes.programmes import list_partners
from stationplan.service.routes.proposals import list_proposals
from stationplan.service.routes.runs import list_runs
from stationplan.service.routes.scenarios import get_baseline
from stationplan.service.schemas import ProposalPublic

router = APIRouter(route_class=PageRoute, include_in_schema=False)

OPEN_STATES = ("draft", "submitted")
LAST_RUNS = 10


@router.get("/")
def home(p: CurrentUser) -> Response:
    """The user's programme."""
    return back(f"/programmes/{p.programme_id}")


@router.get("/programmes/{programme_id}")
def dashboard(programme_id: int, request: Request, session: SessionDep, p: CurrentUser) -> Response:
    """Baseline version (sha, author, date), open proposals per partner, last runs."""
    access.programme(p, programme_id)
    baseline = get_baseline(programme_id, session, p, Response())
    version = (
        access.get(session, p, ScenarioVersion, baseline.version_id, "scenario version")
        if baseline.version_id is not None
        else None
    )
    partners = list_partners(programme_id, session, p, Paging(500, 0)).items
    proposals = list_proposals(programme_id, session, p, Paging(500, 0)).items
    by_partner: dict[int, list[ProposalPublic]] = defaultdict(list)
    for prop in proposals:
        if prop.state in OPEN_STATES:
            by_partner[prop.partner_id].append(prop)
    runs = list_runs(programme_id, session, p, Paging(LAST_RUNS, 0)).items
    return render(
        request,
        "dashboard.html",
        p,
        programme=programme_name(session, programme_id),
        baseline=baseline,
        version=version,
        partners=partners,
        open_proposals=by_partner,
        runs=runs,
        names=user_names(session, programme_id),
        codes=partner_codes(session, programme_id),
    )
