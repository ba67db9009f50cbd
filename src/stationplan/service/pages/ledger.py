"""A partner's own ledger: its rows of the baseline run's plan (utilisation ledger, spending
per year, unit costs); the administrator picks the partner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from stationplan.service import access
from stationplan.service.deps import CurrentUser, Paging, SessionDep
from stationplan.service.models import Partner
from stationplan.service.pages.render import PageRoute, render
from stationplan.service.routes.programmes import list_partners
from stationplan.service.routes.runs import get_run_file, list_runs
from stationplan.service.routes.scenarios import get_baseline
from stationplan.service.schemas import RunPublic

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PLAN_FILE = "plan.json"


def baseline_run(runs: list[RunPublic], baseline_version_id: int | None) -> RunPublic | None:
    """The newest succeeded plan run of the baseline version among ``runs`` (newest first)."""
    for run in runs:
        if (
            run.kind == "plan"
            and run.status == "succeeded"
            and run.version_id == baseline_version_id
            and PLAN_FILE in (run.files or [])
        ):
            return run
    return None


def rows_of(plan: dict[str, Any], code: str) -> dict[str, list[dict[str, Any]]]:
    """The partnership rows of partner ``code`` in a plan (JSON): ledger, finance, unit
    costs.

    >>> rows_of({"partnership": {"ledger": [{"partner": "A"}, {"partner": "B"}]}}, "A")
    {'ledger': [{'partner': 'A'}], 'finance': [], 'unit_costs': []}
    """
    part = plan.get("partnership") or {}
    return {
        key: [row for row in part.get(key) or [] if row.get("partner") == code]
        for key in ("ledger", "finance", "unit_costs")
    }


@router.get("/programmes/{programme_id}/ledger")
def ledger_page(
    programme_id: int,
    request: Request,
    session: SessionDep,
    p: CurrentUser,
    partner: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The user's partner's rows of the baseline run's plan (the administrator: the partner
    picked)."""
    access.programme(p, programme_id)
    partners = list_partners(programme_id, session, p, Paging(500, 0)).items
    own = session.get(Partner, p.partner_id) if p.partner_id is not None else None
    code = own.code if own is not None else None
    if p.is_admin and partner:
        code = partner
    baseline = get_baseline(programme_id, session, p, Response())
    run = baseline_run(
        list_runs(programme_id, session, p, Paging(500, 0)).items, baseline.version_id
    )
    rows: dict[str, list[dict[str, Any]]] = {}
    if run is not None and code is not None:
        path = Path(get_run_file(run.id, PLAN_FILE, session, p).path)
        rows = rows_of(json.loads(path.read_text(encoding="utf-8")), code)
    return render(
        request,
        "ledger.html",
        p,
        partners=partners,
        code=code,
        run=run,
        baseline=baseline,
        rows=rows,
    )
