"""Secrets: API tokens and passwords hashed with argon2, and the CSRF token of a session.

An API token reads ``spt_<id>_<secret>``: ``<id>`` (12 hex digits) is public and finds the
row; only the argon2 hash of ``<secret>`` is stored, so a token is shown once, at creation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
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


class VerifiedTokens:
    """Tokens verified lately, so that argon2 (tens of milliseconds by design) runs once per
    token and ``ttl_s`` rather than on every request. An entry is keyed by the stored hash as
    well, and revocation is read from the database on every request, so it takes effect at
    once. Concurrent requests with the same unseen token wait for one verification instead
    of each running argon2 (a client starting many requests at once would otherwise cost
    that many verifications)."""

    def __init__(self, ttl_s: float = 300.0, size: int = 1024) -> None:
        self.ttl_s = ttl_s
        self.size = size
        self._seen: dict[tuple[str, str], float] = {}
        self._running: dict[tuple[str, str], threading.Lock] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(stored_hash: str, secret: str) -> tuple[str, str]:
        return stored_hash, hashlib.sha256(secret.encode()).hexdigest()

    def _fresh(self, key: tuple[str, str], now: float) -> bool:
        expiry = self._seen.get(key)
        return expiry is not None and expiry > now

    def verify(self, ph: PasswordHasher, stored_hash: str, secret: str) -> bool:
        """Whether ``secret`` matches ``stored_hash`` (argon2 only when not seen lately)."""
        key = self._key(stored_hash, secret)
        with self._lock:
            if self._fresh(key, time.monotonic()):
                return True
            running = self._running.setdefault(key, threading.Lock())
        with running:  # one verification per key at a time; the others find its result
            with self._lock:
                if self._fresh(key, time.monotonic()):
                    return True
            ok = verify(ph, stored_hash, secret)
            with self._lock:
                self._running.pop(key, None)
                if ok:
                    self._remember(key, time.monotonic())
        return ok

    def _remember(self, key: tuple[str, str], now: float) -> None:
        if len(self._seen) >= self.size:
            self._seen = {k: t for k, t in self._seen.items() if t > now}
            if len(self._seen) >= self.size:
                self._seen.clear()
        self._seen[key] = now + self.ttl_s


def new_csrf_token() -> str:
    """A random CSRF token for a session."""
    return secrets.token_urlsafe(32)


def same_secret(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(a.encode(), b.encode())
