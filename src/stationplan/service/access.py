"""Who may see and do what: the one place every endpoint asks.

Roles: the programme administrator (``admin``), a partner's member (``member``) and an
``observer``. Rules:

* nothing of a programme exists for a user of another programme (404, as for a missing id);
* the baseline, scenario versions, runs, reports, partners and proposals past the draft are
  visible to every user of the programme;
* a partner's draft proposals and private notes are visible to that partner's users and the
  administrator only (404 for everyone else);
* API tokens are their user's alone;
* observers read only; members write for their own partner; the administrator writes for
  every partner and alone manages users, partners, the baseline, snapshots and merges
  (403 for a visible object and an action the role may not take).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from stationplan.service.errors import forbidden, not_found
from stationplan.service.models import (
    ApiToken,
    AuditEntry,
    Base,
    Note,
    Partner,
    Proposal,
    Run,
)

T = TypeVar("T", bound=Base)


@dataclass(frozen=True)
class Principal:
    """The authenticated user of a request."""

    user_id: int
    name: str
    programme_id: int
    role: str
    partner_id: int | None
    via_session: bool = False

    @property
    def is_admin(self) -> bool:
        """Whether the user administers the programme."""
        return self.role == "admin"


def require_admin(p: Principal, action: str) -> None:
    """403 unless ``p`` is the administrator."""
    if not p.is_admin:
        raise forbidden(f"only the programme administrator may {action}")


def require_writer(p: Principal, action: str) -> None:
    """403 for observers."""
    if p.role not in ("admin", "member"):
        raise forbidden(f"observers read only; they may not {action}")


def programme(p: Principal, programme_id: int) -> int:
    """``programme_id`` if it is the user's programme, else 404."""
    if programme_id != p.programme_id:
        raise not_found("programme")
    return programme_id


def get(session: Session, p: Principal, model: type[T], object_id: int, what: str) -> T:
    """The object ``object_id`` of the user's programme, else 404 (private objects: use
    :func:`proposal` and :func:`note`)."""
    obj = session.get(model, object_id)
    if obj is None or getattr(obj, "programme_id", None) != p.programme_id:
        raise not_found(what)
    return obj


def sees_partner_private(p: Principal, partner_id: int) -> bool:
    """Whether ``p`` may see the private objects of partner ``partner_id``."""
    return p.is_admin or p.partner_id == partner_id


def proposal_visible(p: Principal, proposal: Proposal) -> bool:
    """Drafts to their partner and the administrator; the rest to the whole programme."""
    if proposal.programme_id != p.programme_id:
        return False
    return proposal.state != "draft" or sees_partner_private(p, proposal.partner_id)


def proposal(session: Session, p: Principal, proposal_id: int) -> Proposal:
    """A proposal the user may see, else 404."""
    obj = session.get(Proposal, proposal_id)
    if obj is None or not proposal_visible(p, obj):
        raise not_found("proposal")
    return obj


def act_for_partner(p: Principal, partner_id: int, action: str) -> None:
    """403 unless ``p`` may write for partner ``partner_id`` (its member, or the admin)."""
    require_writer(p, action)
    if not p.is_admin and p.partner_id != partner_id:
        raise forbidden(f"only the partner's members and the administrator may {action}")


def proposals_filter(p: Principal) -> ColumnElement[bool]:
    """The proposals of the programme ``p`` may list."""
    scope = Proposal.programme_id == p.programme_id
    if p.is_admin:
        return scope
    return scope & or_(Proposal.state != "draft", Proposal.partner_id == p.partner_id)


def run_filter(p: Principal) -> ColumnElement[bool]:
    """The runs ``p`` may see: the programme's, but a what-if of a draft only as the draft."""
    visible = select(Proposal.id).where(proposals_filter(p))
    return (Run.programme_id == p.programme_id) & or_(
        Run.proposal_id.is_(None), Run.proposal_id.in_(visible)
    )


def run(session: Session, p: Principal, run_id: int) -> Run:
    """A run the user may see, else 404."""
    obj = session.get(Run, run_id)
    if obj is None or obj.programme_id != p.programme_id:
        raise not_found("run")
    if obj.proposal_id is not None:
        prop = session.get(Proposal, obj.proposal_id)
        if prop is None or not proposal_visible(p, prop):
            raise not_found("run")
    return obj


def note(session: Session, p: Principal, note_id: int) -> Note:
    """A note the user may see, else 404."""
    obj = session.get(Note, note_id)
    if (
        obj is None
        or obj.programme_id != p.programme_id
        or not sees_partner_private(p, obj.partner_id)
    ):
        raise not_found("note")
    return obj


def notes_filter(p: Principal) -> ColumnElement[bool]:
    """The notes ``p`` may list."""
    scope = Note.programme_id == p.programme_id
    return scope if p.is_admin else scope & (Note.partner_id == p.partner_id)


def audit_filter(p: Principal) -> ColumnElement[bool]:
    """The audit entries ``p`` may read: the programme's, without other partners' private
    objects (entries about them carry that partner)."""
    scope = AuditEntry.programme_id == p.programme_id
    if p.is_admin:
        return scope & true()
    return scope & or_(AuditEntry.partner_id.is_(None), AuditEntry.partner_id == p.partner_id)


def own_token(session: Session, p: Principal, token_id: str) -> ApiToken:
    """One of the user's own API tokens, else 404 (nobody sees another user's tokens)."""
    row = session.query(ApiToken).filter(ApiToken.token_id == token_id).one_or_none()
    if row is None or row.user_id != p.user_id:
        raise not_found("token")
    return row


def tokens_filter(p: Principal) -> ColumnElement[bool]:
    """The tokens ``p`` may list: their own."""
    return ApiToken.user_id == p.user_id


def partner_to_act_for(session: Session, p: Principal, code: str | None, action: str) -> Partner:
    """The partner a new private object belongs to: the member's own (a code must match it);
    for the administrator the partner of ``code`` (required)."""
    require_writer(p, action)
    if p.is_admin:
        if code is None:
            raise forbidden(f"the administrator must name the partner to {action}")
        found = (
            session.query(Partner)
            .filter(Partner.programme_id == p.programme_id, Partner.code == code)
            .one_or_none()
        )
        if found is None:
            raise not_found("partner")
        return found
    own = session.get(Partner, p.partner_id) if p.partner_id is not None else None
    if own is None:
        raise forbidden(f"a user without a partner may not {action}")
    if code is not None and code != own.code:
        raise forbidden(f"members {action} for their own partner only")
    return own
