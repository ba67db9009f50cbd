"""The API's request and response bodies (pydantic), separate from the tables.

Variants follow ``XCreate`` (request) / ``XUpdate`` / ``XPublic`` (response). Timestamps are
timezone-aware UTC (ISO 8601 with offset).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from stationplan.scenario.changes import ChangeKind

Role = Literal["admin", "member", "observer"]
ItemT = TypeVar("ItemT")


class Public(BaseModel):
    """A response read from a table row."""

    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[ItemT]):
    """One page of a list: ``items`` from ``offset`` (at most ``limit``) of ``total``."""

    items: list[ItemT]
    total: int
    limit: int
    offset: int


class ProgrammePublic(Public):
    """A programme and the revision of its baseline."""

    id: int
    name: str
    created_utc: datetime
    baseline_version_id: int | None
    baseline_revision: int


class ProgrammeCreate(BaseModel):
    """A new programme and the name of its first administrator."""

    name: str = Field(min_length=1, max_length=200)
    admin_name: str = Field(min_length=1, max_length=200, description="Its first administrator.")


class PartnerCreate(BaseModel):
    """A new partner (its code as in the scenario's partners)."""

    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=200)


class PartnerPublic(Public):
    """A partner of a programme."""

    id: int
    programme_id: int
    code: str
    name: str


class UserCreate(BaseModel):
    """A new user: role, partner (members need one), optional password for sign-in."""

    name: str = Field(min_length=1, max_length=200)
    role: Role
    partner_code: str | None = None
    password: str | None = Field(default=None, min_length=8, max_length=200)


class UserPublic(Public):
    """A user (never the password hash)."""

    id: int
    programme_id: int
    name: str
    role: str
    partner_id: int | None
    created_utc: datetime


class TokenCreate(BaseModel):
    """A new API token of the signed-in user."""

    label: str = Field(default="", max_length=200)


class TokenPublic(Public):
    """An API token: its public id, never the secret."""

    token_id: str
    label: str
    created_utc: datetime
    revoked_utc: datetime | None


class TokenIssued(TokenPublic):
    """A token just created, with the secret this once."""

    token: str = Field(description="The token itself: shown this once, never again.")


class UserIssued(BaseModel):
    """A user just created and their first token."""

    user: UserPublic
    token: TokenIssued


class ProgrammeIssued(BaseModel):
    """A programme just created and its first administrator."""

    programme: ProgrammePublic
    admin: UserIssued


class VersionCreate(BaseModel):
    """Scenario YAML text to store as a new version."""

    text: str = Field(description="Scenario YAML text.")
    filename: str = Field(
        default="scenario.yaml",
        max_length=200,
        pattern=r"^[^/\\]+$",
        description="The file's name, as problems name it (``FILE:LINE field: message``).",
    )
    message: str = Field(default="", max_length=500)
    parent_id: int | None = None


class VersionSummary(Public):
    """A scenario version without its text."""

    id: int
    programme_id: int
    sha256: str
    message: str
    author_id: int | None
    parent_id: int | None
    created_utc: datetime


class VersionPublic(VersionSummary):
    """A scenario version with its text."""

    text: str


class FieldChangePublic(BaseModel):
    """One difference: the field path and the values before and after (null, with
    ``*_present`` false, where the field is absent)."""

    field: str
    path: list[str | int]
    before: Any
    after: Any
    before_present: bool
    after_present: bool


class VersionDiff(BaseModel):
    """The field-path differences between two versions."""

    from_version_id: int
    to_version_id: int
    changes: list[FieldChangePublic]


class BaselinePublic(BaseModel):
    """The baseline: its version, revision and ETag."""

    programme_id: int
    version_id: int | None
    revision: int
    etag: str


class BaselineUpdate(BaseModel):
    """A new baseline version, with the revision read (or send If-Match)."""

    version_id: int
    revision: int | None = Field(
        default=None, description="The revision read (instead of an If-Match header)."
    )


class SnapshotCreate(BaseModel):
    """A name for the current baseline."""

    name: str = Field(min_length=1, max_length=200)


class SnapshotPublic(Public):
    """A named baseline."""

    id: int
    programme_id: int
    name: str
    version_id: int
    created_by: int | None
    created_utc: datetime


class RestoreRequest(BaseModel):
    """The baseline revision read (or send If-Match)."""

    revision: int | None = None


class ProposalCreate(BaseModel):
    """A draft change set to the baseline (see :func:`stationplan.scenario.changes.change_set`)."""

    kind: ChangeKind
    title: str = Field(default="", max_length=200)
    payload: dict[str, Any]
    partner_code: str | None = Field(
        default=None, description="The partner it is for (the administrator must say)."
    )


class ProposalUpdate(BaseModel):
    """Changes to a draft, with the revision read."""

    revision: int = Field(description="The revision read; a stale one answers 409.")
    title: str | None = Field(default=None, max_length=200)
    payload: dict[str, Any] | None = None


class ProposalPublic(Public):
    """A partner proposal."""

    id: int
    programme_id: int
    partner_id: int
    kind: str
    title: str
    payload: dict[str, Any]
    parent_version_id: int
    state: str
    revision: int
    merged_version_id: int | None
    created_by: int | None
    created_utc: datetime
    updated_utc: datetime


class ConflictPublic(BaseModel):
    """A conflicting field path: its value in the base, the baseline and the proposal."""

    field: str
    path: list[str | int]
    base: Any
    baseline: Any
    proposal: Any
    resolved: bool = False
    choice: str | None = None


class MergePublic(BaseModel):
    """A merge: accepted (the new version) or conflicts left to resolve, with the lock."""

    proposal_id: int
    state: Literal["accepted", "conflicts"]
    merged_version_id: int | None = None
    conflicts: list[ConflictPublic] = []
    lock_holder_id: int | None = None
    lock_acquired_utc: datetime | None = None


class Resolution(BaseModel):
    """How to resolve one conflicting field path."""

    field: str = Field(description="The conflicting field path, as listed.")
    choice: Literal["baseline", "proposal", "value"]
    value: Any = Field(default=None, description="The value to keep when choice is 'value'.")


class NoteCreate(BaseModel):
    """A new private note."""

    text: str = Field(min_length=1, max_length=100_000)
    partner_code: str | None = None


class NoteUpdate(BaseModel):
    """A note's new text, with the revision read."""

    text: str = Field(min_length=1, max_length=100_000)
    revision: int


class NotePublic(Public):
    """A partner's private note."""

    id: int
    programme_id: int
    partner_id: int
    author_id: int | None
    text: str
    revision: int
    created_utc: datetime
    updated_utc: datetime


class RunCreate(BaseModel):
    """A plan run of a version."""

    version_id: int | None = Field(default=None, description="None: the baseline.")


class RunPublic(Public):
    """A run: status, progress (fraction 0-1), files written, error."""

    id: int
    programme_id: int
    version_id: int
    kind: str
    proposal_id: int | None
    status: str
    progress_text: str
    progress_fraction: float
    files: list[str] | None
    error: str | None
    created_by: int | None
    created_utc: datetime
    started_utc: datetime | None
    finished_utc: datetime | None


class AuditPublic(Public):
    """One audit entry."""

    id: int
    programme_id: int | None
    user_id: int | None
    at_utc: datetime
    action: str
    object_type: str
    object_id: str
    before: Any
    after: Any


class MePublic(BaseModel):
    """The signed-in user, their programme and partner."""

    user: UserPublic
    programme: ProgrammePublic
    partner: PartnerPublic | None


class CsrfPublic(BaseModel):
    """The CSRF token of the browser session."""

    csrf_token: str
