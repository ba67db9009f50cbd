"""Fixtures of the service tests: every storage and API test runs on SQLite (a file in
tmp_path) and on PostgreSQL (``STATIONPLAN_TEST_POSTGRES_URL``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``), in a schema of its own created for the
test session and dropped after it. Without a reachable server the PostgreSQL cases skip,
saying why."""

from __future__ import annotations

import os
import secrets
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from stationplan.service import Settings, create_app
from stationplan.service.db import make_engine, migrate
from stationplan.service.models import Base

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402

POSTGRES_URL = os.environ.get(
    "STATIONPLAN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str | None]:
    """The URL of a fresh schema ``sp_test_<random>`` (migrated), or None when no server."""
    schema = f"sp_test_{secrets.token_hex(4)}"
    try:
        admin = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            conn.commit()
    except Exception as exc:
        reason = f"no PostgreSQL at {POSTGRES_URL}: {type(exc).__name__}: {exc}".splitlines()[0]
        print(f"\nskipping the PostgreSQL cases: {reason}")
        yield None
        return
    sep = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.commit()
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_schema_url: str | None
) -> str:
    """An empty, migrated-on-start database of each kind (PostgreSQL: tables emptied)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'service.db'}"
    if postgres_schema_url is None:
        pytest.skip(f"no PostgreSQL server reachable at {POSTGRES_URL}")
    engine = make_engine(postgres_schema_url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.connect() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        conn.commit()
    engine.dispose()
    return postgres_schema_url


def make_settings(database_url: str, data_dir: Path, **overrides: object) -> Settings:
    """Settings for tests: fast argon2, few risk runs, no worker started until a run."""
    values: dict[str, object] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8,
        "risk_runs": 10,
        "warm_workers": False,
        "session_secret": "test-secret",
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Test settings on each database."""
    return make_settings(database_url, tmp_path / "data")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client of a started app (migrated, worker pool stopped at the end)."""
    with TestClient(create_app(settings)) as c:
        yield c
