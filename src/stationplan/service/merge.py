"""Accepting a proposal: a three-way merge into the baseline, under the programme's merge lock.

When the baseline has not moved since the proposal's parent version, the proposal's change set
applied to it is the new baseline. Otherwise the change set is merged into the current
baseline (:func:`~stationplan.scenario.changes.merge_three_way`): without conflicts the merge
completes at once; with conflicts the merge state (base / baseline / proposal of every
conflicting field path) is stored on the proposal, the baseline is locked for other merges
and edits, and each conflict is resolved in turn; the last resolution completes the merge.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stationplan.errors import ScenarioError
from stationplan.scenario.changes import (
    ABSENT,
    ChangeKind,
    apply_change,
    change_set,
    merge_three_way,
    set_field,
)
from stationplan.scenario.changes import jsonable as plain
from stationplan.scenario.loader import parse_scenario
from stationplan.service import audit
from stationplan.service.access import Principal
from stationplan.service.baseline import move_baseline
from stationplan.service.errors import ApiError, conflict, input_error, not_found
from stationplan.service.models import (
    MergeLock,
    Partner,
    Programme,
    Proposal,
    ScenarioVersion,
    utc_now,
)
from stationplan.service.schemas import ConflictPublic, MergePublic, ProposalPublic


def change_text(
    session: Session, partner_id: int, kind: str, payload: dict[str, Any], base_text: str
) -> str:
    """``base_text`` with a partner's change set made (422 naming the payload field when the
    change set does not apply)."""
    partner = session.get(Partner, partner_id)
    assert partner is not None
    change_kind: ChangeKind = kind  # type: ignore[assignment]
    try:
        return apply_change(base_text, change_kind, payload, partner.code)
    except ScenarioError as exc:
        raise input_error(exc, code="invalid_change") from None


def check_change(
    session: Session, partner_id: int, kind: str, payload: dict[str, Any], base_text: str
) -> None:
    """422 naming the payload field when a partner's change set does not apply to
    ``base_text``. The change set's paths are read off the base's own data, so a change set
    that is found can be made: the text is written only when it is needed (a run, a merge)."""
    partner = session.get(Partner, partner_id)
    assert partner is not None
    change_kind: ChangeKind = kind  # type: ignore[assignment]
    try:
        change_set(base_text, change_kind, payload, partner.code)
    except ScenarioError as exc:
        raise input_error(exc, code="invalid_change") from None


def proposal_text(session: Session, proposal: Proposal, base_text: str) -> str:
    """``base_text`` with the proposal's change set made."""
    return change_text(session, proposal.partner_id, proposal.kind, proposal.payload, base_text)


def _validate(text: str, source: str) -> None:
    try:
        parse_scenario(text, source, local_files=False)
    except ScenarioError as exc:
        raise input_error(exc, code="invalid_merge") from None


def _lock(session: Session, p: Principal, proposal: Proposal) -> MergeLock:
    held = session.get(MergeLock, proposal.programme_id)
    if held is not None:
        if held.proposal_id == proposal.id:
            return held
        raise conflict(
            f"the baseline is locked by the merge of proposal {held.proposal_id} (user "
            f"{held.holder_id} since {held.acquired_utc:%Y-%m-%d %H:%M} UTC)",
            lock_holder_id=held.holder_id,
            lock_proposal_id=held.proposal_id,
        )
    lock = MergeLock(
        programme_id=proposal.programme_id, proposal_id=proposal.id, holder_id=p.user_id
    )
    session.add(lock)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise conflict("the baseline is locked by another merge") from None
    return lock


def _complete(
    session: Session, p: Principal, proposal: Proposal, text: str, revision: int
) -> MergePublic:
    """Store the merged text as a version, move the baseline, accept, release the lock."""
    _validate(text, f"merge of proposal {proposal.id}")
    prog = session.get(Programme, proposal.programme_id)
    assert prog is not None
    before = audit.snapshot(proposal, ProposalPublic)
    version = ScenarioVersion(
        programme_id=prog.id,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        message=f"proposal {proposal.id} merged: {proposal.title or proposal.kind}",
        author_id=p.user_id,
        parent_id=prog.baseline_version_id,
    )
    session.add(version)
    session.flush()
    move_baseline(session, p, prog.id, version.id, revision, "baseline.merge", merging=True)
    proposal.state, proposal.merge = "accepted", None
    proposal.merged_version_id = version.id
    proposal.updated_utc = utc_now()
    lock = session.get(MergeLock, prog.id)
    if lock is not None:
        session.delete(lock)
    audit.record(
        session,
        p,
        "proposal.accept",
        "proposal",
        proposal.id,
        before=before,
        after=audit.snapshot(proposal, ProposalPublic),
    )
    return MergePublic(proposal_id=proposal.id, state="accepted", merged_version_id=version.id)


def state_of(session: Session, proposal: Proposal) -> MergePublic:
    """The merge under way of a proposal (its conflicts) or its outcome."""
    if proposal.merge is None:
        if proposal.state == "accepted":
            return MergePublic(
                proposal_id=proposal.id,
                state="accepted",
                merged_version_id=proposal.merged_version_id,
            )
        raise not_found("merge")
    lock = session.get(MergeLock, proposal.programme_id)
    return MergePublic(
        proposal_id=proposal.id,
        state="conflicts",
        conflicts=[ConflictPublic.model_validate(c) for c in proposal.merge["conflicts"]],
        lock_holder_id=lock.holder_id if lock else None,
        lock_acquired_utc=lock.acquired_utc if lock else None,
    )


def accept(session: Session, p: Principal, proposal: Proposal) -> MergePublic:
    """Start (or with no conflict, complete) the merge of a submitted proposal. Commits."""
    if proposal.state != "submitted":
        raise conflict(f"the proposal is {proposal.state}; only a submitted one is accepted")
    if proposal.merge is not None:
        return state_of(session, proposal)
    prog = session.get(Programme, proposal.programme_id)
    assert prog is not None
    base = session.get(ScenarioVersion, proposal.parent_version_id)
    assert base is not None
    _lock(session, p, proposal)
    revision = prog.baseline_revision
    theirs = proposal_text(session, proposal, base.text)
    if prog.baseline_version_id in (None, base.id):
        result = _complete(session, p, proposal, theirs, revision)
        session.commit()
        return result
    current = session.get(ScenarioVersion, prog.baseline_version_id)
    assert current is not None
    merged = merge_three_way(base.text, current.text, theirs)
    if not merged.conflicts:
        result = _complete(session, p, proposal, merged.text, revision)
        session.commit()
        return result
    proposal.merge = {
        "text": merged.text,
        "baseline_revision": revision,
        "conflicts": [
            {
                "field": c.field,
                "path": list(c.path),
                "base": plain(c.base),
                "baseline": plain(c.baseline),
                "proposal": plain(c.proposal),
                "proposal_absent": c.proposal is ABSENT,
                "resolved": False,
                "choice": None,
            }
            for c in merged.conflicts
        ],
    }
    audit.record(
        session,
        p,
        "merge.start",
        "proposal",
        proposal.id,
        after={"conflicts": [c.field for c in merged.conflicts]},
    )
    session.commit()
    return state_of(session, proposal)


def resolve(
    session: Session, p: Principal, proposal: Proposal, field: str, choice: str, value: Any
) -> MergePublic:
    """Resolve one conflict of the merge under way (``baseline``, ``proposal`` or a
    ``value``); the last one completes the merge. Commits."""
    if proposal.merge is None:
        raise conflict("no merge of this proposal is under way; accept it first")
    lock = session.get(MergeLock, proposal.programme_id)
    if lock is None or lock.proposal_id != proposal.id:
        raise conflict("the merge lock of this proposal is gone; accept it again")
    merge = dict(proposal.merge)
    conflicts = [dict(c) for c in merge["conflicts"]]
    entry = next((c for c in conflicts if c["field"] == field), None)
    if entry is None:
        raise ApiError(422, f"{field} is not a conflict of this merge", field="field")
    if entry["resolved"]:
        raise conflict(f"{field} is already resolved")
    path = tuple(entry["path"])
    text = merge["text"]
    if choice == "proposal":
        text = set_field(text, path, ABSENT if entry["proposal_absent"] else entry["proposal"])
    elif choice == "value":
        text = set_field(text, path, ABSENT if value is None else value)
    entry["resolved"], entry["choice"] = True, choice
    merge["text"], merge["conflicts"] = text, conflicts
    proposal.merge = merge
    audit.record(
        session,
        p,
        "merge.resolve",
        "proposal",
        proposal.id,
        before={"field": field, "baseline": entry["baseline"], "proposal": entry["proposal"]},
        after={"field": field, "choice": choice, "value": plain(value)},
    )
    if all(c["resolved"] for c in conflicts):
        result = _complete(session, p, proposal, text, int(merge["baseline_revision"]))
        session.commit()
        return result
    session.commit()
    return state_of(session, proposal)


def abort(session: Session, p: Principal, proposal: Proposal) -> None:
    """Abandon the merge under way: the proposal stays submitted, the lock is released."""
    lock = session.get(MergeLock, proposal.programme_id)
    if proposal.merge is None or lock is None or lock.proposal_id != proposal.id:
        raise conflict("no merge of this proposal is under way")
    proposal.merge = None
    session.delete(lock)
    audit.record(session, p, "merge.abort", "proposal", proposal.id)
    session.commit()
