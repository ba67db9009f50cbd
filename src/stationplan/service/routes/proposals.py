"""Partner proposals: drafts, submission, acceptance by merge (with conflict resolution),
rejection, their difference from the parent version, and what-if runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from stationplan.errors import ScenarioError
from stationplan.scenario.changes import ABSENT, diff_texts, jsonable
from stationplan.service import access, audit, merge
from stationplan.service.deps import CurrentUser, PagingDep, ServicesDep, SessionDep
from stationplan.service.errors import ApiError, conflict, input_error
from stationplan.service.models import Partner, Programme, Proposal, Run, ScenarioVersion, utc_now
from stationplan.service.proposal_change import change_of_proposal
from stationplan.service.routes.common import page
from stationplan.service.schemas import (
    FieldChangePublic,
    MergePublic,
    Page,
    ProposalCreate,
    ProposalPublic,
    ProposalUpdate,
    Resolution,
    RunPublic,
    VersionDiff,
)

router = APIRouter(tags=["proposals"])


def _private(proposal: Proposal) -> int | None:
    """The partner an audit entry about ``proposal`` is private to (drafts only)."""
    return proposal.partner_id if proposal.state == "draft" else None


@router.post("/programmes/{programme_id}/proposals", status_code=201)
def create_proposal(
    programme_id: int, body: ProposalCreate, session: SessionDep, p: CurrentUser
) -> ProposalPublic:
    """A draft change set to the current baseline, for the member's partner (the
    administrator names ``partner_code``); 422 when it does not apply to the baseline."""
    access.programme(p, programme_id)
    partner = access.partner_to_act_for(session, p, body.partner_code, "draft proposals")
    prog = session.get(Programme, programme_id)
    if prog is None or prog.baseline_version_id is None:
        raise conflict("the programme has no baseline yet; set one first")
    base = session.get(ScenarioVersion, prog.baseline_version_id)
    assert base is not None
    merge.check_change(session, partner.id, body.kind, body.payload, base.text)
    proposal = Proposal(
        programme_id=programme_id,
        partner_id=partner.id,
        kind=body.kind,
        title=body.title,
        payload=body.payload,
        parent_version_id=prog.baseline_version_id,
        created_by=p.user_id,
    )
    session.add(proposal)
    session.flush()
    audit.record(
        session,
        p,
        "proposal.create",
        "proposal",
        proposal.id,
        after=audit.snapshot(proposal, ProposalPublic),
        partner_id=partner.id,
    )
    session.commit()
    return ProposalPublic.model_validate(proposal)


@router.get("/programmes/{programme_id}/proposals")
def list_proposals(
    programme_id: int,
    session: SessionDep,
    p: CurrentUser,
    paging: PagingDep,
    state: Annotated[str | None, Query(pattern="^(draft|submitted|accepted|rejected)$")] = None,
) -> Page[ProposalPublic]:
    """The proposals the user may see: every partner's past the draft, their own drafts."""
    access.programme(p, programme_id)
    where = access.proposals_filter(p)
    if state is not None:
        where = where & (Proposal.state == state)
    return page(session, Proposal, where, ProposalPublic, paging)


@router.get("/proposals/{proposal_id}")
def get_proposal(proposal_id: int, session: SessionDep, p: CurrentUser) -> ProposalPublic:
    """A proposal (drafts: its partner and the administrator only)."""
    return ProposalPublic.model_validate(access.proposal(session, p, proposal_id))


@router.patch("/proposals/{proposal_id}")
def edit_proposal(
    proposal_id: int, body: ProposalUpdate, session: SessionDep, p: CurrentUser
) -> ProposalPublic:
    """Edit a draft; ``revision`` must be the one read (409 otherwise, nothing written)."""
    proposal = access.proposal(session, p, proposal_id)
    access.act_for_partner(p, proposal.partner_id, "edit this proposal")
    if proposal.state != "draft":
        raise conflict(f"the proposal is {proposal.state}; only drafts are edited")
    if body.revision != proposal.revision:
        raise conflict(
            f"the proposal changed (revision {body.revision} was read, it is now "
            f"{proposal.revision}); read it again",
            current_revision=proposal.revision,
        )
    if body.payload is not None:
        base = session.get(ScenarioVersion, proposal.parent_version_id)
        assert base is not None
        merge.check_change(session, proposal.partner_id, proposal.kind, body.payload, base.text)
    before = audit.snapshot(proposal, ProposalPublic)
    if body.title is not None:
        proposal.title = body.title
    if body.payload is not None:
        proposal.payload = body.payload
    proposal.updated_utc = utc_now()
    session.flush()
    audit.record(
        session,
        p,
        "proposal.edit",
        "proposal",
        proposal.id,
        before=before,
        after=audit.snapshot(proposal, ProposalPublic),
        partner_id=proposal.partner_id,
    )
    session.commit()
    return ProposalPublic.model_validate(proposal)


@router.post("/proposals/{proposal_id}/submit")
def submit_proposal(proposal_id: int, session: SessionDep, p: CurrentUser) -> ProposalPublic:
    """Submit a draft to the programme (it becomes visible to every user)."""
    proposal = access.proposal(session, p, proposal_id)
    access.act_for_partner(p, proposal.partner_id, "submit this proposal")
    if proposal.state != "draft":
        raise conflict(f"the proposal is {proposal.state}; only drafts are submitted")
    before = audit.snapshot(proposal, ProposalPublic)
    proposal.state, proposal.updated_utc = "submitted", utc_now()
    audit.record(
        session,
        p,
        "proposal.submit",
        "proposal",
        proposal.id,
        before=before,
        after=audit.snapshot(proposal, ProposalPublic),
    )
    session.commit()
    return ProposalPublic.model_validate(proposal)


@router.post("/proposals/{proposal_id}/reject")
def reject_proposal(proposal_id: int, session: SessionDep, p: CurrentUser) -> ProposalPublic:
    """Reject a submitted proposal (administrator)."""
    proposal = access.proposal(session, p, proposal_id)
    access.require_admin(p, "reject proposals")
    if proposal.state != "submitted" or proposal.merge is not None:
        raise conflict("only a submitted proposal, not being merged, is rejected")
    before = audit.snapshot(proposal, ProposalPublic)
    proposal.state, proposal.updated_utc = "rejected", utc_now()
    audit.record(
        session,
        p,
        "proposal.reject",
        "proposal",
        proposal.id,
        before=before,
        after=audit.snapshot(proposal, ProposalPublic),
    )
    session.commit()
    return ProposalPublic.model_validate(proposal)


@router.post(
    "/proposals/{proposal_id}/accept",
    responses={409: {"description": "Conflicts to resolve (error code merge_conflicts)"}},
)
def accept_proposal(proposal_id: int, session: SessionDep, p: CurrentUser) -> MergePublic:
    """Merge a submitted proposal into the baseline (administrator). Without conflicts it is
    accepted at once. With conflicts the answer is 409 ``merge_conflicts``, listing each
    conflicting field path with its base, baseline and proposal values (``error.conflicts``);
    the baseline stays locked until they are resolved (``/merge/resolutions``)."""
    proposal = access.proposal(session, p, proposal_id)
    access.require_admin(p, "accept proposals")
    result = merge.accept(session, p, proposal)
    if result.state == "conflicts":
        fields = [c.field for c in result.conflicts]
        raise ApiError(
            409,
            f"{len(fields)} field(s) changed in the baseline and the proposal: "
            + ", ".join(fields)
            + "; resolve each one",
            code="merge_conflicts",
            field=fields[0],
            extra=result.model_dump(mode="json"),
        )
    return result


@router.get("/proposals/{proposal_id}/merge")
def get_merge(proposal_id: int, session: SessionDep, p: CurrentUser) -> MergePublic:
    """The merge under way (its conflicts and the lock) or its outcome."""
    return merge.state_of(session, access.proposal(session, p, proposal_id))


@router.post("/proposals/{proposal_id}/merge/resolutions")
def resolve_conflict(
    proposal_id: int, body: Resolution, session: SessionDep, p: CurrentUser
) -> MergePublic:
    """Resolve one conflicting field path (administrator); the last completes the merge."""
    proposal = access.proposal(session, p, proposal_id)
    access.require_admin(p, "resolve merge conflicts")
    return merge.resolve(session, p, proposal, body.field, body.choice, body.value)


@router.delete("/proposals/{proposal_id}/merge", status_code=204)
def abort_merge(proposal_id: int, session: SessionDep, p: CurrentUser) -> Response:
    """Abandon the merge under way and release the lock (administrator)."""
    proposal = access.proposal(session, p, proposal_id)
    access.require_admin(p, "abandon merges")
    merge.abort(session, p, proposal)
    return Response(status_code=204)


@router.get("/proposals/{proposal_id}/diff")
def proposal_diff(proposal_id: int, session: SessionDep, p: CurrentUser) -> VersionDiff:
    """The field paths the proposal changes in its parent version."""
    proposal = access.proposal(session, p, proposal_id)
    base = session.get(ScenarioVersion, proposal.parent_version_id)
    assert base is not None
    changes = diff_texts(base.text, merge.proposal_text(session, proposal, base.text))
    return VersionDiff(
        from_version_id=base.id,
        to_version_id=base.id,
        changes=[
            FieldChangePublic(
                field=c.field,
                path=list(c.path),
                before=jsonable(c.before),
                after=jsonable(c.after),
                before_present=c.before is not ABSENT,
                after_present=c.after is not ABSENT,
            )
            for c in changes
        ],
    )


@router.post("/proposals/{proposal_id}/whatif", status_code=202)
def start_whatif(
    proposal_id: int, session: SessionDep, svc: ServicesDep, p: CurrentUser
) -> RunPublic:
    """Plan the proposal's parent version with and without a join or withdraw proposal and
    compare them (a run; its ``comparison`` when it succeeded)."""
    proposal = access.proposal(session, p, proposal_id)
    access.require_writer(p, "start what-if runs")
    partner = session.get(Partner, proposal.partner_id)
    assert partner is not None
    try:
        change_of_proposal(proposal.kind, proposal.payload, partner.code)
    except ScenarioError as exc:
        raise input_error(exc, code="invalid_change") from None
    if proposal.kind not in ("join", "withdraw"):
        raise ApiError(422, "a what-if needs a join or withdraw proposal", field="kind")
    run = Run(
        programme_id=proposal.programme_id,
        version_id=proposal.parent_version_id,
        kind="whatif",
        proposal_id=proposal.id,
        created_by=p.user_id,
    )
    session.add(run)
    session.flush()
    audit.record(
        session,
        p,
        "run.create",
        "run",
        run.id,
        after=audit.snapshot(run, RunPublic),
        partner_id=_private(proposal),
    )
    session.commit()
    svc.runs.submit(run.id)
    return RunPublic.model_validate(run)
