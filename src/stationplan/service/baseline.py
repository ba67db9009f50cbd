"""Moving a programme's baseline under optimistic concurrency and the merge lock."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from stationplan.service import audit
from stationplan.service.access import Principal
from stationplan.service.errors import conflict, not_found
from stationplan.service.models import MergeLock, Programme


def baseline_json(prog: Programme) -> dict[str, int | None]:
    """The baseline as the audit log records it."""
    return {"version_id": prog.baseline_version_id, "revision": prog.baseline_revision}


def move_baseline(
    session: Session,
    p: Principal,
    programme_id: int,
    version_id: int,
    expected_revision: int,
    action: str,
    *,
    merging: bool = False,
) -> Programme:
    """Set the baseline to ``version_id`` if it is still at ``expected_revision`` (a single
    conditional UPDATE, so two writers cannot both win); 409 when it moved, or when a merge
    holds the lock (``merging``: the merge that holds it). Not committed."""
    if not merging and session.get(MergeLock, programme_id) is not None:
        raise conflict("the baseline is locked by a merge under way; try again when it ends")
    prog = session.get(Programme, programme_id)
    if prog is None:
        raise not_found("programme")
    before = baseline_json(prog)
    result = session.execute(
        update(Programme)
        .where(Programme.id == programme_id, Programme.baseline_revision == expected_revision)
        .values(baseline_version_id=version_id, baseline_revision=expected_revision + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        session.rollback()
        current = session.get(Programme, programme_id)
        raise conflict(
            f"the baseline changed (revision {expected_revision} was read, it is now "
            f"{current.baseline_revision if current else '?'}); read it again and retry",
            current_revision=current.baseline_revision if current else None,
        )
    session.refresh(prog)
    audit.record(
        session, p, action, "baseline", programme_id, before=before, after=baseline_json(prog)
    )
    return prog
