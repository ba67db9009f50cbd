"""A small world of two programmes for the service tests, built through the ORM.

Programme P1 has partners AAA and BBB; users ``admin`` (AAA), ``member`` (AAA), ``observer``
(AAA) and ``bbb`` (member of BBB). Programme P2 has partner ZZZ and its ``admin2``. Private
objects carry markers (``PRIVATE-BBB``, ``PRIVATE-P2``) that must never appear in an answer
to a user who may not see them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stationplan.service.models import (
    ApiToken,
    Note,
    Partner,
    Programme,
    Proposal,
    Run,
    ScenarioVersion,
    Snapshot,
    User,
)
from stationplan.service.security import hasher, new_token
from tests.ops.scenarios import MINI

PH = hasher(1, 8)
PASSWORD = "correct horse battery"


@dataclass
class World:
    """Ids and tokens of the world."""

    client: TestClient
    p1: int = 0
    p2: int = 0
    partners: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    token_ids: dict[str, str] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)

    def session(self) -> Session:
        """A database session of the app."""
        sessions = self.client.app.state.services.sessions  # type: ignore[attr-defined]
        s: Session = sessions()
        return s

    def auth(self, user: str) -> dict[str, str]:
        """The Authorization header of ``user``."""
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def programme_of(self, scope: str) -> int:
        """P1 for the scopes within it, P2 for ``other_programme``."""
        return self.p2 if scope == "other_programme" else self.p1

    def partner_of(self, scope: str) -> int:
        """The partner of a scope: AAA (own), BBB (other partner), ZZZ (other programme)."""
        return self.partners[{"own": "AAA", "other_partner": "BBB"}.get(scope, "ZZZ")]

    def add(self, obj: Any) -> int:
        """Store ``obj``; its id."""
        with self.session() as s:
            s.add(obj)
            s.commit()
            return int(getattr(obj, "id", 0))

    def proposal(self, scope: str, state: str = "draft", **kw: Any) -> int:
        """A proposal of the scope's partner (a crew change) in ``state``."""
        prog = self.programme_of(scope)
        marker = {"own": "AAA", "other_partner": "PRIVATE-BBB"}.get(scope, "PRIVATE-P2")
        values: dict[str, Any] = {
            "programme_id": prog,
            "partner_id": self.partner_of(scope),
            "kind": "crew",
            "title": f"draft {marker}" if state == "draft" else "crew change",
            "payload": {"crew": 2},
            "parent_version_id": self.versions[f"base{prog}"],
            "state": state,
        }
        values.update(kw)
        return self.add(Proposal(**values))

    def note(self, scope: str) -> int:
        """A note of the scope's partner."""
        marker = {"own": "AAA", "other_partner": "PRIVATE-BBB"}.get(scope, "PRIVATE-P2")
        return self.add(
            Note(
                programme_id=self.programme_of(scope),
                partner_id=self.partner_of(scope),
                text=f"note {marker}",
            )
        )

    def run(self, scope: str, status: str = "failed") -> int:
        """A finished run row (nothing executed) of the scope's programme."""
        prog = self.programme_of(scope)
        return self.add(
            Run(
                programme_id=prog,
                version_id=self.versions[f"base{prog}"],
                status=status,
                error="test",
            )
        )

    def snapshot(self, scope: str, name: str) -> int:
        """A snapshot of the scope's programme baseline."""
        prog = self.programme_of(scope)
        return self.add(
            Snapshot(programme_id=prog, name=name, version_id=self.versions[f"base{prog}"])
        )

    def token(self, user: str, label: str = "extra") -> str:
        """A new token id of ``user``."""
        new = new_token(PH)
        self.add(
            ApiToken(
                token_id=new.token_id,
                user_id=self.users[user],
                label=label,
                secret_hash=new.secret_hash,
            )
        )
        return new.token_id


def _version(s: Session, programme_id: int, text: str) -> int:
    v = ScenarioVersion(
        programme_id=programme_id,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    s.add(v)
    s.flush()
    return v.id


def build(client: TestClient) -> World:
    """The world, in the app's database."""
    w = World(client)
    with w.session() as s:
        progs = {}
        for name in ("P1", "P2"):
            prog = Programme(name=name)
            s.add(prog)
            s.flush()
            progs[name] = prog
        w.p1, w.p2 = progs["P1"].id, progs["P2"].id
        for code, prog in (("AAA", w.p1), ("BBB", w.p1), ("ZZZ", w.p2)):
            partner = Partner(programme_id=prog, code=code, name=f"Agency {code}")
            s.add(partner)
            s.flush()
            w.partners[code] = partner.id
        people = (
            ("admin", w.p1, "admin", "AAA"),
            ("member", w.p1, "member", "AAA"),
            ("observer", w.p1, "observer", "AAA"),
            ("bbb", w.p1, "member", "BBB"),
            ("admin2", w.p2, "admin", "ZZZ"),
        )
        for name, prog, role, code in people:
            user = User(
                programme_id=prog,
                name=name,
                role=role,
                partner_id=w.partners[code],
                password_hash=PH.hash(PASSWORD),
            )
            s.add(user)
            s.flush()
            w.users[name] = user.id
            new = new_token(PH)
            s.add(ApiToken(token_id=new.token_id, user_id=user.id, secret_hash=new.secret_hash))
            w.tokens[name], w.token_ids[name] = new.token, new.token_id
        for prog in (progs["P1"], progs["P2"]):
            v = _version(s, prog.id, MINI)
            w.versions[f"base{prog.id}"] = v
            prog.baseline_version_id, prog.baseline_revision = v, 1
        s.commit()
    return w
