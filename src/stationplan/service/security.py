"""Secrets: API tokens and passwords hashed with argon2, and the CSRF token of a session.

An API token reads ``spt_<id>_<secret>``: ``<id>`` (12 hex digits) is public and finds the
row; only the argon2 hash of ``<secret>`` is stored, so a token is shown once, at creation.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "spt_"
TOKEN_ID_HEX = 12
CSRF_SESSION_KEY = "csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FORM_FIELD = "csrf_token"


@dataclass(frozen=True)
class NewToken:
    """A token as shown once to its owner, and what is stored of it."""

    token: str
    token_id: str
    secret_hash: str


def hasher(time_cost: int = 3, memory_kib: int = 65536) -> PasswordHasher:
    """The argon2id hasher (RFC 9106 low-memory profile by default)."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def new_token(ph: PasswordHasher) -> NewToken:
    """A fresh API token and its hash."""
    token_id = secrets.token_hex(TOKEN_ID_HEX // 2)
    secret = secrets.token_urlsafe(32)
    return NewToken(f"{TOKEN_PREFIX}{token_id}_{secret}", token_id, ph.hash(secret))


def split_token(token: str) -> tuple[str, str] | None:
    """``(id, secret)`` of a well-formed token, else None.

    >>> split_token("spt_0123456789ab_s3cret")
    ('0123456789ab', 's3cret')
    >>> split_token("nonsense") is None
    True
    """
    if not token.startswith(TOKEN_PREFIX):
        return None
    token_id, sep, secret = token.removeprefix(TOKEN_PREFIX).partition("_")
    if not sep or len(token_id) != TOKEN_ID_HEX or not secret:
        return None
    return token_id, secret


def verify(ph: PasswordHasher, stored_hash: str, secret: str) -> bool:
    """Whether ``secret`` matches ``stored_hash`` (never raises)."""
    try:
        return ph.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def new_csrf_token() -> str:
    """A random CSRF token for a session."""
    return secrets.token_urlsafe(32)


def same_secret(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(a.encode(), b.encode())
