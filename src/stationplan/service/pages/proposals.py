"""Proposals: the list and a new draft, one proposal with its difference from the parent
version, editing and submitting a draft, a what-if run, and for the administrator accepting
(merge conflicts side by side, resolved one by one) or rejecting."""

from __future__ import annotations

import io
from typing import Annotated, Any, cast

from fastapi import APIRouter, Form, Request, Response
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from stationplan.scenario.changes import CHANGE_KINDS, jsonable
from stationplan.service import access
from stationplan.service.deps import CurrentUser, Paging, ServicesDep, SessionDep
from stationplan.service.errors import ApiError
from stationplan.service.pages.render import (
    PageRoute,
    back,
    flash,
    partner_codes,
    render,
    user_names,
)
from stationplan.service.routes.programmes import list_partners
from stationplan.service.routes.proposals import (
    abort_merge,
    accept_proposal,
    create_proposal,
    edit_proposal,
    get_merge,
    list_proposals,
    proposal_diff,
    reject_proposal,
    resolve_conflict,
    start_whatif,
    submit_proposal,
)
from stationplan.service.routes.runs import list_runs
from stationplan.service.schemas import (
    MergePublic,
    ProposalCreate,
    ProposalUpdate,
    Resolution,
    VersionDiff,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

EXAMPLES: dict[str, str] = {
    "withdraw": "date_utc: 2025-02-20",
    "join": "partner:\n  name: Agency C\n  country: Cland\n  join_utc: 2025-02-01\n"
    "  utilization_share_pct: 10\nresident_crew: 1",
    "crew": "crew: 2",
    "flight": "vehicle:\n  name: Cargo\n  ...",
    "contribution": "contribution:\n  kind: module\n  description: ...",
}
"""A payload of each kind, shown beside the form."""


class PayloadError(ValueError):
    """A payload that is not a YAML mapping."""


def parse_payload(text: str) -> dict[str, Any]:
    """The payload typed in the form: a YAML mapping, as JSON data.

    >>> parse_payload("date_utc: 2025-02-20")
    {'date_utc': '2025-02-20'}
    """
    try:
        data = YAML(typ="safe", pure=True).load(io.StringIO(text))
    except YAMLError as exc:
        raise PayloadError(f"payload: not YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise PayloadError("payload: expected a mapping of fields, e.g. 'date_utc: 2025-02-20'")
    return cast(dict[str, Any], jsonable(data))


def dump_payload(payload: dict[str, Any]) -> str:
    """A payload as the YAML the form shows."""
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(payload, out)
    return out.getvalue()


def _problems(exc: ApiError) -> str:
    found = [str(p.get("text") or p.get("message")) for p in exc.extra.get("problems", [])]
    return "; ".join(found) if found else exc.message


@router.get("/programmes/{programme_id}/proposals")
def proposals_page(
    programme_id: int, request: Request, session: SessionDep, p: CurrentUser
) -> Response:
    """The proposals the user may see, and the form of a new draft."""
    access.programme(p, programme_id)
    return render(
        request,
        "proposals.html",
        p,
        proposals=list_proposals(programme_id, session, p, Paging(500, 0)).items,
        partners=list_partners(programme_id, session, p, Paging(500, 0)).items,
        codes=partner_codes(session, programme_id),
        kinds=CHANGE_KINDS,
        examples=EXAMPLES,
    )


@router.post("/programmes/{programme_id}/proposals")
def new_proposal(
    programme_id: int,
    request: Request,
    session: SessionDep,
    p: CurrentUser,
    kind: Annotated[str, Form()],
    payload: Annotated[str, Form()],
    title: Annotated[str, Form(max_length=200)] = "",
    partner_code: Annotated[str, Form()] = "",
) -> Response:
    """Create a draft (the administrator names the partner)."""
    access.programme(p, programme_id)
    here = f"/programmes/{programme_id}/proposals"
    if kind not in CHANGE_KINDS:
        flash(request, f"kind: expected one of {', '.join(CHANGE_KINDS)}")
        return back(here)
    try:
        body = ProposalCreate(
            kind=kind,
            title=title,
            payload=parse_payload(payload),
            partner_code=partner_code or None,
        )
        created = create_proposal(programme_id, body, session, p)
    except PayloadError as exc:
        flash(request, str(exc))
        return back(here)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        flash(request, _problems(exc))
        return back(here)
    flash(
        request, f"Draft {created.id} saved; only your partner and the administrator see it.", "ok"
    )
    return back(f"/proposals/{created.id}")


def _merge(session: SessionDep, p: CurrentUser, proposal_id: int) -> MergePublic | None:
    try:
        return get_merge(proposal_id, session, p)
    except ApiError as exc:
        if exc.status != 404:
            raise
        return None


@router.get("/proposals/{proposal_id}")
def proposal_page(
    proposal_id: int, request: Request, session: SessionDep, p: CurrentUser
) -> Response:
    """A proposal: its change, the fields it changes, the actions the user may take, a merge
    under way with its conflicts."""
    proposal = access.proposal(session, p, proposal_id)
    diff: VersionDiff | None = None
    diff_error = ""
    try:
        diff = proposal_diff(proposal_id, session, p)
    except ApiError as exc:
        diff_error = _problems(exc)
    runs = [
        r
        for r in list_runs(proposal.programme_id, session, p, Paging(500, 0)).items
        if r.proposal_id == proposal_id
    ]
    try:
        access.act_for_partner(p, proposal.partner_id, "change this proposal")
        may_write = True
    except ApiError:
        may_write = False
    return render(
        request,
        "proposal.html",
        p,
        proposal=proposal,
        payload_text=dump_payload(proposal.payload),
        diff=diff,
        diff_error=diff_error,
        merge=_merge(session, p, proposal_id),
        runs=runs,
        may_write=may_write,
        codes=partner_codes(session, proposal.programme_id),
        names=user_names(session, proposal.programme_id),
    )


def _act(request: Request, proposal_id: int, done: str, action: Any, *args: Any) -> Response:
    """Run a proposal action; a 409 or 422 is flashed on the proposal page."""
    try:
        action(*args)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        flash(request, _problems(exc))
    else:
        flash(request, done, "ok")
    return back(f"/proposals/{proposal_id}")


@router.post("/proposals/{proposal_id}/edit")
def edit(
    proposal_id: int,
    request: Request,
    session: SessionDep,
    p: CurrentUser,
    revision: Annotated[int, Form()],
    payload: Annotated[str, Form()],
    title: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Save a draft's title and payload (the revision read guards against a lost update)."""
    access.proposal(session, p, proposal_id)
    try:
        body = ProposalUpdate(revision=revision, title=title, payload=parse_payload(payload))
    except PayloadError as exc:
        flash(request, str(exc))
        return back(f"/proposals/{proposal_id}")
    return _act(request, proposal_id, "Draft saved.", edit_proposal, proposal_id, body, session, p)


@router.post("/proposals/{proposal_id}/submit")
def submit(proposal_id: int, request: Request, session: SessionDep, p: CurrentUser) -> Response:
    """Submit a draft: every partner of the programme sees it from now on."""
    return _act(
        request,
        proposal_id,
        "Submitted: every partner of the programme sees it now.",
        submit_proposal,
        proposal_id,
        session,
        p,
    )


@router.post("/proposals/{proposal_id}/reject")
def reject(proposal_id: int, request: Request, session: SessionDep, p: CurrentUser) -> Response:
    """Reject a submitted proposal (administrator)."""
    return _act(request, proposal_id, "Rejected.", reject_proposal, proposal_id, session, p)


@router.post("/proposals/{proposal_id}/accept")
def accept(proposal_id: int, request: Request, session: SessionDep, p: CurrentUser) -> Response:
    """Merge a submitted proposal into the baseline (administrator); conflicts are then shown
    on the proposal page, to resolve one by one."""
    try:
        result = accept_proposal(proposal_id, session, p)
    except ApiError as exc:
        if exc.code == "merge_conflicts":
            flash(request, exc.message)
            return back(f"/proposals/{proposal_id}")
        if exc.status not in (409, 422):
            raise
        flash(request, _problems(exc))
        return back(f"/proposals/{proposal_id}")
    flash(request, f"Accepted: version {result.merged_version_id} is the baseline.", "ok")
    return back(f"/proposals/{proposal_id}")


@router.post("/proposals/{proposal_id}/resolve")
def resolve(
    proposal_id: int,
    request: Request,
    session: SessionDep,
    p: CurrentUser,
    field: Annotated[str, Form()],
    choice: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
) -> Response:
    """Resolve one conflicting field: keep the baseline's value, take the proposal's, or a
    value typed as YAML (empty: remove the field)."""
    if choice not in ("baseline", "proposal", "value"):
        flash(request, "choice: expected baseline, proposal or value")
        return back(f"/proposals/{proposal_id}")
    typed: Any = None
    if choice == "value" and value.strip():
        try:
            typed = jsonable(YAML(typ="safe", pure=True).load(io.StringIO(value)))
        except YAMLError as exc:
            flash(request, f"value: not YAML ({str(exc).splitlines()[0]})")
            return back(f"/proposals/{proposal_id}")
    body = Resolution.model_validate({"field": field, "choice": choice, "value": typed})
    try:
        result = resolve_conflict(proposal_id, body, session, p)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        flash(request, _problems(exc))
        return back(f"/proposals/{proposal_id}")
    if result.state == "accepted":
        flash(request, f"Accepted: version {result.merged_version_id} is the baseline.", "ok")
    else:
        left = sum(not c.resolved for c in result.conflicts)
        flash(request, f"{field} resolved ({choice}); {left} conflict(s) left.", "ok")
    return back(f"/proposals/{proposal_id}")


@router.post("/proposals/{proposal_id}/abort")
def abort(proposal_id: int, request: Request, session: SessionDep, p: CurrentUser) -> Response:
    """Abandon the merge under way (administrator)."""
    return _act(request, proposal_id, "Merge abandoned.", abort_merge, proposal_id, session, p)


@router.post("/proposals/{proposal_id}/whatif")
def whatif(
    proposal_id: int, request: Request, session: SessionDep, svc: ServicesDep, p: CurrentUser
) -> Response:
    """Start a what-if run of a join or withdraw proposal and follow it."""
    try:
        run = start_whatif(proposal_id, session, svc, p)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        flash(request, _problems(exc))
        return back(f"/proposals/{proposal_id}")
    return back(f"/runs/{run.id}")
