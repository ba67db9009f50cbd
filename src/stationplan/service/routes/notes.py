"""A partner's private notes (its users and the administrator only)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from stationplan.service import access, audit
from stationplan.service.deps import CurrentUser, PagingDep, SessionDep
from stationplan.service.errors import conflict
from stationplan.service.models import Note, utc_now
from stationplan.service.routes.common import page
from stationplan.service.schemas import NoteCreate, NotePublic, NoteUpdate, Page

router = APIRouter(tags=["notes"])


@router.post("/programmes/{programme_id}/notes", status_code=201)
def create_note(
    programme_id: int, body: NoteCreate, session: SessionDep, p: CurrentUser
) -> NotePublic:
    """A private note of the member's partner (the administrator names ``partner_code``)."""
    access.programme(p, programme_id)
    partner = access.partner_to_act_for(session, p, body.partner_code, "write notes")
    note = Note(
        programme_id=programme_id, partner_id=partner.id, author_id=p.user_id, text=body.text
    )
    session.add(note)
    session.flush()
    audit.record(
        session,
        p,
        "note.create",
        "note",
        note.id,
        after=audit.snapshot(note, NotePublic),
        partner_id=partner.id,
    )
    session.commit()
    return NotePublic.model_validate(note)


@router.get("/programmes/{programme_id}/notes")
def list_notes(
    programme_id: int, session: SessionDep, p: CurrentUser, paging: PagingDep
) -> Page[NotePublic]:
    """The notes of the user's partner (all partners' for the administrator)."""
    access.programme(p, programme_id)
    return page(session, Note, access.notes_filter(p), NotePublic, paging)


@router.get("/notes/{note_id}")
def get_note(note_id: int, session: SessionDep, p: CurrentUser) -> NotePublic:
    """A note."""
    return NotePublic.model_validate(access.note(session, p, note_id))


@router.patch("/notes/{note_id}")
def edit_note(note_id: int, body: NoteUpdate, session: SessionDep, p: CurrentUser) -> NotePublic:
    """Replace a note's text; ``revision`` must be the one read (409 otherwise)."""
    note = access.note(session, p, note_id)
    access.act_for_partner(p, note.partner_id, "edit this note")
    if body.revision != note.revision:
        raise conflict(
            f"the note changed (revision {body.revision} was read, it is now "
            f"{note.revision}); read it again",
            current_revision=note.revision,
        )
    before = audit.snapshot(note, NotePublic)
    note.text, note.updated_utc = body.text, utc_now()
    session.flush()
    audit.record(
        session,
        p,
        "note.edit",
        "note",
        note.id,
        before=before,
        after=audit.snapshot(note, NotePublic),
        partner_id=note.partner_id,
    )
    session.commit()
    return NotePublic.model_validate(note)


@router.delete("/notes/{note_id}", status_code=204)
def delete_note(note_id: int, session: SessionDep, p: CurrentUser) -> Response:
    """Delete a note."""
    note = access.note(session, p, note_id)
    access.act_for_partner(p, note.partner_id, "delete this note")
    audit.record(
        session,
        p,
        "note.delete",
        "note",
        note.id,
        before=audit.snapshot(note, NotePublic),
        partner_id=note.partner_id,
    )
    session.delete(note)
    session.commit()
    return Response(status_code=204)
