"""The shipped Alembic migrations build the schema of the models from an empty database."""

from __future__ import annotations

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from stationplan.service.db import alembic_config, make_engine, migrate
from stationplan.service.models import Base


def test_upgrade_from_empty_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        if database_url.startswith("postgresql"):
            with engine.connect() as conn:  # the session schema is migrated: start empty
                names = [*(t.name for t in Base.metadata.sorted_tables), "alembic_version"]
                conn.execute(text("DROP TABLE IF EXISTS " + ", ".join(names) + " CASCADE"))
                conn.commit()
        assert inspect(engine).get_table_names() == []
        migrate(engine)
        tables = set(inspect(engine).get_table_names())
        assert tables == {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"}
        for table in Base.metadata.sorted_tables:
            columns = {c["name"] for c in inspect(engine).get_columns(table.name)}
            assert columns == {c.name for c in table.columns}, table.name
        head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head
        migrate(engine)  # idempotent at head
    finally:
        engine.dispose()


def test_models_and_migrations_agree(database_url: str) -> None:
    """No difference left for Alembic's autogenerate (a model change needs a migration)."""
    from alembic.autogenerate import compare_metadata

    engine = make_engine(database_url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        engine.dispose()
