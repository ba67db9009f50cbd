"""The database: engine, sessions and migrations (Alembic scripts shipped in the package)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from stationplan.errors import REQUEST, ArgumentError, Problem


def make_engine(database_url: str) -> Engine:
    """An engine for ``database_url`` (SQLite: foreign keys on, usable from worker threads)."""
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url, connect_args={"check_same_thread": False, "timeout": 30}
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: object) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration for the migrations in ``stationplan/service/migrations``."""
    config = Config()
    location = resources.files("stationplan.service").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (creating the tables of an empty one); an input
    error naming ``database_url`` when the database cannot be reached or opened."""
    try:
        command.upgrade(alembic_config(engine), revision)
    except (OperationalError, InterfaceError) as exc:
        url = engine.url.render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise ArgumentError(
            Problem(REQUEST, f"cannot open the database {url}: {reason}", field="database_url")
        ) from None


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session committed at the end of the block, rolled back on an exception."""
    with factory() as session, session.begin():
        yield session
