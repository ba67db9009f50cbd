"""Users and programmes added outside a request (the ``stationplan users add`` command)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from stationplan.errors import REQUEST, ArgumentError, Problem
from stationplan.service import audit, db, security
from stationplan.service.models import ROLES, ApiToken, Partner, Programme, User
from stationplan.service.schemas import UserPublic
from stationplan.service.settings import Settings


@dataclass(frozen=True)
class AddedUser:
    """A user added, with the API token shown once."""

    user_id: int
    programme: str
    role: str
    partner: str | None
    token: str
    created: list[str]


def _bad(field: str, message: str) -> ArgumentError:
    return ArgumentError(Problem(REQUEST, message, field=field))


def add_user(
    settings: Settings,
    name: str,
    programme: str,
    role: str,
    partner: str | None = None,
    password: str | None = None,
) -> AddedUser:
    """Add user ``name`` to ``programme`` with ``role`` (and ``partner``'s code), creating the
    programme and the partner when they do not exist; migrate the database first. Returns a
    new API token (its hash alone is stored)."""
    if role not in ROLES:
        raise _bad("role", f"{role!r} is not a role; expected one of {', '.join(ROLES)}")
    if not name.strip():
        raise _bad("name", "an empty user name")
    if role == "member" and partner is None:
        raise _bad("partner", "a member belongs to a partner; give --partner CODE")
    if password is not None and len(password) < 8:
        raise _bad("password", "a password has at least 8 characters")
    engine = db.make_engine(settings.database_url)
    try:
        db.migrate(engine)
        ph = security.hasher(settings.argon2_time_cost, settings.argon2_memory_kib)
        created: list[str] = []
        with db.session_factory(engine)() as s:
            if s.scalar(select(User).where(User.name == name)) is not None:
                raise _bad("name", f"a user named {name!r} exists")
            prog = s.scalar(select(Programme).where(Programme.name == programme))
            if prog is None:
                prog = Programme(name=programme)
                s.add(prog)
                s.flush()
                created.append(f"programme {programme}")
            partner_row = None
            if partner is not None:
                partner_row = s.scalar(
                    select(Partner).where(Partner.programme_id == prog.id, Partner.code == partner)
                )
                if partner_row is None:
                    partner_row = Partner(programme_id=prog.id, code=partner, name=partner)
                    s.add(partner_row)
                    s.flush()
                    created.append(f"partner {partner}")
            user = User(
                programme_id=prog.id,
                name=name,
                role=role,
                partner_id=partner_row.id if partner_row else None,
                password_hash=ph.hash(password) if password else None,
            )
            s.add(user)
            s.flush()
            new = security.new_token(ph)
            s.add(
                ApiToken(
                    token_id=new.token_id,
                    user_id=user.id,
                    label="command line",
                    secret_hash=new.secret_hash,
                )
            )
            audit.record(
                s,
                None,
                "user.create",
                "user",
                user.id,
                after=audit.snapshot(user, UserPublic),
                programme_id=prog.id,
            )
            s.commit()
            return AddedUser(user.id, programme, role, partner, new.token, created)
    finally:
        engine.dispose()
