"""The service's settings: where the database and the run artefacts live, how it listens."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy.engine import make_url

from stationplan.errors import REQUEST, ArgumentError, Problem

DEFAULT_DATABASE_FILE = "stationplan.db"
MAX_BODY_BYTES = 2 * 1024 * 1024


class Settings(BaseModel):
    """Settings of one service instance (from the command line or ``STATIONPLAN_*`` variables).

    ``data_dir`` holds run artefacts and the session key; by default the folder of the SQLite
    file (the working directory for another database).
    """

    database_url: str = Field(default=f"sqlite:///{DEFAULT_DATABASE_FILE}")
    data_dir: Path | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=MAX_BODY_BYTES, gt=0)
    run_workers: int = Field(default=1, ge=1, le=64, description="Planning processes.")
    session_secret: str | None = Field(
        default=None, description="Key signing session cookies; None: kept in data_dir."
    )
    secure_cookies: bool = Field(
        default=False, description="Send the session cookie on HTTPS only."
    )
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)
    warm_workers: bool = Field(default=True, description="Start the run processes at once.")
    risk_runs: int = Field(default=200, ge=1, description="Monte Carlo runs of a plan.")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``STATIONPLAN_DATABASE_URL`` and ``STATIONPLAN_DATA_DIR``, then
        ``overrides`` (None values ignored)."""
        values: dict[str, object] = {}
        if url := os.environ.get("STATIONPLAN_DATABASE_URL"):
            values["database_url"] = url
        if folder := os.environ.get("STATIONPLAN_DATA_DIR"):
            values["data_dir"] = Path(folder)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls.model_validate(values)
        check_database_url(settings.database_url)
        return settings

    def artefact_dir(self) -> Path:
        """The folder of run artefacts and the session key (absolute)."""
        if self.data_dir is not None:
            return self.data_dir.absolute()
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and self.database_url != prefix + ":memory:":
            return Path(self.database_url.removeprefix(prefix).split("?")[0]).absolute().parent
        return Path.cwd()


def check_database_url(url: str) -> str:
    """``url`` if SQLAlchemy has a driver for it; else :class:`ArgumentError` naming the
    ``database_url`` field and the accepted forms."""
    try:
        make_url(url).get_dialect()
    except Exception as exc:
        raise ArgumentError(
            Problem(
                REQUEST,
                f"{url!r} is not a database URL this installation can use ({exc}); expected "
                "sqlite:///FILE or postgresql+psycopg://USER@HOST:PORT/DB",
                field="database_url",
            )
        ) from None
    return url
