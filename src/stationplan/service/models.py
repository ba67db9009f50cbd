"""The service's tables (SQLAlchemy 2 typed ORM). Timestamps are timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("admin", "member", "observer")
RUN_STATES = ("queued", "running", "succeeded", "failed")
PROPOSAL_STATES = ("draft", "submitted", "accepted", "rejected")


def utc_now() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; the service stores timezone-aware UTC only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base of every table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime,
        dict[str, Any]: JSON,
        Any: JSON,
    }


class Programme(Base):
    """A programme; its baseline is one scenario version, revised under optimistic locking."""

    __tablename__ = "programmes"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_utc: Mapped[datetime] = mapped_column(default=utc_now)
    baseline_version_id: Mapped[int | None] = mapped_column(
        Integer,
        doc="A scenario version of this programme (no foreign key: the tables refer "
        "to each other).",
    )
    baseline_revision: Mapped[int] = mapped_column(Integer, default=0)


class Partner(Base):
    """A partner of a programme (its code as in the scenario)."""

    __tablename__ = "partners"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))


class User(Base):
    """A user of one programme with a role and, for members, a partner."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_utc: Mapped[datetime] = mapped_column(default=utc_now)


class ApiToken(Base):
    """An API token: a public id and the argon2 hash of its secret."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    secret_hash: Mapped[str] = mapped_column(String(255))
    created_utc: Mapped[datetime] = mapped_column(default=utc_now)
    revoked_utc: Mapped[datetime | None] = mapped_column()


class ScenarioVersion(Base):
    """An immutable scenario text."""

    __tablename__ = "scenario_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_versions.id"))
    created_utc: Mapped[datetime] = mapped_column(default=utc_now)


class Snapshot(Base):
    """A named baseline: a version to restore."""

    __tablename__ = "snapshots"
    __table_args__ = (UniqueConstraint("programme_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_utc: Mapped[datetime] = mapped_column(default=utc_now)


class Proposal(Base):
    """A partner's change set to the baseline; ``merge`` holds a merge under way."""

    __tablename__ = "proposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    parent_version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    merge: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    merged_version_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_versions.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_utc: Mapped[datetime] = mapped_column(default=utc_now)
    updated_utc: Mapped[datetime] = mapped_column(default=utc_now)
    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012


class Note(Base):
    """A partner's private note."""

    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_utc: Mapped[datetime] = mapped_column(default=utc_now)
    updated_utc: Mapped[datetime] = mapped_column(default=utc_now)
    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012


class Run(Base):
    """A plan (or what-if) of a scenario version, executed by the worker pool."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"))
    kind: Mapped[str] = mapped_column(String(20), default="plan")
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    progress_text: Mapped[str] = mapped_column(String(500), default="")
    progress_fraction: Mapped[float] = mapped_column(Float, default=0.0)
    folder: Mapped[str | None] = mapped_column(String(1000))
    files: Mapped[list[str] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_utc: Mapped[datetime] = mapped_column(default=utc_now)
    started_utc: Mapped[datetime | None] = mapped_column()
    finished_utc: Mapped[datetime | None] = mapped_column()


class MergeLock(Base):
    """The baseline of a programme locked by a merge under way."""

    __tablename__ = "merge_locks"
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acquired_utc: Mapped[datetime] = mapped_column(default=utc_now)


class AuditEntry(Base):
    """One change: who, when, what, and the object before and after (JSON)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at_utc: Mapped[datetime] = mapped_column(default=utc_now)
    action: Mapped[str] = mapped_column(String(100))
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str] = mapped_column(String(50))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
