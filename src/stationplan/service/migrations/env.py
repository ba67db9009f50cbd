"""Alembic environment: runs on the engine the service passes in ``config.attributes``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from stationplan.service.models import Base


def run_migrations() -> None:
    """Upgrade (or downgrade) on the service's engine, SQLite tables altered in batch mode."""
    engine: Engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if hasattr(context, "config"):  # run by Alembic; a plain import (doctest collection) does nothing
    run_migrations()
